//! `--save-failures`: the minimal failing call of a property written as a regression fixture,
//! `fixtures/generated/<operation>/<what-the-contract-says>-<hash>.toml`.
//!
//! The file is checked with the catalogue's own loader before it is written, so it is always a
//! valid fixture; its expectation is the contract model's, which the embedded reference
//! implements, so it passes there and keeps failing on the target until the target is fixed.

use std::path::{Path, PathBuf};

use super::{Property, Settings};
use crate::case::Fixture;
use crate::case::fixture::OneOrMany;
use crate::case::load::parse_case;
use crate::case::{GENERATED_DIR, operation_dir};
use crate::text::compress;

/// A failure could not be saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The fixture could not be serialised.
    #[error("cannot write the fixture as TOML: {0}")]
    Toml(String),
    /// The loader refuses the generated fixture (a bug in the generator).
    #[error("the generated fixture does not load: {0}")]
    Invalid(String),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

/// Longest strict message kept in a saved fixture.
const LONGEST_MESSAGE: usize = 4096;

/// Write the failing call (as `fixture`, named after `label`: what it tests) under `dir` (the
/// `fixtures/generated` directory); `history` lists the calls that led to it (one line each).
/// Returns the path.
pub fn save(
    dir: &Path,
    prop: &Property,
    settings: &Settings,
    fixture: &Fixture,
    label: &str,
    history: &[&str],
) -> Result<PathBuf, SaveError> {
    let mut fixture = fixture.clone();
    fixture.when.raw_body = fixture.when.raw_body.as_deref().map(compress);
    for v in fixture.given.user.attributes.values_mut() {
        *v = compress(v);
    }
    // A message echoing a value of the model's largest size is 256 KiB of text in every
    // report of a target that differs; the contract tier (status, error type, state) is
    // what such a case is about.
    for o in &mut fixture.then.outcomes {
        o.strict.message = o
            .strict
            .message
            .take()
            .filter(|m| {
                m.as_slice()
                    .iter()
                    .all(|m| m.chars().count() <= LONGEST_MESSAGE)
            })
            .map(|m| match m {
                OneOrMany::One(m) => OneOrMany::One(compress(&m)),
                OneOrMany::Many(v) => OneOrMany::Many(v.iter().map(|m| compress(m)).collect()),
            });
        if let Some(crate::case::fixture::StateExpectation::Attributes(a)) = &mut o.state {
            for v in a.attributes.values_mut() {
                *v = compress(v);
            }
        }
    }
    let body = toml::to_string_pretty(&fixture).map_err(|e| SaveError::Toml(e.to_string()))?;
    let op_dir = fixture.when.operation.dir();
    let label = label_of(label);
    let name = format!("{label}-{:08x}", fnv(&body) as u32);
    let mut header = format!(
        "# Saved by `cognito-conformance run --save-failures`: the minimal failing call of property\n# {} (seed {}, {} cases{}).\n",
        prop.id,
        settings.seed,
        settings.cases,
        if settings.target_flags.is_empty() {
            String::new()
        } else {
            format!(", target options:{}", settings.target_flags)
        }
    );
    if !history.is_empty() {
        header.push_str("# It followed these calls of the same case (the given below is the state they left):\n");
        for line in history {
            header.push_str(&format!("#   {}\n", one_line(line)));
        }
    }
    let text = format!("{header}\n{body}");
    let id = format!("{GENERATED_DIR}/{op_dir}/{name}");
    let path = dir.join(&op_dir).join(format!("{name}.toml"));
    parse_case(&path, &id, &text).map_err(|errs| {
        SaveError::Invalid(
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|source| SaveError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    std::fs::write(&path, text).map_err(|source| SaveError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// A file-name label: ASCII words, camelCase split, joined by `-`, at most 60 characters
/// (`userAttributes.1.member.name: pattern` -> `user-attributes-1-member-name-pattern`).
fn label_of(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(operation_dir)
        .collect();
    let mut out = words.join("-");
    out.truncate(60);
    out.trim_end_matches('-').to_string()
}

/// Control characters escaped, so a comment stays one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_file_names() {
        assert_eq!(
            label_of("userAttributes.1.member.name: pattern"),
            "user-attributes-1-member-name-pattern"
        );
        assert_eq!(label_of("immutable"), "immutable");
    }
}
