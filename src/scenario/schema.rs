//! The scenario file as a user writes it: every section, field and default.
//!
//! These types mirror the TOML layout one to one (`[contract]`, `[payer]`,
//! `[payer.exec]`, ..., `[[item]]`, `[[strategy]]`), reject unknown keys, and
//! fill every optional field with the default documented in the README (most
//! taken from `CALIBRATION.md`). They hold what was written, not what it means:
//! checking ranges is `scenario::validate`'s job, and turning it into
//! numbers for one Monte Carlo path is [`crate::model::world`]'s.

use serde::{Deserialize, Serialize};

use super::correlation::Correlation;
use super::dist::Dist;
use super::trigger::Trigger;

/// A whole scenario: one contract renewal and the strategies to compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name shown in reports.
    #[serde(default = "default_name")]
    pub name: String,
    /// One or two sentences on the situation.
    #[serde(default)]
    pub description: String,
    /// The strategy others are compared with (default: the first strategy).
    #[serde(default)]
    pub baseline: Option<String>,
    /// The contract being renewed.
    pub contract: Contract,
    /// The insurer's behaviour.
    #[serde(default)]
    pub payer: Payer,
    /// The provider's organisation (not its strategy).
    #[serde(default)]
    pub provider: Provider,
    /// When staff talks count as stalled.
    #[serde(default)]
    pub impasse: Impasse,
    /// The effect and cost of a well-documented case.
    #[serde(default)]
    pub data: DataPrep,
    /// What the payer remembers from one renewal to the next.
    #[serde(default)]
    pub relationship: Relationship,
    /// Non-rate terms that can be put on the table beside the rate.
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
    /// Rank correlations between uncertain inputs (`[[correlation]]`), drawn
    /// through a Gaussian copula; none by default.
    #[serde(default, rename = "correlation", skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<Correlation>,
    /// What the board maximises, its limits and what counts as material.
    #[serde(default)]
    pub decision: Decision,
    /// The strategies to compare (at least one).
    #[serde(rename = "strategy")]
    pub strategies: Vec<Strategy>,
    /// `[optimize]`: what `impasse optimize` may change, and within what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimize: Option<OptimizeSpec>,
}

fn default_name() -> String {
    "unnamed scenario".to_string()
}

/// `[contract]`: money, time and the legal terms of the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Yearly revenue from this payer's members at today's rates, in dollars.
    pub annual_revenue: Dist,
    /// Contribution margin at today's rates: (revenue - variable cost) / revenue.
    #[serde(default = "d::contribution_margin")]
    pub contribution_margin: Dist,
    /// Length of one contract term in weeks (default 156: a 3-year term).
    #[serde(default = "d::term_weeks")]
    pub term_weeks: u32,
    /// Renewals counted: this one and the ones after it (default 2). Revenue
    /// is counted over `renewals * term_weeks` weeks from expiry.
    #[serde(default = "d::renewals")]
    pub renewals: u32,
    /// Yearly discount rate for net present values.
    #[serde(default = "d::discount_rate")]
    pub discount_rate: Dist,
    /// Weeks the old terms roll over at expiry when no notice was given (0: no roll-over).
    #[serde(default = "d::evergreen_weeks")]
    pub evergreen_weeks: u32,
    /// Yearly uplift the old terms carry while they roll over.
    #[serde(default = "d::status_quo_escalator")]
    pub status_quo_escalator: Dist,
    /// Legal notice period for non-renewal, in weeks before expiry.
    #[serde(default = "d::notice_weeks")]
    pub notice_weeks: u32,
    /// Patients attributed to the provider among the payer's members.
    pub attributed_patients: Dist,
}

/// `[payer]`: the insurer's tactic and how it responds to the provider's moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payer {
    /// The payer's first offer, as an uplift (0.0 = today's rates).
    #[serde(default = "d::opening_offer")]
    pub opening_offer: Dist,
    /// The highest uplift the payer's staff can grant.
    #[serde(default = "d::reservation")]
    pub reservation: Dist,
    /// Time-dependent tactic exponent: > 1 Boulware, 1 linear, < 1 Conceder.
    #[serde(default = "d::payer_exponent")]
    pub concession_exponent: Dist,
    /// Weeks the payer takes to answer the provider's proposal; no impasse
    /// is counted before its answer.
    #[serde(default = "d::response_weeks")]
    pub response_weeks: Dist,
    /// Weeks after expiry by which the payer's staff would reach its
    /// reservation when the old terms can roll over: a payer with an
    /// evergreen clause is in no hurry. A believed notice, or a contract
    /// without roll-over, moves its deadline to expiry.
    #[serde(default = "d::payer_deadline_weeks")]
    pub deadline_weeks: Dist,
    /// Probability that, once the old terms roll over, the payer stalls: it
    /// lets them run the whole evergreen period before its final offer
    /// (delay costs it nothing).
    #[serde(default = "d::payer_stall_prob")]
    pub stall_prob: Dist,
    /// Response to escalation to the payer's executives.
    #[serde(default)]
    pub exec: Exec,
    /// Response to a notice of non-renewal.
    #[serde(default)]
    pub notice: NoticeResponse,
    /// Behaviour while the provider is out of network.
    #[serde(default)]
    pub oon: PayerOon,
}

impl Default for Payer {
    fn default() -> Self {
        Payer {
            opening_offer: d::opening_offer(),
            reservation: d::reservation(),
            concession_exponent: d::payer_exponent(),
            response_weeks: d::response_weeks(),
            deadline_weeks: d::payer_deadline_weeks(),
            stall_prob: d::payer_stall_prob(),
            exec: Exec::default(),
            notice: NoticeResponse::default(),
            oon: PayerOon::default(),
        }
    }
}

/// `[payer.exec]`: what escalation to the payer's executives can do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exec {
    /// Probability that the executives engage after a well-timed escalation.
    #[serde(default = "d::exec_success_prob")]
    pub success_prob: Dist,
    /// Rise in the payer's reservation when they engage (higher authority).
    #[serde(default = "d::exec_reservation_gain")]
    pub reservation_gain: Dist,
    /// The payer's concession exponent once executives are engaged.
    #[serde(default = "d::exec_exponent_after")]
    pub exponent_after: Dist,
    /// Weeks from escalation to the executive meeting.
    #[serde(default = "d::exec_lag_weeks")]
    pub lag_weeks: Dist,
    /// Share of the success probability lost when escalating before an impasse.
    #[serde(default = "d::exec_premature_penalty")]
    pub premature_penalty: Dist,
    /// Probability that a refused escalation made after an impasse hardens
    /// the payer's staff (backlash).
    #[serde(default = "d::exec_backlash_prob")]
    pub backlash_prob: Dist,
    /// Probability of backlash when a premature escalation is refused.
    #[serde(default = "d::exec_premature_backlash_prob")]
    pub premature_backlash_prob: Dist,
    /// Added to the staff's concession exponent on backlash (slower tactic).
    #[serde(default = "d::exec_backlash_exponent_add")]
    pub backlash_exponent_add: Dist,
    /// Fall of the staff's reservation on backlash (lost discretion), uplift points.
    #[serde(default = "d::exec_backlash_reservation_loss")]
    pub backlash_reservation_loss: Dist,
    /// Factor on the success probability of an escalation to executives who
    /// refused before (a second attempt, or the next renewal).
    #[serde(default = "d::exec_retry_factor")]
    pub retry_factor: Dist,
}

impl Default for Exec {
    fn default() -> Self {
        Exec {
            success_prob: d::exec_success_prob(),
            reservation_gain: d::exec_reservation_gain(),
            exponent_after: d::exec_exponent_after(),
            lag_weeks: d::exec_lag_weeks(),
            premature_penalty: d::exec_premature_penalty(),
            backlash_prob: d::exec_backlash_prob(),
            premature_backlash_prob: d::exec_premature_backlash_prob(),
            backlash_exponent_add: d::exec_backlash_exponent_add(),
            backlash_reservation_loss: d::exec_backlash_reservation_loss(),
            retry_factor: d::exec_retry_factor(),
        }
    }
}

/// `[payer.notice]`: how the payer reads a notice of non-renewal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeResponse {
    /// Probability that a notice from an aligned, willing provider is
    /// believed. A payer that believes a notice keeps talking.
    #[serde(default = "d::notice_credibility")]
    pub credibility: Dist,
    /// Rise in the payer's reservation when the notice is believed.
    #[serde(default = "d::notice_reservation_gain")]
    pub reservation_gain: Dist,
    /// The payer's concession exponent once a notice is believed.
    #[serde(default = "d::notice_exponent_after")]
    pub exponent_after: Dist,
    /// Probability that a notice from a provider not willing to leave (a
    /// bluff) is believed.
    #[serde(default = "d::bluff_credibility")]
    pub bluff_credibility: Dist,
    /// Share of payers that answer a notice by refusing to talk until the
    /// contract ends (their offer freezes from the notice to expiry). Only a
    /// payer that does not believe the notice refuses: the refusal
    /// probability among non-believers is `min(1, this / (1 - credibility))`,
    /// so the share is this value while it is at most `1 - credibility`.
    #[serde(default = "d::refuse_to_talk_prob")]
    pub refuse_to_talk_prob: Dist,
    /// Cut of the payer's last offer when a bluff is called and it chooses
    /// to cut rather than rescind the notice, uplift points.
    #[serde(default = "d::called_bluff_cut")]
    pub called_bluff_cut: Dist,
}

impl Default for NoticeResponse {
    fn default() -> Self {
        NoticeResponse {
            credibility: d::notice_credibility(),
            reservation_gain: d::notice_reservation_gain(),
            exponent_after: d::notice_exponent_after(),
            bluff_credibility: d::bluff_credibility(),
            refuse_to_talk_prob: d::refuse_to_talk_prob(),
            called_bluff_cut: d::called_bluff_cut(),
        }
    }
}

/// The quantity a decision maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Objective {
    /// Net present contribution margin less the costs of moves.
    Margin,
    /// Net present revenue from this payer.
    Revenue,
}

impl Objective {
    /// The word used in tables and reports.
    pub fn label(self) -> &'static str {
        match self {
            Objective::Margin => "margin",
            Objective::Revenue => "revenue",
        }
    }
}

/// `[decision]`: how the board turns the simulated outcomes into a choice.
///
/// Each path is scored `objective - patient_week_price x patient-weeks out of
/// network`; a strategy's value is the certainty equivalent of that score
/// under exponential utility with `risk_tolerance` (the mean when it is
/// infinite). Strategies outside the board's limits are not recommended; the
/// best of the rest is a clear winner only if it leads the runner-up by more
/// than `materiality` and scores higher in most worlds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `margin` (default) or `revenue`.
    #[serde(default = "d::objective")]
    pub objective: Objective,
    /// Risk tolerance R in dollars: the value of a gamble is
    /// `-R ln E[exp(-X / R)]`. `inf` (the default) is risk neutral.
    #[serde(default = "d::infinity")]
    pub risk_tolerance: f64,
    /// Dollars charged per patient-week without in-network access (0: patients
    /// are weighed by the limits only).
    #[serde(default)]
    pub patient_week_price: f64,
    /// Highest acceptable probability of going out of network at any renewal
    /// (1: no limit).
    #[serde(default = "d::one")]
    pub max_p_out_of_network: f64,
    /// Most patients that may lose in-network access in an out-of-network
    /// episode, on average over the episodes (`inf`: no limit).
    #[serde(default = "d::infinity")]
    pub max_patients_affected: f64,
    /// A lead smaller than this, in dollars, is not material.
    #[serde(default = "d::materiality")]
    pub materiality: f64,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            objective: d::objective(),
            risk_tolerance: d::infinity(),
            patient_week_price: 0.0,
            max_p_out_of_network: d::one(),
            max_patients_affected: d::infinity(),
            materiality: d::materiality(),
        }
    }
}

/// `[payer.oon]`: the payer's side of an out-of-network period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayerOon {
    /// How far the payer's reservation can rise under out-of-network pressure.
    #[serde(default = "d::oon_reservation_gain")]
    pub reservation_gain: Dist,
    /// Weeks for the pressure to build (time constant of 1 - exp(-w / pressure_weeks)).
    #[serde(default = "d::oon_pressure_weeks")]
    pub pressure_weeks: Dist,
    /// Weibull scale of the payer's return time, in weeks.
    #[serde(default = "d::oon_return_scale_weeks")]
    pub return_scale_weeks: Dist,
    /// Weibull shape of the payer's return time (> 1: the hazard grows with time).
    #[serde(default = "d::oon_return_shape")]
    pub return_shape: Dist,
}

impl Default for PayerOon {
    fn default() -> Self {
        PayerOon {
            reservation_gain: d::oon_reservation_gain(),
            pressure_weeks: d::oon_pressure_weeks(),
            return_scale_weeks: d::oon_return_scale_weeks(),
            return_shape: d::oon_return_shape(),
        }
    }
}

/// `[provider]`: the provider organisation, whatever strategy it plays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Probability that leadership speaks with one voice.
    #[serde(default = "d::alignment")]
    pub alignment: Dist,
    /// Factor on escalation and notice gains when leadership is not aligned.
    #[serde(default = "d::misaligned_factor")]
    pub misaligned_factor: Dist,
    /// Nash bargaining weight of the provider once the payer comes back.
    #[serde(default = "d::bargaining_weight")]
    pub bargaining_weight: Dist,
    /// Weeks of data work a strategy with `data_prep` needs before it pays off.
    #[serde(default = "d::prep_weeks")]
    pub data_prep_weeks: Dist,
    /// Cost of one escalation to the payer's executives (executive and board
    /// time, advisers), dollars.
    #[serde(default = "d::escalation_cost")]
    pub escalation_cost: Dist,
    /// Yearly revenue from other payers' patients, dollars (what
    /// out-of-network spillover is a share of).
    #[serde(default = "d::other_revenue")]
    pub other_revenue: Dist,
    /// The provider's side of a notice of non-renewal.
    #[serde(default)]
    pub notice: ProviderNotice,
    /// The provider's side of an out-of-network period.
    #[serde(default)]
    pub oon: ProviderOon,
}

impl Default for Provider {
    fn default() -> Self {
        Provider {
            alignment: d::alignment(),
            misaligned_factor: d::misaligned_factor(),
            bargaining_weight: d::bargaining_weight(),
            data_prep_weeks: d::prep_weeks(),
            escalation_cost: d::escalation_cost(),
            other_revenue: d::other_revenue(),
            notice: ProviderNotice::default(),
            oon: ProviderOon::default(),
        }
    }
}

/// `[provider.notice]`: what a public notice of non-renewal does on the
/// provider's side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderNotice {
    /// Weeks before expiry the member letters go out once a notice is
    /// given (or at the notice, if later).
    #[serde(default = "d::letter_weeks")]
    pub letter_weeks: Dist,
    /// Share of attributed patients who switch away each week from the
    /// member letters until a deal or expiry.
    #[serde(default = "d::pre_expiry_switch_rate")]
    pub pre_expiry_switch_rate: Dist,
    /// Probability that a split leadership withdraws the notice before
    /// expiry, turning it into a called bluff.
    #[serde(default = "d::misaligned_withdraw_prob")]
    pub misaligned_withdraw_prob: Dist,
}

impl Default for ProviderNotice {
    fn default() -> Self {
        ProviderNotice {
            letter_weeks: d::letter_weeks(),
            pre_expiry_switch_rate: d::pre_expiry_switch_rate(),
            misaligned_withdraw_prob: d::misaligned_withdraw_prob(),
        }
    }
}

/// `[provider.oon]`: volume, patients and continuity of care out of network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderOon {
    /// Share of weekly revenue from the payer's members kept while out of network.
    #[serde(default = "d::volume_retention")]
    pub volume_retention: Dist,
    /// Share of remaining attributed patients who switch away each week out of network.
    #[serde(default = "d::weekly_switch_rate")]
    pub weekly_switch_rate: Dist,
    /// Share of switched patients who come back after the new deal.
    #[serde(default = "d::return_share")]
    pub return_share: Dist,
    /// Weeks of continuity-of-care protection (No Surprises Act: 90 days).
    #[serde(default = "d::continuity_weeks")]
    pub continuity_weeks: Dist,
    /// Share of attributed patients in active treatment, protected for those weeks.
    #[serde(default = "d::continuity_share")]
    pub continuity_share: Dist,
    /// One-off cost of going out of network (legal, communications,
    /// patient outreach), dollars.
    #[serde(default = "d::oon_fixed_cost")]
    pub fixed_cost: Dist,
    /// Share of the revenue from other payers lost while out of network
    /// (families and referrals follow the dispute).
    #[serde(default = "d::spillover_share")]
    pub spillover_share: Dist,
}

impl Default for ProviderOon {
    fn default() -> Self {
        ProviderOon {
            volume_retention: d::volume_retention(),
            weekly_switch_rate: d::weekly_switch_rate(),
            return_share: d::return_share(),
            continuity_weeks: d::continuity_weeks(),
            continuity_share: d::continuity_share(),
            fixed_cost: d::oon_fixed_cost(),
            spillover_share: d::spillover_share(),
        }
    }
}

/// `[impasse]`: when staff talks count as stuck. After the opening exchange
/// (the payer has answered the proposal), talks are stuck at a meeting when
/// the payer's final offer, projected along the Boulware path the provider
/// expects (`expected_payer_exponent`), falls short of the provider's
/// walk-away by more than `min_gap`; an impasse is declared once they have
/// been stuck for `stall_weeks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Impasse {
    /// Shortfall of the projected final offer below the walk-away that
    /// counts as stuck, uplift points a year.
    #[serde(default = "d::impasse_min_gap")]
    pub min_gap: f64,
    /// The concession exponent the provider expects of the payer when it
    /// projects the payer's offers.
    #[serde(default = "d::expected_payer_exponent")]
    pub expected_payer_exponent: f64,
    /// Weeks talks must stay stuck before an impasse is declared.
    #[serde(default = "d::impasse_stall_weeks")]
    pub stall_weeks: u32,
}

impl Default for Impasse {
    fn default() -> Self {
        Impasse {
            min_gap: d::impasse_min_gap(),
            expected_payer_exponent: d::expected_payer_exponent(),
            stall_weeks: d::impasse_stall_weeks(),
        }
    }
}

/// `[relationship]`: what the payer remembers at the next renewal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    /// Factor on the credibility of later notices once a bluff was called.
    #[serde(default = "d::called_bluff_credibility")]
    pub called_bluff_credibility: Dist,
    /// Factor on the reservation gain of a notice when the payer saw one at
    /// an earlier renewal that came to nothing (a threat seen before).
    #[serde(default = "d::repeat_threat_factor")]
    pub repeat_threat_factor: Dist,
    /// Share of the remaining doubt a real out-of-network episode removes
    /// from later notices: credibility becomes `c + (1 - c) * this`.
    #[serde(default = "d::oon_credibility_gain")]
    pub oon_credibility_gain: Dist,
    /// Share of a backlash (slower tactic, lost discretion) the payer's
    /// staff still carry at the next renewal.
    #[serde(default = "d::backlash_memory")]
    pub backlash_memory: Dist,
    /// Rise of the payer's reservation at the next renewal after one settled
    /// before expiry with no notice and no backlash (goodwill), uplift points.
    #[serde(default = "d::goodwill_gain")]
    pub goodwill_gain: Dist,
}

impl Default for Relationship {
    fn default() -> Self {
        Relationship {
            called_bluff_credibility: d::called_bluff_credibility(),
            repeat_threat_factor: d::repeat_threat_factor(),
            oon_credibility_gain: d::oon_credibility_gain(),
            backlash_memory: d::backlash_memory(),
            goodwill_gain: d::goodwill_gain(),
        }
    }
}

/// `[data]`: what a well-documented case does to the payer, and its cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPrep {
    /// Rise in the payer's reservation once the provider's data work is done.
    #[serde(default = "d::data_reservation_gain")]
    pub reservation_gain: Dist,
    /// Cost of the data work for one renewal (analysts, consultants), dollars.
    #[serde(default = "d::data_cost")]
    pub cost: Dist,
}

impl Default for DataPrep {
    fn default() -> Self {
        DataPrep {
            reservation_gain: d::data_reservation_gain(),
            cost: d::data_cost(),
        }
    }
}

/// `[[item]]`: a non-rate term (denials, old claims, administrative burden,
/// ...) the provider asks for, or one the payer asks for in return
/// (carve-outs, site-of-care steering, termination terms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Short unique name.
    pub name: String,
    /// What the term is.
    #[serde(default)]
    pub description: String,
    /// Who asks for it: `provider` (default) or `payer` (a counter-ask,
    /// tabled when the provider opens all issues).
    #[serde(default)]
    pub asked_by: Side,
    /// Yearly value of the term in dollars, seen from the provider: what it
    /// gains when it wins its own ask, what it loses when the payer wins a
    /// counter-ask.
    pub annual_value: Dist,
    /// Share of that value the other side loses (a transfer): avoided
    /// write-offs are nearly all transfer, saved rework mostly not. The
    /// package trades it against the rate: `transfer_share * annual_value /
    /// annual_revenue` uplift points at every point in time.
    #[serde(default = "d::transfer_share")]
    pub transfer_share: Dist,
    /// Weeks of staff work from the opening of talks before the item is
    /// settled at staff level.
    #[serde(default = "d::item_weeks")]
    pub weeks: Dist,
    /// Probability the asking side wins it at staff level.
    pub p_win_staff: Dist,
    /// Probability the asking side wins it once executives are engaged.
    pub p_win_exec: Dist,
}

/// Which side asks for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The provider asks; winning it is worth `annual_value` to it.
    #[default]
    Provider,
    /// The payer asks in return; conceding it costs the provider `annual_value`.
    Payer,
}

/// The fields of a `[[strategy]]` that `impasse optimize` searches: every
/// decision the provider controls.
pub const DECISION_FIELDS: [&str; 13] = [
    "lead_weeks",
    "cadence_weeks",
    "opening_ask",
    "walk_away",
    "concession_exponent",
    "escalation",
    "escalate_if_offer_below",
    "escalation_retry",
    "notice",
    "notice_if_offer_below",
    "max_oon_weeks",
    "agenda",
    "data_prep",
];

/// `[optimize]`: fields `impasse optimize` must hold at the starting
/// strategy's values, and search ranges `[low, high]` for the numeric ones
/// (default: lead 13-104 weeks, cadence 1-8 weeks, opening ask 0-12 %,
/// walk-away -2 to 6 % a year, concession exponent 0.25-8, 0-26 weeks out of
/// network, each widened to take in the file's strategies).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizeSpec {
    /// Decision fields held fixed (names from [`DECISION_FIELDS`]).
    #[serde(default)]
    pub fix: Vec<String>,
    /// Weeks before expiry at which talks open.
    pub lead_weeks: Option<[u32; 2]>,
    /// Weeks between meetings.
    pub cadence_weeks: Option<[u32; 2]>,
    /// Opening ask, uplift a year.
    pub opening_ask: Option<[f64; 2]>,
    /// Walk-away, uplift a year.
    pub walk_away: Option<[f64; 2]>,
    /// Concession exponent.
    pub concession_exponent: Option<[f64; 2]>,
    /// Weeks willing to stay out of network.
    pub max_oon_weeks: Option<[u32; 2]>,
}

/// Which issues a strategy puts on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agenda {
    /// The rate alone.
    RateOnly,
    /// The rate and every `[[item]]`.
    AllIssues,
}

/// `[[strategy]]`: one course of action for the provider. Its numbers are
/// decisions, not uncertain inputs, so they are plain numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// Unique name (used in tables and `--set strategy.NAME.FIELD`).
    pub name: String,
    /// What the strategy does, in a sentence.
    #[serde(default)]
    pub description: String,
    /// Weeks before expiry at which staff talks open.
    #[serde(default = "d::lead_weeks")]
    pub lead_weeks: u32,
    /// Weeks between staff meetings.
    #[serde(default = "d::cadence_weeks")]
    pub cadence_weeks: u32,
    /// The provider's first ask, as an uplift.
    #[serde(default = "d::opening_ask")]
    pub opening_ask: f64,
    /// The lowest uplift the provider accepts at staff level.
    #[serde(default = "d::walk_away")]
    pub walk_away: f64,
    /// The provider's tactic exponent (1 linear).
    #[serde(default = "d::provider_exponent")]
    pub concession_exponent: f64,
    /// When to escalate to the payer's executives.
    #[serde(default)]
    pub escalation: Trigger,
    /// When to escalate a second time if the executives refused the first
    /// (`never` by default); its success is cut by `payer.exec.retry_factor`.
    #[serde(default)]
    pub escalation_retry: Trigger,
    /// When to send a notice of non-renewal.
    #[serde(default)]
    pub notice: Trigger,
    /// A condition on the first escalation: made when due only if the
    /// payer's standing offer (net of items, uplift a year) is below this;
    /// otherwise not made at this renewal. Absent: unconditional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_if_offer_below: Option<f64>,
    /// A condition on the notice: sent when due only if the payer's standing
    /// offer is below this; otherwise not sent at this renewal. Absent:
    /// unconditional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_if_offer_below: Option<f64>,
    /// Weeks the provider is willing to stay out of network (0: not willing).
    #[serde(default = "d::max_oon_weeks")]
    pub max_oon_weeks: u32,
    /// Which issues go on the table.
    #[serde(default = "d::agenda")]
    pub agenda: Agenda,
    /// Whether the provider builds a documented case (claims data, quality, cost).
    #[serde(default)]
    pub data_prep: bool,
}

/// Default values, one function per field, so serde and the docs agree.
pub mod d {
    use super::{Agenda, Dist};

    macro_rules! fixed {
        ($($name:ident = $v:expr;)*) => {
            $(#[doc = concat!("Default: `", stringify!($v), "`.")]
            pub fn $name() -> Dist { Dist::Fixed($v) })*
        };
    }

    fixed! {
        contribution_margin = 0.45;
        discount_rate = 0.05;
        status_quo_escalator = 0.0;
        opening_offer = 0.0;
        exec_success_prob = 0.5;
        exec_reservation_gain = 0.01;
        exec_exponent_after = 1.0;
        exec_premature_penalty = 0.5;
        exec_backlash_prob = 0.15;
        exec_premature_backlash_prob = 0.4;
        exec_backlash_exponent_add = 2.0;
        exec_backlash_reservation_loss = 0.0025;
        exec_retry_factor = 0.25;
        notice_credibility = 0.42;
        notice_reservation_gain = 0.015;
        notice_exponent_after = 1.0;
        bluff_credibility = 0.21;
        refuse_to_talk_prob = 0.3;
        called_bluff_cut = 0.0025;
        oon_reservation_gain = 0.03;
        payer_deadline_weeks = 4.0;
        payer_stall_prob = 0.3;
        oon_pressure_weeks = 8.0;
        oon_return_scale_weeks = 12.0;
        oon_return_shape = 1.5;
        alignment = 0.8;
        misaligned_factor = 0.5;
        bargaining_weight = 0.5;
        prep_weeks = 12.0;
        escalation_cost = 50_000.0;
        other_revenue = 0.0;
        pre_expiry_switch_rate = 0.002;
        letter_weeks = 6.0;
        misaligned_withdraw_prob = 0.2;
        volume_retention = 0.35;
        weekly_switch_rate = 0.005;
        return_share = 0.5;
        continuity_weeks = 13.0;
        continuity_share = 0.1;
        oon_fixed_cost = 1_000_000.0;
        spillover_share = 0.02;
        data_reservation_gain = 0.005;
        data_cost = 250_000.0;
        called_bluff_credibility = 0.5;
        repeat_threat_factor = 0.5;
        oon_credibility_gain = 0.5;
        backlash_memory = 0.5;
        goodwill_gain = 0.001;
        transfer_share = 0.8;
        item_weeks = 12.0;
    }

    /// Default: `pert(0.005, 0.02, 0.035)` a year.
    pub fn reservation() -> Dist {
        Dist::Pert {
            min: 0.005,
            mode: 0.02,
            max: 0.035,
        }
    }
    /// Default: `4` (Boulware).
    pub fn payer_exponent() -> Dist {
        Dist::Fixed(4.0)
    }
    /// Default: `triangular(4, 8, 13)` weeks (30 to 90 days).
    pub fn response_weeks() -> Dist {
        Dist::Triangular {
            min: 4.0,
            mode: 8.0,
            max: 13.0,
        }
    }
    /// Default: `triangular(2, 4, 8)` weeks.
    pub fn exec_lag_weeks() -> Dist {
        Dist::Triangular {
            min: 2.0,
            mode: 4.0,
            max: 8.0,
        }
    }
    /// Default: 156 weeks (a 3-year term).
    pub fn term_weeks() -> u32 {
        156
    }
    /// Default: 2 (this renewal and the next).
    pub fn renewals() -> u32 {
        2
    }
    /// Default: 52 weeks (1-year evergreen renewal).
    pub fn evergreen_weeks() -> u32 {
        52
    }
    /// Default: 13 weeks (90 days).
    pub fn notice_weeks() -> u32 {
        13
    }
    /// Default: 0.0025 (a quarter point a year).
    pub fn impasse_min_gap() -> f64 {
        0.0025
    }
    /// Default: 4 (the Boulware exponent of the literature).
    pub fn expected_payer_exponent() -> f64 {
        4.0
    }
    /// Default: 6 weeks.
    pub fn impasse_stall_weeks() -> u32 {
        6
    }
    /// Default: 52 weeks (start a year ahead).
    pub fn lead_weeks() -> u32 {
        52
    }
    /// Default: 2 weeks.
    pub fn cadence_weeks() -> u32 {
        2
    }
    /// Default: 0.06 a year.
    pub fn opening_ask() -> f64 {
        0.06
    }
    /// Default: 0.015 a year.
    pub fn walk_away() -> f64 {
        0.015
    }
    /// Default: 1 (linear).
    pub fn provider_exponent() -> f64 {
        1.0
    }
    /// Default: 0 (not willing to go out of network).
    pub fn max_oon_weeks() -> u32 {
        0
    }
    /// Default: contribution margin.
    pub fn objective() -> super::Objective {
        super::Objective::Margin
    }
    /// Default: no limit, risk neutral.
    pub fn infinity() -> f64 {
        f64::INFINITY
    }
    /// Default: 1 (no limit on a probability).
    pub fn one() -> f64 {
        1.0
    }
    /// Default: $1M.
    pub fn materiality() -> f64 {
        1_000_000.0
    }
    /// Default: `rate-only`.
    pub fn agenda() -> Agenda {
        Agenda::RateOnly
    }
}
