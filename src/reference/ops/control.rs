//! The test-control extension (`X-Amz-Target: CognitoConformanceReference.<Op>`): what only
//! this server can do, so the suite can cover cases real Cognito cannot be driven into on
//! demand. `Describe` lists the capabilities; the suite discovers them rather than assuming.
//!
//! - `AdvanceClock {"Seconds": n}`: move the clock forward (token expiry).
//! - `MintAccessToken {"UserPoolId","ClientId","Username","Scope"}`: an access token signed
//!   like a real one, with any scope, also for unconfirmed users.
//! - `InjectFault {"Operation","Error"}`: the next call of `Operation` fails with
//!   `TooManyRequestsException` or `InternalErrorException`.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::app::App;
use super::super::sessions::{Grant, issue};
use super::super::store::Store;
use super::OPERATIONS;
use super::input::Input;
use crate::contract::token::ADMIN_SCOPE;

/// Capabilities of this target, as `Describe` reports them (fixture `needs` names).
pub const CAPABILITIES: &[&str] = &["clock-control", "token-minting", "fault-injection"];

/// Run control operation `op`.
pub fn call(app: &App, store: &mut Store, op: &str, input: Input<'_>) -> Result<Value, ApiError> {
    match op {
        "Describe" => Ok(
            json!({"Capabilities": CAPABILITIES, "Name": "cognito-conformance embedded reference"}),
        ),
        "AdvanceClock" => {
            let seconds = input
                .opt_u64("Seconds")
                .ok_or_else(|| ApiError::invalid("Seconds must be a non-negative integer"))?;
            store.clock.advance(seconds);
            Ok(json!({"Now": store.clock.now()}))
        }
        "MintAccessToken" => {
            let pool_id = input.str("UserPoolId")?;
            let client_id = input.str("ClientId")?;
            let username = input.str("Username")?;
            let scope = input.opt_str("Scope").unwrap_or(ADMIN_SCOPE);
            if store.client(client_id)?.pool_id != pool_id {
                return Err(ApiError::new(
                    "ResourceNotFoundException",
                    format!("User pool client {client_id} does not exist."),
                ));
            }
            let grant = Grant {
                pool_id,
                client_id,
                username,
                scope,
                session: None,
            };
            let tokens = issue(app, store, grant)?;
            Ok(json!({"AccessToken": tokens.access}))
        }
        "InjectFault" => {
            let operation = input.str("Operation")?;
            if !OPERATIONS.contains(&operation) {
                return Err(ApiError::invalid(format!("Unknown operation {operation}")));
            }
            let error = match input.str("Error")? {
                "TooManyRequestsException" | "throttling" => "TooManyRequestsException",
                "InternalErrorException" | "internal-error" => "InternalErrorException",
                other => return Err(ApiError::invalid(format!("Unsupported fault {other}"))),
            };
            store
                .faults
                .insert(operation.to_string(), error.to_string());
            Ok(json!({}))
        }
        _ => Err(ApiError::unknown_operation()),
    }
}

/// The error an injected fault produces.
pub fn fault_error(kind: &str) -> ApiError {
    match kind {
        "InternalErrorException" => ApiError::internal(),
        _ => ApiError::new("TooManyRequestsException", "Too many requests"),
    }
}
