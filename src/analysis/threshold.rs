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
//! is never clear of zero up to an end of the range, the interval stops at
//! that end and is marked open.
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

use crate::report::table::{columns, count, signed_millions};
use crate::report::{Output, csv_number};
use crate::scenario::{Dist, Override, Scenario, ScenarioError};

use super::tornado::{Metric, clamp_to_valid, pin, short};
use super::{AnalysisError, Budget, Progress, only_strategies, run, strategy_index};

/// 1.96: the two-sided 95 % normal quantile.
const Z95: f64 = 1.959963984540054;

/// Bisection stops when its bracket is this share of the range wide.
const TOLERANCE: f64 = 1e-4;

/// Bisection steps at most, per root.
const MAX_STEPS: usize = 20;

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
/// bisection steps for the break-even and 14 for each bound of its interval
/// (`⌈log2(1 / 1e-4)⌉ = 14`); fewer when earlier evaluations bracket a bound.
/// Each run has `budget.paths` paths of two strategies, so a progress bar
/// spans at most `planned_runs() × budget.paths` paths.
pub fn planned_runs() -> usize {
    2 + 3 * steps_needed()
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
}

/// What the search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The difference changes sign inside the range: a break-even was found.
    Crosses,
    /// The difference has the same sign at both ends: no crossing was found.
    NoCrossing,
    /// The difference is exactly zero at both ends: the strategies tie there.
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
    /// The interval's low end is the end of the range (the difference is not
    /// clear of zero anywhere below the crossing).
    pub interval_open_low: bool,
    /// The interval's high end is the end of the range.
    pub interval_open_high: bool,
    /// With a crossing: whether A earns more above it (`true`) or below it.
    pub a_better_above: Option<bool>,
    /// Without a crossing: the strategy that earns more at both ends.
    pub better_throughout: Option<String>,
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
        at_low,
        at_high,
        evaluations: Vec::new(),
        conclusion: String::new(),
    };

    let (dl, dh) = (at_low.diff_mean, at_high.diff_mean);
    if dl == 0.0 && dh == 0.0 {
        report.finding = Finding::NoDifference;
    } else if dl * dh > 0.0 {
        report.finding = Finding::NoCrossing;
        report.better_throughout = Some(if dl > 0.0 { a } else { b }.to_string());
    } else {
        report.finding = Finding::Crosses;
        // Orient so that h = o·D is >= 0 at the low end and <= 0 at the high end.
        let o = if dl > 0.0 || (dl == 0.0 && dh < 0.0) {
            1.0
        } else {
            -1.0
        };
        let h = |p: &Point| o * p.diff_mean;
        let lower = |p: &Point| o * p.diff_mean - Z95 * p.diff_mcse;
        let upper = |p: &Point| o * p.diff_mean + Z95 * p.diff_mcse;

        // The break-even: h(left) >= 0 > h(right).
        let (left, right) = bisect(at_low, at_high, tol, |p| h(p) >= 0.0, &mut search)?;
        let crossing = interpolate(&left, &right, h);

        // Low end of the interval: where h − 1.96 se stops being clear of 0.
        let from = search.points.clone();
        let (low_end, open_low) = match from
            .iter()
            .filter(|p| p.x <= left.x && lower(p) > 0.0)
            .max_by(|p, q| p.x.total_cmp(&q.x))
        {
            None => (lo, true),
            Some(&l) => {
                let r = *from
                    .iter()
                    .filter(|p| p.x > l.x && lower(p) <= 0.0)
                    .min_by(|p, q| p.x.total_cmp(&q.x))
                    .unwrap_or(&right);
                let (l, r) = bisect(l, r, tol, |p| lower(p) > 0.0, &mut search)?;
                (interpolate(&l, &r, lower), false)
            }
        };
        // High end: where h + 1.96 se becomes clearly below 0.
        let from = search.points.clone();
        let (high_end, open_high) = match from
            .iter()
            .filter(|p| p.x >= right.x && upper(p) < 0.0)
            .min_by(|p, q| p.x.total_cmp(&q.x))
        {
            None => (hi, true),
            Some(&r) => {
                let l = *from
                    .iter()
                    .filter(|p| p.x < r.x && upper(p) >= 0.0)
                    .max_by(|p, q| p.x.total_cmp(&q.x))
                    .unwrap_or(&left);
                let (l, r) = bisect(l, r, tol, |p| upper(p) >= 0.0, &mut search)?;
                (interpolate(&l, &r, upper), false)
            }
        };
        report.crossing = Some(crossing);
        report.interval = Some((low_end.min(crossing), high_end.max(crossing)));
        report.interval_open_low = open_low;
        report.interval_open_high = open_high;
        // h > 0 below the crossing: A earns more below it when o = 1.
        report.a_better_above = Some(o < 0.0);
    }
    let mut evaluations = search.points;
    evaluations.sort_by(|p, q| p.x.total_cmp(&q.x));
    report.runs = evaluations.len();
    report.evaluations = evaluations;
    report.conclusion = conclusion(&report);
    Ok(report)
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
            Metric::Margin => &summary.pairs[0].margin,
            _ => &summary.pairs[0].revenue,
        };
        let p = Point {
            x,
            diff_mean: d.mean(),
            diff_mcse: d.mcse(),
            diff_ci95: d.ci95(),
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

fn conclusion(r: &ThresholdReport) -> String {
    let (a, b, param) = (&r.a, &r.b, &r.param);
    let (lo, hi) = r.range;
    match r.finding {
        Finding::NoDifference => format!(
            "`{a}` and `{b}` earn exactly the same at both ends of {param} in [{}, {}]: this input does not separate them there.",
            short(lo),
            short(hi)
        ),
        Finding::NoCrossing => {
            let better = r.better_throughout.as_deref().unwrap_or(a);
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
            let open = match (r.interval_open_low, r.interval_open_high) {
                (false, false) => String::new(),
                (true, false) => ", reaching the low end of the range".into(),
                (false, true) => ", reaching the high end of the range".into(),
                (true, true) => ", spanning the whole range: more paths would sharpen it".into(),
            };
            format!(
                "`{winner_above}` beats `{winner_below}` when {param} is above {} (95 % interval {}–{}{open}); below it, `{winner_below}` earns more.",
                short(x),
                short(il),
                short(ih)
            )
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
        let mut rows: Vec<(f64, usize, Vec<String>)> = ev
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| {
                let mark = if p.x == self.range.0 || p.x == self.range.1 {
                    "range end"
                } else {
                    ""
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
                ]
            })
            .collect();
        (header, rows)
    }
}
