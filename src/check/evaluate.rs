//! The whole comparison of one call: response, error, body, state, token and sign-in, against
//! each acceptable outcome of its `then`.

use std::collections::{BTreeMap, BTreeSet};

use super::body::{check_code_delivery, check_success_body, describe};
use super::envelope::check_message_type;
use super::pool_schema::check_schema;
use super::state::check_state;
use super::{Mismatch, Observed, Probe, Tier};
use crate::case::fixture::{
    Outcome, SignInAfter, SimpleState, StateExpectation, Then, TokenAfter, UserAttributesAfter,
};
use crate::vocab::Operation;
use crate::wire::{CONTENT_TYPE, Response};

/// The verdict on one call: which outcome it matched, and the differences that remain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The index of the matched outcome (no contract-tier mismatch), if any.
    pub matched: Option<usize>,
    /// The strict-tier differences from the matched outcome; or, when none matched, every
    /// difference from the closest outcome (led by a `then` mismatch naming the alternatives
    /// when there are several).
    pub mismatches: Vec<Mismatch>,
}

/// Compare what was observed with every outcome of `then` (placeholders already expanded).
/// The observation passes if one outcome holds at the contract tier; among those, the one
/// with the fewest strict differences is the match.
pub fn evaluate(operation: Operation, then: &Then, observed: &Observed) -> Judgement {
    let judged: Vec<Vec<Mismatch>> = then
        .outcomes
        .iter()
        .map(|o| evaluate_outcome(operation, o, observed))
        .collect();
    let contract = |m: &[Mismatch]| m.iter().filter(|x| x.tier == Tier::Contract).count();
    if let Some((i, m)) = judged
        .iter()
        .enumerate()
        .filter(|(_, m)| contract(m) == 0)
        .min_by_key(|(_, m)| m.len())
    {
        return Judgement {
            matched: Some(i),
            mismatches: m.clone(),
        };
    }
    // None matched: report the closest, preferring one whose status the target did answer.
    let status = observed.response.as_ref().ok().map(|r| r.status);
    let (closest, mut mismatches) = judged
        .into_iter()
        .enumerate()
        .min_by_key(|(i, m)| {
            let status_ok = status.is_some_and(|s| then.outcomes[*i].status.accepts(&s));
            (!status_ok, contract(m))
        })
        .unwrap_or((0, Vec::new()));
    if then.outcomes.len() > 1 {
        let shown: Vec<String> = then.outcomes.iter().map(summary).collect();
        mismatches.insert(
            0,
            Mismatch::contract(
                "then",
                format!("one of {} outcomes: {}", shown.len(), shown.join("; or ")),
                format!(
                    "none matched; the differences from the closest, outcome {} ({}), follow",
                    closest + 1,
                    shown[closest]
                ),
            ),
        );
    }
    Judgement {
        matched: None,
        mismatches,
    }
}

/// One line naming an outcome: `400 InvalidParameterException, nothing changed`.
fn summary(o: &Outcome) -> String {
    let statuses: Vec<String> = o.status.as_slice().iter().map(u16::to_string).collect();
    let mut s = statuses.join("/");
    if let Some(e) = &o.error {
        s.push(' ');
        s.push_str(&e.as_slice().join("/"));
    }
    match &o.state {
        Some(StateExpectation::Simple(SimpleState::Unchanged)) => s.push_str(", nothing changed"),
        Some(StateExpectation::Simple(SimpleState::Deleted)) => s.push_str(", the user deleted"),
        Some(StateExpectation::Attributes(a)) => {
            let mut names: Vec<&str> = a.attributes.keys().map(String::as_str).collect();
            names.extend(a.absent.iter().map(String::as_str));
            s.push_str(&format!(", {} changed", names.join(", ")));
        }
        None if o.error.is_some() => s.push_str(", nothing changed"),
        None => {}
    }
    if o.reads_schema() {
        let mut names: Vec<String> = o.schema.keys().cloned().collect();
        names.extend(o.schema_absent.iter().map(|n| format!("no {n}")));
        s.push_str(&format!(", schema: {}", names.join(", ")));
    }
    s
}

/// Compare what was observed with one outcome.
pub fn evaluate_outcome(
    operation: Operation,
    then: &Outcome,
    observed: &Observed,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let resp = match &observed.response {
        Ok(r) => r,
        Err(e) => {
            out.push(Mismatch::contract(
                "response",
                "an HTTP response",
                e.to_string(),
            ));
            return out;
        }
    };
    let statuses = then.status.as_slice();
    let shown: Vec<String> = statuses.iter().map(u16::to_string).collect();
    if !then.status.accepts(&resp.status) {
        out.push(Mismatch::contract(
            "status",
            shown.join(" or "),
            resp.status.to_string(),
        ));
    } else if let Some(s) = then.strict.status.filter(|s| *s != resp.status) {
        out.push(Mismatch::strict(
            "status",
            s.to_string(),
            resp.status.to_string(),
        ));
    }
    let success = (200..300).contains(&resp.status);
    match (&then.error, success) {
        (Some(errors), false) => {
            let acceptable = errors.as_slice().join(" or ");
            match resp.error_type() {
                Some(t) if errors.accepts(&t) => {
                    if let Some(s) = then.strict.error.as_ref().filter(|s| **s != t) {
                        out.push(Mismatch::strict("error", s.clone(), t));
                    }
                }
                Some(t) => out.push(Mismatch::contract("error", acceptable, t)),
                None => out.push(Mismatch::contract(
                    "error",
                    acceptable,
                    format!(
                        "no error type in x-amzn-errortype, code or __type ({})",
                        describe(&resp.body)
                    ),
                )),
            }
            if let Some(m) = &then.strict.message {
                let expected = m.as_slice().join("\" or \"");
                let expected = if m.as_slice().len() > 1 {
                    format!("\"{expected}\"")
                } else {
                    expected
                };
                match resp.message_member() {
                    Some((_, serde_json::Value::String(actual))) if m.accepts(&actual) => {}
                    Some((_, serde_json::Value::String(actual))) => {
                        out.push(Mismatch::strict("message", expected, actual))
                    }
                    // Not a string: the contract mismatch below shows it as sent.
                    Some(_) => {}
                    None => out.push(Mismatch::strict(
                        "message",
                        expected,
                        "no message or Message member",
                    )),
                }
            }
        }
        (_, true) if statuses.iter().any(|s| (200..300).contains(s)) => {
            check_success_body(
                operation.name(),
                &resp.body,
                then.strict.body.is_some(),
                &mut out,
            );
            if let Some(cd) = &then.code_delivery {
                check_code_delivery(&resp.body, cd, &mut out);
            }
            if then.user_attributes == Some(UserAttributesAfter::AsStored) {
                returned_attributes(resp, &observed.before, &mut out);
            }
        }
        _ => {} // Status already reported as a contract mismatch.
    }
    check_message_type(resp, &mut out);
    match resp.header("content-type") {
        None => out.push(Mismatch::contract(
            "content-type",
            CONTENT_TYPE,
            "no Content-Type header",
        )),
        Some(ct)
            if ct
                .split(';')
                .next()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(CONTENT_TYPE)) => {}
        Some(ct) => out.push(Mismatch::strict("content-type", CONTENT_TYPE, ct)),
    }
    if let Some(body) = &then.strict.body {
        check_exact_body(body, &resp.body, &mut out);
    }
    // A rejected call touches nobody: `unchanged` unless the case says otherwise.
    let rejected = then.error.is_some() && !success;
    let or_unchanged = |given: &Option<StateExpectation>| {
        given
            .clone()
            .or(rejected.then_some(StateExpectation::Simple(SimpleState::Unchanged)))
    };
    if let Some(expected) = &or_unchanged(&then.state) {
        check_state(expected, &observed.before, &observed.after, &mut out);
    }
    if let Some(expected) = &or_unchanged(&then.other_user_state) {
        let mut found = Vec::new();
        check_state(
            expected,
            &observed.other_before,
            &observed.other_after,
            &mut found,
        );
        out.extend(found.into_iter().map(|mut m| {
            m.field = format!("other_user.{}", m.field);
            m
        }));
    }
    check_schema(then, &observed.schema_after, &mut out);
    if let Some(want) = then.token {
        probe(
            &observed.token_usable,
            "token",
            want == TokenAfter::Usable,
            "GetUser accepts the access token",
            "GetUser rejects the access token",
            &mut out,
        );
    }
    if let Some(want) = then.sign_in {
        probe(
            &observed.sign_in_works,
            "sign_in",
            want == SignInAfter::Succeeds,
            "sign-in succeeds",
            "sign-in fails",
            &mut out,
        );
    }
    out
}

/// The `UserAttributes` of a response must be the stored ones (as AdminGetUser read them
/// before the call; reading changes nothing).
fn returned_attributes(
    resp: &Response,
    stored: &Probe<Option<BTreeMap<String, String>>>,
    out: &mut Vec<Mismatch>,
) {
    let stored = match stored {
        Probe::Seen(s) => s.clone().unwrap_or_default(),
        Probe::Unknown(why) => {
            out.push(Mismatch::contract(
                "user_attributes",
                "the stored attributes",
                format!("could not read the user back: {why}"),
            ));
            return;
        }
        Probe::NotChecked => return,
    };
    let shown = resp
        .json()
        .map(|b| crate::wire::attributes_of(&b, "UserAttributes"))
        .unwrap_or_default();
    let names: BTreeSet<&String> = shown.keys().chain(stored.keys()).collect();
    for name in names {
        let (s, g) = (stored.get(name), shown.get(name));
        if s != g {
            let show = |v: Option<&String>| v.map_or("absent".to_string(), |v| format!("{v:?}"));
            out.push(Mismatch::contract(
                format!("user_attributes.{name}"),
                show(s),
                show(g),
            ));
        }
    }
}

fn probe(p: &Probe<bool>, field: &str, want: bool, yes: &str, no: &str, out: &mut Vec<Mismatch>) {
    let expected = if want { yes } else { no };
    match p {
        Probe::Seen(v) if *v == want => {}
        Probe::Seen(v) => out.push(Mismatch::contract(
            field,
            expected,
            if *v { yes } else { no },
        )),
        Probe::Unknown(why) => out.push(Mismatch::contract(
            field,
            expected,
            format!("could not be checked: {why}"),
        )),
        Probe::NotChecked => out.push(Mismatch::contract(
            field,
            expected,
            "not probed (harness bug)",
        )),
    }
}

fn check_exact_body(expected: &str, actual: &[u8], out: &mut Vec<Mismatch>) {
    if expected.is_empty() {
        if !actual.is_empty() {
            out.push(Mismatch::strict("body", "an empty body", describe(actual)));
        }
        return;
    }
    let want: serde_json::Value = serde_json::from_str(expected).unwrap_or(serde_json::Value::Null);
    match serde_json::from_slice::<serde_json::Value>(actual) {
        Ok(got) if got == want => {}
        _ => out.push(Mismatch::strict(
            "body",
            expected.to_string(),
            describe(actual),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::{AttributeState, OneOrMany};
    use crate::check::{Tier, Verdict};
    use crate::wire::Response;
    use std::time::Duration;

    fn then_error(err: &str, msg: &str) -> Outcome {
        let mut t = Outcome::of_status(400);
        t.error = Some(OneOrMany::One(err.into()));
        t.strict.message = Some(OneOrMany::One(msg.into()));
        t
    }

    fn observed(status: u16, headers: &[(&str, &str)], body: &str) -> Observed {
        let attrs = Some([("email".to_string(), "a@x".to_string())].into());
        Observed {
            response: Ok(Response {
                status,
                headers: headers
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
                body: body.as_bytes().to_vec(),
                elapsed: Duration::ZERO,
            }),
            before: Probe::Seen(attrs.clone()),
            after: Probe::Seen(attrs),
            other_before: Probe::NotChecked,
            other_after: Probe::NotChecked,
            schema_after: Probe::NotChecked,
            token_usable: Probe::NotChecked,
            sign_in_works: Probe::NotChecked,
        }
    }

    const CT: (&str, &str) = ("content-type", CONTENT_TYPE);

    #[test]
    fn conforming_error_passes_and_wrong_message_is_non_strict() {
        let t = then_error("NotAuthorizedException", "Invalid Access Token");
        let ok = observed(
            400,
            &[CT],
            r#"{"__type":"NotAuthorizedException","message":"Invalid Access Token"}"#,
        );
        assert_eq!(
            Verdict::of(&evaluate_outcome(Operation::DeleteUser, &t, &ok)),
            Verdict::Pass
        );
        let other = observed(
            400,
            &[CT],
            r#"{"__type":"NotAuthorizedException","message":"bad token"}"#,
        );
        let m = evaluate_outcome(Operation::DeleteUser, &t, &other);
        assert_eq!(
            (Verdict::of(&m), m[0].field.as_str()),
            (Verdict::NonStrict, "message")
        );
    }

    #[test]
    fn error_type_only_in_the_header_is_equivalent() {
        let t = then_error("NotAuthorizedException", "Invalid Access Token");
        let o = observed(
            400,
            &[CT, ("x-amzn-errortype", "NotAuthorizedException:")],
            r#"{"message":"Invalid Access Token"}"#,
        );
        assert_eq!(
            Verdict::of(&evaluate_outcome(Operation::DeleteUser, &t, &o)),
            Verdict::Pass
        );
    }

    #[test]
    fn wrong_status_type_or_html_fails() {
        let t = then_error("NotAuthorizedException", "Invalid Access Token");
        for o in [
            observed(
                500,
                &[CT],
                r#"{"__type":"NotAuthorizedException","message":"Invalid Access Token"}"#,
            ),
            observed(
                400,
                &[CT],
                r#"{"__type":"UserNotFoundException","message":"Invalid Access Token"}"#,
            ),
            observed(400, &[("content-type", "text/html")], "<html>oops</html>"),
        ] {
            let m = evaluate_outcome(Operation::DeleteUser, &t, &o);
            assert_eq!(Verdict::of(&m), Verdict::Fail, "{m:?}");
        }
    }

    #[test]
    fn state_change_on_error_fails() {
        let t = then_error("InvalidParameterException", "x");
        let mut o = observed(
            400,
            &[CT],
            r#"{"__type":"InvalidParameterException","message":"x"}"#,
        );
        o.after = Probe::Seen(Some([("email".to_string(), "b@x".to_string())].into()));
        let m = evaluate_outcome(Operation::UpdateUserAttributes, &t, &o);
        assert!(
            m.iter()
                .any(|m| m.field == "state.email" && m.tier == Tier::Contract)
        );
    }

    #[test]
    fn transport_failure_fails_with_the_reason() {
        let t = then_error("NotAuthorizedException", "x");
        let mut o = observed(400, &[], "");
        o.response = Err(crate::wire::WireError::Timeout(Duration::from_secs(1)));
        let m = evaluate_outcome(Operation::DeleteUser, &t, &o);
        assert_eq!((m.len(), m[0].field.as_str()), (1, "response"));
    }

    #[test]
    fn a_rejected_call_that_deleted_the_other_user_fails() {
        let mut o = observed(
            400,
            &[CT],
            r#"{"__type":"NotAuthorizedException","message":"Invalid Access Token"}"#,
        );
        let t = then_error("NotAuthorizedException", "Invalid Access Token");
        o.other_before = Probe::Seen(Some([("sub".to_string(), "b".to_string())].into()));
        o.other_after = Probe::Seen(Some([("sub".to_string(), "b".to_string())].into()));
        assert!(evaluate_outcome(Operation::DeleteUser, &t, &o).is_empty());
        o.other_after = Probe::Seen(None);
        let m = evaluate_outcome(Operation::DeleteUser, &t, &o);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].field, "other_user.state");
        assert_eq!(m[0].tier, Tier::Contract);
        assert_eq!(m[0].actual, "the user was deleted");
    }

    #[test]
    fn missing_content_type_is_a_contract_break() {
        let t = Outcome::of_status(200);
        let m = evaluate_outcome(Operation::DeleteUser, &t, &observed(200, &[], ""));
        assert_eq!(
            (m[0].field.as_str(), m[0].tier),
            ("content-type", Tier::Contract)
        );
    }

    fn changed_name(o: &mut Observed) {
        o.after = Probe::Seen(Some(
            [
                ("email".to_string(), "a@x".to_string()),
                ("name".to_string(), "b".to_string()),
            ]
            .into(),
        ));
    }

    /// "200 and `name` changed, or 400 and nothing changed": each alternative is judged
    /// whole, so a 400 that changed `name` matches neither.
    fn alternatives() -> Then {
        let mut ok = Outcome::of_status(200);
        ok.state = Some(StateExpectation::Attributes(AttributeState {
            attributes: [("name".to_string(), "b".to_string())].into(),
            ..Default::default()
        }));
        let mut refused = Outcome::of_status(400);
        refused.error = Some(OneOrMany::One("InvalidParameterException".into()));
        Then {
            outcomes: vec![ok, refused],
        }
    }

    #[test]
    fn an_observation_matching_one_alternative_passes() {
        let then = alternatives();
        let mut ok = observed(200, &[CT], "{}");
        changed_name(&mut ok);
        let j = evaluate(Operation::UpdateUserAttributes, &then, &ok);
        assert_eq!((j.matched, j.mismatches.len()), (Some(0), 0), "{j:?}");
        let refused = observed(
            400,
            &[CT],
            r#"{"__type":"InvalidParameterException","message":"x"}"#,
        );
        let j = evaluate(Operation::UpdateUserAttributes, &then, &refused);
        assert_eq!(j.matched, Some(1), "{j:?}");
    }

    #[test]
    fn a_refusal_that_changed_state_matches_no_alternative() {
        let then = alternatives();
        let mut o = observed(
            400,
            &[CT],
            r#"{"__type":"InvalidParameterException","message":"x"}"#,
        );
        changed_name(&mut o);
        let j = evaluate(Operation::UpdateUserAttributes, &then, &o);
        assert_eq!(j.matched, None);
        assert_eq!(Verdict::of(&j.mismatches), Verdict::Fail);
        assert_eq!(j.mismatches[0].field, "then");
        assert!(j.mismatches[0].actual.contains("outcome 2"), "{j:?}");
        assert!(
            j.mismatches.iter().any(|m| m.field == "state.name"),
            "{j:?}"
        );
        // A success without the change matches neither either.
        let j = evaluate(
            Operation::UpdateUserAttributes,
            &then,
            &observed(200, &[CT], "{}"),
        );
        assert_eq!(j.matched, None);
    }

    /// "200 and the attribute listed, or 400 and the attribute absent": the schema read back
    /// decides between alternatives like the user's state does.
    #[test]
    fn the_schema_read_back_is_part_of_each_alternative() {
        use crate::case::fixture::SchemaEntry;
        let mut added = Outcome::of_status(200);
        added.schema = [("dev:custom:s".to_string(), SchemaEntry::default())].into();
        let mut refused = Outcome::of_status(400);
        refused.error = Some(OneOrMany::One("InvalidParameterException".into()));
        refused.schema_absent = vec!["dev:custom:s".into()];
        let then = Then {
            outcomes: vec![added, refused],
        };
        let listed = || {
            Probe::Seen(Some(crate::check::pool_schema::schema_of(
                &serde_json::json!({"UserPool": {"SchemaAttributes": [{"Name": "dev:custom:s"}]}}),
            )))
        };
        let mut o = observed(
            400,
            &[CT],
            r#"{"__type":"InvalidParameterException","message":"x"}"#,
        );
        o.schema_after = listed();
        let j = evaluate(Operation::AdminUpdateUserAttributes, &then, &o);
        assert_eq!(j.matched, None, "{j:?}");
        assert!(
            j.mismatches[0].expected.contains("schema: no dev:custom:s"),
            "{j:?}"
        );
        o.schema_after = Probe::Seen(Some(Default::default()));
        let j = evaluate(Operation::AdminUpdateUserAttributes, &then, &o);
        assert_eq!(j.matched, Some(1), "{j:?}");
        let mut ok = observed(200, &[CT], "{}");
        ok.schema_after = listed();
        let j = evaluate(Operation::AdminUpdateUserAttributes, &then, &ok);
        assert_eq!(j.matched, Some(0), "{j:?}");
    }
}
