//! Why a command could not come to a verdict. `main` prints the error with each cause once and
//! exits 2.

use std::net::SocketAddr;

use crate::baseline::BaselineError;
use crate::catalogue::SelectError;
use crate::logging::LogError;
use crate::reference::ReferenceError;
use crate::run::{ConnectError, ReportError, RunError};
use crate::snapshot::GoldenError;
use crate::target::credentials::CredentialsError;
use crate::target::launch::LaunchError;
use crate::target::{AdminError, EndpointError};
use crate::wire::WireError;

/// A command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The flags do not say what to do.
    #[error("{0}")]
    Usage(String),
    /// The run ended without a verdict (interrupted, nothing executed, harness errors).
    #[error("{0}")]
    NoVerdict(String),
    /// The catalogue or the selection.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The golden snapshots.
    #[error(transparent)]
    Golden(#[from] GoldenError),
    /// The baseline file.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// Launching an emulator.
    #[error(transparent)]
    Launch(Box<LaunchError>),
    /// Connecting to the target.
    #[error("connecting to the target")]
    Connect(#[from] ConnectError),
    /// The run.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A report.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// Joining partial reports (`report --merge`).
    #[error(transparent)]
    Merge(#[from] crate::report::merge::MergeError),
    /// A report or baseline path given on the command line cannot be written (checked
    /// before the run starts).
    #[error(transparent)]
    Output(Box<crate::fsio::OutputPathError>),
    /// The endpoint or region.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// Credentials.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// An HTTP client.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// A call to the target.
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// The embedded reference.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// Listening for `serve`.
    #[error("cannot listen on {addr}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Logging.
    #[error(transparent)]
    Log(#[from] LogError),
    /// Writing to standard output.
    #[error("cannot write to standard output")]
    Stdout(#[source] std::io::Error),
    /// Writing JSON.
    #[error("cannot write JSON")]
    Json(#[from] serde_json::Error),
}

impl From<crate::fsio::OutputPathError> for CliError {
    fn from(e: crate::fsio::OutputPathError) -> CliError {
        CliError::Output(Box::new(e))
    }
}

impl From<LaunchError> for CliError {
    fn from(e: LaunchError) -> CliError {
        CliError::Launch(Box::new(e))
    }
}
