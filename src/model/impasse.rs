//! When staff talks are stuck.
//!
//! A Boulware payer is flat early by design: that is its tactic, not an
//! impasse. So the watch starts only after the opening exchange: the
//! provider's proposal is on the table (with its data, if it prepares any)
//! and the payer has answered it (`payer.response_weeks` later). From then
//! on, at each meeting, talks are stuck when over the last
//! `impasse.stall_weeks` the payer's offer closed less than
//! `impasse.min_gap_closure` of the gap between the provider's ask and that
//! offer at the start of the window:
//!
//! ```text
//! stuck at week w  <=>  offer(w) - offer(w0) < min_gap_closure * (ask(w0) - offer(w0)),
//!                       w0 = the last meeting at or before w - stall_weeks
//! ```
//!
//! Only the payer's movement counts: a gap closed by the provider's own
//! concessions is not progress. The first stuck meeting is the impasse.

/// Meetings remembered: more than the longest stall window (104 weeks at a
/// meeting a week).
const RING: usize = 128;

/// Watches the payer's offers for a stall.
#[derive(Debug, Clone)]
pub struct StallWatch {
    from_week: i32,
    window: i32,
    min_closure: f64,
    weeks: [i32; RING],
    offers: [f64; RING],
    gaps: [f64; RING],
    /// Meetings observed.
    count: usize,
    /// Index of the window's start meeting, once the watch has begun.
    start: Option<usize>,
}

impl StallWatch {
    /// A watch that begins at `from_week` (the end of the opening exchange).
    pub fn new(from_week: i32, stall_weeks: u32, min_closure: f64) -> Self {
        StallWatch {
            from_week,
            window: stall_weeks as i32,
            min_closure,
            weeks: [0; RING],
            offers: [0.0; RING],
            gaps: [0.0; RING],
            count: 0,
            start: None,
        }
    }

    /// Record a meeting (the payer's package offer and the gap between the
    /// provider's ask and the payer's rate offer); returns whether talks are
    /// stuck now.
    #[inline]
    pub fn observe(&mut self, week: i32, offer: f64, gap: f64) -> bool {
        let k = self.count;
        self.weeks[k % RING] = week;
        self.offers[k % RING] = offer;
        self.gaps[k % RING] = gap;
        self.count += 1;
        if week < self.from_week {
            return false;
        }
        let mut j = *self.start.get_or_insert(k);
        while j + 1 < k && self.weeks[(j + 1) % RING] <= week - self.window {
            j += 1;
        }
        self.start = Some(j);
        if j == k || self.weeks[j % RING] > week - self.window {
            return false;
        }
        let moved = offer - self.offers[j % RING];
        gap > 0.0 && moved < self.min_closure * self.gaps[j % RING]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_payer_is_stuck_only_after_the_exchange_and_a_full_window() {
        let mut w = StallWatch::new(-40, 8, 0.1);
        let mut stuck = Vec::new();
        for week in (-52..=-1).step_by(2) {
            if w.observe(week, 0.0, 0.05) {
                stuck.push(week);
            }
        }
        assert_eq!(stuck.first(), Some(&-32));
    }

    #[test]
    fn a_payer_closing_the_gap_is_not_stuck() {
        let mut w = StallWatch::new(-52, 8, 0.1);
        // Closes 0.002 a meeting on a 0.05 gap: 0.008 over 8 weeks = 16 %.
        for (k, week) in (-52..=-1).step_by(2).enumerate() {
            let offer = 0.002 * k as f64;
            assert!(!w.observe(week, offer, 0.06 - offer), "week {week}");
        }
    }
}
