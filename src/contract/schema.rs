//! A user pool's attribute schema: the standard attributes every pool has, plus the pool's
//! `Schema` entries (custom attributes become `custom:<Name>`; an entry naming a standard
//! attribute changes its `Required`/`Mutable` flags and string constraints).
//!
//! The rules in [`crate::contract::rules`] are pure functions over this type, so the reference
//! server and property-test generators agree on what a pool accepts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// `AttributeDataType` of a schema attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    /// `String`.
    String,
    /// `Number`.
    Number,
    /// `DateTime`.
    DateTime,
    /// `Boolean`.
    Boolean,
}

impl DataType {
    /// Parse the model's enum value; `None` for anything else.
    pub fn parse(s: &str) -> Option<DataType> {
        match s {
            "String" => Some(DataType::String),
            "Number" => Some(DataType::Number),
            "DateTime" => Some(DataType::DateTime),
            "Boolean" => Some(DataType::Boolean),
            _ => None,
        }
    }

    /// The model's enum value.
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::String => "String",
            DataType::Number => "Number",
            DataType::DateTime => "DateTime",
            DataType::Boolean => "Boolean",
        }
    }
}

/// One attribute of a pool's schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeDef {
    /// Full name as users see it (`email`, `custom:tier`).
    pub name: String,
    /// Data type.
    pub data_type: DataType,
    /// Whether the value can change after creation.
    pub mutable: bool,
    /// Whether every user must have a value.
    pub required: bool,
    /// `StringAttributeConstraints.MinLength`.
    pub min_length: Option<usize>,
    /// `StringAttributeConstraints.MaxLength`.
    pub max_length: Option<usize>,
}

/// Standard (OIDC) attributes present in every pool, with their data types.
pub const STANDARD_ATTRIBUTES: &[(&str, DataType)] = &[
    ("sub", DataType::String),
    ("name", DataType::String),
    ("given_name", DataType::String),
    ("family_name", DataType::String),
    ("middle_name", DataType::String),
    ("nickname", DataType::String),
    ("preferred_username", DataType::String),
    ("profile", DataType::String),
    ("picture", DataType::String),
    ("website", DataType::String),
    ("email", DataType::String),
    ("email_verified", DataType::Boolean),
    ("gender", DataType::String),
    ("birthdate", DataType::String),
    ("zoneinfo", DataType::String),
    ("locale", DataType::String),
    ("phone_number", DataType::String),
    ("phone_number_verified", DataType::Boolean),
    ("address", DataType::String),
    ("updated_at", DataType::Number),
];

/// Whether `name` is a standard attribute.
pub fn is_standard(name: &str) -> bool {
    STANDARD_ATTRIBUTES.iter().any(|(n, _)| *n == name)
}

/// Why a `Schema` entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// Cognito does not support required custom attributes.
    #[error("Required custom attributes are not supported currently.")]
    RequiredCustom,
    /// `sub` cannot be redefined as mutable.
    #[error("Invalid AttributeDataType or Mutable setting for attribute sub.")]
    SubRedefined,
    /// A string constraint that is not a non-negative integer, or min > max.
    #[error("Invalid StringAttributeConstraints for attribute {0}.")]
    BadConstraint(String),
    /// A `Schema` entry without a string `Name`.
    #[error("Missing required parameter Name")]
    MissingName,
    /// An `AttributeDataType` outside the model's enum.
    #[error("Invalid AttributeDataType {0}")]
    BadDataType(String),
    /// Verification before update needs the attribute to be auto-verified.
    #[error(
        "The attributes in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes."
    )]
    VerifyBeforeUpdateNotAutoVerified,
}

/// A pool's attributes and verification settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSchema {
    attributes: BTreeMap<String, AttributeDef>,
    /// `AutoVerifiedAttributes` (`email`, `phone_number`).
    pub auto_verified: BTreeSet<String>,
    /// `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`.
    pub verify_before_update: BTreeSet<String>,
    /// `AliasAttributes` and `UsernameAttributes`: values a user can sign in with, unique among
    /// verified holders.
    pub aliases: BTreeSet<String>,
    /// `UsernameAttributes`: the values users sign in with instead of a username.
    pub username_attributes: BTreeSet<String>,
}

impl Default for PoolSchema {
    fn default() -> Self {
        Self::standard()
    }
}

impl PoolSchema {
    /// A pool with only the standard attributes (all optional; only `sub` immutable).
    pub fn standard() -> PoolSchema {
        let attributes =
            STANDARD_ATTRIBUTES
                .iter()
                .map(|(name, data_type)| {
                    let def =
                        AttributeDef {
                            name: (*name).to_string(),
                            data_type: *data_type,
                            mutable: *name != "sub",
                            required: *name == "sub",
                            min_length: (*data_type == DataType::String)
                                .then_some(if *name == "sub" { 1 } else { 0 }),
                            max_length: (*data_type == DataType::String).then_some(2048),
                        };
                    ((*name).to_string(), def)
                })
                .collect();
        PoolSchema {
            attributes,
            auto_verified: BTreeSet::new(),
            verify_before_update: BTreeSet::new(),
            aliases: BTreeSet::new(),
            username_attributes: BTreeSet::new(),
        }
    }

    /// Apply one `Schema` entry. `min`/`max` are the raw `StringAttributeConstraints` strings.
    pub fn add(
        &mut self,
        name: &str,
        data_type: DataType,
        mutable: bool,
        required: bool,
        min: Option<&str>,
        max: Option<&str>,
    ) -> Result<(), SchemaError> {
        let full = if is_standard(name) {
            name.to_string()
        } else {
            format!("custom:{name}")
        };
        if full == "sub" && mutable {
            return Err(SchemaError::SubRedefined);
        }
        if !is_standard(name) && required {
            return Err(SchemaError::RequiredCustom);
        }
        let parse = |s: Option<&str>| -> Result<Option<usize>, SchemaError> {
            s.map(|v| {
                v.trim()
                    .parse::<usize>()
                    .map_err(|_| SchemaError::BadConstraint(full.clone()))
            })
            .transpose()
        };
        let (min_length, max_length) = (parse(min)?, parse(max)?);
        if let (Some(lo), Some(hi)) = (min_length, max_length)
            && lo > hi
        {
            return Err(SchemaError::BadConstraint(full));
        }
        let existing = self.attributes.get(&full);
        let def = AttributeDef {
            name: full.clone(),
            data_type: existing.map_or(data_type, |e| e.data_type),
            mutable,
            required,
            min_length: min_length.or(existing.and_then(|e| e.min_length)),
            max_length: max_length.or(existing.and_then(|e| e.max_length)),
        };
        self.attributes.insert(full, def);
        Ok(())
    }

    /// The schema a `CreateUserPool` input describes: its `Schema` entries, `AutoVerifiedAttributes`,
    /// `AliasAttributes` and `UsernameAttributes` (both unique among verified holders) and
    /// `UserAttributeUpdateSettings`. One definition for the reference server, which builds its
    /// pools from it, and for the property tests, which model the pools the suite provisions.
    pub fn from_create_input(input: &Map<String, Value>) -> Result<PoolSchema, SchemaError> {
        let strings = |v: Option<&Value>| -> BTreeSet<String> {
            v.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let mut schema = PoolSchema::standard();
        let entries = input
            .get("Schema")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object);
        for entry in entries {
            let name = entry
                .get("Name")
                .and_then(Value::as_str)
                .ok_or(SchemaError::MissingName)?;
            let data_type = match entry.get("AttributeDataType").and_then(Value::as_str) {
                None => DataType::String,
                Some(t) => DataType::parse(t).ok_or_else(|| SchemaError::BadDataType(t.into()))?,
            };
            let constraints = entry
                .get("StringAttributeConstraints")
                .and_then(Value::as_object);
            let bound = |key: &str| constraints.and_then(|c| c.get(key)).and_then(Value::as_str);
            let flag = |key: &str, default: bool| {
                entry.get(key).and_then(Value::as_bool).unwrap_or(default)
            };
            schema.add(
                name,
                data_type,
                flag("Mutable", true),
                flag("Required", false),
                bound("MinLength"),
                bound("MaxLength"),
            )?;
        }
        schema.auto_verified = strings(input.get("AutoVerifiedAttributes"));
        schema.aliases = strings(input.get("AliasAttributes"));
        schema.username_attributes = strings(input.get("UsernameAttributes"));
        schema
            .aliases
            .extend(schema.username_attributes.iter().cloned());
        if let Some(settings) = input
            .get("UserAttributeUpdateSettings")
            .and_then(Value::as_object)
        {
            schema.verify_before_update =
                strings(settings.get("AttributesRequireVerificationBeforeUpdate"));
        }
        if !schema.verify_before_update.is_subset(&schema.auto_verified) {
            return Err(SchemaError::VerifyBeforeUpdateNotAutoVerified);
        }
        Ok(schema)
    }

    /// Add (or replace) an attribute exactly as defined: no prefixing, no checks. The rules that
    /// decide what may be added live with the operation (e.g.
    /// [`crate::contract::custom_attributes::plan_add_custom_attributes`]).
    pub fn insert_attribute(&mut self, def: AttributeDef) {
        self.attributes.insert(def.name.clone(), def);
    }

    /// The attribute named `name` (full name, e.g. `custom:tier`).
    pub fn get(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.get(name)
    }

    /// Every attribute, by name.
    pub fn attributes(&self) -> impl Iterator<Item = &AttributeDef> {
        self.attributes.values()
    }
}

/// Which attributes an app client may write (`WriteAttributes`; absent = every attribute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteScope {
    /// No `WriteAttributes` given: every mutable attribute.
    All,
    /// Only these attributes.
    Only(BTreeSet<String>),
}

impl WriteScope {
    /// The scope a `CreateUserPoolClient` input gives: absent or null `WriteAttributes` means
    /// every attribute.
    pub fn from_client_input(input: &Map<String, Value>) -> WriteScope {
        match input.get("WriteAttributes") {
            None | Some(Value::Null) => WriteScope::All,
            Some(v) => WriteScope::Only(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
        }
    }

    /// Whether the client may write `name`.
    pub fn allows(&self, name: &str) -> bool {
        match self {
            WriteScope::All => true,
            WriteScope::Only(set) => set.contains(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_entries_get_a_prefix_and_standard_entries_change_flags() {
        let mut s = PoolSchema::standard();
        s.add("email", DataType::String, true, true, None, None)
            .unwrap();
        s.add("tier", DataType::String, true, false, Some("3"), Some("10"))
            .unwrap();
        s.add("badge", DataType::String, false, false, None, None)
            .unwrap();
        assert!(s.get("email").unwrap().required);
        assert_eq!(s.get("custom:tier").unwrap().min_length, Some(3));
        assert!(!s.get("custom:badge").unwrap().mutable);
        assert!(s.get("tier").is_none());
        assert!(!s.get("sub").unwrap().mutable);
        assert!(s.get("phone_number").unwrap().mutable);
    }

    #[test]
    fn bad_entries_are_errors() {
        let mut s = PoolSchema::standard();
        assert_eq!(
            s.add("x", DataType::String, true, true, None, None),
            Err(SchemaError::RequiredCustom)
        );
        assert!(matches!(
            s.add("x", DataType::String, true, false, Some("a"), None),
            Err(SchemaError::BadConstraint(_))
        ));
        assert!(matches!(
            s.add("x", DataType::String, true, false, Some("5"), Some("2")),
            Err(SchemaError::BadConstraint(_))
        ));
        assert_eq!(
            s.add("sub", DataType::String, true, true, None, None),
            Err(SchemaError::SubRedefined)
        );
    }

    #[test]
    fn create_input_builds_the_schema() {
        let input = serde_json::json!({
            "Schema": [{"Name": "tier", "AttributeDataType": "String",
                        "StringAttributeConstraints": {"MinLength": "3", "MaxLength": "10"}},
                       {"Name": "badge", "Mutable": false},
                       {"Name": "email", "Required": true}],
            "AutoVerifiedAttributes": ["email"],
            "AliasAttributes": ["email"],
            "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]}
        });
        let s = PoolSchema::from_create_input(input.as_object().unwrap()).unwrap();
        assert_eq!(s.get("custom:tier").unwrap().max_length, Some(10));
        assert!(!s.get("custom:badge").unwrap().mutable);
        assert!(s.get("email").unwrap().required);
        assert!(s.verify_before_update.contains("email"));
        let bad = serde_json::json!({"UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]}});
        assert_eq!(
            PoolSchema::from_create_input(bad.as_object().unwrap()),
            Err(SchemaError::VerifyBeforeUpdateNotAutoVerified)
        );
        let bad = serde_json::json!({"Schema": [{"Name": "x", "AttributeDataType": "Blob"}]});
        assert_eq!(
            PoolSchema::from_create_input(bad.as_object().unwrap()),
            Err(SchemaError::BadDataType("Blob".into()))
        );
        let client = serde_json::json!({"WriteAttributes": ["email"]});
        assert_eq!(
            WriteScope::from_client_input(client.as_object().unwrap()),
            WriteScope::Only(["email".to_string()].into())
        );
        assert_eq!(WriteScope::from_client_input(&Map::new()), WriteScope::All);
    }

    #[test]
    fn write_scope() {
        let only = WriteScope::Only(["email".to_string()].into());
        assert!(only.allows("email"));
        assert!(!only.allows("name"));
        assert!(WriteScope::All.allows("custom:team"));
    }
}
