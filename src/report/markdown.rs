//! A per-run Markdown report (for a CI job summary or a pull-request comment): the verdict,
//! a table per operation, then per operation and contract group a row per case, and the
//! details of every case that is not a pass. All text from cases is escaped: messages quote
//! target output, which may contain `|`, `<` or backticks.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::check::{Mismatch, Verdict};

use super::collect::RunLog;
use super::labels;
use super::md_escape::{block, cell, fence_for, inline};
use super::tally::{self, Overall, Tally};
use crate::run::events::{CaseOutcome, Event, ReportError, Reporter, RunSummary};

/// Writes a Markdown file when the run completes.
#[derive(Debug)]
pub struct MarkdownReporter {
    path: PathBuf,
    log: RunLog,
}

impl MarkdownReporter {
    /// A reporter writing to `path` (parent directories are created).
    pub fn new(path: impl Into<PathBuf>) -> MarkdownReporter {
        MarkdownReporter {
            path: path.into(),
            log: RunLog::default(),
        }
    }
}

impl Reporter for MarkdownReporter {
    fn event(&mut self, event: &Event) -> Result<(), ReportError> {
        let Some(summary) = self.log.observe(event) else {
            return Ok(());
        };
        let text = render(&self.log, summary)?;
        super::file::write_whole(&self.path, text.as_bytes())
    }
}

fn render(log: &RunLog, summary: &RunSummary) -> Result<String, ReportError> {
    let start = log.start("Markdown")?;
    let strict = summary.strict;
    let mut out = String::new();
    let _ = writeln!(out, "# Conformance of {}\n", inline(&start.target.name));
    let _ = writeln!(
        out,
        "**{}**: {}\n",
        inline(&Overall::of(summary, strict, Some(start.total)).line()),
        Tally::of(summary).line()
    );
    let _ = writeln!(
        out,
        "- target: {} ({})",
        inline(&start.target.url),
        inline(start.target.kind.label())
    );
    let _ = writeln!(out, "- run prefix: `{}`", start.run_prefix.replace('`', ""));
    let _ = writeln!(out, "- strict: {}", if strict { "yes" } else { "no" });
    let _ = writeln!(out, "- elapsed: {}", tally::duration(summary.elapsed_ms));
    if summary.interrupted {
        let _ = writeln!(out, "- **interrupted**: not every selected case ran");
    }
    for pool in &summary.pools_left {
        let _ = writeln!(out, "- **pool left behind**: {}", inline(pool));
    }
    let grouped = log.grouped();
    if grouped.is_empty() {
        let _ = writeln!(out, "\nNo case ran.");
        return Ok(out);
    }
    summary_table(&mut out, summary);
    findings(&mut out, summary);
    for (operation, groups) in &grouped {
        let _ = writeln!(out, "\n## {}", inline(operation));
        for (group, cases) in groups {
            let _ = writeln!(out, "\n### {}\n", inline(group));
            let _ = writeln!(
                out,
                "| verdict | case | title | evidence |\n|---|---|---|---|"
            );
            for case in cases {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} |",
                    verdict(case.verdict, strict),
                    case.id,
                    cell(&case.title),
                    labels::evidence(case.evidence_level)
                );
            }
            for case in cases.iter().filter(|c| c.verdict != Verdict::Pass) {
                details(&mut out, case, strict);
            }
        }
    }
    Ok(out)
}

/// `## Findings`: security findings first, each with its detail and the cases it concerns.
fn findings(out: &mut String, summary: &RunSummary) {
    if summary.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Findings\n");
    for f in super::findings::ordered(&summary.findings) {
        let shown: Vec<String> = f.cases.iter().take(10).map(|c| format!("`{c}`")).collect();
        let more = f.cases.len().saturating_sub(shown.len());
        let _ = writeln!(
            out,
            "- **{}**: {} ({}); cases: {}{}",
            f.kind.category(),
            inline(&super::findings::what(f)),
            inline(&f.detail),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
}

fn summary_table(out: &mut String, summary: &RunSummary) {
    let (rows, total) = tally::operation_rows(summary);
    let _ = writeln!(out, "\n## Summary\n");
    let header: Vec<&str> = Verdict::ALL.iter().map(|v| v.label()).collect();
    let _ = writeln!(out, "| operation | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "--:|".repeat(Verdict::ALL.len()));
    let join = |counts: &[usize; Verdict::COUNT]| {
        counts
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for (op, counts) in &rows {
        let _ = writeln!(out, "| {} | {} |", cell(op), join(counts));
    }
    let _ = writeln!(out, "| **total** | {} |", join(&total));
}

fn details(out: &mut String, case: &CaseOutcome, strict: bool) {
    let _ = writeln!(
        out,
        "\n#### {}: `{}`\n",
        verdict(case.verdict, strict),
        case.id
    );
    let _ = writeln!(out, "{}\n", block(&case.title));
    let _ = writeln!(out, "- requirement: {}", block(&case.requirement));
    let _ = writeln!(
        out,
        "- evidence: {} ({})",
        labels::evidence(case.evidence_level),
        inline(&case.evidence_source)
    );
    if let Some(reason) = &case.reason {
        let _ = writeln!(out, "- reason: {}", block(reason));
    }
    if !case.mismatches.is_empty() {
        mismatch_table(out, &case.mismatches);
    }
    if let Some(repro) = &case.reproduction {
        let fence = fence_for(repro);
        let _ = writeln!(
            out,
            "\nReproduce:\n\n{fence}sh\n{}\n{fence}",
            repro.trim_end()
        );
    }
}

fn mismatch_table(out: &mut String, mismatches: &[Mismatch]) {
    let _ = writeln!(
        out,
        "\n| field | tier | expected | actual |\n|---|---|---|---|"
    );
    for m in mismatches {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&m.field),
            labels::mismatch_tier(m),
            cell(&m.expected),
            cell(&m.actual)
        );
    }
    out.push_str(&crate::report::md_escape::diff_blocks(mismatches));
}

/// `**fail**`; non-strict is marked as a failure when the run is strict.
fn verdict(v: Verdict, strict: bool) -> String {
    match v {
        Verdict::NonStrict if strict => "**non-strict** (fails under strict)".to_string(),
        Verdict::Pass => v.label().to_string(),
        _ => format!("**{}**", v.label()),
    }
}
