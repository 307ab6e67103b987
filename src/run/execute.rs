//! One case end to end: prepare, read the state, send the request under test, read back,
//! evaluate, and describe the outcome (redacted, with a reproduction).

use std::time::Instant;

use serde_json::json;

use super::RunContext;
use super::setup::{Prepared, SetupError, prepare};
use crate::case::Case;
use crate::check::{Observed, Probe, Verdict, evaluate};
use crate::report::{CaseOutcome, ObservedSummary};
use crate::snapshot::{Capture, Exchange, Kind, Normalizer};
use crate::target::AdminError;
use crate::target::control;
use crate::wire::{Response, curl};

/// Largest body text kept in an outcome.
const BODY_SHOWN: usize = 2048;

/// Run one case and return its outcome (never panics on target behaviour).
pub async fn execute(ctx: &RunContext, case: &Case, index: usize) -> CaseOutcome {
    let start = Instant::now();
    let mut outcome = blank(case);
    let prepared = match prepare(ctx, case, index).await {
        Ok(p) => p,
        Err(SetupError::Skip(reason)) => {
            outcome.verdict = Verdict::Skip;
            outcome.reason = Some(reason);
            return finish(outcome, start);
        }
        Err(SetupError::Failed(reason)) => {
            outcome.verdict = Verdict::Error;
            outcome.reason = Some(format!("set-up failed: {reason}"));
            return finish(outcome, start);
        }
    };
    let request = match case.fixture.when.request(&prepared.bindings) {
        Ok(r) => r,
        Err(e) => {
            outcome.verdict = Verdict::Error;
            outcome.reason = Some(
                prepared
                    .redactor
                    .redact(&format!("cannot build the request: {e}")),
            );
            return finish(outcome, start);
        }
    };
    let then = match case.fixture.then.expanded(&prepared.bindings) {
        Ok(t) => t,
        Err(e) => {
            outcome.verdict = Verdict::Error;
            outcome.reason = Some(
                prepared
                    .redactor
                    .redact(&format!("cannot expand `then`: {e}")),
            );
            return finish(outcome, start);
        }
    };
    let check_state = then.state.is_some() || then.error.is_some();
    let before = if check_state {
        read_state(ctx, &prepared).await
    } else {
        Probe::NotChecked
    };
    let other = prepared
        .bindings
        .other_username
        .clone()
        .filter(|_| then.other_user_state.is_some() || then.error.is_some());
    let other_before = match &other {
        Some(name) => read_user(ctx, &prepared, name).await,
        None => Probe::NotChecked,
    };
    if let Some(fault) = case.fixture.given.fault
        && let Err(e) =
            control::inject_fault(ctx.provisioner.admin(), case.operation(), fault).await
    {
        outcome.verdict = Verdict::Error;
        outcome.reason = Some(format!("cannot inject the fault: {e}"));
        return finish(outcome, start);
    }
    // Throttling injected by the case is what it tests; any other throttling is retried and,
    // if it persists, makes the case an error rather than a failure of the target.
    let sent = ctx
        .provisioner
        .admin()
        .send_under_test(&request, case.fixture.given.fault.is_none())
        .await;
    if let Some(reason) = sent.still_throttled {
        outcome.verdict = Verdict::Error;
        outcome.reason = Some(reason);
        return finish(outcome, start);
    }
    let response = sent.response;
    let after = if check_state {
        read_state(ctx, &prepared).await
    } else {
        Probe::NotChecked
    };
    let other_after = match &other {
        Some(name) => read_user(ctx, &prepared, name).await,
        None => Probe::NotChecked,
    };
    let token_usable = match then.token {
        Some(_) => token_probe(ctx, &prepared).await,
        None => Probe::NotChecked,
    };
    let sign_in_works = match then.sign_in {
        Some(_) => sign_in_probe(ctx, &prepared).await,
        None => Probe::NotChecked,
    };
    let observed = Observed {
        response,
        before,
        after,
        other_before,
        other_after,
        token_usable,
        sign_in_works,
    };
    let mut mismatches = evaluate(case.operation(), &then, &observed);
    let exchange = Exchange::capture(&Capture {
        request: &request,
        response: &observed.response,
        after: &observed.after,
        token_usable: &observed.token_usable,
        sign_in_works: &observed.sign_in_works,
    });
    let mut normalizer = normalizer(&prepared);
    exchange.register_values(&mut normalizer);
    let rendered = exchange.render(&normalizer);
    if let Some(m) = ctx.goldens.get(&case.id).and_then(|g| g.compare(&rendered)) {
        mismatches.push(m);
    }
    outcome.exchange = Some(rendered);
    let r = &prepared.redactor;
    outcome.verdict = Verdict::of(&mismatches);
    outcome.mismatches = mismatches
        .into_iter()
        .map(|m| m.shown(|t| r.redact(t)))
        .collect();
    outcome.observed = observed
        .response
        .as_ref()
        .ok()
        .map(|resp| summarize(resp, r));
    outcome.reproduction = Some(curl::shorten_long_runs(&r.redact(&curl::reproduction(
        ctx.provisioner.admin().url(),
        &request,
        Some(&prepared.token_under_test),
    ))));
    if prepared.pool_deleted && check_state {
        outcome.reason =
            Some("state not read back: the case deleted its own pool on purpose".into());
    }
    finish(outcome, start)
}

pub(crate) fn blank(case: &Case) -> CaseOutcome {
    let f = &case.fixture;
    CaseOutcome {
        id: case.id.clone(),
        operation: case.operation().to_string(),
        group: case.group().to_string(),
        title: f.title.clone(),
        requirement: f.requirement.clone(),
        evidence_level: f.evidence.level,
        evidence_source: f.evidence.source.clone(),
        verdict: Verdict::Error,
        mismatches: vec![],
        reason: None,
        reproduction: None,
        observed: None,
        duration_ms: 0,
        exchange: None,
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

fn finish(mut o: CaseOutcome, start: Instant) -> CaseOutcome {
    o.duration_ms = start.elapsed().as_millis() as u64;
    o
}

async fn read_state(
    ctx: &RunContext,
    p: &Prepared,
) -> Probe<Option<std::collections::BTreeMap<String, String>>> {
    read_user(ctx, p, &p.user.username).await
}

async fn read_user(
    ctx: &RunContext,
    p: &Prepared,
    username: &str,
) -> Probe<Option<std::collections::BTreeMap<String, String>>> {
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
/// and the message clipped (shared by fixtures and generated cases).
pub(crate) fn summarize(resp: &Response, r: &crate::secrets::Redactor) -> ObservedSummary {
    let text = String::from_utf8_lossy(&resp.body);
    let mut body: String = text.chars().take(BODY_SHOWN).collect();
    if text.chars().count() > BODY_SHOWN {
        body.push_str(&format!("… ({} bytes in all)", resp.body.len()));
    }
    ObservedSummary {
        status: resp.status,
        error_type: resp
            .error_type()
            .map(|t| crate::text::visible(&r.redact(&t))),
        message: resp
            .error_message()
            .map(|m| crate::text::clip(&r.redact(&m))),
        body: crate::text::visible(&r.redact(&body)),
    }
}
