//! Secrets discovered while a run goes on, for the text that is written before anyone could
//! hand them to a [`Redactor`]: the log lines.
//!
//! Reports get their redaction from the case that produced them (its own tokens); a log line
//! is written by whichever code happens to run, often before the case has its tokens in hand
//! (the InitiateAuth response is logged before the provisioner reads the tokens out of it).
//! So everything that mints or learns a secret registers it here, and the log sink redacts
//! every line with [`SecretRegistry::redact`]: the registered secrets plus the [`Redactor`]'s
//! JWT shape. The registry is process-wide because the log subscriber is: no constructor has
//! to remember to wire it, so no call site can forget.

use std::sync::{LazyLock, RwLock};

use serde_json::Value;

use super::Redactor;

/// JSON members whose string values are secrets wherever they appear (request or response).
/// Compared case-insensitively; `AuthParameters` uses upper-case keys.
const SECRET_MEMBERS: &[(&str, &str)] = &[
    ("AccessToken", "ACCESS_TOKEN"),
    ("IdToken", "ID_TOKEN"),
    ("RefreshToken", "REFRESH_TOKEN"),
    ("REFRESH_TOKEN", "REFRESH_TOKEN"),
    ("Password", "PASSWORD"),
    ("TemporaryPassword", "PASSWORD"),
    ("PreviousPassword", "PASSWORD"),
    ("ProposedPassword", "PASSWORD"),
    ("NEW_PASSWORD", "PASSWORD"),
    ("Session", "SESSION"),
    ("ClientSecret", "CLIENT_SECRET"),
    ("SecretHash", "SECRET_HASH"),
    ("SECRET_HASH", "SECRET_HASH"),
    ("SecretAccessKey", "AWS_SECRET_ACCESS_KEY"),
    ("SessionToken", "AWS_SESSION_TOKEN"),
];

/// A thread-safe, growing set of secrets, consulted by the log sink.
#[derive(Debug, Default)]
pub struct SecretRegistry {
    redactor: RwLock<Redactor>,
}

static GLOBAL: LazyLock<SecretRegistry> = LazyLock::new(SecretRegistry::default);

/// The process-wide registry the log sink reads.
pub fn global() -> &'static SecretRegistry {
    &GLOBAL
}

impl SecretRegistry {
    #[cfg(test)]
    /// An empty registry (tests; the suite uses [`global`]).
    pub fn new() -> SecretRegistry {
        SecretRegistry::default()
    }

    /// Remember a secret under a label (`PASSWORD`, `ACCESS_TOKEN`…). Short values are
    /// ignored by the same rule as [`Redactor::add`].
    pub fn register(&self, secret: &str, label: &'static str) {
        // A poisoned lock only means a panic elsewhere mid-insert; the list is still usable.
        let mut r = self.redactor.write().unwrap_or_else(|e| e.into_inner());
        r.add(secret, label);
    }

    /// Register the value of every secret-bearing member of a JSON document
    /// (`AccessToken`, `Password`, `AuthParameters.PASSWORD`…), at any depth.
    pub fn register_json(&self, doc: &Value) {
        match doc {
            Value::Object(map) => {
                for (k, v) in map {
                    match (v, label_of(k)) {
                        (Value::String(s), Some(label)) => self.register(s, label),
                        _ => self.register_json(v),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.register_json(v)),
            _ => {}
        }
    }

    /// Register the secrets of a body if it is JSON (anything else is left alone).
    pub fn register_body(&self, body: &[u8]) {
        if let Ok(doc) = serde_json::from_slice::<Value>(body) {
            self.register_json(&doc);
        }
    }

    /// Redact a text: every registered secret, then anything shaped like a JWT or JWE.
    pub fn redact(&self, text: &str) -> String {
        let r = self.redactor.read().unwrap_or_else(|e| e.into_inner());
        r.redact(text)
    }
}

fn label_of(member: &str) -> Option<&'static str> {
    SECRET_MEMBERS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(member))
        .map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_are_redacted_by_label() {
        let r = SecretRegistry::new();
        r.register("opaque-refresh-0123456789", "REFRESH_TOKEN");
        assert_eq!(
            r.redact("rt=opaque-refresh-0123456789;"),
            "rt=[REFRESH_TOKEN];"
        );
    }

    #[test]
    fn json_members_are_harvested_at_any_depth() {
        let r = SecretRegistry::new();
        r.register_json(&serde_json::json!({
            "AuthenticationResult": {"AccessToken": "opaque-access-1", "RefreshToken": "opaque-refresh-1"},
            "AuthParameters": {"USERNAME": "alice-user", "PASSWORD": "Aa1!hunter22"},
            "Users": [{"TemporaryPassword": "Tmp!pw-99"}],
            "Username": "not-a-secret",
        }));
        let out = r.redact(
            "opaque-access-1 opaque-refresh-1 Aa1!hunter22 Tmp!pw-99 alice-user not-a-secret",
        );
        assert_eq!(
            out,
            "[ACCESS_TOKEN] [REFRESH_TOKEN] [PASSWORD] [PASSWORD] alice-user not-a-secret"
        );
    }

    #[test]
    fn non_json_bodies_register_nothing() {
        let r = SecretRegistry::new();
        r.register_body(b"<html>AccessToken: opaque-access-2</html>");
        assert_eq!(r.redact("opaque-access-2"), "opaque-access-2");
    }

    #[test]
    fn concurrent_registration_and_reads() {
        let r = std::sync::Arc::new(SecretRegistry::new());
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let r = r.clone();
                std::thread::spawn(move || {
                    let s = format!("thread-secret-{i:04}");
                    r.register(&s, "X");
                    assert_eq!(r.redact(&s), "[X]");
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        for i in 0..8 {
            assert_eq!(r.redact(&format!("thread-secret-{i:04}")), "[X]");
        }
    }
}
