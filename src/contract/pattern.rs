//! Whole-string matching of the model's `pattern` traits.
//!
//! Model patterns are Java regular expressions that must match the *whole* value, so each is
//! compiled once as `^(?:pattern)$`. The model only uses constructs the `regex` crate shares with
//! Java (character classes, `\p{..}` Unicode classes, `\w`, `\S`, `\x21`). A pattern that does
//! not compile (none does today) is reported as `None` so a caller can skip it instead of
//! panicking; length limits are never folded into the regex (`{1,2048}` over Unicode classes is
//! too big for the crate, see crates.md), they are checked separately.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

/// Compiled-pattern cache. The set of patterns is the finite set in the shipped model.
fn cache() -> &'static Mutex<HashMap<String, Option<Regex>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Whether `value` matches `pattern` as a whole. `None` when the pattern cannot be compiled.
pub fn full_match(pattern: &str, value: &str) -> Option<bool> {
    let mut map = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let compiled = map
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(&format!("^(?:{pattern})$")).ok());
    compiled.as_ref().map(|re| re.is_match(value))
}

#[cfg(test)]
mod tests {
    use super::full_match;

    const NAME: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+";
    const TOKEN: &str = "[A-Za-z0-9-_=.]+";

    #[test]
    fn matches_the_whole_string_only() {
        assert_eq!(full_match(TOKEN, "abc.def"), Some(true));
        assert_eq!(full_match(TOKEN, "abc def"), Some(false));
        assert_eq!(full_match(TOKEN, ""), Some(false));
        assert_eq!(full_match(TOKEN, "abc!"), Some(false));
    }

    #[test]
    fn unicode_classes_work() {
        assert_eq!(full_match(NAME, "given_name"), Some(true));
        assert_eq!(full_match(NAME, "名前 x"), Some(true));
        assert_eq!(full_match(NAME, "a\u{0}b"), Some(false));
        assert_eq!(full_match(NAME, &"é".repeat(5000)), Some(true));
    }

    #[test]
    fn anchored_patterns_from_the_model_still_work() {
        assert_eq!(full_match("^[a-zA-Z0-9_-]+$", "set-1"), Some(true));
        assert_eq!(full_match("^[a-zA-Z0-9_-]+$", "set 1"), Some(false));
    }

    #[test]
    fn an_invalid_pattern_is_none_not_a_panic() {
        assert_eq!(full_match("[unclosed", "x"), None);
    }
}
