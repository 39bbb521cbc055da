//! A small shop tested end to end against the fake, no network:
//!
//! 1. the shop's axum server has a webhook endpoint that verifies `Stripe-Signature` and
//!    fulfils orders on `checkout.session.completed`, exactly once per session;
//! 2. the "customer" creates a Checkout Session, opens its hosted page and presses Pay, and is
//!    redirected to the shop's success page;
//! 3. the fake delivers the signed event, twice (Stripe may), and the order ships once.
//!
//! `cargo run -p stripe-checkout-fake --example shop`; `tests/shop_example.rs` runs it as a test.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use stripe_checkout::{
    CheckoutSessionMode, CheckoutSessionPaymentStatus, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionParams, EventType, Webhook,
};
use stripe_checkout_fake::{FakePrice, FakeStripe, WebhookEndpoint, WebhookOptions};

const WEBHOOK_SECRET: &str = "whsec_shop_test";

/// The shop's state: which sessions were fulfilled, and how many times it shipped.
#[derive(Default)]
struct Shop {
    fulfilled: Mutex<HashSet<String>>,
    shipments: Mutex<Vec<String>>,
}

#[derive(Clone)]
struct App {
    shop: Arc<Shop>,
    webhook: Arc<Webhook>,
}

/// `POST /webhook`: verify, then fulfil idempotently.
async fn webhook(State(app): State<App>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers
        .get("stripe-signature")
        .map(|v| v.as_bytes())
        .unwrap_or(b"");
    let event = match app.webhook.construct(&body, signature) {
        Ok(event) => event,
        Err(_) => return StatusCode::BAD_REQUEST,
    };
    if let (EventType::CheckoutSessionCompleted, Some(session)) =
        (&event.type_, event.checkout_session())
    {
        if matches!(
            session.payment_status,
            CheckoutSessionPaymentStatus::Paid | CheckoutSessionPaymentStatus::NoPaymentRequired
        ) && app
            .shop
            .fulfilled
            .lock()
            .unwrap()
            .insert(session.id.clone())
        {
            app.shop.shipments.lock().unwrap().push(session.id.clone());
        }
    }
    StatusCode::OK
}

/// What a run of the shop did.
#[derive(Debug)]
pub struct Report {
    /// The session paid for.
    pub session_id: String,
    /// Where the hosted page sent the customer.
    pub redirected_to: String,
    /// Deliveries of `checkout.session.completed` the shop answered 2xx.
    pub deliveries: usize,
    /// Sessions shipped, once per fulfilment.
    pub shipments: Vec<String>,
}

/// Runs the whole flow and reports what happened.
pub async fn run() -> Result<Report, Box<dyn std::error::Error>> {
    // The shop.
    let shop = Arc::new(Shop::default());
    let app = App {
        shop: Arc::clone(&shop),
        webhook: Arc::new(Webhook::new(WEBHOOK_SECRET)),
    };
    let router = Router::new()
        .route("/webhook", post(webhook))
        .route("/success", get(|| async { "Thanks for your order!" }))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });

    // Stripe, faked: a price, the shop's endpoint, every event delivered twice.
    let fake = FakeStripe::start().await;
    fake.register_price(FakePrice::one_time("price_tshirt", 2500, "usd").product_name("T-shirt"));
    fake.set_webhook_options(WebhookOptions {
        deliver_twice: true,
        ..WebhookOptions::default()
    });
    fake.add_webhook_endpoint(
        WebhookEndpoint::new(format!("{shop_url}/webhook"), WEBHOOK_SECRET)
            .enabled_events(["checkout.session.completed"]),
    );

    // The shop creates the session with the real client.
    let client = fake.client();
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        format!("{shop_url}/success?session_id={{CHECKOUT_SESSION_ID}}"),
    );
    params.cancel_url = Some(format!("{shop_url}/cart"));
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some("price_tshirt".into()),
        quantity: Some(2),
        ..Default::default()
    }]);
    let session = client
        .checkout_sessions()
        .create(&params)
        .idempotency_key("order-1")
        .await?;
    let url = session.url.clone().ok_or("a hosted session has a url")?;

    // The customer opens the page and pays; the browser follows the redirect.
    let browser = reqwest::Client::new();
    let page = browser.get(&url).send().await?.text().await?;
    assert!(page.contains("Pay"), "the hosted page has a Pay button");
    // Stripe's test card 4242 4242 4242 4242 pays (any future expiry, any CVC).
    let landed = browser
        .post(format!("{url}/pay"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=jenny%40example.com&card_number=4242424242424242&card_expiry=12%2F34&card_cvc=123&cardholder_name=Jenny+Rosen&billing%5Bcountry%5D=US")
        .send()
        .await?;
    let redirected_to = landed.url().to_string();

    // Both deliveries arrive; the order ships once.
    let deliveries = fake.wait_for_deliveries(2, Duration::from_secs(5)).await;
    let shipments = shop.shipments.lock().unwrap().clone();
    Ok(Report {
        session_id: session.id,
        redirected_to,
        deliveries: deliveries.iter().filter(|d| d.succeeded()).count(),
        shipments,
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let report = run().await?;
    println!("{report:#?}");
    Ok(())
}
