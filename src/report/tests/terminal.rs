//! The terminal reporter's exact output, colour and progress off.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::{assert_golden, sample};
use crate::report::terminal::{TerminalOptions, TerminalReporter};
use crate::run::events::{Event, Reporter};

/// A writer the test can read back after the reporter is done with it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) fn render(events: &[Event], verbose: bool, strict: bool) -> String {
    let buf = Shared::default();
    let opts = TerminalOptions {
        color: false,
        progress: false,
        verbose,
        strict,
    };
    let mut reporter = TerminalReporter::new(Box::new(buf.clone()), opts);
    for e in events {
        reporter.event(e).expect("terminal reporter");
    }
    let bytes = buf.0.lock().expect("buffer").clone();
    String::from_utf8(bytes).expect("utf-8")
}

#[test]
fn terminal_output_matches_golden() {
    assert_golden(
        "terminal.txt",
        &render(&sample::events(false), false, false),
    );
}

#[test]
fn terminal_verbose_strict_output_matches_golden() {
    assert_golden(
        "terminal-verbose-strict.txt",
        &render(&sample::events(true), true, true),
    );
}

#[test]
fn empty_run_says_no_case_ran() {
    let out = render(&sample::empty_events(), false, false);
    assert_golden("terminal-empty.txt", &out);
    assert!(out.lines().any(|l| l.contains("no case ran")), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("0 passed, 0 non-strict, 0 known gaps, 0 failed, 0 skipped, 0 errors")
    );
}

#[test]
fn last_line_is_the_ci_summary() {
    let out = render(&sample::events(false), false, false);
    assert_eq!(
        out.lines().last(),
        Some("2 passed, 1 non-strict, 1 known gap, 3 failed, 1 skipped, 1 error")
    );
    let strict = render(&sample::events(true), false, true);
    assert_eq!(
        strict.lines().last(),
        Some("2 passed, 1 non-strict, 1 known gap, 3 failed, 1 skipped, 1 error")
    );
}

#[test]
fn passes_get_no_status_line_unless_verbose() {
    let quiet = render(&sample::events(false), false, false);
    assert!(!quiet.contains("PASS "), "{quiet}");
    let verbose = render(&sample::events(false), true, false);
    assert!(
        verbose.contains("PASS       DeleteUser/token/valid-token"),
        "{verbose}"
    );
}

#[test]
fn colour_is_written_only_when_asked() {
    let events = sample::events(false);
    assert!(!render(&events, false, false).contains('\u{1b}'));
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return;
    }
    let buf = Shared::default();
    let opts = TerminalOptions {
        color: true,
        progress: false,
        verbose: false,
        strict: false,
    };
    let mut reporter = TerminalReporter::new(Box::new(buf.clone()), opts);
    for e in &events {
        reporter.event(e).expect("terminal reporter");
    }
    let out = String::from_utf8(buf.0.lock().expect("buffer").clone()).expect("utf-8");
    assert!(out.contains("\u{1b}["), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("2 passed, 1 non-strict, 1 known gap, 3 failed, 1 skipped, 1 error"),
        "the CI line is never coloured"
    );
}

/// A case without a golden snapshot is named (with how to record one), not counted among the
/// non-strict differences: nothing was recorded for it to differ from.
#[test]
fn cases_without_a_golden_are_named_not_counted_as_differences() {
    use crate::check::{Mismatch, Verdict};
    let missing = |id: &str| {
        Mismatch::strict(
            "snapshot",
            format!("a golden snapshot at snapshots/{id}.snap"),
            crate::snapshot::MISSING_GOLDEN,
        )
    };
    let mut events = sample::events(false);
    for e in &mut events {
        if let Event::CaseFinished(o) = e
            && o.verdict == Verdict::NonStrict
        {
            o.mismatches = vec![missing(&o.id)];
        }
    }
    let out = render(&events, false, false);
    assert!(
        out.contains("no golden 1 case without a golden snapshot (DeleteUser/validation/missing-token); `cognito-conformance record --filter ID` records one"),
        "{out}"
    );
    assert!(
        !out.contains("strict detail"),
        "no difference is counted: {out}"
    );
    // With a message difference too, the case is both named and counted.
    for e in &mut events {
        if let Event::CaseFinished(o) = e
            && o.verdict == Verdict::NonStrict
        {
            o.mismatches.push(Mismatch::strict("message", "a", "b"));
        }
    }
    let out = render(&events, false, false);
    assert!(out.contains("no golden 1 case"), "{out}");
    assert!(
        out.contains("non-strict 1 case: the contract holds"),
        "{out}"
    );
}
