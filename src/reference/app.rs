//! The shared state of one running reference server.

use std::sync::{Mutex, MutexGuard};

use super::breaks::Breaks;
use super::jwt::Keys;
use super::store::Store;

/// State shared by all requests.
#[derive(Debug)]
pub struct App {
    /// Pools, users, sessions, clock.
    pub store: Mutex<Store>,
    /// Token signing key.
    pub keys: Keys,
    /// `http://127.0.0.1:<port>`: the issuer prefix of tokens.
    pub base_url: String,
    /// Requirements violated on purpose (none unless asked for).
    pub breaks: Breaks,
}

impl App {
    /// Lock the store. A poisoned lock (a bug panicked mid-request) is recovered rather than
    /// turning every later request into a panic.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
