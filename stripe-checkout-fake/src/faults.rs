//! Faults on demand: the next N matching API requests fail the way Stripe or the network can.
//!
//! Stripe's rate limits: <https://docs.stripe.com/rate-limits> (a 429 is an
//! `invalid_request_error` with `code: rate_limit`; the spec's error `type` has no
//! `rate_limit_error`, and the official SDKs raise their `RateLimitError` on the status or the
//! code); `Stripe-Should-Retry` and retries: <https://docs.stripe.com/error-low-level#idempotency>.

use std::fmt;
use std::time::Duration;

use hyper::header::HeaderValue;
use serde_json::{json, Value};

use crate::error::FakeError;
use crate::reply::{error_reply, Reply};

/// What a faulted request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// An error status (429, 500, 503, …) with Stripe's error body, and optionally
    /// `Retry-After` (seconds) and `Stripe-Should-Retry`.
    Status {
        /// The status.
        status: u16,
        /// `Retry-After`, in seconds.
        retry_after: Option<u64>,
        /// `Stripe-Should-Retry`.
        should_retry: Option<bool>,
    },
    /// The request is handled normally after this delay (idempotency keys are held while it
    /// waits, so a concurrent retry with the same key gets 409).
    Delay(Duration),
    /// The connection is closed without a response.
    DropConnection,
}

/// A fault for the next `times` requests that match its method and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) times: u32,
    pub(crate) method: Option<String>,
    pub(crate) path_prefix: Option<String>,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            times: 1,
            method: None,
            path_prefix: None,
        }
    }

    /// 429 `invalid_request_error` with `code: rate_limit`, as Stripe sends it, without `Retry-After` or `Stripe-Should-Retry` (add them with
    /// [`retry_after`](Self::retry_after) and [`should_retry`](Self::should_retry)).
    pub fn rate_limit() -> Self {
        Fault::status(429)
    }

    /// This status with Stripe's error body: `api_error` for 5xx, `invalid_request_error` for
    /// 4xx (with `code: rate_limit` for 429).
    pub fn status(status: u16) -> Self {
        Fault::new(FaultKind::Status {
            status,
            retry_after: None,
            should_retry: None,
        })
    }

    /// Handles the request normally after `delay`.
    pub fn delay(delay: Duration) -> Self {
        Fault::new(FaultKind::Delay(delay))
    }

    /// Closes the connection without answering.
    pub fn drop_connection() -> Self {
        Fault::new(FaultKind::DropConnection)
    }

    /// Sends `Retry-After: <seconds>` (status faults only).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultKind::Status { retry_after, .. } = &mut self.kind {
            *retry_after = Some(seconds);
        }
        self
    }

    /// Sends `Stripe-Should-Retry: true|false` (status faults only).
    pub fn should_retry(mut self, retry: bool) -> Self {
        if let FaultKind::Status { should_retry, .. } = &mut self.kind {
            *should_retry = Some(retry);
        }
        self
    }

    /// For the next `n` matching requests (default 1).
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Only requests with this method (`GET`, `POST`).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into().to_ascii_uppercase());
        self
    }

    /// Only requests whose path starts with this (`/v1/checkout/sessions`).
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// The fault as the control endpoint `POST /_fake/faults` answers it: the parameters that
    /// make it, by the names of the methods above.
    pub(crate) fn to_json(&self) -> Value {
        let mut fault = json!({
            "object": "fake_fault",
            "times": self.times,
            "method": self.method,
            "path_prefix": self.path_prefix,
        });
        let details = match &self.kind {
            FaultKind::Status {
                status,
                retry_after,
                should_retry,
            } => json!({
                "kind": if *status == 429 { "rate_limit" } else { "status" },
                "status": status,
                "retry_after": retry_after,
                "should_retry": should_retry,
            }),
            FaultKind::Delay(delay) => json!({
                "kind": "delay",
                "delay_ms": u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            }),
            FaultKind::DropConnection => json!({ "kind": "drop_connection" }),
        };
        if let (Some(fault), Value::Object(details)) = (fault.as_object_mut(), details) {
            fault.extend(details);
        }
        fault
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && self.method.as_deref().is_none_or(|m| m == method)
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

/// One use of the first armed fault matching this request, if any.
pub(crate) fn take(faults: &mut [Fault], method: &str, path: &str) -> Option<FaultKind> {
    let found = faults.iter_mut().find(|f| f.matches(method, path));
    found.map(|f| {
        f.times -= 1;
        f.kind.clone()
    })
}

/// The service's error: the connection is dropped without a response.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by a fault")
    }
}

impl std::error::Error for DropConnection {}

/// The answer to a [`FaultKind::Status`]: Stripe's error body for the status, with
/// `Retry-After` and `Stripe-Should-Retry` when set.
pub(crate) fn status_reply(
    status: u16,
    retry_after: Option<u64>,
    should_retry: Option<bool>,
    request_id: &str,
) -> Reply {
    let error = FakeError {
        status,
        kind: if status >= 500 {
            "api_error"
        } else {
            "invalid_request_error"
        },
        code: if status == 429 {
            Some("rate_limit")
        } else {
            None
        },
        param: None,
        message: if status == 429 {
            "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.".to_owned()
        } else {
            "An unknown error occurred (injected by stripe-checkout-fake).".to_owned()
        },
    };
    let mut reply = error_reply(&error, request_id);
    if let Some(seconds) = retry_after {
        reply
            .headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    if let Some(retry) = should_retry {
        reply.headers_mut().insert(
            "stripe-should-retry",
            HeaderValue::from_static(if retry { "true" } else { "false" }),
        );
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_is_an_invalid_request_error_with_code_rate_limit() {
        let error = |status| {
            let reply = status_reply(status, Some(2), Some(true), "req_1");
            assert_eq!(reply.status().as_u16(), status);
            reply
        };
        let reply = error(429);
        assert_eq!(reply.headers()["retry-after"], "2");
        assert_eq!(reply.headers()["stripe-should-retry"], "true");
        let body = body_of(reply);
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert_eq!(body["error"]["code"], "rate_limit");
        assert_eq!(body_of(error(503))["error"]["type"], "api_error");
        assert_eq!(
            body_of(error(418))["error"]["type"],
            "invalid_request_error"
        );
    }

    fn body_of(reply: Reply) -> Value {
        use http_body_util::BodyExt;
        let bytes = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(reply.into_body().collect())
            .unwrap()
            .to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn to_json_names_the_builder_methods() {
        let fault = Fault::rate_limit()
            .retry_after(1)
            .should_retry(true)
            .times(2)
            .method("post")
            .path_prefix("/v1/checkout/sessions");
        assert_eq!(
            fault.to_json(),
            json!({
                "object": "fake_fault", "kind": "rate_limit", "status": 429, "retry_after": 1,
                "should_retry": true, "times": 2, "method": "POST",
                "path_prefix": "/v1/checkout/sessions",
            })
        );
        assert_eq!(
            Fault::delay(Duration::from_millis(250)).to_json()["delay_ms"],
            250
        );
        assert_eq!(
            Fault::drop_connection().to_json()["kind"],
            "drop_connection"
        );
    }
}
