//! The human view of a run: a progress bar on stderr (counting case executions, with an
//! estimate of the time left), and at the end the failing requirements, the worst cases in
//! full, one line each for known gaps, non-strict differences and skips, a per-operation
//! table, the verdict and the count line CI tooling reads (always the last line).
//! `--verbose` adds a status line per case as it finishes and every case in full at the end.

mod digest;
mod paint;
mod render;

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::check::Verdict;

use super::collect::RunLog;
use crate::run::events::{Event, ReportError, Reporter};
use paint::Paint;

/// How the terminal reporter behaves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TerminalOptions {
    /// Colour the output (still off when `NO_COLOR` is set).
    pub color: bool,
    /// Show a progress bar on stderr (still hidden when stderr is not a terminal or `CI` is set).
    pub progress: bool,
    /// A status line for every case, passes included.
    pub verbose: bool,
    /// Non-strict counts as a failure (also taken from the run summary).
    pub strict: bool,
}

impl TerminalOptions {
    /// Colour when stdout is a terminal, progress when stderr is one: the usual defaults.
    pub fn detect(verbose: bool, strict: bool) -> TerminalOptions {
        TerminalOptions {
            color: std::io::stdout().is_terminal(),
            progress: std::io::stderr().is_terminal(),
            verbose,
            strict,
        }
    }
}

/// Writes the run to a terminal (or any writer) as it happens.
pub struct TerminalReporter {
    out: Box<dyn Write + Send>,
    opts: TerminalOptions,
    paint: Paint,
    bar: Option<ProgressBar>,
    log: RunLog,
    /// Harness errors already shown, by reason: the same error of many cases (a set-up the
    /// target cannot do) is shown once as it happens.
    errors_shown: std::collections::HashSet<String>,
}

impl TerminalReporter {
    /// A reporter writing to `out` (usually stdout); the progress bar goes to stderr.
    pub fn new(out: Box<dyn Write + Send>, opts: TerminalOptions) -> TerminalReporter {
        TerminalReporter {
            out,
            opts,
            paint: Paint::new(opts.color),
            bar: None,
            errors_shown: Default::default(),
            log: RunLog::default(),
        }
    }

    /// Write `text` without tearing the progress bar.
    fn write(&mut self, text: &str) -> Result<(), ReportError> {
        let out = &mut self.out;
        let mut put = || out.write_all(text.as_bytes()).and_then(|()| out.flush());
        let result = match &self.bar {
            Some(bar) => bar.suspend(put),
            None => put(),
        };
        result.map_err(|source| ReportError::Terminal { source })
    }

    fn start_progress(&mut self, planned: usize) {
        let visible = self.opts.progress
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none();
        if !visible {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(planned as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {pos}/{len} cases [{bar:30}] {elapsed}, about {eta} left {wide_msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        self.bar = Some(bar);
    }
}

impl Reporter for TerminalReporter {
    fn event(&mut self, event: &Event) -> Result<(), ReportError> {
        self.log.observe(event);
        match event {
            Event::Started { total, planned, .. } => {
                let header = self
                    .log
                    .start_seen()
                    .map(render::header)
                    .unwrap_or_default();
                self.write(&header)?;
                // `planned` counts a property's cases (older streams may lack it: 0).
                self.start_progress(if *planned > 0 { *planned } else { *total });
            }
            Event::CaseFinished(outcome) => {
                if let Some(bar) = &self.bar {
                    // A fixture is one execution; a property's cases came as Progress events,
                    // and the cases it did not run (it stopped early) are done too.
                    let rest = match &outcome.generated {
                        None => 1,
                        Some(g) => (g.cases_asked as usize)
                            .saturating_sub(g.cases_run.saturating_sub(g.shrink_steps as usize)),
                    };
                    advance(bar, rest);
                    bar.set_message(outcome.id.clone());
                }
                // By default a case is reported at the end, grouped; only the first harness
                // error of its kind is shown at once (it may explain a long wait).
                let first_error = outcome.verdict == Verdict::Error
                    && self
                        .errors_shown
                        .insert(outcome.reason.clone().unwrap_or_default());
                if self.opts.verbose || first_error {
                    let line = render::status_line(outcome, self.opts.strict, &self.paint);
                    self.write(&line)?;
                }
            }
            Event::Progress { cases } => {
                if let Some(bar) = &self.bar {
                    advance(bar, *cases);
                }
            }
            Event::Finding(f) => {
                let line = render::finding(f, &self.paint);
                self.write(&line)?;
            }
            Event::Completed(summary) => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                let strict = self.opts.strict || summary.strict;
                let text =
                    render::end_of_run(&self.log, summary, strict, self.opts.verbose, &self.paint);
                self.write(&text)?;
            }
        }
        Ok(())
    }
}

/// Move the bar on by `n` executions; shrinking steps are executions nobody planned, so the
/// length grows with them rather than the bar running past its end.
fn advance(bar: &ProgressBar, n: usize) {
    bar.inc(n as u64);
    if let Some(len) = bar.length()
        && bar.position() > len
    {
        bar.set_length(bar.position());
    }
}
