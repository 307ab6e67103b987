//! Strings: those a string shape accepts (pattern and length), and characters its pattern
//! refuses.
//!
//! Regex strategies are compiled once per pattern and shared (compiling one per case is an
//! order of magnitude slower, crates.md). Lengths are never folded into the regex: the regex
//! crate cannot compile `{1,2048}` over Unicode classes, so `+` patterns yield 1..=32 characters
//! and boundary lengths are built by repeating a character the pattern accepts.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use proptest::prelude::*;
use proptest::strategy::SBoxedStrategy;

use crate::contract::pattern::full_match;

/// Printable text for free-form values (attribute values, client metadata): letters, marks,
/// symbols, numbers, punctuation and spaces. The model gives `AttributeValueType` no pattern;
/// this class is the one it gives attribute names, used here so that "valid" never depends on
/// how a target treats control characters, which nothing documents.
pub const PRINTABLE: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P} ]+";

/// Longest ordinary string generated (boundary lengths aside): short values keep shrinking
/// cheap, and every shrinking step is a case run against the target. Boundary lengths (the
/// shape's `min` and, up to [`MAX_BOUNDARY`], its `max`) are generated separately.
pub const UNBOUNDED_CAP: usize = 12;
/// Largest `max` for which strings of exactly `max` characters are generated.
pub const MAX_BOUNDARY: usize = 4096;

static COMPILED: LazyLock<Mutex<HashMap<String, SBoxedStrategy<String>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Strings matching `pattern` as a whole (1..=32 characters for a `[...]+` pattern), without
/// placeholder syntax. `None` when proptest cannot generate from the pattern.
pub fn matching(pattern: &str) -> Option<SBoxedStrategy<String>> {
    let mut cache = COMPILED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = cache.get(pattern) {
        return Some(s.clone());
    }
    let owned = pattern.to_string();
    let strategy = proptest::string::string_regex(&format!("(?:{pattern})"))
        .ok()?
        .prop_map(|s| defuse(&s))
        .prop_filter("matches the pattern after defusing", move |s| {
            full_match(&owned, s) != Some(false)
        })
        .sboxed();
    cache.insert(pattern.to_string(), strategy.clone());
    Some(strategy)
}

static RAW: LazyLock<Mutex<HashMap<String, SBoxedStrategy<String>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Strings of a fixed, known-good regular expression written in this crate (e-mail parts,
/// phone numbers), compiled once. An expression proptest cannot use yields `"a"`.
pub fn regex(expr: &'static str) -> SBoxedStrategy<String> {
    let mut cache = RAW.lock().unwrap_or_else(|p| p.into_inner());
    cache
        .entry(expr.to_string())
        .or_insert_with(|| match proptest::string::string_regex(expr) {
            Ok(s) => s.sboxed(),
            Err(_) => Just("a".to_string()).sboxed(),
        })
        .clone()
}

/// `text` with every `{{` broken up, so free text never reads as a placeholder.
pub fn defuse(text: &str) -> String {
    let mut out = text.to_string();
    while out.contains("{{") {
        out = out.replace("{{", "{");
    }
    out
}

/// Valid strings for a string shape: matching `pattern` (or [`PRINTABLE`]), with a length in
/// `min..=max` counted in characters, boundary lengths included.
pub fn within(pattern: Option<&str>, min: usize, max: Option<usize>) -> BoxedStrategy<String> {
    let pat = pattern.unwrap_or(PRINTABLE).to_string();
    let Some(base) = matching(&pat) else {
        return Just("a".repeat(min.max(1))).boxed();
    };
    let hi = max.unwrap_or(usize::MAX);
    let cap = max.map_or(UNBOUNDED_CAP, |m| m.min(UNBOUNDED_CAP));
    let pat1 = pat.clone();
    let ordinary = base
        .clone()
        .prop_map(move |s| s.chars().take(cap).collect::<String>())
        .prop_filter("length within the shape's bounds", move |s| {
            let n = s.chars().count();
            // Cut to the cap, a structured pattern (`[\w-]+_[0-9a-zA-Z]+`) may no longer match.
            n >= min && n <= hi && full_match(&pat1, s) != Some(false)
        });
    let mut boundaries: Vec<usize> = vec![min.max(1)];
    if let Some(m) = max.filter(|m| *m <= MAX_BOUNDARY && *m >= min) {
        boundaries.push(m);
    }
    if min == 0 && pattern.is_none() {
        boundaries.push(0);
    }
    // A boundary string repeats one character of a valid string; a pattern no such string
    // matches (a pool id needs its `_`) gets none, rather than a filter that always rejects.
    boundaries.retain(|n| {
        *n == 0
            || ['a', '0', 'A', '-', '.']
                .iter()
                .any(|c| full_match(&pat, &c.to_string().repeat(*n)) != Some(false))
    });
    if boundaries.is_empty() {
        return ordinary.boxed();
    }
    let pat2 = pat.clone();
    let boundary = (base, proptest::sample::select(boundaries))
        .prop_map(|(s, n)| {
            // `{` repeated would read as a placeholder.
            let c = s.chars().find(|c| *c != '{').unwrap_or('a');
            std::iter::repeat_n(c, n).collect::<String>()
        })
        .prop_filter("boundary string matches the pattern", move |s| {
            s.is_empty() || full_match(&pat2, s) != Some(false)
        });
    prop_oneof![4 => ordinary, 1 => boundary].boxed()
}

/// A character `pattern` refuses: a few well-known offenders (space, slash, NUL, BEL, a
/// zero-width space, a private-use character) or any character the pattern does not accept.
pub fn violating_char(pattern: &str) -> BoxedStrategy<char> {
    let offenders: Vec<char> = [
        ' ', '/', '+', '\u{0}', '\u{7}', '\u{200b}', '\u{e000}', '\u{2028}',
    ]
    .into_iter()
    .filter(|c| refuses(pattern, *c))
    .collect();
    let p = pattern.to_string();
    let any = any::<char>().prop_filter("refused by the pattern", move |c| refuses(&p, *c));
    if offenders.is_empty() {
        any.boxed()
    } else {
        prop_oneof![2 => proptest::sample::select(offenders), 1 => any].boxed()
    }
}

fn refuses(pattern: &str, c: char) -> bool {
    full_match(pattern, &c.to_string()) == Some(false)
}

/// `valid` with the character at `at` (modulo its length) replaced by `c`: the same length, one
/// character the pattern refuses.
pub fn replace_char(valid: &str, at: usize, c: char) -> String {
    let chars: Vec<char> = valid.chars().collect();
    if chars.is_empty() {
        return c.to_string();
    }
    let i = at % chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(j, ch)| if j == i { c } else { *ch })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;

    const NAME: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+";
    const TOKEN: &str = "[A-Za-z0-9-_=.]+";

    fn sample<T: std::fmt::Debug>(s: impl Strategy<Value = T>, n: usize) -> Vec<T> {
        let mut runner = TestRunner::deterministic();
        (0..n)
            .map(|_| s.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    #[test]
    fn within_respects_pattern_and_bounds() {
        for s in sample(within(Some(NAME), 1, Some(32)), 500) {
            let n = s.chars().count();
            assert!((1..=32).contains(&n), "{s:?}");
            assert_eq!(full_match(NAME, &s), Some(true), "{s:?}");
            assert!(!s.contains("{{"));
        }
        let lens: Vec<usize> = sample(within(None, 0, Some(2048)), 400)
            .iter()
            .map(|s| s.chars().count())
            .collect();
        assert!(lens.contains(&2048), "the max boundary is generated");
        assert!(lens.iter().all(|n| *n <= 2048));
        for s in sample(within(Some(TOKEN), 0, None), 200) {
            assert_eq!(full_match(TOKEN, &s), Some(true), "{s:?}");
        }
    }

    #[test]
    fn violating_chars_are_refused_by_the_pattern() {
        for c in sample(violating_char(TOKEN), 300) {
            assert_eq!(full_match(TOKEN, &c.to_string()), Some(false), "{c:?}");
        }
        for c in sample(violating_char(NAME), 300) {
            assert_eq!(full_match(NAME, &c.to_string()), Some(false), "{c:?}");
        }
    }

    #[test]
    fn compress_round_trips_through_the_placeholder_language() {
        use crate::case::placeholder::{Bindings, expand};
        use crate::text::compress;
        let text = format!("{{\"V\":\"{}\",\"W\":\"ab\"}}", "x".repeat(2049));
        assert_eq!(
            expand(&compress(&text), &Bindings::default()).unwrap(),
            text
        );
        let ticks = "`".repeat(30);
        assert_eq!(
            expand(&compress(&ticks), &Bindings::default()).unwrap(),
            ticks
        );
    }

    #[test]
    fn defuse_and_replace() {
        assert_eq!(defuse("a{{{b}}"), "a{b}}");
        assert_eq!(replace_char("abc", 4, '!'), "a!c");
        assert_eq!(replace_char("", 0, '!'), "!");
    }
}
