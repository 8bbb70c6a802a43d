//! `tornado` and `threshold`: the tornado ranks the input that matters, marks
//! the inputs that flip a decision, gives exactly zero to inputs the target
//! ignores and clamps ±20 % values to the field's range; the threshold's
//! break-even, fed back into the scenario, makes the two strategies tie, no
//! value is made up when they do not cross, and bad options are named.
//!
//! Fixed seeds throughout; tolerances come from the Monte Carlo standard
//! errors the analyses report.

use impasse::analysis::threshold::{Finding, ThresholdOptions, Tie, threshold};
use impasse::analysis::tornado::{
    InputKind, Metric, Target, TornadoOptions, plan, planned_runs, tornado,
};
use impasse::analysis::{AnalysisError, Budget, only_strategies, run};
use impasse::report::{Format, Output, render};
use impasse::scenario::{Correlation, Dist, Override, Scenario};

fn budget(paths: u64, seed: u64) -> Budget {
    Budget {
        paths,
        seed,
        threads: Some(2),
    }
}

fn with(s: &Scenario, sets: &[(&str, &str)]) -> Scenario {
    let o: Vec<Override> = sets.iter().map(|(p, v)| Override::new(*p, v)).collect();
    s.with_overrides(&o).unwrap()
}

/// A scenario where `notice-and-escalate` often goes out of network (its
/// walk-away is high), and the revenue kept out of network is very uncertain:
/// with little kept, leaving is ruinous; with most kept, it pays.
///
/// Its walk-away of 6 % a year is above anything the payer's staff can grant
/// (a reservation of at most 3.5 %, plus at most 3 points from data,
/// executives and a believed notice, on few paths all at once), so it goes
/// out of network on nearly every path. Out of network the payer's
/// reservation rises by up to 4 points: on most paths it clears the
/// walk-away within the 26 weeks the hospital will stay out, and the deal
/// splits the zone above 6 %, far above the 1-3.5 % that `wait` settles at.
/// Out-of-network revenue is linear in the share kept, so the difference
/// against `wait` is too: the weeks out cost little when most is kept and
/// more than the higher escalator brings when little is.
fn oon_gamble(retention: &str) -> Scenario {
    with(
        &Scenario::builtin(),
        &[
            ("strategy.notice-and-escalate.walk_away", "0.06"),
            ("payer.oon.reservation_gain", "0.04"),
            ("provider.oon.volume_retention", retention),
        ],
    )
}

/// The option named by an error, or a panic.
fn option_of(err: AnalysisError) -> String {
    match err {
        AnalysisError::Option { option, .. } => option,
        other => panic!("expected an option error, got {other:?}"),
    }
}

#[test]
fn the_dominant_input_ranks_first() {
    // The payer opens at flat rates: a zero-valued fixed input.
    let s = with(
        &Scenario::builtin(),
        &[
            ("contract.annual_revenue", "uniform(40e6, 120e6)"),
            ("payer.opening_offer", "0"),
        ],
    );
    let options = TornadoOptions::new(Target::Strategy("wait".into()), Metric::Revenue);
    let b = budget(4000, 11);
    let r = tornado(&s, &options, &b, &|_| {}).unwrap();
    assert_eq!(r.runs, planned_runs(&s, &options));
    assert_eq!(r.runs, 1 + 2 * r.bars.len());

    let top = &r.bars[0];
    assert_eq!(top.input, "contract.annual_revenue");
    assert_eq!(top.kind, InputKind::Uncertain);
    assert_eq!((top.low, top.high), (48e6, 112e6), "P10 and P90");
    // `wait` trades the rate alone, so its revenue on each path is
    // proportional to the annual revenue: with the other draws shared, the
    // two ends are in the ratio of the pinned values.
    let ratio = top.metric_high / top.metric_low;
    assert!((ratio - 112.0 / 48.0).abs() < 1e-9, "{ratio}");
    // Far ahead of the next bar, beyond any Monte Carlo error.
    let next = &r.bars[1];
    let noise = 4.0 * (top.metric_low_mcse + top.metric_high_mcse);
    assert!(
        top.swing > 10.0 * next.swing && top.swing - next.swing > noise,
        "{} vs {} ({})",
        top.swing,
        next.swing,
        next.input
    );
    // Sorted by swing, largest first; no flips for a single strategy.
    assert!(r.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
    assert!(r.bars.iter().all(|b| b.flips.is_none()));
    // Inputs `wait` never looks at (margin, out of network, items) swing by
    // exactly zero: the runs share every other draw.
    for ignored in [
        "contract.contribution_margin",
        "provider.oon.volume_retention",
        "item.denials.annual_value",
        "payer.exec.success_prob",
    ] {
        let bar = r.bars.iter().find(|b| b.input == ignored).unwrap();
        assert_eq!(bar.swing, 0.0, "{ignored}");
        assert_eq!(bar.metric_low, r.base, "{ignored}");
    }
    // Zero-valued fixed inputs are listed, not varied.
    assert!(r.not_varied.contains(&"payer.opening_offer".to_string()));

    // The base is the scenario as written, on the same paths.
    let wait = only_strategies(&s, &["wait"]).unwrap();
    let base = run(&wait, &b, &[], &|_| {}).unwrap();
    assert_eq!(r.base, base.strategies[0].revenue.mean());
    // And a bar's end is the scenario with that input pinned.
    let pinned = wait
        .with_input("contract.annual_revenue", &Dist::Fixed(48e6))
        .unwrap();
    let low = run(&pinned, &b, &[], &|_| {}).unwrap();
    assert_eq!(top.metric_low, low.strategies[0].revenue.mean());

    // Every format renders.
    let table = r.table();
    assert!(table.contains("tornado of the mean net present revenue of `wait`"));
    assert!(table.contains("seed 11"));
    let json: serde_json::Value =
        serde_json::from_slice(&render(&r, Format::Json).unwrap()).unwrap();
    assert_eq!(json["target"], "strategy");
    assert_eq!(json["metric"], "revenue");
    assert_eq!(json["bars"][0]["input"], "contract.annual_revenue");
    let csv = String::from_utf8(render(&r, Format::Csv).unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 1 + r.bars.len());
    assert!(csv.starts_with("input,kind,as_written,low,high,"));
}

#[test]
fn an_input_that_can_flip_the_decision_is_marked() {
    let s = oon_gamble("uniform(0, 1)");
    let options = TornadoOptions::new(
        Target::Diff("notice-and-escalate".into(), "wait".into()),
        Metric::Revenue,
    );
    let r = tornado(&s, &options, &budget(6000, 5), &|_| {}).unwrap();
    assert!(r.is_diff());
    let bar = r
        .bars
        .iter()
        .find(|b| b.input == "provider.oon.volume_retention")
        .unwrap();
    assert_eq!((bar.low, bar.high), (0.1, 0.9));
    // Little revenue kept out of network: leaving loses; most kept: it pays.
    // Both ends clear of zero by more than 1.96 standard errors.
    assert!(
        bar.metric_low + 1.96 * bar.metric_low_mcse < 0.0,
        "{} ± {}",
        bar.metric_low,
        bar.metric_low_mcse
    );
    assert!(
        bar.metric_high - 1.96 * bar.metric_high_mcse > 0.0,
        "{} ± {}",
        bar.metric_high,
        bar.metric_high_mcse
    );
    assert_eq!(bar.flips, Some(true));
    assert_eq!(bar.flip_significant, Some(true));
    assert!(r.flipping().contains(&"provider.oon.volume_retention"));

    // Neither strategy can be called bluffing (`wait` sends no notice,
    // `notice-and-escalate` is willing to leave): exactly zero, no flip.
    let ignored = r
        .bars
        .iter()
        .find(|b| b.input == "payer.notice.bluff_credibility")
        .unwrap();
    assert_eq!(ignored.swing, 0.0);
    assert_eq!(ignored.metric_low, ignored.metric_high);
    assert_eq!(ignored.flips, Some(false));
    // Bars that flip are not those whose three values share a sign.
    for b in &r.bars {
        let v = [b.metric_low, b.metric_high, r.base];
        let mixed = v.iter().any(|x| *x > 0.0) && v.iter().any(|x| *x < 0.0);
        assert_eq!(b.flips, Some(mixed), "{}", b.input);
    }
    let table = r.table();
    assert!(table.contains("flips"), "{table}");
    assert!(
        table.contains("could flip the decision") && table.contains("volume_retention"),
        "{table}"
    );
}

#[test]
fn fixed_values_beyond_their_range_are_clamped() {
    let s = with(
        &Scenario::builtin(),
        &[
            ("provider.alignment", "0.9"),
            ("payer.exec.exponent_after", "0.011"),
            ("item.old-claims.transfer_share", "0.9"),
        ],
    );
    let options = TornadoOptions::new(Target::Strategy("escalate-now".into()), Metric::Margin);
    let p = plan(&s, &options).unwrap();
    let alignment = p
        .swings
        .iter()
        .find(|w| w.input == "provider.alignment")
        .unwrap();
    // +20 % of 0.9 is 1.08, not a probability: clamped to 1.
    assert_eq!(alignment.high, 1.0);
    assert!(alignment.high_clamped);
    assert_eq!(alignment.low, 0.72);
    assert!(!alignment.low_clamped);
    // −20 % of 0.011 is below the smallest exponent, 0.01.
    let exponent = p
        .swings
        .iter()
        .find(|w| w.input == "payer.exec.exponent_after")
        .unwrap();
    assert_eq!(exponent.low, 0.01);
    assert!(exponent.low_clamped && !exponent.high_clamped);
    // +20 % of a transfer share of 0.9 is more than the whole value: 1.
    let share = p
        .swings
        .iter()
        .find(|w| w.input == "item.old-claims.transfer_share")
        .unwrap();
    assert_eq!((share.low, share.high), (0.72, 1.0));
    assert!(share.high_clamped && !share.low_clamped);
    // Nothing else was clamped.
    let clamped: Vec<&str> = p
        .swings
        .iter()
        .filter(|w| w.low_clamped || w.high_clamped)
        .map(|w| w.input.as_str())
        .collect();
    assert_eq!(
        clamped,
        [
            "payer.exec.exponent_after",
            "provider.alignment",
            "item.old-claims.transfer_share"
        ]
    );

    // The run succeeds, and the clamped end is the run at the bound.
    let b = budget(3000, 2);
    let r = tornado(&s, &options, &b, &|_| {}).unwrap();
    let bar = r
        .bars
        .iter()
        .find(|b| b.input == "provider.alignment")
        .unwrap();
    assert_eq!(bar.high, 1.0);
    let at_one = only_strategies(&s, &["escalate-now"])
        .unwrap()
        .with_input("provider.alignment", &Dist::Fixed(1.0))
        .unwrap();
    let direct = run(&at_one, &b, &[], &|_| {}).unwrap();
    assert_eq!(bar.metric_high, direct.strategies[0].margin.mean());
    assert!(
        r.table()
            .contains("* clamped to the range the field allows")
    );
}

#[test]
fn the_break_even_makes_the_strategies_tie() {
    // Fixed at 0.7: the default range is [0.35, 1.05] clipped to [0.35, 1].
    let s = oon_gamble("0.7");
    let options = ThresholdOptions {
        param: "provider.oon.volume_retention".into(),
        a: "notice-and-escalate".into(),
        b: "wait".into(),
        range: None,
        metric: Metric::Revenue,
    };
    let b = budget(8000, 3);
    let r = threshold(&s, &options, &b, &|_| {}).unwrap();
    assert_eq!(r.range, (0.35, 1.0));
    assert_eq!(r.finding, Finding::Crosses);
    assert!(r.at_low.diff_ci95.1 < 0.0 && r.at_high.diff_ci95.0 > 0.0);
    let x = r.crossing.unwrap();
    let (lo, hi) = r.interval.unwrap();
    assert!(lo < x && x < hi, "{lo} {x} {hi}");
    assert!(!r.interval_open_low && !r.interval_open_high);
    assert!(hi - lo < 0.2 * (r.range.1 - r.range.0), "{lo}..{hi}");
    assert_eq!(r.a_better_above, Some(true));
    assert!(r.ties.is_empty() && r.evaluations.iter().all(|p| !p.ties));
    assert!(r.runs <= impasse::analysis::threshold::planned_runs());
    assert_eq!(r.runs, r.evaluations.len());
    assert!(
        r.conclusion.starts_with(
            "`notice-and-escalate` beats `wait` when provider.oon.volume_retention is above"
        ),
        "{}",
        r.conclusion
    );

    // Fed back with the same seed and paths, the strategies tie within
    // Monte Carlo error.
    let pinned = s
        .with_overrides(&[Override::new(&options.param, x)])
        .unwrap();
    let two = only_strategies(&pinned, &["notice-and-escalate", "wait"]).unwrap();
    let d = run(&two, &b, &[(0, 1)], &|_| {}).unwrap().pairs[0]
        .revenue()
        .clone();
    assert!(
        d.mean().abs() <= 2.0 * d.mcse(),
        "D({x}) = {} ± {}",
        d.mean(),
        d.mcse()
    );
    // At the ends of the interval the difference is about 1.96 standard
    // errors from zero, on either side.
    for (end, sign) in [(lo, -1.0), (hi, 1.0)] {
        let pinned = s
            .with_overrides(&[Override::new(&options.param, end)])
            .unwrap();
        let two = only_strategies(&pinned, &["notice-and-escalate", "wait"]).unwrap();
        let d = run(&two, &b, &[(0, 1)], &|_| {}).unwrap().pairs[0]
            .revenue()
            .clone();
        let z = d.mean() / d.mcse();
        assert!((z - sign * 1.96).abs() < 0.5, "z({end}) = {z}");
    }
}

#[test]
fn no_crossing_gives_no_value() {
    // Without backlash, escalation never makes the payer less generous:
    // engaged executives raise the staff's reservation and speed its tactic
    // (exponent 1, below the staff's 3-6), refused ones change nothing. With
    // no roll-over clause the payer's deadline is expiry and a provider that
    // will not leave takes its last offer there. The payer's offer curve is
    // then at least as high at every meeting, so the deal comes no later and
    // at no lower a rate, and the next renewal starts from a rate level at
    // least as high (with at least as much goodwill). Escalating now earns at
    // least as much revenue as waiting on every path, whatever the
    // executives' odds (its cost is charged to margin, not revenue).
    let s = with(
        &Scenario::builtin(),
        &[
            ("payer.exec.backlash_prob", "0"),
            ("payer.exec.premature_backlash_prob", "0"),
            ("contract.evergreen_weeks", "0"),
        ],
    );
    let options = ThresholdOptions {
        param: "payer.exec.success_prob".into(),
        a: "escalate-now".into(),
        b: "wait".into(),
        range: Some((0.3, 0.9)),
        metric: Metric::Revenue,
    };
    // The premise, at both ends of the range: worse on no path.
    for p in ["0.3", "0.9"] {
        let at = with(&s, &[("payer.exec.success_prob", p)]);
        let two = only_strategies(&at, &["escalate-now", "wait"]).unwrap();
        let pair = &run(&two, &budget(4000, 9), &[(0, 1)], &|_| {})
            .unwrap()
            .pairs[0];
        assert_eq!(pair.a_worse().p(), 0.0, "at {p}");
        assert!(pair.a_better().p() > 0.0, "at {p}");
    }
    let r = threshold(&s, &options, &budget(4000, 9), &|_| {}).unwrap();
    assert_eq!(r.finding, Finding::NoCrossing);
    assert_eq!(r.crossing, None);
    assert_eq!(r.interval, None);
    assert_eq!(r.better_throughout.as_deref(), Some("escalate-now"));
    assert_eq!(r.runs, 2);
    assert!(r.at_low.diff_ci95.0 > 0.0 && r.at_high.diff_ci95.0 > 0.0);
    assert!(r.conclusion.contains("do not cross"), "{}", r.conclusion);
    assert!(r.table().contains("do not cross"));
    let csv = String::from_utf8(render(&r, Format::Csv).unwrap()).unwrap();
    assert!(csv.lines().nth(1).unwrap().contains("no_crossing"), "{csv}");

    // Two strategies that are the same on the paths: exactly no difference.
    let mut s = Scenario::builtin();
    let mut copy = s.strategies[s.strategy_index("wait").unwrap()].clone();
    copy.name = "wait-copy".into();
    s.strategies.push(copy);
    let options = ThresholdOptions {
        param: "payer.reservation".into(),
        a: "wait".into(),
        b: "wait-copy".into(),
        range: None,
        metric: Metric::Revenue,
    };
    let r = threshold(&s, &options, &budget(2000, 9), &|_| {}).unwrap();
    assert_eq!(r.finding, Finding::NoDifference);
    assert_eq!(r.range, (0.008, 0.035), "the support of the distribution");
    assert_eq!(r.crossing, None);
    assert_eq!(r.better_throughout, None);
    assert_eq!(
        r.ties,
        vec![Tie {
            low: 0.008,
            high: 0.035
        }]
    );
    assert!(r.at_low.ties && r.at_high.ties);
    assert!(
        r.conclusion.starts_with("No crossing") && r.conclusion.contains("tie at both ends"),
        "{}",
        r.conclusion
    );
}

#[test]
fn bad_options_are_named() {
    // The payer opens at flat rates: an input fixed at 0 has no default range.
    let s = with(&Scenario::builtin(), &[("payer.opening_offer", "0")]);
    let b = budget(1000, 1);
    let th = |param: &str, a: &str, bb: &str, range: Option<(f64, f64)>| {
        threshold(
            &s,
            &ThresholdOptions {
                param: param.into(),
                a: a.into(),
                b: bb.into(),
                range,
                metric: Metric::Revenue,
            },
            &b,
            &|_| {},
        )
        .unwrap_err()
    };
    // An unknown path lists close matches.
    let err = th("payer.exec.succes_prob", "escalate-now", "wait", None);
    assert!(err.to_string().contains("payer.exec.success_prob"), "{err}");
    assert_eq!(option_of(err), "--param");
    let err = th("strategy.nope.walk_away", "escalate-now", "wait", None);
    assert!(
        err.to_string().contains("no strategy named `nope`"),
        "{err}"
    );
    // Whole-number fields cannot be bisected.
    assert_eq!(
        option_of(th("contract.notice_weeks", "escalate-now", "wait", None)),
        "--param"
    );
    // The same strategy twice, or one that does not exist.
    assert_eq!(
        option_of(th("payer.exec.success_prob", "wait", "wait", None)),
        "B"
    );
    let err = th("payer.exec.success_prob", "nope", "wait", None);
    assert!(err.to_string().contains("escalate-now"), "{err}");
    assert_eq!(option_of(err), "A");
    assert_eq!(
        option_of(th("payer.exec.success_prob", "wait", "nope", None)),
        "B"
    );
    // Empty or reversed ranges, and no default range around 0.
    for range in [(0.5, 0.5), (0.9, 0.1), (f64::NAN, 1.0)] {
        assert_eq!(
            option_of(th(
                "payer.exec.success_prob",
                "escalate-now",
                "wait",
                Some(range)
            )),
            "--range"
        );
    }
    assert_eq!(
        option_of(th("payer.opening_offer", "escalate-now", "wait", None)),
        "--range"
    );
    // A range the field does not allow names the field.
    let err = th(
        "payer.exec.success_prob",
        "escalate-now",
        "wait",
        Some((0.5, 1.5)),
    );
    assert!(err.to_string().contains("payer.exec.success_prob"), "{err}");

    // Tornado targets and options.
    let tor = |target: Target, f: &dyn Fn(&mut TornadoOptions)| {
        let mut o = TornadoOptions::new(target, Metric::Revenue);
        f(&mut o);
        option_of(tornado(&s, &o, &b, &|_| {}).unwrap_err())
    };
    assert_eq!(tor(Target::Strategy("nope".into()), &|_| {}), "--strategy");
    assert_eq!(
        tor(Target::Diff("wait".into(), "wait".into()), &|_| {}),
        "--diff"
    );
    assert_eq!(
        tor(Target::Diff("wait".into(), "nope".into()), &|_| {}),
        "--diff"
    );
    let wait = || Target::Strategy("wait".into());
    assert_eq!(tor(wait(), &|o| o.fixed_swing = 0.0), "--fixed-swing");
    assert_eq!(tor(wait(), &|o| o.low_quantile = -0.1), "--low-quantile");
    assert_eq!(tor(wait(), &|o| o.high_quantile = 0.05), "--high-quantile");
}

#[test]
fn correlated_inputs_can_be_pinned() {
    // A constant cannot be correlated: pinning an input drops its
    // correlations (its partner keeps its own distribution).
    let mut s = Scenario::builtin();
    s.correlations.push(Correlation {
        between: vec![
            "payer.reservation".into(),
            "payer.exec.reservation_gain".into(),
        ],
        rank: 0.6,
    });
    s.validate().unwrap();
    let pinned = s
        .with_input("payer.reservation", &Dist::Fixed(0.03))
        .unwrap();
    assert!(pinned.correlations.is_empty());
    let options = TornadoOptions::new(
        Target::Diff("escalate-at-impasse".into(), "wait".into()),
        Metric::Revenue,
    );
    let r = tornado(&s, &options, &budget(2000, 4), &|_| {}).unwrap();
    for input in ["payer.reservation", "payer.exec.reservation_gain"] {
        let bar = r.bars.iter().find(|b| b.input == input).unwrap();
        assert!(bar.swing > 0.0, "{input}");
    }
    let options = ThresholdOptions {
        param: "payer.reservation".into(),
        a: "escalate-at-impasse".into(),
        b: "wait".into(),
        range: None,
        metric: Metric::Revenue,
    };
    let r = threshold(&s, &options, &budget(2000, 4), &|_| {}).unwrap();
    assert_eq!(r.range, (0.008, 0.035));
}

#[test]
fn a_break_even_on_margin_counts_the_costs_of_moves() {
    // The cost of an escalation moves margin, not revenue: on revenue the
    // two strategies do not cross as the cost grows; on margin they do.
    let s = Scenario::builtin();
    let options = |metric| ThresholdOptions {
        param: "provider.escalation_cost".into(),
        a: "escalate-at-impasse".into(),
        b: "wait".into(),
        range: Some((0.0, 20e6)),
        metric,
    };
    let b = budget(4000, 6);
    let revenue = threshold(&s, &options(Metric::Revenue), &b, &|_| {}).unwrap();
    assert_eq!(revenue.finding, Finding::NoCrossing);
    assert_eq!(revenue.metric, "revenue");
    let margin = threshold(&s, &options(Metric::Margin), &b, &|_| {}).unwrap();
    assert_eq!(margin.finding, Finding::Crosses, "{}", margin.conclusion);
    assert_eq!(margin.a_better_above, Some(false));
    // At the break-even the escalation's expected cost equals its expected
    // margin gain: a positive cost, inside the range.
    let x = margin.crossing.unwrap();
    assert!(x > 0.0 && x < 20e6, "{x}");
}

/// A shipped scenario, by file name.
fn shipped(name: &str) -> Scenario {
    let text = std::fs::read_to_string(format!(
        "{}/scenarios/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    Scenario::from_toml(&text, name).unwrap()
}

/// The largest paired revenue difference `a - b` on any path, and the mean
/// revenue of `a`, with the scenario as given.
fn largest_difference(s: &Scenario, a: &str, b: &str, paths: u64) -> (f64, f64) {
    let two = only_strategies(s, &[a, b]).unwrap();
    let summary = run(&two, &budget(paths, 1), &[(0, 1)], &|_| {}).unwrap();
    let d = &summary.pairs[0].revenue();
    (
        d.min().abs().max(d.max().abs()),
        summary.strategies[0].revenue.mean(),
    )
}

#[test]
fn a_tie_at_the_high_end_of_the_range_is_no_crossing() {
    // In the shipped rural-hospital scenario the payer's projected final
    // offer never falls more than 0.75 points short of the hospital's
    // walk-away, so with `impasse.min_gap` above that no impasse is ever
    // declared: `escalate-at-impasse` never escalates and plays exactly as
    // `wait`. The two tie there; `wait` never earns more, so there is no
    // break-even at the end of the range (the old search reported "`wait`
    // beats `escalate-at-impasse` when impasse.min_gap is above 0.03").
    let s = shipped("rural-hospital");
    let high = with(&s, &[("impasse.min_gap", "0.03")]);
    let (largest, mean) = largest_difference(&high, "escalate-at-impasse", "wait", 2000);
    assert!(largest <= 1e-9 * mean, "{largest}");
    let options = ThresholdOptions {
        param: "impasse.min_gap".into(),
        a: "escalate-at-impasse".into(),
        b: "wait".into(),
        range: Some((0.0, 0.03)),
        metric: Metric::Revenue,
    };
    let r = threshold(&s, &options, &budget(3000, 1), &|_| {}).unwrap();
    assert_eq!(r.finding, Finding::NoCrossing, "{}", r.conclusion);
    assert_eq!(
        (r.crossing, r.interval, r.a_better_above),
        (None, None, None)
    );
    assert_eq!(r.better_throughout.as_deref(), Some("escalate-at-impasse"));
    assert!(r.at_high.ties && !r.at_low.ties);
    assert!(r.at_low.diff_ci95.0 > 0.0, "{:?}", r.at_low);
    assert_eq!(r.ties.len(), 1, "{:?}", r.ties);
    let Tie { low, high } = r.ties[0];
    assert_eq!(high, 0.03);
    assert!(0.005 < low && low < 0.01, "{low}");
    // Every evaluation from the start of the tie up ties, none below it, and
    // the tie's start is known to 1e-4 of the range.
    for p in &r.evaluations {
        assert_eq!(p.ties, p.x >= low, "{p:?}");
    }
    assert!(
        r.evaluations
            .iter()
            .any(|p| p.x < low && low - p.x <= 1e-4 * 0.03)
    );
    assert!(r.conclusion.starts_with("No crossing"), "{}", r.conclusion);
    assert!(
        r.conclusion
            .contains("tie for impasse.min_gap from 0.0075 up (the same revenue on every path")
            && !r.conclusion.contains("beats"),
        "{}",
        r.conclusion
    );
    let table = r.table();
    assert!(table.contains("range end; tie"), "{table}");
    // JSON and CSV say so explicitly.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["finding"], "no_crossing");
    assert_eq!(json["ties"][0]["high"], 0.03);
    assert_eq!(json["at_high"]["ties"], true);
    let (header, rows) = r.csv();
    let ties = header.iter().position(|h| h == "ties").unwrap();
    let stretches = header.iter().position(|h| h == "tie_stretches").unwrap();
    assert_eq!(rows.last().unwrap()[ties], "true");
    assert_eq!(rows[0][ties], "false");
    assert!(rows[0][stretches].ends_with(":0.03"), "{:?}", rows[0]);
}

#[test]
fn a_tie_at_the_low_end_is_no_crossing_and_a_crossing_on_margin_is_still_found() {
    // Data work that takes no weeks (`provider.data_prep_weeks = 0`) and
    // moves the payer's reservation by nothing (`data.reservation_gain = 0`)
    // changes no revenue: `data-and-escalate` plays as
    // `escalate-at-impasse`, its twin without data. On revenue the two tie
    // at 0 and data pays above it: no crossing (the old search said
    // "`escalate-at-impasse` earns more below 0"). On margin the data's cost
    // counts, so they differ at 0 too and cross where the gain pays for it.
    let s = with(
        &shipped("rural-hospital"),
        &[("provider.data_prep_weeks", "0")],
    );
    let zero = with(&s, &[("data.reservation_gain", "0")]);
    let (largest, mean) =
        largest_difference(&zero, "data-and-escalate", "escalate-at-impasse", 2000);
    assert!(largest <= 1e-9 * mean, "{largest}");
    let options = |metric| ThresholdOptions {
        param: "data.reservation_gain".into(),
        a: "data-and-escalate".into(),
        b: "escalate-at-impasse".into(),
        range: Some((0.0, 0.006)),
        metric,
    };
    let b = budget(3000, 1);
    let r = threshold(&s, &options(Metric::Revenue), &b, &|_| {}).unwrap();
    assert_eq!(r.finding, Finding::NoCrossing, "{}", r.conclusion);
    assert_eq!(
        (r.crossing, r.interval, r.a_better_above),
        (None, None, None)
    );
    assert_eq!(r.better_throughout.as_deref(), Some("data-and-escalate"));
    assert!(r.at_low.ties && !r.at_high.ties);
    assert!(r.at_high.diff_ci95.0 > 0.0);
    // The tie is at 0 alone: the first value evaluated above it differs.
    assert_eq!(
        r.ties,
        vec![Tie {
            low: 0.0,
            high: 0.0
        }]
    );
    assert!(r.evaluations.iter().filter(|p| p.ties).all(|p| p.x == 0.0));
    assert!(
        r.conclusion
            .contains("tie at data.reservation_gain = 0 (the same revenue on every path")
            && r.conclusion
                .contains("elsewhere `data-and-escalate` earns more")
            && !r.conclusion.contains("below it"),
        "{}",
        r.conclusion
    );

    // On margin: a genuine break-even, inside the range, with no tie.
    let m = threshold(&s, &options(Metric::Margin), &b, &|_| {}).unwrap();
    assert_eq!(m.finding, Finding::Crosses, "{}", m.conclusion);
    assert!(m.ties.is_empty() && m.evaluations.iter().all(|p| !p.ties));
    assert!(m.at_low.diff_ci95.1 < 0.0 && m.at_high.diff_ci95.0 > 0.0);
    let x = m.crossing.unwrap();
    let (lo, hi) = m.interval.unwrap();
    assert!(0.0 < lo && lo < x && x < hi && hi < 0.006, "{lo} {x} {hi}");
    assert_eq!(m.a_better_above, Some(true));
    assert!(
        m.conclusion.starts_with(
            "`data-and-escalate` beats `escalate-at-impasse` when data.reservation_gain is above"
        ),
        "{}",
        m.conclusion
    );
    assert!(!m.conclusion.contains("tie"), "{}", m.conclusion);
}

#[test]
fn twins_identical_at_one_value_cross_exactly_there() {
    // Without its notice, `bluff` is `escalate-at-impasse` with its own
    // walk-away: at the twin's 0.015 the two are the same strategy, and on
    // either side of it one of them earns more. The tie is a single value,
    // and it is the break-even.
    let s = with(&Scenario::builtin(), &[("strategy.bluff.notice", "never")]);
    let options = ThresholdOptions {
        param: "strategy.bluff.walk_away".into(),
        a: "bluff".into(),
        b: "escalate-at-impasse".into(),
        range: Some((0.0, 0.03)),
        metric: Metric::Revenue,
    };
    let r = threshold(&s, &options, &budget(3000, 1), &|_| {}).unwrap();
    assert_eq!(r.finding, Finding::Crosses, "{}", r.conclusion);
    assert!(!r.at_low.ties && !r.at_high.ties);
    assert_eq!(
        r.ties,
        vec![Tie {
            low: 0.015,
            high: 0.015
        }]
    );
    assert_eq!(r.crossing, Some(0.015));
    let (lo, hi) = r.interval.unwrap();
    assert!(lo <= 0.015 && 0.015 <= hi, "{lo} {hi}");
    // The difference is clearly nonzero on both sides, with opposite signs.
    assert!(r.at_low.diff_ci95.1 < 0.0 && r.at_high.diff_ci95.0 > 0.0);
    assert_eq!(r.a_better_above, Some(true));
    assert!(
        r.conclusion.starts_with(
            "`bluff` beats `escalate-at-impasse` when strategy.bluff.walk_away is above 0.015"
        ) && r
            .conclusion
            .contains("They tie at strategy.bluff.walk_away = 0.015"),
        "{}",
        r.conclusion
    );
}
