//! Copy-paste reproductions. Secrets never appear: the token under test becomes
//! `$ACCESS_TOKEN`, and any other secret is replaced by the run's redaction policy first.

use super::request::Request;

/// A `curl` command that sends `request` to `url`. `token` (if any) is replaced by
/// `$ACCESS_TOKEN`; the body is single-quoted for POSIX shells, with the token spliced in
/// outside the quotes so the variable expands.
pub fn reproduction(url: &str, request: &Request, token: Option<&str>) -> String {
    let mut out = format!(
        "curl -sS -i -X {} {}",
        request.method,
        quote(&request.url(url))
    );
    for (name, value) in &request.headers {
        out.push_str(&format!(
            " \\\n  -H {}",
            with_token(&format!("{name}: {value}"), token)
        ));
    }
    if request.body.is_empty() && request.method != super::request::POST {
        return out;
    }
    let body = String::from_utf8_lossy(&request.body);
    out.push_str(&format!(
        " \\\n  --data-binary {}",
        with_token(&body, token)
    ));
    out
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

/// Quote `text` for a POSIX shell, expanding `$ACCESS_TOKEN` where the token was.
fn with_token(text: &str, token: Option<&str>) -> String {
    match token {
        Some(t) if !t.is_empty() && text.contains(t) => text
            .split(t)
            .map(quote)
            .collect::<Vec<_>>()
            .join("\"$ACCESS_TOKEN\""),
        _ => quote(text),
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
    fn single_quotes_in_bodies_are_escaped() {
        let req = Request::raw("DeleteUser", b"it's".to_vec());
        assert!(reproduction("http://x/", &req, None).ends_with(r"'it'\''s'"));
    }
}
