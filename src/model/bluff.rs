//! What happens when a bluff is called.
//!
//! A notice is a bluff when the provider will not leave at expiry: it was
//! never willing (`max_oon_weeks = 0`), or a split leadership withdrew it
//! ([`super::notice`]). If no deal is struck by expiry the payer calls it,
//! and it owes the provider no deadline concession. It picks the cheaper for
//! itself of:
//!
//! - **rescission**: the notice is withdrawn and the old terms roll over for
//!   `contract.evergreen_weeks` at the status-quo escalator, then its last
//!   offer `x` applies; its cost over the term `T` in uplift-weeks is
//!   `escalator * R + x * (T - R)`;
//! - **a cut offer**: `x - payer.notice.called_bluff_cut` from expiry, cost
//!   `(x - cut) * T`.
//!
//! Without a roll-over clause only the cut is possible. The provider's
//! credibility falls for later renewals ([`super::relationship`]).

use super::Setting;

/// How the payer settles a called bluff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CalledBluff {
    /// The old terms roll over this many weeks, then the last offer applies.
    Rescinded(u32),
    /// The provider takes this cut offer from expiry.
    Cut(f64),
}

/// The payer's answer to a called bluff, given its last rate offer.
pub fn called(set: &Setting, last_offer: f64) -> CalledBluff {
    let term = f64::from(set.terms.term_weeks);
    let roll = set.terms.evergreen_weeks.min(set.terms.term_weeks);
    let cut = last_offer - set.world.called_bluff_cut;
    if roll == 0 {
        return CalledBluff::Cut(cut);
    }
    let r = f64::from(roll);
    let rescind_cost = set.world.status_quo_escalator * r + last_offer * (term - r);
    let cut_cost = cut * term;
    if rescind_cost < cut_cost {
        CalledBluff::Rescinded(roll)
    } else {
        CalledBluff::Cut(cut)
    }
}
