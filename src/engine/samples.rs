//! Per-path samples, for analyses that need more than means: the value of
//! information (each strategy's score on each path, beside the value every
//! uncertain input took there) and designed experiments (a strategy's result
//! at a chosen point of the input space).
//!
//! Samples are kept whole, so memory grows with the number of paths: about
//! `8 (strategies + uncertain inputs)` bytes per path (100,000 paths of the
//! built-in scenario: about 17 MB).

use rayon::prelude::*;

use crate::model::world::path_seed;
use crate::model::{Outcome, PayerPowers, World, payer_powers, play_with_powers_into};

use super::{CHUNK, EngineError, RunConfig, Simulation};

/// What is recorded of each outcome.
pub type Measure<'m> = &'m (dyn Fn(&Outcome) -> f64 + Sync);

/// Per-path results of some strategies, and the inputs that produced them.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSamples {
    /// The strategies measured (indices into the scenario's strategies).
    pub strategies: Vec<usize>,
    /// `values[k][i]`: the measure of strategy `strategies[k]` on path `i`.
    pub values: Vec<Vec<f64>>,
    /// The uncertain inputs recorded (positions in
    /// [`crate::scenario::Scenario::inputs`]).
    pub inputs: Vec<usize>,
    /// `inputs_at[j][i]`: the value input `inputs[j]` took on path `i`.
    pub inputs_at: Vec<Vec<f64>>,
}

impl PathSamples {
    /// Number of paths.
    pub fn paths(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }
}

/// Scratch space for playing some strategies on one world.
struct Player {
    world: World,
    outcome: Outcome,
    powers: Vec<PayerPowers>,
    fresh: Vec<bool>,
}

impl Simulation<'_> {
    /// The positions in [`crate::scenario::Scenario::inputs`] of the inputs
    /// that are not fixed.
    pub fn uncertain_inputs(&self) -> Vec<usize> {
        self.scenario
            .inputs()
            .iter()
            .enumerate()
            .filter(|(_, (_, d))| !d.is_fixed())
            .map(|(i, _)| i)
            .collect()
    }

    /// Number of inputs, fixed ones included: the length of a point for
    /// [`Simulation::measure_at`].
    pub fn input_count(&self) -> usize {
        self.sampler.input_count()
    }

    /// The sets of correlated inputs (see
    /// [`crate::model::WorldSampler::correlated_groups`]).
    pub fn correlated_groups(&self) -> Vec<Vec<usize>> {
        self.sampler.correlated_groups()
    }

    fn player(&self) -> Player {
        Player {
            world: World::default(),
            outcome: Outcome::default(),
            powers: vec![PayerPowers::default(); self.plans.len()],
            fresh: vec![false; self.plans.len()],
        }
    }

    /// Play `strategies` on the player's world, writing `measure` of each
    /// into `out`.
    fn play_some(
        &self,
        p: &mut Player,
        strategies: &[usize],
        measure: Measure<'_>,
        out: &mut [f64],
    ) {
        p.fresh.iter_mut().for_each(|f| *f = false);
        for (&s, o) in strategies.iter().zip(out) {
            let lead = self.calendar_of[s];
            if !p.fresh[lead] {
                payer_powers(
                    &self.terms,
                    &self.plans[lead],
                    &p.world,
                    &mut p.powers[lead],
                );
                p.fresh[lead] = true;
            }
            play_with_powers_into(
                &self.terms,
                &self.plans[s],
                &p.world,
                &p.powers[lead],
                &mut p.outcome,
            );
            *o = measure(&p.outcome);
        }
    }

    /// Play `config.paths` paths (the same worlds as [`Simulation::run`]
    /// with the same seed) and keep, per path, `measure` of each of
    /// `strategies` and the value of every uncertain input. Chunks run in
    /// parallel and are stored in path order: the result does not depend on
    /// the number of threads.
    pub fn samples(
        &self,
        config: &RunConfig,
        strategies: &[usize],
        measure: Measure<'_>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<PathSamples, EngineError> {
        if config.paths == 0 {
            return Err(EngineError::NoPaths);
        }
        let pool = super::pool(config.threads)?;
        let uncertain = self.uncertain_inputs();
        let (start, end) = (config.first_path, config.first_path + config.paths);
        let chunks: Vec<(u64, u64)> = (start / CHUNK..=(end - 1) / CHUNK)
            .map(|c| ((c * CHUNK).max(start), ((c + 1) * CHUNK).min(end)))
            .collect();
        let parts: Vec<(Vec<f64>, Vec<f64>)> = pool.install(|| {
            chunks
                .par_iter()
                .map(|&(lo, hi)| {
                    let mut p = self.player();
                    let mut all = vec![0.0; self.input_count()];
                    let n = (hi - lo) as usize;
                    let mut values = vec![0.0; n * strategies.len()];
                    let mut inputs = vec![0.0; n * uncertain.len()];
                    for (k, index) in (lo..hi).enumerate() {
                        self.sampler.fill_recording(
                            self.scenario,
                            path_seed(config.seed, index),
                            &mut p.world,
                            &mut all,
                        );
                        let row = &mut values[k * strategies.len()..][..strategies.len()];
                        self.play_some(&mut p, strategies, measure, row);
                        for (x, &j) in inputs[k * uncertain.len()..].iter_mut().zip(&uncertain) {
                            *x = all[j];
                        }
                    }
                    progress(hi - lo);
                    (values, inputs)
                })
                .collect()
        });
        let paths = config.paths as usize;
        let mut values = vec![Vec::with_capacity(paths); strategies.len()];
        let mut inputs_at = vec![Vec::with_capacity(paths); uncertain.len()];
        for (v, x) in &parts {
            for row in v.chunks_exact(strategies.len().max(1)) {
                for (col, &y) in values.iter_mut().zip(row) {
                    col.push(y);
                }
            }
            for row in x.chunks_exact(uncertain.len().max(1)) {
                for (col, &y) in inputs_at.iter_mut().zip(row) {
                    col.push(y);
                }
            }
        }
        Ok(PathSamples {
            strategies: strategies.to_vec(),
            values,
            inputs: uncertain,
            inputs_at,
        })
    }

    /// `measure` of each of `strategies` in the world at point `u` (one
    /// uniform coordinate per input, [`crate::scenario::Scenario::inputs`]
    /// order) with random events drawn from `event_seed` (see
    /// [`crate::model::WorldSampler::fill_at`]), written into `out`.
    pub fn measure_at(
        &self,
        u: &[f64],
        event_seed: u64,
        strategies: &[usize],
        measure: Measure<'_>,
        out: &mut [f64],
    ) {
        let mut p = self.player();
        self.sampler
            .fill_at(self.scenario, u, event_seed, &mut p.world);
        self.play_some(&mut p, strategies, measure, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::baseline_pairs;
    use crate::scenario::Scenario;

    fn revenue(o: &Outcome) -> f64 {
        o.revenue
    }

    #[test]
    fn samples_are_the_paths_of_a_run() {
        let s = Scenario::builtin();
        let sim = Simulation::new(&s);
        let config = RunConfig {
            first_path: 1000,
            threads: Some(2),
            ..RunConfig::new(2100, 7)
        };
        let all: Vec<usize> = (0..s.strategies.len()).collect();
        let samples = sim.samples(&config, &all, &revenue, &|_| {}).unwrap();
        assert_eq!(samples.paths(), 2100);
        let summary = sim.run(&config, &baseline_pairs(&s), &|_| {}).unwrap();
        for (k, st) in summary.strategies.iter().enumerate() {
            let mean = samples.values[k].iter().sum::<f64>() / 2100.0;
            assert!((mean - st.revenue.mean()).abs() <= 1e-9 * mean.abs(), "{k}");
        }
        // Path 1500's values, one by one.
        let w = sim.world(7, 1500);
        let outcomes = sim.path_outcomes(7, 1500);
        assert_eq!(samples.values[2][500], outcomes[2].revenue);
        let inputs = s.inputs();
        let j = samples
            .inputs
            .iter()
            .position(|&i| inputs[i].0 == "payer.reservation")
            .unwrap();
        assert_eq!(samples.inputs_at[j][500], w.payer_reservation);
        assert!(samples.inputs.iter().all(|&i| !inputs[i].1.is_fixed()));
    }

    #[test]
    fn samples_do_not_depend_on_threads() {
        let s = Scenario::builtin();
        let sim = Simulation::new(&s);
        let one = sim
            .samples(
                &RunConfig {
                    threads: Some(1),
                    ..RunConfig::new(3000, 3)
                },
                &[1, 4],
                &revenue,
                &|_| {},
            )
            .unwrap();
        let two = sim
            .samples(
                &RunConfig {
                    threads: Some(2),
                    ..RunConfig::new(3000, 3)
                },
                &[1, 4],
                &revenue,
                &|_| {},
            )
            .unwrap();
        assert_eq!(one, two);
    }

    #[test]
    fn a_point_at_the_median_plays_the_median_world() {
        let s = Scenario::builtin();
        let sim = Simulation::new(&s);
        let n = sim.input_count();
        let mut out = [0.0; 2];
        sim.measure_at(&vec![0.5; n], 11, &[0, 1], &revenue, &mut out);
        let mut w = World::default();
        let u = vec![0.5; n];
        sim.sampler.fill_at(&s, &u, 11, &mut w);
        let reservation = s.payer.reservation.quantile(0.5);
        assert_eq!(w.payer_reservation, reservation);
        // Events come from the seed: the same as path seed 11's.
        let mut v = World::default();
        sim.sampler.fill(&s, 11, &mut v);
        assert_eq!(w.events, v.events);
        assert!(out.iter().all(|x| x.is_finite()));
    }
}
