//! Golden snapshots: one insta `.snap` file per case under `snapshots/`, its path mirroring
//! the fixture's (`fixtures/delete-user/token/expired.toml` ->
//! `snapshots/delete-user/token/expired.snap`).
//!
//! The files are insta's format (a YAML header between `---` lines, then the content), so
//! `cargo insta review` can accept or reject pending `.snap.new` files written by `record` or by
//! `cargo test`. The runner reads them itself: comparing an emulator's exchange with the golden
//! happens at run time, outside any test harness. Each golden records its provenance in the
//! header's `info`: `model` (written from the embedded reference: the suite's model of Cognito,
//! with the requirements the case checks; not a recording of Cognito) or `recorded` from real
//! Cognito (region, date). Reports say which, so a difference from a model golden reads as a
//! difference from the suite's model, not from Cognito.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use similar::TextDiff;

use crate::check::Mismatch;

/// Where a golden came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provenance", rename_all = "kebab-case")]
pub enum Provenance {
    /// Written from the embedded reference: the suite's model of Cognito, built from the
    /// requirement registry. Not a recording of Cognito.
    Model {
        /// The requirements the case checks, with their evidence level (`attribute.immutable
        /// (observed)`).
        requirements: String,
    },
    /// Recorded from real Amazon Cognito.
    Recorded {
        /// AWS region.
        region: String,
        /// UTC date of the recording (`YYYY-MM-DD`).
        date: String,
    },
}

impl Provenance {
    /// A golden written from the reference for a case checking these requirements.
    pub fn model(requirements: &[String]) -> Provenance {
        let registry = crate::contract::Registry::get();
        let shown: Vec<String> = requirements
            .iter()
            .map(|id| match registry.requirement(id) {
                Some(r) => format!("{id} ({})", r.level().label()),
                None => id.clone(),
            })
            .collect();
        Provenance::Model {
            requirements: shown.join(", "),
        }
    }

    /// One line for reports.
    pub fn describe(&self) -> String {
        match self {
            Provenance::Model { requirements } => format!(
                "the suite's model of Cognito (written from the embedded reference; requirements {requirements}), not a recording of Cognito"
            ),
            Provenance::Recorded { region, date } => {
                format!("recorded from real Cognito ({region}, {date})")
            }
        }
    }
}

/// The `info` block of a golden's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// The case id.
    pub case: String,
    /// Where the content came from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A golden snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Golden {
    /// Header metadata.
    pub info: Info,
    /// The case title (insta's `description`).
    pub description: String,
    /// The normalized exchange (YAML).
    pub content: String,
}

/// A golden file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GoldenError {
    /// Reading a golden failed.
    #[error("cannot read golden snapshot {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Writing a golden (or its `.snap.new`) failed.
    #[error("cannot write golden snapshot {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The goldens directory does not exist: every comparison would silently find nothing.
    #[error(
        "golden snapshots directory {path} does not exist; give an existing one with --snapshots DIR, or --no-snapshots to run without goldens"
    )]
    NoDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// The goldens directory is a file (or something else).
    #[error(
        "golden snapshots directory {path} is not a directory; give one with --snapshots DIR, or --no-snapshots to run without goldens"
    )]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// Not an insta snapshot with our header.
    #[error("{path}: not a golden snapshot: {why}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
}

#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    info: Option<Info>,
}

#[derive(Serialize)]
struct HeaderOut<'a> {
    source: &'a str,
    description: &'a str,
    info: &'a Info,
}

impl Golden {
    /// Parse a `.snap` file's text.
    pub fn parse(path: &Path, text: &str) -> Result<Golden, GoldenError> {
        let bad = |why: &str| GoldenError::Malformed {
            path: path.to_path_buf(),
            why: why.to_string(),
        };
        let text = text.replace("\r\n", "\n");
        let rest = text
            .strip_prefix("---\n")
            .ok_or_else(|| bad("the first line must be `---`"))?;
        let (header, content) = rest
            .split_once("\n---\n")
            .ok_or_else(|| bad("no `---` line closing the header"))?;
        let h: Header = serde_saphyr::from_str(header).map_err(|e| bad(&format!("header: {e}")))?;
        let info = h
            .info
            .ok_or_else(|| bad("the header has no `info` (case and provenance)"))?;
        Ok(Golden {
            info,
            description: h.description.unwrap_or_default(),
            content: content.trim_end().to_string(),
        })
    }

    /// The file text, in insta's format (`source` names the writer).
    pub fn to_file(&self, source: &str) -> String {
        let header = serde_saphyr::to_string(&HeaderOut {
            source,
            description: &self.description,
            info: &self.info,
        })
        .unwrap_or_default();
        format!("---\n{}---\n{}\n", header, self.content.trim_end())
    }

    /// Compare an observed exchange (rendered the same way) with this golden: `None` when
    /// they agree, otherwise a strict-tier mismatch carrying a unified diff.
    pub fn compare(&self, observed: &str) -> Option<Mismatch> {
        let expected = self.content.trim_end();
        let actual = observed.replace("\r\n", "\n");
        let actual = actual.trim_end();
        if expected == actual {
            return None;
        }
        let diff = TextDiff::from_lines(expected, actual);
        let changed = diff
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .count();
        let unified = diff
            .unified_diff()
            .context_radius(2)
            .header("golden", "observed")
            .to_string();
        let mut m = Mismatch::strict(
            "snapshot",
            format!("the golden exchange, {}", self.info.provenance.describe()),
            format!("{changed} line(s) differ"),
        );
        m.diff = Some(unified);
        // A golden written from the reference is the suite's model: its details are guesses
        // wherever the registry has no capture (the report says which requirements it models).
        m.guess = matches!(self.info.provenance, Provenance::Model { .. });
        Some(m)
    }
}

/// The `actual` of the mismatch of a case without a golden.
pub const MISSING_GOLDEN: &str = "no golden snapshot for this case";

/// The golden snapshots of a catalogue.
#[derive(Debug, Clone)]
pub struct GoldenStore {
    root: PathBuf,
}

impl GoldenStore {
    /// Goldens under `root` (usually `snapshots/`).
    pub fn new(root: impl Into<PathBuf>) -> GoldenStore {
        GoldenStore { root: root.into() }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The golden's path for a case id (`delete-user/token/expired`).
    pub fn path(&self, id: &str) -> PathBuf {
        self.root.join(format!("{id}.snap"))
    }

    /// The pending file `record` and insta write when content changes.
    pub fn pending_path(&self, id: &str) -> PathBuf {
        self.root.join(format!("{id}.snap.new"))
    }

    /// The golden of a case, if there is one.
    pub fn load(&self, id: &str) -> Result<Option<Golden>, GoldenError> {
        let path = self.path(id);
        match std::fs::read_to_string(&path) {
            Ok(text) => Golden::parse(&path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(GoldenError::Io { path, source }),
        }
    }

    /// Write a golden: to the `.snap` itself when `accept`, else to `.snap.new` for review.
    /// Returns the path written.
    pub fn write(
        &self,
        golden: &Golden,
        accept: bool,
        source: &str,
    ) -> Result<PathBuf, GoldenError> {
        let id = &golden.info.case;
        let path = if accept {
            self.path(id)
        } else {
            self.pending_path(id)
        };
        let io = |source| GoldenError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // Whole or not at all: an interrupted `record` never leaves half a golden.
        crate::fsio::write_atomic(&path, golden.to_file(source)).map_err(io)?;
        if accept {
            // An accepted golden supersedes anything pending.
            let _ = std::fs::remove_file(self.pending_path(id));
        }
        Ok(path)
    }
}

/// The goldens of the cases a run executes, loaded (and checked) before it starts.
///
/// Loaded for a set of case ids (the fixture cases), they are "in use": a case among those ids
/// without a golden gets a strict-tier mismatch from [`Goldens::compare_or_missing`], so it
/// is `non-strict`, never a silent `pass`. Ids outside the set (generated properties, which
/// have no golden) are never flagged, and [`Goldens::none`] compares nothing.
#[derive(Debug, Clone, Default)]
pub struct Goldens {
    by_id: std::collections::BTreeMap<String, Golden>,
    /// The ids the goldens were loaded for.
    expected: std::collections::BTreeSet<String>,
    /// Where they were loaded from (for the missing-golden message).
    root: Option<PathBuf>,
}

impl Goldens {
    /// No goldens: nothing is compared, nothing is reported missing.
    pub fn none() -> Goldens {
        Goldens::default()
    }

    /// Load the goldens of `ids` (the fixture cases about to run) from `store`, before any
    /// case runs. The directory must exist ([`GoldenError::NoDirectory`] otherwise); a
    /// malformed golden, or one filed under another case, is an error. A case without a golden
    /// is not an error here: [`Goldens::compare_or_missing`] reports it.
    pub fn load<'a>(
        store: &GoldenStore,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Goldens, GoldenError> {
        let root = store.root();
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(GoldenError::NotADirectory { path: root.into() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(GoldenError::NoDirectory { path: root.into() });
            }
            Err(source) => {
                return Err(GoldenError::Io {
                    path: root.into(),
                    source,
                });
            }
        }
        let mut by_id = std::collections::BTreeMap::new();
        let mut expected = std::collections::BTreeSet::new();
        for id in ids {
            expected.insert(id.to_string());
            if let Some(g) = store.load(id)? {
                if g.info.case != id {
                    return Err(GoldenError::Malformed {
                        path: store.path(id),
                        why: format!("its `info.case` is `{}`, not `{id}`", g.info.case),
                    });
                }
                by_id.insert(id.to_string(), g);
            }
        }
        Ok(Goldens {
            by_id,
            expected,
            root: Some(root.into()),
        })
    }

    /// [`Goldens::load`] from the default directory (`snapshots/` beside the fixtures), which
    /// may legitimately be absent (fixtures of your own, with no goldens recorded): `None`
    /// then, so the caller can say that nothing is compared. Any other error is returned.
    pub fn load_if_present<'a>(
        store: &GoldenStore,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Option<Goldens>, GoldenError> {
        match Goldens::load(store, ids) {
            Ok(g) => Ok(Some(g)),
            Err(GoldenError::NoDirectory { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The golden of a case.
    pub fn get(&self, id: &str) -> Option<&Golden> {
        self.by_id.get(id)
    }

    /// Whether goldens are in use (loaded from a directory) rather than [`Goldens::none`].
    pub fn in_use(&self) -> bool {
        self.root.is_some()
    }

    /// What the runner compares a case's rendered exchange with: `None` when the golden agrees
    /// (or the case is not one goldens were loaded for, such as a generated property, or
    /// goldens are not in use); the diff as a strict-tier `snapshot` mismatch when it differs;
    /// and a strict-tier mismatch "no golden snapshot for this case" when the case was loaded
    /// for but has no golden, so it cannot pass unnoticed.
    pub fn compare_or_missing(&self, id: &str, rendered: &str) -> Option<Mismatch> {
        match self.by_id.get(id) {
            Some(g) => g.compare(rendered),
            None if self.expected.contains(id) => {
                let path = self
                    .root
                    .as_deref()
                    .map(|r| GoldenStore::new(r).path(id).display().to_string())
                    .unwrap_or_else(|| format!("{id}.snap"));
                Some(Mismatch::strict(
                    "snapshot",
                    format!(
                        "a golden snapshot at {path} (record one with `cognito-conformance record --filter {id}`)"
                    ),
                    MISSING_GOLDEN,
                ))
            }
            None => None,
        }
    }

    /// How many were loaded.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn golden() -> Golden {
        Golden {
            info: Info {
                case: "delete-user/token/expired".into(),
                provenance: Provenance::Model {
                    requirements: "token.expired (observed)".into(),
                },
            },
            description: "An expired token is rejected".into(),
            content: "response:\n  status: 400\n  message: Access Token has expired\n".into(),
        }
    }

    #[test]
    fn a_golden_survives_its_file_format() {
        let g = golden();
        let text = g.to_file("cognito-conformance record");
        assert!(
            text.starts_with("---\nsource: cognito-conformance record\n"),
            "{text}"
        );
        let back = Golden::parse(Path::new("x.snap"), &text).unwrap();
        assert_eq!(back.info, g.info);
        assert_eq!(back.description, g.description);
        assert_eq!(back.content, g.content.trim_end());
    }

    #[test]
    fn recorded_provenance_round_trips() {
        let mut g = golden();
        g.info.provenance = Provenance::Recorded {
            region: "eu-west-1".into(),
            date: "2026-11-22".into(),
        };
        let back = Golden::parse(Path::new("x.snap"), &g.to_file("t")).unwrap();
        assert_eq!(back.info.provenance, g.info.provenance);
        assert_eq!(
            back.info.provenance.describe(),
            "recorded from real Cognito (eu-west-1, 2026-11-22)"
        );
    }

    #[test]
    fn an_equal_exchange_is_no_mismatch_and_a_changed_one_is_a_strict_diff() {
        let g = golden();
        assert!(g.compare(&format!("{}\n\n", g.content)).is_none());
        let m = g
            .compare("response:\n  status: 400\n  message: Invalid Access Token\n")
            .unwrap();
        assert_eq!(m.tier, crate::check::Tier::Strict);
        assert_eq!(m.field, "snapshot");
        let diff = m.diff.unwrap();
        assert!(
            diff.contains("-  message: Access Token has expired"),
            "{diff}"
        );
        assert!(diff.contains("+  message: Invalid Access Token"), "{diff}");
        assert_eq!(m.actual, "2 line(s) differ");
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        let e = Golden::parse(Path::new("a.snap"), "status: 200\n").unwrap_err();
        assert!(e.to_string().contains("first line must be `---`"), "{e}");
        let e = Golden::parse(Path::new("a.snap"), "---\nsource: x\n---\nbody\n").unwrap_err();
        assert!(e.to_string().contains("no `info`"), "{e}");
    }

    #[test]
    fn paths_mirror_case_ids() {
        let s = GoldenStore::new("snapshots");
        assert_eq!(
            s.path("delete-user/token/expired"),
            Path::new("snapshots/delete-user/token/expired.snap")
        );
        assert_eq!(
            s.pending_path("a/b/c"),
            Path::new("snapshots/a/b/c.snap.new")
        );
    }

    #[test]
    fn write_then_load() {
        let dir = tempfile::tempdir().unwrap();
        let s = GoldenStore::new(dir.path());
        let g = golden();
        let pending = s.write(&g, false, "t").unwrap();
        assert!(pending.ends_with("expired.snap.new"));
        assert!(
            s.load(&g.info.case).unwrap().is_none(),
            "pending is not golden"
        );
        s.write(&g, true, "t").unwrap();
        assert!(!pending.exists(), "accepting removes the pending file");
        assert_eq!(
            s.load(&g.info.case).unwrap().unwrap().content,
            g.content.trim_end()
        );
        let all = Goldens::load(&s, ["delete-user/token/expired", "no/such/case"]).unwrap();
        assert_eq!(all.len(), 1);
    }

    #[test]
    fn a_golden_filed_under_another_case_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let s = GoldenStore::new(dir.path());
        let g = golden();
        let text = g.to_file("t");
        std::fs::create_dir_all(dir.path().join("x/y")).unwrap();
        std::fs::write(dir.path().join("x/y/z.snap"), text).unwrap();
        let e = Goldens::load(&s, ["x/y/z"]).unwrap_err();
        assert!(e.to_string().contains("not `x/y/z`"), "{e}");
    }

    #[test]
    fn a_missing_goldens_directory_is_an_error_before_any_case_runs() {
        let dir = tempfile::tempdir().unwrap();
        let missing = GoldenStore::new(dir.path().join("no/such/dir"));
        let e = Goldens::load(&missing, ["delete-user/token/expired"]).unwrap_err();
        assert!(matches!(e, GoldenError::NoDirectory { .. }), "{e}");
        let text = e.to_string();
        assert!(
            text.contains("no/such/dir does not exist") && text.contains("--no-snapshots"),
            "{text}"
        );
        // The default directory may be absent: then there is nothing to compare with.
        assert!(
            Goldens::load_if_present(&missing, ["a/b/c"])
                .unwrap()
                .is_none()
        );

        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let e = Goldens::load(&GoldenStore::new(&file), ["a/b/c"]).unwrap_err();
        assert!(matches!(e, GoldenError::NotADirectory { .. }), "{e}");
        assert!(
            Goldens::load_if_present(&GoldenStore::new(&file), ["a/b/c"]).is_err(),
            "a file where the directory should be is not absent"
        );
    }

    #[test]
    fn a_case_without_a_golden_is_a_strict_mismatch_never_a_silent_pass() {
        let dir = tempfile::tempdir().unwrap();
        let s = GoldenStore::new(dir.path());
        let g = golden();
        s.write(&g, true, "t").unwrap();
        let ids = ["delete-user/token/expired", "delete-user/token/unrecorded"];
        let goldens = Goldens::load(&s, ids).unwrap();
        assert!(goldens.in_use());

        // Has a golden: compared as before.
        assert!(goldens.compare_or_missing(ids[0], &g.content).is_none());
        let m = goldens.compare_or_missing(ids[0], "other\n").unwrap();
        assert!(m.diff.is_some());

        // Loaded for, but no golden: a strict-tier mismatch, so the case is non-strict.
        let m = goldens
            .compare_or_missing(ids[1], "anything")
            .expect("a missing golden must be reported");
        assert_eq!(m.tier, crate::check::Tier::Strict);
        assert_eq!(m.field, "snapshot");
        assert_eq!(m.actual, "no golden snapshot for this case");
        assert!(m.expected.contains("unrecorded.snap"), "{}", m.expected);
        assert!(m.expected.contains("record --filter"), "{}", m.expected);

        // A generated property (not among the ids) has no golden and is not flagged.
        assert!(
            goldens
                .compare_or_missing("generated/delete-user/access-token-pattern", "x")
                .is_none()
        );
        // No goldens in use: nothing is flagged.
        assert!(!Goldens::none().in_use());
        assert!(Goldens::none().compare_or_missing(ids[1], "x").is_none());
    }

    #[test]
    fn a_failed_golden_write_leaves_the_old_golden_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let s = GoldenStore::new(dir.path());
        let g = golden();
        let pending = s.pending_path(&g.info.case);
        std::fs::create_dir_all(&pending).unwrap();
        std::fs::write(pending.join("keep"), "old").unwrap();
        // `.snap.new` is a directory: the rename fails, the write reports the path.
        let e = s.write(&g, false, "t").unwrap_err();
        assert!(matches!(e, GoldenError::Write { .. }), "{e}");
        assert_eq!(
            e.to_string(),
            format!("cannot write golden snapshot {}", pending.display())
        );
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(std::fs::read(pending.join("keep")).unwrap(), b"old");
        let stray: Vec<_> = std::fs::read_dir(pending.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }

    #[test]
    fn goldens_are_replaced_never_written_into() {
        // A hard link to the old file sees any in-place write; an atomic replacement leaves it.
        let dir = tempfile::tempdir().unwrap();
        let s = GoldenStore::new(dir.path());
        let mut g = golden();
        s.write(&g, true, "t").unwrap();
        let path = s.path(&g.info.case);
        let old = std::fs::read(&path).unwrap();
        let witness = dir.path().join("witness");
        std::fs::hard_link(&path, &witness).unwrap();
        g.content = "response:\n  status: 200\n".into();
        s.write(&g, true, "t").unwrap();
        assert_eq!(
            s.load(&g.info.case).unwrap().unwrap().content,
            g.content.trim_end()
        );
        assert_eq!(std::fs::read(&witness).unwrap(), old);
    }
}
