//! The notice of non-renewal: how the payer reads it, and what it does to
//! the provider's own patients and board.
//!
//! A notice may be sent up to `contract.notice_weeks` before expiry. The
//! payer answers in one of three ways, by inversion of the renewal's
//! uniforms:
//!
//! - it **believes** the notice with probability `c`, the credibility
//!   (`payer.notice.credibility`, or `payer.notice.bluff_credibility` for a
//!   provider not willing to leave, adjusted by what the payer remembers,
//!   [`super::relationship`]): it expects to be terminated at expiry, so its
//!   deadline moves to expiry (see [`super::payer`]); its reservation rises
//!   by `payer.notice.reservation_gain` (scaled by the misaligned factor
//!   when leadership is split, and by the repeat-threat factor) and its
//!   tactic speeds to `payer.notice.exponent_after`;
//! - otherwise it **refuses to talk** until the contract ends: its offer
//!   freezes from the notice to expiry, and no non-rate item settles
//!   meanwhile. Refusing is a bet that the provider will not leave, so only
//!   a payer that does not believe the notice makes it: with probability
//!   `min(1, ρ / (1 − c))`, `ρ = payer.notice.refuse_to_talk_prob`, so that
//!   overall a share `min(ρ, 1 − c)` of payers refuses (`ρ` itself while
//!   `c ≤ 1 − ρ`);
//! - or it **ignores** it.
//!
//! Either way, unless a deal comes first, member letters go out
//! `provider.notice.letter_weeks` before expiry (or at the notice, if
//! later): from then until a deal (or expiry)
//! `provider.notice.pre_expiry_switch_rate` of the attributed patients
//! switch away each week. And a split leadership withdraws the
//! notice before expiry with probability
//! `provider.notice.misaligned_withdraw_prob`: at expiry the provider will
//! not leave after all, and the notice becomes a called bluff
//! ([`super::bluff`]).

use super::Setting;
use super::payer::{Effect, EffectKind, Payer};

/// How a notice was received.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Notice {
    /// Week it was sent.
    pub week: i32,
    /// The payer refused to talk until expiry.
    pub refused_to_talk: bool,
    /// The payer believed it.
    pub believed: bool,
    /// A split leadership will withdraw it before expiry.
    pub withdrawn: bool,
}

/// Send a notice at `week` and apply the payer's response.
pub fn give_notice(set: &Setting, payer: &mut Payer, week: i32) -> Notice {
    let w = set.world;
    let ev = &w.events[set.renewal];
    let withdrawn = !w.aligned(set.renewal) && ev.u_withdraw < w.misaligned_withdraw_prob;
    let credibility = set
        .memory
        .notice_credibility(w, set.plan.willing_to_leave());
    let believed = ev.u_notice_believed < credibility;
    if believed {
        payer.schedule(
            EffectKind::Notice,
            Effect {
                week,
                reservation_change: w.notice_reservation_gain
                    * set.alignment_scale()
                    * set.memory.threat_factor(w),
                faster_exponent: Some(w.notice_exponent_after),
                exponent_add: 0.0,
                deadline_to_expiry: true,
            },
        );
    } else if ev.u_refuse_to_talk * (1.0 - credibility) < w.refuse_to_talk_prob {
        // P(refuse | not believed) = min(1, ρ / (1 − c)), written without a
        // division so that c = 1 needs no special case.
        payer.frozen = Some(payer.standing_offer());
        return Notice {
            week,
            refused_to_talk: true,
            believed: false,
            withdrawn,
        };
    }
    Notice {
        week,
        refused_to_talk: false,
        believed,
        withdrawn,
    }
}
