//! `stripe-checkout-fake` rows: creates per second through the crate's client against the fake
//! on loopback (goal ≥ 5,000/s on 2 cores), start-up time (goal < 20 ms), memory per held
//! session and per completed subscription session. `bench [--quick] fake` runs only these.
//!
//! The creates-per-second row sends a shop's request: a catalogue price ×2 with a tax rate, a
//! coupon and a shipping rate, all created first over raw HTTP on `/v1`, so each create goes
//! through the fake's catalogue look-ups and pricing (checked once: `amount_total` 4340).

use std::sync::Arc;
use std::time::{Duration, Instant};

use stripe_checkout::{
    CheckoutSessionMode, Client, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionLineItemsPriceData, CreateCheckoutSessionLineItemsPriceDataProductData,
    CreateCheckoutSessionDiscounts, CreateCheckoutSessionParams, CreateCheckoutSessionShippingOptions,
};
use stripe_checkout_fake::{Completion, FakePrice, FakeStripe};

use crate::{median, Row};

const TASKS: usize = 32;

fn params() -> CreateCheckoutSessionParams {
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        crate::SUCCESS_URL,
    );
    params.cancel_url = Some(crate::CANCEL_URL.into());
    let mut price_data = CreateCheckoutSessionLineItemsPriceData::new("usd");
    price_data.unit_amount = Some(2000);
    price_data.product_data = Some(CreateCheckoutSessionLineItemsPriceDataProductData::new("T-shirt"));
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price_data: Some(price_data),
        quantity: Some(2),
        ..Default::default()
    }]);
    params
}

/// Catalogue ids for [`shop_params`], created on the fake over raw HTTP.
struct Catalogue {
    price: String,
    coupon: String,
    tax_rate: String,
    shipping_rate: String,
}

/// `POST {base}/v1/{path}` with a form body; the created object's `id`.
async fn post_object(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> Result<String, String> {
    fn encode(text: &str) -> String {
        let mut out = String::new();
        for byte in text.bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }
    let body = form
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    let response = http
        .post(format!("{base}/v1/{path}"))
        .header(reqwest::header::AUTHORIZATION, "Bearer sk_test_bench")
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("POST /v1/{path}: {e}"))?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!(
            "POST /v1/{path}: {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    let object: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    object["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("POST /v1/{path}: no id in {object}"))
}

async fn catalogue(fake: &FakeStripe) -> Result<Catalogue, String> {
    let http = reqwest::Client::new();
    let base = fake.base_url();
    Ok(Catalogue {
        price: post_object(
            &http,
            &base,
            "prices",
            &[("currency", "usd"), ("unit_amount", "2000"), ("product_data[name]", "T-shirt")],
        )
        .await?,
        coupon: post_object(&http, &base, "coupons", &[("percent_off", "20"), ("duration", "once")])
            .await?,
        tax_rate: post_object(
            &http,
            &base,
            "tax_rates",
            &[("display_name", "VAT"), ("percentage", "20"), ("inclusive", "false")],
        )
        .await?,
        shipping_rate: post_object(
            &http,
            &base,
            "shipping_rates",
            &[
                ("display_name", "Ground"),
                ("fixed_amount[amount]", "500"),
                ("fixed_amount[currency]", "usd"),
            ],
        )
        .await?,
    })
}

/// A shop's request: the catalogue price ×2 with the tax rate, the coupon, the shipping rate.
/// Stripe's total: 4000 − 800 (20 % off) + 640 (20 % VAT on 3200) + 500 shipping = 4340.
fn shop_params(catalogue: &Catalogue) -> CreateCheckoutSessionParams {
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        crate::SUCCESS_URL,
    );
    params.cancel_url = Some(crate::CANCEL_URL.into());
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some(catalogue.price.clone()),
        quantity: Some(2),
        tax_rates: Some(vec![catalogue.tax_rate.clone()]),
        ..Default::default()
    }]);
    params.discounts = Some(vec![CreateCheckoutSessionDiscounts {
        coupon: Some(catalogue.coupon.clone()),
        ..Default::default()
    }]);
    params.shipping_options = Some(vec![CreateCheckoutSessionShippingOptions {
        shipping_rate: Some(catalogue.shipping_rate.clone()),
        ..Default::default()
    }]);
    params
}

const SHOP_TOTAL: i64 = 4000 - 800 + 640 + 500;

/// `n` creates of `params` from `tasks` tasks; returns creates per second.
async fn creates(
    client: &Client,
    params: &CreateCheckoutSessionParams,
    n: usize,
    tasks: usize,
) -> Result<f64, String> {
    let params = Arc::new(params.clone());
    let started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let client = client.clone();
        let params = Arc::clone(&params);
        let count = n / tasks + usize::from(t < n % tasks);
        handles.push(tokio::spawn(async move {
            for _ in 0..count {
                client
                    .checkout_sessions()
                    .create(&params)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        }));
    }
    for handle in handles {
        handle.await.map_err(|e| e.to_string())??;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}

pub fn rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        // Memory first, on a fresh heap: RSS growth while `held` sessions are held.
        let held = if quick { 2_000 } else { 10_000 };
        let fake = FakeStripe::start_on(0).await.map_err(|e| e.to_string())?;
        let client = fake.client();
        let plain = params();
        creates(&client, &plain, 200, TASKS).await?;
        let before = rss_bytes().ok_or("no /proc/self/statm")?;
        creates(&client, &plain, held, TASKS).await?;
        let after = rss_bytes().ok_or("no /proc/self/statm")?;
        let per_session = after.saturating_sub(before) as f64 / held as f64;
        rows.push(Row {
            what: format!("stripe-checkout-fake: memory per held session ({held} held, 1 line item)"),
            ours: format!("{:.1} KiB", per_session / 1024.0),
            peers: "-".to_owned(),
            verdicts: vec![("-".to_owned(), None)],
        });

        // Memory per completed subscription session: the session and what completion leaves
        // behind (customer, payment method, subscription, first invoice, five events).
        let completed = if quick { 500 } else { 2_000 };
        let fake = FakeStripe::start_on(0).await.map_err(|e| e.to_string())?;
        fake.register_price(FakePrice::recurring("price_pro", 1500, "usd", "month"));
        let client = fake.client();
        let mut params = CreateCheckoutSessionParams::hosted(CheckoutSessionMode::Subscription, crate::SUCCESS_URL);
        params.line_items = Some(vec![CreateCheckoutSessionLineItems {
            price: Some("price_pro".into()),
            quantity: Some(1),
            ..Default::default()
        }]);
        let subscribe = |n: usize| {
            let (client, params, fake) = (&client, &params, &fake);
            async move {
                for _ in 0..n {
                    let session = client.checkout_sessions().create(params).await.map_err(|e| e.to_string())?;
                    fake.complete_session(&session.id, Completion::paid()).map_err(|e| e.to_string())?;
                }
                Ok::<(), String>(())
            }
        };
        subscribe(50).await?;
        let before = rss_bytes().ok_or("no /proc/self/statm")?;
        subscribe(completed).await?;
        let after = rss_bytes().ok_or("no /proc/self/statm")?;
        let per_completed = after.saturating_sub(before) as f64 / completed as f64;
        rows.push(Row {
            what: format!("stripe-checkout-fake: memory per completed subscription session ({completed} held: session, customer, payment method, subscription, invoice, 5 events)"),
            ours: format!("{:.1} KiB", per_completed / 1024.0),
            peers: "-".to_owned(),
            verdicts: vec![("-".to_owned(), None)],
        });
        drop(fake);

        // Creates per second through the client, 32 tasks and sequential, of a shop's request
        // (catalogue price with a tax rate, a coupon, a shipping rate).
        let n = if quick { 2_000 } else { 10_000 };
        let fake = FakeStripe::start_on(0).await.map_err(|e| e.to_string())?;
        let client = fake.client();
        let shop = shop_params(&catalogue(&fake).await?);
        let session = client
            .checkout_sessions()
            .create(&shop)
            .await
            .map_err(|e| e.to_string())?;
        if session.amount_total != Some(SHOP_TOTAL) {
            return Err(format!(
                "the shop request priced {:?}, not {SHOP_TOTAL}: the bench would not measure \
                 discount, tax and shipping",
                session.amount_total
            ));
        }
        creates(&client, &shop, n / 4, TASKS).await?;
        let mut rates = Vec::new();
        for _ in 0..3 {
            rates.push(creates(&client, &shop, n, TASKS).await?);
        }
        let rate = median(&mut rates);
        let sequential = creates(&client, &shop, n / 4, 1).await?;
        rows.push(Row {
            what: "stripe-checkout-fake: creates through the client, 32 tasks (sequential); \
                   catalogue price ×2 with a discount, tax and shipping"
                .to_owned(),
            ours: format!("{rate:.0} creates/s ({sequential:.0}/s)"),
            peers: "-".to_owned(),
            verdicts: vec![(format!("{rate:.0}/s (≥ 5000/s)"), Some(rate >= 5000.0))],
        });
        drop(fake);

        // Start-up: `start_on(0)` until it returns, and until a first list call is answered.
        let mut starts = Vec::new();
        let mut firsts = Vec::new();
        for _ in 0..if quick { 10 } else { 30 } {
            let started = Instant::now();
            let fake = FakeStripe::start_on(0).await.map_err(|e| e.to_string())?;
            starts.push(started.elapsed().as_secs_f64() * 1e3);
            fake.client()
                .checkout_sessions()
                .list(&Default::default())
                .await
                .map_err(|e| e.to_string())?;
            firsts.push(started.elapsed().as_secs_f64() * 1e3);
            drop(fake);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let start = median(&mut starts);
        let first = median(&mut firsts);
        rows.push(Row {
            what: "stripe-checkout-fake: start-up (until serving; until a first list call is answered)".to_owned(),
            ours: format!("{start:.2} ms; {first:.2} ms"),
            peers: "-".to_owned(),
            verdicts: vec![(format!("{first:.2} ms (< 20 ms)"), Some(first < 20.0))],
        });
        page_render(quick, rows).await?;
        Ok(())
    })
}

/// The Checkout page (`GET /c/pay/{id}`, two line items): the median round trip on loopback
/// with a kept-alive connection, an upper bound of the server-side render (goal < 1 ms).
async fn page_render(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let fake = FakeStripe::start_on(0).await.map_err(|e| e.to_string())?;
    let mut params = params();
    if let Some(items) = params.line_items.as_mut() {
        let second = items[0].clone();
        items.push(second);
    }
    let session = fake
        .client()
        .checkout_sessions()
        .create(&params)
        .await
        .map_err(|e| e.to_string())?;
    let url = session.url.ok_or("a hosted session has a url")?;
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    let n = if quick { 300 } else { 2_000 };
    for i in 0..n + 100 {
        let started = Instant::now();
        let page = http.get(&url).send().await.map_err(|e| e.to_string())?;
        let html = page.text().await.map_err(|e| e.to_string())?;
        let elapsed = started.elapsed().as_secs_f64() * 1e3;
        if !html.contains("Card number") {
            return Err("the Checkout page has no card form".to_owned());
        }
        if i >= 100 {
            times.push(elapsed);
        }
    }
    let page_ms = median(&mut times);
    rows.push(Row {
        what: "stripe-checkout-fake: Checkout page render (GET /c/pay/{id} round trip, 2 line items)".to_owned(),
        ours: format!("{page_ms:.3} ms"),
        peers: "-".to_owned(),
        verdicts: vec![(format!("{page_ms:.3} ms (< 1 ms)"), Some(page_ms < 1.0))],
    });
    Ok(())
}
