//! `impasse sweep`: every strategy's expected revenue and out-of-network
//! probability as one input (one-way) or two inputs (two-way) move over a
//! grid, and where the best strategy changes.
//!
//! Every grid point runs the whole scenario with the same seed. Each input
//! draws from its own stream, so two points differ only by the swept
//! input(s): a strategy that ignores the input gives bit-identical numbers at
//! every point, and the curves are smooth rather than noisy.
//!
//! In a two-way sweep the first axis varies fastest: the points are listed
//! row by row, one row per value of the second axis, and a change of best
//! strategy is marked against the previous point of the same row.

use serde::Serialize;

use crate::report::table::{columns, count, millions, percent};
use crate::report::{Output, csv_number};
use crate::scenario::labels::{describe, format_value};
use crate::scenario::overrides::close_matches;
use crate::scenario::{Override, Scenario, ScenarioError};

use super::{AnalysisError, Budget, Progress};

/// Most points one axis may have.
pub const MAX_POINTS: usize = 1000;

/// One swept input and the values it takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Axis {
    /// Dotted path of the input (`payer.exec.success_prob`, `strategy.wait.walk_away`).
    pub path: String,
    /// The values, in the order given.
    pub values: Vec<f64>,
}

/// Parse one number of `--values` or `--range`.
fn number(option: &str, whole: &str, part: &str, what: &str) -> Result<f64, AnalysisError> {
    match part.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(AnalysisError::option(
            option,
            whole,
            format!("`{}` is not a finite number; {what}", part.trim()),
        )),
    }
}

/// Round to 12 significant digits, so `0.1:0.7:4` gives 0.3, not 0.30000000000000004.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

impl Axis {
    /// `--values v1,v2,...`: a comma-separated list of at least one number.
    pub fn parse_values(path: &str, text: &str) -> Result<Axis, AnalysisError> {
        Axis::parse_values_for("--values", path, text)
    }

    /// [`Axis::parse_values`] for an option of another name (`--values2`),
    /// which errors name.
    pub fn parse_values_for(option: &str, path: &str, text: &str) -> Result<Axis, AnalysisError> {
        const WHAT: &str = "write a comma-separated list of numbers, e.g. 0.2,0.4,0.6";
        if text.trim().is_empty() {
            return Err(AnalysisError::option(
                option,
                format!("{text:?}"),
                format!("no values given; {WHAT}"),
            ));
        }
        let values = text
            .split(',')
            .map(|part| number(option, text, part, WHAT))
            .collect::<Result<Vec<f64>, _>>()?;
        if values.len() > MAX_POINTS {
            return Err(AnalysisError::option(
                option,
                text,
                format!("at most {MAX_POINTS} values"),
            ));
        }
        Ok(Axis {
            path: path.to_string(),
            values,
        })
    }

    /// `--range lo:hi:n`: `n >= 2` evenly spaced values from `lo` to `hi`
    /// inclusive, with `lo < hi`.
    pub fn parse_range(path: &str, text: &str) -> Result<Axis, AnalysisError> {
        Axis::parse_range_for("--range", path, text)
    }

    /// [`Axis::parse_range`] for an option of another name (`--range2`),
    /// which errors name.
    pub fn parse_range_for(option: &str, path: &str, text: &str) -> Result<Axis, AnalysisError> {
        const WHAT: &str =
            "write lo:hi:n for n evenly spaced values from lo to hi inclusive, e.g. 0:1:11";
        let parts: Vec<&str> = text.split(':').collect();
        let [lo, hi, n] = parts.as_slice() else {
            return Err(AnalysisError::option(
                option,
                text,
                format!("expected three fields separated by `:`; {WHAT}"),
            ));
        };
        let lo = number(option, text, lo, WHAT)?;
        let hi = number(option, text, hi, WHAT)?;
        let n: usize = n.trim().parse().map_err(|_| {
            AnalysisError::option(
                option,
                text,
                format!(
                    "the number of points `{}` must be a whole number from 2 to {MAX_POINTS}; {WHAT}",
                    n.trim()
                ),
            )
        })?;
        if !(2..=MAX_POINTS).contains(&n) {
            return Err(AnalysisError::option(
                option,
                text,
                format!(
                    "the number of points must be from 2 to {MAX_POINTS} (both ends are included); {WHAT}"
                ),
            ));
        }
        if lo >= hi {
            return Err(AnalysisError::option(
                option,
                text,
                format!("lo ({lo}) must be less than hi ({hi}); {WHAT}"),
            ));
        }
        let values = (0..n)
            .map(|i| match i {
                0 => lo,
                _ if i == n - 1 => hi,
                _ => tidy(lo + (hi - lo) * i as f64 / (n - 1) as f64),
            })
            .collect();
        Ok(Axis {
            path: path.to_string(),
            values,
        })
    }
}

/// Number of grid points, hence of engine runs of `budget.paths` paths each
/// (for a progress bar: `planned_runs * paths` paths in all).
pub fn planned_runs(axis: &Axis, axis2: Option<&Axis>) -> usize {
    axis.values.len() * axis2.map_or(1, |a| a.values.len())
}

/// One strategy at one grid point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointStrategy {
    /// Strategy name.
    pub name: String,
    /// Expected net present revenue, dollars.
    pub revenue_mean: f64,
    /// Monte Carlo standard error of that mean.
    pub revenue_mcse: f64,
    /// Probability of going out of network.
    pub p_out_of_network: f64,
}

/// One grid point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// Value of the first input.
    pub value: f64,
    /// Value of the second input (two-way sweeps).
    pub value2: Option<f64>,
    /// Every strategy, in scenario order.
    pub strategies: Vec<PointStrategy>,
    /// The strategy with the highest mean revenue (ties: the first in scenario order).
    pub best: String,
    /// Whether the best strategy differs from the previous point's along the
    /// first axis (in the same row of a two-way sweep); false at a row's first point.
    pub best_changes: bool,
}

/// The result of `impasse sweep`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepReport {
    /// Scenario name.
    pub scenario: String,
    /// Seed, the same at every point.
    pub seed: u64,
    /// Paths per point.
    pub paths: u64,
    /// Dotted path of the first input.
    pub param: String,
    /// The first input in words ([`describe`]).
    pub param_label: String,
    /// Its values.
    pub values: Vec<f64>,
    /// Dotted path of the second input (two-way sweeps).
    pub param2: Option<String>,
    /// The second input in words (two-way sweeps).
    pub param2_label: Option<String>,
    /// Its values (two-way sweeps).
    pub values2: Option<Vec<f64>>,
    /// Strategy names, in scenario order.
    pub strategies: Vec<String>,
    /// The points: the first axis varies fastest.
    pub points: Vec<SweepPoint>,
}

/// Check that `axis.path` is a field of the scenario, as option `option`.
fn check_path(scenario: &Scenario, option: &str, axis: &Axis) -> Result<(), AnalysisError> {
    let known = scenario.known_paths();
    if known.contains(&axis.path) {
        return Ok(());
    }
    // Reuse the override's diagnosis (it lists strategy and item names), but
    // name the sweep option.
    let probe = Override::new(
        axis.path.clone(),
        axis.values.first().copied().unwrap_or(0.0),
    );
    let allowed = match scenario.with_overrides(&[probe]) {
        Err(ScenarioError::Invalid { allowed, .. }) => allowed,
        _ => {
            let close = close_matches(&axis.path, &known);
            if close.is_empty() {
                "not a scenario field; see `impasse init` for every field".to_string()
            } else {
                format!("not a scenario field; did you mean {}?", close.join(", "))
            }
        }
    };
    Err(AnalysisError::option(option, &axis.path, allowed))
}

/// The scenario at one grid point; an invalid value names the point.
fn at_point(scenario: &Scenario, set: &[(&str, f64)]) -> Result<Scenario, AnalysisError> {
    let overrides: Vec<Override> = set.iter().map(|&(p, v)| Override::new(p, v)).collect();
    scenario.with_overrides(&overrides).map_err(|e| {
        let point = set
            .iter()
            .map(|(p, v)| format!("{p} = {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        match e {
            ScenarioError::Invalid {
                field,
                value,
                allowed,
            } => AnalysisError::Scenario(ScenarioError::Invalid {
                field,
                value,
                allowed: format!("{allowed} (at sweep point {point})"),
            }),
            other => other.into(),
        }
    })
}

/// Sweep `axis` (and `axis2`, for a two-way sweep) over `scenario`: one run
/// of `budget.paths` paths per point, all with `budget.seed`. Every point's
/// scenario is built and checked before anything runs.
pub fn sweep(
    scenario: &Scenario,
    axis: &Axis,
    axis2: Option<&Axis>,
    budget: &Budget,
    progress: Progress<'_>,
) -> Result<SweepReport, AnalysisError> {
    check_path(scenario, "--param", axis)?;
    if axis.values.is_empty() {
        return Err(AnalysisError::option(
            "--values",
            "",
            "give at least one value",
        ));
    }
    if let Some(a2) = axis2 {
        check_path(scenario, "--param2", a2)?;
        if a2.path == axis.path {
            return Err(AnalysisError::option(
                "--param2",
                &a2.path,
                "must differ from --param",
            ));
        }
        if a2.values.is_empty() {
            return Err(AnalysisError::option(
                "--values2",
                "",
                "give at least one value",
            ));
        }
    }
    let rows: Vec<Option<f64>> = match axis2 {
        Some(a2) => a2.values.iter().copied().map(Some).collect(),
        None => vec![None],
    };
    let mut grid = Vec::with_capacity(planned_runs(axis, axis2));
    for &v2 in &rows {
        for &v in &axis.values {
            let mut set = vec![(axis.path.as_str(), v)];
            if let (Some(a2), Some(v2)) = (axis2, v2) {
                set.push((a2.path.as_str(), v2));
            }
            grid.push((v, v2, at_point(scenario, &set)?));
        }
    }
    let mut points: Vec<SweepPoint> = Vec::with_capacity(grid.len());
    for (k, (value, value2, point)) in grid.iter().enumerate() {
        let summary = super::run(point, budget, &[], progress)?;
        let strategies: Vec<PointStrategy> = point
            .strategies
            .iter()
            .zip(&summary.strategies)
            .map(|(st, s)| PointStrategy {
                name: st.name.clone(),
                revenue_mean: s.revenue.mean(),
                revenue_mcse: s.revenue.mcse(),
                p_out_of_network: s.first().out_of_network.p(),
            })
            .collect();
        let best = strategies
            .iter()
            .reduce(|b, s| {
                if s.revenue_mean > b.revenue_mean {
                    s
                } else {
                    b
                }
            })
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let first_of_row = k % axis.values.len() == 0;
        let best_changes = !first_of_row && points.last().is_some_and(|p| p.best != best);
        points.push(SweepPoint {
            value: *value,
            value2: *value2,
            strategies,
            best,
            best_changes,
        });
    }
    Ok(SweepReport {
        scenario: scenario.name.clone(),
        seed: budget.seed,
        paths: budget.paths,
        param: axis.path.clone(),
        param_label: describe(&axis.path),
        values: axis.values.clone(),
        param2: axis2.map(|a| a.path.clone()),
        param2_label: axis2.map(|a| describe(&a.path)),
        values2: axis2.map(|a| a.values.clone()),
        strategies: scenario.strategies.iter().map(|s| s.name.clone()).collect(),
        points,
    })
}

/// The marker of a point where the best strategy changes.
pub const CHANGE_MARKER: &str = "<- best changes";

impl SweepReport {
    /// The points where the best strategy changes.
    pub fn changes(&self) -> impl Iterator<Item = &SweepPoint> {
        self.points.iter().filter(|p| p.best_changes)
    }

    /// Each axis' values as the table writes them: in the unit of its
    /// input (`25 %`, `$0.25M`), or as bare numbers when rounding would show
    /// two different values alike. The second is empty in a one-way sweep.
    fn value_texts(&self) -> (AxisTexts, AxisTexts) {
        let second = match (&self.param2, &self.values2) {
            (Some(p), Some(v)) => axis_texts(p, v),
            _ => AxisTexts::default(),
        };
        (axis_texts(&self.param, &self.values), second)
    }
}

/// The values of one axis and how the table writes them.
#[derive(Default)]
struct AxisTexts(Vec<(f64, String)>);

impl AxisTexts {
    fn get(&self, x: f64) -> String {
        self.0
            .iter()
            .find(|(v, _)| *v == x)
            .map_or_else(|| x.to_string(), |(_, t)| t.clone())
    }
}

fn axis_texts(path: &str, values: &[f64]) -> AxisTexts {
    let texts: Vec<(f64, String)> = values.iter().map(|&v| (v, format_value(path, v))).collect();
    let mut seen = std::collections::HashMap::new();
    let clash = texts
        .iter()
        .any(|(v, t)| seen.insert(t.as_str(), *v).is_some_and(|w| w != *v));
    if clash {
        AxisTexts(values.iter().map(|&v| (v, v.to_string())).collect())
    } else {
        AxisTexts(texts)
    }
}

impl Output for SweepReport {
    fn table(&self) -> String {
        let what = match (&self.param2, &self.param2_label) {
            (Some(p2), Some(l2)) => {
                format!("{} (`{}`) and {l2} (`{p2}`)", self.param_label, self.param)
            }
            _ => format!("{} (`{}`)", self.param_label, self.param),
        };
        let mut out = format!(
            "Scenario {}: sweep of {what} over {} points, {} paths per point, seed {} (the same paths at every point).\n\
             Expected net present revenue in $M and probability of going out of network, per strategy.\n\n",
            self.scenario,
            self.points.len(),
            count(self.paths as f64),
            self.seed
        );
        let (texts1, texts2) = self.value_texts();
        // Strategies in blocks that fit a terminal (about 120 columns); the
        // best strategy closes the last block.
        let lead: usize = crate::report::table::display_width(&self.param_label).max(8)
            + self
                .param2_label
                .as_ref()
                .map_or(0, |l| crate::report::table::display_width(l).max(8) + 2);
        let mut blocks: Vec<Vec<usize>> = vec![Vec::new()];
        let mut width = lead;
        for (i, name) in self.strategies.iter().enumerate() {
            let w = 2 * crate::report::table::display_width(name) + 4 + 4;
            let block = blocks.last_mut().expect("one block at least");
            if !block.is_empty() && width + w > 120 {
                blocks.push(vec![i]);
                width = lead + w;
            } else {
                block.push(i);
                width += w;
            }
        }
        let last = blocks.len() - 1;
        for (b, block) in blocks.iter().enumerate() {
            if b > 0 {
                out.push('\n');
            }
            let mut header: Vec<String> = vec![self.param_label.clone()];
            if let Some(l2) = &self.param2_label {
                header.push(l2.clone());
            }
            for &i in block {
                let name = &self.strategies[i];
                header.push(name.clone());
                header.push(format!("{name} OON"));
            }
            if b == last {
                header.push("best".into());
                header.push(String::new());
            }
            let rows: Vec<Vec<String>> = self
                .points
                .iter()
                .map(|p| {
                    let mut row = vec![texts1.get(p.value)];
                    if let Some(v2) = p.value2 {
                        row.push(texts2.get(v2));
                    }
                    for &i in block {
                        let s = &p.strategies[i];
                        row.push(millions(s.revenue_mean));
                        row.push(percent(s.p_out_of_network));
                    }
                    if b == last {
                        row.push(p.best.clone());
                        row.push(if p.best_changes {
                            CHANGE_MARKER.to_string()
                        } else {
                            String::new()
                        });
                    }
                    row
                })
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            out += &columns(&header, &rows);
        }
        let max_mcse = self
            .points
            .iter()
            .flat_map(|p| &p.strategies)
            .map(|s| s.revenue_mcse)
            .fold(0.0, f64::max);
        out += &format!(
            "\nMonte Carlo standard error of each mean: at most {} $M (CSV and JSON give each one).\n",
            millions(max_mcse)
        );
        let changes: Vec<String> = self
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.best_changes)
            .map(|(k, p)| {
                let mut at = format!("{} = {}", self.param_label, texts1.get(p.value));
                if let (Some(l2), Some(v2)) = (&self.param2_label, p.value2) {
                    at += &format!(", {l2} = {}", texts2.get(v2));
                }
                format!("at {at}: from {} to {}", self.points[k - 1].best, p.best)
            })
            .collect();
        if changes.is_empty() {
            out += "The best strategy does not change along the sweep.\n";
        } else {
            out += &format!("The best strategy changes {}.\n", changes.join("; "));
        }
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["param".to_string(), "value".to_string()];
        if self.param2.is_some() {
            header.extend(["param2".to_string(), "value2".to_string()]);
        }
        header.extend(
            [
                "strategy",
                "revenue_mean",
                "revenue_mcse",
                "p_out_of_network",
                "is_best",
            ]
            .map(String::from),
        );
        let mut rows = Vec::new();
        for p in &self.points {
            for s in &p.strategies {
                let mut row = vec![self.param.clone(), csv_number(p.value)];
                if let Some(p2) = &self.param2 {
                    row.push(p2.clone());
                    row.push(p.value2.map_or_else(String::new, csv_number));
                }
                row.push(s.name.clone());
                row.push(csv_number(s.revenue_mean));
                row.push(csv_number(s.revenue_mcse));
                row.push(csv_number(s.p_out_of_network));
                row.push((s.name == p.best).to_string());
                rows.push(row);
            }
        }
        (header, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends_and_are_tidy() {
        let a = Axis::parse_range("x", "0.1:0.7:4").unwrap();
        assert_eq!(a.values, vec![0.1, 0.3, 0.5, 0.7]);
        let a = Axis::parse_range("x", "0:1:11").unwrap();
        assert_eq!(a.values[3], 0.3);
        assert_eq!(a.values.len(), 11);
        assert_eq!(a.values[10], 1.0);
    }

    #[test]
    fn values_parse_with_spaces() {
        let a = Axis::parse_values("x", "0.2, 0.4 ,1e-3").unwrap();
        assert_eq!(a.values, vec![0.2, 0.4, 0.001]);
    }
}
