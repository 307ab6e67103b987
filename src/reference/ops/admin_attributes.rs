//! Administrator attribute writes: AdminUpdateUserAttributes and AdminDeleteUserAttributes.
//!
//! Both look the pool up first (`ResourceNotFoundException` `User pool <id> does not exist.`),
//! then the user (`UserNotFoundException` `User does not exist.`, U1 observed), where
//! `Username` may be the username, a verified alias value or the user's `sub`
//! ([`Pool::resolve_username`]). The attribute rules are those of the
//! self-service operations with [`Actor::Admin`]: no app-client write limits, the same refusals
//! and messages for `sub`, unknown, immutable and required attributes. Both answer `{}`.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::breaks::{Break, Breaks};
use super::super::store::{Pool, Store, UserStatus};
use super::broken;
use super::input::Input;
use crate::contract::rules::{Actor, plan_delete_waiving};
use crate::contract::schema::WriteScope;
use crate::contract::verification::plan_admin_update_waiving;

/// The username `Username` designates in `pool`, or `UserNotFoundException` (also, under
/// [`Break::InactiveUserHidden`], for a user who cannot sign in).
fn username(breaks: &Breaks, pool: &Pool, input: Input<'_>) -> Result<String, ApiError> {
    let given = input.str("Username")?;
    let name = if breaks.has(Break::UsernameOnly) {
        pool.users.contains_key(given).then(|| given.to_string())
    } else {
        pool.resolve_username(given)
    }
    .ok_or_else(ApiError::no_user)?;
    let user = pool.user(&name)?;
    if breaks.has(Break::InactiveUserHidden)
        && (user.status == UserStatus::Unconfirmed || !user.enabled)
    {
        return Err(ApiError::no_user());
    }
    Ok(name)
}

/// AdminUpdateUserAttributes: the update rules without client write restrictions. A code is
/// "sent" (recorded on the user) when an auto-verified `email`/`phone_number` really changes
/// and the call does not set its `*_verified` flag to `true`; the response is `{}` regardless.
pub fn admin_update_user_attributes(
    breaks: &Breaks,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let pool = store.pool_mut(input.str("UserPoolId")?)?;
    let username = username(breaks, pool, input)?;
    let changes = input.attributes("UserAttributes");
    let current = &pool.user(&username)?.attributes;
    let schema = broken::update_schema(breaks, &pool.schema);
    let taken = |a: &str, v: &str| pool.alias_taken(&username, a, v);
    let plan =
        plan_admin_update_waiving(&schema, current, &changes, &taken, &breaks.update_waivers());
    drop(schema);
    let mut plan = plan?;
    broken::bend_admin_update(breaks, &mut plan, &changes);
    let moved = plan.moved_aliases.clone();
    let user = pool.user_mut(&username)?;
    user.attributes = plan.attributes;
    user.pending.extend(plan.pending);
    user.modified = now;
    for d in &plan.deliveries {
        let sent_to = changes
            .iter()
            .rev()
            .find(|c| c.name == d.attribute_name)
            .and_then(|c| c.value.clone())
            .unwrap_or_default();
        user.record_code(&d.attribute_name, &sent_to, &d.delivery_medium, now);
    }
    pool.move_aliases(&username, &moved);
    Ok(json!({}))
}

/// AdminDeleteUserAttributes: the delete rules without client write restrictions; an empty
/// list and names the user lacks succeed.
pub fn admin_delete_user_attributes(
    breaks: &Breaks,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let pool_id = input.str("UserPoolId")?;
    // Under its break, the WriteAttributes of one of the pool's restricted app clients.
    let restricted = store
        .clients
        .values()
        .filter(|c| c.pool_id == pool_id && matches!(c.write, WriteScope::Only(_)))
        .map(|c| c.write.clone())
        .next()
        .filter(|_| breaks.has(Break::AdminHeldToClientScope));
    let pool = store.pool_mut(pool_id)?;
    let username = username(breaks, pool, input)?;
    let names = input.strings("UserAttributeNames");
    let actor = match &restricted {
        Some(scope) => Actor::Client(scope),
        None => Actor::Admin,
    };
    let attributes = plan_delete_waiving(
        &pool.schema,
        actor,
        &pool.user(&username)?.attributes,
        &names,
        &breaks.delete_waivers(),
    )?;
    let user = pool.user_mut(&username)?;
    user.attributes = attributes;
    user.modified = now;
    Ok(json!({}))
}
