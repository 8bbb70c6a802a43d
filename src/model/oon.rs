//! The out-of-network phase: how long it lasts and the deal that ends it.
//!
//! Out of network the payer's reservation rises with the cost of the dispute,
//! `r(w) = r_0 + g (1 - exp(-w / P))` (members, employers, regulators,
//! press). The payer comes back at week `T` (Weibull, hazard growing with
//! time). From then on, at the first week where the zone of agreement is not
//! empty (`r(w) >= walk_away`), the deal splits it by the provider's Nash
//! bargaining weight `b`: `uplift = walk_away + b (r(w) - walk_away)`, where
//! the walk-away is lowered by the value of non-rate items won (in uplift
//! points)
//! (Horn & Wolinsky 1988; Gowrisankaran, Nevo & Town 2015). A provider that
//! reaches its `max_oon_weeks` first capitulates at the payer's standing offer.

use super::moves::PayerPosition;
use super::plan::Plan;
use super::world::World;

/// How an out-of-network period ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OonResult {
    /// Weeks out of network (capped at the horizon).
    pub weeks: u32,
    /// The new contract's uplift, if one starts within the horizon.
    pub uplift: Option<f64>,
    /// Whether the provider gave in at its limit rather than bargaining.
    pub capitulated: bool,
}

/// Resolve an out-of-network period starting at expiry.
pub fn out_of_network(
    world: &World,
    plan: &Plan,
    payer: &mut PayerPosition,
    last_offer: f64,
    horizon: u32,
) -> OonResult {
    let comes_back = world.payer_return_weeks();
    let limit = plan.max_oon_weeks;
    let last_week = limit.min(horizon.saturating_sub(1));
    if comes_back <= last_week {
        for week in comes_back..=last_week {
            // Effects that arrive after expiry (a late executive meeting) count too.
            payer.advance_to(week as i32);
            let pressure = world.oon_reservation_gain
                * (1.0 - (-f64::from(week) / world.oon_pressure_weeks).exp());
            let reservation = payer.reservation + pressure;
            let walk_away = plan.walk_away - payer.items_credit(world.annual_revenue);
            if reservation >= walk_away {
                let split = walk_away + world.bargaining_weight * (reservation - walk_away);
                return OonResult {
                    weeks: week,
                    uplift: Some(split),
                    capitulated: false,
                };
            }
        }
    }
    if limit < horizon {
        payer.advance_to(limit as i32);
        OonResult {
            weeks: limit,
            uplift: Some(last_offer),
            capitulated: true,
        }
    } else {
        OonResult {
            weeks: horizon,
            uplift: None,
            capitulated: false,
        }
    }
}
