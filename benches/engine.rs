//! Throughput of the Monte Carlo engine on the built-in scenario, in
//! path-strategy evaluations per second (criterion reports it as elements/s).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use impasse::engine::{RunConfig, Simulation, baseline_pairs};
use impasse::scenario::Scenario;

fn engine(c: &mut Criterion) {
    let scenario = Scenario::builtin();
    let sim = Simulation::new(&scenario);
    let pairs = baseline_pairs(&scenario);
    let paths = 100_000u64;
    let strategies = scenario.strategies.len() as u64;
    let mut group = c.benchmark_group("default-scenario");
    group.sample_size(10);
    group.throughput(Throughput::Elements(paths * strategies));
    for threads in [1usize, 2] {
        group.bench_function(format!("100k-paths-{threads}-threads"), |b| {
            let config = RunConfig {
                threads: Some(threads),
                ..RunConfig::new(paths, 1)
            };
            b.iter(|| black_box(sim.run(&config, &pairs, &|_| {}).unwrap()));
        });
    }
    group.finish();

    // The model alone: one world, every strategy, no statistics.
    let world = sim.world(1, 0);
    let mut single = c.benchmark_group("model");
    single.throughput(Throughput::Elements(strategies));
    single.bench_function("play-all-strategies-one-world", |b| {
        b.iter(|| {
            for plan in &sim.plans {
                black_box(impasse::model::play(&sim.terms, plan, black_box(&world)));
            }
        });
    });
    single.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
