//! The embedded reference target (see issue 3).
