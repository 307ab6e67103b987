//! Why an access token is refused, in the order the checks run, with Cognito's answer to each.
//!
//! The order (after input validation): the token must be a well-formed RS256 JWT with a valid
//! signature and `token_use = access`; then unexpired; then its pool must exist; then its user;
//! then it must not be revoked (GlobalSignOut); then it must carry the
//! `aws.cognito.signin.user.admin` scope; then the user must be confirmed. Messages are the ones
//! `contract/requirements.toml` shows real Cognito answering, and the suite's strict-tier guesses
//! where it shows none.

/// The scope the self-service operations require.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// A refused access token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenRejection {
    /// Not a JWT, bad signature, `alg` other than RS256 (incl. `none`), not an access token,
    /// claims tampered.
    #[error("Invalid Access Token")]
    Invalid,
    /// Past its `exp`.
    #[error("Access Token has expired")]
    Expired,
    /// Its user pool was deleted.
    #[error("User pool {0} does not exist.")]
    PoolGone(String),
    /// Its user was deleted (by an administrator or by DeleteUser).
    #[error("User does not exist.")]
    UserGone,
    /// Revoked by GlobalSignOut.
    #[error("Access Token has been revoked")]
    Revoked,
    /// Lacks [`ADMIN_SCOPE`].
    #[error("Access Token does not have required scopes")]
    MissingScope,
    /// The user has not confirmed sign-up.
    #[error("User is not confirmed.")]
    NotConfirmed,
}

impl TokenRejection {
    /// The error type Cognito answers with.
    pub fn error_type(&self) -> &'static str {
        match self {
            TokenRejection::Invalid
            | TokenRejection::Expired
            | TokenRejection::Revoked
            | TokenRejection::MissingScope => "NotAuthorizedException",
            TokenRejection::PoolGone(_) => "ResourceNotFoundException",
            TokenRejection::UserGone => "UserNotFoundException",
            TokenRejection::NotConfirmed => "UserNotConfirmedException",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_messages() {
        assert_eq!(
            TokenRejection::Expired.to_string(),
            "Access Token has expired"
        );
        assert_eq!(
            TokenRejection::PoolGone("us-east-1_X".into()).to_string(),
            "User pool us-east-1_X does not exist."
        );
        assert_eq!(
            TokenRejection::PoolGone(String::new()).error_type(),
            "ResourceNotFoundException"
        );
        assert_eq!(
            TokenRejection::Revoked.error_type(),
            "NotAuthorizedException"
        );
        assert_eq!(
            TokenRejection::NotConfirmed.error_type(),
            "UserNotConfirmedException"
        );
        assert_eq!(
            TokenRejection::UserGone.error_type(),
            "UserNotFoundException"
        );
    }
}
