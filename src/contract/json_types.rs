//! JSON type checking of an input body against the model: the `SerializationException` layer.
//!
//! Coral deserializes the body into the input structure before validating it; a JSON value of
//! the wrong kind (an object where a string belongs, a string where a list belongs) fails there,
//! with `SerializationException` and a Jackson-style message such as
//! `Start of structure or map found where not expected.` (observed on other Cognito operations,
//! amplify-js#5165). A `null` is never a type error: it means "absent", and a missing required
//! member is a validation error (`Member must not be null`) found later by
//! [`crate::contract::validate`]. Unknown members are ignored.

use serde_json::Value;

use super::model::{Model, Shape};
use super::validate::member_path_segment;

/// The first JSON value of the wrong kind in a body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TypeMismatch {
    /// Member path of the offending value (for diagnostics; AWS does not show it).
    pub path: String,
    /// What was wrong.
    pub fault: TypeFault,
    /// The `SerializationException` message.
    pub message: String,
}

/// What kind of value was where another kind belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeFault {
    /// An object where a scalar or a list belongs.
    ObjectWhereScalarOrList,
    /// An array where a scalar, a map or a structure belongs.
    ArrayWhereScalarOrMap,
    /// A scalar where a map belongs.
    ScalarWhereMap,
    /// A scalar where a list or a structure belongs.
    ScalarWhereListOrStructure,
    /// A scalar of the wrong kind (a number or boolean where a string belongs).
    ScalarWhereScalar,
}

/// Message for an object where a scalar or list belongs (seen on Cognito).
pub const UNEXPECTED_STRUCTURE: &str = "Start of structure or map found where not expected.";
/// Message for a scalar where a map belongs (seen on Cognito).
pub const EXPECTED_MAP: &str = "Expected map or null";
/// Message for an array where a scalar or structure belongs: Coral's (DynamoDB's) older text;
/// no capture from Cognito, so no case asserts it.
pub const UNEXPECTED_LIST: &str = "Start of list found where not expected";
/// Message for a scalar where a list or structure belongs: Coral's current text; no capture
/// from Cognito.
pub const UNEXPECTED_FIELD_TYPE: &str = "Unexpected field type";

/// Check `body` against the input shape of `operation`. The body itself must be a JSON object
/// (or the check fails at the root); an unknown operation has nothing to check.
pub fn check_json_types(operation: &str, body: &Value) -> Result<(), TypeMismatch> {
    let model = Model::get();
    let Some(shape) = model
        .operation(operation)
        .and_then(|o| o.input.as_deref())
        .and_then(|s| model.shape(s))
    else {
        return Ok(());
    };
    check(model, shape, body, "")
}

fn check(model: &Model, shape: &Shape, v: &Value, path: &str) -> Result<(), TypeMismatch> {
    let fail = |message: String| {
        Err(TypeMismatch {
            path: path.to_string(),
            fault: fault_of(&message),
            message,
        })
    };
    if v.is_null() {
        return Ok(());
    }
    match shape.kind.as_str() {
        "string" => match v {
            Value::String(_) => Ok(()),
            other => fail(scalar_mismatch(other, "String")),
        },
        "integer" | "long" => match v {
            Value::Number(n)
                if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(f64::is_finite) =>
            {
                Ok(())
            }
            other => fail(scalar_mismatch(other, "Integer")),
        },
        "boolean" => match v {
            Value::Bool(_) => Ok(()),
            other => fail(scalar_mismatch(other, "Boolean")),
        },
        "timestamp" => match v {
            Value::Number(_) | Value::String(_) => Ok(()),
            other => fail(scalar_mismatch(other, "Date")),
        },
        "list" => match v {
            Value::Array(items) => {
                let Some(elem) = shape.member.as_ref().and_then(|m| model.shape(&m.shape)) else {
                    return Ok(());
                };
                for (i, item) in items.iter().enumerate() {
                    check(model, elem, item, &format!("{path}.{}.member", i + 1))?;
                }
                Ok(())
            }
            Value::Object(_) => fail(UNEXPECTED_STRUCTURE.to_string()),
            _ => fail(UNEXPECTED_FIELD_TYPE.to_string()),
        },
        "map" => match v {
            Value::Object(entries) => {
                let Some(val) = shape.value.as_ref().and_then(|m| model.shape(&m.shape)) else {
                    return Ok(());
                };
                for (k, item) in entries {
                    check(model, val, item, &format!("{path}.{k}"))?;
                }
                Ok(())
            }
            Value::Array(_) => fail(UNEXPECTED_LIST.to_string()),
            _ => fail(EXPECTED_MAP.to_string()),
        },
        "structure" => match v {
            Value::Object(obj) => {
                for (name, member) in shape.members.iter() {
                    let (Some(item), Some(target)) = (obj.get(name), model.shape(&member.shape))
                    else {
                        continue;
                    };
                    let p = if path.is_empty() {
                        member_path_segment(name)
                    } else {
                        format!("{path}.{}", member_path_segment(name))
                    };
                    check(model, target, item, &p)?;
                }
                Ok(())
            }
            Value::Array(_) => fail(UNEXPECTED_LIST.to_string()),
            _ => fail(UNEXPECTED_FIELD_TYPE.to_string()),
        },
        _ => Ok(()),
    }
}

/// The kind of a mismatch, from its message (every message above is one kind's).
fn fault_of(message: &str) -> TypeFault {
    match message {
        UNEXPECTED_STRUCTURE => TypeFault::ObjectWhereScalarOrList,
        UNEXPECTED_LIST => TypeFault::ArrayWhereScalarOrMap,
        EXPECTED_MAP => TypeFault::ScalarWhereMap,
        UNEXPECTED_FIELD_TYPE => TypeFault::ScalarWhereListOrStructure,
        _ => TypeFault::ScalarWhereScalar,
    }
}

/// Message for a value of the wrong kind where a scalar of type `java_type` belongs. The
/// `class ... can not be converted to an String` wording is what Coral services answer for a
/// number or boolean in a string member.
fn scalar_mismatch(v: &Value, java_type: &str) -> String {
    match v {
        Value::Object(_) => UNEXPECTED_STRUCTURE.to_string(),
        Value::Array(_) => UNEXPECTED_LIST.to_string(),
        Value::Number(_) => format!(
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an {java_type}"
        ),
        Value::Bool(_) => format!("class java.lang.Boolean can not be converted to an {java_type}"),
        Value::String(_) => {
            format!("class java.lang.String can not be converted to an {java_type}")
        }
        Value::Null => UNEXPECTED_FIELD_TYPE.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn msg(op: &str, body: Value) -> Option<String> {
        check_json_types(op, &body).err().map(|e| e.message)
    }

    #[test]
    fn correct_types_pass() {
        assert_eq!(
            msg(
                "UpdateUserAttributes",
                json!({"AccessToken": "a", "UserAttributes": [{"Name": "n", "Value": "v"}], "ClientMetadata": {"k": "v"}})
            ),
            None
        );
        assert_eq!(msg("ListUserPools", json!({"MaxResults": 10})), None);
    }

    #[test]
    fn object_where_string_expected() {
        assert_eq!(
            msg("DeleteUser", json!({"AccessToken": {"a": 1}})).as_deref(),
            Some(UNEXPECTED_STRUCTURE)
        );
    }

    #[test]
    fn string_where_list_expected() {
        assert_eq!(
            msg(
                "DeleteUserAttributes",
                json!({"AccessToken": "a", "UserAttributeNames": "email"})
            )
            .as_deref(),
            Some(UNEXPECTED_FIELD_TYPE)
        );
    }

    #[test]
    fn array_where_string_expected_and_nested_paths() {
        let e = check_json_types(
            "UpdateUserAttributes",
            &json!({"AccessToken": "a", "UserAttributes": [{"Name": ["x"]}]}),
        )
        .unwrap_err();
        assert_eq!(e.message, UNEXPECTED_LIST);
        assert_eq!(e.path, "userAttributes.1.member.name");
    }

    #[test]
    fn number_and_bool_where_string_expected() {
        assert!(
            msg("DeleteUser", json!({"AccessToken": 5}))
                .unwrap()
                .ends_with("can not be converted to an String")
        );
        assert!(
            msg("DeleteUser", json!({"AccessToken": true}))
                .unwrap()
                .starts_with("class java.lang.Boolean")
        );
        assert!(
            msg("ListUserPools", json!({"MaxResults": "5"}))
                .unwrap()
                .ends_with("an Integer")
        );
    }

    #[test]
    fn null_is_never_a_type_error() {
        assert_eq!(msg("DeleteUser", json!({"AccessToken": null})), None);
        assert_eq!(
            msg(
                "DeleteUserAttributes",
                json!({"UserAttributeNames": [null]})
            ),
            None
        );
    }

    #[test]
    fn root_must_be_an_object() {
        assert_eq!(
            msg("DeleteUser", json!([])).as_deref(),
            Some(UNEXPECTED_LIST)
        );
        assert_eq!(
            msg("DeleteUser", json!("x")).as_deref(),
            Some(UNEXPECTED_FIELD_TYPE)
        );
    }

    #[test]
    fn unknown_members_are_ignored() {
        assert_eq!(
            msg(
                "DeleteUser",
                json!({"AccessToken": "a", "Other": {"x": [1]}})
            ),
            None
        );
    }
}
