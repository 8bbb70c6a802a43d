//! The seven charts of a board report, from a [`BoardData`]: each an SVG
//! document with a stable, file-friendly id (`--charts DIR` writes
//! `DIR/<id>.svg`).
//!
//! | id | chart |
//! |---|---|
//! | `strategy-comparison` | expected revenue per strategy, 95 % interval and P5–P95 |
//! | `revenue-distribution` | revenue CDF per strategy |
//! | `tornado` | what moves the difference between the top two strategies |
//! | `escalation-timing` | expected revenue against the escalation week, best week marked |
//! | `deal-timing` | when deals close before expiry (the deadline effect) |
//! | `timelines` | sample negotiations week by week |
//! | `patient-access` | patient-weeks without in-network access and patients switched |
//!
//! A chart whose data is absent (no tornado with a single strategy, no
//! timing when no strategy escalates) is left out; [`omitted`] says why.

use crate::analysis::board::BoardData;
use crate::report::charts::{
    self, DealTiming, EscalationTiming, PatientAccess, RevenueCdf, StrategyEstimate, TimelinePanel,
    TimingPoint, Tornado, TornadoBar, axis::Unit,
};

/// 1.96: the two-sided 95 % normal quantile.
const Z95: f64 = 1.959963984540054;

/// Most bars shown in the tornado (inputs that flip the decision are always shown).
pub const TORNADO_BARS: usize = 8;

/// The chart ids, in report order.
pub const CHART_IDS: [&str; 7] = [
    "strategy-comparison",
    "revenue-distribution",
    "tornado",
    "escalation-timing",
    "deal-timing",
    "timelines",
    "patient-access",
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
        other => other.replace('-', " "),
    }
}

/// How to read chart `id`, in one sentence (empty for an unknown id).
pub fn caption(id: &str) -> &'static str {
    match id {
        "strategy-comparison" => {
            "Each dot is a strategy's expected revenue with its 95% interval; the pale bar spans the 5th to 95th percentile across simulated worlds. Further right is better."
        }
        "revenue-distribution" => {
            "Each curve shows the share of worlds (up) with revenue at or below a value (across); a curve further right is better, and where curves cross one has the better downside, the other the better upside."
        }
        "tornado" => {
            "Each bar moves one input to its low and high value, the others as written, and shows how the revenue gap between the top two strategies changes; a bar crossing zero could flip the recommendation."
        }
        "escalation-timing" => {
            "Expected revenue (with its 95% band) if the escalation to the payer's executives happens in a given week before expiry; the best week is marked and the dashed line shows escalating when talks stall."
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
        _ => "",
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
                "revenue-distribution" => revenue_distribution(data, &title),
                "tornado" => tornado(data, &title),
                "escalation-timing" => escalation_timing(data, &title),
                "deal-timing" => deal_timing(data, &title),
                "timelines" => timelines(data, &title),
                "patient-access" => patient_access(data, &title),
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

fn tornado(data: &BoardData, title: &str) -> Option<String> {
    let t = data.tornado.as_ref()?;
    let mut bars: Vec<TornadoBar> = Vec::new();
    for b in &t.bars {
        let flips = b.flips == Some(true);
        if b.swing <= 0.0 && !flips {
            continue;
        }
        if bars.len() >= TORNADO_BARS && !flips {
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
    if bars.is_empty() {
        return None;
    }
    let axis_title = match t.strategies.as_slice() {
        [a, b, ..] => format!("{a} \u{2212} {b}, expected revenue difference, $M"),
        [a] => format!("{a}, expected revenue, $M"),
        [] => "$M".into(),
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
    fn the_builtin_scenario_has_all_seven_charts() {
        let data = board(&Scenario::builtin());
        let c = charts(&data);
        let ids: Vec<&str> = c.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, CHART_IDS);
        for chart in &c {
            assert!(chart.svg.starts_with("<svg"), "{}", chart.id);
            assert!(!chart.title.is_empty());
            assert!(!caption(&chart.id).is_empty());
            assert!(
                chart
                    .svg
                    .contains(&format!("<title>{}</title>", chart.title)),
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
        assert!((1..=TORNADO_BARS + 2).contains(&shown), "{shown}");
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
        assert_eq!(gone_ids, ["tornado", "escalation-timing"]);
        assert!(gone[0].reason.contains("single strategy"));
        assert!(gone[1].reason.contains("escalates"));
    }
}
