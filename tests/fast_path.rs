//! The Monte Carlo loop plays staff talks with a fast-forward over quiet
//! stretches of meetings (see `model::talks`); a traced path plays every
//! meeting. They must agree to the last bit, on every strategy of every
//! shipped scenario and on random strategies exercising every trigger.

use impasse::engine::{Shortcuts, Simulation, all_pairs};
use impasse::model::{Observer, PayerPowers, payer_powers, play, play_observed, play_with_powers};
use impasse::scenario::{Agenda, Scenario, Strategy, Trigger};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Records nothing, but asks for every meeting (so no fast-forward).
struct EveryMeeting;
impl Observer for EveryMeeting {}

fn scenarios() -> Vec<Scenario> {
    let mut out = vec![Scenario::builtin()];
    for name in [
        "academic-medical-center",
        "physician-group",
        "rural-hospital",
    ] {
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        out.push(Scenario::from_path(std::path::Path::new(&path)).unwrap());
    }
    out
}

fn trigger(rng: &mut Xoshiro256PlusPlus, lead: i32, latest: i32) -> Trigger {
    match rng.random_range(0..4) {
        0 => Trigger::Never,
        1 => Trigger::Now,
        2 => Trigger::OnImpasse,
        _ if latest >= -lead => Trigger::Week(rng.random_range(-lead..=latest)),
        _ => Trigger::Never,
    }
}

/// Random escalation, retry and notice triggers for a strategy opening
/// `lead` weeks out, the notice no later than `deadline`.
fn random_moves(rng: &mut Xoshiro256PlusPlus, st: &mut Strategy, lead: i32, deadline: i32) {
    st.escalation = trigger(rng, lead, -1);
    st.escalation_retry = match (st.escalation, rng.random_range(0..3)) {
        (Trigger::Never, _) | (_, 0) => Trigger::Never,
        (_, 1) => Trigger::OnImpasse,
        _ => Trigger::Week(rng.random_range(-lead..=-1)),
    };
    st.notice = match trigger(rng, lead, deadline) {
        Trigger::Now if -lead > deadline => Trigger::Never,
        t => t,
    };
}

fn check(s: &Scenario, paths: u64, seed: u64) {
    let sim = Simulation::new(s);
    let mut powers = PayerPowers::default();
    for index in 0..paths {
        let world = sim.world(seed, index);
        for plan in &sim.plans {
            let slow = play_observed(&sim.terms, plan, &world, &mut EveryMeeting);
            let fast = play(&sim.terms, plan, &world);
            // Compared as text: unused renewals hold NaN uplifts.
            assert_eq!(
                format!("{fast:?}"),
                format!("{slow:?}"),
                "{} path {index}",
                plan.name
            );
            payer_powers(&sim.terms, plan, &world, &mut powers);
            let shared = play_with_powers(&sim.terms, plan, &world, &powers);
            assert_eq!(format!("{shared:?}"), format!("{slow:?}"), "{}", plan.name);
        }
    }
}

#[test]
fn fast_forward_matches_every_meeting_on_the_shipped_scenarios() {
    for s in scenarios() {
        check(&s, 1500, 5);
    }
}

#[test]
fn fast_forward_matches_every_meeting_on_random_strategies() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
    let base = scenarios();
    for round in 0..40 {
        let mut s = base[round % base.len()].clone();
        let deadline = -(s.contract.notice_weeks as i32);
        for st in &mut s.strategies {
            st.lead_weeks = rng.random_range(2..=70);
            st.cadence_weeks = rng.random_range(1..=st.lead_weeks.min(5));
            let lead = st.lead_weeks as i32;
            random_moves(&mut rng, st, lead, deadline);
            st.max_oon_weeks = [0, 4, 26][rng.random_range(0..3)];
            st.agenda = if rng.random_range(0..2) == 0 {
                Agenda::RateOnly
            } else {
                Agenda::AllIssues
            };
            st.data_prep = rng.random_range(0..2) == 0;
        }
        // Harsher payers too: backlash and refusals happen often.
        if round % 2 == 1 {
            s.payer.exec.premature_backlash_prob = impasse::scenario::Dist::Fixed(0.9);
            s.payer.exec.backlash_prob = impasse::scenario::Dist::Fixed(0.6);
            s.payer.notice.refuse_to_talk_prob = impasse::scenario::Dist::Fixed(0.6);
        }
        s.validate()
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        check(&s, 150, round as u64);
    }
}

/// The loop's outcomes (twins copied, talks taken up from a twin's)
/// against playing every strategy, path by path and as the engine's loop
/// summarises them; returns how often each shortcut was taken.
fn check_twins(s: &Scenario, paths: u64, seed: u64) -> Shortcuts {
    let sim = Simulation::new(s);
    let mut taken = Shortcuts::default();
    let pairs = all_pairs(s);
    let mut direct = sim.empty_summary(&pairs, &[]);
    for index in 0..paths {
        let (shared, n) = sim.path_outcomes_shared(seed, index);
        taken.copied += n.copied;
        taken.resumed += n.resumed;
        direct.push(&sim.path_outcomes(seed, index));
        for ((plan, fast), played) in sim
            .plans
            .iter()
            .zip(&shared)
            .zip(sim.path_outcomes(seed, index))
        {
            assert_eq!(
                format!("{fast:?}"),
                format!("{played:?}"),
                "{} path {index}",
                plan.name
            );
        }
    }
    // The loop keeps its buffers from path to path: nothing may leak.
    let looped = sim.run_range(seed, 0..paths, &pairs, &[]);
    assert_eq!(format!("{looped:?}"), format!("{direct:?}"), "{}", s.name);
    taken
}

#[test]
fn an_outcome_copied_from_a_twin_is_the_outcome_of_playing_it() {
    for s in scenarios() {
        let taken = check_twins(&s, 1500, 5);
        // The shortcut is taken (not a test of nothing) but not always.
        assert!(taken.copied > 0, "{}: no outcome copied", s.name);
        assert!(taken.copied < 1500 * s.strategies.len(), "{}", s.name);
    }
}

#[test]
fn an_outcome_copied_from_a_twin_is_exact_on_random_moves() {
    // Strategies that differ in their moves only (the rest shared), so most
    // have twins; every trigger, condition and out-of-network limit, with
    // and without an evergreen roll-over.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let base = scenarios();
    let mut taken = Shortcuts::default();
    for round in 0..40 {
        let mut s = base[round % base.len()].clone();
        let deadline = -(s.contract.notice_weeks as i32);
        let template = s.strategies[0].clone();
        let lead = template.lead_weeks as i32;
        if round % 3 == 2 {
            s.contract.evergreen_weeks = 0;
        }
        for st in &mut s.strategies {
            let name = std::mem::take(&mut st.name);
            *st = template.clone();
            st.name = name;
            random_moves(&mut rng, st, lead, deadline);
            let conditional = |rng: &mut Xoshiro256PlusPlus, t: Trigger, x: f64| {
                (t != Trigger::Never && rng.random_range(0..2) == 0).then_some(x)
            };
            st.escalate_if_offer_below = conditional(&mut rng, st.escalation, 0.01);
            st.notice_if_offer_below = conditional(&mut rng, st.notice, 0.012);
            st.max_oon_weeks = [0, 4, 26][rng.random_range(0..3)];
        }
        s.validate()
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let t = check_twins(&s, 150, round as u64);
        taken.copied += t.copied;
        taken.resumed += t.resumed;
    }
    assert!(taken.copied > 1000, "{taken:?}");
    assert!(taken.resumed > 1000, "{taken:?}");
}
