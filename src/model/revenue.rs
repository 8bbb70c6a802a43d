//! Net present revenue, contribution margin and patient access over the
//! horizon, in closed form.
//!
//! Week `w` (0 = expiry) is discounted by `d^w` with `d = (1 + r)^(-1/52)`.
//! Weekly revenue at today's rates is `B = annual_revenue / 52`. A week with
//! rate multiplier `q` (1 + uplift) and volume share `v` earns `B q v`, and
//! contributes `B v (q - (1 - m))` to margin, where `m` is today's
//! contribution margin: a price rise is all margin, lost volume loses only its
//! margin. Non-rate items won add their yearly value / 52 a week to both.
//! Out of network, volume is `retention * (1 - s)^w` (switching share `s` a
//! week) paid at today's rates. The sums are geometric, so no weekly loop.

use super::world::World;

/// `sum_{j=0}^{n-1} x^j`.
#[inline]
pub fn geometric(x: f64, n: u32) -> f64 {
    if n == 0 {
        0.0
    } else if (1.0 - x).abs() < 1e-12 {
        f64::from(n)
    } else {
        (1.0 - x.powi(n as i32)) / (1.0 - x)
    }
}

/// What a strategy ended with on one path, as segments of the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Course {
    /// Weeks from expiry under the rolled-over old terms.
    pub rollover_weeks: u32,
    /// Weeks from expiry out of network.
    pub oon_weeks: u32,
    /// Rate uplift of the new contract (applies after the segments above).
    pub uplift: f64,
    /// Whether a new contract starts within the horizon.
    pub contract: bool,
    /// Yearly value of non-rate items that come with the new contract.
    pub items_value: f64,
}

/// Money and patient figures of a [`Course`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Valuation {
    /// Net present revenue over the horizon, dollars.
    pub revenue: f64,
    /// Net present contribution margin over the horizon, dollars.
    pub margin: f64,
    /// Patient-weeks without in-network access, net of continuity of care.
    pub patient_weeks_out_of_network: f64,
    /// Patients who switched away and did not come back.
    pub patients_switched: f64,
}

/// Value a course over `horizon` weeks in the world `w`.
pub fn value(course: &Course, w: &World, horizon: u32) -> Valuation {
    let weekly = w.annual_revenue / 52.0;
    let d = (1.0 + w.discount_rate).powf(-1.0 / 52.0);
    let cost_share = 1.0 - w.contribution_margin;
    let items_weekly = course.items_value / 52.0;
    let mut v = Valuation::default();

    // Old terms rolling over from expiry.
    let roll = course.rollover_weeks.min(horizon);
    if roll > 0 {
        let q = 1.0 + w.status_quo_escalator;
        let pv = geometric(d, roll);
        v.revenue += weekly * q * pv;
        v.margin += weekly * (q - cost_share) * pv;
    }

    // Out of network from expiry.
    let out = course.oon_weeks.min(horizon);
    let keep = 1.0 - w.weekly_switch_rate;
    let mut volume_after = 1.0;
    if out > 0 {
        let pv = geometric(d * keep, out);
        v.revenue += weekly * w.volume_retention * pv;
        v.margin += weekly * w.volume_retention * (1.0 - cost_share) * pv;
        let protected = (w.continuity_weeks.round().max(0.0) as u32).min(out);
        v.patient_weeks_out_of_network = w.attributed_patients
            * (geometric(keep, out) - w.continuity_share * geometric(keep, protected));
        let remaining = keep.powi(out as i32);
        let switched = 1.0 - remaining;
        if course.contract && out < horizon {
            v.patients_switched = w.attributed_patients * switched * (1.0 - w.return_share);
            volume_after = remaining + w.return_share * switched;
        } else {
            v.patients_switched = w.attributed_patients * switched;
        }
    }

    // The new contract, from its effective week to the horizon.
    let start = roll + out;
    if course.contract && start < horizon {
        let pv = d.powi(start as i32) * geometric(d, horizon - start);
        let q = 1.0 + course.uplift;
        v.revenue += (weekly * q * volume_after + items_weekly) * pv;
        v.margin += (weekly * volume_after * (q - cost_share) + items_weekly) * pv;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        World {
            annual_revenue: 52_000_000.0,
            contribution_margin: 0.4,
            discount_rate: 0.05,
            status_quo_escalator: 0.01,
            attributed_patients: 10_000.0,
            volume_retention: 0.35,
            weekly_switch_rate: 0.01,
            return_share: 0.5,
            continuity_weeks: 13.0,
            continuity_share: 0.1,
            ..World::default()
        }
    }

    /// The closed form against a plain weekly loop.
    fn by_loop(c: &Course, w: &World, horizon: u32) -> Valuation {
        let d = (1.0 + w.discount_rate).powf(-1.0 / 52.0);
        let weekly = w.annual_revenue / 52.0;
        let mut v = Valuation::default();
        let mut remaining = 1.0;
        let mut after = 1.0;
        for week in 0..horizon {
            let disc = d.powi(week as i32);
            if week < c.rollover_weeks {
                let q = 1.0 + w.status_quo_escalator;
                v.revenue += weekly * q * disc;
                v.margin += weekly * (q - 0.6) * disc;
            } else if week < c.rollover_weeks + c.oon_weeks {
                v.revenue += weekly * 0.35 * remaining * disc;
                v.margin += weekly * 0.35 * remaining * 0.4 * disc;
                let protected = if week < 13 { 0.1 } else { 0.0 };
                v.patient_weeks_out_of_network += 10_000.0 * remaining * (1.0 - protected);
                remaining *= 0.99;
                after = remaining + 0.5 * (1.0 - remaining);
            } else if c.contract {
                let q = 1.0 + c.uplift;
                v.revenue += (weekly * q * after + c.items_value / 52.0) * disc;
                v.margin += (weekly * after * (q - 0.6) + c.items_value / 52.0) * disc;
            }
        }
        v
    }

    #[test]
    fn closed_form_matches_weekly_loop() {
        let w = world();
        for course in [
            Course {
                rollover_weeks: 0,
                oon_weeks: 0,
                uplift: 0.03,
                contract: true,
                items_value: 520_000.0,
            },
            Course {
                rollover_weeks: 52,
                oon_weeks: 0,
                uplift: 0.02,
                contract: true,
                items_value: 0.0,
            },
            Course {
                rollover_weeks: 0,
                oon_weeks: 20,
                uplift: 0.05,
                contract: true,
                items_value: 0.0,
            },
            Course {
                rollover_weeks: 0,
                oon_weeks: 8,
                uplift: 0.05,
                contract: true,
                items_value: 0.0,
            },
        ] {
            let a = value(&course, &w, 156);
            let b = by_loop(&course, &w, 156);
            assert!(
                (a.revenue - b.revenue).abs() < 1e-6 * b.revenue,
                "{course:?}"
            );
            assert!(
                (a.margin - b.margin).abs() < 1e-6 * b.margin.abs(),
                "{course:?}"
            );
            assert!(
                (a.patient_weeks_out_of_network - b.patient_weeks_out_of_network).abs() < 1e-6,
                "{course:?}"
            );
        }
    }
}
