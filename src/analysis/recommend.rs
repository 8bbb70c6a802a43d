//! The recommendation rule: which strategy the board should choose, or an
//! honest "no clear winner".
//!
//! 1. Each path is scored by the scenario's `[decision]` (margin or revenue,
//!    less the price of patient-weeks out of network) and each strategy is
//!    valued by the certainty equivalent of its score (the mean when the
//!    board is risk neutral).
//! 2. Strategies outside the board's limits (probability of going out of
//!    network at any renewal; patients who lose in-network access in an
//!    episode) are set aside, with the reason.
//! 3. The best of the rest is recommended. It is a **clear** winner only if
//!    (a) its lead over the runner-up exceeds `decision.materiality`, (b) it
//!    scores higher than the runner-up in more worlds than it scores lower
//!    (on the same paths), and (c) the lead is known: the 95 % interval of
//!    the lead is above zero. Otherwise the report names both and the
//!    trade-off between them (downside, patients).

use serde::Serialize;

use crate::engine::{RunSummary, StrategySummary};
use crate::report::summary::{money, percent};
use crate::scenario::{Objective, Scenario};

/// A strategy set aside by the board's limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excluded {
    /// The strategy.
    pub strategy: String,
    /// Which limit it breaks, in words.
    pub reason: String,
}

/// The recommended strategy's lead over the runner-up, on the same paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lead {
    /// Difference in value (certainty equivalent, or mean), dollars.
    pub value: f64,
    /// Its Monte Carlo standard error.
    pub mcse: f64,
    /// 95 % interval of the lead (precision of the estimate, not spread).
    pub ci95: (f64, f64),
    /// 5th percentile of the per-path difference in score (spread).
    pub p5: f64,
    /// Median per-path difference.
    pub p50: f64,
    /// 95th percentile of the per-path difference.
    pub p95: f64,
    /// Share of paths where the recommended strategy scores higher.
    pub p_better: f64,
    /// Share of paths where it scores lower.
    pub p_worse: f64,
    /// Mean shortfall on the paths where it scores lower (positive dollars).
    pub loss_if_worse: f64,
}

/// What `run` recommends, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// The best strategy within the limits (null if none meets them).
    pub strategy: Option<String>,
    /// The next best within the limits (null if there is none).
    pub runner_up: Option<String>,
    /// Whether the choice is clear (see the module documentation).
    pub clear: bool,
    /// The reason, in plain words.
    pub reason: String,
    /// The quantity maximised: `margin` or `revenue`.
    pub objective: String,
    /// Whether strategies are valued by a certainty equivalent (a finite
    /// risk tolerance) rather than the mean.
    pub risk_adjusted: bool,
    /// The recommended strategy's value, dollars.
    pub value: Option<f64>,
    /// The runner-up's value, dollars.
    pub runner_up_value: Option<f64>,
    /// The lead over the runner-up.
    pub lead: Option<Lead>,
    /// Strategies set aside by the limits.
    pub excluded: Vec<Excluded>,
}

fn objective_word(o: Objective) -> &'static str {
    match o {
        Objective::Margin => "contribution margin",
        Objective::Revenue => "revenue",
    }
}

/// The board's downside of a strategy: the mean of its worst 5 % by the
/// objective.
fn downside(s: &StrategySummary, o: Objective) -> f64 {
    match o {
        Objective::Margin => s.margin.cvar5(),
        Objective::Revenue => s.revenue.cvar5(),
    }
}

/// Why a strategy breaks the board's limits, if it does.
pub(crate) fn breach(scenario: &Scenario, s: &StrategySummary) -> Option<String> {
    let d = &scenario.decision;
    let p = s.out_of_network_any.p();
    if p > d.max_p_out_of_network {
        return Some(format!(
            "goes out of network with probability {}, above the board's limit of {}",
            percent(p),
            percent(d.max_p_out_of_network)
        ));
    }
    let patients = s.patients_affected_if_oon.mean();
    if s.patients_affected_if_oon.count() > 0 && patients > d.max_patients_affected {
        return Some(format!(
            "an out-of-network episode leaves about {} patients without in-network access, above the board's limit of {}",
            crate::report::summary::count(patients),
            crate::report::summary::count(d.max_patients_affected)
        ));
    }
    None
}

/// " It goes out of network ...": the patients at stake with a strategy, as
/// probability x people x months (empty if it never goes).
fn patients_line(name: &str, s: &StrategySummary) -> String {
    let p = s.out_of_network_any.p();
    if p.is_nan() || p <= 0.0 || s.patients_affected_if_oon.count() == 0 {
        return String::new();
    }
    format!(
        " With `{name}` the provider goes out of network at some renewal in {} of worlds; when it does, about {} patients lose in-network access for about {:.1} months.",
        percent(p),
        crate::report::summary::count(s.patients_affected_if_oon.mean()),
        s.oon_weeks_if_oon_any.mean() * 12.0 / 52.0
    )
}

/// The lead of `a` over `b` from their tracked pair.
fn lead(summary: &RunSummary, a: usize, b: usize) -> Option<Lead> {
    let d = summary.score_diff(a, b)?;
    let (sa, sb) = (&summary.strategies[a].score, &summary.strategies[b].score);
    let value = sa.value() - sb.value();
    // The paired error for a mean; for certainty equivalents the unpaired
    // (conservative) combination of the two errors.
    let mcse = if sa.risk_tolerance().is_infinite() {
        d.diff.moments.mcse()
    } else {
        sa.mcse().hypot(sb.mcse())
    };
    let h = 1.959_963_984_540_054 * mcse;
    Some(Lead {
        value,
        mcse,
        ci95: (value - h, value + h),
        p5: d.quantile(0.05),
        p50: d.quantile(0.5),
        p95: d.quantile(0.95),
        p_better: d.p_better(),
        p_worse: d.p_worse(),
        loss_if_worse: d.loss_if_worse(),
    })
}

/// Apply the recommendation rule to a run (whose summary tracked the pair of
/// the two best strategies; [`crate::engine::all_pairs`] tracks every pair).
pub fn recommend(scenario: &Scenario, summary: &RunSummary) -> Recommendation {
    let d = &scenario.decision;
    let objective = d.objective;
    let name = |i: usize| scenario.strategies[i].name.clone();
    let mut excluded = Vec::new();
    let mut ranked: Vec<usize> = Vec::new();
    for (i, s) in summary.strategies.iter().enumerate() {
        match breach(scenario, s) {
            Some(reason) => excluded.push(Excluded {
                strategy: name(i),
                reason,
            }),
            None => ranked.push(i),
        }
    }
    let value = |i: usize| summary.strategies[i].score.value();
    ranked.sort_by(|&a, &b| value(b).total_cmp(&value(a)));
    let word = objective_word(objective);
    let what = if d.risk_tolerance.is_finite() {
        format!(
            "risk-adjusted {word} (certainty equivalent at a risk tolerance of {})",
            money(d.risk_tolerance)
        )
    } else {
        format!("expected {word}")
    };
    let base = Recommendation {
        strategy: None,
        runner_up: None,
        clear: false,
        reason: String::new(),
        objective: objective.label().to_string(),
        risk_adjusted: d.risk_tolerance.is_finite(),
        value: None,
        runner_up_value: None,
        lead: None,
        excluded,
    };
    let Some(&best) = ranked.first() else {
        return Recommendation {
            reason: "No strategy meets the board's limits; relax a limit in [decision] or add a strategy that stays in network.".to_string(),
            ..base
        };
    };
    let Some(&second) = ranked.get(1) else {
        return Recommendation {
            strategy: Some(name(best)),
            clear: true,
            value: Some(value(best)),
            reason: format!(
                "`{}` is the only strategy within the board's limits.",
                name(best)
            ),
            ..base
        };
    };
    let (b, r) = (name(best), name(second));
    let Some(l) = lead(summary, best, second) else {
        return Recommendation {
            strategy: Some(b.clone()),
            runner_up: Some(r.clone()),
            value: Some(value(best)),
            runner_up_value: Some(value(second)),
            reason: format!(
                "`{b}` has the highest {what}; its lead over `{r}` was not tracked on the same paths, so it is not called clear."
            ),
            ..base
        };
    };
    let material = l.value > d.materiality;
    let most_worlds = l.p_better > l.p_worse;
    let known = l.ci95.0 > 0.0;
    let clear = material && most_worlds && known;
    let lead_words = format!(
        "`{b}` leads `{r}` by {} of {what} (95 % interval of the estimate {} to {})",
        money(l.value),
        money(l.ci95.0),
        money(l.ci95.1)
    );
    let worlds = format!(
        "it scores higher in {} of worlds and lower in {} (by {} on average when it does; 5-95 % range of the difference {} to {})",
        percent(l.p_better),
        percent(l.p_worse),
        money(l.loss_if_worse),
        money(l.p5),
        money(l.p95)
    );
    let reason = if clear {
        format!(
            "{lead_words}, more than the {} that counts as material, and {worlds}.",
            money(d.materiality)
        )
    } else {
        let mut why = Vec::new();
        if !material {
            why.push(format!(
                "the lead is not material (the board's threshold is {})",
                money(d.materiality)
            ));
        }
        if !most_worlds {
            why.push(format!("`{r}` scores higher in more worlds"));
        }
        if !known {
            why.push("the lead is within Monte Carlo error (run more paths)".to_string());
        }
        let (sb, sr) = (&summary.strategies[best], &summary.strategies[second]);
        let trade = format!(
            "Trade-off: the worst 5 % of worlds average {} with `{b}` and {} with `{r}`; out of network at some renewal {} against {}.",
            money(downside(sb, objective)),
            money(downside(sr, objective)),
            percent(sb.out_of_network_any.p()),
            percent(sr.out_of_network_any.p())
        );
        format!(
            "No clear winner: {lead_words}, but {}; {worlds}. {trade}",
            why.join(", and ")
        )
    };
    let reason = format!("{reason}{}", patients_line(&b, &summary.strategies[best]));
    Recommendation {
        strategy: Some(b),
        runner_up: Some(r),
        clear,
        reason,
        value: Some(value(best)),
        runner_up_value: Some(value(second)),
        lead: Some(l),
        ..base
    }
}
