//! How the request under test is authenticated at the AWS front end, and whose pool it uses.
//!
//! The IAM-authorized operations (`authtype: v4` in the service model) are SigV4-signed with the
//! target's administrator credentials, the token-authorized ones are sent unsigned. A case may
//! ask for a request signed wrongly on purpose (`given.signing`), or signed by a principal
//! without permission, to check how the target refuses it. The names are shared by the fixture
//! format, the executor and the reproductions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Capability;

/// How the request under test is signed (`given.signing`). Without it, an operation the model
/// marks `authtype: v4` is [`Signing::Signed`] and any other [`Signing::Unsigned`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Signing {
    /// SigV4 with the target's administrator credentials, as of now.
    Signed,
    /// No `Authorization` or `X-Amz-Date` header at all.
    Unsigned,
    /// Signed correctly under an access key id no target knows.
    UnknownAccessKey,
    /// The right access key id, signed with another secret (the signature does not match).
    WrongSecret,
    /// Signed correctly, but as of 20 minutes ago: an `X-Amz-Date` outside the 15-minute
    /// window.
    StaleDate,
    /// Signed correctly, but as of 20 minutes ahead: an `X-Amz-Date` in the future.
    FutureDate,
    /// A correct signature with its last hex digit changed.
    TamperedSignature,
    /// Signed correctly by a principal the target knows but whose policy allows no action
    /// (needs `sigv4-principals`): authenticated, not authorized.
    PrincipalWithoutPermission,
}

impl Signing {
    /// How far in the past (or future) a [`Signing::StaleDate`] ([`Signing::FutureDate`])
    /// request is signed: past the 15 minutes AWS accepts, by a margin no clock skew between
    /// suite and target closes.
    pub const STALE_BY: std::time::Duration = std::time::Duration::from_secs(20 * 60);

    /// The capability the target needs for a request signed this way (none for the others,
    /// which the suite makes from its own credentials).
    pub fn made_with(self) -> Option<Capability> {
        match self {
            Signing::PrincipalWithoutPermission => Some(Capability::Sigv4Principals),
            _ => None,
        }
    }
}

/// Which pool a case's user lives in (`given.pool_scope`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PoolScope {
    /// The run's shared pool of the case's `given.pool` kind.
    #[default]
    Shared,
    /// A fresh run-prefixed pool of that kind for this case alone, deleted when the case ends
    /// (and by the run's clean-up if the case is interrupted): for requests that change the pool
    /// for good, such as AddCustomAttributes.
    Own,
}

impl PoolScope {
    /// Whether this is the default (left out when written).
    pub fn is_shared(&self) -> bool {
        *self == PoolScope::Shared
    }
}
