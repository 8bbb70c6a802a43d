//! The board report's workbook, read back with calamine: every sheet is
//! there; the Summary's strategy table holds exactly the numbers of the
//! `RunReport` and of `impasse run --format json` with the same paths and
//! seed, as numbers (never text) with the documented formats; the other
//! sheets hold their analyses' numbers; and a scenario with one strategy
//! still gives a valid workbook whose empty sheets say why.

use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use impasse::analysis::Budget;
use impasse::analysis::board::{BoardBudget, BoardData, gather};
use impasse::report::StrategyReport;
use impasse::report::xlsx::{
    COUNT_FORMAT, DOLLARS_FORMAT, PERCENT_FORMAT, SHEETS, UPLIFT_FORMAT, WEEKS_FORMAT, workbook,
};
use impasse::scenario::{DEFAULT_SCENARIO_TOML, Scenario};
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
            DOLLARS_FORMAT,
        ),
        (
            "Revenue mcse ($)",
            "/revenue/mcse",
            |s| s.revenue.mcse,
            DOLLARS_FORMAT,
        ),
        (
            "Revenue P5 ($)",
            "/revenue/p5",
            |s| s.revenue.p5,
            DOLLARS_FORMAT,
        ),
        (
            "Revenue P50 ($)",
            "/revenue/p50",
            |s| s.revenue.p50,
            DOLLARS_FORMAT,
        ),
        (
            "Revenue P95 ($)",
            "/revenue/p95",
            |s| s.revenue.p95,
            DOLLARS_FORMAT,
        ),
        (
            "Revenue CVaR5 ($)",
            "/revenue/cvar5",
            |s| s.revenue.cvar5,
            DOLLARS_FORMAT,
        ),
        (
            "Margin mean ($)",
            "/margin/mean",
            |s| s.margin.mean,
            DOLLARS_FORMAT,
        ),
        (
            "Margin mcse ($)",
            "/margin/mcse",
            |s| s.margin.mcse,
            DOLLARS_FORMAT,
        ),
        (
            "Margin P5 ($)",
            "/margin/p5",
            |s| s.margin.p5,
            DOLLARS_FORMAT,
        ),
        (
            "Margin P50 ($)",
            "/margin/p50",
            |s| s.margin.p50,
            DOLLARS_FORMAT,
        ),
        (
            "Margin P95 ($)",
            "/margin/p95",
            |s| s.margin.p95,
            DOLLARS_FORMAT,
        ),
        (
            "Margin CVaR5 ($)",
            "/margin/cvar5",
            |s| s.margin.cvar5,
            DOLLARS_FORMAT,
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
            DOLLARS_FORMAT,
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

#[test]
fn no_number_is_written_as_text() {
    let (data, bytes) = board();
    // Inputs as written in the scenario are text on purpose (`0.03`, `pert(...)`).
    let mut as_written: Vec<&str> = data.assumptions.iter().map(|a| a.value.as_str()).collect();
    as_written.extend(data.threshold.iter().map(|t| t.as_written.as_str()));
    for name in SHEETS {
        let range = sheet(bytes, name);
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Data::String(s) = cell {
                    assert!(
                        as_written.contains(&s.as_str()) || s.trim().parse::<f64>().is_err(),
                        "{name} ({r}, {c}): number {s:?} written as text"
                    );
                }
            }
        }
    }
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
    }
    if let Some(th) = &data.threshold {
        let row = (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == "Conclusion")
            .expect("the threshold's conclusion");
        assert_eq!(string(&range, row, 1), th.conclusion);
        let row = (0..=h)
            .find(|&r| string_or_empty(&range, r, 0) == "Break-even value")
            .unwrap();
        assert_eq!(number(&range, row, 1), th.crossing);
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
fn assumptions_has_one_row_per_input() {
    let (data, bytes) = board();
    let inputs = Scenario::builtin().inputs();
    let range = sheet(bytes, "Assumptions");
    assert_eq!(string(&range, 0, 0), "Input");
    assert_eq!(
        range.end().unwrap().0 as usize,
        inputs.len(),
        "header + one row each"
    );
    for (i, ((path, dist), a)) in inputs.iter().zip(&data.assumptions).enumerate() {
        let row = i as u32 + 1;
        assert_eq!(&string(&range, row, 0), path);
        assert_eq!(string(&range, row, 1), dist.to_string());
        assert_eq!(
            string(&range, row, 2),
            if dist.is_fixed() { "no" } else { "yes" }
        );
        assert_eq!(number(&range, row, 3), expected(a.mean));
        assert_eq!(string(&range, row, 4), a.note);
    }
    assert!(data.assumptions.iter().any(|a| !a.note.is_empty()));
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
    assert!(first("Comparisons").starts_with("Only one strategy"));
    assert!(first("Timing").contains("no timing analysis"));
    assert_eq!(first("Assumptions"), "Input");
    assert_eq!(first("Distribution"), "Percentile");
}
