//! `[[correlation]]`: rank correlations between uncertain inputs, drawn
//! through a Gaussian copula. Checked here: the sample Spearman correlations
//! match their targets, each input keeps its own distribution, inputs outside
//! any correlation are drawn bit for bit as without one (common random
//! numbers), and every mistake in an entry is a clear error.

use impasse::engine::Simulation;
use impasse::model::World;
use impasse::scenario::{Dist, Override, Scenario, ScenarioError};

/// A small scenario whose uncertain inputs have different marginals: a
/// lognormal, a PERT, a uniform and two triangulars.
const BASE: &str = r#"
name = "correlated"

[contract]
annual_revenue = "lognormal(18.2, 0.15)"
attributed_patients = 20000

[payer]
reservation = "pert(0.01, 0.025, 0.045)"

[payer.exec]
reservation_gain = "uniform(0.005, 0.02)"

[provider.oon]
volume_retention = "triangular(0.25, 0.35, 0.45)"

[[item]]
name = "denials"
annual_value = "triangular(0.8e6, 1.2e6, 1.8e6)"
transfer_share = 0.8
p_win_staff = 0.3
p_win_exec = 0.6

[[strategy]]
name = "wait"
"#;

/// The correlations under test: one group of three inputs (one target
/// negative) and one pair apart.
const ENTRIES: &str = r#"
[[correlation]]
between = ["payer.reservation", "payer.exec.reservation_gain"]
rank = 0.5

[[correlation]]
between = ["payer.reservation", "contract.annual_revenue"]
rank = -0.4

[[correlation]]
between = ["contract.annual_revenue", "payer.exec.reservation_gain"]
rank = 0.2

[[correlation]]
between = ["item.denials.annual_value", "provider.oon.volume_retention"]
rank = -0.7
"#;

const PATHS: u64 = 50_000;

fn scenario(extra: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_toml(&format!("{BASE}\n{extra}"), "<test>")
}

/// The inputs under test, by path, read from a world.
const INPUTS: [&str; 5] = [
    "contract.annual_revenue",
    "payer.reservation",
    "payer.exec.reservation_gain",
    "provider.oon.volume_retention",
    "item.denials.annual_value",
];

fn value(w: &World, path: &str) -> f64 {
    match path {
        "contract.annual_revenue" => w.annual_revenue,
        "payer.reservation" => w.payer_reservation,
        "payer.exec.reservation_gain" => w.exec_reservation_gain,
        "provider.oon.volume_retention" => w.volume_retention,
        "item.denials.annual_value" => w.items[0].annual_value,
        _ => unreachable!("{path}"),
    }
}

/// `samples[k][i]`: input `INPUTS[k]` on path `i`.
fn draw(s: &Scenario, paths: u64, seed: u64) -> Vec<Vec<f64>> {
    let sim = Simulation::new(s);
    let mut samples = vec![Vec::with_capacity(paths as usize); INPUTS.len()];
    for i in 0..paths {
        let w = sim.world(seed, i);
        for (k, path) in INPUTS.iter().enumerate() {
            samples[k].push(value(&w, path));
        }
    }
    samples
}

/// Ranks 0..n of `x` (the draws are continuous: no ties).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    for (rank, &i) in order.iter().enumerate() {
        r[i] = rank as f64;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

fn index(path: &str) -> usize {
    INPUTS.iter().position(|p| *p == path).unwrap()
}

#[test]
fn sample_rank_correlations_match_their_targets() {
    let s = scenario(ENTRIES).unwrap();
    let samples = draw(&s, PATHS, 1);
    let targets = [
        ("payer.reservation", "payer.exec.reservation_gain", 0.5),
        ("payer.reservation", "contract.annual_revenue", -0.4),
        (
            "contract.annual_revenue",
            "payer.exec.reservation_gain",
            0.2,
        ),
        (
            "item.denials.annual_value",
            "provider.oon.volume_retention",
            -0.7,
        ),
        // Across the two groups: independent.
        ("payer.reservation", "provider.oon.volume_retention", 0.0),
        ("contract.annual_revenue", "item.denials.annual_value", 0.0),
    ];
    for (a, b, target) in targets {
        let got = spearman(&samples[index(a)], &samples[index(b)]);
        // 4 standard errors, SE = (1 - ρ²)/sqrt(n - 1): tight enough to tell
        // the copula's r = 2 sin(πρ/6) from a plain r = ρ (0.017 apart at 0.5).
        let tolerance = 4.0 * (1.0 - target * target) / ((PATHS - 1) as f64).sqrt();
        assert!(
            (got - target).abs() < tolerance,
            "{a} ~ {b}: sample Spearman {got:.4}, target {target}, tolerance {tolerance:.4}"
        );
    }
}

#[test]
fn correlated_inputs_keep_their_own_distributions() {
    let s = scenario(ENTRIES).unwrap();
    let samples = draw(&s, PATHS, 2);
    let inputs = s.inputs();
    let n = PATHS as f64;
    let critical = 1.63 / n.sqrt();
    for (k, path) in INPUTS.iter().enumerate() {
        let dist: &Dist = &inputs.iter().find(|(p, _)| p == path).unwrap().1;
        let mut v = samples[k].clone();
        v.sort_by(f64::total_cmp);
        let ks = v
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = dist.cdf(x);
                (f - i as f64 / n).max((i + 1) as f64 / n - f)
            })
            .fold(0.0, f64::max);
        assert!(
            ks < critical,
            "{path} ({dist}): KS statistic {ks:.5} >= {critical:.5}"
        );
        let mean = v.iter().sum::<f64>() / n;
        let se = (dist.variance() / n).sqrt();
        assert!(
            (mean - dist.mean()).abs() < 4.0 * se,
            "{path} ({dist}): sample mean {mean}, exact {}, se {se}",
            dist.mean()
        );
        let (lo, hi) = dist.support();
        assert!(
            v[0] >= lo && v[v.len() - 1] <= hi,
            "{path}: outside support"
        );
    }
}

#[test]
fn inputs_outside_any_correlation_are_drawn_bit_for_bit_as_before() {
    let plain = scenario("").unwrap();
    let correlated = scenario(ENTRIES).unwrap();
    let (a, b) = (Simulation::new(&plain), Simulation::new(&correlated));
    let mut moved = 0;
    for i in 0..2000 {
        let wa = a.world(9, i);
        let mut wb = b.world(9, i);
        // The correlated inputs are drawn differently ...
        moved += usize::from(wa.payer_reservation != wb.payer_reservation);
        // ... and nothing else is: overwrite them and the worlds are equal.
        wb.annual_revenue = wa.annual_revenue;
        wb.payer_reservation = wa.payer_reservation;
        wb.exec_reservation_gain = wa.exec_reservation_gain;
        wb.volume_retention = wa.volume_retention;
        wb.items[0].annual_value = wa.items[0].annual_value;
        assert_eq!(format!("{wa:?}"), format!("{wb:?}"), "path {i}");
    }
    assert!(moved > 1900, "{moved}");

    // The same holds on the built-in scenario, the one whose numbers
    // tests/engine.rs pins.
    let builtin = Scenario::builtin();
    let text = format!(
        "{}\n[[correlation]]\nbetween = [\"payer.reservation\", \"payer.concession_exponent\"]\nrank = 0.6\n",
        impasse::scenario::DEFAULT_SCENARIO_TOML
    );
    let with = Scenario::from_toml(&text, "<test>").unwrap();
    let (a, b) = (Simulation::new(&builtin), Simulation::new(&with));
    for i in 0..500 {
        let wa = a.world(1, i);
        let mut wb = b.world(1, i);
        wb.payer_reservation = wa.payer_reservation;
        wb.payer_exponent = wa.payer_exponent;
        assert_eq!(format!("{wa:?}"), format!("{wb:?}"), "path {i}");
    }
}

#[test]
fn changing_a_correlated_inputs_distribution_leaves_other_draws_alone() {
    let s = scenario(ENTRIES).unwrap();
    let t = s
        .with_input(
            "payer.reservation",
            &Dist::Triangular {
                min: 0.0,
                mode: 0.02,
                max: 0.06,
            },
        )
        .unwrap();
    let (a, b) = (Simulation::new(&s), Simulation::new(&t));
    for i in 0..500 {
        let wa = a.world(4, i);
        let mut wb = b.world(4, i);
        assert_ne!(wa.payer_reservation, wb.payer_reservation);
        // Same uniform, other quantile function.
        let u = s.payer.reservation.cdf(wa.payer_reservation);
        assert!((t.payer.reservation.cdf(wb.payer_reservation) - u).abs() < 1e-9);
        wb.payer_reservation = wa.payer_reservation;
        assert_eq!(format!("{wa:?}"), format!("{wb:?}"), "path {i}");
    }
}

#[test]
fn fixing_an_input_for_an_analysis_drops_its_correlations() {
    let s = scenario(ENTRIES).unwrap();
    let fixed = s
        .without_correlations_of("payer.reservation")
        .with_input("payer.reservation", &Dist::Fixed(0.03))
        .unwrap();
    assert_eq!(fixed.correlations.len(), 2);
    assert!(
        fixed
            .correlations
            .iter()
            .all(|c| !c.between.contains(&"payer.reservation".to_string()))
    );
    let sim = Simulation::new(&fixed);
    assert_eq!(sim.world(1, 0).payer_reservation, 0.03);
}

#[test]
fn correlated_worlds_are_reproducible() {
    let s = scenario(ENTRIES).unwrap();
    let copy = s.clone();
    let (a, b) = (Simulation::new(&s), Simulation::new(&copy));
    for i in 0..200 {
        assert_eq!(
            format!("{:?}", a.world(5, i)),
            format!("{:?}", b.world(5, i))
        );
    }
    assert_ne!(
        a.world(5, 0).payer_reservation,
        a.world(6, 0).payer_reservation
    );
}

#[test]
fn many_correlated_inputs_use_a_larger_buffer() {
    // Ten items with four uncertain inputs each, chained by rank 0.3: 40
    // correlated inputs, more than the sampler keeps on the stack.
    let mut text = String::from(
        "[contract]\nannual_revenue = 1e8\nattributed_patients = 1000\n[[strategy]]\nname = \"wait\"\n",
    );
    for k in 0..10 {
        text += &format!(
            "[[item]]\nname = \"i{k}\"\nannual_value = \"uniform(0, 1e6)\"\ntransfer_share = \"uniform(0, 1)\"\n\
             p_win_staff = \"uniform(0, 0.5)\"\np_win_exec = \"uniform(0.5, 1)\"\n"
        );
    }
    let fields = [
        "annual_value",
        "transfer_share",
        "p_win_staff",
        "p_win_exec",
    ];
    let paths: Vec<String> = (0..10)
        .flat_map(|k| fields.map(|f| format!("item.i{k}.{f}")))
        .collect();
    for pair in paths.windows(2) {
        text += &format!(
            "[[correlation]]\nbetween = [\"{}\", \"{}\"]\nrank = 0.3\n",
            pair[0], pair[1]
        );
    }
    let s = Scenario::from_toml(&text, "<test>").unwrap();
    let sim = Simulation::new(&s);
    let n = 20_000;
    let (mut first, mut second, mut last) = (vec![], vec![], vec![]);
    for i in 0..n {
        let w = sim.world(3, i);
        first.push(w.items[0].annual_value);
        second.push(w.items[0].transfer_share);
        last.push(w.items[9].p_win_exec);
        assert!((0.5..=1.0).contains(&w.items[9].p_win_exec));
    }
    let tolerance = 4.0 / ((n - 1) as f64).sqrt();
    let got = spearman(&first, &second);
    assert!((got - 0.3).abs() < tolerance, "{got}");
    // Forty links apart: practically independent.
    let got = spearman(&first, &last);
    assert!(got.abs() < tolerance, "{got}");
}

/// The `Invalid` error of a scenario with `entries`: (field, value, message).
fn invalid(entries: &str) -> (String, String, String) {
    match scenario(entries) {
        Err(e @ ScenarioError::Invalid { .. }) => {
            let text = e.to_string();
            let ScenarioError::Invalid { field, value, .. } = e else {
                unreachable!()
            };
            (field, value, text)
        }
        other => panic!("expected an invalid-value error, got {other:?}"),
    }
}

fn entry(a: &str, b: &str, rank: &str) -> String {
    format!("[[correlation]]\nbetween = [\"{a}\", \"{b}\"]\nrank = {rank}\n")
}

#[test]
fn the_readme_example_is_valid() {
    let s = scenario(&entry(
        "payer.reservation",
        "payer.exec.reservation_gain",
        "0.5",
    ))
    .unwrap();
    assert_eq!(s.correlations.len(), 1);
    assert_eq!(s.correlations[0].rank, 0.5);
    // A scenario round-trips through --set with its correlations.
    let t = s
        .with_overrides(&[Override::new("payer.exec.success_prob", "0.4")])
        .unwrap();
    assert_eq!(t.correlations, s.correlations);
}

#[test]
fn an_unknown_input_is_named_with_close_matches() {
    let (field, value, text) = invalid(&entry(
        "payer.reservaton",
        "payer.exec.reservation_gain",
        "0.5",
    ));
    assert_eq!(field, "correlation[1].between");
    assert!(value.contains("payer.reservaton"), "{value}");
    assert!(
        text.contains("`payer.reservaton` is not an input"),
        "{text}"
    );
    assert!(text.contains("did you mean payer.reservation"), "{text}");
    // Nothing close: the uncertain inputs are listed.
    let (_, _, text) = invalid(&entry("payer.reservation", "weather", "0.5"));
    assert!(
        text.contains("the uncertain inputs of this scenario are"),
        "{text}"
    );
    assert!(text.contains("provider.oon.volume_retention"), "{text}");
    // A strategy's numbers are decisions, not inputs.
    let (_, _, text) = invalid(&entry(
        "payer.reservation",
        "strategy.wait.walk_away",
        "0.5",
    ));
    assert!(text.contains("not an input"), "{text}");
}

#[test]
fn a_fixed_input_cannot_be_correlated() {
    let (field, _, text) = invalid(&entry(
        "payer.reservation",
        "payer.exec.success_prob",
        "0.5",
    ));
    assert_eq!(field, "correlation[1].between");
    assert!(
        text.contains("`payer.exec.success_prob` is fixed at 0.5"),
        "{text}"
    );
    assert!(text.contains("give it a distribution"), "{text}");
    // Pinning a correlated input with --set (as a sweep, a tornado bar or a
    // threshold search does) drops its correlations: a constant has none.
    let s = scenario(&entry(
        "payer.reservation",
        "payer.exec.reservation_gain",
        "0.5",
    ))
    .unwrap();
    let pinned = s
        .with_overrides(&[Override::new("payer.reservation", "0.03")])
        .unwrap();
    assert!(pinned.correlations.is_empty());
    // A distribution keeps them.
    let widened = s
        .with_overrides(&[Override::new("payer.reservation", "uniform(0.01, 0.05)")])
        .unwrap();
    assert_eq!(widened.correlations, s.correlations);
}

#[test]
fn an_input_cannot_be_correlated_with_itself() {
    let (field, _, text) = invalid(&entry("payer.reservation", "payer.reservation", "0.5"));
    assert_eq!(field, "correlation[1].between");
    assert!(text.contains("names `payer.reservation` twice"), "{text}");
}

#[test]
fn a_pair_given_twice_is_an_error() {
    let entries = format!(
        "{}{}{}",
        entry("payer.reservation", "payer.exec.reservation_gain", "0.5"),
        entry(
            "contract.annual_revenue",
            "payer.exec.reservation_gain",
            "0.1"
        ),
        entry("payer.exec.reservation_gain", "payer.reservation", "0.4"),
    );
    let (field, _, text) = invalid(&entries);
    assert_eq!(field, "correlation[3].between");
    assert!(
        text.contains("already correlated by correlation[1]"),
        "{text}"
    );
}

#[test]
fn a_rank_outside_minus_one_to_one_is_an_error() {
    for rank in ["1.5", "-1.01", "nan", "inf"] {
        let (field, value, text) = invalid(&entry(
            "payer.reservation",
            "payer.exec.reservation_gain",
            rank,
        ));
        assert_eq!(field, "correlation[1].rank", "{rank}");
        assert_eq!(value, rank.parse::<f64>().unwrap().to_string());
        assert!(text.contains("must lie in [-1, 1]"), "{text}");
        assert!(
            text.contains("`payer.reservation` and `payer.exec.reservation_gain`"),
            "{text}"
        );
    }
    // The ends are allowed.
    scenario(&entry(
        "payer.reservation",
        "payer.exec.reservation_gain",
        "-1",
    ))
    .unwrap();
}

#[test]
fn correlations_that_cannot_hold_together_are_an_error() {
    let entries = format!(
        "{}{}{}",
        entry("payer.reservation", "payer.exec.reservation_gain", "0.8"),
        entry(
            "payer.exec.reservation_gain",
            "contract.annual_revenue",
            "0.8"
        ),
        entry("payer.reservation", "contract.annual_revenue", "-0.8"),
    );
    let (field, value, text) = invalid(&entries);
    assert_eq!(field, "correlation[1], correlation[2], correlation[3]");
    assert_eq!(value, "0.8, 0.8, -0.8");
    assert!(text.contains("not positive definite"), "{text}");
    assert!(text.contains("weaken some of them"), "{text}");
    assert!(text.contains("payer.reservation"), "{text}");
}

#[test]
fn an_entry_must_name_two_inputs() {
    let (field, _, text) =
        invalid("[[correlation]]\nbetween = [\"payer.reservation\"]\nrank = 0.5\n");
    assert_eq!(field, "correlation[1].between");
    assert!(text.contains("exactly two inputs"), "{text}");
}

#[test]
fn unknown_keys_are_errors() {
    let err = scenario(
        "[[correlation]]\nbetween = [\"payer.reservation\", \"payer.exec.reservation_gain\"]\nspearman = 0.5\n",
    )
    .unwrap_err();
    let ScenarioError::Syntax { field, message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(field.as_deref(), Some("correlation.spearman"));
    assert!(message.contains("unknown field `spearman`"), "{message}");
    let err = scenario(
        "[[correlation]]\nbetween = [\"payer.reservation\", \"payer.exec.reservation_gain\"]\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing field `rank`"), "{err}");
}
