//! The generated endpoint methods (`client.checkout_sessions()...`) against wiremock: exact
//! method, path, query string or form body and headers of every request, and the typed result.

mod common;

use std::collections::BTreeMap;
use std::future::IntoFuture;

use common::{builder, client, header, KEY};
use futures_util::StreamExt;
use serde_json::{json, Value};
use stripe_checkout::{
    ApiErrorType, CheckoutSession, CheckoutSessionMode, CheckoutSessionObject,
    CheckoutSessionStatus, CheckoutSessionUiMode, CreateCheckoutSessionCustomText,
    CreateCheckoutSessionCustomTextSubmit, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionLineItemsPriceData, CreateCheckoutSessionLineItemsPriceDataProductData,
    CreateCheckoutSessionParams, CreateCheckoutSessionPaymentMethodTypes, CustomerObject,
    CustomerOrDeletedCustomer, Error, Expandable, ExpireCheckoutSessionParams, Item,
    ListCheckoutSessionCustomerDetails, ListCheckoutSessionLineItemsParams,
    ListCheckoutSessionParams, RetrieveCheckoutSessionParams, Unsettable, API_VERSION,
};
use wiremock::matchers::{any, method, path, path_regex, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SESSION_ID: &str = "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u";
const SESSIONS: &str = "/v1/checkout/sessions";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("request-id", "req_ok")
        .set_body_json(body)
}

/// A line item shaped like `seed_line_items.json`, with its own id.
fn line_item(id: &str) -> Value {
    let mut item = fixture("seed_line_items.json")["data"][0].clone();
    item["id"] = json!(id);
    item
}

fn line_items_page(session: &str, ids: &[&str], has_more: bool) -> Value {
    json!({
        "object": "list",
        "data": ids.iter().map(|id| line_item(id)).collect::<Vec<_>>(),
        "has_more": has_more,
        "url": format!("{SESSIONS}/{session}/line_items"),
    })
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

/// What one request must look like.
struct Expected<'a> {
    method: &'a str,
    path: &'a str,
    /// The exact query string; `None` for no `?` at all.
    query: Option<&'a str>,
    /// The exact form body (always `""` for GET).
    body: &'a str,
    /// `None`: a generated UUID v4 on POST and no header on GET; `Some`: exactly this key.
    idempotency_key: Option<&'a str>,
    stripe_account: Option<&'a str>,
}

impl<'a> Expected<'a> {
    fn get(path: &'a str, query: Option<&'a str>) -> Self {
        Expected {
            method: "GET",
            path,
            query,
            body: "",
            idempotency_key: None,
            stripe_account: None,
        }
    }

    fn post(path: &'a str, body: &'a str) -> Self {
        Expected {
            method: "POST",
            path,
            query: None,
            body,
            idempotency_key: None,
            stripe_account: None,
        }
    }

    fn key(mut self, key: &'a str) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    fn account(mut self, account: &'a str) -> Self {
        self.stripe_account = Some(account);
        self
    }

    /// Asserts everything about `r`; returns its `Idempotency-Key`, if any.
    fn check(&self, r: &Request) -> Option<String> {
        let what = format!("{} {}", self.method, self.path);
        assert_eq!(r.method.as_str(), self.method, "{what}");
        assert_eq!(r.url.path(), self.path, "{what}");
        assert_eq!(r.url.query(), self.query, "{what}");
        assert_eq!(r.url.fragment(), None, "{what}");
        assert_eq!(std::str::from_utf8(&r.body).unwrap(), self.body, "{what}");
        assert_eq!(
            header(r, "authorization"),
            Some(&*format!("Bearer {KEY}")),
            "{what}"
        );
        assert_eq!(header(r, "stripe-version"), Some(API_VERSION), "{what}");
        assert_eq!(header(r, "accept"), Some("application/json"), "{what}");
        assert_eq!(header(r, "stripe-account"), self.stripe_account, "{what}");
        let key = header(r, "idempotency-key");
        match (self.idempotency_key, self.method) {
            (Some(expected), _) => assert_eq!(key, Some(expected), "{what}"),
            (None, "POST") => assert!(key.is_some_and(is_uuid_v4), "{what}: key {key:?}"),
            (None, _) => assert_eq!(key, None, "{what}"),
        }
        if self.method == "POST" {
            assert_eq!(
                header(r, "content-type"),
                Some("application/x-www-form-urlencoded"),
                "{what}"
            );
        } else {
            assert_eq!(header(r, "content-type"), None, "{what}");
        }
        key.map(str::to_owned)
    }
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn payment_session_params() -> CreateCheckoutSessionParams {
    let mut gift_wrap = CreateCheckoutSessionLineItemsPriceData::new("usd");
    gift_wrap.unit_amount = Some(500);
    gift_wrap.product_data = Some(CreateCheckoutSessionLineItemsPriceDataProductData::new(
        "Gift wrap & card",
    ));

    let mut params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
    );
    params.cancel_url = Some("https://example.com/cart".into());
    params.line_items = Some(vec![
        CreateCheckoutSessionLineItems {
            price: Some("price_1N4AEsLkdIwHu7ix7Ssho8Cl".into()),
            quantity: Some(2),
            ..Default::default()
        },
        CreateCheckoutSessionLineItems {
            price_data: Some(gift_wrap),
            quantity: Some(1),
            ..Default::default()
        },
    ]);
    params.metadata = Some(BTreeMap::from([("order_id".into(), "6735".into())]));
    params.customer_email = Some("jenny+rosen@example.com".into());
    params.payment_method_types = Some(vec![CreateCheckoutSessionPaymentMethodTypes::Card]);
    params.expand = Some(vec!["line_items".into()]);
    // The Unsettable-typed params of create live in nested objects: set one, clear the other.
    params.custom_text = Some(CreateCheckoutSessionCustomText {
        shipping_address: Some(Unsettable::Unset),
        submit: Some(Unsettable::Set(CreateCheckoutSessionCustomTextSubmit::new(
            "Ships in 2 days.",
        ))),
        ..Default::default()
    });
    params
}

/// `payment_session_params()` as Stripe receives it: struct field order, which the generator
/// makes alphabetical by wire name; brackets literal, everything else percent-encoded.
const PAYMENT_SESSION_BODY: &str = "cancel_url=https%3A%2F%2Fexample.com%2Fcart\
    &custom_text[shipping_address]=\
    &custom_text[submit][message]=Ships%20in%202%20days.\
    &customer_email=jenny%2Brosen%40example.com\
    &expand[0]=line_items\
    &line_items[0][price]=price_1N4AEsLkdIwHu7ix7Ssho8Cl\
    &line_items[0][quantity]=2\
    &line_items[1][price_data][currency]=usd\
    &line_items[1][price_data][product_data][name]=Gift%20wrap%20%26%20card\
    &line_items[1][price_data][unit_amount]=500\
    &line_items[1][quantity]=1\
    &metadata[order_id]=6735\
    &mode=payment\
    &payment_method_types[0]=card\
    &success_url=https%3A%2F%2Fexample.com%2Fsuccess%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D";

fn order_id(session: &CheckoutSession) -> Option<&str> {
    session
        .metadata
        .as_ref()?
        .get("order_id")
        .map(String::as_str)
}

#[tokio::test]
async fn create_sends_the_exact_form_body_and_decodes_the_session() {
    let server = MockServer::start().await;
    let mut response = fixture("seed_session.json");
    response["line_items"] = fixture("seed_line_items.json");
    Mock::given(method("POST"))
        .and(path(SESSIONS))
        .respond_with(ok(response))
        .expect(1)
        .mount(&server)
        .await;

    let session = client(&server)
        .checkout_sessions()
        .create(&payment_session_params())
        .await
        .unwrap();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 1);
    Expected::post(SESSIONS, PAYMENT_SESSION_BODY).check(&requests[0]);

    assert_eq!(session.id, SESSION_ID);
    assert_eq!(session.object, CheckoutSessionObject::CheckoutSession);
    assert_eq!(session.amount_total, Some(2198));
    assert_eq!(session.mode, CheckoutSessionMode::Payment);
    assert_eq!(session.status, Some(CheckoutSessionStatus::Open));
    assert_eq!(order_id(&session), Some("6735"));
    assert_eq!(session.payment_method_types, ["card"]);
    assert!(session
        .url
        .as_deref()
        .unwrap()
        .starts_with(&format!("https://checkout.stripe.com/c/pay/{SESSION_ID}#")));
    let items = session.line_items.unwrap();
    assert_eq!(items.data.len(), 1);
    assert_eq!(items.data[0].description.as_deref(), Some("T-shirt"));
}

#[tokio::test]
async fn create_with_no_params_sends_an_empty_form() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    client(&server)
        .checkout_sessions()
        .create(&CreateCheckoutSessionParams::new())
        .await
        .unwrap();
    Expected::post(SESSIONS, "").check(&requests(&server).await[0]);
}

#[tokio::test]
async fn embedded_session_returns_its_client_secret() {
    let server = MockServer::start().await;
    let mut response = fixture("session_2026-08.json");
    response["ui_mode"] = json!("embedded_page");
    response["url"] = Value::Null;
    response["client_secret"] = json!("cs_test_a1_secret_abc");
    Mock::given(any())
        .respond_with(ok(response))
        .mount(&server)
        .await;
    let params = CreateCheckoutSessionParams::embedded(
        CheckoutSessionMode::Payment,
        "https://example.com/return?session_id={CHECKOUT_SESSION_ID}",
    );
    let session = client(&server)
        .checkout_sessions()
        .create(&params)
        .await
        .unwrap();
    Expected::post(
        SESSIONS,
        "mode=payment\
        &return_url=https%3A%2F%2Fexample.com%2Freturn%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D\
        &ui_mode=embedded_page",
    )
    .check(&requests(&server).await[0]);
    assert_eq!(session.ui_mode, Some(CheckoutSessionUiMode::EmbeddedPage));
    assert_eq!(
        session.client_secret.as_deref(),
        Some("cs_test_a1_secret_abc")
    );
    assert_eq!(session.url, None);
}

/// The seed session as `retrieve` returns it with `customer`, `payment_intent` and `line_items`
/// expanded.
fn expanded_session() -> Value {
    let mut session = fixture("seed_session.json");
    session["customer"] = json!({
        "id": "cus_NppuCQ8BD1GSpX", "object": "customer", "email": "jenny+rosen@example.com"
    });
    session["payment_intent"] = json!({
        "id": "pi_3N4BEoLkdIwHu7ix0u4jFnQJ", "object": "payment_intent", "amount": 2198
    });
    session["line_items"] = fixture("seed_line_items.json");
    session
}

#[tokio::test]
async fn retrieve_with_and_without_expand() {
    let server = MockServer::start().await;
    let session_path = format!("{SESSIONS}/{SESSION_ID}");
    Mock::given(method("GET"))
        .and(path(&*session_path))
        .and(query_param("expand[0]", "line_items"))
        .respond_with(ok(expanded_session()))
        .expect(1)
        .mount(&server)
        .await;
    let mut unexpanded = fixture("seed_session.json");
    unexpanded["customer"] = json!("cus_NppuCQ8BD1GSpX");
    unexpanded["payment_intent"] = json!("pi_3N4BEoLkdIwHu7ix0u4jFnQJ");
    Mock::given(method("GET"))
        .and(path(&*session_path))
        .and(query_param_is_missing("expand[0]"))
        .respond_with(ok(unexpanded))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let sessions = client.checkout_sessions();

    let params = RetrieveCheckoutSessionParams {
        expand: Some(vec![
            "line_items".into(),
            "customer".into(),
            "payment_intent".into(),
        ]),
    };
    let session = sessions.retrieve(SESSION_ID, &params).await.unwrap();

    let customer = session.customer.as_ref().unwrap();
    assert!(customer.is_object());
    assert_eq!(customer.id(), Some("cus_NppuCQ8BD1GSpX"));
    match customer.as_object() {
        Some(CustomerOrDeletedCustomer::Customer(c)) => {
            assert_eq!(c.object, CustomerObject::Customer)
        }
        other => panic!("expected a Customer, got {other:?}"),
    }
    let payment_intent = session.payment_intent.as_ref().unwrap();
    let Expandable::Object(pi) = payment_intent else {
        panic!("payment_intent not expanded: {payment_intent:?}");
    };
    assert_eq!(pi.id, "pi_3N4BEoLkdIwHu7ix0u4jFnQJ");
    assert_eq!(payment_intent.id(), Some("pi_3N4BEoLkdIwHu7ix0u4jFnQJ"));
    let line_items = session.line_items.as_ref().unwrap();
    assert!(!line_items.has_more);
    let item: &Item = &line_items.data[0];
    assert_eq!(item.id, "li_1N4BEoLkdIwHu7ixWtXug1yk");
    assert_eq!(item.quantity, Some(2));
    assert_eq!(item.amount_total, 2198);
    let price = item.price.as_ref().unwrap();
    assert_eq!(price.id, "price_1N4AEsLkdIwHu7ix7Ssho8Cl");
    assert_eq!(price.unit_amount, Some(1099));
    assert_eq!(price.product.id(), Some("prod_NppuJWzzNnD5Ut"));

    let session = sessions
        .retrieve(SESSION_ID, &RetrieveCheckoutSessionParams::default())
        .await
        .unwrap();
    assert_eq!(
        session.customer,
        Some(Expandable::Id("cus_NppuCQ8BD1GSpX".into()))
    );
    assert_eq!(
        session.customer.as_ref().unwrap().id(),
        Some("cus_NppuCQ8BD1GSpX")
    );
    assert!(session.customer.as_ref().unwrap().as_object().is_none());
    assert_eq!(
        session.payment_intent,
        Some(Expandable::Id("pi_3N4BEoLkdIwHu7ix0u4jFnQJ".into()))
    );
    assert_eq!(session.line_items, None);

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    Expected::get(
        &session_path,
        Some("expand[0]=line_items&expand[1]=customer&expand[2]=payment_intent"),
    )
    .check(&requests[0]);
    Expected::get(&session_path, None).check(&requests[1]);
}

fn session_with_id(id: &str) -> Value {
    let mut session = fixture("seed_session.json");
    session["id"] = json!(id);
    session
}

#[tokio::test]
async fn list_sends_the_exact_query_and_auto_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SESSIONS))
        .and(query_param("starting_after", "cs_test_prev"))
        .respond_with(ok(json!({
            "object": "list",
            "data": [session_with_id("cs_test_1"), session_with_id("cs_test_2")],
            "has_more": true,
            "url": SESSIONS,
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SESSIONS))
        .and(query_param("starting_after", "cs_test_2"))
        .respond_with(ok(json!({
            "object": "list",
            "data": [session_with_id("cs_test_3")],
            "has_more": false,
            "url": SESSIONS,
        })))
        .mount(&server)
        .await;
    let client = client(&server);

    // The 2023-08-16 spec has no `status` or `created` filter on this endpoint (both came later).
    let params = ListCheckoutSessionParams {
        customer: Some("cus_NppuCQ8BD1GSpX".into()),
        customer_details: Some(ListCheckoutSessionCustomerDetails::new(
            "jenny+rosen@example.com",
        )),
        expand: Some(vec!["data.line_items".into()]),
        limit: Some(2),
        payment_link: Some("plink_123".into()),
        starting_after: Some("cs_test_prev".into()),
        ..Default::default()
    };
    let page = client.checkout_sessions().list(&params).await.unwrap();
    assert!(page.has_more);
    assert_eq!(page.url, SESSIONS);
    let ids: Vec<&str> = page.data.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["cs_test_1", "cs_test_2"]);
    assert_eq!(page.data[0].mode, CheckoutSessionMode::Payment);

    let all: Vec<CheckoutSession> = client
        .checkout_sessions()
        .list_auto_paging(&params)
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["cs_test_1", "cs_test_2", "cs_test_3"]);

    const FILTERS: &str = "customer=cus_NppuCQ8BD1GSpX\
        &customer_details[email]=jenny%2Brosen%40example.com\
        &expand[0]=data.line_items\
        &limit=2\
        &payment_link=plink_123";
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    let first = format!("{FILTERS}&starting_after=cs_test_prev");
    Expected::get(SESSIONS, Some(&first)).check(&requests[0]);
    Expected::get(SESSIONS, Some(&first)).check(&requests[1]);
    let second = format!("{FILTERS}&starting_after=cs_test_2");
    Expected::get(SESSIONS, Some(&second)).check(&requests[2]);
}

#[tokio::test]
async fn list_line_items_one_page_and_auto_paging_across_three() {
    let server = MockServer::start().await;
    let items_path = format!("{SESSIONS}/{SESSION_ID}/line_items");
    let pages: [(Option<&str>, &[&str], bool); 3] = [
        (None, &["li_1", "li_2"], true),
        (Some("li_2"), &["li_3", "li_4"], true),
        (Some("li_4"), &["li_5"], false),
    ];
    for (cursor, ids, has_more) in pages {
        let mock = Mock::given(method("GET")).and(path(&*items_path));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("starting_after", cursor)),
            None => mock.and(query_param_is_missing("starting_after")),
        };
        mock.respond_with(ok(line_items_page(SESSION_ID, ids, has_more)))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let params = ListCheckoutSessionLineItemsParams {
        limit: Some(2),
        ..Default::default()
    };

    let page = client
        .checkout_sessions()
        .list_line_items(SESSION_ID, &params)
        .await
        .unwrap();
    assert!(page.has_more);
    assert_eq!(page.url, items_path);
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[0].id, "li_1");
    assert_eq!(page.data[0].description.as_deref(), Some("T-shirt"));
    assert_eq!(page.data[0].quantity, Some(2));
    assert_eq!(
        page.data[0].price.as_ref().map(|p| p.id.as_str()),
        Some("price_1N4AEsLkdIwHu7ix7Ssho8Cl")
    );

    let items: Vec<Item> = client
        .checkout_sessions()
        .list_line_items_auto_paging(SESSION_ID, &params)
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["li_1", "li_2", "li_3", "li_4", "li_5"]);
    assert!(items.iter().all(|i| i.amount_total == 2198));

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    Expected::get(&items_path, Some("limit=2")).check(&requests[0]);
    Expected::get(&items_path, Some("limit=2")).check(&requests[1]);
    Expected::get(&items_path, Some("limit=2&starting_after=li_2")).check(&requests[2]);
    Expected::get(&items_path, Some("limit=2&starting_after=li_4")).check(&requests[3]);
}

#[tokio::test]
async fn expire_posts_an_empty_body_with_a_key_and_takes_request_options() {
    let server = MockServer::start().await;
    let expire_path = format!("{SESSIONS}/{SESSION_ID}/expire");
    let mut expired = fixture("seed_session.json");
    expired["status"] = json!("expired");
    expired["url"] = Value::Null;
    Mock::given(method("POST"))
        .and(path(&*expire_path))
        .respond_with(ok(expired))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = ExpireCheckoutSessionParams::default();

    let session = client
        .checkout_sessions()
        .expire(SESSION_ID, &params)
        .await
        .unwrap();
    assert_eq!(session.status, Some(CheckoutSessionStatus::Expired));
    assert_eq!(session.url, None);

    client
        .checkout_sessions()
        .expire(SESSION_ID, &params)
        .idempotency_key("k1")
        .stripe_account("acct_1")
        .await
        .unwrap();
    // Options belong to one call: the next call through the same service value gets a fresh
    // generated key and the client's (no) account.
    let sessions = client.checkout_sessions();
    sessions
        .expire(
            SESSION_ID,
            &ExpireCheckoutSessionParams {
                expand: Some(vec!["payment_intent".into()]),
            },
        )
        .await
        .unwrap();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    Expected::post(&expire_path, "").check(&requests[0]);
    Expected::post(&expire_path, "")
        .key("k1")
        .account("acct_1")
        .check(&requests[1]);
    Expected::post(&expire_path, "expand[0]=payment_intent").check(&requests[2]);
    assert_ne!(header(&requests[2], "idempotency-key"), Some("k1"));
}

#[tokio::test]
async fn an_idempotency_key_is_sent_on_its_own_call_only() {
    // The new user's trial: a key given for create leaked onto the following retrieve (a GET)
    // and expire. Each call now carries its own options.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    let client = client(&server);
    let sessions = client.checkout_sessions();
    let create = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://example.com/success",
    );
    let created = sessions
        .create(&create)
        .idempotency_key("order-6735")
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(created.idempotency_key.as_deref(), Some("order-6735"));
    assert_eq!(created.request_id.as_deref(), Some("req_ok"));
    assert_eq!(created.status, 200);
    assert_eq!(created.retries, 0);
    sessions
        .retrieve(SESSION_ID, &RetrieveCheckoutSessionParams::default())
        .await
        .unwrap();
    let expired = sessions
        .expire(SESSION_ID, &ExpireCheckoutSessionParams::default())
        .send_with_meta()
        .await
        .unwrap();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(header(&requests[0], "idempotency-key"), Some("order-6735"));
    assert_eq!(header(&requests[1], "idempotency-key"), None);
    let generated = header(&requests[2], "idempotency-key").unwrap();
    assert_ne!(generated, "order-6735");
    // The generated key is reported back, so a caller can log it or retry with it.
    assert_eq!(expired.idempotency_key.as_deref(), Some(generated));
}

#[tokio::test]
async fn a_key_given_for_a_get_is_not_sent() {
    // Stripe ignores Idempotency-Key on GET; sending it would suggest it protects something.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    let retrieved = client(&server)
        .checkout_sessions()
        .retrieve(SESSION_ID, &RetrieveCheckoutSessionParams::default())
        .idempotency_key("order-6735")
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(retrieved.idempotency_key, None);
    let requests = requests(&server).await;
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_eq!(header(&requests[0], "idempotency-key"), None);
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ok(fixture("seed_session.json")).set_delay(std::time::Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let params = RetrieveCheckoutSessionParams::default();
    let err = client
        .checkout_sessions()
        .retrieve(SESSION_ID, &params)
        .timeout(std::time::Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // The next call has the client's 80 s default again.
    client
        .checkout_sessions()
        .retrieve(SESSION_ID, &params)
        .await
        .unwrap();
}

#[test]
fn endpoint_futures_are_send_and_static() {
    // Compile test: the futures own what they need (E0716 and `tokio::spawn` failed before).
    fn assert_send_static<F: std::future::Future + Send + 'static>(_: &F) {}
    let client = stripe_checkout::Client::new("sk_test_x");
    let params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://example.com/success",
    );
    let future = std::future::IntoFuture::into_future(client.checkout_sessions().create(&params));
    drop(params);
    drop(client);
    assert_send_static(&future);
    let meta = stripe_checkout::Client::new("sk_test_x")
        .checkout_sessions()
        .list(&ListCheckoutSessionParams::default())
        .send_with_meta();
    assert_send_static(&meta);
}

#[tokio::test]
async fn endpoint_futures_can_be_spawned_joined_and_raced() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = CreateCheckoutSessionParams::hosted(
        CheckoutSessionMode::Payment,
        "https://example.com/success",
    );

    let spawned = tokio::spawn(client.checkout_sessions().create(&params).into_future());
    let (a, b) = tokio::join!(
        client.checkout_sessions().create(&params),
        client
            .checkout_sessions()
            .retrieve(SESSION_ID, &RetrieveCheckoutSessionParams::default()),
    );
    let raced = tokio::select! {
        session = client.checkout_sessions().create(&params) => session,
        _ = tokio::time::sleep(std::time::Duration::from_secs(30)) => panic!("no answer"),
    };
    for session in [spawned.await.unwrap(), a, b, raced] {
        assert_eq!(session.unwrap().id, SESSION_ID);
    }
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn client_stripe_account_is_sent_and_request_options_override_it() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    let client = builder(&server)
        .stripe_account("acct_platform_default")
        .build()
        .unwrap();
    let params = RetrieveCheckoutSessionParams::default();
    client
        .checkout_sessions()
        .retrieve(SESSION_ID, &params)
        .await
        .unwrap();
    client
        .checkout_sessions()
        .retrieve(SESSION_ID, &params)
        .stripe_account("acct_1")
        .await
        .unwrap();

    let session_path = format!("{SESSIONS}/{SESSION_ID}");
    let requests = requests(&server).await;
    Expected::get(&session_path, None)
        .account("acct_platform_default")
        .check(&requests[0]);
    Expected::get(&session_path, None)
        .account("acct_1")
        .check(&requests[1]);
}

#[tokio::test]
async fn hostile_session_ids_stay_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(path_regex("/line_items$"))
        .respond_with(ok(line_items_page(SESSION_ID, &["li_1"], false)))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    let client = client(&server);
    let sessions = client.checkout_sessions();
    let cases = [
        (
            "cs_test/../../v1/customers?x=1#frag",
            "cs_test%2F..%2F..%2Fv1%2Fcustomers%3Fx%3D1%23frag",
        ),
        ("cs_tëst_🎉 x", "cs_t%C3%ABst_%F0%9F%8E%89%20x"),
        ("%2E%2E", "%252E%252E"),
        ("...", "..."),
    ];
    let mut expected = Vec::new();
    for (id, encoded) in cases {
        sessions
            .retrieve(id, &RetrieveCheckoutSessionParams::default())
            .await
            .unwrap();
        sessions
            .expire(id, &ExpireCheckoutSessionParams::default())
            .await
            .unwrap();
        sessions
            .list_line_items(id, &Default::default())
            .await
            .unwrap();
        expected.push(("GET", format!("{SESSIONS}/{encoded}")));
        expected.push(("POST", format!("{SESSIONS}/{encoded}/expire")));
        expected.push(("GET", format!("{SESSIONS}/{encoded}/line_items")));
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), expected.len());
    for (request, (method, path)) in received.iter().zip(&expected) {
        let exp = match *method {
            "GET" => Expected::get(path, None),
            _ => Expected::post(path, ""),
        };
        exp.check(request);
    }

    // Ids no URL can carry as one segment (dot segments, empty) are refused before sending.
    for id in ["..", ".", ""] {
        let refused = |result: Result<_, Error>| match result {
            Err(Error::Encode(e)) => e.to_string(),
            other => panic!("id {id:?}: expected Error::Encode, got {other:?}"),
        };
        refused(
            sessions
                .retrieve(id, &RetrieveCheckoutSessionParams::default())
                .await
                .map(drop),
        );
        refused(
            sessions
                .expire(id, &ExpireCheckoutSessionParams::default())
                .await
                .map(drop),
        );
        refused(
            sessions
                .list_line_items(id, &Default::default())
                .await
                .map(drop),
        );
        let stream: Vec<Result<Item, Error>> = sessions
            .list_line_items_auto_paging(id, &Default::default())
            .collect()
            .await;
        assert_eq!(stream.len(), 1, "id {id:?}");
        assert!(matches!(stream[0], Err(Error::Encode(_))), "id {id:?}");
    }
    assert_eq!(requests(&server).await.len(), expected.len());
}

#[tokio::test]
async fn api_errors_come_back_typed_through_generated_methods() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "req_123")
                .set_body_json(json!({"error": {
                    "type": "invalid_request_error",
                    "code": "resource_missing",
                    "message": "No such checkout.session: 'cs_x'",
                    "param": "session",
                    "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
                }})),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .checkout_sessions()
        .retrieve("cs_x", &RetrieveCheckoutSessionParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req_123"));
    assert!(!err.is_retryable());
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.request_id.as_deref(), Some("req_123"));
    assert_eq!(api.error.r#type, ApiErrorType::InvalidRequestError);
    assert_eq!(api.error.code.as_deref(), Some("resource_missing"));
    assert_eq!(
        api.error.message.as_deref(),
        Some("No such checkout.session: 'cs_x'")
    );
    assert_eq!(api.error.param.as_deref(), Some("session"));
    assert_eq!(
        api.error.doc_url.as_deref(),
        Some("https://stripe.com/docs/error-codes/resource-missing")
    );
    let shown = err.to_string();
    assert!(
        shown.contains("404") && shown.contains("resource_missing"),
        "{shown}"
    );
    assert!(shown.contains("req_123"), "{shown}");
    assert!(!shown.contains(KEY) && !format!("{err:?}").contains(KEY));

    // The same through a POST and through the paginator; a 404 is not retried.
    let err = client
        .checkout_sessions()
        .expire("cs_x", &ExpireCheckoutSessionParams::default())
        .await
        .unwrap_err();
    assert_eq!(
        err.api_error().and_then(|e| e.error.code.as_deref()),
        Some("resource_missing")
    );
    let stream: Vec<Result<Item, Error>> = client
        .checkout_sessions()
        .list_line_items_auto_paging("cs_x", &Default::default())
        .collect()
        .await;
    assert_eq!(stream.len(), 1);
    assert_eq!(
        stream[0].as_ref().unwrap_err().request_id(),
        Some("req_123")
    );

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    Expected::get("/v1/checkout/sessions/cs_x", None).check(&requests[0]);
    Expected::post("/v1/checkout/sessions/cs_x/expire", "").check(&requests[1]);
    Expected::get("/v1/checkout/sessions/cs_x/line_items", None).check(&requests[2]);
}

/// The steps of `examples/checkout_flow.rs`: create, redirect URL, retrieve with line items
/// expanded, walk the line items, expire.
#[tokio::test]
async fn seed_workflow() {
    let server = MockServer::start().await;
    let session_path = format!("{SESSIONS}/{SESSION_ID}");
    let items_path = format!("{session_path}/line_items");
    let expire_path = format!("{session_path}/expire");
    Mock::given(method("POST"))
        .and(path(SESSIONS))
        .respond_with(ok(fixture("seed_session.json")))
        .mount(&server)
        .await;
    let mut with_items = fixture("seed_session.json");
    with_items["line_items"] = line_items_page(SESSION_ID, &["li_1"], true);
    Mock::given(method("GET"))
        .and(path(&*session_path))
        .respond_with(ok(with_items))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&*items_path))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ok(line_items_page(SESSION_ID, &["li_1", "li_2"], true)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&*items_path))
        .and(query_param("starting_after", "li_2"))
        .respond_with(ok(line_items_page(SESSION_ID, &["li_3"], false)))
        .mount(&server)
        .await;
    let mut expired = fixture("seed_session.json");
    expired["status"] = json!("expired");
    Mock::given(method("POST"))
        .and(path(&*expire_path))
        .respond_with(ok(expired))
        .mount(&server)
        .await;
    let client = client(&server);
    let sessions = client.checkout_sessions();

    let session = sessions.create(&payment_session_params()).await.unwrap();
    let redirect = session.url.as_deref().unwrap();
    assert!(redirect.starts_with("https://checkout.stripe.com/c/pay/cs_test_"));

    let retrieved = sessions
        .retrieve(
            &session.id,
            &RetrieveCheckoutSessionParams {
                expand: Some(vec!["line_items".into()]),
            },
        )
        .await
        .unwrap();
    assert_eq!(retrieved.line_items.as_ref().unwrap().data[0].id, "li_1");

    let items: Vec<Item> = sessions
        .list_line_items_auto_paging(
            &session.id,
            &ListCheckoutSessionLineItemsParams {
                limit: Some(2),
                ..Default::default()
            },
        )
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["li_1", "li_2", "li_3"]);

    let expired = sessions
        .expire(&session.id, &ExpireCheckoutSessionParams::default())
        .await
        .unwrap();
    assert_eq!(expired.status, Some(CheckoutSessionStatus::Expired));
    assert_eq!(order_id(&expired), Some("6735"));

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 5);
    let create_key = Expected::post(SESSIONS, PAYMENT_SESSION_BODY).check(&requests[0]);
    Expected::get(&session_path, Some("expand[0]=line_items")).check(&requests[1]);
    Expected::get(&items_path, Some("limit=2")).check(&requests[2]);
    Expected::get(&items_path, Some("limit=2&starting_after=li_2")).check(&requests[3]);
    let expire_key = Expected::post(&expire_path, "").check(&requests[4]);
    assert_ne!(create_key, expire_key);
}

#[tokio::test]
async fn update_sends_shipping_details_line_items_options_and_unset_metadata() {
    use stripe_checkout::{
        UpdateCheckoutSessionCollectedInformation,
        UpdateCheckoutSessionCollectedInformationShippingDetails,
        UpdateCheckoutSessionCollectedInformationShippingDetailsAddress,
        UpdateCheckoutSessionLineItems, UpdateCheckoutSessionParams,
        UpdateCheckoutSessionShippingOptions,
    };
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(fixture("session_2026-08.json")))
        .mount(&server)
        .await;

    let mut address =
        UpdateCheckoutSessionCollectedInformationShippingDetailsAddress::new("US", "1 Main St");
    address.postal_code = Some("94107".into());
    let mut params = UpdateCheckoutSessionParams::new();
    params.collected_information = Some(UpdateCheckoutSessionCollectedInformation {
        shipping_details: Some(
            UpdateCheckoutSessionCollectedInformationShippingDetails::new(address, "Jenny Rosen"),
        ),
    });
    params.line_items = Some(vec![
        // An existing line item, by id: change its quantity.
        UpdateCheckoutSessionLineItems {
            id: Some("li_1".into()),
            quantity: Some(3),
            ..Default::default()
        },
        // A new one.
        UpdateCheckoutSessionLineItems {
            price: Some("price_2".into()),
            quantity: Some(1),
            ..Default::default()
        },
    ]);
    params.shipping_options = Some(Unsettable::Set(vec![
        UpdateCheckoutSessionShippingOptions {
            shipping_rate: Some("shr_1".into()),
            ..Default::default()
        },
    ]));
    params.metadata = Some(Unsettable::Unset);

    let session = client(&server)
        .checkout_sessions()
        .update(SESSION_ID, &params)
        .await
        .unwrap();
    assert!(session.id.starts_with("cs_"));
    Expected::post(
        &format!("{SESSIONS}/{SESSION_ID}"),
        "collected_information[shipping_details][address][country]=US\
        &collected_information[shipping_details][address][line1]=1%20Main%20St\
        &collected_information[shipping_details][address][postal_code]=94107\
        &collected_information[shipping_details][name]=Jenny%20Rosen\
        &line_items[0][id]=li_1\
        &line_items[0][quantity]=3\
        &line_items[1][price]=price_2\
        &line_items[1][quantity]=1\
        &metadata=\
        &shipping_options[0][shipping_rate]=shr_1",
    )
    .check(&requests(&server).await[0]);
}

#[tokio::test]
async fn list_filters_by_created_range_status_and_customer_account() {
    use stripe_checkout::{ListCheckoutSessionCreated, ListCheckoutSessionCreatedRangeQuerySpecs};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!({
            "object": "list", "data": [fixture("session_2026-08.json")],
            "has_more": false, "url": SESSIONS
        })))
        .mount(&server)
        .await;
    let params = ListCheckoutSessionParams {
        created: Some(ListCheckoutSessionCreated::RangeQuerySpecs(
            ListCheckoutSessionCreatedRangeQuerySpecs {
                gte: Some(1_700_000_000),
                lt: Some(1_800_000_000),
                ..Default::default()
            },
        )),
        status: Some(CheckoutSessionStatus::Complete),
        customer_account: Some("acct_1".into()),
        ..Default::default()
    };
    let page = client(&server)
        .checkout_sessions()
        .list(&params)
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    Expected::get(
        SESSIONS,
        Some("created[gte]=1700000000&created[lt]=1800000000&customer_account=acct_1&status=complete"),
    )
    .check(&requests(&server).await[0]);

    // A single timestamp instead of a range.
    let exact = ListCheckoutSessionParams {
        created: Some(ListCheckoutSessionCreated::Integer(1_700_000_000)),
        ..Default::default()
    };
    client(&server)
        .checkout_sessions()
        .list(&exact)
        .await
        .unwrap();
    Expected::get(SESSIONS, Some("created=1700000000")).check(&requests(&server).await[1]);
}
