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
//! linear, `e < 1` Conceder. Meetings use relative time `t_k = (k+1)/(n+1)`.

/// The threshold of a side with the given start, reservation and exponent at
/// relative time `t` in [0, 1].
#[inline]
pub fn threshold(start: f64, reservation: f64, exponent: f64, t: f64) -> f64 {
    start + (reservation - start) * t.powf(exponent)
}

/// Same as [`threshold`] with `ln t` precomputed (`t^e = exp(e ln t)`), for
/// the hot loop.
#[inline]
pub fn threshold_ln(start: f64, reservation: f64, exponent: f64, ln_t: f64) -> f64 {
    start + (reservation - start) * (exponent * ln_t).exp()
}

/// Relative time of meeting `k` (0-based) among `n`: `(k+1)/(n+1)`.
#[inline]
pub fn relative_time(k: usize, n: usize) -> f64 {
    (k + 1) as f64 / (n + 1) as f64
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
        let t: f64 = relative_time(2, 9);
        assert!(
            (threshold_ln(0.1, 0.02, 3.0, t.ln()) - threshold(0.1, 0.02, 3.0, t)).abs() < 1e-15
        );
    }
}
