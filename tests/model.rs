//! Hand-computed paths: worlds with every input fixed and every event's
//! uniform chosen, whose deal, week, revenue, margin and patient figures are
//! worked out by hand below, one test per rule of the model.

use impasse::model::world::MeanSource;
use impasse::model::{Outcome, Plan, Terms, World, play};
use impasse::scenario::{Dist, Scenario};

/// Common part of the hand-computed scenarios: $1M a week, margin 40 %, no
/// discounting (present values are plain sums), one renewal of a one-year
/// term (so a yearly uplift applies once), no costs unless a test sets them,
/// leadership aligned, the payer answering at once, its deadline at expiry
/// and never stalling (tests of those set them).
const BASE: &str = r#"
name = "hand"
[contract]
annual_revenue = 52e6
contribution_margin = 0.4
term_weeks = 52
renewals = 1
discount_rate = 0.0
evergreen_weeks = 26
status_quo_escalator = 0.0
notice_weeks = 8
attributed_patients = 1000
[payer]
opening_offer = 0.0
reservation = RESERVATION
concession_exponent = 1.0
response_weeks = 0
deadline_weeks = 0
stall_prob = 0.0
[payer.notice]
credibility = 0.0
refuse_to_talk_prob = 0.0
[provider]
alignment = 1.0
bargaining_weight = 0.5
escalation_cost = 0
[provider.notice]
letter_weeks = 6
pre_expiry_switch_rate = 0.01
[provider.oon]
volume_retention = 0.35
weekly_switch_rate = 0.01
return_share = 0.5
continuity_weeks = 4
continuity_share = 0.1
fixed_cost = 0
[payer.oon]
reservation_gain = 0.04
pressure_weeks = 4
return_scale_weeks = 10
return_shape = 1.0
[data]
cost = 0
[impasse]
stall_weeks = 4
"#;

/// Ten weeks of talks, a meeting every two weeks and the deadline session:
/// weeks -10, -8, -6, -4, -2, -1 at t = 0, 2/9, 4/9, 6/9, 8/9, 1. The
/// provider's ask falls linearly from 0.10 to `walk_away`.
fn talks(walk_away: f64) -> String {
    format!("lead_weeks = 10\ncadence_weeks = 2\nopening_ask = 0.10\nwalk_away = {walk_away}\n")
}

/// A hand-computed case: the base, a payer reservation, one strategy, and
/// any changes made to the parsed scenario.
fn scenario(reservation: f64, strategy: &str) -> Scenario {
    let text = format!(
        "{}\n[[strategy]]\nname = \"s\"\n{strategy}",
        BASE.replace("RESERVATION", &reservation.to_string())
    );
    Scenario::from_toml(&text, "hand").unwrap_or_else(|e| panic!("{e}"))
}

fn fixed(x: f64) -> Dist {
    Dist::Fixed(x)
}

/// Play the first strategy with every event's uniform at `u`, except those
/// listed.
fn play_with(s: &Scenario, u: f64, events: &[(&str, f64)]) -> Outcome {
    let terms = Terms::new(s);
    let plan = Plan::new(&s.strategies[0], &terms);
    let mut src = MeanSource::new(u);
    for (path, v) in events {
        src = src.with(path, *v);
    }
    let mut world = World::default();
    world.fill(s, &mut src);
    play(&terms, &plan, &world)
}

fn play_all_half(s: &Scenario) -> Outcome {
    play_with(s, 0.5, &[])
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} != {b}");
}

#[test]
fn staff_deal_by_hand() {
    // Linear payer from 0 to 0.075: thresholds 0.075 t. Linear provider from
    // 0.10 to 0.04: asks 0.10 - 0.06 t.
    //   week -4 (t = 6/9): standing ask 0.07333 > payer 0.05; offer 0.05 < ask 0.06.
    //   week -2 (t = 8/9): standing ask 0.06 <= payer 0.06667: the payer accepts 0.06.
    let o = play_all_half(&scenario(0.075, &talks(0.04)));
    let r = o.first();
    assert!(r.deal_before_expiry && !r.rolled_over && !r.out_of_network);
    assert_eq!(r.deal_week, Some(-2));
    close(r.uplift, 0.06, 1e-12, "uplift");
    close(o.revenue, 52.0 * 1.06e6, 1e-3, "revenue");
    // Margin: $1M x (1.06 - 0.6) a week.
    close(o.margin, 52.0 * 0.46e6, 1e-3, "margin");
    assert_eq!(o.patient_weeks_out_of_network, 0.0);
    assert_eq!(o.patients_switched, 0.0);
    // Projected along the expected t^4 path the payer is far above 0.04.
    assert_eq!(r.impasse_week, None);
}

#[test]
fn a_yearly_uplift_compounds_over_a_three_year_term() {
    let mut s = scenario(0.075, &talks(0.04));
    s.contract.term_weeks = 156;
    let o = play_all_half(&s);
    close(o.first().uplift, 0.06, 1e-12, "uplift");
    let years: f64 = (1..=3).map(|k| 1.06f64.powi(k)).sum();
    close(o.revenue, 52e6 * years, 1e-2, "revenue");
}

#[test]
fn at_expiry_without_notice_the_provider_takes_the_better_of_offer_and_roll_over() {
    // The payer can grant 0.03, below the walk-away 0.05: no deal in talks.
    // At the deadline session (t = 1) the payer offers its reservation 0.03.
    let mut s = scenario(0.03, &talks(0.05));
    let o = play_all_half(&s);
    let r = o.first();
    assert!(!r.deal_before_expiry && !r.rolled_over && !r.out_of_network);
    assert_eq!(r.deal_week, Some(0));
    close(
        r.uplift,
        0.03,
        1e-12,
        "the last offer beats a roll-over at 0 %",
    );
    close(o.revenue, 52.0 * 1.03e6, 1e-3, "revenue");

    // Old terms escalating 4 % a year beat the offer: roll over 26 weeks.
    s.contract.status_quo_escalator = fixed(0.04);
    let o = play_all_half(&s);
    let r = o.first();
    assert!(r.rolled_over);
    assert_eq!(r.deal_week, Some(26));
    close(r.uplift, 0.03, 1e-12, "then the last offer");
    close(o.revenue, 26.0 * 1.04e6 + 26.0 * 1.03e6, 1e-3, "revenue");
}

/// Notice at -10 (not believed: credibility 0), ready to stay out 26 weeks.
fn leave() -> String {
    talks(0.05) + "notice = -10\nmax_oon_weeks = 26\n"
}

#[test]
fn out_of_network_by_hand() {
    // No deal: out of network from expiry, after six weeks of member letters
    // (weeks -6..-1) in which 1 % of patients switch each week. The payer
    // comes back at T = ceil(10 ln 2) = 7 (Weibull shape 1, u = 0.5). Its
    // reservation then is 0.03 + 0.04 (1 - exp(-7/4)), above the walk-away
    // 0.05: the Nash split with weight 0.5.
    let o = play_all_half(&scenario(0.03, &leave()));
    let r = o.first();
    assert!(r.out_of_network && !r.deal_before_expiry && !r.bluff_called && r.notice_sent);
    assert_eq!(r.oon_weeks, 7);
    assert_eq!(r.deal_week, Some(7));
    let reservation = 0.03 + 0.04 * (1.0 - (-7.0f64 / 4.0).exp());
    let uplift = 0.05 + 0.5 * (reservation - 0.05);
    close(r.uplift, uplift, 1e-12, "uplift");

    // Week by week: letters (counted as the loss against no letters, since
    // they fall before expiry), then 7 weeks out at 35 % of the volume
    // left, then the new contract with half the switched patients back.
    let (mut revenue, mut margin, mut patient_weeks) = (0.0, 0.0, 0.0);
    let mut v = 1.0f64;
    for _ in -6..0 {
        revenue += 1e6 * (v - 1.0);
        margin += 1e6 * (v - 1.0) * 0.4;
        v *= 0.99;
    }
    for week in 0..7 {
        revenue += 0.35e6 * v;
        margin += 0.35e6 * v * 0.4;
        let protected = if week < 4 { 0.1 } else { 0.0 };
        patient_weeks += 1000.0 * v * (1.0 - protected);
        v *= 0.99;
    }
    let after = v + 0.5 * (1.0 - v);
    revenue += 45.0 * 1e6 * (1.0 + uplift) * after;
    margin += 45.0 * 1e6 * (1.0 + uplift - 0.6) * after;
    close(o.revenue, revenue, 1e-3, "revenue");
    close(o.margin, margin, 1e-3, "margin");
    close(
        o.patient_weeks_out_of_network,
        patient_weeks,
        1e-9,
        "patient-weeks",
    );
    close(
        o.patients_switched,
        1000.0 * (1.0 - 0.99f64.powi(13)) * 0.5,
        1e-9,
        "switched",
    );
}

#[test]
fn costs_are_charged_to_margin_not_revenue() {
    // The out-of-network case with a $250k fixed cost, a $40k escalation at
    // week -1 (refused, no backlash) and $100k of data work that moves
    // nothing.
    let plain = play_all_half(&scenario(0.03, &leave()));
    let mut s = scenario(0.03, &(leave() + "escalation = -1\ndata_prep = true\n"));
    s.payer.exec.success_prob = fixed(0.0);
    s.payer.exec.backlash_prob = fixed(0.0);
    s.payer.exec.premature_backlash_prob = fixed(0.0);
    s.provider.escalation_cost = fixed(40_000.0);
    s.provider.oon.fixed_cost = fixed(250_000.0);
    s.data.cost = fixed(100_000.0);
    s.data.reservation_gain = fixed(0.0);
    let o = play_all_half(&s);
    close(o.revenue, plain.revenue, 1e-6, "revenue unchanged");
    close(o.costs, 390_000.0, 1e-6, "costs");
    close(o.margin, plain.margin - 390_000.0, 1e-6, "margin");
    assert_eq!(o.first().escalations, 1);
    assert!(!o.first().exec_engaged && !o.first().backlash);
}

/// A notice at -10 from a provider not willing to leave.
fn bluff() -> String {
    talks(0.05) + "notice = -10\nmax_oon_weeks = 0\n"
}

#[test]
fn a_called_bluff_is_rescinded_when_a_roll_over_is_cheaper_for_the_payer() {
    // Not believed, no deal: at expiry the payer calls the bluff. Its last
    // offer is x = 0.03. Rescinding means 26 weeks of old terms, then its
    // final offer, which splits the zone between the old terms (0 %) and its
    // reservation 0.03 by the provider's weight 0.5: 0.015. Its cost, 26 x 1
    // + 26 x 1.015 = 52.39, is below that of cutting its offer to 0.0275,
    // 52 x 1.0275 = 53.43: it rescinds. The letters stop at expiry, and half
    // the patients who left come back.
    let o = play_all_half(&scenario(0.03, &bluff()));
    let r = o.first();
    assert!(r.bluff_called && r.rolled_over && !r.out_of_network);
    assert_eq!(r.deal_week, Some(26));
    close(r.uplift, 0.015, 1e-12, "uplift");
    let lost = 1.0 - 0.99f64.powi(6);
    let letters: f64 = (0..6).map(|j| 0.99f64.powi(j) - 1.0).sum::<f64>() * 1e6;
    let v = 1.0 - lost + 0.5 * lost;
    let revenue = letters + 26.0 * 1e6 * v + 26.0 * 1.015e6 * v;
    close(o.revenue, revenue, 1e-3, "revenue");
    close(o.patients_switched, 1000.0 * lost * 0.5, 1e-9, "switched");

    // The twin without the notice takes 0.03 from expiry and keeps its
    // patients.
    let twin = play_all_half(&scenario(0.03, &talks(0.05)));
    assert!(o.revenue < twin.revenue);
}

#[test]
fn a_called_bluff_gets_a_cut_offer_without_a_roll_over_clause() {
    let mut s = scenario(0.03, &bluff());
    s.contract.evergreen_weeks = 0;
    let o = play_all_half(&s);
    let r = o.first();
    assert!(r.bluff_called && !r.rolled_over);
    assert_eq!(r.deal_week, Some(0));
    close(r.uplift, 0.0275, 1e-12, "the last offer less 0.0025");
}

#[test]
fn a_split_board_withdraws_the_notice_and_the_bluff_is_called() {
    // A willing provider whose leadership is split withdraws its notice
    // before expiry: it does not go out of network, the payer calls it.
    let mut s = scenario(0.03, &leave());
    s.provider.alignment = fixed(0.0);
    s.provider.notice.misaligned_withdraw_prob = fixed(1.0);
    let o = play_all_half(&s);
    assert!(o.first().bluff_called && !o.first().out_of_network);
    // United, the same notice is carried out.
    s.provider.alignment = fixed(1.0);
    assert!(play_all_half(&s).first().out_of_network);
}

#[test]
fn a_payer_that_refuses_to_talk_freezes_its_offer() {
    // Notice at -8 to a payer that refuses to talk: its offer freezes at the
    // standing offer of week -10 (0, its opening), and the willing provider
    // goes out of network although the payer could grant 0.075.
    let strategy = talks(0.04) + "notice = -8\nmax_oon_weeks = 26\n";
    let mut s = scenario(0.075, &strategy);
    let talking = play_all_half(&s);
    s.payer.notice.refuse_to_talk_prob = fixed(1.0);
    let o = play_all_half(&s);
    let r = o.first();
    assert!(r.refused_to_talk && r.out_of_network && !r.deal_before_expiry);
    // A payer that keeps talking strikes the staff deal, 0.06 at week -2.
    assert!(talking.first().deal_before_expiry && !talking.first().refused_to_talk);
    close(talking.first().uplift, 0.06, 1e-12, "uplift");
    assert!(o.revenue < talking.revenue);
}

#[test]
fn escalation_can_win_tie_or_lose() {
    // Escalation at the opening is premature: success 0.5 x (1 - 0.5) =
    // 0.25. Engaged (u = 0.1): two weeks later (week -8) the reservation
    // rises by 0.02 to 0.095 (the tactic is already linear). At week -4 the
    // offer 0.095 x 6/9 = 0.06333 >= the ask 0.06: deal at 0.06333.
    // Refused with backlash (u = 0.5 < 0.6): exponent 1 + 2 = 3,
    // reservation 0.075 - 0.005 = 0.07. At week -2 the offer
    // 0.07 (8/9)^3 = 0.04916 >= the ask 0.04667: deal at 0.04916.
    // Refused without backlash: the staff deal, 0.06.
    let tune = |s: &mut Scenario| {
        let e = &mut s.payer.exec;
        e.success_prob = fixed(0.5);
        e.reservation_gain = fixed(0.02);
        e.exponent_after = fixed(1.0);
        e.lag_weeks = fixed(2.0);
        e.premature_penalty = fixed(0.5);
        e.premature_backlash_prob = fixed(0.6);
        e.backlash_exponent_add = fixed(2.0);
        e.backlash_reservation_loss = fixed(0.005);
        e.retry_factor = fixed(0.25);
    };
    let mut s = scenario(0.075, &(talks(0.04) + "escalation = \"now\"\n"));
    tune(&mut s);
    let engaged = play_with(&s, 0.5, &[("event.exec_engaged", 0.1)]);
    assert!(engaged.first().exec_engaged);
    assert_eq!(engaged.first().deal_week, Some(-4));
    close(engaged.first().uplift, 0.095 * 6.0 / 9.0, 1e-12, "engaged");

    let backlash = play_with(
        &s,
        0.5,
        &[("event.exec_engaged", 0.5), ("event.backlash", 0.5)],
    );
    assert!(backlash.first().backlash && !backlash.first().exec_engaged);
    assert_eq!(backlash.first().deal_week, Some(-2));
    close(
        backlash.first().uplift,
        0.07 * (8.0f64 / 9.0).powi(3),
        1e-12,
        "backlash",
    );

    let refused = play_with(
        &s,
        0.5,
        &[("event.exec_engaged", 0.5), ("event.backlash", 0.9)],
    );
    assert!(!refused.first().backlash && !refused.first().exec_engaged);
    close(refused.first().uplift, 0.06, 1e-12, "refused");

    // A retry at week -8 after the refusal succeeds with probability
    // 0.25 x 0.25 = 0.0625 (still premature: no impasse).
    let mut s = scenario(
        0.075,
        &(talks(0.04) + "escalation = \"now\"\nescalation_retry = -8\n"),
    );
    tune(&mut s);
    let refused_first = [("event.exec_engaged", 0.5), ("event.backlash", 0.9)];
    let o = play_with(
        &s,
        0.5,
        &[
            refused_first[0],
            refused_first[1],
            ("event.exec_engaged_retry", 0.05),
        ],
    );
    assert_eq!(o.first().escalations, 2);
    assert!(o.first().exec_engaged, "0.05 < 0.0625");
    let o = play_with(
        &s,
        0.5,
        &[
            refused_first[0],
            refused_first[1],
            ("event.exec_engaged_retry", 0.07),
        ],
    );
    assert_eq!(o.first().escalations, 2);
    assert!(!o.first().exec_engaged, "0.07 >= 0.0625");
}

#[test]
fn an_impasse_is_declared_a_window_after_a_payer_shows_a_shortfall() {
    // A payer on the expected path (exponent 4) that can grant only 0.03
    // against a walk-away of 0.05: from week -8 its projected final offer is
    // exactly 0.03, 0.02 short. Stuck since -8, the impasse comes four
    // weeks later, at -4.
    let mut s = scenario(0.03, &talks(0.05));
    s.payer.concession_exponent = fixed(4.0);
    assert_eq!(play_all_half(&s).first().impasse_week, Some(-4));
    // Only after the payer has answered: with a 5-week answer the watch
    // starts at -5, is stuck from -4 and declares the impasse at week 0...
    // which never comes: no impasse before expiry.
    s.payer.response_weeks = fixed(5.0);
    assert_eq!(play_all_half(&s).first().impasse_week, None);
    // A linear payer that can grant 0.075 is never stuck.
    let s = scenario(0.075, &talks(0.04));
    assert_eq!(play_all_half(&s).first().impasse_week, None);
}

#[test]
fn items_are_traded_as_a_package_at_every_point_in_time() {
    // One item worth $520,000 a year, one point of revenue over a one-year
    // term, won at staff level at the opening; transfer share 0.5. The
    // payer's rate thresholds are 0.075 t - 0.005, the provider's asks
    // 0.10 - 0.06 t - 0.01. At week -2 the payer's 0.06167 covers the
    // standing ask 0.05: deal at 0.05, with the item's $10,000 a week on top.
    let item = r#"
[[item]]
name = "denials"
annual_value = 520000
transfer_share = 0.5
weeks = 0
p_win_staff = 1.0
p_win_exec = 1.0
"#;
    let with_item = |item: &str| {
        let text = format!(
            "{}{item}\n[[strategy]]\nname = \"s\"\n{}agenda = \"all-issues\"\n",
            BASE.replace("RESERVATION", "0.075"),
            talks(0.04)
        );
        Scenario::from_toml(&text, "hand").unwrap_or_else(|e| panic!("{e}"))
    };
    let o = play_all_half(&with_item(item));
    let r = o.first();
    assert_eq!(r.deal_week, Some(-2));
    close(r.uplift, 0.05, 1e-12, "uplift");
    assert_eq!(r.nonrate_value, 520_000.0);
    close(o.revenue, 52.0 * (1.05e6 + 10_000.0), 1e-3, "revenue");

    // A payer's counter-ask of the same size won instead: the thresholds
    // move the other way (payer +0.005, provider +0.01). At week -2 the
    // payer's 0.07167 covers the standing ask 0.07: deal at 0.07, less the
    // $520,000 a year the provider gives up.
    let counter = item.replace(
        "name = \"denials\"",
        "name = \"carve-out\"\nasked_by = \"payer\"",
    );
    let o = play_all_half(&with_item(&counter));
    let r = o.first();
    assert_eq!(r.deal_week, Some(-2));
    close(r.uplift, 0.07, 1e-12, "uplift");
    assert_eq!(r.nonrate_value, -520_000.0);

    // An item that needs more weeks than the talks last never settles.
    let o = play_all_half(&with_item(&item.replace("weeks = 0", "weeks = 20")));
    assert_eq!(o.first().nonrate_value, 0.0);
    close(o.first().uplift, 0.06, 1e-12, "the staff deal");
}

#[test]
fn the_next_renewal_starts_from_this_one_and_remembers_a_called_bluff() {
    // Two one-year renewals. Each: a notice at -10 without willingness to
    // leave, credibility 0.8 for a bluff. Renewal 1: not believed
    // (u = 0.9), no deal: the bluff is called. Renewal 2: u = 0.6 < 0.8
    // would be believed, but a called bluff halves the credibility to 0.4.
    let mut s = scenario(0.03, &bluff());
    s.contract.renewals = 2;
    s.payer.notice.credibility = fixed(0.8);
    s.payer.notice.bluff_credibility = fixed(0.8);
    s.payer.notice.reservation_gain = fixed(0.05);
    s.relationship.called_bluff_credibility = fixed(0.5);
    let called = play_with(
        &s,
        0.5,
        &[
            ("event.notice_believed", 0.9),
            ("event.notice_believed.renewal2", 0.6),
        ],
    );
    assert_eq!(called.renewal_count, 2);
    assert!(called.renewals[0].bluff_called && !called.renewals[0].notice_believed);
    assert!(!called.renewals[1].notice_believed, "credibility 0.4");
    // Believed at renewal 1 (the reservation rises to 0.08: a deal), the
    // same renewal-2 luck is believed.
    let believed = play_with(
        &s,
        0.5,
        &[
            ("event.notice_believed", 0.1),
            ("event.notice_believed.renewal2", 0.6),
        ],
    );
    assert!(believed.renewals[0].notice_believed && !believed.renewals[0].bluff_called);
    assert!(believed.renewals[1].notice_believed);

    // Renewal 2 starts from where renewal 1 ended: its rates are 1.03 times
    // its own uplift, and its revenue falls in the second year.
    let mut s = scenario(0.03, &talks(0.05));
    s.contract.renewals = 2;
    let o = play_all_half(&s);
    close(o.renewals[0].revenue, 52.0 * 1.03e6, 1e-3, "year 1");
    close(o.renewals[1].revenue, 52.0 * 1.03e6 * 1.03, 1e-3, "year 2");
    close(o.revenue, 52.0 * 1.03e6 * 2.03, 1e-3, "total");
}

#[test]
fn data_work_that_finishes_in_time_moves_the_payer_and_its_cost_is_charged_either_way() {
    // Four weeks of data work from the opening (ready at -6) raise the
    // reservation 0.075 -> 0.095: thresholds 0.095 t from -6. At week -4
    // the payer's 0.06333 is below the standing ask 0.07333, but its offer
    // beats the provider's 0.06: deal at 0.06333.
    let mut s = scenario(0.075, &(talks(0.04) + "data_prep = true\n"));
    s.provider.data_prep_weeks = fixed(4.0);
    s.data.reservation_gain = fixed(0.02);
    s.data.cost = fixed(100_000.0);
    let o = play_all_half(&s);
    assert_eq!(o.first().deal_week, Some(-4));
    close(o.first().uplift, 0.095 * 6.0 / 9.0, 1e-12, "uplift");
    close(o.costs, 100_000.0, 1e-9, "cost");
    // Twelve weeks of work in ten weeks of talks: never ready, cost paid.
    s.provider.data_prep_weeks = fixed(12.0);
    let late = play_all_half(&s);
    close(late.first().uplift, 0.06, 1e-12, "the staff deal");
    close(late.costs, 100_000.0, 1e-9, "cost");
    assert!(late.margin < o.margin);
}

#[test]
fn capitulation_at_the_provider_limit() {
    // Willing to stay out only 3 weeks, fewer than the payer's 7: the
    // provider gives in at week 3 at the payer's last offer, 0.03.
    let o = play_all_half(&scenario(
        0.03,
        &(talks(0.05) + "notice = -10\nmax_oon_weeks = 3\n"),
    ));
    assert!(o.first().out_of_network);
    assert_eq!(o.first().oon_weeks, 3);
    close(o.first().uplift, 0.03, 1e-12, "uplift");
}

#[test]
fn late_escalation_reaches_the_out_of_network_deal() {
    // Escalation at week -1 (success certain, lag 2 weeks): the executives
    // meet at week +1, out of network. Their gain of 0.02 adds to the
    // reservation the payer brings back at week 7.
    let mut s = scenario(0.03, &(leave() + "escalation = -1\n"));
    s.payer.exec.success_prob = fixed(1.0);
    s.payer.exec.reservation_gain = fixed(0.02);
    s.payer.exec.lag_weeks = fixed(2.0);
    s.payer.exec.premature_penalty = fixed(0.0);
    let o = play_all_half(&s);
    let r = o.first();
    assert!(r.out_of_network && r.exec_engaged);
    assert_eq!(r.oon_weeks, 7);
    let reservation = 0.03 + 0.02 + 0.04 * (1.0 - (-7.0f64 / 4.0).exp());
    close(r.uplift, 0.05 + 0.5 * (reservation - 0.05), 1e-12, "uplift");
}

#[test]
fn a_payer_whose_deadline_is_after_expiry_is_not_yet_at_its_reservation() {
    // A Boulware payer (exponent 4, as the provider expects) whose deadline
    // is 8 weeks after expiry: its clock runs over weeks -10..8, t = (w +
    // 10) / 18. At week -1 (t = 1/2) it offers 0.03 / 16 = 0.001875. The
    // provider projects its reservation exactly (0.03) and expects a final
    // offer splitting the zone with the old terms: 0.015. Taking the last
    // offer is worth 52 x 1.001875 = 52.10; waiting 8 weeks for 0.015,
    // 8 + 44 x 1.015 = 52.66; the whole 26-week roll-over, 52.39. It waits.
    let mut s = scenario(0.03, &talks(0.05));
    s.payer.concession_exponent = fixed(4.0);
    s.payer.deadline_weeks = fixed(8.0);
    let o = play_all_half(&s);
    let r = o.first();
    assert!(r.rolled_over && !r.payer_stalled);
    assert_eq!(r.deal_week, Some(8));
    close(r.uplift, 0.015, 1e-12, "the final offer");
    close(o.revenue, 8.0 * 1e6 + 44.0 * 1.015e6, 1e-3, "revenue");

    // A payer that stalls lets the last offer lapse: the old terms run the
    // whole evergreen period (26 weeks), then its final offer.
    s.payer.stall_prob = fixed(1.0);
    let stalled = play_all_half(&s);
    assert!(stalled.first().payer_stalled && stalled.first().rolled_over);
    assert_eq!(
        stalled.first().deal_week,
        Some(26),
        "the whole evergreen period"
    );
    close(stalled.first().uplift, 0.015, 1e-12, "then the final offer");
}

#[test]
fn holding_out_to_expiry_is_a_gamble_on_the_payer_stalling() {
    // A Boulware payer (exponent 4) with reservation 0.08 and a deadline 2
    // weeks past expiry: t = (w + 10) / 12, offers 0.08 t^4. A provider that
    // concedes to 0.02 settles at the deadline session: the payer's 0.0253
    // is above 0.02 (its standing ask 0.0289 is not covered): deal at
    // 0.0253. One that holds out (walk-away 0.10) reaches expiry with the
    // last offer 0.0253 on the table and a final offer of 0.04 expected.
    let mut hold = scenario(0.08, &talks(0.10));
    hold.payer.concession_exponent = fixed(4.0);
    hold.payer.deadline_weeks = fixed(2.0);
    let mut concede = hold.clone();
    concede.strategies[0].walk_away = 0.02;
    let c = play_all_half(&concede);
    assert!(c.first().deal_before_expiry);
    assert_eq!(c.first().deal_week, Some(-1));
    close(c.first().uplift, 0.08 * 0.75f64.powi(4), 1e-12, "conceder");

    // The payer stalls (u = 0.5 < 0.9): 26 weeks of old terms, then 0.04:
    // 26 + 26 x 1.04 = 53.04 against the conceder's 52 x 1.0253 = 53.32.
    hold.payer.stall_prob = fixed(0.9);
    let h = play_all_half(&hold);
    assert!(h.first().payer_stalled);
    assert!(c.revenue > h.revenue);
    // It does not: waiting 2 weeks for 0.04 (2 + 50 x 1.04 = 54.0) beats
    // taking 0.0253 now, and beats the conceder.
    hold.payer.stall_prob = fixed(0.0);
    let h = play_all_half(&hold);
    assert_eq!(h.first().deal_week, Some(2));
    close(h.first().uplift, 0.04, 1e-12, "final offer");
    assert!(h.revenue > c.revenue);
}

#[test]
fn a_believed_notice_pulls_the_payers_deadline_to_expiry() {
    // Payer deadline 8 weeks after expiry; a believed notice at -10 with no
    // reservation gain and no faster tactic still moves its clock: at -2 its
    // threshold is 0.075 x 8/9 instead of 0.075 x 8/17.
    let mut s = scenario(0.075, &(talks(0.04) + "notice = -10\nmax_oon_weeks = 26\n"));
    s.payer.deadline_weeks = fixed(8.0);
    s.payer.notice.credibility = fixed(1.0);
    s.payer.notice.reservation_gain = fixed(0.0);
    s.payer.notice.exponent_after = fixed(1.0);
    let o = play_all_half(&s);
    // The staff deal of the base case: 0.06 at week -2.
    assert!(o.first().notice_believed && o.first().deal_before_expiry);
    assert_eq!(o.first().deal_week, Some(-2));
    close(o.first().uplift, 0.06, 1e-12, "uplift");
    // Not believed: the payer's clock stays long and no deal comes before
    // expiry (its offer at -1 is 0.075 x 9/17 = 0.0397 < 0.04).
    s.payer.notice.credibility = fixed(0.0);
    let o = play_all_half(&s);
    assert!(!o.first().deal_before_expiry && o.first().out_of_network);
}
