//! Which strict expectations rest on evidence and which are the suite's guess.
//!
//! The contract tier only asserts what the registry supports; the strict tier may go further
//! (an exact text, one error type among several acceptable ones, a header), and where no
//! capture of real Cognito supports that detail the report must say it is a guess rather than
//! present it as Cognito's behaviour. The rules, per strict mismatch:
//! - `message`: observed when every text the case expects is one the registry shows real
//!   Cognito answering for the requirements the case cites or derives from a captured format or the documented model
//!   ([`Registry::supported`]); a guess otherwise;
//! - `status`, `error`, `body`: a guess when every requirement the case cites (the wire format
//!   aside) is only inferred;
//! - `content-type` of an error answer: documented by `protocol.error-wire-format`; a guess for
//!   a case that does not cite it (the 404 of an unroutable request: its body was captured,
//!   its headers never were);
//! - anything else (the golden snapshot marks its own: a golden written from the reference is
//!   the suite's model, not a recording) is left as it is.

use super::{Mismatch, Tier};
use crate::case::fixture::Then;
use crate::contract::Registry;
use crate::vocab::EvidenceLevel;

/// Mark the strict mismatches of a case citing `requirements` whose expectation no evidence
/// supports.
pub fn mark_guesses(mismatches: &mut [Mismatch], then: &Then, requirements: &[String]) {
    let registry = Registry::get();
    // The case's subject: the wire format every error case also cites says nothing about which
    // status or error type answers this fault.
    let level = requirements
        .iter()
        .filter(|id| *id != "protocol.error-wire-format")
        .filter_map(|id| registry.requirement(id))
        .map(|r| r.level())
        .min()
        .unwrap_or(EvidenceLevel::Inferred);
    let texts_seen = then
        .outcomes
        .iter()
        .filter_map(|o| o.strict.message.as_ref())
        .flat_map(|m| m.as_slice().iter())
        .all(|text| registry.supported(requirements, text));
    let wire_format = requirements
        .iter()
        .any(|r| r == "protocol.error-wire-format");
    for m in mismatches.iter_mut().filter(|m| m.tier == Tier::Strict) {
        let guess = match m.field.as_str() {
            "message" => !texts_seen,
            "status" | "error" | "body" => level == EvidenceLevel::Inferred,
            "content-type" => !wire_format,
            _ => continue,
        };
        m.guess |= guess;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::Outcome;

    fn outcome(toml_text: &str) -> Outcome {
        toml::from_str(toml_text).expect("a valid outcome")
    }

    fn then_with_message(text: &str) -> Then {
        Then {
            outcomes: vec![outcome(&format!(
                "status = 400\nerror = \"X\"\n[strict]\nmessage = {text:?}"
            ))],
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_observed_text_is_no_guess_and_an_unseen_one_is() {
        let then = then_with_message("Rate exceeded");
        let mut m = vec![Mismatch::strict("message", "Rate exceeded", "slow down")];
        mark_guesses(&mut m, &then, &ids(&["protocol.throttling"]));
        assert!(!m[0].guess);
        let then = then_with_message("Something nobody saw");
        let mut m = vec![Mismatch::strict("message", "Something nobody saw", "x")];
        mark_guesses(&mut m, &then, &ids(&["protocol.throttling"]));
        assert!(m[0].guess);
    }

    #[test]
    fn the_content_type_of_an_unroutable_answer_is_a_guess() {
        let then = Then {
            outcomes: vec![outcome("status = 404")],
        };
        let mut m = vec![Mismatch::strict(
            "content-type",
            "application/x-amz-json-1.1",
            "text/html",
        )];
        mark_guesses(&mut m, &then, &ids(&["protocol.unroutable-get"]));
        assert!(m[0].guess);
        let mut m = vec![Mismatch::strict(
            "content-type",
            "application/x-amz-json-1.1",
            "text/html",
        )];
        mark_guesses(
            &mut m,
            &then,
            &ids(&["attribute.immutable", "protocol.error-wire-format"]),
        );
        assert!(!m[0].guess);
    }

    #[test]
    fn a_strict_error_of_an_inferred_requirement_is_a_guess() {
        let then = Then {
            outcomes: vec![outcome("status = 400")],
        };
        let mut m = vec![Mismatch::strict(
            "error",
            "ResourceNotFoundException",
            "NotAuthorizedException",
        )];
        mark_guesses(
            &mut m,
            &then,
            &ids(&["token.deleted-pool", "protocol.error-wire-format"]),
        );
        assert!(m[0].guess);
        let mut m = vec![Mismatch::strict("error", "X", "Y")];
        mark_guesses(&mut m, &then, &ids(&["protocol.throttling"]));
        assert!(!m[0].guess);
    }

    #[test]
    fn contract_mismatches_are_never_guesses() {
        let then = then_with_message("Something nobody saw");
        let mut m = vec![Mismatch::contract("message", "x", "y")];
        mark_guesses(&mut m, &then, &ids(&[]));
        assert!(!m[0].guess);
    }
}
