//! Everything the suite creates on a target, named with the run prefix and deleted at the end.
//!
//! Pools and app clients are created once per run and kind, lazily; each case gets its own
//! users, so cases are independent and may run concurrently. Nothing outside the pools this
//! run created is ever touched: deleting a pool deletes its users.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use tracing::{debug, info, warn};

use super::admin::{Admin, AdminError};
use crate::secrets;
use crate::vocab::{ClientKind, PoolKind};
use crate::wire::sigv4::AwsCredentials;

/// The tag every provisioned pool carries (value: the run prefix).
pub const RUN_TAG: &str = "cognito-conformance-run";
/// Every pool name starts with this, then `<unix seconds>-<random>`.
pub const NAME_PREFIX: &str = "ccf";

/// The attributes the `restricted` app client may write (`WriteAttributes`).
pub const RESTRICTED_WRITE_ATTRIBUTES: [&str; 3] = ["email", "name", "custom:tier"];

/// The `CreateUserPool` input for a pool of `kind` named `name`, tagged with `run_tag`.
///
/// Public so that the property tests model exactly the pool that is provisioned (see
/// [`crate::contract::schema::PoolSchema::from_create_input`]).
pub fn pool_definition(name: &str, kind: PoolKind, run_tag: &str) -> Value {
    let mut input = json!({
        "PoolName": name,
        "AliasAttributes": ["email"],
        "AutoVerifiedAttributes": ["email"],
        "Schema": [
            {"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true},
            {"Name": "tier", "AttributeDataType": "String", "Mutable": true,
             "StringAttributeConstraints": {"MinLength": "3", "MaxLength": "10"}},
            {"Name": "badge", "AttributeDataType": "String", "Mutable": false},
            {"Name": "team", "AttributeDataType": "String", "Mutable": true}
        ],
        "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true,
            "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": true}},
        "UserPoolTags": {RUN_TAG: run_tag},
    });
    if kind.email_is_username() {
        if let Some(m) = input.as_object_mut() {
            m.remove("AliasAttributes");
        }
        input["UsernameAttributes"] = json!(["email"]);
    }
    if kind == PoolKind::VerifyBeforeUpdate {
        input["UserAttributeUpdateSettings"] =
            json!({"AttributesRequireVerificationBeforeUpdate": ["email"]});
    }
    input
}

/// A provisioned user pool with its two app clients.
#[derive(Debug, Clone)]
pub struct Pool {
    /// User pool id.
    pub id: String,
    /// Client that may write every attribute.
    pub full_client: String,
    /// Client with restricted `WriteAttributes`.
    pub restricted_client: String,
}

impl Pool {
    /// The client id of a kind.
    pub fn client(&self, kind: ClientKind) -> &str {
        match kind {
            ClientKind::Full => &self.full_client,
            ClientKind::Restricted => &self.restricted_client,
        }
    }
}

/// Tokens of one sign-in.
#[derive(Clone)]
pub struct Tokens {
    /// Access token.
    pub access: String,
    /// ID token.
    pub id: String,
    /// Refresh token.
    pub refresh: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens([redacted])")
    }
}

/// A user created for a case.
#[derive(Debug, Clone)]
pub struct UserHandle {
    /// Username (run-prefixed).
    pub username: String,
    /// The user's `sub`, when the creating call returned it.
    pub sub: Option<String>,
}

/// The shared pool of one kind: created by the first case that asks, and the result (the
/// pool, or why the target could not create it) handed to every later one.
type SharedPool = Arc<OnceCell<Result<Pool, AdminError>>>;

/// Creates and tracks the run's resources.
#[derive(Debug)]
pub struct Provisioner {
    admin: Admin,
    prefix: String,
    password: String,
    /// The shared pool of each kind: created once, and a failure is remembered too, so that
    /// the cases that depend on a pool the target cannot create fail at once instead of each
    /// sending CreateUserPool again.
    pools: Mutex<HashMap<PoolKind, SharedPool>>,
    created: Mutex<Vec<String>>,
    /// Access key ids of the principals this run registered and has not deleted yet.
    principals: Mutex<Vec<String>>,
    deleted: std::sync::atomic::AtomicUsize,
    attempted: std::sync::atomic::AtomicBool,
}

impl Provisioner {
    /// A provisioner with a fresh run prefix (`ccf-<unix seconds>-<random>`).
    pub fn new(admin: Admin) -> Provisioner {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let rand: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(6)
            .map(|c| (c as char).to_ascii_lowercase())
            .collect();
        let tail: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(20)
            .map(char::from)
            .collect();
        // Meets every password policy: upper, lower, digit, symbol, length >= 8.
        let password = format!("Aa1!{tail}");
        secrets::global().register(&password, "PASSWORD");
        Provisioner {
            admin,
            prefix: format!("{NAME_PREFIX}-{secs}-{rand}"),
            password,
            pools: Mutex::new(HashMap::new()),
            created: Mutex::new(Vec::new()),
            principals: Mutex::new(Vec::new()),
            deleted: std::sync::atomic::AtomicUsize::new(0),
            attempted: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The run prefix carried by everything this run creates.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The password of every user of this run (a secret: redacted everywhere).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The admin client.
    pub fn admin(&self) -> &Admin {
        &self.admin
    }

    /// How many pools this run has deleted (during the run and at cleanup, swept ones too).
    pub fn pools_deleted(&self) -> usize {
        self.deleted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Ids of the pools created so far and not yet deleted.
    pub fn created_pools(&self) -> Vec<String> {
        self.created.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// The shared pool of a kind, created on first use.
    pub async fn pool(&self, kind: PoolKind) -> Result<Pool, AdminError> {
        let cell = {
            let mut pools = self.pools.lock().expect("pool map lock");
            pools.entry(kind).or_default().clone()
        };
        cell.get_or_init(|| self.create_pool(kind, "shared"))
            .await
            .clone()
    }

    /// A pool of a kind for one case only (deleted-pool tokens).
    pub async fn private_pool(&self, kind: PoolKind, label: &str) -> Result<Pool, AdminError> {
        self.create_pool(kind, label).await
    }

    fn create_attempted(&self) -> bool {
        self.attempted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Ids of pools named with this run's prefix (every page of ListUserPools).
    async fn sweep(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        let own = format!("{}-", self.prefix);
        for _page in 0..1000 {
            let mut input = json!({"MaxResults": 60});
            if let Some(t) = &next {
                input["NextToken"] = json!(t);
            }
            let Ok(page) = self.admin.signed("ListUserPools", &input).await else {
                break;
            };
            for p in page
                .get("UserPools")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(id), Some(name)) = (
                    p.get("Id").and_then(Value::as_str),
                    p.get("Name").and_then(Value::as_str),
                ) && name.starts_with(&own)
                {
                    out.push(id.to_string());
                }
            }
            next = page
                .get("NextToken")
                .and_then(Value::as_str)
                .map(str::to_string);
            if next.is_none() {
                break;
            }
        }
        out
    }

    async fn create_pool(&self, kind: PoolKind, label: &str) -> Result<Pool, AdminError> {
        self.attempted
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let kind_name = kind.label();
        let name = format!("{}-{kind_name}-{label}", self.prefix);
        let input = pool_definition(&name, kind, &self.prefix);
        let out = self.admin.signed("CreateUserPool", &input).await?;
        let id = str_at(&out, &["UserPool", "Id"], "CreateUserPool")?;
        if let Ok(mut c) = self.created.lock() {
            c.push(id.clone());
        }
        info!(pool = %id, %name, "created user pool");
        let full = self.create_client(&id, "full", None).await?;
        let restricted = self
            .create_client(&id, "restricted", Some(json!(RESTRICTED_WRITE_ATTRIBUTES)))
            .await?;
        Ok(Pool {
            id,
            full_client: full,
            restricted_client: restricted,
        })
    }

    async fn create_client(
        &self,
        pool: &str,
        name: &str,
        write: Option<Value>,
    ) -> Result<String, AdminError> {
        let mut input = json!({
            "UserPoolId": pool,
            "ClientName": format!("{}-{name}", self.prefix),
            "GenerateSecret": false,
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        if let Some(w) = write {
            input["WriteAttributes"] = w;
        }
        let out = self.admin.signed("CreateUserPoolClient", &input).await?;
        let id = str_at(
            &out,
            &["UserPoolClient", "ClientId"],
            "CreateUserPoolClient",
        )?;
        debug!(pool, client = %id, kind = name, "created app client");
        Ok(id)
    }

    /// A username for a case: `<prefix>-<tag>`.
    pub fn username(&self, tag: &str) -> String {
        format!("{}-{tag}", self.prefix)
    }

    /// Create a confirmed user with a permanent password.
    pub async fn create_user(
        &self,
        pool: &Pool,
        username: &str,
        attributes: &BTreeMap<String, String>,
    ) -> Result<UserHandle, AdminError> {
        let attrs: Vec<Value> = attributes
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        let created = self
            .admin
            .signed(
                "AdminCreateUser",
                &json!({"UserPoolId": pool.id, "Username": username, "TemporaryPassword": self.password,
                        "MessageAction": "SUPPRESS", "UserAttributes": attrs}),
            )
            .await?;
        // Where users sign in with their e-mail address, Cognito names the user itself (its
        // `sub`); state is read back under that name, which an e-mail change does not move.
        let name = created
            .pointer("/User/Username")
            .and_then(Value::as_str)
            .unwrap_or(username)
            .to_string();
        let sub = created
            .get("User")
            .map(|u| crate::wire::attributes_of(u, "Attributes"))
            .and_then(|a| a.get("sub").cloned());
        self.admin
            .signed(
                "AdminSetUserPassword",
                &json!({"UserPoolId": pool.id, "Username": username, "Password": self.password, "Permanent": true}),
            )
            .await?;
        debug!(pool = %pool.id, username, "created confirmed user");
        Ok(UserHandle {
            username: name,
            sub,
        })
    }

    /// Create an unconfirmed user through SignUp.
    pub async fn sign_up(
        &self,
        pool: &Pool,
        username: &str,
        attributes: &BTreeMap<String, String>,
    ) -> Result<UserHandle, AdminError> {
        let attrs: Vec<Value> = attributes
            .iter()
            .filter(|(n, _)| !n.ends_with("_verified"))
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        let out = self
            .admin
            .unsigned(
                "SignUp",
                &json!({"ClientId": pool.full_client, "Username": username, "Password": self.password, "UserAttributes": attrs}),
            )
            .await?;
        debug!(pool = %pool.id, username, "signed up unconfirmed user");
        Ok(UserHandle {
            username: username.to_string(),
            sub: out
                .get("UserSub")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// Sign in with USER_PASSWORD_AUTH. The tokens are registered as secrets at once.
    pub async fn sign_in(&self, client_id: &str, username: &str) -> Result<Tokens, AdminError> {
        let out = self.sign_in_raw(client_id, username).await?;
        let get = |k: &str| str_at(&out, &["AuthenticationResult", k], "InitiateAuth");
        let tokens = Tokens {
            access: get("AccessToken")?,
            id: get("IdToken")?,
            refresh: get("RefreshToken")?,
        };
        let registry = secrets::global();
        registry.register(&tokens.access, "ACCESS_TOKEN");
        registry.register(&tokens.id, "ID_TOKEN");
        registry.register(&tokens.refresh, "REFRESH_TOKEN");
        debug!(username, "signed in");
        Ok(tokens)
    }

    /// The InitiateAuth output, or the error (used to check that sign-in fails).
    pub async fn sign_in_raw(&self, client_id: &str, username: &str) -> Result<Value, AdminError> {
        self.admin
            .unsigned(
                "InitiateAuth",
                &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                        "AuthParameters": {"USERNAME": username, "PASSWORD": self.password}}),
            )
            .await
    }

    /// The user's attributes by AdminGetUser; `Ok(None)` when the user does not exist.
    pub async fn read_user(
        &self,
        pool: &Pool,
        username: &str,
    ) -> Result<Option<BTreeMap<String, String>>, AdminError> {
        match self
            .admin
            .signed(
                "AdminGetUser",
                &json!({"UserPoolId": pool.id, "Username": username}),
            )
            .await
        {
            Ok(out) => Ok(Some(crate::wire::attributes_of(&out, "UserAttributes"))),
            Err(e) if e.error_type() == Some("UserNotFoundException") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The pool's DescribeUserPool output; `Ok(None)` when the pool does not exist.
    pub async fn describe_pool(&self, pool_id: &str) -> Result<Option<Value>, AdminError> {
        match self
            .admin
            .signed("DescribeUserPool", &json!({"UserPoolId": pool_id}))
            .await
        {
            Ok(out) => Ok(Some(out)),
            Err(e) if e.error_type() == Some("ResourceNotFoundException") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A SigV4 principal the target knows but allows no action (`sigv4-principals`), named
    /// `<prefix>-<tag>-denied`; deleted by [`Provisioner::delete_principal`] or the clean-up.
    pub async fn principal_without_permission(
        &self,
        tag: &str,
    ) -> Result<AwsCredentials, AdminError> {
        let name = format!("{}-{tag}-denied", self.prefix);
        let credentials = super::control::register_principal(&self.admin, &name, &[]).await?;
        if let Ok(mut p) = self.principals.lock() {
            p.push(credentials.access_key_id.clone());
        }
        debug!(principal = %name, "registered a principal without permission");
        Ok(credentials)
    }

    /// Delete a principal this run registered.
    pub async fn delete_principal(&self, access_key_id: &str) -> Result<(), AdminError> {
        super::control::delete_principal(&self.admin, access_key_id).await?;
        if let Ok(mut p) = self.principals.lock() {
            p.retain(|k| k != access_key_id);
        }
        Ok(())
    }

    /// Delete a user (admin).
    pub async fn delete_user(&self, pool: &Pool, username: &str) -> Result<(), AdminError> {
        self.admin
            .signed(
                "AdminDeleteUser",
                &json!({"UserPoolId": pool.id, "Username": username}),
            )
            .await
            .map(drop)
    }

    /// Disable a user (admin): sign-in stops working and its tokens are revoked.
    pub async fn disable_user(&self, pool: &Pool, username: &str) -> Result<(), AdminError> {
        self.admin
            .signed(
                "AdminDisableUser",
                &json!({"UserPoolId": pool.id, "Username": username}),
            )
            .await
            .map(drop)
    }

    /// Revoke every token of the user.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), AdminError> {
        self.admin
            .unsigned("GlobalSignOut", &json!({"AccessToken": access_token}))
            .await
            .map(drop)
    }

    /// Delete one pool this run created.
    pub async fn delete_pool(&self, pool_id: &str) -> Result<(), AdminError> {
        self.admin
            .signed("DeleteUserPool", &json!({"UserPoolId": pool_id}))
            .await?;
        if let Ok(mut c) = self.created.lock() {
            c.retain(|p| p != pool_id);
        }
        self.deleted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        info!(pool = pool_id, "deleted user pool");
        Ok(())
    }

    /// Delete every pool (and principal) this run created; returns the failures (the pools
    /// left behind).
    ///
    /// Besides the pools it recorded, it sweeps ListUserPools for names carrying this run's
    /// own prefix: a pool whose CreateUserPool response was lost (timeout, interruption) was
    /// still created.
    pub async fn cleanup(&self) -> Vec<(String, AdminError)> {
        // The shared pools are gone after this: a later run on the same provisioner creates
        // new ones.
        if let Ok(mut pools) = self.pools.lock() {
            pools.clear();
        }
        let mut failures = Vec::new();
        let principals = self
            .principals
            .lock()
            .map(|p| p.clone())
            .unwrap_or_default();
        for key in principals {
            // Only the embedded reference registers principals, and they live in its memory:
            // a failure is logged, never a pool left behind.
            if let Err(e) = self.delete_principal(&key).await {
                warn!(error = %e, "could not delete a principal");
            }
        }
        let mut ids = self.created_pools();
        let recorded = ids.len();
        if self.create_attempted() {
            ids.extend(
                self.sweep()
                    .await
                    .into_iter()
                    .filter(|id| !ids.contains(id))
                    .collect::<Vec<_>>(),
            );
        }
        info!(
            prefix = %self.prefix,
            recorded,
            swept = ids.len() - recorded,
            "cleanup: deleting the run's pools"
        );
        for id in ids {
            match self.delete_pool(&id).await {
                Ok(()) => {}
                Err(e) if e.error_type() == Some("ResourceNotFoundException") => {
                    debug!(pool = %id, "already gone");
                    if let Ok(mut c) = self.created.lock() {
                        c.retain(|p| p != &id);
                    }
                }
                Err(e) => {
                    warn!(pool = %id, error = %e, "could not delete user pool");
                    failures.push((id, e));
                }
            }
        }
        failures
    }
}

fn str_at(v: &Value, path: &[&str], op: &str) -> Result<String, AdminError> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p).ok_or_else(|| AdminError::BadResponse {
            operation: op.into(),
            reason: format!("no {} in the output", path.join(".")),
        })?;
    }
    cur.as_str()
        .map(str::to_string)
        .ok_or_else(|| AdminError::BadResponse {
            operation: op.into(),
            reason: format!("{} is not a string", path.join(".")),
        })
}
