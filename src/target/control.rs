//! The test-control extension of the embedded reference (`CognitoConformanceReference.*`).
//!
//! Capabilities are discovered, never assumed: `Describe` on a target that is not the
//! reference returns an error, so that target simply has none of them and the cases needing
//! them are skipped with the reason.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::admin::{Admin, AdminError};
use crate::vocab::Capability;
use crate::vocab::InjectedFault;
use crate::wire::Request;
use crate::wire::sigv4::AwsCredentials;

/// Target prefix of the control operations.
pub const CONTROL_PREFIX: &str = "CognitoConformanceReference";

async fn control(admin: &Admin, op: &str, input: &Value) -> Result<Value, AdminError> {
    let mut req = Request::json(op, input);
    req.set_header("X-Amz-Target", &format!("{CONTROL_PREFIX}.{op}"));
    let resp = admin
        .http()
        .send(admin.url(), &req)
        .await
        .map_err(|source| AdminError::Wire {
            operation: op.into(),
            source,
        })?;
    super::admin::interpret(op, &resp)
}

/// The capabilities the target declares (empty for anything but the reference).
pub async fn discover(admin: &Admin) -> BTreeSet<Capability> {
    let Ok(out) = control(admin, "Describe", &json!({})).await else {
        return BTreeSet::new();
    };
    out.get("Capabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| serde_json::from_value::<Capability>(c.clone()).ok())
        .collect()
}

/// Move the target's clock forward.
pub async fn advance_clock(admin: &Admin, seconds: u64) -> Result<(), AdminError> {
    control(admin, "AdvanceClock", &json!({ "Seconds": seconds }))
        .await
        .map(drop)
}

/// An access token with the given scope for a user (confirmed or not).
pub async fn mint_access_token(
    admin: &Admin,
    pool_id: &str,
    client_id: &str,
    username: &str,
    scope: &str,
) -> Result<String, AdminError> {
    let out = control(
        admin,
        "MintAccessToken",
        &json!({ "UserPoolId": pool_id, "ClientId": client_id, "Username": username, "Scope": scope }),
    )
    .await?;
    out.get("AccessToken")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| AdminError::BadResponse {
            operation: "MintAccessToken".into(),
            reason: "no AccessToken".into(),
        })
}

/// Make the next call of `operation` fail with the fault.
pub async fn inject_fault(
    admin: &Admin,
    operation: &str,
    fault: InjectedFault,
) -> Result<(), AdminError> {
    let error = fault.error_type();
    control(
        admin,
        "InjectFault",
        &json!({ "Operation": operation, "Error": error }),
    )
    .await
    .map(drop)
}

/// A new SigV4 principal named `name`, allowed `actions` (none: authenticated, authorized for
/// nothing). Its credentials; the secret is registered for redaction.
pub async fn register_principal(
    admin: &Admin,
    name: &str,
    actions: &[&str],
) -> Result<AwsCredentials, AdminError> {
    let out = control(
        admin,
        "RegisterPrincipal",
        &json!({ "Name": name, "Actions": actions }),
    )
    .await?;
    let field = |key: &str| {
        out.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| AdminError::BadResponse {
                operation: "RegisterPrincipal".into(),
                reason: format!("no {key}"),
            })
    };
    let secret = field("SecretAccessKey")?;
    crate::secrets::global().register(&secret, "AWS_SECRET_ACCESS_KEY");
    Ok(AwsCredentials {
        access_key_id: field("AccessKeyId")?,
        secret_access_key: secret,
        session_token: None,
        source: format!("principal {name} registered on the target"),
    })
}

/// Forget a principal [`register_principal`] made.
pub async fn delete_principal(admin: &Admin, access_key_id: &str) -> Result<(), AdminError> {
    control(
        admin,
        "DeletePrincipal",
        &json!({ "AccessKeyId": access_key_id }),
    )
    .await
    .map(drop)
}
