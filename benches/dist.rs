//! Cost of the numeric kernels of `scenario::dist`: draws from a prepared
//! [`Sampler`] (1e6 per iteration, so criterion's time per iteration in ms
//! is the cost per draw in ns), draws through [`Dist::sample`], which redoes
//! the set-up on every call as the engine's per-input streams do, and the
//! quantile and CDF functions (used per path for correlated inputs, and for
//! the report's percentiles). Throughput is in draws or evaluations per
//! second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use impasse::scenario::Dist;
use impasse::scenario::dist::Sampler;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const DRAWS: u64 = 1_000_000;

/// The distributions measured, by the name each benchmark carries.
const KINDS: [(&str, &str); 7] = [
    ("normal", "normal(0, 1)"),
    ("truncated-normal", "normal(10, 2, 5, 12)"),
    ("lognormal", "lognormal(0, 0.5)"),
    ("beta", "beta(2, 5)"),
    ("beta-small-shape", "beta(0.3, 5)"),
    ("beta-large-shape", "beta(200, 300)"),
    ("pert", "pert(0.01, 0.03, 0.05)"),
];

fn dist(s: &str) -> Dist {
    let d = Dist::parse(s).expect("a valid distribution");
    d.check().expect("valid parameters");
    d
}

/// Probabilities spread over (0, 1), both tails included.
fn probabilities(n: usize) -> Vec<f64> {
    let mut p: Vec<f64> = (1..n - 6).map(|k| k as f64 / (n - 6) as f64).collect();
    p.extend([1e-12, 1e-9, 1e-6, 1.0 - 1e-6, 1.0 - 1e-9, 1.0 - 1e-12]);
    p
}

fn sampling(c: &mut Criterion) {
    let mut group = c.benchmark_group("sample-1e6");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(DRAWS));
    for (name, text) in KINDS {
        let sampler: Sampler = dist(text).sampler();
        group.bench_function(name, |b| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
            b.iter(|| {
                let mut sum = 0.0;
                for _ in 0..DRAWS {
                    sum += sampler.sample(&mut rng);
                }
                black_box(sum)
            });
        });
    }
    // Set-up on every draw, as `Dist::sample` does: for a truncated normal
    // that is two normal tail probabilities (erfc) per draw.
    let truncated = dist("normal(10, 2, 5, 12)");
    group.bench_function("truncated-normal-unprepared", |b| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        b.iter(|| {
            let mut sum = 0.0;
            for _ in 0..DRAWS {
                sum += black_box(&truncated).sample(&mut rng);
            }
            black_box(sum)
        });
    });
    group.finish();
}

fn quantiles(c: &mut Criterion) {
    let ps = probabilities(1000);
    let mut group = c.benchmark_group("quantile");
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(ps.len() as u64));
    for (name, text) in KINDS {
        let d = dist(text);
        group.bench_function(name, |b| {
            b.iter(|| ps.iter().map(|&p| d.quantile(black_box(p))).sum::<f64>());
        });
    }
    group.finish();

    let mut group = c.benchmark_group("cdf");
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(ps.len() as u64));
    for (name, text) in KINDS {
        let d = dist(text);
        let xs: Vec<f64> = ps.iter().map(|&p| d.quantile(p)).collect();
        group.bench_function(name, |b| {
            b.iter(|| xs.iter().map(|&x| d.cdf(black_box(x))).sum::<f64>());
        });
    }
    group.finish();
}

criterion_group!(benches, sampling, quantiles);
criterion_main!(benches);
