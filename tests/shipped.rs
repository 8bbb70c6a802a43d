//! In every shipped scenario, each move the article warns about (a bluff,
//! an escalation at the opening, every notice of non-renewal) is played
//! against its exact twin: the same strategy, built here field by field,
//! without the move. Each must lose to its twin on a visible share of
//! paths, and `threshold` must find a break-even for it on one input a user
//! can see and sweep: the advice is a result of the inputs, never of the
//! model's construction.

use impasse::analysis::Budget;
use impasse::analysis::threshold::{ThresholdOptions, threshold};
use impasse::analysis::tornado::Metric;
use impasse::engine::{RunConfig, Simulation};
use impasse::scenario::{Scenario, Strategy, Trigger};

const SHIPPED: [(&str, &str); 4] = [
    (
        "academic-medical-center",
        include_str!("../scenarios/academic-medical-center.toml"),
    ),
    (
        "community-hospital",
        include_str!("../scenarios/community-hospital.toml"),
    ),
    (
        "physician-group",
        include_str!("../scenarios/physician-group.toml"),
    ),
    (
        "rural-hospital",
        include_str!("../scenarios/rural-hospital.toml"),
    ),
];

/// Inputs that may decide a move, with the range searched; at least one
/// must give a break-even.
type Candidates = &'static [(&'static str, f64, f64)];

const NOTICE: Candidates = &[
    ("payer.notice.credibility", 0.0, 1.0),
    ("payer.notice.refuse_to_talk_prob", 0.0, 1.0),
    ("provider.notice.pre_expiry_switch_rate", 0.0, 0.05),
    ("provider.oon.weekly_switch_rate", 0.0, 0.05),
];
const BLUFF: Candidates = &[
    ("payer.notice.bluff_credibility", 0.0, 1.0),
    ("payer.notice.refuse_to_talk_prob", 0.0, 1.0),
];
const EARLY_ESCALATION: Candidates = &[
    ("payer.exec.premature_backlash_prob", 0.0, 1.0),
    ("payer.exec.premature_penalty", 0.0, 1.0),
];

/// A move, the twin without it, and the inputs that may decide it.
struct Move {
    strategy: String,
    twin: Strategy,
    inputs: Candidates,
}

fn without_notice(st: &Strategy) -> Strategy {
    let mut t = st.clone();
    t.notice = Trigger::Never;
    t.notice_if_offer_below = None;
    t
}

/// Every move in the scenario that the article warns about, with its twin.
fn moves(s: &Scenario) -> Vec<Move> {
    let mut out = Vec::new();
    for st in &s.strategies {
        if st.notice != Trigger::Never {
            let (inputs, kind) = if st.max_oon_weeks == 0 {
                (BLUFF, "bluff")
            } else {
                (NOTICE, "notice")
            };
            let mut twin = without_notice(st);
            twin.name = format!("{}-without-{kind}", st.name);
            out.push(Move {
                strategy: st.name.clone(),
                twin,
                inputs,
            });
        } else if st.escalation == Trigger::Now {
            let mut twin = st.clone();
            twin.escalation = Trigger::Never;
            twin.escalation_retry = Trigger::Never;
            twin.escalate_if_offer_below = None;
            twin.name = format!("{}-without-escalation", st.name);
            out.push(Move {
                strategy: st.name.clone(),
                twin,
                inputs: EARLY_ESCALATION,
            });
        }
    }
    out
}

fn with_twins(s: &Scenario, moves: &[Move]) -> Scenario {
    let mut s = s.clone();
    s.strategies.extend(moves.iter().map(|m| m.twin.clone()));
    s.validate().unwrap_or_else(|e| panic!("{e}"));
    s
}

#[test]
fn every_warned_move_can_lose_to_its_twin_and_has_a_break_even() {
    let budget = Budget {
        paths: 4000,
        seed: 7,
        threads: None,
    };
    let mut kinds = [0usize; 3];
    for (name, text) in SHIPPED {
        let base = Scenario::from_toml(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let moves = moves(&base);
        let s = with_twins(&base, &moves);
        let idx = |n: &str| s.strategy_index(n).unwrap();
        // Loses on a visible share of paths, at the scenario's own inputs.
        let pairs: Vec<(usize, usize)> = moves
            .iter()
            .map(|m| (idx(&m.strategy), idx(&m.twin.name)))
            .collect();
        let summary = Simulation::new(&s)
            .run(&RunConfig::new(budget.paths, budget.seed), &pairs, &|_| {})
            .unwrap();
        for (m, p) in moves.iter().zip(&summary.pairs) {
            let worse = p.a_worse().p();
            assert!(
                worse >= 0.05,
                "{name}: `{}` earns less than its twin on only {:.1} % of paths",
                m.strategy,
                100.0 * worse
            );
            // And a break-even on an input that decides it.
            let found = m.inputs.iter().find_map(|&(param, lo, hi)| {
                let options = ThresholdOptions {
                    param: param.into(),
                    a: m.strategy.clone(),
                    b: m.twin.name.clone(),
                    range: Some((lo, hi)),
                    metric: Metric::Revenue,
                };
                let r = threshold(&s, &options, &budget, &|_| {}).unwrap();
                r.crossing.map(|at| (param, lo, hi, at))
            });
            let Some((param, lo, hi, at)) = found else {
                panic!(
                    "{name}: no break-even of `{}` on {:?}",
                    m.strategy, m.inputs
                )
            };
            assert!(
                at > lo && at < hi,
                "{name}: {} on {param} at {at}",
                m.strategy
            );
            eprintln!("{name}: `{}` breaks even at {param} = {at:.4}", m.strategy);
            kinds[if m.inputs == NOTICE {
                0
            } else if m.inputs == BLUFF {
                1
            } else {
                2
            }] += 1;
        }
    }
    // Every scenario ships at least a bluff, a notice and an early
    // escalation.
    assert!(kinds.iter().all(|&k| k >= SHIPPED.len()), "{kinds:?}");
}
