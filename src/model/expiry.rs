//! How a renewal ends: the deal struck in talks, or, at expiry without one,
//! the last offer, a roll-over ([`super::rollover`]), a called bluff
//! ([`super::bluff`]) or out of network ([`super::oon`]).
//!
//! With a notice in force at expiry, a provider that is willing to leave and
//! whose leadership did not withdraw the notice goes out of network (paying
//! `provider.oon.fixed_cost`); any other notice is a bluff, and it is
//! called. Without a notice, the payer may stall; otherwise the provider
//! chooses between the last offer and a roll-over ([`super::rollover`]).

use super::revenue::Course;
use super::rollover::Choice;
use super::talks::TalksResult;
use super::{RenewalOutcome, Setting, bluff, oon, rollover};

/// Turn the end of staff talks into the renewal's course and outcome (its
/// money figures are filled in later, by [`super::revenue::value`]), and
/// the non-rate items in its contract (bits).
pub fn settle(set: &Setting, talks: TalksResult) -> (Course, RenewalOutcome, u64) {
    let exec_engaged = talks.exec_engaged();
    let backlash = talks.backlash();
    let TalksResult {
        deal,
        last_offer,
        impasse_week,
        escalations,
        notice,
        costs,
        mut payer,
        mut agenda,
        payer_deadline_after_expiry,
        projected_reservation,
    } = talks;
    // Member letters go out `letter_weeks` before expiry (or at the notice).
    let letters = notice.map(|n| n.week.max(-set.world.whole.letter));
    let mut course = Course {
        letters_from: letters.filter(|&l| deal.is_none_or(|(week, _)| l < week)),
        letters_to: 0,
        costs,
        ..Course::default()
    };
    let mut o = RenewalOutcome {
        notice_sent: notice.is_some(),
        refused_to_talk: notice.is_some_and(|n| n.refused_to_talk),
        notice_believed: notice.is_some_and(|n| n.believed),
        escalations: escalations.iter().flatten().count() as u8,
        exec_engaged,
        backlash,
        impasse_week,
        ..RenewalOutcome::default()
    };

    let contract = |course: &mut Course, o: &mut RenewalOutcome, week: i32, uplift: f64| {
        course.uplift = Some(uplift);
        o.uplift = uplift;
        o.deal_week = Some(week);
    };

    if let Some((week, uplift)) = deal {
        course.letters_to = week;
        course.items_value = agenda.value;
        contract(&mut course, &mut o, week, uplift);
        o.deal_before_expiry = true;
    } else if let Some(n) = notice {
        if set.plan.willing_to_leave() && !n.withdrawn {
            go_out(
                set,
                &mut course,
                &mut o,
                &mut payer,
                &mut agenda,
                last_offer,
            );
        } else {
            o.bluff_called = true;
            let roll = set.terms.evergreen_weeks.min(set.terms.term_weeks);
            let after_roll = final_offer(set, &mut payer.clone(), &mut agenda.clone(), roll);
            course.items_value = agenda.value;
            match bluff::called(set, last_offer, after_roll) {
                bluff::CalledBluff::Rescinded(weeks, _) => {
                    let uplift = final_offer(set, &mut payer, &mut agenda, weeks);
                    course.items_value = agenda.value;
                    course.rollover_weeks = weeks;
                    o.rolled_over = true;
                    contract(&mut course, &mut o, weeks as i32, uplift);
                }
                bluff::CalledBluff::Cut(uplift) => contract(&mut course, &mut o, 0, uplift),
            }
        }
    } else {
        let deadline = payer_deadline_after_expiry;
        course.items_value = agenda.value;
        match rollover::at_expiry(set, last_offer, projected_reservation, deadline) {
            Choice::Accept => contract(&mut course, &mut o, 0, last_offer),
            Choice::RollOver { weeks, stalled } => {
                // A payer that keeps talking never offers less than it had on
                // the table; one that stalled let that offer lapse.
                let split = final_offer(set, &mut payer, &mut agenda, weeks);
                let uplift = if stalled {
                    split
                } else {
                    split.max(last_offer)
                };
                course.items_value = agenda.value;
                course.rollover_weeks = weeks;
                o.rolled_over = true;
                o.payer_stalled = stalled;
                contract(&mut course, &mut o, weeks as i32, uplift);
            }
            Choice::Leave => go_out(
                set,
                &mut course,
                &mut o,
                &mut payer,
                &mut agenda,
                last_offer,
            ),
        }
    }
    if course.uplift.is_some() {
        o.nonrate_value = course.items_value;
    }
    (course, o, agenda.settled())
}

/// The payer's final offer `weeks` after expiry, talks having gone on (the
/// effects and items due by then included): its reservation split with the
/// old terms ([`rollover::final_split`]).
fn final_offer(
    set: &Setting,
    payer: &mut super::payer::Payer,
    agenda: &mut super::items::Agenda,
    weeks: u32,
) -> f64 {
    payer.advance_to(weeks as i32);
    agenda.advance_to(set.world, weeks as i32);
    let reservation = payer.threshold_at_power(1.0) - agenda.payer_shift;
    rollover::final_split(
        set.world.status_quo_escalator,
        reservation,
        set.world.bargaining_weight,
    )
}

fn go_out(
    set: &Setting,
    course: &mut Course,
    o: &mut RenewalOutcome,
    payer: &mut super::payer::Payer,
    agenda: &mut super::items::Agenda,
    last_offer: f64,
) {
    course.costs.add(0, set.world.oon_fixed_cost);
    let r = oon::out_of_network(set, payer, agenda, last_offer);
    o.out_of_network = true;
    o.oon_weeks = r.weeks;
    course.oon_weeks = r.weeks;
    course.items_value = agenda.value;
    if let Some(u) = r.uplift {
        course.uplift = Some(u);
        o.uplift = u;
        o.deal_week = Some(r.weeks as i32);
    }
}
