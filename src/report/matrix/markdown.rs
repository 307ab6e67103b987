//! The matrix as Markdown (GitHub flavour): the targets, a summary table with one column per
//! target, a table per operation and contract section with one row per case, then the details
//! of every cell that is not a pass. Text from reports is escaped: messages quote target
//! output, which may contain `|`, `<`, backticks or several lines.

use std::fmt::Write as _;

use crate::check::{Mismatch, Verdict};
use crate::report::labels;
use crate::report::md_escape::{block, cell as cell_text, fence_for, inline, longest_backtick_run};

use super::{CaseRow, Cell, Counts, Matrix, short_label};

/// Render the matrix as Markdown.
pub fn to_markdown(matrix: &Matrix) -> String {
    let mut out = String::from("# Compatibility matrix\n\n");
    if matrix.targets.is_empty() {
        out.push_str("No report given.\n");
        return out;
    }
    let cases = matrix.cases().count();
    let _ = writeln!(
        out,
        "{} across {}.\n",
        labels::count(cases, "case", "cases"),
        labels::count(matrix.targets.len(), "target", "targets")
    );
    targets(&mut out, matrix);
    if cases == 0 {
        out.push_str("\nNo case in any report.\n");
        return out;
    }
    legend(&mut out);
    summary(&mut out, matrix);
    gaps(&mut out, matrix);
    for op in &matrix.operations {
        let _ = writeln!(out, "\n## {}", inline(&op.name));
        for section in &op.sections {
            let _ = writeln!(out, "\n### {}\n", inline(&section.name));
            let _ = writeln!(
                out,
                "| case | title | evidence | {} |",
                target_headers(matrix)
            );
            let _ = writeln!(out, "|---|---|---|{}", ":-:|".repeat(matrix.targets.len()));
            for case in &section.cases {
                let verdicts: Vec<String> =
                    case.cells.iter().map(|c| cell_label(c.as_ref())).collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    code(&case.id),
                    cell_text(&case.title),
                    evidence(case),
                    verdicts.join(" | ")
                );
            }
        }
    }
    details(&mut out, matrix);
    out
}

fn targets(out: &mut String, matrix: &Matrix) {
    let _ = writeln!(
        out,
        "| target | kind | date | tool | run |\n|---|---|---|---|---|"
    );
    for t in &matrix.targets {
        let mut run = vec![if t.strict { "strict" } else { "not strict" }.to_string()];
        if t.interrupted {
            run.push("**interrupted**".to_string());
        }
        if t.totals.absent > 0 {
            run.push(format!(
                "{} absent",
                labels::count(t.totals.absent, "case", "cases")
            ));
        }
        let kind = match t.endpoint() {
            Some(url) => format!("{} {}", cell_text(t.target.kind.label()), code(url)),
            None => cell_text(t.target.kind.label()),
        };
        let _ = writeln!(
            out,
            "| **{}** | {kind} | {} | {} | {} |",
            cell_text(&t.name),
            cell_text(t.date()),
            cell_text(&t.tool_version),
            run.join(", ")
        );
    }
}

/// Each target's gaps, grouped by requirement ([`super::TargetColumn::gaps`]).
fn gaps(out: &mut String, matrix: &Matrix) {
    let _ = writeln!(out, "\n## Gaps by target");
    for target in &matrix.targets {
        let groups = &target.gaps;
        let _ = writeln!(
            out,
            "\n**{}** ({})",
            inline(&target.name),
            inline(target.date())
        );
        if groups.is_empty() {
            let _ = writeln!(out, "\n- no gap");
            continue;
        }
        out.push('\n');
        for g in groups {
            let reason = g
                .reason
                .as_deref()
                .map(|r| format!(": {}", inline(r)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {}, {}: {}{reason}",
                inline(&g.operation),
                inline(&g.requirement),
                inline(&g.size())
            );
        }
    }
}

fn legend(out: &mut String) {
    out.push_str(
        "\nVerdicts: `pass`; `n-s` non-strict (the contract holds, strict detail such as a message differs); \
         `FAIL` the contract is broken; `gap` a known gap listed in the target's baseline; \
         `skip` the target lacks a capability; `err` the harness could not run the case; \
         `—` the case is not in that report. \
         Conformance = (pass + non-strict) / executed, where executed is every case but skips.\n",
    );
}

fn summary(out: &mut String, matrix: &Matrix) {
    let _ = writeln!(out, "\n## Summary\n");
    let _ = writeln!(out, "| operation | {} |", target_headers(matrix));
    let _ = writeln!(out, "|---|{}", "---|".repeat(matrix.targets.len()));
    for op in &matrix.operations {
        let cells: Vec<String> = op.totals.iter().map(summary_cell).collect();
        let _ = writeln!(out, "| {} | {} |", cell_text(&op.name), cells.join(" | "));
    }
    let cells: Vec<String> = matrix
        .targets
        .iter()
        .map(|t| format!("**{}**", summary_cell(&t.totals)))
        .collect();
    let _ = writeln!(out, "| **total** | {} |", cells.join(" | "));
}

/// `75% (3 pass, 1 FAIL, 1 skip)`: the conformance, then every non-zero count.
fn summary_cell(counts: &Counts) -> String {
    let mut parts: Vec<String> = Verdict::ALL
        .iter()
        .filter(|v| counts.count(**v) > 0)
        .map(|v| format!("{} {}", counts.count(*v), short_label(*v)))
        .collect();
    if counts.absent > 0 {
        parts.push(format!("{} absent", counts.absent));
    }
    if counts.present() == 0 {
        return if counts.absent > 0 {
            "— (absent)".to_string()
        } else {
            "—".to_string()
        };
    }
    format!("{} ({})", counts.percent(), parts.join(", "))
}

fn target_headers(matrix: &Matrix) -> String {
    matrix
        .targets
        .iter()
        .map(|t| cell_text(&t.name))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn cell_label(cell: Option<&Cell>) -> String {
    match cell {
        None => "—".to_string(),
        Some(c) if c.verdict == Verdict::Pass => "pass".to_string(),
        Some(c) => format!("**{}**", short_label(c.verdict)),
    }
}

/// `observed ([source](url))` when the source is a plain link, else `observed (source)`.
fn evidence(case: &CaseRow) -> String {
    let level = labels::evidence(case.evidence_level);
    let source = case.evidence_source.trim();
    if source.is_empty() {
        level.to_string()
    } else if is_plain_url(source) {
        // The host as the link text keeps the table narrow.
        let host = source
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or(source);
        format!("{level} ([{}]({source}))", inline(host))
    } else {
        format!("{level} ({})", cell_text(source))
    }
}

/// An `http(s)` URL that can be written as an autolink as it is.
fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '|' | '`' | '"' | '\\' | '(' | ')' | '[' | ']'
                )
        })
}

fn details(out: &mut String, matrix: &Matrix) {
    let differing: Vec<&CaseRow> = matrix
        .cases()
        .filter(|c| {
            c.cells
                .iter()
                .flatten()
                .any(|cell| cell.verdict != Verdict::Pass)
        })
        .collect();
    if differing.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Details\n\nEvery outcome that is not a pass, by case. A known gap shows its baseline reason; its mismatches, snapshot diff and reproduction are in the HTML matrix."
    );
    for case in differing {
        let _ = writeln!(out, "\n### {}\n", code(&case.id));
        let _ = writeln!(out, "{}\n", block(&case.title));
        let _ = writeln!(out, "- requirement: {}", block(&case.requirement));
        let _ = writeln!(out, "- evidence: {}", evidence(case));
        for (target, cell) in matrix.targets.iter().zip(&case.cells) {
            let Some(cell) = cell.as_ref().filter(|c| c.verdict != Verdict::Pass) else {
                continue;
            };
            let _ = writeln!(
                out,
                "\n#### {}: **{}**\n",
                inline(&target.name),
                cell.verdict.label()
            );
            if let Some(reason) = &cell.reason {
                let _ = writeln!(out, "- reason: {}", block(reason));
            }
            if let Some(o) = &cell.observed {
                let error = o
                    .error_type
                    .as_deref()
                    .map(|e| format!(" {}", cell_text(e)))
                    .unwrap_or_default();
                let _ = writeln!(out, "- observed: HTTP {}{}", o.status, error);
            }
            // A known gap is explained by its baseline reason; its mismatches, diffs and
            // reproduction would make up most of this file, so only the HTML page has them.
            if cell.verdict == Verdict::KnownGap {
                continue;
            }
            if !cell.mismatches.is_empty() {
                mismatch_table(out, &cell.mismatches);
            }
            if let Some(repro) = &cell.reproduction {
                let fence = fence_for(repro);
                let _ = writeln!(
                    out,
                    "\n<details><summary>Reproduce</summary>\n\n{fence}sh\n{}\n{fence}\n\n</details>",
                    repro.trim_end()
                );
            }
        }
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
            cell_text(&m.field),
            labels::mismatch_tier(m),
            cell_text(&m.expected),
            cell_text(&m.actual)
        );
    }
    out.push_str(&crate::report::md_escape::diff_blocks(mismatches));
}

/// A code span safe in a table cell: a fence longer than any backtick run inside, `|`
/// escaped (GitHub splits cells on it even in code), one line.
fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}
