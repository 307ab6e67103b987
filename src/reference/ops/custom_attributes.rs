//! AddCustomAttributes: the pure rules of [`crate::contract::custom_attributes`] applied to a
//! pool in one step (a refused request adds nothing). Answers `{}`; DescribeUserPool then lists
//! the new `SchemaAttributes`, and the attribute operations honour them at once.

use serde_json::{Map, Value, json};

use super::super::api_error::ApiError;
use super::super::breaks::{Break, Breaks};
use super::super::store::Store;
use super::input::Input;
use crate::contract::custom_attributes::{
    CUSTOM_PREFIX, CustomAttributeError, MAX_CUSTOM_ATTRIBUTES, NewAttribute,
    plan_add_custom_attributes_within,
};
use crate::contract::schema::{PoolSchema, WriteScope, is_standard};

/// AddCustomAttributes.
pub fn add_custom_attributes(
    breaks: &Breaks,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let pool_id = input.str("UserPoolId")?.to_string();
    let pool = store.pool_mut(&pool_id)?;
    let entries: Vec<&Map<String, Value>> = input
        .0
        .get("CustomAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    let mut request: Vec<NewAttribute> =
        entries.iter().map(|e| NewAttribute::from_json(e)).collect();
    // The breaks of custom-attribute.*: what a lax emulator does with such an entry.
    for (a, raw) in request.iter_mut().zip(&entries) {
        if breaks.has(Break::RequiredCustomAccepted) {
            a.required = false;
        }
        let known = ["String", "Number", "DateTime", "Boolean"];
        if breaks.has(Break::DataTypeDefaultsToString)
            && !a.data_type.as_deref().is_some_and(|t| known.contains(&t))
        {
            a.data_type = Some("String".into());
        }
        if breaks.has(Break::CustomPrefixNotRepeated)
            && let Some(name) = &mut a.name
            && let Some(rest) = name.strip_prefix(CUSTOM_PREFIX)
        {
            *name = rest.to_string();
        }
        if breaks.has(Break::MutableByDefault) && !raw.contains_key("Mutable") {
            a.mutable = true;
        }
        if breaks.has(Break::AddedAttributesImmutable) {
            a.mutable = false;
        }
    }
    if breaks.has(Break::DuplicateCustomIgnored) {
        let exists = |a: &NewAttribute| {
            a.name.as_deref().is_some_and(|n| {
                let full = if n.starts_with(CUSTOM_PREFIX) {
                    n.to_string()
                } else {
                    format!("{CUSTOM_PREFIX}{n}")
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
    if breaks.has(Break::RedefinitionAccepted) || breaks.has(Break::StandardNameRedefined) {
        // Entries these breaks handle outside the rules: a redefinition, a standard name.
        let (apart, rules): (Vec<NewAttribute>, Vec<NewAttribute>) =
            request.into_iter().partition(|a| {
                let exists = a.full_name().is_some_and(|n| pool.schema.get(&n).is_some());
                let standard = a.name.as_deref().is_some_and(is_standard);
                (exists && breaks.has(Break::RedefinitionAccepted))
                    || (standard && breaks.has(Break::StandardNameRedefined))
            });
        request = rules;
        let defined =
            plan_add_custom_attributes_within(&PoolSchema::standard(), &apart, usize::MAX)?;
        for mut added in defined.added {
            if breaks.has(Break::StandardNameRedefined)
                && let Some(name) = added.def.name.strip_prefix(CUSTOM_PREFIX)
                && is_standard(name)
            {
                added.def.name = name.to_string();
            }
            pool.schema.insert_attribute(added.def);
        }
    }
    let limit = if breaks.has(Break::CustomAttributeLimitUnchecked) {
        usize::MAX
    } else {
        MAX_CUSTOM_ATTRIBUTES
    };
    let plan = plan_add_custom_attributes_within(&pool.schema, &request, limit)?;
    pool.schema = plan.schema;
    let mut names = Vec::with_capacity(plan.added.len());
    for added in plan.added {
        names.push(added.def.name.clone());
        if let Some(bounds) = added.number {
            pool.number_constraints.insert(added.def.name, bounds);
        }
    }
    pool.modified = now;
    if breaks.has(Break::AddedAttributesGrantedToClients) {
        for client in store.clients.values_mut().filter(|c| c.pool_id == pool_id) {
            if let WriteScope::Only(allowed) = &mut client.write {
                allowed.extend(names.iter().cloned());
            }
        }
    }
    Ok(json!({}))
}
