//! The pool's schema after a call against the expectation (`then.schema`,
//! `then.schema_absent`): what DescribeUserPool lists in `SchemaAttributes`, attribute by
//! attribute, property by property.
//!
//! A change to the pool (AddCustomAttributes) is only visible in later reads: the response is
//! `{}`. Reading the schema back after the call, like the user's attributes, is what shows
//! whether the name was prefixed, the type kept and the defaults applied.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Mismatch, Probe};
use crate::case::fixture::Outcome;

/// A pool's schema as read back: attribute name -> its `SchemaAttributes` entry as sent.
pub type SchemaAttributes = BTreeMap<String, Value>;

/// The schema by attribute name from a DescribeUserPool output (`UserPool.SchemaAttributes`);
/// entries without a string `Name` are left out.
pub fn schema_of(describe: &Value) -> SchemaAttributes {
    describe
        .pointer("/UserPool/SchemaAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.get("Name")?.as_str()?;
            Some((name.to_string(), entry.clone()))
        })
        .collect()
}

/// Compare the schema read back after the call with the outcome's `schema` and
/// `schema_absent`. `after` is `None` when the pool no longer exists.
pub fn check_schema(
    expected: &Outcome,
    after: &Probe<Option<SchemaAttributes>>,
    out: &mut Vec<Mismatch>,
) {
    if !expected.reads_schema() {
        return;
    }
    let schema = match after {
        Probe::NotChecked => return,
        Probe::Unknown(why) => {
            out.push(Mismatch::contract(
                "schema",
                "the pool's schema (DescribeUserPool)",
                format!("could not read the pool's schema back: {why}"),
            ));
            return;
        }
        Probe::Seen(None) => {
            out.push(Mismatch::contract(
                "schema",
                "the pool's schema (DescribeUserPool)",
                "the pool no longer exists",
            ));
            return;
        }
        Probe::Seen(Some(s)) => s,
    };
    for (name, entry) in &expected.schema {
        let Some(actual) = schema.get(name) else {
            out.push(Mismatch::contract(
                format!("schema.{name}"),
                "listed in SchemaAttributes",
                absent_among(schema),
            ));
            continue;
        };
        for (member, want) in entry.expected() {
            let got = member
                .split('.')
                .try_fold(actual, |v, key| v.get(key))
                .cloned();
            if got.as_ref() != Some(&want) {
                out.push(Mismatch::contract(
                    format!("schema.{name}.{member}"),
                    want.to_string(),
                    got.map_or("absent".to_string(), |v| v.to_string()),
                ));
            }
        }
    }
    for name in &expected.schema_absent {
        if let Some(actual) = schema.get(name) {
            out.push(Mismatch::contract(
                format!("schema.{name}"),
                "absent from SchemaAttributes",
                format!("listed: {actual}"),
            ));
        }
    }
}

/// What the schema lists instead: the custom and developer-only names, which is where a
/// missing attribute usually went (`custom:x` instead of `custom:custom:x`).
fn absent_among(schema: &SchemaAttributes) -> String {
    let custom: Vec<&str> = schema
        .keys()
        .map(String::as_str)
        .filter(|n| n.starts_with("custom:") || n.starts_with("dev:"))
        .collect();
    if custom.is_empty() {
        "absent (no custom attributes listed)".to_string()
    } else {
        format!("absent (custom attributes listed: {})", custom.join(", "))
    }
}

/// What a golden shows of the schema: the entries `names` (the ones a step's outcomes name),
/// each as sent or `absent`; `deleted` for a pool that no longer exists.
pub fn shown<'a>(
    names: impl IntoIterator<Item = &'a String>,
    after: &Probe<Option<SchemaAttributes>>,
) -> Option<Value> {
    match after {
        Probe::NotChecked => None,
        Probe::Unknown(why) => Some(Value::String(format!("unknown: {why}"))),
        Probe::Seen(None) => Some(Value::String("deleted".into())),
        Probe::Seen(Some(schema)) => Some(Value::Object(
            names
                .into_iter()
                .map(|n| {
                    let v = schema
                        .get(n)
                        .cloned()
                        .unwrap_or_else(|| Value::String("absent".into()));
                    (n.clone(), v)
                })
                .collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::case::fixture::{AttributeDataType, SchemaEntry};
    use crate::check::Tier;

    fn read(entries: Value) -> Probe<Option<SchemaAttributes>> {
        Probe::Seen(Some(schema_of(
            &json!({"UserPool": {"SchemaAttributes": entries}}),
        )))
    }

    fn expecting(name: &str, entry: SchemaEntry, absent: &[&str]) -> Outcome {
        Outcome {
            schema: [(name.to_string(), entry)].into(),
            schema_absent: absent.iter().map(|s| s.to_string()).collect(),
            ..Outcome::of_status(200)
        }
    }

    fn defaults() -> SchemaEntry {
        SchemaEntry {
            data_type: Some(AttributeDataType::String),
            mutable: Some(false),
            max_length: Some("2048".into()),
            ..SchemaEntry::default()
        }
    }

    #[test]
    fn a_matching_schema_passes() {
        let after = read(json!([
            {"Name": "email", "AttributeDataType": "String", "Mutable": true},
            {"Name": "custom:plain", "AttributeDataType": "String", "Mutable": false,
             "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"}}
        ]));
        let mut out = vec![];
        check_schema(
            &expecting("custom:plain", defaults(), &["plain"]),
            &after,
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn each_property_that_differs_is_a_typed_mismatch() {
        let after = read(json!([
            {"Name": "custom:plain", "AttributeDataType": "String", "Mutable": true,
             "StringAttributeConstraints": {"MaxLength": 2048}}
        ]));
        let mut out = vec![];
        check_schema(
            &expecting("custom:plain", defaults(), &[]),
            &after,
            &mut out,
        );
        let shown: Vec<(&str, &str, &str)> = out
            .iter()
            .map(|m| (m.field.as_str(), m.expected.as_str(), m.actual.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("schema.custom:plain.Mutable", "false", "true"),
                (
                    "schema.custom:plain.StringAttributeConstraints.MaxLength",
                    "\"2048\"",
                    "2048"
                ),
            ]
        );
        assert!(out.iter().all(|m| m.tier == Tier::Contract));
    }

    #[test]
    fn missing_and_unexpected_attributes_are_named() {
        let after = read(json!([{"Name": "custom:x", "AttributeDataType": "String"}]));
        let mut out = vec![];
        check_schema(
            &expecting("custom:custom:x", SchemaEntry::default(), &["custom:x"]),
            &after,
            &mut out,
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].field, "schema.custom:custom:x");
        assert!(out[0].actual.contains("custom:x"), "{}", out[0].actual);
        assert_eq!(out[1].field, "schema.custom:x");
        assert_eq!(out[1].expected, "absent from SchemaAttributes");
    }

    #[test]
    fn an_unreadable_or_deleted_pool_fails_and_nothing_expected_reads_nothing() {
        let o = expecting("custom:a", SchemaEntry::default(), &[]);
        for probe in [Probe::Unknown("HTTP 500".into()), Probe::Seen(None)] {
            let mut out = vec![];
            check_schema(&o, &probe, &mut out);
            assert_eq!((out.len(), out[0].field.as_str()), (1, "schema"));
        }
        let mut out = vec![];
        check_schema(&Outcome::of_status(200), &Probe::Seen(None), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_golden_shows_the_named_entries_only() {
        let after = read(json!([
            {"Name": "email", "AttributeDataType": "String"},
            {"Name": "custom:a", "AttributeDataType": "Number"}
        ]));
        let names = ["custom:a".to_string(), "custom:b".to_string()];
        assert_eq!(
            shown(&names, &after),
            Some(
                json!({"custom:a": {"Name": "custom:a", "AttributeDataType": "Number"}, "custom:b": "absent"})
            )
        );
        assert_eq!(shown(&names, &Probe::NotChecked), None);
    }
}
