//! The executive summary of a board report, in plain language, written from
//! the numbers in a [`BoardData`]: what to do and why, what it gains over the
//! baseline, the downside, the patients' cost, what could change the answer,
//! the break-even of the most important input, how close the runner-up is,
//! and when to escalate.
//!
//! Each [`Finding`] is a headline sentence and a detail sentence or two.
//! Money is in $M ([`money`]), probabilities in % ([`percent`]), counts with
//! thousands separators ([`count`]); strategy names are quoted (“wait”). Text
//! is plain: HTML escaping is the caller's job.

use crate::analysis::board::BoardData;
use crate::analysis::compare::CompareReport;
use crate::analysis::threshold::{Finding as Crossing, ThresholdReport, Tie};
use crate::analysis::tornado::{Bar, InputKind, TornadoReport};
use crate::report::StrategyReport;
use crate::scenario::Dist;

/// What a finding is about (also its label in the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// The recommended strategy and why.
    Recommendation,
    /// Its expected gain over the baseline.
    Gain,
    /// The downside: the average of the worst 5 % of outcomes.
    Downside,
    /// Going out of network and the patients' cost.
    PatientAccess,
    /// The inputs that could change the recommendation.
    Sensitivity,
    /// The break-even value of the most important input.
    BreakEven,
    /// How close the runner-up is.
    RunnerUp,
    /// When to escalate.
    Timing,
}

impl Topic {
    /// A short label for the finding, e.g. `Recommendation`.
    pub fn label(self) -> &'static str {
        match self {
            Topic::Recommendation => "Recommendation",
            Topic::Gain => "Expected gain",
            Topic::Downside => "Downside",
            Topic::PatientAccess => "Patients",
            Topic::Sensitivity => "What could change it",
            Topic::BreakEven => "Break-even",
            Topic::RunnerUp => "Runner-up",
            Topic::Timing => "When to escalate",
        }
    }
}

/// One finding of the executive summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What it is about.
    pub topic: Topic,
    /// The headline: one sentence.
    pub headline: String,
    /// The detail: one or a few sentences.
    pub detail: String,
}

/// A strategy name as it appears in sentences: “name”.
pub fn quoted(name: &str) -> String {
    format!("\u{201c}{name}\u{201d}")
}

/// Decimals for an amount of dollars shown in $M: one from $10M up, two below.
pub fn money_decimals(x: f64) -> usize {
    if x.abs() >= 10e6 { 1 } else { 2 }
}

/// Dollars in $M with `decimals` decimals, e.g. `$230.5M`; a negative amount
/// gets a minus sign (`−$0.69M`); not finite: `n/a`.
pub fn money_with(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{:.*}", decimals, x.abs() / 1e6);
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if x < 0.0 && !zero {
        format!("\u{2212}${s}M")
    } else {
        format!("${s}M")
    }
}

/// Dollars in $M with sensible rounding ([`money_decimals`]): `$230.5M`,
/// `$4.05M`; from a billion up in $B with two decimals: `$1.12B`.
pub fn money(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e9 {
        let s = format!("{:.2}", x.abs() / 1e9);
        return if x < 0.0 {
            format!("\u{2212}${s}B")
        } else {
            format!("${s}B")
        };
    }
    money_with(x, money_decimals(x))
}

/// A probability in %: `3.6%`; exactly 0 is `0%` and exactly 1 `100%`;
/// below 0.1 % (but not 0) `under 0.1%`, above 99.9 % (but not 1) `over 99.9%`.
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p <= 0.0 {
        "0%".into()
    } else if p >= 1.0 {
        "100%".into()
    } else if p < 0.001 {
        "under 0.1%".into()
    } else if p > 0.999 {
        "over 99.9%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// A count rounded to a whole number, with thousands separators: `11,835`.
pub fn count(x: f64) -> String {
    crate::report::table::count(x)
}

/// An input value in few digits: three significant digits below 10,000
/// (`0.0233`, `12.8`, `0.55`), whole numbers with separators above (`1,555,051`).
pub fn value(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.abs() >= 1e4 {
        return count(x);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    s.replace('-', "\u{2212}")
}

/// Decimals that show `x` to three significant digits (none from 100 up).
pub fn value_decimals(x: f64) -> usize {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    (2 - x.abs().log10().floor() as i32).max(0) as usize
}

/// `x` with `decimals` decimals, trailing zeros kept (`0.0260`); whole
/// numbers from 10,000 up with separators.
pub fn value_with(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x.abs() >= 1e4 {
        return count(x);
    }
    format!("{x:.decimals$}").replace('-', "\u{2212}")
}

/// `x` rounded to `digits` significant digits (for "about" figures).
pub fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// A week relative to expiry in words: `week −20 (20 weeks before expiry)`.
pub fn week(w: i32) -> String {
    match w {
        0 => "week 0 (expiry)".into(),
        -1 => "week \u{2212}1 (the week before expiry)".into(),
        w if w < 0 => format!("week \u{2212}{} ({} weeks before expiry)", -w, -w),
        w => format!("week {w} ({w} weeks after expiry)"),
    }
}

/// The strategy called `name`.
fn strategy<'a>(data: &'a BoardData, name: &str) -> Option<&'a StrategyReport> {
    data.run.strategies.iter().find(|s| s.name == name)
}

/// The first sentence of an input's note, as a gloss: `the highest uplift the
/// payer's negotiating staff can grant`. `None` without a note.
pub fn gloss(data: &BoardData, input: &str) -> Option<String> {
    let note = data
        .assumptions
        .iter()
        .find(|a| a.input == input)
        .map(|a| a.note.trim())?;
    let end = [". ", " (", "; "]
        .iter()
        .filter_map(|p| note.find(p))
        .min()
        .unwrap_or(note.len());
    let first = note[..end].trim().trim_end_matches(['.', ',', ':']).trim();
    if first.is_empty() || first.chars().count() > 110 {
        return None;
    }
    let mut chars = first.chars();
    let head = chars.next()?;
    let second = chars.clone().next();
    // Keep acronyms (`RAND`) and names; lower-case an ordinary first word.
    let lower = head.is_uppercase() && second.is_some_and(|c| c.is_lowercase());
    Some(if lower {
        head.to_lowercase().chain(chars).collect()
    } else {
        first.to_string()
    })
}

/// An input in plain words (its label; see [`crate::scenario::labels`]):
/// board text names no dotted paths.
pub fn input_label(_data: &BoardData, input: &str) -> String {
    crate::scenario::labels::describe(input)
}

/// The executive summary of `data`, most important first: the
/// recommendation (its name is in the first finding's headline), the gain
/// over the baseline, the downside, the patients, what could change it, the
/// break-even, the runner-up and the escalation timing. Findings without
/// data (no runner-up with a single strategy, no timing when no strategy
/// escalates) are left out.
pub fn executive_summary(data: &BoardData) -> Vec<Finding> {
    let mut out = vec![recommendation(data)];
    out.push(gain(data));
    out.push(downside(data));
    out.push(patient_access(data));
    if let Some(t) = &data.tornado {
        out.push(sensitivity(data, t));
    }
    if let Some(t) = &data.threshold {
        out.push(break_even(data, t));
    }
    if let (Some(r), Some(c)) = (&data.runner_up, &data.versus_runner_up) {
        out.push(runner_up(data, r, c));
    }
    if let Some(t) = timing(data) {
        out.push(t);
    }
    out
}

fn recommendation(data: &BoardData) -> Finding {
    let rec = quoted(&data.recommended);
    let n = data.run.strategies.len();
    let s = strategy(data, &data.recommended);
    let decision = &data.run.decision;
    let what = match decision.objective {
        crate::scenario::Objective::Margin => "contribution margin",
        crate::scenario::Objective::Revenue => "revenue",
    };
    let valued = if decision.risk_tolerance.is_finite() {
        format!("risk-adjusted {what}")
    } else {
        format!("expected {what}")
    };
    let value = |s: &StrategyReport| s.decision_value;
    let rule = &data.run.recommendation;
    let headline = if n == 1 {
        format!(
            "{rec} is the only strategy in the scenario: {valued} {}.",
            money(s.map_or(f64::NAN, value))
        )
    } else if rule.clear {
        format!(
            "Recommended: {rec}, the best {valued} of the {n} strategies ({}).",
            money(s.map_or(f64::NAN, value))
        )
    } else {
        match &rule.runner_up {
            Some(r) => format!(
                "No clear winner of the {n} strategies: {rec} ({}) or {} ({}).",
                money(s.map_or(f64::NAN, value)),
                quoted(r),
                money(strategy(data, r).map_or(f64::NAN, value))
            ),
            None => format!("No strategy of the {n} meets the board's limits."),
        }
    };
    let mut detail = String::new();
    if let Some(d) = s.map(|s| s.description.trim()).filter(|d| !d.is_empty()) {
        detail += d;
        if !d.ends_with('.') {
            detail.push('.');
        }
        detail.push(' ');
    }
    detail += &rule.reason;
    detail.push(' ');
    detail += &format!(
        "Values are net present {what} from this payer over the {} weeks after expiry, over {} simulated worlds",
        data.run.horizon_weeks,
        count(data.run.paths as f64)
    );
    let others: Vec<String> = data
        .ranking
        .iter()
        .filter(|name| **name != data.recommended)
        .filter_map(|name| strategy(data, name))
        .map(|s| format!("{} {}", quoted(&s.name), money(value(s))))
        .collect();
    if others.is_empty() {
        detail.push('.');
    } else {
        detail += &format!(". The others, in order: {}.", others.join(", "));
    }
    Finding {
        topic: Topic::Recommendation,
        headline,
        detail,
    }
}

/// The revenue metric of a comparison.
fn revenue_metric(c: &CompareReport) -> Option<&crate::analysis::compare::MetricComparison> {
    c.metrics.iter().find(|m| m.metric == "revenue")
}

fn gain(data: &BoardData) -> Finding {
    let rec = quoted(&data.recommended);
    let base = quoted(&data.baseline);
    let Some(c) = data
        .versus_baseline
        .as_ref()
        .filter(|_| data.recommended != data.baseline)
    else {
        let others = data.run.strategies.len().saturating_sub(1);
        let detail = if others == 0 {
            "There is no other strategy to compare it with.".to_string()
        } else {
            format!(
                "None of the other {others} strategies earns more on average than simply {} {base}; the table below compares each of them with it.",
                if data.baseline == "wait" {
                    "carrying on with"
                } else {
                    "keeping"
                }
            )
        };
        return Finding {
            topic: Topic::Gain,
            headline: format!(
                "{rec} is the baseline itself: no strategy beats it on expected revenue."
            ),
            detail,
        };
    };
    let Some(m) = revenue_metric(c) else {
        return Finding {
            topic: Topic::Gain,
            headline: format!("{rec} against {base}: no revenue comparison was recorded."),
            detail: String::new(),
        };
    };
    let d = money_decimals(m.diff_mean);
    let range = if m.diff_p5.is_finite() {
        format!(
            "from world to world {} to {}, 5th to 95th percentile",
            money(m.diff_p5),
            money(m.diff_p95)
        )
    } else {
        "range not recorded".to_string()
    };
    let headline = format!(
        "Expected gain in revenue over {base}: {} ({range}); {rec} does better in {} of simulated worlds.",
        money_with(m.diff_mean, d),
        percent(c.p_a_better)
    );
    let ties = (1.0 - c.p_a_better - c.p_b_better).max(0.0);
    let mut detail = format!(
        "Both strategies were played on the same {} worlds, so the difference is the effect of the strategy, not luck: {rec} earns more in {}, less in {}",
        count(c.paths as f64),
        percent(c.p_a_better),
        percent(c.p_b_better)
    );
    if ties >= 0.0005 {
        detail += &format!(" and the same in {}", percent(ties));
    }
    detail.push('.');
    if m.loss_if_worse.is_finite() && c.p_b_better > 0.0 {
        detail += &format!(
            " Where it does worse, it gives up {} on average.",
            money(m.loss_if_worse)
        );
    }
    detail += &format!(
        " The average itself is known to within {} to {} (95 % Monte Carlo interval: the precision of the estimate, not the range of outcomes).",
        money_with(m.diff_ci95.0, d),
        money_with(m.diff_ci95.1, d)
    );
    if m.diff_ci95.0 <= 0.0 && m.diff_ci95.1 >= 0.0 {
        detail +=
            " That interval includes zero: at this number of worlds the gain is not established.";
    }
    if let Some(margin) = c.metrics.iter().find(|m| m.metric == "margin") {
        detail += &format!(
            " The gain in contribution margin is {}.",
            money(margin.diff_mean)
        );
    }
    Finding {
        topic: Topic::Gain,
        headline,
        detail,
    }
}

fn downside(data: &BoardData) -> Finding {
    let rec = quoted(&data.recommended);
    let Some(s) = strategy(data, &data.recommended) else {
        return Finding {
            topic: Topic::Downside,
            headline: format!("No downside was recorded for {rec}."),
            detail: String::new(),
        };
    };
    let gloss = "the average of the worst 5% of outcomes (CVaR5)";
    let base = strategy(data, &data.baseline).filter(|_| data.recommended != data.baseline);
    let cvar = s.revenue.cvar5;
    let d = money_decimals(cvar);
    let (headline, mut detail) = match base {
        Some(b) => {
            let diff = cvar - b.revenue.cvar5;
            let (word, verb) = if diff < 0.0 {
                ("below", "a worse downside than")
            } else {
                ("above", "a better downside than")
            };
            (
                format!(
                    "Downside: in the worst 5% of worlds {rec} averages {}, {} {word} the {} of {}: {verb} the baseline.",
                    money_with(cvar, d),
                    money(diff.abs()),
                    money_with(b.revenue.cvar5, d),
                    quoted(&b.name),
                ),
                format!(
                    "This is {gloss}. One world in twenty is worse than {} for {rec} (its 5th percentile), against {} for {}.",
                    money_with(s.revenue.p5, d),
                    money_with(b.revenue.p5, d),
                    quoted(&b.name),
                ),
            )
        }
        None => (
            format!(
                "Downside: in the worst 5% of worlds {rec} averages {}.",
                money_with(cvar, d)
            ),
            format!(
                "This is {gloss}. One world in twenty is worse than {} (its 5th percentile).",
                money_with(s.revenue.p5, d)
            ),
        ),
    };
    let safest = data
        .run
        .strategies
        .iter()
        .filter(|x| x.revenue.cvar5.is_finite())
        .max_by(|a, b| a.revenue.cvar5.total_cmp(&b.revenue.cvar5));
    if let Some(x) = safest.filter(|x| x.name != s.name && x.revenue.cvar5 > cvar) {
        detail += &format!(
            " The strategy with the best downside is {}, at {} (expected revenue {}).",
            quoted(&x.name),
            money_with(x.revenue.cvar5, d),
            money(x.revenue.mean)
        );
    }
    Finding {
        topic: Topic::Downside,
        headline,
        detail,
    }
}

fn patient_access(data: &BoardData) -> Finding {
    let rec = quoted(&data.recommended);
    let Some(s) = strategy(data, &data.recommended) else {
        return Finding {
            topic: Topic::PatientAccess,
            headline: format!("No out-of-network figures were recorded for {rec}."),
            detail: String::new(),
        };
    };
    let others_oon: Vec<String> = data
        .ranking
        .iter()
        .filter(|n| **n != s.name)
        .filter_map(|n| strategy(data, n))
        .filter(|x| x.p_out_of_network > 0.0)
        .map(|x| format!("{} ({})", quoted(&x.name), percent(x.p_out_of_network)))
        .collect();
    if s.p_out_of_network <= 0.0 {
        let detail = if others_oon.is_empty() {
            "No strategy in the scenario goes out of network in any simulated world.".to_string()
        } else {
            format!(
                "Strategies that do risk it: {}. A world out of network costs patients in-network access for weeks and moves some of them to other providers for good.",
                others_oon.join(", ")
            )
        };
        return Finding {
            topic: Topic::PatientAccess,
            headline: format!(
                "{rec} never goes out of network in the simulated worlds: no patient loses in-network access."
            ),
            detail,
        };
    }
    let p = s.p_out_of_network;
    let pw = s.patient_weeks_out_of_network.mean;
    let headline = format!(
        "Out of network in {} of worlds: on average {} patient-weeks without in-network access and {} patients who switch provider for good.",
        percent(p),
        count(pw),
        count(s.patients_switched.mean)
    );
    let mut detail = format!(
        "A patient-week is one of the provider's patients without in-network access for one week, net of continuity-of-care protection; the figures are averages over all worlds. When {rec} does go out of network it lasts {} weeks on average and costs about {} patient-weeks.",
        value(s.oon_weeks_if_oon.mean),
        count(round_significant(pw / p, 3))
    );
    if data.recommended != data.baseline
        && let Some(b) = strategy(data, &data.baseline)
    {
        detail += &if b.p_out_of_network > 0.0 {
            format!(
                " The baseline {} goes out of network in {} of worlds.",
                quoted(&b.name),
                percent(b.p_out_of_network)
            )
        } else {
            format!(" The baseline {} never does.", quoted(&b.name))
        };
    }
    let never: Vec<String> = data
        .ranking
        .iter()
        .filter_map(|n| strategy(data, n))
        .filter(|x| x.p_out_of_network <= 0.0 && x.name != data.baseline)
        .map(|x| quoted(&x.name))
        .collect();
    if !never.is_empty() {
        detail += &format!(
            " Strategies that never go out of network: {}.",
            never.join(", ")
        );
    }
    Finding {
        topic: Topic::PatientAccess,
        headline,
        detail,
    }
}

/// How an end of a tornado bar was chosen, in words.
fn end_words(t: &TornadoReport, b: &Bar, high: bool) -> String {
    let clamped = if high { b.high_clamped } else { b.low_clamped };
    let mut s = match b.kind {
        InputKind::Uncertain => {
            let q = if high {
                t.high_quantile
            } else {
                t.low_quantile
            };
            format!("its {} percentile", ordinal((q * 100.0).round() as i64))
        }
        InputKind::Fixed => {
            let pct = (t.fixed_swing * 100.0).round();
            if high {
                format!("+{pct}%")
            } else {
                format!("\u{2212}{pct}%")
            }
        }
    };
    if clamped {
        s += ", the end of its allowed range";
    }
    s
}

/// 1st, 2nd, 3rd, 10th, 90th, …
fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Which strategy leads, and by how much, when the difference A − B is `diff`.
fn lead(a: &str, b: &str, diff: f64) -> String {
    if diff > 0.0 {
        format!("{} leads by {}", quoted(a), money(diff))
    } else if diff < 0.0 {
        format!("{} would earn {} more", quoted(b), money(-diff))
    } else {
        "the two tie".into()
    }
}

fn sensitivity(data: &BoardData, t: &TornadoReport) -> Finding {
    let (a, b) = match t.strategies.as_slice() {
        [a, b, ..] => (a.as_str(), b.as_str()),
        _ => (data.recommended.as_str(), ""),
    };
    let varied = t.bars.len();
    let flipping: Vec<&Bar> = t.bars.iter().filter(|x| x.flips == Some(true)).collect();
    let sentence = |x: &Bar| {
        format!(
            "with {} at {} ({}), {}; at {} ({}), {}",
            crate::scenario::labels::describe(&x.input),
            crate::scenario::labels::format_value(&x.input, x.low),
            end_words(t, x, false),
            lead(a, b, x.metric_low),
            crate::scenario::labels::format_value(&x.input, x.high),
            end_words(t, x, true),
            lead(a, b, x.metric_high)
        )
    };
    if !flipping.is_empty() {
        let names: Vec<String> = flipping
            .iter()
            .take(3)
            .map(|x| input_label(data, &x.input))
            .collect();
        let headline = if flipping.len() == 1 {
            format!(
                "What could change the recommendation: {}. It is the one input, of {varied} varied, that can flip the choice between {} and {}.",
                names[0],
                quoted(a),
                quoted(b)
            )
        } else {
            format!(
                "What could change the recommendation: {} of the {varied} inputs varied can flip the choice between {} and {}: {}{}.",
                flipping.len(),
                quoted(a),
                quoted(b),
                names.join("; "),
                if flipping.len() > 3 { "; …" } else { "" }
            )
        };
        let mut parts: Vec<String> = Vec::new();
        for x in flipping.iter().take(3) {
            let mut s = sentence(x);
            if x.flip_significant == Some(false) {
                s += " (a flip within Monte Carlo noise)";
            }
            parts.push(s);
        }
        let mut detail = String::new();
        for p in parts {
            let mut c = p.chars();
            if let Some(first) = c.next() {
                detail += &first.to_uppercase().chain(c).collect::<String>();
                detail += ". ";
            }
        }
        detail += &format!(
            "Each input is moved on its own, the others as written; as written, {}.",
            lead(a, b, t.base)
        );
        return Finding {
            topic: Topic::Sensitivity,
            headline,
            detail,
        };
    }
    let leader = if t.base >= 0.0 { a } else { b };
    let other = if t.base >= 0.0 { b } else { a };
    let headline = format!(
        "No single uncertainty flips the recommendation: {} stays ahead of {} across all {varied} inputs varied.",
        quoted(leader),
        quoted(other)
    );
    let top: Vec<String> = t
        .bars
        .iter()
        .filter(|x| x.swing > 0.0)
        .take(3)
        .map(|x| {
            format!(
                "{} (its lead ranges from {} to {})",
                input_label(data, &x.input),
                money(x.metric_low.min(x.metric_high).abs()),
                money(x.metric_low.max(x.metric_high).abs())
            )
        })
        .collect();
    let detail = if top.is_empty() {
        "No input moves the difference between them.".to_string()
    } else {
        format!(
            "The largest swings come from {}. The recommendation holds across each of them.",
            top.join("; ")
        )
    };
    Finding {
        topic: Topic::Sensitivity,
        headline,
        detail,
    }
}

fn break_even(data: &BoardData, t: &ThresholdReport) -> Finding {
    let (a, b) = (quoted(&t.a), quoted(&t.b));
    let label = input_label(data, &t.param);
    let source = match t.range_source.strip_prefix("the support of ") {
        Some(d) => format!("the full range of {d}"),
        None => t.range_source.clone(),
    };
    let range = format!("{} to {} ({source})", value(t.range.0), value(t.range.1));
    match (t.finding, t.crossing) {
        (Crossing::Crosses, Some(x)) => {
            let above = t.a_better_above.unwrap_or(true);
            let (above_name, below_name) = if above { (&a, &b) } else { (&b, &a) };
            let d = value_decimals(x);
            let interval = match t.interval {
                Some((lo, hi)) => format!(
                    " (95% interval {}{} to {}{})",
                    value_with(lo, d),
                    if t.interval_open_low {
                        ", the bottom of the range searched,"
                    } else {
                        ""
                    },
                    value_with(hi, d),
                    if t.interval_open_high {
                        ", the top of the range searched"
                    } else {
                        ""
                    }
                ),
                None => String::new(),
            };
            let headline = format!(
                "Break-even: {above_name} earns more than {below_name} when {} is above {}{interval}; below it, {below_name} earns more.",
                t.param,
                value_with(x, d)
            );
            let mut detail = format!("The input that moves the choice most is {label}. ");
            match Dist::parse(&t.as_written) {
                Ok(d) if !d.is_fixed() => {
                    let p_below = d.cdf(x);
                    detail += &format!(
                        "The scenario's view of it, {}, puts a {} chance on a value below the break-even, where {below_name} is the better choice.",
                        t.as_written,
                        percent(p_below)
                    );
                }
                Ok(d) => {
                    let v = d.mean();
                    let side = if v > x { "above" } else { "below" };
                    detail += &format!(
                        "The scenario sets it at {}, {side} the break-even.",
                        value(v)
                    );
                }
                Err(_) => {
                    detail += &format!("As written: {}.", t.as_written);
                }
            }
            if !t.ties.is_empty() {
                detail += &format!(
                    " {a} and {b} tie {}: the same {} in every world, so neither earns more there.",
                    tie_places(t, &t.ties),
                    t.metric
                );
            }
            detail += &format!(" Range searched: {range}.");
            Finding {
                topic: Topic::BreakEven,
                headline,
                detail,
            }
        }
        (Crossing::NoDifference, _) => Finding {
            topic: Topic::BreakEven,
            headline: format!(
                "No break-even: {a} and {b} tie at both ends of the range of {}, earning the same in every world.",
                t.param
            ),
            detail: format!(
                "{label} was searched from {range}; at both ends the two give the same {} on every simulated world, to rounding.",
                t.metric
            ),
        },
        _ if !t.ties.is_empty() => {
            // A tie inside the range that the two change sides across, or a
            // tie at an end of it.
            let inside = t
                .ties
                .iter()
                .find(|x| x.low > t.range.0 && x.high < t.range.1);
            let headline = match (t.a_better_above, inside) {
                (Some(above), Some(tie)) => {
                    let (above_name, below_name) = if above { (&a, &b) } else { (&b, &a) };
                    format!(
                        "No break-even: {below_name} earns more when {} is below {} and {above_name} when it is above {}; in between they tie, earning the same in every world.",
                        t.param,
                        value(tie.low),
                        value(tie.high)
                    )
                }
                _ => {
                    let elsewhere = t
                        .better_throughout
                        .as_deref()
                        .map_or_else(String::new, |w| {
                            format!("; elsewhere {} earns more", quoted(w))
                        });
                    format!(
                        "No break-even: {a} and {b} tie {}, earning the same in every world{elsewhere}.",
                        tie_places(t, &t.ties)
                    )
                }
            };
            Finding {
                topic: Topic::BreakEven,
                headline,
                detail: format!(
                    "{label} is the input that moves the choice most. Over the range searched, {range}, the difference {a} minus {b} is {} at the low end and {} at the high end; where they tie it is rounding noise, not a crossing.",
                    money(t.at_low.diff_mean),
                    money(t.at_high.diff_mean)
                ),
            }
        }
        _ => {
            let better = t
                .better_throughout
                .as_deref()
                .map_or_else(|| a.clone(), quoted);
            Finding {
                topic: Topic::BreakEven,
                headline: format!(
                    "No break-even in range: {better} earns more whatever the value of {} between {} and {}.",
                    t.param,
                    value(t.range.0),
                    value(t.range.1)
                ),
                detail: format!(
                    "{label} is the input that moves the choice most, yet the two strategies do not cross over the range searched, {range}: the difference {a} minus {b} is {} at the low end and {} at the high end.",
                    money(t.at_low.diff_mean),
                    money(t.at_high.diff_mean)
                ),
            }
        }
    }
}

/// Where a threshold search found the two strategies tying, in words: "for X
/// up to 0.01", "for X from 0.01 up", "for X from 0.01 to 0.02", "at X = 0",
/// joined by "and".
fn tie_places(t: &ThresholdReport, ties: &[Tie]) -> String {
    let (lo, hi) = t.range;
    let p = &t.param;
    ties.iter()
        .map(|x| {
            if x.high - x.low <= 1e-4 * (hi - lo) {
                format!("at {p} = {}", value(x.low))
            } else if x.low == lo {
                format!("for {p} up to {}", value(x.high))
            } else if x.high == hi {
                format!("for {p} from {} up", value(x.low))
            } else {
                format!("for {p} from {} to {}", value(x.low), value(x.high))
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn runner_up(data: &BoardData, r: &str, c: &CompareReport) -> Finding {
    let rec = quoted(&data.recommended);
    let ru = quoted(r);
    let Some(m) = revenue_metric(c) else {
        return Finding {
            topic: Topic::RunnerUp,
            headline: format!("Runner-up: {ru}."),
            detail: String::new(),
        };
    };
    let d = money_decimals(m.diff_mean);
    let interval = format!(
        "95% interval {} to {}",
        money_with(m.diff_ci95.0, d),
        money_with(m.diff_ci95.1, d)
    );
    let clear = m.diff_ci95.0 > 0.0;
    let headline = if clear {
        format!(
            "The runner-up, {ru}, is {} behind ({interval}): {rec} earns more in {} of worlds.",
            money_with(m.diff_mean, d),
            percent(c.p_a_better)
        )
    } else if m.diff_ci95.1 >= 0.0 {
        format!(
            "The runner-up, {ru}, is too close to call: {rec} is ahead by {} on average, but the {interval} includes zero.",
            money_with(m.diff_mean, d)
        )
    } else {
        format!(
            "The runner-up, {ru}, came out ahead on the smaller comparison run, by {} ({interval}): the two are too close to separate reliably.",
            money_with(-m.diff_mean, d)
        )
    };
    let mut detail = format!(
        "Compared on the same {} worlds: {rec} earns more in {} and {ru} in {}. Choosing {ru} would give up {} on average against {rec}; choosing {rec} gives up {} against {ru} (the expected regret of each choice).",
        count(c.paths as f64),
        percent(c.p_a_better),
        percent(c.p_b_better),
        money(c.regret_b),
        money(c.regret_a)
    );
    let access = |name: &str| strategy(data, name).map(|s| s.p_out_of_network);
    if let (Some(pa), Some(pb)) = (access(&data.recommended), access(r))
        && pa > pb
    {
        let pw =
            |name: &str| strategy(data, name).map_or(0.0, |s| s.patient_weeks_out_of_network.mean);
        detail += &format!(
            " The trade-off: {ru} goes out of network in {} of worlds against {} for {rec}, and spares patients {} patient-weeks without in-network access on average.",
            percent(pb),
            percent(pa),
            count(pw(&data.recommended) - pw(r))
        );
    }
    Finding {
        topic: Topic::RunnerUp,
        headline,
        detail,
    }
}

fn timing(data: &BoardData) -> Option<Finding> {
    let t = data.timing.as_ref()?;
    let best = t.weeks.iter().find(|w| w.is_best)?;
    let name = quoted(&t.strategy);
    let headline = format!(
        "Best time for {name} to escalate: {}, with expected revenue {}.",
        week(t.best_week),
        money(best.revenue_mean)
    );
    let mut detail = String::new();
    if t.strategy != data.recommended {
        detail += &format!(
            "{} does not escalate, so this is the best-ranked strategy that does. ",
            quoted(&data.recommended)
        );
    }
    let weeks_words = |weeks: &[String]| {
        format!(
            "week{} {}",
            if weeks.len() > 1 { "s" } else { "" },
            weeks.join(", ")
        )
    };
    // Weeks that tie with the best (the same revenue in every world) are
    // named apart from those only statistically as good.
    let tied: Vec<String> = t.tied_weeks.iter().map(|w| value(f64::from(*w))).collect();
    let twins: Vec<String> = t
        .indistinguishable_weeks
        .iter()
        .filter(|w| !t.tied_weeks.contains(w))
        .map(|w| value(f64::from(*w)))
        .collect();
    if !tied.is_empty() {
        detail += &format!(
            "Identical results, the same revenue in every world (a tie): {}. ",
            weeks_words(&tied)
        );
    }
    if !twins.is_empty() {
        detail += &format!("Statistically as good: {}. ", weeks_words(&twins));
    } else if tied.is_empty() {
        detail += "No other week tried comes statistically close. ";
    }
    let o = &t.on_impasse;
    let dd = money_decimals(o.diff_vs_best_mean);
    let (lo, hi) = o.diff_vs_best_ci95;
    // The interval of the amount more or less, in the sentence's direction.
    let (word, a, b) = if o.diff_vs_best_mean <= 0.0 {
        ("less", -hi, -lo)
    } else {
        ("more", lo, hi)
    };
    if o.ties_best {
        detail += "Escalating as soon as staff talks stall instead earns the same in every world (a tie). ";
    } else {
        detail += &format!(
            "Escalating as soon as staff talks stall instead earns {} {word} on average (95% interval {} to {}). ",
            money_with(o.diff_vs_best_mean.abs(), dd),
            money_with(a, dd),
            money_with(b, dd),
        );
    }
    detail += &format!(
        "Weeks {} to {} were tried, every {} week{}, on the same {} worlds.",
        value(f64::from(t.from)),
        value(f64::from(t.weeks.last().map_or(t.to, |w| w.week))),
        t.step,
        if t.step == 1 { "" } else { "s" },
        count(t.paths as f64)
    );
    Some(Finding {
        topic: Topic::Timing,
        headline,
        detail,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::analysis::Budget;
    use crate::analysis::board::{BoardBudget, gather};
    use crate::scenario::{DEFAULT_SCENARIO_TOML, Scenario};

    fn board() -> &'static BoardData {
        static DATA: OnceLock<BoardData> = OnceLock::new();
        DATA.get_or_init(|| {
            gather(
                &Scenario::builtin(),
                DEFAULT_SCENARIO_TOML,
                "impasse report",
                &BoardBudget {
                    run: Budget {
                        paths: 2000,
                        seed: 3,
                        threads: Some(2),
                    },
                    analysis_paths: 600,
                },
                &|_| {},
            )
            .expect("the built-in scenario gathers")
        })
    }

    fn find(findings: &[Finding], topic: Topic) -> &Finding {
        findings
            .iter()
            .find(|f| f.topic == topic)
            .unwrap_or_else(|| panic!("no {topic:?} finding in {findings:#?}"))
    }

    #[test]
    fn formats() {
        assert_eq!(money(230_483_814.0), "$230.5M");
        assert_eq!(money(1_416_700_000.0), "$1.42B");
        assert_eq!(money(-2_000_000_000.0), "\u{2212}$2.00B");
        assert_eq!(money(4_045_406.0), "$4.05M");
        assert_eq!(money(-692_038.0), "\u{2212}$0.69M");
        assert_eq!(money(-1_000.0), "$0.00M");
        assert_eq!(money(f64::NAN), "n/a");
        assert_eq!(percent(0.0363), "3.6%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0004), "under 0.1%");
        assert_eq!(percent(0.9996), "over 99.9%");
        assert_eq!(count(11_834.86), "11,835");
        assert_eq!(value(0.023325), "0.0233");
        assert_eq!(value(12.8), "12.8");
        assert_eq!(value(0.55), "0.55");
        assert_eq!(value(1_555_051.2), "1,555,051");
        assert_eq!(value(-20.0), "\u{2212}20");
        assert_eq!(week(-20), "week \u{2212}20 (20 weeks before expiry)");
        assert_eq!(round_significant(325_730.4, 3), 326_000.0);
        assert_eq!(value_with(0.026001, value_decimals(0.026001)), "0.0260");
        assert_eq!(value_with(0.02362, value_decimals(0.026001)), "0.0236");
        assert_eq!(ordinal(10), "10th");
        assert_eq!(ordinal(91), "91st");
        assert_eq!(ordinal(12), "12th");
    }

    #[test]
    fn gloss_is_the_first_sentence_of_the_note() {
        let g = gloss(board(), "payer.reservation").unwrap();
        assert_eq!(
            g,
            "the highest yearly uplift the payer's negotiating staff can grant"
        );
        assert_eq!(gloss(board(), "no.such.input"), None);
    }

    #[test]
    fn the_recommendation_comes_first_and_names_the_strategy() {
        let data = board();
        let f = executive_summary(data);
        assert_eq!(f[0].topic, Topic::Recommendation);
        assert!(f[0].headline.contains(&data.recommended), "{:?}", f[0]);
        let s = strategy(data, &data.recommended).unwrap();
        assert!(f[0].headline.contains(&money(s.decision_value)));
        assert!(
            f[0].headline
                .contains(&format!("of the {} strategies", data.run.strategies.len()))
        );
        assert!(f[0].detail.contains(&data.run.recommendation.reason));
        // Every other strategy is listed with its value, in rank order.
        let mut at = 0;
        for name in data.ranking.iter().filter(|n| **n != data.recommended) {
            let s = strategy(data, name).unwrap();
            let needle = format!("{} {}", quoted(name), money(s.decision_value));
            let pos = f[0].detail[at..]
                .find(&needle)
                .unwrap_or_else(|| panic!("{needle} after {at} in {}", f[0].detail));
            at += pos;
        }
    }

    #[test]
    fn the_gain_matches_the_comparison_with_the_baseline() {
        let data = board();
        assert_ne!(data.recommended, data.baseline);
        let f = executive_summary(data);
        let g = find(&f, Topic::Gain);
        let c = data.versus_baseline.as_ref().unwrap();
        let m = revenue_metric(c).unwrap();
        let d = money_decimals(m.diff_mean);
        // The headline gives the range of outcomes; the precision of the
        // mean is in the detail, named as such.
        for needle in [
            money_with(m.diff_mean, d),
            money(m.diff_p5),
            money(m.diff_p95),
            percent(c.p_a_better),
            quoted(&data.baseline),
        ] {
            assert!(g.headline.contains(&needle), "{needle} in {}", g.headline);
        }
        assert!(!g.headline.contains("interval"), "{}", g.headline);
        assert!(g.detail.contains(&money_with(m.diff_ci95.0, d)));
        assert!(g.detail.contains("precision of the estimate"));
        assert!(g.detail.contains(&percent(c.p_b_better)));
        assert!(g.detail.contains(&count(c.paths as f64)));
    }

    #[test]
    fn the_downside_compares_cvar_with_the_baseline() {
        let data = board();
        let f = executive_summary(data);
        let d = find(&f, Topic::Downside);
        let r = strategy(data, &data.recommended).unwrap();
        let b = strategy(data, &data.baseline).unwrap();
        let dec = money_decimals(r.revenue.cvar5);
        assert!(d.headline.contains(&money_with(r.revenue.cvar5, dec)));
        assert!(d.headline.contains(&money_with(b.revenue.cvar5, dec)));
        assert!(
            d.headline
                .contains(&money((r.revenue.cvar5 - b.revenue.cvar5).abs()))
        );
        let word = if r.revenue.cvar5 < b.revenue.cvar5 {
            "below"
        } else {
            "above"
        };
        assert!(d.headline.contains(word));
        assert!(d.detail.contains("average of the worst 5% of outcomes"));
    }

    #[test]
    fn patient_access_gives_the_oon_probability_and_the_patients() {
        // A recommendation that risks going out of network gives the odds and
        // the patients.
        let mut data = board().clone();
        let rec = data.recommended.clone();
        for s in &mut data.run.strategies {
            if s.name == rec {
                s.p_out_of_network = 0.125;
                s.patient_weeks_out_of_network.mean = 21_000.0;
                s.patients_switched.mean = 340.0;
            }
        }
        let data = &data;
        let f = executive_summary(data);
        let p = find(&f, Topic::PatientAccess);
        let r = strategy(data, &data.recommended).unwrap();
        assert!(p.headline.contains(&percent(r.p_out_of_network)));
        assert!(
            p.headline
                .contains(&count(r.patient_weeks_out_of_network.mean))
        );
        assert!(p.headline.contains(&count(r.patients_switched.mean)));

        // A recommendation that never goes out of network says so.
        let mut never = board().clone();
        let rec = never.recommended.clone();
        for s in &mut never.run.strategies {
            if s.name == rec {
                s.p_out_of_network = 0.0;
                s.patient_weeks_out_of_network.mean = 0.0;
                s.patients_switched.mean = 0.0;
            }
        }
        let f = executive_summary(&never);
        let p = find(&f, Topic::PatientAccess);
        assert!(p.headline.contains("never goes out of network"), "{p:?}");
    }

    #[test]
    fn sensitivity_names_the_inputs_that_flip_or_says_it_holds() {
        let data = board();
        let t = data.tornado.as_ref().unwrap();
        let f = executive_summary(data);
        let s = find(&f, Topic::Sensitivity);
        let flipping = t.flipping();
        if let Some(first) = flipping.first() {
            let name = crate::scenario::labels::describe(first);
            assert!(s.headline.contains(&name), "{s:?}");
            let bar = t.bars.iter().find(|b| b.input == *first).unwrap();
            let fmt = |x| crate::scenario::labels::format_value(&bar.input, x);
            assert!(s.detail.contains(&fmt(bar.low)), "{}", s.detail);
            assert!(s.detail.contains(&fmt(bar.high)), "{}", s.detail);
        }
        // With no flipping input, it says the recommendation holds and names
        // the largest swing.
        let mut calm = data.clone();
        let t = calm.tornado.as_mut().unwrap();
        for b in &mut t.bars {
            b.flips = Some(false);
            b.metric_low = b.metric_low.abs() + 1.0;
            b.metric_high = b.metric_high.abs() + 1.0;
        }
        t.base = t.base.abs();
        let top = t.bars[0].input.clone();
        let f = executive_summary(&calm);
        let s = find(&f, Topic::Sensitivity);
        assert!(s.headline.contains("No single uncertainty flips"), "{s:?}");
        assert!(s.headline.contains(&calm.recommended));
        assert!(
            s.detail.contains(&crate::scenario::labels::describe(&top)),
            "{s:?}"
        );
        assert!(s.detail.contains("holds"));
    }

    #[test]
    fn break_even_reports_the_crossing_and_its_interval() {
        let data = board();
        let t = data.threshold.as_ref().unwrap();
        let f = executive_summary(data);
        let b = find(&f, Topic::BreakEven);
        assert!(b.headline.contains(&t.param));
        match t.crossing {
            Some(x) => {
                let d = value_decimals(x);
                assert!(b.headline.contains(&value_with(x, d)), "{b:?}");
                let (lo, hi) = t.interval.unwrap();
                assert!(b.headline.contains(&value_with(lo, d)));
                assert!(b.headline.contains(&value_with(hi, d)));
            }
            None => assert!(b.headline.contains("No break-even")),
        }
        // Without a crossing it says so and names the better strategy.
        let mut none = data.clone();
        let t = none.threshold.as_mut().unwrap();
        t.finding = Crossing::NoCrossing;
        t.crossing = None;
        t.interval = None;
        t.better_throughout = Some(t.a.clone());
        let f = executive_summary(&none);
        let b = find(&f, Topic::BreakEven);
        assert!(b.headline.starts_with("No break-even in range"), "{b:?}");
        assert!(b.headline.contains(&none.recommended));
    }

    #[test]
    fn the_runner_up_gap_matches_the_comparison() {
        let data = board();
        let f = executive_summary(data);
        let r = find(&f, Topic::RunnerUp);
        let c = data.versus_runner_up.as_ref().unwrap();
        let m = revenue_metric(c).unwrap();
        assert!(r.headline.contains(data.runner_up.as_deref().unwrap()));
        assert!(
            r.headline
                .contains(&money_with(m.diff_mean.abs(), money_decimals(m.diff_mean)))
        );
        assert!(r.detail.contains(&money(c.regret_b)));
        assert!(r.detail.contains(&money(c.regret_a)));
    }

    #[test]
    fn the_baseline_as_recommendation_says_so() {
        let mut data = board().clone();
        data.recommended = data.baseline.clone();
        data.versus_baseline = None;
        let f = executive_summary(&data);
        assert!(f[0].headline.contains(&data.baseline));
        let g = find(&f, Topic::Gain);
        assert!(g.headline.contains("is the baseline itself"), "{g:?}");
        let d = find(&f, Topic::Downside);
        assert!(!d.headline.contains("baseline"));
    }

    #[test]
    fn a_single_strategy_has_no_runner_up_tornado_or_break_even() {
        let mut data = board().clone();
        let keep = data.recommended.clone();
        data.run.strategies.retain(|s| s.name == keep);
        data.ranking = vec![keep.clone()];
        data.baseline = keep;
        data.runner_up = None;
        data.versus_baseline = None;
        data.versus_runner_up = None;
        data.tornado = None;
        data.threshold = None;
        let f = executive_summary(&data);
        assert!(f[0].headline.contains("only strategy"), "{:?}", f[0]);
        for t in [Topic::Sensitivity, Topic::BreakEven, Topic::RunnerUp] {
            assert!(f.iter().all(|x| x.topic != t), "{t:?}");
        }
    }
}
