//! Charts that compare strategies side by side: expected revenue with its
//! interval and spread, the revenue distributions, and the patients' cost.

use super::axis::{
    Unit, count, count_ticks, fixed, format_value, money_decimals, nice_ticks, ticks_inside,
};
use super::svg::{
    BLUE, Font, Frame, HEIGHT, INK, LegendItem, PLOT_BOTTOM, SKY, Svg, Swatch, VERMILLION, WIDTH,
    extent, finite, legend, legend_height, no_data, series_legend, series_style, title_or,
};

/// One strategy's expected net present revenue, for [`strategy_comparison`].
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyEstimate {
    /// Strategy name (any text; it is escaped).
    pub name: String,
    /// Expected (mean) net present revenue, dollars.
    pub mean: f64,
    /// 95 % interval of the mean, dollars: mean ± 1.96 Monte Carlo standard errors.
    pub ci95: (f64, f64),
    /// 5th percentile of revenue across worlds, dollars.
    pub p5: f64,
    /// 95th percentile of revenue across worlds, dollars.
    pub p95: f64,
}

/// Legend entry of the mean when every interval is drawn.
const WIDE_MEAN: &str = "mean, with its 95 % interval (precision of the mean)";
/// Legend entry of the mean when some interval is too narrow to draw.
const NARROW_MEAN: &str = "mean (its 95 % interval is in the column)";

/// The revenue distribution of one strategy, for [`revenue_distribution`].
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueCdf {
    /// Strategy name (any text; it is escaped).
    pub name: String,
    /// Points of the cumulative distribution: (net present revenue in
    /// dollars, probability of revenue at or below it, 0 to 1), e.g. the 1st
    /// to 99th percentiles. Any order; non-finite points are skipped.
    pub points: Vec<(f64, f64)>,
}

/// The patients' cost of one strategy, for [`patient_access`].
#[derive(Debug, Clone, PartialEq)]
pub struct PatientAccess {
    /// Strategy name (any text; it is escaped).
    pub name: String,
    /// Mean patient-weeks without in-network access (net of continuity of care).
    pub patient_weeks: f64,
    /// Mean number of patients who switched to another provider for good.
    pub switched: f64,
}

/// Width of the name column for `names` at `font`, at most `max`.
fn names_width(names: &[&str], font: Font, max: f64) -> f64 {
    names
        .iter()
        .map(|n| font.width(n))
        .fold(40.0, f64::max)
        .min(max)
}

/// Expected net present revenue per strategy (in the order given), as a
/// horizontal chart: each strategy's mean as a point with its 95 % interval
/// (mean ± 1.96·mcse) as an error bar, over a thicker translucent bar from
/// its P5 to its P95; the mean and interval are also printed in a column on
/// the right. `title` is the visible heading (blank: a default).
pub fn strategy_comparison(title: &str, strategies: &[StrategyEstimate]) -> String {
    let title = title_or(title, "Expected net present revenue by strategy");
    if strategies.is_empty() {
        return no_data(&title, "no strategy to compare");
    }
    let m = Unit::Millions;
    let desc = strategies
        .iter()
        .map(|s| {
            let d = money_decimals((s.ci95.1 - s.ci95.0) / 2.0).max(1);
            format!(
                "{}: mean {} (95% interval {} to {}), P5 {}, P95 {}.",
                s.name,
                format_value(s.mean, m, d),
                format_value(s.ci95.0, m, d),
                format_value(s.ci95.1, m, d),
                format_value(s.p5, m, 1),
                format_value(s.p95, m, 1)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);

    // The legend is drawn once the intervals are known; measure it first.
    let spread_item = LegendItem::new(
        "P5–P95: spread of 90 % of simulated worlds",
        Swatch::Box {
            fill: SKY,
            opacity: 0.5,
            stroke: SKY,
            stroke_width: 1.0,
        },
    );
    let legend_h = [WIDE_MEAN, NARROW_MEAN]
        .map(|m| {
            legend_height(
                &[
                    spread_item.clone(),
                    LegendItem::new(m, Swatch::PointRange { color: BLUE }),
                ],
                20.0,
                WIDTH - 20.0,
            )
        })
        .into_iter()
        .fold(0.0, f64::max);

    // Value labels: mean [lo, hi] in $M.
    let labels: Vec<String> = strategies
        .iter()
        .map(|s| {
            if !s.mean.is_finite() {
                return "no data".into();
            }
            let d = money_decimals((s.ci95.1 - s.ci95.0) / 2.0).max(1);
            if s.ci95.0.is_finite() && s.ci95.1.is_finite() {
                format!(
                    "{} [{}, {}]",
                    fixed(s.mean * 1e-6, d),
                    fixed(s.ci95.0 * 1e-6, d),
                    fixed(s.ci95.1 * 1e-6, d)
                )
            } else {
                fixed(s.mean * 1e-6, d)
            }
        })
        .collect();
    let value_font = Font::new(12.5);
    let header = "mean [95 % interval], $M";
    let col_w = labels
        .iter()
        .map(|l| value_font.width(l))
        .fold(Font::new(12.0).bold().width(header), f64::max)
        .min(230.0);

    let name_font = Font::new(13.5);
    let names: Vec<&str> = strategies.iter().map(|s| s.name.as_str()).collect();
    let name_w = names_width(&names, name_font, 210.0);
    let top = 56.0 + legend_h + 20.0;
    let bottom = PLOT_BOTTOM;
    let left = 20.0 + name_w + 16.0;
    let right = WIDTH - 20.0 - col_w - 18.0;

    let values = strategies
        .iter()
        .flat_map(|s| [s.mean, s.ci95.0, s.ci95.1, s.p5, s.p95])
        .map(|v| v * 1e-6);
    let (lo, hi) = extent(values).unwrap_or((0.0, 1.0));
    let x = nice_ticks(lo, hi, 8);
    let frame = Frame {
        left,
        top,
        right,
        bottom,
        x,
        y: ticks_inside(0.0, 1.0, 2),
    };
    let n = strategies.len() as f64;
    let band = (bottom - top) / n;
    for i in (1..strategies.len()).step_by(2) {
        let y0 = top + band * i as f64;
        svg.rect(left, y0, right, y0 + band, "fill=\"#f3f3f3\"");
    }
    frame.x_axis(&mut svg, m, "Net present revenue over the horizon, $M");
    if frame.x.lo < 0.0 && frame.x.hi > 0.0 {
        let x0 = frame.px(0.0);
        svg.line(
            x0,
            top,
            x0,
            bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"1\""),
        );
    }
    svg.text(
        WIDTH - 20.0,
        top - 10.0,
        header,
        Font::new(12.0).bold().end(),
    );

    let bar_h = (band * 0.46).clamp(6.0, 26.0);
    let dot = (bar_h * 0.25).clamp(3.5, 6.0);
    // An interval narrower than the dot is not drawn (it would hide behind
    // it): the legend and the note say so, and the column gives it.
    let drawn = |s: &StrategyEstimate| {
        s.ci95.0.is_finite()
            && s.ci95.1.is_finite()
            && frame.px_in(s.ci95.1 * 1e-6) - frame.px_in(s.ci95.0 * 1e-6) > 2.0 * dot + 2.0
    };
    let shown = strategies.iter().filter(|s| drawn(s)).count();
    let mean_item = if shown == strategies.len() {
        LegendItem::new(WIDE_MEAN, Swatch::PointRange { color: BLUE })
    } else {
        LegendItem::new(
            NARROW_MEAN,
            Swatch::Point {
                shape: super::svg::Marker::Circle,
                fill: BLUE,
                size: 10.0,
            },
        )
    };
    legend(
        &mut svg,
        &[spread_item, mean_item],
        20.0,
        56.0,
        WIDTH - 20.0,
    );
    for (i, (s, label)) in strategies.iter().zip(&labels).enumerate() {
        let cy = top + band * (i as f64 + 0.5);
        svg.group("strategy");
        svg.text_fit(20.0, cy + 5.0, &s.name, name_font, name_w);
        if s.p5.is_finite() && s.p95.is_finite() {
            svg.rect(
                frame.px_in(s.p5 * 1e-6),
                cy - bar_h / 2.0,
                frame.px_in(s.p95 * 1e-6),
                cy + bar_h / 2.0,
                &format!("fill=\"{SKY}\" fill-opacity=\"0.5\" stroke=\"{SKY}\" stroke-width=\"1\""),
            );
        }
        if drawn(s) {
            let (a, b) = (frame.px_in(s.ci95.0 * 1e-6), frame.px_in(s.ci95.1 * 1e-6));
            {
                let style = format!("stroke=\"{INK}\" stroke-width=\"2\"");
                let cap = (bar_h * 0.35).clamp(4.0, 8.0);
                svg.line(a, cy, b, cy, &style);
                svg.line(a, cy - cap, a, cy + cap, &style);
                svg.line(b, cy - cap, b, cy + cap, &style);
            }
        }
        if s.mean.is_finite() {
            svg.circle(
                frame.px_in(s.mean * 1e-6),
                cy,
                dot,
                &format!("fill=\"{BLUE}\" stroke=\"{INK}\" stroke-width=\"1.2\""),
            );
        }
        svg.text_fit(WIDTH - 20.0, cy + 4.5, label, value_font.end(), col_w);
        svg.end_group();
    }
    let note = if shown == strategies.len() {
        "Black bars: the precision of each mean (95 % interval). Pale bars: the spread across worlds."
    } else if shown == 0 {
        "Intervals of the means are narrower than the dots (see the column); pale bars: spread across worlds."
    } else {
        "Intervals narrower than their dot are not drawn (see the column); pale bars: spread across worlds."
    };
    svg.note(HEIGHT, note);
    svg.finish()
}

/// The distribution of net present revenue per strategy as overlaid
/// cumulative distribution curves: x in $M, y the share of simulated worlds
/// at or below that revenue, in %. A curve to the right is better; where two
/// cross, one has the better downside and the other the better upside.
pub fn revenue_distribution(title: &str, cdfs: &[RevenueCdf]) -> String {
    let title = title_or(title, "Distribution of net present revenue across worlds");
    let clean: Vec<(&str, Vec<(f64, f64)>)> = cdfs
        .iter()
        .map(|c| {
            let mut pts: Vec<(f64, f64)> = c
                .points
                .iter()
                .filter(|(v, p)| v.is_finite() && p.is_finite())
                .map(|&(v, p)| (v * 1e-6, p.clamp(0.0, 1.0) * 100.0))
                .collect();
            pts.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
            (c.name.as_str(), pts)
        })
        .collect();
    if clean.iter().all(|(_, p)| p.is_empty()) {
        return no_data(&title, "no revenue distribution to show");
    }
    let desc = clean
        .iter()
        .map(|(name, pts)| {
            let median = pts
                .iter()
                .min_by(|a, b| (a.1 - 50.0).abs().total_cmp(&(b.1 - 50.0).abs()));
            match (pts.first(), median, pts.last()) {
                (Some(a), Some(m), Some(b)) => format!(
                    "{name}: from ${:.1}M ({:.0}%) to ${:.1}M ({:.0}%), median about ${:.1}M.",
                    a.0, a.1, b.0, b.1, m.0
                ),
                _ => format!("{name}: no data."),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);
    let legend_h = series_legend(&mut svg, clean.iter().map(|(name, _)| *name));
    let (lo, hi) =
        extent(clean.iter().flat_map(|(_, p)| p.iter().map(|q| q.0))).unwrap_or((0.0, 1.0));
    let x = nice_ticks(lo, hi, 9);
    let y = ticks_inside(0.0, 100.0, 6);
    let left = 20.0 + 22.0 + Frame::y_label_width(&y, Unit::Percent) + 12.0;
    let frame = Frame {
        left,
        top: 56.0 + legend_h + 14.0,
        right: WIDTH - 30.0,
        bottom: PLOT_BOTTOM,
        x,
        y,
    };
    frame.y_axis(&mut svg, Unit::Percent, "Worlds at or below, %", 26.0);
    frame.x_axis(
        &mut svg,
        Unit::Millions,
        "Net present revenue over the horizon, $M",
    );
    let y50 = frame.py(50.0);
    svg.line(
        frame.left,
        y50,
        frame.right,
        y50,
        &format!("stroke=\"{INK}\" stroke-width=\"0.8\" stroke-dasharray=\"3 3\""),
    );
    svg.text(
        frame.right - 4.0,
        y50 - 5.0,
        "median",
        Font::new(11.5).end().halo(),
    );
    for (i, (name, pts)) in clean.iter().enumerate() {
        let st = series_style(i);
        svg.group(&format!("series {name}"));
        let line: Vec<(f64, f64)> = pts
            .iter()
            .map(|&(v, p)| (frame.px_in(v), frame.py_in(p)))
            .collect();
        let dash = st
            .dash
            .map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\""));
        svg.polyline(
            &line,
            &format!(
                "stroke=\"{}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"{dash}",
                st.color
            ),
        );
        // Markers at the 10th, 50th and 90th percentiles tell the curves
        // apart in black and white.
        for target in [10.0, 50.0, 90.0] {
            if let Some(&(v, p)) = pts
                .iter()
                .min_by(|a, b| (a.1 - target).abs().total_cmp(&(b.1 - target).abs()))
            {
                svg.marker(
                    st.marker,
                    frame.px_in(v),
                    frame.py_in(p),
                    8.0,
                    st.color,
                    st.color,
                );
            }
        }
        if pts.len() == 1 {
            let (v, p) = pts[0];
            svg.marker(
                st.marker,
                frame.px_in(v),
                frame.py_in(p),
                8.0,
                st.color,
                st.color,
            );
        }
        svg.end_group();
    }
    svg.note(
        HEIGHT,
        "Further right is better. Markers at the 10th, 50th and 90th percentiles.",
    );
    svg.finish()
}

/// The patients' cost per strategy, in two side-by-side panels of
/// horizontal bars sharing the strategy names: mean patient-weeks without
/// in-network access, and mean patients who switched provider for good.
/// Every strategy keeps its row and a value label, zero included.
pub fn patient_access(title: &str, strategies: &[PatientAccess]) -> String {
    let title = title_or(title, "Patient access by strategy");
    if strategies.is_empty() {
        return no_data(&title, "no strategy to show");
    }
    let desc = strategies
        .iter()
        .map(|s| {
            format!(
                "{}: {} patient-weeks without in-network access, {} patients switched for good.",
                s.name,
                count(s.patient_weeks),
                count(s.switched)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);
    let name_font = Font::new(13.5);
    let names: Vec<&str> = strategies.iter().map(|s| s.name.as_str()).collect();
    let name_w = names_width(&names, name_font, 200.0);
    let top = 92.0;
    let bottom = PLOT_BOTTOM;
    let left0 = 20.0 + name_w + 16.0;
    let gap = 60.0;
    let panel_w = (WIDTH - 30.0 - left0 - gap) / 2.0;
    let n = strategies.len() as f64;
    let band = (bottom - top) / n;
    let bar_h = (band * 0.55).clamp(6.0, 28.0);
    for i in (1..strategies.len()).step_by(2) {
        let y0 = top + band * i as f64;
        svg.rect(left0, y0, WIDTH - 30.0, y0 + band, "fill=\"#f3f3f3\"");
    }
    type Get = fn(&PatientAccess) -> f64;
    let panels: [(&str, &str, &'static str, Get); 2] = [
        (
            "Without in-network access",
            "Patient-weeks (mean per world)",
            BLUE,
            |s| s.patient_weeks,
        ),
        (
            "Switched provider for good",
            "Patients (mean per world)",
            VERMILLION,
            |s| s.switched,
        ),
    ];
    for (k, (heading, axis_title, color, get)) in panels.iter().enumerate() {
        let left = left0 + k as f64 * (panel_w + gap);
        let right = left + panel_w;
        let vals = finite(strategies.iter().map(get));
        let (lo, hi) = extent(vals.iter().copied().chain([0.0])).unwrap_or((0.0, 1.0));
        let x = count_ticks(lo.min(0.0), hi.max(0.0), 5);
        let frame = Frame {
            left,
            top,
            right,
            bottom,
            x,
            y: ticks_inside(0.0, 1.0, 2),
        };
        svg.text(left, top - 12.0, heading, Font::new(14.0).bold());
        frame.x_axis(&mut svg, Unit::Count, axis_title);
        let x0 = frame.px(0.0);
        svg.line(
            x0,
            top,
            x0,
            bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"1.2\""),
        );
        let label_font = Font::new(12.5);
        for (i, s) in strategies.iter().enumerate() {
            let cy = top + band * (i as f64 + 0.5);
            let v = get(s);
            if !v.is_finite() {
                svg.text(x0 + 6.0, cy + 4.5, "no data", label_font.italic());
                continue;
            }
            let xv = frame.px_in(v);
            if v != 0.0 {
                svg.rect(
                    x0,
                    cy - bar_h / 2.0,
                    xv,
                    cy + bar_h / 2.0,
                    &format!("fill=\"{color}\" stroke=\"{INK}\" stroke-width=\"0.6\""),
                );
            }
            let label = count(v);
            let w = label_font.width(&label);
            if xv + 6.0 + w <= right + 24.0 || v <= 0.0 {
                svg.text(xv.max(x0) + 6.0, cy + 4.5, &label, label_font);
            } else {
                svg.text(
                    xv - 6.0,
                    cy + 4.5,
                    &label,
                    label_font.end().color("#ffffff").bold(),
                );
            }
        }
    }
    for (i, s) in strategies.iter().enumerate() {
        let cy = top + band * (i as f64 + 0.5);
        svg.text_fit(20.0, cy + 5.0, &s.name, name_font, name_w);
    }
    svg.note(
        HEIGHT,
        "Patient-weeks: attributed patients without in-network access, summed over the weeks out of network.",
    );
    svg.finish()
}
