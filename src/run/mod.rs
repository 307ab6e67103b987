//! The runner: cases run concurrently (those that change target-wide state run alone, at the
//! end), then the generated properties (`crate::property`); every outcome becomes an event for
//! every reporter, and the run's resources are deleted at the end, also when the run fails or
//! is interrupted (SIGINT/SIGTERM).

pub mod execute;
pub mod setup;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::case::Case;
use crate::check::Verdict;
use crate::report::{CaseOutcome, Event, ReportError, Reporter, RunSummary, TargetInfo};
use crate::secrets::Redactor;
use crate::target::Provisioner;
use crate::vocab::Capability;

/// Shared state of a run.
#[derive(Debug)]
pub struct RunContext {
    /// Creates and tracks resources.
    pub provisioner: Provisioner,
    /// What the target can do.
    pub capabilities: BTreeSet<Capability>,
    /// Run-level secrets (password, AWS keys).
    pub redactor: Redactor,
    /// The target, for reports.
    pub target: TargetInfo,
    /// Golden snapshots to compare each exchange with (strict tier); empty: none.
    pub goldens: crate::snapshot::Goldens,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Cases in flight at once.
    pub concurrency: usize,
    /// Non-strict counts as a gap.
    pub strict: bool,
    /// Longest a single case may take, set-up and read-back included.
    pub case_timeout: Duration,
    /// Known gaps of the target.
    pub baseline: Option<Arc<crate::baseline::Baseline>>,
    /// Generated cases (properties) to run after the fixtures.
    pub generated: Option<Arc<crate::property::Plan>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 4,
            strict: false,
            case_timeout: Duration::from_secs(60),
            baseline: None,
            generated: None,
        }
    }
}

/// The run could not report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// A reporter failed.
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Totals.
    pub summary: RunSummary,
    /// Every outcome, in completion order.
    pub outcomes: Vec<CaseOutcome>,
}

/// Run `cases` and stream events to `reporters`. Cleanup has happened by the time it
/// returns, whatever happened before.
pub async fn run(
    cases: Vec<Case>,
    ctx: Arc<RunContext>,
    opts: &RunOptions,
    reporters: &mut [Box<dyn Reporter>],
) -> Result<RunResult, RunError> {
    let start = Instant::now();
    let properties = opts.generated.as_ref().map_or(0, |g| g.properties.len());
    let started = Event::Started {
        target: ctx.target.clone(),
        total: cases.len() + properties,
        run_prefix: ctx.provisioner.prefix().to_string(),
    };
    emit(reporters, &started)?;
    let mut summary = RunSummary {
        strict: opts.strict,
        ..Default::default()
    };
    let (exclusive, shared): (Vec<_>, Vec<_>) = cases
        .into_iter()
        .enumerate()
        .partition(|(_, c)| setup::is_exclusive(c));
    let mut report_error = None;
    let mut outcomes = Vec::new();
    let interrupted = {
        let mut on_outcome = |mut o: CaseOutcome| {
            if let Some(b) = &opts.baseline {
                b.apply(&mut o, opts.strict);
            }
            // Harness errors (and baselines) quote the target's bytes: no raw control character reaches a report.
            o.reason = o.reason.map(|r| crate::text::visible(&r));
            summary.add(&o);
            tracing::info!(case = %o.id, verdict = ?o.verdict, ms = o.duration_ms,
                reason = o.reason.as_deref(), "case finished");
            outcomes.push(o.clone());
            if let Err(e) = emit(reporters, &Event::CaseFinished(Box::new(o))) {
                report_error.get_or_insert(e);
            }
        };
        let mut interrupted = run_batch(
            shared,
            &ctx,
            opts.concurrency.max(1),
            opts.case_timeout,
            &mut on_outcome,
        )
        .await;
        if !interrupted {
            interrupted = run_batch(exclusive, &ctx, 1, opts.case_timeout, &mut on_outcome).await;
        }
        if let (false, Some(plan)) = (interrupted, &opts.generated) {
            interrupted = crate::property::run_all(
                ctx.clone(),
                plan,
                opts.concurrency.max(1),
                &mut on_outcome,
            )
            .await;
        }
        interrupted
    };
    if interrupted {
        tracing::warn!("interrupted: no further case starts; cleaning up");
    }
    let failures = ctx.provisioner.cleanup().await;
    summary.interrupted = interrupted;
    summary.pools_left = failures
        .iter()
        .map(|(id, e)| format!("{id}: {}", ctx.redactor.redact(&e.to_string())))
        .collect();
    summary.pools_deleted = ctx.provisioner.pools_deleted();
    summary.elapsed_ms = start.elapsed().as_millis() as u64;
    emit(reporters, &Event::Completed(summary.clone()))?;
    match report_error {
        Some(e) => Err(e.into()),
        None => Ok(RunResult { summary, outcomes }),
    }
}

/// Run a batch; returns true when interrupted by a signal.
///
/// On the first SIGINT/SIGTERM no further case starts, and the cases in flight finish (each
/// bounded by the case timeout) so that every resource they create is known to the cleanup;
/// a second signal aborts them.
async fn run_batch(
    cases: Vec<(usize, Case)>,
    ctx: &Arc<RunContext>,
    concurrency: usize,
    case_timeout: Duration,
    on_outcome: &mut impl FnMut(CaseOutcome),
) -> bool {
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut set = JoinSet::new();
    for (index, case) in cases {
        let ctx = ctx.clone();
        let permits = permits.clone();
        set.spawn(async move {
            // A closed semaphore means the run was interrupted: this case never starts.
            let _permit = permits.acquire_owned().await.ok()?;
            // Every log line of the case carries its id.
            let span = tracing::info_span!("case", id = %case.id);
            let run = async {
                tracing::debug!("case started");
                execute::execute(&ctx, &case, index).await
            };
            Some(
                match tokio::time::timeout(case_timeout, run.instrument(span)).await {
                    Ok(o) => o,
                    Err(_) => timed_out(&case, case_timeout),
                },
            )
        });
    }
    let mut interrupted = false;
    let mut signal = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            next = set.join_next() => match next {
                None => return interrupted,
                Some(Ok(Some(outcome))) => on_outcome(outcome),
                Some(Ok(None)) => {}
                // A panicking case is a harness bug: report it, keep running the rest.
                Some(Err(e)) if e.is_panic() => on_outcome(panicked(&e.to_string())),
                Some(Err(_)) => {}
            },
            _ = &mut signal => {
                if interrupted {
                    set.abort_all();
                } else {
                    interrupted = true;
                    permits.close();
                    signal.set(shutdown_signal());
                }
            }
        }
    }
}

fn timed_out(case: &Case, limit: Duration) -> CaseOutcome {
    let mut o = execute::blank(case);
    o.verdict = Verdict::Error;
    o.reason = Some(format!(
        "the case did not finish within {limit:?} (set-up and read-back included)"
    ));
    o.duration_ms = limit.as_millis() as u64;
    o
}

fn panicked(what: &str) -> CaseOutcome {
    CaseOutcome {
        id: "<harness>".into(),
        operation: "<harness>".into(),
        group: String::new(),
        title: "harness task failed".into(),
        requirement: String::new(),
        evidence_level: crate::vocab::EvidenceLevel::Inferred,
        evidence_source: String::new(),
        verdict: Verdict::Error,
        mismatches: vec![],
        reason: Some(format!("a case task failed: {what}")),
        reproduction: None,
        observed: None,
        duration_ms: 0,
        exchange: None,
    }
}

fn emit(reporters: &mut [Box<dyn Reporter>], e: &Event) -> Result<(), ReportError> {
    let mut first = None;
    for r in reporters.iter_mut() {
        if let Err(err) = r.event(e) {
            first.get_or_insert(err);
        }
    }
    first.map_or(Ok(()), Err)
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
