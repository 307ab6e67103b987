//! Pool and app-client set-up: CreateUserPool, DescribeUserPool, ListUserPools,
//! DeleteUserPool, CreateUserPoolClient.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::super::api_error::ApiError;
use super::super::iam::pool_arn;
use super::super::store::{Client, PasswordPolicy, Pool, Store};
use super::ids;
use super::input::Input;
use crate::contract::custom_attributes::is_developer_only;
use crate::contract::schema::{DataType, PoolSchema, WriteScope};

fn schema_of(input: Input<'_>) -> Result<PoolSchema, ApiError> {
    PoolSchema::from_create_input(input.0).map_err(|e| ApiError::invalid(e.to_string()))
}

fn password_policy(input: Input<'_>) -> PasswordPolicy {
    let Some(p) = input
        .object("Policies")
        .and_then(|p| p.object("PasswordPolicy"))
    else {
        return PasswordPolicy::default();
    };
    PasswordPolicy {
        minimum_length: p
            .opt_u64("MinimumLength")
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(8),
        require_uppercase: p.opt_bool("RequireUppercase").unwrap_or(false),
        require_lowercase: p.opt_bool("RequireLowercase").unwrap_or(false),
        require_numbers: p.opt_bool("RequireNumbers").unwrap_or(false),
        require_symbols: p.opt_bool("RequireSymbols").unwrap_or(false),
    }
}

/// `SchemaAttributes` as DescribeUserPool shows them (row C13: every entry has `Name`,
/// `AttributeDataType`, `DeveloperOnlyAttribute`, `Mutable`, `Required`, and string entries
/// `StringAttributeConstraints` with the bounds as strings). Developer-only attributes
/// (`dev:` names) have `DeveloperOnlyAttribute: true`; custom number attributes created with
/// `NumberAttributeConstraints` echo them as given (inferred).
fn schema_attributes(pool: &Pool) -> Value {
    let items: Vec<Value> = pool
        .schema
        .attributes()
        .map(|d| {
            let mut a = json!({
                "Name": d.name,
                "AttributeDataType": d.data_type.as_str(),
                "DeveloperOnlyAttribute": is_developer_only(&d.name),
                "Mutable": d.mutable,
                "Required": d.required,
            });
            if d.data_type == DataType::String {
                let mut c = Map::new();
                if let Some(min) = d.min_length {
                    c.insert("MinLength".into(), Value::String(min.to_string()));
                }
                if let Some(max) = d.max_length {
                    c.insert("MaxLength".into(), Value::String(max.to_string()));
                }
                a["StringAttributeConstraints"] = Value::Object(c);
            }
            if let Some(bounds) = pool.number_constraints.get(&d.name) {
                let mut c = Map::new();
                if let Some(min) = &bounds.min {
                    c.insert("MinValue".into(), Value::String(min.clone()));
                }
                if let Some(max) = &bounds.max {
                    c.insert("MaxValue".into(), Value::String(max.clone()));
                }
                a["NumberAttributeConstraints"] = Value::Object(c);
            }
            a
        })
        .collect();
    Value::Array(items)
}

fn describe(pool: &Pool) -> Value {
    let mut out = pool.config.clone();
    out.remove("Schema");
    out.remove("PoolName");
    let extra = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pool_arn(&pool.id),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.modified,
        "SchemaAttributes": schema_attributes(pool),
        "EstimatedNumberOfUsers": pool.users.len(),
        "MfaConfiguration": "OFF",
        "DeletionProtection": if pool.deletion_protection { "ACTIVE" } else { "INACTIVE" },
    });
    if let Value::Object(m) = extra {
        out.extend(m);
    }
    Value::Object(out)
}

/// CreateUserPool.
pub fn create_user_pool(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let name = input.str("PoolName")?.to_string();
    let schema = schema_of(input)?;
    let id = ids::pool_id();
    let seq = store.next_seq;
    store.next_seq += 1;
    let created = store.clock.timestamp();
    let pool = Pool {
        id: id.clone(),
        seq,
        name,
        created,
        modified: created,
        schema,
        number_constraints: Default::default(),
        password_policy: password_policy(input),
        deletion_protection: input.opt_str("DeletionProtection") == Some("ACTIVE"),
        config: input.0.clone(),
        users: Default::default(),
    };
    let out = json!({"UserPool": describe(&pool)});
    store.pools.insert(id, pool);
    Ok(out)
}

/// DescribeUserPool.
pub fn describe_user_pool(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    Ok(json!({"UserPool": describe(store.pool(input.str("UserPoolId")?)?)}))
}

/// ListUserPools: creation order; `NextToken` is the sequence number to continue after.
pub fn list_user_pools(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let max = input.opt_u64("MaxResults").unwrap_or(60).clamp(1, 60);
    let after = match input.opt_str("NextToken") {
        None => None,
        Some(t) => Some(
            t.parse::<u64>()
                .map_err(|_| ApiError::invalid("Invalid pagination token"))?,
        ),
    };
    let mut pools: Vec<&Pool> = store
        .pools
        .values()
        .filter(|p| after.is_none_or(|a| p.seq > a))
        .collect();
    pools.sort_by_key(|p| p.seq);
    let page_len = usize::try_from(max).unwrap_or(60);
    let more = pools.len() > page_len;
    pools.truncate(page_len);
    let items: Vec<Value> = pools
        .iter()
        .map(|p| json!({"Id": p.id, "Name": p.name, "CreationDate": p.created, "LastModifiedDate": p.modified, "LambdaConfig": {}}))
        .collect();
    let mut out = json!({"UserPools": items});
    if let (true, Some(last)) = (more, pools.last()) {
        out["NextToken"] = Value::String(last.seq.to_string());
    }
    Ok(out)
}

/// DeleteUserPool: the pool, its users and its clients are gone.
pub fn delete_user_pool(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let id = input.str("UserPoolId")?;
    if store.pool(id)?.deletion_protection {
        return Err(ApiError::invalid(
            "The user pool cannot be deleted because deletion protection is activated.",
        ));
    }
    store.pools.remove(id);
    store.clients.retain(|_, c| c.pool_id != id);
    store.refresh_tokens.retain(|_, s| s.pool_id != id);
    Ok(json!({}))
}

/// Normalise legacy flow names to their `ALLOW_*` equivalents.
fn normalise_flow(flow: &str) -> String {
    match flow {
        "USER_PASSWORD_AUTH" => "ALLOW_USER_PASSWORD_AUTH".into(),
        "ADMIN_NO_SRP_AUTH" => "ALLOW_ADMIN_USER_PASSWORD_AUTH".into(),
        "CUSTOM_AUTH_FLOW_ONLY" => "ALLOW_CUSTOM_AUTH".into(),
        other => other.to_string(),
    }
}

/// CreateUserPoolClient. `WriteAttributes` must name attributes of the pool's schema.
pub fn create_user_pool_client(store: &mut Store, input: Input<'_>) -> Result<Value, ApiError> {
    let pool_id = input.str("UserPoolId")?.to_string();
    let name = input.str("ClientName")?.to_string();
    let pool = store.pool(&pool_id)?;
    let write = WriteScope::from_client_input(input.0);
    if let WriteScope::Only(names) = &write
        && names
            .iter()
            .any(|n| pool.schema.get(n).is_none_or(|d| !d.mutable))
    {
        return Err(ApiError::invalid(
            "Invalid write attributes specified while creating a client",
        ));
    }
    let mut flows: BTreeSet<String> = input
        .strings("ExplicitAuthFlows")
        .iter()
        .map(|f| normalise_flow(f))
        .collect();
    if flows.is_empty() {
        flows = [
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ]
        .map(String::from)
        .into();
    }
    let id = ids::client_id();
    let secret = input
        .opt_bool("GenerateSecret")
        .unwrap_or(false)
        .then(ids::client_secret);
    let created = store.clock.timestamp();
    let mut described = input.0.clone();
    described.remove("GenerateSecret");
    let extra = json!({
        "ClientId": id,
        "ClientName": name,
        "UserPoolId": pool_id,
        "CreationDate": created,
        "LastModifiedDate": created,
        "ExplicitAuthFlows": flows.iter().collect::<Vec<_>>(),
    });
    if let Value::Object(m) = extra {
        described.extend(m);
    }
    if let Some(s) = &secret {
        described.insert("ClientSecret".into(), Value::String(s.clone()));
    }
    let client = Client {
        pool_id,
        write,
        flows,
        prevent_user_existence_errors: input.opt_str("PreventUserExistenceErrors")
            == Some("ENABLED"),
        secret,
    };
    store.clients.insert(id, client);
    Ok(json!({"UserPoolClient": Value::Object(described)}))
}
