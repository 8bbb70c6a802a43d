//! The eleven charts of a board report, from a [`BoardData`]: each an SVG
//! document with a stable, file-friendly id (`--charts DIR` writes
//! `DIR/<id>.svg`).
//!
//! | id | chart |
//! |---|---|
//! | `strategy-comparison` | expected revenue per strategy, 95 % interval and P5–P95 |
//! | `risk-return` | decision value against downside (CVaR5), patients as bubble area, efficient frontier |
//! | `gain-distribution` | the recommended strategy's gain over the runner-up, world by world |
//! | `revenue-distribution` | revenue CDF per strategy |
//! | `tornado` | what moves the difference between the top two strategies |
//! | `escalation-timing` | expected revenue against the escalation week, best week marked |
//! | `weekly-cash` | the recommended strategy's weekly revenue over the horizon, as a fan |
//! | `deal-timing` | when deals close before expiry (the deadline effect) |
//! | `timelines` | sample negotiations week by week |
//! | `patient-access` | patient-weeks without in-network access and patients switched |
//! | `drivers` | which uncertainties drive the choice between the top two strategies (Sobol' indices), shown with the value of information |
//!
//! A chart whose data is absent (no tornado or gain with a single strategy,
//! no timing when no strategy escalates, no drivers when the difference
//! between the top two does not vary) is left out; [`omitted`] says why.
//! [`caption`] says how to read a chart; [`caption_for`] adds what this
//! report's numbers say.

use crate::analysis::board::BoardData;
use crate::analysis::tornado::Metric;
use crate::report::charts::{
    self, DealTiming, DriverBar, Drivers, EscalationTiming, GainDistribution, PatientAccess,
    RevenueCdf, RiskReturn, RiskReturnPoint, StrategyEstimate, TimelinePanel, TimingPoint, Tornado,
    TornadoBar, WeeklyCash, axis::Unit,
};
use crate::scenario::Objective;

use crate::analysis::Z95;

/// Bars shown in the tornado by swing; inputs that flip the decision are
/// added beyond them, up to [`TORNADO_MAX`] bars in all.
pub const TORNADO_BARS: usize = 8;

/// Most bars in the tornado; the caption counts the inputs that could flip
/// the decision but did not fit (the tornado table lists them all).
pub const TORNADO_MAX: usize = 12;

/// Factors shown in the drivers chart, by total Sobol' index; the caption
/// counts the others.
pub const DRIVERS_BARS: usize = 10;

/// The chart ids, in report order (`drivers` is shown in the section on the
/// value of information, after the others).
pub const CHART_IDS: [&str; 11] = [
    "strategy-comparison",
    "risk-return",
    "gain-distribution",
    "revenue-distribution",
    "tornado",
    "escalation-timing",
    "weekly-cash",
    "deal-timing",
    "timelines",
    "patient-access",
    "drivers",
];

/// One chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Stable, file-friendly id, one of [`CHART_IDS`].
    pub id: String,
    /// Title (also the SVG's `<title>` and visible heading).
    pub title: String,
    /// The standalone SVG document.
    pub svg: String,
}

/// A chart left out of the report, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Omitted {
    /// The chart's id.
    pub id: String,
    /// The title it would have had.
    pub title: String,
    /// Why it is not shown, in a sentence.
    pub reason: String,
}

/// The title of chart `id` for `data` (a generic title for an unknown id).
pub fn title(data: &BoardData, id: &str) -> String {
    match id {
        "strategy-comparison" => "Expected net present revenue by strategy".into(),
        "risk-return" => "Value against downside, by strategy".into(),
        "gain-distribution" => match &data.lead {
            Some(l) => format!(
                "Gain of {} over {}, world by world",
                l.strategy, l.runner_up
            ),
            None => "Gain of the recommended strategy, world by world".into(),
        },
        "weekly-cash" => format!("Weekly revenue with {}", data.recommended),
        "revenue-distribution" => "Distribution of net present revenue across worlds".into(),
        "tornado" => match data.tornado.as_ref().map(|t| t.strategies.as_slice()) {
            Some([a, b, ..]) => format!("What moves the choice between {a} and {b}"),
            _ => "What moves the decision".into(),
        },
        "escalation-timing" => match &data.timing {
            Some(t) => format!("When should {} escalate?", t.strategy),
            None => "When to escalate".into(),
        },
        "deal-timing" => "When deals close: the deadline effect".into(),
        "timelines" => "Sample negotiations, week by week".into(),
        "patient-access" => "Patient access by strategy".into(),
        "drivers" => match data.drivers.as_ref().map(|d| d.strategies.as_slice()) {
            Some([a, b, ..]) => format!("What drives the difference between {a} and {b}"),
            _ => "What drives the decision".into(),
        },
        other => other.replace('-', " "),
    }
}

/// How to read chart `id`, in one sentence (empty for an unknown id).
pub fn caption(id: &str) -> &'static str {
    match id {
        "strategy-comparison" => {
            "Each dot is a strategy's expected revenue. The pale bar spans the 5th to 95th percentile across simulated worlds (the spread of outcomes); the black bar, drawn only where it is wider than the dot, is the 95% interval of the expected value (the precision of the estimate), which is also printed in the right-hand column. Further right is better."
        }
        "risk-return" => {
            "Each bubble is a strategy: up is its decision value, right is its downside (the average of its worst 5% of simulated worlds), so up and to the right is better. The bubble's area is the expected number of patients who lose in-network access: the chance of going out of network at some renewal times the patients cut off when it does. The line joins the efficient frontier, the strategies no other beats on both value and downside; the recommended strategy is ringed."
        }
        "gain-distribution" => {
            "How the difference in decision score between the recommended strategy and the runner-up is spread across simulated worlds (1st to 99th percentile): bars left of zero, on the shaded side, are worlds where the recommended strategy does worse; the dashed line is the mean difference. This is the spread of outcomes, not the precision of the mean."
        }
        "weekly-cash" => {
            "Revenue from this payer's members in each week, not discounted, across simulated worlds: the line is the median, the dark band holds half of the worlds and the pale band 90% of them. Weeks out of network pull the lower band down; the loss on other business while out of network is included."
        }
        "revenue-distribution" => {
            "Each curve shows the share of worlds (up) with revenue at or below a value (across); a curve further right is better, and where curves cross one has the better downside, the other the better upside."
        }
        "tornado" => {
            "Each bar moves one input to its low and high value, the others as written, and shows how the gap in the decision's objective between the top two strategies changes; a bar crossing zero could flip the recommendation."
        }
        "escalation-timing" => {
            "Expected revenue (with the 95% interval of each estimate as a band) if the escalation to the payer's executives happens in a given week before expiry; the best week is marked and the dashed line shows escalating when talks stall. The axis spans at least 2% of the expected revenue, so small differences look small; the chart states how much the best and worst weeks differ."
        }
        "deal-timing" => {
            "Share of all simulated worlds whose deal closes in each week before expiry: deals bunch just before the deadline."
        }
        "timelines" => {
            "Single simulated worlds, each played by the recommended strategy and by the baseline: a typical world and, if there is one, the first in which the recommended strategy goes out of network. Lines show the payer's offers and the provider's asks at each meeting; escalation, notice, expiry, roll-over and out-of-network periods are marked."
        }
        "patient-access" => {
            "Average patient-weeks without in-network access (one patient for one week) and patients who switch provider for good, per strategy; shorter is better."
        }
        "drivers" => {
            "Each bar is one source of uncertainty, with every uncertain input and chance moving at once: the share of the world-to-world variation in the gap between the top two strategies that it accounts for (its Sobol' index). The pale bar is its total share, interactions with other factors included; the dark bar inside is its share alone, which is what learning it would remove on average. The whisker is the 95% interval of the total share, the precision of the estimate, not a spread of outcomes. Chance, in orange, is the negotiation's random events (whether executives engage, whether a notice is believed, when the payer returns), which no study can remove."
        }
        _ => "",
    }
}

/// How to read chart `id`, followed by what this report's numbers say
/// ([`caption`] and [`caption_extra`]).
pub fn caption_for(data: &BoardData, id: &str) -> String {
    match caption_extra(data, id) {
        Some(e) => format!("{} {e}", caption(id)),
        None => caption(id).to_string(),
    }
}

/// What this report's numbers say on chart `id`, in a sentence or two (the
/// shares of worlds, the out-of-network worlds), if it has anything to add
/// to [`caption`].
pub fn caption_extra(data: &BoardData, id: &str) -> Option<String> {
    let pct = |p: f64| crate::report::summary::percent(p);
    match id {
        "risk-return" => Some(format!(
            "Value: {}. Downside: the average of the worst 5% of worlds by {}.",
            value_words(data),
            objective_word(data)
        )),
        "gain-distribution" => data.lead.as_ref().map(|l| {
            let same = (1.0 - l.p_better - l.p_worse).max(0.0);
            format!(
                "{} does better than {} in {} of worlds, worse in {}{}; on average it {} {} of {} per world.",
                l.strategy,
                l.runner_up,
                pct(l.p_better),
                pct(l.p_worse),
                if same > 0.0005 {
                    format!(" and the same in {}", pct(same))
                } else {
                    String::new()
                },
                if l.mean < 0.0 { "loses" } else { "gains" },
                crate::report::summary::money(l.mean.abs()),
                score_words(data)
            )
        }),
        "tornado" => {
            let hidden = tornado_bars(data).1;
            (hidden > 0).then(|| {
                format!(
                    "{hidden} more input{} could also flip the sign but are not drawn; the tornado table lists every input.",
                    if hidden == 1 { "" } else { "s" }
                )
            })
        }
        "drivers" => data.drivers.as_ref().filter(|d| !d.sobol.is_empty()).map(|d| {
            let mut s = match d.sobol.iter().find(|r| r.kind == "chance") {
                Some(c) => format!(
                    "Chance accounts for {} of the variation in total, {} alone.",
                    pct(c.st.clamp(0.0, 1.0)),
                    pct(c.s1.clamp(0.0, 1.0))
                ),
                None => String::new(),
            };
            if let Some(top) = d.sobol.iter().find(|r| r.kind != "chance") {
                s += &format!(
                    " The largest other factor, {}, accounts for {} in total.",
                    top.label,
                    pct(top.st.clamp(0.0, 1.0))
                );
            }
            let hidden = d.sobol.len().saturating_sub(DRIVERS_BARS);
            if hidden > 0 {
                s += &format!(
                    " {hidden} more factor{} with smaller shares {} not drawn.",
                    if hidden == 1 { "" } else { "s" },
                    if hidden == 1 { "is" } else { "are" }
                );
            }
            s.trim().to_string()
        }),
        "weekly-cash" => data.weekly_cash.as_ref().map(|f| {
            let mut s = format!(
                "{} worlds (the first of the run's seed); {} goes out of network at some renewal in {} of them.",
                charts::axis::thousands(f.paths as f64),
                f.strategy,
                pct(f.p_out_of_network)
            );
            if let Some((path, _)) = &f.example {
                s += &format!(
                    " The vermillion line is world {path}, one that goes out of network."
                );
            }
            if f.p_out_of_network < 0.05 {
                s += " Fewer than 5% of worlds go out of network, so the bands do not show the drop; the example world does.";
            }
            s
        }),
        _ => None,
    }
}

/// The objective in words: `margin` or `revenue`.
fn objective_word(data: &BoardData) -> &'static str {
    match data.run.decision.objective {
        Objective::Margin => "contribution margin",
        Objective::Revenue => "revenue",
    }
}

/// What the decision score of a world is, in words.
fn score_words(data: &BoardData) -> String {
    let d = &data.run.decision;
    if d.patient_week_price > 0.0 {
        format!(
            "{} less {} per patient-week out of network",
            objective_word(data),
            crate::report::summary::money(d.patient_week_price)
        )
    } else {
        objective_word(data).to_string()
    }
}

/// What a strategy's decision value is, in words.
fn value_words(data: &BoardData) -> String {
    let d = &data.run.decision;
    if d.risk_tolerance.is_finite() {
        format!(
            "the certainty equivalent of the {} at a risk tolerance of {}",
            score_words(data),
            crate::report::summary::money(d.risk_tolerance)
        )
    } else {
        format!("the expected {}", score_words(data))
    }
}

/// The charts of `data` with data to show, in [`CHART_IDS`] order.
pub fn charts(data: &BoardData) -> Vec<Chart> {
    CHART_IDS
        .iter()
        .filter_map(|&id| {
            let title = title(data, id);
            let svg = match id {
                "strategy-comparison" => strategy_comparison(data, &title),
                "risk-return" => risk_return(data, &title),
                "gain-distribution" => gain_distribution(data, &title),
                "weekly-cash" => weekly_cash(data, &title),
                "revenue-distribution" => revenue_distribution(data, &title),
                "tornado" => tornado(data, &title),
                "escalation-timing" => escalation_timing(data, &title),
                "deal-timing" => deal_timing(data, &title),
                "timelines" => timelines(data, &title),
                "patient-access" => patient_access(data, &title),
                "drivers" => drivers(data, &title),
                _ => None,
            }?;
            Some(Chart {
                id: id.to_string(),
                title,
                svg,
            })
        })
        .collect()
}

/// The charts of `data` left out for lack of data, and why, in
/// [`CHART_IDS`] order.
pub fn omitted(data: &BoardData) -> Vec<Omitted> {
    let shown: Vec<String> = charts(data).into_iter().map(|c| c.id).collect();
    CHART_IDS
        .iter()
        .filter(|id| !shown.iter().any(|s| s == *id))
        .map(|&id| Omitted {
            id: id.to_string(),
            title: title(data, id),
            reason: reason(data, id),
        })
        .collect()
}

/// Why chart `id` has nothing to show for `data`.
pub fn reason(data: &BoardData, id: &str) -> String {
    match id {
        "tornado" if data.runner_up.is_none() => {
            "The scenario has a single strategy, so there is no decision between two strategies to test.".into()
        }
        "tornado" => "No input was varied, so there is no tornado to draw.".into(),
        "escalation-timing" => {
            "No strategy in the scenario escalates to the payer's executives, so there is no escalation week to time.".into()
        }
        "deal-timing" => {
            "No strategy closes a deal before expiry in any simulated world.".into()
        }
        "timelines" => "No sample negotiation was recorded.".into(),
        "gain-distribution" if data.runner_up.is_none() => {
            "The scenario has a single strategy, so there is no runner-up to compare with.".into()
        }
        "gain-distribution" => {
            "The recommended strategy and the runner-up were not tracked on the same worlds.".into()
        }
        "weekly-cash" => "No weekly revenue was computed.".into(),
        "drivers" if data.runner_up.is_none() => {
            "The scenario has a single strategy, so there is no choice whose drivers to measure.".into()
        }
        "drivers" if data.drivers.as_ref().is_some_and(|d| d.sobol.is_empty()) => {
            "The gap between the top two strategies is the same in every simulated world, so there is no variation to apportion.".into()
        }
        _ => "There is no data for this chart.".into(),
    }
}

fn strategy_comparison(data: &BoardData, title: &str) -> Option<String> {
    let rows: Vec<StrategyEstimate> = ranked(data)
        .map(|s| StrategyEstimate {
            name: s.name.clone(),
            mean: s.revenue.mean,
            ci95: (
                s.revenue.mean - Z95 * s.revenue.mcse,
                s.revenue.mean + Z95 * s.revenue.mcse,
            ),
            p5: s.revenue.p5,
            p95: s.revenue.p95,
        })
        .collect();
    (!rows.is_empty()).then(|| charts::strategy_comparison(title, &rows))
}

fn risk_return(data: &BoardData, title: &str) -> Option<String> {
    let objective = data.run.decision.objective;
    let excluded = &data.run.recommendation.excluded;
    let points: Vec<RiskReturnPoint> = ranked(data)
        .map(|s| {
            let affected = s.patients_affected_if_oon.mean;
            let p = s.p_out_of_network_any_renewal;
            RiskReturnPoint {
                name: s.name.clone(),
                value: s.decision_value,
                downside: match objective {
                    Objective::Margin => s.margin.cvar5,
                    Objective::Revenue => s.revenue.cvar5,
                },
                // No episode: no one affected.
                patients: if p > 0.0 && affected.is_finite() {
                    p * affected
                } else {
                    0.0
                },
                recommended: s.name == data.recommended,
                excluded: excluded.iter().any(|e| e.strategy == s.name),
            }
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let word = match objective {
        Objective::Margin => "margin",
        Objective::Revenue => "revenue",
    };
    let d = &data.run.decision;
    let value = if d.risk_tolerance.is_finite() {
        format!("Decision value: certainty equivalent of {word}")
    } else {
        format!("Decision value: expected {word}")
    };
    let value_title = if d.patient_week_price > 0.0 {
        format!("{value} less patient cost, $M")
    } else {
        format!("{value}, $M")
    };
    Some(charts::risk_return(
        title,
        &RiskReturn {
            points,
            value_title,
            downside_title: format!("Downside: average of the worst 5 % of worlds, {word}, $M"),
            patients_label: "expected patients cut off".into(),
        },
    ))
}

fn gain_distribution(data: &BoardData, title: &str) -> Option<String> {
    let l = data.lead.as_ref()?;
    let what = match data.run.decision.objective {
        Objective::Margin if data.run.decision.patient_week_price > 0.0 => {
            "margin less patient cost"
        }
        Objective::Revenue if data.run.decision.patient_week_price > 0.0 => {
            "revenue less patient cost"
        }
        Objective::Margin => "margin",
        Objective::Revenue => "revenue",
    };
    Some(charts::gain_distribution(
        title,
        &GainDistribution {
            strategy: l.strategy.clone(),
            runner_up: l.runner_up.clone(),
            quantiles: l.quantiles.clone(),
            mean: l.mean,
            p_better: l.p_better,
            p_worse: l.p_worse,
            what: what.into(),
        },
    ))
}

fn weekly_cash(data: &BoardData, title: &str) -> Option<String> {
    let f = data.weekly_cash.as_ref()?;
    let term = i64::from(data.run.term_weeks.max(1));
    let expiries = (0..i64::from(data.run.renewals.max(1)))
        .map(|k| k * term)
        .collect();
    Some(charts::weekly_cash(
        title,
        &WeeklyCash {
            strategy: f.strategy.clone(),
            paths: f.paths,
            first_week: f.first_week,
            p5: f.p5.clone(),
            p25: f.p25.clone(),
            p50: f.p50.clone(),
            p75: f.p75.clone(),
            p95: f.p95.clone(),
            today: Some(f.today),
            expiries,
            p_out_of_network: f.p_out_of_network,
            example: f.example.as_ref().map(|(path, v)| {
                (
                    format!("a world that goes out of network (world {path})"),
                    v.clone(),
                )
            }),
        },
    ))
}

fn revenue_distribution(data: &BoardData, title: &str) -> Option<String> {
    let cdfs: Vec<RevenueCdf> = data
        .revenue_cdfs
        .iter()
        .map(|c| RevenueCdf {
            name: c.strategy.clone(),
            points: c.points.clone(),
        })
        .collect();
    (!cdfs.is_empty()).then(|| charts::revenue_distribution(title, &cdfs))
}

/// The tornado's bars, and how many inputs that flip the sign are left out.
fn tornado_bars(data: &BoardData) -> (Vec<TornadoBar>, usize) {
    let mut bars: Vec<TornadoBar> = Vec::new();
    let mut hidden = 0;
    let Some(t) = data.tornado.as_ref() else {
        return (bars, 0);
    };
    for b in &t.bars {
        let flips = b.flips == Some(true);
        if b.swing <= 0.0 && !flips {
            continue;
        }
        if bars.len() >= TORNADO_BARS && !flips {
            continue;
        }
        if bars.len() >= TORNADO_MAX {
            hidden += usize::from(flips);
            continue;
        }
        bars.push(TornadoBar {
            input: b.input.clone(),
            input_low: b.low,
            input_high: b.high,
            metric_low: b.metric_low,
            metric_high: b.metric_high,
        });
    }
    (bars, hidden)
}

fn tornado(data: &BoardData, title: &str) -> Option<String> {
    let t = data.tornado.as_ref()?;
    let (bars, _) = tornado_bars(data);
    if bars.is_empty() {
        return None;
    }
    let (what, unit) = match t.metric {
        Metric::Margin => ("expected margin", "$M"),
        Metric::Revenue => ("expected revenue", "$M"),
        Metric::PatientWeeks => ("patient-weeks out of network", "patient-weeks"),
    };
    let axis_title = match t.strategies.as_slice() {
        [a, b, ..] => format!("Difference in {what}, {a} \u{2212} {b}, {unit}"),
        [a] => format!("{a}, {what}, {unit}"),
        [] => unit.into(),
    };
    Some(charts::tornado(
        title,
        &Tornado {
            base: t.base,
            unit: if t.metric.is_money() {
                Unit::Millions
            } else {
                Unit::Count
            },
            axis_title,
            difference: t.is_diff(),
            bars,
        },
    ))
}

fn escalation_timing(data: &BoardData, title: &str) -> Option<String> {
    let t = data.timing.as_ref()?;
    if t.weeks.is_empty() {
        return None;
    }
    let points = t
        .weeks
        .iter()
        .map(|w| TimingPoint {
            week: w.week,
            mean: w.revenue_mean,
            ci95: w.revenue_ci95,
            indistinguishable: w.indistinguishable,
        })
        .collect();
    let decision = match t.decision {
        crate::analysis::timing::Move::Escalation => "escalation",
        crate::analysis::timing::Move::Notice => "notice",
    };
    Some(charts::escalation_timing(
        title,
        &EscalationTiming {
            decision: decision.into(),
            points,
            on_impasse: Some(t.on_impasse.revenue_mean),
        },
    ))
}

fn deal_timing(data: &BoardData, title: &str) -> Option<String> {
    let paths = data.run.paths.max(1) as f64;
    let series: Vec<DealTiming> = ranked(data)
        .map(|s| DealTiming {
            name: s.name.clone(),
            shares: s
                .deal_week_histogram
                .iter()
                .map(|d| (d.week, d.deals as f64 / paths))
                .collect(),
        })
        .collect();
    let any = data
        .run
        .strategies
        .iter()
        .any(|s| s.deal_week_histogram.iter().any(|d| d.deals > 0));
    any.then(|| charts::deal_timing(title, &series))
}

fn timelines(data: &BoardData, title: &str) -> Option<String> {
    let panels: Vec<TimelinePanel> = data
        .timelines
        .iter()
        .map(|t| TimelinePanel {
            // Short: the panels are narrow; the caption says which worlds these are.
            title: format!("{}, world {}", t.strategy, t.path),
            timeline: t.timeline.clone(),
        })
        .collect();
    (!panels.is_empty()).then(|| charts::timelines(title, &panels))
}

fn patient_access(data: &BoardData, title: &str) -> Option<String> {
    let rows: Vec<PatientAccess> = ranked(data)
        .map(|s| PatientAccess {
            name: s.name.clone(),
            patient_weeks: s.patient_weeks_out_of_network.mean,
            switched: s.patients_switched.mean,
        })
        .collect();
    (!rows.is_empty()).then(|| charts::patient_access(title, &rows))
}

fn drivers(data: &BoardData, title: &str) -> Option<String> {
    let d = data.drivers.as_ref()?;
    if d.sobol.is_empty() {
        return None;
    }
    let factors = d
        .sobol
        .iter()
        .take(DRIVERS_BARS)
        .map(|r| DriverBar {
            label: r.label.clone(),
            chance: r.kind == "chance",
            first: r.s1,
            total: r.st,
            total_ci95: r.st_ci95.map(|[lo, hi]| (lo, hi)),
        })
        .collect();
    let word = match d.metric {
        "margin" => "margin",
        "revenue" => "revenue",
        _ => "patient-weeks",
    };
    let axis_title = match d.strategies.as_slice() {
        [a, b] => format!("Share of the variation in {word}, {a} \u{2212} {b}, %"),
        [a] => format!("Share of the variation in {word} of {a}, %"),
        _ => format!("Share of the variation in {word}, %"),
    };
    Some(charts::drivers(
        title,
        &Drivers {
            axis_title,
            factors,
        },
    ))
}

/// The strategies in rank order (best first); any not in the ranking follow
/// in scenario order.
fn ranked(data: &BoardData) -> impl Iterator<Item = &crate::report::StrategyReport> {
    let by_rank = data
        .ranking
        .iter()
        .filter_map(|n| data.run.strategies.iter().find(|s| &s.name == n));
    let rest = data
        .run
        .strategies
        .iter()
        .filter(|s| !data.ranking.contains(&s.name));
    by_rank.chain(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Budget;
    use crate::analysis::board::{BoardBudget, gather};
    use crate::scenario::{DEFAULT_SCENARIO_TOML, Scenario};

    fn board(scenario: &Scenario) -> BoardData {
        gather(
            scenario,
            DEFAULT_SCENARIO_TOML,
            "impasse report",
            &BoardBudget {
                run: Budget {
                    paths: 1000,
                    seed: 2,
                    threads: Some(2),
                },
                analysis_paths: 300,
            },
            &|_| {},
        )
        .unwrap()
    }

    #[test]
    fn the_builtin_scenario_has_all_eleven_charts() {
        let data = board(&Scenario::builtin());
        let c = charts(&data);
        let ids: Vec<&str> = c.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, CHART_IDS);
        for chart in &c {
            assert!(chart.svg.starts_with("<svg"), "{}", chart.id);
            assert!(!chart.title.is_empty());
            assert!(!caption(&chart.id).is_empty());
            assert!(caption_for(&data, &chart.id).starts_with(caption(&chart.id)));
            assert!(
                chart
                    .svg
                    .contains(&format!("<title>{}</title>", charts::esc(&chart.title))),
                "{}",
                chart.id
            );
        }
        assert!(omitted(&data).is_empty());
        // The tornado keeps at most TORNADO_BARS bars plus any that flip.
        let t = c.iter().find(|c| c.id == "tornado").unwrap();
        let shown = data
            .tornado
            .as_ref()
            .unwrap()
            .bars
            .iter()
            .filter(|b| t.svg.contains(&format!(">{}<", b.input)))
            .count();
        assert!((1..=TORNADO_MAX).contains(&shown), "{shown}");
    }

    #[test]
    fn a_single_strategy_without_escalation_leaves_out_tornado_and_timing() {
        let mut s = Scenario::builtin();
        s.strategies.retain(|st| st.name == "wait");
        s.baseline = None;
        let data = board(&s);
        let ids: Vec<String> = charts(&data).into_iter().map(|c| c.id).collect();
        assert!(!ids.contains(&"tornado".to_string()));
        assert!(!ids.contains(&"escalation-timing".to_string()));
        assert!(ids.contains(&"strategy-comparison".to_string()));
        let gone = omitted(&data);
        let gone_ids: Vec<&str> = gone.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            gone_ids,
            [
                "gain-distribution",
                "tornado",
                "escalation-timing",
                "drivers"
            ]
        );
        assert!(gone[0].reason.contains("single strategy"));
        assert!(gone[1].reason.contains("single strategy"));
        assert!(gone[2].reason.contains("escalates"));
        assert!(gone[3].reason.contains("single strategy"));
    }
}
