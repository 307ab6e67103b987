//! Sending requests and capturing what came back, bounded in time and size.
//!
//! A target may hang, reset, drip bytes or send a gigabyte of HTML. The client never waits
//! longer than the request timeout and never buffers more than `max_body` bytes; each fault
//! becomes a typed [`WireError`] the runner turns into a verdict.

use std::time::{Duration, Instant};

use super::request::Request;

/// Limits of one exchange.
#[derive(Debug, Clone)]
pub struct WireSettings {
    /// TCP (and TLS) connect timeout.
    pub connect_timeout: Duration,
    /// Whole-exchange timeout, including reading the body.
    pub request_timeout: Duration,
    /// Largest response body kept; a larger one is an error.
    pub max_body: usize,
}

impl Default for WireSettings {
    fn default() -> Self {
        WireSettings {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            max_body: 1024 * 1024,
        }
    }
}

/// What a target answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers, names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// Raw body bytes.
    pub body: Vec<u8>,
    /// Time from sending to the last body byte.
    pub elapsed: Duration,
}

impl Response {
    /// The value of a header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The error type by the Smithy awsJson1_1 rules.
    pub fn error_type(&self) -> Option<String> {
        super::resolve_error_type(&self.headers, &self.body)
    }

    /// The error message member as sent, whatever its JSON type: its name (`message` or
    /// `Message`) and value ([`super::error_message`], the one reader of it).
    pub fn message_member(&self) -> Option<(&'static str, serde_json::Value)> {
        super::error_message::message_member(&self.body)
    }

    /// The error message when it is a string; `None` when there is none or it is not a
    /// string.
    pub fn error_message(&self) -> Option<String> {
        match self.message_member()? {
            (_, serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The error message as a report shows it: a string as it is, any other value as its
    /// JSON text (`42` stays `42`).
    pub fn message_shown(&self) -> Option<String> {
        self.message_member().map(|(_, v)| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
    }
}

/// Why an exchange produced no usable response.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Nothing listens there, or the host cannot be reached.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// Endpoint URL.
        url: String,
        /// The underlying cause, as text (reqwest errors are not `Clone`).
        reason: String,
    },
    /// No complete response within the request time limit (`--request-timeout`).
    #[error("no complete response within the request time limit of {0:?}")]
    Timeout(Duration),
    /// No connection within the connect time limit (`--connect-timeout`).
    #[error("no connection to {url} within the connect time limit of {limit:?}")]
    ConnectTimeout {
        /// Endpoint URL.
        url: String,
        /// The limit that was hit.
        limit: Duration,
    },
    /// The response body is larger than the cap.
    #[error("response body exceeds the {limit}-byte cap")]
    BodyTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The connection broke (reset, truncated body, malformed HTTP).
    #[error("the exchange broke off: {0}")]
    Broken(String),
    /// The request could not be built (invalid header name or value in a fixture).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

/// An HTTP client with the suite's limits.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    settings: WireSettings,
    /// Requests sent by this client and its clones (the benchmark's denominator).
    sent: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl HttpClient {
    /// Build a client. Fails only if the TLS backend cannot initialise.
    pub fn new(settings: WireSettings) -> Result<HttpClient, WireError> {
        let inner = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| WireError::InvalidRequest(format!("http client: {e}")))?;
        Ok(HttpClient {
            inner,
            settings,
            sent: Default::default(),
        })
    }

    /// How many requests this client and its clones have sent (retries included).
    pub fn requests_sent(&self) -> u64 {
        self.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Send the request to the target at base URL `url` (its method, at its path) and read the whole response within the limits.
    pub async fn send(&self, url: &str, request: &Request) -> Result<Response, WireError> {
        self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let timeout = self.settings.request_timeout;
        let start = Instant::now();
        let result = match tokio::time::timeout(timeout, self.exchange(url, request)).await {
            Ok(result) => result,
            Err(_) => Err(WireError::Timeout(timeout)),
        };
        super::exchange_log::exchange(request, &result, start.elapsed());
        result
    }

    async fn exchange(&self, url: &str, request: &Request) -> Result<Response, WireError> {
        let start = Instant::now();
        let method = http::Method::from_bytes(request.method.as_bytes())
            .map_err(|e| WireError::InvalidRequest(format!("method {:?}: {e}", request.method)))?;
        let url = &request.url(url);
        let mut builder = self.inner.request(method, url);
        for (name, value) in &request.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| WireError::InvalidRequest(format!("header name {name:?}: {e}")))?;
            let value = http::HeaderValue::from_str(value)
                .map_err(|e| WireError::InvalidRequest(format!("header {name}: {e}")))?;
            builder = builder.header(name, value);
        }
        let mut resp = builder
            .body(request.body.clone())
            .send()
            .await
            .map_err(|e| classify(url, e, &self.settings))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.settings.max_body;
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(WireError::BodyTooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| classify(url, e, &self.settings))?
        {
            if body.len() + chunk.len() > limit {
                return Err(WireError::BodyTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body,
            elapsed: start.elapsed(),
        })
    }
}

fn classify(url: &str, e: reqwest::Error, settings: &WireSettings) -> WireError {
    let reason = chain(&e);
    // The client sets only a connect timeout; the request limit is enforced around the
    // whole exchange (`HttpClient::send`).
    if e.is_timeout() {
        return WireError::ConnectTimeout {
            url: url.to_string(),
            limit: settings.connect_timeout,
        };
    }
    if e.is_connect() {
        WireError::Connect {
            url: url.to_string(),
            reason,
        }
    } else {
        WireError::Broken(reason)
    }
}

/// The error and its sources on one line ("a: b: c"), without the URL's query string.
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        out.push_str(": ");
        out.push_str(&s.to_string());
        src = s.source();
    }
    out
}
