//! CSV output: one row per strategy (scenario order) with the per-strategy
//! numbers of the JSON report, flattened (`revenue_mean`, `revenue_p5`, ...),
//! and the comparison with the baseline (empty on the baseline's own row).
//! The deal-week histogram is in the JSON only.

use super::RunReport;

/// Column names, in order.
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
    "uplift_mean",
    "p_deal_before_expiry",
    "uplift_if_deal_before_expiry_mean",
    "deal_week_if_deal_before_expiry_mean",
    "p_out_of_network",
    "oon_weeks_if_oon_mean",
    "patient_weeks_out_of_network_mean",
    "patients_switched_mean",
    "p_bluff_called",
    "p_executives_engaged",
    "p_impasse",
    "nonrate_value_mean",
    "baseline",
    "revenue_diff_mean",
    "revenue_diff_ci95_low",
    "revenue_diff_ci95_high",
    "p_better",
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
    let mut rows = Vec::new();
    {
        for s in &report.strategies {
            let mut row = vec![s.name.clone()];
            for m in [&s.revenue, &s.margin] {
                row.extend([m.mean, m.mcse, m.p5, m.p50, m.p95, m.cvar5].map(num));
            }
            row.extend(
                [
                    s.uplift.mean,
                    s.p_deal_before_expiry,
                    s.uplift_if_deal_before_expiry.mean,
                    s.deal_week_if_deal_before_expiry.mean,
                    s.p_out_of_network,
                    s.oon_weeks_if_oon.mean,
                    s.patient_weeks_out_of_network.mean,
                    s.patients_switched.mean,
                    s.p_bluff_called,
                    s.p_executives_engaged,
                    s.p_impasse,
                    s.nonrate_value.mean,
                ]
                .map(num),
            );
            match report.comparisons.iter().find(|c| c.strategy == s.name) {
                Some(c) => {
                    row.push(c.baseline.clone());
                    row.extend(
                        [
                            c.revenue_diff.mean,
                            c.revenue_diff.ci95.0,
                            c.revenue_diff.ci95.1,
                            c.p_better,
                        ]
                        .map(num),
                    );
                }
                None => row.extend(std::iter::repeat_n(String::new(), 5)),
            }
            rows.push(row);
        }
    }
    (COLUMNS.iter().map(|c| c.to_string()).collect(), rows)
}
