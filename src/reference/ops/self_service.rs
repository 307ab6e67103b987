//! Token-authorized operations on the caller's own user: GetUser, GlobalSignOut and the three
//! under test, DeleteUser, DeleteUserAttributes and UpdateUserAttributes
//! (GetUserAttributeVerificationCode: `verification`).
//!
//! Each authorizes the access token first ([`authorize`]), then applies the pure rules of
//! [`crate::contract::rules`] and stores the outcome in one step, so a refused request changes
//! nothing.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::app::App;
use super::super::sessions::{Caller, authorize};
use super::super::store::Store;
use super::input::Input;
use super::users::attribute_list;
use crate::contract::custom_attributes::effective_client_scope;
use crate::contract::rules::{Actor, plan_delete, plan_update};
use crate::contract::schema::WriteScope;

/// Authorize the request's `AccessToken` (the checks every token operation shares).
pub(super) fn caller(app: &App, store: &Store, input: Input<'_>) -> Result<Caller, ApiError> {
    Ok(authorize(app, store, input.str("AccessToken")?)?)
}

/// The issuing client's write scope in its pool (a client removed with its pool cannot get
/// here): its `WriteAttributes`, never the developer-only attributes.
pub(super) fn write_scope(store: &Store, client_id: &str, pool_id: &str) -> WriteScope {
    let scope = store
        .clients
        .get(client_id)
        .map_or(WriteScope::All, |c| c.write.clone());
    match store.pools.get(pool_id) {
        Some(pool) => effective_client_scope(&pool.schema, &scope),
        None => scope,
    }
}

/// GetUser.
pub fn get_user(app: &App, store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let c = caller(app, store, input)?;
    let user = store.pool(&c.pool_id)?.user(&c.username)?;
    Ok(json!({"Username": user.username, "UserAttributes": attribute_list(user)}))
}

/// GlobalSignOut: every session of the user is revoked (access and refresh tokens).
pub fn global_sign_out(app: &App, store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let c = caller(app, store, input)?;
    let sessions = store.pool(&c.pool_id)?.user(&c.username)?.sessions.clone();
    store.revoke_sessions(&sessions);
    Ok(json!({}))
}

/// DeleteUser: the user and all its sessions are gone.
pub fn delete_user(app: &App, store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let c = caller(app, store, input)?;
    let removed = store.pool_mut(&c.pool_id)?.users.remove(&c.username);
    let sessions = removed.map(|u| u.sessions).unwrap_or_default();
    store.revoke_sessions(&sessions);
    Ok(json!({}))
}

/// DeleteUserAttributes.
pub fn delete_user_attributes(
    app: &App,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let c = caller(app, store, input)?;
    let scope = write_scope(store, &c.client_id, &c.pool_id);
    let now = store.clock.timestamp();
    let pool = store.pool_mut(&c.pool_id)?;
    let names = input.strings("UserAttributeNames");
    let attributes = plan_delete(
        &pool.schema,
        Actor::Client(&scope),
        &pool.user(&c.username)?.attributes,
        &names,
    )?;
    let user = pool.user_mut(&c.username)?;
    user.attributes = attributes;
    user.modified = now;
    Ok(json!({}))
}

/// UpdateUserAttributes: `{}` or `{"CodeDeliveryDetailsList": [...]}` when codes were sent.
pub fn update_user_attributes(
    app: &App,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let c = caller(app, store, input)?;
    let scope = write_scope(store, &c.client_id, &c.pool_id);
    let now = store.clock.timestamp();
    let pool = store.pool_mut(&c.pool_id)?;
    let changes = input.attributes("UserAttributes");
    let current = &pool.user(&c.username)?.attributes;
    let plan = plan_update(
        &pool.schema,
        Actor::Client(&scope),
        current,
        &changes,
        &|a, v| pool.alias_taken(&c.username, a, v),
    )?;
    let moved = plan.moved_aliases.clone();
    let user = pool.user_mut(&c.username)?;
    for d in &plan.deliveries {
        let sent_to = plan
            .pending
            .get(&d.attribute_name)
            .or_else(|| plan.attributes.get(&d.attribute_name))
            .cloned()
            .unwrap_or_default();
        user.record_code(&d.attribute_name, &sent_to, &d.delivery_medium, now);
    }
    user.attributes = plan.attributes;
    user.pending.extend(plan.pending);
    user.modified = now;
    pool.move_aliases(&c.username, &moved);
    if plan.deliveries.is_empty() {
        return Ok(json!({}));
    }
    let list: Vec<Value> = plan
        .deliveries
        .iter()
        .map(|d| json!({"Destination": d.destination, "DeliveryMedium": d.delivery_medium, "AttributeName": d.attribute_name}))
        .collect();
    Ok(json!({"CodeDeliveryDetailsList": list}))
}
