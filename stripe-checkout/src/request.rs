//! One API call as a value: per-call options (idempotency key, connected account, timeout), and
//! the futures that send it.
//!
//! Endpoint methods return a [`Request`] that already owns everything it needs (a handle on the
//! client's transport, the path, the encoded params), so it can be kept, moved into
//! `tokio::spawn`, or raced in `select!`, and options set on it apply to this call only.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use std::sync::Arc;

use crate::error::Error;
use crate::method::Method;
use crate::response::{Decoder, Response};
use crate::transport::{Call, Options, Payload, SendFuture, Transport};

/// One API call, ready to send: `.await` it for the decoded value.
///
/// Endpoint methods such as `client.checkout_sessions().create(&params)` return one. It owns
/// everything it needs, so the future is `Send + 'static`: spawn it, race it, or store it.
/// Options set on it apply to this call only.
///
/// ```no_run
/// # async fn run(client: stripe_checkout::Client) -> Result<(), stripe_checkout::Error> {
/// use std::time::Duration;
/// use stripe_checkout::{CheckoutSessionMode, CreateCheckoutSessionParams};
///
/// let params = CreateCheckoutSessionParams::hosted(
///     CheckoutSessionMode::Payment,
///     "https://example.com/success",
/// );
/// let session = client
///     .checkout_sessions()
///     .create(&params)
///     .idempotency_key("order-6735") // this call only
///     .timeout(Duration::from_secs(10))
///     .await?;
///
/// // Or with the response's request id and the idempotency key that was used:
/// let response = client.checkout_sessions().create(&params).send_with_meta().await?;
/// println!("{} (request {:?})", response.value.id, response.request_id);
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<T> {
    call: Call,
    decode: Decoder<T>,
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the transport, which holds the key; options hold no secret.
        f.debug_struct("Request")
            .field("method", &self.call.method)
            .field("path", &self.call.path)
            .field("options", &self.call.options)
            .finish_non_exhaustive()
    }
}

impl<T> Request<T> {
    pub(crate) fn new(
        transport: Arc<Transport>,
        method: Method,
        path: String,
        payload: Result<Payload, Error>,
        decode: Decoder<T>,
    ) -> Self {
        Request {
            call: Call {
                transport,
                method,
                path,
                payload,
                server: None,
                options: Options::default(),
            },
            decode,
        }
    }

    /// Sends this `Idempotency-Key` instead of a generated one (every POST gets one). Derive it
    /// from your own operation (`"order-6735"`) to make the call safe to repeat across process
    /// restarts; Stripe rejects a key reused with different parameters, so use it for one call.
    ///
    /// Ignored on GET requests (retrieve, list): Stripe ignores the header there, so it is not
    /// sent. DELETE requests send it when given.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.call.options.idempotency_key = Some(key.into());
        self
    }

    /// Makes this call on behalf of a connected account (`Stripe-Account` header), overriding
    /// the client's [`ClientBuilder::stripe_account`](crate::ClientBuilder::stripe_account).
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.call.options.stripe_account = Some(account.into());
        self
    }

    /// Time allowed for each attempt of this call (connecting to reading the whole body),
    /// instead of the client's [`ClientBuilder::timeout`](crate::ClientBuilder::timeout).
    ///
    /// Retries make further attempts, each with this much time; to bound the whole call, set
    /// [`total_timeout`](Self::total_timeout) too (see
    /// [Time limits](crate::ClientBuilder#time-limits)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call.options.timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call: every attempt and every wait between retries
    /// (backoff, `Retry-After`), instead of the client's
    /// [`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout). A retry whose wait
    /// would end past it is not started; an attempt still running when it passes fails with
    /// [`Error::Timeout`].
    ///
    /// ```no_run
    /// # async fn run(client: stripe_checkout::Client) -> Result<(), stripe_checkout::Error> {
    /// use std::time::Duration;
    /// use stripe_checkout::RetrieveCheckoutSessionParams;
    /// // At most 5 s per attempt and 8 s in all, whatever Stripe's Retry-After says.
    /// let session = client
    ///     .checkout_sessions()
    ///     .retrieve("cs_test_123", &RetrieveCheckoutSessionParams::default())
    ///     .timeout(Duration::from_secs(5))
    ///     .total_timeout(Duration::from_secs(8))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.call.options.total_timeout = Some(total);
        self
    }

    /// Sends the call to `server` (the origin the spec gives its operation, such as
    /// `https://files.stripe.com`) while the client's base URL is Stripe's default.
    pub(crate) fn on_server(mut self, server: &'static str) -> Self {
        self.call.server = Some(server);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.call.method
    }

    /// The request path, ids already encoded, e.g. `/v1/checkout/sessions/cs_123`.
    pub fn path(&self) -> &str {
        &self.call.path
    }

    /// Sends the request and returns the value together with the response's request id and
    /// the idempotency key used (stripe-node's `lastResponse`).
    pub fn send_with_meta(self) -> MetaFuture<T> {
        MetaFuture {
            inner: self.call.start(),
            decode: self.decode,
        }
    }
}

impl<T> IntoFuture for Request<T> {
    type Output = Result<T, Error>;
    type IntoFuture = RequestFuture<T>;

    fn into_future(self) -> RequestFuture<T> {
        RequestFuture {
            inner: self.call.start(),
            decode: self.decode,
        }
    }
}

/// The future of an awaited [`Request`]: the decoded value.
#[must_use = "futures do nothing unless polled"]
pub struct RequestFuture<T> {
    inner: SendFuture,
    decode: Decoder<T>,
}

impl<T> fmt::Debug for RequestFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestFuture").finish_non_exhaustive()
    }
}

// Only the boxed future is polled, never pinned `T`s, so moving the wrapper is fine.
impl<T> Unpin for RequestFuture<T> {}

impl<T> Future for RequestFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Decoded straight into the result: no `Response` wrapper whose metadata would be
        // dropped, and one move fewer of a possibly large `T`.
        let decode = self.decode;
        self.inner
            .as_mut()
            .poll(cx)
            .map(|result| result.and_then(|success| success.decode_with(decode)))
    }
}

/// The future of [`Request::send_with_meta`].
#[must_use = "futures do nothing unless polled"]
pub struct MetaFuture<T> {
    inner: SendFuture,
    decode: Decoder<T>,
}

impl<T> fmt::Debug for MetaFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetaFuture").finish_non_exhaustive()
    }
}

// Only the boxed future is polled, never pinned `T`s, so moving the wrapper is fine.
impl<T> Unpin for MetaFuture<T> {}

impl<T> Future for MetaFuture<T> {
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let decode = self.decode;
        self.inner
            .as_mut()
            .poll(cx)
            .map(|result| result.and_then(|success| success.decode_meta(decode)))
    }
}
