//! The request budget: how fast the suite may call a target, overall and per Cognito quota
//! category.
//!
//! Cognito throttles by *category* (UserCreation, UserUpdate, UserPoolUpdate…), per account and
//! region, shared with everything else running in that account. The documented default
//! quotas (<https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html>, "API
//! operation categories and request rate quotas") are in [`Category::documented_rps`]. Against
//! real AWS the suite keeps every category at half its documented quota and everything at
//! `--max-rps` (default 5) overall, whichever is stricter.
//!
//! Pacing is by reservation: each call takes the earliest slot that keeps it `1/rate` after
//! the previous call overall and after the previous call of its category, then sleeps until
//! then. [`Schedule`] is that bookkeeping as a pure function of the clock, so it is tested
//! with made-up instants instead of timed sleeps.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A Cognito API request-rate category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge… (120 RPS).
    UserAuthentication,
    /// SignUp, ConfirmSignUp, AdminCreateUser, AdminConfirmSignUp (50 RPS).
    UserCreation,
    /// Password changes and recovery, AdminSetUserPassword (30 RPS).
    UserAccountRecovery,
    /// GetUser, AdminGetUser (120 RPS).
    UserRead,
    /// User and attribute management: UpdateUserAttributes, DeleteUserAttributes, DeleteUser,
    /// AdminDeleteUser, GlobalSignOut (25 RPS, not adjustable).
    UserUpdate,
    /// ListUsers (30 RPS).
    UserList,
    /// DescribeUserPool, ListUserPools (15 RPS).
    UserPoolRead,
    /// CreateUserPool, UpdateUserPool, DeleteUserPool (15 RPS).
    UserPoolUpdate,
    /// DescribeUserPoolClient, ListUserPoolClients (15 RPS; 5 RPS per pool).
    UserPoolClientRead,
    /// CreateUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient (15 RPS; 5 RPS per pool).
    UserPoolClientUpdate,
    /// Tags and other pool resources (15 RPS; 5 RPS per pool).
    UserPoolResourceUpdate,
    /// Anything else (the reference's test-control calls, unknown targets): overall budget only.
    Other,
}

impl Category {
    /// The category of an operation. Where the quota page leaves an operation's category
    /// open, the stricter plausible one is used (GlobalSignOut: UserUpdate, not UserToken).
    pub fn of(operation: &str) -> Category {
        use Category::*;
        match operation {
            "InitiateAuth"
            | "AdminInitiateAuth"
            | "RespondToAuthChallenge"
            | "AdminRespondToAuthChallenge" => UserAuthentication,
            "SignUp" | "ConfirmSignUp" | "AdminCreateUser" | "AdminConfirmSignUp" => UserCreation,
            "AdminSetUserPassword"
            | "AdminResetUserPassword"
            | "ChangePassword"
            | "ForgotPassword"
            | "ConfirmForgotPassword" => UserAccountRecovery,
            "GetUser" | "AdminGetUser" => UserRead,
            "UpdateUserAttributes"
            | "DeleteUserAttributes"
            | "DeleteUser"
            | "AdminDeleteUser"
            | "AdminUpdateUserAttributes"
            | "AdminDeleteUserAttributes"
            | "GlobalSignOut"
            | "AdminUserGlobalSignOut"
            | "AdminDisableUser"
            | "AdminEnableUser"
            | "VerifyUserAttribute" => UserUpdate,
            "ListUsers" | "ListUsersInGroup" => UserList,
            "ListUserPools" | "DescribeUserPool" => UserPoolRead,
            "CreateUserPool" | "UpdateUserPool" | "DeleteUserPool" | "AddCustomAttributes" => {
                UserPoolUpdate
            }
            "DescribeUserPoolClient" | "ListUserPoolClients" => UserPoolClientRead,
            "CreateUserPoolClient" | "UpdateUserPoolClient" | "DeleteUserPoolClient" => {
                UserPoolClientUpdate
            }
            "TagResource" | "UntagResource" => UserPoolResourceUpdate,
            _ => Other,
        }
    }

    /// Cognito's documented default quota for the category, in requests per second, taking
    /// the per-pool limit of 5 RPS where it is the binding one (the suite creates its clients
    /// in one pool at a time). `None` for [`Category::Other`].
    pub fn documented_rps(self) -> Option<f64> {
        use Category::*;
        Some(match self {
            UserAuthentication | UserRead => 120.0,
            UserCreation => 50.0,
            UserAccountRecovery | UserList => 30.0,
            UserUpdate => 25.0,
            UserPoolRead | UserPoolUpdate => 15.0,
            UserPoolClientRead | UserPoolClientUpdate | UserPoolResourceUpdate => 5.0,
            Other => return None,
        })
    }

    /// Every category with a documented quota.
    pub const ALL: [Category; 11] = [
        Category::UserAuthentication,
        Category::UserCreation,
        Category::UserAccountRecovery,
        Category::UserRead,
        Category::UserUpdate,
        Category::UserList,
        Category::UserPoolRead,
        Category::UserPoolUpdate,
        Category::UserPoolClientRead,
        Category::UserPoolClientUpdate,
        Category::UserPoolResourceUpdate,
    ];
}

/// Share of each documented quota the suite allows itself against real AWS: the quotas are
/// per account and region, and the account usually has other users.
pub const REAL_AWS_SHARE: f64 = 0.5;

/// Default overall budget against real AWS (`--max-rps`).
pub const REAL_AWS_MAX_RPS: f64 = 5.0;

/// Rates in calls per second: overall and per category. No entry means no limit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    /// Every call counts here.
    pub overall: Option<f64>,
    /// Calls of a category also count here.
    pub per_category: BTreeMap<Category, f64>,
}

impl Rates {
    /// Only an overall limit (emulators with `--max-rps`).
    pub fn overall(rps: f64) -> Rates {
        Rates {
            overall: Some(rps),
            per_category: BTreeMap::new(),
        }
    }

    /// Real AWS: `max_rps` overall and [`REAL_AWS_SHARE`] of every documented quota.
    pub fn real_aws(max_rps: f64) -> Rates {
        Rates {
            overall: Some(max_rps),
            per_category: Category::ALL
                .iter()
                .filter_map(|c| Some((*c, c.documented_rps()? * REAL_AWS_SHARE)))
                .collect(),
        }
    }

    #[cfg(test)]
    /// The effective rate of a category (the stricter of its own and the overall limit).
    pub fn effective(&self, c: Category) -> Option<f64> {
        let own = self.per_category.get(&c).copied();
        match (own, self.overall) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The reservation book: when the next call may go, overall and per category.
#[derive(Debug)]
pub struct Schedule {
    overall: Option<Duration>,
    per_category: BTreeMap<Category, Duration>,
    next_overall: Option<Instant>,
    next_in: BTreeMap<Category, Instant>,
}

fn interval(rps: f64) -> Option<Duration> {
    (rps.is_finite() && rps > 0.0).then(|| Duration::from_secs_f64(1.0 / rps))
}

impl Schedule {
    /// An empty book for these rates (non-positive or non-finite rates mean no limit).
    pub fn new(rates: &Rates) -> Schedule {
        Schedule {
            overall: rates.overall.and_then(interval),
            per_category: rates
                .per_category
                .iter()
                .filter_map(|(c, r)| Some((*c, interval(*r)?)))
                .collect(),
            next_overall: None,
            next_in: BTreeMap::new(),
        }
    }

    /// Reserve the earliest slot at or after `now` for a call of `category`, and book it.
    ///
    /// The slot respects both the overall and the category spacing; both are then pushed
    /// past the *slot* (not past the category's own earliest time), so a call delayed by the
    /// overall limit still keeps the next call of its category a full interval away.
    pub fn reserve(&mut self, category: Category, now: Instant) -> Instant {
        let own = self.per_category.get(&category).copied();
        let mut slot = now;
        if self.overall.is_some()
            && let Some(t) = self.next_overall
        {
            slot = slot.max(t);
        }
        if own.is_some()
            && let Some(t) = self.next_in.get(&category)
        {
            slot = slot.max(*t);
        }
        if let Some(i) = self.overall {
            self.next_overall = Some(slot + i);
        }
        if let Some(i) = own {
            self.next_in.insert(category, slot + i);
        }
        slot
    }
}

/// A shared budget: reserve under a lock, sleep outside it.
#[derive(Debug)]
pub struct Budget {
    schedule: Mutex<Schedule>,
}

impl Budget {
    /// A budget with these rates.
    pub fn new(rates: Rates) -> Budget {
        Budget {
            schedule: Mutex::new(Schedule::new(&rates)),
        }
    }

    /// Wait until a call of `operation` fits the budget; returns how long it waited.
    pub async fn wait(&self, operation: &str) -> Duration {
        let now = Instant::now();
        let slot = {
            let mut s = self.schedule.lock().unwrap_or_else(|e| e.into_inner());
            s.reserve(Category::of(operation), now)
        };
        tokio::time::sleep_until(slot).await;
        slot.saturating_duration_since(now)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn overall_spacing_is_exact_under_a_burst() {
        let t0 = Instant::now();
        let mut s = Schedule::new(&Rates::overall(5.0));
        let slots: Vec<_> = (0..10)
            .map(|_| s.reserve(Category::UserRead, t0) - t0)
            .collect();
        let want: Vec<_> = (0..10).map(|k| ms(200 * k)).collect();
        assert_eq!(slots, want);
    }

    #[test]
    fn an_idle_budget_does_not_delay() {
        let t0 = Instant::now();
        let mut s = Schedule::new(&Rates::overall(5.0));
        assert_eq!(s.reserve(Category::Other, t0), t0);
        // A second later the previous reservation is long past: go at once.
        assert_eq!(s.reserve(Category::Other, t0 + ms(1000)), t0 + ms(1000));
    }

    #[test]
    fn no_limit_means_no_wait() {
        let t0 = Instant::now();
        let mut s = Schedule::new(&Rates::default());
        for _ in 0..100 {
            assert_eq!(s.reserve(Category::UserUpdate, t0), t0);
        }
    }

    #[test]
    fn a_category_limit_holds_even_when_the_overall_limit_delays_a_call() {
        // Overall 10/s (100 ms), UserPoolClientUpdate 2.5/s (400 ms).
        let t0 = Instant::now();
        let mut s = Schedule::new(&Rates::real_aws(10.0));
        let a = s.reserve(Category::UserRead, t0);
        let b = s.reserve(Category::UserPoolClientUpdate, t0);
        let c = s.reserve(Category::UserPoolClientUpdate, t0);
        let d = s.reserve(Category::UserRead, t0);
        assert_eq!(
            (a - t0, b - t0, c - t0, d - t0),
            (ms(0), ms(100), ms(500), ms(600))
        );
    }

    /// Property: for random arrival times and categories, consecutive granted slots are at
    /// least the overall interval apart, and same-category slots at least the category's.
    #[test]
    fn random_traffic_never_exceeds_any_rate() {
        let rates = Rates::real_aws(REAL_AWS_MAX_RPS);
        let mut rng = StdRng::seed_from_u64(7);
        for _round in 0..50 {
            let t0 = Instant::now();
            let mut s = Schedule::new(&rates);
            let mut now = t0;
            let mut granted: Vec<(Category, Instant)> = Vec::new();
            for _ in 0..200 {
                now += ms(rng.random_range(0..150));
                let c = Category::ALL[rng.random_range(0..Category::ALL.len())];
                let slot = s.reserve(c, now);
                assert!(slot >= now, "a slot is never in the past");
                granted.push((c, slot));
            }
            let overall = interval(rates.overall.unwrap()).unwrap();
            let mut all: Vec<Instant> = granted.iter().map(|g| g.1).collect();
            all.sort();
            for w in all.windows(2) {
                assert!(w[1] - w[0] >= overall, "overall rate exceeded");
            }
            for c in Category::ALL {
                let step = interval(rates.effective(c).unwrap()).unwrap();
                let mut mine: Vec<Instant> =
                    granted.iter().filter(|g| g.0 == c).map(|g| g.1).collect();
                mine.sort();
                for w in mine.windows(2) {
                    assert!(w[1] - w[0] >= step, "{c:?} rate exceeded");
                }
            }
        }
    }

    #[test]
    fn the_real_aws_budget_sits_under_every_documented_quota() {
        let rates = Rates::real_aws(REAL_AWS_MAX_RPS);
        for c in Category::ALL {
            let quota = c.documented_rps().unwrap();
            let effective = rates.effective(c).unwrap();
            assert!(
                effective < quota,
                "{c:?}: {effective} rps is not under its quota of {quota}"
            );
        }
        // The operations the suite calls all have a documented category.
        for op in [
            "ListUserPools",
            "CreateUserPool",
            "DeleteUserPool",
            "CreateUserPoolClient",
            "AdminCreateUser",
            "AdminSetUserPassword",
            "SignUp",
            "InitiateAuth",
            "AdminGetUser",
            "GetUser",
            "GlobalSignOut",
            "AdminDeleteUser",
            "UpdateUserAttributes",
            "DeleteUserAttributes",
            "DeleteUser",
        ] {
            assert_ne!(Category::of(op), Category::Other, "{op}");
        }
    }

    /// The sleeping side, on tokio's paused clock: ten concurrent callers go out exactly
    /// 200 ms apart at 5 RPS, in virtual time (the test takes no real time).
    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_are_spaced_in_virtual_time() {
        let budget = std::sync::Arc::new(Budget::new(Rates::overall(5.0)));
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let b = budget.clone();
                tokio::spawn(async move {
                    b.wait("AdminGetUser").await;
                    Instant::now()
                })
            })
            .collect();
        let mut sent = Vec::new();
        for t in tasks {
            sent.push(t.await.unwrap() - t0);
        }
        sent.sort();
        assert_eq!(sent, (0..10).map(|k| ms(200 * k)).collect::<Vec<_>>());
        // Idle for a while: the next call goes at once.
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(budget.wait("AdminGetUser").await, Duration::ZERO);
    }
}
