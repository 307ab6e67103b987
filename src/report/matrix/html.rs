//! The matrix as one self-contained HTML page: inline CSS (`page.css`) and a few lines of
//! vanilla JavaScript (`page.js`), no external resource, no link. Every piece of text from a
//! report goes through [`esc`], in element content and in (always double-quoted) attributes.
//!
//! Without JavaScript the page still reads: every group is open and every detail row shown.

use std::fmt::Write as _;

use crate::check::{Mismatch, Verdict};
use crate::report::labels;
use crate::vocab::EvidenceLevel;

use super::{CaseRow, Cell, Counts, Matrix, TargetColumn};

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// Render the matrix as a self-contained HTML page.
pub fn to_html(matrix: &Matrix) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let cases = matrix.cases().count();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Cognito compatibility matrix</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
    );
    let _ = writeln!(out, "<header>\n<h1>Cognito compatibility matrix</h1>");
    let _ = writeln!(
        out,
        "<p class=\"sub\">{} across {}. Conformance = (pass + non-strict) / executed, where executed is every case but skips.</p>\n</header>",
        labels::count(cases, "case", "cases"),
        labels::count(matrix.targets.len(), "target", "targets")
    );
    if matrix.targets.is_empty() {
        out.push_str("<p class=\"none\">No report given.</p>\n</body>\n</html>\n");
        return out;
    }
    if cases == 0 {
        out.push_str("<p class=\"none\">No case in any report.</p>\n</body>\n</html>\n");
        return out;
    }
    summary(&mut out, matrix);
    gaps(&mut out, matrix);
    legend(&mut out);
    controls(&mut out);
    table(&mut out, matrix);
    let _ = write!(out, "<script>\n{JS}</script>\n</body>\n</html>\n");
    out
}

/// The CSS class of a verdict.
fn class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::NonStrict => "ns",
        Verdict::Fail => "fail",
        Verdict::KnownGap => "gap",
        Verdict::Skip => "skip",
        Verdict::Error => "err",
        Verdict::Interrupted => "skip",
    }
}

/// The label of a verdict in a cell.
fn label(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::NonStrict => "non-strict",
        Verdict::Fail => "FAIL",
        Verdict::KnownGap => "known gap",
        Verdict::Skip => "skip",
        Verdict::Error => "error",
        Verdict::Interrupted => "interrupted",
    }
}

/// What a verdict means, for the legend and tooltips.
fn meaning(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "the contract and the strict detail hold",
        Verdict::NonStrict => "the contract holds; strict detail (message, headers, body) differs",
        Verdict::Fail => "the contract is broken",
        Verdict::KnownGap => "a failure listed in the target's baseline",
        Verdict::Skip => "the target lacks a capability the case needs",
        Verdict::Error => "the harness could not run the case",
        Verdict::Interrupted => "the run was interrupted before the case finished",
    }
}

fn target_heading(out: &mut String, t: &TargetColumn) {
    let mut notes = vec![esc(t.target.kind.label()), esc(t.date())];
    if !t.tool_version.is_empty() {
        notes.push(format!("tool {}", esc(&t.tool_version)));
    }
    if t.strict {
        notes.push("strict".to_string());
    }
    if t.interrupted {
        notes.push("<b class=\"warn\">interrupted</b>".to_string());
    }
    let _ = write!(
        out,
        "<th class=\"tgt\" title=\"{}\"><span class=\"tn\">{}</span><small>{}</small></th>",
        esc(t.endpoint().unwrap_or(t.target.kind.label())),
        esc(&t.name),
        notes.join(" · ")
    );
}

/// Each target's gaps, grouped by requirement ([`super::TargetColumn::gaps`]).
fn gaps(out: &mut String, matrix: &Matrix) {
    out.push_str("<h2>Gaps by target</h2>\n<div class=\"gaps\">\n");
    for target in &matrix.targets {
        let groups = &target.gaps;
        let _ = writeln!(
            out,
            "<h3>{} <small>{}</small></h3>",
            esc(&target.name),
            esc(target.date())
        );
        if groups.is_empty() {
            out.push_str("<p class=\"none\">no gap</p>\n");
            continue;
        }
        out.push_str("<ul>\n");
        for g in groups {
            let reason = g
                .reason
                .as_deref()
                .map(|r| format!(": <span class=\"reason\">{}</span>", esc(r)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<li><b>{}</b>, {}: {}{reason}</li>",
                esc(&g.operation),
                esc(&g.requirement),
                esc(&g.size())
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n");
}

fn summary(out: &mut String, matrix: &Matrix) {
    out.push_str("<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>operation</th>");
    for t in &matrix.targets {
        target_heading(out, t);
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for op in &matrix.operations {
        let _ = write!(out, "<tr><th>{}</th>", esc(&op.name));
        for counts in &op.totals {
            summary_cell(out, counts);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr><th>total</th>");
    for t in &matrix.targets {
        summary_cell(out, &t.totals);
    }
    out.push_str("</tr></tfoot>\n</table>\n");
}

/// Percentage, a bar of the verdicts, and the non-zero counts.
fn summary_cell(out: &mut String, counts: &Counts) {
    let present = counts.present();
    let tip = Verdict::ALL
        .iter()
        .map(|v| format!("{}: {}", v.label(), counts.count(*v)))
        .chain((counts.absent > 0).then(|| format!("absent: {}", counts.absent)))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = write!(
        out,
        "<td title=\"{}\"><div class=\"pct {}\">{}</div>",
        esc(&tip),
        grade(counts),
        counts.percent()
    );
    if present > 0 {
        out.push_str("<div class=\"bar\">");
        for v in Verdict::ALL {
            let n = counts.count(v);
            // Widths in hundredths of a percent, so the bar is exact without floats.
            if let Some(w) = (n * 10_000).checked_div(present).filter(|_| n > 0) {
                let _ = write!(
                    out,
                    "<span class=\"{}\" style=\"width:{}.{:02}%\"></span>",
                    class(v),
                    w / 100,
                    w % 100
                );
            }
        }
        out.push_str("</div>");
    }
    let _ = write!(out, "<div class=\"cnt\">{}</div></td>", count_list(counts));
}

/// `3 pass · 1 FAIL · 2 absent`.
fn count_list(counts: &Counts) -> String {
    let mut parts: Vec<String> = Verdict::ALL
        .iter()
        .filter(|v| counts.count(**v) > 0)
        .map(|v| {
            format!(
                "<span class=\"c-{}\">{} {}</span>",
                class(*v),
                counts.count(*v),
                label(*v)
            )
        })
        .collect();
    if counts.absent > 0 {
        parts.push(format!(
            "<span class=\"c-none\">{} absent</span>",
            counts.absent
        ));
    }
    parts.join(" · ")
}

/// `full`, `good`, `poor` or `nil`, for the colour of a percentage.
fn grade(counts: &Counts) -> &'static str {
    match counts.permille() {
        None => "nil",
        Some(1000) => "full",
        Some(p) if p >= 800 => "good",
        Some(_) => "poor",
    }
}

fn legend(out: &mut String) {
    out.push_str("<ul class=\"legend\">");
    for v in Verdict::ALL {
        let _ = write!(
            out,
            "<li><span class=\"v {}\">{}</span> {}</li>",
            class(v),
            label(v),
            meaning(v)
        );
    }
    out.push_str("<li><span class=\"v none\">—</span> not in that target's report</li></ul>\n");
}

fn controls(out: &mut String) {
    out.push_str(
        "<div class=\"controls\">\
         <input id=\"q\" type=\"search\" placeholder=\"Filter by case id…\" aria-label=\"Filter by case id\" autocomplete=\"off\">\
         <label title=\"Hide the cases every target passes\"><input id=\"diff\" type=\"checkbox\"> only differences</label>\
         <button id=\"expand\" type=\"button\">expand all groups</button>\
         <button id=\"collapse\" type=\"button\">collapse all groups</button>\
         <span id=\"shown\"></span>\
         <span class=\"hint\">Click a case or a coloured cell for details.</span></div>\n",
    );
}

fn table(out: &mut String, matrix: &Matrix) {
    let width = matrix.targets.len() + 2;
    out.push_str("<table class=\"matrix\" id=\"m\">\n<thead><tr><th class=\"c-case\">case</th><th class=\"c-ev\">evidence</th>");
    for t in &matrix.targets {
        target_heading(out, t);
    }
    out.push_str("</tr></thead>\n");
    for (i, op) in matrix.operations.iter().enumerate() {
        let n: usize = op.sections.iter().map(|s| s.cases.len()).sum();
        let _ = write!(
            out,
            "<tbody class=\"op\" data-op=\"{i}\"><tr class=\"op-h\" tabindex=\"0\" aria-expanded=\"true\"><th colspan=\"2\"><span class=\"tw\"></span>{} <small>{}</small></th>",
            esc(&op.name),
            labels::count(n, "case", "cases")
        );
        for counts in &op.totals {
            let _ = write!(
                out,
                "<td class=\"tot\"><span class=\"pct {}\">{}</span><small>{}</small></td>",
                grade(counts),
                counts.percent(),
                count_list(counts)
            );
        }
        out.push_str("</tr></tbody>\n");
        for section in &op.sections {
            let _ = writeln!(
                out,
                "<tbody class=\"sec\" data-op=\"{i}\"><tr class=\"sec-h\" tabindex=\"0\" aria-expanded=\"true\"><th colspan=\"{width}\"><span class=\"tw\"></span>{} <small>{}</small></th></tr>",
                esc(&section.name),
                labels::count(section.cases.len(), "case", "cases")
            );
            for case in &section.cases {
                case_rows(out, matrix, case);
            }
            out.push_str("</tbody>\n");
        }
    }
    out.push_str("</table>\n");
}

fn evidence_text(case: &CaseRow) -> String {
    let level = labels::evidence(case.evidence_level);
    if case.evidence_source.trim().is_empty() {
        level.to_string()
    } else {
        format!("{level}: {}", case.evidence_source)
    }
}

fn case_rows(out: &mut String, matrix: &Matrix, case: &CaseRow) {
    let width = matrix.targets.len() + 2;
    let _ = write!(
        out,
        "<tr class=\"case\" data-id=\"{}\" data-diff=\"{}\"><td class=\"c-case x\" tabindex=\"0\" title=\"{}\"><span class=\"tw\"></span>",
        esc(&case.id),
        if case.differs() { 1 } else { 0 },
        esc(&case.requirement)
    );
    // The id's folder part repeats the grouping: dim it, keep the fault's name bold.
    match case.id.rsplit_once('/') {
        Some((folder, name)) if !name.is_empty() => {
            let _ = write!(
                out,
                "<code><span class=\"pre\">{}/</span>{}</code>",
                esc(folder),
                esc(name)
            );
        }
        _ => {
            let _ = write!(out, "<code>{}</code>", esc(&case.id));
        }
    }
    let _ = write!(
        out,
        "<div class=\"title\">{}</div></td><td class=\"c-ev\" title=\"{}\"><span class=\"lvl {}\">{}</span></td>",
        esc(&case.title),
        esc(&evidence_text(case)),
        level_class(case.evidence_level),
        labels::evidence(case.evidence_level)
    );
    for (t, cell) in case.cells.iter().enumerate() {
        match cell {
            None => {
                out.push_str("<td class=\"v none\" title=\"not in this target's report\">—</td>")
            }
            Some(c) if c.verdict == Verdict::Pass => out.push_str("<td class=\"v pass\">pass</td>"),
            Some(c) => {
                let tip = c
                    .reason
                    .clone()
                    .unwrap_or_else(|| format!("{}: click for details", c.verdict.label()));
                let _ = write!(
                    out,
                    "<td class=\"v {} x\" data-t=\"{t}\" tabindex=\"0\" title=\"{}\">{}</td>",
                    class(c.verdict),
                    esc(&tip),
                    label(c.verdict)
                );
            }
        }
    }
    out.push_str("</tr>\n");

    let _ = write!(
        out,
        "<tr class=\"detail\"><td colspan=\"{width}\"><dl class=\"about\">"
    );
    let _ = write!(
        out,
        "<dt>Requirement</dt><dd>{}</dd>",
        esc(&case.requirement)
    );
    let _ = write!(
        out,
        "<dt>Evidence</dt><dd><span class=\"lvl {}\">{}</span> {}</dd>",
        level_class(case.evidence_level),
        labels::evidence(case.evidence_level),
        esc(&case.evidence_source)
    );
    let _ = write!(
        out,
        "<dt>Case</dt><dd><code>{}</code></dd></dl>",
        esc(&case.id)
    );
    for ((t, target), cell) in matrix.targets.iter().enumerate().zip(&case.cells) {
        let Some(cell) = cell.as_ref().filter(|c| c.verdict != Verdict::Pass) else {
            continue;
        };
        target_block(out, t, target, cell);
    }
    out.push_str("</td></tr>\n");
}

fn level_class(level: EvidenceLevel) -> &'static str {
    labels::evidence(level)
}

fn target_block(out: &mut String, t: usize, target: &TargetColumn, cell: &Cell) {
    let _ = write!(
        out,
        "<div class=\"tb\" data-t=\"{t}\"><h4><span class=\"v {}\">{}</span> {}</h4>",
        class(cell.verdict),
        label(cell.verdict),
        esc(&target.name)
    );
    if let Some(reason) = &cell.reason {
        let _ = write!(out, "<p class=\"reason\"><b>Reason</b> {}</p>", esc(reason));
    }
    if !cell.mismatches.is_empty() {
        mismatch_table(out, &cell.mismatches);
    }
    if let Some(o) = &cell.observed {
        let _ = write!(out, "<p class=\"obs\"><b>Observed</b> HTTP {}", o.status);
        if let Some(e) = &o.error_type {
            let _ = write!(out, " <code>{}</code>", esc(e));
        }
        if let Some(m) = &o.message {
            let _ = write!(out, " “{}”", esc(m));
        }
        out.push_str("</p>");
        if !o.body.is_empty() {
            let _ = write!(
                out,
                "<details><summary>response body</summary><pre>{}</pre></details>",
                esc(&o.body)
            );
        }
    }
    if let Some(repro) = &cell.reproduction {
        let _ = write!(
            out,
            "<div class=\"repro\"><b>Reproduce</b><pre>{}</pre></div>",
            esc(repro.trim_end())
        );
    }
    out.push_str("</div>");
}

fn mismatch_table(out: &mut String, mismatches: &[Mismatch]) {
    out.push_str("<table class=\"mm\"><thead><tr><th>field</th><th>tier</th><th>expected</th><th>actual</th></tr></thead><tbody>");
    for m in mismatches {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td class=\"tier {}\">{}</td><td class=\"exp\">{}</td><td class=\"act\">{}</td></tr>",
            esc(&m.field),
            labels::tier(m.tier),
            labels::mismatch_tier(m),
            esc(&m.expected),
            esc(&m.actual)
        );
    }
    out.push_str("</tbody></table>");
    for m in mismatches.iter().filter(|m| m.diff.is_some()) {
        let _ = write!(
            out,
            "<details class=\"diff\"><summary>{} diff: {}</summary><pre class=\"diff\">",
            esc(&m.field),
            esc(&m.expected)
        );
        for line in crate::report::mismatch::diff(m) {
            let (class, text) = match &line {
                crate::report::mismatch::DiffLine::Same(_) => ("same", line.plain()),
                crate::report::mismatch::DiffLine::Expected(_) => ("del", line.plain()),
                crate::report::mismatch::DiffLine::Actual(_) => ("ins", line.plain()),
            };
            // Block spans are the lines: a newline between them would double the spacing.
            let _ = write!(out, "<span class=\"{class}\">{}</span>", esc(&text));
        }
        out.push_str("</pre></details>");
    }
}

/// Escape text for HTML element content and double- or single-quoted attributes.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
