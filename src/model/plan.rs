//! A strategy prepared for play: its meeting calendar, its own concession
//! curve (which depends on no random input, so it is computed once), and the
//! contract terms every path shares.

use crate::scenario::{Agenda, Scenario, Strategy, Trigger};

use super::tactic::{relative_time, threshold};

/// Scenario terms that are the same on every path.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// Weeks after expiry that count (the revenue horizon).
    pub horizon_weeks: u32,
    /// Weeks the old terms roll over without a notice (0: no roll-over).
    pub evergreen_weeks: u32,
    /// Last legal week for a notice of non-renewal (`-notice_weeks`).
    pub notice_deadline: i32,
    /// Smallest move of the payer's offer that is not a stall.
    pub impasse_min_move: f64,
    /// Weeks over which a stall is watched.
    pub impasse_stall_weeks: u32,
}

impl Terms {
    /// The shared terms of a scenario.
    pub fn new(s: &Scenario) -> Self {
        Terms {
            horizon_weeks: s.contract.horizon_weeks,
            evergreen_weeks: s.contract.evergreen_weeks,
            notice_deadline: -(s.contract.notice_weeks as i32),
            impasse_min_move: s.impasse.min_move,
            impasse_stall_weeks: s.impasse.stall_weeks,
        }
    }
}

/// One staff meeting of a strategy's calendar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meeting {
    /// Week relative to expiry (negative).
    pub week: i32,
    /// `ln t_k`, with `t_k = (k+1)/(n+1)`.
    pub ln_t: f64,
    /// The provider's threshold (its ask) at this meeting.
    pub provider_threshold: f64,
    /// How far the provider has come from its opening ask towards its
    /// walk-away: `t_k^e`, in [0, 1].
    pub provider_progress: f64,
}

/// A strategy ready to be played on any world.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The strategy's name.
    pub name: String,
    /// Week talks open (`-lead_weeks`).
    pub opening_week: i32,
    /// Meetings from the opening of talks to just before expiry.
    pub meetings: Vec<Meeting>,
    /// How many meetings back to look for a stall: `ceil(stall_weeks / cadence)`.
    pub stall_meetings: usize,
    /// The provider's first ask.
    pub opening_ask: f64,
    /// The provider's walk-away uplift.
    pub walk_away: f64,
    /// When to escalate.
    pub escalation: Trigger,
    /// When to send a notice.
    pub notice: Trigger,
    /// Weeks the provider will stay out of network (0: not willing).
    pub max_oon_weeks: u32,
    /// Whether the non-rate items are on the table.
    pub all_issues: bool,
    /// Whether the provider builds a documented case.
    pub data_prep: bool,
}

impl Plan {
    /// Whether two plans meet on the same weeks (and so share `t_k`).
    pub fn same_calendar(&self, other: &Plan) -> bool {
        self.meetings.len() == other.meetings.len()
            && self
                .meetings
                .iter()
                .zip(&other.meetings)
                .all(|(a, b)| a.week == b.week && a.ln_t == b.ln_t)
    }
}

impl Plan {
    /// Prepare strategy `st` under the scenario's terms.
    pub fn new(st: &Strategy, terms: &Terms) -> Self {
        let lead = st.lead_weeks as i32;
        let cadence = st.cadence_weeks.max(1) as i32;
        let n = ((lead + cadence - 1) / cadence) as usize;
        let meetings = (0..n)
            .map(|k| {
                let t = relative_time(k, n);
                Meeting {
                    week: -lead + k as i32 * cadence,
                    ln_t: t.ln(),
                    provider_threshold: threshold(
                        st.opening_ask,
                        st.walk_away,
                        st.concession_exponent,
                        t,
                    ),
                    provider_progress: t.powf(st.concession_exponent),
                }
            })
            .collect();
        Plan {
            name: st.name.clone(),
            opening_week: -lead,
            meetings,
            stall_meetings: (terms.impasse_stall_weeks as usize).div_ceil(cadence as usize),
            opening_ask: st.opening_ask,
            walk_away: st.walk_away,
            escalation: st.escalation,
            notice: st.notice,
            max_oon_weeks: st.max_oon_weeks,
            all_issues: st.agenda == Agenda::AllIssues,
            data_prep: st.data_prep,
        }
    }

    /// Whether the provider is truly willing to go out of network.
    pub fn willing_to_leave(&self) -> bool {
        self.max_oon_weeks > 0
    }

    /// Every strategy of a scenario, prepared.
    pub fn all(s: &Scenario) -> Vec<Plan> {
        let terms = Terms::new(s);
        s.strategies
            .iter()
            .map(|st| Plan::new(st, &terms))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_runs_from_opening_to_before_expiry() {
        let s = Scenario::builtin();
        let terms = Terms::new(&s);
        let mut st = s.strategies[0].clone();
        st.lead_weeks = 9;
        st.cadence_weeks = 2;
        let plan = Plan::new(&st, &terms);
        let weeks: Vec<i32> = plan.meetings.iter().map(|m| m.week).collect();
        assert_eq!(weeks, vec![-9, -7, -5, -3, -1]);
        assert!((plan.meetings[0].ln_t - (1.0f64 / 6.0).ln()).abs() < 1e-15);
        // The provider's ask falls from near its opening ask to near its walk-away.
        assert!(plan.meetings[0].provider_threshold < st.opening_ask);
        assert!(plan.meetings[4].provider_threshold > st.walk_away);
    }
}
