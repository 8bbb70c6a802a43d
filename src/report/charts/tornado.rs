//! The tornado chart: which inputs move a result (or a difference) most.

use super::axis::{Unit, decimals, fixed, format_value, nice_ticks, signed, ticks_inside};
use super::svg::{
    BBox, BLUE, Font, Frame, HEIGHT, INK, INK_SOFT, LegendItem, ORANGE, PLOT_BOTTOM, Svg, Swatch,
    WIDTH, extent, legend, legend_height, no_data, title_or,
};

/// Height of one input's row, at least (its name and its low and high
/// values on two lines), pixels.
const MIN_BAND: f64 = 28.0;

/// One input of a tornado, for [`tornado`].
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// The input's name, e.g. `payer.reservation` (any text; it is escaped).
    pub input: String,
    /// The input's value at its low end (e.g. its P10), in the input's own
    /// units; printed under the name.
    pub input_low: f64,
    /// The input's value at its high end (e.g. its P90).
    pub input_high: f64,
    /// The metric with the input at its low end, in base units of
    /// [`Tornado::unit`] (dollars for $M).
    pub metric_low: f64,
    /// The metric with the input at its high end.
    pub metric_high: f64,
}

/// A tornado: the metric at the base and at each input's two ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// The metric with every input as written (the base), in base units.
    pub base: f64,
    /// Unit of the metric: [`Unit::Millions`] for money (given in dollars),
    /// [`Unit::Count`] for patient-weeks.
    pub unit: Unit,
    /// The x-axis title, with its unit, e.g. `escalate-now − wait, $M`.
    pub axis_title: String,
    /// Whether the metric is a difference of two strategies: then zero is
    /// drawn, and inputs whose range of results (low, high and base) holds a
    /// strictly positive and a strictly negative value are marked as
    /// flipping the sign.
    pub difference: bool,
    /// The inputs, drawn top to bottom in the order given (largest swing first).
    pub bars: Vec<TornadoBar>,
}

/// An input value in few characters: `0.025`, `4`, `1.5`, `40k`, `120M`.
fn compact(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    let (v, suffix) = if a >= 1e9 {
        (x / 1e9, "bn")
    } else if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e4 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let digits = if v == 0.0 {
        0
    } else {
        (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize
    };
    let s = fixed(v, digits);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{suffix}")
}

/// Whether a difference changes sign among these values.
fn flips(values: &[f64]) -> bool {
    values.iter().any(|&v| v > 0.0) && values.iter().any(|&v| v < 0.0)
}

/// A tornado chart: for each input (top to bottom as given), a bar from the
/// base to the metric with the input at its low end, and one to the metric
/// at its high end, in two colours; the input's name and the two values used
/// on the left; a vertical line at the base; for a difference, a dashed line
/// at zero and a bold outline and a "flips sign" label on inputs that can
/// change the sign of the difference.
pub fn tornado(title: &str, chart: &Tornado) -> String {
    let title = title_or(title, "What moves the result most");
    if chart.bars.is_empty() {
        return no_data(&title, "no input was varied");
    }
    let unit = chart.unit;
    let show = |v: f64| unit.display(v);
    let base = show(chart.base);
    let flip_of = |b: &TornadoBar| {
        chart.difference && flips(&[b.metric_low, b.metric_high, chart.base].map(show))
    };
    let any_flip = chart.bars.iter().any(flip_of);

    let (lo, hi) = extent(
        chart
            .bars
            .iter()
            .flat_map(|b| [b.metric_low, b.metric_high])
            .chain([chart.base])
            .chain(chart.difference.then_some(0.0))
            .map(show),
    )
    .unwrap_or((0.0, 1.0));
    let x = nice_ticks(lo, hi, 7);
    let d = decimals(x.step) + 1;
    let whole = x.step >= 1.0;
    let value = |v: f64| {
        if chart.difference {
            signed(v, d)
        } else if unit == Unit::Count && whole {
            super::axis::thousands(v)
        } else {
            fixed(v, d)
        }
    };
    let desc = format!(
        "Base {}. {}",
        value(base),
        chart
            .bars
            .iter()
            .map(|b| format!(
                "{}: {} at {} (low), {} at {} (high){}.",
                b.input,
                value(show(b.metric_low)),
                compact(b.input_low),
                value(show(b.metric_high)),
                compact(b.input_high),
                if flip_of(b) { ", flips the sign" } else { "" }
            ))
            .collect::<Vec<_>>()
            .join(" ")
    );

    let mut items = vec![
        LegendItem::new(
            "input low",
            Swatch::Box {
                fill: BLUE,
                opacity: 1.0,
                stroke: BLUE,
                stroke_width: 1.0,
            },
        ),
        LegendItem::new(
            "input high",
            Swatch::Box {
                fill: ORANGE,
                opacity: 1.0,
                stroke: ORANGE,
                stroke_width: 1.0,
            },
        ),
        LegendItem::new(
            "base (every input as written)",
            Swatch::Line {
                color: INK,
                dash: None,
                marker: None,
                width: 2.0,
            },
        ),
    ];
    if any_flip {
        items.push(LegendItem::new(
            "flips the sign of the difference",
            Swatch::Box {
                fill: "#ffffff",
                opacity: 1.0,
                stroke: INK,
                stroke_width: 2.5,
            },
        ));
    }
    // Each input needs two lines: the chart grows with many inputs.
    let legend_h = legend_height(&items, 20.0, WIDTH - 20.0);
    let top = 56.0 + legend_h + 26.0;
    let height = (top + chart.bars.len() as f64 * MIN_BAND + (HEIGHT - PLOT_BOTTOM)).max(HEIGHT);
    let bottom = height - (HEIGHT - PLOT_BOTTOM);
    let mut svg = Svg::new(WIDTH, height, &title, &desc);
    legend(&mut svg, &items, 20.0, 56.0, WIDTH - 20.0);

    let name_font = Font::new(13.0);
    let sub_font = Font::new(11.0).color(INK_SOFT);
    let subs: Vec<String> = chart
        .bars
        .iter()
        .map(|b| {
            format!(
                "low {} · high {}",
                compact(b.input_low),
                compact(b.input_high)
            )
        })
        .collect();
    let name_w = chart
        .bars
        .iter()
        .zip(&subs)
        .map(|(b, s)| name_font.width(&b.input).max(sub_font.width(s)))
        .fold(60.0, f64::max)
        .min(270.0);
    let left = 20.0 + name_w + 46.0;
    let right = WIDTH - if any_flip { 92.0 } else { 40.0 };
    let frame = Frame {
        left,
        top,
        right,
        bottom,
        x,
        y: ticks_inside(0.0, 1.0, 2),
    };
    let n = chart.bars.len() as f64;
    let band = (bottom - top) / n;
    for i in (1..chart.bars.len()).step_by(2) {
        let y0 = top + band * i as f64;
        svg.rect(20.0, y0, right, y0 + band, "fill=\"#f3f3f3\"");
    }
    frame.x_axis(&mut svg, unit, &chart.axis_title);
    let zero_line = chart.difference && frame.x.lo < 0.0 && frame.x.hi > 0.0 && base != 0.0;
    let x0 = frame.px(0.0);
    if zero_line {
        svg.line(
            x0,
            top,
            x0,
            bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\""),
        );
    }

    let bar_h = (band * 0.72).clamp(8.0, 34.0);
    let label_font = Font::new(11.5);
    let xb = frame.px_in(base);
    // Names, "flips sign" and the bars first; then the value labels, each
    // where it overlaps nothing (outside its bar's end, inside it, or beyond
    // both bars of its row), or left to the table if there is no room.
    struct Bar {
        v: f64,
        xv: f64,
        upper: bool,
        rect: BBox,
        ty: f64,
        color: &'static str,
    }
    let mut rows: Vec<Vec<Bar>> = Vec::new();
    for (i, (b, sub)) in chart.bars.iter().zip(&subs).enumerate() {
        let cy = top + band * (i as f64 + 0.5);
        let flip = flip_of(b);
        svg.group("input");
        svg.text_fit(20.0, cy - 2.0, &b.input, name_font, name_w + 20.0);
        svg.text_fit(20.0, cy + 11.5, sub, sub_font, name_w + 20.0);
        let (ml, mh) = (show(b.metric_low), show(b.metric_high));
        let mut row = Vec::new();
        if !ml.is_finite() && !mh.is_finite() {
            svg.text(xb + 6.0, cy + 4.0, "no data", label_font.italic());
            svg.end_group();
            rows.push(row);
            continue;
        }
        let outline = if flip {
            format!("stroke=\"{INK}\" stroke-width=\"2.5\"")
        } else {
            format!("stroke=\"{INK}\" stroke-width=\"0.6\"")
        };
        for (k, (v, color)) in [(ml, BLUE), (mh, ORANGE)].into_iter().enumerate() {
            if !v.is_finite() {
                continue;
            }
            let y0 = cy - bar_h / 2.0 + k as f64 * bar_h / 2.0;
            let xv = frame.px_in(v);
            let x_end = if (xv - xb).abs() < 1.0 { xb + 1.0 } else { xv };
            svg.rect(
                xb,
                y0,
                x_end,
                y0 + bar_h / 2.0,
                &format!("fill=\"{color}\" {outline}"),
            );
            let rect = BBox::new(xb, y0, x_end, y0 + bar_h / 2.0);
            svg.obstacle(rect);
            row.push(Bar {
                v,
                xv,
                upper: k == 0,
                rect,
                ty: y0 + bar_h / 4.0 + 4.0,
                color,
            });
        }
        if flip {
            svg.text(
                WIDTH - 20.0,
                cy + 4.5,
                "flips sign",
                Font::new(12.5).bold().end(),
            );
        }
        svg.end_group();
        rows.push(row);
    }
    svg.line(
        xb,
        top - 4.0,
        xb,
        bottom,
        &format!("stroke=\"{INK}\" stroke-width=\"2\""),
    );
    let base_label = format!(
        "base {}",
        match unit {
            Unit::Millions if !chart.difference => format_value(chart.base, unit, d),
            _ => value(base),
        }
    );
    let base_font = Font::new(12.0).bold().halo();
    let chart_box = BBox::new(4.0, 40.0, WIDTH - 4.0, height - 4.0);
    svg.place(
        &base_label,
        &[
            (xb, top - 10.0, base_font.middle()),
            (xb - 4.0, top - 10.0, base_font.end()),
            (xb + 4.0, top - 10.0, base_font),
        ],
        chart_box,
    );
    if zero_line {
        let f = Font::new(11.0).halo();
        svg.place(
            "0: no difference",
            &[
                (x0 + 4.0, bottom - 6.0, f),
                (x0 - 4.0, bottom - 6.0, f.end()),
                (x0 + 4.0, top + 12.0, f),
                (x0 - 4.0, top + 12.0, f.end()),
            ],
            BBox::new(frame.left, top, frame.right, bottom),
        );
    }
    let plot_box = BBox::new(20.0 + name_w + 22.0, top - 2.0, WIDTH - 4.0, bottom);
    for row in &rows {
        let far_right = row.iter().map(|b| b.rect.x1).fold(xb, f64::max);
        let far_left = row.iter().map(|b| b.rect.x0).fold(xb, f64::min);
        for bar in row {
            let text = value(bar.v);
            let outside = if bar.xv >= xb {
                (bar.xv + 4.0, bar.ty, label_font.halo())
            } else {
                (bar.xv - 4.0, bar.ty, label_font.end().halo())
            };
            let ink = if bar.color == BLUE { "#ffffff" } else { INK };
            let inside = if bar.xv >= xb {
                (bar.xv - 3.0, bar.ty, label_font.end().color(ink))
            } else {
                (bar.xv + 3.0, bar.ty, label_font.color(ink))
            };
            let inside_fits =
                (bar.rect.x1 - bar.rect.x0) >= label_font.width(&text) + 8.0 && bar_h / 2.0 >= 11.0;
            let mut spots = vec![outside];
            if inside_fits {
                spots.push(inside);
            }
            spots.push((far_right + 4.0, bar.ty, label_font.halo()));
            spots.push((far_left - 4.0, bar.ty, label_font.end().halo()));
            // Half a bar higher or lower, beyond the row's bars.
            let shift = if bar.upper { -bar_h / 4.0 } else { bar_h / 4.0 };
            spots.push((far_right + 4.0, bar.ty + shift, label_font.halo()));
            spots.push((far_left - 4.0, bar.ty + shift, label_font.end().halo()));
            svg.place_over(&text, &spots, plot_box, Some(bar.rect));
        }
    }
    svg.note(
        height,
        "Each input moved alone to its low and high value, every other input as written; same simulated worlds.",
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(0.025), "0.025");
        assert_eq!(compact(0.0185), "0.0185");
        assert_eq!(compact(4.0), "4");
        assert_eq!(compact(1.5), "1.5");
        assert_eq!(compact(40_000.0), "40k");
        assert_eq!(compact(120_000_000.0), "120M");
        assert_eq!(compact(-2.0), "−2");
        assert_eq!(compact(f64::NAN), "–");
    }

    #[test]
    fn flip_needs_both_signs() {
        assert!(flips(&[-1.0, 2.0, 0.5]));
        assert!(!flips(&[0.0, 2.0, 0.5]));
        assert!(!flips(&[-1.0, -2.0, 0.0]));
    }
}
