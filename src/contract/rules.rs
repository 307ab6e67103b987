//! The semantic rules of user attributes: what UpdateUserAttributes, DeleteUserAttributes,
//! AdminUpdateUserAttributes, SignUp and AdminCreateUser accept, and what they change.
//!
//! Everything here is a pure function of the pool schema, the caller (an app client with its
//! `WriteAttributes`, or an administrator), the user's current attributes and the request, so
//! the reference server and property-test generators share one definition. Messages are the
//! ones `contract/requirements.toml` shows real Cognito answering; where it shows none, the text
//! is the suite's strict-tier guess and the fixtures' contract tier does not depend on it.
//!
//! Checks run attribute by attribute, in request order, and the first failure wins. For one
//! attribute the order is: `sub`; exists in the schema; mutable; writable by the client; value
//! present; blank value of a required attribute; string length constraints; email/phone format.
//! The schema, immutable and string-length messages end in a newline, as observed (requirements
//! `attribute.not-in-schema`, `attribute.immutable`, `attribute.custom-string-length`).
//! A request applies atomically: a plan is computed in full before anything is stored.

use std::collections::BTreeMap;

use super::masking::{mask_email, mask_phone};
use super::schema::{AttributeDef, PoolSchema, WriteScope};
use crate::vocab::RuleId;

/// Who is writing: an app client (limited by `WriteAttributes`) or an administrator.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A token-authorized call through an app client.
    Client(&'a WriteScope),
    /// A SigV4-signed administrator call (no client write restrictions).
    Admin,
}

/// One `{Name, Value}` of a request; `value: None` is a missing or null `Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Attribute name as sent.
    pub name: String,
    /// Attribute value as sent.
    pub value: Option<String>,
}

#[cfg(test)]
impl Change {
    /// A change setting `name` to `value`.
    pub fn set(name: &str, value: &str) -> Change {
        Change {
            name: name.to_string(),
            value: Some(value.to_string()),
        }
    }
}

/// One entry of `CodeDeliveryDetailsList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    /// `email` or `phone_number`.
    pub attribute_name: String,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: String,
    /// Masked destination (`b***@e***`).
    pub destination: String,
}

/// The outcome of an accepted write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The user's attributes afterwards.
    pub attributes: BTreeMap<String, String>,
    /// Values awaiting verification (`AttributesRequireVerificationBeforeUpdate`): not visible,
    /// the old value stays active.
    pub pending: BTreeMap<String, String>,
    /// Verification codes sent.
    pub deliveries: Vec<CodeDelivery>,
    /// Alias attributes (`email`) verified in this call with a value another user held as a
    /// verified alias: the alias moves here, the other user's value becomes unverified.
    pub moved_aliases: Vec<String>,
}

/// A refused write: the rule that refused it and Cognito's message. The error type follows
/// from the rule ([`RuleError::error_type`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    /// The rule that refused the write.
    pub rule: RuleId,
    /// The message Cognito answers with (the strict tier).
    pub message: String,
}

impl RuleError {
    fn new(rule: RuleId, message: impl Into<String>) -> RuleError {
        RuleError {
            rule,
            message: message.into(),
        }
    }

    /// The AWS error type.
    pub fn error_type(&self) -> &'static str {
        match self.rule {
            RuleId::ClientNotAllowed => "NotAuthorizedException",
            RuleId::AliasExists => "AliasExistsException",
            _ => "InvalidParameterException",
        }
    }
}

/// Message for writing an attribute the client may not write.
pub const UNAUTHORIZED_WRITE: &str = "A client attempted to write unauthorized attribute";

/// Attributes that are verified by a code, their `*_verified` flag and delivery medium.
const VERIFIABLE: &[(&str, &str, &str)] = &[
    ("email", "email_verified", "EMAIL"),
    ("phone_number", "phone_number_verified", "SMS"),
];

/// The refusal of `sub`, checked before anything else about an attribute (observed: a value,
/// `""` and null for `sub` all answer this).
fn not_sub(name: &str) -> Result<(), RuleError> {
    if name == "sub" {
        return Err(RuleError::new(
            RuleId::Sub,
            "Cannot modify the non-mutable attribute sub",
        ));
    }
    Ok(())
}

/// A client with an explicit `WriteAttributes` list refuses any other name, including names
/// the schema lacks (observed on SignUp: an unknown name through such a client answers the
/// client's refusal, not the schema's).
fn client_may_write(actor: Actor<'_>, name: &str) -> Result<(), RuleError> {
    if let Actor::Client(scope) = actor
        && !scope.allows(name)
    {
        return Err(RuleError::new(RuleId::ClientNotAllowed, UNAUTHORIZED_WRITE));
    }
    Ok(())
}

/// Every name of `names` the schema lacks, in one refusal that lists each (observed: several
/// unknown attributes are reported together, each line ending with a newline).
fn all_in_schema<'a>(
    schema: &PoolSchema,
    names: impl Iterator<Item = &'a str>,
) -> Result<(), RuleError> {
    let mut message = String::new();
    for name in names {
        if schema.get(name).is_none() {
            let line = format!("user.{name}: Attribute does not exist in the schema.\n");
            if !message.contains(&line) {
                message.push_str(&line);
            }
        }
    }
    if message.is_empty() {
        Ok(())
    } else {
        Err(RuleError::new(RuleId::NotInSchema, message))
    }
}

fn immutable(name: &str) -> RuleError {
    RuleError::new(
        RuleId::Immutable,
        format!("user.{name}: Attribute cannot be updated.\n"),
    )
}

/// The definition of an attribute a caller may write, or why not: `sub`, the client's
/// permissions, the schema, then immutability (`creating` allows immutable attributes).
fn writable<'s>(
    schema: &'s PoolSchema,
    actor: Actor<'_>,
    name: &str,
    creating: bool,
) -> Result<&'s AttributeDef, RuleError> {
    not_sub(name)?;
    client_may_write(actor, name)?;
    all_in_schema(schema, std::iter::once(name))?;
    let def = schema.get(name).ok_or_else(|| immutable(name))?;
    if !def.mutable && !creating {
        return Err(immutable(name));
    }
    Ok(def)
}

/// Constraints on a non-blank value: custom string lengths, email and phone formats.
fn check_value(def: &AttributeDef, value: &str) -> Result<(), RuleError> {
    let len = value.chars().count();
    if def.name.starts_with("custom:") {
        if let Some(min) = def.min_length.filter(|m| len < *m) {
            return Err(RuleError::new(
                RuleId::CustomStringLength,
                format!(
                    "user.{}: String must be no shorter than {min} characters\n",
                    def.name
                ),
            ));
        }
        if let Some(max) = def.max_length.filter(|m| len > *m) {
            return Err(RuleError::new(
                RuleId::CustomStringLength,
                format!(
                    "user.{}: String must be no longer than {max} characters\n",
                    def.name
                ),
            ));
        }
    }
    match def.name.as_str() {
        "email" if !is_email(value) => Err(RuleError::new(
            RuleId::InvalidEmail,
            "Invalid email address format.",
        )),
        "phone_number" if !is_phone(value) => Err(RuleError::new(
            RuleId::InvalidPhoneNumber,
            "Invalid phone number format.",
        )),
        _ => Ok(()),
    }
}

/// `local@domain`: one `@`, both parts non-empty, no whitespace or control characters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// E.164: `+` then 1 to 15 ASCII digits.
pub fn is_phone(s: &str) -> bool {
    s.strip_prefix('+')
        .is_some_and(|d| (1..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Collapse duplicate names: the last value wins, the first position is kept.
fn dedupe(changes: &[Change]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for c in changes {
        match out.iter_mut().find(|o| o.name == c.name) {
            Some(existing) => existing.value = c.value.clone(),
            None => out.push(c.clone()),
        }
    }
    out
}

/// Plan UpdateUserAttributes (or AdminUpdateUserAttributes with [`Actor::Admin`]).
///
/// `alias_taken(attribute, value)` says whether *another* user of the pool holds `value` as a
/// verified alias. A blank value deletes an optional attribute. When `email`/`phone_number`
/// changes in a pool that auto-verifies it (and the request does not set the `*_verified` flag
/// itself), a code is sent to the new value and the flag becomes `false`; under
/// `AttributesRequireVerificationBeforeUpdate` a verified old value stays active instead and the
/// new one waits in [`Plan::pending`]. Setting a value to what it already is sends nothing.
pub fn plan_update(
    schema: &PoolSchema,
    actor: Actor<'_>,
    current: &BTreeMap<String, String>,
    changes: &[Change],
    alias_taken: &dyn Fn(&str, &str) -> bool,
) -> Result<Plan, RuleError> {
    let changes = dedupe(changes);
    // Observed order: `sub` first; a restricted client's permissions; every name the schema
    // lacks at once; then, attribute by attribute, a missing value before immutability
    // (a null for an immutable attribute answers "must not be null").
    for c in &changes {
        not_sub(&c.name)?;
    }
    for c in &changes {
        client_may_write(actor, &c.name)?;
    }
    all_in_schema(schema, changes.iter().map(|c| c.name.as_str()))?;
    for c in &changes {
        let value = c.value.as_deref().ok_or_else(|| {
            RuleError::new(
                RuleId::ValueMissing,
                format!("Attribute value for {} must not be null", c.name),
            )
        })?;
        let def = writable(schema, actor, &c.name, false)?;
        if value.is_empty() {
            if def.required {
                return Err(RuleError::new(
                    RuleId::Required,
                    format!("user.{}: Required attribute cannot be deleted.", c.name),
                ));
            }
        } else {
            check_value(def, value)?;
        }
    }
    let mut plan = Plan {
        attributes: current.clone(),
        ..Plan::default()
    };
    for c in &changes {
        match c.value.as_deref() {
            Some("") | None => plan.attributes.remove(&c.name),
            Some(v) => plan.attributes.insert(c.name.clone(), v.to_string()),
        };
    }
    for (attr, flag, medium) in VERIFIABLE {
        let requested = changes.iter().any(|c| c.name == *attr);
        let Some(new) = plan.attributes.get(*attr).cloned() else {
            continue;
        };
        if !requested || current.get(*attr) == Some(&new) {
            continue;
        }
        // Where the value is what users sign in with, a value another user holds is refused
        // at once (observed in an e-mail-as-username pool); where it is only an alias, the
        // change goes through and the alias moves when the new value is verified (observed:
        // no exception, a code is sent; verifying it in the same call moves it at once).
        if alias_taken(attr, &new) {
            if schema.username_attributes.contains(*attr) {
                return Err(RuleError::new(
                    RuleId::AliasExists,
                    format!("An account with the given {attr} already exists."),
                ));
            }
            let verified_now = changes
                .iter()
                .any(|c| c.name == *flag && c.value.as_deref() == Some("true"));
            if schema.aliases.contains(*attr) && verified_now {
                plan.moved_aliases.push((*attr).to_string());
            }
        }
        if changes.iter().any(|c| c.name == *flag) || !schema.auto_verified.contains(*attr) {
            continue;
        }
        let old_verified = current.get(*flag).map(String::as_str) == Some("true");
        if schema.verify_before_update.contains(*attr) && old_verified {
            if let Some(old) = current.get(*attr) {
                plan.attributes.insert((*attr).to_string(), old.clone());
            }
            plan.pending.insert((*attr).to_string(), new.clone());
        } else {
            plan.attributes
                .insert((*flag).to_string(), "false".to_string());
        }
        plan.deliveries.push(delivery(attr, medium, &new));
    }
    Ok(plan)
}

fn delivery(attr: &str, medium: &str, value: &str) -> CodeDelivery {
    let destination = if attr == "email" {
        mask_email(value)
    } else {
        mask_phone(value)
    };
    CodeDelivery {
        attribute_name: attr.to_string(),
        delivery_medium: medium.to_string(),
        destination,
    }
}

/// Plan DeleteUserAttributes: the user's attributes afterwards. Names the user lacks are fine;
/// each name must still be writable and not required.
pub fn plan_delete(
    schema: &PoolSchema,
    actor: Actor<'_>,
    current: &BTreeMap<String, String>,
    names: &[String],
) -> Result<BTreeMap<String, String>, RuleError> {
    for name in names {
        let def = writable(schema, actor, name, false)?;
        if def.required {
            return Err(RuleError::new(
                RuleId::Required,
                format!("user.{name}: Required attribute cannot be deleted."),
            ));
        }
    }
    let mut out = current.clone();
    for name in names {
        out.remove(name);
    }
    Ok(out)
}

/// Plan the attributes of a new user (SignUp through a client, AdminCreateUser as admin).
/// Immutable attributes may be set; blank values are dropped; required attributes must be
/// present; a verified alias value held by another user is refused. Codes are planned for
/// unverified auto-verified attributes.
pub fn plan_create(
    schema: &PoolSchema,
    actor: Actor<'_>,
    changes: &[Change],
    alias_taken: &dyn Fn(&str, &str) -> bool,
) -> Result<Plan, RuleError> {
    let changes = dedupe(changes);
    let mut plan = Plan::default();
    for c in &changes {
        let def = writable(schema, actor, &c.name, true)?;
        let value = c.value.as_deref().ok_or_else(|| {
            RuleError::new(
                RuleId::ValueMissing,
                format!("Attribute value for {} must not be null", c.name),
            )
        })?;
        if !value.is_empty() {
            check_value(def, value)?;
            plan.attributes.insert(c.name.clone(), value.to_string());
        }
    }
    if let Some(missing) = schema
        .attributes()
        .find(|d| d.required && d.name != "sub" && !plan.attributes.contains_key(&d.name))
    {
        return Err(RuleError::new(
            RuleId::Required,
            format!(
                "Attributes did not conform to the schema: {}: The attribute is required",
                missing.name
            ),
        ));
    }
    for (attr, flag, medium) in VERIFIABLE {
        let Some(value) = plan.attributes.get(*attr) else {
            continue;
        };
        let verified = plan.attributes.get(*flag).map(String::as_str) == Some("true");
        if verified && schema.aliases.contains(*attr) && alias_taken(attr, value) {
            return Err(RuleError::new(
                RuleId::AliasExists,
                format!("An account with the given {attr} already exists."),
            ));
        }
        if !verified && schema.auto_verified.contains(*attr) {
            plan.deliveries.push(delivery(attr, medium, value));
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::contract::schema::DataType;

    fn pool(verify_before_update: bool) -> PoolSchema {
        let mut s = PoolSchema::standard();
        s.add("email", DataType::String, true, true, None, None)
            .unwrap();
        s.add("tier", DataType::String, true, false, Some("3"), Some("10"))
            .unwrap();
        s.add("badge", DataType::String, false, false, None, None)
            .unwrap();
        s.add("team", DataType::String, true, false, None, None)
            .unwrap();
        s.auto_verified.insert("email".into());
        s.aliases.insert("email".into());
        if verify_before_update {
            s.verify_before_update.insert("email".into());
        }
        s
    }

    fn restricted() -> WriteScope {
        WriteScope::Only(BTreeSet::from([
            "email".to_string(),
            "name".to_string(),
            "custom:tier".to_string(),
        ]))
    }

    fn user() -> BTreeMap<String, String> {
        [
            ("sub", "s-1"),
            ("email", "bob@example.com"),
            ("email_verified", "true"),
            ("custom:badge", "gold"),
            ("name", "Bob"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    const NOBODY: &dyn Fn(&str, &str) -> bool = &|_, _| false;

    fn update(changes: &[Change]) -> Result<Plan, RuleError> {
        plan_update(
            &pool(false),
            Actor::Client(&WriteScope::All),
            &user(),
            changes,
            NOBODY,
        )
    }

    fn err(r: Result<Plan, RuleError>) -> (String, &'static str) {
        let e = r.unwrap_err();
        (e.to_string(), e.error_type())
    }

    #[test]
    fn schema_errors() {
        assert_eq!(
            err(update(&[Change::set("tier", "gold")])),
            (
                "user.tier: Attribute does not exist in the schema.\n".into(),
                "InvalidParameterException"
            )
        );
        assert_eq!(
            err(update(&[Change::set("sub", "x")])).0,
            "Cannot modify the non-mutable attribute sub"
        );
        assert_eq!(
            err(update(&[Change::set("custom:badge", "silver")])).0,
            "user.custom:badge: Attribute cannot be updated.\n"
        );
    }

    #[test]
    fn client_write_scope() {
        let scope = restricted();
        let r = plan_update(
            &pool(false),
            Actor::Client(&scope),
            &user(),
            &[Change::set("custom:team", "red")],
            NOBODY,
        );
        assert_eq!(
            err(r),
            (UNAUTHORIZED_WRITE.to_string(), "NotAuthorizedException")
        );
        let ok = plan_update(
            &pool(false),
            Actor::Client(&scope),
            &user(),
            &[Change::set("custom:tier", "gold")],
            NOBODY,
        )
        .unwrap();
        assert_eq!(ok.attributes["custom:tier"], "gold");
        let admin = plan_update(
            &pool(false),
            Actor::Admin,
            &user(),
            &[Change::set("custom:team", "red")],
            NOBODY,
        )
        .unwrap();
        assert_eq!(admin.attributes["custom:team"], "red");
    }

    #[test]
    fn null_and_blank_values() {
        let c = Change {
            name: "name".into(),
            value: None,
        };
        assert_eq!(
            err(update(&[c])).0,
            "Attribute value for name must not be null"
        );
        assert_eq!(
            err(update(&[Change::set("email", "")])).0,
            "user.email: Required attribute cannot be deleted."
        );
        let p = update(&[Change::set("name", "")]).unwrap();
        assert!(!p.attributes.contains_key("name"));
        assert!(p.deliveries.is_empty());
    }

    #[test]
    fn custom_string_lengths() {
        assert_eq!(
            err(update(&[Change::set("custom:tier", "ab")])).0,
            "user.custom:tier: String must be no shorter than 3 characters\n"
        );
        assert_eq!(
            err(update(&[Change::set("custom:tier", "abcdefghijk")])).0,
            "user.custom:tier: String must be no longer than 10 characters\n"
        );
        assert!(update(&[Change::set("custom:tier", "abc")]).is_ok());
        assert!(update(&[Change::set("custom:tier", "abcdefghij")]).is_ok());
    }

    #[test]
    fn formats() {
        assert_eq!(
            err(update(&[Change::set("email", "not-an-email")])).0,
            "Invalid email address format."
        );
        assert_eq!(
            err(update(&[Change::set("phone_number", "555-0123")])).0,
            "Invalid phone number format."
        );
        assert!(update(&[Change::set("phone_number", "+15555550123")]).is_ok());
        assert!(!is_phone("+"));
        assert!(!is_phone("+1234567890123456"));
        assert!(!is_email("a b@c"));
        assert!(!is_email("a@b@c"));
    }

    #[test]
    fn email_change_in_auto_verified_pool_sends_a_code() {
        let p = update(&[Change::set("email", "carol@example.org")]).unwrap();
        assert_eq!(p.attributes["email"], "carol@example.org");
        assert_eq!(p.attributes["email_verified"], "false");
        assert_eq!(
            p.deliveries,
            vec![CodeDelivery {
                attribute_name: "email".into(),
                delivery_medium: "EMAIL".into(),
                destination: "c***@e***".into()
            }]
        );
    }

    #[test]
    fn email_change_under_verify_before_update_keeps_the_old_value() {
        let p = plan_update(
            &pool(true),
            Actor::Client(&WriteScope::All),
            &user(),
            &[Change::set("email", "carol@example.org")],
            NOBODY,
        )
        .unwrap();
        assert_eq!(p.attributes["email"], "bob@example.com");
        assert_eq!(p.attributes["email_verified"], "true");
        assert_eq!(p.pending["email"], "carol@example.org");
        assert_eq!(p.deliveries.len(), 1);
    }

    #[test]
    fn same_email_or_explicit_flag_sends_nothing() {
        assert!(
            update(&[Change::set("email", "bob@example.com")])
                .unwrap()
                .deliveries
                .is_empty()
        );
        let p = update(&[
            Change::set("email", "carol@example.org"),
            Change::set("email_verified", "true"),
        ])
        .unwrap();
        assert!(p.deliveries.is_empty());
        assert_eq!(p.attributes["email_verified"], "true");
    }

    #[test]
    fn alias_conflict() {
        let taken: &dyn Fn(&str, &str) -> bool = &|a, v| a == "email" && v == "taken@example.com";
        // email as an alias: the change goes through and sends a code; the alias moves only
        // when the new value is verified (in the same call, here).
        let p = plan_update(
            &pool(false),
            Actor::Client(&WriteScope::All),
            &user(),
            &[Change::set("email", "taken@example.com")],
            taken,
        )
        .unwrap();
        assert_eq!(p.attributes["email"], "taken@example.com");
        assert_eq!(p.deliveries.len(), 1);
        assert!(p.moved_aliases.is_empty());
        let p = plan_update(
            &pool(false),
            Actor::Admin,
            &user(),
            &[
                Change::set("email", "taken@example.com"),
                Change::set("email_verified", "true"),
            ],
            taken,
        )
        .unwrap();
        assert_eq!(p.moved_aliases, ["email"]);
        // email as what users sign in with: refused at once.
        let mut username_pool = pool(false);
        username_pool.username_attributes.insert("email".into());
        let r = plan_update(
            &username_pool,
            Actor::Client(&WriteScope::All),
            &user(),
            &[Change::set("email", "taken@example.com")],
            taken,
        );
        assert_eq!(
            err(r),
            (
                "An account with the given email already exists.".into(),
                "AliasExistsException"
            )
        );
    }

    #[test]
    fn checks_run_in_the_observed_order() {
        // A null value for an immutable attribute: the null check answers first.
        let e = update(&[Change {
            name: "custom:badge".into(),
            value: None,
        }])
        .unwrap_err();
        assert_eq!(e.rule, RuleId::ValueMissing);
        // sub before the null check.
        let e = update(&[Change {
            name: "sub".into(),
            value: None,
        }])
        .unwrap_err();
        assert_eq!(e.rule, RuleId::Sub);
        // Several names the schema lacks are listed in one message.
        let e = update(&[
            Change::set("custom:a", "1"),
            Change::set("name", "ok"),
            Change::set("custom:b", "2"),
        ])
        .unwrap_err();
        assert_eq!(
            e.message,
            "user.custom:a: Attribute does not exist in the schema.\nuser.custom:b: Attribute does not exist in the schema.\n"
        );
        // A client with explicit write permissions refuses an unknown name as unauthorized.
        let scope = restricted();
        let e = plan_update(
            &pool(false),
            Actor::Client(&scope),
            &user(),
            &[Change::set("custom:nope", "x")],
            NOBODY,
        )
        .unwrap_err();
        assert_eq!(e.rule, RuleId::ClientNotAllowed);
    }

    #[test]
    fn duplicates_last_wins_and_errors_are_atomic() {
        let p = update(&[Change::set("name", "A"), Change::set("name", "B")]).unwrap();
        assert_eq!(p.attributes["name"], "B");
        let r = update(&[Change::set("name", "A"), Change::set("custom:badge", "x")]);
        assert!(r.is_err());
    }

    #[test]
    fn verified_flags_are_writable_by_the_full_client_only() {
        let p = update(&[Change::set("email_verified", "false")]).unwrap();
        assert_eq!(p.attributes["email_verified"], "false");
        let scope = restricted();
        let r = plan_update(
            &pool(false),
            Actor::Client(&scope),
            &user(),
            &[Change::set("email_verified", "false")],
            NOBODY,
        );
        assert_eq!(err(r).1, "NotAuthorizedException");
    }

    #[test]
    fn delete_rules() {
        let all = WriteScope::All;
        let del = |names: &[&str], scope: &WriteScope| {
            let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
            plan_delete(&pool(false), Actor::Client(scope), &user(), &names)
        };
        assert!(!del(&["name"], &all).unwrap().contains_key("name"));
        assert_eq!(del(&[], &all).unwrap(), user());
        assert_eq!(del(&["nickname"], &all).unwrap(), user());
        assert_eq!(
            del(&["email"], &all).unwrap_err().to_string(),
            "user.email: Required attribute cannot be deleted."
        );
        assert_eq!(
            del(&["sub"], &all).unwrap_err().to_string(),
            "Cannot modify the non-mutable attribute sub"
        );
        assert_eq!(
            del(&["custom:badge"], &all).unwrap_err().to_string(),
            "user.custom:badge: Attribute cannot be updated.\n"
        );
        assert_eq!(
            del(&["nope"], &all).unwrap_err().to_string(),
            "user.nope: Attribute does not exist in the schema.\n"
        );
        assert_eq!(
            del(&["custom:team"], &restricted())
                .unwrap_err()
                .error_type(),
            "NotAuthorizedException"
        );
        assert!(del(&["name", "custom:badge"], &all).is_err());
    }

    #[test]
    fn create_rules() {
        let attrs = [
            Change::set("email", "a@b.c"),
            Change::set("email_verified", "true"),
            Change::set("custom:badge", "gold"),
        ];
        let p = plan_create(&pool(false), Actor::Admin, &attrs, NOBODY).unwrap();
        assert_eq!(p.attributes["custom:badge"], "gold");
        assert!(p.deliveries.is_empty());
        let r = plan_create(
            &pool(false),
            Actor::Admin,
            &[Change::set("name", "x")],
            NOBODY,
        );
        assert_eq!(
            r.unwrap_err().to_string(),
            "Attributes did not conform to the schema: email: The attribute is required"
        );
        let p = plan_create(
            &pool(false),
            Actor::Admin,
            &[Change::set("email", "a@b.c")],
            NOBODY,
        )
        .unwrap();
        assert_eq!(p.deliveries.len(), 1);
        let taken: &dyn Fn(&str, &str) -> bool = &|_, _| true;
        assert_eq!(
            plan_create(&pool(false), Actor::Admin, &attrs, taken)
                .unwrap_err()
                .error_type(),
            "AliasExistsException"
        );
        let scope = restricted();
        let r = plan_create(
            &pool(false),
            Actor::Client(&scope),
            &[
                Change::set("email", "a@b.c"),
                Change::set("custom:team", "x"),
            ],
            NOBODY,
        );
        assert_eq!(r.unwrap_err().error_type(), "NotAuthorizedException");
    }
}
