//! Answers the evidence leaves open. Where `contract/requirements.toml` allows several answers
//! to one call, the oracle accepts each of them, exactly as a fixture of the same situation
//! lists them as `[[then]]` alternatives (`tests::oracle_consistency` holds the two together).
//! The model's own answer ([`super::oracle`]) stays the first outcome and decides the state
//! the model continues from; the generated writes never reach these situations (no duplicate
//! names, no empty list, no `*_verified` flag, see `generate::attributes`), so a sequence is
//! never planned on a branch a target may not take. What each widening rests on:
//!
//! - **an empty `UserAttributes`** (`success.update-empty-list`, inferred): nothing changes,
//!   and the call succeeds or is refused with `InvalidParameterException`.
//! - **a name written twice** (`attribute.duplicate-names`, inferred): the last value (the
//!   model), the first value, or `InvalidParameterException` with nothing changed; a name
//!   deleted twice is deleted once or refused the same way.
//! - **a `*_verified` flag written by the user** (`attribute.verified-flags-self-service`,
//!   contested): accepted, with that flag stored, kept or dropped (Amplify drops such keys, so
//!   its "successes" prove nothing), or refused with `InvalidParameterException` or
//!   `NotAuthorizedException`; nothing but the flag may change beyond what the model writes. A
//!   code may then be sent for the flag's attribute or not, so deliveries are left open.
//! - **`email`/`phone_number` changed without a code** (`verification.no-code-without-auto-verify`,
//!   with the developer guide: the new value is "active and unverified"): the flag is left as
//!   it was or becomes `"false"`; never `"true"` for a value nobody verified.
//! - **a content type real clients send** (`protocol.client-content-types`, inferred:
//!   `application/json`, or a charset parameter): applied as the model says, or the whole
//!   request refused with nothing changed (the statuses and errors of
//!   [`crate::generate::protocol::client_content_type_refusal`]).
//! - **a code for an attribute already verified** (`verification-code.already-verified`, no
//!   evidence either way): a code is sent, or the call is refused with
//!   `InvalidParameterException` or `LimitExceededException`.
//! - **a code for an attribute the user lacks** (`verification-code.attribute-without-value`,
//!   no evidence): refused (the model), or a 200 that delivers nothing.
//! - **a custom attribute named like a standard one** (`custom-attribute.standard-name`,
//!   inferred: AddCustomAttributes prefixes every Name, so `custom:email` collides with
//!   nothing, but CreateUserPool treats such entries differently): added (the model), or the
//!   request refused with `InvalidParameterException` and nothing added.
//! - **several names the schema lacks** (`attribute.several-schema-errors`): the lines of the
//!   message are observed, their order is not, so every order is accepted (up to
//!   [`MAX_ORDERED_LINES`] lines; beyond that no text is asserted rather than hundreds).

use crate::case::fixture::{AttributeState, OneOrMany, Outcome, SimpleState, StateExpectation};
use crate::contract::rules::Change;
use crate::contract::verification::VERIFIABLE;
use crate::vocab::RuleId;

use super::oracle::{Expectation, UserModel};

/// An empty `UserAttributes` list.
pub const EMPTY_LIST: &str = "success.update-empty-list";
/// A name written or deleted twice.
pub const DUPLICATE_NAMES: &str = "attribute.duplicate-names";
/// A `*_verified` flag written through UpdateUserAttributes.
pub const VERIFIED_FLAGS: &str = "attribute.verified-flags-self-service";
/// A verifiable attribute changed without a code.
pub const UNVERIFIED_AFTER_CHANGE: &str = "verification.no-code-without-auto-verify";
/// Several unknown names in one message.
pub const SEVERAL_SCHEMA_ERRORS: &str = "attribute.several-schema-errors";

/// The label of a call naming an attribute twice: a fault class of its own, since it accepts
/// answers a call naming each once does not (generated calls never name one twice).
const DUPLICATE_LABEL: &str = "duplicate-names";

/// The most message lines whose every order is listed (4! = 24 texts).
pub const MAX_ORDERED_LINES: usize = 4;

/// Who writes the attributes: the contested answers for `*_verified` flags are the
/// self-service ones (an administrator sets them: `verification.admin-sets-verified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// UpdateUserAttributes, with the user's token.
    User,
    /// AdminUpdateUserAttributes.
    Administrator,
}

/// UpdateUserAttributes (or AdminUpdateUserAttributes): `e` (the model's answer to `changes`
/// by `user`) with every other answer the evidence allows. `plan` answers another list of
/// changes the way the model does.
pub fn update(
    writer: Writer,
    user: &UserModel,
    changes: &[Change],
    mut e: Expectation,
    plan: impl Fn(&[Change]) -> Expectation,
) -> Expectation {
    any_line_order(&mut e);
    if !accepts(&e) {
        return e;
    }
    if changes.is_empty() {
        widen_with_refusal(&mut e, &["InvalidParameterException"], EMPTY_LIST);
    }
    if has_duplicates(changes.iter().map(|c| c.name.as_str())) {
        let first_wins = plan(&first_wins(changes));
        if accepts(&first_wins) {
            for o in first_wins.then.outcomes {
                if !e.then.outcomes.contains(&o) {
                    e.then.outcomes.push(o);
                }
            }
        }
        widen_with_refusal(&mut e, &["InvalidParameterException"], DUPLICATE_NAMES);
        e.label = DUPLICATE_LABEL.to_string();
    }
    if writer == Writer::User {
        flags_written(changes, &mut e);
    }
    unverified_after_change(user, changes, &mut e);
    e
}

/// DeleteUserAttributes: `e` (the model's answer to deleting `names`) with every other answer
/// the evidence allows.
pub fn delete(names: &[String], mut e: Expectation) -> Expectation {
    any_line_order(&mut e);
    if accepts(&e) && has_duplicates(names.iter().map(String::as_str)) {
        widen_with_refusal(&mut e, &["InvalidParameterException"], DUPLICATE_NAMES);
        e.label = DUPLICATE_LABEL.to_string();
    }
    e
}

/// A code sent for an already verified attribute.
pub const ALREADY_VERIFIED: &str = "verification-code.already-verified";
/// A code asked for an attribute the user lacks.
pub const WITHOUT_VALUE: &str = "verification-code.attribute-without-value";

/// GetUserAttributeVerificationCode for `name`: `e` (the model's answer to `user`) with every
/// other answer the evidence allows.
pub fn verification_code(user: &UserModel, name: &str, mut e: Expectation) -> Expectation {
    let Some((_, flag, _)) = VERIFIABLE.iter().find(|(a, _, _)| *a == name) else {
        return e;
    };
    if accepts(&e) {
        if user.attributes.get(*flag).map(String::as_str) == Some("true") {
            widen_with_refusal(
                &mut e,
                &["InvalidParameterException", "LimitExceededException"],
                ALREADY_VERIFIED,
            );
            // A class of its own: a fixture of an unverified address does not accept these.
            e.label = "already-verified".to_string();
        }
    } else if !user.attributes.contains_key(name) {
        let mut nothing = Outcome::of_status(200);
        nothing.code_delivery = Some(vec![]);
        nothing.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
        e.then.outcomes.push(nothing);
        cite(&mut e, WITHOUT_VALUE);
    }
    e
}

/// A custom attribute named like a standard one.
pub const STANDARD_NAME: &str = "custom-attribute.standard-name";

/// AddCustomAttributes of `names` (as sent, before the prefix): `e` (the model's answer) with
/// every other answer the evidence allows. An entry named like a standard attribute is added as
/// `custom:<name>` (the model) or the request is refused with `InvalidParameterException`,
/// nothing added; a class of its own, since other names are never refused that way.
pub fn add_custom_attributes(names: &[String], mut e: Expectation) -> Expectation {
    let standard = names
        .iter()
        .any(|n| crate::contract::schema::is_standard(n));
    if accepts(&e) && standard {
        widen_with_refusal(&mut e, &["InvalidParameterException"], STANDARD_NAME);
        e.label = "standard-name".to_string();
    }
    e
}

/// Whether the model's answer is a success.
fn accepts(e: &Expectation) -> bool {
    e.then.outcomes.first().is_some_and(Outcome::is_success)
}

fn has_duplicates<'a>(names: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    names.into_iter().any(|n| !seen.insert(n))
}

/// `changes` with the first value of each name kept (the model keeps the last).
fn first_wins(changes: &[Change]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for c in changes {
        if !out.iter().any(|o| o.name == c.name) {
            out.push(c.clone());
        }
    }
    out
}

/// Add "refused with one of `errors`, nothing changed" (no text: none was seen) and cite `id`.
fn widen_with_refusal(e: &mut Expectation, errors: &[&str], id: &'static str) {
    let mut refusal = Outcome::of_status(400);
    refusal.error = Some(match errors {
        [one] => OneOrMany::One(one.to_string()),
        many => OneOrMany::Many(many.iter().map(|s| s.to_string()).collect()),
    });
    refusal.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
    if !e.then.outcomes.contains(&refusal) {
        e.then.outcomes.push(refusal);
    }
    cite(e, id);
}

fn cite(e: &mut Expectation, id: &'static str) {
    if !e.requirements.contains(&id) {
        e.requirements.push(id);
    }
}

/// The accepted outcomes' attribute states, to widen in place.
fn accepted_states(e: &mut Expectation) -> impl Iterator<Item = (&mut Outcome, AttributeState)> {
    e.then.outcomes.iter_mut().filter_map(|o| match &o.state {
        Some(StateExpectation::Attributes(s)) if o.is_success() => {
            let s = s.clone();
            Some((o, s))
        }
        _ => None,
    })
}

/// A flag written by the user may end stored, kept or dropped; or the call is refused.
fn flags_written(changes: &[Change], e: &mut Expectation) {
    let written: Vec<(&str, &str)> = VERIFIABLE
        .iter()
        .filter(|(_, flag, _)| changes.iter().any(|c| c.name == *flag))
        .map(|(attribute, flag, _)| (*attribute, *flag))
        .collect();
    if written.is_empty() {
        return;
    }
    for (o, mut s) in accepted_states(e) {
        for (attribute, flag) in &written {
            s.attributes.remove(*flag);
            s.absent.retain(|n| n != flag);
            if !s.may_change.iter().any(|n| n == flag) {
                s.may_change.push(flag.to_string());
            }
            if changes.iter().any(|c| c.name == *attribute) {
                o.code_delivery = None;
            }
        }
        o.state = Some(StateExpectation::Attributes(s));
    }
    widen_with_refusal(
        e,
        &["InvalidParameterException", "NotAuthorizedException"],
        VERIFIED_FLAGS,
    );
}

/// A verifiable attribute given a new value without a code (its pool does not auto-verify
/// it) and without its flag in the request: the flag stays as it was or becomes `"false"`.
fn unverified_after_change(user: &UserModel, changes: &[Change], e: &mut Expectation) {
    let before = &user.attributes;
    let mut extra = Vec::new();
    for (o, s) in accepted_states(e) {
        for (attribute, flag, _) in VERIFIABLE {
            let changed = s
                .attributes
                .get(*attribute)
                .is_some_and(|new| before.get(*attribute) != Some(new));
            let coded = o
                .code_delivery
                .as_ref()
                .is_some_and(|d| d.iter().any(|d| d.attribute_name == *attribute));
            let flag_written = changes.iter().any(|c| c.name == *flag);
            let flag_stated =
                s.attributes.contains_key(*flag) || s.may_change.contains(&flag.to_string());
            if !changed || coded || flag_written || flag_stated {
                continue;
            }
            if before.get(*flag).map(String::as_str) != Some("false") {
                let mut unverified = o.clone();
                let mut s = s.clone();
                s.attributes.insert(flag.to_string(), "false".to_string());
                s.absent.retain(|n| n != flag);
                unverified.state = Some(StateExpectation::Attributes(s));
                extra.push(unverified);
            }
        }
    }
    if !extra.is_empty() {
        for o in extra {
            if !e.then.outcomes.contains(&o) {
                e.then.outcomes.push(o);
            }
        }
        cite(e, UNVERIFIED_AFTER_CHANGE);
    }
}

/// A refusal listing several unknown names accepts the lines in any order.
fn any_line_order(e: &mut Expectation) {
    if e.label != RuleId::NotInSchema.label() {
        return;
    }
    let several = e
        .then
        .outcomes
        .iter_mut()
        .filter_map(|o| match &o.strict.message {
            Some(OneOrMany::One(m)) if m.matches('\n').count() > 1 => {
                let m = m.clone();
                Some((o, m))
            }
            _ => None,
        });
    let mut widened = false;
    for (o, message) in several {
        let lines: Vec<&str> = message.split_inclusive('\n').collect();
        o.strict.message = if lines.len() > MAX_ORDERED_LINES {
            None
        } else {
            Some(OneOrMany::Many(orders(&lines)))
        };
        widened = true;
    }
    if widened {
        cite(e, SEVERAL_SCHEMA_ERRORS);
    }
}

/// Every order of `lines`, joined, the given order first.
fn orders(lines: &[&str]) -> Vec<String> {
    if lines.len() <= 1 {
        return vec![lines.concat()];
    }
    let mut out = Vec::new();
    for (i, first) in lines.iter().enumerate() {
        let mut rest = lines.to_vec();
        rest.remove(i);
        for tail in orders(&rest) {
            let text = format!("{first}{tail}");
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

/// Any call sent with a content type real clients send: `e` (the model's answer to the call as
/// if sent as AWS JSON) or a refusal of the whole request, nothing changed. A fault class of its
/// own (label `client-content-type`): no generated call is sent that way.
pub fn client_content_type(mut e: Expectation) -> Expectation {
    e.label = "client-content-type".to_string();
    e.title = format!(
        "{} (sent with a content type real clients send: applied, or refused whole)",
        e.title
    );
    let a = crate::generate::protocol::client_content_type_refusal();
    let mut refusal = Outcome::of_status(400);
    refusal.status = OneOrMany::Many(a.statuses);
    refusal.error = Some(OneOrMany::Many(
        a.errors.iter().map(|s| s.to_string()).collect(),
    ));
    refusal.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
    if !e.then.outcomes.contains(&refusal) {
        e.then.outcomes.push(refusal);
    }
    for id in a.requirements {
        cite(&mut e, id);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::Given;
    use crate::property::action::Action;
    use crate::property::oracle::{expect, pool_model};
    use crate::vocab::{ClientKind, PoolKind};
    use std::collections::BTreeMap;

    /// The attribute values a widened outcome states.
    fn attributes_of(o: &Outcome) -> BTreeMap<String, String> {
        match &o.state {
            Some(StateExpectation::Attributes(s)) => s.attributes.clone(),
            _ => BTreeMap::new(),
        }
    }

    fn update_of(writes: &[(&str, &str)]) -> Action {
        Action::Update {
            writes: writes
                .iter()
                .map(|(n, v)| (n.to_string(), Some(v.to_string())))
                .collect(),
            client_metadata: None,
        }
    }

    fn answer(writes: &[(&str, &str)]) -> Expectation {
        let user = UserModel::initial(&Given::default());
        expect(
            &pool_model(PoolKind::Default, ClientKind::Full),
            &user,
            &update_of(writes),
        )
    }

    #[test]
    fn every_cited_id_is_a_requirement() {
        let registry = crate::contract::Registry::get();
        for id in [
            EMPTY_LIST,
            DUPLICATE_NAMES,
            VERIFIED_FLAGS,
            UNVERIFIED_AFTER_CHANGE,
            SEVERAL_SCHEMA_ERRORS,
        ] {
            assert!(registry.requirement(id).is_some(), "{id}");
        }
    }

    #[test]
    fn a_new_phone_number_without_a_code_may_leave_its_flag_absent_or_false() {
        let e = answer(&[("phone_number", "+15555550100")]);
        let flags: Vec<Option<String>> = e
            .then
            .outcomes
            .iter()
            .map(|o| attributes_of(o).get("phone_number_verified").cloned())
            .collect();
        assert_eq!(flags, [None, Some("false".to_string())]);
        assert!(e.requirements.contains(&UNVERIFIED_AFTER_CHANGE));
        // An e-mail change sends a code and sets the flag itself: nothing to widen.
        let e = answer(&[("email", "n.{{username}}@example.com")]);
        assert_eq!(e.then.outcomes.len(), 1);
    }

    #[test]
    fn duplicates_flags_and_empty_lists_accept_every_answer_the_evidence_allows() {
        let e = answer(&[("name", "A"), ("name", "B")]);
        let names: Vec<Option<String>> = e
            .then
            .outcomes
            .iter()
            .map(|o| attributes_of(o).get("name").cloned())
            .collect();
        assert_eq!(names, [Some("B".into()), Some("A".into()), None]);
        assert_eq!(e.then.outcomes[2].status, OneOrMany::One(400));
        let e = answer(&[("email_verified", "false")]);
        let Some(StateExpectation::Attributes(s)) = &e.then.outcomes[0].state else {
            panic!("an attribute state");
        };
        assert_eq!(s.may_change, ["email_verified"]);
        assert!(!s.attributes.contains_key("email_verified"));
        assert_eq!(e.then.outcomes.len(), 2);
        let e = answer(&[]);
        assert_eq!(e.then.outcomes.len(), 2);
        assert!(e.requirements.contains(&EMPTY_LIST));
        // A write without any of these is answered once.
        assert_eq!(answer(&[("name", "A")]).then.outcomes.len(), 1);
    }

    #[test]
    fn unknown_names_are_accepted_in_any_order() {
        let e = answer(&[("foo", "x"), ("custom:nope", "y")]);
        let Some(OneOrMany::Many(texts)) = &e.then.outcomes[0].strict.message else {
            panic!("several texts: {:?}", e.then.outcomes[0].strict.message);
        };
        assert_eq!(texts.len(), 2);
        assert!(texts[0].starts_with("user.foo:"), "{texts:?}");
        assert_eq!(orders(&["a\n", "b\n", "c\n"]).len(), 6);
    }
}
