//! The test-control extension (`X-Amz-Target: CognitoConformanceReference.<Op>`): what only
//! this server can do, so the suite can cover cases real Cognito cannot be driven into on
//! demand. `Describe` lists the capabilities; the suite discovers them rather than assuming.
//!
//! - `AdvanceClock {"Seconds": n}`: move the clock forward (token expiry).
//! - `MintAccessToken {"UserPoolId","ClientId","Username","Scope"}`: an access token signed
//!   like a real one, with any scope, also for unconfirmed users.
//! - `InjectFault {"Operation","Error"}`: the next call of `Operation` fails with
//!   `TooManyRequestsException` or `InternalErrorException`.
//! - `RegisterPrincipal {"Name"?, "Arn"?, "Actions"?: [..]}`: a new SigV4 principal with a
//!   random key pair, allowed the listed actions (`*`, `cognito-idp:*`,
//!   `cognito-idp:AdminGetUser` or `AdminGetUser`; none by default, i.e. a principal without
//!   permission). Answers `{"AccessKeyId","SecretAccessKey","Arn","Actions"}`. `Name` defaults
//!   to `principal-<n>`, `Arn` to `arn:aws:iam::000000000000:user/<Name>`.
//! - `DeletePrincipal {"AccessKeyId"}`: forget a principal `RegisterPrincipal` made
//!   (`ResourceNotFoundException` if there is none), so a run leaves none behind.
//! - `GetVerificationCode {"UserPoolId","Username","AttributeName"}`: the last verification
//!   code "sent" for the attribute: `{"Code","AttributeName","DeliveryMedium","Destination"
//!   (unmasked),"SentAt"}`, or `ResourceNotFoundException` when none was sent.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::app::App;
use super::super::breaks::{Break, Breaks};
use super::super::iam::{Actions, Principal, user_arn};
use super::super::sessions::{Grant, issue};
use super::super::store::Store;
use super::OPERATIONS;
use super::input::Input;
use crate::contract::token::ADMIN_SCOPE;

/// Capabilities of this target, as `Describe` reports them (fixture `needs` names).
pub const CAPABILITIES: &[&str] = &[
    "clock-control",
    "token-minting",
    "fault-injection",
    "sigv4-principals",
    "verification-codes",
];

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
                "CodeDeliveryFailureException" | "code-delivery-failure" => {
                    "CodeDeliveryFailureException"
                }
                other => return Err(ApiError::invalid(format!("Unsupported fault {other}"))),
            };
            store
                .faults
                .insert(operation.to_string(), error.to_string());
            Ok(json!({}))
        }
        "RegisterPrincipal" => register_principal(store, input),
        "DeletePrincipal" => {
            let key = input.str("AccessKeyId")?;
            if !store.principals.remove(key) {
                return Err(ApiError::new(
                    "ResourceNotFoundException",
                    format!("No principal has the access key id {key}."),
                ));
            }
            Ok(json!({}))
        }
        "GetVerificationCode" => {
            let pool = store.pool(input.str("UserPoolId")?)?;
            let username = pool
                .resolve_username(input.str("Username")?)
                .ok_or_else(ApiError::no_user)?;
            let attribute = input.str("AttributeName")?;
            let sent = pool.user(&username)?.codes.get(attribute).ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFoundException",
                    format!("No verification code was sent for {attribute}."),
                )
            })?;
            Ok(json!({
                "Code": sent.code,
                "AttributeName": attribute,
                "DeliveryMedium": sent.delivery_medium,
                "Destination": sent.destination,
                "SentAt": sent.sent_at,
            }))
        }
        _ => Err(ApiError::unknown_operation()),
    }
}

/// `RegisterPrincipal`.
fn register_principal(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let actions = match input.0.get("Actions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|a| {
                a.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ApiError::invalid("Actions must be a list of strings"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(ApiError::invalid("Actions must be a list of strings")),
    };
    let name = match input.opt_str("Name") {
        Some(n) => {
            let ok = (1..=64).contains(&n.len())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
            if !ok {
                return Err(ApiError::invalid(
                    "Name must be 1 to 64 characters of [A-Za-z0-9+=,.@_-]",
                ));
            }
            n.to_string()
        }
        None => format!("principal-{}", store.principals.len()),
    };
    let arn = match input.opt_str("Arn") {
        Some(a) if a.starts_with("arn:") => a.to_string(),
        Some(_) => return Err(ApiError::invalid("Arn must start with arn:")),
        None => user_arn(&name),
    };
    let principal = Principal::generate(arn, Actions::from_names(&actions));
    let out = json!({
        "AccessKeyId": principal.access_key_id,
        "SecretAccessKey": principal.secret_access_key,
        "Arn": principal.arn,
        "Actions": principal.actions.names(),
    });
    store.principals.insert(principal);
    Ok(out)
}

/// The error an injected fault produces (as the breaks of protocol.internal-error,
/// protocol.throttling and verification.code-delivery-failure have it, when they are on).
pub fn fault_error(kind: &str, breaks: &Breaks) -> ApiError {
    match kind {
        "InternalErrorException" if breaks.has(Break::FaultAs400) => ApiError {
            status: Some(400),
            ..ApiError::internal()
        },
        "InternalErrorException" => ApiError::internal(),
        "CodeDeliveryFailureException" if breaks.has(Break::DeliveryFailureAsInternal) => {
            ApiError::internal()
        }
        // The text seen from Cognito (requirement verification.code-delivery-failure).
        "CodeDeliveryFailureException" => ApiError::new(
            "CodeDeliveryFailureException",
            "Invalid email provided/Unable to send the email",
        ),
        _ if breaks.has(Break::ThrottlingAs429) => ApiError {
            status: Some(429),
            ..ApiError::new("ThrottlingException", "Rate exceeded")
        },
        _ => ApiError::new("TooManyRequestsException", "Too many requests"),
    }
}
