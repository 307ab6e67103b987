//! One source for the answers to protocol faults: the generator's accepted answers
//! (`generate::protocol`) are the `protocol` fixtures' `then`. The fixtures are data written by
//! people and the generator is code, so this test ties them: a change to one side without the
//! other fails here, naming the fixture.

use std::collections::BTreeSet;

use crate::case::load_dir;
use crate::generate::protocol::{Accepted, classify, malformed_json};

#[test]
fn protocol_fixtures_and_the_generator_accept_the_same_answers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let cases = load_dir(&root).unwrap();
    let mut pinned = 0;
    let mut operations = BTreeSet::new();
    for case in cases.iter().filter(|c| c.group() == "protocol") {
        let step = &case.steps[0];
        let raw = step.when.raw_body.as_deref();
        let accepted: Accepted = match classify(step.when.operation.name(), &step.when) {
            Some(fault) => fault.accepted(),
            // A body that is not JSON at all (the generator's malformed-JSON family).
            None if raw.is_some_and(|b| serde_json::from_str::<serde_json::Value>(b).is_err()) => {
                malformed_json()
            }
            None => continue, // type errors, injected faults: other families
        };
        let [outcome] = step.then.outcomes.as_slice() else {
            panic!("{}: a protocol fixture states one outcome", case.id);
        };
        let statuses: BTreeSet<u16> = outcome.status.as_slice().iter().copied().collect();
        let errors: BTreeSet<&str> = outcome
            .error
            .as_ref()
            .map(|e| e.as_slice().iter().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            statuses,
            accepted.statuses.iter().copied().collect(),
            "{}: statuses differ from generate::protocol",
            case.id
        );
        assert_eq!(
            errors,
            accepted.errors.iter().copied().collect(),
            "{}: error types differ from generate::protocol",
            case.id
        );
        if accepted.errors.len() > 1 {
            assert_eq!(
                outcome.strict.error.as_deref(),
                Some(accepted.strict_error),
                "{}: the strict error differs from generate::protocol",
                case.id
            );
        }
        pinned += 1;
        operations.insert(step.when.operation);
    }
    // missing target, unknown target, wrong content type, wrong method, malformed JSON and empty
    // body, per operation that has protocol fixtures.
    assert!(operations.len() >= 3, "{operations:?}");
    assert_eq!(
        pinned,
        6 * operations.len(),
        "every routing and JSON-syntax fixture is pinned"
    );
}
