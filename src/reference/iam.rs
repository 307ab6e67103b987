//! SigV4 authentication and IAM authorization of the signed (administrator) operations, as
//! Cognito's front end answers them (attribute-family rows X3-X7).
//!
//! The reference knows a set of principals (access key id, secret, ARN, allowed actions): its
//! default one, created with a random key pair at start ([`super::Reference::credentials`]),
//! the loopback placeholder pair of [`crate::target::credentials`] unless the server was
//! started strict ([`super::ReferenceConfig`]), and any registered through the control
//! operation `RegisterPrincipal`. A signature is recomputed with `aws-sigv4`'s
//! canonical-request code ([`crate::wire::sigv4::expected_signature`]) over the headers the
//! request names in `SignedHeaders`, the body and the path as received.
//!
//! Order of checks and answers (all HTTP 400):
//! 1. no `Authorization: AWS4-HMAC-SHA256 ...` -> `MissingAuthenticationTokenException`
//!    `Missing Authentication Token` (X3 observed the type and text; the status is not
//!    captured: 400 is a choice);
//! 2. `Credential`/`Signature`/`SignedHeaders` missing, a credential that is not five
//!    slash-delimited elements, or no parseable `X-Amz-Date` -> `IncompleteSignatureException`
//!    with AWS's usual texts (inferred: not in the sources; the reference requires
//!    `X-Amz-Date`, a `Date` header is not enough);
//! 3. unknown access key id, or a session token on a long-term key ->
//!    `UnrecognizedClientException` `The security token included in the request is invalid.`
//!    (X4 observed, 400);
//! 4. a scope service other than `cognito-idp` -> `InvalidSignatureException` `Credential
//!    should be scoped to correct service: 'cognito-idp'.` (inferred); any region is accepted
//!    (the suite signs with the region it was configured with);
//! 5. `X-Amz-Date` more than 15 minutes before the machine's clock -> `InvalidSignatureException`
//!    `Signature expired: <date> is now earlier than <now - 15 min> (<now> - 15 min.)`, more than
//!    15 minutes after the reference clock -> `Signature not yet current: <date> is still later
//!    than <now + 15 min> (<now> + 15 min.)`. X6 observed the expired form with a 15-minute
//!    window and status 400 on Coral services (amplify-js#3719, aws-sdk-js#254; the 5-minute
//!    form of aws-cli#6833 is API Gateway's); the "not yet current" text and the date-before-
//!    signature order are inferred. The lower bound uses the wall clock and the upper bound the
//!    advanced clock, so `AdvanceClock` (time passing for both sides) never makes the suite's
//!    fresh signatures stale;
//! 6. signature mismatch -> `InvalidSignatureException` `The request signature we calculated
//!    does not match the signature you provided. Check your AWS Secret Access Key and signing
//!    method. Consult the service documentation for details.` (X5 observed, 400);
//! 7. after the body is parsed: an action the principal may not perform ->
//!    `AccessDeniedException` `User: <arn> is not authorized to perform: cognito-idp:<Action> on
//!    resource: <pool arn> because no identity-based policy allows the cognito-idp:<Action>
//!    action` (X7 observed, 400, the post-2021 form; `resource: *` for operations without
//!    `UserPoolId`, observed for CreateUserPool). Denial before model validation is inferred
//!    (X8 not captured).

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, Method, Uri, header};
use rand::Rng;
use serde_json::Value;

use super::api_error::ApiError;
use super::breaks::{Break, Breaks};
use super::clock::Clock;
use super::ops::ids;
use crate::wire::sigv4::{
    ALGORITHM, AuthorizationParseError, AwsCredentials, amz_date, expected_signature,
    parse_amz_date, parse_authorization,
};

/// Signing name of Cognito user pools.
pub const SERVICE: &str = "cognito-idp";

/// How far `X-Amz-Date` may be from the server's clock.
pub const SIGNATURE_WINDOW_SECONDS: i64 = 15 * 60;

/// Access key id of the placeholder pair the suite signs with on loopback targets
/// (`target::credentials`).
pub const LOOPBACK_PLACEHOLDER_ACCESS_KEY_ID: &str = "cognitoconformance";
/// Secret of the loopback placeholder pair.
pub const LOOPBACK_PLACEHOLDER_SECRET: &str = "loopback-placeholder";

/// The observed signature-mismatch message (X5).
pub const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// Which `cognito-idp:` actions a principal may perform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actions {
    /// `*` or `cognito-idp:*`.
    All,
    /// These operations (names without the `cognito-idp:` prefix).
    Only(BTreeSet<String>),
}

impl Actions {
    /// From policy-like action names: `*`, `cognito-idp:*`, `cognito-idp:AdminGetUser` or
    /// `AdminGetUser`.
    pub fn from_names(names: &[String]) -> Actions {
        if names.iter().any(|n| n == "*" || n == "cognito-idp:*") {
            return Actions::All;
        }
        Actions::Only(
            names
                .iter()
                .map(|n| n.strip_prefix("cognito-idp:").unwrap_or(n).to_string())
                .collect(),
        )
    }

    /// Whether `operation` is allowed.
    pub fn allows(&self, operation: &str) -> bool {
        match self {
            Actions::All => true,
            Actions::Only(set) => set.contains(operation),
        }
    }

    /// As policy action names (`cognito-idp:*`, `cognito-idp:AdminGetUser`).
    pub fn names(&self) -> Vec<String> {
        match self {
            Actions::All => vec!["cognito-idp:*".to_string()],
            Actions::Only(set) => set.iter().map(|a| format!("cognito-idp:{a}")).collect(),
        }
    }
}

/// A principal that may sign requests. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Principal {
    /// Access key id.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
    /// `arn:aws:iam::<account>:user/<name>`.
    pub arn: String,
    /// Allowed actions.
    pub actions: Actions,
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .field("arn", &self.arn)
            .field("actions", &self.actions)
            .finish()
    }
}

impl Principal {
    /// A principal with a fresh random key pair.
    pub fn generate(arn: String, actions: Actions) -> Principal {
        Principal {
            access_key_id: random_access_key_id(),
            secret_access_key: random_secret(),
            arn,
            actions,
        }
    }

    /// The loopback placeholder pair of `target::credentials`, allowed everything.
    pub fn loopback_placeholder() -> Principal {
        Principal {
            access_key_id: LOOPBACK_PLACEHOLDER_ACCESS_KEY_ID.to_string(),
            secret_access_key: LOOPBACK_PLACEHOLDER_SECRET.to_string(),
            arn: user_arn("cognito-conformance-loopback-placeholder"),
            actions: Actions::All,
        }
    }

    /// Whoever sent a request a deliberately broken reference lets through unauthenticated
    /// (`breaks`): allowed everything.
    fn anyone() -> Principal {
        Principal {
            access_key_id: String::new(),
            secret_access_key: String::new(),
            arn: user_arn("anonymous"),
            actions: Actions::All,
        }
    }

    /// Its key pair as the suite's credentials type.
    pub fn credentials(&self, source: &str) -> AwsCredentials {
        AwsCredentials {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: None,
            source: source.to_string(),
        }
    }
}

/// `arn:aws:iam::<account>:user/<name>`.
pub fn user_arn(name: &str) -> String {
    format!("arn:aws:iam::{}:user/{name}", ids::ACCOUNT)
}

/// `AKIA` and 16 characters of `[A-Z2-7]`, like an AWS access key id.
fn random_access_key_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = rand::rng();
    let tail: String = (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("AKIA{tail}")
}

/// 40 characters of `[A-Za-z0-9+/]`, like an AWS secret access key.
fn random_secret() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut rng = rand::rng();
    (0..40)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// The principals a server knows, by access key id.
#[derive(Debug, Default)]
pub struct Principals {
    by_key: HashMap<String, Principal>,
}

impl Principals {
    /// Add (or replace) a principal.
    pub fn insert(&mut self, principal: Principal) {
        self.by_key
            .insert(principal.access_key_id.clone(), principal);
    }

    /// The principal of an access key id.
    pub fn get(&self, access_key_id: &str) -> Option<&Principal> {
        self.by_key.get(access_key_id)
    }

    /// Forget a principal; whether it was known.
    pub fn remove(&mut self, access_key_id: &str) -> bool {
        self.by_key.remove(access_key_id).is_some()
    }

    /// How many there are.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.by_key.len()
    }
}

fn incomplete(message: String) -> ApiError {
    ApiError::new("IncompleteSignatureException", message)
}

fn invalid_signature(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidSignatureException", message)
}

fn unrecognized() -> ApiError {
    ApiError::new(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )
}

fn at(seconds: i64) -> SystemTime {
    match u64::try_from(seconds) {
        Ok(s) => UNIX_EPOCH + Duration::from_secs(s),
        Err(_) => UNIX_EPOCH,
    }
}

fn epoch_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// Whether `X-Amz-Date` (`date`, `signed_at` in epoch seconds) is fresh by the reference's
/// clock; the InvalidSignatureException otherwise.
pub fn check_freshness(date: &str, signed_at: i64, clock: &Clock) -> Result<(), ApiError> {
    freshness(date, signed_at, clock.wall_now(), clock.now())
}

/// [`check_freshness`] against a given wall time and (advanced) reference time.
fn freshness(date: &str, signed_at: i64, wall: i64, now: i64) -> Result<(), ApiError> {
    let window_minutes = SIGNATURE_WINDOW_SECONDS / 60;
    let earliest = wall.min(now).saturating_sub(SIGNATURE_WINDOW_SECONDS);
    if signed_at < earliest {
        return Err(invalid_signature(format!(
            "Signature expired: {date} is now earlier than {} ({} - {window_minutes} min.)",
            amz_date(at(earliest)),
            amz_date(at(wall.min(now))),
        )));
    }
    let latest = wall.max(now).saturating_add(SIGNATURE_WINDOW_SECONDS);
    if signed_at > latest {
        return Err(invalid_signature(format!(
            "Signature not yet current: {date} is still later than {} ({} + {window_minutes} min.)",
            amz_date(at(latest)),
            amz_date(at(wall.max(now))),
        )));
    }
    Ok(())
}

/// The request under authentication, and the operation it calls.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    /// `POST`.
    pub method: &'a Method,
    /// `/`.
    pub uri: &'a Uri,
    /// Its headers.
    pub headers: &'a HeaderMap,
    /// Its body.
    pub body: &'a [u8],
    /// The operation (`X-Amz-Target`).
    pub operation: &'a str,
}

/// Authenticate a signed request: the principal whose signature it carries. A deliberately
/// broken reference skips the check its break names (`breaks`, auth.*).
pub fn authenticate(
    principals: &Principals,
    clock: &Clock,
    request: Signed<'_>,
    breaks: &Breaks,
) -> Result<Principal, ApiError> {
    let Signed {
        method,
        uri,
        headers,
        body,
        operation,
    } = request;
    let lets = |b: Break| breaks.applies(b, operation);
    let missing = || {
        ApiError::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
    };
    let Some(raw) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with(ALGORITHM))
    else {
        return if lets(Break::UnsignedAccepted) {
            Ok(Principal::anyone())
        } else {
            Err(missing())
        };
    };
    let auth = match parse_authorization(raw) {
        Ok(a) => a,
        Err(AuthorizationParseError::MissingParameters(names)) => {
            let mut m: String = names
                .iter()
                .map(|n| format!("Authorization header requires '{n}' parameter. "))
                .collect();
            m.push_str(&format!("Authorization={raw}"));
            return Err(incomplete(m));
        }
        Err(AuthorizationParseError::MalformedCredential(c)) => {
            return Err(incomplete(format!(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{c}'"
            )));
        }
        Err(_) => return Err(missing()),
    };
    let date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            incomplete(format!(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={raw}"
            ))
        })?;
    let signed_at = parse_amz_date(date).ok_or_else(|| {
        incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    })?;
    let Some(principal) = principals.get(&auth.access_key_id) else {
        return if lets(Break::UnknownKeyAccepted) {
            Ok(Principal::anyone())
        } else {
            Err(unrecognized())
        };
    };
    if headers.contains_key("x-amz-security-token") {
        return Err(unrecognized());
    }
    if auth.service != SERVICE {
        return Err(invalid_signature(format!(
            "Credential should be scoped to correct service: '{SERVICE}'."
        )));
    }
    if !lets(Break::StaleSignatureAccepted) {
        check_freshness(date, epoch_seconds(signed_at), clock)?;
    }
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        for v in headers.get_all(name.as_str()) {
            let Ok(v) = v.to_str() else {
                return Err(invalid_signature(SIGNATURE_MISMATCH));
            };
            signed.push((name.as_str(), v));
        }
    }
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("http://reference.invalid{path}");
    let expected = expected_signature(
        method.as_str(),
        &url,
        &signed,
        body,
        &principal.credentials("request"),
        &auth.region,
        SERVICE,
        signed_at,
    )
    .map_err(|_| invalid_signature(SIGNATURE_MISMATCH))?;
    let matches = auth.terminator == "aws4_request"
        && aws_lc_rs::constant_time::verify_slices_are_equal(
            expected.as_bytes(),
            auth.signature.as_bytes(),
        )
        .is_ok();
    if !matches && !lets(Break::SignatureNotVerified) {
        return Err(invalid_signature(SIGNATURE_MISMATCH));
    }
    Ok(principal.clone())
}

/// `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`.
pub fn pool_arn(pool_id: &str) -> String {
    format!(
        "arn:aws:cognito-idp:{}:{}:userpool/{pool_id}",
        ids::REGION,
        ids::ACCOUNT
    )
}

/// Whether `principal` may perform `operation` on the resource the body names (its
/// `UserPoolId`, or `*`); a reference broken for auth.access-denied does not ask.
pub fn authorize(
    principal: &Principal,
    operation: &str,
    body: &Value,
    breaks: &Breaks,
) -> Result<(), ApiError> {
    if principal.actions.allows(operation) || breaks.applies(Break::IamNotEvaluated, operation) {
        return Ok(());
    }
    let resource = body
        .get("UserPoolId")
        .and_then(Value::as_str)
        .map_or_else(|| "*".to_string(), pool_arn);
    Err(ApiError::new(
        "AccessDeniedException",
        format!(
            "User: {} is not authorized to perform: cognito-idp:{operation} on resource: {resource} because no identity-based policy allows the cognito-idp:{operation} action",
            principal.arn
        ),
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn actions_accept_policy_and_bare_names() {
        let a = Actions::from_names(&["cognito-idp:AdminGetUser".into(), "ListUserPools".into()]);
        assert!(a.allows("AdminGetUser") && a.allows("ListUserPools"));
        assert!(!a.allows("AddCustomAttributes"));
        assert_eq!(
            a.names(),
            vec!["cognito-idp:AdminGetUser", "cognito-idp:ListUserPools"]
        );
        assert_eq!(Actions::from_names(&["*".into()]), Actions::All);
        assert_eq!(Actions::from_names(&["cognito-idp:*".into()]), Actions::All);
        assert!(!Actions::from_names(&[]).allows("AdminGetUser"));
    }

    #[test]
    fn generated_keys_look_like_aws_keys_and_secrets_are_not_shown() {
        let p = Principal::generate(user_arn("x"), Actions::All);
        assert_eq!(p.access_key_id.len(), 20);
        assert!(p.access_key_id.starts_with("AKIA"));
        assert_eq!(p.secret_access_key.len(), 40);
        assert_ne!(p, Principal::generate(user_arn("x"), Actions::All));
        assert!(!format!("{p:?}").contains(&p.secret_access_key));
        assert_eq!(p.arn, "arn:aws:iam::000000000000:user/x");
    }

    #[test]
    fn placeholder_matches_what_the_suite_signs_loopback_targets_with() {
        let env = BTreeMap::from([("HOME".to_string(), "/nonexistent".to_string())]);
        let c = crate::target::credentials::resolve(&env, true).unwrap();
        let p = Principal::loopback_placeholder();
        assert_eq!(
            (c.access_key_id.as_str(), c.secret_access_key.as_str()),
            (p.access_key_id.as_str(), p.secret_access_key.as_str())
        );
    }

    #[test]
    fn access_denied_names_principal_action_and_pool() {
        let p = Principal {
            access_key_id: "AKIA".into(),
            secret_access_key: "s".into(),
            arn: user_arn("reader"),
            actions: Actions::Only(["AdminGetUser".to_string()].into()),
        };
        let none = &Breaks::none();
        assert!(authorize(&p, "AdminGetUser", &serde_json::json!({}), none).is_ok());
        let body = serde_json::json!({"UserPoolId": "us-east-1_abc"});
        let e = authorize(&p, "AddCustomAttributes", &body, none).unwrap_err();
        let broken = Breaks::of([Break::IamNotEvaluated]);
        assert!(authorize(&p, "AddCustomAttributes", &body, &broken).is_ok());
        assert_eq!(e.kind, "AccessDeniedException");
        assert_eq!(e.status(), 400);
        assert_eq!(
            e.message.as_deref(),
            Some(
                "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: cognito-idp:AddCustomAttributes on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc because no identity-based policy allows the cognito-idp:AddCustomAttributes action"
            )
        );
        let e = authorize(
            &p,
            "CreateUserPool",
            &serde_json::json!({"PoolName": "x"}),
            none,
        )
        .unwrap_err();
        assert!(e.message.unwrap().contains("on resource: * because"));
    }

    #[test]
    fn freshness_window_is_fifteen_minutes_each_way() {
        let clock = Clock::default();
        let now = clock.now();
        assert!(check_freshness("d", now, &clock).is_ok());
        assert!(check_freshness("d", now - 14 * 60, &clock).is_ok());
        assert!(check_freshness("d", now + 14 * 60, &clock).is_ok());
        let e = check_freshness("20200101T000000Z", now - 16 * 60, &clock).unwrap_err();
        assert_eq!(e.kind, "InvalidSignatureException");
        let m = e.message.unwrap();
        assert!(
            m.starts_with("Signature expired: 20200101T000000Z is now earlier than ")
                && m.ends_with(" - 15 min.)"),
            "{m}"
        );
        let e = check_freshness("d", now + 16 * 60, &clock).unwrap_err();
        assert!(
            e.message
                .unwrap()
                .starts_with("Signature not yet current: d is still later than ")
        );
    }

    #[test]
    fn an_advanced_clock_accepts_both_wall_and_advanced_signing_times() {
        let mut clock = Clock::default();
        let wall = clock.wall_now();
        clock.advance(3600);
        assert!(check_freshness("d", wall, &clock).is_ok());
        assert!(check_freshness("d", wall + 3600, &clock).is_ok());
        assert!(check_freshness("d", wall - 16 * 60, &clock).is_err());
        assert!(check_freshness("d", wall + 3600 + 16 * 60, &clock).is_err());
    }

    #[test]
    fn expired_and_future_messages_have_coral_form() {
        let wall = 1_700_000_000;
        let e = freshness("20000101T000000Z", 946_684_800, wall, wall).unwrap_err();
        assert_eq!(
            e.message.unwrap(),
            "Signature expired: 20000101T000000Z is now earlier than 20231114T215820Z (20231114T221320Z - 15 min.)"
        );
        let e = freshness("20231114T230000Z", wall + 2800, wall, wall + 60).unwrap_err();
        assert_eq!(
            e.message.unwrap(),
            "Signature not yet current: 20231114T230000Z is still later than 20231114T222920Z (20231114T221420Z + 15 min.)"
        );
    }
}
