//! A property as a job of the run: proptest's `TestRunner` generates cases, each planned by
//! the oracle ([`super::case::plan`]) and executed by the run's one [`Runner`]; a failure is
//! shrunk within a budget. The result is one reported outcome with its seed, counts and
//! minimal case as fields.
//!
//! What is never shrunk or judged: a case the harness could not run (set-up failed, throttled
//! beyond the retries, timed out) or that the target cannot set up (an operation it lacks), and
//! anything after the run was interrupted. Those end the property at once as `error`, `skip`
//! or `interrupted`.
//!
//! The proptest runner is synchronous, so it runs on a blocking thread and drives each case
//! with [`tokio::runtime::Handle::block_on`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use super::case::{Planned, plan};
use super::shrink::{ShrinkBudget, Shrinking};
use super::{Generated, Property, Settings, save};
use crate::check::Verdict;
use crate::run::job::outcome;
use crate::run::{
    CaseOutcome, ExecOptions, Execution, GeneratedInfo, Job, JobFuture, Progress, Runner,
};

/// A property with the run's settings, as a job.
#[derive(Debug)]
pub struct PropertyJob {
    prop: Property,
    settings: Arc<Settings>,
}

impl PropertyJob {
    /// A job running `prop` with `settings`.
    pub fn new(prop: Property, settings: Arc<Settings>) -> PropertyJob {
        PropertyJob { prop, settings }
    }
}

impl Job for PropertyJob {
    fn header(&self) -> CaseOutcome {
        let p = &self.prop;
        let ids: Vec<String> = p.requirements.iter().map(|s| s.to_string()).collect();
        let (evidence_level, evidence_source) = crate::case::evidence_of(&ids);
        CaseOutcome {
            id: p.id.clone(),
            operation: p.operation.clone(),
            group: crate::case::GENERATED_DIR.to_string(),
            title: p.title.clone(),
            requirement: crate::run::job::requirement_title(&ids),
            requirements: ids,
            evidence_level,
            evidence_source,
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

    fn planned(&self) -> usize {
        self.prop.cases(self.settings.cases) as usize
    }

    fn run(self: Arc<Self>, runner: Arc<Runner>, progress: Progress) -> JobFuture {
        Box::pin(async move {
            let handle = tokio::runtime::Handle::current();
            let job = self.clone();
            let done = tokio::task::spawn_blocking(move || {
                run_property(&job.prop, &job.settings, &runner, &handle, &progress)
            })
            .await;
            done.unwrap_or_else(|e| {
                let mut o = self.header();
                o.reason = Some(format!(
                    "the property's thread failed (a bug; please report it): {e}"
                ));
                o
            })
        })
    }
}

/// Why generation stopped before proptest finished on its own.
enum Stop {
    /// A case the harness or the target's set-up could not run (verdict error or skip).
    NotRunnable(Box<Execution>, String),
    /// The run was interrupted.
    Interrupted,
}

/// Run one property to its outcome.
pub fn run_property(
    prop: &Property,
    settings: &Settings,
    runner: &Runner,
    handle: &tokio::runtime::Handle,
    progress: &Progress,
) -> CaseOutcome {
    let start = Instant::now();
    let cases = prop.cases(settings.cases);
    let config = Config {
        cases,
        // The real budgets (steps, time, a stall) are enforced below with `Shrinking`;
        // proptest's own count also includes the free steps back to the last failure.
        max_shrink_iters: settings.max_shrink_iters.saturating_mul(16).max(4096),
        // A backstop only: past the budget every candidate passes at once without a call.
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
    let mut proptest = TestRunner::new_with_rng(config, rng);
    let shrinking = RefCell::new(Shrinking::new(
        ShrinkBudget {
            steps: settings.max_shrink_iters,
            property_time: settings.max_shrink_time,
            run: settings.shrink_budget.clone(),
        },
        !settings.no_shrink.contains(&prop.id),
    ));
    let strategy = prop.strategy();
    let opts = ExecOptions {
        stop_on_strict: settings.strict,
        exchange: false,
    };
    let cases_run = Cell::new(0usize);
    let passed_before_failure = Cell::new(None::<usize>);
    let stop: RefCell<Option<Stop>> = RefCell::new(None);
    let failures: RefCell<HashMap<String, (Planned, Execution)>> = RefCell::new(HashMap::new());
    let last_failure: RefCell<Option<String>> = RefCell::new(None);
    // The fault class of the first failure: shrinking stays in it.
    let class: RefCell<Option<String>> = RefCell::new(None);
    let first_strict: RefCell<Option<(String, Planned, Execution)>> = RefCell::new(None);
    let result = proptest.run(&strategy, |g: Generated| {
        if stop.borrow().is_some() {
            // Not run: the property already ended. Passing is the only way to walk proptest
            // out of a shrink quickly; a fresh case never gets here (see below).
            return Ok(());
        }
        let shrinking_step = passed_before_failure.get().is_some();
        if shrinking_step && !shrinking.borrow_mut().may_step() {
            // A budget is spent or the minimal case stopped changing: every further candidate
            // "passes" without being run, so proptest walks back to the last failing case.
            return Ok(());
        }
        let planned = plan(prop, &g.case);
        let step_start = Instant::now();
        let e = handle.block_on(runner.execute(&planned.case, opts));
        let found_failure = matches!(e.verdict, Verdict::Fail | Verdict::KnownGap)
            || (e.verdict == Verdict::NonStrict && settings.strict);
        if shrinking_step {
            shrinking
                .borrow_mut()
                .stepped(step_start.elapsed(), found_failure);
        }
        let n = cases_run.get();
        cases_run.set(n + 1);
        let _ = progress.send(1);
        if let Some(seen) = &g.seen {
            seen.store(e.steps_run, Ordering::SeqCst);
        }
        let key = format!("{:?}", g.case);
        match e.verdict {
            Verdict::Pass => return Ok(()),
            Verdict::NonStrict if !settings.strict => {
                first_strict.borrow_mut().get_or_insert((key, planned, e));
                return Ok(());
            }
            Verdict::Interrupted => {
                *stop.borrow_mut() = Some(Stop::Interrupted);
                // proptest has no way to stop early but a failure: the remaining cases would
                // otherwise be generated (seconds, for a long run) just to be skipped. The
                // shrink that follows only simplifies values: every candidate passes at once.
                return Err(TestCaseError::fail("interrupted"));
            }
            Verdict::Error | Verdict::Skip => {
                // Never shrunk: while shrinking, such a case is simply not the failure being
                // minimised; before any failure, it ends the property (at once, as above).
                if passed_before_failure.get().is_none() {
                    *stop.borrow_mut() = Some(Stop::NotRunnable(Box::new(e), key));
                    return Err(TestCaseError::fail("not runnable"));
                }
                return Ok(());
            }
            Verdict::NonStrict | Verdict::Fail | Verdict::KnownGap => {}
        }
        let this_class = planned.fault_class(e.step.unwrap_or(0));
        if class.borrow().as_ref().is_some_and(|c| *c != this_class) {
            // A simpler case that fails in another fault class (an unknown service prefix
            // shrunk into a missing X-Amz-Target): not the failure being minimised.
            return Ok(());
        }
        class.borrow_mut().get_or_insert(this_class);
        if passed_before_failure.get().is_none() {
            passed_before_failure.set(Some(n));
        }
        *last_failure.borrow_mut() = Some(key.clone());
        let step = e.step.map_or(0, |s| s + 1);
        failures.borrow_mut().insert(key, (planned, e));
        Err(TestCaseError::fail(format!(
            "call {step} differs from the contract"
        )))
    });
    let mut o = PropertyJob::new(prop.clone(), Arc::new(settings.clone())).header();
    let rerun = format!(
        "cognito-conformance run --only-generated --filter '{}' --seed {} --cases {}{}",
        prop.id, settings.seed, settings.cases, settings.target_flags
    );
    let mut info = GeneratedInfo {
        seed: settings.seed,
        cases_asked: settings.cases,
        cases_run: 0,
        shrink_steps: 0,
        fully_shrunk: true,
        minimal_case: None,
        failing_call: None,
        rerun: rerun.clone(),
        saved_as: None,
    };
    match (stop.into_inner(), result) {
        (Some(Stop::Interrupted), _) => {
            o.verdict = Verdict::Interrupted;
            o.reason = Some(format!(
                "interrupted (Ctrl-C) after {} generated case(s): not judged",
                cases_run.get()
            ));
        }
        (Some(Stop::NotRunnable(e, case)), _) => {
            let what = e.reason.clone().unwrap_or_default();
            o = outcome(o, *e);
            o.reason = Some(format!(
                "{what}\n(generated case {} of {}, not judged and not shrunk:\n{case})",
                cases_run.get(),
                cases
            ));
            info.minimal_case = Some(case);
        }
        (None, Ok(())) => match first_strict.into_inner() {
            None => {
                o.verdict = Verdict::Pass;
                o.reason = Some(format!(
                    "{} generated cases held (seed {})",
                    cases, settings.seed
                ));
            }
            Some((case, _, e)) => {
                let call = e.step.map(|s| s + 1);
                o = outcome(o, e);
                o.verdict = Verdict::NonStrict;
                o.reason = Some(format!(
                    "{} generated cases held the contract; strict detail differs, first in this case (seed {}):\n{case}differing call: {}\nrerun: {rerun}",
                    cases,
                    settings.seed,
                    call.unwrap_or(1)
                ));
                info.minimal_case = Some(case);
                info.failing_call = call;
            }
        },
        (None, Err(TestError::Abort(why))) => {
            o.verdict = Verdict::Error;
            o.reason = Some(format!("generation stopped: {why}"));
        }
        (None, Err(TestError::Fail(_, minimal))) => {
            let mut key = format!("{:?}", minimal.case);
            let mut failures = failures.into_inner();
            if !failures.contains_key(&key)
                && let Some(last) = last_failure.into_inner()
            {
                // The budget ran out mid-step: report the last case that really failed.
                key = last;
            }
            let found = failures.remove(&key);
            let passed = passed_before_failure.get().unwrap_or(0);
            let s = shrinking.borrow();
            info.fully_shrunk = s.fully_shrunk();
            let shrunk = match s.stopped {
                Some(why) if why.is_budget() => format!(
                    "not fully shrunk: shrinking stopped after {} steps at {}",
                    s.steps,
                    why.describe()
                ),
                Some(why) => format!("shrunk in {} steps ({})", s.steps, why.describe()),
                None => format!("shrunk in {} steps", s.steps),
            };
            let head = format!(
                "falsified after {passed} passing case(s) (seed {}, {} case(s) asked); {shrunk} within its fault class, {}; minimal case:\n{key}",
                settings.seed,
                cases,
                class.borrow().clone().unwrap_or_default()
            );
            match found {
                Some((planned, e)) => {
                    let call = e.step.unwrap_or(0);
                    let saved =
                        saved_note(settings, prop, &planned, &minimal.case.actions, call, &key);
                    let saved_text = match &saved {
                        Ok(Some(path)) => format!("\nsaved as {path}"),
                        Ok(None) => String::new(),
                        Err(why) => format!("\nnot saved: {why}"),
                    };
                    info.saved_as = saved.ok().flatten();
                    o = outcome(o, e);
                    o.verdict = Verdict::Fail;
                    o.reason = Some(format!(
                        "{head}failing call: {}\nrerun: {rerun}{saved_text}",
                        call + 1
                    ));
                    info.failing_call = Some(call + 1);
                }
                None => {
                    o.verdict = Verdict::Error;
                    o.reason = Some(format!(
                        "{head}the minimal case failed once and then held: the target is not deterministic\nrerun: {rerun}"
                    ));
                }
            }
            info.minimal_case = Some(key);
        }
    }
    info.cases_run = cases_run.get();
    info.shrink_steps = shrinking.borrow().steps;
    if let Some(r) = &o.reason {
        o.reason = Some(runner.ctx.redactor.redact(r));
    }
    info.minimal_case = info.minimal_case.map(|c| runner.ctx.redactor.redact(&c));
    o.generated = Some(info);
    o.exchange = None; // a property has no golden
    o.duration_ms = start.elapsed().as_millis() as u64;
    o
}

/// Save the failing call as a fixture when asked to: the path, nothing, or why not.
fn saved_note(
    settings: &Settings,
    prop: &Property,
    planned: &Planned,
    actions: &[super::action::Action],
    step: usize,
    case: &str,
) -> Result<Option<String>, String> {
    let Some(dir) = &settings.save_failures else {
        return Ok(None);
    };
    let Some(fixture) = planned.fixture(step, actions) else {
        return Err("the failing call is not in the case (a bug)".into());
    };
    let op = fixture.when.operation;
    if !op.is_covered() {
        return Err(format!(
            "the failing call is {op}, which a fixture cannot express"
        ));
    }
    let label = match &actions[step] {
        super::action::Action::Raw { name, .. } => name.clone(),
        _ => planned.expectations[step].label.clone(),
    };
    let history: Vec<&str> = case.lines().skip(1).take(step).collect();
    save::save(dir, prop, settings, &fixture, &label, &history)
        .map(|p| Some(p.display().to_string()))
        .map_err(|e| e.to_string())
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
