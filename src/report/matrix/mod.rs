//! The compatibility matrix: several JSON run reports (one per target: the reference, moto,
//! cognito-local...) side by side, as Markdown (for a README or a pull request) and as one
//! self-contained HTML page (inline CSS and a few lines of JavaScript, no external resource).
//!
//! [`build`] takes the union of the cases over all reports: a case one report lacks (an older
//! run, a filtered run) shows as absent (`—`) in that target's column and is not counted. The
//! columns keep the order of the reports given; operations, contract sections and cases are
//! sorted by name. Counting follows the brief of the matrix: a target's conformance is
//! `(pass + non-strict) / executed`, where executed is every case but skips.
//! With no report at all the Markdown says so and the HTML is still a whole page.

pub mod gaps;
mod html;
mod markdown;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use crate::check::{Mismatch, Verdict};
use crate::vocab::EvidenceLevel;

use super::json::JsonReport;
use crate::run::events::{CaseOutcome, ObservedSummary, ReportError, TargetInfo};

pub use html::to_html;
pub use markdown::to_markdown;

/// Several runs side by side.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// One column per report, in the order given.
    pub targets: Vec<TargetColumn>,
    /// Operations sorted by name.
    pub operations: Vec<OperationRows>,
}

/// One report's column.
#[derive(Debug, Clone)]
pub struct TargetColumn {
    /// Column heading: the report's `target.name`, with ` #2`... appended when two reports
    /// name the same target.
    pub name: String,
    /// What the run was pointed at.
    pub target: TargetInfo,
    /// Version of the tool that wrote the report.
    pub tool_version: String,
    /// When the run started (RFC 3339), if the report says.
    pub started_at: Option<String>,
    /// The run was strict (non-strict differences failed it).
    pub strict: bool,
    /// The run was interrupted: not every selected case ran.
    pub interrupted: bool,
    /// Totals over every operation.
    pub totals: Counts,
    /// Its gaps grouped by requirement ([`gaps::of_target`]): built once with the matrix,
    /// rendered by the Markdown and the HTML alike.
    pub gaps: Vec<gaps::GapGroup>,
}

/// One operation's cases.
#[derive(Debug, Clone)]
pub struct OperationRows {
    /// Operation name (`UpdateUserAttributes`).
    pub name: String,
    /// Totals of this operation, one per target column.
    pub totals: Vec<Counts>,
    /// Contract sections (the cases' `group`) sorted by name.
    pub sections: Vec<Section>,
}

/// One contract section of an operation.
#[derive(Debug, Clone)]
pub struct Section {
    /// Section name (`token`, `validation`...).
    pub name: String,
    /// Cases sorted by id.
    pub cases: Vec<CaseRow>,
}

/// One case across every target.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// Case id (fixture path).
    pub id: String,
    /// The fault the case tests.
    pub title: String,
    /// The requirement, in our words.
    pub requirement: String,
    /// Evidence level.
    pub evidence_level: EvidenceLevel,
    /// Evidence source.
    pub evidence_source: String,
    /// One cell per target column; `None` when that report lacks the case.
    pub cells: Vec<Option<Cell>>,
}

impl CaseRow {
    /// Whether any target did something other than pass (an absent cell counts: nothing
    /// can be said of it).
    pub fn differs(&self) -> bool {
        self.cells
            .iter()
            .any(|c| c.as_ref().map(|c| c.verdict) != Some(Verdict::Pass))
    }
}

/// One target's outcome of one case.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The verdict.
    pub verdict: Verdict,
    /// Expected vs actual, per field.
    pub mismatches: Vec<Mismatch>,
    /// Why the case was skipped, errored, or is a known gap.
    pub reason: Option<String>,
    /// A `curl` command reproducing the request.
    pub reproduction: Option<String>,
    /// The response to the request under test.
    pub observed: Option<ObservedSummary>,
}

/// Cases per verdict (in [`Verdict::ALL`] order) and cases absent from the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Count per verdict, in [`Verdict::ALL`] order.
    pub verdicts: [usize; Verdict::COUNT],
    /// Cases of the union the report lacks.
    pub absent: usize,
}

impl Counts {
    fn add(&mut self, cell: Option<&Cell>) {
        match cell {
            Some(c) => self.verdicts[verdict_index(c.verdict)] += 1,
            None => self.absent += 1,
        }
    }

    /// Count of one verdict.
    pub fn count(&self, v: Verdict) -> usize {
        self.verdicts[verdict_index(v)]
    }

    /// Cases the report has.
    pub fn present(&self) -> usize {
        self.verdicts.iter().sum()
    }

    /// Cases that ran: everything but skips.
    pub fn executed(&self) -> usize {
        self.present() - self.count(Verdict::Skip)
    }

    /// Cases that hold the contract: pass and non-strict.
    pub fn conformant(&self) -> usize {
        self.count(Verdict::Pass) + self.count(Verdict::NonStrict)
    }

    /// Conformance in tenths of a percent, rounded down (so only a full score reads 100%);
    /// `None` when nothing ran.
    pub fn permille(&self) -> Option<usize> {
        let executed = self.executed();
        (executed > 0).then(|| self.conformant() * 1000 / executed)
    }

    /// `75%`, `66.6%`, or `—` when nothing ran.
    pub fn percent(&self) -> String {
        match self.permille() {
            None => "—".to_string(),
            Some(p) if p % 10 == 0 => format!("{}%", p / 10),
            Some(p) => format!("{}.{}%", p / 10, p % 10),
        }
    }
}

fn verdict_index(v: Verdict) -> usize {
    Verdict::ALL.iter().position(|x| *x == v).unwrap_or(0)
}

/// The short label of a verdict in a matrix cell (`pass`, `n-s`, `FAIL`, `gap`, `skip`, `err`).
pub fn short_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::NonStrict => "n-s",
        Verdict::Fail => "FAIL",
        Verdict::KnownGap => "gap",
        Verdict::Skip => "skip",
        Verdict::Error => "err",
        Verdict::Interrupted => "int",
    }
}

/// Put the reports side by side.
pub fn build(reports: &[JsonReport]) -> Matrix {
    let targets_n = reports.len();
    // operation -> section -> id -> row
    let mut tree: BTreeMap<String, BTreeMap<String, BTreeMap<String, CaseRow>>> = BTreeMap::new();
    // Where each id went first, so that a case whose operation or group differs between
    // reports (a fixture moved) still has one row.
    let mut placed: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (t, report) in reports.iter().enumerate() {
        for case in &report.cases {
            let (op, section) = placed
                .entry(case.id.clone())
                .or_insert_with(|| (case.operation.clone(), case.group.clone()))
                .clone();
            let row = tree
                .entry(op)
                .or_default()
                .entry(section)
                .or_default()
                .entry(case.id.clone())
                .or_insert_with(|| new_row(case, targets_n));
            // A report listing an id twice keeps its first outcome.
            if row.cells[t].is_none() {
                row.cells[t] = Some(cell(case));
            }
        }
    }

    let mut targets: Vec<TargetColumn> = Vec::with_capacity(targets_n);
    for report in reports {
        let same = targets
            .iter()
            .filter(|c| c.target.name == report.target.name)
            .count();
        let name = if same == 0 {
            report.target.name.clone()
        } else {
            format!("{} #{}", report.target.name, same + 1)
        };
        targets.push(TargetColumn {
            name,
            target: report.target.clone(),
            tool_version: report.tool.version.clone(),
            started_at: report.started_at.clone(),
            strict: report.summary.strict,
            interrupted: report.summary.interrupted,
            totals: Counts::default(),
            gaps: Vec::new(),
        });
    }

    let operations = tree
        .into_iter()
        .map(|(name, sections)| {
            let sections: Vec<Section> = sections
                .into_iter()
                .map(|(name, cases)| Section {
                    name,
                    cases: cases.into_values().collect(),
                })
                .collect();
            let mut totals = vec![Counts::default(); targets_n];
            for case in sections.iter().flat_map(|s| &s.cases) {
                for (t, cell) in case.cells.iter().enumerate() {
                    totals[t].add(cell.as_ref());
                    targets[t].totals.add(cell.as_ref());
                }
            }
            OperationRows {
                name,
                totals,
                sections,
            }
        })
        .collect();
    let mut matrix = Matrix {
        targets,
        operations,
    };
    for t in 0..matrix.targets.len() {
        let groups = gaps::of_target(&matrix, t);
        matrix.targets[t].gaps = groups;
    }
    matrix
}

fn new_row(case: &CaseOutcome, targets: usize) -> CaseRow {
    CaseRow {
        id: case.id.clone(),
        title: case.title.clone(),
        requirement: case.requirement.clone(),
        evidence_level: case.evidence_level,
        evidence_source: case.evidence_source.clone(),
        cells: vec![None; targets],
    }
}

fn cell(case: &CaseOutcome) -> Cell {
    Cell {
        verdict: case.verdict,
        mismatches: case.mismatches.clone(),
        reason: case.reason.clone(),
        reproduction: case.reproduction.clone(),
        observed: case.observed.clone(),
    }
}

impl TargetColumn {
    /// The day of the run (`2026-11-29`), or `—` for a report that does not say.
    pub fn date(&self) -> &str {
        self.started_at
            .as_deref()
            .and_then(|s| s.get(..10))
            .unwrap_or("—")
    }

    /// Where the target was, when that still means something a day later: the URL of a
    /// remote target or real AWS; nothing for the reference or an emulator on this machine,
    /// whose port died with the run (its name carries its version instead).
    pub fn endpoint(&self) -> Option<&str> {
        use crate::vocab::TargetKind;
        match self.target.kind {
            TargetKind::Reference | TargetKind::Loopback => None,
            _ => Some(self.target.url.as_str()),
        }
    }
}

impl Matrix {
    /// Every case row, operation by operation.
    pub fn cases(&self) -> impl Iterator<Item = &CaseRow> {
        self.operations
            .iter()
            .flat_map(|o| &o.sections)
            .flat_map(|s| &s.cases)
    }
}

/// Build the matrix of `reports` and write it as Markdown and/or HTML (each file whole, parent
/// directories created).
pub fn write(
    reports: &[JsonReport],
    markdown: Option<&Path>,
    html: Option<&Path>,
) -> Result<(), ReportError> {
    let matrix = build(reports);
    if let Some(path) = markdown {
        super::file::write_whole(path, to_markdown(&matrix).as_bytes())?;
    }
    if let Some(path) = html {
        super::file::write_whole(path, to_html(&matrix).as_bytes())?;
    }
    Ok(())
}
