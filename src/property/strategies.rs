//! Generated cases per property, composed from [`crate::generate`]: a `given` (pool, client,
//! the user's first attributes) and the calls.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::action::{Action, GenCase};
use super::oracle::{PoolModel, UserModel, pool_model};
use crate::case::fixture::{Given, UserSpec, When};
use crate::contract::json_types::check_json_types;
use crate::contract::schema::WriteScope;
use crate::contract::validate::validate_input;
use crate::generate::attributes::{self, GENERATED_RULES, Write};
use crate::generate::concretize;
use crate::generate::invalid::{Constraint, Fault, apply_knobs, knobs};
use crate::generate::protocol::{self, ProtocolFault};
use crate::generate::shape::valid;
use crate::vocab::RuleId;
use crate::vocab::{ClientKind, Operation, PoolKind, PoolScope};

/// Pool kind and app client; the simplest (default pool, full client) first, as shrinking
/// moves toward it.
fn pool_and_client() -> BoxedStrategy<(PoolKind, ClientKind)> {
    let pools = prop_oneof![3 => Just(PoolKind::Default), 1 => Just(PoolKind::VerifyBeforeUpdate)];
    let clients = prop_oneof![3 => Just(ClientKind::Full), 1 => Just(ClientKind::Restricted)];
    (pools, clients).boxed()
}

/// The user's attributes at creation. Every provisioned pool has the same attributes (the
/// kinds differ in verification settings only), so one schema serves all.
fn first_attributes() -> BoxedStrategy<BTreeMap<String, String>> {
    attributes::initial(&pool_model(PoolKind::Default, ClientKind::Full).schema)
}

fn given_of(pool: PoolKind, client: ClientKind, attributes: BTreeMap<String, String>) -> Given {
    Given {
        pool,
        client,
        user: UserSpec { attributes },
        ..Given::default()
    }
}

/// Pool kind, app client and the user's attributes at creation.
pub fn given() -> BoxedStrategy<Given> {
    (pool_and_client(), first_attributes())
        .prop_map(|((pool, client), attributes)| given_of(pool, client, attributes))
        .boxed()
}

/// Optional ClientMetadata (a quarter of the time), valid by the model.
fn client_metadata() -> BoxedStrategy<Option<BTreeMap<String, String>>> {
    let Some(maps) = valid("ClientMetadataType") else {
        return Just(None).boxed();
    };
    let maps = maps.prop_map(|v| {
        v.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    });
    prop_oneof![3 => Just(None), 1 => maps.prop_map(Some)].boxed()
}

/// A valid UpdateUserAttributes: one to three writes the client may make.
pub fn valid_update(pool: &PoolModel) -> BoxedStrategy<Action> {
    (
        attributes::valid_writes(&pool.schema, &pool.scope),
        client_metadata(),
    )
        .prop_map(|(writes, client_metadata)| Action::Update {
            writes,
            client_metadata,
        })
        .boxed()
}

/// An UpdateUserAttributes with valid writes and exactly one that breaks `rule` (any rule the
/// client can break when `None`), placed anywhere among them.
pub fn faulty_update(pool: &PoolModel, rule: Option<RuleId>) -> BoxedStrategy<Action> {
    let bad = one_of(
        rules(rule)
            .filter_map(|r| attributes::faulty_write(&pool.schema, &pool.scope, r))
            .collect(),
    );
    (
        attributes::valid_writes(&pool.schema, &pool.scope),
        bad,
        0..8usize,
    )
        .prop_map(|(mut writes, bad, at): (Vec<Write>, Write, _)| {
            writes.retain(|(n, _)| *n != bad.0);
            let i = at % (writes.len() + 1);
            writes.insert(i, bad);
            Action::Update {
                writes,
                client_metadata: None,
            }
        })
        .boxed()
}

/// `Some(rule)`: that rule; `None`: all of them.
fn rules(rule: Option<RuleId>) -> impl Iterator<Item = RuleId> {
    GENERATED_RULES
        .into_iter()
        .filter(move |r| rule.is_none_or(|x| x == *r))
}

/// One of `options`; a strategy that rejects when there is none (the property then draws
/// another pool and client).
fn one_of<T: std::fmt::Debug + Clone + 'static>(
    options: Vec<BoxedStrategy<T>>,
) -> BoxedStrategy<T> {
    if options.is_empty() {
        return Just(())
            .prop_filter_map("no way to break this rule here", |_| None::<T>)
            .boxed();
    }
    proptest::strategy::Union::new(options).boxed()
}

/// Names a client may delete: up to three, some the user has and some it lacks (`min` at
/// least).
pub fn valid_delete(pool: &PoolModel, min: usize) -> BoxedStrategy<Action> {
    let names: Vec<String> = attributes::deletable(&pool.schema, &pool.scope)
        .iter()
        .map(|d| d.name.clone())
        .collect();
    let hi = names.len().min(3);
    proptest::sample::subsequence(names, min.min(hi)..=hi)
        .prop_shuffle()
        .prop_map(|names| Action::DeleteAttributes { names })
        .boxed()
}

/// Deletable names plus exactly one that `rule` refuses (any rule when `None`).
pub fn faulty_delete(pool: &PoolModel, rule: Option<RuleId>) -> BoxedStrategy<Action> {
    let bad = one_of(
        rules(rule)
            .filter_map(|r| attributes::faulty_delete(&pool.schema, &pool.scope, r))
            .collect(),
    );
    (valid_delete(pool, 0), bad, 0..8usize)
        .prop_map(|(valid, bad, at)| {
            let mut names = match valid {
                Action::DeleteAttributes { names } => names,
                _ => vec![],
            };
            names.retain(|n| *n != bad);
            let i = at % (names.len() + 1);
            names.insert(i, bad);
            Action::DeleteAttributes { names }
        })
        .boxed()
}

/// A valid AdminUpdateUserAttributes: one to three writes of mutable attributes (the
/// administrator is held to no app client's write list).
pub fn valid_admin_update(pool: &PoolModel) -> BoxedStrategy<Action> {
    valid_update(&pool.as_admin())
        .prop_map(Action::by_administrator)
        .boxed()
}

/// An AdminUpdateUserAttributes with valid writes and exactly one that breaks `rule`.
pub fn faulty_admin_update(pool: &PoolModel, rule: RuleId) -> BoxedStrategy<Action> {
    faulty_update(&pool.as_admin(), Some(rule))
        .prop_map(Action::by_administrator)
        .boxed()
}

/// Names an administrator may delete: up to three, some the user has and some it lacks
/// (`min` at least).
pub fn valid_admin_delete(pool: &PoolModel, min: usize) -> BoxedStrategy<Action> {
    valid_delete(&pool.as_admin(), min)
        .prop_map(Action::by_administrator)
        .boxed()
}

/// Deletable names plus exactly one that `rule` refuses, sent by an administrator.
pub fn faulty_admin_delete(pool: &PoolModel, rule: RuleId) -> BoxedStrategy<Action> {
    faulty_delete(&pool.as_admin(), Some(rule))
        .prop_map(Action::by_administrator)
        .boxed()
}

/// A GetUserAttributeVerificationCode: mostly `email` (which every user has) and
/// `phone_number`, sometimes another attribute of the schema, which cannot be verified.
pub fn verification_code(pool: &PoolModel) -> BoxedStrategy<Action> {
    let others: Vec<String> = pool
        .schema
        .attributes()
        .map(|d| d.name.clone())
        .filter(|n| !matches!(n.as_str(), "email" | "phone_number"))
        .collect();
    let names = prop_oneof![
        4 => Just("email".to_string()),
        2 => Just("phone_number".to_string()),
        1 => proptest::sample::select(others),
    ];
    (names, client_metadata())
        .prop_map(|(name, client_metadata)| Action::VerificationCode {
            name,
            client_metadata,
        })
        .boxed()
}

/// An AddCustomAttributes of one to three new attributes, each of a type of the model's
/// enum, mutable or not, named with or without the `custom:` prefix (which is added again).
pub fn add_custom_attributes() -> BoxedStrategy<Action> {
    let one = (
        crate::generate::text::regex("[a-z][a-z0-9]{0,7}"),
        proptest::sample::select(vec!["String", "Number", "DateTime", "Boolean"]),
        any::<bool>(),
        prop_oneof![4 => Just(""), 1 => Just("custom:")],
    )
        .prop_map(|(name, data_type, mutable, prefix)| {
            serde_json::json!({
                "Name": format!("{prefix}g{name}"),
                "AttributeDataType": data_type,
                "Mutable": mutable,
            })
        });
    proptest::collection::vec(one, 1..=3)
        .prop_map(|mut definitions| {
            // Distinct names: a name given twice is a refusal of its own (fixtures cover it).
            let mut seen = std::collections::BTreeSet::new();
            definitions.retain(|d| seen.insert(d["Name"].to_string()));
            Action::AddCustomAttributes { definitions }
        })
        .boxed()
}

/// A valid call of `operation` (the base an invalid variant is made from).
fn valid_call(operation: &str, pool: &PoolModel) -> BoxedStrategy<Action> {
    match operation {
        "UpdateUserAttributes" => valid_update(pool),
        "DeleteUserAttributes" => valid_delete(pool, 1),
        "AdminUpdateUserAttributes" => valid_admin_update(pool),
        "AdminDeleteUserAttributes" => valid_admin_delete(pool, 1),
        "GetUserAttributeVerificationCode" => verification_code(pool),
        "AddCustomAttributes" => add_custom_attributes(),
        "DeleteUser" => Just(Action::DeleteUser).boxed(),
        "GlobalSignOut" => Just(Action::GlobalSignOut).boxed(),
        _ => Just(Action::GetUser).boxed(),
    }
}

/// A given and calls built from its pool model. The calls come first in the tuple, so that
/// shrinking simplifies them before the user's attributes.
fn with_calls<T: std::fmt::Debug + Clone + 'static>(
    build: impl Fn(&PoolModel) -> BoxedStrategy<T> + 'static,
) -> BoxedStrategy<(Given, T)> {
    with_calls_where(|_| true, build)
}

/// [`with_calls`] in the pools and clients `accept` allows.
fn with_calls_where<T: std::fmt::Debug + Clone + 'static>(
    accept: impl Fn(&PoolModel) -> bool + 'static,
    build: impl Fn(&PoolModel) -> BoxedStrategy<T> + 'static,
) -> BoxedStrategy<(Given, T)> {
    pool_and_client()
        .prop_filter(
            "a pool and client where the case can happen",
            move |(pool, client)| accept(&pool_model(*pool, *client)),
        )
        // Never shrunk: a smaller pool or client would regenerate every call.
        .no_shrink()
        .prop_flat_map(move |(pool, client)| {
            // The user's attributes shrink first: dropping them is cheap, and they are
            // mostly incidental to a failure.
            (first_attributes(), build(&pool_model(pool, client)))
                .prop_map(move |(attributes, calls)| (given_of(pool, client, attributes), calls))
        })
        .boxed()
}

/// A given and a valid call of `operation` in its pool. An AddCustomAttributes here is always
/// broken before it is sent (one constraint, the body, the route): a conformant target changes
/// nothing, so the case uses the run's shared pool, like every other, rather than a pool of
/// its own per case (hundreds of CreateUserPool calls a run, against a quota on real AWS). A
/// target that skips the check adds a `custom:g…` attribute no other case names; the valid
/// AddCustomAttributes of [`custom_attributes_added`] get their own pool.
fn given_and_call(operation: &str) -> BoxedStrategy<(Given, Action)> {
    let op = operation.to_string();
    with_calls(move |pool| valid_call(&op, pool))
}

/// One call of `operation` broken at one model constraint; the rest of the request is a
/// valid call, so a target that skips validation changes the user's state.
pub fn invalid_input(operation: Operation, constraint: Constraint) -> BoxedStrategy<GenCase> {
    let op = operation.name();
    let operation = op;
    // The knobs come first: shrinking then settles the simplest fault before the call.
    (knobs(operation), given_and_call(operation))
        .prop_filter_map(
            "the constraint does not apply",
            move |(k, (given, call))| {
                let body = call.body()?;
                let m = apply_knobs(op, &body, &constraint, &k)?;
                // A character refused alone may be accepted where it lands (a letter after a
                // pool id's `_`): only a body the model refuses is an invalid input. (The other
                // faults break their member whatever surrounds it.)
                if m.fault == Fault::Pattern {
                    let concrete: serde_json::Value =
                        serde_json::from_str(&concretize(&m.body.to_string())).ok()?;
                    if check_json_types(op, &concrete).is_ok()
                        && validate_input(op, &concrete).is_empty()
                    {
                        return None;
                    }
                }
                Some(GenCase {
                    given,
                    actions: vec![Action::Raw {
                        when: When {
                            operation: op.parse().ok()?,
                            body: None,
                            raw_body: Some(m.body.to_string()),
                            headers: BTreeMap::new(),
                            remove_headers: vec![],
                            method: Default::default(),
                            path: None,
                        },
                        fault: format!("{}: {}", m.site, m.fault.label()),
                        name: constraint.name(),
                    }],
                })
            },
        )
        .boxed()
}

/// One valid call of `operation` made unreadable (`malformed`) or unroutable.
pub fn protocol_fault(operation: Operation, malformed: bool) -> BoxedStrategy<GenCase> {
    let operation = operation.name();
    let faults = if malformed {
        protocol::malformed()
    } else {
        protocol::unroutable(operation)
    };
    (faults, given_and_call(operation))
        .prop_map(|(f, (given, call)): (ProtocolFault, (Given, Action))| {
            let mut when = call.when();
            f.apply(&mut when);
            GenCase {
                given,
                actions: vec![Action::Raw {
                    when,
                    fault: f.label().to_string(),
                    name: f.label().to_string(),
                }],
            }
        })
        .boxed()
}

/// A given and a list of calls built from its pool model.
fn calls(build: fn(&PoolModel) -> BoxedStrategy<Vec<Action>>) -> BoxedStrategy<GenCase> {
    with_calls(build)
        .prop_map(|(given, actions)| GenCase { given, actions })
        .boxed()
}

/// A valid update, then GetUser.
pub fn round_trip() -> BoxedStrategy<GenCase> {
    calls(|pool| {
        valid_update(pool)
            .prop_map(|u| vec![u, Action::GetUser])
            .boxed()
    })
}

/// An update breaking `rule`, by a client that can break it.
pub fn update_rule_violation(rule: RuleId) -> BoxedStrategy<GenCase> {
    with_calls_where(
        move |pool| attributes::faulty_write(&pool.schema, &pool.scope, rule).is_some(),
        move |pool| {
            faulty_update(pool, Some(rule))
                .prop_map(|u| vec![u])
                .boxed()
        },
    )
    .prop_map(|(given, actions)| GenCase { given, actions })
    .boxed()
}

/// Deletable names (some present, some absent).
pub fn delete_exact() -> BoxedStrategy<GenCase> {
    calls(|pool| valid_delete(pool, 0).prop_map(|d| vec![d]).boxed())
}

/// The same delete twice.
pub fn delete_idempotent() -> BoxedStrategy<GenCase> {
    calls(|pool| {
        valid_delete(pool, 1)
            .prop_map(|d| vec![d.clone(), d])
            .boxed()
    })
}

/// A delete naming one attribute `rule` refuses, by a client that can break it.
pub fn delete_rule_violation(rule: RuleId) -> BoxedStrategy<GenCase> {
    with_calls_where(
        move |pool| attributes::faulty_delete(&pool.schema, &pool.scope, rule).is_some(),
        move |pool| {
            faulty_delete(pool, Some(rule))
                .prop_map(|d| vec![d])
                .boxed()
        },
    )
    .prop_map(|(given, actions)| GenCase { given, actions })
    .boxed()
}

/// DeleteUser, then GetUser and DeleteUser again with the same token.
pub fn delete_user() -> BoxedStrategy<GenCase> {
    calls(|_| {
        Just(vec![
            Action::DeleteUser,
            Action::GetUser,
            Action::DeleteUser,
        ])
        .boxed()
    })
}

/// A valid AdminUpdateUserAttributes, then GetUser.
pub fn admin_round_trip() -> BoxedStrategy<GenCase> {
    calls(|pool| {
        valid_admin_update(pool)
            .prop_map(|u| vec![u, Action::GetUser])
            .boxed()
    })
}

/// An AdminUpdateUserAttributes breaking `rule`, in a pool where it can be broken.
pub fn admin_update_rule_violation(rule: RuleId) -> BoxedStrategy<GenCase> {
    with_calls_where(
        move |pool| attributes::faulty_write(&pool.schema, &WriteScope::All, rule).is_some(),
        move |pool| {
            faulty_admin_update(pool, rule)
                .prop_map(|u| vec![u])
                .boxed()
        },
    )
    .prop_map(|(given, actions)| GenCase { given, actions })
    .boxed()
}

/// Names an administrator deletes (some present, some absent), then GetUser.
pub fn admin_delete_exact() -> BoxedStrategy<GenCase> {
    calls(|pool| {
        valid_admin_delete(pool, 0)
            .prop_map(|d| vec![d, Action::GetUser])
            .boxed()
    })
}

/// An AdminDeleteUserAttributes naming one attribute `rule` refuses.
pub fn admin_delete_rule_violation(rule: RuleId) -> BoxedStrategy<GenCase> {
    with_calls_where(
        move |pool| attributes::faulty_delete(&pool.schema, &WriteScope::All, rule).is_some(),
        move |pool| {
            faulty_admin_delete(pool, rule)
                .prop_map(|d| vec![d])
                .boxed()
        },
    )
    .prop_map(|(given, actions)| GenCase { given, actions })
    .boxed()
}

/// GetUserAttributeVerificationCode for an attribute (sometimes after a write that removes
/// or changes the value it would go to).
pub fn verification_codes() -> BoxedStrategy<GenCase> {
    calls(|pool| {
        let before = prop_oneof![
            3 => Just(vec![]),
            1 => valid_update(pool).prop_map(|u| vec![u]),
            1 => valid_delete(pool, 1).prop_map(|d| vec![d]),
        ];
        (before, verification_code(pool))
            .prop_map(|(mut calls, code)| {
                calls.push(code);
                calls
            })
            .boxed()
    })
}

/// AddCustomAttributes of new attributes in a pool of the case's own.
pub fn custom_attributes_added() -> BoxedStrategy<GenCase> {
    calls(|_| add_custom_attributes().prop_map(|a| vec![a]).boxed())
        .prop_map(|case| GenCase {
            given: Given {
                pool_scope: PoolScope::Own,
                ..case.given
            },
            ..case
        })
        .boxed()
}

/// The next call of a sequence, weighted towards writes; faulty writes a fifth of the time.
pub fn next_call(pool: &PoolModel, _user: &UserModel) -> BoxedStrategy<Action> {
    prop_oneof![
        4 => valid_update(pool),
        1 => faulty_update(pool, None),
        3 => valid_delete(pool, 0),
        1 => faulty_delete(pool, None),
        2 => Just(Action::GetUser),
        1 => Just(Action::GlobalSignOut),
        1 => Just(Action::DeleteUser),
    ]
    .boxed()
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;
    use crate::property::oracle::expect;

    /// A rule property's case is refused by that rule, and by no other, in the oracle.
    #[test]
    fn each_rule_property_breaks_its_own_rule() {
        let mut runner = TestRunner::deterministic();
        for rule in GENERATED_RULES {
            let mut kinds = vec![update_rule_violation(rule)];
            if crate::generate::attributes::applies_to_delete(rule) {
                kinds.push(delete_rule_violation(rule));
            }
            // An administrator is held to no app client's write list.
            if rule != RuleId::ClientNotAllowed {
                kinds.push(admin_update_rule_violation(rule));
                if crate::generate::attributes::applies_to_delete(rule) {
                    kinds.push(admin_delete_rule_violation(rule));
                }
            }
            for s in kinds {
                for _ in 0..40 {
                    let case = s.new_tree(&mut runner).unwrap().current();
                    let pool = pool_model(case.given.pool, case.given.client);
                    let e = expect(&pool, &UserModel::initial(&case.given), &case.actions[0]);
                    assert_eq!(e.label, rule.label(), "{case:?}");
                }
            }
        }
    }

    /// Invalid-input cases are refused by the validation layers, never by a later one.
    #[test]
    fn invalid_input_cases_are_refused_before_the_operation() {
        let mut runner = TestRunner::deterministic();
        for operation in crate::property::GENERATED_OPERATIONS {
            let op = operation.name();
            for c in crate::generate::invalid::constraints(op) {
                let s = invalid_input(operation, c.clone());
                for _ in 0..5 {
                    let case = s
                        .new_tree(&mut runner)
                        .unwrap_or_else(|e| panic!("{op} {}: {e}", c.name()))
                        .current();
                    let pool = pool_model(case.given.pool, case.given.client);
                    let e = expect(&pool, &UserModel::initial(&case.given), &case.actions[0]);
                    assert!(
                        ["wrong-json-type", "model-constraint"].contains(&e.label.as_str()),
                        "{} gave {}: {case:?}",
                        c.name(),
                        e.label
                    );
                }
            }
        }
    }
}
