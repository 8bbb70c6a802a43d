//! Every scenario field has a plain-English label and a unit, and numbers
//! are written in that unit (`$0.25M`, `2.0 % a year`, `55 %`, `6 weeks`).

use std::collections::BTreeSet;

use impasse::scenario::labels::{Unit, describe, entries, format_dist, format_value, label};
use impasse::scenario::{Dist, Scenario};

/// The four shipped scenarios.
fn scenarios() -> Vec<Scenario> {
    let mut out = vec![Scenario::builtin()];
    for name in [
        "academic-medical-center",
        "physician-group",
        "rural-hospital",
    ] {
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        out.push(Scenario::from_path(std::path::Path::new(&path)).unwrap());
    }
    out
}

#[test]
fn every_input_of_every_shipped_scenario_has_a_label() {
    let mut missing = BTreeSet::new();
    let mut covered = BTreeSet::new();
    for s in scenarios() {
        for (path, _) in s.inputs() {
            match label(&path) {
                Some(_) => covered.insert(path),
                None => missing.insert(format!("{}: {path}", s.name)),
            };
        }
    }
    assert!(missing.is_empty(), "inputs without a label: {missing:?}");
    // The default scenario alone has 60-odd inputs.
    assert!(covered.len() > 60, "{}", covered.len());
}

#[test]
fn every_field_of_every_shipped_scenario_has_a_label() {
    // `known_paths` lists every field `--set` accepts, from the scenario
    // with every default filled in: a schema field added without a label
    // fails here.
    let mut missing = BTreeSet::new();
    for s in scenarios() {
        for path in s.known_paths() {
            if label(&path).is_none() {
                missing.insert(format!("{}: {path}", s.name));
            }
        }
    }
    assert!(missing.is_empty(), "fields without a label: {missing:?}");
}

#[test]
fn every_strategy_and_item_field_has_a_label() {
    for s in scenarios() {
        for st in &s.strategies {
            let toml::Value::Table(fields) = toml::Value::try_from(st).unwrap() else {
                panic!("a strategy serializes to a table");
            };
            assert!(fields.len() >= 13, "{fields:?}");
            for field in fields.keys() {
                let path = format!("strategy.{}.{field}", st.name);
                assert!(label(&path).is_some(), "no label for {path}");
            }
        }
        for item in &s.items {
            let toml::Value::Table(fields) = toml::Value::try_from(item).unwrap() else {
                panic!("an item serializes to a table");
            };
            for field in fields.keys() {
                let path = format!("item.{}.{field}", item.name);
                assert!(label(&path).is_some(), "no label for {path}");
            }
        }
    }
}

#[test]
fn labels_are_plain_words() {
    let mut texts = BTreeSet::new();
    for (path, l) in entries() {
        let t = l.text;
        assert!(!t.is_empty(), "{path}");
        for bad in ['.', '_', '(', ')', '`'] {
            assert!(!t.contains(bad), "{path}: {t:?} contains {bad:?}");
        }
        assert!(t.chars().count() <= 60, "{path}: {t:?} is too long");
        assert!(
            !t.starts_with(|c: char| c.is_uppercase()),
            "{path}: {t:?} should start in lower case"
        );
        assert_eq!(t.trim(), t, "{path}");
        // Two fields with the same words would be confused in a report.
        assert!(texts.insert(t), "{path}: {t:?} is used twice");
    }
}

#[test]
fn named_fields_share_their_label_and_describe_names_them() {
    let l = label("payer.notice.credibility").unwrap();
    assert_eq!(l.text, "the payer's belief in a real notice");
    assert_eq!(l.unit, Unit::Probability);
    assert_eq!(
        label("strategy.wait.walk_away"),
        label("strategy.some.other.name.walk_away")
    );
    assert_eq!(
        label("item.denials.annual_value").unwrap().unit,
        Unit::Dollars
    );
    assert_eq!(
        describe("strategy.wait.walk_away"),
        "wait: the lowest uplift the provider accepts at staff level"
    );
    assert_eq!(
        describe("payer.notice.credibility"),
        "the payer's belief in a real notice"
    );
    // Unknown paths are described by themselves and have no label.
    assert_eq!(describe("payer.nope"), "payer.nope");
    assert!(label("payer.nope").is_none());
    assert!(label("strategy.wait.nope").is_none());
    assert!(label("strategy.wait").is_none());
    assert!(label("payer").is_none());
}

#[test]
fn values_are_written_in_their_unit() {
    let cases: &[(&str, f64, &str)] = &[
        // Dollars: $M, $B, in full below $10,000.
        ("data.cost", 250_000.0, "$0.25M"),
        ("contract.annual_revenue", 80e6, "$80M"),
        ("contract.annual_revenue", 74_456_789.0, "$74.5M"),
        ("provider.other_revenue", 2.5e9, "$2.5B"),
        ("provider.escalation_cost", 50_000.0, "$0.05M"),
        ("provider.escalation_cost", 5_000.0, "$5,000"),
        ("item.denials.annual_value", -1.2e6, "-$1.2M"),
        ("decision.risk_tolerance", f64::INFINITY, "no limit"),
        (
            "decision.patient_week_price",
            1_200.0,
            "$1,200 per patient-week",
        ),
        // Yearly uplifts and rates.
        ("payer.reservation", 0.02, "2.0 % a year"),
        ("payer.notice.called_bluff_cut", 0.0025, "0.25 % a year"),
        ("strategy.wait.walk_away", 0.015, "1.5 % a year"),
        ("contract.discount_rate", 0.05, "5.0 % a year"),
        // Probabilities and shares.
        ("payer.notice.credibility", 0.55, "55 %"),
        ("payer.notice.bluff_credibility", 0.275, "27.5 %"),
        ("provider.oon.volume_retention", 1.0, "100 %"),
        ("item.denials.p_win_exec", 0.0, "0 %"),
        ("provider.oon.weekly_switch_rate", 0.004, "0.4 % a week"),
        // Time.
        ("provider.notice.letter_weeks", 6.0, "6 weeks"),
        ("impasse.stall_weeks", 1.0, "1 week"),
        ("payer.response_weeks", 5.73, "5.7 weeks"),
        ("strategy.bluff.notice", -16.0, "16 weeks before expiry"),
        ("strategy.bluff.escalation", 0.0, "at expiry"),
        // Others.
        ("payer.concession_exponent", 4.0, "4.0"),
        ("payer.oon.return_shape", 1.5, "1.5"),
        ("payer.exec.retry_factor", 0.25, "×0.25"),
        ("contract.renewals", 2.0, "2"),
        ("contract.attributed_patients", 24_000.0, "24,000 patients"),
        ("decision.max_patients_affected", f64::INFINITY, "no limit"),
        ("strategy.wait.data_prep", 1.0, "yes"),
        ("strategy.wait.data_prep", 0.0, "no"),
        // A path without a label: a plain number.
        ("no.such.field", 0.125, "0.125"),
    ];
    for &(path, x, want) in cases {
        assert_eq!(format_value(path, x), want, "{path} = {x}");
    }
}

#[test]
fn every_shipped_input_formats_its_value() {
    // Every input's mean, written in its unit, is neither empty nor a bare
    // dotted path; money is in $ and shares in %.
    for s in scenarios() {
        for (path, dist) in s.inputs() {
            let text = format_value(&path, dist.mean());
            assert!(!text.is_empty() && !text.contains('_'), "{path}: {text}");
            match label(&path).unwrap().unit {
                Unit::Dollars => assert!(text.contains('$'), "{path}: {text}"),
                Unit::Probability | Unit::Share | Unit::YearlyUplift => {
                    assert!(text.contains('%'), "{path}: {text}")
                }
                _ => {}
            }
        }
    }
}

#[test]
fn distributions_are_written_in_their_unit() {
    let d = |text: &str| Dist::parse(text).unwrap();
    assert_eq!(format_dist("payer.notice.credibility", &d("0.55")), "55 %");
    assert_eq!(
        format_dist(
            "contract.annual_revenue",
            &d("triangular(72e6, 80e6, 86e6)")
        ),
        "$72M to $86M, most likely $80M"
    );
    assert_eq!(
        format_dist("payer.reservation", &d("pert(0.008, 0.02, 0.035)")),
        "0.8 to 3.5 % a year, most likely 2.0 % a year"
    );
    assert_eq!(
        format_dist("payer.response_weeks", &d("uniform(4, 13)")),
        "4 to 13 weeks"
    );
    let normal = format_dist("provider.alignment", &d("normal(0.8, 0.05)"));
    assert!(normal.starts_with("mean 80 %, 90 % within "), "{normal}");
    assert!(!normal.contains('('), "{normal}");
}
