//! Fault classes: when a generated call and a fixture test the same thing, and how a fixture's
//! `then` reads in a generated call's values.
//!
//! A call's [`Signature`] is what decides the contract's answer to it: the operation, the
//! oracle's label for what happens (`immutable`, `stores-attributes`, `revoked-token`...), the
//! pool, the client and the token, and for a call the operation accepts, which attributes it
//! touches and how (a new value, the current one, blank, null; present before or not; the
//! verified flag of a verifiable one). Values are left out: a fixture writing `phone_number =
//! "+15555550100"` and a generated call writing `"+12025550123"` to a user without one are one
//! class, and the fixture's `then` carried over to the generated call ([`transplant`]) must
//! agree with the oracle there too.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::case::fixture::{StateExpectation, Strict, Then};
use crate::contract::verification::VERIFIABLE;
use crate::property::oracle::Expectation;

use super::kebab;
use super::situation::Situation;

/// What decides the contract's answer to a call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Signature {
    /// The operation and the oracle's label: the fault class.
    pub class: (String, String),
    /// Pool kind, client kind and token state, as written in a fixture.
    pub context: String,
    /// For an accepted call: the attributes it touches, in name order.
    pub touched: Vec<Touch>,
}

/// One attribute a call touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Touch {
    name: String,
    how: How,
    present_before: bool,
    /// The `*_verified` flag's value before, for `email` and `phone_number`.
    flag_before: Option<String>,
}

/// How a call touches an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum How {
    NewValue,
    SameValue,
    Blank,
    Null,
    Deleted,
}

impl Signature {
    /// The signature of `s`, whose oracle expectation is `e`.
    pub fn of(s: &Situation, e: &Expectation) -> Signature {
        let accepted = e.then.outcomes.iter().any(|o| o.is_success());
        let before = s.before.clone().unwrap_or_default();
        let touched = if accepted {
            writes(s)
                .into_iter()
                .map(|(name, value)| {
                    let how = match value {
                        Write::Delete => How::Deleted,
                        Write::Set(None) => How::Null,
                        Write::Set(Some(v)) if v.is_empty() => How::Blank,
                        Write::Set(Some(v)) if before.get(&name) == Some(&v) => How::SameValue,
                        Write::Set(Some(_)) => How::NewValue,
                    };
                    let flag_before = VERIFIABLE
                        .iter()
                        .find(|(a, _, _)| *a == name)
                        .and_then(|(_, flag, _)| before.get(*flag).cloned());
                    Touch {
                        present_before: before.contains_key(&name),
                        name,
                        how,
                        flag_before,
                    }
                })
                .collect()
        } else {
            vec![]
        };
        Signature {
            class: (s.action.operation().name().to_string(), e.label.clone()),
            context: format!(
                "pool {}, client {}, token {:?}",
                kebab(&s.given.pool),
                kebab(&s.given.client),
                s.user.token
            ),
            touched,
        }
    }
}

/// A write of one attribute: a value (`None`: missing or null) or a deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Write {
    Set(Option<String>),
    Delete,
}

/// The attributes a call writes or deletes, by name (the last write of a name wins, as
/// Cognito applies duplicates).
fn writes(s: &Situation) -> BTreeMap<String, Write> {
    let body: Value = s
        .action
        .when()
        .raw_body
        .and_then(|b| serde_json::from_str(&b).ok())
        .unwrap_or(Value::Null);
    let mut out = BTreeMap::new();
    for a in body
        .get("UserAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = a.get("Name").and_then(Value::as_str) {
            let value = a.get("Value").and_then(Value::as_str).map(str::to_string);
            out.insert(name.to_string(), Write::Set(value));
        }
    }
    for n in body
        .get("UserAttributeNames")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        out.insert(n.to_string(), Write::Delete);
    }
    out
}

/// `then`, stated for the call of `from`, restated for the call of `to` (of the same
/// signature): an expected value that is what `from` wrote becomes what `to` writes, one that is
/// what `from`'s user had becomes what `to`'s user has; literal values (`"false"`) stay. The
/// strict tier is left out: messages name values and positions of one request.
pub fn transplant(then: &Then, from: &Situation, to: &Situation) -> Then {
    let (from_writes, to_writes) = (writes(from), writes(to));
    let (from_before, to_before) = (
        from.before.clone().unwrap_or_default(),
        to.before.clone().unwrap_or_default(),
    );
    let mut out = then.clone();
    for o in &mut out.outcomes {
        o.strict = Strict::default();
        o.other_user_state = None;
        if let Some(StateExpectation::Attributes(s)) = &mut o.state {
            for (name, value) in s.attributes.iter_mut() {
                let written =
                    matches!(from_writes.get(name), Some(Write::Set(Some(v))) if v == value);
                if written && let Some(Write::Set(Some(v))) = to_writes.get(name) {
                    *value = v.clone();
                } else if from_before.get(name) == Some(value)
                    && let Some(v) = to_before.get(name)
                {
                    *value = v.clone();
                }
            }
        }
    }
    out
}
