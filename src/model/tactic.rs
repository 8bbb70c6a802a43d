//! The time-dependent concession tactic both sides follow in staff talks.
//!
//! Faratin, Sierra & Jennings (1998), "Negotiation decision functions for
//! autonomous agents", polynomial family, with the exponent written directly
//! as in NegMAS:
//!
//! ```text
//! threshold(t) = start + (reservation - start) * t^e        0 <= t <= 1
//! ```
//!
//! `e > 1` is Boulware (holds firm and concedes near the deadline), `e = 1`
//! linear, `e < 1` Conceder.
//!
//! Time is calendar time, not a meeting count: `t` runs from 0 when talks
//! open to 1 at the deadline session in the last week before expiry
//! ([`calendar_time`]). That is the provider's clock; the payer runs toward
//! its own deadline, `payer.deadline_weeks` after expiry while the old terms
//! can roll over ([`super::payer::PayerClock`]). So how often the sides meet
//! changes only how finely the curves are sampled, not where each side ends
//! up.

/// The threshold of a side with the given start, reservation and exponent at
/// relative time `t` in [0, 1].
#[inline]
pub fn threshold(start: f64, reservation: f64, exponent: f64, t: f64) -> f64 {
    start + (reservation - start) * t.powf(exponent)
}

/// Relative time of week `week` in talks that open at `opening_week`: 0 at
/// the opening, 1 at the deadline session (week -1), linear in weeks
/// between. Talks that open at week -1 are all deadline.
#[inline]
pub fn calendar_time(week: i32, opening_week: i32) -> f64 {
    if opening_week >= -1 {
        1.0
    } else {
        (f64::from(week - opening_week) / f64::from(-1 - opening_week)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boulware_holds_firm_conceder_gives_early() {
        let boulware = threshold(0.0, 0.04, 4.0, 0.5);
        let linear = threshold(0.0, 0.04, 1.0, 0.5);
        let conceder = threshold(0.0, 0.04, 0.25, 0.5);
        assert!(boulware < linear && linear < conceder);
        assert!((linear - 0.02).abs() < 1e-15);
        assert!((threshold(0.0, 0.04, 4.0, 1.0) - 0.04).abs() < 1e-15);
    }

    #[test]
    fn calendar_time_runs_from_opening_to_the_deadline_session() {
        assert_eq!(calendar_time(-53, -53), 0.0);
        assert_eq!(calendar_time(-1, -53), 1.0);
        assert_eq!(calendar_time(-27, -53), 0.5);
        assert_eq!(calendar_time(-1, -1), 1.0);
    }
}
