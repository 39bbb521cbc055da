//! The crate's error types: [`Error`] for a call (API errors returned by Stripe, transport
//! failures, decoding and encoding failures) and [`WebhookError`] for a webhook delivery.

use std::fmt;
use std::time::Duration;

#[cfg(feature = "serde")]
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decode::{DecodeResult, FromJson, Parser};
use crate::method::Method;
use crate::retry;
use crate::Timestamp;

/// Everything that can go wrong sending a request to Stripe.
///
/// `Display` gives the whole story on one line, cause included, and `source()` is `None`, so
/// printing the chain (as `anyhow`'s `{:#}` does) shows each cause once. Messages never contain
/// the secret key or a query string.
///
/// ```
/// # async fn run(client: stripe_checkout::Client) {
/// # let result: Result<serde_json::Value, stripe_checkout::Error> = Err(stripe_checkout::Error::Timeout(Default::default()));
/// match result {
///     Ok(_) => {}
///     Err(stripe_checkout::Error::Api(e)) if e.error.r#type == stripe_checkout::ApiErrorType::CardError => {
///         eprintln!("card declined: {:?} (request {:?})", e.error.decline_code, e.request_id);
///     }
///     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Stripe answered with a non-2xx status.
    Api(Box<ApiError>),
    /// The connection could not be made or broke before a full response arrived.
    Connection(TransportError),
    /// The request (or reading its response) exceeded the client's timeout.
    Timeout(TransportError),
    /// A 2xx response body did not match the expected type.
    Decode(Box<DecodeError>),
    /// The response body was larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes). Never
    /// retried.
    ResponseTooLarge(Box<TooLargeError>),
    /// Auto-paging stopped because the server sent a page it had sent before (it ignored the
    /// cursor), which would otherwise repeat forever.
    Pagination(PaginationError),
    /// The request parameters could not be form-encoded, or the path/headers were invalid.
    Encode(EncodeError),
    /// The client is misconfigured (bad base URL, unusable secret key, TLS init failure).
    Config(ConfigError),
}

impl Error {
    pub(crate) fn encode(message: String) -> Error {
        Error::Encode(EncodeError { message })
    }

    pub(crate) fn config(message: String) -> Error {
        Error::Config(ConfigError { message })
    }

    /// The HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge(e) => Some(e.status),
            _ => None,
        }
    }

    /// The `Idempotency-Key` of the request (given or generated; every POST has one). Retry a
    /// POST that failed with a timeout, a connection error or a decode error with this key, and
    /// Stripe will not apply it twice. `Display` says whether the request may have been applied
    /// ([`TransportError::may_have_been_sent`]).
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.idempotency_key.as_deref(),
            Error::Connection(e) | Error::Timeout(e) => e.idempotency_key.as_deref(),
            Error::Decode(e) => e.idempotency_key.as_deref(),
            Error::ResponseTooLarge(e) => e.idempotency_key.as_deref(),
            _ => None,
        }
    }

    /// Stripe's `Request-Id` for the response, when one was received; quote it to Stripe support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::ResponseTooLarge(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The Stripe error object, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether sending the same request again (with the same idempotency key) may succeed.
    ///
    /// This is the rule the client's automatic retries use (the retry loop asks this function),
    /// mirroring Stripe's official SDKs: connection failures and timeouts are retryable; for
    /// API errors Stripe's `Stripe-Should-Retry` header decides when present, otherwise 409 and
    /// 5xx are retryable ([`ApiError::is_retryable`]). Nothing else is: a body over the size
    /// limit would most likely be as large again, a 2xx that did not decode was applied, and the
    /// other errors happen before anything is sent.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection(_) | Error::Timeout(_) => true,
            Error::Api(e) => e.is_retryable(),
            Error::Decode(_)
            | Error::ResponseTooLarge(_)
            | Error::Pagination(_)
            | Error::Encode(_)
            | Error::Config(_) => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether this is a connection failure.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Connection(e) => write!(f, "connection to Stripe failed: {e}"),
            Error::Timeout(e) => write!(f, "request to Stripe timed out: {e}"),
            Error::Decode(e) => e.fmt(f),
            Error::ResponseTooLarge(e) => e.fmt(f),
            Error::Pagination(e) => e.fmt(f),
            Error::Encode(e) => e.fmt(f),
            Error::Config(e) => e.fmt(f),
        }
    }
}

// The cause is part of `Display` (one line for logs), so `source()` stays `None`: a cause is
// never printed twice.
impl std::error::Error for Error {}

/// For a POST: whether it may have been applied, and if so how to retry it without applying it
/// twice. `sent` is whether the request may have reached Stripe at all.
fn retry_hint(
    f: &mut fmt::Formatter<'_>,
    method: Option<Method>,
    key: Option<&str>,
    sent: bool,
) -> fmt::Result {
    match (method, key) {
        (Some(Method::Post), Some(key)) if sent => write!(
            f,
            "; the request may have been applied: retry with Idempotency-Key {key:?}"
        ),
        (Some(Method::Post), Some(_)) => {
            f.write_str("; the request never reached Stripe, so it was not applied")
        }
        _ => Ok(()),
    }
}

/// ` (after 1 retry)`, ` (after 2 retries)`; nothing for none.
fn retries_note(f: &mut fmt::Formatter<'_>, retries: u32) -> fmt::Result {
    match retries {
        0 => Ok(()),
        1 => f.write_str(" (after 1 retry)"),
        n => write!(f, " (after {n} retries)"),
    }
}

/// A response body kept for the caller to inspect on purpose: `Debug` shows only its length,
/// since it may hold personal data (an email a proxy echoes back, say).
#[derive(Clone, Default)]
pub(crate) struct Body(pub(crate) bytes::Bytes);

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// A non-2xx response from Stripe.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// The `Stripe-Should-Retry` response header, when Stripe sent one.
    pub should_retry: Option<bool>,
    /// The `Retry-After` response header in seconds, when present and numeric.
    pub retry_after: Option<Duration>,
    /// How many times the request was retried before this response.
    pub retries: u32,
    /// The `Idempotency-Key` that was sent, if any.
    pub idempotency_key: Option<String>,
    /// The `error` object of the response body. When the body was not a Stripe error object
    /// (a proxy's HTML page, say) this has type [`ApiErrorType::Unknown`] and a message saying
    /// so, with the body's content type and length but none of its text: see
    /// [`ApiError::body`].
    pub error: ApiErrorObject,
    /// The response's `Content-Type`.
    pub content_type: Option<String>,
    pub(crate) body: Body,
}

impl ApiError {
    /// See [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        retry::status_is_retryable(self.status, self.should_retry)
    }

    /// The whole response body as received. Neither `Display` nor `Debug` shows it (a body
    /// that is not Stripe's error object can hold anything, personal data included); log it
    /// only where that is acceptable.
    pub fn body(&self) -> &[u8] {
        &self.body.0
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Stripe API error {} ({})",
            self.status, self.error.r#type
        )?;
        if let Some(code) = &self.error.code {
            write!(f, " [{code}]")?;
        }
        if let Some(decline_code) = &self.error.decline_code {
            write!(f, " [decline_code: {decline_code}]")?;
        }
        if let Some(message) = &self.error.message {
            write!(f, ": {message}")?;
        }
        if let Some(param) = &self.error.param {
            write!(f, " (param: {param})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        if let Some(url) = &self.error.doc_url {
            write!(f, " (see {url})")?;
        }
        retries_note(f, self.retries)
    }
}

/// The `error` object Stripe returns with a non-2xx status.
/// See <https://docs.stripe.com/api/errors>.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiErrorObject {
    /// The error category.
    pub r#type: ApiErrorType,
    /// A short machine-readable code, e.g. `resource_missing`.
    pub code: Option<String>,
    /// For card errors from a decline, the issuer's reason, e.g. `insufficient_funds`.
    pub decline_code: Option<String>,
    /// A human-readable message.
    pub message: Option<String>,
    /// A message meant for the end user (the v2 API's errors carry one).
    pub user_message: Option<String>,
    /// The request parameter the error relates to, e.g. `line_items[0][price]`.
    pub param: Option<String>,
    /// A link to Stripe's documentation for `code`.
    pub doc_url: Option<String>,
    /// For card errors, the id of the failed charge.
    pub charge: Option<String>,
    /// The PaymentIntent involved, as Stripe sent it.
    pub payment_intent: Option<serde_json::Value>,
    /// The SetupIntent involved, as Stripe sent it.
    pub setup_intent: Option<serde_json::Value>,
    /// The PaymentMethod involved, as Stripe sent it.
    pub payment_method: Option<serde_json::Value>,
    /// Any other fields of the error object.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl FromJson for ApiErrorObject {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut error = ApiErrorObject::default();
        let mut object = p.object("struct ApiErrorObject")?;
        while let Some(key) = object.next_key(p)? {
            match &*key {
                "type" => error.r#type = p.decode::<Option<ApiErrorType>>()?.unwrap_or_default(),
                "code" => error.code = p.decode()?,
                "decline_code" => error.decline_code = p.decode()?,
                "message" => error.message = p.decode()?,
                "user_message" => error.user_message = p.decode()?,
                "param" => error.param = p.decode()?,
                "doc_url" => error.doc_url = p.decode()?,
                "charge" => error.charge = p.decode()?,
                "payment_intent" => error.payment_intent = p.decode()?,
                "setup_intent" => error.setup_intent = p.decode()?,
                "payment_method" => error.payment_method = p.decode()?,
                _ => {
                    let value = p.decode()?;
                    error.extra.insert(key.into_owned(), value);
                }
            }
        }
        Ok(error)
    }
}

#[cfg(feature = "serde")]
impl Serialize for ApiErrorObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", &self.r#type)?;
        for (key, value) in [
            ("code", &self.code),
            ("decline_code", &self.decline_code),
            ("message", &self.message),
            ("user_message", &self.user_message),
            ("param", &self.param),
            ("doc_url", &self.doc_url),
            ("charge", &self.charge),
        ] {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in [
            ("payment_intent", &self.payment_intent),
            ("setup_intent", &self.setup_intent),
            ("payment_method", &self.payment_method),
        ] {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for ApiErrorObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json(deserializer)
    }
}

/// The `type` of a Stripe error object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorType {
    /// `api_error`: a problem on Stripe's side.
    ApiError,
    /// `card_error`: the card could not be charged.
    CardError,
    /// `idempotency_error`: an idempotency key was reused with different parameters.
    IdempotencyError,
    /// `invalid_request_error`: bad parameters, missing resource, bad key, rate limited.
    InvalidRequestError,
    /// Any other type, as sent (e.g. the legacy `rate_limit_error`).
    Other(String),
    /// The response carried no Stripe error object, or one without a `type`.
    #[default]
    Unknown,
}

impl ApiErrorType {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            ApiErrorType::ApiError => "api_error",
            ApiErrorType::CardError => "card_error",
            ApiErrorType::IdempotencyError => "idempotency_error",
            ApiErrorType::InvalidRequestError => "invalid_request_error",
            ApiErrorType::Other(other) => other,
            ApiErrorType::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ApiErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ApiErrorType {
    fn from(s: &str) -> Self {
        match s {
            "api_error" => ApiErrorType::ApiError,
            "card_error" => ApiErrorType::CardError,
            "idempotency_error" => ApiErrorType::IdempotencyError,
            "invalid_request_error" => ApiErrorType::InvalidRequestError,
            other => ApiErrorType::Other(other.to_owned()),
        }
    }
}

#[cfg(feature = "serde")]
impl Serialize for ApiErrorType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl FromJson for ApiErrorType {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        Ok(ApiErrorType::from(&*p.string()?))
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for ApiErrorType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(ApiErrorType::from(s.as_str()))
    }
}

/// Details of a connection failure or timeout.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TransportError {
    /// What failed, with its causes (never the URL's query string).
    pub message: String,
    /// How many times the request was retried before giving up.
    pub retries: u32,
    /// The HTTP method, when the request was made.
    pub method: Option<Method>,
    /// The `Idempotency-Key` of the request, if any: retry a POST with it.
    pub idempotency_key: Option<String>,
    /// Whether the request may have reached Stripe: `false` when every attempt failed to
    /// connect (refused, DNS, TLS handshake), so a POST was certainly not applied; `true` when
    /// an attempt failed later (a timeout or a reset after sending), so it may have been.
    pub may_have_been_sent: bool,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        retries_note(f, self.retries)?;
        retry_hint(
            f,
            self.method,
            self.idempotency_key.as_deref(),
            self.may_have_been_sent,
        )
    }
}

/// A 2xx response whose body did not decode into the expected type: where (the JSON path) and
/// what was wrong there, with the response it came in.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The JSON path of the value that did not decode, e.g. `data[0].amount_total`; `.` is the
    /// body itself (a missing field of the top-level object, a body that is not JSON).
    pub path: String,
    /// What was wrong at `path`, in serde_json's wording: e.g.
    /// ``invalid type: string "x", expected i64`` or ``missing field `id` ``.
    pub message: String,
    /// HTTP status code.
    pub status: u16,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// The response's `Content-Type`.
    pub content_type: Option<String>,
    pub(crate) body: Body,
    /// The HTTP method of the request. A POST that got a 2xx was applied by Stripe even though
    /// its response could not be read.
    pub method: Method,
    /// The `Idempotency-Key` that was sent, if any: retrying with it returns the same result.
    pub idempotency_key: Option<String>,
}

impl DecodeError {
    /// Where the failure is, in words: ``at `data[0].amount_total` ``, or
    /// `at the top level of the body` (the path `.`).
    pub fn location(&self) -> String {
        match self.path.as_str() {
            "" | "." => "at the top level of the body".to_owned(),
            path => format!("at `{path}`"),
        }
    }

    /// The whole response body as received. Neither `Display` nor `Debug` shows any of it (it
    /// can hold client secrets and customer data); log it only where that is acceptable.
    pub fn body(&self) -> &[u8] {
        &self.body.0
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode Stripe response (status {}) {}: {}",
            self.status,
            self.location(),
            self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        if !looks_like_json(&self.body.0) {
            f.write_str("; the body is not JSON (")?;
            describe_body(f, self.content_type.as_deref(), self.body.0.len())?;
            f.write_str(")")?;
        }
        retry_hint(f, Some(self.method), self.idempotency_key.as_deref(), true)
    }
}

/// A response body over the client's size limit.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TooLargeError {
    /// The limit in bytes.
    pub limit: usize,
    /// HTTP status code.
    pub status: u16,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// The HTTP method of the request.
    pub method: Method,
    /// The `Idempotency-Key` that was sent, if any.
    pub idempotency_key: Option<String>,
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Stripe response (status {}) is larger than the limit of {} bytes; not read further",
            self.status, self.limit
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        retry_hint(f, Some(self.method), self.idempotency_key.as_deref(), true)
    }
}

/// Whether a body starts like a JSON object or array (after whitespace).
pub(crate) fn looks_like_json(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['))
}

/// `text/html, 1234 bytes`: what a body is, without any of its text.
pub(crate) fn describe_body(
    f: &mut impl fmt::Write,
    content_type: Option<&str>,
    len: usize,
) -> fmt::Result {
    // Only the media type, and only if it looks like one: parameters and odd values are dropped.
    let media = content_type
        .and_then(|ct| ct.split(';').next())
        .map(str::trim)
        .filter(|m| {
            m.len() <= 64
                && m.contains('/')
                && m.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/.+-".contains(&b))
        });
    match media {
        Some(media) => write!(f, "{media}, {len} bytes"),
        None => write!(f, "{len} bytes"),
    }
}

/// Auto-paging was stopped because the list did not advance.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PaginationError {
    /// The list endpoint's path.
    pub path: String,
    /// The cursor parameter, `starting_after` or `ending_before`.
    pub cursor_param: &'static str,
    /// The item id the server returned as the cursor a second time.
    pub repeated_cursor: String,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "auto-paging {} stopped: the server returned a page ending at {:?} again \
             (it did not follow `{}`)",
            self.path, self.repeated_cursor, self.cursor_param
        )
    }
}

/// The request could not be encoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EncodeError {
    /// What could not be encoded.
    pub message: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not encode Stripe request: {}", self.message)
    }
}

/// The client configuration is unusable.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConfigError {
    /// What is wrong (never includes the secret key).
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Stripe client configuration: {}", self.message)
    }
}

/// Why a webhook delivery was rejected.
///
/// Messages never contain the signing secret. Respond with HTTP 400 to any of these; Stripe
/// retries deliveries that fail.
#[derive(Debug, PartialEq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The endpoint signing secret is empty or only whitespace (an unset
    /// `STRIPE_WEBHOOK_SECRET=` in a deployment, say). Every delivery is rejected with this
    /// rather than checked against the empty key, which anyone could sign with. Respond with
    /// HTTP 500: the endpoint is misconfigured, not the request.
    EmptySecret,
    /// The `Stripe-Signature` header was empty (or only whitespace). Pass a missing header as
    /// `""`.
    MissingHeader,
    /// The header could not be parsed: no `t=`, several `t=`, a non-numeric `t=`, or longer than
    /// [`MAX_HEADER_LEN`](crate::webhook::MAX_HEADER_LEN) bytes.
    MalformedHeader {
        /// What was wrong, e.g. `"no timestamp (t=)"`.
        reason: &'static str,
    },
    /// The header carried no `v1` signature (for example only the legacy `v0` scheme).
    NoV1Signature,
    /// No `v1` signature matched the payload: wrong secret, modified body (did a framework
    /// re-encode it?), or a forged request.
    NoMatchingSignature,
    /// The signature is valid but its timestamp is more than `tolerance` older than `now`: a
    /// possible replay.
    TimestampTooOld {
        /// The header's `t=` value (Unix seconds).
        timestamp: Timestamp,
        /// The time it was checked against (Unix seconds).
        now: Timestamp,
        /// The allowed difference.
        tolerance: Duration,
    },
    /// The payload is authentic but is not JSON, or not a Stripe event.
    InvalidPayload {
        /// The JSON path of the problem, e.g. `created` or `data.object.amount_total`; `.` is the
        /// payload itself.
        path: String,
        /// What was wrong there, in serde_json's wording (e.g. ``missing field `created` ``).
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::EmptySecret => f.write_str(
                "the webhook signing secret is empty: set the endpoint's whsec_… secret",
            ),
            WebhookError::MissingHeader => f.write_str("missing Stripe-Signature header"),
            WebhookError::MalformedHeader { reason } => {
                write!(f, "malformed Stripe-Signature header: {reason}")
            }
            WebhookError::NoV1Signature => {
                f.write_str("no v1 signature in the Stripe-Signature header")
            }
            WebhookError::NoMatchingSignature => {
                f.write_str("no v1 signature matches the payload (wrong secret or modified body?)")
            }
            WebhookError::TimestampTooOld {
                timestamp,
                now,
                tolerance,
            } => write!(
                f,
                "webhook timestamp {timestamp} is more than {}s older than now ({now})",
                tolerance.as_secs()
            ),
            WebhookError::InvalidPayload { path, message } => {
                write!(
                    f,
                    "webhook payload is not a valid event at {path}: {message}"
                )
            }
        }
    }
}

impl std::error::Error for WebhookError {}
