//! Data preparation: a documented case (claims, quality and cost evidence).
//!
//! Work starts when talks open, costs `data.cost`, and takes
//! `provider.data_prep_weeks`; from then on the payer's reservation is
//! `data.reservation_gain` higher. The proposal goes out with the data, so
//! the opening exchange (and the earliest impasse) comes later. A strategy
//! that opens too late for the work to finish before the deal pays for
//! nothing: data can lose.

use super::Setting;
use super::payer::{Effect, EffectKind, Payer};

/// Week the data are ready, if the strategy prepares them.
pub fn ready_week(set: &Setting) -> Option<i32> {
    set.plan
        .data_prep
        .then(|| set.plan.opening_week + set.world.whole.data_prep)
}

/// Schedule the data's effect on the payer.
pub fn prepare(set: &Setting, payer: &mut Payer) {
    if let Some(week) = ready_week(set) {
        payer.schedule(
            EffectKind::Data,
            Effect {
                week,
                reservation_change: set.world.data_reservation_gain,
                faster_exponent: None,
                exponent_add: 0.0,
                deadline_to_expiry: false,
            },
        );
    }
}
