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
    long(&m.expected) || long(&m.actual)
}

/// `status: expected 400, got 200 [contract]` (short values only; see [`is_long`]).
pub(crate) fn inline(m: &Mismatch) -> String {
    format!(
        "{}: expected {}, got {} [{}]",
        m.field,
        m.expected,
        m.actual,
        labels::tier(m.tier)
    )
}

/// `message [strict]: expected (-) and got (+) differ:`, the heading of a diff.
pub(crate) fn diff_heading(m: &Mismatch) -> String {
    format!(
        "{} [{}]: expected (-) and got (+) differ:",
        m.field,
        labels::tier(m.tier)
    )
}

/// The line diff of expected vs actual.
pub(crate) fn diff(m: &Mismatch) -> Vec<DiffLine> {
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
