//! The world of one Monte Carlo path: every uncertain scenario input drawn
//! once, and a uniform number for every random event the dynamics may need.
//!
//! Each input and each event has its own *slot*, a hash of its dotted path, and
//! its draw depends only on `(path seed, slot)`. So every strategy on a path
//! faces the same world (common random numbers), and changing one input's
//! distribution (a sweep, a tornado bar) leaves every other input's draws
//! untouched. [`World::fill`] is the one place that lists the inputs; the list
//! of inputs shown to users ([`crate::scenario::Scenario::inputs`]) comes from
//! the same function, so the two cannot drift apart.
//!
//! Inputs named in `[[correlation]]` entries are drawn through the scenario's
//! Gaussian copula ([`crate::scenario::correlation`]): each takes one
//! standard normal from its own slot's stream, the copula mixes them within
//! their group, and the input is the quantile of the resulting uniform. Every
//! other input is drawn exactly as without correlations.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::scenario::{Copula, Dist, MAX_RENEWALS, Scenario, Side};

/// The dotted path of an input, built without allocating.
#[derive(Debug, Clone, Copy)]
pub enum InputPath<'a> {
    /// A fixed path such as `payer.reservation`.
    Static(&'static str),
    /// A field of a named `[[item]]`: `item.NAME.FIELD`.
    Item(&'a str, &'static str),
    /// An event of renewal `r` (0-based): the path itself for the first
    /// renewal, `PATH.renewalN` (N = r + 1) for later ones.
    Renewal(&'static str, usize),
    /// An event of a named item at renewal `r`: `item.NAME.FIELD`, with
    /// `.renewalN` for later renewals.
    ItemRenewal(&'a str, &'static str, usize),
}

impl std::fmt::Display for InputPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputPath::Static(p) => f.write_str(p),
            InputPath::Item(name, field) => write!(f, "item.{name}.{field}"),
            InputPath::Renewal(p, 0) => f.write_str(p),
            InputPath::Renewal(p, r) => write!(f, "{p}.renewal{}", r + 1),
            InputPath::ItemRenewal(name, field, 0) => write!(f, "item.{name}.{field}"),
            InputPath::ItemRenewal(name, field, r) => {
                write!(f, "item.{name}.{field}.renewal{}", r + 1)
            }
        }
    }
}

/// Where the numbers of a world come from: a sampler for Monte Carlo paths, a
/// recorder that lists the inputs, or a fixed-value source for tests.
pub trait Source {
    /// The value of a scenario input.
    fn input(&mut self, path: InputPath<'_>, dist: &Dist) -> f64;
    /// A uniform number on [0, 1) for a random event.
    fn event(&mut self, path: InputPath<'_>) -> f64;
}

/// A non-rate item as drawn on one path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorldItem {
    /// Whether the payer asks for it (a counter-ask) rather than the provider.
    pub payer_asks: bool,
    /// Yearly value to the provider (its loss, for a counter-ask), dollars.
    pub annual_value: f64,
    /// Share of the value the other side loses.
    pub transfer_share: f64,
    /// Weeks of staff work from the opening of talks to settle it.
    pub weeks: f64,
    /// `weeks` rounded to whole weeks (at least 0).
    pub settle_weeks: i32,
    /// Win probability of the asking side at staff level.
    pub p_win_staff: f64,
    /// Win probability of the asking side with executives engaged.
    pub p_win_exec: f64,
    /// The event's uniform at each renewal: won at staff level if below
    /// `p_win_staff`, with executives if below `p_win_exec`.
    pub u_win: [f64; MAX_RENEWALS],
}

impl WorldItem {
    /// Yearly value to the provider: positive for its own ask, negative for
    /// the payer's counter-ask.
    #[inline]
    pub fn signed_value(&self) -> f64 {
        if self.payer_asks {
            -self.annual_value
        } else {
            self.annual_value
        }
    }
}

/// Inputs counted in weeks, rounded to whole weeks (at least 0): the model
/// moves on a weekly calendar.
#[allow(missing_docs)] // one field per input of the same name
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WholeWeeks {
    pub payer_response: i32,
    pub payer_deadline: i32,
    pub exec_lag: i32,
    pub data_prep: i32,
    pub letter: i32,
    pub continuity: i32,
}

/// Discount factors of a path (see [`World::discount`]).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Discount {
    pub week: f64,
    pub year: f64,
    pub year_sum: f64,
}

impl Discount {
    /// The factors for a yearly discount rate.
    pub fn new(rate: f64) -> Self {
        let week = (1.0 + rate).powf(-1.0 / 52.0);
        let year = week.powi(52);
        Discount {
            week,
            year,
            year_sum: if (1.0 - week).abs() < 1e-12 {
                52.0
            } else {
                (1.0 - year) / (1.0 - week)
            },
        }
    }
}

/// Whole weeks of a drawn number of weeks: rounded, at least 0.
#[inline]
pub fn whole_weeks(x: f64) -> i32 {
    x.round().clamp(0.0, 1e6) as i32
}

/// The uniforms of the random events of one renewal, resolved by inversion
/// so that every strategy on a path meets the same luck.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RenewalEvents {
    /// Leadership is aligned if below `provider.alignment`.
    pub u_aligned: f64,
    /// Executives engage if below the success probability: first attempt,
    /// retry.
    pub u_exec_engaged: [f64; 2],
    /// A refused escalation hardens the staff if below the backlash
    /// probability: first attempt, retry.
    pub u_backlash: [f64; 2],
    /// The payer refuses to talk after a notice if below
    /// `payer.notice.refuse_to_talk_prob`.
    pub u_refuse_to_talk: f64,
    /// The notice is believed if below its credibility.
    pub u_notice_believed: f64,
    /// A split leadership withdraws the notice if below
    /// `provider.notice.misaligned_withdraw_prob`.
    pub u_withdraw: f64,
    /// Inverted through the payer's return-time distribution.
    pub u_payer_return: f64,
    /// Past expiry under roll-over, the payer stalls if below
    /// `payer.stall_prob`.
    pub u_stall: f64,
}

/// Every number one path needs, drawn once and shared by all strategies.
#[allow(missing_docs)] // field names follow the scenario paths documented in the README
#[derive(Debug, Clone, Default, PartialEq)]
pub struct World {
    pub annual_revenue: f64,
    pub contribution_margin: f64,
    pub discount_rate: f64,
    pub status_quo_escalator: f64,
    pub attributed_patients: f64,

    pub payer_opening_offer: f64,
    pub payer_reservation: f64,
    pub payer_exponent: f64,
    pub payer_response_weeks: f64,
    pub payer_deadline_weeks: f64,
    pub payer_stall_prob: f64,
    pub exec_success_prob: f64,
    pub exec_reservation_gain: f64,
    pub exec_exponent_after: f64,
    pub exec_lag_weeks: f64,
    pub exec_premature_penalty: f64,
    pub exec_backlash_prob: f64,
    pub exec_premature_backlash_prob: f64,
    pub exec_backlash_exponent_add: f64,
    pub exec_backlash_reservation_loss: f64,
    pub exec_retry_factor: f64,
    pub notice_credibility: f64,
    pub notice_reservation_gain: f64,
    pub notice_exponent_after: f64,
    pub bluff_credibility: f64,
    pub refuse_to_talk_prob: f64,
    pub called_bluff_cut: f64,
    pub oon_reservation_gain: f64,
    pub oon_pressure_weeks: f64,
    pub oon_return_scale_weeks: f64,
    pub oon_return_shape: f64,

    pub alignment: f64,
    pub misaligned_factor: f64,
    pub bargaining_weight: f64,
    pub data_prep_weeks: f64,
    pub escalation_cost: f64,
    pub other_revenue: f64,
    pub letter_weeks: f64,
    pub pre_expiry_switch_rate: f64,
    pub misaligned_withdraw_prob: f64,
    pub volume_retention: f64,
    pub weekly_switch_rate: f64,
    pub return_share: f64,
    pub continuity_weeks: f64,
    pub continuity_share: f64,
    pub oon_fixed_cost: f64,
    pub spillover_share: f64,

    pub data_reservation_gain: f64,
    pub data_cost: f64,

    pub called_bluff_credibility: f64,
    pub repeat_threat_factor: f64,
    pub oon_credibility_gain: f64,
    pub backlash_memory: f64,
    pub goodwill_gain: f64,

    pub items: Vec<WorldItem>,

    /// The week counts above, rounded to whole weeks once per path.
    pub whole: WholeWeeks,
    /// Weekly discount factor `d = (1 + discount_rate)^(-1/52)`, `d^52`,
    /// and a year's sum `sum_{j<52} d^j`, computed once per path.
    pub discount: Discount,

    /// Number of renewals played (`contract.renewals`).
    pub renewals: usize,
    /// The random events of each renewal (the first `renewals` are used).
    pub events: [RenewalEvents; MAX_RENEWALS],
}

impl World {
    /// Fill this world from `src`, reusing the item buffer. This is the only
    /// list of the scenario's numeric inputs and events.
    pub fn fill<S: Source>(&mut self, s: &Scenario, src: &mut S) {
        use InputPath::Static as P;
        let c = &s.contract;
        self.annual_revenue = src.input(P("contract.annual_revenue"), &c.annual_revenue);
        self.contribution_margin =
            src.input(P("contract.contribution_margin"), &c.contribution_margin);
        self.discount_rate = src.input(P("contract.discount_rate"), &c.discount_rate);
        self.status_quo_escalator =
            src.input(P("contract.status_quo_escalator"), &c.status_quo_escalator);
        self.attributed_patients =
            src.input(P("contract.attributed_patients"), &c.attributed_patients);

        let p = &s.payer;
        self.payer_opening_offer = src.input(P("payer.opening_offer"), &p.opening_offer);
        self.payer_reservation = src.input(P("payer.reservation"), &p.reservation);
        self.payer_exponent = src.input(P("payer.concession_exponent"), &p.concession_exponent);
        self.payer_response_weeks = src.input(P("payer.response_weeks"), &p.response_weeks);
        self.payer_deadline_weeks = src.input(P("payer.deadline_weeks"), &p.deadline_weeks);
        self.payer_stall_prob = src.input(P("payer.stall_prob"), &p.stall_prob);
        let e = &p.exec;
        self.exec_success_prob = src.input(P("payer.exec.success_prob"), &e.success_prob);
        self.exec_reservation_gain =
            src.input(P("payer.exec.reservation_gain"), &e.reservation_gain);
        self.exec_exponent_after = src.input(P("payer.exec.exponent_after"), &e.exponent_after);
        self.exec_lag_weeks = src.input(P("payer.exec.lag_weeks"), &e.lag_weeks);
        self.exec_premature_penalty =
            src.input(P("payer.exec.premature_penalty"), &e.premature_penalty);
        self.exec_backlash_prob = src.input(P("payer.exec.backlash_prob"), &e.backlash_prob);
        self.exec_premature_backlash_prob = src.input(
            P("payer.exec.premature_backlash_prob"),
            &e.premature_backlash_prob,
        );
        self.exec_backlash_exponent_add = src.input(
            P("payer.exec.backlash_exponent_add"),
            &e.backlash_exponent_add,
        );
        self.exec_backlash_reservation_loss = src.input(
            P("payer.exec.backlash_reservation_loss"),
            &e.backlash_reservation_loss,
        );
        self.exec_retry_factor = src.input(P("payer.exec.retry_factor"), &e.retry_factor);
        let n = &p.notice;
        self.notice_credibility = src.input(P("payer.notice.credibility"), &n.credibility);
        self.notice_reservation_gain =
            src.input(P("payer.notice.reservation_gain"), &n.reservation_gain);
        self.notice_exponent_after = src.input(P("payer.notice.exponent_after"), &n.exponent_after);
        self.bluff_credibility =
            src.input(P("payer.notice.bluff_credibility"), &n.bluff_credibility);
        self.refuse_to_talk_prob = src.input(
            P("payer.notice.refuse_to_talk_prob"),
            &n.refuse_to_talk_prob,
        );
        self.called_bluff_cut = src.input(P("payer.notice.called_bluff_cut"), &n.called_bluff_cut);
        self.oon_reservation_gain =
            src.input(P("payer.oon.reservation_gain"), &p.oon.reservation_gain);
        self.oon_pressure_weeks = src.input(P("payer.oon.pressure_weeks"), &p.oon.pressure_weeks);
        self.oon_return_scale_weeks =
            src.input(P("payer.oon.return_scale_weeks"), &p.oon.return_scale_weeks);
        self.oon_return_shape = src.input(P("payer.oon.return_shape"), &p.oon.return_shape);

        let v = &s.provider;
        self.alignment = src.input(P("provider.alignment"), &v.alignment);
        self.misaligned_factor = src.input(P("provider.misaligned_factor"), &v.misaligned_factor);
        self.bargaining_weight = src.input(P("provider.bargaining_weight"), &v.bargaining_weight);
        self.data_prep_weeks = src.input(P("provider.data_prep_weeks"), &v.data_prep_weeks);
        self.escalation_cost = src.input(P("provider.escalation_cost"), &v.escalation_cost);
        self.other_revenue = src.input(P("provider.other_revenue"), &v.other_revenue);
        self.letter_weeks = src.input(P("provider.notice.letter_weeks"), &v.notice.letter_weeks);
        self.pre_expiry_switch_rate = src.input(
            P("provider.notice.pre_expiry_switch_rate"),
            &v.notice.pre_expiry_switch_rate,
        );
        self.misaligned_withdraw_prob = src.input(
            P("provider.notice.misaligned_withdraw_prob"),
            &v.notice.misaligned_withdraw_prob,
        );
        self.volume_retention =
            src.input(P("provider.oon.volume_retention"), &v.oon.volume_retention);
        self.weekly_switch_rate = src.input(
            P("provider.oon.weekly_switch_rate"),
            &v.oon.weekly_switch_rate,
        );
        self.return_share = src.input(P("provider.oon.return_share"), &v.oon.return_share);
        self.continuity_weeks =
            src.input(P("provider.oon.continuity_weeks"), &v.oon.continuity_weeks);
        self.continuity_share =
            src.input(P("provider.oon.continuity_share"), &v.oon.continuity_share);
        self.oon_fixed_cost = src.input(P("provider.oon.fixed_cost"), &v.oon.fixed_cost);
        self.spillover_share = src.input(P("provider.oon.spillover_share"), &v.oon.spillover_share);

        self.data_reservation_gain =
            src.input(P("data.reservation_gain"), &s.data.reservation_gain);
        self.data_cost = src.input(P("data.cost"), &s.data.cost);

        let r = &s.relationship;
        self.called_bluff_credibility = src.input(
            P("relationship.called_bluff_credibility"),
            &r.called_bluff_credibility,
        );
        self.repeat_threat_factor = src.input(
            P("relationship.repeat_threat_factor"),
            &r.repeat_threat_factor,
        );
        self.oon_credibility_gain = src.input(
            P("relationship.oon_credibility_gain"),
            &r.oon_credibility_gain,
        );
        self.backlash_memory = src.input(P("relationship.backlash_memory"), &r.backlash_memory);
        self.goodwill_gain = src.input(P("relationship.goodwill_gain"), &r.goodwill_gain);

        self.renewals = (s.contract.renewals as usize).clamp(1, MAX_RENEWALS);
        self.items.resize(s.items.len(), WorldItem::default());
        for (item, drawn) in s.items.iter().zip(self.items.iter_mut()) {
            let at = |field| InputPath::Item(&item.name, field);
            drawn.payer_asks = item.asked_by == Side::Payer;
            drawn.annual_value = src.input(at("annual_value"), &item.annual_value);
            drawn.transfer_share = src.input(at("transfer_share"), &item.transfer_share);
            drawn.weeks = src.input(at("weeks"), &item.weeks);
            drawn.settle_weeks = whole_weeks(drawn.weeks);
            drawn.p_win_staff = src.input(at("p_win_staff"), &item.p_win_staff);
            drawn.p_win_exec = src.input(at("p_win_exec"), &item.p_win_exec);
            drawn.u_win = [0.0; MAX_RENEWALS];
            for r in 0..self.renewals {
                drawn.u_win[r] = src.event(InputPath::ItemRenewal(&item.name, "won", r));
            }
        }

        self.discount = Discount::new(self.discount_rate);
        self.whole = WholeWeeks {
            payer_response: whole_weeks(self.payer_response_weeks),
            payer_deadline: whole_weeks(self.payer_deadline_weeks),
            exec_lag: whole_weeks(self.exec_lag_weeks),
            data_prep: whole_weeks(self.data_prep_weeks),
            letter: whole_weeks(self.letter_weeks),
            continuity: whole_weeks(self.continuity_weeks),
        };

        self.events = [RenewalEvents::default(); MAX_RENEWALS];
        for r in 0..self.renewals {
            let at = |name| InputPath::Renewal(name, r);
            let ev = &mut self.events[r];
            ev.u_aligned = src.event(at("event.aligned"));
            ev.u_exec_engaged = [
                src.event(at("event.exec_engaged")),
                src.event(at("event.exec_engaged_retry")),
            ];
            ev.u_backlash = [
                src.event(at("event.backlash")),
                src.event(at("event.backlash_retry")),
            ];
            ev.u_refuse_to_talk = src.event(at("event.refuse_to_talk"));
            ev.u_notice_believed = src.event(at("event.notice_believed"));
            ev.u_withdraw = src.event(at("event.notice_withdrawn"));
            ev.u_payer_return = src.event(at("event.payer_return"));
            ev.u_stall = src.event(at("event.payer_stalls"));
        }
    }

    /// Whether leadership speaks with one voice at renewal `r`.
    pub fn aligned(&self, r: usize) -> bool {
        self.events[r].u_aligned < self.alignment
    }

    /// Weeks out of network until the payer comes back at renewal `r`, by
    /// inversion of a Weibull distribution: `T = scale * (-ln(1 - u))^(1/shape)`,
    /// rounded up to whole weeks (at least one). Its hazard
    /// `(k/λ)(t/λ)^(k-1)` grows with time when the shape `k` exceeds 1.
    pub fn payer_return_weeks(&self, r: usize) -> u32 {
        let u = self.events[r].u_payer_return;
        let t = self.oon_return_scale_weeks * (-(1.0 - u).ln()).powf(1.0 / self.oon_return_shape);
        t.ceil().clamp(1.0, 1.0e6) as u32
    }
}

/// FNV-1a hash of a string, used as an input's slot.
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser: a bijective mix of 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of path `index` in a run seeded with `seed`: depends on nothing else.
pub fn path_seed(seed: u64, index: u64) -> u64 {
    mix64(mix64(seed) ^ mix64(index.wrapping_add(0x5851_f42d_4c95_7f2d)))
}

/// Lists the inputs (path and distribution) in [`World::fill`] order.
#[derive(Default)]
struct Recorder {
    inputs: Vec<(String, Dist)>,
    slots: Vec<u64>,
    /// Position in `slots` of each input.
    input_slots: Vec<usize>,
}

impl Source for Recorder {
    fn input(&mut self, path: InputPath<'_>, dist: &Dist) -> f64 {
        let name = path.to_string();
        self.input_slots.push(self.slots.len());
        self.slots.push(fnv1a(&name));
        self.inputs.push((name, dist.clone()));
        dist.mean()
    }
    fn event(&mut self, path: InputPath<'_>) -> f64 {
        self.slots.push(fnv1a(&path.to_string()));
        0.5
    }
}

/// Draws worlds for Monte Carlo paths.
#[derive(Debug, Clone)]
pub struct WorldSampler {
    slots: Vec<u64>,
    /// Position in `slots` of each input.
    input_slots: Vec<usize>,
    /// The copula of the correlated inputs; `None` when there are none.
    correlated: Option<Box<Correlated>>,
}

/// The correlated inputs of a scenario, located among the slots.
#[derive(Debug, Clone)]
struct Correlated {
    copula: Copula,
    /// Slot position of each correlated input, in [`Copula::inputs`] order.
    slot_of: Vec<usize>,
    /// For each slot position: the index of its input in [`Copula::inputs`],
    /// or [`NOT_CORRELATED`].
    index_of_slot: Vec<u32>,
}

/// Marks a slot that is not a correlated input.
const NOT_CORRELATED: u32 = u32::MAX;

/// Correlated inputs up to this many use a buffer on the stack; more, one on
/// the heap per path.
const STACK_INPUTS: usize = 32;

struct SlotSource<'a> {
    slots: &'a [u64],
    next: usize,
    path_seed: u64,
}

/// A [`SlotSource`] that takes the correlated inputs from the path's copula
/// uniforms. A separate type, so that scenarios without correlations pay
/// nothing for them.
struct CorrelatedSource<'a> {
    slots: SlotSource<'a>,
    /// For each slot position: the index of its input in the uniforms, or
    /// [`NOT_CORRELATED`].
    index_of_slot: &'a [u32],
    /// The path's copula uniforms, one per correlated input.
    uniforms: &'a [f64],
}

impl SlotSource<'_> {
    fn slot_seed(&mut self) -> u64 {
        let slot = self.slots[self.next];
        self.next += 1;
        mix64(self.path_seed ^ slot)
    }
}

impl Source for SlotSource<'_> {
    fn input(&mut self, _: InputPath<'_>, dist: &Dist) -> f64 {
        let seed = self.slot_seed();
        match dist {
            Dist::Fixed(v) => *v,
            d => d.sample(&mut Xoshiro256PlusPlus::seed_from_u64(seed)),
        }
    }
    fn event(&mut self, _: InputPath<'_>) -> f64 {
        // 53 random bits, on [0, 1).
        (self.slot_seed() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

impl Source for CorrelatedSource<'_> {
    #[inline]
    fn input(&mut self, path: InputPath<'_>, dist: &Dist) -> f64 {
        let k = self.index_of_slot[self.slots.next];
        if k == NOT_CORRELATED {
            return self.slots.input(path, dist);
        }
        self.slots.next += 1;
        dist.quantile(self.uniforms[k as usize])
    }
    #[inline]
    fn event(&mut self, path: InputPath<'_>) -> f64 {
        self.slots.event(path)
    }
}

impl WorldSampler {
    /// Prepare to draw worlds of scenario `s`, factoring its correlations
    /// once.
    ///
    /// # Panics
    ///
    /// If the scenario's `[[correlation]]` entries are invalid: validate the
    /// scenario first ([`Scenario::validate`]).
    pub fn new(s: &Scenario) -> Self {
        let mut rec = Recorder::default();
        World::default().fill(s, &mut rec);
        let copula = Copula::new(s)
            .unwrap_or_else(|e| panic!("WorldSampler::new needs a valid scenario: {e}"));
        let correlated = (!copula.is_empty()).then(|| {
            let slot_of: Vec<usize> = copula
                .inputs()
                .iter()
                .map(|&i| rec.input_slots[i])
                .collect();
            let mut index_of_slot = vec![NOT_CORRELATED; rec.slots.len()];
            for (k, &slot) in slot_of.iter().enumerate() {
                index_of_slot[slot] = k as u32;
            }
            Box::new(Correlated {
                copula,
                slot_of,
                index_of_slot,
            })
        });
        WorldSampler {
            slots: rec.slots,
            input_slots: rec.input_slots,
            correlated,
        }
    }

    /// Draw the world of the path with seed `path_seed` into `world`.
    pub fn fill(&self, s: &Scenario, path_seed: u64, world: &mut World) {
        let Some(c) = &self.correlated else {
            let mut src = SlotSource {
                slots: &self.slots,
                next: 0,
                path_seed,
            };
            world.fill(s, &mut src);
            return;
        };
        let n = c.slot_of.len();
        if n <= STACK_INPUTS {
            let mut buffer = [0.0; STACK_INPUTS];
            self.fill_correlated(c, &mut buffer[..n], s, path_seed, world);
        } else {
            let mut buffer = vec![0.0; n];
            self.fill_correlated(c, &mut buffer, s, path_seed, world);
        }
    }

    /// Draw a world with correlated inputs, using `uniforms` (one per
    /// correlated input) as scratch space: each correlated input's standard
    /// normal comes from its own slot's stream, then the copula turns them
    /// into uniforms, which [`CorrelatedSource`] inverts through each input's
    /// distribution.
    fn fill_correlated(
        &self,
        c: &Correlated,
        uniforms: &mut [f64],
        s: &Scenario,
        path_seed: u64,
        world: &mut World,
    ) {
        self.correlated_uniforms(c, uniforms, path_seed);
        let mut src = CorrelatedSource {
            slots: SlotSource {
                slots: &self.slots,
                next: 0,
                path_seed,
            },
            index_of_slot: &c.index_of_slot,
            uniforms,
        };
        world.fill(s, &mut src);
    }
}

/// Records the value of every input, in [`World::fill`] order, as another
/// source supplies it.
struct Recording<'a, S: Source> {
    inner: S,
    values: &'a mut [f64],
    next: usize,
}

impl<S: Source> Source for Recording<'_, S> {
    #[inline]
    fn input(&mut self, path: InputPath<'_>, dist: &Dist) -> f64 {
        let x = self.inner.input(path, dist);
        self.values[self.next] = x;
        self.next += 1;
        x
    }
    #[inline]
    fn event(&mut self, path: InputPath<'_>) -> f64 {
        self.inner.event(path)
    }
}

/// Takes every input from a point of the unit hypercube (one coordinate per
/// input, [`Scenario::inputs`] order) by inversion, and every event from a
/// seed, as [`SlotSource`] does.
struct AtSource<'a> {
    events: SlotSource<'a>,
    /// The uniform of each input (correlated ones already mixed by the
    /// copula).
    u: &'a [f64],
    next: usize,
}

impl Source for AtSource<'_> {
    fn input(&mut self, _: InputPath<'_>, dist: &Dist) -> f64 {
        let u = self.u[self.next];
        self.next += 1;
        self.events.next += 1;
        match dist {
            Dist::Fixed(v) => *v,
            d => d.quantile(u),
        }
    }
    fn event(&mut self, path: InputPath<'_>) -> f64 {
        self.events.event(path)
    }
}

impl WorldSampler {
    /// Number of inputs (fixed ones included), the length of the buffers of
    /// [`WorldSampler::fill_recording`] and [`WorldSampler::fill_at`].
    pub fn input_count(&self) -> usize {
        self.input_slots.len()
    }

    /// The sets of correlated inputs (positions in [`Scenario::inputs`]):
    /// see [`Copula::group_inputs`]. Empty without correlations.
    pub fn correlated_groups(&self) -> Vec<Vec<usize>> {
        self.correlated
            .as_ref()
            .map_or_else(Vec::new, |c| c.copula.group_inputs())
    }

    /// [`WorldSampler::fill`], also writing the value each input took into
    /// `values` (one per input, [`Scenario::inputs`] order). The world is
    /// exactly the one `fill` draws.
    pub fn fill_recording(
        &self,
        s: &Scenario,
        path_seed: u64,
        world: &mut World,
        values: &mut [f64],
    ) {
        let slots = SlotSource {
            slots: &self.slots,
            next: 0,
            path_seed,
        };
        let Some(c) = &self.correlated else {
            world.fill(
                s,
                &mut Recording {
                    inner: slots,
                    values,
                    next: 0,
                },
            );
            return;
        };
        let mut uniforms = vec![0.0; c.slot_of.len()];
        self.correlated_uniforms(c, &mut uniforms, path_seed);
        let src = CorrelatedSource {
            slots,
            index_of_slot: &c.index_of_slot,
            uniforms: &uniforms,
        };
        world.fill(
            s,
            &mut Recording {
                inner: src,
                values,
                next: 0,
            },
        );
    }

    /// The world at a point `u` of the unit hypercube: input `i` (in
    /// [`Scenario::inputs`] order) is its distribution's quantile at `u[i]`,
    /// except that correlated inputs read their coordinates as independent
    /// uniforms that the copula mixes ([`Copula::apply_uniform`]); every
    /// random event draws from `event_seed` as a path with that seed would.
    /// For designed experiments (Sobol' indices) rather than Monte Carlo.
    ///
    /// # Panics
    ///
    /// If `u` does not hold one coordinate per input.
    pub fn fill_at(&self, s: &Scenario, u: &[f64], event_seed: u64, world: &mut World) {
        assert_eq!(u.len(), self.input_count(), "one coordinate per input");
        let events = SlotSource {
            slots: &self.slots,
            next: 0,
            path_seed: event_seed,
        };
        let Some(c) = &self.correlated else {
            world.fill(s, &mut AtSource { events, u, next: 0 });
            return;
        };
        let mut mixed = u.to_vec();
        let mut group: Vec<f64> = c.copula.inputs().iter().map(|&i| u[i]).collect();
        c.copula.apply_uniform(&mut group);
        for (&i, x) in c.copula.inputs().iter().zip(group) {
            mixed[i] = x;
        }
        world.fill(
            s,
            &mut AtSource {
                events,
                u: &mixed,
                next: 0,
            },
        );
    }

    /// The copula uniforms of a path: one standard normal per correlated
    /// input from its own slot's stream, mixed by the copula.
    fn correlated_uniforms(&self, c: &Correlated, uniforms: &mut [f64], path_seed: u64) {
        for (z, &slot) in uniforms.iter_mut().zip(&c.slot_of) {
            let seed = mix64(path_seed ^ self.slots[slot]);
            *z = StandardNormal.sample(&mut Xoshiro256PlusPlus::seed_from_u64(seed));
        }
        c.copula.apply(uniforms);
    }
}

impl Scenario {
    /// Every numeric input of the scenario with its dotted path, in a fixed order.
    pub fn inputs(&self) -> Vec<(String, Dist)> {
        let mut rec = Recorder::default();
        World::default().fill(self, &mut rec);
        rec.inputs
    }
}

/// A source that gives every input its mean and every event a chosen uniform;
/// for hand-computed tests and examples.
#[derive(Debug, Clone)]
pub struct MeanSource {
    /// The uniform returned for every event not listed in `events`.
    pub event_uniform: f64,
    /// Uniforms for named events (`event.exec_engaged`,
    /// `event.payer_return.renewal2`, `item.denials.won`, ...).
    pub events: Vec<(String, f64)>,
}

impl MeanSource {
    /// Every event at `u`.
    pub fn new(u: f64) -> Self {
        MeanSource {
            event_uniform: u,
            events: Vec::new(),
        }
    }

    /// The same, with event `path` at `u`.
    pub fn with(mut self, path: &str, u: f64) -> Self {
        self.events.push((path.to_string(), u));
        self
    }
}

impl Source for MeanSource {
    fn input(&mut self, _: InputPath<'_>, dist: &Dist) -> f64 {
        dist.mean()
    }
    fn event(&mut self, path: InputPath<'_>) -> f64 {
        let name = path.to_string();
        self.events
            .iter()
            .rev()
            .find(|(p, _)| *p == name)
            .map_or(self.event_uniform, |(_, u)| *u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_seeds_differ_and_repeat() {
        assert_eq!(path_seed(7, 3), path_seed(7, 3));
        assert_ne!(path_seed(7, 3), path_seed(7, 4));
        assert_ne!(path_seed(7, 3), path_seed(8, 3));
        assert_ne!(path_seed(0, 1), path_seed(1, 0));
    }

    #[test]
    fn changing_one_input_leaves_other_draws_alone() {
        let base = Scenario::builtin();
        let mut changed = base.clone();
        changed.payer.reservation = Dist::Uniform { min: 0.0, max: 0.1 };
        let (a, b) = (WorldSampler::new(&base), WorldSampler::new(&changed));
        let (mut wa, mut wb) = (World::default(), World::default());
        for i in 0..100 {
            a.fill(&base, path_seed(1, i), &mut wa);
            b.fill(&changed, path_seed(1, i), &mut wb);
            assert_ne!(wa.payer_reservation, wb.payer_reservation);
            wb.payer_reservation = wa.payer_reservation;
            assert_eq!(wa, wb);
        }
    }

    fn correlated() -> Scenario {
        let text = format!(
            "{}\n[[correlation]]\nbetween = [\"payer.reservation\", \"payer.exec.reservation_gain\"]\nrank = 0.8\n",
            crate::scenario::DEFAULT_SCENARIO_TOML
        );
        Scenario::from_toml(&text, "<test>").unwrap()
    }

    #[test]
    fn recording_draws_the_same_world_and_lists_its_inputs() {
        for s in [Scenario::builtin(), correlated()] {
            let sampler = WorldSampler::new(&s);
            let inputs = s.inputs();
            assert_eq!(sampler.input_count(), inputs.len());
            let (mut a, mut b) = (World::default(), World::default());
            let mut values = vec![0.0; inputs.len()];
            for i in 0..50 {
                sampler.fill(&s, path_seed(3, i), &mut a);
                sampler.fill_recording(&s, path_seed(3, i), &mut b, &mut values);
                assert_eq!(a, b);
                let at = |p: &str| values[inputs.iter().position(|(n, _)| n == p).unwrap()];
                assert_eq!(at("payer.reservation"), a.payer_reservation);
                assert_eq!(at("payer.exec.reservation_gain"), a.exec_reservation_gain);
                assert_eq!(at("item.denials.annual_value"), a.items[0].annual_value);
            }
        }
    }

    #[test]
    fn points_keep_the_copula() {
        let s = correlated();
        let sampler = WorldSampler::new(&s);
        assert_eq!(sampler.correlated_groups().len(), 1);
        let inputs = s.inputs();
        let n = inputs.len();
        let (r, e) = (
            inputs
                .iter()
                .position(|(p, _)| p == "payer.reservation")
                .unwrap(),
            inputs
                .iter()
                .position(|(p, _)| p == "payer.exec.reservation_gain")
                .unwrap(),
        );
        assert_eq!(sampler.correlated_groups()[0], vec![r.min(e), r.max(e)]);
        // Both coordinates high: both inputs high; one high, one low: the
        // copula pulls the low one up.
        let mut w = World::default();
        let mut u = vec![0.5; n];
        u[r] = 0.9;
        u[e] = 0.9;
        sampler.fill_at(&s, &u, 1, &mut w);
        assert!(w.payer_reservation > s.payer.reservation.quantile(0.9));
        u[e] = 0.1;
        sampler.fill_at(&s, &u, 1, &mut w);
        assert!(w.exec_reservation_gain > s.payer.exec.reservation_gain.quantile(0.1));
        // Inputs outside the group are plain quantiles.
        assert_eq!(w.payer_opening_offer, s.payer.opening_offer.quantile(0.5));
    }

    #[test]
    fn inputs_are_listed_once_with_unique_paths() {
        let s = Scenario::builtin();
        let inputs = s.inputs();
        let mut names: Vec<&str> = inputs.iter().map(|(n, _)| n.as_str()).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
        assert!(names.contains(&"payer.exec.success_prob"));
    }
}
