//! At expiry with no deal and no notice: the rational roll-over.
//!
//! An evergreen contract rolls the old terms over for
//! `contract.evergreen_weeks` at `contract.status_quo_escalator` a year.
//! Bargaining goes on during the roll-over, but the payer, whose deadline
//! has passed and who pays the old rates meanwhile, has no reason to move:
//! the roll-over ends at its last offer. So the provider takes the better of
//! the payer's last offer now and the roll-over: it rolls over only when the
//! old terms' escalator beats the offer. (Its staff-level walk-away is a
//! bargaining position, not its alternative at expiry.)
//!
//! Without a roll-over clause the contract simply ends: a provider ready to
//! leave goes out of network ([`super::oon`]); one that is not takes the
//! last offer.

use super::Setting;

/// What the provider does at expiry without notice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choice {
    /// Take the payer's last offer from expiry.
    Accept,
    /// Let the old terms roll over for this many weeks, then the last offer.
    RollOver(u32),
    /// The contract ends and the provider leaves the network.
    Leave,
}

/// The provider's choice at expiry with no deal and no notice.
pub fn at_expiry(set: &Setting, last_offer: f64) -> Choice {
    let roll = set.terms.evergreen_weeks.min(set.terms.term_weeks);
    if roll > 0 {
        if set.world.status_quo_escalator > last_offer {
            Choice::RollOver(roll)
        } else {
            Choice::Accept
        }
    } else if set.plan.willing_to_leave() {
        Choice::Leave
    } else {
        Choice::Accept
    }
}
