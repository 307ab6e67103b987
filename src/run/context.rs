//! Connecting to a target: the one place a run's context is built, for `run`, `record`, the
//! `cargo test` harness, the benchmark and the tests. With no endpoint it starts the embedded
//! reference on a loopback port.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::reference::{Breaks, Reference, ReferenceConfig, ReferenceError};
use crate::run::events::TargetInfo;
use crate::secrets::Redactor;
use crate::snapshot::Goldens;
use crate::target::credentials::CredentialsError;
use crate::target::signing::{KeyError, Signer};
use crate::target::{
    Admin, AdminError, EndpointError, Provisioner, budget, control, credentials, endpoint, launch,
};

/// Why a target not launched as a pinned emulator has no signing key.
const NO_EMULATOR: &str = "the target is not a pinned emulator (`run --launch NAME` loads the signing key its package publishes)";
use crate::vocab::{Capability, TargetKind};
use crate::wire::{HttpClient, WireError, WireSettings};

/// Shared state of a run.
#[derive(Debug)]
pub struct RunContext {
    /// Creates and tracks resources.
    pub provisioner: Provisioner,
    /// What the target can do.
    pub capabilities: BTreeSet<Capability>,
    /// Run-level secrets (password, AWS keys).
    pub redactor: Redactor,
    /// The target, for reports.
    pub target: TargetInfo,
    /// Golden snapshots to compare each exchange with (strict tier); empty: none.
    pub goldens: Goldens,
    /// The key the target signs its tokens with (capability `signing-key`), or why the suite
    /// has none.
    pub signer: Result<Arc<Signer>, String>,
    /// The next case's index: every case of the context gets fresh usernames.
    next_index: AtomicUsize,
}

impl RunContext {
    /// A context over `admin`: the target named `name` of `kind` with `capabilities`.
    pub fn new(
        admin: Admin,
        name: &str,
        kind: TargetKind,
        capabilities: BTreeSet<Capability>,
        goldens: Goldens,
    ) -> RunContext {
        let target = TargetInfo {
            name: name.to_string(),
            url: admin.url().to_string(),
            kind,
            capabilities: capabilities.iter().copied().collect(),
        };
        let provisioner = Provisioner::new(admin);
        let redactor = Redactor::new().with(provisioner.password(), "PASSWORD");
        RunContext {
            provisioner,
            capabilities,
            redactor,
            target,
            goldens,
            signer: Err(NO_EMULATOR.to_string()),
            next_index: AtomicUsize::new(0),
        }
    }

    /// The context with the target's signing key, or why it has none: with a key the target
    /// gains the `signing-key` capability.
    pub fn with_signer(mut self, signer: Result<Signer, KeyError>) -> RunContext {
        self.signer = signer.map(Arc::new).map_err(|e| e.to_string());
        if self.signer.is_ok() {
            self.capabilities.insert(Capability::SigningKey);
        }
        self.target.capabilities = self.capabilities.iter().copied().collect();
        self
    }

    /// An index no other case of this context has (it names the case's users).
    pub fn next_index(&self) -> usize {
        self.next_index.fetch_add(1, Ordering::Relaxed)
    }
}

/// Where to run.
#[derive(Debug, Clone, Default)]
pub struct TargetSpec {
    /// The endpoint (else `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, else
    /// `AWS_ENDPOINT_URL` from `env`; with none, the embedded reference).
    pub endpoint: Option<String>,
    /// Signing region (else `AWS_REGION`, `AWS_DEFAULT_REGION`, `us-east-1`).
    pub region: Option<String>,
    /// The process environment (credentials, endpoint and region variables).
    pub env: BTreeMap<String, String>,
    /// Timeouts and limits of the HTTP client.
    pub wire: WireSettings,
    /// Overall request budget (default: 5/s against real AWS, none elsewhere).
    pub max_rps: Option<f64>,
    /// The run may create pools in a real AWS account.
    pub allow_real_aws: bool,
    /// The target's name in reports (`moto 5.2.5`); default: `reference`, or the endpoint's
    /// host and port.
    pub label: Option<String>,
    /// How the embedded reference is started, when it is the target (its deliberate breaks,
    /// say); ignored for an endpoint.
    pub reference: ReferenceConfig,
    /// The pinned emulator the endpoint runs (`run --launch NAME` sets it): the signing key its
    /// installed package publishes (`emulators.toml`) is loaded, giving `signing-key`.
    pub emulator: Option<String>,
}

impl TargetSpec {
    /// The embedded reference, with the process environment.
    pub fn reference() -> TargetSpec {
        TargetSpec {
            env: std::env::vars().collect(),
            ..TargetSpec::default()
        }
    }

    /// The embedded reference violating the requirements `breaks` names (the suite's own
    /// mutation test: which cases catch each violation).
    pub fn broken_reference(breaks: Breaks) -> TargetSpec {
        TargetSpec {
            reference: ReferenceConfig::default().breaking(breaks),
            ..TargetSpec::reference()
        }
    }

    /// An endpoint, with the process environment.
    pub fn endpoint(url: &str) -> TargetSpec {
        TargetSpec {
            endpoint: Some(url.to_string()),
            env: std::env::vars().collect(),
            ..TargetSpec::default()
        }
    }
}

impl TargetSpec {
    /// What kind of target this is and its endpoint and region (`None` for the embedded
    /// reference, which has no endpoint until it starts), without contacting it.
    pub fn resolve(&self) -> Result<(TargetKind, Option<String>, String), EndpointError> {
        let env = &self.env;
        Ok(
            match endpoint::resolve(self.endpoint.as_deref(), self.region.as_deref(), env)? {
                Some(c) => {
                    tracing::info!(url = %c.url, from = %c.url_source, "endpoint");
                    let kind = if endpoint::is_real_aws(&c.url) {
                        TargetKind::Aws
                    } else if endpoint::is_loopback(&c.url) {
                        TargetKind::Loopback
                    } else {
                        TargetKind::Remote
                    };
                    (kind, Some(c.url), c.region)
                }
                None => (
                    TargetKind::Reference,
                    None,
                    endpoint::region(self.region.as_deref(), env),
                ),
            },
        )
    }
}

/// A run could not connect to its target.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The endpoint or region is not usable.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The endpoint is real AWS and the run was not allowed to use it.
    #[error(
        "{url} is real AWS: the run creates user pools (prefix ccf-) in region {region} and deletes them at the end; pass --allow-real-aws to proceed"
    )]
    RealAwsNotAllowed {
        /// The endpoint.
        url: String,
        /// The region.
        region: String,
    },
    /// No credentials.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client")]
    Http(#[source] WireError),
    /// The embedded reference did not start.
    #[error("cannot start the embedded reference")]
    Reference(#[source] ReferenceError),
    /// Nothing answers at the endpoint.
    #[error("nothing answers at {url}: is the target running?")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// Cause.
        #[source]
        source: WireError,
    },
}

/// A connected target: the run context, and the embedded reference when it is the target.
#[derive(Debug)]
pub struct Connected {
    /// The run's context.
    pub ctx: Arc<RunContext>,
    reference: Option<Reference>,
}

impl Connected {
    /// Stop the embedded reference, if it is the target.
    pub async fn shutdown(self) {
        if let Some(r) = self.reference {
            r.shutdown().await;
        }
    }
}

/// Resolve the target, start the reference if there is no endpoint, check that something
/// answers, discover its capabilities and set up the provisioner.
pub async fn connect(spec: TargetSpec, goldens: Goldens) -> Result<Connected, ConnectError> {
    let env = &spec.env;
    let (kind, url, region) = spec.resolve()?;
    let mut reference = None;
    let url = match url {
        Some(url) => url,
        None => {
            let r = Reference::start_with(([127, 0, 0, 1], 0).into(), spec.reference.clone())
                .await
                .map_err(ConnectError::Reference)?;
            let url = r.url();
            reference = Some(r);
            url
        }
    };
    let real_aws = kind == TargetKind::Aws;
    if real_aws && !spec.allow_real_aws {
        return Err(ConnectError::RealAwsNotAllowed { url, region });
    }
    // The embedded reference verifies signatures like Cognito: it is signed with the key pair
    // it made, whatever credentials the environment holds.
    let creds = match &reference {
        Some(r) => r.credentials(),
        None => credentials::resolve_any(env, &region, kind == TargetKind::Loopback).await?,
    };
    let http = HttpClient::new(spec.wire.clone()).map_err(ConnectError::Http)?;
    let max_rps = spec
        .max_rps
        .or(real_aws.then_some(budget::REAL_AWS_MAX_RPS));
    let secret = creds.secret_access_key.clone();
    let session_token = creds.session_token.clone();
    let mut admin = Admin::new(http, &url, &region, creds, max_rps);
    if real_aws {
        admin = admin.with_budget(budget::Rates::real_aws(
            max_rps.unwrap_or(budget::REAL_AWS_MAX_RPS),
        ));
    }
    probe_reachable(&admin).await?;
    let capabilities = control::discover(&admin).await;
    let name = spec.label.clone().unwrap_or_else(|| match kind {
        TargetKind::Reference => "reference".to_string(),
        _ => host_port(&url),
    });
    let mut ctx = RunContext::new(admin, &name, kind, capabilities, goldens);
    if let Some(emulator) = &spec.emulator {
        let signer = Signer::load(emulator, &launch::emulator_root());
        match &signer {
            Ok(s) => tracing::info!(emulator = s.emulator(), "signing key loaded"),
            Err(e) => tracing::info!(reason = %e, "no signing key"),
        }
        ctx = ctx.with_signer(signer);
    }
    ctx.redactor.add(&secret, "AWS_SECRET_ACCESS_KEY");
    if let Some(t) = &session_token {
        ctx.redactor.add(t, "AWS_SESSION_TOKEN");
    }
    Ok(Connected {
        ctx: Arc::new(ctx),
        reference,
    })
}

/// `host:port` of a URL, for naming a target.
fn host_port(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| {
                format!(
                    "{h}{}",
                    u.port().map(|p| format!(":{p}")).unwrap_or_default()
                )
            })
        })
        .unwrap_or_else(|| url.to_string())
}

/// Fail fast when nothing answers at the endpoint; any HTTP answer counts as reachable (the
/// preflight then says whether it is Cognito).
async fn probe_reachable(admin: &Admin) -> Result<(), ConnectError> {
    match admin
        .raw("ListUserPools", &serde_json::json!({"MaxResults": 1}), true)
        .await
    {
        Err(AdminError::Wire {
            source:
                source @ (WireError::Connect { .. }
                | WireError::ConnectTimeout { .. }
                | WireError::Timeout(_)),
            ..
        }) => Err(ConnectError::Unreachable {
            url: admin.url().to_string(),
            source,
        }),
        _ => Ok(()),
    }
}
