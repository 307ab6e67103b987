//! Kinds shared across layers: targets, pools, app clients, capabilities, evidence levels.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a run is pointed at. Decides the defaults a run applies (real AWS needs an opt-in and
/// a request budget; only the reference and real Cognito may write goldens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// The embedded reference target.
    Reference,
    /// An endpoint on this machine (an emulator).
    Loopback,
    /// Real Amazon Cognito (`*.amazonaws.com`).
    Aws,
    /// Any other endpoint.
    Remote,
}

impl TargetKind {
    /// Lowercase label, as in reports.
    pub fn label(self) -> &'static str {
        match self {
            TargetKind::Reference => "reference",
            TargetKind::Loopback => "loopback",
            TargetKind::Aws => "aws",
            TargetKind::Remote => "remote",
        }
    }
}

/// How strong the evidence for an expectation is, strongest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceLevel {
    /// A real Cognito response to this operation was published.
    Observed,
    /// The API reference, developer guide or service model says so.
    Documented,
    /// A real Cognito response was published for another operation that goes through the same
    /// layer (the token check, the attribute rules, the JSON front end).
    ObservedSibling,
    /// A reasoned guess: the contract tier must accept every plausible answer.
    Inferred,
}

impl EvidenceLevel {
    /// Kebab-case label, as in the registry.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceLevel::Observed => "observed",
            EvidenceLevel::Documented => "documented",
            EvidenceLevel::ObservedSibling => "observed-sibling",
            EvidenceLevel::Inferred => "inferred",
        }
    }
}

/// Something a target may or may not be able to do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// The suite can move the target's clock forward (the embedded reference can; Cognito's
    /// shortest access-token validity is 5 minutes, too long to wait in a run).
    ClockControl,
    /// The target can issue tokens the public API cannot produce (no admin scope, unconfirmed
    /// user). Only the embedded reference can.
    TokenMinting,
    /// The target can be told to fail the next call of an operation with a given error
    /// (throttling, internal error). Only the embedded reference can.
    FaultInjection,
    /// The suite holds the key the target signs its tokens with (an emulator's key published
    /// in its package, located by `emulators.toml`): it signs changed copies of tokens the
    /// target issued, so an expired or wrong-scope token carries a valid signature. It makes
    /// the token states `clock-control` and `token-minting` make where it can
    /// (`TokenState::made_with`).
    SigningKey,
    /// The suite can create a SigV4 principal with a chosen list of allowed actions, none for a
    /// principal without permission (the embedded reference's `RegisterPrincipal`). Real AWS
    /// would need an IAM user or role made for the run, which the suite does not provision;
    /// the emulators, as the suite launches them, do not evaluate IAM policies.
    Sigv4Principals,
}

/// Pool configurations provisioned per run (see `target::pool` for the exact schema).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PoolKind {
    /// Required mutable `email` (auto-verified, alias), `phone_number`, `custom:tier` (mutable,
    /// length 3..10), `custom:badge` (immutable), `custom:team` (mutable, not writable by the
    /// restricted client).
    #[default]
    Default,
    /// As `default`, plus `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
    /// = ["email"]`.
    VerifyBeforeUpdate,
    /// As `default`, but users sign in with their e-mail address: `UsernameAttributes =
    /// ["email"]` instead of `AliasAttributes` (the suite passes the address as `Username`).
    EmailUsername,
}

impl PoolKind {
    /// Every kind, in declaration order.
    pub const ALL: [PoolKind; 3] = [
        PoolKind::Default,
        PoolKind::VerifyBeforeUpdate,
        PoolKind::EmailUsername,
    ];

    /// Kebab-case label, as in fixtures and pool names.
    pub fn label(self) -> &'static str {
        match self {
            PoolKind::Default => "default",
            PoolKind::VerifyBeforeUpdate => "verify-before-update",
            PoolKind::EmailUsername => "email-username",
        }
    }

    /// Whether users of this pool sign in with (and are addressed by) their e-mail address.
    pub fn email_is_username(self) -> bool {
        self == PoolKind::EmailUsername
    }
}

/// App clients provisioned per pool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// May read and write every attribute.
    #[default]
    Full,
    /// `WriteAttributes` = email, name, custom:tier only (not phone_number, custom:team).
    Restricted,
}

/// Errors a target with `fault-injection` is told to return for the request under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InjectedFault {
    /// `TooManyRequestsException` (400).
    Throttling,
    /// `InternalErrorException` (500).
    InternalError,
    /// `CodeDeliveryFailureException` (400): the verification message could not be sent.
    CodeDeliveryFailure,
}

impl InjectedFault {
    /// The error type the target answers with.
    pub fn error_type(self) -> &'static str {
        match self {
            InjectedFault::Throttling => "TooManyRequestsException",
            InjectedFault::InternalError => "InternalErrorException",
            InjectedFault::CodeDeliveryFailure => "CodeDeliveryFailureException",
        }
    }
}
