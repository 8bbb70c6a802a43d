//! `--set PATH=VALUE`: change any scenario input for one run.
//!
//! Paths are the dotted names used everywhere else: `payer.exec.success_prob`,
//! `contract.notice_weeks`, `strategy.wait.walk_away`, `item.denials.p_win_exec`.
//! An override is applied to the TOML tree before the scenario is read, so it
//! goes through exactly the same checks as the file itself. The list of valid
//! paths comes from the scenario with every default filled in, so it cannot
//! drift from the schema.

use std::collections::BTreeSet;

use toml::{Table, Value};

use super::{Scenario, ScenarioError};

/// One `PATH=VALUE` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted path of the field.
    pub path: String,
    /// The value as written (a number, a distribution, a trigger, ...).
    pub value: String,
}

impl Override {
    /// Parse `PATH=VALUE`.
    pub fn parse(text: &str) -> Result<Override, ScenarioError> {
        match text.split_once('=') {
            Some((path, value)) if !path.trim().is_empty() && !value.trim().is_empty() => {
                Ok(Override {
                    path: path.trim().to_string(),
                    value: value.trim().to_string(),
                })
            }
            _ => Err(ScenarioError::invalid(
                "--set",
                format!("{text:?}"),
                "write PATH=VALUE, e.g. --set payer.exec.success_prob=0.4 or --set 'payer.reservation=triangular(0.01,0.03,0.05)'",
            )),
        }
    }

    /// An override setting `path` to `value`.
    pub fn new(path: impl Into<String>, value: impl std::fmt::Display) -> Self {
        Override {
            path: path.into(),
            value: value.to_string(),
        }
    }
}

/// The TOML value of an override's text: a number, boolean or array if it
/// reads as one, otherwise a string (distributions, triggers, names).
fn value_of(text: &str) -> Value {
    if let Ok(table) = format!("v = {text}").parse::<Table>()
        && let Some(v) = table.get("v")
        && !v.is_table()
    {
        return v.clone();
    }
    Value::String(text.trim_matches(['"', '\'']).to_string())
}

/// Every leaf path of a TOML tree; array entries with a `name` are addressed
/// by it (`strategy.wait.walk_away`).
fn leaf_paths(prefix: &str, table: &Table, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Table(t) => leaf_paths(&path, t, out),
            Value::Array(entries) if entries.iter().all(Value::is_table) && !entries.is_empty() => {
                for entry in entries {
                    let t = entry.as_table().expect("checked above");
                    if let Some(Value::String(name)) = t.get("name") {
                        let mut inner = t.clone();
                        inner.remove("name");
                        leaf_paths(&format!("{path}.{name}"), &inner, out);
                    }
                }
            }
            _ => {
                out.insert(path);
            }
        }
    }
}

/// Levenshtein distance, for suggesting close paths.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The known paths closest to `path`, best first.
pub fn close_matches<'a>(path: &str, known: &'a BTreeSet<String>) -> Vec<&'a str> {
    let last = path.rsplit('.').next().unwrap_or(path);
    // Within a known section (`payer.notice.`, `strategy.wait.`), suggest
    // only that section's fields: the closest ones, or all of them.
    if let Some((section, _)) = path.rsplit_once('.') {
        let prefix = format!("{section}.");
        let fields: Vec<&str> = known
            .iter()
            .filter(|k| k.starts_with(&prefix) && !k[prefix.len()..].contains('.'))
            .map(String::as_str)
            .collect();
        if !fields.is_empty() {
            let mut scored: Vec<(usize, &str)> = fields
                .iter()
                .map(|k| (edit_distance(last, &k[prefix.len()..]), *k))
                .filter(|(d, k)| *d <= 3 || k[prefix.len()..].contains(last))
                .collect();
            scored.sort();
            return if scored.is_empty() {
                fields
            } else {
                scored.into_iter().take(3).map(|(_, k)| k).collect()
            };
        }
    }
    // Elsewhere: first the fields with the same name in another section.
    let same: Vec<&str> = known
        .iter()
        .filter(|k| k.rsplit('.').next() == Some(last) && k.as_str() != path)
        .map(String::as_str)
        .take(5)
        .collect();
    if !same.is_empty() && path.contains('.') {
        return same;
    }
    let mut scored: Vec<(usize, &str)> = known
        .iter()
        .map(|k| {
            let k_last = k.rsplit('.').next().unwrap_or(k);
            let d = edit_distance(path, k).min(edit_distance(last, k_last) + 2);
            (d, k.as_str())
        })
        .filter(|(d, _)| *d <= 6)
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, k)| k).collect()
}

/// Set `path` to `value` in the raw TOML tree of a scenario.
fn set_in(table: &mut Table, path: &str, value: Value) -> Option<()> {
    let parts: Vec<&str> = path.split('.').collect();
    let (first, rest) = parts.split_first()?;
    match (*first, rest) {
        ("strategy" | "item", [name, field @ ..]) if !field.is_empty() => {
            let array = table.get_mut(*first)?.as_array_mut()?;
            let entry = array.iter_mut().find_map(|e| {
                let t = e.as_table_mut()?;
                (t.get("name")?.as_str()? == *name).then_some(t)
            })?;
            set_nested(entry, field, value)
        }
        _ => set_nested(table, &parts, value),
    }
}

fn set_nested(table: &mut Table, parts: &[&str], value: Value) -> Option<()> {
    let (last, parents) = parts.split_last()?;
    let mut t = table;
    for p in parents {
        t = t
            .entry(p.to_string())
            .or_insert_with(|| Value::Table(Table::new()))
            .as_table_mut()?;
    }
    t.insert(last.to_string(), value);
    Some(())
}

impl Scenario {
    /// Every path `--set` accepts for this scenario.
    pub fn known_paths(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Ok(Value::Table(t)) = Value::try_from(self) {
            leaf_paths("", &t, &mut out);
        }
        out.insert("baseline".into());
        // Optional strategy fields, absent until set.
        for st in &self.strategies {
            for f in ["escalate_if_offer_below", "notice_if_offer_below"] {
                out.insert(format!("strategy.{}.{f}", st.name));
            }
        }
        out
    }

    /// This scenario with the overrides applied and checked.
    pub fn with_overrides(&self, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        if overrides.is_empty() {
            return Ok(self.clone());
        }
        let known = self.known_paths();
        let mut table = match Value::try_from(self) {
            Ok(Value::Table(t)) => t,
            _ => unreachable!("a scenario serializes to a TOML table"),
        };
        for o in overrides {
            let unknown = || {
                let mut parts = o.path.splitn(3, '.');
                if let (Some(kind @ ("strategy" | "item")), Some(name), Some(_)) =
                    (parts.next(), parts.next(), parts.next())
                {
                    let names: Vec<&str> = if kind == "strategy" {
                        self.strategies.iter().map(|s| s.name.as_str()).collect()
                    } else {
                        self.items.iter().map(|i| i.name.as_str()).collect()
                    };
                    if !names.contains(&name) {
                        return ScenarioError::invalid(
                            "--set",
                            format!("{}={}", o.path, o.value),
                            format!(
                                "no {kind} named `{name}`; the {kind} names are: {}",
                                names.join(", ")
                            ),
                        );
                    }
                }
                let close = close_matches(&o.path, &known);
                let hint = if close.is_empty() {
                    "not a scenario field; see `impasse init` for every field".to_string()
                } else {
                    format!("not a scenario field; did you mean {}?", close.join(", "))
                };
                ScenarioError::invalid("--set", format!("{}={}", o.path, o.value), hint)
            };
            if !known.contains(&o.path) {
                return Err(unknown());
            }
            set_in(&mut table, &o.path, value_of(&o.value)).ok_or_else(unknown)?;
        }
        let scenario: Scenario = Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| {
                let paths: Vec<&str> = overrides.iter().map(|o| o.path.as_str()).collect();
                ScenarioError::invalid(
                    "--set",
                    overrides
                        .iter()
                        .map(|o| format!("{}={}", o.path, o.value))
                        .collect::<Vec<_>>()
                        .join(" "),
                    format!("{} (in {})", e.message().trim(), paths.join(", ")),
                )
            })?;
        // An input pinned to a number has no correlations left: drop them, so
        // sweeps, tornado bars and threshold searches work on correlated inputs.
        let mut scenario = scenario;
        for o in overrides {
            let pinned = scenario
                .inputs()
                .iter()
                .any(|(path, dist)| path == &o.path && dist.is_fixed());
            if pinned {
                scenario = scenario.without_correlations_of(&o.path);
            }
        }
        scenario.validate()?;
        Ok(scenario)
    }

    /// This scenario with one input replaced by a distribution or number.
    pub fn with_input(&self, path: &str, value: &super::Dist) -> Result<Scenario, ScenarioError> {
        self.with_overrides(&[Override::new(path, value)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Dist, Trigger};

    #[test]
    fn overrides_reach_every_kind_of_field() {
        let s = Scenario::builtin();
        let t = s
            .with_overrides(&[
                Override::parse("payer.exec.success_prob=0.4").unwrap(),
                Override::parse("payer.reservation=triangular(0.01,0.03,0.05)").unwrap(),
                Override::parse("strategy.wait.walk_away=0.015").unwrap(),
                Override::parse("strategy.wait.escalation=-20").unwrap(),
                Override::parse("strategy.bluff.notice=on_impasse").unwrap(),
                Override::parse("item.denials.p_win_exec=0.9").unwrap(),
                Override::parse("contract.notice_weeks=12").unwrap(),
            ])
            .unwrap();
        assert_eq!(t.payer.exec.success_prob, Dist::Fixed(0.4));
        assert_eq!(
            t.payer.reservation,
            Dist::Triangular {
                min: 0.01,
                mode: 0.03,
                max: 0.05
            }
        );
        let wait = &t.strategies[t.strategy_index("wait").unwrap()];
        assert_eq!(wait.walk_away, 0.015);
        assert_eq!(wait.escalation, Trigger::Week(-20));
        let bluff = &t.strategies[t.strategy_index("bluff").unwrap()];
        assert_eq!(bluff.notice, Trigger::OnImpasse);
        assert_eq!(t.items[0].p_win_exec, Dist::Fixed(0.9));
        assert_eq!(t.contract.notice_weeks, 12);
    }

    #[test]
    fn unknown_paths_list_close_matches() {
        let s = Scenario::builtin();
        let err = s
            .with_overrides(&[Override::parse("payer.exec.succes_prob=0.4").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("payer.exec.success_prob"), "{err}");
        let err = s
            .with_overrides(&[Override::parse("strategy.nope.walk_away=0.4").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no strategy named `nope`") && err.contains("wait"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_checked_like_the_file() {
        let s = Scenario::builtin();
        let err = s
            .with_overrides(&[Override::parse("payer.exec.success_prob=1.5").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("payer.exec.success_prob") && err.contains("1.5"),
            "{err}"
        );
        let err = s
            .with_overrides(&[Override::parse("payer.reservation=pert(1,2)").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("pert takes 3 arguments"), "{err}");
        assert!(Override::parse("novalue").is_err());
    }

    #[test]
    fn known_paths_cover_the_inputs() {
        let s = Scenario::builtin();
        let known = s.known_paths();
        for (path, _) in s.inputs() {
            assert!(known.contains(&path), "{path}");
        }
        assert!(known.contains("strategy.wait.escalation"));
        assert!(known.contains("impasse.stall_weeks"));
    }
}
