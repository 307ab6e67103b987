//! What the scheduler runs: a job produces one reported outcome. A fixture is a job of one
//! case; a generated property (`crate::property`) is a job that generates cases, runs each
//! through the same [`Runner`], and shrinks a failure.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::execute::{ExecOptions, Execution, Runner};
use crate::case::Case;
use crate::run::events::CaseOutcome;

/// A future a job returns.
pub type JobFuture = Pin<Box<dyn Future<Output = CaseOutcome> + Send>>;

/// Reports generated cases as they run, for progress.
pub type Progress = UnboundedSender<usize>;

/// One unit of work of a run.
pub trait Job: Send + Sync + 'static {
    /// The outcome as reported before anything ran: id, operation, group, title, requirement
    /// and evidence (verdict `error` until the job says otherwise).
    fn header(&self) -> CaseOutcome;

    /// The job changes target-wide state (the clock, injected faults): it runs alone.
    fn exclusive(&self) -> bool {
        false
    }

    /// Case executions it plans (shrinking not counted).
    fn planned(&self) -> usize {
        1
    }

    /// Run it.
    fn run(self: Arc<Self>, runner: Arc<Runner>, progress: Progress) -> JobFuture;
}

/// A case from a fixture file.
#[derive(Debug)]
pub struct CaseJob {
    case: Case,
}

impl CaseJob {
    /// A job of one case.
    pub fn new(case: Case) -> CaseJob {
        CaseJob { case }
    }
}

impl Job for CaseJob {
    fn header(&self) -> CaseOutcome {
        header(&self.case)
    }

    fn exclusive(&self) -> bool {
        self.case.changes_target()
    }

    fn run(self: Arc<Self>, runner: Arc<Runner>, _progress: Progress) -> JobFuture {
        Box::pin(async move {
            let span = tracing::info_span!("case", id = %self.case.id);
            let e = tracing::Instrument::instrument(
                runner.execute(
                    &self.case,
                    ExecOptions {
                        exchange: true,
                        ..ExecOptions::default()
                    },
                ),
                span,
            )
            .await;
            let reason = with_call(&self.case, &e);
            let mut o = outcome(self.header(), e);
            o.reason = reason;
            o
        })
    }
}

/// The reason of a fixture's outcome: for a case of several calls that did not pass, which call
/// the details describe (`call 2 of 3 (AdminUpdateUserAttributes, next[1])`) before the
/// execution's own reason.
pub fn with_call(case: &Case, e: &Execution) -> Option<String> {
    let (Some(i), true) = (e.step, case.steps.len() > 1) else {
        return e.reason.clone();
    };
    if !matches!(
        e.verdict,
        crate::check::Verdict::Fail
            | crate::check::Verdict::NonStrict
            | crate::check::Verdict::Error
    ) {
        return e.reason.clone();
    }
    let op = case.steps.get(i).map_or("", |s| s.when.operation.name());
    let place = if i == 0 {
        "when".to_string()
    } else {
        format!("next[{i}]")
    };
    let call = format!("call {} of {} ({op}, `{place}`)", i + 1, case.steps.len());
    Some(match &e.reason {
        Some(r) => format!("{call}: {r}"),
        None => call,
    })
}

/// Jobs of fixture cases.
pub fn case_jobs(cases: Vec<Case>) -> Vec<Arc<dyn Job>> {
    cases
        .into_iter()
        .map(|c| Arc::new(CaseJob::new(c)) as Arc<dyn Job>)
        .collect()
}

/// The title of the first of `ids` in the registry.
pub fn requirement_title(ids: &[String]) -> String {
    ids.first()
        .and_then(|id| crate::contract::Registry::get().requirement(id))
        .map(|r| r.title.clone())
        .unwrap_or_default()
}

/// The outcome skeleton of a case.
pub fn header(case: &Case) -> CaseOutcome {
    let (evidence_level, evidence_source) = case.evidence();
    CaseOutcome {
        id: case.id.clone(),
        operation: case.operation().name().to_string(),
        group: case.group().to_string(),
        title: case.title.clone(),
        requirements: case.requirements.clone(),
        requirement: requirement_title(&case.requirements),
        evidence_level,
        evidence_source,
        verdict: crate::check::Verdict::Error,
        mismatches: vec![],
        reason: None,
        reproduction: None,
        observed: None,
        duration_ms: 0,
        generated: None,
        exchange: None,
    }
}

/// An outcome: the header filled in from an execution.
pub fn outcome(mut o: CaseOutcome, e: Execution) -> CaseOutcome {
    o.verdict = e.verdict;
    o.reason = e.reason;
    o.mismatches = e.mismatches;
    o.observed = e.observed;
    o.reproduction = e.reproduction;
    o.exchange = e.exchange;
    o.duration_ms = e.duration.as_millis() as u64;
    o
}
