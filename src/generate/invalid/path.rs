//! Paths into a JSON body: concrete ones (list indices, map keys) and the model's constraint
//! paths they instantiate (`userAttributes.member.name`).

use std::fmt;

use serde_json::Value;

use crate::case::operation_dir;
use crate::contract::validate::member_path_segment;

/// One step into a concrete JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A structure member.
    Member(String),
    /// A list element.
    Index(usize),
    /// The value of a map entry.
    Entry(String),
    /// The key of a map entry.
    EntryKey(String),
}

/// One step of a constraint path through the input shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hop {
    /// A structure member.
    Member(String),
    /// Any list element.
    Element,
    /// Any map value.
    Value,
    /// Any map key.
    Key,
}

/// A constraint path (`[]` is the body itself).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HopPath(pub Vec<Hop>);

impl HopPath {
    /// Kebab-case name for ids (`user-attributes-member-name`, `body`).
    pub fn kebab(&self) -> String {
        if self.0.is_empty() {
            return "body".into();
        }
        self.0
            .iter()
            .map(|h| match h {
                Hop::Member(m) => operation_dir(m),
                Hop::Element => "member".into(),
                Hop::Value => "value".into(),
                Hop::Key => "key".into(),
            })
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl fmt::Display for HopPath {
    /// As AWS writes member paths, elements as `member` (`userAttributes.member.name`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("the body");
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|h| match h {
                Hop::Member(m) => member_path_segment(m),
                Hop::Element => "member".into(),
                Hop::Value => "<value>".into(),
                Hop::Key => "<key>".into(),
            })
            .collect();
        f.write_str(&parts.join("."))
    }
}

/// A concrete path as AWS writes it in validation messages (`userAttributes.1.member.name`).
pub fn display(path: &[Step]) -> String {
    if path.is_empty() {
        return "(body)".into();
    }
    let mut parts = Vec::new();
    for step in path {
        match step {
            Step::Member(k) => parts.push(member_path_segment(k)),
            Step::Index(i) => {
                parts.push((i + 1).to_string());
                parts.push("member".into());
            }
            Step::Entry(k) => parts.push(k.clone()),
            Step::EntryKey(k) => parts.push(format!("{k} (key)")),
        }
    }
    parts.join(".")
}

/// The value at `path` (for a key step: the key as a string).
pub fn lookup(v: &Value, path: &[Step]) -> Option<Value> {
    let Some((last, init)) = path.split_last() else {
        return Some(v.clone());
    };
    let parent = init.iter().try_fold(v, |cur, step| match step {
        Step::Member(k) | Step::Entry(k) => cur.get(k),
        Step::Index(i) => cur.get(i),
        Step::EntryKey(_) => None,
    })?;
    match last {
        Step::Member(k) | Step::Entry(k) => parent.get(k).cloned(),
        Step::Index(i) => parent.get(i).cloned(),
        Step::EntryKey(k) => parent.get(k).map(|_| Value::String(k.clone())),
    }
}

/// `v` with the value at `path` replaced (`None`: removed). At a key step the entry is renamed
/// to `new`, which must be a string.
pub fn set(v: &Value, path: &[Step], new: Option<Value>) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return new.unwrap_or(Value::Null);
    };
    let mut out = v.clone();
    match (first, &mut out) {
        (Step::Member(k) | Step::Entry(k), Value::Object(obj)) if rest.is_empty() => match new {
            Some(n) => {
                obj.insert(k.clone(), n);
            }
            None => {
                obj.remove(k);
            }
        },
        (Step::Member(k) | Step::Entry(k), Value::Object(obj)) => {
            if let Some(child) = obj.get(k) {
                let replaced = set(child, rest, new);
                obj.insert(k.clone(), replaced);
            }
        }
        (Step::EntryKey(k), Value::Object(obj)) => {
            if let (Some(value), Some(Value::String(renamed))) = (obj.remove(k), new) {
                obj.insert(renamed, value);
            }
        }
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = if rest.is_empty() {
                new.unwrap_or(Value::Null)
            } else {
                set(&items[*i], rest, new)
            };
        }
        _ => {}
    }
    out
}

#[cfg(test)]
impl Step {
    /// The constraint hop this step instantiates.
    pub fn hop(&self) -> Hop {
        match self {
            Step::Member(m) => Hop::Member(m.clone()),
            Step::Index(_) => Hop::Element,
            Step::Entry(_) => Hop::Value,
            Step::EntryKey(_) => Hop::Key,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lookup_set_and_rename() {
        let v = json!({"a": [{"b": 1}], "m": {"k": "v"}});
        let path = vec![
            Step::Member("a".into()),
            Step::Index(0),
            Step::Member("b".into()),
        ];
        assert_eq!(lookup(&v, &path), Some(json!(1)));
        assert_eq!(set(&v, &path, Some(json!(2)))["a"][0]["b"], json!(2));
        assert_eq!(set(&v, &path, None)["a"][0], json!({}));
        let key = vec![Step::Member("m".into()), Step::EntryKey("k".into())];
        assert_eq!(lookup(&v, &key), Some(json!("k")));
        assert_eq!(set(&v, &key, Some(json!("z")))["m"], json!({"z": "v"}));
        assert_eq!(set(&v, &[], Some(json!([]))), json!([]));
        assert_eq!(display(&path), "a.1.member.b");
        let hops = HopPath(path.iter().map(Step::hop).collect());
        assert_eq!(hops.kebab(), "a-member-b");
        assert_eq!(hops.to_string(), "a.member.b");
    }
}
