//! Normalisation and redaction of everything the suite shows or stores.

pub mod redact;
pub mod secrets;

pub use redact::Redactor;
