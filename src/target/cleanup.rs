//! Finding and deleting what earlier runs left behind, and nothing else.
//!
//! A pool is the suite's only if its name is `ccf-<unix seconds>-<random>-…` **and** its
//! `cognito-conformance-run` tag equals that run prefix (read back with DescribeUserPool);
//! a pool that merely looks similar is never touched.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::admin::{Admin, AdminError};
use super::provision::{NAME_PREFIX, RUN_TAG};

/// A pool left by an earlier run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// Pool id.
    pub id: String,
    /// Pool name.
    pub name: String,
    /// Age from the run prefix's timestamp.
    pub age: Duration,
}

/// The run prefix (`ccf-<secs>-<rand>`) and creation time encoded in a pool name.
pub fn parse_name(name: &str) -> Option<(String, u64)> {
    let mut parts = name.splitn(4, '-');
    let (p, secs, rand) = (parts.next()?, parts.next()?, parts.next()?);
    parts.next()?;
    if p != NAME_PREFIX || rand.len() != 6 || !rand.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let t: u64 = secs.parse().ok()?;
    Some((format!("{p}-{secs}-{rand}"), t))
}

/// Pools of earlier runs older than `min_age`, confirmed by their tag.
pub async fn find(admin: &Admin, min_age: Duration) -> Result<Vec<Leftover>, AdminError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    for _page in 0..1000 {
        let mut input = json!({"MaxResults": 60});
        if let Some(t) = &next {
            input["NextToken"] = json!(t);
        }
        let page = admin.signed("ListUserPools", &input).await?;
        for pool in page
            .get("UserPools")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(id), Some(name)) = (
                pool.get("Id").and_then(Value::as_str),
                pool.get("Name").and_then(Value::as_str),
            ) else {
                continue;
            };
            let Some((prefix, created)) = parse_name(name) else {
                continue;
            };
            let age = Duration::from_secs(now.saturating_sub(created));
            if age < min_age {
                continue;
            }
            let described = admin
                .signed("DescribeUserPool", &json!({"UserPoolId": id}))
                .await?;
            let tag = described
                .pointer(&format!("/UserPool/UserPoolTags/{RUN_TAG}"))
                .and_then(Value::as_str);
            if tag == Some(prefix.as_str()) {
                out.push(Leftover {
                    id: id.to_string(),
                    name: name.to_string(),
                    age,
                });
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
    Ok(out)
}

/// Delete the leftovers; returns the ones that could not be deleted.
pub async fn delete(admin: &Admin, pools: &[Leftover]) -> Vec<(Leftover, AdminError)> {
    let mut failed = Vec::new();
    for p in pools {
        if let Err(e) = admin
            .signed("DeleteUserPool", &json!({"UserPoolId": p.id}))
            .await
            && e.error_type() != Some("ResourceNotFoundException")
        {
            failed.push((p.clone(), e));
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_suite_names_parse() {
        assert_eq!(
            parse_name("ccf-1795322376-pdeoha-default-shared"),
            Some(("ccf-1795322376-pdeoha".into(), 1795322376))
        );
        for other in [
            "ccf-abc-pdeoha-default",
            "my-pool",
            "ccf-1795322376-pdeoha",
            "ccf-1795322376-pde-x",
            "CCF-1-abcdef-x",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
    }
}
