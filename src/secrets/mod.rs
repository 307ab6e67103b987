//! Secrets, a leaf: the one redaction policy ([`Redactor`]) and the process-wide registry of
//! secrets discovered while a run goes on ([`SecretRegistry`], read by the log sink).
//!
//! Every text that leaves the process (terminal, reports, reproductions, logs, snapshots) goes
//! through a [`Redactor`] first. It sits below every other module so that the wire, the
//! provisioner and the logger can register and redact secrets without reaching up into the
//! snapshot layer.

mod redact;
mod registry;

pub use redact::Redactor;
pub use registry::{SecretRegistry, global};
