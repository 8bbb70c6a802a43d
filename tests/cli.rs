//! The command line, end to end: `run` in every format, reproducibility,
//! `--out`, `init`, `validate`, `--help`, and one test per kind of bad input
//! (exit code 2, a single `Error:` line naming what is wrong, no panic, no
//! output file).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The built-in scenario, as `impasse init` writes it.
const SCENARIO: &str = include_str!("../scenarios/community-hospital.toml");

/// The strategies of the built-in scenario, in scenario order.
const STRATEGIES: &[&str] = &[
    "wait",
    "escalate-now",
    "escalate-at-impasse",
    "bluff",
    "all-issues",
    "notice-and-escalate",
];

/// Paths per run: small enough for a debug build to finish in a blink.
const PATHS: &str = "2000";

fn impasse() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_impasse"));
    // Any backtrace would show in the error tests.
    cmd.env("RUST_BACKTRACE", "1");
    cmd
}

fn output(args: &[&str]) -> Output {
    impasse().args(args).output().expect("impasse starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Run with these arguments and insist on success; return standard output.
fn ok(args: &[&str]) -> String {
    let out = output(args);
    assert!(
        out.status.success(),
        "impasse {args:?} failed with {:?}; stderr:\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// `impasse run --quiet --paths 2000 --seed SEED` plus `extra`.
fn run_args<'a>(seed: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", "--quiet", "--paths", PATHS, "--seed", seed];
    args.extend_from_slice(extra);
    args
}

fn run_json(seed: &str, extra: &[&str]) -> Value {
    let mut args = run_args(seed, &["--format", "json"]);
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(&args)).expect("run --format json prints JSON")
}

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, key| {
        v.get(key)
            .unwrap_or_else(|| panic!("missing key `{path}` (at `{key}`) in {v}"))
    })
}

fn number(v: &Value, path: &str) -> f64 {
    get(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("`{path}` is not a number: {}", get(v, path)))
}

/// A mean over a subset of paths: a number, or null when no path qualified.
fn number_or_null(v: &Value, path: &str) {
    let x = get(v, path);
    assert!(
        x.is_number() || x.is_null(),
        "`{path}` is neither a number nor null: {x}"
    );
}

fn probability(v: &Value, path: &str) -> f64 {
    let p = number(v, path);
    assert!((0.0..=1.0).contains(&p), "`{path}` = {p} is not in [0, 1]");
    p
}

/// The built-in scenario with the first occurrence of `from` replaced by `to`.
fn mutated(from: &str, to: &str) -> String {
    assert!(
        SCENARIO.contains(from),
        "the built-in scenario no longer contains {from:?}; update the test"
    );
    SCENARIO.replacen(from, to, 1)
}

/// 1-based line of the first occurrence of `needle` in the built-in scenario.
fn line_of(needle: &str) -> usize {
    let offset = SCENARIO.find(needle).expect("needle in scenario");
    SCENARIO[..offset].matches('\n').count() + 1
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write test file");
    path
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Check a failed command: exit code 2, nothing on standard output, and a
/// single standard-error line, `Error: ...`, containing every needle, with no
/// sign of a panic or a backtrace. Returns that line.
fn assert_error(out: &Output, needles: &[&str]) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit code 2; stderr:\n{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing expected on stdout, got:\n{}",
        text(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(
        !stderr.contains("backtrace") && !stderr.contains("Backtrace"),
        "backtrace:\n{stderr}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one stderr line, got:\n{stderr}");
    let line = lines[0];
    assert!(line.starts_with("Error: "), "not an `Error:` line: {line}");
    for needle in needles {
        assert!(line.contains(needle), "{needle:?} missing from: {line}");
    }
    line.to_string()
}

/// Write `scenario` to a file, then check that both `run FILE --out OUT` and
/// `validate FILE` fail with one `Error:` line containing every needle, and
/// that `run` creates no output file (nor anything else). Returns the error
/// line.
fn rejects(scenario: &str, needles: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.toml", scenario);
    let out_file = dir.path().join("out.json");
    let file_arg = file.to_str().expect("UTF-8 path");
    let out_arg = out_file.to_str().expect("UTF-8 path");

    let run = output(&[
        "run", file_arg, "--quiet", "--paths", "100", "--format", "json", "--out", out_arg,
    ]);
    let line = assert_error(&run, needles);
    assert_eq!(
        entries(dir.path()),
        ["bad.toml"],
        "a failed run must create no file"
    );

    let validate = output(&["validate", file_arg]);
    let validate_line = assert_error(&validate, needles);
    assert_eq!(line, validate_line, "run and validate disagree");
    line
}

// ---------------------------------------------------------------- run

#[test]
fn run_table_lists_every_strategy_and_the_baseline_comparison() {
    let stdout = ok(&run_args("1", &[]));
    for name in STRATEGIES {
        assert!(stdout.contains(name), "strategy {name} missing:\n{stdout}");
    }
    let (_, comparison) = stdout
        .split_once("Against the baseline `wait`")
        .unwrap_or_else(|| panic!("no baseline comparison section:\n{stdout}"));
    for name in &STRATEGIES[1..] {
        assert!(
            comparison.lines().any(|l| l.starts_with(name)),
            "{name} missing from the comparison section:\n{comparison}"
        );
    }
    assert!(
        !comparison.lines().any(|l| l.starts_with("wait ")),
        "the baseline is compared with itself:\n{comparison}"
    );
}

#[test]
fn run_json_has_the_documented_shape() {
    let report = run_json("7", &[]);
    for key in ["scenario", "seed", "paths", "strategies", "comparisons"] {
        get(&report, key);
    }
    assert_eq!(report["scenario"], "community-hospital");
    assert_eq!(report["seed"], 7);
    assert_eq!(report["paths"], 2000);
    let paths = number(&report, "paths");
    let quantile_error = number(&report, "quantile_relative_error");

    let strategies = report["strategies"].as_array().expect("strategies array");
    let names: Vec<&str> = strategies
        .iter()
        .map(|s| s["name"].as_str().expect("name is a string"))
        .collect();
    assert_eq!(names, STRATEGIES);

    for s in strategies {
        let name = s["name"].as_str().unwrap_or_default();
        for money in ["revenue", "margin"] {
            for stat in ["mean", "mcse", "p5", "p50", "p95", "cvar5"] {
                number(s, &format!("{money}.{stat}"));
            }
            let p5 = number(s, &format!("{money}.p5"));
            let p50 = number(s, &format!("{money}.p50"));
            let p95 = number(s, &format!("{money}.p95"));
            let cvar5 = number(s, &format!("{money}.cvar5"));
            assert!(
                p5 <= p50 && p50 <= p95,
                "{name} {money}: p5 {p5} <= p50 {p50} <= p95 {p95} fails"
            );
            // The worst 5 % average at most the 5th percentile (up to the
            // quantile sketch's relative error).
            assert!(
                cvar5 <= p5 + 2.0 * quantile_error * p5.abs(),
                "{name} {money}: cvar5 {cvar5} > p5 {p5}"
            );
            assert!(number(s, &format!("{money}.mcse")) >= 0.0);
        }
        for mean in [
            "uplift.mean",
            "uplift_if_deal_before_expiry.mean",
            "deal_week_if_deal_before_expiry.mean",
            "oon_weeks_if_oon.mean",
            "patient_weeks_out_of_network.mean",
            "patients_switched.mean",
        ] {
            number_or_null(s, mean);
        }
        let p_deal = probability(s, "p_deal_before_expiry");
        for p in ["p_out_of_network", "p_bluff_called", "p_executives_engaged"] {
            probability(s, p);
        }

        let histogram = s["deal_week_histogram"]
            .as_array()
            .expect("deal_week_histogram array");
        let mut deals = 0u64;
        for bin in histogram {
            bin["week"].as_i64().expect("integer week");
            deals += bin["deals"].as_u64().expect("whole number of deals");
        }
        assert!(
            (deals as f64 - p_deal * paths).abs() <= 0.5,
            "{name}: histogram holds {deals} deals, p_deal_before_expiry * paths = {}",
            p_deal * paths
        );
    }

    let comparisons = report["comparisons"].as_array().expect("comparisons array");
    assert_eq!(
        comparisons.len(),
        STRATEGIES.len() - 1,
        "one comparison per non-baseline strategy"
    );
    for c in comparisons {
        let strategy = c["strategy"].as_str().expect("strategy name");
        assert!(STRATEGIES[1..].contains(&strategy), "unexpected {strategy}");
        assert_eq!(c["baseline"], "wait");
        let mean = number(c, "revenue_diff.mean");
        let ci = get(c, "revenue_diff.ci95").as_array().expect("ci95 array");
        assert_eq!(ci.len(), 2, "{strategy}: ci95 = {ci:?}");
        let low = ci[0].as_f64().expect("ci95 low");
        let high = ci[1].as_f64().expect("ci95 high");
        assert!(
            low <= mean && mean <= high,
            "{strategy}: {low} <= {mean} <= {high} fails"
        );
        probability(c, "p_better");
    }
}

#[test]
fn run_csv_has_one_row_per_strategy_matching_the_json() {
    let stdout = ok(&run_args("3", &["--format", "csv"]));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("CSV rows");
    assert_eq!(rows.len(), STRATEGIES.len(), "one row per strategy");
    for row in &rows {
        assert_eq!(row.len(), header.len(), "ragged row: {row:?}");
    }
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no `{name}` column in {header:?}"))
    };
    let (name_col, mean_col) = (column("strategy"), column("revenue_mean"));

    let report = run_json("3", &[]);
    let strategies = report["strategies"].as_array().expect("strategies");
    assert_eq!(strategies.len(), rows.len());
    for (row, s) in rows.iter().zip(strategies) {
        assert_eq!(
            Some(row[name_col].to_string()),
            s["name"].as_str().map(String::from)
        );
        let csv_mean: f64 = row[mean_col].parse().expect("revenue_mean is a number");
        let json_mean = number(s, "revenue.mean");
        assert!(
            (csv_mean - json_mean).abs() <= 1e-6 * json_mean.abs(),
            "{}: CSV {csv_mean} vs JSON {json_mean}",
            &row[name_col]
        );
    }
}

// ------------------------------------------------------ reproducibility

#[test]
fn same_seed_gives_identical_json() {
    let args = run_args("42", &["--format", "json"]);
    assert_eq!(ok(&args), ok(&args));
}

#[test]
fn thread_count_does_not_change_the_json() {
    let one = ok(&run_args("5", &["--format", "json", "--threads", "1"]));
    let two = ok(&run_args("5", &["--format", "json", "--threads", "2"]));
    assert_eq!(one, two);
}

#[test]
fn different_seed_gives_different_numbers() {
    let a = run_json("1", &[]);
    let b = run_json("2", &[]);
    let means = |r: &Value| -> Vec<f64> {
        r["strategies"]
            .as_array()
            .expect("strategies")
            .iter()
            .map(|s| number(s, "revenue.mean"))
            .collect()
    };
    assert_ne!(means(&a), means(&b));
}

// ---------------------------------------------------------------- --out

#[test]
fn out_writes_the_file_instead_of_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (format, name) in [("json", "report.json"), ("table", "report.txt")] {
        let expected = ok(&run_args("9", &["--format", format]));
        let path = dir.path().join(name);
        let path_arg = path.to_str().expect("UTF-8 path");
        let stdout = ok(&run_args("9", &["--format", format, "--out", path_arg]));
        assert!(stdout.is_empty(), "--out also printed:\n{stdout}");
        let written = std::fs::read_to_string(&path).expect("--out file written");
        assert_eq!(written, expected, "--out {format} differs from stdout");
    }
    assert_eq!(
        entries(dir.path()),
        ["report.json", "report.txt"],
        "temporary files left behind"
    );
}

#[test]
fn out_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-dir").join("report.json");
    let path_arg = path.to_str().expect("UTF-8 path");
    let out = output(&run_args("1", &["--format", "json", "--out", path_arg]));
    assert_error(&out, &["--out", path_arg]);
    assert!(entries(dir.path()).is_empty(), "files left behind");
}

// ----------------------------------------------------------------- init

#[test]
fn init_writes_a_scenario_that_validates_and_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scenario.toml");
    let path_arg = path.to_str().expect("UTF-8 path");
    let stdout = ok(&["init", path_arg]);
    assert!(stdout.is_empty(), "init FILE printed to stdout:\n{stdout}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("init wrote the file"),
        SCENARIO
    );
    let validated = ok(&["validate", path_arg]);
    assert!(validated.contains("ok"), "validate said:\n{validated}");
    let table = ok(&["run", path_arg, "--quiet", "--paths", "500"]);
    for name in STRATEGIES {
        assert!(table.contains(name), "{name} missing:\n{table}");
    }
    assert_eq!(entries(dir.path()), ["scenario.toml"]);
}

#[test]
fn init_without_a_file_prints_the_scenario() {
    assert_eq!(ok(&["init"]), SCENARIO);
}

#[test]
fn init_refuses_to_overwrite_an_existing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "mine.toml", "# my own scenario\n");
    let path_arg = path.to_str().expect("UTF-8 path");
    let out = output(&["init", path_arg]);
    assert_error(&out, &[path_arg, "--force"]);
    assert_eq!(
        std::fs::read_to_string(&path).expect("file still there"),
        "# my own scenario\n"
    );
    assert_eq!(entries(dir.path()), ["mine.toml"]);
}

#[test]
fn init_force_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "mine.toml", "# my own scenario\n");
    let path_arg = path.to_str().expect("UTF-8 path");
    ok(&["init", "--force", path_arg]);
    assert_eq!(
        std::fs::read_to_string(&path).expect("file still there"),
        SCENARIO
    );
    assert_eq!(entries(dir.path()), ["mine.toml"]);
}

// ------------------------------------------------------------- validate

#[test]
fn validate_accepts_every_shipped_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios directory") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let path_arg = path.to_str().expect("UTF-8 path");
            let stdout = ok(&["validate", path_arg]);
            assert!(stdout.contains("ok"), "{path_arg}: {stdout}");
            checked += 1;
        }
    }
    assert!(checked >= 1, "no scenarios found in {}", dir.display());
}

// ------------------------------------------------------------ bad input

#[test]
fn toml_syntax_error_gives_file_line_and_column() {
    let broken = r#"name = "community-hospital"#;
    let scenario = mutated(r#"name = "community-hospital""#, broken);
    let line = rejects(&scenario, &[]);
    let expected_line = line_of(r#"name = "community-hospital""#);
    let prefix = format!("bad.toml:{expected_line}:");
    let (_, rest) = line
        .split_once(&prefix)
        .unwrap_or_else(|| panic!("no `FILE:{expected_line}:COL` in: {line}"));
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        !column.is_empty() && rest[column.len()..].starts_with(':'),
        "no column after the line number in: {line}"
    );
}

#[test]
fn unknown_key_is_named() {
    rejects(&mutated("[payer]\n", "[payer]\ncolour = 3\n"), &["colour"]);
}

#[test]
fn probability_above_one_is_rejected() {
    rejects(
        &mutated("success_prob = 0.45", "success_prob = 1.4"),
        &["payer.exec.success_prob", "1.4", "[0, 1]"],
    );
}

#[test]
fn distribution_with_min_above_max_is_rejected() {
    rejects(
        &mutated(
            r#"reservation = "pert(0.008, 0.02, 0.035)""#,
            r#"reservation = "pert(0.05, 0.03, 0.01)""#,
        ),
        &["payer.reservation", "pert(0.05, 0.03, 0.01)"],
    );
}

#[test]
fn distribution_with_wrong_argument_count_is_rejected() {
    let needle = r#"reservation = "pert(0.008, 0.02, 0.035)""#;
    let line = rejects(
        &mutated(needle, r#"reservation = "pert(0.01, 0.02)""#),
        &["pert", "3"],
    );
    let location = format!("bad.toml:{}:", line_of(needle));
    assert!(
        line.contains(&location),
        "the error does not point at line {} ({location}): {line}",
        line_of(needle)
    );
}

#[test]
fn negative_revenue_is_rejected() {
    rejects(
        &mutated(
            r#"annual_revenue = "triangular(72e6, 80e6, 86e6)""#,
            "annual_revenue = -5",
        ),
        &["contract.annual_revenue", "-5"],
    );
}

#[test]
fn negative_patients_are_rejected() {
    rejects(
        &mutated(
            r#"attributed_patients = "triangular(18000, 24000, 30000)""#,
            "attributed_patients = -100",
        ),
        &["contract.attributed_patients", "-100"],
    );
}

#[test]
fn notice_after_the_legal_deadline_is_rejected() {
    // The first `notice = -16` belongs to bluff; notice_weeks = 13.
    rejects(
        &mutated("notice = -16", "notice = -4"),
        &["strategy.bluff.notice", "-4", "-13"],
    );
}

#[test]
fn walk_away_above_opening_ask_is_rejected() {
    // `wait` is the only strategy that writes its walk-away out; it asks 0.06.
    rejects(
        &mutated("walk_away = 0.015\n", "walk_away = 0.2\n"),
        &["strategy.wait.walk_away", "0.2", "0.06"],
    );
}

#[test]
fn zero_paths_is_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.json");
    let path_arg = path.to_str().expect("UTF-8 path");
    let out = output(&["run", "--quiet", "--paths", "0", "--out", path_arg]);
    assert_error(&out, &["--paths", "0"]);
    assert!(entries(dir.path()).is_empty(), "files left behind");
}

#[test]
fn duplicate_strategy_name_is_rejected() {
    let line = rejects(&mutated(r#"name = "bluff""#, r#"name = "wait""#), &["wait"]);
    assert!(
        line.contains("unique") || line.contains("duplicate"),
        "does not say the names must be unique: {line}"
    );
}

#[test]
fn unknown_baseline_is_rejected_with_the_strategy_list() {
    let mut needles = vec!["baseline", "nope"];
    needles.extend_from_slice(STRATEGIES);
    rejects(
        &mutated(r#"baseline = "wait""#, r#"baseline = "nope""#),
        &needles,
    );
}

#[test]
fn missing_file_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-scenario.toml");
    let missing_arg = missing.to_str().expect("UTF-8 path");
    let out_file = dir.path().join("out.json");
    let out_arg = out_file.to_str().expect("UTF-8 path");
    let out = output(&["run", missing_arg, "--quiet", "--out", out_arg]);
    assert_error(&out, &[missing_arg]);
    assert!(entries(dir.path()).is_empty(), "files left behind");
    assert_error(&output(&["validate", missing_arg]), &[missing_arg]);
}

#[test]
fn unknown_trigger_says_what_is_allowed() {
    let needle = r#"escalation = "now""#;
    let line = rejects(
        &mutated(needle, r#"escalation = "soon""#),
        &["soon", "never", "now", "on_impasse"],
    );
    let location = format!("bad.toml:{}:", line_of(needle));
    assert!(
        line.contains(&location),
        "the error does not point at the escalation line ({location}): {line}"
    );
}

// ----------------------------------------------------------------- help

#[test]
fn help_for_each_command_mentions_its_options() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["--help"], &["run", "init", "validate"]),
        (
            &["run", "--help"],
            &[
                "--paths",
                "--seed",
                "--threads",
                "--quiet",
                "--format",
                "--out",
                "[FILE]",
            ],
        ),
        (&["init", "--help"], &["--force", "[FILE]"]),
        (&["validate", "--help"], &["<FILE>"]),
    ];
    for (args, mentions) in cases {
        let stdout = ok(args);
        for option in *mentions {
            assert!(
                stdout.contains(option),
                "`impasse {}` does not mention {option}:\n{stdout}",
                args.join(" ")
            );
        }
    }
}

// ---------------------------------------------------------------- --set and compare

#[test]
fn set_changes_the_run_and_is_reported_in_the_numbers() {
    let base = run_json("3", &[]);
    let changed = run_json("3", &["--set", "payer.exec.success_prob=1.0"]);
    let p = |v: &Value, i: usize| number(&v["strategies"][i], "p_executives_engaged");
    // escalate-now (index 1): executives engage more often when they always say yes.
    assert!(p(&changed, 1) > p(&base, 1));
    // wait (index 0) never escalates: its numbers are unchanged.
    assert_eq!(base["strategies"][0], changed["strategies"][0]);
    let dist = run_json(
        "3",
        &["--set", "payer.reservation=triangular(0.01,0.03,0.05)"],
    );
    assert_ne!(base["strategies"][0], dist["strategies"][0]);
}

#[test]
fn set_with_an_unknown_path_lists_close_matches() {
    let out = output(&run_args("1", &["--set", "payer.exec.succes_prob=0.4"]));
    assert_error(&out, &["--set", "payer.exec.success_prob", "did you mean"]);
    let out = output(&run_args("1", &["--set", "payer.exec.success_prob=1.7"]));
    assert_error(&out, &["payer.exec.success_prob", "1.7", "[0, 1]"]);
    let out = output(&run_args("1", &["--set", "strategy.nope.walk_away=0.1"]));
    assert_error(&out, &["no strategy named `nope`", "wait"]);
    let out = output(&run_args("1", &["--set", "novalue"]));
    assert_error(&out, &["--set", "PATH=VALUE"]);
}

#[test]
fn compare_prints_every_metric_and_writes_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "s.toml", SCENARIO);
    let f = file.to_str().unwrap();
    let table = ok(&[
        "compare",
        f,
        "escalate-now",
        "wait",
        "--quiet",
        "--paths",
        PATHS,
    ]);
    for needle in [
        "revenue",
        "margin",
        "patient_weeks_out_of_network",
        "regret",
    ] {
        assert!(table.contains(needle), "{needle} missing:\n{table}");
    }
    let json: Value = serde_json::from_str(&ok(&[
        "compare",
        f,
        "escalate-now",
        "wait",
        "--quiet",
        "--paths",
        PATHS,
        "--format",
        "json",
        "--precision",
        "1e9",
    ]))
    .unwrap();
    assert_eq!(json["stop"], "precision_reached");
    assert_eq!(json["metrics"][0]["metric"], "revenue");
    let out = output(&["compare", f, "escalate-now", "nope", "--quiet"]);
    assert_error(&out, &["nope", "must name a strategy"]);
}

#[test]
fn analysis_commands_run_and_write_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "s.toml", SCENARIO);
    let f = file.to_str().unwrap();
    let commands: [Vec<&str>; 4] = [
        vec![
            "sweep",
            f,
            "--param",
            "payer.exec.success_prob",
            "--values",
            "0.2,0.8",
        ],
        vec!["tornado", f, "--diff", "escalate-now", "wait"],
        vec![
            "threshold",
            f,
            "--param",
            "payer.exec.success_prob",
            "escalate-now",
            "wait",
            "--range",
            "0:1",
        ],
        vec![
            "timing",
            f,
            "--strategy",
            "escalate-at-impasse",
            "--from",
            "-40",
            "--to",
            "-20",
            "--step",
            "10",
        ],
    ];
    for cmd in &commands {
        let mut args = cmd.clone();
        args.extend(["--quiet", "--paths", "500"]);
        let table = ok(&args);
        assert!(
            table.contains("Scenario community-hospital"),
            "{cmd:?}:\n{table}"
        );
        let mut json_args = args.clone();
        json_args.extend(["--format", "json"]);
        let json: Value = serde_json::from_str(&ok(&json_args)).expect("JSON");
        assert_eq!(json["scenario"], "community-hospital", "{cmd:?}");
        let out_file = dir.path().join(format!("{}.csv", cmd[0]));
        let mut csv_args = args.clone();
        csv_args.extend(["--format", "csv", "--out", out_file.to_str().unwrap()]);
        assert!(ok(&csv_args).is_empty());
        let csv = std::fs::read_to_string(&out_file).unwrap();
        assert!(csv.lines().count() >= 2, "{cmd:?}: {csv}");
    }
    // --set applies to analyses too.
    let swept = ok(&[
        "sweep",
        f,
        "--param",
        "payer.exec.success_prob",
        "--values",
        "0.5",
        "--quiet",
        "--paths",
        "500",
        "--set",
        "strategy.wait.walk_away=0.01",
        "--format",
        "json",
    ]);
    assert!(swept.contains("\"wait\""));
}

#[test]
fn analysis_commands_reject_bad_options_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "s.toml", SCENARIO);
    let f = file.to_str().unwrap();
    let out = output(&[
        "sweep",
        f,
        "--param",
        "payer.exec.success_prob",
        "--range",
        "0:1:1",
        "-q",
    ]);
    assert_error(&out, &["--range"]);
    let out = output(&[
        "sweep",
        f,
        "--param",
        "payer.exec.sucess_prob",
        "--values",
        "0.1",
        "-q",
    ]);
    assert_error(&out, &["payer.exec.success_prob"]);
    let out = output(&["tornado", f, "--strategy", "nope", "-q"]);
    assert_error(&out, &["nope"]);
    let out = output(&[
        "threshold",
        f,
        "--param",
        "payer.exec.success_prob",
        "wait",
        "wait",
        "-q",
    ]);
    assert_error(&out, &["wait"]);
    let out = output(&[
        "threshold",
        f,
        "--param",
        "payer.exec.success_prob",
        "escalate-now",
        "wait",
        "--range",
        "1",
        "-q",
    ]);
    assert_error(&out, &["--range"]);
    let out = output(&["timing", f, "--strategy", "wait", "--from", "-90", "-q"]);
    assert_error(&out, &["--from"]);
}

#[test]
fn analyses_pin_correlated_inputs() {
    // Pinning an input drops its correlations, so every analysis works on a
    // scenario with [[correlation]] entries.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "{SCENARIO}\n[[correlation]]\nbetween = [\"payer.reservation\", \"payer.exec.reservation_gain\"]\nrank = 0.5\n"
    );
    let file = write(dir.path(), "corr.toml", &text);
    let f = file.to_str().unwrap();
    ok(&[
        "tornado",
        f,
        "--diff",
        "escalate-now",
        "wait",
        "--quiet",
        "--paths",
        "300",
    ]);
    ok(&[
        "sweep",
        f,
        "--param",
        "payer.reservation",
        "--values",
        "0.02,0.04",
        "--quiet",
        "--paths",
        "300",
    ]);
    ok(&[
        "threshold",
        f,
        "--param",
        "payer.reservation",
        "escalate-now",
        "wait",
        "--quiet",
        "--paths",
        "300",
    ]);
    ok(&[
        "run",
        f,
        "--quiet",
        "--paths",
        "300",
        "--set",
        "payer.exec.reservation_gain=0.01",
    ]);
}

// ---------------------------------------------------------------- report

#[test]
fn report_writes_html_charts_and_workbook() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("report.html");
    let charts = dir.path().join("charts");
    let xlsx = dir.path().join("report.xlsx");
    let out = ok(&[
        "report",
        "--out",
        html.to_str().unwrap(),
        "--charts",
        charts.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--paths",
        "600",
        "--analysis-paths",
        "300",
        "--quiet",
    ]);
    assert!(out.is_empty());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") || page.starts_with("<!doctype html>"));
    assert!(
        page.contains("impasse report --out"),
        "the reproduce command is shown"
    );
    for id in [
        "strategy-comparison",
        "revenue-distribution",
        "tornado",
        "escalation-timing",
        "deal-timing",
        "timelines",
        "patient-access",
    ] {
        let svg = std::fs::read_to_string(charts.join(format!("{id}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<title>"), "{id}");
    }
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    assert_eq!(
        entries(dir.path()),
        ["charts", "report.html", "report.xlsx"]
    );
}

#[test]
fn report_bad_input_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("report.html");
    let xlsx = dir.path().join("report.xlsx");
    // A bad scenario value.
    let out = output(&[
        "report",
        "--out",
        html.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--set",
        "payer.exec.success_prob=2",
        "--quiet",
    ]);
    assert_error(&out, &["payer.exec.success_prob", "2"]);
    // An output directory that does not exist.
    let missing = dir.path().join("nope").join("report.html");
    let out = output(&["report", "--out", missing.to_str().unwrap(), "--quiet"]);
    assert_error(&out, &["--out", "does not exist"]);
    let out = output(&[
        "report",
        "--out",
        html.to_str().unwrap(),
        "--xlsx",
        dir.path().join("nope").join("x.xlsx").to_str().unwrap(),
        "--quiet",
    ]);
    assert_error(&out, &["--xlsx", "does not exist"]);
    let out = output(&[
        "report",
        "--out",
        html.to_str().unwrap(),
        "--paths",
        "0",
        "--quiet",
    ]);
    assert_error(&out, &["--paths"]);
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn negative_values_need_no_equals_sign() {
    let file = "scenarios/community-hospital.toml";
    for args in [
        vec![
            "sweep",
            file,
            "--param",
            "strategy.notice-and-escalate.notice",
            "--values",
            "-40,-20",
        ],
        vec![
            "sweep",
            file,
            "--param",
            "strategy.notice-and-escalate.notice",
            "--range",
            "-40:-16:3",
        ],
        vec![
            "threshold",
            file,
            "bluff",
            "escalate-at-impasse",
            "--param",
            "strategy.bluff.walk_away",
            "--range",
            "-0.01:0.02",
        ],
    ] {
        let mut all = args.clone();
        all.extend(["--paths", "300", "-q"]);
        let out = output(&all);
        assert!(out.status.success(), "{all:?}: {}", text(&out.stderr));
    }
}

#[test]
fn a_closed_pipe_is_not_an_error_and_never_a_panic() {
    use std::process::Stdio;
    for args in [
        vec!["validate", "scenarios/community-hospital.toml"],
        vec!["run", "--paths", "2000", "-q"],
    ] {
        let mut child = impasse()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end at once, as `| head -0` does.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn an_absurd_thread_count_is_refused_at_once() {
    let out = output(&["run", "--paths", "100", "--threads", "100000", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("`--threads` = 100000"), "{err}");
    assert!(err.contains("at most"), "{err}");
}

#[test]
fn report_refuses_the_same_file_for_html_and_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("board.out");
    let s = same.to_str().unwrap();
    let out = output(&["report", "--out", s, "--xlsx", s, "--paths", "200", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("`--xlsx`") && err.contains("same file"),
        "{err}"
    );
    assert!(!same.exists(), "nothing is written");
}

#[test]
fn magnitudes_that_would_overflow_a_run_are_refused() {
    for (set, field) in [
        ("contract.annual_revenue=1e308", "contract.annual_revenue"),
        (
            "contract.attributed_patients=1e308",
            "contract.attributed_patients",
        ),
        (
            "contract.annual_revenue=lognormal(700,1)",
            "contract.annual_revenue",
        ),
        (
            "item.denials.annual_value=1e308",
            "item.denials.annual_value",
        ),
    ] {
        let out = output(&["run", "--paths", "100", "-q", "--set", set]);
        assert_eq!(out.status.code(), Some(2), "{set}");
        let err = text(&out.stderr);
        assert!(err.contains(field), "{set}: {err}");
        assert!(
            err.len() < 400,
            "{set}: a short message, not 309 digits: {err}"
        );
    }
    // A realistic unbounded distribution still loads.
    let out = output(&[
        "run",
        "--paths",
        "100",
        "-q",
        "--set",
        "contract.annual_revenue=lognormal(18,0.2)",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn one_path_has_an_unknown_error_not_a_zero_one() {
    let out = output(&["run", "--paths", "1", "--format", "json", "-q"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for s in v["strategies"].as_array().unwrap() {
        assert!(s["revenue"]["mcse"].is_null(), "{}", s["revenue"]);
    }
    let out = output(&["run", "--paths", "1", "-q"]);
    let table = text(&out.stdout);
    assert!(!table.contains("±0.00"), "{table}");
}

#[test]
fn analyses_check_the_out_directory_before_simulating() {
    // Checked before anything else runs: with `--paths 0` too, the error is
    // the output directory's, not the budget's.
    for args in [
        vec![
            "run",
            "--paths",
            "0",
            "-q",
            "--out",
            "/nonexistent-dir/x.json",
        ],
        vec![
            "compare",
            "scenarios/community-hospital.toml",
            "wait",
            "bluff",
            "--paths",
            "0",
            "-q",
            "--out",
            "/nonexistent-dir/x.json",
        ],
    ] {
        let out = output(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("`--out`") && err.contains("does not exist"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn out_keeps_permissions_and_writes_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("results.json");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = output(&[
        "run",
        "--paths",
        "200",
        "-q",
        "--format",
        "json",
        "--out",
        link.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The link is still a link, and its target holds the new output.
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with('{'), "{written}");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn errors_name_the_argument_the_user_gave() {
    let out = output(&[
        "compare",
        "scenarios/community-hospital.toml",
        "nope",
        "wait",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid `A` = nope"),
        "{}",
        text(&out.stderr)
    );
    let out = output(&[
        "compare",
        "scenarios/community-hospital.toml",
        "wait",
        "nope",
        "-q",
    ]);
    assert!(
        text(&out.stderr).contains("invalid `B` = nope"),
        "{}",
        text(&out.stderr)
    );
    let out = output(&["init", "/nonexistent-dir/x.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("`FILE`") && !err.contains("--out"), "{err}");
}

#[test]
fn unknown_paths_get_suggestions_from_their_own_section() {
    for (path, expect) in [
        ("payer.notice.bluff", "payer.notice.bluff_credibility"),
        ("strategy.wait.walkaway", "strategy.wait.walk_away"),
        ("contract.revenue", "contract.annual_revenue"),
        ("paer.reservation", "payer.reservation"),
    ] {
        let out = output(&["run", "--paths", "10", "-q", "--set", &format!("{path}=1")]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.contains(expect), "{path}: {err}");
        assert!(!err.contains("description"), "{path}: {err}");
    }
}

#[test]
fn the_tornado_says_which_inputs_it_does_not_vary() {
    let out = output(&[
        "tornado",
        "scenarios/community-hospital.toml",
        "--diff",
        "escalate-now",
        "wait",
        "--paths",
        "300",
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("Whole-number inputs"), "{table}");
    assert!(table.contains("impasse sweep"), "{table}");
}

#[test]
fn sweep_tables_wrap_to_fit_a_terminal() {
    let out = output(&[
        "sweep",
        "scenarios/physician-group.toml",
        "--param",
        "payer.notice.credibility",
        "--range",
        "0:1:3",
        "--paths",
        "300",
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    // Ten strategies: the table comes in blocks, each under 130 columns;
    // every strategy appears, and the best strategy closes the last block.
    for line in table.lines().filter(|l| {
        !l.starts_with("Scenario")
            && !l.starts_with("Expected")
            && !l.starts_with("Monte")
            && !l.starts_with("The best")
    }) {
        assert!(
            line.chars().count() <= 130,
            "{} wide: {line}",
            line.chars().count()
        );
    }
    for name in ["wait", "bluff", "notice-and-escalate", "package-and-notice"] {
        assert!(table.contains(&format!("{name} OON")), "{name}: {table}");
    }
    assert_eq!(table.matches("  best").count(), 1, "{table}");
}
