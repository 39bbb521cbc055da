//! The webhook endpoint of `webhook_server.rs`, with axum: what most Rust web apps use.
//!
//! ```sh
//! STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p stripe-checkout --example webhook_axum
//! stripe listen --forward-to 127.0.0.1:4242/webhook
//! stripe trigger checkout.session.completed
//! ```
//!
//! axum is only a dev-dependency: the library verifies bytes + a header and needs no framework.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use stripe_checkout::{CheckoutSessionPaymentStatus, EventType, Webhook};

/// Stripe's events are far smaller; refuse to buffer anything bigger.
const MAX_BODY: usize = 1024 * 1024;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("STRIPE_WEBHOOK_SECRET")
        .map_err(|_| "set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret (whsec_...)")?;
    let webhook = Arc::new(Webhook::try_new(&secret)?); // an empty secret stops here
    let app = Router::new()
        .route("/webhook", post(handle))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(webhook);

    // Loopback only: put a TLS-terminating proxy in front for real traffic.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:4242").await?;
    println!("listening on http://{}/webhook", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// `Bytes` is the raw body exactly as received: the signature covers those bytes, so don't take
/// `Json<…>` here.
async fn handle(
    State(webhook): State<Arc<Webhook>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    // The header's bytes as they are: a missing header is `b""`, one with stray bytes is
    // reported as malformed rather than missing.
    let signature = headers
        .get("stripe-signature")
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    let event = match webhook.construct(&body, signature) {
        Ok(event) => event,
        // Forged, stale, or (authentic but) unparseable: 400, and Stripe retries.
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()),
    };

    // Answer 2xx quickly and idempotently (Stripe may deliver an event twice); slow work belongs
    // in a job queue.
    match (&event.type_, event.checkout_session()) {
        (
            EventType::CheckoutSessionCompleted | EventType::CheckoutSessionAsyncPaymentSucceeded,
            Some(session),
        ) if matches!(
            session.payment_status,
            CheckoutSessionPaymentStatus::Paid | CheckoutSessionPaymentStatus::NoPaymentRequired
        ) =>
        {
            println!("fulfil session {}", session.id);
        }
        (EventType::CheckoutSessionAsyncPaymentFailed, Some(session)) => {
            println!("session {}: payment failed", session.id);
        }
        (EventType::CheckoutSessionExpired, Some(session)) => {
            println!("session {} expired; release reserved stock", session.id);
        }
        (other, _) => println!("ignoring {other} ({})", event.id),
    }
    (StatusCode::OK, "ok".to_owned())
}
