//! The comments a scenario file gives its fields: the note or source a
//! report's assumptions table shows beside each input.
//!
//! A field's note is the block of `#` comment lines directly above it (up to
//! a blank line) plus any comment at the end of its own line. Array entries
//! (`[[strategy]]`, `[[item]]`) are addressed by their `name`, as everywhere
//! else (`item.denials.annual_value`).

use std::collections::BTreeMap;

/// Notes by dotted field path.
pub fn field_notes(text: &str) -> BTreeMap<String, String> {
    let mut notes = BTreeMap::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut table = String::new();
    let mut array_entry: Option<(String, Vec<(String, String)>)> = None;
    let mut pending: Vec<String> = Vec::new();
    // A comment block above several keys (no blank line between) is shared.
    let mut shared = String::new();
    let flush_entry = |entry: &mut Option<(String, Vec<(String, String)>)>,
                       notes: &mut BTreeMap<String, String>| {
        if let Some((table, fields)) = entry.take() {
            let entry_name = fields
                .iter()
                .find_map(|(k, v)| (k == "__name").then(|| v.clone()));
            if let Some(n) = entry_name {
                for (k, v) in fields {
                    if k != "__name" && !v.is_empty() {
                        notes.insert(format!("{table}.{n}.{k}"), v);
                    }
                }
            }
        }
    };
    for line in &lines {
        let t = line.trim();
        if t.is_empty() {
            pending.clear();
            shared.clear();
            continue;
        }
        if let Some(c) = t.strip_prefix('#') {
            pending.push(c.trim().to_string());
            continue;
        }
        if let Some(inner) = t.strip_prefix("[[") {
            flush_entry(&mut array_entry, &mut notes);
            let name = inner.split("]]").next().unwrap_or("").trim().to_string();
            array_entry = Some((name.clone(), Vec::new()));
            table = name;
            pending.clear();
            shared.clear();
            continue;
        }
        if let Some(inner) = t.strip_prefix('[') {
            flush_entry(&mut array_entry, &mut notes);
            table = inner.split(']').next().unwrap_or("").trim().to_string();
            pending.clear();
            shared.clear();
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            pending.clear();
            continue;
        };
        let key = key.trim().trim_matches('"').to_string();
        let inline = comment_start(value)
            .map(|idx| value[idx + 1..].trim().to_string())
            .unwrap_or_default();
        let above = if pending.is_empty() {
            // No comment of its own: share the block above the previous key.
            if inline.is_empty() {
                shared.clone()
            } else {
                String::new()
            }
        } else {
            shared = pending.join(" ");
            shared.clone()
        };
        pending.clear();
        let note = match (above.is_empty(), inline.is_empty()) {
            (false, false) => format!("{above} {inline}"),
            (false, true) => above,
            _ => inline,
        };
        match &mut array_entry {
            Some((_, fields)) => {
                if key == "name" {
                    let v = value.split('#').next().unwrap_or("").trim();
                    fields.push(("__name".into(), v.trim_matches('"').to_string()));
                }
                fields.push((key, note));
            }
            None => {
                let path = if table.is_empty() {
                    key
                } else {
                    format!("{table}.{key}")
                };
                if !note.is_empty() {
                    notes.insert(path, note);
                }
            }
        }
    }
    flush_entry(&mut array_entry, &mut notes);
    notes
}

/// Byte index of a `#` that starts a comment in a value (outside quotes).
fn comment_start(value: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::DEFAULT_SCENARIO_TOML;

    #[test]
    fn notes_come_from_the_comments_above_and_beside() {
        let text = "# Title\n\n[payer]\n# The payer's limit.\n# (source: HFMA)\nreservation = 0.03\nopening_offer = 0.0 # flat\n\n[[item]]\nname = \"denials\"\n# Denials cost.\nannual_value = 5 # Kodiak\n";
        let n = field_notes(text);
        assert_eq!(n["payer.reservation"], "The payer's limit. (source: HFMA)");
        assert_eq!(n["payer.opening_offer"], "flat");
        assert_eq!(n["item.denials.annual_value"], "Denials cost. Kodiak");
        assert!(!n.contains_key("item.denials.name"));
    }

    #[test]
    fn every_input_of_the_builtin_scenario_has_a_note() {
        let notes = field_notes(DEFAULT_SCENARIO_TOML);
        let s = crate::scenario::Scenario::builtin();
        let missing: Vec<String> = s
            .inputs()
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| !notes.contains_key(p))
            .collect();
        assert!(missing.is_empty(), "inputs without a note: {missing:?}");
    }
}
