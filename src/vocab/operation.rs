//! Cognito operations the suite sends: the ones under test and the ones it reads back with.
//!
//! A fixture's first call names a covered operation (its directory); its later calls
//! (`[[next]]`) may name any operation here, such as GetUser or DescribeUserPool.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An operation of the cognito-idp API that a case or a generated call sends as the request
/// under test (`X-Amz-Target: AWSCognitoIdentityProviderService.<name>`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Operation {
    /// Deletes the signed-in user.
    DeleteUser,
    /// Deletes attributes of the signed-in user.
    DeleteUserAttributes,
    /// Updates attributes of the signed-in user.
    UpdateUserAttributes,
    /// An administrator updates a user's attributes (SigV4-signed).
    AdminUpdateUserAttributes,
    /// An administrator deletes a user's attributes (SigV4-signed).
    AdminDeleteUserAttributes,
    /// An administrator adds custom attributes to a pool's schema (SigV4-signed).
    AddCustomAttributes,
    /// The signed-in user asks for a verification code for an attribute.
    GetUserAttributeVerificationCode,
    /// Reads the signed-in user (generated sequences, and later calls of a fixture).
    GetUser,
    /// Revokes the signed-in user's tokens (generated sequences, and later calls of a fixture).
    GlobalSignOut,
    /// An administrator reads a pool's configuration and schema (SigV4-signed; later calls of
    /// a fixture only).
    DescribeUserPool,
}

impl Operation {
    /// Every operation, in catalogue order.
    pub const ALL: [Operation; 10] = [
        Operation::DeleteUser,
        Operation::DeleteUserAttributes,
        Operation::UpdateUserAttributes,
        Operation::AdminUpdateUserAttributes,
        Operation::AdminDeleteUserAttributes,
        Operation::AddCustomAttributes,
        Operation::GetUserAttributeVerificationCode,
        Operation::GetUser,
        Operation::GlobalSignOut,
        Operation::DescribeUserPool,
    ];

    /// The operations whose behaviour the catalogue covers (fixtures and properties).
    pub const COVERED: [Operation; 7] = [
        Operation::DeleteUser,
        Operation::DeleteUserAttributes,
        Operation::UpdateUserAttributes,
        Operation::AdminUpdateUserAttributes,
        Operation::AdminDeleteUserAttributes,
        Operation::AddCustomAttributes,
        Operation::GetUserAttributeVerificationCode,
    ];

    /// The API name (`UpdateUserAttributes`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::DeleteUser => "DeleteUser",
            Operation::DeleteUserAttributes => "DeleteUserAttributes",
            Operation::UpdateUserAttributes => "UpdateUserAttributes",
            Operation::AdminUpdateUserAttributes => "AdminUpdateUserAttributes",
            Operation::AdminDeleteUserAttributes => "AdminDeleteUserAttributes",
            Operation::AddCustomAttributes => "AddCustomAttributes",
            Operation::GetUserAttributeVerificationCode => "GetUserAttributeVerificationCode",
            Operation::GetUser => "GetUser",
            Operation::GlobalSignOut => "GlobalSignOut",
            Operation::DescribeUserPool => "DescribeUserPool",
        }
    }

    /// Whether the catalogue covers it.
    pub fn is_covered(self) -> bool {
        Operation::COVERED.contains(&self)
    }

    /// The kebab-case directory of its cases (`update-user-attributes`).
    pub fn dir(self) -> String {
        kebab(self.name())
    }
}

/// `UpdateUserAttributes` -> `update-user-attributes`.
pub fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not an operation the suite knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation `{0}`")]
pub struct UnknownOperation(pub String);

impl FromStr for Operation {
    type Err = UnknownOperation;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Operation::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .ok_or_else(|| UnknownOperation(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_directories_are_kebab_case() {
        for op in Operation::ALL {
            assert_eq!(op.name().parse::<Operation>(), Ok(op));
        }
        assert_eq!(
            Operation::UpdateUserAttributes.dir(),
            "update-user-attributes"
        );
        assert!("DeleteUsr".parse::<Operation>().is_err());
        assert!(!Operation::GetUser.is_covered());
        assert!(Operation::AddCustomAttributes.is_covered());
        assert_eq!(
            Operation::GetUserAttributeVerificationCode.dir(),
            "get-user-attribute-verification-code"
        );
    }
}
