//! The strict tier never asserts a text nobody has seen: every `then.strict.message` of every
//! fixture is one the registry shows real Cognito answering for a requirement the case cites
//! (`strict_texts`, where `<...>` stands for any value). A text that is only the suite's guess
//! does not belong in a fixture; reports mark any remaining strict guess (see
//! `check::basis`).

use std::path::Path;

use crate::case::load_dir;
use crate::contract::Registry;

/// `(case id, text)` of every strict message no cited requirement shows.
fn unseen() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let registry = Registry::get();
    let mut out = Vec::new();
    for case in load_dir(&root).expect("the fixtures load") {
        for step in &case.steps {
            for o in &step.then.outcomes {
                for text in o.strict.message.iter().flat_map(|m| m.as_slice().iter()) {
                    if !registry.supported(&case.requirements, text) {
                        out.push((case.id.clone(), text.clone()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_strict_message_of_a_fixture_was_seen_from_cognito() {
    let unseen = unseen();
    let shown: Vec<String> = unseen
        .iter()
        .map(|(id, text)| format!("{id}: {text:?}"))
        .collect();
    assert!(
        unseen.is_empty(),
        "{} strict message(s) no cited requirement shows (add the capture to the requirement's strict_texts with its source, or drop the text):\n{}",
        unseen.len(),
        shown.join("\n")
    );
}
