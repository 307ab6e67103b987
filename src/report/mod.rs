//! Reporters, all fed by one stream of [`events::Event`]s: terminal, JSON, JUnit, Markdown.

pub mod events;

pub use events::{CaseOutcome, Event, ObservedSummary, Reporter, ReportError, RunSummary, TargetInfo};
