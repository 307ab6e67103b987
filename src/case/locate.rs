//! Finding where in a fixture file something is, so every error names a line and a field.
//!
//! Every line gets a dotted field path from the `[table]` and `[[array]]` headers above it and
//! the key it sets. Elements of arrays of tables carry their 1-based index, also when they
//! nest: the second outcome of the first follow-on call is `next[1].then[2]`. A line inside a
//! value that spans several lines (a multi-line array or string) belongs to the key that
//! opened it.

use std::collections::BTreeMap;

/// 1-based line and column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The dotted field path of every line (index 0 is line 1): `None` for blank and comment lines
/// before any key.
fn paths(source: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    // Indexed path of the current table, and of the key whose value is still open.
    let mut table = String::new();
    let mut open: Option<String> = None;
    let mut scan = Scan::default();
    // Arrays of tables by indexed path (without their own index) -> elements so far.
    let mut arrays: BTreeMap<String, usize> = BTreeMap::new();
    for raw in source.lines() {
        if let Some(key) = &open {
            out.push(Some(key.clone()));
            scan.feed(raw);
            if scan.closed() {
                open = None;
            }
            continue;
        }
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            out.push(None);
            continue;
        }
        if t.starts_with('[') {
            let array = t.starts_with("[[");
            let name = t
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[')
                .trim();
            table = header_path(name, array, &mut arrays);
            out.push(Some(table.clone()));
            continue;
        }
        let Some((key, _)) = t.split_once('=') else {
            out.push(Some(table.clone()).filter(|t| !t.is_empty()));
            continue;
        };
        let key: Vec<&str> = key.split('.').map(|k| k.trim().trim_matches('"')).collect();
        let path = if table.is_empty() {
            key.join(".")
        } else {
            format!("{table}.{}", key.join("."))
        };
        scan = Scan::default();
        scan.feed(t.split_once('=').map_or("", |(_, v)| v));
        if !scan.closed() {
            open = Some(path.clone());
        }
        out.push(Some(path));
    }
    out
}

/// The indexed path of a header: each prefix that is an array of tables takes the index of its
/// latest element; a `[[header]]` starts a new element of its own array.
fn header_path(name: &str, array: bool, arrays: &mut BTreeMap<String, usize>) -> String {
    let segments: Vec<&str> = name
        .split('.')
        .map(|s| s.trim().trim_matches('"'))
        .collect();
    let mut path = String::new();
    for (i, seg) in segments.iter().enumerate() {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(seg);
        let last = i + 1 == segments.len();
        if last && array {
            let n = arrays.entry(path.clone()).or_insert(0);
            *n += 1;
            path = format!("{path}[{n}]");
        } else if let Some(n) = arrays.get(&path) {
            path = format!("{path}[{n}]");
        }
    }
    path
}

/// Bracket depth and string state of a value read line by line, to tell where it ends.
#[derive(Debug, Default)]
struct Scan {
    depth: i32,
    /// Inside a `"""` or `'''` string.
    multiline: Option<&'static str>,
}

impl Scan {
    fn feed(&mut self, line: &str) {
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(end) = self.multiline {
                match rest.find(end) {
                    Some(at) => {
                        rest = &rest[at + end.len()..];
                        self.multiline = None;
                    }
                    None => return,
                }
                continue;
            }
            if let Some(r) = rest.strip_prefix("\"\"\"") {
                self.multiline = Some("\"\"\"");
                rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix("'''") {
                self.multiline = Some("'''");
                rest = r;
                continue;
            }
            let c = rest.chars().next().unwrap_or(' ');
            rest = &rest[c.len_utf8()..];
            match c {
                '#' => return,
                '[' | '{' => self.depth += 1,
                ']' | '}' => self.depth -= 1,
                '"' => rest = skip_string(rest, '"'),
                '\'' => rest = skip_string(rest, '\''),
                _ => {}
            }
        }
    }

    fn closed(&self) -> bool {
        self.depth <= 0 && self.multiline.is_none()
    }
}

/// The text after a one-line string's closing quote (a basic string honours `\` escapes).
fn skip_string(s: &str, quote: char) -> &str {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return &s[i + 1..];
        }
    }
    ""
}

/// The dotted field path of the key defined on `line` (1-based): the nearest `[table]` header
/// above it joined with the key at the start of the line. `None` for lines without a key.
///
/// Under an array of tables (`[[then]]`) the path carries the element's 1-based index
/// (`then[2].status`, `next[1].then[2].status`), as [`line_of_field`] reads it.
pub fn field_at_line(source: &str, line: usize) -> Option<String> {
    paths(source).get(line.checked_sub(1)?)?.clone()
}

/// `then[1].x` and `then.x` name the same field when there is one element: drop `[1]`.
fn plain(path: &str) -> String {
    path.replace("[1]", "")
}

/// The line where the dotted field `path` is set (`then.strict.message` matches
/// `[then.strict]` + `message =`, `[then]` + `strict.message =` or a top-level
/// `then.strict.message =`). `then[2].status` is looked up below the second `[[then]]` header,
/// `next[1].then.status` below the first `[[next]]`. A field the file does not set falls back to
/// the line of its nearest enclosing table or key, then to the first line setting its last key.
pub fn line_of_field(source: &str, path: &str) -> Option<usize> {
    let lines = paths(source);
    let at = |want: &dyn Fn(&str) -> bool| {
        lines
            .iter()
            .position(|p| p.as_deref().is_some_and(want))
            .map(|i| i + 1)
    };
    if let Some(l) = at(&|p| p == path) {
        return Some(l);
    }
    let wanted = plain(path);
    if let Some(l) = at(&|p| plain(p) == wanted) {
        return Some(l);
    }
    // The nearest enclosing table or key that the file does write.
    let mut prefix = wanted.as_str();
    while let Some((head, _)) = prefix.rsplit_once('.') {
        prefix = head;
        if let Some(l) = at(&|p| plain(p) == prefix) {
            return Some(l);
        }
    }
    let last = path.rsplit('.').next().unwrap_or(path);
    at(&|p| p.rsplit('.').next() == Some(last))
}

/// The first line containing `needle`.
pub fn line_of_text(source: &str, needle: &str) -> Option<usize> {
    source
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "title = \"t\"\n[when]\noperation = \"X\"\n[then]\nstatus = 400\nstrict.message = \"m\"\n[then.strict]\nerror = \"E\"\n";

    #[test]
    fn fields_are_named_with_their_table() {
        assert_eq!(field_at_line(SRC, 3).as_deref(), Some("when.operation"));
        assert_eq!(field_at_line(SRC, 1).as_deref(), Some("title"));
        assert_eq!(field_at_line(SRC, 8).as_deref(), Some("then.strict.error"));
    }

    #[test]
    fn arrays_of_tables_are_indexed() {
        let src = "[when]\noperation = \"X\"\n[[then]]\nstatus = 200\n[[then]]\nstatus = 400\nerror = \"E\"\n[then.strict]\nmessage = \"m\"\n";
        assert_eq!(field_at_line(src, 4).as_deref(), Some("then[1].status"));
        assert_eq!(field_at_line(src, 7).as_deref(), Some("then[2].error"));
        assert_eq!(
            field_at_line(src, 9).as_deref(),
            Some("then[2].strict.message")
        );
        assert_eq!(line_of_field(src, "then[2].status"), Some(6));
        assert_eq!(line_of_field(src, "then[1].status"), Some(4));
        assert_eq!(line_of_field(src, "then[2].strict.message"), Some(9));
    }

    #[test]
    fn nested_arrays_of_tables_are_indexed_per_element() {
        let src = "[when]\noperation = \"X\"\n[then]\nstatus = 200\n\
                   [[next]]\nwhen = { operation = \"Y\" }\nthen = { status = 200 }\n\
                   [[next]]\n[next.when]\noperation = \"Z\"\n\
                   [[next.then]]\nstatus = 200\n[[next.then]]\nstatus = 400\n[next.then.strict]\nmessage = \"m\"\n";
        assert_eq!(field_at_line(src, 6).as_deref(), Some("next[1].when"));
        assert_eq!(
            field_at_line(src, 10).as_deref(),
            Some("next[2].when.operation")
        );
        assert_eq!(
            field_at_line(src, 12).as_deref(),
            Some("next[2].then[1].status")
        );
        assert_eq!(
            field_at_line(src, 14).as_deref(),
            Some("next[2].then[2].status")
        );
        assert_eq!(
            field_at_line(src, 16).as_deref(),
            Some("next[2].then[2].strict.message")
        );
        assert_eq!(line_of_field(src, "next[2].then[2].status"), Some(14));
        assert_eq!(line_of_field(src, "next[2].when.operation"), Some(10));
        // Set inline: the key that holds the inline table.
        assert_eq!(line_of_field(src, "next[1].then.status"), Some(7));
        assert_eq!(line_of_field(src, "then.status"), Some(4));
    }

    #[test]
    fn lines_inside_a_multi_line_value_belong_to_its_key() {
        let src = "[when]\nbody.List = [\n  { Name = \"a\" },\n  { Name = \"b\" },\n]\n\
                   raw_body = '''\n{ \"x\" = [\n'''\n[then]\nstatus = 400\n";
        assert_eq!(field_at_line(src, 3).as_deref(), Some("when.body.List"));
        assert_eq!(field_at_line(src, 5).as_deref(), Some("when.body.List"));
        assert_eq!(field_at_line(src, 7).as_deref(), Some("when.raw_body"));
        assert_eq!(field_at_line(src, 10).as_deref(), Some("then.status"));
    }

    #[test]
    fn lines_of_fields_and_text() {
        assert_eq!(line_of_field(SRC, "when.operation"), Some(3));
        assert_eq!(line_of_field(SRC, "then.strict.message"), Some(6));
        assert_eq!(line_of_field(SRC, "then.strict.error"), Some(8));
        // Not written: the table it belongs to.
        assert_eq!(line_of_field(SRC, "then.error"), Some(4));
        assert_eq!(line_of_text(SRC, "400"), Some(5));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
