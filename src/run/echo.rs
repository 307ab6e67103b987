//! Secret echo: a target that sends back a secret it was sent (the access token inside an error
//! message, a header, anywhere in the body) hands it to every log, proxy and error tracker on
//! the way. That is a security finding of its own, beside the contract verdicts, looked for on
//! every response to a request under test, whatever the target and whatever the case expects.
//!
//! Only the secrets the suite knows are looked for (the case's tokens, the run's password and
//! AWS keys: the case's [`Redactor`]), and only those the request carried. Where the target
//! put one is reported; the value never is (reports are redacted as always).

use std::collections::BTreeSet;

use crate::secrets::Redactor;
use crate::wire::{Request, Response};

/// Shortest part of a token (its signature segment) whose echo counts on its own.
const MIN_PART: usize = 16;

/// One secret a response carried back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Echo {
    /// What the secret is (`ACCESS_TOKEN`, `PASSWORD`...), never its value.
    pub secret: &'static str,
    /// Where the response carried it: `message` (the error message), `body`, `header NAME`.
    pub places: BTreeSet<String>,
}

/// The secrets `request` carried that `response` sends back, and where.
pub fn echoed(request: &Request, response: &Response, redactor: &Redactor) -> Vec<Echo> {
    let mut sent_text = String::from_utf8_lossy(&request.body).into_owned();
    for (_, v) in &request.headers {
        sent_text.push('\n');
        sent_text.push_str(v);
    }
    let message = response.message_member().map(|(_, v)| v.to_string());
    let body = String::from_utf8_lossy(&response.body);
    let mut out: Vec<Echo> = Vec::new();
    for (secret, label) in redactor.known_in(&sent_text) {
        // SIMD substring search: error bodies echo request values of up to 131,072 bytes.
        let finder = memchr::memmem::Finder::new(secret);
        let tail = signature(secret).map(memchr::memmem::Finder::new);
        let carries = |text: &str| {
            finder.find(text.as_bytes()).is_some()
                || tail
                    .as_ref()
                    .is_some_and(|f| f.find(text.as_bytes()).is_some())
        };
        let mut places = BTreeSet::new();
        if message.as_deref().is_some_and(carries) {
            places.insert("message".to_string());
        } else if carries(&body) {
            places.insert("body".to_string());
        }
        for (name, value) in &response.headers {
            if carries(value) {
                places.insert(format!("header {name}"));
            }
        }
        if places.is_empty() {
            continue;
        }
        match out.iter_mut().find(|e| e.secret == label) {
            Some(e) => e.places.extend(places),
            None => out.push(Echo {
                secret: label,
                places,
            }),
        }
    }
    out
}

/// A JWT's signature segment, when long enough to be unmistakable on its own.
fn signature(token: &str) -> Option<&str> {
    let mut parts = token.split('.');
    let (_, _, s) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && s.len() >= MIN_PART).then_some(s)
}

/// How a finding names the places of an echo: `the error message, header x-amzn-errormessage`.
pub fn places_shown(places: &BTreeSet<String>) -> String {
    places
        .iter()
        .map(|p| match p.as_str() {
            "message" => "the error message".to_string(),
            "body" => "the response body".to_string(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJraWQiOiJrIn0.eyJzdWIiOiJzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS0xMjM0";

    fn response(headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status: 400,
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    fn request() -> Request {
        Request::json("DeleteUser", &serde_json::json!({ "AccessToken": TOKEN }))
    }

    #[test]
    fn a_token_in_the_message_or_a_header_is_an_echo() {
        let r = Redactor::new().with(TOKEN, "ACCESS_TOKEN");
        let resp = response(
            &[("x-amzn-errormessage", TOKEN)],
            &format!(r#"{{"__type":"NotAuthorizedException","message":"{TOKEN}"}}"#),
        );
        let e = echoed(&request(), &resp, &r);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].secret, "ACCESS_TOKEN");
        assert_eq!(
            places_shown(&e[0].places),
            "header x-amzn-errormessage, the error message"
        );
        // Its signature alone is enough; elsewhere in the body it is an echo too.
        let sig = TOKEN.rsplit('.').next().unwrap();
        let e = echoed(
            &request(),
            &response(&[], &format!(r#"{{"debug":"{sig}"}}"#)),
            &r,
        );
        assert_eq!(places_shown(&e[0].places), "the response body");
    }

    #[test]
    fn no_echo_without_the_secret_or_when_it_was_not_sent() {
        let r = Redactor::new()
            .with(TOKEN, "ACCESS_TOKEN")
            .with("Aa1!password-xyz", "PASSWORD");
        let clean = response(
            &[],
            r#"{"__type":"NotAuthorizedException","message":"Invalid Access Token"}"#,
        );
        assert!(echoed(&request(), &clean, &r).is_empty());
        // The password was not in this request: a response naming it is no echo of it.
        let other = response(&[], r#"{"message":"Aa1!password-xyz"}"#);
        assert!(echoed(&request(), &other, &r).is_empty());
    }
}
