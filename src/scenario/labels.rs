//! Plain-English names and units for every scenario field, so that reports
//! say "the payer's belief in a real notice: 55 %" rather than
//! `payer.notice.credibility = 0.55`.
//!
//! Every dotted path the schema has (the ones `--set` accepts, see
//! [`Scenario::known_paths`](crate::scenario::Scenario::known_paths)) has a
//! [`Label`]: a short noun phrase that starts in lower case, so it reads in
//! the middle of a sentence, and the [`Unit`] its numbers are in. Fields of a
//! named `[[item]]` or `[[strategy]]` (`item.denials.annual_value`,
//! `strategy.wait.walk_away`) share the label of their field; [`describe`]
//! puts the name in front.
//!
//! The dotted path stays the key of every CSV and JSON output, and is what
//! `--set`, `sweep --param` and `[[correlation]]` take.

use serde::Serialize;

use super::Dist;

/// What a scenario number measures, and so how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Dollars: `$0.25M`, `$80M`, `$2.5B`; under $10,000 in full (`$5,000`).
    Dollars,
    /// Dollars per patient-week out of network: `$1,200 per patient-week`.
    DollarsPerPatientWeek,
    /// A yearly uplift of rates, or a change in one (0.01 = one point a
    /// year): `2.0 % a year`, `0.25 % a year`.
    YearlyUplift,
    /// A yearly rate that is not an uplift (the discount rate): `5.0 % a year`.
    YearlyRate,
    /// A probability: `55 %`.
    Probability,
    /// A share of something (of revenue, of patients, of a doubt): `35 %`.
    Share,
    /// A share per week (patients switching away): `0.4 % a week`.
    WeeklyShare,
    /// A length of time in weeks: `6 weeks`, `1 week`, `5.7 weeks`.
    Weeks,
    /// A point in time, in weeks from expiry (negative: before):
    /// `16 weeks before expiry`, `at expiry`.
    WeekFromExpiry,
    /// A whole number of things (renewals): `2`.
    Count,
    /// A number of patients: `24,000 patients`.
    Patients,
    /// A tactic exponent (1 linear, above 1 holds firm): `4.0`.
    Exponent,
    /// A multiplier on another input: `×0.25`.
    Factor,
    /// A plain number (a rank correlation): `0.5`.
    Number,
    /// Yes or no (0 is no): `yes`.
    YesNo,
    /// Text or a choice (a name, a description, an objective): no number.
    Text,
}

impl Unit {
    /// `x` written in this unit. Infinity is `no limit`, NaN `-`.
    pub fn format(self, x: f64) -> String {
        if x.is_nan() {
            return "-".into();
        }
        if x == f64::INFINITY {
            return "no limit".into();
        }
        if x == f64::NEG_INFINITY {
            return "-".into();
        }
        match self {
            Unit::Dollars => dollars(x),
            Unit::DollarsPerPatientWeek => format!("{} per patient-week", dollars_in_full(x)),
            Unit::YearlyUplift | Unit::YearlyRate => {
                format!("{} % a year", decimal(x * 100.0, 3, 1, 2))
            }
            Unit::Probability | Unit::Share => format!("{} %", decimal(x * 100.0, 3, 0, 2)),
            Unit::WeeklyShare => format!("{} % a week", decimal(x * 100.0, 3, 0, 2)),
            Unit::Weeks => weeks(x),
            Unit::WeekFromExpiry => {
                if x < 0.0 {
                    format!("{} before expiry", weeks(-x))
                } else if x > 0.0 {
                    format!("{} after expiry", weeks(x))
                } else {
                    "at expiry".into()
                }
            }
            Unit::Count => grouped(x, 2),
            Unit::Patients => {
                let n = grouped(x, 0);
                if n == "1" {
                    "1 patient".into()
                } else {
                    format!("{n} patients")
                }
            }
            Unit::Exponent => decimal(x, 3, 1, 2),
            Unit::Factor => format!("×{}", decimal(x, 3, 0, 3)),
            Unit::Number | Unit::Text => decimal(x, 4, 0, 4),
            Unit::YesNo => if x != 0.0 { "yes" } else { "no" }.into(),
        }
    }
}

/// A scenario field in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    /// A short noun phrase, lower case first, at most 60 characters, e.g.
    /// "the payer's belief in a real notice".
    pub text: &'static str,
    /// The unit its numbers are in.
    pub unit: Unit,
}

/// The placeholder for an item's or a strategy's name in [`entries`].
pub const NAME: &str = "NAME";

use Unit::*;

/// Every field: its path (with `NAME` for the name of an item or strategy),
/// its words and its unit.
const LABELS: &[(&str, &str, Unit)] = &[
    // The scenario itself.
    ("name", "scenario name", Text),
    ("description", "what the scenario is about", Text),
    (
        "baseline",
        "the strategy the others are compared with",
        Text,
    ),
    // [contract]
    (
        "contract.annual_revenue",
        "yearly revenue from this payer at today's rates",
        Dollars,
    ),
    (
        "contract.contribution_margin",
        "contribution margin on this payer's revenue",
        Share,
    ),
    ("contract.term_weeks", "length of one contract term", Weeks),
    (
        "contract.renewals",
        "number of renewals counted, this one included",
        Count,
    ),
    (
        "contract.discount_rate",
        "discount rate for present values",
        YearlyRate,
    ),
    (
        "contract.evergreen_weeks",
        "how long the old terms roll over without a notice",
        Weeks,
    ),
    (
        "contract.status_quo_escalator",
        "yearly uplift of the old terms while they roll over",
        YearlyUplift,
    ),
    (
        "contract.notice_weeks",
        "notice period for non-renewal",
        Weeks,
    ),
    (
        "contract.attributed_patients",
        "the provider's patients among the payer's members",
        Patients,
    ),
    // [payer]
    (
        "payer.opening_offer",
        "the payer's opening offer",
        YearlyUplift,
    ),
    (
        "payer.reservation",
        "the payer's ceiling: the most its staff can grant",
        YearlyUplift,
    ),
    (
        "payer.concession_exponent",
        "how firmly the payer holds out before conceding",
        Exponent,
    ),
    (
        "payer.response_weeks",
        "the payer's time to answer the provider's proposal",
        Weeks,
    ),
    (
        "payer.deadline_weeks",
        "the payer's deadline past expiry while old terms roll over",
        Weeks,
    ),
    (
        "payer.stall_prob",
        "chance the payer stalls once the old terms roll over",
        Probability,
    ),
    // [payer.exec]
    (
        "payer.exec.success_prob",
        "chance the payer's executives engage on escalation",
        Probability,
    ),
    (
        "payer.exec.reservation_gain",
        "rise in the payer's ceiling when its executives engage",
        YearlyUplift,
    ),
    (
        "payer.exec.exponent_after",
        "how firmly the payer holds out once executives engage",
        Exponent,
    ),
    (
        "payer.exec.lag_weeks",
        "time from escalation to the executive meeting",
        Weeks,
    ),
    (
        "payer.exec.premature_penalty",
        "share of the executives' chance lost by escalating early",
        Share,
    ),
    (
        "payer.exec.backlash_prob",
        "chance a refused escalation hardens the payer's staff",
        Probability,
    ),
    (
        "payer.exec.premature_backlash_prob",
        "chance a refused early escalation hardens the staff",
        Probability,
    ),
    (
        "payer.exec.backlash_exponent_add",
        "added firmness of the payer's staff after a backlash",
        Exponent,
    ),
    (
        "payer.exec.backlash_reservation_loss",
        "fall in the payer's ceiling after a backlash",
        YearlyUplift,
    ),
    (
        "payer.exec.retry_factor",
        "factor on the executives' chance once they refused",
        Factor,
    ),
    // [payer.notice]
    (
        "payer.notice.credibility",
        "the payer's belief in a real notice",
        Probability,
    ),
    (
        "payer.notice.reservation_gain",
        "rise in the payer's ceiling when it believes a notice",
        YearlyUplift,
    ),
    (
        "payer.notice.exponent_after",
        "how firmly the payer holds out once it believes a notice",
        Exponent,
    ),
    (
        "payer.notice.bluff_credibility",
        "the payer's belief in a bluffed notice",
        Probability,
    ),
    (
        "payer.notice.refuse_to_talk_prob",
        "share of payers that stop talking after a notice",
        Probability,
    ),
    (
        "payer.notice.called_bluff_cut",
        "cut in the payer's offer when a bluff is called",
        YearlyUplift,
    ),
    // [payer.oon]
    (
        "payer.oon.reservation_gain",
        "rise in the payer's ceiling under out-of-network pressure",
        YearlyUplift,
    ),
    (
        "payer.oon.pressure_weeks",
        "time for out-of-network pressure on the payer to build",
        Weeks,
    ),
    (
        "payer.oon.return_scale_weeks",
        "typical time out of network before the payer returns",
        Weeks,
    ),
    (
        "payer.oon.return_shape",
        "how fast the payer's urge to return grows with time",
        Exponent,
    ),
    // [provider]
    (
        "provider.alignment",
        "chance the provider's leadership speaks with one voice",
        Probability,
    ),
    (
        "provider.misaligned_factor",
        "factor on the provider's gains when leadership is split",
        Factor,
    ),
    (
        "provider.bargaining_weight",
        "the provider's share of bargaining power out of network",
        Share,
    ),
    (
        "provider.data_prep_weeks",
        "time to build the documented case",
        Weeks,
    ),
    (
        "provider.escalation_cost",
        "cost of one escalation to the payer's executives",
        Dollars,
    ),
    (
        "provider.other_revenue",
        "yearly revenue from other payers",
        Dollars,
    ),
    // [provider.notice]
    (
        "provider.notice.letter_weeks",
        "how early before expiry member letters go out",
        Weeks,
    ),
    (
        "provider.notice.pre_expiry_switch_rate",
        "patients leaving each week after member letters",
        WeeklyShare,
    ),
    (
        "provider.notice.misaligned_withdraw_prob",
        "chance a split leadership withdraws the notice",
        Probability,
    ),
    // [provider.oon]
    (
        "provider.oon.volume_retention",
        "share of this payer's revenue kept out of network",
        Share,
    ),
    (
        "provider.oon.weekly_switch_rate",
        "patients switching away each week out of network",
        WeeklyShare,
    ),
    (
        "provider.oon.return_share",
        "share of switched patients who come back",
        Share,
    ),
    (
        "provider.oon.continuity_weeks",
        "continuity-of-care protection period",
        Weeks,
    ),
    (
        "provider.oon.continuity_share",
        "share of patients in active treatment",
        Share,
    ),
    (
        "provider.oon.fixed_cost",
        "one-off cost of going out of network",
        Dollars,
    ),
    (
        "provider.oon.spillover_share",
        "share of other payers' revenue lost out of network",
        Share,
    ),
    // [impasse]
    (
        "impasse.min_gap",
        "shortfall of the payer's offer that counts as stuck",
        YearlyUplift,
    ),
    (
        "impasse.expected_payer_exponent",
        "the firmness the provider expects of the payer",
        Exponent,
    ),
    (
        "impasse.stall_weeks",
        "time stuck before an impasse is declared",
        Weeks,
    ),
    // [data]
    (
        "data.reservation_gain",
        "rise in the payer's ceiling from a documented case",
        YearlyUplift,
    ),
    (
        "data.cost",
        "cost of the documented case per renewal",
        Dollars,
    ),
    // [relationship]
    (
        "relationship.called_bluff_credibility",
        "factor on belief in later notices after a called bluff",
        Factor,
    ),
    (
        "relationship.repeat_threat_factor",
        "factor on a repeat notice's rise in the payer's ceiling",
        Factor,
    ),
    (
        "relationship.oon_credibility_gain",
        "doubt about later notices removed by going out of network",
        Share,
    ),
    (
        "relationship.backlash_memory",
        "share of a backlash the payer carries to the next renewal",
        Share,
    ),
    (
        "relationship.goodwill_gain",
        "goodwill rise in the payer's ceiling at the next renewal",
        YearlyUplift,
    ),
    // [decision]
    ("decision.objective", "what the board maximises", Text),
    (
        "decision.risk_tolerance",
        "the board's risk tolerance",
        Dollars,
    ),
    (
        "decision.patient_week_price",
        "price put on a patient-week out of network",
        DollarsPerPatientWeek,
    ),
    (
        "decision.max_p_out_of_network",
        "highest acceptable chance of going out of network",
        Probability,
    ),
    (
        "decision.max_patients_affected",
        "most patients an out-of-network episode may affect",
        Patients,
    ),
    (
        "decision.materiality",
        "smallest lead that counts as material",
        Dollars,
    ),
    // [[correlation]]
    ("correlation.between", "the two correlated inputs", Text),
    (
        "correlation.rank",
        "rank correlation of the two inputs",
        Number,
    ),
    // [[item]]
    ("item.NAME.name", "name of the term", Text),
    ("item.NAME.description", "what the term is", Text),
    (
        "item.NAME.asked_by",
        "the side that asks for the term",
        Text,
    ),
    (
        "item.NAME.annual_value",
        "yearly value of the term to the provider",
        Dollars,
    ),
    (
        "item.NAME.transfer_share",
        "share of the term's value the other side loses",
        Share,
    ),
    ("item.NAME.weeks", "staff time to settle the term", Weeks),
    (
        "item.NAME.p_win_staff",
        "chance the asking side wins the term at staff level",
        Probability,
    ),
    (
        "item.NAME.p_win_exec",
        "chance the asking side wins it with executives engaged",
        Probability,
    ),
    // [[strategy]]
    ("strategy.NAME.name", "name of the strategy", Text),
    ("strategy.NAME.description", "what the strategy does", Text),
    (
        "strategy.NAME.lead_weeks",
        "how early before expiry talks open",
        Weeks,
    ),
    (
        "strategy.NAME.cadence_weeks",
        "time between staff meetings",
        Weeks,
    ),
    (
        "strategy.NAME.opening_ask",
        "the provider's opening ask",
        YearlyUplift,
    ),
    (
        "strategy.NAME.walk_away",
        "the lowest uplift the provider accepts at staff level",
        YearlyUplift,
    ),
    (
        "strategy.NAME.concession_exponent",
        "how firmly the provider holds out before conceding",
        Exponent,
    ),
    (
        "strategy.NAME.escalation",
        "when the provider escalates to the payer's executives",
        WeekFromExpiry,
    ),
    (
        "strategy.NAME.escalate_if_offer_below",
        "escalate only if the payer's offer is below",
        YearlyUplift,
    ),
    (
        "strategy.NAME.notice_if_offer_below",
        "give notice only if the payer's offer is below",
        YearlyUplift,
    ),
    (
        "strategy.NAME.escalation_retry",
        "when the provider escalates again after a refusal",
        WeekFromExpiry,
    ),
    (
        "strategy.NAME.notice",
        "when the provider gives notice of non-renewal",
        WeekFromExpiry,
    ),
    (
        "strategy.NAME.max_oon_weeks",
        "longest the provider will stay out of network",
        Weeks,
    ),
    ("strategy.NAME.agenda", "what goes on the table", Text),
    (
        "strategy.NAME.data_prep",
        "whether the provider builds a documented case",
        YesNo,
    ),
];

/// Every labelled field: its path, with [`NAME`] standing for the name of an
/// item or strategy (`strategy.NAME.walk_away`), and its label.
pub fn entries() -> impl Iterator<Item = (&'static str, Label)> {
    LABELS
        .iter()
        .map(|&(path, text, unit)| (path, Label { text, unit }))
}

/// `item` or `strategy`, the name, and the field of a path into a named
/// `[[item]]` or `[[strategy]]`; the name may itself contain dots.
fn named(path: &str) -> Option<(&str, &str, &str)> {
    let (kind, rest) = path.split_once('.')?;
    if kind != "item" && kind != "strategy" {
        return None;
    }
    let (name, field) = rest.rsplit_once('.')?;
    (!name.is_empty() && !field.is_empty()).then_some((kind, name, field))
}

/// The label of the field at dotted `path` (`payer.notice.credibility`,
/// `item.denials.p_win_exec`, `strategy.wait.walk_away`), or `None` if the
/// schema has no such field.
pub fn label(path: &str) -> Option<Label> {
    let key = match named(path) {
        Some((kind, _, field)) => format!("{kind}.{NAME}.{field}"),
        None => path.to_string(),
    };
    entries().find(|(p, _)| *p == key).map(|(_, l)| l)
}

/// The field at `path` in words: its label's text, with the item's or
/// strategy's name in front for a named field (`wait: the lowest uplift the
/// provider accepts at staff level`); the path itself when it has no label.
pub fn describe(path: &str) -> String {
    match (label(path), named(path)) {
        (Some(l), Some((_, name, _))) => format!("{name}: {}", l.text),
        (Some(l), None) => l.text.to_string(),
        (None, _) => path.to_string(),
    }
}

/// `x` written in the unit of the field at `path`: `$0.25M`, `2.0 % a year`,
/// `55 %`, `6 weeks`, `4.0`; a plain number when the path has no label.
pub fn format_value(path: &str, x: f64) -> String {
    label(path).map_or(Unit::Number, |l| l.unit).format(x)
}

/// An input as written, in its unit: a number (`55 %`), a range with its
/// most likely value (`$72M to $86M, most likely $80M`), or for a normal,
/// lognormal or beta its mean and the range of the middle 90 %.
pub fn format_dist(path: &str, dist: &Dist) -> String {
    let f = |x: f64| format_value(path, x);
    let range = |lo: f64, hi: f64| {
        let (a, b) = (f(lo), f(hi));
        // "4 to 13 weeks", "0.8 to 3.5 % a year": the shared unit once.
        let unit_at = b
            .rfind(|c: char| c.is_ascii_digit())
            .map_or(b.len(), |i| i + 1);
        let unit = &b[unit_at..];
        match a.strip_suffix(unit) {
            Some(number) if unit.starts_with(' ') => format!("{number} to {b}"),
            _ => format!("{a} to {b}"),
        }
    };
    match *dist {
        Dist::Fixed(x) => f(x),
        Dist::Uniform { min, max } => range(min, max),
        Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
            format!("{}, most likely {}", range(min, max), f(mode))
        }
        _ => format!(
            "mean {}, 90 % within {}",
            f(dist.mean()),
            range(dist.quantile(0.05), dist.quantile(0.95))
        ),
    }
}

/// `x` with `sig` significant digits, but between `min` and `max` decimals,
/// trailing zeros beyond `min` removed; never `-0`.
fn decimal(x: f64, sig: i32, min: usize, max: usize) -> String {
    let magnitude = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i32
    };
    let decimals = ((sig - 1 - magnitude).max(0) as usize).clamp(min, max);
    let mut s = format!("{x:.decimals$}");
    if let Some(dot) = s.find('.') {
        let keep = dot + 1 + min;
        while s.len() > keep && s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    s
}

/// The whole number nearest `x`, without its sign, in groups of three digits.
fn group(x: f64) -> String {
    let digits = format!("{:.0}", x.abs().round());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sign of `x` for a figure written as `body`: none for zero.
fn signed(x: f64, body: String) -> String {
    let zero = body.chars().all(|c| !c.is_ascii_digit() || c == '0');
    if x < 0.0 && !zero {
        format!("-{body}")
    } else {
        body
    }
}

/// `x` with thousands separators from 10,000 up, else at most `max` decimals.
fn grouped(x: f64, max: usize) -> String {
    if x.abs() >= 1e4 {
        signed(x, group(x))
    } else {
        decimal(x, 4, 0, max)
    }
}

/// Dollars in millions (`$0.25M`, `$80M`) or billions (`$2.5B`), three
/// significant digits; in full under $10,000.
fn dollars(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        signed(x, format!("${}B", decimal(a / 1e9, 3, 0, 3)))
    } else if a >= 1e4 {
        signed(x, format!("${}M", decimal(a / 1e6, 3, 0, 3)))
    } else {
        dollars_in_full(x)
    }
}

/// Dollars in full with separators: `$5,000`, `$12.50`.
fn dollars_in_full(x: f64) -> String {
    let a = x.abs();
    if a >= 1e3 || a.fract() == 0.0 {
        signed(x, format!("${}", group(a)))
    } else {
        signed(x, format!("${a:.2}"))
    }
}

/// A duration in weeks: `6 weeks`, `1 week`, `5.7 weeks`.
fn weeks(x: f64) -> String {
    let n = decimal(x, 3, 0, 1);
    if n == "1" {
        "1 week".into()
    } else {
        format!("{n} weeks")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_tidy() {
        assert_eq!(decimal(2.0, 3, 1, 2), "2.0");
        assert_eq!(decimal(0.25, 3, 1, 2), "0.25");
        assert_eq!(decimal(1.3837, 3, 1, 2), "1.38");
        assert_eq!(decimal(55.0, 3, 0, 2), "55");
        assert_eq!(decimal(27.5, 3, 0, 2), "27.5");
        assert_eq!(decimal(-0.0001, 3, 0, 2), "0");
        assert_eq!(grouped(24_000.0, 0), "24,000");
        assert_eq!(dollars(-250_000.0), "-$0.25M");
        assert_eq!(dollars_in_full(1_200.0), "$1,200");
    }

    #[test]
    fn every_path_is_unique() {
        let mut paths: Vec<&str> = entries().map(|(p, _)| p).collect();
        let n = paths.len();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), n);
    }
}
