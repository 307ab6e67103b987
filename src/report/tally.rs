//! Counting verdicts the same way in every reporter: the closing count line, the
//! per-operation table, and the one-line verdict of a run.
//!
//! The closing line counts each verdict on its own, in the words of the table's columns
//! (`16 passed, 2 non-strict, 188 known gaps, 0 failed, 3 skipped, 0 errors`), so it adds up
//! to the table's total row and nothing is hidden inside "passed": whether non-strict and
//! known gaps fail the run is the verdict line's business (above it).

use crate::check::Verdict;

use super::labels::count;
use crate::run::events::RunSummary;

/// Cases per verdict, for the closing line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// pass.
    pub passed: usize,
    /// non-strict.
    pub non_strict: usize,
    /// known-gap.
    pub known_gaps: usize,
    /// fail.
    pub failed: usize,
    /// skip.
    pub skipped: usize,
    /// error.
    pub errors: usize,
    /// interrupted (shown only when there are some).
    pub interrupted: usize,
}

impl Tally {
    /// Tally a summary.
    pub fn of(summary: &RunSummary) -> Tally {
        Tally {
            passed: summary.count(Verdict::Pass),
            non_strict: summary.count(Verdict::NonStrict),
            known_gaps: summary.count(Verdict::KnownGap),
            failed: summary.count(Verdict::Fail),
            skipped: summary.count(Verdict::Skip),
            errors: summary.count(Verdict::Error),
            interrupted: summary.count(Verdict::Interrupted),
        }
    }

    /// `16 passed, 2 non-strict, 188 known gaps, 0 failed, 3 skipped, 0 errors`: the
    /// closing line (CI tooling reads it).
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} passed, {} non-strict, {}, {} failed, {} skipped, {}",
            self.passed,
            self.non_strict,
            count(self.known_gaps, "known gap", "known gaps"),
            self.failed,
            self.skipped,
            count(self.errors, "error", "errors"),
        );
        if self.interrupted > 0 {
            line.push_str(&format!(", {} interrupted", self.interrupted));
        }
        line
    }
}

/// The run's verdict in one phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overall {
    /// Every executed case holds the contract (and strict detail under strict).
    Conformant {
        /// Known gaps (failures the baseline accepts).
        known_gaps: usize,
        /// Non-strict differences tolerated because the run is not strict.
        non_strict: usize,
    },
    /// Some cases break the contract.
    Gaps {
        /// fail (+ non-strict under strict).
        gaps: usize,
        /// Cases the harness could not run: the verdict may be incomplete.
        errors: usize,
    },
    /// Nothing can be said about conformance.
    CouldNotRun {
        /// Why (`no case ran`, `2 cases errored`...).
        reason: String,
    },
}

impl Overall {
    /// The verdict of a finished run. `selected` is the number of cases the run meant to run.
    pub fn of(summary: &RunSummary, strict: bool, selected: Option<usize>) -> Overall {
        let finished: usize = summary.counts.values().sum();
        let gaps: usize = summary
            .counts
            .iter()
            .filter(|(v, _)| v.is_gap(strict))
            .map(|(_, n)| n)
            .sum();
        let errors = summary.count(Verdict::Error);
        if finished == 0 {
            let reason = if summary.interrupted {
                "no case ran: interrupted before the first case"
            } else {
                "no case ran"
            };
            return Overall::CouldNotRun {
                reason: reason.to_string(),
            };
        }
        if gaps > 0 {
            return Overall::Gaps { gaps, errors };
        }
        if errors > 0 {
            return Overall::CouldNotRun {
                reason: format!("{} errored", count(errors, "case", "cases")),
            };
        }
        if summary.interrupted {
            let of = selected.map(|n| format!(" of {n}")).unwrap_or_default();
            return Overall::CouldNotRun {
                reason: format!("interrupted after {finished}{of} cases"),
            };
        }
        if summary.executed() == 0 {
            return Overall::CouldNotRun {
                reason: "every case was skipped".to_string(),
            };
        }
        let non_strict = if strict {
            0
        } else {
            summary.count(Verdict::NonStrict)
        };
        Overall::Conformant {
            known_gaps: summary.count(Verdict::KnownGap),
            non_strict,
        }
    }

    /// `conformant`, `not conformant: 2 gaps`, `could not run: no case ran`.
    pub fn line(&self) -> String {
        match self {
            Overall::Conformant {
                known_gaps,
                non_strict,
            } => {
                let mut notes = Vec::new();
                if *known_gaps > 0 {
                    notes.push(count(*known_gaps, "known gap", "known gaps"));
                }
                if *non_strict > 0 {
                    notes.push(count(
                        *non_strict,
                        "non-strict difference",
                        "non-strict differences",
                    ));
                }
                // With known gaps the target is not conformant; it only matches its baseline.
                let head = if *known_gaps > 0 {
                    "no new gaps"
                } else {
                    "conformant"
                };
                if notes.is_empty() {
                    head.to_string()
                } else {
                    format!("{head} ({})", notes.join(", "))
                }
            }
            Overall::Gaps { gaps, errors } => {
                let mut line = format!("not conformant: {}", count(*gaps, "gap", "gaps"));
                if *errors > 0 {
                    line.push_str(&format!(
                        " ({} could not run)",
                        count(*errors, "case", "cases")
                    ));
                }
                line
            }
            Overall::CouldNotRun { reason } => format!("could not run: {reason}"),
        }
    }
}

/// One row of the per-operation table: counts in [`Verdict::ALL`] order.
pub type Row = (String, [usize; Verdict::COUNT]);

/// Rows per operation (sorted by name) and the totals row.
pub fn operation_rows(summary: &RunSummary) -> (Vec<Row>, [usize; Verdict::COUNT]) {
    let mut total = [0; Verdict::COUNT];
    let rows = summary
        .per_operation
        .iter()
        .map(|(op, counts)| {
            let mut row = [0; Verdict::COUNT];
            for (i, v) in Verdict::ALL.iter().enumerate() {
                row[i] = counts.get(v).copied().unwrap_or(0);
                total[i] += row[i];
            }
            (op.clone(), row)
        })
        .collect();
    (rows, total)
}

/// `1.23 s`, `850 ms`.
pub fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{}.{:02} s", ms / 1000, (ms % 1000) / 10)
    }
}
