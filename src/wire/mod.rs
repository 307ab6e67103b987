//! AWS JSON 1.1 on the wire: building requests (well-formed and deliberately broken), sending
//! them, capturing the raw exchange, reading the error type and message, SigV4 signing and reproductions.

mod attributes;
pub mod client;
pub mod curl;
pub mod error_message;
pub mod error_type;
mod exchange_log;
pub mod request;
pub mod sigv4;

pub use attributes::attributes_of;
pub use client::{HttpClient, Response, WireError, WireSettings};
pub use error_type::resolve_error_type;
pub use request::{CONTENT_TYPE, POST, Request};
