//! Managed emulators: start one on a free loopback port, wait until it answers, stop it at
//! the end (also on panic or early return: the child is killed on drop).
//!
//! Versions are pinned in `emulators.toml` (the same file `.ci/run` installs from).
//! Executables are looked up in `$COGNITO_CONFORMANCE_EMULATORS` (default `.emulators/`),
//! then on `PATH`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::process::{Child, Command};

const PINS: &str = include_str!("../../emulators.toml");

/// One pinned emulator.
#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    /// Version the baselines were recorded with.
    pub version: String,
    /// Package name in its registry.
    pub package: String,
    /// `pypi` or `npm`.
    pub registry: String,
    /// The command that installs it where the suite looks.
    pub install: String,
}

/// The pinned emulators by name.
pub fn pins() -> BTreeMap<String, Pin> {
    toml::from_str(PINS).unwrap_or_default()
}

/// An emulator could not be launched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaunchError {
    /// Not a known emulator.
    #[error("unknown emulator {0:?}; known: {1}")]
    Unknown(String, String),
    /// Not installed.
    #[error(
        "{name} {version} is not installed (looked for {looked}); install it with:\n    {install}"
    )]
    NotInstalled {
        /// Emulator.
        name: String,
        /// Pinned version.
        version: String,
        /// Paths searched.
        looked: String,
        /// Install command.
        install: String,
    },
    /// Starting the process failed.
    #[error("cannot start {name}: {source}")]
    Spawn {
        /// Emulator.
        name: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// It started but never answered.
    #[error("{name} did not answer on {url} within {waited:?}{exit}")]
    NotReady {
        /// Emulator.
        name: String,
        /// Where it should listen.
        url: String,
        /// How long we waited.
        waited: Duration,
        /// Exit status, if it died.
        exit: String,
    },
}

/// A running emulator; killed when dropped.
#[derive(Debug)]
pub struct Launched {
    /// Endpoint URL.
    pub url: String,
    /// `name version`.
    pub label: String,
    child: Child,
    _workdir: Option<tempfile::TempDir>,
}

impl Launched {
    /// Stop the emulator and wait for it to exit.
    pub async fn stop(mut self) {
        tracing::info!(emulator = %self.label, "stopping emulator");
        let _ = self.child.kill().await;
    }
}

fn emulator_root() -> PathBuf {
    std::env::var_os("COGNITO_CONFORMANCE_EMULATORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(".emulators"))
}

fn find(candidates: &[PathBuf], on_path: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .or_else(|| {
            path.and_then(|paths| {
                std::env::split_paths(paths)
                    .map(|d| d.join(on_path))
                    .find(|p| p.is_file())
            })
        })
}

/// Start the named emulator on a free loopback port and wait until it answers HTTP.
pub async fn launch(name: &str) -> Result<Launched, LaunchError> {
    launch_from(name, &emulator_root(), std::env::var_os("PATH").as_deref()).await
}

/// As [`launch`], looking in `root` and then in the directories of `path`.
pub async fn launch_from(
    name: &str,
    root: &Path,
    path: Option<&std::ffi::OsStr>,
) -> Result<Launched, LaunchError> {
    let pins = pins();
    let pin = pins.get(name).ok_or_else(|| {
        LaunchError::Unknown(
            name.into(),
            pins.keys().cloned().collect::<Vec<_>>().join(", "),
        )
    })?;
    let port = free_port().map_err(|source| LaunchError::Spawn {
        name: name.into(),
        source,
    })?;
    let url = format!("http://127.0.0.1:{port}/");
    let (mut cmd, workdir, candidates) = match name {
        "moto" => {
            let c = vec![root.join("moto/bin/moto_server")];
            let exe = find(&c, "moto_server", path);
            let mut cmd = Command::new(exe.clone().unwrap_or_default());
            cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
            (exe.map(|_| cmd), None, c)
        }
        "cognito-local" => {
            let c = vec![root.join("cognito-local/node_modules/.bin/cognito-local")];
            let exe =
                find(&c, "cognito-local", path).map(|p| std::fs::canonicalize(&p).unwrap_or(p));
            let dir = tempfile::tempdir().map_err(|source| LaunchError::Spawn {
                name: name.into(),
                source,
            })?;
            let cfg = dir.path().join(".cognito");
            std::fs::create_dir_all(&cfg)
                .and_then(|_| {
                    std::fs::write(
                        cfg.join("config.json"),
                        r#"{"UserPoolDefaults":{"UsernameAttributes":[]}}"#,
                    )
                })
                .map_err(|source| LaunchError::Spawn {
                    name: name.into(),
                    source,
                })?;
            let mut cmd = Command::new(exe.clone().unwrap_or_default());
            cmd.current_dir(dir.path())
                .env("HOST", "127.0.0.1")
                .env("PORT", port.to_string());
            (exe.map(|_| cmd), Some(dir), c)
        }
        _ => (None, None, vec![]),
    };
    let Some(cmd) = cmd.as_mut() else {
        return Err(LaunchError::NotInstalled {
            name: name.into(),
            version: pin.version.clone(),
            looked: candidates
                .iter()
                .map(|p| p.display().to_string())
                .chain(["PATH".to_string()])
                .collect::<Vec<_>>()
                .join(", "),
            install: pin.install.clone(),
        });
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    tracing::info!(emulator = name, version = %pin.version, %url, "starting emulator");
    let child = cmd.spawn().map_err(|source| LaunchError::Spawn {
        name: name.into(),
        source,
    })?;
    let mut launched = Launched {
        url: url.clone(),
        label: format!("{name} {}", pin.version),
        child,
        _workdir: workdir,
    };
    wait_ready(&mut launched, name, Duration::from_secs(60)).await?;
    tracing::info!(emulator = name, %url, "emulator answers");
    Ok(launched)
}

fn free_port() -> std::io::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

async fn wait_ready(l: &mut Launched, name: &str, limit: Duration) -> Result<(), LaunchError> {
    let start = Instant::now();
    let addr = l
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    while start.elapsed() < limit {
        if let Ok(Some(status)) = l.child.try_wait() {
            return Err(LaunchError::NotReady {
                name: name.into(),
                url: l.url.clone(),
                waited: start.elapsed(),
                exit: format!(" (it exited: {status})"),
            });
        }
        if tokio::net::TcpStream::connect(&addr).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(LaunchError::NotReady {
        name: name.into(),
        url: l.url.clone(),
        waited: limit,
        exit: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_one_place_and_parse() {
        let p = pins();
        assert_eq!(p["moto"].version, "5.2.5");
        assert_eq!(p["cognito-local"].version, "5.3.0");
        assert!(p["moto"].install.contains("5.2.5"));
    }

    #[tokio::test]
    async fn unknown_and_missing_emulators_say_what_to_do() {
        assert!(matches!(
            launch("localstack").await,
            Err(LaunchError::Unknown(..))
        ));
        let dir = tempfile::tempdir().unwrap();
        let e = launch_from("moto", dir.path(), Some(dir.path().as_os_str()))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("not installed") && e.contains("pip install 'moto[server]==5.2.5'"),
            "{e}"
        );
    }
}
