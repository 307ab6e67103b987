//! Token-authorized operations on the caller's own user: GetUser, GlobalSignOut and the three
//! under test, DeleteUser, DeleteUserAttributes and UpdateUserAttributes
//! (GetUserAttributeVerificationCode: `verification`).
//!
//! Each authorizes the access token first ([`authorize`]), then applies the pure rules of
//! [`crate::contract::rules`] and stores the outcome in one step, so a refused request changes
//! nothing. The `app.breaks` switches are the deliberate violations of
//! [`crate::reference::breaks`] (what they do instead: `broken`); all are off by default.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::app::App;
use super::super::breaks::Break;
use super::super::jwt;
use super::super::sessions::{Caller, authorize};
use super::super::store::Store;
use super::broken;
use super::input::Input;
use super::users::attribute_list;
use crate::contract::custom_attributes::effective_client_scope;
use crate::contract::rules::{Actor, UNAUTHORIZED_WRITE, plan_delete_waiving, plan_update_waiving};
use crate::contract::schema::WriteScope;
use crate::contract::token::TokenRejection;

/// Authorize the request's `AccessToken` (the checks every token operation shares).
pub(super) fn caller(app: &App, store: &Store, input: Input<'_>) -> Result<Caller, ApiError> {
    let token = input.str("AccessToken")?;
    if app.breaks.has(Break::GarbageTokenCrashes) && !jwt::is_jwt(token) {
        return Err(ApiError::internal());
    }
    Ok(authorize(app, store, token)?)
}

/// [`caller`]; `None` for a deleted user's token under [`Break::DeletedUserNoOp`], when the
/// operation answers 200 and does nothing.
pub(super) fn caller_or_gone(
    app: &App,
    store: &Store,
    input: Input<'_>,
) -> Result<Option<Caller>, ApiError> {
    match caller(app, store, input) {
        Err(e)
            if app.breaks.has(Break::DeletedUserNoOp)
                && e == ApiError::from(TokenRejection::UserGone) =>
        {
            Ok(None)
        }
        other => other.map(Some),
    }
}

/// The issuing client's write scope in its pool (a client removed with its pool cannot get
/// here): its `WriteAttributes`, never the developer-only attributes.
pub(super) fn write_scope(app: &App, store: &Store, client_id: &str, pool_id: &str) -> WriteScope {
    let scope = match store.clients.get(client_id).map(|c| &c.write) {
        None => WriteScope::All,
        Some(WriteScope::Only(_)) if app.breaks.has(Break::RestrictedClientReadOnly) => {
            WriteScope::Only(Default::default())
        }
        Some(w) => w.clone(),
    };
    match store.pools.get(pool_id) {
        Some(_) if app.breaks.has(Break::DeveloperOnlyClientWritable) => scope,
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
    let Some(c) = caller_or_gone(app, store, input)? else {
        return Ok(json!({}));
    };
    let users = &mut store.pool_mut(&c.pool_id)?.users;
    let sessions = if app.breaks.has(Break::DeleteUserKeepsUser) {
        users.get(&c.username).map(|u| u.sessions.clone())
    } else {
        users.remove(&c.username).map(|u| u.sessions)
    };
    store.revoke_sessions(&sessions.unwrap_or_default());
    Ok(json!({}))
}

/// Under [`Break::ChangeSignsOut`], revoke every session of the user after a change.
fn sign_out_after_change(app: &App, store: &mut Store, c: &Caller) -> Result<(), ApiError> {
    if app.breaks.has(Break::ChangeSignsOut) {
        let sessions = store.pool(&c.pool_id)?.user(&c.username)?.sessions.clone();
        store.revoke_sessions(&sessions);
    }
    Ok(())
}

/// DeleteUserAttributes.
pub fn delete_user_attributes(
    app: &App,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let Some(c) = caller_or_gone(app, store, input)? else {
        return Ok(json!({}));
    };
    let b = &app.breaks;
    let scope = write_scope(app, store, &c.client_id, &c.pool_id);
    let now = store.clock.timestamp();
    let pool = store.pool_mut(&c.pool_id)?;
    let names = input.strings("UserAttributeNames");
    if b.has(Break::DuplicateNamesCrash) && broken::has_duplicates(names.iter().map(String::as_str))
    {
        return Err(ApiError::internal());
    }
    let current = pool.user(&c.username)?.attributes.clone();
    if b.has(Break::AbsentDeleteRefused)
        && (names.is_empty() || names.iter().any(|n| !current.contains_key(n)))
    {
        return Err(ApiError::invalid(
            "The user has no value for an attribute to delete.",
        ));
    }
    if let Some(e) = broken::refuse_early(
        b,
        &pool.schema,
        &scope,
        names.iter().map(String::as_str),
        &[],
    ) {
        return Err(e);
    }
    let actor = Actor::Client(&scope);
    let w = b.delete_waivers();
    let mut attributes = match plan_delete_waiving(&pool.schema, actor, &current, &names, &w) {
        Ok(a) => a,
        Err(e) => {
            if b.has(Break::PartialWrites) {
                let mut partial = current.clone();
                for name in &names {
                    let one = std::slice::from_ref(name);
                    if let Ok(a) = plan_delete_waiving(&pool.schema, actor, &partial, one, &w) {
                        partial = a;
                    }
                }
                pool.user_mut(&c.username)?.attributes = partial;
            }
            return Err(e.into());
        }
    };
    broken::bend_delete(b, &mut attributes, &current, &names);
    let user = pool.user_mut(&c.username)?;
    user.attributes = attributes;
    user.modified = now;
    sign_out_after_change(app, store, &c)?;
    Ok(json!({}))
}

/// UpdateUserAttributes: `{}` or `{"CodeDeliveryDetailsList": [...]}` when codes were sent.
pub fn update_user_attributes(
    app: &App,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let Some(c) = caller_or_gone(app, store, input)? else {
        return Ok(json!({}));
    };
    let b = &app.breaks;
    let scope = write_scope(app, store, &c.client_id, &c.pool_id);
    let now = store.clock.timestamp();
    let pool = store.pool_mut(&c.pool_id)?;
    let changes = input.attributes("UserAttributes");
    let crash = (b.has(Break::EmptyListCrashes) && changes.is_empty())
        || (b.has(Break::DuplicateNamesCrash)
            && broken::has_duplicates(changes.iter().map(|c| c.name.as_str())));
    if crash {
        return Err(ApiError::internal());
    }
    let current = pool.user(&c.username)?.attributes.clone();
    if b.has(Break::VerifiedFlagsWrittenThenRefused)
        && changes.iter().any(|c| broken::is_verified_flag(&c.name))
    {
        let user = pool.user_mut(&c.username)?;
        for flag in changes.iter().filter(|c| broken::is_verified_flag(&c.name)) {
            let value = flag.value.clone().unwrap_or_default();
            user.attributes.insert(flag.name.clone(), value);
        }
        return Err(ApiError::new("NotAuthorizedException", UNAUTHORIZED_WRITE));
    }
    let missing: Vec<&str> = changes
        .iter()
        .filter(|c| c.value.is_none())
        .map(|c| c.name.as_str())
        .collect();
    let named = changes.iter().map(|c| c.name.as_str());
    if let Some(e) = broken::refuse_early(b, &pool.schema, &scope, named, &missing) {
        return Err(e);
    }
    let schema = broken::update_schema(b, &pool.schema);
    let actor = Actor::Client(&scope);
    let w = b.update_waivers();
    let taken = |a: &str, v: &str| pool.alias_taken(&c.username, a, v);
    let mut plan = match plan_update_waiving(&schema, actor, &current, &changes, &taken, &w) {
        Ok(p) => p,
        Err(e) => {
            if b.has(Break::PartialWrites) {
                let mut partial = current.clone();
                for one in &changes {
                    let one = std::slice::from_ref(one);
                    if let Ok(p) = plan_update_waiving(&schema, actor, &partial, one, &taken, &w) {
                        partial = p.attributes;
                    }
                }
                drop(schema);
                pool.user_mut(&c.username)?.attributes = partial;
            }
            return Err(broken::bend_refusal(b, e).into());
        }
    };
    drop(schema);
    broken::bend_update(b, &mut plan, &current, &changes, input);
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
    sign_out_after_change(app, store, &c)?;
    if plan.deliveries.is_empty() || b.has(Break::UpdateAnswersEmpty) {
        return Ok(json!({}));
    }
    let list: Vec<Value> = plan
        .deliveries
        .iter()
        .map(|d| json!({"Destination": d.destination, "DeliveryMedium": d.delivery_medium, "AttributeName": d.attribute_name}))
        .collect();
    Ok(json!({"CodeDeliveryDetailsList": list}))
}
