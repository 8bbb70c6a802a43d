//! The board report as a person would see it.
//!
//! Structural checks, without a browser: every chart inline as an `<svg>`
//! under its id, nothing fetched from the network (no `http(s)://` but the
//! SVG namespace, no script, no `<link>`, no `url(`), the recommendation in
//! the executive summary, every strategy named, one assumptions row per
//! scenario input, text from the scenario escaped, absent charts explained,
//! the value of information (EVPI, what to learn first, the drivers chart)
//! in its own section and on the brief, and the same HTML for the same
//! inputs (and the same analyses on any number of threads).
//!
//! In headless Chromium (`/usr/bin/chromium`, or `$CHROMIUM`; `.ci/run`
//! installs it, and these tests FAIL if it is missing): the report loads
//! with no console message, every chart has a non-zero size, the summary
//! names the recommended strategy and nothing overflows the page width. It
//! is also printed to PDF (one page break or more per section) and
//! screenshotted. Each browser run is killed after 60 s.
//!
//! Artefacts, in `target/report-test/`: `report.html` (the report),
//! `report.png` (a 1280 × 2400 screenshot of its top), `report.pdf` (the
//! print version), and the probe pages `wrapper.html`, `broken.html`.
//!
//! `docs/report.png` is made with the README's command (`impasse report`
//! with the default budget, then a 1280 × 1600 Chromium screenshot).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use impasse::analysis::Budget;
use impasse::analysis::board::{BoardBudget, BoardData, gather, gather_with};
use impasse::report::board_charts::{CHART_IDS, Chart, charts, omitted};
use impasse::report::brief::learn_first;
use impasse::report::html::{escape, html, inputs_worth_learning};
use impasse::report::summary::executive_summary;
use impasse::scenario::{DEFAULT_SCENARIO_TOML, Scenario};

/// Longest a browser run may take before it is killed and the test fails.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

fn budget(paths: u64, analysis_paths: u64, seed: u64) -> BoardBudget {
    BoardBudget {
        run: Budget {
            paths,
            seed,
            threads: Some(2),
        },
        analysis_paths,
    }
}

/// The built-in scenario's board data, its charts and its HTML, made once
/// and written to `target/report-test/report.html`.
fn report() -> &'static (BoardData, Vec<Chart>, String) {
    static REPORT: OnceLock<(BoardData, Vec<Chart>, String)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let data = gather(
            &Scenario::builtin(),
            DEFAULT_SCENARIO_TOML,
            "impasse report",
            &budget(3000, 1000, 5),
            &|_| {},
        )
        .expect("the built-in scenario gathers");
        let charts = charts(&data);
        let page = html(&data, &charts);
        std::fs::create_dir_all(out_dir()).unwrap();
        std::fs::write(out_dir().join("report.html"), &page).unwrap();
        (data, charts, page)
    })
}

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-test")
}

/// The text between `start` (included) and the next `end` after it.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let at = page
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` is not in the page"));
    let rest = &page[at..];
    let stop = rest
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"));
    &rest[..stop]
}

#[test]
fn every_chart_is_inline_svg_under_its_id() {
    let (_, charts, page) = report();
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, CHART_IDS, "the built-in scenario has every chart");
    for c in charts {
        let figure = between(
            page,
            &format!("<figure class=\"chart\" id=\"{}\">", c.id),
            "</figure>",
        );
        assert!(
            figure.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{}",
            c.id
        );
        assert!(figure.contains(&format!("<title>{}</title>", escape(&c.title))));
        assert!(figure.contains("<figcaption>"), "{} has a caption", c.id);
        let doc = roxmltree::Document::parse(&c.svg)
            .unwrap_or_else(|e| panic!("{}: not well-formed SVG: {e}", c.id));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }
    assert_eq!(page.matches("<svg ").count(), charts.len());
}

#[test]
fn nothing_is_fetched_from_the_network_and_no_script_runs() {
    let (_, _, page) = report();
    let lower = page.to_lowercase();
    for scheme in ["http://", "https://"] {
        for (at, _) in lower.match_indices(scheme) {
            let before = &lower[..at];
            let attr_start = before.rfind(' ').map_or(0, |i| i + 1);
            let attr = &before[attr_start..];
            assert!(
                attr.starts_with("xmlns=\"") || attr.starts_with("xmlns:"),
                "external reference at {at}: {}",
                &page[at.saturating_sub(60)..(at + 60).min(page.len())]
            );
        }
    }
    for banned in [
        "<script", "<link", "url(", "@import", "<iframe", "<img", "src=",
    ] {
        assert!(!lower.contains(banned), "the report contains `{banned}`");
    }
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("<style>") && page.contains("@media print"));
    assert!(page.contains("break-before: page"));
    assert!(page.contains("break-inside: avoid"));
}

#[test]
fn the_summary_names_the_recommendation_and_every_strategy_appears() {
    let (data, _, page) = report();
    let summary = between(page, "<section id=\"summary\"", "</section>");
    assert!(summary.contains(&escape(&data.recommended)));
    let recommendation = between(summary, "<div class=\"recommendation\"", "</div>\n<ol");
    assert!(recommendation.contains(&format!(
        "<p class=\"name\">{}</p>",
        escape(&data.recommended)
    )));
    for f in executive_summary(data) {
        assert!(summary.contains(&escape(&f.headline)), "{}", f.headline);
        assert!(summary.contains(&escape(&f.detail)), "{}", f.detail);
    }
    for s in &data.run.strategies {
        let table = between(page, "<section id=\"strategies\"", "</section>");
        assert!(
            table.contains(&format!(
                "<th scope=\"row\" class=\"name\">{}",
                escape(&s.name)
            )),
            "{} in the strategy table",
            s.name
        );
    }
    // The reproduce command, version, paths and seed are there.
    let method = between(page, "<section id=\"methodology\"", "</section>");
    assert!(method.contains(&format!(
        "<pre><code>{}</code></pre>",
        escape(&data.command)
    )));
    assert!(method.contains(&data.run.version));
    assert!(page.contains("<dt>Seed</dt><dd>5</dd>"));
    assert!(page.contains("<dt>Simulated worlds</dt><dd>3,000</dd>"));
}

#[test]
fn the_assumptions_table_has_a_row_per_input() {
    let (_, _, page) = report();
    let table = between(page, "<section id=\"assumptions\"", "</section>");
    let inputs = Scenario::builtin().inputs();
    assert!(inputs.len() > 20);
    for (path, dist) in &inputs {
        // In words first, then as written (with the path for --set).
        let row = format!(
            "<tr><th scope=\"row\">{}</th><td class=\"value\">{}</td>",
            escape(&impasse::scenario::labels::describe(path)),
            escape(&impasse::scenario::labels::format_dist(path, dist))
        );
        assert!(table.contains(&row), "{row}");
        assert!(
            table.contains(&format!("= {}</td>", escape(&dist.to_string()))),
            "{path}"
        );
    }
    assert_eq!(
        table.matches("<tr><th scope=\"row\">").count(),
        inputs.len()
    );
    // Notes come from the scenario file's comments.
    assert!(table.contains("highest yearly uplift the payer&#39;s negotiating staff can grant"));
}

#[test]
fn text_from_the_scenario_is_escaped() {
    let hostile = "a<b&c";
    let mut scenario = Scenario::builtin();
    let i = scenario.strategy_index("all-issues").unwrap();
    scenario.strategies[i].name = hostile.to_string();
    scenario.strategies[i].description = "Trade <b>rate</b> & \"terms\"".into();
    scenario.description = "<script>alert('x')</script>".into();
    scenario.validate().unwrap();
    let source = DEFAULT_SCENARIO_TOML.replace(
        "# The payer's first offer, a yearly uplift.",
        "# The payer's <i>first</i> offer & \"opening\", a yearly uplift.",
    );
    assert_ne!(source, DEFAULT_SCENARIO_TOML, "the comment to make hostile");
    let data = gather(
        &scenario,
        &source,
        "impasse report <file> & more",
        &budget(1000, 300, 5),
        &|_| {},
    )
    .unwrap();
    assert!(data.ranking.iter().any(|n| n == hostile));
    let page = html(&data, &charts(&data));
    assert!(!page.contains(hostile), "raw `{hostile}` in the page");
    assert!(page.contains("a&lt;b&amp;c"));
    assert!(!page.contains("<b>rate</b>"));
    assert!(page.contains("Trade &lt;b&gt;rate&lt;/b&gt; &amp; &quot;terms&quot;"));
    assert!(!page.to_lowercase().contains("<script"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(page.contains(
        "The payer&#39;s &lt;i&gt;first&lt;/i&gt; offer &amp; &quot;opening&quot;, a yearly uplift."
    ));
    assert!(page.contains("<pre><code>impasse report &lt;file&gt; &amp; more</code></pre>"));
}

#[test]
fn absent_charts_are_explained_and_the_output_is_deterministic() {
    let mut scenario = Scenario::builtin();
    scenario.strategies.retain(|s| s.name == "wait");
    scenario.baseline = None;
    let data = gather(
        &scenario,
        DEFAULT_SCENARIO_TOML,
        "impasse report",
        &budget(1000, 300, 5),
        &|_| {},
    )
    .unwrap();
    let c = charts(&data);
    let page = html(&data, &c);
    for o in omitted(&data) {
        assert!(!page.contains(&format!("<figure class=\"chart\" id=\"{}\">", o.id)));
        let note = between(
            &page,
            &format!("<div class=\"missing\" id=\"{}\"", o.id),
            "</div>",
        );
        assert!(note.contains(&escape(&o.reason)), "{note}");
    }
    assert!(page.contains("id=\"tornado\"") && page.contains("single strategy"));
    assert!(page.contains("id=\"escalation-timing\""));
    // No choice, so nothing to learn and no drivers of a choice.
    assert!(data.information.is_none() && data.drivers.is_none());
    let info = between(&page, "<section id=\"information\"", "</section>");
    assert!(info.contains("no choice that better information could improve"));
    assert!(info.contains("<div class=\"missing\" id=\"drivers\""));
    assert!(!page.contains("<dt>Learn first</dt>"));
    // The same inputs give the same bytes.
    let again = gather(
        &scenario,
        DEFAULT_SCENARIO_TOML,
        "impasse report",
        &budget(1000, 300, 5),
        &|_| {},
    )
    .unwrap();
    assert_eq!(html(&again, &charts(&again)), page);
}

// ---------------------------------------------------------------- browser

/// The Chromium binary: `$CHROMIUM`, `/usr/bin/chromium`, or `chromium` on
/// the path. Panics (failing the test) if there is none.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMIUM").map(PathBuf::from)
        && p.exists()
    {
        return p;
    }
    let default = PathBuf::from("/usr/bin/chromium");
    if default.exists() {
        return default;
    }
    if let Some(found) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.exists())
    }) {
        return found;
    }
    panic!(
        "headless Chromium is required by this test but is not installed: install it with \
         `apt-get update && apt-get install -y chromium` (.ci/run does this in CI), or set \
         $CHROMIUM to its path"
    );
}

/// What a browser run printed.
struct Run {
    stdout: String,
    stderr: String,
}

/// Run headless Chromium with `extra` arguments and a fresh profile; kill it
/// and fail after [`BROWSER_TIMEOUT`].
fn run_chromium(extra: &[String]) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--allow-file-access-from-files",
        "--virtual-time-budget=5000",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .stdin(Stdio::null())
    .stdout(std::fs::File::create(&out_path).unwrap())
    .stderr(std::fs::File::create(&err_path).unwrap());
    // Its own process group, so a timeout kills the renderers with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().expect("Chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "Chromium did not finish within {BROWSER_TIMEOUT:?} ({extra:?}); stderr:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |p: &Path| {
        let mut s = String::new();
        std::fs::File::open(p)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let run = Run {
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    assert!(
        status.success(),
        "Chromium failed ({status}) with {extra:?}; stderr:\n{}",
        run.stderr
    );
    run
}

/// The page's console messages in Chromium's log. Chromium (156) logs every
/// console message, `console.error` and uncaught exceptions included, as
/// `INFO:CONSOLE`, so the level cannot tell an error from a log; the report
/// has no script, so any console message from it is a failure. Chromium's
/// own noise (D-Bus, GPU, sandbox) comes from other sources and is ignored.
fn console_messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect()
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// A page that loads `target` in an iframe and, once it has loaded, writes
/// what it measured as JSON between `RESULT<` and `>END` in its own DOM:
/// every chart's size and title, the summary's text, the page's width.
fn wrapper_page(target: &str) -> String {
    let ids = serde_json::to_string(&CHART_IDS).unwrap();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0">
<iframe id="report" src="{target}" style="width:1280px;height:2400px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
var ids = {ids};
document.getElementById('report').addEventListener('load', function () {{
  var out = {{ loaded: true }};
  try {{
    var d = document.getElementById('report').contentDocument;
    out.title = d.title;
    out.charts = ids.map(function (id) {{
      var el = d.getElementById(id);
      var svg = el ? el.querySelector('svg') : null;
      var r = svg ? svg.getBoundingClientRect() : null;
      var t = svg ? svg.querySelector('title') : null;
      return {{ id: id, present: !!svg, width: r ? r.width : 0, height: r ? r.height : 0,
               title: t ? t.textContent : '' }};
    }});
    out.svgs = d.querySelectorAll('svg').length;
    var s = d.getElementById('summary');
    out.summary = s ? s.innerText : '';
    out.scrollWidth = d.documentElement.scrollWidth;
    out.overflowing = Array.prototype.filter.call(d.querySelectorAll('.wide'), function (w) {{
      return w.scrollWidth > w.clientWidth + 1;
    }}).map(function (w) {{ var c = w.querySelector('caption'); return c ? c.textContent : '?'; }});
    out.clientWidth = d.documentElement.clientWidth;
    out.h2 = Array.prototype.map.call(d.querySelectorAll('h1, h2, h3'), function (h) {{ return h.tagName; }});
  }} catch (e) {{ out.error = String(e); }}
  var json = JSON.stringify(out).replace(/[<>&]/g, function (c) {{
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  }});
  document.getElementById('result').textContent = 'RESULT<' + json + '>END';
}});
</script>
</body></html>
"#
    )
}

/// The JSON a wrapper page wrote into its dumped DOM.
fn probe_result(dom: &str) -> serde_json::Value {
    let start = dom
        .find("<pre id=\"result\">RESULT&lt;")
        .unwrap_or_else(|| panic!("the probe wrote no result; DOM:\n{dom}"));
    let rest = &dom[start + "<pre id=\"result\">RESULT&lt;".len()..];
    let end = rest.find("&gt;END").expect("the result's end marker");
    serde_json::from_str(&rest[..end])
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", &rest[..end]))
}

#[test]
fn the_console_detector_ignores_noise_and_catches_errors() {
    let log = "\
/usr/bin/chromium: 9: [: 25276510208: unexpected operator
[3021:3050:1126/185948.530331:ERROR:dbus/bus.cc:405] Failed to connect to the bus: Failed to connect to socket /run/dbus/system_bus_socket
[3062:3062:1126/185948.658475:WARNING:media/gpu/vaapi/vaapi_wrapper.cc:1655] drmGetDevices2() has not found any devices
[3021:3021:1126/185949.110072:INFO:CONSOLE:2] \"deliberate\", source: file:///tmp/broken.html (2)
[3021:3021:1126/185949.117757:INFO:CONSOLE(2)] \"Uncaught ReferenceError: f is not defined\", source: file:///tmp/b.html (2)
";
    let found = console_messages(log);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("deliberate"));
    assert!(found[1].contains("Uncaught ReferenceError"));
}

#[test]
fn a_broken_page_is_caught_in_headless_chromium() {
    let dir = out_dir().join("broken");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>broken</title></head>\
         <body><p>broken on purpose</p><script>console.error('deliberate console error'); \
         notDefinedAnywhere();</script></body></html>\n",
    )
    .unwrap();
    let wrapper = dir.join("wrapper.html");
    std::fs::write(&wrapper, wrapper_page("broken.html")).unwrap();
    // Loaded through the same iframe probe as the report: its errors show.
    let run = run_chromium(&["--dump-dom".into(), file_url(&wrapper)]);
    let found = console_messages(&run.stderr);
    assert!(
        found.iter().any(|l| l.contains("deliberate console error")),
        "console.error not caught: {found:#?}\n{}",
        run.stderr
    );
    assert!(
        found.iter().any(|l| l.contains("Uncaught ReferenceError")),
        "uncaught exception not caught: {found:#?}"
    );
    let result = probe_result(&run.stdout);
    assert_eq!(result["loaded"], true);
}

#[test]
fn the_report_renders_prints_and_screenshots_in_headless_chromium() {
    let (data, charts, _) = report();
    let dir = out_dir();
    let page = dir.join("report.html");
    let wrapper = dir.join("wrapper.html");
    std::fs::write(&wrapper, wrapper_page("report.html")).unwrap();
    let png = dir.join("report.png");
    let pdf = dir.join("report.pdf");
    let _ = std::fs::remove_file(&png);
    let _ = std::fs::remove_file(&pdf);

    let (probe, shot, print) = std::thread::scope(|s| {
        let probe = s.spawn(|| run_chromium(&["--dump-dom".into(), file_url(&wrapper)]));
        let shot = s.spawn(|| {
            run_chromium(&[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,2400".into(),
                file_url(&page),
            ])
        });
        let print = s.spawn(|| {
            run_chromium(&[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                file_url(&page),
            ])
        });
        (
            probe.join().unwrap(),
            shot.join().unwrap(),
            print.join().unwrap(),
        )
    });

    for (what, run) in [("probe", &probe), ("screenshot", &shot), ("print", &print)] {
        let found = console_messages(&run.stderr);
        assert!(
            found.is_empty(),
            "console messages while loading the report ({what}): {found:#?}"
        );
    }

    let r = probe_result(&probe.stdout);
    assert_eq!(r["loaded"], true);
    assert!(r.get("error").is_none(), "probe error: {}", r["error"]);
    assert_eq!(r["title"], format!("Board report: {}", data.scenario));
    let shown = r["charts"].as_array().unwrap();
    assert_eq!(shown.len(), CHART_IDS.len());
    for (c, chart) in shown.iter().zip(charts) {
        assert_eq!(c["id"], chart.id.as_str());
        assert_eq!(c["present"], true, "{} is missing", chart.id);
        let (w, h) = (c["width"].as_f64().unwrap(), c["height"].as_f64().unwrap());
        assert!(w > 100.0 && h > 50.0, "{} is {w} x {h}", chart.id);
        assert_eq!(c["title"], chart.title.as_str());
    }
    assert_eq!(r["svgs"].as_u64().unwrap() as usize, charts.len());
    let summary = r["summary"].as_str().unwrap();
    assert!(
        summary.contains(&data.recommended),
        "summary text: {summary}"
    );
    assert!(summary.contains("Executive summary"));
    assert!(
        r["scrollWidth"].as_f64().unwrap() <= r["clientWidth"].as_f64().unwrap(),
        "the page is wider than a 1280-pixel window: {r}"
    );
    assert_eq!(
        r["overflowing"].as_array().map(Vec::len),
        Some(0),
        "tables wider than their column at 1280 pixels: {}",
        r["overflowing"]
    );
    // Headings in order: one h1, then h2s, never a level skipped.
    let levels: Vec<u32> = r["h2"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap()[1..].parse().unwrap())
        .collect();
    assert_eq!(levels[0], 1);
    assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1);
    for w in levels.windows(2) {
        assert!(w[1] <= w[0] + 1, "heading levels skip: {levels:?}");
    }

    let png_bytes = std::fs::read(&png).expect("the screenshot was written");
    assert!(png_bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        png_bytes.len() > 50_000,
        "a blank screenshot? {} bytes",
        png_bytes.len()
    );

    let pdf_bytes = std::fs::read(&pdf).expect("the PDF was written");
    assert!(pdf_bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf_bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    // Title and summary, charts (several pages), strategies, what could
    // change it, assumptions, methodology: each section starts a page.
    assert!(
        pages >= 6,
        "{pages} pages: page breaks between sections are missing"
    );
}

/// A dotted input path (`payer.notice.credibility`) in board text: a dot
/// between two letters. Numbers (`1.5`, `$0.27M`) do not count.
fn dotted_path(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len().saturating_sub(1))
        .find(|&i| {
            chars[i] == '.'
                && (chars[i - 1].is_ascii_lowercase() || chars[i - 1] == '_')
                && (chars[i + 1].is_ascii_lowercase() || chars[i + 1] == '_')
        })
        .map(|i| {
            chars[i.saturating_sub(30)..(i + 30).min(chars.len())]
                .iter()
                .collect()
        })
}

#[test]
fn page_one_is_the_decision_brief_and_prints_on_one_page() {
    let (data, _, page) = report();
    let brief = between(page, "<section id=\"brief\"", "</section>");
    assert!(brief.contains("Decision brief"));
    assert!(
        brief.contains(&escape(&data.recommended)),
        "the brief does not name {}",
        data.recommended
    );
    assert!(brief.contains("<dt>Patients</dt>"), "{brief}");
    assert!(brief.contains("What the board approves"));
    assert!(brief.contains("What would change the decision"));
    assert_eq!(dotted_path(brief), None, "a dotted input path in the brief");
    // The brief comes before the executive summary, which starts page 2.
    let at = |s: &str| page.find(s).unwrap();
    assert!(at("<section id=\"brief\"") < at("<section id=\"summary\""));
    assert!(page.contains("<section id=\"summary\" class=\"page\""));

    // The title and the brief alone, printed with the report's own styles,
    // fill exactly one page: so page 1 of the report is the whole brief.
    let pages = printed_page_one(page, "brief");
    assert_eq!(pages, 1, "the title and the brief take {pages} pages");
}

/// How many pages the title and the brief of `page` take, printed alone
/// with the report's own styles (written under `target/report-test/<dir>`).
fn printed_page_one(page: &str, dir: &str) -> usize {
    let at = |s: &str| page.find(s).unwrap();
    let cut_from = at("<section id=\"summary\"");
    let cut_to = at("<footer>");
    let first_page = format!("{}{}", &page[..cut_from], &page[cut_to..]);
    let dir = out_dir().join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let html_path = dir.join("page1.html");
    std::fs::write(&html_path, first_page).unwrap();
    let pdf = dir.join("page1.pdf");
    let _ = std::fs::remove_file(&pdf);
    run_chromium(&[
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".into(),
        file_url(&html_path),
    ]);
    let bytes = std::fs::read(&pdf).expect("page 1 was printed");
    let text = String::from_utf8_lossy(&bytes);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[test]
fn the_dotted_path_detector_finds_paths_and_ignores_numbers() {
    assert!(dotted_path("if payer.notice.credibility is below").is_some());
    assert!(dotted_path("worth $0.27M, 1.5 % a year. Then").is_none());
}

#[test]
fn the_value_of_information_section_states_evpi_and_what_to_learn() {
    let (data, charts, page) = report();
    let v = data.information.as_ref().expect("a value of information");
    let section = between(page, "<section id=\"information\"", "</section>");
    // After what could change the decision, before the appendix; in the contents.
    let at = |s: &str| page.find(s).unwrap();
    assert!(at("<section id=\"sensitivity\"") < at("<section id=\"information\""));
    assert!(at("<section id=\"information\"") < at("<section id=\"assumptions\""));
    assert!(page.contains("<a href=\"#information\">"));
    assert!(section.contains("<h2 id=\"information-h\">What better information is worth</h2>"));

    // The EVPI as the data has it, in $M, and its ± called Monte Carlo
    // error, not a range of outcomes.
    let d = if v.evpi.mean.abs() < 1e5 { 3 } else { 2 };
    let evpi = format!("<b>${:.d$}M</b>", v.evpi.mean / 1e6);
    assert!(section.contains(&evpi), "no {evpi} in:\n{section}");
    let err = format!(
        "\u{b1} ${:.d$}M is the Monte Carlo error",
        1.959963984540054 * v.evpi.mcse / 1e6
    );
    assert!(section.contains(&err), "no {err} in:\n{section}");
    assert!(section.contains("not a range of outcomes"));
    assert!(section.contains(&escape(&v.objective)));

    // The inputs worth learning, each in its sentence; or plainly none, and
    // the share left to chance.
    let worth = inputs_worth_learning(v);
    assert!(worth.len() <= 3);
    assert_eq!(
        worth.first().map(|r| &r.input),
        v.most_valuable().map(|r| &r.input)
    );
    for r in &worth {
        assert!(r.value > 2.0 * r.mcse && r.value >= 0.01 * v.evpi.mean);
        assert!(
            section.contains(&format!("<li>{}</li>", escape(&v.sentence(r)))),
            "{}",
            r.input
        );
    }
    if worth.is_empty() {
        assert!(section.contains("No single input is worth paying to learn before choosing."));
    }
    if let Some(all) = v.all_inputs() {
        let share = impasse::report::summary::percent(all.share_of_evpi.clamp(0.0, 1.0));
        assert!(
            section.contains(&format!("{share} of the EVPI")),
            "{share}:\n{section}"
        );
        assert!(section.contains("is chance"));
    }
    // A caution for each estimate shown with a warning, none otherwise.
    let warned = worth
        .iter()
        .copied()
        .chain(v.all_inputs())
        .filter(|r| r.warning.is_some())
        .count();
    assert_eq!(section.matches("<b>Caution.</b>").count(), warned);

    // The drivers: in words and as the last figure, in this section only.
    let drivers = data
        .drivers
        .as_ref()
        .expect("Sobol' indices of the top two");
    assert_eq!(
        drivers.base_samples,
        impasse::analysis::board::SOBOL_BASE_SAMPLES
    );
    assert_eq!(
        drivers.strategies,
        [data.recommended.clone(), data.runner_up.clone().unwrap()]
    );
    assert!(section.contains("<h3>What drives the choice</h3>"));
    let figure = between(
        section,
        "<figure class=\"chart\" id=\"drivers\">",
        "</figure>",
    );
    let chart = charts.iter().find(|c| c.id == "drivers").unwrap();
    assert!(figure.contains(chart.svg.trim_end()));
    assert!(figure.contains(&format!("<b>Figure {}.", charts.len())));
    let charts_section = between(page, "<section id=\"charts\"", "</section>");
    assert!(!charts_section.contains("id=\"drivers\""));
    let chance = drivers.sobol.iter().find(|r| r.kind == "chance").unwrap();
    let words = format!(
        "accounts for {} of that variation in total",
        impasse::report::summary::percent(chance.st.clamp(0.0, 1.0))
    );
    assert!(section.contains(&words), "{words}");
    for r in drivers.drivers().filter(|r| r.kind != "chance").take(4) {
        assert!(section.contains(&escape(&r.label)), "{}", r.label);
    }
    let words = &section[..section.find("<figure").unwrap()];
    assert_eq!(
        dotted_path(words),
        None,
        "a dotted input path in the section"
    );
}

#[test]
fn the_brief_says_what_to_learn_first() {
    let (data, _, page) = report();
    let v = data.information.as_ref().unwrap();
    let brief = between(page, "<section id=\"brief\"", "</section>");
    let line = format!(
        "<div><dt>Learn first</dt><dd>{}</dd></div>",
        escape(&learn_first(v))
    );
    assert!(brief.contains(&line), "no {line} in the brief");
    let text = learn_first(v);
    match v.most_valuable() {
        Some(r) => {
            assert!(
                text.to_lowercase().contains(&r.label.to_lowercase()),
                "{text}"
            );
            assert!(
                text.contains(&impasse::report::summary::money(r.value)),
                "{text}"
            );
        }
        None => assert!(text.starts_with("Nothing to learn first"), "{text}"),
    }
    // Short: one line of the brief, no precision (the brief shows spreads only).
    assert!(text.chars().count() <= 160, "{text}");
    assert!(!text.contains('\u{b1}'));
}

#[test]
fn the_value_of_information_and_the_drivers_do_not_depend_on_the_thread_count() {
    let scenario = Scenario::builtin();
    let done = std::sync::atomic::AtomicU64::new(0);
    let gather_on = |threads: usize| {
        let mut b = budget(1000, 300, 7);
        b.run.threads = Some(threads);
        done.store(0, std::sync::atomic::Ordering::Relaxed);
        let data = gather(
            &scenario,
            DEFAULT_SCENARIO_TOML,
            "impasse report",
            &b,
            &|n| {
                done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            },
        )
        .unwrap();
        (data, b)
    };
    let (one, b) = gather_on(1);
    // The progress bar's total covers the value-of-information run and the
    // Sobol' design too.
    let counted = done.load(std::sync::atomic::Ordering::Relaxed);
    let planned = b.planned_paths(&scenario);
    let sobol = one.drivers.as_ref().unwrap().runs as u64;
    assert!(
        counted <= planned,
        "{counted} paths counted, {planned} planned"
    );
    assert!(counted >= 3 * 1000 + 300 + sobol, "{counted} paths counted");
    let (three, _) = gather_on(3);
    assert!(one.information.is_some() && one.drivers.is_some());
    assert_eq!(one.information, three.information);
    assert_eq!(one.drivers, three.drivers);
}

#[test]
fn an_input_worth_learning_is_named_in_the_section_and_on_the_brief() {
    // The built-in scenario's outcome turns on chance; make one input worth
    // learning, with a warning, and render again.
    let (data, charts, _) = report();
    let mut data = data.clone();
    let v = data.information.as_mut().unwrap();
    let evpi = v.evpi.mean.max(1e5);
    v.evpi.mean = evpi;
    // The longest label, for the longest line on the brief.
    let i = (0..v.evppi.len())
        .filter(|&i| v.evppi[i].kind == "input")
        .max_by_key(|&i| v.evppi[i].label.chars().count())
        .unwrap();
    let row = &mut v.evppi[i];
    row.value = 0.4 * evpi;
    row.mcse = 0.01 * evpi;
    row.share_of_evpi = 0.4;
    row.warning = Some("the metamodel misses structure in `bluff` − `wait`".into());
    let label = row.label.clone();
    let v = data.information.as_ref().unwrap();
    assert_eq!(
        v.most_valuable().map(|r| r.label.as_str()),
        Some(label.as_str())
    );
    let page = html(&data, charts);
    let section = between(&page, "<section id=\"information\"", "</section>");
    let row = v.most_valuable().unwrap();
    assert!(section.contains(&format!("<ul>\n<li>{}</li>", escape(&v.sentence(row)))));
    assert!(!section.contains("No single input is worth paying to learn"));
    let what = if label.starts_with("the ") {
        label.clone()
    } else {
        format!("the {label}")
    };
    assert!(section.contains(&format!(
        "<b>Caution.</b> The estimate for knowing {} may be off: the metamodel misses structure in \u{201c}bluff\u{201d} \u{2212} \u{201c}wait\u{201d}.",
        escape(&what)
    )));
    let brief = between(&page, "<section id=\"brief\"", "</section>");
    let text = learn_first(v);
    assert!(
        text.contains("40 % of the value of perfect information"),
        "{text}"
    );
    assert!(brief.contains(&format!("<dt>Learn first</dt><dd>{}</dd>", escape(&text))));
    // The longer line still leaves the brief on one printed page.
    let pages = printed_page_one(&page, "brief-learn");
    assert_eq!(pages, 1, "the title and the brief take {pages} pages");
}

#[test]
fn few_analysis_paths_still_give_a_value_of_information() {
    // Its regressions need 100 paths: fewer analysis paths are raised to that.
    let scenario = Scenario::builtin();
    let b = budget(500, 20, 3);
    let done = std::sync::atomic::AtomicU64::new(0);
    let data = gather(
        &scenario,
        DEFAULT_SCENARIO_TOML,
        "impasse report",
        &b,
        &|n| {
            done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        },
    )
    .unwrap();
    assert_eq!(data.information.as_ref().map(|v| v.paths), Some(100));
    assert_eq!(data.tornado.as_ref().map(|t| t.paths), Some(20));
    assert!(done.into_inner() <= b.planned_paths(&scenario));
}

/// `x` as the report's tables write signed $M: two decimals, a true
/// minus sign, `0.00` for nothing.
fn signed_m2(x: f64) -> String {
    let s = format!("{:+.2}", x / 1e6);
    if s == "-0.00" || s == "+0.00" {
        "0.00".into()
    } else {
        s.replace('-', "\u{2212}")
    }
}

#[test]
fn with_optimize_the_report_shows_a_better_plan_and_its_honest_gain() {
    let scenario = Scenario::builtin();
    let gather_on = |threads: usize| {
        let mut b = budget(1000, 1000, 5);
        b.run.threads = Some(threads);
        let done = std::sync::atomic::AtomicU64::new(0);
        let data = gather_with(
            &scenario,
            DEFAULT_SCENARIO_TOML,
            "impasse report --optimize",
            &b,
            Some(40),
            &|n| {
                done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            },
        )
        .unwrap();
        (data, b, done.into_inner())
    };
    let (data, b, counted) = gather_on(2);
    // The progress bar's total covers the search and its holdout.
    assert!(counted <= b.planned_paths_with(&scenario, Some(40)));
    assert!(counted >= b.optimize_paths(40));
    let o = data.optimized.as_ref().expect("asked for");
    assert_eq!(o.from.name, data.recommended);
    assert_eq!(
        o.search.paths, 500,
        "a quarter of the analysis paths, at least 500"
    );
    assert_eq!(o.holdout.paths, 1000);
    assert!(o.candidates_evaluated <= 40);
    // The same plan on any number of threads.
    let (again, _, _) = gather_on(3);
    assert_eq!(again.optimized, data.optimized);

    let page = html(&data, &charts(&data));
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("<section id=\"information\"") < at("<section id=\"optimized\""));
    assert!(at("<section id=\"optimized\"") < at("<section id=\"assumptions\""));
    assert!(page.contains("<a href=\"#optimized\">"));
    let section = between(&page, "<section id=\"optimized\"", "</section>");
    assert!(section.contains("<h2 id=\"optimized-h\">A better plan?</h2>"));
    assert!(section.contains(&format!(
        "It tried {} plans, each played on the same 500 simulated worlds",
        o.candidates_evaluated
    )));
    assert!(section.contains("played again on 1,000 fresh worlds"));
    assert!(section.contains("Monte Carlo error of the estimate"));
    assert!(section.contains("impasse sobol FILE --diff"));
    let best = o
        .best
        .as_ref()
        .expect("the built-in scenario has a plan within its limits");
    assert!(section.contains(&format!(
        "<td class=\"num\" id=\"optimized-gain\">{}</td>",
        signed_m2(best.holdout.gain)
    )));
    // The plan as TOML, line by line, for the analyst.
    let toml = between(section, "<pre class=\"toml\"><code>", "</code></pre>");
    for line in best.toml.lines() {
        assert!(toml.contains(&escape(line)), "{line} not in {toml}");
    }
    assert!(toml.contains("[[strategy]]\nname = &quot;optimized&quot;\n"));
    let clear = best.holdout.gain_ci95[0] > 0.0;
    assert_eq!(section.contains("No better plan was found"), !clear);
    assert_eq!(section.contains("The search found a better plan"), clear);
    for n in &o.notes {
        assert!(section.contains(&escape(n)));
    }

    // A gain within the Monte Carlo error of zero is said plainly.
    let mut unclear = data.clone();
    let b = unclear.optimized.as_mut().unwrap().best.as_mut().unwrap();
    b.holdout.gain_ci95 = [-1e5, 2e5];
    let page = html(&unclear, &charts(&unclear));
    let section = between(&page, "<section id=\"optimized\"", "</section>");
    assert!(section.contains("<b>No better plan was found.</b>"));
    assert!(section.contains("the interval includes zero"));
}

#[test]
fn without_optimize_there_is_no_better_plan_section() {
    let (data, _, page) = report();
    assert!(data.optimized.is_none());
    assert!(!page.contains("id=\"optimized\""));
    assert!(!page.contains("A better plan?"));
}
