use impasse::engine::Simulation;
use impasse::model::{play_observed, trace::Timeline};
use impasse::scenario::Scenario;
#[test]
fn dump() {
    let s = Scenario::builtin();
    let sim = Simulation::new(&s);
    for i in 0..6 {
        let w = sim.world(1, i);
        for (k, p) in sim.plans.iter().enumerate() {
            let mut t = Timeline::default();
            play_observed(&sim.terms, p, &w, &mut t);
            let m: Vec<_> = t
                .meetings
                .iter()
                .map(|m| {
                    (
                        m.week,
                        (m.payer_offer * 1000.0).round() / 10.0,
                        (m.provider_ask * 1000.0).round() / 10.0,
                    )
                })
                .collect();
            println!(
                "{i} {} oon={} roll={} up={:?}\n  {:?}\n  {:?}",
                s.strategies[k].name,
                t.oon_weeks,
                t.rollover_weeks,
                t.uplift,
                m,
                t.events
                    .iter()
                    .map(|e| (e.week, e.kind.clone(), e.detail.clone()))
                    .collect::<Vec<_>>()
            );
        }
    }
}
