//! Value of information from the per-path output of a probabilistic analysis:
//! the expected value of perfect information (EVPI) and of partial perfect
//! information about one input or a group of inputs (EVPPI).
//!
//! Both functions take the net benefit of every strategy on every path,
//! `nb[s][i]` (strategy `s`, path `i`, one row per strategy: anything that is
//! `AsRef<[f64]>`, e.g. `Vec<Vec<f64>>` or `&[&[f64]]`), and EVPPI also the
//! values the uncertain inputs took on the same paths, `inputs[j][i]`.
//! Nothing here runs the engine: the numbers may come from anywhere.
//!
//! * [`evpi`]: `EVPI = mean_i max_s nb[s][i] − max_s mean_i nb[s][i]`, with
//!   its Monte Carlo standard error.
//! * [`evppi`]: the regression (metamodel) method of Strong, Oakley & Brennan
//!   (2014), "Estimating multiparameter partial expected value of perfect
//!   information from a probabilistic sensitivity analysis sample: a
//!   nonparametric regression approach", *Medical Decision Making* 34(3),
//!   311–326. The incremental net benefit of each strategy against strategy 0
//!   is regressed on the input(s) with a penalised regression spline whose
//!   smoothing is chosen by generalised cross-validation (GCV); the fitted
//!   values `g_s(x_i)` estimate `E[nb_s − nb_0 | x_i]`, and
//!   `EVPPI = mean_i max_s g_s(x_i) − max_s mean_i g_s(x_i)` (with `g_0 = 0`).
//!
//! Everything is deterministic: the same data, options and seed give the same
//! numbers on any number of threads (parallel sums are reduced in a fixed
//! order).

use nalgebra::{Cholesky, DMatrix, DVector, Dyn, SymmetricEigen};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;
use thiserror::Error;

/// Fewest paths [`evppi`] accepts: a regression metamodel on fewer paths is
/// mostly noise.
pub const MIN_EVPPI_PATHS: usize = 100;

/// An input with at most this many distinct values is treated as discrete: its
/// conditional means are estimated level by level (no smoothing needed).
pub const MAX_LEVELS: usize = 12;

/// Significance level of the lack-of-fit check that sets [`Evppi::warning`].
pub const LACK_OF_FIT_ALPHA: f64 = 0.001;

/// Bins per ordering in the lack-of-fit check.
const LACK_OF_FIT_BINS: usize = 20;

/// Rows per block when sums over paths are split between threads; blocks are
/// combined in order, so results do not depend on the number of threads.
const CHUNK: usize = 4096;

/// Smoothing parameters tried first (log10, relative to the data scale).
const RHO_GRID: (f64, f64, usize) = (-8.0, 0.5, 33);

/// Coordinate-wise GCV search is used up to this many smoothing parameters;
/// beyond it, one common parameter is chosen for all terms.
const MAX_SEPARATE_LAMBDAS: usize = 8;

/// Each effective degree of freedom counts this much in the GCV score: plain
/// GCV (1.0) is known to undersmooth now and then; 1.4 is the remedy of Kim &
/// Gu (2004), "Smoothing spline Gaussian regression: more scalable
/// computation via efficient approximation", *JRSS B* 66, 337–356 (as
/// mgcv's `gamma = 1.4`).
const GCV_GAMMA: f64 = 1.4;

/// What can stop a value-of-information calculation.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum VoiError {
    /// The net-benefit matrix has no row.
    #[error("no strategies: the net-benefit matrix needs one row per strategy")]
    NoStrategies,
    /// Strategies were given different numbers of paths.
    #[error(
        "strategy {strategy} has {got} net benefits but strategy 0 has {expected}: every strategy needs one per path"
    )]
    Ragged {
        /// The offending strategy.
        strategy: usize,
        /// Its number of values.
        got: usize,
        /// Strategy 0's number of values.
        expected: usize,
    },
    /// No input column was given to [`evppi`].
    #[error("no inputs: EVPPI needs at least one input column")]
    NoInputs,
    /// An input column does not have one value per path.
    #[error("input {input} has {got} values but there are {expected} paths")]
    InputLength {
        /// Index of the input column.
        input: usize,
        /// Its length.
        got: usize,
        /// Number of paths.
        expected: usize,
    },
    /// A NaN or infinite value.
    #[error("{what} is {value} on path {path}: every value must be finite")]
    NonFinite {
        /// Which matrix and row.
        what: String,
        /// The path.
        path: usize,
        /// The value.
        value: f64,
    },
    /// Too few paths for the calculation.
    #[error("{paths} paths is too few for {what}: at least {min} are needed")]
    TooFewPaths {
        /// Paths given.
        paths: usize,
        /// Paths needed.
        min: usize,
        /// What needed them.
        what: String,
    },
    /// An option is out of range.
    #[error("invalid option `{option}` = {value}: {allowed}")]
    Option {
        /// The option.
        option: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        allowed: &'static str,
    },
    /// The penalised least-squares system could not be solved.
    #[error("the regression metamodel could not be fitted: {0}")]
    Numerical(String),
}

/// The expected value of perfect information, from [`evpi`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evpi {
    /// `mean_i max_s nb[s][i] − max_s mean_i nb[s][i]`.
    pub value: f64,
    /// Monte Carlo standard error: the sample standard deviation of
    /// `max_s nb[s][i] − nb[best][i]` divided by `sqrt(paths)`.
    pub mcse: f64,
    /// The strategy with the highest mean net benefit (the first on a tie).
    pub best: usize,
    /// Number of paths.
    pub paths: usize,
    /// Mean net benefit of each strategy.
    pub expected: Vec<f64>,
    /// Share of paths on which each strategy has the highest net benefit
    /// (ties go to the first).
    pub prob_best: Vec<f64>,
}

/// The expected value of perfect information (EVPI) and its Monte Carlo
/// standard error.
///
/// `nb[s][i]` is the net benefit of strategy `s` on path `i`. With `s*` the
/// strategy best on average, `EVPI = mean_i (max_s nb[s][i] − nb[s*][i])`,
/// which equals `mean_i max_s nb[s][i] − max_s mean_i nb[s][i]`; the standard
/// error is the sample standard deviation of that per-path difference over
/// `sqrt(n)` (it treats `s*` as fixed, which is exact unless two strategies
/// are within noise of each other on average). One strategy gives 0.
///
/// Errors: no strategy, rows of different lengths, a non-finite value, fewer
/// than 2 paths.
pub fn evpi<S: AsRef<[f64]>>(nb: &[S]) -> Result<Evpi, VoiError> {
    let n = check_net_benefit(nb)?;
    if n < 2 {
        return Err(VoiError::TooFewPaths {
            paths: n,
            min: 2,
            what: "EVPI and its standard error".into(),
        });
    }
    let expected: Vec<f64> = nb.iter().map(|r| mean(r.as_ref())).collect();
    let best = argmax(&expected);
    let mut wins = vec![0usize; nb.len()];
    let regret: Vec<f64> = (0..n)
        .map(|i| {
            let (s, top) = nb.iter().enumerate().map(|(s, r)| (s, r.as_ref()[i])).fold(
                (0, f64::NEG_INFINITY),
                |acc, x| if x.1 > acc.1 { x } else { acc },
            );
            wins[s] += 1;
            top - nb[best].as_ref()[i]
        })
        .collect();
    let (value, sd) = mean_sd(&regret);
    Ok(Evpi {
        value,
        mcse: sd / (n as f64).sqrt(),
        best,
        paths: n,
        expected,
        prob_best: wins.iter().map(|&w| w as f64 / n as f64).collect(),
    })
}

/// Which regression metamodel [`evppi`] fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Metamodel {
    /// One input: a penalised cubic regression spline. Two continuous
    /// inputs: a tensor-product spline (main effects and interaction). Three
    /// or more: an additive model of one spline per input. A discrete input
    /// (at most [`MAX_LEVELS`] distinct values) enters by its levels.
    Auto,
    /// An additive model of one spline (or level effect) per input, even for
    /// two inputs (no interaction).
    Additive,
    /// Ordinary least squares on the inputs themselves: only right when the
    /// net benefits are linear in the inputs; kept for comparison.
    Linear,
}

/// Options of [`evppi`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvppiOptions {
    /// The metamodel (default [`Metamodel::Auto`]).
    pub metamodel: Metamodel,
    /// Interior knots of a one-input spline, at quantiles of the input
    /// (default 25; 1 to 200; at most one per 10 paths). In an additive model
    /// each input gets `min(knots, max(3, 48 / inputs))`.
    pub knots: usize,
    /// Interior knots per input of a tensor-product spline (default 6; 1 to
    /// 30; fewer when `(knots + 4)^2` would exceed a fifth of the paths).
    pub tensor_knots: usize,
    /// Draws from the metamodel's posterior used for the standard error and
    /// the bias estimate (default 200; 0 skips them: then
    /// [`Evppi::se_metamodel`] and [`Evppi::bias`] are `None`).
    pub se_draws: usize,
    /// Seed of those draws.
    pub seed: u64,
}

impl Default for EvppiOptions {
    fn default() -> Self {
        EvppiOptions {
            metamodel: Metamodel::Auto,
            knots: 25,
            tensor_knots: 6,
            se_draws: 200,
            seed: 1,
        }
    }
}

/// The lack-of-fit check of one regression (see [`evppi`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LackOfFit {
    /// Chi-squared statistic of the worst ordering:
    /// `sum_b n_b mean_b(e)^2 / var_b(e)` over the bins `b`.
    pub statistic: f64,
    /// Its degrees of freedom (bins − 1).
    pub df: usize,
    /// Bonferroni-adjusted p-value: the smallest p-value over the orderings,
    /// times the number of orderings, at most 1.
    pub p_value: f64,
    /// The ordering of the worst statistic: `"fitted"` or `"input J"`.
    pub ordering: String,
    /// Largest absolute mean residual of a bin in that ordering (net-benefit
    /// units).
    pub max_bin_mean: f64,
}

/// Diagnostics of the regression of one strategy's incremental net benefit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitDiagnostics {
    /// The strategy whose net benefit minus the reference's was regressed.
    pub strategy: usize,
    /// Share of the incremental net benefit's variance the metamodel explains.
    pub r2: f64,
    /// Effective degrees of freedom of the fit (trace of the hat matrix,
    /// intercept included).
    pub edf: f64,
    /// Number of coefficients of the metamodel (the most `edf` can be).
    pub basis: usize,
    /// log10 of each smoothing parameter, relative to the data scale (empty
    /// for an unpenalised model).
    pub log10_lambda: Vec<f64>,
    /// The GCV score at the chosen smoothing, on the standardised response.
    pub gcv: f64,
    /// The residual check.
    pub lack_of_fit: LackOfFit,
}

/// The expected value of partial perfect information, from [`evppi`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evppi {
    /// `mean_i max_s g_s(x_i) − max_s mean_i g_s(x_i)`.
    pub value: f64,
    /// Standard error: `sqrt(se_sampling^2 + se_metamodel^2)` (only the first
    /// when no posterior draws were made).
    pub mcse: f64,
    /// Sampling part: the standard deviation of
    /// `max_s g_s(x_i) − g_{s*}(x_i)` over `sqrt(paths)`, as for [`Evpi`].
    pub se_sampling: f64,
    /// Metamodel part (the approach of Strong et al. 2014): the standard
    /// deviation of EVPPI recomputed with coefficients drawn from their
    /// approximate posterior `N(beta, sigma^2 (X'X + S)^-1)`, residuals of
    /// different strategies correlated as observed.
    pub se_metamodel: Option<f64>,
    /// Mean of those recomputed EVPPIs minus `value`: the upward bias that
    /// fitting noise adds, by the parametric bootstrap (not subtracted).
    pub bias: Option<f64>,
    /// EVPI of the same net benefits, for comparison (EVPPI ≤ EVPI).
    pub evpi: f64,
    /// Number of paths.
    pub paths: usize,
    /// Number of input columns given.
    pub inputs: usize,
    /// The reference strategy (always 0).
    pub reference: usize,
    /// The metamodel fitted, in words.
    pub model: String,
    /// One entry per strategy other than the reference whose incremental net
    /// benefit varies.
    pub fits: Vec<FitDiagnostics>,
    /// Facts about the calculation (dropped constant inputs, discrete inputs,
    /// the size of the bias).
    pub notes: Vec<String>,
    /// Set when the estimate should not be trusted as is; see [`evppi`].
    pub warning: Option<String>,
}

/// The expected value of partial perfect information (EVPPI) about one input
/// or a group of inputs, by the regression method of Strong, Oakley & Brennan
/// (2014).
///
/// `nb[s][i]` is the net benefit of strategy `s` on path `i`; `inputs[j][i]`
/// the value of input `j` on path `i` (several columns: the EVPPI of learning
/// all of them together).
///
/// Method. For each strategy `s ≥ 1`, the incremental net benefit
/// `y_i = nb[s][i] − nb[0][i]` is regressed on the inputs by penalised least
/// squares, `min ||y − X beta||^2 + sum_j lambda_j beta' S_j beta`:
///
/// * `X`: an intercept and cubic B-splines with interior knots at quantiles
///   of each input (first coefficient of each term dropped for
///   identifiability); for two continuous inputs their tensor product, for
///   more (or [`Metamodel::Additive`]) one such spline per input, added; a
///   discrete input one indicator per level; [`Metamodel::Linear`] the raw
///   inputs.
/// * `S_j`: second divided differences of the coefficients at the Greville
///   abscissae (a P-spline penalty, Eilers & Marx 1996, adjusted for unequal
///   knot spacing so that a straight line costs nothing); for a tensor
///   product one such penalty per direction.
/// * `lambda_j`: minimising generalised cross-validation on a grid of
///   `log10 lambda`, coordinate by coordinate, then refined by golden-section
///   search. The score is `GCV = n RSS / (n − 1.4 edf)^2`: the factor 1.4
///   (Kim & Gu 2004) stops GCV's occasional undersmoothing.
///
/// The system `(X'X + sum lambda_j S_j) beta = X'y` is solved by Cholesky
/// (nalgebra), from sums over the paths formed once; the fitted values
/// `g_s(x_i)` then give `EVPPI = mean_i max(0, g_1, …) − max(0, mean g_1, …)`.
///
/// Standard error: see [`Evppi::se_sampling`] and [`Evppi::se_metamodel`].
/// Neither covers one small bias that EVPPI shares with EVPI: when the best
/// strategies tie on average, `max_s mean_i` of estimated means is biased
/// up by about `sd(mean) phi(0)` (e.g. `sqrt(2/n) 0.399` for two strategies
/// whose difference has variance 2), which biases the estimate down by
/// that much, `O(1/sqrt(n))`.
///
/// Diagnostics and the warning rule. Each regression reports its R², its
/// effective degrees of freedom and a lack-of-fit check: the residuals are
/// ordered by the fitted values and by each input, cut into 20 equal-count
/// bins, and `sum_b n_b mean_b^2 / var_b` is referred to chi-squared with
/// `bins − 1` degrees of freedom (under a correct metamodel the residual mean
/// is 0 in every bin; a step function of the ordering would explain more
/// than the metamodel exactly when this is large). The smallest p-value is
/// Bonferroni-adjusted for the number of orderings. R² itself is not judged:
/// a low R² is right for an input that explains little. [`Evppi::warning`]
/// is set when
///
/// 1. a lack-of-fit p-value is below [`LACK_OF_FIT_ALPHA`] (the metamodel
///    misses structure; EVPPI is then usually underestimated), or
/// 2. a penalised fit uses more than 90 % of its basis (the smoother is at
///    its limit; more knots may be needed), or
/// 3. EVPPI exceeds EVPI by more than 3 standard errors (overfitting).
///
/// Degenerate input: a constant input column is dropped with a note (if all
/// are, EVPPI is 0); an incremental net benefit that does not vary needs no
/// fit. One strategy gives 0.
///
/// Errors: malformed matrices, non-finite values, no input column, fewer than
/// [`MIN_EVPPI_PATHS`] paths or fewer than 5 paths per coefficient, bad
/// options, a system that cannot be solved.
pub fn evppi<S: AsRef<[f64]>, I: AsRef<[f64]>>(
    nb: &[S],
    inputs: &[I],
    options: &EvppiOptions,
) -> Result<Evppi, VoiError> {
    let n = check_net_benefit(nb)?;
    check_options(options)?;
    if inputs.is_empty() {
        return Err(VoiError::NoInputs);
    }
    for (j, col) in inputs.iter().enumerate() {
        let col = col.as_ref();
        if col.len() != n {
            return Err(VoiError::InputLength {
                input: j,
                got: col.len(),
                expected: n,
            });
        }
        check_finite(col, || format!("input {j}"))?;
    }
    if n < MIN_EVPPI_PATHS {
        return Err(VoiError::TooFewPaths {
            paths: n,
            min: MIN_EVPPI_PATHS,
            what: "an EVPPI metamodel".into(),
        });
    }
    let evpi_value = evpi(nb)?.value;
    let mut notes = Vec::new();
    let kinds: Vec<InputKind> = inputs
        .iter()
        .map(|c| InputKind::classify(c.as_ref()))
        .collect();
    let active: Vec<usize> = (0..inputs.len())
        .filter(|&j| !matches!(kinds[j], InputKind::Constant))
        .collect();
    for (j, k) in kinds.iter().enumerate() {
        match k {
            InputKind::Constant => notes.push(format!(
                "input {j} is constant: it carries no information and was left out"
            )),
            InputKind::Levels(l) if options.metamodel != Metamodel::Linear => notes.push(format!(
                "input {j} takes {} distinct values: its effect is estimated level by level",
                l.len()
            )),
            _ => {}
        }
    }
    let zero = |model: &str, notes: Vec<String>| Evppi {
        value: 0.0,
        mcse: 0.0,
        se_sampling: 0.0,
        se_metamodel: (options.se_draws > 0).then_some(0.0),
        bias: (options.se_draws > 0).then_some(0.0),
        evpi: evpi_value,
        paths: n,
        inputs: inputs.len(),
        reference: 0,
        model: model.into(),
        fits: Vec::new(),
        notes,
        warning: None,
    };
    if nb.len() == 1 {
        notes.push("one strategy: there is no decision to inform".into());
        return Ok(zero("none", notes));
    }
    if active.is_empty() {
        return Ok(zero("none (every input is constant)", notes));
    }
    let cols: Vec<&[f64]> = inputs.iter().map(|c| c.as_ref()).collect();
    let design = Design::build(&cols, &kinds, &active, options, n)?;
    if n < 5 * design.p {
        return Err(VoiError::TooFewPaths {
            paths: n,
            min: 5 * design.p,
            what: format!(
                "a metamodel with {} coefficients ({})",
                design.p, design.label
            ),
        });
    }
    let gram = design.gram();
    let ridge = 1e-9 * (0..design.p).map(|k| gram[(k, k)]).fold(0.0, f64::max);
    let scales = design.penalty_scales(&gram);

    let input_orders: Vec<(String, Vec<usize>)> = active
        .iter()
        .map(|&j| (format!("input {j}"), sort_order(cols[j])))
        .collect();

    // One regression per strategy other than the reference.
    let reference = nb[0].as_ref();
    let mut fits = Vec::new();
    let mut fitted: Vec<Vec<f64>> = Vec::with_capacity(nb.len() - 1);
    let mut models: Vec<Option<Model>> = Vec::with_capacity(nb.len() - 1);
    for (s, row) in nb.iter().enumerate().skip(1) {
        let y: Vec<f64> = row
            .as_ref()
            .iter()
            .zip(reference)
            .map(|(a, b)| a - b)
            .collect();
        let (m, sd) = mean_sd(&y);
        if sd == 0.0 || sd <= 1e-12 * m.abs() {
            notes.push(format!(
                "strategy {s} differs from strategy 0 by a constant: no regression needed"
            ));
            fitted.push(vec![m; n]);
            models.push(None);
            continue;
        }
        let ys: Vec<f64> = y.iter().map(|v| (v - m) / sd).collect();
        let b = design.xty(&ys);
        let yy: f64 = ys.iter().map(|v| v * v).sum();
        let sol = design.select(&gram, ridge, &scales, &b, yy)?;
        let g: Vec<f64> = design
            .predict(&sol.beta)
            .into_iter()
            .map(|v| m + sd * v)
            .collect();
        let resid: Vec<f64> = y.iter().zip(&g).map(|(a, b)| a - b).collect();
        let rss: f64 = resid.iter().map(|e| e * e).sum();
        let tss = sd * sd * (n as f64 - 1.0);
        let r2 = (1.0 - rss / tss).clamp(0.0, 1.0);
        let lack_of_fit = lack_of_fit(&resid, &g, &input_orders, rss <= 1e-10 * tss);
        fits.push(FitDiagnostics {
            strategy: s,
            r2,
            edf: sol.edf,
            basis: design.p,
            log10_lambda: sol.rho.clone(),
            gcv: sol.gcv,
            lack_of_fit,
        });
        fitted.push(g);
        models.push(Some(Model {
            sd,
            edf: sol.edf,
            resid_std: resid.iter().map(|e| e / sd).collect(),
            chol: sol.chol,
            penalty: sol.penalty,
        }));
    }

    let value_of = |g: &[Vec<f64>]| -> (f64, f64) {
        let means: Vec<f64> = g.iter().map(|c| mean(c)).collect();
        let star = argmax_with_zero(&means);
        let d: Vec<f64> = (0..n)
            .map(|i| {
                let top = g.iter().map(|c| c[i]).fold(0.0, f64::max);
                top - star.map_or(0.0, |s| g[s][i])
            })
            .collect();
        let (v, sd) = mean_sd(&d);
        (v, sd / (n as f64).sqrt())
    };
    let (value, se_sampling) = value_of(&fitted);

    let (se_metamodel, bias) = if options.se_draws > 0 && models.iter().any(Option::is_some) {
        let draws = Draws::new(&design, &gram, ridge, &fitted, models)?.run(options);
        let (m, sd) = mean_sd(&draws);
        (Some(sd), Some(m - value))
    } else if options.se_draws > 0 {
        (Some(0.0), Some(0.0))
    } else {
        (None, None)
    };
    let mcse = (se_sampling.powi(2) + se_metamodel.unwrap_or(0.0).powi(2)).sqrt();
    if let Some(b) = bias
        && b > mcse
        && b > 0.0
    {
        notes.push(format!(
            "fitting noise adds about {b:.4} to this EVPPI (more than its standard error {mcse:.4}): more paths would reduce it"
        ));
    }

    let mut warnings = Vec::new();
    for f in &fits {
        let lof = &f.lack_of_fit;
        if lof.p_value < LACK_OF_FIT_ALPHA {
            warnings.push(format!(
                "the metamodel of strategy {} against strategy 0 misses structure (residual means by {} bins: chi-squared {:.1} on {} df, adjusted p = {:.2e}, largest bin mean {:.4}): EVPPI may be underestimated; try more knots or another metamodel",
                f.strategy, lof.ordering, lof.statistic, lof.df, lof.p_value, lof.max_bin_mean
            ));
        }
        if !design.penalties.is_empty() && f.edf > 0.9 * f.basis as f64 {
            warnings.push(format!(
                "the smoother of strategy {} uses {:.1} of its {} degrees of freedom: it may be too stiff; try more knots",
                f.strategy, f.edf, f.basis
            ));
        }
    }
    if value > evpi_value + 3.0 * mcse {
        warnings.push(format!(
            "EVPPI {value:.4} exceeds EVPI {evpi_value:.4} by more than 3 standard errors: the metamodel overfits; use more paths or fewer knots"
        ));
    }
    Ok(Evppi {
        value,
        mcse,
        se_sampling,
        se_metamodel,
        bias,
        evpi: evpi_value,
        paths: n,
        inputs: inputs.len(),
        reference: 0,
        model: design.label.clone(),
        fits,
        notes,
        warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
    })
}

// ---------------------------------------------------------------------------
// Validation and small statistics.

fn check_net_benefit<S: AsRef<[f64]>>(nb: &[S]) -> Result<usize, VoiError> {
    let n = nb.first().ok_or(VoiError::NoStrategies)?.as_ref().len();
    for (s, row) in nb.iter().enumerate() {
        let row = row.as_ref();
        if row.len() != n {
            return Err(VoiError::Ragged {
                strategy: s,
                got: row.len(),
                expected: n,
            });
        }
        check_finite(row, || format!("the net benefit of strategy {s}"))?;
    }
    Ok(n)
}

fn check_finite(col: &[f64], what: impl Fn() -> String) -> Result<(), VoiError> {
    match col.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(VoiError::NonFinite {
            what: what(),
            path: i,
            value: col[i],
        }),
        None => Ok(()),
    }
}

fn check_options(o: &EvppiOptions) -> Result<(), VoiError> {
    if !(1..=200).contains(&o.knots) {
        return Err(VoiError::Option {
            option: "knots",
            value: o.knots.to_string(),
            allowed: "must be 1 to 200",
        });
    }
    if !(1..=30).contains(&o.tensor_knots) {
        return Err(VoiError::Option {
            option: "tensor_knots",
            value: o.tensor_knots.to_string(),
            allowed: "must be 1 to 30",
        });
    }
    if o.se_draws > 100_000 {
        return Err(VoiError::Option {
            option: "se_draws",
            value: o.se_draws.to_string(),
            allowed: "must be at most 100000",
        });
    }
    Ok(())
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Mean and sample standard deviation (two passes).
fn mean_sd(x: &[f64]) -> (f64, f64) {
    let m = mean(x);
    if x.len() < 2 {
        return (m, 0.0);
    }
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    (m, (ss / (x.len() - 1) as f64).sqrt())
}

/// Index of the largest value (the first on a tie).
fn argmax(x: &[f64]) -> usize {
    let mut best = 0;
    for (k, v) in x.iter().enumerate() {
        if *v > x[best] {
            best = k;
        }
    }
    best
}

/// Among the reference (value 0) and the strategies with means `m`: `None`
/// when the reference is best, else the index into `m`.
fn argmax_with_zero(m: &[f64]) -> Option<usize> {
    let k = argmax(m);
    (m[k] > 0.0).then_some(k)
}

// ---------------------------------------------------------------------------
// Inputs and the design matrix.

enum InputKind {
    Constant,
    /// Sorted distinct values.
    Levels(Vec<f64>),
    /// Sorted values.
    Continuous(Vec<f64>),
}

impl InputKind {
    fn classify(col: &[f64]) -> InputKind {
        let mut sorted = col.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut levels: Vec<f64> = Vec::new();
        for &v in &sorted {
            if levels.last() != Some(&v) {
                levels.push(v);
                if levels.len() > MAX_LEVELS {
                    return InputKind::Continuous(sorted);
                }
            }
        }
        if levels.len() == 1 {
            InputKind::Constant
        } else {
            InputKind::Levels(levels)
        }
    }
}

/// A cubic B-spline basis: the full knot vector (boundary knots repeated four
/// times) and the number of basis functions.
#[derive(Clone)]
struct Basis {
    knots: Vec<f64>,
    k: usize,
}

impl Basis {
    /// Interior knots at the quantiles `j / (m + 1)` of the sorted values
    /// (duplicates and knots on the boundary dropped).
    fn at_quantiles(sorted: &[f64], m: usize) -> Basis {
        let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
        let mut interior: Vec<f64> = Vec::with_capacity(m);
        for j in 1..=m {
            let q = quantile_sorted(sorted, j as f64 / (m + 1) as f64);
            if q > lo && q < hi && interior.last().is_none_or(|&l| q > l) {
                interior.push(q);
            }
        }
        let mut knots = vec![lo; 4];
        knots.extend(&interior);
        knots.extend([hi; 4]);
        Basis {
            k: interior.len() + 4,
            knots,
        }
    }

    /// The first basis function that is non-zero at `x` and the values of
    /// the four that are (Piegl & Tiller, *The NURBS Book*, algorithm A2.2).
    fn eval(&self, x: f64) -> (usize, [f64; 4]) {
        let u = &self.knots;
        // Span j with u[j] <= x < u[j+1], 3 <= j <= k-1.
        let span = (u.partition_point(|&t| t <= x).saturating_sub(1)).clamp(3, self.k - 1);
        let mut n = [0.0; 4];
        let mut left = [0.0; 4];
        let mut right = [0.0; 4];
        n[0] = 1.0;
        for j in 1..=3 {
            left[j] = x - u[span + 1 - j];
            right[j] = u[span + j] - x;
            let mut saved = 0.0;
            for r in 0..j {
                let denom = right[r + 1] + left[j - r];
                let temp = if denom > 0.0 { n[r] / denom } else { 0.0 };
                n[r] = saved + right[r + 1] * temp;
                saved = left[j - r] * temp;
            }
            n[j] = saved;
        }
        (span - 3, n)
    }

    /// The second-divided-difference penalty `D'D` on the coefficients, at
    /// the Greville abscissae so that a straight line has no penalty, scaled
    /// by the mean squared spacing.
    fn penalty(&self) -> DMatrix<f64> {
        let k = self.k;
        let xi: Vec<f64> = (0..k)
            .map(|j| (self.knots[j + 1] + self.knots[j + 2] + self.knots[j + 3]) / 3.0)
            .collect();
        let h = (xi[k - 1] - xi[0]) / (k - 1) as f64;
        let mut d = DMatrix::zeros(k - 2, k);
        for r in 0..k - 2 {
            let a = h / (xi[r + 1] - xi[r]);
            let b = h / (xi[r + 2] - xi[r + 1]);
            d[(r, r)] = a;
            d[(r, r + 1)] = -(a + b);
            d[(r, r + 2)] = b;
        }
        d.transpose() * d
    }
}

/// Linear-interpolation quantile of sorted data (type 7).
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// One term of the metamodel.
enum Term {
    Spline {
        input: usize,
        basis: Basis,
    },
    Levels {
        input: usize,
        levels: Vec<f64>,
    },
    Linear {
        input: usize,
        centre: f64,
        scale: f64,
    },
    Tensor {
        inputs: [usize; 2],
        bases: [Basis; 2],
    },
}

impl Term {
    /// Coefficients before dropping the first (for identifiability).
    fn width(&self) -> usize {
        match self {
            Term::Spline { basis, .. } => basis.k,
            Term::Levels { levels, .. } => levels.len(),
            Term::Linear { .. } => 2,
            Term::Tensor { bases, .. } => bases[0].k * bases[1].k,
        }
    }

    fn nnz(&self) -> usize {
        match self {
            Term::Spline { .. } => 4,
            Term::Levels { .. } | Term::Linear { .. } => 1,
            Term::Tensor { .. } => 16,
        }
    }
}

/// The metamodel's design matrix, stored by rows with a fixed number of
/// non-zeros (column 0 is the intercept; a dropped coefficient is stored as
/// column 0 with value 0), and its penalties.
struct Design {
    n: usize,
    p: usize,
    nnz: usize,
    cols: Vec<u32>,
    vals: Vec<f64>,
    /// (first column, block) of each penalty.
    penalties: Vec<(usize, DMatrix<f64>)>,
    label: String,
}

impl Design {
    fn build(
        cols: &[&[f64]],
        kinds: &[InputKind],
        active: &[usize],
        options: &EvppiOptions,
        n: usize,
    ) -> Result<Design, VoiError> {
        let d = active.len();
        let max_knots = (n / 10).max(1);
        let spline = |j: usize, m: usize| -> Term {
            match &kinds[j] {
                InputKind::Levels(l) => Term::Levels {
                    input: j,
                    levels: l.clone(),
                },
                InputKind::Continuous(sorted) => Term::Spline {
                    input: j,
                    basis: Basis::at_quantiles(sorted, m.min(max_knots)),
                },
                InputKind::Constant => unreachable!("constant inputs are not active"),
            }
        };
        let continuous = |j: usize| matches!(kinds[j], InputKind::Continuous(_));
        let (terms, label): (Vec<Term>, String) = match options.metamodel {
            Metamodel::Linear => (
                active
                    .iter()
                    .map(|&j| {
                        let (c, s) = mean_sd(cols[j]);
                        Term::Linear {
                            input: j,
                            centre: c,
                            scale: if s > 0.0 { s } else { 1.0 },
                        }
                    })
                    .collect(),
                format!("linear regression on {d} input(s)"),
            ),
            Metamodel::Auto if d == 1 => {
                let t = spline(active[0], options.knots);
                let label = match &t {
                    Term::Spline { basis, .. } => format!(
                        "penalised cubic regression spline ({} interior knots at quantiles), GCV",
                        basis.k - 4
                    ),
                    _ => "conditional means by level".to_string(),
                };
                (vec![t], label)
            }
            Metamodel::Auto if d == 2 && active.iter().all(|&j| continuous(j)) => {
                // At most n / 5 coefficients: (m + 4)^2 <= n / 5.
                let m = options.tensor_knots.min((n / 5).isqrt().saturating_sub(4));
                let basis = |j: usize| match &kinds[j] {
                    InputKind::Continuous(s) => Basis::at_quantiles(s, m),
                    _ => unreachable!("checked continuous"),
                };
                let bases = [basis(active[0]), basis(active[1])];
                let label = format!(
                    "tensor-product cubic spline ({} x {} basis), two smoothing parameters by GCV",
                    bases[0].k, bases[1].k
                );
                (
                    vec![Term::Tensor {
                        inputs: [active[0], active[1]],
                        bases,
                    }],
                    label,
                )
            }
            _ => {
                let m = options.knots.min((48 / d).max(3));
                (
                    active.iter().map(|&j| spline(j, m)).collect(),
                    format!(
                        "additive model of {d} penalised cubic splines (up to {m} interior knots each), GCV"
                    ),
                )
            }
        };

        let nnz = 1 + terms.iter().map(Term::nnz).sum::<usize>();
        let mut offsets = Vec::with_capacity(terms.len());
        let mut p = 1;
        for t in &terms {
            offsets.push(p);
            p += match t {
                Term::Linear { .. } => 1,
                _ => t.width() - 1,
            };
        }
        let mut penalties = Vec::new();
        for (t, &off) in terms.iter().zip(&offsets) {
            match t {
                Term::Spline { basis, .. } => {
                    let pen = basis.penalty();
                    penalties.push((off, pen.view((1, 1), (basis.k - 1, basis.k - 1)).into()));
                }
                Term::Tensor { bases, .. } => {
                    let (k1, k2) = (bases[0].k, bases[1].k);
                    let w = k1 * k2;
                    let p1 = bases[0].penalty().kronecker(&DMatrix::identity(k2, k2));
                    let p2 = DMatrix::identity(k1, k1).kronecker(&bases[1].penalty());
                    penalties.push((off, p1.view((1, 1), (w - 1, w - 1)).into()));
                    penalties.push((off, p2.view((1, 1), (w - 1, w - 1)).into()));
                }
                _ => {}
            }
        }

        let mut colv = vec![0u32; n * nnz];
        let mut valv = vec![0.0; n * nnz];
        // Column of coefficient `c` of a term at `off` (coefficient 0 dropped).
        let put = |c: usize, off: usize, v: f64| -> (u32, f64) {
            if c == 0 {
                (0, 0.0)
            } else {
                ((off + c - 1) as u32, v)
            }
        };
        colv.par_chunks_mut(nnz)
            .zip(valv.par_chunks_mut(nnz))
            .enumerate()
            .for_each(|(i, (cr, vr))| {
                cr[0] = 0;
                vr[0] = 1.0;
                let mut a = 1;
                for (t, &off) in terms.iter().zip(&offsets) {
                    match t {
                        Term::Spline { input, basis } => {
                            let (first, b) = basis.eval(cols[*input][i]);
                            for (r, bv) in b.iter().enumerate() {
                                (cr[a], vr[a]) = put(first + r, off, *bv);
                                a += 1;
                            }
                        }
                        Term::Levels { input, levels } => {
                            let x = cols[*input][i];
                            let l = levels.partition_point(|&v| v < x);
                            (cr[a], vr[a]) = put(l, off, 1.0);
                            a += 1;
                        }
                        Term::Linear {
                            input,
                            centre,
                            scale,
                        } => {
                            cr[a] = off as u32;
                            vr[a] = (cols[*input][i] - centre) / scale;
                            a += 1;
                        }
                        Term::Tensor { inputs, bases } => {
                            let (f1, b1) = bases[0].eval(cols[inputs[0]][i]);
                            let (f2, b2) = bases[1].eval(cols[inputs[1]][i]);
                            let k2 = bases[1].k;
                            for (r1, v1) in b1.iter().enumerate() {
                                for (r2, v2) in b2.iter().enumerate() {
                                    (cr[a], vr[a]) = put((f1 + r1) * k2 + f2 + r2, off, v1 * v2);
                                    a += 1;
                                }
                            }
                        }
                    }
                }
            });
        Ok(Design {
            n,
            p,
            nnz,
            cols: colv,
            vals: valv,
            penalties,
            label,
        })
    }

    /// `X'X`, summed in fixed blocks of rows.
    fn gram(&self) -> DMatrix<f64> {
        let (p, nnz) = (self.p, self.nnz);
        let parts: Vec<Vec<f64>> = self
            .cols
            .par_chunks(CHUNK * nnz)
            .zip(self.vals.par_chunks(CHUNK * nnz))
            .map(|(cs, vs)| {
                let mut g = vec![0.0; p * p];
                for (cr, vr) in cs.chunks_exact(nnz).zip(vs.chunks_exact(nnz)) {
                    for (ca, va) in cr.iter().zip(vr) {
                        if *va == 0.0 {
                            continue;
                        }
                        let col = &mut g[*ca as usize * p..(*ca as usize + 1) * p];
                        for (cb, vb) in cr.iter().zip(vr) {
                            col[*cb as usize] += va * vb;
                        }
                    }
                }
                g
            })
            .collect();
        let mut g = vec![0.0; p * p];
        for part in parts {
            for (a, b) in g.iter_mut().zip(part) {
                *a += b;
            }
        }
        DMatrix::from_vec(p, p, g)
    }

    /// `X'y`, summed in fixed blocks of rows.
    fn xty(&self, y: &[f64]) -> DVector<f64> {
        let (p, nnz) = (self.p, self.nnz);
        let parts: Vec<Vec<f64>> = self
            .cols
            .par_chunks(CHUNK * nnz)
            .zip(self.vals.par_chunks(CHUNK * nnz))
            .zip(y.par_chunks(CHUNK))
            .map(|((cs, vs), ys)| {
                let mut b = vec![0.0; p];
                for ((cr, vr), yi) in cs.chunks_exact(nnz).zip(vs.chunks_exact(nnz)).zip(ys) {
                    for (c, v) in cr.iter().zip(vr) {
                        b[*c as usize] += v * yi;
                    }
                }
                b
            })
            .collect();
        let mut b = DVector::zeros(p);
        for part in parts {
            for (a, v) in b.iter_mut().zip(part) {
                *a += v;
            }
        }
        b
    }

    /// `X beta`.
    fn predict(&self, beta: &DVector<f64>) -> Vec<f64> {
        let nnz = self.nnz;
        let mut out = vec![0.0; self.n];
        out.par_iter_mut()
            .zip(self.cols.par_chunks(nnz).zip(self.vals.par_chunks(nnz)))
            .for_each(|(o, (cr, vr))| *o = row_dot(cr, vr, beta.as_slice()));
        out
    }

    /// Scale of each penalty: `trace(X'X block) / trace(S)`, so that
    /// `log10 lambda = 0` weighs the penalty like the data.
    fn penalty_scales(&self, gram: &DMatrix<f64>) -> Vec<f64> {
        self.penalties
            .iter()
            .map(|(off, s)| {
                let m = s.nrows();
                let tg: f64 = (*off..off + m).map(|k| gram[(k, k)]).sum();
                let ts = s.trace();
                if ts > 0.0 { tg / ts } else { 1.0 }
            })
            .collect()
    }

    /// The total penalty for smoothing parameters `10^rho`.
    fn penalty(&self, scales: &[f64], rho: &[f64]) -> DMatrix<f64> {
        let mut s = DMatrix::zeros(self.p, self.p);
        for (((off, block), sc), r) in self.penalties.iter().zip(scales).zip(rho) {
            let m = block.nrows();
            let mut view = s.view_mut((*off, *off), (m, m));
            view += block * (sc * 10f64.powf(*r));
        }
        s
    }

    /// Penalised least squares at `rho`: `None` if the system is singular.
    fn solve(
        &self,
        gram: &DMatrix<f64>,
        ridge: f64,
        scales: &[f64],
        rho: &[f64],
        b: &DVector<f64>,
        yy: f64,
    ) -> Option<Solution> {
        let penalty = self.penalty(scales, rho);
        let mut h = gram + &penalty;
        for k in 1..self.p {
            h[(k, k)] += ridge;
        }
        let chol = Cholesky::new(h)?;
        let beta = chol.solve(b);
        let edf = chol.solve(gram).trace();
        let rss = (yy - 2.0 * beta.dot(b) + beta.dot(&(gram * &beta))).max(0.0);
        let n = self.n as f64;
        let gcv = n * rss / (n - GCV_GAMMA * edf).powi(2);
        if !gcv.is_finite() || !beta.iter().all(|v| v.is_finite()) {
            return None;
        }
        Some(Solution {
            beta,
            chol,
            penalty,
            edf,
            gcv,
            rho: rho.to_vec(),
        })
    }

    /// Smoothing parameters by GCV: a common value on a grid, then (for at
    /// most [`MAX_SEPARATE_LAMBDAS`] penalties) coordinate-wise grid search,
    /// then golden-section refinement within ±0.5 of each.
    fn select(
        &self,
        gram: &DMatrix<f64>,
        ridge: f64,
        scales: &[f64],
        b: &DVector<f64>,
        yy: f64,
    ) -> Result<Solution, VoiError> {
        let fail = || {
            VoiError::Numerical(
                "the penalised normal equations are singular for every smoothing parameter".into(),
            )
        };
        let np = self.penalties.len();
        if np == 0 {
            return self.solve(gram, ridge, scales, &[], b, yy).ok_or_else(fail);
        }
        let eval = |rho: &[f64]| {
            self.solve(gram, ridge, scales, rho, b, yy)
                .map_or(f64::INFINITY, |s| s.gcv)
        };
        let grid: Vec<f64> = (0..RHO_GRID.2)
            .map(|k| RHO_GRID.0 + RHO_GRID.1 * k as f64)
            .collect();
        let mut best = f64::INFINITY;
        let mut rho = vec![grid[0]; np];
        for &r in &grid {
            let v = eval(&vec![r; np]);
            if v < best {
                best = v;
                rho = vec![r; np];
            }
        }
        if !best.is_finite() {
            return Err(fail());
        }
        let separate = np <= MAX_SEPARATE_LAMBDAS;
        if separate && np > 1 {
            for _ in 0..3 {
                let mut improved = false;
                for c in 0..np {
                    for &r in &grid {
                        let mut trial = rho.clone();
                        trial[c] = r;
                        let v = eval(&trial);
                        if v < best * (1.0 - 1e-10) {
                            best = v;
                            rho = trial;
                            improved = true;
                        }
                    }
                }
                if !improved {
                    break;
                }
            }
        }
        let groups: Vec<Vec<usize>> = if separate {
            (0..np).map(|c| vec![c]).collect()
        } else {
            vec![(0..np).collect()]
        };
        for group in groups {
            let shifted = |t: f64| {
                let mut r = rho.clone();
                for &c in &group {
                    r[c] += t;
                }
                r
            };
            let (t, v) = golden_min(|t| eval(&shifted(t)), -0.5, 0.5, 14);
            if v < best {
                best = v;
                rho = shifted(t);
            }
        }
        self.solve(gram, ridge, scales, &rho, b, yy)
            .ok_or_else(fail)
    }
}

fn row_dot(cr: &[u32], vr: &[f64], beta: &[f64]) -> f64 {
    cr.iter().zip(vr).map(|(c, v)| v * beta[*c as usize]).sum()
}

/// Golden-section minimisation of `f` on `[a, b]`: the best point and value.
fn golden_min(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64, iters: usize) -> (f64, f64) {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - r * (b - a);
    let mut d = a + r * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..iters {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    if fc < fd { (c, fc) } else { (d, fd) }
}

struct Solution {
    beta: DVector<f64>,
    chol: Cholesky<f64, Dyn>,
    penalty: DMatrix<f64>,
    edf: f64,
    gcv: f64,
    rho: Vec<f64>,
}

// ---------------------------------------------------------------------------
// Lack of fit.

/// The binned-residual check described at [`evppi`].
/// `input_orders`: the paths sorted by each active input, with its name.
fn lack_of_fit(
    resid: &[f64],
    fitted: &[f64],
    input_orders: &[(String, Vec<usize>)],
    perfect: bool,
) -> LackOfFit {
    let by_fitted = ("fitted".to_string(), sort_order(fitted));
    let orderings: Vec<&(String, Vec<usize>)> =
        std::iter::once(&by_fitted).chain(input_orders).collect();
    let count = orderings.len();
    if perfect {
        return LackOfFit {
            statistic: 0.0,
            df: LACK_OF_FIT_BINS - 1,
            p_value: 1.0,
            ordering: "fitted".into(),
            max_bin_mean: 0.0,
        };
    }
    let n = resid.len();
    let bins = LACK_OF_FIT_BINS.min(n / 10).max(2);
    let mut worst: Option<LackOfFit> = None;
    for (name, order) in orderings {
        let mut stat = 0.0;
        let mut used = 0usize;
        let mut max_mean: f64 = 0.0;
        for b in 0..bins {
            let idx = &order[b * n / bins..(b + 1) * n / bins];
            let e: Vec<f64> = idx.iter().map(|&i| resid[i]).collect();
            let (m, sd) = mean_sd(&e);
            max_mean = max_mean.max(m.abs());
            if sd > 0.0 {
                stat += e.len() as f64 * m * m / (sd * sd);
                used += 1;
            }
        }
        let df = used.saturating_sub(1).max(1);
        let p = (gamma_q(df as f64 / 2.0, stat / 2.0) * count as f64).min(1.0);
        if worst.as_ref().is_none_or(|w| p < w.p_value) {
            worst = Some(LackOfFit {
                statistic: stat,
                df,
                p_value: p,
                ordering: name.clone(),
                max_bin_mean: max_mean,
            });
        }
    }
    worst.expect("at least the fitted ordering")
}

/// Path indices sorted by `key` (ties by index).
fn sort_order(key: &[f64]) -> Vec<usize> {
    let mut pairs: Vec<(f64, usize)> = key.iter().enumerate().map(|(i, &k)| (k, i)).collect();
    pairs.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Regularised upper incomplete gamma function `Q(a, x)` (the chi-squared
/// upper tail is `Q(df/2, x/2)`), by series or continued fraction
/// (Numerical Recipes, 3rd ed., section 6.2).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let ln_pre = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        let (mut sum, mut del, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        (1.0 - sum * ln_pre.exp()).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-15 {
                break;
            }
        }
        (ln_pre.exp() * h).clamp(0.0, 1.0)
    }
}

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, 9 terms).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let mut s = C[0];
    for (k, c) in C.iter().enumerate().skip(1) {
        s += c / (x + k as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

// ---------------------------------------------------------------------------
// Posterior draws for the metamodel standard error.

/// What the draws need of one fitted regression (standardised units).
struct Model {
    sd: f64,
    edf: f64,
    resid_std: Vec<f64>,
    chol: Cholesky<f64, Dyn>,
    penalty: DMatrix<f64>,
}

/// Coefficient draws `beta* = beta + H^-1 (L_G u + sqrt(sigma_ss) R w)` with
/// `G = L_G L_G'` (`X'X`), `R R' = S` (the penalty), `H = G + S`, `w`
/// standard normal and `u` normal with the residual correlation across
/// strategies: each regression's draw has covariance `sigma_ss H^-1`, the
/// Bayesian posterior of the penalised fit (Wood 2006, *Generalized
/// Additive Models*, as mgcv's `Vp`), and two
/// regressions' draws are correlated as their estimates are.
struct Draws<'a> {
    design: &'a Design,
    fitted: &'a [Vec<f64>],
    models: Vec<Option<Model>>,
    l_g: DMatrix<f64>,
    roots: Vec<Option<DMatrix<f64>>>,
    /// Symmetric square root of the residual covariance of the fitted
    /// regressions (standardised), in the order of `fitted_idx`.
    c_sigma: DMatrix<f64>,
    sigma_diag: Vec<f64>,
    fitted_idx: Vec<usize>,
}

impl<'a> Draws<'a> {
    fn new(
        design: &'a Design,
        gram: &DMatrix<f64>,
        ridge: f64,
        fitted: &'a [Vec<f64>],
        models: Vec<Option<Model>>,
    ) -> Result<Draws<'a>, VoiError> {
        let mut g = gram.clone();
        for k in 1..design.p {
            g[(k, k)] += ridge;
        }
        let l_g = Cholesky::new(g)
            .ok_or_else(|| VoiError::Numerical("X'X is not positive definite".into()))?
            .l();
        let fitted_idx: Vec<usize> = (0..models.len()).filter(|&s| models[s].is_some()).collect();
        let q = fitted_idx.len();
        let n = design.n as f64;
        let mut sigma = DMatrix::zeros(q, q);
        for (a, &sa) in fitted_idx.iter().enumerate() {
            for (b, &sb) in fitted_idx.iter().enumerate().skip(a) {
                let (ma, mb) = (models[sa].as_ref(), models[sb].as_ref());
                let (ma, mb) = (ma.expect("fitted"), mb.expect("fitted"));
                let dot: f64 = ma
                    .resid_std
                    .iter()
                    .zip(&mb.resid_std)
                    .map(|(x, y)| x * y)
                    .sum();
                let v = dot / (n - 0.5 * (ma.edf + mb.edf)).max(1.0);
                sigma[(a, b)] = v;
                sigma[(b, a)] = v;
            }
        }
        let sigma_diag = (0..q).map(|a| sigma[(a, a)]).collect();
        let c_sigma = sym_sqrt(sigma);
        let roots = models
            .iter()
            .map(|m| m.as_ref().map(|m| sym_sqrt(m.penalty.clone())))
            .collect();
        Ok(Draws {
            design,
            fitted,
            models,
            l_g,
            roots,
            c_sigma,
            sigma_diag,
            fitted_idx,
        })
    }

    fn run(&self, options: &EvppiOptions) -> Vec<f64> {
        (0..options.se_draws)
            .into_par_iter()
            .map(|d| {
                let seed = options
                    .seed
                    .wrapping_add((d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                self.one(&mut Xoshiro256PlusPlus::seed_from_u64(seed))
            })
            .collect()
    }

    /// EVPPI recomputed with one draw of every regression's coefficients.
    fn one(&self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        let p = self.design.p;
        let q = self.fitted_idx.len();
        let z = DMatrix::from_fn(p, q, |_, _| StandardNormal.sample(rng));
        let u = z * &self.c_sigma;
        let mut deltas: Vec<Option<DVector<f64>>> = vec![None; self.models.len()];
        for (a, &s) in self.fitted_idx.iter().enumerate() {
            let m = self.models[s].as_ref().expect("fitted");
            let w = DVector::from_fn(p, |_, _| StandardNormal.sample(rng));
            let root = self.roots[s].as_ref().expect("fitted");
            let v = &self.l_g * u.column(a) + root * w * self.sigma_diag[a].sqrt();
            deltas[s] = Some(m.chol.solve(&v) * m.sd);
        }
        let nnz = self.design.nnz;
        let k = self.fitted.len();
        let mut sum_max = 0.0;
        let mut sums = vec![0.0; k];
        for (i, (cr, vr)) in self
            .design
            .cols
            .chunks_exact(nnz)
            .zip(self.design.vals.chunks_exact(nnz))
            .enumerate()
        {
            let mut top: f64 = 0.0;
            for (s, g) in self.fitted.iter().enumerate() {
                let v = g[i]
                    + deltas[s]
                        .as_ref()
                        .map_or(0.0, |d| row_dot(cr, vr, d.as_slice()));
                sums[s] += v;
                top = top.max(v);
            }
            sum_max += top;
        }
        let n = self.design.n as f64;
        let best_mean = sums.iter().fold(0.0, |a: f64, b| a.max(b / n));
        sum_max / n - best_mean
    }
}

/// Symmetric square root of a symmetric positive semi-definite matrix
/// (negative eigenvalues from rounding are set to 0).
fn sym_sqrt(m: DMatrix<f64>) -> DMatrix<f64> {
    let e = SymmetricEigen::new(m);
    let d = DMatrix::from_diagonal(&e.eigenvalues.map(|v| v.max(0.0).sqrt()));
    &e.eigenvectors * d * e.eigenvectors.transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_q_matches_chi_squared_tail() {
        // P(chi2_19 > 30.14) = 0.05; P(chi2_1 > 3.841) = 0.05.
        assert!((gamma_q(9.5, 30.1435 / 2.0) - 0.05).abs() < 1e-4);
        assert!((gamma_q(0.5, 3.841_459 / 2.0) - 0.05).abs() < 1e-5);
        assert!((gamma_q(2.0, 0.0) - 1.0).abs() < 1e-15);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn b_splines_partition_unity_and_reproduce_lines() {
        let sorted: Vec<f64> = (0..1000).map(|i| (i as f64 / 999.0).powi(3)).collect();
        let basis = Basis::at_quantiles(&sorted, 12);
        let xi: Vec<f64> = (0..basis.k)
            .map(|j| (basis.knots[j + 1] + basis.knots[j + 2] + basis.knots[j + 3]) / 3.0)
            .collect();
        for &x in &[0.0, 1e-6, 0.01, 0.3, 0.77, 1.0] {
            let (first, b) = basis.eval(x);
            assert!((b.iter().sum::<f64>() - 1.0).abs() < 1e-12, "x = {x}");
            let line: f64 = b.iter().enumerate().map(|(r, v)| v * xi[first + r]).sum();
            assert!((line - x).abs() < 1e-12, "x = {x}: {line}");
        }
        // A straight line in the Greville abscissae costs no penalty.
        let pen = basis.penalty();
        let beta = DVector::from_vec(xi.iter().map(|x| 2.0 - 3.0 * x).collect());
        assert!(beta.dot(&(&pen * &beta)).abs() < 1e-9);
    }

    #[test]
    fn evpi_of_a_dominated_strategy_is_zero() {
        let nb = vec![vec![1.0, 2.0, 3.0], vec![0.0, 1.0, 2.0]];
        let e = evpi(&nb).unwrap();
        assert_eq!(e.value, 0.0);
        assert_eq!(e.best, 0);
        assert_eq!(e.prob_best, vec![1.0, 0.0]);
    }

    #[test]
    fn small_samples_shrink_the_basis() {
        // 100 paths: the tensor product drops to a bicubic polynomial.
        let x: Vec<f64> = (0..100).map(|i| ((i * 37) % 100) as f64).collect();
        let y: Vec<f64> = (0..100).map(|i| ((i * 61) % 100) as f64).collect();
        let nb = vec![
            vec![0.0; 100],
            x.iter().zip(&y).map(|(a, b)| a - b).collect(),
        ];
        let r = evppi(&nb, &[&x, &y], &EvppiOptions::default()).unwrap();
        assert!(r.model.contains("4 x 4"), "{}", r.model);
        assert!((r.value - r.evpi).abs() < 1e-6 * r.evpi, "{r:?}");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let empty: Vec<Vec<f64>> = Vec::new();
        assert_eq!(evpi(&empty), Err(VoiError::NoStrategies));
        let ragged = vec![vec![1.0, 2.0], vec![1.0]];
        assert!(matches!(evpi(&ragged), Err(VoiError::Ragged { .. })));
        let nan = vec![vec![1.0, f64::NAN]];
        assert!(matches!(evpi(&nan), Err(VoiError::NonFinite { .. })));
        let nb = vec![vec![0.0; 50], vec![1.0; 50]];
        let x = vec![0.0; 50];
        let o = EvppiOptions::default();
        assert!(matches!(
            evppi(&nb, &[&x], &o),
            Err(VoiError::TooFewPaths { .. })
        ));
        let no_inputs: [&[f64]; 0] = [];
        assert_eq!(evppi(&nb, &no_inputs, &o), Err(VoiError::NoInputs));
        let bad = EvppiOptions { knots: 0, ..o };
        assert!(matches!(
            evppi(&nb, &[&x], &bad),
            Err(VoiError::Option { .. })
        ));
    }
}
