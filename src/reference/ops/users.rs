//! Administrator user management: AdminCreateUser, AdminSetUserPassword, AdminGetUser,
//! AdminDeleteUser, AdminConfirmSignUp, AdminDisableUser, AdminEnableUser (attribute writes:
//! `admin_attributes`).

use serde_json::{Value, json};
use uuid::Uuid;

use super::super::api_error::ApiError;
use super::super::store::{Store, User, UserStatus};
use super::ids;
use super::input::Input;
use crate::contract::rules::{Actor, Change, plan_create};

/// `[{Name, Value}]` of a user's attributes (`sub` first, as Cognito lists it).
pub fn attribute_list(user: &User) -> Value {
    let sub = user
        .attributes
        .get("sub")
        .map(|v| json!({"Name": "sub", "Value": v}));
    let rest = user
        .attributes
        .iter()
        .filter(|(k, _)| *k != "sub")
        .map(|(k, v)| json!({"Name": k, "Value": v}));
    Value::Array(sub.into_iter().chain(rest).collect())
}

fn user_type(user: &User) -> Value {
    json!({
        "Username": user.username,
        "Attributes": attribute_list(user),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    })
}

/// Create a user from a planned attribute set (shared with SignUp).
pub fn insert_user(
    store: &mut Store,
    pool_id: &str,
    username: &str,
    password: String,
    status: UserStatus,
    mut attributes: std::collections::BTreeMap<String, String>,
) -> Result<String, ApiError> {
    let now = store.clock.timestamp();
    let pool = store.pool_mut(pool_id)?;
    let sub = Uuid::new_v4().to_string();
    attributes.insert("sub".into(), sub.clone());
    let user = User {
        username: username.to_string(),
        sub: sub.clone(),
        password,
        status,
        attributes,
        pending: Default::default(),
        created: now,
        modified: now,
        enabled: true,
        sessions: Vec::new(),
        codes: Default::default(),
    };
    pool.users.insert(username.to_string(), user);
    Ok(sub)
}

/// AdminCreateUser: status FORCE_CHANGE_PASSWORD; immutable attributes may be set.
pub fn admin_create_user(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let pool_id = input.str("UserPoolId")?;
    let given_name = input.str("Username")?;
    let pool = store.pool(pool_id)?;
    let mut changes = input.attributes("UserAttributes");
    // Where users sign in with their e-mail address, `Username` is that address: the user gets
    // a generated username (its `sub`, as Cognito does) and the address as `email`.
    let generated;
    let username = if pool.schema.username_attributes.contains("email") {
        if !given_name.contains('@') {
            return Err(ApiError::invalid("Username should be an email."));
        }
        if pool.find_for_sign_in(given_name).is_some() {
            return Err(ApiError::new(
                "UsernameExistsException",
                "An account with the given email already exists.",
            ));
        }
        if !changes.iter().any(|c| c.name == "email") {
            changes.push(Change {
                name: "email".to_string(),
                value: Some(given_name.to_string()),
            });
        }
        generated = Uuid::new_v4().to_string();
        generated.as_str()
    } else {
        given_name
    };
    if pool.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    let password = match input.opt_str("TemporaryPassword") {
        Some(p) => {
            pool.password_policy.check(p)?;
            p.to_string()
        }
        None => format!("Tmp1!{}", ids::session()),
    };
    let plan = plan_create(&pool.schema, Actor::Admin, &changes, &|a, v| {
        pool.alias_taken(username, a, v)
    })?;
    insert_user(
        store,
        pool_id,
        username,
        password,
        UserStatus::ForceChangePassword,
        plan.attributes,
    )?;
    let user = store.pool(pool_id)?.user(username)?;
    Ok(json!({"User": user_type(user)}))
}

/// AdminSetUserPassword: `Permanent` confirms the user.
pub fn admin_set_user_password(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let pool = store.pool_mut(input.str("UserPoolId")?)?;
    let password = input.str("Password")?;
    pool.password_policy.check(password)?;
    let user = pool.user_mut(input.str("Username")?)?;
    user.password = password.to_string();
    user.status = if input.opt_bool("Permanent").unwrap_or(false) {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    user.modified = now;
    Ok(json!({}))
}

/// AdminGetUser.
pub fn admin_get_user(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let user = store
        .pool(input.str("UserPoolId")?)?
        .user(input.str("Username")?)?;
    Ok(json!({
        "Username": user.username,
        "UserAttributes": attribute_list(user),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    }))
}

/// AdminDeleteUser: the user's sessions die with it.
pub fn admin_delete_user(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let pool = store.pool_mut(input.str("UserPoolId")?)?;
    let username = pool.user(input.str("Username")?)?.username.clone();
    let sessions = pool
        .users
        .remove(&username)
        .map(|u| u.sessions)
        .unwrap_or_default();
    store.revoke_sessions(&sessions);
    Ok(json!({}))
}

/// AdminConfirmSignUp.
pub fn admin_confirm_sign_up(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let user = store
        .pool_mut(input.str("UserPoolId")?)?
        .user_mut(input.str("Username")?)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::new(
            "NotAuthorizedException",
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status.as_str()
            ),
        ));
    }
    user.status = UserStatus::Confirmed;
    Ok(json!({}))
}

/// AdminDisableUser: the user can no longer sign in and every token issued so far is revoked
/// (API reference: "Deactivates a user profile and revokes all access tokens for the user").
pub fn admin_disable_user(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let user = store
        .pool_mut(input.str("UserPoolId")?)?
        .user_mut(input.str("Username")?)?;
    user.enabled = false;
    user.modified = now;
    let sessions = user.sessions.clone();
    store.revoke_sessions(&sessions);
    Ok(json!({}))
}

/// AdminEnableUser: sign-in works again; tokens revoked by AdminDisableUser stay revoked.
pub fn admin_enable_user(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let now = store.clock.timestamp();
    let user = store
        .pool_mut(input.str("UserPoolId")?)?
        .user_mut(input.str("Username")?)?;
    user.enabled = true;
    user.modified = now;
    Ok(json!({}))
}
