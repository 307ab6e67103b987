//! Errors as the reference sends them: an AWS JSON 1.1 error response.
//!
//! Body `{"__type":"<Type>","message":"<msg>"}` (capital `Message` for protocol-level
//! `SerializationException`, as Coral sends it), header `x-amzn-ErrorType: <Type>:` (real
//! Cognito appends a colon), `x-amzn-ErrorMessage` when the message is header-safe, HTTP 400,
//! or the status the service model declares (500 for `InternalErrorException`).

use serde_json::{Map, Value};

use crate::contract::Model;
use crate::contract::custom_attributes::CustomAttributeError;
use crate::contract::rules::RuleError;
use crate::contract::token::TokenRejection;
use crate::contract::verification::VerificationError;

/// An error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Error type, e.g. `NotAuthorizedException`.
    pub kind: String,
    /// Message, if any.
    pub message: Option<String>,
    /// Send the message as `Message` instead of `message`.
    pub capital_message: bool,
    /// HTTP status override (otherwise the model's, or 400).
    pub status: Option<u16>,
}

impl ApiError {
    /// An error with a message.
    pub fn new(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            kind: kind.to_string(),
            message: Some(message.into()),
            capital_message: false,
            status: None,
        }
    }

    /// An error without a message.
    pub fn bare(kind: &str) -> ApiError {
        ApiError {
            kind: kind.to_string(),
            message: None,
            capital_message: false,
            status: None,
        }
    }

    /// `InvalidParameterException`.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new("InvalidParameterException", message)
    }

    /// `SerializationException` with `Message`.
    pub fn serialization(message: impl Into<String>) -> ApiError {
        ApiError {
            capital_message: true,
            ..ApiError::new("SerializationException", message)
        }
    }

    /// `UnknownOperationException` (unroutable request).
    pub fn unknown_operation() -> ApiError {
        ApiError::bare("UnknownOperationException")
    }

    /// `InternalErrorException` (500).
    pub fn internal() -> ApiError {
        ApiError::new("InternalErrorException", "Internal server error.")
    }

    /// `ResourceNotFoundException` for a missing pool.
    pub fn no_pool(pool_id: &str) -> ApiError {
        ApiError::new(
            "ResourceNotFoundException",
            format!("User pool {pool_id} does not exist."),
        )
    }

    /// `UserNotFoundException`.
    pub fn no_user() -> ApiError {
        ApiError::new("UserNotFoundException", "User does not exist.")
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
            .or_else(|| Model::get().error_status(&self.kind))
            .unwrap_or(400)
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        m.insert("__type".into(), Value::String(self.kind.clone()));
        if let Some(msg) = &self.message {
            let key = if self.capital_message {
                "Message"
            } else {
                "message"
            };
            m.insert(key.into(), Value::String(msg.clone()));
        }
        Value::Object(m)
    }

    /// [`ApiError::body`] with the message member a list of texts, `["..."]`: what an emulator
    /// that collects validation errors sends (`breaks::Break::MessageAsList`).
    pub fn listed_message_body(&self) -> Value {
        let mut body = self.body();
        if let Some(m) = body.as_object_mut() {
            for key in ["message", "Message"] {
                if let Some(text) = m.remove(key) {
                    m.insert(key.into(), Value::Array(vec![text]));
                }
            }
        }
        body
    }

    /// The body as the query protocol names an error, `{"Error":{"Code","Message"}}`: what an
    /// emulator sharing one error writer across protocols sends (the wire-format break,
    /// `breaks::Break::QueryStyleErrors`).
    pub fn query_style_body(&self) -> Value {
        let mut error = Map::new();
        error.insert("Code".into(), Value::String(self.kind.clone()));
        if let Some(msg) = &self.message {
            error.insert("Message".into(), Value::String(msg.clone()));
        }
        let mut m = Map::new();
        m.insert("Error".into(), Value::Object(error));
        Value::Object(m)
    }
}

impl From<RuleError> for ApiError {
    fn from(e: RuleError) -> ApiError {
        ApiError::new(e.error_type(), e.to_string())
    }
}

impl From<CustomAttributeError> for ApiError {
    fn from(e: CustomAttributeError) -> ApiError {
        ApiError::new(e.error_type(), e.to_string())
    }
}

impl From<VerificationError> for ApiError {
    fn from(e: VerificationError) -> ApiError {
        ApiError::new(e.error_type(), e.to_string())
    }
}

impl From<TokenRejection> for ApiError {
    fn from(e: TokenRejection) -> ApiError {
        ApiError::new(e.error_type(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_bodies() {
        assert_eq!(ApiError::internal().status(), 500);
        assert_eq!(ApiError::invalid("x").status(), 400);
        assert_eq!(ApiError::unknown_operation().status(), 400);
        assert_eq!(
            ApiError::serialization("m").body(),
            serde_json::json!({"__type": "SerializationException", "Message": "m"})
        );
        assert_eq!(
            ApiError::no_user().body(),
            serde_json::json!({"__type": "UserNotFoundException", "message": "User does not exist."})
        );
        let e: ApiError = TokenRejection::Expired.into();
        assert_eq!(e.kind, "NotAuthorizedException");
    }
}
