//! How Cognito masks a code-delivery destination (`CodeDeliveryDetails.Destination`).
//!
//! Observed: `b***@e***` for an email (first character of the local part and of the domain);
//! phone numbers keep the `+` and the last four digits (`+*******0123`). A destination in a
//! response must never be the plain address, which is what the suite checks.

/// Mask an email address: `bob@example.com` -> `b***@e***`.
pub fn mask_email(address: &str) -> String {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// Mask a phone number: `+15555550123` -> `+*******0123`.
pub fn mask_phone(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let keep_from = chars.len().saturating_sub(4);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i >= keep_from || (i == 0 && *c == '+') {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_keeps_first_letters_only() {
        assert_eq!(mask_email("bob@example.com"), "b***@e***");
        assert_eq!(mask_email("élise@ünï.de"), "é***@ü***");
        assert_eq!(mask_email("odd"), "o***@***");
    }

    #[test]
    fn phone_keeps_plus_and_last_four() {
        assert_eq!(mask_phone("+15555550123"), "+*******0123");
        assert_eq!(mask_phone("+12"), "+12");
    }
}
