//! Charts about time: expected revenue by escalation week, and when deals close.

use super::axis::{Unit, fixed, format_value, money_decimals, nice_ticks, week_ticks};
use super::svg::Marker;
use super::svg::{
    BBox, BLUE, Font, Frame, HEIGHT, INK, LegendItem, PLOT_BOTTOM, SKY, Svg, Swatch, VERMILLION,
    WIDTH, YELLOW, extent, legend, no_data, series_legend, series_style, title_or,
};

/// The escalation-timing axis spans at least this share of the best week's
/// expected revenue.
const MIN_SPAN: f64 = 0.02;

/// Outline of the "indistinguishable from the best" strip.
const TWIN_STROKE: &str = "#6b6400";

/// Expected revenue when the move is made in one week, for [`escalation_timing`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimingPoint {
    /// Week of the move, relative to expiry (negative: before).
    pub week: i32,
    /// Expected net present revenue, dollars.
    pub mean: f64,
    /// Its 95 % interval, dollars.
    pub ci95: (f64, f64),
    /// Whether this week is statistically indistinguishable from the best
    /// (highlighted when true; leave false to highlight nothing).
    pub indistinguishable: bool,
}

/// Expected revenue against the week of an escalation (or a notice).
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationTiming {
    /// The move timed, as a noun for the axis title: `escalation` or `notice`.
    pub decision: String,
    /// One point per week tried, in any order.
    pub points: Vec<TimingPoint>,
    /// Expected revenue, dollars, of the same strategy making the move when
    /// talks reach an impasse (`on_impasse`), drawn as a horizontal
    /// reference line; `None` to leave it out.
    pub on_impasse: Option<f64>,
}

/// When one strategy's deals close, for [`deal_timing`].
#[derive(Debug, Clone, PartialEq)]
pub struct DealTiming {
    /// Strategy name (any text; it is escaped).
    pub name: String,
    /// (week relative to expiry, share of all paths whose deal closed that
    /// week, 0 to 1). Weeks without an entry count as zero.
    pub shares: Vec<(i64, f64)>,
}

/// Expected net present revenue ($M) against the week of the move (weeks
/// relative to expiry), with its 95 % interval as a band; the best week (the
/// highest mean, the earliest on a tie) marked and labelled; weeks flagged
/// as statistically indistinguishable from it shaded; and, if given, the
/// `on_impasse` trigger's mean as a dashed horizontal line.
pub fn escalation_timing(title: &str, chart: &EscalationTiming) -> String {
    let decision = if chart.decision.trim().is_empty() {
        "escalation".to_string()
    } else {
        chart.decision.trim().to_string()
    };
    let title = title_or(
        title,
        &format!("Expected revenue by week of the {decision}"),
    );
    let mut points: Vec<TimingPoint> = chart
        .points
        .iter()
        .copied()
        .filter(|p| p.mean.is_finite())
        .collect();
    points.sort_by_key(|p| p.week);
    if points.is_empty() {
        return no_data(&title, &format!("no {decision} week was tried"));
    }
    let on_impasse = chart.on_impasse.filter(|v| v.is_finite());
    let best = points
        .iter()
        .fold(None::<&TimingPoint>, |b, p| match b {
            Some(b) if b.mean >= p.mean => Some(b),
            _ => Some(p),
        })
        .copied()
        .unwrap_or(points[0]);
    let ci_ok = |p: &TimingPoint| p.ci95.0.is_finite() && p.ci95.1.is_finite();
    let d = money_decimals(
        points
            .iter()
            .filter(|p| ci_ok(p))
            .map(|p| (p.ci95.1 - p.ci95.0) / 2.0)
            .fold(f64::INFINITY, f64::min),
    )
    .max(1);
    let m = Unit::Millions;
    let twin: Vec<i32> = points
        .iter()
        .filter(|p| p.indistinguishable && p.week != best.week)
        .map(|p| p.week)
        .collect();
    let mut desc = format!(
        "Best week {}: {} (95% interval {} to {}).",
        fixed(best.week as f64, 0),
        format_value(best.mean, m, d),
        format_value(best.ci95.0, m, d),
        format_value(best.ci95.1, m, d)
    );
    if !twin.is_empty() {
        desc += &format!(
            " Indistinguishable from the best: weeks {}.",
            twin.iter()
                .map(|w| fixed(*w as f64, 0))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(v) = on_impasse {
        desc += &format!(" On impasse: {}.", format_value(v, m, d));
    }
    let worst = points.iter().map(|p| p.mean).fold(f64::INFINITY, f64::min);
    let spread = best.mean - worst;
    let scale_note = if best.mean != 0.0 {
        format!(
            "Best and worst weeks differ by {} ({} of the expected revenue)",
            format_value(spread, m, d.max(2)),
            percent_of(spread, best.mean)
        )
    } else {
        format!(
            "Best and worst weeks differ by {}",
            format_value(spread, m, d.max(2))
        )
    };
    desc += &format!(" {scale_note}.");
    desc += &format!(
        " By week: {}.",
        points
            .iter()
            .map(|p| format!("{} {}", fixed(p.week as f64, 0), format_value(p.mean, m, d)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);

    let mut items = vec![
        LegendItem::new(
            "expected revenue",
            Swatch::Line {
                color: BLUE,
                dash: None,
                marker: Some(Marker::Circle),
                width: 2.5,
            },
        ),
        LegendItem::new(
            "95 % interval",
            Swatch::Box {
                fill: SKY,
                opacity: 0.35,
                stroke: SKY,
                stroke_width: 0.0,
            },
        ),
        LegendItem::new(
            "best week",
            Swatch::Point {
                shape: Marker::Diamond,
                fill: VERMILLION,
                size: 13.0,
            },
        ),
    ];
    if !twin.is_empty() {
        items.push(LegendItem::new(
            "indistinguishable from the best",
            Swatch::Box {
                fill: YELLOW,
                opacity: 1.0,
                stroke: TWIN_STROKE,
                stroke_width: 0.8,
            },
        ));
    }
    if on_impasse.is_some() {
        items.push(LegendItem::new(
            format!("{decision} on impasse (mean)"),
            Swatch::Line {
                color: INK,
                dash: Some("7 4"),
                marker: None,
                width: 1.8,
            },
        ));
    }
    let legend_h = legend(&mut svg, &items, 20.0, 56.0, WIDTH - 20.0);

    let step = points
        .windows(2)
        .map(|w| w[1].week as f64 - w[0].week as f64)
        .filter(|s| *s > 0.0)
        .fold(f64::INFINITY, f64::min);
    let step = if step.is_finite() { step } else { 1.0 };
    let first = points[0].week as f64;
    let last = points[points.len() - 1].week as f64;
    let pad = if points.len() == 1 {
        2.0
    } else {
        (step / 2.0).clamp(0.5, 2.0)
    };
    let x = week_ticks(first - pad, last + pad, 14);
    let (lo, hi) = extent(
        points
            .iter()
            .flat_map(|p| [p.mean, p.ci95.0, p.ci95.1])
            .chain(on_impasse)
            .map(|v| v * 1e-6),
    )
    .unwrap_or((0.0, 1.0));
    // Differences in proportion: the axis spans at least MIN_SPAN of the
    // best week's revenue, so that a difference of a few hundredths of a
    // percent is not blown up into a dramatic curve.
    let level = (best.mean * 1e-6).abs();
    let (lo, hi) = if hi - lo < level * MIN_SPAN {
        let mid = (lo + hi) / 2.0;
        (mid - level * MIN_SPAN / 2.0, mid + level * MIN_SPAN / 2.0)
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.12;
    let y = nice_ticks(lo - pad * 0.3, hi + pad * 1.6, 6);
    let left = 20.0 + 22.0 + Frame::y_label_width(&y, m) + 12.0;
    let frame = Frame {
        left,
        top: 56.0 + legend_h + 12.0,
        right: WIDTH - 30.0,
        bottom: PLOT_BOTTOM,
        x,
        y,
    };
    frame.y_axis(&mut svg, m, "Expected net present revenue, $M", 26.0);
    frame.x_axis(
        &mut svg,
        Unit::Weeks,
        &format!("Week of the {decision}, weeks relative to expiry"),
    );
    // Weeks indistinguishable from the best: a strip along the top, one
    // segment per run of consecutive tried weeks.
    let half = (frame.px(step) - frame.px(0.0)).abs() / 2.0;
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        if !twin.contains(&p.week) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if i > 0 && points[i - 1].week == *end => *end = p.week,
            _ => runs.push((p.week, p.week)),
        }
    }
    for (a, b) in runs {
        svg.rect(
            (frame.px(a as f64) - half).max(frame.left),
            frame.top + 3.0,
            (frame.px(b as f64) + half).min(frame.right),
            frame.top + 13.0,
            &format!("fill=\"{YELLOW}\" stroke=\"{TWIN_STROKE}\" stroke-width=\"0.8\""),
        );
    }
    let band: Vec<&TimingPoint> = points.iter().filter(|p| ci_ok(p)).collect();
    if band.len() >= 2 {
        let mut poly: Vec<(f64, f64)> = band
            .iter()
            .map(|p| (frame.px(p.week as f64), frame.py_in(p.ci95.1 * 1e-6)))
            .collect();
        poly.extend(
            band.iter()
                .rev()
                .map(|p| (frame.px(p.week as f64), frame.py_in(p.ci95.0 * 1e-6))),
        );
        svg.polygon(
            &poly,
            &format!("fill=\"{SKY}\" fill-opacity=\"0.35\" stroke=\"none\""),
        );
    } else {
        for p in &band {
            let xp = frame.px(p.week as f64);
            let s = format!("stroke=\"{SKY}\" stroke-width=\"6\"");
            svg.line(
                xp,
                frame.py_in(p.ci95.0 * 1e-6),
                xp,
                frame.py_in(p.ci95.1 * 1e-6),
                &s,
            );
        }
    }
    let mut on_impasse_label = None;
    if let Some(v) = on_impasse {
        let yv = frame.py_in(v * 1e-6);
        svg.line(
            frame.left,
            yv,
            frame.right,
            yv,
            &format!("stroke=\"{INK}\" stroke-width=\"1.8\" stroke-dasharray=\"7 4\""),
        );
        on_impasse_label = Some((yv, format!("on impasse: {}", format_value(v, m, d))));
    }
    let line: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (frame.px(p.week as f64), frame.py_in(p.mean * 1e-6)))
        .collect();
    svg.polyline(
        &line,
        &format!("stroke=\"{BLUE}\" stroke-width=\"2.5\" stroke-linejoin=\"round\""),
    );
    let dot = if points.len() > 40 { 4.0 } else { 6.5 };
    for (p, &(xp, yp)) in points.iter().zip(&line) {
        if p.week != best.week {
            svg.marker(Marker::Circle, xp, yp, dot, BLUE, BLUE);
        }
    }
    let (bx, by) = (frame.px(best.week as f64), frame.py_in(best.mean * 1e-6));
    svg.marker(Marker::Diamond, bx, by, 15.0, VERMILLION, INK);
    let label = format!(
        "best: week {}, {}",
        fixed(best.week as f64, 0),
        format_value(best.mean, m, d)
    );
    let f = Font::new(13.0).bold().halo();
    let plot = BBox::new(frame.left, frame.top, frame.right, frame.bottom);
    svg.obstacle(BBox::new(bx - 8.0, by - 10.0, bx + 8.0, by + 10.0));
    // The strip of weeks indistinguishable from the best stays readable.
    let strip = BBox::new(frame.left, frame.top, frame.right, frame.top + 14.0);
    svg.obstacle(strip);
    let best_spots = [
        (bx + 12.0, by - 14.0, f),
        (bx - 12.0, by - 14.0, f.end()),
        (bx + 12.0, by + 24.0, f),
        (bx - 12.0, by + 24.0, f.end()),
        (bx + 12.0, by - 30.0, f),
        (bx - 12.0, by - 30.0, f.end()),
        (bx + 12.0, by + 40.0, f),
        (bx - 12.0, by + 40.0, f.end()),
    ];
    svg.place(&label, &best_spots, plot);
    if let Some((yv, text)) = on_impasse_label {
        let f = Font::new(12.0).halo();
        let spots = [
            (frame.left + 6.0, yv - 6.0, f),
            (frame.left + 6.0, yv + 16.0, f),
            (frame.right - 6.0, yv - 6.0, f.end()),
            (frame.right - 6.0, yv + 16.0, f.end()),
            ((frame.left + frame.right) / 2.0, yv - 6.0, f.middle()),
            ((frame.left + frame.right) / 2.0, yv + 16.0, f.middle()),
        ];
        svg.place(&text, &spots, plot);
    }
    // Say how much the weeks differ, and that the axis does not start at
    // zero: two lines, at the bottom or the top of the plot.
    let starts_above_zero = frame.y.lo > 0.0;
    let mut lines = vec![format!("{scale_note}.")];
    if starts_above_zero {
        lines.push(format!(
            "The axis starts at {}, not at zero.",
            format_value(frame.y.lo * 1e6, m, decimals_of(frame.y.step))
        ));
    }
    let nf = Font::new(11.5).italic().halo();
    let blocks = [
        (frame.right - 6.0, frame.bottom - 8.0, nf.end()),
        (frame.left + 8.0, frame.bottom - 8.0, nf),
        (
            frame.right - 6.0,
            frame.top + 28.0 + 15.0 * (lines.len() - 1) as f64,
            nf.end(),
        ),
        (
            frame.left + 8.0,
            frame.top + 28.0 + 15.0 * (lines.len() - 1) as f64,
            nf,
        ),
    ];
    let spot =
        |(x, y, f): (f64, f64, Font), k: usize| (x, y - 15.0 * (lines.len() - 1 - k) as f64, f);
    if let Some(&b) = blocks
        .iter()
        .find(|&&b| (0..lines.len()).all(|k| svg.fits(&lines[k], spot(b, k), plot)))
    {
        for (k, line) in lines.iter().enumerate() {
            let (x, y, f) = spot(b, k);
            svg.text(x, y, line, f);
        }
    }
    if starts_above_zero {
        // A break mark on the y axis: it does not start at zero.
        let (x, y) = (frame.left, frame.bottom - 10.0);
        svg.rect(x - 6.0, y - 3.0, x + 6.0, y + 3.0, "fill=\"#ffffff\"");
        let st = format!("stroke=\"{INK}\" stroke-width=\"1.2\"");
        svg.line(x - 6.0, y - 1.0, x + 6.0, y - 5.0, &st);
        svg.line(x - 6.0, y + 5.0, x + 6.0, y + 1.0, &st);
    }
    svg.note(
        HEIGHT,
        "Band: 95 % interval of the expected revenue (Monte Carlo precision), week by week.",
    );
    svg.finish()
}

/// `x` as a percentage of `of`, with enough decimals to show it: `0.03 %`.
fn percent_of(x: f64, of: f64) -> String {
    let p = (x / of).abs() * 100.0;
    if !p.is_finite() {
        return "–".into();
    }
    let d = if p == 0.0 || p >= 10.0 {
        0
    } else {
        ((-p.log10()).floor() as i64 + 2).clamp(1, 4) as usize
    };
    format!("{} %", fixed(p, d))
}

/// Decimals of tick labels at `step` (display units).
fn decimals_of(step: f64) -> usize {
    super::axis::decimals(step)
}

/// Weeks further than this from expiry are ignored (not a contract timeline).
const MAX_WEEK: i64 = 100_000;
/// At most about this many points per line.
const MAX_POINTS: i64 = 400;

/// Greatest common divisor.
fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// When deals close before expiry, per strategy (the deadline effect): the
/// share of paths whose deal closed in each week, as lines with markers over
/// weeks relative to expiry, ending at expiry (week 0). When every deal falls
/// on a multiple of some number of weeks (meetings every two weeks), the
/// lines join those weeks only.
pub fn deal_timing(title: &str, series: &[DealTiming]) -> String {
    let title = title_or(title, "When deals close: the deadline effect");
    let clean: Vec<(&str, Vec<(i64, f64)>)> = series
        .iter()
        .map(|s| {
            let mut v: Vec<(i64, f64)> = s
                .shares
                .iter()
                .copied()
                .filter(|(w, p)| p.is_finite() && (-MAX_WEEK..=MAX_WEEK).contains(w))
                .collect();
            v.sort_by_key(|x| x.0);
            (s.name.as_str(), v)
        })
        .collect();
    let nonzero: Vec<i64> = clean
        .iter()
        .flat_map(|(_, v)| v.iter().filter(|(_, p)| *p != 0.0).map(|(w, _)| *w))
        .collect();
    if clean.is_empty() || nonzero.is_empty() {
        return no_data(&title, "no deal closed before expiry");
    }
    let gcd_weeks = nonzero.iter().fold(0, |g, &w| gcd(g, w)).max(1);
    let first = *nonzero.iter().min().unwrap_or(&-1);
    let last = *nonzero.iter().max().unwrap_or(&0);
    // One point per k weeks: the common cadence of the deals, widened (and
    // the deals summed over each period) if the span is too long to draw.
    let cadence = if gcd_weeks > 13 { 1 } else { gcd_weeks };
    let mut k = cadence;
    while (last - first) / k > MAX_POINTS {
        k *= 2;
    }
    let binned = k != cadence;
    let start = first.div_euclid(k) * k - k;
    let grid: Vec<i64> = (0..)
        .map(|i| start + i * k)
        .take_while(|w| *w < last + k)
        .collect();
    let lines: Vec<(&str, Vec<(i64, f64)>)> = clean
        .iter()
        .map(|(name, v)| {
            let pts = grid
                .iter()
                .map(|&w| {
                    let share: f64 = v
                        .iter()
                        .filter(|(x, _)| *x > w - k && *x <= w)
                        .map(|(_, p)| p)
                        .sum();
                    (w, share * 100.0)
                })
                .collect();
            (*name, pts)
        })
        .collect();
    let desc = lines
        .iter()
        .map(|(name, pts)| {
            let total: f64 = pts.iter().map(|p| p.1).sum();
            let peak = pts.iter().fold(None::<(i64, f64)>, |b, &p| match b {
                Some(b) if b.1 >= p.1 => Some(b),
                _ => Some(p),
            });
            match peak {
                Some((w, s)) if total > 0.0 => format!(
                    "{name}: {:.1}% of paths close a deal before expiry; most in week {} ({:.1}%).",
                    total,
                    fixed(w as f64, 0),
                    s
                ),
                _ => format!("{name}: no deal before expiry."),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);
    let legend_h = series_legend(&mut svg, lines.iter().map(|(name, _)| *name));
    let x = week_ticks(
        start as f64 - 0.5 * k as f64,
        (last as f64).max(0.0) + 0.5 * k as f64,
        14,
    );
    let (_, hi) =
        extent(lines.iter().flat_map(|(_, p)| p.iter().map(|q| q.1))).unwrap_or((0.0, 1.0));
    let y = nice_ticks(0.0, hi.max(1e-9) * 1.08, 6);
    let left = 20.0 + 22.0 + Frame::y_label_width(&y, Unit::Percent) + 12.0;
    let frame = Frame {
        left,
        top: 56.0 + legend_h + 14.0,
        right: WIDTH - 30.0,
        bottom: PLOT_BOTTOM,
        x,
        y,
    };
    frame.y_axis(
        &mut svg,
        Unit::Percent,
        "Deals closed that week, % of paths",
        26.0,
    );
    frame.x_axis(
        &mut svg,
        Unit::Weeks,
        "Week the deal closed, weeks relative to expiry",
    );
    let x0 = frame.px(0.0);
    svg.line(
        x0,
        frame.top,
        x0,
        frame.bottom,
        &format!("stroke=\"{INK}\" stroke-width=\"2\""),
    );
    svg.text(
        x0 - 5.0,
        frame.top + 14.0,
        "expiry",
        Font::new(12.0).bold().end().halo(),
    );
    let marker_size = if grid.len() > 40 { 5.0 } else { 7.5 };
    for (i, (name, pts)) in lines.iter().enumerate() {
        let st = series_style(i);
        svg.group(&format!("series {name}"));
        let line: Vec<(f64, f64)> = pts
            .iter()
            .map(|&(w, p)| (frame.px(w as f64), frame.py_in(p)))
            .collect();
        let dash = st
            .dash
            .map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\""));
        svg.polyline(
            &line,
            &format!(
                "stroke=\"{}\" stroke-width=\"2.3\" stroke-linejoin=\"round\"{dash}",
                st.color
            ),
        );
        for (&(_, p), &(xp, yp)) in pts.iter().zip(&line) {
            if p > 0.0 {
                svg.marker(st.marker, xp, yp, marker_size, st.color, st.color);
            }
        }
        svg.end_group();
    }
    let note = if binned {
        format!("Deals summed over {k}-week periods, each point at the end of its period.")
    } else if k > 1 {
        format!(
            "Deals close at meetings; every deal fell on a multiple of {k} weeks, so points are {k} weeks apart."
        )
    } else {
        "Share of all simulated paths whose deal closed in each week before expiry.".to_string()
    };
    svg.note(HEIGHT, &note);
    svg.finish()
}
