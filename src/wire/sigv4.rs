//! SigV4 signing of set-up (admin) calls with the `aws-sigv4` crate.
//!
//! The three operations under test are `authtype: none` in the model and are sent unsigned;
//! only provisioning and read-back calls are signed.

use std::fmt;
use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

use super::request::Request;

/// AWS credentials. `Debug` never shows the secret or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    /// Access key id (not secret, but still shown only abbreviated).
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
    /// Session token of temporary credentials.
    pub session_token: Option<String>,
    /// Where they came from (`environment`, `profile default`, `loopback placeholder`).
    pub source: String,
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &abbreviate(&self.access_key_id))
            .field("secret_access_key", &"[redacted]")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[redacted]"),
            )
            .field("source", &self.source)
            .finish()
    }
}

fn abbreviate(key: &str) -> String {
    let head: String = key.chars().take(4).collect();
    format!("{head}…")
}

/// Signing failed (a header the signer cannot encode, or a URL it cannot parse).
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot sign request: {0}")]
pub struct SignError(String);

/// Add `Authorization`, `X-Amz-Date` (and `X-Amz-Security-Token`) to `request` for `url`.
pub fn sign_request(
    request: &mut Request,
    url: &str,
    credentials: &AwsCredentials,
    region: &str,
    time: SystemTime,
) -> Result<(), SignError> {
    let parsed = url::Url::parse(url).map_err(|e| SignError(format!("url {url}: {e}")))?;
    let host = match parsed.port() {
        Some(p) => format!("{}:{p}", parsed.host_str().unwrap_or_default()),
        None => parsed.host_str().unwrap_or_default().to_string(),
    };
    request.set_header("Host", &host);
    let identity = aws_credential_types::Credentials::new(
        &credentials.access_key_id,
        &credentials.secret_access_key,
        credentials.session_token.clone(),
        None,
        "cognito-conformance",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("cognito-idp")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| SignError(e.to_string()))?
        .into();
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| SignError(e.to_string()))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| SignError(e.to_string()))?
        .into_parts();
    let (new_headers, _params) = instructions.into_parts();
    for h in new_headers {
        request.set_header(h.name(), h.value());
    }
    // reqwest sets Host itself; keeping ours would send it twice.
    request.remove_header("Host");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> AwsCredentials {
        AwsCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            source: "test".into(),
        }
    }

    #[test]
    fn signs_with_cognito_idp_scope_and_never_shows_the_secret() {
        let mut req = Request::json("AdminGetUser", &serde_json::json!({"UserPoolId": "p"}));
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        sign_request(&mut req, "http://127.0.0.1:4566/", &creds(), "us-east-1", t).unwrap();
        let auth = req.header("authorization").unwrap();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/cognito-idp/aws4_request"), "{auth}");
        assert!(
            auth.contains("x-amz-target"),
            "target header must be signed: {auth}"
        );
        assert_eq!(req.header("x-amz-date"), Some("20231114T221320Z"));
        assert!(!format!("{:?}", creds()).contains("wJalr"));
    }

    #[test]
    fn signature_depends_on_the_body() {
        let t = SystemTime::UNIX_EPOCH;
        let mut a = Request::json("AdminGetUser", &serde_json::json!({"Username": "a"}));
        let mut b = Request::json("AdminGetUser", &serde_json::json!({"Username": "b"}));
        sign_request(&mut a, "http://h/", &creds(), "eu-west-1", t).unwrap();
        sign_request(&mut b, "http://h/", &creds(), "eu-west-1", t).unwrap();
        assert_ne!(a.header("authorization"), b.header("authorization"));
    }
}
