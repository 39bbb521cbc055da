//! Webhook endpoints and deliveries: each event goes to every endpoint that wants it, POSTed
//! with a `Stripe-Signature` made by `stripe_checkout::webhook::sign_payload`, retried on
//! non-2xx, and recorded.
//!
//! Stripe's behaviour: <https://docs.stripe.com/webhooks> (signatures: `#verify-events`;
//! retries on non-2xx: `#retries`; duplicates and ordering: `#handle-duplicate-events`,
//! `#event-ordering`).

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::{mpsc, watch, Notify};

/// A webhook endpoint to deliver events to.
#[derive(Clone)]
pub struct WebhookEndpoint {
    url: String,
    secret: String,
    events: Option<Vec<String>>,
}

impl fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("url", &self.url)
            .field("secret", &"whsec_…")
            .field("events", &self.events)
            .finish()
    }
}

impl WebhookEndpoint {
    /// Every event, POSTed to `url` and signed with `secret` (`whsec_…`).
    pub fn new(url: impl Into<String>, secret: impl Into<String>) -> Self {
        WebhookEndpoint {
            url: url.into(),
            secret: secret.into(),
            events: None,
        }
    }

    /// Only these event types (`checkout.session.completed`, `invoice.paid`, …; `*` is every
    /// type), as Stripe's `enabled_events`. The fake emits the four `checkout.session.*` events
    /// and those of the objects completion makes: `customer.created`/`.updated`/`.deleted`,
    /// `customer.subscription.created`/`.updated`/`.deleted`, `invoice.paid`,
    /// `.payment_succeeded`, `.payment_failed`, `.updated`, `payment_intent.succeeded`,
    /// `.processing`, `.payment_failed`, `.amount_capturable_updated`,
    /// `setup_intent.succeeded`.
    pub fn enabled_events<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.events = Some(types.into_iter().map(Into::into).collect());
        self
    }

    /// The endpoint as Stripe's `webhook_endpoint` object, without its `secret` (Stripe shows
    /// it once, at creation; the caller chose it here, so it is not echoed back).
    pub(crate) fn to_json(&self, id: &str, created: i64) -> Value {
        json!({
            "id": id,
            "object": "webhook_endpoint",
            "api_version": crate::params::API_VERSION,
            "application": null,
            "created": created,
            "description": null,
            "enabled_events": self.events.clone().unwrap_or_else(|| vec!["*".to_owned()]),
            "livemode": false,
            "metadata": {},
            "status": "enabled",
            "url": self.url,
        })
    }

    fn wants(&self, event_type: &str) -> bool {
        self.events
            .as_ref()
            .is_none_or(|types| types.iter().any(|t| t == "*" || t == event_type))
    }
}

/// Every event type the fake emits (<https://docs.stripe.com/api/events/types>).
pub(crate) const EVENT_TYPES: &[&str] = &[
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "invoice.updated",
    "payment_intent.succeeded",
    "payment_intent.processing",
    "payment_intent.payment_failed",
    "payment_intent.amount_capturable_updated",
    "setup_intent.succeeded",
];

/// Whether `enabled_events` may name `event_type`: `*` or an event the fake emits
/// ([`EVENT_TYPES`]).
pub(crate) fn is_known_event_type(event_type: &str) -> bool {
    event_type == "*" || EVENT_TYPES.contains(&event_type)
}

/// How deliveries behave.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// Attempts per delivery before giving up (Stripe retries for up to three days).
    pub max_attempts: u32,
    /// The wait before the first retry; doubled each time.
    pub backoff: Duration,
    /// Deliver every event twice (after the first attempt succeeds), as Stripe may.
    pub deliver_twice: bool,
    /// Deliver the events queued for an endpoint newest first (see
    /// [`crate::FakeStripe::pause_webhooks`]), as Stripe does not promise order.
    pub out_of_order: bool,
    /// Timeout of one attempt.
    pub timeout: Duration,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        WebhookOptions {
            max_attempts: 3,
            backoff: Duration::from_millis(20),
            deliver_twice: false,
            out_of_order: false,
            timeout: Duration::from_secs(5),
        }
    }
}

/// One attempt to deliver an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The endpoint's URL.
    pub endpoint: String,
    /// The event's id.
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The endpoint's status, if it answered.
    pub status: Option<u16>,
    /// Why no status, if it did not.
    pub error: Option<String>,
}

impl Delivery {
    /// Whether the endpoint answered 2xx.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// What delivery workers share: options, the record, pause and shutdown.
pub(crate) struct Recorder {
    options: Mutex<WebhookOptions>,
    deliveries: Mutex<Vec<Delivery>>,
    pub delivered: Notify,
    paused: watch::Sender<bool>,
    shutdown: watch::Receiver<bool>,
    http: reqwest::Client,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The endpoints and their delivery workers.
pub(crate) struct Hub {
    endpoints: Mutex<Vec<(WebhookEndpoint, mpsc::UnboundedSender<Arc<Value>>)>>,
    pub recorder: Arc<Recorder>,
}

impl Hub {
    pub fn new(shutdown: watch::Receiver<bool>) -> Hub {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Hub {
            endpoints: Mutex::new(Vec::new()),
            recorder: Arc::new(Recorder {
                options: Mutex::new(WebhookOptions::default()),
                deliveries: Mutex::new(Vec::new()),
                delivered: Notify::new(),
                paused: watch::channel(false).0,
                shutdown,
                http,
            }),
        }
    }

    pub fn add(&self, endpoint: WebhookEndpoint, runtime: &tokio::runtime::Handle) {
        let (tx, rx) = mpsc::unbounded_channel();
        runtime.spawn(worker(endpoint.clone(), rx, Arc::clone(&self.recorder)));
        lock(&self.endpoints).push((endpoint, tx));
    }

    pub fn set_options(&self, options: WebhookOptions) {
        *lock(&self.recorder.options) = options;
    }

    pub fn pause(&self, paused: bool) {
        self.recorder.paused.send_replace(paused);
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.recorder.deliveries).clone()
    }

    /// Queues each event for every endpoint that wants it.
    pub fn dispatch(&self, events: Vec<Value>) {
        if events.is_empty() {
            return;
        }
        let endpoints = lock(&self.endpoints);
        for mut event in events {
            let kind = event["type"].as_str().unwrap_or_default().to_owned();
            let wanted: Vec<_> = endpoints.iter().filter(|(e, _)| e.wants(&kind)).collect();
            if let Some(object) = event.as_object_mut() {
                object.insert("pending_webhooks".into(), Value::from(wanted.len()));
            }
            let event = Arc::new(event);
            for (_, tx) in wanted {
                let _ = tx.send(Arc::clone(&event));
            }
        }
    }
}

async fn worker(
    endpoint: WebhookEndpoint,
    mut rx: mpsc::UnboundedReceiver<Arc<Value>>,
    recorder: Arc<Recorder>,
) {
    let mut shutdown = recorder.shutdown.clone();
    loop {
        let first = tokio::select! {
            event = rx.recv() => match event { Some(e) => e, None => return },
            _ = shutdown.changed() => return,
        };
        let mut paused = recorder.paused.subscribe();
        while *paused.borrow_and_update() {
            tokio::select! {
                changed = paused.changed() => if changed.is_err() { return },
                _ = shutdown.changed() => return,
            }
        }
        let mut batch = vec![first];
        while let Ok(event) = rx.try_recv() {
            batch.push(event);
        }
        let options = lock(&recorder.options).clone();
        if options.out_of_order {
            batch.reverse();
        }
        for event in batch {
            let copies = if options.deliver_twice { 2 } else { 1 };
            for _ in 0..copies {
                tokio::select! {
                    _ = deliver(&endpoint, &event, &options, &recorder) => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }
}

async fn deliver(
    endpoint: &WebhookEndpoint,
    event: &Value,
    options: &WebhookOptions,
    recorder: &Recorder,
) {
    let payload = event.to_string();
    let event_id = event["id"].as_str().unwrap_or_default().to_owned();
    let event_type = event["type"].as_str().unwrap_or_default().to_owned();
    let mut backoff = options.backoff;
    for attempt in 1..=options.max_attempts.max(1) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let signature = stripe_checkout::webhook::sign_payload(&payload, &endpoint.secret, now);
        let result = recorder
            .http
            .post(&endpoint.url)
            .header("content-type", "application/json; charset=utf-8")
            .header(
                "user-agent",
                "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            )
            .header("stripe-signature", signature)
            .timeout(options.timeout)
            .body(payload.clone())
            .send()
            .await;
        let (status, error) = match result {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(e) => (None, Some(e.without_url().to_string())),
        };
        let delivery = Delivery {
            endpoint: endpoint.url.clone(),
            event_id: event_id.clone(),
            event_type: event_type.clone(),
            attempt,
            status,
            error,
        };
        let ok = delivery.succeeded();
        lock(&recorder.deliveries).push(delivery);
        recorder.delivered.notify_waiters();
        if ok {
            return;
        }
        if attempt < options.max_attempts {
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let endpoint = WebhookEndpoint::new("http://127.0.0.1:1/hook", "whsec_very_secret")
            .enabled_events(["checkout.session.completed"]);
        let shown = format!("{endpoint:?}");
        assert!(!shown.contains("very_secret"), "{shown}");
        assert!(shown.contains("127.0.0.1:1/hook"));
    }

    #[test]
    fn filters_match_types_and_star() {
        let all = WebhookEndpoint::new("u", "s");
        let some = WebhookEndpoint::new("u", "s").enabled_events(["checkout.session.expired"]);
        let star = WebhookEndpoint::new("u", "s").enabled_events(["*"]);
        assert!(all.wants("checkout.session.completed"));
        assert!(!some.wants("checkout.session.completed"));
        assert!(some.wants("checkout.session.expired"));
        assert!(star.wants("anything"));
    }

    #[test]
    fn known_event_types_are_the_emitted_ones_and_star() {
        for t in [
            "*",
            "checkout.session.completed",
            "checkout.session.async_payment_succeeded",
            "checkout.session.async_payment_failed",
            "checkout.session.expired",
        ] {
            assert!(is_known_event_type(t), "{t}");
        }
        for t in [
            "checkout.session.*",
            "invoice.created",
            "",
            "checkout.session.completed ",
        ] {
            assert!(!is_known_event_type(t), "{t:?}");
        }
    }

    #[test]
    fn json_has_no_secret() {
        let endpoint = WebhookEndpoint::new("http://127.0.0.1:1/hook", "whsec_very_secret");
        let json = endpoint.to_json("we_1", 7);
        assert!(!json.to_string().contains("very_secret"), "{json}");
        assert_eq!(json["enabled_events"], json!(["*"]));
        assert_eq!(json["object"], "webhook_endpoint");
    }
}
