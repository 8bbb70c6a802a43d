//! The agenda: non-rate items traded as a package with the rate.
//!
//! With `agenda = "all-issues"` the provider tables every `[[item]]` it asks
//! for, and the payer answers with its own counter-asks (`asked_by =
//! "payer"`). An item settles at staff level `item.weeks` after talks open,
//! won by the asking side when the item's uniform is below `p_win_staff`;
//! one of the provider's items not won there is won when the executives
//! engage, if the uniform is below `p_win_exec`. Items still unsettled when
//! a deal is struck before expiry are dropped; while talks go on past expiry
//! (a roll-over, out of network) those due by then still settle.
//!
//! Each item settled moves both sides' rate thresholds *by its full value at
//! every point in time* (a package, not a discount that fades with `t^e`).
//! Items won are contract language: they stay in every later contract
//! (neither side reopens them), just as a rate level carries into the next
//! term. The rate is a yearly escalator: over the `H` years left in the
//! horizon, with terms of `Y` years, an uplift `u` agreed now raises
//! revenue by about `A u (1 + 2 + ... + Y) = A u Y (Y + 1) / 2` over this
//! term and `A u Y` a year after it, against `V H` for an item worth `V` a
//! year. So an item is worth
//!
//! ```text
//! p = V H / (A (Y (Y + 1) / 2 + Y (H - Y)))
//! ```
//!
//! escalator points (`A` the yearly revenue at today's rates; `2 V / (A (Y +
//! 1))` when this is the last term counted). With `s` its transfer share:
//!
//! ```text
//! provider's item won:  payer's rate threshold  - s p   (its real cost)
//!                       provider's rate threshold - p   (what it is worth)
//! payer's counter-ask:  payer's rate threshold  + s p
//!                       provider's rate threshold + p
//! ```
//!
//! So an item creates value `(1 - s) V` beyond a transfer (rework avoided),
//! and a counter-ask destroys the same share of its cost: whether
//! `all-issues` pays depends on that balance, which a user can see and sweep.

use super::plan::Terms;
use super::world::World;

/// Escalator points a year worth one dollar a year from renewal `r` to the
/// horizon: `H / (A (Y (Y + 1) / 2 + Y (H - Y)))`, with `Y` the term and `H`
/// the years left, both in years.
pub fn points_per_dollar(world: &World, terms: &Terms, r: usize) -> f64 {
    let y = f64::from(terms.term_weeks) / 52.0;
    let h = y * terms.renewals.saturating_sub(r).max(1) as f64;
    h / (world.annual_revenue.max(f64::MIN_POSITIVE) * (y * (y + 1.0) / 2.0 + y * (h - y)))
}

/// Most items a scenario may list.
pub const MAX_ITEMS: usize = 64;

/// The items on the table at one renewal, and what has settled so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    active: bool,
    renewal: usize,
    opening_week: i32,
    points_per_dollar: f64,
    /// Week of the executive meeting, if the executives engage.
    exec_week: Option<i32>,
    /// Items settled (won by their side), as bits, including those won at
    /// earlier renewals.
    settled: u64,
    next_week: i32,
    /// How much lower the payer's rate threshold is, in uplift points.
    pub payer_shift: f64,
    /// How much lower the provider's rate threshold is, in uplift points.
    pub provider_credit: f64,
    /// Net yearly value to the provider of the items in the contract,
    /// dollars (those settled now and those won at earlier renewals).
    pub value: f64,
}

impl Agenda {
    /// The agenda of a strategy at renewal `r`: empty for `rate-only`.
    /// Items in `won` (bits, from earlier renewals) are already in the
    /// contract: their value counts, and they are not traded again.
    pub fn new(
        world: &World,
        terms: &Terms,
        all_issues: bool,
        r: usize,
        opening_week: i32,
        won: u64,
    ) -> Self {
        let active = all_issues && !world.items.is_empty();
        let value = world
            .items
            .iter()
            .enumerate()
            .take(MAX_ITEMS)
            .filter(|(i, _)| won & (1 << i) != 0)
            .map(|(_, item)| item.signed_value())
            .sum();
        Agenda {
            active,
            renewal: r,
            opening_week,
            points_per_dollar: points_per_dollar(world, terms, r),
            exec_week: None,
            settled: won,
            next_week: if active { opening_week } else { i32::MAX },
            payer_shift: 0.0,
            provider_credit: 0.0,
            value,
        }
    }

    /// Earliest week an item may still settle (`i32::MAX` when none).
    pub fn next_week(&self) -> i32 {
        self.next_week
    }

    /// The items settled so far (and before), as bits.
    pub fn settled(&self) -> u64 {
        self.settled
    }

    /// The executives engage at `week`: the provider's items not won at
    /// staff level get their second chance then.
    pub fn executives_engage(&mut self, week: i32) {
        if self.active {
            self.exec_week = Some(week);
            self.next_week = self.next_week.min(week);
        }
    }

    /// Settle every item whose week has come.
    #[inline]
    pub fn advance_to(&mut self, world: &World, week: i32) {
        if week < self.next_week {
            return;
        }
        self.next_week = i32::MAX;
        for (i, item) in world.items.iter().enumerate().take(MAX_ITEMS) {
            if self.settled & (1 << i) != 0 {
                continue;
            }
            let u = item.u_win[self.renewal];
            let when = if u < item.p_win_staff {
                Some(self.opening_week + item.settle_weeks)
            } else if !item.payer_asks && u < item.p_win_exec {
                self.exec_week
            } else {
                None
            };
            match when {
                Some(w) if w <= week => {
                    self.settled |= 1 << i;
                    let points = item.signed_value() * self.points_per_dollar;
                    self.payer_shift += item.transfer_share * points;
                    self.provider_credit += points;
                    self.value += item.signed_value();
                }
                Some(w) => self.next_week = self.next_week.min(w),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::WorldItem;

    fn terms() -> Terms {
        // A one-year term: a dollar a year is worth 1 / A escalator points.
        Terms {
            term_weeks: 52,
            renewals: 1,
            horizon_weeks: 52,
            evergreen_weeks: 0,
            notice_deadline: -13,
            impasse_min_gap: 0.0025,
            expected_payer_exponent: 4.0,
            stall_weeks: 8,
        }
    }

    fn world() -> World {
        let mut w = World {
            annual_revenue: 100e6,
            ..World::default()
        };
        let item = |payer_asks, value, u| WorldItem {
            payer_asks,
            annual_value: value,
            transfer_share: 0.5,
            weeks: 10.0,
            settle_weeks: 10,
            p_win_staff: 0.4,
            p_win_exec: 0.8,
            u_win: [u; crate::scenario::MAX_RENEWALS],
        };
        w.items = vec![
            item(false, 1e6, 0.2),  // won at staff
            item(false, 2e6, 0.6),  // won only with executives
            item(true, 0.5e6, 0.1), // the payer's counter-ask, won
        ];
        w
    }

    #[test]
    fn items_settle_at_their_week_and_with_the_executives() {
        let w = world();
        let mut a = Agenda::new(&w, &terms(), true, 0, -52, 0);
        a.advance_to(&w, -43);
        assert_eq!(a.value, 0.0);
        a.advance_to(&w, -42);
        // Item 1 (+1M) and the counter-ask (-0.5M).
        assert!((a.value - 0.5e6).abs() < 1e-6);
        assert!((a.provider_credit - 0.005).abs() < 1e-12);
        assert!((a.payer_shift - 0.0025).abs() < 1e-12);
        a.executives_engage(-20);
        a.advance_to(&w, -21);
        assert!((a.value - 0.5e6).abs() < 1e-6);
        a.advance_to(&w, -20);
        assert!((a.value - 2.5e6).abs() < 1e-6);
        assert!((a.payer_shift - 0.0125).abs() < 1e-12);
    }

    #[test]
    fn items_won_before_count_but_are_not_traded_again() {
        let w = world();
        let mut a = Agenda::new(&w, &terms(), true, 0, -52, 0b001);
        assert!((a.value - 1e6).abs() < 1e-6);
        a.advance_to(&w, -42);
        // Only the counter-ask is traded now.
        assert!((a.value - 0.5e6).abs() < 1e-6);
        assert!((a.provider_credit + 0.005).abs() < 1e-12);
    }

    #[test]
    fn a_rate_point_that_outlives_the_term_buys_fewer_items() {
        // Three-year terms, two renewals: H = 6, Y = 3, so a dollar a year is
        // worth 6 / (A (6 + 9)) points; in the last term 2 / (A 4).
        let mut t = terms();
        t.term_weeks = 156;
        t.renewals = 2;
        let w = World {
            annual_revenue: 1.0,
            ..World::default()
        };
        assert!((points_per_dollar(&w, &t, 0) - 0.4).abs() < 1e-12);
        assert!((points_per_dollar(&w, &t, 1) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn rate_only_tables_nothing() {
        let w = world();
        let mut a = Agenda::new(&w, &terms(), false, 0, -52, 0);
        a.advance_to(&w, 100);
        assert_eq!((a.value, a.payer_shift, a.provider_credit), (0.0, 0.0, 0.0));
    }
}
