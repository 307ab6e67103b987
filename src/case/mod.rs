//! Cases: fixture files and generated requests become one `Case` type.

pub mod fixture;
