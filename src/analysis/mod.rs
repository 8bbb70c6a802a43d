//! The questions a CFO asks, answered with common random numbers: compare two
//! strategies, sweep an input, rank the inputs that move the answer
//! (tornado), find the break-even value of an input (threshold), and time the
//! escalation or notice.
//!
//! Every analysis runs the engine on variants of one scenario with the same
//! seed, so a variant differs from another only by what was changed: each
//! input draws from its own stream (see [`crate::model::world`]). Analyses
//! return plain report structs; [`crate::report`] renders them.

pub mod board;
pub mod compare;
pub mod information;
pub mod optimize;
pub mod recommend;
pub mod sensitivity;
pub mod sobol;
pub mod sweep;
pub mod threshold;
pub mod timing;
pub mod tornado;
pub mod voi;

use thiserror::Error;

use crate::engine::{EngineError, RunConfig, RunSummary, Simulation};
use crate::scenario::{Scenario, ScenarioError};

/// How many paths, which seed, how many threads: the same for every variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Paths per variant.
    pub paths: u64,
    /// Seed shared by every variant.
    pub seed: u64,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

impl Budget {
    /// The engine configuration for `paths` paths from `first_path`.
    pub fn config(&self, first_path: u64, paths: u64) -> RunConfig {
        RunConfig {
            paths,
            first_path,
            seed: self.seed,
            threads: self.threads,
        }
    }
}

/// What can stop an analysis.
#[derive(Debug, Error, PartialEq)]
pub enum AnalysisError {
    /// The scenario or an override is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The engine refused the run.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// An analysis option is invalid.
    #[error("invalid `{option}` = {value}: {allowed}")]
    Option {
        /// The option, e.g. `--range`.
        option: String,
        /// The value given.
        value: String,
        /// What is allowed.
        allowed: String,
    },
}

impl AnalysisError {
    /// Shorthand for [`AnalysisError::Option`].
    pub fn option(
        option: impl Into<String>,
        value: impl std::fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        AnalysisError::Option {
            option: option.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}

/// The standard normal's 97.5 % quantile: a 95 % interval is the estimate
/// ± `Z95` standard errors.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Progress callback: called with the number of paths just finished.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Run `budget.paths` paths of `scenario`, tracking `pairs`.
pub fn run(
    scenario: &Scenario,
    budget: &Budget,
    pairs: &[(usize, usize)],
    progress: Progress<'_>,
) -> Result<RunSummary, AnalysisError> {
    let sim = Simulation::new(scenario);
    Ok(sim.run(&budget.config(0, budget.paths), pairs, progress)?)
}

/// Index of strategy `name`, or an error listing the strategies.
pub fn strategy_index(
    scenario: &Scenario,
    option: &str,
    name: &str,
) -> Result<usize, AnalysisError> {
    scenario.strategy_index(name).ok_or_else(|| {
        let names: Vec<&str> = scenario
            .strategies
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        AnalysisError::option(
            option,
            name,
            format!("must name a strategy: one of {}", names.join(", ")),
        )
    })
}

/// The scenario cut down to the named strategies, in that order (analyses
/// that need only some strategies run faster on fewer). Unknown names are
/// reported as the positional arguments `A` and `B` when there are two,
/// `--strategy` otherwise.
pub fn only_strategies(scenario: &Scenario, names: &[&str]) -> Result<Scenario, AnalysisError> {
    let mut s = scenario.clone();
    let option = |k: usize| match (names.len(), k) {
        (2, 0) => "A",
        (2, 1) => "B",
        _ => "--strategy",
    };
    s.strategies = names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            strategy_index(scenario, option(k), n).map(|i| scenario.strategies[i].clone())
        })
        .collect::<Result<_, _>>()?;
    s.baseline = None;
    Ok(s)
}
