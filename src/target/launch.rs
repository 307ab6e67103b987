//! Managed emulators: start one on a free loopback port, wait until it answers, stop it at
//! the end (also on panic or early return: the child is killed on drop).
//!
//! Versions are pinned in `emulators.toml` (the same file `.ci/run` installs from).
//! Executables are looked up in `$COGNITO_CONFORMANCE_EMULATORS` (default `.emulators/`),
//! then on `PATH`, and the version found is checked against the pin before anything starts
//! ([`detect_version`]): a baseline describes one version, so another one is refused unless
//! the caller allows it ([`LaunchOptions::allow_version_mismatch`]), and then the run is
//! labelled with the version that actually ran.

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

impl Pin {
    /// `moto[server] 5.2.5 from pypi`: what the install command fetches, for a user who
    /// installs it another way (pipx, a system package, an existing virtualenv).
    pub fn origin(&self) -> String {
        format!("{} {} from {}", self.package, self.version, self.registry)
    }
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
        "{name} {version} is not installed (looked for {looked}); install it ({origin}) with:\n    {install}",
        version = .pin.version, origin = .pin.origin(), install = .pin.install
    )]
    NotInstalled {
        /// Emulator.
        name: String,
        /// Paths searched.
        looked: String,
        /// Its pin: the version, what to install and how.
        pin: Box<Pin>,
    },
    /// The installed version is not the pinned one.
    #[error(
        "{name} {found} found at {exe}, but emulators.toml pins {name} {pinned}; install the pinned version ({origin}) with:\n    {install}\nor pass --allow-version-mismatch to run {name} {found} anyway (the report is then labelled `{name} {found}`)",
        pinned = .pin.version, origin = .pin.origin(), install = .pin.install
    )]
    VersionMismatch {
        /// Emulator.
        name: String,
        /// The version installed.
        found: String,
        /// The executable found.
        exe: PathBuf,
        /// Its pin: the version, what to install and how.
        pin: Box<Pin>,
    },
    /// The installed version could not be determined: treated like a mismatch.
    #[error(
        "cannot tell which version of {name} is installed at {exe} ({reason}); emulators.toml pins {name} {pinned}; install the pinned version ({origin}) with:\n    {install}\nor pass --allow-version-mismatch to run it anyway",
        pinned = .pin.version, origin = .pin.origin(), install = .pin.install
    )]
    VersionUnknown {
        /// Emulator.
        name: String,
        /// Why the version is unknown.
        reason: String,
        /// The executable found.
        exe: PathBuf,
        /// Its pin: the version, what to install and how.
        pin: Box<Pin>,
    },
    /// Starting the process failed.
    #[error("cannot start {name}")]
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

/// How to launch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// Run an installed version other than the pinned one (or one whose version cannot be
    /// determined) instead of refusing; the label then carries the version found.
    pub allow_version_mismatch: bool,
}

/// The version of an installed emulator, as [`detect_version`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundVersion {
    /// The version, and where it was read.
    Known {
        /// `5.2.5`.
        version: String,
        /// The file or command it came from.
        source: String,
    },
    /// It could not be determined.
    Unknown {
        /// Why (every place looked at).
        reason: String,
    },
}

/// A running emulator; killed when dropped.
#[derive(Debug)]
pub struct Launched {
    /// Endpoint URL.
    pub url: String,
    /// `name version`, the version being the one found (`moto 5.2.1`), or `name (version
    /// unknown)`.
    pub label: String,
    /// Set when the version found is not the pinned one and the mismatch was allowed: a
    /// warning to show (the run may not match the baseline).
    pub version_warning: Option<String>,
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
    /// Where its version is written down.
    version: VersionProbe,
    /// Fills in the command for `port`, with `dir` as its private working directory.
    configure: fn(&mut Command, u16, &Path) -> std::io::Result<()>,
}

fn recipe(name: &str, root: &Path) -> Option<Recipe> {
    Some(match name {
        "moto" => Recipe {
            candidates: vec![root.join("moto/bin/moto_server")],
            on_path: "moto_server",
            ready: Ready::Listening,
            // `moto_server` has no --version: the venv's package metadata.
            version: VersionProbe::Python { dist: "moto" },
            configure: |cmd, port, _| {
                cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
                Ok(())
            },
        },
        "cognito-local" => Recipe {
            candidates: vec![root.join("cognito-local/node_modules/.bin/cognito-local")],
            on_path: "cognito-local",
            ready: Ready::Listening,
            version: VersionProbe::Npm {
                package: "cognito-local",
            },
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
            // No --version either (argparse: -h, -d, --stop); it reports
            // importlib.metadata's version, so the package metadata is the same answer.
            version: VersionProbe::Python { dist: "ministack" },
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
            // clap's `--version` (`fakecloud 0.51.0`), after `cargo install`'s own record.
            version: VersionProbe::Cargo { krate: "fakecloud" },
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

/// Start the named emulator on a free loopback port and wait until it answers HTTP. Its
/// version is checked against `emulators.toml` first (see [`LaunchOptions`]).
pub async fn launch(name: &str, opts: LaunchOptions) -> Result<Launched, LaunchError> {
    launch_from(
        name,
        &emulator_root(),
        std::env::var_os("PATH").as_deref(),
        opts,
    )
    .await
}

/// As [`launch`], looking in `root` and then in the directories of `path`.
pub async fn launch_from(
    name: &str,
    root: &Path,
    path: Option<&std::ffi::OsStr>,
    opts: LaunchOptions,
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
            looked: recipe
                .candidates
                .iter()
                .map(|p| p.display().to_string())
                .chain(["PATH".to_string()])
                .collect::<Vec<_>>()
                .join(", "),
            pin: Box::new(pin.clone()),
        });
    };
    let (label, version_warning) = check_version(
        name,
        pin,
        &exe,
        detect_version(&recipe.version, &exe).await,
        opts,
    )?;
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
        label,
        version_warning,
        child,
        workdir,
    };
    tracing::info!(emulator = %launched.label, url = %launched.url, "starting emulator");
    wait_ready(&mut launched, name, recipe.ready, Duration::from_secs(60)).await?;
    tracing::info!(emulator = name, url = %launched.url, "emulator answers");
    Ok(launched)
}

/// The label of a run and, for an allowed mismatch, the warning to show; or the refusal.
fn check_version(
    name: &str,
    pin: &Pin,
    exe: &Path,
    found: FoundVersion,
    opts: LaunchOptions,
) -> Result<(String, Option<String>), LaunchError> {
    match found {
        FoundVersion::Known { version, source } => {
            tracing::info!(emulator = name, %version, %source, "installed version");
            if version == pin.version {
                return Ok((format!("{name} {version}"), None));
            }
            if !opts.allow_version_mismatch {
                return Err(LaunchError::VersionMismatch {
                    name: name.into(),
                    found: version,
                    exe: exe.into(),
                    pin: Box::new(pin.clone()),
                });
            }
            let warning = format!(
                "running {name} {version} (found at {exe}), not the pinned {name} {pinned} (--allow-version-mismatch); its baseline describes {pinned}",
                exe = exe.display(),
                pinned = pin.version
            );
            Ok((format!("{name} {version}"), Some(warning)))
        }
        FoundVersion::Unknown { reason } => {
            if !opts.allow_version_mismatch {
                return Err(LaunchError::VersionUnknown {
                    name: name.into(),
                    reason,
                    exe: exe.into(),
                    pin: Box::new(pin.clone()),
                });
            }
            let warning = format!(
                "running {name} at {exe}, whose version is unknown ({reason}), not the pinned {name} {pinned} (--allow-version-mismatch)",
                exe = exe.display(),
                pinned = pin.version
            );
            Ok((format!("{name} (version unknown)"), Some(warning)))
        }
    }
}

/// Where an emulator's version is written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VersionProbe {
    /// A Python distribution installed in a virtual environment (`VENV/bin/EXE`): its
    /// `*.dist-info/METADATA`, else `importlib.metadata` run by the script's own interpreter.
    Python {
        /// Distribution name.
        dist: &'static str,
    },
    /// An npm package whose `bin` the executable is (`node_modules/.bin/EXE`, a symlink into
    /// the package): the nearest `package.json` naming it.
    Npm {
        /// Package name.
        package: &'static str,
    },
    /// A binary installed with `cargo install --root ROOT` (`ROOT/bin/EXE`): cargo's
    /// `ROOT/.crates.toml`, else `EXE --version`.
    Cargo {
        /// Crate name.
        krate: &'static str,
    },
}

/// How long a version command may take (a Python interpreter importing metadata).
const VERSION_COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// The version of the emulator installed at `exe`, from its package metadata where that is
/// on disk (fast, and the only source for moto and ministack, which have no `--version`),
/// else from a command. `Unknown` says every place that was tried.
async fn detect_version(probe: &VersionProbe, exe: &Path) -> FoundVersion {
    let mut tried = Vec::new();
    let found = match *probe {
        VersionProbe::Python { dist } => match python_dist_info(exe, dist, &mut tried) {
            Some(found) => Some(found),
            None => python_importlib(exe, dist, &mut tried).await,
        },
        VersionProbe::Npm { package } => npm_package_json(exe, package, &mut tried),
        VersionProbe::Cargo { krate } => match cargo_crates_toml(exe, krate, &mut tried) {
            Some(found) => Some(found),
            None => version_flag(exe, krate, &mut tried).await,
        },
    };
    found.unwrap_or_else(|| FoundVersion::Unknown {
        reason: tried.join("; "),
    })
}

/// `VENV/lib/python3.X/site-packages/DIST-VERSION.dist-info/METADATA` beside `VENV/bin/EXE`.
fn python_dist_info(exe: &Path, dist: &str, tried: &mut Vec<String>) -> Option<FoundVersion> {
    let venv = exe.parent()?.parent()?;
    let lib = venv.join("lib");
    let normalized = dist.replace('-', "_").to_ascii_lowercase();
    let mut site_dirs: Vec<PathBuf> = std::fs::read_dir(&lib)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .filter(|p| p.is_dir())
        .collect();
    site_dirs.sort();
    for site in &site_dirs {
        let mut infos: Vec<PathBuf> = std::fs::read_dir(site)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".dist-info"))
                    .and_then(|n| n.rsplit_once('-'))
                    .is_some_and(|(name, _)| {
                        name.replace('-', "_").to_ascii_lowercase() == normalized
                    })
            })
            .collect();
        infos.sort();
        for info in infos {
            let metadata = info.join("METADATA");
            match std::fs::read_to_string(&metadata) {
                Ok(text) => {
                    if let Some(v) = text
                        .lines()
                        .take_while(|l| !l.is_empty())
                        .find_map(|l| l.strip_prefix("Version:"))
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                    {
                        return Some(FoundVersion::Known {
                            version: v.to_string(),
                            source: metadata.display().to_string(),
                        });
                    }
                    tried.push(format!("{} has no Version", metadata.display()));
                }
                Err(e) => tried.push(format!("cannot read {}: {e}", metadata.display())),
            }
        }
    }
    tried.push(format!(
        "no {dist}-*.dist-info under {}",
        lib.join("python*/site-packages").display()
    ));
    None
}

/// `INTERPRETER -c 'importlib.metadata.version(DIST)'`, the interpreter being the one on the
/// script's `#!` line (the venv's python, or wherever pip installed it).
async fn python_importlib(exe: &Path, dist: &str, tried: &mut Vec<String>) -> Option<FoundVersion> {
    let first = std::fs::read(exe)
        .ok()
        .and_then(|b| b.split(|c| *c == b'\n').next().map(<[u8]>::to_vec))
        .and_then(|l| String::from_utf8(l).ok());
    let Some(interpreter) = first
        .as_deref()
        .and_then(|l| l.strip_prefix("#!"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
    else {
        tried.push(format!(
            "{} has no #! line naming its Python",
            exe.display()
        ));
        return None;
    };
    if !interpreter.contains("python") {
        tried.push(format!(
            "{} is not a Python script (#!{interpreter})",
            exe.display()
        ));
        return None;
    }
    let mut words = interpreter.split_whitespace();
    let program = words.next()?;
    let mut cmd = Command::new(program);
    cmd.args(words).args([
        "-c",
        "import sys, importlib.metadata as m; print(m.version(sys.argv[1]))",
        dist,
    ]);
    let shown = format!("{interpreter} -c 'importlib.metadata.version(\"{dist}\")'");
    let out = run_for_version(cmd, &shown, tried).await?;
    let version = out.trim();
    if version.is_empty() || version.contains(char::is_whitespace) {
        tried.push(format!("{shown} printed {version:?}"));
        return None;
    }
    Some(FoundVersion::Known {
        version: version.to_string(),
        source: shown,
    })
}

/// The `package.json` of `package` that the executable belongs to: the nearest one above
/// the executable's real path (`.bin/` links into the package) naming the package.
fn npm_package_json(exe: &Path, package: &str, tried: &mut Vec<String>) -> Option<FoundVersion> {
    let real = std::fs::canonicalize(exe).unwrap_or_else(|_| exe.to_path_buf());
    let mut candidates: Vec<PathBuf> = real
        .ancestors()
        .skip(1)
        .map(|d| d.join("package.json"))
        .collect();
    // An install prefix (`npm install --prefix DIR`) whose `.bin` entry is not a symlink.
    if let Some(modules) = exe.parent().and_then(Path::parent) {
        candidates.push(modules.join(package).join("package.json"));
    }
    for pj in candidates {
        let Ok(text) = std::fs::read_to_string(&pj) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            tried.push(format!("{} is not JSON", pj.display()));
            continue;
        };
        if json.get("name").and_then(|n| n.as_str()) != Some(package) {
            continue;
        }
        return match json.get("version").and_then(|v| v.as_str()) {
            Some(v) if !v.is_empty() => Some(FoundVersion::Known {
                version: v.to_string(),
                source: pj.display().to_string(),
            }),
            _ => {
                tried.push(format!("{} has no version", pj.display()));
                None
            }
        };
    }
    tried.push(format!(
        "no package.json of {package} above {}",
        real.display()
    ));
    None
}

/// `cargo install --root ROOT` records `"NAME VERSION (SOURCE)" = ["BIN"]` in
/// `ROOT/.crates.toml`.
fn cargo_crates_toml(exe: &Path, krate: &str, tried: &mut Vec<String>) -> Option<FoundVersion> {
    let file = exe.parent()?.parent()?.join(".crates.toml");
    let Ok(text) = std::fs::read_to_string(&file) else {
        tried.push(format!("no {}", file.display()));
        return None;
    };
    let Ok(doc) = toml::from_str::<toml::Table>(&text) else {
        tried.push(format!("{} is not TOML", file.display()));
        return None;
    };
    let version = doc
        .get("v1")
        .and_then(|v| v.as_table())
        .into_iter()
        .flat_map(|t| t.keys())
        .find_map(|k| {
            let mut parts = k.split_whitespace();
            (parts.next() == Some(krate))
                .then(|| parts.next())
                .flatten()
                .map(str::to_string)
        });
    match version {
        Some(version) => Some(FoundVersion::Known {
            version,
            source: file.display().to_string(),
        }),
        None => {
            tried.push(format!("{} does not list {krate}", file.display()));
            None
        }
    }
}

/// `EXE --version`, printing `NAME VERSION` (clap's format).
async fn version_flag(exe: &Path, name: &str, tried: &mut Vec<String>) -> Option<FoundVersion> {
    let mut cmd = Command::new(exe);
    cmd.arg("--version");
    let shown = format!("{} --version", exe.display());
    let out = run_for_version(cmd, &shown, tried).await?;
    let line = out.lines().next().unwrap_or("").trim();
    let version = line
        .strip_prefix(name)
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains(char::is_whitespace))
        .map(|v| v.trim_start_matches('v').to_string());
    match version {
        Some(version) => Some(FoundVersion::Known {
            version,
            source: shown,
        }),
        None => {
            tried.push(format!("{shown} printed {line:?}, not `{name} VERSION`"));
            None
        }
    }
}

/// Run a version command (no input, bounded time); its standard output if it succeeded.
async fn run_for_version(mut cmd: Command, shown: &str, tried: &mut Vec<String>) -> Option<String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    match tokio::time::timeout(VERSION_COMMAND_TIMEOUT, cmd.output()).await {
        Ok(Ok(out)) if out.status.success() => {
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Ok(Ok(out)) => {
            tried.push(format!("{shown} failed ({})", out.status));
            None
        }
        Ok(Err(e)) => {
            tried.push(format!("cannot run {shown}: {e}"));
            None
        }
        Err(_) => {
            tried.push(format!(
                "{shown} did not finish within {VERSION_COMMAND_TIMEOUT:?}"
            ));
            None
        }
    }
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
#[path = "launch_tests.rs"]
mod tests;
