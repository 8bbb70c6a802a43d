//! Staff-level talks before expiry: the stacked alternating-offers protocol
//! with time-dependent tactics, impasse detection, and the timing of the
//! provider's moves (escalation, notice, data).
//!
//! Each meeting, payer first: the payer accepts the provider's standing ask if
//! it is at or below the payer's threshold, otherwise offers its threshold
//! (never less than its previous offer); the provider accepts that offer if it
//! is at or above its own threshold, otherwise asks its threshold. With
//! non-rate items won, the provider's walk-away on the rate is lower by their
//! yearly value in uplift points (it weighs the whole package); its opening
//! ask stays the same. An impasse
//! is declared at the first meeting where the payer's offer has moved less
//! than `impasse.min_move` since the meeting `stall_weeks` earlier.

use crate::scenario::Trigger;

use super::Observer;
use super::moves::{self, EffectKind, PayerPosition};
use super::plan::{Plan, Terms};
use super::world::World;

/// How the staff talks ended.
#[derive(Debug, Clone, PartialEq)]
pub struct TalksResult {
    /// The deal, if one was struck before expiry: (week, uplift).
    pub deal: Option<(i32, f64)>,
    /// The payer's last offer (its standing offer at expiry).
    pub last_offer: f64,
    /// Week an impasse was first declared.
    pub impasse_week: Option<i32>,
    /// Week the provider escalated, if it did.
    pub escalation_week: Option<i32>,
    /// Week of the executive meeting, if the executives engage.
    pub executive_meeting_week: Option<i32>,
    /// Week a notice was sent, if it was.
    pub notice_week: Option<i32>,
    /// Whether the notice was believed.
    pub notice_believed: bool,
    /// The payer's position at the end of talks, with effects still pending.
    pub payer: PayerPosition,
}

/// Play the staff talks of `plan` on `world`.
///
/// `powers`, when given, holds `t_k^e` for this plan's calendar and the
/// world's payer exponent `e` (shared by every strategy with the same
/// calendar on a path); it is used while the payer's exponent is unchanged.
pub fn staff_talks<O: Observer>(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    powers: Option<&[f64]>,
    obs: &mut O,
) -> TalksResult {
    let mut payer = PayerPosition::opening(world, plan);
    if let Some(e) = moves::data_ready(world, plan) {
        payer.schedule(EffectKind::Data, e);
    }
    let mut r = TalksResult {
        deal: None,
        last_offer: world.payer_opening_offer,
        impasse_week: None,
        escalation_week: None,
        executive_meeting_week: None,
        notice_week: None,
        notice_believed: false,
        payer: payer.clone(),
    };

    // Offers made so far, for the stall test (ring of the last stall_meetings + 1).
    const RING: usize = 128;
    let lag = plan.stall_meetings.min(RING - 1);
    let mut offers = [0.0f64; RING];
    let mut offer = f64::NEG_INFINITY;
    let mut ask: Option<f64> = None;

    for (k, m) in plan.meetings.iter().enumerate() {
        // Moves due by this meeting's week.
        if r.escalation_week.is_none() {
            let due = match plan.escalation {
                Trigger::Now => Some(plan.opening_week),
                Trigger::Week(w) if w <= m.week => Some(w),
                _ => None,
            };
            if let Some(w) = due {
                escalate(&mut r, &mut payer, world, plan, w, obs);
            }
        }
        if r.notice_week.is_none() {
            let due = match plan.notice {
                Trigger::Now => Some(plan.opening_week),
                Trigger::Week(w) if w <= m.week => Some(w),
                _ => None,
            };
            if let Some(w) = due {
                notify(&mut r, &mut payer, world, plan, w, obs);
            }
        }
        let applied = payer.advance_to(m.week);
        obs.effects(m.week, applied);

        // Payer's turn.
        let payer_threshold = match powers {
            Some(p) if payer.exponent == world.payer_exponent => payer.threshold_at_power(p[k]),
            _ => payer.threshold(m.ln_t),
        };
        if let Some(a) = ask
            && a <= payer_threshold
        {
            obs.meeting(m.week, payer_threshold.max(offer), a);
            r.deal = Some((m.week, a));
            break;
        }
        offer = offer.max(payer_threshold);
        // Provider's turn. It weighs the whole package: items won lower its
        // walk-away on the rate by their value, so its threshold falls from
        // the same opening ask towards that lower walk-away.
        let provider_threshold =
            m.provider_threshold - payer.items_credit(world.annual_revenue) * m.provider_progress;
        if offer >= provider_threshold {
            obs.meeting(m.week, offer, provider_threshold);
            r.deal = Some((m.week, offer));
            break;
        }
        ask = Some(provider_threshold);
        obs.meeting(m.week, offer, provider_threshold);

        // Stall test.
        offers[k % RING] = offer;
        if r.impasse_week.is_none() && k >= lag && lag > 0 {
            let moved = offer - offers[(k - lag) % RING];
            if moved < terms.impasse_min_move {
                r.impasse_week = Some(m.week);
                obs.impasse(m.week);
                if plan.escalation == Trigger::OnImpasse && r.escalation_week.is_none() {
                    escalate(&mut r, &mut payer, world, plan, m.week, obs);
                }
                if plan.notice == Trigger::OnImpasse
                    && r.notice_week.is_none()
                    && m.week <= terms.notice_deadline
                {
                    notify(&mut r, &mut payer, world, plan, m.week, obs);
                }
            }
        }
    }
    // Moves set for a week after the last meeting still happen before expiry
    // (their effects may arrive out of network).
    if r.deal.is_none() {
        if let (Trigger::Week(w), None) = (plan.escalation, r.escalation_week) {
            escalate(&mut r, &mut payer, world, plan, w, obs);
        }
        if let (Trigger::Week(w), None) = (plan.notice, r.notice_week) {
            notify(&mut r, &mut payer, world, plan, w, obs);
        }
    }
    r.last_offer = if offer.is_finite() {
        offer
    } else {
        world.payer_opening_offer
    };
    r.payer = payer;
    r
}

fn escalate<O: Observer>(
    r: &mut TalksResult,
    payer: &mut PayerPosition,
    world: &World,
    plan: &Plan,
    week: i32,
    obs: &mut O,
) {
    let premature = r.impasse_week.is_none_or(|i| i > week);
    r.escalation_week = Some(week);
    let effect = moves::escalate(world, plan, week, premature);
    r.executive_meeting_week = effect.map(|e| e.week);
    obs.escalation(week, premature, effect.map(|e| e.week));
    if let Some(e) = effect {
        payer.schedule(EffectKind::Executives, e);
    }
}

fn notify<O: Observer>(
    r: &mut TalksResult,
    payer: &mut PayerPosition,
    world: &World,
    plan: &Plan,
    week: i32,
    obs: &mut O,
) {
    r.notice_week = Some(week);
    let effect = moves::give_notice(world, plan, week);
    r.notice_believed = effect.is_some();
    obs.notice(week, effect.is_some());
    if let Some(e) = effect {
        payer.schedule(EffectKind::Notice, e);
    }
}
