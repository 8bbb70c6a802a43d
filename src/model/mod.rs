//! One path's story, pure and deterministic given a [`World`]: staff talks,
//! the provider's moves, what happens at expiry, the out-of-network phase,
//! and the money and patient figures that result.
//!
//! The model knows nothing of threads, files or terminals. The flow of
//! [`play`]: [`talks::staff_talks`] until a deal or expiry; at expiry without a
//! deal, a bluff is called, the old terms roll over, the provider accepts the
//! payer's last offer, or it goes out of network ([`oon::out_of_network`]);
//! then [`revenue::value`] prices the course over the horizon.

pub mod moves;
pub mod oon;
pub mod plan;
pub mod revenue;
pub mod tactic;
pub mod talks;
pub mod trace;
pub mod world;

pub use plan::{Plan, Terms};
pub use world::{World, WorldSampler};

use revenue::Course;

/// What one strategy gave on one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Net present revenue from the payer's members over the horizon, dollars.
    pub revenue: f64,
    /// Net present contribution margin over the horizon, dollars.
    pub margin: f64,
    /// Uplift of the new contract; NaN when none starts within the horizon.
    pub uplift: f64,
    /// Week (relative to expiry) the new terms were agreed or imposed.
    pub deal_week: Option<i32>,
    /// Whether staff talks reached a deal before expiry.
    pub deal_before_expiry: bool,
    /// Whether the provider went out of network.
    pub out_of_network: bool,
    /// Weeks out of network (0 if it did not go).
    pub oon_weeks: u32,
    /// Patient-weeks without in-network access, net of continuity of care.
    pub patient_weeks_out_of_network: f64,
    /// Patients who switched away for good.
    pub patients_switched: f64,
    /// Whether a bluff was called (notice without willingness, no deal by expiry).
    pub bluff_called: bool,
    /// Whether the payer's executives engaged before the new contract.
    pub exec_engaged: bool,
    /// Yearly value of non-rate items won with the new contract, dollars.
    pub nonrate_value: f64,
    /// Week an impasse was declared in staff talks.
    pub impasse_week: Option<i32>,
}

/// Watches a path as it is played (for timelines); every method does nothing
/// by default, so the Monte Carlo loop pays nothing for it.
#[allow(unused_variables)]
pub trait Observer {
    /// A staff meeting: the payer's standing offer and the provider's ask.
    fn meeting(&mut self, week: i32, payer_offer: f64, provider_ask: f64) {}
    /// An impasse was declared.
    fn impasse(&mut self, week: i32) {}
    /// The provider escalated; `meeting` is the executive meeting week if they engage.
    fn escalation(&mut self, week: i32, premature: bool, meeting: Option<i32>) {}
    /// The provider sent a notice of non-renewal.
    fn notice(&mut self, week: i32, believed: bool) {}
    /// Effects that took hold this week: [data, executives, notice].
    fn effects(&mut self, week: i32, applied: [bool; 3]) {}
    /// How the path ended: the course after expiry and the outcome.
    fn end(&mut self, course: &Course, outcome: &Outcome) {}
}

/// An observer that records nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;
impl Observer for Silent {}

/// Play `plan` on `world` and value the result.
pub fn play(terms: &Terms, plan: &Plan, world: &World) -> Outcome {
    play_observed(terms, plan, world, &mut Silent)
}

/// [`play`] with the payer's `t_k^e` for this plan's calendar precomputed
/// (see [`payer_powers`]): the same result, faster when several strategies
/// share a calendar.
pub fn play_with_powers(terms: &Terms, plan: &Plan, world: &World, powers: &[f64]) -> Outcome {
    play_inner(terms, plan, world, Some(powers), &mut Silent)
}

/// `t_k^e` for every meeting of `plan`, with the world's payer exponent `e`,
/// computed exactly as the talks would (`exp(e ln t_k)`).
pub fn payer_powers(plan: &Plan, world: &World, out: &mut Vec<f64>) {
    out.clear();
    out.extend(
        plan.meetings
            .iter()
            .map(|m| (world.payer_exponent * m.ln_t).exp()),
    );
}

/// [`play`], reporting each step to `obs`.
pub fn play_observed<O: Observer>(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    obs: &mut O,
) -> Outcome {
    play_inner(terms, plan, world, None, obs)
}

fn play_inner<O: Observer>(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    powers: Option<&[f64]>,
    obs: &mut O,
) -> Outcome {
    let horizon = terms.horizon_weeks;
    let mut talks = talks::staff_talks(terms, plan, world, powers, obs);
    let notice_sent = talks.notice_week.is_some();
    let mut bluff_called = false;
    let mut oon_weeks = 0;
    let mut out_of_network = false;

    let (course, deal_week) = if let Some((week, uplift)) = talks.deal {
        let course = Course {
            rollover_weeks: 0,
            oon_weeks: 0,
            uplift,
            contract: true,
            items_value: talks.payer.items_value,
        };
        (course, Some(week))
    } else if notice_sent && !plan.willing_to_leave() {
        // The bluff is called: withdraw the notice, take the last offer.
        bluff_called = true;
        let course = Course {
            rollover_weeks: 0,
            oon_weeks: 0,
            uplift: talks.last_offer,
            contract: true,
            items_value: talks.payer.items_value,
        };
        (course, Some(0))
    } else if notice_sent || (terms.evergreen_weeks == 0 && plan.willing_to_leave()) {
        out_of_network = true;
        let r = oon::out_of_network(world, plan, &mut talks.payer, talks.last_offer, horizon);
        oon_weeks = r.weeks;
        let course = Course {
            rollover_weeks: 0,
            oon_weeks: r.weeks,
            uplift: r.uplift.unwrap_or(f64::NAN),
            contract: r.uplift.is_some(),
            items_value: talks.payer.items_value,
        };
        (course, r.uplift.map(|_| r.weeks as i32))
    } else if terms.evergreen_weeks > 0 {
        // Evergreen: old terms roll over, then the payer's last offer applies.
        let roll = terms.evergreen_weeks;
        let course = Course {
            rollover_weeks: roll,
            oon_weeks: 0,
            uplift: talks.last_offer,
            contract: roll < horizon,
            items_value: talks.payer.items_value,
        };
        (course, (roll < horizon).then_some(roll as i32))
    } else {
        // No roll-over and not willing to leave: accept the last offer at expiry.
        let course = Course {
            rollover_weeks: 0,
            oon_weeks: 0,
            uplift: talks.last_offer,
            contract: true,
            items_value: talks.payer.items_value,
        };
        (course, Some(0))
    };

    let v = revenue::value(&course, world, horizon);
    let outcome = Outcome {
        revenue: v.revenue,
        margin: v.margin,
        uplift: if course.contract {
            course.uplift
        } else {
            f64::NAN
        },
        deal_week,
        deal_before_expiry: talks.deal.is_some(),
        out_of_network,
        oon_weeks,
        patient_weeks_out_of_network: v.patient_weeks_out_of_network,
        patients_switched: v.patients_switched,
        bluff_called,
        exec_engaged: talks.payer.applied(moves::EffectKind::Executives),
        nonrate_value: if course.contract {
            course.items_value
        } else {
            0.0
        },
        impasse_week: talks.impasse_week,
    };
    obs.end(&course, &outcome);
    outcome
}
