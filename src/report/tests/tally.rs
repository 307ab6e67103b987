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
fn tally_counts_known_gaps_as_passed_and_errors_as_failed() {
    assert_eq!(
        Tally::of(&summary(false), false),
        Tally {
            passed: 4,
            failed: 4,
            skipped: 1
        }
    );
}

#[test]
fn tally_counts_non_strict_as_failed_under_strict() {
    assert_eq!(
        Tally::of(&summary(true), true),
        Tally {
            passed: 3,
            failed: 5,
            skipped: 1
        }
    );
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
