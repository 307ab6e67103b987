//! A generated case: the user to start from (a fixture's `given`) and the calls made with its
//! access token or, for the administrator operations, SigV4-signed with the target's
//! credentials naming the user's pool and username; each a fixture's `when`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value, json};

use crate::case::fixture::{Given, When};
use crate::generate::attributes::Write;
use crate::generate::{ACCESS_TOKEN, POOL_ID, USERNAME};
use crate::text::{compress, escape_controls};
use crate::vocab::Operation;

/// One call about the case's user (or, for AddCustomAttributes, its pool).
#[derive(Clone)]
pub enum Action {
    /// UpdateUserAttributes with these writes (and optional ClientMetadata).
    Update {
        /// `{Name, Value}` pairs in request order.
        writes: Vec<Write>,
        /// ClientMetadata, when sent.
        client_metadata: Option<BTreeMap<String, String>>,
    },
    /// DeleteUserAttributes of these names.
    DeleteAttributes {
        /// `UserAttributeNames` in request order.
        names: Vec<String>,
    },
    /// DeleteUser.
    DeleteUser,
    /// GetUser (its attributes must be the user's stored ones).
    GetUser,
    /// GlobalSignOut (revokes the token).
    GlobalSignOut,
    /// AdminUpdateUserAttributes of the user with these writes (and optional ClientMetadata).
    AdminUpdate {
        /// `{Name, Value}` pairs in request order.
        writes: Vec<Write>,
        /// ClientMetadata, when sent.
        client_metadata: Option<BTreeMap<String, String>>,
    },
    /// AdminDeleteUserAttributes of these names.
    AdminDeleteAttributes {
        /// `UserAttributeNames` in request order.
        names: Vec<String>,
    },
    /// GetUserAttributeVerificationCode for one attribute.
    VerificationCode {
        /// `AttributeName`.
        name: String,
        /// ClientMetadata, when sent.
        client_metadata: Option<BTreeMap<String, String>>,
    },
    /// AddCustomAttributes to the user's pool (a pool of the case's own).
    AddCustomAttributes {
        /// `CustomAttributes`: `SchemaAttributeType` objects as sent.
        definitions: Vec<Value>,
    },
    /// A request exactly as given: an invalid input or a protocol fault.
    Raw {
        /// The request.
        when: When,
        /// What is wrong with it, e.g. `userAttributes.1.member.name: pattern`.
        fault: String,
        /// The fault as a name (the constraint or protocol fault), for file names.
        name: String,
    },
}

impl Action {
    /// The operation called.
    pub fn operation(&self) -> Operation {
        match self {
            Action::Update { .. } => Operation::UpdateUserAttributes,
            Action::DeleteAttributes { .. } => Operation::DeleteUserAttributes,
            Action::DeleteUser => Operation::DeleteUser,
            Action::GetUser => Operation::GetUser,
            Action::GlobalSignOut => Operation::GlobalSignOut,
            Action::AdminUpdate { .. } => Operation::AdminUpdateUserAttributes,
            Action::AdminDeleteAttributes { .. } => Operation::AdminDeleteUserAttributes,
            Action::VerificationCode { .. } => Operation::GetUserAttributeVerificationCode,
            Action::AddCustomAttributes { .. } => Operation::AddCustomAttributes,
            Action::Raw { when, .. } => when.operation,
        }
    }

    /// The JSON body of a well-formed action (`None` for [`Action::Raw`]), members in model
    /// order, the token as `{{access_token}}`, the pool and user as `{{pool_id}}` and
    /// `{{username}}`.
    pub fn body(&self) -> Option<Value> {
        let token = || Value::String(ACCESS_TOKEN.into());
        let pool = || Value::String(POOL_ID.into());
        let user = || Value::String(USERNAME.into());
        let mut body = Map::new();
        match self {
            Action::Update {
                writes,
                client_metadata,
            } => {
                body.insert("UserAttributes".into(), user_attributes(writes));
                body.insert("AccessToken".into(), token());
                metadata(&mut body, client_metadata);
            }
            Action::DeleteAttributes { names } => {
                body.insert("UserAttributeNames".into(), json!(names));
                body.insert("AccessToken".into(), token());
            }
            Action::DeleteUser | Action::GetUser | Action::GlobalSignOut => {
                body.insert("AccessToken".into(), token());
            }
            Action::AdminUpdate {
                writes,
                client_metadata,
            } => {
                body.insert("UserPoolId".into(), pool());
                body.insert("Username".into(), user());
                body.insert("UserAttributes".into(), user_attributes(writes));
                metadata(&mut body, client_metadata);
            }
            Action::AdminDeleteAttributes { names } => {
                body.insert("UserPoolId".into(), pool());
                body.insert("Username".into(), user());
                body.insert("UserAttributeNames".into(), json!(names));
            }
            Action::VerificationCode {
                name,
                client_metadata,
            } => {
                body.insert("AccessToken".into(), token());
                body.insert("AttributeName".into(), json!(name));
                metadata(&mut body, client_metadata);
            }
            Action::AddCustomAttributes { definitions } => {
                body.insert("UserPoolId".into(), pool());
                body.insert("CustomAttributes".into(), json!(definitions));
            }
            Action::Raw { .. } => return None,
        }
        Some(Value::Object(body))
    }

    /// The request as a fixture's `when` (the body always as `raw_body` JSON text, so that
    /// nulls and wrong types survive).
    pub fn when(&self) -> When {
        match self {
            Action::Raw { when, .. } => when.clone(),
            other => When {
                operation: other.operation(),
                body: None,
                raw_body: other.body().map(|b| b.to_string()),
                headers: BTreeMap::new(),
                remove_headers: vec![],
                method: Default::default(),
                path: None,
            },
        }
    }

    /// The administrator's call of a self-service write (UpdateUserAttributes ->
    /// AdminUpdateUserAttributes, DeleteUserAttributes -> AdminDeleteUserAttributes) with the
    /// same attributes; any other action as it is.
    pub fn by_administrator(self) -> Action {
        match self {
            Action::Update {
                writes,
                client_metadata,
            } => Action::AdminUpdate {
                writes,
                client_metadata,
            },
            Action::DeleteAttributes { names } => Action::AdminDeleteAttributes { names },
            other => other,
        }
    }

    /// Whether the action carries a deliberate fault.
    pub fn is_raw(&self) -> bool {
        matches!(self, Action::Raw { .. })
    }
}

/// `UserAttributes`: a `{Name, Value}` per write (`{Name}` alone for a missing value).
fn user_attributes(writes: &[Write]) -> Value {
    Value::Array(
        writes
            .iter()
            .map(|(n, v)| match v {
                Some(v) => json!({"Name": n, "Value": v}),
                None => json!({ "Name": n }),
            })
            .collect(),
    )
}

/// `ClientMetadata`, when sent.
fn metadata(body: &mut Map<String, Value>, client_metadata: &Option<BTreeMap<String, String>>) {
    if let Some(m) = client_metadata {
        body.insert("ClientMetadata".into(), json!(m));
    }
}

impl fmt::Debug for Action {
    /// One line: the operation, the body as sent (before placeholders are expanded) and any
    /// header change.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let when = self.when();
        write!(f, "{}", when.operation)?;
        if let Action::Raw { fault, .. } = self {
            write!(f, " [{fault}]")?;
        }
        if let Some(body) = &when.raw_body {
            write!(f, " {}", escape_controls(&compress(body)))?;
        }
        for (h, v) in &when.headers {
            write!(f, " (header {h}: {v})")?;
        }
        for h in &when.remove_headers {
            write!(f, " (without {h})")?;
        }
        Ok(())
    }
}

/// A generated case.
#[derive(Clone)]
pub struct GenCase {
    /// Pool, app client and the user's attributes at creation (token: a fresh access token).
    pub given: Given,
    /// The calls, in order.
    pub actions: Vec<Action>,
}

impl fmt::Debug for GenCase {
    /// The case as a reader needs it to reproduce it by hand: set-up, then one call per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = &self.given;
        let attrs: Vec<String> = g
            .user
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={}", escape_controls(&format!("{:?}", compress(v)))))
            .collect();
        writeln!(
            f,
            "given: pool {}, client {}, user attributes {{{}}} (plus the default e-mail)",
            kebab(&format!("{:?}", g.pool)),
            kebab(&format!("{:?}", g.client)),
            attrs.join(", ")
        )?;
        for (i, a) in self.actions.iter().enumerate() {
            writeln!(f, "{}. {a:?}", i + 1)?;
        }
        Ok(())
    }
}

/// `VerifyBeforeUpdate` -> `verify-before-update`.
fn kebab(name: &str) -> String {
    crate::case::operation_dir(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_follow_the_model_and_carry_the_token_placeholder() {
        let a = Action::Update {
            writes: vec![
                ("name".into(), Some("Ada".into())),
                ("nickname".into(), None),
            ],
            client_metadata: None,
        };
        assert_eq!(
            a.when().raw_body.unwrap(),
            r#"{"UserAttributes":[{"Name":"name","Value":"Ada"},{"Name":"nickname"}],"AccessToken":"{{access_token}}"}"#
        );
        let d = Action::DeleteAttributes {
            names: vec!["name".into()],
        };
        assert_eq!(d.operation(), Operation::DeleteUserAttributes);
        assert_eq!(
            format!("{d:?}"),
            r#"DeleteUserAttributes {"UserAttributeNames":["name"],"AccessToken":"{{access_token}}"}"#
        );
    }

    #[test]
    fn administrator_bodies_name_the_pool_and_user_and_carry_no_token() {
        let a = Action::AdminUpdate {
            writes: vec![("name".into(), Some("Ada".into()))],
            client_metadata: None,
        };
        assert_eq!(
            a.when().raw_body.unwrap(),
            r#"{"UserPoolId":"{{pool_id}}","Username":"{{username}}","UserAttributes":[{"Name":"name","Value":"Ada"}]}"#
        );
        let d = Action::AdminDeleteAttributes {
            names: vec!["name".into()],
        };
        assert_eq!(d.operation(), Operation::AdminDeleteUserAttributes);
        assert!(!d.when().raw_body.unwrap().contains("access_token"));
        let c = Action::VerificationCode {
            name: "email".into(),
            client_metadata: None,
        };
        assert_eq!(
            c.when().raw_body.unwrap(),
            r#"{"AccessToken":"{{access_token}}","AttributeName":"email"}"#
        );
        let x = Action::AddCustomAttributes {
            definitions: vec![json!({"Name": "tier", "AttributeDataType": "String"})],
        };
        assert_eq!(
            x.when().raw_body.unwrap(),
            r#"{"UserPoolId":"{{pool_id}}","CustomAttributes":[{"Name":"tier","AttributeDataType":"String"}]}"#
        );
    }

    #[test]
    fn debug_stays_on_one_line_per_call() {
        let raw = Action::Raw {
            when: When {
                operation: Operation::DeleteUser,
                body: None,
                raw_body: Some("{\"Access\u{1}Token\":1}".into()),
                headers: Default::default(),
                remove_headers: vec!["X-Amz-Target".into()],
                method: Default::default(),
                path: None,
            },
            fault: "raw-control-char".into(),
            name: "raw-control-char".into(),
        };
        let shown = format!("{raw:?}");
        assert!(
            !shown.contains('\u{1}') && shown.contains("\\u{1}"),
            "{shown}"
        );
        assert!(shown.ends_with("(without X-Amz-Target)"));
    }
}
