//! A path told week by week: the payer's offers and the provider's asks at
//! each meeting of this renewal, and the moves and events along the way.
//! Used for the sample timelines of a report; the Monte Carlo loop uses
//! [`super::Silent`] and pays nothing for this. Later renewals are summed up
//! in one event each.

use serde::Serialize;

use super::escalation::Escalation;
use super::notice::Notice;
use super::revenue::Course;
use super::{Observer, Outcome, RenewalOutcome};

/// One staff meeting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeetingPoint {
    /// Week relative to expiry.
    pub week: i32,
    /// The payer's standing rate offer after its turn.
    pub payer_offer: f64,
    /// The provider's ask (its threshold) at this meeting.
    pub provider_ask: f64,
}

/// Something that happened on the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Week relative to expiry.
    pub week: i32,
    /// What: `impasse`, `escalation`, `executives_engage`, `backlash`,
    /// `notice`, `data_ready`, `deal`, `out_of_network`, `back_in_network`,
    /// `roll_over`, `bluff_called`, `next_renewal`.
    pub kind: String,
    /// A short plain-English description.
    pub detail: String,
}

/// A whole path for one strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Timeline {
    /// Staff meetings of this renewal, in order.
    pub meetings: Vec<MeetingPoint>,
    /// Events of this renewal, in order of week (later renewals: one each).
    pub events: Vec<Event>,
    /// Weeks out of network after this expiry (0 if none).
    pub oon_weeks: u32,
    /// Weeks of roll-over after this expiry (0 if none).
    pub rollover_weeks: u32,
    /// This renewal's yearly uplift, if a contract followed.
    pub uplift: Option<f64>,
    /// Net present revenue of the path over the horizon.
    pub revenue: f64,
    /// Renewal being played (0-based): meetings and events are traced in
    /// detail only for the first.
    #[serde(skip)]
    pub current: usize,
}

impl Timeline {
    fn push(&mut self, week: i32, kind: &str, detail: String) {
        self.events.push(Event {
            week,
            kind: kind.to_string(),
            detail,
        });
    }
    fn tracing(&self) -> bool {
        self.current == 0
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

impl Observer for Timeline {
    fn renewal(&mut self, r: usize) {
        self.current = r;
    }
    fn meeting(&mut self, week: i32, payer_offer: f64, provider_ask: f64) {
        if self.tracing() {
            self.meetings.push(MeetingPoint {
                week,
                payer_offer,
                provider_ask,
            });
        }
    }
    fn impasse(&mut self, week: i32) {
        if self.tracing() {
            self.push(week, "impasse", "staff talks stuck".into());
        }
    }
    fn escalation(&mut self, e: &Escalation) {
        if !self.tracing() {
            return;
        }
        let which = if e.attempt > 0 {
            "second escalation"
        } else {
            "escalation"
        };
        let when = if e.premature {
            "before any impasse (premature)"
        } else {
            "after the impasse"
        };
        let outcome = match (e.meeting, e.backlash) {
            (Some(m), _) => format!("; the executives will engage at week {m}"),
            (None, true) => "; refused, and the staff harden (backlash)".into(),
            (None, false) => "; the executives will not engage".into(),
        };
        self.push(e.week, "escalation", format!("{which} {when}{outcome}"));
    }
    fn notice(&mut self, n: &Notice) {
        if !self.tracing() {
            return;
        }
        let b = if n.refused_to_talk {
            "the payer refuses to talk until expiry"
        } else if n.believed {
            "believed"
        } else {
            "not believed"
        };
        self.push(n.week, "notice", format!("notice of non-renewal, {b}"));
    }
    fn effects(&mut self, week: i32, applied: [bool; super::payer::EFFECT_KINDS]) {
        if !self.tracing() {
            return;
        }
        if applied[0] {
            self.push(week, "data_ready", "documented case ready".into());
        }
        if applied[1] {
            self.push(week, "executives_engage", "payer executives engage".into());
        }
        if applied[3] {
            self.push(
                week,
                "backlash",
                "payer staff harden after the refusal".into(),
            );
        }
    }
    fn settled(&mut self, r: usize, course: &Course, o: &RenewalOutcome) {
        if r > 0 {
            let what = if o.out_of_network {
                format!("renewal {}: out of network {} weeks", r + 1, o.oon_weeks)
            } else if o.uplift.is_finite() {
                format!("renewal {}: {} a year", r + 1, pct(o.uplift))
            } else {
                format!("renewal {}: no contract", r + 1)
            };
            self.push(0, "next_renewal", what);
            return;
        }
        self.oon_weeks = course.oon_weeks;
        self.rollover_weeks = course.rollover_weeks;
        self.uplift = course.uplift;
        let uplift = course.uplift.unwrap_or(f64::NAN);
        if o.deal_before_expiry {
            let week = o.deal_week.unwrap_or(0);
            self.push(week, "deal", format!("deal at {} a year", pct(uplift)));
        } else if o.bluff_called {
            let how = if course.rollover_weeks > 0 {
                format!(
                    "the payer rescinds the notice: old terms for {} weeks, then {} a year",
                    course.rollover_weeks,
                    pct(uplift)
                )
            } else {
                format!("the payer cuts its offer to {} a year", pct(uplift))
            };
            self.push(0, "bluff_called", format!("bluff called: {how}"));
        } else if o.out_of_network {
            self.push(0, "out_of_network", "contract ends: out of network".into());
            match o.deal_week {
                Some(w) => self.push(
                    w,
                    "back_in_network",
                    format!("new contract at {} a year after {w} weeks out", pct(uplift)),
                ),
                None => self.push(
                    course.oon_weeks as i32,
                    "out_of_network",
                    "still out of network at the next renewal".into(),
                ),
            }
        } else if course.rollover_weeks > 0 {
            let why = if o.payer_stalled {
                "the payer lets its offer lapse: old terms roll over"
            } else {
                "old terms roll over while talks go on"
            };
            self.push(0, "roll_over", why.into());
            self.push(
                course.rollover_weeks as i32,
                "deal",
                format!("payer's final offer {} a year", pct(uplift)),
            );
        } else {
            self.push(
                0,
                "deal",
                format!(
                    "payer's last offer {} a year accepted at expiry",
                    pct(uplift)
                ),
            );
        }
    }
    fn end(&mut self, outcome: &Outcome) {
        self.revenue = outcome.revenue;
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
                // Compared as text: unused renewals hold NaN uplifts.
                assert_eq!(format!("{traced:?}"), format!("{plain:?}"));
                assert_eq!(timeline.revenue, plain.revenue);
                assert!(!timeline.meetings.is_empty());
                // On the rate alone, offers never fall and asks never rise
                // (items settled move both: a package trades rate for them).
                if !plan.all_issues {
                    for w in timeline.meetings.windows(2) {
                        assert!(w[1].payer_offer >= w[0].payer_offer);
                        assert!(w[1].provider_ask <= w[0].provider_ask);
                    }
                }
                assert!(timeline.events.windows(2).all(|w| w[0].week <= w[1].week));
            }
        }
    }
}
