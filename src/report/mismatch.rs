//! How a mismatch reads as text: `field: expected X, got Y` when both sides are short and on
//! one line, otherwise a line diff (`similar`) so a one-word change in a long message is
//! visible. The terminal colours the diff; JUnit and Markdown print it plain.

use similar::{ChangeTag, TextDiff};

use crate::check::Mismatch;

use super::labels;

/// Values longer than this are shown as a diff rather than inline.
const INLINE_LIMIT: usize = 60;

/// One line of a diff between expected and actual.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the expectation.
    Expected(String),
    /// Only in what the target did.
    Actual(String),
}

impl DiffLine {
    /// `  text`, `- text`, `+ text`.
    pub fn plain(&self) -> String {
        match self {
            DiffLine::Same(t) => format!("  {t}"),
            DiffLine::Expected(t) => format!("- {t}"),
            DiffLine::Actual(t) => format!("+ {t}"),
        }
    }
}

/// Whether the mismatch is better shown as a diff.
pub(crate) fn is_long(m: &Mismatch) -> bool {
    let long = |s: &str| s.contains('\n') || s.chars().count() > INLINE_LIMIT;
    m.diff.is_some() || long(&m.expected) || long(&m.actual)
}

/// `status: expected 400, got 200 [contract]` (short values only; see [`is_long`]).
pub(crate) fn inline(m: &Mismatch) -> String {
    format!(
        "{}: expected {}, got {} [{}]",
        m.field,
        m.expected,
        m.actual,
        labels::mismatch_tier(m)
    )
}

/// `message [strict]: expected (-) and got (+) differ:`, the heading of a diff.
pub(crate) fn diff_heading(m: &Mismatch) -> String {
    if m.diff.is_some() {
        return format!(
            "{} [{}]: {}; {} (-) vs observed (+):",
            m.field,
            labels::mismatch_tier(m),
            m.actual,
            m.expected
        );
    }
    format!(
        "{} [{}]: expected (-) and got (+) differ:",
        m.field,
        labels::mismatch_tier(m)
    )
}

/// The line diff of expected vs actual (the mismatch's own unified diff when it carries one,
/// e.g. a golden snapshot's).
pub(crate) fn diff(m: &Mismatch) -> Vec<DiffLine> {
    if let Some(unified) = &m.diff {
        return unified
            .lines()
            .filter(|l| !l.starts_with("--- ") && !l.starts_with("+++ "))
            .map(|l| match l.split_at_checked(1) {
                Some(("-", rest)) => DiffLine::Expected(rest.to_string()),
                Some(("+", rest)) => DiffLine::Actual(rest.to_string()),
                Some((" ", rest)) => DiffLine::Same(rest.to_string()),
                _ => DiffLine::Same(l.to_string()),
            })
            .collect();
    }
    TextDiff::from_lines(&m.expected, &m.actual)
        .iter_all_changes()
        .map(|change| {
            let text = change.value().trim_end_matches(['\n', '\r']).to_string();
            match change.tag() {
                ChangeTag::Equal => DiffLine::Same(text),
                ChangeTag::Delete => DiffLine::Expected(text),
                ChangeTag::Insert => DiffLine::Actual(text),
            }
        })
        .collect()
}

/// The mismatch as plain text lines: one inline line, or the heading and the diff.
pub(crate) fn plain_lines(m: &Mismatch) -> Vec<String> {
    if !is_long(m) {
        return vec![inline(m)];
    }
    let mut lines = vec![diff_heading(m)];
    lines.extend(diff(m).iter().map(|d| format!("  {}", d.plain())));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carried_unified_diff_is_shown_line_by_line() {
        let mut m = Mismatch::strict("snapshot", "the golden exchange", "1 line(s) differ");
        m.diff = Some(
            "--- golden\n+++ observed\n@@ -1,2 +1,2 @@\n status: 400\n-message: a\n+message: b\n"
                .into(),
        );
        assert!(is_long(&m));
        assert_eq!(
            diff(&m),
            vec![
                DiffLine::Same("@@ -1,2 +1,2 @@".into()),
                DiffLine::Same("status: 400".into()),
                DiffLine::Expected("message: a".into()),
                DiffLine::Actual("message: b".into()),
            ]
        );
        assert_eq!(
            diff_heading(&m),
            "snapshot [strict]: 1 line(s) differ; the golden exchange (-) vs observed (+):"
        );
    }
}
