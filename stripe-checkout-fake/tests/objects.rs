//! What a completed Checkout Session leaves behind, over raw HTTP and through the crate's
//! client: customers, payment intents (charge, payment method), subscriptions and invoices,
//! setup intents; their events in order with `data.object` equal to a retrieve; expansion from
//! the session (also nested); lists and their filters; renewals, failed renewals and
//! cancellations on the fake clock; the Events API; webhook endpoints' `enabled_events`.
//!
//! Sources: <https://docs.stripe.com/payments/checkout/fulfill-orders>,
//! <https://docs.stripe.com/billing/subscriptions/webhooks>,
//! <https://docs.stripe.com/api/customers>, <https://docs.stripe.com/api/payment_intents>,
//! <https://docs.stripe.com/api/subscriptions>, <https://docs.stripe.com/api/invoices>,
//! <https://docs.stripe.com/api/setup_intents>, <https://docs.stripe.com/api/events>,
//! <https://docs.stripe.com/api/expanding_objects>.

use std::time::Duration;

use serde_json::{json, Value};
use stripe_checkout::{CustomerOrDeletedCustomer, Expandable, RetrieveCheckoutSessionParams};
use stripe_checkout_fake::{Completion, FakePrice, FakeStripe, PostalAddress, TEST_KEY};

const DAY: i64 = 86_400;

/// One request with the test key; POST bodies form-encoded, DELETE params in the query.
async fn call(fake: &FakeStripe, method: &str, path: &str, body: &str) -> (u16, Value) {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", fake.base_url());
    let req = match method {
        "GET" => http.get(url),
        "DELETE" if body.is_empty() => http.delete(url),
        "DELETE" => http.delete(format!("{url}?{body}")),
        _ => http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned()),
    };
    let req = if path.starts_with("/_fake/") {
        req
    } else {
        req.bearer_auth(TEST_KEY)
    };
    let response = req.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
    (status, json)
}

async fn get(fake: &FakeStripe, path: &str) -> Value {
    let (status, json) = call(fake, "GET", path, "").await;
    assert_eq!(status, 200, "GET {path}: {json}");
    json
}

async fn post(fake: &FakeStripe, path: &str, body: &str) -> Value {
    let (status, json) = call(fake, "POST", path, body).await;
    assert_eq!(status, 200, "POST {path} {body}: {json}");
    json
}

#[track_caller]
fn assert_error(got: &(u16, Value), status: u16, param: Option<&str>, fragment: &str) {
    let (s, body) = got;
    assert_eq!(*s, status, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert_eq!(body["error"]["param"].as_str(), param, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(fragment),
        "{message:?} should contain {fragment:?}"
    );
}

fn ids(list: &Value) -> Vec<String> {
    assert_eq!(list["object"], "list", "{list}");
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The fake's events of the given types, oldest first, as raw JSON.
async fn events_of(fake: &FakeStripe, types: &[&str]) -> Vec<Value> {
    let all = get(fake, "/_fake/events").await;
    all["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| types.is_empty() || types.contains(&e["type"].as_str().unwrap()))
        .cloned()
        .collect()
}

async fn event_types(fake: &FakeStripe) -> Vec<String> {
    events_of(fake, &[])
        .await
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

/// A shop: a monthly "Pro" plan at $15.00 and a one-time $5.00 setup fee.
async fn shop() -> FakeStripe {
    let fake = FakeStripe::start().await;
    fake.register_price(
        FakePrice::recurring("price_pro", 1500, "usd", "month").product_name("Pro"),
    );
    fake.register_price(FakePrice::one_time("price_setup", 500, "usd").product_name("Setup"));
    fake.register_price(FakePrice::one_time("price_book", 2000, "usd").product_name("Book"));
    fake
}

const OK: &str = "success_url=https://shop.test/ok";

async fn create_session(fake: &FakeStripe, body: &str) -> String {
    post(fake, "/v1/checkout/sessions", &format!("{OK}&{body}")).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn subscribe(fake: &FakeStripe, extra: &str) -> (String, Value) {
    let id = create_session(
        fake,
        &format!("mode=subscription&line_items[0][price]=price_pro&line_items[0][quantity]=2&line_items[1][price]=price_setup&line_items[1][quantity]=1&subscription_data[metadata][plan]=pro&subscription_data[description]=Pro%20plan{extra}"),
    )
    .await;
    let session = post(
        fake,
        &format!("/_fake/sessions/{id}/complete"),
        "email=ada@example.com&name=Ada%20Lovelace&phone=%2B441234567&address[country]=GB&address[city]=London&address[line1]=12%20St%20James%27s%20Sq",
    )
    .await;
    (id, session)
}

#[tokio::test]
async fn payment_mode_makes_a_payment_intent_with_charge_and_no_customer_by_default() {
    let fake = shop().await;
    let id = create_session(
        &fake,
        "mode=payment&line_items[0][price]=price_book&line_items[0][quantity]=2&payment_intent_data[metadata][order]=A-1&payment_intent_data[description]=Two%20books&payment_intent_data[receipt_email]=r@example.com",
    )
    .await;
    let session = fake.complete_session(&id, Completion::paid()).unwrap();
    // customer_creation=if_required (the default): a guest, no Customer object.
    assert!(session.customer.is_none());
    let json = fake.session_json(&id).unwrap();
    let pi_id = json["payment_intent"].as_str().unwrap().to_owned();

    let pi = get(&fake, &format!("/v1/payment_intents/{pi_id}")).await;
    assert_eq!(pi["object"], "payment_intent");
    assert_eq!(pi["status"], "succeeded");
    assert_eq!(pi["amount"], 4000);
    assert_eq!(pi["amount_received"], 4000);
    assert_eq!(pi["currency"], "usd");
    assert_eq!(pi["customer"], Value::Null);
    assert_eq!(pi["metadata"], json!({ "order": "A-1" }));
    assert_eq!(pi["description"], "Two books");
    assert_eq!(pi["receipt_email"], "r@example.com");
    assert_eq!(pi["capture_method"], "automatic_async");
    assert!(pi["client_secret"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{pi_id}_secret_")));
    // Every property of the 2026 object is there.
    for key in [
        "application",
        "canceled_at",
        "last_payment_error",
        "next_action",
        "payment_method_types",
        "setup_future_usage",
        "shipping",
        "transfer_data",
    ] {
        assert!(pi.get(key).is_some(), "{key} in {pi}");
    }

    let charge_id = pi["latest_charge"].as_str().unwrap();
    assert!(charge_id.starts_with("ch_"));
    let charge = get(&fake, &format!("/v1/charges/{charge_id}")).await;
    assert_eq!(charge["amount"], 4000);
    assert_eq!(charge["amount_captured"], 4000);
    assert_eq!(charge["paid"], true);
    assert_eq!(charge["status"], "succeeded");
    assert_eq!(charge["payment_intent"], pi_id.as_str());
    assert_eq!(charge["metadata"], json!({ "order": "A-1" }));
    assert_eq!(
        charge["billing_details"]["email"],
        "jenny.rosen@example.com"
    );
    let pm = get(
        &fake,
        &format!("/v1/payment_intents/{pi_id}?expand[]=payment_method&expand[]=latest_charge"),
    )
    .await;
    assert_eq!(pm["payment_method"]["card"]["last4"], "4242");
    assert_eq!(pm["payment_method"]["type"], "card");
    assert!(
        pm["payment_method"].get("sepa_debit").is_none(),
        "only its own type"
    );
    assert_eq!(pm["latest_charge"]["id"], charge_id);
    let method = get(
        &fake,
        &format!(
            "/v1/payment_methods/{}",
            pi["payment_method"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(method["billing_details"]["name"], "Jenny Rosen");

    // The payment intent's event, then the session's; data.object is what a retrieve returns.
    assert_eq!(
        event_types(&fake).await,
        ["payment_intent.succeeded", "checkout.session.completed"]
    );
    let event = &events_of(&fake, &["payment_intent.succeeded"]).await[0];
    assert_eq!(event["data"]["object"], pi);
    // The typed view.
    let typed = fake.payment_intent(&pi_id).unwrap();
    assert_eq!(typed.id, pi_id);
    assert_eq!(typed.extra["amount"], 4000);
    // No customers were made.
    assert_eq!(
        ids(&get(&fake, "/v1/customers").await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn customer_creation_always_makes_the_customer_with_the_collected_details() {
    let fake = shop().await;
    let id = create_session(&fake, "mode=payment&customer_creation=always&locale=fr&line_items[0][price]=price_book&line_items[0][quantity]=1").await;
    let how = Completion::paid()
        .email("ada@example.com")
        .phone("+441234567")
        .address(PostalAddress {
            country: Some("GB".into()),
            city: Some("London".into()),
            ..PostalAddress::default()
        });
    fake.complete_session(&id, how).unwrap();
    let session = fake.session_json(&id).unwrap();
    let cus = session["customer"].as_str().unwrap();
    let customer = get(&fake, &format!("/v1/customers/{cus}")).await;
    assert_eq!(customer["object"], "customer");
    assert_eq!(customer["email"], "ada@example.com");
    assert_eq!(customer["name"], "Jenny Rosen");
    assert_eq!(customer["phone"], "+441234567");
    assert_eq!(customer["address"]["country"], "GB");
    assert_eq!(customer["address"]["city"], "London");
    assert_eq!(customer["address"]["line1"], Value::Null);
    assert_eq!(customer["preferred_locales"], json!(["fr"]));
    assert_eq!(customer["balance"], 0);
    assert!(customer.get("tax").is_none(), "tax only when expanded");
    let pi = get(
        &fake,
        &format!(
            "/v1/payment_intents/{}",
            session["payment_intent"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(pi["customer"], cus);

    assert_eq!(
        event_types(&fake).await,
        [
            "customer.created",
            "payment_intent.succeeded",
            "checkout.session.completed"
        ]
    );
    assert_eq!(
        events_of(&fake, &["customer.created"]).await[0]["data"]["object"],
        customer
    );

    // Expanded through the crate's client: the typed Expandable decodes the whole object.
    let client = fake.client();
    let params = RetrieveCheckoutSessionParams {
        expand: Some(vec!["customer".into(), "payment_intent".into()]),
    };
    let typed = client
        .checkout_sessions()
        .retrieve(&id, &params)
        .await
        .unwrap();
    match typed.customer {
        Some(Expandable::Object(c)) => match *c {
            CustomerOrDeletedCustomer::Customer(c) => {
                assert_eq!(c.id, cus);
                assert_eq!(c.extra["email"], "ada@example.com");
            }
            other => panic!("a customer: {other:?}"),
        },
        other => panic!("an expanded customer: {other:?}"),
    }
    match typed.payment_intent {
        Some(Expandable::Object(pi)) => assert_eq!(pi.extra["status"], "succeeded"),
        other => panic!("an expanded payment intent: {other:?}"),
    }
    // Listed by email.
    assert_eq!(
        ids(&get(&fake, "/v1/customers?email=ada@example.com").await),
        [cus]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/customers?email=other@example.com").await),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/payment_intents?customer={cus}")).await),
        [pi["id"].as_str().unwrap()]
    );
}

#[tokio::test]
async fn delayed_payments_are_processing_then_succeed_or_fail() {
    let fake = shop().await;
    let body = "mode=payment&payment_method_types[]=card&payment_method_types[]=sepa_debit&line_items[0][price]=price_book&line_items[0][quantity]=1";
    let ok = create_session(&fake, body).await;
    let bad = create_session(&fake, body).await;
    for id in [&ok, &bad] {
        fake.complete_session(id, Completion::delayed()).unwrap();
    }
    let pi_of = |id: &str| {
        fake.session_json(id).unwrap()["payment_intent"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (pi_ok, pi_bad) = (pi_of(&ok), pi_of(&bad));
    let pi = get(
        &fake,
        &format!("/v1/payment_intents/{pi_ok}?expand[]=payment_method&expand[]=latest_charge"),
    )
    .await;
    assert_eq!(pi["status"], "processing");
    assert_eq!(pi["amount_received"], 0);
    assert_eq!(pi["payment_method"]["type"], "sepa_debit");
    assert_eq!(pi["latest_charge"]["status"], "pending");

    fake.succeed_async_payment(&ok).unwrap();
    fake.fail_async_payment(&bad).unwrap();
    let pi = get(
        &fake,
        &format!("/v1/payment_intents/{pi_ok}?expand[]=latest_charge"),
    )
    .await;
    assert_eq!(pi["status"], "succeeded");
    assert_eq!(pi["amount_received"], 2000);
    assert_eq!(pi["latest_charge"]["status"], "succeeded");
    let failed = get(
        &fake,
        &format!("/v1/payment_intents/{pi_bad}?expand[]=latest_charge"),
    )
    .await;
    assert_eq!(failed["status"], "requires_payment_method");
    assert_eq!(failed["payment_method"], Value::Null);
    assert_eq!(
        failed["last_payment_error"]["code"],
        "payment_intent_payment_attempt_failed"
    );
    assert_eq!(failed["latest_charge"]["status"], "failed");

    assert_eq!(
        event_types(&fake).await,
        [
            "payment_intent.processing",
            "checkout.session.completed",
            "payment_intent.processing",
            "checkout.session.completed",
            "payment_intent.succeeded",
            "checkout.session.async_payment_succeeded",
            "payment_intent.payment_failed",
            "checkout.session.async_payment_failed",
        ]
    );
    assert_eq!(
        events_of(&fake, &["payment_intent.payment_failed"]).await[0]["data"]["object"],
        get(&fake, &format!("/v1/payment_intents/{pi_bad}")).await
    );
}

#[tokio::test]
async fn manual_capture_leaves_the_payment_intent_requiring_capture() {
    let fake = shop().await;
    let id = create_session(&fake, "mode=payment&payment_intent_data[capture_method]=manual&line_items[0][price]=price_book&line_items[0][quantity]=1").await;
    fake.complete_session(&id, Completion::paid()).unwrap();
    let pi = get(
        &fake,
        &format!(
            "/v1/payment_intents/{}",
            fake.session_json(&id).unwrap()["payment_intent"]
                .as_str()
                .unwrap()
        ),
    )
    .await;
    assert_eq!(pi["status"], "requires_capture");
    assert_eq!(pi["amount_capturable"], 2000);
    assert_eq!(pi["amount_received"], 0);
    assert_eq!(
        event_types(&fake).await,
        [
            "payment_intent.amount_capturable_updated",
            "checkout.session.completed"
        ]
    );
}

#[tokio::test]
async fn subscription_mode_makes_customer_subscription_and_a_paid_first_invoice() {
    let fake = shop().await;
    let now = fake.now();
    let (id, session) = subscribe(&fake, "").await;
    assert_eq!(session["payment_status"], "paid");
    assert_eq!(session["amount_total"], 3500);
    let cus = session["customer"].as_str().unwrap();
    let sub_id = session["subscription"].as_str().unwrap();
    let in_id = session["invoice"].as_str().unwrap();

    let customer = get(&fake, &format!("/v1/customers/{cus}")).await;
    assert_eq!(customer["email"], "ada@example.com");
    assert_eq!(customer["name"], "Ada Lovelace");
    assert_eq!(customer["phone"], "+441234567");
    assert_eq!(customer["address"]["line1"], "12 St James's Sq");

    let sub = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(sub["object"], "subscription");
    assert_eq!(sub["status"], "active");
    assert_eq!(sub["customer"], cus);
    assert_eq!(sub["currency"], "usd");
    assert_eq!(sub["metadata"], json!({ "plan": "pro" }));
    assert_eq!(sub["description"], "Pro plan");
    assert_eq!(sub["latest_invoice"], in_id);
    assert_eq!(sub["cancel_at_period_end"], false);
    assert!(sub["default_payment_method"]
        .as_str()
        .unwrap()
        .starts_with("pm_"));
    // Only the recurring line item becomes a subscription item; the period is on the item
    // (API 2025-03-31 onward), one calendar month from now.
    let items = sub["items"]["data"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["price"]["id"], "price_pro");
    assert_eq!(items[0]["quantity"], 2);
    let start = items[0]["current_period_start"].as_i64().unwrap();
    let end = items[0]["current_period_end"].as_i64().unwrap();
    assert!((now..now + 5).contains(&start), "{start} vs {now}");
    assert!(
        (28 * DAY..=31 * DAY).contains(&(end - start)),
        "a month: {}",
        end - start
    );
    assert!(
        sub.get("current_period_end").is_none(),
        "not on the 2026 subscription"
    );
    assert_eq!(sub["billing_cycle_anchor"], start);

    let invoice = get(&fake, &format!("/v1/invoices/{in_id}")).await;
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["billing_reason"], "subscription_create");
    assert_eq!(invoice["customer"], cus);
    assert_eq!(invoice["customer_email"], "ada@example.com");
    assert_eq!(
        invoice["parent"]["subscription_details"]["subscription"],
        sub_id
    );
    assert_eq!(
        invoice["parent"]["subscription_details"]["metadata"],
        json!({ "plan": "pro" })
    );
    for key in ["total", "amount_due", "amount_paid", "subtotal"] {
        assert_eq!(invoice[key], 3500, "{key}");
    }
    assert_eq!(invoice["amount_remaining"], 0);
    let lines = invoice["lines"]["data"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["amount"], 3000);
    assert_eq!(lines[0]["description"], "2 × Pro (at $15.00 / month)");
    assert_eq!(lines[0]["pricing"]["price_details"]["price"], "price_pro");
    assert_eq!(
        lines[0]["parent"]["subscription_item_details"]["subscription_item"],
        items[0]["id"]
    );
    assert_eq!(lines[0]["period"], json!({ "start": start, "end": end }));
    assert_eq!(lines[1]["amount"], 500);
    let number = invoice["number"].as_str().unwrap();
    assert_eq!(
        number,
        format!("{}-0001", customer["invoice_prefix"].as_str().unwrap())
    );

    // The documented order, each data.object what a retrieve returns.
    assert_eq!(
        event_types(&fake).await,
        [
            "customer.created",
            "customer.subscription.created",
            "invoice.paid",
            "invoice.payment_succeeded",
            "checkout.session.completed"
        ]
    );
    assert_eq!(
        events_of(&fake, &["customer.subscription.created"]).await[0]["data"]["object"],
        sub
    );
    assert_eq!(
        events_of(&fake, &["invoice.paid"]).await[0]["data"]["object"],
        invoice
    );

    // Lists a shop uses: a customer's subscriptions, a subscription's invoices.
    assert_eq!(
        ids(&get(&fake, &format!("/v1/subscriptions?customer={cus}")).await),
        [sub_id]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/subscriptions?customer=cus_other").await),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&get(&fake, "/v1/subscriptions?price=price_pro").await),
        [sub_id]
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/invoices?subscription={sub_id}")).await),
        [in_id]
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/invoices?customer={cus}&status=paid")).await),
        [in_id]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/invoices?status=open").await),
        Vec::<String>::new()
    );
    let expanded = get(
        &fake,
        &format!("/v1/invoices?subscription={sub_id}&expand[]=data.customer"),
    )
    .await;
    assert_eq!(expanded["data"][0]["customer"]["email"], "ada@example.com");
    assert_error(
        &call(&fake, "GET", "/v1/invoices?expand[]=customer", "").await,
        400,
        Some("expand[0]"),
        "data.customer",
    );

    // Typed: the fake's Rust API and the client's expansions (also nested).
    let typed = fake.subscription(sub_id).unwrap();
    assert_eq!(typed.extra["status"], "active");
    assert_eq!(fake.invoice(in_id).unwrap().extra["amount_paid"], 3500);
    assert_eq!(
        fake.customer(cus).unwrap().extra["email"],
        "ada@example.com"
    );
    let client = fake.client();
    let params = RetrieveCheckoutSessionParams {
        expand: Some(vec!["subscription.latest_invoice".into(), "invoice".into()]),
    };
    let session = client
        .checkout_sessions()
        .retrieve(&id, &params)
        .await
        .unwrap();
    let Some(Expandable::Object(sub)) = session.subscription else {
        panic!("an expanded subscription")
    };
    assert_eq!(sub.id, sub_id);
    assert_eq!(sub.extra["latest_invoice"]["id"], in_id);
    assert_eq!(sub.extra["latest_invoice"]["status"], "paid");
    let Some(Expandable::Object(invoice)) = session.invoice else {
        panic!("an expanded invoice")
    };
    assert_eq!(invoice.id, in_id);
    // Paths that name nothing expandable are refused, as Stripe refuses them.
    assert_error(
        &call(
            &fake,
            "GET",
            &format!("/v1/checkout/sessions/{id}?expand[]=subscription.items"),
            "",
        )
        .await,
        400,
        Some("expand[0]"),
        "cannot be expanded",
    );
    assert_error(
        &call(
            &fake,
            "GET",
            &format!("/v1/checkout/sessions/{id}?expand[]=subscription.nothing"),
            "",
        )
        .await,
        400,
        Some("expand[0]"),
        "cannot be expanded",
    );
}

#[tokio::test]
async fn renewals_follow_the_clock_and_a_failed_renewal_makes_it_past_due() {
    let fake = shop().await;
    let (_, session) = subscribe(&fake, "").await;
    let sub_id = session["subscription"].as_str().unwrap().to_owned();
    let first_invoice = session["invoice"].as_str().unwrap().to_owned();
    let sub = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await;
    let end = sub["items"]["data"][0]["current_period_end"]
        .as_i64()
        .unwrap();
    let before = event_types(&fake).await.len();

    // Not yet: a second short of the period end.
    let now = fake.now();
    fake.advance_clock(Duration::from_secs((end - now - 2).max(0) as u64));
    assert_eq!(event_types(&fake).await.len(), before);
    // Past it: a new paid invoice for the items (the setup fee is not billed again).
    fake.advance_clock(Duration::from_secs(5));
    let renewed = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(renewed["status"], "active");
    let item = &renewed["items"]["data"][0];
    assert_eq!(item["current_period_start"], end);
    let next = item["current_period_end"].as_i64().unwrap();
    assert!((28 * DAY..=31 * DAY).contains(&(next - end)));
    let invoice_id = renewed["latest_invoice"].as_str().unwrap().to_owned();
    assert_ne!(invoice_id, first_invoice);
    let invoice = get(&fake, &format!("/v1/invoices/{invoice_id}")).await;
    assert_eq!(invoice["billing_reason"], "subscription_cycle");
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["total"], 3000);
    assert_eq!(
        invoice["lines"]["data"][0]["period"],
        json!({ "start": end, "end": next })
    );
    assert_eq!(
        invoice["lines"]["data"][0]["description"],
        "2 × Pro (at $15.00 / month)"
    );
    assert_eq!(invoice["period_end"], end);
    assert!(invoice["number"].as_str().unwrap().ends_with("-0002"));
    let types = event_types(&fake).await;
    assert_eq!(
        types[before..],
        [
            "invoice.paid",
            "invoice.payment_succeeded",
            "customer.subscription.updated"
        ]
    );
    let updated = events_of(&fake, &["customer.subscription.updated"])
        .await
        .pop()
        .unwrap();
    assert_eq!(updated["data"]["object"], renewed);
    assert_eq!(
        updated["data"]["previous_attributes"]["latest_invoice"],
        first_invoice.as_str()
    );
    assert_eq!(
        updated["data"]["previous_attributes"]["items"]["data"][0]["current_period_end"],
        end
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/invoices?subscription={sub_id}")).await),
        [invoice_id.as_str(), first_invoice.as_str()]
    );

    // The next renewal fails (Rust API here; the HTTP control below).
    let marked = fake.fail_next_renewal(&sub_id).unwrap();
    assert_eq!(marked.id, sub_id);
    fake.advance_clock(Duration::from_secs((next - fake.now() + 1) as u64));
    let past_due = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(past_due["status"], "past_due");
    let failed = get(
        &fake,
        &format!(
            "/v1/invoices/{}",
            past_due["latest_invoice"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(failed["status"], "open");
    assert_eq!(failed["amount_paid"], 0);
    assert_eq!(failed["amount_remaining"], 3000);
    assert_eq!(failed["attempted"], true);
    let types = event_types(&fake).await;
    assert_eq!(
        types[types.len() - 2..],
        ["invoice.payment_failed", "customer.subscription.updated"]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/invoices?status=open").await),
        [failed["id"].as_str().unwrap()]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/subscriptions?status=past_due").await),
        [sub_id.as_str()]
    );

    // The following renewal is paid again: active.
    let third = past_due["items"]["data"][0]["current_period_end"]
        .as_i64()
        .unwrap();
    fake.advance_clock(Duration::from_secs((third - fake.now() + 1) as u64));
    assert_eq!(
        get(&fake, &format!("/v1/subscriptions/{sub_id}")).await["status"],
        "active"
    );

    // The control endpoint, as strict as /v1.
    let path = format!("/_fake/subscriptions/{sub_id}/fail_next_renewal");
    assert_eq!(post(&fake, &path, "").await["id"], sub_id.as_str());
    let unknown = call(&fake, "POST", &path, "times=2").await;
    assert_eq!(unknown.1["error"]["code"], "parameter_unknown");
    assert_error(
        &call(
            &fake,
            "POST",
            "/_fake/subscriptions/sub_nope/fail_next_renewal",
            "",
        )
        .await,
        404,
        Some("subscription"),
        "No such subscription: 'sub_nope'",
    );
    let fourth = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await["items"]["data"][0]
        ["current_period_end"]
        .as_i64()
        .unwrap();
    post(
        &fake,
        "/_fake/clock/advance",
        &format!("seconds={}", fourth - fake.now() + 1),
    )
    .await;
    assert_eq!(
        get(&fake, &format!("/v1/subscriptions/{sub_id}")).await["status"],
        "past_due"
    );
}

#[tokio::test]
async fn a_long_clock_step_renews_once_per_period() {
    let fake = FakeStripe::start().await;
    fake.register_price(FakePrice::recurring("price_weekly", 700, "eur", "week"));
    let id = create_session(
        &fake,
        "mode=subscription&line_items[0][price]=price_weekly&line_items[0][quantity]=1",
    )
    .await;
    fake.complete_session(&id, Completion::paid()).unwrap();
    let sub_id = fake.session_json(&id).unwrap()["subscription"]
        .as_str()
        .unwrap()
        .to_owned();
    fake.advance_clock(Duration::from_secs(3 * 7 * DAY as u64 + 60));
    let invoices = get(
        &fake,
        &format!("/v1/invoices?subscription={sub_id}&limit=100"),
    )
    .await;
    assert_eq!(ids(&invoices).len(), 4, "the first and three renewals");
    let starts: Vec<i64> = invoices["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["lines"]["data"][0]["period"]["start"].as_i64().unwrap())
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] - w[1] == 7 * DAY),
        "{starts:?}"
    );
    assert_eq!(invoices["data"][0]["currency"], "eur");
}

#[tokio::test]
async fn trials_start_trialing_with_a_zero_invoice_and_bill_when_they_end() {
    let fake = shop().await;
    let now = fake.now();
    let (_, session) = subscribe(&fake, "&subscription_data[trial_period_days]=14").await;
    assert_eq!(session["payment_status"], "no_payment_required");
    let sub_id = session["subscription"].as_str().unwrap().to_owned();
    let sub = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(sub["status"], "trialing");
    let trial_end = sub["trial_end"].as_i64().unwrap();
    assert!((now + 14 * DAY..now + 14 * DAY + 5).contains(&trial_end));
    assert_eq!(sub["items"]["data"][0]["current_period_end"], trial_end);
    assert_eq!(sub["billing_cycle_anchor"], trial_end);
    let invoice = get(
        &fake,
        &format!("/v1/invoices/{}", session["invoice"].as_str().unwrap()),
    )
    .await;
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["total"], 0);
    assert_eq!(
        invoice["lines"]["data"][0]["description"],
        "Trial period for Pro"
    );

    fake.advance_clock(Duration::from_secs(15 * DAY as u64));
    let active = get(&fake, &format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(active["status"], "active");
    let bill = get(
        &fake,
        &format!(
            "/v1/invoices/{}",
            active["latest_invoice"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(bill["total"], 3000);
    let updated = events_of(&fake, &["customer.subscription.updated"])
        .await
        .pop()
        .unwrap();
    assert_eq!(updated["data"]["previous_attributes"]["status"], "trialing");
}

#[tokio::test]
async fn cancelling_now_or_at_period_end() {
    let fake = shop().await;
    let (_, first) = subscribe(&fake, "").await;
    let (_, second) = subscribe(&fake, "").await;
    let now_id = first["subscription"].as_str().unwrap().to_owned();
    let later_id = second["subscription"].as_str().unwrap().to_owned();

    // DELETE ends it now.
    let (status, canceled) = call(
        &fake,
        "DELETE",
        &format!("/v1/subscriptions/{now_id}"),
        "cancellation_details[comment]=too%20pricey",
    )
    .await;
    assert_eq!(status, 200, "{canceled}");
    assert_eq!(canceled["status"], "canceled");
    assert_eq!(canceled["canceled_at"], canceled["ended_at"]);
    assert_eq!(
        canceled["cancellation_details"]["reason"],
        "cancellation_requested"
    );
    assert_eq!(canceled["cancellation_details"]["comment"], "too pricey");
    let deleted = events_of(&fake, &["customer.subscription.deleted"]).await;
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["data"]["object"]["id"], now_id.as_str());
    assert_error(
        &call(&fake, "DELETE", &format!("/v1/subscriptions/{now_id}"), "").await,
        400,
        None,
        "already canceled",
    );
    assert_error(
        &call(
            &fake,
            "POST",
            &format!("/v1/subscriptions/{now_id}"),
            "cancel_at_period_end=true",
        )
        .await,
        400,
        Some("cancel_at_period_end"),
        "A canceled subscription can only update its cancellation_details and metadata.",
    );
    assert_error(
        &call(
            &fake,
            "DELETE",
            &format!("/v1/subscriptions/{later_id}"),
            "invoice_now=true",
        )
        .await,
        400,
        Some("invoice_now"),
        "stripe-checkout-fake does not support",
    );
    // Canceled subscriptions are listed only when asked for.
    assert_eq!(
        ids(&get(&fake, "/v1/subscriptions").await),
        [later_id.as_str()]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/subscriptions?status=canceled").await),
        [now_id.as_str()]
    );
    assert_eq!(
        ids(&get(&fake, "/v1/subscriptions?status=all").await),
        [later_id.as_str(), now_id.as_str()]
    );

    // cancel_at_period_end: updated now, deleted at the period end, no renewal invoice.
    let updated = post(
        &fake,
        &format!("/v1/subscriptions/{later_id}"),
        "cancel_at_period_end=true&metadata[reason]=moving",
    )
    .await;
    let end = updated["items"]["data"][0]["current_period_end"]
        .as_i64()
        .unwrap();
    assert_eq!(updated["status"], "active");
    assert_eq!(updated["cancel_at_period_end"], true);
    assert_eq!(updated["cancel_at"], end);
    assert_eq!(
        updated["metadata"],
        json!({ "plan": "pro", "reason": "moving" })
    );
    let event = events_of(&fake, &["customer.subscription.updated"])
        .await
        .pop()
        .unwrap();
    assert_eq!(event["data"]["object"], updated);
    assert_eq!(
        event["data"]["previous_attributes"]["cancel_at_period_end"],
        false
    );
    assert_eq!(
        event["data"]["previous_attributes"]["metadata"],
        json!({ "plan": "pro" })
    );
    assert!(event["request"]["id"].as_str().unwrap().starts_with("req_"));
    fake.advance_clock(Duration::from_secs((end - fake.now() + 1) as u64));
    let ended = get(&fake, &format!("/v1/subscriptions/{later_id}")).await;
    assert_eq!(ended["status"], "canceled");
    assert_eq!(ended["ended_at"], end);
    assert_eq!(
        events_of(&fake, &["customer.subscription.deleted"])
            .await
            .len(),
        2
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/invoices?subscription={later_id}")).await).len(),
        1
    );
    // Other updates are refused by name.
    assert_error(
        &call(
            &fake,
            "POST",
            &format!("/v1/subscriptions/{later_id}"),
            "items[0][price]=price_pro",
        )
        .await,
        400,
        Some("items"),
        "stripe-checkout-fake does not support `items`",
    );
}

#[tokio::test]
async fn setup_mode_makes_a_succeeded_setup_intent_with_a_payment_method() {
    let fake = shop().await;
    let id = create_session(
        &fake,
        "mode=setup&currency=usd&setup_intent_data[metadata][purpose]=later",
    )
    .await;
    fake.complete_session(&id, Completion::paid()).unwrap();
    let seti = fake.session_json(&id).unwrap()["setup_intent"]
        .as_str()
        .unwrap()
        .to_owned();
    let intent = get(&fake, &format!("/v1/setup_intents/{seti}")).await;
    assert_eq!(intent["status"], "succeeded");
    assert_eq!(intent["usage"], "off_session");
    assert_eq!(intent["metadata"], json!({ "purpose": "later" }));
    let pm = intent["payment_method"].as_str().unwrap();
    assert_eq!(
        get(&fake, &format!("/v1/payment_methods/{pm}")).await["card"]["last4"],
        "4242"
    );
    assert_eq!(
        event_types(&fake).await,
        ["setup_intent.succeeded", "checkout.session.completed"]
    );
    assert_eq!(
        fake.setup_intent(&seti).unwrap().extra["status"],
        "succeeded"
    );
    let params = RetrieveCheckoutSessionParams {
        expand: Some(vec!["setup_intent".into()]),
    };
    let session = fake
        .client()
        .checkout_sessions()
        .retrieve(&id, &params)
        .await
        .unwrap();
    match session.setup_intent {
        Some(Expandable::Object(si)) => assert_eq!(si.extra["payment_method"], pm),
        other => panic!("an expanded setup intent: {other:?}"),
    }
}

#[tokio::test]
async fn customers_over_v1_create_update_delete() {
    let fake = shop().await;
    let created = post(
        &fake,
        "/v1/customers",
        "email=grace@example.com&name=Grace&metadata[crm]=42&address[country]=US",
    )
    .await;
    let cus = created["id"].as_str().unwrap().to_owned();
    assert!(cus.starts_with("cus_"));
    assert_eq!(created["address"]["country"], "US");
    assert_eq!(created["address"]["city"], Value::Null);
    assert_eq!(created["metadata"], json!({ "crm": "42" }));
    let updated = post(
        &fake,
        &format!("/v1/customers/{cus}"),
        "name=Grace%20Hopper&metadata[crm]=",
    )
    .await;
    assert_eq!(updated["name"], "Grace Hopper");
    assert_eq!(updated["metadata"], json!({}));
    let event = events_of(&fake, &["customer.updated"]).await.pop().unwrap();
    assert_eq!(
        event["data"]["previous_attributes"],
        json!({ "name": "Grace", "metadata": { "crm": "42" } })
    );
    assert_error(
        &call(
            &fake,
            "POST",
            "/v1/customers",
            "payment_method=pm_card_visa",
        )
        .await,
        400,
        Some("payment_method"),
        "does not support",
    );

    // A session for that customer: the subscription is the customer's, no new customer.
    let id = create_session(&fake, &format!("mode=subscription&customer={cus}&line_items[0][price]=price_pro&line_items[0][quantity]=1")).await;
    fake.complete_session(&id, Completion::paid()).unwrap();
    let sub_id = fake.session_json(&id).unwrap()["subscription"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        events_of(&fake, &["customer.created"]).await.len(),
        1,
        "only the one made over /v1"
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/subscriptions?customer={cus}")).await),
        [sub_id.as_str()]
    );

    // Deleting the customer cancels its subscriptions.
    let (status, deleted) = call(&fake, "DELETE", &format!("/v1/customers/{cus}"), "").await;
    assert_eq!(status, 200);
    assert_eq!(
        deleted,
        json!({ "id": cus, "object": "customer", "deleted": true })
    );
    assert_eq!(
        get(&fake, &format!("/v1/subscriptions/{sub_id}")).await["status"],
        "canceled"
    );
    let types = event_types(&fake).await;
    assert_eq!(
        types[types.len() - 2..],
        ["customer.subscription.deleted", "customer.deleted"]
    );
    assert_eq!(get(&fake, &format!("/v1/customers/{cus}")).await, deleted);
    assert_eq!(
        ids(&get(&fake, "/v1/customers").await),
        Vec::<String>::new()
    );
    assert_error(
        &call(&fake, "GET", "/v1/customers/cus_nope", "").await,
        404,
        Some("id"),
        "No such customer: 'cus_nope'",
    );
}

#[tokio::test]
async fn events_api_lists_newest_first_with_filters_and_pages() {
    let fake = shop().await;
    subscribe(&fake, "").await;
    let all = get(&fake, "/v1/events?limit=100").await;
    let types: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "checkout.session.completed",
            "invoice.payment_succeeded",
            "invoice.paid",
            "customer.subscription.created",
            "customer.created"
        ]
    );
    assert_eq!(all["url"], "/v1/events");

    let one = get(&fake, "/v1/events?type=invoice.paid").await;
    assert_eq!(one["data"].as_array().unwrap().len(), 1);
    let id = one["data"][0]["id"].as_str().unwrap();
    assert_eq!(
        get(&fake, &format!("/v1/events/{id}")).await,
        one["data"][0]
    );
    assert_eq!(ids(&get(&fake, "/v1/events?type=invoice.*").await).len(), 2);
    assert_eq!(
        ids(&get(
            &fake,
            "/v1/events?types[]=customer.created&types[]=checkout.session.completed"
        )
        .await)
        .len(),
        2
    );
    assert_error(
        &call(
            &fake,
            "GET",
            "/v1/events?type=invoice.paid&types[]=invoice.paid",
            "",
        )
        .await,
        400,
        Some("types"),
        "not both",
    );
    let created = all["data"][0]["created"].as_i64().unwrap();
    assert_eq!(
        ids(&get(&fake, &format!("/v1/events?created[gt]={created}")).await).len(),
        0
    );
    assert_eq!(
        ids(&get(&fake, &format!("/v1/events?created[lte]={created}")).await).len(),
        5
    );

    let page1 = get(&fake, "/v1/events?limit=2").await;
    assert_eq!(page1["has_more"], true);
    let after = page1["data"][1]["id"].as_str().unwrap();
    let page2 = get(&fake, &format!("/v1/events?limit=2&starting_after={after}")).await;
    assert_eq!(page2["data"][0]["type"], "invoice.paid");
    assert_error(
        &call(&fake, "GET", "/v1/events/evt_nope", "").await,
        404,
        Some("id"),
        "No such event: 'evt_nope'",
    );
    // Another account sees none of them.
    let http = reqwest::Client::new();
    let other: Value = http
        .get(format!("{}/v1/events", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .header("Stripe-Account", "acct_other")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other["data"], json!([]));
}

#[tokio::test]
async fn webhook_endpoints_receive_only_their_enabled_events() {
    let fake = shop().await;
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = std::sync::Arc::clone(&received);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let seen = std::sync::Arc::clone(&seen);
            async move {
                let event: Value = serde_json::from_str(&body).unwrap();
                seen.lock()
                    .unwrap()
                    .push(event["type"].as_str().unwrap().to_owned());
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    post(
        &fake,
        "/_fake/webhook_endpoints",
        &format!("url=http://{addr}/hook&secret=whsec_x&enabled_events[]=invoice.paid&enabled_events[]=customer.subscription.created"),
    )
    .await;
    subscribe(&fake, "").await;
    fake.wait_for_deliveries(2, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut got = received.lock().unwrap().clone();
    got.sort();
    assert_eq!(got, ["customer.subscription.created", "invoice.paid"]);
}

#[tokio::test]
async fn operations_the_fake_does_not_perform_are_refused_clearly() {
    let fake = shop().await;
    let (_, session) = subscribe(&fake, "").await;
    let invoice = session["invoice"].as_str().unwrap();
    for (method, path, body) in [
        ("POST", "/v1/payment_intents", "amount=100&currency=usd"),
        ("POST", "/v1/subscriptions", "customer=cus_1"),
        ("POST", "/v1/invoices", "customer=cus_1"),
    ] {
        assert_error(
            &call(&fake, method, path, body).await,
            400,
            None,
            "stripe-checkout-fake does not support",
        );
    }
    assert_error(
        &call(&fake, "DELETE", &format!("/v1/invoices/{invoice}"), "").await,
        400,
        None,
        "You can only delete draft invoices.",
    );
    let updated = post(
        &fake,
        &format!("/v1/invoices/{invoice}"),
        "metadata[receipt]=sent",
    )
    .await;
    assert_eq!(updated["metadata"], json!({ "receipt": "sent" }));
    assert_error(
        &call(
            &fake,
            "POST",
            &format!("/v1/invoices/{invoice}"),
            "footer=Thanks",
        )
        .await,
        400,
        Some("footer"),
        "does not support",
    );
    // Validated against the spec first, as everything on /v1.
    let bad = call(&fake, "GET", "/v1/subscriptions?limit=abc", "").await;
    assert_eq!(bad.1["error"]["code"], "parameter_invalid_integer");
    assert_error(
        &call(&fake, "GET", "/v1/invoices/in_nope", "").await,
        404,
        Some("id"),
        "No such invoice: 'in_nope'",
    );
}
