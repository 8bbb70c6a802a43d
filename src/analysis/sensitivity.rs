//! `impasse sobol`: which uncertainties drive a result once they all move
//! together, by variance-based (Sobol') indices.
//!
//! The factors are the scenario's uncertain inputs, each on its own except
//! the inputs linked by `[[correlation]]` entries, which move as one factor
//! per linked set (their members cannot vary one at a time without breaking
//! their joint distribution), and one more factor, *chance*: the random
//! events of the negotiation (whether leadership is aligned, whether
//! executives engage, whether a notice is believed, when the payer comes
//! back). Each design point is one world: inputs at their quantiles, events
//! drawn from a seed that is a hash of the chance coordinate, so chance is a
//! factor like the others and its indices say how much of the spread no
//! study could remove.
//!
//! First-order index `S1`: the share of the output's variance that the
//! factor explains alone (what learning it would remove, on average).
//! Total index `ST`: its share including every interaction (a factor with
//! `ST` near 0 could be fixed anywhere in its range without changing the
//! output's spread). See [`crate::analysis::sobol`] for the estimators.

use serde::Serialize;

use crate::engine::Simulation;
use crate::model::Outcome;
use crate::model::world::mix64;
use crate::report::table::columns;
use crate::report::{Output, csv_number};
use crate::scenario::Scenario;
use crate::scenario::labels::describe;

use super::sobol::{self, Bootstrap, SaltelliDesign, SobolError};
use super::tornado::{Metric, Target};
use super::{AnalysisError, strategy_index};

/// The factor of random events.
pub const CHANCE: &str = "chance";

/// What `impasse sobol` measures.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolOptions {
    /// One strategy's result or the difference of two.
    pub target: Target,
    /// The per-path figure.
    pub metric: Metric,
    /// Base samples `N` (`N (factors + 2)` worlds are played).
    pub base_samples: usize,
    /// Seed of the design's scrambling and of the bootstrap.
    pub seed: u64,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

/// The indices of one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolRow {
    /// The input's dotted path; for a correlated set, its members joined by
    /// `+`; or `chance`.
    pub input: String,
    /// In words.
    pub label: String,
    /// `input`, `correlated group` or `chance`.
    pub kind: &'static str,
    /// The inputs of the factor (none for chance).
    pub members: Vec<String>,
    /// First-order index.
    pub s1: f64,
    /// Its 95 % bootstrap interval.
    pub s1_ci95: Option<[f64; 2]>,
    /// Total index.
    pub st: f64,
    /// Its 95 % bootstrap interval.
    pub st_ci95: Option<[f64; 2]>,
}

/// The result of `impasse sobol`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolReport {
    /// Scenario name.
    pub scenario: String,
    /// The strategy, or the two strategies of the difference `A − B`.
    pub strategies: Vec<String>,
    /// The metric's name.
    pub metric: &'static str,
    /// Base samples `N`.
    pub base_samples: usize,
    /// Worlds played.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Mean of the output over the base samples.
    pub mean: f64,
    /// Its variance (the denominator of the indices).
    pub variance: f64,
    /// One row per factor, by total index, highest first (empty when the
    /// output does not vary).
    pub sobol: Vec<SobolRow>,
    /// Facts about the calculation.
    pub notes: Vec<String>,
}

impl SobolReport {
    /// Whether the target is a difference of two strategies.
    pub fn is_diff(&self) -> bool {
        self.strategies.len() == 2
    }

    /// What is measured, in words.
    pub fn what(&self) -> String {
        let m = match self.metric {
            "revenue" => "net present revenue",
            "margin" => "net present contribution margin",
            _ => "patient-weeks out of network",
        };
        match self.strategies.as_slice() {
            [a, b] => format!("the difference in {m} `{a}` − `{b}`"),
            [s] => format!("{m} of `{s}`"),
            _ => m.to_string(),
        }
    }

    /// The factors whose total index is clearly above zero (its interval's
    /// lower end above 0.01), highest first.
    pub fn drivers(&self) -> impl Iterator<Item = &SobolRow> {
        self.sobol
            .iter()
            .filter(|r| r.st_ci95.map_or(r.st, |c| c[0]) > 0.01)
    }
}

/// The per-path figure of `metric`.
pub fn metric_of(metric: Metric, o: &Outcome) -> f64 {
    match metric {
        Metric::Revenue => o.revenue,
        Metric::Margin => o.margin,
        Metric::PatientWeeks => o.patient_weeks_out_of_network,
    }
}

/// The factors of a scenario: for each, its label, kind, member paths and
/// the positions of its inputs in [`Scenario::inputs`] (empty for chance).
pub fn factors(sim: &Simulation<'_>) -> Vec<(String, String, &'static str, Vec<usize>)> {
    let inputs = sim.scenario.inputs();
    let groups = sim.correlated_groups();
    let mut out = Vec::new();
    for i in sim.uncertain_inputs() {
        match groups.iter().find(|g| g.contains(&i)) {
            None => out.push((
                inputs[i].0.clone(),
                describe(&inputs[i].0),
                "input",
                vec![i],
            )),
            Some(g) if g[0] == i => {
                let names: Vec<&str> = g.iter().map(|&j| inputs[j].0.as_str()).collect();
                out.push((
                    names.join("+"),
                    format!(
                        "correlated: {}",
                        names
                            .iter()
                            .map(|n| describe(n))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    "correlated group",
                    g.clone(),
                ));
            }
            Some(_) => {}
        }
    }
    out.push((
        CHANCE.into(),
        "chance: the negotiation's random events".into(),
        "chance",
        Vec::new(),
    ));
    out
}

/// Worlds `impasse sobol` plays: `N (factors + 2)`.
pub fn planned_runs(scenario: &Scenario, options: &SobolOptions) -> usize {
    options.base_samples * (factors(&Simulation::new(scenario)).len() + 2)
}

/// Sobol' indices of every factor for `options.target`.
pub fn sobol(
    scenario: &Scenario,
    options: &SobolOptions,
    progress: super::Progress<'_>,
) -> Result<SobolReport, AnalysisError> {
    let names = options.target.strategies();
    let option = if names.len() == 2 {
        "--diff"
    } else {
        "--strategy"
    };
    let chosen: Vec<usize> = names
        .iter()
        .map(|n| strategy_index(scenario, option, n))
        .collect::<Result<_, _>>()?;
    if chosen.len() == 2 && chosen[0] == chosen[1] {
        return Err(AnalysisError::option(
            "--diff",
            format!("{} {}", names[0], names[1]),
            "name two different strategies",
        ));
    }
    let n = options.base_samples;
    if !(sobol::MIN_BASE_SAMPLES..=sobol::MAX_BASE_SAMPLES).contains(&n) {
        return Err(AnalysisError::option(
            "--n",
            n,
            format!(
                "base samples must be {} to {} (a power of two is best)",
                sobol::MIN_BASE_SAMPLES,
                sobol::MAX_BASE_SAMPLES
            ),
        ));
    }
    let sim = Simulation::new(scenario);
    let list = factors(&sim);
    // One design coordinate per uncertain input, then chance.
    let coords: Vec<usize> = list.iter().flat_map(|f| f.3.iter().copied()).collect();
    let k = coords.len() + 1;
    if k > sobol::MAX_INPUTS {
        return Err(AnalysisError::option(
            "FILE",
            format!("{} uncertain inputs", k - 1),
            format!(
                "a Sobol' design takes at most {} factors; fix some inputs with --set",
                sobol::MAX_INPUTS - 1
            ),
        ));
    }
    let mut groups = Vec::with_capacity(list.len());
    let mut at = 0;
    for f in &list {
        if f.2 == "chance" {
            groups.push(vec![k - 1]);
        } else {
            groups.push((at..at + f.3.len()).collect());
            at += f.3.len();
        }
    }
    let design = SaltelliDesign::with_groups(k, groups, n, options.seed)
        .map_err(|e| AnalysisError::option("--n", n, e.to_string()))?;
    let width = sim.input_count();
    let metric = options.metric;
    let measure = |o: &Outcome| metric_of(metric, o);
    let runs = design.runs();
    let pool = crate::engine::pool(options.threads)?;
    let done = std::sync::atomic::AtomicU64::new(0);
    let y = pool.install(|| {
        design.evaluate(|x| {
            let mut u = vec![0.5; width];
            for (&i, &v) in coords.iter().zip(x) {
                u[i] = v;
            }
            let seed = mix64(x[k - 1].to_bits() ^ options.seed);
            let mut out = [0.0; 2];
            sim.measure_at(&u, seed, &chosen, &measure, &mut out[..chosen.len()]);
            let c = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if c.is_multiple_of(1024) {
                progress(1024);
            }
            if chosen.len() == 2 {
                out[0] - out[1]
            } else {
                out[0]
            }
        })
    });
    progress(runs as u64 % 1024);
    let inputs = scenario.inputs();
    let mut notes = Vec::new();
    if list.iter().any(|f| f.2 == "correlated group") {
        notes.push(
            "Inputs linked by [[correlation]] entries move together as one factor: their indices are those of the set."
                .to_string(),
        );
    }
    let names: Vec<String> = chosen
        .iter()
        .map(|&i| scenario.strategies[i].name.clone())
        .collect();
    let boot = Bootstrap {
        seed: options.seed,
        ..Bootstrap::default()
    };
    let (mean, variance, rows) = match design.estimate(&y, &boot) {
        Ok(r) => {
            let mut rows: Vec<SobolRow> = list
                .iter()
                .zip(&r.indices)
                .map(|(f, idx)| SobolRow {
                    input: f.0.clone(),
                    label: f.1.clone(),
                    kind: f.2,
                    members: f.3.iter().map(|&i| inputs[i].0.clone()).collect(),
                    s1: idx.first,
                    s1_ci95: idx.first_interval,
                    st: idx.total,
                    st_ci95: idx.total_interval,
                })
                .collect();
            rows.sort_by(|a, b| b.st.total_cmp(&a.st));
            (r.mean, r.variance, rows)
        }
        Err(SobolError::ZeroVariance) => {
            notes.push(format!(
                "{} does not vary over the design: no input or event moves it, so there is nothing to apportion.",
                capitalise(metric.name())
            ));
            (y.first().copied().unwrap_or(0.0), 0.0, Vec::new())
        }
        Err(e) => return Err(AnalysisError::option("--n", n, e.to_string())),
    };
    Ok(SobolReport {
        scenario: scenario.name.clone(),
        strategies: names,
        metric: metric.name(),
        base_samples: n,
        runs,
        seed: options.seed,
        mean,
        variance,
        sobol: rows,
        notes,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// An index with its interval: `0.42 [0.39, 0.45]`.
fn with_interval(x: f64, ci: Option<[f64; 2]>) -> String {
    match ci {
        Some([lo, hi]) => format!("{x:.3} [{lo:.3}, {hi:.3}]"),
        None => format!("{x:.3}"),
    }
}

impl Output for SobolReport {
    fn table(&self) -> String {
        let mut out = format!(
            "Scenario {}: Sobol' indices of {}; {} base samples, {} worlds, seed {}.\n\
             Each factor's first-order index S1 is the share of the variance it explains alone; its total index ST adds its interactions.\n\n",
            self.scenario,
            self.what(),
            self.base_samples,
            crate::report::table::count(self.runs as f64),
            self.seed
        );
        if self.sobol.is_empty() {
            for n in &self.notes {
                out += n;
                out += "\n";
            }
            return out;
        }
        let rows: Vec<Vec<String>> = self
            .sobol
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    r.kind.to_string(),
                    with_interval(r.s1, r.s1_ci95),
                    with_interval(r.st, r.st_ci95),
                    r.input.clone(),
                ]
            })
            .collect();
        out += &columns(&["factor", "kind", "S1 [95 %]", "ST [95 %]", "path"], &rows);
        let sum: f64 = self.sobol.iter().map(|r| r.s1).sum();
        out += &format!(
            "\nSum of S1: {sum:.2} (1 when the factors act alone; less, by the share due to interactions).\n\
             Intervals: bootstrap over the design's rows; they say how well the indices are known, not a range of outcomes.\n"
        );
        let through_others: Vec<&str> = self
            .sobol
            .iter()
            .filter(|r| {
                r.kind != "chance"
                    && r.s1_ci95.is_some_and(|c| c[0] <= 0.0)
                    && r.st_ci95.is_some_and(|c| c[0] > 0.01)
            })
            .map(|r| r.input.as_str())
            .collect();
        if !through_others.is_empty() {
            out += &format!(
                "Matter only together with other factors (S1 within noise of 0, ST clearly above): {}; learning one of them alone would not settle the result.\n",
                through_others.join(", ")
            );
        }
        let quiet: Vec<&str> = self
            .sobol
            .iter()
            .filter(|r| r.st_ci95.map_or(r.st, |c| c[1]) < 0.005 && r.kind == "input")
            .map(|r| r.input.as_str())
            .collect();
        if !quiet.is_empty() {
            out += &format!(
                "Could be fixed anywhere in their ranges without changing the spread (ST under 0.005): {}.\n",
                quiet.join(", ")
            );
        }
        for n in &self.notes {
            out += n;
            out += "\n";
        }
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "input",
            "kind",
            "members",
            "s1",
            "s1_lo",
            "s1_hi",
            "st",
            "st_lo",
            "st_hi",
            "metric",
            "strategies",
            "base_samples",
            "seed",
            "label",
        ]
        .map(String::from)
        .to_vec();
        let end = |c: Option<[f64; 2]>, i: usize| c.map_or(String::new(), |c| csv_number(c[i]));
        let rows = self
            .sobol
            .iter()
            .map(|r| {
                vec![
                    r.input.clone(),
                    r.kind.to_string(),
                    r.members.join("+"),
                    csv_number(r.s1),
                    end(r.s1_ci95, 0),
                    end(r.s1_ci95, 1),
                    csv_number(r.st),
                    end(r.st_ci95, 0),
                    end(r.st_ci95, 1),
                    self.metric.to_string(),
                    self.strategies.join(" - "),
                    self.base_samples.to_string(),
                    self.seed.to_string(),
                    r.label.clone(),
                ]
            })
            .collect();
        (header, rows)
    }
}
