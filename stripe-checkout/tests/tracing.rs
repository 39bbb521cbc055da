//! The `tracing` feature: one span per request with method, path, status, request id and
//! attempt. Run with `cargo test -p stripe-checkout --features tracing --test tracing`.
#![cfg(feature = "tracing")]

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use stripe_checkout::Method;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Spans = Arc<Mutex<Vec<(String, BTreeMap<String, String>)>>>;

/// Records every span's name and fields; just enough of a subscriber for the test.
struct Recorder {
    spans: Spans,
    next: AtomicU64,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((attributes.metadata().name().to_owned(), fields));
        self.next.fetch_add(1, Ordering::SeqCst);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let index = span.into_u64() as usize - 1;
        values.record(&mut Fields(&mut spans[index].1));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_span_per_request_with_status_request_id_and_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"error": {"type": "api_error"}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_traced")
                .set_body_json(json!({"id": "cs_1"})),
        )
        .mount(&server)
        .await;
    let client = common::client(&server);

    let spans: Spans = Arc::default();
    let _guard = tracing::subscriber::set_default(Recorder {
        spans: spans.clone(),
        next: AtomicU64::new(0),
    });
    let _: Value = client
        .send(
            Method::Post,
            "/v1/checkout/sessions",
            &json!({"mode": "payment"}),
        )
        .await
        .unwrap();

    let spans = spans.lock().unwrap();
    let requests: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "stripe.request")
        .collect();
    assert_eq!(requests.len(), 1, "{spans:?}");
    let fields = &requests[0].1;
    assert_eq!(fields["method"], "POST");
    assert_eq!(fields["path"], "/v1/checkout/sessions");
    assert_eq!(fields["status"], "200");
    assert_eq!(fields["request_id"], "req_traced");
    assert_eq!(fields["attempt"], "2", "one retry after the 500");
    // Nothing secret in any span.
    assert!(!format!("{spans:?}").contains(common::KEY));
}
