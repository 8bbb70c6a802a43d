//! The scenario file as a user writes it: every section, field and default.
//!
//! These types mirror the TOML layout one to one (`[contract]`, `[payer]`,
//! `[payer.exec]`, ..., `[[item]]`, `[[strategy]]`), reject unknown keys, and
//! fill every optional field with the default documented in the README (most
//! taken from `CALIBRATION.md`). They hold what was written, not what it means:
//! checking ranges is [`crate::scenario::validate`]'s job, and turning it into
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
    /// The effect of a well-documented case.
    #[serde(default)]
    pub data: DataPrep,
    /// Non-rate terms that can be put on the table beside the rate.
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
    /// Rank correlations between uncertain inputs (`[[correlation]]`), drawn
    /// through a Gaussian copula; none by default.
    #[serde(default, rename = "correlation", skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<Correlation>,
    /// The strategies to compare (at least one).
    #[serde(rename = "strategy")]
    pub strategies: Vec<Strategy>,
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
    /// Weeks after expiry over which revenue is counted (default a 3-year term).
    #[serde(default = "d::horizon_weeks")]
    pub horizon_weeks: u32,
    /// Yearly discount rate for net present values.
    #[serde(default = "d::discount_rate")]
    pub discount_rate: Dist,
    /// Weeks the old terms roll over at expiry when no notice was given (0: no roll-over).
    #[serde(default = "d::evergreen_weeks")]
    pub evergreen_weeks: u32,
    /// Uplift the old terms carry while they roll over.
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
}

impl Default for Exec {
    fn default() -> Self {
        Exec {
            success_prob: d::exec_success_prob(),
            reservation_gain: d::exec_reservation_gain(),
            exponent_after: d::exec_exponent_after(),
            lag_weeks: d::exec_lag_weeks(),
            premature_penalty: d::exec_premature_penalty(),
        }
    }
}

/// `[payer.notice]`: how the payer reads a notice of non-renewal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeResponse {
    /// Probability that a notice from an aligned, willing provider is believed.
    #[serde(default = "d::notice_credibility")]
    pub credibility: Dist,
    /// Rise in the payer's reservation when the notice is believed.
    #[serde(default = "d::notice_reservation_gain")]
    pub reservation_gain: Dist,
    /// The payer's concession exponent once a notice is believed.
    #[serde(default = "d::notice_exponent_after")]
    pub exponent_after: Dist,
    /// Factor on the credibility of a notice from a provider not willing to leave.
    #[serde(default = "d::bluff_credibility_factor")]
    pub bluff_credibility_factor: Dist,
}

impl Default for NoticeResponse {
    fn default() -> Self {
        NoticeResponse {
            credibility: d::notice_credibility(),
            reservation_gain: d::notice_reservation_gain(),
            exponent_after: d::notice_exponent_after(),
            bluff_credibility_factor: d::bluff_credibility_factor(),
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
            oon: ProviderOon::default(),
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
}

impl Default for ProviderOon {
    fn default() -> Self {
        ProviderOon {
            volume_retention: d::volume_retention(),
            weekly_switch_rate: d::weekly_switch_rate(),
            return_share: d::return_share(),
            continuity_weeks: d::continuity_weeks(),
            continuity_share: d::continuity_share(),
        }
    }
}

/// `[impasse]`: when the payer's offers count as stalled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Impasse {
    /// Smallest move of the payer's offer, in uplift points, that is not a stall.
    #[serde(default = "d::impasse_min_move")]
    pub min_move: f64,
    /// Weeks over which the payer's offer is watched.
    #[serde(default = "d::impasse_stall_weeks")]
    pub stall_weeks: u32,
}

impl Default for Impasse {
    fn default() -> Self {
        Impasse {
            min_move: d::impasse_min_move(),
            stall_weeks: d::impasse_stall_weeks(),
        }
    }
}

/// `[data]`: what a well-documented case does to the payer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPrep {
    /// Rise in the payer's reservation once the provider's data work is done.
    #[serde(default = "d::data_reservation_gain")]
    pub reservation_gain: Dist,
}

impl Default for DataPrep {
    fn default() -> Self {
        DataPrep {
            reservation_gain: d::data_reservation_gain(),
        }
    }
}

/// `[[item]]`: a non-rate term (denials, old claims, administrative burden, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Short unique name.
    pub name: String,
    /// What the term is.
    #[serde(default)]
    pub description: String,
    /// Yearly value to the provider when won, in dollars.
    pub annual_value: Dist,
    /// Cost to the payer in uplift points: its reservation drops by this when the item is won.
    pub payer_cost: Dist,
    /// Probability the item is won at staff level.
    pub p_win_staff: Dist,
    /// Probability the item is won once executives are engaged.
    pub p_win_exec: Dist,
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
    /// When to send a notice of non-renewal.
    #[serde(default)]
    pub notice: Trigger,
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
        notice_credibility = 0.6;
        notice_reservation_gain = 0.015;
        notice_exponent_after = 1.0;
        bluff_credibility_factor = 0.5;
        oon_reservation_gain = 0.03;
        oon_pressure_weeks = 8.0;
        oon_return_scale_weeks = 16.0;
        oon_return_shape = 1.5;
        alignment = 0.8;
        misaligned_factor = 0.5;
        bargaining_weight = 0.5;
        prep_weeks = 12.0;
        volume_retention = 0.35;
        weekly_switch_rate = 0.005;
        return_share = 0.5;
        continuity_weeks = 13.0;
        continuity_share = 0.1;
        data_reservation_gain = 0.005;
    }

    /// Default: `pert(0.01, 0.025, 0.045)`.
    pub fn reservation() -> Dist {
        Dist::Pert {
            min: 0.01,
            mode: 0.025,
            max: 0.045,
        }
    }
    /// Default: `4` (Boulware).
    pub fn payer_exponent() -> Dist {
        Dist::Fixed(4.0)
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
    pub fn horizon_weeks() -> u32 {
        156
    }
    /// Default: 52 weeks (1-year evergreen renewal).
    pub fn evergreen_weeks() -> u32 {
        52
    }
    /// Default: 13 weeks (90 days).
    pub fn notice_weeks() -> u32 {
        13
    }
    /// Default: 0.0025 (a quarter point).
    pub fn impasse_min_move() -> f64 {
        0.0025
    }
    /// Default: 8 weeks.
    pub fn impasse_stall_weeks() -> u32 {
        8
    }
    /// Default: 52 weeks (start a year ahead).
    pub fn lead_weeks() -> u32 {
        52
    }
    /// Default: 2 weeks.
    pub fn cadence_weeks() -> u32 {
        2
    }
    /// Default: 0.08.
    pub fn opening_ask() -> f64 {
        0.08
    }
    /// Default: 0.02.
    pub fn walk_away() -> f64 {
        0.02
    }
    /// Default: 1 (linear).
    pub fn provider_exponent() -> f64 {
        1.0
    }
    /// Default: 0 (not willing to go out of network).
    pub fn max_oon_weeks() -> u32 {
        0
    }
    /// Default: `rate-only`.
    pub fn agenda() -> Agenda {
        Agenda::RateOnly
    }
}
