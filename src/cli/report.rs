//! `report`: the compatibility matrix from JSON run reports (one per target).

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::Outcome;
use cognito_conformance::report::{matrix, read_report};

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

pub fn report(a: ReportArgs) -> anyhow::Result<Outcome> {
    if a.markdown.is_none() && a.html.is_none() {
        bail!("nothing to write: give --markdown FILE and/or --html FILE");
    }
    let reports = a
        .reports
        .iter()
        .map(|p| read_report(p).with_context(|| format!("reading {}", p.display())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    matrix::write(&reports, a.markdown.as_deref(), a.html.as_deref())?;
    for p in a.markdown.iter().chain(a.html.iter()) {
        eprintln!("wrote {}", p.display());
    }
    Ok(Outcome::Conformant)
}
