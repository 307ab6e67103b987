//! The oracle's answers for the attribute-operation family on a well-formed request:
//! AdminUpdateUserAttributes and AdminDeleteUserAttributes (SigV4-signed with the target's
//! administrator credentials, naming the case's pool and user), GetUserAttributeVerificationCode
//! (token-authorized, past the token checks) and AddCustomAttributes (on a pool of the case's
//! own). The rules are the contract's ([`crate::contract::verification`],
//! [`crate::contract::rules`], [`crate::contract::custom_attributes`]); what each answer checks
//! is named in [`super::requirements`].

use serde_json::Value;

use super::contested;
use super::oracle::{
    Expectation, PoolModel, UserModel, accepted, changes_of, error_then, only_seen, refused,
    rule_refusal, strings_of, success_then,
};
use super::requirements as req;
use crate::case::fixture::{CodeDelivery, Outcome, SimpleState, StateExpectation};
use crate::contract::custom_attributes::{NewAttribute, plan_add_custom_attributes};
use crate::contract::rules::{Actor, plan_delete};
use crate::contract::verification::{
    VerificationError, plan_admin_update_waiving, verification_code_delivery,
};
use crate::generate::{POOL_ID, SUB, USERNAME};
use crate::vocab::Operation;

/// The pool and user an administrator call names, when they are not the case's: the pool is
/// looked up first, then the user by username, `sub` or verified e-mail alias (the suite's
/// pools make e-mail an alias). `None`: both are the case's.
pub fn admin_lookup(user: &UserModel, op: Operation, body: &Value) -> Option<Expectation> {
    let pool = body
        .get("UserPoolId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if pool != POOL_ID {
        let ids = req::unknown_pool();
        return Some(refused(
            user,
            only_seen(
                error_then(
                    &["ResourceNotFoundException"],
                    Some(format!("User pool {pool} does not exist.")),
                ),
                &ids,
            ),
            ids,
            "unknown-pool",
            format!("{op} refuses a pool that does not exist"),
        ));
    }
    let name = body.get("Username").and_then(Value::as_str)?;
    let alias = user.attributes.get("email_verified").map(String::as_str) == Some("true")
        && user.attributes.get("email").map(String::as_str) == Some(name);
    let gone = user.token == super::oracle::TokenModel::UserDeleted;
    if gone || !(name == USERNAME || name == SUB || alias) {
        let ids = req::unknown_user();
        return Some(refused(
            user,
            only_seen(
                error_then(
                    &["UserNotFoundException"],
                    Some("User does not exist.".into()),
                ),
                &ids,
            ),
            ids,
            "unknown-user",
            format!("{op} refuses a user that does not exist"),
        ));
    }
    None
}

/// AdminUpdateUserAttributes: the update rules without an app client's write list. The
/// answer is `{}` whether or not a code is sent (nothing in it to check); the stored state is
/// what the contract plans, `*_verified` flags included.
pub fn admin_update(pool: &PoolModel, user: &UserModel, body: &Value) -> Expectation {
    let op = Operation::AdminUpdateUserAttributes;
    let changes = changes_of(body);
    let nobody: &dyn Fn(&str, &str) -> bool = &|_, _| false;
    let plan = |changes: &[crate::contract::rules::Change]| match plan_admin_update_waiving(
        &pool.schema,
        &user.attributes,
        changes,
        nobody,
        &Default::default(),
    ) {
        Err(e) => {
            let names: Vec<String> = changes.iter().map(|c| c.name.clone()).collect();
            rule_refusal(pool, user, op, &names, &e)
        }
        Ok(plan) => {
            let mut then = success_then(&user.attributes, &plan.attributes);
            then.code_delivery = Some(vec![]);
            let (ids, label) = if plan.deliveries.is_empty() {
                (req::update_applies(), "stores-attributes")
            } else {
                (
                    req::admin_verification(),
                    "stores-attributes-and-sends-code",
                )
            };
            accepted(
                user,
                then,
                ids,
                label,
                format!("{op} stores every attribute it writes"),
                plan.attributes,
            )
        }
    };
    let e = plan(&changes);
    contested::update(contested::Writer::Administrator, user, &changes, e, plan)
}

/// AdminDeleteUserAttributes: the delete rules without an app client's write list.
pub fn admin_delete(pool: &PoolModel, user: &UserModel, body: &Value) -> Expectation {
    let op = Operation::AdminDeleteUserAttributes;
    let names = strings_of(body, "UserAttributeNames");
    let e = match plan_delete(&pool.schema, Actor::Admin, &user.attributes, &names) {
        Err(e) => rule_refusal(pool, user, op, &names, &e),
        Ok(after) => {
            let mut then = success_then(&user.attributes, &after);
            then.code_delivery = Some(vec![]);
            accepted(
                user,
                then,
                req::admin_delete_applies(),
                "removes-named-attributes",
                format!("{op} removes exactly the attributes it names"),
                after,
            )
        }
    };
    contested::delete(&names, e)
}

/// GetUserAttributeVerificationCode: a code for `email` or `phone_number` to the user's
/// current value (a value waiting for verification is not current), masked; any other name,
/// or an attribute the user lacks, is refused. Nothing stored changes.
pub fn verification_code(user: &UserModel, body: &Value) -> Expectation {
    let op = Operation::GetUserAttributeVerificationCode;
    let name = body
        .get("AttributeName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let e = match verification_code_delivery(name, &user.attributes) {
        Err(e) => {
            let ids = req::verification_code_refusal(&e);
            let label = match e {
                VerificationError::NotVerifiable => "not-verifiable",
                _ => "attribute-without-value",
            };
            refused(
                user,
                only_seen(error_then(&[e.error_type()], Some(e.to_string())), &ids),
                ids,
                label,
                format!("{op} refuses an attribute it cannot send a code for"),
            )
        }
        Ok(d) => {
            let mut then = Outcome::of_status(200);
            then.code_delivery = Some(vec![CodeDelivery {
                attribute_name: d.attribute_name,
                delivery_medium: d.delivery_medium,
            }]);
            then.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
            accepted(
                user,
                then,
                req::verification_code_sent(),
                "sends-code",
                format!("{op} sends a code to the attribute's masked current value"),
                user.attributes.clone(),
            )
        }
    };
    contested::verification_code(user, name, e)
}

/// AddCustomAttributes on the case's own pool: new attributes are added and the user is
/// untouched; a request the contract refuses adds nothing. (The schema afterwards is not part
/// of the model: the fixtures read it back.)
pub fn add_custom_attributes(pool: &PoolModel, user: &UserModel, body: &Value) -> Expectation {
    let op = Operation::AddCustomAttributes;
    let request: Vec<NewAttribute> = body
        .get("CustomAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(NewAttribute::from_json)
        .collect();
    match plan_add_custom_attributes(&pool.schema, &request) {
        Err(e) => {
            let ids = req::custom_attribute_refusal(&e);
            refused(
                user,
                only_seen(error_then(&[e.error_type()], Some(e.to_string())), &ids),
                ids,
                "custom-attribute-refused",
                format!("{op} refuses a custom attribute the contract does not allow"),
            )
        }
        Ok(_) => {
            let mut then = Outcome::of_status(200);
            then.state = Some(StateExpectation::Simple(SimpleState::Unchanged));
            let names: Vec<String> = request.iter().filter_map(|a| a.name.clone()).collect();
            contested::add_custom_attributes(
                &names,
                accepted(
                    user,
                    then,
                    req::custom_attributes_added(),
                    "adds-custom-attributes",
                    format!("{op} adds new custom attributes and answers an empty success"),
                    user.attributes.clone(),
                ),
            )
        }
    }
}
