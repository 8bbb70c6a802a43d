//! Net present revenue, contribution margin and patient access over the
//! horizon (every renewal's term), in closed form.
//!
//! Week `w` (0 = the first expiry) is discounted by `d^w` with
//! `d = (1 + r)^(-1/52)`; weeks before it (member letters, costs) are
//! compounded to it the same way. Weekly revenue at today's rates is
//! `B = annual_revenue / 52`.
//!
//! **Rates are yearly escalators.** A contract agreed at uplift `u` that
//! starts at week `s` pays `M (1 + u)^(k + 1)` in its `k`-th year from `s`,
//! where `M` is the rate level the previous contract ended at (1 today); the
//! next renewal starts from where this one ends, so a late start costs
//! escalator steps. A roll-over pays `M (1 + escalator)` likewise.
//!
//! A week with rate level `q` and volume share `v` earns `B q v` and
//! contributes `B v (q - (1 - m))` to margin (`m` today's contribution
//! margin; costs are held at today's level): a price rise is all margin, lost
//! volume loses only its margin. Non-rate items add their net yearly value /
//! 52 a week to both.
//!
//! **Volume.** From a notice's member letters to a deal (or expiry) a share
//! `pre_expiry_switch_rate` of the remaining patients switches away each
//! week; out of network the share is `weekly_switch_rate` and revenue is
//! `volume_retention` of normal, plus the spillover loss
//! `other_revenue * spillover_share / 52` a week. When a contract follows,
//! `return_share` of the switched patients come back. Before the first
//! expiry both sides live under the old contract for every strategy, so only
//! the letters' losses are counted there (as differences from no letters).
//!
//! **Costs** (data work, escalations, the fixed cost of going out of network)
//! are charged to margin at their week.
//!
//! Every sum is geometric, so there is no weekly loop.

use crate::scenario::MAX_RENEWALS;

use super::Costs;
use super::plan::Terms;
use super::world::World;

/// `x^n` by binary powering, inlined: the same multiplications, in the same
/// order, as the `__powidf2` that `f64::powi` calls with a variable
/// exponent, so the same result to the last bit (a test checks it), without
/// the call in the valuation's inner sums.
///
/// A bit that is clear multiplies by 1 (exact) instead of branching, so the
/// only branch is the loop's: exponents here are weeks, whose bits a branch
/// predictor cannot guess.
#[inline]
pub fn powi(x: f64, n: i32) -> f64 {
    let mut a = x;
    let mut pow = n.unsigned_abs();
    let mut mul = 1.0;
    loop {
        mul *= if pow & 1 != 0 { a } else { 1.0 };
        pow >>= 1;
        if pow == 0 {
            break;
        }
        a *= a;
    }
    if n < 0 { 1.0 / mul } else { mul }
}

/// `sum_{j=0}^{n-1} x^j`.
#[inline]
pub fn geometric(x: f64, n: u32) -> f64 {
    if n == 0 {
        0.0
    } else if (1.0 - x).abs() < 1e-12 {
        f64::from(n)
    } else {
        (1.0 - powi(x, n as i32)) / (1.0 - x)
    }
}

/// What one renewal ended with, for valuation. Weeks are relative to that
/// renewal's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Course {
    /// Week a notice's member letters went out, if one was sent.
    pub letters_from: Option<i32>,
    /// Week the letters' switching stops: the deal week if the deal came
    /// before expiry, otherwise 0 (it goes on out of network).
    pub letters_to: i32,
    /// Weeks from expiry under the rolled-over old terms.
    pub rollover_weeks: u32,
    /// Weeks from expiry out of network (after any roll-over).
    pub oon_weeks: u32,
    /// The new contract's yearly uplift; `None` when no contract starts
    /// within the term (out of network to the horizon).
    pub uplift: Option<f64>,
    /// Net yearly value of the non-rate items that come with the contract.
    pub items_value: f64,
    /// Costs of the renewal's moves, by week.
    pub costs: Costs,
}

/// Money and patient figures of one window of the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Window {
    /// Net present revenue, dollars.
    pub revenue: f64,
    /// Net present contribution margin, less costs, dollars.
    pub margin: f64,
    /// Present value of the costs of moves, dollars.
    pub costs: f64,
    /// Patient-weeks without in-network access, net of continuity of care.
    pub patient_weeks_out_of_network: f64,
    /// Patients who switched away and did not come back.
    pub patients_switched: f64,
}

impl Window {
    fn add(&mut self, o: &Window) {
        self.revenue += o.revenue;
        self.margin += o.margin;
        self.costs += o.costs;
        self.patient_weeks_out_of_network += o.patient_weeks_out_of_network;
        self.patients_switched += o.patients_switched;
    }
}

/// The figures of a whole path: totals, and per renewal (renewal `r`'s
/// window is its term, from its expiry to the next; the first also holds
/// the letters' losses before the first expiry).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Valuation {
    /// Over the whole horizon.
    pub total: Window,
    /// Per renewal window.
    pub by_renewal: [Window; MAX_RENEWALS],
}

/// A rate path: level `base (1 + uplift)^(k + 1)` in year `k` from `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Schedule {
    base: f64,
    uplift: f64,
    start: i64,
    /// Flat at `base` (today's rates before the first expiry).
    flat: bool,
}

impl Schedule {
    fn today() -> Self {
        Schedule {
            base: 1.0,
            uplift: 0.0,
            start: 0,
            flat: true,
        }
    }
    fn year(&self, week: i64) -> i64 {
        (week - self.start).div_euclid(52)
    }
    fn level_in_year(&self, k: i64) -> f64 {
        if self.flat {
            self.base
        } else {
            self.base * powi(1.0 + self.uplift, (k + 1) as i32)
        }
    }
    fn level_at(&self, week: i64) -> f64 {
        self.level_in_year(self.year(week))
    }
}

/// Constant parts of the sums.
struct Pv<'a> {
    w: &'a World,
    d: f64,
    /// `d^52` and `sum_{j<52} d^j`: a whole year.
    d_year: f64,
    year_sum: f64,
    weekly: f64,
    cost_share: f64,
    term: i64,
    renewals: usize,
}

impl Pv<'_> {
    fn window_of(&self, week: i64) -> usize {
        (week.div_euclid(self.term).max(0) as usize).min(self.renewals - 1)
    }

    /// `sum_{w=a}^{b-1} d^w x^(w-a)`.
    fn sum(&self, a: i64, b: i64, x: f64) -> f64 {
        if b <= a {
            return 0.0;
        }
        powi(self.d, a as i32) * geometric(self.d * x, (b - a) as u32)
    }

    /// In network under `rate` over `[a, b)`, volume `v0 x^(w-a)`, with
    /// non-rate items worth `items` a year. With `baseline`, only the
    /// difference from full volume at that rate is counted (weeks before
    /// the first expiry).
    #[allow(clippy::too_many_arguments)]
    fn in_network(
        &self,
        a: i64,
        b: i64,
        rate: &Schedule,
        v0: f64,
        x: f64,
        items: f64,
        baseline: bool,
        out: &mut [Window],
    ) {
        if b <= a {
            return;
        }
        if x == 1.0 && !baseline {
            return self.in_network_steady(a, b, rate, v0, items, out);
        }
        let mut lo = a;
        while lo < b {
            let k = rate.year(lo);
            let hi = if rate.flat {
                b
            } else {
                b.min(rate.start + 52 * (k + 1))
            };
            let q = rate.level_in_year(k);
            let volume = v0 * powi(x, (lo - a) as i32) * self.sum(lo, hi, x)
                - if baseline { self.sum(lo, hi, 1.0) } else { 0.0 };
            let items_pv = if baseline {
                0.0
            } else {
                items / 52.0 * self.sum(lo, hi, 1.0)
            };
            let win = &mut out[self.window_of(lo)];
            win.revenue += self.weekly * q * volume + items_pv;
            win.margin += self.weekly * (q - self.cost_share) * volume + items_pv;
            lo = hi;
        }
    }

    /// [`Pv::in_network`] at constant volume: one `powi` for the start,
    /// then whole years by multiplication.
    fn in_network_steady(
        &self,
        a: i64,
        b: i64,
        rate: &Schedule,
        v: f64,
        items: f64,
        out: &mut [Window],
    ) {
        let mut lo = a;
        let mut d_lo = powi(self.d, a as i32);
        let k = rate.year(lo);
        let mut q = rate.level_in_year(k);
        let step = if rate.flat { 1.0 } else { 1.0 + rate.uplift };
        let mut year_end = rate.start + 52 * (k + 1);
        while lo < b {
            let hi = if rate.flat { b } else { b.min(year_end) };
            let n = hi - lo;
            let (sum, d_n) = if n == 52 {
                (self.year_sum, self.d_year)
            } else {
                let d_n = powi(self.d, n as i32);
                let sum = if (1.0 - self.d).abs() < 1e-12 {
                    n as f64
                } else {
                    (1.0 - d_n) / (1.0 - self.d)
                };
                (sum, d_n)
            };
            let pv = d_lo * sum;
            let items_pv = items / 52.0 * pv;
            let win = &mut out[self.window_of(lo)];
            win.revenue += self.weekly * q * v * pv + items_pv;
            win.margin += self.weekly * (q - self.cost_share) * v * pv + items_pv;
            d_lo *= d_n;
            q *= step;
            year_end += 52;
            lo = hi;
        }
    }

    /// Out of network over `[a, b)` at rate level `q` for the business kept,
    /// volume `v0 x^(w-a)`; `protected_weeks` of continuity of care from
    /// `a`. Split at window boundaries.
    fn out_of_network(
        &self,
        a: i64,
        b: i64,
        q: f64,
        v0: f64,
        protected_weeks: u32,
        out: &mut [Window],
    ) {
        let w = self.w;
        let x = 1.0 - w.weekly_switch_rate;
        let spill = w.other_revenue * w.spillover_share / 52.0;
        let mut lo = a;
        while lo < b {
            let hi = b.min((lo.div_euclid(self.term) + 1) * self.term);
            let n = (hi - lo) as u32;
            let v = v0 * powi(x, (lo - a) as i32);
            let kept = self.sum(lo, hi, x) * v * w.volume_retention;
            let win = &mut out[self.window_of(lo)];
            win.revenue += self.weekly * q * kept - spill * self.sum(lo, hi, 1.0);
            win.margin += self.weekly * (q - self.cost_share) * kept
                - spill * w.contribution_margin * self.sum(lo, hi, 1.0);
            let done = (lo - a) as u32;
            let protected = protected_weeks.saturating_sub(done).min(n);
            win.patient_weeks_out_of_network += w.attributed_patients
                * v
                * (geometric(x, n) - w.continuity_share * geometric(x, protected));
            lo = hi;
        }
    }
}

/// A switching episode: patients leave from its start; when it closes,
/// `return_share` of them come back if a contract follows.
fn close_episode(
    episode: &mut Option<f64>,
    v: &mut f64,
    contract_follows: bool,
    w: &World,
    out: &mut Window,
) {
    if let Some(v0) = episode.take() {
        let lost = (v0 - *v).max(0.0);
        if contract_follows {
            *v += w.return_share * lost;
            out.patients_switched += w.attributed_patients * lost * (1.0 - w.return_share);
        } else {
            out.patients_switched += w.attributed_patients * lost;
        }
    }
}

/// Value the courses of every renewal played (in order) over the horizon.
pub fn value(courses: &[Course], w: &World, terms: &Terms) -> Valuation {
    let n = courses.len().clamp(1, MAX_RENEWALS);
    let term = i64::from(terms.term_weeks);
    let horizon = term * terms.renewals as i64;
    // Hand-built worlds (tests) may not carry their discount factors.
    let discount = if w.discount.week > 0.0 {
        w.discount
    } else {
        super::world::Discount::new(w.discount_rate)
    };
    let pv = Pv {
        w,
        d: discount.week,
        d_year: discount.year,
        year_sum: discount.year_sum,
        weekly: w.annual_revenue / 52.0,
        cost_share: 1.0 - w.contribution_margin,
        term,
        renewals: terms.renewals.max(1),
    };
    let mut val = Valuation::default();
    let out = &mut val.by_renewal[..];
    let mut rate = Schedule::today();
    let mut items = 0.0;
    let mut in_force_from = 0i64;
    let mut v = 1.0f64;
    let protected = w.whole.continuity as u32;
    let letters_keep = 1.0 - w.pre_expiry_switch_rate;
    let oon_keep = 1.0 - w.weekly_switch_rate;
    let mut contract_to_horizon = true;

    for (r, c) in courses.iter().enumerate().take(n) {
        let expiry = r as i64 * term;
        let before = r == 0;
        let letters = c
            .letters_from
            .map(|f| (expiry + i64::from(f), expiry + i64::from(c.letters_to)));
        // The contract in force runs up to the letters, or to this expiry.
        if !before {
            let end = letters.map_or(expiry, |(from, _)| from);
            pv.in_network(in_force_from, end, &rate, v, 1.0, items, false, out);
        }
        let mut episode = None;
        if let Some((from, to)) = letters {
            episode = Some(v);
            pv.in_network(from, to, &rate, v, letters_keep, items, before, out);
            v *= powi(letters_keep, (to - from) as i32);
            if to < expiry {
                // A deal before expiry: the letters stop, some patients return.
                close_episode(&mut episode, &mut v, true, w, &mut out[r]);
                pv.in_network(to, expiry, &rate, v, 1.0, items, before, out);
            }
        }
        let level = if before {
            1.0
        } else {
            rate.level_at(expiry - 1)
        };
        let mut week = expiry;
        if c.rollover_weeks > 0 {
            // The notice (if any) is off: the old terms go on.
            close_episode(&mut episode, &mut v, true, w, &mut out[r]);
            let roll = Schedule {
                base: level,
                uplift: w.status_quo_escalator,
                start: expiry,
                flat: false,
            };
            let end = week + i64::from(c.rollover_weeks);
            pv.in_network(week, end, &roll, v, 1.0, items, false, out);
            week = end;
        }
        if c.oon_weeks > 0 || c.uplift.is_none() {
            episode.get_or_insert(v);
            let end = if c.uplift.is_some() {
                week + i64::from(c.oon_weeks)
            } else {
                horizon
            };
            pv.out_of_network(week, end, level, v, protected, out);
            v *= powi(oon_keep, (end - week) as i32);
            week = end;
        }
        for &(at, amount) in c.costs.iter() {
            let at = expiry + i64::from(at);
            let cost = amount * powi(pv.d, at as i32);
            let win = &mut out[pv.window_of(at)];
            win.costs += cost;
            win.margin -= cost;
        }
        match c.uplift {
            Some(u) => {
                close_episode(&mut episode, &mut v, true, w, &mut out[r]);
                rate = Schedule {
                    base: level,
                    uplift: u,
                    start: week,
                    flat: false,
                };
                items = c.items_value;
                in_force_from = week;
            }
            None => {
                close_episode(&mut episode, &mut v, false, w, &mut out[r]);
                contract_to_horizon = false;
                break;
            }
        }
    }
    if contract_to_horizon {
        pv.in_network(in_force_from, horizon, &rate, v, 1.0, items, false, out);
    }
    for win in &val.by_renewal[..pv.renewals.min(MAX_RENEWALS)] {
        val.total.add(win);
    }
    val
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlined_powi_is_f64_powi_to_the_bit() {
        // Exponents hidden from the optimiser, so `f64::powi` calls
        // `__powidf2` as it does in the valuation.
        let mut x = 0.731_f64;
        for i in 0..20_000 {
            x = (x * 3.987 + 0.123).fract() * 2.5;
            let n = std::hint::black_box((i % 1_201) - 600);
            let base = if i % 3 == 0 { 1.0 - x * 1e-3 } else { x };
            assert_eq!(
                powi(base, n).to_bits(),
                base.powi(n).to_bits(),
                "{base}^{n}"
            );
        }
        assert_eq!(powi(0.5, 0), 1.0);
        assert_eq!(powi(2.0, -2), 0.25);
    }
}
