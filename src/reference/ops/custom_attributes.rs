//! AddCustomAttributes: the pure rules of [`crate::contract::custom_attributes`] applied to a
//! pool in one step (a refused request adds nothing). Answers `{}`; DescribeUserPool then lists
//! the new `SchemaAttributes`, and the attribute operations honour them at once.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::breaks::{Break, Breaks};
use super::super::store::Store;
use super::input::Input;
use crate::contract::custom_attributes::{
    CustomAttributeError, NewAttribute, plan_add_custom_attributes,
};

/// AddCustomAttributes.
pub fn add_custom_attributes(
    breaks: &Breaks,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let pool = store.pool_mut(input.str("UserPoolId")?)?;
    let mut request: Vec<NewAttribute> = input
        .0
        .get("CustomAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(NewAttribute::from_json)
        .collect();
    // The breaks of custom-attribute.*: what a lax emulator does with such an entry.
    for a in &mut request {
        if breaks.has(Break::RequiredCustomAccepted) {
            a.required = false;
        }
        let known = ["String", "Number", "DateTime", "Boolean"];
        if breaks.has(Break::DataTypeDefaultsToString)
            && !a.data_type.as_deref().is_some_and(|t| known.contains(&t))
        {
            a.data_type = Some("String".into());
        }
    }
    if breaks.has(Break::DuplicateCustomIgnored) {
        let exists = |a: &NewAttribute| {
            a.name.as_deref().is_some_and(|n| {
                let full = if n.starts_with("custom:") {
                    n.to_string()
                } else {
                    format!("custom:{n}")
                };
                pool.schema.get(&full).is_some()
            })
        };
        let before = request.len();
        request.retain(|a| !exists(a));
        if request.is_empty() && before > 0 {
            return Ok(json!({}));
        }
    }
    if breaks.has(Break::OnlyStringAndNumberTypes)
        && request
            .iter()
            .any(|a| matches!(a.data_type.as_deref(), Some("DateTime" | "Boolean")))
    {
        return Err(CustomAttributeError::InvalidDataType.into());
    }
    let plan = plan_add_custom_attributes(&pool.schema, &request)?;
    pool.schema = plan.schema;
    for added in plan.added {
        if let Some(bounds) = added.number {
            pool.number_constraints.insert(added.def.name, bounds);
        }
    }
    pool.modified = now;
    Ok(json!({}))
}
