//! The one-page decision brief: page 1 of the board report.
//!
//! The question, the answer in plain words (a clear choice, or "no clear
//! winner" with the trade-off), the gain against the runner-up and against
//! the current plan with its range across worlds, the downside, the patients
//! as probability x people x months, the one thing most worth learning
//! before deciding (or that the outcome turns on chance), the inputs that
//! would change the decision stated as trigger points, and what the board
//! must approve.
//! Monte Carlo precision is not shown here (it is in the methodology): every
//! range on this page is the spread of outcomes across worlds.

use serde::Serialize;

use crate::analysis::board::BoardData;
use crate::analysis::threshold::Finding as ThresholdFinding;
use crate::scenario::{Agenda, Objective, Trigger};

use super::StrategyReport;
use super::summary::{count, money, percent};
use crate::scenario::labels::format_value;

/// One labelled line of the brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefLine {
    /// Short label: "Gain", "Downside", "Patients", ...
    pub label: String,
    /// One or two sentences.
    pub text: String,
}

/// The decision brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Brief {
    /// The question the board is answering.
    pub question: String,
    /// The answer, in one sentence.
    pub answer: String,
    /// Whether the choice is clear.
    pub clear: bool,
    /// Gain, downside, patients.
    pub lines: Vec<BriefLine>,
    /// Inputs that would change the decision, as trigger points.
    pub triggers: Vec<String>,
    /// What the board must approve.
    pub approvals: Vec<String>,
}

fn strategy<'a>(data: &'a BoardData, name: &str) -> Option<&'a StrategyReport> {
    data.run.strategies.iter().find(|s| s.name == name)
}

/// `$1.4M` with an explicit sign for gains: `+$1.4M`, `−$0.3M`.
fn signed(x: f64) -> String {
    let m = money(x);
    if x > 0.0 { format!("+{m}") } else { m }
}

/// "a 1-in-3 chance (34.5%)" for probabilities below one half.
fn chance(p: f64) -> String {
    if p > 0.0 && p < 0.5 {
        format!("a 1-in-{:.0} chance ({})", (1.0 / p).round(), percent(p))
    } else {
        format!("a {} chance", percent(p))
    }
}

/// The label of an input in plain words.
fn label(input: &str) -> String {
    crate::scenario::labels::describe(input)
}

/// What the scenario assumes for an input, in plain words.
fn assumed(data: &BoardData, input: &str, as_written: &str) -> String {
    data.assumptions
        .iter()
        .find(|a| a.input == input)
        .map_or_else(|| as_written.to_string(), |a| a.words.clone())
}

fn objective_words(o: Objective) -> &'static str {
    match o {
        Objective::Margin => "contribution margin",
        Objective::Revenue => "revenue",
    }
}

fn downside(s: &StrategyReport, o: Objective) -> f64 {
    match o {
        Objective::Margin => s.margin.cvar5,
        Objective::Revenue => s.revenue.cvar5,
    }
}

fn when(t: Trigger) -> String {
    match t {
        Trigger::Never => "never".into(),
        Trigger::Now => "as soon as talks open".into(),
        Trigger::OnImpasse => "once staff talks are clearly stuck".into(),
        Trigger::Week(w) => format!("{} weeks before expiry", -w),
    }
}

/// Build the brief of a gathered board report.
pub fn brief(data: &BoardData) -> Brief {
    let rec = &data.run.recommendation;
    let decision = &data.run.decision;
    let obj = decision.objective;
    let what = objective_words(obj);
    let question = format!(
        "Which of the {} strategies should {} take into this renewal, judged by {} over the next {} weeks ({} renewal{} of the contract){}?",
        data.run.strategies.len(),
        data.scenario,
        if decision.risk_tolerance.is_finite() {
            format!(
                "risk-adjusted {what} (risk tolerance {})",
                money(decision.risk_tolerance)
            )
        } else {
            format!("expected {what}")
        },
        data.run.horizon_weeks,
        data.run.renewals,
        if data.run.renewals == 1 { "" } else { "s" },
        if decision.max_p_out_of_network < 1.0 {
            format!(
                ", with at most {} risk of going out of network",
                percent(decision.max_p_out_of_network)
            )
        } else {
            String::new()
        }
    );
    let chosen = &data.recommended;
    let answer = match (&rec.strategy, &rec.runner_up, rec.clear) {
        (None, _, _) => "No strategy meets the board's limits.".to_string(),
        (Some(s), _, true) => format!("Choose {s}."),
        (Some(s), Some(r), false) => {
            format!("No clear winner between {s} and {r}: the choice is a trade-off.")
        }
        (Some(s), None, false) => format!("{s}, but not clearly."),
    };
    let mut lines = Vec::new();
    if let Some(d) = strategy(data, chosen)
        .map(|s| s.description.trim())
        .filter(|d| !d.is_empty())
    {
        lines.push(BriefLine {
            label: "The plan".into(),
            text: d.to_string(),
        });
    }
    if let (Some(l), Some(r)) = (&rec.lead, &rec.runner_up) {
        lines.push(BriefLine {
            label: format!("Against {r}"),
            text: format!(
                "{} of {what} on average. From world to world the difference runs from {} to {} (5th to 95th percentile); {chosen} does worse in {} of worlds, by {} on average when it does.",
                signed(l.value),
                signed(l.p5),
                signed(l.p95),
                percent(l.p_worse),
                money(l.loss_if_worse)
            ),
        });
    }
    if *chosen != data.baseline {
        if let Some(c) = data.run.comparisons.iter().find(|c| c.strategy == *chosen) {
            let d = match obj {
                Objective::Margin => &c.margin_diff,
                Objective::Revenue => &c.revenue_diff,
            };
            let loss = if d.p_worse > 0.0 {
                format!(
                    ", by {} on average when it does",
                    money(d.loss_if_worse.mean)
                )
            } else {
                String::new()
            };
            lines.push(BriefLine {
                label: format!("Against the current plan ({})", data.baseline),
                text: format!(
                    "{} of {what} on average, from {} to {} across worlds; worse in {} of worlds{loss}.",
                    signed(d.mean),
                    signed(d.p5),
                    signed(d.p95),
                    percent(d.p_worse)
                ),
            });
        }
    } else {
        lines.push(BriefLine {
            label: "Against the current plan".into(),
            text: format!(
                "{chosen} is the current plan: no other strategy does better by this measure."
            ),
        });
    }
    if let Some(s) = strategy(data, chosen) {
        let runner = rec
            .runner_up
            .as_deref()
            .and_then(|r| strategy(data, r))
            .map(|r| format!(", against {} with {}", money(downside(r, obj)), r.name))
            .unwrap_or_default();
        lines.push(BriefLine {
            label: "Downside".into(),
            text: format!(
                "In the worst 5 % of worlds {chosen} averages {} of {what}{runner}; its range across worlds is {} to {}.",
                money(downside(s, obj)),
                money(match obj {
                    Objective::Margin => s.margin.p5,
                    Objective::Revenue => s.revenue.p5,
                }),
                money(match obj {
                    Objective::Margin => s.margin.p95,
                    Objective::Revenue => s.revenue.p95,
                })
            ),
        });
        let p = s.p_out_of_network_any_renewal;
        let text = if p > 0.0 && s.patients_affected_if_oon.mean.is_finite() {
            format!(
                "There is {} that about {} patients lose in-network access for about {:.0} months, at this renewal or a later one; {} patients a world switch to other providers for good on average.",
                chance(p),
                count(s.patients_affected_if_oon.mean),
                (s.oon_weeks_if_oon_any_renewal.mean * 12.0 / 52.0).max(1.0),
                count(s.patients_switched.mean)
            )
        } else {
            format!(
                "Patients keep in-network access in every simulated world; {} patients a world switch to other providers for good on average.",
                count(s.patients_switched.mean)
            )
        };
        lines.push(BriefLine {
            label: "Patients".into(),
            text,
        });
    }
    if let Some(v) = &data.information {
        lines.push(BriefLine {
            label: "Learn first".into(),
            text: learn_first(v),
        });
    }
    Brief {
        question,
        answer,
        clear: rec.clear,
        lines,
        triggers: triggers(data),
        approvals: approvals(data),
    }
}

/// The single input most worth learning before deciding, in one short
/// sentence (its Monte Carlo error is left to the value-of-information
/// section, like every precision on the brief).
pub fn learn_first(v: &crate::analysis::information::VoiReport) -> String {
    match v.most_valuable() {
        Some(r) => {
            let mut label = r.label.chars();
            let label = label
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + label.as_str())
                .unwrap_or_default();
            format!(
                "{label}: worth about {} to know before deciding, {:.0} % of the value of perfect information.",
                money(r.value),
                100.0 * r.share_of_evpi
            )
        }
        None if v.evpi.mean <= 2.0 * v.evpi.mcse => {
            "Nothing to learn first: even perfect information would hardly change the choice."
                .into()
        }
        None => "Nothing to learn first: no single input is worth paying to learn; the outcome turns on chance."
            .into(),
    }
}

/// Inputs that would change the decision: the break-even found, and the
/// tornado's inputs whose plausible range flips the sign of the lead.
fn triggers(data: &BoardData) -> Vec<String> {
    let mut out = Vec::new();
    let (chosen, other) = (&data.recommended, data.runner_up.as_deref());
    if let (Some(t), Some(other)) = (&data.threshold, other)
        && t.finding == ThresholdFinding::Crosses
        && let (Some(x), Some(above)) = (t.crossing, t.a_better_above)
    {
        // A is the recommended strategy: it wins on one side of x.
        let side = if above { "below" } else { "above" };
        out.push(format!(
            "If {} is {side} {} (the scenario assumes {}), choose {other} instead.",
            label(&t.param),
            format_value(&t.param, x),
            assumed(data, &t.param, &t.as_written)
        ));
    }
    if let (Some(t), Some(other)) = (&data.tornado, other) {
        for b in t.bars.iter().filter(|b| b.flips == Some(true)) {
            if out.len() >= 3 {
                break;
            }
            if data
                .threshold
                .as_ref()
                .is_some_and(|th| th.param == b.input)
            {
                continue;
            }
            let (end, at) = if b.metric_low.signum() != t.base.signum() {
                ("as low as", b.low)
            } else {
                ("as high as", b.high)
            };
            out.push(format!(
                "If {} is {end} {} (the scenario assumes {}), {other} does better than {chosen}.",
                label(&b.input),
                format_value(&b.input, at),
                assumed(data, &b.input, &b.as_written)
            ));
        }
    }
    if out.is_empty() {
        out.push(
            "No single input over its plausible range reverses the choice (see the sensitivity page)."
                .to_string(),
        );
    }
    out
}

/// What the recommended plan commits the organisation to.
fn approvals(data: &BoardData) -> Vec<String> {
    let p = &data.plan;
    let mut out = vec![format!(
        "Open talks {} weeks before expiry, asking {:.1} % a year and settling at staff level for no less than {:.1} % a year.",
        p.lead_weeks,
        p.opening_ask * 100.0,
        p.walk_away * 100.0
    )];
    if p.data_prep {
        let cost = data
            .assumptions
            .iter()
            .find(|a| a.input == "data.cost")
            .map(|a| a.mean);
        out.push(match cost {
            Some(c) => format!(
                "A documented case (claims data, quality, cost) for about {} per renewal.",
                money(c)
            ),
            None => "A documented case (claims data, quality, cost).".to_string(),
        });
    }
    if p.agenda == Agenda::AllIssues {
        let mut items: Vec<&str> = data
            .assumptions
            .iter()
            .filter_map(|a| a.input.strip_prefix("item."))
            .filter_map(|rest| rest.split('.').next())
            .collect();
        items.dedup();
        out.push(format!(
            "Putting the non-rate terms on the table beside the rate ({}), and answering the payer's own asks.",
            items.join(", ")
        ));
    }
    if p.escalation != Trigger::Never {
        out.push(format!(
            "Escalation to the payer's executives {}.",
            when(p.escalation)
        ));
    }
    if p.notice != Trigger::Never {
        out.push(format!(
            "A notice of non-renewal {} (the contract requires at least {} weeks).",
            when(p.notice),
            data.notice_weeks
        ));
    }
    if p.max_oon_weeks > 0 {
        out.push(format!(
            "Readiness to stay out of network for up to {} weeks (about {:.0} months) if there is no deal: patient communications, continuity of care and the cash to carry the gap.",
            p.max_oon_weeks,
            f64::from(p.max_oon_weeks) * 12.0 / 52.0
        ));
    }
    out
}
