//! The decision objective (`[decision]`) and the recommendation rule: the
//! certainty equivalent against its closed form, and each part of the rule
//! (materiality, most worlds, limits, risk tolerance, objective) shown going
//! both ways. Outcome ranges of paired differences in the JSON.

use std::process::Command;

use impasse::analysis::recommend::recommend;
use impasse::engine::stats::CertaintyEquivalent;
use impasse::engine::{RunConfig, RunSummary, Scoring, Simulation, all_pairs};
use impasse::model::Outcome;
use impasse::scenario::{Objective, Scenario};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::Value;

#[test]
fn certainty_equivalent_of_a_normal_is_mean_minus_variance_over_twice_the_tolerance() {
    // X ~ N(mu, sigma): CE = mu - sigma^2 / (2 R) exactly.
    let (mu, sigma, r) = (200e6, 20e6, 50e6);
    let normal = Normal::new(mu, sigma).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut whole = CertaintyEquivalent::new(r);
    let mut halves = [CertaintyEquivalent::new(r), CertaintyEquivalent::new(r)];
    for i in 0..200_000 {
        let x = normal.sample(&mut rng);
        whole.push(x);
        halves[i % 2].push(x);
    }
    let expected = mu - sigma * sigma / (2.0 * r);
    let err = (whole.value() - expected).abs();
    assert!(
        err < 3.0 * whole.mcse(),
        "CE {} vs {expected}, mcse {}",
        whole.value(),
        whole.mcse()
    );
    // Mergeable: two halves give the same value as one stream.
    let [mut a, b] = halves;
    a.merge(&b);
    assert!((a.value() - whole.value()).abs() < 1e-6 * whole.value().abs());
    // Risk neutral: the mean.
    let mut neutral = CertaintyEquivalent::new(f64::INFINITY);
    for x in [1.0, 2.0, 6.0] {
        neutral.push(x);
    }
    assert_eq!(neutral.value(), 3.0);
    assert_eq!(neutral.risk_premium(), 0.0);
    // No overflow far from zero with a small tolerance.
    let mut small = CertaintyEquivalent::new(1e3);
    small.push(1e9);
    small.push(1e9 + 1e6);
    assert!(small.value().is_finite());
    assert!((small.value() - (1e9 + 1e3 * std::f64::consts::LN_2)).abs() < 1.0);
}

fn two_strategy_scenario(materiality: f64) -> Scenario {
    let mut s = Scenario::builtin();
    s.strategies.truncate(2);
    s.decision.materiality = materiality;
    s
}

/// A synthetic run of two strategies: A's margin on each path given, B's 0.
fn synthetic(s: &Scenario, a_margins: &[f64]) -> RunSummary {
    let mut summary = RunSummary::new(2, -52, 1, &[(1, 0)], Scoring::from(&s.decision));
    for &m in a_margins {
        let a = Outcome {
            margin: m,
            ..Outcome::default()
        };
        summary.push(&[Outcome::default(), a]);
    }
    summary
}

#[test]
fn a_lead_below_materiality_is_no_clear_winner_and_above_it_is_clear() {
    // Strategy 1 earns 2.0 +/- 0.5 (in $M) more on every path.
    let margins: Vec<f64> = (0..400)
        .map(|i| 2.0e6 + 0.5e6 * ((i % 7) as f64 - 3.0) / 3.0)
        .collect();
    let s = two_strategy_scenario(1e6);
    let r = recommend(&s, &synthetic(&s, &margins));
    assert_eq!(r.strategy.as_deref(), Some(s.strategies[1].name.as_str()));
    assert!(r.clear, "{}", r.reason);
    let s = two_strategy_scenario(3e6);
    let r = recommend(&s, &synthetic(&s, &margins));
    assert_eq!(r.strategy.as_deref(), Some(s.strategies[1].name.as_str()));
    assert_eq!(r.runner_up.as_deref(), Some(s.strategies[0].name.as_str()));
    assert!(!r.clear);
    assert!(r.reason.starts_with("No clear winner"), "{}", r.reason);
    assert!(r.reason.contains("not material"), "{}", r.reason);
}

#[test]
fn a_lead_won_in_few_worlds_is_no_clear_winner() {
    // +$100M on 1 path in 10, -$1M on the others: a mean lead of $9.1M that
    // loses in 90 % of worlds.
    let margins: Vec<f64> = (0..1000)
        .map(|i| if i % 10 == 0 { 100e6 } else { -1e6 })
        .collect();
    let s = two_strategy_scenario(1e6);
    let r = recommend(&s, &synthetic(&s, &margins));
    let lead = r.lead.unwrap();
    assert!((lead.value - 9.1e6).abs() < 1.0, "{lead:?}");
    assert!((lead.p_worse - 0.9).abs() < 1e-12);
    assert!((lead.loss_if_worse - 1e6).abs() < 1e-6);
    assert!(!r.clear);
    assert!(
        r.reason.contains("scores higher in more worlds"),
        "{}",
        r.reason
    );
    // The same lead spread over every world is clear.
    let even = vec![9.1e6; 1000];
    let r = recommend(&s, &synthetic(&s, &even));
    assert!(r.clear, "{}", r.reason);
}

#[test]
fn reversed_pairs_give_the_same_lead() {
    // Tracked as (0, 1) instead of (1, 0): the lead of 1 over 0 is unchanged.
    let s = two_strategy_scenario(1e6);
    let margins: Vec<f64> = (0..300).map(|i| f64::from(i % 5) * 1e6 - 1e6).collect();
    let a = synthetic(&s, &margins);
    let mut b = RunSummary::new(2, -52, 1, &[(0, 1)], Scoring::from(&s.decision));
    for &m in &margins {
        let o = Outcome {
            margin: m,
            ..Outcome::default()
        };
        b.push(&[Outcome::default(), o]);
    }
    let (la, lb) = (
        recommend(&s, &a).lead.unwrap(),
        recommend(&s, &b).lead.unwrap(),
    );
    assert!((la.value - lb.value).abs() < 1e-6);
    assert_eq!(la.p_better, lb.p_better);
    assert_eq!(la.p_worse, lb.p_worse);
    assert!((la.loss_if_worse - lb.loss_if_worse).abs() < 1e-6);
    assert!((la.p5 - lb.p5).abs() < 1e-6 * la.p5.abs().max(1.0) + 1e3);
}

fn run(s: &Scenario, paths: u64) -> RunSummary {
    let sim = Simulation::new(s);
    sim.run(&RunConfig::new(paths, 3), &all_pairs(s), &|_| {})
        .unwrap()
}

#[test]
fn the_recommendation_is_the_best_value_within_the_limits() {
    let s = Scenario::builtin();
    let summary = run(&s, 20_000);
    let r = recommend(&s, &summary);
    let best = summary
        .strategies
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.score.value().total_cmp(&b.1.score.value()))
        .unwrap()
        .0;
    assert_eq!(
        r.strategy.as_deref(),
        Some(s.strategies[best].name.as_str())
    );
    assert!(r.excluded.is_empty());

    // A board that will not risk going out of network sets aside every
    // strategy that sends a notice it would carry out; one that accepts any
    // risk does not.
    let mut strict = s.clone();
    strict.decision.max_p_out_of_network = 0.0;
    let summary = run(&strict, 20_000);
    let r = recommend(&strict, &summary);
    assert!(
        r.excluded
            .iter()
            .any(|e| e.strategy == "notice-and-escalate"),
        "{r:?}"
    );
    assert_ne!(r.strategy.as_deref(), Some("notice-and-escalate"));
    assert!(r.strategy.is_some());
}

#[test]
fn risk_tolerance_and_objective_change_the_choice_both_ways() {
    // The default scenario: the notice strategy has the highest mean margin
    // and by far the widest spread.
    let s = Scenario::builtin();
    let neutral = recommend(&s, &run(&s, 20_000));
    assert_eq!(neutral.strategy.as_deref(), Some("notice-and-escalate"));
    assert!(!neutral.risk_adjusted);
    // A board with a small risk tolerance pays for the spread.
    let mut averse = s.clone();
    averse.decision.risk_tolerance = 5e6;
    let summary = run(&averse, 20_000);
    let ne = s.strategy_index("notice-and-escalate").unwrap();
    let score = &summary.strategies[ne].score;
    assert!(score.risk_premium() > 0.0);
    let r = recommend(&averse, &summary);
    assert!(r.risk_adjusted);
    assert_ne!(r.strategy.as_deref(), Some("notice-and-escalate"), "{r:?}");
    // Revenue instead of margin: the notice's cost-free revenue view differs.
    let mut revenue = s.clone();
    revenue.decision.objective = Objective::Revenue;
    let r = recommend(&revenue, &run(&revenue, 20_000));
    assert_eq!(r.objective, "revenue");
    assert_ne!(r.strategy.as_deref(), Some("notice-and-escalate"), "{r:?}");
}

#[test]
fn a_price_on_patient_weeks_moves_the_choice_away_from_going_out_of_network() {
    let s = Scenario::builtin();
    let mut priced = s.clone();
    priced.decision.patient_week_price = 500.0;
    let r = recommend(&priced, &run(&priced, 20_000));
    assert_ne!(r.strategy.as_deref(), Some("notice-and-escalate"), "{r:?}");
    // A price of zero leaves the choice where it was.
    let r0 = recommend(&s, &run(&s, 20_000));
    assert_eq!(r0.strategy.as_deref(), Some("notice-and-escalate"));
}

fn impasse(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_impasse"))
        .args(args)
        .output()
        .expect("impasse starts")
}

#[test]
fn json_carries_outcome_ranges_and_the_recommendation() {
    let out = impasse(&["run", "--paths", "4000", "--format", "json", "-q"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rec = &v["recommendation"];
    for key in ["strategy", "runner_up", "clear", "reason"] {
        assert!(!rec[key].is_null(), "recommendation.{key}");
    }
    for c in v["comparisons"].as_array().unwrap() {
        for metric in ["revenue_diff", "margin_diff"] {
            let d = &c[metric];
            let (p5, p50, p95) = (
                d["p5"].as_f64().unwrap(),
                d["p50"].as_f64().unwrap(),
                d["p95"].as_f64().unwrap(),
            );
            assert!(p5 <= p50 && p50 <= p95, "{metric}: {d}");
            // The spread is wider than the precision of the mean.
            let (lo, hi) = (
                d["ci95"][0].as_f64().unwrap(),
                d["ci95"][1].as_f64().unwrap(),
            );
            assert!(p95 - p5 >= hi - lo, "{metric}: {d}");
        }
        let pw = c["p_worse"].as_f64().unwrap();
        assert_eq!(c["loss_if_worse"]["mean"].is_null(), pw == 0.0, "{c}");
    }
    // One path: the error of a mean is unknown, not zero.
    let out = impasse(&["run", "--paths", "1", "--format", "json", "-q"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["comparisons"][0]["revenue_diff"]["mcse"].is_null());
}

#[test]
fn decision_inputs_are_set_and_checked_like_any_input() {
    let out = impasse(&[
        "run",
        "--paths",
        "2000",
        "-q",
        "--set",
        "decision.objective=revenue",
        "--set",
        "decision.materiality=2e6",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Recommendation:"), "{table}");
    assert!(table.contains("$2.00M") || table.contains("$2M"), "{table}");
    for (set, field) in [
        ("decision.materiality=-1", "decision.materiality"),
        (
            "decision.max_p_out_of_network=1.5",
            "decision.max_p_out_of_network",
        ),
        ("decision.risk_tolerance=0", "decision.risk_tolerance"),
        ("decision.objective=profit", "decision.objective"),
    ] {
        let out = impasse(&["run", "--paths", "10", "-q", "--set", set]);
        assert_eq!(out.status.code(), Some(2), "{set}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(field), "{set}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
