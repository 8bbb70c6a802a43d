//! What a user writes: the scenario file, its distributions and triggers,
//! loading with precise error locations, and validation with the field path,
//! the value and what is allowed.
//!
//! Nothing here simulates; [`crate::model`] turns a checked [`Scenario`] into
//! numbers for one path.

pub mod correlation;
pub mod dist;
pub mod labels;
pub mod notes;
pub mod overrides;
pub mod schema;
pub mod trigger;
mod validate;

pub use correlation::{Copula, Correlation};
pub use dist::Dist;
pub use overrides::Override;
pub use schema::{
    Agenda, Contract, DataPrep, Decision, Exec, Impasse, Item, NoticeResponse, Objective, Payer,
    PayerOon, Provider, ProviderNotice, ProviderOon, Relationship, Scenario, Side, Strategy,
};
pub use schema::{DECISION_FIELDS, OptimizeSpec};
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
    #[error("{source_name}:{line}:{column}: {}{message}", field.as_ref().map(|f| format!("`{f}`: ")).unwrap_or_default())]
    Syntax {
        /// File name (or `<built-in>`).
        source_name: String,
        /// Dotted path of the field at the error, when there is one.
        field: Option<String>,
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

/// The dotted path (`payer.exec.success_prob`, `strategy.wait.notice`) of
/// the key on the line holding byte `offset`, found by reading the TOML
/// headers above it; `None` when the line holds no key.
pub fn field_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let header_of = |line: &str| -> Option<(String, bool)> {
        let t = line.trim();
        if let Some(inner) = t.strip_prefix("[[") {
            Some((inner.split("]]").next()?.trim().to_string(), true))
        } else if let Some(inner) = t.strip_prefix('[') {
            Some((inner.split(']').next()?.trim().to_string(), false))
        } else {
            None
        }
    };
    // The last header above the line, and where its block starts.
    let mut header: Option<(String, bool, usize)> = None;
    let mut pos = 0;
    for line in text[..line_start].split_inclusive('\n') {
        if let Some((name, array)) = header_of(line) {
            header = Some((name, array, pos + line.len()));
        }
        pos += line.len();
    }
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line.split_once('=')?.0.trim().trim_matches('"').to_string();
    if key.is_empty() || key.starts_with('#') || key.starts_with('[') {
        return None;
    }
    let Some((table, array, block_start)) = header else {
        return Some(key);
    };
    if !array {
        return Some(format!("{table}.{key}"));
    }
    // An array entry ([[strategy]], [[item]]) is named by its `name` key.
    let name = text[block_start..]
        .lines()
        .take_while(|l| header_of(l).is_none())
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "name").then(|| {
                v.split('#')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
        });
    Some(match name {
        Some(n) if key != "name" => format!("{table}.{n}.{key}"),
        _ => format!("{table}.{key}"),
    })
}

/// Most renewals a scenario may count (`contract.renewals`).
pub const MAX_RENEWALS: usize = 4;

impl Scenario {
    /// Weeks from expiry over which revenue is counted: every renewal's term.
    pub fn horizon_weeks(&self) -> u32 {
        self.contract.term_weeks * self.contract.renewals
    }

    /// Parse and validate a scenario from TOML text. `source_name` names the
    /// file in error messages.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            ScenarioError::Syntax {
                source_name: source_name.to_string(),
                field: e.span().and_then(|span| field_at(text, span.start)),
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
    fn field_at_reads_headers_and_array_names() {
        let text = "name = \"x\"\n[payer.exec]\nsuccess_prob = 2\n[[strategy]]\nname = \"wait\"\nnotice = \"soon\"\n";
        let at = |needle: &str| field_at(text, text.find(needle).unwrap());
        assert_eq!(at("name").as_deref(), Some("name"));
        assert_eq!(
            at("success_prob").as_deref(),
            Some("payer.exec.success_prob")
        );
        assert_eq!(at("notice").as_deref(), Some("strategy.wait.notice"));
        assert_eq!(at("[[strategy]]"), None);
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
    }
}
