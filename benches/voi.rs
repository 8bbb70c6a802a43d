//! `impasse voi` and `impasse sobol` on the built-in scenario, and the cost
//! of their numerics on
//! synthetic data (no engine run): EVPPI of one input from 100,000 paths of
//! 6 strategies (penalised spline, GCV, 200 posterior draws for the standard
//! error), and Sobol' indices of 20 inputs from 2^12 base samples of a cheap
//! function (so the time is the design and the estimator with its 1000
//! bootstrap resamples).

use std::hint::black_box;

use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use impasse::analysis::Budget;
use impasse::analysis::information::{self, VoiOptions};
use impasse::analysis::sensitivity::{self, SobolOptions};
use impasse::analysis::sobol::{Bootstrap, SaltelliDesign, sobol_indices};
use impasse::analysis::tornado::{Metric, Target};
use impasse::analysis::voi::{EvppiOptions, evpi, evppi};
use impasse::scenario::Scenario;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// `paths` draws of an input `x` and the net benefits of `strategies`
/// strategies, each a different smooth function of `x` plus noise.
fn synthetic(paths: usize, strategies: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
    let x: Vec<f64> = (0..paths)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let nb = (0..strategies)
        .map(|s| {
            let s = s as f64;
            x.iter()
                .map(|&x| {
                    let noise: f64 = StandardNormal.sample(&mut rng);
                    0.1 * s + (0.3 * s - 0.7) * x + 0.05 * s * x * x + noise
                })
                .collect()
        })
        .collect();
    (x, nb)
}

/// A cheap model of 20 inputs: linear terms, one interaction, one
/// non-linearity.
fn cheap(u: &[f64]) -> f64 {
    let lin: f64 = u
        .iter()
        .enumerate()
        .map(|(j, v)| v / (1.0 + j as f64))
        .sum();
    lin + 2.0 * u[0] * u[1] + (6.0 * u[2]).sin()
}

fn voi(c: &mut Criterion) {
    let (x, nb) = synthetic(100_000, 6);
    let mut group = c.benchmark_group("voi");
    group.sample_size(10);
    group.bench_function("evpi-100k-paths-6-strategies", |b| {
        b.iter(|| black_box(evpi(black_box(&nb)).unwrap()));
    });
    let options = EvppiOptions::default();
    group.bench_function("evppi-1-input-100k-paths-6-strategies", |b| {
        b.iter(|| black_box(evppi(&nb, &[&x], &options).unwrap()));
    });
    let no_se = EvppiOptions {
        se_draws: 0,
        ..EvppiOptions::default()
    };
    group.bench_function("evppi-1-input-100k-paths-6-strategies-no-se", |b| {
        b.iter(|| black_box(evppi(&nb, &[&x], &no_se).unwrap()));
    });
    group.finish();

    let mut group = c.benchmark_group("sobol");
    group.sample_size(10);
    let n = 1 << 12;
    group.bench_function("sobol-indices-20-inputs-4096-base", |b| {
        b.iter(|| black_box(sobol_indices(cheap, 20, n, 7).unwrap()));
    });
    let design = SaltelliDesign::new(20, n, 7).unwrap();
    let y = design.evaluate(cheap);
    group.bench_function("estimate-only-20-inputs-4096-base-1000-resamples", |b| {
        b.iter(|| black_box(design.estimate(&y, &Bootstrap::default()).unwrap()));
    });
    group.bench_function("design-only-20-inputs-4096-base", |b| {
        b.iter(|| black_box(SaltelliDesign::new(20, n, 7).unwrap()));
    });
    group.finish();
}

/// The two commands on the built-in scenario (issue 10's yardsticks):
/// `impasse voi` (100,000 paths, every strategy, EVPPI of every uncertain
/// input and of the default groups) and `impasse sobol` (every factor of
/// the difference of the two best strategies at 2^12 base samples).
fn commands(c: &mut Criterion) {
    let scenario = Scenario::builtin();
    let mut group = c.benchmark_group("commands");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(30));
    let budget = Budget {
        paths: 100_000,
        seed: 1,
        threads: None,
    };
    let options = VoiOptions {
        default_groups: true,
        ..VoiOptions::default()
    };
    group.bench_function("voi-builtin-every-input-and-group-100k-paths", |b| {
        b.iter(|| black_box(information::voi(&scenario, &options, &budget, &|_| {}).unwrap()));
    });
    let options = SobolOptions {
        target: Target::Diff("notice-and-escalate".into(), "all-issues".into()),
        metric: Metric::Margin,
        base_samples: 1 << 12,
        seed: 1,
        threads: None,
    };
    let worlds = sensitivity::planned_runs(&scenario, &options) as u64;
    group.throughput(Throughput::Elements(worlds));
    group.bench_function("sobol-builtin-every-input-4096-base", |b| {
        b.iter(|| black_box(sensitivity::sobol(&scenario, &options, &|_| {}).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, voi, commands);
criterion_main!(benches);
