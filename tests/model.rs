//! Hand-computed paths: worlds with every input fixed, whose deal, week,
//! revenue and patient figures are worked out by hand below.

use impasse::model::world::MeanSource;
use impasse::model::{Plan, Terms, World, play};
use impasse::scenario::Scenario;

/// Common part of the hand-computed scenarios: $1M a week, margin 40 %, no
/// discounting (so present values are plain sums), a one-year horizon.
const BASE: &str = r#"
name = "hand"
[contract]
annual_revenue = 52e6
contribution_margin = 0.4
horizon_weeks = 52
discount_rate = 0.0
evergreen_weeks = 26
status_quo_escalator = 0.0
notice_weeks = 8
attributed_patients = 1000
[payer]
opening_offer = 0.0
reservation = RESERVATION
concession_exponent = 1.0
[provider]
alignment = 1.0
bargaining_weight = 0.5
[provider.oon]
volume_retention = 0.35
weekly_switch_rate = 0.01
return_share = 0.5
continuity_weeks = 4
continuity_share = 0.1
[payer.oon]
reservation_gain = 0.04
pressure_weeks = 4
return_scale_weeks = 10
return_shape = 1.0
[impasse]
min_move = 0.0025
stall_weeks = 4
"#;

fn scenario(payer_reservation: f64, strategy: &str) -> Scenario {
    let base = BASE.replace("RESERVATION", &payer_reservation.to_string());
    let text = format!("{base}\n[payer.notice]\ncredibility = 0.0\n{strategy}");
    Scenario::from_toml(&text, "hand").unwrap()
}

fn play_first(s: &Scenario) -> impasse::model::Outcome {
    let terms = Terms::new(s);
    let plan = Plan::new(&s.strategies[0], &terms);
    let mut world = World::default();
    // Every input at its (fixed) value; every event uniform at 0.5.
    world.fill(s, &mut MeanSource { event_uniform: 0.5 });
    play(&terms, &plan, &world)
}

#[test]
fn staff_deal_by_hand() {
    // Meetings at weeks -10, -8, -6, -4, -2 (lead 10, cadence 2): n = 5,
    // t_k = (k+1)/6. Linear payer from 0 to 0.075: offers 0.0125 k+1.
    // Linear provider from 0.10 to 0.04: asks 0.09, 0.08, 0.07, 0.06, 0.05.
    //   k=3 (week -4): standing ask 0.07 > payer 0.05; offer 0.05 < 0.06; ask 0.06.
    //   k=4 (week -2): standing ask 0.06 <= payer 0.0625: the payer accepts 0.06.
    let s = scenario(
        0.075,
        r#"[[strategy]]
name = "talk"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.04
"#,
    );
    let o = play_first(&s);
    assert!(o.deal_before_expiry);
    assert_eq!(o.deal_week, Some(-2));
    assert!((o.uplift - 0.06).abs() < 1e-12, "uplift {}", o.uplift);
    // 52 weeks at $1M x 1.06, undiscounted.
    assert!(
        (o.revenue - 52.0 * 1.06e6).abs() < 1e-3,
        "revenue {}",
        o.revenue
    );
    // Margin: $1M x (1.06 - 0.6) a week.
    assert!(
        (o.margin - 52.0 * 0.46e6).abs() < 1e-3,
        "margin {}",
        o.margin
    );
    assert!(!o.out_of_network && o.patient_weeks_out_of_network == 0.0);
    assert!(
        o.impasse_week.is_none(),
        "offers move 1.25 points a meeting"
    );
}

#[test]
fn evergreen_roll_over_by_hand() {
    // Payer reservation 0.03 below the provider's walk-away 0.05: no deal.
    // The payer's last offer is its threshold at t = 5/6: 0.025. No notice:
    // the old terms roll over for 26 weeks, then 0.025 applies.
    let s = scenario(
        0.03,
        r#"[[strategy]]
name = "wait"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.05
"#,
    );
    let o = play_first(&s);
    assert!(!o.deal_before_expiry && !o.out_of_network);
    assert_eq!(o.deal_week, Some(26));
    assert!((o.uplift - 0.025).abs() < 1e-12);
    let expected = 26.0 * 1e6 + 26.0 * 1.025e6;
    assert!((o.revenue - expected).abs() < 1e-3, "revenue {}", o.revenue);
    // Offers move 0.5 points a meeting, more than the 0.25 stall threshold.
    assert!(o.impasse_week.is_none());
}

#[test]
fn out_of_network_by_hand() {
    // Same talks as the roll-over case, but the provider sent notice at week
    // -10 (not believed: credibility 0) and will stay out up to 26 weeks.
    // Out of network from expiry. The payer comes back at
    // T = ceil(10 * ln 2) = 7 weeks (Weibull shape 1, u = 0.5). Its
    // reservation then is 0.03 + 0.04 (1 - exp(-7/4)) = 0.0630490...,
    // above the walk-away 0.05, so the Nash split with weight 0.5 gives
    // 0.05 + 0.5 (0.0630490 - 0.05).
    let s = scenario(
        0.03,
        r#"[[strategy]]
name = "leave"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.05
notice = -10
max_oon_weeks = 26
"#,
    );
    let o = play_first(&s);
    assert!(o.out_of_network && !o.deal_before_expiry && !o.bluff_called);
    assert_eq!(o.oon_weeks, 7);
    assert_eq!(o.deal_week, Some(7));
    let reservation = 0.03 + 0.04 * (1.0 - (-7.0f64 / 4.0).exp());
    let uplift = 0.05 + 0.5 * (reservation - 0.05);
    assert!((o.uplift - uplift).abs() < 1e-12);

    // Revenue: 7 weeks at 35 % of $1M, shrinking 1 % a week as patients
    // switch; then 45 weeks at the new rate, with half the switched back.
    let mut revenue = 0.0;
    let mut patient_weeks = 0.0;
    let mut remaining = 1.0f64;
    for week in 0..7 {
        revenue += 0.35e6 * remaining;
        let protected = if week < 4 { 0.1 } else { 0.0 };
        patient_weeks += 1000.0 * remaining * (1.0 - protected);
        remaining *= 0.99;
    }
    let volume_after = remaining + 0.5 * (1.0 - remaining);
    revenue += 45.0 * 1e6 * (1.0 + uplift) * volume_after;
    assert!(
        (o.revenue - revenue).abs() < 1e-3,
        "revenue {} vs {revenue}",
        o.revenue
    );
    assert!((o.patient_weeks_out_of_network - patient_weeks).abs() < 1e-9);
    let switched = 1000.0 * (1.0 - 0.99f64.powi(7)) * 0.5;
    assert!((o.patients_switched - switched).abs() < 1e-9);
}

#[test]
fn bluff_is_called_at_expiry() {
    // Notice without willingness to leave: at expiry the provider withdraws
    // it and takes the payer's last offer (0.025) from week 0.
    let s = scenario(
        0.03,
        r#"[[strategy]]
name = "bluff"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.05
notice = -10
max_oon_weeks = 0
"#,
    );
    let o = play_first(&s);
    assert!(o.bluff_called && !o.out_of_network);
    assert_eq!(o.deal_week, Some(0));
    assert!((o.revenue - 52.0 * 1.025e6).abs() < 1e-3);
}

#[test]
fn capitulation_at_the_provider_limit() {
    // Willing to stay out only 3 weeks, fewer than the payer's 7: the
    // provider gives in at week 3 at the payer's last offer, 0.025.
    let s = scenario(
        0.03,
        r#"[[strategy]]
name = "short"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.05
notice = -10
max_oon_weeks = 3
"#,
    );
    let o = play_first(&s);
    assert!(o.out_of_network);
    assert_eq!(o.oon_weeks, 3);
    assert!((o.uplift - 0.025).abs() < 1e-12);
}

#[test]
fn late_escalation_reaches_the_out_of_network_deal() {
    // Escalation at week -1, after the last meeting (-2): the executives
    // (success certain, lag 2 weeks) meet at week +1, out of network. Their
    // gain of 0.02 adds to the reservation the payer brings back at week 7.
    let s = scenario(
        0.03,
        r#"[payer.exec]
success_prob = 1.0
reservation_gain = 0.02
lag_weeks = 2
premature_penalty = 0.0
[[strategy]]
name = "leave-late-escalation"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.05
escalation = -1
notice = -10
max_oon_weeks = 26
"#,
    );
    let o = play_first(&s);
    assert!(o.out_of_network && o.exec_engaged);
    assert_eq!(o.oon_weeks, 7);
    let reservation = 0.03 + 0.02 + 0.04 * (1.0 - (-7.0f64 / 4.0).exp());
    assert!((o.uplift - (0.05 + 0.5 * (reservation - 0.05))).abs() < 1e-12);
}

#[test]
fn items_won_are_traded_against_the_rate() {
    // The staff-deal case with one item on the table, won for sure at staff
    // level: the payer's reservation drops by its cost (0.075 - 0.01 =
    // 0.065), so its thresholds are 0.065 (k+1)/6. The item is worth
    // $520,000 a year, one point of the $52M revenue, so the provider's
    // walk-away drops a point, to 0.03: its asks are 0.10 - 0.07 t, i.e.
    // 0.0883, 0.0767, 0.065, 0.0533. At week -2 the payer's threshold
    // 0.0541667 covers the standing ask 0.0533: deal at 0.10 - 0.07 (4/6).
    // The provider gets the item's $10,000 a week on top.
    let s = scenario(
        0.075,
        r#"[[item]]
name = "denials"
annual_value = 520000
payer_cost = 0.01
p_win_staff = 1.0
p_win_exec = 1.0
[[strategy]]
name = "all-issues"
lead_weeks = 10
cadence_weeks = 2
opening_ask = 0.10
walk_away = 0.04
agenda = "all-issues"
"#,
    );
    let o = play_first(&s);
    assert_eq!(o.deal_week, Some(-2));
    let uplift = 0.10 - 0.07 * 4.0 / 6.0;
    assert!((o.uplift - uplift).abs() < 1e-12, "uplift {}", o.uplift);
    assert_eq!(o.nonrate_value, 520_000.0);
    let revenue = 52.0 * (1e6 * (1.0 + uplift) + 10_000.0);
    assert!((o.revenue - revenue).abs() < 1e-3, "revenue {}", o.revenue);
}
