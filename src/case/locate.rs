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
pub fn field_at_line(source: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let text = lines.get(line.checked_sub(1)?)?.trim();
    let header = lines[..line - 1].iter().rev().find_map(|l| {
        let t = l.trim();
        (t.starts_with('[') && !t.starts_with("[["))
            .then(|| t.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    });
    if text.starts_with('[') {
        return Some(
            text.trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string(),
        );
    }
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
pub fn line_of_field(source: &str, path: &str) -> Option<usize> {
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
    fn lines_of_fields_and_text() {
        assert_eq!(line_of_field(SRC, "when.operation"), Some(3));
        assert_eq!(line_of_field(SRC, "then.strict.message"), Some(6));
        assert_eq!(line_of_field(SRC, "then.strict.error"), Some(8));
        assert_eq!(line_of_text(SRC, "400"), Some(5));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
