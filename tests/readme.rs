//! Every `impasse` command the README shows runs as written: the lines of its
//! `sh` blocks and the `$ impasse ...` lines of its sample outputs, in order
//! (so `impasse init my-renewal.toml` comes before the commands that use
//! it), in a scratch directory holding a copy of `scenarios/`. Only the
//! budget is made small (`--paths`, `--analysis-paths`, `--precision`,
//! `--max-paths`) and the progress bar silenced; every other argument is the
//! README's. Each must exit 0 without a panic.

use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../README.md");

/// Split a command line like a POSIX shell would for these simple cases:
/// whitespace separates words, single and double quotes group them.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

/// The README's `impasse` commands, continuation lines joined, comments cut.
fn commands() -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Option<&str> = None;
    let mut pending = String::new();
    for line in README.lines() {
        if let Some(rest) = line.strip_prefix("```") {
            block = if block.is_some() { None } else { Some(rest) };
            continue;
        }
        let Some(kind) = block else { continue };
        let text = match kind {
            "sh" => line.trim(),
            "text" if !pending.is_empty() => line.trim(),
            "text" => match line.strip_prefix("$ ") {
                Some(cmd) => cmd.trim(),
                None => continue,
            },
            _ => continue,
        };
        let text = match text.find("  #") {
            Some(i) => text[..i].trim_end(),
            None => text,
        };
        if text.starts_with('#') {
            continue;
        }
        if let Some(head) = text.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(text);
        let cmd = std::mem::take(&mut pending);
        if cmd.starts_with("impasse ") {
            out.push(cmd);
        }
    }
    out
}

/// The README's arguments with a small budget and no progress bar.
fn small(args: &[String]) -> Vec<String> {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let simulates = matches!(
        sub,
        "run" | "compare" | "sweep" | "tornado" | "threshold" | "timing" | "report"
    );
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--paths" | "--analysis-paths" | "--max-paths" | "--precision" => {
                it.next();
            }
            _ => out.push(a.clone()),
        }
    }
    if simulates {
        out.extend(["--paths".into(), "400".into(), "-q".into()]);
    }
    if sub == "optimize" {
        let mut cut = Vec::new();
        let mut it = out.iter();
        while let Some(a) = it.next() {
            if a == "--budget" || a == "--holdout-paths" {
                it.next();
            } else {
                cut.push(a.clone());
            }
        }
        out = cut;
        out.extend(
            [
                "--budget",
                "16",
                "--paths",
                "200",
                "--holdout-paths",
                "200",
                "-q",
            ]
            .map(String::from),
        );
    }
    if sub == "voi" {
        out.extend(["--paths".into(), "400".into(), "-q".into()]);
    }
    if sub == "sobol" {
        let mut cut = Vec::new();
        let mut it = out.iter();
        while let Some(a) = it.next() {
            if a == "--n" {
                it.next();
            } else {
                cut.push(a.clone());
            }
        }
        out = cut;
        out.extend(["--n".into(), "64".into(), "-q".into()]);
    }
    if sub == "report" {
        out.extend(["--analysis-paths".into(), "200".into()]);
    }
    if args.iter().any(|a| a == "--precision") {
        out.extend([
            "--precision".into(),
            "1e12".into(),
            "--max-paths".into(),
            "800".into(),
        ]);
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn the_shell_splitter_handles_quotes() {
    assert_eq!(
        words("run a.toml --set 'payer.reservation=triangular(0.01, 0.03)' -q"),
        [
            "run",
            "a.toml",
            "--set",
            "payer.reservation=triangular(0.01, 0.03)",
            "-q"
        ]
    );
}

#[test]
fn every_readme_command_runs() {
    let cmds = commands();
    assert!(
        cmds.len() >= 15,
        "found only {} commands: {cmds:#?}",
        cmds.len()
    );
    assert!(cmds.iter().any(|c| c.starts_with("impasse init")));
    assert!(cmds.iter().any(|c| c.starts_with("impasse report")));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &dir.path().join("scenarios"),
    );
    std::fs::create_dir_all(dir.path().join("charts")).unwrap();
    let mut failures = Vec::new();
    for cmd in &cmds {
        let args = small(&words(cmd)[1..]);
        let out = Command::new(env!("CARGO_BIN_EXE_impasse"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .expect("impasse starts");
        let err = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || err.contains("panicked") {
            failures.push(format!("{cmd}\n  ran as {args:?}\n  {err}"));
        }
    }
    assert!(
        failures.is_empty(),
        "README commands that fail:\n{}",
        failures.join("\n")
    );
}
