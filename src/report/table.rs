//! The human-readable table of `impasse run`: strategies ranked by expected
//! revenue, then each strategy against the baseline.

use std::fmt::Write;

use super::RunReport;

/// Dollars as millions with two decimals.
pub fn millions(x: f64) -> String {
    if x.is_finite() {
        format!("{:.2}", x / 1e6)
    } else {
        "-".into()
    }
}

/// Signed millions, e.g. `+1.23`.
pub fn signed_millions(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.2}", x / 1e6)
    } else {
        "-".into()
    }
}

/// A share as a percentage with one decimal.
pub fn percent(x: f64) -> String {
    if x.is_finite() {
        unsigned_zero(format!("{:.1}%", x * 100.0))
    } else {
        "-".into()
    }
}

/// The digits of `n` grouped by thousands, without a sign: `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with thousands separators.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let n = x.round() as i64;
    let out = group_digits(n.unsigned_abs());
    if n < 0 { format!("-{out}") } else { out }
}

fn one_decimal(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "-".into()
    }
}

/// Render rows as aligned columns: the first column left-aligned, the rest right-aligned.
pub fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(display_width(cell)));
            if i == 0 {
                let _ = write!(s, "{cell}{pad}");
            } else {
                let _ = write!(s, "  {pad}{cell}");
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out += &line(row.iter().map(String::as_str).collect());
    }
    out
}

/// Columns a string takes in a terminal: East Asian wide and fullwidth
/// characters (CJK, Hangul, fullwidth forms, most emoji) take two, combining
/// marks none, everything else one.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1F64F
            | 0x1F900..=0x1F9FF
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// The ranked table of a run, then each strategy against the baseline.
pub fn run_table(r: &RunReport) -> String {
    write_run_table(r).expect("formatting into a String cannot fail")
}

fn write_run_table(r: &RunReport) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    let renewals = match r.renewals {
        1 => "this renewal's term".to_string(),
        2 => "this renewal and the next".to_string(),
        n => format!("this renewal and the next {}", n - 1),
    };
    writeln!(
        out,
        "Scenario {}: {} paths, seed {}. Net present revenue from this payer over {} weeks after expiry ({renewals}), $M; ranked by the decision value ({}).",
        r.scenario,
        count(r.paths as f64),
        r.seed,
        r.horizon_weeks,
        match (r.decision.objective, r.decision.risk_tolerance.is_finite()) {
            (crate::scenario::Objective::Margin, false) => "expected margin",
            (crate::scenario::Objective::Revenue, false) => "expected revenue",
            (crate::scenario::Objective::Margin, true) => "risk-adjusted margin",
            (crate::scenario::Objective::Revenue, true) => "risk-adjusted revenue",
        }
    )?;
    writeln!(out)?;
    let header = [
        "strategy",
        "mean",
        "±mcse",
        "P5",
        "P50",
        "P95",
        "CVaR5",
        "margin",
        "costs",
        "patient-weeks OON",
        "switched",
        "value",
    ];
    let order = r.ranking();
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let s = &r.strategies[i];
            vec![
                s.name.clone(),
                millions(s.revenue.mean),
                millions(s.revenue.mcse),
                millions(s.revenue.p5),
                millions(s.revenue.p50),
                millions(s.revenue.p95),
                millions(s.revenue.cvar5),
                millions(s.margin.mean),
                millions(s.costs.mean),
                count(s.patient_weeks_out_of_network.mean),
                count(s.patients_switched.mean),
                millions(s.decision_value),
            ]
        })
        .collect();
    out += &columns(&header, &rows);
    writeln!(out)?;
    writeln!(
        out,
        "±mcse: Monte Carlo standard error of the mean (precision); P5-P95: the range of outcomes (spread). CVaR5: mean of the worst 5 % of paths.\n\
         value: what the board maximises ([decision]: the objective less the price of patient-weeks, as a certainty equivalent if risk-averse).\n\
         margin: net present contribution margin less the costs of moves (data work, escalations, going out of network).\n\
         patient-weeks OON: without in-network access, net of continuity of care. Quantiles and CVaR carry a relative error of at most {}%.",
        r.quantile_relative_error * 100.0
    )?;

    writeln!(out)?;
    writeln!(
        out,
        "This renewal, by strategy (uplifts are per year; conditional figures are over the paths where the condition holds):"
    )?;
    writeln!(out)?;
    let header = [
        "strategy",
        "uplift/yr",
        "P(deal<expiry)",
        "P(impasse)",
        "impasse wk",
        "P(execs)",
        "P(backlash)",
        "P(OON)",
        "P(OON|notice)",
        "weeks OON",
        "P(bluff called)",
    ];
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let s = &r.strategies[i];
            let first = s.renewals.first();
            let notice = first.is_some_and(|f| f.p_notice > 0.0);
            vec![
                s.name.clone(),
                percent_2(s.uplift.mean),
                percent(s.p_deal_before_expiry),
                percent(s.p_impasse),
                one_decimal(s.impasse_week_if_impasse.mean),
                percent(s.p_executives_engaged),
                percent(s.p_backlash),
                percent(s.p_out_of_network),
                if notice {
                    percent(s.p_out_of_network_if_notice)
                } else {
                    "-".into()
                },
                one_decimal(s.oon_weeks_if_oon.mean),
                percent(s.p_bluff_called),
            ]
        })
        .collect();
    out += &columns(&header, &rows);

    if r.renewals > 1 {
        writeln!(out)?;
        writeln!(
            out,
            "Each renewal (revenue over its term, $M; the payer remembers the last):"
        )?;
        writeln!(out)?;
        let header = [
            "strategy",
            "renewal",
            "revenue",
            "uplift/yr",
            "P(deal<expiry)",
            "P(OON)",
            "P(bluff called)",
            "P(backlash)",
        ];
        let rows: Vec<Vec<String>> = order
            .iter()
            .flat_map(|&i| {
                let s = &r.strategies[i];
                s.renewals.iter().map(move |k| {
                    vec![
                        if k.renewal == 1 {
                            s.name.clone()
                        } else {
                            String::new()
                        },
                        k.renewal.to_string(),
                        millions(k.revenue.mean),
                        percent_2(k.uplift.mean),
                        percent(k.p_deal_before_expiry),
                        percent(k.p_out_of_network),
                        percent(k.p_bluff_called),
                        percent(k.p_backlash),
                    ]
                })
            })
            .collect();
        out += &columns(&header, &rows);
    }

    if let Some(first) = r.comparisons.first() {
        writeln!(out)?;
        writeln!(
            out,
            "Against the baseline `{}`, paired on the same paths ($M). diff ±mcse: the mean difference and its precision; P5-P95: the range of the difference from world to world (spread); P(worse): share of worlds where it earns less, losing `loss|worse` on average there:",
            first.baseline
        )?;
        writeln!(out)?;
        let header = [
            "strategy",
            "revenue diff",
            "±mcse",
            "P5",
            "P50",
            "P95",
            "P(better)",
            "P(worse)",
            "loss|worse",
            "margin diff",
            "±mcse",
            "P5",
            "P95",
            "P(worse)",
            "loss|worse",
        ];
        let mut order = r.ranking();
        order.retain(|&i| {
            r.comparisons
                .iter()
                .any(|c| c.strategy == r.strategies[i].name)
        });
        let rows: Vec<Vec<String>> = order
            .into_iter()
            .filter_map(|i| {
                r.comparisons
                    .iter()
                    .find(|c| c.strategy == r.strategies[i].name)
            })
            .map(|c| {
                let (rv, mg) = (&c.revenue_diff, &c.margin_diff);
                vec![
                    c.strategy.clone(),
                    signed_millions(rv.mean),
                    millions(rv.mcse),
                    signed_millions(rv.p5),
                    signed_millions(rv.p50),
                    signed_millions(rv.p95),
                    percent(rv.p_better),
                    percent(rv.p_worse),
                    millions(rv.loss_if_worse.mean),
                    signed_millions(mg.mean),
                    millions(mg.mcse),
                    signed_millions(mg.p5),
                    signed_millions(mg.p95),
                    percent(mg.p_worse),
                    millions(mg.loss_if_worse.mean),
                ]
            })
            .collect();
        out += &columns(&header, &rows);
    }
    writeln!(out)?;
    let rec = &r.recommendation;
    match (&rec.strategy, rec.clear) {
        (Some(s), true) => writeln!(out, "Recommendation: `{s}`. {}", rec.reason)?,
        (Some(_), false) => writeln!(out, "Recommendation: {}", rec.reason)?,
        (None, _) => writeln!(out, "Recommendation: none. {}", rec.reason)?,
    }
    for e in &rec.excluded {
        writeln!(
            out,
            "  Set aside by the board's limits: `{}` {}.",
            e.strategy, e.reason
        )?;
    }
    Ok(out)
}

/// A yearly uplift as a percentage with two decimals (`2.15%`).
pub fn percent_2(x: f64) -> String {
    if x.is_finite() {
        unsigned_zero(format!("{:.2}%", x * 100.0))
    } else {
        "-".into()
    }
}

/// `-0.0%` (a rounding error below zero, such as `1 - p - q`) as `0.0%`.
fn unsigned_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| !c.is_ascii_digit() || c == '0') => rest.to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_keep_columns_aligned() {
        assert_eq!(display_width("wait"), 4);
        assert_eq!(display_width("交渉"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
        let t = columns(
            &["strategy", "mean"],
            &[
                vec!["交渉".to_string(), "1.00".to_string()],
                vec!["wait".to_string(), "2.00".to_string()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        let widths: Vec<usize> = lines.iter().map(|l| display_width(l)).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{t}");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(count(1234567.4), "1,234,567");
        assert_eq!(count(-1234.0), "-1,234");
        assert_eq!(count(12.0), "12");
        assert_eq!(millions(1_234_567.0), "1.23");
        assert_eq!(signed_millions(1_234_567.0), "+1.23");
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(percent(f64::NAN), "-");
        // 1 - p - q may fall a rounding error below zero.
        assert_eq!(percent(1.0 - 0.936 - 0.064), "0.0%");
        assert_eq!(percent(-1e-17), "0.0%");
        assert_eq!(percent_2(-1e-17), "0.00%");
        assert_eq!(percent(-0.001), "-0.1%");
    }
}
