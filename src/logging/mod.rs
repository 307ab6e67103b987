//! Diagnostic logs (`tracing`), separate from the reports: what the harness did, for the
//! person debugging a target or the suite. Off by default except warnings.
//!
//! Where the level comes from, first match wins: `--log-level LEVEL` (the suite's own
//! events at LEVEL, dependencies at `warn`), then `COGNITO_CONFORMANCE_LOG` (full
//! `tracing-subscriber` filter directives, e.g. `cognito_conformance::wire=trace,hyper=debug`),
//! then `warn`. Lines go to stderr, or to `--log-file`. Whatever the destination, they pass
//! through [`sink::RedactingMakeWriter`] first.
//!
//! What each level shows: `info` the run's milestones (pools created and deleted, emulator
//! launched, each case's verdict, throttling back-off); `debug` every HTTP exchange (operation,
//! status, duration, sizes) and every set-up call; `trace` the request and response bodies
//! (redacted) and the pacer's waits.

pub mod sink;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

pub use sink::RedactingMakeWriter;

use crate::secrets;

/// The environment variable holding filter directives.
pub const ENV_VAR: &str = "COGNITO_CONFORMANCE_LOG";

/// The values `--log-level` accepts, least verbose first.
pub const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// Where the log configuration came from.
#[derive(Debug, Clone, Default)]
pub struct LogConfig {
    /// `--log-level`: one of [`LEVELS`].
    pub level: Option<String>,
    /// The value of [`ENV_VAR`], if set.
    pub env: Option<String>,
    /// `--log-file`: write there instead of stderr.
    pub file: Option<PathBuf>,
}

/// The logger could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The directives do not parse.
    #[error("invalid log filter {directives:?} (from {origin}): {reason}")]
    Filter {
        /// The text.
        directives: String,
        /// `--log-level` or the variable's name.
        origin: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// The log file cannot be opened.
    #[error("cannot open the log file {path}: {source}")]
    File {
        /// Path given.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// A global logger is already installed (library use).
    #[error("a global logger is already installed: {0}")]
    AlreadySet(String),
}

impl LogConfig {
    /// Read [`ENV_VAR`] from the environment.
    pub fn with_env(mut self) -> LogConfig {
        self.env = std::env::var(ENV_VAR).ok().filter(|v| !v.trim().is_empty());
        self
    }

    /// The filter directives in force and where they came from.
    pub fn directives(&self) -> (String, &'static str) {
        match (&self.level, &self.env) {
            // Dependencies stay at warn: `--log-level trace` is about the suite, not about
            // every frame hyper parses.
            (Some(l), _) if matches!(l.as_str(), "info" | "debug" | "trace") => {
                (format!("warn,cognito_conformance={l}"), "--log-level")
            }
            (Some(l), _) => (l.clone(), "--log-level"),
            (None, Some(d)) => (d.clone(), ENV_VAR),
            (None, None) => ("warn".into(), "the default"),
        }
    }

    /// The filter, or why the directives do not parse.
    pub fn filter(&self) -> Result<EnvFilter, LogError> {
        let (directives, origin) = self.directives();
        EnvFilter::builder()
            .parse(&directives)
            .map_err(|e| LogError::Filter {
                directives,
                origin,
                reason: e.to_string(),
            })
    }
}

/// A subscriber writing formatted events to `writer` through the redacting sink (the only
/// way this crate builds one).
pub fn subscriber<W>(filter: EnvFilter, writer: W, ansi: bool) -> impl Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(RedactingMakeWriter::new(writer, secrets::global()))
        .with_ansi(ansi)
        .finish()
}

static STDERR_BUSY: AtomicBool = AtomicBool::new(false);

/// True when logs more verbose than warnings go to stderr (a progress bar there would be
/// torn by them).
pub fn stderr_busy() -> bool {
    STDERR_BUSY.load(Ordering::Relaxed)
}

/// Install the process-wide logger.
pub fn init(config: &LogConfig) -> Result<(), LogError> {
    let filter = config.filter()?;
    let verbose = filter
        .max_level_hint()
        .is_none_or(|h| h > LevelFilter::WARN);
    let result = match &config.file {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|source| LogError::File {
                path: path.display().to_string(),
                source,
            })?;
            subscriber(filter, std::sync::Mutex::new(file), false).try_init()
        }
        None => {
            let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            STDERR_BUSY.store(verbose, Ordering::Relaxed);
            subscriber(filter, std::io::stderr, ansi).try_init()
        }
    };
    result.map_err(|e| LogError::AlreadySet(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(level: Option<&str>, env: Option<&str>) -> LogConfig {
        LogConfig {
            level: level.map(str::to_string),
            env: env.map(str::to_string),
            file: None,
        }
    }

    #[test]
    fn the_flag_wins_then_the_variable_then_warn() {
        assert_eq!(
            cfg(Some("trace"), Some("debug")).directives().0,
            "warn,cognito_conformance=trace"
        );
        assert_eq!(cfg(Some("off"), None).directives().0, "off");
        assert_eq!(
            cfg(None, Some("cognito_conformance::wire=trace")).directives(),
            ("cognito_conformance::wire=trace".to_string(), ENV_VAR)
        );
        assert_eq!(cfg(None, None).directives().0, "warn");
    }

    #[test]
    fn bad_directives_are_a_clear_error() {
        let e = cfg(None, Some("cognito_conformance=loud"))
            .filter()
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(ENV_VAR) && msg.contains("loud"), "{msg}");
    }
}
