//! The command line (clap derive) and what each command does with it. Only
//! this module and `main.rs` know about files, terminals and exit codes.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use impasse::engine::{RunConfig, Simulation, baseline_pairs};
use impasse::report::{Format, RunReport, write_atomic};
use impasse::scenario::{DEFAULT_SCENARIO_TOML, Scenario};

/// Monte Carlo decision support for payer contract negotiations.
#[derive(Debug, Parser)]
#[command(name = "impasse", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate every strategy of a scenario and report revenue, risk and patient impact.
    Run(RunArgs),
    /// Write the built-in scenario, with comments explaining every field.
    Init(InitArgs),
    /// Check a scenario file and say what is wrong with it.
    Validate(ValidateArgs),
}

/// Options shared by commands that simulate.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Number of Monte Carlo paths.
    #[arg(long, default_value_t = 100_000)]
    pub paths: u64,
    /// Random seed: the same scenario and seed give the same numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `impasse run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (default: the built-in community-hospital scenario).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    /// Simulation options.
    pub sim: SimArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file (whole or not at all) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `impasse init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the scenario (default: standard output).
    pub file: Option<PathBuf>,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `impasse validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file to check.
    pub file: PathBuf,
}

/// Load the scenario named on the command line, or the built-in one.
pub fn load(file: Option<&Path>) -> Result<Scenario> {
    Ok(match file {
        Some(p) => Scenario::from_path(p)?,
        None => Scenario::builtin(),
    })
}

/// A progress bar on standard error, hidden when it is not a terminal or when quiet.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bar:40} {human_pos}/{human_len} paths, eta {eta}")
            .expect("valid template"),
    );
    bar
}

/// Send output to `--out` (atomically) or standard output.
pub fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match out {
        Some(path) => write_atomic(path, bytes)
            .with_context(|| format!("cannot write `--out` = {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// Run a scenario and summarise it against its baseline.
pub fn simulate(scenario: &Scenario, sim: &SimArgs) -> Result<RunReport> {
    let simulation = Simulation::new(scenario);
    let config = RunConfig {
        paths: sim.paths,
        first_path: 0,
        seed: sim.seed,
        threads: sim.threads,
    };
    if sim.threads == Some(0) {
        bail!("invalid `--threads` = 0: use at least 1 thread (or leave it out for one per core)");
    }
    let bar = progress_bar(sim.paths, sim.quiet);
    let summary = simulation.run(&config, &baseline_pairs(scenario), &|n| bar.inc(n))?;
    bar.finish_and_clear();
    Ok(RunReport::new(scenario, sim.seed, &summary))
}

/// Carry out a parsed command line.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => {
            let scenario = load(args.file.as_deref())?;
            if args.sim.paths == 0 {
                bail!(impasse::engine::EngineError::NoPaths);
            }
            let report = simulate(&scenario, &args.sim)?;
            let bytes = args.format.exporter().serialize(&report)?;
            emit(args.out.as_deref(), &bytes)
        }
        Command::Init(args) => match args.file {
            None => emit(None, DEFAULT_SCENARIO_TOML.as_bytes()),
            Some(path) => {
                if path.exists() && !args.force {
                    bail!(
                        "{} already exists: choose another name or pass --force to overwrite it",
                        path.display()
                    );
                }
                emit(Some(&path), DEFAULT_SCENARIO_TOML.as_bytes())?;
                eprintln!(
                    "wrote {}; run it with: impasse run {}",
                    path.display(),
                    path.display()
                );
                Ok(())
            }
        },
        Command::Validate(args) => {
            let scenario = Scenario::from_path(&args.file)?;
            let uncertain = scenario
                .inputs()
                .iter()
                .filter(|(_, d)| !d.is_fixed())
                .count();
            let names: Vec<&str> = scenario
                .strategies
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            println!(
                "{}: ok. Scenario `{}`: {} strategies ({}), baseline `{}`, {} uncertain inputs, {} non-rate items.",
                args.file.display(),
                scenario.name,
                names.len(),
                names.join(", "),
                scenario.strategies[scenario.baseline_index()].name,
                uncertain,
                scenario.items.len()
            );
            Ok(())
        }
    }
}
