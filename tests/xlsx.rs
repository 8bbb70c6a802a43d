//! The board report's workbook, read back with calamine: every sheet is
//! there; the Summary's strategy table holds exactly the numbers of the
//! `RunReport` and of `impasse run --format json` with the same paths and
//! seed, as numbers (never text) with the documented formats; no number
//! anywhere is stored as text, and every number has a number format (money
//! in $M); the other sheets hold their analyses' numbers, fixed inputs as
//! numbers (the value of information and the Sobol' indices exactly as
//! the report has them); the workbook holds native charts whose series reference the
//! tables' cells (read from the `.xlsx` zip itself); and a scenario with one
//! strategy still gives a valid workbook whose empty sheets say why.

use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, StyleRange, Xlsx, open_workbook_from_rs};
use impasse::analysis::Budget;
use impasse::analysis::board::{BoardBudget, BoardData, gather};
use impasse::report::StrategyReport;
use impasse::report::xlsx::{
    COUNT_FORMAT, MONEY_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT, SHEETS, UPLIFT_FORMAT, WEEKS_FORMAT,
    workbook,
};
use impasse::scenario::{DEFAULT_SCENARIO_TOML, Dist, Scenario};
use serde_json::Value;

const PATHS: u64 = 3000;
const SEED: u64 = 5;

/// The board report of the built-in scenario and its workbook, gathered once.
fn board() -> &'static (BoardData, Vec<u8>) {
    static BOARD: OnceLock<(BoardData, Vec<u8>)> = OnceLock::new();
    BOARD.get_or_init(|| {
        let data = gather(
            &Scenario::builtin(),
            DEFAULT_SCENARIO_TOML,
            "impasse report",
            &BoardBudget {
                run: Budget {
                    paths: PATHS,
                    seed: SEED,
                    threads: Some(2),
                },
                analysis_paths: 1000,
            },
            &|_| {},
        )
        .expect("the built-in scenario gathers");
        let bytes = workbook(&data).expect("the workbook is written");
        (data, bytes)
    })
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a valid xlsx file")
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    open(bytes)
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn at(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn string(range: &Range<Data>, row: u32, col: u32) -> String {
    match at(range, row, col) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("({row}, {col}) is {other:?}, not text"),
    }
}

/// The row whose first two cells are `a` and `b`.
fn find_row(range: &Range<Data>, a: &str, b: &str) -> u32 {
    let (h, _) = range.end().expect("a non-empty sheet");
    (0..=h)
        .find(|&r| string_or_empty(range, r, 0) == a && string_or_empty(range, r, 1) == b)
        .unwrap_or_else(|| panic!("no row starting {a:?}, {b:?}"))
}

fn string_or_empty(range: &Range<Data>, row: u32, col: u32) -> String {
    match at(range, row, col) {
        Data::String(s) => s,
        _ => String::new(),
    }
}

/// The column whose header (in `row`) is `header`.
fn find_col(range: &Range<Data>, row: u32, header: &str) -> u32 {
    let (_, w) = range.end().expect("a non-empty sheet");
    (0..=w)
        .find(|&c| string_or_empty(range, row, c) == header)
        .unwrap_or_else(|| panic!("no column {header:?}"))
}

/// A number cell: `Some(x)` for a float, `None` for an empty cell (no path
/// qualified); anything else (text above all) fails.
fn number(range: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match at(range, row, col) {
        Data::Float(x) => Some(x),
        Data::Empty => None,
        other => panic!("({row}, {col}) is {other:?}, not a number"),
    }
}

/// What a report number becomes in a cell: NaN is an empty cell.
fn expected(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

type Getter = fn(&StrategyReport) -> f64;

/// Every per-strategy number of the Summary's table: header, JSON pointer in
/// a strategy of `impasse run --format json`, the report field, the format.
fn strategy_columns() -> Vec<(&'static str, &'static str, Getter, &'static str)> {
    vec![
        (
            "Revenue mean ($)",
            "/revenue/mean",
            |s| s.revenue.mean,
            MONEY_FORMAT,
        ),
        (
            "Revenue mcse ($)",
            "/revenue/mcse",
            |s| s.revenue.mcse,
            MONEY_FORMAT,
        ),
        (
            "Revenue P5 ($)",
            "/revenue/p5",
            |s| s.revenue.p5,
            MONEY_FORMAT,
        ),
        (
            "Revenue P50 ($)",
            "/revenue/p50",
            |s| s.revenue.p50,
            MONEY_FORMAT,
        ),
        (
            "Revenue P95 ($)",
            "/revenue/p95",
            |s| s.revenue.p95,
            MONEY_FORMAT,
        ),
        (
            "Revenue CVaR5 ($)",
            "/revenue/cvar5",
            |s| s.revenue.cvar5,
            MONEY_FORMAT,
        ),
        (
            "Margin mean ($)",
            "/margin/mean",
            |s| s.margin.mean,
            MONEY_FORMAT,
        ),
        (
            "Margin mcse ($)",
            "/margin/mcse",
            |s| s.margin.mcse,
            MONEY_FORMAT,
        ),
        ("Margin P5 ($)", "/margin/p5", |s| s.margin.p5, MONEY_FORMAT),
        (
            "Margin P50 ($)",
            "/margin/p50",
            |s| s.margin.p50,
            MONEY_FORMAT,
        ),
        (
            "Margin P95 ($)",
            "/margin/p95",
            |s| s.margin.p95,
            MONEY_FORMAT,
        ),
        (
            "Margin CVaR5 ($)",
            "/margin/cvar5",
            |s| s.margin.cvar5,
            MONEY_FORMAT,
        ),
        (
            "Uplift per year",
            "/uplift/mean",
            |s| s.uplift.mean,
            UPLIFT_FORMAT,
        ),
        (
            "P(deal before expiry)",
            "/p_deal_before_expiry",
            |s| s.p_deal_before_expiry,
            PERCENT_FORMAT,
        ),
        (
            "Uplift per year if deal before expiry",
            "/uplift_if_deal_before_expiry/mean",
            |s| s.uplift_if_deal_before_expiry.mean,
            UPLIFT_FORMAT,
        ),
        (
            "Deal week if deal before expiry",
            "/deal_week_if_deal_before_expiry/mean",
            |s| s.deal_week_if_deal_before_expiry.mean,
            WEEKS_FORMAT,
        ),
        (
            "P(out of network)",
            "/p_out_of_network",
            |s| s.p_out_of_network,
            PERCENT_FORMAT,
        ),
        (
            "Weeks out of network if OON",
            "/oon_weeks_if_oon/mean",
            |s| s.oon_weeks_if_oon.mean,
            WEEKS_FORMAT,
        ),
        (
            "Patient-weeks out of network",
            "/patient_weeks_out_of_network/mean",
            |s| s.patient_weeks_out_of_network.mean,
            COUNT_FORMAT,
        ),
        (
            "Patients switched",
            "/patients_switched/mean",
            |s| s.patients_switched.mean,
            COUNT_FORMAT,
        ),
        (
            "P(bluff called)",
            "/p_bluff_called",
            |s| s.p_bluff_called,
            PERCENT_FORMAT,
        ),
        (
            "P(executives engaged)",
            "/p_executives_engaged",
            |s| s.p_executives_engaged,
            PERCENT_FORMAT,
        ),
        ("P(impasse)", "/p_impasse", |s| s.p_impasse, PERCENT_FORMAT),
        (
            "Non-rate value ($/year)",
            "/nonrate_value/mean",
            |s| s.nonrate_value.mean,
            MONEY_FORMAT,
        ),
    ]
}

#[test]
fn every_sheet_is_present_in_order() {
    let (_, bytes) = board();
    let wb = open(bytes);
    assert_eq!(wb.sheet_names(), SHEETS.map(String::from).to_vec());
}

#[test]
fn summary_strategy_table_equals_the_run_report_exactly_with_formats() {
    let (data, bytes) = board();
    let range = sheet(bytes, "Summary");
    let styles = open(bytes).worksheet_style("Summary").unwrap();
    let header = find_row(&range, "Strategy", "Revenue mean ($)");
    assert!(
        styles
            .get((header, 0))
            .and_then(|s| s.font.as_ref())
            .is_some_and(|f| f.is_bold()),
        "the header row is bold"
    );
    assert_eq!(data.ranking.len(), data.run.strategies.len());
    let mut empty_cells = 0;
    for (i, name) in data.ranking.iter().enumerate() {
        let row = header + 1 + i as u32;
        assert_eq!(&string(&range, row, 0), name, "ranking order");
        let s = data
            .run
            .strategies
            .iter()
            .find(|s| &s.name == name)
            .unwrap();
        for (h, _, get, format) in strategy_columns() {
            let c = find_col(&range, header, h);
            let cell = number(&range, row, c);
            assert_eq!(cell, expected(get(s)), "{name}: {h}");
            match cell {
                Some(_) => {
                    let style = styles.get((row, c)).expect("a styled cell");
                    let code = &style.number_format.as_ref().unwrap().format_code;
                    assert_eq!(code, format, "{name}: {h}");
                }
                None => empty_cells += 1,
            }
        }
        let rank = find_col(&range, header, "Rank");
        assert_eq!(number(&range, row, rank), Some(i as f64 + 1.0));
    }
    // `wait` never goes out of network: its weeks out of network are NaN.
    assert!(empty_cells > 0, "a NaN became an empty cell somewhere");
    assert_eq!(
        at(&range, header + 1 + data.ranking.len() as u32, 0),
        Data::Empty,
        "one row per strategy"
    );

    // Label/value rows.
    let value = |label: &str| {
        let (h, _) = range.end().unwrap();
        let r = (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == label)
            .unwrap_or_else(|| panic!("no row {label:?}"));
        at(&range, r, 1)
    };
    assert_eq!(value("Seed"), Data::Float(SEED as f64));
    assert_eq!(value("Paths"), Data::Float(PATHS as f64));
    assert_eq!(
        value("Reproduce with"),
        Data::String("impasse report".into())
    );
    assert_eq!(
        value("Recommended strategy"),
        Data::String(data.recommended.clone())
    );
    let c = data
        .run
        .comparisons
        .iter()
        .find(|c| c.strategy == data.recommended)
        .expect("the recommended strategy is not the baseline here");
    assert_eq!(
        value("Gain over baseline, mean ($)"),
        Data::Float(c.revenue_diff.mean)
    );
    assert_eq!(
        value("Gain over baseline, 95 % low ($)"),
        Data::Float(c.revenue_diff.ci95.0)
    );
    assert_eq!(
        value("Gain over baseline, 95 % high ($)"),
        Data::Float(c.revenue_diff.ci95.1)
    );
    assert_eq!(
        value("P(earns more than baseline)"),
        Data::Float(c.p_better)
    );
}

#[test]
fn summary_strategy_table_equals_impasse_run_json() {
    let (data, bytes) = board();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_impasse"))
        .args(["run", "--format", "json", "--quiet"])
        .args(["--paths", &PATHS.to_string(), "--seed", &SEED.to_string()])
        .output()
        .expect("impasse runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["paths"], PATHS);
    assert_eq!(json["seed"], SEED);

    let range = sheet(bytes, "Summary");
    let header = find_row(&range, "Strategy", "Revenue mean ($)");
    let strategies = json["strategies"].as_array().unwrap();
    for (i, name) in data.ranking.iter().enumerate() {
        let row = header + 1 + i as u32;
        let s = strategies
            .iter()
            .find(|s| s["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} in the JSON"));
        for (h, pointer, _, _) in strategy_columns() {
            let cell = number(&range, row, find_col(&range, header, h));
            let j = s.pointer(pointer).unwrap_or_else(|| panic!("{pointer}"));
            match (cell, j.as_f64()) {
                (None, None) => assert!(j.is_null(), "{name}: {h}"),
                (Some(x), Some(y)) => assert!(close(x, y), "{name}: {h}: {x} vs {y}"),
                (x, _) => panic!("{name}: {h}: cell {x:?}, JSON {j}"),
            }
        }
    }

    // The Comparisons sheet against the JSON's comparisons.
    let range = sheet(bytes, "Comparisons");
    let comparisons = json["comparisons"].as_array().unwrap();
    assert_eq!(comparisons.len(), data.run.comparisons.len());
    for c in comparisons {
        let name = c["strategy"].as_str().unwrap();
        let row = find_row(&range, name, c["baseline"].as_str().unwrap());
        for (h, pointer) in [
            ("Revenue diff mean ($)", "/revenue_diff/mean"),
            ("Revenue diff 95 % low ($)", "/revenue_diff/ci95/0"),
            ("Revenue diff 95 % high ($)", "/revenue_diff/ci95/1"),
            ("Margin diff mean ($)", "/margin_diff/mean"),
            ("Patient-weeks diff mean", "/patient_weeks_diff/mean"),
            ("P(better)", "/p_better"),
            ("P(worse)", "/p_worse"),
        ] {
            let x = number(&range, row, find_col(&range, 0, h)).unwrap();
            let y = c.pointer(pointer).unwrap().as_f64().unwrap();
            assert!(close(x, y), "{name}: {h}: {x} vs {y}");
        }
    }
}

/// The number format of the cell at (`row`, `col`), if it has one.
fn format_code(styles: &StyleRange, row: u32, col: u32) -> Option<String> {
    styles
        .get((row, col))
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone())
}

/// Every cell of `range` with its absolute position.
fn cells(range: &Range<Data>) -> Vec<(u32, u32, Data)> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .cells()
        .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, d.clone()))
        .collect()
}

#[test]
fn no_number_is_written_as_text() {
    let (data, bytes) = board();
    // The scenario's inputs as written: those fixed at a number, which used
    // to be text, must now be numbers.
    let fixed: Vec<&str> = data
        .assumptions
        .iter()
        .filter(|a| matches!(Dist::parse(&a.value), Ok(Dist::Fixed(_))))
        .map(|a| a.value.as_str())
        .collect();
    assert!(
        fixed.len() >= 30,
        "the built-in scenario has many fixed inputs"
    );
    let mut strings = 0;
    for name in SHEETS {
        for (r, c, cell) in cells(&sheet(bytes, name)) {
            if let Data::String(s) = cell {
                strings += 1;
                // Names, descriptions, distributions and notes are text; a
                // text that reads as a number is a number stored as text.
                assert!(
                    s.trim().parse::<f64>().is_err(),
                    "{name} ({r}, {c}): number {s:?} written as text"
                );
            }
        }
    }
    assert!(strings > 100, "the sheets were read");
}

#[test]
fn every_number_has_a_number_format() {
    let (_, bytes) = board();
    let mut numbers = 0;
    for name in SHEETS {
        let styles = open(bytes).worksheet_style(name).unwrap();
        for (r, c, cell) in cells(&sheet(bytes, name)) {
            if let Data::Float(x) = cell {
                numbers += 1;
                let code = format_code(&styles, r, c)
                    .unwrap_or_else(|| panic!("{name} ({r}, {c}): {x} has no number format"));
                assert!(
                    !code.eq_ignore_ascii_case("general"),
                    "{name} ({r}, {c}): {x} in General"
                );
            }
        }
    }
    assert!(numbers > 1000, "the sheets were read");
}

/// Money is in $M wherever a header or a label says the unit is dollars:
/// in every table column whose header contains `($` (down to the end of
/// its table), in the value of every label/value row whose label does, and
/// in the rows of a metric comparison whose unit is `$`.
#[test]
fn money_is_shown_in_millions_wherever_the_unit_is_dollars() {
    let (data, bytes) = board();
    let mut checked = 0;
    for name in SHEETS {
        let range = sheet(bytes, name);
        let styles = open(bytes).worksheet_style(name).unwrap();
        let (h, _) = range.end().unwrap();
        let mut money = |r: u32, c: u32, what: &str| {
            if let Data::Float(x) = at(&range, r, c) {
                assert_eq!(
                    format_code(&styles, r, c).as_deref(),
                    Some(MONEY_FORMAT),
                    "{name} ({r}, {c}) {what}: {x}"
                );
                checked += 1;
            }
        };
        for (r, c, cell) in cells(&range) {
            let Data::String(s) = cell else { continue };
            if !s.contains("($") {
                continue;
            }
            if c == 0 && !matches!(at(&range, r, 1), Data::String(_)) {
                // A label and its value.
                money(r, 1, &s);
            } else {
                // A header: its column down to the end of the table.
                let mut row = r + 1;
                while row <= h && at(&range, row, 0) != Data::Empty {
                    money(row, c, &s);
                    row += 1;
                }
            }
        }
        if name == "Comparisons" {
            for r in 0..=h {
                if string_or_empty(&range, r, 1) == "$" {
                    for c in 2..=7 {
                        money(r, c, "a $ metric");
                    }
                }
            }
        }
    }
    // Six strategies: the Summary alone has ~80 money cells, the
    // Distribution ~600.
    assert!(checked > 700, "{checked} money cells");
    assert_eq!(data.ranking.len(), 6);
    // And the format is the report's $M: 230,480,000 shows as $230.48M.
    assert_eq!(MONEY_FORMAT, "$#,##0.00,,\"M\"");
}

#[test]
fn comparisons_tornado_timing_and_distribution_hold_the_analyses() {
    let (data, bytes) = board();

    let range = sheet(bytes, "Comparisons");
    for c in &data.run.comparisons {
        let row = find_row(&range, &c.strategy, &c.baseline);
        let col = |h: &str| find_col(&range, 0, h);
        assert_eq!(
            number(&range, row, col("Revenue diff mean ($)")),
            Some(c.revenue_diff.mean)
        );
        assert_eq!(
            number(&range, row, col("Revenue diff mcse ($)")),
            Some(c.revenue_diff.mcse)
        );
        assert_eq!(
            number(&range, row, col("Margin diff 95 % high ($)")),
            Some(c.margin_diff.ci95.1)
        );
        assert_eq!(
            number(&range, row, col("Patient-weeks diff 95 % low")),
            expected(c.patient_weeks_diff.ci95.0)
        );
        assert_eq!(number(&range, row, col("P(worse)")), Some(c.p_worse));
    }
    for report in [&data.versus_baseline, &data.versus_runner_up] {
        let v = report.as_ref().expect("the built-in scenario has both");
        let title = format!("Recommended ({})", v.a);
        let (h, _) = range.end().unwrap();
        let start = (0..=h)
            .find(|&r| {
                let s = string_or_empty(&range, r, 0);
                s.starts_with(&title) && s.contains(&format!("({})", v.b))
            })
            .expect("the comparison's title");
        for (i, m) in v.metrics.iter().enumerate() {
            let row = start + 2 + i as u32;
            assert_eq!(string(&range, row, 0), m.metric);
            assert_eq!(number(&range, row, 2), expected(m.mean_a));
            assert_eq!(number(&range, row, 4), expected(m.diff_mean));
            assert_eq!(number(&range, row, 7), expected(m.diff_ci95.1));
        }
        let after = start + 2 + v.metrics.len() as u32;
        assert_eq!(string(&range, after, 0), "P(A earns more than B)");
        assert_eq!(number(&range, after, 1), Some(v.p_a_better));
    }

    let t = data.tornado.as_ref().expect("a tornado");
    let range = sheet(bytes, "Tornado");
    // A number in the second column reads as "" in `find_row`.
    let base_row = find_row(&range, "Base value (scenario as written)", "");
    let (h, _) = range.end().unwrap();
    assert_eq!(number(&range, base_row, 1), Some(t.base));
    let header = find_row(&range, "Input", "Kind");
    for (i, b) in t.bars.iter().enumerate() {
        let row = header + 1 + i as u32;
        assert_eq!(string(&range, row, 0), b.input);
        assert_eq!(
            number(&range, row, find_col(&range, header, "Low")),
            Some(b.low)
        );
        assert_eq!(
            number(&range, row, find_col(&range, header, "High")),
            Some(b.high)
        );
        assert_eq!(
            number(&range, row, find_col(&range, header, "Swing ($)")),
            Some(b.swing)
        );
        let flips = string(&range, row, find_col(&range, header, "Flips"));
        assert_eq!(flips, if b.flips == Some(true) { "yes" } else { "no" });
        // What the chart draws: each end's change from the base.
        assert_eq!(
            number(
                &range,
                row,
                find_col(&range, header, "Change from base at low ($)")
            ),
            Some(b.metric_low - t.base)
        );
        assert_eq!(
            number(
                &range,
                row,
                find_col(&range, header, "Change from base at high ($)")
            ),
            Some(b.metric_high - t.base)
        );
        // The input as written: a fixed value as a number, else its text.
        let fixed = find_col(&range, header, "Fixed value");
        let dist = find_col(&range, header, "Distribution");
        match Dist::parse(&b.as_written).unwrap() {
            Dist::Fixed(x) => {
                assert_eq!(number(&range, row, fixed), Some(x), "{}", b.input);
                assert_eq!(at(&range, row, dist), Data::Empty, "{}", b.input);
            }
            _ => {
                assert_eq!(number(&range, row, fixed), None, "{}", b.input);
                assert_eq!(string(&range, row, dist), b.as_written);
            }
        }
    }
    assert!(
        t.bars
            .iter()
            .any(|b| matches!(Dist::parse(&b.as_written), Ok(Dist::Fixed(_)))),
        "some fixed input in the tornado"
    );
    if let Some(th) = &data.threshold {
        let row = (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == "Conclusion")
            .expect("the threshold's conclusion");
        assert_eq!(string(&range, row, 1), th.conclusion);
        let row = (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == "Break-even value")
            .unwrap();
        assert_eq!(number(&range, row, 1), th.crossing);
        let row = (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == "As written")
            .unwrap();
        match Dist::parse(&th.as_written).unwrap() {
            Dist::Fixed(x) => assert_eq!(number(&range, row, 1), Some(x)),
            _ => assert_eq!(string(&range, row, 1), th.as_written),
        }
    }

    let t = data.timing.as_ref().expect("a timing analysis");
    let range = sheet(bytes, "Timing");
    let header = find_row(&range, "Week", "Revenue mean ($)");
    for (i, w) in t.weeks.iter().enumerate() {
        let row = header + 1 + i as u32;
        assert_eq!(number(&range, row, 0), Some(f64::from(w.week)));
        assert_eq!(number(&range, row, 1), Some(w.revenue_mean));
        assert_eq!(number(&range, row, 5), Some(w.p_out_of_network));
        assert_eq!(
            string(&range, row, 10),
            if w.is_best { "yes" } else { "no" }
        );
    }
    let row = find_row(&range, "on impasse", "");
    assert_eq!(number(&range, row, 1), Some(t.on_impasse.revenue_mean));

    let range = sheet(bytes, "Distribution");
    assert_eq!(string(&range, 0, 0), "Percentile");
    for (j, cdf) in data.revenue_cdfs.iter().enumerate() {
        let col = j as u32 + 1;
        assert_eq!(string(&range, 0, col), format!("{} ($)", cdf.strategy));
        for (i, &(revenue, q)) in cdf.points.iter().enumerate() {
            let row = i as u32 + 1;
            assert_eq!(number(&range, row, 0), Some(q));
            assert_eq!(number(&range, row, col), Some(revenue));
        }
    }
    assert_eq!(data.revenue_cdfs[0].points.len(), 99);
}

#[test]
fn assumptions_has_one_row_per_input_fixed_values_as_numbers() {
    let (data, bytes) = board();
    let inputs = Scenario::builtin().inputs();
    let range = sheet(bytes, "Assumptions");
    let styles = open(bytes).worksheet_style("Assumptions").unwrap();
    assert_eq!(string(&range, 0, 0), "Input");
    assert_eq!(
        range.end().unwrap().0 as usize,
        inputs.len(),
        "header + one row each"
    );
    let col = |h: &str| find_col(&range, 0, h);
    let (fixed_col, dist_col, mean_col) = (col("Fixed value"), col("Distribution"), col("Mean"));
    let (p5, p95, min, mode, max) = (col("P5"), col("P95"), col("Min"), col("Mode"), col("Max"));
    let (mut fixed, mut uncertain) = (0, 0);
    for (i, ((path, dist), a)) in inputs.iter().zip(&data.assumptions).enumerate() {
        let row = i as u32 + 1;
        assert_eq!(&string(&range, row, 0), path);
        assert_eq!(
            string(&range, row, col("Uncertain")),
            if dist.is_fixed() { "no" } else { "yes" }
        );
        assert_eq!(number(&range, row, mean_col), expected(a.mean));
        assert_eq!(string(&range, row, col("Note / source")), a.note);
        if let Dist::Fixed(x) = dist {
            fixed += 1;
            assert_eq!(number(&range, row, fixed_col), Some(*x), "{path}");
            assert_eq!(at(&range, row, dist_col), Data::Empty, "{path}");
            for c in [p5, p95, min, mode, max] {
                assert_eq!(at(&range, row, c), Data::Empty, "{path}");
            }
        } else {
            uncertain += 1;
            assert_eq!(number(&range, row, fixed_col), None, "{path}");
            assert_eq!(string(&range, row, dist_col), dist.to_string());
            let q = |p: f64| expected(dist.quantile(p));
            assert_eq!(number(&range, row, p5), q(0.05), "{path}");
            assert_eq!(number(&range, row, p95), q(0.95), "{path}");
            assert_eq!(number(&range, row, min), expected(dist.support().0));
            assert_eq!(number(&range, row, max), expected(dist.support().1));
            let m = number(&range, row, mode);
            match dist {
                Dist::Triangular { mode, .. } | Dist::Pert { mode, .. } => {
                    assert_eq!(m, Some(*mode), "{path}")
                }
                _ => assert_eq!(m, None, "{path}"),
            }
        }
        // Every number of the row in the input's unit.
        let unit = string(&range, row, col("Unit"));
        for c in [fixed_col, mean_col, p5, p95, min, mode, max] {
            if let Data::Float(_) = at(&range, row, c) {
                let code = format_code(&styles, row, c).unwrap();
                let want = match unit.as_str() {
                    "dollars" => MONEY_FORMAT,
                    "weeks" => WEEKS_FORMAT,
                    "patients" => COUNT_FORMAT,
                    "share or probability" => PERCENT_FORMAT,
                    "yearly uplift" | "yearly rate" | "share per week" => UPLIFT_FORMAT,
                    "number" => NUMBER_FORMAT,
                    other => panic!("{path}: unit {other:?}"),
                };
                assert_eq!(code, want, "{path} ({unit})");
            }
        }
    }
    assert!(
        fixed >= 30 && uncertain >= 10,
        "{fixed} fixed, {uncertain} uncertain"
    );
    assert!(data.assumptions.iter().any(|a| !a.note.is_empty()));

    // The units the field names tell.
    let unit = |path: &str| {
        let (h, _) = range.end().unwrap();
        let row = (1..=h)
            .find(|&r| string(&range, r, 0) == path)
            .unwrap_or_else(|| panic!("no input {path}"));
        string(&range, row, col("Unit"))
    };
    for (path, want) in [
        ("contract.annual_revenue", "dollars"),
        ("provider.oon.fixed_cost", "dollars"),
        ("item.denials.annual_value", "dollars"),
        ("contract.attributed_patients", "patients"),
        ("payer.response_weeks", "weeks"),
        ("item.denials.weeks", "weeks"),
        ("payer.stall_prob", "share or probability"),
        ("contract.contribution_margin", "share or probability"),
        ("item.denials.p_win_staff", "share or probability"),
        ("payer.reservation", "yearly uplift"),
        ("payer.exec.backlash_reservation_loss", "yearly uplift"),
        ("contract.discount_rate", "yearly rate"),
        ("provider.oon.weekly_switch_rate", "share per week"),
        ("payer.concession_exponent", "number"),
        ("payer.oon.return_shape", "number"),
    ] {
        assert_eq!(unit(path), want, "{path}");
    }
}

#[test]
fn a_single_strategy_gives_a_valid_workbook_with_notes() {
    let mut scenario = Scenario::builtin();
    scenario.strategies.retain(|s| s.name == "wait");
    scenario.baseline = None;
    let data = gather(
        &scenario,
        DEFAULT_SCENARIO_TOML,
        "impasse report one.toml",
        &BoardBudget {
            run: Budget {
                paths: 500,
                seed: 3,
                threads: Some(2),
            },
            analysis_paths: 200,
        },
        &|_| {},
    )
    .unwrap();
    assert!(data.tornado.is_none() && data.timing.is_none() && data.versus_runner_up.is_none());
    let bytes = workbook(&data).unwrap();
    let wb = open(&bytes);
    assert_eq!(wb.sheet_names(), SHEETS.map(String::from).to_vec());

    let range = sheet(&bytes, "Summary");
    let header = find_row(&range, "Strategy", "Revenue mean ($)");
    assert_eq!(string(&range, header + 1, 0), "wait");
    assert_eq!(at(&range, header + 2, 0), Data::Empty);
    assert_eq!(
        number(&range, header + 1, 1),
        Some(data.run.strategies[0].revenue.mean)
    );

    let first = |name: &str| string(&sheet(&bytes, name), 0, 0);
    assert_eq!(first("Tornado"), "Only one strategy: no tornado.");
    // The strategy charts, with one strategy; no tornado chart.
    let parts = chart_parts(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]);
    for (name, xml) in &parts {
        let doc = roxmltree::Document::parse(xml).unwrap();
        check_chart(name, &doc);
    }
    assert!(first("Comparisons").starts_with("Only one strategy"));
    assert!(first("Timing").contains("no timing analysis"));
    assert_eq!(
        first("Information"),
        "Only one strategy: no value of information."
    );
    assert_eq!(first("Assumptions"), "Input");
    assert_eq!(first("Distribution"), "Percentile");
}

// ---------------------------------------------------------------------------
// The charts, read from the `.xlsx` zip itself. calamine does not read
// charts and the `zip` crate is no direct dependency, so a small reader of
// the zip's central directory and of deflate (RFC 1951) does it here.

/// The files of a zip archive, by name: their uncompressed bytes.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    let u32_at = |i: usize| {
        u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize
    };
    let end = (0..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("the end of the central directory");
    let mut at = u32_at(end + 16);
    let mut files = std::collections::BTreeMap::new();
    for _ in 0..u16_at(end + 10) {
        assert_eq!(
            bytes[at..at + 4],
            [0x50, 0x4b, 0x01, 0x02],
            "a central entry"
        );
        let method = u16_at(at + 10);
        let (packed, size) = (u32_at(at + 20), u32_at(at + 24));
        let name_len = u16_at(at + 28);
        let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let local = u32_at(at + 42);
        let start = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let raw = &bytes[start..start + packed];
        let data = match method {
            0 => raw.to_vec(),
            8 => inflate(raw),
            m => panic!("{name}: compression method {m}"),
        };
        assert_eq!(data.len(), size, "{name} inflates to its size");
        files.insert(name, data);
        at += 46 + name_len + u16_at(at + 30) + u16_at(at + 32);
    }
    files
}

/// Reads a deflate stream bit by bit, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    n: u32,
}

/// A canonical Huffman code: how many codes of each length, and the symbols
/// in code order.
struct Huffman {
    counts: [i32; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Huffman {
        let mut counts = [0i32; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut offsets = [0usize; 16];
        for l in 1..16 {
            offsets[l] = offsets[l - 1] + counts[l - 1] as usize;
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (symbol, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[offsets[usize::from(l)]] = symbol as u16;
                offsets[usize::from(l)] += 1;
            }
        }
        Huffman { counts, symbols }
    }
}

impl Bits<'_> {
    fn bits(&mut self, k: u32) -> usize {
        while self.n < k {
            let byte = *self.data.get(self.pos).expect("a complete deflate stream");
            self.pos += 1;
            self.buf |= u64::from(byte) << self.n;
            self.n += 8;
        }
        let v = (self.buf & ((1u64 << k) - 1)) as usize;
        self.buf >>= k;
        self.n -= k;
        v
    }

    fn decode(&mut self, h: &Huffman) -> usize {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= self.bits(1) as i32;
            let count = h.counts[len];
            if code - count < first {
                return usize::from(h.symbols[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        panic!("an invalid Huffman code")
    }
}

fn inflate(data: &[u8]) -> Vec<u8> {
    const LENGTH_BASE: [usize; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LENGTH_EXTRA: [u32; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DIST_BASE: [usize; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u32; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];
    const ORDER: [usize; 19] = [
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ];
    let mut r = Bits {
        data,
        pos: 0,
        buf: 0,
        n: 0,
    };
    let mut out: Vec<u8> = Vec::new();
    loop {
        let last = r.bits(1) == 1;
        let (lit, dist) = match r.bits(2) {
            0 => {
                // Stored: the rest of the byte is dropped, then LEN, NLEN.
                r.buf = 0;
                r.n = 0;
                let len = usize::from(u16::from_le_bytes([data[r.pos], data[r.pos + 1]]));
                r.pos += 4;
                out.extend_from_slice(&data[r.pos..r.pos + len]);
                r.pos += len;
                if last {
                    break;
                }
                continue;
            }
            1 => {
                let mut lengths = [8u8; 288];
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                (Huffman::new(&lengths), Huffman::new(&[5u8; 30]))
            }
            2 => {
                let nlen = r.bits(5) + 257;
                let ndist = r.bits(5) + 1;
                let ncode = r.bits(4) + 4;
                let mut code_lengths = [0u8; 19];
                for &i in &ORDER[..ncode] {
                    code_lengths[i] = r.bits(3) as u8;
                }
                let code = Huffman::new(&code_lengths);
                let mut lengths: Vec<u8> = Vec::new();
                while lengths.len() < nlen + ndist {
                    match r.decode(&code) {
                        s @ 0..=15 => lengths.push(s as u8),
                        16 => {
                            let prev = *lengths.last().expect("a length to repeat");
                            let n = 3 + r.bits(2);
                            lengths.extend(std::iter::repeat_n(prev, n));
                        }
                        17 => {
                            let n = 3 + r.bits(3);
                            lengths.extend(std::iter::repeat_n(0, n));
                        }
                        _ => {
                            let n = 11 + r.bits(7);
                            lengths.extend(std::iter::repeat_n(0, n));
                        }
                    }
                }
                (
                    Huffman::new(&lengths[..nlen]),
                    Huffman::new(&lengths[nlen..]),
                )
            }
            _ => panic!("an invalid deflate block type"),
        };
        loop {
            let symbol = r.decode(&lit);
            if symbol < 256 {
                out.push(symbol as u8);
            } else if symbol == 256 {
                break;
            } else {
                let s = symbol - 257;
                let len = LENGTH_BASE[s] + r.bits(LENGTH_EXTRA[s]);
                let d = r.decode(&dist);
                let distance = DIST_BASE[d] + r.bits(DIST_EXTRA[d]);
                let start = out.len() - distance;
                for i in 0..len {
                    out.push(out[start + i]);
                }
            }
        }
        if last {
            break;
        }
    }
    out
}

/// The chart parts of a workbook, `xl/charts/chart1.xml` ..., in order.
fn chart_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut parts: Vec<(String, String)> = unzip(bytes)
        .into_iter()
        .filter(|(name, _)| name.starts_with("xl/charts/chart") && name.ends_with(".xml"))
        .map(|(name, data)| (name, String::from_utf8(data).unwrap()))
        .collect();
    parts.sort_by_key(|(name, _)| name.len());
    parts
}

/// The charts drawn on the `i`-th sheet (1-based, workbook order), as chart
/// part names.
fn charts_on_sheet(files: &std::collections::BTreeMap<String, Vec<u8>>, i: usize) -> Vec<String> {
    let targets = |rels: &str| -> Vec<String> {
        let Some(data) = files.get(rels) else {
            return Vec::new();
        };
        let xml = std::str::from_utf8(data).unwrap();
        let doc = roxmltree::Document::parse(xml).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("Relationship"))
            .filter_map(|n| n.attribute("Target"))
            .map(|t| t.trim_start_matches("../").to_string())
            .collect()
    };
    targets(&format!("xl/worksheets/_rels/sheet{i}.xml.rels"))
        .into_iter()
        .filter(|t| t.starts_with("drawings/"))
        .flat_map(|d| {
            let file = d.trim_start_matches("drawings/");
            targets(&format!("xl/drawings/_rels/{file}.rels"))
        })
        .map(|c| format!("xl/{c}"))
        .collect()
}

const C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";

/// The text of a chart's `c:title` element (its runs joined).
fn title_text(title: roxmltree::Node<'_, '_>) -> String {
    title
        .descendants()
        .filter(|n| n.has_tag_name((A, "t")))
        .filter_map(|n| n.text())
        .collect()
}

/// A child element by its chart-namespace name.
fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((C, name)))
}

/// The cell reference (`c:f`) under `node`'s child `name`.
fn reference(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    child(node, name)
        .and_then(|n| n.descendants().find(|d| d.has_tag_name((C, "f"))))
        .and_then(|f| f.text())
        .unwrap_or_else(|| panic!("no cell reference under c:{name}"))
        .to_string()
}

/// The cells a reference such as `Summary!$B$31:$B$36` names, read back.
fn resolve(bytes: &[u8], reference: &str) -> Vec<Data> {
    let (name, cells) = reference.split_once('!').expect("a sheet name");
    let cell = |s: &str| {
        let s = s.replace('$', "");
        let letters: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let row: u32 = s[letters.len()..].parse().unwrap();
        let col = letters
            .bytes()
            .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
        (row - 1, col - 1)
    };
    let (from, to) = cells.split_once(':').unwrap_or((cells, cells));
    let ((r1, c1), (r2, c2)) = (cell(from), cell(to));
    let range = sheet(bytes, name.trim_matches('\''));
    let mut out = Vec::new();
    for r in r1..=r2 {
        for c in c1..=c2 {
            out.push(at(&range, r, c));
        }
    }
    out
}

fn floats(cells: Vec<Data>) -> Vec<f64> {
    cells
        .into_iter()
        .map(|d| match d {
            Data::Float(x) => x,
            other => panic!("{other:?} is not a number"),
        })
        .collect()
}

fn strings(cells: Vec<Data>) -> Vec<String> {
    cells
        .into_iter()
        .map(|d| match d {
            Data::String(s) => s,
            other => panic!("{other:?} is not text"),
        })
        .collect()
}

/// Checks common to every chart: a title and axis titles in words, and
/// data from cells, never literal values. Returns the plot area's chart
/// element (`c:lineChart`, ...) and the chart's title.
fn check_chart<'a, 'i>(
    name: &str,
    doc: &'a roxmltree::Document<'i>,
) -> (roxmltree::Node<'a, 'i>, String) {
    assert!(
        !doc.descendants()
            .any(|n| n.has_tag_name((C, "numLit")) || n.has_tag_name((C, "strLit"))),
        "{name}: literal values"
    );
    let chart = child(doc.root_element(), "chart").unwrap();
    let title = title_text(child(chart, "title").unwrap_or_else(|| panic!("{name}: a title")));
    assert!(
        title.split_whitespace().count() >= 4,
        "{name}: title {title:?}"
    );
    let plot = child(chart, "plotArea").unwrap();
    let mut axes = 0;
    for axis in plot
        .children()
        .filter(|n| n.has_tag_name((C, "catAx")) || n.has_tag_name((C, "valAx")))
    {
        axes += 1;
        let t = title_text(child(axis, "title").unwrap_or_else(|| panic!("{name}: axis title")));
        assert!(
            t.chars().any(|c| c.is_alphabetic()),
            "{name}: axis title {t:?}"
        );
    }
    assert_eq!(axes, 2, "{name}: two axes");
    let kind = plot
        .children()
        .find(|n| n.is_element() && n.tag_name().name().ends_with("Chart"))
        .unwrap_or_else(|| panic!("{name}: a chart type"));
    (kind, title)
}

#[test]
fn the_workbook_has_native_charts_drawn_from_its_cells() {
    let (data, bytes) = board();
    let parts = chart_parts(bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "xl/charts/chart1.xml",
            "xl/charts/chart2.xml",
            "xl/charts/chart3.xml"
        ]
    );
    // The two strategy charts beside the Summary's findings, the tornado on
    // its sheet.
    let files = unzip(bytes);
    assert_eq!(
        charts_on_sheet(&files, 1),
        ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    );
    assert_eq!(charts_on_sheet(&files, 3), ["xl/charts/chart3.xml"]);
    for i in [2, 4, 5, 6, 7] {
        assert!(charts_on_sheet(&files, i).is_empty(), "sheet {i}");
    }

    let strategy = |name: &str| data.run.strategies.iter().find(|s| s.name == name).unwrap();
    let ranked: Vec<&StrategyReport> = data.ranking.iter().map(|n| strategy(n)).collect();

    // (a) Expected revenue by strategy with P5 and P95, joined by high-low
    // lines, from the Summary's strategy table.
    let doc = roxmltree::Document::parse(&parts[0].1).unwrap();
    let (kind, title) = check_chart("strategy comparison", &doc);
    assert!(kind.has_tag_name((C, "lineChart")), "{title}");
    assert!(title.contains("revenue by strategy"), "{title}");
    assert!(child(kind, "hiLowLines").is_some(), "the P5–P95 range");
    let series: Vec<_> = kind
        .children()
        .filter(|n| n.has_tag_name((C, "ser")))
        .collect();
    assert_eq!(series.len(), 3);
    let expected: [Vec<f64>; 3] = [
        ranked.iter().map(|s| s.revenue.p5).collect(),
        ranked.iter().map(|s| s.revenue.mean).collect(),
        ranked.iter().map(|s| s.revenue.p95).collect(),
    ];
    for (ser, want) in series.iter().zip(&expected) {
        let cat = reference(*ser, "cat");
        assert!(cat.starts_with("Summary!"), "{cat}");
        assert_eq!(strings(resolve(bytes, &cat)), data.ranking);
        let val = reference(*ser, "val");
        assert_eq!(&floats(resolve(bytes, &val)), want, "{val}");
    }

    // (b) Risk and return: one point per strategy, its CVaR5 across and
    // its mean up, named (and labelled) from its cell.
    let doc = roxmltree::Document::parse(&parts[1].1).unwrap();
    let (kind, title) = check_chart("risk-return", &doc);
    assert!(kind.has_tag_name((C, "scatterChart")), "{title}");
    let series: Vec<_> = kind
        .children()
        .filter(|n| n.has_tag_name((C, "ser")))
        .collect();
    assert_eq!(series.len(), ranked.len());
    for (ser, s) in series.iter().zip(&ranked) {
        assert_eq!(
            strings(resolve(bytes, &reference(*ser, "tx"))),
            [s.name.as_str()]
        );
        assert_eq!(
            floats(resolve(bytes, &reference(*ser, "xVal"))),
            [s.revenue.cvar5]
        );
        assert_eq!(
            floats(resolve(bytes, &reference(*ser, "yVal"))),
            [s.revenue.mean]
        );
        let label = reference(*ser, "dLbls");
        assert_eq!(strings(resolve(bytes, &label)), [s.name.as_str()]);
    }
    let axis_titles: Vec<String> = child(child(doc.root_element(), "chart").unwrap(), "plotArea")
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name((C, "valAx")))
        .map(|a| title_text(child(a, "title").unwrap()))
        .collect();
    assert!(axis_titles[0].contains("Downside"), "{axis_titles:?}");
    assert!(axis_titles[1].contains("Expected"), "{axis_titles:?}");

    // (c) The tornado: the inputs that move the difference most, largest
    // swing on top, each end's change from the base, from the Tornado sheet.
    let t = data.tornado.as_ref().unwrap();
    let doc = roxmltree::Document::parse(&parts[2].1).unwrap();
    let (kind, title) = check_chart("tornado", &doc);
    assert!(kind.has_tag_name((C, "barChart")), "{title}");
    assert_eq!(
        child(kind, "barDir").unwrap().attribute("val"),
        Some("bar"),
        "horizontal bars"
    );
    assert!(title.contains(&t.strategies.join(" − ")), "{title}");
    let series: Vec<_> = kind
        .children()
        .filter(|n| n.has_tag_name((C, "ser")))
        .collect();
    assert_eq!(series.len(), 2);
    let n = t
        .bars
        .iter()
        .take(impasse::report::board_charts::TORNADO_BARS)
        .take_while(|b| b.swing > 0.0)
        .count();
    assert!(n >= 3, "the built-in scenario's tornado has bars");
    let bars = &t.bars[..n];
    for (ser, end) in series.iter().zip(["low", "high"]) {
        let cat = reference(*ser, "cat");
        assert!(cat.starts_with("Tornado!"), "{cat}");
        let inputs: Vec<String> = bars.iter().map(|b| b.input.clone()).collect();
        assert_eq!(strings(resolve(bytes, &cat)), inputs);
        let want: Vec<f64> = bars
            .iter()
            .map(|b| if end == "low" { b.metric_low } else { b.metric_high } - t.base)
            .collect();
        assert_eq!(
            floats(resolve(bytes, &reference(*ser, "val"))),
            want,
            "{end}"
        );
    }
    // Largest swing on top: the category axis runs top down.
    let cat_axis = child(child(doc.root_element(), "chart").unwrap(), "plotArea")
        .unwrap()
        .children()
        .find(|n| n.has_tag_name((C, "catAx")))
        .unwrap();
    let orientation = child(child(cat_axis, "scaling").unwrap(), "orientation").unwrap();
    assert_eq!(orientation.attribute("val"), Some("maxMin"));

    // Money axes in $M.
    for (_, xml) in &parts {
        assert!(xml.contains("formatCode=\"$#,##0.0,,&quot;M&quot;\""));
    }
}

#[test]
fn the_information_sheet_holds_the_value_of_information_and_the_sobol_indices() {
    let (data, bytes) = board();
    let v = data.information.as_ref().expect("a value of information");
    let d = data.drivers.as_ref().expect("Sobol' indices");
    let range = sheet(bytes, "Information");
    let styles = open(bytes).worksheet_style("Information").unwrap();
    let row_of = |label: &str| {
        let (h, _) = range.end().unwrap();
        (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == label)
            .unwrap_or_else(|| panic!("no {label:?} row"))
    };
    let r = row_of("EVPI ($)");
    assert_eq!(number(&range, r, 1), Some(v.evpi.mean));
    assert_eq!(format_code(&styles, r, 1).as_deref(), Some(MONEY_FORMAT));
    assert_eq!(
        number(&range, row_of("EVPI mcse ($)"), 1),
        Some(v.evpi.mcse)
    );
    assert_eq!(string(&range, row_of("Best on average"), 1), v.best);

    // One row per EVPPI, in the report's order, exact.
    let header = find_row(&range, "Input or group", "Kind");
    let col = |h: &str| find_col(&range, header, h);
    for (k, e) in v.evppi.iter().enumerate() {
        let r = header + 1 + k as u32;
        assert_eq!(string(&range, r, 0), e.label);
        assert_eq!(string(&range, r, col("Kind")), e.kind);
        assert_eq!(number(&range, r, col("EVPPI ($)")), expected(e.value));
        assert_eq!(number(&range, r, col("EVPPI mcse ($)")), expected(e.mcse));
        assert_eq!(
            number(&range, r, col("Share of EVPI")),
            expected(e.share_of_evpi)
        );
        assert_eq!(
            format_code(&styles, r, col("Share of EVPI")).as_deref(),
            Some(PERCENT_FORMAT)
        );
        assert_eq!(number(&range, r, col("Lowest R²")), expected(e.r2));
        assert_eq!(
            string(&range, r, col("Warning")),
            e.warning.clone().unwrap_or_default()
        );
    }
    assert_eq!(
        at(&range, header + 1 + v.evppi.len() as u32, 0),
        Data::Empty
    );

    // Then one row per Sobol' factor, by total index, exact.
    let header = find_row(&range, "Factor", "Kind");
    let col = |h: &str| find_col(&range, header, h);
    for (k, f) in d.sobol.iter().enumerate() {
        let r = header + 1 + k as u32;
        assert_eq!(string(&range, r, 0), f.label);
        assert_eq!(string(&range, r, col("Kind")), f.kind);
        assert_eq!(number(&range, r, col("First-order S1")), expected(f.s1));
        assert_eq!(number(&range, r, col("Total ST")), expected(f.st));
        assert_eq!(
            number(&range, r, col("ST 95 % low")),
            f.st_ci95.and_then(|c| expected(c[0]))
        );
        assert_eq!(
            number(&range, r, col("ST 95 % high")),
            f.st_ci95.and_then(|c| expected(c[1]))
        );
        assert_eq!(
            format_code(&styles, r, col("Total ST")).as_deref(),
            Some(PERCENT_FORMAT)
        );
    }
    assert!(d.sobol.iter().any(|f| f.kind == "chance"));
}
