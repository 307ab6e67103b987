//! Verification codes of the attribute-operation family: what GetUserAttributeVerificationCode
//! sends and where, and when AdminUpdateUserAttributes sends one.
//!
//! Evidence (`contract/sources/attribute-family.toml`, rows V*, U*):
//!
//! - GetUserAttributeVerificationCode: only `email` and `phone_number` can be verified, other
//!   names get `InvalidParameterException` `Invalid attribute name. Only phone_number and email
//!   can be verified.` (V4: a public app's table of Cognito messages and amplify-js#3652's
//!   retyped text); the answer is `{"CodeDeliveryDetails": {"AttributeName", "DeliveryMedium",
//!   "Destination"}}` with a masked destination (V3: AWS CLI example `a***@e***`); under
//!   `AttributesRequireVerificationBeforeUpdate`, while a new value waits, the code goes to the
//!   original (current) value (V7: amplify-flutter#3756).
//! - inferred (no capture): a user without the attribute gets `InvalidParameterException`
//!   [`VerificationError::NoValue`]; an attribute already verified still gets a code (V6);
//!   the pool's `AutoVerifiedAttributes` do not matter.
//! - AdminUpdateUserAttributes: sending `email_verified`/`phone_number_verified` = `true` in the
//!   same call skips the message (U6, model documentation); setting the same value again sends
//!   nothing (U8). A flag other than `true` in the same call does not skip it
//!   ([`plan_admin_update_waiving`]; the documentation names only `true`).

use std::collections::BTreeMap;

use super::masking::{mask_email, mask_phone};
use super::rules::{Actor, Change, CodeDelivery, Plan, RuleError, Waivers, plan_update_waiving};
use super::schema::PoolSchema;

/// Verifiable attributes, their `*_verified` flag and delivery medium.
pub const VERIFIABLE: &[(&str, &str, &str)] = &[
    ("email", "email_verified", "EMAIL"),
    ("phone_number", "phone_number_verified", "SMS"),
];

/// Why no verification code is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerificationError {
    /// The attribute is neither `email` nor `phone_number` (observed text, V4).
    #[error("Invalid attribute name. Only phone_number and email can be verified.")]
    NotVerifiable,
    /// The user has no value for the attribute (inferred text).
    #[error("User does not have a value for the attribute {0}.")]
    NoValue(String),
}

impl VerificationError {
    /// The AWS error type.
    pub fn error_type(&self) -> &'static str {
        "InvalidParameterException"
    }
}

/// The delivery of a code for `attribute` to `value`, masked as Cognito masks it.
pub fn delivery(attribute: &str, value: &str) -> Option<CodeDelivery> {
    let (_, _, medium) = VERIFIABLE.iter().find(|(a, _, _)| *a == attribute)?;
    let destination = if attribute == "email" {
        mask_email(value)
    } else {
        mask_phone(value)
    };
    Some(CodeDelivery {
        attribute_name: attribute.to_string(),
        delivery_medium: (*medium).to_string(),
        destination,
    })
}

/// Where GetUserAttributeVerificationCode sends the code for `attribute`, given the user's
/// current (active) attributes. A value waiting for verification is not active: the code goes
/// to the current value.
pub fn verification_code_delivery(
    attribute: &str,
    current: &BTreeMap<String, String>,
) -> Result<CodeDelivery, VerificationError> {
    if !VERIFIABLE.iter().any(|(a, _, _)| *a == attribute) {
        return Err(VerificationError::NotVerifiable);
    }
    let value = current
        .get(attribute)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| VerificationError::NoValue(attribute.to_string()))?;
    delivery(attribute, value).ok_or(VerificationError::NotVerifiable)
}

/// Plan AdminUpdateUserAttributes: [`plan_update`] as administrator, plus a code when an
/// auto-verified `email`/`phone_number` really changes and the same call carries its
/// `*_verified` flag with a value other than `true` (which [`plan_update`] treats as "flag
/// given, no code"). The response stays `{}`: the deliveries only tell the server what it sent.
#[cfg(test)]
pub fn plan_admin_update(
    schema: &PoolSchema,
    current: &BTreeMap<String, String>,
    changes: &[Change],
    alias_taken: &dyn Fn(&str, &str) -> bool,
) -> Result<Plan, RuleError> {
    plan_admin_update_waiving(schema, current, changes, alias_taken, &Waivers::none())
}

/// `plan_admin_update` with the checks `w` waives (none but in a deliberately broken
/// reference).
pub fn plan_admin_update_waiving(
    schema: &PoolSchema,
    current: &BTreeMap<String, String>,
    changes: &[Change],
    alias_taken: &dyn Fn(&str, &str) -> bool,
    w: &Waivers,
) -> Result<Plan, RuleError> {
    let mut plan = plan_update_waiving(schema, Actor::Admin, current, changes, alias_taken, w)?;
    for (attr, flag, _) in VERIFIABLE {
        let last = |name: &str| {
            changes
                .iter()
                .rev()
                .find(|c| c.name == name)
                .map(|c| c.value.as_deref())
        };
        let (Some(Some(new)), Some(flag_value)) = (last(attr), last(flag)) else {
            continue;
        };
        if flag_value == Some("true")
            || new.is_empty()
            || current.get(*attr).map(String::as_str) == Some(new)
            || !schema.auto_verified.contains(*attr)
            || plan.deliveries.iter().any(|d| d.attribute_name == *attr)
        {
            continue;
        }
        plan.deliveries.extend(delivery(attr, new));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::schema::DataType;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn pool() -> PoolSchema {
        let mut s = PoolSchema::standard();
        s.add("email", DataType::String, true, true, None, None)
            .unwrap();
        s.auto_verified.insert("email".into());
        s.auto_verified.insert("phone_number".into());
        s
    }

    const NOBODY: &dyn Fn(&str, &str) -> bool = &|_, _| false;

    #[test]
    fn only_email_and_phone_number_can_be_verified() {
        let user = attrs(&[("email", "bob@example.com"), ("name", "Bob")]);
        let e = verification_code_delivery("name", &user).unwrap_err();
        assert_eq!(
            (e.error_type(), e.to_string().as_str()),
            (
                "InvalidParameterException",
                "Invalid attribute name. Only phone_number and email can be verified."
            )
        );
        assert_eq!(
            verification_code_delivery("email_verified", &user).unwrap_err(),
            VerificationError::NotVerifiable
        );
    }

    #[test]
    fn code_goes_to_the_masked_current_value() {
        let user = attrs(&[
            ("email", "bob@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15555550123"),
        ]);
        assert_eq!(
            verification_code_delivery("email", &user).unwrap(),
            CodeDelivery {
                attribute_name: "email".into(),
                delivery_medium: "EMAIL".into(),
                destination: "b***@e***".into()
            }
        );
        let sms = verification_code_delivery("phone_number", &user).unwrap();
        assert_eq!(
            (sms.delivery_medium.as_str(), sms.destination.as_str()),
            ("SMS", "+*******0123")
        );
    }

    #[test]
    fn a_user_without_the_attribute_gets_no_code() {
        let user = attrs(&[("email", "bob@example.com")]);
        assert_eq!(
            verification_code_delivery("phone_number", &user).unwrap_err(),
            VerificationError::NoValue("phone_number".into())
        );
        assert_eq!(
            VerificationError::NoValue("phone_number".into()).to_string(),
            "User does not have a value for the attribute phone_number."
        );
    }

    #[test]
    fn admin_update_sends_a_code_only_for_a_real_change_without_verified_true() {
        let user = attrs(&[("email", "bob@example.com"), ("email_verified", "true")]);
        let p = plan_admin_update(
            &pool(),
            &user,
            &[Change::set("email", "carol@example.org")],
            NOBODY,
        )
        .unwrap();
        assert_eq!(p.deliveries.len(), 1);
        assert_eq!(p.attributes["email_verified"], "false");
        let same = plan_admin_update(
            &pool(),
            &user,
            &[Change::set("email", "bob@example.com")],
            NOBODY,
        )
        .unwrap();
        assert!(same.deliveries.is_empty());
        let verified = plan_admin_update(
            &pool(),
            &user,
            &[
                Change::set("email", "carol@example.org"),
                Change::set("email_verified", "true"),
            ],
            NOBODY,
        )
        .unwrap();
        assert!(verified.deliveries.is_empty());
        assert_eq!(verified.attributes["email_verified"], "true");
        let unverified = plan_admin_update(
            &pool(),
            &user,
            &[
                Change::set("email_verified", "false"),
                Change::set("email", "carol@example.org"),
            ],
            NOBODY,
        )
        .unwrap();
        assert_eq!(unverified.deliveries.len(), 1);
        assert_eq!(unverified.deliveries[0].destination, "c***@e***");
        assert_eq!(unverified.attributes["email_verified"], "false");
        // The flag alone is writable by the administrator and sends nothing.
        let flag = plan_admin_update(
            &pool(),
            &user,
            &[Change::set("phone_number_verified", "true")],
            NOBODY,
        )
        .unwrap();
        assert_eq!(flag.attributes["phone_number_verified"], "true");
        assert!(flag.deliveries.is_empty());
    }

    #[test]
    fn admin_update_in_a_pool_without_auto_verification_sends_nothing() {
        let mut s = pool();
        s.auto_verified.clear();
        let user = attrs(&[("email", "bob@example.com")]);
        let p = plan_admin_update(
            &s,
            &user,
            &[
                Change::set("email", "carol@example.org"),
                Change::set("email_verified", "false"),
            ],
            NOBODY,
        )
        .unwrap();
        assert!(p.deliveries.is_empty());
    }
}
