//! Success bodies against the operation's output shape in the service model.

use serde_json::Value;

use super::Mismatch;
use crate::case::fixture::CodeDelivery;
use crate::contract::Model;

/// Contract: a 2xx body is empty or `{}` for an operation without output members (Smithy:
/// clients MUST accept `{}`), otherwise a JSON object whose members the output shape declares.
/// Strict (unless the fixture states the exact body itself, `exact_given`): an operation
/// without output sends an empty body.
pub fn check_success_body(
    operation: &str,
    body: &[u8],
    exact_given: bool,
    out: &mut Vec<Mismatch>,
) {
    let model = Model::get();
    let output = model
        .operation(operation)
        .and_then(|o| o.output.as_deref())
        .and_then(|s| model.shape(s));
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let members: Vec<&str> = output
        .map(|s| s.members.iter().map(|(n, _)| n).collect())
        .unwrap_or_default();
    if blank {
        return; // An empty body is valid for every output (all members are optional here).
    }
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        out.push(Mismatch::contract(
            "body",
            "an empty body or a JSON object",
            describe(body),
        ));
        return;
    };
    let Some(obj) = doc.as_object() else {
        out.push(Mismatch::contract(
            "body",
            "an empty body or a JSON object",
            describe(body),
        ));
        return;
    };
    if !exact_given && output.is_none() && obj.is_empty() {
        out.push(Mismatch::strict(
            "body",
            "an empty body (the operation has no output)",
            "{}",
        ));
    }
    for key in obj.keys() {
        if !members.contains(&key.as_str()) {
            out.push(Mismatch::strict(
                format!("body.{key}"),
                format!("only output members [{}]", members.join(", ")),
                format!("member `{key}`"),
            ));
        }
    }
}

/// Contract: `CodeDeliveryDetailsList` holds exactly the expected (attribute, medium) pairs,
/// each with a masked destination. An output with one `CodeDeliveryDetails` member
/// (GetUserAttributeVerificationCode) counts as a list of that one entry.
pub fn check_code_delivery(body: &[u8], expected: &[CodeDelivery], out: &mut Vec<Mismatch>) {
    let doc: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let list = match doc.get("CodeDeliveryDetails") {
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => doc
            .get("CodeDeliveryDetailsList")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
    };
    let mut seen: Vec<(String, String)> = list
        .iter()
        .map(|d| {
            let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (s("AttributeName"), s("DeliveryMedium"))
        })
        .collect();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|c| (c.attribute_name.clone(), c.delivery_medium.clone()))
        .collect();
    seen.sort();
    want.sort();
    if seen != want {
        let show = |v: &[(String, String)]| {
            if v.is_empty() {
                "no deliveries".to_string()
            } else {
                v.iter()
                    .map(|(a, m)| format!("{a} by {m}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        out.push(Mismatch::contract(
            "code_delivery",
            show(&want),
            show(&seen),
        ));
    }
    for d in &list {
        let dest = d.get("Destination").and_then(Value::as_str).unwrap_or("");
        if dest.is_empty() || !dest.contains('*') {
            out.push(Mismatch::contract(
                "code_delivery.destination",
                "a masked destination such as `u***@e***`",
                if dest.is_empty() {
                    "no destination".to_string()
                } else {
                    "an unmasked destination".to_string()
                },
            ));
        }
    }
}

/// A short description of a body for a mismatch (never the whole of a huge body).
pub fn describe(body: &[u8]) -> String {
    if body.is_empty() {
        return "an empty body".into();
    }
    let text = String::from_utf8_lossy(body);
    let mut short: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        short.push('…');
    }
    format!("{} bytes: {short}", body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(op: &str, body: &str) -> Vec<Mismatch> {
        let mut out = vec![];
        check_success_body(op, body.as_bytes(), false, &mut out);
        out
    }

    #[test]
    fn delete_user_accepts_empty_and_tolerates_empty_object() {
        assert!(run("DeleteUser", "").is_empty());
        let m = run("DeleteUser", "{}");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].tier, super::super::Tier::Strict);
        assert_eq!(
            run("DeleteUser", "<html>")[0].tier,
            super::super::Tier::Contract
        );
    }

    #[test]
    fn undeclared_members_are_strict_mismatches() {
        assert!(run("UpdateUserAttributes", r#"{"CodeDeliveryDetailsList":[]}"#).is_empty());
        assert!(run("DeleteUserAttributes", "{}").is_empty());
        let one = |body: &str| {
            let mut out = vec![];
            let want = [CodeDelivery {
                attribute_name: "email".into(),
                delivery_medium: "EMAIL".into(),
            }];
            check_code_delivery(body.as_bytes(), &want, &mut out);
            out
        };
        assert!(one(r#"{"CodeDeliveryDetails":{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"a***@e***"}}"#).is_empty());
        assert_eq!(one(r#"{"CodeDeliveryDetails":{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"ada@example.com"}}"#).len(), 1);
        assert_eq!(one("{}").len(), 1);
        let m = run("DeleteUserAttributes", r#"{"ok":true}"#);
        assert_eq!(m[0].field, "body.ok");
        assert_eq!(
            run("UpdateUserAttributes", "[1]")[0].tier,
            super::super::Tier::Contract
        );
    }

    #[test]
    fn code_delivery_pairs_and_masking() {
        let want = vec![CodeDelivery {
            attribute_name: "email".into(),
            delivery_medium: "EMAIL".into(),
        }];
        let mut out = vec![];
        check_code_delivery(br#"{"CodeDeliveryDetailsList":[{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"a***@e***"}]}"#, &want, &mut out);
        assert!(out.is_empty(), "{out:?}");
        check_code_delivery(b"{}", &want, &mut out);
        assert_eq!(out[0].field, "code_delivery");
        out.clear();
        check_code_delivery(br#"{"CodeDeliveryDetailsList":[{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"ann@example.com"}]}"#, &want, &mut out);
        assert_eq!(out[0].field, "code_delivery.destination");
    }
}
