//! Every requirement is checked by a case or says why not. For each requirement of the registry
//! and each operation it names: a fixture whose request is that operation, or a property of that
//! operation, cites it; or `contract/backlog/` lists the pair with the case it should get and
//! why it is missing; or the requirement carries an `uncovered_reason` (nothing can check it).
//! A backlog entry whose case exists fails too, so the backlog shrinks as cases land.
//! `docs/coverage.md` is rendered here from the same data (`UPDATE_GOLDEN=1` rewrites it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::case::load_dir;
use crate::contract::Registry;
use crate::contract::backlog::Backlog;
use crate::property;
use crate::vocab::Operation;

/// `UpdateUserAttributes` -> `update-user-attributes`.
fn dir_of(operation: &str) -> String {
    let mut out = String::new();
    for (i, c) in operation.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// (requirement, operation) -> ids of the cases that check it.
fn covered() -> BTreeMap<(String, String), BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for case in load_dir(&root).expect("the fixtures load") {
        let ops: BTreeSet<&str> = case.steps.iter().map(|s| s.when.operation.name()).collect();
        for r in &case.requirements {
            for op in &ops {
                out.entry((r.clone(), op.to_string()))
                    .or_default()
                    .insert(case.id.clone());
            }
        }
    }
    for p in property::catalogue() {
        // A sequence sends every operation the properties generate.
        let ops: Vec<String> = match p.operation.parse::<Operation>() {
            Ok(op) => vec![op.name().to_string()],
            Err(_) => property::GENERATED_OPERATIONS
                .iter()
                .map(|o| o.name().to_string())
                .collect(),
        };
        for r in &p.requirements {
            for op in &ops {
                out.entry((r.to_string(), op.clone()))
                    .or_default()
                    .insert(p.id.clone());
            }
        }
    }
    out
}

/// What is neither covered nor accounted for, and backlog entries whose case exists.
fn problems(
    backlog: &Backlog,
    covered: &BTreeMap<(String, String), BTreeSet<String>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for r in &Registry::get().requirements {
        if r.uncovered_reason.is_some() {
            continue;
        }
        for op in &r.operations {
            let has_case = covered.contains_key(&(r.id.clone(), op.clone()));
            let listed = backlog
                .of(&r.id)
                .any(|m| &m.operation == op && !has_case_file(op, &m.case));
            if !has_case && !listed {
                problems.push(format!(
                    "{} on {op}: no case cites it and contract/backlog/ does not list it",
                    r.id
                ));
            }
        }
    }
    for m in &backlog.missing {
        if has_case_file(&m.operation, &m.case) {
            problems.push(format!(
                "contract/backlog/ lists fixtures/{}/{}.toml, which exists: remove the entry",
                dir_of(&m.operation),
                m.case
            ));
        }
    }
    problems
}

#[test]
fn every_requirement_is_checked_or_says_why_not() {
    let problems = problems(Backlog::get().unwrap(), &covered());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_unaccounted_pair_and_a_stale_entry_are_reported() {
    let mut backlog = Backlog {
        missing: Backlog::get().unwrap().missing.clone(),
    };
    // Any entry whose pair no case covers: without it, the pair is unaccounted for.
    let covered = covered();
    let gone = backlog
        .missing
        .iter()
        .position(|m| !covered.contains_key(&(m.requirement.clone(), m.operation.clone())))
        .expect("the backlog has an entry no case covers");
    let removed = backlog.missing.remove(gone);
    let mut stale = removed.clone();
    stale.operation = "DeleteUser".into();
    stale.case = "token/disabled-user".into();
    backlog.missing.push(stale);
    let found = problems(&backlog, &covered);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&format!("{} on {}", removed.requirement, removed.operation))),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("fixtures/delete-user/token/disabled-user.toml, which exists")),
        "{found:?}"
    );
}

fn has_case_file(operation: &str, case: &str) -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir_of(operation))
        .join(format!("{case}.toml"))
        .exists()
}

/// `docs/coverage.md`: a requirement-by-operation table of case counts, then the backlog.
fn render() -> String {
    let registry = Registry::get();
    let backlog = Backlog::get().unwrap();
    let covered = covered();
    // The covered operations first, then the others the registry names, in order of appearance.
    let mut ops: Vec<&str> = Operation::COVERED.iter().map(|o| o.name()).collect();
    for r in &registry.requirements {
        for op in &r.operations {
            if !ops.contains(&op.as_str()) {
                ops.push(op);
            }
        }
    }
    let (mut pairs, mut with_case) = (0, 0);
    let mut table = String::from("| requirement |");
    for op in &ops {
        let _ = write!(table, " {op} |");
    }
    table.push_str("\n|---|");
    table.push_str(&"---:|".repeat(ops.len()));
    table.push('\n');
    for r in &registry.requirements {
        let _ = write!(table, "| `{}` |", r.id);
        for op in &ops {
            let cell = if !r.operations.iter().any(|o| o == op) {
                String::new()
            } else if r.uncovered_reason.is_some() {
                "n/a".to_string()
            } else {
                pairs += 1;
                match covered.get(&(r.id.clone(), op.to_string())) {
                    Some(cases) => {
                        with_case += 1;
                        cases.len().to_string()
                    }
                    None => "backlog".to_string(),
                }
            };
            let _ = write!(table, " {cell} |");
        }
        table.push('\n');
    }
    let mut out = String::new();
    out.push_str("# Coverage: which requirement is checked where\n\n");
    let _ = writeln!(
        out,
        "Generated by `src/tests/coverage.rs` from the fixtures, the generated properties, `contract/requirements.toml` and `contract/backlog/` (`UPDATE_GOLDEN=1 cargo test --lib coverage` rewrites it). {with_case} of {pairs} requirement-operation pairs have at least one case. A number is the count of cases (fixtures and properties) citing the requirement on that operation; `cognito-conformance list --requirement ID` names them. `backlog` means no case yet: the section below says which case it should get and why it is missing. `n/a`: nothing a client sends can check it (`explain ID` says why); an empty cell: the requirement does not apply to that operation. Statements and evidence: [contract.md](contract.md).\n"
    );
    out.push_str(&table);
    out.push_str("\n## Backlog\n");
    for op in &ops {
        let entries: Vec<_> = backlog
            .missing
            .iter()
            .filter(|m| m.operation == *op)
            .collect();
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {op} ({} missing)\n", entries.len());
        let mut whys: Vec<&str> = entries.iter().map(|m| m.why.as_str()).collect();
        whys.sort_unstable();
        whys.dedup();
        for why in whys {
            let _ = writeln!(out, "Why: {why}\n");
            for m in entries.iter().filter(|m| m.why == why) {
                let _ = writeln!(out, "- `{}` (`{}`)", m.case, m.requirement);
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn docs_coverage_md_is_rendered_from_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/coverage.md");
    let actual = render();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write docs/coverage.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == actual,
        "docs/coverage.md is out of date: rerun with UPDATE_GOLDEN=1"
    );
}
