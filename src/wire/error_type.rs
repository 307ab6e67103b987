//! Error type resolution by the Smithy awsJson1_1 rules ("Operation error serialization").
//!
//! The type may come from the `X-Amzn-Errortype` header, a top-level body `code` member or a
//! top-level body `__type` member (in that order of preference). Everything from the first `:`
//! on is dropped (a URI suffix), then everything up to the last `#` (a namespace). A `__type`
//! nested inside another member is not the error type.

/// Resolve the error type of a response from its headers and body. `None` when no source
/// names one.
pub fn resolve_error_type(headers: &[(String, String)], body: &[u8]) -> Option<String> {
    let from_header = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amzn-errortype"))
        .map(|(_, v)| v.as_str());
    if let Some(raw) = from_header
        && let Some(t) = sanitize(raw)
    {
        return Some(t);
    }
    let doc: serde_json::Value = serde_json::from_slice(body).ok()?;
    let obj = doc.as_object()?;
    ["code", "__type"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(|v| v.as_str()))
        .find_map(sanitize)
}

/// Cut at the first `:` and keep what follows the last `#`.
fn sanitize(raw: &str) -> Option<String> {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let name = before_colon
        .rsplit('#')
        .next()
        .unwrap_or(before_colon)
        .trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    //! Mirrors smithy-aws-protocol-tests `awsJson1_1/errors.smithy` (`AwsJson11FooError...`).
    use super::resolve_error_type;

    fn header(v: &str) -> Vec<(String, String)> {
        vec![("X-Amzn-Errortype".to_string(), v.to_string())]
    }

    #[test]
    fn aws_json11_foo_error_using_x_amzn_error_type() {
        assert_eq!(
            resolve_error_type(&header("FooError"), b"{}").as_deref(),
            Some("FooError")
        );
    }

    #[test]
    fn aws_json11_foo_error_using_x_amzn_error_type_with_uri() {
        let h = header("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/");
        assert_eq!(resolve_error_type(&h, b"{}").as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_using_x_amzn_error_type_with_uri_and_namespace() {
        let h = header(
            "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        );
        assert_eq!(resolve_error_type(&h, b"{}").as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_using_code() {
        let body = br#"{"code": "FooError"}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_using_code_and_namespace() {
        let body = br#"{"code": "aws.protocoltests.restjson#FooError"}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_using_code_uri_and_namespace() {
        let body = br#"{"code": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_with_dunder_type() {
        let body = br#"{"__type": "FooError"}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_with_dunder_type_and_namespace() {
        let body = br#"{"__type": "aws.protocoltests.restjson#FooError"}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_with_dunder_type_uri_and_namespace() {
        let body = br#"{"__type": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
    }

    #[test]
    fn aws_json11_foo_error_with_nested_type_property() {
        let body = br#"{"__type": "aws.protocoltests.restjson#FooError", "ErrorDetails": {"__type": "com.amazon.internal#ErrorDetails"}}"#;
        assert_eq!(resolve_error_type(&[], body).as_deref(), Some("FooError"));
        let only_nested = br#"{"ErrorDetails": {"__type": "FooError"}}"#;
        assert_eq!(resolve_error_type(&[], only_nested), None);
    }

    #[test]
    fn aws_json11_invalid_greeting_error() {
        let body = br#"{"__type": "InvalidGreeting", "Message": "Hi"}"#;
        assert_eq!(
            resolve_error_type(&[], body).as_deref(),
            Some("InvalidGreeting")
        );
    }

    #[test]
    fn cognito_header_with_trailing_colon() {
        let h = header("NotAuthorizedException:");
        assert_eq!(
            resolve_error_type(&h, b"").as_deref(),
            Some("NotAuthorizedException")
        );
    }

    #[test]
    fn html_or_garbage_bodies_have_no_error_type() {
        assert_eq!(resolve_error_type(&[], b"<html>oops</html>"), None);
        assert_eq!(resolve_error_type(&[], b"[1,2]"), None);
        assert_eq!(resolve_error_type(&[], br#"{"__type": 5}"#), None);
    }
}
