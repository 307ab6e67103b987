//! User attributes for a pool's schema: values each attribute accepts, writes an app client
//! may make, and writes that break exactly one rule of `contract::rules`.
//!
//! Names come from the [`PoolSchema`] and the client's [`WriteScope`]; value lengths from the
//! schema's string constraints and the model's `AttributeValueType` (max 2048); e-mail and
//! phone formats from the rules (`is_email`, `is_phone`). Valid values are conservative where
//! the evidence is thin: ASCII e-mail addresses and North-American E.164 numbers, printable
//! text elsewhere. The `*_verified` flags are never written: the fixtures cover them
//! (`attribute.verified-flags-self-service`), and which answer an app client gets depends on
//! its write permissions, which generation does not vary.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::USERNAME;
use super::shape::{bounds, valid};
use super::text::{regex, within};
use crate::contract::Model;
use crate::contract::rules::{is_email, is_phone};
use crate::contract::schema::{AttributeDef, DataType, PoolSchema, WriteScope};
use crate::vocab::RuleId;

/// One `{Name, Value}` of a write; `None` leaves `Value` out.
pub type Write = (String, Option<String>);

/// Longest value the model allows (`AttributeValueType`).
fn model_value_max() -> Option<usize> {
    Model::get()
        .shape("AttributeValueType")
        .and_then(|s| bounds(s).1)
}

/// Attributes a client may write through the self-service operations: mutable, in its scope,
/// not `sub`, not a `*_verified` flag.
pub fn writable<'s>(schema: &'s PoolSchema, scope: &WriteScope) -> Vec<&'s AttributeDef> {
    schema
        .attributes()
        .filter(|d| d.mutable && d.name != "sub" && !d.name.ends_with("_verified"))
        .filter(|d| scope.allows(&d.name))
        .collect()
}

/// Attributes a client may delete: writable and not required.
pub fn deletable<'s>(schema: &'s PoolSchema, scope: &WriteScope) -> Vec<&'s AttributeDef> {
    writable(schema, scope)
        .into_iter()
        .filter(|d| !d.required)
        .collect()
}

/// Non-blank values `def` accepts.
pub fn value(def: &AttributeDef) -> BoxedStrategy<String> {
    match (def.name.as_str(), def.data_type) {
        (_, DataType::Boolean) => prop_oneof![Just("true"), Just("false")]
            .prop_map(String::from)
            .boxed(),
        (_, DataType::Number) => regex("[1-9][0-9]{0,9}").boxed(),
        ("email", _) => (
            regex("[a-z0-9]{1,12}"),
            regex("[a-z]{1,10}"),
            prop_oneof![Just("com"), Just("org"), Just("net")],
        )
            .prop_map(|(local, domain, tld)| format!("{local}.{USERNAME}@{domain}.{tld}"))
            .boxed(),
        ("phone_number", _) => regex("\\+1[2-9][0-9]{9}").boxed(),
        _ => {
            let min = def.min_length.unwrap_or(0).max(1);
            let max = match (def.max_length, model_value_max()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            within(None, min, max)
        }
    }
}

/// Plain values first (short ASCII words, which shrink fast), any valid value otherwise.
fn simple_first(def: &AttributeDef) -> BoxedStrategy<String> {
    let (min, max) = (def.min_length.unwrap_or(0).max(1), def.max_length);
    let plain = regex("[a-z][a-z0-9]{0,11}")
        .prop_filter("within the attribute's bounds", move |s| {
            s.len() >= min && max.is_none_or(|m| s.len() <= m)
        });
    match (def.name.as_str(), def.data_type) {
        ("email" | "phone_number", _) | (_, DataType::Boolean | DataType::Number) => value(def),
        _ => prop_oneof![1 => plain, 1 => value(def)].boxed(),
    }
}

/// Attributes a new user may start with (set by an administrator, so immutable ones too):
/// up to four optional string attributes besides the default e-mail, with valid values.
pub fn initial(schema: &PoolSchema) -> BoxedStrategy<BTreeMap<String, String>> {
    let candidates: Vec<(String, BoxedStrategy<String>)> = schema
        .attributes()
        .filter(|d| !d.required && d.data_type == DataType::String)
        .filter(|d| !matches!(d.name.as_str(), "email" | "sub"))
        .map(|d| (d.name.clone(), simple_first(d)))
        .collect();
    pick(candidates, 0, 4, false)
}

/// `lo..=hi` distinct entries of `candidates` (in candidate order), each with a value from its
/// strategy. Each candidate is independently present or not, so shrinking drops an entry
/// without regenerating the others. With `shrink_values` false the values are kept as drawn:
/// proptest simplifies a present value completely before it tries dropping it, which for
/// incidental attributes is many cases against the target for nothing.
fn pick(
    candidates: Vec<(String, BoxedStrategy<String>)>,
    lo: usize,
    hi: usize,
    shrink_values: bool,
) -> BoxedStrategy<BTreeMap<String, String>> {
    let n = candidates.len().max(1);
    let hi = hi.min(candidates.len());
    let lo = lo.min(hi);
    // About half of `hi` present on average.
    let p = (hi as f64 / 2.0 / n as f64).clamp(0.05, 0.5);
    let each: Vec<BoxedStrategy<Option<(String, String)>>> = candidates
        .into_iter()
        .map(|(name, s)| {
            if shrink_values {
                proptest::option::weighted(p, s.prop_map(move |v| (name.clone(), v))).boxed()
            } else {
                (proptest::bool::weighted(p), s.no_shrink())
                    .prop_map(move |(present, v)| present.then(|| (name.clone(), v)))
                    .boxed()
            }
        })
        .collect();
    each.prop_filter_map("between lo and hi entries", move |chosen| {
        let present: BTreeMap<String, String> = chosen.into_iter().flatten().take(hi).collect();
        (present.len() >= lo).then_some(present)
    })
    .boxed()
}

/// One to three valid writes of distinct attributes: a new value, or (for an optional
/// attribute) the blank value that deletes it.
pub fn valid_writes(schema: &PoolSchema, scope: &WriteScope) -> BoxedStrategy<Vec<Write>> {
    let candidates: Vec<(String, BoxedStrategy<String>)> = writable(schema, scope)
        .into_iter()
        .map(|d| {
            let v = simple_first(d);
            let s = if d.required {
                v
            } else {
                prop_oneof![6 => v, 1 => Just(String::new())].boxed()
            };
            (d.name.clone(), s)
        })
        .collect();
    pick(candidates, 1, 3, true)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k, Some(v))).collect())
        .boxed()
}

/// The attribute rules a generated write or delete breaks, one at a time (an alias conflict
/// needs a second user holding the value, so fixtures cover it).
pub const GENERATED_RULES: [RuleId; 9] = [
    RuleId::NotInSchema,
    RuleId::Sub,
    RuleId::Immutable,
    RuleId::ClientNotAllowed,
    RuleId::Required,
    RuleId::CustomStringLength,
    RuleId::InvalidEmail,
    RuleId::InvalidPhoneNumber,
    RuleId::ValueMissing,
];

/// Whether DeleteUserAttributes can break `rule` (a delete has no value to get wrong).
pub fn applies_to_delete(rule: RuleId) -> bool {
    matches!(
        rule,
        RuleId::NotInSchema
            | RuleId::Sub
            | RuleId::Immutable
            | RuleId::ClientNotAllowed
            | RuleId::Required
    )
}

/// Names the schema lacks: model-valid attribute names, or a custom attribute's bare name.
fn unknown_names(schema: &PoolSchema) -> Option<BoxedStrategy<String>> {
    let s = schema.clone();
    let random = valid("AttributeNameType")?
        .prop_map(|v| v.as_str().unwrap_or_default().to_string())
        .prop_filter("not in the schema", move |n| {
            s.get(n).is_none() && n != "sub"
        });
    let bare: Vec<String> = schema
        .attributes()
        .filter_map(|d| d.name.strip_prefix("custom:"))
        .filter(|b| schema.get(b).is_none())
        .map(str::to_string)
        .collect();
    Some(if bare.is_empty() {
        random.boxed()
    } else {
        prop_oneof![3 => random, 1 => proptest::sample::select(bare)].boxed()
    })
}

/// Names `pick` selects from the schema, or `None` when there is none.
fn names_where(
    schema: &PoolSchema,
    pick: impl Fn(&AttributeDef) -> bool,
) -> Option<BoxedStrategy<String>> {
    let names: Vec<String> = schema
        .attributes()
        .filter(|d| pick(d))
        .map(|d| d.name.clone())
        .collect();
    (!names.is_empty()).then(|| proptest::sample::select(names).boxed())
}

/// A write that breaks `rule` alone, or `None` when the schema and scope give no way to.
pub fn faulty_write(
    schema: &PoolSchema,
    scope: &WriteScope,
    rule: RuleId,
) -> Option<BoxedStrategy<Write>> {
    let printable = within(None, 1, Some(20));
    let with_value = |names: BoxedStrategy<String>| {
        (names, printable.clone())
            .prop_map(|(n, v)| (n, Some(v)))
            .boxed()
    };
    let mine = writable(schema, scope);
    let has = |name: &str| mine.iter().any(|d| d.name == name);
    match rule {
        RuleId::NotInSchema => Some(with_value(unknown_names(schema)?)),
        RuleId::Sub => Some(with_value(names_where(schema, |d| d.name == "sub")?)),
        // Through a client that may write it: otherwise the client's refusal answers first.
        RuleId::Immutable => Some(with_value(names_where(schema, |d| {
            !d.mutable && d.name != "sub" && scope.allows(&d.name)
        })?)),
        RuleId::ClientNotAllowed => Some(with_value(names_where(schema, |d| {
            d.mutable && !scope.allows(&d.name) && !d.name.ends_with("_verified")
        })?)),
        RuleId::Required => {
            let names: Vec<String> = mine
                .iter()
                .filter(|d| d.required)
                .map(|d| d.name.clone())
                .collect();
            (!names.is_empty()).then(|| {
                proptest::sample::select(names)
                    .prop_map(|n| (n, Some(String::new())))
                    .boxed()
            })
        }
        RuleId::CustomStringLength => {
            let mut options: Vec<BoxedStrategy<Write>> = Vec::new();
            for d in mine.iter().filter(|d| d.name.starts_with("custom:")) {
                let name = d.name.clone();
                if let Some(min) = d.min_length.filter(|m| *m > 1) {
                    let n = name.clone();
                    options.push(
                        (1..min)
                            .prop_map(move |len| (n.clone(), Some("a".repeat(len))))
                            .boxed(),
                    );
                }
                if let Some(max) = d
                    .max_length
                    .filter(|m| model_value_max().is_none_or(|mv| m < &mv))
                {
                    options.push(
                        (1..=3usize)
                            .prop_map(move |extra| (name.clone(), Some("a".repeat(max + extra))))
                            .boxed(),
                    );
                }
            }
            (!options.is_empty()).then(|| proptest::strategy::Union::new(options).boxed())
        }
        RuleId::InvalidEmail => has("email").then(|| {
            prop_oneof![
                regex("[a-z0-9]{1,12}"),
                regex("[a-z0-9]{1,8}@[a-z0-9]{1,8}@[a-z]{1,8}"),
                regex("[a-z0-9]{1,8} [a-z0-9]{0,8}@[a-z]{1,8}\\.com"),
                regex("@[a-z]{1,8}\\.com"),
            ]
            .prop_filter("not an e-mail address", |s| !is_email(s))
            .prop_map(|v| ("email".to_string(), Some(v)))
            .boxed()
        }),
        RuleId::InvalidPhoneNumber => has("phone_number").then(|| {
            prop_oneof![
                regex("[0-9]{3}-[0-9]{4}"),
                regex("[1-9][0-9]{9}"),
                regex("\\+[0-9]{16,18}"),
                regex("\\+1 [0-9]{3} [0-9]{7}"),
            ]
            .prop_filter("not E.164", |s| !is_phone(s))
            .prop_map(|v| ("phone_number".to_string(), Some(v)))
            .boxed()
        }),
        RuleId::ValueMissing => {
            let names: Vec<String> = mine.iter().map(|d| d.name.clone()).collect();
            (!names.is_empty()).then(|| {
                proptest::sample::select(names)
                    .prop_map(|n| (n, None))
                    .boxed()
            })
        }
        // Needs a second user holding the value: fixtures cover it.
        RuleId::AliasExists => None,
    }
}

/// A name DeleteUserAttributes must refuse by `rule`, or `None` when there is none.
pub fn faulty_delete(
    schema: &PoolSchema,
    scope: &WriteScope,
    rule: RuleId,
) -> Option<BoxedStrategy<String>> {
    match rule {
        RuleId::NotInSchema => unknown_names(schema),
        RuleId::Sub => names_where(schema, |d| d.name == "sub"),
        RuleId::Immutable => names_where(schema, |d| {
            !d.mutable && d.name != "sub" && scope.allows(&d.name)
        }),
        RuleId::ClientNotAllowed => names_where(schema, |d| {
            d.mutable && !scope.allows(&d.name) && !d.name.ends_with("_verified")
        }),
        RuleId::Required => {
            names_where(schema, |d| d.required && d.mutable && scope.allows(&d.name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;
    use crate::contract::rules::{Actor, Change, plan_delete, plan_update};
    use crate::generate::concretize;
    use crate::target::provision::{RESTRICTED_WRITE_ATTRIBUTES, pool_definition};
    use crate::vocab::PoolKind;

    fn pool() -> PoolSchema {
        let def = pool_definition("p", PoolKind::Default, "t");
        PoolSchema::from_create_input(def.as_object().unwrap()).unwrap()
    }

    fn scopes() -> [WriteScope; 2] {
        [
            WriteScope::All,
            WriteScope::Only(
                RESTRICTED_WRITE_ATTRIBUTES
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
        ]
    }

    fn user() -> BTreeMap<String, String> {
        [("email", "u@example.com"), ("email_verified", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into()
    }

    fn changes(w: &[Write]) -> Vec<Change> {
        w.iter()
            .map(|(n, v)| Change {
                name: n.clone(),
                value: v.as_deref().map(concretize),
            })
            .collect()
    }

    #[test]
    fn valid_writes_are_accepted_and_faulty_ones_refused_by_their_rule() {
        let schema = pool();
        let mut runner = TestRunner::deterministic();
        let nobody: &dyn Fn(&str, &str) -> bool = &|_, _| false;
        let mut seen = std::collections::BTreeSet::new();
        for scope in scopes() {
            let good = valid_writes(&schema, &scope);
            for rule in GENERATED_RULES {
                let Some(bad) = faulty_write(&schema, &scope, rule) else {
                    continue;
                };
                seen.insert(rule);
                for _ in 0..60 {
                    let w = good.new_tree(&mut runner).unwrap().current();
                    let r = plan_update(
                        &schema,
                        Actor::Client(&scope),
                        &user(),
                        &changes(&w),
                        nobody,
                    );
                    assert!(r.is_ok(), "{w:?}: {r:?}");
                    let f = bad.new_tree(&mut runner).unwrap().current();
                    let mut all = w.clone();
                    all.retain(|(n, _)| *n != f.0);
                    all.push(f.clone());
                    let r = plan_update(
                        &schema,
                        Actor::Client(&scope),
                        &user(),
                        &changes(&all),
                        nobody,
                    );
                    assert!(r.is_err(), "{rule:?}: {all:?} accepted");
                }
            }
        }
        assert_eq!(
            seen.len(),
            GENERATED_RULES.len(),
            "every rule can be broken by some client"
        );
    }

    #[test]
    fn deletable_and_faulty_deletes() {
        let schema = pool();
        let mut runner = TestRunner::deterministic();
        for scope in scopes() {
            let names: Vec<String> = deletable(&schema, &scope)
                .iter()
                .map(|d| d.name.clone())
                .collect();
            assert!(plan_delete(&schema, Actor::Client(&scope), &user(), &names).is_ok());
            for rule in GENERATED_RULES {
                let bad = faulty_delete(&schema, &scope, rule);
                assert!(
                    bad.is_some()
                        || !applies_to_delete(rule)
                        || (rule == RuleId::ClientNotAllowed && scope == WriteScope::All)
                        || (rule == RuleId::Immutable && scope != WriteScope::All),
                    "{rule:?}"
                );
                let Some(bad) = bad else { continue };
                for _ in 0..60 {
                    let n = bad.new_tree(&mut runner).unwrap().current();
                    assert!(
                        plan_delete(
                            &schema,
                            Actor::Client(&scope),
                            &user(),
                            std::slice::from_ref(&n)
                        )
                        .is_err(),
                        "{rule:?} {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn initial_attributes_can_be_created() {
        let schema = pool();
        let mut runner = TestRunner::deterministic();
        let s = initial(&schema);
        for _ in 0..200 {
            let attrs = s.new_tree(&mut runner).unwrap().current();
            let mut all: Vec<Change> = changes(
                &attrs
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect::<Vec<_>>(),
            );
            all.push(Change::set("email", "u@example.com"));
            let r = crate::contract::rules::plan_create(&schema, Actor::Admin, &all, &|_, _| false);
            assert!(r.is_ok(), "{all:?}: {r:?}");
        }
    }
}
