//! Properties of the Monte Carlo engine a user relies on: common random
//! numbers, thread-count invariance, value stability, statistical accuracy,
//! and the deadline effect.

use impasse::engine::{PendingSketches, RunConfig, Simulation, baseline_pairs};
use impasse::report::RunReport;
use impasse::scenario::Scenario;

fn run(s: &Scenario, paths: u64, seed: u64, threads: usize) -> RunReport {
    let sim = Simulation::new(s);
    let config = RunConfig {
        threads: Some(threads),
        ..RunConfig::new(paths, seed)
    };
    let summary = sim.run(&config, &baseline_pairs(s), &|_| {}).unwrap();
    RunReport::new(s, seed, &summary)
}

#[test]
fn a_strategy_and_its_copy_differ_by_exactly_zero_on_every_path() {
    let mut s = Scenario::builtin();
    for name in ["notice-and-escalate", "escalate-at-impasse", "bluff"] {
        let mut copy = s.strategies[s.strategy_index(name).unwrap()].clone();
        copy.name = format!("{name}-copy");
        s.strategies.push(copy);
    }
    let sim = Simulation::new(&s);
    let n = s.strategies.len();
    for index in 0..3000 {
        let outcomes = sim.path_outcomes(7, index);
        for k in 0..3 {
            let (a, b) = (
                &outcomes[n - 3 + k],
                &outcomes[s
                    .strategy_index(["notice-and-escalate", "escalate-at-impasse", "bluff"][k])
                    .unwrap()],
            );
            assert_eq!(a.revenue - b.revenue, 0.0, "path {index}");
            assert_eq!(a.margin - b.margin, 0.0);
            assert_eq!(
                a.patient_weeks_out_of_network,
                b.patient_weeks_out_of_network
            );
        }
    }
    // And in the summary: the paired difference is zero with zero spread,
    // and never better nor worse.
    s.baseline = Some("notice-and-escalate".into());
    let report = run(&s, 5000, 3, 2);
    let c = report
        .comparisons
        .iter()
        .find(|c| c.strategy == "notice-and-escalate-copy")
        .unwrap();
    assert_eq!(c.revenue_diff.mean, 0.0);
    assert_eq!(c.revenue_diff.ci95, (0.0, 0.0));
    assert_eq!(c.p_better, 0.0);
    assert_eq!(c.p_worse, 0.0);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let s = Scenario::builtin();
    // 5 chunks and a ragged end, so the split across threads matters.
    let one = run(&s, 4321, 11, 1);
    let two = run(&s, 4321, 11, 2);
    let three = run(&s, 4321, 11, 3);
    // Compared as text: means over no paths are NaN, which is never == itself.
    let text = |r: &RunReport| format!("{r:?}");
    assert!(text(&one) == text(&two), "1 and 2 threads differ");
    assert!(text(&one) == text(&three), "1 and 3 threads differ");
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    // More chunks than workers may run ahead of the merge (two each), so
    // workers wait for it, and chunks finish out of order.
    let many = 20 * 1024 + 77;
    let one = run(&s, many, 12, 1);
    let five = run(&s, many, 12, 5);
    assert!(text(&one) == text(&five), "1 and 5 threads differ");
}

#[test]
fn a_path_depends_only_on_seed_and_index() {
    let s = Scenario::builtin();
    let sim = Simulation::new(&s);
    assert_eq!(sim.world(5, 1234), sim.world(5, 1234));
    assert_ne!(sim.world(5, 1234), sim.world(5, 1235));
    assert_ne!(sim.world(5, 1234), sim.world(6, 1234));
    // Path 1234 gives the same outcomes whether 2,000 or 20,000 paths are run:
    // nothing about the run size enters its stream.
    // The engine's fast path (payer powers shared across strategies with the
    // same calendar) gives exactly what playing each strategy alone gives.
    for index in 1230..1260 {
        let alone = sim.run_range(5, index..index + 1, &[], &[]);
        let outcomes = sim.path_outcomes(5, index);
        for (summary, outcome) in alone.strategies.iter().zip(&outcomes) {
            assert_eq!(summary.revenue.mean(), outcome.revenue);
            assert_eq!(summary.margin.mean(), outcome.margin);
        }
    }
}

/// Value stability: a fixed seed keeps producing the same numbers. If a
/// change to the model or the sampling moves these, it changes every user's
/// results: update them only on purpose, and say so in the change.
#[test]
fn fixed_seed_gives_the_same_numbers() {
    let s = Scenario::builtin();
    let report = run(&s, 10_000, 42, 2);
    let means: Vec<(String, f64)> = report
        .strategies
        .iter()
        .map(|st| (st.name.clone(), st.revenue.mean))
        .collect();
    let expected: [(&str, f64); 6] = [
        ("wait", 432243244.89200425),
        ("escalate-now", 433079076.61566734),
        ("escalate-at-impasse", 434133276.2555532),
        ("bluff", 428412704.13481325),
        ("all-issues", 435515611.71917635),
        ("notice-and-escalate", 431738762.6686009),
    ];
    let p_oon = report.strategies[5].p_out_of_network;
    let expected_p_oon = 0.3427;
    // On a deliberate change, the message is the new table to paste.
    let table: String = means
        .iter()
        .map(|(n, m)| format!("        (\"{n}\", {m:?}),\n"))
        .collect();
    let fresh = format!("\n{table}    p_oon = {p_oon:?}\n");
    assert_eq!(means.len(), expected.len(), "{fresh}");
    for ((name, mean), (want_name, want)) in means.iter().zip(expected) {
        assert_eq!(name, want_name, "{fresh}");
        assert!(
            (mean - want).abs() <= 1e-9 * want.abs(),
            "{name}: mean revenue {mean} != {want}{fresh}"
        );
    }
    assert_eq!(p_oon, expected_p_oon, "{fresh}");
}

/// A scenario whose answer is known in closed form: a linear payer with
/// reservation R ~ uniform(0, 0.2) and a linear provider from 0.1 to 0.05
/// meet twice, at the opening (t = 0: offer 0, ask 0.1) and at the deadline
/// session (t = 1). There the payer accepts the standing ask 0.1 if R >= 0.1,
/// otherwise offers R, which the provider accepts if R >= 0.05. Below that,
/// at expiry the provider takes R rather than a roll-over at 0 %. So the
/// uplift is min(R, 0.1): P(deal before expiry) = 3/4, E[uplift] = 0.075,
/// and E[uplift | deal before expiry] = 0.091667 (sd 0.014434).
#[test]
fn monte_carlo_means_match_the_closed_form_within_their_standard_error() {
    let text = r#"
name = "closed-form"
[contract]
annual_revenue = 52e6
term_weeks = 52
renewals = 1
evergreen_weeks = 52
discount_rate = 0.0
attributed_patients = 100
[payer]
opening_offer = 0.0
reservation = "uniform(0, 0.2)"
concession_exponent = 1
deadline_weeks = 0
stall_prob = 0
[[strategy]]
name = "two-meetings"
lead_weeks = 2
cadence_weeks = 1
opening_ask = 0.1
walk_away = 0.05
"#;
    let s = Scenario::from_toml(text, "closed-form").unwrap();
    let paths = 40_000;
    let r = run(&s, paths, 9, 2);
    let st = &r.strategies[0];
    let p = st.p_deal_before_expiry;
    let p_se = (0.75f64 * 0.25 / paths as f64).sqrt();
    assert!((p - 0.75).abs() < 4.0 * p_se, "P(deal) {p}");
    // E[revenue] = 52 x $1M x (1 + E[min(R, 0.1)]).
    let expected = 52e6 * 1.075;
    let mean = st.revenue.mean;
    assert!(
        (mean - expected).abs() < 4.0 * st.revenue.mcse,
        "mean {mean} vs {expected} (mcse {})",
        st.revenue.mcse
    );
    let n_deals = p * paths as f64;
    let se = 0.014434 / n_deals.sqrt();
    let u = st.uplift_if_deal_before_expiry.mean;
    assert!((u - 0.091667).abs() < 4.0 * se, "uplift {u}");
}

/// The deadline effect (Roth, Murnighan & Schoumaker 1988): a Boulware payer
/// (exponent 4) facing a linear provider concedes late, so deals bunch in the
/// last weeks before expiry; a linear payer spreads them out.
#[test]
fn boulware_payer_deals_bunch_before_the_deadline() {
    let share_last_tenth = |exponent: f64| {
        let mut s = Scenario::builtin();
        s.payer.concession_exponent = impasse::scenario::Dist::Fixed(exponent);
        s.strategies.retain(|st| st.name == "wait");
        let r = run(&s, 20_000, 5, 2);
        let st = &r.strategies[0];
        let lead = 52;
        let total: u64 = st.deal_week_histogram.iter().map(|d| d.deals).sum();
        let late: u64 = st
            .deal_week_histogram
            .iter()
            .filter(|d| (d.week as f64) >= -(lead as f64) / 10.0)
            .map(|d| d.deals)
            .sum();
        late as f64 / total as f64
    };
    let boulware = share_last_tenth(4.0);
    let linear = share_last_tenth(1.0);
    eprintln!(
        "share of deals in the last tenth of talks: Boulware {boulware:.3}, linear {linear:.3}"
    );
    assert!(boulware > 0.5, "Boulware: {boulware}");
    assert!(
        boulware > linear + 0.1,
        "Boulware {boulware} vs linear {linear}"
    );
}

#[test]
fn pair_sketches_filled_per_chunk_equal_those_filled_per_path() {
    // run_range leaves the pairs' quantile sketches to the end of each
    // chunk (faster: one sketch at a time); the summary must be the one
    // pushing every path in full gives, to the bit, including a flush
    // forced by a full buffer (more paths than it holds).
    let s = Scenario::builtin();
    let sim = Simulation::new(&s);
    let pairs = baseline_pairs(&s);
    let lean = impasse::engine::other_pairs(&s);
    let paths = PendingSketches::CAPACITY as u64 * 2 + 300;
    let mut direct = sim.empty_summary(&pairs, &lean);
    for i in 0..paths {
        direct.push(&sim.path_outcomes(3, i));
    }
    let chunked = sim.run_range(3, 0..paths, &pairs, &lean);
    assert_eq!(format!("{chunked:?}"), format!("{direct:?}"));
    assert_eq!(chunked.paths, paths);
    // Not a comparison of empty sketches.
    assert!(
        chunked
            .pairs
            .iter()
            .all(|p| p.score_diff.sketch.count() == paths)
    );
    assert!(chunked.pairs[0].revenue_diff.sketch.quantile(0.95) > 0.0);
}
