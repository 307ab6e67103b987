//! A session against one target: connect, run a selection (or one case at a time), receive
//! events, clean up. Part of the library's facade, for another Rust project (an emulator's own
//! test suite, say) that runs the catalogue in-process, and for this crate's own harnesses.
//!
//! ```no_run
//! use cognito_conformance::{Catalogue, Parts, RunOptions, Session, Settings, TargetSpec};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // Every fixture against an emulator on this machine.
//! let fixtures = Catalogue::load(&Catalogue::builtin_fixtures(), Parts { fixtures: true, generated: false })?;
//! let session = Session::connect(TargetSpec::endpoint("http://127.0.0.1:9229")).await?;
//! let result = session.run(fixtures, &RunOptions::default(), Settings::default(), &mut []).await?;
//! for case in &result.outcomes {
//!     println!("{} {}", case.verdict.label(), case.id);
//! }
//! session.close().await;
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::case::Case;
use crate::catalogue::Catalogue;
use crate::property::{self, Property, Settings};
use crate::run::job::{header, outcome};
use crate::run::{
    CaseOutcome, ConnectError, Connected, ExecOptions, Reporter, RunError, RunOptions, RunResult,
    Runner, TargetInfo, TargetSpec, case_jobs, connect,
};
use crate::snapshot::Goldens;
use crate::vocab::Capability;

/// A connected target.
#[derive(Debug)]
pub struct Session {
    connected: Connected,
    runner: Arc<Runner>,
}

impl Session {
    /// Connect to the target `spec` names (the embedded reference when it names none).
    pub async fn connect(spec: TargetSpec) -> Result<Session, ConnectError> {
        Session::connect_with_goldens(spec, Goldens::none()).await
    }

    /// Connect, comparing each fixture's exchange with its golden snapshot.
    pub async fn connect_with_goldens(
        spec: TargetSpec,
        goldens: Goldens,
    ) -> Result<Session, ConnectError> {
        let connected = connect(spec, goldens).await?;
        let runner = Arc::new(Runner::new(
            connected.ctx.clone(),
            CancellationToken::new(),
            RunOptions::default().case_timeout,
        ));
        Ok(Session { connected, runner })
    }

    /// The target, as reports name it.
    pub fn target(&self) -> &TargetInfo {
        &self.connected.ctx.target
    }

    /// What the target can do beyond the public API (clock control, token minting, faults).
    pub fn capabilities(&self) -> &std::collections::BTreeSet<Capability> {
        &self.connected.ctx.capabilities
    }

    /// The run context (crate tests reach the admin client through it).
    #[cfg(test)]
    pub(crate) fn context(&self) -> &Arc<crate::run::RunContext> {
        &self.connected.ctx
    }

    /// HTTP requests sent so far (set-up and read-backs included).
    pub fn requests_sent(&self) -> u64 {
        self.connected
            .ctx
            .provisioner
            .admin()
            .http()
            .requests_sent()
    }

    /// Run a selection: its fixtures, and its properties with `settings`, every outcome
    /// streamed to `reporters`. The run's resources are deleted when it returns.
    pub async fn run(
        &self,
        selection: Catalogue,
        opts: &RunOptions,
        settings: Settings,
        reporters: &mut [Box<dyn Reporter>],
    ) -> Result<RunResult, RunError> {
        let mut jobs = case_jobs(selection.cases);
        jobs.extend(property::jobs(&property::Plan {
            properties: selection.properties,
            settings,
        }));
        crate::run::run(jobs, self.connected.ctx.clone(), opts, reporters).await
    }

    /// Run one fixture case (its exchange rendered for a golden comparison). Its pool is the
    /// session's and stays until [`Session::close`].
    pub async fn run_case(&self, case: &Case) -> CaseOutcome {
        let e = self
            .runner
            .execute(
                case,
                ExecOptions {
                    exchange: true,
                    ..ExecOptions::default()
                },
            )
            .await;
        outcome(header(case), e)
    }

    /// Run one property with `settings`.
    pub async fn run_property(&self, prop: &Property, settings: &Settings) -> CaseOutcome {
        let (runner, prop, settings) = (self.runner.clone(), prop.clone(), settings.clone());
        let handle = tokio::runtime::Handle::current();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let fallback = property::PropertyJob::new(prop.clone(), Arc::new(settings.clone()));
        tokio::task::spawn_blocking(move || {
            property::run_property(&prop, &settings, &runner, &handle, &tx)
        })
        .await
        .unwrap_or_else(|e| {
            let mut o = crate::run::Job::header(&fallback);
            o.reason = Some(format!("the property's thread failed: {e}"));
            o
        })
    }

    /// Delete everything the session created so far; returns the pools that could not be
    /// deleted, with the reason. The session stays usable.
    pub async fn clean_up(&self) -> Vec<String> {
        let ctx = &self.connected.ctx;
        ctx.provisioner
            .cleanup()
            .await
            .into_iter()
            .map(|(id, e)| format!("{id}: {}", ctx.redactor.redact(&e.to_string())))
            .collect()
    }

    /// [`Session::clean_up`], then stop the embedded reference.
    pub async fn close(self) -> Vec<String> {
        let left = self.clean_up().await;
        self.connected.shutdown().await;
        left
    }
}
