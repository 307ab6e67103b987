//! `{{...}}` placeholders in fixture strings, checked at load time and expanded per case.

use std::collections::BTreeMap;

use regex::Regex;
use std::sync::LazyLock;

static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{([^{}]*)\}\}").expect("placeholder regex"));

/// Largest `{{repeat:TEXT:N}}` count (values beyond a few MB test nothing the cap does not).
pub const MAX_REPEAT: usize = 1 << 20;

/// A known placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// `{{access_token}}`.
    AccessToken,
    /// `{{username}}`.
    Username,
    /// `{{other_username}}`.
    OtherUsername,
    /// `{{user.NAME}}`.
    User(String),
    /// `{{other_user.NAME}}`.
    OtherUser(String),
    /// `{{unique_email}}`.
    UniqueEmail,
    /// `{{pool_id}}`.
    PoolId,
    /// `{{sub}}`: the user's `sub`.
    Sub,
    /// `{{repeat:TEXT:N}}`.
    Repeat(String, usize),
}

impl Placeholder {
    /// Parse the text between the braces.
    pub fn parse(inner: &str) -> Result<Placeholder, String> {
        let s = inner.trim();
        Ok(match s {
            "access_token" => Placeholder::AccessToken,
            "username" => Placeholder::Username,
            "other_username" => Placeholder::OtherUsername,
            "unique_email" => Placeholder::UniqueEmail,
            "pool_id" => Placeholder::PoolId,
            "sub" => Placeholder::Sub,
            _ if s.starts_with("user.") && s.len() > 5 => Placeholder::User(s[5..].to_string()),
            _ if s.starts_with("other_user.") && s.len() > 11 => {
                Placeholder::OtherUser(s[11..].to_string())
            }
            _ if s.starts_with("repeat:") => {
                let rest = &s[7..];
                let (text, n) = rest
                    .rsplit_once(':')
                    .ok_or_else(|| format!("`{{{{{s}}}}}`: expected {{{{repeat:TEXT:N}}}}"))?;
                let n: usize = n
                    .parse()
                    .map_err(|_| format!("`{{{{{s}}}}}`: N must be a number"))?;
                if text.is_empty() || n > MAX_REPEAT {
                    return Err(format!(
                        "`{{{{{s}}}}}`: TEXT must be non-empty and N at most {MAX_REPEAT}"
                    ));
                }
                Placeholder::Repeat(text.to_string(), n)
            }
            _ => {
                return Err(format!(
                    "unknown placeholder `{{{{{s}}}}}` (known: access_token, username, other_username, user.NAME, other_user.NAME, unique_email, pool_id, sub, repeat:TEXT:N)"
                ));
            }
        })
    }
}

/// Every placeholder in `text` with its raw form.
pub fn scan(text: &str) -> Vec<(String, Result<Placeholder, String>)> {
    PLACEHOLDER
        .captures_iter(text)
        .map(|c| (c[0].to_string(), Placeholder::parse(&c[1])))
        .collect()
}

/// Values placeholders expand to for one case.
#[derive(Clone, Default)]
pub struct Bindings {
    /// The token under test.
    pub access_token: String,
    /// The case's user.
    pub username: String,
    /// Attributes the user was created with.
    pub user: BTreeMap<String, String>,
    /// The second user, if any.
    pub other_username: Option<String>,
    /// Its attributes.
    pub other_user: BTreeMap<String, String>,
    /// The case's fresh address.
    pub unique_email: String,
    /// The case's pool.
    pub pool_id: String,
    /// The user's `sub`, when the target returned it at creation.
    pub sub: Option<String>,
}

impl std::fmt::Debug for Bindings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bindings")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// A placeholder has no value in this case.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ExpandError(pub String);

/// Expand every placeholder in `text`.
pub fn expand(text: &str, b: &Bindings) -> Result<String, ExpandError> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for c in PLACEHOLDER.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        out.push_str(&text[last..m.start()]);
        let p = Placeholder::parse(&c[1]).map_err(ExpandError)?;
        let value = match &p {
            Placeholder::AccessToken => b.access_token.clone(),
            Placeholder::Username => b.username.clone(),
            Placeholder::OtherUsername => b.other_username.clone().ok_or_else(|| {
                ExpandError("{{other_username}} used without given.other_user".into())
            })?,
            Placeholder::User(n) => b.user.get(n).cloned().ok_or_else(|| {
                ExpandError(format!("{{{{user.{n}}}}}: the user has no attribute {n}"))
            })?,
            Placeholder::OtherUser(n) => b.other_user.get(n).cloned().ok_or_else(|| {
                ExpandError(format!(
                    "{{{{other_user.{n}}}}}: the other user has no attribute {n}"
                ))
            })?,
            Placeholder::UniqueEmail => b.unique_email.clone(),
            Placeholder::PoolId => b.pool_id.clone(),
            Placeholder::Sub => b.sub.clone().ok_or_else(|| {
                ExpandError("{{sub}}: the target returned no sub when it created the user".into())
            })?,
            Placeholder::Repeat(t, n) => t.repeat(*n),
        };
        out.push_str(&value);
        last = m.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// Convert a TOML table to JSON, expanding placeholders in every string (keys included).
pub fn expand_toml(value: &toml::Value, b: &Bindings) -> Result<serde_json::Value, ExpandError> {
    use serde_json::Value as J;
    Ok(match value {
        toml::Value::String(s) => J::String(expand(s, b)?),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        toml::Value::Boolean(x) => J::Bool(*x),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(
            a.iter()
                .map(|v| expand_toml(v, b))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => {
            let mut m = serde_json::Map::new();
            for (k, v) in t {
                m.insert(expand(k, b)?, expand_toml(v, b)?);
            }
            J::Object(m)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b() -> Bindings {
        Bindings {
            access_token: "TOK".into(),
            username: "u1".into(),
            user: [("email".to_string(), "u1@example.com".to_string())].into(),
            unique_email: "new@example.com".into(),
            ..Default::default()
        }
    }

    #[test]
    fn expands_known_placeholders() {
        assert_eq!(
            expand("{{access_token}}/{{username}}/{{user.email}}", &b()).unwrap(),
            "TOK/u1/u1@example.com"
        );
        assert_eq!(expand("{{repeat:ab:3}}", &b()).unwrap(), "ababab");
        assert_eq!(
            expand("{{ unique_email }}", &b()).unwrap(),
            "new@example.com"
        );
    }

    #[test]
    fn unknown_and_unbound_placeholders_are_errors() {
        assert!(
            Placeholder::parse("acess_token")
                .unwrap_err()
                .contains("unknown placeholder")
        );
        assert!(Placeholder::parse("repeat:a:x").is_err());
        assert!(Placeholder::parse("repeat:a:99999999").is_err());
        assert!(expand("{{other_username}}", &b()).is_err());
        assert!(expand("{{user.phone_number}}", &b()).is_err());
    }

    #[test]
    fn toml_becomes_json_with_expansion() {
        let t: toml::Table = toml::from_str(
            r#"AccessToken = "{{access_token}}"
UserAttributes = [{ Name = "email", Value = "{{unique_email}}" }]"#,
        )
        .unwrap();
        let j = expand_toml(&toml::Value::Table(t), &b()).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"AccessToken": "TOK", "UserAttributes": [{"Name": "email", "Value": "new@example.com"}]})
        );
    }
}
