//! The error envelope's member types: every modelled error shape of cognito-idp declares
//! `message` as a string (`MessageType`), so an error body whose `message` (or `Message`) is a
//! number, an object, a list, a boolean or null breaks the contract, whatever the case
//! expected: a client that reads it as a string fails or shows nothing. The mismatch shows the
//! value as the target sent it (`42` stays `42`); the member is read by
//! [`Response::message_member`], as everywhere else.

use serde_json::Value;

use super::Mismatch;
use crate::wire::Response;

/// Contract: an error body's message member, when present, is a JSON string.
pub fn check_message_type(resp: &Response, out: &mut Vec<Mismatch>) {
    if (200..300).contains(&resp.status) {
        return;
    }
    match resp.message_member() {
        Some((_, Value::String(_))) | None => {}
        Some((name, v)) => out.push(Mismatch::contract(
            name,
            "a JSON string (every cognito-idp error shape's message is a String)",
            format!("{} {v}", kind(&v)),
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null:",
        Value::Bool(_) => "a boolean:",
        Value::Number(_) => "a number:",
        Value::String(_) => "a string:",
        Value::Array(_) => "a list:",
        Value::Object(_) => "an object:",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Tier;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn a_non_string_message_is_a_contract_break_shown_as_sent() {
        for (body, shown) in [
            (
                r#"{"__type":"NotAuthorizedException","message":42}"#,
                "a number: 42",
            ),
            (
                r#"{"__type":"X","message":{"text":"bad token"}}"#,
                r#"an object: {"text":"bad token"}"#,
            ),
            (
                r#"{"__type":"SerializationException","Message":null}"#,
                "null: null",
            ),
            (r#"{"__type":"X","message":[1.5]}"#, "a list: [1.5]"),
        ] {
            let mut out = vec![];
            check_message_type(&resp(400, body), &mut out);
            assert_eq!(out.len(), 1, "{body}");
            assert_eq!(
                (out[0].tier, out[0].actual.as_str()),
                (Tier::Contract, shown)
            );
        }
        assert_eq!(
            resp(400, r#"{"message":42}"#).message_shown().as_deref(),
            Some("42")
        );
    }

    #[test]
    fn string_or_absent_messages_and_successes_pass() {
        for (status, body) in [
            (400, r#"{"__type":"X","message":"m"}"#),
            (400, r#"{"__type":"X"}"#),
            (400, "<html>oops</html>"),
            (200, r#"{"message":42}"#),
        ] {
            let mut out = vec![];
            check_message_type(&resp(status, body), &mut out);
            assert!(out.is_empty(), "{body}: {out:?}");
        }
    }
}
