//! What a deliberately broken reference does instead, for the breaks whose mutation is more than
//! a skipped check ([`crate::reference::breaks`]); the switch points that call these sit in
//! `self_service`. Nothing here runs unless a break is on.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::super::api_error::ApiError;
use super::super::breaks::{Break, Breaks};
use super::input::Input;
use crate::contract::rules::{Change, Plan, RuleError, immutable};
use crate::contract::schema::{PoolSchema, WriteScope};
use crate::contract::verification::{VERIFIABLE, delivery};
use crate::vocab::RuleId;

/// The schema updates are planned against: the pool's, or as a break misreads it.
pub fn update_schema<'a>(breaks: &Breaks, schema: &'a PoolSchema) -> Cow<'a, PoolSchema> {
    if !breaks.has(Break::AliasTakenRefused) && !breaks.has(Break::ExclusiveBounds) {
        return Cow::Borrowed(schema);
    }
    let mut s = schema.clone();
    if breaks.has(Break::AliasTakenRefused) {
        // An alias taken for a username attribute: a value another user holds is refused.
        let aliases = s.aliases.clone();
        s.username_attributes.extend(aliases);
    }
    if breaks.has(Break::ExclusiveBounds) {
        let custom: Vec<_> = s
            .attributes()
            .filter(|d| d.name.starts_with("custom:"))
            .cloned()
            .collect();
        for mut d in custom {
            d.min_length = d.min_length.map(|m| m + 1);
            d.max_length = d.max_length.map(|m| m.saturating_sub(1));
            s.insert_attribute(d);
        }
    }
    Cow::Owned(s)
}

/// A refusal a break answers before the write is planned, if any: names `names` written or
/// deleted through `scope`; `missing` are the names written without a value.
pub fn refuse_early<'a>(
    breaks: &Breaks,
    schema: &PoolSchema,
    scope: &WriteScope,
    names: impl Iterator<Item = &'a str> + Clone,
    missing: &[&str],
) -> Option<ApiError> {
    if breaks.has(Break::RestrictedUnknownCrashes)
        && matches!(scope, WriteScope::Only(_))
        && names.clone().any(|n| schema.get(n).is_none())
    {
        return Some(ApiError::internal());
    }
    if breaks.has(Break::ImmutableBeforeNull)
        && let Some(name) = missing
            .iter()
            .find(|n| schema.get(n).is_some_and(|d| !d.mutable))
    {
        return Some(immutable(name).into());
    }
    None
}

/// A refusal of a write as the breaks on word it.
pub fn bend_refusal(breaks: &Breaks, mut e: RuleError) -> RuleError {
    if breaks.has(Break::FirstUnknownOnly)
        && e.rule == RuleId::NotInSchema
        && let Some(end) = e.message.find('\n')
    {
        e.message.truncate(end + 1);
    }
    e
}

/// Whether a name occurs twice in `names`.
pub fn has_duplicates<'a>(names: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    names.into_iter().any(|n| !seen.insert(n))
}

/// Whether a name is a `*_verified` flag.
pub fn is_verified_flag(name: &str) -> bool {
    VERIFIABLE.iter().any(|(_, flag, _)| *flag == name)
}

/// `name` back to what it was in `current`.
fn restore(
    attributes: &mut BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
    name: &str,
) {
    match current.get(name) {
        Some(v) => attributes.insert(name.to_string(), v.clone()),
        None => attributes.remove(name),
    };
}

/// Change an accepted update's plan as the breaks on have it.
pub fn bend_update(
    breaks: &Breaks,
    plan: &mut Plan,
    current: &BTreeMap<String, String>,
    changes: &[Change],
    input: Input<'_>,
) {
    if breaks.has(Break::FirstAttributeOnly) {
        for c in changes.iter().skip(1) {
            restore(&mut plan.attributes, current, &c.name);
        }
    }
    if breaks.has(Break::BlankStored) {
        for c in changes.iter().filter(|c| c.value.as_deref() == Some("")) {
            plan.attributes.insert(c.name.clone(), String::new());
        }
    }
    if breaks.has(Break::MetadataStored)
        && let Some(metadata) = input.object("ClientMetadata")
    {
        for (k, v) in metadata.0 {
            if let Some(v) = v.as_str() {
                plan.attributes.insert(k.clone(), v.to_string());
            }
        }
    }
    if breaks.has(Break::EmailStoredVerified) && !plan.pending.contains_key("email") {
        let before = plan.deliveries.len();
        plan.deliveries.retain(|d| d.attribute_name != "email");
        if plan.deliveries.len() != before {
            restore(&mut plan.attributes, current, "email_verified");
        }
    }
    if breaks.has(Break::PendingValueApplied) {
        for (attr, value) in std::mem::take(&mut plan.pending) {
            plan.attributes
                .insert(format!("{attr}_verified"), "false".into());
            plan.attributes.insert(attr, value);
        }
    }
    if breaks.has(Break::PhoneAutoVerified) {
        let new = plan.attributes.get("phone_number").cloned();
        let changed = changes.iter().any(|c| c.name == "phone_number")
            && new.is_some()
            && new.as_ref() != current.get("phone_number");
        let sent = plan
            .deliveries
            .iter()
            .any(|d| d.attribute_name == "phone_number");
        if let (true, false, Some(new)) = (changed, sent, new) {
            plan.deliveries.extend(delivery("phone_number", &new));
            plan.attributes
                .insert("phone_number_verified".into(), "false".into());
        }
    }
    if breaks.has(Break::SameValueSendsCode) {
        for (attr, flag, _) in VERIFIABLE {
            let Some(value) = current.get(*attr) else {
                continue;
            };
            let same = changes
                .iter()
                .any(|c| c.name == *attr && c.value.as_ref() == Some(value));
            let sent = plan.deliveries.iter().any(|d| d.attribute_name == *attr);
            if same && !sent {
                plan.deliveries.extend(delivery(attr, value));
                plan.attributes.insert(flag.to_string(), "false".into());
            }
        }
    }
    if breaks.has(Break::DestinationUnmasked) {
        for d in &mut plan.deliveries {
            if let Some(v) = plan
                .pending
                .get(&d.attribute_name)
                .or_else(|| plan.attributes.get(&d.attribute_name))
            {
                d.destination = v.clone();
            }
        }
    }
}

/// Change an accepted AdminUpdateUserAttributes plan as the breaks on have it: a `*_verified`
/// = `true` sent with a new value is ignored, the value stored unverified.
pub fn bend_admin_update(breaks: &Breaks, plan: &mut Plan, changes: &[Change]) {
    if !breaks.has(Break::AdminVerifiedFlagIgnored) {
        return;
    }
    for (attr, flag, _) in VERIFIABLE {
        let written = changes.iter().any(|c| c.name == *attr);
        let flagged = changes
            .iter()
            .any(|c| c.name == *flag && c.value.as_deref() == Some("true"));
        if written && flagged {
            if let Some(value) = plan.pending.remove(*attr) {
                plan.attributes.insert(attr.to_string(), value);
            }
            plan.attributes.insert(flag.to_string(), "false".into());
        }
    }
}

/// An admin operation's answer as the breaks on have it (admin.unknown-pool, admin.unknown-user).
pub fn bend_admin_error(
    breaks: &Breaks,
    op: &str,
    answer: Result<serde_json::Value, ApiError>,
) -> Result<serde_json::Value, ApiError> {
    match answer {
        Err(e)
            if e.kind == "ResourceNotFoundException"
                && breaks.applies(Break::UnknownPoolAsNoUser, op) =>
        {
            Err(ApiError::no_user())
        }
        Err(e)
            if e.kind == "UserNotFoundException" && breaks.applies(Break::UnknownUserNoOp, op) =>
        {
            Ok(serde_json::json!({}))
        }
        other => other,
    }
}

/// Change an accepted delete's outcome as the breaks on have it.
pub fn bend_delete(
    breaks: &Breaks,
    attributes: &mut BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
    names: &[String],
) {
    if breaks.has(Break::FirstNameDeletedOnly) {
        for name in names.iter().skip(1) {
            restore(attributes, current, name);
        }
    }
}
