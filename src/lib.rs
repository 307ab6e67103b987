//! cognito-conformance: a contract-testing conformance suite for Amazon Cognito user-pool APIs.
//!
//! The pipeline: fixtures (`case`) and the service model (`contract`) become cases; the runner
//! (`run`) sends them over AWS JSON 1.1 (`wire`) to a target (`target`), reads the user's state
//! back, compares observed with expected (`check`) and streams verdicts to reporters (`report`).
//! With no endpoint the target is the embedded `reference` server, the positive control.

pub mod baseline;
pub mod case;
pub mod catalogue;
pub mod check;
pub mod contract;
pub mod generate;
pub mod logging;
pub mod property;
pub mod reference;
pub mod report;
pub mod run;
pub mod secrets;
pub mod session;
pub mod snapshot;
pub mod target;
pub mod text;
pub mod vocab;
pub mod wire;

#[cfg(test)]
mod tests;

pub use catalogue::{Catalogue, Parts, SelectError};
pub use check::{Mismatch, Tier, Verdict};
pub use property::Settings;
pub use run::{
    CaseOutcome, ConnectError, Event, Finding, GeneratedInfo, Reporter, RunError, RunOptions,
    RunResult, RunSummary, TargetInfo, TargetSpec,
};
pub use session::Session;
