use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::json;

use super::*;
use crate::contract::json_types::check_json_types;
use crate::contract::validate::validate_input;
use crate::generate::shape::valid_input;

fn names(op: &str) -> Vec<String> {
    constraints(op).iter().map(Constraint::name).collect()
}

#[test]
fn constraints_follow_the_model() {
    let d = names("DeleteUser");
    assert_eq!(
        d,
        [
            "body-wrong-type",
            "access-token-missing",
            "access-token-null",
            "access-token-wrong-type",
            "access-token-pattern"
        ]
    );
    let u = names("UpdateUserAttributes");
    for want in [
        "user-attributes-missing",
        "user-attributes-member-null",
        "user-attributes-member-wrong-type",
        "user-attributes-member-name-missing",
        "user-attributes-member-name-too-short",
        "user-attributes-member-name-too-long",
        "user-attributes-member-name-pattern",
        "user-attributes-member-value-too-long",
        "client-metadata-wrong-type",
        "client-metadata-value-wrong-type",
        "client-metadata-value-too-long",
        "client-metadata-key-too-long",
    ] {
        assert!(u.contains(&want.to_string()), "{want} not in {u:?}");
    }
    assert!(
        !u.contains(&"client-metadata-missing".to_string()),
        "optional members cannot be missing"
    );
    assert!(!u.contains(&"user-attributes-member-value-missing".to_string()));
}

#[test]
fn sites_instantiate_a_constraint_in_a_body() {
    let body =
        json!({"AccessToken": "t", "UserAttributes": [{"Name": "a", "Value": "v"}, {"Name": "b"}]});
    let c = constraints("UpdateUserAttributes")
        .into_iter()
        .find(|c| c.name() == "user-attributes-member-name-pattern")
        .unwrap();
    let s: Vec<String> = sites("UpdateUserAttributes", &body, &c)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        s,
        [
            "userAttributes.1.member.name",
            "userAttributes.2.member.name"
        ]
    );
}

/// Every constraint can be broken in every valid body (creating what its path needs), and
/// the result is refused by the model's own checks.
#[test]
fn every_constraint_breaks_every_valid_body() {
    let mut runner = TestRunner::deterministic();
    for op in ["DeleteUser", "DeleteUserAttributes", "UpdateUserAttributes"] {
        let valid = valid_input(op).unwrap();
        let all = constraints(op);
        let k = knobs(op);
        for _ in 0..60 {
            let body = valid.new_tree(&mut runner).unwrap().current();
            for c in &all {
                let knobs = k.new_tree(&mut runner).unwrap().current();
                let m = apply_knobs(op, &body, c, &knobs)
                    .unwrap_or_else(|| panic!("{op} {} cannot break {body}", c.name()));
                let refused = check_json_types(op, &m.body).is_err()
                    || !validate_input(op, &m.body).is_empty();
                assert!(refused, "{op} {} at {}: {}", c.name(), m.site, m.body);
            }
        }
    }
}
