//! Where the target is, following the AWS SDK conventions.
//!
//! Precedence: `--endpoint`, then `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then
//! `AWS_ENDPOINT_URL`. Region: `--region`, then `AWS_REGION`, then `AWS_DEFAULT_REGION`, then
//! `us-east-1` (emulators ignore it; real AWS runs must name one explicitly).

use std::collections::BTreeMap;

/// Resolved target settings.
#[derive(Debug, Clone)]
pub struct TargetConfig {
    /// Endpoint URL (`http://127.0.0.1:9229/`).
    pub url: String,
    /// Signing region.
    pub region: String,
    /// Where the URL came from (flag or variable name).
    pub url_source: String,
}

/// The endpoint given cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// Not a URL.
    #[error("endpoint {url:?} (from {source_name}) is not a valid URL: {reason}")]
    Invalid {
        /// The text given.
        url: String,
        /// Flag or variable it came from.
        source_name: String,
        /// Parser message.
        reason: String,
    },
    /// Not http or https.
    #[error("endpoint {url:?} (from {source_name}) must use http or https")]
    Scheme {
        /// The text given.
        url: String,
        /// Flag or variable it came from.
        source_name: String,
    },
}

/// The environment variables that name an endpoint, most specific first.
pub const ENDPOINT_VARS: [&str; 2] = [
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_ENDPOINT_URL",
];

/// Resolve the endpoint from a flag and an environment snapshot. `Ok(None)`: none given, use
/// the embedded reference.
pub fn resolve(
    flag: Option<&str>,
    region_flag: Option<&str>,
    env: &BTreeMap<String, String>,
) -> Result<Option<TargetConfig>, EndpointError> {
    let found = flag
        .map(|u| (u.to_string(), "--endpoint".to_string()))
        .or_else(|| {
            ENDPOINT_VARS.iter().find_map(|v| {
                env.get(*v)
                    .filter(|s| !s.is_empty())
                    .map(|u| (u.clone(), v.to_string()))
            })
        });
    let Some((url, source_name)) = found else {
        return Ok(None);
    };
    let parsed = url::Url::parse(&url).map_err(|e| EndpointError::Invalid {
        url: url.clone(),
        source_name: source_name.clone(),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(EndpointError::Scheme { url, source_name });
    }
    Ok(Some(TargetConfig {
        url: parsed.to_string(),
        region: region(region_flag, env),
        url_source: source_name,
    }))
}

/// The signing region.
pub fn region(flag: Option<&str>, env: &BTreeMap<String, String>) -> String {
    flag.map(str::to_string)
        .or_else(|| env.get("AWS_REGION").cloned())
        .or_else(|| env.get("AWS_DEFAULT_REGION").cloned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "us-east-1".to_string())
}

/// True for hosts on this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// True when the URL is an AWS service endpoint (real Cognito).
pub fn is_real_aws(url: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .is_some_and(|h| h.ends_with(".amazonaws.com") || h.ends_with(".amazonaws.com.cn"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn flag_beats_service_variable_beats_global_variable() {
        let e = env(&[
            (
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                "http://127.0.0.1:2/",
            ),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:3/"),
        ]);
        let c = resolve(Some("http://127.0.0.1:1"), None, &e)
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.url.as_str(), c.url_source.as_str()),
            ("http://127.0.0.1:1/", "--endpoint")
        );
        let c = resolve(None, None, &e).unwrap().unwrap();
        assert_eq!(c.url, "http://127.0.0.1:2/");
        let c = resolve(
            None,
            None,
            &env(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:3")]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.url_source, "AWS_ENDPOINT_URL");
        assert!(resolve(None, None, &env(&[])).unwrap().is_none());
    }

    #[test]
    fn bad_endpoints_are_typed_errors() {
        assert!(matches!(
            resolve(Some("not a url"), None, &env(&[])),
            Err(EndpointError::Invalid { .. })
        ));
        assert!(matches!(
            resolve(Some("ftp://x/"), None, &env(&[])),
            Err(EndpointError::Scheme { .. })
        ));
    }

    #[test]
    fn region_precedence_and_host_kinds() {
        assert_eq!(
            region(None, &env(&[("AWS_DEFAULT_REGION", "eu-west-1")])),
            "eu-west-1"
        );
        assert_eq!(
            region(Some("ap-south-1"), &env(&[("AWS_REGION", "x")])),
            "ap-south-1"
        );
        assert!(
            is_loopback("http://127.0.0.2:5/")
                && is_loopback("http://localhost/")
                && is_loopback("http://[::1]:3/")
        );
        assert!(!is_loopback("https://cognito-idp.us-east-1.amazonaws.com/"));
        assert!(is_real_aws("https://cognito-idp.us-east-1.amazonaws.com/"));
    }
}
