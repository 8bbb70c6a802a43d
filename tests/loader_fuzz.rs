//! Property test of the scenario loader: the built-in scenario with one to
//! three of its values replaced by arbitrary text (numbers huge, tiny,
//! negative or not finite; distributions with odd arguments; strings,
//! booleans, arrays, tables; broken syntax) either loads, validates and
//! plays a few paths with finite results, or gives one clear error: a
//! single line naming what is wrong. Never a panic.

use impasse::engine::{RunConfig, Simulation, baseline_pairs};
use impasse::scenario::{DEFAULT_SCENARIO_TOML, Scenario};
use proptest::prelude::*;

/// The lines of the built-in scenario that set a value (`key = value`).
fn value_lines() -> Vec<usize> {
    DEFAULT_SCENARIO_TOML
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.starts_with('#') && !t.starts_with('[') && t.contains(" = ")
        })
        .map(|(i, _)| i)
        .collect()
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x:?}")),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("nan".to_string()),
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1e-320".to_string()),
        (-1e6f64..1e6).prop_map(|x| format!("{x}")),
        (0f64..1.0).prop_map(|x| format!("{x}")),
        (-60i64..200).prop_map(|x| x.to_string()),
    ]
}

fn replacement() -> impl Strategy<Value = String> {
    let dist = (
        prop_oneof![
            Just("uniform"),
            Just("triangular"),
            Just("pert"),
            Just("normal"),
            Just("lognormal"),
            Just("beta"),
            Just("gamma"),
        ],
        prop::collection::vec(number(), 0..5),
    )
        .prop_map(|(name, args)| format!("\"{name}({})\"", args.join(", ")));
    prop_oneof![
        4 => number(),
        3 => dist,
        1 => Just("\"\"".to_string()),
        1 => Just("true".to_string()),
        1 => Just("[1, 2]".to_string()),
        1 => Just("{ dist = \"pert\", min = 0.3, mode = 0.1, max = 0.2 }".to_string()),
        1 => Just("\"never\"".to_string()),
        1 => Just("\"on_impasse\"".to_string()),
        1 => Just("\"week(-3)\"".to_string()),
        1 => Just("= =".to_string()),
        1 => "[a-z0-9 .,()\"'-]{0,12}",
    ]
}

/// The built-in scenario with the values of the chosen lines replaced.
fn mutate(edits: &[(usize, String)]) -> String {
    let lines = value_lines();
    let mut text: Vec<String> = DEFAULT_SCENARIO_TOML.lines().map(String::from).collect();
    for (pick, value) in edits {
        let at = lines[pick % lines.len()];
        let key = text[at].split(" = ").next().unwrap().to_string();
        text[at] = format!("{key} = {value}");
    }
    text.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn every_input_loads_or_gives_one_clear_error(
        edits in prop::collection::vec((any::<usize>(), replacement()), 1..4)
    ) {
        let text = mutate(&edits);
        match Scenario::from_toml(&text, "fuzz.toml") {
            Err(e) => {
                let message = e.to_string();
                prop_assert!(!message.trim().is_empty());
                prop_assert!(!message.contains('\n'), "one line: {}", message);
            }
            Ok(s) => {
                // It loaded, so it was validated: it plays, with finite money.
                let sim = Simulation::new(&s);
                let pairs = baseline_pairs(&s);
                let summary = sim.run(&RunConfig { threads: Some(1), ..RunConfig::new(40, 1) }, &pairs, &|_| {});
                let summary = summary.unwrap();
                for st in &summary.strategies {
                    prop_assert!(st.revenue.mean().is_finite(), "{:?}", edits);
                    prop_assert!(st.margin.mean().is_finite(), "{:?}", edits);
                }
            }
        }
    }
}

#[test]
fn the_unmutated_scenario_loads() {
    assert!(value_lines().len() > 80);
    assert!(Scenario::from_toml(&mutate(&[]), "x").is_ok());
}
