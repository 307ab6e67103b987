//! Normalisation and redaction of everything the suite shows or stores, and the golden
//! snapshots compared against it.
//!
//! - [`normalize`]: numbered placeholders for run-specific values, on top of the one redaction
//!   policy ([`crate::secrets`]);
//! - [`exchange`]: the normalized exchange a golden holds;
//! - [`golden`]: the `.snap` files, their provenance, and the strict-tier diff.

pub mod exchange;
pub mod golden;
pub mod normalize;

pub use exchange::{Capture, Exchange};
pub use golden::{Golden, GoldenError, GoldenStore, Goldens, Info, MISSING_GOLDEN, Provenance};
pub use normalize::{Kind, Normalizer};
