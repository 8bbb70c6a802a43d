//! Axis helpers shared by the charts: nice tick values for a range, and
//! numbers formatted in the units the charts use ($M, %, weeks, counts),
//! with a true minus sign (−) for negative numbers.

/// The unit of an axis or a value label. Inputs are given in base units
/// (dollars, fractions, weeks, counts); [`Unit::display`] converts them to
/// the numbers printed on the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Dollars, shown in millions ($M).
    Millions,
    /// A fraction, shown in percent (0.03 → 3).
    Percent,
    /// Weeks (relative to expiry when negative).
    Weeks,
    /// A count, e.g. patient-weeks or patients.
    Count,
}

impl Unit {
    /// Factor from a base value to its displayed value.
    pub fn scale(self) -> f64 {
        match self {
            Unit::Millions => 1e-6,
            Unit::Percent => 100.0,
            Unit::Weeks | Unit::Count => 1.0,
        }
    }

    /// A base value (dollars, fraction, weeks, count) in display units.
    pub fn display(self, value: f64) -> f64 {
        value * self.scale()
    }
}

/// Tick marks of an axis, in display units.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// Lower end of the axis.
    pub lo: f64,
    /// Upper end of the axis (always above `lo`).
    pub hi: f64,
    /// Distance between ticks.
    pub step: f64,
    /// Tick values, ascending, within `[lo, hi]` (never empty).
    pub values: Vec<f64>,
}

/// A sensible range for possibly degenerate bounds: non-finite bounds become
/// 0 and 1, reversed bounds are swapped, and a zero-width range is widened
/// around its value.
fn sane_range(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) => (lo.min(hi), lo.max(hi)),
        (true, false) => (lo, lo),
        (false, true) => (hi, hi),
        (false, false) => (0.0, 1.0),
    };
    // Keep the span finite.
    let (lo, hi) = (lo.clamp(-1e300, 1e300), hi.clamp(-1e300, 1e300));
    let span = hi - lo;
    let scale = lo.abs().max(hi.abs());
    if span <= scale * 1e-9 || span < 1e-12 {
        let pad = if scale > 0.0 { scale * 0.1 } else { 1.0 };
        (lo - pad, hi + pad)
    } else {
        (lo, hi)
    }
}

/// A "nice" step (1, 2, 2.5 or 5 times a power of ten) close to `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let f = raw / magnitude;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Number of multiples of `step` within `[lo, hi]`.
fn tick_count(lo: f64, hi: f64, step: f64) -> f64 {
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    (last - first + 1.0).max(0.0)
}

/// Ticks at multiples of `step` within `[lo, hi]` (none if absurdly many).
fn ticks_within(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let n = tick_count(lo, hi, step);
    if n.is_nan() || n > 1000.0 {
        return Vec::new();
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            if v == 0.0 { 0.0 } else { v }
        })
        .collect()
}

/// Nice ticks covering `[lo, hi]`: the axis is widened outwards to the
/// nearest ticks, at most about `max_ticks` of them. Degenerate input (NaN,
/// infinite, equal or reversed bounds) still gives a usable axis.
pub fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let (lo, hi) = sane_range(lo, hi);
    let n = max_ticks.max(2) as f64 - 1.0;
    let mut step = nice_step((hi - lo) / n);
    // A nice step can overshoot the tick budget once the ends are rounded
    // out; a few larger steps always fix that.
    for _ in 0..64 {
        let a = (lo / step + 1e-9).floor() * step;
        let b = (hi / step - 1e-9).ceil() * step;
        if ((b - a) / step).round() <= n && a < b {
            let values = ticks_within(a, b, step);
            if !values.is_empty() {
                return Ticks {
                    lo: a,
                    hi: b,
                    step,
                    values,
                };
            }
        }
        step = nice_step(step * 1.01);
    }
    Ticks {
        lo,
        hi,
        step: hi - lo,
        values: vec![lo, hi],
    }
}

/// Nice ticks inside `[lo, hi]`, keeping the range as given (after making it
/// sane): at most about `max_ticks` ticks, at least one.
pub fn ticks_inside(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let (lo, hi) = sane_range(lo, hi);
    let n = max_ticks.max(2) as f64 - 1.0;
    let mut step = nice_step((hi - lo) / n);
    while tick_count(lo, hi, step) > max_ticks.max(2) as f64 {
        step = nice_step(step * 1.01);
    }
    let mut values = ticks_within(lo, hi, step);
    if values.is_empty() {
        values.push((lo + hi) / 2.0);
    }
    Ticks {
        lo,
        hi,
        step,
        values,
    }
}

/// Nice ticks for counts covering `[lo, hi]`: like [`nice_ticks`] with a
/// whole-number step, and an all-zero range shown as 0 to 1.
pub fn count_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) if lo == hi && lo == 0.0 => (0.0, 1.0),
        _ => (lo, hi),
    };
    let t = nice_ticks(lo, hi, max_ticks);
    if t.step >= 1.0 {
        return t;
    }
    let a = t.lo.floor();
    let b = t.hi.ceil().max(a + 1.0);
    let mut step = 1.0;
    while ((b - a) / step).round() > max_ticks.max(2) as f64 - 1.0 {
        step = nice_step(step * 1.01);
    }
    let a = (a / step).floor() * step;
    let b = (b / step).ceil() * step;
    Ticks {
        lo: a,
        hi: b,
        step,
        values: ticks_within(a, b, step),
    }
}

/// Ticks for weeks inside `[lo, hi]` (kept as given): whole-week steps of 1,
/// 2, 4, 8, 13 (a quarter), 26 or 52 weeks and multiples of 52, aligned on
/// week 0 (expiry), at most about `max_ticks` of them.
pub fn week_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let (lo, hi) = sane_range(lo, hi);
    let max = max_ticks.max(2) as f64;
    let mut step = 1.0;
    for s in [1.0, 2.0, 4.0, 8.0, 13.0, 26.0, 52.0] {
        step = s;
        if tick_count(lo, hi, s) <= max {
            break;
        }
    }
    if tick_count(lo, hi, step) > max {
        step = ((hi - lo) / (max - 1.0) / 52.0).ceil().max(1.0) * 52.0;
        while tick_count(lo, hi, step) > max {
            step += 52.0;
        }
    }
    let mut values = ticks_within(lo, hi, step);
    if values.is_empty() {
        values.push(((lo + hi) / 2.0).round());
    }
    Ticks {
        lo,
        hi,
        step,
        values,
    }
}

/// Decimals needed to print multiples of `step` exactly (at most 4).
pub fn decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    for d in 0..4 {
        let scaled = step * 10f64.powi(d as i32);
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
            return d;
        }
    }
    4
}

/// `x` with `decimals` decimals, a true minus sign, and no "−0".
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{x:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// `x` with a sign: `+1.2`, `−0.4`, `0.0`.
pub fn signed(x: f64, decimals: usize) -> String {
    let s = fixed(x, decimals);
    if x.is_finite() && !s.starts_with('−') && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// A whole number with thousands separators: `10,825`, `−1,200`.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let n = x.round() as i64;
    let out = crate::report::table::group_digits(n.unsigned_abs());
    if n < 0 { format!("−{out}") } else { out }
}

/// A tick label: `value` is already in display units and a multiple of
/// `step`; the unit itself is left to the axis title.
pub fn format_tick(value: f64, step: f64, unit: Unit) -> String {
    match unit {
        Unit::Count if step >= 1.0 => thousands(value),
        Unit::Weeks if step >= 1.0 => fixed(value, 0),
        _ => fixed(value, decimals(step)),
    }
}

/// A value label in its unit, from a base value: `$226.3M`, `3.25%`,
/// `week −12`, `10,825`. `decimals` applies to $M and %.
pub fn format_value(value: f64, unit: Unit, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    match unit {
        Unit::Millions => {
            let s = fixed(value * 1e-6, decimals);
            match s.strip_prefix('−') {
                Some(rest) => format!("−${rest}M"),
                None => format!("${s}M"),
            }
        }
        Unit::Percent => format!("{}%", fixed(value * 100.0, decimals)),
        Unit::Weeks => format!("week {}", fixed(value, 0)),
        Unit::Count => count(value),
    }
}

/// A count for a label: whole with separators from 10 up, one decimal below
/// (a mean of 2.4 patients), `0` for zero.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x == 0.0 || x.abs() >= 10.0 {
        thousands(x)
    } else {
        fixed(x, 1)
    }
}

/// Decimals for a money amount in $M so that a difference of `resolution`
/// dollars shows (between 0 and 3).
pub fn money_decimals(resolution: f64) -> usize {
    let m = resolution.abs() * 1e-6;
    if !(m.is_finite() && m > 0.0) {
        return 1;
    }
    ((-m.log10()).ceil().max(0.0) as usize).clamp(0, 3)
}
