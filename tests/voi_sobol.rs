//! Value of information (EVPI, EVPPI by regression metamodel) and Sobol'
//! indices (Saltelli design) against cases with known answers.
//!
//! Tolerances come from Monte Carlo error, not guesses: an EVPI or EVPPI
//! estimate must lie within 3 of its own standard errors of the truth, and
//! the EVPPI standard error is itself checked against the spread of
//! estimates over independent seeds (replication). Sobol' indices must lie
//! within 0.02 of the analytic values at 2^14 base samples, and their
//! bootstrap intervals must cover them.
//!
//! The net-benefit cases, with X, Y, Z independent standard normals and
//! strategy A's net benefit 0 (phi is the standard normal density):
//!
//! | case | truth |
//! |---|---|
//! | B = X + Y: EVPI = E max(0, N(0, 2)) | sqrt(2) phi(0) = 1/sqrt(pi) = 0.5642 |
//! | B = X + Y: EVPPI(X) = E max(0, X) | phi(0) = 1/sqrt(2 pi) = 0.3989 |
//! | B = X + Y: EVPPI(sign X) = E max(0, E[X | sign X]) | sqrt(2/pi)/2 = 0.3989 |
//! | B = X + Y: EVPPI(Z) | 0 |
//! | B = X^2 − 1 + Y: EVPPI(X) = E (X^2 − 1)^+ | 2 phi(1) = 0.4839 |
//! | B = X + Y, C = Y − X: EVPPI(X) = E abs(X) | sqrt(2/pi) = 0.7979 |
//! | same: EVPPI(Y) = E max(0, Y) | 0.3989 |
//! | same: EVPI = E max(0, Y + abs(X)) | 1/sqrt(2 pi) + 1/sqrt(pi) = 0.9631 |
//!
//! (The last: E[max(0, Y + a)] = a Phi(a) + phi(a); with a = abs(X),
//! E phi(a) = 1/(2 sqrt(pi)) and, integrating by parts,
//! E a Phi(a) = 1/sqrt(2 pi) + 1/(2 sqrt(pi)).)

use std::f64::consts::PI;

use impasse::analysis::sobol::{Bootstrap, SaltelliDesign, SobolError, sobol_indices};
use impasse::analysis::voi::{EvppiOptions, Metamodel, VoiError, evpi, evppi};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// `k` columns of `n` independent standard normals.
fn normals(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..k)
        .map(|_| (0..n).map(|_| StandardNormal.sample(&mut rng)).collect())
        .collect()
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
    (m, v.sqrt())
}

fn phi(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

fn sum(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// Within `k` standard errors of the truth, with a message.
fn assert_within(what: &str, est: f64, se: f64, truth: f64, k: f64) {
    eprintln!(
        "{what}: estimate {est:.5} ± {se:.5} (se), truth {truth:.5}, off by {:.2} se",
        (est - truth) / se
    );
    assert!(
        (est - truth).abs() <= k * se,
        "{what}: {est} is not within {k} x {se} of {truth}"
    );
}

#[test]
fn evpi_two_strategies_is_one_over_sqrt_pi() {
    let n = 100_000;
    let v = normals(2, n, 1);
    let nb = vec![vec![0.0; n], sum(&v[0], &v[1])];
    let e = evpi(&nb).unwrap();
    assert_eq!(e.paths, n);
    assert!((e.prob_best[1] - 0.5).abs() < 0.01);
    assert_within("EVPI(A=0, B=X+Y)", e.value, e.mcse, 1.0 / PI.sqrt(), 3.0);
    // The standard error is sd(max(0, W) − W 1{s* = B}) / sqrt(n), W ~ N(0, 2):
    // sqrt(2 (1/2 − 1/(2 pi))) / sqrt(n) whichever strategy is s*.
    let se = (2.0 * (0.5 - 0.5 / PI)).sqrt() / (n as f64).sqrt();
    assert!((e.mcse / se - 1.0).abs() < 0.02, "{} vs {se}", e.mcse);
}

#[test]
fn evppi_of_one_input_matches_truth_and_its_error_is_calibrated() {
    // One large sample: within 3 standard errors.
    let n = 50_000;
    let v = normals(2, n, 2);
    let nb = vec![vec![0.0; n], sum(&v[0], &v[1])];
    let o = EvppiOptions::default();
    let r = evppi(&nb, &[&v[0]], &o).unwrap();
    let truth = 1.0 / (2.0 * PI).sqrt();
    assert_within("EVPPI(X), n = 50000", r.value, r.mcse, truth, 3.0);
    assert!(r.warning.is_none(), "{:?}", r.warning);
    assert!((r.fits[0].r2 - 0.5).abs() < 0.02);
    // The relationship is linear: GCV should smooth it to (nearly) a line.
    assert!(r.fits[0].edf < 4.0, "edf {}", r.fits[0].edf);

    // Replication: 12 independent samples of 10000 paths. Their mean must be
    // within 3 standard errors of the mean of the truth, and the reported
    // standard error must match their spread (ratio within [0.6, 1.6]: the
    // sample sd of 12 values is known to about ±21 %).
    //
    // A and B tie on average here, so the term max(0, mean_i g(x_i)) of the
    // estimator is biased up by E max(0, N(0, 2/n)) = sqrt(2/n) phi(0) (the
    // same holds for EVPI's max_s mean_i nb): at n = 10000 the estimator's
    // mean is truth − 0.0056, which 12 replicates resolve.
    let (reps, n) = (12, 10_000);
    let mut est = Vec::new();
    let mut se = Vec::new();
    for rep in 0..reps {
        let v = normals(2, n, 100 + rep);
        let nb = vec![vec![0.0; n], sum(&v[0], &v[1])];
        let r = evppi(&nb, &[&v[0]], &o).unwrap();
        est.push(r.value);
        se.push(r.mcse);
    }
    let (m, sd) = mean_sd(&est);
    let (mse, _) = mean_sd(&se);
    eprintln!(
        "EVPPI(X) over {reps} seeds x {n} paths: mean {m:.5}, sd {sd:.5}, mean reported se {mse:.5}, ratio {:.2}",
        sd / mse
    );
    let tie_bias = (2.0 / n as f64).sqrt() * phi(0.0);
    assert_within(
        "mean of replicated EVPPI(X)",
        m,
        sd / (reps as f64).sqrt(),
        truth - tie_bias,
        3.0,
    );
    assert!((0.6..=1.6).contains(&(sd / mse)), "sd {sd} vs se {mse}");
}

#[test]
fn evppi_of_all_inputs_is_evpi_and_of_an_irrelevant_input_is_zero() {
    let n = 20_000;
    let v = normals(3, n, 3);
    let (x, y, z) = (&v[0], &v[1], &v[2]);
    let nb = vec![vec![0.0; n], sum(x, y)];
    let o = EvppiOptions::default();
    let e = evpi(&nb).unwrap();
    let both = evppi(&nb, &[x, y], &o).unwrap();
    eprintln!(
        "EVPPI(X, Y) = {:.6} ({}), EVPI = {:.6} ± {:.5}",
        both.value, both.model, e.value, e.mcse
    );
    assert!(both.model.contains("tensor"));
    assert!(both.fits[0].r2 > 0.999_999);
    // The same sample: they differ only by the metamodel's (tiny) error.
    assert!((both.value - e.value).abs() < 0.01 * e.mcse);
    assert_within("EVPPI(X, Y)", both.value, both.mcse, 1.0 / PI.sqrt(), 3.0);

    // Additive model of the pair: also exact, since X + Y is additive.
    let add = evppi(
        &nb,
        &[x, y],
        &EvppiOptions {
            metamodel: Metamodel::Additive,
            ..o.clone()
        },
    )
    .unwrap();
    assert!((add.value - e.value).abs() < 0.01 * e.mcse, "{add:?}");

    // Z carries no information: its EVPPI is within 3 standard errors of 0
    // (the standard error here is almost all metamodel noise).
    let irrelevant = evppi(&nb, &[z], &o).unwrap();
    assert_within("EVPPI(Z)", irrelevant.value, irrelevant.mcse, 0.0, 3.0);
    assert!(irrelevant.fits[0].r2 < 0.001);

    // Three inputs, one irrelevant: the additive model recovers EVPI.
    let three = evppi(&nb, &[x, y, z], &o).unwrap();
    assert!(three.model.contains("additive"));
    assert_within("EVPPI(X, Y, Z)", three.value, three.mcse, e.value, 3.0);
}

#[test]
fn nonlinear_net_benefit_needs_the_spline() {
    // B = X^2 − 1 + Y: E[B | X] = X^2 − 1 has no linear trend in X.
    let n = 50_000;
    let v = normals(2, n, 4);
    let b: Vec<f64> = v[0]
        .iter()
        .zip(&v[1])
        .map(|(x, y)| x * x - 1.0 + y)
        .collect();
    let nb = vec![vec![0.0; n], b];
    let o = EvppiOptions::default();
    let truth = 2.0 * phi(1.0);
    let spline = evppi(&nb, &[&v[0]], &o).unwrap();
    assert_within(
        "EVPPI(X), B = X^2 - 1 + Y",
        spline.value,
        spline.mcse,
        truth,
        3.0,
    );
    assert!(spline.warning.is_none(), "{:?}", spline.warning);
    let linear = evppi(
        &nb,
        &[&v[0]],
        &EvppiOptions {
            metamodel: Metamodel::Linear,
            ..o
        },
    )
    .unwrap();
    eprintln!(
        "linear metamodel: EVPPI {:.5}, R2 {:.5}; warning: {:?}",
        linear.value, linear.fits[0].r2, linear.warning
    );
    assert!(linear.value < 0.05, "{}", linear.value);
    // The lack-of-fit check catches the missed curvature.
    let w = linear.warning.expect("lack of fit must be flagged");
    assert!(w.contains("misses structure"), "{w}");
}

#[test]
fn three_strategies() {
    // A = 0, B = X + Y, C = Y − X.
    let n = 50_000;
    let v = normals(2, n, 5);
    let (x, y) = (&v[0], &v[1]);
    let c: Vec<f64> = x.iter().zip(y).map(|(x, y)| y - x).collect();
    let nb = vec![vec![0.0; n], sum(x, y), c];
    let o = EvppiOptions::default();
    let e = evpi(&nb).unwrap();
    let evpi_truth = 1.0 / (2.0 * PI).sqrt() + 1.0 / PI.sqrt();
    assert_within("EVPI, three strategies", e.value, e.mcse, evpi_truth, 3.0);
    let ex = evppi(&nb, &[x], &o).unwrap();
    assert_eq!(ex.fits.len(), 2);
    assert_within(
        "EVPPI(X), three strategies",
        ex.value,
        ex.mcse,
        (2.0 / PI).sqrt(),
        3.0,
    );
    let ey = evppi(&nb, &[y], &o).unwrap();
    assert_within(
        "EVPPI(Y), three strategies",
        ey.value,
        ey.mcse,
        1.0 / (2.0 * PI).sqrt(),
        3.0,
    );
    let exy = evppi(&nb, &[x, y], &o).unwrap();
    assert!((exy.value - e.value).abs() < 0.01 * e.mcse, "{exy:?}");
    for r in [&ex, &ey, &exy] {
        assert!(r.warning.is_none(), "{:?}", r.warning);
    }
}

#[test]
fn discrete_and_constant_inputs() {
    let n = 20_000;
    let v = normals(2, n, 6);
    let nb = vec![vec![0.0; n], sum(&v[0], &v[1])];
    let o = EvppiOptions::default();
    // Knowing only the sign of X: E[X | X > 0] = sqrt(2/pi), so EVPPI =
    // sqrt(2/pi) / 2 = 1/sqrt(2 pi).
    let sign: Vec<f64> = v[0].iter().map(|x| x.signum()).collect();
    let r = evppi(&nb, &[&sign], &o).unwrap();
    assert!(r.model.contains("level"), "{}", r.model);
    assert_within(
        "EVPPI(sign X)",
        r.value,
        r.mcse,
        1.0 / (2.0 * PI).sqrt(),
        3.0,
    );
    // A constant input: EVPPI 0 and a note.
    let constant = vec![3.0; n];
    let r = evppi(&nb, &[&constant], &o).unwrap();
    assert_eq!(r.value, 0.0);
    assert!(
        r.notes.iter().any(|s| s.contains("constant")),
        "{:?}",
        r.notes
    );
    // With another input, the constant one is left out.
    let r2 = evppi(&nb, &[&constant, &v[0]], &o).unwrap();
    let r1 = evppi(&nb, &[&v[0]], &o).unwrap();
    assert_eq!(r1.value, r2.value);
}

#[test]
fn evppi_is_deterministic_and_rejects_bad_input() {
    let n = 5_000;
    let v = normals(2, n, 7);
    let nb = vec![vec![0.0; n], sum(&v[0], &v[1])];
    let o = EvppiOptions::default();
    let a = evppi(&nb, &[&v[0]], &o).unwrap();
    let b = evppi(&nb, &[&v[0]], &o).unwrap();
    assert_eq!(a, b);
    let short = vec![0.0; n - 1];
    assert!(matches!(
        evppi(&nb, &[&short], &o),
        Err(VoiError::InputLength { input: 0, .. })
    ));
    let mut bad = v[0].clone();
    bad[17] = f64::INFINITY;
    let err = evppi(&nb, &[&bad], &o).unwrap_err();
    assert!(err.to_string().contains("input 0"), "{err}");
    let few = vec![vec![0.0; 99], vec![1.0; 99]];
    assert!(matches!(
        evppi(&few, &[&[0.5; 99]], &o),
        Err(VoiError::TooFewPaths { .. })
    ));
}

/// Ishigami's function on the unit cube (inputs mapped to U(−pi, pi)).
fn ishigami(u: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

/// (S1, S2, S3, S13, V) of the Ishigami function, a = 7, b = 0.1.
fn ishigami_truth() -> ([f64; 3], f64) {
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], v13 / v)
}

#[test]
fn ishigami_first_order_and_total_indices() {
    let (s, s13) = ishigami_truth();
    let st = [s[0] + s13, s[1], s13];
    // The published values.
    assert!((s[0] - 0.3139).abs() < 1e-4 && (s[1] - 0.4424).abs() < 1e-4);
    assert!((st[0] - 0.5576).abs() < 1e-4 && (st[2] - 0.2437).abs() < 1e-4);
    let r = sobol_indices(ishigami, 3, 1 << 14, 2024).unwrap();
    assert_eq!(r.runs, (1 << 14) * 5);
    for (j, idx) in r.indices.iter().enumerate() {
        let [l1, h1] = idx.first_interval.unwrap();
        let [lt, ht] = idx.total_interval.unwrap();
        eprintln!(
            "x{}: S1 {:.4} [{l1:.4}, {h1:.4}] (truth {:.4}); ST {:.4} [{lt:.4}, {ht:.4}] (truth {:.4})",
            j + 1,
            idx.first,
            s[j],
            idx.total,
            st[j]
        );
        assert!((idx.first - s[j]).abs() < 0.02, "S1 of x{}", j + 1);
        assert!((idx.total - st[j]).abs() < 0.02, "ST of x{}", j + 1);
        // The bootstrap intervals cover the truth.
        assert!(l1 <= s[j] && s[j] <= h1, "S1 interval of x{}", j + 1);
        assert!(lt <= st[j] && st[j] <= ht, "ST interval of x{}", j + 1);
    }
}

#[test]
fn ishigami_group_indices() {
    let (s, s13) = ishigami_truth();
    let design = SaltelliDesign::with_groups(3, vec![vec![0, 2], vec![1]], 1 << 14, 7).unwrap();
    assert_eq!(design.runs(), (1 << 14) * 4);
    let y = design.evaluate(ishigami);
    let r = design.estimate(&y, &Bootstrap::default()).unwrap();
    let g13 = &r.indices[0];
    let g2 = &r.indices[1];
    // Closed first-order index of {x1, x3} = S1 + S3 + S13; its total is
    // 1 − S2 (everything but x2, which has no interaction).
    let truth13 = s[0] + s[2] + s13;
    eprintln!(
        "group {{x1, x3}}: closed S {:.4} {:?}, ST {:.4} {:?} (truth {truth13:.4}); x2: S {:.4}, ST {:.4} (truth {:.4})",
        g13.first, g13.first_interval, g13.total, g13.total_interval, g2.first, g2.total, s[1]
    );
    for (est, ci, truth) in [
        (g13.first, g13.first_interval, truth13),
        (g13.total, g13.total_interval, 1.0 - s[1]),
        (g2.first, g2.first_interval, s[1]),
        (g2.total, g2.total_interval, s[1]),
    ] {
        assert!((est - truth).abs() < 0.02, "{est} vs {truth}");
        let [lo, hi] = ci.unwrap();
        assert!(lo <= truth && truth <= hi, "[{lo}, {hi}] misses {truth}");
    }
}

#[test]
fn sobol_estimates_are_reproducible_and_inputs_checked() {
    let a = sobol_indices(ishigami, 3, 1 << 10, 5).unwrap();
    let b = sobol_indices(ishigami, 3, 1 << 10, 5).unwrap();
    assert_eq!(a, b);
    let c = sobol_indices(ishigami, 3, 1 << 10, 6).unwrap();
    assert_ne!(a.indices[0].first, c.indices[0].first);
    assert!(matches!(
        sobol_indices(ishigami, 0, 1 << 10, 5),
        Err(SobolError::NoInputs)
    ));
    let d = SaltelliDesign::new(3, 64, 1).unwrap();
    let y = d.evaluate(ishigami);
    let bad = Bootstrap {
        confidence: 1.5,
        ..Bootstrap::default()
    };
    assert!(matches!(
        d.estimate(&y, &bad),
        Err(SobolError::Option { .. })
    ));
    let none = Bootstrap {
        resamples: 0,
        ..Bootstrap::default()
    };
    assert!(
        d.estimate(&y, &none).unwrap().indices[0]
            .first_interval
            .is_none()
    );
}
