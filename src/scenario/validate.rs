//! Range checks for every scenario field. Each failure names the field by
//! its dotted path (the one `--set` takes), shows the value, and says what is
//! allowed.

use std::collections::HashSet;

use super::{Dist, Scenario, ScenarioError, Trigger};

/// Longest horizon, lead time or other span accepted, in weeks (10 years).
const MAX_WEEKS: f64 = 520.0;

/// Check that a distribution is well formed and that every value it can take
/// lies in `[lo, hi]`; `what` names the range in words for the message.
fn range(field: &str, dist: &Dist, lo: f64, hi: f64, what: &str) -> Result<(), ScenarioError> {
    if let Err(reason) = dist.check() {
        return Err(ScenarioError::invalid(field, dist, reason));
    }
    let (min, max) = dist.support();
    if min < lo || max > hi {
        let reach = if dist.is_fixed() {
            String::new()
        } else {
            format!(
                " (this distribution ranges over [{min}, {max}]; give it bounds inside the range)"
            )
        };
        return Err(ScenarioError::invalid(
            field,
            dist,
            format!("{what}{reach}"),
        ));
    }
    Ok(())
}

fn probability(field: &str, dist: &Dist) -> Result<(), ScenarioError> {
    range(
        field,
        dist,
        0.0,
        1.0,
        "a probability or share must lie in [0, 1]",
    )
}

fn uplift(field: &str, dist: &Dist) -> Result<(), ScenarioError> {
    range(
        field,
        dist,
        -0.5,
        3.0,
        "an uplift is a fraction of today's rates (0.03 = +3 %) and must lie in [-0.5, 3]",
    )
}

fn gain(field: &str, dist: &Dist) -> Result<(), ScenarioError> {
    range(
        field,
        dist,
        0.0,
        1.0,
        "a gain in uplift points must lie in [0, 1] (0.01 = one point)",
    )
}

fn money(field: &str, dist: &Dist) -> Result<(), ScenarioError> {
    magnitude(
        field,
        dist,
        1e13,
        "an amount of money must lie in [0, 1e13] dollars",
    )
}

/// Zero or more and at most `hi`; an unbounded distribution (lognormal,
/// normal without bounds) must keep all but a 1e-12 tail below `hi`, so
/// that no drawn value overflows the sums of a run.
fn magnitude(field: &str, dist: &Dist, hi: f64, what: &str) -> Result<(), ScenarioError> {
    if let Err(reason) = dist.check() {
        return Err(ScenarioError::invalid(field, dist, reason));
    }
    let (min, max) = dist.support();
    let top = if max.is_finite() {
        max
    } else {
        dist.quantile(1.0 - 1e-12)
    };
    if min < 0.0 || top.is_nan() || top > hi {
        let reach = if dist.is_fixed() {
            String::new()
        } else {
            format!(" (this distribution reaches {top:e})")
        };
        return Err(ScenarioError::invalid(
            field,
            dist,
            format!("{what}{reach}"),
        ));
    }
    Ok(())
}

fn exponent(field: &str, dist: &Dist) -> Result<(), ScenarioError> {
    range(
        field,
        dist,
        0.01,
        100.0,
        "a concession exponent must lie in [0.01, 100] (> 1 Boulware, 1 linear, < 1 Conceder)",
    )
}

fn weeks(field: &str, dist: &Dist, min: f64) -> Result<(), ScenarioError> {
    range(
        field,
        dist,
        min,
        MAX_WEEKS,
        &format!("a number of weeks must lie in [{min}, {MAX_WEEKS}]"),
    )
}

fn whole_weeks(field: &str, value: u32, min: u32, max: u32) -> Result<(), ScenarioError> {
    if value < min || value > max {
        return Err(ScenarioError::invalid(
            field,
            value,
            format!("must be a whole number of weeks in [{min}, {max}]"),
        ));
    }
    Ok(())
}

/// `[decision]`: plain numbers, where `inf` means "no limit".
fn decision(d: &super::Decision) -> Result<(), ScenarioError> {
    let check = |field: &str, x: f64, ok: bool, allowed: &str| {
        if ok {
            Ok(())
        } else {
            Err(ScenarioError::invalid(field, x, allowed))
        }
    };
    let r = d.risk_tolerance;
    check(
        "decision.risk_tolerance",
        r,
        r == f64::INFINITY || (1e3..=1e13).contains(&r),
        "a risk tolerance must be inf (risk neutral) or an amount of dollars in [1e3, 1e13]",
    )?;
    let p = d.patient_week_price;
    check(
        "decision.patient_week_price",
        p,
        p.is_finite() && (0.0..=1e7).contains(&p),
        "a price per patient-week must lie in [0, 1e7] dollars",
    )?;
    let q = d.max_p_out_of_network;
    check(
        "decision.max_p_out_of_network",
        q,
        (0.0..=1.0).contains(&q),
        "a probability must lie in [0, 1] (1: no limit)",
    )?;
    let n = d.max_patients_affected;
    check(
        "decision.max_patients_affected",
        n,
        n == f64::INFINITY || (0.0..=1e9).contains(&n),
        "must be a number of patients in [0, 1e9], or inf (no limit)",
    )?;
    let m = d.materiality;
    check(
        "decision.materiality",
        m,
        m.is_finite() && (0.0..=1e13).contains(&m),
        "an amount of money must lie in [0, 1e13] dollars",
    )?;
    Ok(())
}

/// A name usable as one segment of a `--set` path.
fn name_ok(field: &str, name: &str) -> Result<(), ScenarioError> {
    if name.is_empty() || name.contains(['.', '=', ',', ' ']) {
        return Err(ScenarioError::invalid(
            field,
            format!("{name:?}"),
            "a name must be non-empty, without spaces, dots, commas or '='",
        ));
    }
    Ok(())
}

pub(super) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    decision(&s.decision)?;
    let c = &s.contract;
    money("contract.annual_revenue", &c.annual_revenue)?;
    // Every rate term is a share of the revenue: a draw near zero (a
    // subnormal one, from a beta with tiny shapes) makes means NaN. All but
    // a 1e-12 tail must be at least a dollar a year.
    let low = c.annual_revenue.quantile(1e-12);
    if low.is_nan() || low < 1.0 {
        return Err(ScenarioError::invalid(
            "contract.annual_revenue",
            &c.annual_revenue,
            "must be at least 1 dollar a year, but for a 1e-12 tail (every rate term is a share of it)",
        ));
    }
    probability("contract.contribution_margin", &c.contribution_margin)?;
    whole_weeks("contract.term_weeks", c.term_weeks, 1, MAX_WEEKS as u32)?;
    if c.renewals < 1 || c.renewals as usize > super::MAX_RENEWALS {
        return Err(ScenarioError::invalid(
            "contract.renewals",
            c.renewals,
            format!(
                "must be a whole number of renewals in [1, {}] (this one and the ones after it)",
                super::MAX_RENEWALS
            ),
        ));
    }
    if c.term_weeks * c.renewals > 2 * MAX_WEEKS as u32 {
        return Err(ScenarioError::invalid(
            "contract.renewals",
            c.renewals,
            format!(
                "renewals x term_weeks ({} weeks) must not exceed {} weeks (20 years)",
                c.term_weeks * c.renewals,
                2 * MAX_WEEKS as u32
            ),
        ));
    }
    range(
        "contract.discount_rate",
        &c.discount_rate,
        0.0,
        1.0,
        "a yearly discount rate must lie in [0, 1]",
    )?;
    whole_weeks(
        "contract.evergreen_weeks",
        c.evergreen_weeks,
        0,
        MAX_WEEKS as u32,
    )?;
    uplift("contract.status_quo_escalator", &c.status_quo_escalator)?;
    whole_weeks("contract.notice_weeks", c.notice_weeks, 0, 104)?;
    if c.evergreen_weeks > c.term_weeks {
        return Err(ScenarioError::invalid(
            "contract.evergreen_weeks",
            c.evergreen_weeks,
            format!(
                "a roll-over must not outlast the term (contract.term_weeks = {})",
                c.term_weeks
            ),
        ));
    }
    magnitude(
        "contract.attributed_patients",
        &c.attributed_patients,
        1e9,
        "a number of patients must lie in [0, 1e9]",
    )?;

    let p = &s.payer;
    uplift("payer.opening_offer", &p.opening_offer)?;
    uplift("payer.reservation", &p.reservation)?;
    exponent("payer.concession_exponent", &p.concession_exponent)?;
    weeks("payer.response_weeks", &p.response_weeks, 0.0)?;
    weeks("payer.deadline_weeks", &p.deadline_weeks, 0.0)?;
    probability("payer.stall_prob", &p.stall_prob)?;
    probability("payer.exec.success_prob", &p.exec.success_prob)?;
    gain("payer.exec.reservation_gain", &p.exec.reservation_gain)?;
    exponent("payer.exec.exponent_after", &p.exec.exponent_after)?;
    weeks("payer.exec.lag_weeks", &p.exec.lag_weeks, 0.0)?;
    probability("payer.exec.premature_penalty", &p.exec.premature_penalty)?;
    probability("payer.exec.backlash_prob", &p.exec.backlash_prob)?;
    probability(
        "payer.exec.premature_backlash_prob",
        &p.exec.premature_backlash_prob,
    )?;
    range(
        "payer.exec.backlash_exponent_add",
        &p.exec.backlash_exponent_add,
        0.0,
        50.0,
        "an exponent increase must lie in [0, 50]",
    )?;
    gain(
        "payer.exec.backlash_reservation_loss",
        &p.exec.backlash_reservation_loss,
    )?;
    probability("payer.exec.retry_factor", &p.exec.retry_factor)?;
    probability("payer.notice.credibility", &p.notice.credibility)?;
    gain("payer.notice.reservation_gain", &p.notice.reservation_gain)?;
    exponent("payer.notice.exponent_after", &p.notice.exponent_after)?;
    probability(
        "payer.notice.bluff_credibility",
        &p.notice.bluff_credibility,
    )?;
    probability(
        "payer.notice.refuse_to_talk_prob",
        &p.notice.refuse_to_talk_prob,
    )?;
    gain("payer.notice.called_bluff_cut", &p.notice.called_bluff_cut)?;
    gain("payer.oon.reservation_gain", &p.oon.reservation_gain)?;
    weeks("payer.oon.pressure_weeks", &p.oon.pressure_weeks, 0.01)?;
    weeks(
        "payer.oon.return_scale_weeks",
        &p.oon.return_scale_weeks,
        0.01,
    )?;
    range(
        "payer.oon.return_shape",
        &p.oon.return_shape,
        0.1,
        20.0,
        "a Weibull shape must lie in [0.1, 20] (> 1: the payer's hazard of coming back grows with time)",
    )?;

    let v = &s.provider;
    probability("provider.alignment", &v.alignment)?;
    probability("provider.misaligned_factor", &v.misaligned_factor)?;
    probability("provider.bargaining_weight", &v.bargaining_weight)?;
    weeks("provider.data_prep_weeks", &v.data_prep_weeks, 0.0)?;
    money("provider.escalation_cost", &v.escalation_cost)?;
    money("provider.other_revenue", &v.other_revenue)?;
    weeks("provider.notice.letter_weeks", &v.notice.letter_weeks, 0.0)?;
    probability(
        "provider.notice.pre_expiry_switch_rate",
        &v.notice.pre_expiry_switch_rate,
    )?;
    probability(
        "provider.notice.misaligned_withdraw_prob",
        &v.notice.misaligned_withdraw_prob,
    )?;
    probability("provider.oon.volume_retention", &v.oon.volume_retention)?;
    probability("provider.oon.weekly_switch_rate", &v.oon.weekly_switch_rate)?;
    probability("provider.oon.return_share", &v.oon.return_share)?;
    weeks(
        "provider.oon.continuity_weeks",
        &v.oon.continuity_weeks,
        0.0,
    )?;
    probability("provider.oon.continuity_share", &v.oon.continuity_share)?;
    money("provider.oon.fixed_cost", &v.oon.fixed_cost)?;
    probability("provider.oon.spillover_share", &v.oon.spillover_share)?;

    let gap = s.impasse.min_gap;
    if !(gap.is_finite() && (0.0..=1.0).contains(&gap)) {
        return Err(ScenarioError::invalid(
            "impasse.min_gap",
            gap,
            "a gap in uplift points must lie in [0, 1] (0.0025 = a quarter point)",
        ));
    }
    exponent(
        "impasse.expected_payer_exponent",
        &Dist::Fixed(s.impasse.expected_payer_exponent),
    )?;
    whole_weeks("impasse.stall_weeks", s.impasse.stall_weeks, 1, 104)?;
    gain("data.reservation_gain", &s.data.reservation_gain)?;
    money("data.cost", &s.data.cost)?;

    let r = &s.relationship;
    probability(
        "relationship.called_bluff_credibility",
        &r.called_bluff_credibility,
    )?;
    probability("relationship.repeat_threat_factor", &r.repeat_threat_factor)?;
    probability("relationship.oon_credibility_gain", &r.oon_credibility_gain)?;
    probability("relationship.backlash_memory", &r.backlash_memory)?;
    gain("relationship.goodwill_gain", &r.goodwill_gain)?;

    let mut item_names = HashSet::new();
    for item in &s.items {
        name_ok("item.name", &item.name)?;
        if !item_names.insert(item.name.as_str()) {
            return Err(ScenarioError::invalid(
                "item.name",
                format!("{:?}", item.name),
                "item names must be unique",
            ));
        }
        let at = |f: &str| format!("item.{}.{f}", item.name);
        money(&at("annual_value"), &item.annual_value)?;
        probability(&at("transfer_share"), &item.transfer_share)?;
        weeks(&at("weeks"), &item.weeks, 0.0)?;
        probability(&at("p_win_staff"), &item.p_win_staff)?;
        probability(&at("p_win_exec"), &item.p_win_exec)?;
    }

    if s.strategies.is_empty() {
        return Err(ScenarioError::invalid(
            "strategy",
            "none",
            "a scenario needs at least one [[strategy]]",
        ));
    }
    let mut names = HashSet::new();
    for st in &s.strategies {
        name_ok("strategy.name", &st.name)?;
        if !names.insert(st.name.as_str()) {
            return Err(ScenarioError::invalid(
                "strategy.name",
                format!("{:?}", st.name),
                "strategy names must be unique (this one appears twice)",
            ));
        }
        let at = |f: &str| format!("strategy.{}.{f}", st.name);
        whole_weeks(&at("lead_weeks"), st.lead_weeks, 1, MAX_WEEKS as u32)?;
        whole_weeks(&at("cadence_weeks"), st.cadence_weeks, 1, st.lead_weeks)?;
        uplift(&at("opening_ask"), &Dist::Fixed(st.opening_ask))?;
        uplift(&at("walk_away"), &Dist::Fixed(st.walk_away))?;
        if st.walk_away > st.opening_ask {
            return Err(ScenarioError::invalid(
                at("walk_away"),
                st.walk_away,
                format!(
                    "the walk-away must not exceed the opening ask ({})",
                    st.opening_ask
                ),
            ));
        }
        exponent(
            &at("concession_exponent"),
            &Dist::Fixed(st.concession_exponent),
        )?;
        whole_weeks(&at("max_oon_weeks"), st.max_oon_weeks, 0, MAX_WEEKS as u32)?;
        for (field, condition, trigger) in [
            (
                "escalate_if_offer_below",
                st.escalate_if_offer_below,
                st.escalation,
            ),
            ("notice_if_offer_below", st.notice_if_offer_below, st.notice),
        ] {
            if let Some(x) = condition {
                uplift(&at(field), &Dist::Fixed(x))?;
                if trigger == Trigger::Never {
                    return Err(ScenarioError::invalid(
                        at(field),
                        x,
                        "a condition needs a move to apply to: set the move's week (or now, or on_impasse), or drop the condition",
                    ));
                }
            }
        }
        let lead = -(st.lead_weeks as i32);
        if let Trigger::Week(w) = st.escalation
            && !(lead..=-1).contains(&w)
        {
            return Err(ScenarioError::invalid(
                at("escalation"),
                w,
                format!(
                    "an escalation week must lie between the opening of talks ({lead}) and the week before expiry (-1)"
                ),
            ));
        }
        if let Trigger::Week(w) = st.escalation_retry
            && !(lead..=-1).contains(&w)
        {
            return Err(ScenarioError::invalid(
                at("escalation_retry"),
                w,
                format!(
                    "a retry week must lie between the opening of talks ({lead}) and the week before expiry (-1)"
                ),
            ));
        }
        if st.escalation_retry == Trigger::Now {
            return Err(ScenarioError::invalid(
                at("escalation_retry"),
                "now",
                "a retry comes after a refusal: use never, on_impasse, or a week after the first escalation",
            ));
        }
        if st.escalation_retry != Trigger::Never && st.escalation == Trigger::Never {
            return Err(ScenarioError::invalid(
                at("escalation_retry"),
                st.escalation_retry,
                "a retry needs a first escalation: set `escalation` too, or leave the retry at never",
            ));
        }
        let deadline = -(c.notice_weeks as i32);
        match st.notice {
            Trigger::Week(w) if w > deadline || w < lead => {
                return Err(ScenarioError::invalid(
                    at("notice"),
                    w,
                    format!(
                        "a notice must be sent between the opening of talks ({lead}) and the legal notice deadline ({deadline}, from contract.notice_weeks = {})",
                        c.notice_weeks
                    ),
                ));
            }
            Trigger::Now if lead > deadline => {
                return Err(ScenarioError::invalid(
                    at("notice"),
                    "now",
                    format!(
                        "talks open at week {lead}, after the legal notice deadline ({deadline}); open earlier or drop the notice"
                    ),
                ));
            }
            _ => {}
        }
    }
    if let Some(b) = &s.baseline
        && !names.contains(b.as_str())
    {
        let known: Vec<&str> = s.strategies.iter().map(|s| s.name.as_str()).collect();
        return Err(ScenarioError::invalid(
            "baseline",
            format!("{b:?}"),
            format!("must name a strategy: one of {}", known.join(", ")),
        ));
    }
    if let Some(o) = &s.optimize {
        optimize(o)?;
    }
    super::correlation::Copula::new(s)?;
    Ok(())
}

/// `[optimize]`: known field names, ranges in order and inside what the
/// strategy fields allow.
fn optimize(o: &super::OptimizeSpec) -> Result<(), ScenarioError> {
    for f in &o.fix {
        if !super::DECISION_FIELDS.contains(&f.as_str()) {
            return Err(ScenarioError::invalid(
                "optimize.fix",
                format!("{f:?}"),
                format!(
                    "must name decision fields: {}",
                    super::DECISION_FIELDS.join(", ")
                ),
            ));
        }
    }
    let pair = |field: &str, r: Option<[f64; 2]>, lo: f64, hi: f64, what: &str| {
        if let Some([a, b]) = r
            && !(a.is_finite() && b.is_finite() && lo <= a && a <= b && b <= hi)
        {
            return Err(ScenarioError::invalid(
                format!("optimize.{field}"),
                format!("[{a}, {b}]"),
                format!("write [low, high] with {lo} <= low <= high <= {hi} ({what})"),
            ));
        }
        Ok(())
    };
    let whole = |r: Option<[u32; 2]>| r.map(|[a, b]| [f64::from(a), f64::from(b)]);
    pair("lead_weeks", whole(o.lead_weeks), 1.0, MAX_WEEKS, "weeks")?;
    pair(
        "cadence_weeks",
        whole(o.cadence_weeks),
        1.0,
        MAX_WEEKS,
        "weeks",
    )?;
    pair(
        "max_oon_weeks",
        whole(o.max_oon_weeks),
        0.0,
        MAX_WEEKS,
        "weeks",
    )?;
    pair("opening_ask", o.opening_ask, -0.5, 3.0, "an uplift a year")?;
    pair("walk_away", o.walk_away, -0.5, 3.0, "an uplift a year")?;
    pair(
        "concession_exponent",
        o.concession_exponent,
        0.01,
        100.0,
        "an exponent",
    )?;
    Ok(())
}
