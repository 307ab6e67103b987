//! Credentials through the AWS SDK's own chain (feature `aws-config`): profiles with SSO,
//! `role_arn` (assume-role), `credential_process`, web identity, container and instance
//! credentials. The default build reads only environment variables and static keys in the
//! shared files (`credentials.rs`), which keeps it about 30 s faster to build and free of a
//! second HTTP stack.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};

use super::credentials::CredentialsError;
use crate::wire::sigv4::AwsCredentials;

/// How long the chain may take (SSO and STS are network calls; instance metadata times out
/// slowly where there is none).
const LIMIT: Duration = Duration::from_secs(30);

/// Ask the SDK's default chain, reading the profile and shared files named in `env`.
pub async fn load(
    env: &BTreeMap<String, String>,
    region: &str,
) -> Result<AwsCredentials, CredentialsError> {
    let profile = env
        .get("AWS_PROFILE")
        .cloned()
        .unwrap_or_else(|| "default".into());
    // The same files the static reader looks at; a missing one is no error (as for the
    // SDK's own defaults), but the SDK refuses a named file that does not exist.
    let home = env.get("HOME").map(PathBuf::from).unwrap_or_default();
    let mut files = EnvConfigFiles::builder();
    for (kind, var, default) in [
        (EnvConfigFileKind::Config, "AWS_CONFIG_FILE", ".aws/config"),
        (
            EnvConfigFileKind::Credentials,
            "AWS_SHARED_CREDENTIALS_FILE",
            ".aws/credentials",
        ),
    ] {
        let path = env
            .get(var)
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(default));
        if path.is_file() {
            files = files.with_file(kind, path);
        }
    }
    let config = aws_config::defaults(BehaviorVersion::latest())
        .profile_files(files.build())
        .profile_name(&profile)
        .region(aws_config::Region::new(region.to_string()))
        .load()
        .await;
    let failed = |reason: String| CredentialsError::Provider {
        profile: profile.clone(),
        reason,
    };
    let provider = config
        .credentials_provider()
        .ok_or_else(|| failed("no credentials provider configured".into()))?;
    let creds = tokio::time::timeout(LIMIT, provider.provide_credentials())
        .await
        .map_err(|_| failed(format!("no answer within {LIMIT:?}")))?
        .map_err(|e| failed(crate::wire::client::chain(&e)))?;
    Ok(AwsCredentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().map(str::to_string),
        source: format!("AWS SDK chain, profile {profile}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `credential_process` profile: the one kind of profile the static reader cannot use
    /// that needs no network.
    #[tokio::test]
    async fn credential_process_profiles_work() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config");
        std::fs::write(
            &cfg,
            "[profile proc]\ncredential_process = echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS\", \"SecretAccessKey\": \"process-secret-key\", \"SessionToken\": \"process-session-token\"}'\n",
        )
        .unwrap();
        let env: BTreeMap<String, String> = [
            ("AWS_CONFIG_FILE", cfg.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_PROFILE", "proc"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let c = load(&env, "us-east-1").await.unwrap();
        assert_eq!(c.access_key_id, "AKIAPROCESS");
        assert_eq!(c.secret_access_key, "process-secret-key");
        assert_eq!(c.session_token.as_deref(), Some("process-session-token"));
    }
}
