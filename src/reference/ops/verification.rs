//! GetUserAttributeVerificationCode (token-authorized, unsigned): the token checks of the
//! other self-service operations, then [`verification_code_delivery`]. The code goes to the
//! user's current value (a value waiting under `AttributesRequireVerificationBeforeUpdate` is
//! not current) and is recorded on the user; `ClientMetadata` is accepted and not stored.

use serde_json::{Value, json};

use super::super::api_error::ApiError;
use super::super::app::App;
use super::super::breaks::Break;
use super::super::store::Store;
use super::input::Input;
use super::self_service::caller_or_gone;
use crate::contract::verification::verification_code_delivery;

/// GetUserAttributeVerificationCode: `{"CodeDeliveryDetails": {...}}`.
pub fn get_user_attribute_verification_code(
    app: &App,
    store: &mut Store,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    let Some(c) = caller_or_gone(app, store, input)? else {
        return Ok(json!({}));
    };
    let now = store.clock.timestamp();
    let asked = input.str("AttributeName")?;
    let b = &app.breaks;
    let verifiable = ["email", "phone_number"].contains(&asked);
    // Under its break any name gets a code, by e-mail.
    let attribute = if !verifiable && b.has(Break::AnyAttributeGetsCode) {
        "email"
    } else {
        asked
    };
    let user = store.pool_mut(&c.pool_id)?.user_mut(&c.username)?;
    if verifiable
        && !user.attributes.contains_key(attribute)
        && b.has(Break::MissingValueCrashesMailer)
    {
        return Err(ApiError::internal());
    }
    let mut d = verification_code_delivery(attribute, &user.attributes)?;
    if b.has(Break::CodeToPendingValue)
        && let Some(pending) = user.pending.get(attribute)
        && let Some(to_pending) = crate::contract::verification::delivery(attribute, pending)
    {
        d = to_pending;
    }
    d.attribute_name = asked.to_string();
    if b.has(Break::CodeRequestAnswersEmpty) {
        return Ok(json!({}));
    }
    let sent_to = user.attributes.get(attribute).cloned().unwrap_or_default();
    user.record_code(attribute, &sent_to, &d.delivery_medium, now);
    if b.has(Break::CodeRequestUnverifies) {
        user.attributes
            .insert(format!("{attribute}_verified"), "false".into());
    }
    Ok(json!({"CodeDeliveryDetails": {
        "Destination": d.destination,
        "DeliveryMedium": d.delivery_medium,
        "AttributeName": d.attribute_name,
    }}))
}
