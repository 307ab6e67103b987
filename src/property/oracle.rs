//! The contract as an executable model: what one call must do, given the pool, the app
//! client, the user's attributes and the state of its token. The answer is a fixture's `then`
//! plus the model's next state, so every generated step is judged exactly like a fixture.
//!
//! Layers, in the order a Cognito front end applies them: routing (`X-Amz-Target`, content
//! type) and JSON syntax ([`crate::generate::protocol`]), JSON types
//! ([`crate::contract::json_types`]), model constraints ([`crate::contract::validate`]), the
//! token, then the attribute rules ([`crate::contract::rules`]). Values are templates
//! (`{{username}}` in e-mail addresses): the contract functions judge a concretized copy where
//! length and pattern matter, and the template where the value is stored.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::Value;

use super::action::Action;
use super::contested;
use super::family;
use super::requirements::{self as req, Ids};
use crate::case::fixture::{
    AttributeState, CodeDelivery, Given, OneOrMany, Outcome, SimpleState, StateExpectation, Then,
    UserAttributesAfter,
};
use crate::contract::json_types::check_json_types;
use crate::contract::rules::{Actor, Change, RuleError, plan_delete, plan_update};
use crate::contract::schema::{PoolSchema, WriteScope};
use crate::contract::validate::{validate_input, validation_message};
use crate::generate::protocol::{self, Accepted};
use crate::generate::{ACCESS_TOKEN, USERNAME, concretize, templated};
use crate::target::provision::{RESTRICTED_WRITE_ATTRIBUTES, pool_definition};
use crate::text::abbreviate;
use crate::vocab::{ClientKind, Operation, PoolKind, RuleId};

/// The pool and app client a case runs in, as the contract sees them.
#[derive(Debug, Clone)]
pub struct PoolModel {
    /// The pool's attribute schema.
    pub schema: PoolSchema,
    /// The client's write scope.
    pub scope: WriteScope,
}

impl PoolModel {
    /// The same pool as an administrator writes to it: held to no app client's write list.
    pub fn as_admin(&self) -> PoolModel {
        PoolModel {
            scope: WriteScope::All,
            ..self.clone()
        }
    }
}

static SCHEMAS: LazyLock<[PoolSchema; PoolKind::ALL.len()]> = LazyLock::new(|| {
    PoolKind::ALL.map(|kind| {
        let def = pool_definition("model", kind, "model");
        def.as_object()
            .and_then(|o| PoolSchema::from_create_input(o).ok())
            .expect("the provisioned pool definitions are valid schemas (unit-tested)")
    })
});

/// The model of the pool and client the suite provisions for `pool` and `client`.
pub fn pool_model(pool: PoolKind, client: ClientKind) -> PoolModel {
    let index = PoolKind::ALL.iter().position(|k| *k == pool).unwrap_or(0);
    let schema = SCHEMAS[index].clone();
    let scope = match client {
        ClientKind::Full => WriteScope::All,
        ClientKind::Restricted => WriteScope::Only(
            RESTRICTED_WRITE_ATTRIBUTES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ),
    };
    PoolModel { schema, scope }
}

/// What the token under test still authorizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenModel {
    /// A fresh access token.
    Valid,
    /// Revoked by GlobalSignOut.
    Revoked,
    /// Its user deleted itself.
    UserDeleted,
}

/// The user as the contract sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserModel {
    /// Attributes (templates: the username appears as `{{username}}`).
    pub attributes: BTreeMap<String, String>,
    /// The token's state.
    pub token: TokenModel,
}

impl UserModel {
    /// The user a `given` creates: a unique verified e-mail address, then the given attributes
    /// (`""` drops a default), as `run::setup` creates it.
    pub fn initial(given: &Given) -> UserModel {
        let mut attributes = BTreeMap::from([
            ("email".to_string(), format!("{USERNAME}@example.com")),
            ("email_verified".to_string(), "true".to_string()),
        ]);
        for (k, v) in &given.user.attributes {
            if v.is_empty() {
                attributes.remove(k);
            } else {
                attributes.insert(k.clone(), v.clone());
            }
        }
        UserModel {
            attributes,
            token: TokenModel::Valid,
        }
    }
}

/// What the contract says one call does.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// The expected outcome, as a fixture states it.
    pub then: Then,
    /// The requirements it checks (`contract/requirements.toml`).
    pub requirements: Ids,
    /// Short kebab-case name of what happens (`pattern`, `not-in-schema`, `stores-attributes`).
    pub label: String,
    /// One line naming the behaviour (a saved fixture's title).
    pub title: String,
    /// The model after the call.
    pub after: UserModel,
}

/// What the contract says `action` does to `user` in `pool`.
pub fn expect(pool: &PoolModel, user: &UserModel, action: &Action) -> Expectation {
    let e = expect_routed(pool, user, action);
    if protocol::sends_client_content_type(&action.when()) {
        return contested::client_content_type(e);
    }
    e
}

/// [`expect`] for a request the front end routes as AWS JSON.
fn expect_routed(pool: &PoolModel, user: &UserModel, action: &Action) -> Expectation {
    let op = action.operation();
    let when = action.when();
    if let Some(fault) = protocol::classify(op.name(), &when) {
        let label = fault.label();
        return refused(
            user,
            accepted_then(&fault.accepted()),
            req::protocol_fault(&fault),
            label,
            format!(
                "{op} request with {} is rejected and changes nothing",
                words(label)
            ),
        );
    }
    let raw = when.raw_body.clone().unwrap_or_default();
    let (Ok(template), Ok(concrete)) = (
        serde_json::from_str::<Value>(&raw),
        serde_json::from_str::<Value>(&concretize(&raw)),
    ) else {
        let accepted = protocol::malformed_json();
        return refused(
            user,
            accepted_then(&accepted),
            req::malformed_json(),
            "malformed-json",
            format!("{op} request whose body is not JSON is rejected and changes nothing"),
        );
    };
    if let Err(m) = check_json_types(op.name(), &concrete) {
        return refused(
            user,
            only_seen(
                error_then(&["SerializationException"], Some(m.message.clone())),
                &req::json_type(m.fault),
            ),
            req::json_type(m.fault),
            "wrong-json-type",
            format!(
                "{op} refuses a value of the wrong JSON type at {} with SerializationException",
                if m.path.is_empty() {
                    "the body".to_string()
                } else {
                    abbreviate(&m.path)
                }
            ),
        );
    }
    let violations = validate_input(op.name(), &concrete);
    if let Some(first) = violations.first() {
        return refused(
            user,
            validation_then(&violations),
            req::validation(&violations),
            "model-constraint",
            format!(
                "{op} refuses input that breaks the service model at {}: {}",
                abbreviate(&first.path),
                first.constraint
            ),
        );
    }
    // The administrator operations are SigV4-signed with the target's credentials (the
    // generated cases never alter the signature): no token to judge.
    let signed = crate::contract::Model::get()
        .operation(op.name())
        .is_some_and(|o| o.authtype == "v4");
    if signed {
        return family::admin_lookup(user, op, &template)
            .unwrap_or_else(|| operate(pool, user, op, &template));
    }
    if template.get("AccessToken").and_then(Value::as_str) != Some(ACCESS_TOKEN) {
        return refused(
            user,
            error_then(
                &["NotAuthorizedException"],
                Some("Invalid Access Token".into()),
            ),
            req::garbage_token(),
            "invalid-token",
            format!("{op} refuses a token that is not an access token"),
        );
    }
    match user.token {
        TokenModel::Revoked => {
            return refused(
                user,
                error_then(
                    &["NotAuthorizedException"],
                    Some("Access Token has been revoked".into()),
                ),
                req::revoked(),
                "revoked-token",
                format!("{op} refuses an access token revoked by GlobalSignOut"),
            );
        }
        TokenModel::UserDeleted => {
            let mut then = error_then(&["NotAuthorizedException", "UserNotFoundException"], None);
            then.state = Some(StateExpectation::Simple(SimpleState::Deleted));
            return refused(
                user,
                then,
                req::deleted_user(),
                "deleted-user",
                format!("{op} refuses the token of a user that deleted itself"),
            );
        }
        TokenModel::Valid => {}
    }
    operate(pool, user, op, &template)
}

/// The operation itself, on a well-formed request with a valid token.
fn operate(pool: &PoolModel, user: &UserModel, op: Operation, body: &Value) -> Expectation {
    let actor = Actor::Client(&pool.scope);
    match op {
        Operation::UpdateUserAttributes => {
            let changes = changes_of(body);
            let e = update(pool, user, &changes);
            contested::update(contested::Writer::User, user, &changes, e, |c| {
                update(pool, user, c)
            })
        }
        Operation::DeleteUserAttributes => {
            let names = strings_of(body, "UserAttributeNames");
            let e = match plan_delete(&pool.schema, actor, &user.attributes, &names) {
                Err(e) => rule_refusal(pool, user, op, &names, &e),
                Ok(after) => accepted(
                    user,
                    success_then(&user.attributes, &after),
                    req::delete_applies(),
                    "removes-named-attributes",
                    format!("{op} removes exactly the attributes it names"),
                    after,
                ),
            };
            contested::delete(&names, e)
        }
        Operation::DeleteUser => {
            let mut then = Outcome::of_status(200);
            then.state = Some(StateExpectation::Simple(SimpleState::Deleted));
            Expectation {
                then: Then::one(then),
                requirements: req::delete_user(),
                label: "deletes-user".into(),
                title: format!("{op} deletes the signed-in user"),
                after: UserModel {
                    attributes: BTreeMap::new(),
                    token: TokenModel::UserDeleted,
                },
            }
        }
        Operation::GlobalSignOut => {
            let mut then = Outcome::of_status(200);
            then.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
            Expectation {
                then: Then::one(then),
                requirements: req::sign_out(),
                label: "signs-out".into(),
                title: format!("{op} revokes the user's tokens"),
                after: UserModel {
                    attributes: user.attributes.clone(),
                    token: TokenModel::Revoked,
                },
            }
        }
        Operation::AdminUpdateUserAttributes => family::admin_update(pool, user, body),
        Operation::AdminDeleteUserAttributes => family::admin_delete(pool, user, body),
        Operation::GetUserAttributeVerificationCode => family::verification_code(user, body),
        Operation::AddCustomAttributes => family::add_custom_attributes(pool, user, body),
        Operation::GetUser => Expectation {
            then: Then::one(Outcome {
                user_attributes: Some(UserAttributesAfter::AsStored),
                ..Outcome::of_status(200)
            }),
            requirements: req::get_user(),
            label: "reads-user".into(),
            title: format!("{op} returns the user's stored attributes"),
            after: user.clone(),
        },
        // No property generates it (a fixture's later call may send it): it reads the pool
        // and changes nothing.
        Operation::DescribeUserPool => Expectation {
            then: Then::one(Outcome::of_status(200)),
            requirements: vec![],
            label: "reads-pool".into(),
            title: format!("{op} reads the user's pool"),
            after: user.clone(),
        },
    }
}

/// UpdateUserAttributes with `changes` on a well-formed request with a valid token: the
/// model's one answer ([`contested::update`] adds the others the evidence allows).
fn update(pool: &PoolModel, user: &UserModel, changes: &[Change]) -> Expectation {
    let op = Operation::UpdateUserAttributes;
    let actor = Actor::Client(&pool.scope);
    let nobody: &dyn Fn(&str, &str) -> bool = &|_, _| false;
    match plan_update(&pool.schema, actor, &user.attributes, changes, nobody) {
        Err(e) => {
            let names: Vec<String> = changes.iter().map(|c| c.name.clone()).collect();
            rule_refusal(pool, user, op, &names, &e)
        }
        Ok(plan) => {
            let mut then = success_then(&user.attributes, &plan.attributes);
            then.code_delivery = Some(
                plan.deliveries
                    .iter()
                    .map(|d| CodeDelivery {
                        attribute_name: d.attribute_name.clone(),
                        delivery_medium: d.delivery_medium.clone(),
                    })
                    .collect(),
            );
            let (ids, label, title) = if plan.deliveries.is_empty() {
                (
                    req::update_applies(),
                    "stores-attributes",
                    format!("{op} stores every attribute it writes"),
                )
            } else {
                (
                    req::verification(),
                    "sends-verification-code",
                    format!(
                        "{op} stores the attributes it writes and sends a code for the new e-mail address"
                    ),
                )
            };
            accepted(user, then, ids, label, title, plan.attributes)
        }
    }
}

/// `{Name, Value}` of `UserAttributes` (a missing or null `Value` is `None`).
pub(super) fn changes_of(body: &Value) -> Vec<Change> {
    body.get("UserAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            Some(Change {
                name: a.get("Name")?.as_str()?.to_string(),
                value: a.get("Value").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect()
}

pub(super) fn strings_of(body: &Value, member: &str) -> Vec<String> {
    body.get(member)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

pub(super) fn rule_refusal(
    pool: &PoolModel,
    user: &UserModel,
    op: Operation,
    names: &[String],
    e: &RuleError,
) -> Expectation {
    let ids = if matches!(
        op,
        Operation::DeleteUserAttributes | Operation::AdminDeleteUserAttributes
    ) {
        req::delete_rule(e.rule)
    } else {
        req::update_rule(e.rule)
    };
    let outcome = only_seen(error_then(&[e.error_type()], Some(e.message.clone())), &ids);
    // A restricted client refusing a name the schema lacks: which check answers first is
    // likely the client's (seen on SignUp) but not proven, so the schema's refusal is accepted
    // too (attribute.unknown-via-restricted-client).
    let unknown = names
        .iter()
        .any(|n| pool.schema.get(n).is_none() && n != "sub");
    if e.rule == RuleId::ClientNotAllowed && unknown {
        let mut ids = ids;
        ids.insert(0, "attribute.unknown-via-restricted-client");
        let schema = error_then(&["InvalidParameterException"], None);
        let mut exp = refused(
            user,
            outcome,
            ids,
            RuleId::NotInSchema.label(),
            format!("{op} refuses {}", phrase(RuleId::NotInSchema)),
        );
        exp.then.outcomes.push(schema);
        return exp;
    }
    refused(
        user,
        outcome,
        ids,
        e.rule.label(),
        format!("{op} refuses {}", phrase(e.rule)),
    )
}

/// What is refused, as in "UpdateUserAttributes refuses <phrase>".
pub fn phrase(rule: RuleId) -> &'static str {
    match rule {
        RuleId::NotInSchema => "an attribute the pool's schema lacks",
        RuleId::Sub => "the attribute sub",
        RuleId::Immutable => "an immutable attribute",
        RuleId::ClientNotAllowed => "an attribute outside the app client's write permissions",
        RuleId::Required => "removing a required attribute",
        RuleId::CustomStringLength => "a custom string outside its length constraints",
        RuleId::InvalidEmail => "a malformed e-mail address",
        RuleId::InvalidPhoneNumber => "a malformed phone number",
        RuleId::ValueMissing => "an attribute without a value",
        RuleId::AliasExists => "an e-mail address another user holds",
    }
}

/// A refusal for breaking model constraints. The message is the model's, in AWS's format; for
/// the attribute-name pattern both texts real pools answer are accepted (pools created before
/// May 2024 keep the older pattern, which is the one seen in a capture).
fn validation_then(violations: &[crate::contract::validate::Violation]) -> Outcome {
    let mut then = error_then(&["InvalidParameterException"], None);
    if let Some(m) = validation_message(violations).map(|m| templated(&m)) {
        let older = m.replace(NAME_PATTERN, OLDER_NAME_PATTERN);
        then.strict.message = Some(if older == m {
            OneOrMany::One(m)
        } else {
            OneOrMany::Many(vec![m, older])
        });
    }
    then
}

/// `AttributeNameType`'s pattern in the current model, and in the model before May 2024.
const NAME_PATTERN: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+";
const OLDER_NAME_PATTERN: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+";

/// `then` without its strict message unless real Cognito was seen to answer that text for one
/// of `requirements` (the registry's texts): any other would assert a guess. (Validation
/// messages are the model's constraints in AWS's format and are kept.)
pub(super) fn only_seen(mut then: Outcome, requirements: &Ids) -> Outcome {
    let registry = crate::contract::Registry::get();
    if let Some(OneOrMany::One(text)) = &then.strict.message
        && !registry.seen(requirements, text)
    {
        then.strict.message = None;
    }
    then
}

/// A refusal: nothing changes.
pub(super) fn refused(
    user: &UserModel,
    then: Outcome,
    requirements: Ids,
    label: &str,
    title: String,
) -> Expectation {
    Expectation {
        then: Then::one(then),
        requirements,
        label: label.to_string(),
        title,
        after: user.clone(),
    }
}

pub(super) fn accepted(
    user: &UserModel,
    then: Outcome,
    requirements: Ids,
    label: &str,
    title: String,
    attributes: BTreeMap<String, String>,
) -> Expectation {
    Expectation {
        then: Then::one(then),
        requirements,
        label: label.to_string(),
        title,
        after: UserModel {
            attributes,
            token: user.token,
        },
    }
}

/// A 400 with one of `errors`; state unchanged (the default for errors).
pub(super) fn error_then(errors: &[&str], message: Option<String>) -> Outcome {
    let mut then = Outcome::of_status(400);
    then.error = Some(one_or_many(errors.iter().map(|e| e.to_string()).collect()));
    then.strict.message = message.map(OneOrMany::One);
    then.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
    then
}

fn accepted_then(a: &Accepted) -> Outcome {
    let mut then = Outcome::of_status(400);
    then.status = one_or_many(a.statuses.clone());
    then.error = Some(one_or_many(
        a.errors.iter().map(|e| e.to_string()).collect(),
    ));
    if a.errors.len() > 1 {
        then.strict.error = Some(a.strict_error.to_string());
    }
    then.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
    then
}

fn one_or_many<T: PartialEq>(mut v: Vec<T>) -> OneOrMany<T> {
    if v.len() == 1 {
        OneOrMany::One(v.remove(0))
    } else {
        OneOrMany::Many(v)
    }
}

/// A 200 whose state is `after`: changed and new attributes listed, removed ones absent.
pub(super) fn success_then(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Outcome {
    let mut then = Outcome::of_status(200);
    let attributes: BTreeMap<String, String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let absent: Vec<String> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    then.state = Some(StateExpectation::Attributes(AttributeState {
        attributes,
        absent,
        may_change: vec![],
    }));
    then
}

/// `missing-target-header` -> `a missing target header`.
fn words(label: &str) -> String {
    let text = label.replace('-', " ");
    match text.chars().next() {
        Some(c) if "aeiou".contains(c) => format!("an {text}"),
        _ => format!("a {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::When;

    fn full() -> PoolModel {
        pool_model(PoolKind::Default, ClientKind::Full)
    }

    fn user() -> UserModel {
        UserModel::initial(&Given::default())
    }

    fn update(writes: &[(&str, Option<&str>)]) -> Action {
        Action::Update {
            writes: writes
                .iter()
                .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
                .collect(),
            client_metadata: None,
        }
    }

    fn raw(op: &str, body: &str) -> Action {
        Action::Raw {
            when: When {
                operation: op.parse().expect("an operation"),
                body: None,
                raw_body: Some(body.into()),
                headers: Default::default(),
                remove_headers: vec![],
                method: Default::default(),
                path: None,
            },
            fault: "test".into(),
            name: "test".into(),
        }
    }

    fn errors(e: &Expectation) -> Vec<String> {
        e.then.outcomes[0]
            .error
            .as_ref()
            .map(|o| o.as_slice().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn layers_apply_in_order() {
        let e = expect(
            &full(),
            &user(),
            &raw("DeleteUser", r#"{"AccessToken": 5}"#),
        );
        assert_eq!(errors(&e), ["SerializationException"]);
        let e = expect(
            &full(),
            &user(),
            &raw("DeleteUser", r#"{"AccessToken": ""}"#),
        );
        assert_eq!(errors(&e), ["InvalidParameterException"]);
        assert!(
            e.then.outcomes[0]
                .strict
                .message
                .clone()
                .unwrap()
                .as_slice()[0]
                .contains("regular expression pattern")
        );
        let e = expect(
            &full(),
            &user(),
            &raw("DeleteUser", r#"{"AccessToken": "abc"}"#),
        );
        assert_eq!(errors(&e), ["NotAuthorizedException"]);
        let e = expect(
            &full(),
            &user(),
            &raw("DeleteUser", r#"{"AccessToken": "{{access_token}}""#),
        );
        assert_eq!(e.label, "malformed-json");
        let mut revoked = user();
        revoked.token = TokenModel::Revoked;
        let e = expect(&full(), &revoked, &Action::DeleteUser);
        assert_eq!(
            e.then.outcomes[0].strict.message,
            Some(OneOrMany::One("Access Token has been revoked".to_string()))
        );
    }

    #[test]
    fn update_success_lists_changes_and_code_deliveries() {
        let e = expect(
            &full(),
            &user(),
            &update(&[
                ("name", Some("Ada")),
                ("email", Some("a.{{username}}@x.org")),
            ]),
        );
        assert_eq!(e.then.outcomes[0].status, OneOrMany::One(200));
        let Some(StateExpectation::Attributes(s)) = &e.then.outcomes[0].state else {
            panic!("attribute state")
        };
        assert_eq!(s.attributes["name"], "Ada");
        assert_eq!(s.attributes["email_verified"], "false");
        assert_eq!(e.then.outcomes[0].code_delivery.as_ref().unwrap().len(), 1);
        assert_eq!(e.after.attributes["email"], "a.{{username}}@x.org");
    }

    #[test]
    fn rule_refusals_carry_type_message_and_evidence() {
        let e = expect(&full(), &user(), &update(&[("custom:badge", Some("x"))]));
        assert_eq!(errors(&e), ["InvalidParameterException"]);
        assert_eq!(e.label, "immutable");
        let restricted = pool_model(PoolKind::Default, ClientKind::Restricted);
        let e = expect(&restricted, &user(), &update(&[("custom:team", Some("x"))]));
        assert_eq!(errors(&e), ["NotAuthorizedException"]);
        let e = expect(
            &full(),
            &user(),
            &Action::DeleteAttributes {
                names: vec!["email".into()],
            },
        );
        assert_eq!(e.label, "required");
        assert!(
            e.requirements.contains(&"attribute.delete-required"),
            "{:?}",
            e.requirements
        );
    }

    #[test]
    fn delete_user_then_calls_are_refused_and_state_is_deleted() {
        let e = expect(&full(), &user(), &Action::DeleteUser);
        assert_eq!(e.after.token, TokenModel::UserDeleted);
        let again = expect(&full(), &e.after, &Action::GetUser);
        assert_eq!(
            errors(&again),
            ["NotAuthorizedException", "UserNotFoundException"]
        );
        assert!(matches!(
            again.then.outcomes[0].state,
            Some(StateExpectation::Simple(SimpleState::Deleted))
        ));
    }
}
