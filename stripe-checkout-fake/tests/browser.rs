//! The Checkout page in a real browser (Debian's Chromium through chromedriver, driven by the
//! small WebDriver client in `browser/webdriver.rs`), as a shop's browser tests would use it:
//! paying with Stripe's test cards, a decline, 3D Secure, a promotion code, the details a
//! session collects, and embedded Checkout mounted by a shop's page through the `/v3/`
//! stand-in. Each test reads the page's visible text and saves screenshots under
//! `target/browser-screenshots/`.
//!
//! Without Chromium or chromedriver each test prints `skipped: <why>` and returns; with
//! `STRIPE_CHECKOUT_FAKE_REQUIRE_BROWSER=1` (CI sets it) a missing browser fails the test.

#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::http::{header, Uri};
use axum::response::{Html, IntoResponse};
use serde_json::Value;
use stripe_checkout_fake::{FakeStripe, TEST_KEY};
use webdriver::{Browser, Missing};

/// One Chromium at a time: the machine has 2 cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A browser, or `None` after printing why there is none (a failure when CI requires one).
async fn browser() -> Option<Browser> {
    match Browser::start().await {
        Ok(browser) => Some(browser),
        Err(Missing(why)) => {
            if std::env::var("STRIPE_CHECKOUT_FAKE_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("STRIPE_CHECKOUT_FAKE_REQUIRE_BROWSER=1, but {why}");
            }
            // Straight to stderr, past the test harness's capture, so the skip is seen.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped: {why}");
            None
        }
    }
}

/// `target/browser-screenshots/`.
fn shots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("browser-screenshots")
}

/// A `/v1/` request with the test key; the JSON answer (which must be 200).
async fn api(fake: &FakeStripe, method: &str, path: &str, body: &str) -> Value {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", fake.base_url());
    let req = if method == "GET" {
        http.get(url)
    } else {
        http.post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
    };
    let response = req.bearer_auth(TEST_KEY).send().await.unwrap();
    let status = response.status();
    let json: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{method} {path} {body}: {json}");
    json
}

/// The shop under test: its success, cancel and return pages, and a page that mounts
/// embedded Checkout from the fake's `/v3/`.
struct Shop {
    url: String,
    client_secret: Arc<Mutex<String>>,
}

fn query_param(uri: &Uri, name: &str) -> String {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

async fn shop(fake: &FakeStripe) -> Shop {
    let client_secret = Arc::new(Mutex::new(String::new()));
    let secret = Arc::clone(&client_secret);
    let fake_url = fake.base_url();
    let checkout_page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop checkout</title>
<script src="{fake_url}/v3/"></script></head>
<body style="font-family:sans-serif;max-width:720px;margin:24px auto">
<h1>Rocket Rides checkout</h1><div id="checkout"></div>
<script>
const stripe = Stripe('pk_test_rocketrides');
stripe.initEmbeddedCheckout({{
  fetchClientSecret: () => fetch('/secret').then((r) => r.json()).then((j) => j.clientSecret),
}}).then((checkout) => checkout.mount('#checkout'));
</script></body></html>"#
    );
    let app = axum::Router::new()
        .route(
            "/ok",
            axum::routing::get(|uri: Uri| async move {
                let id = query_param(&uri, "session_id");
                Html(format!("<!doctype html><title>Order confirmed</title><h1>Order confirmed</h1><p>Checkout Session {id}</p>"))
            }),
        )
        .route(
            "/cancel",
            axum::routing::get(|| async { Html("<!doctype html><title>Cart</title><h1>Your cart</h1>") }),
        )
        .route(
            "/return",
            axum::routing::get(|uri: Uri| async move {
                let id = query_param(&uri, "session_id");
                Html(format!("<!doctype html><title>Thanks</title><h1>Thanks for riding</h1><p>Embedded Checkout {id} complete</p>"))
            }),
        )
        .route(
            "/checkout",
            axum::routing::get(move || {
                let page = checkout_page.clone();
                async move { Html(page) }
            }),
        )
        .route(
            "/secret",
            axum::routing::get(move || {
                let value = secret.lock().unwrap().clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        format!("{{\"clientSecret\":\"{value}\"}}"),
                    )
                        .into_response()
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Shop { url, client_secret }
}

/// Two line items ($13.00 × 2 and $5.00) with the shop's pages as success and cancel URLs.
fn basket(shop: &Shop) -> String {
    format!(
        "mode=payment&success_url={0}/ok?session_id={{CHECKOUT_SESSION_ID}}&cancel_url={0}/cancel\
         &line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=1300\
         &line_items[0][price_data][product_data][name]=Cotton+T-shirt&line_items[0][quantity]=2\
         &line_items[1][price_data][currency]=usd&line_items[1][price_data][unit_amount]=500\
         &line_items[1][price_data][product_data][name]=Sticker+pack&line_items[1][quantity]=1\
         &customer_email=jenny%40example.com",
        shop.url
    )
}

/// Fills the card part of the form.
async fn card(browser: &Browser, number: &str) {
    browser.fill("#card_number", number).await;
    browser.fill("#card_expiry", "12 / 34").await;
    browser.fill("#card_cvc", "123").await;
    browser.fill("#cardholder_name", "Jenny Rosen").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pays_with_4242_and_lands_on_success_url() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = browser().await else {
        return;
    };
    let fake = FakeStripe::start().await;
    fake.set_business_name("Rocket Rides");
    let shop = shop(&fake).await;
    let session = api(&fake, "POST", "/v1/checkout/sessions", &basket(&shop)).await;
    let id = session["id"].as_str().unwrap();

    browser.goto(session["url"].as_str().unwrap()).await;
    let text = browser.wait_for_text("Pay Rocket Rides").await;
    for shown in [
        "Rocket Rides",
        "Cotton T-shirt",
        "Qty 2 × $13.00",
        "$26.00",
        "Sticker pack",
        "Subtotal",
        "Total due",
        "$31.00",
        "Card number",
        "Expiration",
        "CVC",
        "Cardholder name",
        "Country or region",
        "Email",
    ] {
        assert!(text.contains(shown), "{shown:?} not on the page:\n{text}");
    }
    browser.screenshot(&shots(), "01-hosted-page").await;

    card(&browser, "4242 4242 4242 4242").await;
    browser.click("#submit").await;
    let landed = browser.wait_for_url(&format!("{}/ok", shop.url)).await;
    assert_eq!(landed, format!("{}/ok?session_id={id}", shop.url));
    let text = browser.wait_for_text("Order confirmed").await;
    assert!(text.contains(id), "{text}");
    browser.screenshot(&shots(), "02-success-url").await;
    let paid = fake.session_json(id).unwrap();
    assert_eq!(
        (paid["status"].as_str(), paid["payment_status"].as_str()),
        (Some("complete"), Some("paid"))
    );
    assert_eq!(paid["customer_details"]["email"], "jenny@example.com");

    // The page of a paid session says so and takes no second payment.
    browser.goto(session["url"].as_str().unwrap()).await;
    let text = browser.wait_for_text("Thanks for your payment").await;
    assert!(text.contains("takes no second payment"), "{text}");
    browser.screenshot(&shots(), "03-paid-session").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_shows_stripes_message_and_the_session_stays_open() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = browser().await else {
        return;
    };
    let fake = FakeStripe::start().await;
    let shop = shop(&fake).await;
    let body = format!("{}&after_expiration[recovery][enabled]=true", basket(&shop));
    let session = api(&fake, "POST", "/v1/checkout/sessions", &body).await;
    let id = session["id"].as_str().unwrap();
    let url = session["url"].as_str().unwrap();

    browser.goto(url).await;
    // Malformed input is an inline error beside its field.
    browser.fill("#card_number", "4242 4242 4242 4241").await;
    browser.fill("#card_expiry", "01 / 20").await;
    browser.fill("#card_cvc", "1").await;
    browser.click("#submit").await;
    let text = browser.wait_for_text("Your card number is invalid.").await;
    assert!(
        text.contains("Your card's expiration year is in the past."),
        "{text}"
    );
    assert!(
        text.contains("Your card's security code is incomplete."),
        "{text}"
    );
    assert!(text.contains("This field is incomplete."), "{text}");
    browser.screenshot(&shots(), "04-inline-errors").await;

    card(&browser, "4000 0000 0000 0002").await;
    browser.click("#submit").await;
    browser.wait_for_text("Your card was declined.").await;
    browser.screenshot(&shots(), "05-declined").await;
    assert_eq!(fake.session_json(id).unwrap()["status"], "open");

    card(&browser, "4000 0000 0000 9995").await;
    browser.click("#submit").await;
    browser
        .wait_for_text("Your card has insufficient funds.")
        .await;
    card(&browser, "4111 1111 1111 1111").await;
    browser.click("#submit").await;
    browser
        .wait_for_text("Your request was in test mode, but used a non test (live) card.")
        .await;
    assert_eq!(fake.session_json(id).unwrap()["status"], "open");

    // Expired: the page says so, with the recovery link.
    api(
        &fake,
        "POST",
        &format!("/v1/checkout/sessions/{id}/expire"),
        "",
    )
    .await;
    browser.goto(url).await;
    let text = browser
        .wait_for_text("This Checkout Session has expired")
        .await;
    assert!(text.contains("return to checkout"), "{text}");
    browser.screenshot(&shots(), "06-expired").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_d_secure_with_4000002500003155() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = browser().await else {
        return;
    };
    let fake = FakeStripe::start().await;
    let shop = shop(&fake).await;
    let session = api(&fake, "POST", "/v1/checkout/sessions", &basket(&shop)).await;
    let id = session["id"].as_str().unwrap();
    let url = session["url"].as_str().unwrap();

    browser.goto(url).await;
    card(&browser, "4000 0025 0000 3155").await;
    browser.click("#submit").await;
    browser.wait_for_url(&format!("{url}/authenticate")).await;
    let text = browser.wait_for_text("3D Secure").await;
    assert!(
        text.contains("ending in 3155") && text.contains("$31.00"),
        "{text}"
    );
    browser.screenshot(&shots(), "07-3d-secure").await;

    // Failing shows Stripe's message; the session stays open.
    browser.click("#fail").await;
    browser
        .wait_for_text("We are unable to authenticate your payment method.")
        .await;
    assert_eq!(fake.session_json(id).unwrap()["status"], "open");

    browser.fill("#card_number", "4000 0025 0000 3155").await;
    browser.fill("#card_expiry", "12 / 34").await;
    browser.fill("#card_cvc", "123").await;
    browser.click("#submit").await;
    browser.wait_for_url(&format!("{url}/authenticate")).await;
    browser.click("#complete").await;
    browser
        .wait_for_url(&format!("{}/ok?session_id={id}", shop.url))
        .await;
    assert_eq!(fake.session_json(id).unwrap()["payment_status"], "paid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promotion_code_changes_the_total() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = browser().await else {
        return;
    };
    let fake = FakeStripe::start().await;
    let shop = shop(&fake).await;
    let coupon = api(&fake, "POST", "/v1/coupons", "percent_off=20&duration=once").await;
    let coupon = coupon["id"].as_str().unwrap();
    api(
        &fake,
        "POST",
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&code=SPRING20"),
    )
    .await;
    let body = format!(
        "{}&allow_promotion_codes=true&line_items[0][adjustable_quantity][enabled]=true&line_items[0][adjustable_quantity][maximum]=5",
        basket(&shop)
    );
    let session = api(&fake, "POST", "/v1/checkout/sessions", &body).await;
    let id = session["id"].as_str().unwrap();

    browser.goto(session["url"].as_str().unwrap()).await;
    browser.wait_for_text("$31.00").await;
    browser.fill("#promotion_code", "NOPE").await;
    browser.click("#apply-promotion-code").await;
    browser.wait_for_text("This code is invalid.").await;

    browser.fill("#promotion_code", "spring20").await;
    browser.click("#apply-promotion-code").await;
    // 20 % off $31.00.
    let text = browser.wait_for_text("Discount (SPRING20)").await;
    assert!(text.contains("−$6.20") && text.contains("$24.80"), "{text}");

    // An adjustable quantity: 3 T-shirts, totals recomputed (20 % off $44.00).
    browser.fill("#quantity-0", "3").await;
    browser.click("#update").await;
    let text = browser.wait_for_text("$35.20").await;
    assert!(text.contains("$39.00"), "{text}");
    browser.screenshot(&shots(), "08-promotion-code").await;

    card(&browser, "4242424242424242").await;
    browser.click("#submit").await;
    browser.wait_for_url(&format!("{}/ok", shop.url)).await;
    let paid = fake.session_json(id).unwrap();
    assert_eq!(paid["amount_total"], 3520);
    assert_eq!(paid["total_details"]["amount_discount"], 880);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn address_custom_fields_and_consent_land_on_the_session() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = browser().await else {
        return;
    };
    let fake = FakeStripe::start().await;
    let shop = shop(&fake).await;
    let ground = api(
        &fake,
        "POST",
        "/v1/shipping_rates",
        "display_name=Ground&type=fixed_amount&fixed_amount[amount]=500&fixed_amount[currency]=usd",
    )
    .await;
    let express = api(
        &fake,
        "POST",
        "/v1/shipping_rates",
        "display_name=Express&type=fixed_amount&fixed_amount[amount]=1500&fixed_amount[currency]=usd",
    )
    .await;
    let express = express["id"].as_str().unwrap();
    let body = format!(
        "{}&shipping_address_collection[allowed_countries][0]=US&shipping_address_collection[allowed_countries][1]=DE\
         &shipping_options[0][shipping_rate]={}&shipping_options[1][shipping_rate]={express}\
         &phone_number_collection[enabled]=true&consent_collection[terms_of_service]=required\
         &custom_fields[0][key]=engraving&custom_fields[0][label][type]=custom&custom_fields[0][label][custom]=Engraving&custom_fields[0][type]=text\
         &custom_fields[1][key]=size&custom_fields[1][label][type]=custom&custom_fields[1][label][custom]=Size&custom_fields[1][type]=dropdown\
         &custom_fields[1][dropdown][options][0][label]=Small&custom_fields[1][dropdown][options][0][value]=S\
         &custom_fields[1][dropdown][options][1][label]=Large&custom_fields[1][dropdown][options][1][value]=L\
         &custom_fields[2][key]=ref&custom_fields[2][label][type]=custom&custom_fields[2][label][custom]=PO+number&custom_fields[2][type]=numeric&custom_fields[2][optional]=true",
        basket(&shop),
        ground["id"].as_str().unwrap()
    );
    let session = api(&fake, "POST", "/v1/checkout/sessions", &body).await;
    let id = session["id"].as_str().unwrap();

    browser.goto(session["url"].as_str().unwrap()).await;
    let text = browser.wait_for_text("Shipping information").await;
    for shown in [
        "Phone number",
        "Engraving",
        "Size",
        "PO number (optional)",
        "Ground",
        "Express",
        "Terms of Service",
    ] {
        assert!(text.contains(shown), "{shown:?} not on the page:\n{text}");
    }
    // Required details missing: each is named beside its field.
    card(&browser, "4242424242424242").await;
    browser.click("#submit").await;
    browser
        .wait_for_text("You must agree to the Terms of Service to continue.")
        .await;

    browser.fill("#phone", "+1 555 555 0123").await;
    browser.fill("#shipping_name", "Jenny Rosen").await;
    browser.select("#shipping-country", "DE").await;
    browser.fill("#shipping-line1", "Unter den Linden 1").await;
    browser.fill("#shipping-city", "Berlin").await;
    browser.fill("#shipping-postal_code", "10117").await;
    browser.click(&format!("input[value=\"{express}\"]")).await;
    browser.wait_for_text("Shipping (Express)").await;
    browser.fill("#custom-engraving", "For Ada").await;
    browser.select("#custom-size", "L").await;
    browser.fill("#card_cvc", "123").await;
    browser.fill("#card_number", "4242424242424242").await;
    browser.fill("#card_expiry", "12 / 34").await;
    browser.click("#terms_of_service").await;
    let text = browser.text().await;
    assert!(text.contains("$46.00"), "31 + 15 shipping:\n{text}");
    browser.screenshot(&shots(), "09-collected-details").await;
    browser.click("#submit").await;
    browser.wait_for_url(&format!("{}/ok", shop.url)).await;

    let done = api(&fake, "GET", &format!("/v1/checkout/sessions/{id}"), "").await;
    assert_eq!(done["customer_details"]["phone"], "+1 555 555 0123");
    let shipping = &done["collected_information"]["shipping_details"];
    assert_eq!(shipping["name"], "Jenny Rosen");
    assert_eq!(shipping["address"]["city"], "Berlin");
    assert_eq!(shipping["address"]["country"], "DE");
    assert_eq!(done["custom_fields"][0]["text"]["value"], "For Ada");
    assert_eq!(done["custom_fields"][1]["dropdown"]["value"], "L");
    assert_eq!(done["custom_fields"][2]["numeric"]["value"], Value::Null);
    assert_eq!(done["consent"]["terms_of_service"], "accepted");
    assert_eq!(done["shipping_cost"]["shipping_rate"], express);
    assert_eq!(done["amount_total"], 4600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_checkout_mounted_by_a_shop_page_lands_on_return_url() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = browser().await else {
        return;
    };
    let fake = FakeStripe::start().await;
    fake.set_business_name("Rocket Rides");
    let shop = shop(&fake).await;
    let body = format!(
        "mode=payment&ui_mode=embedded_page&return_url={}/return?session_id={{CHECKOUT_SESSION_ID}}\
         &line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=2000\
         &line_items[0][price_data][product_data][name]=Ride+to+the+Moon&line_items[0][quantity]=1",
        shop.url
    );
    let session = api(&fake, "POST", "/v1/checkout/sessions", &body).await;
    let id = session["id"].as_str().unwrap();
    *shop.client_secret.lock().unwrap() = session["client_secret"].as_str().unwrap().to_owned();

    browser.goto(&format!("{}/checkout", shop.url)).await;
    browser.find("#checkout iframe").await;
    browser.enter_frame("#checkout iframe").await;
    let text = browser.wait_for_text("Ride to the Moon").await;
    assert!(
        text.contains("$20.00") && text.contains("Pay Rocket Rides"),
        "{text}"
    );
    browser.leave_frames().await;
    browser.screenshot(&shots(), "10-embedded").await;

    browser.enter_frame("#checkout iframe").await;
    browser.fill("#email", "jenny@example.com").await;
    card(&browser, "4242424242424242").await;
    browser.click("#submit").await;
    browser.leave_frames().await;
    let landed = browser.wait_for_url(&format!("{}/return", shop.url)).await;
    assert_eq!(landed, format!("{}/return?session_id={id}", shop.url));
    let text = browser.wait_for_text("Thanks for riding").await;
    assert!(text.contains(id), "{text}");
    browser.screenshot(&shots(), "11-return-url").await;
    assert_eq!(fake.session_json(id).unwrap()["status"], "complete");
}
