//! Weekly revenue over the horizon as a fan: what the cash from the payer
//! looks like week by week, and how deep an out-of-network period cuts it.

use super::axis::{Unit, fixed, format_value, nice_ticks, week_ticks};
use super::svg::{
    BBox, BLUE, Font, Frame, HEIGHT, INK, LegendItem, PLOT_BOTTOM, SKY, Svg, Swatch, VERMILLION,
    WIDTH, extent, legend, legend_height, no_data, title_or,
};

/// A weekly revenue fan, for [`weekly_cash`]. Series are indexed by week
/// from `first_week`; money in dollars a week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyCash {
    /// The strategy (any text; it is escaped).
    pub strategy: String,
    /// Worlds summarised.
    pub paths: u64,
    /// Week of the first entry, relative to the first expiry.
    pub first_week: i64,
    /// 5th percentile across worlds.
    pub p5: Vec<f64>,
    /// 25th percentile.
    pub p25: Vec<f64>,
    /// Median.
    pub p50: Vec<f64>,
    /// 75th percentile.
    pub p75: Vec<f64>,
    /// 95th percentile.
    pub p95: Vec<f64>,
    /// Today's weekly revenue (drawn as a reference line), if known.
    pub today: Option<f64>,
    /// Weeks of each renewal's expiry (0 for this one).
    pub expiries: Vec<i64>,
    /// Share of worlds that go out of network at some renewal.
    pub p_out_of_network: f64,
    /// One world's weekly revenue, with its label (e.g. a world that goes
    /// out of network).
    pub example: Option<(String, Vec<f64>)>,
}

/// Weekly revenue from the payer over the horizon for one strategy, as a
/// fan across simulated worlds: the median as a line, the 25th–75th and
/// 5th–95th percentiles as bands, one example world (if given) as a thin
/// vermillion line, today's weekly revenue as a dotted reference, and each
/// renewal's expiry as a vertical line. The y axis starts at zero, so a dip
/// shows in proportion to the revenue.
pub fn weekly_cash(title: &str, chart: &WeeklyCash) -> String {
    let title = title_or(title, "Weekly revenue over the horizon");
    let n = chart
        .p50
        .len()
        .min(chart.p5.len())
        .min(chart.p25.len())
        .min(chart.p75.len())
        .min(chart.p95.len());
    let week = |i: usize| chart.first_week + i as i64;
    let ok = |i: usize| {
        [
            chart.p5[i],
            chart.p25[i],
            chart.p50[i],
            chart.p75[i],
            chart.p95[i],
        ]
        .iter()
        .all(|v| v.is_finite())
    };
    let idx: Vec<usize> = (0..n).filter(|&i| ok(i)).collect();
    if idx.is_empty() {
        return no_data(&title, "no weekly revenue to show");
    }
    let m = Unit::Millions;
    let low = idx
        .iter()
        .copied()
        .min_by(|&a, &b| chart.p5[a].total_cmp(&chart.p5[b]))
        .unwrap_or(idx[0]);
    let typical = chart.p50[idx[idx.len() / 2]];
    let pct = |p: f64| {
        if p.is_finite() {
            format!(
                "{} %",
                fixed(p * 100.0, if p > 0.0 && p < 0.01 { 1 } else { 0 })
            )
        } else {
            "–".to_string()
        }
    };
    let mut desc = format!(
        "{}: weekly revenue across {} simulated worlds, median about {} a week. The 5th percentile is lowest in week {} ({} a week). Out of network at some renewal in {} of worlds.",
        chart.strategy,
        super::axis::thousands(chart.paths as f64),
        format_value(typical, m, 2),
        fixed(week(low) as f64, 0),
        format_value(chart.p5[low], m, 2),
        pct(chart.p_out_of_network)
    );
    if let Some(t) = chart.today.filter(|t| t.is_finite()) {
        desc += &format!(" Today: {} a week.", format_value(t, m, 2));
    }
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);

    let mut items = vec![
        LegendItem::new(
            "median",
            Swatch::Line {
                color: BLUE,
                dash: None,
                marker: None,
                width: 2.5,
            },
        ),
        LegendItem::new(
            "25–75 % of worlds",
            Swatch::Box {
                fill: BLUE,
                opacity: 0.35,
                stroke: BLUE,
                stroke_width: 0.0,
            },
        ),
        LegendItem::new(
            "5–95 % of worlds",
            Swatch::Box {
                fill: SKY,
                opacity: 0.35,
                stroke: SKY,
                stroke_width: 0.0,
            },
        ),
    ];
    let example = chart
        .example
        .as_ref()
        .filter(|(_, v)| v.iter().any(|x| x.is_finite()));
    if let Some((label, _)) = example {
        items.push(LegendItem::new(
            label.clone(),
            Swatch::Line {
                color: VERMILLION,
                dash: None,
                marker: None,
                width: 1.5,
            },
        ));
    }
    let today = chart.today.filter(|t| t.is_finite());
    if today.is_some() {
        items.push(LegendItem::new(
            "today's weekly revenue",
            Swatch::Line {
                color: INK,
                dash: Some("2 3"),
                marker: None,
                width: 1.5,
            },
        ));
    }
    let legend_h = legend_height(&items, 20.0, WIDTH - 20.0);
    legend(&mut svg, &items, 20.0, 56.0, WIDTH - 20.0);

    let first = week(idx[0]) as f64;
    let last = week(idx[idx.len() - 1]) as f64 + 1.0;
    let x = week_ticks(first, last, 14);
    let values = idx
        .iter()
        .flat_map(|&i| [chart.p5[i], chart.p95[i]])
        .chain(example.map_or(Vec::new(), |(_, v)| v.clone()))
        .chain(today)
        .map(|v| v * 1e-6);
    let (lo, hi) = extent(values).unwrap_or((0.0, 1.0));
    // From zero: a dip shows in proportion.
    let y = nice_ticks(lo.min(0.0), hi.max(0.0) * 1.08, 6);
    let left = 20.0 + 22.0 + Frame::y_label_width(&y, m) + 12.0;
    let frame = Frame {
        left,
        top: 56.0 + legend_h + 12.0,
        right: WIDTH - 30.0,
        bottom: PLOT_BOTTOM,
        x,
        y,
    };
    frame.y_axis(&mut svg, m, "Revenue in the week, $M", 26.0);
    frame.x_axis(&mut svg, Unit::Weeks, "Weeks from this contract's expiry");
    // Each week is drawn as a step from its start to the next week's.
    let band = |svg: &mut Svg, a: &[f64], b: &[f64], fill: &str, opacity: f64| {
        let mut poly = Vec::with_capacity(idx.len() * 4);
        for &i in &idx {
            let (x0, x1) = (frame.px(week(i) as f64), frame.px(week(i) as f64 + 1.0));
            let yv = frame.py_in(b[i] * 1e-6);
            poly.push((x0, yv));
            poly.push((x1, yv));
        }
        for &i in idx.iter().rev() {
            let (x0, x1) = (frame.px(week(i) as f64), frame.px(week(i) as f64 + 1.0));
            let yv = frame.py_in(a[i] * 1e-6);
            poly.push((x1, yv));
            poly.push((x0, yv));
        }
        svg.polygon(
            &poly,
            &format!("fill=\"{fill}\" fill-opacity=\"{opacity}\" stroke=\"none\""),
        );
    };
    band(&mut svg, &chart.p5, &chart.p95, SKY, 0.35);
    band(&mut svg, &chart.p25, &chart.p75, BLUE, 0.35);
    let steps = |v: &[f64]| -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(v.len() * 2);
        for (i, &x) in v.iter().enumerate() {
            if !x.is_finite() {
                continue;
            }
            let w = week(i) as f64;
            let yv = frame.py_in(x * 1e-6);
            out.push((frame.px(w), yv));
            out.push((frame.px(w + 1.0), yv));
        }
        out
    };
    if let Some(t) = today {
        let yv = frame.py_in(t * 1e-6);
        svg.line(
            frame.left,
            yv,
            frame.right,
            yv,
            &format!("stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\""),
        );
    }
    if let Some((_, v)) = example {
        svg.polyline(
            &steps(v),
            &format!("stroke=\"{VERMILLION}\" stroke-width=\"1.5\" stroke-linejoin=\"round\""),
        );
    }
    let median: Vec<f64> = (0..n)
        .map(|i| if ok(i) { chart.p50[i] } else { f64::NAN })
        .collect();
    svg.polyline(
        &steps(&median),
        &format!("stroke=\"{BLUE}\" stroke-width=\"2.5\" stroke-linejoin=\"round\""),
    );
    // Expiries.
    let plot = BBox::new(frame.left, frame.top, frame.right, frame.bottom);
    for (k, &e) in chart.expiries.iter().enumerate() {
        let w = e as f64;
        if w < frame.x.lo || w > frame.x.hi {
            continue;
        }
        let xe = frame.px(w);
        svg.line(
            xe,
            frame.top,
            xe,
            frame.bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"1.5\""),
        );
        let label = if k == 0 {
            "expiry".to_string()
        } else {
            format!("renewal {} expiry", k + 1)
        };
        let f = Font::new(11.5).bold().halo();
        svg.place(
            &label,
            &[
                (xe + 4.0, frame.top + 12.0, f),
                (xe - 4.0, frame.top + 12.0, f.end()),
                (xe + 4.0, frame.top + 26.0, f),
                (xe - 4.0, frame.top + 26.0, f.end()),
            ],
            plot,
        );
    }
    let note = format!(
        "Weekly revenue, not discounted, across {} simulated worlds; out of network at some renewal in {} of them.",
        super::axis::thousands(chart.paths as f64),
        pct(chart.p_out_of_network)
    );
    svg.note(HEIGHT, &note);
    svg.finish()
}
