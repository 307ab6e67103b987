//! When shrinking stops. Every shrinking step is a case run against the target, and a slow
//! emulator makes a step cost tens of milliseconds, so shrinking is bounded four ways:
//!
//! - **steps** per property (`--max-shrink-iters`);
//! - **time** per property (`--max-shrink-time`), counted from the first failure;
//! - **time for the whole run** (`--shrink-budget`): the time every property spent shrinking,
//!   added up (four properties shrinking side by side spend it four times as fast), so a run
//!   with many failing properties cannot spend minutes minimising them;
//! - **a stall**: after [`STALL_STEPS`] steps in a row that found no smaller failing case, the
//!   minimal case has stopped changing and further steps only confirm it.
//!
//! The first three are budgets: a property they stop is reported "not fully shrunk" (the case
//! shown still fails, it may just not be the smallest). A stall is the end of shrinking by
//! its own account: proptest's remaining candidates are variations the last steps already
//! refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Steps in a row without a smaller failure after which shrinking stops. Proptest shrinks a
/// value by binary search, so a run of refused candidates this long means every part of the
/// case was already tried at its simplest. Checked on the saved regression fixtures
/// (`fixtures/generated/`, cognito-local, seed 1): with this stall rule and no time budget
/// (`--save-failures`) all ten minimal cases come out as they were saved.
pub const STALL_STEPS: u32 = 48;

/// Default shrinking time per property.
pub const DEFAULT_PROPERTY_TIME: Duration = Duration::from_secs(5);
/// Default shrinking time for the whole run, summed over properties.
pub const DEFAULT_RUN_TIME: Duration = Duration::from_secs(30);

/// The shrinking budgets of a run, shared by its properties.
#[derive(Debug, Clone)]
pub struct ShrinkBudget {
    /// Most steps per property.
    pub steps: u32,
    /// Most time per property, from its first failure.
    pub property_time: Duration,
    /// The run's shrinking time, summed over properties.
    pub run: Arc<RunClock>,
}

impl Default for ShrinkBudget {
    fn default() -> Self {
        ShrinkBudget {
            steps: 512,
            property_time: DEFAULT_PROPERTY_TIME,
            run: Arc::new(RunClock::new(DEFAULT_RUN_TIME)),
        }
    }
}

/// Time spent shrinking by every property of a run, against its limit.
#[derive(Debug)]
pub struct RunClock {
    limit: Duration,
    spent_us: AtomicU64,
}

impl RunClock {
    /// A clock allowing `limit` of shrinking in all.
    pub fn new(limit: Duration) -> RunClock {
        RunClock {
            limit,
            spent_us: AtomicU64::new(0),
        }
    }

    /// Count `step` as spent.
    pub fn charge(&self, step: Duration) {
        let us = u64::try_from(step.as_micros()).unwrap_or(u64::MAX);
        self.spent_us.fetch_add(us, Ordering::Relaxed);
    }

    /// Whether the run's shrinking time is used up.
    pub fn spent(&self) -> bool {
        Duration::from_micros(self.spent_us.load(Ordering::Relaxed)) >= self.limit
    }

    /// The limit.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

/// Why shrinking stopped before proptest ran out of candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The step budget.
    Steps(u32),
    /// The property's time.
    PropertyTime(Duration),
    /// The run's time.
    RunTime(Duration),
    /// [`STALL_STEPS`] steps found nothing smaller.
    Stalled,
}

impl Stopped {
    /// Whether a budget cut shrinking short (the case may not be minimal).
    pub fn is_budget(self) -> bool {
        !matches!(self, Stopped::Stalled)
    }

    /// The flag that raises the budget, for the report.
    pub fn describe(self) -> String {
        match self {
            Stopped::Steps(n) => format!("the step budget ({n}, --max-shrink-iters)"),
            Stopped::PropertyTime(d) => format!(
                "the property's time budget ({} s, --max-shrink-time)",
                d.as_secs_f64()
            ),
            Stopped::RunTime(d) => format!(
                "the run's shrinking time budget ({} s in all, --shrink-budget)",
                d.as_secs_f64()
            ),
            Stopped::Stalled => format!("{STALL_STEPS} steps found nothing smaller"),
        }
    }
}

/// One property's shrinking: counts steps and refusals and says when to stop.
#[derive(Debug)]
pub struct Shrinking {
    budget: ShrinkBudget,
    /// 0 for a property that is not shrunk at all (a known gap).
    steps_allowed: u32,
    started: Option<std::time::Instant>,
    /// Steps run against the target.
    pub steps: u32,
    refused_in_a_row: u32,
    /// Set once shrinking stopped early.
    pub stopped: Option<Stopped>,
}

impl Shrinking {
    /// Shrinking within `budget`; `shrink` false allows no step at all.
    pub fn new(budget: ShrinkBudget, shrink: bool) -> Shrinking {
        let steps_allowed = if shrink { budget.steps } else { 0 };
        Shrinking {
            budget,
            steps_allowed,
            started: None,
            steps: 0,
            refused_in_a_row: 0,
            stopped: None,
        }
    }

    /// Before a shrinking step: whether to run it. Once this says no it keeps saying no.
    pub fn may_step(&mut self) -> bool {
        if self.stopped.is_some() {
            return false;
        }
        let started = *self.started.get_or_insert_with(std::time::Instant::now);
        let stop = if self.steps >= self.steps_allowed {
            Some(Stopped::Steps(self.steps_allowed))
        } else if self.refused_in_a_row >= STALL_STEPS {
            Some(Stopped::Stalled)
        } else if started.elapsed() >= self.budget.property_time {
            Some(Stopped::PropertyTime(self.budget.property_time))
        } else if self.budget.run.spent() {
            Some(Stopped::RunTime(self.budget.run.limit()))
        } else {
            None
        };
        self.stopped = stop;
        if stop.is_none() {
            self.steps += 1;
        }
        stop.is_none()
    }

    /// After a step that ran for `took`: `failed` when it found a (smaller) failing case.
    pub fn stepped(&mut self, took: Duration, failed: bool) {
        self.budget.run.charge(took);
        self.refused_in_a_row = if failed { 0 } else { self.refused_in_a_row + 1 };
    }

    /// Whether shrinking ended without a budget cutting it short.
    pub fn fully_shrunk(&self) -> bool {
        !self.stopped.is_some_and(Stopped::is_budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(steps: u32, property_ms: u64, run_ms: u64) -> ShrinkBudget {
        ShrinkBudget {
            steps,
            property_time: Duration::from_millis(property_ms),
            run: Arc::new(RunClock::new(Duration::from_millis(run_ms))),
        }
    }

    #[test]
    fn steps_stop_shrinking_as_a_budget() {
        let mut s = Shrinking::new(budget(3, 60_000, 60_000), true);
        for _ in 0..3 {
            assert!(s.may_step());
            s.stepped(Duration::ZERO, true);
        }
        assert!(!s.may_step());
        assert_eq!(s.stopped, Some(Stopped::Steps(3)));
        assert!(!s.fully_shrunk());
        assert_eq!(s.steps, 3);
        // A known gap is not shrunk: no step at all.
        let mut none = Shrinking::new(budget(3, 60_000, 60_000), false);
        assert!(!none.may_step());
    }

    #[test]
    fn a_stalled_minimal_case_ends_shrinking_without_a_budget() {
        let mut s = Shrinking::new(budget(10_000, 60_000, 60_000), true);
        assert!(s.may_step());
        s.stepped(Duration::ZERO, true);
        for _ in 0..STALL_STEPS - 1 {
            assert!(s.may_step());
            s.stepped(Duration::ZERO, false);
        }
        // A smaller failure resets the count.
        assert!(s.may_step());
        s.stepped(Duration::ZERO, true);
        for _ in 0..STALL_STEPS {
            assert!(s.may_step());
            s.stepped(Duration::ZERO, false);
        }
        assert!(!s.may_step());
        assert_eq!(s.stopped, Some(Stopped::Stalled));
        assert!(s.fully_shrunk());
    }

    #[test]
    fn time_budgets_per_property_and_per_run() {
        let mut s = Shrinking::new(budget(100, 0, 60_000), true);
        assert!(!s.may_step());
        assert_eq!(s.stopped, Some(Stopped::PropertyTime(Duration::ZERO)));
        assert!(!s.fully_shrunk());

        // The run's clock is shared: what one property spends, the other cannot.
        let shared = budget(100, 60_000, 50);
        let mut a = Shrinking::new(shared.clone(), true);
        let mut b = Shrinking::new(shared, true);
        assert!(a.may_step());
        a.stepped(Duration::from_millis(30), false);
        assert!(b.may_step());
        b.stepped(Duration::from_millis(30), false);
        assert!(!a.may_step());
        assert!(!b.may_step());
        assert_eq!(a.stopped, Some(Stopped::RunTime(Duration::from_millis(50))));
        assert!(a.stopped.unwrap().describe().contains("--shrink-budget"));
    }
}
