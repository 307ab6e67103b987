//! AWS credentials from the standard places: environment variables, then the shared
//! credentials/config files (`AWS_PROFILE`, default `default`). Loopback targets that need no
//! real credentials get a fixed placeholder pair so set-up calls can still be signed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::wire::sigv4::AwsCredentials;

/// No usable credentials were found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Nothing in the environment or the shared files.
    #[error(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile with static keys in {files}"
    )]
    Missing {
        /// Files that were searched.
        files: String,
    },
    /// The AWS SDK chain (feature `aws-config`) could not provide credentials.
    #[error("the AWS SDK credential chain (profile {profile:?}) failed: {reason}")]
    Provider {
        /// Profile asked for.
        profile: String,
        /// What went wrong.
        reason: String,
    },
    /// The profile exists but is incomplete.
    #[error("profile {profile:?} in {file} has no aws_access_key_id/aws_secret_access_key")]
    Incomplete {
        /// Profile name.
        profile: String,
        /// File it was found in.
        file: String,
    },
}

/// Resolve credentials, also through the AWS SDK's chain (SSO, assume-role,
/// `credential_process`…) when built with the `aws-config` feature and neither the environment
/// nor the shared files hold static keys. Loopback targets (`allow_placeholder`) never wait for
/// the chain: they accept any signature.
pub async fn resolve_any(
    env: &BTreeMap<String, String>,
    region: &str,
    allow_placeholder: bool,
) -> Result<AwsCredentials, CredentialsError> {
    #[cfg(feature = "aws-config")]
    if !allow_placeholder && resolve(env, false).is_err() {
        return super::sdk_credentials::load(env, region).await;
    }
    #[cfg(not(feature = "aws-config"))]
    let _ = region;
    resolve(env, allow_placeholder)
}

fn placeholder() -> AwsCredentials {
    AwsCredentials {
        access_key_id: "cognitoconformance".into(),
        secret_access_key: "loopback-placeholder".into(),
        session_token: None,
        source: "loopback placeholder".into(),
    }
}

/// Resolve credentials from the environment and static keys in the shared files.
/// `allow_placeholder`: the target is an emulator on loopback, which accepts any signature.
pub fn resolve(
    env: &BTreeMap<String, String>,
    allow_placeholder: bool,
) -> Result<AwsCredentials, CredentialsError> {
    if let (Some(id), Some(secret)) = (
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
    ) && !id.is_empty()
        && !secret.is_empty()
    {
        return Ok(AwsCredentials {
            access_key_id: id.clone(),
            secret_access_key: secret.clone(),
            session_token: env
                .get("AWS_SESSION_TOKEN")
                .filter(|s| !s.is_empty())
                .cloned(),
            source: "environment".into(),
        });
    }
    let profile = env
        .get("AWS_PROFILE")
        .cloned()
        .unwrap_or_else(|| "default".into());
    let files = shared_files(env);
    for (path, section) in &files {
        let Ok(ini) = ini::Ini::load_from_file(path) else {
            continue;
        };
        let name = if *section {
            format!("profile {profile}")
        } else {
            profile.clone()
        };
        let props = ini.section(Some(name.as_str())).or_else(|| {
            (profile == "default")
                .then(|| ini.section(Some("default")))
                .flatten()
        });
        let Some(props) = props else { continue };
        match (
            props.get("aws_access_key_id"),
            props.get("aws_secret_access_key"),
        ) {
            (Some(id), Some(secret)) => {
                return Ok(AwsCredentials {
                    access_key_id: id.to_string(),
                    secret_access_key: secret.to_string(),
                    session_token: props.get("aws_session_token").map(str::to_string),
                    source: format!("profile {profile}"),
                });
            }
            _ if !*section => {
                return Err(CredentialsError::Incomplete {
                    profile,
                    file: path.display().to_string(),
                });
            }
            _ => {}
        }
    }
    if allow_placeholder {
        return Ok(placeholder());
    }
    Err(CredentialsError::Missing {
        files: files
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// `(path, uses "profile NAME" sections)` for the credentials file then the config file.
fn shared_files(env: &BTreeMap<String, String>) -> Vec<(PathBuf, bool)> {
    let home = env.get("HOME").map(PathBuf::from).unwrap_or_default();
    let creds = env
        .get("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".aws/credentials"));
    let config = env
        .get("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".aws/config"));
    vec![(creds, false), (config, true)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn environment_first() {
        let c = resolve(
            &env(&[
                ("AWS_ACCESS_KEY_ID", "AK"),
                ("AWS_SECRET_ACCESS_KEY", "S"),
                ("HOME", "/nonexistent"),
            ]),
            false,
        )
        .unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.source.as_str()),
            ("AK", "environment")
        );
    }

    #[test]
    fn named_profile_from_the_shared_files() {
        let dir = tempfile::tempdir().unwrap();
        let creds = dir.path().join("credentials");
        std::fs::write(&creds, "[default]\naws_access_key_id=D\naws_secret_access_key=DS\n[ci]\naws_access_key_id=C\naws_secret_access_key=CS\naws_session_token=T\n").unwrap();
        let p = creds.to_str().unwrap();
        let c = resolve(
            &env(&[
                ("AWS_SHARED_CREDENTIALS_FILE", p),
                ("AWS_PROFILE", "ci"),
                ("HOME", "/nonexistent"),
            ]),
            false,
        )
        .unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.session_token.as_deref()),
            ("C", Some("T"))
        );
        let c = resolve(
            &env(&[("AWS_SHARED_CREDENTIALS_FILE", p), ("HOME", "/nonexistent")]),
            false,
        )
        .unwrap();
        assert_eq!(c.access_key_id, "D");
    }

    #[test]
    fn config_file_profile_sections() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config");
        std::fs::write(
            &cfg,
            "[profile dev]\naws_access_key_id=V\naws_secret_access_key=VS\n",
        )
        .unwrap();
        let c = resolve(
            &env(&[
                ("AWS_CONFIG_FILE", cfg.to_str().unwrap()),
                ("AWS_PROFILE", "dev"),
                ("HOME", "/nonexistent"),
            ]),
            false,
        )
        .unwrap();
        assert_eq!(c.source, "profile dev");
    }

    #[test]
    fn missing_credentials_only_allowed_on_loopback() {
        let e = env(&[("HOME", "/nonexistent")]);
        assert!(matches!(
            resolve(&e, false),
            Err(CredentialsError::Missing { .. })
        ));
        assert_eq!(resolve(&e, true).unwrap().source, "loopback placeholder");
    }
}
