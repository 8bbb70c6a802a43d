//! The board-report charts: every chart on realistic inputs from the engine
//! and on edge cases (empty, one strategy, equal values, NaN, negative
//! differences, hostile names), each parsed as XML and checked for an
//! accessible title, a sane viewBox, the expected labels, escaping, and no
//! NaN or infinite number. The realistic charts are also written to
//! `target/chart-samples/*.svg` for a look.

use std::sync::OnceLock;

use impasse::analysis::Budget;
use impasse::analysis::timing::{TimingOptions, timing};
use impasse::analysis::tornado::{Metric, Target, TornadoOptions, tornado as run_tornado};
use impasse::engine::{RunConfig, Simulation, baseline_pairs};
use impasse::model::play_observed;
use impasse::model::trace::{Event, MeetingPoint, Timeline};
use impasse::report::RunReport;
use impasse::report::charts::axis::{
    Unit, count_ticks, decimals, fixed, format_tick, format_value, nice_ticks, signed, thousands,
    ticks_inside, week_ticks,
};
use impasse::report::charts::{
    DealTiming, EscalationTiming, PatientAccess, RevenueCdf, StrategyEstimate, TimelinePanel,
    TimingPoint, Tornado, TornadoBar, deal_timing, escalation_timing, patient_access,
    revenue_distribution, strategy_comparison, timelines, tornado,
};
use impasse::scenario::Scenario;

const HOSTILE: &str = "a<b&\"c\"";

/// Every text of the document (text nodes and tooltips), joined by newlines.
fn all_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parse `svg` and check what every chart must satisfy; `labels` must all
/// appear in its text. Returns the text.
fn check(svg: &str, labels: &[&str]) -> String {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let vb: Vec<f64> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(vb.len(), 4);
    assert!(vb[2] > 0.0 && vb[3] > 0.0, "viewBox {vb:?}");
    let w: f64 = root.attribute("width").unwrap().parse().unwrap();
    let h: f64 = root.attribute("height").unwrap().parse().unwrap();
    assert!(w > 0.0 && h > 0.0);
    assert!(
        root.attribute("font-family")
            .unwrap()
            .contains("sans-serif")
    );
    let title = root
        .children()
        .find(|n| n.is_element())
        .expect("a first element");
    assert_eq!(title.tag_name().name(), "title", "<title> comes first");
    assert!(!title.text().unwrap_or("").trim().is_empty(), "empty title");
    for node in doc.descendants().filter(|n| n.is_element()) {
        for a in node.attributes() {
            let v = a.value();
            assert!(
                !v.contains("NaN") && !v.contains("inf"),
                "non-finite number in {}={v}",
                a.name()
            );
            if matches!(
                a.name(),
                "x" | "y" | "x1" | "x2" | "y1" | "y2" | "width" | "height" | "cx" | "cy" | "r"
            ) {
                let x: f64 = v.parse().unwrap_or_else(|_| panic!("{}={v}", a.name()));
                assert!(x.is_finite() && x.abs() < 1e6, "{}={v}", a.name());
            }
            if a.name() == "points" {
                for p in v.split([' ', ',']) {
                    let x: f64 = p.parse().unwrap();
                    assert!(x.is_finite(), "points {v}");
                }
            }
        }
    }
    let text = all_text(&doc);
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    let crowded = overlaps(svg);
    assert!(crowded.is_empty(), "texts overlap:\n{}", crowded.join("\n"));
    for l in labels {
        assert!(text.contains(l), "missing label {l:?} in:\n{text}");
    }
    // A visible heading (not only the <title>).
    let heading = title.text().unwrap();
    assert!(
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .any(|n| heading.starts_with(n.text().unwrap_or("#").trim_end_matches('…'))),
        "no visible heading"
    );
    text
}

/// Write a sample chart under target/chart-samples.
fn save(name: &str, svg: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-samples");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap();
}

/// Everything the charts need from a realistic run of the built-in scenario.
struct Real {
    report: RunReport,
    cdfs: Vec<RevenueCdf>,
    tornado: Tornado,
    timing: EscalationTiming,
    panels: Vec<TimelinePanel>,
}

fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let s = Scenario::builtin();
        let sim = Simulation::new(&s);
        let summary = sim
            .run(&RunConfig::new(20_000, 1), &baseline_pairs(&s), &|_| {})
            .unwrap();
        let report = RunReport::new(&s, 1, &summary);
        let cdfs = s
            .strategies
            .iter()
            .zip(&summary.strategies)
            .map(|(st, sum)| RevenueCdf {
                name: st.name.clone(),
                points: (1..=99)
                    .map(|p| {
                        let q = p as f64 / 100.0;
                        (sum.revenue.quantile(q), q)
                    })
                    .collect(),
            })
            .collect();

        let budget = Budget {
            paths: 2000,
            seed: 1,
            threads: None,
        };
        let options = TornadoOptions::new(
            Target::Diff("escalate-now".into(), "wait".into()),
            Metric::Revenue,
        );
        let t = run_tornado(&s, &options, &budget, &|_| {}).unwrap();
        let tornado = Tornado {
            base: t.base,
            unit: Unit::Millions,
            axis_title: "escalate-now − wait, net present revenue, $M".into(),
            difference: true,
            bars: t
                .bars
                .iter()
                .take(10)
                .map(|b| TornadoBar {
                    input: b.input.clone(),
                    input_low: b.low,
                    input_high: b.high,
                    metric_low: b.metric_low,
                    metric_high: b.metric_high,
                })
                .collect(),
        };

        let options = TimingOptions {
            strategy: "escalate-at-impasse".into(),
            from: None,
            to: None,
            step: None,
            notice: false,
        };
        let r = timing(&s, &options, &budget, &|_| {}).unwrap();
        let timing = EscalationTiming {
            decision: "escalation".into(),
            points: r
                .weeks
                .iter()
                .map(|p| TimingPoint {
                    week: p.week,
                    mean: p.revenue_mean,
                    ci95: p.revenue_ci95,
                    indistinguishable: p.indistinguishable,
                })
                .collect(),
            on_impasse: Some(r.on_impasse.revenue_mean),
        };

        // Four telling paths: a deal after the executives engage, a
        // roll-over, out of network, a called bluff.
        let index = |name: &str| s.strategies.iter().position(|x| x.name == name).unwrap();
        let trace = |k: usize, i: u64| {
            let mut t = Timeline::default();
            play_observed(&sim.terms, &sim.plans[k], &sim.world(1, i), &mut t);
            t
        };
        let mut panels = Vec::new();
        type Wanted = fn(&Timeline) -> bool;
        let wanted: [(&str, Wanted); 4] = [
            ("escalate-at-impasse", |t| {
                t.events.iter().any(|e| e.kind == "executives_engage")
                    && t.events.iter().any(|e| e.kind == "deal" && e.week < 0)
            }),
            ("wait", |t| t.rollover_weeks > 0),
            ("notice-and-escalate", |t| t.oon_weeks > 0),
            ("bluff", |t| {
                t.events.iter().any(|e| e.kind == "bluff_called")
            }),
        ];
        for (name, pred) in wanted {
            let k = index(name);
            let i = (0..5000).find(|&i| pred(&trace(k, i))).unwrap();
            panels.push(TimelinePanel {
                title: format!("{name}, world {i}"),
                timeline: trace(k, i),
            });
        }
        Real {
            report,
            cdfs,
            tornado,
            timing,
            panels,
        }
    })
}

fn estimates(r: &RunReport) -> Vec<StrategyEstimate> {
    r.ranking()
        .into_iter()
        .map(|i| {
            let s = &r.strategies[i];
            StrategyEstimate {
                name: s.name.clone(),
                mean: s.revenue.mean,
                ci95: (
                    s.revenue.mean - 1.96 * s.revenue.mcse,
                    s.revenue.mean + 1.96 * s.revenue.mcse,
                ),
                p5: s.revenue.p5,
                p95: s.revenue.p95,
            }
        })
        .collect()
}

fn deal_timings(r: &RunReport) -> Vec<DealTiming> {
    r.strategies
        .iter()
        .map(|s| DealTiming {
            name: s.name.clone(),
            shares: s
                .deal_week_histogram
                .iter()
                .map(|d| (d.week, d.deals as f64 / r.paths as f64))
                .collect(),
        })
        .collect()
}

fn accesses(r: &RunReport) -> Vec<PatientAccess> {
    r.strategies
        .iter()
        .map(|s| PatientAccess {
            name: s.name.clone(),
            patient_weeks: s.patient_weeks_out_of_network.mean,
            switched: s.patients_switched.mean,
        })
        .collect()
}

fn names(r: &RunReport) -> Vec<&str> {
    r.strategies.iter().map(|s| s.name.as_str()).collect()
}

// ---------------------------------------------------------------- realistic

#[test]
fn strategy_comparison_on_a_real_run() {
    let r = &real().report;
    let svg = strategy_comparison("", &estimates(r));
    let mut labels = names(r);
    labels.extend([
        "$M",
        "P5–P95",
        "95 % interval",
        "Expected net present revenue",
    ]);
    check(&svg, &labels);
    save("strategy_comparison", &svg);
}

#[test]
fn revenue_distribution_on_a_real_run() {
    let real = real();
    let svg = revenue_distribution("", &real.cdfs);
    let mut labels = names(&real.report);
    labels.extend(["$M", "%", "median"]);
    check(&svg, &labels);
    save("revenue_distribution", &svg);
}

#[test]
fn tornado_on_a_real_run() {
    let t = &real().tornado;
    let svg = tornado("What moves escalate-now − wait", t);
    let mut labels: Vec<&str> = t.bars.iter().map(|b| b.input.as_str()).collect();
    labels.extend([
        "input low",
        "input high",
        "escalate-now − wait",
        "$M",
        "base",
    ]);
    check(&svg, &labels);
    save("tornado", &svg);
}

#[test]
fn escalation_timing_on_a_real_run() {
    let t = &real().timing;
    let svg = escalation_timing("", t);
    let text = check(
        &svg,
        &[
            "$M",
            "weeks relative to expiry",
            "best: week",
            "on impasse",
            "95 % interval",
        ],
    );
    if t.points.iter().any(|p| p.indistinguishable) {
        assert!(text.contains("indistinguishable"));
    }
    save("escalation_timing", &svg);
}

#[test]
fn deal_timing_on_a_real_run() {
    let r = &real().report;
    let svg = deal_timing("", &deal_timings(r));
    let mut labels = names(r);
    labels.extend(["% of paths", "weeks relative to expiry", "expiry"]);
    check(&svg, &labels);
    save("deal_timing", &svg);
}

#[test]
fn timelines_on_real_paths() {
    let panels = &real().panels;
    for n in 1..=panels.len() {
        let svg = timelines("", &panels[..n]);
        let mut labels: Vec<&str> = panels[..n].iter().map(|p| p.title.as_str()).collect();
        labels.extend([
            "payer's offer",
            "provider's ask",
            "expiry",
            "Uplift, %",
            "Weeks",
        ]);
        check(&svg, &labels);
        save(&format!("timelines_{n}"), &svg);
    }
    let svg = timelines("", panels);
    let oon = format!("{} wk", panels[2].timeline.oon_weeks);
    check(
        &svg,
        &[
            "roll-over, 52 wk",
            &oon,
            "bluff called",
            "execs engage",
            "escalation",
            "deal ",
        ],
    );
}

#[test]
fn patient_access_on_a_real_run() {
    let r = &real().report;
    let svg = patient_access("", &accesses(r));
    let mut labels = names(r);
    labels.extend(["Patient-weeks", "Patients", "0"]);
    check(&svg, &labels);
    save("patient_access", &svg);
}

// ---------------------------------------------------------------- edge cases

fn estimate(name: &str, mean: f64) -> StrategyEstimate {
    StrategyEstimate {
        name: name.into(),
        mean,
        ci95: (mean - 1e5, mean + 1e5),
        p5: mean - 1e7,
        p95: mean + 1e7,
    }
}

#[test]
fn every_chart_says_no_data_when_empty() {
    let empty_tornado = Tornado {
        base: 0.0,
        unit: Unit::Millions,
        axis_title: "x, $M".into(),
        difference: true,
        bars: vec![],
    };
    let empty_timing = EscalationTiming {
        decision: "escalation".into(),
        points: vec![],
        on_impasse: None,
    };
    let svgs = [
        strategy_comparison("Revenue", &[]),
        revenue_distribution("Distribution", &[]),
        revenue_distribution(
            "Distribution",
            &[RevenueCdf {
                name: "x".into(),
                points: vec![(f64::NAN, 0.5)],
            }],
        ),
        tornado("Tornado", &empty_tornado),
        escalation_timing("Timing", &empty_timing),
        deal_timing("Deals", &[]),
        deal_timing(
            "Deals",
            &[DealTiming {
                name: "x".into(),
                shares: vec![(-2, 0.0)],
            }],
        ),
        timelines("Timelines", &[]),
        patient_access("Patients", &[]),
    ];
    for svg in &svgs {
        check(svg, &["No data"]);
    }
    save("edge_no_data", &svgs[0]);
}

#[test]
fn hostile_names_are_escaped_everywhere() {
    let svg = strategy_comparison(HOSTILE, &[estimate(HOSTILE, 2e8), estimate("b", 2.1e8)]);
    assert!(!svg.contains(HOSTILE));
    assert!(svg.contains("a&lt;b&amp;&quot;c&quot;"));
    check(&svg, &[HOSTILE, "b"]);

    let svg = revenue_distribution(
        "",
        &[RevenueCdf {
            name: HOSTILE.into(),
            points: vec![(1e8, 0.1), (2e8, 0.9)],
        }],
    );
    check(&svg, &[HOSTILE]);

    let svg = tornado(
        "",
        &Tornado {
            base: 1e6,
            unit: Unit::Millions,
            axis_title: format!("{HOSTILE} − wait, $M"),
            difference: true,
            bars: vec![TornadoBar {
                input: HOSTILE.into(),
                input_low: 0.01,
                input_high: 0.05,
                metric_low: -1e6,
                metric_high: 2e6,
            }],
        },
    );
    check(&svg, &[HOSTILE, "flips sign"]);

    let svg = escalation_timing(
        "",
        &EscalationTiming {
            decision: HOSTILE.into(),
            points: vec![TimingPoint {
                week: -4,
                mean: 1e8,
                ci95: (0.99e8, 1.01e8),
                indistinguishable: false,
            }],
            on_impasse: None,
        },
    );
    check(&svg, &[HOSTILE]);

    let svg = deal_timing(
        "",
        &[DealTiming {
            name: HOSTILE.into(),
            shares: vec![(-2, 0.3)],
        }],
    );
    check(&svg, &[HOSTILE]);

    let mut t = Timeline::default();
    t.meetings.push(MeetingPoint {
        week: -4,
        payer_offer: 0.01,
        provider_ask: 0.05,
    });
    t.events.push(Event {
        week: -3,
        kind: HOSTILE.into(),
        detail: HOSTILE.into(),
    });
    let svg = timelines(
        HOSTILE,
        &[TimelinePanel {
            title: HOSTILE.into(),
            timeline: t,
        }],
    );
    check(&svg, &[HOSTILE]);

    let svg = patient_access(
        "",
        &[PatientAccess {
            name: HOSTILE.into(),
            patient_weeks: 0.0,
            switched: 0.0,
        }],
    );
    check(&svg, &[HOSTILE]);
}

#[test]
fn one_strategy_equal_values_and_nan_do_not_break_the_comparison() {
    check(
        &strategy_comparison("", &[estimate("only", 2e8)]),
        &["only"],
    );
    let flat = StrategyEstimate {
        name: "flat".into(),
        mean: 5e7,
        ci95: (5e7, 5e7),
        p5: 5e7,
        p95: 5e7,
    };
    check(&strategy_comparison("", &[flat.clone(), flat]), &["flat"]);
    let zero = StrategyEstimate {
        name: "zero".into(),
        mean: 0.0,
        ci95: (0.0, 0.0),
        p5: 0.0,
        p95: 0.0,
    };
    check(&strategy_comparison("", &[zero]), &["zero"]);
    let nan = StrategyEstimate {
        name: "broken".into(),
        mean: f64::NAN,
        ci95: (f64::NAN, f64::INFINITY),
        p5: f64::NEG_INFINITY,
        p95: f64::NAN,
    };
    let svg = strategy_comparison("", &[nan.clone(), estimate("fine", -3e7)]);
    save("edge_comparison_nan", &svg);
    let text = check(&svg, &["broken", "fine", "no data"]);
    assert!(text.contains('−'), "negative ticks use a minus sign");
    check(&strategy_comparison("", &[nan]), &["broken", "no data"]);
    // A name too long for its column is shortened, and kept whole as a tooltip.
    let long = "a very long strategy name that will not fit in the column at all, really";
    let svg = strategy_comparison("", &[estimate(long, 1e8)]);
    let text = check(&svg, &[long]);
    assert!(text.contains('…'));
}

#[test]
fn cdfs_with_one_point_nan_and_equal_values() {
    let cdfs = vec![
        RevenueCdf {
            name: "one point".into(),
            points: vec![(1e8, 0.5)],
        },
        RevenueCdf {
            name: "flat".into(),
            points: (1..=99).map(|p| (1e8, p as f64 / 100.0)).collect(),
        },
        RevenueCdf {
            name: "holes".into(),
            points: vec![
                (f64::NAN, 0.1),
                (9e7, f64::NAN),
                (9.5e7, 0.2),
                (f64::INFINITY, 0.5),
                (1.1e8, 0.9),
            ],
        },
        RevenueCdf {
            name: "empty".into(),
            points: vec![],
        },
    ];
    check(
        &revenue_distribution("", &cdfs),
        &["one point", "flat", "holes", "empty"],
    );
}

fn bar(input: &str, low: f64, high: f64) -> TornadoBar {
    TornadoBar {
        input: input.into(),
        input_low: 0.1,
        input_high: 0.9,
        metric_low: low,
        metric_high: high,
    }
}

#[test]
fn tornado_marks_flips_handles_negatives_counts_and_nan() {
    // A negative difference; one input flips it, one does not.
    let t = Tornado {
        base: -4e5,
        unit: Unit::Millions,
        axis_title: "escalate-now − wait, $M".into(),
        difference: true,
        bars: vec![
            bar("payer.reservation", -2.5e6, 1.5e6),
            bar("payer.exec.success_prob", -1e6, -1e5),
            bar("broken", f64::NAN, f64::NAN),
            bar("half", f64::NAN, -3e5),
        ],
    };
    let svg = tornado("", &t);
    save("edge_tornado_negative", &svg);
    let text = check(
        &svg,
        &[
            "payer.reservation",
            "payer.exec.success_prob",
            "broken",
            "half",
            "flips sign",
            "no data",
            "escalate-now − wait, $M",
            "input low",
            "input high",
        ],
    );
    assert_eq!(text.matches("flips sign").count(), 1);
    assert!(text.contains("base −0.4"), "the base is labelled: {text}");

    // All equal: zero range.
    let t = Tornado {
        base: 1e6,
        unit: Unit::Millions,
        axis_title: "wait, $M".into(),
        difference: false,
        bars: vec![bar("contract.discount_rate", 1e6, 1e6)],
    };
    let text = check(&tornado("", &t), &["contract.discount_rate", "wait, $M"]);
    assert!(!text.contains("flips"));

    // Patient-weeks, a single strategy.
    let t = Tornado {
        base: 12_000.0,
        unit: Unit::Count,
        axis_title: "notice-and-escalate, patient-weeks out of network".into(),
        difference: false,
        bars: vec![
            bar("provider.weekly_switch_rate", 8_000.0, 20_000.0),
            bar("contract.attributed_patients", 9_000.0, 15_000.0),
        ],
    };
    check(&tornado("", &t), &["patient-weeks", "20,000"]);
}

fn point(week: i32, mean: f64, indistinguishable: bool) -> TimingPoint {
    TimingPoint {
        week,
        mean,
        ci95: (mean - 2e5, mean + 2e5),
        indistinguishable,
    }
}

#[test]
fn escalation_timing_edge_cases() {
    // One week only; equal means (the earliest is best); NaN points skipped.
    let one = EscalationTiming {
        decision: "".into(),
        points: vec![point(-8, 2e8, false)],
        on_impasse: Some(f64::NAN),
    };
    let text = check(
        &escalation_timing("", &one),
        &["best: week −8", "escalation"],
    );
    assert!(!text.contains("on impasse"));
    let flat = EscalationTiming {
        decision: "notice".into(),
        points: vec![
            point(-20, 1e8, false),
            point(-16, 1e8, true),
            point(-12, f64::NAN, true),
            TimingPoint {
                week: -10,
                mean: 1e8,
                ci95: (f64::NAN, f64::NAN),
                indistinguishable: true,
            },
        ],
        on_impasse: Some(1e8),
    };
    check(
        &escalation_timing("", &flat),
        &[
            "best: week −20",
            "Week of the notice",
            "indistinguishable",
            "on impasse",
        ],
    );
    // Negative revenue (a loss) and given out of order.
    let negative = EscalationTiming {
        decision: "escalation".into(),
        points: vec![
            point(-2, -5e6, false),
            point(-30, -1e6, false),
            point(-16, -2e6, true),
        ],
        on_impasse: Some(-3e6),
    };
    let svg = escalation_timing("", &negative);
    save("edge_timing_negative", &svg);
    check(&svg, &["best: week −30", "−$1.0M"]);
    save("edge_timing_one", &escalation_timing("", &one));
}

#[test]
fn deal_timing_edge_cases() {
    let series = vec![
        DealTiming {
            name: "weekly".into(),
            shares: vec![(-3, 0.1), (-2, 0.2), (-1, 0.3)],
        },
        DealTiming {
            name: "no deals".into(),
            shares: vec![],
        },
        DealTiming {
            name: "nan".into(),
            shares: vec![(-4, f64::NAN), (-1, 0.05)],
        },
    ];
    check(&deal_timing("", &series), &["weekly", "no deals", "nan"]);
    // One deal week only, at a four-week cadence.
    let one = [DealTiming {
        name: "quarterly".into(),
        shares: vec![(-12, 0.1), (-8, 0.4), (-4, 0.0)],
    }];
    let text = check(
        &deal_timing("", &one),
        &["quarterly", "multiple of 4 weeks"],
    );
    assert!(text.contains("−8"));
}

#[test]
fn timelines_edge_cases() {
    // An empty timeline, and one out of network past any sensible axis.
    let mut long = Timeline {
        oon_weeks: 156,
        ..Timeline::default()
    };
    long.meetings.push(MeetingPoint {
        week: -10,
        payer_offer: 0.0,
        provider_ask: 0.06,
    });
    long.meetings.push(MeetingPoint {
        week: -8,
        payer_offer: f64::NAN,
        provider_ask: 0.05,
    });
    long.events.push(Event {
        week: 156,
        kind: "out_of_network".into(),
        detail: "still out of network at the horizon".into(),
    });
    let panels = vec![
        TimelinePanel {
            title: "nothing happened".into(),
            timeline: Timeline::default(),
        },
        TimelinePanel {
            title: "out for good".into(),
            timeline: long,
        },
        TimelinePanel {
            title: "third".into(),
            timeline: Timeline::default(),
        },
    ];
    let svg = timelines("", &panels);
    save("edge_timelines", &svg);
    check(
        &svg,
        &[
            "nothing happened",
            "out for good",
            "third",
            "no data",
            "no new contract",
            "to week 156",
        ],
    );
}

#[test]
fn patient_access_with_zeros_and_nan() {
    let svg = patient_access(
        "",
        &[
            PatientAccess {
                name: "wait".into(),
                patient_weeks: 0.0,
                switched: 0.0,
            },
            PatientAccess {
                name: "walk out".into(),
                patient_weeks: 12_345.6,
                switched: 4.2,
            },
            PatientAccess {
                name: "unknown".into(),
                patient_weeks: f64::NAN,
                switched: f64::INFINITY,
            },
        ],
    );
    save("edge_patient_access", &svg);
    check(
        &svg,
        &[
            "wait", "walk out", "unknown", "12,346", "4.2", "0", "no data",
        ],
    );
    // All zero.
    let svg = patient_access(
        "",
        &[PatientAccess {
            name: "calm".into(),
            patient_weeks: 0.0,
            switched: 0.0,
        }],
    );
    check(&svg, &["calm"]);
}

#[test]
fn charts_are_deterministic() {
    let r = &real().report;
    assert_eq!(
        strategy_comparison("", &estimates(r)),
        strategy_comparison("", &estimates(r))
    );
    assert_eq!(timelines("", &real().panels), timelines("", &real().panels));
}

// ---------------------------------------------------------------- axis helper

#[test]
fn nice_ticks_cover_the_range_with_round_steps() {
    let t = nice_ticks(211.9, 244.9, 8);
    assert!(t.lo <= 211.9 && t.hi >= 244.9);
    assert_eq!(t.step, 5.0);
    assert_eq!(t.values.first(), Some(&210.0));
    assert_eq!(t.values.last(), Some(&245.0));
    assert!(t.values.len() <= 9);

    let t = nice_ticks(-2.5, 1.5, 6);
    assert!(t.values.contains(&0.0));
    assert!(t.lo <= -2.5 && t.hi >= 1.5);

    // Degenerate ranges still give a usable axis.
    for (lo, hi) in [
        (5.0, 5.0),
        (0.0, 0.0),
        (f64::NAN, 3.0),
        (f64::NAN, f64::NAN),
        (3.0, 1.0),
        (f64::NEG_INFINITY, f64::INFINITY),
        (1e-15, 2e-15),
    ] {
        for t in [
            nice_ticks(lo, hi, 6),
            ticks_inside(lo, hi, 6),
            week_ticks(lo, hi, 6),
            count_ticks(lo, hi, 6),
        ] {
            assert!(t.lo < t.hi, "{lo} {hi}: {t:?}");
            assert!(t.step > 0.0 && t.step.is_finite(), "{t:?}");
            assert!(!t.values.is_empty(), "{t:?}");
            assert!(t.values.iter().all(|v| v.is_finite()));
        }
    }
}

#[test]
fn week_ticks_are_whole_weeks_aligned_on_expiry() {
    let t = week_ticks(-53.0, 53.0, 10);
    assert_eq!(t.step, 13.0);
    assert!(t.values.contains(&0.0));
    assert!(t.values.iter().all(|v| v.fract() == 0.0));
    let t = week_ticks(-6.5, 0.5, 10);
    assert_eq!(t.step, 1.0);
    assert_eq!(t.values, (-6..=0).map(f64::from).collect::<Vec<_>>());
    let t = count_ticks(0.0, 4.2, 6);
    assert!(t.step >= 1.0);
}

#[test]
fn labels_are_formatted_in_their_units() {
    assert_eq!(decimals(5.0), 0);
    assert_eq!(decimals(2.5), 1);
    assert_eq!(decimals(0.25), 2);
    assert_eq!(format_tick(-12.0, 4.0, Unit::Weeks), "−12");
    assert_eq!(format_tick(0.0, 4.0, Unit::Weeks), "0");
    assert_eq!(format_tick(227.5, 2.5, Unit::Millions), "227.5");
    assert_eq!(format_tick(12000.0, 2000.0, Unit::Count), "12,000");
    assert_eq!(format_value(226_327_703.0, Unit::Millions, 1), "$226.3M");
    assert_eq!(format_value(-1_230_000.0, Unit::Millions, 2), "−$1.23M");
    assert_eq!(format_value(0.0325, Unit::Percent, 2), "3.25%");
    assert_eq!(format_value(-12.0, Unit::Weeks, 0), "week −12");
    assert_eq!(format_value(10825.36, Unit::Count, 0), "10,825");
    assert_eq!(format_value(f64::NAN, Unit::Count, 0), "–");
    assert_eq!(fixed(-0.0001, 2), "0.00");
    assert_eq!(signed(0.42, 2), "+0.42");
    assert_eq!(signed(-0.42, 2), "−0.42");
    assert_eq!(thousands(-1234567.0), "−1,234,567");
}

#[test]
fn absurd_weeks_neither_hang_nor_panic() {
    let svg = deal_timing(
        "",
        &[DealTiming {
            name: "far".into(),
            shares: vec![(-90_000, 0.1), (-3, 0.2), (i64::MIN, 0.5), (i64::MAX, 0.5)],
        }],
    );
    check(&svg, &["far", "periods"]);
    let svg = escalation_timing(
        "",
        &EscalationTiming {
            decision: "escalation".into(),
            points: vec![point(i32::MIN, 1e8, false), point(i32::MAX, 2e8, true)],
            on_impasse: None,
        },
    );
    check(&svg, &["best: week"]);
    let mut t = Timeline::default();
    t.meetings.push(MeetingPoint {
        week: i32::MIN,
        payer_offer: 1e9,
        provider_ask: -1e9,
    });
    t.rollover_weeks = u32::MAX;
    check(
        &timelines(
            "",
            &[TimelinePanel {
                title: "absurd".into(),
                timeline: t,
            }],
        ),
        &["absurd"],
    );
    for (lo, hi) in [(-1e300, 1e300), (f64::MIN, f64::MAX), (-4e9, 4e9)] {
        for t in [
            nice_ticks(lo, hi, 6),
            ticks_inside(lo, hi, 6),
            week_ticks(lo, hi, 6),
            count_ticks(lo, hi, 6),
        ] {
            assert!(!t.values.is_empty() && t.values.len() <= 12, "{t:?}");
        }
    }
}

// ---------------------------------------------------------------- text layout

/// A text element's estimated box, pixels: (x0, y0, x1, y1).
type TextBox = (f64, f64, f64, f64);

/// The estimated box of every `<text>` of `svg`, with its text: width 0.6 em
/// a character (a conservative average glyph), from 0.75 em above the
/// baseline to 0.2 em below, placed by `text-anchor`, turned by a ±90°
/// `rotate(…)` transform about its anchor point.
fn text_boxes(svg: &str) -> Vec<(String, TextBox)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            // The drawn text: direct text children (a <title> child is a tooltip).
            let s: String = n
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect();
            if s.trim().is_empty() {
                return None;
            }
            let num = |a: &str| n.attribute(a).map_or(0.0, |v| v.parse::<f64>().unwrap());
            let (x, y, size) = (num("x"), num("y"), num("font-size"));
            let size = if size > 0.0 { size } else { 16.0 };
            let w = 0.6 * size * s.chars().count() as f64;
            let (a, b) = match n.attribute("text-anchor").unwrap_or("start") {
                "middle" => (-w / 2.0, w / 2.0),
                "end" => (-w, 0.0),
                _ => (0.0, w),
            };
            let (up, down) = (0.75 * size, 0.2 * size);
            let angle = n
                .attribute("transform")
                .and_then(|t| t.strip_prefix("rotate("))
                .and_then(|t| t.split([' ', ',', ')']).next())
                .map_or(0.0, |a| a.parse::<f64>().unwrap());
            let b = if angle == 0.0 {
                (x + a, y - up, x + b, y + down)
            } else if (angle + 90.0).abs() < 1e-9 {
                // Reading upwards: along the text is −y, "up" is −x.
                (x - up, y - b, x + down, y - a)
            } else if (angle - 90.0).abs() < 1e-9 {
                (x - down, y + a, x + up, y + b)
            } else {
                panic!("unexpected rotation {angle}")
            };
            Some((s, b))
        })
        .collect()
}

/// The pairs of texts of `svg` whose boxes overlap (by more than half a pixel
/// each way).
fn overlaps(svg: &str) -> Vec<String> {
    let boxes = text_boxes(svg);
    let mut out = Vec::new();
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            let (s, a) = &boxes[i];
            let (t, b) = &boxes[j];
            let dx = a.2.min(b.2) - a.0.max(b.0);
            let dy = a.3.min(b.3) - a.1.max(b.1);
            if dx > 0.5 && dy > 0.5 {
                out.push(format!("{s:?} {a:?} overlaps {t:?} {b:?}"));
            }
        }
    }
    out
}

#[test]
fn a_shortened_axis_title_keeps_its_unit() {
    let t = Tornado {
        base: 1e6,
        unit: Unit::Millions,
        axis_title: format!(
            "Difference in expected margin, {} − {}, $M",
            "a-strategy-with-a-very-long-name-indeed-and-then-some-more",
            "another-strategy-with-an-even-longer-name-than-the-first-one"
        ),
        difference: true,
        bars: vec![bar("payer.reservation", -1e6, 2e6)],
    };
    let svg = tornado("", &t);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let axis = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .find(|n| {
            n.children()
                .any(|c| c.has_tag_name("title") && c.text() == Some(t.axis_title.as_str()))
        })
        .expect("the axis title, shortened, with its full text as a tooltip");
    let shown: String = axis
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    assert!(shown.ends_with("…, $M"), "{shown}");
    assert!(
        shown.starts_with("Difference in expected margin"),
        "{shown}"
    );
}

#[test]
fn the_overlap_check_finds_overlaps() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><text x="10" y="20" font-size="10">flips sign</text><text x="70" y="22" font-size="10" text-anchor="end">+1.35</text><text x="10" y="40" font-size="10">alone</text><text x="300" y="200" font-size="12" text-anchor="middle" transform="rotate(-90 300 200)">a rotated axis title</text><text x="296" y="200" font-size="10">x</text></svg>"#;
    let found = overlaps(svg);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("flips sign") && found[0].contains("+1.35"));
    assert!(found[1].contains("rotated") && found[1].contains("\"x\""));
}

fn shipped_scenarios() -> Vec<(String, Scenario, String)> {
    let mut out = Vec::new();
    for name in [
        "community-hospital",
        "academic-medical-center",
        "physician-group",
        "rural-hospital",
    ] {
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let s = Scenario::from_toml(&text, &path).unwrap();
        out.push((name.to_string(), s, text));
    }
    out
}

/// The board data of every shipped scenario, on few paths.
fn boards() -> &'static Vec<(String, impasse::analysis::board::BoardData)> {
    static BOARDS: OnceLock<Vec<(String, impasse::analysis::board::BoardData)>> = OnceLock::new();
    BOARDS.get_or_init(|| {
        shipped_scenarios()
            .into_iter()
            .map(|(name, s, text)| {
                let data = impasse::analysis::board::gather(
                    &s,
                    &text,
                    "impasse report",
                    &impasse::analysis::board::BoardBudget {
                        run: Budget {
                            paths: 2000,
                            seed: 3,
                            threads: Some(2),
                        },
                        analysis_paths: 200,
                    },
                    &|_| {},
                )
                .unwrap();
                (name, data)
            })
            .collect()
    })
}

#[test]
fn no_two_texts_overlap_in_any_board_chart_of_any_shipped_scenario() {
    let mut bad = Vec::new();
    for (name, data) in boards() {
        for c in impasse::report::board_charts::charts(data) {
            save(&format!("board_{name}_{}", c.id), &c.svg);
            eprintln!("{name} / {}", c.id);
            check(&c.svg, &[]);
            for o in overlaps(&c.svg) {
                bad.push(format!("{name} / {}: {o}", c.id));
            }
            // Nothing is shortened on the shipped scenarios; a shortened
            // axis title would keep its unit.
            let doc = roxmltree::Document::parse(&c.svg).unwrap();
            for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
                if let Some(full) = t.children().find(|n| n.has_tag_name("title")) {
                    let shown: String = t
                        .children()
                        .filter(|n| n.is_text())
                        .filter_map(|n| n.text())
                        .collect();
                    bad.push(format!(
                        "{name} / {}: {:?} shortened to {shown:?}",
                        c.id,
                        full.text().unwrap_or("")
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} overlaps:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

// ---------------------------------------------------------------- new charts

#[test]
fn the_palette_gives_ten_strategies_distinct_colours() {
    use impasse::report::charts::series_style;
    let colours: Vec<&str> = (0..10).map(|i| series_style(i).color).collect();
    for i in 0..10 {
        for j in i + 1..10 {
            assert_ne!(colours[i], colours[j], "series {i} and {j}");
            // Distinguishable, not just different strings: far apart in
            // CIELAB (ΔE*ab), and the styles differ in dash or marker too.
            let d = delta_e(colours[i], colours[j]);
            assert!(
                d > 20.0,
                "{} and {} are too close: ΔE {d:.1}",
                colours[i],
                colours[j]
            );
        }
    }
    // The revenue CDF chart with ten strategies uses ten colours.
    let cdfs: Vec<RevenueCdf> = (0..10)
        .map(|i| RevenueCdf {
            name: format!("strategy {i}"),
            points: (1..=99)
                .map(|p| (1e8 + i as f64 * 1e6 + p as f64 * 1e5, p as f64 / 100.0))
                .collect(),
        })
        .collect();
    let svg = revenue_distribution("", &cdfs);
    for c in &colours {
        assert!(svg.contains(&format!("stroke=\"{c}\"")), "{c} unused");
    }
    assert!(overlaps(&svg).is_empty(), "{:#?}", overlaps(&svg));
}

/// CIE76 colour difference of two `#rrggbb` colours.
fn delta_e(a: &str, b: &str) -> f64 {
    fn lab(hex: &str) -> [f64; 3] {
        let c = |i: usize| {
            let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = (c(1), c(3), c(5));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }
    let (p, q) = (lab(a), lab(b));
    ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
}

#[test]
fn weekly_revenue_discounts_to_the_path_revenue_on_every_shipped_scenario() {
    use impasse::model::cashflow::weekly_revenue;
    use impasse::model::play;
    let mut checked = 0;
    let mut with_letters = 0;
    let mut out_of_network = 0;
    let mut rolled_over = 0;
    let mut worst: f64 = 0.0;
    for (name, s, _) in shipped_scenarios() {
        let sim = Simulation::new(&s);
        for index in 0..300 {
            let world = sim.world(17, index);
            for plan in &sim.plans {
                let outcome = play(&sim.terms, plan, &world);
                let cash = weekly_revenue(&sim.terms, plan, &world);
                let pv = cash.present_value(&world);
                let rel = (pv - outcome.revenue).abs() / outcome.revenue.abs().max(1.0);
                assert!(
                    rel < 1e-6,
                    "{name} / {} / path {index}: weekly {pv} against {} (relative {rel:e})",
                    plan.name,
                    outcome.revenue
                );
                assert!(cash.revenue.len() as i64 >= s.horizon_weeks() as i64 - cash.first_week);
                assert!(cash.revenue.iter().all(|v| v.is_finite()));
                checked += 1;
                worst = worst.max(rel);
                rolled_over += usize::from(outcome.played().iter().any(|r| r.rolled_over));
                with_letters += usize::from(cash.first_week < 0);
                out_of_network += usize::from(outcome.played().iter().any(|r| r.out_of_network));
            }
        }
    }
    // The paths exercise letters before expiry and out-of-network periods.
    assert!(checked > 5000, "{checked}");
    assert!(with_letters > 100, "{with_letters}");
    assert!(out_of_network > 100, "{out_of_network}");
    assert!(rolled_over > 100, "{rolled_over}");
    eprintln!(
        "{checked} paths: worst relative difference {worst:e}; {with_letters} with letters, {out_of_network} out of network, {rolled_over} rolled over"
    );
}

/// The built-in scenario's board data (the first of [`boards`]).
fn builtin_board() -> &'static impasse::analysis::board::BoardData {
    &boards()[0].1
}

#[test]
fn the_new_board_charts_render_with_their_titles() {
    use impasse::report::board_charts::{CHART_IDS, caption_for, charts};
    for id in ["risk-return", "gain-distribution", "weekly-cash"] {
        assert!(CHART_IDS.contains(&id), "{id} is not in CHART_IDS");
    }
    for (name, data) in boards() {
        let all = charts(data);
        for (id, labels) in [
            (
                "risk-return",
                vec!["efficient frontier", "recommended", "Downside", "$M"],
            ),
            (
                "gain-distribution",
                vec!["does better", "does worse", "mean", "Share of worlds, %"],
            ),
            (
                "weekly-cash",
                vec!["median", "25–75 % of worlds", "5–95 % of worlds", "expiry"],
            ),
        ] {
            let c = all
                .iter()
                .find(|c| c.id == id)
                .unwrap_or_else(|| panic!("{name}: no {id} chart"));
            let doc = roxmltree::Document::parse(&c.svg).unwrap();
            let root = doc.root_element();
            let w: f64 = root.attribute("width").unwrap().parse().unwrap();
            let h: f64 = root.attribute("height").unwrap().parse().unwrap();
            assert!(w >= 400.0 && h >= 300.0, "{name} / {id}: {w} x {h}");
            assert!(
                c.svg.contains(&format!(
                    "<title>{}</title>",
                    impasse::report::charts::esc(&c.title)
                )),
                "{name} / {id}"
            );
            let text = check(&c.svg, &labels);
            assert!(text.contains(&data.recommended), "{name} / {id}: {text}");
        }
        // The caption says in words how often the recommendation does better.
        let lead = data.lead.as_ref().expect("a runner-up");
        let cap = caption_for(data, "gain-distribution");
        assert!(
            cap.contains(&format!(
                "{} does better than {}",
                lead.strategy, lead.runner_up
            )) && cap.contains("of worlds"),
            "{cap}"
        );
        // The bubble's measure is named.
        assert!(caption_for(data, "risk-return").contains("chance of going out of network"));
    }
}

#[test]
fn the_lead_quantiles_agree_with_the_recommendation() {
    let data = builtin_board();
    let lead = data.lead.as_ref().unwrap();
    let rec = data.run.recommendation.lead.as_ref().unwrap();
    assert_eq!(lead.quantiles.len(), 99);
    assert!(
        lead.quantiles
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 < w[1].1)
    );
    let at = |q: f64| {
        lead.quantiles
            .iter()
            .find(|p| (p.1 - q).abs() < 1e-9)
            .unwrap()
            .0
    };
    assert_eq!(at(0.05), rec.p5);
    assert_eq!(at(0.5), rec.p50);
    assert_eq!(at(0.95), rec.p95);
    assert_eq!(lead.p_better, rec.p_better);
    assert_eq!(lead.p_worse, rec.p_worse);
    // Risk neutral: the lead in value is the mean per-world difference.
    if data.run.decision.risk_tolerance.is_infinite() {
        assert!((lead.mean - rec.value).abs() <= 1e-6 * rec.value.abs().max(1.0));
    }
}

#[test]
fn the_weekly_cash_fan_is_ordered_and_covers_the_horizon() {
    let data = builtin_board();
    let f = data.weekly_cash.as_ref().unwrap();
    assert_eq!(f.strategy, data.recommended);
    assert_eq!(f.paths, 2000);
    let n = (data.run.horizon_weeks as i64 - f.first_week) as usize;
    for s in [&f.p5, &f.p25, &f.p50, &f.p75, &f.p95, &f.mean] {
        assert_eq!(s.len(), n);
    }
    for i in 0..n {
        assert!(f.p5[i] <= f.p25[i] && f.p25[i] <= f.p50[i]);
        assert!(f.p50[i] <= f.p75[i] && f.p75[i] <= f.p95[i]);
    }
    assert!(f.today > 0.0);
    if f.p_out_of_network > 0.0 {
        let (path, series) = f.example.as_ref().unwrap();
        assert_eq!(series.len(), n);
        // The example world loses revenue in some week.
        assert!(
            series.iter().any(|v| *v < 0.9 * f.today),
            "world {path} never dips"
        );
    }
}

#[test]
fn precision_is_never_labelled_as_spread_nor_spread_as_precision() {
    for (name, data) in boards() {
        for c in impasse::report::board_charts::charts(data) {
            let doc = roxmltree::Document::parse(&c.svg).unwrap();
            for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
                let s: String = t
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                let spread = ["P5", "5–95", "25–75", "percentile", "of worlds"]
                    .iter()
                    .any(|w| s.contains(w));
                assert!(
                    !(spread && s.contains("interval")),
                    "{name} / {}: {s:?} calls a spread an interval",
                    c.id
                );
            }
        }
    }
}

#[test]
fn new_charts_handle_empty_nan_and_hostile_input() {
    use impasse::report::charts::{
        GainDistribution, RiskReturn, RiskReturnPoint, WeeklyCash, efficient_frontier,
        gain_distribution, risk_return, weekly_cash,
    };
    let rr = |points: Vec<RiskReturnPoint>| RiskReturn {
        points,
        value_title: "Decision value: expected margin, $M".into(),
        downside_title: "Downside, $M".into(),
        patients_label: "patients cut off (expected)".into(),
    };
    let point = |name: &str, value: f64, downside: f64, patients: f64| RiskReturnPoint {
        name: name.into(),
        value,
        downside,
        patients,
        recommended: false,
        excluded: false,
    };
    check(&risk_return("", &rr(vec![])), &["No data"]);
    check(
        &risk_return("", &rr(vec![point("x", f64::NAN, 1.0, 0.0)])),
        &["No data"],
    );
    // Ten strategies crowded together, one hostile, one excluded, one with
    // no patients: every name shown, none overlapping.
    let mut pts: Vec<RiskReturnPoint> = (0..10)
        .map(|i| {
            point(
                &format!("strategy number {i}"),
                2e8 + (i % 3) as f64 * 1e5,
                1.5e8 + (i % 4) as f64 * 1e5,
                i as f64 * 10.0,
            )
        })
        .collect();
    pts[0].name = HOSTILE.into();
    pts[0].recommended = true;
    pts[1].excluded = true;
    pts[2].patients = f64::NAN;
    let svg = risk_return("", &rr(pts.clone()));
    save("edge_risk_return_crowded", &svg);
    let text = check(&svg, &[HOSTILE, "outside the board's limits"]);
    assert!(overlaps(&svg).is_empty(), "{:#?}", overlaps(&svg));
    let shown = (1..10)
        .filter(|i| text.contains(&format!("strategy number {i}")))
        .count();
    assert_eq!(shown, 9, "{text}");
    let front = efficient_frontier(
        &pts.iter()
            .map(|p| (p.value, p.downside))
            .collect::<Vec<_>>(),
    );
    assert!(!front.is_empty());

    let gain = |quantiles: Vec<(f64, f64)>, better: f64, worse: f64| GainDistribution {
        strategy: HOSTILE.into(),
        runner_up: "wait".into(),
        quantiles,
        mean: 1e6,
        p_better: better,
        p_worse: worse,
        what: "margin".into(),
    };
    check(
        &gain_distribution("", &gain(vec![], 0.5, 0.5)),
        &["No data"],
    );
    // Mostly ties: the tie bar is cut and labelled.
    let ties: Vec<(f64, f64)> = (1..=99)
        .map(|k| {
            let q = k as f64 / 100.0;
            let v = if q < 0.1 {
                -1e6 * (0.1 - q) * 10.0
            } else if q < 0.9 {
                0.0
            } else {
                3e6 * (q - 0.9) * 10.0
            };
            (v, q)
        })
        .collect();
    let svg = gain_distribution("", &gain(ties, 0.1, 0.1));
    save("edge_gain_ties", &svg);
    check(&svg, &[HOSTILE, "same: 80 %", "the same in 80 %"]);
    assert!(overlaps(&svg).is_empty(), "{:#?}", overlaps(&svg));
    // All gains, and all equal values.
    check(
        &gain_distribution(
            "",
            &gain(
                (1..=99)
                    .map(|k| (k as f64 * 1e5, k as f64 / 100.0))
                    .collect(),
                1.0,
                0.0,
            ),
        ),
        &["does better than wait in 100 %"],
    );
    check(
        &gain_distribution(
            "",
            &gain(
                (1..=99).map(|k| (0.0, k as f64 / 100.0)).collect(),
                0.0,
                0.0,
            ),
        ),
        &["the same in 100 %"],
    );

    let fan = |n: usize| WeeklyCash {
        strategy: HOSTILE.into(),
        paths: 10,
        first_week: -3,
        p5: vec![0.5e6; n],
        p25: vec![0.8e6; n],
        p50: vec![1e6; n],
        p75: vec![1.1e6; n],
        p95: vec![1.2e6; n],
        today: Some(1e6),
        expiries: vec![0, 156],
        p_out_of_network: 0.2,
        example: Some((
            "a world that goes out of network (world 3)".into(),
            vec![0.1e6; n],
        )),
    };
    check(&weekly_cash("", &fan(0)), &["No data"]);
    let svg = weekly_cash("", &fan(315));
    check(&svg, &[HOSTILE, "world 3", "expiry", "renewal 2 expiry"]);
    let mut nan = fan(10);
    nan.p50[3] = f64::NAN;
    nan.today = Some(f64::INFINITY);
    nan.example = None;
    check(&weekly_cash("", &nan), &[HOSTILE]);
}

// ---------------------------------------------------------------- drivers

/// The label of each factor row of a drivers chart: the texts of each
/// `factor` group drawn at the left margin, lines joined by a space; and
/// whether the group is chance's.
fn driver_rows(svg: &str) -> Vec<(String, bool)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("factor"))
        })
        .map(|g| {
            let label = g
                .children()
                .filter(|t| t.has_tag_name("text") && t.attribute("x") == Some("20"))
                .map(|t| {
                    t.children()
                        .filter(|c| c.is_text())
                        .filter_map(|c| c.text())
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ");
            (label, g.attribute("class") == Some("factor chance"))
        })
        .collect()
}

#[test]
fn the_drivers_chart_shows_the_top_factors_in_words_on_every_shipped_scenario() {
    use impasse::report::board_charts::{CHART_IDS, DRIVERS_BARS, caption_for, charts};
    assert!(CHART_IDS.contains(&"drivers"));
    for (name, data) in boards() {
        let d = data.drivers.as_ref().expect("a runner-up");
        let c = charts(data)
            .into_iter()
            .find(|c| c.id == "drivers")
            .unwrap_or_else(|| panic!("{name}: no drivers chart"));
        save(&format!("board_{name}_drivers_check"), &c.svg);
        check(
            &c.svg,
            &["share alone (S1)", "95 % interval of the total share", "%"],
        );
        // One row per factor, the largest total indices first, labelled in
        // words (never a dotted path), chance in its own colour.
        let rows = driver_rows(&c.svg);
        let expected: Vec<(String, bool)> = d
            .sobol
            .iter()
            .take(DRIVERS_BARS)
            .map(|r| (r.label.clone(), r.kind == "chance"))
            .collect();
        assert_eq!(rows, expected, "{name}");
        assert!(
            rows.iter().any(|(_, chance)| *chance),
            "{name}: no chance row"
        );
        assert!(
            c.svg.contains("fill=\"#E69F00\""),
            "{name}: chance is not orange"
        );
        let title = &c.title;
        assert!(title.contains(&data.recommended), "{name}: {title}");
        assert!(
            title.contains(data.runner_up.as_deref().unwrap()),
            "{name}: {title}"
        );
        let cap = caption_for(data, "drivers");
        assert!(cap.contains("Chance accounts for"), "{name}: {cap}");
        if d.sobol.len() > DRIVERS_BARS {
            assert!(
                cap.contains(&format!("{} more factor", d.sobol.len() - DRIVERS_BARS)),
                "{name}: {cap}"
            );
        }
    }
}

#[test]
fn drivers_chart_edge_cases() {
    use impasse::report::charts::{DriverBar, Drivers, drivers};
    let bar =
        |label: &str, chance: bool, first: f64, total: f64, ci: Option<(f64, f64)>| DriverBar {
            label: label.into(),
            chance,
            first,
            total,
            total_ci95: ci,
        };
    let chart = |factors: Vec<DriverBar>| Drivers {
        axis_title: "Share of the variation in margin, a − b, %".into(),
        factors,
    };
    check(&drivers("", &chart(vec![])), &["No data"]);
    // Chance alone, its interval beyond 100 %: cut at the axis.
    let svg = drivers(
        "",
        &chart(vec![bar("chance", true, 0.9, 0.98, Some((0.9, 1.06)))]),
    );
    check(&svg, &["chance", "98%", "chance: total", "chance: alone"]);
    assert!(
        !svg.contains("share alone (S1)"),
        "no input, no input legend"
    );
    // Negative estimates, NaN, no interval, a hostile and a very long label.
    let long = "a factor with a label so long that it cannot fit on two lines of the label column however it is wrapped, not even close";
    let svg = drivers(
        "",
        &chart(vec![
            bar(HOSTILE, false, -0.01, 0.4, Some((-0.02, 0.45))),
            bar("nan", false, f64::NAN, f64::NAN, Some((f64::NAN, 0.1))),
            bar("no interval", false, 0.1, 0.2, None),
            bar(long, false, 0.0, 0.0, Some((0.0, 0.0))),
        ]),
    );
    save("edge_drivers", &svg);
    let text = check(&svg, &[HOSTILE, "no data", "40%", "20%", "0.0%"]);
    assert!(!svg.contains(HOSTILE), "unescaped");
    assert!(text.contains('…'), "the long label is shortened");
    let rows = driver_rows(&svg);
    assert_eq!(rows.len(), 4);
    assert!(rows[3].0.ends_with('…') && long.starts_with(rows[3].0.trim_end_matches('…')));
    // Ten factors: the chart grows, nothing overlaps.
    let many: Vec<DriverBar> = (0..10)
        .map(|i| {
            bar(
                &format!("the payer's ceiling when its executives engage, input number {i}"),
                i == 0,
                0.5 / (i + 1) as f64,
                0.6 / (i + 1) as f64,
                Some((0.5 / (i + 1) as f64, 0.7 / (i + 1) as f64)),
            )
        })
        .collect();
    let svg = drivers("What drives it", &chart(many));
    save("edge_drivers_many", &svg);
    check(&svg, &["What drives it", "input number 9"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let h: f64 = doc
        .root_element()
        .attribute("height")
        .unwrap()
        .parse()
        .unwrap();
    assert!(h > 450.0, "{h}");
    assert_eq!(
        drivers("x", &chart(vec![bar("a", false, 0.1, 0.2, None)])),
        drivers("x", &chart(vec![bar("a", false, 0.1, 0.2, None)]))
    );
}
