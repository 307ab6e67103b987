//! `list`: the catalogue (fixtures and generated properties), filtered like `run`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::catalogue::{Catalogue, Parts};

#[derive(Debug, Args, Default)]
pub struct ListArgs {
    /// Fixtures directory (default: ./fixtures, else the crate's own).
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Only cases whose id matches this glob (repeatable), e.g. 'update-user-attributes/schema/*'.
    #[arg(long, short = 'f', value_name = "GLOB")]
    pub filter: Vec<String>,
    /// Only cases that cite this requirement id (repeatable), e.g. 'attribute.immutable'.
    #[arg(long, short = 'r', value_name = "ID")]
    pub requirement: Vec<String>,
    /// Print one JSON object per case.
    #[arg(long)]
    pub json: bool,
    /// Leave out the generated properties.
    #[arg(long)]
    pub no_generated: bool,
}

pub fn list(a: ListArgs) -> Result<Outcome, CliError> {
    let parts = Parts {
        fixtures: true,
        generated: !a.no_generated,
    };
    let Catalogue {
        mut cases,
        mut properties,
    } = select(a.fixtures, &a.filter, parts)?;
    if !a.requirement.is_empty() {
        let registry = crate::contract::Registry::get();
        if let Some(unknown) = a
            .requirement
            .iter()
            .find(|id| registry.requirement(id).is_none())
        {
            return Err(CliError::Usage(format!(
                "unknown requirement `{unknown}`: `explain` with no id lists them all"
            )));
        }
        let wanted = |id: &str| a.requirement.iter().any(|w| w == id);
        cases.retain(|c| c.requirements.iter().any(|r| wanted(r)));
        properties.retain(|p| p.requirements.iter().any(|r| wanted(r)));
    }
    let mut out = crate::stdout::stdout().lock();
    for c in &cases {
        if a.json {
            let line = serde_json::json!({"id": c.id, "operation": c.operation(), "group": c.group(),
                "title": c.title, "requirements": c.requirements, "evidence": c.evidence().0,
                "needs": c.needs});
            writeln!(out, "{line}").map_err(CliError::Stdout)?;
        } else {
            writeln!(
                out,
                "{:<70} {}  [{}]",
                c.id,
                c.title,
                c.requirements.join(", ")
            )
            .map_err(CliError::Stdout)?;
        }
    }
    for p in &properties {
        if a.json {
            let ids: Vec<String> = p.requirements.iter().map(|s| s.to_string()).collect();
            let line = serde_json::json!({"id": p.id, "operation": p.operation, "group": "generated",
                "title": p.title, "requirements": ids, "evidence": crate::case::evidence_of(&ids).0,
                "needs": [], "property": true});
            writeln!(out, "{line}").map_err(CliError::Stdout)?;
        } else {
            writeln!(
                out,
                "{:<70} {}  [property; {}]",
                p.id,
                p.title,
                p.requirements.join(", ")
            )
            .map_err(CliError::Stdout)?;
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
pub fn select(
    dir: Option<PathBuf>,
    filters: &[String],
    parts: Parts,
) -> Result<Catalogue, CliError> {
    let dir = super::fixtures_dir(dir);
    Ok(Catalogue::load(&dir, parts)?.select(filters)?)
}
