//! Weekly revenue of one path, week by week: the cash behind the present
//! value that [`super::revenue::value`] computes in closed form.
//!
//! [`weekly_revenue`] plays a plan on a world (exactly as [`super::play`]
//! does) and spreads each renewal's [`Course`] over the weeks by the same
//! rules as the valuation: yearly escalators from each contract's start,
//! the roll-over at the old terms' escalator, out of network at
//! `volume_retention` of the business with patients switching away week by
//! week and the spillover loss on other business, the member letters'
//! switching before expiry, the patients who come back with a contract, and
//! the non-rate items' yearly value. Nothing is discounted.
//!
//! Before the first expiry the valuation counts only what the member
//! letters lose (as a difference from today's full revenue), because every
//! strategy earns the same there otherwise. The series starts at the first
//! letters' week (or at week 0 without letters) and holds the revenue
//! actually earned in those weeks; [`WeeklyRevenue::present_value`]
//! subtracts today's full revenue [`WeeklyRevenue::base`] from them, so it
//! equals [`super::Outcome::revenue`] up to rounding (the closed form sums
//! geometric series, this sums weeks).

use serde::Serialize;

use super::plan::{Plan, Terms};
use super::revenue::Course;
use super::world::{Discount, World};
use super::{Observer, RenewalOutcome, play_observed};

/// Undiscounted weekly revenue from the payer's members on one path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeeklyRevenue {
    /// Week of `revenue[0]`, relative to the first expiry: 0, or the week the
    /// first notice's member letters went out (negative).
    pub first_week: i64,
    /// Weekly revenue at today's rates and full volume (`annual_revenue / 52`):
    /// what every week before `first_week` earns.
    pub base: f64,
    /// Revenue of weeks `first_week, first_week + 1, ...`, dollars, up to the
    /// horizon (further only if a roll-over or an out-of-network period the
    /// valuation counts runs past it).
    pub revenue: Vec<f64>,
}

impl WeeklyRevenue {
    /// Revenue of `week` (relative to the first expiry): `base` before the
    /// series starts, 0 after it ends.
    pub fn at(&self, week: i64) -> f64 {
        if week < self.first_week {
            return self.base;
        }
        self.revenue
            .get((week - self.first_week) as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// Present value at the first expiry, as [`super::revenue::value`]
    /// counts it: weeks from expiry discounted by `d^w`, weeks before it
    /// compounded and counted as the difference from `base`. `world` gives
    /// the discount rate.
    pub fn present_value(&self, world: &World) -> f64 {
        let d = discount(world).week;
        self.revenue
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let week = self.first_week + i as i64;
                let cash = if week < 0 { r - self.base } else { r };
                cash * d.powi(week as i32)
            })
            .sum()
    }
}

/// The world's discount factors (hand-built worlds may not carry them).
fn discount(w: &World) -> Discount {
    if w.discount.week > 0.0 {
        w.discount
    } else {
        Discount::new(w.discount_rate)
    }
}

/// Collects each renewal's course as the path is played.
#[derive(Default)]
struct Courses(Vec<Course>);

impl Observer for Courses {
    const DETAILED: bool = false;
    fn settled(&mut self, _r: usize, course: &Course, _outcome: &RenewalOutcome) {
        self.0.push(*course);
    }
}

/// Play `plan` on `world` and return the path's weekly revenue.
pub fn weekly_revenue(terms: &Terms, plan: &Plan, world: &World) -> WeeklyRevenue {
    let mut courses = Courses::default();
    play_observed(terms, plan, world, &mut courses);
    weekly_revenue_of(&courses.0, world, terms)
}

/// A rate path: level `base (1 + uplift)^(k + 1)` in year `k` from `start`
/// (flat at `base` for today's rates).
#[derive(Debug, Clone, Copy)]
struct Schedule {
    base: f64,
    uplift: f64,
    start: i64,
    flat: bool,
}

impl Schedule {
    fn level_at(&self, week: i64) -> f64 {
        if self.flat {
            self.base
        } else {
            let k = (week - self.start).div_euclid(52);
            self.base * (1.0 + self.uplift).powi((k + 1) as i32)
        }
    }
}

/// The weekly series being filled.
struct Weeks<'a> {
    w: &'a World,
    weekly: f64,
    out: WeeklyRevenue,
}

impl Weeks<'_> {
    fn add(&mut self, week: i64, amount: f64) {
        let i = (week - self.out.first_week) as usize;
        if i >= self.out.revenue.len() {
            self.out.revenue.resize(i + 1, 0.0);
        }
        self.out.revenue[i] += amount;
    }

    /// In network over `[a, b)` under `rate`, volume `v0 x^(w-a)`, items
    /// worth `items` a year (none before the first expiry, as in the
    /// valuation).
    #[allow(clippy::too_many_arguments)]
    fn in_network(&mut self, a: i64, b: i64, rate: &Schedule, v0: f64, x: f64, items: f64) {
        for week in a..b {
            let v = v0 * x.powi((week - a) as i32);
            let items = if week < 0 { 0.0 } else { items / 52.0 };
            self.add(week, self.weekly * rate.level_at(week) * v + items);
        }
    }

    /// Out of network over `[a, b)` at rate level `q` for the business
    /// kept, volume `v0 x^(w-a)`, less the spillover loss.
    fn out_of_network(&mut self, a: i64, b: i64, q: f64, v0: f64) {
        let w = self.w;
        let x = 1.0 - w.weekly_switch_rate;
        let spill = w.other_revenue * w.spillover_share / 52.0;
        for week in a..b {
            let v = v0 * x.powi((week - a) as i32);
            self.add(week, self.weekly * q * v * w.volume_retention - spill);
        }
    }
}

/// Patients who switched in an episode come back (`return_share` of them)
/// when a contract follows.
fn close_episode(episode: &mut Option<f64>, v: &mut f64, contract_follows: bool, w: &World) {
    if let Some(v0) = episode.take() {
        let lost = (v0 - *v).max(0.0);
        if contract_follows {
            *v += w.return_share * lost;
        }
    }
}

/// The weekly revenue of the courses of every renewal played (in order),
/// by the rules of [`super::revenue::value`].
pub fn weekly_revenue_of(courses: &[Course], w: &World, terms: &Terms) -> WeeklyRevenue {
    let n = courses.len().clamp(1, crate::scenario::MAX_RENEWALS);
    let term = i64::from(terms.term_weeks);
    let horizon = term * terms.renewals as i64;
    let first_week = courses
        .first()
        .and_then(|c| c.letters_from)
        .map_or(0, |f| i64::from(f).min(0));
    let weekly = w.annual_revenue / 52.0;
    let mut s = Weeks {
        w,
        weekly,
        out: WeeklyRevenue {
            first_week,
            base: weekly,
            revenue: vec![0.0; (horizon - first_week).max(0) as usize],
        },
    };
    let today = Schedule {
        base: 1.0,
        uplift: 0.0,
        start: 0,
        flat: true,
    };
    let mut rate = today;
    let mut items = 0.0;
    let mut in_force_from = 0i64;
    let mut v = 1.0f64;
    let letters_keep = 1.0 - w.pre_expiry_switch_rate;
    let oon_keep = 1.0 - w.weekly_switch_rate;
    let mut contract_to_horizon = true;

    for (r, c) in courses.iter().enumerate().take(n) {
        let expiry = r as i64 * term;
        let before = r == 0;
        let letters = c
            .letters_from
            .map(|f| (expiry + i64::from(f), expiry + i64::from(c.letters_to)));
        if before {
            // Before the first expiry: today's full revenue up to the letters.
            if let Some((from, _)) = letters {
                s.in_network(first_week, from.min(0), &today, 1.0, 1.0, 0.0);
            }
        } else {
            let end = letters.map_or(expiry, |(from, _)| from);
            s.in_network(in_force_from, end, &rate, v, 1.0, items);
        }
        let mut episode = None;
        if let Some((from, to)) = letters {
            episode = Some(v);
            s.in_network(from, to, &rate, v, letters_keep, items);
            v *= letters_keep.powi((to - from) as i32);
            if to < expiry {
                close_episode(&mut episode, &mut v, true, w);
                s.in_network(to, expiry, &rate, v, 1.0, items);
            }
        }
        let level = if before {
            1.0
        } else {
            rate.level_at(expiry - 1)
        };
        let mut week = expiry;
        if c.rollover_weeks > 0 {
            close_episode(&mut episode, &mut v, true, w);
            let roll = Schedule {
                base: level,
                uplift: w.status_quo_escalator,
                start: expiry,
                flat: false,
            };
            let end = week + i64::from(c.rollover_weeks);
            s.in_network(week, end, &roll, v, 1.0, items);
            week = end;
        }
        if c.oon_weeks > 0 || c.uplift.is_none() {
            episode.get_or_insert(v);
            let end = if c.uplift.is_some() {
                week + i64::from(c.oon_weeks)
            } else {
                horizon
            };
            s.out_of_network(week, end, level, v);
            v *= oon_keep.powi((end - week) as i32);
            week = end;
        }
        match c.uplift {
            Some(u) => {
                close_episode(&mut episode, &mut v, true, w);
                rate = Schedule {
                    base: level,
                    uplift: u,
                    start: week,
                    flat: false,
                };
                items = c.items_value;
                in_force_from = week;
            }
            None => {
                close_episode(&mut episode, &mut v, false, w);
                contract_to_horizon = false;
                break;
            }
        }
    }
    if contract_to_horizon {
        s.in_network(in_force_from, horizon, &rate, v, 1.0, items);
    }
    s.out
}

/// Weekly revenue across many paths of one strategy: per-week percentiles
/// (a fan) and one example path that goes out of network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CashFan {
    /// The strategy.
    pub strategy: String,
    /// Paths summarised.
    pub paths: u64,
    /// Week of the first entry of each series, relative to the first expiry.
    pub first_week: i64,
    /// 5th percentile of weekly revenue across paths, dollars.
    pub p5: Vec<f64>,
    /// 25th percentile.
    pub p25: Vec<f64>,
    /// Median.
    pub p50: Vec<f64>,
    /// 75th percentile.
    pub p75: Vec<f64>,
    /// 95th percentile.
    pub p95: Vec<f64>,
    /// Mean.
    pub mean: Vec<f64>,
    /// Median across paths of today's weekly revenue (`annual_revenue / 52`).
    pub today: f64,
    /// Share of paths that go out of network at some renewal.
    pub p_out_of_network: f64,
    /// The first path (by index) that goes out of network, and its weekly
    /// revenue, if one does.
    pub example: Option<(u64, Vec<f64>)>,
}

/// The value at quantile `q` of sorted `v` (linear between order statistics).
fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// The weekly-revenue fan of `plan` over the worlds given (each with its
/// path index), from week `max(earliest letters, -52)` to the horizon.
pub fn cash_fan(
    terms: &Terms,
    plan: &Plan,
    worlds: impl IntoIterator<Item = (u64, World)>,
) -> CashFan {
    let horizon = i64::from(terms.term_weeks) * terms.renewals as i64;
    let mut series = Vec::new();
    let mut example = None;
    let mut out_count = 0u64;
    let mut today = Vec::new();
    for (index, world) in worlds {
        let mut courses = Courses::default();
        let outcome = play_observed(terms, plan, &world, &mut courses);
        let cash = weekly_revenue_of(&courses.0, &world, terms);
        let out = outcome.played().iter().any(|r| r.out_of_network);
        if out {
            out_count += 1;
            if example.is_none() {
                example = Some((index, cash.clone()));
            }
        }
        today.push(cash.base);
        series.push(cash);
    }
    let first_week = series
        .iter()
        .map(|s| s.first_week)
        .min()
        .unwrap_or(0)
        .max(-52);
    let weeks: Vec<i64> = (first_week..horizon).collect();
    let mut fan = CashFan {
        strategy: plan.name.clone(),
        paths: series.len() as u64,
        first_week,
        p5: Vec::with_capacity(weeks.len()),
        p25: Vec::with_capacity(weeks.len()),
        p50: Vec::with_capacity(weeks.len()),
        p75: Vec::with_capacity(weeks.len()),
        p95: Vec::with_capacity(weeks.len()),
        mean: Vec::with_capacity(weeks.len()),
        today: f64::NAN,
        p_out_of_network: if series.is_empty() {
            f64::NAN
        } else {
            out_count as f64 / series.len() as f64
        },
        example: example.map(|(i, s)| (i, weeks.iter().map(|&w| s.at(w)).collect())),
    };
    today.sort_by(f64::total_cmp);
    fan.today = quantile_sorted(&today, 0.5);
    let mut column = Vec::with_capacity(series.len());
    for &week in &weeks {
        column.clear();
        column.extend(series.iter().map(|s| s.at(week)));
        column.sort_by(f64::total_cmp);
        fan.p5.push(quantile_sorted(&column, 0.05));
        fan.p25.push(quantile_sorted(&column, 0.25));
        fan.p50.push(quantile_sorted(&column, 0.5));
        fan.p75.push(quantile_sorted(&column, 0.75));
        fan.p95.push(quantile_sorted(&column, 0.95));
        fan.mean
            .push(column.iter().sum::<f64>() / column.len().max(1) as f64);
    }
    fan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 5.0);
        assert!((quantile_sorted(&v, 0.125) - 1.5).abs() < 1e-12);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn weeks_before_the_series_earn_todays_revenue() {
        let s = WeeklyRevenue {
            first_week: -2,
            base: 10.0,
            revenue: vec![9.0, 8.0, 12.0],
        };
        assert_eq!(s.at(-5), 10.0);
        assert_eq!(s.at(-2), 9.0);
        assert_eq!(s.at(0), 12.0);
        assert_eq!(s.at(1), 0.0);
    }
}
