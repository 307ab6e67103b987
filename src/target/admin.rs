//! Calls the suite makes to provision and read back: signed admin operations and the unsigned
//! user operations (sign-in, GetUser, GlobalSignOut), retried on throttling.
//!
//! Throttling is never counted against the target. Set-up calls that are throttled back off
//! (exponential, full jitter) and retry; when they are still throttled after
//! [`RetryPolicy::max_attempts`] the case ends in `error` ("throttled after K attempts"), never
//! `fail`. The request under test is retried the same way, unless the case injected the
//! throttling on purpose; see [`Admin::send_under_test`].

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rand::Rng;
use serde_json::Value;
use tracing::{debug, info, trace, warn};

use super::budget::{Budget, Rates};
use crate::secrets;
use crate::vocab::Signing;
use crate::wire::sigv4::{
    AwsCredentials, SignError, SigningFault, sign_request, sign_request_with_fault,
};
use crate::wire::{HttpClient, Request, Response, WireError};

/// A set-up call failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// The exchange itself failed.
    #[error("{operation}: {source}")]
    Wire {
        /// Operation called.
        operation: String,
        /// Cause.
        #[source]
        source: WireError,
    },
    /// The target answered with an error.
    #[error("{operation} failed with HTTP {status} {error_type}: {message}")]
    Service {
        /// Operation called.
        operation: String,
        /// HTTP status.
        status: u16,
        /// Resolved error type (`unknown` if none could be resolved).
        error_type: String,
        /// Error message (possibly empty).
        message: String,
    },
    /// The target answered 2xx with something that is not the expected JSON.
    #[error("{operation} returned an unusable response: {reason}")]
    BadResponse {
        /// Operation called.
        operation: String,
        /// What was wrong.
        reason: String,
    },
    /// The target kept throttling a set-up call; the retries ran out.
    #[error(
        "{operation} throttled after {attempts} attempts ({error_type}): the target's rate limit, not a conformance gap; lower --max-rps or run again later"
    )]
    Throttled {
        /// Operation called.
        operation: String,
        /// Attempts made, the first included.
        attempts: u32,
        /// The throttling error type of the last answer (or `HTTP 429`).
        error_type: String,
    },
    /// Signing failed.
    #[error("{operation}: {source}")]
    Sign {
        /// Operation called.
        operation: String,
        /// Cause.
        #[source]
        source: SignError,
    },
}

impl AdminError {
    /// The resolved error type, for service errors.
    pub fn error_type(&self) -> Option<&str> {
        match self {
            AdminError::Service { error_type, .. } | AdminError::Throttled { error_type, .. } => {
                Some(error_type)
            }
            _ => None,
        }
    }
}

/// How throttled calls are retried: full-jitter exponential backoff, the delay before retry
/// `k` (from 1) uniform in `[0, min(cap, base * 2^k)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Base delay.
    pub base: Duration,
    /// Largest delay.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts, 200 ms base, 20 s cap: at most 12.4 s of back-off per call, well past
    /// the one-second windows Cognito's per-second quotas are counted in.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The upper bound of the delay before retry `retry` (1-based).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.min(20);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A delay before retry `retry`, drawn uniformly from `[0, ceiling]` ("full jitter": many
    /// throttled callers spread out instead of retrying in lockstep).
    pub fn delay(&self, retry: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.ceiling(retry).as_micros() as u64;
        Duration::from_micros(rng.random_range(0..=ceiling))
    }
}

/// What came of the request under test.
#[derive(Debug)]
pub struct UnderTest {
    /// The last answer (or why there was none).
    pub response: Result<Response, WireError>,
    /// Set when the last answer was still throttling after every retry: the case cannot be
    /// judged (`error`, not `fail`).
    pub still_throttled: Option<String>,
}

/// Client for set-up and read-back calls.
#[derive(Debug, Clone)]
pub struct Admin {
    http: HttpClient,
    url: String,
    region: String,
    credentials: AwsCredentials,
    budget: Option<Arc<Budget>>,
    retry: RetryPolicy,
}

impl Admin {
    /// A client for `url`. `max_rps`: optional overall request budget shared by every clone
    /// (see [`Admin::with_budget`] for per-category budgets).
    ///
    /// The credentials' secret key and session token are registered as secrets here, the one
    /// place every credential the suite signs with passes through.
    pub fn new(
        http: HttpClient,
        url: &str,
        region: &str,
        credentials: AwsCredentials,
        max_rps: Option<f64>,
    ) -> Admin {
        let registry = secrets::global();
        registry.register(&credentials.secret_access_key, "AWS_SECRET_ACCESS_KEY");
        if let Some(t) = &credentials.session_token {
            registry.register(t, "AWS_SESSION_TOKEN");
        }
        Admin {
            http,
            url: url.to_string(),
            region: region.to_string(),
            credentials,
            budget: max_rps
                .filter(|r| *r > 0.0)
                .map(|r| Arc::new(Budget::new(Rates::overall(r)))),
            retry: RetryPolicy::default(),
        }
    }

    /// Replace the request budget (shared by every clone made afterwards).
    pub fn with_budget(mut self, rates: Rates) -> Admin {
        self.budget = Some(Arc::new(Budget::new(rates)));
        self
    }

    /// Replace the retry policy for throttled calls.
    #[cfg(test)]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Admin {
        self.retry = retry;
        self
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP client (shared limits).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Wait for the request budget of `operation` (overall and its quota category).
    pub async fn pace_for(&self, operation: &str) {
        if let Some(b) = &self.budget {
            let waited = b.wait(operation).await;
            if !waited.is_zero() {
                trace!(
                    operation,
                    waited_ms = waited.as_millis() as u64,
                    "request budget"
                );
            }
        }
    }

    /// Whether the credentials carry a session token (a reproduction must send it too).
    pub fn has_session_token(&self) -> bool {
        self.credentials.session_token.is_some()
    }

    /// Sign the request under test as `signing` says, as of now: with the administrator
    /// credentials, or wrongly on purpose; [`Signing::Unsigned`] leaves it as it is.
    /// [`Signing::PrincipalWithoutPermission`] signs correctly with `principal`, the credentials
    /// the case's set-up registered.
    pub fn sign_under_test(
        &self,
        request: &mut Request,
        signing: Signing,
        principal: Option<&AwsCredentials>,
    ) -> Result<(), AdminError> {
        let mut credentials = &self.credentials;
        let fault = match signing {
            Signing::Unsigned => return Ok(()),
            Signing::Signed => None,
            Signing::PrincipalWithoutPermission => {
                credentials = principal.ok_or_else(|| AdminError::Sign {
                    operation: request.operation.clone(),
                    source: SignError::new("no principal was registered for the case"),
                })?;
                None
            }
            Signing::UnknownAccessKey => Some(SigningFault::UnknownAccessKey),
            Signing::WrongSecret => Some(SigningFault::WrongSecret),
            Signing::StaleDate => Some(SigningFault::Stale(Signing::STALE_BY)),
            Signing::FutureDate => Some(SigningFault::Ahead(Signing::STALE_BY)),
            Signing::TamperedSignature => Some(SigningFault::TamperedSignature),
        };
        let now = SystemTime::now();
        match fault {
            None => sign_request(request, &self.url, credentials, &self.region, now),
            Some(f) => {
                sign_request_with_fault(request, &self.url, credentials, &self.region, now, f)
            }
        }
        .map_err(|source| AdminError::Sign {
            operation: request.operation.clone(),
            source,
        })
    }

    /// A SigV4-signed call; returns the output JSON (`{}` for an empty body).
    pub async fn signed(&self, operation: &str, input: &Value) -> Result<Value, AdminError> {
        self.call(operation, input, true).await
    }

    /// An unsigned call (token-authorized or public operations).
    pub async fn unsigned(&self, operation: &str, input: &Value) -> Result<Value, AdminError> {
        self.call(operation, input, false).await
    }

    /// Send once, without retries, and return the raw response (read-back probes).
    pub async fn raw(
        &self,
        operation: &str,
        input: &Value,
        signed: bool,
    ) -> Result<Response, AdminError> {
        self.pace_for(operation).await;
        let mut req = Request::json(operation, input);
        if signed {
            sign_request(
                &mut req,
                &self.url,
                &self.credentials,
                &self.region,
                SystemTime::now(),
            )
            .map_err(|source| AdminError::Sign {
                operation: operation.into(),
                source,
            })?;
        }
        self.http
            .send(&self.url, &req)
            .await
            .map_err(|source| AdminError::Wire {
                operation: operation.into(),
                source,
            })
    }

    /// Send the request under test within the budget. A throttled answer is retried with the
    /// set-up back-off when `retry_throttling` (the case did not inject the throttling
    /// itself): Cognito rejects a throttled call before acting on it, so sending it again
    /// judges the same request, and the target's rate limit is not a conformance gap.
    pub async fn send_under_test(&self, request: &Request, retry_throttling: bool) -> UnderTest {
        let mut attempts = 0;
        loop {
            attempts += 1;
            self.pace_for(&request.operation).await;
            let response = self.http.send(&self.url, request).await;
            let throttled = response.as_ref().ok().and_then(throttling);
            match throttled {
                Some(kind) if retry_throttling && attempts < self.retry.max_attempts => {
                    self.back_off(&request.operation, attempts, &kind).await;
                }
                Some(kind) if retry_throttling => {
                    warn!(operation = %request.operation, attempts, error_type = %kind,
                        "the request under test is still throttled; not judged");
                    return UnderTest {
                        response,
                        still_throttled: Some(format!(
                            "the request under test was throttled {attempts} times in a row ({kind}): the target's rate limit is not a conformance gap, so the case was not judged; lower --max-rps or run again later"
                        )),
                    };
                }
                _ => {
                    return UnderTest {
                        response,
                        still_throttled: None,
                    };
                }
            }
        }
    }

    async fn back_off(&self, operation: &str, attempt: u32, kind: &str) {
        let delay = self.retry.delay(attempt, &mut rand::rng());
        info!(
            operation,
            attempt,
            max_attempts = self.retry.max_attempts,
            error_type = kind,
            delay_ms = delay.as_millis() as u64,
            "throttled; backing off"
        );
        tokio::time::sleep(delay).await;
    }

    async fn call(
        &self,
        operation: &str,
        input: &Value,
        signed: bool,
    ) -> Result<Value, AdminError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let resp = self.raw(operation, input, signed).await?;
            let Some(kind) = throttling(&resp) else {
                let out = interpret(operation, &resp);
                if let Err(e) = &out {
                    debug!(operation, error = %e, "set-up call failed");
                }
                return out;
            };
            if attempts >= self.retry.max_attempts {
                warn!(operation, attempts, error_type = %kind, "set-up call still throttled; giving up");
                return Err(AdminError::Throttled {
                    operation: operation.into(),
                    attempts,
                    error_type: kind,
                });
            }
            self.back_off(operation, attempts, &kind).await;
        }
    }
}

/// The throttling error of a response, if it is one: a throttling error type (Cognito sends
/// HTTP 400 `TooManyRequestsException`) or HTTP 429 whatever the body says.
pub fn throttling(resp: &Response) -> Option<String> {
    if !(400..500).contains(&resp.status) {
        return None;
    }
    match resp.error_type() {
        Some(t)
            if matches!(
                t.as_str(),
                "TooManyRequestsException" | "ThrottlingException"
            ) =>
        {
            Some(t)
        }
        _ if resp.status == 429 => Some("HTTP 429".into()),
        _ => None,
    }
}

/// Turn a response into output JSON or a typed error.
pub fn interpret(operation: &str, resp: &Response) -> Result<Value, AdminError> {
    if (200..300).contains(&resp.status) {
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Object(Default::default()));
        }
        return match resp.json() {
            Some(v @ Value::Object(_)) => Ok(v),
            _ => Err(AdminError::BadResponse {
                operation: operation.into(),
                reason: format!(
                    "HTTP {} with a body that is not a JSON object ({} bytes)",
                    resp.status,
                    resp.body.len()
                ),
            }),
        };
    }
    Err(AdminError::Service {
        operation: operation.into(),
        status: resp.status,
        error_type: resp.error_type().unwrap_or_else(|| "unknown".into()),
        message: resp.error_message().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn backoff_ceilings_double_up_to_the_cap() {
        let p = RetryPolicy::default();
        let ceilings: Vec<u64> = (1..=8).map(|k| p.ceiling(k).as_millis() as u64).collect();
        assert_eq!(ceilings, [400, 800, 1600, 3200, 6400, 12800, 20000, 20000]);
        assert_eq!(p.ceiling(u32::MAX), Duration::from_secs(20));
    }

    #[test]
    fn backoff_is_full_jitter_within_each_ceiling() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(1);
        for k in 1..=6 {
            let draws: Vec<Duration> = (0..500).map(|_| p.delay(k, &mut rng)).collect();
            let ceiling = p.ceiling(k);
            assert!(draws.iter().all(|d| *d <= ceiling));
            // Full jitter spreads over the whole range, not just near the ceiling.
            assert!(draws.iter().any(|d| *d < ceiling / 4), "retry {k}");
            assert!(draws.iter().any(|d| *d > ceiling * 3 / 4), "retry {k}");
        }
    }

    #[test]
    fn throttling_is_recognised_by_type_or_429_only() {
        let t = |s, b| throttling(&resp(s, b));
        assert_eq!(
            t(
                400,
                r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#
            ),
            Some("TooManyRequestsException".into())
        );
        assert_eq!(t(429, "<html>slow down</html>"), Some("HTTP 429".into()));
        assert_eq!(t(400, r#"{"__type":"LimitExceededException"}"#), None);
        assert_eq!(t(400, r#"{"__type":"NotAuthorizedException"}"#), None);
        assert_eq!(t(200, r#"{"__type":"TooManyRequestsException"}"#), None);
    }

    #[test]
    fn empty_success_bodies_are_empty_objects() {
        let r = Response {
            status: 200,
            headers: vec![],
            body: vec![],
            elapsed: Duration::ZERO,
        };
        assert_eq!(interpret("DeleteUser", &r).unwrap(), serde_json::json!({}));
        let r = Response {
            status: 200,
            headers: vec![],
            body: b"<html>".to_vec(),
            elapsed: Duration::ZERO,
        };
        assert!(matches!(
            interpret("X", &r),
            Err(AdminError::BadResponse { .. })
        ));
    }
}
