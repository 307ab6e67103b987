//! Running one generated case against the target: the user is provisioned as a fixture's
//! `given` would be, each call is sent and judged by [`crate::check::evaluate`] against the
//! oracle's `then` (state read back after every call), and the user is deleted at the end.
//!
//! The failing call is described like a fixture failure (mismatches, observed response, a curl
//! reproduction) and as a ready-made regression fixture: the user's state just before it as
//! `given`, the call as `when`, the contract's answer as `then`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::action::{Action, GenCase};
use super::oracle::{Expectation, TokenModel, UserModel, expect, pool_model};
use crate::case::Case;
use crate::case::fixture::{Fixture, Given, TokenState};
use crate::check::{Mismatch, Observed, Probe, Tier, evaluate};
use crate::report::ObservedSummary;
use crate::run::RunContext;
use crate::run::setup::{Prepared, SetupError, prepare};
use crate::target::provision::attributes_of;
use crate::wire::{Response, curl};

/// A call whose outcome differed from the contract's.
#[derive(Debug, Clone)]
pub struct StepReport {
    /// Index of the call in the case (0-based).
    pub step: usize,
    /// Expected vs actual (redacted).
    pub mismatches: Vec<Mismatch>,
    /// The target's answer (redacted).
    pub observed: Option<ObservedSummary>,
    /// A curl command for the call (`$ACCESS_TOKEN` for the token).
    pub reproduction: String,
    /// The call as a regression fixture.
    pub fixture: Fixture,
    /// What the call tests, for the fixture's file name (the fault of an invalid request, else
    /// what the contract says happens).
    pub label: String,
}

/// How a case ended.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Every call agreed with the contract (strict detail aside, see [`Execution::strict`]).
    Held,
    /// A call broke the contract (or the strict tier, in strict mode).
    Failed(Box<StepReport>),
    /// The harness could not set the case up or read the user back.
    Harness(String),
}

/// What running one case produced.
#[derive(Debug, Clone)]
pub struct Execution {
    /// Calls sent.
    pub calls_run: usize,
    /// The verdict.
    pub verdict: Verdict,
    /// The first call that differed in strict detail only.
    pub strict: Option<StepReport>,
}

/// Run `case` as the case with id `id` (`index` names its user), judging strict detail as a
/// failure when `strict`.
pub async fn execute(
    ctx: &RunContext,
    id: &str,
    index: usize,
    case: &GenCase,
    strict: bool,
) -> Execution {
    let mut run = Execution {
        calls_run: 0,
        verdict: Verdict::Held,
        strict: None,
    };
    let pool = pool_model(case.given.pool, case.given.client);
    let first = case.actions.first().cloned().unwrap_or(Action::GetUser);
    let start = expect(&pool, &UserModel::initial(&case.given), &first);
    let setup_case = Case {
        id: id.to_string(),
        path: PathBuf::new(),
        fixture: fixture(&case.given, &first, &start),
    };
    let prepared = match prepare(ctx, &setup_case, index).await {
        Ok(p) => p,
        Err(SetupError::Skip(r) | SetupError::Failed(r)) => {
            run.verdict = Verdict::Harness(format!("set-up failed: {r}"));
            return run;
        }
    };
    let username = prepared.user.username.clone();
    let mut before = match ctx.provisioner.read_user(&prepared.pool, &username).await {
        Ok(Some(attrs)) => Some(attrs),
        Ok(None) => {
            run.verdict = Verdict::Harness(
                "the new user cannot be read back (AdminGetUser: no such user)".into(),
            );
            return run;
        }
        Err(e) => {
            run.verdict = Verdict::Harness(
                prepared
                    .redactor
                    .redact(&format!("reading the new user back: {e}")),
            );
            return run;
        }
    };
    let mut user = UserModel::observed(before.as_ref().unwrap_or(&BTreeMap::new()), &username);
    for (step, action) in case.actions.iter().enumerate() {
        let exp = expect(&pool, &user, action);
        let outcome = call(ctx, &prepared, action, &exp, &before).await;
        run.calls_run = step + 1;
        let (mismatches, observed, after, reproduction) = match outcome {
            Ok(o) => o,
            Err(reason) => {
                run.verdict = Verdict::Harness(reason);
                break;
            }
        };
        if !mismatches.is_empty() {
            let contract = mismatches.iter().any(|m| m.tier == Tier::Contract);
            let report = StepReport {
                step,
                mismatches,
                observed,
                reproduction,
                fixture: fixture(&given_at(&case.given, &user), action, &exp),
                label: match action {
                    Action::Raw { name, .. } => name.clone(),
                    _ => exp.label.clone(),
                },
            };
            if contract || strict {
                run.verdict = Verdict::Failed(Box::new(report));
                break;
            }
            run.strict.get_or_insert(report);
        }
        user = exp.after;
        if let Probe::Seen(a) = after {
            before = a;
        }
    }
    if before.is_some() {
        // Best effort: the pool is deleted at the end of the run anyway.
        let _ = ctx.provisioner.delete_user(&prepared.pool, &username).await;
    }
    run
}

type CallOutcome = (
    Vec<Mismatch>,
    Option<ObservedSummary>,
    Probe<Option<BTreeMap<String, String>>>,
    String,
);

/// Send one call, read the user back, and compare.
async fn call(
    ctx: &RunContext,
    p: &Prepared,
    action: &Action,
    exp: &Expectation,
    before: &Option<BTreeMap<String, String>>,
) -> Result<CallOutcome, String> {
    let r = &p.redactor;
    let request = action
        .when()
        .request(&p.bindings)
        .map_err(|e| r.redact(&format!("cannot build the request: {e}")))?;
    let then = exp
        .then
        .expanded(&p.bindings)
        .map_err(|e| r.redact(&format!("cannot expand the expectation: {e}")))?;
    let admin = ctx.provisioner.admin();
    admin.pace().await;
    let response = admin.http().send(admin.url(), &request).await;
    let after = if matches!(action, Action::GetUser) {
        Probe::Seen(before.clone())
    } else {
        match ctx.provisioner.read_user(&p.pool, &p.user.username).await {
            Ok(v) => Probe::Seen(v),
            Err(e) => Probe::Unknown(r.redact(&e.to_string())),
        }
    };
    let observed = Observed {
        response,
        before: Probe::Seen(before.clone()),
        after,
        token_usable: Probe::NotChecked,
        sign_in_works: Probe::NotChecked,
        other_before: Probe::NotChecked,
        other_after: Probe::NotChecked,
    };
    let mut mismatches = evaluate(action.operation(), &then, &observed);
    if exp.get_user
        && let Ok(resp) = &observed.response
        && resp.status == 200
    {
        get_user_attributes(resp, before.as_ref(), &mut mismatches);
    }
    let mismatches: Vec<_> = mismatches
        .into_iter()
        .map(|m| m.shown(|t| r.redact(t)))
        .collect();
    let summary = observed
        .response
        .as_ref()
        .ok()
        .map(|resp| crate::run::execute::summarize(resp, r));
    let reproduction = curl::shorten_long_runs(&r.redact(&curl::reproduction(
        admin.url(),
        &request,
        Some(&p.token_under_test),
    )));
    Ok((mismatches, summary, observed.after, reproduction))
}

/// GetUser must show the attributes the user has (as AdminGetUser read them).
fn get_user_attributes(
    resp: &Response,
    stored: Option<&BTreeMap<String, String>>,
    out: &mut Vec<Mismatch>,
) {
    let shown = resp
        .json()
        .map(|b| attributes_of(&b, "UserAttributes"))
        .unwrap_or_default();
    let stored = stored.cloned().unwrap_or_default();
    let names: std::collections::BTreeSet<&String> = shown.keys().chain(stored.keys()).collect();
    for name in names {
        let (s, g) = (stored.get(name), shown.get(name));
        if s != g {
            let show = |v: Option<&String>| v.map_or("absent".to_string(), |v| format!("{v:?}"));
            out.push(Mismatch::contract(
                format!("get_user.{name}"),
                show(s),
                show(g),
            ));
        }
    }
}

/// The fixture for one call: `given` as the user was just before it, the call, its `then`.
fn fixture(given: &Given, action: &Action, exp: &Expectation) -> Fixture {
    Fixture {
        title: exp.title.clone(),
        requirement: exp.cite.requirement.clone(),
        evidence: exp.cite.evidence(),
        needs: vec![],
        given: given.clone(),
        when: action.when(),
        then: exp.then.clone(),
    }
}

/// The `given` that recreates `user`: its attributes over the defaults (`""` drops a default),
/// only those of the pool's schema (a target may add its own), and the token's state.
fn given_at(given: &Given, user: &UserModel) -> Given {
    let mut g = given.clone();
    g.token = match user.token {
        TokenModel::Valid => TokenState::Access,
        TokenModel::Revoked => TokenState::Revoked,
        // The user is deleted again by the set-up; its attributes stay the given ones.
        TokenModel::UserDeleted => {
            return Given {
                token: TokenState::DeletedUser,
                ..g
            };
        }
    };
    let schema = pool_model(given.pool, given.client).schema;
    let defaults = UserModel::initial(&Given::default()).attributes;
    let mut attrs: BTreeMap<String, String> = user
        .attributes
        .iter()
        .filter(|(k, v)| *k != "sub" && schema.get(k).is_some() && defaults.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for k in defaults
        .keys()
        .filter(|k| !user.attributes.contains_key(*k))
    {
        attrs.insert(k.clone(), String::new());
    }
    g.user.attributes = attrs;
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{ClientKind, PoolKind};

    #[test]
    fn given_at_recreates_the_model_over_the_defaults() {
        let given = Given {
            pool: PoolKind::Default,
            client: ClientKind::Full,
            ..Given::default()
        };
        let mut user = UserModel::initial(&given);
        user.attributes.remove("email_verified");
        user.attributes.insert("name".into(), "Ada".into());
        user.attributes.insert("sub".into(), "s-1".into());
        user.attributes.insert("cognito:extra".into(), "x".into());
        user.token = TokenModel::Revoked;
        let g = given_at(&given, &user);
        assert_eq!(g.token, TokenState::Revoked);
        assert_eq!(
            g.user.attributes,
            BTreeMap::from([
                ("email_verified".to_string(), String::new()),
                ("name".to_string(), "Ada".to_string())
            ])
        );
        user.token = TokenModel::UserDeleted;
        assert_eq!(given_at(&given, &user).token, TokenState::DeletedUser);
    }
}
