//! The command-line interface: the application layer on top of the library (the binary's
//! `main` only parses the process's arguments, calls [`dispatch`] and maps the result to an
//! exit code).

mod cleanup;
mod error;
mod explain;
mod list;
mod record;
mod report;
mod run;
mod serve;
mod target;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use error::CliError;

/// Contract-testing conformance suite for Amazon Cognito user-pool APIs.
///
/// With no endpoint, `run` starts the embedded reference target (a strict Cognito stand-in)
/// on a loopback port and runs the catalogue against it.
#[derive(Debug, Parser)]
#[command(name = "cognito-conformance", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    log: LogArgs,
}

/// Diagnostic logging, for every command. (`run --verbose` is about the report: it lists
/// every case; these flags are about what the harness itself does.)
#[derive(Debug, clap::Args)]
struct LogArgs {
    /// Log the suite's own events at this level and up (dependencies stay at warn); else
    /// COGNITO_CONFORMANCE_LOG (filter directives such as `crate::wire=trace`),
    /// else warn. Secrets are redacted from every line.
    #[arg(long, global = true, value_name = "LEVEL", value_parser = crate::logging::LEVELS)]
    log_level: Option<String>,
    /// Write the log to this file instead of stderr.
    #[arg(long, global = true, value_name = "FILE")]
    log_file: Option<PathBuf>,
}

impl Cli {
    /// Install the logger the flags and the environment ask for.
    pub fn init_logging(&self) -> Result<(), crate::logging::LogError> {
        let config = crate::logging::LogConfig {
            level: self.log.log_level.clone(),
            file: self.log.log_file.clone(),
            env: None,
        }
        .with_env();
        crate::logging::init(&config)
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the catalogue against a target and report its conformance.
    Run(Box<run::RunArgs>),
    /// List the cases the catalogue holds.
    List(list::ListArgs),
    /// Write golden snapshots from the embedded reference or real Cognito (review them with
    /// `cargo insta review`).
    Record(Box<record::RecordArgs>),
    /// Write the compatibility matrix (Markdown, HTML) from JSON run reports.
    Report(report::ReportArgs),
    /// Serve the embedded reference target.
    Serve(serve::ServeArgs),
    /// Delete user pools that earlier runs left behind (and nothing else).
    Cleanup(cleanup::CleanupArgs),
    /// Print the JSON Schema of the fixture format.
    Schema,
    /// What the suite believes about a requirement, and the evidence why.
    Explain(explain::ExplainArgs),
}

/// How a command ended, mapped to the exit code in `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything conformed (or the command had nothing to judge).
    Conformant,
    /// Gaps were found.
    Gaps,
}

impl Outcome {
    /// 0 or 1.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Conformant => 0,
            Outcome::Gaps => 1,
        }
    }
}

/// The fixtures directory: the flag, else `./fixtures`, else the one shipped with the crate.
fn fixtures_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.unwrap_or_else(|| {
        let local = PathBuf::from("fixtures");
        if local.is_dir() {
            local
        } else {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
        }
    })
}

/// The golden snapshots directory: the flag, else `snapshots/` beside the fixtures directory
/// (`./snapshots` or the crate's own when the fixtures are).
fn snapshots_dir(flag: Option<PathBuf>, fixtures: Option<&std::path::Path>) -> PathBuf {
    flag.unwrap_or_else(|| {
        let fixtures = fixtures_dir(fixtures.map(std::path::Path::to_path_buf));
        match fixtures.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join("snapshots"),
            _ => PathBuf::from("snapshots"),
        }
    })
}

/// Run the command.
pub async fn dispatch(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command.unwrap_or_else(|| Command::Run(Box::default())) {
        Command::Run(a) => run::run(*a).await,
        Command::Record(a) => record::record(*a).await,
        Command::List(a) => list::list(a),
        Command::Serve(a) => serve::serve(a).await,
        Command::Report(a) => report::report(a),
        Command::Cleanup(a) => cleanup::cleanup(a).await,
        Command::Explain(a) => explain::explain(a, &mut crate::stdout::stdout().lock()),
        Command::Schema => {
            let schema = crate::case::fixture::json_schema();
            let text = serde_json::to_string_pretty(&schema)?;
            std::io::Write::write_all(&mut crate::stdout::stdout(), format!("{text}\n").as_bytes())
                .map_err(CliError::Stdout)?;
            Ok(Outcome::Conformant)
        }
    }
}
