//! When staff talks are stuck.
//!
//! A Boulware payer is flat early by design: that is its tactic, not an
//! impasse. Any test on raw movement ("the offer moved less than x in 8
//! weeks") flags every such payer halfway through talks, so the impasse
//! becomes a fixed date. Instead the provider reads the payer's offers the
//! way a seasoned negotiator does, *against the path a firm payer is
//! expected to follow*: with the payer's opening offer `o`, its package
//! offer `O` at relative time `t` on the payer's own clock
//! ([`super::payer::PayerClock`]) and the exponent the provider expects of
//! payers `ê` (`impasse.expected_payer_exponent`), the payer's reservation
//! (the offer it would make at its own deadline) projected along that path
//! is
//!
//! ```text
//! R̂ = o + (O - o) / t^ê
//! ```
//!
//! Talks are stuck at a meeting when that projection, in rate terms, falls
//! short of the provider's walk-away by more than `impasse.min_gap`; an
//! impasse is declared when they have been stuck at every meeting for
//! `impasse.stall_weeks`. The watch starts only after the opening exchange:
//! the proposal is on the table (with the provider's data, if it prepares
//! any) and the payer has answered it (`payer.response_weeks`).
//!
//! So an impasse is a judgement, and it can be wrong both ways: a payer
//! firmer than expected (`e > ê`) looks stuck early, and one softer than
//! expected hides a real shortfall until late. A payer that refuses to talk
//! after a notice freezes its offer, and its projection falls week by week.
//! The projection at the deadline session is also what the provider expects
//! of the payer at expiry ([`super::rollover`]).

/// Watches the payer's offers for a sustained shortfall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpasseWatch {
    from_week: i32,
    window: i32,
    min_gap: f64,
    /// First week of the current run of stuck meetings.
    stuck_since: Option<i32>,
}

impl ImpasseWatch {
    /// A watch that begins at `from_week` (the end of the opening exchange).
    pub fn new(from_week: i32, stall_weeks: u32, min_gap: f64) -> Self {
        ImpasseWatch {
            from_week,
            window: stall_weeks as i32,
            min_gap,
            stuck_since: None,
        }
    }

    /// The payer's reservation (its offer at its own deadline) projected
    /// from its package offer `offer` when `power = t^ê`, its opening offer
    /// being `opening`.
    #[inline]
    pub fn projected_final_offer(power: f64, opening: f64, offer: f64) -> f64 {
        if power > 0.0 {
            opening + (offer - opening) / power
        } else {
            f64::INFINITY
        }
    }

    /// Record a meeting at `week`, where `power = t^ê`: the payer's opening
    /// and standing package offers, the net cost of items to the payer (its
    /// rate offer is the package less this) and the provider's walk-away in
    /// rate terms. Returns whether an impasse holds now.
    #[inline]
    pub fn observe(
        &mut self,
        week: i32,
        power: f64,
        opening: f64,
        offer: f64,
        payer_shift: f64,
        walk_away: f64,
    ) -> bool {
        if week < self.from_week {
            return false;
        }
        let stuck = self.stuck(power, opening, offer, payer_shift, walk_away);
        self.record(week, stuck)
    }

    /// Whether the watch has begun by `week`.
    #[inline]
    pub fn started(&self, week: i32) -> bool {
        week >= self.from_week
    }

    /// Week the watch begins (the end of the opening exchange).
    pub fn from_week(&self) -> i32 {
        self.from_week
    }

    /// Whether talks look stuck at a meeting (see [`ImpasseWatch::observe`]).
    #[inline]
    pub fn stuck(
        &self,
        power: f64,
        opening: f64,
        offer: f64,
        payer_shift: f64,
        walk_away: f64,
    ) -> bool {
        // walk_away - (opening + (offer - opening) / power - shift) > gap,
        // without the division: (offer - opening) < (walk_away + shift -
        // opening - gap) power (power > 0; at power 0 nothing is projected).
        power > 0.0 && offer - opening < (walk_away + payer_shift - opening - self.min_gap) * power
    }

    /// Record whether talks are stuck at `week` (a meeting after the watch
    /// began); returns whether an impasse holds now.
    #[inline]
    pub fn record(&mut self, week: i32, stuck: bool) -> bool {
        if stuck {
            let since = *self.stuck_since.get_or_insert(week);
            week - since >= self.window
        } else {
            self.stuck_since = None;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A payer on the expected path with a reservation `r`: offers `r t^4`
    /// from 0, every two weeks from week -52, t = (w + 52) / 51.
    fn first_impasse(r: f64, e: f64, walk_away: f64) -> Option<i32> {
        let mut watch = ImpasseWatch::new(-40, 8, 0.0025);
        (-52..=-1).step_by(2).find(|&w| {
            let t = f64::from(w + 52) / 51.0;
            watch.observe(w, t.powi(4), 0.0, r * t.powf(e), 0.0, walk_away)
        })
    }

    #[test]
    fn a_payer_that_will_meet_the_walk_away_is_never_stuck() {
        assert_eq!(first_impasse(0.03, 4.0, 0.02), None);
    }

    #[test]
    fn a_payer_that_cannot_meet_it_is_stuck_a_window_after_the_exchange() {
        assert_eq!(first_impasse(0.01, 4.0, 0.02), Some(-32));
    }

    #[test]
    fn a_firmer_payer_than_expected_looks_stuck_early_a_softer_one_late() {
        // e = 6 with enough room: stuck early, until its offers catch up.
        assert_eq!(first_impasse(0.03, 6.0, 0.02), Some(-32));
        // e = 3 with too little room: its projection R / t falls short of
        // 0.0175 only from t > 0.686 (week -16): the impasse comes at -8.
        assert_eq!(first_impasse(0.012, 3.0, 0.02), Some(-8));
    }

    #[test]
    fn a_frozen_offer_becomes_an_impasse() {
        let mut watch = ImpasseWatch::new(-52, 4, 0.0025);
        let hits: Vec<i32> = (-20..=-1)
            .filter(|&w| {
                let t = f64::from(w + 52) / 51.0;
                watch.observe(w, t.powi(4), 0.0, 0.01, 0.0, 0.02)
            })
            .collect();
        // The projection 0.01 / t^4 falls below 0.0175 from week -7: stuck
        // since then, an impasse four weeks later.
        assert_eq!(hits.first(), Some(&-3));
    }
}
