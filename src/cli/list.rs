//! `list`: the catalogue (fixtures and generated properties), filtered like `run`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Outcome;
use cognito_conformance::case::{Case, load_dir};
use cognito_conformance::property::{self, Property};

#[derive(Debug, Args, Default)]
pub struct ListArgs {
    /// Fixtures directory (default: ./fixtures, else the crate's own).
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Only cases whose id matches this glob (repeatable), e.g. 'update-user-attributes/schema/*'.
    #[arg(long, short = 'f', value_name = "GLOB")]
    pub filter: Vec<String>,
    /// Print one JSON object per case.
    #[arg(long)]
    pub json: bool,
    /// Leave out the generated properties.
    #[arg(long)]
    pub no_generated: bool,
}

/// Which parts of the catalogue a command wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The fixture files.
    pub fixtures: bool,
    /// The generated properties.
    pub generated: bool,
}

/// Fixtures and properties selected by the filters.
#[derive(Debug)]
pub struct Selection {
    /// Fixture cases.
    pub cases: Vec<Case>,
    /// Properties.
    pub properties: Vec<Property>,
}

pub fn list(a: ListArgs) -> anyhow::Result<Outcome> {
    let parts = Parts {
        fixtures: true,
        generated: !a.no_generated,
    };
    let Selection { cases, properties } = select(a.fixtures, &a.filter, parts)?;
    for c in &cases {
        if a.json {
            let line = serde_json::json!({"id": c.id, "operation": c.operation(), "group": c.group(),
                "title": c.title, "evidence": c.evidence.level, "needs": c.needs});
            println!("{line}");
        } else {
            println!("{:<70} {}", c.id, c.title);
        }
    }
    for p in &properties {
        if a.json {
            let line = serde_json::json!({"id": p.id, "operation": p.operation, "group": "generated",
                "title": p.title, "evidence": p.evidence_level, "needs": [], "property": true});
            println!("{line}");
        } else {
            println!("{:<70} {} [property]", p.id, p.title);
        }
    }
    eprintln!(
        "{} case(s), {} generated propert{}",
        cases.len(),
        properties.len(),
        if properties.len() == 1 { "y" } else { "ies" }
    );
    Ok(Outcome::Conformant)
}

/// Load the catalogue and apply the id globs to fixtures and properties alike; no match at
/// all is an error.
pub fn select(dir: Option<PathBuf>, filters: &[String], parts: Parts) -> anyhow::Result<Selection> {
    let cases = if parts.fixtures {
        let dir = super::fixtures_dir(dir);
        load_dir(&dir).with_context(|| format!("loading fixtures from {}", dir.display()))?
    } else {
        Vec::new()
    };
    let properties = if parts.generated {
        property::catalogue()
    } else {
        Vec::new()
    };
    if filters.is_empty() {
        return Ok(Selection { cases, properties });
    }
    let mut builder = globset::GlobSetBuilder::new();
    for f in filters {
        let glob = globset::GlobBuilder::new(f)
            .literal_separator(false)
            .build()
            .with_context(|| format!("invalid --filter glob {f:?}"))?;
        builder.add(glob);
    }
    let set = builder.build().context("building the --filter globs")?;
    let picked = Selection {
        cases: cases.into_iter().filter(|c| set.is_match(&c.id)).collect(),
        properties: properties
            .into_iter()
            .filter(|p| set.is_match(&p.id))
            .collect(),
    };
    anyhow::ensure!(
        !picked.cases.is_empty() || !picked.properties.is_empty(),
        "no case id matches --filter {}",
        filters.join(", ")
    );
    Ok(picked)
}
