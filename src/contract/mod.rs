//! What the documentation promises: the service model (`model`), input validation derived from
//! it (`json_types`, `validate`, `pattern`) and the semantic rules of user attributes
//! (`schema`, `rules`, `masking`) and access tokens (`token`).

pub mod json_types;
pub mod masking;
pub mod model;
pub mod pattern;
pub mod rules;
pub mod schema;
pub mod token;
pub mod validate;

pub use model::Model;
