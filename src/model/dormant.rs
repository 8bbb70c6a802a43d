//! When a strategy plays out exactly like another one already played on the
//! same path, so the engine can copy that outcome instead of playing it.
//!
//! Two plans that agree on everything but their moves (escalation, notice,
//! their conditions, the out-of-network limit) play the same meetings with
//! the same offers until one of those moves is made. If, on a path, every
//! move in which they differ stays *dormant* at every renewal (its trigger
//! never comes due before the talks end) the two outcomes are identical to
//! the last bit: the same deal or the same expiry, the same memory carried
//! into the next renewal. Whether a move came due can be read off the
//! outcome of the plan already played:
//!
//! - a move at a fixed week `w` is dormant when the talks closed in a deal
//!   at a meeting before `w` (a move due at the meeting of the deal is made
//!   before the offers are exchanged);
//! - a move on impasse is dormant when no impasse was declared;
//! - a move at the opening is never dormant (so a plan that makes one, or
//!   whose twin makes one, in a category where they differ has no twin).
//!
//! A category of moves (escalation, notice) in which the plans differ must
//! also have been left unmade by the plan already played. The
//! out-of-network limit matters only with a notice or, without an evergreen
//! roll-over, at expiry without a deal.
//!
//! When such a move does come due, the plans still play the same meetings
//! up to it: at the first renewal, where both start from the same memory,
//! B takes up A's talks at that meeting ([`Twin::fork_at`],
//! [`super::talks::Snapshot`]) when every move they differ in is at a fixed
//! week.
//!
//! These are exact shortcuts, not approximations: `tests/fast_path.rs`
//! checks, on every shipped scenario and on random move sets, that each
//! copied outcome and each outcome of talks taken up equals the outcome of
//! playing the strategy, and that the engine's loop summarises them as
//! playing every path in full does.

use crate::scenario::Trigger;

use super::plan::{Plan, Terms};
use super::{Outcome, RenewalOutcome};

/// How plan B differs from an earlier plan A in moves only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Twin {
    /// Index of plan A (played before B on each path).
    pub of: usize,
    /// B's first escalation trigger when B's escalation differs from A's
    /// (trigger, retry or condition). A retry follows only a first attempt.
    escalation: Option<Trigger>,
    /// B's notice trigger when it differs from A's.
    notice: Option<Trigger>,
    /// Whether the out-of-network limits differ.
    oon_limit: bool,
    /// Whether the contract rolls over at expiry without notice.
    evergreen: bool,
    /// The meeting before which B's first-renewal talks are A's, when B may
    /// take them up there: the first meeting of a move in which they differ,
    /// when those moves are at fixed weeks in both plans.
    pub fork_at: Option<usize>,
}

impl Twin {
    /// The way `b` differs from `a` (plan index `of`) if it differs in moves
    /// only; `None` when anything else differs (calendar, asks, agenda, data
    /// work) or when a differing move is made at the opening.
    pub fn of(a: &Plan, b: &Plan, of: usize, terms: &Terms) -> Option<Twin> {
        // Every field named, so a field added to `Plan` must be placed here.
        let Plan {
            name: _,
            opening_week,
            meetings,
            cadence,
            opening_ask,
            walk_away,
            escalation,
            escalation_retry,
            notice,
            escalate_if_below,
            notice_if_below,
            max_oon_weeks,
            all_issues,
            data_prep,
        } = b;
        let same_talks = a.opening_week == *opening_week
            && a.cadence == *cadence
            && a.meetings == *meetings
            && a.opening_ask.to_bits() == opening_ask.to_bits()
            && a.walk_away.to_bits() == walk_away.to_bits()
            && a.all_issues == *all_issues
            && a.data_prep == *data_prep;
        if !same_talks {
            return None;
        }
        let same_retry = a.escalation_retry == *escalation_retry;
        let escalation = (a.escalation != *escalation
            || !same_retry
            || a.escalate_if_below.to_bits() != escalate_if_below.to_bits())
        .then_some(*escalation);
        let notice = (a.notice != *notice
            || a.notice_if_below.to_bits() != notice_if_below.to_bits())
        .then_some(*notice);
        // A move at the opening is always made, by either plan.
        let at_opening =
            |mine: Trigger, theirs: Trigger| mine == Trigger::Now || theirs == Trigger::Now;
        if escalation.is_some_and(|e| at_opening(e, a.escalation))
            || notice.is_some_and(|n| at_opening(n, a.notice))
        {
            return None;
        }
        Some(Twin {
            of,
            escalation,
            notice,
            oon_limit: a.max_oon_weeks != *max_oon_weeks,
            evergreen: terms.evergreen_weeks > 0,
            fork_at: same_retry
                .then(|| {
                    fork_meeting(
                        b,
                        escalation.map(|e| (a.escalation, e)),
                        notice.map(|n| (a.notice, n)),
                    )
                })
                .flatten(),
        })
    }

    /// How many categories of moves differ (fewer: a closer twin).
    pub fn distance(&self) -> usize {
        usize::from(self.escalation.is_some())
            + usize::from(self.notice.is_some())
            + usize::from(self.oon_limit)
    }

    /// Whether B, on the path where A gave `a`, plays out exactly as A did.
    #[inline]
    pub fn holds(&self, a: &Outcome) -> bool {
        a.played().iter().all(|r| self.holds_at(r))
    }

    fn holds_at(&self, r: &RenewalOutcome) -> bool {
        if let Some(first) = self.escalation
            && (r.escalations > 0 || !dormant(first, r))
        {
            return false;
        }
        if let Some(notice) = self.notice
            && (r.notice_sent || !dormant(notice, r))
        {
            return false;
        }
        if self.oon_limit && (r.notice_sent || !(r.deal_before_expiry || self.evergreen)) {
            return false;
        }
        true
    }
}

/// The meeting of B's calendar before which B's staff talks at the first
/// renewal are exactly A's (B a twin of A with the same retry trigger, whose
/// differing categories have the triggers `(A's, B's)`), when that is after
/// the opening: B may take A's talks up there (see
/// [`super::talks::Snapshot`]) instead of playing the meetings before it.
///
/// This holds when every move category in which they differ is at a fixed
/// week (or never) in both plans: until the earliest of those weeks neither
/// plan makes a move the other does not. Both start from the same (fresh)
/// memory at the first renewal only. The retry trigger must be the same,
/// since it decides how long the impasse watch is kept. Plans that differ
/// only in the out-of-network limit play the same talks throughout and have
/// no such meeting (their difference comes at expiry).
fn fork_meeting(
    b: &Plan,
    escalation: Option<(Trigger, Trigger)>,
    notice: Option<(Trigger, Trigger)>,
) -> Option<usize> {
    let week = |t: Trigger| match t {
        Trigger::Never => Some(i32::MAX),
        Trigger::Week(w) => Some(w),
        Trigger::Now | Trigger::OnImpasse => None,
    };
    let mut first = i32::MAX;
    for (theirs, mine) in escalation.into_iter().chain(notice) {
        first = first.min(week(theirs)?).min(week(mine)?);
    }
    if first == i32::MAX {
        return None;
    }
    let k = b.first_meeting_from(first);
    (k > 0 && k < b.meetings.len()).then_some(k)
}

/// Whether a move on `trigger` never came due in a renewal that ended as `r`.
#[inline]
fn dormant(trigger: Trigger, r: &RenewalOutcome) -> bool {
    match trigger {
        Trigger::Never => true,
        Trigger::Now => false,
        Trigger::OnImpasse => r.impasse_week.is_none(),
        Trigger::Week(w) => r.deal_before_expiry && r.deal_week.is_some_and(|d| d < w),
    }
}

/// For each plan, the closest earlier plan it is a twin of (see [`Twin`]).
pub fn twins(plans: &[Plan], terms: &Terms) -> Vec<Option<Twin>> {
    (0..plans.len())
        .map(|b| {
            (0..b)
                .filter_map(|a| Twin::of(&plans[a], &plans[b], a, terms))
                .min_by_key(|t| (t.distance(), usize::MAX - t.of))
        })
        .collect()
}
