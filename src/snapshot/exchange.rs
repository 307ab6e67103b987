//! The normalized exchange a golden snapshot holds: what was sent, what came back, and the
//! user's state afterwards, rendered as YAML with every run-specific value numbered.
//!
//! Only what a client could rely on goes in: the status, the resolved error type, the message,
//! the body (JSON with its keys sorted, since member order carries no meaning), the headers
//! that matter for AWS JSON 1.1 (`content-type`, `x-amzn-errortype`, `x-amzn-errormessage`,
//! `x-amzn-requestid`), and the read-backs the case asked for. Dates, connection headers and
//! timing are left out: they differ between any two runs of the same service.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::normalize::{Kind, Normalizer};
use crate::check::Probe;
use crate::wire::{Request, Response, WireError};

/// Response headers a golden keeps (lowercase).
pub const KEPT_HEADERS: [&str; 4] = [
    "content-type",
    "x-amzn-errortype",
    "x-amzn-errormessage",
    "x-amzn-requestid",
];

/// A body: JSON when it parses, text otherwise.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// Parsed JSON, keys sorted.
    Json(Value),
    /// Anything else, lossily decoded.
    Text(String),
}

/// The request under test.
#[derive(Debug, Serialize)]
pub struct SentRequest {
    /// `X-Amz-Target` operation the request was built for.
    pub operation: String,
    /// HTTP method, when not `POST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path and query, when not `/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Headers as sent (names lowercased, sorted).
    pub headers: BTreeMap<String, String>,
    /// The body as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The error type, resolved as Smithy's awsJson1_1 rules say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The headers that matter.
    pub headers: BTreeMap<String, String>,
    /// The body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// The answer, or why there is none.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Reply {
    /// An HTTP response.
    Answer(Answer),
    /// No HTTP response (refused, reset, timed out...).
    Failed {
        /// Why.
        no_response: String,
    },
}

/// One normalized exchange.
#[derive(Debug, Serialize)]
pub struct Exchange {
    /// What was sent.
    pub request: SentRequest,
    /// What came back, or why nothing did.
    pub response: Reply,
    /// The user's attributes after the call (`deleted`: the user is gone), when the case
    /// reads them back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_after: Option<Value>,
    /// The pool's schema entries the call's outcomes name, read back after it (DescribeUserPool),
    /// each as sent or `absent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_after: Option<Value>,
    /// Whether GetUser still accepts the access token, when the case asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_usable: Option<Value>,
    /// Whether the user can still sign in, when the case asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_works: Option<Value>,
}

/// What the runner observed, borrowed, for [`Exchange::capture`].
pub struct Capture<'a> {
    /// The request under test.
    pub request: &'a Request,
    /// Its response.
    pub response: &'a Result<Response, WireError>,
    /// State after, if read.
    pub after: &'a Probe<Option<BTreeMap<String, String>>>,
    /// The schema entries to show, if the schema was read ([`crate::check::pool_schema::shown`]).
    pub schema_after: Option<Value>,
    /// Token probe.
    pub token_usable: &'a Probe<bool>,
    /// Sign-in probe.
    pub sign_in_works: &'a Probe<bool>,
}

impl Exchange {
    /// Build the exchange from what was observed.
    pub fn capture(c: &Capture<'_>) -> Exchange {
        let request = SentRequest {
            operation: c.request.operation.clone(),
            method: (c.request.method != crate::wire::POST).then(|| c.request.method.clone()),
            path: (c.request.path != "/").then(|| c.request.path.clone()),
            headers: c
                .request
                .headers
                .iter()
                .map(|(k, v)| {
                    let k = k.to_ascii_lowercase();
                    let v = signing_header(&k, v).unwrap_or_else(|| v.clone());
                    (k, v)
                })
                .collect(),
            body: body_of(&c.request.body),
        };
        let response = match c.response {
            Ok(r) => Reply::Answer(Answer {
                status: r.status,
                error_type: r.error_type(),
                message: r.error_message(),
                headers: r
                    .headers
                    .iter()
                    .filter(|(k, _)| KEPT_HEADERS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                body: body_of(&r.body),
            }),
            Err(e) => Reply::Failed {
                no_response: e.to_string(),
            },
        };
        Exchange {
            request,
            response,
            state_after: probe_value(c.after, |state| match state {
                Some(attrs) => serde_json::to_value(attrs).unwrap_or(Value::Null),
                None => Value::String("deleted".into()),
            }),
            schema_after: c.schema_after.clone(),
            token_usable: probe_value(c.token_usable, |b| Value::Bool(*b)),
            sign_in_works: probe_value(c.sign_in_works, |b| Value::Bool(*b)),
        }
    }

    /// Register the values only this run could have produced: the request id, the subs read
    /// back, and the masked destinations in the body (whatever their spelling).
    pub fn register_values(&self, n: &mut Normalizer) {
        if let Reply::Answer(a) = &self.response {
            if let Some(id) = a.headers.get("x-amzn-requestid") {
                n.know(id, Kind::RequestId);
            }
            if let Some(Body::Json(v)) = &a.body {
                for d in destinations(v) {
                    n.know(&d, Kind::Destination);
                }
            }
        }
        if let Some(Value::Object(attrs)) = &self.state_after
            && let Some(Value::String(sub)) = attrs.get("sub")
        {
            n.know(sub, Kind::Sub);
        }
    }

    /// YAML, normalized. Values are normalized before rendering, so placeholders never break
    /// the YAML quoting.
    pub fn render(&self, n: &Normalizer) -> String {
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        yaml(normalize_value(sort_keys(value), n))
    }

    /// The exchanges of a case's calls as one golden: the call of a one-call case as
    /// [`Exchange::render`] writes it; those of a case of `several` calls as `steps:`, a list in
    /// call order (also when a failure stopped it after the first). The run-specific values of
    /// every call (request ids, subs) are registered first, so each is replaced wherever it
    /// appears.
    pub fn render_steps(steps: &[Exchange], several: bool, n: &mut Normalizer) -> String {
        for e in steps {
            e.register_values(n);
        }
        match steps {
            [one] if !several => one.render(n),
            _ => {
                let all: Vec<Value> = steps
                    .iter()
                    .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
                    .collect();
                let value = serde_json::json!({ "steps": all });
                yaml(normalize_value(sort_keys(value), n))
            }
        }
    }
}

fn yaml(value: Value) -> String {
    serde_saphyr::to_string(&value)
        .unwrap_or_else(|e| format!("# cannot render the exchange as YAML: {e}\n"))
}

/// A SigV4 header as a golden shows it: what differs between runs and targets (access key
/// id, date, region, signature, session token) as placeholders, what a case chose (the signed
/// headers, an unknown access key id) as sent. `None` for any other header.
fn signing_header(name: &str, value: &str) -> Option<String> {
    match name {
        "x-amz-date" => Some("[AMZ_DATE]".into()),
        "x-amz-security-token" => Some("[SESSION_TOKEN]".into()),
        "authorization" => Some(match crate::wire::sigv4::parse_authorization(value) {
            Ok(a) => {
                let key = if a.access_key_id == crate::wire::sigv4::UNKNOWN_ACCESS_KEY_ID {
                    a.access_key_id.as_str()
                } else {
                    "[ACCESS_KEY_ID]"
                };
                format!(
                    "{} Credential={key}/[DATE]/[REGION]/{}/{}, SignedHeaders={}, Signature=[SIGNATURE]",
                    crate::wire::sigv4::ALGORITHM,
                    a.service,
                    a.terminator,
                    a.signed_headers.join(";")
                )
            }
            Err(_) => "[AUTHORIZATION]".into(),
        }),
        _ => None,
    }
}

fn body_of(bytes: &[u8]) -> Option<Body> {
    if bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Some(Body::Json(sort_keys(v))),
        Err(_) => Some(Body::Text(String::from_utf8_lossy(bytes).into_owned())),
    }
}

fn probe_value<T>(p: &Probe<T>, f: impl Fn(&T) -> Value) -> Option<Value> {
    match p {
        Probe::NotChecked => None,
        Probe::Seen(v) => Some(f(v)),
        Probe::Unknown(why) => Some(Value::String(format!("unknown: {why}"))),
    }
}

/// Objects with their keys in order (serde_json keeps insertion order in this crate).
fn sort_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let sorted: BTreeMap<String, Value> =
                map.into_iter().map(|(k, v)| (k, sort_keys(v))).collect();
            Value::Object(sorted.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}

fn normalize_value(v: Value, n: &Normalizer) -> Value {
    match v {
        Value::String(s) => Value::String(n.normalize(&s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|i| normalize_value(i, n)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (n.normalize(&k), normalize_value(v, n)))
                .collect(),
        ),
        other => other,
    }
}

/// Every string under a `Destination` member, at any depth.
fn destinations(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == "Destination" => out.push(s.clone()),
                    other => out.extend(destinations(other)),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| out.extend(destinations(i))),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::secrets::Redactor;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            elapsed: Duration::from_millis(3),
        }
    }

    fn render(token: &str, username: &str, request_id: &str, sub: &str, body: &str) -> String {
        let req = Request::json(
            "UpdateUserAttributes",
            &serde_json::json!({"AccessToken": token, "UserAttributes": [{"Name": "name", "Value": username}]}),
        );
        let resp = Ok(response(
            200,
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amzn-requestid", request_id),
                ("date", "Sun, 22 Nov 2026 10:00:00 GMT"),
            ],
            body,
        ));
        let after = Probe::Seen(Some(BTreeMap::from([
            ("sub".to_string(), sub.to_string()),
            ("name".to_string(), username.to_string()),
        ])));
        let ex = Exchange::capture(&Capture {
            request: &req,
            response: &resp,
            after: &after,
            schema_after: None,
            token_usable: &Probe::NotChecked,
            sign_in_works: &Probe::Seen(true),
        });
        let mut n = Normalizer::new(Redactor::new().with(token, "ACCESS_TOKEN"))
            .with(username, Kind::Username);
        ex.register_values(&mut n);
        ex.render(&n)
    }

    #[test]
    fn two_runs_of_the_same_behaviour_render_identically() {
        let one = render(
            "tok-aaaaaaaaaaaa",
            "ccf-1-aaaaaa-u",
            "req-1111-aaaa",
            "11111111-1111-4111-8111-111111111111",
            r#"{"CodeDeliveryDetailsList":[{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}]}"#,
        );
        let two = render(
            "tok-bbbbbbbbbbbb",
            "ccf-2-bbbbbb-u",
            "req-2222-bbbb",
            "22222222-2222-4222-8222-222222222222",
            r#"{"CodeDeliveryDetailsList":[{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"b***@e***"}]}"#,
        );
        assert_eq!(one, two);
        assert!(one.contains("[ACCESS_TOKEN]"), "{one}");
        assert!(
            one.contains("[SUB_1]") && one.contains("[REQUEST_ID_1]"),
            "{one}"
        );
        assert!(one.contains("[DESTINATION_1]"), "{one}");
        assert!(!one.contains("GMT"), "dates are not kept: {one}");
        assert!(!one.contains("tok-"), "{one}");
    }

    #[test]
    fn a_different_message_renders_differently() {
        let ok = render("tok-aaaaaaaaaaaa", "ccf-1-aaaaaa-u", "r-1", "s", "{}");
        let other = render(
            "tok-aaaaaaaaaaaa",
            "ccf-1-aaaaaa-u",
            "r-1",
            "s",
            r#"{"x":1}"#,
        );
        assert_ne!(ok, other);
    }

    #[test]
    fn a_non_json_body_is_kept_as_text() {
        assert!(matches!(body_of(b"<html>"), Some(Body::Text(t)) if t == "<html>"));
        assert!(body_of(b"").is_none());
    }

    #[test]
    fn several_calls_render_as_steps_in_order_and_one_call_as_before() {
        let capture = |op: &str, request_id: &str, schema: Option<Value>| {
            let req = Request::json(op, &serde_json::json!({"UserPoolId": "us-east-1_Abc"}));
            let resp = Ok(response(
                200,
                &[
                    ("content-type", "application/x-amz-json-1.1"),
                    ("x-amzn-requestid", request_id),
                ],
                "{}",
            ));
            Exchange::capture(&Capture {
                request: &req,
                response: &resp,
                after: &Probe::NotChecked,
                schema_after: schema,
                token_usable: &Probe::NotChecked,
                sign_in_works: &Probe::NotChecked,
            })
        };
        let n = || Normalizer::new(Redactor::new());
        let one = capture("AddCustomAttributes", "req-1111-aaaa", None);
        let mut plain = n();
        one.register_values(&mut plain);
        assert_eq!(
            Exchange::render_steps(std::slice::from_ref(&one), false, &mut n()),
            one.render(&plain)
        );
        let steps = [
            capture(
                "AddCustomAttributes",
                "req-1111-aaaa",
                Some(serde_json::json!({"custom:a": "absent"})),
            ),
            capture("AdminUpdateUserAttributes", "req-2222-bbbb", None),
        ];
        let text = Exchange::render_steps(&steps, true, &mut n());
        assert!(text.starts_with("steps:\n"), "{text}");
        let stopped = Exchange::render_steps(&steps[..1], true, &mut n());
        assert!(stopped.starts_with("steps:\n"), "{stopped}");
        let first = text.find("AddCustomAttributes").unwrap();
        let second = text.find("AdminUpdateUserAttributes").unwrap();
        assert!(first < second, "{text}");
        assert!(text.contains("\"custom:a\": absent"), "{text}");
        assert!(
            !text.contains("req-"),
            "request ids are placeholders: {text}"
        );
    }
}
