//! A leaky Cognito stand-in (wiremock on loopback) for the secret-leak tests: it hands out
//! known tokens and echoes every request body, token included, in its error messages. Shared by
//! the binary-level test (`tests/secrets.rs`) and the in-process one (`src/tests/secrets.rs`).

use std::sync::{Arc, Mutex};

use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CT: &str = "application/x-amz-json-1.1";
pub const ACCESS: &str = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJsZWFrIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.QUJDREVGR0hJSktMTU5PUA";
pub const ID: &str =
    "eyJraWQiOiJrMiIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJsZWFrIiwidG9rZW5fdXNlIjoiaWQifQ.UVJTVFVWV1hZWg";
pub const REFRESH: &str = "opaqueRefreshTokenValue-0123456789abcdef";
pub const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
pub const SESSION: &str = "SessionTokenSecretValue123456";
/// A five-part JWE (the shape of Cognito's refresh tokens) that the target blurts out in its
/// error bodies and that nobody registered: only the JWT/JWE shape can catch it.
pub const STRAY_JWE: &str = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.\
    RW5jcnlwdGVkS2V5U3RyYXk.SVZzdHJheTEy.Q2lwaGVydGV4dFN0cmF5U2VjcmV0.VGFnU3RyYXlTZWNyZXQ";

/// Echoes the whole request body (and so the token) back inside an error message.
struct Echo;

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&req.body).into_owned();
        ResponseTemplate::new(400)
            .insert_header("x-echo", body.replace(['\n', '\r'], " ").as_str())
            .set_body_raw(json!({"__type": "NotAuthorizedException", "message": format!("bad token in {body}"), "echo": body, "debug": STRAY_JWE}).to_string(), CT)
    }
}

fn ok(v: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(v.to_string(), CT)
}

/// Records the password the suite chose (it is random per run) from AdminCreateUser.
#[derive(Clone, Default)]
pub struct Passwords(pub Arc<Mutex<Vec<String>>>);

impl Respond for Passwords {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&req.body)
            && let Some(p) = v.get("TemporaryPassword").and_then(|p| p.as_str())
        {
            self.0.lock().unwrap().push(p.to_string());
        }
        ok(json!({}))
    }
}

pub async fn target(passwords: Passwords) -> MockServer {
    let s = MockServer::start().await;
    let t = |op: &str| {
        header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}").as_str(),
        )
    };
    for (op, body) in [
        (
            "CreateUserPool",
            json!({"UserPool": {"Id": "us-east-1_leak"}}),
        ),
        (
            "CreateUserPoolClient",
            json!({"UserPoolClient": {"ClientId": "c"}}),
        ),
        ("AdminSetUserPassword", json!({})),
        ("DeleteUserPool", json!({})),
        ("GlobalSignOut", json!({})),
        (
            "AdminGetUser",
            json!({"UserAttributes": [{"Name": "email", "Value": "x@example.com"}]}),
        ),
        (
            "InitiateAuth",
            json!({"AuthenticationResult": {"AccessToken": ACCESS, "IdToken": ID, "RefreshToken": REFRESH}}),
        ),
    ] {
        Mock::given(method("POST"))
            .and(t(op))
            .respond_with(ok(body))
            .mount(&s)
            .await;
    }
    Mock::given(method("POST"))
        .and(t("AdminCreateUser"))
        .respond_with(passwords)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .respond_with(Echo)
        .mount(&s)
        .await;
    s
}

/// Every secret the run knows or derives from, with a name for the failure message.
pub fn secrets(password: &str) -> Vec<(&'static str, String)> {
    let part = |t: &str, i: usize| t.split('.').nth(i).unwrap().to_string();
    vec![
        ("access token", ACCESS.into()),
        ("ID token", ID.into()),
        ("refresh token", REFRESH.into()),
        ("AWS secret key", AWS_SECRET.into()),
        ("session token", SESSION.into()),
        ("password", password.into()),
        // Tampered, alg-none and swapped tokens are made of these parts.
        ("access token claims", part(ACCESS, 1)),
        ("access token signature", part(ACCESS, 2)),
        ("ID token claims", part(ID, 1)),
        // What a three-part-only pattern would leave of a JWE.
        ("stray JWE ciphertext", part(STRAY_JWE, 3)),
        ("stray JWE tag", part(STRAY_JWE, 4)),
    ]
}

pub fn assert_clean(name: &str, text: &str, secrets: &[(&str, String)]) {
    for (what, s) in secrets {
        assert!(!s.is_empty());
        assert!(!text.contains(s.as_str()), "{name} leaks the {what}");
    }
}

pub fn fixture_text(token: &str, op: &str) -> String {
    format!(
        r#"title = "leak probe"
requirement = "protocol.error-wire-format"
[given]
token = "{token}"
[when]
operation = "{op}"
body = {{ AccessToken = "{{{{access_token}}}}", Extra = "{{{{access_token}}}}" }}
[then]
status = 200
"#
    )
}

/// The log really was at trace level and shows the bodies, with placeholders where the
/// secrets were.
pub fn assert_logged_bodies(log: &str) {
    assert!(
        log.contains("TRACE") && log.contains("response body"),
        "{log}"
    );
    for label in ["[ACCESS_TOKEN]", "[PASSWORD]", "[REFRESH_TOKEN]", "[JWT]"] {
        assert!(log.contains(label), "no {label} in the log:\n{log}");
    }
}
