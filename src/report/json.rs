//! The machine-readable report: one JSON document per run, written when the run completes.
//! Its shape is [`JsonReport`]; `docs/report.schema.json` is generated from it (a test keeps
//! the two in sync) and `schema_version` changes on incompatible changes, so the matrix
//! command and other tools can read reports from older runs or refuse them clearly.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::collect::RunLog;
use super::file::write_whole;
use crate::run::events::{
    CaseOutcome, Event, REPORT_SCHEMA_VERSION, ReportError, Reporter, RunSummary, TargetInfo,
};

/// The tool that wrote a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    /// Always `cognito-conformance`.
    pub name: String,
    /// The tool's version.
    pub version: String,
}

impl ToolInfo {
    /// This build of the tool.
    pub fn current() -> ToolInfo {
        ToolInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// The JSON report of one run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "cognito-conformance run report")]
pub struct JsonReport {
    /// Format version; readers refuse versions they do not know.
    pub schema_version: u32,
    /// The tool that wrote the report.
    pub tool: ToolInfo,
    /// What the run was pointed at.
    pub target: TargetInfo,
    /// Prefix of everything the run provisioned.
    pub run_prefix: String,
    /// When the run started, RFC 3339 UTC (absent in reports of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// Cases the run selected (more than `cases` when the run was interrupted).
    pub selected: usize,
    /// Totals.
    pub summary: RunSummary,
    /// Every case that finished, sorted by id.
    pub cases: Vec<CaseOutcome>,
}

/// The JSON Schema of [`JsonReport`], as committed in `docs/report.schema.json`.
#[cfg(test)]
pub fn json_schema() -> serde_json::Value {
    schemars::schema_for!(JsonReport).to_value()
}

/// Read a report written by [`JsonReporter`], refusing other schema versions.
pub fn read_report(path: impl AsRef<Path>) -> Result<JsonReport, ReportError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let parse_error = |source| ReportError::Parse {
        path: path.to_path_buf(),
        source,
    };

    /// Just the version, read first so that a newer format is reported as such rather than
    /// as whichever field changed.
    #[derive(Deserialize)]
    struct Version {
        schema_version: u32,
    }
    let Version { schema_version } = serde_json::from_str(&text).map_err(parse_error)?;
    if schema_version != REPORT_SCHEMA_VERSION {
        return Err(ReportError::UnsupportedVersion {
            path: path.to_path_buf(),
            found: schema_version,
            supported: REPORT_SCHEMA_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(parse_error)
}

/// Writes a [`JsonReport`] to a file when the run completes.
#[derive(Debug)]
pub struct JsonReporter {
    path: PathBuf,
    log: RunLog,
}

impl JsonReporter {
    /// A reporter writing to `path` (parent directories are created).
    pub fn new(path: impl Into<PathBuf>) -> JsonReporter {
        JsonReporter {
            path: path.into(),
            log: RunLog::default(),
        }
    }

    fn document(&self, summary: &RunSummary) -> Result<JsonReport, ReportError> {
        let start = self.log.start("JSON")?;
        Ok(JsonReport {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: ToolInfo::current(),
            target: start.target.clone(),
            run_prefix: start.run_prefix.clone(),
            started_at: start.started_at.clone(),
            selected: start.total,
            summary: summary.clone(),
            cases: self.log.sorted().into_iter().cloned().collect(),
        })
    }
}

impl Reporter for JsonReporter {
    fn event(&mut self, event: &Event) -> Result<(), ReportError> {
        let Some(summary) = self.log.observe(event) else {
            return Ok(());
        };
        let report = self.document(summary)?;
        let mut text =
            serde_json::to_string_pretty(&report).map_err(|e| ReportError::Serialize {
                format: "JSON",
                reason: e.to_string(),
            })?;
        text.push('\n');
        write_whole(&self.path, text.as_bytes())
    }
}
