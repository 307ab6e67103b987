//! The catalogue: every fixture case and every generated property, and the selection of a run
//! (id globs, fixtures and/or properties). Part of the library's facade.

use std::path::{Path, PathBuf};

use crate::case::{Case, LoadError, load_dir};
use crate::partition::Partition;
use crate::property::{self, Property};

/// Which parts of the catalogue to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The fixture files.
    pub fixtures: bool,
    /// The generated properties.
    pub generated: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            fixtures: true,
            generated: true,
        }
    }
}

/// A selection could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SelectError {
    /// The fixtures could not be loaded.
    #[error("cannot load the fixtures from {dir}")]
    Load {
        /// The directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: LoadError,
    },
    /// A `--filter` glob is not a glob.
    #[error("invalid filter glob {glob:?}")]
    Glob {
        /// The glob.
        glob: String,
        /// Why.
        #[source]
        source: globset::Error,
    },
    /// No case matches the filters.
    #[error("no case id matches the filter {}", .0.join(", "))]
    NoMatch(Vec<String>),
}

/// Fixture cases and generated properties, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Fixture cases, sorted by id.
    pub cases: Vec<Case>,
    /// Generated properties.
    pub properties: Vec<Property>,
}

impl Catalogue {
    /// The fixtures directory shipped with this crate.
    pub fn builtin_fixtures() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
    }

    /// Load the parts of the catalogue asked for: the fixtures under `dir`, and the
    /// properties derived from the service model.
    pub fn load(dir: &Path, parts: Parts) -> Result<Catalogue, SelectError> {
        let cases = if parts.fixtures {
            load_dir(dir).map_err(|source| SelectError::Load {
                dir: dir.to_path_buf(),
                source,
            })?
        } else {
            Vec::new()
        };
        let properties = if parts.generated {
            property::catalogue()
        } else {
            Vec::new()
        };
        Ok(Catalogue { cases, properties })
    }

    /// Keep the cases and properties whose id matches one of the globs (`*` crosses `/`); no
    /// glob keeps everything, and a selection that keeps nothing is an error.
    pub fn select(self, filters: &[String]) -> Result<Catalogue, SelectError> {
        if filters.is_empty() {
            return Ok(self);
        }
        let mut builder = globset::GlobSetBuilder::new();
        for f in filters {
            let glob = globset::GlobBuilder::new(f)
                .literal_separator(false)
                .build()
                .map_err(|source| SelectError::Glob {
                    glob: f.clone(),
                    source,
                })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|source| SelectError::Glob {
            glob: filters.join(", "),
            source,
        })?;
        let picked = Catalogue {
            cases: self
                .cases
                .into_iter()
                .filter(|c| set.is_match(&c.id))
                .collect(),
            properties: self
                .properties
                .into_iter()
                .filter(|p| set.is_match(&p.id))
                .collect(),
        };
        if picked.is_empty() {
            return Err(SelectError::NoMatch(filters.to_vec()));
        }
        Ok(picked)
    }

    /// Piece `p` of this selection (`run --partition`): fixtures and properties are dealt
    /// together, by id, so each piece gets its share of both.
    pub fn partition(self, p: Partition) -> Catalogue {
        let ids = self
            .cases
            .iter()
            .map(|c| c.id.as_str())
            .chain(self.properties.iter().map(|p| p.id.as_str()));
        let keep: std::collections::HashSet<usize> = p.keep(ids).into_iter().collect();
        let n = self.cases.len();
        Catalogue {
            cases: self
                .cases
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, c)| c)
                .collect(),
            properties: self
                .properties
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(&(n + i)))
                .map(|(_, p)| p)
                .collect(),
        }
    }

    /// Only the parts asked for (the rest is dropped).
    pub fn only(self, parts: Parts) -> Catalogue {
        Catalogue {
            cases: if parts.fixtures {
                self.cases
            } else {
                Vec::new()
            },
            properties: if parts.generated {
                self.properties
            } else {
                Vec::new()
            },
        }
    }

    /// Every case and property id in it.
    pub fn ids(&self) -> std::collections::BTreeSet<String> {
        self.cases
            .iter()
            .map(|c| c.id.clone())
            .chain(self.properties.iter().map(|p| p.id.clone()))
            .collect()
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && self.properties.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_select_cases_and_properties_alike() {
        let all = Catalogue::load(&Catalogue::builtin_fixtures(), Parts::default()).unwrap();
        let n = all.cases.len();
        let picked = all
            .clone()
            .select(&[
                "delete-user/token/*".into(),
                "generated/delete-user/*".into(),
            ])
            .unwrap();
        assert!(!picked.cases.is_empty() && picked.cases.len() < n);
        assert!(
            picked
                .cases
                .iter()
                .all(|c| c.id.starts_with("delete-user/token/")
                    || c.id.starts_with("generated/delete-user/"))
        );
        assert!(!picked.properties.is_empty());
        assert!(matches!(
            all.clone().select(&["nothing/*".into()]),
            Err(SelectError::NoMatch(_))
        ));
        assert!(matches!(
            all.select(&["[".into()]),
            Err(SelectError::Glob { .. })
        ));
    }

    #[test]
    fn partitions_deal_fixtures_and_properties_into_disjoint_pieces() {
        let all = Catalogue::load(&Catalogue::builtin_fixtures(), Parts::default()).unwrap();
        let ids = |c: &Catalogue| -> Vec<String> {
            c.cases
                .iter()
                .map(|c| c.id.clone())
                .chain(c.properties.iter().map(|p| p.id.clone()))
                .collect()
        };
        let mut union: Vec<String> = Vec::new();
        for k in 1..=3 {
            let piece = all.clone().partition(format!("{k}/3").parse().unwrap());
            assert!(!piece.cases.is_empty() && !piece.properties.is_empty());
            union.extend(ids(&piece));
        }
        let mut whole = ids(&all);
        whole.sort();
        union.sort();
        assert_eq!(union, whole, "the pieces are the whole, each case once");
    }
}
