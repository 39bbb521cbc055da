//! The whole life of a Checkout Session: create it, send the customer to its URL, read it back
//! with its line items, walk the line items, expire it.
//!
//! ```sh
//! STRIPE_SECRET_KEY=sk_test_... cargo run -p stripe-checkout --example checkout_flow
//! # or against any Stripe-compatible mock server, e.g. stripe-mock on its default port:
//! STRIPE_API_BASE=http://localhost:12111 STRIPE_SECRET_KEY=sk_test_123 \
//!     cargo run -p stripe-checkout --example checkout_flow
//! ```
//!
//! `tests/endpoints.rs` (`seed_workflow`) runs the same steps against wiremock.

use std::collections::BTreeMap;
use std::error::Error;

use stripe_checkout::{
    CheckoutSessionMode, Client, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionLineItemsPriceData, CreateCheckoutSessionLineItemsPriceDataProductData,
    CreateCheckoutSessionParams, ExpireCheckoutSessionParams, ListCheckoutSessionLineItemsParams,
    RetrieveCheckoutSessionParams,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let client = match std::env::var("STRIPE_API_BASE") {
        Ok(base) => {
            let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_default();
            Client::builder(key).base_url(base).build()?
        }
        // Reads STRIPE_SECRET_KEY (a test-mode key, sk_test_...).
        Err(_) => Client::from_env()?,
    };
    let sessions = client.checkout_sessions();

    // 1. Create a payment-mode session with two line items. Both use inline `price_data`, so the
    //    example needs no Price objects in the account; `price: Some("price_...".into())` works too.
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
    );
    params.cancel_url = Some("https://example.com/cart".into());
    params.line_items = Some(vec![
        line_item("T-shirt", 1099, 2),
        line_item("Gift wrap", 500, 1),
    ]);
    params.metadata = Some(BTreeMap::from([("order_id".into(), "6735".into())]));
    // Per-call options: this key belongs to this create only (derive it from your order, so a
    // retried checkout gets the same session back). `send_with_meta` also returns Stripe's
    // request id and the key used.
    let created = sessions
        .create(&params)
        .idempotency_key(format!("checkout-order-6735-{}", std::process::id()))
        .send_with_meta()
        .await?;
    let session = created.value;
    println!(
        "created {} ({:?}), request {:?}, idempotency key {:?}",
        session.id, session.status, created.request_id, created.idempotency_key
    );
    // Redirect the customer here (HTTP 303 from your server, or window.location in the browser).
    println!(
        "redirect the customer to: {}",
        session.url.as_deref().unwrap_or("<no url>")
    );

    // 2. Read it back with the first page of line items expanded.
    let expand = RetrieveCheckoutSessionParams {
        expand: Some(vec!["line_items".into()]),
    };
    let session = sessions.retrieve(&session.id, &expand).await?;
    let first_page = session.line_items.as_ref().map_or(0, |l| l.data.len());
    println!(
        "retrieved {}: total {:?} {}, {first_page} line item(s) expanded",
        session.id,
        session.amount_total,
        session.currency.as_deref().unwrap_or("")
    );

    // 3. Every line item, fetching further pages as needed.
    let page_size = ListCheckoutSessionLineItemsParams {
        limit: Some(100),
        ..Default::default()
    };
    let mut items = sessions
        .list_line_items_auto_paging(&session.id, &page_size)
        .timeout(std::time::Duration::from_secs(20)); // per page request
    while let Some(item) = items.next().await {
        let item = item?;
        println!(
            "  {} x{} {} {}",
            item.description.as_deref().unwrap_or("(no description)"),
            item.quantity.unwrap_or(1),
            item.amount_total,
            item.currency
        );
    }

    // 4. Expire it so nobody can pay for this cart any more.
    let session = sessions
        .expire(&session.id, &ExpireCheckoutSessionParams::default())
        .await?;
    println!("expired {} ({:?})", session.id, session.status);
    Ok(())
}

fn line_item(name: &str, unit_amount: i64, quantity: i64) -> CreateCheckoutSessionLineItems {
    let mut price = CreateCheckoutSessionLineItemsPriceData::new("usd");
    price.unit_amount = Some(unit_amount);
    price.product_data = Some(CreateCheckoutSessionLineItemsPriceDataProductData::new(
        name,
    ));
    CreateCheckoutSessionLineItems {
        price_data: Some(price),
        quantity: Some(quantity),
        ..Default::default()
    }
}
