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
//! the items settled so far; the payer's runs on its own clock
//! ([`super::payer::PayerClock`]). With every effect neutral and the
//! payer's deadline at expiry this is the plain alternating-offers protocol
//! with time-dependent tactics.

use crate::scenario::Trigger;

use super::escalation::{self, Escalation};
use super::impasse::ImpasseWatch;
use super::items::Agenda;
use super::notice::{self, Notice};
use super::payer::{Payer, PayerClock};
use super::{Costs, Observer, PayerPowers, Setting, Silent, data};

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
    /// Weeks after expiry of the payer's deadline at the end of talks (0
    /// when it is expiry: no roll-over, or a believed notice).
    pub payer_deadline_after_expiry: u32,
    /// The payer's reservation as the provider projects it from the last
    /// offer along the expected Boulware path (rate terms; see
    /// [`super::impasse`]).
    pub projected_reservation: f64,
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
/// `powers`, when given, holds the payer's powers for this plan's calendar
/// on its own clock (shared by every strategy with the same calendar on a
/// path); they are used while the payer's exponent and clock are unchanged.
///
/// With an observer that does not want every meeting ([`Observer::DETAILED`]
/// false), stretches of meetings where no move is due and no effect lands
/// are played by `Talks::fast_forward`: both tactics are monotone there,
/// so the first meeting with a deal is found by bisection and only the
/// impasse watch is kept meeting by meeting. The result is the same, to the
/// last bit, as playing every meeting (a test checks it).
pub fn staff_talks<O: Observer>(
    set: &Setting,
    powers: Option<&PayerPowers>,
    obs: &mut O,
) -> TalksResult {
    Talks::open(set, powers).play_from(0, obs, None)
}

/// The talks of one renewal stopped before a meeting, so that another plan
/// that plays the same meetings the same way until then can take them up
/// there instead of playing them again (see [`super::dormant::Twin::fork_at`]).
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The meeting to play next.
    next: usize,
    state: State,
}

/// [`staff_talks`] without an observer, also keeping in `kept` the state
/// of the talks before meeting `keep_at` if they reach it.
pub fn staff_talks_keeping(
    set: &Setting,
    powers: Option<&PayerPowers>,
    keep_at: usize,
    kept: &mut Option<Snapshot>,
) -> TalksResult {
    Talks::open(set, powers).play_from(0, &mut Silent, Some((keep_at, kept)))
}

/// Staff talks taken up from `snapshot`, kept by another plan: the same
/// result, to the last bit, as [`staff_talks`] when this plan would have
/// played the meetings before it exactly as that plan did.
pub fn staff_talks_resumed(
    set: &Setting,
    powers: Option<&PayerPowers>,
    snapshot: &Snapshot,
) -> TalksResult {
    let talks = Talks {
        set,
        powers,
        st: snapshot.state.clone(),
    };
    talks.play_from(snapshot.next, &mut Silent, None)
}

/// Staff talks being played: a renewal's setting and the state of the
/// talks between meetings.
struct Talks<'s, 'a> {
    set: &'s Setting<'a>,
    powers: Option<&'s PayerPowers>,
    st: State,
}

/// The state of staff talks between meetings (all but the setting, so that
/// another plan can take it up: see [`Snapshot`]).
#[derive(Debug, Clone)]
struct State {
    clock: PayerClock,
    payer: Payer,
    agenda: Agenda,
    watch: ImpasseWatch,
    /// The provider's standing ask (rate terms).
    ask: Option<f64>,
    deal: Option<(i32, f64)>,
    impasse_week: Option<i32>,
    escalations: [Option<Escalation>; 2],
    notice: Option<Notice>,
    /// A conditional move that came due with its condition unmet: not made
    /// at this renewal (first escalation, notice).
    declined: [bool; 2],
    costs: Costs,
}

impl<'s, 'a> Talks<'s, 'a> {
    fn open(set: &'s Setting<'a>, powers: Option<&'s PayerPowers>) -> Self {
        let (plan, world) = (set.plan, set.world);
        let opening = plan.opening_week;
        let mut payer = Payer::new(
            world.payer_opening_offer,
            set.memory.payer_reservation(world),
            set.memory.payer_exponent(world),
        );
        let agenda = Agenda::new(
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
        let exchange_end = data::ready_week(set).unwrap_or(opening) + world.whole.payer_response;
        Talks {
            set,
            powers,
            st: State {
                clock: PayerClock::new(world, set.terms.evergreen_weeks, opening),
                payer,
                agenda,
                watch: ImpasseWatch::new(
                    exchange_end,
                    set.terms.stall_weeks,
                    set.terms.impasse_min_gap,
                ),
                ask: None,
                deal: None,
                impasse_week: None,
                escalations: [None, None],
                notice: None,
                declined: [false, false],
                costs,
            },
        }
    }

    /// Play meetings from `k` (those before it played) to a deal or the
    /// last meeting, keeping a snapshot before meeting `keep.0` if asked.
    #[inline]
    fn play_from<O: Observer>(
        mut self,
        mut k: usize,
        obs: &mut O,
        mut keep: Option<(usize, &mut Option<Snapshot>)>,
    ) -> TalksResult {
        let n = self.set.plan.meetings.len();
        let keep_at = keep.as_ref().map_or(usize::MAX, |(at, _)| *at);
        while k < n {
            if k == keep_at
                && let Some((_, kept)) = keep.as_mut()
            {
                **kept = Some(self.snapshot(k));
            }
            if self.meeting(k, obs) {
                break;
            }
            k += 1;
            if !O::DETAILED && k < n {
                let mut end = self.quiet_until(k);
                if k < keep_at {
                    // Stop the fast-forward where the snapshot is due.
                    end = end.min(keep_at);
                }
                k = self.fast_forward(k, end);
            }
        }
        self.close()
    }

    /// The state before meeting `next` (no deal yet).
    fn snapshot(&self, next: usize) -> Snapshot {
        debug_assert!(self.st.deal.is_none());
        Snapshot {
            next,
            state: self.st.clone(),
        }
    }

    fn close(self) -> TalksResult {
        let payer_deadline_after_expiry = if self.extended() {
            self.st.clock.weeks_after_expiry
        } else {
            0
        };
        let last = self.set.plan.meetings.len() - 1;
        let projected_reservation = ImpasseWatch::projected_final_offer(
            self.expected_power(last),
            self.st.payer.opening_offer,
            self.st.payer.standing_offer(),
        ) - self.st.agenda.payer_shift;
        TalksResult {
            payer_deadline_after_expiry,
            projected_reservation,
            deal: self.st.deal,
            last_offer: self.st.payer.standing_offer() - self.st.agenda.payer_shift,
            impasse_week: self.st.impasse_week,
            escalations: self.st.escalations,
            notice: self.st.notice,
            costs: self.st.costs,
            payer: self.st.payer,
            agenda: self.st.agenda,
        }
    }

    /// Whether the payer's deadline is still after expiry.
    #[inline]
    fn extended(&self) -> bool {
        self.st.clock.ln_span.is_some() && !self.st.payer.deadline_at_expiry
    }

    /// The payer's `ln t` at meeting `k`, on its current clock.
    #[inline]
    fn payer_ln_t(&self, k: usize) -> f64 {
        let m = &self.set.plan.meetings[k];
        if self.extended() {
            self.st.clock.ln_t(m)
        } else {
            m.ln_t
        }
    }

    /// The payer's package threshold at meeting `k` (its frozen offer while
    /// it refuses to talk).
    #[inline]
    fn package(&self, k: usize) -> f64 {
        let power = self
            .powers
            .filter(|_| self.extended() == self.st.clock.ln_span.is_some())
            .filter(|_| self.st.payer.exponent == self.set.world.payer_exponent)
            .map(|p| p.tactic[k]);
        self.st.payer.threshold(self.payer_ln_t(k), power)
    }

    /// `t^ê` at meeting `k` on the payer's current clock (for the impasse
    /// watch).
    #[inline]
    fn expected_power(&self, k: usize) -> f64 {
        let m = &self.set.plan.meetings[k];
        if !self.extended() {
            return m.expected_power;
        }
        match self.powers {
            Some(p) => p.expected[k],
            None => (self.set.terms.expected_payer_exponent * self.st.clock.ln_t(m)).exp(),
        }
    }

    /// Play meeting `k` in full; returns whether a deal was struck.
    #[inline(always)]
    fn meeting<O: Observer>(&mut self, k: usize, obs: &mut O) -> bool {
        let (set, plan) = (self.set, self.set.plan);
        let m = &plan.meetings[k];
        let opening = plan.opening_week;
        // 1. Moves due by this week.
        // A conditional move looks at the offer on the table (net of items).
        let on_table = self.st.payer.standing_offer() - self.st.agenda.payer_shift;
        if self.st.escalations[0].is_none()
            && !self.st.declined[0]
            && let Some(w) = due(plan.escalation, opening, m.week)
        {
            if on_table < plan.escalate_if_below {
                self.escalate(w, 0, obs);
            } else {
                self.st.declined[0] = true;
            }
        }
        if self.retry_allowed()
            && let Some(w) = due(plan.escalation_retry, opening, m.week)
            && w > self.st.escalations[0].map_or(i32::MAX, |e| e.week)
        {
            self.escalate(w, 1, obs);
        }
        if self.st.notice.is_none()
            && !self.st.declined[1]
            && let Some(w) = due(plan.notice, opening, m.week)
        {
            if on_table < plan.notice_if_below {
                self.give_notice(w, obs);
            } else {
                self.st.declined[1] = true;
            }
        }

        // 2. Effects that have come due. A payer that refuses to talk
        // settles no items either.
        let applied = self.st.payer.advance_to(m.week);
        obs.effects(m.week, applied);
        if self.st.payer.frozen.is_none() {
            self.st.agenda.advance_to(set.world, m.week);
        }

        // 3. Payer's turn, then the provider's.
        let package = self.package(k);
        let payer_threshold = package - self.st.agenda.payer_shift;
        if let Some(a) = self.st.ask
            && a <= payer_threshold
        {
            obs.meeting(
                m.week,
                self.st.payer.standing_offer() - self.st.agenda.payer_shift,
                a,
            );
            self.st.deal = Some((m.week, a));
            return true;
        }
        let offer_package = self.st.payer.offer(package);
        let offer = offer_package - self.st.agenda.payer_shift;
        let provider_threshold = m.provider_threshold - self.st.agenda.provider_credit;
        obs.meeting(m.week, offer, provider_threshold);
        if offer >= provider_threshold {
            self.st.deal = Some((m.week, offer));
            return true;
        }
        self.st.ask = Some(provider_threshold);

        // 4. Impasse watch, and the moves made on impasse.
        if self.st.watch.observe(
            m.week,
            self.expected_power(k),
            self.st.payer.opening_offer,
            offer_package,
            self.st.agenda.payer_shift,
            plan.walk_away - self.st.agenda.provider_credit,
        ) {
            if self.st.impasse_week.is_none() {
                self.st.impasse_week = Some(m.week);
                obs.impasse(m.week);
            }
            if plan.escalation == Trigger::OnImpasse
                && self.st.escalations[0].is_none()
                && !self.st.declined[0]
            {
                if offer < plan.escalate_if_below {
                    self.escalate(m.week, 0, obs);
                } else {
                    self.st.declined[0] = true;
                }
            } else if self.retry_on_impasse(m.week) {
                self.escalate(m.week, 1, obs);
            }
            if plan.notice == Trigger::OnImpasse
                && self.st.notice.is_none()
                && !self.st.declined[1]
                && m.week <= set.terms.notice_deadline
            {
                if offer < plan.notice_if_below {
                    self.give_notice(m.week, obs);
                } else {
                    self.st.declined[1] = true;
                }
            }
        }
        false
    }

    /// A retry is possible once the first attempt was refused.
    fn retry_allowed(&self) -> bool {
        self.st.escalations[1].is_none()
            && self.st.escalations[0].is_some_and(|e| e.meeting.is_none())
    }

    /// Whether the impasse watch can still set anything off: the first
    /// impasse, or a retry on impasse after a refusal that may yet come.
    fn watch_matters(&self) -> bool {
        self.st.impasse_week.is_none()
            || (self.set.plan.escalation_retry == Trigger::OnImpasse
                && self.st.escalations[1].is_none()
                && self.st.escalations[0].is_none_or(|e| e.meeting.is_none()))
    }

    /// Whether a retry on impasse is due at a stuck meeting in `week`.
    fn retry_on_impasse(&self, week: i32) -> bool {
        self.set.plan.escalation_retry == Trigger::OnImpasse
            && self.retry_allowed()
            && self.st.escalations[0].is_some_and(|e| e.week < week)
    }

    fn escalate<O: Observer>(&mut self, week: i32, attempt: usize, obs: &mut O) {
        let premature = self.st.impasse_week.is_none_or(|i| i > week);
        let e = escalation::escalate(
            self.set,
            &mut self.st.payer,
            &mut self.st.agenda,
            week,
            premature,
            attempt,
        );
        self.st.costs.add(week, self.set.world.escalation_cost);
        self.st.escalations[attempt] = Some(e);
        obs.escalation(&e);
    }

    fn give_notice<O: Observer>(&mut self, week: i32, obs: &mut O) {
        let n = notice::give_notice(self.set, &mut self.st.payer, week);
        self.st.notice = Some(n);
        obs.notice(&n);
    }

    /// The first meeting index at or after `from` where something besides
    /// the two tactics and the impasse watch may happen: a move due at a
    /// fixed week, an effect or an item landing.
    fn quiet_until(&self, from: usize) -> usize {
        let plan = self.set.plan;
        let first = self.st.escalations[0].map(|e| e.week);
        let fixed = |t: Trigger| match t {
            Trigger::Week(w) => w,
            _ => i32::MAX,
        };
        let mut event = self
            .st
            .payer
            .next_effect_week()
            .min(self.st.agenda.next_week());
        if self.st.escalations[0].is_none() && !self.st.declined[0] {
            event = event.min(fixed(plan.escalation));
        }
        if self.retry_allowed()
            && let (Trigger::Week(w), Some(f)) = (plan.escalation_retry, first)
            && w > f
        {
            event = event.min(w);
        }
        if self.st.notice.is_none() && !self.st.declined[1] {
            event = event.min(fixed(plan.notice));
        }
        plan.first_meeting_from(event).max(from)
    }

    /// Run the impasse watch over quiet meetings `from..stop`, given each
    /// meeting's package offer and `t^ê`; returns the first meeting whose
    /// impasse sets off moves (to be played in full), or `stop`.
    #[inline]
    fn watch_stretch(
        &mut self,
        from: usize,
        stop: usize,
        offer_at: impl Fn(&Self, usize) -> f64,
        expected_at: impl Fn(&Self, usize) -> f64,
    ) -> usize {
        let plan = self.set.plan;
        let shift = self.st.agenda.payer_shift;
        let walk_away = plan.walk_away - self.st.agenda.provider_credit;
        let opening = self.st.payer.opening_offer;
        // The watch is kept in a local (written back on the way out) so the
        // loop does not store it on every meeting.
        let mut watch = self.st.watch;
        for k in from..stop {
            let week = plan.meetings[k].week;
            let stuck = watch.stuck(
                expected_at(self, k),
                opening,
                offer_at(self, k),
                shift,
                walk_away,
            );
            let mut probe = watch;
            if probe.record(week, stuck)
                && (self.st.impasse_week.is_none() || self.retry_on_impasse(week))
            {
                // An impasse that sets off moves: play it in full.
                self.st.watch = watch;
                return k;
            }
            watch = probe;
        }
        self.st.watch = watch;
        stop
    }

    /// Play the quiet meetings `from..to` (see [`Talks::quiet_until`]) up to
    /// the first one that needs playing in full: a deal, or an impasse that
    /// matters. Returns its index (`to` if none).
    fn fast_forward(&mut self, from: usize, to: usize) -> usize {
        if to <= from {
            return from;
        }
        // Nothing the payer's threshold depends on changes over the stretch
        // (only its standing offer does): `package` and `payer_ln_t` with
        // their branches taken once, each case its own loop. The same
        // expressions, so the same values to the last bit.
        let meetings: &'s [super::plan::Meeting] = &self.set.plan.meetings;
        let extended = self.extended();
        let clock = self.st.clock;
        let exponent = self.st.payer.exponent;
        let opening = self.st.payer.opening_offer;
        let room = (self.st.payer.reservation - opening).max(0.0);
        let table = self
            .powers
            .filter(|_| extended == clock.ln_span.is_some())
            .filter(|_| exponent == self.set.world.payer_exponent);
        match (self.st.payer.frozen, table) {
            (Some(frozen), _) => self.stretch(from, to, |_| frozen),
            (None, Some(p)) => {
                let tactic: &'s [f64] = &p.tactic;
                self.stretch(from, to, |k| opening + room * tactic[k])
            }
            (None, None) => self.stretch(from, to, |k| {
                let m = &meetings[k];
                let ln_t = if extended { clock.ln_t(m) } else { m.ln_t };
                opening + room * (exponent * ln_t).exp()
            }),
        }
    }

    /// [`Talks::fast_forward`] given the payer's package threshold at each
    /// meeting of the stretch (its frozen offer while it refuses to talk).
    #[inline(always)]
    fn stretch(&mut self, from: usize, to: usize, package: impl Fn(usize) -> f64) -> usize {
        let frozen = self.st.payer.frozen.is_some();
        let standing = self.st.payer.standing;
        // Where the standing offer is above the threshold (after a backlash)
        // the offer is not yet on its curve: play meetings in full.
        if !frozen && package(from) < standing {
            return from;
        }
        let plan: &'s super::plan::Plan = self.set.plan;
        let meetings = &plan.meetings;
        let shift = self.st.agenda.payer_shift;
        let credit = self.st.agenda.provider_credit;
        let provider = |k: usize| meetings[k].provider_threshold - credit;
        let ask_from = self.st.ask;
        // A deal at meeting k: both conditions only become true as k grows
        // (the payer's threshold never falls here, the provider's never rises).
        let deal_at = |k: usize| {
            let ask = if k == from {
                ask_from
            } else {
                Some(provider(k - 1))
            };
            let package = package(k);
            let offer = if frozen { standing } else { package };
            ask.is_some_and(|a| a <= package - shift) || offer - shift >= provider(k)
        };
        // The first deal is in `lo..=hi` (`to`: none). The first probe is the
        // last meeting (no deal there: none in the stretch), then bisection.
        // One call site, so `deal_at` is inlined.
        let (mut lo, mut hi) = (from, to);
        let mut probe = to - 1;
        loop {
            if deal_at(probe) {
                hi = probe;
            } else {
                lo = probe + 1;
            }
            if lo >= hi {
                break;
            }
            probe = lo + (hi - lo) / 2;
        }
        let mut stop = hi;
        // The impasse watch, meeting by meeting from its start, while it can
        // still matter (before its start a meeting records nothing).
        let watched = plan.first_meeting_from(self.st.watch.from_week()).max(from);
        if watched < stop && self.watch_matters() {
            // The same expressions as `expected_power`, with the branches
            // taken once for the stretch.
            let offer = |_: &Self, k: usize| if frozen { standing } else { package(k) };
            stop = match (self.extended(), self.powers) {
                (false, _) => {
                    self.watch_stretch(watched, stop, offer, |_, k| meetings[k].expected_power)
                }
                (true, Some(p)) => {
                    let expected: &'s [f64] = &p.expected;
                    self.watch_stretch(watched, stop, offer, |_, k| expected[k])
                }
                (true, None) => {
                    let (clock, e) = (self.st.clock, self.set.terms.expected_payer_exponent);
                    self.watch_stretch(watched, stop, offer, |_, k| {
                        (e * clock.ln_t(&meetings[k])).exp()
                    })
                }
            };
        }
        if stop > from {
            let last = stop - 1;
            if !frozen {
                self.st.payer.standing = package(last);
            }
            self.st.ask = Some(provider(last));
        }
        stop
    }
}
