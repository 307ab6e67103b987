//! A target: an endpoint plus what it can do, and everything the suite provisions on it.

pub mod admin;
pub mod budget;
pub mod cleanup;
pub mod control;
pub mod credentials;
pub mod endpoint;
pub mod launch;
pub mod provision;
#[cfg(feature = "aws-config")]
pub mod sdk_credentials;
pub mod signing;
pub mod token;

pub use admin::{Admin, AdminError};
pub use endpoint::EndpointError;
pub use provision::{Pool, Provisioner, Tokens, UserHandle};
