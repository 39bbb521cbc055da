//! Stripe's own rejections of a session create (src/rules.rs), through the crate's client and
//! through raw form bodies, and abandoned-cart recovery (src/lifecycle/recovery.rs) end to end.

use std::time::Duration;

use serde_json::Value;
use stripe_checkout::{
    CheckoutSessionCustomerCreation, CheckoutSessionMode, CheckoutSessionStatus, Client,
    CreateCheckoutSessionAfterExpiration, CreateCheckoutSessionAfterExpirationRecovery,
    CreateCheckoutSessionDiscounts, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionLineItemsPriceData, CreateCheckoutSessionLineItemsPriceDataProductData,
    CreateCheckoutSessionLineItemsPriceDataRecurring, CreateCheckoutSessionParams,
    CreateCheckoutSessionPaymentIntentData, CreateCheckoutSessionSubscriptionData, Error,
    ListCheckoutSessionLineItemsParams, RecurringInterval,
};
use stripe_checkout_fake::{FakeStripe, TEST_KEY};

const DAY: i64 = 24 * 60 * 60;

fn item(currency: &str, amount: i64, quantity: i64) -> CreateCheckoutSessionLineItems {
    let mut price_data = CreateCheckoutSessionLineItemsPriceData::new(currency);
    price_data.unit_amount = Some(amount);
    price_data.product_data = Some(CreateCheckoutSessionLineItemsPriceDataProductData::new(
        "T-shirt",
    ));
    CreateCheckoutSessionLineItems {
        price_data: Some(price_data),
        quantity: Some(quantity),
        ..Default::default()
    }
}

fn monthly(amount: i64) -> CreateCheckoutSessionLineItems {
    let mut it = item("usd", amount, 1);
    if let Some(pd) = it.price_data.as_mut() {
        pd.recurring = Some(CreateCheckoutSessionLineItemsPriceDataRecurring::new(
            RecurringInterval::Month,
        ));
    }
    it
}

fn hosted(items: Vec<CreateCheckoutSessionLineItems>) -> CreateCheckoutSessionParams {
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://shop.test/ok?session={CHECKOUT_SESSION_ID}",
    );
    params.cancel_url = Some("https://shop.test/cart".into());
    params.line_items = Some(items);
    params
}

fn subscription() -> CreateCheckoutSessionParams {
    let mut params = hosted(vec![monthly(900)]);
    params.mode = Some(CheckoutSessionMode::Subscription);
    params
}

/// `(status, type, code, param, message)` of an API error.
fn parts(e: &Error) -> (u16, String, Option<String>, Option<String>, String) {
    let api = e
        .api_error()
        .unwrap_or_else(|| panic!("not an API error: {e}"));
    (
        api.status,
        api.error.r#type.as_str().to_owned(),
        api.error.code.clone(),
        api.error.param.clone(),
        api.error.message.clone().unwrap_or_default(),
    )
}

/// Creates `params` through the client and asserts Stripe's 400 with `code`, `param`, `message`.
#[track_caller]
fn assert_rejected(
    e: &Error,
    code: Option<&str>,
    param: &str,
    message: &str,
) -> (u16, String, Option<String>, Option<String>, String) {
    let got = parts(e);
    assert_eq!(got.0, 400, "{got:?}");
    assert_eq!(got.1, "invalid_request_error", "{got:?}");
    assert_eq!(got.2.as_deref(), code, "{got:?}");
    assert_eq!(got.3.as_deref(), Some(param), "{got:?}");
    assert!(got.4.starts_with(message), "{got:?}");
    got
}

#[tokio::test]
async fn each_rule_rejects_through_the_client() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let sessions = client.checkout_sessions();
    let mut cases: Vec<(&str, CreateCheckoutSessionParams, Option<&str>, &str, &str)> = vec![];

    let mut p = hosted(vec![item("usd", 500, 1)]);
    p.success_url = Some("notaurl".into());
    cases.push((
        "url",
        p,
        Some("url_invalid"),
        "success_url",
        "Not a valid URL",
    ));

    let mut p = hosted(vec![item("usd", 500, 1)]);
    p.cancel_url = Some(format!("https://shop.test/{}", "a".repeat(5000)));
    cases.push((
        "url length",
        p,
        Some("url_invalid"),
        "cancel_url",
        "Invalid URL: URL must be 5000 characters or less.",
    ));

    let mut p = hosted(vec![item("usd", 500, 1)]);
    p.currency = Some("zzz".into());
    cases.push((
        "currency",
        p,
        None,
        "currency",
        "Invalid currency: zzz. Stripe currently supports these currencies: usd, aed, afn,",
    ));

    cases.push((
        "price_data currency",
        hosted(vec![item("usd", 500, 1), item("zzz", 500, 1)]),
        None,
        "line_items[1][price_data][currency]",
        "Invalid currency: zzz. Stripe currently supports these currencies: usd,",
    ));

    cases.push((
        "mixed currencies",
        hosted(vec![item("usd", 500, 1), item("eur", 500, 1)]),
        None,
        "line_items[1]",
        "All line items must use the same currency.",
    ));

    let mut p = hosted(vec![item("usd", 500, 1)]);
    p.customer = Some("cus_123".into());
    p.customer_email = Some("jenny@example.com".into());
    cases.push((
        "customer + customer_email",
        p,
        None,
        "customer",
        "You may only specify one of these parameters: customer, customer_email.",
    ));

    let mut p = subscription();
    p.customer_creation = Some(CheckoutSessionCustomerCreation::Always);
    cases.push((
        "customer_creation in subscription mode",
        p,
        None,
        "customer_creation",
        "`customer_creation` can only be used in `payment` mode.",
    ));

    let mut p = subscription();
    let mut pid = CreateCheckoutSessionPaymentIntentData::new();
    pid.description = Some("order 1".into());
    p.payment_intent_data = Some(pid);
    cases.push((
        "payment_intent_data in subscription mode",
        p,
        None,
        "payment_intent_data",
        "You can not pass `payment_intent_data` in `subscription` mode.",
    ));

    let mut p = hosted(vec![item("usd", 500, 1)]);
    let mut sd = CreateCheckoutSessionSubscriptionData::new();
    sd.description = Some("plan".into());
    p.subscription_data = Some(sd);
    cases.push((
        "subscription_data in payment mode",
        p,
        None,
        "subscription_data",
        "You can not pass `subscription_data` in `payment` mode.",
    ));

    for allow in [true, false] {
        let mut p = hosted(vec![item("usd", 500, 1)]);
        p.allow_promotion_codes = Some(allow);
        let mut d = CreateCheckoutSessionDiscounts::new();
        d.coupon = Some("SUMMER".into());
        p.discounts = Some(vec![d]);
        cases.push((
            "allow_promotion_codes + discounts",
            p,
            None,
            "allow_promotion_codes",
            "You may only specify one of these parameters: allow_promotion_codes, discounts.",
        ));
    }

    for (name, params, code, param, message) in cases {
        let e = sessions
            .create(&params)
            .await
            .expect_err(&format!("{name}: should be refused"));
        assert_rejected(&e, code, param, message);
    }
    // Nothing was created.
    let listed = sessions.list(&Default::default()).await.unwrap();
    assert!(listed.data.is_empty());

    // The same sessions without the fault are accepted.
    let ok = sessions
        .create(&hosted(vec![item("USD", 500, 1), item("usd", 250, 2)]))
        .await
        .unwrap();
    assert_eq!(ok.amount_total, Some(1000));
    let mut with_email = hosted(vec![item("usd", 500, 1)]);
    with_email.customer_email = Some("jenny@example.com".into());
    sessions.create(&with_email).await.unwrap();
    let mut sub = subscription();
    let mut sd = CreateCheckoutSessionSubscriptionData::new();
    sd.description = Some("plan".into());
    sub.subscription_data = Some(sd);
    sessions.create(&sub).await.unwrap();
}

async fn post_form(fake: &FakeStripe, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/v1/checkout/sessions", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn rules_reject_raw_form_bodies() {
    let fake = FakeStripe::start().await;
    let item = "line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Tee&line_items[0][quantity]=1";
    let ok = format!("mode=payment&success_url=https%3A%2F%2Fshop.test%2Fok&{item}");
    let cases: Vec<(String, Option<&str>, &str, &str)> = vec![
        (
            format!("mode=payment&success_url=notaurl&{item}"),
            Some("url_invalid"),
            "success_url",
            "Not a valid URL",
        ),
        (
            format!("{ok}&currency=zzz"),
            None,
            "currency",
            "Invalid currency: zzz. Stripe currently supports these currencies: usd, aed,",
        ),
        (
            ok.replace("[currency]=usd", "[currency]=zzz"),
            None,
            "line_items[0][price_data][currency]",
            "Invalid currency: zzz. ",
        ),
        (
            format!("{ok}&customer=cus_123&customer_email=jenny%40example.com"),
            None,
            "customer",
            "You may only specify one of these parameters: customer, customer_email.",
        ),
        (
            format!("{ok}&subscription_data[description]=plan"),
            None,
            "subscription_data",
            "You can not pass `subscription_data` in `payment` mode.",
        ),
        (
            format!("{ok}&allow_promotion_codes=false&discounts[0][coupon]=SUMMER"),
            None,
            "allow_promotion_codes",
            "You may only specify one of these parameters: allow_promotion_codes, discounts.",
        ),
    ];
    for (body, code, param, message) in cases {
        let (status, json) = post_form(&fake, &body).await;
        assert_eq!(status, 400, "{body}: {json}");
        let error = &json["error"];
        assert_eq!(error["type"], "invalid_request_error", "{body}: {json}");
        assert_eq!(error["code"].as_str(), code, "{body}: {json}");
        assert_eq!(error["param"], param, "{body}: {json}");
        let got = error["message"].as_str().unwrap_or_default();
        assert!(got.starts_with(message), "{body}: {got}");
        if let Some(code) = code {
            assert_eq!(
                error["doc_url"],
                format!(
                    "https://stripe.com/docs/error-codes/{}",
                    code.replace('_', "-")
                )
            );
        }
    }
    // The currency message lists each supported currency once, `usd` first, ending with `zmw`.
    let (_, json) = post_form(&fake, &format!("{ok}&currency=zzz")).await;
    let message = json["error"]["message"].as_str().unwrap_or_default();
    let listed: Vec<&str> = message
        .split_once("currencies: ")
        .map(|(_, l)| l.split(", ").collect())
        .unwrap_or_default();
    assert_eq!(listed.first(), Some(&"usd"));
    assert_eq!(listed.last(), Some(&"zmw"));
    assert_eq!(listed.iter().filter(|c| **c == "usd").count(), 1);
    assert!(listed.contains(&"jpy") && listed.contains(&"kwd"));

    let (status, json) = post_form(&fake, &ok).await;
    assert_eq!(status, 200, "{json}");
}

/// The session as `GET /v1/checkout/sessions/{id}` returns it.
async fn session_json(fake: &FakeStripe, id: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/v1/checkout/sessions/{id}", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn with_recovery(
    mut params: CreateCheckoutSessionParams,
    allow_promotion_codes: bool,
) -> CreateCheckoutSessionParams {
    let mut recovery = CreateCheckoutSessionAfterExpirationRecovery::new(true);
    recovery.allow_promotion_codes = Some(allow_promotion_codes);
    params.after_expiration = Some(CreateCheckoutSessionAfterExpiration {
        recovery: Some(recovery),
    });
    params
}

/// A session's line items as `(description, quantity, amount_total)`.
async fn lines(client: &Client, id: &str) -> Vec<(Option<String>, Option<i64>, i64)> {
    client
        .checkout_sessions()
        .list_line_items(id, &ListCheckoutSessionLineItemsParams::default())
        .await
        .unwrap()
        .data
        .into_iter()
        .map(|i| (i.description, i.quantity, i.amount_total))
        .collect()
}

#[tokio::test]
async fn expired_session_recovers_once() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let mut params = with_recovery(
        hosted(vec![item("usd", 1500, 2), item("usd", 250, 1)]),
        true,
    );
    params.metadata = Some([("order_id".to_owned(), "6735".to_owned())].into());
    params.client_reference_id = Some("cart_9".into());
    params.customer = Some("cus_123".into());
    let old = client.checkout_sessions().create(&params).await.unwrap();

    // Create echoes the recovery settings, with no URL yet.
    let raw = session_json(&fake, &old.id).await;
    assert_eq!(
        raw["after_expiration"],
        serde_json::json!({"recovery": {"allow_promotion_codes": true, "enabled": true,
            "expires_at": null, "url": null}})
    );

    // Expiring (the endpoint) hands out the URL, valid for 30 days.
    let expired = client
        .checkout_sessions()
        .expire(&old.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(expired.status, Some(CheckoutSessionStatus::Expired));
    let recovery = expired
        .after_expiration
        .and_then(|a| a.recovery)
        .expect("recovery");
    assert!(recovery.enabled && recovery.allow_promotion_codes);
    let url = recovery.url.expect("recovery url");
    assert!(
        url.starts_with(&format!("{}/c/recover/", fake.base_url())),
        "{url}"
    );
    let expires_at = recovery.expires_at.expect("recovery expires_at");
    assert!(
        (expires_at - (fake.now() + 30 * DAY)).abs() <= 5,
        "{expires_at}"
    );

    // Opening it creates a copy and redirects to its page.
    let http = no_redirects();
    let opened = http.get(&url).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    let location = opened.headers()["location"].to_str().unwrap().to_owned();
    let new_id = location
        .strip_prefix(&format!("{}/c/pay/", fake.base_url()))
        .expect("a hosted page")
        .to_owned();
    assert_ne!(new_id, old.id);
    let new = client
        .checkout_sessions()
        .retrieve(&new_id, &Default::default())
        .await
        .unwrap();
    assert_eq!(new.recovered_from.as_deref(), Some(old.id.as_str()));
    assert_eq!(new.status, Some(CheckoutSessionStatus::Open));
    assert_eq!(new.url.as_deref(), Some(location.as_str()));
    assert_eq!(new.amount_total, Some(3250));
    assert_eq!(new.amount_total, old.amount_total);
    assert_eq!(new.mode, old.mode);
    assert_eq!(new.success_url, old.success_url);
    assert_eq!(new.cancel_url, old.cancel_url);
    assert_eq!(new.metadata, old.metadata);
    assert_eq!(new.client_reference_id.as_deref(), Some("cart_9"));
    assert_eq!(new.customer, old.customer);
    assert_eq!(new.allow_promotion_codes, Some(true));
    assert!(new.expires_at > new.created);
    let old_lines = lines(&client, &old.id).await;
    assert_eq!(old_lines.len(), 2);
    assert_eq!(lines(&client, &new_id).await, old_lines);
    // Its hosted page is open.
    assert_eq!(http.get(&location).send().await.unwrap().status(), 200);

    // A second visit: no longer valid, and no third session.
    let again = http.get(&url).send().await.unwrap();
    assert_eq!(again.status(), 410);
    assert!(again.text().await.unwrap().contains("no longer valid"));
    let listed = client
        .checkout_sessions()
        .list(&Default::default())
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 2);

    // Unknown tokens are 404; other methods 405.
    let unknown = format!("{}/c/recover/nope", fake.base_url());
    assert_eq!(http.get(&unknown).send().await.unwrap().status(), 404);
    assert_eq!(http.post(&url).send().await.unwrap().status(), 405);
}

#[tokio::test]
async fn recovery_by_the_clock_and_link_expiry() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let old = client
        .checkout_sessions()
        .create(&with_recovery(hosted(vec![item("usd", 700, 1)]), false))
        .await
        .unwrap();
    // Not expired yet: no URL.
    let before = session_json(&fake, &old.id).await;
    assert!(before["after_expiration"]["recovery"]["url"].is_null());

    fake.advance_clock(Duration::from_secs(24 * 3600));
    let expired = session_json(&fake, &old.id).await;
    assert_eq!(expired["status"], "expired");
    let recovery = &expired["after_expiration"]["recovery"];
    assert_eq!(recovery["allow_promotion_codes"], false);
    let url = recovery["url"].as_str().expect("url").to_owned();
    let expires_at = recovery["expires_at"].as_i64().expect("expires_at");
    assert!((expires_at - (fake.now() + 30 * DAY)).abs() <= 5);

    // 30 days later the link is no longer valid.
    fake.advance_clock(Duration::from_secs(30 * 24 * 3600));
    let http = no_redirects();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 410);
    let listed = client
        .checkout_sessions()
        .list(&Default::default())
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);

    // Without recovery, expiry leaves `after_expiration` null.
    let plain = client
        .checkout_sessions()
        .create(&hosted(vec![item("usd", 700, 1)]))
        .await
        .unwrap();
    let expired = client
        .checkout_sessions()
        .expire(&plain.id, &Default::default())
        .await
        .unwrap();
    assert!(expired.after_expiration.is_none());
}
