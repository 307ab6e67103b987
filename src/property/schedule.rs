//! Running the selected properties of a run: a few at once, each on a blocking thread (the
//! proptest runner is synchronous), every outcome handed to the run's event stream as it
//! finishes. SIGINT/SIGTERM stops every property at its next case.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Plan, Property, run_property};
use crate::check::Verdict;
use crate::report::CaseOutcome;
use crate::run::{RunContext, shutdown_signal};

/// Users of property `i` are numbered from `(i + 1) * INDEX_SPAN` (fixtures use `0..`), so
/// no two cases of a run share a username.
pub const INDEX_SPAN: usize = 1_000_000;

/// Run `plan` with up to `concurrency` properties at once; returns whether a signal
/// interrupted it.
pub async fn run_all(
    ctx: Arc<RunContext>,
    plan: &Plan,
    concurrency: usize,
    on_outcome: &mut impl FnMut(CaseOutcome),
) -> bool {
    let stop = Arc::new(AtomicBool::new(false));
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let settings = Arc::new(plan.settings.clone());
    let mut set = JoinSet::new();
    for (i, prop) in plan.properties.iter().cloned().enumerate() {
        let (ctx, stop, permits, settings) =
            (ctx.clone(), stop.clone(), permits.clone(), settings.clone());
        let handle = tokio::runtime::Handle::current();
        set.spawn(async move {
            let _permit = permits.acquire_owned().await.ok()?;
            let p = prop.clone();
            let outcome = tokio::task::spawn_blocking(move || {
                run_property(&ctx, &p, &settings, (i + 1) * INDEX_SPAN, &handle, &stop)
            })
            .await;
            Some(outcome.unwrap_or_else(|e| failed(&prop, &e.to_string())))
        });
    }
    let mut interrupted = false;
    let mut signal = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            next = set.join_next() => match next {
                None => return interrupted,
                Some(Ok(Some(o))) => on_outcome(o),
                Some(Ok(None)) | Some(Err(_)) => {}
            },
            _ = &mut signal => {
                // Properties stop at their next case; a blocking thread cannot be aborted.
                interrupted = true;
                stop.store(true, Ordering::Relaxed);
                permits.close();
                signal.set(shutdown_signal());
            }
        }
    }
}

fn failed(prop: &Property, why: &str) -> CaseOutcome {
    CaseOutcome {
        id: prop.id.clone(),
        operation: prop.operation.clone(),
        group: crate::case::GENERATED_DIR.into(),
        title: prop.title.clone(),
        requirement: prop.requirement.clone(),
        evidence_level: prop.evidence_level,
        evidence_source: prop.evidence_source.clone(),
        verdict: Verdict::Error,
        mismatches: vec![],
        reason: Some(format!("the property's thread failed: {why}")),
        reproduction: None,
        observed: None,
        duration_ms: 0,
        exchange: None,
    }
}
