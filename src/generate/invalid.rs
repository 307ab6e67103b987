//! One invalid variant per constraint of the model: for a valid body, every place a
//! constraint applies (a *site*) and the ways to break it there.
//!
//! | fault | where | contract answer |
//! |---|---|---|
//! | missing | required member | `InvalidParameterException` (`Member must not be null`) |
//! | null | required member, list element | `InvalidParameterException` (`Member must not be null`) |
//! | wrong type | any member, element, map value, the body itself | `SerializationException` |
//! | too short | string, list or map with `min` | `InvalidParameterException` |
//! | too long | string, list or map with `max` | `InvalidParameterException` |
//! | pattern | string with `pattern` | `InvalidParameterException` |
//!
//! The answer itself is not decided here: the property oracle asks the contract functions
//! (`json_types`, `validate`) about the mutated body, so generator and judge cannot drift apart.

use std::fmt;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

use super::shape::bounds;
use super::text::{regex, replace_char, violating_char, within};
use crate::contract::Model;
use crate::contract::pattern::full_match;
use crate::contract::validate::member_path_segment;

/// How a site is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// The required member is left out.
    Missing,
    /// The value is JSON `null`.
    Null,
    /// The value is of another JSON type.
    WrongType,
    /// Shorter than the shape's `min`.
    TooShort,
    /// Longer than the shape's `max`.
    TooLong,
    /// A character the shape's `pattern` refuses.
    Pattern,
}

impl Fault {
    /// Kebab-case name (`wrong-type`), used in saved fixture names.
    pub fn label(self) -> &'static str {
        match self {
            Fault::Missing => "missing",
            Fault::Null => "null",
            Fault::WrongType => "wrong-type",
            Fault::TooShort => "too-short",
            Fault::TooLong => "too-long",
            Fault::Pattern => "pattern",
        }
    }
}

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Structure member or map key.
    Key(String),
    /// List index.
    Index(usize),
}

/// Where a constraint applies: the path to the value and the shape the value must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Steps from the body to the value.
    pub path: Vec<Step>,
    /// Shape name of the value.
    pub shape: String,
}

impl fmt::Display for Site {
    /// The member path as AWS writes it in validation messages (`userAttributes.1.member.name`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str("(body)");
        }
        let mut parts = Vec::new();
        for step in &self.path {
            match step {
                Step::Key(k) => parts.push(member_path_segment(k)),
                Step::Index(i) => {
                    parts.push((i + 1).to_string());
                    parts.push("member".into());
                }
            }
        }
        f.write_str(&parts.join("."))
    }
}

/// A broken body and what was broken.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    /// The body after the change.
    pub body: Value,
    /// The site.
    pub site: Site,
    /// The fault.
    pub fault: Fault,
}

/// Every `(site, fault)` the model defines for a valid `body` of `operation`.
pub fn sites(operation: &str, body: &Value) -> Vec<(Site, Fault)> {
    let model = Model::get();
    let mut out = Vec::new();
    let Some(input) = model.operation(operation).and_then(|o| o.input.clone()) else {
        return out;
    };
    out.push((
        Site {
            path: vec![],
            shape: input.clone(),
        },
        Fault::WrongType,
    ));
    walk(model, &input, Some(body), &mut Vec::new(), &mut out);
    out
}

fn walk(
    model: &Model,
    shape_name: &str,
    v: Option<&Value>,
    path: &mut Vec<Step>,
    out: &mut Vec<(Site, Fault)>,
) {
    let Some(shape) = model.shape(shape_name) else {
        return;
    };
    let site = |path: &[Step]| Site {
        path: path.to_vec(),
        shape: shape_name.to_string(),
    };
    let (min, max) = bounds(shape);
    match (shape.kind.as_str(), v) {
        ("string", Some(Value::String(_))) => {
            if min > 0 {
                out.push((site(path), Fault::TooShort));
            }
            if max.is_some() {
                out.push((site(path), Fault::TooLong));
            }
            if shape.pattern.is_some() {
                out.push((site(path), Fault::Pattern));
            }
        }
        ("list", Some(Value::Array(items))) => {
            if min > 0 {
                out.push((site(path), Fault::TooShort));
            }
            if max.is_some() {
                out.push((site(path), Fault::TooLong));
            }
            let Some(elem) = shape.member.as_ref().map(|m| m.shape.clone()) else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                out.push((
                    Site {
                        path: path.clone(),
                        shape: elem.clone(),
                    },
                    Fault::Null,
                ));
                out.push((
                    Site {
                        path: path.clone(),
                        shape: elem.clone(),
                    },
                    Fault::WrongType,
                ));
                walk(model, &elem, Some(item), path, out);
                path.pop();
            }
        }
        ("map", Some(Value::Object(entries))) => {
            let Some(value_shape) = shape.value.as_ref().map(|m| m.shape.clone()) else {
                return;
            };
            for (k, item) in entries {
                path.push(Step::Key(k.clone()));
                out.push((
                    Site {
                        path: path.clone(),
                        shape: value_shape.clone(),
                    },
                    Fault::WrongType,
                ));
                walk(model, &value_shape, Some(item), path, out);
                path.pop();
            }
        }
        ("structure", Some(Value::Object(obj))) => {
            for (name, member) in shape.members.iter() {
                let required = shape.required.iter().any(|r| r == name);
                path.push(Step::Key(name.to_string()));
                let here = Site {
                    path: path.clone(),
                    shape: member.shape.clone(),
                };
                let value = obj.get(name).filter(|v| !v.is_null());
                if required {
                    if value.is_some() {
                        out.push((here.clone(), Fault::Missing));
                    }
                    out.push((here.clone(), Fault::Null));
                }
                out.push((here, Fault::WrongType));
                walk(model, &member.shape, value, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The fault kinds the model defines anywhere in the input of `operation` (whatever the body).
pub fn possible_faults(operation: &str) -> std::collections::BTreeSet<Fault> {
    let model = Model::get();
    let mut out = std::collections::BTreeSet::new();
    if let Some(input) = model.operation(operation).and_then(|o| o.input.as_deref()) {
        out.insert(Fault::WrongType);
        shape_faults(model, input, 0, &mut out);
    }
    out
}

fn shape_faults(
    model: &Model,
    name: &str,
    depth: usize,
    out: &mut std::collections::BTreeSet<Fault>,
) {
    let Some(shape) = model.shape(name).filter(|_| depth < 8) else {
        return;
    };
    let (min, max) = bounds(shape);
    if min > 0 {
        out.insert(Fault::TooShort);
    }
    if max.is_some() {
        out.insert(Fault::TooLong);
    }
    if shape.pattern.is_some() {
        out.insert(Fault::Pattern);
    }
    if let Some(m) = &shape.member {
        out.insert(Fault::Null);
        shape_faults(model, &m.shape, depth + 1, out);
    }
    if let Some(v) = &shape.value {
        shape_faults(model, &v.shape, depth + 1, out);
    }
    if !shape.required.is_empty() {
        out.insert(Fault::Missing);
        out.insert(Fault::Null);
    }
    for (_, m) in shape.members.iter() {
        shape_faults(model, &m.shape, depth + 1, out);
    }
}

/// The random choices behind one invalid variant, drawn independently of the body so that
/// shrinking simplifies each of them on its own (no regeneration when the body shrinks).
#[derive(Debug, Clone)]
pub struct Knobs {
    /// Which site, among those of the wanted fault kinds.
    site: Index,
    /// Which other JSON type, for a wrong-type fault.
    other_type: Index,
    /// A number, boolean, string, object key and list for a wrong-type fault.
    number: i32,
    boolean: bool,
    text: String,
    key: String,
    items: Vec<String>,
    /// Per patterned string shape of the input: a valid value and a character it refuses.
    patterned: BTreeMap<String, (String, char)>,
    /// Where the refused character goes (or before/after a placeholder).
    at: Index,
    before: bool,
    /// Use the empty string for a pattern violation where that breaks the pattern alone.
    empty: bool,
    /// How far past `max` (1..=3), and how far under `min`.
    extra: usize,
    short: Index,
}

/// Every string shape with a pattern in the input of `operation`.
fn patterned_shapes(operation: &str) -> Vec<String> {
    fn walk(model: &Model, name: &str, depth: usize, out: &mut BTreeSet<String>) {
        let Some(shape) = model.shape(name).filter(|_| depth < 8) else {
            return;
        };
        if shape.kind == "string" && shape.pattern.is_some() {
            out.insert(name.to_string());
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
    out.into_iter().collect()
}

/// The knobs for invalid variants of `operation`'s input.
pub fn knobs(operation: &str) -> BoxedStrategy<Knobs> {
    let model = Model::get();
    let patterned: Vec<BoxedStrategy<(String, (String, char))>> = patterned_shapes(operation)
        .into_iter()
        .filter_map(|name| {
            let shape = model.shape(&name)?;
            let pattern = shape.pattern.clone()?;
            let (min, max) = bounds(shape);
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
    let scalars = (
        any::<Index>(),
        any::<Index>(),
        any::<i32>(),
        any::<bool>(),
        regex("[a-z]{0,8}"),
        regex("[a-z]{1,8}"),
        proptest::collection::vec(regex("[a-z]{1,8}"), 0..=2),
    );
    let placement = (
        any::<Index>(),
        any::<bool>(),
        any::<bool>(),
        1..=3usize,
        any::<Index>(),
    );
    (scalars, patterned, placement)
        .prop_map(
            |(
                (site, other_type, number, boolean, text, key, items),
                patterned,
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
                at,
                before,
                empty,
                extra,
                short,
            },
        )
        .boxed()
}

/// One invalid variant of a valid `body` of `operation`: the site and fault (of `kinds`) the
/// knobs pick, and the broken value. `None` when the body has no site for these faults.
pub fn apply_knobs(operation: &str, body: &Value, kinds: &[Fault], k: &Knobs) -> Option<Mutation> {
    let choices: Vec<(Site, Fault)> = sites(operation, body)
        .into_iter()
        .filter(|(_, f)| kinds.contains(f))
        .collect();
    if choices.is_empty() {
        return None;
    }
    let (site, fault) = choices[k.site.index(choices.len())].clone();
    let current = lookup(body, &site.path).cloned();
    let new = broken_value(&site, fault, current, k)?;
    Some(Mutation {
        body: apply(body, &site.path, new),
        site,
        fault,
    })
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
            _ => Value::String("a".repeat(k.short.index(min.max(1)))),
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
                None => replace_char(valid, k.at.index(valid.chars().count().max(1)), *bad),
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
    options[k.other_type.index(options.len())].clone()
}

/// The value at `path`.
pub fn lookup<'v>(v: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(v, |cur, step| match step {
        Step::Key(k) => cur.get(k),
        Step::Index(i) => cur.get(i),
    })
}

/// `v` with the value at `path` replaced (`None`: removed).
pub fn apply(v: &Value, path: &[Step], new: Option<Value>) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return new.unwrap_or(Value::Null);
    };
    let mut out = v.clone();
    match (first, &mut out) {
        (Step::Key(k), Value::Object(obj)) => {
            if rest.is_empty() {
                match new {
                    Some(n) => {
                        obj.insert(k.clone(), n);
                    }
                    None => {
                        obj.remove(k);
                    }
                }
            } else if let Some(child) = obj.get(k) {
                let replaced = apply(child, rest, new);
                obj.insert(k.clone(), replaced);
            }
        }
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = if rest.is_empty() {
                new.unwrap_or(Value::Null)
            } else {
                apply(&items[*i], rest, new)
            };
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;
    use crate::contract::json_types::check_json_types;
    use crate::contract::validate::validate_input;
    use crate::generate::shape::valid_input;

    #[test]
    fn site_paths_read_like_aws_member_paths() {
        let body = json!({"AccessToken": "t", "UserAttributes": [{"Name": "n", "Value": "v"}]});
        let all = sites("UpdateUserAttributes", &body);
        let shown: Vec<String> = all
            .iter()
            .map(|(s, f)| format!("{s}:{}", f.label()))
            .collect();
        for want in [
            "(body):wrong-type",
            "userAttributes:missing",
            "userAttributes.1.member:null",
            "userAttributes.1.member.name:too-long",
            "userAttributes.1.member.name:pattern",
            "userAttributes.1.member.value:too-long",
            "accessToken:pattern",
            "clientMetadata:wrong-type",
        ] {
            assert!(shown.contains(&want.to_string()), "{want} not in {shown:?}");
        }
        assert!(
            !shown.contains(&"clientMetadata:missing".to_string()),
            "optional members cannot be missing"
        );
    }

    /// Every variant breaks the contract: the model's own checks refuse it.
    #[test]
    fn every_mutation_is_invalid_by_the_contract() {
        let mut runner = TestRunner::deterministic();
        let mut faults = std::collections::BTreeSet::new();
        for op in ["DeleteUser", "DeleteUserAttributes", "UpdateUserAttributes"] {
            let valid = valid_input(op).unwrap();
            for _ in 0..400 {
                let body = valid.new_tree(&mut runner).unwrap().current();
                let k = knobs(op).new_tree(&mut runner).unwrap().current();
                let m = apply_knobs(op, &body, &ALL, &k).expect("a root site always exists");
                faults.insert(m.fault);
                let refused = check_json_types(op, &m.body).is_err()
                    || !validate_input(op, &m.body).is_empty();
                assert!(refused, "{op} {} {:?}: {}", m.site, m.fault, m.body);
            }
        }
        assert_eq!(faults.len(), 6, "every fault kind occurs: {faults:?}");
    }

    const ALL: [Fault; 6] = [
        Fault::Missing,
        Fault::Null,
        Fault::WrongType,
        Fault::TooShort,
        Fault::TooLong,
        Fault::Pattern,
    ];

    #[test]
    fn possible_faults_follow_the_model() {
        let d = possible_faults("DeleteUser");
        assert!(d.contains(&Fault::Pattern) && d.contains(&Fault::Missing));
        assert!(!d.contains(&Fault::TooLong), "TokenModelType has no max");
        assert_eq!(possible_faults("UpdateUserAttributes").len(), 6);
    }

    #[test]
    fn apply_and_lookup() {
        let v = json!({"a": [{"b": 1}]});
        let path = vec![Step::Key("a".into()), Step::Index(0), Step::Key("b".into())];
        assert_eq!(lookup(&v, &path), Some(&json!(1)));
        assert_eq!(apply(&v, &path, Some(json!(2))), json!({"a": [{"b": 2}]}));
        assert_eq!(apply(&v, &path, None), json!({"a": [{}]}));
        assert_eq!(apply(&v, &[], Some(json!([]))), json!([]));
    }
}
