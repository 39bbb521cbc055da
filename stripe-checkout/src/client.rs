//! The client: [`Client`] and its builder, and the calls it starts ([`Request`], [`Paginator`],
//! and [`call`]/[`call_paginated`] for generated endpoint methods). Sending them is
//! `transport.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use ring::rand::SystemRandom;
use serde::de::DeserializeOwned;

use crate::decode::{decode_serde, Decode};
use crate::error::Error;
use crate::expandable::Identified;
use crate::files::BinaryResponse;
use crate::form::{self, Encode, FormValue};
use crate::method::Method;
use crate::pagination::{List, PageParams, Paginator, SerdeList};
use crate::request::Request;
use crate::response::Decoder;
use crate::retry::RetryPolicy;
use crate::transport::{describe_chain, Payload, RandomPool, Transport};

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
    inner: Arc<Transport>,
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
            self.inner.clone(),
            method,
            path.to_owned(),
            form.map(Payload::Form),
            Decoder::Json(decode_serde::<R>),
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
        Paginator::new(
            self.inner.clone(),
            path,
            Box::new(params.clone()),
            |bytes| decode_serde::<SerdeList<T>>(bytes).map(|page| page.0),
        )
    }
}

/// One API request of a generated endpoint method, through the params' non-generic [`Encode`]
/// and the response's [`Decode`]; `path` has its ids encoded already
/// ([`encode_path_segment`]). The hand-written counterpart for other types is
/// [`Client::send`]. Generated code names it as `__private::call`.
///
/// A function rather than a method, so that `Client`'s methods are its public API alone and the
/// generated accessors (`client.checkout_sessions()`) can only clash with those (which the
/// compiler reports as duplicate definitions).
pub fn call<P, R>(client: &Client, method: Method, path: String, params: &P) -> Request<R>
where
    P: Encode + ?Sized,
    R: Decode,
{
    Request::new(
        client.inner.clone(),
        method,
        path,
        params.encode().map(Payload::Form),
        Decoder::Json(R::decode),
    )
}

/// [`call`] for an endpoint whose params are an `application/json` body (the v2 API): the
/// params' [`Encode`] writes JSON ([`crate::json`]). Generated code names it as
/// `__private::call_json`.
pub fn call_json<P, R>(client: &Client, method: Method, path: String, params: &P) -> Request<R>
where
    P: Encode + ?Sized,
    R: Decode,
{
    Request::new(
        client.inner.clone(),
        method,
        path,
        params.encode().map(Payload::Json),
        Decoder::Json(R::decode),
    )
}

/// [`call`] for an endpoint whose params are a `multipart/form-data` body (a file upload): the
/// params' form pairs and files become its parts ([`form::encode_multipart`]), under a fresh
/// random boundary. Generated code names it as `__private::call_multipart`.
pub fn call_multipart<P, R>(client: &Client, method: Method, path: String, params: &P) -> Request<R>
where
    P: FormValue + ?Sized,
    R: Decode,
{
    let boundary = format!("stripe-checkout-{}", client.inner.uuid_v4());
    let payload = form::encode_multipart(params, &boundary).and_then(|body| {
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let content_type = HeaderValue::from_str(&content_type)
            .map_err(|_| Error::encode("invalid multipart boundary".to_owned()))?;
        Ok(Payload::Multipart { content_type, body })
    });
    Request::new(
        client.inner.clone(),
        method,
        path,
        payload,
        Decoder::Json(R::decode),
    )
}

/// [`call`] for an endpoint that answers with a document (`application/pdf`) rather than JSON:
/// the body is returned as it is, with its content type, never decoded. Generated code names it
/// as `__private::call_binary`.
pub fn call_binary<P>(
    client: &Client,
    method: Method,
    path: String,
    params: &P,
) -> Request<BinaryResponse>
where
    P: Encode + ?Sized,
{
    Request::new(
        client.inner.clone(),
        method,
        path,
        params.encode().map(Payload::Form),
        Decoder::Raw(BinaryResponse::new),
    )
}

/// Sends `request` to `server`, the origin the spec gives its operation
/// (`https://files.stripe.com`), while the client's base URL is Stripe's default; a client
/// pointed elsewhere (a mock server, a proxy) sends it there like every call. Generated code
/// names it as `__private::on_server`.
pub fn on_server<T>(request: Request<T>, server: &'static str) -> Request<T> {
    request.on_server(server)
}

/// The [`Paginator`] of a generated `*_auto_paging` method: it sets the cursor on its own copy
/// of the typed params for each page ([`PageParams`]). Generated code names it as
/// `__private::call_paginated`.
pub fn call_paginated<P, T>(client: &Client, path: String, params: &P) -> Paginator<T>
where
    P: PageParams + Clone + 'static,
    T: Identified,
    List<T>: Decode,
{
    Paginator::new(
        client.inner.clone(),
        path,
        Box::new(params.clone()),
        List::<T>::decode,
    )
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
    fn build_inner(self) -> Transport {
        let unusable = |message: String| Transport {
            http: Err(message),
            http_has_timeout: false,
            custom_http: false,
            base_headers: HeaderMap::new(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            base: default_base(),
            base_path: String::new(),
            default_base: true,
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
        let default_base = base_url == DEFAULT_BASE_URL;
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
        Transport {
            http: Ok(http),
            http_has_timeout: !custom_http,
            custom_http,
            base_headers: base_headers(authorization),
            base_url,
            base: parsed,
            base_path,
            default_base,
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
        // An operation with its own origin goes there only from the default base URL.
        assert_eq!(
            inner
                .url_on(Some("https://files.stripe.com/"), "/v1/files", "")
                .unwrap()
                .as_str(),
            "http://h/prefix/v1/files"
        );
        let stripe = Client::new("sk");
        assert_eq!(
            stripe
                .inner
                .url_on(Some("https://files.stripe.com/"), "/v1/files", "")
                .unwrap()
                .as_str(),
            "https://files.stripe.com/v1/files"
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
