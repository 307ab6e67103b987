//! The runner, one for every kind of case: jobs (fixture cases, generated properties) run
//! through one executor ([`execute`]) and one scheduler ([`schedule`]) with one cancellation
//! path; every outcome becomes an event for every reporter; the run's resources are deleted at
//! the end, also when the run fails or is interrupted (SIGINT/SIGTERM).
//!
//! Before any case starts, a preflight provisions what every case needs (a pool, a user, a
//! sign-in). A target that cannot do that is reported once, with the likely cause, and the run
//! ends with every case `error` and no request wasted on judging or shrinking.

pub mod context;
pub mod echo;
pub mod events;
pub mod execute;
pub mod job;
mod schedule;
pub mod setup;
mod signal;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

pub use context::{ConnectError, Connected, RunContext, TargetSpec, connect};
pub use events::{
    CaseOutcome, Event, Finding, FindingKind, GeneratedInfo, ObservedSummary, ReportError,
    Reporter, RunSummary, TargetInfo,
};
#[cfg(test)]
pub use execute::run_one;
pub use execute::{ExecOptions, Execution, Runner};
pub use job::{Job, JobFuture, Progress, case_jobs};
pub use setup::PreflightError;
pub use signal::shutdown as shutdown_signal;

use schedule::Update;

/// Re-judges an outcome before it is reported (a target's baseline of known gaps).
pub trait Judge: Send + Sync + std::fmt::Debug {
    /// Adjust the verdict and reason of `outcome`; `strict`: non-strict results count as gaps.
    fn judge(&self, outcome: &mut CaseOutcome, strict: bool);
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Jobs in flight at once.
    pub concurrency: usize,
    /// Non-strict counts as a gap.
    pub strict: bool,
    /// Longest a single case may take, set-up and read-back included.
    pub case_timeout: Duration,
    /// Re-judges each outcome (the target's baseline).
    pub judge: Option<Arc<dyn Judge>>,
    /// The baseline's entries that name no case of the catalogue, for the summary
    /// ([`RunSummary::stale_baseline`]).
    pub stale_baseline: Vec<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 4,
            strict: false,
            case_timeout: Duration::from_secs(60),
            judge: None,
            stale_baseline: Vec::new(),
        }
    }
}

/// The run could not complete.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// A reporter failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The target could not provision what every case needs.
    #[error("the run could not set up on {target}")]
    Preflight {
        /// The target's name.
        target: String,
        /// What failed.
        #[source]
        source: PreflightError,
    },
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Totals.
    pub summary: RunSummary,
    /// Every outcome, in completion order.
    pub outcomes: Vec<CaseOutcome>,
}

/// Run `jobs` and stream events to `reporters`. Cleanup has happened by the time it returns,
/// whatever happened before.
pub async fn run(
    jobs: Vec<Arc<dyn Job>>,
    ctx: Arc<RunContext>,
    opts: &RunOptions,
    reporters: &mut [Box<dyn Reporter>],
) -> Result<RunResult, RunError> {
    let start = Instant::now();
    emit(
        reporters,
        &Event::Started {
            target: ctx.target.clone(),
            total: jobs.len(),
            planned: jobs.iter().map(|j| j.planned()).sum(),
            run_prefix: ctx.provisioner.prefix().to_string(),
            started_at: now_rfc3339(),
        },
    )?;
    let mut out = Collector {
        summary: RunSummary {
            strict: opts.strict,
            stale_baseline: opts.stale_baseline.clone(),
            ..Default::default()
        },
        outcomes: Vec::new(),
        report_error: None,
        opts,
    };
    let cancel = CancellationToken::new();
    let preflight = if jobs.is_empty() {
        Ok(())
    } else {
        tokio::select! {
            r = setup::preflight(&ctx) => r,
            _ = signal::shutdown() => {
                cancel.cancel();
                Ok(())
            }
        }
    };
    let mut failure = None;
    let mut interrupted = cancel.is_cancelled();
    if interrupted {
        out.summary.not_run = jobs.len();
    } else if let Err(e) = preflight {
        tracing::debug!(error = %e, "preflight failed; no case can run");
        for job in &jobs {
            let mut o = job.header();
            o.reason = Some(format!("not run: the run's set-up failed ({e})"));
            out.finished(o, reporters);
        }
        failure = Some(e);
    } else {
        let runner = Arc::new(Runner::new(ctx.clone(), cancel, opts.case_timeout));
        let done = schedule::schedule(jobs, runner.clone(), opts.concurrency, &mut |u| match u {
            Update::Finished(o) => out.finished(*o, reporters),
            Update::Progress(cases) => out.emit(reporters, &Event::Progress { cases }),
        })
        .await;
        interrupted = done.interrupted;
        out.summary.not_run = done.not_run;
        for (operation, (answer, cases)) in runner.missing_operations() {
            out.summary.findings.push(Finding {
                kind: FindingKind::MissingOperation,
                subject: operation,
                detail: answer,
                cases,
            });
        }
        for ((operation, secret), echoed) in runner.echoed_secrets() {
            out.summary.findings.push(Finding {
                kind: FindingKind::SecretEcho,
                subject: operation,
                detail: format!(
                    "the [{secret}] the request carried came back in {}",
                    echo::places_shown(&echoed.places)
                ),
                cases: echoed.cases,
            });
        }
    }
    let Collector {
        mut summary,
        outcomes,
        report_error,
        ..
    } = out;
    for f in summary.findings.clone() {
        emit(reporters, &Event::Finding(f))?;
    }
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
    if let Some(e) = report_error {
        return Err(e.into());
    }
    if let Some(source) = failure {
        return Err(RunError::Preflight {
            target: ctx.target.name.clone(),
            source,
        });
    }
    Ok(RunResult { summary, outcomes })
}

/// Outcomes as they come: judged by the baseline, counted, reported.
struct Collector<'a> {
    summary: RunSummary,
    outcomes: Vec<CaseOutcome>,
    report_error: Option<ReportError>,
    opts: &'a RunOptions,
}

impl Collector<'_> {
    fn finished(&mut self, mut o: CaseOutcome, reporters: &mut [Box<dyn Reporter>]) {
        if let Some(j) = &self.opts.judge {
            j.judge(&mut o, self.opts.strict);
        }
        // Harness errors (and baselines) quote the target's bytes: no raw control character
        // reaches a report.
        o.reason = o.reason.map(|r| crate::text::visible(&r));
        self.summary.add(&o);
        tracing::info!(case = %o.id, verdict = ?o.verdict, ms = o.duration_ms,
            reason = o.reason.as_deref(), "case finished");
        self.emit(reporters, &Event::CaseFinished(Box::new(o.clone())));
        self.outcomes.push(o);
    }

    fn emit(&mut self, reporters: &mut [Box<dyn Reporter>], e: &Event) {
        if let Err(err) = emit(reporters, e) {
            self.report_error.get_or_insert(err);
        }
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

/// Now, as RFC 3339 UTC to the second; `None` if the clock is before 1970 or beyond
/// what the format can say.
fn now_rfc3339() -> Option<String> {
    let now = aws_smithy_types::DateTime::from_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs()
            .try_into()
            .ok()?,
    );
    now.fmt(aws_smithy_types::date_time::Format::DateTime).ok()
}
