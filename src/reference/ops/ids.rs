//! Generated identifiers in Cognito's formats.

use rand::Rng;
use rand::distr::Alphanumeric;

/// Region part of pool ids and ARNs.
pub const REGION: &str = "us-east-1";

/// Account part of ARNs.
pub const ACCOUNT: &str = "000000000000";

fn random(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// `us-east-1_AbCdEf123` (matches `UserPoolIdType`).
pub fn pool_id() -> String {
    format!("{REGION}_{}", random(9))
}

/// 26 lowercase alphanumerics (matches `ClientIdType`).
pub fn client_id() -> String {
    random(26).to_lowercase()
}

/// A 51-character client secret.
pub fn client_secret() -> String {
    random(51).to_lowercase()
}

/// A challenge session string (matches `SessionType`, 20..2048).
pub fn session() -> String {
    random(64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::pattern::full_match;

    #[test]
    fn ids_match_the_model_patterns() {
        assert_eq!(full_match(r"[\w-]+_[0-9a-zA-Z]+", &pool_id()), Some(true));
        assert_eq!(full_match(r"[\w+]+", &client_id()), Some(true));
        assert_ne!(pool_id(), pool_id());
    }
}
