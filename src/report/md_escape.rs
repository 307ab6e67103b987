//! Escaping for the Markdown views (run report and matrix): one place decides how target
//! text (messages, bodies, ids) is made literal, so the two views cannot drift apart.

/// Text in a table cell: one line (lines joined with `<br>`), no column breaks, no HTML.
pub(crate) fn cell(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(inline).collect();
    if lines.is_empty() {
        " ".to_string()
    } else {
        lines.join("<br>")
    }
}

/// Multi-line text continuing a list item or paragraph.
pub(crate) fn block(text: &str) -> String {
    text.lines()
        .map(inline)
        .collect::<Vec<_>>()
        .join("<br>\n  ")
}

/// One line of text that Markdown and HTML read literally.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The longest run of backticks in `text` (a fence must be longer).
pub(crate) fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A code-block fence longer than any run of backticks in `text`.
pub(crate) fn fence_for(text: &str) -> String {
    "`".repeat(longest_backtick_run(text).max(2) + 1)
}

/// The diffs mismatches carry (golden snapshots), each as a fenced `diff` block (code: the
/// text inside is shown, never interpreted).
pub(crate) fn diff_blocks(mismatches: &[crate::check::Mismatch]) -> String {
    let mut out = String::new();
    for (m, d) in mismatches
        .iter()
        .filter_map(|m| m.diff.as_deref().map(|d| (m, d)))
    {
        let fence = fence_for(d);
        out.push_str(&format!(
            "\n{} diff, {} (-) vs observed (+):\n\n{fence}diff\n{}\n{fence}\n",
            inline(&m.field),
            block(&m.expected),
            d.trim_end()
        ));
    }
    out
}
