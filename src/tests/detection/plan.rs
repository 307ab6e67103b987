//! What the mutation test does with each requirement of the registry: break it and run the
//! cases that cite it, or say why not (no case cites it yet; it cannot be broken alone).

use std::collections::BTreeMap;

use crate::catalogue::Catalogue;
use crate::contract::backlog::Backlog;
use crate::contract::{Registry, Requirement};
use crate::reference::{Break, BreakError};

/// The plan for one requirement.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// Break it and run the cases that cite it: one of them must go red.
    Break {
        /// The break.
        brk: Break,
        /// The ids of the fixtures and properties that cite it.
        cited: Vec<String>,
    },
    /// No fixture or property cites it yet. The moment one does, it must catch the break (or,
    /// without a break, the requirement must say why it cannot be broken).
    NoCase {
        /// Its break, if it has one already.
        brk: Option<Break>,
        /// The cases `contract/backlog/` plans for it (`Operation: case`).
        planned: Vec<String>,
    },
    /// It cannot be broken alone: the registry's `unbreakable` says why.
    Unbreakable,
    /// Cases cite it, but it has no break and no reason: a failure.
    Unexplained {
        /// The ids of the cases that cite it.
        cited: Vec<String>,
    },
}

/// The plan for every requirement, in registry order.
pub(crate) fn plan<'r>(registry: &'r Registry, all: &Catalogue) -> Vec<(&'r Requirement, Plan)> {
    let planned = backlog_missing();
    registry
        .requirements
        .iter()
        .map(|r| {
            let cited = cited_by(all, &r.id);
            let brk = match Break::of(&r.id) {
                Ok(b) => Some(b),
                Err(BreakError::NotBreakable { .. }) => None,
                Err(e) => unreachable!("a registry id is always known: {e}"),
            };
            let plan = match (brk, cited.is_empty(), &r.unbreakable) {
                (Some(brk), false, _) => Plan::Break { brk, cited },
                (brk, true, _) => Plan::NoCase {
                    brk,
                    planned: planned.get(&r.id).cloned().unwrap_or_default(),
                },
                (None, false, Some(_)) => Plan::Unbreakable,
                (None, false, None) => Plan::Unexplained { cited },
            };
            (r, plan)
        })
        .collect()
}

/// The ids of the fixtures and properties that cite requirement `id`.
pub(crate) fn cited_by(all: &Catalogue, id: &str) -> Vec<String> {
    let cases = all
        .cases
        .iter()
        .filter(|c| c.requirements.iter().any(|r| r == id))
        .map(|c| c.id.clone());
    let properties = all
        .properties
        .iter()
        .filter(|p| p.requirements.contains(&id))
        .map(|p| p.id.clone());
    cases.chain(properties).collect()
}

/// The part of `all` whose ids are in `ids`.
pub(crate) fn only(all: &Catalogue, ids: &[String]) -> Catalogue {
    Catalogue {
        cases: all
            .cases
            .iter()
            .filter(|c| ids.contains(&c.id))
            .cloned()
            .collect(),
        properties: all
            .properties
            .iter()
            .filter(|p| ids.contains(&p.id))
            .cloned()
            .collect(),
    }
}

/// `requirement -> ["Operation: case", ...]` from the backlog (`contract/backlog/`; empty when
/// it does not parse, which its own unit test reports: it only adds detail here).
fn backlog_missing() -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in Backlog::get()
        .map(|b| b.missing.as_slice())
        .unwrap_or_default()
    {
        out.entry(m.requirement.clone())
            .or_default()
            .push(format!("{}: {}", m.operation, m.case));
    }
    out
}
