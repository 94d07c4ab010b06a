//! The correlation engine against the demo generator's planted ground truth: every planted
//! regression found exactly once with the planted status, scope and crash signature, nothing
//! else reported, and every flaky test, flaky board, lab outage and always-failing test listed
//! where it belongs. `regtrack accuracy` prints the same scores for more seeds and sizes.

use regtrack::demo::DemoConfig;
use regtrack::tools::accuracy;

#[test]
fn planted_situations_are_reproduced_exactly() {
    let scratch = crate::support::scratch("accuracy");
    for (seed, days) in [(1, 14), (2, 14), (3, 21)] {
        let cfg = DemoConfig {
            seed,
            days,
            ..Default::default()
        };
        let s = accuracy::run(&cfg, &scratch).unwrap();
        let ctx = format!("seed {seed}, {days} days: {s}\n{:#?}", s.problems);
        assert_eq!(s.planted, 5, "{ctx}");
        assert_eq!(s.found, s.planted, "{ctx}");
        assert_eq!((s.splits, s.merges, s.missed), (0, 0, 0), "{ctx}");
        assert_eq!(s.false_positives, 0, "{ctx}");
        assert_eq!(s.status_right, s.planted, "{ctx}");
        assert_eq!(s.scope_right, s.planted, "{ctx}");
        assert_eq!(s.signature_right, s.planted, "{ctx}");
        assert_eq!(s.health_listed, s.health_planted, "{ctx}");
        assert!(s.health_planted >= 4, "{ctx}");
    }
}

#[test]
fn the_score_notices_mistakes() {
    // A report with nothing in it scores zero recall; one that reports a flaky test is blamed.
    let cfg = DemoConfig::default();
    let demo = regtrack::demo::generate(&cfg);
    let empty = regtrack::report::Report::default();
    let s = accuracy::score(&empty, &demo.truth);
    assert_eq!((s.found, s.missed), (0, 5));
    assert_eq!(s.recall(), 0.0);
    assert!(s.health_listed < s.health_planted);
}
