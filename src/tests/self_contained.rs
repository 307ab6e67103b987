//! The project owns its evidence: no file of the repository reads or links anything outside it.
//! A user who clones the repository must find every source, statement and reason in it, so a
//! reference to the sibling `shared` directory of the developers' machines,
//! or a Markdown link that leaves the repository or points at a missing file fails here.

use std::path::{Component, Path, PathBuf};

use regex::Regex;
use walkdir::WalkDir;

/// Directories that are not the project's own text: build output, installed emulators, reports
/// a run writes, and git's database.
const SKIPPED: &[&str] = &["target", ".emulators", "reports", ".git", "node_modules"];

/// The sibling directory no file may name, spelt so that this file does not name it either.
const SIBLING: &str = concat!("..", "/", "shared");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every text file of the project with its contents.
fn project_files() -> Vec<(PathBuf, String)> {
    let root = root();
    WalkDir::new(&root)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !SKIPPED
                    .iter()
                    .any(|s| e.depth() == 1 && e.file_name() == *s)
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.path().to_path_buf(), text))
        })
        .collect()
}

/// What in `text` reaches outside the repository (`file` is where it was read).
fn escapes(file: &Path, text: &str) -> Vec<String> {
    let sibling = Regex::new(r"\.\./shared\b").unwrap();
    let link = Regex::new(r"\]\(([^)\s#]+)(?:#[^)]*)?\)").unwrap();
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(m) = sibling.find(line) {
            found.push(format!("line {}: {}", n + 1, m.as_str()));
        }
    }
    if file.extension().is_some_and(|e| e == "md") {
        for c in link.captures_iter(text) {
            let target = &c[1];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = file.parent().unwrap().join(target);
            if !inside(&root(), &resolved) {
                found.push(format!("link {target} leaves the repository"));
            } else if !resolved.exists() {
                found.push(format!("link {target} points at a missing file"));
            }
        }
    }
    found
}

/// `path` (made of `..` and names) stays inside `root`.
fn inside(root: &Path, path: &Path) -> bool {
    let mut parts: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                parts.pop();
            }
            Component::CurDir => {}
            other => parts.push(other),
        }
    }
    parts.iter().collect::<PathBuf>().starts_with(root)
}

#[test]
fn no_file_of_the_project_reaches_outside_the_repository() {
    let files = project_files();
    assert!(files.len() > 100, "walked only {} files", files.len());
    let me = Path::new(file!()).file_name().unwrap();
    let problems: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.file_name() != Some(me))
        .flat_map(|(path, text)| {
            let shown = path
                .strip_prefix(root())
                .unwrap_or(path)
                .display()
                .to_string();
            escapes(path, text)
                .into_iter()
                .map(move |p| format!("{shown}: {p}"))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_sibling_path_and_an_escaping_link_are_caught() {
    let readme = root().join("README.md");
    let found = escapes(
        &readme,
        &format!(
            "see {SIBLING}/contract/evidence.md\n[x](../elsewhere.md) [y](docs/nope.md) [z](docs/contract.md) [w](https://example.com)"
        ),
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains(SIBLING));
    assert!(found[1].contains("leaves the repository"));
    assert!(found[2].contains("missing file"));
}
