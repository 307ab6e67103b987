//! Finding where in a fixture file something is, so every error names a line and a field.

/// 1-based line and column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The dotted field path of the key defined on `line` (1-based): the nearest `[table]` header
/// above it joined with the key at the start of the line. `None` for lines without a key.
///
/// Under an array of tables (`[[then]]`) the path carries the element's 1-based index
/// (`then[2].status`), as [`line_of_field`] reads it.
pub fn field_at_line(source: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let text = lines.get(line.checked_sub(1)?)?.trim();
    let header_of = |upto: usize| -> Option<String> {
        let (i, t) = lines[..upto]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, l)| l.trim().starts_with('['))?;
        let t = t.trim();
        let name = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        if t.starts_with("[[") {
            let n = lines[..=i].iter().filter(|l| l.trim() == t).count();
            Some(format!("{name}[{n}]"))
        } else {
            // A sub-table below an array element (`[then.strict]` after `[[then]]`).
            let parent = name.split('.').next().unwrap_or("");
            let array = format!("[[{parent}]]");
            let n = lines[..i].iter().filter(|l| l.trim() == array).count();
            Some(if n > 0 {
                name.replacen(parent, &format!("{parent}[{n}]"), 1)
            } else {
                name
            })
        }
    };
    if text.starts_with('[') {
        return header_of(line);
    }
    let header = header_of(line - 1);
    let key = text.split('=').next()?.trim();
    if key.is_empty() || text == key {
        return header;
    }
    Some(match header {
        Some(h) => format!("{h}.{}", key.trim_matches('"')),
        None => key.trim_matches('"').to_string(),
    })
}

/// The line where the dotted field `path` is set (`then.strict.message` matches
/// `[then.strict]` + `message =`, `[then]` + `strict.message =` or a top-level
/// `then.strict.message =`). Falls back to the line of the last segment's key.
///
/// `then[2].status` is looked up below the second `[[then]]` header.
pub fn line_of_field(source: &str, path: &str) -> Option<usize> {
    if let Some((head, rest)) = path.split_once('[')
        && let Some((n, tail)) = rest.split_once(']')
        && let Ok(n) = n.parse::<usize>()
    {
        let lines: Vec<&str> = source.lines().collect();
        let array = format!("[[{head}]]");
        let starts: Vec<usize> = (0..lines.len())
            .filter(|i| lines[*i].trim() == array)
            .collect();
        let start = *starts.get(n.checked_sub(1)?)?;
        let end = starts.get(n).copied().unwrap_or(lines.len());
        let region: Vec<String> = lines[start..end]
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("[{head}]")
                } else {
                    l.to_string()
                }
            })
            .collect();
        return line_of_field(&region.join("\n"), &format!("{head}{tail}")).map(|l| l + start);
    }
    let mut header = String::new();
    let mut fallback = None;
    let last = path.rsplit('.').next().unwrap_or(path);
    for (i, raw) in source.lines().enumerate() {
        let t = raw.trim();
        if t.starts_with('[') {
            header = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            if header == path {
                return Some(i + 1);
            }
            continue;
        }
        let Some((key, _)) = t.split_once('=') else {
            continue;
        };
        let key = key.trim().replace('"', "");
        let full = if header.is_empty() {
            key.clone()
        } else {
            format!("{header}.{key}")
        };
        if full == path {
            return Some(i + 1);
        }
        if fallback.is_none() && (key == last || key.ends_with(&format!(".{last}"))) {
            fallback = Some(i + 1);
        }
    }
    fallback
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
    fn lines_of_fields_and_text() {
        assert_eq!(line_of_field(SRC, "when.operation"), Some(3));
        assert_eq!(line_of_field(SRC, "then.strict.message"), Some(6));
        assert_eq!(line_of_field(SRC, "then.strict.error"), Some(8));
        assert_eq!(line_of_text(SRC, "400"), Some(5));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
