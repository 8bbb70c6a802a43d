//! The advice is tested, never assumed. For every move the negotiation
//! literature warns about (premature escalation, bluffing, hard leverage,
//! threats seen before, a split board) and every piece of its advice (start
//! early, use data, escalate only when stuck, raise all issues), the move is
//! played against its exact twin (the same strategy without the move) on the
//! same paths, and each test shows the effect going BOTH ways: an input a
//! user can see and sweep makes the move win on average at one value and
//! lose at another. Signs are judged at three Monte Carlo standard errors of
//! the paired mean difference (fixed seeds).

use impasse::engine::{RunConfig, Simulation};
use impasse::scenario::{Agenda, Dist, Scenario, Strategy, Trigger};

const PATHS: u64 = 12_000;
const SEED: u64 = 17;

/// The paired difference `a - b` of revenue (or margin) on the same paths:
/// (mean, its standard error, P(a better), P(a worse)).
struct Diff {
    mean: f64,
    mcse: f64,
    p_better: f64,
    p_worse: f64,
}

impl Diff {
    fn wins(&self) -> bool {
        self.mean > 3.0 * self.mcse
    }
    fn loses(&self) -> bool {
        self.mean < -3.0 * self.mcse
    }
}

impl std::fmt::Debug for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:+.3} $M ± {:.3} (P better {:.3}, worse {:.3})",
            self.mean / 1e6,
            self.mcse / 1e6,
            self.p_better,
            self.p_worse
        )
    }
}

fn index(s: &Scenario, name: &str) -> usize {
    s.strategy_index(name)
        .unwrap_or_else(|| panic!("no strategy {name}"))
}

fn diff_on(s: &Scenario, a: &str, b: &str, margin: bool) -> Diff {
    s.validate().unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulation::new(s);
    let pair = [(index(s, a), index(s, b))];
    let config = RunConfig {
        threads: Some(2),
        ..RunConfig::new(PATHS, SEED)
    };
    let summary = sim.run(&config, &pair, &|_| {}).unwrap();
    let p = &summary.pairs[0];
    let m = if margin { p.margin() } else { p.revenue() };
    Diff {
        mean: m.mean(),
        mcse: m.mcse(),
        p_better: p.a_better().p(),
        p_worse: p.a_worse().p(),
    }
}

fn diff(s: &Scenario, a: &str, b: &str) -> Diff {
    diff_on(s, a, b, false)
}

fn builtin() -> Scenario {
    Scenario::builtin()
}

fn fixed(x: f64) -> Dist {
    Dist::Fixed(x)
}

/// Add a copy of strategy `from` named `name`, changed by `edit`.
fn add_twin(s: &mut Scenario, from: &str, name: &str, edit: impl Fn(&mut Strategy)) {
    let mut st = s.strategies[index(s, from)].clone();
    st.name = name.into();
    edit(&mut st);
    s.strategies.push(st);
}

#[test]
fn escalating_now_can_lose_and_its_price_is_the_premature_backlash() {
    let mut s = builtin();
    let d = diff(&s, "escalate-now", "wait");
    // On a visible share of paths the premature escalation does worse.
    assert!(d.p_worse > 0.05 && d.p_better > 0.05, "{d:?}");
    // Win or lose is set by how often a premature refusal hardens the staff.
    s.payer.exec.premature_backlash_prob = fixed(0.0);
    let d = diff(&s, "escalate-now", "wait");
    assert!(d.wins(), "no backlash: {d:?}");
    s.payer.exec.premature_backlash_prob = fixed(1.0);
    s.payer.exec.backlash_reservation_loss = fixed(0.005);
    let d = diff(&s, "escalate-now", "wait");
    assert!(d.loses(), "certain backlash: {d:?}");
}

#[test]
fn escalating_only_when_stuck_beats_escalating_at_once_unless_prematurity_is_free() {
    let mut s = builtin();
    let d = diff(&s, "escalate-now", "escalate-at-impasse");
    assert!(d.loses(), "default: {d:?}");
    // If executives did not mind being called early, earlier would be better.
    s.payer.exec.premature_penalty = fixed(0.0);
    s.payer.exec.premature_backlash_prob = s.payer.exec.backlash_prob.clone();
    let d = diff(&s, "escalate-now", "escalate-at-impasse");
    assert!(d.wins(), "no premature price: {d:?}");
}

#[test]
fn a_bluff_loses_when_the_payer_can_call_it_and_wins_only_when_it_cannot() {
    let mut s = builtin();
    let d = diff(&s, "bluff", "escalate-at-impasse");
    assert!(d.loses() && d.p_worse > 0.05, "default: {d:?}");
    // A payer that always believes and never refuses to talk cannot call it.
    s.payer.notice.refuse_to_talk_prob = fixed(0.0);
    s.payer.notice.credibility = fixed(1.0);
    s.payer.notice.bluff_credibility = fixed(1.0);
    let d = diff(&s, "bluff", "escalate-at-impasse");
    assert!(d.wins(), "credible bluff: {d:?}");
    // A payer that believes half of such bluffs: it pays while the other
    // half ignore the notice, and loses once they refuse to talk instead
    // (only a payer that does not believe a notice refuses to talk).
    s.payer.notice.bluff_credibility = fixed(0.5);
    let d = diff(&s, "bluff", "escalate-at-impasse");
    assert!(d.wins(), "half believe, the rest ignore it: {d:?}");
    s.payer.notice.refuse_to_talk_prob = fixed(0.5);
    let d = diff(&s, "bluff", "escalate-at-impasse");
    assert!(d.loses(), "half believe, the rest refuse to talk: {d:?}");
}

/// A notice-friendly world: a must-have provider keeps most of its volume
/// out of network and the payer comes back fast under heavy pressure.
fn must_have(s: &mut Scenario) {
    s.provider.oon.volume_retention = fixed(0.8);
    s.payer.oon.return_scale_weeks = fixed(4.0);
    s.payer.oon.reservation_gain = fixed(0.04);
    s.payer.notice.credibility = fixed(0.9);
}

#[test]
fn a_real_notice_pays_only_for_a_provider_that_can_afford_to_leave() {
    let mut s = builtin();
    let d = diff(&s, "notice-and-escalate", "all-issues");
    assert!(d.loses() && d.p_worse > 0.05, "community hospital: {d:?}");
    must_have(&mut s);
    s.payer.notice.refuse_to_talk_prob = fixed(0.1);
    let d = diff(&s, "notice-and-escalate", "all-issues");
    assert!(d.wins(), "must-have provider: {d:?}");
    assert!(
        d.p_worse > 0.0,
        "even then it can lose on some paths: {d:?}"
    );
}

/// A payer that mostly believes notices (the hospital's own situation
/// otherwise unchanged).
fn credible(s: &mut Scenario) {
    s.payer.notice.credibility = fixed(0.9);
    s.payer.notice.refuse_to_talk_prob = fixed(0.0);
}

#[test]
fn payers_that_refuse_to_talk_turn_a_winning_notice_into_a_losing_one() {
    // A payer that believes 40 % of notices: the notice pays while the
    // other 60 % keep talking, and loses once they refuse to talk.
    let mut s = builtin();
    credible(&mut s);
    s.payer.notice.credibility = fixed(0.4);
    let talk = diff(&s, "notice-and-escalate", "all-issues");
    s.payer.notice.refuse_to_talk_prob = fixed(0.6);
    let refuse = diff(&s, "notice-and-escalate", "all-issues");
    assert!(talk.wins() && refuse.loses(), "{talk:?} / {refuse:?}");
}

#[test]
fn member_letters_cost_patients_even_when_a_deal_follows() {
    let mut s = builtin();
    credible(&mut s);
    s.payer.notice.credibility = fixed(0.6);
    s.provider.notice.pre_expiry_switch_rate = fixed(0.0);
    let quiet = diff(&s, "notice-and-escalate", "all-issues");
    s.provider.notice.pre_expiry_switch_rate = fixed(0.03);
    let loud = diff(&s, "notice-and-escalate", "all-issues");
    assert!(quiet.wins() && loud.loses(), "{quiet:?} / {loud:?}");
}

#[test]
fn a_split_board_can_make_a_notice_lose_not_only_shrink_its_gain() {
    // Where leaving pays (a must-have provider), a board that backs down
    // turns every unsettled notice into a called bluff.
    let mut s = builtin();
    must_have(&mut s);
    // Half the payers refuse to talk; the other half believe the notice.
    s.payer.notice.refuse_to_talk_prob = fixed(0.5);
    s.payer.notice.credibility = fixed(0.45);
    s.provider.alignment = fixed(1.0);
    let united = diff(&s, "notice-and-escalate", "all-issues");
    // Always split, and a split board always withdraws its notice: every
    // unsettled notice becomes a called bluff.
    s.provider.alignment = fixed(0.0);
    s.provider.notice.misaligned_withdraw_prob = fixed(1.0);
    let split = diff(&s, "notice-and-escalate", "all-issues");
    assert!(united.wins() && split.loses(), "{united:?} / {split:?}");
}

#[test]
fn raising_all_issues_pays_unless_the_payer_counter_asks_destroy_more_than_items_create() {
    let mut s = builtin();
    add_twin(&mut s, "all-issues", "rate-only-twin", |st| {
        st.agenda = Agenda::RateOnly;
    });
    // The items create value where they are not pure transfers (rework,
    // friction); with no counter-ask that is a gain.
    let ask = |s: &mut Scenario| {
        let k = s
            .items
            .iter()
            .position(|i| i.name == "site-of-care")
            .unwrap();
        s.items.remove(k)
    };
    let counter = ask(&mut s);
    let d = diff(&s, "all-issues", "rate-only-twin");
    assert!(d.wins(), "no counter-ask: {d:?}");
    assert!(
        d.p_worse > 0.05,
        "and it can still lose on some paths: {d:?}"
    );
    // A large counter-ask that is mostly deadweight for the hospital.
    s.items.push(counter);
    let k = s.items.len() - 1;
    s.items[k].annual_value = fixed(6e6);
    s.items[k].transfer_share = fixed(0.1);
    s.items[k].p_win_staff = fixed(0.9);
    let d = diff(&s, "all-issues", "rate-only-twin");
    assert!(d.loses(), "costly counter-ask: {d:?}");
}

#[test]
fn data_work_pays_when_it_moves_the_payer_more_than_it_costs_and_finishes_in_time() {
    let mut s = builtin();
    add_twin(&mut s, "all-issues", "no-data-twin", |st| {
        st.data_prep = false
    });
    s.data.reservation_gain = fixed(0.004);
    s.data.cost = fixed(150e3);
    let d = diff_on(&s, "all-issues", "no-data-twin", true);
    assert!(d.wins(), "cheap, effective data: {d:?}");
    s.data.cost = fixed(5e6);
    let d = diff_on(&s, "all-issues", "no-data-twin", true);
    assert!(d.loses(), "costly data: {d:?}");
    // Work that cannot finish within the term: all cost, no gain.
    s.data.cost = fixed(150e3);
    s.provider.data_prep_weeks = fixed(200.0);
    for name in ["all-issues", "no-data-twin"] {
        let k = index(&s, name);
        s.strategies[k].lead_weeks = 10;
    }
    let d = diff_on(&s, "all-issues", "no-data-twin", true);
    assert!(d.loses(), "too late to finish: {d:?}");
}

#[test]
fn starting_early_pays_through_the_payers_calendar_and_through_work_that_takes_time() {
    // A payer whose deadline is a fixed few weeks after expiry is further
    // from its reservation at expiry the shorter the talks: payers use time
    // against late starters, even in bare talks.
    let mut s = builtin();
    add_twin(&mut s, "wait", "wait-late", |st| st.lead_weeks = 14);
    add_twin(&mut s, "all-issues", "late-start", |st| st.lead_weeks = 14);
    let calendar = diff(&s, "wait", "wait-late");
    assert!(calendar.wins(), "{calendar:?}");
    // With the payer's deadline at expiry, bare talks barely notice when
    // they open (only the coarser grid of meetings moves the deal, by under
    // 0.2 % of revenue)...
    s.payer.deadline_weeks = fixed(0.0);
    let grid = diff(&s, "wait", "wait-late");
    assert!(grid.mean.abs() < 0.002 * 440e6, "{grid:?}");
    // ...but data, items and escalation at impasse still need the time.
    let work = diff(&s, "all-issues", "late-start");
    assert!(
        work.mean - grid.mean > 3.0 * (work.mcse + grid.mcse),
        "work {work:?}, grid {grid:?}"
    );
    // And an early start can hurt when what it makes time for backfires:
    // escalation at an impasse that a late start never reaches.
    add_twin(&mut s, "escalate-at-impasse", "escalate-late", |st| {
        st.lead_weeks = 14
    });
    s.payer.exec.success_prob = fixed(0.02);
    s.payer.exec.backlash_prob = fixed(1.0);
    let d = diff(&s, "escalate-at-impasse", "escalate-late");
    assert!(d.loses(), "escalation that only backfires: {d:?}");
}

#[test]
fn threats_the_payer_has_seen_before_move_it_less() {
    // Two renewals with a believed-and-settled notice at the first: the
    // second notice's gain is scaled by the repeat-threat factor.
    let mut s = builtin();
    must_have(&mut s);
    s.payer.notice.refuse_to_talk_prob = fixed(0.0);
    add_twin(&mut s, "notice-and-escalate", "notice-twin", |st| {
        st.notice = Trigger::Never
    });
    s.relationship.repeat_threat_factor = fixed(1.0);
    let fresh = renewal_two_diff(&s);
    s.relationship.repeat_threat_factor = fixed(0.0);
    let seen = renewal_two_diff(&s);
    assert!(
        fresh > seen,
        "renewal-2 gain of the notice: fresh {fresh} vs seen before {seen}"
    );
}

/// Mean renewal-2 revenue of `notice-and-escalate` minus its twin's.
fn renewal_two_diff(s: &Scenario) -> f64 {
    let sim = Simulation::new(s);
    let config = RunConfig {
        threads: Some(2),
        ..RunConfig::new(PATHS, SEED)
    };
    let summary = sim.run(&config, &[], &|_| {}).unwrap();
    let r2 = |name: &str| {
        summary.strategies[index(s, name)].renewals[1]
            .revenue
            .mean()
    };
    r2("notice-and-escalate") - r2("notice-twin")
}

#[test]
fn costs_decide_whether_a_move_pays_in_margin() {
    let mut s = builtin();
    s.provider.escalation_cost = fixed(0.0);
    let d = diff_on(&s, "escalate-at-impasse", "wait", true);
    assert!(d.wins(), "free escalation: {d:?}");
    s.provider.escalation_cost = fixed(20e6);
    let d = diff_on(&s, "escalate-at-impasse", "wait", true);
    assert!(d.loses(), "escalation costing $20M: {d:?}");
    // Revenue does not see costs.
    let r = diff(&s, "escalate-at-impasse", "wait");
    assert!(r.wins(), "{r:?}");
}

#[test]
fn the_roll_over_is_chosen_only_when_waiting_beats_the_last_offer() {
    let stats = |s: &Scenario| {
        let sim = Simulation::new(s);
        let summary = sim.run(&RunConfig::new(4000, SEED), &[], &|_| {}).unwrap();
        let w = summary.strategies[index(s, "wait")].first();
        (w.rolled_over.p(), w.deal_before_expiry.p())
    };
    // A payer whose last offer is final and who never stalls: old terms at
    // 0 % never beat it.
    let mut s = builtin();
    s.payer.deadline_weeks = fixed(0.0);
    s.payer.stall_prob = fixed(0.0);
    assert_eq!(stats(&s).0, 0.0);
    // Old terms escalating 6 % a year beat some offers (accepting gives the
    // contract one more yearly step within the term, so the bar is high).
    s.contract.status_quo_escalator = fixed(0.06);
    let (p, _) = stats(&s);
    assert!(p > 0.05 && p < 0.6, "old terms at 6 %: rolled over on {p}");
    // A payer still weeks from its deadline at expiry, and a provider with
    // the whole bargaining weight (the final offer is the payer's
    // reservation): waiting for it often beats the last offer.
    let mut s = builtin();
    s.payer.stall_prob = fixed(0.0);
    s.payer.deadline_weeks = fixed(8.0);
    s.provider.bargaining_weight = fixed(1.0);
    let (p, deal) = stats(&s);
    assert!(
        p > 0.3 && p <= 1.0 - deal + 1e-12,
        "deadline 8 weeks out: {p}"
    );
    // With an even split it rarely does.
    s.provider.bargaining_weight = fixed(0.5);
    let (even, _) = stats(&s);
    assert!(even < p / 2.0, "even split: {even} vs {p}");
}

#[test]
fn the_deal_does_not_depend_on_how_often_the_sides_meet() {
    // Meetings every 1, 2 or 4 weeks over the same year: the payer's tactic
    // runs on calendar time and every calendar ends with a deadline session.
    let mut s = builtin();
    s.strategies
        .retain(|st| st.name == "wait" || st.name == "escalate-at-impasse");
    let base = s.clone();
    let mut rates = Vec::new();
    for cadence in [1, 2, 4] {
        let mut s = base.clone();
        for st in &mut s.strategies {
            st.cadence_weeks = cadence;
        }
        let sim = Simulation::new(&s);
        let summary = sim.run(&RunConfig::new(PATHS, SEED), &[], &|_| {}).unwrap();
        rates.push(
            summary
                .strategies
                .iter()
                .map(|x| (x.first().deal_before_expiry.p(), x.revenue.mean()))
                .collect::<Vec<_>>(),
        );
    }
    for k in 0..2 {
        let deal: Vec<f64> = rates.iter().map(|r| r[k].0).collect();
        let revenue: Vec<f64> = rates.iter().map(|r| r[k].1).collect();
        let spread = |v: &[f64]| {
            v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
        };
        assert!(spread(&deal) < 0.03, "deal rates {deal:?}");
        assert!(
            spread(&revenue) < 0.002 * revenue[0],
            "revenues {revenue:?}"
        );
    }
}

/// Share of first-renewal notices the payer answered by refusing to talk,
/// with its standard error.
fn refusal_share(s: &Scenario, strategy: &str) -> (f64, f64) {
    let sim = Simulation::new(s);
    let summary = sim.run(&RunConfig::new(PATHS, SEED), &[], &|_| {}).unwrap();
    let r = &summary.strategies[index(s, strategy)]
        .first()
        .refused_to_talk_if_notice;
    let p = r.p();
    (p, (p * (1.0 - p) / r.count() as f64).sqrt())
}

#[test]
fn only_a_payer_that_does_not_believe_a_notice_refuses_to_talk() {
    // Refusing to talk is a bet that the provider will not leave. The share
    // refusing is the input while it fits among the non-believers...
    let mut s = builtin();
    s.payer.notice.credibility = fixed(0.4);
    s.payer.notice.refuse_to_talk_prob = fixed(0.3);
    let (p, se) = refusal_share(&s, "notice-and-escalate");
    assert!((p - 0.3).abs() < 3.0 * se, "{p} ± {se}");
    // ... and is capped by them: with 80 % believing, at most 20 % refuse.
    s.payer.notice.credibility = fixed(0.8);
    s.payer.notice.refuse_to_talk_prob = fixed(0.5);
    let (p, se) = refusal_share(&s, "notice-and-escalate");
    assert!((p - 0.2).abs() < 3.0 * se, "{p} ± {se}");
    // A notice believed on every path is never refused; one believed on
    // none is refused by every payer when all would refuse.
    s.payer.notice.credibility = fixed(1.0);
    s.payer.notice.refuse_to_talk_prob = fixed(1.0);
    assert_eq!(refusal_share(&s, "notice-and-escalate").0, 0.0);
    s.payer.notice.credibility = fixed(0.0);
    assert_eq!(refusal_share(&s, "notice-and-escalate").0, 1.0);
    // A bluff is read with its own credibility.
    s.payer.notice.bluff_credibility = fixed(1.0);
    assert_eq!(refusal_share(&s, "bluff").0, 0.0);
}
