//! What the payer remembers from one renewal to the next.
//!
//! A strategy is a policy applied at every renewal counted
//! (`contract.renewals`); the payer across the table is the same, and it
//! remembers (parameters under `[relationship]`):
//!
//! - a **called bluff**: later notices are believed `called_bluff_credibility`
//!   times as often;
//! - a **real out-of-network episode**: later notices lose part of the doubt,
//!   `c -> c + (1 - c) * oon_credibility_gain`;
//! - a **threat seen before** (a notice that did not end out of network):
//!   later notices move its reservation `repeat_threat_factor` times as much;
//! - **executives who refused**: a later escalation succeeds
//!   `payer.exec.retry_factor` times as often;
//! - a **backlash**: its slower tactic and lost discretion carry over, scaled
//!   by `backlash_memory` each renewal;
//! - **goodwill**: a renewal settled before expiry with no notice and no
//!   backlash raises the payer's reservation by `goodwill_gain` at the next;
//! - **items won**: non-rate terms stay in the contract ([`super::items`]).

use super::RenewalOutcome;
use super::world::World;

/// The payer's memory of earlier renewals on one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    /// Product of the credibility factors of called bluffs so far.
    pub credibility_factor: f64,
    /// Whether the provider has gone out of network before.
    pub left_before: bool,
    /// Whether the payer has seen a notice that came to nothing.
    pub threat_seen: bool,
    /// Whether the executives refused the last escalation.
    pub exec_refused: bool,
    /// Backlash carried over: added to the payer's exponent.
    pub backlash_exponent: f64,
    /// Backlash carried over: taken off the payer's reservation.
    pub backlash_loss: f64,
    /// Goodwill built so far, added to the payer's reservation.
    pub goodwill: f64,
    /// Non-rate items in the contract (bits): once won they stay.
    pub items_won: u64,
}

impl Default for Memory {
    fn default() -> Self {
        Memory::fresh()
    }
}

impl Memory {
    /// The first renewal: nothing remembered.
    pub fn fresh() -> Self {
        Memory {
            credibility_factor: 1.0,
            left_before: false,
            threat_seen: false,
            exec_refused: false,
            backlash_exponent: 0.0,
            backlash_loss: 0.0,
            goodwill: 0.0,
            items_won: 0,
        }
    }

    /// The payer's staff reservation at this renewal.
    pub fn payer_reservation(&self, w: &World) -> f64 {
        w.payer_reservation + self.goodwill - self.backlash_loss
    }

    /// The payer's concession exponent at this renewal.
    pub fn payer_exponent(&self, w: &World) -> f64 {
        w.payer_exponent + self.backlash_exponent
    }

    /// The probability a notice is believed, for a provider willing to leave
    /// or not.
    pub fn notice_credibility(&self, w: &World, willing: bool) -> f64 {
        let base = if willing {
            w.notice_credibility
        } else {
            w.bluff_credibility
        };
        let c = base * self.credibility_factor;
        if self.left_before {
            c + (1.0 - c) * w.oon_credibility_gain
        } else {
            c
        }
    }

    /// Factor on a believed notice's reservation gain.
    pub fn threat_factor(&self, w: &World) -> f64 {
        if self.threat_seen {
            w.repeat_threat_factor
        } else {
            1.0
        }
    }

    /// Factor on an escalation's success probability.
    pub fn exec_factor(&self, w: &World) -> f64 {
        if self.exec_refused {
            w.exec_retry_factor
        } else {
            1.0
        }
    }

    /// Remember renewal `o` for the next one; `items` are the items in its
    /// contract (bits), kept if a contract followed.
    pub fn remember(&mut self, w: &World, o: &RenewalOutcome, items: u64) {
        if o.uplift.is_finite() {
            self.items_won = items;
        }
        if o.bluff_called {
            self.credibility_factor *= w.called_bluff_credibility;
        }
        self.left_before |= o.out_of_network;
        self.threat_seen |= o.notice_sent && !o.out_of_network;
        if o.exec_engaged {
            self.exec_refused = false;
        } else if o.escalations > 0 {
            self.exec_refused = true;
        }
        let (add, loss) = if o.backlash {
            (
                w.exec_backlash_exponent_add,
                w.exec_backlash_reservation_loss,
            )
        } else {
            (0.0, 0.0)
        };
        self.backlash_exponent = (self.backlash_exponent + add) * w.backlash_memory;
        self.backlash_loss = (self.backlash_loss + loss) * w.backlash_memory;
        if o.deal_before_expiry && !o.notice_sent && !o.backlash {
            self.goodwill += w.goodwill_gain;
        }
    }
}
