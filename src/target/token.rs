//! Token states the public API cannot hand out directly, made from real tokens: a tampered
//! signature, `alg: none`, and one user's signature over another user's claims.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A JWT could not be taken apart (the target's access token is not a JWT).
#[derive(Debug, thiserror::Error)]
#[error("the target's access token is not a three-part JWT; cannot derive a {0} token")]
pub struct NotAJwt(pub &'static str);

fn parts(token: &str) -> Option<[&str; 3]> {
    let mut it = token.split('.');
    let p = [it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(p)
}

/// The same token with its signature altered (every base64url character shifted), so the
/// header and claims still decode.
pub fn tampered_signature(token: &str) -> Result<String, NotAJwt> {
    let [h, c, s] = parts(token).ok_or(NotAJwt("tampered-signature"))?;
    if s.is_empty() {
        return Err(NotAJwt("tampered-signature"));
    }
    let flipped: String = s
        .chars()
        .map(|ch| match ch {
            'A'..='Y' | 'a'..='y' | '0'..='8' => ((ch as u8) + 1) as char,
            'Z' => 'A',
            'z' => 'a',
            '9' => '0',
            other => other,
        })
        .collect();
    Ok(format!("{h}.{c}.{flipped}"))
}

/// The token's claims under a header that says `alg: none`, with an empty signature.
pub fn alg_none(token: &str) -> Result<String, NotAJwt> {
    let [h, c, _] = parts(token).ok_or(NotAJwt("alg-none"))?;
    let header: serde_json::Value = URL_SAFE_NO_PAD
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(NotAJwt("alg-none"))?;
    let mut header = header.as_object().cloned().ok_or(NotAJwt("alg-none"))?;
    header.insert("alg".into(), "none".into());
    let h2 = URL_SAFE_NO_PAD.encode(serde_json::Value::Object(header).to_string());
    Ok(format!("{h2}.{c}."))
}

/// `signer`'s header and signature over `claims_from`'s claims.
pub fn swapped_claims(signer: &str, claims_from: &str) -> Result<String, NotAJwt> {
    let [h, _, s] = parts(signer).ok_or(NotAJwt("other-user-claims"))?;
    let [_, c, _] = parts(claims_from).ok_or(NotAJwt("other-user-claims"))?;
    Ok(format!("{h}.{c}.{s}"))
}

#[cfg(test)]
/// The decoded claims of a JWT (used to learn `exp` and `sub`; no verification).
pub fn claims(token: &str) -> Option<serde_json::Value> {
    let [_, c, _] = parts(token)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!(
            "{}.{}.c2lnbmF0dXJlWnoZ9",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#),
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn tampering_changes_only_the_signature_and_keeps_the_pattern() {
        let t = jwt(r#"{"sub":"a"}"#);
        let x = tampered_signature(&t).unwrap();
        assert_ne!(x, t);
        assert_eq!(x.rsplit_once('.').unwrap().0, t.rsplit_once('.').unwrap().0);
        let re = regex::Regex::new("^[A-Za-z0-9-_=.]+$").unwrap();
        assert!(re.is_match(&x));
    }

    #[test]
    fn alg_none_has_no_signature_and_same_claims() {
        let t = jwt(r#"{"sub":"a"}"#);
        let n = alg_none(&t).unwrap();
        assert!(n.ends_with('.'));
        let h: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(n.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(h["alg"], "none");
        assert_eq!(claims(&n).unwrap()["sub"], "a");
    }

    #[test]
    fn swapped_claims_carry_the_other_subject() {
        let a = jwt(r#"{"sub":"a"}"#);
        let b = jwt(r#"{"sub":"b"}"#);
        assert_eq!(
            claims(&swapped_claims(&a, &b).unwrap()).unwrap()["sub"],
            "b"
        );
        assert!(swapped_claims("opaque", &b).is_err());
    }
}
