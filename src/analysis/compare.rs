//! `impasse compare`: two strategies on the same paths, on every recorded
//! metric: each one's mean, the mean paired difference with its 95 %
//! interval, the probability that A beats B, and the expected regret of
//! choosing each (the revenue given up, on average, against the other).
//!
//! With a precision target, paths are added in batches (always the next path
//! indices, so the result is reproducible) until the 95 % half-width of the
//! revenue difference is below the target or the path limit is reached.

use serde::Serialize;

use crate::engine::stats::Moments;
use crate::engine::{DiffSummary, RunSummary, Simulation};
use crate::report::table::{columns, count, percent, signed_millions};
use crate::report::{Output, csv_number};
use crate::scenario::Scenario;

use super::{AnalysisError, Budget, Progress, only_strategies};

/// Stop adding paths when the revenue difference is this precise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Precision {
    /// Target 95 % half-width of the mean revenue difference, dollars.
    pub half_width: f64,
    /// Never run more paths than this.
    pub max_paths: u64,
}

/// One metric of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    /// Metric name (`revenue`, `margin`, `patient_weeks_out_of_network`, ...).
    pub metric: String,
    /// Unit (`$`, `patient-weeks`, `patients`, `probability`).
    pub unit: String,
    /// Mean for A.
    pub mean_a: f64,
    /// Mean for B.
    pub mean_b: f64,
    /// Mean paired difference A - B.
    pub diff_mean: f64,
    /// Its Monte Carlo standard error.
    pub diff_mcse: f64,
    /// 95 % interval of the mean difference (precision, not spread).
    pub diff_ci95: (f64, f64),
    /// 5th percentile of the per-path difference (money metrics; null
    /// otherwise).
    pub diff_p5: f64,
    /// Median per-path difference.
    pub diff_p50: f64,
    /// 95th percentile of the per-path difference.
    pub diff_p95: f64,
    /// Share of paths where A is lower (a loss for A).
    pub p_worse: f64,
    /// Mean shortfall of A on those paths (positive; null when none).
    pub loss_if_worse: f64,
}

impl MetricComparison {
    fn new(metric: &str, unit: &str, mean_a: f64, mean_b: f64, diff: &Moments) -> Self {
        let known = diff.count() >= 2;
        MetricComparison {
            metric: metric.to_string(),
            unit: unit.to_string(),
            mean_a,
            mean_b,
            diff_mean: diff.mean(),
            diff_mcse: if known { diff.mcse() } else { f64::NAN },
            diff_ci95: if known {
                diff.ci95()
            } else {
                (f64::NAN, f64::NAN)
            },
            diff_p5: f64::NAN,
            diff_p50: f64::NAN,
            diff_p95: f64::NAN,
            p_worse: f64::NAN,
            loss_if_worse: f64::NAN,
        }
    }

    fn with_spread(metric: &str, mean_a: f64, mean_b: f64, diff: &DiffSummary) -> Self {
        MetricComparison {
            diff_p5: diff.sketch.quantile(0.05),
            diff_p50: diff.sketch.quantile(0.5),
            diff_p95: diff.sketch.quantile(0.95),
            p_worse: diff.worse.p(),
            loss_if_worse: diff.loss_if_worse.mean(),
            ..MetricComparison::new(metric, "$", mean_a, mean_b, &diff.moments)
        }
    }
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// The number of paths asked for was run.
    FixedPaths,
    /// The precision target was met.
    PrecisionReached,
    /// The path limit came first.
    MaxPathsReached,
}

/// The result of `impasse compare`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareReport {
    /// Scenario name.
    pub scenario: String,
    /// Strategy A.
    pub a: String,
    /// Strategy B.
    pub b: String,
    /// Seed.
    pub seed: u64,
    /// Paths run.
    pub paths: u64,
    /// Why the run stopped.
    pub stop: Stop,
    /// The precision target, if one was set (95 % half-width, dollars).
    pub precision_target: Option<f64>,
    /// The 95 % half-width reached on the revenue difference.
    pub revenue_half_width: f64,
    /// Probability A's revenue is strictly higher on a path.
    pub p_a_better: f64,
    /// Probability B's revenue is strictly higher.
    pub p_b_better: f64,
    /// Expected revenue given up by choosing A: E[max(B - A, 0)].
    pub regret_a: f64,
    /// Expected revenue given up by choosing B: E[max(A - B, 0)].
    pub regret_b: f64,
    /// Every metric.
    pub metrics: Vec<MetricComparison>,
}

/// Compare strategies `a` and `b` of `scenario`.
pub fn compare(
    scenario: &Scenario,
    a: &str,
    b: &str,
    budget: &Budget,
    precision: Option<Precision>,
    progress: Progress<'_>,
) -> Result<CompareReport, AnalysisError> {
    if a == b {
        return Err(AnalysisError::option(
            "B",
            b,
            "compare two different strategies",
        ));
    }
    if let Some(p) = precision {
        if !(p.half_width > 0.0 && p.half_width.is_finite()) {
            return Err(AnalysisError::option(
                "--precision",
                p.half_width,
                "must be a positive amount in dollars",
            ));
        }
        if p.max_paths < budget.paths {
            return Err(AnalysisError::option(
                "--max-paths",
                p.max_paths,
                format!("must be at least --paths ({})", budget.paths),
            ));
        }
    }
    let two = only_strategies(scenario, &[a, b])?;
    let sim = Simulation::new(&two);
    let pairs = [(0, 1)];
    let mut summary: RunSummary = sim.run(&budget.config(0, budget.paths), &pairs, progress)?;
    let half_width = |s: &RunSummary| 1.959963984540054 * s.pairs[0].revenue().mcse();
    let stop = match precision {
        None => Stop::FixedPaths,
        Some(p) => loop {
            if half_width(&summary) < p.half_width {
                break Stop::PrecisionReached;
            }
            if summary.paths >= p.max_paths {
                break Stop::MaxPathsReached;
            }
            let more = budget.paths.min(p.max_paths - summary.paths);
            let batch = sim.run(&budget.config(summary.paths, more), &pairs, progress)?;
            summary.merge(&batch);
        },
    };
    let (sa, sb, pair) = (
        &summary.strategies[0],
        &summary.strategies[1],
        &summary.pairs[0],
    );
    let metrics = vec![
        MetricComparison::with_spread(
            "revenue",
            sa.revenue.mean(),
            sb.revenue.mean(),
            &pair.revenue_diff,
        ),
        MetricComparison::with_spread(
            "margin",
            sa.margin.mean(),
            sb.margin.mean(),
            &pair.margin_diff,
        ),
        MetricComparison::new(
            "p_out_of_network",
            "probability",
            sa.first().out_of_network.p(),
            sb.first().out_of_network.p(),
            &pair.out_of_network,
        ),
        MetricComparison::new(
            "patient_weeks_out_of_network",
            "patient-weeks",
            sa.patient_weeks_out_of_network.mean(),
            sb.patient_weeks_out_of_network.mean(),
            &pair.patient_weeks_out_of_network,
        ),
        MetricComparison::new(
            "patients_switched",
            "patients",
            sa.patients_switched.mean(),
            sb.patients_switched.mean(),
            &pair.patients_switched,
        ),
    ];
    Ok(CompareReport {
        scenario: scenario.name.clone(),
        a: a.to_string(),
        b: b.to_string(),
        seed: budget.seed,
        paths: summary.paths,
        stop,
        precision_target: precision.map(|p| p.half_width),
        revenue_half_width: half_width(&summary),
        p_a_better: pair.a_better().p(),
        p_b_better: pair.a_worse().p(),
        regret_a: pair.regret_a.mean(),
        regret_b: pair.regret_b.mean(),
        metrics,
    })
}

fn show(x: f64, unit: &str, signed: bool) -> String {
    match unit {
        "$" if signed => signed_millions(x),
        "$" => crate::report::table::millions(x),
        "probability" if signed => format!("{:+.1} pts", x * 100.0),
        "probability" => percent(x),
        _ if signed => {
            let c = count(x);
            if x >= 0.5 { format!("+{c}") } else { c }
        }
        _ => count(x),
    }
}

impl Output for CompareReport {
    fn table(&self) -> String {
        let mut out = format!(
            "Scenario {}: `{}` (A) against `{}` (B), paired on the same {} paths, seed {}. Money in $M.\n\n",
            self.scenario,
            self.a,
            self.b,
            count(self.paths as f64),
            self.seed
        );
        let rows: Vec<Vec<String>> = self
            .metrics
            .iter()
            .map(|m| {
                vec![
                    m.metric.clone(),
                    show(m.mean_a, &m.unit, false),
                    show(m.mean_b, &m.unit, false),
                    show(m.diff_mean, &m.unit, true),
                    format!(
                        "[{}, {}]",
                        show(m.diff_ci95.0, &m.unit, true),
                        show(m.diff_ci95.1, &m.unit, true)
                    ),
                    if m.diff_p5.is_finite() {
                        format!(
                            "{} to {}",
                            show(m.diff_p5, &m.unit, true),
                            show(m.diff_p95, &m.unit, true)
                        )
                    } else {
                        String::new()
                    },
                    if m.p_worse.is_finite() {
                        percent(m.p_worse)
                    } else {
                        String::new()
                    },
                    if m.loss_if_worse.is_finite() {
                        show(m.loss_if_worse, &m.unit, false)
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        out += &columns(
            &[
                "metric",
                "A",
                "B",
                "A - B",
                "95% interval",
                "P5 to P95 of A - B",
                "P(A lower)",
                "A's loss|lower",
            ],
            &rows,
        );
        out += "\n95% interval: the precision of the mean difference. P5 to P95: the range of the difference from world to world (spread); A's loss|lower: how much A gives up, on average, in the worlds where it does worse.\n";
        out += &format!(
            "\nP(A earns more than B) = {}; P(B earns more than A) = {}; ties {}.\n\
             Expected regret (revenue given up against the other, on average): choosing A {} $M, choosing B {} $M.\n",
            percent(self.p_a_better),
            percent(self.p_b_better),
            percent(1.0 - self.p_a_better - self.p_b_better),
            crate::report::table::millions(self.regret_a),
            crate::report::table::millions(self.regret_b),
        );
        let hw = crate::report::table::millions(self.revenue_half_width);
        out += &match (self.stop, self.precision_target) {
            (Stop::PrecisionReached, Some(t)) => format!(
                "Precision reached: the revenue difference is known to ±{hw} $M (target ±{} $M) after {} paths.\n",
                crate::report::table::millions(t),
                count(self.paths as f64)
            ),
            (Stop::MaxPathsReached, Some(t)) => format!(
                "Path limit reached before the precision target: ±{hw} $M after {} paths (target ±{} $M); raise --max-paths.\n",
                count(self.paths as f64),
                crate::report::table::millions(t)
            ),
            _ => format!("The revenue difference is known to ±{hw} $M (95 %).\n"),
        };
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "metric",
            "unit",
            "mean_a",
            "mean_b",
            "diff_mean",
            "diff_mcse",
            "diff_ci95_low",
            "diff_ci95_high",
            "diff_p5",
            "diff_p50",
            "diff_p95",
            "p_worse",
            "loss_if_worse",
        ]
        .map(String::from)
        .to_vec();
        let rows = self
            .metrics
            .iter()
            .map(|m| {
                let mut row = vec![m.metric.clone(), m.unit.clone()];
                row.extend(
                    [
                        m.mean_a,
                        m.mean_b,
                        m.diff_mean,
                        m.diff_mcse,
                        m.diff_ci95.0,
                        m.diff_ci95.1,
                        m.diff_p5,
                        m.diff_p50,
                        m.diff_p95,
                        m.p_worse,
                        m.loss_if_worse,
                    ]
                    .map(csv_number),
                );
                row
            })
            .collect();
        (header, rows)
    }
}
