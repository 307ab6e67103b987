//! The AWS JSON 1.1 front door: routing by `X-Amz-Target`, protocol checks, body parsing, the
//! three validation layers, dispatch, and the response format.
//!
//! A request with any other method than `POST` is routed nowhere: 404 with the front end's
//! `{"code":"BadRequest",...}` body (requirement `protocol.unroutable-get`).
//!
//! Order of checks for `POST /` (each failure ends the request):
//! 1. `X-Amz-Target` missing, or naming no operation this server has ->
//!    400 `UnknownOperationException`.
//! 2. `Content-Type` other than `application/x-amz-json-1.1` (or `application/json`, which
//!    AWS SDKs also send) -> 400 `UnknownOperationException`. Coral selects the protocol (and
//!    with it the operation) from the content type, so a request it cannot read is unroutable;
//!    the fixtures' strict tier expects the same type.
//! 3. SigV4 operations (`authtype v4`): the signature is verified against the server's
//!    principals ([`super::iam::authenticate`]: `MissingAuthenticationTokenException`,
//!    `IncompleteSignatureException`, `UnrecognizedClientException`,
//!    `InvalidSignatureException`). Token-authorized operations ignore any signature.
//! 4. An injected fault for the operation fires (and is consumed).
//! 5. Body: empty or not JSON -> `SerializationException` (the fixtures' strict choice for an
//!    empty body: there is no document to deserialize); a top-level `null` means "no members".
//! 6. JSON types -> `SerializationException`; 7. SigV4 operations: the principal must be allowed
//!    the action on the body's pool ([`super::iam::authorize`], `AccessDeniedException`);
//!    8. model constraints -> `InvalidParameterException` (`N validation error(s) detected:
//!    ...`); 9. the operation (token, then semantic rules).
//!
//! Every response carries `x-amzn-RequestId` and `Content-Type: application/x-amz-json-1.1`,
//! errors also `x-amzn-ErrorType: <Type>:`. A panic in a handler (a bug) becomes a 500
//! `InternalErrorException`, never a dropped connection; a slow or huge body an error too.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value};

use super::api_error::ApiError;
use super::app::App;
use super::breaks::{Break, Breaks};
use super::iam;
use super::jwt;
use super::ops::{self, input::Input};
use crate::contract::Model;
use crate::contract::json_types::check_json_types;
use crate::contract::token::TokenRejection;
use crate::contract::validate::{requirement_of, validate_input, validation_message};

/// The Cognito target prefix.
pub const COGNITO_PREFIX: &str = "AWSCognitoIdentityProviderService";
/// The test-control target prefix.
pub const CONTROL_PREFIX: &str = "CognitoConformanceReference";
/// Largest accepted body. ClientMetadata values may be 128 KiB each; 2 MiB is ample.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Time allowed for the body to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The response content type.
pub const AMZ_JSON: &str = "application/x-amz-json-1.1";

/// The body real Cognito's front end answers a request it cannot route to any operation with
/// (seen with HTTP 404; requirement `protocol.unroutable-get`).
pub const UNROUTABLE_BODY: &str = r#"{"code":"BadRequest","message":"The server did not understand the operation that was requested.","type":"client"}"#;

/// What a request addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target<'a> {
    Cognito(&'a str),
    Control(&'a str),
}

/// A successful output: a document, or nothing (operations the model gives no output).
#[derive(Debug)]
enum Output {
    Json(Value),
    Empty,
}

/// The axum handler for every request.
pub async fn handle(State(app): State<Arc<App>>, req: Request) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    if parts.method == Method::GET
        && let Some(jwks) = jwks_path(parts.uri.path())
    {
        return respond(&request_id, Ok(Output::Json(jwks)), &app.breaks);
    }
    if parts.method != Method::POST && !app.breaks.has(Break::GetDispatched) {
        return unroutable(&request_id);
    }
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES))
        .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            let e = ApiError {
                status: Some(413),
                ..ApiError::new("RequestEntityTooLargeException", "Request body too large")
            };
            return respond(&request_id, Err(e), &app.breaks);
        }
        Err(_) => {
            let e = ApiError {
                status: Some(408),
                ..ApiError::new(
                    "RequestTimeoutException",
                    "Request body not received in time",
                )
            };
            return respond(&request_id, Err(e), &app.breaks);
        }
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        process(&app, &parts.method, &parts.uri, &parts.headers, &bytes)
    }))
    .unwrap_or_else(|_| Err(ApiError::internal()));
    respond(&request_id, outcome, &app.breaks)
}

/// `/<pool id>/.well-known/jwks.json` -> the JWKS document.
fn jwks_path(path: &str) -> Option<Value> {
    let pool = path
        .strip_prefix('/')?
        .strip_suffix("/.well-known/jwks.json")?;
    (!pool.is_empty() && !pool.contains('/')).then(jwt::jwks)
}

fn target(headers: &HeaderMap) -> Result<Target<'_>, ApiError> {
    let raw = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(ApiError::unknown_operation)?;
    let (prefix, op) = raw
        .split_once('.')
        .ok_or_else(ApiError::unknown_operation)?;
    match prefix {
        COGNITO_PREFIX if ops::OPERATIONS.contains(&op) => Ok(Target::Cognito(op)),
        CONTROL_PREFIX => Ok(Target::Control(op)),
        _ => Err(ApiError::unknown_operation()),
    }
}

fn content_type_ok(headers: &HeaderMap) -> bool {
    let Some(v) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let media = v
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == AMZ_JSON || media == "application/json"
}

/// Parse the body into a JSON object (`null` = no members).
fn parse_body(bytes: &Bytes) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::serialization(
            "No content to map due to end-of-input",
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Null) => Ok(Value::Object(Map::new())),
        Ok(v) => Ok(v),
        // Without serde's "at line L column C": the column counts the bytes of the token the
        // body carries, whose length differs from run to run, and the golden would with it.
        Err(e) => Err(ApiError::serialization(format!(
            "Could not parse request body as JSON: {}",
            e.to_string().split(" at line ").next().unwrap_or_default()
        ))),
    }
}

fn process(
    app: &App,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Result<Output, ApiError> {
    let target = target(headers)?;
    if !content_type_ok(headers) && !app.breaks.has(Break::ContentTypeIgnored) {
        return Err(ApiError::unknown_operation());
    }
    let exact = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == AMZ_JSON);
    if !exact && app.breaks.has(Break::ClientContentTypeCrashes) {
        return Err(ApiError::internal());
    }
    match target {
        Target::Cognito(op) => {
            let model = Model::get();
            let operation = model
                .operation(op)
                .ok_or_else(ApiError::unknown_operation)?;
            let signed = operation.authtype == "v4";
            let principal = if signed || app.breaks.applies(Break::TokenOperationsSigned, op) {
                let store = app.lock();
                let request = iam::Signed {
                    method,
                    uri,
                    headers,
                    body: bytes,
                    operation: op,
                };
                Some(iam::authenticate(
                    &store.principals,
                    &store.clock,
                    request,
                    &app.breaks,
                )?)
            } else {
                None
            };
            if let Some(kind) = app.lock().faults.remove(op) {
                return Err(ops::fault_error(&kind, &app.breaks));
            }
            let body = parse_body(bytes).map_err(|e| {
                let blank = bytes.iter().all(u8::is_ascii_whitespace);
                let crash = if blank {
                    Break::EmptyBodyCrashes
                } else {
                    Break::MalformedJsonCrashes
                };
                if app.breaks.has(crash) {
                    ApiError::internal()
                } else {
                    e
                }
            })?;
            check_json_types(op, &body).map_err(|e| {
                if app.breaks.crashes_on(e.fault) {
                    ApiError::internal()
                } else {
                    ApiError::serialization(e.message)
                }
            })?;
            if let Some(p) = principal.as_ref().filter(|_| signed) {
                iam::authorize(p, op, &body, &app.breaks)?;
            }
            if let Some(message) = validation_message(&checked_violations(&app.breaks, op, &body)?)
            {
                return Err(ApiError::invalid(message));
            }
            let obj = body
                .as_object()
                .ok_or_else(|| ApiError::serialization("Unexpected field type"))?;
            let out = ops::cognito(app, &mut app.lock(), op, Input(obj))?;
            Ok(
                if app.breaks.applies(Break::NullOutputBody, op) && out == Value::Object(Map::new())
                {
                    Output::Json(Value::Null)
                } else if operation.output.is_none() {
                    Output::Empty
                } else {
                    Output::Json(out)
                },
            )
        }
        Target::Control(op) => {
            let body = parse_body(bytes)?;
            let obj = body
                .as_object()
                .ok_or_else(|| ApiError::serialization("Unexpected field type"))?;
            ops::control(app, &mut app.lock(), op, Input(obj)).map(Output::Json)
        }
    }
}

/// The model-constraint violations of `body`, less those the breaks leave unchecked
/// (validation.*); a missing token refused as an invalid one under its break.
fn checked_violations(
    breaks: &Breaks,
    op: &str,
    body: &Value,
) -> Result<Vec<crate::contract::validate::Violation>, ApiError> {
    let mut violations = validate_input(op, body);
    if breaks.has(Break::MissingTokenAsInvalid)
        && violations
            .iter()
            .any(|v| requirement_of(v) == "validation.access-token-missing")
    {
        return Err(TokenRejection::Invalid.into());
    }
    violations.retain(|v| !breaks.drops_violation(requirement_of(v)));
    if breaks.has(Break::FirstViolationOnly) {
        violations.truncate(1);
    }
    Ok(violations)
}

/// 404 with [`UNROUTABLE_BODY`]: no error-type header (none was seen), the usual content type.
fn unroutable(request_id: &str) -> Response {
    let mut resp = Response::new(Body::from(UNROUTABLE_BODY));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    resp
}

/// Header-safe message (visible ASCII and spaces only), for `x-amzn-ErrorMessage`.
fn header_safe(message: &str) -> Option<HeaderValue> {
    if message.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        HeaderValue::from_str(message).ok()
    } else {
        None
    }
}

fn respond(request_id: &str, outcome: Result<Output, ApiError>, breaks: &Breaks) -> Response {
    let query_style = breaks.has(Break::QueryStyleErrors);
    let (status, body, error) = match outcome {
        Ok(Output::Json(v)) => (200, v.to_string(), None),
        Ok(Output::Empty) => (200, String::new(), None),
        Err(e) if query_style => (e.status(), e.query_style_body().to_string(), None),
        Err(e) if breaks.has(Break::MessageAsList) => {
            (e.status(), e.listed_message_body().to_string(), Some(e))
        }
        Err(e) => (e.status(), e.body().to_string(), Some(e)),
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    if let Some(e) = error {
        if let Ok(v) = HeaderValue::from_str(&format!("{}:", e.kind)) {
            h.insert("x-amzn-ErrorType", v);
        }
        if let Some(v) = e.message.as_deref().and_then(header_safe) {
            h.insert("x-amzn-ErrorMessage", v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_paths() {
        assert!(jwks_path("/us-east-1_abc/.well-known/jwks.json").is_some());
        assert!(jwks_path("//.well-known/jwks.json").is_none());
        assert!(jwks_path("/a/b/.well-known/jwks.json").is_none());
    }

    #[test]
    fn bodies() {
        assert_eq!(
            parse_body(&Bytes::from_static(b"")).unwrap_err().kind,
            "SerializationException"
        );
        assert_eq!(
            parse_body(&Bytes::from_static(b"  \n")).unwrap_err().kind,
            "SerializationException"
        );
        assert_eq!(
            parse_body(&Bytes::from_static(b"{")).unwrap_err().kind,
            "SerializationException"
        );
        assert_eq!(
            parse_body(&Bytes::from_static(b"null")).unwrap(),
            Value::Object(Map::new())
        );
        assert_eq!(
            parse_body(&Bytes::from_static(b"1e999")).unwrap_err().kind,
            "SerializationException"
        );
    }

    #[test]
    fn content_types() {
        let mut h = HeaderMap::new();
        assert!(!content_type_ok(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.1; charset=utf-8"),
        );
        assert!(content_type_ok(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!content_type_ok(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.0"),
        );
        assert!(!content_type_ok(&h));
    }
}
