//! Typed access to a request body that has already passed the JSON type check and model
//! validation. Accessors still return errors instead of panicking: the control operations
//! are not in the model, and defence in depth costs nothing here.

use serde_json::{Map, Value};

use super::super::api_error::ApiError;
use crate::contract::rules::Change;

/// A request body (a JSON object).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a>(pub &'a Map<String, Value>);

impl<'a> Input<'a> {
    /// A required string member.
    pub fn str(&self, name: &str) -> Result<&'a str, ApiError> {
        self.opt_str(name)
            .ok_or_else(|| ApiError::invalid(format!("Missing required parameter {name}")))
    }

    /// An optional string member.
    pub fn opt_str(&self, name: &str) -> Option<&'a str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// An optional boolean member.
    pub fn opt_bool(&self, name: &str) -> Option<bool> {
        self.0.get(name).and_then(Value::as_bool)
    }

    /// An optional non-negative integer member.
    pub fn opt_u64(&self, name: &str) -> Option<u64> {
        self.0.get(name).and_then(Value::as_u64)
    }

    /// An optional object member.
    pub fn object(&self, name: &str) -> Option<Input<'a>> {
        self.0.get(name).and_then(Value::as_object).map(Input)
    }

    /// The strings of a list member (non-strings skipped; absent = empty).
    pub fn strings(&self, name: &str) -> Vec<String> {
        self.0
            .get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    }

    /// A list of `{Name, Value}` as changes (`Value` missing or null = `None`).
    pub fn attributes(&self, name: &str) -> Vec<Change> {
        self.0
            .get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .filter_map(|a| {
                let n = a.get("Name")?.as_str()?;
                Some(Change {
                    name: n.to_string(),
                    value: a.get("Value").and_then(Value::as_str).map(str::to_string),
                })
            })
            .collect()
    }
}
