//! `impasse optimize`: it finds an optimum known by enumeration, its
//! holdout corrects the optimizer's curse instead of hiding it, it is
//! reproducible on any number of threads, `--append` writes a scenario that
//! loads, and bad input is a clear error.

use assert_cmd::Command;
use impasse::analysis::optimize::{OptimizeOptions, optimize};
use impasse::engine::{RunConfig, Simulation};
use impasse::scenario::{Scenario, Strategy, Trigger};

const FROM: &str = "notice-and-escalate";

fn all_but(free: &[&str]) -> Vec<String> {
    impasse::scenario::DECISION_FIELDS
        .iter()
        .filter(|f| !free.contains(f))
        .map(|f| f.to_string())
        .collect()
}

/// Decision values of `strategies` on `paths` paths of `seed`.
fn values(s: &Scenario, strategies: Vec<Strategy>, seed: u64, paths: u64) -> Vec<f64> {
    let mut t = s.clone();
    t.strategies = strategies;
    t.baseline = None;
    let summary = Simulation::new(&t)
        .run(&RunConfig::new(paths, seed), &[], &|_| {})
        .unwrap();
    summary.strategies.iter().map(|r| r.score.value()).collect()
}

/// Only the notice week and the documented case free: few enough plans to
/// play them all on the search paths. The search must find the best of
/// them.
#[test]
fn finds_the_optimum_known_by_enumeration() {
    let s = Scenario::builtin();
    let from = s.strategies[s.strategy_index(FROM).unwrap()].clone();
    let mut options = OptimizeOptions::new(9);
    options.from = Some(FROM.into());
    options.fixed = all_but(&["notice", "data_prep"]);
    options.budget = 400;
    options.paths = 1000;
    options.holdout_paths = 2000;
    let r = optimize(&s, &options, &|_| {}, &|_| {}).unwrap();

    let lead = from.lead_weeks as i32;
    let last = -(s.contract.notice_weeks as i32);
    let mut notices = vec![Trigger::Never, Trigger::Now, Trigger::OnImpasse];
    notices.extend((-lead..=last).map(Trigger::Week));
    let mut plans = Vec::new();
    for n in &notices {
        for data in [false, true] {
            let mut st = from.clone();
            st.name = format!("plan-{}", plans.len());
            st.notice = *n;
            st.data_prep = data;
            plans.push(st);
        }
    }
    assert!(
        r.candidates_evaluated <= plans.len(),
        "{}",
        r.candidates_evaluated
    );
    let v = values(&s, plans.clone(), 9, 1000);
    let (best, top) =
        v.iter().enumerate().fold(
            (0, f64::NEG_INFINITY),
            |acc, (i, &x)| if x > acc.1 { (i, x) } else { acc },
        );
    let found = &r.finalists[0];
    // The search's best is the best plan on the search paths (to rounding:
    // the engine merges chunks, the search plays them in one).
    let searched = r
        .finalists
        .iter()
        .map(|f| f.search.value)
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        (searched - top).abs() <= 1e-9 * top.abs(),
        "search best {searched} against enumeration {top} ({:?})",
        plans[best].notice
    );
    assert!(
        found.strategy.notice == plans[best].notice
            || (found.search.value - top).abs() < 1e-6 * top.abs()
    );
}

/// The optimizer's curse, over several seeds: the winner's search score is
/// biased upwards against a third, independent evaluation; its holdout
/// score is not (within three standard errors of the mean difference).
#[test]
fn the_holdout_corrects_the_optimizers_curse() {
    let s = Scenario::builtin();
    let (mut search_bias, mut holdout_bias) = (Vec::new(), Vec::new());
    for seed in 1..=30u64 {
        let mut options = OptimizeOptions::new(seed);
        options.from = Some(FROM.into());
        options.budget = 300;
        options.paths = 50;
        options.holdout_paths = 4000;
        let r = optimize(&s, &options, &|_| {}, &|_| {}).unwrap();
        let best = r.best.expect("a best plan");
        // Gains over `from`, paired on each stream so that the luck common
        // to all plans cancels.
        let from = s.strategies[s.strategy_index(FROM).unwrap()].clone();
        let fresh = values(&s, vec![best.strategy.clone(), from], 1000 + seed, 20_000);
        let fresh_gain = fresh[0] - fresh[1];
        search_bias.push(best.search.value - r.from.search.value - fresh_gain);
        holdout_bias.push(best.holdout.gain - fresh_gain);
    }
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        (m, sd / n.sqrt())
    };
    let (sb, sb_se) = stats(&search_bias);
    let (hb, hb_se) = stats(&holdout_bias);
    eprintln!("search bias {sb:.0} ± {sb_se:.0}; holdout bias {hb:.0} ± {hb_se:.0}");
    assert!(
        sb > 2.0 * sb_se,
        "the curse should show on the search paths: {sb} ± {sb_se}"
    );
    assert!(
        hb < 3.0 * hb_se,
        "the holdout should not be biased up: {hb} ± {hb_se}"
    );
    assert!(hb < sb);
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("impasse")
        .unwrap()
        .args(args)
        .arg("-q")
        .output()
        .unwrap()
}

#[test]
fn the_same_seed_gives_the_same_plan_on_any_thread_count() {
    let args = [
        "optimize",
        "--budget",
        "48",
        "--paths",
        "300",
        "--holdout-paths",
        "600",
        "--format",
        "json",
    ];
    let one = run(&[&args[..], &["--threads", "1"]].concat());
    let two = run(&[&args[..], &["--threads", "2"]].concat());
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(one.stdout, two.stdout);
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(v["search"]["seed"], 1);
    assert!(v["holdout"]["seed"].as_u64().unwrap() != 1);
    assert_eq!(v["candidates_evaluated"], 48);
    let best = &v["best"];
    assert!(best["strategy"]["lead_weeks"].is_u64());
    for key in ["mean", "ci95", "gain", "gain_ci95", "p_better"] {
        assert!(!best["holdout"][key].is_null(), "{key}");
    }
}

#[test]
fn append_writes_a_scenario_that_loads() {
    let dir = std::env::temp_dir().join(format!("impasse-optimize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.toml");
    std::fs::write(&file, impasse::scenario::DEFAULT_SCENARIO_TOML).unwrap();
    let f = file.to_str().unwrap();
    let out = run(&[
        "optimize",
        f,
        "--budget",
        "24",
        "--paths",
        "200",
        "--holdout-paths",
        "400",
        "--append",
        f,
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = Scenario::from_path(&file).unwrap();
    let added = s.strategies.last().unwrap();
    assert_eq!(added.name, "optimized");
    assert_eq!(
        added.lead_weeks,
        v["best"]["strategy"]["lead_weeks"].as_u64().unwrap() as u32
    );
    // A second append picks a free name.
    let out = run(&[
        "optimize",
        f,
        "--budget",
        "24",
        "--paths",
        "200",
        "--holdout-paths",
        "400",
        "--append",
        f,
    ]);
    assert!(out.status.success());
    let s = Scenario::from_path(&file).unwrap();
    assert_eq!(s.strategies.last().unwrap().name, "optimized-2");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("impasse-optimize-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        format!(
            "{}\n[optimize]\nlead_weeks = [60, 20]\n",
            impasse::scenario::DEFAULT_SCENARIO_TOML
        ),
    )
    .unwrap();
    let unknown = dir.join("unknown.toml");
    std::fs::write(
        &unknown,
        format!(
            "{}\n[optimize]\nfix = [\"lead\"]\n",
            impasse::scenario::DEFAULT_SCENARIO_TOML
        ),
    )
    .unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["optimize", "--from", "nope"], "--from"),
        (vec!["optimize", "--budget", "0"], "--budget"),
        (vec!["optimize", "--fix", "lead"], "--fix"),
        (vec!["optimize", "--holdout-paths", "1"], "--holdout-paths"),
        (vec!["optimize", "--paths", "0"], "--paths"),
        (
            vec!["optimize", bad.to_str().unwrap()],
            "optimize.lead_weeks",
        ),
        (vec!["optimize", unknown.to_str().unwrap()], "optimize.fix"),
        (
            vec!["optimize", "--append", "/nonexistent/dir/x.toml"],
            "--append",
        ),
    ];
    for (args, needle) in cases {
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A conditional escalation ("at week -20, only if the payer's offer is
/// still below X") is a decision in its own right: with X above every
/// offer it is the unconditional escalation, with X below every offer it
/// never escalates (the twin that waits, on every path), and in between it
/// escalates on some paths only, so it differs from both.
#[test]
fn a_conditional_escalation_lies_between_always_and_never() {
    let base = Scenario::builtin();
    let sets = |x: Option<&str>| {
        // One renewal: the condition is met or not once per path.
        let mut o = vec![
            impasse::scenario::Override::parse("strategy.escalate-now.escalation=-20").unwrap(),
            impasse::scenario::Override::parse("contract.renewals=1").unwrap(),
        ];
        if let Some(x) = x {
            o.push(
                impasse::scenario::Override::parse(&format!(
                    "strategy.escalate-now.escalate_if_offer_below={x}"
                ))
                .unwrap(),
            );
        }
        base.with_overrides(&o).unwrap()
    };
    let per_path = |s: &Scenario| -> Vec<f64> {
        let sim = Simulation::new(s);
        let i = s.strategy_index("escalate-now").unwrap();
        (0..3000)
            .map(|p| sim.path_outcomes(4, p)[i].margin)
            .collect()
    };
    let wait = {
        let s = sets(None);
        let sim = Simulation::new(&s);
        let i = s.strategy_index("wait").unwrap();
        (0..3000)
            .map(|p| sim.path_outcomes(4, p)[i].margin)
            .collect::<Vec<f64>>()
    };
    let always = per_path(&sets(None));
    assert_eq!(per_path(&sets(Some("3"))), always);
    assert_eq!(per_path(&sets(Some("-0.5"))), wait);
    let some = per_path(&sets(Some("0.006")));
    let differ = |a: &[f64], b: &[f64]| a.iter().zip(b).filter(|(x, y)| x != y).count();
    assert!(differ(&some, &always) > 100, "{}", differ(&some, &always));
    assert!(differ(&some, &wait) > 100, "{}", differ(&some, &wait));
    // Where it escalates, it plays as the unconditional escalation; where
    // it does not, as waiting.
    assert!(
        some.iter()
            .zip(&always)
            .zip(&wait)
            .all(|((s, a), w)| s == a || s == w)
    );
}
