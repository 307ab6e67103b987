//! `explain`: what the suite believes about one requirement, and why: its statement, the texts
//! real Cognito was seen to answer, every piece of evidence with what its source shows, and the
//! sources themselves.

use clap::Args;

use super::{CliError, Outcome};
use crate::contract::Registry;
use crate::contract::backlog::Backlog;
use crate::contract::registry::render_requirement;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A requirement id (`attribute.immutable`), as `list` and every report show them; with
    /// none, every id with its title.
    pub id: Option<String>,
}

pub fn explain(a: ExplainArgs, out: &mut dyn std::io::Write) -> Result<Outcome, CliError> {
    let registry = Registry::get();
    let write = |out: &mut dyn std::io::Write, text: &str| {
        out.write_all(text.as_bytes()).map_err(CliError::Stdout)
    };
    let Some(id) = a.id else {
        for r in &registry.requirements {
            write(out, &format!("{:<48} {}\n", r.id, r.title))?;
        }
        return Ok(Outcome::Conformant);
    };
    let Some(r) = registry.requirement(&id) else {
        return Err(CliError::Usage(format!(
            "unknown requirement `{id}`: `explain` with no id lists them all"
        )));
    };
    write(out, &render_requirement(r, registry))?;
    let mut cited: Vec<&str> = r.evidence.iter().map(|e| e.source.as_str()).collect();
    cited.dedup();
    for s in cited.iter().filter_map(|id| registry.sources.get(*id)) {
        write(
            out,
            &format!(
                "source {}: {} — {} ({}, {}; {}; real Cognito: {}, {})\n",
                s.id,
                s.address,
                s.title,
                s.kind,
                s.date,
                s.verified,
                s.real_cognito,
                s.real_cognito_why
            ),
        )?;
        for sh in &s.shows {
            let mut what = sh.operation.clone();
            if let Some(st) = sh.status {
                what.push_str(&format!(" {st}"));
            }
            if let Some(t) = &sh.error_type {
                what.push_str(&format!(" {t}"));
            }
            if let Some(t) = &sh.text {
                what.push_str(&format!(" {t:?}"));
            }
            write(out, &format!("  - {what}: {}\n", sh.context))?;
        }
    }
    if let Ok(backlog) = Backlog::get() {
        for m in backlog.of(&r.id) {
            write(
                out,
                &format!(
                    "not checked yet on {}: {}: {} (missing because {})\n",
                    m.operation, m.case, m.sketch, m.why
                ),
            )?;
        }
    }
    write(
        out,
        &format!("cases that check it: cognito-conformance list --requirement {id}\n"),
    )?;
    Ok(Outcome::Conformant)
}
