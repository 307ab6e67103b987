//! Display text helpers, a leaf: what every layer needs to show a target's bytes or a boundary
//! value (131,073 characters) on one screen without hiding what it is.
//!
//! - [`visible`]: control characters as symbols, so a target cannot drive the reader's terminal;
//! - [`clip`]: [`visible`], long runs abbreviated, then cut at [`SHOWN`] characters;
//! - [`abbreviate`] (`a×131073`) and [`compress`] (`{{repeat:a:131073}}`, the placeholder
//!   language of fixtures): two spellings of one run-length idea, both over [`runs`].

/// Most characters of one mismatch text (or diff line) a report shows.
pub const SHOWN: usize = 2048;

/// Shortest run of one character that [`abbreviate`] and [`compress`] shorten.
pub const RUN: usize = 24;

/// The runs of `text`: each character with how many times it repeats in a row.
pub fn runs(text: &str) -> impl Iterator<Item = (char, usize)> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let mut n = 1;
        while chars.next_if_eq(&c).is_some() {
            n += 1;
        }
        Some((c, n))
    })
}

/// Runs of [`RUN`] or more of one character as `c×N`, for one-line descriptions (titles,
/// mismatches) of values thousands of characters long.
pub fn abbreviate(text: &str) -> String {
    let mut out = String::new();
    for (c, n) in runs(text) {
        if n >= RUN {
            out.push_str(&format!("{c}×{n}"));
        } else {
            out.extend(std::iter::repeat_n(c, n));
        }
    }
    out
}

/// Runs of [`RUN`] or more of one printable character as `{{repeat:C:N}}`: the same text in
/// the placeholder language of fixtures, short enough to read.
pub fn compress(text: &str) -> String {
    let mut out = String::new();
    for (c, n) in runs(text) {
        // `{`, `}` would break the placeholder; control characters would hide the text.
        if n >= RUN && !matches!(c, '{' | '}') && !c.is_control() && !c.is_whitespace() {
            out.push_str(&format!("{{{{repeat:{c}:{n}}}}}"));
        } else {
            out.extend(std::iter::repeat_n(c, n));
        }
    }
    out
}

/// `text` [`visible`], with runs of one character abbreviated (`a×131073`), then cut at
/// [`SHOWN`] characters with a note of how many were left out.
pub fn clip(text: &str) -> String {
    let text = visible(text);
    if text.chars().count() <= SHOWN {
        return text;
    }
    let short = abbreviate(&text);
    let n = short.chars().count();
    if n <= SHOWN {
        return short;
    }
    let kept: String = short.chars().take(SHOWN).collect();
    format!("{kept}… ({} more characters)", n - SHOWN)
}

/// `text` with control characters other than newline and tab shown as symbols (`␀`, `␇`,
/// `␛`, `␡`; C1 controls as `\u{9b}`): a target's bytes reach terminals and pages, where a raw
/// escape sequence would recolour, retitle or clear the reader's terminal.
pub fn visible(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c as u32 {
            0x0a | 0x09 => c.to_string(),
            n @ 0..=0x1f => char::from_u32(0x2400 + n).map_or_else(String::new, String::from),
            0x7f => "\u{2421}".to_string(),
            n if c.is_control() => format!("\\u{{{n:x}}}"),
            _ => c.to_string(),
        })
        .collect()
}

/// Control characters as `\u{..}`, so that a one-line rendering stays one line.
pub fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_text_into_repeats() {
        let r: Vec<(char, usize)> = runs("aab€€€c").collect();
        assert_eq!(r, [('a', 2), ('b', 1), ('€', 3), ('c', 1)]);
        assert_eq!(runs("").count(), 0);
    }

    #[test]
    fn long_runs_are_abbreviated_and_long_texts_cut() {
        assert_eq!(clip("short"), "short");
        let run = format!("Value '{}' at x", "a".repeat(131_073));
        assert_eq!(clip(&run), "Value 'a×131073' at x");
        let varied: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let c = clip(&varied);
        assert!(c.starts_with(&varied[..SHOWN]), "{c}");
        assert!(c.ends_with("… (2952 more characters)"), "{c}");
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            visible("a\u{1b}[2Jb\u{0}\u{7}\u{7f}\u{9b}\nc\td"),
            "a␛[2Jb␀␇␡\\u{9b}\nc\td"
        );
        assert_eq!(clip("na\u{7}me"), "na␇me");
        assert_eq!(escape_controls("a\u{1}\n"), "a\\u{1}\\u{a}");
    }

    #[test]
    fn compress_keeps_braces_controls_and_short_runs() {
        let text = format!("{{\"V\":\"{}\",\"W\":\"ab\"}}", "x".repeat(2049));
        assert_eq!(
            compress(&text),
            "{\"V\":\"{{repeat:x:2049}}\",\"W\":\"ab\"}"
        );
        assert_eq!(compress("aaa"), "aaa");
        assert_eq!(compress(&"{".repeat(30)), "{".repeat(30));
        assert_eq!(abbreviate(&"b".repeat(30)), "b×30");
    }
}
