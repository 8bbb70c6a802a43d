//! Variance-based global sensitivity: first-order and total Sobol' indices of
//! single inputs or groups of inputs, by the Saltelli design.
//!
//! Method (Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola 2010,
//! "Variance based sensitivity analysis of model output. Design and estimator
//! for the total sensitivity index", *Computer Physics Communications* 181,
//! 259–270):
//!
//! * Two base matrices `A` and `B` of `N` points in the unit hypercube
//!   `[0, 1)^k`: the first `k` and the last `k` coordinates of an
//!   Owen-scrambled Sobol' sequence in dimension `2k` (crate `sobol_burley`:
//!   Joe & Kuo direction numbers, Burley's hash-based Owen scrambling).
//! * For each group `g` of inputs (by default each input alone), `A_B^(g)`:
//!   `A` with the columns of `g` taken from `B`.
//! * The model is run on the `N (G + 2)` points; with `V` the variance of the
//!   `2N` outputs on `A` and `B` and `f0` their mean,
//!   first-order `S_g = mean_j (f(B)_j − f0) (f(A_B^g)_j − f(A)_j) / V`
//!   (Saltelli 2010, table 2, row b, applied to the centred output as Sobol'
//!   2001 advises) and total
//!   `ST_g = mean_j (f(A)_j − f(A_B^g)_j)^2 / (2V)` (Jansen 1999, ibid. row f).
//! * Intervals: percentile bootstrap over the `N` rows of the design (each
//!   row's `G + 2` outputs resampled together), with a fixed seed.
//!
//! For a group, `S_g` is the *closed* first-order index
//! `Var(E[Y | X_g]) / Var(Y)` (the inputs' own effects plus their
//! interactions among themselves) and `ST_g` the group's total index. Groups
//! are how to treat correlated inputs: put inputs that are drawn together
//! in one group, so that the design never pairs them in a way their joint
//! distribution does not allow (Jacques, Lavergne & Devictor 2006).
//!
//! The design gives points in the unit hypercube; the caller maps each
//! coordinate through the inverse CDF of its input (for a group of correlated
//! inputs, through the joint transformation, e.g. a Gaussian copula applied
//! to the group's coordinates).

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;
use thiserror::Error;

/// Most base samples `N` (the Sobol' generator's limit, 2^16).
pub const MAX_BASE_SAMPLES: usize = 1 << 16;

/// Fewest base samples `N`.
pub const MIN_BASE_SAMPLES: usize = 4;

/// Most inputs `k` (`2k` must fit the generator's 256 dimensions).
pub const MAX_INPUTS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;

/// What can stop a Sobol' analysis.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SobolError {
    /// `k = 0`.
    #[error("no inputs: a Sobol' design needs at least one")]
    NoInputs,
    /// `k` is above [`MAX_INPUTS`].
    #[error("{inputs} inputs is too many: the Sobol' design supports at most {MAX_INPUTS}")]
    TooManyInputs {
        /// Inputs asked for.
        inputs: usize,
    },
    /// `N` is outside [`MIN_BASE_SAMPLES`]..=[`MAX_BASE_SAMPLES`].
    #[error(
        "{n} base samples is out of range: must be {MIN_BASE_SAMPLES} to {MAX_BASE_SAMPLES} (a power of two is best)"
    )]
    BaseSamples {
        /// `N` asked for.
        n: usize,
    },
    /// A group is empty, repeats an input or names one that does not exist.
    #[error("group {group} is invalid: {reason}")]
    Group {
        /// Index of the group.
        group: usize,
        /// What is wrong.
        reason: String,
    },
    /// No group was given.
    #[error("no groups: give at least one group of inputs")]
    NoGroups,
    /// The output vector does not have one value per run.
    #[error("{got} outputs given but the design has {expected} runs")]
    OutputLength {
        /// Outputs given.
        got: usize,
        /// Runs in the design.
        expected: usize,
    },
    /// A run index beyond the design, or a buffer of the wrong size.
    #[error("run {run} does not exist: the design has {runs} runs of {inputs} inputs")]
    Run {
        /// Run asked for.
        run: usize,
        /// Runs in the design.
        runs: usize,
        /// Inputs per run.
        inputs: usize,
    },
    /// A NaN or infinite output.
    #[error("output of run {run} is {value}: every output must be finite")]
    NonFinite {
        /// The run.
        run: usize,
        /// Its output.
        value: f64,
    },
    /// The outputs on `A` and `B` do not vary.
    #[error("the model output does not vary over the design: Sobol' indices are undefined")]
    ZeroVariance,
    /// A bootstrap option is out of range.
    #[error("invalid option `{option}` = {value}: {allowed}")]
    Option {
        /// The option.
        option: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        allowed: &'static str,
    },
}

/// The Saltelli (2010) design: base matrices `A`, `B` and one matrix
/// `A_B^(g)` per group, as points of the unit hypercube.
///
/// Runs are numbered block by block, `N` runs per block: block 0 is `A`,
/// block 1 is `B`, block `2 + g` is `A_B^(g)`; run `r` is row `r % N` of
/// block `r / N`. Coordinates lie strictly inside `(0, 1)` (the centres of
/// cells of width 2^-23, the generator's resolution), so inverse CDFs are
/// finite.
#[derive(Debug, Clone, PartialEq)]
pub struct SaltelliDesign {
    k: usize,
    n: usize,
    groups: Vec<Vec<usize>>,
    /// Row-major `N x k`.
    a: Vec<f64>,
    /// Row-major `N x k`.
    b: Vec<f64>,
    /// For each group, whether each input is in it.
    member: Vec<Vec<bool>>,
}

impl SaltelliDesign {
    /// The design for `k` inputs, each its own group, `n` base samples
    /// (`n (k + 2)` runs), scrambled by `seed`.
    ///
    /// `n` should be a power of two: then `A` and `B` are (t, m, 2k)-nets
    /// and the estimates are most accurate.
    pub fn new(k: usize, n: usize, seed: u64) -> Result<SaltelliDesign, SobolError> {
        Self::with_groups(k, (0..k).map(|j| vec![j]).collect(), n, seed)
    }

    /// The design for `k` inputs and the given groups (each a set of input
    /// indices whose columns are swapped together: `n (groups + 2)` runs).
    /// Groups need not cover every input and may overlap.
    pub fn with_groups(
        k: usize,
        groups: Vec<Vec<usize>>,
        n: usize,
        seed: u64,
    ) -> Result<SaltelliDesign, SobolError> {
        if k == 0 {
            return Err(SobolError::NoInputs);
        }
        if k > MAX_INPUTS {
            return Err(SobolError::TooManyInputs { inputs: k });
        }
        if !(MIN_BASE_SAMPLES..=MAX_BASE_SAMPLES).contains(&n) {
            return Err(SobolError::BaseSamples { n });
        }
        if groups.is_empty() {
            return Err(SobolError::NoGroups);
        }
        let mut member = Vec::with_capacity(groups.len());
        for (g, group) in groups.iter().enumerate() {
            if group.is_empty() {
                return Err(SobolError::Group {
                    group: g,
                    reason: "it is empty".into(),
                });
            }
            let mut m = vec![false; k];
            for &j in group {
                if j >= k {
                    return Err(SobolError::Group {
                        group: g,
                        reason: format!("input {j} does not exist (inputs are 0 to {})", k - 1),
                    });
                }
                if m[j] {
                    return Err(SobolError::Group {
                        group: g,
                        reason: format!("input {j} appears twice"),
                    });
                }
                m[j] = true;
            }
            member.push(m);
        }
        // sobol_burley takes a 32-bit seed: fold the 64-bit one.
        let s = (seed ^ (seed >> 32)) as u32;
        let half_cell = 2f64.powi(-24);
        let coord =
            |i: usize, d: usize| f64::from(sobol_burley::sample(i as u32, d as u32, s)) + half_cell;
        let mut a = vec![0.0; n * k];
        let mut b = vec![0.0; n * k];
        a.par_chunks_mut(k)
            .zip(b.par_chunks_mut(k))
            .enumerate()
            .for_each(|(i, (ra, rb))| {
                for j in 0..k {
                    ra[j] = coord(i, j);
                    rb[j] = coord(i, k + j);
                }
            });
        Ok(SaltelliDesign {
            k,
            n,
            groups,
            a,
            b,
            member,
        })
    }

    /// Number of inputs `k`.
    pub fn inputs(&self) -> usize {
        self.k
    }

    /// Number of base samples `N`.
    pub fn base_samples(&self) -> usize {
        self.n
    }

    /// The groups, in the order of the indices.
    pub fn groups(&self) -> &[Vec<usize>] {
        &self.groups
    }

    /// Number of model runs, `N (groups + 2)`.
    pub fn runs(&self) -> usize {
        self.n * (self.groups.len() + 2)
    }

    /// Writes the unit-hypercube point of run `run` into `out` (of length
    /// `k`).
    pub fn point_into(&self, run: usize, out: &mut [f64]) -> Result<(), SobolError> {
        if run >= self.runs() || out.len() != self.k {
            return Err(SobolError::Run {
                run,
                runs: self.runs(),
                inputs: self.k,
            });
        }
        let (block, row) = (run / self.n, run % self.n);
        let ra = &self.a[row * self.k..(row + 1) * self.k];
        let rb = &self.b[row * self.k..(row + 1) * self.k];
        match block {
            0 => out.copy_from_slice(ra),
            1 => out.copy_from_slice(rb),
            g => {
                for (j, o) in out.iter_mut().enumerate() {
                    *o = if self.member[g - 2][j] { rb[j] } else { ra[j] };
                }
            }
        }
        Ok(())
    }

    /// The unit-hypercube point of run `run`.
    pub fn point(&self, run: usize) -> Result<Vec<f64>, SobolError> {
        let mut out = vec![0.0; self.k];
        self.point_into(run, &mut out)?;
        Ok(out)
    }

    /// Runs `f` on every point (in parallel; the result is in run order and
    /// does not depend on the number of threads).
    pub fn evaluate<F: Fn(&[f64]) -> f64 + Sync>(&self, f: F) -> Vec<f64> {
        (0..self.runs())
            .into_par_iter()
            .map_init(
                || vec![0.0; self.k],
                |buf, r| {
                    self.point_into(r, buf).expect("run in range");
                    f(buf)
                },
            )
            .collect()
    }

    /// First-order and total indices of every group from the outputs `y`
    /// (one per run, in run order), with bootstrap intervals; see the module
    /// documentation for the estimators.
    pub fn estimate(&self, y: &[f64], bootstrap: &Bootstrap) -> Result<SobolIndices, SobolError> {
        if y.len() != self.runs() {
            return Err(SobolError::OutputLength {
                got: y.len(),
                expected: self.runs(),
            });
        }
        if let Some(r) = y.iter().position(|v| !v.is_finite()) {
            return Err(SobolError::NonFinite {
                run: r,
                value: y[r],
            });
        }
        bootstrap.check()?;
        let (n, ng) = (self.n, self.groups.len());
        let w = ng + 2;
        // Rows of the design: [f(A), f(B), f(A_B^1), ...], centred on the
        // mean of f(A) and f(B) for accuracy (the estimators are invariant).
        let shift = y[..2 * n].iter().sum::<f64>() / (2 * n) as f64;
        let mut rows = vec![0.0; n * w];
        for (c, block) in y.chunks_exact(n).enumerate() {
            for (j, v) in block.iter().enumerate() {
                rows[j * w + c] = v - shift;
            }
        }
        let all: Vec<usize> = (0..n).collect();
        let (variance, first, total) = estimates(&rows, w, &all).ok_or(SobolError::ZeroVariance)?;

        let reps: Vec<(Vec<f64>, Vec<f64>)> = (0..bootstrap.resamples)
            .into_par_iter()
            .filter_map(|r| {
                let seed = bootstrap
                    .seed
                    .wrapping_add((r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
                let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
                estimates(&rows, w, &idx).map(|(_, s1, st)| (s1, st))
            })
            .collect();
        let interval = |values: Vec<f64>| -> Option<[f64; 2]> {
            let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
            if v.is_empty() {
                return None;
            }
            v.sort_by(f64::total_cmp);
            let alpha = 1.0 - bootstrap.confidence;
            Some([quantile(&v, alpha / 2.0), quantile(&v, 1.0 - alpha / 2.0)])
        };
        let indices = (0..ng)
            .map(|g| SobolIndex {
                group: self.groups[g].clone(),
                first: first[g],
                first_interval: interval(reps.iter().map(|r| r.0[g]).collect()),
                total: total[g],
                total_interval: interval(reps.iter().map(|r| r.1[g]).collect()),
            })
            .collect();
        Ok(SobolIndices {
            base_samples: n,
            runs: self.runs(),
            mean: shift,
            variance,
            confidence: bootstrap.confidence,
            resamples: reps.len(),
            indices,
        })
    }
}

/// `(V, S, ST)` from the rows `idx` of the centred output rows (`None` if
/// the variance is 0).
fn estimates(rows: &[f64], w: usize, idx: &[usize]) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    let ng = w - 2;
    let m = idx.len() as f64;
    let (mut s, mut ss) = (0.0, 0.0);
    let mut num1 = vec![0.0; ng];
    let mut diff = vec![0.0; ng];
    let mut numt = vec![0.0; ng];
    for &j in idx {
        let r = &rows[j * w..(j + 1) * w];
        let (fa, fb) = (r[0], r[1]);
        s += fa + fb;
        ss += fa * fa + fb * fb;
        for g in 0..ng {
            let d = r[2 + g] - fa;
            num1[g] += fb * d;
            diff[g] += d;
            numt[g] += d * d;
        }
    }
    let f0 = s / (2.0 * m);
    let v = (ss - 2.0 * m * f0 * f0) / (2.0 * m - 1.0);
    if v.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let first = (0..ng).map(|g| (num1[g] - f0 * diff[g]) / m / v).collect();
    let total = numt.iter().map(|t| t / m / (2.0 * v)).collect();
    Some((v, first, total))
}

/// Type-7 quantile of sorted data.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Bootstrap settings of [`SaltelliDesign::estimate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bootstrap {
    /// Resamples of the `N` design rows (default 1000; 0 gives no
    /// intervals).
    pub resamples: usize,
    /// Coverage of the percentile intervals (default 0.95).
    pub confidence: f64,
    /// Seed of the resampling.
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: 1000,
            confidence: 0.95,
            seed: 1,
        }
    }
}

impl Bootstrap {
    fn check(&self) -> Result<(), SobolError> {
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(SobolError::Option {
                option: "confidence",
                value: self.confidence.to_string(),
                allowed: "must be strictly between 0 and 1",
            });
        }
        if self.resamples > 1_000_000 {
            return Err(SobolError::Option {
                option: "resamples",
                value: self.resamples.to_string(),
                allowed: "must be at most 1000000",
            });
        }
        Ok(())
    }
}

/// The indices of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolIndex {
    /// The inputs of the group.
    pub group: Vec<usize>,
    /// First-order (for a group: closed) index, Saltelli 2010 estimator.
    pub first: f64,
    /// Its bootstrap percentile interval (`None` without resamples).
    pub first_interval: Option<[f64; 2]>,
    /// Total index, Jansen estimator.
    pub total: f64,
    /// Its bootstrap percentile interval (`None` without resamples).
    pub total_interval: Option<[f64; 2]>,
}

/// The result of [`SaltelliDesign::estimate`] or [`sobol_indices`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolIndices {
    /// Base samples `N`.
    pub base_samples: usize,
    /// Model runs used, `N (groups + 2)`.
    pub runs: usize,
    /// Mean of the output over `A` and `B`.
    pub mean: f64,
    /// Variance of the output over `A` and `B` (the denominator `V`).
    pub variance: f64,
    /// Coverage of the intervals.
    pub confidence: f64,
    /// Bootstrap resamples with a defined estimate.
    pub resamples: usize,
    /// One entry per group, in the design's order.
    pub indices: Vec<SobolIndex>,
}

/// First-order and total Sobol' indices of each of the `k` inputs of `f`,
/// a function of a point of the unit hypercube `[0, 1)^k` (map the
/// coordinates to the inputs' distributions inside `f`), from `n` base
/// samples (`n (k + 2)` evaluations, run in parallel), with 95 % bootstrap
/// intervals from 1000 resamples; `seed` scrambles the design and drives the
/// bootstrap. See [`SaltelliDesign`] for groups and other settings.
pub fn sobol_indices<F: Fn(&[f64]) -> f64 + Sync>(
    f: F,
    k: usize,
    n: usize,
    seed: u64,
) -> Result<SobolIndices, SobolError> {
    let design = SaltelliDesign::new(k, n, seed)?;
    let y = design.evaluate(f);
    design.estimate(
        &y,
        &Bootstrap {
            seed,
            ..Bootstrap::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_layout_and_bounds() {
        let d = SaltelliDesign::with_groups(3, vec![vec![0, 2], vec![1]], 8, 5).unwrap();
        assert_eq!(d.runs(), 32);
        for r in 0..8 {
            let a = d.point(r).unwrap();
            let b = d.point(8 + r).unwrap();
            let g0 = d.point(16 + r).unwrap();
            let g1 = d.point(24 + r).unwrap();
            assert_eq!(g0, vec![b[0], a[1], b[2]]);
            assert_eq!(g1, vec![a[0], b[1], a[2]]);
            assert!(a.iter().chain(&b).all(|&u| u > 0.0 && u < 1.0));
        }
        assert!(d.point(32).is_err());
        assert!(d.point_into(0, &mut [0.0; 2]).is_err());
    }

    #[test]
    fn columns_are_stratified() {
        let n = 256;
        let d = SaltelliDesign::new(4, n, 9).unwrap();
        for col in 0..4 {
            for block in 0..2 {
                let mut seen = vec![false; n];
                for r in 0..n {
                    let u = d.point(block * n + r).unwrap()[col];
                    seen[(u * n as f64) as usize] = true;
                }
                assert!(seen.iter().all(|&s| s), "column {col} of block {block}");
            }
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert_eq!(SaltelliDesign::new(0, 8, 1), Err(SobolError::NoInputs));
        assert!(SaltelliDesign::new(MAX_INPUTS + 1, 8, 1).is_err());
        assert!(SaltelliDesign::new(2, 3, 1).is_err());
        assert!(SaltelliDesign::new(2, MAX_BASE_SAMPLES + 1, 1).is_err());
        assert!(SaltelliDesign::with_groups(2, vec![vec![]], 8, 1).is_err());
        assert!(SaltelliDesign::with_groups(2, vec![vec![2]], 8, 1).is_err());
        assert!(SaltelliDesign::with_groups(2, vec![vec![1, 1]], 8, 1).is_err());
        let d = SaltelliDesign::new(2, 8, 1).unwrap();
        let b = Bootstrap::default();
        assert!(d.estimate(&[0.0; 5], &b).is_err());
        assert_eq!(d.estimate(&[1.0; 32], &b), Err(SobolError::ZeroVariance));
        let mut y = vec![0.5; 32];
        y[3] = f64::NAN;
        assert!(matches!(
            d.estimate(&y, &b),
            Err(SobolError::NonFinite { run: 3, .. })
        ));
    }

    #[test]
    fn additive_linear_model_indices() {
        // f = x0 + 2 x1 on U(0,1): S = ST = (1, 4) / 5.
        let r = sobol_indices(|x| x[0] + 2.0 * x[1], 2, 4096, 3).unwrap();
        for (idx, truth) in r.indices.iter().zip([0.2, 0.8]) {
            assert!((idx.first - truth).abs() < 0.01, "{idx:?}");
            assert!((idx.total - truth).abs() < 0.01, "{idx:?}");
        }
    }
}
