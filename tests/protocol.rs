//! With every effect neutral (no moves, no items, one renewal), staff talks
//! are the stacked alternating-offers protocol with the time-dependent
//! tactics of Faratin, Sierra & Jennings (1998) on calendar time. This test
//! writes that protocol out independently, from its textbook definition,
//! and checks the model against it on thousands of random negotiations:
//! same deal week and the same price, to the last bit.

use impasse::model::world::MeanSource;
use impasse::model::{Plan, Terms, World, play};
use impasse::scenario::{Dist, Scenario};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One side's time-dependent tactic: `start + (limit - start) t^e`.
struct Tactic {
    start: f64,
    limit: f64,
    exponent: f64,
}

impl Tactic {
    fn at(&self, t: f64) -> f64 {
        self.start + (self.limit - self.start) * t.powf(self.exponent)
    }
}

/// The stacked alternating-offers protocol, payer first, over meetings at
/// the given weeks, with relative time running from 0 at the first meeting
/// to 1 at the last. Each round: the payer accepts the provider's standing
/// ask if it is at or below the payer's threshold; otherwise it offers its
/// threshold (never less than before); the provider accepts an offer at or
/// above its own threshold, otherwise it asks its threshold. Returns the
/// deal (week, price), or the payer's last offer.
fn alternating_offers(weeks: &[i32], payer: &Tactic, provider: &Tactic) -> Result<(i32, f64), f64> {
    let (first, last) = (weeks[0], *weeks.last().unwrap());
    let mut offer = f64::NEG_INFINITY;
    let mut ask: Option<f64> = None;
    for &week in weeks {
        let t = if last == first {
            1.0
        } else {
            f64::from(week - first) / f64::from(last - first)
        };
        // The payer concedes from its opening offer, never below it.
        let payer_limit = payer.limit.max(payer.start);
        let threshold = payer.start + (payer_limit - payer.start) * (payer.exponent * t.ln()).exp();
        if let Some(a) = ask
            && a <= threshold
        {
            return Ok((week, a));
        }
        offer = offer.max(threshold);
        let own = provider.at(t);
        if offer >= own {
            return Ok((week, offer));
        }
        ask = Some(own);
    }
    Err(offer)
}

#[test]
fn staff_talks_reproduce_the_alternating_offers_protocol() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2026);
    let mut deals = 0;
    for case in 0..3000 {
        let lead: u32 = rng.random_range(2..=60);
        let cadence: u32 = rng.random_range(1..=lead.min(6));
        let opening_offer: f64 = rng.random_range(0.0..0.01);
        let reservation: f64 = rng.random_range(-0.005..0.05);
        let payer_e: f64 = rng.random_range(0.3..7.0);
        let ask: f64 = rng.random_range(0.03..0.1);
        let walk: f64 = rng.random_range(0.0..ask);
        let provider_e: f64 = rng.random_range(0.3..3.0);

        let mut s = Scenario::builtin();
        s.contract.renewals = 1;
        s.items.clear();
        s.payer.opening_offer = Dist::Fixed(opening_offer);
        s.payer.reservation = Dist::Fixed(reservation);
        s.payer.concession_exponent = Dist::Fixed(payer_e);
        // The payer's deadline at expiry, as in the textbook protocol.
        s.payer.deadline_weeks = Dist::Fixed(0.0);
        s.payer.stall_prob = Dist::Fixed(0.0);
        s.strategies.truncate(1);
        let st = &mut s.strategies[0];
        st.lead_weeks = lead;
        st.cadence_weeks = cadence;
        st.opening_ask = ask;
        st.walk_away = walk;
        st.concession_exponent = provider_e;
        s.validate().unwrap_or_else(|e| panic!("case {case}: {e}"));

        let terms = Terms::new(&s);
        let plan = Plan::new(&s.strategies[0], &terms);
        let mut world = World::default();
        world.fill(&s, &mut MeanSource::new(0.5));
        let o = play(&terms, &plan, &world);
        let r = o.first();

        // The calendar: every `cadence` weeks from the opening, and the
        // deadline session in the last week before expiry.
        let opening = -(lead as i32);
        let mut weeks: Vec<i32> = (0..)
            .map(|k| opening + k * cadence as i32)
            .take_while(|&w| w < -1)
            .collect();
        weeks.push(-1);
        let expected = alternating_offers(
            &weeks,
            &Tactic {
                start: opening_offer,
                limit: reservation,
                exponent: payer_e,
            },
            &Tactic {
                start: ask,
                limit: walk,
                exponent: provider_e,
            },
        );
        match expected {
            Ok((week, price)) => {
                deals += 1;
                assert!(
                    r.deal_before_expiry,
                    "case {case}: no deal, expected {week}"
                );
                assert_eq!(r.deal_week, Some(week), "case {case}");
                assert_eq!(r.uplift, price, "case {case}");
            }
            Err(last_offer) => {
                assert!(!r.deal_before_expiry, "case {case}: unexpected deal {r:?}");
                // At expiry the provider takes the last offer (old terms at
                // 0 % never beat it unless the offer is negative).
                if last_offer >= 0.0 {
                    assert_eq!(r.uplift, last_offer, "case {case}");
                }
            }
        }
    }
    assert!(
        deals > 500 && deals < 2900,
        "both endings are exercised: {deals}"
    );
}
