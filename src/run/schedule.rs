//! The one scheduler: jobs run concurrently up to a limit, those that change target-wide state
//! alone at the end, and one cancellation path for all of them.
//!
//! On the first SIGINT/SIGTERM the run's token is cancelled: no job starts any more, and every
//! case in flight ends at once as `interrupted` (its resources belong to the run and are
//! deleted by the clean-up that follows). A second signal aborts the tasks outright.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::sync::mpsc::unbounded_channel;
use tokio::task::JoinSet;

use super::execute::Runner;
use super::job::Job;
use crate::check::Verdict;
use crate::run::events::CaseOutcome;

/// What scheduling produced besides the outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scheduled {
    /// A signal interrupted the run.
    pub interrupted: bool,
    /// Jobs that never started.
    pub not_run: usize,
}

/// Something the scheduler hands back as it goes.
#[derive(Debug)]
pub enum Update {
    /// A job finished.
    Finished(Box<CaseOutcome>),
    /// Generated cases ran.
    Progress(usize),
}

/// Run `jobs` through `runner`, `concurrency` at a time, calling `on_update` as they go.
pub async fn schedule(
    jobs: Vec<Arc<dyn Job>>,
    runner: Arc<Runner>,
    concurrency: usize,
    on_update: &mut impl FnMut(Update),
) -> Scheduled {
    let (exclusive, shared): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|j| j.exclusive());
    let mut signal = super::signal::shutdown();
    let mut done = Scheduled::default();
    for (batch, limit) in [(shared, concurrency.max(1)), (exclusive, 1)] {
        if done.interrupted {
            done.not_run += batch.len();
            continue;
        }
        let r = batch_run(batch, &runner, limit, &mut signal, on_update).await;
        done.interrupted |= r.interrupted;
        done.not_run += r.not_run;
    }
    done
}

async fn batch_run(
    jobs: Vec<Arc<dyn Job>>,
    runner: &Arc<Runner>,
    limit: usize,
    signal: &mut super::signal::Signal,
    on_update: &mut impl FnMut(Update),
) -> Scheduled {
    let permits = Arc::new(Semaphore::new(limit));
    let (progress, mut progress_rx) = unbounded_channel::<usize>();
    let mut set = JoinSet::new();
    let mut headers = HashMap::new();
    for job in jobs {
        let header = job.header();
        let (runner, permits, progress) = (runner.clone(), permits.clone(), progress.clone());
        let handle = set.spawn(async move {
            let _permit = permits.acquire_owned().await.ok()?;
            if runner.cancel.is_cancelled() {
                return None; // never started
            }
            Some(job.run(runner, progress).await)
        });
        headers.insert(handle.id(), header);
    }
    drop(progress);
    let mut out = Scheduled::default();
    loop {
        tokio::select! {
            next = set.join_next_with_id() => match next {
                None => break,
                Some(Ok((_, Some(outcome)))) => on_update(Update::Finished(Box::new(outcome))),
                Some(Ok((_, None))) => out.not_run += 1,
                // A panicking job is a harness bug: report it under its own id, keep going.
                Some(Err(e)) if e.is_panic() => {
                    let mut o = headers.remove(&e.id()).unwrap_or_else(unknown_header);
                    o.verdict = Verdict::Error;
                    o.reason = Some(format!("the harness failed running this case (a bug; please report it): {e}"));
                    on_update(Update::Finished(Box::new(o)));
                }
                Some(Err(e)) => {
                    let mut o = headers.remove(&e.id()).unwrap_or_else(unknown_header);
                    o.verdict = Verdict::Interrupted;
                    o.reason = Some("aborted by a second interrupt".into());
                    on_update(Update::Finished(Box::new(o)));
                }
            },
            Some(n) = progress_rx.recv() => on_update(Update::Progress(n)),
            _ = signal.as_mut() => {
                if out.interrupted {
                    set.abort_all();
                } else {
                    out.interrupted = true;
                    tracing::warn!("interrupted: stopping the cases in flight, then cleaning up");
                    runner.cancel.cancel();
                    permits.close();
                }
                *signal = super::signal::shutdown();
            }
        }
    }
    while let Ok(n) = progress_rx.try_recv() {
        on_update(Update::Progress(n));
    }
    out
}

fn unknown_header() -> CaseOutcome {
    CaseOutcome {
        id: "<harness>".into(),
        operation: "<harness>".into(),
        group: String::new(),
        title: "harness task failed".into(),
        requirements: vec![],
        requirement: String::new(),
        evidence_level: crate::vocab::EvidenceLevel::Inferred,
        evidence_source: String::new(),
        verdict: Verdict::Error,
        mismatches: vec![],
        reason: None,
        reproduction: None,
        observed: None,
        duration_ms: 0,
        generated: None,
        exchange: None,
    }
}
