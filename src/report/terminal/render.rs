//! The terminal's text, built as strings so the reporter writes each piece in one call and
//! tests can compare it byte for byte: per-case status lines, then at the end the details of
//! every case that is not a plain pass, the per-operation table and the verdict lines.

use std::fmt::Write as _;

use crate::check::Verdict;

use super::super::collect::{RunLog, RunStart};
use super::super::labels;
use super::super::mismatch::{self, DiffLine};
use super::super::tally::{self, Overall, Tally};
use super::digest;
use super::paint::Paint;
use crate::run::events::{CaseOutcome, RunSummary};

/// Width of the verdict column (`NON-STRICT`).
const LABEL_WIDTH: usize = 10;
/// Column of values in a detail block.
const KEY_WIDTH: usize = 13;

/// `running 8 cases against reference at http://... (reference); resources prefixed ccf-x`.
pub(crate) fn header(start: &RunStart) -> String {
    format!(
        "running {} against {} at {} ({}); resources prefixed {}\n",
        labels::count(start.total, "case", "cases"),
        start.target.name,
        start.target.url,
        start.target.kind.label(),
        start.run_prefix
    )
}

/// `FAIL       DeleteUser/token/expired  An expired token is rejected`.
pub(crate) fn status_line(o: &CaseOutcome, strict: bool, paint: &Paint) -> String {
    let label = format!("{:<LABEL_WIDTH$}", labels::verdict_upper(o.verdict));
    let mut line = format!(
        "{} {}  {}",
        paint.verdict(o.verdict, strict, &label),
        o.id,
        o.title
    );
    if let Some(reason) = o.reason.as_deref().filter(|_| {
        matches!(
            o.verdict,
            Verdict::Skip | Verdict::Error | Verdict::Interrupted
        )
    }) {
        let _ = write!(line, " {}", paint.dim(&format!("({})", first_line(reason))));
    }
    line.push('\n');
    line
}

/// `FINDING    the target does not implement GlobalSignOut: 3 cases skipped (HTTP 500 …)`;
/// `SECURITY   DeleteUser echoes a secret it was sent in 4 cases (the [ACCESS_TOKEN] …)`.
pub(crate) fn finding(f: &crate::run::events::Finding, paint: &Paint) -> String {
    use crate::run::events::FindingKind;
    let label = format!("{:<LABEL_WIDTH$}", f.kind.category().to_ascii_uppercase());
    let looks = match f.kind {
        FindingKind::MissingOperation => Verdict::Skip,
        FindingKind::SecretEcho => Verdict::Fail,
    };
    let what = super::super::findings::what(f);
    format!(
        "{} {what} {}\n",
        paint.verdict(looks, false, &label),
        paint.dim(&format!("({})", first_line(&f.detail)))
    )
}

/// Everything printed once the run completed: by default the digest (failing requirements,
/// the worst cases in full, counts of the rest), with `verbose` every case that is not a
/// plain pass in full.
pub(crate) fn end_of_run(
    log: &RunLog,
    summary: &RunSummary,
    strict: bool,
    verbose: bool,
    paint: &Paint,
) -> String {
    let mut out = String::new();
    let cases = log.sorted();
    if verbose {
        everything(&mut out, &cases, strict, paint);
    } else {
        digest::requirements(&mut out, &cases, strict, paint);
        let (worst, failing) = digest::worst(&cases, strict);
        if !worst.is_empty() {
            let heading = if worst.len() < failing {
                format!(
                    "the worst {} of {failing} failing cases (all of them: --verbose, or the --json/--markdown report):",
                    worst.len()
                )
            } else {
                "failing cases:".to_string()
            };
            let _ = writeln!(out, "\n{}", paint.heading(&heading));
            for case in worst {
                out.push('\n');
                detail(&mut out, case, strict, paint);
            }
        }
        digest::collapsed(&mut out, &cases, strict, paint);
    }
    if !summary.per_operation.is_empty() {
        let _ = writeln!(out, "\n{}", paint.heading("summary:"));
        table(&mut out, summary, strict, paint);
    }
    out.push('\n');
    footer(&mut out, log, summary, strict, paint);
    out
}

/// `--verbose`: every case that is not a plain pass, in full.
fn everything(out: &mut String, cases: &[&CaseOutcome], strict: bool, paint: &Paint) {
    let detailed: Vec<&CaseOutcome> = [Verdict::Fail, Verdict::Error, Verdict::NonStrict]
        .iter()
        .flat_map(|v| cases.iter().copied().filter(move |c| c.verdict == *v))
        .collect();
    if !detailed.is_empty() {
        let _ = writeln!(out, "\n{}", paint.heading("failures and differences:"));
        // Harness errors with the same reason are one problem: shown once, with the others
        // named.
        let mut same: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for case in &detailed {
            if case.verdict == Verdict::Error {
                same.entry(case.reason.as_deref().unwrap_or(""))
                    .or_default()
                    .push(&case.id);
            }
        }
        for case in detailed {
            let others = (case.verdict == Verdict::Error)
                .then(|| same.get(case.reason.as_deref().unwrap_or("")))
                .flatten();
            match others {
                Some(ids) if ids.first() != Some(&case.id.as_str()) => continue,
                _ => {}
            }
            out.push('\n');
            detail(out, case, strict, paint);
            if let Some(ids) = others.filter(|ids| ids.len() > 1) {
                let shown: Vec<&str> = ids[1..].iter().take(5).copied().collect();
                let more = ids.len() - 1 - shown.len();
                let _ = writeln!(
                    out,
                    "  {} {}{}",
                    paint.dim(&format!(
                        "the same error in {} more {}:",
                        ids.len() - 1,
                        if ids.len() == 2 { "case" } else { "cases" }
                    )),
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
    let listed: Vec<&CaseOutcome> = cases
        .iter()
        .copied()
        .filter(|c| matches!(c.verdict, Verdict::KnownGap | Verdict::Skip))
        .collect();
    if !listed.is_empty() {
        let _ = writeln!(out, "\n{}", paint.heading("known gaps and skipped cases:"));
        for case in listed {
            let label = format!("{:<LABEL_WIDTH$}", labels::verdict_upper(case.verdict));
            let reason = case
                .reason
                .as_deref()
                .map(first_line)
                .unwrap_or("no reason given");
            let _ = writeln!(
                out,
                "  {} {}: {}",
                paint.verdict(case.verdict, strict, &label),
                case.id,
                reason
            );
        }
    }
}

/// One case in full: what it tests, how it failed, how to reproduce it.
fn detail(out: &mut String, case: &CaseOutcome, strict: bool, paint: &Paint) {
    let _ = writeln!(
        out,
        "{} {}",
        paint.verdict(case.verdict, strict, labels::verdict_upper(case.verdict)),
        case.id
    );
    field(out, paint, "title", &case.title);
    field(out, paint, "requirement", &case.requirement);
    let evidence = format!(
        "{} ({})",
        labels::evidence(case.evidence_level),
        case.evidence_source
    );
    field(out, paint, "evidence", &evidence);
    if let Some(reason) = &case.reason {
        field(out, paint, "reason", reason);
    }
    if !case.mismatches.is_empty() {
        let _ = writeln!(out, "  {}", paint.dim("mismatches:"));
    }
    for m in &case.mismatches {
        if !mismatch::is_long(m) {
            let _ = writeln!(out, "    {}", mismatch::inline(m));
            continue;
        }
        let _ = writeln!(out, "    {}", mismatch::diff_heading(m));
        for line in mismatch::diff(m) {
            let text = line.plain();
            let painted = match line {
                DiffLine::Same(_) => text,
                DiffLine::Expected(_) => paint.expected(&text),
                DiffLine::Actual(_) => paint.actual(&text),
            };
            let _ = writeln!(out, "      {painted}");
        }
    }
    if let Some(repro) = &case.reproduction {
        let _ = writeln!(out, "  {}", paint.dim("reproduce:"));
        for line in repro.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
}

/// `  requirement: text`, continuation lines aligned under the value.
fn field(out: &mut String, paint: &Paint, key: &str, value: &str) {
    let key_col = format!("{:<KEY_WIDTH$}", format!("{key}:"));
    let mut lines = value.lines();
    let _ = writeln!(
        out,
        "  {}{}",
        paint.dim(&key_col),
        lines.next().unwrap_or("")
    );
    for line in lines {
        let _ = writeln!(out, "  {:KEY_WIDTH$}{line}", "");
    }
}

/// Rows: operations; columns: verdicts; then totals.
fn table(out: &mut String, summary: &RunSummary, strict: bool, paint: &Paint) {
    let (rows, total) = tally::operation_rows(summary);
    let name_width = rows
        .iter()
        .map(|(op, _)| op.len())
        .chain(["operation".len()])
        .max()
        .unwrap_or(0);
    let _ = write!(out, "  {:<name_width$}", "operation");
    for v in Verdict::ALL {
        let _ = write!(out, "  {}", v.label());
    }
    out.push('\n');
    let mut row = |name: &str, counts: &[usize; Verdict::COUNT]| {
        let _ = write!(out, "  {name:<name_width$}");
        for (v, n) in Verdict::ALL.iter().zip(counts) {
            let cell = format!("{n:>width$}", width = v.label().len());
            let cell = if *n == 0 {
                paint.dim(&cell)
            } else {
                paint.verdict(*v, strict, &cell)
            };
            let _ = write!(out, "  {cell}");
        }
        out.push('\n');
    };
    for (op, counts) in &rows {
        row(op, counts);
    }
    row("total", &total);
}

/// Elapsed time, clean-up problems, the verdict, and the line CI reads (always last).
fn footer(out: &mut String, log: &RunLog, summary: &RunSummary, strict: bool, paint: &Paint) {
    let strict_note = if strict { ", strict" } else { "" };
    let _ = writeln!(
        out,
        "{} in {}{strict_note}; {} deleted",
        labels::count(summary.counts.values().sum(), "case", "cases"),
        tally::duration(summary.elapsed_ms),
        labels::count(summary.pools_deleted, "pool", "pools"),
    );
    if summary.interrupted {
        let _ = writeln!(
            out,
            "{} not every selected case ran",
            paint.verdict(Verdict::Error, strict, "interrupted:")
        );
    }
    for pool in &summary.pools_left {
        let _ = writeln!(
            out,
            "{} pool left behind, delete it by hand: {pool}",
            paint.verdict(Verdict::Error, strict, "warning:")
        );
    }
    let overall = Overall::of(summary, strict, log.start_seen().map(|s| s.total));
    let verdict = match overall {
        Overall::Conformant { .. } => Verdict::Pass,
        Overall::Gaps { .. } => Verdict::Fail,
        Overall::CouldNotRun { .. } => Verdict::Error,
    };
    let _ = writeln!(out, "{}", paint.verdict(verdict, strict, &overall.line()));
    let _ = writeln!(out, "{}", Tally::of(summary).line());
}

/// The first line of a possibly multi-line reason, for one-line listings.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}
