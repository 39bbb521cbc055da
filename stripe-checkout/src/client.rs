//! The HTTP client: authentication headers, form encoding, retries and response decoding.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use ring::rand::{SecureRandom, SystemRandom};
use serde::de::DeserializeOwned;

use crate::decode::decode_serde;
use crate::error::TransportError;
use crate::form;
use crate::form::FormValue;
use crate::method::Method;
use crate::pagination::Paginator;
use crate::request::{Options, Request};
use crate::response::{self, header_str, ReadError, Success};
use crate::retry::RetryPolicy;
use crate::{Error, Identified};

const DEFAULT_BASE_URL: &str = "https://api.stripe.com";
const USER_AGENT: &str = concat!("stripe-checkout-rust/", env!("CARGO_PKG_VERSION"));
// Stripe's official SDKs use 80s for the whole request.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
// Idle keep-alive connections kept per host, and for how long: enough for a busy app's
// concurrency to reuse connections, without holding thousands open after a burst (reqwest's own
// default keeps every idle connection for 90 s).
const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 32;
const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
// A list of 100 sessions with everything expanded is a few MiB; 16 MiB leaves room.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The environment variable [`Client::from_env`] reads.
const SECRET_KEY_VAR: &str = "STRIPE_SECRET_KEY";

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
///     CheckoutSessionMode, Client, CreateCheckoutSessionLineItems, CreateCheckoutSessionParams,
/// };
///
/// /// Returns the URL to redirect the customer to (with an HTTP 303 from your handler).
/// async fn start_checkout(
///     client: &Client,
///     order_id: &str,
/// ) -> Result<String, stripe_checkout::Error> {
///     let mut params = CreateCheckoutSessionParams::hosted(
///         CheckoutSessionMode::Payment,
///         // Stripe replaces {CHECKOUT_SESSION_ID} when it redirects back.
///         "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
///     );
///     params.cancel_url = Some("https://example.com/cart".into());
///     params.line_items = Some(vec![CreateCheckoutSessionLineItems {
///         price: Some("price_123".into()),
///         quantity: Some(2),
///         ..Default::default()
///     }]);
///     params.metadata = Some(BTreeMap::from([("order_id".into(), order_id.into())]));
///
///     let session = client
///         .checkout_sessions()
///         .create(&params)
///         // Optional: with a key derived from the order, a repeated click gets the same session
///         // back instead of a second one. Stripe rejects a key reused with different params,
///         // so derive it from the cart's contents too if they can change.
///         .idempotency_key(format!("checkout-{order_id}"))
///         .await?;
///     // `url` is set while the session is open (hosted Checkout).
///     Ok(session.url.unwrap_or_default())
/// }
///
/// # async fn run() -> Result<(), stripe_checkout::Error> {
/// let client = Client::from_env()?; // STRIPE_SECRET_KEY
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
    /// `true` when `http` was built here with `timeout` as its own total timeout, so a request
    /// without a per-call timeout need not set one (which costs reqwest an allocation).
    http_has_timeout: bool,
    /// `true` when `http` is the caller's ([`ClientBuilder::http_client`]): it may follow
    /// redirects, so each response's URL is checked against the request's.
    custom_http: bool,
    /// The headers every request starts from (`Authorization`, `Stripe-Version`, `User-Agent`,
    /// `X-Stripe-Client-User-Agent`, `Accept`), built once: cloning them is cheaper than
    /// building them again on every request.
    base_headers: HeaderMap,
    /// Normalised by URL parsing, without a trailing `/`.
    base_url: String,
    /// `base_url` parsed, without query or fragment; each request's URL starts from a clone.
    base: reqwest::Url,
    /// The path part of `base_url` (`""` for an origin).
    base_path: String,
    stripe_account: Option<String>,
    retry: RetryPolicy,
    timeout: Duration,
    /// The limit for a whole call, retries and backoff included.
    total_timeout: Option<Duration>,
    max_response_bytes: usize,
    rng: SystemRandom,
    /// Random bytes for idempotency keys, fetched from the OS in batches.
    key_bytes: Mutex<RandomPool>,
}

/// Bytes from [`SystemRandom`], handed out 16 at a time: one `getrandom` call serves
/// [`RandomPool::KEYS`] idempotency keys instead of one.
struct RandomPool {
    bytes: [u8; 16 * RandomPool::KEYS],
    /// How many of `bytes` were handed out already.
    used: usize,
}

impl RandomPool {
    const KEYS: usize = 32;

    fn new() -> Mutex<RandomPool> {
        Mutex::new(RandomPool {
            bytes: [0; 16 * RandomPool::KEYS],
            // Empty: the first key fills it.
            used: 16 * RandomPool::KEYS,
        })
    }

    /// 16 fresh random bytes; `None` when the OS randomness fails.
    fn take16(&mut self, rng: &SystemRandom) -> Option<[u8; 16]> {
        if self.used + 16 > self.bytes.len() {
            rng.fill(&mut self.bytes).ok()?;
            self.used = 0;
        }
        let mut out = [0u8; 16];
        out.copy_from_slice(&self.bytes[self.used..self.used + 16]);
        self.used += 16;
        Some(out)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("secret_key", &"[redacted]")
            .field("base_url", &redact_userinfo(&inner.base_url))
            .field("stripe_account", &inner.stripe_account)
            .field("max_retries", &inner.retry.max_retries)
            .field("timeout", &inner.timeout)
            .field("total_timeout", &inner.total_timeout)
            .field("max_response_bytes", &inner.max_response_bytes)
            .field("usable", &inner.http.is_ok())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the default settings: `https://api.stripe.com`, 80 s timeout, 2 retries.
    ///
    /// Never panics. If the client cannot be set up (the key is empty or only whitespace, it
    /// contains characters not allowed in a header, or the TLS backend fails to initialise),
    /// every request returns [`Error::Config`]: the same rule as [`ClientBuilder::build`] and
    /// [`Client::from_env`], which return that error up front.
    pub fn new(secret_key: impl Into<String>) -> Client {
        Client {
            inner: Arc::new(Client::builder(secret_key).build_inner()),
        }
    }

    /// A client with the default settings and the secret key from the `STRIPE_SECRET_KEY`
    /// environment variable.
    ///
    /// Fails with [`Error::Config`] when the variable is unset, empty or not Unicode, or the
    /// client cannot be built (see [`ClientBuilder::build`]).
    pub fn from_env() -> Result<Client, Error> {
        match std::env::var(SECRET_KEY_VAR) {
            Ok(key) if !key.trim().is_empty() => Client::builder(key).build(),
            Ok(_) => Err(Error::config(format!("{SECRET_KEY_VAR} is empty"))),
            Err(std::env::VarError::NotPresent) => {
                Err(Error::config(format!("{SECRET_KEY_VAR} is not set")))
            }
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::config(format!(
                "{SECRET_KEY_VAR} is not valid Unicode"
            ))),
        }
    }

    /// Starts configuring a client.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            http: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            secret_key: secret_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            total_timeout: None,
            retry: RetryPolicy::default(),
            stripe_account: None,
            pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
            pool_idle_timeout: Some(DEFAULT_POOL_IDLE_TIMEOUT),
        }
    }

    /// One API request for any params and response types; `path` must already have its ids
    /// encoded with [`encode_path_segment`].
    ///
    /// GET and DELETE params go in the query string, POST params in a form body, both written by
    /// the crate's one form writer ([`crate::form::FormValue`]: a `serde_json::Value`, `()` or a
    /// type of your own). The generated endpoint methods use `__private::call` instead.
    #[doc(hidden)]
    pub fn send<P, R>(&self, method: Method, path: &str, params: &P) -> Request<R>
    where
        P: FormValue + ?Sized,
        R: DeserializeOwned,
    {
        // Encoded now, so the request owns everything and does not borrow `params`.
        let form = form::to_form_string(params);
        Request::new(
            self.clone(),
            method,
            path.to_owned(),
            form,
            decode_serde::<R>,
        )
    }

    /// Streams every item of a list endpoint, following `starting_after`/`ending_before`
    /// cursors, for untyped params (a `serde_json::Value` object). See [`Paginator`] for the
    /// exact rules.
    #[doc(hidden)]
    pub fn paginate<T>(&self, path: String, params: &serde_json::Value) -> Paginator<T>
    where
        T: DeserializeOwned + Identified,
    {
        Paginator::new(self.clone(), path, Box::new(params.clone()), |bytes| {
            decode_serde::<crate::pagination::SerdeList<T>>(bytes).map(|page| page.0)
        })
    }
}

/// One request with retries; `encoded` is the form string (query or body). Not generic, so
/// the retry loop is compiled once whatever the endpoint.
pub(crate) async fn execute(
    client: &Client,
    method: Method,
    path: &str,
    encoded: String,
    options: &Options,
) -> Result<Success, Error> {
    #[cfg(feature = "tracing")]
    {
        let span = tracing::info_span!(
            "stripe.request",
            method = method.as_str(),
            path,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempt = tracing::field::Empty,
        );
        let result = tracing::Instrument::instrument(
            execute_inner(client, method, path, encoded, options, &span),
            span.clone(),
        )
        .await;
        if let Err(e) = &result {
            span.in_scope(|| tracing::debug!(error = %e, "stripe request failed"));
        }
        result
    }
    #[cfg(not(feature = "tracing"))]
    execute_inner(client, method, path, encoded, options, &()).await
}

async fn execute_inner(
    client: &Client,
    method: Method,
    path: &str,
    encoded: String,
    options: &Options,
    _span: &Span,
) -> Result<Success, Error> {
    let inner = &*client.inner;
    let http = inner.http.as_ref().map_err(|m| Error::config(m.clone()))?;
    // The whole call, retries and backoff included, ends by this instant.
    let total_timeout = options.total_timeout.or(inner.total_timeout);
    let deadline = total_timeout.map(|total| Instant::now() + total);

    let (query, body) = match method {
        // Shared by every attempt, not copied for each.
        Method::Post => (String::new(), Some(bytes::Bytes::from(encoded))),
        Method::Get | Method::Delete => (encoded, None),
    };
    // Every POST gets a key so a retry (ours or the caller's) cannot apply it twice; it is
    // chosen once, so every attempt sends the same key. Stripe ignores keys on GET, so none
    // is sent there even when given.
    let idempotency_key = match method {
        Method::Post => Some(
            options
                .idempotency_key
                .clone()
                .unwrap_or_else(|| inner.uuid_v4()),
        ),
        Method::Delete => options.idempotency_key.clone(),
        Method::Get => None,
    };
    let attempt_timeout = options.timeout.unwrap_or(inner.timeout);
    let limit = inner.max_response_bytes;

    let mut retries = 0;
    // Whether any attempt may have reached Stripe: a request whose every attempt failed to
    // connect was never sent, so it cannot have been applied.
    let mut maybe_sent = false;
    loop {
        #[cfg(feature = "tracing")]
        _span.record("attempt", retries + 1);
        let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let cut_by_total = remaining.is_some_and(|left| left < attempt_timeout);
        let this_timeout = remaining.map_or(attempt_timeout, |left| left.min(attempt_timeout));
        // A client built here already applies `inner.timeout`; setting it again per request
        // would only cost reqwest an allocation.
        let request_timeout = match options.timeout {
            None if inner.http_has_timeout && !cut_by_total => None,
            _ => Some(this_timeout),
        };
        // Built for each attempt rather than built once and cloned: most calls make one
        // attempt, and reqwest takes the URL and headers by value. Building cannot fail on
        // a retry if it did not on the first attempt (same inputs).
        let url = inner.url(path, &query)?;
        let sent_url = inner.custom_http.then(|| url.clone());
        let mut request = reqwest::Request::new(method.to_reqwest(), url);
        *request.headers_mut() = inner.headers(method, options, idempotency_key.as_deref())?;
        *request.timeout_mut() = request_timeout;
        if let Some(body) = &body {
            *request.body_mut() = Some(body.clone().into());
        }
        let outcome = match http.execute(request).await {
            Ok(response) => match &sent_url {
                Some(sent) if response.url() != sent => {
                    return Err(followed_redirect(response.url()));
                }
                _ => response::read_bounded(response, limit).await,
            },
            Err(e) => Err(ReadError::Transport(e)),
        };

        let error = match outcome {
            Ok(raw) => {
                #[cfg(feature = "tracing")]
                record_response(_span, raw.status, &raw.headers);
                if (200..300).contains(&raw.status) {
                    return Ok(Success {
                        status: raw.status,
                        // A cheap clone (shared bytes); only a decode error turns it into text.
                        content_type: raw.headers.get(reqwest::header::CONTENT_TYPE).cloned(),
                        request_id: header_str(&raw.headers, "request-id").map(str::to_owned),
                        method,
                        idempotency_key,
                        retries,
                        bytes: raw.bytes,
                    });
                }
                let mut api = response::api_error(raw);
                api.retries = retries;
                api.idempotency_key = idempotency_key.clone();
                Error::Api(Box::new(api))
            }
            Err(ReadError::TooLarge { status, headers }) => {
                #[cfg(feature = "tracing")]
                record_response(_span, status, &headers);
                response::too_large(status, &headers, limit, method, idempotency_key.clone())
            }
            Err(ReadError::Transport(e)) => {
                maybe_sent |= !e.is_connect();
                let time_limit = match (cut_by_total, total_timeout) {
                    (true, Some(total)) => TimeLimit::Total(total),
                    _ => TimeLimit::Attempt(this_timeout),
                };
                let attempts = Attempts {
                    method,
                    path,
                    retries,
                    maybe_sent,
                    idempotency_key: idempotency_key.clone(),
                };
                transport_error(e, attempts, time_limit)
            }
        };
        // Which failures are retried is decided in one place, the rule callers see too.
        let retry_after = error.api_error().and_then(|api| api.retry_after);
        let delay = match error.is_retryable() {
            true => inner.retry_delay(retries, retry_after, deadline),
            false => None,
        };
        let Some(delay) = delay else {
            return Err(error);
        };
        retries += 1;
        tokio::time::sleep(delay).await;
    }
}

/// The error for a response that a caller's `reqwest::Client` reached by following a redirect.
fn followed_redirect(to: &reqwest::Url) -> Error {
    Error::config(format!(
        "the reqwest::Client given to ClientBuilder::http_client followed a redirect to {}; \
         Stripe never redirects: build that client with \
         .redirect(reqwest::redirect::Policy::none())",
        response::url_without_query(to)
    ))
}

// The span of a request; nothing without the `tracing` feature.
#[cfg(feature = "tracing")]
type Span = tracing::Span;
#[cfg(not(feature = "tracing"))]
type Span = ();

#[cfg(feature = "tracing")]
fn record_response(span: &Span, status: u16, headers: &HeaderMap) {
    span.record("status", status);
    if let Some(id) = header_str(headers, "request-id") {
        span.record("request_id", id);
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
        // Starting from the parsed base skips parsing (and IDNA-checking) the host again on
        // every request; only the path and query are parsed.
        let mut url = self.base.clone();
        if self.base_path.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&format!("{}{}", self.base_path, path));
        }
        if !query.is_empty() {
            url.set_query(Some(query));
        }
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

    fn headers(
        &self,
        method: Method,
        options: &Options,
        idempotency_key: Option<&str>,
    ) -> Result<HeaderMap, Error> {
        let mut headers = self.base_headers.clone();
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
        if let Some(key) = idempotency_key {
            headers.insert(
                HeaderName::from_static("idempotency-key"),
                header_value("Idempotency-Key", key)?,
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
        let random = self
            .key_bytes
            .lock()
            // The pool is only bytes: a panic elsewhere cannot leave it inconsistent.
            .unwrap_or_else(PoisonError::into_inner)
            .take16(&self.rng);
        let mut b = random.unwrap_or_default();
        if random.is_none() {
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

    /// How long to wait before retrying a failure that may be retried, after `retries` retries
    /// so far; `None` when none is left, or when the wait would outlast the call's `deadline`
    /// (the caller then gets this failure now instead of a timeout later).
    fn retry_delay(
        &self,
        retries: u32,
        retry_after: Option<Duration>,
        deadline: Option<Instant>,
    ) -> Option<Duration> {
        if retries >= self.retry.max_retries {
            return None;
        }
        let mut unit = [0u8; 4];
        let unit = match self.rng.fill(&mut unit) {
            Ok(()) => f64::from(u32::from_be_bytes(unit)) / (f64::from(u32::MAX) + 1.0),
            Err(_) => 0.5,
        };
        let delay = self.retry.delay(retries + 1, retry_after, unit);
        deadline
            .is_none_or(|deadline| Instant::now() + delay < deadline)
            .then_some(delay)
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::encode(format!(
            "{name} contains characters not allowed in a header"
        ))
    })
}

/// `https://api.stripe.com` parsed, for the client that cannot send anything.
fn default_base() -> reqwest::Url {
    // A constant known to parse (the default every builder starts from), not outside data.
    match reqwest::Url::parse(DEFAULT_BASE_URL) {
        Ok(url) => url,
        Err(_) => unreachable!("DEFAULT_BASE_URL is a valid URL"),
    }
}

/// The headers every request of a client sends; the key's value is marked sensitive.
fn base_headers(authorization: HeaderValue) -> HeaderMap {
    // Index table sized for the per-request ones too (Stripe-Account, Idempotency-Key,
    // Content-Type); a clone keeps it, so inserting those never rehashes.
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(reqwest::header::AUTHORIZATION, authorization);
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
    headers
}

fn client_user_agent() -> HeaderValue {
    // Same shape as the official SDKs' X-Stripe-Client-User-Agent; all parts are static ASCII.
    let json = format!(
        r#"{{"bindings_version":"{}","lang":"rust","publisher":"stripe-checkout-rs","uname":"{} {}"}}"#,
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    HeaderValue::from_str(&json).unwrap_or_else(|_| HeaderValue::from_static("{}"))
}

/// What a call's attempts amounted to, for its error.
struct Attempts<'a> {
    method: Method,
    path: &'a str,
    retries: u32,
    /// Whether any attempt got past connecting, so the request may have reached Stripe.
    maybe_sent: bool,
    idempotency_key: Option<String>,
}

/// The time limit that ended the last attempt.
enum TimeLimit {
    /// The per-attempt timeout ([`ClientBuilder::timeout`], [`Request::timeout`]).
    Attempt(Duration),
    /// The call's total timeout ([`ClientBuilder::total_timeout`], [`Request::total_timeout`]).
    Total(Duration),
}

fn transport_error(e: reqwest::Error, attempts: Attempts<'_>, limit: TimeLimit) -> Error {
    // reqwest's Display names the URL, query string included (a customer's email, say): it is
    // dropped, and the method and path (ids only) said instead.
    let e = e.without_url();
    let Attempts {
        method,
        path,
        retries,
        maybe_sent,
        idempotency_key,
    } = attempts;
    let mut error = TransportError {
        message: String::new(),
        retries,
        method: Some(method),
        idempotency_key,
        may_have_been_sent: maybe_sent,
    };
    let method = method.as_str();
    if e.is_timeout() {
        error.message = match limit {
            _ if e.is_connect() => format!("{method} {path}: could not connect in time"),
            TimeLimit::Attempt(timeout) => {
                format!("{method} {path}: no complete response within {timeout:?}")
            }
            TimeLimit::Total(total) => format!(
                "{method} {path}: no complete response within the call's total timeout of \
                 {total:?}"
            ),
        };
        Error::Timeout(error)
    } else {
        error.message = format!("{method} {path}: {}", describe_chain(&e));
        Error::Connection(error)
    }
}

/// reqwest's top-level message is generic ("error sending request"); the causes say what broke.
/// A cause that repeats its parent's text is skipped.
fn describe_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = e.to_string();
    let mut last = message.clone();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !last.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        last = text;
        source = cause.source();
    }
    message
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
///
/// ```no_run
/// # fn run() -> Result<(), stripe_checkout::Error> {
/// use std::time::Duration;
/// let client = stripe_checkout::Client::builder("sk_test_...")
///     .timeout(Duration::from_secs(20))        // each attempt
///     .total_timeout(Duration::from_secs(45))  // the whole call, retries and waits included
///     .max_retries(3)
///     .pool_max_idle_per_host(8)
///     .build()?;
/// # Ok(()) }
/// ```
///
/// # Time limits
///
/// [`timeout`](Self::timeout) (default 80 s) bounds each attempt, from connecting to the last
/// byte of the body. [`total_timeout`](Self::total_timeout) (default: none) bounds the whole
/// call: every attempt, and every backoff or `Retry-After` wait between them. With both, an
/// attempt gets whichever is shorter of its timeout and the time left, and a retry whose wait
/// would outlast the total is not started: the call ends with the last answer or error instead.
/// Without a total, a call can take up to `(max_retries + 1) × timeout` plus the waits (about
/// 4 minutes with the defaults against a server that never answers).
/// [`Request::timeout`] and [`Request::total_timeout`] override both for one call.
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    max_response_bytes: usize,
    secret_key: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    total_timeout: Option<Duration>,
    retry: RetryPolicy,
    stripe_account: Option<String>,
    pool_max_idle_per_host: usize,
    pool_idle_timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"[redacted]")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.retry.max_retries)
            .field("stripe_account", &self.stripe_account)
            .field("initial_retry_delay", &self.retry.initial_delay)
            .field("max_retry_delay", &self.retry.max_delay)
            .field("max_retry_after", &self.retry.max_retry_after)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The API origin, default `https://api.stripe.com`. A path prefix is allowed
    /// (`http://proxy.local/stripe`); a trailing `/` is ignored.
    ///
    /// Point it at a local server to test without Stripe: stripe-mock
    /// (`http://localhost:12111`), a mock server, or the workspace's `stripe-checkout-fake`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sends requests with this `reqwest::Client` (for a proxy, extra root certificates, your
    /// own pool settings), instead of one built here. The key, headers, timeouts and retries are
    /// still applied per request; [`connect_timeout`](Self::connect_timeout) and the pool
    /// settings are then the given client's.
    ///
    /// **Build it with `.redirect(reqwest::redirect::Policy::none())`.** Stripe never redirects,
    /// and reqwest's default policy follows a 307/308 to any origin with the form body (customer
    /// email, metadata) and the `Idempotency-Key`. The client cannot stop that request once the
    /// given client makes it, but it never uses its answer: a response reached through a
    /// redirect fails with [`Error::Config`] naming where it went.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Largest response body read, in bytes; a longer one fails with
    /// [`Error::ResponseTooLarge`] (not retried) after reading at most this much. Default
    /// 16 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Time for one attempt, from connecting to reading the whole body. Default 80 s (as
    /// Stripe's SDKs). [`Request::timeout`] sets it for one call. See [Time limits](Self#time-limits).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time for a whole call: all its attempts and the waits between them. Default: none.
    /// [`Request::total_timeout`] sets it for one call. See [Time limits](Self#time-limits).
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Time allowed to establish a connection. Default 30 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Most idle keep-alive connections kept open to Stripe for reuse. Default 32: after a
    /// burst of 5,000 concurrent calls, 32 sockets stay open, not 5,000. `0` keeps none (a new
    /// connection, TLS handshake included, for every call).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// How long an idle connection is kept before it is closed. Default 60 s; `None` keeps
    /// idle connections until the server closes them.
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many times a failed request is retried (so `max_retries + 1` attempts). Default 2.
    ///
    /// Which failures are retried: those [`Error::is_retryable`] says may succeed when sent again.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Sends `Stripe-Account` on every request (a [`Request::stripe_account`] wins).
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    /// Delay before the first retry; each further retry doubles it, up to
    /// [`max_retry_delay`](Self::max_retry_delay), then jitter scales it by 50–100 %, never
    /// going below this value. Default 500 ms.
    pub fn initial_retry_delay(mut self, delay: Duration) -> Self {
        self.retry.initial_delay = delay;
        self
    }

    /// Upper bound of the exponential backoff before jitter. Default 5 s.
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.retry.max_delay = delay;
        self
    }

    /// Longest `Retry-After` honoured; longer values are cut to this. Default 60 s.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.retry.max_retry_after = delay;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] when the key is empty or only whitespace or cannot be sent
    /// in a header, the base URL is not an absolute http(s) URL, or the TLS backend cannot be
    /// initialised.
    pub fn build(self) -> Result<Client, Error> {
        let inner = self.build_inner();
        if let Err(message) = &inner.http {
            return Err(Error::config(message.clone()));
        }
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// The client's state; when something is unusable, `http` holds why and every request
    /// fails with it (the rule [`Client::new`] needs, as it cannot return an error).
    fn build_inner(self) -> Inner {
        let unusable = |message: String| Inner {
            http: Err(message),
            http_has_timeout: false,
            custom_http: false,
            base_headers: HeaderMap::new(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            base: default_base(),
            base_path: String::new(),
            stripe_account: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            total_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rng: SystemRandom::new(),
            key_bytes: RandomPool::new(),
        };
        if self.secret_key.trim().is_empty() {
            return unusable("the secret key is empty".to_owned());
        }
        let mut parsed = match reqwest::Url::parse(&self.base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => url,
            Ok(_) => return unusable("base URL must be http(s) without a query".to_owned()),
            Err(e) => return unusable(format!("base URL is invalid: {e}")),
        };
        let base_url = parsed.as_str().trim_end_matches('/').to_owned();
        let base_path = parsed.path().trim_end_matches('/').to_owned();
        // A fragment would otherwise end up after each request's path.
        parsed.set_fragment(None);
        let Ok(mut authorization) = HeaderValue::from_str(&format!("Bearer {}", self.secret_key))
        else {
            return unusable("secret key contains characters not allowed in a header".to_owned());
        };
        authorization.set_sensitive(true);
        let custom_http = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => {
                let built = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .pool_max_idle_per_host(self.pool_max_idle_per_host)
                    .pool_idle_timeout(self.pool_idle_timeout)
                    // Stripe never redirects; following one could send the key elsewhere.
                    .redirect(reqwest::redirect::Policy::none())
                    .build();
                match built {
                    Ok(http) => http,
                    Err(e) => {
                        return unusable(format!(
                            "HTTP client could not be created: {}",
                            describe_chain(&e)
                        ))
                    }
                }
            }
        };
        Inner {
            http: Ok(http),
            http_has_timeout: !custom_http,
            custom_http,
            base_headers: base_headers(authorization),
            base_url,
            base: parsed,
            base_path,
            stripe_account: self.stripe_account,
            retry: self.retry,
            timeout: self.timeout,
            total_timeout: self.total_timeout,
            max_response_bytes: self.max_response_bytes,
            rng: SystemRandom::new(),
            key_bytes: RandomPool::new(),
        }
    }
}

/// `url` with any `user:password@` replaced, for `Debug` output.
fn redact_userinfo(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            // Both setters only fail for URLs that cannot have credentials at all.
            let _ = parsed.set_username("redacted");
            let _ = parsed.set_password(None);
            parsed.as_str().trim_end_matches('/').to_owned()
        }
        Ok(_) => url.to_owned(),
        // Not a URL (the builder will refuse it): anything before an `@` may be a credential.
        Err(_) => match url.rsplit_once('@') {
            Some((_, host)) => format!("[redacted]@{host}"),
            None => url.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn an_empty_key_is_refused_by_every_constructor() {
        for key in ["", "  ", "\t\n"] {
            let err = Client::builder(key).build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{key:?}: {err}");
            assert!(err.to_string().contains("secret key is empty"), "{err}");
            // `new` cannot fail: its client refuses every request with the same error.
            let client = Client::new(key);
            assert_eq!(
                client.inner.http.as_ref().unwrap_err(),
                "the secret key is empty"
            );
        }
    }

    #[test]
    fn debug_hides_credentials_in_the_base_url() {
        let builder =
            Client::builder("sk_test_x").base_url("http://user:pw@proxy.local:8080/stripe");
        let client = builder.build().unwrap();
        for text in [
            format!(
                "{:?}",
                Client::builder("sk").base_url("http://user:pw@proxy.local/")
            ),
            format!("{client:?}"),
        ] {
            assert!(!text.contains("pw"), "{text}");
            assert!(!text.contains("user"), "{text}");
            assert!(text.contains("redacted@proxy.local"), "{text}");
        }
        assert_eq!(redact_userinfo("not a url:pw@host"), "[redacted]@host");
        assert_eq!(
            redact_userinfo("https://api.stripe.com"),
            "https://api.stripe.com"
        );
    }
}
