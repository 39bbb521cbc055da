//! The crate's own client against the fake: every operation, parameter family, error and
//! lifecycle path.

use std::time::Duration;

use serde_json::Value;
use stripe_checkout::{
    CheckoutSessionMode, CheckoutSessionPaymentStatus, CheckoutSessionStatus, Client,
    CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionLineItemsPriceDataProductData, CreateCheckoutSessionParams, Error,
    EventType, ListCheckoutSessionLineItemsParams, ListCheckoutSessionParams,
    RetrieveCheckoutSessionParams, UpdateCheckoutSessionParams, Webhook,
};
use stripe_checkout_fake::{
    Completion, FakePrice, FakeStripe, Fault, WebhookEndpoint, WebhookOptions,
};

fn inline_item(amount: i64, quantity: i64) -> CreateCheckoutSessionLineItems {
    let mut price_data = CreateCheckoutSessionLineItemsPriceData::new("usd");
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

fn hosted(items: Vec<CreateCheckoutSessionLineItems>) -> CreateCheckoutSessionParams {
    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://shop.test/ok?session={CHECKOUT_SESSION_ID}",
    );
    params.cancel_url = Some("https://shop.test/cancel".into());
    params.line_items = Some(items);
    params
}

fn api_error(e: &Error) -> (u16, String, Option<String>, Option<String>) {
    let api = e
        .api_error()
        .unwrap_or_else(|| panic!("not an API error: {e}"));
    (
        api.status,
        api.error.r#type.as_str().to_owned(),
        api.error.code.clone(),
        api.error.param.clone(),
    )
}

async fn raw(
    fake: &FakeStripe,
    method: &str,
    path: &str,
    body: &str,
    key: Option<&str>,
) -> reqwest::Response {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", fake.base_url());
    let mut req = match method {
        "GET" => http.get(url),
        _ => http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned()),
    };
    if let Some(key) = key {
        req = req.bearer_auth(key);
    }
    req.send().await.unwrap()
}

/// A GET with the test key, its body as JSON.
async fn get_json(fake: &FakeStripe, path: &str) -> Value {
    raw(fake, "GET", path, "", Some(stripe_checkout_fake::TEST_KEY))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn create_computes_amounts_and_fills_every_property() {
    let fake = FakeStripe::start().await;
    fake.register_price(FakePrice::one_time("price_mug", 1250, "usd").product_name("Mug"));
    let client = fake.client();
    let mut items = vec![inline_item(2000, 2)];
    items.push(CreateCheckoutSessionLineItems {
        price: Some("price_mug".into()),
        quantity: Some(1),
        ..Default::default()
    });
    let mut params = hosted(items);
    params.metadata = Some([("order_id".to_owned(), "6735".to_owned())].into());
    params.client_reference_id = Some("cart_1".into());
    let created = client
        .checkout_sessions()
        .create(&params)
        .send_with_meta()
        .await
        .unwrap();
    assert!(created
        .request_id
        .as_deref()
        .is_some_and(|id| id.starts_with("req_")));
    let s = created.value;
    assert!(s.id.starts_with("cs_test_"), "{}", s.id);
    assert_eq!(s.amount_subtotal, Some(5250));
    assert_eq!(s.amount_total, Some(5250));
    assert_eq!(s.currency.as_deref(), Some("usd"));
    assert_eq!(s.status, Some(CheckoutSessionStatus::Open));
    assert_eq!(s.payment_status, CheckoutSessionPaymentStatus::Unpaid);
    assert_eq!(
        s.url.as_deref(),
        Some(format!("{}/c/pay/{}", fake.base_url(), s.id).as_str())
    );
    assert!(s.client_secret.is_none());
    assert!(
        s.payment_intent.is_none(),
        "created at confirmation since 2022-08-01"
    );
    assert_eq!(s.client_reference_id.as_deref(), Some("cart_1"));
    assert_eq!(s.metadata.as_ref().unwrap()["order_id"], "6735");
    assert_eq!(s.expires_at - s.created, 24 * 3600);
    assert!(
        s.extra.is_empty(),
        "no property the 2026 types lack: {:?}",
        s.extra.keys()
    );

    // Every property of the spec's session is present; nullable ones null.
    let raw = fake.session_json(&s.id).unwrap();
    let object = raw.as_object().unwrap();
    for key in [
        "customer",
        "customer_details",
        "payment_intent",
        "subscription",
        "setup_intent",
        "invoice",
        "discounts",
        "shipping_cost",
        "after_expiration",
    ] {
        assert_eq!(object.get(key), Some(&Value::Null), "{key}");
    }
    assert!(object.len() >= 60, "{} properties", object.len());

    let items = client
        .checkout_sessions()
        .list_line_items(&s.id, &ListCheckoutSessionLineItemsParams::default())
        .await
        .unwrap();
    assert_eq!(items.data.len(), 2);
    assert_eq!(items.data[0].amount_total, 4000);
    assert_eq!(items.data[0].description.as_deref(), Some("T-shirt"));
    assert_eq!(items.data[1].description.as_deref(), Some("Mug"));
    assert!(!items.has_more);
}

#[tokio::test]
async fn embedded_sessions_get_a_client_secret_and_need_return_url() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let mut params = CreateCheckoutSessionParams::embedded(
        CheckoutSessionMode::Payment,
        "https://shop.test/return",
    );
    params.line_items = Some(vec![inline_item(500, 1)]);
    let s = client.checkout_sessions().create(&params).await.unwrap();
    assert!(s.url.is_none());
    assert!(s
        .client_secret
        .as_deref()
        .unwrap()
        .starts_with(&format!("{}_secret_", s.id)));
    assert_eq!(s.return_url.as_deref(), Some("https://shop.test/return"));

    params.success_url = Some("https://shop.test/ok".into());
    let e = client
        .checkout_sessions()
        .create(&params)
        .await
        .unwrap_err();
    assert_eq!(
        api_error(&e),
        (
            400,
            "invalid_request_error".into(),
            None,
            Some("success_url".into())
        )
    );

    params.success_url = None;
    params.return_url = None;
    let e = client
        .checkout_sessions()
        .create(&params)
        .await
        .unwrap_err();
    assert_eq!(api_error(&e).2.as_deref(), Some("parameter_missing"));
    assert_eq!(api_error(&e).3.as_deref(), Some("return_url"));
}

#[tokio::test]
async fn validation_errors_are_stripe_shaped() {
    let fake = FakeStripe::start().await;
    let key = Some(stripe_checkout_fake::TEST_KEY);
    let long_key_param = format!("metadata[{}]", "k".repeat(41));
    let long_key_body = format!("mode=setup&{long_key_param}=v");
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("mode=payment&bogus=1", "bogus", Some("parameter_unknown")),
        ("mode=payment&line_items[0][price_data][unit_amount]=500&line_items[0][quantity]=1", "line_items[0][price_data][currency]", Some("parameter_missing")),
        ("mode=payment&line_items[0][price]=p&line_items[0][quantity]=x", "line_items[0][quantity]", Some("parameter_invalid_integer")),
        ("mode=payment&client_reference_id=", "client_reference_id", Some("parameter_invalid_empty")),
        ("mode=nope", "mode", None),
        ("mode=payment&allow_promotion_codes=yes", "allow_promotion_codes", None),
        (&*format!("mode=payment&client_reference_id={}", "x".repeat(201)), "client_reference_id", None),
        ("mode=payment&line_items[0][bogus]=1", "line_items[0][bogus]", Some("parameter_unknown")),
        ("mode=payment", "line_items", Some("parameter_missing")),
        ("mode=payment&line_items[0][price]=price_nope&line_items[0][quantity]=1", "line_items[0][price]", Some("resource_missing")),
        ("mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=x&line_items[0][price_data][recurring][interval]=month&line_items[0][quantity]=1", "line_items[0]", None),
        ("mode=setup&expires_at=1", "expires_at", None),
        ("mode=setup&return_url=https://x.test", "return_url", None),
        (&long_key_body, &long_key_param, None),
    ];
    for (body, param, code) in cases {
        let response = raw(&fake, "POST", "/v1/checkout/sessions", body, key).await;
        assert_eq!(response.status(), 400, "{body}");
        assert!(response.headers().contains_key("request-id"));
        let json: Value = response.json().await.unwrap();
        let error = &json["error"];
        assert_eq!(error["type"], "invalid_request_error", "{body}");
        assert_eq!(error["param"], *param, "{body}: {error}");
        assert_eq!(error["code"].as_str(), *code, "{body}: {error}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        if code.is_some() {
            assert!(error["doc_url"]
                .as_str()
                .unwrap()
                .starts_with("https://stripe.com/docs/error-codes/"));
        }
    }
    // Subscription mode needs a recurring price; setup mode takes no line items.
    let body = "mode=subscription&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=x&line_items[0][quantity]=1";
    assert_eq!(
        raw(&fake, "POST", "/v1/checkout/sessions", body, key)
            .await
            .status(),
        400
    );
    let ok = raw(
        &fake,
        "POST",
        "/v1/checkout/sessions",
        &body.replace(
            "[quantity]=1",
            "[quantity]=1&line_items[0][price_data][recurring][interval]=month",
        ),
        key,
    )
    .await;
    assert_eq!(ok.status(), 200);
    // Lists: limit 1..=100.
    let response = raw(&fake, "GET", "/v1/checkout/sessions?limit=101", "", key).await;
    assert_eq!(response.status(), 400);
    // Unknown paths.
    let response = raw(&fake, "GET", "/v1/charges", "", key).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn only_test_keys_are_accepted() {
    let fake = FakeStripe::start().await;
    for key in [
        None,
        Some("sk_live_123456789"),
        Some("pk_test_123"),
        Some("nonsense"),
    ] {
        let response = raw(&fake, "GET", "/v1/checkout/sessions", "", key).await;
        assert_eq!(response.status(), 401, "{key:?}");
        assert!(response.headers().contains_key("request-id"));
        let body = response.text().await.unwrap();
        assert!(!body.contains("123456789"), "the key is masked: {body}");
    }
    let restricted = raw(
        &fake,
        "GET",
        "/v1/checkout/sessions",
        "",
        Some("rk_test_abc"),
    )
    .await;
    assert_eq!(restricted.status(), 200);
    let e = Client::builder("sk_live_x")
        .base_url(fake.base_url())
        .build()
        .unwrap()
        .checkout_sessions()
        .list(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(401));
}

#[tokio::test]
async fn retrieve_update_expire_and_expand() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let s = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(700, 3)]))
        .await
        .unwrap();

    let retrieve = RetrieveCheckoutSessionParams {
        expand: Some(vec!["line_items".into()]),
    };
    let got = client
        .checkout_sessions()
        .retrieve(&s.id, &retrieve)
        .await
        .unwrap();
    let items = got.line_items.expect("expanded");
    assert_eq!(items.data[0].amount_total, 2100);
    let plain = client
        .checkout_sessions()
        .retrieve(&s.id, &Default::default())
        .await
        .unwrap();
    assert!(plain.line_items.is_none());

    let mut update = UpdateCheckoutSessionParams {
        metadata: Some(stripe_checkout::Unsettable::Set(
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "2".to_owned()),
            ]
            .into(),
        )),
        ..Default::default()
    };
    let updated = client
        .checkout_sessions()
        .update(&s.id, &update)
        .await
        .unwrap();
    assert_eq!(updated.metadata.unwrap().len(), 2);
    update.metadata = Some(stripe_checkout::Unsettable::Unset);
    let cleared = client
        .checkout_sessions()
        .update(&s.id, &update)
        .await
        .unwrap();
    assert!(cleared.metadata.unwrap().is_empty());

    let expired = client
        .checkout_sessions()
        .expire(&s.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(expired.status, Some(CheckoutSessionStatus::Expired));
    assert!(expired.url.is_none());
    let e = client
        .checkout_sessions()
        .expire(&s.id, &Default::default())
        .await
        .unwrap_err();
    let api = e.api_error().unwrap();
    assert_eq!(api.status, 400);
    assert!(api
        .error
        .message
        .as_deref()
        .unwrap()
        .starts_with("Only Checkout Sessions with a status in [\"open\"] can be expired."));
    assert_eq!(
        fake.events().last().unwrap().type_,
        EventType::CheckoutSessionExpired
    );

    let e = client
        .checkout_sessions()
        .retrieve("cs_test_missing", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        api_error(&e),
        (
            404,
            "invalid_request_error".into(),
            Some("resource_missing".into()),
            Some("session".into())
        )
    );
}

#[tokio::test]
async fn lists_paginate_both_ways_filter_and_isolate_accounts() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(
            client
                .checkout_sessions()
                .create(&hosted(vec![inline_item(100, 1)]))
                .await
                .unwrap()
                .id,
        );
    }
    ids.reverse(); // newest first
    let mut params = ListCheckoutSessionParams {
        limit: Some(3),
        ..Default::default()
    };
    let page = client.checkout_sessions().list(&params).await.unwrap();
    assert_eq!(
        page.data.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
        ids[..3]
    );
    assert!(page.has_more);
    params.starting_after = Some(ids[5].clone());
    let last = client.checkout_sessions().list(&params).await.unwrap();
    assert_eq!(last.data.len(), 1);
    assert!(!last.has_more);
    params.starting_after = None;
    params.ending_before = Some(ids[4].clone());
    let before = client.checkout_sessions().list(&params).await.unwrap();
    assert_eq!(
        before.data.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
        ids[1..4]
    );
    assert!(before.has_more);
    let all = client
        .checkout_sessions()
        .list_auto_paging(&ListCheckoutSessionParams {
            limit: Some(2),
            ..Default::default()
        })
        .collect_vec(100)
        .await
        .unwrap();
    assert_eq!(all.len(), 7);

    // Filters.
    fake.complete_session(&ids[0], Completion::paid().email("a@example.com"))
        .unwrap();
    let complete = client
        .checkout_sessions()
        .list(&ListCheckoutSessionParams {
            status: Some(CheckoutSessionStatus::Complete),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(complete.data.len(), 1);
    let pi = complete.data[0]
        .payment_intent
        .as_ref()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let by_pi = client
        .checkout_sessions()
        .list(&ListCheckoutSessionParams {
            payment_intent: Some(pi),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_pi.data[0].id, ids[0]);
    let by_email = get_json(
        &fake,
        "/v1/checkout/sessions?customer_details[email]=a@example.com",
    )
    .await;
    assert_eq!(by_email["data"].as_array().unwrap().len(), 1);
    // The seven were created within a second or two: a range over their first and last
    // `created` holds them all, one after the last holds none.
    let first = all.iter().map(|s| s.created).min().unwrap();
    let last_created = all.iter().map(|s| s.created).max().unwrap();
    let in_range = get_json(
        &fake,
        &format!("/v1/checkout/sessions?created[gte]={first}&created[lte]={last_created}"),
    )
    .await;
    assert_eq!(in_range["data"].as_array().unwrap().len(), 7);
    let newest_only = get_json(
        &fake,
        &format!("/v1/checkout/sessions?created[gte]={last_created}"),
    )
    .await;
    let newest = all.iter().filter(|s| s.created == last_created).count();
    assert_eq!(newest_only["data"].as_array().unwrap().len(), newest);
    let none = get_json(
        &fake,
        &format!("/v1/checkout/sessions?created[gt]={last_created}"),
    )
    .await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);

    // A connected account sees only its own sessions.
    let connected = fake
        .client_builder()
        .stripe_account("acct_1")
        .build()
        .unwrap();
    let theirs = connected
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    assert_eq!(
        connected
            .checkout_sessions()
            .list(&Default::default())
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert!(client
        .checkout_sessions()
        .retrieve(&theirs.id, &Default::default())
        .await
        .is_err());
    assert!(connected
        .checkout_sessions()
        .retrieve(&ids[0], &Default::default())
        .await
        .is_err());
}

#[tokio::test]
async fn lifecycle_paid_delayed_setup_free_and_expiry() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let get = |id: String| {
        let client = client.clone();
        async move {
            client
                .checkout_sessions()
                .retrieve(&id, &Default::default())
                .await
                .unwrap()
        }
    };

    let paid = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    fake.complete_session(&paid.id, Completion::paid()).unwrap();
    let s = get(paid.id.clone()).await;
    assert_eq!(s.status, Some(CheckoutSessionStatus::Complete));
    assert_eq!(s.payment_status, CheckoutSessionPaymentStatus::Paid);
    assert!(s.payment_intent.unwrap().id().unwrap().starts_with("pi_"));
    assert_eq!(
        s.customer_details.unwrap().email.as_deref(),
        Some("jenny.rosen@example.com")
    );
    assert!(
        fake.complete_session(&paid.id, Completion::paid()).is_err(),
        "only open sessions complete"
    );

    let delayed = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    fake.complete_session(&delayed.id, Completion::delayed())
        .unwrap();
    assert_eq!(
        get(delayed.id.clone()).await.payment_status,
        CheckoutSessionPaymentStatus::Unpaid
    );
    fake.succeed_async_payment(&delayed.id).unwrap();
    assert_eq!(
        get(delayed.id.clone()).await.payment_status,
        CheckoutSessionPaymentStatus::Paid
    );
    assert!(fake.fail_async_payment(&delayed.id).is_err());

    let failing = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    fake.complete_session(&failing.id, Completion::delayed())
        .unwrap();
    fake.fail_async_payment(&failing.id).unwrap();
    assert_eq!(
        get(failing.id.clone()).await.payment_status,
        CheckoutSessionPaymentStatus::Unpaid
    );

    let setup = client
        .checkout_sessions()
        .create(&CreateCheckoutSessionParams::hosted(
            CheckoutSessionMode::Setup,
            "https://shop.test/ok",
        ))
        .await
        .unwrap();
    assert_eq!(
        setup.payment_status,
        CheckoutSessionPaymentStatus::NoPaymentRequired
    );
    fake.complete_session(&setup.id, Completion::paid())
        .unwrap();
    let s = get(setup.id.clone()).await;
    assert!(s.setup_intent.unwrap().id().unwrap().starts_with("seti_"));
    assert_eq!(
        s.payment_status,
        CheckoutSessionPaymentStatus::NoPaymentRequired
    );

    let free = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(0, 1)]))
        .await
        .unwrap();
    fake.complete_session(&free.id, Completion::paid()).unwrap();
    let s = get(free.id.clone()).await;
    assert_eq!(
        s.payment_status,
        CheckoutSessionPaymentStatus::NoPaymentRequired
    );
    assert!(s.payment_intent.is_none());

    fake.register_price(FakePrice::recurring("price_monthly", 900, "usd", "month"));
    let mut sub = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Subscription,
        "https://shop.test/ok",
    );
    sub.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some("price_monthly".into()),
        quantity: Some(1),
        ..Default::default()
    }]);
    let sub = client.checkout_sessions().create(&sub).await.unwrap();
    fake.complete_session(&sub.id, Completion::paid()).unwrap();
    let s = get(sub.id.clone()).await;
    assert!(s.subscription.unwrap().id().unwrap().starts_with("sub_"));
    assert!(s.customer.unwrap().id().unwrap().starts_with("cus_"));

    let open = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    fake.advance_clock(Duration::from_secs(23 * 3600));
    assert_eq!(
        get(open.id.clone()).await.status,
        Some(CheckoutSessionStatus::Open)
    );
    fake.advance_clock(Duration::from_secs(3600));
    assert_eq!(
        get(open.id.clone()).await.status,
        Some(CheckoutSessionStatus::Expired)
    );

    let types: Vec<String> = fake
        .events()
        .iter()
        .map(|e| e.type_.as_str().to_owned())
        .collect();
    for t in [
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    ] {
        assert!(types.contains(&t.to_owned()), "{t} in {types:?}");
    }
    // The payment intent's event comes first (tests/objects.rs), then the session's.
    let events = fake.events();
    let event = events
        .iter()
        .find(|e| e.type_.is_checkout_session())
        .unwrap();
    assert_eq!(
        event.api_version.as_deref(),
        Some(stripe_checkout::API_VERSION)
    );
    assert_eq!(event.checkout_session().unwrap().id, paid.id);
}

#[tokio::test]
async fn idempotency_as_stripe_does_it() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let params = hosted(vec![inline_item(100, 1)]);
    let first = client
        .checkout_sessions()
        .create(&params)
        .idempotency_key("k1")
        .send_with_meta()
        .await
        .unwrap();
    let again = client
        .checkout_sessions()
        .create(&params)
        .idempotency_key("k1")
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(first.value.id, again.value.id);
    let replay = raw(
        &fake,
        "POST",
        "/v1/checkout/sessions",
        "mode=payment&line_items[0][price]=p&line_items[0][quantity]=1",
        Some(stripe_checkout_fake::TEST_KEY),
    )
    .await;
    assert_eq!(replay.status(), 400); // resource_missing, executed…
    let http = reqwest::Client::new();
    let send = |body: &'static str, key: &'static str| {
        http.post(format!("{}/v1/checkout/sessions", fake.base_url()))
            .bearer_auth(stripe_checkout_fake::TEST_KEY)
            .header("idempotency-key", key)
            .body(body)
            .send()
    };
    let body = "mode=payment&line_items[0][price]=nope&line_items[0][quantity]=1";
    let a = send(body, "k2").await.unwrap();
    assert_eq!(a.status(), 400);
    let b = send(body, "k2").await.unwrap();
    assert_eq!(
        b.headers()["idempotent-replayed"],
        "true",
        "errors from execution are stored"
    );
    // Validation errors are not stored: the same key then works.
    assert_eq!(
        send("mode=payment&bogus=1", "k3").await.unwrap().status(),
        400
    );
    let fine = "mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product]=prod_1&line_items[0][quantity]=1";
    let ok = send(fine, "k3").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(!ok.headers().contains_key("idempotent-replayed"));
    // Same key, other params: 400 idempotency_error.
    let other = send("mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=600&line_items[0][price_data][product]=prod_1&line_items[0][quantity]=1", "k3").await.unwrap();
    assert_eq!(other.status(), 400);
    assert_eq!(
        other.json::<Value>().await.unwrap()["error"]["type"],
        "idempotency_error"
    );
    // In flight: 409.
    // Whichever request arrives first takes the delay; the other finds its key executing.
    fake.inject_fault(Fault::delay(Duration::from_millis(500)));
    let first = tokio::spawn(send(fine, "k4"));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let second = send(fine, "k4").await.unwrap();
    let first = first.await.unwrap().unwrap();
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    // Keys expire after 24 h of fake time.
    fake.advance_clock(Duration::from_secs(24 * 3600 + 1));
    let after = send(fine, "k3").await.unwrap();
    assert!(!after.headers().contains_key("idempotent-replayed"));
    // GETs ignore keys.
    let get = http
        .get(format!("{}/v1/checkout/sessions", fake.base_url()))
        .bearer_auth(stripe_checkout_fake::TEST_KEY)
        .header("idempotency-key", "k3")
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
}

#[tokio::test]
async fn faults_exercise_retries() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let params = hosted(vec![inline_item(100, 1)]);

    fake.inject_fault(
        Fault::rate_limit()
            .should_retry(true)
            .retry_after(0)
            .times(2),
    );
    let ok = client
        .checkout_sessions()
        .create(&params)
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(ok.retries, 2);

    fake.inject_fault(Fault::rate_limit().should_retry(false));
    let e = client
        .checkout_sessions()
        .create(&params)
        .await
        .unwrap_err();
    assert_eq!(api_error(&e).0, 429);
    // As Stripe sends it today: the spec's error `type` has no `rate_limit_error`.
    assert_eq!(api_error(&e).1, "invalid_request_error");
    assert_eq!(api_error(&e).2.as_deref(), Some("rate_limit"));

    fake.inject_fault(Fault::status(503).times(5).method("GET"));
    let e = client
        .checkout_sessions()
        .list(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.api_error().unwrap().retries, 2);
    // Two of the five left: a retrying client gets through on the third attempt.
    assert!(client
        .checkout_sessions()
        .list(&Default::default())
        .await
        .is_ok());

    fake.inject_fault(Fault::drop_connection());
    let ok = client
        .checkout_sessions()
        .create(&params)
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(
        ok.retries, 1,
        "a dropped connection is retried with the same key"
    );
    let once = fake.client_builder().max_retries(0).build().unwrap();
    fake.inject_fault(Fault::drop_connection());
    assert!(once
        .checkout_sessions()
        .create(&params)
        .await
        .unwrap_err()
        .is_connection());

    fake.inject_fault(
        Fault::delay(Duration::from_millis(200)).path_prefix("/v1/checkout/sessions"),
    );
    let started = std::time::Instant::now();
    client
        .checkout_sessions()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn hosted_page_redirects() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let s = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(1500, 1)]))
        .await
        .unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = s.url.unwrap();
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Pay") && html.contains("Cancel") && html.contains("$15.00"));

    let cancel = http.post(format!("{url}/cancel")).send().await.unwrap();
    assert_eq!(cancel.status(), 303);
    assert_eq!(cancel.headers()["location"], "https://shop.test/cancel");
    // An empty form is refused beside each field; Stripe's test card pays.
    let empty = http.post(format!("{url}/pay")).send().await.unwrap();
    assert_eq!(empty.status(), 400);
    assert!(empty
        .text()
        .await
        .unwrap()
        .contains("This field is incomplete."));
    let pay = http
        .post(format!("{url}/pay"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=jenny%40example.com&card_number=4242424242424242&card_expiry=12%2F34&card_cvc=123&cardholder_name=Jenny+Rosen&billing%5Bcountry%5D=US")
        .send()
        .await
        .unwrap();
    assert_eq!(pay.status(), 303);
    assert_eq!(
        pay.headers()["location"].to_str().unwrap(),
        format!("https://shop.test/ok?session={}", s.id)
    );
    assert_eq!(
        fake.session(&s.id).unwrap().status,
        Some(CheckoutSessionStatus::Complete)
    );
    // A paid session's page says so and takes no second payment.
    let paid = http.get(&url).send().await.unwrap();
    assert_eq!(paid.status(), 200);
    assert!(paid
        .text()
        .await
        .unwrap()
        .contains("Thanks for your payment"));
    let again = http.post(format!("{url}/cancel")).send().await.unwrap();
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_recorded() {
    use std::sync::{Arc, Mutex};
    let fake = FakeStripe::start().await;
    fake.set_webhook_options(WebhookOptions {
        backoff: Duration::from_millis(5),
        ..Default::default()
    });
    // A receiver that fails the first attempt, then verifies signatures.
    let received: Arc<Mutex<Vec<(u16, String)>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let seen = Arc::clone(&seen);
                async move {
                    let sig = headers
                        .get("stripe-signature")
                        .map(|v| v.as_bytes().to_vec())
                        .unwrap_or_default();
                    let mut seen = seen.lock().unwrap();
                    let status = match Webhook::new("whsec_test").construct(&body, &sig[..]) {
                        Ok(event) if seen.is_empty() => {
                            seen.push((500, event.id.clone()));
                            500
                        }
                        Ok(event) => {
                            seen.push((200, event.type_.as_str().to_owned()));
                            200
                        }
                        Err(_) => {
                            seen.push((400, String::new()));
                            400
                        }
                    };
                    axum::http::StatusCode::from_u16(status).unwrap()
                }
            },
        ),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    fake.add_webhook_endpoint(
        WebhookEndpoint::new(format!("http://{addr}/hook"), "whsec_test")
            .enabled_events(["checkout.session.completed"]),
    );

    let client = fake.client();
    let s = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .idempotency_key("order-1")
        .await
        .unwrap();
    fake.complete_session(&s.id, Completion::paid()).unwrap();
    client
        .checkout_sessions()
        .expire(
            &client
                .checkout_sessions()
                .create(&hosted(vec![inline_item(100, 1)]))
                .await
                .unwrap()
                .id,
            &Default::default(),
        )
        .await
        .unwrap();
    let deliveries = fake.wait_for_deliveries(1, Duration::from_secs(5)).await;
    assert_eq!(deliveries.len(), 2, "{deliveries:?}");
    assert_eq!(deliveries[0].status, Some(500));
    assert_eq!(deliveries[1].attempt, 2);
    assert!(
        deliveries
            .iter()
            .all(|d| d.event_type == "checkout.session.completed"),
        "filtered: no expired event"
    );
    assert_eq!(
        received.lock().unwrap()[1],
        (200, "checkout.session.completed".to_owned())
    );
    // Both session events are recorded anyway (beside the payment intent's), and the expire's
    // carries its request's idempotency key.
    let events: Vec<_> = fake
        .events()
        .into_iter()
        .filter(|e| e.type_.is_checkout_session())
        .collect();
    assert_eq!(events.len(), 2);
    assert!(events[1]
        .request
        .as_ref()
        .is_some_and(|r| r.idempotency_key.is_some()));
}

#[tokio::test]
async fn out_of_order_and_twice() {
    use std::sync::{Arc, Mutex};
    let fake = FakeStripe::start().await;
    fake.set_webhook_options(WebhookOptions {
        out_of_order: true,
        deliver_twice: true,
        ..Default::default()
    });
    let order: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&order);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let seen = Arc::clone(&seen);
            async move {
                let v: Value = serde_json::from_str(&body).unwrap();
                seen.lock()
                    .unwrap()
                    .push(v["type"].as_str().unwrap().to_owned());
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    fake.add_webhook_endpoint(
        WebhookEndpoint::new(format!("http://{addr}/hook"), "whsec_x").enabled_events([
            "checkout.session.completed",
            "checkout.session.async_payment_succeeded",
        ]),
    );
    let client = fake.client();
    let s = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    fake.pause_webhooks();
    fake.complete_session(&s.id, Completion::delayed()).unwrap();
    fake.succeed_async_payment(&s.id).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    fake.resume_webhooks();
    fake.wait_for_deliveries(4, Duration::from_secs(5)).await;
    assert_eq!(
        *order.lock().unwrap(),
        [
            "checkout.session.async_payment_succeeded",
            "checkout.session.async_payment_succeeded",
            "checkout.session.completed",
            "checkout.session.completed"
        ]
    );
}

#[tokio::test]
async fn control_endpoints_drive_the_fake_over_http() {
    let fake = FakeStripe::start().await;
    let http = reqwest::Client::new();
    let base = fake.base_url();
    let post = |path: &str, body: &str| {
        http.post(format!("{base}{path}"))
            .body(body.to_owned())
            .send()
    };
    assert_eq!(
        post(
            "/_fake/prices",
            "id=price_http&unit_amount=300&currency=eur"
        )
        .await
        .unwrap()
        .status(),
        200
    );
    let client = fake.client();
    let mut params =
        CreateCheckoutSessionParams::hosted(CheckoutSessionMode::Payment, "https://x.test");
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some("price_http".into()),
        quantity: Some(2),
        ..Default::default()
    }]);
    let s = client.checkout_sessions().create(&params).await.unwrap();
    assert_eq!(s.amount_total, Some(600));
    let done: Value = post(
        &format!("/_fake/sessions/{}/complete", s.id),
        "email=b@example.com",
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(done["customer_details"]["email"], "b@example.com");
    let events: Value = http
        .get(format!("{base}/_fake/events"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(events["data"][0]["type"], "payment_intent.succeeded");
    assert_eq!(events["data"][1]["type"], "checkout.session.completed");
    assert_eq!(
        post("/_fake/faults", "kind=status&status=503&times=1")
            .await
            .unwrap()
            .status(),
        200
    );
    let e = fake
        .client_builder()
        .max_retries(0)
        .build()
        .unwrap()
        .checkout_sessions()
        .list(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    let clock: Value = post("/_fake/clock/advance", "seconds=90000")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(clock["now"].as_i64().unwrap() > s.created + 90000 - 5);
}

#[tokio::test]
async fn prose_rules_limits_and_line_item_pages() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let rule = |e: Error| {
        let api = e.api_error().cloned().unwrap();
        (api.status, api.error.param.unwrap_or_default())
    };
    // At most 100 line items in payment mode.
    let too_many = hosted((0..101).map(|_| inline_item(1, 1)).collect());
    let e = client
        .checkout_sessions()
        .create(&too_many)
        .await
        .unwrap_err();
    assert_eq!(rule(e), (400, "line_items".into()));
    // One currency.
    let mut eur = inline_item(100, 1);
    eur.price_data.as_mut().unwrap().currency = "eur".into();
    let e = client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1), eur]))
        .await
        .unwrap_err();
    assert_eq!(rule(e), (400, "line_items[1]".into()));
    // expires_at at most 24 h ahead, at least 30 min.
    let mut late = hosted(vec![inline_item(100, 1)]);
    late.expires_at = Some(fake.now() + 25 * 3600);
    assert_eq!(
        rule(client.checkout_sessions().create(&late).await.unwrap_err()),
        (400, "expires_at".into())
    );
    late.expires_at = Some(fake.now() + 3600);
    let s = client.checkout_sessions().create(&late).await.unwrap();
    assert_eq!(s.expires_at, late.expires_at.unwrap());
    fake.advance_clock(Duration::from_secs(3600));
    assert_eq!(
        fake.session(&s.id).unwrap().status,
        Some(CheckoutSessionStatus::Expired)
    );

    // Line items page like any list.
    let s = client
        .checkout_sessions()
        .create(&hosted((1..=25).map(|i| inline_item(i, 1)).collect()))
        .await
        .unwrap();
    let all = client
        .checkout_sessions()
        .list_line_items_auto_paging(
            &s.id,
            &ListCheckoutSessionLineItemsParams {
                limit: Some(10),
                ..Default::default()
            },
        )
        .collect_vec(100)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|i| i.amount_total).collect::<Vec<_>>(),
        (1..=25).collect::<Vec<_>>()
    );
    let expanded = client
        .checkout_sessions()
        .retrieve(
            &s.id,
            &RetrieveCheckoutSessionParams {
                expand: Some(vec!["line_items".into()]),
            },
        )
        .await
        .unwrap();
    let page = expanded.line_items.unwrap();
    assert_eq!(page.data.len(), 10);
    assert!(page.has_more);
    // Expanding something that cannot be expanded.
    let e = client
        .checkout_sessions()
        .retrieve(
            &s.id,
            &RetrieveCheckoutSessionParams {
                expand: Some(vec!["nope".into()]),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(rule(e), (400, "expand[0]".into()));
}

#[tokio::test]
async fn list_expansion_and_customer_filter() {
    let fake = FakeStripe::start().await;
    let client = fake.client();
    let mut params = hosted(vec![inline_item(100, 2)]);
    params.customer = Some("cus_known".into());
    let mine = client.checkout_sessions().create(&params).await.unwrap();
    client
        .checkout_sessions()
        .create(&hosted(vec![inline_item(100, 1)]))
        .await
        .unwrap();
    let list = client
        .checkout_sessions()
        .list(&ListCheckoutSessionParams {
            customer: Some("cus_known".into()),
            expand: Some(vec!["data.line_items".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].id, mine.id);
    assert_eq!(
        list.data[0].customer.as_ref().unwrap().id(),
        Some("cus_known")
    );
    assert_eq!(
        list.data[0].line_items.as_ref().unwrap().data[0].quantity,
        Some(2)
    );
    // On a list, expansions name `data.…`.
    let e = client
        .checkout_sessions()
        .list(&ListCheckoutSessionParams {
            expand: Some(vec!["line_items".into()]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        e.api_error().unwrap().error.param.as_deref(),
        Some("expand")
    );
    // A cursor that names nothing is resource_missing on the cursor.
    let e = client
        .checkout_sessions()
        .list(&ListCheckoutSessionParams {
            starting_after: Some("cs_test_nope".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let api = e.api_error().unwrap();
    assert_eq!(api.error.code.as_deref(), Some("resource_missing"));
    assert_eq!(api.error.param.as_deref(), Some("starting_after"));
}
