#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

/// What the fake does, each rule with its source in Stripe's documentation, and what still
/// differs from Stripe (`RULES.md`).
#[doc = include_str!("../RULES.md")]
pub mod behaviour {}

// HTTP: the accept loop, then one module per kind of request.
mod api;
mod auth;
mod control;
mod hosted;
mod idempotency;
mod reply;
mod request;
mod routing;
mod server;
mod shared;
mod template;

// The state and its operations, with no I/O.
mod catalogue;
mod event_api;
mod events;
mod lifecycle;
mod lists;
mod money;
mod objects;
mod pricing;
mod rules;
mod sessions;
mod skeletons;
mod state;

// Shared pieces.
mod error;
mod faults;
mod form;
#[rustfmt::skip] // generated; `cargo xtask regen --check` guards it
#[path = "generated/params.rs"]
mod params;
mod schema;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use stripe_checkout::{CheckoutSession, Event};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Named `FakePrice` here: `stripe_checkout` has its own `Price` (the API's price object), and
/// both crates are often glob-imported together in tests.
pub use catalogue::Price as FakePrice;
pub use error::FakeError;
pub use faults::{Fault, FaultKind};
pub use lifecycle::{Completion, PostalAddress, ShippingDetails};
pub use webhooks::{Delivery, WebhookEndpoint, WebhookOptions};

use shared::{lock, Shared};

/// The API key [`FakeStripe::client`] uses.
pub const TEST_KEY: &str = "sk_test_stripe_checkout_fake";

/// A running fake: serves Stripe's Checkout Session API on 127.0.0.1 until dropped.
pub struct FakeStripe {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

impl std::fmt::Debug for FakeStripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeStripe")
            .field("addr", &self.addr)
            .finish()
    }
}

impl FakeStripe {
    /// Starts on an ephemeral port of 127.0.0.1. Needs a tokio runtime (any flavour).
    ///
    /// # Panics
    ///
    /// When no port can be bound on 127.0.0.1 (use [`FakeStripe::start_on`] to handle that).
    pub async fn start() -> FakeStripe {
        match FakeStripe::start_on(0).await {
            Ok(fake) => fake,
            Err(e) => panic!("stripe-checkout-fake: cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts on `127.0.0.1:port` (0 for an ephemeral one).
    pub async fn start_on(port: u16) -> std::io::Result<FakeStripe> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, rx) = watch::channel(false);
        let shared = Arc::new(Shared::new(
            format!("http://{addr}"),
            rx.clone(),
            tokio::runtime::Handle::current(),
        ));
        tokio::spawn(server::serve(listener, Arc::clone(&shared), rx));
        Ok(FakeStripe {
            shared,
            addr,
            shutdown,
        })
    }

    /// `http://127.0.0.1:<port>`: for `ClientBuilder::base_url`, stripe-node's
    /// `host`/`port`/`protocol`, stripe-python's `api_base`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A `stripe_checkout::Client` pointed at the fake, with [`TEST_KEY`] and fast retries.
    pub fn client(&self) -> stripe_checkout::Client {
        match self.client_builder().build() {
            Ok(client) => client,
            // Building fails only for a malformed base URL, which ours is not.
            Err(e) => panic!("stripe-checkout-fake: building the client: {e}"),
        }
    }

    /// A `ClientBuilder` pointed at the fake (key [`TEST_KEY`], retries 10–50 ms apart), to
    /// change before `.build()`.
    pub fn client_builder(&self) -> stripe_checkout::ClientBuilder {
        stripe_checkout::Client::builder(TEST_KEY)
            .base_url(self.base_url())
            .initial_retry_delay(Duration::from_millis(10))
            .max_retry_delay(Duration::from_millis(50))
            .max_retry_after(Duration::from_millis(50))
    }

    /// Makes `price.id` usable as `line_items[][price]`.
    pub fn register_price(&self, price: FakePrice) {
        lock(&self.shared.state).register_price(&price);
    }

    /// Completes an open session as a customer paying would, emitting
    /// `checkout.session.completed`. Returns the session; 404 `resource_missing` for an unknown
    /// id, 400 for a session that is not `open`.
    pub fn complete_session(
        &self,
        id: &str,
        how: Completion,
    ) -> Result<CheckoutSession, FakeError> {
        typed_session(&self.shared.with_state(|s| s.complete(id, &how))?)
    }

    /// The delayed payment of a session completed with [`Completion::delayed`] succeeded:
    /// `payment_status` becomes `paid`; emits `checkout.session.async_payment_succeeded`.
    /// Returns the session.
    pub fn succeed_async_payment(&self, id: &str) -> Result<CheckoutSession, FakeError> {
        typed_session(&self.shared.with_state(|s| s.settle_async(id, true))?)
    }

    /// The delayed payment failed: emits `checkout.session.async_payment_failed`. Returns the
    /// session.
    pub fn fail_async_payment(&self, id: &str) -> Result<CheckoutSession, FakeError> {
        typed_session(&self.shared.with_state(|s| s.settle_async(id, false))?)
    }

    /// Sets the fake's stand-in for Stripe Tax: sessions with `automatic_tax[enabled]=true` are
    /// taxed `percentage` % (exclusive) when completed with an address in `country` (a
    /// two-letter code). Without any rate, such sessions are refused at creation, as Stripe
    /// refuses automatic tax before Stripe Tax is set up (<https://docs.stripe.com/tax/set-up>).
    pub fn set_automatic_tax_rate(&self, country: &str, percentage: f64) {
        lock(&self.shared.state)
            .automatic_tax_rates
            .insert(country.to_ascii_uppercase(), percentage);
    }

    /// Sets the business name the Checkout page shows (default "Test shop"), as Stripe shows
    /// the account's public business name (<https://docs.stripe.com/payments/checkout/customization/appearance>).
    pub fn set_business_name(&self, name: impl Into<String>) {
        lock(&self.shared.hosted).business_name = name.into();
    }

    /// Moves the fake's clock forward: open sessions past `expires_at` expire (emitting
    /// `checkout.session.expired`) and idempotency keys older than 24 hours are forgotten.
    pub fn advance_clock(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.shared.with_state(|s| s.advance(seconds));
    }

    /// Unix seconds on the fake's clock.
    pub fn now(&self) -> i64 {
        lock(&self.shared.state).now()
    }

    /// A session as the API would return it (any account), decoded by `stripe_checkout`, for
    /// assertions; `None` for an unknown id.
    ///
    /// # Panics
    ///
    /// When the fake renders a session `stripe_checkout` cannot decode (a bug in the fake).
    pub fn session(&self, id: &str) -> Option<CheckoutSession> {
        let json = self.session_json(id)?;
        match typed_session(&json) {
            Ok(session) => Some(session),
            Err(e) => panic!("{e}"),
        }
    }

    /// A session as raw JSON, exactly as the API would send it: for tests about the wire
    /// format itself (every property present, `null`s), which the typed
    /// [`session`](Self::session) cannot show.
    pub fn session_json(&self, id: &str) -> Option<serde_json::Value> {
        lock(&self.shared.state).peek(id)
    }

    /// Every event emitted so far, oldest first (also without any webhook endpoint), decoded
    /// as a webhook handler decodes a delivery (`data.object` of a `checkout.session.*` event
    /// is a [`CheckoutSession`]: [`Event::checkout_session`]). `GET /_fake/events` has the raw
    /// JSON.
    ///
    /// # Panics
    ///
    /// When the fake emits an event `stripe_checkout` cannot decode (a bug in the fake).
    pub fn events(&self) -> Vec<Event> {
        let events: Vec<serde_json::Value> = lock(&self.shared.state)
            .events
            .iter()
            .map(events::StoredEvent::value)
            .collect();
        events
            .iter()
            .map(|event| match typed_event(event) {
                Ok(event) => event,
                Err(e) => panic!("{e}"),
            })
            .collect()
    }

    /// The customer `id` (made by a completed session or `POST /v1/customers`), as
    /// `stripe_checkout` decodes it; `None` for an unknown id.
    ///
    /// These objects come back as the client crate's own types (the ones its `Expandable`
    /// fields hold: `session.customer`, `.payment_intent`, `.subscription`, `.invoice`,
    /// `.setup_intent`), decoded by its decoder, so what a test reads is what a handler that
    /// expands them gets. The crate types only their identity (`id`, `object`); every other
    /// property of the 2026-05-27 object is in `extra` as JSON
    /// (`subscription.extra["status"]`, `invoice.extra["amount_paid"]`).
    /// [`object_json`](Self::object_json) has the object as the API sends it.
    ///
    /// # Panics
    ///
    /// When the fake renders an object `stripe_checkout` cannot decode (a bug in the fake).
    pub fn customer(&self, id: &str) -> Option<stripe_checkout::Customer> {
        self.made(objects::ObjectKind::Customer, id)
    }

    /// The payment intent `id` of a completed `payment`-mode session (see
    /// [`customer`](Self::customer) for the type).
    pub fn payment_intent(&self, id: &str) -> Option<stripe_checkout::PaymentIntent> {
        self.made(objects::ObjectKind::PaymentIntent, id)
    }

    /// The subscription `id` of a completed `subscription`-mode session (see
    /// [`customer`](Self::customer) for the type): `extra["status"]`,
    /// `extra["items"]["data"][0]["current_period_end"]`, `extra["latest_invoice"]`, …
    pub fn subscription(&self, id: &str) -> Option<stripe_checkout::Subscription> {
        self.made(objects::ObjectKind::Subscription, id)
    }

    /// The invoice `id`: a subscription's first invoice or a renewal's (see
    /// [`customer`](Self::customer) for the type).
    pub fn invoice(&self, id: &str) -> Option<stripe_checkout::Invoice> {
        self.made(objects::ObjectKind::Invoice, id)
    }

    /// The setup intent `id` of a completed `setup`-mode session (see
    /// [`customer`](Self::customer) for the type).
    pub fn setup_intent(&self, id: &str) -> Option<stripe_checkout::SetupIntent> {
        self.made(objects::ObjectKind::SetupIntent, id)
    }

    /// Any object a completed session made (customer, payment intent, charge, payment method,
    /// subscription, invoice, setup intent), by id, as raw JSON exactly as the API sends it.
    pub fn object_json(&self, id: &str) -> Option<serde_json::Value> {
        use objects::ObjectKind::*;
        let state = lock(&self.shared.state);
        [
            Customer,
            PaymentIntent,
            Charge,
            PaymentMethod,
            Subscription,
            Invoice,
            SetupIntent,
        ]
        .into_iter()
        .find_map(|kind| state.objects.get_any(kind, id))
        .map(|(object, _)| serde_json::Value::Object(object))
    }

    /// Makes the next renewal of subscription `id` fail when the clock passes its period end
    /// ([`advance_clock`](Self::advance_clock)): its invoice stays `open`
    /// (`invoice.payment_failed`) and the subscription becomes `past_due`, as when a renewal's
    /// payment is declined (<https://docs.stripe.com/billing/subscriptions/overview#failed-payments>).
    /// Returns the subscription; 404 `resource_missing` for an unknown id, 400 for one that does
    /// not renew (canceled).
    pub fn fail_next_renewal(&self, id: &str) -> Result<stripe_checkout::Subscription, FakeError> {
        let json = self.shared.with_state(|s| s.fail_next_renewal(id))?;
        decode("a subscription", &json)
    }

    fn made<T: stripe_checkout::__private::Decode>(
        &self,
        kind: objects::ObjectKind,
        id: &str,
    ) -> Option<T> {
        let json = lock(&self.shared.state)
            .objects
            .get_any(kind, id)
            .map(|(object, _)| serde_json::Value::Object(object))?;
        match decode(kind.object(), &json) {
            Ok(object) => Some(object),
            Err(e) => panic!("{e}"),
        }
    }

    /// Delivers events to `endpoint` from now on.
    pub fn add_webhook_endpoint(&self, endpoint: WebhookEndpoint) {
        self.shared.hooks.add(endpoint, &self.shared.runtime);
    }

    /// Changes how deliveries behave (retries, backoff, twice, out of order).
    pub fn set_webhook_options(&self, options: WebhookOptions) {
        self.shared.hooks.set_options(options);
    }

    /// Holds deliveries until [`resume_webhooks`](Self::resume_webhooks); with
    /// [`WebhookOptions::out_of_order`] the held events then go newest first.
    pub fn pause_webhooks(&self) {
        self.shared.hooks.pause(true);
    }

    /// Delivers what was held and carries on.
    pub fn resume_webhooks(&self) {
        self.shared.hooks.pause(false);
    }

    /// Every delivery attempt so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.hooks.deliveries()
    }

    /// Waits until at least `n` delivery attempts succeeded (2xx) or `timeout` passes; returns
    /// every attempt so far.
    pub async fn wait_for_deliveries(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let recorder = &self.shared.hooks.recorder;
            let notified = recorder.delivered.notified();
            let all = self.deliveries();
            if all.iter().filter(|d| d.succeeded()).count() >= n {
                return all;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.deliveries();
            }
        }
    }

    /// Arms a fault for the next matching API requests.
    pub fn inject_fault(&self, fault: Fault) {
        lock(&self.shared.control).faults.push(fault);
    }

    /// Stops serving (also done on drop).
    pub fn stop(&self) {
        self.shutdown.send_replace(true);
    }
}

/// The secret [`typed_event`] signs with: events are decoded by the same code as a webhook
/// delivery, which verifies a signature first. Not a secret of anything.
const DECODE_SECRET: &str = "whsec_stripe_checkout_fake_decode";

/// An event decoded by `stripe_checkout` exactly as [`stripe_checkout::Webhook`] decodes a
/// delivery (its only public decoder for events without the `serde` feature).
fn typed_event(event: &serde_json::Value) -> Result<Event, FakeError> {
    let payload = event.to_string();
    let signature = stripe_checkout::webhook::sign_payload(&payload, DECODE_SECRET, 0);
    stripe_checkout::Webhook::new(DECODE_SECRET)
        .without_timestamp_check()
        .construct(&payload, &signature)
        .map_err(|e| undecodable("an event", &e.to_string()))
}

/// An object decoded by `stripe_checkout`'s own decoder.
fn decode<T: stripe_checkout::__private::Decode>(
    what: &str,
    json: &serde_json::Value,
) -> Result<T, FakeError> {
    let bytes = json.to_string();
    T::decode(bytes.as_bytes()).map_err(|e| {
        let at = e.path(bytes.as_bytes());
        undecodable(what, &format!("{} at {at}", e.message))
    })
}

/// A session decoded by `stripe_checkout`'s own decoder (the one its client uses for responses).
fn typed_session(session: &serde_json::Value) -> Result<CheckoutSession, FakeError> {
    use stripe_checkout::__private::Decode;
    let bytes = session.to_string();
    CheckoutSession::decode(bytes.as_bytes()).map_err(|e| {
        let path = e.path(bytes.as_bytes());
        undecodable("a session", &format!("{} at {path}", e.message))
    })
}

fn undecodable(what: &str, why: &str) -> FakeError {
    FakeError {
        status: 500,
        kind: "api_error",
        code: None,
        param: None,
        message: format!(
            "stripe-checkout-fake rendered {what} that stripe_checkout cannot decode ({why}): a bug in the fake"
        ),
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        self.stop();
    }
}
