//! impasse: a Monte Carlo simulator and decision-support model for healthcare
//! payer contract negotiations.
//!
//! Data moves one way:
//!
//! ```text
//! scenario file ─> Scenario ─> World (one per path) ─> each Strategy plays it ─> Outcome
//!                                                                                │
//! report (table, CSV, JSON) <── Summary (streaming statistics) <─────────────────┘
//! ```
//!
//! [`scenario`] is what a user writes; [`model`] is one path's story, pure and
//! deterministic given a world; [`engine`] runs many paths in parallel with
//! reproducible seeding and streaming statistics; [`report`] turns summaries
//! into tables, CSV and JSON.
#![deny(missing_docs)]

pub mod analysis;
pub mod engine;
pub mod model;
pub mod report;
pub mod scenario;
