//! What a user writes: the scenario file, its distributions and triggers,
//! loading with precise error locations, and validation with the field path,
//! the value and what is allowed.
//!
//! Nothing here simulates; [`crate::model`] turns a checked [`Scenario`] into
//! numbers for one path.

pub mod dist;
pub mod schema;
pub mod trigger;
mod validate;

pub use dist::Dist;
pub use schema::{
    Agenda, Contract, DataPrep, Exec, Impasse, Item, NoticeResponse, Payer, PayerOon, Provider,
    ProviderOon, Scenario, Strategy,
};
pub use trigger::Trigger;

use thiserror::Error;

/// The built-in default scenario (a community hospital facing a dominant
/// national payer), with comments explaining every field.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/community-hospital.toml");

/// Everything that can be wrong with a scenario.
#[derive(Debug, Error, PartialEq)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The path given.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// TOML syntax error, or a key or value of the wrong shape.
    #[error("{source_name}:{line}:{column}: {message}")]
    Syntax {
        /// File name (or `<built-in>`).
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A value outside what the model allows.
    #[error("invalid `{field}` = {value}: {allowed}")]
    Invalid {
        /// Dotted field path, as used by `--set` (e.g. `strategy.wait.walk_away`).
        field: String,
        /// The value as written.
        value: String,
        /// What is allowed, in words.
        allowed: String,
    },
}

impl ScenarioError {
    /// Shorthand for [`ScenarioError::Invalid`].
    pub fn invalid(
        field: impl Into<String>,
        value: impl std::fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        ScenarioError::Invalid {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Scenario {
    /// Parse and validate a scenario from TOML text. `source_name` names the
    /// file in error messages.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            ScenarioError::Syntax {
                source_name: source_name.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Read, parse and validate a scenario file.
    pub fn from_path(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Scenario::from_toml(&text, &path.display().to_string())
    }

    /// The built-in default scenario.
    pub fn builtin() -> Scenario {
        Scenario::from_toml(DEFAULT_SCENARIO_TOML, "<built-in>")
            .expect("the built-in scenario is valid (checked by a test)")
    }

    /// Check every value against what the model allows.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        validate::validate(self)
    }

    /// Index of the baseline strategy: the named `baseline`, else the first.
    pub fn baseline_index(&self) -> usize {
        self.baseline
            .as_ref()
            .and_then(|b| self.strategies.iter().position(|s| &s.name == b))
            .unwrap_or(0)
    }

    /// Index of the strategy called `name`.
    pub fn strategy_index(&self, name: &str) -> Option<usize> {
        self.strategies.iter().position(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scenario_is_valid() {
        let s = Scenario::builtin();
        assert!(s.strategies.len() >= 5);
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
    }
}
