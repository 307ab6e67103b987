//! What the documentation promises: the service model (`model`), input validation derived from
//! it (`json_types`, `validate`, `pattern`) and the semantic rules of user attributes
//! (`schema`, `rules`, `masking`) and access tokens (`token`), and those of the attribute-operation
//! family: AddCustomAttributes (`custom_attributes`) and verification codes (`verification`).

pub mod backlog;
pub mod custom_attributes;
pub mod json_types;
pub mod masking;
pub mod model;
pub mod pattern;
pub mod registry;
pub mod rules;
pub mod schema;
pub mod token;
pub mod validate;
pub mod verification;

#[cfg(test)]
mod validate_family_tests;

pub use model::Model;
pub use registry::{Registry, Requirement};
