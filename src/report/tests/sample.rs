//! A fixed run with outcomes of every verdict, in finishing order (not id order), including
//! a mismatch whose texts contain `|`, `<`, `&` and several lines.

use crate::check::{Mismatch, Verdict};
use crate::run::events::{CaseOutcome, Event, ObservedSummary, RunSummary, TargetInfo};
use crate::vocab::{Capability, EvidenceLevel};

pub(super) fn target() -> TargetInfo {
    TargetInfo {
        name: "reference".into(),
        url: "http://127.0.0.1:4566".into(),
        kind: crate::vocab::TargetKind::Reference,
        capabilities: vec![Capability::ClockControl, Capability::TokenMinting],
    }
}

fn outcome(id: &str, verdict: Verdict, title: &str) -> CaseOutcome {
    let mut parts = id.splitn(3, '/');
    let operation = parts.next().unwrap_or_default().to_string();
    let group = parts.next().unwrap_or_default().to_string();
    CaseOutcome {
        id: id.into(),
        operation,
        group,
        title: title.into(),
        requirements: vec![],
        requirement: format!("{title}, as the API reference says."),
        evidence_level: EvidenceLevel::Documented,
        evidence_source:
            "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/".into(),
        verdict,
        mismatches: Vec::new(),
        reason: None,
        reproduction: None,
        observed: None,
        duration_ms: 12,
        generated: None,
        exchange: None,
    }
}

fn curl(operation: &str) -> String {
    format!(
        "curl -sS -X POST http://127.0.0.1:4566/ \\\n  -H 'Content-Type: application/x-amz-json-1.1' \\\n  -H 'X-Amz-Target: AWSCognitoIdentityProviderService.{operation}' \\\n  --data '{{\"AccessToken\":\"'\"$ACCESS_TOKEN\"'\"}}'"
    )
}

pub(super) fn outcomes() -> Vec<CaseOutcome> {
    let mut expired = outcome(
        "DeleteUser/token/expired-token",
        Verdict::Fail,
        "An expired access token is rejected",
    );
    expired.mismatches = vec![
        Mismatch::contract("status", "400", "200"),
        Mismatch::contract("error", "NotAuthorizedException", "(none)"),
        Mismatch::contract("state.exists", "true", "false"),
    ];
    expired.evidence_level = EvidenceLevel::Observed;
    expired.evidence_source = "aws-amplify/amplify-swift#3981".into();
    expired.reproduction = Some(curl("DeleteUser"));
    expired.observed = Some(ObservedSummary {
        status: 200,
        error_type: None,
        message: None,
        body: "{}".into(),
    });

    let mut missing = outcome(
        "DeleteUser/validation/missing-token",
        Verdict::NonStrict,
        "A request without AccessToken is rejected",
    );
    missing.mismatches = vec![Mismatch::strict(
        "message",
        "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null",
        "Missing required parameter AccessToken",
    )];
    missing.reproduction = Some(curl("DeleteUser"));

    let mut immutable = outcome(
        "UpdateUserAttributes/validation/immutable-attribute",
        Verdict::Fail,
        "An immutable custom attribute cannot be updated",
    );
    immutable.evidence_level = EvidenceLevel::Inferred;
    immutable.mismatches = vec![
        Mismatch::strict(
            "message",
            "user.custom:tier: Attribute cannot be updated.\n<immutable> & fixed | since sign-up",
            "user.custom:tier: Attribute cannot be updated.\n<mutable> & changed | just now",
        ),
        Mismatch::contract("state.custom:tier", "gold", "platinum | <b>bold</b> & more"),
    ];
    immutable.reproduction = Some(curl("UpdateUserAttributes"));

    let mut clock = outcome(
        "UpdateUserAttributes/token/expired-by-clock",
        Verdict::Skip,
        "A token past its validity is rejected",
    );
    clock.reason = Some("the target lacks capability clock-control".into());

    let mut unknown = outcome(
        "UpdateUserAttributes/schema/unknown-attribute",
        Verdict::KnownGap,
        "An attribute not in the schema is rejected",
    );
    unknown.reason = Some("moto accepts unknown attributes (baseline: moto.toml)".into());
    unknown.mismatches = vec![Mismatch::contract("status", "400", "200")];

    let mut setup = outcome(
        "DeleteUserAttributes/success/delete-custom",
        Verdict::Error,
        "A custom attribute can be deleted",
    );
    setup.reason = Some(
        "set-up failed: AdminCreateUser returned 500 InternalErrorException\nafter 3 attempts"
            .into(),
    );

    let mut property = outcome(
        "generated/delete-user/access-token-null",
        Verdict::Fail,
        "DeleteUser refuses a null accessToken",
    );
    property.group = "generated".into();
    property.operation = "DeleteUser".into();
    property.mismatches = vec![Mismatch::contract("status", "400", "500")];
    property.reproduction = Some(curl("DeleteUser"));
    property.generated = Some(crate::run::events::GeneratedInfo {
        seed: 7,
        cases_asked: 16,
        cases_run: 3,
        shrink_steps: 2,
        fully_shrunk: true,
        minimal_case: Some("DeleteUser [accessToken: null] {\"AccessToken\":null}".into()),
        failing_call: Some(1),
        rerun: "cognito-conformance run --only-generated --filter 'generated/delete-user/access-token-null' --seed 7 --cases 16".into(),
        saved_as: None,
    });

    vec![
        property,
        outcome(
            "DeleteUserAttributes/success/delete-standard",
            Verdict::Pass,
            "A standard attribute can be deleted",
        ),
        expired,
        missing,
        immutable,
        outcome(
            "DeleteUser/token/valid-token",
            Verdict::Pass,
            "A valid access token deletes the user",
        ),
        clock,
        unknown,
        setup,
    ]
}

/// The whole run: started, every outcome, completed.
pub(super) fn events(strict: bool) -> Vec<Event> {
    let outcomes = outcomes();
    let mut summary = RunSummary {
        elapsed_ms: 4321,
        strict,
        pools_deleted: 2,
        ..RunSummary::default()
    };
    let mut events = vec![Event::Started {
        target: target(),
        total: outcomes.len(),
        planned: outcomes.len(),
        run_prefix: "ccf-test0001".into(),
        started_at: Some("2026-11-29T18:45:20Z".into()),
    }];
    for o in outcomes {
        summary.add(&o);
        events.push(Event::CaseFinished(Box::new(o)));
    }
    events.push(Event::Completed(summary));
    events
}

/// A run that selected nothing.
pub(super) fn empty_events() -> Vec<Event> {
    vec![
        Event::Started {
            target: target(),
            total: 0,
            planned: 0,
            run_prefix: "ccf-test0002".into(),
            started_at: None,
        },
        Event::Completed(RunSummary {
            elapsed_ms: 3,
            ..RunSummary::default()
        }),
    ]
}
