//! Sample negotiation timelines, one small panel each.

use crate::model::trace::{Event, Timeline};

use super::axis::{Unit, fixed, format_value, nice_ticks, week_ticks};
use super::svg::{
    BBox, BLUE, Font, Frame, HEIGHT, INK, INK_SOFT, LegendItem, SKY, Svg, Swatch, VERMILLION,
    WIDTH, extent, legend, legend_height, no_data, title_or,
};

/// One sample timeline and its heading, for [`timelines`].
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePanel {
    /// The panel's heading, e.g. `escalate-now, world 17` (any text; it is escaped).
    pub title: String,
    /// The path, as traced by [`crate::model::play_observed`].
    pub timeline: Timeline,
}

/// Fill of the roll-over shading.
const ROLL_FILL: &str = SKY;
const ROLL_OPACITY: f64 = 0.3;
/// Fill of the out-of-network shading.
const OON_FILL: &str = VERMILLION;
const OON_OPACITY: f64 = 0.2;

/// A short label for an event, or None for events the shading already shows.
fn event_label(e: &Event, uplift: Option<f64>) -> Option<String> {
    Some(match e.kind.as_str() {
        "impasse" => "impasse".into(),
        "escalation" => "escalation".into(),
        "executives_engage" => "execs engage".into(),
        "notice" => "notice".into(),
        "data_ready" => "case ready".into(),
        "deal" => match uplift {
            Some(u) if u.is_finite() => format!("deal {}", format_value(u, Unit::Percent, 2)),
            _ => "deal".into(),
        },
        "back_in_network" => "back in network".into(),
        "bluff_called" => "bluff called".into(),
        "roll_over" => return None,
        "out_of_network" if e.week <= 0 => return None,
        "out_of_network" => "still out of network".into(),
        other => other.replace('_', " "),
    })
}

/// Staircase through meeting values: each value holds until the next
/// meeting; unless talks ended there (`closed`), the last one holds for one
/// more interval (not past expiry if it was before it).
fn steps(weeks_values: &[(f64, f64)], closed: bool) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(weeks_values.len() * 2 + 1);
    for (i, &(w, v)) in weeks_values.iter().enumerate() {
        out.push((w, v));
        if let Some(&(next, _)) = weeks_values.get(i + 1) {
            out.push((next, v));
        }
    }
    if let Some(&(last, v)) = weeks_values.last().filter(|_| !closed) {
        let gap = if weeks_values.len() >= 2 {
            last - weeks_values[weeks_values.len() - 2].0
        } else {
            1.0
        };
        let end = if last < 0.0 {
            (last + gap).min(0.0)
        } else {
            last + gap
        };
        if end > last {
            out.push((end, v));
        }
    }
    out
}

/// Sample negotiation timelines as small multiples (one panel per timeline,
/// one column for up to two panels, two columns beyond): the payer's offers
/// and the provider's asks at each meeting as step lines (uplift, %), the new
/// contract's rate after expiry, dashed vertical markers labelled with the
/// events (impasse, escalation, executives engage, notice, deal, …), expiry
/// (week 0) as a solid line, and the roll-over and out-of-network periods
/// after expiry shaded and labelled. Panels share both axes.
pub fn timelines(title: &str, panels: &[TimelinePanel]) -> String {
    let title = title_or(title, "Sample negotiations, week by week");
    if panels.is_empty() {
        return no_data(&title, "no sample timeline");
    }
    let n = panels.len();
    let cols = if n <= 2 { 1 } else { 2 };
    let rows = n.div_ceil(cols);

    // Shared axes.
    let weeks = |t: &Timeline| -> Vec<f64> {
        t.meetings
            .iter()
            .map(|m| m.week as f64)
            .chain(t.events.iter().map(|e| e.week as f64))
            .chain([(t.rollover_weeks + t.oon_weeks) as f64])
            .collect()
    };
    let (wlo, whi) = extent(panels.iter().flat_map(|p| weeks(&p.timeline))).unwrap_or((-26.0, 0.0));
    let x_lo = (wlo.min(-4.0) - 2.0).floor();
    let cap = 52f64.max(-x_lo);
    let x_hi = (whi.max(0.0) + 4.0).max(8.0).min(cap + 4.0);
    let values = panels.iter().flat_map(|p| {
        let t = &p.timeline;
        t.meetings
            .iter()
            .flat_map(|m| [m.payer_offer, m.provider_ask])
            .chain(t.uplift)
            .map(|v| v * 100.0)
            .collect::<Vec<_>>()
    });
    let (vlo, vhi) = extent(values).unwrap_or((0.0, 5.0));
    // Headroom at the top for event labels.
    let y = nice_ticks(vlo.min(0.0), vhi.max(0.5) / 0.68, 5);

    let desc = panels
        .iter()
        .map(|p| {
            let t = &p.timeline;
            let events = t
                .events
                .iter()
                .map(|e| format!("week {}: {}", fixed(e.week as f64, 0), e.detail))
                .collect::<Vec<_>>()
                .join("; ");
            format!(
                "{}: revenue {}. {}.",
                p.title,
                format_value(t.revenue, Unit::Millions, 1),
                if events.is_empty() {
                    "no events".to_string()
                } else {
                    events
                }
            )
        })
        .collect::<Vec<_>>()
        .join(" ");

    let items = vec![
        LegendItem::new(
            "payer's offer",
            Swatch::Line {
                color: BLUE,
                dash: None,
                marker: None,
                width: 2.5,
            },
        ),
        LegendItem::new(
            "provider's ask",
            Swatch::Line {
                color: VERMILLION,
                dash: Some("7 4"),
                marker: None,
                width: 2.5,
            },
        ),
        LegendItem::new(
            "new contract rate",
            Swatch::Line {
                color: INK,
                dash: None,
                marker: None,
                width: 3.0,
            },
        ),
        LegendItem::new(
            "roll-over (old terms)",
            Swatch::Box {
                fill: ROLL_FILL,
                opacity: ROLL_OPACITY,
                stroke: ROLL_FILL,
                stroke_width: 1.0,
            },
        ),
        LegendItem::new(
            "out of network",
            Swatch::Box {
                fill: OON_FILL,
                opacity: OON_OPACITY,
                stroke: OON_FILL,
                stroke_width: 1.0,
            },
        ),
    ];
    let legend_h = legend_height(&items, 20.0, WIDTH - 20.0);
    let header = 56.0 + legend_h + 8.0;
    let footer = 52.0;
    let heading_h = 38.0;
    let ticks_h = 26.0;
    let plot_h = if rows == 1 {
        HEIGHT - header - footer - heading_h - ticks_h
    } else {
        150.0
    };
    let block = heading_h + plot_h + ticks_h + 8.0;
    let height = (header + rows as f64 * block + footer).max(HEIGHT);
    let mut svg = Svg::new(WIDTH, height, &title, &desc);
    legend(&mut svg, &items, 20.0, 56.0, WIDTH - 20.0);

    let y_label_w = Frame::y_label_width(&y, Unit::Percent);
    let gutter = 30.0;
    let col_w = (WIDTH - 20.0 - 20.0 - (cols as f64 - 1.0) * gutter) / cols as f64;
    for (i, panel) in panels.iter().enumerate() {
        let (r, c) = (i / cols, i % cols);
        let x0 = 20.0 + c as f64 * (col_w + gutter);
        let y0 = header + r as f64 * block;
        let left = x0 + if c == 0 { 22.0 } else { 0.0 } + y_label_w + 12.0;
        let frame = Frame {
            left,
            top: y0 + heading_h,
            right: x0 + col_w - 4.0,
            bottom: y0 + heading_h + plot_h,
            x: week_ticks(x_lo, x_hi, if cols == 1 { 16 } else { 9 }),
            y: y.clone(),
        };
        draw_panel(&mut svg, &frame, panel, x0, c == 0);
    }
    svg.text(
        WIDTH / 2.0,
        height - 30.0,
        "Weeks relative to contract expiry (week 0)",
        Font::new(13.5).bold().middle(),
    );
    svg.note(
        height,
        "Offers and asks are uplifts over today's rates at each staff meeting; dashed lines mark events.",
    );
    svg.finish()
}

/// One panel.
fn draw_panel(svg: &mut Svg, frame: &Frame, panel: &TimelinePanel, x0: f64, first_col: bool) {
    let t = &panel.timeline;
    svg.group("timeline");
    // Heading: the panel's title, and its outcome on the right.
    let outcome = match t.uplift {
        Some(u) if u.is_finite() => format!(
            "revenue {} · new rate {}",
            format_value(t.revenue, Unit::Millions, 1),
            format_value(u, Unit::Percent, 2)
        ),
        _ => format!(
            "revenue {} · no new contract",
            format_value(t.revenue, Unit::Millions, 1)
        ),
    };
    let width = frame.right - x0;
    svg.text_fit(
        x0,
        frame.top - 23.0,
        &panel.title,
        Font::new(13.5).bold(),
        width,
    );
    svg.text_fit(
        x0,
        frame.top - 8.0,
        &outcome,
        Font::new(12.0).color(INK_SOFT),
        width,
    );

    // Shaded periods after expiry.
    let roll = t.rollover_weeks as f64;
    let oon = t.oon_weeks as f64;
    let shade =
        |svg: &mut Svg, a: f64, b: f64, fill: &str, opacity: f64, label: String, short: String| {
            if b <= a {
                return;
            }
            let (xa, xb) = (frame.px_in(a), frame.px_in(b));
            if xb - xa < 0.5 {
                return;
            }
            svg.rect(
                xa,
                frame.top,
                xb,
                frame.bottom,
                &format!("fill=\"{fill}\" fill-opacity=\"{opacity}\""),
            );
            let f = Font::new(11.5).bold().halo();
            let within = BBox::new(xa, frame.top, xb, frame.bottom);
            for text in [label, short] {
                let spots = [
                    (xa + 5.0, frame.bottom - 8.0, f),
                    (xa + 5.0, frame.bottom - 22.0, f),
                ];
                if svg.place(&text, &spots, within).is_some() {
                    break;
                }
            }
        };
    shade(
        svg,
        0.0,
        roll,
        ROLL_FILL,
        ROLL_OPACITY,
        format!("roll-over, {} wk", fixed(roll, 0)),
        format!("{} wk", fixed(roll, 0)),
    );
    shade(
        svg,
        roll,
        roll + oon,
        OON_FILL,
        OON_OPACITY,
        format!("out of network, {} wk", fixed(oon, 0)),
        format!("{} wk", fixed(oon, 0)),
    );

    frame.y_axis(
        svg,
        Unit::Percent,
        if first_col { "Uplift, %" } else { "" },
        frame.left - Frame::y_label_width(&frame.y, Unit::Percent) - 23.0,
    );
    frame.x_axis(svg, Unit::Weeks, "");
    let inside = BBox::new(frame.left, frame.top, frame.right, frame.bottom);
    // Events past the axis are named at its right edge.
    let beyond: Vec<String> = t
        .events
        .iter()
        .filter(|e| e.week as f64 > frame.x.hi)
        .filter_map(|e| {
            event_label(e, t.uplift).map(|l| format!("{l} at week {}", fixed(e.week as f64, 0)))
        })
        .collect();
    let mut far = Vec::new();
    if (roll + oon) > frame.x.hi {
        far.push(format!("to week {}", fixed(roll + oon, 0)));
    }
    far.extend(beyond.into_iter().take(1));
    if !far.is_empty() {
        let f = Font::new(11.0).end().halo();
        let text = format!("→ {}", far.join("; "));
        let spots: Vec<(f64, f64, Font)> = (0..6)
            .map(|k| (frame.right - 4.0, frame.bottom - 24.0 - 13.0 * k as f64, f))
            .collect();
        svg.place(&text, &spots, inside);
    }

    if t.meetings.is_empty() && t.events.is_empty() {
        svg.text(
            (frame.left + frame.right) / 2.0,
            (frame.top + frame.bottom) / 2.0,
            "no data",
            Font::new(13.0).middle().italic(),
        );
        svg.end_group();
        return;
    }

    // Expiry.
    let xe = frame.px_in(0.0);
    svg.line(
        xe,
        frame.top,
        xe,
        frame.bottom,
        &format!("stroke=\"{INK}\" stroke-width=\"2\""),
    );

    // Event markers, grouped by week, labels stacked in rows; expiry is
    // labelled among them.
    let mut by_week: Vec<(i32, Vec<String>)> = Vec::new();
    for e in &t.events {
        let Some(label) = event_label(e, t.uplift) else {
            continue;
        };
        match by_week.last_mut() {
            Some((w, labels)) if *w == e.week => {
                if !labels.contains(&label) {
                    labels.push(label)
                }
            }
            _ => by_week.push((e.week, vec![label])),
        }
    }
    match by_week.iter().position(|(w, _)| *w >= 0) {
        Some(i) if by_week[i].0 == 0 => by_week[i].1.insert(0, "expiry".into()),
        Some(i) => by_week.insert(i, (0, vec!["expiry".into()])),
        None => by_week.push((0, vec!["expiry".into()])),
    }
    let font = Font::new(11.0).halo();
    let row_h = 13.0;
    // Rows of labels from the top, above the shading's labels.
    let rows = (((frame.bottom - 34.0) - (frame.top + 12.0)) / row_h)
        .floor()
        .max(1.0) as usize;
    let spots = |xw: f64| -> Vec<(f64, f64, Font)> {
        (0..rows)
            .flat_map(|r| {
                let ty = frame.top + 12.0 + r as f64 * row_h;
                [(xw + 3.0, ty, font), (xw - 3.0, ty, font.end())]
            })
            .collect()
    };
    for (week, labels) in &by_week {
        let w = *week as f64;
        if w < frame.x.lo || w > frame.x.hi {
            continue;
        }
        let xw = frame.px(w);
        if *week != 0 {
            svg.line(
                xw,
                frame.top,
                xw,
                frame.bottom,
                &format!("stroke=\"{INK}\" stroke-width=\"1\" stroke-dasharray=\"3 3\""),
            );
        }
        // All of the week's labels on one line, or each on its own, where
        // they overlap nothing and stay inside the panel.
        let text = labels.join(" + ");
        if svg.place(&text, &spots(xw), inside).is_none() {
            for label in labels {
                svg.place(label, &spots(xw), inside);
            }
        }
    }

    // Offers and asks; a deal at the last meeting ends the lines there.
    let last_meeting = t.meetings.iter().map(|m| m.week).max();
    let closed = t
        .events
        .iter()
        .any(|e| e.kind == "deal" && Some(e.week) == last_meeting);
    let pts = |get: fn(&crate::model::trace::MeetingPoint) -> f64| -> Vec<(f64, f64)> {
        let mut v: Vec<(f64, f64)> = t
            .meetings
            .iter()
            .filter(|m| get(m).is_finite())
            .map(|m| (m.week as f64, get(m) * 100.0))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        steps(&v, closed)
            .into_iter()
            .map(|(w, v)| (frame.px_in(w), frame.py_in(v)))
            .collect()
    };
    svg.polyline(
        &pts(|m| m.provider_ask),
        &format!("stroke=\"{VERMILLION}\" stroke-width=\"2.3\" stroke-dasharray=\"7 4\""),
    );
    svg.polyline(
        &pts(|m| m.payer_offer),
        &format!("stroke=\"{BLUE}\" stroke-width=\"2.5\""),
    );

    // The new contract's rate from when it applies.
    if let Some(u) = t.uplift.filter(|u| u.is_finite()) {
        let start = (roll + oon).max(0.0);
        if start < frame.x.hi {
            let yu = frame.py_in(u * 100.0);
            svg.line(
                frame.px_in(start),
                yu,
                frame.right,
                yu,
                &format!("stroke=\"{INK}\" stroke-width=\"3\""),
            );
        }
        if let Some(deal) = t.events.iter().find(|e| e.kind == "deal") {
            let w = deal.week as f64;
            if (frame.x.lo..=frame.x.hi).contains(&w) {
                svg.circle(
                    frame.px(w),
                    frame.py_in(u * 100.0),
                    4.5,
                    &format!("fill=\"{INK}\" stroke=\"#ffffff\" stroke-width=\"1.2\""),
                );
            }
        }
    }
    svg.end_group();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_each_value_until_the_next_meeting() {
        let s = steps(&[(-6.0, 1.0), (-4.0, 2.0), (-2.0, 3.0)], false);
        assert_eq!(
            s,
            vec![
                (-6.0, 1.0),
                (-4.0, 1.0),
                (-4.0, 2.0),
                (-2.0, 2.0),
                (-2.0, 3.0),
                (0.0, 3.0)
            ]
        );
        assert!(steps(&[], false).is_empty());
        assert_eq!(steps(&[(-1.0, 2.0)], false), vec![(-1.0, 2.0), (0.0, 2.0)]);
        assert_eq!(
            steps(&[(-3.0, 1.0), (-1.0, 2.0)], true).last(),
            Some(&(-1.0, 2.0))
        );
    }
}
