//! The Excel workbook of `impasse report --xlsx FILE`: every number of a
//! board report ([`BoardData`]) as a real number in a cell, with a number
//! format, and native Excel charts drawn from those cells, so a CFO can sort,
//! filter, restyle and build on it.
//!
//! The workbook is written with [`rust_xlsxwriter`]: a well-kept, pure-Rust
//! writer of genuine `.xlsx` files (typed numeric cells, number formats,
//! frozen panes, autofilters, charts) that writes to memory and needs no C
//! library. Numbers are written with Rust's shortest round-trip formatting,
//! so a cell read back holds exactly the `f64` of the report.
//!
//! Sheets, in order:
//!
//! - `Summary`: the scenario, seed, paths, version and the command that
//!   reproduces the report; the recommended strategy and the key findings as
//!   label/value rows, with two charts beside them (expected revenue by
//!   strategy with its P5–P95 range, and risk against return); then one row
//!   per strategy, best first, with every per-strategy number of the
//!   [`RunReport`](crate::report::RunReport).
//! - `Comparisons`: each strategy against the baseline on the same paths,
//!   then the recommended strategy against the baseline and against the
//!   runner-up on every metric.
//! - `Tornado`: the inputs that move the difference between the recommended
//!   strategy and the runner-up, a tornado chart of the ones that move it
//!   most, and the break-even of the most important one.
//! - `Timing`: expected revenue by week of escalation, and on impasse.
//! - `Information`: what better information is worth: the EVPI, the EVPPI
//!   of every uncertain input and of the default groups, then the Sobol'
//!   indices of the decision between the recommended strategy and the
//!   runner-up, one row per factor (chance included).
//! - `Assumptions`: every input of the scenario: a fixed value as a number,
//!   a distribution as written with its mean, P5, P95, min, mode and max as
//!   numbers; its unit and its note or source.
//! - `Distribution`: the 1st to 99th percentiles of each strategy's revenue.
//!
//! Every table has a bold header row and an autofilter; each sheet freezes
//! its header row and first column (the Summary only its first column, the
//! strategy names, since its table sits below the findings).
//!
//! Every number is a numeric cell with an explicit number format (never
//! Excel's `General`, which would show 16 digits); no number is stored as
//! text. Money cells hold dollars, the exact values of the report, so
//! formulas built on them work in dollars; their format [`MONEY_FORMAT`]
//! shows them in $M with two decimals like the report's tables (`$230.48M`),
//! and headers say `($)`, the unit of the value in the cell. Probabilities
//! and shares are `0.0%`, yearly uplifts and weekly rates `0.00%`, counts
//! `#,##0`, weeks whole numbers. Inputs of the scenario are shown in their
//! unit, told by their field name. A number that no path qualified for
//! (NaN) is an empty cell. A sheet whose analysis was not run holds one line
//! saying why.
//!
//! The charts are native Excel charts whose series reference the cells of
//! the tables (never literal values), with titles and axis titles in plain
//! words, so they can be restyled and follow the cells. The revenue axes'
//! bounds are set from the data when written (Excel's own would start at
//! zero and flatten the strategies together); "Auto" in Excel resets them.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartAxisLabelPosition, ChartDataLabel, ChartDataLabelPosition,
    ChartFormat, ChartLegendPosition, ChartMarker, ChartMarkerType, ChartType, DocProperties,
    Format, FormatBorder, Workbook, Worksheet,
};

use crate::analysis::board::BoardData;
use crate::analysis::compare::{CompareReport, MetricComparison, Stop};
use crate::analysis::information::EvppiRow;
use crate::analysis::sensitivity::SobolRow;
use crate::analysis::threshold::{Finding, Point, ThresholdReport};
use crate::analysis::timing::{Move, TimingReport, WeekPoint};
use crate::analysis::tornado::{Bar, InputKind, TornadoReport};
use crate::report::board_charts::TORNADO_BARS;
use crate::report::{ComparisonReport, StrategyReport};
use crate::scenario::Dist;

/// Excel number format of money. The cell holds dollars; the two commas
/// scale the display by a million, so 230,480,000 shows as `$230.48M`
/// (the report's $M with two decimals) and −690,000 as `-$0.69M`.
pub const MONEY_FORMAT: &str = "$#,##0.00,,\"M\"";
/// Excel number format of probabilities and shares.
pub const PERCENT_FORMAT: &str = "0.0%";
/// Excel number format of yearly rate uplifts and other small rates (the
/// discount rate, weekly switch rates): two decimals of a percent, as the
/// report shows uplifts (`2.13%`).
pub const UPLIFT_FORMAT: &str = "0.00%";
/// Excel number format of counts (paths, patient-weeks, patients).
pub const COUNT_FORMAT: &str = "#,##0";
/// Excel number format of week numbers and durations in weeks: whole weeks.
pub const WEEKS_FORMAT: &str = "0";
/// Excel number format of whole numbers without separators (seeds, ranks).
pub const INTEGER_FORMAT: &str = "0";
/// Excel number format of inputs without a unit (exponents, factors, shape
/// parameters): at least one and at most four decimals.
pub const NUMBER_FORMAT: &str = "#,##0.0###";
/// Number format of the money axes of the charts ($M).
const MONEY_AXIS_FORMAT: &str = "$#,##0.0,,\"M\"";

/// Height of a chart, in rows of the default height.
const CHART_ROWS: u32 = 16;
/// Pixels in a row of the default height.
const ROW_PIXELS: u32 = 20;
/// Width of a chart, in pixels.
const CHART_WIDTH: u32 = 560;

/// The sheet names, in workbook order.
pub const SHEETS: [&str; 7] = [
    "Summary",
    "Comparisons",
    "Tornado",
    "Timing",
    "Information",
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
    information(&mut Sheet::new(&mut wb, SHEETS[4], &formats)?, data)?;
    assumptions(&mut Sheet::new(&mut wb, SHEETS[5], &formats)?, data)?;
    distribution(&mut Sheet::new(&mut wb, SHEETS[6], &formats)?, data)?;
    Ok(wb.save_to_buffer()?)
}

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Dollars shown in $M ([`MONEY_FORMAT`]).
    Money,
    /// Probabilities and shares, `0.0%`.
    Percent,
    /// Yearly uplifts and small rates, `0.00%`.
    Uplift,
    /// Counts with thousands separators.
    Count,
    /// Week numbers and durations, whole weeks.
    Weeks,
    /// Whole numbers without separators (seeds, ranks).
    Integer,
    /// Numbers without a unit, up to four decimals.
    Number,
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
    Value::Num(x, Style::Money)
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

/// An empty cell.
fn empty() -> Value {
    Value::Flag(None)
}

/// A `u64` as a number when Excel holds it exactly, as text otherwise.
fn whole(n: u64, style: Style) -> Value {
    if n < (1u64 << 53) {
        Value::Num(n as f64, style)
    } else {
        Value::Text(n.to_string())
    }
}

/// The style of a [`MetricComparison`] from its unit (counts, as
/// `impasse compare` shows them, unless money or a probability).
fn unit_style(unit: &str) -> Style {
    match unit {
        "$" => Style::Money,
        "probability" => Style::Percent,
        _ => Style::Count,
    }
}

/// How an input of the scenario (a dotted path such as `payer.stall_prob`
/// or `item.denials.annual_value`) is shown, and its unit in words, told by
/// its field name as the scenario file documents it. A field this does not
/// know is shown as a plain number ([`NUMBER_FORMAT`]); only the display
/// depends on it, never the value in the cell.
fn input_unit(path: &str) -> (Style, &'static str) {
    let field = path.rsplit('.').next().unwrap_or(path);
    let one_of = |names: &[&str]| names.contains(&field);
    if field.ends_with("revenue") || field.ends_with("cost") || field == "annual_value" {
        (Style::Money, "dollars")
    } else if field == "weeks" || field.ends_with("_weeks") {
        (Style::Weeks, "weeks")
    } else if field.ends_with("patients") {
        (Style::Count, "patients")
    } else if field.ends_with("switch_rate") {
        (Style::Uplift, "share per week")
    } else if field == "discount_rate" {
        (Style::Uplift, "yearly rate")
    } else if field.contains("reservation")
        || one_of(&[
            "opening_offer",
            "status_quo_escalator",
            "called_bluff_cut",
            "goodwill_gain",
            "opening_ask",
            "walk_away",
            "min_gap",
        ])
    {
        (Style::Uplift, "yearly uplift")
    } else if field.starts_with("p_")
        || field.ends_with("_prob")
        || field.ends_with("share")
        || field.ends_with("credibility")
        || field.ends_with("credibility_gain")
        || one_of(&[
            "contribution_margin",
            "alignment",
            "bargaining_weight",
            "premature_penalty",
            "volume_retention",
            "backlash_memory",
        ])
    {
        (Style::Percent, "share or probability")
    } else {
        (Style::Number, "number")
    }
}

/// An input as written, in two cells: a fixed value as a number in the
/// input's unit (first), a distribution as its text (second).
fn as_written(path: &str, written: &str) -> (Value, Value) {
    match Dist::parse(written) {
        Ok(Dist::Fixed(x)) => (Value::Num(x, input_unit(path).0), empty()),
        _ => (empty(), text(written)),
    }
}

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    percent: Format,
    uplift: Format,
    count: Format,
    weeks: Format,
    integer: Format,
    number: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format(MONEY_FORMAT),
            percent: Format::new().set_num_format(PERCENT_FORMAT),
            uplift: Format::new().set_num_format(UPLIFT_FORMAT),
            count: Format::new().set_num_format(COUNT_FORMAT),
            weeks: Format::new().set_num_format(WEEKS_FORMAT),
            integer: Format::new().set_num_format(INTEGER_FORMAT),
            number: Format::new().set_num_format(NUMBER_FORMAT),
        }
    }

    fn of(&self, style: Style) -> &Format {
        match style {
            Style::Money => &self.money,
            Style::Percent => &self.percent,
            Style::Uplift => &self.uplift,
            Style::Count => &self.count,
            Style::Weeks => &self.weeks,
            Style::Integer => &self.integer,
            Style::Number => &self.number,
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
    let grouped = |v: f64| {
        let d = digits(v);
        d + (d - 1) / 3
    };
    match style {
        // `$` and `M` around the millions with two decimals.
        Style::Money => sign + grouped(x / 1e6) + 5,
        Style::Count => sign + grouped(x),
        Style::Percent => sign + digits(x * 100.0) + 3,
        Style::Uplift => sign + digits(x * 100.0) + 4,
        Style::Weeks | Style::Integer => sign + digits(x),
        Style::Number => sign + grouped(x) + 5,
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

/// The index of the column headed `header`.
fn index_of<T>(columns: &[Column<'_, T>], header: &str) -> anyhow::Result<u16> {
    let i = columns
        .iter()
        .position(|c| c.header == header)
        .ok_or_else(|| anyhow::anyhow!("no column {header:?}"))?;
    Ok(u16::try_from(i)?)
}

/// A worksheet being written: tracks the width each column needs.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    /// The sheet's name, for the charts' cell ranges.
    name: &'static str,
    formats: &'a Formats,
    widths: Vec<usize>,
}

impl<'a> Sheet<'a> {
    fn new(wb: &'a mut Workbook, name: &'static str, formats: &'a Formats) -> anyhow::Result<Self> {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            name,
            formats,
            widths: Vec::new(),
        })
    }

    /// Insert `chart` with its top left corner `x_offset` pixels right of the
    /// top left of cell (`row`, `col`).
    fn chart(&mut self, row: u32, col: u16, x_offset: u32, chart: &Chart) -> anyhow::Result<()> {
        self.ws
            .insert_chart_with_offset(row, col, chart, x_offset, 0)?;
        Ok(())
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
                    "Net present revenue and margin from this payer over {} weeks after expiry. Money cells hold dollars and show them in $M ($230.48M = 230,480,000 dollars); quantiles within {} relative error.",
                    run.horizon_weeks, run.quantile_relative_error
                )),
            ),
        ],
    )?;

    row += 1;
    sheet.title(row, "Key findings")?;
    row += 1;
    let charts_row = row;
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
        // Short text: the charts sit to the right of the findings.
        None => findings.push(("Gain over baseline", text("none (it is the baseline)"))),
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

    // The table starts below the findings and below the charts beside them.
    row = (row + 1).max(charts_row + CHART_ROWS + 1);
    sheet.title(
        row,
        "Strategies, best first (by mean net present revenue); empty cell: no path qualified",
    )?;
    let header_row = row + 1;
    let columns = strategy_columns(data);
    let strategies = ranked(data);
    let last = sheet.table(header_row, &columns, &strategies)?;
    // Only the first column (labels, strategy names) is frozen: freezing the
    // ~30 rows above the table's header would leave a laptop screen no room
    // to scroll, and the table is short enough to show with its header.
    sheet.ws.set_freeze_panes(0, 1)?;
    sheet.filter(header_row, last, columns.len())?;

    if !strategies.is_empty() {
        let cells = StrategyCells {
            sheet: sheet.name,
            first: header_row + 1,
            last,
            name: index_of(&columns, "Strategy")?,
            mean: index_of(&columns, "Revenue mean ($)")?,
            p5: index_of(&columns, "Revenue P5 ($)")?,
            p95: index_of(&columns, "Revenue P95 ($)")?,
            cvar5: index_of(&columns, "Revenue CVaR5 ($)")?,
        };
        let (lo, hi) = extremes(
            strategies
                .iter()
                .flat_map(|s| [s.revenue.p5, s.revenue.p95]),
        );
        sheet.chart(charts_row, 2, 16, &strategy_chart(&cells, lo, hi))?;
        let (x_lo, x_hi) = extremes(strategies.iter().map(|s| s.revenue.cvar5));
        let (y_lo, y_hi) = extremes(strategies.iter().map(|s| s.revenue.mean));
        sheet.chart(
            charts_row,
            2,
            32 + CHART_WIDTH,
            &risk_return_chart(&cells, (x_lo, x_hi), (y_lo, y_hi)),
        )?;
    }
    Ok(())
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
    let (row, chart) = tornado_bars(sheet, t)?;
    let row = threshold_section(sheet, row + 1, t, data.threshold.as_ref())?;
    if let Some(chart) = chart {
        sheet.chart(row + 1, 0, 0, &chart)?;
    }
    Ok(())
}

/// What a tornado measures, in words.
fn tornado_what(t: &TornadoReport) -> String {
    if t.is_diff() {
        format!(
            "{} difference {}",
            t.metric.name(),
            t.strategies.join(" − ")
        )
    } else {
        format!("{} of {}", t.metric.name(), t.strategies.join(", "))
    }
}

/// The tornado; returns the next free row and its chart, if any input moves
/// the metric.
fn tornado_bars(sheet: &mut Sheet<'_>, t: &TornadoReport) -> anyhow::Result<(u32, Option<Chart>)> {
    let what = tornado_what(t);
    sheet.title(
        0,
        &format!(
            "Tornado of the {what}: each input pinned low and high ({} paths per run, seed {})",
            t.paths, t.seed
        ),
    )?;
    let style = if t.metric.is_money() {
        Style::Money
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
    let input = |b: &Bar, x: f64| Value::Num(x, input_unit(&b.input).0);
    let base = t.base;
    let low_header = format!("Change from base at low{unit}");
    let high_header = format!("Change from base at high{unit}");
    let columns: Vec<Column<'_, Bar>> = vec![
        col("Input", |b: &Bar| text(&b.input)),
        col("Kind", kind),
        col("Fixed value", |b: &Bar| {
            as_written(&b.input, &b.as_written).0
        }),
        col("Distribution", |b: &Bar| {
            as_written(&b.input, &b.as_written).1
        }),
        col("Low", move |b: &Bar| input(b, b.low)),
        col("High", move |b: &Bar| input(b, b.high)),
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
        // What the chart draws: each end's bar from the base.
        col(low_header.clone(), move |b: &Bar| {
            Value::Num(b.metric_low - base, style)
        }),
        col(high_header.clone(), move |b: &Bar| {
            Value::Num(b.metric_high - base, style)
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

    // The chart: the bars are sorted by swing, largest first; it shows the
    // first ones that move the metric at all, as the report's tornado does.
    let shown = t
        .bars
        .iter()
        .take(TORNADO_BARS)
        .take_while(|b| b.swing > 0.0)
        .count();
    let chart = match u32::try_from(shown)? {
        0 => None,
        n => Some(tornado_chart(&TornadoCells {
            sheet: sheet.name,
            first: header_row + 1,
            last: header_row + n,
            input: index_of(&columns, "Input")?,
            low: index_of(&columns, &low_header)?,
            high: index_of(&columns, &high_header)?,
            what,
            money: t.metric.is_money(),
        })),
    };
    Ok((row, chart))
}

/// The break-even search below the tornado, or why there is none; returns
/// the next free row.
fn threshold_section(
    sheet: &mut Sheet<'_>,
    row: u32,
    t: &TornadoReport,
    threshold: Option<&ThresholdReport>,
) -> anyhow::Result<u32> {
    let Some(th) = threshold else {
        sheet.note(
            row,
            &format!(
                "No input moves the difference {}: no break-even to search.",
                t.strategies.join(" − ")
            ),
        )?;
        return Ok(row + 1);
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
    let style = input_unit(&th.param).0;
    let input = |x: f64| Value::Num(x, style);
    let (lo, hi) = th.interval.map_or((f64::NAN, f64::NAN), |i| i);
    let a_better_above = th.a_better_above.map(|above| {
        format!(
            "{} earns more {} the break-even",
            th.a,
            if above { "above" } else { "below" }
        )
    });
    let (fixed, distribution) = as_written(&th.param, &th.as_written);
    let written = match fixed {
        Value::Num(..) => fixed,
        _ => distribution,
    };
    let next = sheet.pairs(
        row + 1,
        vec![
            ("Input", text(&th.param)),
            ("As written", written),
            ("Range searched, low", input(th.range.0)),
            ("Range searched, high", input(th.range.1)),
            ("Range from", Value::Long(th.range_source.clone())),
            ("Finding", Value::Long(finding.into())),
            ("Break-even value", input(th.crossing.unwrap_or(f64::NAN))),
            ("Break-even 95 % low", input(lo)),
            ("Break-even 95 % high", input(hi)),
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
        col("Input value", move |p: &Point| input(p.x)),
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
    let last = sheet.table(next + 2, &columns, &items)?;
    Ok(last + 1)
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

fn information(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    let Some(v) = &data.information else {
        sheet.note(0, "Only one strategy: no value of information.")?;
        sheet.note(2, "Only one strategy: no Sobol' indices of a choice.")?;
        return Ok(());
    };
    sheet.title(
        0,
        &format!(
            "What better information is worth, choosing among {} strategies ({} paths, seed {}); dollars of {}",
            v.strategies.len(),
            v.paths,
            v.seed,
            v.objective
        ),
    )?;
    let row = sheet.pairs(
        1,
        vec![
            ("Best on average", text(&v.best)),
            ("EVPI ($)", dollars(v.evpi.mean)),
            ("EVPI mcse ($)", dollars(v.evpi.mcse)),
        ],
    )?;
    let header_row = row + 1;
    let columns: Vec<Column<'_, EvppiRow>> = vec![
        col("Input or group", |r: &EvppiRow| text(&r.label)),
        col("Kind", |r: &EvppiRow| text(r.kind)),
        col("Path or members", |r: &EvppiRow| {
            text(if r.kind == "input" {
                r.input.clone()
            } else {
                r.members.join("+")
            })
        }),
        col("EVPPI ($)", |r: &EvppiRow| dollars(r.value)),
        col("EVPPI mcse ($)", |r: &EvppiRow| dollars(r.mcse)),
        col("Share of EVPI", |r: &EvppiRow| percent(r.share_of_evpi)),
        col("Lowest R²", |r: &EvppiRow| Value::Num(r.r2, Style::Number)),
        col("Metamodel", |r: &EvppiRow| text(&r.model)),
        col("Warning", |r: &EvppiRow| {
            Value::Long(r.warning.clone().unwrap_or_default())
        }),
    ];
    let items: Vec<&EvppiRow> = v.evppi.iter().collect();
    let last = sheet.table(header_row, &columns, &items)?;
    sheet.freeze_and_filter(header_row, last, columns.len())?;
    let mut row = last + 2;
    for n in v.notes.iter().map(String::as_str).chain([
        "mcse: Monte Carlo standard error of the estimate (its precision, not a range of outcomes); R²: the lowest share of a strategy difference the input(s) explain.",
    ]) {
        sheet.note(row, n)?;
        row += 1;
    }
    sobol_section(sheet, row + 1, data)
}

/// The Sobol' indices below the value of information, or why there are none.
fn sobol_section(sheet: &mut Sheet<'_>, row: u32, data: &BoardData) -> anyhow::Result<()> {
    let Some(d) = &data.drivers else {
        sheet.note(row, "No runner-up: no Sobol' indices of a choice.")?;
        return Ok(());
    };
    sheet.title(
        row,
        &format!(
            "Sobol' indices of the {} difference {} ({} base samples, {} worlds, seed {})",
            d.metric,
            d.strategies.join(" − "),
            d.base_samples,
            d.runs,
            d.seed
        ),
    )?;
    if d.sobol.is_empty() {
        sheet.note(
            row + 1,
            "The difference does not vary over the design: nothing to apportion.",
        )?;
        return Ok(());
    }
    let end = |c: Option<[f64; 2]>, i: usize| percent(c.map_or(f64::NAN, |c| c[i]));
    let columns: Vec<Column<'_, SobolRow>> = vec![
        col("Factor", |r: &SobolRow| text(&r.label)),
        col("Kind", |r: &SobolRow| text(r.kind)),
        col("Inputs", |r: &SobolRow| text(r.members.join("+"))),
        col("First-order S1", |r: &SobolRow| percent(r.s1)),
        col("S1 95 % low", move |r: &SobolRow| end(r.s1_ci95, 0)),
        col("S1 95 % high", move |r: &SobolRow| end(r.s1_ci95, 1)),
        col("Total ST", |r: &SobolRow| percent(r.st)),
        col("ST 95 % low", move |r: &SobolRow| end(r.st_ci95, 0)),
        col("ST 95 % high", move |r: &SobolRow| end(r.st_ci95, 1)),
    ];
    let items: Vec<&SobolRow> = d.sobol.iter().collect();
    let last = sheet.table(row + 1, &columns, &items)?;
    sheet.note(
        last + 2,
        "Shares of the variance of the difference; the intervals come from a bootstrap over the design and say how well each index is known.",
    )?;
    Ok(())
}

fn assumptions(sheet: &mut Sheet<'_>, data: &BoardData) -> anyhow::Result<()> {
    use crate::analysis::board::Assumption;
    let style = |a: &Assumption| input_unit(&a.input).0;
    // The distribution of an uncertain input (none for a fixed one).
    let dist = |a: &Assumption| {
        Dist::parse(&a.value)
            .ok()
            .filter(|_| a.uncertain)
            .filter(|d| !d.is_fixed())
    };
    // A number of an uncertain input's distribution; empty when fixed.
    let of_dist = move |a: &Assumption, f: &dyn Fn(&Dist) -> f64| {
        dist(a).map_or(empty(), |d| Value::Num(f(&d), style(a)))
    };
    let columns: Vec<Column<'_, Assumption>> = vec![
        col("Input", |a: &Assumption| text(&a.input)),
        col("Unit", |a: &Assumption| text(input_unit(&a.input).1)),
        col("Uncertain", |a: &Assumption| flag(a.uncertain)),
        col("Fixed value", move |a: &Assumption| {
            if a.uncertain {
                empty()
            } else {
                Value::Num(a.mean, style(a))
            }
        }),
        col("Distribution", |a: &Assumption| {
            if Dist::parse(&a.value).is_ok_and(|d| matches!(d, Dist::Fixed(_))) {
                empty()
            } else {
                text(&a.value)
            }
        }),
        col("Mean", move |a: &Assumption| Value::Num(a.mean, style(a))),
        col("P5", move |a: &Assumption| {
            of_dist(a, &|d| d.quantile(0.05))
        }),
        col("P95", move |a: &Assumption| {
            of_dist(a, &|d| d.quantile(0.95))
        }),
        col("Min", move |a: &Assumption| of_dist(a, &|d| d.support().0)),
        col("Mode", move |a: &Assumption| {
            of_dist(a, &|d| match *d {
                Dist::Triangular { mode, .. } | Dist::Pert { mode, .. } => mode,
                _ => f64::NAN,
            })
        }),
        col("Max", move |a: &Assumption| of_dist(a, &|d| d.support().1)),
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

/// The smallest and largest finite values (NaN, NaN when there are none).
fn extremes(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .filter(|x| x.is_finite())
        .fold((f64::NAN, f64::NAN), |(lo, hi), x| (x.min(lo), x.max(hi)))
}

/// Round bounds around `[lo, hi]` and a major unit of about a fifth of the
/// range (1, 2, 2.5 or 5 times a power of ten); `None` when the range is
/// empty or not finite, so that Excel chooses. Excel's own value axis starts
/// at zero unless the values are within a sixth of each other, which would
/// flatten the strategies' revenues (hundreds of $M apart by a few) into one
/// line.
fn nice_bounds(lo: f64, hi: f64) -> Option<(f64, f64, f64)> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return None;
    }
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    Some(((lo / step).floor() * step, (hi / step).ceil() * step, step))
}

/// A chart of the default size of this workbook, in plain words.
fn sized(mut chart: Chart, title: &str) -> Chart {
    chart.title().set_name(title);
    chart
        .set_width(CHART_WIDTH)
        .set_height(CHART_ROWS * ROW_PIXELS);
    chart
}

/// Where the Summary's strategy table holds what its charts draw: rows
/// `first..=last` (best first), and the columns of the names and numbers.
struct StrategyCells {
    sheet: &'static str,
    first: u32,
    last: u32,
    name: u16,
    mean: u16,
    p5: u16,
    p95: u16,
    cvar5: u16,
}

impl StrategyCells {
    /// One column of the table, from the first strategy to the last.
    fn column(&self, col: u16) -> (&'static str, u32, u16, u32, u16) {
        (self.sheet, self.first, col, self.last, col)
    }
}

/// Expected revenue by strategy with its P5–P95 range: a line chart with
/// markers only (P5, mean, P95 in each strategy's column) and high-low lines
/// joining P5 to P95, the range plot of the report's strategy comparison.
/// `lo` and `hi` are the smallest P5 and the largest P95, for the axis.
fn strategy_chart(cells: &StrategyCells, lo: f64, hi: f64) -> Chart {
    let mut chart = sized(
        Chart::new(ChartType::Line),
        "Expected revenue by strategy, with the range of 90 % of outcomes",
    );
    let series = [
        (
            "P5: 1 world in 20 earns less",
            cells.p5,
            ChartMarkerType::LongDash,
            9,
        ),
        ("Expected (mean)", cells.mean, ChartMarkerType::Diamond, 9),
        (
            "P95: 1 world in 20 earns more",
            cells.p95,
            ChartMarkerType::LongDash,
            9,
        ),
    ];
    for (name, col, marker, size) in series {
        chart
            .add_series()
            .set_name(name)
            .set_categories(cells.column(cells.name))
            .set_values(cells.column(col))
            .set_format(ChartFormat::new().set_no_line())
            .set_marker(ChartMarker::new().set_type(marker).set_size(size));
    }
    chart.set_high_low_lines(true);
    chart.x_axis().set_name("Strategy, best first");
    let y = chart.y_axis();
    y.set_name("Net present revenue over the horizon, $M")
        .set_num_format(MONEY_AXIS_FORMAT);
    if let Some((min, max, step)) = nice_bounds(lo, hi) {
        y.set_min(min).set_max(max).set_major_unit(step);
    }
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart
}

/// Risk against return: one point per strategy, its downside (CVaR5, the
/// average of the worst 5 % of outcomes) across, its expected revenue up,
/// labelled with its name. `x` and `y` are the ranges of the two.
fn risk_return_chart(cells: &StrategyCells, x: (f64, f64), y: (f64, f64)) -> Chart {
    let mut chart = sized(
        Chart::new(ChartType::Scatter),
        "Risk and return: expected revenue against the downside",
    );
    for row in cells.first..=cells.last {
        chart
            .add_series()
            .set_name((cells.sheet, row, cells.name))
            .set_categories((cells.sheet, row, cells.cvar5))
            .set_values((cells.sheet, row, cells.mean))
            .set_marker(
                ChartMarker::new()
                    .set_type(ChartMarkerType::Circle)
                    .set_size(8),
            )
            // The label is the strategy's name, from its cell (a series
            // name label would show the value too).
            .set_custom_data_labels(&[ChartDataLabel::new()
                .set_value((cells.sheet, row, cells.name))
                .set_position(ChartDataLabelPosition::Right)
                .to_custom()]);
    }
    let axis = chart.x_axis();
    axis.set_name("Downside: average of the worst 5 % of outcomes (CVaR5), $M")
        .set_num_format(MONEY_AXIS_FORMAT);
    if let Some((min, max, step)) = nice_bounds(x.0, x.1) {
        axis.set_min(min).set_max(max).set_major_unit(step);
    }
    let axis = chart.y_axis();
    axis.set_name("Expected net present revenue, $M")
        .set_num_format(MONEY_AXIS_FORMAT);
    if let Some((min, max, step)) = nice_bounds(y.0, y.1) {
        axis.set_min(min).set_max(max).set_major_unit(step);
    }
    // Each point carries its strategy's name.
    chart.legend().set_hidden();
    chart
}

/// Where the Tornado sheet holds what its chart draws: rows `first..=last`
/// (largest swing first), the inputs' names and each end's change from the
/// base.
struct TornadoCells {
    sheet: &'static str,
    first: u32,
    last: u32,
    input: u16,
    low: u16,
    high: u16,
    /// What the tornado measures, in words.
    what: String,
    /// Whether that is money (else patient-weeks).
    money: bool,
}

/// The tornado: a horizontal bar per input, largest swing on top, with the
/// change of the metric from its base value when the input is pinned at
/// its low end and at its high end (the two bars overlap, so each input
/// shows one bar to each side of the base, or two on the same side).
fn tornado_chart(cells: &TornadoCells) -> Chart {
    let n = cells.last + 1 - cells.first;
    let mut chart = sized(
        Chart::new(ChartType::Bar),
        &format!(
            "What moves the {} most: the top {n} input{}",
            cells.what,
            if n == 1 { "" } else { "s" }
        ),
    );
    chart.set_height((CHART_ROWS + 4) * ROW_PIXELS);
    for (name, col) in [
        ("Input at its low value", cells.low),
        ("Input at its high value", cells.high),
    ] {
        chart
            .add_series()
            .set_name(name)
            .set_categories((
                cells.sheet,
                cells.first,
                cells.input,
                cells.last,
                cells.input,
            ))
            .set_values((cells.sheet, cells.first, col, cells.last, col))
            .set_overlap(100)
            .set_gap(40);
    }
    // A bar chart's y axis holds the categories: the first row on top, the
    // value axis still at the bottom, the names left of the bars.
    chart
        .y_axis()
        .set_name("Input")
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max)
        .set_label_position(ChartAxisLabelPosition::Low);
    let unit = if cells.money { "$M" } else { "patient-weeks" };
    chart
        .x_axis()
        .set_name(&format!(
            "Change in the {} from its base value, {unit}",
            cells.what
        ))
        .set_num_format(if cells.money {
            MONEY_AXIS_FORMAT
        } else {
            COUNT_FORMAT
        });
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart
}
