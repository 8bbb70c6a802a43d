//! A CFO's full tornado of the built-in scenario: every input at both ends
//! (P10 and P90 of uncertain inputs, ±20 % of fixed non-zero ones), each
//! variant run with all six strategies (and their comparisons with the
//! baseline) at 20,000 paths, plus the base run: the work behind a tornado
//! of every strategy at once. A second benchmark times `tornado` itself on
//! one difference of two strategies.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use impasse::analysis::tornado::{Metric, Target, TornadoOptions, plan, planned_runs, tornado};
use impasse::analysis::{Budget, run};
use impasse::engine::baseline_pairs;
use impasse::scenario::Scenario;

fn full_tornado(c: &mut Criterion) {
    let scenario = Scenario::builtin();
    let budget = Budget {
        paths: 20_000,
        seed: 1,
        threads: None,
    };
    let options = TornadoOptions::new(Target::Strategy("wait".into()), Metric::Revenue);
    let runs = planned_runs(&scenario, &options) as u64;
    let strategies = scenario.strategies.len() as u64;
    let pairs = baseline_pairs(&scenario);

    let mut group = c.benchmark_group("tornado");
    // A few seconds per iteration: ten samples of one iteration each.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(20));
    group.warm_up_time(Duration::from_secs(1));
    // Path-strategy evaluations per second.
    group.throughput(Throughput::Elements(runs * budget.paths * strategies));
    group.bench_function("builtin-all-inputs-6-strategies-20k-paths", |b| {
        b.iter(|| {
            let plan = plan(&scenario, &options).unwrap();
            let mut out = vec![run(&scenario, &budget, &pairs, &|_| {}).unwrap()];
            for swing in &plan.swings {
                let (low, high) = swing.scenarios(&scenario).unwrap();
                out.push(run(&low, &budget, &pairs, &|_| {}).unwrap());
                out.push(run(&high, &budget, &pairs, &|_| {}).unwrap());
            }
            assert_eq!(out.len() as u64, runs);
            black_box(out)
        });
    });

    let diff = TornadoOptions::new(
        Target::Diff("notice-and-escalate".into(), "wait".into()),
        Metric::Revenue,
    );
    group.throughput(Throughput::Elements(runs * budget.paths * 2));
    group.bench_function("builtin-diff-2-strategies-20k-paths", |b| {
        b.iter(|| black_box(tornado(&scenario, &diff, &budget, &|_| {}).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, full_tornado);
criterion_main!(benches);
