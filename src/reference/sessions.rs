//! Issuing tokens at sign-in and authorizing the access token of a token-authorized call.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde_json::{Value, json};
use uuid::Uuid;

use super::api_error::ApiError;
use super::app::App;
use super::breaks::Break;
use super::jwt::{self, AccessClaims, IdClaims};
use super::store::{Session, Store, UserStatus};
use crate::contract::token::{ADMIN_SCOPE, TokenRejection};

/// Access and ID token lifetime (Cognito's default, and what `ExpiresIn` says).
pub const TOKEN_LIFETIME_SECONDS: i64 = 3600;

/// Header segment of a refresh token: Cognito's refresh tokens are JWEs (`RSA-OAEP`,
/// `A256GCM`), five dot-separated segments, opaque to clients. Ours look the same and are
/// random; they are never valid access tokens.
const REFRESH_HEADER: &str = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ";

/// Tokens of one sign-in.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Access token.
    pub access: String,
    /// ID token.
    pub id: String,
    /// Refresh token (absent when refreshing).
    pub refresh: Option<String>,
}

impl Tokens {
    /// `AuthenticationResult` of InitiateAuth.
    pub fn authentication_result(&self) -> Value {
        let mut r = json!({"AccessToken": self.access, "ExpiresIn": TOKEN_LIFETIME_SECONDS, "TokenType": "Bearer", "IdToken": self.id});
        if let Some(refresh) = &self.refresh {
            r["RefreshToken"] = Value::String(refresh.clone());
        }
        r
    }
}

/// What to issue.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    /// Pool id.
    pub pool_id: &'a str,
    /// Client id.
    pub client_id: &'a str,
    /// Username.
    pub username: &'a str,
    /// Space-separated scopes of the access token.
    pub scope: &'a str,
    /// Existing session to continue (refresh), or `None` for a new sign-in.
    pub session: Option<&'a str>,
}

fn random_segment(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Issue tokens for a user; a new sign-in also gets a refresh token and a new session.
pub fn issue(app: &App, store: &mut Store, grant: Grant<'_>) -> Result<Tokens, ApiError> {
    let now = store.clock.now();
    let pool = store.pool_mut(grant.pool_id)?;
    let user = pool.user_mut(grant.username)?;
    let new_session = grant.session.is_none();
    let origin_jti = grant
        .session
        .map_or_else(|| Uuid::new_v4().to_string(), str::to_string);
    if new_session {
        user.sessions.push(origin_jti.clone());
    }
    let event_id = Uuid::new_v4().to_string();
    let iss = format!("{}/{}", app.base_url, grant.pool_id);
    let access = AccessClaims {
        sub: user.sub.clone(),
        iss: iss.clone(),
        client_id: grant.client_id.to_string(),
        origin_jti: origin_jti.clone(),
        event_id: event_id.clone(),
        token_use: "access".into(),
        scope: grant.scope.to_string(),
        auth_time: now,
        exp: now.saturating_add(TOKEN_LIFETIME_SECONDS),
        iat: now,
        jti: Uuid::new_v4().to_string(),
        username: user.username.clone(),
    };
    let id = IdClaims {
        sub: user.sub.clone(),
        aud: grant.client_id.to_string(),
        email: user.attributes.get("email").cloned(),
        email_verified: user.attributes.get("email_verified").map(|v| v == "true"),
        cognito_username: user.username.clone(),
        token_use: "id".into(),
        iss,
        exp: now.saturating_add(TOKEN_LIFETIME_SECONDS),
        iat: now,
        auth_time: now,
        origin_jti: origin_jti.clone(),
        event_id,
        jti: Uuid::new_v4().to_string(),
    };
    let sub = user.sub.clone();
    let sign_failed = |_| ApiError::internal();
    let tokens = Tokens {
        access: app.keys.sign(&access).map_err(sign_failed)?,
        id: app.keys.sign(&id).map_err(sign_failed)?,
        refresh: new_session.then(|| {
            format!(
                "{REFRESH_HEADER}.{}.{}.{}.{}",
                random_segment(256),
                random_segment(12),
                random_segment(600),
                random_segment(16)
            )
        }),
    };
    if let Some(refresh) = &tokens.refresh {
        let session = Session {
            pool_id: grant.pool_id.to_string(),
            client_id: grant.client_id.to_string(),
            username: grant.username.to_string(),
            sub,
            origin_jti,
        };
        store.refresh_tokens.insert(refresh.clone(), session);
    }
    Ok(tokens)
}

/// Whose token it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// Username.
    pub username: String,
    /// Session (`origin_jti`).
    pub origin_jti: String,
}

/// Authorize an access token, running the checks in the contract's order
/// (see [`crate::contract::token`]); a deliberately broken reference skips the check its break
/// names ([`super::breaks`]).
pub fn authorize(app: &App, store: &Store, token: &str) -> Result<Caller, TokenRejection> {
    let b = &app.breaks;
    let claims = match app.keys.verify_access(token) {
        Some(c) => Presented::access(c),
        None if b.has(Break::SignatureUnchecked) => jwt::unverified_access(token)
            .map(Presented::access)
            .ok_or(TokenRejection::Invalid)?,
        None if b.has(Break::AnyIssuedToken) => {
            Presented::other(app, store, token).ok_or(TokenRejection::Invalid)?
        }
        None => return Err(TokenRejection::Invalid),
    };
    if claims.token_use != "access" && !b.has(Break::AnyIssuedToken) {
        return Err(TokenRejection::Invalid);
    }
    let pool_id = claims
        .iss
        .strip_prefix(&app.base_url)
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|id| !id.is_empty() && !id.contains('/'))
        .ok_or(TokenRejection::Invalid)?;
    if store.clock.now() >= claims.exp && !b.has(Break::ExpiryUnchecked) {
        return Err(TokenRejection::Expired);
    }
    let pool = store.pools.get(pool_id).ok_or_else(|| {
        if b.has(Break::DeletedPoolAsNoUser) {
            TokenRejection::UserGone
        } else {
            TokenRejection::PoolGone(pool_id.to_string())
        }
    })?;
    let user = pool
        .users
        .get(&claims.username)
        .filter(|u| u.sub == claims.sub)
        .ok_or(TokenRejection::UserGone)?;
    if store.revoked.contains(&claims.origin_jti) && !b.has(Break::RevocationUnchecked) {
        return Err(TokenRejection::Revoked);
    }
    let scoped = claims
        .scope
        .as_deref()
        .is_none_or(|s| s.split(' ').any(|s| s == ADMIN_SCOPE));
    if !scoped && !b.has(Break::ScopeUnchecked) {
        return Err(TokenRejection::MissingScope);
    }
    if user.status == UserStatus::Unconfirmed && !b.has(Break::ConfirmationUnchecked) {
        return Err(TokenRejection::NotConfirmed);
    }
    Ok(Caller {
        pool_id: pool_id.to_string(),
        client_id: claims.client_id,
        username: claims.username,
        origin_jti: claims.origin_jti,
    })
}

/// What a presented token claims, whichever kind it is.
struct Presented {
    iss: String,
    client_id: String,
    username: String,
    sub: String,
    origin_jti: String,
    token_use: String,
    exp: i64,
    /// `None` for a token that carries no scopes (under `Break::AnyIssuedToken`).
    scope: Option<String>,
}

impl Presented {
    fn access(c: AccessClaims) -> Presented {
        Presented {
            iss: c.iss,
            client_id: c.client_id,
            username: c.username,
            sub: c.sub,
            origin_jti: c.origin_jti,
            token_use: c.token_use,
            exp: c.exp,
            scope: Some(c.scope),
        }
    }

    /// An ID token or a refresh token this server issued, taken as an access token
    /// (`Break::AnyIssuedToken`).
    fn other(app: &App, store: &Store, token: &str) -> Option<Presented> {
        if let Some(c) = app.keys.verify_id(token) {
            return Some(Presented {
                iss: c.iss,
                client_id: c.aud,
                username: c.cognito_username,
                sub: c.sub,
                origin_jti: c.origin_jti,
                token_use: c.token_use,
                exp: c.exp,
                scope: None,
            });
        }
        let s = store.refresh_tokens.get(token)?;
        Some(Presented {
            iss: format!("{}/{}", app.base_url, s.pool_id),
            client_id: s.client_id.clone(),
            username: s.username.clone(),
            sub: s.sub.clone(),
            origin_jti: s.origin_jti.clone(),
            token_use: "refresh".into(),
            exp: i64::MAX,
            scope: None,
        })
    }
}
