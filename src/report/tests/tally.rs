//! What counts as passed, failed and skipped, and the run's verdict.

use super::sample;
use crate::check::Verdict;
use crate::report::tally::{Overall, Tally};
use crate::run::events::{Event, RunSummary};

fn summary(strict: bool) -> RunSummary {
    match sample::events(strict).pop() {
        Some(Event::Completed(s)) => s,
        _ => RunSummary::default(),
    }
}

#[test]
fn tally_counts_each_verdict_on_its_own_strict_or_not() {
    let expected = Tally {
        passed: 2,
        non_strict: 1,
        known_gaps: 1,
        failed: 3,
        skipped: 1,
        errors: 1,
        interrupted: 0,
    };
    assert_eq!(Tally::of(&summary(false)), expected);
    // Strictness decides whether non-strict fails the run (the verdict line), not the counts.
    assert_eq!(Tally::of(&summary(true)), expected);
    assert_eq!(
        expected.line(),
        "2 passed, 1 non-strict, 1 known gap, 3 failed, 1 skipped, 1 error"
    );
    let interrupted = Tally {
        interrupted: 2,
        ..expected
    };
    assert!(interrupted.line().ends_with(", 1 error, 2 interrupted"));
}

#[test]
fn overall_names_gaps_and_errors() {
    assert_eq!(
        Overall::of(&summary(false), false, Some(9)).line(),
        "not conformant: 3 gaps (1 case could not run)"
    );
    assert_eq!(
        Overall::of(&summary(true), true, Some(9)).line(),
        "not conformant: 4 gaps (1 case could not run)"
    );
}

#[test]
fn overall_of_clean_and_empty_runs() {
    let mut s = RunSummary::default();
    assert_eq!(
        Overall::of(&s, false, Some(0)).line(),
        "could not run: no case ran"
    );
    s.counts.insert(Verdict::Skip, 2);
    assert_eq!(
        Overall::of(&s, false, Some(2)).line(),
        "could not run: every case was skipped"
    );
    s.counts.insert(Verdict::Pass, 3);
    s.counts.insert(Verdict::NonStrict, 1);
    assert_eq!(
        Overall::of(&s, false, Some(6)).line(),
        "conformant (1 non-strict difference)"
    );
    assert_eq!(
        Overall::of(&s, true, Some(6)).line(),
        "not conformant: 1 gap"
    );
    s.counts.insert(Verdict::Error, 2);
    s.counts.remove(&Verdict::NonStrict);
    assert_eq!(
        Overall::of(&s, false, Some(7)).line(),
        "could not run: 2 cases errored"
    );
    s.counts.remove(&Verdict::Error);
    s.interrupted = true;
    assert_eq!(
        Overall::of(&s, false, Some(9)).line(),
        "could not run: interrupted after 5 of 9 cases"
    );
}
