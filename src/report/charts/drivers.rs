//! The drivers chart: which uncertainties drive a result (or a difference)
//! once they all move together, by their Sobol' indices.

use super::axis::{Unit, format_value, nice_ticks, ticks_inside};
use super::svg::{
    BBox, BLUE, Font, Frame, HEIGHT, INK, LegendItem, ORANGE, PLOT_BOTTOM, SKY, Svg, Swatch,
    VERMILLION, WIDTH, legend, legend_height, no_data, title_or, wrap,
};

/// Height of one factor's row, at least (its label on up to two lines),
/// pixels.
const MIN_BAND: f64 = 36.0;

/// Widest the label column may be, pixels; longer labels wrap to a second
/// line, then are shortened with "…".
const MAX_LABEL: f64 = 290.0;

/// Gap between the two lines of a label, baseline to baseline, pixels.
const LINE: f64 = 14.5;

/// One factor of a [`Drivers`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverBar {
    /// The factor in words (any text; it is escaped).
    pub label: String,
    /// Whether it is chance (the random events), drawn in its own colour.
    pub chance: bool,
    /// First-order index S1: the share of the variance it explains alone
    /// (a fraction; 0.3 = 30 %).
    pub first: f64,
    /// Total index ST: its share with every interaction.
    pub total: f64,
    /// The 95 % bootstrap interval of the total index, if estimated.
    pub total_ci95: Option<(f64, f64)>,
}

/// Sobol' indices of the factors of one result, for [`drivers`].
#[derive(Debug, Clone, PartialEq)]
pub struct Drivers {
    /// The x-axis title, ending with its unit (`…, %`).
    pub axis_title: String,
    /// The factors, drawn top to bottom in the order given (largest total
    /// index first).
    pub factors: Vec<DriverBar>,
}

/// A share (fraction) as a label: `96%`, `4.5%`, `0.3%`.
fn share(x: f64) -> String {
    // Whole percentages from 10 % up (as rounded to one decimal).
    let d = if x.abs() >= 0.0995 { 0 } else { 1 };
    format_value(x, Unit::Percent, d)
}

/// `label` broken at spaces into at most two lines of at most `max` pixels
/// in `font`: what does not fit on the first line goes on the second, which
/// may be wider (it is shortened with "…" when drawn).
fn two_lines(label: &str, font: Font, max: f64) -> Vec<String> {
    let mut lines = wrap(label, font, max);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(rest);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A horizontal bar chart of Sobol' indices: one row per factor (top to
/// bottom as given), its label in words on the left (wrapped on two lines);
/// a pale bar to its total index ST with a darker, thinner bar inside it to
/// its first-order index S1; a whisker for the 95 % interval of ST; ST
/// printed at the end of the row. Chance is drawn in orange and vermillion,
/// the inputs in sky blue and blue. Shares are drawn from 0 to at most 100 %
/// (an estimate below 0 or an interval beyond 100 % is cut at the axis; the
/// `<desc>` has every number).
pub fn drivers(title: &str, chart: &Drivers) -> String {
    let title = title_or(title, "What drives the result");
    if chart.factors.is_empty() {
        return no_data(
            &title,
            "the result does not vary, so there is nothing to apportion",
        );
    }
    let interval = |b: &DriverBar| {
        b.total_ci95
            .filter(|(lo, hi)| lo.is_finite() && hi.is_finite())
    };
    let desc = format!(
        "Share of the variance explained by each factor: {}",
        chart
            .factors
            .iter()
            .map(|b| {
                let ci = interval(b).map_or(String::new(), |(lo, hi)| {
                    format!(" (95% interval {} to {})", share(lo), share(hi))
                });
                format!(
                    "{} \u{2014} {} in total{ci}, {} alone.",
                    b.label,
                    share(b.total),
                    share(b.first)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    );
    let any_chance = chart.factors.iter().any(|b| b.chance);
    let any_input = chart.factors.iter().any(|b| !b.chance);
    let any_interval = chart.factors.iter().any(|b| interval(b).is_some());
    let boxed = |fill: &'static str| Swatch::Box {
        fill,
        opacity: 1.0,
        stroke: INK,
        stroke_width: 0.6,
    };
    let mut items = Vec::new();
    if any_input {
        items.push(LegendItem::new(
            "total share, interactions included (ST)",
            boxed(SKY),
        ));
        items.push(LegendItem::new("share alone (S1)", boxed(BLUE)));
    }
    if any_chance {
        items.push(LegendItem::new("chance: total", boxed(ORANGE)));
        items.push(LegendItem::new("chance: alone", boxed(VERMILLION)));
    }
    if any_interval {
        items.push(LegendItem::new(
            "95 % interval of the total share",
            Swatch::Line {
                color: INK,
                dash: None,
                marker: None,
                width: 1.5,
            },
        ));
    }
    let legend_h = legend_height(&items, 20.0, WIDTH - 20.0);
    let top = 56.0 + legend_h + 14.0;
    let n = chart.factors.len() as f64;
    let height = (top + n * MIN_BAND + (HEIGHT - PLOT_BOTTOM)).max(HEIGHT);
    let bottom = height - (HEIGHT - PLOT_BOTTOM);
    let mut svg = Svg::new(WIDTH, height, &title, &desc);
    legend(&mut svg, &items, 20.0, 56.0, WIDTH - 20.0);

    let label_font = Font::new(12.5);
    let labels: Vec<Vec<String>> = chart
        .factors
        .iter()
        .map(|b| two_lines(&b.label, label_font, MAX_LABEL))
        .collect();
    let name_w = labels
        .iter()
        .flat_map(|lines| lines.iter().map(|l| label_font.width(l)))
        .fold(60.0, f64::max)
        .min(MAX_LABEL);
    let left = 20.0 + name_w + 18.0;
    let right = WIDTH - 64.0;
    // Shares from 0 to the largest shown, at most 100 %.
    let largest = chart
        .factors
        .iter()
        .flat_map(|b| {
            [b.first, b.total]
                .into_iter()
                .chain(interval(b).map(|c| c.1))
        })
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .clamp(0.01, 1.0);
    let mut x = nice_ticks(0.0, largest * 100.0, 6);
    if x.hi > 100.0 {
        x = ticks_inside(0.0, 100.0, 6);
    }
    let frame = Frame {
        left,
        top,
        right,
        bottom,
        x,
        y: ticks_inside(0.0, 1.0, 2),
    };
    let band = (bottom - top) / n;
    for i in (1..chart.factors.len()).step_by(2) {
        let y0 = top + band * i as f64;
        svg.rect(20.0, y0, WIDTH - 20.0, y0 + band, "fill=\"#f3f3f3\"");
    }
    frame.x_axis(&mut svg, Unit::Percent, &chart.axis_title);

    let bar_h = (band * 0.62).clamp(8.0, 24.0);
    let inner_h = (bar_h * 0.45).max(4.0);
    let value_font = Font::new(12.0);
    let x0 = frame.px_in(0.0);
    let plot_box = BBox::new(left, top, WIDTH - 4.0, bottom);
    for (i, (b, lines)) in chart.factors.iter().zip(&labels).enumerate() {
        let cy = top + band * (i as f64 + 0.5);
        svg.group(if b.chance { "factor chance" } else { "factor" });
        // One line centred on the row; two lines either side of its middle.
        let first_y = if lines.len() > 1 {
            cy - LINE / 2.0 + 4.5
        } else {
            cy + 4.5
        };
        for (k, line) in lines.iter().enumerate() {
            // A line too long is shortened, its full text kept as a tooltip.
            let y = first_y + k as f64 * LINE;
            svg.text_fit(20.0, y, line, label_font, name_w + 0.5);
        }
        let (pale, dark) = if b.chance {
            (ORANGE, VERMILLION)
        } else {
            (SKY, BLUE)
        };
        if !b.total.is_finite() {
            svg.text(x0 + 6.0, cy + 4.5, "no data", value_font.italic());
            svg.end_group();
            continue;
        }
        let xt = frame.px_in(b.total.max(0.0) * 100.0);
        if xt - x0 >= 0.5 {
            svg.rect(
                x0,
                cy - bar_h / 2.0,
                xt,
                cy + bar_h / 2.0,
                &format!("fill=\"{pale}\" stroke=\"{INK}\" stroke-width=\"0.6\""),
            );
        }
        if b.first.is_finite() {
            let xf = frame.px_in(b.first.max(0.0) * 100.0);
            if xf - x0 >= 0.5 {
                svg.rect(
                    x0,
                    cy - inner_h / 2.0,
                    xf,
                    cy + inner_h / 2.0,
                    &format!("fill=\"{dark}\" stroke=\"none\""),
                );
            }
        }
        let mut end = xt;
        if let Some((lo, hi)) = interval(b) {
            let (xl, xh) = (
                frame.px_in(lo.max(0.0) * 100.0),
                frame.px_in(hi.max(0.0) * 100.0),
            );
            let style = format!("stroke=\"{INK}\" stroke-width=\"1.5\"");
            let cap = bar_h * 0.38;
            svg.line(xl, cy, xh, cy, &style);
            svg.line(xl, cy - cap, xl, cy + cap, &style);
            svg.line(xh, cy - cap, xh, cy + cap, &style);
            end = end.max(xh);
        }
        svg.obstacle(BBox::new(x0, cy - bar_h / 2.0, end, cy + bar_h / 2.0));
        svg.place(
            &share(b.total),
            &[
                (end + 5.0, cy + 4.2, value_font),
                (end + 5.0, cy + bar_h / 2.0 + 11.0, value_font),
            ],
            plot_box,
        );
        svg.end_group();
    }
    svg.note(
        height,
        "Every uncertainty moves at once; total shares count interactions, so they can add up to more than 100%.",
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(share(0.963), "96%");
        assert_eq!(share(0.045), "4.5%");
        assert_eq!(share(0.0999), "10%");
        assert_eq!(share(0.0), "0.0%");
    }

    #[test]
    fn long_labels_take_two_lines() {
        let f = Font::new(12.5);
        assert_eq!(two_lines("short", f, 300.0), ["short"]);
        let long = "rise in the payer's ceiling under out-of-network pressure";
        let lines = two_lines(long, f, 300.0);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| f.width(l) <= 300.0));
        assert_eq!(lines.join(" "), long);
        let longer = [long; 3].join(" ");
        let lines = two_lines(&longer, f, 300.0);
        assert_eq!(lines.len(), 2);
        assert!(f.width(&lines[1]) > 300.0);
        assert_eq!(lines.join(" "), longer);
    }
}
