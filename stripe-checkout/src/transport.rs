//! Sending one call: each attempt's URL and headers, the retry loop, and reading the response.
//! Not generic, so it is compiled once whatever the endpoint.
//!
//! [`Transport`] is what a client's clones share (built by `ClientBuilder`), and what each
//! request and paginator holds to send with: so `request.rs` and `pagination.rs` need nothing
//! from `client.rs`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{Error, TransportError};
use crate::method::Method;
use crate::response::{self, header_str, ReadError, Success};
use crate::retry::RetryPolicy;

/// The non-generic future every call runs: the retry loop, before decoding.
pub(crate) type SendFuture = Pin<Box<dyn Future<Output = Result<Success, Error>> + Send + 'static>>;

/// Options of one call.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) idempotency_key: Option<String>,
    pub(crate) stripe_account: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) total_timeout: Option<Duration>,
}

/// A call's params, encoded.
pub(crate) enum Payload {
    /// A Stripe form string: the query of a GET or DELETE, the body of a POST
    /// (`application/x-www-form-urlencoded`).
    Form(String),
    /// An `application/json` body (the v2 API).
    Json(String),
    /// A `multipart/form-data` body, with its `Content-Type` (which names the boundary).
    Multipart {
        content_type: HeaderValue,
        body: Vec<u8>,
    },
}

/// What is sent, minus the decoding: kept non-generic so the sending code is compiled once.
pub(crate) struct Call {
    pub(crate) transport: Arc<Transport>,
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The params already encoded; an encoding error is returned when the call is awaited.
    pub(crate) payload: Result<Payload, Error>,
    /// The origin the spec gives this operation when it is not the API's
    /// (`https://files.stripe.com`); used only while the client's base URL is the default.
    pub(crate) server: Option<&'static str>,
    pub(crate) options: Options,
}

impl Call {
    pub(crate) fn start(self) -> SendFuture {
        Box::pin(async move {
            let payload = self.payload?;
            let target = Target {
                method: self.method,
                path: &self.path,
                server: self.server,
            };
            execute(&self.transport, target, payload, &self.options).await
        })
    }
}

/// Where a call goes.
#[derive(Clone, Copy)]
struct Target<'a> {
    method: Method,
    path: &'a str,
    server: Option<&'static str>,
}

/// A client's settings and connection pool, shared by its clones.
pub(crate) struct Transport {
    /// `Err` holds why the client could not be built; every request returns it as
    /// [`Error::Config`] (only reachable through [`Client::new`](crate::Client::new), which must not fail).
    pub(crate) http: Result<reqwest::Client, String>,
    /// `true` when `http` was built here with `timeout` as its own total timeout, so a request
    /// without a per-call timeout need not set one (which costs reqwest an allocation).
    pub(crate) http_has_timeout: bool,
    /// `true` when `http` is the caller's ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client)): it may follow
    /// redirects, so each response's URL is checked against the request's.
    pub(crate) custom_http: bool,
    /// The headers every request starts from (`Authorization`, `Stripe-Version`, `User-Agent`,
    /// `X-Stripe-Client-User-Agent`, `Accept`), built once: cloning them is cheaper than
    /// building them again on every request.
    pub(crate) base_headers: HeaderMap,
    /// Normalised by URL parsing, without a trailing `/`.
    pub(crate) base_url: String,
    /// `base_url` parsed, without query or fragment; each request's URL starts from a clone.
    pub(crate) base: reqwest::Url,
    /// The path part of `base_url` (`""` for an origin).
    pub(crate) base_path: String,
    /// Whether `base_url` is Stripe's own default, so an operation the spec serves from
    /// another origin (`files.stripe.com`) goes there; any other base URL (a mock server, a
    /// proxy) receives every call.
    pub(crate) default_base: bool,
    pub(crate) stripe_account: Option<String>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    /// The limit for a whole call, retries and backoff included.
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) max_response_bytes: usize,
    pub(crate) rng: SystemRandom,
    /// Random bytes for idempotency keys, fetched from the OS in batches.
    pub(crate) key_bytes: Mutex<RandomPool>,
}

/// Bytes from [`SystemRandom`], handed out 16 at a time: one `getrandom` call serves
/// [`RandomPool::KEYS`] idempotency keys instead of one.
pub(crate) struct RandomPool {
    bytes: [u8; 16 * RandomPool::KEYS],
    /// How many of `bytes` were handed out already.
    used: usize,
}

impl RandomPool {
    const KEYS: usize = 32;

    pub(crate) fn new() -> Mutex<RandomPool> {
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

/// One request with retries. Not generic, so the retry loop is compiled once whatever the
/// endpoint.
async fn execute(
    transport: &Transport,
    target: Target<'_>,
    payload: Payload,
    options: &Options,
) -> Result<Success, Error> {
    #[cfg(feature = "tracing")]
    let Target { method, path, .. } = target;
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
            execute_inner(transport, target, payload, options, &span),
            span.clone(),
        )
        .await;
        if let Err(e) = &result {
            span.in_scope(|| tracing::debug!(error = %e, "stripe request failed"));
        }
        result
    }
    #[cfg(not(feature = "tracing"))]
    execute_inner(transport, target, payload, options, &()).await
}

async fn execute_inner(
    transport: &Transport,
    target: Target<'_>,
    payload: Payload,
    options: &Options,
    _span: &Span,
) -> Result<Success, Error> {
    let Target {
        method,
        path,
        server,
    } = target;
    let inner = transport;
    let http = inner.http.as_ref().map_err(|m| Error::config(m.clone()))?;
    // The whole call, retries and backoff included, ends by this instant.
    let total_timeout = options.total_timeout.or(inner.total_timeout);
    let deadline = total_timeout.map(|total| Instant::now() + total);

    // The body is shared by every attempt, not copied for each.
    let (query, body, content_type) = match (method, payload) {
        (Method::Post, Payload::Form(form)) => (
            String::new(),
            Some(bytes::Bytes::from(form)),
            Some(HeaderValue::from_static(
                "application/x-www-form-urlencoded",
            )),
        ),
        (Method::Get | Method::Delete, Payload::Form(form)) => (form, None, None),
        (_, Payload::Json(json)) => (
            String::new(),
            Some(bytes::Bytes::from(json)),
            Some(HeaderValue::from_static("application/json")),
        ),
        (_, Payload::Multipart { content_type, body }) => (
            String::new(),
            Some(bytes::Bytes::from(body)),
            Some(content_type),
        ),
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
        let url = inner.url_on(server, path, &query)?;
        let sent_url = inner.custom_http.then(|| url.clone());
        let mut request = reqwest::Request::new(method.to_reqwest(), url);
        *request.headers_mut() =
            inner.headers(content_type.as_ref(), options, idempotency_key.as_deref())?;
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

impl Transport {
    /// [`Transport::url`], on the operation's own origin (`server`) when it has one and the
    /// client's base URL is Stripe's default.
    pub(crate) fn url_on(
        &self,
        server: Option<&str>,
        path: &str,
        query: &str,
    ) -> Result<reqwest::Url, Error> {
        let Some(server) = server.filter(|_| self.default_base) else {
            return self.url(path, query);
        };
        let base = reqwest::Url::parse(server)
            .map_err(|e| Error::encode(format!("invalid server URL {server:?}: {e}")))?;
        let base_path = base.path().trim_end_matches('/').to_owned();
        join_url(&base, &base_path, path, query)
    }

    /// Joins base URL, path and query, refusing anything that would not reach exactly `path`.
    pub(crate) fn url(&self, path: &str, query: &str) -> Result<reqwest::Url, Error> {
        join_url(&self.base, &self.base_path, path, query)
    }
}

/// `base` (whose path is `base_path`) joined with `path` and `query`, refusing anything that
/// would not reach exactly `path`.
fn join_url(
    base: &reqwest::Url,
    base_path: &str,
    path: &str,
    query: &str,
) -> Result<reqwest::Url, Error> {
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
    let mut url = base.clone();
    if base_path.is_empty() {
        url.set_path(path);
    } else {
        url.set_path(&format!("{base_path}{path}"));
    }
    if !query.is_empty() {
        url.set_query(Some(query));
    }
    // URL parsing resolves `.`/`..` segments (including `%2E%2E`); an id that is only dots
    // cannot be addressed, so refuse rather than hit another endpoint.
    if url.path().strip_prefix(base_path) != Some(path) {
        return Err(Error::encode(format!(
            "request path {path:?} would not be sent as given \
             (a `.`/`..` segment or unencoded characters)"
        )));
    }
    Ok(url)
}

impl Transport {
    fn headers(
        &self,
        content_type: Option<&HeaderValue>,
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
        if let Some(content_type) = content_type {
            headers.insert(reqwest::header::CONTENT_TYPE, content_type.clone());
        }
        Ok(headers)
    }

    pub(crate) fn uuid_v4(&self) -> String {
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
    /// The per-attempt timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout), [`Request::timeout`](crate::Request::timeout)).
    Attempt(Duration),
    /// The call's total timeout ([`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout),
    /// [`Request::total_timeout`](crate::Request::total_timeout)).
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
pub(crate) fn describe_chain(e: &(dyn std::error::Error + 'static)) -> String {
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
