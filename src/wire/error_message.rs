//! An error response's message member, read one way for every reader: the checks (is it a
//! string, does it say what the case expects), the set-up client's errors, the golden
//! snapshots, the reports and the secret-echo scan.
//!
//! Every modelled error shape of cognito-idp has a `message` member; SerializationException
//! (from the service framework, not the model) says `Message`. The member is returned as sent,
//! whatever its JSON type, so a check can tell "no message" from "a message that is not a
//! string" (a contract break of its own, `check::envelope`).

use serde_json::Value;

/// The body members that carry an error's message, in order of preference.
pub const MESSAGE_MEMBERS: [&str; 2] = ["message", "Message"];

/// The message member of a JSON object body: its name and value as sent. `None` when the
/// body is not a JSON object or has neither member.
pub fn message_member(body: &[u8]) -> Option<(&'static str, Value)> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let Value::Object(mut obj) = doc else {
        return None;
    };
    MESSAGE_MEMBERS
        .iter()
        .find_map(|k| obj.remove(*k).map(|v| (*k, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_member_present_is_returned_as_sent() {
        let m = |b: &str| message_member(b.as_bytes());
        assert_eq!(
            m(r#"{"__type":"X","message":"m"}"#),
            Some(("message", Value::from("m")))
        );
        assert_eq!(m(r#"{"Message":null}"#), Some(("Message", Value::Null)));
        assert_eq!(
            m(r#"{"message":42,"Message":"later"}"#),
            Some(("message", Value::from(42)))
        );
        assert_eq!(m(r#"{"__type":"X"}"#), None);
        assert_eq!(m(r#"["message"]"#), None);
        assert_eq!(m("<html>oops</html>"), None);
        // Nested members are not the error's message.
        assert_eq!(m(r#"{"error":{"message":"m"}}"#), None);
    }
}
