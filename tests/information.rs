//! `impasse voi` and `impasse sobol` on the model itself: an EVPPI checked
//! against the value computed from fixed-input runs, both directions of each
//! finding (an input worth learning, one worth nothing), correlated sets as
//! one factor, thread invariance, and clear errors.

use assert_cmd::Command;
use impasse::analysis::Budget;
use impasse::analysis::information::{VoiOptions, voi};
use impasse::analysis::sensitivity::{SobolOptions, sobol};
use impasse::analysis::tornado::{Metric, Target};
use impasse::engine::{RunConfig, Simulation};
use impasse::scenario::{Override, Scenario};

const A: &str = "notice-and-escalate";
const B: &str = "all-issues";

fn with(sets: &[&str]) -> Scenario {
    let o: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::builtin().with_overrides(&o).unwrap()
}

/// Mean and Monte Carlo error of the decision-score difference A − B with
/// the refusal probability fixed at `rho`.
fn difference_at(rho: f64, paths: u64) -> (f64, f64) {
    let s = with(&[
        &format!("payer.notice.refuse_to_talk_prob={rho}"),
        "relationship.oon_credibility_gain=0",
        "payer.notice.credibility=0.3",
    ]);
    let (a, b) = (s.strategy_index(A).unwrap(), s.strategy_index(B).unwrap());
    let sim = Simulation::new(&s);
    let summary = sim
        .run(&RunConfig::new(paths, 5), &[(a, b)], &|_| {})
        .unwrap();
    let m = &summary.pairs[0].score_diff.moments;
    (m.mean(), m.mcse())
}

/// Only a payer that does not believe a notice refuses to talk: with
/// credibility `c`, a refusal is the event `u (1 − c) < rho`, linear in
/// `rho` while `rho <= 1 − c`. With the credibility kept from rising after
/// an out-of-network episode (`oon_credibility_gain = 0`; a called bluff
/// only lowers it), that holds at both renewals for `rho` in [0, 0.7]
/// with the credibility set to 0.3, so `E[A − B | rho]` is exactly a
/// quadratic there: three fixed runs give it, and with it the EVPPI of
/// `rho` ~ U(0, 0.7), `∫ max(0, d) − max(0, ∫ d)`. The regression estimate
/// must agree within three combined standard errors.
const RHO_MAX: f64 = 0.7;

#[test]
fn evppi_of_the_refusal_probability_matches_fixed_runs() {
    let paths = 300_000;
    let (d0, s0) = difference_at(0.0, paths);
    let (dh, sh) = difference_at(RHO_MAX / 2.0, paths);
    let (d1, s1) = difference_at(RHO_MAX, paths);
    // Lagrange basis on 0, 1/2, 1 (of RHO_MAX).
    let l = |x: f64| {
        [
            2.0 * (x - 0.5) * (x - 1.0),
            -4.0 * x * (x - 1.0),
            2.0 * x * (x - 0.5),
        ]
    };
    let grid = 20_000;
    let (mut pos, mut all) = (0.0, 0.0);
    let mut spread = [0.0; 3];
    for k in 0..grid {
        let x = (k as f64 + 0.5) / grid as f64;
        let w = l(x);
        let d = w[0] * d0 + w[1] * dh + w[2] * d1;
        pos += d.max(0.0) / grid as f64;
        all += d / grid as f64;
        for (s, wi) in spread.iter_mut().zip(w) {
            *s += wi.abs() / grid as f64;
        }
    }
    let reference = pos - all.max(0.0);
    // A conservative error of the reference: each point's error times the
    // integral of its basis function's size (the two terms, twice).
    let reference_se = 2.0 * (spread[0] * s0 + spread[1] * sh + spread[2] * s1);

    let s = with(&[
        &format!("payer.notice.refuse_to_talk_prob=uniform(0, {RHO_MAX})"),
        "relationship.oon_credibility_gain=0",
        "payer.notice.credibility=0.3",
    ]);
    let options = VoiOptions {
        strategies: vec![A.into(), B.into()],
        inputs: vec!["payer.notice.refuse_to_talk_prob".into()],
        ..VoiOptions::default()
    };
    let budget = Budget {
        paths: 40_000,
        seed: 3,
        threads: None,
    };
    let r = voi(&s, &options, &budget, &|_| {}).unwrap();
    let row = &r.evppi[0];
    let tol = 3.0 * (row.mcse.powi(2) + reference_se.powi(2)).sqrt();
    assert!(
        (row.value - reference).abs() < tol,
        "EVPPI {} ± {} against {} ± {} (d = {d0}, {dh}, {d1})",
        row.value,
        row.mcse,
        reference,
        reference_se
    );
    // It is worth something, and it is the input most worth learning.
    assert!(
        reference > 10.0 * reference_se,
        "{reference} {reference_se}"
    );
    assert_eq!(
        r.most_valuable().map(|r| r.input.as_str()),
        Some("payer.notice.refuse_to_talk_prob")
    );
    assert!(row.value <= r.evpi.mean + 3.0 * (r.evpi.mcse + row.mcse));
    eprintln!(
        "EVPPI {:.0} ± {:.0} against {reference:.0} ± {reference_se:.0} (tolerance {tol:.0})",
        row.value, row.mcse
    );
}

/// The other direction: with the refusal probability fixed, no input of
/// the built-in scenario is worth learning before choosing between the two
/// (the choice turns on chance), and an input neither strategy's difference
/// depends on is worth zero.
#[test]
fn evppi_is_zero_for_inputs_the_choice_ignores() {
    let s = Scenario::builtin();
    let options = VoiOptions {
        strategies: vec![A.into(), B.into()],
        ..VoiOptions::default()
    };
    let budget = Budget {
        paths: 20_000,
        seed: 3,
        threads: None,
    };
    let r = voi(&s, &options, &budget, &|_| {}).unwrap();
    assert!(r.evpi.mean > 10.0 * r.evpi.mcse, "{:?}", r.evpi);
    for row in &r.evppi {
        assert!(
            row.value < 0.05 * r.evpi.mean,
            "{} {}",
            row.input,
            row.value
        );
    }
    // The patients attributed scale patient-weeks only, which this
    // scenario does not price: the decision score ignores them.
    let patients = r
        .evppi
        .iter()
        .find(|r| r.input == "contract.attributed_patients")
        .unwrap();
    assert_eq!(patients.value, 0.0);
}

#[test]
fn sobol_gives_exact_zeros_to_ignored_inputs_and_finds_the_driver() {
    let s = Scenario::builtin();
    let options = SobolOptions {
        target: Target::Strategy("wait".into()),
        metric: Metric::Revenue,
        base_samples: 1024,
        seed: 2,
        threads: None,
    };
    let r = sobol(&s, &options, &|_| {}).unwrap();
    let row = |p: &str| r.sobol.iter().find(|x| x.input == p).unwrap();
    // `wait` never puts the denials item on the table: its value cannot
    // move the result, and both estimators give exactly 0.
    let denials = row("item.denials.annual_value");
    assert_eq!((denials.s1, denials.st), (0.0, 0.0));
    // The size of the contract drives the revenue of waiting.
    let size = row("contract.annual_revenue");
    assert!(size.st_ci95.unwrap()[0] > 0.5, "{size:?}");
    assert_eq!(r.sobol[0].input, "contract.annual_revenue");
    // For the difference between two active strategies chance dominates.
    let diff = sobol(
        &s,
        &SobolOptions {
            target: Target::Diff(A.into(), B.into()),
            ..options
        },
        &|_| {},
    )
    .unwrap();
    assert_eq!(diff.sobol[0].kind, "chance");
    assert!(diff.sobol[0].st_ci95.unwrap()[0] > 0.5);
}

#[test]
fn correlated_inputs_form_one_factor() {
    let text = format!(
        "{}\n[[correlation]]\nbetween = [\"payer.reservation\", \"payer.exec.reservation_gain\"]\nrank = 0.7\n",
        impasse::scenario::DEFAULT_SCENARIO_TOML
    );
    let s = Scenario::from_toml(&text, "<test>").unwrap();
    let r = sobol(
        &s,
        &SobolOptions {
            target: Target::Strategy("escalate-now".into()),
            metric: Metric::Revenue,
            base_samples: 256,
            seed: 1,
            threads: None,
        },
        &|_| {},
    )
    .unwrap();
    let group: Vec<_> = r
        .sobol
        .iter()
        .filter(|x| x.kind == "correlated group")
        .collect();
    assert_eq!(group.len(), 1);
    assert_eq!(
        group[0].members,
        vec!["payer.reservation", "payer.exec.reservation_gain"]
    );
    assert!(
        !r.sobol
            .iter()
            .any(|x| x.kind == "input" && group[0].members.contains(&x.input))
    );
    assert!(r.notes.iter().any(|n| n.contains("correlation")));
}

fn json(args: &[&str]) -> String {
    let out = Command::cargo_bin("impasse")
        .unwrap()
        .args(args)
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn results_do_not_depend_on_threads() {
    let voi_args = [
        "voi",
        "--paths",
        "3000",
        "--strategies",
        "wait,bluff,all-issues",
    ];
    let one = json(&[&voi_args[..], &["--threads", "1"]].concat());
    let two = json(&[&voi_args[..], &["--threads", "2"]].concat());
    assert_eq!(one, two);
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert!(v["evpi"]["mean"].as_f64().unwrap() > 0.0);
    assert!(v["evpi"]["mcse"].as_f64().unwrap() > 0.0);
    let first = &v["evppi"][0];
    for key in ["input", "value", "r2", "mcse", "members"] {
        assert!(!first[key].is_null(), "{key}");
    }
    let sobol_args = ["sobol", "--diff", "bluff", "wait", "--n", "256"];
    let one = json(&[&sobol_args[..], &["--threads", "1"]].concat());
    let two = json(&[&sobol_args[..], &["--threads", "2"]].concat());
    assert_eq!(one, two);
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    let first = &v["sobol"][0];
    for key in ["input", "s1", "s1_ci95", "st", "st_ci95"] {
        assert!(!first[key].is_null(), "{key}");
    }
}

#[test]
fn bad_options_are_clear_errors() {
    let cases: &[(&[&str], &str)] = &[
        (&["voi", "--strategies", "wait,nope"], "--strategies"),
        (&["voi", "--strategies", "wait"], "at least two"),
        (
            &["voi", "--inputs", "payer.exec.success_prob"],
            "is fixed at 0.45",
        ),
        (
            &["voi", "--inputs", "payer.nope"],
            "must name an uncertain input",
        ),
        (&["voi", "--groups", "nameless"], "NAME=PATH+PATH"),
        (
            &["voi", "--groups", "g=payer.reservation+"],
            "NAME=PATH+PATH",
        ),
        (&["voi", "--paths", "50"], "--paths"),
        (&["sobol", "--n", "2"], "--n"),
        (&["sobol", "--diff", "wait", "wait"], "two different"),
        (&["sobol", "--strategy", "nope"], "--strategy"),
        (&["sobol", "--threads", "0"], "--threads"),
    ];
    for (args, needle) in cases {
        let out = Command::cargo_bin("impasse")
            .unwrap()
            .args(*args)
            .arg("-q")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Too few paths for a group's metamodel skips that group with a note; the
/// single inputs and EVPI are still computed.
#[test]
fn groups_too_big_for_the_paths_are_skipped_with_a_note() {
    let v: serde_json::Value = serde_json::from_str(&json(&["voi", "--paths", "300"])).unwrap();
    let notes = v["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("Not computed for inputs")),
        "{notes:?}"
    );
    let rows = v["evppi"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["input"] == "payer.reservation"));
    assert!(!rows.iter().any(|r| r["input"] == "inputs"));
    assert!(v["evpi"]["mean"].as_f64().unwrap() > 0.0);
}
