//! What a reporter remembers of the event stream until `Completed`: the start of the run
//! and every outcome, so that file reports can be written whole, sorted and grouped.

use std::collections::BTreeMap;

use crate::run::events::{CaseOutcome, Event, ReportError, RunSummary, TargetInfo};

/// The `Started` event's content.
#[derive(Debug, Clone)]
pub(crate) struct RunStart {
    pub target: TargetInfo,
    pub total: usize,
    pub run_prefix: String,
    pub started_at: Option<String>,
}

/// Outcomes by operation, then contract group, each list sorted by case id.
pub(crate) type Grouped<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Vec<&'a CaseOutcome>>>;

/// The events seen so far.
#[derive(Debug, Default)]
pub(crate) struct RunLog {
    start: Option<RunStart>,
    cases: Vec<CaseOutcome>,
}

impl RunLog {
    /// Remember an event; returns the summary when the event is `Completed`.
    pub fn observe<'e>(&mut self, event: &'e Event) -> Option<&'e RunSummary> {
        match event {
            Event::Started {
                target,
                total,
                run_prefix,
                started_at,
                ..
            } => {
                self.start = Some(RunStart {
                    target: target.clone(),
                    total: *total,
                    run_prefix: run_prefix.clone(),
                    started_at: started_at.clone(),
                });
                None
            }
            Event::CaseFinished(outcome) => {
                self.cases.push(outcome.as_ref().clone());
                None
            }
            Event::Progress { .. } | Event::Finding(_) => None,
            Event::Completed(summary) => Some(summary),
        }
    }

    /// The start of the run, or an error naming the report that needed it.
    pub fn start(&self, format: &'static str) -> Result<&RunStart, ReportError> {
        self.start
            .as_ref()
            .ok_or(ReportError::NotStarted { format })
    }

    /// The start of the run if it was seen.
    pub fn start_seen(&self) -> Option<&RunStart> {
        self.start.as_ref()
    }

    /// Outcomes sorted by case id (finishing order depends on concurrency).
    pub fn sorted(&self) -> Vec<&CaseOutcome> {
        let mut cases: Vec<&CaseOutcome> = self.cases.iter().collect();
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        cases
    }

    /// Outcomes by operation and group.
    pub fn grouped(&self) -> Grouped<'_> {
        let mut grouped = Grouped::new();
        for case in self.sorted() {
            grouped
                .entry(case.operation.as_str())
                .or_default()
                .entry(case.group.as_str())
                .or_default()
                .push(case);
        }
        grouped
    }
}
