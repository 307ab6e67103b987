//! Cases: fixture files become one [`Case`] type; generated cases (`crate::property`) are
//! fixture-shaped too, and a failing one is saved as a fixture.

mod expand;
pub mod fixture;
pub mod load;
pub mod locate;
pub mod placeholder;

pub use fixture::Fixture;
pub use load::{FixtureError, LoadError, load_dir};

/// The operations whose behaviour the catalogue covers.
pub const COVERED_OPERATIONS: [&str; 3] =
    ["DeleteUser", "DeleteUserAttributes", "UpdateUserAttributes"];

/// Where generated cases live: property ids are `generated/<operation>/<property>`, and a
/// failure saved as a fixture is `fixtures/generated/<operation>/<property>-<hash>.toml`.
pub const GENERATED_DIR: &str = "generated";

/// One runnable case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable id: the fixture path below the fixtures root, without `.toml`
    /// (`update-user-attributes/schema/immutable-custom-attribute`).
    pub id: String,
    /// Path of the fixture file as given to the loader.
    pub path: std::path::PathBuf,
    /// The parsed fixture.
    pub fixture: Fixture,
}

impl Case {
    /// The operation under test.
    pub fn operation(&self) -> &str {
        &self.fixture.when.operation
    }

    /// The contract section: the second path component, or `generated` for a saved failure of
    /// a generated case (`generated/<operation>/<name>`).
    pub fn group(&self) -> &str {
        if self.id.split('/').next() == Some(GENERATED_DIR) {
            return GENERATED_DIR;
        }
        self.id.split('/').nth(1).unwrap_or("")
    }
}

/// The kebab-case directory name of an operation (`UpdateUserAttributes` ->
/// `update-user-attributes`).
pub fn operation_dir(operation: &str) -> String {
    let mut out = String::new();
    for (i, ch) in operation.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}
