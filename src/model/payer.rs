//! The payer's staff position on one path, at one renewal, under one
//! strategy: its reservation and tactic, the standing offer on the table,
//! and the effects of the provider's moves waiting for their week.
//!
//! **The payer's clock.** Each side concedes toward its own deadline
//! (Faratin, Sierra & Jennings 1998 give each agent its own `t_max`). The
//! provider's deadline is expiry: its relative time reaches 1 at the
//! deadline session in the last week before it. A payer whose old terms can
//! roll over is in no hurry: its deadline is `payer.deadline_weeks` after
//! expiry (at most the evergreen period), so at expiry it has not yet
//! reached its reservation, and its last offer is lower the more patient it
//! is. A believed notice, or a contract without roll-over, pulls the
//! payer's deadline to expiry (the payer then runs on the provider's clock).
//!
//! Offers are tracked in *package* terms: the payer's threshold before the
//! non-rate items settled so far are traded against the rate
//! ([`super::items`]). The standing package offer never falls (a payer does
//! not withdraw an offer on the table); its rate offer is the package less
//! the net cost of the items won.

/// A change to the payer's position from a given week on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Effect {
    /// First week (relative to expiry) at which the effect holds.
    pub week: i32,
    /// Change of the payer's reservation, in uplift points a year.
    pub reservation_change: f64,
    /// The payer's new concession exponent, if the effect speeds its tactic
    /// (the lower of this and the current one is kept).
    pub faster_exponent: Option<f64>,
    /// Added to the concession exponent (a slower tactic), after any speed-up.
    pub exponent_add: f64,
    /// Whether the payer's deadline moves to expiry (a believed notice).
    pub deadline_to_expiry: bool,
}

/// Which effect a slot of [`Payer`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectKind {
    /// The provider's documented case is ready.
    Data = 0,
    /// The payer's executives engaged.
    Executives = 1,
    /// The payer believed the notice.
    Notice = 2,
    /// A refused escalation hardened the staff.
    Backlash = 3,
}

/// `ln` of a whole number of weeks, from a table for the usual spans.
fn ln_weeks(weeks: i32) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| (0..2048).map(|k| f64::from(k).ln()).collect());
    match usize::try_from(weeks) {
        Ok(k) if k < table.len() => table[k],
        _ => f64::from(weeks).ln(),
    }
}

/// The payer's relative time toward its own deadline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PayerClock {
    /// `ln` of the weeks from the opening of talks to the payer's deadline,
    /// when that deadline is after expiry; `None` when it is expiry (the
    /// payer then runs on the provider's clock).
    pub ln_span: Option<f64>,
    /// Weeks after expiry that the payer's deadline falls (0: expiry).
    pub weeks_after_expiry: u32,
}

impl PayerClock {
    /// The clock of a payer facing talks that open at `opening_week`, in a
    /// contract whose old terms roll over for `evergreen_weeks` (0: none).
    pub fn new(world: &super::World, evergreen_weeks: u32, opening_week: i32) -> Self {
        let after = if evergreen_weeks > 0 {
            (world.whole.payer_deadline as u32).min(evergreen_weeks)
        } else {
            0
        };
        let span = after as i32 - opening_week;
        PayerClock {
            ln_span: (after > 0 && span > 0).then(|| ln_weeks(span)),
            weeks_after_expiry: after,
        }
    }

    /// The payer's `ln t` at a meeting.
    #[inline]
    pub fn ln_t(&self, m: &super::plan::Meeting) -> f64 {
        match self.ln_span {
            Some(span) => m.ln_elapsed - span,
            None => m.ln_t,
        }
    }
}

/// Number of effect kinds.
pub const EFFECT_KINDS: usize = 4;

/// The payer's staff position.
#[derive(Debug, Clone, PartialEq)]
pub struct Payer {
    /// Opening offer, per year.
    pub opening_offer: f64,
    /// Current reservation (highest yearly uplift its staff will grant).
    pub reservation: f64,
    /// Current concession exponent.
    pub exponent: f64,
    /// The package offer on the table (`-inf` before the first meeting).
    pub standing: f64,
    /// Package offer frozen by a refusal to talk, until expiry.
    pub frozen: Option<f64>,
    /// Whether the payer's deadline has moved to expiry.
    pub deadline_at_expiry: bool,
    pending: [Option<Effect>; EFFECT_KINDS],
    applied: [bool; EFFECT_KINDS],
    /// Earliest week of a pending effect (`i32::MAX` when none): lets
    /// [`Payer::advance_to`] return at once on most meetings.
    next_week: i32,
}

impl Payer {
    /// The position at the opening of talks.
    pub fn new(opening_offer: f64, reservation: f64, exponent: f64) -> Self {
        Payer {
            opening_offer,
            reservation,
            exponent,
            standing: f64::NEG_INFINITY,
            frozen: None,
            deadline_at_expiry: false,
            pending: [None; EFFECT_KINDS],
            applied: [false; EFFECT_KINDS],
            next_week: i32::MAX,
        }
    }

    /// Schedule an effect (replaces any earlier one of the same kind).
    pub fn schedule(&mut self, kind: EffectKind, effect: Effect) {
        self.pending[kind as usize] = Some(effect);
        self.next_week = self.next_week.min(effect.week);
    }

    /// Apply every scheduled effect whose week has come; returns the kinds
    /// applied now (for timelines).
    #[inline]
    pub fn advance_to(&mut self, week: i32) -> [bool; EFFECT_KINDS] {
        let mut now = [false; EFFECT_KINDS];
        if week < self.next_week {
            return now;
        }
        self.next_week = i32::MAX;
        for (i, slot) in self.pending.iter_mut().enumerate() {
            match slot {
                Some(e) if e.week <= week => {
                    self.reservation += e.reservation_change;
                    if let Some(x) = e.faster_exponent {
                        self.exponent = self.exponent.min(x);
                    }
                    self.exponent += e.exponent_add;
                    self.deadline_at_expiry |= e.deadline_to_expiry;
                    self.applied[i] = true;
                    now[i] = true;
                    *slot = None;
                }
                Some(e) => self.next_week = self.next_week.min(e.week),
                None => {}
            }
        }
        now
    }

    /// Earliest week of an effect still pending (`i32::MAX` when none).
    pub fn next_effect_week(&self) -> i32 {
        self.next_week
    }

    /// Whether an effect of this kind has taken hold.
    pub fn applied(&self, kind: EffectKind) -> bool {
        self.applied[kind as usize]
    }

    /// The payer's package threshold given `t^e` for its current exponent:
    /// `opening + max(reservation - opening, 0) t^e` (a payer never offers
    /// less than its opening offer on the package).
    #[inline]
    pub fn threshold_at_power(&self, power: f64) -> f64 {
        let room = (self.reservation - self.opening_offer).max(0.0);
        self.opening_offer + room * power
    }

    /// The package threshold at relative time `exp(ln_t)`, or the frozen
    /// offer while the payer refuses to talk.
    #[inline]
    pub fn threshold(&self, ln_t: f64, power: Option<f64>) -> f64 {
        if let Some(f) = self.frozen {
            return f;
        }
        let power = power.unwrap_or_else(|| (self.exponent * ln_t).exp());
        self.threshold_at_power(power)
    }

    /// Put the payer's package offer for this meeting on the table: never
    /// below the standing one. Returns it.
    #[inline]
    pub fn offer(&mut self, threshold: f64) -> f64 {
        if self.frozen.is_none() {
            self.standing = self.standing.max(threshold);
        }
        self.standing
    }

    /// The package offer on the table (the opening offer before any meeting).
    pub fn standing_offer(&self) -> f64 {
        if self.standing.is_finite() {
            self.standing
        } else {
            self.opening_offer
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects_apply_in_their_week_and_backlash_slows_after_a_speed_up() {
        let mut p = Payer::new(0.0, 0.03, 4.0);
        p.schedule(
            EffectKind::Executives,
            Effect {
                week: -20,
                reservation_change: 0.01,
                faster_exponent: Some(1.0),
                exponent_add: 0.0,
                deadline_to_expiry: false,
            },
        );
        p.schedule(
            EffectKind::Backlash,
            Effect {
                week: -30,
                reservation_change: -0.0025,
                faster_exponent: None,
                exponent_add: 2.0,
                deadline_to_expiry: false,
            },
        );
        assert_eq!(p.advance_to(-31), [false; 4]);
        assert_eq!(p.advance_to(-30), [false, false, false, true]);
        assert_eq!(p.exponent, 6.0);
        assert_eq!(p.advance_to(-20), [false, true, false, false]);
        assert_eq!(p.exponent, 1.0);
        assert!((p.reservation - 0.0375).abs() < 1e-15);
        assert!(p.applied(EffectKind::Backlash) && p.applied(EffectKind::Executives));
    }

    #[test]
    fn offers_never_fall_and_freeze_when_the_payer_refuses_to_talk() {
        let mut p = Payer::new(0.0, 0.03, 1.0);
        assert_eq!(p.offer(0.01), 0.01);
        assert_eq!(p.offer(0.005), 0.01);
        p.frozen = Some(p.standing);
        assert_eq!(p.threshold(0.0, None), 0.01);
        assert_eq!(p.offer(0.02), 0.01);
    }
}
