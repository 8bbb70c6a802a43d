//! Escalation to the payer's executives, and what it costs when it fails.
//!
//! At the escalation week the executives engage with probability
//!
//! ```text
//! p = exec.success_prob * (1 - exec.premature_penalty if no impasse yet)
//!                       * (exec.retry_factor for a second attempt)
//!                       * (exec.retry_factor if they refused at the last renewal)
//! ```
//!
//! Engaged, they meet after `exec.lag_weeks`: the payer's reservation rises
//! by `exec.reservation_gain` (scaled by `provider.misaligned_factor` when
//! leadership is split) and its tactic speeds to `exec.exponent_after`; the
//! provider's items not won at staff level get a second chance.
//!
//! Refused, the staff may harden (**backlash**), with probability
//! `exec.backlash_prob` after an impasse and `exec.premature_backlash_prob`
//! before one: the staff's exponent rises by `exec.backlash_exponent_add`
//! (it concedes later, so deals come later and lower) and its reservation
//! falls by `exec.backlash_reservation_loss` (lost discretion). Either way
//! the escalation costs `provider.escalation_cost`.

use super::Setting;
use super::items::Agenda;
use super::payer::{Effect, EffectKind, Payer};

/// What an escalation gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Escalation {
    /// Week the provider escalated.
    pub week: i32,
    /// Whether it came before any impasse.
    pub premature: bool,
    /// 0 for the first attempt, 1 for the retry.
    pub attempt: usize,
    /// The executive meeting week, if they engage.
    pub meeting: Option<i32>,
    /// Whether a refusal hardened the staff.
    pub backlash: bool,
}

/// Escalate at `week` and schedule what follows on the payer's side.
pub fn escalate(
    set: &Setting,
    payer: &mut Payer,
    agenda: &mut Agenda,
    week: i32,
    premature: bool,
    attempt: usize,
) -> Escalation {
    let w = set.world;
    let ev = &w.events[set.renewal];
    let mut p = w.exec_success_prob * set.memory.exec_factor(w);
    if premature {
        p *= 1.0 - w.exec_premature_penalty;
    }
    if attempt > 0 {
        p *= w.exec_retry_factor;
    }
    if ev.u_exec_engaged[attempt] < p {
        let meeting = week + w.whole.exec_lag;
        payer.schedule(
            EffectKind::Executives,
            Effect {
                week: meeting,
                reservation_change: w.exec_reservation_gain * set.alignment_scale(),
                faster_exponent: Some(w.exec_exponent_after),
                exponent_add: 0.0,
                deadline_to_expiry: false,
            },
        );
        agenda.executives_engage(meeting);
        return Escalation {
            week,
            premature,
            attempt,
            meeting: Some(meeting),
            backlash: false,
        };
    }
    let p_backlash = if premature {
        w.exec_premature_backlash_prob
    } else {
        w.exec_backlash_prob
    };
    let backlash = ev.u_backlash[attempt] < p_backlash;
    if backlash {
        payer.schedule(
            EffectKind::Backlash,
            Effect {
                week,
                reservation_change: -w.exec_backlash_reservation_loss,
                faster_exponent: None,
                exponent_add: w.exec_backlash_exponent_add,
                deadline_to_expiry: false,
            },
        );
    }
    Escalation {
        week,
        premature,
        attempt,
        meeting: None,
        backlash,
    }
}
