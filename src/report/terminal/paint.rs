//! Colour for the terminal, or none: `anstyle` escape codes, written only when the caller
//! asked for colour and `NO_COLOR` (https://no-color.org) is not set.

use anstyle::{AnsiColor, Style};

use crate::check::Verdict;

/// Applies styles when colour is on; returns text unchanged otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paint {
    enabled: bool,
}

impl Paint {
    /// Colour iff `color` and `NO_COLOR` is unset or empty.
    pub fn new(color: bool) -> Paint {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            enabled: color && !no_color,
        }
    }

    /// `text` in `style`.
    pub fn style(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Section headings.
    pub fn heading(&self, text: &str) -> String {
        self.style(Style::new().bold(), text)
    }

    /// Secondary detail (field names, zero counts).
    pub fn dim(&self, text: &str) -> String {
        self.style(Style::new().dimmed(), text)
    }

    /// Lines only in the expectation.
    pub fn expected(&self, text: &str) -> String {
        self.style(color(AnsiColor::Red), text)
    }

    /// Lines only in what the target did.
    pub fn actual(&self, text: &str) -> String {
        self.style(color(AnsiColor::Green), text)
    }

    /// `text` in the colour of a verdict; non-strict is red only when it counts as a gap.
    pub fn verdict(&self, verdict: Verdict, strict: bool, text: &str) -> String {
        let style = match verdict {
            Verdict::Pass => color(AnsiColor::Green),
            Verdict::NonStrict if strict => color(AnsiColor::Red).bold(),
            Verdict::NonStrict => color(AnsiColor::Yellow),
            Verdict::Fail | Verdict::Error => color(AnsiColor::Red).bold(),
            Verdict::KnownGap => color(AnsiColor::Magenta),
            Verdict::Skip | Verdict::Interrupted => color(AnsiColor::Cyan),
        };
        self.style(style, text)
    }
}

fn color(c: AnsiColor) -> Style {
    Style::new().fg_color(Some(c.into()))
}
