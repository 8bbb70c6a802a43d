//! Many paths: seeding, the parallel loop, and streaming summaries.
//!
//! Paths are cut into fixed chunks of [`CHUNK`] consecutive indices. Each chunk
//! is summarised on its own, and chunk summaries are merged strictly in chunk
//! order, so the result does not depend on the number of threads or on how
//! the work is scheduled. A path's random stream depends only on
//! `(seed, path index)`. Workers take chunks one after another and never
//! wait for each other except to stay within two chunks per worker of the
//! merge, so memory is bounded (a few chunk summaries, whatever the number
//! of paths) and no core idles at a barrier.
//!
//! The engine knows nothing of TOML, terminals or output formats: progress is
//! reported through a callback.

pub mod samples;
pub mod stats;
pub mod summary;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use thiserror::Error;

use crate::model::dormant::{self, Twin};
use crate::model::talks::Snapshot;
use crate::model::world::path_seed;
use crate::model::{
    FirstTalks, Outcome, PayerPowers, Plan, Terms, World, WorldSampler, payer_powers, play,
    play_forking_into,
};
use crate::scenario::Scenario;

pub use samples::{Measure, PathSamples};
pub use summary::{
    DiffSummary, Distribution, Oriented, PairSummary, PendingSketches, RenewalSummary, RunSummary,
    Scoring, StrategySummary,
};

/// Paths per chunk: the unit of work and of merging.
pub const CHUNK: u64 = 1024;

/// How many paths to run, from which index, with which seed, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunConfig {
    /// Number of paths.
    pub paths: u64,
    /// Index of the first path (to add paths to an earlier run).
    pub first_path: u64,
    /// Run seed.
    pub seed: u64,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

impl RunConfig {
    /// `paths` paths from index 0.
    pub fn new(paths: u64, seed: u64) -> Self {
        RunConfig {
            paths,
            first_path: 0,
            seed,
            threads: None,
        }
    }
}

/// What can stop a run.
#[derive(Debug, Error, PartialEq)]
pub enum EngineError {
    /// Zero paths were asked for.
    #[error("invalid `--paths` = 0: the number of paths must be at least 1")]
    NoPaths,
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        reason: String,
    },
}

/// A scenario prepared for simulation: plans, shared terms, world sampler.
#[derive(Debug, Clone)]
pub struct Simulation<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Shared contract terms.
    pub terms: Terms,
    /// One plan per strategy, in scenario order.
    pub plans: Vec<Plan>,
    /// For each plan, the first plan with the same meeting calendar (whose
    /// payer powers it reuses on each path).
    calendar_of: Vec<usize>,
    /// For each plan, the earlier plan whose outcome it copies on paths
    /// where the moves they differ in stay dormant (see [`dormant`]).
    twins: Vec<Option<Twin>>,
    /// For each plan, the earlier plan whose first-renewal talks it takes up
    /// at the meeting that plan keeps them at, when it does not copy its
    /// outcome (see [`Twin::fork_at`]).
    forks: Vec<Option<usize>>,
    /// For each plan, the meeting before which it keeps its first-renewal
    /// talks for a later plan to take up.
    keep_at: Vec<Option<usize>>,
    sampler: WorldSampler,
}

impl<'a> Simulation<'a> {
    /// Prepare a (validated) scenario.
    pub fn new(scenario: &'a Scenario) -> Self {
        let plans = Plan::all(scenario);
        let calendar_of = (0..plans.len())
            .map(|i| {
                (0..=i)
                    .find(|&j| plans[j].same_calendar(&plans[i]))
                    .unwrap_or(i)
            })
            .collect();
        let terms = Terms::new(scenario);
        let twins = dormant::twins(&plans, &terms);
        // A plan keeps its talks for one later plan at most, and a plan that
        // takes up another's does not keep its own.
        let mut forks: Vec<Option<usize>> = vec![None; plans.len()];
        let mut keep_at: Vec<Option<usize>> = vec![None; plans.len()];
        for (b, twin) in twins.iter().enumerate() {
            if let Some(t) = twin
                && keep_at[t.of].is_none()
                && forks[t.of].is_none()
                && let Some(at) = t.fork_at
            {
                keep_at[t.of] = Some(at);
                forks[b] = Some(t.of);
                // On paths where that twin copies its own twin, the talks
                // are kept by the latter.
                if let Some(up) = twins[t.of]
                    && keep_at[up.of].is_none()
                    && forks[up.of].is_none()
                {
                    keep_at[up.of] = Some(at);
                }
            }
        }
        Simulation {
            scenario,
            twins,
            forks,
            keep_at,
            terms,
            plans,
            calendar_of,
            sampler: WorldSampler::new(scenario),
        }
    }

    /// The world of path `index` under `seed`.
    pub fn world(&self, seed: u64, index: u64) -> World {
        let mut w = World::default();
        self.sampler
            .fill(self.scenario, path_seed(seed, index), &mut w);
        w
    }

    /// Every strategy's outcome on path `index`.
    pub fn path_outcomes(&self, seed: u64, index: u64) -> Vec<Outcome> {
        let w = self.world(seed, index);
        self.plans
            .iter()
            .map(|p| play(&self.terms, p, &w))
            .collect()
    }

    /// Earliest week any strategy meets (for the deal-week histogram).
    pub fn earliest_week(&self) -> i32 {
        self.plans
            .iter()
            .map(|p| p.opening_week)
            .min()
            .unwrap_or(-1)
    }

    /// An empty summary shaped for this scenario, tracking `pairs` in full
    /// and `lean` pairs lean (the decision score in full, revenue and margin
    /// means only: pairs that serve the recommendation).
    pub fn empty_summary(&self, pairs: &[(usize, usize)], lean: &[(usize, usize)]) -> RunSummary {
        let all: Vec<(usize, usize)> = pairs.iter().chain(lean).copied().collect();
        let mut s = RunSummary::new(
            self.plans.len(),
            self.earliest_week(),
            self.terms.renewals,
            &all,
            summary::Scoring::from(&self.scenario.decision),
        );
        for p in &mut s.pairs[pairs.len()..] {
            p.lean = true;
        }
        s
    }

    /// Summarise paths `range` (a sub-range of one chunk or more), serially.
    pub fn run_range(
        &self,
        seed: u64,
        range: std::ops::Range<u64>,
        pairs: &[(usize, usize)],
        lean: &[(usize, usize)],
    ) -> RunSummary {
        let mut summary = self.empty_summary(pairs, lean);
        let mut pending = PendingSketches::new(self.plans.len());
        let mut world = World::default();
        let mut outcomes = vec![Outcome::default(); self.plans.len()];
        // The payer's t_k^e per calendar, shared by the strategies that meet
        // on the same weeks: one exp per meeting per calendar, not per strategy.
        let mut powers: Vec<PayerPowers> = vec![PayerPowers::default(); self.plans.len()];
        let mut kept: Vec<Option<Snapshot>> = vec![None; self.plans.len()];
        for index in range {
            self.sampler
                .fill(self.scenario, path_seed(seed, index), &mut world);
            self.fill_powers(&world, &mut powers);
            self.play_all(&world, &powers, &mut kept, &mut outcomes);
            summary.push_pending(&outcomes, &mut pending);
        }
        summary.flush(&mut pending);
        summary
    }

    /// The payer's powers on `world` of each calendar, at the index of the
    /// first plan that meets on it.
    #[inline]
    fn fill_powers(&self, world: &World, powers: &mut [PayerPowers]) {
        for (i, plan) in self.plans.iter().enumerate() {
            if self.calendar_of[i] == i {
                payer_powers(&self.terms, plan, world, &mut powers[i]);
            }
        }
    }

    /// Every strategy's outcome on `world`, given the payer's powers of each
    /// calendar. A strategy whose differing moves stay dormant on this path
    /// copies its twin's outcome (the same, to the last bit, as playing it).
    /// Returns how often each shortcut was taken.
    ///
    /// A strategy whose first-renewal talks are a twin's until a meeting
    /// (otherwise) takes them up there, from the twin's talks kept in
    /// `kept`.
    #[inline]
    fn play_all(
        &self,
        world: &World,
        powers: &[PayerPowers],
        kept: &mut [Option<Snapshot>],
        outcomes: &mut [Outcome],
    ) -> Shortcuts {
        let mut taken = Shortcuts::default();
        for (i, plan) in self.plans.iter().enumerate() {
            if let Some(t) = self.twins[i]
                && t.holds(&outcomes[t.of])
            {
                outcomes[i] = outcomes[t.of];
                if let Some(at) = self.keep_at[i] {
                    // Its talks were the twin's throughout: so were those
                    // kept, if the twin kept them at the same meeting.
                    kept[i] = if self.keep_at[t.of] == Some(at) {
                        kept[t.of].clone()
                    } else {
                        None
                    };
                }
                taken.copied += 1;
                continue;
            }
            let powers = &powers[self.calendar_of[i]];
            let (before, rest) = kept.split_at_mut(i);
            let first = match (self.keep_at[i], self.forks[i]) {
                (Some(at), _) => {
                    // Kept afresh on each path, and only if the talks reach it.
                    rest[0] = None;
                    FirstTalks::Keep {
                        at,
                        kept: &mut rest[0],
                    }
                }
                (None, Some(of)) => before[of]
                    .as_ref()
                    .map_or(FirstTalks::Play, FirstTalks::Resume),
                (None, None) => FirstTalks::Play,
            };
            taken.resumed += usize::from(matches!(first, FirstTalks::Resume(_)));
            play_forking_into(&self.terms, plan, world, powers, first, &mut outcomes[i]);
        }
        taken
    }

    /// Every strategy's outcome on path `index`, as the Monte Carlo loop
    /// gets it (shared powers, outcomes copied from twins, talks taken up
    /// from a twin's), and how often each shortcut was taken. The same as
    /// [`Simulation::path_outcomes`], to the bit.
    pub fn path_outcomes_shared(&self, seed: u64, index: u64) -> (Vec<Outcome>, Shortcuts) {
        let world = self.world(seed, index);
        let mut powers = vec![PayerPowers::default(); self.plans.len()];
        self.fill_powers(&world, &mut powers);
        let mut outcomes = vec![Outcome::default(); self.plans.len()];
        let mut kept = vec![None; self.plans.len()];
        let taken = self.play_all(&world, &powers, &mut kept, &mut outcomes);
        (outcomes, taken)
    }

    /// Run `config.paths` paths in parallel and summarise them, tracking the
    /// given pairs `(a, b)` of strategy indices. `progress` is called with the
    /// number of paths just finished.
    pub fn run(
        &self,
        config: &RunConfig,
        pairs: &[(usize, usize)],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<RunSummary, EngineError> {
        self.run_tracking(config, pairs, &[], progress)
    }

    /// [`Simulation::run`], also tracking `lean` pairs (after `pairs` in the
    /// summary): the decision score in full, revenue and margin means only.
    pub fn run_tracking(
        &self,
        config: &RunConfig,
        pairs: &[(usize, usize)],
        lean: &[(usize, usize)],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<RunSummary, EngineError> {
        if config.paths == 0 {
            return Err(EngineError::NoPaths);
        }
        let pool = pool(config.threads)?;
        let start = config.first_path;
        let end = start + config.paths;
        // Chunks are aligned on absolute path indices: path i always falls in
        // chunk i / CHUNK, whatever the thread count.
        let first_chunk = start / CHUNK;
        let last_chunk = (end - 1) / CHUNK;
        let workers = pool.current_num_threads();
        // Each worker takes the next chunk and hands its summary to the
        // merge, which adds summaries strictly in chunk order as they become
        // ready: no worker waits at a barrier for the slowest chunk of a
        // batch, and at most `window` summaries are alive beside the total.
        let window = 2 * workers as u64;
        let merge = Mutex::new(Merge {
            next: first_chunk,
            total: self.empty_summary(pairs, lean),
            ready: BTreeMap::new(),
        });
        let merged = Condvar::new();
        let claim = AtomicU64::new(first_chunk);
        let work = || {
            loop {
                let c = claim.fetch_add(1, Ordering::Relaxed);
                if c > last_chunk {
                    return;
                }
                // Do not run more than `window` chunks ahead of the merge.
                let mut m = merge.lock().unwrap_or_else(PoisonError::into_inner);
                while c >= m.next + window {
                    m = merged.wait(m).unwrap_or_else(PoisonError::into_inner);
                }
                drop(m);
                let lo = (c * CHUNK).max(start);
                let hi = ((c + 1) * CHUNK).min(end);
                let part = self.run_range(config.seed, lo..hi, pairs, lean);
                progress(hi - lo);
                let mut m = merge.lock().unwrap_or_else(PoisonError::into_inner);
                m.ready.insert(c, part);
                while let Some(part) = {
                    let next = m.next;
                    m.ready.remove(&next)
                } {
                    m.total.merge(&part);
                    m.next += 1;
                }
                drop(m);
                merged.notify_all();
            }
        };
        pool.scope(|s| {
            for _ in 0..workers {
                s.spawn(|_| work());
            }
        });
        let m = merge.into_inner().unwrap_or_else(PoisonError::into_inner);
        debug_assert!(m.ready.is_empty() && m.next == last_chunk + 1);
        Ok(m.total)
    }
}

/// How often the Monte Carlo loop skipped playing something on a path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shortcuts {
    /// Outcomes copied from a twin (see [`dormant::Twin`]).
    pub copied: usize,
    /// First-renewal talks taken up from a twin's at a meeting (see
    /// [`Twin::fork_at`]).
    pub resumed: usize,
}

/// Chunk summaries waiting to be merged in order.
struct Merge {
    /// The next chunk to merge.
    next: u64,
    /// Chunks `first..next`, merged in order.
    total: RunSummary,
    /// Finished chunks from `next + 1` on.
    ready: BTreeMap<u64, RunSummary>,
}

/// A pool of `threads` workers (`None`: one per core).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, EngineError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    builder.build().map_err(|e| EngineError::Threads {
        threads: threads.unwrap_or(0),
        reason: e.to_string(),
    })
}

/// Every pair of strategies: first `(strategy, baseline)` for each strategy
/// other than the baseline, then every other pair `(i, j)`, `i < j` (see
/// [`other_pairs`]).
pub fn all_pairs(scenario: &Scenario) -> Vec<(usize, usize)> {
    let mut pairs = baseline_pairs(scenario);
    pairs.extend(other_pairs(scenario));
    pairs
}

/// Every pair `(i, j)`, `i < j`, that does not involve the baseline.
pub fn other_pairs(scenario: &Scenario) -> Vec<(usize, usize)> {
    let b = scenario.baseline_index();
    let n = scenario.strategies.len();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if i != b && j != b {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// Pairs `(strategy, baseline)` for every strategy other than the baseline.
pub fn baseline_pairs(scenario: &Scenario) -> Vec<(usize, usize)> {
    let b = scenario.baseline_index();
    (0..scenario.strategies.len())
        .filter(|&i| i != b)
        .map(|i| (i, b))
        .collect()
}
