//! A minimal webhook endpoint that fulfils Checkout orders.
//!
//! ```sh
//! STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p stripe-checkout --example webhook_server
//! # in another terminal, with the Stripe CLI (it prints the whsec_ secret to use above):
//! stripe listen --forward-to 127.0.0.1:4242/webhook
//! stripe trigger checkout.session.completed
//! ```
//!
//! hyper is only a dev-dependency here: the library verifies bytes + a header and works with any
//! web framework (`webhook_axum.rs` is the same endpoint with axum).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use stripe_checkout::{CheckoutSessionPaymentStatus, Event, EventType, Webhook};
use tokio::net::TcpListener;

/// Stripe's events are far smaller; refuse to buffer anything bigger.
const MAX_BODY: usize = 1024 * 1024;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let secret = std::env::var("STRIPE_WEBHOOK_SECRET")
        .map_err(|_| "set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret (whsec_...)")?;
    let webhook = Arc::new(Webhook::try_new(&secret)?); // an empty secret stops here

    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4242);
    // Loopback only: put a TLS-terminating proxy in front for real traffic.
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = TcpListener::bind(addr).await?;
    println!("listening on http://{addr}/webhook");

    loop {
        let (stream, _) = listener.accept().await?;
        let webhook = Arc::clone(&webhook);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&webhook), req));
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {e}");
            }
        });
    }
}

async fn handle(
    webhook: Arc<Webhook>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.method() != Method::POST || req.uri().path() != "/webhook" {
        return Ok(reply(StatusCode::NOT_FOUND, "not found"));
    }
    // The header's raw bytes: a missing one is `b""` (reported as missing); one with bytes that
    // are not ASCII is reported as malformed, not as missing.
    let signature = req
        .headers()
        .get("stripe-signature")
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    // Verify the raw bytes exactly as received: parsing and re-serializing would break the
    // signature.
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            return Ok(reply(
                StatusCode::BAD_REQUEST,
                &format!("unreadable body: {e}"),
            ))
        }
    };

    let event = match webhook.construct(&body, &signature) {
        Ok(event) => event,
        // Forged, stale, or (authentic but) unparseable: 400 makes Stripe retry, and the failures
        // show up on the endpoint's page in the Dashboard.
        Err(e) => {
            eprintln!("rejected webhook: {e}");
            return Ok(reply(StatusCode::BAD_REQUEST, &e.to_string()));
        }
    };

    // Answer 2xx quickly; slow work (emails, shipping) belongs in a job queue. Stripe retries
    // failed deliveries and may deliver an event twice, so fulfilment must be idempotent
    // (e.g. keyed on the session id).
    fulfil(&event);
    Ok(reply(StatusCode::OK, "ok"))
}

fn fulfil(event: &Event) {
    let Some(session) = event.checkout_session() else {
        // Other event types arrive as raw JSON in `EventObject::Other`; this endpoint ignores them.
        println!("ignoring {} ({})", event.type_, event.id);
        return;
    };
    let id = &session.id;
    let paid = matches!(
        session.payment_status,
        CheckoutSessionPaymentStatus::Paid | CheckoutSessionPaymentStatus::NoPaymentRequired
    );
    let email = session
        .customer_details
        .as_ref()
        .and_then(|details| details.email.as_deref())
        .unwrap_or("(none)");

    match &event.type_ {
        // `completed` fires when the customer finishes Checkout; with delayed payment methods
        // (bank debits) the money may not be there yet, so fulfil only when paid and otherwise
        // wait for `async_payment_succeeded`.
        EventType::CheckoutSessionCompleted | EventType::CheckoutSessionAsyncPaymentSucceeded
            if paid =>
        {
            // To know *what* was bought, fetch the line items (they are not in the event):
            // `client.checkout_sessions().list_line_items(id, …)` with the API client, then ship.
            let amount = session
                .amount_total
                .map_or("?".to_owned(), |a| a.to_string());
            let currency = session.currency.as_deref().unwrap_or("");
            println!(
                "fulfil session {id}: amount_total={amount} {currency}, customer email {email}"
            );
        }
        EventType::CheckoutSessionCompleted => {
            println!("session {id} completed, payment pending: waiting for the async result")
        }
        EventType::CheckoutSessionAsyncPaymentFailed => {
            println!("session {id}: payment failed; ask {email} to pay another way")
        }
        EventType::CheckoutSessionExpired => {
            println!("session {id} expired; release any reserved stock")
        }
        other => println!("ignoring {other} ({})", event.id),
    }
}

fn reply(status: StatusCode, body: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_owned())));
    *response.status_mut() = status;
    response
}
