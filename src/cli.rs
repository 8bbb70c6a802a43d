//! The command line (clap derive) and what each command does with it. Only
//! this module and `main.rs` know about files, terminals and exit codes.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use impasse::analysis::Budget;
use impasse::analysis::board::{self, BoardBudget};
use impasse::analysis::compare::{Precision, compare};
use impasse::analysis::information::{self, VoiOptions};
use impasse::analysis::optimize::{self, OptimizeOptions};
use impasse::analysis::sensitivity::{self, SobolOptions};
use impasse::analysis::sweep::{self, Axis};
use impasse::analysis::threshold::{self, ThresholdOptions};
use impasse::analysis::timing::{self, TimingOptions};
use impasse::analysis::tornado::{self, Metric, Target, TornadoOptions};
use impasse::engine::{Simulation, baseline_pairs, other_pairs};
use impasse::report::{Format, Output, RunReport, render, write_atomic};
use impasse::report::{board_charts, html, xlsx};
use impasse::scenario::{DEFAULT_SCENARIO_TOML, Override, Scenario};

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
    /// Compare two strategies on the same paths, on every metric.
    Compare(CompareArgs),
    /// Sweep one or two inputs over a grid: each strategy's revenue and the best one.
    Sweep(SweepArgs),
    /// Rank the inputs by how much they move a strategy's result (or a difference).
    Tornado(TornadoArgs),
    /// Find the break-even value of an input at which two strategies tie.
    Threshold(ThresholdArgs),
    /// Expected revenue as a function of the escalation (or notice) week.
    Timing(TimingArgs),
    /// What better information is worth before choosing: EVPI, and EVPPI of each input and group.
    Voi(VoiArgs),
    /// Which uncertainties drive a result when they all move together: Sobol' indices.
    Sobol(SobolArgs),
    /// Search the provider's decisions for the best strategy, then re-check it on fresh paths.
    Optimize(OptimizeArgs),
    /// Write a self-contained HTML board report (and optionally slide-ready SVG charts and a workbook).
    Report(ReportArgs),
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

/// Changes to the scenario for this run.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Change any scenario input for this run: a number or a distribution,
    /// e.g. --set payer.exec.success_prob=0.4 --set 'payer.reservation=triangular(0.01,0.03,0.05)'
    /// --set strategy.wait.walk_away=0.02. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Where and how to write the result.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file (whole or not at all) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `impasse run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (default: the built-in community-hospital scenario).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options.
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file.
    pub file: PathBuf,
    /// Strategy A.
    pub a: String,
    /// Strategy B.
    pub b: String,
    /// Keep adding paths (in batches of --paths) until the 95 % half-width of
    /// the revenue difference is below this many dollars, or --max-paths is reached.
    #[arg(long, value_name = "DOLLARS")]
    pub precision: Option<f64>,
    /// Upper limit on paths with --precision.
    #[arg(long, default_value_t = 2_000_000)]
    pub max_paths: u64,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options.
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file.
    pub file: PathBuf,
    /// The input to sweep (dotted path, e.g. payer.exec.success_prob).
    #[arg(long)]
    pub param: String,
    /// Values of --param, comma-separated (negative values need no `=`).
    #[arg(
        long,
        conflicts_with = "range",
        required_unless_present = "range",
        allow_hyphen_values = true
    )]
    pub values: Option<String>,
    /// Values of --param as LO:HI:N (N evenly spaced points, ends included).
    #[arg(long, allow_hyphen_values = true)]
    pub range: Option<String>,
    /// A second input, for a two-way sweep.
    #[arg(long, requires = "param2_values")]
    pub param2: Option<String>,
    /// Values of --param2, comma-separated.
    #[arg(
        long,
        group = "param2_values",
        conflicts_with = "range2",
        allow_hyphen_values = true
    )]
    pub values2: Option<String>,
    /// Values of --param2 as LO:HI:N.
    #[arg(long, group = "param2_values", allow_hyphen_values = true)]
    pub range2: Option<String>,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options.
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse tornado`.
#[derive(Debug, Args)]
pub struct TornadoArgs {
    /// Scenario file.
    pub file: PathBuf,
    /// The strategy whose result is measured (default: the baseline).
    #[arg(long, conflicts_with = "diff")]
    pub strategy: Option<String>,
    /// Measure the difference A - B instead, and mark inputs that can flip its sign.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub diff: Option<Vec<String>>,
    /// What is measured.
    #[arg(long, value_enum, default_value_t = Metric::Revenue)]
    pub metric: Metric,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options (paths per variant).
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// What `impasse threshold` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThresholdMetric {
    /// Net present revenue.
    Revenue,
    /// Net present contribution margin, net of the costs of moves.
    Margin,
}

/// `impasse threshold`.
#[derive(Debug, Args)]
pub struct ThresholdArgs {
    /// Scenario file.
    pub file: PathBuf,
    /// The input to search (dotted path).
    #[arg(long)]
    pub param: String,
    /// Strategy A.
    pub a: String,
    /// Strategy B.
    pub b: String,
    /// Search range LO:HI (default: the input's range).
    #[arg(long, allow_hyphen_values = true)]
    pub range: Option<String>,
    /// What to compare: revenue, or margin (contribution margin net of the
    /// costs of moves).
    #[arg(long, value_enum, default_value = "revenue")]
    pub metric: ThresholdMetric,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options (paths per evaluation).
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse timing`.
#[derive(Debug, Args)]
pub struct TimingArgs {
    /// Scenario file.
    pub file: PathBuf,
    /// The strategy whose escalation (or notice) week is varied.
    #[arg(long)]
    pub strategy: String,
    /// First week (default: when talks open).
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<i32>,
    /// Last week (default: -1 for escalation, the legal deadline for a notice).
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<i32>,
    /// Weeks between points (default: the strategy's meeting cadence).
    #[arg(long)]
    pub step: Option<u32>,
    /// Vary the notice week instead of the escalation week.
    #[arg(long)]
    pub notice: bool,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options.
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse voi`.
#[derive(Debug, Args)]
pub struct VoiArgs {
    /// Scenario file (default: the built-in community-hospital scenario).
    pub file: Option<PathBuf>,
    /// The strategies to choose among, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// The inputs whose value of partial information is computed,
    /// comma-separated dotted paths (default: every uncertain input).
    #[arg(long, value_delimiter = ',')]
    pub inputs: Vec<String>,
    /// A group of inputs learnt together: NAME=PATH+PATH+... Repeatable.
    /// Without --inputs or --groups, each section of the scenario (payer,
    /// provider, contract, items) and every uncertain input together are
    /// groups too.
    #[arg(long = "groups", value_name = "NAME=P1+P2")]
    pub groups: Vec<String>,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options.
    pub sim: SimArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse sobol`.
#[derive(Debug, Args)]
pub struct SobolArgs {
    /// Scenario file (default: the built-in community-hospital scenario).
    pub file: Option<PathBuf>,
    /// The strategy whose result is explained (default: the baseline).
    #[arg(long, conflicts_with = "diff")]
    pub strategy: Option<String>,
    /// Explain the difference A - B instead.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub diff: Option<Vec<String>>,
    /// What is measured.
    #[arg(long, value_enum, default_value_t = Metric::Revenue)]
    pub metric: Metric,
    /// Base samples N of the Saltelli design (N x (factors + 2) worlds; a power of two is best).
    #[arg(long, default_value_t = 4096)]
    pub n: usize,
    /// Random seed of the design and the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// `impasse optimize`.
#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Scenario file (default: the built-in community-hospital scenario).
    pub file: Option<PathBuf>,
    /// The strategy to start from and compare with (default: the file's best).
    #[arg(long)]
    pub from: Option<String>,
    /// Candidates to evaluate.
    #[arg(long, default_value_t = 2000)]
    pub budget: usize,
    /// Paths per candidate (all candidates on the same paths).
    #[arg(long, default_value_t = 5000)]
    pub paths: u64,
    /// Paths per finalist on the fresh (holdout) paths.
    #[arg(long, default_value_t = 20_000)]
    pub holdout_paths: u64,
    /// Decision fields to hold at the --from strategy's values, comma-separated
    /// (lead_weeks, cadence_weeks, opening_ask, walk_away, concession_exponent,
    /// escalation, escalate_if_offer_below, escalation_retry, notice,
    /// notice_if_offer_below, max_oon_weeks, agenda, data_prep).
    #[arg(long, value_delimiter = ',')]
    pub fix: Vec<String>,
    /// Append the best plan as a [[strategy]] to this scenario file.
    #[arg(long, value_name = "FILE")]
    pub append: Option<PathBuf>,
    /// Random seed of the search (the holdout seed is derived from it).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Output options.
    pub output: OutputArgs,
}

/// Parse `NAME=P1+P2` for `--groups`.
fn parse_group(text: &str) -> Result<(String, Vec<String>)> {
    let parsed = text.split_once('=').map(|(name, members)| {
        (
            name.trim().to_string(),
            members
                .split('+')
                .map(|m| m.trim().to_string())
                .collect::<Vec<_>>(),
        )
    });
    match parsed {
        Some((name, members)) if !name.is_empty() && members.iter().all(|m| !m.is_empty()) => {
            Ok((name, members))
        }
        _ => bail!(
            "invalid `--groups` = {text}: write NAME=PATH+PATH, e.g. payer-limits=payer.reservation+payer.exec.reservation_gain"
        ),
    }
}

/// `impasse report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file (default: the built-in community-hospital scenario).
    pub file: Option<PathBuf>,
    /// Where to write the HTML report.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write each chart as its own SVG file in this directory (for slides).
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Also write an Excel workbook with the numbers behind the report.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Paths per variant of the supporting analyses (tornado, threshold, timing) and of the value of information.
    #[arg(long, default_value_t = 20_000)]
    pub analysis_paths: u64,
    /// Also search for a better plan than the recommended strategy (as `impasse optimize --from`), and show it in a section of its own.
    #[arg(long)]
    pub optimize: bool,
    /// Candidates that search evaluates (with --optimize), each on a quarter of the analysis paths (at least 500).
    #[arg(long, value_name = "N", default_value_t = board::OPTIMIZE_BUDGET, requires = "optimize")]
    pub optimize_budget: usize,
    #[command(flatten)]
    /// Overrides.
    pub set: SetArgs,
    #[command(flatten)]
    /// Simulation options (the main run).
    pub sim: SimArgs,
}

/// The command line that reproduces a report.
fn report_command(args: &ReportArgs) -> String {
    let mut parts = vec!["impasse".to_string(), "report".to_string()];
    if let Some(f) = &args.file {
        parts.push(f.display().to_string());
    }
    parts.push(format!("--out {}", args.out.display()));
    for o in &args.set.set {
        parts.push(format!("--set '{o}'"));
    }
    parts.push(format!("--paths {}", args.sim.paths));
    parts.push(format!("--analysis-paths {}", args.analysis_paths));
    parts.push(format!("--seed {}", args.sim.seed));
    if args.optimize {
        parts.push(format!(
            "--optimize --optimize-budget {}",
            args.optimize_budget
        ));
    }
    parts.join(" ")
}

/// Parse `LO:HI` for `--range`.
fn parse_pair(option: &str, text: &str) -> Result<(f64, f64)> {
    let parsed = text
        .split_once(':')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
    match parsed {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() => Ok((lo, hi)),
        _ => bail!("invalid `{option}` = {text}: write LO:HI with two numbers, e.g. 0.2:0.8"),
    }
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
    #[command(flatten)]
    /// Overrides to check with it.
    pub set: SetArgs,
}

/// Load the scenario named on the command line (or the built-in one) and
/// apply the `--set` overrides.
pub fn load(file: Option<&Path>, set: &SetArgs) -> Result<Scenario> {
    let scenario = match file {
        Some(p) => Scenario::from_path(p)?,
        None => Scenario::builtin(),
    };
    let overrides = set
        .set
        .iter()
        .map(|o| Override::parse(o))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(scenario.with_overrides(&overrides)?)
}

/// The simulation budget of the command line, checked.
pub fn budget(sim: &SimArgs) -> Result<Budget> {
    if sim.paths == 0 {
        bail!(impasse::engine::EngineError::NoPaths);
    }
    if sim.threads == Some(0) {
        bail!("invalid `--threads` = 0: use at least 1 thread (or leave it out for one per core)");
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let most = (4 * cores).max(16);
    if let Some(t) = sim.threads
        && t > most
    {
        bail!(
            "invalid `--threads` = {t}: at most {most} (4 per core on this machine, {cores} cores); results do not depend on the thread count"
        );
    }
    Ok(Budget {
        paths: sim.paths,
        seed: sim.seed,
        threads: sim.threads,
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
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                // A reader that stopped reading (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

/// Run a scenario and summarise it against its baseline.
pub fn simulate(scenario: &Scenario, sim: &SimArgs) -> Result<RunReport> {
    let budget = budget(sim)?;
    let simulation = Simulation::new(scenario);
    let summary = with_progress(budget.paths, sim.quiet, |progress| {
        simulation.run_tracking(
            &budget.config(0, budget.paths),
            &baseline_pairs(scenario),
            &other_pairs(scenario),
            progress,
        )
    })?;
    Ok(RunReport::new(scenario, budget.seed, &summary))
}

/// Run `work` with a progress bar over `total` paths (hidden when quiet or
/// off-terminal), cleared when it ends, successfully or not.
fn with_progress<T, E>(
    total: u64,
    quiet: bool,
    work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> Result<T, E>,
) -> Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let bar = progress_bar(total, quiet);
    let result = work(&|n| bar.inc(n));
    bar.finish_and_clear();
    Ok(result?)
}

/// Fail at once, before any simulation, if `path` cannot be an output file.
fn check_writable(option: &str, path: &Path) -> Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        bail!(
            "invalid `{option}` = {}: the directory {} does not exist",
            path.display(),
            parent.display()
        );
    }
    if path.is_dir() {
        bail!("invalid `{option}` = {}: is a directory", path.display());
    }
    Ok(())
}

/// Render an analysis result and send it where `--out` says.
fn deliver<O: Output>(result: &O, output: &OutputArgs) -> Result<()> {
    emit(output.out.as_deref(), &render(result, output.format)?)
}

/// Carry out a parsed command line.
pub fn execute(cli: Cli) -> Result<()> {
    let output = match &cli.command {
        Command::Run(a) => Some(&a.output),
        Command::Compare(a) => Some(&a.output),
        Command::Sweep(a) => Some(&a.output),
        Command::Tornado(a) => Some(&a.output),
        Command::Threshold(a) => Some(&a.output),
        Command::Timing(a) => Some(&a.output),
        Command::Voi(a) => Some(&a.output),
        Command::Sobol(a) => Some(&a.output),
        Command::Optimize(a) => Some(&a.output),
        _ => None,
    };
    if let Some(out) = output.and_then(|o| o.out.as_deref()) {
        check_writable("--out", out)?;
    }
    match cli.command {
        Command::Run(args) => {
            let scenario = load(args.file.as_deref(), &args.set)?;
            let report = simulate(&scenario, &args.sim)?;
            deliver(&report, &args.output)
        }
        Command::Compare(args) => {
            let scenario = load(Some(&args.file), &args.set)?;
            let budget = budget(&args.sim)?;
            let precision = args.precision.map(|half_width| Precision {
                half_width,
                max_paths: args.max_paths,
            });
            let planned = precision.map_or(budget.paths, |p| p.max_paths);
            let report = with_progress(planned, args.sim.quiet, |progress| {
                compare(&scenario, &args.a, &args.b, &budget, precision, progress)
            })?;
            deliver(&report, &args.output)
        }
        Command::Sweep(args) => {
            let scenario = load(Some(&args.file), &args.set)?;
            let budget = budget(&args.sim)?;
            let axis = match (&args.values, &args.range) {
                (Some(v), _) => Axis::parse_values(&args.param, v)?,
                (None, Some(r)) => Axis::parse_range(&args.param, r)?,
                (None, None) => bail!("give --values or --range for --param {}", args.param),
            };
            let axis2 = match (&args.param2, &args.values2, &args.range2) {
                (Some(p), Some(v), _) => Some(Axis::parse_values_for("--values2", p, v)?),
                (Some(p), None, Some(r)) => Some(Axis::parse_range_for("--range2", p, r)?),
                (Some(p), None, None) => bail!("give --values2 or --range2 for --param2 {p}"),
                (None, _, _) => None,
            };
            let runs = sweep::planned_runs(&axis, axis2.as_ref()) as u64;
            let report = with_progress(runs * budget.paths, args.sim.quiet, |progress| {
                sweep::sweep(&scenario, &axis, axis2.as_ref(), &budget, progress)
            })?;
            deliver(&report, &args.output)
        }
        Command::Tornado(args) => {
            let scenario = load(Some(&args.file), &args.set)?;
            let budget = budget(&args.sim)?;
            let target = match (&args.diff, &args.strategy) {
                (Some(pair), _) => Target::Diff(pair[0].clone(), pair[1].clone()),
                (None, Some(name)) => Target::Strategy(name.clone()),
                (None, None) => {
                    Target::Strategy(scenario.strategies[scenario.baseline_index()].name.clone())
                }
            };
            let options = TornadoOptions::new(target, args.metric);
            let runs = tornado::planned_runs(&scenario, &options) as u64;
            let report = with_progress(runs * budget.paths, args.sim.quiet, |progress| {
                tornado::tornado(&scenario, &options, &budget, progress)
            })?;
            deliver(&report, &args.output)
        }
        Command::Threshold(args) => {
            let scenario = load(Some(&args.file), &args.set)?;
            let budget = budget(&args.sim)?;
            let range = args
                .range
                .as_deref()
                .map(|r| parse_pair("--range", r))
                .transpose()?;
            let options = ThresholdOptions {
                param: args.param.clone(),
                a: args.a.clone(),
                b: args.b.clone(),
                range,
                metric: match args.metric {
                    ThresholdMetric::Revenue => Metric::Revenue,
                    ThresholdMetric::Margin => Metric::Margin,
                },
            };
            let runs = threshold::planned_runs() as u64;
            let report = with_progress(runs * budget.paths, args.sim.quiet, |progress| {
                threshold::threshold(&scenario, &options, &budget, progress)
            })?;
            deliver(&report, &args.output)
        }
        Command::Timing(args) => {
            let scenario = load(Some(&args.file), &args.set)?;
            let budget = budget(&args.sim)?;
            let options = TimingOptions {
                strategy: args.strategy.clone(),
                from: args.from,
                to: args.to,
                step: args.step,
                notice: args.notice,
            };
            let runs = timing::planned_runs() as u64;
            let report = with_progress(runs * budget.paths, args.sim.quiet, |progress| {
                timing::timing(&scenario, &options, &budget, progress)
            })?;
            deliver(&report, &args.output)
        }
        Command::Voi(args) => {
            let scenario = load(args.file.as_deref(), &args.set)?;
            let budget = budget(&args.sim)?;
            let groups = args
                .groups
                .iter()
                .map(|g| parse_group(g))
                .collect::<Result<Vec<_>>>()?;
            let options = VoiOptions {
                strategies: args.strategies.clone(),
                inputs: args.inputs.clone(),
                default_groups: args.inputs.is_empty() && groups.is_empty(),
                groups,
            };
            let report = with_progress(budget.paths, args.sim.quiet, |progress| {
                information::voi(&scenario, &options, &budget, progress)
            })?;
            deliver(&report, &args.output)
        }
        Command::Sobol(args) => {
            let scenario = load(args.file.as_deref(), &args.set)?;
            // The same checks of --threads as the simulating commands.
            budget(&SimArgs {
                paths: 1,
                seed: args.seed,
                threads: args.threads,
                quiet: args.quiet,
            })?;
            let target = match (&args.diff, &args.strategy) {
                (Some(pair), _) => Target::Diff(pair[0].clone(), pair[1].clone()),
                (None, Some(name)) => Target::Strategy(name.clone()),
                (None, None) => {
                    Target::Strategy(scenario.strategies[scenario.baseline_index()].name.clone())
                }
            };
            let options = SobolOptions {
                target,
                metric: args.metric,
                base_samples: args.n,
                seed: args.seed,
                threads: args.threads,
            };
            let planned = sensitivity::planned_runs(&scenario, &options) as u64;
            let bar = progress_bar(planned, args.quiet);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {bar:40} {human_pos}/{human_len} worlds, eta {eta}",
                )
                .expect("valid template"),
            );
            let result = sensitivity::sobol(&scenario, &options, &|n| bar.inc(n));
            bar.finish_and_clear();
            deliver(&result?, &args.output)
        }
        Command::Optimize(args) => {
            let scenario = load(args.file.as_deref(), &args.set)?;
            budget(&SimArgs {
                paths: args.paths,
                seed: args.seed,
                threads: args.threads,
                quiet: args.quiet,
            })?;
            // Check --append before the search: it must be a scenario we can extend.
            let target = match &args.append {
                Some(path) => {
                    check_writable("--append", path)?;
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read `--append` = {}", path.display()))?;
                    let existing = Scenario::from_toml(&text, &path.display().to_string())?;
                    Some((path.clone(), text, existing))
                }
                None => None,
            };
            let mut options = OptimizeOptions::new(args.seed);
            options.from = args.from.clone();
            options.budget = args.budget;
            options.paths = args.paths;
            options.holdout_paths = args.holdout_paths;
            options.threads = args.threads;
            options.fixed = args.fix.clone();
            let bar = progress_bar(args.budget as u64, args.quiet);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {bar:40} {human_pos}/{human_len} candidates, best so far {msg}, eta {eta}",
                )
                .expect("valid template"),
            );
            let result = optimize::optimize(&scenario, &options, &|n| bar.inc(n), &|v| {
                bar.set_message(format!("${:.2}M", v / 1e6))
            });
            bar.finish_and_clear();
            let report = result?;
            deliver(&report, &args.output)?;
            if let (Some((path, text, existing)), Some(best)) = (target, &report.best) {
                let mut st = best.strategy.clone();
                st.name = optimize::free_name(&existing);
                let mut out = text;
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push('\n');
                out.push_str(&optimize::toml_block(&st));
                // The file must still load with the new strategy.
                Scenario::from_toml(&out, &path.display().to_string())?;
                write_atomic(&path, out.as_bytes())
                    .with_context(|| format!("cannot write `--append` = {}", path.display()))?;
                if !args.quiet {
                    eprintln!("appended strategy `{}` to {}", st.name, path.display());
                }
            }
            Ok(())
        }
        Command::Report(args) => {
            let source = match &args.file {
                Some(p) => std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?,
                None => DEFAULT_SCENARIO_TOML.to_string(),
            };
            let scenario = load(args.file.as_deref(), &args.set)?;
            let budget = budget(&args.sim)?;
            if args.analysis_paths == 0 {
                bail!("invalid `--analysis-paths` = 0: the number of paths must be at least 1");
            }
            // Fail before the long run if an output cannot be written, or
            // if two outputs would overwrite each other.
            if let Some(x) = &args.xlsx {
                let same = x == &args.out
                    || matches!(
                        (std::path::absolute(x), std::path::absolute(&args.out)),
                        (Ok(a), Ok(b)) if a == b
                    );
                if same {
                    bail!(
                        "invalid `--xlsx` = {}: the same file as `--out`; give the workbook its own path",
                        x.display()
                    );
                }
            }
            check_writable("--out", &args.out)?;
            if let Some(x) = &args.xlsx {
                check_writable("--xlsx", x)?;
            }
            if let Some(dir) = &args.charts
                && dir.exists()
                && !dir.is_dir()
            {
                bail!("invalid `--charts` = {}: not a directory", dir.display());
            }
            let board_budget = BoardBudget {
                run: budget,
                analysis_paths: args.analysis_paths,
            };
            if args.optimize && args.optimize_budget == 0 {
                bail!("invalid `--optimize-budget` = 0: evaluate at least 1 candidate");
            }
            let optimize = args.optimize.then_some(args.optimize_budget);
            let total = board_budget.planned_paths_with(&scenario, optimize);
            let data = with_progress(total, args.sim.quiet, |progress| {
                board::gather_with(
                    &scenario,
                    &source,
                    &report_command(&args),
                    &board_budget,
                    optimize,
                    progress,
                )
            })?;
            // Everything is rendered before anything is written, so a failure
            // leaves no partial output.
            let charts = board_charts::charts(&data);
            let page = html::html(&data, &charts);
            let workbook = match &args.xlsx {
                Some(_) => Some(xlsx::workbook(&data)?),
                None => None,
            };
            if let Some(dir) = &args.charts {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create `--charts` = {}", dir.display()))?;
                for chart in &charts {
                    let path = dir.join(format!("{}.svg", chart.id));
                    write_atomic(&path, chart.svg.as_bytes())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
            }
            if let (Some(path), Some(bytes)) = (&args.xlsx, &workbook) {
                write_atomic(path, bytes)
                    .with_context(|| format!("cannot write `--xlsx` = {}", path.display()))?;
            }
            write_atomic(&args.out, page.as_bytes())
                .with_context(|| format!("cannot write `--out` = {}", args.out.display()))?;
            if !args.sim.quiet {
                eprintln!(
                    "wrote {} (recommended: {}){}{}",
                    args.out.display(),
                    data.recommended,
                    args.charts
                        .as_ref()
                        .map(|d| format!(", {} charts in {}", charts.len(), d.display()))
                        .unwrap_or_default(),
                    args.xlsx
                        .as_ref()
                        .map(|x| format!(", workbook {}", x.display()))
                        .unwrap_or_default()
                );
            }
            Ok(())
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
                check_writable("FILE", &path)?;
                write_atomic(&path, DEFAULT_SCENARIO_TOML.as_bytes())
                    .with_context(|| format!("cannot write FILE = {}", path.display()))?;
                eprintln!(
                    "wrote {}; run it with: impasse run {}",
                    path.display(),
                    path.display()
                );
                Ok(())
            }
        },
        Command::Validate(args) => {
            let scenario = load(Some(&args.file), &args.set)?;
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
            let line = format!(
                "{}: ok. Scenario `{}`: {} strategies ({}), baseline `{}`, {} uncertain inputs, {} non-rate items.\n",
                args.file.display(),
                scenario.name,
                names.len(),
                names.join(", "),
                scenario.strategies[scenario.baseline_index()].name,
                uncertain,
                scenario.items.len()
            );
            emit(None, line.as_bytes())
        }
    }
}
