//! Sign-up and sign-in: SignUp, InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and
//! AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH).

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::app::App;
use super::super::sessions::{Grant, issue};
use super::super::store::{Store, UserStatus};
use super::ids;
use super::input::Input;
use super::users::insert_user;
use crate::contract::custom_attributes::effective_client_scope;
use crate::contract::rules::{Actor, plan_create};
use crate::contract::token::ADMIN_SCOPE;

/// Scopes of a password sign-in's access token.
const SIGN_IN_SCOPE: &str = ADMIN_SCOPE;

fn incorrect() -> ApiError {
    ApiError::new("NotAuthorizedException", "Incorrect username or password.")
}

/// SignUp: an UNCONFIRMED user; the client's WriteAttributes apply.
pub fn sign_up(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let client = store.client(input.str("ClientId")?)?;
    let pool = store.pool(&client.pool_id)?;
    let username = input.str("Username")?;
    let password = input.str("Password")?;
    if pool.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    pool.password_policy.check(password)?;
    let changes = input.attributes("UserAttributes");
    let scope = effective_client_scope(&pool.schema, &client.write);
    let plan = plan_create(&pool.schema, Actor::Client(&scope), &changes, &|a, v| {
        pool.alias_taken(username, a, v)
    })?;
    let pool_id = pool.id.clone();
    let sub = insert_user(
        store,
        &pool_id,
        username,
        password.to_string(),
        UserStatus::Unconfirmed,
        plan.attributes,
    )?;
    let mut out = json!({"UserConfirmed": false, "UserSub": sub});
    if let Some(d) = plan.deliveries.first() {
        out["CodeDeliveryDetails"] = json!({"Destination": d.destination, "DeliveryMedium": d.delivery_medium, "AttributeName": d.attribute_name});
    }
    Ok(out)
}

/// A parameter of `AuthParameters`.
fn auth_param<'a>(input: Input<'a>, name: &str) -> Result<&'a str, ApiError> {
    input
        .object("AuthParameters")
        .and_then(|p| p.opt_str(name))
        .ok_or_else(|| ApiError::invalid(format!("Missing required parameter {name}")))
}

/// Password sign-in through `client_id`.
fn password_sign_in(
    app: &App,
    store: &mut Store,
    client_id: &str,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let client = store.client(client_id)?;
    let prevent = client.prevent_user_existence_errors;
    if client.secret.is_some()
        && input
            .object("AuthParameters")
            .and_then(|p| p.opt_str("SECRET_HASH"))
            .is_none()
    {
        return Err(ApiError::new(
            "NotAuthorizedException",
            format!(
                "Client {client_id} is configured with secret but SECRET_HASH was not received"
            ),
        ));
    }
    let pool = store.pool(&client.pool_id)?;
    let name = auth_param(input, "USERNAME")?;
    let password = auth_param(input, "PASSWORD")?;
    let Some(user) = pool.find_for_sign_in(name) else {
        return Err(if prevent {
            incorrect()
        } else {
            ApiError::no_user()
        });
    };
    if user.password != password {
        return Err(incorrect());
    }
    if !user.enabled {
        return Err(ApiError::new("NotAuthorizedException", "User is disabled."));
    }
    match user.status {
        UserStatus::Unconfirmed => Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        )),
        UserStatus::ForceChangePassword => Ok(json!({
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": ids::session(),
            "ChallengeParameters": {"USER_ID_FOR_SRP": user.username, "requiredAttributes": "[]", "userAttributes": "{}"},
        })),
        UserStatus::Confirmed => {
            let (pool_id, username) = (pool.id.clone(), user.username.clone());
            let grant = Grant {
                pool_id: &pool_id,
                client_id,
                username: &username,
                scope: SIGN_IN_SCOPE,
                session: None,
            };
            let tokens = issue(app, store, grant)?;
            Ok(
                json!({"AuthenticationResult": tokens.authentication_result(), "ChallengeParameters": {}}),
            )
        }
    }
}

/// REFRESH_TOKEN_AUTH: new access and ID tokens in the same session.
fn refresh(
    app: &App,
    store: &mut Store,
    client_id: &str,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    store.client(client_id)?;
    let token = auth_param(input, "REFRESH_TOKEN")?;
    let session = store
        .refresh_tokens
        .get(token)
        .filter(|s| s.client_id == client_id)
        .cloned()
        .ok_or_else(|| ApiError::new("NotAuthorizedException", "Invalid Refresh Token"))?;
    if store.revoked.contains(&session.origin_jti) {
        return Err(ApiError::new(
            "NotAuthorizedException",
            "Refresh Token has been revoked",
        ));
    }
    let pool = store.pool(&session.pool_id)?;
    pool.users
        .get(&session.username)
        .filter(|u| u.sub == session.sub)
        .ok_or_else(ApiError::no_user)?;
    let grant = Grant {
        pool_id: &session.pool_id,
        client_id,
        username: &session.username,
        scope: SIGN_IN_SCOPE,
        session: Some(&session.origin_jti),
    };
    let tokens = issue(app, store, grant)?;
    Ok(json!({"AuthenticationResult": tokens.authentication_result(), "ChallengeParameters": {}}))
}

fn require_flow(store: &Store, client_id: &str, flow: &str, allow: &str) -> Result<(), ApiError> {
    if store.client(client_id)?.flows.contains(allow) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "{flow} flow not enabled for this client"
        )))
    }
}

/// InitiateAuth.
pub fn initiate_auth(app: &App, store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let client_id = input.str("ClientId")?;
    match input.str("AuthFlow")? {
        "USER_PASSWORD_AUTH" => {
            require_flow(
                store,
                client_id,
                "USER_PASSWORD_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
            )?;
            password_sign_in(app, store, client_id, input)
        }
        flow @ ("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN") => {
            require_flow(store, client_id, flow, "ALLOW_REFRESH_TOKEN_AUTH")?;
            refresh(app, store, client_id, input)
        }
        _ => Err(ApiError::invalid("Initiate Auth method not supported.")),
    }
}

/// AdminInitiateAuth. The client must belong to the pool.
pub fn admin_initiate_auth(
    app: &App,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let pool_id = input.str("UserPoolId")?;
    let client_id = input.str("ClientId")?;
    store.pool(pool_id)?;
    if store.client(client_id)?.pool_id != pool_id {
        return Err(ApiError::new(
            "ResourceNotFoundException",
            format!("User pool client {client_id} does not exist."),
        ));
    }
    match input.str("AuthFlow")? {
        flow @ ("ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH") => {
            require_flow(store, client_id, flow, "ALLOW_ADMIN_USER_PASSWORD_AUTH")?;
            password_sign_in(app, store, client_id, input)
        }
        flow @ ("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN") => {
            require_flow(store, client_id, flow, "ALLOW_REFRESH_TOKEN_AUTH")?;
            refresh(app, store, client_id, input)
        }
        _ => Err(ApiError::invalid("Initiate Auth method not supported.")),
    }
}
