//! Tokens signed with an emulator's own key: the token states the public API cannot hand out
//! in a run (an access token past its `exp`, one without the `aws.cognito.signin.user.admin`
//! scope) made from a token the emulator issued, with one claim changed and the result signed
//! again with the key the emulator signs with, so the signature is valid.
//!
//! Some emulators sign with a key pair shipped inside their package (moto's
//! `cognitoidp/resources/jwks-private.json.gz`, cognito-local's `lib/keys`). Where that key
//! lives is a per-emulator fact in `emulators.toml` (`[NAME.signing-key]`); the key is read
//! from the installed package at run time, never copied into the repository, and never printed.
//! An emulator without a published key says why (`no-signing-key`), and the cases needing such
//! tokens are skipped with that reason.
//!
//! Whether the key is really the target's is checked on every use: RS256 (PKCS#1 v1.5) is
//! deterministic, so signing an issued token's own header and claims again must give back its
//! signature byte for byte ([`Signer::signs`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Where an emulator's private signing key lives in its installed package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    /// Path below the emulator's install directory (`.emulators/NAME`); a component may hold
    /// `*` (`lib/python3.*/site-packages/...`). A `.gz` file is decompressed.
    pub path: String,
    /// JSON pointer to the private RSA JWK inside the file (`""`: the whole document).
    #[serde(default)]
    pub jwk: String,
}

/// The signing facts of one emulator in `emulators.toml` (the rest of its table is the
/// launcher's).
#[derive(Debug, Clone, Default, Deserialize)]
struct SigningFacts {
    #[serde(rename = "signing-key")]
    signing_key: Option<KeySpec>,
    /// Why no key is published, for the skip reason.
    #[serde(rename = "no-signing-key")]
    no_signing_key: Option<String>,
}

/// Why an emulator's signing key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// `emulators.toml` names no key for it.
    #[error("no signing key is published for {name}: {why}")]
    NotPublished {
        /// The emulator.
        name: String,
        /// Why (from `emulators.toml`).
        why: String,
    },
    /// The file is not where `emulators.toml` says.
    #[error(
        "{name}'s signing key is not at {path} (is {name} installed as emulators.toml pins it?)"
    )]
    NotFound {
        /// The emulator.
        name: String,
        /// The path looked at.
        path: String,
    },
    /// The file could not be read or is not a private RSA JWK.
    #[error("{name}'s signing key at {path} cannot be used: {reason}")]
    Unusable {
        /// The emulator.
        name: String,
        /// The file.
        path: String,
        /// What is wrong (never key material).
        reason: String,
    },
}

/// A token could not be signed again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MintError {
    /// The issued token is not a JWT with a JSON object as claims.
    #[error("the target's access token is not a JWT with JSON claims; cannot sign a changed copy")]
    NotAJwt,
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(String),
    /// The key does not sign this target's tokens.
    #[error(
        "the key at {path} does not sign this target's tokens (signing an issued token again gave another signature)"
    )]
    NotTheTargetsKey {
        /// The key file.
        path: String,
    },
}

/// The key an emulator signs its tokens with.
pub struct Signer {
    emulator: String,
    path: PathBuf,
    key: EncodingKey,
}

impl std::fmt::Debug for Signer {
    /// Names the emulator and the file, never the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("emulator", &self.emulator)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The signing facts of `name` in `emulators.toml`.
fn facts(name: &str) -> SigningFacts {
    toml::from_str::<toml::Table>(super::launch::PINS)
        .ok()
        .and_then(|t| t.get(name).cloned())
        .and_then(|v| v.try_into().ok())
        .unwrap_or_default()
}

/// Where `name`'s key is, or why none is published.
pub fn key_spec(name: &str) -> Result<KeySpec, KeyError> {
    let f = facts(name);
    f.signing_key.ok_or_else(|| KeyError::NotPublished {
        name: name.to_string(),
        why: f
            .no_signing_key
            .unwrap_or_else(|| "emulators.toml names none".to_string()),
    })
}

impl Signer {
    /// The key of emulator `name` installed under `root` (`.emulators`).
    pub fn load(name: &str, root: &Path) -> Result<Signer, KeyError> {
        let spec = key_spec(name)?;
        let dir = root.join(name);
        let path = resolve(&dir, &spec.path).ok_or_else(|| KeyError::NotFound {
            name: name.to_string(),
            path: dir.join(&spec.path).display().to_string(),
        })?;
        let unusable = |reason: String| KeyError::Unusable {
            name: name.to_string(),
            path: path.display().to_string(),
            reason,
        };
        let text = read(&path).map_err(|e| unusable(e.to_string()))?;
        let doc: Value =
            serde_json::from_str(&text).map_err(|_| unusable("not a JSON document".into()))?;
        let jwk = doc
            .pointer(&spec.jwk)
            .ok_or_else(|| unusable(format!("no JWK at JSON pointer {:?}", spec.jwk)))?;
        let key = encoding_key(jwk).map_err(unusable)?;
        Ok(Signer {
            emulator: name.to_string(),
            path,
            key,
        })
    }

    /// The emulator whose key this is.
    pub fn emulator(&self) -> &str {
        &self.emulator
    }

    /// `token` with its claims changed by `edit`, under its own header, signed with this key.
    pub fn resign(
        &self,
        token: &str,
        edit: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<String, MintError> {
        let (header, claims) = split(token).ok_or(MintError::NotAJwt)?;
        let mut claims: Map<String, Value> = URL_SAFE_NO_PAD
            .decode(claims)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(MintError::NotAJwt)?;
        edit(&mut claims);
        let body = URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string());
        let input = format!("{header}.{body}");
        let signature = self.sign(&input)?;
        Ok(format!("{input}.{signature}"))
    }

    /// Whether this key made `token`'s signature: signing its header and claims again gives
    /// the same bytes (RS256 signatures are deterministic).
    pub fn signs(&self, token: &str) -> Result<bool, MintError> {
        let Some((input, signature)) = token.rsplit_once('.') else {
            return Err(MintError::NotAJwt);
        };
        split(token).ok_or(MintError::NotAJwt)?;
        Ok(self.sign(input)? == signature)
    }

    /// [`Signer::resign`], after checking with [`Signer::signs`] that the key is the target's.
    pub fn mint(
        &self,
        issued: &str,
        edit: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<String, MintError> {
        if !self.signs(issued)? {
            return Err(MintError::NotTheTargetsKey {
                path: self.path.display().to_string(),
            });
        }
        self.resign(issued, edit)
    }

    fn sign(&self, input: &str) -> Result<String, MintError> {
        jsonwebtoken::crypto::sign(input.as_bytes(), &self.key, Algorithm::RS256)
            .map_err(|e| MintError::Sign(e.to_string()))
    }
}

/// The claims of an access token that expired an hour ago (its lifetime kept where it has one).
pub fn expire(claims: &mut Map<String, Value>, now: i64) {
    let lifetime = match (
        claims.get("exp").and_then(Value::as_i64),
        claims.get("iat").and_then(Value::as_i64),
    ) {
        (Some(exp), Some(iat)) if exp > iat => exp - iat,
        _ => 3600,
    };
    let exp = now - 3600;
    claims.insert("exp".into(), exp.into());
    for k in ["iat", "auth_time"] {
        if claims.contains_key(k) {
            claims.insert(k.into(), (exp - lifetime).into());
        }
    }
}

/// The claims with `scope` replaced (a hosted-UI sign-in that asked for `openid email` only).
pub fn rescope(claims: &mut Map<String, Value>, scope: &str) {
    claims.insert("scope".into(), scope.into());
}

/// Header and claims segments of a three-part JWT.
fn split(token: &str) -> Option<(&str, &str)> {
    let mut it = token.split('.');
    let (h, c, _s) = (it.next()?, it.next()?, it.next()?);
    (it.next().is_none() && !h.is_empty() && !c.is_empty()).then_some((h, c))
}

/// `rel` below `dir`, each component holding `*` matched against the directory's entries
/// (first match in name order).
fn resolve(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut at = dir.to_path_buf();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        if !part.contains('*') {
            at.push(part);
            continue;
        }
        let glob = globset::Glob::new(part).ok()?.compile_matcher();
        let mut names: Vec<String> = std::fs::read_dir(&at)
            .ok()?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| glob.is_match(n))
            .collect();
        names.sort();
        at.push(names.first()?);
    }
    at.is_file().then_some(at)
}

/// The file's text, gunzipped when its name ends in `.gz`.
fn read(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text)?;
        return Ok(text);
    }
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// A private RSA JWK (`n`, `e`, `d`, with or without `p` and `q`) as a key jsonwebtoken signs
/// with. Without the primes they are recovered from `n`, `e` and `d` (moto publishes none).
fn encoding_key(jwk: &Value) -> Result<EncodingKey, String> {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
        return Err("not an RSA JWK (kty)".into());
    }
    let int = |name: &str| -> Result<rsa::BigUint, String> {
        let text = jwk
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the JWK has no `{name}`"))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| format!("the JWK's `{name}` is not base64url"))?;
        Ok(rsa::BigUint::from_bytes_be(&bytes))
    };
    let primes = match (jwk.get("p"), jwk.get("q")) {
        (Some(_), Some(_)) => vec![int("p")?, int("q")?],
        _ => vec![],
    };
    let key = rsa::RsaPrivateKey::from_components(int("n")?, int("e")?, int("d")?, primes)
        .map_err(|e| format!("not a valid RSA private key ({e})"))?;
    let der = key
        .to_pkcs1_der()
        .map_err(|e| format!("cannot encode the key ({e})"))?;
    Ok(EncodingKey::from_rsa_der(der.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference's own key pair as a private JWK (its PEM is a test key, not a secret).
    fn reference_jwk(with_primes: bool) -> Value {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::traits::{PrivateKeyParts, PublicKeyParts};
        let pem = include_str!("../reference/signing_key.pem");
        let k = rsa::RsaPrivateKey::from_pkcs1_pem(pem).unwrap();
        let b = |x: &rsa::BigUint| URL_SAFE_NO_PAD.encode(x.to_bytes_be());
        let mut jwk =
            serde_json::json!({"kty": "RSA", "n": b(k.n()), "e": b(k.e()), "d": b(k.d())});
        if with_primes {
            jwk["p"] = b(&k.primes()[0]).into();
            jwk["q"] = b(&k.primes()[1]).into();
        }
        jwk
    }

    fn signer(jwk: &Value) -> Signer {
        Signer {
            emulator: "test".into(),
            path: "key.json".into(),
            key: encoding_key(jwk).unwrap(),
        }
    }

    fn issued(s: &Signer) -> String {
        let h = URL_SAFE_NO_PAD.encode(r#"{"kid":"k","alg":"RS256"}"#);
        let c = URL_SAFE_NO_PAD.encode(
            r#"{"sub":"s","token_use":"access","scope":"aws.cognito.signin.user.admin","iat":100,"auth_time":100,"exp":3700}"#,
        );
        let input = format!("{h}.{c}");
        format!("{input}.{}", s.sign(&input).unwrap())
    }

    #[test]
    fn a_jwk_without_primes_signs_like_the_whole_key() {
        let whole = signer(&reference_jwk(true));
        let bare = signer(&reference_jwk(false));
        let t = issued(&whole);
        assert!(bare.signs(&t).unwrap(), "primes recovered from n, e, d");
        // And the signature verifies with the public half, as a target would check it.
        let (input, sig) = t.rsplit_once('.').unwrap();
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(serde_json::json!({
            "kty": "RSA", "n": reference_jwk(false)["n"], "e": "AQAB", "alg": "RS256"
        }))
        .unwrap();
        let public = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
        assert!(
            jsonwebtoken::crypto::verify(sig, input.as_bytes(), &public, Algorithm::RS256).unwrap()
        );
    }

    #[test]
    fn minting_changes_one_claim_and_keeps_the_header() {
        let s = signer(&reference_jwk(true));
        let t = issued(&s);
        let e = s.mint(&t, |c| expire(c, 10_000)).unwrap();
        assert_eq!(e.split('.').next(), t.split('.').next());
        let claims = crate::target::token::claims(&e).unwrap();
        assert_eq!(
            (&claims["exp"], &claims["iat"], &claims["sub"]),
            (&6400.into(), &2800.into(), &"s".into())
        );
        assert!(
            s.signs(&e).unwrap(),
            "the minted token's signature is valid"
        );
        let w = s.mint(&t, |c| rescope(c, "openid email")).unwrap();
        assert_eq!(
            crate::target::token::claims(&w).unwrap()["scope"],
            "openid email"
        );
        assert!(s.signs(&w).unwrap());
    }

    #[test]
    fn a_key_that_did_not_sign_the_token_mints_nothing() {
        let s = signer(&reference_jwk(true));
        let t = issued(&s);
        let forged = crate::target::token::tampered_signature(&t).unwrap();
        assert!(!s.signs(&forged).unwrap());
        assert!(matches!(
            s.mint(&forged, |_| {}),
            Err(MintError::NotTheTargetsKey { .. })
        ));
        assert_eq!(s.mint("opaque", |_| {}), Err(MintError::NotAJwt));
        assert!(format!("{s:?}").contains("key.json"), "{s:?}");
    }

    #[test]
    fn bad_key_files_say_what_is_wrong_without_key_material() {
        let dir = tempfile::tempdir().unwrap();
        let key_dir = dir
            .path()
            .join("moto/lib/python3.11/site-packages/moto/cognitoidp/resources");
        std::fs::create_dir_all(&key_dir).unwrap();
        // Not installed: the path says where it looked.
        let e = Signer::load("moto", &dir.path().join("none")).unwrap_err();
        assert!(matches!(e, KeyError::NotFound { .. }), "{e}");
        // A gzipped JWK set with a public key only.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, br#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#).unwrap();
        std::fs::write(key_dir.join("jwks-private.json.gz"), gz.finish().unwrap()).unwrap();
        let e = Signer::load("moto", dir.path()).unwrap_err().to_string();
        assert!(e.contains("no `d`") && e.contains("python3.11"), "{e}");
        // ministack publishes none, and emulators.toml says why.
        let e = Signer::load("ministack", dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no signing key is published for ministack"),
            "{e}"
        );
    }

    #[test]
    fn emulators_toml_locates_the_published_keys() {
        assert!(
            key_spec("moto")
                .unwrap()
                .path
                .ends_with("jwks-private.json.gz")
        );
        assert_eq!(key_spec("cognito-local").unwrap().jwk, "/jwk");
        assert!(key_spec("ministack").is_err());
        assert!(key_spec("fakecloud").is_err());
    }
}
