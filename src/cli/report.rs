//! `report`: the compatibility matrix from JSON run reports (one per target).

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::report::{matrix, read_report};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// JSON reports written by `run --json` (one per target; columns keep this order).
    #[arg(required = true, value_name = "RESULTS.json")]
    pub reports: Vec<PathBuf>,
    /// Write the Markdown matrix here.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write the self-contained HTML matrix here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

pub fn report(a: ReportArgs) -> Result<Outcome, CliError> {
    if a.markdown.is_none() && a.html.is_none() {
        return Err(CliError::Usage(
            "nothing to write: give --markdown FILE and/or --html FILE".into(),
        ));
    }
    let reports = a
        .reports
        .iter()
        .map(read_report)
        .collect::<Result<Vec<_>, _>>()?;
    matrix::write(&reports, a.markdown.as_deref(), a.html.as_deref())?;
    for p in a.markdown.iter().chain(a.html.iter()) {
        eprintln!("wrote {}", p.display());
    }
    Ok(Outcome::Conformant)
}
