//! The provider's moves and how the payer responds: escalation to executives
//! (with lag and the premature penalty), the non-renewal notice (credibility,
//! bluffs), leadership alignment, data preparation and the non-rate agenda.
//!
//! Each move becomes an [`Effect`] on the payer's position from a given week;
//! [`PayerPosition`] applies effects as time passes, in talks and out of network
//! alike.

use super::plan::Plan;
use super::world::World;

/// A change to the payer's position from a given week on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Effect {
    /// First week (relative to expiry) at which the effect holds.
    pub week: i32,
    /// Change of the payer's reservation, in uplift points.
    pub reservation_gain: f64,
    /// The payer's new concession exponent, if the effect speeds its tactic.
    pub exponent: Option<f64>,
    /// Yearly value of non-rate items won through this effect.
    pub items_value: f64,
}

/// Which effect a slot of [`PayerPosition`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectKind {
    /// The provider's documented case is ready.
    Data = 0,
    /// The payer's executives engaged.
    Executives = 1,
    /// The payer believed the notice.
    Notice = 2,
}

/// The payer's staff position on one path under one strategy: reservation,
/// tactic exponent, and effects waiting for their week.
#[derive(Debug, Clone, PartialEq)]
pub struct PayerPosition {
    /// Opening offer.
    pub opening_offer: f64,
    /// Current reservation (highest uplift it will grant).
    pub reservation: f64,
    /// Current concession exponent.
    pub exponent: f64,
    /// Yearly value of non-rate items won so far.
    pub items_value: f64,
    pending: [Option<Effect>; 3],
    applied: [bool; 3],
    /// Earliest week of a pending effect (`i32::MAX` when none): lets
    /// [`PayerPosition::advance_to`] return at once on most meetings.
    next_week: i32,
}

impl PayerPosition {
    /// The position at the opening of talks. Items won at staff level are
    /// traded against the rate from the start: the reservation drops by their
    /// cost, and their value goes to the provider with the new contract.
    pub fn opening(world: &World, plan: &Plan) -> Self {
        let (mut staff_cost, mut staff_value) = (0.0, 0.0);
        if plan.all_issues {
            for item in &world.items {
                if item.u_win < item.p_win_staff {
                    staff_cost += item.payer_cost;
                    staff_value += item.annual_value;
                }
            }
        }
        PayerPosition {
            opening_offer: world.payer_opening_offer,
            reservation: world.payer_reservation - staff_cost,
            exponent: world.payer_exponent,
            items_value: staff_value,
            pending: [None; 3],
            applied: [false; 3],
            next_week: i32::MAX,
        }
    }

    /// Schedule an effect (replaces any earlier one of the same kind).
    pub fn schedule(&mut self, kind: EffectKind, effect: Effect) {
        self.pending[kind as usize] = Some(effect);
        self.next_week = self.next_week.min(effect.week);
    }

    /// Apply every scheduled effect whose week has come; returns the kinds
    /// applied now (for timelines).
    #[inline]
    pub fn advance_to(&mut self, week: i32) -> [bool; 3] {
        let mut now = [false; 3];
        if week < self.next_week {
            return now;
        }
        self.next_week = i32::MAX;
        for (i, slot) in self.pending.iter_mut().enumerate() {
            if let Some(e) = slot
                && e.week <= week
            {
                self.reservation += e.reservation_gain;
                if let Some(x) = e.exponent {
                    self.exponent = self.exponent.min(x);
                }
                self.items_value += e.items_value;
                self.applied[i] = true;
                now[i] = true;
                *slot = None;
            } else if let Some(e) = slot {
                self.next_week = self.next_week.min(e.week);
            }
        }
        now
    }

    /// The provider's credit for the items won so far, in uplift points:
    /// their yearly value over the yearly revenue at today's rates. The
    /// provider values a package, so it accepts a rate this much lower.
    #[inline]
    pub fn items_credit(&self, annual_revenue: f64) -> f64 {
        if self.items_value > 0.0 && annual_revenue > 0.0 {
            self.items_value / annual_revenue
        } else {
            0.0
        }
    }

    /// Whether an effect of this kind has taken hold.
    pub fn applied(&self, kind: EffectKind) -> bool {
        self.applied[kind as usize]
    }

    /// The payer's staff threshold at relative time `exp(ln_t)`. A payer never
    /// offers less than its opening offer, even when traded items push its
    /// reservation below it.
    #[inline]
    pub fn threshold(&self, ln_t: f64) -> f64 {
        self.threshold_at_power((self.exponent * ln_t).exp())
    }

    /// The threshold given `t^e` already computed.
    #[inline]
    pub fn threshold_at_power(&self, power: f64) -> f64 {
        let room = (self.reservation - self.opening_offer).max(0.0);
        self.opening_offer + room * power
    }
}

/// Scale on escalation and notice gains: 1 when leadership is aligned,
/// `provider.misaligned_factor` otherwise (mixed signals).
pub fn alignment_scale(world: &World) -> f64 {
    if world.aligned() {
        1.0
    } else {
        world.misaligned_factor
    }
}

/// Escalation at `week`: whether the executives engage and the effect if they
/// do. Escalating before an impasse is premature: the success probability is
/// cut by `exec.premature_penalty`. On engagement the reservation rises by
/// `exec.reservation_gain` (scaled by alignment), less the cost of items won
/// only at executive level, whose value goes to the provider; the tactic
/// switches to `exec.exponent_after` if that is faster.
pub fn escalate(world: &World, plan: &Plan, week: i32, premature: bool) -> Option<Effect> {
    let penalty = if premature {
        1.0 - world.exec_premature_penalty
    } else {
        1.0
    };
    if world.u_exec_engaged >= world.exec_success_prob * penalty {
        return None;
    }
    let (mut cost, mut value) = (0.0, 0.0);
    if plan.all_issues {
        for item in &world.items {
            if item.u_win >= item.p_win_staff && item.u_win < item.p_win_exec {
                cost += item.payer_cost;
                value += item.annual_value;
            }
        }
    }
    Some(Effect {
        week: week + world.exec_lag_weeks.round().max(0.0) as i32,
        reservation_gain: world.exec_reservation_gain * alignment_scale(world) - cost,
        exponent: Some(world.exec_exponent_after),
        items_value: value,
    })
}

/// A notice at `week`. A willing provider's notice is believed with
/// probability `notice.credibility`; a bluff's (`max_oon_weeks = 0`) with that
/// times `notice.bluff_credibility_factor`. Believed, it raises the
/// reservation by `notice.reservation_gain` (scaled by alignment) and speeds
/// the tactic to `notice.exponent_after`.
pub fn give_notice(world: &World, plan: &Plan, week: i32) -> Option<Effect> {
    let credibility = if plan.willing_to_leave() {
        world.notice_credibility
    } else {
        world.notice_credibility * world.bluff_credibility_factor
    };
    (world.u_notice_believed < credibility).then(|| Effect {
        week,
        reservation_gain: world.notice_reservation_gain * alignment_scale(world),
        exponent: Some(world.notice_exponent_after),
        items_value: 0.0,
    })
}

/// Data preparation: work starts when talks open and takes
/// `provider.data_prep_weeks`; from then on the payer's reservation is
/// `data.reservation_gain` higher.
pub fn data_ready(world: &World, plan: &Plan) -> Option<Effect> {
    plan.data_prep.then(|| Effect {
        week: plan.opening_week + world.data_prep_weeks.round().max(0.0) as i32,
        reservation_gain: world.data_reservation_gain,
        exponent: None,
        items_value: 0.0,
    })
}
