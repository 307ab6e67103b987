//! AWS JSON 1.1 protocol faults: a well-formed request made unreadable (malformed JSON) or
//! unroutable (missing or unknown `X-Amz-Target`, a content type that is not AWS JSON, a method
//! other than `POST`), and what the contract accepts in return.
//!
//! The accepted answers are the catalogue's (the `protocol` fixtures; `src/tests/protocol_pin.rs`
//! ties the two). Cognito's exact answer to a POST it cannot route or read was never captured
//! (requirements `protocol.unroutable-post`, `protocol.malformed-json`), so the contract tier
//! accepts every plausible 4xx rejection and requires that nothing happens; a GET was seen
//! answered 404 with the front end's `BadRequest` body (`protocol.unroutable-get`).

use proptest::prelude::*;

use crate::case::fixture::{HttpMethod, When};
use crate::contract::Model;
use crate::wire::CONTENT_TYPE;

/// One protocol fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolFault {
    /// The body without its last this-many characters (never all of it: the empty body has its
    /// own fixture).
    Truncated(usize),
    /// A comma before the closing brace.
    TrailingComma,
    /// Single-quoted strings.
    SingleQuotes,
    /// The first member name without quotes.
    UnquotedKey,
    /// An escape JSON does not define (`\q`) in the first member name.
    BadEscape,
    /// A raw control character (U+0001) inside the first member name.
    RawControlChar,
    /// No `X-Amz-Target` header.
    MissingTarget,
    /// An `X-Amz-Target` naming no operation.
    UnknownTarget(String),
    /// A `Content-Type` other than `application/x-amz-json-1.1`.
    WrongContentType(String),
    /// A method other than `POST` (`GET /?Action=<Operation>`), without body or target.
    WrongMethod(String),
}

/// What the contract accepts for a protocol fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Acceptable statuses.
    pub statuses: Vec<u16>,
    /// Acceptable error types.
    pub errors: Vec<&'static str>,
    /// The strict tier's guess.
    pub strict_error: &'static str,
    /// The requirements the answer is judged by (ids of `contract/requirements.toml`).
    pub requirements: &'static [&'static str],
}

/// Content types a client might send by mistake; none is AWS JSON (`application/json`, which
/// AWS SDKs also send, is deliberately absent).
pub const WRONG_CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/html",
];

/// Content types real clients send with an AWS JSON body: not faults of this family. Cognito may
/// apply such a request or refuse it whole (`protocol.client-content-types`, the
/// `*-content-type` fixtures), so the generator neither sends them nor classifies them as wrong.
pub const CLIENT_CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/x-amz-json-1.1; charset=utf-8",
];

/// Whether `ct` is AWS JSON as a real client may write it: the media type alone, or one of
/// [`CLIENT_CONTENT_TYPES`] (case and spaces around `;` aside).
pub fn is_client_content_type(ct: &str) -> bool {
    let norm = |s: &str| {
        s.split(';')
            .map(|p| p.trim().to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(";")
    };
    let ct = norm(ct);
    ct == CONTENT_TYPE || CLIENT_CONTENT_TYPES.iter().any(|c| norm(c) == ct)
}

/// What a request sent with one of [`CLIENT_CONTENT_TYPES`] may get instead of being applied
/// (`protocol.client-content-types`): a refusal of the whole request, nothing changed. No
/// strict guess: nobody has seen Cognito's answer. The `*-content-type` fixtures list it as
/// their second outcome, the oracle adds it to its own (`property::contested`).
pub fn client_content_type_refusal() -> Accepted {
    Accepted {
        statuses: vec![400, 404, 415],
        errors: vec![
            "UnknownOperationException",
            "InvalidAction",
            "BadRequest",
            "SerializationException",
            "UnsupportedMediaTypeException",
            "InvalidParameterException",
        ],
        strict_error: "",
        requirements: &["protocol.client-content-types"],
    }
}

/// Whether `when` is sent with one of [`CLIENT_CONTENT_TYPES`] (not the bare AWS JSON one).
pub fn sends_client_content_type(when: &When) -> bool {
    when.headers.iter().any(|(h, v)| {
        h.eq_ignore_ascii_case("Content-Type")
            && !v.trim().eq_ignore_ascii_case(CONTENT_TYPE)
            && is_client_content_type(v)
    })
}

impl ProtocolFault {
    /// Kebab-case name, used in saved fixture names.
    pub fn label(&self) -> &'static str {
        match self {
            ProtocolFault::Truncated(_) => "truncated-json",
            ProtocolFault::TrailingComma => "trailing-comma",
            ProtocolFault::SingleQuotes => "single-quotes",
            ProtocolFault::UnquotedKey => "unquoted-key",
            ProtocolFault::BadEscape => "bad-escape",
            ProtocolFault::RawControlChar => "raw-control-char",
            ProtocolFault::MissingTarget => "missing-target-header",
            ProtocolFault::UnknownTarget(t) => target_class(t).label(),
            ProtocolFault::WrongContentType(_) => "wrong-content-type",
            ProtocolFault::WrongMethod(_) => "wrong-method",
        }
    }

    /// Whether the fault is in the body (the others are in the headers).
    pub fn is_malformed_json(&self) -> bool {
        !matches!(
            self,
            ProtocolFault::MissingTarget
                | ProtocolFault::UnknownTarget(_)
                | ProtocolFault::WrongContentType(_)
                | ProtocolFault::WrongMethod(_)
        )
    }

    /// What the contract accepts.
    pub fn accepted(&self) -> Accepted {
        if self.is_malformed_json() {
            return malformed_json();
        }
        if let ProtocolFault::WrongMethod(_) = self {
            return Accepted {
                statuses: vec![404],
                errors: vec!["BadRequest"],
                strict_error: "BadRequest",
                requirements: &["protocol.unroutable-get"],
            };
        }
        let mut a = Accepted {
            statuses: vec![400, 404],
            errors: vec!["UnknownOperationException", "InvalidAction", "BadRequest"],
            strict_error: "UnknownOperationException",
            requirements: &["protocol.unroutable-post"],
        };
        if matches!(self, ProtocolFault::WrongContentType(_)) {
            a.statuses.push(415);
            a.errors
                .extend(["SerializationException", "UnsupportedMediaTypeException"]);
        }
        a
    }

    /// Apply the fault to a request whose `raw_body` is well-formed JSON text.
    pub fn apply(&self, when: &mut When) {
        let body = when.raw_body.take().unwrap_or_default();
        when.raw_body = Some(match self {
            ProtocolFault::Truncated(cut) => {
                let len = body.chars().count();
                body.chars().take(len.saturating_sub(*cut).max(1)).collect()
            }
            ProtocolFault::TrailingComma => match body.rfind('}') {
                Some(i) => format!("{},{}", &body[..i], &body[i..]),
                None => format!("{body},"),
            },
            ProtocolFault::SingleQuotes => body.replace('"', "'"),
            ProtocolFault::UnquotedKey => first_key(&body, |k| k.to_string()),
            ProtocolFault::BadEscape => first_key(&body, |k| format!("\"{k}\\q\"")),
            ProtocolFault::RawControlChar => first_key(&body, |k| format!("\"{k}\u{1}\"")),
            _ => body,
        });
        match self {
            ProtocolFault::MissingTarget => when.remove_headers.push("X-Amz-Target".into()),
            ProtocolFault::UnknownTarget(t) => {
                when.headers.insert("X-Amz-Target".into(), t.clone());
            }
            ProtocolFault::WrongContentType(ct) => {
                when.headers.insert("Content-Type".into(), ct.clone());
            }
            ProtocolFault::WrongMethod(method) => {
                when.method = match method.as_str() {
                    "PUT" => HttpMethod::Put,
                    "DELETE" => HttpMethod::Delete,
                    _ => HttpMethod::Get,
                };
                when.path = Some(format!("/?Action={}", when.operation.name()));
                when.raw_body = None;
                when.remove_headers
                    .extend(["X-Amz-Target".to_string(), "Content-Type".to_string()]);
            }
            _ => {}
        }
    }
}

/// The ways an `X-Amz-Target` can name no operation, each a fault class of its own: a target
/// may route them differently (an unknown service prefix may never reach Cognito's router), so
/// a failure of one must not shrink into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetClass {
    /// `AWSCognitoIdentityProviderService.<not an operation>`.
    UnknownOperation,
    /// `AWSCognitoIdentityProviderService.` and nothing after it.
    EmptyOperation,
    /// The operation name alone, without a service prefix.
    NoServicePrefix,
    /// Another service's prefix before the operation name.
    UnknownServicePrefix,
}

impl TargetClass {
    /// Kebab-case name (the fault's label).
    pub fn label(self) -> &'static str {
        match self {
            TargetClass::UnknownOperation => "unknown-operation",
            TargetClass::EmptyOperation => "empty-operation-name",
            TargetClass::NoServicePrefix => "no-service-prefix",
            TargetClass::UnknownServicePrefix => "unknown-service-prefix",
        }
    }
}

/// The class of an `X-Amz-Target` value that names no operation.
pub fn target_class(target: &str) -> TargetClass {
    let prefix = &Model::get().metadata.target_prefix;
    match target.split_once('.') {
        None => TargetClass::NoServicePrefix,
        Some((p, "")) if p == prefix => TargetClass::EmptyOperation,
        Some((p, _)) if p == prefix => TargetClass::UnknownOperation,
        Some(_) => TargetClass::UnknownServicePrefix,
    }
}

/// What the contract accepts for a body that is not JSON (or is empty).
pub fn malformed_json() -> Accepted {
    Accepted {
        statuses: vec![400],
        errors: vec!["SerializationException", "InvalidParameterException"],
        strict_error: "SerializationException",
        requirements: &["protocol.malformed-json"],
    }
}

/// `body` with its first `"key"` rewritten by `f` (which gets the key without quotes and
/// returns the replacement including any quotes). Unchanged when there is no key.
fn first_key(body: &str, f: impl Fn(&str) -> String) -> String {
    let Some(open) = body.find('"') else {
        return body.to_string();
    };
    let Some(len) = body[open + 1..].find('"') else {
        return body.to_string();
    };
    let key = &body[open + 1..open + 1 + len];
    format!("{}{}{}", &body[..open], f(key), &body[open + 2 + len..])
}

/// One strategy per fault class, the class drawn first and never shrunk: shrinking simplifies
/// the fault within its class (a shorter cut, another wrong content type) and never turns it
/// into another class, which the target may well answer correctly (or wrongly for another
/// reason). `prop_oneof!` would shrink toward its first alternative.
fn by_class(classes: Vec<BoxedStrategy<ProtocolFault>>) -> BoxedStrategy<ProtocolFault> {
    let n = classes.len();
    (0..n)
        .no_shrink()
        .prop_flat_map(move |i| classes[i].clone())
        .boxed()
}

/// Malformed JSON for a well-formed body (truncations keep at least one character).
pub fn malformed() -> BoxedStrategy<ProtocolFault> {
    by_class(vec![
        Just(ProtocolFault::TrailingComma).boxed(),
        Just(ProtocolFault::UnquotedKey).boxed(),
        Just(ProtocolFault::SingleQuotes).boxed(),
        Just(ProtocolFault::BadEscape).boxed(),
        Just(ProtocolFault::RawControlChar).boxed(),
        (1..=64usize).prop_map(ProtocolFault::Truncated).boxed(),
    ])
}

/// Routing faults for a request of `operation`: no `X-Amz-Target`, one naming no operation
/// (each [`TargetClass`]), or a content type that is not AWS JSON.
pub fn unroutable(operation: &str) -> BoxedStrategy<ProtocolFault> {
    let target = Model::get().target_header(operation);
    let prefix = Model::get().metadata.target_prefix.clone();
    let op = operation.to_string();
    let unknown = |s: BoxedStrategy<String>| s.prop_map(ProtocolFault::UnknownTarget).boxed();
    by_class(vec![
        Just(ProtocolFault::MissingTarget).boxed(),
        // An operation name no model has: a suffix starting with an upper-case Z.
        unknown(
            "Z[a-z0-9]{0,6}"
                .prop_map(move |s| format!("{target}{s}"))
                .boxed(),
        ),
        unknown(Just(op.clone()).boxed()),
        unknown(Just(format!("{prefix}.")).boxed()),
        unknown(Just(format!("AWSCognitoIdentityService.{op}")).boxed()),
        proptest::sample::select(WRONG_CONTENT_TYPES)
            .prop_map(|c| ProtocolFault::WrongContentType(c.into()))
            .boxed(),
    ])
}

/// The protocol fault a request carries, if any: what the target must refuse before it reads
/// the body as an operation's input.
pub fn classify(operation: &str, when: &When) -> Option<ProtocolFault> {
    let removed = |name: &str| {
        when.remove_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
    };
    let set = |name: &str| {
        when.headers
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if !when.method.is_post() {
        return Some(ProtocolFault::WrongMethod(when.method.name().to_string()));
    }
    if removed("X-Amz-Target") {
        return Some(ProtocolFault::MissingTarget);
    }
    if let Some(t) = set("X-Amz-Target").filter(|t| *t != Model::get().target_header(operation)) {
        return Some(ProtocolFault::UnknownTarget(t));
    }
    if let Some(ct) = set("Content-Type").filter(|c| !is_client_content_type(c)) {
        return Some(ProtocolFault::WrongContentType(ct));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(body: &str) -> When {
        When {
            operation: crate::vocab::Operation::DeleteUser,
            body: None,
            raw_body: Some(body.into()),
            headers: Default::default(),
            remove_headers: vec![],
            method: Default::default(),
            path: None,
        }
    }

    #[test]
    fn malformed_bodies_do_not_parse() {
        let body = r#"{"AccessToken":"{{access_token}}"}"#;
        for f in [
            ProtocolFault::Truncated(1),
            ProtocolFault::Truncated(20),
            ProtocolFault::Truncated(500),
            ProtocolFault::TrailingComma,
            ProtocolFault::SingleQuotes,
            ProtocolFault::UnquotedKey,
            ProtocolFault::BadEscape,
            ProtocolFault::RawControlChar,
        ] {
            let mut w = when(body);
            f.apply(&mut w);
            let text = w.raw_body.unwrap();
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_err(),
                "{f:?}: {text}"
            );
            assert_eq!(classify("DeleteUser", &when(&text)), None);
        }
    }

    #[test]
    fn header_faults_are_classified_back() {
        for f in [
            ProtocolFault::MissingTarget,
            ProtocolFault::UnknownTarget("AWSCognitoIdentityProviderService.DeleteUserZ".into()),
            ProtocolFault::WrongContentType("text/plain".into()),
        ] {
            let mut w = when("{}");
            f.apply(&mut w);
            assert_eq!(classify("DeleteUser", &w), Some(f.clone()));
            assert!(!f.accepted().errors.is_empty());
        }
        assert_eq!(classify("DeleteUser", &when("{}")), None);
        for ct in CLIENT_CONTENT_TYPES
            .iter()
            .copied()
            .chain(["Application/X-Amz-Json-1.1 ;charset=UTF-8"])
        {
            let mut w = when("{}");
            w.headers.insert("Content-Type".into(), ct.into());
            assert_eq!(classify("DeleteUser", &w), None, "{ct}");
        }
        for ct in WRONG_CONTENT_TYPES {
            assert!(!is_client_content_type(ct), "{ct}");
        }
    }

    /// A target that fails every fault makes proptest simplify until nothing simpler exists:
    /// the minimal fault is still of the class the case was generated in.
    #[test]
    fn shrinking_stays_in_the_fault_class() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut seen = std::collections::BTreeSet::new();
        for strategy in [unroutable("UpdateUserAttributes"), malformed()] {
            for _ in 0..200 {
                let mut tree = strategy.new_tree(&mut runner).unwrap();
                let generated = tree.current().label();
                while tree.simplify() {
                    assert_eq!(tree.current().label(), generated, "{:?}", tree.current());
                }
                assert_eq!(tree.current().label(), generated);
                seen.insert(generated);
            }
        }
        // Every class is generated, the unknown service prefix among them.
        for c in [
            "missing-target-header",
            "unknown-operation",
            "empty-operation-name",
            "no-service-prefix",
            "unknown-service-prefix",
            "wrong-content-type",
            "truncated-json",
            "raw-control-char",
        ] {
            assert!(seen.contains(c), "{c} never generated: {seen:?}");
        }
        assert_eq!(
            target_class("AWSCognitoIdentityService.DeleteUser"),
            TargetClass::UnknownServicePrefix
        );
        assert_eq!(target_class("DeleteUser"), TargetClass::NoServicePrefix);
    }

    #[test]
    fn unknown_targets_name_no_modeled_operation() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for _ in 0..300 {
            if let ProtocolFault::UnknownTarget(t) = unroutable("DeleteUser")
                .new_tree(&mut runner)
                .unwrap()
                .current()
            {
                let op = t.split_once('.').map(|(_, o)| o).unwrap_or("");
                let real = t.starts_with("AWSCognitoIdentityProviderService.")
                    && Model::get().operation(op).is_some();
                assert!(!real, "{t}");
            }
        }
    }
}
