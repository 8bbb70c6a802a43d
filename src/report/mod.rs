//! How answers look: a [`RunReport`] built from a run's summary, and one
//! exporter per output format (table, CSV, JSON). Reports only read
//! summaries; they never simulate.
//!
//! Every result (a run, a comparison, a sweep, ...) implements [`Output`]
//! (a table and CSV rows; JSON comes from its serde form), and [`render`]
//! turns it into the bytes of the chosen [`Format`].

pub mod board_charts;
pub mod brief;
pub mod charts;
pub mod csv;
pub mod html;
pub mod summary;
pub mod table;
pub mod xlsx;

use serde::Serialize;

use crate::engine::{Distribution, PairSummary, RenewalSummary, RunSummary, StrategySummary};
use crate::scenario::Scenario;

/// A mean, for metrics where only the mean is reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mean {
    /// The mean (null in JSON when no path qualified).
    pub mean: f64,
}

/// A money distribution: mean, its Monte Carlo standard error, quantiles and
/// the mean of the worst 5 %.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MoneyStats {
    /// Mean over paths.
    pub mean: f64,
    /// Monte Carlo standard error of the mean.
    pub mcse: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean of the worst 5 % of paths (CVaR).
    pub cvar5: f64,
}

impl From<&Distribution> for MoneyStats {
    fn from(d: &Distribution) -> Self {
        MoneyStats {
            mean: d.mean(),
            // With fewer than two paths the error is unknown, not zero.
            mcse: if d.moments.count() < 2 {
                f64::NAN
            } else {
                d.mcse()
            },
            p5: d.quantile(0.05),
            p50: d.quantile(0.5),
            p95: d.quantile(0.95),
            cvar5: d.cvar5(),
        }
    }
}

/// Deals before expiry closed in one week.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DealWeek {
    /// Week relative to expiry (negative).
    pub week: i64,
    /// Number of paths whose deal closed that week.
    pub deals: u64,
}

/// What one renewal gave, on average over paths. Event probabilities are
/// shares of paths; conditional means are over the paths where the
/// condition holds (null in JSON when none did).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenewalReport {
    /// Renewal number (1: this one).
    pub renewal: usize,
    /// Net present revenue in the renewal's term, dollars.
    pub revenue: Mean,
    /// Net present margin less costs in the term, dollars.
    pub margin: Mean,
    /// Present value of the costs of moves in the term, dollars.
    pub costs: Mean,
    /// Yearly uplift of the new contract (paths with one).
    pub uplift: Mean,
    /// Probability of a deal before expiry.
    pub p_deal_before_expiry: f64,
    /// Yearly uplift, among deals before expiry.
    pub uplift_if_deal_before_expiry: Mean,
    /// Deal week (relative to expiry), among deals before expiry.
    pub deal_week_if_deal_before_expiry: Mean,
    /// Probability the old terms rolled over (the provider waiting for the
    /// payer's final offer, or the payer stalling).
    pub p_rolled_over: f64,
    /// Probability the payer let its last offer lapse and stalled.
    pub p_payer_stalled: f64,
    /// Probability of going out of network.
    pub p_out_of_network: f64,
    /// Weeks out of network, among paths that went.
    pub oon_weeks_if_oon: Mean,
    /// Probability a notice was sent.
    pub p_notice: f64,
    /// Probability of going out of network, among paths with a notice.
    pub p_out_of_network_if_notice: f64,
    /// Probability the payer refused to talk, among paths with a notice.
    pub p_refused_to_talk_if_notice: f64,
    /// Probability a bluff was called.
    pub p_bluff_called: f64,
    /// Probability the provider escalated.
    pub p_escalated: f64,
    /// Probability the payer's executives engaged.
    pub p_executives_engaged: f64,
    /// Probability a refused escalation hardened the payer's staff.
    pub p_backlash: f64,
    /// Probability staff talks reached an impasse.
    pub p_impasse: f64,
    /// Week of the impasse (relative to expiry), among paths with one.
    pub impasse_week_if_impasse: Mean,
    /// Net yearly value of non-rate items won, dollars.
    pub nonrate_value: Mean,
    /// Patient-weeks without in-network access in the term.
    pub patient_weeks_out_of_network: Mean,
}

fn mean(m: &crate::engine::stats::Moments) -> Mean {
    Mean { mean: m.mean() }
}

fn plain_mean(m: &crate::engine::stats::Mean) -> Mean {
    Mean { mean: m.mean() }
}

impl RenewalReport {
    fn new(renewal: usize, s: &RenewalSummary) -> Self {
        RenewalReport {
            renewal,
            revenue: plain_mean(&s.revenue),
            margin: plain_mean(&s.margin),
            costs: plain_mean(&s.costs),
            uplift: plain_mean(&s.uplift),
            p_deal_before_expiry: s.deal_before_expiry.p(),
            uplift_if_deal_before_expiry: plain_mean(&s.uplift_if_deal_before_expiry),
            deal_week_if_deal_before_expiry: plain_mean(&s.deal_week_if_deal_before_expiry),
            p_rolled_over: s.rolled_over.p(),
            p_payer_stalled: s.payer_stalled.p(),
            p_out_of_network: s.out_of_network.p(),
            oon_weeks_if_oon: plain_mean(&s.oon_weeks_if_oon),
            p_notice: s.notice_sent.p(),
            p_out_of_network_if_notice: s.out_of_network_if_notice.p(),
            p_refused_to_talk_if_notice: s.refused_to_talk_if_notice.p(),
            p_bluff_called: s.bluff_called.p(),
            p_escalated: s.escalated.p(),
            p_executives_engaged: s.exec_engaged.p(),
            p_backlash: s.backlash.p(),
            p_impasse: s.impasse.p(),
            impasse_week_if_impasse: plain_mean(&s.impasse_week_if_impasse),
            nonrate_value: plain_mean(&s.nonrate_value),
            patient_weeks_out_of_network: plain_mean(&s.patient_weeks_out_of_network),
        }
    }
}

/// Paths in one week of a histogram (deals, impasses).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeekCount {
    /// Week relative to expiry (negative).
    pub week: i64,
    /// Number of paths.
    pub paths: u64,
}

/// Everything reported about one strategy. Money and patient figures are
/// totals over the horizon (every renewal counted); event figures
/// (`p_deal_before_expiry`, `uplift`, `p_out_of_network`, ...) are this
/// renewal's, and `renewals` gives each renewal in turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyReport {
    /// Strategy name.
    pub name: String,
    /// Strategy description.
    pub description: String,
    /// Net present revenue over the horizon, dollars.
    pub revenue: MoneyStats,
    /// Net present contribution margin less the costs of moves, dollars.
    pub margin: MoneyStats,
    /// Present value of the costs of moves (data, escalation, going out), dollars.
    pub costs: Mean,
    /// This renewal's yearly uplift (paths with a contract).
    pub uplift: Mean,
    /// Probability of a deal before expiry (this renewal).
    pub p_deal_before_expiry: f64,
    /// Yearly uplift, among deals before expiry.
    pub uplift_if_deal_before_expiry: Mean,
    /// Deal week (relative to expiry), among deals before expiry.
    pub deal_week_if_deal_before_expiry: Mean,
    /// Probability the old terms rolled over at this renewal.
    pub p_rolled_over: f64,
    /// Probability the payer stalled past expiry at this renewal.
    pub p_payer_stalled: f64,
    /// Probability of going out of network at this renewal.
    pub p_out_of_network: f64,
    /// Probability of going out of network at any renewal.
    pub p_out_of_network_any_renewal: f64,
    /// Weeks out of network, among paths that went.
    pub oon_weeks_if_oon: Mean,
    /// Probability of going out of network, among paths with a notice sent.
    pub p_out_of_network_if_notice: f64,
    /// Probability the payer refused to talk, among paths with a notice sent.
    pub p_refused_to_talk_if_notice: f64,
    /// Patient-weeks without in-network access (net of continuity of care).
    pub patient_weeks_out_of_network: Mean,
    /// Patients who switched away for good.
    pub patients_switched: Mean,
    /// Probability a bluff was called.
    pub p_bluff_called: f64,
    /// Probability the payer's executives engaged.
    pub p_executives_engaged: f64,
    /// Probability a refused escalation hardened the payer's staff.
    pub p_backlash: f64,
    /// Probability staff talks reached an impasse.
    pub p_impasse: f64,
    /// Week of the impasse, among paths with one.
    pub impasse_week_if_impasse: Mean,
    /// Net yearly value of non-rate items won, dollars.
    pub nonrate_value: Mean,
    /// Deals before expiry by week.
    pub deal_week_histogram: Vec<DealWeek>,
    /// Impasses by week.
    pub impasse_week_histogram: Vec<WeekCount>,
    /// Each renewal counted, in order.
    pub renewals: Vec<RenewalReport>,
    /// The decision value (`[decision]`): the certainty equivalent of the
    /// score, or its mean when risk neutral, dollars.
    pub decision_value: f64,
    /// Patients without in-network access during out-of-network weeks, over
    /// paths that went out of network at some renewal.
    pub patients_affected_if_oon: Mean,
    /// Weeks out of network over all renewals, over paths that went.
    pub oon_weeks_if_oon_any_renewal: Mean,
}

impl StrategyReport {
    fn new(name: &str, description: &str, s: &StrategySummary) -> Self {
        let first = RenewalReport::new(1, s.first());
        StrategyReport {
            name: name.to_string(),
            description: description.to_string(),
            revenue: MoneyStats::from(&s.revenue),
            margin: MoneyStats::from(&s.margin),
            costs: mean(&s.costs),
            uplift: first.uplift,
            p_deal_before_expiry: first.p_deal_before_expiry,
            uplift_if_deal_before_expiry: first.uplift_if_deal_before_expiry,
            deal_week_if_deal_before_expiry: first.deal_week_if_deal_before_expiry,
            p_rolled_over: first.p_rolled_over,
            p_payer_stalled: first.p_payer_stalled,
            p_out_of_network: first.p_out_of_network,
            p_out_of_network_any_renewal: s.out_of_network_any.p(),
            oon_weeks_if_oon: first.oon_weeks_if_oon,
            p_out_of_network_if_notice: first.p_out_of_network_if_notice,
            p_refused_to_talk_if_notice: first.p_refused_to_talk_if_notice,
            patient_weeks_out_of_network: mean(&s.patient_weeks_out_of_network),
            patients_switched: mean(&s.patients_switched),
            p_bluff_called: first.p_bluff_called,
            p_executives_engaged: first.p_executives_engaged,
            p_backlash: first.p_backlash,
            p_impasse: first.p_impasse,
            impasse_week_if_impasse: first.impasse_week_if_impasse,
            nonrate_value: first.nonrate_value,
            deal_week_histogram: s
                .deal_weeks
                .counts()
                .map(|(week, deals)| DealWeek { week, deals })
                .collect(),
            impasse_week_histogram: s
                .impasse_weeks
                .counts()
                .map(|(week, paths)| WeekCount { week, paths })
                .collect(),
            renewals: s
                .renewals
                .iter()
                .enumerate()
                .map(|(i, r)| RenewalReport::new(i + 1, r))
                .collect(),
            decision_value: s.score.value(),
            patients_affected_if_oon: plain_mean(&s.patients_affected_if_oon),
            oon_weeks_if_oon_any_renewal: plain_mean(&s.oon_weeks_if_oon_any),
        }
    }
}

/// A paired difference: the mean with its precision (standard error, 95 %
/// interval of the mean), and the spread of the per-path difference (what
/// may happen): its 5th, 50th and 95th percentiles, how often it is a loss
/// and the mean loss when it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// Mean of the paired differences.
    pub mean: f64,
    /// Its Monte Carlo standard error (null with fewer than two paths).
    pub mcse: f64,
    /// 95 % interval for the mean: mean ± 1.96 mcse (precision, not spread).
    pub ci95: (f64, f64),
    /// 5th percentile of the per-path difference.
    pub p5: f64,
    /// Median per-path difference.
    pub p50: f64,
    /// 95th percentile of the per-path difference.
    pub p95: f64,
    /// Share of paths where the difference is positive.
    pub p_better: f64,
    /// Share of paths where it is negative (a loss).
    pub p_worse: f64,
    /// Mean loss (positive) over the paths with a loss; null if none.
    pub loss_if_worse: Mean,
}

impl From<&crate::engine::stats::Moments> for Difference {
    fn from(m: &crate::engine::stats::Moments) -> Self {
        Difference {
            mean: m.mean(),
            mcse: if m.count() < 2 { f64::NAN } else { m.mcse() },
            ci95: if m.count() < 2 {
                (f64::NAN, f64::NAN)
            } else {
                m.ci95()
            },
            p5: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
            p_better: f64::NAN,
            p_worse: f64::NAN,
            loss_if_worse: Mean { mean: f64::NAN },
        }
    }
}

impl From<&crate::engine::DiffSummary> for Difference {
    fn from(d: &crate::engine::DiffSummary) -> Self {
        Difference {
            p5: d.sketch.quantile(0.05),
            p50: d.sketch.quantile(0.5),
            p95: d.sketch.quantile(0.95),
            p_better: d.better.p(),
            p_worse: d.worse.p(),
            loss_if_worse: plain_mean(&d.loss_if_worse),
            ..Difference::from(&d.moments)
        }
    }
}

/// One strategy against the baseline, on the same paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonReport {
    /// The strategy.
    pub strategy: String,
    /// The baseline.
    pub baseline: String,
    /// Revenue difference (strategy - baseline), dollars.
    pub revenue_diff: Difference,
    /// Margin difference, dollars.
    pub margin_diff: Difference,
    /// Difference in patient-weeks without in-network access.
    pub patient_weeks_diff: Difference,
    /// Probability the strategy's revenue is strictly higher on a path.
    pub p_better: f64,
    /// Probability it is strictly lower.
    pub p_worse: f64,
    /// Mean revenue lost on the paths where it is lower (positive dollars).
    pub loss_if_worse: Mean,
    /// The same for margin.
    pub margin_loss_if_worse: Mean,
}

impl ComparisonReport {
    /// A comparison from a pair summary.
    pub fn new(scenario: &Scenario, p: &PairSummary) -> Self {
        ComparisonReport {
            strategy: scenario.strategies[p.a].name.clone(),
            baseline: scenario.strategies[p.b].name.clone(),
            revenue_diff: Difference::from(&p.revenue_diff),
            margin_diff: Difference::from(&p.margin_diff),
            patient_weeks_diff: Difference::from(&p.patient_weeks_out_of_network),
            p_better: p.a_better().p(),
            p_worse: p.a_worse().p(),
            loss_if_worse: plain_mean(&p.revenue_diff.loss_if_worse),
            margin_loss_if_worse: plain_mean(&p.margin_diff.loss_if_worse),
        }
    }
}

/// The result of `impasse run`, in the shape of its JSON output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// Scenario name.
    pub scenario: String,
    /// Run seed.
    pub seed: u64,
    /// Number of paths.
    pub paths: u64,
    /// impasse version that produced the numbers.
    pub version: String,
    /// Revenue horizon, weeks after expiry: `renewals * term_weeks`.
    pub horizon_weeks: u32,
    /// Renewals counted (this one and the ones after it).
    pub renewals: u32,
    /// Weeks of one contract term.
    pub term_weeks: u32,
    /// Relative error bound of the reported quantiles and CVaR.
    pub quantile_relative_error: f64,
    /// One entry per strategy, in scenario order.
    pub strategies: Vec<StrategyReport>,
    /// Each strategy against the baseline.
    pub comparisons: Vec<ComparisonReport>,
    /// The scenario's decision objective and limits.
    pub decision: crate::scenario::Decision,
    /// What to choose, or "no clear winner", and why.
    pub recommendation: crate::analysis::recommend::Recommendation,
}

impl RunReport {
    /// Build the report of a run.
    pub fn new(scenario: &Scenario, seed: u64, summary: &RunSummary) -> Self {
        RunReport {
            scenario: scenario.name.clone(),
            seed,
            paths: summary.paths,
            version: env!("CARGO_PKG_VERSION").to_string(),
            horizon_weeks: scenario.horizon_weeks(),
            renewals: scenario.contract.renewals,
            term_weeks: scenario.contract.term_weeks,
            quantile_relative_error: summary
                .strategies
                .first()
                .map_or(f64::NAN, |s| s.revenue.sketch.alpha()),
            strategies: scenario
                .strategies
                .iter()
                .zip(&summary.strategies)
                .map(|(st, s)| StrategyReport::new(&st.name, &st.description, s))
                .collect(),
            comparisons: summary
                .pairs
                .iter()
                .filter(|p| p.b == scenario.baseline_index())
                .map(|p| ComparisonReport::new(scenario, p))
                .collect(),
            decision: scenario.decision.clone(),
            recommendation: crate::analysis::recommend::recommend(scenario, summary),
        }
    }

    /// Strategy indices ranked by the decision value (`[decision]`: expected
    /// margin by default), best first (ties keep scenario order).
    pub fn ranking(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.strategies.len()).collect();
        order.sort_by(|&a, &b| {
            self.strategies[b]
                .decision_value
                .total_cmp(&self.strategies[a].decision_value)
        });
        order
    }
}

/// The output formats of every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A human-readable table.
    Table,
    /// CSV rows.
    Csv,
    /// The full result as JSON.
    Json,
}

impl Output for RunReport {
    fn table(&self) -> String {
        table::run_table(self)
    }
    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        csv::run_csv(self)
    }
}

/// Write `bytes` to `path` whole or not at all: write a temporary file in the
/// same directory, then rename it over the target.
///
/// A symlink is written through (its target is replaced, the link kept), and
/// an existing file keeps its permissions.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = std::fs::canonicalize(path).or_else(|_| {
                std::fs::read_link(path).map(|t| match path.parent() {
                    Some(p) => p.join(t),
                    None => t,
                })
            })?;
            resolved.as_path()
        }
        _ => path,
    };
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Some(p) = &permissions {
            std::fs::set_permissions(&tmp, p.clone())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An analysis result that can be shown as a table, CSV or JSON.
pub trait Output: Serialize {
    /// The human-readable table.
    fn table(&self) -> String;
    /// CSV header and rows.
    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>);
}

/// Render an analysis result in a format.
pub fn render<O: Output>(output: &O, format: Format) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        Format::Table => output.table().into_bytes(),
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(output)?;
            bytes.push(b'\n');
            bytes
        }
        Format::Csv => {
            let (header, rows) = output.csv();
            let mut w = ::csv::Writer::from_writer(Vec::new());
            w.write_record(&header)?;
            for row in rows {
                w.write_record(&row)?;
            }
            w.into_inner()?
        }
    })
}

/// A number for CSV: empty when not finite.
pub fn csv_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}
