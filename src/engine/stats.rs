//! Streaming, mergeable summaries for Monte Carlo output.
//!
//! Every type here consumes one observation at a time, in constant time, and
//! keeps state whose size does not grow with the number of simulated paths:
//! [`Moments`] (count, mean, variance, min, max), [`QuantileSketch`] (a
//! DDSketch with a relative-accuracy guarantee on quantiles and tail means),
//! [`Histogram`] (counts over a fixed range of small integer keys) and
//! [`Proportion`] (share of paths where an event happened). Each can be filled
//! independently per thread or per batch and combined with `merge`, so a run
//! can be split across workers without keeping the paths themselves. Given the
//! same pushes and merges in the same order, results are bit-identical.
//!
//! What this module is not: it does not store raw observations, so it cannot
//! return exact order statistics, re-weight paths after the fact, or compute
//! joint statistics between two quantities (correlations, conditional
//! quantiles) unless the caller summarises that combination directly. Nor is
//! it a general statistics library: there are no hypothesis tests, density
//! estimates or bootstrap intervals here, only the summaries the simulator
//! reports, each with its Monte Carlo standard error where that makes sense.

/// The 97.5 % quantile of the standard normal distribution, used for 95 %
/// confidence intervals.
const Z_975: f64 = 1.959963984540054;

// ---------------------------------------------------------------------------
// Moments
// ---------------------------------------------------------------------------

/// Streaming count, mean, variance, minimum, maximum and sum of a series of
/// `f64` observations.
///
/// The mean and the sum of squared deviations are updated with Welford's
/// algorithm, and two summaries are combined with the pairwise formula of
/// Chan, Golub & LeVeque, so merging summaries of two halves of a data set
/// gives the same result as pushing everything into one summary, up to
/// floating-point rounding. Memory is constant. A NaN observation propagates
/// into the mean and variance (it is not filtered out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    sum: f64,
}

impl Moments {
    /// An empty summary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one observation.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if self.n == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        self.sum += x;
    }

    /// Adds all the observations summarised by `other`, as if they had been
    /// pushed into `self`. Merging an empty summary is a no-op; merging into an
    /// empty summary copies `other`.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = self.n + other.n;
        let nf = n as f64;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / nf);
        self.m2 += other.m2 + delta * delta * (na * nb / nf);
        self.n = n;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Arithmetic mean; NaN when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Sample variance (divisor `n - 1`); 0 when fewer than two observations.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).max(0.0)
        }
    }

    /// Sample standard deviation, the square root of [`Moments::variance`].
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }

    /// Monte Carlo standard error of the mean, `sd / sqrt(n)`; NaN when empty.
    pub fn mcse(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sd() / (self.n as f64).sqrt()
        }
    }

    /// Smallest observation; NaN when empty.
    pub fn min(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.min }
    }

    /// Largest observation; NaN when empty.
    pub fn max(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.max }
    }

    /// Sum of the observations; 0 when empty.
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// Normal-approximation 95 % confidence interval for the mean,
    /// `mean ± 1.959963984540054 * mcse`; `(NaN, NaN)` when empty.
    pub fn ci95(&self) -> (f64, f64) {
        let m = self.mean();
        let h = Z_975 * self.mcse();
        (m - h, m + h)
    }
}

// ---------------------------------------------------------------------------
// QuantileSketch
// ---------------------------------------------------------------------------

/// Minimum padding, in buckets, added on the growing side of a store.
const STORE_MIN_PAD: i64 = 32;

/// Dense bucket counts for a contiguous range of keys starting at `offset`.
///
/// Equality compares only the range between the first and last non-empty
/// bucket, so two stores holding the same counts are equal whatever their
/// growth history (and hence allocated range) was.
#[derive(Debug, Clone, Default)]
struct Store {
    bins: Vec<u64>,
    offset: i64,
}

impl Store {
    #[inline(always)]
    fn add(&mut self, key: i64) {
        let idx = key.wrapping_sub(self.offset) as u64;
        if idx < self.bins.len() as u64 {
            self.bins[idx as usize] += 1;
        } else {
            self.add_slow(key);
        }
    }

    #[cold]
    #[inline(never)]
    fn add_slow(&mut self, key: i64) {
        self.cover(key, key, true);
        let idx = (key - self.offset) as usize;
        self.bins[idx] += 1;
    }

    /// Grows the store so that keys `lo..=hi` are allocated, with some slack
    /// on the growing side when `pad` is set (amortises repeated growth).
    fn cover(&mut self, lo: i64, hi: i64, pad: bool) {
        let len = self.bins.len() as i64;
        if len == 0 {
            let p = if pad { STORE_MIN_PAD } else { 0 };
            self.offset = lo - p;
            self.bins = vec![0; (hi - lo + 1 + 2 * p) as usize];
            return;
        }
        let cur_lo = self.offset;
        let cur_hi = self.offset + len - 1;
        if lo >= cur_lo && hi <= cur_hi {
            return;
        }
        let p = if pad { STORE_MIN_PAD.max(len / 8) } else { 0 };
        let new_lo = if lo < cur_lo { lo - p } else { cur_lo };
        let new_hi = if hi > cur_hi { hi + p } else { cur_hi };
        let new_len = (new_hi - new_lo + 1) as usize;
        if new_lo == cur_lo {
            self.bins.resize(new_len, 0);
        } else {
            let mut bins = vec![0; new_len];
            let start = (cur_lo - new_lo) as usize;
            bins[start..start + len as usize].copy_from_slice(&self.bins);
            self.bins = bins;
            self.offset = new_lo;
        }
    }

    /// The key of the first non-empty bucket and the counts from there to the
    /// last non-empty bucket; `(0, &[])` when the store is empty.
    fn trimmed(&self) -> (i64, &[u64]) {
        match self.bins.iter().position(|&c| c != 0) {
            None => (0, &[]),
            Some(first) => {
                let last = self.bins.iter().rposition(|&c| c != 0).unwrap_or(first);
                (self.offset + first as i64, &self.bins[first..=last])
            }
        }
    }

    fn merge(&mut self, other: &Store) {
        let (lo, counts) = other.trimmed();
        if counts.is_empty() {
            return;
        }
        self.cover(lo, lo + counts.len() as i64 - 1, false);
        let start = (lo - self.offset) as usize;
        for (dst, &src) in self.bins[start..start + counts.len()]
            .iter_mut()
            .zip(counts)
        {
            *dst += src;
        }
    }

    /// Non-empty buckets as `(key, count)`, in increasing key order.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, u64)> + '_ {
        let offset = self.offset;
        self.bins
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c != 0)
            .map(move |(i, &c)| (offset + i as i64, c))
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        self.trimmed() == other.trimmed()
    }
}

/// A streaming quantile sketch with relative accuracy: DDSketch (Masson, Rim
/// & Lee, "DDSketch: A fast and fully-mergeable quantile sketch with
/// relative-error guarantees", VLDB 2019).
///
/// # Accuracy
///
/// With relative accuracy `alpha`, let `n` values be pushed and let `x_q` be
/// the value of 0-based rank `floor(q * (n - 1))` in sorted order (the
/// convention of the DDSketch paper; `q = 0` is the minimum, `q = 1` the
/// maximum). Then [`QuantileSketch::quantile`] returns `q̂` with
/// `|q̂ - x_q| <= alpha * |x_q|`, up to floating-point rounding (about
/// 1e-15 relative). Values with `|x| < ZERO_THRESHOLD` (1e-9) are counted as
/// exact zeros and estimated as 0, so for them the error is absolute, below
/// 1e-9. Estimates are also clamped to the exact minimum and maximum, which
/// are tracked, so `quantile(0.0)` and `quantile(1.0)` are exact.
///
/// # How it works
///
/// With `gamma = (1 + alpha) / (1 - alpha)`, a positive value `x` goes to the
/// bucket with key `ceil(ln(x) / ln(gamma))`, i.e. the bucket covering
/// `(gamma^(k-1), gamma^k]`, whose representative value `2 gamma^k /
/// (gamma + 1)` is within `alpha` relative of every value in it. Negative
/// values go to a second store keyed on `|x|`. Stores are dense vectors of
/// counts that grow on either side as needed, so a push is one logarithm and
/// one increment, and merging is adding counts: exact, associative and
/// commutative (merges in any order compare equal with `==`).
///
/// # Memory
///
/// Memory depends on the spread of the values, not on how many were pushed:
/// for values spanning a ratio `R = max / min` a store holds about
/// `ln(R) / ln(gamma) ≈ ln(R) / (2 alpha)` buckets of 8 bytes, plus up to
/// an eighth more as growth slack. At the default `alpha = 5e-4` that is about
/// 2,300 buckets (18 KB) for values spanning a factor 10 and about 4,600
/// buckets (37 KB) for a factor 100. Values spread from 1e-9 up to 1e9 would
/// need about 41,000 buckets (330 KB) per sign.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileSketch {
    alpha: f64,
    gamma: f64,
    ln_gamma: f64,
    inv_ln_gamma: f64,
    pos: Store,
    neg: Store,
    zero: u64,
    zero_threshold: f64,
    count: u64,
    min: f64,
    max: f64,
}

impl Default for QuantileSketch {
    /// A sketch with [`QuantileSketch::DEFAULT_ALPHA`].
    fn default() -> Self {
        Self::new(Self::DEFAULT_ALPHA)
    }
}

impl QuantileSketch {
    /// Default relative accuracy: 0.05 %.
    pub const DEFAULT_ALPHA: f64 = 5e-4;

    /// Values with absolute value below this are counted as exact zeros.
    pub const ZERO_THRESHOLD: f64 = 1e-9;

    /// An empty sketch with relative accuracy `alpha`.
    ///
    /// # Panics
    ///
    /// Panics if `alpha` is not strictly between 0 and 1.
    pub fn new(alpha: f64) -> Self {
        Self::with_zero_threshold(alpha, Self::ZERO_THRESHOLD)
    }

    /// An empty sketch with relative accuracy `alpha` that counts values
    /// with absolute value below `zero_threshold` as zeros (for paired
    /// differences in dollars, where cents are noise: fewer buckets, so the
    /// sketch stays in cache).
    ///
    /// # Panics
    ///
    /// Panics if `alpha` is not strictly between 0 and 1 or the threshold is
    /// negative.
    pub fn with_zero_threshold(alpha: f64, zero_threshold: f64) -> Self {
        assert!(
            zero_threshold >= 0.0,
            "QuantileSketch zero threshold must be at least 0, got {zero_threshold}"
        );
        assert!(
            alpha > 0.0 && alpha < 1.0,
            "QuantileSketch alpha must be in (0, 1), got {alpha}"
        );
        let gamma = (1.0 + alpha) / (1.0 - alpha);
        let ln_gamma = gamma.ln();
        Self {
            alpha,
            gamma,
            ln_gamma,
            inv_ln_gamma: 1.0 / ln_gamma,
            pos: Store::default(),
            neg: Store::default(),
            zero: 0,
            zero_threshold,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    #[inline(always)]
    fn key(&self, abs: f64) -> i64 {
        let v = abs.ln() * self.inv_ln_gamma;
        // `v.ceil() as i64` without the call to `ceil` that the baseline
        // x86-64 target makes (no SSE4.1 `roundsd`): exact while `|v| < 2^52`
        // (the truncation and its conversion back are exact there).
        if v.abs() < 4_503_599_627_370_496.0 {
            let t = v as i64;
            if (t as f64) < v { t + 1 } else { t }
        } else {
            v.ceil() as i64
        }
    }

    /// Representative (positive) value of bucket `key`.
    #[inline]
    fn value(&self, key: i64) -> f64 {
        2.0 * (key as f64 * self.ln_gamma).exp() / (self.gamma + 1.0)
    }

    /// Adds one value.
    ///
    /// Non-finite values (NaN, ±∞) are a caller bug: they trip a
    /// `debug_assert!` in debug builds, and in release builds they are
    /// skipped without being counted.
    #[inline]
    pub fn push(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "QuantileSketch::push({x})");
        if !x.is_finite() {
            return;
        }
        let a = x.abs();
        if a < self.zero_threshold {
            self.zero += 1;
        } else {
            let k = self.key(a);
            // A select, not a branch: the sign of a paired difference is a
            // coin toss to the branch predictor.
            let store = if x > 0.0 {
                &mut self.pos
            } else {
                &mut self.neg
            };
            store.add(k);
        }
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Adds the values of `xs`, in order ([`QuantileSketch::push`] each).
    pub fn extend(&mut self, xs: &[f64]) {
        for &x in xs {
            self.push(x);
        }
    }

    /// Adds all the values summarised by `other`. The result is exactly the
    /// sketch that pushing all of them into one sketch would give, whatever
    /// the order of pushes and merges.
    ///
    /// # Panics
    ///
    /// Panics if the two sketches have different `alpha`.
    pub fn merge(&mut self, other: &QuantileSketch) {
        assert!(
            self.alpha == other.alpha,
            "cannot merge QuantileSketch with alpha {} into one with alpha {}",
            other.alpha,
            self.alpha
        );
        assert!(
            self.zero_threshold == other.zero_threshold,
            "cannot merge QuantileSketches with different zero thresholds"
        );
        if other.count == 0 {
            return;
        }
        self.pos.merge(&other.pos);
        self.neg.merge(&other.neg);
        self.zero += other.zero;
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values pushed (non-finite values are not counted).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The relative accuracy the sketch was created with.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Exact smallest value pushed; NaN when empty.
    pub fn min(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.min }
    }

    /// Exact largest value pushed; NaN when empty.
    pub fn max(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.max }
    }

    /// Number of allocated buckets in both stores (each 8 bytes), for
    /// checking memory use.
    pub fn buckets(&self) -> usize {
        self.pos.bins.len() + self.neg.bins.len()
    }

    /// Non-empty buckets as `(representative value, count)` in increasing
    /// order of value, representatives clamped to `[min, max]`.
    fn ascending(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let neg = self.neg.iter().rev().map(|(k, c)| (-self.value(k), c));
        let zero = (self.zero > 0).then_some((0.0, self.zero));
        let pos = self.pos.iter().map(|(k, c)| (self.value(k), c));
        neg.chain(zero)
            .chain(pos)
            .map(|(v, c)| (v.clamp(self.min, self.max), c))
    }

    /// Non-empty buckets in decreasing order of value; see `ascending`.
    fn descending(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let pos = self.pos.iter().rev().map(|(k, c)| (self.value(k), c));
        let zero = (self.zero > 0).then_some((0.0, self.zero));
        let neg = self.neg.iter().map(|(k, c)| (-self.value(k), c));
        pos.chain(zero)
            .chain(neg)
            .map(|(v, c)| (v.clamp(self.min, self.max), c))
    }

    /// Estimate of the `q`-quantile: the value of 0-based rank
    /// `floor(q * (n - 1))` among the `n` values pushed, within relative
    /// error `alpha` (see the type-level docs). `q` is clamped to `[0, 1]`.
    /// NaN when the sketch is empty or `q` is NaN.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let q = q.clamp(0.0, 1.0);
        let rank = (q * (self.count - 1) as f64).floor() as u64;
        let mut seen = 0u64;
        for (v, c) in self.ascending() {
            seen += c;
            if seen > rank {
                return v;
            }
        }
        self.max
    }

    /// Mean of the lowest share `q` of the values: the expected shortfall
    /// (CVaR) of the worst `q`, e.g. `q = 0.05` for the worst 5 %.
    ///
    /// Takes the lowest `m = ceil(q * n)` values (at least 1, at most `n`;
    /// `q` clamped to `[0, 1]`) bucket by bucket from the most negative
    /// upwards, using each bucket's representative value and part of the
    /// bucket at the boundary. Every representative is within `alpha`
    /// relative of the values it stands for, so the error is at most
    /// `alpha * mean(|x|)` over the values taken: for data of one sign, a
    /// relative error of at most `alpha`. NaN when empty or `q` is NaN.
    pub fn lower_tail_mean(&self, q: f64) -> f64 {
        self.tail_mean(q, self.ascending())
    }

    /// Mean of the highest share `q` of the values; the mirror image of
    /// [`QuantileSketch::lower_tail_mean`] (the highest `ceil(q * n)`
    /// values, at least 1), with the same accuracy.
    pub fn upper_tail_mean(&self, q: f64) -> f64 {
        self.tail_mean(q, self.descending())
    }

    fn tail_mean(&self, q: f64, buckets: impl Iterator<Item = (f64, u64)>) -> f64 {
        if self.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let q = q.clamp(0.0, 1.0);
        let m = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut left = m;
        let mut sum = 0.0;
        for (v, c) in buckets {
            let take = c.min(left);
            sum += v * take as f64;
            left -= take;
            if left == 0 {
                break;
            }
        }
        sum / m as f64
    }

    /// Approximate share of the values that are `<= x`, at bucket
    /// resolution: a value counts when its bucket's representative (0 for
    /// the zero bucket) is `<= x`. Exactly 0 below the minimum and exactly 1
    /// at or above the maximum. NaN when empty or `x` is NaN.
    pub fn cdf(&self, x: f64) -> f64 {
        if self.count == 0 || x.is_nan() {
            return f64::NAN;
        }
        if x >= self.max {
            return 1.0;
        }
        let below: u64 = self
            .ascending()
            .take_while(|&(v, _)| v <= x)
            .map(|(_, c)| c)
            .sum();
        below as f64 / self.count as f64
    }
}

// ---------------------------------------------------------------------------
// Histogram
// ---------------------------------------------------------------------------

/// Counts of small integer keys over a fixed inclusive range `lo..=hi`
/// (e.g. deals closed by week). Keys outside the range are counted in
/// separate below/above counters. Memory is one `u64` per key in range.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    lo: i64,
    hi: i64,
    bins: Vec<u64>,
    below: u64,
    above: u64,
}

impl Histogram {
    /// An empty histogram with one bin per key in `lo..=hi`.
    ///
    /// # Panics
    ///
    /// Panics if `lo > hi` or the range does not fit in memory indices.
    pub fn new(lo: i64, hi: i64) -> Self {
        assert!(lo <= hi, "Histogram range {lo}..={hi} is empty");
        let len = usize::try_from(i128::from(hi) - i128::from(lo) + 1)
            .expect("Histogram range too large");
        Self {
            lo,
            hi,
            bins: vec![0; len],
            below: 0,
            above: 0,
        }
    }

    /// Counts one occurrence of `key`.
    #[inline]
    pub fn push(&mut self, key: i64) {
        if key < self.lo {
            self.below += 1;
        } else if key > self.hi {
            self.above += 1;
        } else {
            self.bins[(key - self.lo) as usize] += 1;
        }
    }

    /// Adds the counts of `other`.
    ///
    /// # Panics
    ///
    /// Panics if the two histograms cover different ranges.
    pub fn merge(&mut self, other: &Histogram) {
        assert!(
            self.lo == other.lo && self.hi == other.hi,
            "cannot merge Histogram {}..={} into {}..={}",
            other.lo,
            other.hi,
            self.lo,
            self.hi
        );
        for (dst, &src) in self.bins.iter_mut().zip(&other.bins) {
            *dst += src;
        }
        self.below += other.below;
        self.above += other.above;
    }

    /// `(key, count)` for every key in `lo..=hi`, in increasing order,
    /// including keys with a zero count.
    pub fn counts(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        (self.lo..=self.hi).zip(self.bins.iter().copied())
    }

    /// Total number of keys pushed, including those outside the range.
    pub fn total(&self) -> u64 {
        self.bins.iter().sum::<u64>() + self.below + self.above
    }

    /// Lowest key with its own bin.
    pub fn lo(&self) -> i64 {
        self.lo
    }

    /// Highest key with its own bin.
    pub fn hi(&self) -> i64 {
        self.hi
    }

    /// Count for `key`; 0 for keys outside the range (see
    /// [`Histogram::below`] and [`Histogram::above`]).
    pub fn count_at(&self, key: i64) -> u64 {
        if key < self.lo || key > self.hi {
            0
        } else {
            self.bins[(key - self.lo) as usize]
        }
    }

    /// Number of keys pushed that were below `lo`.
    pub fn below(&self) -> u64 {
        self.below
    }

    /// Number of keys pushed that were above `hi`.
    pub fn above(&self) -> u64 {
        self.above
    }
}

// ---------------------------------------------------------------------------
// Proportion
// ---------------------------------------------------------------------------

/// A plain mean: count and sum, for figures whose spread is not reported.
/// Cheaper to push than [`Moments`] (no division); merged in a fixed order
/// it is as reproducible.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mean {
    n: u64,
    sum: f64,
}

impl Mean {
    /// Adds one observation.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
    }

    /// Adds the observations recorded in `other`.
    pub fn merge(&mut self, other: &Mean) {
        self.n += other.n;
        self.sum += other.sum;
    }

    /// The mean; NaN when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sum / self.n as f64
        }
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }
}

/// Share of trials in which an event happened (e.g. paths ending in a
/// contract termination), with its Monte Carlo standard error.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Proportion {
    hits: u64,
    n: u64,
}

impl Proportion {
    /// No trials yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one trial; `hit` says whether the event happened.
    #[inline]
    pub fn push(&mut self, hit: bool) {
        self.hits += u64::from(hit);
        self.n += 1;
    }

    /// Adds the trials recorded in `other`.
    pub fn merge(&mut self, other: &Proportion) {
        self.hits += other.hits;
        self.n += other.n;
    }

    /// Share of trials that were hits; NaN when there are no trials.
    pub fn p(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.hits as f64 / self.n as f64
        }
    }

    /// Number of trials.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Number of hits.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// Monte Carlo standard error of [`Proportion::p`],
    /// `sqrt(p (1 - p) / n)`; NaN when there are no trials.
    pub fn mcse(&self) -> f64 {
        let p = self.p();
        (p * (1.0 - p) / self.n as f64).sqrt()
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    const QS: [f64; 9] = [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0];

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    fn std_normal(r: &mut Xoshiro256PlusPlus) -> f64 {
        // Box-Muller; 1 - u keeps the logarithm finite.
        let u1: f64 = 1.0 - r.random::<f64>();
        let u2: f64 = r.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn rel_close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * a.abs().max(b.abs()).max(f64::MIN_POSITIVE)
    }

    // ----- Moments -----

    #[test]
    fn moments_match_two_pass() {
        let mut r = rng(1);
        let xs: Vec<f64> = (0..10_000)
            .map(|_| 1e6 + 3e5 * std_normal(&mut r))
            .collect();
        let mut m = Moments::new();
        xs.iter().for_each(|&x| m.push(x));
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert_eq!(m.count(), xs.len() as u64);
        assert!(rel_close(m.mean(), mean, 1e-12));
        assert!(rel_close(m.variance(), var, 1e-12));
        assert!(rel_close(m.sd(), var.sqrt(), 1e-12));
        assert!(rel_close(m.mcse(), (var / n).sqrt(), 1e-12));
        assert!(rel_close(m.sum(), xs.iter().sum::<f64>(), 1e-12));
        let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(m.min(), min);
        assert_eq!(m.max(), max);
        let (lo, hi) = m.ci95();
        assert!(rel_close(lo, mean - Z_975 * (var / n).sqrt(), 1e-12));
        assert!(rel_close(hi, mean + Z_975 * (var / n).sqrt(), 1e-12));
    }

    #[test]
    fn moments_merge_halves_equals_all() {
        let mut r = rng(2);
        let xs: Vec<f64> = (0..5_001)
            .map(|_| (std_normal(&mut r) * 0.7).exp() * 1e5)
            .collect();
        let mut all = Moments::new();
        xs.iter().for_each(|&x| all.push(x));
        let (a, b) = xs.split_at(1_234);
        let mut ma = Moments::new();
        let mut mb = Moments::new();
        a.iter().for_each(|&x| ma.push(x));
        b.iter().for_each(|&x| mb.push(x));
        let mut ab = ma.clone();
        ab.merge(&mb);
        let mut ba = mb.clone();
        ba.merge(&ma);
        for m in [&ab, &ba] {
            assert_eq!(m.count(), all.count());
            assert!(rel_close(m.mean(), all.mean(), 1e-12));
            assert!(rel_close(m.variance(), all.variance(), 1e-12));
            assert!(rel_close(m.sum(), all.sum(), 1e-12));
            assert_eq!(m.min(), all.min());
            assert_eq!(m.max(), all.max());
        }
    }

    #[test]
    fn moments_merge_with_empty_and_edge_cases() {
        let empty = Moments::new();
        assert_eq!(empty.count(), 0);
        assert!(empty.mean().is_nan());
        assert!(empty.min().is_nan() && empty.max().is_nan());
        assert!(empty.mcse().is_nan());
        assert_eq!(empty.variance(), 0.0);
        assert_eq!(empty.sum(), 0.0);

        let mut m = Moments::new();
        for x in [3.0, -1.0, 4.0] {
            m.push(x);
        }
        let before = m.clone();
        m.merge(&empty);
        assert_eq!(m, before);

        let mut e = Moments::new();
        e.merge(&m);
        assert_eq!(e, m);

        let mut one = Moments::new();
        one.push(7.5);
        assert_eq!(one.mean(), 7.5);
        assert_eq!(one.variance(), 0.0);
        assert_eq!(one.mcse(), 0.0);
        assert_eq!(one.ci95(), (7.5, 7.5));
    }

    #[test]
    fn moments_deterministic() {
        let run = || {
            let mut r = rng(3);
            let mut parts = vec![Moments::new(); 4];
            for i in 0..1000 {
                parts[i % 4].push(r.random::<f64>() * 1e7);
            }
            let mut total = Moments::new();
            parts.iter().for_each(|p| total.merge(p));
            total
        };
        let (a, b) = (run(), run());
        assert_eq!(a.mean().to_bits(), b.mean().to_bits());
        assert_eq!(a.variance().to_bits(), b.variance().to_bits());
        assert_eq!(a, b);
    }

    // ----- QuantileSketch -----

    fn exact_quantile(sorted: &[f64], q: f64) -> f64 {
        sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
    }

    fn check_quantiles(xs: &[f64], alpha: f64) {
        let mut s = QuantileSketch::new(alpha);
        xs.iter().for_each(|&x| s.push(x));
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(s.count(), xs.len() as u64);
        for q in QS {
            let exact = exact_quantile(&sorted, q);
            let est = s.quantile(q);
            let tol = alpha * exact.abs() * (1.0 + 1e-9) + QuantileSketch::ZERO_THRESHOLD;
            assert!(
                (est - exact).abs() <= tol,
                "q={q} est={est} exact={exact} err={} tol={tol}",
                (est - exact).abs()
            );
        }
    }

    fn uniform_data(seed: u64, n: usize) -> Vec<f64> {
        let mut r = rng(seed);
        (0..n)
            .map(|_| 1e6 + (2e8 - 1e6) * r.random::<f64>())
            .collect()
    }

    fn lognormal_data(seed: u64, n: usize) -> Vec<f64> {
        let mut r = rng(seed);
        (0..n)
            .map(|_| (16.0 + 1.5 * std_normal(&mut r)).exp())
            .collect()
    }

    fn mixed_data(seed: u64, n: usize) -> Vec<f64> {
        let mut r = rng(seed);
        (0..n)
            .map(|_| match r.random::<f64>() {
                u if u < 0.1 => 0.0,
                u if u < 0.45 => -(10.0 + 1e7 * r.random::<f64>()),
                u if u < 0.5 => 1e-3 * std_normal(&mut r),
                _ => (10.0 + 4.0 * std_normal(&mut r)).exp(),
            })
            .collect()
    }

    #[test]
    fn sketch_quantiles_within_alpha() {
        for alpha in [QuantileSketch::DEFAULT_ALPHA, 0.01, 0.1] {
            check_quantiles(&uniform_data(10, 20_000), alpha);
            check_quantiles(&lognormal_data(11, 20_000), alpha);
            check_quantiles(&mixed_data(12, 20_000), alpha);
            check_quantiles(&vec![1.234e7; 1_000], alpha);
            check_quantiles(&[-42.0; 10], alpha);
            check_quantiles(&[0.0; 5], alpha);
            check_quantiles(&[5.0], alpha);
        }
    }

    #[test]
    fn sketch_empty_and_edges() {
        let s = QuantileSketch::default();
        assert_eq!(s.alpha(), QuantileSketch::DEFAULT_ALPHA);
        assert_eq!(s.count(), 0);
        assert_eq!(s.buckets(), 0);
        assert!(s.quantile(0.5).is_nan());
        assert!(s.lower_tail_mean(0.05).is_nan());
        assert!(s.upper_tail_mean(0.05).is_nan());
        assert!(s.cdf(1.0).is_nan());
        assert!(s.min().is_nan() && s.max().is_nan());

        let mut s = QuantileSketch::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            s.push(x);
        }
        assert_eq!(s.quantile(-1.0), 1.0);
        assert_eq!(s.quantile(0.0), 1.0);
        assert_eq!(s.quantile(1.0), 4.0);
        assert_eq!(s.quantile(7.0), 4.0);
        assert!(s.quantile(f64::NAN).is_nan());
        assert_eq!(s.cdf(0.5), 0.0);
        assert_eq!(s.cdf(2.5), 0.5);
        assert_eq!(s.cdf(4.0), 1.0);
        assert_eq!(s.cdf(100.0), 1.0);
        assert!(rel_close(s.lower_tail_mean(0.0), 1.0, 1e-15));
        assert!(rel_close(s.lower_tail_mean(0.5), 1.5, 5e-4));
        assert!(rel_close(s.upper_tail_mean(0.5), 3.5, 5e-4));
        assert!(rel_close(s.lower_tail_mean(1.0), 2.5, 5e-4));
    }

    #[test]
    #[should_panic]
    fn sketch_rejects_bad_alpha() {
        let _ = QuantileSketch::new(1.0);
    }

    #[test]
    #[should_panic]
    fn sketch_merge_rejects_other_alpha() {
        let mut a = QuantileSketch::new(0.01);
        a.merge(&QuantileSketch::new(0.02));
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic]
    fn sketch_non_finite_asserts_in_debug() {
        QuantileSketch::default().push(f64::NAN);
    }

    #[cfg(not(debug_assertions))]
    #[test]
    fn sketch_non_finite_skipped_in_release() {
        let mut s = QuantileSketch::default();
        for x in [f64::NAN, f64::INFINITY, 3.0, f64::NEG_INFINITY] {
            s.push(x);
        }
        assert_eq!(s.count(), 1);
        assert_eq!(s.quantile(0.5), 3.0);
    }

    #[test]
    fn sketch_merge_is_exact_in_any_order() {
        for xs in [uniform_data(20, 30_000), mixed_data(21, 30_000)] {
            let mut whole = QuantileSketch::default();
            xs.iter().for_each(|&x| whole.push(x));
            let parts: Vec<QuantileSketch> = xs
                .chunks(7_001)
                .map(|c| {
                    let mut s = QuantileSketch::default();
                    c.iter().for_each(|&x| s.push(x));
                    s
                })
                .collect();

            let mut fwd = QuantileSketch::default();
            parts.iter().for_each(|p| fwd.merge(p));
            let mut rev = QuantileSketch::default();
            parts.iter().rev().for_each(|p| rev.merge(p));
            let mut into_last = parts[parts.len() - 1].clone();
            parts[..parts.len() - 1]
                .iter()
                .for_each(|p| into_last.merge(p));
            // Tree: (0+1) + (2+(3+4)).
            let mut left = parts[0].clone();
            left.merge(&parts[1]);
            let mut right = parts[3].clone();
            right.merge(&parts[4]);
            let mut r2 = parts[2].clone();
            r2.merge(&right);
            let mut tree = r2;
            tree.merge(&left);
            let mut with_empty = fwd.clone();
            with_empty.merge(&QuantileSketch::default());

            for m in [&fwd, &rev, &into_last, &tree, &with_empty] {
                assert_eq!(*m, whole);
                for q in QS {
                    assert_eq!(m.quantile(q).to_bits(), whole.quantile(q).to_bits());
                }
            }
        }
    }

    #[test]
    fn sketch_tail_means_within_alpha() {
        let alpha = QuantileSketch::DEFAULT_ALPHA;
        for xs in [uniform_data(30, 50_000), lognormal_data(31, 50_001)] {
            let mut s = QuantileSketch::new(alpha);
            xs.iter().for_each(|&x| s.push(x));
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            for q in [0.0, 0.001, 0.05, 0.1, 0.5, 1.0] {
                let m = ((q * n as f64).ceil() as usize).clamp(1, n);
                let lo = sorted[..m].iter().sum::<f64>() / m as f64;
                let hi = sorted[n - m..].iter().sum::<f64>() / m as f64;
                let (elo, ehi) = (s.lower_tail_mean(q), s.upper_tail_mean(q));
                assert!(
                    (elo - lo).abs() <= alpha * lo * (1.0 + 1e-9),
                    "q={q} {elo} vs {lo}"
                );
                assert!(
                    (ehi - hi).abs() <= alpha * hi * (1.0 + 1e-9),
                    "q={q} {ehi} vs {hi}"
                );
            }
        }
    }

    #[test]
    fn sketch_tail_means_mixed_signs() {
        let alpha = 0.01;
        let xs = mixed_data(32, 20_000);
        let mut s = QuantileSketch::new(alpha);
        xs.iter().for_each(|&x| s.push(x));
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        for q in [0.05, 0.3, 0.5, 0.8, 1.0] {
            let m = ((q * n as f64).ceil() as usize).clamp(1, n);
            let lo = &sorted[..m];
            let hi = &sorted[n - m..];
            let abs_mean = |v: &[f64]| v.iter().map(|x| x.abs()).sum::<f64>() / m as f64;
            let exact_lo = lo.iter().sum::<f64>() / m as f64;
            let exact_hi = hi.iter().sum::<f64>() / m as f64;
            let tol_lo = alpha * abs_mean(lo) * (1.0 + 1e-9) + 1e-9;
            let tol_hi = alpha * abs_mean(hi) * (1.0 + 1e-9) + 1e-9;
            assert!((s.lower_tail_mean(q) - exact_lo).abs() <= tol_lo);
            assert!((s.upper_tail_mean(q) - exact_hi).abs() <= tol_hi);
        }
    }

    #[test]
    fn sketch_cdf_tracks_empirical() {
        let alpha = QuantileSketch::DEFAULT_ALPHA;
        let xs = mixed_data(40, 20_000);
        let mut s = QuantileSketch::new(alpha);
        xs.iter().for_each(|&x| s.push(x));
        let n = xs.len() as f64;
        for x in [-5e6, -10.0, -1e-12, 0.0, 1e-12, 1e3, 2.2e4, 1e6] {
            // At bucket resolution the estimate lies between the empirical
            // cdf at x / (1 + alpha) and at x * (1 + alpha) (for x > 0).
            let shrink = if x > 0.0 { 1.0 - alpha } else { 1.0 + alpha };
            let grow = if x > 0.0 { 1.0 + alpha } else { 1.0 - alpha };
            let lo = xs.iter().filter(|&&v| v <= x * shrink - 1e-9).count() as f64 / n;
            let hi = xs.iter().filter(|&&v| v <= x * grow + 1e-9).count() as f64 / n;
            let c = s.cdf(x);
            assert!(lo <= c && c <= hi, "x={x}: {lo} <= {c} <= {hi}");
        }
        assert_eq!(s.cdf(-1e12), 0.0);
        assert_eq!(s.cdf(1e300), 1.0);
        assert!(s.cdf(f64::NAN).is_nan());
    }

    #[test]
    fn sketch_memory_does_not_grow_with_n() {
        let mut r = rng(50);
        let mut s = QuantileSketch::default();
        for _ in 0..10_000_000 {
            s.push(5e7 + 1.5e8 * r.random::<f64>());
        }
        assert_eq!(s.count(), 10_000_000);
        assert!(s.buckets() < 3_000, "buckets = {}", s.buckets());
        // ln(4) / ln(gamma) buckets are needed.
        assert!(s.buckets() as f64 >= 4f64.ln() / (2.0 * QuantileSketch::DEFAULT_ALPHA));
    }

    #[test]
    fn sketch_store_grows_both_ways() {
        let mut s = QuantileSketch::new(0.01);
        let xs = [1e3, 1e1, 1e5, 1.0, 1e8, -1e3, -1e-3, -1e6, 1e-6];
        for x in xs {
            s.push(x);
        }
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        for (i, x) in sorted.iter().enumerate() {
            let q = i as f64 / (sorted.len() - 1) as f64;
            let est = s.quantile(q);
            assert!(
                (est - x).abs() <= 0.01 * x.abs() * (1.0 + 1e-9),
                "{est} vs {x}"
            );
        }
    }

    proptest! {
        #[test]
        fn prop_quantile_error_bound(
            xs in prop::collection::vec(
                prop_oneof![
                    4 => -1e9f64..1e9,
                    2 => 1e-3f64..1e3,
                    1 => Just(0.0),
                    1 => -1e-6f64..1e-6,
                ],
                1..400,
            ),
            alpha in prop_oneof![Just(QuantileSketch::DEFAULT_ALPHA), 1e-3f64..0.2],
            q in 0.0f64..=1.0,
        ) {
            let mut s = QuantileSketch::new(alpha);
            xs.iter().for_each(|&x| s.push(x));
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            for q in QS.into_iter().chain([q]) {
                let exact = exact_quantile(&sorted, q);
                let est = s.quantile(q);
                let tol = alpha * exact.abs() * (1.0 + 1e-9) + QuantileSketch::ZERO_THRESHOLD;
                prop_assert!((est - exact).abs() <= tol, "q={} est={} exact={}", q, est, exact);
            }
        }
    }

    // ----- Histogram -----

    #[test]
    fn histogram_basics_and_merge() {
        let mut h = Histogram::new(-2, 5);
        assert_eq!((h.lo(), h.hi()), (-2, 5));
        for k in [-3, -2, 0, 0, 5, 6, 7, 3] {
            h.push(k);
        }
        assert_eq!(h.total(), 8);
        assert_eq!(h.below(), 1);
        assert_eq!(h.above(), 2);
        assert_eq!(h.count_at(0), 2);
        assert_eq!(h.count_at(-2), 1);
        assert_eq!(h.count_at(5), 1);
        assert_eq!(h.count_at(4), 0);
        assert_eq!(h.count_at(6), 0);
        let counts: Vec<(i64, u64)> = h.counts().collect();
        assert_eq!(
            counts,
            vec![
                (-2, 1),
                (-1, 0),
                (0, 2),
                (1, 0),
                (2, 0),
                (3, 1),
                (4, 0),
                (5, 1)
            ]
        );

        let mut g = Histogram::new(-2, 5);
        g.push(0);
        g.push(-10);
        let mut hg = h.clone();
        hg.merge(&g);
        let mut gh = g.clone();
        gh.merge(&h);
        assert_eq!(hg, gh);
        assert_eq!(hg.total(), 10);
        assert_eq!(hg.count_at(0), 3);
        assert_eq!(hg.below(), 2);
    }

    #[test]
    #[should_panic]
    fn histogram_merge_rejects_other_range() {
        let mut h = Histogram::new(0, 10);
        h.merge(&Histogram::new(0, 11));
    }

    #[test]
    fn histogram_single_key_and_extremes() {
        let mut h = Histogram::new(i64::MAX, i64::MAX);
        h.push(i64::MAX);
        h.push(i64::MIN);
        assert_eq!(h.count_at(i64::MAX), 1);
        assert_eq!(h.below(), 1);
        assert_eq!(h.total(), 2);
    }

    // ----- Proportion -----

    #[test]
    fn proportion_basics_and_merge() {
        let empty = Proportion::new();
        assert!(empty.p().is_nan());
        assert!(empty.mcse().is_nan());

        let mut a = Proportion::new();
        for i in 0..10 {
            a.push(i < 3);
        }
        assert_eq!((a.hits(), a.count()), (3, 10));
        assert_eq!(a.p(), 0.3);
        assert!(rel_close(a.mcse(), (0.3f64 * 0.7 / 10.0).sqrt(), 1e-15));

        let mut b = Proportion::default();
        b.push(true);
        b.push(true);
        let mut ab = a.clone();
        ab.merge(&b);
        assert_eq!((ab.hits(), ab.count()), (5, 12));
        let mut e = Proportion::new();
        e.merge(&ab);
        assert_eq!(e, ab);

        let mut all = Proportion::new();
        for _ in 0..4 {
            all.push(true);
        }
        assert_eq!(all.p(), 1.0);
        assert_eq!(all.mcse(), 0.0);
    }
}

// ---------------------------------------------------------------------------
// Certainty equivalent
// ---------------------------------------------------------------------------

/// The certainty equivalent of a gamble under exponential utility with risk
/// tolerance `R` dollars: `CE = -R ln E[exp(-X / R)]`, the sure amount a
/// decision maker with that tolerance would take instead (Howard 1988;
/// Clemen & Reilly, *Making Hard Decisions*, ch. 14). `R = inf` is risk
/// neutral and gives the mean.
///
/// Streaming and mergeable without overflow: utilities are stored relative to
/// the smallest outcome seen, `u = exp(-(x - x_min) / R)` in (0, 1], and
/// rescaled when a smaller outcome arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct CertaintyEquivalent {
    r: f64,
    n: u64,
    shift: f64,
    s1: f64,
    s2: f64,
    moments: Moments,
}

impl CertaintyEquivalent {
    /// An empty accumulator with risk tolerance `r` (dollars, or infinity).
    pub fn new(r: f64) -> Self {
        CertaintyEquivalent {
            r,
            n: 0,
            shift: 0.0,
            s1: 0.0,
            s2: 0.0,
            moments: Moments::default(),
        }
    }

    /// The risk tolerance.
    pub fn risk_tolerance(&self) -> f64 {
        self.r
    }

    fn neutral(&self) -> bool {
        self.r.is_infinite()
    }

    fn rescale(&mut self, shift: f64) {
        let f = (-(self.shift - shift) / self.r).exp();
        self.s1 *= f;
        self.s2 *= f * f;
        self.shift = shift;
    }

    /// Adds one outcome.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.moments.push(x);
        if self.neutral() {
            return;
        }
        if self.n == 0 {
            self.shift = x;
        } else if x < self.shift {
            self.rescale(x);
        }
        let u = (-(x - self.shift) / self.r).exp();
        self.s1 += u;
        self.s2 += u * u;
        self.n += 1;
    }

    /// Adds the outcomes recorded in `other` (with the same tolerance).
    pub fn merge(&mut self, other: &CertaintyEquivalent) {
        debug_assert!(self.r == other.r || (self.neutral() && other.neutral()));
        self.moments.merge(&other.moments);
        if self.neutral() || other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        let mut o = other.clone();
        if o.shift < self.shift {
            self.rescale(o.shift);
        } else if self.shift < o.shift {
            o.rescale(self.shift);
        }
        self.s1 += o.s1;
        self.s2 += o.s2;
        self.n += o.n;
    }

    /// Number of outcomes.
    pub fn count(&self) -> u64 {
        self.moments.count()
    }

    /// The certainty equivalent; the mean when risk neutral; NaN when empty.
    pub fn value(&self) -> f64 {
        if self.neutral() {
            return self.moments.mean();
        }
        if self.n == 0 {
            return f64::NAN;
        }
        self.shift - self.r * (self.s1 / self.n as f64).ln()
    }

    /// Monte Carlo standard error of [`Self::value`] (delta method:
    /// `R se(mean u) / mean u`); NaN with fewer than two outcomes.
    pub fn mcse(&self) -> f64 {
        if self.count() < 2 {
            return f64::NAN;
        }
        if self.neutral() {
            return self.moments.mcse();
        }
        let n = self.n as f64;
        let mean = self.s1 / n;
        let var = ((self.s2 / n - mean * mean) * n / (n - 1.0)).max(0.0);
        self.r * (var / n).sqrt() / mean
    }

    /// The risk premium: mean minus certainty equivalent (0 when neutral).
    pub fn risk_premium(&self) -> f64 {
        self.moments.mean() - self.value()
    }
}
