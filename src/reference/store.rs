//! The reference's in-memory state: pools, their users, app clients, sign-in sessions,
//! revocations, injected faults, the SigV4 principals and the clock. One `Store` sits behind one mutex; handlers are
//! synchronous and hold it for the whole request, so every request is atomic.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::api_error::ApiError;
use super::clock::Clock;
use super::iam::Principals;
use crate::contract::custom_attributes::NumberConstraints;
use crate::contract::schema::{PoolSchema, WriteScope};

/// Everything the server knows.
#[derive(Debug, Default)]
pub struct Store {
    /// Pools by id.
    pub pools: BTreeMap<String, Pool>,
    /// Next pool sequence number (ListUserPools order and pagination).
    pub next_seq: u64,
    /// App clients by id.
    pub clients: HashMap<String, Client>,
    /// Refresh tokens by value.
    pub refresh_tokens: HashMap<String, Session>,
    /// Revoked sign-in sessions (`origin_jti`), by GlobalSignOut or DeleteUser.
    pub revoked: HashSet<String>,
    /// Injected faults: operation -> error type, consumed by the next call.
    pub faults: HashMap<String, String>,
    /// The clock.
    pub clock: Clock,
    /// Who may sign administrator calls (access key id -> principal).
    pub principals: Principals,
}

/// A user pool.
#[derive(Debug)]
pub struct Pool {
    /// `us-east-1_XXXXXXXXX`.
    pub id: String,
    /// Creation order.
    pub seq: u64,
    /// `PoolName`.
    pub name: String,
    /// Creation time.
    pub created: f64,
    /// Last change of the pool itself (AddCustomAttributes).
    pub modified: f64,
    /// Attribute schema and verification settings.
    pub schema: PoolSchema,
    /// `NumberAttributeConstraints` of custom number attributes, as given (DescribeUserPool).
    pub number_constraints: NumberConstraints,
    /// Password policy.
    pub password_policy: PasswordPolicy,
    /// `DeletionProtection = ACTIVE`.
    pub deletion_protection: bool,
    /// The configuration as created (echoed by DescribeUserPool).
    pub config: serde_json::Map<String, Value>,
    /// Users by username.
    pub users: BTreeMap<String, User>,
}

impl Pool {
    /// Whether a user other than `except` holds `value` as a verified `attribute` (alias clash).
    pub fn alias_taken(&self, except: &str, attribute: &str, value: &str) -> bool {
        let flag = format!("{attribute}_verified");
        self.users.values().any(|u| {
            u.username != except
                && u.attributes.get(attribute).map(String::as_str) == Some(value)
                && u.attributes.get(&flag).map(String::as_str) == Some("true")
        })
    }

    /// Move verified aliases to `username`: every other user holding the same verified value of
    /// one of `attributes` has it unverified (the value stays; the flag becomes `false`).
    pub fn move_aliases(&mut self, username: &str, attributes: &[String]) {
        for attribute in attributes {
            let Some(value) = self
                .users
                .get(username)
                .and_then(|u| u.attributes.get(attribute))
                .cloned()
            else {
                continue;
            };
            let flag = format!("{attribute}_verified");
            for u in self.users.values_mut() {
                if u.username != username
                    && u.attributes.get(attribute) == Some(&value)
                    && u.attributes.get(&flag).map(String::as_str) == Some("true")
                {
                    u.attributes.insert(flag.clone(), "false".to_string());
                }
            }
        }
    }

    /// The user named `username`, or `UserNotFoundException`.
    pub fn user(&self, username: &str) -> Result<&User, ApiError> {
        let key = self
            .resolve_username(username)
            .ok_or_else(ApiError::no_user)?;
        self.users.get(&key).ok_or_else(ApiError::no_user)
    }

    /// Mutable [`Pool::user`].
    pub fn user_mut(&mut self, username: &str) -> Result<&mut User, ApiError> {
        let key = self
            .resolve_username(username)
            .ok_or_else(ApiError::no_user)?;
        self.users.get_mut(&key).ok_or_else(ApiError::no_user)
    }

    /// The username an administrator call's `Username` designates: the username itself, a
    /// verified alias value ([`Pool::find_for_sign_in`]), or the user's `sub` (model
    /// documentation of `Username`: "it can be any of their alias attributes ... or the `sub`").
    pub fn resolve_username(&self, name: &str) -> Option<String> {
        self.find_for_sign_in(name)
            .or_else(|| self.users.values().find(|u| u.sub == name))
            .map(|u| u.username.clone())
    }

    /// The user a sign-in name designates: the username, or a verified alias value.
    pub fn find_for_sign_in(&self, name: &str) -> Option<&User> {
        self.users.get(name).or_else(|| {
            self.users.values().find(|u| {
                self.schema.aliases.iter().any(|a| {
                    u.attributes.get(a).map(String::as_str) == Some(name)
                        && u.attributes
                            .get(&format!("{a}_verified"))
                            .map(String::as_str)
                            == Some("true")
                })
            })
        })
    }
}

/// `Policies.PasswordPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// `MinimumLength`.
    pub minimum_length: usize,
    /// `RequireUppercase`.
    pub require_uppercase: bool,
    /// `RequireLowercase`.
    pub require_lowercase: bool,
    /// `RequireNumbers`.
    pub require_numbers: bool,
    /// `RequireSymbols`.
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    /// Cognito's default when a pool is created without a policy.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
        }
    }
}

impl PasswordPolicy {
    /// `InvalidPasswordException` with Cognito's message when `password` breaks the policy.
    pub fn check(&self, password: &str) -> Result<(), ApiError> {
        let fail = |why: &str| {
            Err(ApiError::new(
                "InvalidPasswordException",
                format!("Password did not conform with policy: {why}"),
            ))
        };
        if password.chars().count() < self.minimum_length {
            return fail("Password not long enough");
        }
        if self.require_uppercase && !password.chars().any(char::is_uppercase) {
            return fail("Password must have uppercase characters");
        }
        if self.require_lowercase && !password.chars().any(char::is_lowercase) {
            return fail("Password must have lowercase characters");
        }
        if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            return fail("Password must have numeric characters");
        }
        if self.require_symbols
            && !password
                .chars()
                .any(|c| c.is_ascii_punctuation() || c == ' ')
        {
            return fail("Password must have symbol characters");
        }
        Ok(())
    }
}

/// An app client.
#[derive(Debug)]
pub struct Client {
    /// Its pool.
    pub pool_id: String,
    /// `WriteAttributes`.
    pub write: WriteScope,
    /// Allowed flows, normalised to the `ALLOW_*` names.
    pub flows: BTreeSet<String>,
    /// `PreventUserExistenceErrors = ENABLED`.
    pub prevent_user_existence_errors: bool,
    /// `ClientSecret`, when generated.
    pub secret: Option<String>,
}

/// `UserStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    /// Signed up, not confirmed.
    Unconfirmed,
    /// Confirmed.
    Confirmed,
    /// Created by an administrator with a temporary password.
    ForceChangePassword,
}

impl UserStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A user.
#[derive(Debug)]
pub struct User {
    /// Username.
    pub username: String,
    /// Immutable generated id (also in `attributes["sub"]`).
    pub sub: String,
    /// Current password.
    pub password: String,
    /// Status.
    pub status: UserStatus,
    /// Attributes, including `sub`.
    pub attributes: BTreeMap<String, String>,
    /// Values waiting for verification (AttributesRequireVerificationBeforeUpdate).
    pub pending: BTreeMap<String, String>,
    /// Creation time.
    pub created: f64,
    /// Last modification time.
    pub modified: f64,
    /// `Enabled`.
    pub enabled: bool,
    /// Sign-in sessions (`origin_jti`) issued to this user.
    pub sessions: Vec<String>,
    /// The last verification code sent per attribute (`email`, `phone_number`).
    pub codes: BTreeMap<String, SentCode>,
}

/// A verification code the reference "sent" (recorded, never delivered).
#[derive(Debug, Clone, PartialEq)]
pub struct SentCode {
    /// Six digits.
    pub code: String,
    /// The value it went to (unmasked).
    pub destination: String,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: String,
    /// When (reference clock, epoch seconds).
    pub sent_at: f64,
}

impl User {
    /// Record a new code for `attribute` sent to `destination`; returns the code.
    pub fn record_code(
        &mut self,
        attribute: &str,
        destination: &str,
        delivery_medium: &str,
        now: f64,
    ) -> String {
        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        self.codes.insert(
            attribute.to_string(),
            SentCode {
                code: code.clone(),
                destination: destination.to_string(),
                delivery_medium: delivery_medium.to_string(),
                sent_at: now,
            },
        );
        code
    }
}

/// A sign-in session, as a refresh token refers to it.
#[derive(Debug, Clone)]
pub struct Session {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// Username.
    pub username: String,
    /// The user's `sub` at sign-in (a re-created user with the same name is someone else).
    pub sub: String,
    /// Session id (`origin_jti`).
    pub origin_jti: String,
}

impl Store {
    /// The pool `id`, or `ResourceNotFoundException`.
    pub fn pool(&self, id: &str) -> Result<&Pool, ApiError> {
        self.pools.get(id).ok_or_else(|| ApiError::no_pool(id))
    }

    /// Mutable [`Store::pool`].
    pub fn pool_mut(&mut self, id: &str) -> Result<&mut Pool, ApiError> {
        self.pools.get_mut(id).ok_or_else(|| ApiError::no_pool(id))
    }

    /// The client `id` (whose pool still exists), or `ResourceNotFoundException`.
    pub fn client(&self, id: &str) -> Result<&Client, ApiError> {
        self.clients
            .get(id)
            .filter(|c| self.pools.contains_key(&c.pool_id))
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFoundException",
                    format!("User pool client {id} does not exist."),
                )
            })
    }

    /// Revoke every session of a user (GlobalSignOut, DeleteUser).
    pub fn revoke_sessions(&mut self, sessions: &[String]) {
        self.revoked.extend(sessions.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy_messages() {
        let p = PasswordPolicy::default();
        assert!(p.check("Aa1!aaaa").is_ok());
        assert_eq!(
            p.check("Aa1!").unwrap_err().message.as_deref(),
            Some("Password did not conform with policy: Password not long enough")
        );
        assert_eq!(
            p.check("aa1!aaaa").unwrap_err().kind,
            "InvalidPasswordException"
        );
        let lax = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
        };
        assert!(lax.check("aaaaaa").is_ok());
    }
}
