//! `impasse optimize`: search the provider's decisions for the best
//! strategy, then re-evaluate the finalists on fresh paths.
//!
//! **Decision space.** Every field of a `[[strategy]]` the provider controls:
//! when talks open (`lead_weeks`), how often they meet (`cadence_weeks`), the
//! opening ask, the walk-away, the concession exponent, when to escalate
//! (never, at the opening, on impasse or a week) and whether to retry, when
//! to send a notice (never, at the opening, on impasse or a week within the
//! legal window), how long it is willing to stay out of network, the agenda
//! and the documented case. Bounds are [`Bounds::default`], widened to take
//! in every strategy of the file, and narrowed or fixed by `[optimize]` or
//! `--fix`.
//!
//! **Search.** A (μ + λ) evolution strategy (Beyer & Schwefel 2002) on
//! common random numbers: every candidate is played on the same `paths`
//! paths of the search seed, so candidates differ by what they do, not by
//! luck. It starts from the file's strategies and random points; each
//! generation mutates one to three free fields of parents drawn from the
//! best eight, with steps that shrink as the budget is spent. Continuous
//! values are kept on a grid (0.05 point of uplift, 0.05 of exponent) so
//! that candidates are few enough to be told apart and the result reads as
//! a plan. Candidates are evaluated in parallel and collected in order:
//! the same seed and budget give the same answer on any number of threads.
//!
//! **Objective.** The scenario's `[decision]` value (certainty equivalent or
//! mean of the decision score) within the board's limits: a candidate that
//! breaks a limit ranks below every one that keeps it.
//!
//! **Honest selection.** The best score found on the search paths is biased
//! upwards (the optimizer's curse: among many noisy estimates the largest
//! is likely to be lucky). The top [`FINALISTS`] are played again on fresh
//! paths (the holdout seed) beside the `--from` strategy and the file's best,
//! and only those numbers are reported as the estimate, with their paired
//! intervals; the report says how much of the apparent gain survived.

use std::collections::HashSet;

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{RunConfig, Simulation};
use crate::model::world::mix64;
use crate::report::table::{columns, millions, percent, signed_millions};
use crate::report::{Output, csv_number};
use crate::scenario::{Agenda, Scenario, Strategy, Trigger};

use super::recommend::breach;
use super::{AnalysisError, Progress, strategy_index};

use super::Z95;

/// Candidates re-evaluated on the holdout paths.
pub const FINALISTS: usize = 5;

/// Parents of each generation.
const PARENTS: usize = 8;

/// Children per generation.
const CHILDREN: usize = 32;

/// The decision fields, as written in a `[[strategy]]`.
pub use crate::scenario::DECISION_FIELDS as FIELDS;

/// Search ranges of the numeric decision fields.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds {
    /// Weeks before expiry at which talks open.
    pub lead_weeks: (u32, u32),
    /// Weeks between meetings.
    pub cadence_weeks: (u32, u32),
    /// Opening ask, uplift a year.
    pub opening_ask: (f64, f64),
    /// Walk-away, uplift a year.
    pub walk_away: (f64, f64),
    /// Concession exponent (searched on a log scale).
    pub concession_exponent: (f64, f64),
    /// Weeks willing to stay out of network.
    pub max_oon_weeks: (u32, u32),
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            lead_weeks: (13, 104),
            cadence_weeks: (1, 8),
            opening_ask: (0.0, 0.12),
            walk_away: (-0.02, 0.06),
            concession_exponent: (0.25, 8.0),
            max_oon_weeks: (0, 26),
        }
    }
}

impl Bounds {
    /// These bounds widened to take in `st`'s values.
    fn include(&mut self, st: &Strategy) {
        let w = |r: &mut (u32, u32), x: u32| *r = (r.0.min(x), r.1.max(x));
        let f = |r: &mut (f64, f64), x: f64| *r = (r.0.min(x), r.1.max(x));
        w(&mut self.lead_weeks, st.lead_weeks);
        w(&mut self.cadence_weeks, st.cadence_weeks);
        f(&mut self.opening_ask, st.opening_ask);
        f(&mut self.walk_away, st.walk_away);
        f(&mut self.concession_exponent, st.concession_exponent);
        w(&mut self.max_oon_weeks, st.max_oon_weeks);
    }
}

/// What `impasse optimize` searches, and how hard.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeOptions {
    /// The strategy the search starts from and is compared with (`None`:
    /// the file's best on the search paths).
    pub from: Option<String>,
    /// Candidates to evaluate.
    pub budget: usize,
    /// Paths per candidate on the search stream.
    pub paths: u64,
    /// Paths per finalist on the holdout stream.
    pub holdout_paths: u64,
    /// Search seed (the holdout seed is derived from it).
    pub seed: u64,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Decision fields held at the `--from` strategy's values.
    pub fixed: Vec<String>,
    /// Search ranges (before widening to the file's strategies).
    pub bounds: Bounds,
}

impl OptimizeOptions {
    /// Defaults: 2,000 candidates of 5,000 paths, 20,000 holdout paths.
    pub fn new(seed: u64) -> Self {
        OptimizeOptions {
            from: None,
            budget: 2000,
            paths: 5000,
            holdout_paths: 20_000,
            seed,
            threads: None,
            fixed: Vec::new(),
            bounds: Bounds::default(),
        }
    }
}

/// The holdout seed of a search seed: a different stream of paths.
pub fn holdout_seed(seed: u64) -> u64 {
    mix64(seed ^ 0x686f_6c64_6f75_7421)
}

/// A candidate's score on the search paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SearchScore {
    /// Decision value (certainty equivalent or mean), dollars.
    pub value: f64,
    /// Its Monte Carlo standard error.
    pub mcse: f64,
    /// Probability of going out of network at some renewal.
    pub p_out_of_network: f64,
    /// Whether it keeps the board's limits.
    pub feasible: bool,
}

impl SearchScore {
    /// Ranking key: feasible first, then value.
    fn better_than(&self, other: &SearchScore) -> bool {
        match (self.feasible, other.feasible) {
            (true, false) => true,
            (false, true) => false,
            _ => self.value > other.value,
        }
    }
}

/// A finalist (or reference strategy) on the holdout paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdout {
    /// Decision value, dollars.
    pub mean: f64,
    /// Its Monte Carlo standard error.
    pub mcse: f64,
    /// 95 % interval of the value (precision of the estimate, not a range
    /// of outcomes).
    pub ci95: [f64; 2],
    /// Paired difference with the `--from` strategy: value.
    pub gain: f64,
    /// Its 95 % interval (precision of the estimate).
    pub gain_ci95: [f64; 2],
    /// Share of holdout paths on which it scores higher than `--from`.
    pub p_better: f64,
    /// Share on which it scores lower.
    pub p_worse: f64,
    /// Probability of going out of network at some renewal.
    pub p_out_of_network: f64,
    /// Why it breaks the board's limits, if it does.
    pub breach: Option<String>,
}

/// A field whose value differs from the `--from` strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The field.
    pub field: &'static str,
    /// Its value in the `--from` strategy.
    pub from: String,
    /// Its value in the candidate.
    pub to: String,
}

/// One finalist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finalist {
    /// Its rank on the search paths (1: best).
    pub rank: usize,
    /// The strategy.
    pub strategy: Strategy,
    /// How it differs from `--from`.
    pub changes: Vec<Change>,
    /// Its score on the search paths (biased upwards by the selection).
    pub search: SearchScore,
    /// Its score on the holdout paths.
    pub holdout: Holdout,
}

/// The search's settings, as run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stream {
    /// Seed of the paths.
    pub seed: u64,
    /// Paths per candidate.
    pub paths: u64,
}

/// A strategy of the file on the holdout paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// Its name.
    pub name: String,
    /// Its search score.
    pub search: SearchScore,
    /// Its holdout score.
    pub holdout: Holdout,
}

/// The best policy found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Best {
    /// The strategy.
    pub strategy: Strategy,
    /// As a `[[strategy]]` block to paste into the scenario.
    pub toml: String,
    /// On the holdout paths.
    pub holdout: Holdout,
    /// On the search paths.
    pub search: SearchScore,
}

/// The result of `impasse optimize`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptimizeReport {
    /// Scenario name.
    pub scenario: String,
    /// What is maximised.
    pub objective: String,
    /// The strategy started from and compared with.
    pub from: Reference,
    /// The file's best strategy on the search paths (if not `from`).
    pub best_in_file: Option<Reference>,
    /// The search stream.
    pub search: Stream,
    /// The holdout stream.
    pub holdout: Stream,
    /// Candidates evaluated on the search paths.
    pub candidates_evaluated: usize,
    /// Decision fields searched.
    pub free: Vec<&'static str>,
    /// Decision fields held at `from`'s values.
    pub fixed: Vec<String>,
    /// The search ranges used.
    pub bounds: Bounds,
    /// The finalists in the search's order, best first.
    pub finalists: Vec<Finalist>,
    /// The search's best finalist that keeps the board's limits on the
    /// holdout paths (null when none does).
    pub best: Option<Best>,
    /// Share of the apparent (search) gain over `from` that the holdout
    /// kept: `holdout gain / search gain` (null when the search found no
    /// gain).
    pub kept: Option<f64>,
    /// The board's materiality (`decision.materiality`), dollars.
    pub materiality: f64,
    /// Facts about the search.
    pub notes: Vec<String>,
}

/// The decision space: which fields move and within what.
struct Space {
    bounds: Bounds,
    free: Vec<&'static str>,
    /// Legal notice deadline, weeks before expiry.
    notice_weeks: u32,
    items: bool,
}

fn round_to(x: f64, step: f64) -> f64 {
    ((x / step).round() * step * 1e9).round() / 1e9
}

impl Space {
    fn is_free(&self, f: &str) -> bool {
        self.free.contains(&f)
    }

    /// Put `st` on the grid and inside the bounds, and make it valid.
    fn repair(&self, st: &mut Strategy) {
        let b = &self.bounds;
        st.lead_weeks = st.lead_weeks.clamp(b.lead_weeks.0, b.lead_weeks.1);
        st.cadence_weeks = st
            .cadence_weeks
            .clamp(b.cadence_weeks.0, b.cadence_weeks.1)
            .min(st.lead_weeks)
            .max(1);
        st.opening_ask = round_to(
            st.opening_ask.clamp(b.opening_ask.0, b.opening_ask.1),
            0.0005,
        );
        st.walk_away = round_to(st.walk_away.clamp(b.walk_away.0, b.walk_away.1), 0.0005);
        if st.walk_away > st.opening_ask {
            if self.is_free("opening_ask") {
                st.opening_ask = st.walk_away;
            } else {
                st.walk_away = st.opening_ask;
            }
        }
        st.concession_exponent = round_to(
            st.concession_exponent
                .clamp(b.concession_exponent.0, b.concession_exponent.1),
            0.05,
        )
        .max(0.05);
        st.max_oon_weeks = st.max_oon_weeks.clamp(b.max_oon_weeks.0, b.max_oon_weeks.1);
        let lead = -(st.lead_weeks as i32);
        if let Trigger::Week(w) = st.escalation {
            st.escalation = Trigger::Week(w.clamp(lead, -1));
        }
        if let Trigger::Week(w) = st.escalation_retry {
            st.escalation_retry = Trigger::Week(w.clamp(lead, -1));
        }
        if st.escalation_retry == Trigger::Now {
            st.escalation_retry = Trigger::OnImpasse;
        }
        if st.escalation == Trigger::Never {
            st.escalation_retry = Trigger::Never;
        }
        let deadline = -(self.notice_weeks as i32);
        match st.notice {
            Trigger::Week(w) if lead > deadline => {
                let _ = w;
                st.notice = Trigger::Never;
            }
            Trigger::Week(w) => st.notice = Trigger::Week(w.clamp(lead, deadline)),
            Trigger::Now if lead > deadline => st.notice = Trigger::Never,
            _ => {}
        }
        if !self.items {
            st.agenda = Agenda::RateOnly;
        }
        // A condition on a move never made means nothing: drop it.
        let (lo, hi) = b.walk_away;
        let on_grid = |c: Option<f64>| c.map(|x| round_to(x.clamp(lo, hi), 0.0005));
        st.escalate_if_offer_below = if st.escalation == Trigger::Never {
            None
        } else {
            on_grid(st.escalate_if_offer_below)
        };
        st.notice_if_offer_below = if st.notice == Trigger::Never {
            None
        } else {
            on_grid(st.notice_if_offer_below)
        };
    }

    fn trigger(&self, rng: &mut Xoshiro256PlusPlus, lead: u32, notice: bool) -> Trigger {
        let lead = lead as i32;
        let last = if notice {
            -(self.notice_weeks as i32)
        } else {
            -1
        };
        match rng.random_range(0..4u32) {
            0 => Trigger::Never,
            1 => Trigger::Now,
            2 => Trigger::OnImpasse,
            _ if -lead <= last => Trigger::Week(rng.random_range(-lead..=last)),
            _ => Trigger::Never,
        }
    }

    /// Set field `f` of `st` to a random value in the space.
    fn draw(&self, rng: &mut Xoshiro256PlusPlus, st: &mut Strategy, f: &str) {
        let b = &self.bounds;
        let u =
            |rng: &mut Xoshiro256PlusPlus, r: (f64, f64)| r.0 + (r.1 - r.0) * rng.random::<f64>();
        match f {
            "lead_weeks" => st.lead_weeks = rng.random_range(b.lead_weeks.0..=b.lead_weeks.1),
            "cadence_weeks" => {
                st.cadence_weeks = rng.random_range(b.cadence_weeks.0..=b.cadence_weeks.1)
            }
            "opening_ask" => st.opening_ask = u(rng, b.opening_ask),
            "walk_away" => st.walk_away = u(rng, b.walk_away),
            "concession_exponent" => {
                let (lo, hi) = b.concession_exponent;
                st.concession_exponent =
                    (lo.ln() + (hi.ln() - lo.ln()) * rng.random::<f64>()).exp();
            }
            "escalation" => st.escalation = self.trigger(rng, st.lead_weeks, false),
            "escalation_retry" => {
                st.escalation_retry = if rng.random::<bool>() {
                    Trigger::Never
                } else {
                    Trigger::OnImpasse
                }
            }
            "notice" => st.notice = self.trigger(rng, st.lead_weeks, true),
            "max_oon_weeks" => {
                st.max_oon_weeks = rng.random_range(b.max_oon_weeks.0..=b.max_oon_weeks.1)
            }
            "agenda" => {
                st.agenda = if rng.random::<bool>() {
                    Agenda::AllIssues
                } else {
                    Agenda::RateOnly
                }
            }
            "data_prep" => st.data_prep = rng.random::<bool>(),
            "escalate_if_offer_below" => {
                st.escalate_if_offer_below = rng.random::<bool>().then(|| u(rng, b.walk_away))
            }
            "notice_if_offer_below" => {
                st.notice_if_offer_below = rng.random::<bool>().then(|| u(rng, b.walk_away))
            }
            _ => {}
        }
    }

    /// Move field `f` of `st` by a step of relative size `step`.
    fn nudge(&self, rng: &mut Xoshiro256PlusPlus, st: &mut Strategy, f: &str, step: f64) {
        let b = &self.bounds;
        let z: f64 = StandardNormal.sample(rng);
        let int = |x: u32, r: (u32, u32)| -> u32 {
            let d = (z * step * f64::from(r.1 - r.0)).round();
            let d = if d == 0.0 { z.signum() } else { d };
            (f64::from(x) + d).clamp(f64::from(r.0), f64::from(r.1)) as u32
        };
        let week = |w: i32| -> i32 {
            let d = (z * step * 52.0).round() as i32;
            w + if d == 0 { z.signum() as i32 } else { d }
        };
        match f {
            "lead_weeks" => st.lead_weeks = int(st.lead_weeks, b.lead_weeks),
            "cadence_weeks" => st.cadence_weeks = int(st.cadence_weeks, b.cadence_weeks),
            "max_oon_weeks" => st.max_oon_weeks = int(st.max_oon_weeks, b.max_oon_weeks),
            "opening_ask" => {
                st.opening_ask += z * step * (b.opening_ask.1 - b.opening_ask.0);
            }
            "walk_away" => st.walk_away += z * step * (b.walk_away.1 - b.walk_away.0),
            "escalate_if_offer_below" | "notice_if_offer_below" => {
                let c = if f == "notice_if_offer_below" {
                    &mut st.notice_if_offer_below
                } else {
                    &mut st.escalate_if_offer_below
                };
                match c {
                    Some(x) if rng.random::<f64>() < 0.8 => {
                        *x += z * step * (b.walk_away.1 - b.walk_away.0)
                    }
                    _ => self.draw(rng, st, f),
                }
            }
            "concession_exponent" => {
                let (lo, hi) = b.concession_exponent;
                st.concession_exponent *= (z * step * (hi / lo).ln()).exp();
            }
            "escalation" | "notice" => {
                let t = if f == "notice" {
                    &mut st.notice
                } else {
                    &mut st.escalation
                };
                match *t {
                    Trigger::Week(w) if rng.random::<f64>() < 0.7 => *t = Trigger::Week(week(w)),
                    _ => self.draw(rng, st, f),
                }
            }
            other => self.draw(rng, st, other),
        }
    }
}

/// A candidate's identity on the grid (for de-duplication).
fn key(st: &Strategy) -> String {
    format!(
        "{}|{}|{:.4}|{:.4}|{:.2}|{}|{:?}|{}|{}|{:?}|{}|{:?}|{}",
        st.lead_weeks,
        st.cadence_weeks,
        st.opening_ask,
        st.walk_away,
        st.concession_exponent,
        st.escalation,
        st.escalate_if_offer_below,
        st.escalation_retry,
        st.notice,
        st.notice_if_offer_below,
        st.max_oon_weeks,
        st.agenda,
        st.data_prep
    )
}

/// The value of a field as written in a scenario file.
fn field_text(st: &Strategy, f: &str) -> String {
    match f {
        "lead_weeks" => st.lead_weeks.to_string(),
        "cadence_weeks" => st.cadence_weeks.to_string(),
        "opening_ask" => format!("{}", st.opening_ask),
        "walk_away" => format!("{}", st.walk_away),
        "concession_exponent" => format!("{}", st.concession_exponent),
        "escalation" => st.escalation.to_string(),
        "escalation_retry" => st.escalation_retry.to_string(),
        "notice" => st.notice.to_string(),
        "escalate_if_offer_below" => condition_text(st.escalate_if_offer_below),
        "notice_if_offer_below" => condition_text(st.notice_if_offer_below),
        "max_oon_weeks" => st.max_oon_weeks.to_string(),
        "agenda" => match st.agenda {
            Agenda::RateOnly => "rate-only".into(),
            Agenda::AllIssues => "all-issues".into(),
        },
        "data_prep" => st.data_prep.to_string(),
        _ => String::new(),
    }
}

/// A condition as written: the number, or `always` when absent.
fn condition_text(c: Option<f64>) -> String {
    c.map_or_else(|| "always".to_string(), |x| format!("{x}"))
}

fn changes(from: &Strategy, to: &Strategy) -> Vec<Change> {
    FIELDS
        .iter()
        .filter_map(|&f| {
            let (a, b) = (field_text(from, f), field_text(to, f));
            (a != b).then_some(Change {
                field: f,
                from: a,
                to: b,
            })
        })
        .collect()
}

/// The strategy with a name not taken in `scenario`: `optimized`, then
/// `optimized-2`, ...
pub fn free_name(scenario: &Scenario) -> String {
    let taken: HashSet<&str> = scenario
        .strategies
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    (1..)
        .map(|k| {
            if k == 1 {
                "optimized".to_string()
            } else {
                format!("optimized-{k}")
            }
        })
        .find(|n| !taken.contains(n.as_str()))
        .expect("a free name")
}

/// The strategy as a `[[strategy]]` block.
pub fn toml_block(st: &Strategy) -> String {
    let quoted = |s: String| format!("{s:?}");
    let trigger = |t: Trigger| match t {
        Trigger::Week(w) => w.to_string(),
        other => quoted(other.to_string()),
    };
    let mut out = String::from("[[strategy]]\n");
    out += &format!("name = {:?}\n", st.name);
    out += &format!("description = {:?}\n", st.description);
    for f in FIELDS {
        let absent = match f {
            "escalate_if_offer_below" => st.escalate_if_offer_below.is_none(),
            "notice_if_offer_below" => st.notice_if_offer_below.is_none(),
            _ => false,
        };
        if absent {
            continue;
        }
        let v = match f {
            "escalation" => trigger(st.escalation),
            "escalation_retry" => trigger(st.escalation_retry),
            "notice" => trigger(st.notice),
            "agenda" => quoted(field_text(st, f)),
            _ => field_text(st, f),
        };
        out += &format!("{f} = {v}\n");
    }
    out
}

/// Play `st` alone on `paths` paths of `seed`, serially.
fn evaluate(base: &Scenario, st: &Strategy, seed: u64, paths: u64) -> SearchScore {
    let mut s = base.clone();
    s.strategies = vec![st.clone()];
    s.baseline = None;
    let sim = Simulation::new(&s);
    let summary = sim.run_range(seed, 0..paths, &[], &[]);
    let r = &summary.strategies[0];
    SearchScore {
        value: r.score.value(),
        mcse: r.score.mcse(),
        p_out_of_network: r.out_of_network_any.p(),
        feasible: breach(base, r).is_none(),
    }
}

fn words(scenario: &Scenario) -> String {
    let d = &scenario.decision;
    let base = match d.objective {
        crate::scenario::Objective::Margin => "contribution margin (net of the costs of moves)",
        crate::scenario::Objective::Revenue => "revenue",
    };
    let mut w = if d.risk_tolerance.is_finite() {
        format!(
            "risk-adjusted {base} (certainty equivalent, risk tolerance ${}M)",
            millions(d.risk_tolerance)
        )
    } else {
        format!("expected net present {base}")
    };
    if d.patient_week_price > 0.0 {
        w += &format!(
            " less ${} per patient-week out of network",
            crate::report::table::count(d.patient_week_price)
        );
    }
    w
}

/// Search the decision space and re-evaluate the finalists.
pub fn optimize(
    scenario: &Scenario,
    options: &OptimizeOptions,
    progress: Progress<'_>,
    best_so_far: &(dyn Fn(f64) + Sync),
) -> Result<OptimizeReport, AnalysisError> {
    if options.budget < 1 {
        return Err(AnalysisError::option(
            "--budget",
            options.budget,
            "evaluate at least 1 candidate",
        ));
    }
    if options.paths == 0 {
        return Err(AnalysisError::option(
            "--paths",
            0,
            "the number of paths must be at least 1",
        ));
    }
    if options.holdout_paths < 2 {
        return Err(AnalysisError::option(
            "--holdout-paths",
            options.holdout_paths,
            "at least 2 paths are needed for an interval",
        ));
    }
    for f in &options.fixed {
        if !FIELDS.contains(&f.as_str()) {
            return Err(AnalysisError::option(
                "--fix",
                f,
                format!("must name a decision field: one of {}", FIELDS.join(", ")),
            ));
        }
    }
    let pool = crate::engine::pool(options.threads)?;
    let seed = options.seed;
    let file: Vec<Strategy> = scenario.strategies.clone();
    // Search scores of the file's strategies (on the search paths).
    let file_scores: Vec<SearchScore> = pool.install(|| {
        file.par_iter()
            .map(|st| evaluate(scenario, st, seed, options.paths))
            .collect()
    });
    let best_file = (0..file.len())
        .reduce(|a, b| {
            if file_scores[b].better_than(&file_scores[a]) {
                b
            } else {
                a
            }
        })
        .unwrap_or(0);
    let from_index = match &options.from {
        Some(name) => strategy_index(scenario, "--from", name)?,
        None => best_file,
    };
    let from = file[from_index].clone();
    // The defaults widen to take in the file's strategies; a range written
    // in [optimize] is the user's limit and stays as written.
    let mut bounds = options.bounds;
    for st in &file {
        bounds.include(st);
    }
    let spec = scenario.optimize.clone().unwrap_or_default();
    let whole = |r: [u32; 2]| (r[0], r[1]);
    let real = |r: [f64; 2]| (r[0], r[1]);
    if let Some(r) = spec.lead_weeks {
        bounds.lead_weeks = whole(r);
    }
    if let Some(r) = spec.cadence_weeks {
        bounds.cadence_weeks = whole(r);
    }
    if let Some(r) = spec.max_oon_weeks {
        bounds.max_oon_weeks = whole(r);
    }
    if let Some(r) = spec.opening_ask {
        bounds.opening_ask = real(r);
    }
    if let Some(r) = spec.walk_away {
        bounds.walk_away = real(r);
    }
    if let Some(r) = spec.concession_exponent {
        bounds.concession_exponent = real(r);
    }
    let fixed: Vec<String> = spec
        .fix
        .iter()
        .chain(&options.fixed)
        .fold(Vec::new(), |mut v, f| {
            if !v.contains(f) {
                v.push(f.clone());
            }
            v
        });
    let free: Vec<&'static str> = FIELDS
        .iter()
        .copied()
        .filter(|f| !fixed.iter().any(|x| x == f))
        .filter(|&f| f != "agenda" || !scenario.items.is_empty())
        .collect();
    let space = Space {
        bounds,
        free: free.clone(),
        notice_weeks: scenario.contract.notice_weeks,
        items: !scenario.items.is_empty(),
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix64(seed ^ 0x6f70_7469_6d69_7a65));
    // Islands: one search per kind of plan (with or without a notice, with
    // or without an escalation), so that a basin found early (say, plans
    // without a notice) does not starve the others of budget.
    let notice_bits: Vec<bool> = if free.contains(&"notice") {
        vec![false, true]
    } else {
        vec![from.notice != Trigger::Never]
    };
    let escalation_bits: Vec<bool> = if free.contains(&"escalation") {
        vec![false, true]
    } else {
        vec![from.escalation != Trigger::Never]
    };
    let classes: Vec<(bool, bool)> = notice_bits
        .iter()
        .flat_map(|&n| escalation_bits.iter().map(move |&e| (n, e)))
        .collect();
    let class_of = |st: &Strategy| (st.notice != Trigger::Never, st.escalation != Trigger::Never);
    // Force `c` into class `k` (false when it cannot be: e.g. no legal
    // notice week for its lead).
    let force = |rng: &mut Xoshiro256PlusPlus, c: &mut Strategy, k: (bool, bool)| -> bool {
        for _ in 0..20 {
            if class_of(c) == k {
                return true;
            }
            if (c.notice != Trigger::Never) != k.0 {
                if k.0 {
                    space.draw(rng, c, "notice");
                } else {
                    c.notice = Trigger::Never;
                }
            }
            if (c.escalation != Trigger::Never) != k.1 {
                if k.1 {
                    space.draw(rng, c, "escalation");
                } else {
                    c.escalation = Trigger::Never;
                }
            }
            space.repair(c);
        }
        class_of(c) == k
    };
    let mut evaluated: Vec<(Strategy, SearchScore)> = Vec::new();
    let mut islands: Vec<Vec<(Strategy, SearchScore)>> = vec![Vec::new(); classes.len()];
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: Vec<(usize, Strategy)> = Vec::new();
    // The file's strategies, projected (their free fields, `from`'s fixed
    // ones), each in its island.
    for st in &file {
        let mut c = from.clone();
        for &f in &free {
            copy_field(&mut c, st, f);
        }
        space.repair(&mut c);
        if let Some(i) = classes.iter().position(|&k| k == class_of(&c))
            && seen.insert(key(&c))
        {
            pending.push((i, c));
        }
    }
    let per_island = (options.budget / classes.len()).max(1);
    let initial = (per_island / 5).max(PARENTS * 2).min(per_island);
    for (i, &k) in classes.iter().enumerate() {
        let mut tries = 0;
        while pending.iter().filter(|p| p.0 == i).count() < initial && tries < 50 * initial {
            tries += 1;
            let mut c = from.clone();
            for &f in &free {
                space.draw(&mut rng, &mut c, f);
            }
            space.repair(&mut c);
            if force(&mut rng, &mut c, k) && seen.insert(key(&c)) {
                pending.push((i, c));
            }
        }
    }
    pending.truncate(options.budget);
    let mut exhausted = vec![false; classes.len()];
    while !pending.is_empty() {
        let scores: Vec<SearchScore> = pool.install(|| {
            pending
                .par_iter()
                .map(|(_, st)| {
                    let s = evaluate(scenario, st, seed, options.paths);
                    progress(1);
                    s
                })
                .collect()
        });
        for ((i, st), sc) in pending.drain(..).zip(scores) {
            islands[i].push((st.clone(), sc));
            evaluated.push((st, sc));
        }
        if evaluated.len() >= options.budget || exhausted.iter().all(|&e| e) || free.is_empty() {
            break;
        }
        let top = evaluated
            .iter()
            .map(|e| e.1)
            .reduce(|a, b| if b.better_than(&a) { b } else { a })
            .expect("evaluated");
        best_so_far(top.value);
        let share = (CHILDREN / classes.len()).max(4);
        for (i, &k) in classes.iter().enumerate() {
            let left = options.budget - evaluated.len() - pending.len();
            if exhausted[i] || left == 0 || islands[i].is_empty() {
                continue;
            }
            let island = &mut islands[i];
            island.sort_by(|a, b| rank(&a.1, &b.1));
            let parents = PARENTS.min(island.len());
            let step = 0.25 * (1.0 - (island.len() as f64 / per_island as f64).min(1.0)) + 0.03;
            let want = share.min(left);
            let (mut made, mut misses) = (0, 0);
            while made < want && misses < 200 * want {
                let p = rng.random_range(0..parents);
                let mut c = island[p].0.clone();
                let moves = 1 + rng.random_range(0..3usize).min(free.len() - 1);
                for _ in 0..moves {
                    let f = free[rng.random_range(0..free.len())];
                    space.nudge(&mut rng, &mut c, f, step);
                }
                space.repair(&mut c);
                if force(&mut rng, &mut c, k) && seen.insert(key(&c)) {
                    pending.push((i, c));
                    made += 1;
                } else {
                    misses += 1;
                }
            }
            if made < want {
                exhausted[i] = true;
            }
        }
    }
    let exhausted = exhausted.iter().all(|&e| e);
    evaluated.sort_by(|a, b| rank(&a.1, &b.1));
    let candidates_evaluated = evaluated.len();

    // Holdout: `from`, the file's best, and the finalists on fresh paths.
    let hold_seed = holdout_seed(seed);
    // Candidates that score exactly alike on every search path play the
    // same plan (they differ only in fields that never come into play, such
    // as the out-of-network limit of a plan without a notice): keep one.
    let mut finalists: Vec<(Strategy, SearchScore)> = Vec::new();
    for (st, sc) in &evaluated {
        if finalists.len() == FINALISTS {
            break;
        }
        let same = |f: &SearchScore| {
            f.value.to_bits() == sc.value.to_bits() && f.mcse.to_bits() == sc.mcse.to_bits()
        };
        if !finalists.iter().any(|(_, f)| same(f)) {
            finalists.push((st.clone(), *sc));
        }
    }
    let mut s = scenario.clone();
    let mut named = vec![from.clone()];
    if best_file != from_index {
        named.push(file[best_file].clone());
    }
    let first_finalist = named.len();
    for (k, (st, _)) in finalists.iter().enumerate() {
        let mut st = st.clone();
        st.name = format!("candidate-{}", k + 1);
        named.push(st);
    }
    s.strategies = named;
    s.baseline = None;
    let pairs: Vec<(usize, usize)> = (1..s.strategies.len()).map(|i| (i, 0)).collect();
    let sim = Simulation::new(&s);
    let summary = sim.run(
        &RunConfig {
            paths: options.holdout_paths,
            first_path: 0,
            seed: hold_seed,
            threads: options.threads,
        },
        &pairs,
        &|_| {},
    )?;
    let holdout = |i: usize| -> Holdout {
        let r = &summary.strategies[i];
        let (gain, mcse, p_better, p_worse) = if i == 0 {
            (0.0, 0.0, 0.0, 0.0)
        } else {
            let d = summary.score_diff(i, 0).expect("tracked");
            let risk_neutral = r.score.risk_tolerance().is_infinite();
            let gain = r.score.value() - summary.strategies[0].score.value();
            let mcse = if risk_neutral {
                d.diff.moments.mcse()
            } else {
                r.score.mcse().hypot(summary.strategies[0].score.mcse())
            };
            (gain, mcse, d.p_better(), d.p_worse())
        };
        Holdout {
            mean: r.score.value(),
            mcse: r.score.mcse(),
            ci95: [
                r.score.value() - Z95 * r.score.mcse(),
                r.score.value() + Z95 * r.score.mcse(),
            ],
            gain,
            gain_ci95: [gain - Z95 * mcse, gain + Z95 * mcse],
            p_better,
            p_worse,
            p_out_of_network: r.out_of_network_any.p(),
            breach: breach(scenario, r),
        }
    };
    let from_ref = Reference {
        name: from.name.clone(),
        search: file_scores[from_index],
        holdout: holdout(0),
    };
    let best_in_file = (best_file != from_index).then(|| Reference {
        name: file[best_file].name.clone(),
        search: file_scores[best_file],
        holdout: holdout(1),
    });
    let mut rows: Vec<Finalist> = finalists
        .iter()
        .enumerate()
        .map(|(k, (st, sc))| Finalist {
            rank: 0,
            strategy: st.clone(),
            changes: changes(&from, st),
            search: *sc,
            holdout: holdout(first_finalist + k),
        })
        .collect();
    // Ranked as the search ranked them: choosing among the finalists by
    // their holdout scores would bias those scores upwards again (a small
    // optimizer's curse of its own), so the holdout only reports.
    for (k, r) in rows.iter_mut().enumerate() {
        r.rank = k + 1;
    }
    let name = free_name(scenario);
    let best = rows.iter().find(|r| r.holdout.breach.is_none()).map(|r| {
        let mut st = r.strategy.clone();
        st.name = name.clone();
        st.description = format!(
            "Found by impasse optimize from `{}` (seed {seed}, {candidates_evaluated} candidates); on {} fresh paths it gains {} $M [{}, {}] of {} over `{}`.",
            from.name,
            options.holdout_paths,
            signed_millions(r.holdout.gain),
            signed_millions(r.holdout.gain_ci95[0]),
            signed_millions(r.holdout.gain_ci95[1]),
            scenario.decision.objective.label(),
            from.name
        );
        Best {
            toml: toml_block(&st),
            strategy: st,
            holdout: r.holdout.clone(),
            search: r.search,
        }
    });
    let kept = best.as_ref().and_then(|b| {
        let apparent = b.search.value - file_scores[from_index].value;
        (apparent > 0.0).then(|| b.holdout.gain / apparent)
    });
    let mut notes = Vec::new();
    if let Some(b) = &best {
        let at_edge = edges(&b.strategy, &bounds, &free);
        if !at_edge.is_empty() {
            notes.push(format!(
                "The best plan sits at the edge of the search range for {}: widen it in [optimize] to see whether going further pays.",
                at_edge.join(", ")
            ));
        }
    }
    if exhausted {
        notes.push(format!(
            "The search ran out of new candidates after {candidates_evaluated}: the free fields allow few distinct plans on the grid, and every one was tried."
        ));
    }
    if best.is_none() {
        notes.push(
            "No finalist keeps the board's limits on the holdout paths: relax a limit in [decision] or fix the fields that take the provider out of network (--fix notice,max_oon_weeks)."
                .to_string(),
        );
    }
    Ok(OptimizeReport {
        scenario: scenario.name.clone(),
        objective: words(scenario),
        from: from_ref,
        best_in_file,
        search: Stream {
            seed,
            paths: options.paths,
        },
        holdout: Stream {
            seed: hold_seed,
            paths: options.holdout_paths,
        },
        candidates_evaluated,
        free,
        fixed,
        bounds,
        finalists: rows,
        best,
        kept,
        materiality: scenario.decision.materiality,
        notes,
    })
}

/// The free numeric fields of `st` at an end of their range (the walk-away
/// and ask at either end, the others at either end too).
fn edges(st: &Strategy, b: &Bounds, free: &[&'static str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |f: &'static str, x: f64, r: (f64, f64)| {
        if free.contains(&f) && r.1 > r.0 && (x <= r.0 + 1e-9 || x >= r.1 - 1e-9) {
            out.push(format!("{f} ({x}, range {} to {})", r.0, r.1));
        }
    };
    let w = |r: (u32, u32)| (f64::from(r.0), f64::from(r.1));
    check("lead_weeks", f64::from(st.lead_weeks), w(b.lead_weeks));
    check(
        "cadence_weeks",
        f64::from(st.cadence_weeks),
        w(b.cadence_weeks),
    );
    check("opening_ask", st.opening_ask, b.opening_ask);
    check("walk_away", st.walk_away, b.walk_away);
    let e = b.concession_exponent;
    check(
        "concession_exponent",
        st.concession_exponent,
        (round_to(e.0, 0.05), round_to(e.1, 0.05)),
    );
    out
}

fn rank(a: &SearchScore, b: &SearchScore) -> std::cmp::Ordering {
    b.feasible
        .cmp(&a.feasible)
        .then(b.value.total_cmp(&a.value))
}

fn copy_field(to: &mut Strategy, from: &Strategy, f: &str) {
    match f {
        "lead_weeks" => to.lead_weeks = from.lead_weeks,
        "cadence_weeks" => to.cadence_weeks = from.cadence_weeks,
        "opening_ask" => to.opening_ask = from.opening_ask,
        "walk_away" => to.walk_away = from.walk_away,
        "concession_exponent" => to.concession_exponent = from.concession_exponent,
        "escalation" => to.escalation = from.escalation,
        "escalation_retry" => to.escalation_retry = from.escalation_retry,
        "notice" => to.notice = from.notice,
        "escalate_if_offer_below" => to.escalate_if_offer_below = from.escalate_if_offer_below,
        "notice_if_offer_below" => to.notice_if_offer_below = from.notice_if_offer_below,
        "max_oon_weeks" => to.max_oon_weeks = from.max_oon_weeks,
        "agenda" => to.agenda = from.agenda,
        "data_prep" => to.data_prep = from.data_prep,
        _ => {}
    }
}

/// `$M` with two decimals and a sign.
fn gain_text(h: &Holdout) -> String {
    format!(
        "{} [{}, {}]",
        signed_millions(h.gain),
        signed_millions(h.gain_ci95[0]),
        signed_millions(h.gain_ci95[1])
    )
}

impl Output for OptimizeReport {
    fn table(&self) -> String {
        let mut out = format!(
            "Scenario {}: optimize the provider's plan from `{}`, maximising {}.\n\
             Search: {} candidates on the same {} paths (seed {}); finalists re-played on {} fresh paths (seed {}). Money in $M.\n\
             Searched: {}.{}\n\n",
            self.scenario,
            self.from.name,
            self.objective,
            self.candidates_evaluated,
            crate::report::table::count(self.search.paths as f64),
            self.search.seed,
            crate::report::table::count(self.holdout.paths as f64),
            self.holdout.seed,
            self.free.join(", "),
            if self.fixed.is_empty() {
                String::new()
            } else {
                format!(
                    " Held at `{}`'s values: {}.",
                    self.from.name,
                    self.fixed.join(", ")
                )
            }
        );
        let mut rows = vec![vec![
            format!("`{}` (from)", self.from.name),
            millions(self.from.search.value),
            millions(self.from.holdout.mean),
            "".into(),
            "".into(),
            percent(self.from.holdout.p_out_of_network),
            String::new(),
        ]];
        if let Some(b) = &self.best_in_file {
            rows.push(vec![
                format!("`{}` (best in file)", b.name),
                millions(b.search.value),
                millions(b.holdout.mean),
                gain_text(&b.holdout),
                percent(b.holdout.p_better),
                percent(b.holdout.p_out_of_network),
                String::new(),
            ]);
        }
        for f in &self.finalists {
            rows.push(vec![
                format!("candidate {}", f.rank),
                millions(f.search.value),
                millions(f.holdout.mean),
                gain_text(&f.holdout),
                percent(f.holdout.p_better),
                percent(f.holdout.p_out_of_network),
                if f.holdout.breach.is_some() {
                    "breaks a limit"
                } else {
                    ""
                }
                .to_string(),
            ]);
        }
        out += &columns(
            &[
                "plan",
                "search",
                "holdout",
                "gain vs from [95 %]",
                "better on",
                "P(OON)",
                "",
            ],
            &rows,
        );
        out += "\n`search` is biased upwards by the selection (the optimizer's curse); `holdout` is the honest estimate. The interval is the Monte Carlo error of the gain, not a range of outcomes.\n";
        if let Some(k) = self.kept {
            out += &format!(
                "The holdout kept {:.0} % of the best plan's apparent gain over `{}`.\n",
                100.0 * k,
                self.from.name
            );
        }
        for f in &self.finalists {
            if f.changes.is_empty() {
                out += &format!(
                    "\ncandidate {}: the same as `{}`.\n",
                    f.rank, self.from.name
                );
                continue;
            }
            let list: Vec<String> = f
                .changes
                .iter()
                .map(|c| format!("{} {} → {}", c.field, c.from, c.to))
                .collect();
            out += &format!("\ncandidate {}: {}\n", f.rank, list.join("; "));
        }
        match &self.best {
            Some(b) => {
                let clear = b.holdout.gain_ci95[0] > 0.0;
                out += &format!(
                    "\n{}\n\nAs a [[strategy]] to paste into the scenario (or --append FILE):\n\n{}",
                    if clear {
                        format!(
                            "Best plan: {} $M over `{}` on fresh paths, better on {} of them, worse on {}.{}",
                            gain_text(&b.holdout),
                            self.from.name,
                            percent(b.holdout.p_better),
                            percent(b.holdout.p_worse),
                            if b.holdout.gain < self.materiality {
                                format!(
                                    " The gain is below the board's materiality (${}M, decision.materiality): real, but small.",
                                    millions(self.materiality)
                                )
                            } else {
                                String::new()
                            }
                        )
                    } else {
                        format!(
                            "No plan found beats `{}` beyond Monte Carlo error on fresh paths (best: {} $M).",
                            self.from.name,
                            gain_text(&b.holdout)
                        )
                    },
                    b.toml
                );
            }
            None => out += "\nNo finalist keeps the board's limits.\n",
        }
        for n in &self.notes {
            out += n;
            out += "\n";
        }
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header: Vec<String> = [
            "rank",
            "search_value",
            "search_mcse",
            "holdout_value",
            "holdout_mcse",
            "gain",
            "gain_lo",
            "gain_hi",
            "p_better",
            "p_out_of_network",
            "breach",
        ]
        .map(String::from)
        .to_vec();
        header.extend(FIELDS.iter().map(|f| f.to_string()));
        let rows = self
            .finalists
            .iter()
            .map(|f| {
                let mut row = vec![
                    f.rank.to_string(),
                    csv_number(f.search.value),
                    csv_number(f.search.mcse),
                    csv_number(f.holdout.mean),
                    csv_number(f.holdout.mcse),
                    csv_number(f.holdout.gain),
                    csv_number(f.holdout.gain_ci95[0]),
                    csv_number(f.holdout.gain_ci95[1]),
                    csv_number(f.holdout.p_better),
                    csv_number(f.holdout.p_out_of_network),
                    f.holdout.breach.clone().unwrap_or_default(),
                ];
                row.extend(FIELDS.iter().map(|g| field_text(&f.strategy, g)));
                row
            })
            .collect();
        (header, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toml_block_loads_back() {
        let s = Scenario::builtin();
        let mut st = s.strategies[5].clone();
        st.name = "optimized".into();
        st.description = "A \"quoted\" test".into();
        st.notice = Trigger::Week(-20);
        let text = format!(
            "{}\n{}",
            crate::scenario::DEFAULT_SCENARIO_TOML,
            toml_block(&st)
        );
        let back = Scenario::from_toml(&text, "<test>").unwrap();
        assert_eq!(back.strategies.last().unwrap(), &st);
    }

    #[test]
    fn repair_keeps_candidates_valid() {
        let s = Scenario::builtin();
        let space = Space {
            bounds: Bounds::default(),
            free: FIELDS.to_vec(),
            notice_weeks: s.contract.notice_weeks,
            items: true,
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        for _ in 0..500 {
            let mut st = s.strategies[0].clone();
            for f in FIELDS {
                space.draw(&mut rng, &mut st, f);
                space.nudge(&mut rng, &mut st, f, 0.3);
            }
            space.repair(&mut st);
            let mut t = s.clone();
            t.strategies = vec![st.clone()];
            t.baseline = None;
            t.validate().unwrap_or_else(|e| panic!("{e}: {st:?}"));
        }
    }
}
