//! `report --merge`: the JSON reports of one target's partial runs (`run --partition K/N` on N
//! machines) joined into the report of one run, and replayed as the event stream that run
//! would have produced, so the terminal summary, JUnit, Markdown, the baseline check and the
//! matrix see what they would have seen on one machine.
//!
//! Joined: the cases (each id at most once: pieces of one partition never overlap), the
//! selected counts and the clean-up totals added up, findings about the same operation
//! merged, the stale baseline entries each piece found joined, the longest wall time kept
//! (the pieces ran side by side), interrupted if any piece was. Refused: reports of different targets (by name) or of different strictness, and a
//! case in two reports (those are not pieces of one partition).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::json::JsonReport;
use crate::run::events::{Event, Finding, ReportError, Reporter, RunSummary};

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no report to merge")]
    Empty,
    /// Two targets.
    #[error(
        "{first} is a report of `{first_target}` and {other} of `{other_target}`: merge the pieces of one target's run (the matrix puts targets side by side)"
    )]
    Targets {
        /// The first report.
        first: PathBuf,
        /// Its target.
        first_target: String,
        /// The report that differs.
        other: PathBuf,
        /// Its target.
        other_target: String,
    },
    /// Strict and not strict.
    #[error("{first} and {other} differ in --strict: merge pieces of one run")]
    Strictness {
        /// The first report.
        first: PathBuf,
        /// The report that differs.
        other: PathBuf,
    },
    /// One case twice.
    #[error(
        "case {id} is in both {first} and {other}: the reports overlap (they are not pieces of one --partition)"
    )]
    Overlap {
        /// The case.
        id: String,
        /// The report it was first in.
        first: PathBuf,
        /// The other.
        other: PathBuf,
    },
}

/// Join the reports `(path, report)` of one target's partial runs.
pub fn merge(reports: Vec<(PathBuf, JsonReport)>) -> Result<JsonReport, MergeError> {
    let mut reports = reports.into_iter();
    let (first_path, mut merged) = reports.next().ok_or(MergeError::Empty)?;
    let mut seen: BTreeMap<String, PathBuf> = merged
        .cases
        .iter()
        .map(|c| (c.id.clone(), first_path.clone()))
        .collect();
    for (path, r) in reports {
        if r.target.name != merged.target.name {
            return Err(MergeError::Targets {
                first: first_path,
                first_target: merged.target.name,
                other: path,
                other_target: r.target.name,
            });
        }
        if r.summary.strict != merged.summary.strict {
            return Err(MergeError::Strictness {
                first: first_path,
                other: path,
            });
        }
        for c in &r.cases {
            if let Some(first) = seen.insert(c.id.clone(), path.clone()) {
                return Err(MergeError::Overlap {
                    id: c.id.clone(),
                    first,
                    other: path,
                });
            }
        }
        merged.selected += r.selected;
        merged.cases.extend(r.cases);
        let (s, o) = (&mut merged.summary, r.summary);
        s.elapsed_ms = s.elapsed_ms.max(o.elapsed_ms);
        s.interrupted |= o.interrupted;
        s.pools_deleted += o.pools_deleted;
        s.pools_left.extend(o.pools_left);
        s.not_run += o.not_run;
        for f in o.findings {
            add_finding(&mut s.findings, f);
        }
        // Each piece checked the same baseline against the same catalogue.
        s.stale_baseline.extend(o.stale_baseline);
        s.stale_baseline.sort();
        s.stale_baseline.dedup();
        merged.started_at = match (merged.started_at.take(), r.started_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    merged.cases.sort_by(|a, b| a.id.cmp(&b.id));
    recount(&mut merged);
    Ok(merged)
}

/// Recompute the verdict counts from the cases (after merging, or after a baseline re-judged
/// them).
pub fn recount(report: &mut JsonReport) {
    let s = &mut report.summary;
    s.counts.clear();
    s.per_operation.clear();
    for c in &report.cases {
        s.add(c);
    }
}

fn add_finding(findings: &mut Vec<Finding>, f: Finding) {
    match findings
        .iter_mut()
        .find(|g| g.kind == f.kind && g.subject == f.subject)
    {
        Some(g) => {
            g.cases.extend(f.cases);
            g.cases.sort();
            g.cases.dedup();
        }
        None => findings.push(f),
    }
}

/// Feed `report` to `reporters` as the events of the run it describes.
pub fn replay(report: &JsonReport, reporters: &mut [Box<dyn Reporter>]) -> Result<(), ReportError> {
    let summary: RunSummary = report.summary.clone();
    let mut events = vec![Event::Started {
        target: report.target.clone(),
        total: report.selected,
        planned: report.selected,
        run_prefix: report.run_prefix.clone(),
        started_at: report.started_at.clone(),
    }];
    events.extend(
        report
            .cases
            .iter()
            .map(|c| Event::CaseFinished(Box::new(c.clone()))),
    );
    events.extend(summary.findings.iter().cloned().map(Event::Finding));
    events.push(Event::Completed(summary));
    for e in &events {
        for r in reporters.iter_mut() {
            r.event(e)?;
        }
    }
    Ok(())
}
