//! Cognito's `AttributeListType` (`[{"Name": .., "Value": ..}]`) as a map.

use std::collections::BTreeMap;

use serde_json::Value;

/// `[{Name, Value}]` under `key` as a map (a missing Value counts as empty).
pub fn attributes_of(out: &Value, key: &str) -> BTreeMap<String, String> {
    out.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let name = a.get("Name")?.as_str()?.to_string();
            let value = a
                .get("Value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            Some((name, value))
        })
        .collect()
}
