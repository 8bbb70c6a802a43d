//! What happens when a bluff is called.
//!
//! A notice is a bluff when the provider will not leave at expiry: it was
//! never willing (`max_oon_weeks = 0`), or a split leadership withdrew it
//! ([`super::notice`]). If no deal is struck by expiry the payer calls it,
//! and it owes the provider no deadline concession. It picks the cheaper for
//! itself of:
//!
//! - **rescission**: the notice is withdrawn and the old terms roll over for
//!   the whole `contract.evergreen_weeks` at the status-quo escalator (the
//!   payer, holding every card, is in no hurry), then its final offer `F`
//!   (its reservation split with the old terms, talks having resumed,
//!   [`super::rollover::final_split`]) applies;
//! - **a cut offer**: its last offer less `payer.notice.called_bluff_cut`,
//!   from expiry. A payer that refused to talk offers from where it froze.
//!
//! The costs are compared by the same yearly-escalator arithmetic that
//! values contracts ([`super::rollover::term_value`]; undiscounted, and over
//! this term only). Without a roll-over
//! clause only the cut is possible. The provider's credibility falls for
//! later renewals ([`super::relationship`]).

use super::Setting;
use super::rollover::term_value;

/// How the payer settles a called bluff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CalledBluff {
    /// The old terms roll over this many weeks, then this final offer applies.
    Rescinded(u32, f64),
    /// The provider takes this cut offer from expiry.
    Cut(f64),
}

/// The payer's answer to a called bluff, given its last rate offer and its
/// final offer once talks resume.
pub fn called(set: &Setting, last_offer: f64, final_offer: f64) -> CalledBluff {
    let term = set.terms.term_weeks;
    let roll = set.terms.evergreen_weeks.min(term);
    let cut = last_offer - set.world.called_bluff_cut;
    if roll == 0 {
        return CalledBluff::Cut(cut);
    }
    let sq = set.world.status_quo_escalator;
    let rescind_cost = term_value(term, roll, sq, final_offer);
    let cut_cost = term_value(term, 0, 0.0, cut);
    if rescind_cost < cut_cost {
        CalledBluff::Rescinded(roll, final_offer)
    } else {
        CalledBluff::Cut(cut)
    }
}
