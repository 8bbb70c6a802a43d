//! At expiry with no deal and no notice: the roll-over, and why holding
//! out costs something.
//!
//! An evergreen contract rolls the old terms over at
//! `contract.status_quo_escalator` a year. Once expiry has passed, both
//! sides fall back on those old terms, so the payer's **final offer** splits
//! the zone between their escalator `s` and its reservation `r` (rate
//! terms) by the provider's bargaining weight `b`, as out of network does:
//! `F = s + b (r - s)` (or `r` when the payer cannot even match `s`).
//!
//! A payer in that position is in no hurry: with probability
//! `payer.stall_prob` it lets its last offer lapse and the old terms run
//! the whole evergreen period before it makes its final offer. Otherwise it
//! keeps talking to its own deadline, `payer.deadline_weeks` after expiry
//! ([`super::payer::PayerClock`]); its final offer is then never below the
//! last offer it had on the table, `max(x, F)`; and the provider takes the
//! best of
//!
//! - the payer's last offer `x` from expiry,
//! - the old terms until the payer's deadline, then the final offer,
//! - the old terms for the whole evergreen period, then the final offer,
//!
//! judged with what it can know: the final offer it expects,
//! `F̂ = s + b (r̂ - s)`, from the payer's reservation `r̂` projected along the expected
//! Boulware path ([`super::impasse`]); compared by the same yearly-escalator
//! arithmetic that values them ([`term_value`]; undiscounted, over this
//! term). The course chosen then pays the payer's true final offer. So a
//! provider that holds out to expiry gets the payer's last offer (below its
//! reservation while its deadline is later), or waits for a final offer
//! that splits the zone, and risks a year at the old terms: its staff-level
//! walk-away has a price on both sides, and a more patient payer (a later
//! deadline) is worse for it. (The walk-away is a bargaining position, not
//! the provider's alternative at expiry.)
//!
//! Without a roll-over clause the contract simply ends: a provider ready to
//! leave goes out of network ([`super::oon`]); one that is not takes the
//! last offer.

use super::Setting;

/// What happens at expiry without a deal or notice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choice {
    /// The provider takes the payer's last offer from expiry.
    Accept,
    /// The old terms roll over for this many weeks, then the payer's final
    /// offer applies; `stalled` when the payer let its offer lapse.
    RollOver {
        /// Weeks of old terms.
        weeks: u32,
        /// Whether the payer stalled (rather than the provider choosing it).
        stalled: bool,
    },
    /// The contract ends and the provider leaves the network.
    Leave,
}

/// The sum over a term's weeks of the rate level (today's = 1) when the
/// first `first_weeks` run at the old terms escalating `first` a year and a
/// contract escalating `then` a year starts after them. Both step on the
/// anniversaries of their own start, as [`super::revenue`] values them.
pub fn term_value(term_weeks: u32, first_weeks: u32, first: f64, then: f64) -> f64 {
    let levels = |from: u32, to: u32, uplift: f64| {
        let (mut sum, mut week, mut year) = (0.0, from, 1);
        while week < to {
            let end = (week + 52).min(to);
            sum += f64::from(end - week) * (1.0 + uplift).powi(year);
            week = end;
            year += 1;
        }
        sum
    };
    let split = first_weeks.min(term_weeks);
    levels(0, split, first) + levels(split, term_weeks, then)
}

/// The payer's final offer after expiry: the zone between the old terms'
/// escalator and its reservation (rate terms), split by the provider's
/// bargaining weight.
#[inline]
pub fn final_split(status_quo: f64, reservation: f64, weight: f64) -> f64 {
    if reservation > status_quo {
        status_quo + weight * (reservation - status_quo)
    } else {
        reservation
    }
}

/// What happens at expiry with no deal and no notice, given the payer's
/// last offer and the reservation the provider projects for it
/// (`deadline_weeks`: weeks after expiry of the payer's deadline, 0 when it
/// is expiry).
pub fn at_expiry(
    set: &Setting,
    last_offer: f64,
    projected_reservation: f64,
    deadline_weeks: u32,
) -> Choice {
    let (term, evergreen) = (set.terms.term_weeks, set.terms.evergreen_weeks);
    if evergreen == 0 {
        return if set.plan.willing_to_leave() {
            Choice::Leave
        } else {
            Choice::Accept
        };
    }
    let full = evergreen.min(term);
    if set.world.events[set.renewal].u_stall < set.world.payer_stall_prob {
        return Choice::RollOver {
            weeks: full,
            stalled: true,
        };
    }
    let sq = set.world.status_quo_escalator;
    // A payer that keeps talking never offers less than its last offer.
    let expected = if projected_reservation.is_finite() {
        final_split(sq, projected_reservation, set.world.bargaining_weight).max(last_offer)
    } else {
        last_offer
    };
    let short = deadline_weeks.min(full);
    let mut best = (term_value(term, 0, 0.0, last_offer), Choice::Accept);
    for weeks in [short, full] {
        let v = term_value(term, weeks, sq, expected);
        if weeks > 0 && v > best.0 {
            best = (
                v,
                Choice::RollOver {
                    weeks,
                    stalled: false,
                },
            );
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_value_steps_on_each_start_anniversary() {
        // A year at 1.00, then a contract at 3 %: 52 x 1 + 52 x 1.03 + 52 x 1.0609.
        let v = term_value(156, 52, 0.0, 0.03);
        assert!((v - 52.0 * (1.0 + 1.03 + 1.0609)).abs() < 1e-9);
        // The contract from expiry: 52 x (1.03 + 1.0609 + 1.092727).
        let v = term_value(156, 0, 0.0, 0.03);
        assert!((v - 52.0 * (1.03 + 1.0609 + 1.092727)).abs() < 1e-9);
        // A roll-over escalating 3.3 % for a year beats taking 3 % at once
        // only if what follows is better too.
        assert!(term_value(156, 52, 0.033, 0.03) < term_value(156, 0, 0.0, 0.03));
    }
}
