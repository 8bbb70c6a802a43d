//! `impasse threshold`: the break-even value of one input, at which two
//! strategies earn the same expected revenue (or margin, with `--metric
//! margin`: the measure that counts the costs of moves).
//!
//! Each evaluation pins the input at a value `x` and runs A and B on the same
//! paths with the same seed, giving the mean paired difference
//! `D(x) = mean(A − B)` and its standard error `se(x)`. Because every
//! evaluation uses the same seed and each input has its own random stream,
//! `D` changes with `x` only through the input (common random numbers), so
//! bisection on it is stable.
//!
//! If `D` has the same sign at both ends of the range, the strategies do not
//! cross there and no value is made up. Otherwise the range is bisected to
//! a tolerance of 1e-4 of its width for `D(x) = 0`, then twice more for the
//! values where the 95 % bounds `D(x) ± 1.96 se(x)` cross zero: these give an
//! interval for the break-even that reflects Monte Carlo error. When a bound
//! is never clear of zero up to an end of the stretch searched (the range,
//! or where the strategies start to tie), the interval stops at that end and
//! is marked open.
//!
//! **Ties are not crossings.** At a value where A and B give the same result
//! on every path, to rounding (no path's difference is above a relative
//! [`TIE_TOLERANCE`] of their mean revenue: the input switched off whatever
//! told them apart), the two *tie*: `D` is zero there, or floating-point
//! noise of about 1e-10 dollars, and its sign means nothing. A tie at an end
//! of the range is bisected for where it stops, and only the rest of the
//! range is searched for a change of sign; a bisection step that lands on a
//! tie inside the range finds both ends of that stretch. The strategies tie
//! at both ends: [`Finding::NoDifference`]. They tie at one end and one of
//! them earns more at the other, or they change sides across a stretch where
//! they tie: [`Finding::NoCrossing`], with the stretches in
//! [`ThresholdReport::ties`]; there is no break-even value to give. (Tied at
//! a single value inside the range, to the bisection's tolerance, with one
//! strategy ahead on each side, the two cross there: that value is the
//! break-even.)
//!
//! `D` need not be monotone in the input: bisection finds one crossing
//! (a change of sign between the ends), not all of them, and "no crossing"
//! means "the same sign at both ends", not "never equal inside".
//!
//! An input in a `[[correlation]]` loses its correlations while pinned, as
//! in the tornado ([`super::tornado::pin`]).
//!
//! The default range: for an uncertain input, its support (its 1st or 99th
//! percentile for an unbounded end); for one fixed at `v ≠ 0`, `[v/2, 3v/2]`
//! clipped to what validation allows. Any float field a `--set` path reaches
//! can be searched, a strategy's `walk_away` included; whole-number fields
//! and triggers cannot.

use serde::Serialize;
use toml::Value;

use crate::engine::stats::Moments;
use crate::report::table::{columns, count, signed_millions};
use crate::report::{Output, csv_number};
use crate::scenario::{Dist, Override, Scenario, ScenarioError};

use super::tornado::{Metric, clamp_to_valid, pin, short};
use super::{AnalysisError, Budget, Progress, only_strategies, run, strategy_index};

use super::Z95;

/// Bisection stops when its bracket is this share of the range wide.
const TOLERANCE: f64 = 1e-4;

/// Bisection steps at most, per root.
const MAX_STEPS: usize = 20;

/// Two results tie when no path's difference is above this share of their
/// mean (in absolute value): what is left is floating-point rounding.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// Whether paired differences are zero on every path, to rounding: the
/// largest difference on any path is at most [`TIE_TOLERANCE`] × `scale`
/// (the mean of the compared results, in absolute value). Then the mean
/// difference and its standard error are both zero to that tolerance; the
/// converse does not hold (differences that cancel out are not a tie).
pub fn identical_on_every_path(diff: &Moments, scale: f64) -> bool {
    diff.count() > 0 && diff.min().abs().max(diff.max().abs()) <= TIE_TOLERANCE * scale.abs()
}

/// Options of `impasse threshold`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdOptions {
    /// Dotted path of the input searched (`--param`).
    pub param: String,
    /// Strategy A.
    pub a: String,
    /// Strategy B.
    pub b: String,
    /// Search range `(lo, hi)` (`--range LO:HI`); `None`: the default range.
    pub range: Option<(f64, f64)>,
    /// What is compared (`--metric`): revenue by default.
    pub metric: Metric,
}

/// The most engine runs [`threshold`] does: both ends, then at most 14
/// bisection steps (`⌈log2(1 / 1e-4)⌉ = 14`) for where a tie at an end of
/// the range stops, 14 for the break-even and 14 for each bound of its
/// interval; fewer when earlier evaluations bracket a bound (a search that
/// meets a tie inside the range bisects the two ends of the tie instead of
/// the bounds of an interval). Without a tie at an end, at most
/// `2 + 3 × 14`. Each run has `budget.paths` paths of two strategies, so a
/// progress bar spans at most `planned_runs() × budget.paths` paths.
pub fn planned_runs() -> usize {
    2 + 4 * steps_needed()
}

fn steps_needed() -> usize {
    ((1.0 / TOLERANCE).log2().ceil() as usize).min(MAX_STEPS)
}

/// One evaluation: the mean paired difference A − B with the input at `x`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// Value of the input.
    pub x: f64,
    /// Mean paired difference A − B (revenue or margin), dollars.
    pub diff_mean: f64,
    /// Its Monte Carlo standard error.
    pub diff_mcse: f64,
    /// 95 % interval of the mean difference.
    pub diff_ci95: (f64, f64),
    /// A and B give the same result on every path here, to rounding (see
    /// [`identical_on_every_path`]): they tie, whatever the sign of the noise
    /// in `diff_mean`.
    pub ties: bool,
}

/// A stretch of the input where the two strategies tie: they give the same
/// result on every path, to rounding, at every evaluation from `low` to
/// `high` (values in between that were not evaluated are assumed to tie
/// too). `low == high` for a tie found at a single value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tie {
    /// Lowest value of the stretch evaluated.
    pub low: f64,
    /// Highest value of the stretch evaluated.
    pub high: f64,
}

/// What the search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The difference changes sign inside the range: a break-even was found
    /// (there may be a tie as well: at an end of the range, or at the
    /// break-even itself when the strategies are identical there).
    Crosses,
    /// No break-even: the difference has the same sign at both ends, or the
    /// strategies tie at one end (or over a stretch inside the range, across
    /// which they change sides); [`ThresholdReport::ties`] says where.
    NoCrossing,
    /// The strategies tie at both ends: the same result on every path, to
    /// rounding.
    NoDifference,
}

/// The result of `impasse threshold`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdReport {
    /// Scenario name.
    pub scenario: String,
    /// The input searched.
    pub param: String,
    /// The input as written in the scenario.
    pub as_written: String,
    /// Strategy A.
    pub a: String,
    /// Strategy B.
    pub b: String,
    /// What is compared: `revenue` or `margin`.
    pub metric: String,
    /// Seed shared by every evaluation.
    pub seed: u64,
    /// Paths per evaluation.
    pub paths: u64,
    /// Engine runs done.
    pub runs: usize,
    /// The range searched.
    pub range: (f64, f64),
    /// Where the range came from, in words.
    pub range_source: String,
    /// What the search found.
    pub finding: Finding,
    /// The break-even value (when the difference crosses zero).
    pub crossing: Option<f64>,
    /// 95 % interval for the break-even: where `D ± 1.96 se` cross zero.
    pub interval: Option<(f64, f64)>,
    /// The interval's low end is the end of the stretch searched: the low
    /// end of the range, or where a tie at the low end stops (the difference
    /// is not clear of zero anywhere between there and the crossing).
    pub interval_open_low: bool,
    /// The interval's high end is the end of the stretch searched.
    pub interval_open_high: bool,
    /// When the strategies change sides, at a crossing or across a stretch
    /// where they tie: whether A earns more above it (`true`) or below it.
    pub a_better_above: Option<bool>,
    /// Without a crossing, when they do not change sides: the strategy that
    /// earns more wherever the two differ (at both ends, or at the end where
    /// they do not tie). `None` when they tie at both ends.
    pub better_throughout: Option<String>,
    /// Where the two strategies tie (the same result on every path, to
    /// rounding), by value of the input; empty when they differ at every
    /// evaluation. A stretch that reaches an end of the range starts or
    /// stops at it.
    pub ties: Vec<Tie>,
    /// The difference at the low end of the range.
    pub at_low: Point,
    /// The difference at the high end of the range.
    pub at_high: Point,
    /// Every evaluation, by value of the input.
    pub evaluations: Vec<Point>,
    /// The answer in one sentence.
    pub conclusion: String,
}

/// How the searched parameter is written in the scenario.
enum Param {
    /// A numeric input (number or distribution).
    Input(Dist),
    /// A plain float field (such as a strategy's walk-away).
    Number(f64),
}

/// The value at `path` in the scenario's TOML tree; array entries
/// (`strategy`, `item`) are addressed by name.
fn lookup<'a>(tree: &'a Value, path: &str) -> Option<&'a Value> {
    let parts: Vec<&str> = path.split('.').collect();
    let (mut node, rest) = match parts.as_slice() {
        [kind @ ("strategy" | "item"), name, rest @ ..] if !rest.is_empty() => {
            let entry = tree
                .get(*kind)?
                .as_array()?
                .iter()
                .find(|e| e.get("name").and_then(Value::as_str) == Some(*name))?;
            (entry, rest)
        }
        all => (tree, all),
    };
    for p in rest {
        node = node.get(*p)?;
    }
    Some(node)
}

/// An unknown path, reported by the override machinery (with close matches)
/// under the option's name.
fn unknown_param(scenario: &Scenario, param: &str) -> AnalysisError {
    match scenario.with_overrides(&[Override::new(param, 0)]) {
        Err(ScenarioError::Invalid { field, allowed, .. }) if field == "--set" => {
            AnalysisError::option("--param", param, allowed)
        }
        _ => not_continuous(param),
    }
}

fn not_continuous(param: &str) -> AnalysisError {
    AnalysisError::option(
        "--param",
        param,
        "must be a numeric input or a decimal field (such as payer.exec.success_prob or \
         strategy.NAME.walk_away); whole-number fields, triggers and names cannot be bisected",
    )
}

fn param_of(scenario: &Scenario, param: &str) -> Result<Param, AnalysisError> {
    if let Some((_, dist)) = scenario.inputs().into_iter().find(|(p, _)| p == param) {
        return Ok(Param::Input(dist));
    }
    let tree = Value::try_from(scenario).map_err(|_| not_continuous(param))?;
    match lookup(&tree, param) {
        None => Err(unknown_param(scenario, param)),
        Some(Value::Float(v)) => Ok(Param::Number(*v)),
        Some(_) => Err(not_continuous(param)),
    }
}

/// The default range and where it came from.
fn default_range(
    scenario: &Scenario,
    options: &ThresholdOptions,
    param: &Param,
) -> Result<((f64, f64), String), AnalysisError> {
    let fixed = match param {
        Param::Input(d) if !d.is_fixed() => {
            let (lo, hi) = d.support();
            let lo_end = if lo.is_finite() { lo } else { d.quantile(0.01) };
            let hi_end = if hi.is_finite() { hi } else { d.quantile(0.99) };
            let source = match (lo.is_finite(), hi.is_finite()) {
                (true, true) => format!("the support of {d}"),
                (false, false) => format!("the 1st to 99th percentiles of {d}"),
                (true, false) => format!("from the lower end to the 99th percentile of {d}"),
                (false, true) => format!("from the 1st percentile to the upper end of {d}"),
            };
            return Ok(((lo_end, hi_end), source));
        }
        Param::Input(d) => d.support().0,
        Param::Number(v) => *v,
    };
    if fixed == 0.0 {
        return Err(AnalysisError::option(
            "--range",
            "none",
            format!(
                "`{}` is fixed at 0, so there is no default range (±50 %): give one, e.g. --range 0:0.05",
                options.param
            ),
        ));
    }
    let (a, b) = (0.5 * fixed, 1.5 * fixed);
    let (lo, hi) = (a.min(b), a.max(b));
    let (lo, lo_clamped) = clamp_to_valid(scenario, &options.param, fixed, lo)?;
    let (hi, hi_clamped) = clamp_to_valid(scenario, &options.param, fixed, hi)?;
    let clipped = if lo_clamped || hi_clamped {
        ", clipped to what the field allows"
    } else {
        ""
    };
    Ok((
        (lo, hi),
        format!("±50 % of the fixed value {}{clipped}", short(fixed)),
    ))
}

/// Find where strategies `options.a` and `options.b` of `scenario` earn the
/// same expected revenue as `options.param` varies; at most
/// [`planned_runs`] runs of `budget.paths` paths of the two strategies.
pub fn threshold(
    scenario: &Scenario,
    options: &ThresholdOptions,
    budget: &Budget,
    progress: Progress<'_>,
) -> Result<ThresholdReport, AnalysisError> {
    let (a, b) = (options.a.as_str(), options.b.as_str());
    if a == b {
        return Err(AnalysisError::option(
            "B",
            b,
            "compare two different strategies",
        ));
    }
    strategy_index(scenario, "A", a)?;
    strategy_index(scenario, "B", b)?;
    if let Some((lo, hi)) = options.range
        && !(lo.is_finite() && hi.is_finite() && lo < hi)
    {
        return Err(AnalysisError::option(
            "--range",
            format!("{lo}:{hi}"),
            "write LO:HI with finite LO < HI",
        ));
    }
    let param = param_of(scenario, &options.param)?;
    let as_written = match &param {
        Param::Input(d) => d.to_string(),
        Param::Number(v) => v.to_string(),
    };
    let ((lo, hi), range_source) = match options.range {
        Some(r) => (r, "--range".to_string()),
        None => default_range(scenario, options, &param)?,
    };

    let mut search = Search {
        scenario,
        metric: options.metric,
        param: &options.param,
        names: [a, b],
        budget,
        progress,
        points: Vec::new(),
    };
    let at_low = search.evaluate(lo)?;
    let at_high = search.evaluate(hi)?;
    let tol = TOLERANCE * (hi - lo);

    let mut report = ThresholdReport {
        scenario: scenario.name.clone(),
        param: options.param.clone(),
        as_written,
        a: a.to_string(),
        b: b.to_string(),
        metric: options.metric.name().to_string(),
        seed: budget.seed,
        paths: budget.paths,
        runs: 0,
        range: (lo, hi),
        range_source,
        finding: Finding::NoCrossing,
        crossing: None,
        interval: None,
        interval_open_low: false,
        interval_open_high: false,
        a_better_above: None,
        better_throughout: None,
        ties: Vec::new(),
        at_low,
        at_high,
        evaluations: Vec::new(),
        conclusion: String::new(),
    };

    // A tie at an end of the range is no crossing: cut it off (bisecting for
    // where it stops) and search the rest for a change of sign.
    let rest = match (at_low.ties, at_high.ties) {
        (true, true) => {
            report.ties.push(Tie { low: lo, high: hi });
            None
        }
        (true, false) => {
            let (tied, differs) = bisect(at_low, at_high, tol, |p| p.ties, &mut search)?;
            report.ties.push(Tie {
                low: lo,
                high: tied.x,
            });
            Some((differs, at_high))
        }
        (false, true) => {
            let (differs, tied) = bisect(at_low, at_high, tol, |p| !p.ties, &mut search)?;
            report.ties.push(Tie {
                low: tied.x,
                high: hi,
            });
            Some((at_low, differs))
        }
        (false, false) => Some((at_low, at_high)),
    };
    match rest {
        None => report.finding = Finding::NoDifference,
        Some((start, end)) => sides(start, end, tol, &mut search, &mut report)?,
    }
    report.ties.sort_by(|p, q| p.low.total_cmp(&q.low));
    let mut evaluations = search.points;
    evaluations.sort_by(|p, q| p.x.total_cmp(&q.x));
    report.runs = evaluations.len();
    report.evaluations = evaluations;
    report.conclusion = conclusion(&report);
    Ok(report)
}

/// Which strategy earns more between `start` and `end`, two evaluations
/// where the strategies do not tie: the same one at both (no crossing), or a
/// break-even between them with its 95 % interval, or a stretch inside where
/// they tie and change sides (no single break-even).
fn sides(
    start: Point,
    end: Point,
    tol: f64,
    search: &mut Search<'_>,
    report: &mut ThresholdReport,
) -> Result<(), AnalysisError> {
    let (dl, dh) = (start.diff_mean, end.diff_mean);
    if dl * dh > 0.0 || (dl == 0.0 && dh == 0.0) {
        // The same sign at both ends (or, without a tie, a mean difference
        // of exactly zero at both: paths that cancel out).
        report.finding = Finding::NoCrossing;
        report.better_throughout = match dl.partial_cmp(&0.0) {
            Some(std::cmp::Ordering::Greater) => Some(report.a.clone()),
            Some(std::cmp::Ordering::Less) => Some(report.b.clone()),
            _ => None,
        };
        return Ok(());
    }
    // Orient so that h = o·D is >= 0 at the start and <= 0 at the end.
    let o = if dl > 0.0 || (dl == 0.0 && dh < 0.0) {
        1.0
    } else {
        -1.0
    };
    let h = |p: &Point| o * p.diff_mean;
    let lower = |p: &Point| o * p.diff_mean - Z95 * p.diff_mcse;
    let upper = |p: &Point| o * p.diff_mean + Z95 * p.diff_mcse;
    // h > 0 below the change of sides: A earns more below it when o = 1.
    report.a_better_above = Some(o < 0.0);

    // The break-even: h(left) >= 0 > h(right). A step that lands where the
    // strategies tie (its sign is rounding noise) has found where they
    // change sides: bisect for both ends of the tie. Tied at one value only,
    // the two are identical exactly at the break-even; tied over a stretch,
    // there is no single break-even.
    let (mut left, mut right) = (start, end);
    let mut at_tie = None;
    let mut steps = 0;
    while (right.x - left.x).abs() > tol && steps < MAX_STEPS {
        let mid = search.evaluate(0.5 * (left.x + right.x))?;
        if mid.ties {
            let (before, first) = bisect(left, mid, tol, |p| !p.ties, search)?;
            let (last, after) = bisect(mid, right, tol, |p| p.ties, search)?;
            report.ties.push(Tie {
                low: first.x,
                high: last.x,
            });
            if last.x - first.x > tol {
                report.finding = Finding::NoCrossing;
                return Ok(());
            }
            (left, right) = (before, after);
            at_tie = Some(0.5 * (first.x + last.x));
            break;
        }
        if h(&mid) >= 0.0 {
            left = mid;
        } else {
            right = mid;
        }
        steps += 1;
    }
    let crossing = at_tie.unwrap_or_else(|| interpolate(&left, &right, h));
    // Only the evaluations of this stretch bound the interval.
    let inside = |p: &&Point| start.x <= p.x && p.x <= end.x;

    // Low end of the interval: where h − 1.96 se stops being clear of 0.
    let from = search.points.clone();
    let (low_end, open_low) = match from
        .iter()
        .filter(inside)
        .filter(|p| p.x <= left.x && lower(p) > 0.0)
        .max_by(|p, q| p.x.total_cmp(&q.x))
    {
        None => (start.x, true),
        Some(&l) => {
            let r = *from
                .iter()
                .filter(inside)
                .filter(|p| p.x > l.x && lower(p) <= 0.0)
                .min_by(|p, q| p.x.total_cmp(&q.x))
                .unwrap_or(&right);
            let (l, r) = bisect(l, r, tol, |p| lower(p) > 0.0, search)?;
            (interpolate(&l, &r, lower), false)
        }
    };
    // High end: where h + 1.96 se becomes clearly below 0.
    let from = search.points.clone();
    let (high_end, open_high) = match from
        .iter()
        .filter(inside)
        .filter(|p| p.x >= right.x && upper(p) < 0.0)
        .min_by(|p, q| p.x.total_cmp(&q.x))
    {
        None => (end.x, true),
        Some(&r) => {
            let l = *from
                .iter()
                .filter(inside)
                .filter(|p| p.x < r.x && upper(p) >= 0.0)
                .max_by(|p, q| p.x.total_cmp(&q.x))
                .unwrap_or(&left);
            let (l, r) = bisect(l, r, tol, |p| upper(p) >= 0.0, search)?;
            (interpolate(&l, &r, upper), false)
        }
    };
    report.finding = Finding::Crosses;
    report.crossing = Some(crossing);
    report.interval = Some((low_end.min(crossing), high_end.max(crossing)));
    report.interval_open_low = open_low;
    report.interval_open_high = open_high;
    Ok(())
}

/// Evaluates the paired difference at values of the input, keeping every point.
struct Search<'a> {
    scenario: &'a Scenario,
    metric: Metric,
    param: &'a str,
    names: [&'a str; 2],
    budget: &'a Budget,
    progress: Progress<'a>,
    points: Vec<Point>,
}

impl Search<'_> {
    /// `D(x)` and its standard error: A and B with the input pinned at `x`.
    fn evaluate(&mut self, x: f64) -> Result<Point, AnalysisError> {
        let pinned = pin(self.scenario, self.param, x)?;
        let two = only_strategies(&pinned, &self.names)?;
        let summary = run(&two, self.budget, &[(0, 1)], self.progress)?;
        let d = match self.metric {
            Metric::Margin => summary.pairs[0].margin(),
            _ => summary.pairs[0].revenue(),
        };
        // Rounding is relative to the largest amounts compared.
        let scale = summary
            .strategies
            .iter()
            .flat_map(|s| [s.revenue.mean(), s.margin.mean()])
            .fold(0.0, |m: f64, v| m.max(v.abs()));
        let p = Point {
            x,
            diff_mean: d.mean(),
            diff_mcse: d.mcse(),
            diff_ci95: d.ci95(),
            ties: identical_on_every_path(d, scale),
        };
        self.points.push(p);
        Ok(p)
    }
}

/// Bisect between `left` (where `is_left` holds) and `right` (where it does
/// not) until they are `tol` apart or [`MAX_STEPS`] steps are done.
fn bisect(
    mut left: Point,
    mut right: Point,
    tol: f64,
    is_left: impl Fn(&Point) -> bool,
    search: &mut Search<'_>,
) -> Result<(Point, Point), AnalysisError> {
    let mut steps = 0;
    while (right.x - left.x).abs() > tol && steps < MAX_STEPS {
        let mid = search.evaluate(0.5 * (left.x + right.x))?;
        if is_left(&mid) {
            left = mid;
        } else {
            right = mid;
        }
        steps += 1;
    }
    Ok((left, right))
}

/// Where `f` crosses zero between two bracketing points, by linear
/// interpolation (the midpoint when `f` is equal at both).
fn interpolate(left: &Point, right: &Point, f: impl Fn(&Point) -> f64) -> f64 {
    let (fl, fr) = (f(left), f(right));
    if fl.is_finite() && fr.is_finite() && fl != fr {
        let t = (fl / (fl - fr)).clamp(0.0, 1.0);
        left.x + t * (right.x - left.x)
    } else {
        0.5 * (left.x + right.x)
    }
}

/// A value of the input with enough decimals to tell apart points
/// [`TOLERANCE`] of the range `width` apart.
fn precise(x: f64, width: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let decimals = (-(TOLERANCE * width).log10()).ceil().clamp(0.0, 12.0) as usize;
    if decimals == 0 && x.abs() >= 1e4 {
        return count(x);
    }
    format!("{x:.decimals$}")
}

/// A signed difference with its 95 % interval, in $M.
fn diff_words(p: &Point) -> String {
    format!(
        "{} $M (95 % interval {} to {})",
        signed_millions(p.diff_mean),
        signed_millions(p.diff_ci95.0),
        signed_millions(p.diff_ci95.1)
    )
}

/// Where two strategies tie, in words: "at X = 0", "for X up to 0.01",
/// "for X from 0.01 up", "for X from 0.01 to 0.02".
fn tie_words(r: &ThresholdReport, t: &Tie) -> String {
    let (lo, hi) = r.range;
    let param = &r.param;
    if t.high - t.low <= TOLERANCE * (hi - lo) {
        format!("at {param} = {}", short(t.low))
    } else if t.low == lo {
        format!("for {param} up to {}", short(t.high))
    } else if t.high == hi {
        format!("for {param} from {} up", short(t.low))
    } else {
        format!("for {param} from {} to {}", short(t.low), short(t.high))
    }
}

/// The stretches where the strategies tie, in words, joined by "and".
fn ties_words(r: &ThresholdReport, ties: &[&Tie]) -> String {
    ties.iter()
        .map(|t| tie_words(r, t))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn conclusion(r: &ThresholdReport) -> String {
    let (a, b, param) = (&r.a, &r.b, &r.param);
    let (lo, hi) = r.range;
    let same = format!("the same {} on every path, to rounding", r.metric);
    // A tie inside the range, across which the strategies change sides.
    let across = r.ties.iter().find(|t| t.low > lo && t.high < hi);
    let changes_sides = r.finding == Finding::NoCrossing && r.a_better_above.is_some();
    let at_ends: Vec<&Tie> = r
        .ties
        .iter()
        .filter(|t| !(changes_sides && Some(*t) == across))
        .collect();
    match r.finding {
        Finding::NoDifference => format!(
            "No crossing: `{a}` and `{b}` tie at both ends of {param} in [{}, {}] ({same}): this input does not separate them there.",
            short(lo),
            short(hi)
        ),
        Finding::NoCrossing if changes_sides => {
            let above = r.a_better_above == Some(true);
            let (winner_above, winner_below) = if above { (a, b) } else { (b, a) };
            let (t_low, t_high) = across.map_or((f64::NAN, f64::NAN), |t| (t.low, t.high));
            let mut text = format!(
                "No break-even: `{winner_below}` earns more when {param} is below {} and `{winner_above}` when it is above {}; in between they tie ({same}), so they change sides over that stretch, not at one value.",
                short(t_low),
                short(t_high)
            );
            if !at_ends.is_empty() {
                text += &format!(" They also tie {}.", ties_words(r, &at_ends));
            }
            text
        }
        Finding::NoCrossing if !r.ties.is_empty() => {
            // A tie at one end; where they differ, one earns more.
            let differs = if r.at_low.ties { &r.at_high } else { &r.at_low };
            let better = r.better_throughout.as_deref();
            let (winner, loser) = match better {
                Some(w) if w == b => (b, a),
                _ => (a, b),
            };
            let rest = if better.is_some() {
                format!(
                    "elsewhere `{winner}` earns more than `{loser}` (A − B is {} at {})",
                    diff_words(differs),
                    short(differs.x)
                )
            } else {
                format!(
                    "elsewhere the mean difference is zero (A − B is {} at {})",
                    diff_words(differs),
                    short(differs.x)
                )
            };
            format!(
                "No crossing: `{a}` and `{b}` tie {} ({same}), and {rest}.",
                ties_words(r, &at_ends)
            )
        }
        Finding::NoCrossing => {
            let Some(better) = r.better_throughout.as_deref() else {
                return format!(
                    "`{a}` and `{b}` do not cross for {param} in [{}, {}]: the mean difference A − B is zero at both ends, though they differ on some paths.",
                    short(lo),
                    short(hi)
                );
            };
            let worse = if better == a { b } else { a };
            let noisy = [r.at_low, r.at_high]
                .iter()
                .any(|p| p.diff_ci95.0 <= 0.0 && p.diff_ci95.1 >= 0.0);
            format!(
                "`{a}` and `{b}` do not cross for {param} in [{}, {}]: `{better}` earns more than `{worse}` at both ends (A − B is {} at {} and {} at {}){}.",
                short(lo),
                short(hi),
                diff_words(&r.at_low),
                short(lo),
                diff_words(&r.at_high),
                short(hi),
                if noisy {
                    ", though at one end the difference is within Monte Carlo error of zero"
                } else {
                    ""
                }
            )
        }
        Finding::Crosses => {
            let x = r.crossing.unwrap_or(f64::NAN);
            let (il, ih) = r.interval.unwrap_or((f64::NAN, f64::NAN));
            let above = r.a_better_above == Some(true);
            let (winner_above, winner_below) = if above { (a, b) } else { (b, a) };
            // With a tie at an end, the search stopped where the tie starts.
            let low_end = if r.ties.iter().any(|t| t.low == lo) {
                "where they start to tie"
            } else {
                "the low end of the range"
            };
            let high_end = if r.ties.iter().any(|t| t.high == hi) {
                "where they start to tie"
            } else {
                "the high end of the range"
            };
            let open = match (r.interval_open_low, r.interval_open_high) {
                (false, false) => String::new(),
                (true, false) => format!(", reaching {low_end}"),
                (false, true) => format!(", reaching {high_end}"),
                (true, true) if r.ties.is_empty() => {
                    ", spanning the whole range: more paths would sharpen it".into()
                }
                (true, true) => {
                    ", spanning the whole stretch searched: more paths would sharpen it".into()
                }
            };
            let mut text = format!(
                "`{winner_above}` beats `{winner_below}` when {param} is above {} (95 % interval {}–{}{open}); below it, `{winner_below}` earns more.",
                short(x),
                short(il),
                short(ih)
            );
            if !r.ties.is_empty() {
                text += &format!(
                    " They tie {} ({same}): neither earns more there.",
                    ties_words(r, &at_ends)
                );
            }
            text
        }
    }
}

impl Output for ThresholdReport {
    fn table(&self) -> String {
        let mut out = format!(
            "Scenario {}: break-even of {} (as written: {}) between `{}` (A) and `{}` (B), on the same {} paths per evaluation, seed {}.\n\
             Searched [{}, {}] ({}); {} evaluations. {} difference A − B in $M.\n\n",
            self.scenario,
            self.param,
            self.as_written,
            self.a,
            self.b,
            count(self.paths as f64),
            self.seed,
            short(self.range.0),
            short(self.range.1),
            self.range_source,
            self.runs,
            if self.metric == "margin" {
                "Margin (net of the costs of moves)"
            } else {
                "Revenue"
            },
        );
        out += &self.conclusion;
        out += "\n\n";
        // The range ends and the evaluations on either side of the
        // break-even and of each end of its interval; every evaluation is in
        // the CSV and JSON output.
        let ev = &self.evaluations;
        let x = |v: f64| precise(v, self.range.1 - self.range.0);
        let mut keep = vec![false; ev.len()];
        if let Some(k) = keep.first_mut() {
            *k = true;
        }
        if let Some(k) = keep.last_mut() {
            *k = true;
        }
        let mut marks: Vec<(f64, &str)> = Vec::new();
        if let (Some(x), Some((il, ih))) = (self.crossing, self.interval) {
            marks = vec![
                (il, "95 % interval, low end"),
                (x, "break-even (interpolated)"),
                (ih, "95 % interval, high end"),
            ];
            for &(t, _) in &marks {
                if let Some(i) = ev.iter().rposition(|p| p.x <= t) {
                    keep[i] = true;
                }
                if let Some(i) = ev.iter().position(|p| p.x >= t) {
                    keep[i] = true;
                }
            }
        }
        // Where a tie starts and stops: the last evaluation that differs and
        // the first that ties, on each side of the stretch.
        for t in &self.ties {
            if let Some(i) = ev.iter().position(|p| p.x >= t.low) {
                keep[i] = true;
                if i > 0 {
                    keep[i - 1] = true;
                }
            }
            if let Some(i) = ev.iter().rposition(|p| p.x <= t.high) {
                keep[i] = true;
                if i + 1 < ev.len() {
                    keep[i + 1] = true;
                }
            }
        }
        let mut rows: Vec<(f64, usize, Vec<String>)> = ev
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| {
                let end = p.x == self.range.0 || p.x == self.range.1;
                let mark = match (end, p.ties) {
                    (true, true) => "range end; tie",
                    (true, false) => "range end",
                    (false, true) => "tie",
                    (false, false) => "",
                };
                let row = vec![
                    x(p.x),
                    signed_millions(p.diff_mean),
                    format!(
                        "[{}, {}]",
                        signed_millions(p.diff_ci95.0),
                        signed_millions(p.diff_ci95.1)
                    ),
                    mark.to_string(),
                ];
                (p.x, 0, row)
            })
            .collect();
        for (k, (t, what)) in marks.iter().enumerate() {
            rows.push((
                *t,
                k + 1,
                vec![x(*t), String::new(), String::new(), what.to_string()],
            ));
        }
        rows.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
        let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.2).collect();
        out += &columns(&[&self.param, "A - B", "95% interval", ""], &rows);
        let shown = keep.iter().filter(|k| **k).count();
        if ev.len() > shown {
            out += &format!(
                "\n{} evaluations in all; --format csv or json lists every one.\n",
                ev.len()
            );
        }
        if self.finding == Finding::Crosses {
            out += "\nThe difference need not be monotone in the input: bisection finds one crossing between the ends, not every one.\n";
        }
        if !self.ties.is_empty() {
            out += "\ntie: A and B give the same result on every path (to rounding), so the sign of A - B there is noise; values between tied evaluations are taken to tie too.\n";
        }
        out
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "param",
            "x",
            "diff_mean",
            "diff_mcse",
            "diff_ci95_low",
            "diff_ci95_high",
            "finding",
            "crossing",
            "crossing_ci95_low",
            "crossing_ci95_high",
            "ties",
            "tie_stretches",
        ]
        .map(String::from)
        .to_vec();
        let finding = match self.finding {
            Finding::Crosses => "crosses",
            Finding::NoCrossing => "no_crossing",
            Finding::NoDifference => "no_difference",
        };
        let crossing = self.crossing.map_or(String::new(), csv_number);
        let (il, ih) = self
            .interval
            .map_or((String::new(), String::new()), |(l, h)| {
                (csv_number(l), csv_number(h))
            });
        // Every stretch where the strategies tie, as `low:high`, `;` between.
        let stretches = self
            .ties
            .iter()
            .map(|t| format!("{}:{}", csv_number(t.low), csv_number(t.high)))
            .collect::<Vec<_>>()
            .join(";");
        let rows = self
            .evaluations
            .iter()
            .map(|p| {
                vec![
                    self.param.clone(),
                    csv_number(p.x),
                    csv_number(p.diff_mean),
                    csv_number(p.diff_mcse),
                    csv_number(p.diff_ci95.0),
                    csv_number(p.diff_ci95.1),
                    finding.to_string(),
                    crossing.clone(),
                    il.clone(),
                    ih.clone(),
                    p.ties.to_string(),
                    stretches.clone(),
                ]
            })
            .collect();
        (header, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(x: f64, diff_mean: f64, ties: bool) -> Point {
        Point {
            x,
            diff_mean,
            diff_mcse: if ties { 0.0 } else { 1e4 },
            diff_ci95: (diff_mean - 2e4, diff_mean + 2e4),
            ties,
        }
    }

    fn report(finding: Finding, ties: Vec<Tie>, evaluations: Vec<Point>) -> ThresholdReport {
        ThresholdReport {
            scenario: "s".into(),
            param: "p.x".into(),
            as_written: "0.5".into(),
            a: "a".into(),
            b: "b".into(),
            metric: "revenue".into(),
            seed: 1,
            paths: 100,
            runs: evaluations.len(),
            range: (0.0, 1.0),
            range_source: "--range".into(),
            finding,
            crossing: None,
            interval: None,
            interval_open_low: false,
            interval_open_high: false,
            a_better_above: None,
            better_throughout: None,
            ties,
            at_low: evaluations[0],
            at_high: *evaluations.last().unwrap(),
            evaluations,
            conclusion: String::new(),
        }
    }

    #[test]
    fn changing_sides_across_a_stretch_of_ties_gives_no_break_even() {
        let mut r = report(
            Finding::NoCrossing,
            vec![Tie {
                low: 0.4,
                high: 0.6,
            }],
            vec![
                point(0.0, 2e6, false),
                point(0.3999, 1e3, false),
                point(0.4, 1e-11, true),
                point(0.6, -1e-11, true),
                point(0.6001, -1e3, false),
                point(1.0, -2e6, false),
            ],
        );
        r.a_better_above = Some(false);
        let text = conclusion(&r);
        assert_eq!(
            text,
            "No break-even: `a` earns more when p.x is below 0.4 and `b` when it is above 0.6; \
             in between they tie (the same revenue on every path, to rounding), so they change \
             sides over that stretch, not at one value."
        );
        r.conclusion = text;
        let table = r.table();
        assert_eq!(table.matches("  tie").count(), 2, "{table}");
        assert!(!table.contains("break-even (interpolated)"), "{table}");
        let (header, rows) = r.csv();
        let at = header.iter().position(|h| h == "tie_stretches").unwrap();
        assert_eq!(rows[0][at], "0.4:0.6");
    }

    #[test]
    fn a_tie_at_one_end_names_the_strategy_ahead_elsewhere() {
        let mut r = report(
            Finding::NoCrossing,
            vec![Tie {
                low: 0.0,
                high: 0.25,
            }],
            vec![
                point(0.0, 0.0, true),
                point(0.25, 0.0, true),
                point(0.2501, -5e3, false),
                point(1.0, -3e6, false),
            ],
        );
        r.better_throughout = Some("b".into());
        let text = conclusion(&r);
        assert!(
            text.starts_with(
                "No crossing: `a` and `b` tie for p.x up to 0.25 (the same revenue on every \
                 path, to rounding), and elsewhere `b` earns more than `a`"
            ),
            "{text}"
        );
        assert!(!text.contains("below it"), "{text}");
    }
}
