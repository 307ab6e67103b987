//! Loopback tests of the reference server.
