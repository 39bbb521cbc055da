//! Verifying Stripe webhook signatures and turning payloads into typed [`Event`]s.
//!
//! Stripe signs every delivery with the endpoint's signing secret (`whsec_…`) and sends
//! `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, where each `v1` is the
//! lowercase hex HMAC-SHA256 of `"<t>.<raw body>"`. Verification here:
//!
//! - accepts when **any** `v1` matches (Stripe sends several while a secret is being rolled),
//!   comparing in constant time, and ignores other schemes (`v0`, unknown ones);
//! - then rejects timestamps **older** than the tolerance (default 5 minutes), which blocks
//!   replays. Timestamps in the future are accepted, as in stripe-node, stripe-python and
//!   stripe-go: a signature cannot be made without the secret, and rejecting them would turn a
//!   receiver whose clock runs slow into an outage;
//! - takes the header as a string or as raw bytes (`HeaderValue::as_bytes()`), so a header with
//!   bytes that are not ASCII is reported as malformed, not as missing;
//! - treats headers longer than [`MAX_HEADER_LEN`] bytes as malformed, so hostile headers cost
//!   bounded work;
//! - never panics, whatever the header, payload or secret.
//!
//! Always verify the **raw** request body: re-serialized JSON will not match the signature.
//!
//! ```
//! use stripe_checkout::{webhook, CheckoutSessionPaymentStatus, EventType, Webhook};
//!
//! let secret = "whsec_test_secret";
//! // A `checkout.session.completed` event, as Stripe would POST it.
//! let payload = include_str!("../tests/fixtures/event_checkout_session_completed.json");
//! // In a real endpoint this is the `Stripe-Signature` request header.
//! let header = webhook::sign_payload(payload, secret, 1_700_000_000);
//!
//! let webhook = Webhook::new(secret).now(1_700_000_010); // `.now` pins the clock for the test
//! let event = webhook.construct(payload, &header)?;
//! assert_eq!(event.type_, EventType::CheckoutSessionCompleted);
//! let session = event.checkout_session().expect("checkout.session.* events carry a session");
//! assert!(session.id.starts_with("cs_test_"));
//! assert_eq!(session.payment_status, CheckoutSessionPaymentStatus::Paid);
//!
//! // A tampered body fails.
//! let err = webhook.construct(payload.replace("2198", "1"), &header).unwrap_err();
//! assert_eq!(err, webhook::WebhookError::NoMatchingSignature);
//! # Ok::<(), stripe_checkout::WebhookError>(())
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::hmac;

pub use crate::error::WebhookError;
use crate::event::Event;
use crate::Timestamp;

/// Headers longer than this many bytes are rejected as [`WebhookError::MalformedHeader`].
///
/// A real header is `t=` plus a 10-digit timestamp and a few 67-byte signatures (~300 bytes);
/// 8 KiB leaves ample room while bounding the work a hostile header can cause.
pub const MAX_HEADER_LEN: usize = 8 * 1024;

/// The tolerance [`Webhook::construct_event`] uses: 300 seconds, as in Stripe's libraries.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Verifies webhook signatures with one signing secret and parses events.
///
/// Build one at startup and share it (it is `Send + Sync`); or use the one-shot
/// [`Webhook::construct_event`]. `Debug` does not show the secret.
///
/// ```
/// use std::time::Duration;
/// use stripe_checkout::Webhook;
///
/// let webhook = Webhook::new("whsec_test_secret").tolerance(Duration::from_secs(60));
/// assert!(!format!("{webhook:?}").contains("whsec"));
/// ```
#[derive(Clone)]
pub struct Webhook {
    /// `None` for an empty or whitespace-only secret: every check fails with
    /// [`WebhookError::EmptySecret`].
    key: Option<hmac::Key>,
    /// `None`: the age of a delivery is not checked.
    tolerance: Option<Duration>,
    now: Option<Timestamp>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .field("now", &self.now)
            .finish()
    }
}

impl Webhook {
    /// A verifier for the endpoint signing secret `secret` (`whsec_…`, used as-is), with the
    /// [`DEFAULT_TOLERANCE`] and the system clock.
    ///
    /// Never fails: an empty or whitespace-only secret gives a verifier that rejects every
    /// delivery with [`WebhookError::EmptySecret`] (the same rule as [`Client::new`] with an
    /// empty key). Use [`Webhook::try_new`] to refuse it at startup.
    ///
    /// [`Client::new`]: crate::Client::new
    pub fn new(secret: &str) -> Self {
        Webhook {
            key: (!secret.trim().is_empty())
                .then(|| hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes())),
            tolerance: Some(DEFAULT_TOLERANCE),
            now: None,
        }
    }

    /// [`Webhook::new`], failing with [`WebhookError::EmptySecret`] when `secret` is empty or
    /// only whitespace, so a misconfigured deployment stops at startup.
    ///
    /// ```
    /// use stripe_checkout::{webhook::WebhookError, Webhook};
    /// assert_eq!(Webhook::try_new(" ").unwrap_err(), WebhookError::EmptySecret);
    /// assert!(Webhook::try_new("whsec_test").is_ok());
    /// ```
    pub fn try_new(secret: &str) -> Result<Self, WebhookError> {
        let webhook = Webhook::new(secret);
        match webhook.key {
            Some(_) => Ok(webhook),
            None => Err(WebhookError::EmptySecret),
        }
    }

    /// Rejects deliveries signed more than `tolerance` (whole seconds) ago. Timestamps in the
    /// future are always accepted.
    ///
    /// `Duration::ZERO` disables the age check, as a zero tolerance does in stripe-node and
    /// stripe-python, so ported code keeps its meaning; prefer the explicit
    /// [`Webhook::without_timestamp_check`]. Without the check, replayed deliveries get through.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = (!tolerance.is_zero()).then_some(tolerance);
        self
    }

    /// Accepts a valid signature whatever its timestamp (no replay protection). For replaying
    /// stored deliveries in tests or tools, not for a live endpoint.
    pub fn without_timestamp_check(mut self) -> Self {
        self.tolerance = None;
        self
    }

    /// Checks timestamps against `now` (Unix seconds) instead of the system clock; for tests.
    pub fn now(mut self, now: Timestamp) -> Self {
        self.now = Some(now);
        self
    }

    /// Verifies `payload` against `signature_header` with the default tolerance and the system
    /// clock, then parses it as an [`Event`]. Same as `Webhook::new(secret).construct(…)`.
    ///
    /// ```
    /// use stripe_checkout::{webhook::WebhookError, Webhook};
    /// let err = Webhook::construct_event("{}", "", "whsec_x").unwrap_err();
    /// assert_eq!(err, WebhookError::MissingHeader);
    /// ```
    pub fn construct_event(
        payload: impl AsRef<[u8]>,
        signature_header: impl AsRef<[u8]>,
        secret: &str,
    ) -> Result<Event, WebhookError> {
        Webhook::new(secret).construct(payload, signature_header)
    }

    /// Verifies `payload` (the raw request body) against the `Stripe-Signature` header value,
    /// then parses it as an [`Event`].
    ///
    /// The header may be a `&str` or raw bytes, e.g. `headers.get("stripe-signature")` as
    /// `HeaderValue::as_bytes()` (`b""` when it is missing); don't turn a header that is not
    /// ASCII into `""` first, or it is reported as missing.
    pub fn construct(
        &self,
        payload: impl AsRef<[u8]>,
        signature_header: impl AsRef<[u8]>,
    ) -> Result<Event, WebhookError> {
        let payload = payload.as_ref();
        self.verify(payload, signature_header)?;
        Event::from_slice_with_path(payload)
    }

    /// Only verifies the signature and timestamp, e.g. to enqueue the raw body for later
    /// processing (then parse it with `serde_json::from_slice::<Event>`).
    pub fn verify(
        &self,
        payload: impl AsRef<[u8]>,
        signature_header: impl AsRef<[u8]>,
    ) -> Result<(), WebhookError> {
        let Some(key) = &self.key else {
            return Err(WebhookError::EmptySecret);
        };
        let signature_header = signature_header.as_ref();
        if signature_header.len() > MAX_HEADER_LEN {
            return Err(WebhookError::MalformedHeader {
                reason: "longer than 8192 bytes",
            });
        }
        // Bytes that are not UTF-8 become U+FFFD: in `t=` that makes the header malformed, in
        // an item this crate does not read it changes nothing.
        let text = String::from_utf8_lossy(signature_header);
        let header = parse_header(&text)?;
        if header.v1.is_empty() {
            return Err(WebhookError::NoV1Signature);
        }

        let expected = signature(key, header.timestamp, payload.as_ref());
        // The payload's HMAC is computed once (big bodies, several `v1`s). To compare it with
        // each candidate in constant time, both are MACed again under a fixed, non-secret key and
        // `hmac::verify` does the constant-time comparison; equal MACs mean equal signatures
        // (barring a SHA-256 collision). Every candidate is checked, with no early exit.
        let compare_key = hmac::Key::new(hmac::HMAC_SHA256, b"stripe-checkout signature compare");
        let expected_mac = hmac::sign(&compare_key, expected.as_ref());
        let mut matched = false;
        for candidate in header.candidates() {
            matched |= hmac::verify(&compare_key, &candidate, expected_mac.as_ref()).is_ok();
        }
        if !matched {
            return Err(WebhookError::NoMatchingSignature);
        }

        let Some(tolerance) = self.tolerance else {
            return Ok(());
        };
        let now = self.now.unwrap_or_else(system_now);
        // Only the past counts (the official SDKs' rule). Whole seconds; `abs_diff` is exact in
        // u64, so extreme values cannot wrap.
        if header.timestamp < now && now.abs_diff(header.timestamp) > tolerance.as_secs() {
            return Err(WebhookError::TimestampTooOld {
                timestamp: header.timestamp,
                now,
                tolerance,
            });
        }
        Ok(())
    }
}

/// Signs `payload` as Stripe would at `timestamp` (Unix seconds, non-negative) and returns the
/// whole `Stripe-Signature` header value, `t=<timestamp>,v1=<hex>`.
///
/// For testing webhook handlers without Stripe: sign a fixture with your test secret and feed
/// both to your endpoint.
///
/// ```
/// use stripe_checkout::webhook::sign_payload;
/// let header = sign_payload(r#"{"id":"evt_1"}"#, "whsec_test", 1_700_000_000);
/// assert!(header.starts_with("t=1700000000,v1="));
/// assert_eq!(header.len(), "t=1700000000,v1=".len() + 64);
/// ```
pub fn sign_payload(payload: impl AsRef<[u8]>, secret: &str, timestamp: Timestamp) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let tag = signature(&key, timestamp, payload.as_ref());
    format!("t={timestamp},v1={}", hex_encode(tag.as_ref()))
}

/// [`sign_payload`] at the current system time, like stripe-python's
/// `generate_signature_header`: a header that [`Webhook::construct_event`] accepts right away.
pub fn generate_test_header(payload: impl AsRef<[u8]>, secret: &str) -> String {
    sign_payload(payload, secret, system_now())
}

/// HMAC-SHA256 of `"<timestamp>.<payload>"`, fed in pieces to avoid copying the payload.
fn signature(key: &hmac::Key, timestamp: Timestamp, payload: &[u8]) -> hmac::Tag {
    let mut ctx = hmac::Context::with_key(key);
    ctx.update(timestamp.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(payload);
    ctx.sign()
}

fn system_now() -> Timestamp {
    // A clock before 1970 reads as 0 and one past year 292 billion saturates; neither panics.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| Timestamp::try_from(d.as_secs()).unwrap_or(Timestamp::MAX))
        .unwrap_or(0)
}

/// The parts of a `Stripe-Signature` header that verification uses.
struct ParsedHeader<'a> {
    timestamp: Timestamp,
    /// The raw `v1=` values, in order.
    v1: Vec<&'a str>,
}

impl ParsedHeader<'_> {
    /// The `v1` values that decode to a 32-byte signature; others can never match, and skipping
    /// them reveals nothing secret (their shape is the sender's own input).
    fn candidates(&self) -> impl Iterator<Item = [u8; 32]> + '_ {
        self.v1.iter().filter_map(|hex| hex_decode_32(hex))
    }
}

fn parse_header(header: &str) -> Result<ParsedHeader<'_>, WebhookError> {
    let malformed = |reason| WebhookError::MalformedHeader { reason };
    if header.len() > MAX_HEADER_LEN {
        return Err(malformed("longer than 8192 bytes"));
    }
    if header.trim().is_empty() {
        return Err(WebhookError::MissingHeader);
    }

    let mut timestamp = None;
    let mut v1 = Vec::new();
    for item in header.split(',') {
        // Tolerate whitespace a proxy may add after commas, and empty items.
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (key, value) = item.split_once('=').unwrap_or((item, ""));
        match key.trim() {
            "t" => {
                if timestamp.is_some() {
                    return Err(malformed("more than one timestamp (t=)"));
                }
                timestamp = Some(parse_timestamp(value.trim()).ok_or(malformed(
                    "timestamp (t=) is not a non-negative integer number of seconds",
                ))?);
            }
            "v1" => v1.push(value.trim()),
            // `v0` (legacy, test mode only) and future schemes are not ours to check.
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(malformed("no timestamp (t=)"))?;
    Ok(ParsedHeader { timestamp, v1 })
}

/// ASCII digits only: `i64::from_str` would also take `+5` and `-5`, which Stripe never sends.
fn parse_timestamp(s: &str) -> Option<Timestamp> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Decodes exactly 64 hex digits (either case) into 32 bytes.
fn hex_decode_32(hex: &str) -> Option<[u8; 32]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *slot = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let bytes: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37)).collect();
        let hex = hex_encode(&bytes);
        assert_eq!(hex.len(), 64);
        assert_eq!(hex_decode_32(&hex).unwrap().as_slice(), bytes.as_slice());
        assert_eq!(
            hex_decode_32(&hex.to_uppercase()).unwrap().as_slice(),
            bytes.as_slice()
        );
        assert_eq!(hex_encode(&[0x00, 0x0f, 0xf0, 0xff]), "000ff0ff");
    }

    #[test]
    fn hex_decode_rejects_bad_input() {
        assert!(hex_decode_32("").is_none());
        assert!(hex_decode_32(&"0".repeat(63)).is_none());
        assert!(hex_decode_32(&"0".repeat(65)).is_none());
        assert!(hex_decode_32(&format!("{}g", "0".repeat(63))).is_none());
        // 64 bytes but multi-byte chars: must not panic or split a char.
        assert!(hex_decode_32(&"é".repeat(32)).is_none());
    }

    #[test]
    fn timestamps_are_digits_only() {
        assert_eq!(parse_timestamp("0"), Some(0));
        assert_eq!(parse_timestamp("1700000000"), Some(1_700_000_000));
        assert_eq!(parse_timestamp("+5"), None);
        assert_eq!(parse_timestamp("-5"), None);
        assert_eq!(parse_timestamp("99999999999999999999"), None);
        assert_eq!(parse_timestamp(""), None);
    }
}
