//! Ids of the attribute rules: which rule refused a write is a value, never recovered from a
//! message text.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One attribute rule of the contract (see `contract::rules`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    /// The attribute is not in the pool's schema.
    NotInSchema,
    /// `sub` can never be written.
    Sub,
    /// An immutable attribute cannot be changed after creation.
    Immutable,
    /// The app client may not write the attribute.
    ClientNotAllowed,
    /// A required attribute cannot be removed.
    Required,
    /// A custom string outside its length constraints.
    CustomStringLength,
    /// `email` is not an e-mail address.
    InvalidEmail,
    /// `phone_number` is not in E.164 format.
    InvalidPhoneNumber,
    /// A written attribute without a value.
    ValueMissing,
    /// The e-mail address belongs to another user (an alias conflict).
    AliasExists,
}

impl RuleId {
    /// Kebab-case label (`not-in-schema`), as in property names.
    pub fn label(self) -> &'static str {
        match self {
            RuleId::NotInSchema => "not-in-schema",
            RuleId::Sub => "sub",
            RuleId::Immutable => "immutable",
            RuleId::ClientNotAllowed => "client-not-allowed",
            RuleId::Required => "required",
            RuleId::CustomStringLength => "custom-string-length",
            RuleId::InvalidEmail => "invalid-email",
            RuleId::InvalidPhoneNumber => "invalid-phone-number",
            RuleId::ValueMissing => "value-missing",
            RuleId::AliasExists => "alias-exists",
        }
    }
}
