//! Copy-paste reproductions. Secrets never appear: the token under test becomes
//! `$ACCESS_TOKEN`, a SigV4-signed request is signed again by curl itself (`--aws-sigv4`) with
//! `$AWS_ACCESS_KEY_ID` and `$AWS_SECRET_ACCESS_KEY` from the environment, and any other secret
//! is replaced by the run's redaction policy first.

use super::request::Request;
use super::sigv4::{UNKNOWN_ACCESS_KEY_ID, parse_authorization};

/// Headers a signer adds: left out where curl signs the request again.
const SIGNING_HEADERS: [&str; 4] = [
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// How the request under test was signed, as a reproduction repeats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedAs {
    /// With the run's credentials, in this region (`session`: with a session token).
    Credentials {
        /// Signing region.
        region: String,
        /// The credentials carry a session token.
        session: bool,
    },
    /// Under the access key id no target knows ([`UNKNOWN_ACCESS_KEY_ID`]).
    UnknownAccessKey {
        /// Signing region.
        region: String,
    },
    /// With the run's access key id and a wrong secret.
    WrongSecret {
        /// Signing region.
        region: String,
    },
    /// Headers replayed as sent (a stale `X-Amz-Date` curl cannot produce), the access key id
    /// shown as `$AWS_ACCESS_KEY_ID`.
    Replayed,
    /// With the credentials of another principal (one without permission for the operation),
    /// which the command takes from `$DENIED_AWS_ACCESS_KEY_ID` and
    /// `$DENIED_AWS_SECRET_ACCESS_KEY`: the case's own principal is deleted when it ends.
    OtherPrincipal {
        /// Signing region.
        region: String,
    },
}

/// [`reproduction`] of a SigV4-signed request: curl signs it again with the credentials of
/// the environment (or wrongly in the same way), so neither key nor signature is shown.
pub fn signed_reproduction(
    url: &str,
    request: &Request,
    token: Option<&str>,
    signed: &SignedAs,
) -> String {
    let mut shown = request.clone();
    let key = request
        .header("authorization")
        .and_then(|a| parse_authorization(a).ok())
        .map(|a| a.access_key_id);
    let (region, user) = match signed {
        SignedAs::Replayed => {
            let mut vars: Vec<(&str, &str)> =
                token.map(|t| (t, "$ACCESS_TOKEN")).into_iter().collect();
            if let Some(k) = key.as_deref().filter(|k| !k.is_empty()) {
                vars.push((k, "$AWS_ACCESS_KEY_ID"));
            }
            return render(url, &shown, &vars);
        }
        SignedAs::Credentials { region, .. } => (
            region,
            "\"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"".to_string(),
        ),
        SignedAs::UnknownAccessKey { region } => (
            region,
            format!("\"{UNKNOWN_ACCESS_KEY_ID}:$AWS_SECRET_ACCESS_KEY\""),
        ),
        SignedAs::WrongSecret { region } => (
            region,
            "\"$AWS_ACCESS_KEY_ID:wrong-$AWS_SECRET_ACCESS_KEY\"".to_string(),
        ),
        SignedAs::OtherPrincipal { region } => (
            region,
            "\"$DENIED_AWS_ACCESS_KEY_ID:$DENIED_AWS_SECRET_ACCESS_KEY\"".to_string(),
        ),
    };
    for h in SIGNING_HEADERS {
        shown.remove_header(h);
    }
    let mut out = reproduction(url, &shown, token);
    if matches!(signed, SignedAs::Credentials { session: true, .. }) {
        out.push_str(" \\\n  -H \"X-Amz-Security-Token: $AWS_SESSION_TOKEN\"");
    }
    out.push_str(&format!(
        " \\\n  --aws-sigv4 {} \\\n  --user {user}",
        quote(&format!("aws:amz:{region}:cognito-idp"))
    ));
    out
}

/// A `curl` command for `request` with each `(value, variable)` written as the variable.
fn render(url: &str, request: &Request, vars: &[(&str, &str)]) -> String {
    let mut out = format!(
        "curl -sS -i -X {} {}",
        request.method,
        quote(&request.url(url))
    );
    for (name, value) in &request.headers {
        out.push_str(&format!(
            " \\\n  -H {}",
            with_vars(&format!("{name}: {value}"), vars)
        ));
    }
    if request.body.is_empty() && request.method != super::request::POST {
        return out;
    }
    let body = String::from_utf8_lossy(&request.body);
    out.push_str(&format!(" \\\n  --data-binary {}", with_vars(&body, vars)));
    out
}

/// A `curl` command that sends `request` to `url`. `token` (if any) is replaced by
/// `$ACCESS_TOKEN`; the body is single-quoted for POSIX shells, with the token spliced in
/// outside the quotes so the variable expands.
pub fn reproduction(url: &str, request: &Request, token: Option<&str>) -> String {
    let vars: Vec<(&str, &str)> = token.map(|t| (t, "$ACCESS_TOKEN")).into_iter().collect();
    render(url, request, &vars)
}

/// `command` (a [`reproduction`]) with every run of 256 or more of one ASCII letter or digit
/// inside its single-quoted text written as a `printf` the shell expands to the same run, so a
/// reproduction of a 131,073-character value stays a few lines long and still sends it.
pub fn shorten_long_runs(command: &str) -> String {
    const LONG: usize = 256;
    let mut out = String::new();
    for (c, n) in crate::text::runs(command) {
        if n >= LONG && c.is_ascii_alphanumeric() {
            out.push_str(&format!("'\"$(printf '%{n}s' '' | tr ' ' {c})\"'"));
        } else {
            out.extend(std::iter::repeat_n(c, n));
        }
    }
    out
}

/// Quote `text` for a POSIX shell, expanding each variable where its value was.
fn with_vars(text: &str, vars: &[(&str, &str)]) -> String {
    match vars.split_first() {
        None => quote(text),
        Some(((value, var), rest)) if !value.is_empty() && text.contains(value) => text
            .split(value)
            .map(|part| with_vars(part, rest))
            .collect::<Vec<_>>()
            .join(&format!("\"{var}\"")),
        Some((_, rest)) => with_vars(text, rest),
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_becomes_a_variable_and_never_appears() {
        let token = "eyJhbGciOi.secret.sig";
        let req = Request::json("DeleteUser", &serde_json::json!({"AccessToken": token}));
        let cmd = reproduction("http://127.0.0.1:9/", &req, Some(token));
        assert!(!cmd.contains(token), "{cmd}");
        assert!(
            cmd.contains(r#"'{"AccessToken":"'"$ACCESS_TOKEN"'"}'"#),
            "{cmd}"
        );
        assert!(cmd.contains("-H 'X-Amz-Target: AWSCognitoIdentityProviderService.DeleteUser'"));
    }

    #[test]
    fn long_runs_become_printf_and_expand_back() {
        let body = format!("{{\"V\":\"{}\"}}", "a".repeat(300));
        let cmd = shorten_long_runs(&reproduction(
            "http://x/",
            &Request::raw("DeleteUser", body.clone().into_bytes()),
            None,
        ));
        assert!(cmd.len() < 300, "{cmd}");
        let data = cmd.rsplit("--data-binary ").next().unwrap();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {data}"))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), body);
    }

    #[test]
    fn another_method_and_path_are_reproduced() {
        let mut req = Request::raw("DeleteUser", vec![]);
        req.method = "GET".into();
        req.path = "/?Action=DeleteUser".into();
        let cmd = reproduction("http://x/", &req, None);
        assert!(
            cmd.starts_with("curl -sS -i -X GET 'http://x/?Action=DeleteUser'"),
            "{cmd}"
        );
        assert!(!cmd.contains("--data-binary"), "{cmd}");
    }

    #[test]
    fn signed_requests_are_signed_again_by_curl_and_show_no_key() {
        let creds = crate::wire::sigv4::AwsCredentials {
            access_key_id: "AKIDSHOWNNOWHERE".into(),
            secret_access_key: "s3cr3t-never-shown".into(),
            session_token: None,
            source: "test".into(),
        };
        let mut req = Request::json("AdminGetUser", &serde_json::json!({"UserPoolId": "p"}));
        let now = std::time::SystemTime::now();
        crate::wire::sigv4::sign_request(&mut req, "http://x/", &creds, "eu-west-1", now).unwrap();
        let region = "eu-west-1".to_string();
        let cmd = signed_reproduction(
            "http://x/",
            &req,
            None,
            &SignedAs::Credentials {
                region: region.clone(),
                session: true,
            },
        );
        assert!(
            !cmd.contains("AKIDSHOWNNOWHERE") && !cmd.contains("s3cr3t"),
            "{cmd}"
        );
        assert!(!cmd.to_ascii_lowercase().contains("authorization"), "{cmd}");
        assert!(
            cmd.contains("--aws-sigv4 'aws:amz:eu-west-1:cognito-idp'"),
            "{cmd}"
        );
        assert!(
            cmd.contains(r#"--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY""#),
            "{cmd}"
        );
        assert!(cmd.contains("$AWS_SESSION_TOKEN"), "{cmd}");
        let cmd = signed_reproduction(
            "http://x/",
            &req,
            None,
            &SignedAs::WrongSecret {
                region: region.clone(),
            },
        );
        assert!(cmd.contains("wrong-$AWS_SECRET_ACCESS_KEY"), "{cmd}");
        let cmd = signed_reproduction(
            "http://x/",
            &req,
            None,
            &SignedAs::UnknownAccessKey { region },
        );
        assert!(cmd.contains(UNKNOWN_ACCESS_KEY_ID), "{cmd}");
        let cmd = signed_reproduction("http://x/", &req, None, &SignedAs::Replayed);
        assert!(!cmd.contains("AKIDSHOWNNOWHERE"), "{cmd}");
        assert!(
            cmd.contains(r#"Credential='"$AWS_ACCESS_KEY_ID"'/"#),
            "{cmd}"
        );
    }

    #[test]
    fn single_quotes_in_bodies_are_escaped() {
        let req = Request::raw("DeleteUser", b"it's".to_vec());
        assert!(reproduction("http://x/", &req, None).ends_with(r"'it'\''s'"));
    }
}
