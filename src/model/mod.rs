//! One path's story, pure and deterministic given a [`World`]: every renewal
//! counted, each played by the same strategy, with the payer remembering the
//! last.
//!
//! The model knows nothing of threads, files or terminals. Each mechanism has
//! its own file:
//!
//! | question | file |
//! |---|---|
//! | how do the sides concede over time? | [`tactic`] |
//! | when do they meet? | [`plan`] |
//! | what does the payer's staff offer, and what moves it? | [`payer`] |
//! | how does a meeting go, and in what order do things happen? | [`talks`] |
//! | when are talks stuck? | [`impasse`] |
//! | what does escalating do, and cost when refused? | [`escalation`] |
//! | how is a notice received, and what does it cost? | [`notice`] |
//! | what happens when a bluff is called? | [`bluff`] |
//! | what is a documented case worth? | [`data`] |
//! | how are denials, old claims and counter-asks traded? | [`items`] |
//! | what happens at expiry without notice? | [`rollover`] |
//! | how does an out-of-network period end? | [`oon`] |
//! | what does the payer remember next time? | [`relationship`] |
//! | what is it all worth? | [`revenue`] |
//! | when does a strategy play out exactly as another, or its talks up to a meeting? | [`dormant`] |
//!
//! [`play`] runs, for each renewal: [`talks::staff_talks`] until a deal or
//! expiry; at expiry without a deal, [`expiry`] decides between the last
//! offer, a roll-over, a called bluff and out of network; the outcome goes
//! into the payer's [`relationship::Memory`]; finally [`revenue::value`]
//! prices the whole course over the horizon.

pub mod bluff;
pub mod cashflow;
pub mod data;
pub mod dormant;
pub mod escalation;
pub mod expiry;
pub mod impasse;
pub mod items;
pub mod notice;
pub mod oon;
pub mod payer;
pub mod plan;
pub mod relationship;
pub mod revenue;
pub mod rollover;
pub mod tactic;
pub mod talks;
pub mod trace;
pub mod world;

pub use payer::PayerClock;
pub use plan::{Plan, Terms};
pub use world::{World, WorldSampler};

use crate::scenario::MAX_RENEWALS;

use escalation::Escalation;
use notice::Notice;
use relationship::Memory;
use revenue::Course;

/// Everything a mechanism needs to know about the renewal being played.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    /// Shared contract terms.
    pub terms: &'a Terms,
    /// The strategy.
    pub plan: &'a Plan,
    /// The path's world.
    pub world: &'a World,
    /// Renewal index (0: this one).
    pub renewal: usize,
    /// What the payer remembers of earlier renewals.
    pub memory: &'a Memory,
}

impl Setting<'_> {
    /// Scale on escalation and notice gains: 1 when leadership is aligned,
    /// `provider.misaligned_factor` otherwise (mixed signals).
    pub fn alignment_scale(&self) -> f64 {
        if self.world.aligned(self.renewal) {
            1.0
        } else {
            self.world.misaligned_factor
        }
    }
}

/// Costs of a renewal's moves, by week relative to its expiry (at most four:
/// data work, two escalations, going out of network).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Costs {
    entries: [(i32, f64); 4],
    len: usize,
}

impl Costs {
    /// Add a cost at `week` (zero amounts are not recorded).
    pub fn add(&mut self, week: i32, amount: f64) {
        if amount != 0.0 && self.len < self.entries.len() {
            self.entries[self.len] = (week, amount);
            self.len += 1;
        }
    }
    /// The costs recorded.
    pub fn iter(&self) -> std::slice::Iter<'_, (i32, f64)> {
        self.entries[..self.len].iter()
    }
}

/// What one renewal gave, on one path, for one strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenewalOutcome {
    /// Net present revenue in this renewal's window (its term), dollars.
    pub revenue: f64,
    /// Net present contribution margin less costs in the window, dollars.
    pub margin: f64,
    /// Present value of the costs of moves in the window, dollars.
    pub costs: f64,
    /// Yearly uplift of the new contract; NaN when none starts in the term.
    pub uplift: f64,
    /// Week (relative to this renewal's expiry) the new terms were agreed or imposed.
    pub deal_week: Option<i32>,
    /// Whether staff talks reached a deal before expiry.
    pub deal_before_expiry: bool,
    /// Whether the old terms rolled over (no notice, or a rescinded one).
    pub rolled_over: bool,
    /// Whether the payer let its offer lapse at expiry and stalled.
    pub payer_stalled: bool,
    /// Whether the provider went out of network.
    pub out_of_network: bool,
    /// Weeks out of network (0 if it did not go).
    pub oon_weeks: u32,
    /// Whether a notice was sent.
    pub notice_sent: bool,
    /// Whether the payer refused to talk after the notice.
    pub refused_to_talk: bool,
    /// Whether the payer believed the notice.
    pub notice_believed: bool,
    /// Whether a bluff was called (a notice the provider did not carry out).
    pub bluff_called: bool,
    /// Escalations made (0, 1 or 2).
    pub escalations: u8,
    /// Whether the payer's executives agreed to engage.
    pub exec_engaged: bool,
    /// Whether a refused escalation hardened the payer's staff.
    pub backlash: bool,
    /// Week an impasse was declared in staff talks.
    pub impasse_week: Option<i32>,
    /// Net yearly value of non-rate items that came with the contract, dollars.
    pub nonrate_value: f64,
    /// Patient-weeks without in-network access in the window.
    pub patient_weeks_out_of_network: f64,
    /// Patients who switched away for good in the window.
    pub patients_switched: f64,
}

impl Default for RenewalOutcome {
    fn default() -> Self {
        RenewalOutcome {
            revenue: 0.0,
            margin: 0.0,
            costs: 0.0,
            uplift: f64::NAN,
            deal_week: None,
            deal_before_expiry: false,
            rolled_over: false,
            payer_stalled: false,
            out_of_network: false,
            oon_weeks: 0,
            notice_sent: false,
            refused_to_talk: false,
            notice_believed: false,
            bluff_called: false,
            escalations: 0,
            exec_engaged: false,
            backlash: false,
            impasse_week: None,
            nonrate_value: 0.0,
            patient_weeks_out_of_network: 0.0,
            patients_switched: 0.0,
        }
    }
}

/// What one strategy gave on one path: totals over the horizon, and each
/// renewal.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Outcome {
    /// Net present revenue over the horizon, dollars.
    pub revenue: f64,
    /// Net present contribution margin less the costs of moves, dollars.
    pub margin: f64,
    /// Present value of the costs of moves, dollars.
    pub costs: f64,
    /// Patient-weeks without in-network access, net of continuity of care.
    pub patient_weeks_out_of_network: f64,
    /// Patients who switched away for good.
    pub patients_switched: f64,
    /// Renewals counted.
    pub renewal_count: usize,
    /// Each renewal (the first `renewal_count` are meaningful).
    pub renewals: [RenewalOutcome; MAX_RENEWALS],
}

impl Outcome {
    /// This renewal: the one being decided.
    pub fn first(&self) -> &RenewalOutcome {
        &self.renewals[0]
    }
    /// The renewals counted.
    pub fn played(&self) -> &[RenewalOutcome] {
        &self.renewals[..self.renewal_count]
    }
}

/// Watches a path as it is played (for timelines); every method does nothing
/// by default, so the Monte Carlo loop pays nothing for it.
#[allow(unused_variables)]
pub trait Observer {
    /// Whether the observer wants every meeting. When it does not, staff
    /// talks may jump over stretches where nothing but the two tactics moves
    /// (with exactly the same result).
    const DETAILED: bool = true;
    /// Renewal `r` (0-based) begins; the weeks that follow are relative to
    /// its expiry.
    fn renewal(&mut self, r: usize) {}
    /// A staff meeting: the payer's rate offer and the provider's ask.
    fn meeting(&mut self, week: i32, payer_offer: f64, provider_ask: f64) {}
    /// An impasse was declared.
    fn impasse(&mut self, week: i32) {}
    /// The provider escalated.
    fn escalation(&mut self, e: &Escalation) {}
    /// The provider sent a notice of non-renewal.
    fn notice(&mut self, n: &Notice) {}
    /// Effects that took hold this week: [data, executives, notice, backlash].
    fn effects(&mut self, week: i32, applied: [bool; payer::EFFECT_KINDS]) {}
    /// How renewal `r` ended: its course and outcome.
    fn settled(&mut self, r: usize, course: &Course, outcome: &RenewalOutcome) {}
    /// The path is over.
    fn end(&mut self, outcome: &Outcome) {}
}

/// An observer that records nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;
impl Observer for Silent {
    const DETAILED: bool = false;
}

/// Play `plan` on `world` and value the result.
pub fn play(terms: &Terms, plan: &Plan, world: &World) -> Outcome {
    play_inner(terms, plan, world, None, &mut Silent)
}

/// [`play`] with the payer's powers for this plan's calendar precomputed
/// (see [`payer_powers`]): the same result, faster when several strategies
/// share a calendar.
pub fn play_with_powers(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    powers: &PayerPowers,
) -> Outcome {
    play_inner(terms, plan, world, Some(powers), &mut Silent)
}

/// [`play_with_powers`] into an existing outcome (every field overwritten).
pub fn play_with_powers_into(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    powers: &PayerPowers,
    out: &mut Outcome,
) {
    play_into(
        terms,
        plan,
        world,
        Some(powers),
        &mut Silent,
        FirstTalks::Play,
        out,
    );
}

/// How the first renewal's staff talks are played (see
/// [`dormant::Twin::fork_at`]).
#[derive(Debug)]
pub enum FirstTalks<'k> {
    /// From the opening.
    Play,
    /// From the opening, keeping in `kept` the talks before meeting `at`
    /// (if they reach it) for another plan to take up.
    Keep {
        /// The meeting.
        at: usize,
        /// Where the talks are kept.
        kept: &'k mut Option<talks::Snapshot>,
    },
    /// Taken up from another plan's talks, kept before a meeting where
    /// this plan has played exactly as that one.
    Resume(&'k talks::Snapshot),
}

/// [`play_with_powers_into`], its first renewal's talks played as `first`
/// says: the same result, to the last bit, when a resumed snapshot was kept
/// by a plan this one is a twin of, at the meeting
/// [`dormant::Twin::fork_at`] gives.
pub fn play_forking_into(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    powers: &PayerPowers,
    first: FirstTalks<'_>,
    out: &mut Outcome,
) {
    play_into(terms, plan, world, Some(powers), &mut Silent, first, out);
}

/// The payer's `t^e` and the provider's expected `t^ê` at every meeting of a
/// calendar, on the payer's own clock (see [`payer::PayerClock`]), for one
/// world: shared by every strategy that meets on the same weeks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PayerPowers {
    /// `t^e`, `e` the world's payer exponent.
    pub tactic: Vec<f64>,
    /// `t^ê`, `ê` the exponent the provider expects.
    pub expected: Vec<f64>,
    /// The clock's `ln` span the expected powers were computed for.
    span: Option<u64>,
}

/// Fill `out` with the payer's powers for `plan`'s calendar in `world`,
/// computed exactly as the talks would (`exp(e ln t)`). The expected powers
/// depend only on the clock, so they are kept when it has not changed.
pub fn payer_powers(terms: &Terms, plan: &Plan, world: &World, out: &mut PayerPowers) {
    let clock = payer::PayerClock::new(world, terms.evergreen_weeks, plan.opening_week);
    out.tactic.clear();
    out.tactic.extend(
        plan.meetings
            .iter()
            .map(|m| (world.payer_exponent * clock.ln_t(m)).exp()),
    );
    let span = clock.ln_span.map(f64::to_bits);
    if out.span != span || out.expected.len() != plan.meetings.len() {
        out.expected.clear();
        out.expected
            .extend(plan.meetings.iter().map(|m| match clock.ln_span {
                Some(_) => (terms.expected_payer_exponent * clock.ln_t(m)).exp(),
                None => m.expected_power,
            }));
        out.span = span;
    }
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
    powers: Option<&PayerPowers>,
    obs: &mut O,
) -> Outcome {
    let mut outcome = Outcome::default();
    play_into(
        terms,
        plan,
        world,
        powers,
        obs,
        FirstTalks::Play,
        &mut outcome,
    );
    outcome
}

/// Play into `out` (every field is overwritten), so the Monte Carlo loop
/// does not move a whole [`Outcome`] per strategy.
fn play_into<O: Observer>(
    terms: &Terms,
    plan: &Plan,
    world: &World,
    powers: Option<&PayerPowers>,
    obs: &mut O,
    first: FirstTalks<'_>,
    out: &mut Outcome,
) {
    let mut first = Some(first);
    let mut memory = Memory::fresh();
    let mut courses = [Course::default(); MAX_RENEWALS];
    let n = terms.renewals.clamp(1, MAX_RENEWALS);
    out.renewals = [RenewalOutcome::default(); MAX_RENEWALS];
    let mut played = 0;
    for (r, slot) in courses.iter_mut().enumerate().take(n) {
        obs.renewal(r);
        let set = Setting {
            terms,
            plan,
            world,
            renewal: r,
            memory: &memory,
        };
        let talks = match first.take() {
            None | Some(FirstTalks::Play) => talks::staff_talks(&set, powers, obs),
            Some(FirstTalks::Keep { at, kept }) => {
                talks::staff_talks_keeping(&set, powers, at, kept)
            }
            Some(FirstTalks::Resume(snapshot)) => {
                talks::staff_talks_resumed(&set, powers, snapshot)
            }
        };
        let (course, outcome, items) = expiry::settle(&set, talks);
        *slot = course;
        out.renewals[r] = outcome;
        played = r + 1;
        obs.settled(r, &course, &outcome);
        memory.remember(world, &outcome, items);
        if course.uplift.is_none() {
            // Out of network to the horizon: no later renewal to play.
            break;
        }
    }
    let v = revenue::value(&courses[..played], world, terms);
    for (o, win) in out.renewals.iter_mut().zip(&v.by_renewal).take(n) {
        o.revenue = win.revenue;
        o.margin = win.margin;
        o.costs = win.costs;
        o.patient_weeks_out_of_network = win.patient_weeks_out_of_network;
        o.patients_switched = win.patients_switched;
    }
    out.revenue = v.total.revenue;
    out.margin = v.total.margin;
    out.costs = v.total.costs;
    out.patient_weeks_out_of_network = v.total.patient_weeks_out_of_network;
    out.patients_switched = v.total.patients_switched;
    out.renewal_count = n;
    obs.end(out);
}
