//! cognito-conformance: a contract-testing conformance suite for Amazon Cognito user-pool APIs.
//!
//! The pipeline: fixtures (`case`) and the service model (`contract`) become cases; the runner
//! (`run`) sends them over AWS JSON 1.1 (`wire`) to a target (`target`), reads the user's state
//! back, compares observed with expected (`check`) and streams verdicts to reporters (`report`).
//! With no endpoint the target is the embedded `reference` server, the positive control.

pub(crate) mod baseline;
pub(crate) mod case;
pub mod catalogue;
pub(crate) mod check;
pub mod cli;
pub(crate) mod contract;
pub(crate) mod fsio;
pub(crate) mod generate;
pub(crate) mod logging;
pub(crate) mod partition;
pub(crate) mod property;
pub(crate) mod reference;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod secrets;
pub mod session;
pub(crate) mod snapshot;
pub mod stdout;
pub(crate) mod target;
pub(crate) mod text;
pub(crate) mod vocab;
pub(crate) mod wire;

#[cfg(test)]
mod tests;

// The facade: everything another crate needs to run the catalogue in-process, receive its
// events and judge them against a baseline. The rest of the crate is private.
pub use baseline::{Baseline, BaselineError, Gap};
pub use case::Case;
pub use catalogue::{Catalogue, Parts, SelectError};
pub use check::{Mismatch, Tier, Verdict};
pub use property::{DEFAULT_CASES, DEFAULT_SEED, Property, Settings};
pub use reference::{Break, BreakError, Breaks, ReferenceConfig};
pub use report::{
    JsonReport, JsonReporter, JunitReporter, MarkdownReporter, TerminalOptions, TerminalReporter,
    read_report,
};
pub use run::{
    CaseOutcome, ConnectError, Event, Finding, FindingKind, GeneratedInfo, ObservedSummary,
    ReportError, Reporter, RunError, RunOptions, RunResult, RunSummary, TargetInfo, TargetSpec,
};
pub use session::Session;
pub use snapshot::{GoldenError, GoldenStore, Goldens, Info, Provenance};
pub use target::launch::{LaunchError, LaunchOptions, Launched, launch};
pub use vocab::{Capability, EvidenceLevel, Operation, TargetKind};

/// The README's Rust examples compile (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
