//! The one redaction policy. Every text that leaves the process (terminal, reports,
//! reproductions, logs) goes through a [`Redactor`] first.
//!
//! Two layers: known secrets (the run's password, AWS secret key and session token, each
//! case's tokens) are replaced by name; anything shaped like a JWT is replaced too, so a
//! token the target echoes back or invents never leaks either.

use std::sync::LazyLock;

use regex::Regex;

/// A JWE (five parts: header, encrypted key, IV, ciphertext, tag; Cognito's refresh tokens)
/// or a JWS/JWT (three parts). The JWE alternative comes first so that a refresh token is
/// replaced whole: the three-part shape alone would leave `.<ciphertext>.<tag>` behind. The
/// encrypted key may be empty (`alg: dir`); the tag never is.
static JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+",
        r"|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"
    ))
    .expect("jwt regex")
});

/// Replaces secrets with bracketed placeholders (`[ACCESS_TOKEN]`, `[PASSWORD]`, `[JWT]`).
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<(String, &'static str)>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    /// An empty policy (still masks anything shaped like a JWT).
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Add a secret under a label. Secrets shorter than 6 characters are ignored: replacing
    /// them would mangle ordinary text, and no real secret is that short.
    pub fn with(mut self, secret: &str, label: &'static str) -> Redactor {
        self.add(secret, label);
        self
    }

    /// Add a secret in place.
    pub fn add(&mut self, secret: &str, label: &'static str) {
        if secret.len() >= 6 && !self.secrets.iter().any(|(s, _)| s == secret) {
            self.secrets.push((secret.to_string(), label));
            // Longest first, so a secret containing another is replaced whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        }
    }

    /// Redact a text.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (secret, label) in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &format!("[{label}]"));
            }
        }
        JWT.replace_all(&out, "[JWT]").into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_and_jwt_shapes_are_replaced() {
        let r = Redactor::new()
            .with("Aa1!secretpassword", "PASSWORD")
            .with("opaque-refresh-token-123", "REFRESH_TOKEN");
        let text = "pw Aa1!secretpassword rt opaque-refresh-token-123 jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        let out = r.redact(text);
        assert_eq!(out, "pw [PASSWORD] rt [REFRESH_TOKEN] jwt [JWT]");
    }

    #[test]
    fn five_part_jwe_refresh_tokens_are_replaced_whole() {
        // The shape of a Cognito refresh token: RSA-OAEP/A256GCM JWE.
        let jwe = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.\
                   a2V5a2V5a2V5a2V5.aXZpdml2aXZp.Y2lwaGVydGV4dGNpcGhlcnRleHQ.dGFndGFndGFn";
        assert_eq!(
            Redactor::new().redact(&format!("rt {jwe} end")),
            "rt [JWT] end"
        );
        // `alg: dir` leaves the encrypted key empty.
        let dir = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXZpdml2.Y2lwaGVy.dGFndGFn";
        assert_eq!(Redactor::new().redact(dir), "[JWT]");
        // Three-part tokens are unchanged, and so is the sentence after them.
        assert_eq!(
            Redactor::new().redact("t eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln. Next"),
            "t [JWT]. Next"
        );
    }

    #[test]
    fn short_strings_are_not_secrets() {
        let r = Redactor::new().with("abc", "X");
        assert_eq!(r.redact("abc"), "abc");
    }
}
