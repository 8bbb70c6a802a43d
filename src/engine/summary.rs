//! Per-strategy and per-pair summaries of many paths, built from
//! [`stats`](super::stats) accumulators: streaming, mergeable, and of a size
//! that does not depend on the number of paths.

use crate::model::Outcome;

use super::stats::{Histogram, Moments, Proportion, QuantileSketch};

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

/// Everything recorded about one strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySummary {
    /// Net present revenue.
    pub revenue: Distribution,
    /// Net present contribution margin.
    pub margin: Distribution,
    /// Uplift of the new contract, over paths that have one.
    pub uplift: Moments,
    /// Share of paths with a deal before expiry.
    pub deal_before_expiry: Proportion,
    /// Uplift, over paths with a deal before expiry.
    pub uplift_if_deal_before_expiry: Moments,
    /// Deal week, over paths with a deal before expiry.
    pub deal_week_if_deal_before_expiry: Moments,
    /// Share of paths that went out of network.
    pub out_of_network: Proportion,
    /// Weeks out of network, over paths that went.
    pub oon_weeks_if_oon: Moments,
    /// Patient-weeks without in-network access.
    pub patient_weeks_out_of_network: Moments,
    /// Patients who switched for good.
    pub patients_switched: Moments,
    /// Share of paths where a bluff was called.
    pub bluff_called: Proportion,
    /// Share of paths where the executives engaged.
    pub exec_engaged: Proportion,
    /// Share of paths where staff talks reached an impasse.
    pub impasse: Proportion,
    /// Yearly value of non-rate items won.
    pub nonrate_value: Moments,
    /// Deals before expiry by week (relative to expiry).
    pub deal_weeks: Histogram,
}

impl StrategySummary {
    /// An empty summary whose deal-week histogram covers `earliest_week..=-1`.
    pub fn new(earliest_week: i32) -> Self {
        StrategySummary {
            revenue: Distribution::default(),
            margin: Distribution::default(),
            uplift: Moments::default(),
            deal_before_expiry: Proportion::default(),
            uplift_if_deal_before_expiry: Moments::default(),
            deal_week_if_deal_before_expiry: Moments::default(),
            out_of_network: Proportion::default(),
            oon_weeks_if_oon: Moments::default(),
            patient_weeks_out_of_network: Moments::default(),
            patients_switched: Moments::default(),
            bluff_called: Proportion::default(),
            exec_engaged: Proportion::default(),
            impasse: Proportion::default(),
            nonrate_value: Moments::default(),
            deal_weeks: Histogram::new(i64::from(earliest_week.min(-1)), -1),
        }
    }

    /// Record one path's outcome.
    #[inline]
    pub fn push(&mut self, o: &Outcome) {
        self.revenue.push(o.revenue);
        self.margin.push(o.margin);
        if o.uplift.is_finite() {
            self.uplift.push(o.uplift);
        }
        self.deal_before_expiry.push(o.deal_before_expiry);
        if o.deal_before_expiry {
            self.uplift_if_deal_before_expiry.push(o.uplift);
            if let Some(w) = o.deal_week {
                self.deal_week_if_deal_before_expiry.push(f64::from(w));
                self.deal_weeks.push(i64::from(w));
            }
        }
        self.out_of_network.push(o.out_of_network);
        if o.out_of_network {
            self.oon_weeks_if_oon.push(f64::from(o.oon_weeks));
        }
        self.patient_weeks_out_of_network
            .push(o.patient_weeks_out_of_network);
        self.patients_switched.push(o.patients_switched);
        self.bluff_called.push(o.bluff_called);
        self.exec_engaged.push(o.exec_engaged);
        self.impasse.push(o.impasse_week.is_some());
        self.nonrate_value.push(o.nonrate_value);
    }

    /// Add another summary.
    pub fn merge(&mut self, other: &StrategySummary) {
        self.revenue.merge(&other.revenue);
        self.margin.merge(&other.margin);
        self.uplift.merge(&other.uplift);
        self.deal_before_expiry.merge(&other.deal_before_expiry);
        self.uplift_if_deal_before_expiry
            .merge(&other.uplift_if_deal_before_expiry);
        self.deal_week_if_deal_before_expiry
            .merge(&other.deal_week_if_deal_before_expiry);
        self.out_of_network.merge(&other.out_of_network);
        self.oon_weeks_if_oon.merge(&other.oon_weeks_if_oon);
        self.patient_weeks_out_of_network
            .merge(&other.patient_weeks_out_of_network);
        self.patients_switched.merge(&other.patients_switched);
        self.bluff_called.merge(&other.bluff_called);
        self.exec_engaged.merge(&other.exec_engaged);
        self.impasse.merge(&other.impasse);
        self.nonrate_value.merge(&other.nonrate_value);
        self.deal_weeks.merge(&other.deal_weeks);
    }
}

/// Paired differences `a - b` on the same paths (common random numbers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairSummary {
    /// Index of strategy A.
    pub a: usize,
    /// Index of strategy B (the baseline).
    pub b: usize,
    /// Revenue difference.
    pub revenue: Moments,
    /// Margin difference.
    pub margin: Moments,
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
    /// Share of paths where A's revenue is strictly higher.
    pub a_better: Proportion,
    /// Share of paths where A's revenue is strictly lower.
    pub a_worse: Proportion,
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

    /// Record one path's outcomes (all strategies, in scenario order).
    #[inline]
    pub fn push(&mut self, outcomes: &[Outcome]) {
        let (x, y) = (&outcomes[self.a], &outcomes[self.b]);
        let d = x.revenue - y.revenue;
        self.revenue.push(d);
        self.regret_a.push((-d).max(0.0));
        self.regret_b.push(d.max(0.0));
        self.margin.push(x.margin - y.margin);
        self.patient_weeks_out_of_network
            .push(x.patient_weeks_out_of_network - y.patient_weeks_out_of_network);
        self.patients_switched
            .push(x.patients_switched - y.patients_switched);
        self.out_of_network
            .push(f64::from(u8::from(x.out_of_network)) - f64::from(u8::from(y.out_of_network)));
        self.a_better.push(d > 0.0);
        self.a_worse.push(d < 0.0);
    }

    /// Add another summary of the same pair.
    pub fn merge(&mut self, other: &PairSummary) {
        debug_assert_eq!((self.a, self.b), (other.a, other.b));
        self.revenue.merge(&other.revenue);
        self.regret_a.merge(&other.regret_a);
        self.regret_b.merge(&other.regret_b);
        self.margin.merge(&other.margin);
        self.patient_weeks_out_of_network
            .merge(&other.patient_weeks_out_of_network);
        self.patients_switched.merge(&other.patients_switched);
        self.out_of_network.merge(&other.out_of_network);
        self.a_better.merge(&other.a_better);
        self.a_worse.merge(&other.a_worse);
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
}

impl RunSummary {
    /// An empty run summary for `n` strategies whose earliest meeting is
    /// `earliest_week`, tracking the given pairs.
    pub fn new(n: usize, earliest_week: i32, pairs: &[(usize, usize)]) -> Self {
        RunSummary {
            paths: 0,
            strategies: (0..n)
                .map(|_| StrategySummary::new(earliest_week))
                .collect(),
            pairs: pairs.iter().map(|&(a, b)| PairSummary::new(a, b)).collect(),
        }
    }

    /// Record one path's outcomes (all strategies, in scenario order).
    #[inline]
    pub fn push(&mut self, outcomes: &[Outcome]) {
        self.paths += 1;
        for (s, o) in self.strategies.iter_mut().zip(outcomes) {
            s.push(o);
        }
        for p in &mut self.pairs {
            p.push(outcomes);
        }
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
