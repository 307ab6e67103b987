//! Calls the suite makes to provision and read back: signed admin operations and the unsigned
//! user operations (sign-in, GetUser, GlobalSignOut), retried on throttling.
//!
//! Throttling during set-up is never counted against the target: set-up calls back off
//! exponentially with jitter and retry; only the request under test is judged.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rand::Rng;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::wire::sigv4::{AwsCredentials, SignError, sign_request};
use crate::wire::{HttpClient, Request, Response, WireError};

/// A set-up call failed.
#[derive(Debug, thiserror::Error)]
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
            AdminError::Service { error_type, .. } => Some(error_type),
            _ => None,
        }
    }
}

/// Client for set-up and read-back calls.
#[derive(Debug, Clone)]
pub struct Admin {
    http: HttpClient,
    url: String,
    region: String,
    credentials: AwsCredentials,
    pacer: Option<Arc<Pacer>>,
    max_retries: u32,
}

/// Spaces calls at least `interval` apart (a request budget under Cognito's quotas).
#[derive(Debug)]
struct Pacer {
    interval: Duration,
    next: Mutex<tokio::time::Instant>,
}

impl Pacer {
    async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = tokio::time::Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        *next = tokio::time::Instant::now() + self.interval;
    }
}

impl Admin {
    /// A client for `url`. `max_rps`: optional request budget shared by every clone.
    pub fn new(
        http: HttpClient,
        url: &str,
        region: &str,
        credentials: AwsCredentials,
        max_rps: Option<f64>,
    ) -> Admin {
        let pacer = max_rps.filter(|r| *r > 0.0).map(|r| {
            Arc::new(Pacer {
                interval: Duration::from_secs_f64(1.0 / r),
                next: Mutex::new(tokio::time::Instant::now()),
            })
        });
        Admin {
            http,
            url: url.to_string(),
            region: region.to_string(),
            credentials,
            pacer,
            max_retries: 5,
        }
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP client (shared limits).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Wait for the request budget (the request under test uses it too).
    pub async fn pace(&self) {
        if let Some(p) = &self.pacer {
            p.wait().await;
        }
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
        self.pace().await;
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

    async fn call(
        &self,
        operation: &str,
        input: &Value,
        signed: bool,
    ) -> Result<Value, AdminError> {
        let mut attempt = 0;
        loop {
            let resp = self.raw(operation, input, signed).await?;
            match interpret(operation, &resp) {
                Err(AdminError::Service { ref error_type, .. })
                    if is_throttling(error_type) && attempt < self.max_retries =>
                {
                    attempt += 1;
                    tokio::time::sleep(backoff(attempt)).await;
                }
                other => return other,
            }
        }
    }
}

fn is_throttling(error_type: &str) -> bool {
    matches!(
        error_type,
        "TooManyRequestsException" | "ThrottlingException" | "LimitExceededException"
    )
}

/// Full-jitter exponential backoff: uniform in [0, min(20 s, 200 ms * 2^attempt)].
fn backoff(attempt: u32) -> Duration {
    let cap = Duration::from_millis(200u64.saturating_mul(1 << attempt.min(10)))
        .min(Duration::from_secs(20));
    let ms = rand::rng().random_range(0..=cap.as_millis() as u64);
    Duration::from_millis(ms)
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

    #[test]
    fn backoff_is_bounded() {
        for a in 0..40 {
            assert!(backoff(a) <= Duration::from_secs(20));
        }
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
