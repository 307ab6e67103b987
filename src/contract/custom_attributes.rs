//! AddCustomAttributes: which `CustomAttributes` entries a pool accepts and the schema that
//! results, plus who may write a developer-only attribute afterwards.
//!
//! A pure function of the pool's [`PoolSchema`] and the request, shared by the reference server
//! and generators. Evidence (`contract/sources/attribute-family.toml`, rows C*):
//!
//! - observed: every entry becomes `custom:<Name>`, also when `Name` already starts with
//!   `custom:` (C4/C5: `custom:custom:name`); an existing name is refused with
//!   `<full name>: Existing attribute already has name <full name>.` (C4,
//!   serverless-cognito-add-custom-attributes-3; error type not printed there, the modelled
//!   `InvalidParameterException` is used); `Required: true` is refused with `Required custom
//!   attributes are not supported currently.` (C6, on CreateUserPool); a missing or unknown
//!   `AttributeDataType` with `Invalid AttributeDataType input, consider using the provided
//!   AttributeDataType enum.` (C7; which call produced it is inferred); an entry without
//!   `Mutable` is immutable (C9, aws-cdk-8624); the limit is 50 custom attributes per pool (C2).
//! - documented: `DeveloperOnlyAttribute: true` makes a `dev:` attribute only administrators can
//!   write (model documentation); its name is `dev:custom:<Name>` (C10/U13: user statements).
//! - inferred (no capture): a duplicate name inside one request gets the "Existing attribute"
//!   text; a clash is decided on the full name (`dev:custom:x` does not clash with `custom:x`);
//!   the constraint messages [`CustomAttributeError::BadStringConstraints`] and
//!   [`CustomAttributeError::BadNumberConstraints`] (the string form is the one
//!   [`super::schema::SchemaError::BadConstraint`] already uses for CreateUserPool); a string
//!   attribute without constraints gets `MinLength 0`, `MaxLength 2048` (2048 seen in C9) and
//!   `MaxLength` above 2048 is refused (the documented value limit); constraints of the other
//!   data type are ignored; the over-the-limit answer is `InvalidParameterException` (the
//!   operation does not model `LimitExceededException`) with [`CustomAttributeError::TooMany`]'s
//!   text; an entry without `Name` is refused with `Missing required parameter Name` (the
//!   model does not require it); developer-only attributes cannot be written through an app
//!   client (`NotAuthorizedException`, the client-write message).
//!
//! Checks, entry by entry in request order (first failure wins): `Name` present;
//! `AttributeDataType`; `Required`; name clash; constraints. Then the pool limit. Nothing is
//! applied unless every entry passes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::schema::{AttributeDef, DataType, PoolSchema, WriteScope};

/// Custom attributes a pool may have (C2: limits page, not adjustable).
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

/// Longest string value, and the default `MaxLength` of a custom string attribute.
pub const MAX_STRING_LENGTH: usize = 2048;

/// Prefix of custom attribute names.
pub const CUSTOM_PREFIX: &str = "custom:";

/// Prefix of developer-only attribute names (before `custom:`).
pub const DEVELOPER_PREFIX: &str = "dev:";

/// One `SchemaAttributeType` of the request, as sent (constraints still strings).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAttribute {
    /// `Name` (without prefix, but a `custom:` in it is kept).
    pub name: Option<String>,
    /// `AttributeDataType` as sent.
    pub data_type: Option<String>,
    /// `DeveloperOnlyAttribute` (default false).
    pub developer_only: bool,
    /// `Mutable` (default false: immutable).
    pub mutable: bool,
    /// `Required` (default false).
    pub required: bool,
    /// `StringAttributeConstraints` `(MinLength, MaxLength)`, when the member is present.
    pub string_constraints: Option<(Option<String>, Option<String>)>,
    /// `NumberAttributeConstraints` `(MinValue, MaxValue)`, when the member is present.
    pub number_constraints: Option<(Option<String>, Option<String>)>,
}

impl NewAttribute {
    /// Read one entry of `CustomAttributes` (already type-checked against the model; anything
    /// of the wrong type counts as absent).
    pub fn from_json(entry: &Map<String, Value>) -> NewAttribute {
        let string = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let flag = |key: &str| entry.get(key).and_then(Value::as_bool).unwrap_or(false);
        let pair = |key: &str, lo: &str, hi: &str| {
            entry
                .get(key)
                .and_then(Value::as_object)
                .map(|c| (string(c.get(lo)), string(c.get(hi))))
        };
        NewAttribute {
            name: string(entry.get("Name")),
            data_type: string(entry.get("AttributeDataType")),
            developer_only: flag("DeveloperOnlyAttribute"),
            mutable: flag("Mutable"),
            required: flag("Required"),
            string_constraints: pair("StringAttributeConstraints", "MinLength", "MaxLength"),
            number_constraints: pair("NumberAttributeConstraints", "MinValue", "MaxValue"),
        }
    }

    /// The attribute's full name: `custom:<Name>` or `dev:custom:<Name>`.
    pub fn full_name(&self) -> Option<String> {
        let name = self.name.as_deref()?;
        let prefix = if self.developer_only {
            DEVELOPER_PREFIX
        } else {
            ""
        };
        Some(format!("{prefix}{CUSTOM_PREFIX}{name}"))
    }
}

/// `NumberAttributeConstraints` of a number attribute, as validated strings (echoed by
/// DescribeUserPool as sent).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NumberBounds {
    /// `MinValue`.
    pub min: Option<String>,
    /// `MaxValue`.
    pub max: Option<String>,
}

/// One attribute the request adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedAttribute {
    /// Its definition (full name, type, mutability, string constraints).
    pub def: AttributeDef,
    /// `DeveloperOnlyAttribute`.
    pub developer_only: bool,
    /// Number constraints (number attributes that were given some).
    pub number: Option<NumberBounds>,
}

/// An accepted AddCustomAttributes request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAttributePlan {
    /// The pool's schema afterwards.
    pub schema: PoolSchema,
    /// What was added, in request order.
    pub added: Vec<AddedAttribute>,
}

/// A refused AddCustomAttributes request. Every variant is an `InvalidParameterException`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CustomAttributeError {
    /// An entry without `Name` (inferred text).
    #[error("Missing required parameter Name")]
    MissingName,
    /// `AttributeDataType` missing or outside the enum (observed text, C7).
    #[error("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")]
    InvalidDataType,
    /// `Required: true` (observed text, C6).
    #[error("Required custom attributes are not supported currently.")]
    RequiredCustom,
    /// The full name exists already, or twice in the request (observed text, C4).
    #[error("{0}: Existing attribute already has name {0}.")]
    Exists(String),
    /// String constraints that are not non-negative integers, `MinLength > MaxLength`, or
    /// `MaxLength > 2048` (inferred text).
    #[error("Invalid StringAttributeConstraints for attribute {0}.")]
    BadStringConstraints(String),
    /// Number constraints that are not finite numbers, or `MinValue > MaxValue` (inferred
    /// text).
    #[error("Invalid NumberAttributeConstraints for attribute {0}.")]
    BadNumberConstraints(String),
    /// The pool would have more than [`MAX_CUSTOM_ATTRIBUTES`] (inferred type and text).
    #[error(
        "The user pool cannot have more than 50 custom attributes: it has {existing} and the request adds {requested}."
    )]
    TooMany {
        /// Custom attributes the pool has.
        existing: usize,
        /// Custom attributes the request adds.
        requested: usize,
    },
}

impl CustomAttributeError {
    /// The AWS error type.
    pub fn error_type(&self) -> &'static str {
        "InvalidParameterException"
    }
}

/// Whether `name` is a custom or developer-only attribute (counts against the limit).
pub fn is_custom(name: &str) -> bool {
    name.starts_with(CUSTOM_PREFIX) || name.starts_with(DEVELOPER_PREFIX)
}

/// Whether `name` is a developer-only attribute.
pub fn is_developer_only(name: &str) -> bool {
    name.starts_with(DEVELOPER_PREFIX)
}

fn string_bounds(
    full: &str,
    constraints: Option<&(Option<String>, Option<String>)>,
) -> Result<(usize, usize), CustomAttributeError> {
    let bad = || CustomAttributeError::BadStringConstraints(full.to_string());
    let parse = |v: Option<&String>, default: usize| -> Result<usize, CustomAttributeError> {
        match v {
            None => Ok(default),
            Some(s) => s.trim().parse::<usize>().map_err(|_| bad()),
        }
    };
    let (min, max) = constraints.map_or((None, None), |(lo, hi)| (lo.as_ref(), hi.as_ref()));
    let (min, max) = (parse(min, 0)?, parse(max, MAX_STRING_LENGTH)?);
    if min > max || max > MAX_STRING_LENGTH {
        return Err(bad());
    }
    Ok((min, max))
}

fn number_bounds(
    full: &str,
    constraints: Option<&(Option<String>, Option<String>)>,
) -> Result<Option<NumberBounds>, CustomAttributeError> {
    let Some((lo, hi)) = constraints else {
        return Ok(None);
    };
    let bad = || CustomAttributeError::BadNumberConstraints(full.to_string());
    let parse = |v: &Option<String>| -> Result<Option<f64>, CustomAttributeError> {
        match v {
            None => Ok(None),
            Some(s) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(bad()),
            },
        }
    };
    if let (Some(a), Some(b)) = (parse(lo)?, parse(hi)?)
        && a > b
    {
        return Err(bad());
    }
    Ok(Some(NumberBounds {
        min: lo.clone(),
        max: hi.clone(),
    }))
}

/// Plan AddCustomAttributes on a pool whose schema is `schema`.
pub fn plan_add_custom_attributes(
    schema: &PoolSchema,
    request: &[NewAttribute],
) -> Result<CustomAttributePlan, CustomAttributeError> {
    plan_add_custom_attributes_within(schema, request, MAX_CUSTOM_ATTRIBUTES)
}

/// [`plan_add_custom_attributes`] with another limit of custom attributes per pool (the
/// reference's break of the limit passes `usize::MAX`).
pub fn plan_add_custom_attributes_within(
    schema: &PoolSchema,
    request: &[NewAttribute],
    limit: usize,
) -> Result<CustomAttributePlan, CustomAttributeError> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut added = Vec::with_capacity(request.len());
    for entry in request {
        let full = entry.full_name().ok_or(CustomAttributeError::MissingName)?;
        let data_type = entry
            .data_type
            .as_deref()
            .and_then(DataType::parse)
            .ok_or(CustomAttributeError::InvalidDataType)?;
        if entry.required {
            return Err(CustomAttributeError::RequiredCustom);
        }
        if schema.get(&full).is_some() || !seen.insert(full.clone()) {
            return Err(CustomAttributeError::Exists(full));
        }
        let (min_length, max_length) = match data_type {
            DataType::String => {
                let (lo, hi) = string_bounds(&full, entry.string_constraints.as_ref())?;
                (Some(lo), Some(hi))
            }
            _ => (None, None),
        };
        let number = match data_type {
            DataType::Number => number_bounds(&full, entry.number_constraints.as_ref())?,
            _ => None,
        };
        added.push(AddedAttribute {
            def: AttributeDef {
                name: full,
                data_type,
                mutable: entry.mutable,
                required: false,
                min_length,
                max_length,
            },
            developer_only: entry.developer_only,
            number,
        });
    }
    let existing = schema.attributes().filter(|d| is_custom(&d.name)).count();
    if existing.saturating_add(added.len()) > limit {
        return Err(CustomAttributeError::TooMany {
            existing,
            requested: added.len(),
        });
    }
    let mut next = schema.clone();
    for a in &added {
        next.insert_attribute(a.def.clone());
    }
    Ok(CustomAttributePlan {
        schema: next,
        added,
    })
}

/// The write scope an app client really has in a pool: its `WriteAttributes` (or every
/// attribute) minus the developer-only ones, which only administrators write. For a pool
/// without developer-only attributes this is the client's scope unchanged in effect.
pub fn effective_client_scope(schema: &PoolSchema, scope: &WriteScope) -> WriteScope {
    if !schema.attributes().any(|d| is_developer_only(&d.name)) {
        return scope.clone();
    }
    let names = schema
        .attributes()
        .map(|d| d.name.clone())
        .filter(|n| !is_developer_only(n) && scope.allows(n))
        .collect();
    WriteScope::Only(names)
}

/// Number constraints by attribute name, for DescribeUserPool (what the reference stores next
/// to the schema).
pub type NumberConstraints = BTreeMap<String, NumberBounds>;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::rules::{Actor, Change, plan_update};

    fn entry(v: Value) -> NewAttribute {
        NewAttribute::from_json(v.as_object().unwrap())
    }

    fn plan(
        schema: &PoolSchema,
        entries: &[Value],
    ) -> Result<CustomAttributePlan, CustomAttributeError> {
        let request: Vec<NewAttribute> = entries.iter().cloned().map(entry).collect();
        plan_add_custom_attributes(schema, &request)
    }

    fn err(schema: &PoolSchema, entries: &[Value]) -> String {
        plan(schema, entries).unwrap_err().to_string()
    }

    #[test]
    fn new_attributes_get_the_custom_prefix_and_are_immutable_by_default() {
        let p = plan(
            &PoolSchema::standard(),
            &[json!({"Name": "tier", "AttributeDataType": "String"})],
        )
        .unwrap();
        let def = p.schema.get("custom:tier").unwrap();
        assert!(!def.mutable);
        assert!(!def.required);
        assert_eq!((def.min_length, def.max_length), (Some(0), Some(2048)));
        assert_eq!(p.added.len(), 1);
        assert!(
            PoolSchema::standard().get("custom:tier").is_none(),
            "input untouched"
        );
    }

    #[test]
    fn a_name_starting_with_custom_is_prefixed_again() {
        let p = plan(
            &PoolSchema::standard(),
            &[json!({"Name": "custom:x", "AttributeDataType": "String", "Mutable": true})],
        )
        .unwrap();
        assert!(p.schema.get("custom:custom:x").unwrap().mutable);
        assert!(p.schema.get("custom:x").is_none());
    }

    #[test]
    fn developer_only_attributes_are_dev_custom() {
        let p = plan(
            &PoolSchema::standard(),
            &[json!({"Name": "flag", "AttributeDataType": "Boolean", "DeveloperOnlyAttribute": true, "Mutable": true})],
        )
        .unwrap();
        assert!(p.schema.get("dev:custom:flag").is_some());
        assert!(p.added[0].developer_only);
        assert!(is_developer_only("dev:custom:flag"));
    }

    #[test]
    fn required_custom_attributes_are_refused() {
        assert_eq!(
            err(
                &PoolSchema::standard(),
                &[json!({"Name": "x", "AttributeDataType": "String", "Required": true})]
            ),
            "Required custom attributes are not supported currently."
        );
        assert!(
            plan(
                &PoolSchema::standard(),
                &[json!({"Name": "x", "AttributeDataType": "String", "Required": false})]
            )
            .is_ok()
        );
    }

    #[test]
    fn existing_and_duplicate_names_are_refused_with_the_full_name() {
        let mut s = PoolSchema::standard();
        s.add("name", DataType::String, true, false, None, None)
            .unwrap();
        s.add("custom:name", DataType::String, true, false, None, None)
            .unwrap();
        assert_eq!(
            err(
                &s,
                &[json!({"Name": "custom:name", "AttributeDataType": "String"})]
            ),
            "custom:custom:name: Existing attribute already has name custom:custom:name."
        );
        let e = plan(
            &PoolSchema::standard(),
            &[
                json!({"Name": "a", "AttributeDataType": "String"}),
                json!({"Name": "a", "AttributeDataType": "Number"}),
            ],
        )
        .unwrap_err();
        assert_eq!(e, CustomAttributeError::Exists("custom:a".into()));
        assert_eq!(e.error_type(), "InvalidParameterException");
        // A developer-only attribute of the same Name is another attribute.
        let p = plan(
            &PoolSchema::standard(),
            &[
                json!({"Name": "a", "AttributeDataType": "String"}),
                json!({"Name": "a", "AttributeDataType": "String", "DeveloperOnlyAttribute": true}),
            ],
        );
        assert!(p.is_ok());
    }

    #[test]
    fn data_type_must_be_given_and_known() {
        let msg =
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.";
        assert_eq!(err(&PoolSchema::standard(), &[json!({"Name": "x"})]), msg);
        assert_eq!(
            err(
                &PoolSchema::standard(),
                &[json!({"Name": "x", "AttributeDataType": "Blob"})]
            ),
            msg
        );
        for t in ["String", "Number", "DateTime", "Boolean"] {
            assert!(
                plan(
                    &PoolSchema::standard(),
                    &[json!({"Name": "x", "AttributeDataType": t})]
                )
                .is_ok(),
                "{t}"
            );
        }
        assert_eq!(
            err(
                &PoolSchema::standard(),
                &[json!({"AttributeDataType": "String"})]
            ),
            "Missing required parameter Name"
        );
    }

    #[test]
    fn string_constraints_are_validated() {
        let s = PoolSchema::standard();
        let with = |c: Value| json!({"Name": "s", "AttributeDataType": "String", "StringAttributeConstraints": c});
        let p = plan(&s, &[with(json!({"MinLength": "3", "MaxLength": "10"}))]).unwrap();
        let d = p.schema.get("custom:s").unwrap();
        assert_eq!((d.min_length, d.max_length), (Some(3), Some(10)));
        let p = plan(&s, &[with(json!({"MinLength": "5"}))]).unwrap();
        assert_eq!(p.schema.get("custom:s").unwrap().max_length, Some(2048));
        for bad in [
            json!({"MinLength": "a"}),
            json!({"MaxLength": "-1"}),
            json!({"MinLength": "5", "MaxLength": "2"}),
            json!({"MaxLength": "2049"}),
            json!({"MinLength": "3000"}),
        ] {
            assert_eq!(
                err(&s, &[with(bad.clone())]),
                "Invalid StringAttributeConstraints for attribute custom:s.",
                "{bad}"
            );
        }
        // String constraints on a number attribute are ignored.
        let p = plan(
            &s,
            &[json!({"Name": "n", "AttributeDataType": "Number", "StringAttributeConstraints": {"MinLength": "x"}})],
        )
        .unwrap();
        assert_eq!(p.schema.get("custom:n").unwrap().min_length, None);
    }

    #[test]
    fn number_constraints_are_validated() {
        let s = PoolSchema::standard();
        let with = |c: Value| json!({"Name": "n", "AttributeDataType": "Number", "NumberAttributeConstraints": c});
        let p = plan(&s, &[with(json!({"MinValue": "-1.5", "MaxValue": "10"}))]).unwrap();
        assert_eq!(
            p.added[0].number,
            Some(NumberBounds {
                min: Some("-1.5".into()),
                max: Some("10".into())
            })
        );
        for bad in [
            json!({"MinValue": "ten"}),
            json!({"MaxValue": "inf"}),
            json!({"MinValue": "NaN"}),
            json!({"MinValue": "5", "MaxValue": "1"}),
        ] {
            assert_eq!(
                err(&s, &[with(bad.clone())]),
                "Invalid NumberAttributeConstraints for attribute custom:n.",
                "{bad}"
            );
        }
        let p = plan(&s, &[json!({"Name": "n", "AttributeDataType": "Number"})]).unwrap();
        assert_eq!(p.added[0].number, None);
    }

    #[test]
    fn at_most_fifty_custom_attributes() {
        let many = |from: usize, n: usize| -> Vec<Value> {
            (from..from + n)
                .map(|i| json!({"Name": format!("a{i}"), "AttributeDataType": "String"}))
                .collect()
        };
        let p = plan(&PoolSchema::standard(), &many(0, 25)).unwrap();
        let p = plan(&p.schema, &many(25, 25)).unwrap();
        assert_eq!(
            p.schema.attributes().filter(|d| is_custom(&d.name)).count(),
            50
        );
        let e = plan(&p.schema, &many(50, 1)).unwrap_err();
        assert_eq!(
            e,
            CustomAttributeError::TooMany {
                existing: 50,
                requested: 1
            }
        );
        assert_eq!(e.error_type(), "InvalidParameterException");
    }

    #[test]
    fn a_refused_request_adds_nothing_even_when_earlier_entries_were_valid() {
        let r = plan(
            &PoolSchema::standard(),
            &[
                json!({"Name": "ok", "AttributeDataType": "String"}),
                json!({"Name": "bad", "AttributeDataType": "String", "Required": true}),
            ],
        );
        assert_eq!(r.unwrap_err(), CustomAttributeError::RequiredCustom);
    }

    #[test]
    fn checks_run_entry_by_entry_in_request_order() {
        let r = plan(
            &PoolSchema::standard(),
            &[
                json!({"Name": "a", "Required": true}),
                json!({"Name": "b", "AttributeDataType": "String", "Required": true}),
            ],
        );
        assert_eq!(r.unwrap_err(), CustomAttributeError::InvalidDataType);
    }

    #[test]
    fn added_attributes_follow_the_update_rules() {
        let p = plan(
            &PoolSchema::standard(),
            &[
                json!({"Name": "m", "AttributeDataType": "String", "Mutable": true, "StringAttributeConstraints": {"MaxLength": "4"}}),
                json!({"Name": "i", "AttributeDataType": "String"}),
            ],
        )
        .unwrap();
        let current = BTreeMap::new();
        let ok = plan_update(
            &p.schema,
            Actor::Admin,
            &current,
            &[Change::set("custom:m", "abcd")],
            &|_, _| false,
        );
        assert!(ok.is_ok());
        let long = plan_update(
            &p.schema,
            Actor::Admin,
            &current,
            &[Change::set("custom:m", "abcde")],
            &|_, _| false,
        );
        assert_eq!(
            long.unwrap_err().to_string(),
            "user.custom:m: String must be no longer than 4 characters\n"
        );
        let imm = plan_update(
            &p.schema,
            Actor::Admin,
            &current,
            &[Change::set("custom:i", "x")],
            &|_, _| false,
        );
        assert_eq!(
            imm.unwrap_err().to_string(),
            "user.custom:i: Attribute cannot be updated.\n"
        );
    }

    #[test]
    fn clients_never_write_developer_only_attributes() {
        let p = plan(
            &PoolSchema::standard(),
            &[json!({"Name": "d", "AttributeDataType": "String", "DeveloperOnlyAttribute": true, "Mutable": true})],
        )
        .unwrap();
        let scope = effective_client_scope(&p.schema, &WriteScope::All);
        assert!(!scope.allows("dev:custom:d"));
        assert!(scope.allows("name"));
        let r = plan_update(
            &p.schema,
            Actor::Client(&scope),
            &BTreeMap::new(),
            &[Change::set("dev:custom:d", "x")],
            &|_, _| false,
        );
        let e = r.unwrap_err();
        assert_eq!(
            (e.error_type(), e.to_string().as_str()),
            (
                "NotAuthorizedException",
                "A client attempted to write unauthorized attribute"
            )
        );
        assert!(
            plan_update(
                &p.schema,
                Actor::Admin,
                &BTreeMap::new(),
                &[Change::set("dev:custom:d", "x")],
                &|_, _| false
            )
            .is_ok()
        );
        // Without developer-only attributes the scope is the client's own.
        let only = WriteScope::Only(["email".to_string()].into());
        assert_eq!(effective_client_scope(&PoolSchema::standard(), &only), only);
        assert_eq!(
            effective_client_scope(&PoolSchema::standard(), &WriteScope::All),
            WriteScope::All
        );
    }
}
