//! The catalogue's backlog: requirement and operation pairs no case checks yet, each with the
//! case it should get, a sketch of it and why it is not written yet (`contract/backlog/`,
//! one file per operation below `contract/backlog/`, compiled in). Together with the cases it accounts for every pair the registry names: a
//! test (`src/tests/coverage.rs`) fails for a pair that is neither covered nor listed here, and
//! for an entry whose case exists, so the list cannot rot. `explain ID` shows the entries of a
//! requirement; `docs/coverage.md` is rendered from cases and backlog together.

use std::sync::LazyLock;

use serde::Deserialize;

/// The backlog files, one per operation that has entries (a unit test checks that every file of
/// the directory is listed here).
const FILES: &[(&str, &str)] = &[
    (
        "add-custom-attributes.toml",
        include_str!("../../contract/backlog/add-custom-attributes.toml"),
    ),
    (
        "admin-delete-user-attributes.toml",
        include_str!("../../contract/backlog/admin-delete-user-attributes.toml"),
    ),
    (
        "admin-update-user-attributes.toml",
        include_str!("../../contract/backlog/admin-update-user-attributes.toml"),
    ),
    (
        "get-user-attribute-verification-code.toml",
        include_str!("../../contract/backlog/get-user-attribute-verification-code.toml"),
    ),
    (
        "update-user-attributes.toml",
        include_str!("../../contract/backlog/update-user-attributes.toml"),
    ),
];

/// A case the catalogue still lacks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Missing {
    /// The requirement id.
    pub requirement: String,
    /// The operation (API name).
    pub operation: String,
    /// The case it should get: a path below `fixtures/<operation-dir>/`, without `.toml`.
    pub case: String,
    /// What the case does, in the fixture vocabulary.
    pub sketch: String,
    /// Why it is not written yet.
    pub why: String,
}

/// Every missing case, in file order.
#[derive(Debug, Deserialize)]
pub struct Backlog {
    /// The entries.
    #[serde(default)]
    pub missing: Vec<Missing>,
}

static PARSED: LazyLock<Result<Backlog, String>> = LazyLock::new(|| {
    let mut missing = Vec::new();
    for (name, text) in FILES {
        let file: Backlog =
            toml::from_str(text).map_err(|e| format!("contract/backlog/{name}: {e}"))?;
        missing.extend(file.missing);
    }
    Ok(Backlog { missing })
});

impl Backlog {
    /// The backlog compiled into the binary (empty, with the error, if the file is invalid: a
    /// unit test fails then, so a release never carries one).
    pub fn get() -> Result<&'static Backlog, &'static str> {
        PARSED.as_ref().map_err(String::as_str)
    }

    /// The entries of one requirement.
    pub fn of<'a>(&'a self, requirement: &'a str) -> impl Iterator<Item = &'a Missing> + 'a {
        self.missing
            .iter()
            .filter(move |m| m.requirement == requirement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Model, Registry};

    #[test]
    fn the_backlog_parses_and_names_known_requirements_and_operations() {
        let backlog = Backlog::get().unwrap();
        let registry = Registry::get();
        for m in &backlog.missing {
            let r = registry
                .requirement(&m.requirement)
                .unwrap_or_else(|| panic!("backlog names unknown requirement {}", m.requirement));
            assert!(
                r.operations.contains(&m.operation),
                "{} does not apply to {}",
                m.requirement,
                m.operation
            );
            assert!(Model::get().operation(&m.operation).is_some());
            assert!(!m.why.trim().is_empty() && !m.sketch.trim().is_empty());
        }
    }

    #[test]
    fn every_backlog_file_is_compiled_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contract/backlog");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                FILES.iter().any(|(n, _)| *n == name),
                "contract/backlog/{name} is not listed in FILES"
            );
        }
    }
}
