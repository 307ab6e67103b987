//! The one executor: every case, from a fixture file or generated, runs here. Set-up, then for
//! each step the read-backs before, the request under test (throttling retried, never judged),
//! the read-backs after and the judgement against the step's `then`; the case's users are
//! deleted at the end. The outcome is described redacted, with a reproduction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::RunContext;
use super::echo::{Echo, echoed};
use super::setup::{Prepared, SetupError, Unsupported, prepare, why_missing_operation};
use crate::case::Case;
use crate::case::fixture::{Outcome, Then};
use crate::check::pool_schema::{self, SchemaAttributes};
use crate::check::{Mismatch, Observed, Probe, Tier, Verdict, evaluate};
use crate::run::events::ObservedSummary;
use crate::secrets::Redactor;
use crate::snapshot::{Capture, Exchange, Kind, Normalizer};
use crate::target::{Admin, AdminError, control};
use crate::text::{clip, visible};
use crate::vocab::Signing;
use crate::wire::curl::SignedAs;
use crate::wire::{Request, Response, curl};

/// Largest body text kept in an outcome.
const BODY_SHOWN: usize = 2048;

type Attrs = BTreeMap<String, String>;

/// How one case is executed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExecOptions {
    /// Stop at the first step whose strict detail differs (generated cases under `--strict`,
    /// where such a difference is a failure to shrink).
    pub stop_on_strict: bool,
    /// Render the normalized exchanges of the case's calls and compare them with the case's
    /// golden (fixtures; a generated case has no golden, and rendering a 128 KiB body costs
    /// more than sending it).
    pub exchange: bool,
}

/// What running one case produced.
#[derive(Debug, Clone)]
pub struct Execution {
    /// Pass, non-strict, fail, skip, error or interrupted.
    pub verdict: Verdict,
    /// Why a case was skipped, errored or was interrupted.
    pub reason: Option<String>,
    /// Steps whose request was sent.
    pub steps_run: usize,
    /// The step the details below describe (0-based): the failing one, else the first with a
    /// strict difference, else the last one run; `None` in a case of several calls whose only
    /// difference is its golden (which covers every call).
    pub step: Option<usize>,
    /// Expected vs actual at that step (redacted, clipped).
    pub mismatches: Vec<Mismatch>,
    /// The target's answer at that step (redacted).
    pub observed: Option<ObservedSummary>,
    /// A curl command for that step (`$ACCESS_TOKEN` for the token).
    pub reproduction: Option<String>,
    /// The normalized exchanges of the calls sent (what a golden holds), when asked for; none
    /// for a case that could not be run to its judgement (an error).
    pub exchange: Option<String>,
    /// The set-up needed an operation the target does not implement.
    pub unsupported: Option<Unsupported>,
    /// Secrets the target sent back, in any step (a security finding, not a verdict).
    pub echoes: Vec<Echo>,
    /// Wall time, set-up and read-backs included.
    pub duration: Duration,
}

impl Execution {
    fn new(verdict: Verdict, reason: Option<String>) -> Execution {
        Execution {
            verdict,
            reason,
            steps_run: 0,
            step: None,
            mismatches: vec![],
            observed: None,
            reproduction: None,
            exchange: None,
            unsupported: None,
            echoes: vec![],
            duration: Duration::ZERO,
        }
    }

    /// A case that did not finish because the run was interrupted.
    pub fn interrupted() -> Execution {
        Execution::new(
            Verdict::Interrupted,
            Some("interrupted (Ctrl-C) before the case finished: not judged".into()),
        )
    }

    /// A case that did not finish within `limit`.
    pub fn timed_out(limit: Duration) -> Execution {
        let mut e = Execution::new(
            Verdict::Error,
            Some(format!(
                "the case did not finish within the case time limit of {} s (set-up and read-backs included)",
                limit.as_secs()
            )),
        );
        e.duration = limit;
        e
    }
}

/// Executes cases against the run's target: one per call, each bounded by the case time limit
/// and stopped by the run's cancellation. Shared by every kind of job.
#[derive(Debug)]
pub struct Runner {
    /// The run's target and resources.
    pub ctx: std::sync::Arc<RunContext>,
    /// Cancelled on Ctrl-C/SIGTERM: cases in flight stop at once as `interrupted`.
    pub cancel: CancellationToken,
    /// Longest one case may take.
    pub case_timeout: Duration,
    missing: Mutex<BTreeMap<String, (String, Vec<String>)>>,
    echoed: Mutex<BTreeMap<(String, &'static str), Echoed>>,
}

/// Where a target echoed one kind of secret for one operation, and in which cases.
#[derive(Debug, Clone, Default)]
pub struct Echoed {
    /// Where the responses carried it.
    pub places: std::collections::BTreeSet<String>,
    /// The cases (property ids for generated cases), each once.
    pub cases: Vec<String>,
}

impl Runner {
    /// A runner for `ctx`.
    pub fn new(
        ctx: std::sync::Arc<RunContext>,
        cancel: CancellationToken,
        case_timeout: Duration,
    ) -> Runner {
        Runner {
            ctx,
            cancel,
            case_timeout,
            missing: Mutex::new(BTreeMap::new()),
            echoed: Mutex::new(BTreeMap::new()),
        }
    }

    /// Run one case. Never panics on target behaviour; a cancelled run ends it as
    /// `interrupted` at once (its resources are the run's and are deleted by the clean-up).
    pub async fn execute(&self, case: &Case, opts: ExecOptions) -> Execution {
        if self.cancel.is_cancelled() {
            return Execution::interrupted();
        }
        // Every case gets fresh usernames: `<prefix>-c<index>`.
        let index = self.ctx.next_index();
        let start = Instant::now();
        let mut e = tokio::select! {
            biased;
            _ = self.cancel.cancelled() => Execution::interrupted(),
            r = tokio::time::timeout(self.case_timeout, execute(&self.ctx, case, index, opts)) => {
                r.unwrap_or_else(|_| Execution::timed_out(self.case_timeout))
            }
        };
        e.duration = start.elapsed();
        if let Some(u) = &e.unsupported
            && let Ok(mut m) = self.missing.lock()
        {
            m.entry(u.operation.clone())
                .or_insert_with(|| (u.answer.clone(), Vec::new()))
                .1
                .push(case.id.clone());
        }
        if !e.echoes.is_empty()
            && let Ok(mut m) = self.echoed.lock()
        {
            for echo in &e.echoes {
                let entry = m
                    .entry((case.operation().name().to_string(), echo.secret))
                    .or_default();
                entry.places.extend(echo.places.iter().cloned());
                if !entry.cases.contains(&case.id) {
                    entry.cases.push(case.id.clone());
                }
            }
        }
        e
    }

    /// Secrets the target echoed: (operation, secret) -> where and in which cases.
    pub fn echoed_secrets(&self) -> BTreeMap<(String, &'static str), Echoed> {
        self.echoed.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The operations set-ups needed and the target lacked: operation -> (answer, case ids).
    pub fn missing_operations(&self) -> BTreeMap<String, (String, Vec<String>)> {
        self.missing.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
/// Run one case outside a scheduled run (no cancellation, the default case time limit), as
/// reported.
pub async fn run_one(ctx: &std::sync::Arc<RunContext>, case: &Case) -> super::CaseOutcome {
    let runner = Runner::new(
        ctx.clone(),
        CancellationToken::new(),
        super::RunOptions::default().case_timeout,
    );
    let e = runner
        .execute(
            case,
            ExecOptions {
                exchange: true,
                ..ExecOptions::default()
            },
        )
        .await;
    let reason = super::job::with_call(case, &e);
    let mut o = super::job::outcome(super::job::header(case), e);
    o.reason = reason;
    o
}

/// Run one case (`index` names its users).
pub async fn execute(ctx: &RunContext, case: &Case, index: usize, opts: ExecOptions) -> Execution {
    let prepared = match prepare(ctx, case, index).await {
        Ok(p) => p,
        Err(SetupError::Skip(reason)) => return Execution::new(Verdict::Skip, Some(reason)),
        Err(SetupError::Unsupported(u)) => {
            let mut e = Execution::new(Verdict::Skip, Some(why_missing_operation(&u)));
            e.unsupported = Some(u);
            return e;
        }
        Err(SetupError::Failed(reason)) => {
            return Execution::new(Verdict::Error, Some(format!("set-up failed: {reason}")));
        }
    };
    let mut run = Execution::new(Verdict::Pass, None);
    let mut known: Probe<Option<Attrs>> = Probe::NotChecked;
    let mut strict_seen = false;
    let mut exchanges: Vec<Exchange> = Vec::new();
    for i in 0..case.steps.len() {
        let done = match run_step(ctx, case, &prepared, i, &mut known, opts).await {
            Ok(done) => done,
            Err(reason) => {
                run.verdict = Verdict::Error;
                run.reason = Some(reason);
                run.step = Some(i);
                break;
            }
        };
        run.steps_run = i + 1;
        exchanges.extend(done.exchange);
        for echo in done.echoes {
            match run.echoes.iter_mut().find(|e| e.secret == echo.secret) {
                Some(e) => e.places.extend(echo.places),
                None => run.echoes.push(echo),
            }
        }
        let contract = done.mismatches.iter().any(|m| m.tier == Tier::Contract);
        let strict = !contract && !done.mismatches.is_empty();
        // The details shown: the failing step, else the first strict difference, else the last.
        if contract || !strict_seen {
            run.step = Some(i);
            run.mismatches = done.mismatches;
            run.observed = done.observed;
            run.reproduction = Some(done.reproduction);
            run.reason = done.note;
        }
        if contract {
            run.verdict = Verdict::Fail;
            break;
        }
        if strict {
            strict_seen = true;
            run.verdict = Verdict::NonStrict;
            if opts.stop_on_strict {
                break;
            }
        }
    }
    if opts.exchange && run.verdict != Verdict::Error && !exchanges.is_empty() {
        compare_golden(ctx, case, &prepared, &exchanges, &mut run);
    }
    clean_up(ctx, &prepared).await;
    run
}

/// Render the exchanges of the calls made and compare them with the case's golden: a
/// difference (or a missing golden) is a strict-tier mismatch of the case.
fn compare_golden(
    ctx: &RunContext,
    case: &Case,
    p: &Prepared,
    exchanges: &[Exchange],
    run: &mut Execution,
) {
    let mut normalizer = normalizer(p);
    let rendered = Exchange::render_steps(exchanges, case.steps.len() > 1, &mut normalizer);
    if let Some(m) = ctx.goldens.compare_or_missing(&case.id, &rendered) {
        run.mismatches.push(m.shown(|t| p.redactor.redact(t)));
        if run.verdict == Verdict::Pass {
            // The golden is the case's, not one call's: no call to point at.
            run.verdict = Verdict::NonStrict;
            if case.steps.len() > 1 {
                run.step = None;
            }
        }
    }
    run.exchange = Some(rendered);
}

/// What one step produced.
struct StepDone {
    mismatches: Vec<Mismatch>,
    observed: Option<ObservedSummary>,
    reproduction: String,
    exchange: Option<Exchange>,
    note: Option<String>,
    echoes: Vec<Echo>,
}

/// Which read-backs the outcomes of a step need.
struct Needs {
    state: bool,
    other: bool,
    schema: bool,
    token: bool,
    sign_in: bool,
}

fn needs(then: &Then) -> Needs {
    let any = |f: &dyn Fn(&Outcome) -> bool| then.outcomes.iter().any(f);
    Needs {
        state: any(&|o| o.state.is_some() || o.error.is_some() || o.user_attributes.is_some()),
        other: any(&|o| o.other_user_state.is_some() || o.error.is_some()),
        schema: any(&|o| o.reads_schema()),
        token: any(&|o| o.token.is_some()),
        sign_in: any(&|o| o.sign_in.is_some()),
    }
}

/// One step: read-backs before, the request under test, read-backs after, judgement.
/// `known` carries the user's state read after the previous step.
async fn run_step(
    ctx: &RunContext,
    case: &Case,
    p: &Prepared,
    i: usize,
    known: &mut Probe<Option<Attrs>>,
    opts: ExecOptions,
) -> Result<StepDone, String> {
    let step = &case.steps[i];
    let r = &p.redactor;
    let mut request = step
        .when
        .request(&p.bindings)
        .map_err(|e| r.redact(&format!("cannot build the request: {e}")))?;
    let admin = ctx.provisioner.admin();
    let signing = signing_of(case, step.when.operation);
    admin
        .sign_under_test(&mut request, signing, p.principal.as_ref())
        .map_err(|e| r.redact(&format!("cannot sign the request: {e}")))?;
    let then = step
        .then
        .expanded(&p.bindings)
        .map_err(|e| r.redact(&format!("cannot expand `then`: {e}")))?;
    let need = needs(&then);
    let before = match std::mem::replace(known, Probe::NotChecked) {
        Probe::Seen(v) if need.state => Probe::Seen(v),
        _ if need.state => read_user(ctx, p, &p.user.username).await,
        _ => Probe::NotChecked,
    };
    let other = p.bindings.other_username.clone().filter(|_| need.other);
    let other_before = match &other {
        Some(name) => read_user(ctx, p, name).await,
        None => Probe::NotChecked,
    };
    let injected = case.given.fault.filter(|_| i == 0);
    if let Some(fault) = injected {
        control::inject_fault(ctx.provisioner.admin(), step.when.operation.name(), fault)
            .await
            .map_err(|e| format!("cannot inject the fault: {e}"))?;
    }
    // Throttling injected by the case is what it tests; any other throttling is retried and,
    // if it persists, makes the case an error rather than a failure of the target.
    let sent = ctx
        .provisioner
        .admin()
        .send_under_test(&request, injected.is_none())
        .await;
    if let Some(reason) = sent.still_throttled {
        return Err(reason);
    }
    // Looked for on the raw answer, before anything is redacted.
    let echoes = sent
        .response
        .as_ref()
        .map(|resp| echoed(&request, resp, r))
        .unwrap_or_default();
    let after = if need.state {
        read_user(ctx, p, &p.user.username).await
    } else {
        Probe::NotChecked
    };
    let other_after = match &other {
        Some(name) => read_user(ctx, p, name).await,
        None => Probe::NotChecked,
    };
    let schema_after = if need.schema {
        read_schema(ctx, p).await
    } else {
        Probe::NotChecked
    };
    let token_usable = if need.token {
        token_probe(ctx, p).await
    } else {
        Probe::NotChecked
    };
    let sign_in_works = if need.sign_in {
        sign_in_probe(ctx, p).await
    } else {
        Probe::NotChecked
    };
    let observed = Observed {
        response: sent.response,
        before,
        after,
        other_before,
        other_after,
        schema_after,
        token_usable,
        sign_in_works,
    };
    let mut mismatches = evaluate(step.when.operation, &then, &observed).mismatches;
    crate::check::basis::mark_guesses(&mut mismatches, &then, &case.requirements);
    let exchange = opts.exchange.then(|| {
        let named: BTreeSet<&String> = then
            .outcomes
            .iter()
            .flat_map(|o| o.schema.keys().chain(&o.schema_absent))
            .collect();
        Exchange::capture(&Capture {
            request: &request,
            response: &observed.response,
            after: &observed.after,
            schema_after: pool_schema::shown(named, &observed.schema_after),
            token_usable: &observed.token_usable,
            sign_in_works: &observed.sign_in_works,
        })
    });
    let note = (p.pool_deleted && need.state)
        .then(|| "state not read back: the case deleted its own pool on purpose".to_string());
    let reproduction = curl::shorten_long_runs(&r.redact(&reproduce(
        admin,
        &request,
        &p.token_under_test,
        signing,
    )));
    let summary = observed
        .response
        .as_ref()
        .ok()
        .map(|resp| summarize(resp, r));
    *known = observed.after;
    Ok(StepDone {
        mismatches: mismatches
            .into_iter()
            .map(|m| m.shown(|t| r.redact(t)))
            .collect(),
        observed: summary,
        reproduction,
        exchange,
        note,
        echoes,
    })
}

/// How the request under test is signed: as the case says, else as the model's `authtype`
/// says (`v4`: with the administrator credentials; anything else: unsigned).
pub fn signing_of(case: &Case, operation: crate::vocab::Operation) -> Signing {
    case.given.signing.unwrap_or_else(|| {
        let v4 = crate::contract::Model::get()
            .operation(operation.name())
            .is_some_and(|o| o.authtype == "v4");
        if v4 {
            Signing::Signed
        } else {
            Signing::Unsigned
        }
    })
}

/// A curl command for the request under test: the token as `$ACCESS_TOKEN`, a signed request
/// signed again by curl with the environment's credentials (never the run's keys).
fn reproduce(admin: &Admin, request: &Request, token: &str, signing: Signing) -> String {
    let region = admin.region().to_string();
    let signed = match signing {
        Signing::Unsigned => return curl::reproduction(admin.url(), request, Some(token)),
        Signing::Signed => SignedAs::Credentials {
            region,
            session: admin.has_session_token(),
        },
        Signing::UnknownAccessKey => SignedAs::UnknownAccessKey { region },
        Signing::WrongSecret => SignedAs::WrongSecret { region },
        Signing::StaleDate | Signing::FutureDate | Signing::TamperedSignature => SignedAs::Replayed,
        Signing::PrincipalWithoutPermission => SignedAs::OtherPrincipal { region },
    };
    curl::signed_reproduction(admin.url(), request, Some(token), &signed)
}

/// Delete the case's users (best effort: the run deletes its pools at the end anyway, but a
/// long generated run would otherwise pile thousands of users into one pool).
async fn clean_up(ctx: &RunContext, p: &Prepared) {
    let prov = &ctx.provisioner;
    if let Some(principal) = &p.principal
        && let Err(e) = prov.delete_principal(&principal.access_key_id).await
    {
        tracing::debug!(error = %p.redactor.redact(&e.to_string()), "could not delete a case's principal");
    }
    if p.pool_deleted {
        return;
    }
    if p.own_pool {
        // Its users go with it; if this fails, the run's clean-up deletes it.
        if let Err(e) = prov.delete_pool(&p.pool.id).await {
            tracing::debug!(error = %p.redactor.redact(&e.to_string()), "could not delete a case's own pool");
        }
        return;
    }
    let mut names = vec![p.user.username.clone()];
    names.extend(p.bindings.other_username.clone());
    for name in names {
        match prov.delete_user(&p.pool, &name).await {
            Ok(()) => {}
            Err(e) if e.error_type() == Some("UserNotFoundException") => {}
            Err(e) => {
                tracing::debug!(error = %p.redactor.redact(&e.to_string()), "could not delete a case's user")
            }
        }
    }
}

/// The placeholder policy of a case: its secrets, then every value its set-up invented.
fn normalizer(p: &Prepared) -> Normalizer {
    let mut n = Normalizer::new(p.redactor.clone());
    n.know(&p.user.username, Kind::Username);
    if let Some(other) = &p.bindings.other_username {
        n.know(other, Kind::Username);
    }
    n.know(&p.bindings.unique_email, Kind::Email);
    n.know(&p.pool.id, Kind::PoolId);
    n.know(&p.pool.full_client, Kind::ClientId);
    n.know(&p.pool.restricted_client, Kind::ClientId);
    n.know(&p.client_id, Kind::ClientId);
    n
}

/// The pool's schema by attribute name (DescribeUserPool), `None` when the pool is gone.
async fn read_schema(ctx: &RunContext, p: &Prepared) -> Probe<Option<SchemaAttributes>> {
    if p.pool_deleted {
        return Probe::NotChecked;
    }
    match ctx.provisioner.describe_pool(&p.pool.id).await {
        Ok(v) => Probe::Seen(v.as_ref().map(pool_schema::schema_of)),
        Err(e) => Probe::Unknown(p.redactor.redact(&e.to_string())),
    }
}

async fn read_user(ctx: &RunContext, p: &Prepared, username: &str) -> Probe<Option<Attrs>> {
    if p.pool_deleted {
        return Probe::NotChecked;
    }
    match ctx.provisioner.read_user(&p.pool, username).await {
        Ok(v) => Probe::Seen(v),
        Err(e) => Probe::Unknown(p.redactor.redact(&e.to_string())),
    }
}

/// Does GetUser accept the user's real access token (the token under test if none)?
async fn token_probe(ctx: &RunContext, p: &Prepared) -> Probe<bool> {
    let token = p
        .tokens
        .as_ref()
        .map_or(p.token_under_test.as_str(), |t| t.access.as_str());
    match ctx
        .provisioner
        .admin()
        .raw("GetUser", &json!({ "AccessToken": token }), false)
        .await
    {
        Ok(resp) => probe_status(&resp),
        Err(e) => Probe::Unknown(p.redactor.redact(&e.to_string())),
    }
}

async fn sign_in_probe(ctx: &RunContext, p: &Prepared) -> Probe<bool> {
    match ctx
        .provisioner
        .sign_in_raw(&p.client_id, &p.user.username)
        .await
    {
        Ok(_) => Probe::Seen(true),
        Err(AdminError::Service { status, .. }) if (400..500).contains(&status) => {
            Probe::Seen(false)
        }
        Err(e) => Probe::Unknown(p.redactor.redact(&e.to_string())),
    }
}

fn probe_status(resp: &Response) -> Probe<bool> {
    match resp.status {
        200..=299 => Probe::Seen(true),
        400..=499 => Probe::Seen(false),
        s => Probe::Unknown(format!("GetUser answered HTTP {s}")),
    }
}

/// What a report shows of a response: redacted, the body cut at [`BODY_SHOWN`] characters
/// and the message clipped.
pub fn summarize(resp: &Response, r: &Redactor) -> ObservedSummary {
    let text = String::from_utf8_lossy(&resp.body);
    let mut body: String = text.chars().take(BODY_SHOWN).collect();
    if text.chars().count() > BODY_SHOWN {
        body.push_str(&format!("… ({} bytes in all)", resp.body.len()));
    }
    ObservedSummary {
        status: resp.status,
        error_type: resp.error_type().map(|t| visible(&r.redact(&t))),
        // As sent: a number stays `42`.
        message: resp.message_shown().map(|m| clip(&r.redact(&m))),
        body: visible(&r.redact(&body)),
    }
}
