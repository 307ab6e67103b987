//! Requests as bytes and headers, so that broken ones are as easy to express as good ones.

use crate::contract::Model;

/// The AWS JSON 1.1 media type.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The method every Cognito operation is called with.
pub const POST: &str = "POST";

/// A request to a target: `POST /` unless a case asks for another method or path (an
/// unroutable `GET /?Action=...`). Headers keep their order and spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `X-Amz-Target` operation name this request was built for (for reports), if any.
    pub operation: String,
    /// HTTP method (`POST`).
    pub method: String,
    /// Path and query, starting with `/` (`/`).
    pub path: String,
    /// Header name/value pairs.
    pub headers: Vec<(String, String)>,
    /// Raw body bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// A well-formed AWS JSON 1.1 call of `operation` with a JSON body.
    pub fn json(operation: &str, body: &serde_json::Value) -> Request {
        Request::raw(operation, body.to_string().into_bytes())
    }

    /// A call of `operation` whose body is sent byte for byte.
    pub fn raw(operation: &str, body: Vec<u8>) -> Request {
        Request {
            operation: operation.to_string(),
            method: POST.to_string(),
            path: "/".to_string(),
            headers: vec![
                ("Content-Type".into(), CONTENT_TYPE.into()),
                ("X-Amz-Target".into(), Model::get().target_header(operation)),
            ],
            body,
        }
    }

    /// The URL this request goes to on a target whose base URL is `base`.
    pub fn url(&self, base: &str) -> String {
        if self.path == "/" {
            base.to_string()
        } else {
            format!("{}{}", base.trim_end_matches('/'), self.path)
        }
    }

    /// Set a header, replacing any of the same name (case-insensitive).
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.remove_header(name);
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Remove every header of that name (case-insensitive).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The value of a header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_request_carries_target_and_content_type() {
        let r = Request::json("DeleteUser", &serde_json::json!({"AccessToken": "x"}));
        assert_eq!(
            r.header("x-amz-target"),
            Some("AWSCognitoIdentityProviderService.DeleteUser")
        );
        assert_eq!(r.header("content-type"), Some(CONTENT_TYPE));
        assert_eq!(r.body, br#"{"AccessToken":"x"}"#);
    }

    #[test]
    fn the_url_joins_base_and_path() {
        let mut r = Request::raw("DeleteUser", vec![]);
        assert_eq!(r.url("http://127.0.0.1:9/"), "http://127.0.0.1:9/");
        r.path = "/?Action=DeleteUser".into();
        assert_eq!(
            r.url("http://127.0.0.1:9/"),
            "http://127.0.0.1:9/?Action=DeleteUser"
        );
        assert_eq!(
            r.url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/?Action=DeleteUser"
        );
    }

    #[test]
    fn headers_can_be_replaced_and_removed() {
        let mut r = Request::raw("DeleteUser", vec![]);
        r.set_header("content-type", "text/plain");
        assert_eq!(r.header("Content-Type"), Some("text/plain"));
        r.remove_header("X-AMZ-TARGET");
        assert_eq!(r.header("X-Amz-Target"), None);
    }
}
