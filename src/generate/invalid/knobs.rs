//! Breaking one constraint in a valid body. The random choices (which place, which wrong type,
//! which refused character...) are drawn as *knobs*, independently of the body, so that
//! shrinking simplifies each on its own instead of regenerating the case.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Constraint, Fault, Hop, Site, lookup, set, sites};
use crate::contract::Model;
use crate::contract::pattern::full_match;
use crate::generate::shape::{bounds, valid_nonempty};
use crate::generate::text::{regex, replace_char, violating_char, within};

/// The random choices behind one invalid variant.
#[derive(Debug, Clone)]
pub struct Knobs {
    /// Which place, among those where the constraint applies.
    site: usize,
    /// Which other JSON type, for a wrong-type fault.
    other_type: usize,
    /// A number, boolean, string, object key and list for a wrong-type fault.
    number: i32,
    boolean: bool,
    text: String,
    key: String,
    items: Vec<String>,
    /// Per patterned string shape of the input: a valid value and a character it refuses.
    patterned: BTreeMap<String, (String, char)>,
    /// Valid non-empty values per shape, to create a member the constraint needs.
    fillers: BTreeMap<String, Value>,
    /// Where the refused character goes (or before/after a placeholder).
    at: usize,
    before: bool,
    /// Use the empty string for a pattern violation where that breaks the pattern alone.
    empty: bool,
    /// How far past `max` (1..=3), and how far under `min`.
    extra: usize,
    short: usize,
}

/// A broken body and what was broken.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    /// The body after the change.
    pub body: Value,
    /// Where.
    pub site: Site,
    /// The fault.
    pub fault: Fault,
}

/// Every shape in the input of `operation`, by name.
fn input_shapes(operation: &str) -> BTreeSet<String> {
    fn walk(model: &Model, name: &str, depth: usize, out: &mut BTreeSet<String>) {
        let Some(shape) = model.shape(name).filter(|_| depth < 8) else {
            return;
        };
        if !out.insert(name.to_string()) {
            return;
        }
        let nested = shape
            .member
            .iter()
            .chain(shape.key.iter())
            .chain(shape.value.iter());
        for m in nested {
            walk(model, &m.shape, depth + 1, out);
        }
        for (_, m) in shape.members.iter() {
            walk(model, &m.shape, depth + 1, out);
        }
    }
    let model = Model::get();
    let mut out = BTreeSet::new();
    if let Some(input) = model.operation(operation).and_then(|o| o.input.as_deref()) {
        walk(model, input, 0, &mut out);
    }
    out
}

/// The knobs for invalid variants of `operation`'s input.
pub fn knobs(operation: &str) -> BoxedStrategy<Knobs> {
    let model = Model::get();
    let shapes = input_shapes(operation);
    let patterned: Vec<BoxedStrategy<(String, (String, char))>> = shapes
        .iter()
        .filter_map(|name| {
            let shape = model.shape(name)?;
            let pattern = shape.pattern.clone()?;
            let (min, max) = bounds(shape);
            let name = name.clone();
            Some(
                (
                    within(Some(&pattern), min.max(1), max),
                    violating_char(&pattern),
                )
                    .prop_map(move |pair| (name.clone(), pair))
                    .boxed(),
            )
        })
        .collect();
    let fillers: Vec<BoxedStrategy<(String, Value)>> = shapes
        .iter()
        .filter_map(|name| {
            let name = name.clone();
            Some(
                valid_nonempty(&name)?
                    .prop_map(move |v| (name.clone(), v))
                    .boxed(),
            )
        })
        .collect();
    // Small ranges, taken modulo the number of choices: `any::<Index>()` would shrink by
    // binary search over 64 bits, each step a case against the target.
    let scalars = (
        0..16usize,
        0..4usize,
        -1000..1000i32,
        any::<bool>(),
        regex("[a-z]{0,8}").no_shrink(),
        regex("[a-z]{1,8}").no_shrink(),
        proptest::collection::vec(regex("[a-z]{1,8}"), 0..=2).no_shrink(),
    );
    let placement = (
        0..64usize,
        any::<bool>(),
        any::<bool>(),
        1..=3usize,
        0..64usize,
    );
    (scalars, patterned, fillers, placement)
        .prop_map(
            |(
                (site, other_type, number, boolean, text, key, items),
                patterned,
                fillers,
                (at, before, empty, extra, short),
            )| Knobs {
                site,
                other_type,
                number,
                boolean,
                text,
                key,
                items,
                patterned: patterned.into_iter().collect(),
                fillers: fillers.into_iter().collect(),
                at,
                before,
                empty,
                extra,
                short,
            },
        )
        .boxed()
}

/// A valid `body` of `operation` broken at `constraint` (at the place the knobs pick), after
/// creating the members the constraint's path needs. `None` when it cannot apply.
pub fn apply_knobs(
    operation: &str,
    body: &Value,
    constraint: &Constraint,
    k: &Knobs,
) -> Option<Mutation> {
    let input = Model::get().operation(operation)?.input.clone()?;
    let body = fill(body, &input, &constraint.path.0, k);
    let choices = sites(operation, &body, constraint);
    if choices.is_empty() {
        return None;
    }
    let site = choices[k.site % choices.len()].clone();
    let current = lookup(&body, &site.path);
    let new = broken_value(&site, constraint.fault, current, k)?;
    Some(Mutation {
        body: set(&body, &site.path, new),
        site,
        fault: constraint.fault,
    })
}

/// `v` with the members, elements and entries along `hops` created from the fillers where
/// absent (an optional member, an empty list), so that a constraint deep inside applies.
fn fill(v: &Value, shape_name: &str, hops: &[Hop], k: &Knobs) -> Value {
    let model = Model::get();
    let (Some((hop, rest)), Some(shape)) = (hops.split_first(), model.shape(shape_name)) else {
        return v.clone();
    };
    let filler = |name: &str| k.fillers.get(name).cloned();
    let mut out = v.clone();
    match (hop, &mut out) {
        (Hop::Member(m), Value::Object(obj)) => {
            let Some(target) = shape.members.get(m) else {
                return out;
            };
            let child = match obj.get(m).filter(|c| !c.is_null()) {
                Some(c) => c.clone(),
                None => match filler(&target.shape) {
                    Some(f) => f,
                    None => return out,
                },
            };
            let filled = fill(&child, &target.shape, rest, k);
            obj.insert(m.clone(), filled);
        }
        (Hop::Element, Value::Array(items)) => {
            let Some(elem) = shape.member.as_ref() else {
                return out;
            };
            if items.is_empty()
                && let Some(f) = filler(&elem.shape)
            {
                items.push(f);
            }
            for item in items.iter_mut() {
                *item = fill(item, &elem.shape, rest, k);
            }
        }
        (Hop::Value | Hop::Key, Value::Object(entries)) => {
            if entries.is_empty()
                && let Some(Value::Object(f)) = shape.key.as_ref().and_then(|_| filler(shape_name))
            {
                entries.extend(f);
            }
            if let (Hop::Value, Some(value)) = (hop, shape.value.as_ref()) {
                for item in entries.values_mut() {
                    *item = fill(item, &value.shape, rest, k);
                }
            }
        }
        _ => {}
    }
    out
}

/// The replacement value (`Some(None)`: remove the member).
fn broken_value(
    site: &Site,
    fault: Fault,
    current: Option<Value>,
    k: &Knobs,
) -> Option<Option<Value>> {
    let shape = Model::get().shape(&site.shape)?;
    let (min, max) = bounds(shape);
    Some(match fault {
        Fault::Missing => None,
        Fault::Null => Some(Value::Null),
        Fault::WrongType => Some(wrong_type(&shape.kind, k)),
        Fault::TooShort => Some(match shape.kind.as_str() {
            "list" => Value::Array(vec![]),
            "map" => json!({}),
            _ => Value::String("a".repeat(k.short % min.max(1))),
        }),
        Fault::TooLong => {
            let n = max? + k.extra;
            Some(match shape.kind.as_str() {
                "list" => Value::Array(vec![Value::String("a".into()); n]),
                "map" => Value::Object((0..n).map(|i| (format!("k{i}"), json!("v"))).collect()),
                _ => {
                    let fill = k
                        .patterned
                        .get(&site.shape)
                        .and_then(|(s, _)| s.chars().next())
                        .unwrap_or('a');
                    Value::String(std::iter::repeat_n(fill, n).collect())
                }
            })
        }
        Fault::Pattern => {
            let pattern = shape.pattern.as_deref()?;
            let (valid, bad) = k.patterned.get(&site.shape)?;
            let current = current.and_then(|v| v.as_str().map(str::to_string));
            Some(Value::String(match current.filter(|c| c.contains("{{")) {
                // A placeholder (the access token) keeps its meaning: the refused character
                // goes before or after it.
                Some(t) if k.before => format!("{bad}{t}"),
                Some(t) => format!("{t}{bad}"),
                None if k.empty && min == 0 && full_match(pattern, "") == Some(false) => {
                    String::new()
                }
                None => replace_char(valid, k.at % valid.chars().count().max(1), *bad),
            }))
        }
    })
}

/// A value of another JSON type than the shape's kind.
fn wrong_type(kind: &str, k: &Knobs) -> Value {
    let number = Value::from(k.number);
    let boolean = Value::Bool(k.boolean);
    let string = Value::String(k.text.clone());
    let object = json!({ k.key.clone(): "x" });
    let array = Value::Array(k.items.iter().cloned().map(Value::String).collect());
    let options = match kind {
        "string" => vec![number, boolean, object, array],
        "integer" | "long" => vec![string, boolean, object, array],
        "boolean" => vec![number, string, object, array],
        "list" => vec![number, boolean, string, object],
        // Maps and structures are both JSON objects: anything else is the wrong type.
        _ => vec![number, boolean, string, array],
    };
    options[k.other_type % options.len()].clone()
}
