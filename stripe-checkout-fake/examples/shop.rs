//! A small shop tested end to end against the fake, no network:
//!
//! 1. the shop's axum server has a webhook endpoint that verifies `Stripe-Signature` and
//!    fulfils orders on `checkout.session.completed`, exactly once per session;
//! 2. the "customer" creates a Checkout Session, opens its hosted page and presses Pay, and is
//!    redirected to the shop's success page;
//! 3. the fake delivers the signed event, twice (Stripe may), and the order ships once.
//!
//! Then a subscription shop ([`run_subscription`]): the customer subscribes through Checkout;
//! the shop's handler fetches the subscription on `checkout.session.completed` (expanded from
//! the session) and grants access until its period end; the fake clock renews it once
//! (`invoice.paid`, `customer.subscription.updated`), then the next renewal fails
//! (`invoice.payment_failed`, `past_due`) and the shop revokes access.
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
    CheckoutSessionMode, CheckoutSessionPaymentStatus, Client, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionParams, EventObject, EventType, Expandable, RetrieveCheckoutSessionParams,
    Webhook,
};
use stripe_checkout_fake::{Completion, FakePrice, FakeStripe, WebhookEndpoint, WebhookOptions};

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

/// What the subscription shop knows of its one subscriber.
#[derive(Debug, Default, Clone)]
pub struct Membership {
    /// The subscription (`sub_…`), from the session it was created by.
    pub subscription: Option<String>,
    /// Its status as last seen (`active`, `past_due`, …).
    pub status: String,
    /// Access is granted until then (the current period's end).
    pub paid_until: i64,
    /// Invoices paid (`invoice.paid`), in order.
    pub paid_invoices: Vec<String>,
    /// Invoices whose payment failed (`invoice.payment_failed`).
    pub failed_invoices: Vec<String>,
    /// Every event type the handler got, in order of arrival.
    pub seen: Vec<String>,
}

#[derive(Clone)]
struct SubscriptionApp {
    membership: Arc<Mutex<Membership>>,
    webhook: Arc<Webhook>,
    client: Client,
}

/// The current period's end of a subscription object (on its items since API 2025-03-31).
fn period_end(subscription: &serde_json::Value) -> i64 {
    subscription["items"]["data"][0]["current_period_end"]
        .as_i64()
        .unwrap_or(0)
}

/// `POST /subscription-webhook`: keeps the membership in step with Stripe's events.
async fn subscription_webhook(
    State(app): State<SubscriptionApp>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let signature = headers
        .get("stripe-signature")
        .map(|v| v.as_bytes())
        .unwrap_or(b"");
    let Ok(event) = app.webhook.construct(&body, signature) else {
        return StatusCode::BAD_REQUEST;
    };
    app.membership
        .lock()
        .unwrap()
        .seen
        .push(event.type_.as_str().to_owned());
    match (&event.type_, &event.data.object) {
        (EventType::CheckoutSessionCompleted, EventObject::CheckoutSession(session)) => {
            // Fetch the subscription with the session, as handlers do.
            let params = RetrieveCheckoutSessionParams {
                expand: Some(vec!["subscription".into()]),
            };
            let Ok(session) = app
                .client
                .checkout_sessions()
                .retrieve(&session.id, &params)
                .await
            else {
                return StatusCode::INTERNAL_SERVER_ERROR; // Stripe retries
            };
            if let Some(Expandable::Object(subscription)) = session.subscription {
                let json = serde_json::Value::Object(
                    subscription
                        .extra
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                );
                let mut m = app.membership.lock().unwrap();
                m.subscription = Some(subscription.id.clone());
                m.status = json["status"].as_str().unwrap_or_default().to_owned();
                m.paid_until = period_end(&json);
            }
        }
        (EventType::Unknown(kind), EventObject::Other(object)) => {
            let mut m = app.membership.lock().unwrap();
            let id = object["id"].as_str().unwrap_or_default().to_owned();
            match kind.as_ref() {
                "invoice.paid" => m.paid_invoices.push(id),
                "invoice.payment_failed" => m.failed_invoices.push(id),
                "customer.subscription.updated" | "customer.subscription.deleted" => {
                    m.status = object["status"].as_str().unwrap_or_default().to_owned();
                    if m.status == "active" {
                        m.paid_until = period_end(object);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    StatusCode::OK
}

/// What the subscription flow saw at each step.
#[derive(Debug)]
pub struct SubscriptionReport {
    /// After Checkout completed.
    pub subscribed: Membership,
    /// After the clock passed the first period end.
    pub renewed: Membership,
    /// After the next renewal failed.
    pub failed: Membership,
    /// The subscription as the fake holds it at the end.
    pub final_status: String,
}

/// Subscribes through Checkout, renews once on the fake clock, then fails the next renewal.
pub async fn run_subscription() -> Result<SubscriptionReport, Box<dyn std::error::Error>> {
    let fake = FakeStripe::start().await;
    fake.register_price(
        FakePrice::recurring("price_pro", 1500, "usd", "month").product_name("Pro"),
    );
    let membership = Arc::new(Mutex::new(Membership::default()));
    let app = SubscriptionApp {
        membership: Arc::clone(&membership),
        webhook: Arc::new(Webhook::new(WEBHOOK_SECRET)),
        client: fake.client(),
    };
    let router = Router::new()
        .route("/subscription-webhook", post(subscription_webhook))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    fake.add_webhook_endpoint(
        WebhookEndpoint::new(format!("{shop_url}/subscription-webhook"), WEBHOOK_SECRET)
            .enabled_events([
                "checkout.session.completed",
                "invoice.paid",
                "invoice.payment_failed",
                "customer.subscription.updated",
            ]),
    );

    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Subscription,
        format!("{shop_url}/welcome?session_id={{CHECKOUT_SESSION_ID}}"),
    );
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some("price_pro".into()),
        quantity: Some(1),
        ..Default::default()
    }]);
    let session = fake.client().checkout_sessions().create(&params).await?;
    fake.complete_session(&session.id, Completion::paid())?;
    // checkout.session.completed and the first invoice.paid.
    fake.wait_for_deliveries(2, Duration::from_secs(5)).await;
    let subscribed = membership.lock().unwrap().clone();
    let id = subscribed
        .subscription
        .clone()
        .ok_or("the handler stored the subscription")?;

    // A month later: renewed (invoice.paid, customer.subscription.updated).
    let step = |until: i64| Duration::from_secs(u64::try_from(until - fake.now() + 1).unwrap_or(0));
    fake.advance_clock(step(subscribed.paid_until));
    fake.wait_for_deliveries(4, Duration::from_secs(5)).await;
    let renewed = membership.lock().unwrap().clone();

    // The next renewal's payment fails: past_due.
    fake.fail_next_renewal(&id)?;
    fake.advance_clock(step(renewed.paid_until));
    fake.wait_for_deliveries(6, Duration::from_secs(5)).await;
    let failed = membership.lock().unwrap().clone();
    let final_status = fake
        .subscription(&id)
        .and_then(|s| {
            s.extra
                .get("status")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    Ok(SubscriptionReport {
        subscribed,
        renewed,
        failed,
        final_status,
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let report = run().await?;
    println!("{report:#?}");
    let subscription = run_subscription().await?;
    println!("{subscription:#?}");
    Ok(())
}
