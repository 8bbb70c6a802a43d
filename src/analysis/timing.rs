//! `impasse timing`: when should one strategy escalate (or, with `--notice`,
//! send its notice of non-renewal)? Expected revenue, its 95 % interval, the
//! probability of going out of network and the patient-weeks out of network
//! as a function of the week of the move.
//!
//! One scenario holds a copy of the strategy per week, plus one copy that
//! moves `on_impasse`, so every variant plays the same paths and the paired
//! differences between weeks are exact (common random numbers). The engine
//! runs that scenario twice with the same seed ([`planned_runs`] passes): the
//! first pass finds the best week (highest mean revenue), the second tracks
//! each variant's paired revenue difference with it. Both passes see the same
//! paths, so the second reproduces the first's numbers exactly.
//!
//! A week *ties* with the best when the two give the same revenue on every
//! path, to rounding: no path's difference exceeds a relative
//! [`TIE_TOLERANCE`](super::threshold::TIE_TOLERANCE) of their mean revenue (moving the escalation between
//! those weeks changes nothing, and what is left is floating-point noise of
//! about 1e-10 dollars). A week that ties is indistinguishable from the best,
//! whatever the interval of its noise says. Otherwise a week is statistically
//! indistinguishable from the best when the 95 % interval of its paired
//! difference contains 0; a nonzero difference with a zero standard error (the
//! same nonzero amount on every path) is not.

use serde::Serialize;

use crate::engine::RunSummary;
use crate::engine::stats::Moments;
use crate::report::table::{columns, count, millions, percent, signed_millions};
use crate::report::{Output, csv_number};
use crate::scenario::{Scenario, Trigger};

use super::threshold::identical_on_every_path;
use super::{AnalysisError, Budget, Progress, strategy_index};

/// What `impasse timing` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimingOptions {
    /// The strategy whose move is timed (`--strategy`).
    pub strategy: String,
    /// First week tried (`--from`; default: the opening of talks, `-lead_weeks`).
    pub from: Option<i32>,
    /// Last week tried (`--to`; default `-1` for escalation, `-notice_weeks`
    /// for a notice).
    pub to: Option<i32>,
    /// Weeks between tries (`--step`; default: the strategy's `cadence_weeks`).
    pub step: Option<u32>,
    /// Time the notice of non-renewal instead of the escalation (`--notice`).
    pub notice: bool,
}

/// Which move is timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// Escalation to the payer's executives.
    Escalation,
    /// Notice of non-renewal.
    Notice,
}

impl Move {
    fn word(self) -> &'static str {
        match self {
            Move::Escalation => "escalation",
            Move::Notice => "notice",
        }
    }
}

/// The engine runs the timing scenario this many times (each with
/// `budget.paths` paths): for a progress bar, `planned_runs() * paths` paths
/// in all.
pub fn planned_runs() -> usize {
    2
}

/// One week of the timing curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekPoint {
    /// Week of the move, relative to expiry.
    pub week: i32,
    /// Expected net present revenue, dollars.
    pub revenue_mean: f64,
    /// Its Monte Carlo standard error.
    pub revenue_mcse: f64,
    /// 95 % interval of the expected revenue.
    pub revenue_ci95: (f64, f64),
    /// Probability of going out of network.
    pub p_out_of_network: f64,
    /// Mean patient-weeks without in-network access.
    pub patient_weeks_out_of_network_mean: f64,
    /// Mean paired revenue difference with the best week (this week - best).
    pub diff_vs_best_mean: f64,
    /// 95 % interval of that difference.
    pub diff_vs_best_ci95: (f64, f64),
    /// Whether this is the best week.
    pub is_best: bool,
    /// Whether this week (other than the best) gives the same revenue as the
    /// best on every path, to rounding: a tie.
    pub ties_best: bool,
    /// Whether this week (other than the best) is statistically
    /// indistinguishable from the best: it ties with it, or the interval
    /// above contains 0.
    pub indistinguishable: bool,
}

/// The same strategy moving `on_impasse`, against the best week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnImpasse {
    /// Expected net present revenue, dollars.
    pub revenue_mean: f64,
    /// Its Monte Carlo standard error.
    pub revenue_mcse: f64,
    /// 95 % interval of the expected revenue.
    pub revenue_ci95: (f64, f64),
    /// Probability of going out of network.
    pub p_out_of_network: f64,
    /// Mean patient-weeks without in-network access.
    pub patient_weeks_out_of_network_mean: f64,
    /// Mean paired revenue difference with the best week (on_impasse - best).
    pub diff_vs_best_mean: f64,
    /// 95 % interval of that difference.
    pub diff_vs_best_ci95: (f64, f64),
    /// Whether it gives the same revenue as the best week on every path, to
    /// rounding: a tie.
    pub ties_best: bool,
    /// Whether it is statistically indistinguishable from the best week: it
    /// ties with it, or the interval above contains 0.
    pub indistinguishable: bool,
}

/// How a variant compares with the best week, from its paired revenue
/// difference `diff` (variant − best) and the two mean revenues.
///
/// A tie (the same revenue on every path, to rounding) is indistinguishable
/// from the best. Otherwise the 95 % interval decides: a zero difference with
/// a zero standard error cannot arise without a tie, and a nonzero
/// difference with a zero standard error (the same amount on every path) is
/// distinguishable, since its interval is that single nonzero value.
fn against_best(diff: &Moments, mean: f64, best_mean: f64) -> (bool, bool) {
    let ties = identical_on_every_path(diff, mean.abs().max(best_mean.abs()));
    let (lo, hi) = diff.ci95();
    (ties, ties || (lo <= 0.0 && 0.0 <= hi))
}

/// The result of `impasse timing`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimingReport {
    /// Scenario name.
    pub scenario: String,
    /// The strategy timed.
    pub strategy: String,
    /// The move timed.
    pub decision: Move,
    /// Seed.
    pub seed: u64,
    /// Paths per pass.
    pub paths: u64,
    /// Legal weeks for the move: `[-lead_weeks, -1]` for escalation,
    /// `[-lead_weeks, -notice_weeks]` for a notice.
    pub legal_range: (i32, i32),
    /// First week tried.
    pub from: i32,
    /// Last week allowed (the last week tried is the last step at or before it).
    pub to: i32,
    /// Weeks between tries.
    pub step: u32,
    /// One entry per week tried, in order.
    pub weeks: Vec<WeekPoint>,
    /// The week with the highest mean revenue (ties: the earliest).
    pub best_week: i32,
    /// The other weeks statistically indistinguishable from the best (those
    /// that tie with it included).
    pub indistinguishable_weeks: Vec<i32>,
    /// The other weeks that tie with the best: the same revenue on every
    /// path, to rounding.
    pub tied_weeks: Vec<i32>,
    /// The same strategy with the move `on_impasse`.
    pub on_impasse: OnImpasse,
}

/// Time the escalation (or notice) of `options.strategy`.
pub fn timing(
    scenario: &Scenario,
    options: &TimingOptions,
    budget: &Budget,
    progress: Progress<'_>,
) -> Result<TimingReport, AnalysisError> {
    let index = strategy_index(scenario, "--strategy", &options.strategy)?;
    let original = &scenario.strategies[index];
    let decision = if options.notice {
        Move::Notice
    } else {
        Move::Escalation
    };
    let opening = -(original.lead_weeks as i32);
    let deadline = -(scenario.contract.notice_weeks as i32);
    let (lo, hi) = match decision {
        Move::Escalation => (opening, -1),
        Move::Notice => (opening, deadline),
    };
    let range_words = match decision {
        Move::Escalation => format!(
            "an escalation week of `{}` must lie in [{lo}, {hi}]: from the opening of talks (-lead_weeks) to the week before expiry",
            original.name
        ),
        Move::Notice => format!(
            "a notice week of `{}` must lie in [{lo}, {hi}]: from the opening of talks (-lead_weeks) to the legal notice deadline (-contract.notice_weeks)",
            original.name
        ),
    };
    if lo > hi {
        return Err(AnalysisError::option(
            "--notice",
            &original.name,
            format!(
                "talks of `{}` open at week {lo}, after the legal notice deadline ({hi}): no notice week is legal",
                original.name
            ),
        ));
    }
    let from = options.from.unwrap_or(lo);
    let to = options.to.unwrap_or(hi);
    if !(lo..=hi).contains(&from) {
        return Err(AnalysisError::option("--from", from, range_words));
    }
    if !(lo..=hi).contains(&to) {
        return Err(AnalysisError::option("--to", to, range_words));
    }
    if from > to {
        return Err(AnalysisError::option(
            "--to",
            to,
            format!("must be at or after --from ({from})"),
        ));
    }
    let step = options.step.unwrap_or(original.cadence_weeks.max(1));
    if step == 0 {
        return Err(AnalysisError::option(
            "--step",
            step,
            "must be a whole number of weeks, at least 1",
        ));
    }
    let weeks: Vec<i32> = (from..=to).step_by(step as usize).collect();

    // One scenario: a copy per week, then the on_impasse copy.
    let variant = |trigger: Trigger, label: String| {
        let mut st = original.clone();
        st.name = format!("{}@{label}", original.name);
        match decision {
            Move::Escalation => st.escalation = trigger,
            Move::Notice => st.notice = trigger,
        }
        st
    };
    let mut timed = scenario.clone();
    timed.baseline = None;
    timed.strategies = weeks
        .iter()
        .map(|&w| variant(Trigger::Week(w), w.to_string()))
        .chain(std::iter::once(variant(
            Trigger::OnImpasse,
            "on_impasse".into(),
        )))
        .collect();
    timed.validate()?;
    let n = weeks.len();

    // Pass 1: find the best week.
    let first = super::run(&timed, budget, &[], progress)?;
    let best = best_of(&first, n);
    // Pass 2: the same paths, with every variant paired against the best.
    let pairs: Vec<(usize, usize)> = (0..=n).map(|i| (i, best)).collect();
    let summary = super::run(&timed, budget, &pairs, progress)?;
    debug_assert_eq!(best_of(&summary, n), best);

    let best_mean = summary.strategies[best].revenue.mean();
    let points: Vec<WeekPoint> = weeks
        .iter()
        .enumerate()
        .map(|(i, &week)| {
            let s = &summary.strategies[i];
            let d = summary.pairs[i].revenue();
            let ci = d.ci95();
            let (ties, indistinguishable) = against_best(d, s.revenue.mean(), best_mean);
            WeekPoint {
                week,
                revenue_mean: s.revenue.mean(),
                revenue_mcse: s.revenue.mcse(),
                revenue_ci95: s.revenue.moments.ci95(),
                p_out_of_network: s.first().out_of_network.p(),
                patient_weeks_out_of_network_mean: s.patient_weeks_out_of_network.mean(),
                diff_vs_best_mean: d.mean(),
                diff_vs_best_ci95: ci,
                is_best: i == best,
                ties_best: i != best && ties,
                indistinguishable: i != best && indistinguishable,
            }
        })
        .collect();
    let (s, d) = (&summary.strategies[n], summary.pairs[n].revenue());
    let (ties, indistinguishable) = against_best(d, s.revenue.mean(), best_mean);
    let on_impasse = OnImpasse {
        revenue_mean: s.revenue.mean(),
        revenue_mcse: s.revenue.mcse(),
        revenue_ci95: s.revenue.moments.ci95(),
        p_out_of_network: s.first().out_of_network.p(),
        patient_weeks_out_of_network_mean: s.patient_weeks_out_of_network.mean(),
        diff_vs_best_mean: d.mean(),
        diff_vs_best_ci95: d.ci95(),
        ties_best: ties,
        indistinguishable,
    };
    Ok(TimingReport {
        scenario: scenario.name.clone(),
        strategy: original.name.clone(),
        decision,
        seed: budget.seed,
        paths: summary.paths,
        legal_range: (lo, hi),
        from,
        to,
        step,
        best_week: weeks[best],
        indistinguishable_weeks: points
            .iter()
            .filter(|p| p.indistinguishable)
            .map(|p| p.week)
            .collect(),
        tied_weeks: points
            .iter()
            .filter(|p| p.ties_best)
            .map(|p| p.week)
            .collect(),
        weeks: points,
        on_impasse,
    })
}

/// Index of the week variant (among the first `n` strategies) with the
/// highest mean revenue; ties go to the earliest week.
fn best_of(summary: &RunSummary, n: usize) -> usize {
    (0..n)
        .reduce(|b, i| {
            if summary.strategies[i].revenue.mean() > summary.strategies[b].revenue.mean() {
                i
            } else {
                b
            }
        })
        .unwrap_or(0)
}

fn interval(ci: (f64, f64)) -> String {
    format!("[{}, {}]", millions(ci.0), millions(ci.1))
}

fn signed_interval(ci: (f64, f64)) -> String {
    format!("[{}, {}]", signed_millions(ci.0), signed_millions(ci.1))
}

impl Output for TimingReport {
    fn table(&self) -> String {
        let word = self.decision.word();
        let any_tie = !self.tied_weeks.is_empty() || self.on_impasse.ties_best;
        let mut out = format!(
            "Scenario {}: timing of the {word} of `{}`, weeks {} to {} every {}; {} paths, seed {}, every week on the same paths.\n\
             Expected net present revenue in $M; `vs best`: paired difference with the best week (*);{} ~: indistinguishable from it at 95 %.\n\n",
            self.scenario,
            self.strategy,
            self.from,
            self.to,
            self.step,
            count(self.paths as f64),
            self.seed,
            if any_tie {
                " =: ties with it (the same revenue on every path);"
            } else {
                ""
            }
        );
        let mut rows: Vec<Vec<String>> = self
            .weeks
            .iter()
            .map(|p| {
                let mark = if p.is_best {
                    "*"
                } else if p.ties_best {
                    "="
                } else if p.indistinguishable {
                    "~"
                } else {
                    ""
                };
                vec![
                    p.week.to_string(),
                    mark.to_string(),
                    millions(p.revenue_mean),
                    interval(p.revenue_ci95),
                    percent(p.p_out_of_network),
                    count(p.patient_weeks_out_of_network_mean),
                    signed_millions(p.diff_vs_best_mean),
                    signed_interval(p.diff_vs_best_ci95),
                ]
            })
            .collect();
        let o = &self.on_impasse;
        rows.push(vec![
            "on_impasse".into(),
            if o.ties_best { "=" } else { "" }.into(),
            millions(o.revenue_mean),
            interval(o.revenue_ci95),
            percent(o.p_out_of_network),
            count(o.patient_weeks_out_of_network_mean),
            signed_millions(o.diff_vs_best_mean),
            signed_interval(o.diff_vs_best_ci95),
        ]);
        out += &columns(
            &[
                "week",
                "",
                "mean",
                "95% interval",
                "P(OON)",
                "patient-weeks OON",
                "vs best",
                "95% interval",
            ],
            &rows,
        );
        out += &format!("\nBest {word} week: {}", self.best_week);
        let list = |weeks: &[i32]| {
            weeks
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        // Ties first (identical results), then the weeks only statistically
        // indistinguishable.
        let close: Vec<i32> = self
            .indistinguishable_weeks
            .iter()
            .copied()
            .filter(|w| !self.tied_weeks.contains(w))
            .collect();
        match (self.tied_weeks.len(), close.is_empty()) {
            (0, true) => out += "; no other week is statistically indistinguishable from it.\n",
            (0, false) => {
                out += &format!(
                    "; statistically indistinguishable from it (95 %): {}.\n",
                    list(&close)
                );
            }
            (k, close_is_empty) => {
                out += &format!(
                    "; {} {} tie{} with it: identical results, the same revenue on every path (to rounding)",
                    if k == 1 { "week" } else { "weeks" },
                    list(&self.tied_weeks),
                    if k == 1 { "s" } else { "" }
                );
                if close_is_empty {
                    out += ".\n";
                } else {
                    out += &format!(
                        "; also statistically indistinguishable from it (95 %): {}.\n",
                        list(&close)
                    );
                }
            }
        }
        let last_tried = self.weeks.last().map_or(self.to, |p| p.week);
        let at_edge = (self.best_week == self.from && self.from > self.legal_range.0)
            || (self.best_week == last_tried && last_tried < self.legal_range.1);
        if at_edge {
            out += &format!(
                "The best week is at the edge of the weeks tried; widen --from/--to (legal: {} to {}).\n",
                self.legal_range.0, self.legal_range.1
            );
        }
        let (lo, hi) = o.diff_vs_best_ci95;
        let verdict = if o.ties_best {
            "a tie with the best fixed week, the same revenue on every path"
        } else if lo > 0.0 {
            "better than the best fixed week"
        } else if hi < 0.0 {
            "worse than the best fixed week"
        } else {
            "statistically indistinguishable from the best fixed week"
        };
        out += &format!(
            "On impasse instead: {} $M, {} $M {} against week {}: {verdict}.\n",
            millions(o.revenue_mean),
            signed_millions(o.diff_vs_best_mean),
            signed_interval(o.diff_vs_best_ci95),
            self.best_week
        );
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "week",
            "revenue_mean",
            "revenue_mcse",
            "revenue_ci95_low",
            "revenue_ci95_high",
            "p_out_of_network",
            "patient_weeks_out_of_network_mean",
            "diff_vs_best_mean",
            "diff_vs_best_ci95_low",
            "diff_vs_best_ci95_high",
            "is_best",
            "indistinguishable",
            "ties_best",
        ]
        .map(String::from)
        .to_vec();
        let mut rows: Vec<Vec<String>> = self
            .weeks
            .iter()
            .map(|p| {
                let mut row = vec![p.week.to_string()];
                row.extend(
                    [
                        p.revenue_mean,
                        p.revenue_mcse,
                        p.revenue_ci95.0,
                        p.revenue_ci95.1,
                        p.p_out_of_network,
                        p.patient_weeks_out_of_network_mean,
                        p.diff_vs_best_mean,
                        p.diff_vs_best_ci95.0,
                        p.diff_vs_best_ci95.1,
                    ]
                    .map(csv_number),
                );
                row.push(p.is_best.to_string());
                row.push(p.indistinguishable.to_string());
                row.push(p.ties_best.to_string());
                row
            })
            .collect();
        let o = &self.on_impasse;
        let (lo, hi) = o.diff_vs_best_ci95;
        let mut row = vec!["on_impasse".to_string()];
        row.extend(
            [
                o.revenue_mean,
                o.revenue_mcse,
                o.revenue_ci95.0,
                o.revenue_ci95.1,
                o.p_out_of_network,
                o.patient_weeks_out_of_network_mean,
                o.diff_vs_best_mean,
                lo,
                hi,
            ]
            .map(csv_number),
        );
        row.push("false".into());
        row.push(o.indistinguishable.to_string());
        row.push(o.ties_best.to_string());
        rows.push(row);
        (header, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diffs(values: &[f64]) -> Moments {
        let mut m = Moments::new();
        for &v in values {
            m.push(v);
        }
        m
    }

    #[test]
    fn a_zero_difference_ties_and_a_constant_nonzero_one_does_not() {
        let mean = 4e8;
        // Zero on every path, zero standard error: a tie.
        assert_eq!(against_best(&diffs(&[0.0; 50]), mean, mean), (true, true));
        // Rounding noise of one sign: its interval leaves out zero, yet it is
        // a tie, so indistinguishable.
        let noise: Vec<f64> = (0..50).map(|i| 1e-8 * f64::from(i % 3)).collect();
        let (lo, _) = diffs(&noise).ci95();
        assert!(lo > 0.0);
        assert_eq!(against_best(&diffs(&noise), mean, mean), (true, true));
        // The same nonzero amount on every path: zero standard error, a
        // difference known exactly, so distinguishable.
        let d = diffs(&[-25.0; 50]);
        assert_eq!(d.mcse(), 0.0);
        assert_eq!(against_best(&d, mean - 25.0, mean), (false, false));
        // Differences that cancel out are no tie, but their interval
        // contains zero.
        let mut mixed = vec![0.0; 48];
        mixed.extend([1e6, -1e6]);
        assert_eq!(against_best(&diffs(&mixed), mean, mean), (false, true));
    }
}
