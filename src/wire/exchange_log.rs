//! What the log says about one HTTP exchange, and the secrets it learns from it.
//!
//! Every request and response body is scanned for secret-bearing members (`AccessToken`,
//! `Password`, `AuthParameters.PASSWORD`…) before anything is logged, so a token is known
//! to the log sink from the moment it crosses the wire, not from the moment the provisioner
//! gets round to reading it.

use std::time::Duration;

use tracing::{Level, debug, trace};

use super::client::{Response, WireError};
use super::request::Request;
use crate::secrets;

/// Longest body text put in one trace line.
const BODY_LOGGED: usize = 4096;

/// Register the exchange's secrets, then log it: a summary at debug, bodies at trace.
pub(crate) fn exchange(request: &Request, result: &Result<Response, WireError>, took: Duration) {
    let registry = secrets::global();
    registry.register_body(&request.body);
    if let Ok(r) = result {
        registry.register_body(&r.body);
    }
    let op = request.operation.as_str();
    let ms = took.as_millis() as u64;
    match result {
        Ok(r) => debug!(
            op,
            status = r.status,
            ms,
            request_bytes = request.body.len(),
            response_bytes = r.body.len(),
            error_type = r.error_type().as_deref(),
            "exchange"
        ),
        Err(e) => debug!(op, ms, error = %e, "exchange failed"),
    }
    if tracing::enabled!(Level::TRACE) {
        trace!(op, body = %shown(&request.body), "request body");
        if let Ok(r) = result {
            trace!(op, status = r.status, body = %shown(&r.body), "response body");
        }
    }
}

/// The body as text. Redaction is the sink's job; only a body that has to be cut short is
/// redacted here first, because a secret cut in half would no longer match anything the sink
/// knows.
fn shown(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.chars().nth(BODY_LOGGED).is_none() {
        return text.into_owned();
    }
    let text = secrets::global().redact(&text);
    match text.char_indices().nth(BODY_LOGGED) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], body.len()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_redacted_before_they_are_cut() {
        let token = format!("eyJhbGciOiJSUzI1NiJ9.eyJ{}.c2ln", "x".repeat(200));
        let body = format!("{}{token}", "a".repeat(BODY_LOGGED - 20));
        let out = shown(body.as_bytes());
        assert!(!out.contains("eyJhbGci"), "{out}");
        assert!(out.ends_with("[JWT]"), "{out}");
    }

    #[test]
    fn bodies_teach_the_registry_their_secrets() {
        let req = Request::json(
            "InitiateAuth",
            &serde_json::json!({"AuthParameters": {"PASSWORD": "Aa1!exchange-log-pw"}}),
        );
        let resp = Response {
            status: 200,
            headers: vec![],
            body: br#"{"AuthenticationResult":{"RefreshToken":"opaque-exchange-log-rt"}}"#.to_vec(),
            elapsed: Duration::ZERO,
        };
        exchange(&req, &Ok(resp), Duration::ZERO);
        assert_eq!(
            secrets::global().redact("Aa1!exchange-log-pw opaque-exchange-log-rt"),
            "[PASSWORD] [REFRESH_TOKEN]"
        );
    }
}
