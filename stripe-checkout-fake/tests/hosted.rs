//! The Checkout page over plain HTTP (no browser): what it shows, hostile forms refused with
//! a message (never a 5xx), everything escaped, a delayed bank payment, the Stripe.js
//! stand-in, and the completion controls (Rust and HTTP) carrying the details the page
//! collects. Sources are cited in `src/hosted.rs` and `src/lifecycle/collected.rs`.

use serde_json::Value;
use stripe_checkout_fake::{Completion, FakeStripe, PostalAddress, TEST_KEY};

async fn api(fake: &FakeStripe, path: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", fake.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .bearer_auth(TEST_KEY)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn session(fake: &FakeStripe, extra: &str) -> Value {
    let (status, json) = api(
        fake,
        "/v1/checkout/sessions",
        &format!(
            "mode=payment&success_url=https://shop.test/ok&line_items[0][price_data][currency]=jpy&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=%3Cscript%3Ealert(1)%3C%2Fscript%3E+Tea&line_items[0][quantity]=1{extra}"
        ),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    json
}

async fn post(url: &str, body: impl Into<reqwest::Body>) -> (u16, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

const CARD: &str = "email=a%40b.co&card_number=4242424242424242&card_expiry=12%2F34&card_cvc=123&cardholder_name=A&billing%5Bcountry%5D=JP";

#[tokio::test]
async fn the_page_is_a_page_with_escaped_amounts_and_labels() {
    let fake = FakeStripe::start().await;
    fake.set_business_name("Tea & <Co>");
    let s = session(&fake, "&submit_type=donate&locale=ja").await;
    let html = reqwest::get(s["url"].as_str().unwrap())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"ja\">"),
        "{}",
        &html[..80]
    );
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("<title>Tea &amp; &lt;Co&gt; — Checkout (test mode)</title>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Tea"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("¥500"), "zero-decimal yen");
    assert!(html.contains(">Donate</button>"));
    for label in [
        "Email",
        "Card number",
        "Expiration",
        "CVC",
        "Cardholder name",
        "Country or region",
    ] {
        assert!(html.contains(&format!(">{label}</label>")), "{label}");
    }
}

#[tokio::test]
async fn hostile_forms_get_a_clear_error_never_a_panic() {
    let fake = FakeStripe::start().await;
    let s = session(&fake, "").await;
    let url = s["url"].as_str().unwrap();
    let (status, html) = post(&format!("{url}/pay"), b"email=\xff\xfe".to_vec()).await;
    assert_eq!(status, 400);
    assert!(html.contains("UTF-8"), "{html}");
    let (status, html) = post(&format!("{url}/pay"), "email%FF=1").await;
    assert_eq!(status, 400, "{html}");
    let (status, html) = post(&format!("{url}/pay"), "email[a]=1").await;
    assert_eq!(
        (status, html.contains("must be a single value")),
        (400, true)
    );
    let (status, html) = post(&format!("{url}/pay"), format!("email={}", "x".repeat(6000))).await;
    assert_eq!((status, html.contains("too long")), (400, true));
    let (status, _) = post(&format!("{url}/pay"), "a=1&".repeat(300_000)).await;
    assert_eq!(status, 413, "past the 1 MiB body limit");
    let (status, html) = post(&format!("{url}/pay"), "a=1&".repeat(5000)).await;
    assert_eq!((status, html.contains("Too many parameters")), (400, true));
    let (status, html) = post(&format!("{url}/pay"), "").await;
    assert_eq!(
        (status, html.contains("This field is incomplete.")),
        (400, true)
    );
    let (status, _) = post(&format!("{url}/update"), "quantity[0]=2").await;
    assert_eq!(status, 400, "not adjustable");
    let (status, _) = post(&format!("{url}/nothing"), "").await;
    assert_eq!(status, 404);
    let (status, html) = post(&format!("{url}/authenticate"), "authentication=maybe").await;
    assert_eq!((status, html.contains("Complete or Fail")), (400, true));
    assert_eq!(
        fake.session_json(s["id"].as_str().unwrap()).unwrap()["status"],
        "open"
    );
}

#[tokio::test]
async fn a_bank_debit_completes_unpaid_and_settles_later() {
    let fake = FakeStripe::start().await;
    let s = session(&fake, "").await;
    let id = s["id"].as_str().unwrap();
    let (status, _) = post(
        &format!("{}/pay", s["url"].as_str().unwrap()),
        "email=a%40b.co&payment_method=us_bank_account&billing%5Bcountry%5D=US",
    )
    .await;
    assert_eq!(status, 303);
    let done = fake.session_json(id).unwrap();
    assert_eq!(done["status"], "complete");
    assert_eq!(done["payment_status"], "unpaid");
    let paid = fake.succeed_async_payment(id).unwrap();
    assert_eq!(paid.payment_status.as_str(), "paid");
    // The page takes no second payment.
    let (status, html) = post(&format!("{}/pay", s["url"].as_str().unwrap()), CARD).await;
    assert_eq!(status, 409);
    assert!(html.contains("takes no second payment"));
}

#[tokio::test]
async fn subscriptions_say_subscribe_and_setup_sessions_save() {
    let fake = FakeStripe::start().await;
    let (status, s) = api(
        &fake,
        "/v1/checkout/sessions",
        "mode=subscription&success_url=https://shop.test/ok&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=900&line_items[0][price_data][recurring][interval]=month&line_items[0][price_data][product_data][name]=Tea+club&line_items[0][quantity]=1",
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let html = reqwest::get(s["url"].as_str().unwrap())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(">Subscribe</button>") && html.contains("Subscribe to Tea club"));
    assert!(
        html.contains("€9.00 / month") && html.contains("Total due today"),
        "{html}"
    );
    let (status, s) = api(
        &fake,
        "/v1/checkout/sessions",
        "mode=setup&currency=usd&success_url=https://shop.test/ok",
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let html = reqwest::get(s["url"].as_str().unwrap())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(">Save</button>"));
}

#[tokio::test]
async fn stripe_js_stand_in_and_the_embedded_page() {
    let fake = FakeStripe::start().await;
    for path in ["/v3/", "/v3"] {
        let response = reqwest::get(format!("{}{path}", fake.base_url()))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/javascript"));
        let js = response.text().await.unwrap();
        assert!(js.contains("initEmbeddedCheckout") && js.contains("pk_test_"));
    }
    let (_, s) = api(
        &fake,
        "/v1/checkout/sessions",
        "mode=payment&ui_mode=embedded_page&redirect_on_completion=never&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=700&line_items[0][price_data][product_data][name]=Tea&line_items[0][quantity]=1",
    )
    .await;
    let secret = s["client_secret"].as_str().unwrap();
    let embedded = format!("{}/c/embedded/{secret}", fake.base_url());
    let html = reqwest::get(&embedded).await.unwrap().text().await.unwrap();
    assert!(html.contains("$7.00") && html.contains("class=\"embedded\""));
    let wrong = format!(
        "{}/c/embedded/{}_secret_nope",
        fake.base_url(),
        s["id"].as_str().unwrap()
    );
    assert_eq!(reqwest::get(&wrong).await.unwrap().status(), 404);
    let (status, html) = post(&format!("{embedded}/pay"), CARD.replace("JP", "US")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("\"redirect\":false"),
        "never redirects: onComplete"
    );
}

#[tokio::test]
async fn completion_controls_carry_the_collected_details() {
    let fake = FakeStripe::start().await;
    let extra = "&shipping_address_collection[allowed_countries][0]=DE&phone_number_collection[enabled]=true&consent_collection[terms_of_service]=required&custom_fields[0][key]=ref&custom_fields[0][label][type]=custom&custom_fields[0][label][custom]=Ref&custom_fields[0][type]=numeric";
    let s = session(&fake, extra).await;
    let id = s["id"].as_str().unwrap();
    // Missing what the session requires: refused, naming it.
    let e = fake.complete_session(id, Completion::paid()).unwrap_err();
    assert_eq!(e.param.as_deref(), Some("phone"), "{e}");
    let address = PostalAddress {
        country: Some("DE".into()),
        city: Some("Berlin".into()),
        line1: Some("Unter den Linden 1".into()),
        postal_code: Some("10117".into()),
        ..PostalAddress::default()
    };
    let e = fake
        .complete_session(
            id,
            Completion::paid()
                .phone("+49 30 123456")
                .shipping("Jenny Rosen", address.clone())
                .custom_field("ref", "12a")
                .accept_terms_of_service(),
        )
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("custom_fields[ref]"), "{e}");
    let done = fake
        .complete_session(
            id,
            Completion::paid()
                .phone("+49 30 123456")
                .shipping("Jenny Rosen", address)
                .custom_field("ref", "123")
                .accept_terms_of_service(),
        )
        .unwrap();
    assert_eq!(
        done.customer_details.unwrap().phone.as_deref(),
        Some("+49 30 123456")
    );
    let json = fake.session_json(id).unwrap();
    assert_eq!(
        json["collected_information"]["shipping_details"]["address"]["city"],
        "Berlin"
    );
    assert_eq!(json["custom_fields"][0]["numeric"]["value"], "123");
    assert_eq!(json["consent"]["terms_of_service"], "accepted");

    // The same over HTTP.
    let s = session(&fake, extra).await;
    let control = format!(
        "{}/_fake/sessions/{}/complete",
        fake.base_url(),
        s["id"].as_str().unwrap()
    );
    let (status, body) = post(&control, "phone=%2B4930123456&shipping[name]=J&shipping[address][country]=FR&shipping[address][line1]=1&shipping[address][city]=Paris&shipping[address][postal_code]=75001&custom_fields[ref]=1&terms_of_service=accepted").await;
    assert_eq!(status, 400);
    assert!(body.contains("ships only to DE"), "{body}");
    let (status, body) = post(&control, "phone=%2B4930123456&shipping[name]=J&shipping[address][country]=DE&shipping[address][line1]=1&shipping[address][city]=Berlin&shipping[address][postal_code]=10117&custom_fields[ref]=1&terms_of_service=accepted").await;
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["customer_details"]["phone"], "+4930123456");
    assert_eq!(json["consent"]["terms_of_service"], "accepted");
    let (status, body) = post(
        &format!("{}/_fake/business_name", fake.base_url()),
        "name=Rocket+Rides",
    )
    .await;
    assert_eq!((status, body.contains("Rocket Rides")), (200, true));
}
