//! `list`: the catalogue, filtered like `run`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Outcome;
use cognito_conformance::case::{Case, load_dir};

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
}

pub fn list(a: ListArgs) -> anyhow::Result<Outcome> {
    let cases = select(a.fixtures, &a.filter)?;
    for c in &cases {
        if a.json {
            let f = &c.fixture;
            let line = serde_json::json!({"id": c.id, "operation": c.operation(), "group": c.group(),
                "title": f.title, "evidence": f.evidence.level, "needs": f.needs});
            println!("{line}");
        } else {
            println!("{:<70} {}", c.id, c.fixture.title);
        }
    }
    eprintln!("{} case(s)", cases.len());
    Ok(Outcome::Conformant)
}

/// Load the catalogue and apply the id globs; no match is an error.
pub fn select(dir: Option<PathBuf>, filters: &[String]) -> anyhow::Result<Vec<Case>> {
    let dir = super::fixtures_dir(dir);
    let cases =
        load_dir(&dir).with_context(|| format!("loading fixtures from {}", dir.display()))?;
    if filters.is_empty() {
        return Ok(cases);
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
    let picked: Vec<Case> = cases.into_iter().filter(|c| set.is_match(&c.id)).collect();
    anyhow::ensure!(
        !picked.is_empty(),
        "no case id matches --filter {}",
        filters.join(", ")
    );
    Ok(picked)
}
