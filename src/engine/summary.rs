//! Per-strategy and per-pair summaries of many paths, built from
//! [`stats`](super::stats) accumulators: streaming, mergeable, and of a size
//! that does not depend on the number of paths.

use crate::model::{Outcome, RenewalOutcome};
use crate::scenario::{Decision, Objective};

use super::stats::{CertaintyEquivalent, Histogram, Mean, Moments, Proportion, QuantileSketch};

/// How a path's outcome is scored for the decision (`[decision]`): the
/// objective less the price of patient-weeks out of network, valued with the
/// board's risk tolerance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scoring {
    /// The quantity maximised.
    pub objective: Objective,
    /// Dollars per patient-week without in-network access.
    pub patient_week_price: f64,
    /// Risk tolerance, dollars (infinite: risk neutral).
    pub risk_tolerance: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring::from(&Decision::default())
    }
}

impl From<&Decision> for Scoring {
    fn from(d: &Decision) -> Self {
        Scoring {
            objective: d.objective,
            patient_week_price: d.patient_week_price,
            risk_tolerance: d.risk_tolerance,
        }
    }
}

impl Scoring {
    /// The score of one path's outcome, dollars.
    #[inline]
    pub fn score(&self, o: &Outcome) -> f64 {
        let base = match self.objective {
            Objective::Margin => o.margin,
            Objective::Revenue => o.revenue,
        };
        if self.patient_week_price == 0.0 {
            base
        } else {
            base - self.patient_week_price * o.patient_weeks_out_of_network
        }
    }
}

/// A paired difference in full: its mean and error, its spread (quantiles of
/// the per-path difference, relative error [`DiffSummary::ALPHA`], differences
/// under a dollar counted as ties), and how often and by how much A loses.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffSummary {
    /// Mean and Monte Carlo error of the difference.
    pub moments: Moments,
    /// Quantiles of the per-path difference.
    pub sketch: QuantileSketch,
    /// Paths where A is strictly higher.
    pub better: Proportion,
    /// Paths where A is strictly lower.
    pub worse: Proportion,
    /// How much A loses, over the paths where it does (positive dollars).
    pub loss_if_worse: Mean,
}

impl Default for DiffSummary {
    fn default() -> Self {
        DiffSummary {
            moments: Moments::default(),
            sketch: QuantileSketch::with_zero_threshold(Self::ALPHA, Self::ZERO),
            better: Proportion::default(),
            worse: Proportion::default(),
            loss_if_worse: Mean::default(),
        }
    }
}

impl DiffSummary {
    /// Relative error of the quantiles of a difference: 0.5 %.
    pub const ALPHA: f64 = 5e-3;
    /// Differences smaller than a dollar are ties in the quantiles.
    pub const ZERO: f64 = 1.0;

    /// Record one path's difference `a - b`.
    #[inline(always)]
    pub fn push(&mut self, d: f64) {
        self.sketch.push(d);
        self.push_but_sketch(d);
    }
    /// [`DiffSummary::push`] but for the quantile sketch (which the caller
    /// fills later: its counts do not depend on the order of pushes).
    #[inline(always)]
    fn push_but_sketch(&mut self, d: f64) {
        self.moments.push(d);
        self.better.push(d > 0.0);
        self.worse.push(d < 0.0);
        if d < 0.0 {
            self.loss_if_worse.push(-d);
        }
    }
    /// Add another summary.
    pub fn merge(&mut self, other: &DiffSummary) {
        self.moments.merge(&other.moments);
        self.sketch.merge(&other.sketch);
        self.better.merge(&other.better);
        self.worse.merge(&other.worse);
        self.loss_if_worse.merge(&other.loss_if_worse);
    }
}

/// Mean with its standard error, plus quantiles and the lower tail from a sketch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Distribution {
    /// Count, mean, variance.
    pub moments: Moments,
    /// Quantiles (relative error [`QuantileSketch::alpha`]).
    pub sketch: QuantileSketch,
}

impl Distribution {
    /// Record one value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.moments.push(x);
        self.sketch.push(x);
    }
    /// Add another summary.
    pub fn merge(&mut self, other: &Distribution) {
        self.moments.merge(&other.moments);
        self.sketch.merge(&other.sketch);
    }
    /// Mean.
    pub fn mean(&self) -> f64 {
        self.moments.mean()
    }
    /// Monte Carlo standard error of the mean.
    pub fn mcse(&self) -> f64 {
        self.moments.mcse()
    }
    /// Quantile `q` in [0, 1].
    pub fn quantile(&self, q: f64) -> f64 {
        self.sketch.quantile(q)
    }
    /// Mean of the worst 5 % (conditional value at risk).
    pub fn cvar5(&self) -> f64 {
        self.sketch.lower_tail_mean(0.05)
    }
}

/// What is recorded about one renewal of one strategy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RenewalSummary {
    /// Net present revenue in the renewal's window.
    pub revenue: Mean,
    /// Net present margin less costs in the window.
    pub margin: Mean,
    /// Present value of the costs of moves in the window.
    pub costs: Mean,
    /// Yearly uplift of the new contract, over paths that have one.
    pub uplift: Mean,
    /// Share of paths with a deal before expiry.
    pub deal_before_expiry: Proportion,
    /// Uplift, over paths with a deal before expiry.
    pub uplift_if_deal_before_expiry: Mean,
    /// Deal week, over paths with a deal before expiry.
    pub deal_week_if_deal_before_expiry: Mean,
    /// Share of paths where the old terms rolled over.
    pub rolled_over: Proportion,
    /// Share of paths where the payer let its last offer lapse and stalled.
    pub payer_stalled: Proportion,
    /// Share of paths that went out of network.
    pub out_of_network: Proportion,
    /// Weeks out of network, over paths that went.
    pub oon_weeks_if_oon: Mean,
    /// Share of paths where a notice was sent.
    pub notice_sent: Proportion,
    /// Out of network, over paths where a notice was sent.
    pub out_of_network_if_notice: Proportion,
    /// Payer refused to talk, over paths where a notice was sent.
    pub refused_to_talk_if_notice: Proportion,
    /// Share of paths where a bluff was called.
    pub bluff_called: Proportion,
    /// Share of paths where the provider escalated.
    pub escalated: Proportion,
    /// Share of paths where the executives engaged.
    pub exec_engaged: Proportion,
    /// Share of paths where a refused escalation hardened the staff.
    pub backlash: Proportion,
    /// Share of paths where staff talks reached an impasse.
    pub impasse: Proportion,
    /// Impasse week, over paths with an impasse.
    pub impasse_week_if_impasse: Mean,
    /// Net yearly value of non-rate items won.
    pub nonrate_value: Mean,
    /// Patient-weeks without in-network access in the window.
    pub patient_weeks_out_of_network: Mean,
}

impl RenewalSummary {
    /// Record one path's renewal.
    #[inline]
    pub fn push(&mut self, o: &RenewalOutcome) {
        self.revenue.push(o.revenue);
        self.margin.push(o.margin);
        self.costs.push(o.costs);
        if o.uplift.is_finite() {
            self.uplift.push(o.uplift);
        }
        self.deal_before_expiry.push(o.deal_before_expiry);
        if o.deal_before_expiry {
            self.uplift_if_deal_before_expiry.push(o.uplift);
            if let Some(w) = o.deal_week {
                self.deal_week_if_deal_before_expiry.push(f64::from(w));
            }
        }
        self.rolled_over.push(o.rolled_over);
        self.payer_stalled.push(o.payer_stalled);
        self.out_of_network.push(o.out_of_network);
        if o.out_of_network {
            self.oon_weeks_if_oon.push(f64::from(o.oon_weeks));
        }
        self.notice_sent.push(o.notice_sent);
        if o.notice_sent {
            self.out_of_network_if_notice.push(o.out_of_network);
            self.refused_to_talk_if_notice.push(o.refused_to_talk);
        }
        self.bluff_called.push(o.bluff_called);
        self.escalated.push(o.escalations > 0);
        self.exec_engaged.push(o.exec_engaged);
        self.backlash.push(o.backlash);
        self.impasse.push(o.impasse_week.is_some());
        if let Some(w) = o.impasse_week {
            self.impasse_week_if_impasse.push(f64::from(w));
        }
        self.nonrate_value.push(o.nonrate_value);
        self.patient_weeks_out_of_network
            .push(o.patient_weeks_out_of_network);
    }

    /// Add another summary.
    pub fn merge(&mut self, other: &RenewalSummary) {
        self.revenue.merge(&other.revenue);
        self.margin.merge(&other.margin);
        self.costs.merge(&other.costs);
        self.uplift.merge(&other.uplift);
        self.deal_before_expiry.merge(&other.deal_before_expiry);
        self.uplift_if_deal_before_expiry
            .merge(&other.uplift_if_deal_before_expiry);
        self.deal_week_if_deal_before_expiry
            .merge(&other.deal_week_if_deal_before_expiry);
        self.rolled_over.merge(&other.rolled_over);
        self.payer_stalled.merge(&other.payer_stalled);
        self.out_of_network.merge(&other.out_of_network);
        self.oon_weeks_if_oon.merge(&other.oon_weeks_if_oon);
        self.notice_sent.merge(&other.notice_sent);
        self.out_of_network_if_notice
            .merge(&other.out_of_network_if_notice);
        self.refused_to_talk_if_notice
            .merge(&other.refused_to_talk_if_notice);
        self.bluff_called.merge(&other.bluff_called);
        self.escalated.merge(&other.escalated);
        self.exec_engaged.merge(&other.exec_engaged);
        self.backlash.merge(&other.backlash);
        self.impasse.merge(&other.impasse);
        self.impasse_week_if_impasse
            .merge(&other.impasse_week_if_impasse);
        self.nonrate_value.merge(&other.nonrate_value);
        self.patient_weeks_out_of_network
            .merge(&other.patient_weeks_out_of_network);
    }
}

/// Everything recorded about one strategy: totals over the horizon, each
/// renewal, and the deal weeks of this renewal.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySummary {
    /// Net present revenue over the horizon.
    pub revenue: Distribution,
    /// Net present contribution margin less costs over the horizon.
    pub margin: Distribution,
    /// Present value of the costs of moves.
    pub costs: Moments,
    /// Patient-weeks without in-network access.
    pub patient_weeks_out_of_network: Moments,
    /// Patients who switched for good.
    pub patients_switched: Moments,
    /// Out of network at any renewal.
    pub out_of_network_any: Proportion,
    /// Each renewal (index 0: this one).
    pub renewals: Vec<RenewalSummary>,
    /// This renewal's deals before expiry by week (relative to expiry).
    pub deal_weeks: Histogram,
    /// This renewal's impasses by week.
    pub impasse_weeks: Histogram,
    /// The decision score (see [`Scoring`]): mean and certainty equivalent.
    pub score: CertaintyEquivalent,
    /// Patients without in-network access during out-of-network weeks
    /// (patient-weeks over weeks), over paths that went out of network.
    pub patients_affected_if_oon: Mean,
    /// Weeks out of network over all renewals, over paths that went.
    pub oon_weeks_if_oon_any: Mean,
}

impl StrategySummary {
    /// An empty summary for `renewals` renewals whose histograms cover
    /// `earliest_week..=-1`.
    pub fn new(earliest_week: i32, renewals: usize, risk_tolerance: f64) -> Self {
        StrategySummary {
            revenue: Distribution::default(),
            margin: Distribution::default(),
            costs: Moments::default(),
            patient_weeks_out_of_network: Moments::default(),
            patients_switched: Moments::default(),
            out_of_network_any: Proportion::default(),
            renewals: vec![RenewalSummary::default(); renewals.max(1)],
            deal_weeks: Histogram::new(i64::from(earliest_week.min(-1)), -1),
            impasse_weeks: Histogram::new(i64::from(earliest_week.min(-1)), -1),
            score: CertaintyEquivalent::new(risk_tolerance),
            patients_affected_if_oon: Mean::default(),
            oon_weeks_if_oon_any: Mean::default(),
        }
    }

    /// This renewal's summary.
    pub fn first(&self) -> &RenewalSummary {
        &self.renewals[0]
    }

    /// Record one path's outcome and its decision score.
    #[inline]
    pub fn push(&mut self, o: &Outcome, score: f64) {
        self.push_with::<true>(o, score);
    }

    /// [`StrategySummary::push`], with (`SKETCH`) or without the quantile
    /// sketches of revenue and margin.
    #[inline(always)]
    fn push_with<const SKETCH: bool>(&mut self, o: &Outcome, score: f64) {
        self.score.push(score);
        let oon_weeks: u32 = o.played().iter().map(|r| r.oon_weeks).sum();
        if oon_weeks > 0 {
            self.oon_weeks_if_oon_any.push(f64::from(oon_weeks));
            self.patients_affected_if_oon
                .push(o.patient_weeks_out_of_network / f64::from(oon_weeks));
        }
        if SKETCH {
            self.revenue.push(o.revenue);
            self.margin.push(o.margin);
        } else {
            self.revenue.moments.push(o.revenue);
            self.margin.moments.push(o.margin);
        }
        self.costs.push(o.costs);
        self.patient_weeks_out_of_network
            .push(o.patient_weeks_out_of_network);
        self.patients_switched.push(o.patients_switched);
        self.out_of_network_any
            .push(o.played().iter().any(|r| r.out_of_network));
        for (s, r) in self.renewals.iter_mut().zip(o.played()) {
            s.push(r);
        }
        let first = o.first();
        if first.deal_before_expiry
            && let Some(w) = first.deal_week
        {
            self.deal_weeks.push(i64::from(w));
        }
        if let Some(w) = first.impasse_week {
            self.impasse_weeks.push(i64::from(w));
        }
    }

    /// Add another summary.
    pub fn merge(&mut self, other: &StrategySummary) {
        self.revenue.merge(&other.revenue);
        self.margin.merge(&other.margin);
        self.costs.merge(&other.costs);
        self.patient_weeks_out_of_network
            .merge(&other.patient_weeks_out_of_network);
        self.patients_switched.merge(&other.patients_switched);
        self.out_of_network_any.merge(&other.out_of_network_any);
        for (s, o) in self.renewals.iter_mut().zip(&other.renewals) {
            s.merge(o);
        }
        self.deal_weeks.merge(&other.deal_weeks);
        self.impasse_weeks.merge(&other.impasse_weeks);
        self.score.merge(&other.score);
        self.patients_affected_if_oon
            .merge(&other.patients_affected_if_oon);
        self.oon_weeks_if_oon_any.merge(&other.oon_weeks_if_oon_any);
    }
}

/// Paired differences `a - b` on the same paths (common random numbers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairSummary {
    /// Index of strategy A.
    pub a: usize,
    /// Index of strategy B (the baseline).
    pub b: usize,
    /// Revenue difference, for a lean pair (a full pair keeps it in
    /// `revenue_diff`; see [`PairSummary::revenue`]).
    revenue_lean: Moments,
    /// Margin difference, for a lean pair.
    margin_lean: Moments,
    /// Patient-weeks out of network difference.
    pub patient_weeks_out_of_network: Moments,
    /// Patients switched difference.
    pub patients_switched: Moments,
    /// Out-of-network indicator difference.
    pub out_of_network: Moments,
    /// Revenue given up by choosing A: `max(b - a, 0)` (A's regret).
    pub regret_a: Moments,
    /// Revenue given up by choosing B: `max(a - b, 0)`.
    pub regret_b: Moments,
    /// Revenue difference in full (quantiles, losses).
    pub revenue_diff: DiffSummary,
    /// Margin difference in full.
    pub margin_diff: DiffSummary,
    /// Decision-score difference in full.
    pub score_diff: DiffSummary,
    /// Record only the decision score and the means (a pair tracked for
    /// the recommendation, not shown as a comparison): no quantiles of the
    /// revenue and margin differences.
    pub lean: bool,
}

impl PairSummary {
    /// An empty comparison of strategy `a` against `b`.
    pub fn new(a: usize, b: usize) -> Self {
        PairSummary {
            a,
            b,
            ..PairSummary::default()
        }
    }

    /// Record one path's outcomes and scores (all strategies, in scenario
    /// order).
    #[inline]
    pub fn push(&mut self, outcomes: &[Outcome], scores: &[f64]) {
        self.push_with::<true>(outcomes, scores);
    }

    /// [`PairSummary::push`], with (`SKETCH`) or without the quantile
    /// sketches of the differences.
    #[inline(always)]
    fn push_with<const SKETCH: bool>(&mut self, outcomes: &[Outcome], scores: &[f64]) {
        let (x, y) = (&outcomes[self.a], &outcomes[self.b]);
        let d = x.revenue - y.revenue;
        let push = |s: &mut DiffSummary, d: f64| {
            if SKETCH {
                s.push(d)
            } else {
                s.push_but_sketch(d)
            }
        };
        push(&mut self.score_diff, scores[self.a] - scores[self.b]);
        if self.lean {
            self.revenue_lean.push(d);
            self.margin_lean.push(x.margin - y.margin);
            return;
        }
        push(&mut self.revenue_diff, d);
        push(&mut self.margin_diff, x.margin - y.margin);
        self.regret_a.push((-d).max(0.0));
        self.regret_b.push(d.max(0.0));
        self.patient_weeks_out_of_network
            .push(x.patient_weeks_out_of_network - y.patient_weeks_out_of_network);
        self.patients_switched
            .push(x.patients_switched - y.patients_switched);
        self.out_of_network.push(
            f64::from(u8::from(x.first().out_of_network))
                - f64::from(u8::from(y.first().out_of_network)),
        );
    }

    /// Mean revenue difference and its error (the moments of
    /// `revenue_diff`, or the lean record).
    pub fn revenue(&self) -> &Moments {
        if self.lean {
            &self.revenue_lean
        } else {
            &self.revenue_diff.moments
        }
    }

    /// Mean margin difference and its error.
    pub fn margin(&self) -> &Moments {
        if self.lean {
            &self.margin_lean
        } else {
            &self.margin_diff.moments
        }
    }

    /// Share of paths where A's revenue is strictly higher (full pairs).
    pub fn a_better(&self) -> &Proportion {
        &self.revenue_diff.better
    }

    /// Share of paths where A's revenue is strictly lower (full pairs).
    pub fn a_worse(&self) -> &Proportion {
        &self.revenue_diff.worse
    }

    /// Add another summary of the same pair.
    pub fn merge(&mut self, other: &PairSummary) {
        debug_assert_eq!((self.a, self.b), (other.a, other.b));
        self.revenue_lean.merge(&other.revenue_lean);
        self.regret_a.merge(&other.regret_a);
        self.regret_b.merge(&other.regret_b);
        self.margin_lean.merge(&other.margin_lean);
        self.patient_weeks_out_of_network
            .merge(&other.patient_weeks_out_of_network);
        self.patients_switched.merge(&other.patients_switched);
        self.out_of_network.merge(&other.out_of_network);
        self.revenue_diff.merge(&other.revenue_diff);
        self.margin_diff.merge(&other.margin_diff);
        self.score_diff.merge(&other.score_diff);
    }
}

/// A tracked difference seen from either side: `a - b` as stored, or
/// `b - a` for a pair tracked the other way round.
#[derive(Debug, Clone, Copy)]
pub struct Oriented<'a> {
    /// The difference as recorded.
    pub diff: &'a DiffSummary,
    /// Whether it was recorded as `b - a`.
    pub reversed: bool,
}

impl Oriented<'_> {
    fn sign(&self) -> f64 {
        if self.reversed { -1.0 } else { 1.0 }
    }
    /// Mean difference.
    pub fn mean(&self) -> f64 {
        self.sign() * self.diff.moments.mean()
    }
    /// Quantile `q` of the per-path difference.
    pub fn quantile(&self, q: f64) -> f64 {
        let at = if self.reversed { 1.0 - q } else { q };
        self.sign() * self.diff.sketch.quantile(at)
    }
    /// Share of paths where the difference is positive.
    pub fn p_better(&self) -> f64 {
        if self.reversed {
            self.diff.worse.p()
        } else {
            self.diff.better.p()
        }
    }
    /// Share of paths where it is negative.
    pub fn p_worse(&self) -> f64 {
        if self.reversed {
            self.diff.better.p()
        } else {
            self.diff.worse.p()
        }
    }
    /// Mean shortfall (positive) over the paths where it is negative; 0 if
    /// none.
    pub fn loss_if_worse(&self) -> f64 {
        let d = self.diff;
        let losses = d.loss_if_worse.count();
        let stored_losses = if losses == 0 {
            0.0
        } else {
            d.loss_if_worse.mean() * losses as f64
        };
        if !self.reversed {
            return if losses == 0 {
                0.0
            } else {
                d.loss_if_worse.mean()
            };
        }
        // Recorded as b - a: this side loses where the record is positive,
        // by the record; their sum is the total plus the recorded losses.
        let n = d.better.hits();
        if n == 0 {
            0.0
        } else {
            (d.moments.sum() + stored_losses) / n as f64
        }
    }
}

/// A whole run: one summary per strategy and the requested pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// Number of paths recorded.
    pub paths: u64,
    /// Per strategy, in scenario order.
    pub strategies: Vec<StrategySummary>,
    /// Paired comparisons.
    pub pairs: Vec<PairSummary>,
    /// How paths are scored for the decision.
    pub scoring: Scoring,
    scores: Vec<f64>,
}

impl RunSummary {
    /// An empty run summary for `n` strategies over `renewals` renewals
    /// whose earliest meeting is `earliest_week`, tracking the given pairs.
    pub fn new(
        n: usize,
        earliest_week: i32,
        renewals: usize,
        pairs: &[(usize, usize)],
        scoring: Scoring,
    ) -> Self {
        RunSummary {
            paths: 0,
            strategies: (0..n)
                .map(|_| StrategySummary::new(earliest_week, renewals, scoring.risk_tolerance))
                .collect(),
            pairs: pairs.iter().map(|&(a, b)| PairSummary::new(a, b)).collect(),
            scoring,
            scores: vec![0.0; n],
        }
    }

    /// The decision-score difference `a - b`, if the pair was tracked either
    /// way round.
    pub fn score_diff(&self, a: usize, b: usize) -> Option<Oriented<'_>> {
        self.pair(a, b).map(|(p, reversed)| Oriented {
            diff: &p.score_diff,
            reversed,
        })
    }

    /// The summary of the pair `(a, b)` if it was tracked, as recorded or
    /// reversed (`true` when the stored pair is `(b, a)`).
    pub fn pair(&self, a: usize, b: usize) -> Option<(&PairSummary, bool)> {
        self.pairs
            .iter()
            .find(|p| p.a == a && p.b == b)
            .map(|p| (p, false))
            .or_else(|| {
                self.pairs
                    .iter()
                    .find(|p| p.a == b && p.b == a)
                    .map(|p| (p, true))
            })
    }

    /// Record one path's outcomes (all strategies, in scenario order).
    #[inline]
    pub fn push(&mut self, outcomes: &[Outcome]) {
        self.push_strategies::<true>(outcomes);
        for p in &mut self.pairs {
            p.push(outcomes, &self.scores);
        }
    }

    /// Count the path and record each strategy (and its score), with or
    /// without the revenue and margin sketches.
    #[inline(always)]
    fn push_strategies<const SKETCH: bool>(&mut self, outcomes: &[Outcome]) {
        self.paths += 1;
        for ((s, o), score) in self
            .strategies
            .iter_mut()
            .zip(outcomes)
            .zip(&mut self.scores)
        {
            *score = self.scoring.score(o);
            s.push_with::<SKETCH>(o, *score);
        }
    }

    /// [`RunSummary::push`], leaving the quantile sketches (each strategy's
    /// revenue and margin, the pairs' differences) to
    /// [`RunSummary::flush`]: the path's revenue, margin and
    /// score of each strategy wait in `pending`. Once flushed, the summary
    /// is the one `push` gives, to the bit (a sketch's counts do not depend
    /// on the order of its values); it is faster because each sketch then
    /// takes many values at once while its buckets are in cache, instead of
    /// one value per path among dozens of sketches.
    #[inline]
    pub fn push_pending(&mut self, outcomes: &[Outcome], pending: &mut PendingSketches) {
        self.push_strategies::<false>(outcomes);
        for p in &mut self.pairs {
            p.push_with::<false>(outcomes, &self.scores);
        }
        if pending.add(outcomes, &self.scores) {
            self.flush(pending);
        }
    }

    /// Add the values waiting in `pending` to the quantile sketches, one
    /// sketch at a time, and empty it.
    pub fn flush(&mut self, pending: &mut PendingSketches) {
        use PendingSketches as P;
        let column = |s: usize, measure: usize| pending.column(s, measure);
        for (i, s) in self.strategies.iter_mut().enumerate() {
            s.revenue.sketch.extend(column(i, P::REVENUE));
            s.margin.sketch.extend(column(i, P::MARGIN));
        }
        let fill = |sketch: &mut QuantileSketch, a: usize, b: usize, measure: usize| {
            for (x, y) in column(a, measure).iter().zip(column(b, measure)) {
                sketch.push(x - y);
            }
        };
        for p in &mut self.pairs {
            fill(&mut p.score_diff.sketch, p.a, p.b, P::SCORE);
            if !p.lean {
                fill(&mut p.revenue_diff.sketch, p.a, p.b, P::REVENUE);
                fill(&mut p.margin_diff.sketch, p.a, p.b, P::MARGIN);
            }
        }
        pending.len = 0;
    }

    /// Add another run summary of the same scenario.
    pub fn merge(&mut self, other: &RunSummary) {
        self.paths += other.paths;
        for (s, o) in self.strategies.iter_mut().zip(&other.strategies) {
            s.merge(o);
        }
        for (p, o) in self.pairs.iter_mut().zip(&other.pairs) {
            p.merge(o);
        }
    }
}

/// Each strategy's revenue, margin and decision score on the paths whose
/// pair sketches are not yet filled (see [`RunSummary::push_pending`]),
/// stored by strategy and measure so a sketch reads two runs of memory.
#[derive(Debug, Clone)]
pub struct PendingSketches {
    values: Vec<f64>,
    len: usize,
}

impl PendingSketches {
    /// Paths held before a flush.
    pub const CAPACITY: usize = 1024;

    /// Room for `strategies` strategies.
    pub fn new(strategies: usize) -> Self {
        PendingSketches {
            values: vec![0.0; strategies * 3 * Self::CAPACITY],
            len: 0,
        }
    }

    const REVENUE: usize = 0;
    const MARGIN: usize = 1;
    const SCORE: usize = 2;

    /// Hold one path's figures; returns whether it is now full.
    #[inline]
    fn add(&mut self, outcomes: &[Outcome], scores: &[f64]) -> bool {
        for (s, (o, &score)) in outcomes.iter().zip(scores).enumerate() {
            let at = s * 3 * Self::CAPACITY + self.len;
            self.values[at + Self::REVENUE * Self::CAPACITY] = o.revenue;
            self.values[at + Self::MARGIN * Self::CAPACITY] = o.margin;
            self.values[at + Self::SCORE * Self::CAPACITY] = score;
        }
        self.len += 1;
        self.len == Self::CAPACITY
    }

    /// `measure` of strategy `s` on the paths held.
    fn column(&self, s: usize, measure: usize) -> &[f64] {
        let at = (s * 3 + measure) * Self::CAPACITY;
        &self.values[at..at + self.len]
    }
}
