//! What the documentation promises: the service model (`model`), input validation derived from
//! it (`validate`) and the semantic rules of user attributes and tokens (`rules`).

pub mod model;

pub use model::Model;
