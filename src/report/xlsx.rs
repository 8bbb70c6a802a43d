//! The Excel workbook of `impasse report --xlsx FILE`: every number of a
//! board report ([`BoardData`]) as a real number in a cell, with a number
//! format, so a CFO can sort, filter, chart and build on it.
//!
//! The workbook is written with [`rust_xlsxwriter`]: a well-kept, pure-Rust
//! writer of genuine `.xlsx` files (typed numeric cells, number formats,
//! frozen panes, autofilters) that writes to memory and needs no C library.
//! Numbers are written with Rust's shortest round-trip formatting, so a cell
//! read back holds exactly the `f64` of the report.
//!
//! Sheets, in order:
//!
//! - `Summary`: the scenario, seed, paths, version and the command that
//!   reproduces the report; the recommended strategy and the key findings as
//!   label/value rows; then one row per strategy, best first, with every
//!   per-strategy number of the [`RunReport`](crate::report::RunReport).
//! - `Comparisons`: each strategy against the baseline on the same paths,
//!   then the recommended strategy against the baseline and against the
//!   runner-up on every metric.
//! - `Tornado`: the inputs that move the difference between the recommended
//!   strategy and the runner-up, and the break-even of the most important one.
//! - `Timing`: expected revenue by week of escalation, and on impasse.
//! - `Assumptions`: every input of the scenario with its note or source.
//! - `Distribution`: the 1st to 99th percentiles of each strategy's revenue.
//!
//! Every table has a bold header row and an autofilter; each sheet freezes
//! its header row and first column (the Summary only its first column, the
//! strategy names, since its table sits below the findings).
//!
//! Money is in dollars (`$#,##0`), probabilities as `0.0%`, uplifts as
//! `0.00%` and counts as `#,##0`. A number that no path qualified for (NaN)
//! is an empty cell. A sheet whose analysis was not run holds one line
//! saying why.

use rust_xlsxwriter::{DocProperties, Format, FormatBorder, Workbook, Worksheet};

use crate::analysis::board::BoardData;
use crate::analysis::compare::{CompareReport, MetricComparison, Stop};
use crate::analysis::threshold::{Finding, Point, ThresholdReport};
use crate::analysis::timing::{Move, TimingReport, WeekPoint};
use crate::analysis::tornado::{Bar, InputKind, TornadoReport};
use crate::report::{ComparisonReport, StrategyReport};

/// Excel number format of money, in whole dollars.
pub const DOLLARS_FORMAT: &str = "$#,##0";
/// Excel number format of probabilities.
pub const PERCENT_FORMAT: &str = "0.0%";
/// Excel number format of rate uplifts.
pub const UPLIFT_FORMAT: &str = "0.00%";
/// Excel number format of counts (paths, patient-weeks, patients).
pub const COUNT_FORMAT: &str = "#,##0";
/// Excel number format of week numbers and durations in weeks.
pub const WEEKS_FORMAT: &str = "0.0";

/// The sheet names, in workbook order.
pub const SHEETS: [&str; 6] = [
    "Summary",
    "Comparisons",
    "Tornado",
    "Timing",
    "Assumptions",
    "Distribution",
];

/// The `.xlsx` bytes of the board report `data` (the caller writes them,
/// e.g. with [`crate::report::write_atomic`]).
pub fn workbook(data: &BoardData) -> anyhow::Result<Vec<u8>> {
    let formats = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("impasse board report: {}", data.scenario))
            .set_comment(format!("Reproduce with: {}", data.command)),
    );
    summary(&mut Sheet::new(&mut wb, SHEETS[0], &formats)?, data)?;
    comparisons(&mut Sheet::new(&mut wb, SHEETS[1], &formats)?, data)?;
    tornado(&mut Sheet::new(&mut wb, SHEETS[2], &formats)?, data)?;
    timing(&mut Sheet::new(&mut wb, SHEETS[3], &formats)?, data)?;
    assumptions(&mut Sheet::new(&mut wb, SHEETS[4], &formats)?, data)?;
    distribution(&mut Sheet::new(&mut wb, SHEETS[5], &formats)?, data)?;
    Ok(wb.save_to_buffer()?)
}

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Dollars,
    Percent,
    Uplift,
    Count,
    Weeks,
    /// Whole numbers without separators (seeds, weeks, ranks).
    Integer,
    /// Excel's `General`: inputs of any unit.
    General,
}

/// What goes in a cell.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Num(f64, Style),
    /// Text that sizes its column.
    Text(String),
    /// Text that may overflow into the empty cells on its right (does not
    /// size its column).
    Long(String),
    /// `yes`, `no`, or empty.
    Flag(Option<bool>),
}

fn dollars(x: f64) -> Value {
    Value::Num(x, Style::Dollars)
}

fn percent(x: f64) -> Value {
    Value::Num(x, Style::Percent)
}

fn count(x: f64) -> Value {
    Value::Num(x, Style::Count)
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn flag(b: bool) -> Value {
    Value::Flag(Some(b))
}

/// A `u64` as a number when Excel holds it exactly, as text otherwise.
fn whole(n: u64, style: Style) -> Value {
    if n < (1u64 << 53) {
        Value::Num(n as f64, style)
    } else {
        Value::Text(n.to_string())
    }
}

/// The style of a [`MetricComparison`] from its unit.
fn unit_style(unit: &str) -> Style {
    match unit {
        "$" => Style::Dollars,
        "probability" => Style::Percent,
        "patient-weeks" | "patients" => Style::Count,
        _ => Style::General,
    }
}

struct Formats {
    title: Format,
    header: Format,
    dollars: Format,
    percent: Format,
    uplift: Format,
    count: Format,
    weeks: Format,
    integer: Format,
    general: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            dollars: Format::new().set_num_format(DOLLARS_FORMAT),
            percent: Format::new().set_num_format(PERCENT_FORMAT),
            uplift: Format::new().set_num_format(UPLIFT_FORMAT),
            count: Format::new().set_num_format(COUNT_FORMAT),
            weeks: Format::new().set_num_format(WEEKS_FORMAT),
            integer: Format::new().set_num_format("0"),
            general: Format::new(),
        }
    }

    fn of(&self, style: Style) -> &Format {
        match style {
            Style::Dollars => &self.dollars,
            Style::Percent => &self.percent,
            Style::Uplift => &self.uplift,
            Style::Count => &self.count,
            Style::Weeks => &self.weeks,
            Style::Integer => &self.integer,
            Style::General => &self.general,
        }
    }
}

/// Approximate display width of a number in its format, in characters.
fn number_width(x: f64, style: Style) -> usize {
    let sign = usize::from(x < 0.0);
    let digits = |v: f64| {
        let v = v.abs().round();
        if v < 1.0 {
            1
        } else {
            v.log10().floor() as usize + 1
        }
    };
    match style {
        Style::Dollars | Style::Count => {
            let d = digits(x);
            sign + d + (d - 1) / 3 + usize::from(style == Style::Dollars)
        }
        Style::Percent => sign + digits(x * 100.0) + 3,
        Style::Uplift => sign + digits(x * 100.0) + 4,
        Style::Weeks => sign + digits(x) + 2,
        Style::Integer => sign + digits(x),
        Style::General => format!("{x}").len().min(11),
    }
}

/// One column of a table: its header and how to get its cell from a row.
struct Column<'a, T> {
    header: String,
    value: Box<dyn Fn(&T) -> Value + 'a>,
}

fn col<'a, T>(header: impl Into<String>, value: impl Fn(&T) -> Value + 'a) -> Column<'a, T> {
    Column {
        header: header.into(),
        value: Box::new(value),
    }
}

/// A worksheet being written: tracks the width each column needs.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    formats: &'a Formats,
    widths: Vec<usize>,
}

impl<'a> Sheet<'a> {
    fn new(wb: &'a mut Workbook, name: &str, formats: &'a Formats) -> anyhow::Result<Self> {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            formats,
            widths: Vec::new(),
        })
    }

    fn need(&mut self, col: u16, width: usize) {
        let c = usize::from(col);
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(width);
    }

    /// Write one cell; a non-finite number leaves it empty.
    fn cell(&mut self, row: u32, col: u16, value: &Value) -> anyhow::Result<()> {
        match value {
            Value::Num(x, style) => {
                if x.is_finite() {
                    self.ws
                        .write_number_with_format(row, col, *x, self.formats.of(*style))?;
                    self.need(col, number_width(*x, *style));
                }
            }
            Value::Text(s) => {
                self.ws.write_string(row, col, s)?;
                self.need(col, s.chars().count());
            }
            Value::Long(s) => {
                self.ws.write_string(row, col, s)?;
            }
            Value::Flag(Some(b)) => {
                self.ws
                    .write_string(row, col, if *b { "yes" } else { "no" })?;
                self.need(col, 3);
            }
            Value::Flag(None) => {}
        }
        Ok(())
    }

    /// A bold line of text in the first column (does not size it).
    fn title(&mut self, row: u32, s: &str) -> anyhow::Result<()> {
        self.ws
            .write_string_with_format(row, 0, s, &self.formats.title)?;
        Ok(())
    }

    /// A plain line of text in the first column (does not size it).
    fn note(&mut self, row: u32, s: &str) -> anyhow::Result<()> {
        self.ws.write_string(row, 0, s)?;
        Ok(())
    }

    /// A label in the first column and its value in the second.
    fn pair(&mut self, row: u32, label: &str, value: Value) -> anyhow::Result<()> {
        self.cell(row, 0, &text(label))?;
        self.cell(row, 1, &value)
    }

    /// Label/value rows from `row` on; returns the next free row.
    fn pairs(&mut self, row: u32, rows: Vec<(&str, Value)>) -> anyhow::Result<u32> {
        let mut r = row;
        for (label, value) in rows {
            self.pair(r, label, value)?;
            r += 1;
        }
        Ok(r)
    }

    /// A bold header row.
    fn header(&mut self, row: u32, headers: &[String]) -> anyhow::Result<()> {
        for (c, h) in headers.iter().enumerate() {
            let c = u16::try_from(c)?;
            self.ws
                .write_string_with_format(row, c, h, &self.formats.header)?;
            self.need(c, h.chars().count());
        }
        Ok(())
    }

    /// A table with its header at `row`; returns the row of its last line
    /// (the header's when there are no items).
    fn table<T>(
        &mut self,
        row: u32,
        columns: &[Column<'_, T>],
        items: &[&T],
    ) -> anyhow::Result<u32> {
        let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
        self.header(row, &headers)?;
        let mut r = row;
        for item in items {
            r += 1;
            for (c, column) in columns.iter().enumerate() {
                self.cell(r, u16::try_from(c)?, &(column.value)(item))?;
            }
        }
        Ok(r)
    }

    /// Frozen panes below `header_row` and right of the first column, and an
    /// autofilter on the table from `header_row` to `last_row`.
    fn freeze_and_filter(
        &mut self,
        header_row: u32,
        last_row: u32,
        columns: usize,
    ) -> anyhow::Result<()> {
        self.ws.set_freeze_panes(header_row + 1, 1)?;
        self.filter(header_row, last_row, columns)
    }

    /// An autofilter on the table from `header_row` to `last_row`.
    fn filter(&mut self, header_row: u32, last_row: u32, columns: usize) -> anyhow::Result<()> {
        let last_col = u16::try_from(columns.max(1) - 1)?;
        self.ws.autofilter(header_row, 0, last_row, last_col)?;
        Ok(())
    }
}

impl Drop for Sheet<'_> {
    fn drop(&mut self) {
        for (c, w) in self.widths.iter().enumerate() {
            if *w == 0 {
                continue;
            }
            // Room for the autofilter button; never absurdly narrow or wide.
            let width = (*w + 3).clamp(8, 60) as f64;
            if let Ok(c) = u16::try_from(c) {
                let _ = self.ws.set_column_width(c, width);
            }
        }
    }
}

/// The strategies in ranking order (best first).
fn ranked(data: &BoardData) -> Vec<&StrategyReport> {
    data.ranking
        .iter()
        .filter_map(|name| data.run.strategies.iter().find(|s| &s.name == name))
        .collect()
}

/// The main run's comparison of `name` with the baseline.
fn against_baseline<'d>(data: &'d BoardData, name: &str) -> Option<&'d ComparisonReport> {
    data.run.comparisons.iter().find(|c| c.strategy == name)
}

/// The columns of the strategy table, every per-strategy number of the run.
fn strategy_columns<'a>(data: &'a BoardData) -> Vec<Column<'a, StrategyReport>> {
    let rank = move |s: &StrategyReport| {
        data.ranking
            .iter()
            .position(|n| n == &s.name)
            .map_or(Value::Flag(None), |i| whole(i as u64 + 1, Style::Integer))
    };
    vec![
        col("Strategy", |s: &StrategyReport| text(&s.name)),
        col("Revenue mean ($)", |s: &StrategyReport| {
            dollars(s.revenue.mean)
        }),
        col("Revenue mcse ($)", |s: &StrategyReport| {
            dollars(s.revenue.mcse)
        }),
        col("Revenue P5 ($)", |s: &StrategyReport| dollars(s.revenue.p5)),
        col("Revenue P50 ($)", |s: &StrategyReport| {
            dollars(s.revenue.p50)
        }),
        col("Revenue P95 ($)", |s: &StrategyReport| {
            dollars(s.revenue.p95)
        }),
        col("Revenue CVaR5 ($)", |s: &StrategyReport| {
            dollars(s.revenue.cvar5)
        }),
        col("Margin mean ($)", |s: &StrategyReport| {
            dollars(s.margin.mean)
        }),
        col("Margin mcse ($)", |s: &StrategyReport| {
            dollars(s.margin.mcse)
        }),
        col("Margin P5 ($)", |s: &StrategyReport| dollars(s.margin.p5)),
        col("Margin P50 ($)", |s: &StrategyReport| dollars(s.margin.p50)),
        col("Margin P95 ($)", |s: &StrategyReport| dollars(s.margin.p95)),
        col("Margin CVaR5 ($)", |s: &StrategyReport| {
            dollars(s.margin.cvar5)
        }),
        col("Uplift per year", |s: &StrategyReport| {
            Value::Num(s.uplift.mean, Style::Uplift)
        }),
        col("P(deal before expiry)", |s: &StrategyReport| {
            percent(s.p_deal_before_expiry)
        }),
        col(
            "Uplift per year if deal before expiry",
            |s: &StrategyReport| Value::Num(s.uplift_if_deal_before_expiry.mean, Style::Uplift),
        ),
        col("Deal week if deal before expiry", |s: &StrategyReport| {
            Value::Num(s.deal_week_if_deal_before_expiry.mean, Style::Weeks)
        }),
        col("P(out of network)", |s: &StrategyReport| {
            percent(s.p_out_of_network)
        }),
        col("Weeks out of network if OON", |s: &StrategyReport| {
            Value::Num(s.oon_weeks_if_oon.mean, Style::Weeks)
        }),
        col("Patient-weeks out of network", |s: &StrategyReport| {
            count(s.patient_weeks_out_of_network.mean)
        }),
        col("Patients switched", |s: &StrategyReport| {
            count(s.patients_switched.mean)
        }),
        col("P(bluff called)", |s: &StrategyReport| {
            percent(s.p_bluff_called)
        }),
        col("P(executives engaged)", |s: &StrategyReport| {
            percent(s.p_executives_engaged)
        }),
        col("P(impasse)", |s: &StrategyReport| percent(s.p_impasse)),
        col("Non-rate value ($/year)", |s: &StrategyReport| {
            dollars(s.nonrate_value.mean)
        }),
        col("Rank", rank),
        col("Description", |s: &StrategyReport| {
            Value::Long(s.description.clone())
        }),
    ]
}

fn summary(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    let run = &data.run;
    sheet.title(0, &format!("impasse board report: {}", data.scenario))?;
    let mut row = sheet.pairs(
        1,
        vec![
            ("Scenario", text(&data.scenario)),
            ("Description", Value::Long(data.description.clone())),
            ("Seed", whole(run.seed, Style::Integer)),
            ("Paths", whole(run.paths, Style::Count)),
            (
                "Horizon (weeks after expiry)",
                whole(u64::from(run.horizon_weeks), Style::Integer),
            ),
            ("impasse version", text(&run.version)),
            ("Reproduce with", Value::Long(data.command.clone())),
            (
                "Units",
                Value::Long(format!(
                    "Net present revenue and margin from this payer over {} weeks after expiry, in dollars; quantiles within {} relative error.",
                    run.horizon_weeks, run.quantile_relative_error
                )),
            ),
        ],
    )?;

    row += 1;
    sheet.title(row, "Key findings")?;
    row += 1;
    let mut findings = vec![
        ("Recommended strategy", text(&data.recommended)),
        ("Baseline", text(&data.baseline)),
    ];
    match against_baseline(data, &data.recommended) {
        Some(c) => findings.extend([
            ("Gain over baseline, mean ($)", dollars(c.revenue_diff.mean)),
            (
                "Gain over baseline, 95 % low ($)",
                dollars(c.revenue_diff.ci95.0),
            ),
            (
                "Gain over baseline, 95 % high ($)",
                dollars(c.revenue_diff.ci95.1),
            ),
            ("P(earns more than baseline)", percent(c.p_better)),
            ("P(earns less than baseline)", percent(c.p_worse)),
        ]),
        None => findings.push((
            "Gain over baseline",
            Value::Long("none: the recommended strategy is the baseline".into()),
        )),
    }
    match (&data.runner_up, &data.versus_runner_up) {
        (Some(r), Some(v)) => {
            findings.push(("Runner-up", text(r)));
            if let Some(m) = v.metrics.iter().find(|m| m.metric == "revenue") {
                findings.extend([
                    ("Gain over runner-up, mean ($)", dollars(m.diff_mean)),
                    ("Gain over runner-up, 95 % low ($)", dollars(m.diff_ci95.0)),
                    ("Gain over runner-up, 95 % high ($)", dollars(m.diff_ci95.1)),
                ]);
            }
            findings.extend([
                ("P(earns more than runner-up)", percent(v.p_a_better)),
                ("Runner-up comparison paths", whole(v.paths, Style::Count)),
            ]);
        }
        (Some(r), None) => findings.push(("Runner-up", text(r))),
        (None, _) => findings.push(("Runner-up", text("none (only one strategy)"))),
    }
    if let Some(s) = run.strategies.iter().find(|s| s.name == data.recommended) {
        findings.extend([
            ("P(out of network)", percent(s.p_out_of_network)),
            (
                "Patient-weeks out of network",
                count(s.patient_weeks_out_of_network.mean),
            ),
        ]);
    }
    if let Some(c) = against_baseline(data, &data.recommended) {
        findings.push((
            "Patient-weeks vs baseline",
            count(c.patient_weeks_diff.mean),
        ));
    }
    row = sheet.pairs(row, findings)?;

    row += 1;
    sheet.title(
        row,
        "Strategies, best first (by mean net present revenue); empty cell: no path qualified",
    )?;
    let header_row = row + 1;
    let columns = strategy_columns(data);
    let last = sheet.table(header_row, &columns, &ranked(data))?;
    // Only the first column (labels, strategy names) is frozen: freezing the
    // ~30 rows above the table's header would leave a laptop screen no room
    // to scroll, and the table is short enough to show with its header.
    sheet.ws.set_freeze_panes(0, 1)?;
    sheet.filter(header_row, last, columns.len())
}

fn comparison_columns<'a>() -> Vec<Column<'a, ComparisonReport>> {
    vec![
        col("Strategy", |c: &ComparisonReport| text(&c.strategy)),
        col("Baseline", |c: &ComparisonReport| text(&c.baseline)),
        col("Revenue diff mean ($)", |c: &ComparisonReport| {
            dollars(c.revenue_diff.mean)
        }),
        col("Revenue diff mcse ($)", |c: &ComparisonReport| {
            dollars(c.revenue_diff.mcse)
        }),
        col("Revenue diff 95 % low ($)", |c: &ComparisonReport| {
            dollars(c.revenue_diff.ci95.0)
        }),
        col("Revenue diff 95 % high ($)", |c: &ComparisonReport| {
            dollars(c.revenue_diff.ci95.1)
        }),
        col("Margin diff mean ($)", |c: &ComparisonReport| {
            dollars(c.margin_diff.mean)
        }),
        col("Margin diff mcse ($)", |c: &ComparisonReport| {
            dollars(c.margin_diff.mcse)
        }),
        col("Margin diff 95 % low ($)", |c: &ComparisonReport| {
            dollars(c.margin_diff.ci95.0)
        }),
        col("Margin diff 95 % high ($)", |c: &ComparisonReport| {
            dollars(c.margin_diff.ci95.1)
        }),
        col("Patient-weeks diff mean", |c: &ComparisonReport| {
            count(c.patient_weeks_diff.mean)
        }),
        col("Patient-weeks diff mcse", |c: &ComparisonReport| {
            count(c.patient_weeks_diff.mcse)
        }),
        col("Patient-weeks diff 95 % low", |c: &ComparisonReport| {
            count(c.patient_weeks_diff.ci95.0)
        }),
        col("Patient-weeks diff 95 % high", |c: &ComparisonReport| {
            count(c.patient_weeks_diff.ci95.1)
        }),
        col("P(better)", |c: &ComparisonReport| percent(c.p_better)),
        col("P(worse)", |c: &ComparisonReport| percent(c.p_worse)),
    ]
}

fn comparisons(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    let mut row = if data.run.comparisons.is_empty() {
        sheet.note(
            0,
            "Only one strategy: nothing to compare with the baseline.",
        )?;
        1
    } else {
        // Ranking order, then any the ranking does not name.
        let mut items: Vec<&ComparisonReport> = data
            .ranking
            .iter()
            .filter_map(|n| against_baseline(data, n))
            .collect();
        for c in &data.run.comparisons {
            if !items.iter().any(|i| std::ptr::eq(*i, c)) {
                items.push(c);
            }
        }
        let columns = comparison_columns();
        let last = sheet.table(0, &columns, &items)?;
        sheet.freeze_and_filter(0, last, columns.len())?;
        last + 1
    };

    row += 1;
    match &data.versus_baseline {
        Some(c) => {
            row = compare_report(
                sheet,
                row,
                &format!(
                    "Recommended ({}) against the baseline ({}), every metric",
                    c.a, c.b
                ),
                c,
            )?
        }
        None => {
            sheet.note(
                row,
                &format!(
                    "The recommended strategy ({}) is the baseline: no recommended-vs-baseline comparison.",
                    data.recommended
                ),
            )?;
            row += 1;
        }
    }

    row += 1;
    match &data.versus_runner_up {
        Some(c) => {
            compare_report(
                sheet,
                row,
                &format!(
                    "Recommended ({}) against the runner-up ({}), every metric",
                    c.a, c.b
                ),
                c,
            )?;
        }
        None => sheet.note(row, "Only one strategy: no runner-up to compare with.")?,
    }
    Ok(())
}

/// A [`CompareReport`] from `row` on; returns the next free row.
fn compare_report(
    sheet: &mut Sheet<'_>,
    row: u32,
    title: &str,
    c: &CompareReport,
) -> anyhow::Result<u32> {
    sheet.title(row, title)?;
    let style = |m: &MetricComparison| unit_style(&m.unit);
    let columns: Vec<Column<'_, MetricComparison>> = vec![
        col("Metric", |m: &MetricComparison| text(&m.metric)),
        col("Unit", |m: &MetricComparison| text(&m.unit)),
        col(format!("Mean A: {}", c.a), move |m: &MetricComparison| {
            Value::Num(m.mean_a, style(m))
        }),
        col(format!("Mean B: {}", c.b), move |m: &MetricComparison| {
            Value::Num(m.mean_b, style(m))
        }),
        col("Difference A − B", move |m: &MetricComparison| {
            Value::Num(m.diff_mean, style(m))
        }),
        col("Difference mcse", move |m: &MetricComparison| {
            Value::Num(m.diff_mcse, style(m))
        }),
        col("Difference 95 % low", move |m: &MetricComparison| {
            Value::Num(m.diff_ci95.0, style(m))
        }),
        col("Difference 95 % high", move |m: &MetricComparison| {
            Value::Num(m.diff_ci95.1, style(m))
        }),
    ];
    let items: Vec<&MetricComparison> = c.metrics.iter().collect();
    let last = sheet.table(row + 1, &columns, &items)?;
    let stop = match c.stop {
        Stop::FixedPaths => "the paths asked for were run",
        Stop::PrecisionReached => "the precision target was reached",
        Stop::MaxPathsReached => "the path limit was reached before the precision target",
    };
    sheet.pairs(
        last + 1,
        vec![
            ("P(A earns more than B)", percent(c.p_a_better)),
            ("P(B earns more than A)", percent(c.p_b_better)),
            ("Expected regret choosing A ($)", dollars(c.regret_a)),
            ("Expected regret choosing B ($)", dollars(c.regret_b)),
            ("Paths", whole(c.paths, Style::Count)),
            ("Seed", whole(c.seed, Style::Integer)),
            ("Stopped because", Value::Long(stop.into())),
        ],
    )
}

fn tornado(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    let Some(t) = &data.tornado else {
        sheet.note(0, "Only one strategy: no tornado.")?;
        sheet.note(2, "Only one strategy: no break-even (threshold) search.")?;
        return Ok(());
    };
    let row = tornado_bars(sheet, t)?;
    threshold_section(sheet, row + 1, t, data.threshold.as_ref())
}

/// The tornado; returns the next free row.
fn tornado_bars(sheet: &mut Sheet<'_>, t: &TornadoReport) -> anyhow::Result<u32> {
    let what = if t.is_diff() {
        format!(
            "{} difference {}",
            t.metric.name(),
            t.strategies.join(" − ")
        )
    } else {
        format!("{} of {}", t.metric.name(), t.strategies.join(", "))
    };
    sheet.title(
        0,
        &format!(
            "Tornado of the {what}: each input pinned low and high ({} paths per run, seed {})",
            t.paths, t.seed
        ),
    )?;
    let style = if t.metric.is_money() {
        Style::Dollars
    } else {
        Style::Count
    };
    let unit = if t.metric.is_money() { " ($)" } else { "" };
    sheet.pairs(
        1,
        vec![
            (
                "Base value (scenario as written)",
                Value::Num(t.base, style),
            ),
            ("Base value mcse", Value::Num(t.base_mcse, style)),
        ],
    )?;
    let kind = |b: &Bar| {
        text(match b.kind {
            InputKind::Uncertain => "uncertain",
            InputKind::Fixed => "fixed",
        })
    };
    let columns: Vec<Column<'_, Bar>> = vec![
        col("Input", |b: &Bar| text(&b.input)),
        col("Kind", kind),
        col("As written", |b: &Bar| text(&b.as_written)),
        col("Low", |b: &Bar| Value::Num(b.low, Style::General)),
        col("High", |b: &Bar| Value::Num(b.high, Style::General)),
        col("Low clamped", |b: &Bar| flag(b.low_clamped)),
        col("High clamped", |b: &Bar| flag(b.high_clamped)),
        col(format!("Metric at low{unit}"), move |b: &Bar| {
            Value::Num(b.metric_low, style)
        }),
        col(format!("At low mcse{unit}"), move |b: &Bar| {
            Value::Num(b.metric_low_mcse, style)
        }),
        col(format!("Metric at high{unit}"), move |b: &Bar| {
            Value::Num(b.metric_high, style)
        }),
        col(format!("At high mcse{unit}"), move |b: &Bar| {
            Value::Num(b.metric_high_mcse, style)
        }),
        col(format!("Swing{unit}"), move |b: &Bar| {
            Value::Num(b.swing, style)
        }),
        col("Flips", |b: &Bar| Value::Flag(b.flips)),
        col("Flip significant", |b: &Bar| {
            Value::Flag(b.flip_significant)
        }),
    ];
    let header_row = 4;
    let items: Vec<&Bar> = t.bars.iter().collect();
    let last = sheet.table(header_row, &columns, &items)?;
    sheet.freeze_and_filter(header_row, last, columns.len())?;
    let mut row = last + 1;
    if !t.not_varied.is_empty() {
        sheet.note(
            row,
            &format!("Not varied (fixed at 0): {}", t.not_varied.join(", ")),
        )?;
        row += 1;
    }
    Ok(row)
}

/// The break-even search below the tornado, or why there is none.
fn threshold_section(
    sheet: &mut Sheet<'_>,
    row: u32,
    t: &TornadoReport,
    threshold: Option<&ThresholdReport>,
) -> anyhow::Result<()> {
    let Some(th) = threshold else {
        sheet.note(
            row,
            &format!(
                "No input moves the difference {}: no break-even to search.",
                t.strategies.join(" − ")
            ),
        )?;
        return Ok(());
    };
    sheet.title(
        row,
        &format!(
            "Break-even of {} between {} and {} ({} paths per evaluation)",
            th.param, th.a, th.b, th.paths
        ),
    )?;
    let finding = match th.finding {
        Finding::Crosses => "crosses: a break-even was found",
        Finding::NoCrossing => "no crossing in the range",
        Finding::NoDifference => "no difference at either end",
    };
    let general = |x: f64| Value::Num(x, Style::General);
    let (lo, hi) = th.interval.map_or((f64::NAN, f64::NAN), |i| i);
    let a_better_above = th.a_better_above.map(|above| {
        format!(
            "{} earns more {} the break-even",
            th.a,
            if above { "above" } else { "below" }
        )
    });
    let next = sheet.pairs(
        row + 1,
        vec![
            ("Input", text(&th.param)),
            ("As written", text(&th.as_written)),
            ("Range searched, low", general(th.range.0)),
            ("Range searched, high", general(th.range.1)),
            ("Range from", Value::Long(th.range_source.clone())),
            ("Finding", Value::Long(finding.into())),
            ("Break-even value", general(th.crossing.unwrap_or(f64::NAN))),
            ("Break-even 95 % low", general(lo)),
            ("Break-even 95 % high", general(hi)),
            (
                "Interval open at low end",
                Value::Flag(th.interval.map(|_| th.interval_open_low)),
            ),
            (
                "Interval open at high end",
                Value::Flag(th.interval.map(|_| th.interval_open_high)),
            ),
            (
                "Which side",
                Value::Long(a_better_above.unwrap_or_default()),
            ),
            (
                "Better throughout",
                Value::Long(th.better_throughout.clone().unwrap_or_default()),
            ),
            ("Conclusion", Value::Long(th.conclusion.clone())),
        ],
    )?;
    let columns: Vec<Column<'_, Point>> = vec![
        col("Input value", |p: &Point| Value::Num(p.x, Style::General)),
        col(
            format!("Revenue diff {} − {} ($)", th.a, th.b),
            |p: &Point| dollars(p.diff_mean),
        ),
        col("Diff mcse ($)", |p: &Point| dollars(p.diff_mcse)),
        col("Diff 95 % low ($)", |p: &Point| dollars(p.diff_ci95.0)),
        col("Diff 95 % high ($)", |p: &Point| dollars(p.diff_ci95.1)),
    ];
    sheet.title(next + 1, "Evaluations, by value of the input")?;
    let items: Vec<&Point> = th.evaluations.iter().collect();
    sheet.table(next + 2, &columns, &items)?;
    Ok(())
}

fn timing(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    let Some(t) = &data.timing else {
        sheet.note(
            0,
            "No strategy escalates to the payer's executives: no timing analysis.",
        )?;
        return Ok(());
    };
    timing_report(sheet, t)
}

fn timing_report(sheet: &mut Sheet<'_>, t: &TimingReport) -> anyhow::Result<()> {
    let decision = match t.decision {
        Move::Escalation => "escalate",
        Move::Notice => "send notice",
    };
    sheet.title(
        0,
        &format!(
            "When should {} {decision}? Each week tried, relative to expiry ({} paths, seed {}); best week {}",
            t.strategy, t.paths, t.seed, t.best_week
        ),
    )?;
    let header_row = 1;
    let columns: Vec<Column<'_, WeekPoint>> = vec![
        col("Week", |w: &WeekPoint| {
            Value::Num(f64::from(w.week), Style::Integer)
        }),
        col("Revenue mean ($)", |w: &WeekPoint| dollars(w.revenue_mean)),
        col("Revenue mcse ($)", |w: &WeekPoint| dollars(w.revenue_mcse)),
        col("Revenue 95 % low ($)", |w: &WeekPoint| {
            dollars(w.revenue_ci95.0)
        }),
        col("Revenue 95 % high ($)", |w: &WeekPoint| {
            dollars(w.revenue_ci95.1)
        }),
        col("P(out of network)", |w: &WeekPoint| {
            percent(w.p_out_of_network)
        }),
        col("Patient-weeks out of network", |w: &WeekPoint| {
            count(w.patient_weeks_out_of_network_mean)
        }),
        col("Diff vs best week ($)", |w: &WeekPoint| {
            dollars(w.diff_vs_best_mean)
        }),
        col("Diff vs best 95 % low ($)", |w: &WeekPoint| {
            dollars(w.diff_vs_best_ci95.0)
        }),
        col("Diff vs best 95 % high ($)", |w: &WeekPoint| {
            dollars(w.diff_vs_best_ci95.1)
        }),
        col("Best week", |w: &WeekPoint| flag(w.is_best)),
        col("Indistinguishable from best", |w: &WeekPoint| {
            flag(w.indistinguishable)
        }),
    ];
    let items: Vec<&WeekPoint> = t.weeks.iter().collect();
    let last = sheet.table(header_row, &columns, &items)?;
    sheet.freeze_and_filter(header_row, last, columns.len())?;

    // On impasse, apart from the weeks so that they chart as one range.
    let row = last + 2;
    let o = &t.on_impasse;
    let cells = [
        text("on impasse"),
        dollars(o.revenue_mean),
        dollars(o.revenue_mcse),
        dollars(o.revenue_ci95.0),
        dollars(o.revenue_ci95.1),
        percent(o.p_out_of_network),
        count(o.patient_weeks_out_of_network_mean),
        dollars(o.diff_vs_best_mean),
        dollars(o.diff_vs_best_ci95.0),
        dollars(o.diff_vs_best_ci95.1),
    ];
    for (c, v) in cells.iter().enumerate() {
        sheet.cell(row, u16::try_from(c)?, v)?;
    }
    sheet.note(
        row + 2,
        &format!(
            "Weeks tried: {} to {} every {}; legal range {} to {}.",
            t.from, t.to, t.step, t.legal_range.0, t.legal_range.1
        ),
    )?;
    Ok(())
}

fn assumptions(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    use crate::analysis::board::Assumption;
    let columns: Vec<Column<'_, Assumption>> = vec![
        col("Input", |a: &Assumption| text(&a.input)),
        col("Value as written", |a: &Assumption| text(&a.value)),
        col("Uncertain", |a: &Assumption| flag(a.uncertain)),
        col("Mean", |a: &Assumption| Value::Num(a.mean, Style::General)),
        col("Note / source", |a: &Assumption| {
            Value::Long(a.note.clone())
        }),
    ];
    let items: Vec<&Assumption> = data.assumptions.iter().collect();
    let last = sheet.table(0, &columns, &items)?;
    sheet.freeze_and_filter(0, last, columns.len())?;
    if items.is_empty() {
        sheet.note(1, "The scenario has no inputs.")?;
    }
    Ok(())
}

fn distribution(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    let cdfs = &data.revenue_cdfs;
    if cdfs.is_empty() {
        sheet.note(0, "No revenue distribution was gathered.")?;
        return Ok(());
    }
    let mut headers = vec!["Percentile".to_string()];
    headers.extend(cdfs.iter().map(|c| format!("{} ($)", c.strategy)));
    sheet.header(0, &headers)?;
    let rows = cdfs.iter().map(|c| c.points.len()).max().unwrap_or(0);
    for i in 0..rows {
        let r = u32::try_from(i + 1)?;
        let q = cdfs.iter().find_map(|c| c.points.get(i)).map(|p| p.1);
        sheet.cell(r, 0, &Value::Num(q.unwrap_or(f64::NAN), Style::Percent))?;
        for (j, c) in cdfs.iter().enumerate() {
            if let Some(&(revenue, _)) = c.points.get(i) {
                sheet.cell(r, u16::try_from(j + 1)?, &dollars(revenue))?;
            }
        }
    }
    let last = u32::try_from(rows)?;
    sheet.freeze_and_filter(0, last, headers.len())
}
