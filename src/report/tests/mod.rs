//! Golden-file tests of every reporter, fed the same fixed event stream (`sample`).
//!
//! The expected outputs are committed under `src/report/testdata/`; run with
//! `UPDATE_GOLDEN=1` to rewrite them after an intended change, then review the diff.

mod files;
mod sample;
mod tally;
mod terminal;

use std::path::PathBuf;

/// Compare `actual` with the committed file `testdata/<name>`, or rewrite it under
/// `UPDATE_GOLDEN=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/report/testdata")
        .join(name);
    assert_golden_at(&path, actual);
}

/// Like [`assert_golden`] for a file anywhere in the crate.
fn assert_golden_at(path: &std::path::Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("committed", "actual")
            .to_string();
        panic!(
            "{} is out of date (rerun with UPDATE_GOLDEN=1 to rewrite it, then review the diff):\n{diff}",
            path.display()
        );
    }
}
