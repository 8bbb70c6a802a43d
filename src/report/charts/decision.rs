//! Charts of the decision itself: each strategy's value against its
//! downside (with the efficient frontier), and the distribution of the
//! recommended strategy's gain over the runner-up, world by world.

use super::axis::{Unit, fixed, format_value, money_decimals, nice_step, nice_ticks, signed};
use super::svg::{
    BBox, BLUE, Font, Frame, GREY, HEIGHT, INK, INK_SOFT, LegendItem, Marker, PLOT_BOTTOM, SKY,
    Svg, Swatch, VERMILLION, WIDTH, extent, legend, legend_height, no_data, text_box, title_or,
};

/// One strategy on the risk-return chart, for [`risk_return`].
#[derive(Debug, Clone, PartialEq)]
pub struct RiskReturnPoint {
    /// Strategy name (any text; it is escaped).
    pub name: String,
    /// Its decision value (up), dollars.
    pub value: f64,
    /// Its downside (across): the mean of its worst 5 % of worlds, dollars.
    pub downside: f64,
    /// Patients affected, the bubble's area (any non-negative unit).
    pub patients: f64,
    /// Whether it is the recommended strategy (highlighted).
    pub recommended: bool,
    /// Whether the board's limits set it aside (drawn dashed).
    pub excluded: bool,
}

/// The risk-return chart's data, for [`risk_return`].
#[derive(Debug, Clone, PartialEq)]
pub struct RiskReturn {
    /// The strategies.
    pub points: Vec<RiskReturnPoint>,
    /// Y-axis title, with its unit (`…, $M`).
    pub value_title: String,
    /// X-axis title, with its unit.
    pub downside_title: String,
    /// What a bubble's area counts, for the legend, e.g. `patients affected
    /// (expected)`.
    pub patients_label: String,
}

/// The strategies on the efficient frontier: those no other strategy beats
/// on both value and downside (at least as good on both, better on one),
/// in order of downside, worst first. Points with a non-finite coordinate
/// are left out.
pub fn efficient_frontier(points: &[(f64, f64)]) -> Vec<usize> {
    let ok = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| ok(&points[i]))
        .filter(|&i| {
            let (v, d) = points[i];
            !points
                .iter()
                .filter(|p| ok(p))
                .any(|&(w, e)| w >= v && e >= d && (w > v || e > d))
        })
        .collect();
    front.sort_by(|&a, &b| {
        points[a]
            .1
            .total_cmp(&points[b].1)
            .then(points[b].0.total_cmp(&points[a].0))
    });
    front
}

/// Largest bubble radius, pixels.
const R_MAX: f64 = 26.0;
/// Radius of the dot drawn for a strategy affecting no patient.
const R_DOT: f64 = 3.5;

/// Each strategy's decision value (up) against its downside (across, the
/// mean of its worst 5 % of worlds), both in $M, as a bubble whose area is
/// proportional to the patients it affects. The efficient frontier (no other
/// strategy better on both) is joined by a line and its strategies marked
/// with a black diamond; the recommended strategy is ringed in vermillion;
/// strategies outside the board's limits are outlined dashed. Every name is
/// placed where it overlaps no other label, with a leader line when it has
/// to stand off its bubble.
pub fn risk_return(title: &str, chart: &RiskReturn) -> String {
    let title = title_or(title, "Value against downside");
    let pts: Vec<&RiskReturnPoint> = chart
        .points
        .iter()
        .filter(|p| p.value.is_finite() && p.downside.is_finite())
        .collect();
    if pts.is_empty() {
        return no_data(&title, "no strategy with a value and a downside");
    }
    let m = Unit::Millions;
    let coords: Vec<(f64, f64)> = pts.iter().map(|p| (p.value, p.downside)).collect();
    let front = efficient_frontier(&coords);
    let pmax = pts
        .iter()
        .map(|p| p.patients)
        .filter(|p| p.is_finite())
        .fold(0.0, f64::max);
    let radius = |p: f64| {
        if pmax > 0.0 && p.is_finite() && p > 0.0 {
            (R_MAX * (p / pmax).sqrt()).max(R_DOT)
        } else {
            R_DOT
        }
    };
    let d = money_decimals(
        extent(coords.iter().flat_map(|c| [c.0, c.1])).map_or(1e6, |(lo, hi)| (hi - lo) / 50.0),
    )
    .max(1);
    let desc = format!(
        "{} Efficient frontier (no other strategy better on both): {}.",
        pts.iter()
            .map(|p| format!(
                "{}{}: value {}, downside {}, {} {}.",
                p.name,
                if p.recommended { " (recommended)" } else { "" },
                format_value(p.value, m, d),
                format_value(p.downside, m, d),
                super::axis::count(p.patients),
                chart.patients_label
            ))
            .collect::<Vec<_>>()
            .join(" "),
        front
            .iter()
            .map(|&i| pts[i].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);

    // Legend: the frontier, the recommendation, the bubble sizes.
    let mut items = vec![
        LegendItem::new(
            "efficient frontier",
            Swatch::Line {
                color: INK,
                dash: None,
                marker: Some(Marker::Diamond),
                width: 2.0,
            },
        ),
        LegendItem::new(
            "recommended",
            Swatch::Box {
                fill: "#ffffff",
                opacity: 1.0,
                stroke: VERMILLION,
                stroke_width: 3.0,
            },
        ),
    ];
    if pts.iter().any(|p| p.excluded) {
        items.push(LegendItem::new(
            "outside the board's limits",
            Swatch::Box {
                fill: "#ffffff",
                opacity: 1.0,
                stroke: GREY,
                stroke_width: 1.5,
            },
        ));
    }
    let size_label = if pmax > 0.0 {
        format!(
            "area: {} (max {})",
            chart.patients_label,
            super::axis::count(pmax)
        )
    } else {
        format!("{}: none", chart.patients_label)
    };
    items.push(LegendItem::new(
        size_label,
        Swatch::Point {
            shape: Marker::Circle,
            fill: SKY,
            size: 12.0,
        },
    ));
    let legend_h = legend(&mut svg, &items, 20.0, 56.0, WIDTH - 20.0);

    // Scales, padded so bubbles and labels fit inside.
    let (vlo, vhi) = extent(coords.iter().map(|c| c.0 * 1e-6)).unwrap_or((0.0, 1.0));
    let (dlo, dhi) = extent(coords.iter().map(|c| c.1 * 1e-6)).unwrap_or((0.0, 1.0));
    let vpad = ((vhi - vlo) * 0.18).max(vhi.abs().max(vlo.abs()) * 1e-3);
    let dpad = ((dhi - dlo) * 0.22).max(dhi.abs().max(dlo.abs()) * 1e-3);
    let y = nice_ticks(vlo - vpad, vhi + vpad, 6);
    let x = nice_ticks(dlo - dpad, dhi + dpad, 7);
    let left = 20.0 + 22.0 + Frame::y_label_width(&y, m) + 12.0;
    let frame = Frame {
        left,
        top: 56.0 + legend_h + 14.0,
        right: WIDTH - 30.0,
        bottom: PLOT_BOTTOM,
        x,
        y,
    };
    frame.y_axis(&mut svg, m, &chart.value_title, 26.0);
    frame.x_axis(&mut svg, m, &chart.downside_title);
    let plot = BBox::new(frame.left, frame.top, frame.right, frame.bottom);
    svg.place(
        "better ↗",
        &[
            (
                frame.right - 6.0,
                frame.top + 16.0,
                Font::new(12.0).end().italic(),
            ),
            (frame.left + 8.0, frame.top + 16.0, Font::new(12.0).italic()),
        ],
        plot,
    );

    let at = |p: &RiskReturnPoint| (frame.px_in(p.downside * 1e-6), frame.py_in(p.value * 1e-6));
    // The frontier.
    let line: Vec<(f64, f64)> = front.iter().map(|&i| at(pts[i])).collect();
    svg.polyline(
        &line,
        &format!("stroke=\"{INK}\" stroke-width=\"2\" stroke-linejoin=\"round\""),
    );
    // Bubbles, largest first so small ones stay visible on top.
    let mut order: Vec<usize> = (0..pts.len()).collect();
    order.sort_by(|&a, &b| radius(pts[b].patients).total_cmp(&radius(pts[a].patients)));
    for &i in &order {
        let p = pts[i];
        let (cx, cy) = at(p);
        let r = radius(p.patients);
        let dash = if p.excluded {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let stroke = if p.excluded { GREY } else { BLUE };
        svg.circle(
            cx,
            cy,
            r,
            &format!(
                "fill=\"{SKY}\" fill-opacity=\"0.4\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}"
            ),
        );
        if p.recommended {
            svg.circle(
                cx,
                cy,
                r + 4.0,
                &format!("fill=\"none\" stroke=\"{VERMILLION}\" stroke-width=\"3\""),
            );
        }
        if front.contains(&i) {
            svg.marker(Marker::Diamond, cx, cy, 9.0, INK, INK);
        } else {
            svg.circle(cx, cy, 2.5, &format!("fill=\"{INK}\""));
        }
        // Labels keep off the centres and the recommendation's ring.
        let k = if p.recommended { r + 5.0 } else { 4.0 };
        svg.obstacle(BBox::new(cx - k, cy - k, cx + k, cy + k));
    }

    // Names: the recommended first, then by value; each as close to its
    // bubble as the others allow.
    let mut label_order: Vec<usize> = (0..pts.len()).collect();
    label_order.sort_by(|&a, &b| {
        pts[b]
            .recommended
            .cmp(&pts[a].recommended)
            .then(pts[b].value.total_cmp(&pts[a].value))
    });
    for &i in &label_order {
        let p = pts[i];
        let (cx, cy) = at(p);
        let r = radius(p.patients) + if p.recommended { 4.0 } else { 0.0 };
        let mut f = Font::new(12.5).halo();
        if p.recommended {
            f = f.bold();
        }
        if p.excluded {
            f = f.italic().color(INK_SOFT);
        }
        let name = if p.recommended {
            format!("{} (recommended)", p.name)
        } else {
            p.name.clone()
        };
        let (name, _) = super::svg::fit(&name, f.size, f.bold, 260.0);
        let mut spots = Vec::new();
        for gap in [4.0, 12.0, 24.0, 40.0, 60.0, 85.0, 115.0, 150.0] {
            for k in 0..12 {
                let a = std::f64::consts::PI * k as f64 / 6.0;
                let (c, s) = (a.cos(), a.sin());
                let (px, py) = (cx + (r + gap) * c, cy - (r + gap) * s);
                let font = if c > 0.3 {
                    f
                } else if c < -0.3 {
                    f.end()
                } else {
                    f.middle()
                };
                let base = if s > 0.3 {
                    py - 0.25 * f.size
                } else if s < -0.3 {
                    py + 0.8 * f.size
                } else {
                    py + 0.3 * f.size
                };
                spots.push((px, base, font));
            }
        }
        if let Some(k) = svg.place(&name, &spots, plot) {
            let (lx, ly, font) = spots[k];
            if k >= 12 {
                // Stood off: a leader line from the bubble to the label.
                let b = text_box(lx, ly, &name, font);
                let tx = cx.clamp(b.x0, b.x1);
                let ty = cy.clamp(b.y0, b.y1);
                let (dx, dy) = (tx - cx, ty - cy);
                let len = dx.hypot(dy);
                if len > r + 2.0 {
                    svg.line(
                        cx + dx / len * r,
                        cy + dy / len * r,
                        tx,
                        ty,
                        &format!("stroke=\"{INK_SOFT}\" stroke-width=\"0.8\""),
                    );
                }
            }
        }
    }
    svg.note(
        HEIGHT,
        "Up: higher value. Right: a better worst 5 % of worlds. On the frontier, more of one costs some of the other.",
    );
    svg.finish()
}

/// The distribution of one strategy's per-world gain over another, for
/// [`gain_distribution`].
#[derive(Debug, Clone, PartialEq)]
pub struct GainDistribution {
    /// The strategy (the recommended one).
    pub strategy: String,
    /// The one it is compared with (the runner-up).
    pub runner_up: String,
    /// (difference strategy − runner-up in dollars, share of worlds at or
    /// below it), e.g. the 1st to 99th percentiles, in any order.
    pub quantiles: Vec<(f64, f64)>,
    /// Mean difference, dollars.
    pub mean: f64,
    /// Share of worlds where the strategy does strictly better.
    pub p_better: f64,
    /// Share of worlds where it does strictly worse.
    pub p_worse: f64,
    /// What is compared, for the axis title, e.g. `margin`.
    pub what: String,
}

/// The share of worlds at or below `x` from quantile points sorted by
/// share, interpolated linearly between them; `left` takes the limit from
/// the left at a jump (a value many worlds share).
fn cdf(points: &[(f64, f64)], x: f64, left: bool) -> f64 {
    let below = |v: f64| if left { v < x } else { v <= x };
    match points.iter().rposition(|&(v, _)| below(v)) {
        None => points.first().map_or(0.0, |p| p.1),
        Some(i) if i + 1 == points.len() => points[i].1,
        Some(i) => {
            // Here v0 < x <= v1 (left) or v0 <= x < v1: never a jump.
            let (v0, q0) = points[i];
            let (v1, q1) = points[i + 1];
            if v1 > v0 {
                q0 + (q1 - q0) * ((x - v0) / (v1 - v0)).clamp(0.0, 1.0)
            } else {
                q0
            }
        }
    }
}

/// Histogram bins from quantile points: (from, to, share of worlds) in
/// display units; the worlds at exactly zero are left out of both sides (the
/// caller draws them apart). Bins are `step` wide, aligned on zero.
fn bins(points: &[(f64, f64)], step: f64, lo: f64, hi: f64) -> Vec<(f64, f64, f64)> {
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..last)
        .map(|k| {
            let (a, b) = (k as f64 * step, (k + 1) as f64 * step);
            // Left limits on the loss side, right limits on the gain side:
            // the worlds at exactly zero fall in neither.
            let left = b <= 0.0;
            let mass = cdf(points, b, left) - cdf(points, a, left);
            (a, b, mass.max(0.0))
        })
        .collect()
}

/// How the recommended strategy's gain over the runner-up is spread across
/// worlds: a histogram (share of worlds per $M bin, from the 1st to the 99th
/// percentile of the per-world difference), losses in vermillion on a shaded
/// loss side, gains in blue, the worlds where the two do exactly as well as
/// a grey bar at zero; zero and the mean marked; the shares of worlds where
/// it does better, worse and the same written above the plot.
pub fn gain_distribution(title: &str, chart: &GainDistribution) -> String {
    let title = title_or(title, "How the gain is spread across worlds");
    let mut pts: Vec<(f64, f64)> = chart
        .quantiles
        .iter()
        .filter(|(v, q)| v.is_finite() && q.is_finite())
        .map(|&(v, q)| (v * 1e-6, q.clamp(0.0, 1.0)))
        .collect();
    pts.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    // A quantile function never decreases.
    for i in 1..pts.len() {
        if pts[i].0 < pts[i - 1].0 {
            pts[i].0 = pts[i - 1].0;
        }
    }
    if pts.is_empty() {
        return no_data(&title, "no per-world difference to show");
    }
    let (a, b) = (chart.strategy.as_str(), chart.runner_up.as_str());
    let better = chart.p_better;
    let worse = chart.p_worse;
    let same = if better.is_finite() && worse.is_finite() {
        (1.0 - better - worse).max(0.0)
    } else {
        f64::NAN
    };
    let pct = |p: f64| {
        if !p.is_finite() {
            "–".to_string()
        } else if p > 0.0 && p < 0.005 {
            "under 1 %".to_string()
        } else {
            format!("{} %", fixed(p * 100.0, 0))
        }
    };
    let mean = chart.mean * 1e-6;
    let m = Unit::Millions;
    let headline = format!(
        "{a} does better than {b} in {} of worlds, worse in {}{}.",
        pct(better),
        pct(worse),
        if same > 0.0005 {
            format!(", the same in {}", pct(same))
        } else {
            String::new()
        }
    );
    let desc = format!(
        "{headline} Mean difference {}; 5th percentile {}, median {}, 95th percentile {}.",
        format_value(chart.mean, m, 2),
        format_value(cdf_inverse(&pts, 0.05) * 1e6, m, 2),
        format_value(cdf_inverse(&pts, 0.5) * 1e6, m, 2),
        format_value(cdf_inverse(&pts, 0.95) * 1e6, m, 2),
    );
    let mut svg = Svg::new(WIDTH, HEIGHT, &title, &desc);
    let head_font = Font::new(13.5);
    let head_lines = super::svg::wrap(&headline, head_font, WIDTH - 40.0);
    for (k, line) in head_lines.iter().take(2).enumerate() {
        svg.text_fit(20.0, 54.0 + 17.0 * k as f64, line, head_font, WIDTH - 40.0);
    }

    let mut items = vec![
        LegendItem::new(
            format!("{a} does worse"),
            Swatch::Box {
                fill: VERMILLION,
                opacity: 0.85,
                stroke: INK,
                stroke_width: 0.6,
            },
        ),
        LegendItem::new(
            format!("{a} does better"),
            Swatch::Box {
                fill: BLUE,
                opacity: 0.85,
                stroke: INK,
                stroke_width: 0.6,
            },
        ),
    ];
    if same > 0.0005 {
        items.push(LegendItem::new(
            "the same",
            Swatch::Box {
                fill: GREY,
                opacity: 1.0,
                stroke: INK,
                stroke_width: 0.6,
            },
        ));
    }
    items.push(LegendItem::new(
        "mean",
        Swatch::Line {
            color: INK,
            dash: Some("6 3"),
            marker: None,
            width: 2.0,
        },
    ));
    let legend_top = 80.0 + 17.0 * (head_lines.len().clamp(1, 2) - 1) as f64;
    let legend_h = legend_height(&items, 20.0, WIDTH - 20.0);
    legend(&mut svg, &items, 20.0, legend_top, WIDTH - 20.0);

    // The x range: the 1st to 99th percentiles, zero and the mean.
    let (vlo, vhi) = extent(
        pts.iter()
            .map(|p| p.0)
            .chain([0.0])
            .chain(mean.is_finite().then_some(mean)),
    )
    .unwrap_or((-1.0, 1.0));
    let span = if vhi > vlo { vhi - vlo } else { 1.0 };
    let step = nice_step(span / 28.0);
    let bins = bins(&pts, step, vlo, vhi);
    let lo = bins.first().map_or(vlo, |b| b.0);
    let hi = bins.last().map_or(vhi, |b| b.1);
    let x = nice_ticks(lo, hi, 8);
    let top_share = bins.iter().map(|b| b.2).fold(0.0, f64::max) * 100.0;
    let same_pct = if same.is_finite() { same * 100.0 } else { 0.0 };
    // A tie bar much taller than the rest is cut at the top and labelled.
    let y_top = if same_pct > top_share * 1.4 && top_share > 0.0 {
        top_share * 1.25
    } else {
        top_share.max(same_pct)
    };
    let y = nice_ticks(0.0, y_top.max(1e-3) * 1.12, 5);
    let unit_words = format!("$M, bins of ${}M", trim_zeros(&fixed(step, 4)));
    let left = 20.0 + 22.0 + Frame::y_label_width(&y, Unit::Percent) + 12.0;
    let frame = Frame {
        left,
        top: legend_top + legend_h + 6.0,
        right: WIDTH - 30.0,
        bottom: PLOT_BOTTOM,
        x,
        y,
    };
    let x0 = frame.px_in(0.0);
    // The loss side, shaded.
    if frame.x.lo < 0.0 {
        svg.rect(
            frame.left,
            frame.top,
            x0,
            frame.bottom,
            &format!("fill=\"{VERMILLION}\" fill-opacity=\"0.08\""),
        );
    }
    frame.y_axis(&mut svg, Unit::Percent, "Share of worlds, %", 26.0);
    frame.x_axis(
        &mut svg,
        m,
        &format!(
            "{a} − {b}, difference in {} per world, {unit_words}",
            chart.what
        ),
    );
    for &(a0, b0, share) in &bins {
        if share <= 0.0 {
            continue;
        }
        let color = if b0 <= 0.0 { VERMILLION } else { BLUE };
        let (xa, xb) = (frame.px_in(a0), frame.px_in(b0));
        let yv = frame.py_in(share * 100.0);
        svg.rect(
            xa + 0.5,
            yv,
            xb - 0.5,
            frame.bottom,
            &format!(
                "fill=\"{color}\" fill-opacity=\"0.85\" stroke=\"{INK}\" stroke-width=\"0.4\""
            ),
        );
        svg.obstacle(BBox::new(xa, yv, xb, frame.bottom));
    }
    let plot = BBox::new(frame.left, frame.top, frame.right, frame.bottom);
    if same_pct > 0.05 {
        let w = ((frame.px(step) - frame.px(0.0)).abs() * 0.5).clamp(3.0, 10.0);
        let yv = frame.py_in(same_pct);
        svg.rect(
            x0 - w / 2.0,
            yv,
            x0 + w / 2.0,
            frame.bottom,
            &format!("fill=\"{GREY}\" stroke=\"{INK}\" stroke-width=\"0.6\""),
        );
        if same_pct > frame.y.hi {
            // Cut: a white gap near the top says the bar goes on.
            svg.rect(
                x0 - w / 2.0 - 1.0,
                frame.top + 10.0,
                x0 + w / 2.0 + 1.0,
                frame.top + 14.0,
                "fill=\"#ffffff\"",
            );
        }
        svg.obstacle(BBox::new(x0 - w / 2.0, yv, x0 + w / 2.0, frame.bottom));
        let text = format!("same: {}", pct(same));
        let f = Font::new(12.0).bold().halo();
        let ty = yv.max(frame.top) + 14.0;
        svg.place(
            &text,
            &[
                (x0 + w / 2.0 + 4.0, ty, f),
                (x0 - w / 2.0 - 4.0, ty, f.end()),
                (x0 + w / 2.0 + 4.0, ty + 16.0, f),
                (x0 - w / 2.0 - 4.0, ty + 16.0, f.end()),
            ],
            plot,
        );
    }
    // Zero.
    svg.line(
        x0,
        frame.top,
        x0,
        frame.bottom,
        &format!("stroke=\"{INK}\" stroke-width=\"1.5\""),
    );
    // The mean.
    if mean.is_finite() {
        let xm = frame.px_in(mean);
        svg.line(
            xm,
            frame.top,
            xm,
            frame.bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"2\" stroke-dasharray=\"6 3\""),
        );
        let text = format!("mean {}", signed_money(chart.mean));
        let f = Font::new(12.5).bold().halo();
        let spots: Vec<(f64, f64, Font)> = (0..4)
            .flat_map(|k| {
                let ty = frame.top + 14.0 + 16.0 * k as f64;
                [(xm + 5.0, ty, f), (xm - 5.0, ty, f.end())]
            })
            .collect();
        svg.place(&text, &spots, plot);
    }
    // Which side is which.
    let side = Font::new(12.0).italic().halo();
    if frame.x.lo < 0.0 {
        svg.place(
            &format!("← {a} does worse"),
            &[
                (x0 - 6.0, frame.bottom - 8.0, side.end()),
                (frame.left + 6.0, frame.bottom - 8.0, side),
                (frame.left + 6.0, frame.top + 30.0, side),
            ],
            plot,
        );
    }
    if frame.x.hi > 0.0 {
        svg.place(
            &format!("{a} does better →"),
            &[
                (x0 + 6.0, frame.bottom - 8.0, side),
                (frame.right - 6.0, frame.bottom - 8.0, side.end()),
                (frame.right - 6.0, frame.top + 30.0, side.end()),
            ],
            plot,
        );
    }
    svg.note(
        HEIGHT,
        "The spread of the difference across simulated worlds (1st to 99th percentile), not the precision of its mean.",
    );
    svg.finish()
}

/// The value at share `q` from quantile points sorted by share (display units).
fn cdf_inverse(points: &[(f64, f64)], q: f64) -> f64 {
    match points.iter().position(|p| p.1 >= q) {
        None => points.last().map_or(f64::NAN, |p| p.0),
        Some(0) => points[0].0,
        Some(i) => {
            let (v0, q0) = points[i - 1];
            let (v1, q1) = points[i];
            if q1 > q0 {
                v0 + (v1 - v0) * (q - q0) / (q1 - q0)
            } else {
                v1
            }
        }
    }
}

/// Dollars as a signed amount in $M: `+$1.23M`, `−$0.40M`.
fn signed_money(x: f64) -> String {
    let d = if x.abs() >= 1e7 { 1 } else { 2 };
    let s = signed(x * 1e-6, d);
    match s.strip_prefix('+') {
        Some(rest) => format!("+${rest}M"),
        None => match s.strip_prefix('−') {
            Some(rest) => format!("−${rest}M"),
            None => format!("${s}M"),
        },
    }
}

/// `1.500` → `1.5`, `2.000` → `2`.
fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_keeps_the_undominated() {
        // (value, downside)
        let pts = [(10.0, 1.0), (8.0, 3.0), (9.0, 0.5), (7.0, 2.0), (10.0, 1.0)];
        assert_eq!(efficient_frontier(&pts), vec![0, 4, 1]);
        assert_eq!(efficient_frontier(&[(1.0, f64::NAN)]), Vec::<usize>::new());
        assert_eq!(efficient_frontier(&[(1.0, 1.0)]), vec![0]);
    }

    #[test]
    fn bins_leave_out_the_worlds_at_zero() {
        // 40 % of worlds lose uniformly over [-4, 0), 40 % tie, 20 % gain
        // uniformly over (0, 2].
        let mut pts = Vec::new();
        for k in 1..=99 {
            let q = k as f64 / 100.0;
            let v = if q < 0.4 {
                -4.0 + 10.0 * q
            } else if q <= 0.8 {
                0.0
            } else {
                (q - 0.8) * 10.0
            };
            pts.push((v, q));
        }
        let b = bins(&pts, 1.0, -4.0, 2.0);
        let loss: f64 = b.iter().filter(|x| x.1 <= 0.0).map(|x| x.2).sum();
        let gain: f64 = b.iter().filter(|x| x.0 >= 0.0).map(|x| x.2).sum();
        assert!((loss - 0.39).abs() < 0.02, "{loss} {b:?}");
        assert!((gain - 0.19).abs() < 0.02, "{gain} {b:?}");
        assert_eq!(signed_money(1.234e6), "+$1.23M");
        assert_eq!(signed_money(-4e5), "−$0.40M");
    }
}
