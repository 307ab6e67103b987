//! Signing and verifying the reference's JWTs (RS256, like Cognito).
//!
//! `signing_key.pem` is a fixed 2048-bit RSA key generated for this crate with
//! `openssl genrsa -traditional 2048`. It is a **test key of the reference server, not a
//! secret**: it only signs tokens of an in-process fake, and being fixed makes tokens
//! reproducible across runs and lets the JWKS document be a constant.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

const PRIVATE_KEY_PEM: &[u8] = include_bytes!("signing_key.pem");
/// Base64url modulus of the key (`openssl rsa -modulus`), for the JWKS document.
const MODULUS: &str = "rT6KUcQd4ZfxYYgb6NrntkbaGtcjM_tnzX14xtX4QR8O9cQlEkXsQ-ejDOh_WQcqn891FluBpeh_2JacfSYEyOKGDzW8qyaUYadjrKB7F5vkgKCcETcjatcvfA1wKSYtKnX751RlisZ2hBvufQlxSjOmZZz1bDQmnfd_avwj-b5LZAQtJC5D_Ei4A-qM3Ozz24_GsNesPIsnOrESnNih0vuUPGNEtegRNAY7mW1iUHoXs-wRxdiPAR1jufMweABIDs5v2YJRcJXm1Rjtwt7QBcFUOn4b6Bhsq_LYkbG-OXtqDiPJRqdr61YMtyfAD6Ur75XTEYSkcfj4omDf-rKM4Q";
/// Base64url public exponent (65537).
const EXPONENT: &str = "AQAB";
/// Key id in every token header and in the JWKS document.
pub const KEY_ID: &str = "cognito-conformance-reference-1";

/// Claims of an access token (Cognito's set).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user's `sub`.
    pub sub: String,
    /// `<server url>/<pool id>`.
    pub iss: String,
    /// App client that issued the token.
    pub client_id: String,
    /// Id of the sign-in session (shared by the refresh token and its refreshed tokens).
    pub origin_jti: String,
    /// Id of the authentication event.
    pub event_id: String,
    /// Always `access` for an access token.
    pub token_use: String,
    /// Space-separated scopes.
    pub scope: String,
    /// Time of the authentication (seconds).
    pub auth_time: i64,
    /// Expiry (seconds).
    pub exp: i64,
    /// Issue time (seconds).
    pub iat: i64,
    /// Token id.
    pub jti: String,
    /// The user's username.
    pub username: String,
}

/// Claims of an ID token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdClaims {
    /// The user's `sub`.
    pub sub: String,
    /// The app client.
    pub aud: String,
    /// The user's email, when they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the email is verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// The username.
    #[serde(rename = "cognito:username")]
    pub cognito_username: String,
    /// Always `id`.
    pub token_use: String,
    /// `<server url>/<pool id>`.
    pub iss: String,
    /// Expiry (seconds).
    pub exp: i64,
    /// Issue time (seconds).
    pub iat: i64,
    /// Time of the authentication (seconds).
    pub auth_time: i64,
    /// Id of the sign-in session.
    pub origin_jti: String,
    /// Id of the authentication event.
    pub event_id: String,
    /// Token id.
    pub jti: String,
}

/// The key pair, parsed once at start.
///
/// Signing goes to aws-lc-rs directly with the parsed key pair: `jsonwebtoken::encode` parses
/// and checks the RSA key on every call, which was a quarter of the reference's CPU time
/// (measured with perf under the generated cases).
pub struct Keys {
    signing: RsaKeyPair,
    rng: SystemRandom,
    decoding: DecodingKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys { kid: ")?;
        f.write_str(KEY_ID)?;
        f.write_str(" }")
    }
}

impl Keys {
    /// Parse the embedded key.
    pub fn load() -> Result<Keys, jsonwebtoken::errors::Error> {
        let invalid =
            |why: String| jsonwebtoken::errors::Error::from(ErrorKind::InvalidRsaKey(why));
        let pem = std::str::from_utf8(PRIVATE_KEY_PEM).map_err(|e| invalid(e.to_string()))?;
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.trim())
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Keys {
            signing: RsaKeyPair::from_der(&der).map_err(|e| invalid(e.to_string()))?,
            rng: SystemRandom::new(),
            decoding: DecodingKey::from_rsa_components(MODULUS, EXPONENT)?,
        })
    }

    /// Sign `claims` with RS256 and the key id (a compact JWS, as `jsonwebtoken::encode`
    /// writes it).
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, jsonwebtoken::errors::Error> {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": KEY_ID});
        let claims = serde_json::to_vec(claims).map_err(jsonwebtoken::errors::Error::from)?;
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let mut signature = vec![0; self.signing.public_modulus_len()];
        self.signing
            .sign(
                &RSA_PKCS1_SHA256,
                &self.rng,
                input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| jsonwebtoken::errors::Error::from(ErrorKind::RsaFailedSigning))?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    /// The access-token claims of `token` if it is an RS256 JWT signed by this key whose claims
    /// have the access-token shape. Expiry is *not* checked here (the server's clock does it);
    /// `token_use` is returned for the caller to check.
    pub fn verify_access(&self, token: &str) -> Option<AccessClaims> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }

    /// The ID-token claims of `token` if it is an RS256 JWT signed by this key with the
    /// ID-token shape (only a deliberately broken reference asks: `Break::AnyIssuedToken`).
    pub fn verify_id(&self, token: &str) -> Option<IdClaims> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<IdClaims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// The access-token claims of `token` read without checking its signature or algorithm: what
/// an emulator that only decodes tokens trusts (`Break::SignatureUnchecked`).
pub fn unverified_access(token: &str) -> Option<AccessClaims> {
    jsonwebtoken::dangerous::insecure_decode_claims::<AccessClaims>(token).ok()
}

/// Whether `token` is a JWT at all (three segments, a JSON payload), signature aside.
pub fn is_jwt(token: &str) -> bool {
    jsonwebtoken::dangerous::insecure_decode_claims::<Value>(token).is_ok()
}

/// The JWKS document (`/<pool id>/.well-known/jwks.json`).
pub fn jwks() -> Value {
    json!({"keys": [{"kid": KEY_ID, "alg": "RS256", "kty": "RSA", "use": "sig", "n": MODULUS, "e": EXPONENT}]})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> AccessClaims {
        AccessClaims {
            sub: "s".into(),
            iss: "http://x/p_1".into(),
            client_id: "c".into(),
            origin_jti: "o".into(),
            event_id: "e".into(),
            token_use: "access".into(),
            scope: "aws.cognito.signin.user.admin".into(),
            auth_time: 1,
            exp: 2,
            iat: 1,
            jti: "j".into(),
            username: "u".into(),
        }
    }

    #[test]
    fn round_trip_and_tamper() {
        let keys = Keys::load().unwrap();
        let t = keys.sign(&claims()).unwrap();
        assert_eq!(keys.verify_access(&t), Some(claims()));
        let mut parts: Vec<String> = t.split('.').map(String::from).collect();
        parts[2] = format!("A{}", &parts[2][1..]);
        let altered_sig = parts.join(".");
        assert_ne!(altered_sig, t);
        assert_eq!(keys.verify_access(&altered_sig), None);
        assert_eq!(keys.verify_access("garbage"), None);
        // alg: none
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let none = format!(
            "{}.{}.",
            b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
            t.split('.').nth(1).unwrap()
        );
        assert_eq!(keys.verify_access(&none), None);
    }
}
