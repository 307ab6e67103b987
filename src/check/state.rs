//! The user's state after the call against the expectation.

use std::collections::{BTreeMap, BTreeSet};

use super::{Mismatch, Probe};
use crate::case::fixture::{SimpleState, StateExpectation};

type Attrs = BTreeMap<String, String>;

/// Compare the read-back state. `before`/`after` are `None` when the user did not exist.
pub fn check_state(
    expected: &StateExpectation,
    before: &Probe<Option<Attrs>>,
    after: &Probe<Option<Attrs>>,
    out: &mut Vec<Mismatch>,
) {
    let after = match after {
        Probe::Seen(a) => a,
        Probe::Unknown(why) => {
            out.push(Mismatch::contract(
                "state",
                describe_expectation(expected),
                format!("could not read the user back: {why}"),
            ));
            return;
        }
        Probe::NotChecked => return,
    };
    let before = match before {
        Probe::Seen(b) => b.as_ref(),
        _ => None,
    };
    match expected {
        StateExpectation::Simple(SimpleState::Deleted) => {
            if after.is_some() {
                out.push(Mismatch::contract(
                    "state",
                    "the user no longer exists",
                    "the user still exists",
                ));
            }
        }
        StateExpectation::Simple(SimpleState::Unchanged) => match (before, after) {
            (None, None) => {}
            (Some(_), None) => out.push(Mismatch::contract(
                "state",
                "the user unchanged",
                "the user was deleted",
            )),
            (None, Some(_)) => out.push(Mismatch::contract("state", "no user", "a user exists")),
            (Some(b), Some(a)) => diff_attrs(b, a, &BTreeSet::new(), out),
        },
        StateExpectation::Attributes(spec) => {
            let Some(a) = after else {
                out.push(Mismatch::contract(
                    "state",
                    "the user exists",
                    "the user was deleted",
                ));
                return;
            };
            let mut named: BTreeSet<&str> = spec.may_change.iter().map(String::as_str).collect();
            for (name, value) in &spec.attributes {
                named.insert(name);
                match a.get(name) {
                    Some(v) if v == value => {}
                    Some(v) => out.push(Mismatch::contract(
                        format!("state.{name}"),
                        quote(value),
                        quote(v),
                    )),
                    None => out.push(Mismatch::contract(
                        format!("state.{name}"),
                        quote(value),
                        "absent",
                    )),
                }
            }
            for name in &spec.absent {
                named.insert(name);
                if let Some(v) = a.get(name) {
                    out.push(Mismatch::contract(
                        format!("state.{name}"),
                        "absent",
                        quote(v),
                    ));
                }
            }
            if let Some(b) = before {
                let keep: BTreeSet<String> = named.iter().map(|s| s.to_string()).collect();
                diff_attrs(b, a, &keep, out);
            }
        }
    }
}

/// Every attribute not in `ignore` must be as before.
fn diff_attrs(before: &Attrs, after: &Attrs, ignore: &BTreeSet<String>, out: &mut Vec<Mismatch>) {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        if ignore.contains(name.as_str()) {
            continue;
        }
        let (b, a) = (before.get(name), after.get(name));
        if b != a {
            out.push(Mismatch::contract(
                format!("state.{name}"),
                format!(
                    "unchanged ({})",
                    b.map_or("absent".to_string(), |v| quote(v))
                ),
                a.map_or("absent".to_string(), |v| quote(v)),
            ));
        }
    }
}

fn quote(v: &str) -> String {
    format!("{v:?}")
}

fn describe_expectation(e: &StateExpectation) -> String {
    match e {
        StateExpectation::Simple(SimpleState::Unchanged) => "the user unchanged".into(),
        StateExpectation::Simple(SimpleState::Deleted) => "the user deleted".into(),
        StateExpectation::Attributes(_) => "the listed attribute values".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::AttributeState;

    fn attrs(p: &[(&str, &str)]) -> Option<Attrs> {
        Some(
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn unchanged_detects_any_difference() {
        let mut out = vec![];
        let b = Probe::Seen(attrs(&[("email", "a@x"), ("name", "A")]));
        check_state(
            &StateExpectation::Simple(SimpleState::Unchanged),
            &b,
            &Probe::Seen(attrs(&[("email", "a@x"), ("name", "A")])),
            &mut out,
        );
        assert!(out.is_empty());
        check_state(
            &StateExpectation::Simple(SimpleState::Unchanged),
            &b,
            &Probe::Seen(attrs(&[("email", "a@x")])),
            &mut out,
        );
        assert_eq!(out[0].field, "state.name");
        assert_eq!(out[0].actual, "absent");
    }

    #[test]
    fn attribute_expectations_and_collateral_changes() {
        let spec = StateExpectation::Attributes(AttributeState {
            attributes: [("name".to_string(), "B".to_string())].into(),
            absent: vec!["given_name".into()],
            may_change: vec![],
        });
        let b = Probe::Seen(attrs(&[
            ("email", "a@x"),
            ("name", "A"),
            ("given_name", "G"),
        ]));
        let mut out = vec![];
        check_state(
            &spec,
            &b,
            &Probe::Seen(attrs(&[("email", "a@x"), ("name", "B")])),
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
        check_state(
            &spec,
            &b,
            &Probe::Seen(attrs(&[("email", "changed@x"), ("name", "B")])),
            &mut out,
        );
        assert_eq!(out[0].field, "state.email");
    }

    #[test]
    fn deleted_and_unreadable() {
        let mut out = vec![];
        check_state(
            &StateExpectation::Simple(SimpleState::Deleted),
            &Probe::NotChecked,
            &Probe::Seen(None),
            &mut out,
        );
        assert!(out.is_empty());
        check_state(
            &StateExpectation::Simple(SimpleState::Deleted),
            &Probe::NotChecked,
            &Probe::Unknown("HTTP 500".into()),
            &mut out,
        );
        assert_eq!(out.len(), 1);
    }
}
