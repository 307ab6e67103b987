//! Reporters, all fed by one stream of [`Event`]s (the runner's output): terminal, JSON, JUnit, Markdown.
//!
//! The terminal reporter writes as the run goes; the file reporters collect the stream and
//! write their file whole when the run completes. Counting (what "passed" means) and naming
//! (`non-strict`, `documented`) are shared, so no two views can disagree.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod matrix;
mod md_escape;
pub mod merge;
pub mod tally;
pub mod terminal;

mod collect;
mod file;
mod findings;
mod labels;
mod mismatch;

#[cfg(test)]
mod tests;

pub use json::{JsonReport, JsonReporter, read_report};
pub use junit::JunitReporter;
pub use markdown::MarkdownReporter;
pub use terminal::{TerminalOptions, TerminalReporter};
