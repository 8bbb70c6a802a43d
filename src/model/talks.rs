//! Staff-level talks before expiry: one calendar of meetings on which every
//! move and effect lands.
//!
//! Each meeting, in order:
//!
//! 1. the provider's moves due by this week (escalation, a retry after a
//!    refusal, notice; see [`super::escalation`], [`super::notice`]);
//! 2. effects whose week has come (data ready, executives engaged, a
//!    believed notice, backlash; items settled, [`super::items`]);
//! 3. the stacked alternating-offers round, payer first: the payer accepts
//!    the provider's standing ask if it is at or below the payer's rate
//!    threshold, otherwise puts its threshold on the table (never below its
//!    standing offer); the provider accepts that offer if it is at or above
//!    its own rate threshold, otherwise asks its threshold;
//! 4. the impasse watch ([`super::impasse`]), and the moves made on impasse.
//!
//! Rate thresholds are the package thresholds of [`super::tactic`] moved by
//! the items settled so far. With every effect neutral this is the plain
//! alternating-offers protocol with time-dependent tactics.

use crate::scenario::Trigger;

use super::escalation::{self, Escalation};
use super::impasse::ImpasseWatch;
use super::items::Agenda;
use super::notice::{self, Notice};
use super::payer::Payer;
use super::{Costs, Observer, Setting, data};

/// How the staff talks ended.
#[derive(Debug, Clone, PartialEq)]
pub struct TalksResult {
    /// The deal, if one was struck before expiry: (week, yearly uplift).
    pub deal: Option<(i32, f64)>,
    /// The payer's rate offer on the table at the end.
    pub last_offer: f64,
    /// Week an impasse was first declared.
    pub impasse_week: Option<i32>,
    /// Escalations made (first attempt, retry).
    pub escalations: [Option<Escalation>; 2],
    /// The notice, if one was sent.
    pub notice: Option<Notice>,
    /// Costs incurred (data work, escalations), by week.
    pub costs: Costs,
    /// The payer's position at the end of talks, with effects still pending.
    pub payer: Payer,
    /// The items on the table at the end of talks.
    pub agenda: Agenda,
}

impl TalksResult {
    /// Whether the executives agreed to engage (at either attempt).
    pub fn exec_engaged(&self) -> bool {
        self.escalations
            .iter()
            .flatten()
            .any(|e| e.meeting.is_some())
    }
    /// Whether a refused escalation hardened the staff.
    pub fn backlash(&self) -> bool {
        self.escalations.iter().flatten().any(|e| e.backlash)
    }
}

/// The week a fixed trigger is due by meeting week `week`, if it is.
#[inline]
fn due(trigger: Trigger, opening: i32, week: i32) -> Option<i32> {
    match trigger {
        Trigger::Now => Some(opening),
        Trigger::Week(w) if w <= week => Some(w),
        _ => None,
    }
}

/// Play the staff talks of one renewal.
///
/// `powers`, when given, holds `t^e` for this plan's calendar and the
/// world's payer exponent `e` (shared by every strategy with the same
/// calendar on a path); it is used while the payer's exponent is that one.
pub fn staff_talks<O: Observer>(set: &Setting, powers: Option<&[f64]>, obs: &mut O) -> TalksResult {
    let (plan, world) = (set.plan, set.world);
    let opening = plan.opening_week;
    let mut payer = Payer::new(
        world.payer_opening_offer,
        set.memory.payer_reservation(world),
        set.memory.payer_exponent(world),
    );
    let mut agenda = Agenda::new(
        world,
        set.terms,
        plan.all_issues,
        set.renewal,
        opening,
        set.memory.items_won,
    );
    let mut costs = Costs::default();
    if plan.data_prep {
        costs.add(opening, world.data_cost);
    }
    data::prepare(set, &mut payer);
    let exchange_end = data::ready_week(set).unwrap_or(opening)
        + world.payer_response_weeks.round().max(0.0) as i32;
    let mut watch = ImpasseWatch::new(
        exchange_end,
        set.terms.stall_weeks,
        set.terms.impasse_min_gap,
    );

    let mut r = TalksResult {
        deal: None,
        last_offer: world.payer_opening_offer,
        impasse_week: None,
        escalations: [None, None],
        notice: None,
        costs,
        payer: payer.clone(),
        agenda: agenda.clone(),
    };
    let mut ask: Option<f64> = None;

    for (k, m) in plan.meetings.iter().enumerate() {
        // 1. Moves due by this week.
        if r.escalations[0].is_none()
            && let Some(w) = due(plan.escalation, opening, m.week)
        {
            escalate(&mut r, set, &mut payer, &mut agenda, w, 0, obs);
        }
        if retry_allowed(&r)
            && let Some(w) = due(plan.escalation_retry, opening, m.week)
            && w > r.escalations[0].map_or(i32::MAX, |e| e.week)
        {
            escalate(&mut r, set, &mut payer, &mut agenda, w, 1, obs);
        }
        if r.notice.is_none()
            && let Some(w) = due(plan.notice, opening, m.week)
        {
            give_notice(&mut r, set, &mut payer, w, obs);
        }

        // 2. Effects that have come due.
        let applied = payer.advance_to(m.week);
        obs.effects(m.week, applied);
        agenda.advance_to(world, m.week);

        // 3. Payer's turn, then the provider's.
        let power = powers
            .filter(|_| payer.exponent == world.payer_exponent)
            .map(|p| p[k]);
        let package = payer.threshold(m.ln_t, power);
        let payer_threshold = package - agenda.payer_shift;
        if let Some(a) = ask
            && a <= payer_threshold
        {
            obs.meeting(m.week, payer.standing_offer() - agenda.payer_shift, a);
            r.deal = Some((m.week, a));
            break;
        }
        let offer_package = payer.offer(package);
        let offer = offer_package - agenda.payer_shift;
        let provider_threshold = m.provider_threshold - agenda.provider_credit;
        obs.meeting(m.week, offer, provider_threshold);
        if offer >= provider_threshold {
            r.deal = Some((m.week, offer));
            break;
        }
        ask = Some(provider_threshold);

        // 4. Impasse watch, and the moves made on impasse.
        if watch.observe(
            m.week,
            m.expected_power,
            payer.opening_offer,
            offer_package,
            agenda.payer_shift,
            plan.walk_away - agenda.provider_credit,
        ) {
            if r.impasse_week.is_none() {
                r.impasse_week = Some(m.week);
                obs.impasse(m.week);
            }
            if plan.escalation == Trigger::OnImpasse && r.escalations[0].is_none() {
                escalate(&mut r, set, &mut payer, &mut agenda, m.week, 0, obs);
            } else if plan.escalation_retry == Trigger::OnImpasse
                && retry_allowed(&r)
                && r.escalations[0].is_some_and(|e| e.week < m.week)
            {
                escalate(&mut r, set, &mut payer, &mut agenda, m.week, 1, obs);
            }
            if plan.notice == Trigger::OnImpasse
                && r.notice.is_none()
                && m.week <= set.terms.notice_deadline
            {
                give_notice(&mut r, set, &mut payer, m.week, obs);
            }
        }
    }
    r.last_offer = payer.standing_offer() - agenda.payer_shift;
    r.payer = payer;
    r.agenda = agenda;
    r
}

/// A retry is possible once the first attempt was refused.
fn retry_allowed(r: &TalksResult) -> bool {
    r.escalations[1].is_none() && r.escalations[0].is_some_and(|e| e.meeting.is_none())
}

fn escalate<O: Observer>(
    r: &mut TalksResult,
    set: &Setting,
    payer: &mut Payer,
    agenda: &mut Agenda,
    week: i32,
    attempt: usize,
    obs: &mut O,
) {
    let premature = r.impasse_week.is_none_or(|i| i > week);
    let e = escalation::escalate(set, payer, agenda, week, premature, attempt);
    r.costs.add(week, set.world.escalation_cost);
    r.escalations[attempt] = Some(e);
    obs.escalation(&e);
}

fn give_notice<O: Observer>(
    r: &mut TalksResult,
    set: &Setting,
    payer: &mut Payer,
    week: i32,
    obs: &mut O,
) {
    let n = notice::give_notice(set, payer, week);
    r.notice = Some(n);
    obs.notice(&n);
}
