//! The reference's clock: wall time plus an offset the suite can advance (`AdvanceClock`).
//!
//! Every time the server uses (token `iat`/`exp`, expiry checks, creation dates) comes from
//! here, so a case can expire a token without waiting an hour.

use std::time::{SystemTime, UNIX_EPOCH};

/// Upper bound of the offset: 100 years. Keeps arithmetic far from overflow whatever the suite
/// (or a fuzzer) sends.
pub const MAX_OFFSET_SECONDS: i64 = 100 * 365 * 24 * 3600;

/// Wall clock plus offset.
#[derive(Debug, Default, Clone, Copy)]
pub struct Clock {
    offset_seconds: i64,
}

impl Clock {
    /// Move forward by `seconds` (saturating at [`MAX_OFFSET_SECONDS`]).
    pub fn advance(&mut self, seconds: u64) {
        let step = i64::try_from(seconds).unwrap_or(i64::MAX);
        self.offset_seconds = self
            .offset_seconds
            .saturating_add(step)
            .min(MAX_OFFSET_SECONDS);
    }

    /// The machine's clock in milliseconds since the epoch.
    fn wall_millis() -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        i64::try_from(wall).unwrap_or(i64::MAX)
    }

    /// Now, in milliseconds since the epoch.
    fn now_millis(&self) -> i64 {
        Self::wall_millis().saturating_add(self.offset_seconds.saturating_mul(1000))
    }

    /// The machine's wall clock in whole seconds, without the offset. A SigV4 signer (the
    /// suite) signs with this clock even after `AdvanceClock`.
    pub fn wall_now(&self) -> i64 {
        Self::wall_millis() / 1000
    }

    /// Now, in whole seconds (JWT times).
    pub fn now(&self) -> i64 {
        self.now_millis() / 1000
    }

    /// Now as AWS JSON's epoch-seconds timestamp (with milliseconds).
    pub fn timestamp(&self) -> f64 {
        self.now_millis() as f64 / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_and_saturates() {
        let mut c = Clock::default();
        let before = c.now();
        c.advance(3600);
        assert!(c.now() >= before + 3600);
        c.advance(u64::MAX);
        assert!(c.now() <= before + MAX_OFFSET_SECONDS + 10);
        assert!((c.wall_now() - before).abs() < 10);
    }
}
