//! Turning a case's `given` into real resources on the target: users, the token in the
//! requested state, and the placeholder bindings. Also the run's preflight (can this target
//! provision anything at all?) and the classification of set-up failures: a target that lacks
//! an operation a case's set-up needs makes the case `skip`, not `error`.

use std::collections::BTreeMap;

use super::RunContext;
use crate::case::Case;
use crate::case::fixture::TokenState;
use crate::case::placeholder::{Bindings, expand};
use crate::generate::ACCESS_TOKEN;
use crate::secrets::Redactor;
use crate::target::signing::{self, MintError};
use crate::target::{AdminError, Pool, Tokens, UserHandle, control, token};
use crate::vocab::{Capability, PoolKind, PoolScope, Signing};
use crate::wire::sigv4::AwsCredentials;

/// A token that matches the model's pattern but is no JWT.
pub const GARBAGE_TOKEN: &str = "ccfGarbageToken.notA.jwt";

/// Resources and values of one prepared case.
#[derive(Debug)]
pub struct Prepared {
    /// The case's pool.
    pub pool: Pool,
    /// The app client the token was issued to.
    pub client_id: String,
    /// The user under test.
    pub user: UserHandle,
    /// The user's real sign-in tokens, when it signed in.
    pub tokens: Option<Tokens>,
    /// The token `{{access_token}}` expands to.
    pub token_under_test: String,
    /// Placeholder values.
    pub bindings: Bindings,
    /// Redaction for this case (run secrets plus this case's tokens).
    pub redactor: Redactor,
    /// The case's pool was deleted on purpose (no state can be read back).
    pub pool_deleted: bool,
    /// The pool is the case's own: deleted when the case ends.
    pub own_pool: bool,
    /// The credentials of the principal without permission the request under test is signed
    /// with (`given.signing = "principal-without-permission"`), deleted when the case ends.
    pub principal: Option<AwsCredentials>,
}

/// Why a case could not be prepared.
#[derive(Debug)]
pub enum SetupError {
    /// The target lacks a capability (the reason names it).
    Skip(String),
    /// The target does not implement an operation the set-up needs.
    Unsupported(Unsupported),
    /// Provisioning failed (the harness could not run the case).
    Failed(String),
}

/// An operation the target answered as not implemented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The operation (`GlobalSignOut`).
    pub operation: String,
    /// What the target answered (redacted).
    pub answer: String,
}

/// Whether a failed set-up call means "the target does not implement this operation": HTTP
/// 501, or an error type or message that says so (moto's `NotImplemented`, cognito-local's
/// `Unsupported`, Coral's `UnknownOperationException`, …). Anything else is a failure of the
/// call itself.
pub fn unsupported(e: &AdminError) -> Option<(String, String)> {
    let AdminError::Service {
        operation,
        status,
        error_type,
        message,
    } = e
    else {
        return None;
    };
    let t = error_type.to_ascii_lowercase();
    let m = message.to_ascii_lowercase();
    let says = [
        "unsupported",
        "not implemented",
        "not yet implemented",
        "unknownoperation",
    ]
    .iter()
    .any(|w| t.contains(&w.replace(' ', "")) || m.contains(w));
    (*status == 501 || says).then(|| (operation.clone(), e.to_string()))
}

/// The skip reason of a case whose set-up needs an operation the target lacks.
pub fn why_missing_operation(u: &Unsupported) -> String {
    format!(
        "the set-up needs {}, which the target does not implement ({})",
        u.operation, u.answer
    )
}

/// A set-up the whole run depends on failed: nothing can be judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{step}: the endpoint answered {answer}{hint}")]
pub struct PreflightError {
    /// What the run was doing (`creating a user pool (CreateUserPool)`).
    pub step: String,
    /// What the target answered (redacted).
    pub answer: String,
    /// The likely cause, as `: <hint>`, or empty.
    pub hint: String,
}

/// Provision what every case needs once, before any case starts: the shared pool with its app
/// clients, a user, and a sign-in with it. A target that cannot do this cannot run any case;
/// the run says so once instead of failing every case (and never shrinks such a failure).
pub async fn preflight(ctx: &RunContext) -> Result<(), PreflightError> {
    let prov = &ctx.provisioner;
    let fail = |step: &str, e: AdminError| {
        let (answer, hint) = describe_failure(&e);
        PreflightError {
            step: step.to_string(),
            answer: ctx.redactor.redact(&answer),
            hint,
        }
    };
    let pool = prov.pool(PoolKind::Default).await.map_err(|e| {
        fail(
            "creating a user pool (CreateUserPool, CreateUserPoolClient)",
            e,
        )
    })?;
    let username = prov.username("preflight");
    let attrs = attributes(&username, &BTreeMap::new(), &Bindings::default()).map_err(|e| {
        PreflightError {
            step: "preparing the preflight user".into(),
            answer: e.to_string(),
            hint: String::new(),
        }
    })?;
    prov.create_user(&pool, &username, &attrs)
        .await
        .map_err(|e| fail("creating a user (AdminCreateUser, AdminSetUserPassword)", e))?;
    let signed_in = prov.sign_in(&pool.full_client, &username).await;
    // Best effort: the pool goes at the end of the run anyway.
    let _ = prov.delete_user(&pool, &username).await;
    signed_in.map_err(|e| fail("signing a user in (InitiateAuth, USER_PASSWORD_AUTH)", e))?;
    Ok(())
}

/// What the target answered, and the likely cause.
fn describe_failure(e: &AdminError) -> (String, String) {
    match e {
        AdminError::Service {
            status,
            error_type,
            message,
            ..
        } => {
            let answer = if error_type == "unknown" {
                format!("HTTP {status} without an AWS error type")
            } else if message.is_empty() {
                format!("HTTP {status} {error_type}")
            } else {
                format!("HTTP {status} {error_type}: {message}")
            };
            let hint = match error_type.as_str() {
                "UnrecognizedClientException"
                | "InvalidSignatureException"
                | "AccessDeniedException"
                | "MissingAuthenticationTokenException" => {
                    ": are the credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE) the ones this target accepts?"
                }
                "unknown" => ": is it a Cognito endpoint?",
                _ if unsupported(e).is_some() => {
                    ": the target does not implement an operation every case needs"
                }
                _ => "",
            };
            (answer, hint.to_string())
        }
        AdminError::BadResponse { reason, .. } => (
            format!("with a response the suite cannot use ({reason})"),
            ": is it a Cognito endpoint?".to_string(),
        ),
        other => (other.to_string(), String::new()),
    }
}

/// The reason a capability is missing, for the skip message.
pub fn why_missing(c: Capability) -> &'static str {
    match c {
        Capability::ClockControl => {
            "clock-control: tokens cannot be made to expire on demand (Cognito's shortest access-token validity is 5 minutes; only the embedded reference can advance its clock)"
        }
        Capability::TokenMinting => {
            "token-minting: the public API cannot issue this token (no admin scope / unconfirmed user); only the embedded reference can mint one"
        }
        Capability::FaultInjection => {
            "fault-injection: throttling and internal errors cannot be provoked safely; only the embedded reference can inject them"
        }
        Capability::SigningKey => {
            "signing-key: the suite does not hold the key the target signs its tokens with"
        }
        Capability::Sigv4Principals => {
            "sigv4-principals: the suite cannot make a SigV4 principal without permission here (only the embedded reference registers one on request; real AWS would need an IAM user or role made for the run, and the emulators, as the suite launches them, do not evaluate IAM policies)"
        }
    }
}

/// The skip reason of a case whose needs `missing` the target lacks: each capability's, and
/// for a token state the signing key could also make, why the suite has no key.
fn why_skipped(ctx: &RunContext, case: &Case, missing: &[Capability]) -> String {
    let mut reasons: Vec<String> = missing
        .iter()
        .map(|c| why_missing(*c).to_string())
        .collect();
    if case
        .given
        .token
        .made_with()
        .contains(&Capability::SigningKey)
        && let Err(why) = &ctx.signer
    {
        reasons.push(format!("signing-key: {why}"));
    }
    format!("target lacks {}", reasons.join("; "))
}

/// A token the target issued, copied with `edit` applied to its claims and signed with the
/// target's own key. A key that turns out not to be the target's makes the case a skip.
fn signed_copy(
    ctx: &RunContext,
    issued: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Result<String, SetupError> {
    let signer = ctx
        .signer
        .as_ref()
        .map_err(|why| SetupError::Skip(format!("target lacks signing-key: {why}")))?;
    signer.mint(issued, edit).map_err(|e| match e {
        MintError::Sign(_) => SetupError::Failed(format!("signing a token copy: {e}")),
        _ => SetupError::Skip(format!("signing-key: {e}")),
    })
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Prepare a case: pool, users, token, bindings.
pub async fn prepare(ctx: &RunContext, case: &Case, index: usize) -> Result<Prepared, SetupError> {
    let missing = case.missing_capabilities(&ctx.capabilities);
    if !missing.is_empty() {
        return Err(SetupError::Skip(why_skipped(ctx, case, &missing)));
    }
    // Which way a token state the target cannot be asked for is made: the target's own
    // control operations first, else a copy signed with its key.
    let has = |c: Capability| ctx.capabilities.contains(&c);
    // A call only some cases' set-up makes (GlobalSignOut, AdminDeleteUser, SignUp...) that the
    // target does not implement makes those cases skips; the provisioning every case needs
    // (pools, users, sign-in) failing is an error (and the run's preflight reports it once).
    let fail = |what: &str, e: &AdminError| match unsupported(e) {
        Some((operation, answer)) => SetupError::Unsupported(Unsupported {
            operation,
            answer: ctx.redactor.redact(&answer),
        }),
        None => SetupError::Failed(ctx.redactor.redact(&format!("{what}: {e}"))),
    };
    let broken = |what: &str, e: &dyn std::fmt::Display| {
        SetupError::Failed(ctx.redactor.redact(&format!("{what}: {e}")))
    };
    let given = &case.given;
    let prov = &ctx.provisioner;
    let tag = format!("c{index:03}");
    let own_pool = given.token == TokenState::DeletedPool || given.pool_scope == PoolScope::Own;
    let pool = if own_pool {
        prov.private_pool(given.pool, &tag)
            .await
            .map_err(|e| broken("creating the case's own pool", &e))?
    } else {
        prov.pool(given.pool)
            .await
            .map_err(|e| broken("creating the user pool", &e))?
    };
    let client_id = pool.client(given.client).to_string();

    // In a pool whose users sign in with their e-mail address, that address is the name every
    // call passes as `Username`.
    let api_name = |name: &str, attrs: &BTreeMap<String, String>| match attrs.get("email") {
        Some(email) if given.pool.email_is_username() => email.clone(),
        _ => name.to_string(),
    };
    let base = prov.username(&tag);
    let mut bindings = Bindings {
        username: base.clone(),
        unique_email: format!("{base}-new@example.com"),
        pool_id: pool.id.clone(),
        ..Default::default()
    };
    let user_attrs = attributes(&base, &given.user.attributes, &bindings)
        .map_err(|e| broken("given.user.attributes", &e))?;
    let username = api_name(&base, &user_attrs);
    bindings.username = username.clone();
    bindings.user = user_attrs.clone();
    let other = match &given.other_user {
        Some(spec) => {
            let other_base = format!("{base}b");
            let attrs = attributes(&other_base, &spec.attributes, &bindings)
                .map_err(|e| broken("given.other_user.attributes", &e))?;
            let other_name = api_name(&other_base, &attrs);
            let handle = prov
                .create_user(&pool, &other_name, &attrs)
                .await
                .map_err(|e| broken("creating the other user", &e))?;
            bindings.other_username = Some(other_name);
            bindings.other_user = attrs;
            Some(handle)
        }
        None => None,
    };
    let user = if given.token == TokenState::UnconfirmedUser {
        prov.sign_up(&pool, &username, &user_attrs)
            .await
            .map_err(|e| fail("signing the user up", &e))?
    } else {
        prov.create_user(&pool, &username, &user_attrs)
            .await
            .map_err(|e| broken("creating the user", &e))?
    };
    bindings.sub = user.sub.clone();

    let mut redactor = ctx.redactor.clone();
    let target_mints = given.token != TokenState::Expired
        && given.token.made_with().contains(&Capability::TokenMinting)
        && (has(Capability::TokenMinting) || given.token == TokenState::UnconfirmedUser);
    // A sign-in is a few RSA signatures on the target: the administrator cases that never send
    // the user's token and expect nothing of it skip it (the token under test is then empty,
    // and nothing expands it).
    let needs_sign_in = !target_mints && (given.token != TokenState::Access || uses_token(case));
    let tokens = if needs_sign_in {
        let t = prov
            .sign_in(&client_id, &username)
            .await
            .map_err(|e| broken("signing the user in", &e))?;
        redactor.add(&t.access, "ACCESS_TOKEN");
        redactor.add(&t.id, "ID_TOKEN");
        redactor.add(&t.refresh, "REFRESH_TOKEN");
        Some(t)
    } else {
        None
    };
    let access = tokens
        .as_ref()
        .map(|t| t.access.clone())
        .unwrap_or_default();
    let admin = prov.admin();
    let mut pool_deleted = false;
    let token_under_test = match given.token {
        TokenState::Access => access,
        TokenState::Id => tokens.as_ref().map(|t| t.id.clone()).unwrap_or_default(),
        TokenState::Refresh => tokens
            .as_ref()
            .map(|t| t.refresh.clone())
            .unwrap_or_default(),
        TokenState::Revoked => {
            prov.global_sign_out(&access)
                .await
                .map_err(|e| fail("GlobalSignOut", &e))?;
            access
        }
        TokenState::Expired if has(Capability::ClockControl) => {
            control::advance_clock(admin, 3600 + 120)
                .await
                .map_err(|e| fail("advancing the clock", &e))?;
            access
        }
        TokenState::Expired => signed_copy(ctx, &access, |c| signing::expire(c, unix_now()))?,
        TokenState::MissingAdminScope if !target_mints => {
            signed_copy(ctx, &access, |c| signing::rescope(c, "openid email"))?
        }
        TokenState::TamperedSignature => {
            token::tampered_signature(&access).map_err(|e| broken("tampering", &e))?
        }
        TokenState::AlgNone => token::alg_none(&access).map_err(|e| broken("alg none", &e))?,
        TokenState::OtherUserClaims => {
            let other = other
                .as_ref()
                .ok_or_else(|| SetupError::Failed("other-user-claims without other_user".into()))?;
            let theirs = prov
                .sign_in(&client_id, &other.username)
                .await
                .map_err(|e| broken("signing the other user in", &e))?;
            redactor.add(&theirs.access, "OTHER_ACCESS_TOKEN");
            token::swapped_claims(&access, &theirs.access)
                .map_err(|e| broken("swapping claims", &e))?
        }
        TokenState::Garbage => GARBAGE_TOKEN.to_string(),
        TokenState::DeletedUser => {
            prov.delete_user(&pool, &username)
                .await
                .map_err(|e| fail("AdminDeleteUser", &e))?;
            access
        }
        TokenState::DisabledUser => {
            prov.disable_user(&pool, &username)
                .await
                .map_err(|e| fail("AdminDisableUser", &e))?;
            access
        }
        TokenState::DeletedPool => {
            prov.delete_pool(&pool.id)
                .await
                .map_err(|e| fail("DeleteUserPool", &e))?;
            pool_deleted = true;
            access
        }
        TokenState::MissingAdminScope | TokenState::UnconfirmedUser => {
            let scope = if given.token == TokenState::MissingAdminScope {
                "openid email"
            } else {
                "aws.cognito.signin.user.admin"
            };
            control::mint_access_token(admin, &pool.id, &client_id, &username, scope)
                .await
                .map_err(|e| fail("minting a token", &e))?
        }
    };
    redactor.add(&token_under_test, "ACCESS_TOKEN");
    bindings.access_token = token_under_test.clone();
    let principal = match given.signing {
        Some(Signing::PrincipalWithoutPermission) => {
            let c = prov
                .principal_without_permission(&tag)
                .await
                .map_err(|e| fail("registering a principal without permission", &e))?;
            redactor.add(&c.secret_access_key, "AWS_SECRET_ACCESS_KEY");
            Some(c)
        }
        _ => None,
    };
    Ok(Prepared {
        pool,
        client_id,
        user,
        tokens,
        token_under_test,
        bindings,
        redactor,
        pool_deleted,
        own_pool,
        principal,
    })
}

/// The user's attributes: a unique verified email, then the fixture's (`""` drops a default).
fn attributes(
    username: &str,
    given: &BTreeMap<String, String>,
    bindings: &Bindings,
) -> Result<BTreeMap<String, String>, crate::case::placeholder::ExpandError> {
    let mut attrs = BTreeMap::from([
        ("email".to_string(), format!("{username}@example.com")),
        ("email_verified".to_string(), "true".to_string()),
    ]);
    for (name, value) in given {
        let v = expand(value, bindings)?;
        if v.is_empty() {
            attrs.remove(name);
        } else {
            attrs.insert(name.clone(), v);
        }
    }
    Ok(attrs)
}

/// Whether a case with a fresh access token uses it: a request carries `{{access_token}}`, or
/// an outcome says what the token does afterwards.
fn uses_token(case: &Case) -> bool {
    case.steps.iter().any(|step| {
        let w = &step.when;
        let sent = w
            .body
            .as_ref()
            .is_some_and(|b| b.to_string().contains(ACCESS_TOKEN))
            || w.raw_body
                .as_deref()
                .is_some_and(|b| b.contains(ACCESS_TOKEN))
            || w.headers.values().any(|v| v.contains(ACCESS_TOKEN));
        sent || step.then.outcomes.iter().any(|o| o.token.is_some())
    })
}
