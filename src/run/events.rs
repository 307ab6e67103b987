//! The run as a stream of events, the runner's output. Every reporter consumes the same
//! stream, so the terminal, JSON, JUnit and Markdown views can never disagree about a verdict.
//!
//! Everything in an event is already redacted (see `crate::secrets`): reporters may print
//! or write it as it is.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::{Mismatch, Verdict};
use crate::vocab::{Capability, EvidenceLevel, TargetKind};

/// The JSON report's format version (bump on incompatible changes).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// What the run is pointed at.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TargetInfo {
    /// Short name (`reference`, `moto`, or the endpoint host:port).
    pub name: String,
    /// Endpoint URL.
    pub url: String,
    /// `reference`, `loopback` (an emulator on this machine), `aws` or `remote`.
    pub kind: TargetKind,
    /// Capabilities the target declared.
    pub capabilities: Vec<Capability>,
}

/// What the target answered to the request under test (redacted, body truncated to 2 KiB).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ObservedSummary {
    /// HTTP status.
    pub status: u16,
    /// Resolved error type.
    pub error_type: Option<String>,
    /// Error message.
    pub message: Option<String>,
    /// Body text (lossy UTF-8, truncated).
    pub body: String,
}

/// The verdict of one case with everything needed to understand and reproduce it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CaseOutcome {
    /// Case id (fixture path without extension).
    pub id: String,
    /// Operation under test.
    pub operation: String,
    /// Contract section (`token`, `validation`...).
    pub group: String,
    /// The fault the case tests.
    pub title: String,
    /// The ids of the requirements the case checks (`docs/contract.md`).
    #[serde(default)]
    pub requirements: Vec<String>,
    /// The first requirement's title.
    pub requirement: String,
    /// Evidence level.
    pub evidence_level: EvidenceLevel,
    /// Evidence source.
    pub evidence_source: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Expected vs actual, per field.
    pub mismatches: Vec<Mismatch>,
    /// Why a case was skipped, errored, or is a known gap.
    pub reason: Option<String>,
    /// A `curl` command reproducing the request (`$ACCESS_TOKEN` for the token).
    pub reproduction: Option<String>,
    /// The response to the request under test.
    pub observed: Option<ObservedSummary>,
    /// Wall time of the case including set-up and read-back.
    pub duration_ms: u64,
    /// For a generated property: its seed, how many cases ran and the minimal failing case,
    /// as fields a program can read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<GeneratedInfo>,
    /// The normalized exchange (what a golden snapshot holds), for `record` and the test
    /// harness; not part of the reports.
    #[serde(skip)]
    #[schemars(skip)]
    pub exchange: Option<String>,
}

/// What a generated property did, for reports and reruns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GeneratedInfo {
    /// The run's seed (each property derives its own stream from it and its id).
    pub seed: u64,
    /// Cases the property was asked to generate.
    pub cases_asked: u32,
    /// Cases run against the target, shrinking steps included.
    pub cases_run: usize,
    /// Shrinking steps run against the target.
    pub shrink_steps: u32,
    /// Whether shrinking ended on its own (false: a budget stopped it).
    pub fully_shrunk: bool,
    /// The minimal failing (or first strictly differing) case, one call per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimal_case: Option<String>,
    /// The call of the minimal case that differs (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_call: Option<usize>,
    /// A command that reruns exactly this property.
    pub rerun: String,
    /// Where the minimal case was saved as a regression fixture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_as: Option<String>,
}

/// Something about the target found once for the whole run, beside the cases' verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// What kind of finding.
    pub kind: FindingKind,
    /// What it is about (an operation name).
    pub subject: String,
    /// What the target answered.
    pub detail: String,
    /// The cases it affected.
    pub cases: Vec<String>,
}

/// Kinds of [`Finding`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The target does not implement an operation the set-up of some cases needs; those cases
    /// are skipped.
    MissingOperation,
    /// Security: the target sent back a secret it was sent (an access token inside an error
    /// message, a header or the body), so every log and error tracker on the way gets it. The
    /// subject is the operation, the detail names the secret by kind and where it came back.
    SecretEcho,
}

impl FindingKind {
    /// The category reports file the finding under: `security` or `finding`.
    pub fn category(self) -> &'static str {
        match self {
            FindingKind::SecretEcho => "security",
            FindingKind::MissingOperation => "finding",
        }
    }
}

/// Totals of a finished run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct RunSummary {
    /// Cases per verdict.
    pub counts: BTreeMap<Verdict, usize>,
    /// Cases per operation and verdict.
    pub per_operation: BTreeMap<String, BTreeMap<Verdict, usize>>,
    /// Wall time of the run.
    pub elapsed_ms: u64,
    /// Whether non-strict counts as a gap.
    pub strict: bool,
    /// The run was interrupted (Ctrl-C / SIGTERM); not every case ran.
    pub interrupted: bool,
    /// Pools deleted at the end.
    pub pools_deleted: usize,
    /// Pools that could not be deleted (ids), with the reason.
    pub pools_left: Vec<String>,
    /// Selected cases that never started (the run was interrupted or could not set up).
    #[serde(default)]
    pub not_run: usize,
    /// Findings about the target as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// Entries of the run's `--baseline` that name no case of the catalogue (renamed or
    /// deleted cases), sorted: they can never be judged again. `run --update-baseline`
    /// without `--filter` or `--partition` removes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_baseline: Vec<String>,
}

impl RunSummary {
    /// Add one outcome.
    pub fn add(&mut self, o: &CaseOutcome) {
        *self.counts.entry(o.verdict).or_default() += 1;
        *self
            .per_operation
            .entry(o.operation.clone())
            .or_default()
            .entry(o.verdict)
            .or_default() += 1;
    }

    /// Cases that executed (everything but skips).
    pub fn executed(&self) -> usize {
        self.counts
            .iter()
            .filter(|(v, _)| **v != Verdict::Skip)
            .map(|(_, n)| n)
            .sum()
    }

    /// Count of one verdict.
    pub fn count(&self, v: Verdict) -> usize {
        self.counts.get(&v).copied().unwrap_or(0)
    }

    /// Whether any case is a gap (fail, or non-strict under `--strict`).
    pub fn has_gaps(&self) -> bool {
        self.counts
            .iter()
            .any(|(v, n)| *n > 0 && v.is_gap(self.strict))
    }
}

/// One event of a run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// The run begins.
    Started {
        /// The target.
        target: TargetInfo,
        /// Cases selected (a property counts once).
        total: usize,
        /// Case executions planned: one per fixture, `--cases` per property (shrinking not
        /// counted), for progress and an estimate of the time left.
        #[serde(default)]
        planned: usize,
        /// Prefix of everything the run provisions.
        run_prefix: String,
        /// When the run started, RFC 3339 UTC (`2026-11-29T18:45:20Z`): the matrix dates
        /// each column with it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        started_at: Option<String>,
    },
    /// A case finished.
    CaseFinished(Box<CaseOutcome>),
    /// Generated cases ran (progress within a property).
    Progress {
        /// Generated cases run since the last progress event.
        cases: usize,
    },
    /// Something found about the target as a whole (reported once, before `Completed`).
    Finding(Finding),
    /// The run ended (normally, or interrupted).
    Completed(RunSummary),
}

/// A reporter could not write its output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing a report file failed.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// Serialising a report failed.
    #[error("cannot serialise the {format} report: {reason}")]
    Serialize {
        /// Report format.
        format: &'static str,
        /// Cause.
        reason: String,
    },
    /// Writing to the terminal (standard output) failed, e.g. a closed pipe.
    #[error("cannot write to the terminal")]
    Terminal {
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The run ended without a `Started` event, so the report has no target to name.
    #[error("the {format} report got no `started` event before the run completed")]
    NotStarted {
        /// Report format.
        format: &'static str,
    },
    /// Reading a report file failed.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// A report file is not a valid JSON report.
    #[error("{path} is not a valid JSON report")]
    Parse {
        /// The file.
        path: std::path::PathBuf,
        /// Cause.
        #[source]
        source: serde_json::Error,
    },
    /// A report file was written by a version of the tool with another report format.
    #[error("{path} has report schema version {found}; this tool reads version {supported}")]
    UnsupportedVersion {
        /// The file.
        path: std::path::PathBuf,
        /// The file's `schema_version`.
        found: u32,
        /// The version this tool reads and writes.
        supported: u32,
    },
}

/// Something that consumes run events.
pub trait Reporter: Send {
    /// Handle one event. Reporters writing files do so on `Completed`.
    fn event(&mut self, event: &Event) -> Result<(), ReportError>;
}
