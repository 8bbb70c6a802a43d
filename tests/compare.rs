//! `compare` and `--set`: paired comparisons that are exact where they must
//! be, a precision target that is met and reproducible, and overrides that
//! reach the model.

use impasse::analysis::compare::{Precision, Stop, compare};
use impasse::analysis::{Budget, run};
use impasse::engine::baseline_pairs;
use impasse::report::RunReport;
use impasse::scenario::{Override, Scenario};

fn budget(paths: u64, seed: u64) -> Budget {
    Budget {
        paths,
        seed,
        threads: Some(2),
    }
}

#[test]
fn a_strategy_against_its_copy_ties_everywhere() {
    let mut s = Scenario::builtin();
    let mut copy = s.strategies[s.strategy_index("notice-and-escalate").unwrap()].clone();
    copy.name = "copy".into();
    s.strategies.push(copy);
    let r = compare(
        &s,
        "notice-and-escalate",
        "copy",
        &budget(5000, 2),
        None,
        &|_| {},
    )
    .unwrap();
    for m in &r.metrics {
        assert_eq!(m.diff_mean, 0.0, "{}", m.metric);
        assert_eq!(m.diff_ci95, (0.0, 0.0), "{}", m.metric);
    }
    assert_eq!((r.p_a_better, r.p_b_better), (0.0, 0.0));
    assert_eq!((r.regret_a, r.regret_b), (0.0, 0.0));
}

#[test]
fn compare_agrees_with_run_on_the_same_paths() {
    // The worlds do not depend on which strategies are played, so the
    // two-strategy comparison sees exactly the paths of the full run.
    let s = Scenario::builtin();
    let b = budget(6000, 4);
    let full = RunReport::new(&s, 4, &run(&s, &b, &baseline_pairs(&s), &|_| {}).unwrap());
    let from_run = full
        .comparisons
        .iter()
        .find(|c| c.strategy == "escalate-at-impasse")
        .unwrap();
    let r = compare(&s, "escalate-at-impasse", "wait", &b, None, &|_| {}).unwrap();
    let revenue = &r.metrics[0];
    assert_eq!(revenue.metric, "revenue");
    let tol = 1e-9 * revenue.mean_a.abs();
    assert!((revenue.diff_mean - from_run.revenue_diff.mean).abs() < tol);
    assert!((r.p_a_better - from_run.p_better).abs() < 1e-12);
    // Regrets: E[max(d,0)] - E[max(-d,0)] = E[d].
    assert!((r.regret_b - r.regret_a - revenue.diff_mean).abs() < tol);
}

#[test]
fn precision_target_is_met_and_reproducible() {
    let s = Scenario::builtin();
    let target = 200_000.0;
    let p = Some(Precision {
        half_width: target,
        max_paths: 400_000,
    });
    let r = compare(
        &s,
        "notice-and-escalate",
        "wait",
        &budget(2000, 8),
        p,
        &|_| {},
    )
    .unwrap();
    assert_eq!(r.stop, Stop::PrecisionReached);
    assert!(r.revenue_half_width < target);
    assert!(r.paths > 2000, "needed more than one batch: {}", r.paths);
    assert_eq!(r.paths % 2000, 0);
    let again = compare(
        &s,
        "notice-and-escalate",
        "wait",
        &budget(2000, 8),
        p,
        &|_| {},
    )
    .unwrap();
    assert_eq!(format!("{r:?}"), format!("{again:?}"));
    // A path limit below what the target needs is reported as such.
    let short = Some(Precision {
        half_width: target,
        max_paths: 4000,
    });
    let r = compare(
        &s,
        "notice-and-escalate",
        "wait",
        &budget(2000, 8),
        short,
        &|_| {},
    )
    .unwrap();
    assert_eq!(r.stop, Stop::MaxPathsReached);
    assert_eq!(r.paths, 4000);
    assert!(r.revenue_half_width >= target);
}

#[test]
fn bad_compare_options_are_named() {
    let s = Scenario::builtin();
    let b = budget(1000, 1);
    let err = compare(&s, "wait", "wait", &b, None, &|_| {}).unwrap_err();
    assert!(err.to_string().contains("two different strategies"));
    let err = compare(&s, "wait", "nope", &b, None, &|_| {}).unwrap_err();
    assert!(err.to_string().contains("nope") && err.to_string().contains("escalate-now"));
    let p = Some(Precision {
        half_width: -1.0,
        max_paths: 10_000,
    });
    let err = compare(&s, "wait", "bluff", &b, p, &|_| {}).unwrap_err();
    assert!(err.to_string().contains("--precision"));
}

#[test]
fn overrides_reach_the_model() {
    // Executives that always engage make escalation pay more than the default.
    let s = Scenario::builtin();
    let sure = s
        .with_overrides(&[
            Override::parse("payer.exec.success_prob=1.0").unwrap(),
            Override::parse("payer.exec.premature_penalty=0.0").unwrap(),
        ])
        .unwrap();
    let b = budget(4000, 3);
    let base = compare(&s, "escalate-now", "wait", &b, None, &|_| {}).unwrap();
    let more = compare(&sure, "escalate-now", "wait", &b, None, &|_| {}).unwrap();
    assert!(
        more.metrics[0].diff_mean > base.metrics[0].diff_mean + 4.0 * base.metrics[0].diff_mcse
    );
    // Every executive meeting now succeeds, before or after an impasse.
    assert!(more.p_a_better > base.p_a_better);
}
