//! Charts for the board report: pure functions from data to a standalone SVG
//! document (a `String`), to inline in HTML or save as `.svg` for slides.
//!
//! Every chart is an `<svg xmlns=… viewBox=… width=… height=… role="img">`
//! that starts with a `<title>` (its accessible name, also drawn as the
//! visible heading) and a `<desc>` summarising the numbers in words. Charts
//! are 800 pixels wide and 450 high (the sample timelines grow with their
//! panels, a tornado and the drivers chart with their rows), in black text on white, a system sans-serif font, and the
//! Okabe–Ito colour-blind-safe palette, extended with Paul Tol's colours to
//! twelve distinct series colours; series also differ by dash pattern and
//! marker so they survive black-and-white printing. Axis titles carry
//! the units ($M, %, weeks, patient-weeks).
//!
//! Text from scenario files (strategy and input names) is escaped, and a
//! label too long for its column is shortened with "…", its full text kept
//! as a tooltip. No number in the output is NaN or infinite: non-finite
//! inputs are skipped (a strategy with no finite value still shows its name,
//! marked "no data"), and an empty input gives a chart that says "No data".
//!
//! Money is given in dollars and drawn in $M; shares are fractions (0.05 =
//! 5 %); weeks are relative to contract expiry (week −2 is two weeks before).
//!
//! | function | shows |
//! |---|---|
//! | [`strategy_comparison`] | expected revenue per strategy with its 95 % interval, over its P5–P95 range |
//! | [`revenue_distribution`] | the distribution of revenue per strategy, as overlaid CDFs |
//! | [`tornado`] | which inputs move a result (or a difference) most |
//! | [`escalation_timing`] | expected revenue against the week of the escalation |
//! | [`deal_timing`] | when deals close before expiry: the deadline effect |
//! | [`timelines`] | sample negotiations week by week, one panel each |
//! | [`patient_access`] | patient-weeks without in-network access, and patients switched |
//! | [`risk_return`] | each strategy's value against its downside, the efficient frontier |
//! | [`gain_distribution`] | how one strategy's gain over another is spread across worlds |
//! | [`weekly_cash`] | weekly revenue over the horizon as a fan across worlds |
//! | [`drivers`] | which uncertainties drive a result once they all move together (Sobol' indices) |
//!
//! Labels are placed where they overlap no other text: a label with no room
//! is left out (its number is in the `<desc>` and in the report's tables)
//! rather than drawn over another.

pub mod axis;
mod cash;
mod comparison;
mod decision;
mod drivers;
mod svg;
mod timelines;
mod timing;
mod tornado;

pub use cash::{WeeklyCash, weekly_cash};
pub use comparison::{
    PatientAccess, RevenueCdf, StrategyEstimate, patient_access, revenue_distribution,
    strategy_comparison,
};
pub use decision::{
    GainDistribution, RiskReturn, RiskReturnPoint, efficient_frontier, gain_distribution,
    risk_return,
};
pub use drivers::{DriverBar, Drivers, drivers};
pub use svg::{SERIES_COLORS, SeriesStyle, esc, series_style};
pub use timelines::{TimelinePanel, timelines};
pub use timing::{DealTiming, EscalationTiming, TimingPoint, deal_timing, escalation_timing};
pub use tornado::{Tornado, TornadoBar, tornado};

/// Width of every chart, pixels.
pub const WIDTH: f64 = svg::WIDTH;
/// Height of the charts (the sample timelines grow beyond it with more than
/// one row of panels), pixels.
pub const HEIGHT: f64 = svg::HEIGHT;

/// The Okabe–Ito palette, in its usual order: orange, sky blue, bluish
/// green, yellow, blue, vermillion, reddish purple, black.
pub const OKABE_ITO: [&str; 8] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
];
