//! `impasse sweep` and `impasse timing`: common random numbers across grid
//! points, changes of the best strategy, two-way grids, a timing curve whose
//! best week is known by reasoning, and the option errors.

use impasse::analysis::sweep::{Axis, CHANGE_MARKER, SweepReport, planned_runs, sweep};
use impasse::analysis::timing::{Move, TimingOptions, timing};
use impasse::analysis::{self, AnalysisError, Budget};
use impasse::report::Output;
use impasse::scenario::{Override, Scenario, ScenarioError};

fn budget(paths: u64, seed: u64) -> Budget {
    Budget {
        paths,
        seed,
        threads: None,
    }
}

/// Mean revenue of `name` at every point of a sweep.
fn means(report: &SweepReport, name: &str) -> Vec<f64> {
    report
        .points
        .iter()
        .map(|p| {
            p.strategies
                .iter()
                .find(|s| s.name == name)
                .unwrap()
                .revenue_mean
        })
        .collect()
}

/// The text of an error, and the option it names.
fn option_of(err: &AnalysisError) -> &str {
    match err {
        AnalysisError::Option { option, .. } => option,
        other => panic!("expected an option error, got {other:?}"),
    }
}

#[test]
fn a_sweep_leaves_strategies_that_ignore_the_input_exactly_unchanged() {
    let s = Scenario::builtin();
    let b = budget(8000, 11);

    // No strategy but `notice-and-escalate` sends a notice it would back
    // (`bluff` is not willing to leave: its own credibility is
    // `payer.notice.bluff_credibility`), so the credibility of real notices
    // cannot move the others, to the last bit.
    let axis = Axis::parse_values("payer.notice.credibility", "0,0.385,1").unwrap();
    let r = sweep(&s, &axis, None, &b, &|_| {}).unwrap();
    assert_eq!(r.points.len(), 3);
    assert_eq!(r.strategies.len(), s.strategies.len());
    for name in [
        "wait",
        "escalate-now",
        "escalate-at-impasse",
        "all-issues",
        "bluff",
    ] {
        let m = means(&r, name);
        assert!(m.iter().all(|&x| x == m[0]), "{name}: {m:?}");
    }
    // The bluff's own credibility moves the bluff and nothing else.
    let bluff_axis = Axis::parse_values("payer.notice.bluff_credibility", "0,1").unwrap();
    let rb = sweep(&s, &bluff_axis, None, &b, &|_| {}).unwrap();
    for st in &s.strategies {
        let m = means(&rb, &st.name);
        if st.name == "bluff" {
            assert!(m[1] > m[0], "a believed bluff should pay more: {m:?}");
        } else {
            assert_eq!(m[0], m[1], "{}: {m:?}", st.name);
        }
    }
    // The notice strategy does respond: a notice believed on no path against
    // one believed on every path the provider is aligned.
    let m = means(&r, "notice-and-escalate");
    assert_ne!(m[0], m[2], "notice-and-escalate: {m:?}");
    let m = means(&r, "notice-and-escalate");
    let ne = s.strategy_index("notice-and-escalate").unwrap();
    let mcse = |k: usize| r.points[k].strategies[ne].revenue_mcse;
    assert_eq!(r.points[0].strategies[ne].name, "notice-and-escalate");
    assert!(
        m[2] - m[0] > 4.0 * (mcse(0).powi(2) + mcse(2).powi(2)).sqrt(),
        "a believed notice should pay: {m:?}"
    );

    // The point at the scenario's own value (0.385) is the scenario itself:
    // the same seed gives the very same numbers as a plain run.
    let plain = analysis::run(&s, &b, &[], &|_| {}).unwrap();
    for (st, summary) in r.points[1].strategies.iter().zip(&plain.strategies) {
        assert_eq!(st.revenue_mean, summary.revenue.mean(), "{}", st.name);
        assert_eq!(st.p_out_of_network, summary.first().out_of_network.p());
    }

    // `wait` never escalates: the executives' success probability is
    // irrelevant to it, while it matters to `escalate-at-impasse`. Without
    // backlash a refused escalation changes nothing (its cost is charged to
    // margin, not revenue), and executives who engage only raise the payer's
    // reservation and speed its tactic; with no roll-over clause the payer's
    // deadline is expiry, so a higher offer curve means a deal no later and
    // no lower. The paths where they engage grow with the probability (the
    // same uniforms).
    let s = s
        .with_overrides(&[
            Override::new("payer.exec.backlash_prob", 0.0),
            Override::new("payer.exec.premature_backlash_prob", 0.0),
            Override::new("contract.evergreen_weeks", 0),
        ])
        .unwrap();
    let axis = Axis::parse_range("payer.exec.success_prob", "0:1:3").unwrap();
    let r = sweep(&s, &axis, None, &b, &|_| {}).unwrap();
    let wait = means(&r, "wait");
    assert!(wait.iter().all(|&x| x == wait[0]), "{wait:?}");
    let esc = means(&r, "escalate-at-impasse");
    assert!(esc[0] < esc[1] && esc[1] < esc[2], "{esc:?}");
    // At a success probability of 0 escalating is the same as waiting.
    assert_eq!(esc[0], wait[0]);
}

#[test]
fn a_change_of_best_strategy_is_found_and_marked() {
    // Two strategies that each win somewhere: `data-prep` raises the payer's
    // reservation by data.reservation_gain (0.003 in the built-in scenario)
    // whatever happens; `escalate-at-impasse` raises it by
    // exec.reservation_gain = 0.03 but only when the executives engage. At
    // success_prob = 0 escalating gains nothing (a refused escalation can
    // only harden the staff), so it is at best `wait`, which data-prep beats;
    // at 1 it is worth ten times the data. With common random numbers the
    // escalation curve is smooth and increasing, so the best changes once.
    let mut s = Scenario::builtin()
        .with_overrides(&[Override::new("payer.exec.reservation_gain", 0.03)])
        .unwrap();
    let wait = s.strategies[s.strategy_index("wait").unwrap()].clone();
    let esc = s.strategies[s.strategy_index("escalate-at-impasse").unwrap()].clone();
    let mut data = wait.clone();
    data.name = "data-prep".into();
    data.data_prep = true;
    s.strategies = vec![wait, data, esc];
    s.validate().unwrap();

    let axis = Axis::parse_range("payer.exec.success_prob", "0:1:5").unwrap();
    assert_eq!(axis.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    let b = budget(8000, 5);
    // The ends are not a coin toss: the paired difference data-prep -
    // escalate-at-impasse on these paths is positive at 0 and negative at 1,
    // well beyond its Monte Carlo error.
    for (p, sign) in [(0.0, 1.0), (1.0, -1.0)] {
        let at = s
            .with_overrides(&[Override::new("payer.exec.success_prob", p)])
            .unwrap();
        let run = analysis::run(&at, &b, &[(1, 2)], &|_| {}).unwrap();
        let d = run.pairs[0].revenue();
        assert!(sign * d.mean() > 4.0 * d.mcse(), "at {p}: {d:?}");
    }
    let r = sweep(&s, &axis, None, &b, &|_| {}).unwrap();
    assert_eq!(r.points.first().unwrap().best, "data-prep");
    assert_eq!(r.points.last().unwrap().best, "escalate-at-impasse");
    assert!(!r.points[0].best_changes);
    let changes: Vec<f64> = r.changes().map(|p| p.value).collect();
    assert_eq!(changes.len(), 1, "{changes:?}");
    // The marker sits on the first point whose best differs from the previous.
    let k = r.points.iter().position(|p| p.best_changes).unwrap();
    assert_eq!(r.points[k - 1].best, "data-prep");
    assert_eq!(r.points[k].best, "escalate-at-impasse");
    // The best is the highest mean at every point.
    for p in &r.points {
        let top = p
            .strategies
            .iter()
            .max_by(|a, b| a.revenue_mean.total_cmp(&b.revenue_mean))
            .unwrap();
        assert_eq!(p.best, top.name);
    }

    // The table marks it on exactly one line; the CSV is long (one row per
    // point and strategy) and flags the best.
    let table = r.table();
    assert_eq!(table.matches(CHANGE_MARKER).count(), 1, "{table}");
    let marked = table.lines().find(|l| l.contains(CHANGE_MARKER)).unwrap();
    assert!(
        marked.starts_with(&impasse::scenario::labels::format_value(
            &r.param,
            r.points[k].value
        )),
        "{marked}"
    );
    let (header, rows) = r.csv();
    assert_eq!(
        header,
        [
            "param",
            "value",
            "strategy",
            "revenue_mean",
            "revenue_mcse",
            "p_out_of_network",
            "is_best"
        ]
    );
    assert_eq!(rows.len(), 5 * 3);
    assert_eq!(rows.iter().filter(|r| r[6] == "true").count(), 5);
    assert_eq!(rows[0][..3], ["payer.exec.success_prob", "0", "wait"]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["param"], "payer.exec.success_prob");
    assert_eq!(json["points"][k]["best_changes"], true);
}

#[test]
fn a_two_way_sweep_covers_the_grid_with_the_right_values() {
    let s = Scenario::builtin();
    let a1 = Axis::parse_values("payer.exec.success_prob", "0.2,0.8").unwrap();
    let a2 = Axis::parse_range("strategy.wait.walk_away", "0.01:0.03:3").unwrap();
    assert_eq!(planned_runs(&a1, Some(&a2)), 6);
    let b = budget(2000, 3);
    let calls = std::sync::atomic::AtomicU64::new(0);
    let r = sweep(&s, &a1, Some(&a2), &b, &|n| {
        calls.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(calls.into_inner(), 6 * 2000);
    assert_eq!(r.points.len(), 2 * 3);
    // The first axis varies fastest: one row per value of the second.
    let grid: Vec<(f64, Option<f64>)> = r.points.iter().map(|p| (p.value, p.value2)).collect();
    assert_eq!(
        grid,
        vec![
            (0.2, Some(0.01)),
            (0.8, Some(0.01)),
            (0.2, Some(0.02)),
            (0.8, Some(0.02)),
            (0.2, Some(0.03)),
            (0.8, Some(0.03)),
        ]
    );
    // No change is marked at the start of a row.
    for k in [0, 2, 4] {
        assert!(!r.points[k].best_changes);
    }
    // Each point is exactly the scenario with both values set.
    let point = s
        .with_overrides(&[
            Override::new("payer.exec.success_prob", 0.8),
            Override::new("strategy.wait.walk_away", 0.02),
        ])
        .unwrap();
    let plain = analysis::run(&point, &b, &[], &|_| {}).unwrap();
    for (st, summary) in r.points[3].strategies.iter().zip(&plain.strategies) {
        assert_eq!(st.revenue_mean, summary.revenue.mean(), "{}", st.name);
    }
    // `wait`'s walk-away moves `wait` only; the success probability moves
    // the escalating strategies only: `wait` depends on the row alone.
    let wait = means(&r, "wait");
    assert_eq!(wait[0], wait[1]);
    assert_eq!(wait[2], wait[3]);
    assert_ne!(wait[0], wait[4]);
    let (header, rows) = r.csv();
    assert_eq!(header[..4], ["param", "value", "param2", "value2"]);
    assert_eq!(rows.len(), 6 * s.strategies.len());
    assert_eq!(
        rows[0][..4],
        [
            "payer.exec.success_prob",
            "0.2",
            "strategy.wait.walk_away",
            "0.01"
        ]
    );
}

/// A scenario built so that one escalation week is best, by reasoning:
///
/// - One renewal (a three-year term, `renewals = 1`). Every input that
///   matters is fixed except the revenue, the staff reservation (always
///   0.01 to 0.03, below the provider's walk-away of 0.05) and whether the
///   executives engage (success_prob 0.6): without them no deal is struck in
///   talks, and with no roll-over and no willingness to leave, the provider
///   takes the payer's last offer (its reservation, < 0.03) at expiry.
/// - Meetings every 2 weeks from -52 to -2 and the deadline session at -1,
///   t = (w + 52) / 51. The payer opens at 0 and is a Boulware of exponent
///   4, exactly the exponent the provider expects, so projecting its offers
///   along that path gives its reservation at every meeting: short of the
///   walk-away by at least 0.02, more than min_gap. The watch starts when
///   the payer has answered, 2 weeks after the opening (week -50), and the
///   impasse is declared stall_weeks = 6 later: week -44.
/// - premature_penalty = 1: escalating before the impasse never works, and
///   with no backlash a refused escalation changes nothing. An escalation
///   set for week -44 is made at the start of that meeting, before the
///   impasse watch declares it, so it is premature too. Weeks -52 to -44
///   earn what never escalating earns.
/// - From week -42 on, executives who engage do so 2 weeks later
///   (lag_weeks = 2) with a reservation raised by 0.10 and a near-instant
///   tactic (exponent 0.01): the payer's threshold (> 0.10) is then above any
///   ask, so it accepts the provider's standing ask, the one made at the
///   escalation week w: 0.09 - 0.04 (w + 52) / 51, which falls by 0.04 * 2/51
///   a meeting. Whether they engage does not depend on the week (the same
///   uniform against the same 0.6), so the earliest effective week, -42, is
///   best; every later week is worse on every path where the executives
///   engage, and equal elsewhere.
/// - Escalating at -2 brings the executives at week 0, after the deadline
///   session: worthless.
/// - `on_impasse` escalates at the -44 meeting, after the impasse watch (not
///   premature): the deal comes at -42 at the ask of -44, above the best
///   fixed week's. (The strategy itself never escalates: the analysis must
///   set every trigger, `on_impasse` included.)
/// - Escalation costs are charged to margin; the curve is of revenue.
const ONE_GOOD_WEEK: &str = r#"
name = "one-good-week"
[contract]
annual_revenue = "triangular(40e6, 50e6, 60e6)"
attributed_patients = 10000
term_weeks = 156
renewals = 1
evergreen_weeks = 0
notice_weeks = 13
[payer]
opening_offer = 0.0
reservation = "uniform(0.01, 0.03)"
concession_exponent = 4
response_weeks = 2
[payer.exec]
success_prob = 0.6
reservation_gain = 0.10
exponent_after = 0.01
lag_weeks = 2
premature_penalty = 1.0
backlash_prob = 0.0
premature_backlash_prob = 0.0
[provider]
alignment = 1.0
[impasse]
min_gap = 0.0025
expected_payer_exponent = 4
stall_weeks = 6
[[strategy]]
name = "escalate"
lead_weeks = 52
cadence_weeks = 2
opening_ask = 0.09
walk_away = 0.05
concession_exponent = 1.0
escalation = "never"
max_oon_weeks = 0
"#;

#[test]
fn the_timing_curve_finds_the_week_that_is_best_by_construction() {
    let s = Scenario::from_toml(ONE_GOOD_WEEK, "one-good-week").unwrap();
    let options = TimingOptions {
        strategy: "escalate".into(),
        from: None,
        to: None,
        step: None,
        notice: false,
    };
    let r = timing(&s, &options, &budget(6000, 9), &|_| {}).unwrap();
    // Defaults: from the opening of talks to the week before expiry, every
    // cadence (2 weeks).
    assert_eq!(r.decision, Move::Escalation);
    assert_eq!((r.from, r.to, r.step), (-52, -1, 2));
    assert_eq!(r.legal_range, (-52, -1));
    let weeks: Vec<i32> = r.weeks.iter().map(|p| p.week).collect();
    assert_eq!(weeks, (-52..=-2).step_by(2).collect::<Vec<_>>());

    assert_eq!(r.best_week, -42);
    // Every other week is worse on some paths and better on none, so none is
    // statistically indistinguishable from the best.
    assert!(r.indistinguishable_weeks.is_empty(), "{r:?}");
    let at = |w: i32| r.weeks.iter().find(|p| p.week == w).unwrap();
    assert!(at(-42).is_best && !at(-40).is_best);
    assert_eq!(at(-42).diff_vs_best_mean, 0.0);
    for p in &r.weeks {
        if p.week != -42 {
            assert!(p.diff_vs_best_ci95.1 < 0.0, "week {}: {p:?}", p.week);
        }
    }
    // Premature weeks and the week too late for the meeting earn the same:
    // nothing from escalating.
    let nothing = at(-52).revenue_mean;
    for w in [-50, -46, -44, -2] {
        assert_eq!(at(w).revenue_mean, nothing, "week {w}");
    }
    // Effective weeks fall one ask step a meeting: -42 > -40 > ... > -4.
    for w in (-42..-4).step_by(2) {
        assert!(at(w).revenue_mean > at(w + 2).revenue_mean, "week {w}");
    }
    // The engaged paths gain (0.09 - 0.04 * 10/51) - (last offer < 0.03) >
    // 0.05 in yearly uplift: a three-year escalator pays it 1 + 2 + 3 times
    // (discounted at 5 %: more than 0.85 of it), on 60 % of paths.
    assert!(at(-42).revenue_mean - nothing > 0.6 * 0.05 * 50e6 * 6.0 * 0.85);
    assert_eq!(at(-42).p_out_of_network, 0.0);
    // Escalating on impasse beats every fixed week, clearly.
    assert!(r.on_impasse.diff_vs_best_ci95.0 > 0.0, "{:?}", r.on_impasse);

    // The table stars the best week; the CSV has a row per week plus on_impasse.
    let table = r.table();
    let best_line = table.lines().find(|l| l.starts_with("-42 ")).unwrap();
    assert!(best_line.contains('*'), "{table}");
    assert!(table.contains("Best escalation week: -42"), "{table}");
    let (header, rows) = r.csv();
    assert_eq!(header[0], "week");
    assert_eq!(rows.len(), weeks.len() + 1);
    assert_eq!(rows.last().unwrap()[0], "on_impasse");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["best_week"], -42);
    assert_eq!(json["decision"], "escalation");

    // A narrower window keeps the same paths: week -40's numbers do not move.
    let narrow = TimingOptions {
        from: Some(-40),
        to: Some(-30),
        step: Some(5),
        ..options
    };
    let n = timing(&s, &narrow, &budget(6000, 9), &|_| {}).unwrap();
    let weeks: Vec<i32> = n.weeks.iter().map(|p| p.week).collect();
    assert_eq!(weeks, vec![-40, -35, -30]);
    assert_eq!(n.best_week, -40);
    assert_eq!(n.weeks[0].revenue_mean, at(-40).revenue_mean);
}

#[test]
fn indistinguishable_weeks_are_those_whose_paired_interval_contains_zero() {
    // On the built-in scenario, the notice of `notice-and-escalate` over its
    // legal range [-52, -13]: check the report's own logic on a noisy curve.
    let s = Scenario::builtin();
    let options = TimingOptions {
        strategy: "notice-and-escalate".into(),
        from: None,
        to: None,
        step: Some(6),
        notice: true,
    };
    let r = timing(&s, &options, &budget(4000, 2), &|_| {}).unwrap();
    assert_eq!(r.decision, Move::Notice);
    assert_eq!(r.legal_range, (-52, -13));
    assert_eq!((r.from, r.to), (-52, -13));
    let weeks: Vec<i32> = r.weeks.iter().map(|p| p.week).collect();
    assert_eq!(weeks, vec![-52, -46, -40, -34, -28, -22, -16]);
    let best = r.weeks.iter().find(|p| p.is_best).unwrap();
    assert_eq!(best.week, r.best_week);
    for p in &r.weeks {
        assert!(p.revenue_mean <= best.revenue_mean);
        let (lo, hi) = p.diff_vs_best_ci95;
        // A tie (the same revenue on every path) is indistinguishable
        // whatever the interval of its rounding noise says.
        assert_eq!(
            p.indistinguishable,
            !p.is_best && (p.ties_best || (lo <= 0.0 && hi >= 0.0)),
            "{p:?}"
        );
        assert_eq!(r.tied_weeks.contains(&p.week), p.ties_best);
        assert_eq!(
            r.indistinguishable_weeks.contains(&p.week),
            p.indistinguishable
        );
        // The paired difference is the difference of the means (same paths).
        let d = p.revenue_mean - best.revenue_mean;
        assert!((p.diff_vs_best_mean - d).abs() <= 1e-6 * best.revenue_mean.abs());
    }
}

#[test]
fn bad_options_name_the_option() {
    // --range: too few points, lo above hi, not three fields, not numbers.
    for text in [
        "0:1:1",
        "1:0:3",
        "0.5:0.5:3",
        "0:1",
        "a:1:3",
        "0:1:x",
        "0:1:-2",
    ] {
        let err = Axis::parse_range("payer.exec.success_prob", text).unwrap_err();
        assert_eq!(option_of(&err), "--range", "{text}");
        assert!(err.to_string().contains("lo:hi:n"), "{err}");
    }
    let err = Axis::parse_range("x", "0:1:1").unwrap_err().to_string();
    assert!(err.contains("from 2"), "{err}");
    let err = Axis::parse_range("x", "1:0:3").unwrap_err().to_string();
    assert!(err.contains("less than hi"), "{err}");
    // --values: unparsable, empty entries, nothing at all.
    for text in ["0.1,abc", "0.1,,0.2", "", "nan"] {
        let err = Axis::parse_values("payer.exec.success_prob", text).unwrap_err();
        assert_eq!(option_of(&err), "--values", "{text:?}");
    }
    let err = Axis::parse_values("x", "0.1,abc").unwrap_err().to_string();
    assert!(err.contains("`abc`"), "{err}");
    // The second axis's options name themselves.
    let err = Axis::parse_values_for("--values2", "x", "abc").unwrap_err();
    assert_eq!(option_of(&err), "--values2");
    let err = Axis::parse_range_for("--range2", "x", "0:1:1").unwrap_err();
    assert_eq!(option_of(&err), "--range2");

    let s = Scenario::builtin();
    let b = budget(1000, 1);
    // An unknown path names --param (or --param2) and suggests close ones.
    let axis = Axis::parse_values("payer.exec.succes_prob", "0.1").unwrap();
    let err = sweep(&s, &axis, None, &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--param");
    assert!(err.to_string().contains("payer.exec.success_prob"), "{err}");
    let good = Axis::parse_values("payer.exec.success_prob", "0.1").unwrap();
    let bad = Axis::parse_values("strategy.nope.walk_away", "0.1").unwrap();
    let err = sweep(&s, &good, Some(&bad), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--param2");
    assert!(
        err.to_string().contains("no strategy named `nope`"),
        "{err}"
    );
    let err = sweep(&s, &good, Some(&good), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--param2");

    // A value the field does not allow names the field, the value, and the
    // grid point; nothing runs.
    let axis = Axis::parse_values("payer.exec.success_prob", "0.5,1.2").unwrap();
    let ran = std::sync::atomic::AtomicU64::new(0);
    let err = sweep(&s, &axis, None, &b, &|n| {
        ran.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap_err();
    assert_eq!(ran.into_inner(), 0);
    match &err {
        AnalysisError::Scenario(ScenarioError::Invalid { field, value, .. }) => {
            assert_eq!(field, "payer.exec.success_prob");
            assert_eq!(value, "1.2");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .contains("at sweep point payer.exec.success_prob = 1.2"),
        "{err}"
    );
    // A value that breaks another field's rule still says which point.
    let axis = Axis::parse_values("strategy.wait.opening_ask", "0.05,0.01").unwrap();
    let err = sweep(&s, &axis, None, &b, &|_| {}).unwrap_err().to_string();
    assert!(
        err.contains("walk_away") && err.contains("strategy.wait.opening_ask = 0.01"),
        "{err}"
    );

    // Timing: unknown strategy, weeks outside the legal range, empty window.
    let opts = |strategy: &str, from, to, notice| TimingOptions {
        strategy: strategy.into(),
        from,
        to,
        step: None,
        notice,
    };
    let err = timing(&s, &opts("nope", None, None, false), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--strategy");
    assert!(err.to_string().contains("escalate-now"), "{err}");
    let err = timing(&s, &opts("wait", Some(-60), None, false), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--from");
    assert!(err.to_string().contains("[-52, -1]"), "{err}");
    let err = timing(&s, &opts("wait", None, Some(0), false), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--to");
    assert!(err.to_string().contains("[-52, -1]"), "{err}");
    // A notice must be sent by the legal deadline (-13 here).
    let err = timing(&s, &opts("bluff", None, Some(-12), true), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--to");
    assert!(err.to_string().contains("[-52, -13]"), "{err}");
    let err = timing(&s, &opts("wait", Some(-10), Some(-20), false), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--to");
    let zero_step = TimingOptions {
        step: Some(0),
        ..opts("wait", None, None, false)
    };
    let err = timing(&s, &zero_step, &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--step");
    // Talks that open after the notice deadline leave no legal notice week.
    let late = s
        .with_overrides(&[Override::new("strategy.wait.lead_weeks", 10)])
        .unwrap();
    let err = timing(&late, &opts("wait", None, None, true), &b, &|_| {}).unwrap_err();
    assert_eq!(option_of(&err), "--notice");
}

#[test]
fn weeks_with_identical_results_tie_with_the_best_despite_rounding_noise() {
    // In the shipped physician-group scenario an escalation of
    // `notice-and-escalate` from week -52 to week -30 changes nothing: every
    // path earns the same revenue, up to floating-point noise of about 1e-11
    // dollars. On these paths the noise is all of one sign in weeks -42 to
    // -30, so the 95 % interval of their "difference" with the best week
    // excludes zero; they must still tie with it, not be told apart.
    let s = Scenario::from_toml(
        include_str!("../scenarios/physician-group.toml"),
        "physician-group",
    )
    .unwrap();
    let options = TimingOptions {
        strategy: "notice-and-escalate".into(),
        from: Some(-52),
        to: Some(-28),
        step: Some(2),
        notice: false,
    };
    let r = timing(&s, &options, &budget(6000, 26), &|_| {}).unwrap();
    let mean = r
        .weeks
        .iter()
        .find(|p| p.is_best)
        .map(|p| p.revenue_mean)
        .unwrap();
    assert!((-52..=-30).contains(&r.best_week), "{}", r.best_week);
    let same: Vec<i32> = (-52..=-30)
        .step_by(2)
        .filter(|&w| w != r.best_week)
        .collect();
    // The premise: identical results to a relative 1e-9, with noise whose
    // interval leaves out zero for some week (what the old rule got wrong).
    let noisy = same.iter().any(|&w| {
        let p = r.weeks.iter().find(|p| p.week == w).unwrap();
        let (lo, hi) = p.diff_vs_best_ci95;
        lo > 0.0 || hi < 0.0
    });
    assert!(
        noisy,
        "no week's noise excludes zero any more: pick another seed {r:#?}"
    );
    for p in &r.weeks {
        if p.week == r.best_week {
            assert!(p.is_best && !p.ties_best && !p.indistinguishable);
        } else if same.contains(&p.week) {
            assert!(p.diff_vs_best_mean.abs() <= 1e-9 * mean, "{p:?}");
            assert!(p.ties_best && p.indistinguishable, "{p:?}");
        } else {
            // Week -28 does change the outcome on some paths.
            assert_eq!(p.week, -28);
            assert!(!p.ties_best, "{p:?}");
        }
    }
    assert_eq!(r.tied_weeks, same);
    for w in &same {
        assert!(r.indistinguishable_weeks.contains(w), "{w}");
    }

    // The table marks them `=` and says they tie: identical results.
    let table = r.table();
    for w in &same {
        let line = table
            .lines()
            .find(|l| l.starts_with(&format!("{w} ")))
            .unwrap();
        assert!(line.contains(" = "), "{line}");
    }
    assert!(
        table.contains("tie with it: identical results, the same revenue on every path"),
        "{table}"
    );
    assert!(!table.contains("no other week is statistically indistinguishable"));
    // CSV and JSON carry the tie.
    let (header, rows) = r.csv();
    let col = header.iter().position(|h| h == "ties_best").unwrap();
    let ind = header
        .iter()
        .position(|h| h == "indistinguishable")
        .unwrap();
    for row in &rows {
        let week: Result<i32, _> = row[0].parse();
        let tied = week.is_ok_and(|w| same.contains(&w));
        assert_eq!(row[col], tied.to_string(), "{row:?}");
        if tied {
            assert_eq!(row[ind], "true");
        }
    }
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["tied_weeks"].as_array().unwrap().len(), same.len());
    assert_eq!(json["weeks"][1]["ties_best"], r.weeks[1].ties_best);
}

#[test]
fn an_escalation_that_changes_nothing_ties_in_every_week_and_on_impasse() {
    // Executives that never engage and never harden the staff: escalating
    // (in any week, or on impasse) cannot move revenue; its cost falls on
    // margin only. Every week ties with the best, on every path, and so
    // does escalating on impasse.
    let s = Scenario::builtin()
        .with_overrides(&[
            Override::new("payer.exec.success_prob", 0),
            Override::new("payer.exec.backlash_prob", 0),
            Override::new("payer.exec.premature_backlash_prob", 0),
        ])
        .unwrap();
    let options = TimingOptions {
        strategy: "escalate-now".into(),
        from: Some(-52),
        to: Some(-40),
        step: Some(4),
        notice: false,
    };
    let r = timing(&s, &options, &budget(2000, 4), &|_| {}).unwrap();
    // Ties go to the earliest week.
    assert_eq!(r.best_week, -52);
    assert_eq!(r.tied_weeks, vec![-48, -44, -40]);
    assert_eq!(r.indistinguishable_weeks, vec![-48, -44, -40]);
    for p in r.weeks.iter().filter(|p| !p.is_best) {
        assert!(p.ties_best && p.indistinguishable, "{p:?}");
    }
    assert!(r.on_impasse.ties_best && r.on_impasse.indistinguishable);
    let table = r.table();
    assert!(table.contains("weeks -48, -44, -40 tie with it"), "{table}");
    assert!(
        table.contains("a tie with the best fixed week, the same revenue on every path"),
        "{table}"
    );
    assert!(!table.contains("statistically indistinguishable from it (95 %)"));
}
