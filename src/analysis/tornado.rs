//! `impasse tornado`: which inputs move the answer most, one at a time.
//!
//! Every uncertain input is pinned at its 10th and at its 90th percentile
//! (options [`TornadoOptions::low_quantile`], [`TornadoOptions::high_quantile`]),
//! every fixed input with a non-zero value at −20 % and +20 %
//! ([`TornadoOptions::fixed_swing`]), everything else as written. Each of
//! these variants, and the scenario as written (the *base*), is run with the
//! same seed and number of paths: each input draws from its own stream, so a
//! variant differs from the base only through the pinned input (common random
//! numbers), and an input the target ignores has a swing of exactly 0.
//!
//! The target is one strategy's mean ([`Target::Strategy`]) or the mean
//! paired difference of two strategies ([`Target::Diff`]); for a difference,
//! the inputs that change its sign between the two ends or against the base
//! are marked: they are the uncertainties that could flip the decision.
//!
//! A correlated input loses its `[[correlation]]` entries while it is pinned
//! (see [`pin`]).
//!
//! A ±20 % value outside what the field allows (a probability of 1.08) is
//! clamped to the allowed range (1.0) and marked as clamped. The bound is
//! found by bisection between the base value and the ±20 % value, using the
//! scenario's own validation, then snapped to the shortest decimal inside it.
//!
//! Cost: [`planned_runs`] runs (the base, plus two per varied input), each of
//! `budget.paths` paths of the one or two strategies needed.

use serde::Serialize;

use crate::engine::RunSummary;
use crate::engine::stats::Moments;
use crate::report::table::{columns, count, millions, signed_millions};
use crate::report::{Output, csv_number};
use crate::scenario::labels::{describe, format_value};
use crate::scenario::{Dist, Scenario};

use super::{AnalysisError, Budget, Progress, only_strategies, run, strategy_index};

use super::Z95;

/// What the tornado measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The mean of one strategy (`--strategy NAME`).
    Strategy(String),
    /// The mean paired difference `A − B` (`--diff A B`).
    Diff(String, String),
}

impl Target {
    /// The strategies the target needs, in the order they are run.
    pub fn strategies(&self) -> Vec<&str> {
        match self {
            Target::Strategy(s) => vec![s.as_str()],
            Target::Diff(a, b) => vec![a.as_str(), b.as_str()],
        }
    }
}

/// Which per-path figure the tornado measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Net present revenue, dollars.
    #[value(name = "revenue")]
    Revenue,
    /// Net present contribution margin, dollars.
    #[value(name = "margin")]
    Margin,
    /// Patient-weeks without in-network access.
    #[value(name = "patient_weeks")]
    PatientWeeks,
}

impl Metric {
    /// The metric's name as written on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Revenue => "revenue",
            Metric::Margin => "margin",
            Metric::PatientWeeks => "patient_weeks",
        }
    }

    /// Whether the metric is an amount of money (shown in $M).
    pub fn is_money(self) -> bool {
        !matches!(self, Metric::PatientWeeks)
    }

    fn words(self) -> &'static str {
        match self {
            Metric::Revenue => "net present revenue",
            Metric::Margin => "net present contribution margin",
            Metric::PatientWeeks => "patient-weeks out of network",
        }
    }

    /// The metric's mean and Monte Carlo standard error in a run whose
    /// strategy 0 (and, for a difference, pair 0) is the target.
    fn measure(self, summary: &RunSummary, diff: bool) -> (f64, f64) {
        let of = |m: &Moments| (m.mean(), m.mcse());
        if diff {
            let p = &summary.pairs[0];
            match self {
                Metric::Revenue => of(p.revenue()),
                Metric::Margin => of(p.margin()),
                Metric::PatientWeeks => of(&p.patient_weeks_out_of_network),
            }
        } else {
            let s = &summary.strategies[0];
            match self {
                Metric::Revenue => of(&s.revenue.moments),
                Metric::Margin => of(&s.margin.moments),
                Metric::PatientWeeks => of(&s.patient_weeks_out_of_network),
            }
        }
    }
}

/// Options of `impasse tornado`.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoOptions {
    /// One strategy, or the difference of two.
    pub target: Target,
    /// What is measured.
    pub metric: Metric,
    /// Relative change of a fixed input at each end (0.2: −20 % and +20 %).
    pub fixed_swing: f64,
    /// Quantile at which an uncertain input is pinned for the low end (0.1).
    pub low_quantile: f64,
    /// Quantile at which an uncertain input is pinned for the high end (0.9).
    pub high_quantile: f64,
}

impl TornadoOptions {
    /// The defaults: ±20 % for fixed inputs, P10 and P90 for uncertain ones.
    pub fn new(target: Target, metric: Metric) -> Self {
        TornadoOptions {
            target,
            metric,
            fixed_swing: 0.2,
            low_quantile: 0.1,
            high_quantile: 0.9,
        }
    }

    fn check(&self) -> Result<(), AnalysisError> {
        if !(self.fixed_swing > 0.0 && self.fixed_swing <= 1.0) {
            return Err(AnalysisError::option(
                "--fixed-swing",
                self.fixed_swing,
                "must be a fraction in (0, 1] (0.2: fixed inputs at −20 % and +20 %)",
            ));
        }
        let unit = |q: f64| (0.0..=1.0).contains(&q);
        if !unit(self.low_quantile) {
            return Err(AnalysisError::option(
                "--low-quantile",
                self.low_quantile,
                "must be a probability in [0, 1]",
            ));
        }
        if !unit(self.high_quantile) || self.high_quantile <= self.low_quantile {
            return Err(AnalysisError::option(
                "--high-quantile",
                self.high_quantile,
                format!(
                    "must be a probability in [0, 1] above the low quantile ({})",
                    self.low_quantile
                ),
            ));
        }
        Ok(())
    }
}

/// Whether an input is uncertain (a distribution) or fixed (a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A distribution: pinned at two quantiles.
    Uncertain,
    /// A single value: moved by ± [`TornadoOptions::fixed_swing`].
    Fixed,
}

impl InputKind {
    fn name(self) -> &'static str {
        match self {
            InputKind::Uncertain => "uncertain",
            InputKind::Fixed => "fixed",
        }
    }
}

/// One input to vary and the two values it is pinned at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    /// Dotted path of the input.
    pub input: String,
    /// Uncertain or fixed.
    pub kind: InputKind,
    /// The input as written in the scenario.
    pub as_written: String,
    /// Value at the low end.
    pub low: f64,
    /// Value at the high end.
    pub high: f64,
    /// The low value was clamped to the field's allowed range.
    pub low_clamped: bool,
    /// The high value was clamped to the field's allowed range.
    pub high_clamped: bool,
}

impl Swing {
    /// The scenario with this input pinned at its low and at its high value
    /// (see [`pin`]).
    pub fn scenarios(&self, scenario: &Scenario) -> Result<(Scenario, Scenario), AnalysisError> {
        Ok((
            pin(scenario, &self.input, self.low)?,
            pin(scenario, &self.input, self.high)?,
        ))
    }
}

/// `scenario` with the input at `path` fixed at `value`, validated.
///
/// A constant cannot be correlated, so [`Scenario::with_overrides`] drops the
/// `[[correlation]]` entries naming a pinned input: its partners keep their
/// own distributions but are no longer tied to it (the unconditional one-way
/// convention). Their draws then come from their own streams rather than
/// through the copula, so they differ path by path from the base run's (same
/// distribution, not the same numbers): a correlated input's bar carries a
/// little more Monte Carlo noise than the others. Paths other than inputs
/// (a strategy's `walk_away`) are set as they are.
pub fn pin(scenario: &Scenario, path: &str, value: f64) -> Result<Scenario, AnalysisError> {
    Ok(scenario.with_input(path, &Dist::Fixed(value))?)
}

/// The inputs a tornado varies, and those it leaves alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoPlan {
    /// Inputs varied, in [`Scenario::inputs`] order.
    pub swings: Vec<Swing>,
    /// Inputs fixed at 0, which a relative change cannot move.
    pub not_varied: Vec<String>,
}

/// Whether `dist` is varied by a tornado, and how.
fn kind_of(dist: &Dist) -> Option<InputKind> {
    if !dist.is_fixed() {
        Some(InputKind::Uncertain)
    } else if dist.support().0 != 0.0 {
        Some(InputKind::Fixed)
    } else {
        None
    }
}

/// How many engine runs [`tornado`] does on `scenario`: one for the base and
/// two per varied input (uncertain, or fixed at a non-zero value). Each run
/// has `budget.paths` paths, so a progress bar spans `planned_runs ×
/// budget.paths` paths. Options do not change the count.
pub fn planned_runs(scenario: &Scenario, _options: &TornadoOptions) -> usize {
    1 + 2 * scenario
        .inputs()
        .iter()
        .filter(|(_, d)| kind_of(d).is_some())
        .count()
}

/// `x` rounded to `digits` significant decimal digits.
fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits - 1 - magnitude);
    if scale.is_finite() && scale > 0.0 {
        (x * scale).round() / scale
    } else {
        x
    }
}

/// The value of `path` closest to `target` that validation accepts, on the
/// segment from `base` (which must be accepted) to `target`, and whether it
/// had to be clamped. The bound is found by bisection, then snapped to the
/// shortest decimal between the last accepted and the first refused value
/// that is accepted (range bounds are round numbers: 1, 0.01, −0.5).
pub(crate) fn clamp_to_valid(
    scenario: &Scenario,
    path: &str,
    base: f64,
    target: f64,
) -> Result<(f64, bool), AnalysisError> {
    let ok = |x: f64| pin(scenario, path, x).is_ok();
    if ok(target) {
        return Ok((target, false));
    }
    pin(scenario, path, base)?;
    let at = |f: f64| base + f * (target - base);
    let (mut good, mut bad) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (good + bad);
        if ok(at(mid)) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    let (inner, outer) = (at(good), at(bad));
    let (lo, hi) = (inner.min(outer), inner.max(outer));
    for digits in 1..=15 {
        for candidate in [
            round_significant(outer, digits),
            round_significant(inner, digits),
        ] {
            let further = (candidate - base).abs() >= (inner - base).abs();
            if (lo..=hi).contains(&candidate) && further && ok(candidate) {
                return Ok((candidate, true));
            }
        }
    }
    Ok((inner, true))
}

/// The inputs a tornado with `options` varies on `scenario`, with their two
/// values (clamped to what validation allows). Does not run the engine.
pub fn plan(scenario: &Scenario, options: &TornadoOptions) -> Result<TornadoPlan, AnalysisError> {
    options.check()?;
    let mut swings = Vec::new();
    let mut not_varied = Vec::new();
    for (path, dist) in scenario.inputs() {
        let Some(kind) = kind_of(&dist) else {
            not_varied.push(path);
            continue;
        };
        let swing = match kind {
            InputKind::Uncertain => Swing {
                input: path,
                kind,
                as_written: dist.to_string(),
                low: dist.quantile(options.low_quantile),
                high: dist.quantile(options.high_quantile),
                low_clamped: false,
                high_clamped: false,
            },
            InputKind::Fixed => {
                let v = dist.support().0;
                let (a, b) = (
                    // Twelve significant digits: 0.36, not 0.36000000000000004.
                    round_significant(v * (1.0 - options.fixed_swing), 12),
                    round_significant(v * (1.0 + options.fixed_swing), 12),
                );
                let (low, high) = (a.min(b), a.max(b));
                let (low, low_clamped) = clamp_to_valid(scenario, &path, v, low)?;
                let (high, high_clamped) = clamp_to_valid(scenario, &path, v, high)?;
                Swing {
                    input: path,
                    kind,
                    as_written: dist.to_string(),
                    low,
                    high,
                    low_clamped,
                    high_clamped,
                }
            }
        };
        swings.push(swing);
    }
    Ok(TornadoPlan { swings, not_varied })
}

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Dotted path of the input.
    pub input: String,
    /// The input in words ([`describe`]): `the payer's belief in a real notice`.
    pub label: String,
    /// Uncertain or fixed.
    pub kind: InputKind,
    /// The input as written in the scenario.
    pub as_written: String,
    /// Value at the low end.
    pub low: f64,
    /// Value at the high end.
    pub high: f64,
    /// The low value was clamped to the field's allowed range.
    pub low_clamped: bool,
    /// The high value was clamped to the field's allowed range.
    pub high_clamped: bool,
    /// The metric with the input at its low value.
    pub metric_low: f64,
    /// Its Monte Carlo standard error.
    pub metric_low_mcse: f64,
    /// The metric with the input at its high value.
    pub metric_high: f64,
    /// Its Monte Carlo standard error.
    pub metric_high_mcse: f64,
    /// `|metric_high − metric_low|`.
    pub swing: f64,
    /// For a difference: whether its sign differs between the two ends, or
    /// between an end and the base (a strictly positive and a strictly
    /// negative value among the three; a tie is no flip). `None` for a
    /// single strategy.
    pub flips: Option<bool>,
    /// For a difference that flips: whether two of those values of opposite
    /// sign each have a 95 % interval that excludes zero (the flip is not
    /// Monte Carlo noise). `None` for a single strategy.
    pub flip_significant: Option<bool>,
}

/// The result of `impasse tornado`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoReport {
    /// Scenario name.
    pub scenario: String,
    /// `strategy` (one strategy's mean) or `diff` (the mean paired difference).
    pub target: String,
    /// The strategy measured, or A and B of the difference A − B.
    pub strategies: Vec<String>,
    /// What is measured.
    pub metric: Metric,
    /// Seed shared by every run.
    pub seed: u64,
    /// Paths per run.
    pub paths: u64,
    /// Engine runs done (the base and two per bar).
    pub runs: usize,
    /// Relative change of fixed inputs at each end.
    pub fixed_swing: f64,
    /// Quantile of the low end of uncertain inputs.
    pub low_quantile: f64,
    /// Quantile of the high end of uncertain inputs.
    pub high_quantile: f64,
    /// The metric on the scenario as written.
    pub base: f64,
    /// Its Monte Carlo standard error.
    pub base_mcse: f64,
    /// One bar per varied input, largest swing first (ties in input order).
    pub bars: Vec<Bar>,
    /// Inputs fixed at 0, not varied.
    pub not_varied: Vec<String>,
}

impl TornadoReport {
    /// Whether the target is a difference of two strategies.
    pub fn is_diff(&self) -> bool {
        self.target == "diff"
    }

    /// The inputs that could flip the sign of the difference, largest swing first.
    pub fn flipping(&self) -> Vec<&str> {
        self.bars
            .iter()
            .filter(|b| b.flips == Some(true))
            .map(|b| b.input.as_str())
            .collect()
    }
}

/// Run the tornado of `options.target` on `scenario`: [`planned_runs`] runs
/// of `budget.paths` paths each, with the one or two strategies needed.
pub fn tornado(
    scenario: &Scenario,
    options: &TornadoOptions,
    budget: &Budget,
    progress: Progress<'_>,
) -> Result<TornadoReport, AnalysisError> {
    options.check()?;
    let names = options.target.strategies();
    let (diff, pairs): (bool, &[(usize, usize)]) = match &options.target {
        Target::Strategy(name) => {
            strategy_index(scenario, "--strategy", name)?;
            (false, &[])
        }
        Target::Diff(a, b) => {
            if a == b {
                return Err(AnalysisError::option(
                    "--diff",
                    format!("{a} {b}"),
                    "name two different strategies A B",
                ));
            }
            strategy_index(scenario, "--diff", a)?;
            strategy_index(scenario, "--diff", b)?;
            (true, &[(0, 1)])
        }
    };
    let plan = plan(scenario, options)?;
    let measure = |s: &Scenario| -> Result<(f64, f64), AnalysisError> {
        let cut = only_strategies(s, &names)?;
        let summary = run(&cut, budget, pairs, progress)?;
        Ok(options.metric.measure(&summary, diff))
    };
    let (base, base_mcse) = measure(scenario)?;
    let mut bars = Vec::with_capacity(plan.swings.len());
    for swing in plan.swings {
        let (lo_s, hi_s) = swing.scenarios(scenario)?;
        let (metric_low, metric_low_mcse) = measure(&lo_s)?;
        let (metric_high, metric_high_mcse) = measure(&hi_s)?;
        let (flips, flip_significant) = if diff {
            let ends = [
                (metric_low, metric_low_mcse),
                (metric_high, metric_high_mcse),
                (base, base_mcse),
            ];
            let flips = ends.iter().any(|e| e.0 > 0.0) && ends.iter().any(|e| e.0 < 0.0);
            let clear = ends.iter().any(|e| e.0 - Z95 * e.1 > 0.0)
                && ends.iter().any(|e| e.0 + Z95 * e.1 < 0.0);
            (Some(flips), Some(flips && clear))
        } else {
            (None, None)
        };
        bars.push(Bar {
            label: describe(&swing.input),
            input: swing.input,
            kind: swing.kind,
            as_written: swing.as_written,
            low: swing.low,
            high: swing.high,
            low_clamped: swing.low_clamped,
            high_clamped: swing.high_clamped,
            metric_low,
            metric_low_mcse,
            metric_high,
            metric_high_mcse,
            swing: (metric_high - metric_low).abs(),
            flips,
            flip_significant,
        });
    }
    bars.sort_by(|x, y| y.swing.total_cmp(&x.swing));
    Ok(TornadoReport {
        scenario: scenario.name.clone(),
        target: if diff { "diff" } else { "strategy" }.to_string(),
        strategies: names.iter().map(|n| n.to_string()).collect(),
        metric: options.metric,
        seed: budget.seed,
        paths: budget.paths,
        runs: 1 + 2 * bars.len(),
        fixed_swing: options.fixed_swing,
        low_quantile: options.low_quantile,
        high_quantile: options.high_quantile,
        base,
        base_mcse,
        bars,
        not_varied: plan.not_varied,
    })
}

/// An input value, short: thousands separators from 10,000 up, otherwise
/// four significant digits without trailing zeros.
pub(crate) fn short(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    if x.abs() >= 1e4 {
        return count(x);
    }
    if x == 0.0 {
        return "0".into();
    }
    let decimals = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// An input in words with its dotted path, for lists in the table's notes:
/// `share of this payer's revenue kept out of network (provider.oon.volume_retention)`.
fn in_words(path: &str) -> String {
    let words = describe(path);
    if words == path {
        words
    } else {
        format!("{words} ({path})")
    }
}

/// A percentage without needless decimals (`10`, `2.5`).
fn pct(p: f64) -> String {
    short(p * 100.0)
}

impl TornadoReport {
    fn value(&self, x: f64, signed: bool) -> String {
        match (self.metric.is_money(), signed) {
            (true, true) => signed_millions(x),
            (true, false) => millions(x),
            (false, true) if x >= 0.5 => format!("+{}", count(x)),
            (false, _) => count(x),
        }
    }

    fn what(&self) -> String {
        match self.strategies.as_slice() {
            [a, b] => format!(
                "the mean paired difference in {} `{a}` − `{b}`",
                self.metric.words()
            ),
            [s] => format!("the mean {} of `{s}`", self.metric.words()),
            _ => self.metric.words().to_string(),
        }
    }
}

impl Output for TornadoReport {
    fn table(&self) -> String {
        let diff = self.is_diff();
        let unit = if self.metric.is_money() {
            " Money in $M."
        } else {
            ""
        };
        let mut out = format!(
            "Scenario {}: tornado of {}; {} runs of {} paths each, seed {}.\n\
             Uncertain inputs pinned at their P{} and P{}, fixed inputs at −{} % and +{} %; everything else as written.{unit}\n\n",
            self.scenario,
            self.what(),
            self.runs,
            count(self.paths as f64),
            self.seed,
            pct(self.low_quantile),
            pct(self.high_quantile),
            pct(self.fixed_swing),
            pct(self.fixed_swing),
        );
        out += &format!(
            "Base (the scenario as written): {} ± {} (95 %).\n\n",
            self.value(self.base, diff),
            self.value(Z95 * self.base_mcse, false)
        );
        let mut header = vec![
            "input",
            "kind",
            "as written",
            "low",
            "high",
            "at low",
            "at high",
            "swing",
        ];
        if diff {
            header.push("flips");
        }
        header.push("path (for --set)");
        let star = |path: &str, x: f64, clamped: bool| {
            let x = format_value(path, x);
            if clamped { format!("{x}*") } else { x }
        };
        let rows: Vec<Vec<String>> = self
            .bars
            .iter()
            .map(|b| {
                let mut row = vec![
                    b.label.clone(),
                    b.kind.name().to_string(),
                    b.as_written.clone(),
                    star(&b.input, b.low, b.low_clamped),
                    star(&b.input, b.high, b.high_clamped),
                    self.value(b.metric_low, diff),
                    self.value(b.metric_high, diff),
                    self.value(b.swing, false),
                ];
                if diff {
                    row.push(
                        match (b.flips, b.flip_significant) {
                            (Some(true), Some(true)) => "yes",
                            (Some(true), _) => "yes (within noise)",
                            _ => "",
                        }
                        .to_string(),
                    );
                }
                row.push(b.input.clone());
                row
            })
            .collect();
        out += &columns(&header, &rows);
        out += "\n";
        if self.bars.iter().any(|b| b.low_clamped || b.high_clamped) {
            out += &format!(
                "* clamped to the range the field allows (±{} % would leave it).\n",
                pct(self.fixed_swing)
            );
        }
        let noise = self
            .bars
            .iter()
            .flat_map(|b| [b.metric_low_mcse, b.metric_high_mcse])
            .fold(self.base_mcse, f64::max);
        out += &format!(
            "Each value is known to about ±{} (95 %, Monte Carlo); all runs share the seed, so a bar's two ends differ only through its input, and swing 0 means the target ignores that input.\n",
            self.value(Z95 * noise, false)
        );
        if diff {
            let flipping: Vec<String> = self.flipping().into_iter().map(in_words).collect();
            if flipping.is_empty() {
                out += "No single input, moved between its two ends, changes the sign of the difference: the ranking holds.\n";
            } else {
                out += &format!(
                    "Inputs that could flip the decision (the difference changes sign): {}.\n",
                    flipping.join("; ")
                );
            }
        }
        if !self.not_varied.is_empty() {
            out += &format!(
                "Not varied (fixed at 0, so a relative change cannot move them): {}.\n",
                self.not_varied
                    .iter()
                    .map(|p| in_words(p))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        out += "Whole-number inputs (contract weeks, notice period, renewals) and strategy choices are not varied here: they move in steps; use `impasse sweep` (or `impasse timing` for weeks of moves) for them.\n";
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "input",
            "kind",
            "as_written",
            "low",
            "high",
            "low_clamped",
            "high_clamped",
            "metric",
            "metric_low",
            "metric_low_mcse",
            "metric_high",
            "metric_high_mcse",
            "swing",
            "flips",
            "flip_significant",
            "base",
            "base_mcse",
            "label",
        ]
        .map(String::from)
        .to_vec();
        let flag = |f: Option<bool>| f.map_or(String::new(), |b| b.to_string());
        let rows = self
            .bars
            .iter()
            .map(|b| {
                vec![
                    b.input.clone(),
                    b.kind.name().to_string(),
                    b.as_written.clone(),
                    csv_number(b.low),
                    csv_number(b.high),
                    b.low_clamped.to_string(),
                    b.high_clamped.to_string(),
                    self.metric.name().to_string(),
                    csv_number(b.metric_low),
                    csv_number(b.metric_low_mcse),
                    csv_number(b.metric_high),
                    csv_number(b.metric_high_mcse),
                    csv_number(b.swing),
                    flag(b.flips),
                    flag(b.flip_significant),
                    csv_number(self.base),
                    csv_number(self.base_mcse),
                    b.label.clone(),
                ]
            })
            .collect();
        (header, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_and_short_numbers() {
        assert_eq!(round_significant(0.999_999_999_7, 1), 1.0);
        assert_eq!(round_significant(0.009_999_999, 2), 0.01);
        assert_eq!(round_significant(-0.499_999_99, 3), -0.5);
        assert_eq!(short(74_400_000.0), "74,400,000");
        assert_eq!(short(0.036), "0.036");
        assert_eq!(short(0.123456), "0.1235");
        assert_eq!(short(12.0), "12");
        assert_eq!(short(-0.5), "-0.5");
        assert_eq!(pct(0.1), "10");
    }

    #[test]
    fn clamping_finds_round_bounds() {
        let s = Scenario::builtin();
        // A probability of 0.9 at +20 % would be 1.08: clamped to 1.
        let (x, clamped) = clamp_to_valid(&s, "provider.alignment", 0.9, 1.08).unwrap();
        assert_eq!((x, clamped), (1.0, true));
        let (x, clamped) = clamp_to_valid(&s, "provider.alignment", 0.9, 0.72).unwrap();
        assert_eq!((x, clamped), (0.72, false));
        // An exponent below 0.01 is refused: clamped to 0.01.
        let (x, clamped) = clamp_to_valid(&s, "payer.exec.exponent_after", 0.011, 0.0088).unwrap();
        assert_eq!((x, clamped), (0.01, true));
    }
}
