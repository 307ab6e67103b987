//! One consistent oracle: the properties' oracle and the fixtures say the same thing wherever
//! both speak.
//!
//! The oracle ([`crate::property::oracle`]) predicts what Cognito answers to a generated call;
//! the fixtures state it by hand, independently. Two tests hold them together:
//!
//! - **every fixture the oracle can express** ([`situation::express`]: its `given` as the
//!   oracle's pool, client, user and token, its `when` as a request) is asked of the oracle,
//!   and the two `then`s must accept the same answers ([`agreement::compare`]: status, error
//!   types, code deliveries, the user's state; the strict texts where both state them). A
//!   fixture it cannot express is listed with the reason, never dropped silently.
//! - **every situation the properties generate** (a fixed sample, [`sampled::steps`]) that a
//!   fixture covers ([`class::Signature`]: same operation, fault class, pool, client, token and
//!   the same kind of writes) must agree with that fixture's `then` restated in the generated
//!   values ([`class::transplant`]), at the contract tier.
//!
//! A failure names the fixture, the oracle's rule (its label, requirements and the properties
//! that generate it), both expectations and the answers they judge differently. Resolve it from
//! the evidence in `contract/requirements.toml`: fix the side the evidence says is wrong; where
//! it allows both answers, make both sides accept both.

mod agreement;
mod class;
mod sampled;
mod situation;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use agreement::{Comparison, Side, compare, summaries};
use class::{Signature, transplant};
use sampled::Step;
use situation::{Expressed, express};

use crate::case::{Case, load_dir};
use crate::check::Tier;
use crate::property::oracle::{Expectation, expect};

/// Every fixture of the catalogue, with its expression in the oracle's terms or the reason
/// there is none.
fn fixtures() -> &'static [(Case, Result<Expressed, String>)] {
    static FIXTURES: OnceLock<Vec<(Case, Result<Expressed, String>)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let cases = load_dir(&root).unwrap_or_else(|e| panic!("the fixtures load: {e}"));
        cases
            .into_iter()
            .map(|c| {
                let x = express(&c);
                (c, x)
            })
            .collect()
    })
}

/// The sampled generated calls.
fn generated() -> &'static [Step] {
    static STEPS: OnceLock<Vec<Step>> = OnceLock::new();
    STEPS.get_or_init(sampled::steps)
}

/// Fault class (operation, label) -> the properties that generate it.
fn properties_by_class() -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for s in generated() {
        let class = (
            s.situation.action.operation().name().to_string(),
            s.expectation.label.clone(),
        );
        out.entry(class).or_default().insert(s.property.clone());
    }
    out
}

/// The oracle's rule in one line: label, title, requirements and generating properties.
fn rule(e: &Expectation, op: &str) -> String {
    let props = properties_by_class()
        .remove(&(op.to_string(), e.label.clone()))
        .map(|p| p.into_iter().collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|| "no property generates this class".to_string());
    format!(
        "`{}` ({}; requirements {}; properties: {})",
        e.label,
        e.title,
        e.requirements.join(", "),
        props
    )
}

/// The disagreements of a comparison, one answer per line.
fn disagreements(c: &Comparison, left: &str, right: &str) -> String {
    let mut out = String::new();
    for d in &c.disagreements {
        let (yes, no) = match d.accepted_by {
            Side::Left => (left, right),
            Side::Right => (right, left),
        };
        let tier = match d.tier {
            Tier::Contract => "accepts",
            Tier::Strict => "is satisfied at the strict tier by",
        };
        let why: Vec<String> = d
            .refusal
            .iter()
            .filter(|m| m.field != "then")
            .map(|m| format!("{}: expected {}, got {}", m.field, m.expected, m.actual))
            .collect();
        out.push_str(&format!(
            "    the {yes} {tier} `{}`; the {no} does not ({})\n",
            d.answer,
            why.join("; ")
        ));
    }
    out
}

fn indent(lines: &[String]) -> String {
    lines.iter().map(|l| format!("      {l}\n")).collect()
}

/// A serde enum value as a fixture writes it (`tampered-signature`, `verify-before-update`).
fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "unnamed".to_string())
}

#[test]
fn every_fixture_the_oracle_can_express_agrees_with_it() {
    let mut failures = Vec::new();
    let mut inexpressible = Vec::new();
    let mut unshared: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut expressed, mut answers) = (0, 0);
    for (case, x) in fixtures() {
        let x = match x {
            Ok(x) => x,
            Err(reason) => {
                inexpressible.push(format!("{}: {reason}", case.id));
                continue;
            }
        };
        expressed += 1;
        let s = &x.situation;
        let e = expect(&s.pool, &s.user, &s.action);
        let op = s.action.operation().name();
        let c = compare(
            s.action.operation(),
            &e.then,
            &x.then,
            s.before.as_ref(),
            true,
        );
        answers += c.answers;
        for d in &c.unshared {
            *unshared.entry(d).or_default() += 1;
        }
        if !c.disagreements.is_empty() {
            failures.push(format!(
                "fixture {} disagrees with the oracle\n  oracle rule: {}\n  oracle expects:\n{}  fixture expects:\n{}{}",
                case.id,
                rule(&e, op),
                indent(&summaries(&e.then)),
                indent(&summaries(&x.then)),
                disagreements(&c, "oracle", "fixture"),
            ));
        }
    }
    let total = fixtures().len();
    let report = format!(
        "{total} fixtures: {expressed} expressed in the oracle's terms ({answers} answers judged by both sides, {} disagreeing), {} it cannot express:\n{}\nleft out where only one side states them: {unshared:?}",
        failures.len(),
        inexpressible.len(),
        inexpressible
            .iter()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    println!("{report}");
    assert!(failures.is_empty(), "{}\n\n{report}", failures.join("\n"));
    assert_eq!(
        expressed + inexpressible.len(),
        total,
        "every fixture is either compared or listed"
    );
    // Of the operations the oracle models (the others are listed as inexpressible above).
    let modelled = fixtures()
        .iter()
        .filter(|(c, _)| crate::property::GENERATED_OPERATIONS.contains(&c.operation()))
        .count();
    assert!(
        expressed * 2 > modelled,
        "most fixtures of the modelled operations are expressible ({expressed} of {modelled}): has the mapping broken?"
    );
}

#[test]
fn generated_situations_agree_with_the_fixtures_of_their_class() {
    let by_signature: BTreeMap<Signature, Vec<(&Case, &Expressed)>> = {
        let mut m: BTreeMap<Signature, Vec<(&Case, &Expressed)>> = BTreeMap::new();
        for (case, x) in fixtures() {
            if let Ok(x) = x {
                let s = &x.situation;
                let e = expect(&s.pool, &s.user, &s.action);
                m.entry(Signature::of(s, &e)).or_default().push((case, x));
            }
        }
        m
    };
    let fixture_classes: BTreeSet<&(String, String)> =
        by_signature.keys().map(|s| &s.class).collect();
    let steps = generated();
    let (mut covered, mut comparisons) = (0, 0);
    let mut uncovered_classes: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut failures: BTreeMap<(String, String), String> = BTreeMap::new();
    for step in steps {
        let signature = Signature::of(&step.situation, &step.expectation);
        if !fixture_classes.contains(&signature.class) {
            *uncovered_classes
                .entry(signature.class.clone())
                .or_default() += 1;
        }
        let Some(matching) = by_signature.get(&signature) else {
            continue;
        };
        covered += 1;
        for (case, x) in matching {
            comparisons += 1;
            let restated = transplant(&x.then, &x.situation, &step.situation);
            let c = compare(
                step.situation.action.operation(),
                &step.expectation.then,
                &restated,
                step.situation.before.as_ref(),
                false,
            );
            let key = (step.property.clone(), case.id.clone());
            if !c.disagreements.is_empty() && !failures.contains_key(&key) {
                failures.insert(
                    key,
                    format!(
                        "property {} disagrees with fixture {} (same class: {}, {})\n  generated case:\n{}  oracle rule: {}\n  oracle expects:\n{}  the fixture, restated for this call:\n{}{}",
                        step.property,
                        case.id,
                        signature.class.1,
                        signature.context,
                        step.case
                            .lines()
                            .map(|l| format!("      {l}\n"))
                            .collect::<String>(),
                        rule(&step.expectation, &signature.class.0),
                        indent(&summaries(&step.expectation.then)),
                        indent(&summaries(&restated)),
                        disagreements(&c, "oracle", "fixture"),
                    ),
                );
            }
        }
    }
    let report = format!(
        "{} generated calls from {} properties: {covered} in a situation a fixture covers ({comparisons} comparisons, {} disagreeing property/fixture pairs); fault classes no fixture covers (calls): {uncovered_classes:?}",
        steps.len(),
        crate::property::catalogue().len(),
        failures.len(),
    );
    println!("{report}");
    assert!(
        failures.is_empty(),
        "{}\n\n{report}",
        failures.into_values().collect::<Vec<_>>().join("\n")
    );
    assert!(
        covered > 0,
        "no generated call falls in a fixture's class: has the signature broken?"
    );
}
