//! Input validation derived from the service model, with AWS's message format.
//!
//! Cognito (like every Coral service) checks each input member against its shape's `required`,
//! `min`/`max`, `pattern` and `enum` traits and reports *all* violations in one
//! `InvalidParameterException`:
//! `2 validation errors detected: Value '' at 'userAttributes.1.member.name' failed to satisfy
//! constraint: Member must have length greater than or equal to 1; ...`.
//! Member paths are the lowerCamelCase member names joined by `.`; list elements are
//! `<list>.<1-based index>.member`. Values of `sensitive` shapes (and anything inside one) are
//! never echoed: `Value at 'accessToken' ...`. Unknown members are ignored, as AWS does, and a
//! JSON `null` counts as absent. JSON *type* errors are not validation errors: they are found
//! earlier by [`crate::contract::json_types`] and answered with `SerializationException`.

use std::fmt;

use serde_json::Value;

use super::model::{Model, Shape};
use super::pattern::full_match;

/// How the offending value appears in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// `Value 'abc' at ...`: the value of a non-sensitive member.
    Value(String),
    /// `Value null at ...`: a missing non-sensitive member.
    Null,
    /// `Value at ...`: a sensitive member; its value (or absence) is not shown.
    Hidden,
}

/// The constraint a value broke, rendered as AWS's `Member must ...` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// Required member missing or null.
    NotNull,
    /// String, list or map shorter than `min`.
    MinLength(i64),
    /// String, list or map longer than `max`.
    MaxLength(i64),
    /// String does not match the (whole-string) pattern.
    Pattern(String),
    /// String not one of the enum values.
    Enum(Vec<String>),
    /// Number below `min`.
    MinValue(i64),
    /// Number above `max`.
    MaxValue(i64),
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::NotNull => f.write_str("Member must not be null"),
            Constraint::MinLength(n) => {
                write!(f, "Member must have length greater than or equal to {n}")
            }
            Constraint::MaxLength(n) => {
                write!(f, "Member must have length less than or equal to {n}")
            }
            Constraint::Pattern(p) => {
                write!(f, "Member must satisfy regular expression pattern: {p}")
            }
            Constraint::Enum(values) => write!(
                f,
                "Member must satisfy enum value set: [{}]",
                values.join(", ")
            ),
            Constraint::MinValue(n) => {
                write!(f, "Member must have value greater than or equal to {n}")
            }
            Constraint::MaxValue(n) => {
                write!(f, "Member must have value less than or equal to {n}")
            }
        }
    }
}

/// One broken constraint at one member path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Member path, e.g. `userAttributes.1.member.name`.
    pub path: String,
    /// What the message shows of the value.
    pub shown: Shown,
    /// The constraint.
    pub constraint: Constraint,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shown {
            Shown::Value(v) => write!(f, "Value '{v}' at '{}'", self.path)?,
            Shown::Null => write!(f, "Value null at '{}'", self.path)?,
            Shown::Hidden => write!(f, "Value at '{}'", self.path)?,
        }
        write!(f, " failed to satisfy constraint: {}", self.constraint)
    }
}

/// The `InvalidParameterException` message for `violations`, or `None` when there are none:
/// `1 validation error detected: X` / `2 validation errors detected: X; Y`.
pub fn validation_message(violations: &[Violation]) -> Option<String> {
    let (first, rest) = violations.split_first()?;
    let noun = if rest.is_empty() { "error" } else { "errors" };
    let mut out = format!("{} validation {noun} detected: {first}", violations.len());
    for v in rest {
        out.push_str("; ");
        out.push_str(&v.to_string());
    }
    Some(out)
}

/// Every model-constraint violation of `body` as input of `operation`, in model member order.
/// An unknown operation, or a body that is not a JSON object, yields none (those are protocol
/// errors, handled before validation).
pub fn validate_input(operation: &str, body: &Value) -> Vec<Violation> {
    let model = Model::get();
    let mut out = Vec::new();
    let Some(input) = model.operation(operation).and_then(|o| o.input.as_deref()) else {
        return out;
    };
    if let (Some(shape), Some(obj)) = (model.shape(input), body.as_object()) {
        let walker = Walker { model };
        walker.structure(shape, obj, "", shape.sensitive, &mut out);
    }
    out
}

/// The member a violation is on, as the registry's requirements tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// `accessToken` (sensitive).
    AccessToken,
    /// An attribute name (`userAttributes.N.member.name`, `userAttributeNames.N.member`,
    /// `attributeName`).
    AttributeName,
    /// An attribute value.
    AttributeValue,
    /// A `clientMetadata` key or value.
    ClientMetadata,
    /// `userPoolId`.
    UserPoolId,
    /// `username` (sensitive).
    Username,
    /// The `customAttributes` list of AddCustomAttributes.
    CustomAttributes,
    /// The name of a new custom attribute (`customAttributes.N.member.name`).
    CustomAttributeName,
    /// The type of a new custom attribute (`customAttributes.N.member.attributeDataType`).
    CustomAttributeType,
    /// Any other member.
    Other,
}

impl Member {
    /// The member at a violation's path (`userAttributes.1.member.name`).
    pub fn at(path: &str) -> Member {
        if path == "accessToken" {
            Member::AccessToken
        } else if path == "userPoolId" {
            Member::UserPoolId
        } else if path == "username" {
            Member::Username
        } else if path.starts_with("clientMetadata") {
            Member::ClientMetadata
        } else if path == "customAttributes" {
            Member::CustomAttributes
        } else if path.starts_with("customAttributes") && path.ends_with(".name") {
            Member::CustomAttributeName
        } else if path.starts_with("customAttributes") && path.ends_with(".attributeDataType") {
            Member::CustomAttributeType
        } else if path.starts_with("userAttributeNames")
            || path.ends_with(".name")
            || path == "attributeName"
        {
            Member::AttributeName
        } else if path.ends_with(".value") {
            Member::AttributeValue
        } else {
            Member::Other
        }
    }

    /// The requirement a violation on this member breaks (`missing`: absent or null).
    pub fn requirement(self, missing: bool) -> &'static str {
        match (missing, self) {
            (true, Member::AccessToken) => "validation.access-token-missing",
            (true, _) => "validation.required-member-missing",
            (false, Member::AccessToken) => "validation.access-token-pattern",
            (false, Member::AttributeName) => "validation.attribute-name",
            (false, Member::AttributeValue) => "validation.attribute-value-length",
            (false, Member::ClientMetadata) => "validation.client-metadata-length",
            (false, Member::UserPoolId) => "validation.user-pool-id",
            (false, Member::Username) => "validation.username",
            (false, Member::CustomAttributes) => "custom-attribute.list-bounds",
            (false, Member::CustomAttributeName) => "custom-attribute.name-length",
            (false, Member::CustomAttributeType) => "custom-attribute.invalid-data-type",
            (false, Member::Other) => "validation.required-member-missing",
        }
    }
}

/// The requirement of the registry a violation breaks.
pub fn requirement_of(v: &Violation) -> &'static str {
    Member::at(&v.path).requirement(v.constraint == Constraint::NotNull)
}

/// lowerCamelCase of a member name: `AccessToken` -> `accessToken`.
pub fn member_path_segment(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Depth-first walk over a value and its shape.
struct Walker {
    model: &'static Model,
}

impl Walker {
    fn structure(
        &self,
        shape: &Shape,
        obj: &serde_json::Map<String, Value>,
        prefix: &str,
        sensitive: bool,
        out: &mut Vec<Violation>,
    ) {
        for (name, member) in shape.members.iter() {
            let path = join(prefix, &member_path_segment(name));
            let Some(target) = self.model.shape(&member.shape) else {
                continue;
            };
            let hidden = sensitive || target.sensitive;
            match obj.get(name) {
                None | Some(Value::Null) => {
                    if shape.required.iter().any(|r| r == name) {
                        let shown = if hidden { Shown::Hidden } else { Shown::Null };
                        out.push(Violation {
                            path,
                            shown,
                            constraint: Constraint::NotNull,
                        });
                    }
                }
                Some(v) => self.value(target, v, &path, hidden, out),
            }
        }
    }

    fn value(&self, shape: &Shape, v: &Value, path: &str, hidden: bool, out: &mut Vec<Violation>) {
        let shown = || {
            if hidden {
                Shown::Hidden
            } else {
                Shown::Value(render(v))
            }
        };
        let mut push = |constraint| {
            out.push(Violation {
                path: path.to_string(),
                shown: shown(),
                constraint,
            })
        };
        match (shape.kind.as_str(), v) {
            ("string", Value::String(s)) => {
                let len = i64::try_from(s.chars().count()).unwrap_or(i64::MAX);
                if let Some(min) = shape.min.filter(|m| len < *m) {
                    push(Constraint::MinLength(min));
                }
                if let Some(max) = shape.max.filter(|m| len > *m) {
                    push(Constraint::MaxLength(max));
                }
                if let Some(p) = &shape.pattern
                    && full_match(p, s) == Some(false)
                {
                    push(Constraint::Pattern(p.clone()));
                }
                if let Some(values) = &shape.enum_values
                    && !values.iter().any(|e| e == s)
                {
                    push(Constraint::Enum(values.clone()));
                }
            }
            ("integer" | "long", Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(0.0);
                if let Some(min) = shape.min.filter(|m| x < *m as f64) {
                    push(Constraint::MinValue(min));
                }
                if let Some(max) = shape.max.filter(|m| x > *m as f64) {
                    push(Constraint::MaxValue(max));
                }
            }
            ("list", Value::Array(items)) => {
                length_bounds(shape, items.len(), &mut push);
                let Some(elem) = shape
                    .member
                    .as_ref()
                    .and_then(|m| self.model.shape(&m.shape))
                else {
                    return;
                };
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}.{}.member", i + 1);
                    let hidden = hidden || elem.sensitive;
                    if item.is_null() {
                        let shown = if hidden { Shown::Hidden } else { Shown::Null };
                        out.push(Violation {
                            path: p,
                            shown,
                            constraint: Constraint::NotNull,
                        });
                    } else {
                        self.value(elem, item, &p, hidden, out);
                    }
                }
            }
            ("map", Value::Object(entries)) => {
                length_bounds(shape, entries.len(), &mut push);
                let key = shape.key.as_ref().and_then(|m| self.model.shape(&m.shape));
                let val = shape
                    .value
                    .as_ref()
                    .and_then(|m| self.model.shape(&m.shape));
                for (k, item) in entries {
                    let p = format!("{path}.{k}");
                    if let Some(ks) = key {
                        self.value(
                            ks,
                            &Value::String(k.clone()),
                            &p,
                            hidden || ks.sensitive,
                            out,
                        );
                    }
                    if let (Some(vs), false) = (val, item.is_null()) {
                        self.value(vs, item, &p, hidden || vs.sensitive, out);
                    }
                }
            }
            ("structure", Value::Object(obj)) => self.structure(shape, obj, path, hidden, out),
            // Type mismatches are SerializationException territory (json_types), not ours.
            _ => {}
        }
    }
}

fn length_bounds(shape: &Shape, len: usize, push: &mut impl FnMut(Constraint)) {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    if let Some(min) = shape.min.filter(|m| len < *m) {
        push(Constraint::MinLength(min));
    }
    if let Some(max) = shape.max.filter(|m| len > *m) {
        push(Constraint::MaxLength(max));
    }
}

fn join(prefix: &str, segment: &str) -> String {
    if prefix.is_empty() {
        segment.to_string()
    } else {
        format!("{prefix}.{segment}")
    }
}

/// Java-`toString`-like rendering of an echoed value (strings raw, lists `[a, b]`).
fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}={}", render(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const TOKEN_PATTERN: &str = "[A-Za-z0-9-_=.]+";
    const NAME_PATTERN: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+";

    fn message(op: &str, body: Value) -> Option<String> {
        validation_message(&validate_input(op, &body))
    }

    #[test]
    fn valid_input_has_no_violations() {
        let body =
            json!({"AccessToken": "abc.def", "UserAttributes": [{"Name": "name", "Value": "x"}]});
        assert_eq!(validate_input("UpdateUserAttributes", &body), vec![]);
    }

    #[test]
    fn missing_sensitive_token_is_not_null_without_value() {
        assert_eq!(
            message("DeleteUser", json!({})).as_deref(),
            Some(
                "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must not be null"
            )
        );
        assert_eq!(
            message("DeleteUser", json!({"AccessToken": null})),
            message("DeleteUser", json!({}))
        );
    }

    #[test]
    fn empty_token_fails_the_pattern_and_is_not_echoed() {
        let m = message("DeleteUser", json!({"AccessToken": ""})).unwrap();
        assert_eq!(
            m,
            format!(
                "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: {TOKEN_PATTERN}"
            )
        );
        let m = message("DeleteUser", json!({"AccessToken": "secret value"})).unwrap();
        assert!(!m.contains("secret"), "{m}");
    }

    #[test]
    fn missing_non_sensitive_list_shows_null() {
        let m = message("DeleteUserAttributes", json!({"AccessToken": "a"})).unwrap();
        assert_eq!(
            m,
            "1 validation error detected: Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn two_violations_are_joined_with_semicolons() {
        let m = message("DeleteUserAttributes", json!({})).unwrap();
        assert!(
            m.starts_with("2 validation errors detected: Value null at 'userAttributeNames'"),
            "{m}"
        );
        assert!(
            m.contains(
                "; Value at 'accessToken' failed to satisfy constraint: Member must not be null"
            ),
            "{m}"
        );
    }

    #[test]
    fn empty_attribute_name_breaks_length_and_pattern() {
        let body = json!({"AccessToken": "a", "UserAttributes": [{"Name": "name", "Value": "x"}, {"Name": "", "Value": "v"}]});
        let m = message("UpdateUserAttributes", body).unwrap();
        assert_eq!(
            m,
            format!(
                "2 validation errors detected: Value '' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}"
            )
        );
    }

    #[test]
    fn list_of_strings_uses_member_suffix() {
        let long = "x".repeat(33);
        let body = json!({"AccessToken": "a", "UserAttributeNames": ["ok", long.clone()]});
        let v = validate_input("DeleteUserAttributes", &body);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].path, "userAttributeNames.2.member");
        assert_eq!(v[0].shown, Shown::Value(long));
        assert_eq!(v[0].constraint, Constraint::MaxLength(32));
    }

    #[test]
    fn long_sensitive_value_reports_length_without_value() {
        let body = json!({"AccessToken": "a", "UserAttributes": [{"Name": "name", "Value": "v".repeat(2049)}]});
        let m = message("UpdateUserAttributes", body).unwrap();
        assert_eq!(
            m,
            "1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048"
        );
        let ok = json!({"AccessToken": "a", "UserAttributes": [{"Name": "name", "Value": "v".repeat(2048)}]});
        assert_eq!(validate_input("UpdateUserAttributes", &ok), vec![]);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let body = json!({"AccessToken": "a", "UserAttributeNames": ["é".repeat(32)]});
        assert_eq!(validate_input("DeleteUserAttributes", &body), vec![]);
    }

    #[test]
    fn null_list_element_is_not_null_violation() {
        let body = json!({"AccessToken": "a", "UserAttributeNames": [null]});
        let m = message("DeleteUserAttributes", body).unwrap();
        assert!(
            m.contains(
                "Value null at 'userAttributeNames.1.member' failed to satisfy constraint: Member must not be null"
            ),
            "{m}"
        );
    }

    #[test]
    fn missing_required_name_inside_list_element() {
        let body = json!({"AccessToken": "a", "UserAttributes": [{"Value": "v"}]});
        let m = message("UpdateUserAttributes", body).unwrap();
        assert!(
            m.contains(
                "Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null"
            ),
            "{m}"
        );
    }

    #[test]
    fn enum_and_number_ranges() {
        let m = message("InitiateAuth", json!({"AuthFlow": "NOPE", "ClientId": "c"})).unwrap();
        assert!(m.contains("Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, "), "{m}");
        let m = message("ListUserPools", json!({"MaxResults": 0})).unwrap();
        assert_eq!(
            m,
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        let m = message("ListUserPools", json!({"MaxResults": 61})).unwrap();
        assert!(
            m.ends_with("Member must have value less than or equal to 60"),
            "{m}"
        );
    }

    #[test]
    fn sensitive_map_values_are_hidden() {
        let body = json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "c", "AuthParameters": {"PASSWORD": "x".repeat(131073)}});
        let v = validate_input("InitiateAuth", &body);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].shown, Shown::Hidden);
    }

    #[test]
    fn unknown_members_and_operations_are_ignored() {
        assert_eq!(
            validate_input("DeleteUser", &json!({"AccessToken": "a", "Extra": 1})),
            vec![]
        );
        assert_eq!(validate_input("NoSuchOperation", &json!({})), vec![]);
        assert_eq!(validate_input("DeleteUser", &json!([1, 2])), vec![]);
    }

    #[test]
    fn no_violations_no_message() {
        assert_eq!(validation_message(&[]), None);
    }

    #[test]
    fn path_segments_are_lower_camel_case() {
        assert_eq!(
            member_path_segment("UserAttributeNames"),
            "userAttributeNames"
        );
        assert_eq!(member_path_segment(""), "");
    }
}
