//! `report`: the compatibility matrix from JSON run reports (one per target), or with
//! `--merge` the partial reports of one target's partitioned run joined into one
//! (`crate::report::merge`, docs/ci.md).

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::baseline::Baseline;
use crate::report::tally::Overall;
use crate::report::{
    JsonReporter, JunitReporter, TerminalOptions, TerminalReporter, matrix, merge, read_report,
};
use crate::run::Reporter;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// JSON reports written by `run --json` (one per target; columns keep this order; with
    /// --merge, the pieces of one target's run).
    #[arg(required = true, value_name = "RESULTS.json")]
    pub reports: Vec<PathBuf>,
    /// Join the reports, pieces of one target's `run --partition K/N`, into the report of one
    /// run: print its summary, write it with --json/--junit, exit 0, 1 or 2 as the run would.
    #[arg(long)]
    pub merge: bool,
    /// With --merge: judge the joined cases against this baseline again.
    #[arg(long, value_name = "FILE", requires = "merge")]
    pub baseline: Option<PathBuf>,
    /// With --merge: write the joined JSON report here.
    #[arg(long, value_name = "FILE", requires = "merge")]
    pub json: Option<PathBuf>,
    /// With --merge: write the joined JUnit report here.
    #[arg(long, value_name = "FILE", requires = "merge")]
    pub junit: Option<PathBuf>,
    /// With --merge: the terminal summary lists every case in full.
    #[arg(long, short = 'v', requires = "merge")]
    pub verbose: bool,
    /// Write the Markdown matrix here.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write the self-contained HTML matrix here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

pub fn report(a: ReportArgs) -> Result<Outcome, CliError> {
    if a.merge {
        return merged(a);
    }
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

/// `report --merge`.
fn merged(a: ReportArgs) -> Result<Outcome, CliError> {
    crate::fsio::check_outputs(
        [
            ("--json", &a.json),
            ("--junit", &a.junit),
            ("--markdown", &a.markdown),
            ("--html", &a.html),
        ]
        .into_iter()
        .filter_map(|(flag, p)| Some((flag, p.as_deref()?))),
    )?;
    let baseline = a.baseline.as_deref().map(Baseline::load).transpose()?;
    let pieces = a
        .reports
        .iter()
        .map(|p| Ok((p.clone(), read_report(p)?)))
        .collect::<Result<Vec<_>, CliError>>()?;
    let n = pieces.len();
    let mut report = merge::merge(pieces)?;
    if let Some(b) = &baseline {
        let strict = report.summary.strict;
        for c in &mut report.cases {
            b.apply(c, strict);
        }
        merge::recount(&mut report);
    }
    eprintln!(
        "joined {n} report(s) of {}: {} case(s)",
        report.target.name,
        report.cases.len()
    );
    let mut reporters: Vec<Box<dyn Reporter>> = vec![Box::new(TerminalReporter::new(
        Box::new(crate::stdout::stdout()),
        TerminalOptions {
            color: false,
            progress: false,
            verbose: a.verbose,
            strict: report.summary.strict,
        },
    ))];
    if let Some(p) = &a.json {
        reporters.push(Box::new(JsonReporter::new(p.clone())));
    }
    if let Some(p) = &a.junit {
        reporters.push(Box::new(JunitReporter::new(p.clone())));
    }
    merge::replay(&report, &mut reporters)?;
    if a.markdown.is_some() || a.html.is_some() {
        matrix::write(
            std::slice::from_ref(&report),
            a.markdown.as_deref(),
            a.html.as_deref(),
        )?;
    }
    let s = &report.summary;
    match Overall::of(s, s.strict, Some(report.selected)) {
        Overall::Conformant { .. } => Ok(Outcome::Conformant),
        Overall::Gaps { .. } => Ok(Outcome::Gaps),
        Overall::CouldNotRun { reason } => Err(CliError::NoVerdict(reason)),
    }
}
