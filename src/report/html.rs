//! The board report as one self-contained HTML5 file: inline style, inline
//! SVG charts, a system font stack, no script and no network access. It opens
//! offline in any current browser and prints to A4 or Letter with a page
//! break before each main section.
//!
//! Sections: the title block (scenario, version, paths, seed), the executive
//! summary with the recommendation in a box ([`super::summary`]), the charts
//! ([`super::board_charts`]), each with a caption saying how to read it, the
//! ranked strategy table and the comparisons with the baseline, the tornado
//! and the break-even in words, the escalation timing, what better
//! information is worth (EVPI, the inputs most worth learning, and the
//! drivers chart of what moves the choice), with `--optimize` a better plan
//! than the recommended one if the search finds one ("A better plan?"),
//! every assumption with its note, and the methodology with the command that
//! reproduces the report.
//!
//! All text that comes from the scenario (names, descriptions, notes) is
//! escaped. The output depends only on its inputs (no date, no randomness).

use std::fmt::Write;

use crate::analysis::board::BoardData;
use crate::analysis::information::{EvppiRow, VoiReport};
use crate::analysis::optimize::OptimizeReport;
use crate::analysis::threshold::Finding as Crossing;
use crate::analysis::timing::WeekPoint;
use crate::analysis::tornado::{InputKind, TornadoReport};
use crate::report::StrategyReport;
use crate::scenario::{Agenda, Strategy, Trigger};

use super::board_charts::{CHART_IDS, Chart, caption, reason, title};
use super::summary::{self, Finding, Topic, count, executive_summary, money, percent, quoted};

/// Escape text for HTML content and attribute values: the same rules as the
/// charts' XML escaping (HTML folds the line breaks it turns into spaces anyway).
pub fn escape(s: &str) -> String {
    super::charts::esc(s)
}

const STYLE: &str = r#"
:root {
  --ink: #16181d;
  --soft: #4a4f59;
  --muted: #6b7079;
  --rule: #d9dce1;
  --faint: #f4f5f7;
  --accent: #0b5a8c;
  --accent-tint: #eef5fa;
}
* { box-sizing: border-box; }
html {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 16px;
  line-height: 1.55;
  color: var(--ink);
  background: #ffffff;
  -webkit-text-size-adjust: 100%;
}
body { margin: 0; }
main { max-width: 64rem; margin: 0 auto; padding: 3.5rem 2.5rem 4rem; }
h1, h2, h3 { line-height: 1.2; font-weight: 700; color: var(--ink); }
h1 { font-size: 2.3rem; margin: 0.35rem 0 0.8rem; letter-spacing: -0.015em; }
h2 { font-size: 1.55rem; margin: 4rem 0 1.25rem; padding-bottom: 0.45rem; border-bottom: 2px solid var(--ink); letter-spacing: -0.01em; }
h3 { font-size: 1.12rem; margin: 2.4rem 0 0.7rem; }
p { margin: 0 0 0.9rem; }
code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.88em; }
.eyebrow { margin: 0; font-size: 0.78rem; font-weight: 600; letter-spacing: 0.14em; text-transform: uppercase; color: var(--accent); }
.lede { font-size: 1.15rem; color: var(--soft); max-width: 46rem; margin-bottom: 1.6rem; }
.meta { display: flex; flex-wrap: wrap; gap: 0.6rem 2.6rem; margin: 0; padding: 1rem 0; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
.meta div { min-width: 6rem; }
.meta dt { font-size: 0.72rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
.meta dd { margin: 0.1rem 0 0; font-weight: 600; font-variant-numeric: tabular-nums; }
nav.contents { margin: 1.2rem 0 0; font-size: 0.88rem; color: var(--muted); }
nav.contents a { color: var(--accent); text-decoration: none; margin-right: 1.1rem; white-space: nowrap; }
nav.contents a:hover { text-decoration: underline; }
#summary h2 { margin-top: 3rem; }
.brief .question { font-size: 1.02rem; color: var(--soft); margin: 0 0 0.6rem; }
.brief .answer { font-size: 1.6rem; font-weight: 750; line-height: 1.2; margin: 0 0 1rem; padding: 0.8rem 1.1rem; border-left: 7px solid var(--accent); background: var(--accent-tint); border-radius: 6px; }
.brief .answer.unclear { border-left-color: #b7791f; background: #fdf6e7; }
.brief-lines { display: grid; grid-template-columns: 1fr; gap: 0.45rem; margin: 0 0 1rem; }
.brief-lines div { display: grid; grid-template-columns: 11rem 1fr; gap: 0.8rem; }
.brief-lines dt { font-weight: 700; font-size: 0.86rem; }
.brief-lines dd { margin: 0; font-size: 0.9rem; }
.brief-lists { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2rem; }
.brief-lists h3 { font-size: 0.95rem; margin: 0 0 0.3rem; }
.brief-lists ul { margin: 0; padding-left: 1.1rem; font-size: 0.86rem; }
.brief-lists li { margin-bottom: 0.25rem; }
.brief-note { font-size: 0.76rem; color: var(--muted); margin-top: 0.8rem; }
.recommendation { margin: 0 0 2.4rem; padding: 1.6rem 1.9rem 1.5rem; border: 1px solid #bcd3e3; border-left: 7px solid var(--accent); border-radius: 6px; background: var(--accent-tint); }
.recommendation .label { margin: 0 0 0.2rem; font-size: 0.78rem; font-weight: 700; letter-spacing: 0.14em; text-transform: uppercase; color: var(--accent); }
.recommendation .name { margin: 0 0 0.7rem; font-size: 1.9rem; font-weight: 750; letter-spacing: -0.01em; line-height: 1.15; }
.recommendation .headline { font-size: 1.08rem; font-weight: 600; margin-bottom: 0.5rem; }
.recommendation .detail { color: var(--soft); margin-bottom: 1.3rem; }
.kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1rem; margin: 0; padding-top: 1.1rem; border-top: 1px solid #bcd3e3; }
.kpis div { min-width: 0; }
.kpis dt { font-size: 0.74rem; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
.kpis dd { margin: 0.15rem 0 0; font-size: 1.45rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.kpis dd small { display: block; font-size: 0.78rem; font-weight: 400; color: var(--soft); margin-top: 0.2rem; }
ol.findings { list-style: none; margin: 0; padding: 0; }
ol.findings li { display: grid; grid-template-columns: 10.5rem minmax(0, 1fr); gap: 1.4rem; padding: 1.05rem 0; border-top: 1px solid var(--rule); }
ol.findings li:last-child { border-bottom: 1px solid var(--rule); }
ol.findings .topic { margin: 0.1rem 0 0; font-size: 0.76rem; font-weight: 700; letter-spacing: 0.1em; text-transform: uppercase; color: var(--accent); }
ol.findings .headline { font-weight: 600; margin-bottom: 0.3rem; }
ol.findings .detail { color: var(--soft); margin: 0; font-size: 0.95rem; }
figure.chart { margin: 2.2rem 0 2.8rem; padding: 0; }
figure.chart svg { display: block; width: 100%; max-width: 800px; height: auto; margin: 0 auto; }
figure.chart figcaption { max-width: 800px; margin: 0.7rem auto 0; font-size: 0.9rem; color: var(--soft); }
figure.chart figcaption b { color: var(--ink); }
.missing { max-width: 800px; margin: 2rem auto; padding: 1.1rem 1.4rem; border: 1px dashed #a9aeb6; border-radius: 6px; color: var(--soft); }
.missing p { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 0.6rem 0 1.4rem; font-size: 0.86rem; font-variant-numeric: tabular-nums; }
table.compact { width: auto; min-width: 60%; }
caption { caption-side: top; text-align: left; font-size: 0.86rem; color: var(--soft); padding-bottom: 0.55rem; }
th, td { padding: 0.45rem 0.5rem; vertical-align: top; text-align: left; }
thead th { font-size: 0.74rem; font-weight: 700; letter-spacing: 0.03em; color: var(--soft); border-bottom: 2px solid var(--ink); vertical-align: bottom; }
tbody th, tbody td { border-bottom: 1px solid var(--rule); }
tbody th { font-weight: 600; }
th.num, td.num { text-align: right; }
td.num, tbody th.num { white-space: nowrap; }
th.name { white-space: nowrap; }
tr.recommended th, tr.recommended td { background: var(--accent-tint); }
tr.recommended th { box-shadow: inset 4px 0 0 var(--accent); }
.tag { display: inline-block; margin-left: 0.4rem; padding: 0 0.4rem; border: 1px solid var(--accent); border-radius: 3px; font-size: 0.68rem; font-weight: 700; letter-spacing: 0.05em; text-transform: uppercase; color: var(--accent); vertical-align: 0.1em; }
.tag.first { margin-left: 0; margin-top: 0.2rem; }
td.note { color: var(--soft); font-size: 0.82rem; }
td.value { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.8rem; }
.wide { overflow-x: auto; }
dl.strategies { margin: 0.4rem 0 1.6rem; }
dl.strategies dt { font-weight: 600; margin-top: 0.6rem; }
dl.strategies dd { margin: 0.1rem 0 0; color: var(--soft); }
.method p, .method li { max-width: 46rem; }
.method ul { padding-left: 1.2rem; }
.method li { margin-bottom: 0.5rem; }
pre { background: var(--faint); border: 1px solid var(--rule); border-radius: 5px; padding: 0.9rem 1.1rem; white-space: pre-wrap; word-break: break-all; }
.aside { color: var(--muted); font-size: 0.88rem; }
footer { margin-top: 4rem; padding-top: 1rem; border-top: 1px solid var(--rule); font-size: 0.8rem; color: var(--muted); }
@media screen and (max-width: 760px) {
  main { padding: 2rem 1.1rem 3rem; }
  .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  ol.findings li { grid-template-columns: 1fr; gap: 0.3rem; }
}
@page { margin: 15mm 14mm 16mm; }
@media print {
  html { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.contents { display: none; }
  section.page { break-before: page; }
  section.page > h2:first-child { margin-top: 0; }
  h2, h3 { break-after: avoid; }
  figure.chart, .missing, .recommendation, ol.findings li, tr, pre, dl.strategies div { break-inside: avoid; }
  figure.chart { margin: 0.6rem 0 1.2rem; }
  figure.chart svg { max-width: 86%; }
  figure.chart figcaption { max-width: 86%; margin-top: 0.4rem; }
  .recommendation { padding: 1.1rem 1.3rem 1rem; margin-bottom: 1.4rem; }
  ol.findings li { grid-template-columns: 1fr; gap: 0.1rem; padding: 0.65rem 0; }
  ol.findings .detail { font-size: 0.92rem; }
  thead { display: table-header-group; }
  table { font-size: 0.8rem; }
  th, td { padding: 0.3rem 0.4rem; }
  .wide { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  /* Page 1: the title and the decision brief, on one page. */
  h1 { font-size: 1.7rem; margin: 0.1rem 0 0.3rem; }
  .lede { font-size: 0.95rem; margin-bottom: 0.5rem; }
  .meta { padding: 0.35rem 0; gap: 0.3rem 1.6rem; }
  .meta dt { font-size: 0.62rem; }
  .meta dd { font-size: 0.85rem; }
  #brief h2 { margin: 0.9rem 0 0.5rem; font-size: 1.3rem; }
  .brief .question { font-size: 0.9rem; margin-bottom: 0.4rem; }
  .brief .answer { font-size: 1.3rem; padding: 0.5rem 0.8rem; margin-bottom: 0.6rem; }
  .brief-lines { gap: 0.3rem; margin-bottom: 0.6rem; }
  .brief-lines div { grid-template-columns: 9rem 1fr; }
  .brief-lines dt, .brief-lines dd { font-size: 0.82rem; }
  .brief-lists ul { font-size: 0.8rem; }
  .brief-lists li { margin-bottom: 0.15rem; }
  .brief-note { margin-top: 0.4rem; font-size: 0.7rem; }
  #brief { break-inside: avoid; }
}
"#;

/// The strategy called `name`.
fn strategy<'a>(data: &'a BoardData, name: &str) -> Option<&'a StrategyReport> {
    data.run.strategies.iter().find(|s| s.name == name)
}

/// Dollars as $M with two decimals for tables (`230.48`); not finite: `–`.
fn m2(x: f64) -> String {
    if x.is_finite() {
        format!("{:.2}", x / 1e6).replace('-', "\u{2212}")
    } else {
        "\u{2013}".into()
    }
}

/// Signed dollars as $M with two decimals for tables (`+4.05`, `−0.69`).
fn signed_m2(x: f64) -> String {
    if !x.is_finite() {
        return "\u{2013}".into();
    }
    let s = format!("{:+.2}", x / 1e6);
    if s == "-0.00" || s == "+0.00" {
        "0.00".into()
    } else {
        s.replace('-', "\u{2212}")
    }
}

/// A share for tables, one decimal (`3.6%`); not finite: `–`.
fn pct1(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", x * 100.0)
    } else {
        "\u{2013}".into()
    }
}

/// A count for tables; not finite: `–`.
fn cnt(x: f64) -> String {
    if x.is_finite() {
        count(x).replace('-', "\u{2212}")
    } else {
        "\u{2013}".into()
    }
}

/// Signed count for tables (`+11,835`).
fn signed_cnt(x: f64) -> String {
    if !x.is_finite() {
        return "\u{2013}".into();
    }
    let c = count(x.abs());
    if c == "0" {
        c
    } else if x > 0.0 {
        format!("+{c}")
    } else {
        format!("\u{2212}{c}")
    }
}

/// `s` ending with a full stop (unless it already ends with . ? or !).
fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// A dotted input path, escaped, that may wrap after its dots.
fn breakable(path: &str) -> String {
    escape(path).replace('.', ".<wbr>")
}

/// A table header row; the columns listed in `numeric` are right-aligned.
fn head(out: &mut String, cells: &[&str], numeric: &[usize]) {
    out.push_str("<thead><tr>");
    for (i, c) in cells.iter().enumerate() {
        let class = if numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th scope=\"col\"{class}>{c}</th>");
    }
    out.push_str("</tr></thead>\n");
}

/// The whole report: one self-contained HTML5 document for `data`, with the
/// `charts` (from [`super::board_charts::charts`]) inline in their section.
/// A chart of the report missing from `charts` is replaced by a note saying
/// why ([`super::board_charts::reason`]).
pub fn html(data: &BoardData, charts: &[Chart]) -> String {
    let findings = executive_summary(data);
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"impasse {v}\">\n\
         <title>Board report: {s}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        v = escape(&data.run.version),
        s = escape(&data.scenario),
    );
    title_block(&mut out, data);
    brief_section(&mut out, &super::brief::brief(data));
    summary_section(&mut out, data, &findings);
    let figures = charts_section(&mut out, data, charts);
    strategies_section(&mut out, data);
    sensitivity_section(&mut out, data);
    information_section(&mut out, data, charts, figures);
    if let Some(o) = &data.optimized {
        optimized_section(&mut out, data, o);
    }
    assumptions_section(&mut out, data);
    methodology_section(&mut out, data);
    let _ = write!(
        out,
        "<footer><p>Generated by impasse {v} from scenario {s}: {p} simulated worlds, seed {seed}. \
         The same command, scenario and seed give the same numbers on any computer.</p></footer>\n\
         </main>\n</body>\n</html>\n",
        v = escape(&data.run.version),
        s = escape(&data.scenario),
        p = count(data.run.paths as f64),
        seed = data.run.seed,
    );
    out
}

/// Paths per supporting analysis (tornado, threshold, timing, runner-up).
fn analysis_paths(data: &BoardData) -> Option<u64> {
    data.tornado
        .as_ref()
        .map(|t| t.paths)
        .or(data.versus_runner_up.as_ref().map(|c| c.paths))
        .or(data.timing.as_ref().map(|t| t.paths))
        .or(data.threshold.as_ref().map(|t| t.paths))
}

fn title_block(out: &mut String, data: &BoardData) {
    out.push_str("<header>\n<p class=\"eyebrow\">Board report \u{b7} contract renewal</p>\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&data.scenario));
    if !data.description.trim().is_empty() {
        let _ = writeln!(out, "<p class=\"lede\">{}</p>", escape(&data.description));
    }
    out.push_str("<dl class=\"meta\">\n");
    let mut item = |k: &str, v: String| {
        let _ = writeln!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    };
    item("Strategies", data.run.strategies.len().to_string());
    item("Simulated worlds", count(data.run.paths as f64));
    if let Some(n) = analysis_paths(data) {
        item("Worlds per analysis", count(n as f64));
    }
    item("Horizon", format!("{} weeks", data.run.horizon_weeks));
    item("Seed", data.run.seed.to_string());
    item("Version", format!("impasse {}", escape(&data.run.version)));
    out.push_str("</dl>\n");
    out.push_str(
        "<nav class=\"contents\" aria-label=\"Contents\"><a href=\"#summary\">Summary</a>\
         <a href=\"#charts\">Charts</a><a href=\"#strategies\">Strategies</a>\
         <a href=\"#sensitivity\">What could change it</a>\
         <a href=\"#information\">Value of information</a>",
    );
    if data.optimized.is_some() {
        out.push_str("<a href=\"#optimized\">A better plan?</a>");
    }
    out.push_str(
        "<a href=\"#assumptions\">Assumptions</a>\
         <a href=\"#methodology\">Methodology</a></nav>\n</header>\n",
    );
}

/// Page 1: the decision brief.
fn brief_section(out: &mut String, b: &super::brief::Brief) {
    out.push_str("<section id=\"brief\" class=\"brief\" aria-labelledby=\"brief-h\">\n<h2 id=\"brief-h\">Decision brief</h2>\n");
    let _ = writeln!(out, "<p class=\"question\">{}</p>", escape(&b.question));
    let _ = writeln!(
        out,
        "<p class=\"answer {}\">{}</p>",
        if b.clear { "clear" } else { "unclear" },
        escape(&b.answer)
    );
    out.push_str("<dl class=\"brief-lines\">\n");
    for l in &b.lines {
        let _ = writeln!(
            out,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            escape(&l.label),
            escape(&l.text)
        );
    }
    out.push_str(
        "</dl>\n<div class=\"brief-lists\">\n<div><h3>What would change the decision</h3>\n<ul>\n",
    );
    for t in &b.triggers {
        let _ = writeln!(out, "<li>{}</li>", escape(t));
    }
    out.push_str("</ul></div>\n<div><h3>What the board approves</h3>\n<ul>\n");
    for a in &b.approvals {
        let _ = writeln!(out, "<li>{}</li>", escape(a));
    }
    out.push_str("</ul></div>\n</div>\n<p class=\"brief-note\">Ranges on this page are the spread of outcomes across simulated worlds, not the precision of the estimates (see Methodology).</p>\n</section>\n");
}

fn summary_section(out: &mut String, data: &BoardData, findings: &[Finding]) {
    out.push_str("<section id=\"summary\" class=\"page\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Executive summary</h2>\n");
    let rec = strategy(data, &data.recommended);
    out.push_str("<div class=\"recommendation\" role=\"note\" aria-label=\"Recommendation\">\n<p class=\"label\">Recommendation</p>\n");
    let _ = writeln!(out, "<p class=\"name\">{}</p>", escape(&data.recommended));
    if let Some(first) = findings.first() {
        let _ = writeln!(
            out,
            "<p class=\"headline\">{}</p>\n<p class=\"detail\">{}</p>",
            escape(&first.headline),
            escape(&first.detail)
        );
    }
    out.push_str("<dl class=\"kpis\">\n");
    let mut kpi = |label: &str, value: String, note: String| {
        let note = if note.is_empty() {
            String::new()
        } else {
            format!("<small>{}</small>", escape(&note))
        };
        let _ = writeln!(
            out,
            "<div><dt>{}</dt><dd>{}{note}</dd></div>",
            escape(label),
            escape(&value)
        );
    };
    if let Some(s) = rec {
        kpi(
            "Expected revenue",
            money(s.revenue.mean),
            format!("over {} weeks after expiry", data.run.horizon_weeks),
        );
    }
    let gain = data
        .versus_baseline
        .as_ref()
        .filter(|_| data.recommended != data.baseline)
        .and_then(|c| {
            c.metrics
                .iter()
                .find(|m| m.metric == "revenue")
                .map(|m| (c, m))
        });
    match gain {
        Some((c, m)) => {
            let d = summary::money_decimals(m.diff_mean);
            kpi(
                &format!("Gain over {}", data.baseline),
                format!("+{}", summary::money_with(m.diff_mean, d))
                    .replace("+\u{2212}", "\u{2212}"),
                if m.diff_p5.is_finite() {
                    format!(
                        "{} to {} across worlds (5th to 95th percentile)",
                        summary::money_with(m.diff_p5, d),
                        summary::money_with(m.diff_p95, d)
                    )
                } else {
                    String::new()
                },
            );
            kpi(
                &format!("Better than {}", data.baseline),
                percent(c.p_a_better),
                "of simulated worlds".into(),
            );
        }
        None => {
            kpi(
                "Gain over baseline",
                "\u{2013}".into(),
                "it is the baseline".into(),
            );
            if let Some(s) = rec {
                kpi(
                    "Worst 5% average",
                    money(s.revenue.cvar5),
                    "average of the worst 5% of worlds".into(),
                );
            }
        }
    }
    if let Some(s) = rec {
        let note = if s.p_out_of_network > 0.0 {
            format!(
                "{} patient-weeks without access on average",
                count(s.patient_weeks_out_of_network.mean)
            )
        } else {
            "never in the simulated worlds".into()
        };
        kpi("Out of network", percent(s.p_out_of_network), note);
    }
    out.push_str("</dl>\n</div>\n<ol class=\"findings\">\n");
    for f in findings.iter().filter(|f| f.topic != Topic::Recommendation) {
        let _ = writeln!(
            out,
            "<li><p class=\"topic\">{}</p><div><p class=\"headline\">{}</p><p class=\"detail\">{}</p></div></li>",
            escape(f.topic.label()),
            escape(&f.headline),
            escape(&f.detail)
        );
    }
    out.push_str("</ol>\n</section>\n");
}

/// Charts shown in a section of their own rather than with the others.
const SECTION_CHARTS: [&str; 1] = ["drivers"];

/// A chart as a numbered figure with its caption.
fn figure(out: &mut String, data: &BoardData, c: &Chart, number: usize) {
    let id = c.id.as_str();
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\">\n{svg}<figcaption><b>Figure {number}. {title}</b> {cap}</figcaption>\n</figure>\n",
        id = escape(id),
        svg = c.svg.trim_end(),
        title = escape(&sentence(&c.title)),
        cap = escape(&match super::board_charts::caption_extra(data, id) {
            Some(extra) => format!("{} {extra}", caption(id)),
            None => caption(id).to_string(),
        }),
    );
}

/// A note in place of chart `id`, saying why it is not shown.
fn missing(out: &mut String, data: &BoardData, id: &str) {
    let _ = writeln!(
        out,
        "<div class=\"missing\" id=\"{id}\" role=\"note\"><p><b>{title}: not shown.</b> {why}</p></div>",
        id = escape(id),
        title = escape(&title(data, id)),
        why = escape(&reason(data, id)),
    );
}

/// The charts section; returns the number of figures it numbered.
fn charts_section(out: &mut String, data: &BoardData, charts: &[Chart]) -> usize {
    out.push_str("<section id=\"charts\" class=\"page\" aria-labelledby=\"charts-h\">\n<h2 id=\"charts-h\">Charts</h2>\n");
    out.push_str("<p class=\"aside\">Money is net present revenue from this payer's members over the contract horizon, in millions of dollars ($M). Weeks count from contract expiry (week 0); week \u{2212}20 is twenty weeks before it.</p>\n");
    let mut number = 0;
    let mut ids: Vec<&str> = CHART_IDS
        .iter()
        .copied()
        .filter(|id| !SECTION_CHARTS.contains(id))
        .collect();
    for c in charts {
        if !ids.contains(&c.id.as_str()) && !SECTION_CHARTS.contains(&c.id.as_str()) {
            ids.push(&c.id);
        }
    }
    for id in ids {
        match charts.iter().find(|c| c.id == id) {
            Some(c) => {
                number += 1;
                figure(out, data, c, number);
            }
            None => missing(out, data, id),
        }
    }
    out.push_str("</section>\n");
    number
}

fn strategies_section(out: &mut String, data: &BoardData) {
    out.push_str("<section id=\"strategies\" class=\"page\" aria-labelledby=\"strategies-h\">\n<h2 id=\"strategies-h\">Strategies</h2>\n");
    let _ = writeln!(
        out,
        "<p>Every strategy was played on the same {} simulated worlds (seed {}). Money in $M of net present revenue over the {} weeks after expiry; ranked by expected revenue.</p>",
        count(data.run.paths as f64),
        data.run.seed,
        data.run.horizon_weeks
    );
    out.push_str("<div class=\"wide\"><table>\n<caption>Strategies ranked by expected net present revenue ($M)</caption>\n");
    head(
        out,
        &[
            "#",
            "Strategy",
            "Expected",
            "\u{b1} (95%)",
            "P5",
            "P95",
            "Worst 5% avg",
            "Uplift / yr",
            "Deal before expiry",
            "Out of network",
            "Patient-weeks out",
            "Switched",
        ],
        &[0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    );
    out.push_str("<tbody>\n");
    for (rank, name) in data.ranking.iter().enumerate() {
        let Some(s) = strategy(data, name) else {
            continue;
        };
        let rec = *name == data.recommended;
        let half = 1.959963984540054 * s.revenue.mcse;
        let mut tags = String::new();
        if rec {
            tags += "<br><span class=\"tag first\">recommended</span>";
        }
        if *name == data.baseline {
            tags += if rec {
                "<span class=\"tag\">baseline</span>"
            } else {
                "<br><span class=\"tag first\">baseline</span>"
            };
        }
        let _ = writeln!(
            out,
            "<tr{cls}><td class=\"num\">{r}</td><th scope=\"row\" class=\"name\">{n}{tags}</th><td class=\"num\">{mean}</td><td class=\"num\">{half}</td><td class=\"num\">{p5}</td><td class=\"num\">{p95}</td><td class=\"num\">{cvar}</td><td class=\"num\">{up}</td><td class=\"num\">{deal}</td><td class=\"num\">{oon}</td><td class=\"num\">{pw}</td><td class=\"num\">{sw}</td></tr>",
            cls = if rec { " class=\"recommended\"" } else { "" },
            r = rank + 1,
            n = escape(name),
            mean = m2(s.revenue.mean),
            half = m2(half),
            p5 = m2(s.revenue.p5),
            p95 = m2(s.revenue.p95),
            cvar = m2(s.revenue.cvar5),
            up = if s.uplift.mean.is_finite() {
                format!("{:.2}%", s.uplift.mean * 100.0)
            } else {
                "\u{2013}".into()
            },
            deal = pct1(s.p_deal_before_expiry),
            oon = pct1(s.p_out_of_network),
            pw = cnt(s.patient_weeks_out_of_network.mean),
            sw = cnt(s.patients_switched.mean),
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str("<p class=\"aside\"><b>Expected</b>: mean over the simulated worlds; <b>\u{b1} (95%)</b>: half-width of its 95% interval (Monte Carlo error). <b>P5, P95</b>: one world in twenty earns less than P5, one in twenty more than P95. <b>Worst 5% avg</b>: the average of the worst 5% of outcomes (CVaR5), the downside. <b>Uplift / yr</b>: the average yearly rate increase agreed at this renewal (an escalator: it compounds each year of the term). <b>Patient-weeks out</b>: patients without in-network access times weeks, on average over all worlds, net of continuity-of-care protection. <b>Switched</b>: patients who moved to another provider for good.</p>\n");

    out.push_str("<h3>The strategies</h3>\n<dl class=\"strategies\">\n");
    for name in &data.ranking {
        if let Some(s) = strategy(data, name) {
            let _ = writeln!(
                out,
                "<div><dt>{}</dt><dd>{}</dd></div>",
                escape(&s.name),
                if s.description.trim().is_empty() {
                    "(no description)".into()
                } else {
                    escape(&s.description)
                }
            );
        }
    }
    out.push_str("</dl>\n");

    let _ = writeln!(
        out,
        "<h3>Against the baseline, {}</h3>",
        escape(&quoted(&data.baseline))
    );
    if data.run.comparisons.is_empty() {
        out.push_str("<p>There is no other strategy to compare with the baseline.</p>\n");
        out.push_str("</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p>Each strategy minus the baseline on the same worlds (paired differences, common random numbers): the 95% interval is for the mean difference, and <b>better</b> and <b>worse</b> are the shares of worlds in which the strategy earns strictly more or less than {}.</p>",
        escape(&quoted(&data.baseline))
    );
    out.push_str("<div class=\"wide\"><table>\n");
    let _ = writeln!(
        out,
        "<caption>Difference with {} on the same worlds ($M, patient-weeks)</caption>",
        escape(&quoted(&data.baseline))
    );
    head(
        out,
        &[
            "Strategy",
            "Revenue difference",
            "95% interval",
            "Better",
            "Worse",
            "Margin difference",
            "Patient-weeks difference",
        ],
        &[1, 2, 3, 4, 5, 6],
    );
    out.push_str("<tbody>\n");
    let order = |name: &str| {
        data.ranking
            .iter()
            .position(|n| n == name)
            .unwrap_or(usize::MAX)
    };
    let mut comps: Vec<_> = data.run.comparisons.iter().collect();
    comps.sort_by_key(|c| order(&c.strategy));
    for c in comps {
        let rec = c.strategy == data.recommended;
        let _ = writeln!(
            out,
            "<tr{cls}><th scope=\"row\" class=\"name\">{n}</th><td class=\"num\">{d}</td><td class=\"num\">{lo} to {hi}</td><td class=\"num\">{b}</td><td class=\"num\">{w}</td><td class=\"num\">{m}</td><td class=\"num\">{pw}</td></tr>",
            cls = if rec { " class=\"recommended\"" } else { "" },
            n = escape(&c.strategy),
            d = signed_m2(c.revenue_diff.mean),
            lo = signed_m2(c.revenue_diff.ci95.0),
            hi = signed_m2(c.revenue_diff.ci95.1),
            b = pct1(c.p_better),
            w = pct1(c.p_worse),
            m = signed_m2(c.margin_diff.mean),
            pw = signed_cnt(c.patient_weeks_diff.mean),
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// How one end of a tornado bar was chosen, for the table.
fn end_label(t: &TornadoReport, kind: InputKind, high: bool, clamped: bool) -> String {
    let base = match kind {
        InputKind::Uncertain => {
            let q = if high {
                t.high_quantile
            } else {
                t.low_quantile
            };
            format!("P{}", (q * 100.0).round())
        }
        InputKind::Fixed => {
            let p = (t.fixed_swing * 100.0).round();
            if high {
                format!("+{p}%")
            } else {
                format!("\u{2212}{p}%")
            }
        }
    };
    if clamped {
        format!("{base}, clamped")
    } else {
        base
    }
}

fn sensitivity_section(out: &mut String, data: &BoardData) {
    out.push_str("<section id=\"sensitivity\" class=\"page\" aria-labelledby=\"sensitivity-h\">\n<h2 id=\"sensitivity-h\">What could change the decision</h2>\n");
    match &data.tornado {
        None => {
            out.push_str("<p>The scenario has a single strategy, so there is no choice between strategies to test.</p>\n");
        }
        Some(t) => tornado_words(out, data, t),
    }
    threshold_words(out, data);
    timing_words(out, data);
    out.push_str("</section>\n");
}

fn tornado_words(out: &mut String, data: &BoardData, t: &TornadoReport) {
    let (a, b) = match t.strategies.as_slice() {
        [a, b, ..] => (a.clone(), b.clone()),
        [a] => (a.clone(), String::new()),
        [] => (data.recommended.clone(), String::new()),
    };
    out.push_str("<h3>Which inputs move the choice</h3>\n");
    let _ = writeln!(
        out,
        "<p>The expected {what} difference {qa} minus {qb} is {base} as the scenario is written (\u{b1}{half} at 95%, on {n} worlds). Each uncertain input was pinned at its {lo}th and {hi}th percentile, and each fixed input moved by \u{2212}{fs}% and +{fs}%, one at a time, the others as written; the same worlds were replayed each time. Inputs are sorted by how much they move the difference (the swing).</p>",
        what = match t.metric {
            crate::analysis::tornado::Metric::Margin => "contribution margin",
            _ => "revenue",
        },
        qa = escape(&quoted(&a)),
        qb = escape(&quoted(&b)),
        base = escape(&money(t.base)),
        half = escape(&money(1.959963984540054 * t.base_mcse)),
        n = count(t.paths as f64),
        lo = (t.low_quantile * 100.0).round(),
        hi = (t.high_quantile * 100.0).round(),
        fs = (t.fixed_swing * 100.0).round(),
    );
    let flipping = t.flipping();
    if flipping.is_empty() {
        let _ = writeln!(
            out,
            "<p><b>No single input flips the sign of the difference</b> within these ranges: the recommendation holds across each of them.</p>"
        );
    } else {
        let names: Vec<String> = flipping
            .iter()
            .map(|i| format!("<b>{}</b>", escape(i)))
            .collect();
        let _ = writeln!(
            out,
            "<p>Inputs that can flip the sign of the difference, and so the recommendation: {}.</p>",
            names.join(", ")
        );
    }
    let moving: Vec<_> = t.bars.iter().filter(|x| x.swing > 0.0).collect();
    let still = t.bars.len() - moving.len();
    out.push_str("<div class=\"wide\"><table>\n");
    let _ = writeln!(
        out,
        "<caption>Tornado of {} minus {} ($M of expected revenue difference)</caption>",
        escape(&quoted(&a)),
        escape(&quoted(&b))
    );
    head(
        out,
        &[
            "Input",
            "As written",
            "Low value",
            "Difference at low",
            "High value",
            "Difference at high",
            "Swing",
            "Flips?",
        ],
        &[2, 3, 4, 5, 6, 7],
    );
    out.push_str("<tbody>\n");
    for x in &moving {
        let flips = match (x.flips, x.flip_significant) {
            (Some(true), Some(false)) => "yes (within noise)",
            (Some(true), _) => "yes",
            _ => "no",
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{il}<br><span class=\"aside\"><code>{ip}</code></span></th><td class=\"value\">{w}</td><td class=\"num\">{lv}<br><span class=\"aside\">{ll}</span></td><td class=\"num\">{ml}</td><td class=\"num\">{hv}<br><span class=\"aside\">{hl}</span></td><td class=\"num\">{mh}</td><td class=\"num\">{s}</td><td class=\"num\">{flips}</td></tr>",
            il = escape(&crate::scenario::labels::describe(&x.input)),
            ip = breakable(&x.input),
            w = escape(&x.as_written),
            lv = escape(&crate::scenario::labels::format_value(&x.input, x.low)),
            ll = escape(&end_label(t, x.kind, false, x.low_clamped)),
            ml = signed_m2(x.metric_low),
            hv = escape(&crate::scenario::labels::format_value(&x.input, x.high)),
            hl = escape(&end_label(t, x.kind, true, x.high_clamped)),
            mh = signed_m2(x.metric_high),
            s = m2(x.swing),
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    let quiet: Vec<&str> = t
        .bars
        .iter()
        .filter(|x| x.swing <= 0.0)
        .map(|x| x.input.as_str())
        .collect();
    if still > 0 {
        let _ = writeln!(
            out,
            "<p class=\"aside\">Varied, with no effect on the difference: {}.</p>",
            escape(&quiet.join(", "))
        );
    }
    if !t.not_varied.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"aside\">Not varied, being fixed at 0 (a percentage change cannot move them): {}.</p>",
            escape(&t.not_varied.join(", "))
        );
    }
}

fn threshold_words(out: &mut String, data: &BoardData) {
    let Some(t) = &data.threshold else {
        return;
    };
    out.push_str("<h3>Break-even of the most important input</h3>\n");
    let finding = executive_summary(data)
        .into_iter()
        .find(|f| f.topic == Topic::BreakEven);
    if let Some(f) = finding {
        let _ = writeln!(
            out,
            "<p><b>{}</b> {}</p>",
            escape(&f.headline),
            escape(&f.detail)
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"aside\">Found by bisection on {n} worlds per evaluation ({runs} evaluations), each replaying the same worlds; the interval of the break-even is where the 95% bounds of the difference cross zero.</p>",
        n = count(t.paths as f64),
        runs = t.runs,
    );
    out.push_str("<div class=\"wide\"><table class=\"compact\">\n");
    let _ = writeln!(
        out,
        "<caption>Revenue difference {} minus {} ($M) at the ends of the range{}</caption>",
        escape(&quoted(&t.a)),
        escape(&quoted(&t.b)),
        if t.finding == Crossing::Crosses {
            " and at the break-even"
        } else {
            ""
        }
    );
    let first = format!("Value of {}", escape(&t.param));
    head(out, &[&first, "Difference", "95% interval"], &[0, 1, 2]);
    out.push_str("<tbody>\n");
    let mut row = |label: String, d: Option<(f64, (f64, f64))>| {
        let (diff, lo, hi) = match d {
            Some((m, (lo, hi))) => (signed_m2(m), signed_m2(lo), signed_m2(hi)),
            None => ("0.00".into(), "\u{2013}".into(), String::new()),
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" class=\"num\">{label}</th><td class=\"num\">{diff}</td><td class=\"num\">{lo}{sep}{hi}</td></tr>",
            sep = if hi.is_empty() { "" } else { " to " }
        );
    };
    row(
        format!("{} (low end)", escape(&summary::value(t.at_low.x))),
        Some((t.at_low.diff_mean, t.at_low.diff_ci95)),
    );
    if let Some(x) = t.crossing {
        row(
            format!(
                "{} (break-even)",
                escape(&summary::value_with(x, summary::value_decimals(x)))
            ),
            None,
        );
    }
    row(
        format!("{} (high end)", escape(&summary::value(t.at_high.x))),
        Some((t.at_high.diff_mean, t.at_high.diff_ci95)),
    );
    out.push_str("</tbody>\n</table></div>\n");
}

fn timing_words(out: &mut String, data: &BoardData) {
    let Some(t) = &data.timing else {
        out.push_str("<h3>Escalation timing</h3>\n<p>No strategy escalates to the payer's executives, so there is no escalation week to time.</p>\n");
        return;
    };
    out.push_str("<h3>Escalation timing</h3>\n");
    if let Some(f) = executive_summary(data)
        .into_iter()
        .find(|f| f.topic == Topic::Timing)
    {
        let _ = writeln!(
            out,
            "<p><b>{}</b> {}</p>",
            escape(&f.headline),
            escape(&f.detail)
        );
    }
    out.push_str("<div class=\"wide\"><table>\n");
    let _ = writeln!(
        out,
        "<caption>{} escalating in each week ({} worlds each, $M)</caption>",
        escape(&quoted(&t.strategy)),
        count(t.paths as f64)
    );
    head(
        out,
        &[
            "Escalation week",
            "Expected revenue",
            "95% interval",
            "Against the best week",
            "Out of network",
            "Patient-weeks out",
        ],
        &[0, 1, 2, 3, 4, 5],
    );
    out.push_str("<tbody>\n");
    // Consecutive weeks with the same results (the move has the same effect
    // whichever of them it is made in) share a row.
    // Compared as shown, so that no two adjacent rows read the same.
    let shown = |w: &WeekPoint| {
        (
            m2(w.revenue_mean),
            m2(w.revenue_ci95.0),
            m2(w.revenue_ci95.1),
            signed_m2(w.diff_vs_best_mean),
            pct1(w.p_out_of_network),
            cnt(w.patient_weeks_out_of_network_mean),
        )
    };
    let same = |a: &WeekPoint, b: &WeekPoint| {
        !a.is_best
            && !b.is_best
            && a.indistinguishable == b.indistinguishable
            && shown(a) == shown(b)
    };
    let mut i = 0;
    while i < t.weeks.len() {
        let w = &t.weeks[i];
        let mut j = i;
        while j + 1 < t.weeks.len() && same(w, &t.weeks[j + 1]) {
            j += 1;
        }
        let last = &t.weeks[j];
        let weeks = if j > i {
            format!(
                "{} to {}",
                summary::value(f64::from(w.week)),
                summary::value(f64::from(last.week))
            )
        } else {
            summary::value(f64::from(w.week))
        };
        i = j + 1;
        let mark = if w.is_best {
            " <span class=\"tag\">best</span>"
        } else if w.indistinguishable {
            " <span class=\"tag\">as good</span>"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{cls}><th scope=\"row\" class=\"num\">{wk}{mark}</th><td class=\"num\">{m}</td><td class=\"num\">{lo} \u{2013} {hi}</td><td class=\"num\">{d}</td><td class=\"num\">{oon}</td><td class=\"num\">{pw}</td></tr>",
            cls = if w.is_best {
                " class=\"recommended\""
            } else {
                ""
            },
            wk = escape(&weeks),
            m = m2(w.revenue_mean),
            lo = m2(w.revenue_ci95.0),
            hi = m2(w.revenue_ci95.1),
            d = if w.is_best {
                "\u{2013}".into()
            } else {
                signed_m2(w.diff_vs_best_mean)
            },
            oon = pct1(w.p_out_of_network),
            pw = cnt(w.patient_weeks_out_of_network_mean),
        );
    }
    let o = &t.on_impasse;
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\" class=\"num\">when talks stall</th><td class=\"num\">{m}</td><td class=\"num\">{lo} \u{2013} {hi}</td><td class=\"num\">{d}</td><td class=\"num\">{oon}</td><td class=\"num\">{pw}</td></tr>",
        m = m2(o.revenue_mean),
        lo = m2(o.revenue_ci95.0),
        hi = m2(o.revenue_ci95.1),
        d = signed_m2(o.diff_vs_best_mean),
        oon = pct1(o.p_out_of_network),
        pw = cnt(o.patient_weeks_out_of_network_mean),
    );
    out.push_str("</tbody>\n</table></div>\n");
}

/// Decimals for the value-of-information amounts in $M: two, three under
/// $0.1M (so that a small EVPI and its error still show).
fn information_decimals(v: &VoiReport) -> usize {
    if v.evpi.mean.abs() < 1e5 { 3 } else { 2 }
}

/// A warning with its `strategy` names in curly quotes.
fn unticked(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut open = true;
    for c in s.chars() {
        if c == '`' {
            out.push(if open { '\u{201c}' } else { '\u{201d}' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// The inputs worth learning, most valuable first: at most three, each
/// clearly above zero (more than two standard errors) and at least 1 % of
/// the EVPI (as [`VoiReport::most_valuable`]).
pub fn inputs_worth_learning(v: &VoiReport) -> Vec<&EvppiRow> {
    let mut rows: Vec<&EvppiRow> = v
        .evppi
        .iter()
        .filter(|r| r.kind == "input")
        .filter(|r| r.value > 2.0 * r.mcse && r.value >= 0.01 * v.evpi.mean)
        .collect();
    rows.sort_by(|a, b| b.value.total_cmp(&a.value));
    rows.truncate(3);
    rows
}

/// What better information is worth: EVPI, the inputs most worth learning
/// (or that none is), the share left to chance, and the drivers chart as
/// figure `figures + 1`.
fn information_section(out: &mut String, data: &BoardData, charts: &[Chart], figures: usize) {
    out.push_str("<section id=\"information\" class=\"page\" aria-labelledby=\"information-h\">\n<h2 id=\"information-h\">What better information is worth</h2>\n");
    let Some(v) = &data.information else {
        out.push_str("<p>The scenario has a single strategy, so there is no choice that better information could improve.</p>\n");
        if !charts.iter().any(|c| c.id == "drivers") {
            missing(out, data, "drivers");
        }
        out.push_str("</section>\n");
        return;
    };
    let d = information_decimals(v);
    let m = |x: f64| escape(&summary::money_with(x, d));
    let z = 1.959963984540054;
    let _ = writeln!(
        out,
        "<p>Before committing, the board could pay for a study, a consultant or a benchmark to learn more about the payer or about its own position. The most any of them could be worth is what choosing with hindsight would add, world by world: <b>{evpi}</b> of {what} per renewal decision, choosing among the {n} strategies (the expected value of perfect information, EVPI). A study that costs more than that is not worth buying, whatever it might reveal.</p>\n<p class=\"aside\">\u{b1} {err} is the Monte Carlo error of this estimate (95%), how precisely {paths} simulated worlds pin it down: precision, not a range of outcomes. The same holds for every \u{b1} in this section.</p>",
        evpi = m(v.evpi.mean),
        what = escape(&v.objective),
        n = v.strategies.len(),
        err = m(z * v.evpi.mcse),
        paths = count(v.paths as f64),
    );
    for n in &v.notes {
        let _ = writeln!(out, "<p class=\"aside\">{}</p>", escape(n));
    }
    out.push_str("<h3>What is worth learning before choosing</h3>\n");
    let worth = inputs_worth_learning(v);
    let mut shown: Vec<&EvppiRow> = worth.clone();
    if worth.is_empty() {
        out.push_str("<p><b>No single input is worth paying to learn before choosing.</b> What knowing any one of them would add is within the Monte Carlo error of zero or under 1% of the EVPI: a study of one input would not change the choice enough to pay for itself.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for r in &worth {
            let _ = writeln!(out, "<li>{}</li>", escape(&v.sentence(r)));
        }
        out.push_str("</ul>\n");
    }
    if let Some(all) = v.all_inputs() {
        shown.push(all);
        let share = all.share_of_evpi.clamp(0.0, 1.0);
        let _ = writeln!(
            out,
            "<p>Knowing every uncertain input at once would be worth {value} (\u{b1} {err}), {pct} of the EVPI{least}. The rest, {most}{rest}, is chance: whether the executives engage, whether a notice is believed, when the payer comes back. No study can remove it; only the choice of strategy can limit what it costs.</p>",
            value = m(all.value),
            err = m(z * all.mcse),
            pct = escape(&percent(share)),
            least = if all.warning.is_some() {
                " at least (the regression misses some interactions, so the true figure may be higher)"
            } else {
                ""
            },
            most = if all.warning.is_some() {
                "at most "
            } else {
                ""
            },
            rest = escape(&percent(1.0 - share)),
        );
    }
    for r in shown.iter().filter(|r| r.warning.is_some()) {
        let what = if r.kind == "input" && !r.label.starts_with("the ") {
            format!("knowing the {}", r.label)
        } else {
            format!("knowing {}", r.label)
        };
        let _ = writeln!(
            out,
            "<p class=\"aside\"><b>Caution.</b> The estimate for {} may be off: {}.</p>",
            escape(&what),
            escape(&unticked(r.warning.as_deref().unwrap_or_default()))
        );
    }
    drivers_words(out, data);
    match charts.iter().find(|c| c.id == "drivers") {
        Some(c) => figure(out, data, c, figures + 1),
        None => missing(out, data, "drivers"),
    }
    out.push_str("</section>\n");
}

/// Which uncertainties drive the choice between the top two, in words.
fn drivers_words(out: &mut String, data: &BoardData) {
    let Some(d) = &data.drivers else {
        return;
    };
    out.push_str("<h3>What drives the choice</h3>\n");
    let (a, b) = match d.strategies.as_slice() {
        [a, b, ..] => (a.as_str(), b.as_str()),
        _ => (data.recommended.as_str(), ""),
    };
    let word = match d.metric {
        "margin" => "contribution margin",
        "revenue" => "revenue",
        _ => "patient-weeks out of network",
    };
    if d.sobol.is_empty() {
        let _ = writeln!(
            out,
            "<p>The gap in {word} between {} and {} is the same in every simulated world, so no uncertainty moves it.</p>",
            escape(&quoted(a)),
            escape(&quoted(b))
        );
        return;
    }
    let pc = |x: f64| escape(&percent(x.clamp(0.0, 1.0)));
    let chance = d
        .sobol
        .iter()
        .find(|r| r.kind == "chance")
        .map(|c| {
            format!(
                " Chance, the negotiation's random events, accounts for {} of that variation in total ({} on its own).",
                pc(c.st),
                pc(c.s1)
            )
        })
        .unwrap_or_default();
    let inputs: Vec<String> = d
        .drivers()
        .filter(|r| r.kind != "chance")
        .take(4)
        .map(|r| format!("{} ({})", escape(&r.label), pc(r.st)))
        .collect();
    let rest = if inputs.is_empty() {
        " No input on its own clearly drives it.".to_string()
    } else {
        format!(
            " The inputs that clearly matter, with their total shares: {}. An input can move the gap a lot and still be worth little to learn, when the same strategy stays best whatever its value.",
            inputs.join("; ")
        )
    };
    let _ = writeln!(
        out,
        "<p>The gap in {word} between {qa} and {qb} varies from world to world. With every uncertain input and chance moving at once, each factor's Sobol' index says how much of that variation it accounts for ({runs} simulated worlds).{chance}{rest}</p>",
        qa = escape(&quoted(a)),
        qb = escape(&quoted(b)),
        runs = count(d.runs as f64),
    );
}

/// When a strategy makes a move, in words.
fn trigger_words(t: Trigger) -> String {
    match t {
        Trigger::Never => "never".into(),
        Trigger::Now => "as soon as talks open".into(),
        Trigger::OnImpasse => "once staff talks are clearly stuck".into(),
        Trigger::Week(w) => summary::week(w),
    }
}

/// The value of decision field `f` of `st` in words and units.
fn field_words(st: &Strategy, f: &str) -> String {
    let unit = |x: f64| crate::scenario::labels::format_value(&format!("strategy.NAME.{f}"), x);
    let condition = |c: Option<f64>| c.map_or_else(|| "always (no condition)".into(), unit);
    match f {
        "lead_weeks" => unit(f64::from(st.lead_weeks)),
        "cadence_weeks" => unit(f64::from(st.cadence_weeks)),
        "opening_ask" => unit(st.opening_ask),
        "walk_away" => unit(st.walk_away),
        "concession_exponent" => unit(st.concession_exponent),
        "max_oon_weeks" => unit(f64::from(st.max_oon_weeks)),
        "escalation" => trigger_words(st.escalation),
        "escalation_retry" => trigger_words(st.escalation_retry),
        "notice" => trigger_words(st.notice),
        "escalate_if_offer_below" => condition(st.escalate_if_offer_below),
        "notice_if_offer_below" => condition(st.notice_if_offer_below),
        "agenda" => match st.agenda {
            Agenda::RateOnly => "the rate only".into(),
            Agenda::AllIssues => "the rate and every other issue".into(),
        },
        "data_prep" => if st.data_prep { "yes" } else { "no" }.into(),
        other => other.into(),
    }
}

/// What decision field `f` is, in words, with a capital letter.
fn field_label(f: &str) -> String {
    let text = crate::scenario::labels::label(&format!("strategy.NAME.{f}"))
        .map_or_else(|| f.to_string(), |l| l.text.to_string());
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => text,
    }
}

/// What the search was free to change, in words: the numeric fields with
/// their ranges, then the choices.
fn search_space_words(o: &OptimizeReport) -> Vec<String> {
    let b = &o.bounds;
    let u =
        |f: &str, x: f64| crate::scenario::labels::format_value(&format!("strategy.NAME.{f}"), x);
    let free = |f: &str| o.free.contains(&f);
    let mut out = Vec::new();
    let whole = |r: (u32, u32)| (f64::from(r.0), f64::from(r.1));
    let ranges: [(&str, (f64, f64), &str); 6] = [
        ("lead_weeks", whole(b.lead_weeks), "when talks open"),
        (
            "cadence_weeks",
            whole(b.cadence_weeks),
            "how often the teams meet",
        ),
        ("opening_ask", b.opening_ask, "the opening ask"),
        ("walk_away", b.walk_away, "the walk-away"),
        (
            "concession_exponent",
            b.concession_exponent,
            "how firmly the provider holds out (the concession exponent)",
        ),
        (
            "max_oon_weeks",
            whole(b.max_oon_weeks),
            "how long the provider will stay out of network",
        ),
    ];
    for (f, (lo, hi), what) in ranges {
        if free(f) {
            let when = if f == "lead_weeks" {
                " before expiry"
            } else {
                ""
            };
            out.push(format!("{what}, from {} to {}{when}", u(f, lo), u(f, hi)));
        }
    }
    let choices: [(&str, &str); 7] = [
        (
            "escalation",
            "whether and when to escalate to the payer's executives",
        ),
        (
            "escalation_retry",
            "whether to escalate again after a refusal",
        ),
        (
            "escalate_if_offer_below",
            "whether to escalate only below an offer",
        ),
        (
            "notice",
            "whether and when to give notice of non-renewal (within the legal window)",
        ),
        (
            "notice_if_offer_below",
            "whether to give notice only below an offer",
        ),
        ("agenda", "whether to put the other issues on the table"),
        ("data_prep", "whether to build a documented case"),
    ];
    for (f, what) in choices {
        if free(f) {
            out.push(what.to_string());
        }
    }
    out
}

/// "A better plan?": the optimizer's search from the recommended strategy,
/// the best plan it found on fresh worlds, how it differs, and its TOML.
fn optimized_section(out: &mut String, data: &BoardData, o: &OptimizeReport) {
    out.push_str("<section id=\"optimized\" class=\"page\" aria-labelledby=\"optimized-h\">\n<h2 id=\"optimized-h\">A better plan?</h2>\n");
    let from = escape(&quoted(&o.from.name));
    let space = search_space_words(o);
    let _ = writeln!(
        out,
        "<p>The strategies in this report are the ones the scenario file lists. To see whether a plan nobody wrote down would do better, the computer searched the provider's own decisions, starting from the recommended strategy {from}: {space}.{fixed} It tried {n} plans, each played on the same {sp} simulated worlds, so that plans differ by what they do and not by luck, and judged them by {obj} within the board's limits.</p>",
        space = escape(&space.join("; ")),
        fixed = if o.fixed.is_empty() {
            String::new()
        } else {
            format!(
                " Held at {from}'s values: {}.",
                escape(
                    &o.fixed
                        .iter()
                        .map(|f| field_label(f).to_lowercase())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            )
        },
        n = count(o.candidates_evaluated as f64),
        sp = count(o.search.paths as f64),
        obj = escape(&o.objective),
    );
    let _ = writeln!(
        out,
        "<p>The best plan among so many looks better than it is: some of its lead on those worlds is luck (the optimizer\u{2019}s curse). So the {k} best were played again on {hp} fresh worlds, beside {from}, and only those numbers are reported below: they are the honest estimate.</p>",
        k = o.finalists.len(),
        hp = count(o.holdout.paths as f64),
    );
    let Some(best) = &o.best else {
        out.push_str("<p><b>No better plan was found within the board's limits:</b> every plan the search kept breaks a limit on the fresh worlds. The recommendation stands.</p>\n");
        optimized_notes(out, o);
        out.push_str("</section>\n");
        return;
    };
    let h = &best.holdout;
    let clear = h.gain_ci95[0] > 0.0;
    let gain = escape(&summary::money_with(h.gain, 2));
    let lo = escape(&summary::money_with(h.gain_ci95[0], 2));
    let hi = escape(&summary::money_with(h.gain_ci95[1], 2));
    if clear {
        let _ = writeln!(
            out,
            "<p><b>The search found a better plan.</b> On the fresh worlds it adds <b>{gain}</b> of {obj} over {from} (95% interval {lo} to {hi}), does better in {pb} of them and worse in {pw}.{small}</p>",
            obj = escape(&o.objective),
            pb = escape(&percent(h.p_better)),
            pw = escape(&percent(h.p_worse)),
            small = if h.gain < o.materiality {
                format!(
                    " The gain is below the {} the board counts as material: real, but small.",
                    escape(&summary::money_with(o.materiality, 2))
                )
            } else {
                String::new()
            },
        );
    } else {
        let _ = writeln!(
            out,
            "<p><b>No better plan was found.</b> The best plan of the search comes out at {gain} against {from} on the fresh worlds (95% interval {lo} to {hi}): the interval includes zero, so the difference is within the Monte Carlo error and {from} stands.</p>",
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"aside\">The interval is the Monte Carlo error of the estimate (95%), how precisely {hp} worlds pin the gain down: precision, not a range of outcomes.</p>",
        hp = count(o.holdout.paths as f64),
    );
    out.push_str("<div class=\"wide\"><table>\n");
    head(
        out,
        &[
            "Plan",
            "Value, $M",
            "Gain over recommended, $M",
            "95% interval, $M",
            "Better in",
            "Out of network",
        ],
        &[1, 2, 3, 4, 5],
    );
    out.push_str("<tbody>\n");
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{} (recommended)</th><td class=\"num\">{}</td><td class=\"num\">\u{2013}</td><td class=\"num\">\u{2013}</td><td class=\"num\">\u{2013}</td><td class=\"num\">{}</td></tr>",
        escape(&o.from.name),
        m2(o.from.holdout.mean),
        pct1(o.from.holdout.p_out_of_network),
    );
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">Best plan found</th><td class=\"num\">{}</td><td class=\"num\" id=\"optimized-gain\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        m2(h.mean),
        signed_m2(h.gain),
        signed_m2(h.gain_ci95[0]),
        signed_m2(h.gain_ci95[1]),
        pct1(h.p_better),
        pct1(h.p_out_of_network),
    );
    out.push_str("</tbody>\n</table></div>\n");
    let _ = writeln!(
        out,
        "<p class=\"aside\">Value: {obj}, on the {hp} fresh worlds. Better in: the share of those worlds in which the plan does better than {from}. Out of network: the chance of going out of network at some renewal.</p>",
        obj = escape(&o.objective),
        hp = count(o.holdout.paths as f64),
    );
    out.push_str("<h3>What the plan changes</h3>\n");
    let changed: Vec<&str> = crate::analysis::optimize::FIELDS
        .iter()
        .copied()
        .filter(|f| field_words(&data.plan, f) != field_words(&best.strategy, f))
        .collect();
    if changed.is_empty() {
        let _ = writeln!(out, "<p>Nothing: the best plan is {from} itself.</p>");
    } else {
        out.push_str("<ul>\n");
        for f in changed {
            let _ = writeln!(
                out,
                "<li>{}: {} \u{2192} <b>{}</b></li>",
                escape(&field_label(f)),
                escape(&field_words(&data.plan, f)),
                escape(&field_words(&best.strategy, f)),
            );
        }
        out.push_str("</ul>\n");
    }
    match o.kept {
        Some(k) => {
            let apparent = best.search.value - o.from.search.value;
            let _ = writeln!(
                out,
                "<p>On the worlds it was found on, the plan seemed to gain {seemed}; on the fresh worlds it kept {pk} of that.</p>",
                seemed = escape(&summary::money_with(apparent, 2)),
                pk = escape(&format!("{:.0}%", 100.0 * k)),
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<p>Even on the worlds it was found on, no plan did better than {from}.</p>"
            );
        }
    }
    optimized_notes(out, o);
    let _ = writeln!(
        out,
        "<p><b>Caution.</b> The optimizer finds what the model rewards, including its blind spots: a plan tuned to the scenario\u{2019}s assumptions is only as good as they are. Before adopting it, check which assumptions the plan leans on (add it to the scenario and run <code>impasse sobol FILE --diff {name} {rec}</code>) and whether they hold.</p>",
        name = escape(&best.strategy.name),
        rec = escape(&o.from.name),
    );
    out.push_str(
        "<p>For the analyst, the plan as a strategy to paste into the scenario file:</p>\n",
    );
    // Line by line: escaping folds line breaks into spaces.
    let toml: Vec<String> = best.toml.trim_end().lines().map(escape).collect();
    let _ = writeln!(
        out,
        "<pre class=\"toml\"><code>{}</code></pre>",
        toml.join("\n")
    );
    out.push_str("</section>\n");
}

/// The optimizer's notes, as asides.
fn optimized_notes(out: &mut String, o: &OptimizeReport) {
    for n in &o.notes {
        let _ = writeln!(out, "<p class=\"aside\">{}</p>", escape(n));
    }
}

fn assumptions_section(out: &mut String, data: &BoardData) {
    out.push_str("<section id=\"assumptions\" class=\"page\" aria-labelledby=\"assumptions-h\">\n<h2 id=\"assumptions-h\">Appendix: assumptions</h2>\n");
    let uncertain = data.assumptions.iter().filter(|a| a.uncertain).count();
    let _ = writeln!(
        out,
        "<p>Every numeric input of the scenario ({} in all, {} of them uncertain), in plain words, then as written in the scenario file (its name there is the one to use with <code>--set</code>), with the note or source the file gives it. Uncertain inputs are drawn afresh in every simulated world from the distribution shown; rates are yearly uplifts over today's rates and weeks count from contract expiry.</p>",
        data.assumptions.len(),
        uncertain
    );
    out.push_str("<div class=\"wide\"><table>\n<caption>Scenario inputs, their values or distributions, and their sources</caption>\n");
    head(
        out,
        &[
            "Input",
            "Value or distribution",
            "Mean",
            "As written",
            "Note and source",
        ],
        &[2],
    );
    out.push_str("<tbody>\n");
    for a in &data.assumptions {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{l}</th><td class=\"value\">{w}</td><td class=\"num\">{m}</td><td class=\"value\"><code>{i}</code> = {v}</td><td class=\"note\">{n}</td></tr>",
            l = escape(&a.label),
            w = escape(&a.words),
            i = breakable(&a.input),
            v = escape(&a.value),
            m = if a.uncertain {
                escape(&crate::scenario::labels::format_value(&a.input, a.mean))
            } else {
                String::new()
            },
            n = if a.note.trim().is_empty() {
                "\u{2013}".into()
            } else {
                escape(a.note.trim())
            },
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn methodology_section(out: &mut String, data: &BoardData) {
    out.push_str("<section id=\"methodology\" class=\"page method\" aria-labelledby=\"methodology-h\">\n<h2 id=\"methodology-h\">Methodology</h2>\n");
    let analysis = analysis_paths(data)
        .map(|n| {
            format!(
                " The supporting analyses (the comparison with the runner-up, the tornado, the break-even and the escalation timing) replay {} worlds per variant, with the same seed.",
                count(n as f64)
            )
        })
        .unwrap_or_default();
    let _ = write!(
        out,
        "<p>impasse is a Monte Carlo simulation of the renewal of a commercial contract between a provider (hospital or physician group) and a payer (insurer). It plays each strategy over the contract timeline in many possible worlds; in each world every uncertain input is drawn from its distribution (see <a href=\"#assumptions\">Assumptions</a>), and the strategy's net present revenue, margin, out-of-network weeks and patient impact are recorded.</p>\n\
<h3>The model in brief</h3>\n\
<ul>\n\
<li><b>Staff talks: alternating offers with time-dependent tactics.</b> Meetings are held at a fixed cadence from the opening of talks, with a last session in the week before expiry. The payer's offer rises from its opening offer towards its reservation (the highest yearly uplift its staff can grant), and the provider's ask falls from its opening ask towards its walk-away, each following the time-dependent tactic of Faratin, Sierra &amp; Jennings (1998) on calendar time: a firm (Boulware) side concedes little until its deadline, a conceder moves early. A payer whose old terms can roll over is in no hurry: its deadline falls some weeks after expiry. A deal is struck when an offer meets the other side's threshold; uplifts are yearly escalators.</li>\n\
<li><b>Deadline effect and impasse.</b> Because the payer holds firm until late, deals bunch just before expiry, as observed in bargaining experiments (Roth, Murnighan &amp; Schoumaker 1988). Talks count as stuck when, once the payer has answered the proposal, its offers projected along the path a firm payer is expected to follow fall clearly short of the provider's walk-away for several weeks.</li>\n\
<li><b>Escalation can backfire.</b> Going to the payer's executives (at once, in a given week, or when talks are stuck) succeeds with some probability, less if premature; engaged executives raise the payer's reservation and speed its concessions. A refused escalation can harden the payer's staff (slower concessions, less discretion), more often when premature, and executives who refused once rarely reverse. Executive time costs money.</li>\n\
<li><b>Notices can backfire; bluffs are called.</b> A believed notice of non-renewal brings the payer's deadline to expiry and raises its reservation; but some payers refuse to talk until terminated, member letters move patients before expiry, and a divided board may withdraw the notice. A notice the provider does not carry out is a called bluff: the payer either rescinds it and lets the old terms roll over or cuts its offer, whichever costs it less, and later notices are believed less. Data preparation takes time and money; non-rate items (denials, old claims, administrative burden) and the payer's counter-asks are traded as a package against the rate.</li>\n\
<li><b>At expiry, and out of network.</b> Without a deal or notice, the provider takes the payer's last offer or waits for its final offer under the old terms, and risks the payer letting the old terms run for the whole roll-over period. After a real notice the provider goes out of network: revenue falls to the share of volume it keeps, patients lose in-network access and some switch provider each week, other payers' patients follow, and pressure on the payer builds. When the payer returns to the table (a Weibull-distributed time), the deal splits the zone of agreement by the provider's bargaining weight (Nash bargaining; Horn &amp; Wolinsky 1988; Gowrisankaran, Nevo &amp; Town 2015).</li>\n\
<li><b>This renewal and the next.</b> The same strategy is played at each renewal counted; the payer remembers called bluffs, backlash, out-of-network episodes, threats it has seen and the goodwill built, and each renewal starts from the rates the last one reached.</li>\n\
<li><b>Money and patients.</b> Revenue is discounted weekly to a net present value over the {h} weeks after expiry; margin is contribution margin less the costs of moves (data work, escalations, going out of network). Patient-weeks out of network count attributed patients without in-network access, net of continuity-of-care protection; switched patients are those who do not come back.</li>\n\
<li><b>Common random numbers.</b> Every strategy is played on the same {p} worlds (seed {seed}), so a difference between strategies is the effect of the strategy, not of luck. Comparisons are paired, world by world, and their 95% intervals are the mean difference \u{b1} 1.96 standard errors.{analysis}</li>\n\
<li><b>Value of information and what drives the choice.</b> The expected value of perfect information (EVPI) is the mean, over the worlds of its own run, of the best strategy's score in each world minus the score of the strategy best on average. What knowing one input (or a group) would add is estimated by regressing each strategy's score difference on that input (the metamodel of Strong, Oakley &amp; Brennan 2014). The drivers are Sobol' indices of the gap between the top two strategies from a Saltelli design in which every uncertain input and chance (a factor of its own: the negotiation's random events) move at once; their intervals come from a bootstrap over the design.</li>\n\
<li><b>Precision.</b> Means and their intervals are exact over the worlds run. Percentiles and the average of the worst 5% come from a streaming sketch accurate to within {qe} (relative) of the exact sample values.</li>\n\
<li><b>What the model leaves out.</b> The payer's behaviour is drawn once per simulated world and reused at every renewal; variable costs are held at today's level; an out-of-network episode cannot outlast a contract term; the provider's projection of the payer assumes the firmness set in the scenario. See docs/model.md for the equations and every simplification.</li>\n\
<li><b>Version.</b> impasse {v}. The same scenario, seed and version give the same numbers on any computer and any number of threads.</li>\n\
</ul>\n\
<h3>Reproduce this report</h3>\n\
<p>One command, run with the scenario file used here:</p>\n<pre><code>{cmd}</code></pre>\n",
        h = data.run.horizon_weeks,
        p = count(data.run.paths as f64),
        seed = data.run.seed,
        qe = escape(&format!(
            "{}%",
            summary::value(data.run.quantile_relative_error * 100.0)
        )),
        v = escape(&data.run.version),
        cmd = escape(&data.command),
    );
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("a<b&c>\"d\" 'e'"),
            "a&lt;b&amp;c&gt;&quot;d&quot; &#39;e&#39;"
        );
        assert_eq!(escape("x\u{0}y"), "xy");
    }

    #[test]
    fn table_numbers() {
        assert_eq!(m2(230_483_814.0), "230.48");
        assert_eq!(signed_m2(-692_038.0), "\u{2212}0.69");
        assert_eq!(signed_m2(1_000.0), "0.00");
        assert_eq!(signed_cnt(11_834.9), "+11,835");
        assert_eq!(pct1(0.0363), "3.6%");
        assert_eq!(cnt(f64::NAN), "\u{2013}");
    }
}
