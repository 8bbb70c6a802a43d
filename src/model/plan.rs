//! A strategy made ready to play: its calendar of staff meetings, with both
//! sides' relative time and the provider's ask precomputed, and the
//! contract terms every strategy shares.

use crate::scenario::{Agenda, Scenario, Strategy, Trigger};

use super::tactic::{calendar_time, threshold};

/// Contract terms shared by every strategy of a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    /// Weeks of one contract term.
    pub term_weeks: u32,
    /// Renewals played: this one and the ones after it.
    pub renewals: usize,
    /// Weeks from the first expiry over which revenue is counted:
    /// `renewals * term_weeks`.
    pub horizon_weeks: u32,
    /// Weeks of evergreen roll-over at expiry without notice (0: none).
    pub evergreen_weeks: u32,
    /// Last week a notice may be sent (`-notice_weeks`).
    pub notice_deadline: i32,
    /// Shortfall of the payer's projected reservation below the walk-away
    /// that counts as stuck, uplift points a year.
    pub impasse_min_gap: f64,
    /// The payer exponent the provider expects when projecting offers.
    pub expected_payer_exponent: f64,
    /// Weeks talks must stay stuck before an impasse is declared.
    pub stall_weeks: u32,
}

impl Terms {
    /// The shared terms of a scenario.
    pub fn new(s: &Scenario) -> Self {
        let renewals = (s.contract.renewals as usize).clamp(1, crate::scenario::MAX_RENEWALS);
        Terms {
            term_weeks: s.contract.term_weeks,
            renewals,
            horizon_weeks: s.contract.term_weeks * renewals as u32,
            evergreen_weeks: s.contract.evergreen_weeks,
            notice_deadline: -(s.contract.notice_weeks as i32),
            impasse_min_gap: s.impasse.min_gap,
            expected_payer_exponent: s.impasse.expected_payer_exponent,
            stall_weeks: s.impasse.stall_weeks,
        }
    }
}

/// One staff meeting of a strategy's calendar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meeting {
    /// Week relative to this renewal's expiry (negative).
    pub week: i32,
    /// Relative time `t` in [0, 1] (calendar time, see
    /// [`super::tactic::calendar_time`]).
    pub t: f64,
    /// `ln t` (minus infinity at the opening), so `t^e = exp(e ln t)`: the
    /// provider's clock, and the payer's when its deadline is expiry.
    pub ln_t: f64,
    /// `ln(week - opening)`: with the payer's deadline `D` weeks after
    /// expiry, the payer's `ln t` is this less `ln(D - opening)`.
    pub ln_elapsed: f64,
    /// The provider's threshold (its ask) at this meeting, before non-rate
    /// items: `opening_ask + (walk_away - opening_ask) t^e_provider`.
    pub provider_threshold: f64,
    /// `t^ê`, with `ê` the payer exponent the provider expects (for the
    /// impasse watch), on the provider's clock (the payer's when its
    /// deadline is expiry).
    pub expected_power: f64,
}

/// A strategy ready to be played on any world.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The strategy's name.
    pub name: String,
    /// Week talks open (`-lead_weeks`), relative to each renewal's expiry.
    pub opening_week: i32,
    /// Meetings every `cadence_weeks` from the opening, and a deadline
    /// session in the last week before expiry.
    pub meetings: Vec<Meeting>,
    /// Weeks between meetings (before the deadline session).
    pub cadence: i32,
    /// The provider's first ask, per year.
    pub opening_ask: f64,
    /// The provider's walk-away uplift in staff talks, per year.
    pub walk_away: f64,
    /// When to escalate.
    pub escalation: Trigger,
    /// When to escalate again after a refusal.
    pub escalation_retry: Trigger,
    /// When to send a notice.
    pub notice: Trigger,
    /// The first escalation is made only if the payer's standing offer is
    /// below this (infinity: always).
    pub escalate_if_below: f64,
    /// The notice is sent only if the payer's standing offer is below this
    /// (infinity: always).
    pub notice_if_below: f64,
    /// Weeks the provider will stay out of network (0: not willing).
    pub max_oon_weeks: u32,
    /// Whether the non-rate items are on the table.
    pub all_issues: bool,
    /// Whether the provider builds a documented case.
    pub data_prep: bool,
}

impl Plan {
    /// Prepare strategy `st` under the scenario's terms.
    pub fn new(st: &Strategy, terms: &Terms) -> Self {
        let opening = -(st.lead_weeks.max(1) as i32);
        let cadence = st.cadence_weeks.max(1) as i32;
        let mut weeks: Vec<i32> = (0..)
            .map(|k| opening + k * cadence)
            .take_while(|&w| w < -1)
            .collect();
        weeks.push(-1);
        let meetings = weeks
            .into_iter()
            .map(|week| {
                let t = calendar_time(week, opening);
                Meeting {
                    week,
                    t,
                    ln_t: t.ln(),
                    ln_elapsed: f64::from(week - opening).ln(),
                    provider_threshold: threshold(
                        st.opening_ask,
                        st.walk_away,
                        st.concession_exponent,
                        t,
                    ),
                    expected_power: t.powf(terms.expected_payer_exponent),
                }
            })
            .collect();
        Plan {
            name: st.name.clone(),
            opening_week: opening,
            meetings,
            cadence,
            opening_ask: st.opening_ask,
            walk_away: st.walk_away,
            escalation: st.escalation,
            escalation_retry: st.escalation_retry,
            notice: st.notice,
            escalate_if_below: st.escalate_if_offer_below.unwrap_or(f64::INFINITY),
            notice_if_below: st.notice_if_offer_below.unwrap_or(f64::INFINITY),
            max_oon_weeks: st.max_oon_weeks,
            all_issues: st.agenda == Agenda::AllIssues,
            data_prep: st.data_prep,
        }
    }

    /// Whether two plans meet on the same weeks (and so share `t^e`).
    pub fn same_calendar(&self, other: &Plan) -> bool {
        self.meetings.len() == other.meetings.len()
            && self
                .meetings
                .iter()
                .zip(&other.meetings)
                .all(|(a, b)| a.week == b.week && a.t == b.t)
    }

    /// Index of the first meeting in or after `week` (the number of
    /// meetings when there is none), in constant time.
    #[inline]
    pub fn first_meeting_from(&self, week: i32) -> usize {
        let n = self.meetings.len();
        if week <= self.opening_week {
            return 0;
        }
        if week > -1 {
            return n;
        }
        // Regular meetings are at opening + k * cadence, below -1; the last
        // meeting is the deadline session at -1.
        let k = (week - self.opening_week + self.cadence - 1) / self.cadence;
        (k as usize).min(n - 1)
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
    fn calendar_runs_from_opening_to_a_deadline_session() {
        let s = Scenario::builtin();
        let terms = Terms::new(&s);
        let mut st = s.strategies[0].clone();
        st.lead_weeks = 9;
        st.cadence_weeks = 2;
        let plan = Plan::new(&st, &terms);
        let weeks: Vec<i32> = plan.meetings.iter().map(|m| m.week).collect();
        assert_eq!(weeks, vec![-9, -7, -5, -3, -1]);
        assert_eq!(plan.meetings[0].t, 0.0);
        assert_eq!(plan.meetings[4].t, 1.0);
        assert!((plan.meetings[0].provider_threshold - st.opening_ask).abs() < 1e-15);
        assert!((plan.meetings[4].provider_threshold - st.walk_away).abs() < 1e-15);
        // The first meeting in or after a week, in constant time.
        for week in -12..=1 {
            let slow = plan.meetings.partition_point(|m| m.week < week);
            assert_eq!(plan.first_meeting_from(week), slow, "week {week}");
        }
        // Every four weeks: the deadline session is added.
        st.cadence_weeks = 4;
        let weeks: Vec<i32> = Plan::new(&st, &terms)
            .meetings
            .iter()
            .map(|m| m.week)
            .collect();
        assert_eq!(weeks, vec![-9, -5, -1]);
    }
}
