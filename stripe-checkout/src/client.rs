//! The HTTP client: authentication headers, form encoding, retries and response decoding.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use ring::rand::{SecureRandom, SystemRandom};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::__private::{decode_json, Decode, Encode, JsonError};
use crate::error::{ApiError, ApiErrorObject, DecodeError, TransportError};
use crate::form;
use crate::pagination::Paginator;
use crate::{Error, Identified, List};

const DEFAULT_BASE_URL: &str = "https://api.stripe.com";
const USER_AGENT: &str = concat!("stripe-checkout-rust/", env!("CARGO_PKG_VERSION"));
// Stripe's official SDKs use 80s for the whole request.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_MAX_RETRIES: u32 = 2;
// stripe-node's INITIAL_/MAX_NETWORK_RETRY_DELAY_SEC.
const DEFAULT_INITIAL_RETRY_DELAY: Duration = Duration::from_millis(500);
const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_secs(5);
// stripe-python's MAX_RETRY_AFTER.
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The HTTP method of a Stripe endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`: parameters go in the query string.
    Get,
    /// `POST`: parameters go in a form body; an `Idempotency-Key` is always sent.
    Post,
    /// `DELETE`: parameters go in the query string.
    Delete,
}

impl Method {
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// Per-request settings.
///
/// ```
/// use stripe_checkout::RequestOptions;
/// let options = RequestOptions::new()
///     .idempotency_key("order-1234-checkout")
///     .stripe_account("acct_123");
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    idempotency_key: Option<String>,
    stripe_account: Option<String>,
}

impl RequestOptions {
    /// No per-request settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends this `Idempotency-Key` instead of a generated one. Use a key derived from your own
    /// operation (an order id, say) to make a POST safe to repeat across process restarts.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Makes the request on behalf of this connected account (`Stripe-Account` header),
    /// overriding the client's account.
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }
}

/// A Stripe API client. Cheap to clone: clones share one connection pool.
///
/// The endpoints are methods of [`Client::checkout_sessions`].
///
/// # Example
///
/// Create a Checkout Session for a cart and send the customer to Stripe's hosted page:
///
/// ```no_run
/// use std::collections::BTreeMap;
/// use stripe_checkout::{
///     Client, CreateCheckoutSessionLineItems, CreateCheckoutSessionMode,
///     CreateCheckoutSessionParams, RequestOptions,
/// };
///
/// /// Returns the URL to redirect the customer to (with an HTTP 303 from your handler).
/// async fn start_checkout(
///     client: &Client,
///     order_id: &str,
/// ) -> Result<String, stripe_checkout::Error> {
///     let mut params = CreateCheckoutSessionParams::new(
///         // Stripe replaces {CHECKOUT_SESSION_ID} when it redirects back.
///         "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
///     );
///     params.cancel_url = Some("https://example.com/cart".into());
///     params.mode = Some(CreateCheckoutSessionMode::Payment);
///     params.line_items = Some(vec![CreateCheckoutSessionLineItems {
///         price: Some("price_123".into()),
///         quantity: Some(2),
///         ..Default::default()
///     }]);
///     params.metadata = Some(BTreeMap::from([("order_id".into(), order_id.into())]));
///
///     let session = client
///         .checkout_sessions()
///         // Optional: with a key derived from the order, a repeated click gets the same session
///         // back instead of a second one. Stripe rejects a key reused with different params,
///         // so derive it from the cart's contents too if they can change.
///         .with_options(RequestOptions::new().idempotency_key(format!("checkout-{order_id}")))
///         .create(&params)
///         .await?;
///     // `url` is set while the session is open (hosted Checkout).
///     Ok(session.url.unwrap_or_default())
/// }
///
/// # async fn run() -> Result<(), stripe_checkout::Error> {
/// let client = Client::new(std::env::var("STRIPE_SECRET_KEY").unwrap_or_default());
/// let redirect_to = start_checkout(&client, "6735").await?;
/// println!("303 See Other, Location: {redirect_to}");
/// # Ok(()) }
/// ```
///
/// Settings other than the defaults go through [`Client::builder`]:
///
/// ```no_run
/// # async fn run() -> Result<(), stripe_checkout::Error> {
/// use std::time::Duration;
/// let client = stripe_checkout::Client::builder("sk_test_...")
///     .timeout(Duration::from_secs(20))
///     .max_retries(3)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// `Err` holds why the client could not be built; every request returns it as
    /// [`Error::Config`] (only reachable through [`Client::new`], which must not fail).
    http: Result<reqwest::Client, String>,
    authorization: HeaderValue,
    /// Normalised by URL parsing, without a trailing `/`.
    base_url: String,
    /// The path part of `base_url` (`""` for an origin).
    base_path: String,
    stripe_account: Option<String>,
    max_retries: u32,
    initial_retry_delay: Duration,
    max_retry_delay: Duration,
    max_retry_after: Duration,
    timeout: Duration,
    rng: SystemRandom,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("secret_key", &"[redacted]")
            .field("base_url", &inner.base_url)
            .field("stripe_account", &inner.stripe_account)
            .field("max_retries", &inner.max_retries)
            .field("timeout", &inner.timeout)
            .field("usable", &inner.http.is_ok())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the default settings: `https://api.stripe.com`, 80 s timeout, 2 retries.
    ///
    /// Never panics. If the HTTP client cannot be set up (the TLS backend fails to initialise,
    /// or the key contains characters not allowed in a header), every request returns
    /// [`Error::Config`]; use [`Client::builder`] to get that error up front.
    pub fn new(secret_key: impl Into<String>) -> Client {
        let builder = Client::builder(secret_key);
        match builder.build_inner() {
            Ok(inner) => Client {
                inner: Arc::new(inner),
            },
            Err(message) => Client {
                inner: Arc::new(Inner {
                    http: Err(message),
                    authorization: HeaderValue::from_static(""),
                    base_url: DEFAULT_BASE_URL.to_owned(),
                    base_path: String::new(),
                    stripe_account: None,
                    max_retries: 0,
                    initial_retry_delay: DEFAULT_INITIAL_RETRY_DELAY,
                    max_retry_delay: DEFAULT_MAX_RETRY_DELAY,
                    max_retry_after: DEFAULT_MAX_RETRY_AFTER,
                    timeout: DEFAULT_TIMEOUT,
                    rng: SystemRandom::new(),
                }),
            },
        }
    }

    /// Starts configuring a client.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            secret_key: secret_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            stripe_account: None,
            initial_retry_delay: DEFAULT_INITIAL_RETRY_DELAY,
            max_retry_delay: DEFAULT_MAX_RETRY_DELAY,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }

    /// Sends one API request and decodes the JSON response, for any params and response types;
    /// `path` must already have its ids encoded with [`encode_path_segment`].
    ///
    /// GET and DELETE params go in the query string, POST params in a form body. Retries
    /// follow the client's settings (see [`ClientBuilder::max_retries`]). The generated
    /// endpoint methods use [`Client::call`], which does the same without compiling serde code
    /// into the caller's crate.
    #[doc(hidden)]
    pub fn send<P, R>(
        &self,
        method: Method,
        path: &str,
        params: &P,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<R, Error>> + Send
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        // Encode before the future so it owns everything and does not require `P: Sync`.
        let pairs = form::to_pairs(params);
        let client = self.clone();
        let path = path.to_owned();
        let options = options.clone();
        async move {
            let response = client.execute(method, &path, &pairs?, &options).await?;
            response.decode_with(decode_json::<R>)
        }
    }

    /// [`Client::send`] for the generated params and response types, through their
    /// non-generic [`Encode`]/[`Decode`] impls.
    #[doc(hidden)]
    pub fn call<P, R>(
        &self,
        method: Method,
        path: &str,
        params: &P,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<R, Error>> + Send
    where
        P: Encode + ?Sized,
        R: Decode,
    {
        let form = params.encode();
        let client = self.clone();
        let path = path.to_owned();
        let options = options.clone();
        async move {
            let response = client.execute_form(method, &path, form?, &options).await?;
            response.decode_with(R::decode)
        }
    }

    /// Streams every item of a list endpoint, following `starting_after`/`ending_before`
    /// cursors. See [`Paginator`] for the exact rules.
    #[doc(hidden)]
    pub fn paginate<P, T>(&self, path: String, params: &P, options: RequestOptions) -> Paginator<T>
    where
        P: Serialize + ?Sized,
        T: DeserializeOwned + Identified + Send + 'static,
    {
        let pairs = form::to_pairs(params);
        Paginator::new(self.clone(), path, pairs, options, decode_json::<List<T>>)
    }

    /// [`Client::paginate`] for the generated types, through their non-generic impls.
    #[doc(hidden)]
    pub fn call_paginated<P, T>(
        &self,
        path: String,
        params: &P,
        options: RequestOptions,
    ) -> Paginator<T>
    where
        P: Encode + ?Sized,
        T: Identified + Send + 'static,
        List<T>: Decode,
    {
        // The paginator edits the cursor pair, so it keeps pairs; this runs once per walk.
        let pairs = params.encode().map(|form| form::parse_pairs(&form));
        Paginator::new(self.clone(), path, pairs, options, List::<T>::decode)
    }

    /// One request with retries; `pairs` come from [`form::to_pairs`].
    pub(crate) async fn execute(
        &self,
        method: Method,
        path: &str,
        pairs: &[(String, String)],
        options: &RequestOptions,
    ) -> Result<Success, Error> {
        self.execute_form(method, path, form::encode_pairs(pairs), options)
            .await
    }

    /// One request with retries; `encoded` is the form string. Not generic, so the retry loop
    /// is compiled once whatever the endpoint.
    pub(crate) async fn execute_form(
        &self,
        method: Method,
        path: &str,
        encoded: String,
        options: &RequestOptions,
    ) -> Result<Success, Error> {
        let inner = &*self.inner;
        let http = inner.http.as_ref().map_err(|m| Error::config(m.clone()))?;

        let (url, body) = match method {
            Method::Post => (inner.url(path, "")?, Some(encoded)),
            Method::Get | Method::Delete => (inner.url(path, &encoded)?, None),
        };
        let headers = inner.headers(method, options)?;

        let mut retries = 0;
        loop {
            let mut request = http
                .request(method.to_reqwest(), url.clone())
                .headers(headers.clone());
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            let outcome = match request.send().await {
                Ok(response) => read_response(response).await,
                Err(e) => Err(e),
            };

            let (status, response_headers, bytes) = match outcome {
                Ok(parts) => parts,
                Err(e) => {
                    if retries < inner.max_retries {
                        retries += 1;
                        tokio::time::sleep(inner.backoff(retries, None)).await;
                        continue;
                    }
                    return Err(transport_error(e, retries, inner.timeout));
                }
            };

            let request_id = header_str(&response_headers, "request-id").map(str::to_owned);
            if (200..300).contains(&status) {
                return Ok(Success {
                    status,
                    request_id,
                    bytes,
                });
            }

            let api = api_error(status, request_id, &response_headers, &bytes);
            if retries < inner.max_retries && api.is_retryable() {
                retries += 1;
                tokio::time::sleep(inner.backoff(retries, api.retry_after)).await;
                continue;
            }
            return Err(Error::Api(Box::new(api)));
        }
    }
}

impl Inner {
    /// Joins base URL, path and query, refusing anything that would not reach exactly `path`.
    fn url(&self, path: &str, query: &str) -> Result<reqwest::Url, Error> {
        // Empty ids give `//` or a trailing `/`, which would address a different endpoint.
        if !path.starts_with('/')
            || path.ends_with('/')
            || path.contains("//")
            || path.contains(['?', '#'])
        {
            return Err(Error::encode(format!(
                "invalid request path {path:?} (empty id or unencoded characters)"
            )));
        }
        let mut full = format!("{}{}", self.base_url, path);
        if !query.is_empty() {
            full.push('?');
            full.push_str(query);
        }
        let url = reqwest::Url::parse(&full)
            .map_err(|e| Error::encode(format!("invalid request URL for path {path:?}: {e}")))?;
        // URL parsing resolves `.`/`..` segments (including `%2E%2E`); an id that is only dots
        // cannot be addressed, so refuse rather than hit another endpoint.
        if url.path().strip_prefix(self.base_path.as_str()) != Some(path) {
            return Err(Error::encode(format!(
                "request path {path:?} would not be sent as given \
                 (a `.`/`..` segment or unencoded characters)"
            )));
        }
        Ok(url)
    }

    fn headers(&self, method: Method, options: &RequestOptions) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::with_capacity(10);
        headers.insert(reqwest::header::AUTHORIZATION, self.authorization.clone());
        headers.insert(
            HeaderName::from_static("stripe-version"),
            HeaderValue::from_static(crate::generated::API_VERSION),
        );
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        );
        headers.insert(
            HeaderName::from_static("x-stripe-client-user-agent"),
            client_user_agent(),
        );
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let account = options
            .stripe_account
            .as_deref()
            .or(self.stripe_account.as_deref());
        if let Some(account) = account {
            headers.insert(
                HeaderName::from_static("stripe-account"),
                header_value("Stripe-Account", account)?,
            );
        }
        // Every POST gets a key so a retry (ours or the caller's) cannot apply it twice; the
        // same headers are reused for every attempt, so retries share the key.
        let key = match (&options.idempotency_key, method) {
            (Some(key), _) => Some(key.clone()),
            (None, Method::Post) => Some(self.uuid_v4()),
            (None, _) => None,
        };
        if let Some(key) = key {
            headers.insert(
                HeaderName::from_static("idempotency-key"),
                header_value("Idempotency-Key", &key)?,
            );
        }
        if method == Method::Post {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
        Ok(headers)
    }

    fn uuid_v4(&self) -> String {
        let mut b = [0u8; 16];
        if self.rng.fill(&mut b).is_err() {
            // The key only has to be unique, not secret: fall back to time + counter.
            static COUNTER: AtomicU64 = AtomicU64::new(0);
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            b[..8].copy_from_slice(&(nanos as u64).to_be_bytes());
            b[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes());
        }
        b[6] = (b[6] & 0x0f) | 0x40; // version 4
        b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
                                     // 8-4-4-4-12 hex digits, written in one allocation (this runs on every POST).
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(char::from(HEX[usize::from(x >> 4)]));
            out.push(char::from(HEX[usize::from(x & 15)]));
        }
        out
    }

    /// Delay before retry number `retry` (1-based).
    fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let mut unit = [0u8; 4];
        let unit = match self.rng.fill(&mut unit) {
            Ok(()) => f64::from(u32::from_be_bytes(unit)) / (f64::from(u32::MAX) + 1.0),
            Err(_) => 0.5,
        };
        backoff_delay(
            retry,
            self.initial_retry_delay,
            self.max_retry_delay,
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

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::encode(format!(
            "{name} contains characters not allowed in a header"
        ))
    })
}

fn client_user_agent() -> HeaderValue {
    // Built once: it never changes, and this runs on every request.
    static VALUE: std::sync::OnceLock<HeaderValue> = std::sync::OnceLock::new();
    VALUE.get_or_init(build_client_user_agent).clone()
}

fn build_client_user_agent() -> HeaderValue {
    // Same shape as the official SDKs' X-Stripe-Client-User-Agent; all parts are static ASCII.
    let json = format!(
        r#"{{"bindings_version":"{}","lang":"rust","publisher":"stripe-checkout-rs","uname":"{} {}"}}"#,
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    HeaderValue::from_str(&json).unwrap_or_else(|_| HeaderValue::from_static("{}"))
}

async fn read_response(
    response: reqwest::Response,
) -> Result<(u16, HeaderMap, Vec<u8>), reqwest::Error> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    Ok((status, headers, bytes.to_vec()))
}

fn transport_error(e: reqwest::Error, retries: u32, timeout: Duration) -> Error {
    // reqwest's Display includes the URL (never the key, which only travels in a header).
    if e.is_timeout() {
        let message = format!("no complete response within {timeout:?}");
        Error::Timeout(TransportError::new(message, retries, Some(Box::new(e))))
    } else {
        let message = describe_chain(&e);
        Error::Connection(TransportError::new(message, retries, Some(Box::new(e))))
    }
}

/// reqwest's top-level message is generic ("error sending request"); the cause says what broke.
fn describe_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A 2xx response, not yet decoded.
pub(crate) struct Success {
    status: u16,
    request_id: Option<String>,
    bytes: Vec<u8>,
}

impl Success {
    /// Decodes the body, turning a failure into [`Error::Decode`] with the JSON path.
    pub(crate) fn decode_with<R>(
        self,
        decode: impl FnOnce(&[u8]) -> Result<R, JsonError>,
    ) -> Result<R, Error> {
        decode(&self.bytes).map_err(|failure| {
            Error::Decode(Box::new(DecodeError {
                path: failure.path,
                message: failure.message,
                status: self.status,
                request_id: self.request_id,
                body_excerpt: non_json_excerpt(&self.bytes),
            }))
        })
    }
}

/// The first characters of a body that is clearly not JSON; `None` for anything JSON-shaped.
fn non_json_excerpt(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start();
    if trimmed.is_empty() || trimmed.starts_with(['{', '[']) {
        return None;
    }
    Some(trimmed.chars().take(120).collect())
}

fn api_error(
    status: u16,
    request_id: Option<String>,
    headers: &HeaderMap,
    bytes: &[u8],
) -> ApiError {
    #[derive(serde::Deserialize)]
    struct Body {
        error: ApiErrorObject,
    }
    let error = match serde_json::from_slice::<Body>(bytes) {
        Ok(body) => body.error,
        Err(_) => ApiErrorObject {
            message: Some(match non_json_excerpt(bytes) {
                Some(excerpt) => format!("response had no Stripe error object: {excerpt:?}"),
                None => "response had no Stripe error object".to_owned(),
            }),
            ..ApiErrorObject::default()
        },
    };
    let should_retry = match header_str(headers, "stripe-should-retry") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let retry_after = header_str(headers, "retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        // Clamped before conversion so `from_secs_f64` cannot overflow; capped again later.
        .map(|secs| Duration::from_secs_f64(secs.min(86_400.0)));
    ApiError {
        status,
        request_id,
        should_retry,
        retry_after,
        error,
    }
}

/// Percent-encodes an id so it is exactly one path segment: everything except `A-Za-z0-9-._~`
/// is encoded, so `/`, `?`, `#`, `%` and spaces cannot change the path or add a query.
///
/// An id that is only `.` or `..` is encoded as `%2E`/`%2E%2E`; URL parsers still treat those
/// as dot segments, so the client refuses to send such a request rather than reach another path.
///
/// ```
/// assert_eq!(
///     stripe_checkout::encode_path_segment("cs_test/../v1?x=1#f"),
///     "cs_test%2F..%2Fv1%3Fx%3D1%23f"
/// );
/// ```
pub fn encode_path_segment(id: &str) -> String {
    match id {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => form::encode_component(id),
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    secret_key: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    stripe_account: Option<String>,
    initial_retry_delay: Duration,
    max_retry_delay: Duration,
    max_retry_after: Duration,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"[redacted]")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("stripe_account", &self.stripe_account)
            .field("initial_retry_delay", &self.initial_retry_delay)
            .field("max_retry_delay", &self.max_retry_delay)
            .field("max_retry_after", &self.max_retry_after)
            .finish()
    }
}

impl ClientBuilder {
    /// The API origin, default `https://api.stripe.com`. A path prefix is allowed
    /// (`http://proxy.local/stripe`); a trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Total time for one attempt, from connecting to reading the whole body. Default 80 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection. Default 30 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a failed request is retried (so `max_retries + 1` attempts). Default 2.
    ///
    /// Retried: connection failures, timeouts, and responses Stripe marks with
    /// `Stripe-Should-Retry: true`; without that header, 409 and 5xx. Never retried:
    /// `Stripe-Should-Retry: false`, and any other status (including 429 without the header).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sends `Stripe-Account` on every request (a [`RequestOptions::stripe_account`] wins).
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    /// Delay before the first retry; each further retry doubles it, up to
    /// [`max_retry_delay`](Self::max_retry_delay), then jitter scales it by 50–100 %, never
    /// going below this value. Default 500 ms.
    pub fn initial_retry_delay(mut self, delay: Duration) -> Self {
        self.initial_retry_delay = delay;
        self
    }

    /// Upper bound of the exponential backoff before jitter. Default 5 s.
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.max_retry_delay = delay;
        self
    }

    /// Longest `Retry-After` honoured; longer values are cut to this. Default 60 s.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is not an absolute http(s) URL, the key
    /// cannot be sent in a header, or the TLS backend cannot be initialised.
    pub fn build(self) -> Result<Client, Error> {
        self.build_inner()
            .map(|inner| Client {
                inner: Arc::new(inner),
            })
            .map_err(Error::config)
    }

    fn build_inner(self) -> Result<Inner, String> {
        let parsed = match reqwest::Url::parse(&self.base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => url,
            Ok(_) => return Err("base URL must be http(s) without a query".to_owned()),
            Err(e) => return Err(format!("base URL is invalid: {e}")),
        };
        let base_url = parsed.as_str().trim_end_matches('/').to_owned();
        let base_path = parsed.path().trim_end_matches('/').to_owned();
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", self.secret_key))
            .map_err(|_| "secret key contains characters not allowed in a header".to_owned())?;
        authorization.set_sensitive(true);
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // Stripe never redirects; following one could send the key elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("HTTP client could not be created: {}", describe_chain(&e)))?;
        Ok(Inner {
            http: Ok(http),
            authorization,
            base_url,
            base_path,
            stripe_account: self.stripe_account,
            max_retries: self.max_retries,
            initial_retry_delay: self.initial_retry_delay,
            max_retry_delay: self.max_retry_delay,
            max_retry_after: self.max_retry_after,
            timeout: self.timeout,
            rng: SystemRandom::new(),
        })
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
    fn uuid_v4_shape() {
        let client = Client::new("sk_test_x");
        let a = client.inner.uuid_v4();
        let b = client.inner.uuid_v4();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }

    #[test]
    fn path_checks() {
        let client = Client::builder("sk")
            .base_url("http://h/prefix/")
            .build()
            .unwrap();
        let inner = &client.inner;
        assert_eq!(
            inner.url("/v1/x/a%2Fb", "").unwrap().as_str(),
            "http://h/prefix/v1/x/a%2Fb"
        );
        assert_eq!(
            inner.url("/v1/x", "expand[0]=a").unwrap().as_str(),
            "http://h/prefix/v1/x?expand[0]=a"
        );
        for bad in [
            "/v1/x/",
            "/v1/x//y",
            "/v1/x/%2E%2E",
            "/v1/x/%2e",
            "/v1/x?y",
            "v1",
        ] {
            assert!(matches!(inner.url(bad, ""), Err(Error::Encode(_))), "{bad}");
        }
    }

    #[test]
    fn bad_config_is_an_error_not_a_panic() {
        assert!(matches!(
            Client::builder("sk").base_url("not a url").build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder("sk\nx").build(),
            Err(Error::Config(_))
        ));
        let broken = Client::new("sk\nhunter2");
        assert!(!format!("{broken:?}").contains("hunter2"));
    }
}
