//! A path told week by week: the payer's offers and the provider's asks at
//! each meeting, and the moves and events along the way. Used for the sample
//! timelines of a report; the Monte Carlo loop uses [`super::Silent`] and pays
//! nothing for this.

use serde::Serialize;

use super::revenue::Course;
use super::{Observer, Outcome};

/// One staff meeting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeetingPoint {
    /// Week relative to expiry.
    pub week: i32,
    /// The payer's standing offer after its turn.
    pub payer_offer: f64,
    /// The provider's ask (its threshold) at this meeting.
    pub provider_ask: f64,
}

/// Something that happened on the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Week relative to expiry.
    pub week: i32,
    /// What: `impasse`, `escalation`, `executives_engage`, `notice`,
    /// `data_ready`, `deal`, `out_of_network`, `back_in_network`,
    /// `roll_over`, `bluff_called`.
    pub kind: String,
    /// A short plain-English description.
    pub detail: String,
}

/// A whole path for one strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Timeline {
    /// Staff meetings, in order.
    pub meetings: Vec<MeetingPoint>,
    /// Events, in order of week.
    pub events: Vec<Event>,
    /// Weeks out of network after expiry (0 if none).
    pub oon_weeks: u32,
    /// Weeks of roll-over after expiry (0 if none).
    pub rollover_weeks: u32,
    /// The new contract's uplift, if any.
    pub uplift: Option<f64>,
    /// Net present revenue of the path.
    pub revenue: f64,
}

impl Timeline {
    fn push(&mut self, week: i32, kind: &str, detail: String) {
        self.events.push(Event {
            week,
            kind: kind.to_string(),
            detail,
        });
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

impl Observer for Timeline {
    fn meeting(&mut self, week: i32, payer_offer: f64, provider_ask: f64) {
        self.meetings.push(MeetingPoint {
            week,
            payer_offer,
            provider_ask,
        });
    }
    fn impasse(&mut self, week: i32) {
        self.push(week, "impasse", "staff talks stall".into());
    }
    fn escalation(&mut self, week: i32, premature: bool, meeting: Option<i32>) {
        let when = if premature {
            "before any impasse (premature)"
        } else {
            "after the impasse"
        };
        let outcome = match meeting {
            Some(m) => format!("; the executives will engage at week {m}"),
            None => "; the executives will not engage".into(),
        };
        self.push(week, "escalation", format!("escalation {when}{outcome}"));
    }
    fn notice(&mut self, week: i32, believed: bool) {
        let b = if believed { "believed" } else { "not believed" };
        self.push(week, "notice", format!("notice of non-renewal, {b}"));
    }
    fn effects(&mut self, week: i32, applied: [bool; 3]) {
        if applied[0] {
            self.push(week, "data_ready", "documented case ready".into());
        }
        if applied[1] {
            self.push(week, "executives_engage", "payer executives engage".into());
        }
    }
    fn end(&mut self, course: &Course, outcome: &Outcome) {
        self.oon_weeks = course.oon_weeks;
        self.rollover_weeks = course.rollover_weeks;
        self.uplift = course.contract.then_some(course.uplift);
        self.revenue = outcome.revenue;
        if outcome.deal_before_expiry {
            let week = outcome.deal_week.unwrap_or(0);
            self.push(week, "deal", format!("deal at {}", pct(course.uplift)));
        } else if outcome.bluff_called {
            self.push(
                0,
                "bluff_called",
                format!(
                    "bluff called: notice withdrawn, payer's last offer {} accepted",
                    pct(course.uplift)
                ),
            );
        } else if outcome.out_of_network {
            self.push(0, "out_of_network", "contract ends: out of network".into());
            match outcome.deal_week {
                Some(w) => self.push(
                    w,
                    "back_in_network",
                    format!("new contract at {} after {w} weeks out", pct(course.uplift)),
                ),
                None => self.push(
                    course.oon_weeks as i32,
                    "out_of_network",
                    "still out of network at the horizon".into(),
                ),
            }
        } else if course.rollover_weeks > 0 {
            self.push(0, "roll_over", "old terms roll over".into());
            self.push(
                course.rollover_weeks as i32,
                "deal",
                format!("payer's last offer {} applies", pct(course.uplift)),
            );
        } else {
            self.push(
                0,
                "deal",
                format!(
                    "payer's last offer {} accepted at expiry",
                    pct(course.uplift)
                ),
            );
        }
        self.events.sort_by_key(|e| e.week);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Simulation;
    use crate::model::play_observed;
    use crate::scenario::Scenario;

    #[test]
    fn a_traced_path_matches_the_untraced_outcome() {
        let s = Scenario::builtin();
        let sim = Simulation::new(&s);
        for index in 0..50 {
            let world = sim.world(3, index);
            for plan in &sim.plans {
                let mut timeline = Timeline::default();
                let traced = play_observed(&sim.terms, plan, &world, &mut timeline);
                let plain = crate::model::play(&sim.terms, plan, &world);
                assert_eq!(traced, plain);
                assert_eq!(timeline.revenue, plain.revenue);
                assert!(!timeline.meetings.is_empty());
                // Offers never fall; asks never rise.
                for w in timeline.meetings.windows(2) {
                    assert!(w[1].payer_offer >= w[0].payer_offer);
                }
                assert!(timeline.events.windows(2).all(|w| w[0].week <= w[1].week));
            }
        }
    }
}
