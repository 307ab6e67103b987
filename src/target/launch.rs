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

/// `emulators.toml`, also read by `target::signing` (its `signing-key` entries).
pub(crate) const PINS: &str = include_str!("../../emulators.toml");

/// One pinned emulator.
#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    /// Version the baselines were recorded with.
    pub version: String,
    /// Package name in its registry.
    pub package: String,
    /// `pypi`, `npm` or `crates.io`.
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
    #[error("{name} did not answer on {url} within {waited:?}{exit}{log}")]
    NotReady {
        /// Emulator.
        name: String,
        /// Where it should listen.
        url: String,
        /// How long we waited.
        waited: Duration,
        /// Exit status, if it died.
        exit: String,
        /// The last lines it printed, so a failed start explains itself.
        log: String,
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
    // Declared after `child`: the working directory (its log, cognito-local's config,
    // ministack's pid file) outlives the process and is removed once it is gone.
    workdir: tempfile::TempDir,
}

impl Launched {
    /// Stop the emulator and wait for it to exit.
    pub async fn stop(mut self) {
        tracing::info!(emulator = %self.label, "stopping emulator");
        let _ = self.child.kill().await;
    }
}

/// How the suite knows a started emulator is ready for requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ready {
    /// The port accepts connections (the server binds only once it can serve).
    Listening,
    /// `GET path` answers 2xx: the port opens before the server is ready to serve.
    Http(&'static str),
}

/// How to start one emulator: executable, arguments and environment for a given port.
struct Recipe {
    /// Where the installed executable lives under the emulator root.
    candidates: Vec<PathBuf>,
    /// Its name on `PATH`.
    on_path: &'static str,
    ready: Ready,
    /// Fills in the command for `port`, with `dir` as its private working directory.
    configure: fn(&mut Command, u16, &Path) -> std::io::Result<()>,
}

fn recipe(name: &str, root: &Path) -> Option<Recipe> {
    Some(match name {
        "moto" => Recipe {
            candidates: vec![root.join("moto/bin/moto_server")],
            on_path: "moto_server",
            ready: Ready::Listening,
            configure: |cmd, port, _| {
                cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
                Ok(())
            },
        },
        "cognito-local" => Recipe {
            candidates: vec![root.join("cognito-local/node_modules/.bin/cognito-local")],
            on_path: "cognito-local",
            ready: Ready::Listening,
            configure: |cmd, port, dir| {
                // Its default config forces e-mail usernames; the suite uses plain ones.
                let cfg = dir.join(".cognito");
                std::fs::create_dir_all(&cfg)?;
                std::fs::write(
                    cfg.join("config.json"),
                    r#"{"UserPoolDefaults":{"UsernameAttributes":[]}}"#,
                )?;
                cmd.current_dir(dir)
                    .env("HOST", "127.0.0.1")
                    .env("PORT", port.to_string());
                Ok(())
            },
        },
        // ministack (app.py `main`): GATEWAY_PORT and BIND_HOST choose the listener (default
        // 0.0.0.0:4566). Its extra listeners (SFTP, IoT mTLS on 8883) are switched off so
        // concurrent runs cannot collide, and its pid file goes to TMPDIR, our private
        // directory. `/_ministack/ready` answers 200 once start-up (init scripts) is done.
        "ministack" => Recipe {
            candidates: vec![root.join("ministack/bin/ministack")],
            on_path: "ministack",
            ready: Ready::Http("/_ministack/ready"),
            configure: |cmd, port, dir| {
                cmd.current_dir(dir)
                    .env("BIND_HOST", "127.0.0.1")
                    .env("GATEWAY_PORT", port.to_string())
                    .env("SFTP_ENABLED", "0")
                    .env("IOT_MTLS_ENABLED", "0")
                    .env("TMPDIR", dir);
                Ok(())
            },
        },
        // fakecloud (cli.rs): `--addr HOST:PORT` (default 0.0.0.0:4566), in-memory state by
        // default; `/_fakecloud/health` is what its own `healthcheck` subcommand probes.
        "fakecloud" => Recipe {
            candidates: vec![root.join("fakecloud/bin/fakecloud")],
            on_path: "fakecloud",
            ready: Ready::Http("/_fakecloud/health"),
            configure: |cmd, port, dir| {
                cmd.current_dir(dir)
                    .args(["--addr", &format!("127.0.0.1:{port}")])
                    .args(["--log-level", "warn"]);
                Ok(())
            },
        },
        _ => return None,
    })
}

/// Where emulators are installed: `$COGNITO_CONFORMANCE_EMULATORS`, else `.emulators`.
pub(crate) fn emulator_root() -> PathBuf {
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
    let known = || pins.keys().cloned().collect::<Vec<_>>().join(", ");
    let pin = pins
        .get(name)
        .ok_or_else(|| LaunchError::Unknown(name.into(), known()))?;
    let recipe = recipe(name, root).ok_or_else(|| LaunchError::Unknown(name.into(), known()))?;
    // Canonical, so a relative root still works after `current_dir` moves the child.
    let Some(exe) = find(&recipe.candidates, recipe.on_path, path)
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
    else {
        return Err(LaunchError::NotInstalled {
            name: name.into(),
            version: pin.version.clone(),
            looked: recipe
                .candidates
                .iter()
                .map(|p| p.display().to_string())
                .chain(["PATH".to_string()])
                .collect::<Vec<_>>()
                .join(", "),
            install: pin.install.clone(),
        });
    };
    let spawn_err = |source| LaunchError::Spawn {
        name: name.into(),
        source,
    };
    let port = free_port().map_err(spawn_err)?;
    let url = format!("http://127.0.0.1:{port}/");
    let workdir = tempfile::Builder::new()
        .prefix(&format!("ccf-{name}-"))
        .tempdir()
        .map_err(spawn_err)?;
    let log = std::fs::File::create(workdir.path().join("emulator.log")).map_err(spawn_err)?;
    let mut cmd = Command::new(&exe);
    (recipe.configure)(&mut cmd, port, workdir.path()).map_err(spawn_err)?;
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone().map_err(spawn_err)?)
        .stderr(log)
        .kill_on_drop(true);
    let child = cmd.spawn().map_err(spawn_err)?;
    let mut launched = Launched {
        url,
        label: format!("{name} {}", pin.version),
        child,
        workdir,
    };
    tracing::info!(emulator = name, version = %pin.version, url = %launched.url, "starting emulator");
    wait_ready(&mut launched, name, recipe.ready, Duration::from_secs(60)).await?;
    tracing::info!(emulator = name, url = %launched.url, "emulator answers");
    Ok(launched)
}

fn free_port() -> std::io::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// The last lines of the emulator's output, indented, for a start-up failure.
fn log_tail(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("emulator.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = &lines[lines.len().saturating_sub(15)..];
    if tail.is_empty() {
        return String::new();
    }
    format!("; its last output:\n    {}", tail.join("\n    "))
}

async fn answers(url: &str, ready: Ready, client: &reqwest::Client) -> bool {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    match ready {
        Ready::Listening => tokio::net::TcpStream::connect(addr).await.is_ok(),
        Ready::Http(path) => client
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success()),
    }
}

async fn wait_ready(
    l: &mut Launched,
    name: &str,
    ready: Ready,
    limit: Duration,
) -> Result<(), LaunchError> {
    let start = Instant::now();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap_or_default();
    let not_ready = |l: &Launched, waited, exit| LaunchError::NotReady {
        name: name.into(),
        url: l.url.clone(),
        waited,
        exit,
        log: log_tail(l.workdir.path()),
    };
    while start.elapsed() < limit {
        if let Ok(Some(status)) = l.child.try_wait() {
            return Err(not_ready(
                l,
                start.elapsed(),
                format!(" (it exited: {status})"),
            ));
        }
        if answers(&l.url, ready, &client).await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(not_ready(l, limit, String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn pins_are_one_place_and_parse() {
        let p = pins();
        assert_eq!(p["moto"].version, "5.2.5");
        assert_eq!(p["cognito-local"].version, "5.3.0");
        assert_eq!(p["ministack"].version, "1.5.33");
        assert_eq!(p["fakecloud"].version, "0.51.0");
        assert_eq!(p["fakecloud"].registry, "crates.io");
        for (name, pin) in &p {
            assert!(
                pin.install.contains(&pin.version),
                "{name}: {}",
                pin.install
            );
            assert!(
                pin.install.contains(&pin.package),
                "{name}: {}",
                pin.install
            );
            assert!(
                pin.install.contains(&format!(".emulators/{name}")),
                "{name} must install where the suite looks: {}",
                pin.install
            );
        }
    }

    #[test]
    fn every_pin_has_a_recipe_and_every_recipe_a_pin() {
        let root = Path::new(".emulators");
        for name in pins().keys() {
            assert!(
                recipe(name, root).is_some(),
                "{name} is pinned but cannot be launched"
            );
        }
        for name in ["moto", "cognito-local", "ministack", "fakecloud"] {
            assert!(pins().contains_key(name), "{name} has no pin");
        }
    }

    #[tokio::test]
    async fn unknown_and_missing_emulators_say_what_to_do() {
        assert!(matches!(
            launch("localstack").await,
            Err(LaunchError::Unknown(..))
        ));
        let dir = tempfile::tempdir().unwrap();
        for (name, install) in [
            ("moto", "pip install 'moto[server]==5.2.5'"),
            (
                "ministack",
                "python3 -m venv .emulators/ministack && .emulators/ministack/bin/pip install 'ministack==1.5.33'",
            ),
            (
                "fakecloud",
                "cargo install fakecloud --version 0.51.0 --locked --root .emulators/fakecloud",
            ),
        ] {
            let e = launch_from(name, dir.path(), Some(dir.path().as_os_str()))
                .await
                .unwrap_err()
                .to_string();
            assert!(e.contains("not installed") && e.contains(install), "{e}");
            assert!(
                e.contains(&format!("{name}/bin/")),
                "says where it looked: {e}"
            );
        }
    }

    /// An executable script at `root/rel`.
    fn script(root: &Path, rel: &str, body: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[tokio::test]
    async fn ministack_is_started_on_loopback_and_probed_on_its_ready_path() {
        // A stand-in that serves its working directory with the port and host ministack is
        // given: it is ready only if the launcher passed them and probes `/_ministack/ready`.
        let root = tempfile::tempdir().unwrap();
        script(
            root.path(),
            "ministack/bin/ministack",
            r#"[ "$SFTP_ENABLED" = 0 ] && [ "$IOT_MTLS_ENABLED" = 0 ] || exit 3
mkdir -p _ministack && echo '{}' > _ministack/ready
exec python3 -m http.server --bind "$BIND_HOST" "$GATEWAY_PORT""#,
        );
        let l = launch_from("ministack", root.path(), None).await.unwrap();
        assert!(l.url.starts_with("http://127.0.0.1:"), "{}", l.url);
        assert_eq!(l.label, "ministack 1.5.33");
        let addr = l
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        l.stop().await;
        assert!(
            tokio::net::TcpStream::connect(&addr).await.is_err(),
            "stopped emulator still listens"
        );
    }

    #[tokio::test]
    async fn a_listening_port_without_the_ready_path_is_not_ready() {
        let root = tempfile::tempdir().unwrap();
        script(
            root.path(),
            "fakecloud/bin/fakecloud",
            // Serves 404 for /_fakecloud/health: listening, never healthy.
            r#"exec python3 -m http.server --bind 127.0.0.1 "${2##*:}""#,
        );
        let r = recipe("fakecloud", root.path()).unwrap();
        let port = free_port().unwrap();
        let workdir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(&r.candidates[0]);
        (r.configure)(&mut cmd, port, workdir.path()).unwrap();
        let mut l = Launched {
            url: format!("http://127.0.0.1:{port}/"),
            label: "fakecloud".into(),
            child: cmd
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .unwrap(),
            workdir,
        };
        let e = wait_ready(&mut l, "fakecloud", r.ready, Duration::from_secs(3))
            .await
            .unwrap_err();
        assert!(matches!(e, LaunchError::NotReady { .. }), "{e}");
        assert!(
            tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
                .await
                .is_ok(),
            "the stand-in should have been listening"
        );
        l.stop().await;
    }

    #[tokio::test]
    async fn an_emulator_that_dies_at_start_shows_its_output() {
        let root = tempfile::tempdir().unwrap();
        script(
            root.path(),
            "moto/bin/moto_server",
            "echo 'ImportError: no module named werkzeug' >&2; exit 7",
        );
        let e = launch_from("moto", root.path(), None)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("did not answer") && e.contains("it exited"),
            "{e}"
        );
        assert!(e.contains("ImportError: no module named werkzeug"), "{e}");
    }
}
