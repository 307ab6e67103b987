//! One invalid variant per constraint of the model: every constraint an input shape declares
//! (a path through the shape and a fault), and for a valid body every place it applies.
//!
//! | fault | where | contract answer |
//! |---|---|---|
//! | missing | required member | `InvalidParameterException` (`Member must not be null`) |
//! | null | required member, list element | `InvalidParameterException` (`Member must not be null`) |
//! | wrong type | any member, element, map value, the body itself | `SerializationException` |
//! | too short | string, list or map with `min` (map keys too) | `InvalidParameterException` |
//! | too long | string, list or map with `max` (map keys too) | `InvalidParameterException` |
//! | pattern | string with `pattern` | `InvalidParameterException` |
//!
//! The answer itself is not decided here: the property oracle asks the contract functions
//! (`json_types`, `validate`) about the mutated body, so generator and judge cannot drift apart.

mod knobs;
mod path;

pub use knobs::{apply_knobs, knobs};
pub use path::{Hop, HopPath, Step, display, lookup, set};

use serde_json::Value;

use super::shape::bounds;
use crate::contract::Model;

/// How a value is broken.
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
    /// Kebab-case name (`wrong-type`).
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

/// One constraint of an input shape: where, the shape there, and the fault that breaks it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Constraint {
    /// Path through the input shape.
    pub path: HopPath,
    /// The shape at the path.
    pub shape: String,
    /// The fault.
    pub fault: Fault,
}

impl Constraint {
    /// Kebab-case name for a property id (`user-attributes-member-name-too-long`).
    pub fn name(&self) -> String {
        format!("{}-{}", self.path.kebab(), self.fault.label())
    }
}

/// A place in a concrete body where a constraint applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Steps from the body to the value.
    pub path: Vec<Step>,
    /// Shape name of the value.
    pub shape: String,
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&display(&self.path))
    }
}

/// Every constraint of `operation`'s input, in model order (the body's own type first).
pub fn constraints(operation: &str) -> Vec<Constraint> {
    let model = Model::get();
    let mut out = Vec::new();
    let Some(input) = model.operation(operation).and_then(|o| o.input.clone()) else {
        return out;
    };
    out.push(Constraint {
        path: HopPath(vec![]),
        shape: input.clone(),
        fault: Fault::WrongType,
    });
    shape_constraints(model, &input, &mut Vec::new(), &mut out);
    out
}

fn shape_constraints(model: &Model, name: &str, path: &mut Vec<Hop>, out: &mut Vec<Constraint>) {
    let Some(shape) = model.shape(name).filter(|_| path.len() < 8) else {
        return;
    };
    fn push(out: &mut Vec<Constraint>, path: &[Hop], shape: &str, fault: Fault) {
        out.push(Constraint {
            path: HopPath(path.to_vec()),
            shape: shape.to_string(),
            fault,
        })
    }
    let (min, max) = bounds(shape);
    if matches!(shape.kind.as_str(), "string" | "list" | "map") {
        if min > 0 {
            push(out, path, name, Fault::TooShort);
        }
        if max.is_some() {
            push(out, path, name, Fault::TooLong);
        }
    }
    if shape.kind == "string" && shape.pattern.is_some() {
        push(out, path, name, Fault::Pattern);
    }
    match shape.kind.as_str() {
        "list" => {
            let Some(elem) = shape.member.as_ref() else {
                return;
            };
            path.push(Hop::Element);
            push(out, path, &elem.shape, Fault::Null);
            push(out, path, &elem.shape, Fault::WrongType);
            shape_constraints(model, &elem.shape, path, out);
            path.pop();
        }
        "map" => {
            if let Some(key) = shape.key.as_ref() {
                path.push(Hop::Key);
                shape_constraints(model, &key.shape, path, out);
                path.pop();
            }
            if let Some(value) = shape.value.as_ref() {
                path.push(Hop::Value);
                push(out, path, &value.shape, Fault::WrongType);
                shape_constraints(model, &value.shape, path, out);
                path.pop();
            }
        }
        "structure" => {
            for (member, target) in shape.members.iter() {
                path.push(Hop::Member(member.to_string()));
                if shape.required.iter().any(|r| r == member) {
                    push(out, path, &target.shape, Fault::Missing);
                    push(out, path, &target.shape, Fault::Null);
                }
                push(out, path, &target.shape, Fault::WrongType);
                shape_constraints(model, &target.shape, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Every place in a valid `body` of `operation` where `constraint` applies.
pub fn sites(operation: &str, body: &Value, constraint: &Constraint) -> Vec<Site> {
    let mut out = Vec::new();
    if let Some(input) = Model::get()
        .operation(operation)
        .and_then(|o| o.input.clone())
    {
        find(
            body,
            &input,
            &constraint.path.0,
            &mut Vec::new(),
            constraint,
            &mut out,
        );
    }
    out
}

fn find(
    v: &Value,
    shape_name: &str,
    hops: &[Hop],
    path: &mut Vec<Step>,
    c: &Constraint,
    out: &mut Vec<Site>,
) {
    let model = Model::get();
    let Some((hop, rest)) = hops.split_first() else {
        let applies = match c.fault {
            // A missing or null member is broken by removing or nulling whatever is there.
            Fault::Missing | Fault::Null | Fault::WrongType => true,
            _ => matches!(
                (model.shape(shape_name).map(|s| s.kind.as_str()), v),
                (Some("string"), Value::String(_))
                    | (Some("list"), Value::Array(_))
                    | (Some("map"), Value::Object(_))
            ),
        };
        if applies {
            out.push(Site {
                path: path.clone(),
                shape: c.shape.clone(),
            });
        }
        return;
    };
    let Some(shape) = model.shape(shape_name) else {
        return;
    };
    match (hop, v) {
        (Hop::Member(m), Value::Object(obj)) => {
            let Some(target) = shape.members.get(m) else {
                return;
            };
            let child = obj.get(m).unwrap_or(&Value::Null);
            if rest.is_empty() || !child.is_null() {
                path.push(Step::Member(m.clone()));
                find(child, &target.shape, rest, path, c, out);
                path.pop();
            }
        }
        (Hop::Element, Value::Array(items)) => {
            let Some(elem) = shape.member.as_ref() else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                find(item, &elem.shape, rest, path, c, out);
                path.pop();
            }
        }
        (Hop::Value | Hop::Key, Value::Object(entries)) => {
            let target = if *hop == Hop::Key {
                &shape.key
            } else {
                &shape.value
            };
            let Some(target) = target.as_ref() else {
                return;
            };
            for (k, item) in entries {
                let (step, value) = if *hop == Hop::Key {
                    (Step::EntryKey(k.clone()), Value::String(k.clone()))
                } else {
                    (Step::Entry(k.clone()), item.clone())
                };
                path.push(step);
                find(&value, &target.shape, rest, path, c, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
