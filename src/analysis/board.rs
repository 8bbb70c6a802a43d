//! Everything a board report needs, gathered in one pass: the full run, the
//! recommended strategy against the baseline, the tornado of the decision
//! between the top two strategies, the break-even value of its most important
//! input, escalation timing, revenue distributions, sample timelines, the
//! value of information (EVPI and EVPPI among every strategy), the Sobol'
//! indices of the decision between the top two strategies, the
//! assumptions with their notes and, on request ([`gather_with`]), a search
//! for a better plan than the recommended one ([`super::optimize`]).
//!
//! This module only runs analyses and collects their results; turning them
//! into HTML, SVG or a workbook is [`crate::report`]'s job.

use serde::Serialize;

use crate::engine::{Simulation, baseline_pairs, other_pairs};
use crate::model::play_observed;
use crate::model::trace::Timeline;
use crate::report::RunReport;
use crate::scenario::{Scenario, Trigger};

use super::compare::{CompareReport, compare};
use super::information::{VoiOptions, VoiReport, voi};
use super::optimize::{FINALISTS, OptimizeOptions, OptimizeReport, optimize};
use super::sensitivity::{SobolOptions, SobolReport, sobol};
use super::threshold::{ThresholdOptions, ThresholdReport, threshold};
use super::timing::{TimingOptions, TimingReport, timing};
use super::tornado::{Metric, Target, TornadoOptions, TornadoReport, tornado};
use super::{AnalysisError, Budget, Progress};

/// How much work a board report does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoardBudget {
    /// The main run (every strategy).
    pub run: Budget,
    /// Paths per variant of the supporting analyses (tornado, threshold,
    /// timing) and of the value-of-information run.
    pub analysis_paths: u64,
}

/// Base samples of the Sobol' design of a board report: `N (factors + 2)`
/// worlds are played (see [`super::sensitivity::planned_runs`]).
pub const SOBOL_BASE_SAMPLES: usize = 2048;

impl BoardBudget {
    fn analysis(&self) -> Budget {
        Budget {
            paths: self.analysis_paths,
            ..self.run
        }
    }

    /// The value-of-information run: the analysis budget, but never fewer
    /// paths than its regressions need ([`super::voi::MIN_EVPPI_PATHS`]).
    fn information(&self) -> Budget {
        Budget {
            paths: self.analysis_paths.max(super::voi::MIN_EVPPI_PATHS as u64),
            ..self.run
        }
    }

    /// Paths the whole report runs at most, for a progress bar (the worlds
    /// of the Sobol' design count as paths: each costs about as much).
    pub fn planned_paths(&self, scenario: &Scenario) -> u64 {
        let n = self.analysis_paths;
        let tornado_runs = scenario.inputs().len() as u64 * 2 + 1;
        // With a choice to make: the value of information on its own run,
        // and the Sobol' design of the decision between the top two.
        let information = if scenario.strategies.len() >= 2 {
            self.information().paths
                + super::sensitivity::planned_runs(
                    scenario,
                    &sobol_options(scenario, String::new(), String::new(), self),
                ) as u64
        } else {
            0
        };
        // The main run, then the recommendation against the baseline and
        // against the runner-up on the same paths.
        3 * self.run.paths
            + n * (tornado_runs
                + super::threshold::planned_runs() as u64
                + super::timing::planned_runs() as u64)
            + information
    }
}

/// Candidates a board report's search for a better plan evaluates unless told
/// otherwise (`impasse report --optimize-budget`).
pub const OPTIMIZE_BUDGET: usize = 400;

/// Fewest search paths per candidate of a board report's optimizer.
pub const OPTIMIZE_MIN_PATHS: u64 = 500;

impl BoardBudget {
    /// The optimizer of a board report: `candidates` candidates from the
    /// recommended strategy `from`, each on a quarter of the analysis paths
    /// (at least [`OPTIMIZE_MIN_PATHS`]), the finalists re-played on the
    /// analysis paths (at least 2), with the run's seed and threads.
    pub fn optimize_options(&self, from: &str, candidates: usize) -> OptimizeOptions {
        let mut o = OptimizeOptions::new(self.run.seed);
        o.from = Some(from.to_string());
        o.budget = candidates;
        o.paths = (self.analysis_paths / 4).max(OPTIMIZE_MIN_PATHS);
        o.holdout_paths = self.analysis_paths.max(2);
        o.threads = self.run.threads;
        o
    }

    /// Paths the optimizer of [`Self::optimize_options`] plays, roughly: every
    /// candidate on the search paths, and the finalists, the recommended
    /// strategy and the file's best on the holdout paths.
    pub fn optimize_paths(&self, candidates: usize) -> u64 {
        let o = self.optimize_options("", candidates);
        candidates as u64 * o.paths + (FINALISTS as u64 + 2) * o.holdout_paths
    }

    /// [`Self::planned_paths`] with the optimizer of `optimize` candidates,
    /// if any.
    pub fn planned_paths_with(&self, scenario: &Scenario, optimize: Option<usize>) -> u64 {
        self.planned_paths(scenario) + optimize.map_or(0, |c| self.optimize_paths(c))
    }
}

/// The metric of the scenario's decision objective.
fn decision_metric(scenario: &Scenario) -> Metric {
    match scenario.decision.objective {
        crate::scenario::Objective::Margin => Metric::Margin,
        crate::scenario::Objective::Revenue => Metric::Revenue,
    }
}

/// The Sobol' analysis of a board report: the decision objective's
/// difference `a − b`, [`SOBOL_BASE_SAMPLES`] base samples, the run's seed
/// and threads.
fn sobol_options(scenario: &Scenario, a: String, b: String, budget: &BoardBudget) -> SobolOptions {
    SobolOptions {
        target: Target::Diff(a, b),
        metric: decision_metric(scenario),
        base_samples: SOBOL_BASE_SAMPLES,
        seed: budget.run.seed,
        threads: budget.run.threads,
    }
}

/// A sample path of one strategy, told week by week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleTimeline {
    /// Panel title.
    pub title: String,
    /// The strategy.
    pub strategy: String,
    /// The path's index (replay it with the same seed).
    pub path: u64,
    /// The story.
    pub timeline: Timeline,
}

/// The cumulative distribution of one strategy's revenue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevenueCdf {
    /// The strategy.
    pub strategy: String,
    /// (revenue in dollars, share of paths at or below it), for the 1st to
    /// 99th percentiles.
    pub points: Vec<(f64, f64)>,
}

/// The per-path difference in decision score between the recommended
/// strategy and the runner-up, on the same paths of the main run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadDistribution {
    /// The recommended strategy.
    pub strategy: String,
    /// The runner-up.
    pub runner_up: String,
    /// (difference in dollars, share of paths at or below it) for the 1st to
    /// 99th percentiles.
    pub quantiles: Vec<(f64, f64)>,
    /// Mean difference, dollars.
    pub mean: f64,
    /// Its Monte Carlo standard error (paired).
    pub mcse: f64,
    /// Share of paths where the recommended strategy scores strictly higher.
    pub p_better: f64,
    /// Share of paths where it scores strictly lower.
    pub p_worse: f64,
}

/// One input of the scenario as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// Dotted path.
    pub input: String,
    /// The value or distribution as written.
    pub value: String,
    /// What it is, in plain words (see [`crate::scenario::labels`]).
    pub label: String,
    /// The value or distribution in plain words and units.
    pub words: String,
    /// Whether it is uncertain.
    pub uncertain: bool,
    /// Its mean.
    pub mean: f64,
    /// The note or source the scenario file gives it (its comment).
    pub note: String,
}

/// Everything in a board report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardData {
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// The command that reproduces this report.
    pub command: String,
    /// The main run: every strategy, and each against the baseline.
    pub run: RunReport,
    /// Strategy names ranked by the decision objective's value, best first.
    pub ranking: Vec<String>,
    /// The recommended strategy: the best within the board's limits by the
    /// decision objective (`run.recommendation` says whether it is clear).
    pub recommended: String,
    /// The recommended strategy as written in the scenario (what the board
    /// approves).
    pub plan: crate::scenario::Strategy,
    /// Legal notice period, weeks before expiry.
    pub notice_weeks: u32,
    /// The baseline (usually "wait").
    pub baseline: String,
    /// The second-best strategy, if there is more than one.
    pub runner_up: Option<String>,
    /// Recommended against the baseline, on every metric.
    pub versus_baseline: Option<CompareReport>,
    /// Recommended against the runner-up, on every metric.
    pub versus_runner_up: Option<CompareReport>,
    /// Tornado of the difference recommended − runner-up.
    pub tornado: Option<TornadoReport>,
    /// Break-even of the tornado's most important input between the two.
    pub threshold: Option<ThresholdReport>,
    /// Escalation timing of the recommended strategy (or the first that escalates).
    pub timing: Option<TimingReport>,
    /// What better information is worth: EVPI, and EVPPI of every uncertain
    /// input and of the default groups, choosing among every strategy on
    /// [`BoardBudget::analysis_paths`] paths (at least the 100 its
    /// regressions need; none with a single strategy).
    pub information: Option<VoiReport>,
    /// Sobol' indices of the decision objective's difference recommended −
    /// runner-up (none without a runner-up; no rows when the difference
    /// does not vary).
    pub drivers: Option<SobolReport>,
    /// Revenue distributions.
    pub revenue_cdfs: Vec<RevenueCdf>,
    /// Sample timelines.
    pub timelines: Vec<SampleTimeline>,
    /// The distribution of the recommended strategy's lead over the runner-up.
    pub lead: Option<LeadDistribution>,
    /// Weekly revenue of the recommended strategy across the first
    /// [`CASH_PATHS`] paths of the main run's seed.
    pub weekly_cash: Option<crate::model::cashflow::CashFan>,
    /// Every input with its note.
    pub assumptions: Vec<Assumption>,
    /// A search for a better plan than the recommended one, starting from
    /// it (only when asked for: `impasse report --optimize`).
    pub optimized: Option<OptimizeReport>,
}

/// Gather a board report for `scenario`. `source` is the scenario file's
/// text (for the notes beside each input) and `command` the command line
/// that reproduces the report.
pub fn gather(
    scenario: &Scenario,
    source: &str,
    command: &str,
    budget: &BoardBudget,
    progress: Progress<'_>,
) -> Result<BoardData, AnalysisError> {
    gather_with(scenario, source, command, budget, None, progress)
}

/// [`gather`], and with `optimize` = `Some(candidates)` a search of that
/// many candidates for a better plan, from the recommended strategy
/// ([`BoardBudget::optimize_options`]). Progress counts paths, as
/// [`BoardBudget::planned_paths_with`] plans them.
pub fn gather_with(
    scenario: &Scenario,
    source: &str,
    command: &str,
    budget: &BoardBudget,
    optimize_budget: Option<usize>,
    progress: Progress<'_>,
) -> Result<BoardData, AnalysisError> {
    let sim = Simulation::new(scenario);
    let summary = sim.run_tracking(
        &budget.run.config(0, budget.run.paths),
        &baseline_pairs(scenario),
        &other_pairs(scenario),
        progress,
    )?;
    let run = RunReport::new(scenario, budget.run.seed, &summary);
    let mut order: Vec<usize> = (0..scenario.strategies.len()).collect();
    let value = |i: usize| summary.strategies[i].score.value();
    order.sort_by(|&a, &b| value(b).total_cmp(&value(a)));
    let name = |i: usize| scenario.strategies[i].name.clone();
    let ranking: Vec<String> = order.iter().map(|&i| name(i)).collect();
    // The rule's choice; with every strategy outside the limits, the best by
    // value is still shown (the recommendation says none qualifies).
    let recommended = run
        .recommendation
        .strategy
        .clone()
        .unwrap_or_else(|| ranking[0].clone());
    let baseline = name(scenario.baseline_index());
    let runner_up = run
        .recommendation
        .runner_up
        .clone()
        .or_else(|| ranking.iter().find(|n| **n != recommended).cloned());
    let metric = decision_metric(scenario);
    let order: Vec<usize> =
        std::iter::once(scenario.strategy_index(&recommended).unwrap_or(order[0]))
            .chain(order.iter().copied().filter(|&i| name(i) != recommended))
            .collect();

    let versus_baseline = if recommended != baseline {
        Some(compare(
            scenario,
            &recommended,
            &baseline,
            &budget.run,
            None,
            progress,
        )?)
    } else {
        None
    };
    let analysis = budget.analysis();
    // On the main run's paths, so its figures agree with the run's.
    let versus_runner_up = match &runner_up {
        Some(r) => Some(compare(
            scenario,
            &recommended,
            r,
            &budget.run,
            None,
            progress,
        )?),
        None => None,
    };

    let tornado = match &runner_up {
        Some(r) => Some(tornado(
            scenario,
            &TornadoOptions::new(Target::Diff(recommended.clone(), r.clone()), metric),
            &analysis,
            progress,
        )?),
        None => None,
    };
    let threshold = match (&tornado, &runner_up) {
        (Some(t), Some(r)) => match t.bars.iter().find(|b| b.swing > 0.0) {
            Some(top) => Some(threshold(
                scenario,
                &ThresholdOptions {
                    param: top.input.clone(),
                    a: recommended.clone(),
                    b: r.clone(),
                    range: None,
                    metric,
                },
                &analysis,
                progress,
            )?),
            None => None,
        },
        _ => None,
    };

    // What better information is worth, among every strategy, on its own
    // run of the analysis budget; and which uncertainties drive the choice
    // between the top two.
    // A regression that cannot be fitted leaves the section out rather than
    // the whole report (the main run has already succeeded).
    let information = if scenario.strategies.len() >= 2 {
        voi(
            scenario,
            &VoiOptions {
                default_groups: true,
                ..VoiOptions::default()
            },
            &budget.information(),
            progress,
        )
        .ok()
    } else {
        None
    };
    let drivers = match &runner_up {
        Some(r) => Some(sobol(
            scenario,
            &sobol_options(scenario, recommended.clone(), r.clone(), budget),
            progress,
        )?),
        None => None,
    };

    let optimized = match optimize_budget {
        Some(candidates) => {
            let options = budget.optimize_options(&recommended, candidates);
            // The optimizer counts candidates; the report counts paths. What
            // it does not count (the holdout) is added when it is done.
            let done = std::sync::atomic::AtomicU64::new(0);
            let step = |n: u64| {
                let n = n * options.paths;
                done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                progress(n);
            };
            let report = optimize(scenario, &options, &step, &|_| {})?;
            let counted = done.load(std::sync::atomic::Ordering::Relaxed);
            progress(budget.optimize_paths(candidates).saturating_sub(counted));
            Some(report)
        }
        None => None,
    };

    let escalates = |i: usize| scenario.strategies[i].escalation != Trigger::Never;
    let timing_strategy = order.iter().copied().find(|&i| escalates(i));
    let timing = match timing_strategy {
        Some(i) => Some(timing(
            scenario,
            &TimingOptions {
                strategy: name(i),
                from: None,
                to: None,
                step: None,
                notice: false,
            },
            &analysis,
            progress,
        )?),
        None => None,
    };

    let revenue_cdfs = order
        .iter()
        .map(|&i| RevenueCdf {
            strategy: name(i),
            points: (1..=99)
                .map(|p| {
                    let q = f64::from(p) / 100.0;
                    (summary.strategies[i].revenue.quantile(q), q)
                })
                .collect(),
        })
        .collect();

    let timelines = sample_timelines(&sim, budget.run.seed, order[0], scenario.baseline_index());
    let lead = lead_distribution(scenario, &summary, &recommended, runner_up.as_deref());
    let weekly_cash = Some(crate::model::cashflow::cash_fan(
        &sim.terms,
        &sim.plans[order[0]],
        (0..CASH_PATHS.min(budget.run.paths)).map(|i| (i, sim.world(budget.run.seed, i))),
    ));

    let notes = crate::scenario::notes::field_notes(source);
    let assumptions = scenario
        .inputs()
        .into_iter()
        .map(|(input, dist)| Assumption {
            note: notes.get(&input).cloned().unwrap_or_default(),
            value: dist.to_string(),
            label: crate::scenario::labels::describe(&input),
            words: crate::scenario::labels::format_dist(&input, &dist),
            uncertain: !dist.is_fixed(),
            mean: dist.mean(),
            input,
        })
        .collect();

    Ok(BoardData {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        command: command.to_string(),
        run,
        ranking,
        plan: scenario
            .strategies
            .iter()
            .find(|s| s.name == recommended)
            .cloned()
            .unwrap_or_else(|| scenario.strategies[0].clone()),
        notice_weeks: scenario.contract.notice_weeks,
        recommended,
        baseline,
        runner_up,
        versus_baseline,
        versus_runner_up,
        tornado,
        threshold,
        timing,
        information,
        drivers,
        revenue_cdfs,
        timelines,
        lead,
        weekly_cash,
        assumptions,
        optimized,
    })
}

/// Paths of the weekly-revenue fan (the first of the main run's seed).
pub const CASH_PATHS: u64 = 2000;

/// The lead of `a` over `b` path by path, from their tracked pair.
fn lead_distribution(
    scenario: &Scenario,
    summary: &crate::engine::RunSummary,
    a: &str,
    b: Option<&str>,
) -> Option<LeadDistribution> {
    let b = b?;
    let (ia, ib) = (scenario.strategy_index(a)?, scenario.strategy_index(b)?);
    let d = summary.score_diff(ia, ib)?;
    let quantiles = (1..=99)
        .map(|k| {
            let q = f64::from(k) / 100.0;
            (d.quantile(q), q)
        })
        .collect();
    Some(LeadDistribution {
        strategy: a.to_string(),
        runner_up: b.to_string(),
        quantiles,
        mean: d.mean(),
        mcse: d.diff.moments.mcse(),
        p_better: d.p_better(),
        p_worse: d.p_worse(),
    })
}

/// Up to four sample timelines: the recommended strategy and the baseline on
/// a typical path (the first), and on the first path where the recommended
/// strategy goes out of network, if one does among the first 5,000.
fn sample_timelines(
    sim: &Simulation<'_>,
    seed: u64,
    recommended: usize,
    baseline: usize,
) -> Vec<SampleTimeline> {
    let mut paths = vec![(0u64, "a typical path")];
    if let Some(p) = (0..5000).find(|&i| {
        sim.path_outcomes(seed, i)[recommended]
            .first()
            .out_of_network
    }) {
        paths.push((p, "a path that goes out of network"));
    }
    let mut out = Vec::new();
    for (path, label) in paths {
        let world = sim.world(seed, path);
        for idx in [recommended, baseline] {
            if out
                .iter()
                .any(|t: &SampleTimeline| t.path == path && t.strategy == sim.plans[idx].name)
            {
                continue;
            }
            let mut timeline = Timeline::default();
            play_observed(&sim.terms, &sim.plans[idx], &world, &mut timeline);
            // Only the recommended strategy is known to go out of network on
            // the second path; the baseline is shown on the same world.
            let label = if idx == recommended {
                label
            } else {
                "the same world"
            };
            out.push(SampleTimeline {
                title: format!("{}: {label} (path {path})", sim.plans[idx].name),
                strategy: sim.plans[idx].name.clone(),
                path,
                timeline,
            });
        }
    }
    out
}
