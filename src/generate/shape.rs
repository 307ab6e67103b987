//! Valid JSON values for any shape of the model: strings by pattern and length, enums,
//! numbers in range, lists and maps within their size bounds, structures with every required
//! member and a random choice of optional ones.

use proptest::prelude::*;
use serde_json::{Map, Value};

use super::text::within;
use crate::contract::Model;
use crate::contract::model::Shape;

/// Most elements generated for a list or map without a smaller `max`.
const MAX_ELEMENTS: usize = 3;
/// Nesting guard (the covered shapes nest three deep at most).
const MAX_DEPTH: usize = 8;

/// Valid values of the shape named `shape`; `None` for a shape the model lacks.
pub fn valid(shape: &str) -> Option<BoxedStrategy<Value>> {
    valid_at(shape, 0, false)
}

/// Valid values with at least one element in every list and map (where `max` allows): the
/// values that create a member a deeper constraint needs.
pub fn valid_nonempty(shape: &str) -> Option<BoxedStrategy<Value>> {
    valid_at(shape, 0, true)
}

/// A valid input body of `operation` (its input structure), or `None` for an operation
/// without input (the generators build bodies call by call; tests check the model's slice).
#[cfg(test)]
pub fn valid_input(operation: &str) -> Option<BoxedStrategy<Value>> {
    let input = Model::get().operation(operation)?.input.as_deref()?;
    valid(input)
}

/// `(min, max)` of a shape as sizes.
pub fn bounds(shape: &Shape) -> (usize, Option<usize>) {
    let size = |n: i64| usize::try_from(n.max(0)).unwrap_or(0);
    (shape.min.map_or(0, size), shape.max.map(size))
}

fn valid_at(name: &str, depth: usize, nonempty: bool) -> Option<BoxedStrategy<Value>> {
    let shape = Model::get().shape(name)?;
    if depth > MAX_DEPTH {
        return None;
    }
    let (mut min, max) = bounds(shape);
    if nonempty && matches!(shape.kind.as_str(), "list" | "map") && max.is_none_or(|m| m >= 1) {
        min = min.max(1);
    }
    let strategy = match shape.kind.as_str() {
        "string" => match &shape.enum_values {
            Some(values) if !values.is_empty() => proptest::sample::select(values.clone())
                .prop_map(Value::String)
                .boxed(),
            _ => within(shape.pattern.as_deref(), min, max)
                .prop_map(Value::String)
                .boxed(),
        },
        "integer" | "long" => {
            let lo = shape.min.unwrap_or(0);
            let hi = shape.max.unwrap_or(lo.saturating_add(1000)).max(lo);
            (lo..=hi).prop_map(Value::from).boxed()
        }
        "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
        "list" => {
            let elem = valid_at(&shape.member.as_ref()?.shape, depth + 1, nonempty)?;
            let hi = max.unwrap_or(MAX_ELEMENTS).min(min.max(MAX_ELEMENTS));
            proptest::collection::vec(elem, min..=hi.max(min))
                .prop_map(Value::Array)
                .boxed()
        }
        "map" => {
            let key = valid_at(&shape.key.as_ref()?.shape, depth + 1, nonempty)?;
            let value = valid_at(&shape.value.as_ref()?.shape, depth + 1, nonempty)?;
            let key = key.prop_map(|k| k.as_str().unwrap_or_default().to_string());
            let hi = max.unwrap_or(MAX_ELEMENTS).min(min.max(MAX_ELEMENTS));
            proptest::collection::btree_map(key, value, min..=hi.max(min))
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed()
        }
        "structure" => structure(shape, depth, nonempty)?,
        _ => return None,
    };
    Some(strategy)
}

/// Required members always, optional members half of the time, in model order.
fn structure(shape: &Shape, depth: usize, nonempty: bool) -> Option<BoxedStrategy<Value>> {
    let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, member) in shape.members.iter() {
        let Some(value) = valid_at(&member.shape, depth + 1, nonempty) else {
            continue;
        };
        let name = name.to_string();
        let required = shape.required.contains(&name);
        let pair = value.prop_map(move |v| (name.clone(), v));
        members.push(if required {
            pair.prop_map(Some).boxed()
        } else {
            proptest::option::of(pair).boxed()
        });
    }
    Some(
        members
            .prop_map(|pairs| Value::Object(pairs.into_iter().flatten().collect::<Map<_, _>>()))
            .boxed(),
    )
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;
    use crate::contract::json_types::check_json_types;
    use crate::contract::validate::validate_input;

    #[test]
    fn generated_inputs_pass_the_contracts_own_checks() {
        let mut runner = TestRunner::deterministic();
        for op in [
            "DeleteUser",
            "DeleteUserAttributes",
            "UpdateUserAttributes",
            "GetUser",
            "GlobalSignOut",
        ] {
            let s = valid_input(op).expect(op);
            for _ in 0..300 {
                let v = s.new_tree(&mut runner).unwrap().current();
                assert_eq!(check_json_types(op, &v), Ok(()), "{op}: {v}");
                assert_eq!(validate_input(op, &v), vec![], "{op}: {v}");
            }
        }
    }

    #[test]
    fn optional_members_are_sometimes_present() {
        let mut runner = TestRunner::deterministic();
        let s = valid_input("UpdateUserAttributes").unwrap();
        let with_metadata = (0..200)
            .map(|_| s.new_tree(&mut runner).unwrap().current())
            .filter(|v| v.get("ClientMetadata").is_some())
            .count();
        assert!((20..180).contains(&with_metadata), "{with_metadata}");
    }
}
