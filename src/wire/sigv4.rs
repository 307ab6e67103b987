//! SigV4 signing of set-up (admin) calls with the `aws-sigv4` crate.
//!
//! The three operations under test are `authtype: none` in the model and are sent unsigned;
//! only provisioning and read-back calls are signed.
//!
//! For the cases about SigV4 itself: [`sign_request_with_fault`] signs wrongly on purpose
//! (stale or future `X-Amz-Date`, wrong secret, unknown access key id, tampered signature), and
//! [`parse_authorization`], [`parse_amz_date`] and [`expected_signature`] are what a verifier
//! (the embedded reference) needs to recompute a signature with the same canonical-request code.

use std::fmt;
use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

use super::request::Request;

/// AWS credentials. `Debug` never shows the secret or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    /// Access key id (not secret, but still shown only abbreviated).
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
    /// Session token of temporary credentials.
    pub session_token: Option<String>,
    /// Where they came from (`environment`, `profile default`, `loopback placeholder`).
    pub source: String,
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &abbreviate(&self.access_key_id))
            .field("secret_access_key", &"[redacted]")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[redacted]"),
            )
            .field("source", &self.source)
            .finish()
    }
}

fn abbreviate(key: &str) -> String {
    let head: String = key.chars().take(4).collect();
    format!("{head}…")
}

/// Signing failed (a header the signer cannot encode, or a URL it cannot parse).
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot sign request: {0}")]
pub struct SignError(String);

impl SignError {
    /// A request that cannot be signed, and why.
    pub fn new(why: impl Into<String>) -> SignError {
        SignError(why.into())
    }
}

/// Add `Authorization`, `X-Amz-Date` (and `X-Amz-Security-Token`) to `request` for `url`.
pub fn sign_request(
    request: &mut Request,
    url: &str,
    credentials: &AwsCredentials,
    region: &str,
    time: SystemTime,
) -> Result<(), SignError> {
    let url = &request.url(url);
    let parsed = url::Url::parse(url).map_err(|e| SignError(format!("url {url}: {e}")))?;
    let host = match parsed.port() {
        Some(p) => format!("{}:{p}", parsed.host_str().unwrap_or_default()),
        None => parsed.host_str().unwrap_or_default().to_string(),
    };
    request.set_header("Host", &host);
    let identity = aws_credential_types::Credentials::new(
        &credentials.access_key_id,
        &credentials.secret_access_key,
        credentials.session_token.clone(),
        None,
        "cognito-conformance",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("cognito-idp")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| SignError(e.to_string()))?
        .into();
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest::new(
        &request.method,
        url,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| SignError(e.to_string()))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| SignError(e.to_string()))?
        .into_parts();
    let (new_headers, _params) = instructions.into_parts();
    for h in new_headers {
        request.set_header(h.name(), h.value());
    }
    // reqwest sets Host itself; keeping ours would send it twice.
    request.remove_header("Host");
    Ok(())
}

/// The SigV4 algorithm name that opens a signed `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
/// Signature=...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Access key id of the credential scope.
    pub access_key_id: String,
    /// `YYYYMMDD` of the credential scope.
    pub scope_date: String,
    /// Region of the credential scope.
    pub region: String,
    /// Service of the credential scope (`cognito-idp`).
    pub service: String,
    /// Terminator of the credential scope (`aws4_request`).
    pub terminator: String,
    /// `SignedHeaders`, lower-cased, in the order sent.
    pub signed_headers: Vec<String>,
    /// `Signature` (hex).
    pub signature: String,
}

/// Why an `Authorization` header is not a usable SigV4 header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorizationParseError {
    /// The header does not start with `AWS4-HMAC-SHA256`.
    #[error("not an {ALGORITHM} authorization")]
    NotSigV4,
    /// Parameters are missing (`Credential`, `Signature`, `SignedHeaders`, in that order).
    #[error("missing parameters: {}", .0.join(", "))]
    MissingParameters(Vec<&'static str>),
    /// `Credential` is not `keyid/date/region/service/term`.
    #[error("credential {0:?} does not have five slash-delimited elements")]
    MalformedCredential(String),
}

/// Parse a SigV4 `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization, AuthorizationParseError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|r| r.is_empty() || r.starts_with(|c: char| c.is_ascii_whitespace()))
        .ok_or(AuthorizationParseError::NotSigV4)?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let Some((key, val)) = part.trim().split_once('=') else {
            continue;
        };
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        *slot = Some(val.trim().to_string());
    }
    let mut missing = Vec::new();
    for (name, present) in [
        ("Credential", credential.is_some()),
        ("Signature", signature.is_some()),
        ("SignedHeaders", signed_headers.is_some()),
    ] {
        if !present {
            missing.push(name);
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(AuthorizationParseError::MissingParameters(missing));
    };
    let parts: Vec<&str> = credential.split('/').collect();
    let [key, date, region, service, terminator] = parts.as_slice() else {
        return Err(AuthorizationParseError::MalformedCredential(credential));
    };
    Ok(Authorization {
        access_key_id: (*key).to_string(),
        scope_date: (*date).to_string(),
        region: (*region).to_string(),
        service: (*service).to_string(),
        terminator: (*terminator).to_string(),
        signed_headers: signed_headers
            .split(';')
            .filter(|h| !h.is_empty())
            .map(str::to_ascii_lowercase)
            .collect(),
        signature,
    })
}

/// `X-Amz-Date` form of a time: `20231114T221320Z` (whole seconds, UTC).
pub fn amz_date(time: SystemTime) -> String {
    let secs = aws_smithy_types::DateTime::from(time).secs();
    aws_smithy_types::DateTime::from_secs(secs)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .map(|s| s.replace(['-', ':'], ""))
        .unwrap_or_default()
}

/// Parse an `X-Amz-Date` value (`YYYYMMDDTHHMMSSZ`); `None` for anything else.
pub fn parse_amz_date(value: &str) -> Option<SystemTime> {
    let b = value.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &value[0..4],
        &value[4..6],
        &value[6..8],
        &value[9..11],
        &value[11..13],
        &value[13..15]
    );
    let parsed = aws_smithy_types::DateTime::from_str(
        &rfc3339,
        aws_smithy_types::date_time::Format::DateTime,
    )
    .ok()?;
    SystemTime::try_from(parsed).ok()
}

/// The signature (hex) that `credentials` give a request, computed with `aws-sigv4`'s
/// canonical-request logic: what a verifier compares with the `Signature` it received.
///
/// `headers` are exactly the headers to sign (a verifier passes the ones named in
/// `SignedHeaders`, with the values received, `host` included; `x-amz-date` is derived from
/// `time`). `url` needs a scheme and authority (only used when `host` is absent) plus the path
/// and query as received. Nothing is excluded by name: a header in `headers` is signed.
#[allow(clippy::too_many_arguments)]
pub fn expected_signature(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    credentials: &AwsCredentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<String, SignError> {
    let identity = aws_credential_types::Credentials::new(
        &credentials.access_key_id,
        &credentials.secret_access_key,
        credentials.session_token.clone(),
        None,
        "cognito-conformance",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| SignError(e.to_string()))?
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| SignError(e.to_string()))?;
    let (_instructions, signature) = sign(signable, &params)
        .map_err(|e| SignError(e.to_string()))?
        .into_parts();
    Ok(signature)
}

/// An access key id no target knows (for `UnrecognizedClientException` cases).
pub const UNKNOWN_ACCESS_KEY_ID: &str = "AKIAUNKNOWNCCF000000";

/// A deliberately wrong way to sign, for the cases that check how a target refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningFault {
    /// Sign as of `now` minus this much: a stale `X-Amz-Date`.
    Stale(std::time::Duration),
    /// Sign as of `now` plus this much: an `X-Amz-Date` in the future.
    Ahead(std::time::Duration),
    /// The right access key id with a wrong secret ([`wrong_secret`]).
    WrongSecret,
    /// An access key id the target does not know ([`UNKNOWN_ACCESS_KEY_ID`]).
    UnknownAccessKey,
    /// A correct signature with its last hex digit changed.
    TamperedSignature,
}

/// The same access key id with another secret.
pub fn wrong_secret(credentials: &AwsCredentials) -> AwsCredentials {
    AwsCredentials {
        secret_access_key: format!("wrong-{}", credentials.secret_access_key),
        source: format!("{} (wrong secret)", credentials.source),
        ..credentials.clone()
    }
}

/// The same secret under an access key id no target knows.
pub fn unknown_access_key(credentials: &AwsCredentials) -> AwsCredentials {
    AwsCredentials {
        access_key_id: UNKNOWN_ACCESS_KEY_ID.to_string(),
        source: format!("{} (unknown access key)", credentials.source),
        ..credentials.clone()
    }
}

/// [`sign_request`] as of `now`, but wrong in the way `fault` says.
pub fn sign_request_with_fault(
    request: &mut Request,
    url: &str,
    credentials: &AwsCredentials,
    region: &str,
    now: SystemTime,
    fault: SigningFault,
) -> Result<(), SignError> {
    match fault {
        SigningFault::Stale(d) => {
            let t = now
                .checked_sub(d)
                .ok_or_else(|| SignError(format!("cannot sign {d:?} before {now:?}")))?;
            sign_request(request, url, credentials, region, t)
        }
        SigningFault::Ahead(d) => {
            let t = now
                .checked_add(d)
                .ok_or_else(|| SignError(format!("cannot sign {d:?} after {now:?}")))?;
            sign_request(request, url, credentials, region, t)
        }
        SigningFault::WrongSecret => {
            sign_request(request, url, &wrong_secret(credentials), region, now)
        }
        SigningFault::UnknownAccessKey => {
            sign_request(request, url, &unknown_access_key(credentials), region, now)
        }
        SigningFault::TamperedSignature => {
            sign_request(request, url, credentials, region, now)?;
            let auth = request
                .header("authorization")
                .ok_or_else(|| SignError("no authorization header after signing".into()))?
                .to_string();
            let last = auth
                .chars()
                .last()
                .ok_or_else(|| SignError("empty authorization header".into()))?;
            let flipped = if last == '0' { '1' } else { '0' };
            let mut tampered = auth;
            tampered.pop();
            tampered.push(flipped);
            request.set_header("Authorization", &tampered);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> AwsCredentials {
        AwsCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            source: "test".into(),
        }
    }

    #[test]
    fn signs_with_cognito_idp_scope_and_never_shows_the_secret() {
        let mut req = Request::json("AdminGetUser", &serde_json::json!({"UserPoolId": "p"}));
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        sign_request(&mut req, "http://127.0.0.1:4566/", &creds(), "us-east-1", t).unwrap();
        let auth = req.header("authorization").unwrap();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/cognito-idp/aws4_request"), "{auth}");
        assert!(
            auth.contains("x-amz-target"),
            "target header must be signed: {auth}"
        );
        assert_eq!(req.header("x-amz-date"), Some("20231114T221320Z"));
        assert!(!format!("{:?}", creds()).contains("wJalr"));
    }

    #[test]
    fn signature_depends_on_the_body() {
        let t = SystemTime::UNIX_EPOCH;
        let mut a = Request::json("AdminGetUser", &serde_json::json!({"Username": "a"}));
        let mut b = Request::json("AdminGetUser", &serde_json::json!({"Username": "b"}));
        sign_request(&mut a, "http://h/", &creds(), "eu-west-1", t).unwrap();
        sign_request(&mut b, "http://h/", &creds(), "eu-west-1", t).unwrap();
        assert_ne!(a.header("authorization"), b.header("authorization"));
    }

    fn signed(t: SystemTime, c: &AwsCredentials) -> Request {
        let mut req = Request::json("AdminGetUser", &serde_json::json!({"UserPoolId": "p"}));
        sign_request(&mut req, "http://127.0.0.1:4566/", c, "us-east-1", t).unwrap();
        req
    }

    /// What a verifier does: recompute from the signed headers of the request as received.
    fn recompute(req: &Request, secret: &str) -> (Authorization, String) {
        let auth = parse_authorization(req.header("authorization").unwrap()).unwrap();
        let mut headers: Vec<(String, String)> = vec![("host".into(), "127.0.0.1:4566".into())];
        for name in &auth.signed_headers {
            if let Some(v) = req.header(name) {
                headers.push((name.clone(), v.to_string()));
            }
        }
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let creds = AwsCredentials {
            secret_access_key: secret.into(),
            ..creds()
        };
        let time = parse_amz_date(req.header("x-amz-date").unwrap()).unwrap();
        let sig = expected_signature(
            "POST",
            "http://127.0.0.1:4566/",
            &headers,
            &req.body,
            &creds,
            &auth.region,
            &auth.service,
            time,
        )
        .unwrap();
        (auth, sig)
    }

    #[test]
    fn authorization_headers_parse_and_report_what_is_missing() {
        let a = parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=Host;x-amz-date, Signature=abc").unwrap();
        assert_eq!(
            (
                a.access_key_id.as_str(),
                a.scope_date.as_str(),
                a.region.as_str(),
                a.service.as_str()
            ),
            ("AKID", "20260101", "eu-west-1", "cognito-idp")
        );
        assert_eq!(a.signed_headers, vec!["host", "x-amz-date"]);
        assert_eq!(a.signature, "abc");
        assert_eq!(
            parse_authorization("Bearer x"),
            Err(AuthorizationParseError::NotSigV4)
        );
        assert_eq!(
            parse_authorization("AWS4-HMAC-SHA256X Credential=a"),
            Err(AuthorizationParseError::NotSigV4)
        );
        assert_eq!(
            parse_authorization("AWS4-HMAC-SHA256 SignedHeaders=host"),
            Err(AuthorizationParseError::MissingParameters(vec![
                "Credential",
                "Signature"
            ]))
        );
        assert!(matches!(
            parse_authorization(
                "AWS4-HMAC-SHA256 Credential=AKID/20260101, SignedHeaders=host, Signature=0"
            ),
            Err(AuthorizationParseError::MalformedCredential(_))
        ));
    }

    #[test]
    fn amz_dates_round_trip() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(amz_date(t), "20231114T221320Z");
        assert_eq!(parse_amz_date("20231114T221320Z"), Some(t));
        assert_eq!(
            amz_date(t + std::time::Duration::from_millis(999)),
            "20231114T221320Z"
        );
        for bad in [
            "",
            "2023-11-14T22:13:20Z",
            "20231114T221320",
            "2023111XT221320Z",
            "20231314T221320Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_verifier_recomputes_the_signers_signature() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let req = signed(t, &creds());
        let (auth, sig) = recompute(&req, &creds().secret_access_key);
        assert_eq!(sig, auth.signature);
        let (auth, sig) = recompute(&req, "another secret");
        assert_ne!(sig, auth.signature);
    }

    #[test]
    fn faults_sign_wrongly_in_the_named_way() {
        let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let sign = |fault| {
            let mut req = Request::json("AdminGetUser", &serde_json::json!({"UserPoolId": "p"}));
            sign_request_with_fault(
                &mut req,
                "http://127.0.0.1:4566/",
                &creds(),
                "us-east-1",
                now,
                fault,
            )
            .unwrap();
            req
        };
        let stale = sign(SigningFault::Stale(std::time::Duration::from_secs(3600)));
        assert_eq!(stale.header("x-amz-date"), Some("20231114T211320Z"));
        assert_eq!(
            recompute(&stale, &creds().secret_access_key).1,
            recompute(&stale, &creds().secret_access_key).0.signature
        );
        let ahead = sign(SigningFault::Ahead(std::time::Duration::from_secs(60)));
        assert_eq!(ahead.header("x-amz-date"), Some("20231114T221420Z"));
        let wrong = sign(SigningFault::WrongSecret);
        let (auth, sig) = recompute(&wrong, &creds().secret_access_key);
        assert_eq!(auth.access_key_id, "AKIDEXAMPLE");
        assert_ne!(sig, auth.signature);
        let unknown = sign(SigningFault::UnknownAccessKey);
        let (auth, sig) = recompute(&unknown, &creds().secret_access_key);
        assert_eq!(
            (auth.access_key_id.as_str(), sig),
            (UNKNOWN_ACCESS_KEY_ID, auth.signature.clone())
        );
        let tampered = sign(SigningFault::TamperedSignature);
        let good = signed(now, &creds());
        let (t_auth, _) = recompute(&tampered, &creds().secret_access_key);
        let (g_auth, _) = recompute(&good, &creds().secret_access_key);
        assert_eq!(t_auth.signature.len(), g_auth.signature.len());
        assert_ne!(t_auth.signature, g_auth.signature);
        assert!(!format!("{:?}", wrong_secret(&creds())).contains("wJalr"));
    }
}
