//! One property through proptest's `TestRunner`: seeded from the run's seed and the property's
//! id, no failure files, shrinking bounded in steps; the result becomes a [`CaseOutcome`].
//!
//! Calls to the target are async; the runner is synchronous, so it runs on a blocking thread
//! and drives each case with [`tokio::runtime::Handle::block_on`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use super::exec::{self, Execution, StepReport, Verdict as ExecVerdict};
use super::{Property, Settings, save};
use crate::case::COVERED_OPERATIONS;
use crate::check::Verdict;
use crate::report::CaseOutcome;
use crate::run::RunContext;

/// Work done by one property run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Cases run against the target (shrinking steps included).
    pub cases_run: usize,
    /// Of which shrinking steps.
    pub shrink_runs: u32,
}

/// Run `prop` against the run's target. Users are named from `index_base` upwards (each case
/// gets the next index). `stop` ends the run early (the outcome is then an error).
pub fn run_property(
    ctx: &RunContext,
    prop: &Property,
    settings: &Settings,
    index_base: usize,
    handle: &tokio::runtime::Handle,
    stop: &AtomicBool,
) -> CaseOutcome {
    run_property_with_stats(ctx, prop, settings, index_base, handle, stop).0
}

/// [`run_property`], also saying how much it ran (for the benchmark).
pub fn run_property_with_stats(
    ctx: &RunContext,
    prop: &Property,
    settings: &Settings,
    index_base: usize,
    handle: &tokio::runtime::Handle,
    stop: &AtomicBool,
) -> (CaseOutcome, Stats) {
    let start = Instant::now();
    let config = Config {
        cases: settings.cases,
        // The real budget is `settings.max_shrink_iters` cases run against the target, enforced
        // below; proptest's own count also includes the free steps back to the last failure.
        max_shrink_iters: settings.max_shrink_iters.saturating_mul(16).max(4096),
        max_shrink_time: 0,
        max_local_rejects: 65_536,
        max_global_rejects: 1_024,
        failure_persistence: None,
        fork: false,
        timeout: 0,
        verbose: 0,
        source_file: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(settings.seed, &prop.id));
    let mut runner = TestRunner::new_with_rng(config, rng);
    let shrink_budget = if settings.no_shrink.contains(&prop.id) {
        0
    } else {
        settings.max_shrink_iters
    };
    let strategy = prop.strategy();
    let next = Cell::new(0usize);
    let first_failure = Cell::new(None::<usize>);
    let failures: RefCell<HashMap<String, Execution>> = RefCell::new(HashMap::new());
    let first_strict: RefCell<Option<(String, StepReport)>> = RefCell::new(None);
    let last_failure: RefCell<Option<String>> = RefCell::new(None);
    let shrink_runs = Cell::new(0u32);
    let result = runner.run(&strategy, |g| {
        if stop.load(Ordering::Relaxed) {
            return Err(TestCaseError::reject("the run was interrupted"));
        }
        if first_failure.get().is_some() {
            if shrink_runs.get() >= shrink_budget {
                // Budget spent: every further candidate "passes" without being run, so
                // proptest walks back to the last failing case and stops.
                return Ok(());
            }
            shrink_runs.set(shrink_runs.get() + 1);
        }
        let n = next.get();
        next.set(n + 1);
        let run = handle.block_on(exec::execute(
            ctx,
            &prop.id,
            index_base + n,
            &g.case,
            settings.strict,
        ));
        if let Some(seen) = &g.seen {
            seen.store(run.calls_run, Ordering::SeqCst);
        }
        let mut strict = first_strict.borrow_mut();
        if strict.is_none()
            && let Some(r) = &run.strict
        {
            *strict = Some((format!("{:?}", g.case), r.clone()));
        }
        let failure = match &run.verdict {
            ExecVerdict::Held => return Ok(()),
            ExecVerdict::Failed(r) => format!("call {} differs from the contract", r.step + 1),
            ExecVerdict::Harness(reason) => format!("the harness could not run it: {reason}"),
        };
        if first_failure.get().is_none() {
            first_failure.set(Some(n));
        }
        let key = format!("{:?}", g.case);
        *last_failure.borrow_mut() = Some(key.clone());
        failures.borrow_mut().insert(key, run);
        Err(TestCaseError::fail(failure))
    });
    let mut o = CaseOutcome {
        id: prop.id.clone(),
        operation: prop.operation.clone(),
        group: crate::case::GENERATED_DIR.to_string(),
        title: prop.title.clone(),
        requirement: prop.requirement.clone(),
        evidence_level: prop.evidence_level,
        evidence_source: prop.evidence_source.clone(),
        verdict: Verdict::Pass,
        mismatches: vec![],
        reason: None,
        reproduction: None,
        observed: None,
        duration_ms: 0,
        exchange: None,
    };
    let rerun = format!(
        "rerun: cognito-conformance run --only-generated --filter '{}' --seed {} --cases {}{}",
        prop.id, settings.seed, settings.cases, settings.target_flags
    );
    match result {
        Ok(()) => {
            o.reason = Some(format!(
                "{} generated cases held (seed {})",
                settings.cases, settings.seed
            ));
            if let Some((case, r)) = first_strict.into_inner() {
                o.verdict = Verdict::NonStrict;
                o.reason = Some(format!(
                    "{} generated cases held the contract; strict detail differs, first in this case (seed {}):\n{}differing call: {}\n{rerun}",
                    settings.cases,
                    settings.seed,
                    case,
                    r.step + 1
                ));
                fill(&mut o, &r);
            }
        }
        Err(TestError::Abort(why)) => {
            o.verdict = Verdict::Error;
            o.reason = Some(format!("generation stopped: {why}"));
        }
        Err(TestError::Fail(_, minimal)) => {
            let mut key = format!("{:?}", minimal.case);
            let mut failures = failures.into_inner();
            if !failures.contains_key(&key)
                && let Some(last) = last_failure.into_inner()
            {
                // The budget ran out mid-step: report the last case that really failed.
                key = last;
            }
            let run = failures.remove(&key).unwrap_or_else(|| {
                handle.block_on(exec::execute(
                    ctx,
                    &prop.id,
                    index_base + next.get(),
                    &minimal.case,
                    settings.strict,
                ))
            });
            let passed = first_failure.get().unwrap_or(0);
            let shrunk = if shrink_runs.get() >= settings.max_shrink_iters {
                format!(
                    "shrinking stopped after {} steps (--max-shrink-iters)",
                    shrink_runs.get()
                )
            } else {
                format!("shrunk in {} steps", shrink_runs.get())
            };
            let head = format!(
                "falsified after {passed} passing case(s) (seed {}, {} case(s) asked); {shrunk}; minimal case:\n{key}",
                settings.seed, settings.cases
            );
            match run.verdict {
                ExecVerdict::Failed(r) => {
                    o.verdict = Verdict::Fail;
                    let saved = saved_note(settings, prop, &r, &key);
                    o.reason = Some(format!(
                        "{head}failing call: {}\n{rerun}{saved}",
                        r.step + 1
                    ));
                    fill(&mut o, &r);
                }
                ExecVerdict::Harness(why) => {
                    o.verdict = Verdict::Error;
                    o.reason = Some(format!(
                        "{head}the harness could not run it: {why}\n{rerun}"
                    ));
                }
                ExecVerdict::Held => {
                    o.verdict = Verdict::Error;
                    o.reason = Some(format!(
                        "{head}the minimal case failed once and then held: the target is not deterministic\n{rerun}"
                    ));
                }
            }
        }
    }
    if let Some(r) = &o.reason {
        o.reason = Some(ctx.redactor.redact(r));
    }
    o.duration_ms = start.elapsed().as_millis() as u64;
    let stats = Stats {
        cases_run: next.get(),
        shrink_runs: shrink_runs.get(),
    };
    (o, stats)
}

fn fill(o: &mut CaseOutcome, r: &StepReport) {
    o.mismatches = r.mismatches.clone();
    o.reproduction = Some(r.reproduction.clone());
    o.observed = r.observed.clone();
}

/// Save the failing call as a fixture when asked to; the note says where (or why not).
fn saved_note(settings: &Settings, prop: &Property, r: &StepReport, case: &str) -> String {
    let Some(dir) = &settings.save_failures else {
        return String::new();
    };
    let op = r.fixture.when.operation.as_str();
    if !COVERED_OPERATIONS.contains(&op) {
        return format!("\nnot saved: the failing call is {op}, which a fixture cannot express");
    }
    let history: Vec<&str> = case.lines().skip(1).take(r.step).collect();
    match save::save(dir, prop, settings, r, &history) {
        Ok(path) => format!("\nsaved as {}", path.display()),
        Err(e) => format!("\nnot saved: {e}"),
    }
}

/// A 32-byte ChaCha seed from the run's seed and the property id (FNV-1a, then splitmix64),
/// so each property has its own stream and adding a property changes no other's cases.
pub fn seed_bytes(seed: u64, id: &str) -> [u8; 32] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut state = seed ^ h;
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        chunk.copy_from_slice(&z.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::seed_bytes;

    #[test]
    fn seeds_differ_per_property_and_are_stable() {
        assert_ne!(seed_bytes(1, "a"), seed_bytes(1, "b"));
        assert_ne!(seed_bytes(1, "a"), seed_bytes(2, "a"));
        assert_eq!(seed_bytes(1, "a"), seed_bytes(1, "a"));
    }
}
