//! CSV output: one row per strategy (scenario order) with the per-strategy
//! numbers of the JSON report, flattened (`revenue_mean`, `revenue_p5`, ...):
//! totals over the horizon, this renewal's events, then each renewal's
//! figures (`renewal2_uplift_mean`, ...), and the comparison with the
//! baseline (empty on the baseline's own row). Histograms are in the JSON
//! only.

use super::RunReport;

/// Column names before the per-renewal ones, in order.
pub const COLUMNS: &[&str] = &[
    "strategy",
    "revenue_mean",
    "revenue_mcse",
    "revenue_p5",
    "revenue_p50",
    "revenue_p95",
    "revenue_cvar5",
    "margin_mean",
    "margin_mcse",
    "margin_p5",
    "margin_p50",
    "margin_p95",
    "margin_cvar5",
    "costs_mean",
    "patient_weeks_out_of_network_mean",
    "patients_switched_mean",
    "uplift_mean",
    "p_deal_before_expiry",
    "uplift_if_deal_before_expiry_mean",
    "deal_week_if_deal_before_expiry_mean",
    "p_rolled_over",
    "p_payer_stalled",
    "p_out_of_network",
    "p_out_of_network_any_renewal",
    "oon_weeks_if_oon_mean",
    "p_out_of_network_if_notice",
    "p_refused_to_talk_if_notice",
    "p_bluff_called",
    "p_executives_engaged",
    "p_backlash",
    "p_impasse",
    "impasse_week_if_impasse_mean",
    "nonrate_value_mean",
];

/// Per-renewal columns, each prefixed by `renewalN_`.
pub const RENEWAL_COLUMNS: &[&str] = &[
    "revenue_mean",
    "margin_mean",
    "uplift_mean",
    "p_deal_before_expiry",
    "p_out_of_network",
    "p_bluff_called",
    "p_backlash",
    "p_impasse",
];

/// Comparison columns, after the per-renewal ones.
pub const COMPARISON_COLUMNS: &[&str] = &[
    "baseline",
    "revenue_diff_mean",
    "revenue_diff_ci95_low",
    "revenue_diff_ci95_high",
    "p_better",
    "revenue_diff_p5",
    "revenue_diff_p50",
    "revenue_diff_p95",
    "p_worse",
    "revenue_loss_if_worse",
    "margin_diff_mean",
    "margin_diff_ci95_low",
    "margin_diff_ci95_high",
    "margin_diff_p5",
    "margin_diff_p50",
    "margin_diff_p95",
    "margin_p_worse",
    "margin_loss_if_worse",
    "recommended",
];

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// The header and one row per strategy (scenario order).
pub fn run_csv(report: &RunReport) -> (Vec<String>, Vec<Vec<String>>) {
    let renewals = report
        .strategies
        .iter()
        .map(|s| s.renewals.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    for k in 1..=renewals {
        header.extend(RENEWAL_COLUMNS.iter().map(|c| format!("renewal{k}_{c}")));
    }
    header.extend(COMPARISON_COLUMNS.iter().map(|c| c.to_string()));
    let mut rows = Vec::new();
    for s in &report.strategies {
        let mut row = vec![s.name.clone()];
        for m in [&s.revenue, &s.margin] {
            row.extend([m.mean, m.mcse, m.p5, m.p50, m.p95, m.cvar5].map(num));
        }
        row.extend(
            [
                s.costs.mean,
                s.patient_weeks_out_of_network.mean,
                s.patients_switched.mean,
                s.uplift.mean,
                s.p_deal_before_expiry,
                s.uplift_if_deal_before_expiry.mean,
                s.deal_week_if_deal_before_expiry.mean,
                s.p_rolled_over,
                s.p_payer_stalled,
                s.p_out_of_network,
                s.p_out_of_network_any_renewal,
                s.oon_weeks_if_oon.mean,
                s.p_out_of_network_if_notice,
                s.p_refused_to_talk_if_notice,
                s.p_bluff_called,
                s.p_executives_engaged,
                s.p_backlash,
                s.p_impasse,
                s.impasse_week_if_impasse.mean,
                s.nonrate_value.mean,
            ]
            .map(num),
        );
        for k in 0..renewals {
            match s.renewals.get(k) {
                Some(r) => row.extend(
                    [
                        r.revenue.mean,
                        r.margin.mean,
                        r.uplift.mean,
                        r.p_deal_before_expiry,
                        r.p_out_of_network,
                        r.p_bluff_called,
                        r.p_backlash,
                        r.p_impasse,
                    ]
                    .map(num),
                ),
                None => row.extend(std::iter::repeat_n(String::new(), RENEWAL_COLUMNS.len())),
            }
        }
        match report.comparisons.iter().find(|c| c.strategy == s.name) {
            Some(c) => {
                row.push(c.baseline.clone());
                row.extend(
                    [
                        c.revenue_diff.mean,
                        c.revenue_diff.ci95.0,
                        c.revenue_diff.ci95.1,
                        c.p_better,
                        c.revenue_diff.p5,
                        c.revenue_diff.p50,
                        c.revenue_diff.p95,
                        c.p_worse,
                        c.revenue_diff.loss_if_worse.mean,
                        c.margin_diff.mean,
                        c.margin_diff.ci95.0,
                        c.margin_diff.ci95.1,
                        c.margin_diff.p5,
                        c.margin_diff.p50,
                        c.margin_diff.p95,
                        c.margin_diff.p_worse,
                        c.margin_diff.loss_if_worse.mean,
                    ]
                    .map(num),
                );
            }
            None => row.extend(std::iter::repeat_n(
                String::new(),
                COMPARISON_COLUMNS.len() - 1,
            )),
        }
        row.push(
            match &report.recommendation.strategy {
                Some(r) if *r == s.name && report.recommendation.clear => "clear",
                Some(r) if *r == s.name => "best, not clear",
                _ if report.recommendation.runner_up.as_deref() == Some(s.name.as_str()) => {
                    "runner-up"
                }
                _ => "",
            }
            .to_string(),
        );
        rows.push(row);
    }
    (header, rows)
}
