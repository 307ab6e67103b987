//! Cases: fixture files and generated requests become one [`Case`] type (given / steps of
//! when and then); a failing generated case is saved as a fixture.

mod expand;
pub mod fixture;
pub mod load;
pub mod locate;
pub mod placeholder;

use std::path::PathBuf;

use crate::contract::Registry;
use crate::vocab::{Capability, EvidenceLevel, Operation};
pub use fixture::{Fixture, Then};
use fixture::{Given, When};
pub use load::{LoadError, load_dir};

/// Where generated cases live: property ids are `generated/<operation>/<property>`, and a
/// failure saved as a fixture is `fixtures/generated/<operation>/<property>-<hash>.toml`.
pub const GENERATED_DIR: &str = "generated";

/// One runnable case: who it is, what it needs, the set-up, and the calls with what each must
/// do. A fixture file is a case of one step, or of several with `[[next]]`; a generated case
/// (`crate::property`) may be a sequence of steps. Both run through the same executor
/// (`crate::run`).
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable id: the fixture path below the fixtures root, without `.toml`
    /// (`update-user-attributes/schema/immutable-custom-attribute`), or the property's id for a
    /// generated case.
    pub id: String,
    /// The fixture file, for cases read from one.
    pub path: Option<PathBuf>,
    /// One line naming the fault.
    pub title: String,
    /// The ids of the requirements the case checks (`contract/requirements.toml`).
    pub requirements: Vec<String>,
    /// Target capabilities the case needs.
    pub needs: Vec<Capability>,
    /// Pool, client, users and token.
    pub given: Given,
    /// The calls, in order, each with what it must do.
    pub steps: Vec<Step>,
}

/// One call of a case and its expected outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The request.
    pub when: When,
    /// What it must do.
    pub then: Then,
}

impl Case {
    /// The case a fixture file describes: `when`/`then`, then each `[[next]]` call.
    pub fn from_fixture(id: &str, path: Option<PathBuf>, f: Fixture) -> Case {
        let mut steps = vec![Step {
            when: f.when,
            then: f.then,
        }];
        steps.extend(f.next.into_iter().map(|n| Step {
            when: n.when,
            then: n.then,
        }));
        Case {
            id: id.to_string(),
            path,
            title: f.title,
            requirements: f.requirement.as_slice().to_vec(),
            needs: f.needs,
            given: f.given,
            steps,
        }
    }

    /// The capabilities the case needs that `have` lacks. A need that makes the case's token
    /// state is met by any capability that makes it (`TokenState::made_with`).
    pub fn missing_capabilities(
        &self,
        have: &std::collections::BTreeSet<Capability>,
    ) -> Vec<Capability> {
        let ways = self.given.token.made_with();
        self.needs
            .iter()
            .filter(|c| !have.contains(c))
            .filter(|c| !(ways.contains(c) && ways.iter().any(|w| have.contains(w))))
            .copied()
            .collect()
    }

    /// Whether the case changes target-wide state (the clock, injected faults): it must run
    /// alone.
    pub fn changes_target(&self) -> bool {
        self.needs
            .iter()
            .any(|c| matches!(c, Capability::ClockControl | Capability::FaultInjection))
    }

    /// The strongest evidence level of its requirements, and a one-line citation of the
    /// sources behind the first one's.
    pub fn evidence(&self) -> (EvidenceLevel, String) {
        evidence_of(&self.requirements)
    }

    /// The operation under test (the first call's).
    pub fn operation(&self) -> Operation {
        self.steps
            .first()
            .map_or(Operation::GetUser, |s| s.when.operation)
    }

    /// The contract section: the second path component, or `generated` for a saved failure of
    /// a generated case (`generated/<operation>/<name>`).
    pub fn group(&self) -> &str {
        if self.id.split('/').next() == Some(GENERATED_DIR) {
            return GENERATED_DIR;
        }
        self.id.split('/').nth(1).unwrap_or("")
    }
}

/// The strongest evidence level of `requirements` (unknown ids count as inferred) and the
/// citation of the first one's sources.
pub fn evidence_of(requirements: &[String]) -> (EvidenceLevel, String) {
    let registry = Registry::get();
    let known: Vec<&crate::contract::Requirement> = requirements
        .iter()
        .filter_map(|id| registry.requirement(id))
        .collect();
    let level = known
        .iter()
        .map(|r| r.level())
        .min()
        .unwrap_or(EvidenceLevel::Inferred);
    let citation = known
        .first()
        .map(|r| r.citation(registry))
        .unwrap_or_default();
    (level, citation)
}

/// The kebab-case directory name of an operation (`UpdateUserAttributes` ->
/// `update-user-attributes`).
pub fn operation_dir(operation: &str) -> String {
    crate::vocab::kebab(operation)
}
