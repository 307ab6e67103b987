//! Whether two `then`s of the same situation accept the same answers.
//!
//! Two sides (the oracle's expectation and a fixture's) are compared by what they *accept*,
//! not by how they are written: `[[then]]` alternatives, `may_change`, lists of error types
//! and the default "a refusal changes nothing" make textual comparison meaningless. Every
//! answer either side names is built as an observation (a response and read-backs) and judged
//! by the suite's own checks ([`crate::check::evaluate`]) against both sides; an answer one
//! side accepts and the other refuses is a disagreement. The answers are the product, per
//! outcome, of every value each dimension may take in a finite domain: the statuses and error
//! types either side lists (and one neither lists, where a side lists none), the code
//! deliveries either side states, the attribute values either side states plus `"true"`,
//! `"false"`, absent and unchanged for an attribute an outcome lets change.
//!
//! Only what both sides speak to is compared: a dimension one side never states (the oracle
//! never states `token` or `sign_in`; many fixtures leave `code_delivery` out) is dropped from
//! the other before comparing, and named in [`Comparison::unshared`]. Strict detail (messages,
//! the exact error) is compared separately: an answer both accept where only one side is
//! satisfied at the strict tier is a strict disagreement.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{Value, json};

use crate::case::fixture::{
    CodeDelivery, Outcome, SignInAfter, SimpleState, StateExpectation, Then, TokenAfter,
    UserAttributesAfter,
};
use crate::check::{Mismatch, Observed, Probe, Tier, evaluate};
use crate::vocab::Operation;
use crate::wire::{CONTENT_TYPE, Response};

/// A user's attributes (`None` in a read-back: no user).
pub type Attrs = BTreeMap<String, String>;

/// An error type neither side lists: the answer "any error" a side without `error` accepts.
const UNLISTED_ERROR: &str = "UnlistedByEitherSideException";

/// Which of the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The first `then` given to [`compare`] (the oracle's).
    Left,
    /// The second (the fixture's).
    Right,
}

/// One answer the two sides judge differently.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// Contract (accepted vs refused) or strict (both accept, one with strict differences).
    pub tier: Tier,
    /// The side that accepts the answer (strict: the side satisfied at the strict tier).
    pub accepted_by: Side,
    /// The answer, in one line.
    pub answer: String,
    /// Why the other side refuses it.
    pub refusal: Vec<Mismatch>,
}

/// The result of comparing two `then`s.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Every answer judged differently.
    pub disagreements: Vec<Disagreement>,
    /// Dimensions only one side states, left out of the comparison (`token`, `code_delivery`).
    pub unshared: BTreeSet<&'static str>,
    /// How many answers were judged.
    pub answers: usize,
}

/// Compare `left` and `right` for one call of `operation` by a user whose attributes were
/// `before` (`None`: the user no longer exists). Placeholders must already be expanded (or
/// stand for the same value on both sides). `strict`: compare the strict tier too.
pub fn compare(
    operation: Operation,
    left: &Then,
    right: &Then,
    before: Option<&Attrs>,
    strict: bool,
) -> Comparison {
    let mut unshared = BTreeSet::new();
    let (left, right) = shared(left, right, strict, &mut unshared);
    let domain = Domain::of(&left, &right);
    let mut answers = Vec::new();
    for o in left.outcomes.iter().chain(&right.outcomes) {
        answers.extend(domain.answers(o, before));
    }
    answers.sort_by(|a, b| a.key.cmp(&b.key));
    answers.dedup_by(|a, b| a.key == b.key);
    let mut disagreements = Vec::new();
    for a in &answers {
        let l = judge(operation, &left, a, before);
        let r = judge(operation, &right, a, before);
        let d = match (&l, &r) {
            (Ok(_), Err(m)) => Some((Tier::Contract, Side::Left, m.clone())),
            (Err(m), Ok(_)) => Some((Tier::Contract, Side::Right, m.clone())),
            (Ok(ls), Ok(rs)) if strict && ls.is_empty() && !rs.is_empty() => {
                Some((Tier::Strict, Side::Left, rs.clone()))
            }
            (Ok(ls), Ok(rs)) if strict && !ls.is_empty() && rs.is_empty() => {
                Some((Tier::Strict, Side::Right, ls.clone()))
            }
            _ => None,
        };
        if let Some((tier, accepted_by, refusal)) = d {
            disagreements.push(Disagreement {
                tier,
                accepted_by,
                answer: a.key.clone(),
                refusal,
            });
        }
    }
    Comparison {
        disagreements,
        unshared,
        answers: answers.len(),
    }
}

/// `Ok(strict differences)` when `then` accepts the answer at the contract tier, otherwise
/// `Err(the differences from the closest outcome)`.
fn judge(
    operation: Operation,
    then: &Then,
    a: &Answer,
    before: Option<&Attrs>,
) -> Result<Vec<Mismatch>, Vec<Mismatch>> {
    let observed = Observed {
        response: Ok(a.response.clone()),
        before: Probe::Seen(before.cloned()),
        after: Probe::Seen(a.after.clone()),
        other_before: Probe::NotChecked,
        other_after: Probe::NotChecked,
        schema_after: Probe::NotChecked,
        token_usable: a.token.map_or(Probe::NotChecked, Probe::Seen),
        sign_in_works: a.sign_in.map_or(Probe::NotChecked, Probe::Seen),
    };
    let j = evaluate(operation, then, &observed);
    match j.matched {
        Some(_) => Ok(j.mismatches),
        None => Err(j
            .mismatches
            .into_iter()
            .filter(|m| m.tier == Tier::Contract)
            .collect()),
    }
}

/// Both sides without the dimensions only one of them states.
fn shared(
    left: &Then,
    right: &Then,
    strict: bool,
    unshared: &mut BTreeSet<&'static str>,
) -> (Then, Then) {
    let (mut l, mut r) = (left.clone(), right.clone());
    for dim in DIMENSIONS {
        let (in_l, in_r) = (states(left, dim.name), states(right, dim.name));
        let drop = in_l != in_r || (dim.strict && !strict);
        if drop {
            if in_l || in_r {
                unshared.insert(dim.name);
            }
            for o in l.outcomes.iter_mut().chain(r.outcomes.iter_mut()) {
                (dim.clear)(o);
            }
        }
    }
    (l, r)
}

/// A dimension of an outcome that a side may leave unstated.
struct Dimension {
    name: &'static str,
    strict: bool,
    clear: fn(&mut Outcome),
}

const DIMENSIONS: [Dimension; 8] = [
    Dimension {
        name: "code_delivery",
        strict: false,
        clear: |o| o.code_delivery = None,
    },
    Dimension {
        name: "token",
        strict: false,
        clear: |o| o.token = None,
    },
    Dimension {
        name: "sign_in",
        strict: false,
        clear: |o| o.sign_in = None,
    },
    Dimension {
        name: "other_user_state",
        strict: false,
        clear: |o| o.other_user_state = None,
    },
    Dimension {
        name: "user_attributes",
        strict: false,
        clear: |o| o.user_attributes = None,
    },
    Dimension {
        name: "strict.message",
        strict: true,
        clear: |o| o.strict.message = None,
    },
    Dimension {
        name: "strict.error",
        strict: true,
        clear: |o| o.strict.error = None,
    },
    Dimension {
        name: "strict.body",
        strict: true,
        clear: |o| {
            o.strict.body = None;
            o.strict.status = None;
        },
    },
];

/// Whether any outcome of `then` states dimension `name`.
fn states(then: &Then, name: &str) -> bool {
    then.outcomes.iter().any(|o| match name {
        "code_delivery" => o.code_delivery.is_some(),
        "token" => o.token.is_some(),
        "sign_in" => o.sign_in.is_some(),
        "other_user_state" => o.other_user_state.is_some(),
        "user_attributes" => o.user_attributes.is_some(),
        "strict.message" => o.strict.message.is_some(),
        "strict.error" => o.strict.error.is_some(),
        "strict.body" => o.strict.body.is_some() || o.strict.status.is_some(),
        _ => false,
    })
}

/// The values each dimension may take: what either side names, and a few more.
struct Domain {
    errors: Vec<String>,
    messages: Vec<String>,
    deliveries: Vec<Vec<CodeDelivery>>,
    /// For each attribute an outcome names: the values to try (`None`: absent).
    values: BTreeMap<String, BTreeSet<Option<String>>>,
    /// Whether the token and sign-in read-backs are compared.
    token: bool,
    sign_in: bool,
}

impl Domain {
    fn of(left: &Then, right: &Then) -> Domain {
        let all: Vec<&Outcome> = left.outcomes.iter().chain(&right.outcomes).collect();
        let mut errors: Vec<String> = all
            .iter()
            .flat_map(|o| o.error.iter().flat_map(|e| e.as_slice().to_vec()))
            .collect();
        errors.push(UNLISTED_ERROR.to_string());
        errors.sort();
        errors.dedup();
        let mut messages: Vec<String> = all
            .iter()
            .flat_map(|o| o.strict.message.iter().flat_map(|m| m.as_slice().to_vec()))
            .collect();
        messages.sort();
        messages.dedup();
        let mut deliveries: Vec<Vec<CodeDelivery>> = vec![vec![]];
        for o in &all {
            if let Some(d) = &o.code_delivery
                && !deliveries.contains(d)
            {
                deliveries.push(d.clone());
            }
        }
        let mut values: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
        for o in &all {
            let Some(StateExpectation::Attributes(s)) = &o.state else {
                continue;
            };
            for (k, v) in &s.attributes {
                values.entry(k.clone()).or_default().insert(Some(v.clone()));
            }
            for k in s.absent.iter().chain(&s.may_change) {
                values.entry(k.clone()).or_default().insert(None);
            }
        }
        for set in values.values_mut() {
            set.insert(Some("true".into()));
            set.insert(Some("false".into()));
            set.insert(None);
        }
        Domain {
            errors,
            messages,
            deliveries,
            values,
            token: all.iter().any(|o| o.token.is_some()),
            sign_in: all.iter().any(|o| o.sign_in.is_some()),
        }
    }

    /// Every answer `o` accepts within the domain.
    fn answers(&self, o: &Outcome, before: Option<&Attrs>) -> Vec<Answer> {
        let mut out = Vec::new();
        let states = self.states(o, before);
        let tokens = probes(o.token.map(|t| t == TokenAfter::Usable), self.token);
        let sign_ins = probes(o.sign_in.map(|s| s == SignInAfter::Succeeds), self.sign_in);
        for &status in o.status.as_slice() {
            let responses = if (200..300).contains(&status) {
                let deliveries = match &o.code_delivery {
                    Some(d) => vec![d.clone()],
                    None => self.deliveries.clone(),
                };
                deliveries
                    .iter()
                    .map(|d| success(status, d, o.user_attributes.and(before)))
                    .collect::<Vec<_>>()
            } else {
                let errors = match &o.error {
                    Some(e) => e.as_slice().to_vec(),
                    None => self.errors.clone(),
                };
                let messages = match &o.strict.message {
                    Some(m) => m.as_slice().to_vec(),
                    None if self.messages.is_empty() => vec!["(a text neither side states)".into()],
                    None => self.messages.clone(),
                };
                errors
                    .iter()
                    .flat_map(|e| messages.iter().map(move |m| failure(status, e, m)))
                    .collect()
            };
            for (response, shown) in &responses {
                for (after, state_shown) in &states {
                    for &token in &tokens {
                        for &sign_in in &sign_ins {
                            let mut key = format!("{shown}; {state_shown}");
                            if let Some(t) = token {
                                key.push_str(if t {
                                    "; token usable"
                                } else {
                                    "; token rejected"
                                });
                            }
                            if let Some(s) = sign_in {
                                key.push_str(if s {
                                    "; sign-in works"
                                } else {
                                    "; sign-in fails"
                                });
                            }
                            out.push(Answer {
                                key,
                                response: response.clone(),
                                after: after.clone(),
                                token,
                                sign_in,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// The user states `o` accepts, each with a description.
    fn states(&self, o: &Outcome, before: Option<&Attrs>) -> Vec<(Option<Attrs>, String)> {
        let unchanged = (before.cloned(), "nothing changed".to_string());
        let state = o.state.clone().or_else(|| {
            o.error
                .is_some()
                .then_some(StateExpectation::Simple(SimpleState::Unchanged))
        });
        match state {
            None | Some(StateExpectation::Simple(SimpleState::Unchanged)) => vec![unchanged],
            Some(StateExpectation::Simple(SimpleState::Deleted)) => {
                vec![(None, "the user deleted".to_string())]
            }
            Some(StateExpectation::Attributes(s)) => {
                let Some(before) = before else {
                    return vec![(None, "no user".to_string())];
                };
                let mut base = before.clone();
                for (k, v) in &s.attributes {
                    base.insert(k.clone(), v.clone());
                }
                for k in &s.absent {
                    base.remove(k);
                }
                let mut out = vec![(base.clone(), describe_state(before, &base))];
                // Each attribute that may change, one at a time, over its domain.
                for k in &s.may_change {
                    for v in self.values.get(k).into_iter().flatten() {
                        let mut after = base.clone();
                        match v {
                            Some(v) => after.insert(k.clone(), v.clone()),
                            None => after.remove(k),
                        };
                        if !out.iter().any(|(a, _)| *a == after) {
                            out.push((after.clone(), describe_state(before, &after)));
                        }
                    }
                }
                out.into_iter().map(|(a, d)| (Some(a), d)).collect()
            }
        }
    }
}

/// The read-back results to try: the one an outcome states; both where the outcome leaves it
/// open but the comparison keeps the dimension (`compared`); none (not probed) otherwise.
fn probes(stated: Option<bool>, compared: bool) -> Vec<Option<bool>> {
    match stated {
        Some(v) => vec![Some(v)],
        None if compared => vec![Some(true), Some(false)],
        None => vec![None],
    }
}

/// One answer: what the target responds and what the read-backs show.
#[derive(Debug, Clone)]
struct Answer {
    /// One line, also the identity of the answer.
    key: String,
    response: Response,
    after: Option<Attrs>,
    token: Option<bool>,
    sign_in: Option<bool>,
}

fn response(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
    let mut all = vec![("content-type".to_string(), CONTENT_TYPE.to_string())];
    all.extend(headers);
    Response {
        status,
        headers: all,
        body,
        elapsed: Duration::ZERO,
    }
}

fn failure(status: u16, error: &str, message: &str) -> (Response, String) {
    let body = json!({ "__type": error, "message": message }).to_string();
    (
        response(
            status,
            vec![("x-amzn-errortype".into(), format!("{error}:"))],
            body.into_bytes(),
        ),
        format!("{status} {error} {message:?}"),
    )
}

fn success(status: u16, deliveries: &[CodeDelivery], stored: Option<&Attrs>) -> (Response, String) {
    let mut body = serde_json::Map::new();
    if !deliveries.is_empty() {
        let list: Vec<Value> = deliveries
            .iter()
            .map(|d| {
                json!({
                    "AttributeName": d.attribute_name,
                    "DeliveryMedium": d.delivery_medium,
                    "Destination": "x***@x***",
                })
            })
            .collect();
        body.insert("CodeDeliveryDetailsList".into(), Value::Array(list));
    }
    if let Some(stored) = stored {
        let list: Vec<Value> = stored
            .iter()
            .map(|(k, v)| json!({ "Name": k, "Value": v }))
            .collect();
        body.insert("UserAttributes".into(), Value::Array(list));
        body.insert("Username".into(), Value::String("{{username}}".into()));
    }
    let shown = if deliveries.is_empty() {
        format!("{status}, no code sent")
    } else {
        let d: Vec<String> = deliveries
            .iter()
            .map(|d| format!("{} by {}", d.attribute_name, d.delivery_medium))
            .collect();
        format!("{status}, a code for {}", d.join(", "))
    };
    let bytes = if body.is_empty() {
        Vec::new()
    } else {
        Value::Object(body).to_string().into_bytes()
    };
    (response(status, vec![], bytes), shown)
}

/// `name "Ada" -> "Grace", phone_number_verified absent -> "false"`, or `nothing changed`.
fn describe_state(before: &Attrs, after: &Attrs) -> String {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let show = |v: Option<&String>| v.map_or("absent".to_string(), |v| format!("{v:?}"));
    let changes: Vec<String> = names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .map(|n| format!("{n} {} -> {}", show(before.get(n)), show(after.get(n))))
        .collect();
    if changes.is_empty() {
        "nothing changed".to_string()
    } else {
        changes.join(", ")
    }
}

/// One outcome in one line, as a reader compares two sides:
/// `200, code for email by EMAIL, email = "x", may change email_verified`.
pub fn summary(o: &Outcome) -> String {
    let statuses: Vec<String> = o.status.as_slice().iter().map(u16::to_string).collect();
    let mut parts = vec![statuses.join("/")];
    if let Some(e) = &o.error {
        parts[0].push(' ');
        parts[0].push_str(&e.as_slice().join("/"));
    }
    if let Some(d) = &o.code_delivery {
        parts.push(if d.is_empty() {
            "no code".to_string()
        } else {
            let d: Vec<String> = d
                .iter()
                .map(|d| format!("{} by {}", d.attribute_name, d.delivery_medium))
                .collect();
            format!("a code for {}", d.join(", "))
        });
    }
    match &o.state {
        Some(StateExpectation::Simple(SimpleState::Unchanged)) => {
            parts.push("nothing changed".into())
        }
        Some(StateExpectation::Simple(SimpleState::Deleted)) => parts.push("user deleted".into()),
        Some(StateExpectation::Attributes(s)) => {
            for (k, v) in &s.attributes {
                parts.push(format!("{k} = {:?}", crate::text::abbreviate(v)));
            }
            for k in &s.absent {
                parts.push(format!("{k} absent"));
            }
            if !s.may_change.is_empty() {
                parts.push(format!("may change {}", s.may_change.join(", ")));
            }
            parts.push("the rest unchanged".into());
        }
        None if o.error.is_some() => parts.push("nothing changed".into()),
        None => {}
    }
    if let Some(t) = o.token {
        parts.push(format!("token {t:?}").to_lowercase());
    }
    if let Some(s) = o.sign_in {
        parts.push(format!("sign-in {s:?}").to_lowercase());
    }
    if o.user_attributes == Some(UserAttributesAfter::AsStored) {
        parts.push("UserAttributes as stored".into());
    }
    if let Some(m) = &o.strict.message {
        let m: Vec<String> = m
            .as_slice()
            .iter()
            .map(|m| format!("{:?}", crate::text::abbreviate(m)))
            .collect();
        parts.push(format!("strict message {}", m.join(" or ")));
    }
    if let Some(e) = &o.strict.error {
        parts.push(format!("strict error {e}"));
    }
    parts.join(", ")
}

/// Every outcome of `then`, one per line, numbered when there are several.
pub fn summaries(then: &Then) -> Vec<String> {
    match then.outcomes.as_slice() {
        [one] => vec![summary(one)],
        many => many
            .iter()
            .enumerate()
            .map(|(i, o)| format!("[{}] {}", i + 1, summary(o)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::{AttributeState, OneOrMany};

    fn one<T>(v: T) -> OneOrMany<T> {
        OneOrMany::One(v)
    }

    fn attrs(p: &[(&str, &str)]) -> Attrs {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn changed(p: &[(&str, &str)], may_change: &[&str]) -> Outcome {
        Outcome {
            state: Some(StateExpectation::Attributes(AttributeState {
                attributes: attrs(p),
                absent: vec![],
                may_change: may_change.iter().map(|s| s.to_string()).collect(),
            })),
            ..Outcome::of_status(200)
        }
    }

    fn refused(errors: &[&str]) -> Outcome {
        Outcome {
            error: Some(OneOrMany::Many(
                errors.iter().map(|s| s.to_string()).collect(),
            )),
            ..Outcome::of_status(400)
        }
    }

    const OP: Operation = Operation::UpdateUserAttributes;

    #[test]
    fn the_same_answers_written_differently_agree() {
        let before = attrs(&[("email", "a@x"), ("name", "A")]);
        // One outcome listing two error types, or two outcomes of one type each.
        let a = Then::one(refused(&[
            "InvalidParameterException",
            "NotAuthorizedException",
        ]));
        let b = Then {
            outcomes: vec![
                refused(&["NotAuthorizedException"]),
                refused(&["InvalidParameterException"]),
            ],
        };
        let c = compare(OP, &a, &b, Some(&before), true);
        assert!(c.disagreements.is_empty(), "{:?}", c.disagreements);
        // A token expectation only one side states is left out, and said so.
        let mut with_token = changed(&[("name", "B")], &[]);
        with_token.token = Some(TokenAfter::Usable);
        let c = compare(
            OP,
            &Then::one(changed(&[("name", "B")], &[])),
            &Then::one(with_token),
            Some(&before),
            true,
        );
        assert!(c.disagreements.is_empty(), "{:?}", c.disagreements);
        assert!(c.unshared.contains("token"));
    }

    #[test]
    fn an_attribute_one_side_lets_change_is_a_disagreement() {
        let before = attrs(&[("email", "a@x")]);
        let strict_side = Then::one(changed(&[("phone_number", "+1555")], &[]));
        let loose_side = Then::one(changed(
            &[("phone_number", "+1555")],
            &["phone_number_verified"],
        ));
        let c = compare(OP, &strict_side, &loose_side, Some(&before), false);
        let d = &c.disagreements[0];
        assert_eq!(d.accepted_by, Side::Right);
        assert!(
            d.answer
                .contains("phone_number_verified absent -> \"false\""),
            "{}",
            d.answer
        );
        assert_eq!(d.refusal[0].field, "state.phone_number_verified");
        // Two alternatives naming the values are not the same as `may_change` (which also
        // accepts "true").
        let precise = Then {
            outcomes: vec![
                changed(&[("phone_number", "+1555")], &[]),
                changed(
                    &[
                        ("phone_number", "+1555"),
                        ("phone_number_verified", "false"),
                    ],
                    &[],
                ),
            ],
        };
        let c = compare(OP, &precise, &loose_side, Some(&before), false);
        assert_eq!(c.disagreements.len(), 1, "{:?}", c.disagreements);
        assert!(c.disagreements[0].answer.contains("-> \"true\""));
        assert!(
            compare(OP, &precise, &precise, Some(&before), true)
                .disagreements
                .is_empty()
        );
    }

    #[test]
    fn status_error_and_strict_text_differences_are_found() {
        let before = attrs(&[("email", "a@x")]);
        let a = Then::one(refused(&["InvalidParameterException"]));
        let b = Then {
            outcomes: vec![refused(&["InvalidParameterException"]), changed(&[], &[])],
        };
        let c = compare(OP, &a, &b, Some(&before), false);
        assert_eq!(c.disagreements.len(), 1);
        assert!(c.disagreements[0].answer.starts_with("200"));
        // A side without `error` accepts any error type.
        let any = Then::one(Outcome {
            state: None,
            ..Outcome::of_status(400)
        });
        let c = compare(OP, &a, &any, Some(&before), false);
        assert!(c.disagreements[0].answer.contains(UNLISTED_ERROR));
        // Strict texts: both accept, one is satisfied.
        let mut m1 = refused(&["InvalidParameterException"]);
        m1.strict.message = Some(one("seen text".into()));
        let mut m2 = m1.clone();
        m2.strict.message = Some(one("guessed text".into()));
        let c = compare(
            OP,
            &Then::one(m1.clone()),
            &Then::one(m2),
            Some(&before),
            true,
        );
        assert!(c.disagreements.iter().all(|d| d.tier == Tier::Strict));
        assert_eq!(c.disagreements.len(), 2);
        // Without the strict tier, or with one side silent, there is nothing to disagree on.
        let silent = Then::one(refused(&["InvalidParameterException"]));
        assert!(
            compare(OP, &Then::one(m1.clone()), &silent, Some(&before), true)
                .disagreements
                .is_empty()
        );
    }
}
