//! AddCustomAttributes: the pure rules of [`crate::contract::custom_attributes`] applied to a
//! pool in one step (a refused request adds nothing). Answers `{}`; DescribeUserPool then lists
//! the new `SchemaAttributes`, and the attribute operations honour them at once.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::store::Store;
use super::input::Input;
use crate::contract::custom_attributes::{NewAttribute, plan_add_custom_attributes};

/// AddCustomAttributes.
pub fn add_custom_attributes(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let pool = store.pool_mut(input.str("UserPoolId")?)?;
    let request: Vec<NewAttribute> = input
        .0
        .get("CustomAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(NewAttribute::from_json)
        .collect();
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
