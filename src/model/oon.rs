//! The out-of-network phase: how long it lasts and the deal that ends it.
//!
//! Out of network the payer's reservation rises with the cost of the dispute,
//! `r(w) = r_0 + g (1 - exp(-w / P))` (members, employers, regulators,
//! press). The payer comes back at week `T` (Weibull, hazard growing with
//! time). From then on, at the first week where the zone of agreement is not
//! empty (`r(w) >= walk_away`), the deal splits it by the provider's Nash
//! bargaining weight `b`: `uplift = walk_away + b (r(w) - walk_away)`, both
//! in rate terms after the items settled (Horn & Wolinsky 1988;
//! Gowrisankaran, Nevo & Town 2015). A provider that reaches its
//! `max_oon_weeks` first capitulates at the payer's last rate offer from
//! staff talks. An
//! episode cannot outlast the term: a provider still out when the next
//! renewal comes stays out to the horizon.

use super::Setting;
use super::items::Agenda;
use super::payer::Payer;

/// How an out-of-network period ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OonResult {
    /// Weeks out of network (the whole term when no contract follows).
    pub weeks: u32,
    /// The new contract's yearly uplift, if one starts within the term.
    pub uplift: Option<f64>,
    /// Whether the provider gave in at its limit rather than bargaining.
    pub capitulated: bool,
}

/// Resolve an out-of-network period starting at expiry.
pub fn out_of_network(
    set: &Setting,
    payer: &mut Payer,
    agenda: &mut Agenda,
    last_offer: f64,
) -> OonResult {
    let w = set.world;
    let term = set.terms.term_weeks;
    let comes_back = w.payer_return_weeks(set.renewal);
    let limit = set.plan.max_oon_weeks;
    let last_week = limit.min(term.saturating_sub(1));
    if comes_back <= last_week {
        for week in comes_back..=last_week {
            // Effects that arrive after expiry (a late executive meeting) count too.
            payer.advance_to(week as i32);
            agenda.advance_to(w, week as i32);
            let pressure =
                w.oon_reservation_gain * (1.0 - (-f64::from(week) / w.oon_pressure_weeks).exp());
            let reservation = payer.reservation + pressure - agenda.payer_shift;
            let walk_away = set.plan.walk_away - agenda.provider_credit;
            if reservation >= walk_away {
                let split = walk_away + w.bargaining_weight * (reservation - walk_away);
                return OonResult {
                    weeks: week,
                    uplift: Some(split),
                    capitulated: false,
                };
            }
        }
    }
    if limit < term {
        payer.advance_to(limit as i32);
        agenda.advance_to(w, limit as i32);
        OonResult {
            weeks: limit,
            uplift: Some(last_offer),
            capitulated: true,
        }
    } else {
        OonResult {
            weeks: term,
            uplift: None,
            capitulated: false,
        }
    }
}
