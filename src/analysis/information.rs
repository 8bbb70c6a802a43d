//! `impasse voi`: what better information is worth before choosing a
//! strategy.
//!
//! One run keeps every path's decision score for each strategy beside the
//! value every uncertain input took ([`Simulation::samples`]). Then:
//!
//! * EVPI, the expected value of perfect information: the mean, over paths,
//!   of the best strategy's score on that path minus the score of the
//!   strategy best on average. What a clairvoyant would add; an upper bound
//!   on any study, consultant or benchmark.
//! * EVPPI of each uncertain input and of groups of inputs: what knowing
//!   only those inputs before choosing would add, by the regression
//!   metamodel of Strong, Oakley & Brennan (2014) ([`crate::analysis::voi`]).
//!
//! The values are in dollars of the scenario's decision objective (margin or
//! revenue, less the price of patient-weeks out of network), risk neutral:
//! with a finite risk tolerance the report says so.

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{PathSamples, Scoring, Simulation};
use crate::report::table::{columns, millions};
use crate::report::{Output, csv_number};
use crate::scenario::Scenario;
use crate::scenario::labels::describe;

use super::voi::{self, EvppiOptions, FitDiagnostics, VoiError};
use super::{AnalysisError, Budget, Progress, strategy_index};

use super::Z95;

/// Sections whose uncertain inputs form a default group (when two or more of
/// them are uncertain): prefix, group name, words.
const SECTIONS: [(&str, &str, &str); 6] = [
    ("payer.", "payer", "everything about the payer"),
    ("provider.", "provider", "everything about our own side"),
    (
        "contract.",
        "contract",
        "the contract's size, margin and patients",
    ),
    ("item.", "items", "the non-rate items"),
    ("data.", "data", "the value and cost of our own data"),
    ("relationship.", "relationship", "the relationship's memory"),
];

/// The name of the group of every uncertain input.
pub const ALL_INPUTS: &str = "inputs";

/// What `impasse voi` computes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoiOptions {
    /// The strategies to choose among (empty: all).
    pub strategies: Vec<String>,
    /// The single inputs whose EVPPI is computed (empty: every uncertain
    /// input).
    pub inputs: Vec<String>,
    /// Named groups of inputs, each learnt together.
    pub groups: Vec<(String, Vec<String>)>,
    /// Also the default groups: each section of the scenario with two or
    /// more uncertain inputs, and every uncertain input together.
    pub default_groups: bool,
}

/// A value and its Monte Carlo standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub mean: f64,
    /// Its Monte Carlo standard error.
    pub mcse: f64,
}

/// One strategy's expected score and how often it is the best.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyValue {
    /// The strategy.
    pub name: String,
    /// Mean decision score, dollars.
    pub mean: f64,
    /// Its Monte Carlo standard error.
    pub mcse: f64,
    /// Share of paths on which it scores highest.
    pub prob_best: f64,
}

/// The EVPPI of one input or group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvppiRow {
    /// The input's dotted path, or the group's name.
    pub input: String,
    /// In words.
    pub label: String,
    /// `input` or `group`.
    pub kind: &'static str,
    /// The inputs learnt (one for a single input).
    pub members: Vec<String>,
    /// EVPPI, dollars.
    pub value: f64,
    /// Its standard error (sampling and metamodel).
    pub mcse: f64,
    /// Share of the EVPI.
    pub share_of_evpi: f64,
    /// The lowest R² of the regressions (one per strategy against the
    /// first): how much of each difference the input(s) explain.
    pub r2: f64,
    /// The metamodel fitted.
    pub model: String,
    /// Set when the estimate should not be trusted as is: in short.
    pub warning: Option<String>,
    /// The same, in full (every regression's check).
    pub warning_detail: Option<String>,
    /// Each regression's diagnostics.
    pub diagnostics: Vec<FitDiagnostics>,
}

/// The result of `impasse voi`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoiReport {
    /// Scenario name.
    pub scenario: String,
    /// Paths.
    pub paths: u64,
    /// Seed.
    pub seed: u64,
    /// What the values are in.
    pub objective: String,
    /// The strategies chosen among, with their expected scores.
    pub strategies: Vec<StrategyValue>,
    /// The strategy best on average.
    pub best: String,
    /// Expected value of perfect information, dollars.
    pub evpi: Estimate,
    /// EVPPI of single inputs, then of groups, each by value, highest first.
    pub evppi: Vec<EvppiRow>,
    /// Facts about the calculation.
    pub notes: Vec<String>,
}

impl VoiReport {
    /// The single input most worth learning: the highest EVPPI that is
    /// clearly above zero (more than two standard errors) and at least 1 %
    /// of the EVPI; `None` when no input is.
    pub fn most_valuable(&self) -> Option<&EvppiRow> {
        self.evppi
            .iter()
            .filter(|r| r.kind == "input")
            .filter(|r| r.value > 2.0 * r.mcse && r.value >= 0.01 * self.evpi.mean)
            .max_by(|a, b| a.value.total_cmp(&b.value))
    }

    /// The group of every uncertain input, if it was computed.
    pub fn all_inputs(&self) -> Option<&EvppiRow> {
        self.evppi
            .iter()
            .find(|r| r.kind == "group" && r.input == ALL_INPUTS)
    }

    /// One sentence on what learning the row's input(s) is worth.
    pub fn sentence(&self, row: &EvppiRow) -> String {
        let what = if row.kind == "input" && !row.label.starts_with("the ") {
            format!("the {}", row.label)
        } else {
            row.label.clone()
        };
        // Small amounts in thousands, so that they do not print as $0.01M.
        let dollars = |x: f64| {
            if x.abs() < 0.1e6 {
                format!("${:.0}k", x / 1e3)
            } else {
                format!("${}M", millions(x))
            }
        };
        format!(
            "Knowing {what} before choosing would be worth {} (± {}, 95 % Monte Carlo error), {:.0} % of the value of perfect information.",
            dollars(row.value),
            dollars(Z95 * row.mcse),
            100.0 * row.share_of_evpi
        )
    }
}

/// The strategies to use, by index (all when `names` is empty).
fn chosen_strategies(scenario: &Scenario, names: &[String]) -> Result<Vec<usize>, AnalysisError> {
    if names.is_empty() {
        return Ok((0..scenario.strategies.len()).collect());
    }
    let mut out = Vec::new();
    for n in names {
        let i = strategy_index(scenario, "--strategies", n)?;
        if out.contains(&i) {
            return Err(AnalysisError::option(
                "--strategies",
                n,
                "names a strategy twice: list each once",
            ));
        }
        out.push(i);
    }
    if out.len() < 2 {
        return Err(AnalysisError::option(
            "--strategies",
            names.join(","),
            "name at least two strategies: information is worth something only when there is a choice",
        ));
    }
    Ok(out)
}

/// The column of uncertain input `path`, or an error naming `option`.
fn column(
    scenario: &Scenario,
    samples: &PathSamples,
    option: &str,
    path: &str,
) -> Result<usize, AnalysisError> {
    let inputs = scenario.inputs();
    let uncertain = || {
        samples
            .inputs
            .iter()
            .map(|&i| inputs[i].0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match inputs.iter().position(|(p, _)| p == path) {
        None => Err(AnalysisError::option(
            option,
            path,
            format!("must name an uncertain input: one of {}", uncertain()),
        )),
        Some(i) => samples.inputs.iter().position(|&j| j == i).ok_or_else(|| {
            AnalysisError::option(
                option,
                path,
                format!(
                    "is fixed at {} in this scenario, so learning it is worth nothing; give it a distribution with --set, or name an uncertain input: one of {}",
                    inputs[i].1,
                    uncertain()
                ),
            )
        }),
    }
}

/// Inputs or groups to compute: (name, label, kind, member paths, columns).
type Target = (String, String, &'static str, Vec<String>, Vec<usize>);

fn targets(
    scenario: &Scenario,
    samples: &PathSamples,
    options: &VoiOptions,
) -> Result<Vec<Target>, AnalysisError> {
    let inputs = scenario.inputs();
    let mut out: Vec<Target> = Vec::new();
    let singles: Vec<String> = if options.inputs.is_empty() {
        samples
            .inputs
            .iter()
            .map(|&i| inputs[i].0.clone())
            .collect()
    } else {
        options.inputs.clone()
    };
    for p in &singles {
        let c = column(scenario, samples, "--inputs", p)?;
        out.push((p.clone(), describe(p), "input", vec![p.clone()], vec![c]));
    }
    for (name, members) in &options.groups {
        if name.is_empty() || members.is_empty() {
            return Err(AnalysisError::option(
                "--groups",
                format!("{name}={}", members.join("+")),
                "write NAME=PATH+PATH, e.g. payer-limits=payer.reservation+payer.exec.reservation_gain",
            ));
        }
        let mut cols = Vec::new();
        for p in members {
            let c = column(scenario, samples, "--groups", p)?;
            if !cols.contains(&c) {
                cols.push(c);
            }
        }
        out.push((
            name.clone(),
            format!("{name} ({})", members.join(", ")),
            "group",
            members.clone(),
            cols,
        ));
    }
    if options.default_groups {
        for (prefix, name, words) in SECTIONS {
            let cols: Vec<usize> = (0..samples.inputs.len())
                .filter(|&c| inputs[samples.inputs[c]].0.starts_with(prefix))
                .collect();
            if cols.len() >= 2 && cols.len() < samples.inputs.len() {
                let members = cols
                    .iter()
                    .map(|&c| inputs[samples.inputs[c]].0.clone())
                    .collect();
                out.push((name.into(), words.into(), "group", members, cols));
            }
        }
        if samples.inputs.len() >= 2 {
            let members = samples
                .inputs
                .iter()
                .map(|&i| inputs[i].0.clone())
                .collect();
            out.push((
                ALL_INPUTS.into(),
                "every uncertain input".into(),
                "group",
                members,
                (0..samples.inputs.len()).collect(),
            ));
        }
    }
    Ok(out)
}

fn voi_error(e: VoiError) -> AnalysisError {
    match e {
        VoiError::TooFewPaths { paths, min, what } => AnalysisError::option(
            "--paths",
            paths,
            format!("at least {min} paths are needed for {what}"),
        ),
        other => AnalysisError::option("voi", "", other.to_string()),
    }
}

/// Words for the decision objective.
fn objective_words(scenario: &Scenario) -> String {
    let d = &scenario.decision;
    let base = match d.objective {
        crate::scenario::Objective::Margin => {
            "net present contribution margin (net of the costs of moves)"
        }
        crate::scenario::Objective::Revenue => "net present revenue",
    }
    .to_string();
    if d.patient_week_price > 0.0 {
        format!(
            "{base} less ${} per patient-week out of network",
            crate::report::table::count(d.patient_week_price)
        )
    } else {
        base
    }
}

/// Run `budget.paths` paths and compute EVPI and the EVPPIs `options` asks
/// for. `progress` counts paths.
pub fn voi(
    scenario: &Scenario,
    options: &VoiOptions,
    budget: &Budget,
    progress: Progress<'_>,
) -> Result<VoiReport, AnalysisError> {
    let chosen = chosen_strategies(scenario, &options.strategies)?;
    if budget.paths < voi::MIN_EVPPI_PATHS as u64 {
        return Err(AnalysisError::option(
            "--paths",
            budget.paths,
            format!(
                "at least {} paths are needed for a value-of-information regression",
                voi::MIN_EVPPI_PATHS
            ),
        ));
    }
    let sim = Simulation::new(scenario);
    let scoring = Scoring::from(&scenario.decision);
    let score = |o: &crate::model::Outcome| scoring.score(o);
    let samples = sim.samples(&budget.config(0, budget.paths), &chosen, &score, progress)?;
    let list = targets(scenario, &samples, options)?;
    let pool = crate::engine::pool(budget.threads)?;
    let evpi = voi::evpi(&samples.values).map_err(voi_error)?;
    let fit = EvppiOptions {
        seed: budget.seed,
        ..EvppiOptions::default()
    };
    // Each input's regression on its own, in parallel; collected in order,
    // and each is deterministic, so the thread count changes nothing.
    let fits: Vec<Result<voi::Evppi, VoiError>> = pool.install(|| {
        list.par_iter()
            .map(|t| {
                let columns: Vec<&[f64]> =
                    t.4.iter()
                        .map(|&c| samples.inputs_at[c].as_slice())
                        .collect();
                voi::evppi(&samples.values, &columns, &fit)
            })
            .collect()
    });
    let mut rows = Vec::with_capacity(list.len());
    let mut notes = Vec::new();
    for ((name, label, kind, members, _), e) in list.into_iter().zip(fits) {
        let e = match e {
            Ok(e) => e,
            // Too few paths for this one metamodel: say so, keep the rest.
            Err(VoiError::TooFewPaths { min, .. }) => {
                notes.push(format!(
                    "Not computed for {name}: its metamodel needs at least {min} paths (--paths {}).",
                    budget.paths
                ));
                continue;
            }
            Err(other) => return Err(voi_error(other)),
        };
        let short = e
            .warning
            .is_some()
            .then(|| short_warning(&e, &names_of(scenario, &chosen)));
        let r2 = e.fits.iter().map(|f| f.r2).fold(f64::INFINITY, f64::min);
        rows.push(EvppiRow {
            input: name,
            label,
            kind,
            members,
            value: e.value,
            mcse: e.mcse,
            share_of_evpi: if evpi.value > 0.0 {
                e.value / evpi.value
            } else {
                0.0
            },
            r2: if r2.is_finite() { r2 } else { 0.0 },
            model: e.model,
            warning: short,
            warning_detail: e.warning.map(|w| name_strategies(&w, scenario, &chosen)),
            diagnostics: e.fits,
        });
    }
    rows.sort_by(|a, b| {
        (a.kind == "group")
            .cmp(&(b.kind == "group"))
            .then(b.value.total_cmp(&a.value))
    });
    let names: Vec<String> = chosen
        .iter()
        .map(|&i| scenario.strategies[i].name.clone())
        .collect();
    if scenario.decision.risk_tolerance.is_finite() {
        notes.push(format!(
            "The scenario's risk tolerance (${}M) is not applied here: these are expected (risk-neutral) values of the decision score.",
            millions(scenario.decision.risk_tolerance)
        ));
    }
    let strategies = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let v = &samples.values[k];
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
            StrategyValue {
                name: name.clone(),
                mean,
                mcse: (var / n).sqrt(),
                prob_best: evpi.prob_best[k],
            }
        })
        .collect();
    Ok(VoiReport {
        scenario: scenario.name.clone(),
        paths: budget.paths,
        seed: budget.seed,
        objective: objective_words(scenario),
        strategies,
        best: names[evpi.best].clone(),
        evpi: Estimate {
            mean: evpi.value,
            mcse: evpi.mcse,
        },
        evppi: rows,
        notes,
    })
}

fn names_of(scenario: &Scenario, chosen: &[usize]) -> Vec<String> {
    chosen
        .iter()
        .map(|&i| format!("`{}`", scenario.strategies[i].name))
        .collect()
}

/// The warning of [`voi::evppi`] in one short sentence, naming the strategy
/// differences concerned.
fn short_warning(e: &voi::Evppi, names: &[String]) -> String {
    let pair = |f: &FitDiagnostics| format!("{} − {}", names[f.strategy], names[e.reference]);
    let list = |fits: Vec<&FitDiagnostics>| -> String {
        let n = fits.len();
        let mut shown: Vec<String> = fits.iter().take(2).map(|f| pair(f)).collect();
        if n > 2 {
            shown.push(format!("{} more", n - 2));
        }
        shown.join(", ")
    };
    let mut parts = Vec::new();
    let missed: Vec<&FitDiagnostics> = e
        .fits
        .iter()
        .filter(|f| f.lack_of_fit.p_value < voi::LACK_OF_FIT_ALPHA)
        .collect();
    if !missed.is_empty() {
        parts.push(format!(
            "the metamodel misses structure in {} (EVPPI may be underestimated)",
            list(missed)
        ));
    }
    let stiff: Vec<&FitDiagnostics> = e
        .fits
        .iter()
        .filter(|f| f.basis > 0 && f.edf > 0.9 * f.basis as f64)
        .collect();
    if !stiff.is_empty() {
        parts.push(format!("the smoother is at its limit in {}", list(stiff)));
    }
    if e.value > e.evpi + 3.0 * e.mcse {
        parts.push("EVPPI exceeds EVPI: the metamodel overfits".to_string());
    }
    if parts.is_empty() {
        "the metamodel's checks failed (see warning_detail)".to_string()
    } else {
        parts.join("; ")
    }
}

/// A warning from [`voi::evppi`] with strategy numbers replaced by names.
fn name_strategies(warning: &str, scenario: &Scenario, chosen: &[usize]) -> String {
    let mut w = warning.to_string();
    for (k, &i) in chosen.iter().enumerate().rev() {
        w = w.replace(
            &format!("strategy {k}"),
            &format!("`{}`", scenario.strategies[i].name),
        );
    }
    w
}

impl Output for VoiReport {
    fn table(&self) -> String {
        let mut out = format!(
            "Scenario {}: value of information, {} paths, seed {}.\n\
             Values in $M of {}, per renewal decision.\n\n",
            self.scenario,
            crate::report::table::count(self.paths as f64),
            self.seed,
            self.objective
        );
        let rows: Vec<Vec<String>> = self
            .strategies
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    millions(s.mean),
                    millions(Z95 * s.mcse),
                    format!("{:.1}%", 100.0 * s.prob_best),
                ]
            })
            .collect();
        out += &columns(&["strategy", "expected", "± (95 %)", "best on"], &rows);
        out += &format!(
            "\nBest on average: {}. Expected value of perfect information (EVPI): {} ± {} (95 %, Monte Carlo).\n\
             That is what choosing with hindsight on every path would add: the most any study could be worth.\n\n",
            self.best,
            millions(self.evpi.mean),
            millions(Z95 * self.evpi.mcse)
        );
        for (kind, title) in [
            ("input", "Learning one input before choosing (EVPPI):"),
            ("group", "Learning a group of inputs together:"),
        ] {
            let rows: Vec<Vec<String>> = self
                .evppi
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| {
                    vec![
                        r.label.clone(),
                        format!("{:.3}", r.value / 1e6),
                        format!("{:.3}", Z95 * r.mcse / 1e6),
                        format!("{:.0}%", 100.0 * r.share_of_evpi),
                        format!("{:.2}", r.r2),
                        if r.warning.is_some() { "!" } else { "" }.to_string(),
                        if kind == "input" {
                            r.input.clone()
                        } else if r.members.len() <= 3 {
                            r.members.join("+")
                        } else {
                            format!("{} inputs", r.members.len())
                        },
                    ]
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            out += title;
            out += "\n";
            out += &columns(
                &[
                    if kind == "input" { "input" } else { "group" },
                    "EVPPI",
                    "± (95 %)",
                    "of EVPI",
                    "R²",
                    "",
                    if kind == "input" { "path" } else { "inputs" },
                ],
                &rows,
            );
            out += "\n";
        }
        match self.most_valuable() {
            Some(r) => {
                let sentence = self.sentence(r);
                out += &format!("Most worth learning: k{}\n", &sentence[1..]);
            }
            None => {
                out += "No single input is clearly worth learning before choosing: each one's EVPPI is within noise of zero or under 1 % of the EVPI.\n"
            }
        }
        if let Some(all) = self.all_inputs() {
            out += &format!(
                "Knowing every input would capture {:.0} % of the EVPI{}; the rest is chance (whether executives engage, whether a notice is believed, when the payer returns) that no study can remove.\n",
                100.0 * all.share_of_evpi,
                if all.warning.is_some() {
                    " (at least: the additive metamodel misses interactions)"
                } else {
                    ""
                }
            );
        }
        for r in self.evppi.iter().filter(|r| r.warning.is_some()) {
            out += &format!("! {}: {}\n", r.input, r.warning.as_deref().unwrap_or(""));
        }
        out += "R²: the lowest share of a strategy difference that the input(s) explain; a low R² is right for an input that matters little.\n\
                ± is the Monte Carlo error of the estimate, not a range of outcomes.\n";
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
            "evppi",
            "evppi_mcse",
            "share_of_evpi",
            "r2",
            "model",
            "warning",
            "evpi",
            "evpi_mcse",
            "best",
            "paths",
            "seed",
            "label",
        ]
        .map(String::from)
        .to_vec();
        let rows = self
            .evppi
            .iter()
            .map(|r| {
                vec![
                    r.input.clone(),
                    r.kind.to_string(),
                    r.members.join("+"),
                    csv_number(r.value),
                    csv_number(r.mcse),
                    csv_number(r.share_of_evpi),
                    csv_number(r.r2),
                    r.model.clone(),
                    r.warning.clone().unwrap_or_default(),
                    csv_number(self.evpi.mean),
                    csv_number(self.evpi.mcse),
                    self.best.clone(),
                    self.paths.to_string(),
                    self.seed.to_string(),
                    r.label.clone(),
                ]
            })
            .collect();
        (header, rows)
    }
}
