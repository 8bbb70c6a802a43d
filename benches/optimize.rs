//! `impasse optimize` on the built-in scenario: candidates per second at
//! 5,000 paths each (the default), so a budget's wall time can be read off:
//! 2,000 candidates take 2,000 / (candidates per second) seconds, plus the
//! holdout.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use impasse::analysis::optimize::{OptimizeOptions, optimize};
use impasse::scenario::Scenario;

fn search(c: &mut Criterion) {
    let scenario = Scenario::builtin();
    let mut options = OptimizeOptions::new(1);
    options.budget = 200;
    options.paths = 5000;
    options.holdout_paths = 2;
    let mut group = c.benchmark_group("optimize");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(options.budget as u64));
    group.bench_function("builtin-200-candidates-5000-paths", |b| {
        b.iter(|| black_box(optimize(&scenario, &options, &|_| {}, &|_| {}).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
