//! The one redaction policy. Every text that leaves the process (terminal, reports,
//! reproductions, logs) goes through a [`Redactor`] first.
//!
//! Two layers: known secrets (the run's password, AWS secret key and session token, each
//! case's tokens) are replaced by name; anything shaped like a JWT is replaced too, so a
//! token the target echoes back or invents never leaks either.

use std::collections::HashMap;
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

/// Shortest secret: shorter values would mangle ordinary text, and no real secret is that
/// short. Also the length of the key secrets are indexed by.
const MIN_SECRET: usize = 6;

/// Up to this many secrets, [`Redactor::hits`] searches for each one; beyond, it uses the
/// index.
const DIRECT_SEARCH_MAX: usize = 32;

/// Replaces secrets with bracketed placeholders (`[ACCESS_TOKEN]`, `[PASSWORD]`, `[JWT]`).
///
/// Secrets are indexed by their last [`MIN_SECRET`] bytes (tokens share their first bytes,
/// `eyJ…`, but end in signature bytes), so adding one and redacting a text cost the same
/// with 3 secrets as with the 200,000 tokens a long generated run mints (the log sink's
/// registry keeps them all): one scan of the text, one lookup per position.
#[derive(Clone, Default)]
pub struct Redactor {
    index: HashMap<[u8; MIN_SECRET], Vec<(String, &'static str)>>,
    count: usize,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.count)
    }
}

impl Redactor {
    /// An empty policy (still masks anything shaped like a JWT).
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Add a secret under a label. Secrets shorter than 6 bytes are ignored: replacing
    /// them would mangle ordinary text, and no real secret is that short.
    pub fn with(mut self, secret: &str, label: &'static str) -> Redactor {
        self.add(secret, label);
        self
    }

    /// Add a secret in place.
    pub fn add(&mut self, secret: &str, label: &'static str) {
        let Some(key) = key_ending(secret.as_bytes(), secret.len()) else {
            return;
        };
        let bucket = self.index.entry(key).or_default();
        if !bucket.iter().any(|(s, _)| s == secret) {
            bucket.push((secret.to_string(), label));
            self.count += 1;
        }
    }

    /// Redact a text: every known secret, left to right (the longest where several start
    /// at the same place), then anything shaped like a JWT.
    pub fn redact(&self, text: &str) -> String {
        let mut hits: Vec<(usize, usize, &str)> = self
            .hits(text)
            .into_iter()
            .map(|(start, end, _, label)| (start, end, label))
            .collect();
        hits.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        // A hit spans whole characters: it starts on the secret's first byte (never a UTF-8
        // continuation byte) and ends after its last.
        for (start, end, label) in hits {
            if start >= copied {
                out.push_str(&text[copied..start]);
                out.push('[');
                out.push_str(label);
                out.push(']');
                copied = end;
            }
        }
        out.push_str(&text[copied..]);
        JWT.replace_all(&out, "[JWT]").into_owned()
    }
}

impl Redactor {
    /// Every occurrence of a known secret in `text`: start, end, the secret and its label.
    fn hits<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a str, &'static str)> {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        if self.count == 0 {
            return hits;
        }
        // A case's redactor holds a handful of secrets: one SIMD search per secret beats a
        // lookup per position on the long bodies of the too-long cases (131,073 bytes). The
        // index serves the registries that hold thousands.
        if self.count <= DIRECT_SEARCH_MAX {
            for bucket in self.index.values() {
                for (secret, label) in bucket {
                    for start in memchr::memmem::find_iter(bytes, secret.as_bytes()) {
                        hits.push((start, start + secret.len(), secret.as_str(), *label));
                    }
                }
            }
            return hits;
        }
        for end in MIN_SECRET..=bytes.len() {
            let Some(bucket) = key_ending(bytes, end).and_then(|k| self.index.get(&k)) else {
                continue;
            };
            for (secret, label) in bucket {
                if bytes[..end].ends_with(secret.as_bytes()) {
                    hits.push((end - secret.len(), end, secret.as_str(), *label));
                }
            }
        }
        hits
    }

    /// The known secrets `text` contains, each once, with their labels (for telling whether
    /// a target echoed a secret it was sent; the values never leave the process).
    pub fn known_in<'a>(&'a self, text: &str) -> Vec<(&'a str, &'static str)> {
        let mut found: Vec<(&str, &'static str)> = Vec::new();
        for (_, _, secret, label) in self.hits(text) {
            if !found.iter().any(|(s, _)| *s == secret) {
                found.push((secret, label));
            }
        }
        found
    }
}

/// The index key: the [`MIN_SECRET`] bytes before byte `end`, if there are that many.
fn key_ending(bytes: &[u8], end: usize) -> Option<[u8; MIN_SECRET]> {
    bytes
        .get(end.checked_sub(MIN_SECRET)?..end)?
        .try_into()
        .ok()
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

    #[test]
    fn the_longest_secret_starting_somewhere_wins_and_unicode_is_kept() {
        let r = Redactor::new()
            .with("secret-one", "A")
            .with("secret-one-longer", "B")
            .with("pässwörd9", "P");
        assert_eq!(
            r.redact("é secret-one-longer, secret-one; pässwörd9 ü"),
            "é [B], [A]; [P] ü"
        );
        assert_eq!(r.redact("secre"), "secre");
    }

    /// The direct search (few secrets) and the index (many) find the same hits.
    #[test]
    fn direct_search_and_index_agree() {
        let secrets = [
            ("Aa1!secretpassword", "PASSWORD"),
            ("secretpassword-2", "OTHER"),
            ("tokentokentoken", "ACCESS_TOKEN"),
            ("é-secret-é", "UNICODE"),
        ];
        let mut few = Redactor::new();
        let mut many = Redactor::new();
        for (s, l) in secrets {
            few.add(s, l);
            many.add(s, l);
        }
        for i in 0..DIRECT_SEARCH_MAX {
            many.add(&format!("never-present-{i:04}"), "UNUSED");
        }
        assert!(few.count <= DIRECT_SEARCH_MAX && many.count > DIRECT_SEARCH_MAX);
        for text in [
            "pw Aa1!secretpassword-2 end",
            "tokentokentokentokentoken",
            "x é-secret-é y Aa1!secretpassword",
            &"a".repeat(131_073),
            "",
        ] {
            assert_eq!(few.redact(text), many.redact(text), "{text}");
            assert_eq!(
                few.known_in(text).len(),
                many.known_in(text).len(),
                "{text}"
            );
        }
    }

    #[test]
    fn many_secrets_stay_cheap() {
        let mut r = Redactor::new();
        for i in 0..200_000 {
            // Like real tokens: a shared head, a distinct tail.
            r.add(&format!("eyJhbGciOiJSUzI1NiJ9.{i:08}"), "T");
        }
        r.add("eyJhbGciOiJSUzI1NiJ9.00000007", "T");
        assert_eq!(format!("{r:?}"), "Redactor(200000 secrets)");
        assert_eq!(r.redact("a eyJhbGciOiJSUzI1NiJ9.00199999 b"), "a [T] b");
    }
}
