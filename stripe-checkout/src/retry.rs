//! How often and after how long a failed request is tried again, and which statuses may be,
//! following Stripe's official SDKs (stripe-node's `_shouldRetry` and backoff, stripe-python's
//! `MAX_RETRY_AFTER`). Which failures are retried is
//! [`Error::is_retryable`](crate::Error::is_retryable), which the client's retry loop asks; for
//! a response it asks [`status_is_retryable`].

use std::time::Duration;

use reqwest::header::HeaderMap;

// Two retries, as stripe-python and stripe-node (maxNetworkRetries) recommend.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
// stripe-node's INITIAL_/MAX_NETWORK_RETRY_DELAY_SEC.
pub(crate) const DEFAULT_INITIAL_DELAY: Duration = Duration::from_millis(500);
pub(crate) const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);
// stripe-python's MAX_RETRY_AFTER.
pub(crate) const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How a client retries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts).
    pub(crate) max_retries: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    /// Longest `Retry-After` honoured; longer ones are cut to this.
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_delay: DEFAULT_INITIAL_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }
}

/// What Stripe said about retrying, read from a non-2xx response's headers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RetryHeaders {
    /// `Stripe-Should-Retry: true|false`.
    pub(crate) should_retry: Option<bool>,
    /// `Retry-After` in (possibly fractional) seconds.
    pub(crate) retry_after: Option<Duration>,
}

impl RetryHeaders {
    pub(crate) fn read(headers: &HeaderMap) -> RetryHeaders {
        let header_str = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let should_retry = match header_str("stripe-should-retry") {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        };
        let retry_after = header_str("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|secs| secs.is_finite() && *secs >= 0.0)
            // Clamped before conversion so `from_secs_f64` cannot overflow; capped again later.
            .map(|secs| Duration::from_secs_f64(secs.min(86_400.0)));
        RetryHeaders {
            should_retry,
            retry_after,
        }
    }
}

/// Whether a response with this status may succeed if sent again: Stripe's
/// `Stripe-Should-Retry` decides when present; otherwise 409 (a lock conflict) and 5xx.
pub(crate) fn status_is_retryable(status: u16, should_retry: Option<bool>) -> bool {
    match should_retry {
        Some(should) => should,
        None => status == 409 || status >= 500,
    }
}

impl RetryPolicy {
    /// Delay before retry number `retry` (1-based); `unit` is a random number in `[0, 1)`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        backoff_delay(
            retry,
            self.initial_delay,
            self.max_delay,
            retry_after.map(|d| d.min(self.max_retry_after)),
            unit,
        )
    }
}

/// stripe-node's backoff: `initial * 2^(retry-1)` capped at `max`, scaled by a random factor in
/// `[0.5, 1)`, never below `initial`; then at least `retry_after` (already capped by the caller).
/// `unit` is a random number in `[0, 1)`.
pub(crate) fn backoff_delay(
    retry: u32,
    initial: Duration,
    max: Duration,
    retry_after: Option<Duration>,
    unit: f64,
) -> Duration {
    let exp = initial
        .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
        .min(max);
    let jittered = exp.mul_f64(0.5 * (1.0 + unit.clamp(0.0, 1.0))).max(initial);
    match retry_after {
        Some(after) => jittered.max(after),
        None => jittered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let initial = 100 * MS;
        let max = 1000 * MS;
        // unit 0 → half of the exponential value, never below initial.
        assert_eq!(backoff_delay(1, initial, max, None, 0.0), 100 * MS);
        assert_eq!(backoff_delay(2, initial, max, None, 0.0), 100 * MS);
        assert_eq!(backoff_delay(3, initial, max, None, 0.0), 200 * MS);
        // unit → 1 approaches the full value.
        assert_eq!(backoff_delay(3, initial, max, None, 1.0), 400 * MS);
        assert_eq!(backoff_delay(10, initial, max, None, 1.0), 1000 * MS);
        assert_eq!(backoff_delay(u32::MAX, initial, max, None, 1.0), 1000 * MS);
        // Retry-After wins when longer.
        assert_eq!(
            backoff_delay(1, initial, max, Some(3000 * MS), 0.5),
            3000 * MS
        );
        assert_eq!(backoff_delay(1, initial, max, Some(MS), 0.0), 100 * MS);
    }

    #[test]
    fn retry_after_is_capped_by_the_policy() {
        let policy = RetryPolicy {
            max_retry_after: 2000 * MS,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.delay(1, Some(3600 * 1000 * MS), 0.0), 2000 * MS);
    }

    #[test]
    fn stripe_should_retry_decides_over_the_status() {
        assert!(status_is_retryable(500, None));
        assert!(status_is_retryable(409, None));
        assert!(!status_is_retryable(429, None));
        assert!(!status_is_retryable(400, None));
        assert!(status_is_retryable(429, Some(true)));
        assert!(!status_is_retryable(503, Some(false)));
    }
}
