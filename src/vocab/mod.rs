//! The suite's vocabulary, a leaf: the names every layer shares (operations, target kinds,
//! pool and client kinds, capabilities, evidence levels, attribute-rule ids).
//!
//! They live below everything else so that a lower layer never has to import a higher one to
//! name a thing (the provisioner needs pool kinds, the wire needs operations, the rules need
//! their ids), and so that a kind is compared as a value, never as a string.

mod kinds;
mod operation;
mod rule;
mod signing;

pub use kinds::{Capability, ClientKind, EvidenceLevel, InjectedFault, PoolKind, TargetKind};
pub use operation::{Operation, kebab};
pub use rule::RuleId;
pub use signing::{PoolScope, Signing};
