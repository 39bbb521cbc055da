//! Stripe's own rejections of a session create (src/rules.rs), through the crate's client and
//! through raw form bodies.

use serde_json::Value;
use stripe_checkout::{
    AlwaysOrIfRequired, CheckoutSessionMode, CreateCheckoutSessionDiscounts,
    CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionLineItemsPriceDataProductData,
    CreateCheckoutSessionLineItemsPriceDataRecurring, CreateCheckoutSessionParams,
    CreateCheckoutSessionPaymentIntentData, CreateCheckoutSessionSubscriptionData, Error,
    RecurringInterval,
};
use stripe_checkout_fake::{FakeStripe, TEST_KEY};

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
    p.customer_creation = Some(AlwaysOrIfRequired::Always);
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
