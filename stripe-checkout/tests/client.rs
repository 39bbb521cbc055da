//! Requests as Stripe sees them: headers, bodies, query strings, paths; error bodies and
//! undecodable responses; secret redaction.

mod common;

use common::{builder, client, header, KEY};
use serde::Deserialize;
use serde_json::{json, Value};
use stripe_checkout::form::{FormValue, FormWriter};
use stripe_checkout::{
    encode_path_segment, ApiErrorType, Client, EncodeError, Error, Method, API_VERSION,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("request-id", "req_ok")
        .set_body_json(body)
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

struct LineItem {
    price: &'static str,
    quantity: u32,
}

impl FormValue for LineItem {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.field("price", &self.price)?;
        w.field("quantity", &self.quantity)
    }
}

struct CreateParams {
    line_items: Vec<LineItem>,
    mode: &'static str,
    success_url: &'static str,
    metadata: std::collections::BTreeMap<String, String>,
}

impl FormValue for CreateParams {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.field("line_items", &self.line_items)?;
        w.field("mode", &self.mode)?;
        w.field("success_url", &self.success_url)?;
        w.field("metadata", &self.metadata)
    }
}

fn create_params() -> CreateParams {
    CreateParams {
        line_items: vec![LineItem {
            price: "price_123",
            quantity: 2,
        }],
        mode: "payment",
        success_url: "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
        metadata: [("order".to_owned(), "#42 & more".to_owned())].into(),
    }
}

#[tokio::test]
async fn post_sends_headers_and_exact_form_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .respond_with(ok(json!({"id": "cs_test_1", "object": "checkout.session"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let session: Value = client
        .send(Method::Post, "/v1/checkout/sessions", &create_params())
        .await
        .unwrap();
    assert_eq!(session["id"], "cs_test_1");
    let _: Value = client
        .send(Method::Post, "/v1/checkout/sessions", &create_params())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let r = &requests[0];
    assert_eq!(r.url.query(), None);
    assert_eq!(
        std::str::from_utf8(&r.body).unwrap(),
        "line_items[0][price]=price_123&line_items[0][quantity]=2&mode=payment\
         &success_url=https%3A%2F%2Fexample.com%2Fsuccess%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D\
         &metadata[order]=%2342%20%26%20more"
    );
    assert_eq!(header(r, "authorization"), Some(&*format!("Bearer {KEY}")));
    assert_eq!(header(r, "stripe-version"), Some(API_VERSION));
    assert_eq!(
        header(r, "user-agent"),
        Some(&*format!(
            "stripe-checkout-rust/{}",
            env!("CARGO_PKG_VERSION")
        ))
    );
    let ua: Value = serde_json::from_str(header(r, "x-stripe-client-user-agent").unwrap()).unwrap();
    assert_eq!(ua["lang"], "rust");
    assert_eq!(ua["bindings_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        header(r, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(header(r, "stripe-account"), None);

    // Every POST gets its own generated key.
    let k0 = header(&requests[0], "idempotency-key").unwrap();
    let k1 = header(&requests[1], "idempotency-key").unwrap();
    assert!(is_uuid_v4(k0), "{k0}");
    assert!(is_uuid_v4(k1), "{k1}");
    assert_ne!(k0, k1);
}

#[tokio::test]
async fn generated_keys_stay_unique_past_one_batch_of_randomness() {
    // Keys come from random bytes fetched 32 keys at a time: 100 calls cross three refills.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok(json!({"id": "cs_1"})))
        .mount(&server)
        .await;
    let client = client(&server);
    for _ in 0..100 {
        let _: Value = client
            .send(Method::Post, "/v1/checkout/sessions", &())
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let keys: std::collections::HashSet<&str> = requests
        .iter()
        .map(|r| header(r, "idempotency-key").unwrap())
        .collect();
    assert_eq!(keys.len(), 100);
    assert!(keys.iter().all(|k| is_uuid_v4(k)), "{keys:?}");
}

#[tokio::test]
async fn caller_idempotency_key_and_stripe_account_override() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok(json!({"id": "cs_1"})))
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .stripe_account("acct_client")
        .build()
        .unwrap();

    let _: Value = client
        .send(Method::Post, "/v1/checkout/sessions", &())
        .await
        .unwrap();
    let _: Value = client
        .send(Method::Post, "/v1/checkout/sessions/cs_1/expire", &())
        .idempotency_key("order-42")
        .stripe_account("acct_request")
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(header(&requests[0], "stripe-account"), Some("acct_client"));
    assert_eq!(header(&requests[1], "stripe-account"), Some("acct_request"));
    assert_eq!(header(&requests[1], "idempotency-key"), Some("order-42"));
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[1].url.path(), "/v1/checkout/sessions/cs_1/expire");
}

#[tokio::test]
async fn get_sends_params_in_the_query_string() {
    struct Created {
        gte: i64,
    }
    impl FormValue for Created {
        fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
            w.field("gte", &self.gte)
        }
    }
    struct ListParams {
        limit: u8,
        created: Created,
        expand: Vec<&'static str>,
        starting_after: Option<String>,
        customer_details: std::collections::BTreeMap<&'static str, &'static str>,
    }
    impl FormValue for ListParams {
        fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
            w.field("limit", &self.limit)?;
            w.field("created", &self.created)?;
            w.field("expand", &self.expand)?;
            w.field("starting_after", &self.starting_after)?;
            w.field("customer_details", &self.customer_details)
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/checkout/sessions"))
        .respond_with(ok(json!({"object": "list", "data": [], "has_more": false, "url": "/v1/checkout/sessions"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = ListParams {
        limit: 3,
        created: Created { gte: 1_700_000_000 },
        expand: vec!["data.line_items", "data.customer"],
        starting_after: None,
        customer_details: [("email", "a+b@example.com")].into(),
    };
    let list: Value = client
        .send(Method::Get, "/v1/checkout/sessions", &params)
        .await
        .unwrap();
    assert_eq!(list["data"], json!([]));

    // No params, no `?`.
    let _: Value = client
        .send(Method::Get, "/v1/checkout/sessions", &())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let r = &requests[0];
    assert_eq!(
        r.url.query(),
        Some(
            "limit=3&created[gte]=1700000000&expand[0]=data.line_items&expand[1]=data.customer\
             &customer_details[email]=a%2Bb%40example.com"
        )
    );
    assert!(r.body.is_empty());
    assert_eq!(header(r, "idempotency-key"), None);
    assert_eq!(header(r, "content-type"), None);
    assert_eq!(header(r, "authorization"), Some(&*format!("Bearer {KEY}")));
    assert_eq!(header(r, "stripe-version"), Some(API_VERSION));
    assert_eq!(requests[1].url.query(), None);
}

#[tokio::test]
async fn delete_sends_params_in_the_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ok(json!({"id": "x", "deleted": true})))
        .mount(&server)
        .await;
    let _: Value = client(&server)
        .send(Method::Delete, "/v1/things/x", &json!({"expand": ["a"]}))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/v1/things/x");
    assert_eq!(requests[0].url.query(), Some("expand[0]=a"));
    assert!(requests[0].body.is_empty());
}

#[tokio::test]
async fn hostile_ids_stay_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!({"id": "whatever"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let cases = [
        (
            "cs_test/../../v1/customers?x=1#f",
            "/v1/checkout/sessions/cs_test%2F..%2F..%2Fv1%2Fcustomers%3Fx%3D1%23f",
        ),
        ("a b%20c", "/v1/checkout/sessions/a%20b%2520c"),
        ("é/🎉", "/v1/checkout/sessions/%C3%A9%2F%F0%9F%8E%89"),
        ("...", "/v1/checkout/sessions/..."),
        ("cs_test_a1-B.~", "/v1/checkout/sessions/cs_test_a1-B.~"),
    ];
    for (id, _) in &cases {
        let path = format!("/v1/checkout/sessions/{}", encode_path_segment(id));
        let _: Value = client.send(Method::Get, &path, &()).await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), cases.len());
    for (request, (id, expected)) in requests.iter().zip(&cases) {
        assert_eq!(request.url.path(), *expected, "id {id:?}");
        assert_eq!(request.url.query(), None, "id {id:?}");
        assert_eq!(request.url.fragment(), None, "id {id:?}");
    }

    // Ids no URL can carry as a segment are refused before anything is sent.
    for id in ["..", ".", ""] {
        let path = format!("/v1/checkout/sessions/{}", encode_path_segment(id));
        let result: Result<Value, Error> = client.send(Method::Get, &path, &()).await;
        assert!(
            matches!(result, Err(Error::Encode(_))),
            "id {id:?}: {result:?}"
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), cases.len());
}

#[tokio::test]
async fn error_bodies_become_typed_api_errors() {
    let server = MockServer::start().await;
    let cases = [
        (
            400,
            json!({"error": {
                "type": "invalid_request_error",
                "code": "parameter_missing",
                "param": "line_items",
                "message": "Missing required param: line_items.",
                "doc_url": "https://stripe.com/docs/error-codes/parameter-missing",
                "request_log_url": "https://dashboard.stripe.com/test/logs/req_400"
            }}),
        ),
        (
            402,
            json!({"error": {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "Your card has insufficient funds.",
                "charge": "ch_1",
                "payment_intent": {"id": "pi_1", "object": "payment_intent"}
            }}),
        ),
        (
            404,
            json!({"error": {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "param": "session",
                "message": "No such checkout.session: 'cs_nope'"
            }}),
        ),
        (
            400,
            json!({"error": {"type": "idempotency_error", "message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}}),
        ),
        (
            401,
            json!({"error": {"type": "something_new", "message": "Invalid API Key provided: sk_test_********Leak"}}),
        ),
    ];
    for (i, (status, body)) in cases.iter().enumerate() {
        Mock::given(path(format!("/v1/case/{i}")))
            .respond_with(
                ResponseTemplate::new(*status)
                    .insert_header("request-id", format!("req_{i}").as_str())
                    .set_body_json(body),
            )
            .expect(1) // 4xx is never retried
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let mut errors = Vec::new();
    for (i, (status, _)) in cases.iter().enumerate() {
        let result: Result<Value, Error> = client
            .send(Method::Post, &format!("/v1/case/{i}"), &())
            .await;
        let err = result.unwrap_err();
        assert_eq!(err.request_id(), Some(&*format!("req_{i}")));
        assert_eq!(err.status(), Some(*status));
        assert!(!err.is_retryable());
        assert!(!err.to_string().contains(KEY));
        errors.push(err);
    }

    let e = errors[0].api_error().unwrap();
    assert_eq!(e.error.r#type, ApiErrorType::InvalidRequestError);
    assert_eq!(e.error.code.as_deref(), Some("parameter_missing"));
    assert_eq!(e.error.param.as_deref(), Some("line_items"));
    assert_eq!(
        e.error.doc_url.as_deref(),
        Some("https://stripe.com/docs/error-codes/parameter-missing")
    );
    assert_eq!(
        e.error.extra["request_log_url"],
        "https://dashboard.stripe.com/test/logs/req_400"
    );
    let shown = errors[0].to_string();
    assert!(
        shown.contains("400")
            && shown.contains("Missing required param")
            && shown.contains("req_0"),
        "{shown}"
    );

    let e = errors[1].api_error().unwrap();
    assert_eq!(e.error.r#type, ApiErrorType::CardError);
    assert_eq!(e.error.decline_code.as_deref(), Some("insufficient_funds"));
    assert_eq!(e.error.charge.as_deref(), Some("ch_1"));
    assert_eq!(e.error.payment_intent.as_ref().unwrap()["id"], "pi_1");

    let e = errors[2].api_error().unwrap();
    assert_eq!(e.status, 404);
    assert_eq!(e.error.code.as_deref(), Some("resource_missing"));

    assert_eq!(
        errors[3].api_error().unwrap().error.r#type,
        ApiErrorType::IdempotencyError
    );
    assert_eq!(
        errors[4].api_error().unwrap().error.r#type,
        ApiErrorType::Other("something_new".to_owned())
    );
}

#[tokio::test]
async fn non_json_error_body_is_an_api_error_that_quotes_none_of_it() {
    let server = MockServer::start().await;
    let body = "Bad Request: customer_email=jenny.rosen@example.com rejected";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "text/plain; charset=utf-8"))
        .mount(&server)
        .await;
    let err = client(&server)
        .send::<_, Value>(Method::Get, "/v1/x", &())
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status, 400);
    assert_eq!(api.error.r#type, ApiErrorType::Unknown);
    for shown in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!shown.contains("jenny"), "{shown}");
        assert!(!shown.contains("customer_email"), "{shown}");
    }
    assert_eq!(
        err.to_string(),
        format!(
            "Stripe API error 400 (unknown): response had no Stripe error object \
             (not JSON: text/plain, {} bytes)",
            body.len()
        )
    );
    // The caller can still read it, on purpose.
    assert_eq!(api.body(), body.as_bytes());
    assert_eq!(
        api.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(err.request_id(), None);
}

#[tokio::test]
async fn a_redirect_is_reported_as_one_with_its_target_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            "https://elsewhere.example/login?email=jenny%40example.com",
        ))
        .expect(1) // not followed, not retried
        .mount(&server)
        .await;
    let err = client(&server)
        .send::<_, Value>(
            Method::Post,
            "/v1/x",
            &json!({"customer_email": "jenny@example.com"}),
        )
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert_eq!(err.status(), Some(302));
    assert!(
        shown.contains(
            "unexpected redirect to https://elsewhere.example/login: Stripe does not redirect"
        ),
        "{shown}"
    );
    assert!(!shown.contains("jenny"), "{shown}");
}

/// A caller's own `reqwest::Client` follows redirects by default: a 307 re-sends the body to
/// the new place. The crate cannot stop that request, but refuses its answer, naming the target.
#[tokio::test]
async fn a_redirect_followed_by_the_callers_http_client_is_refused() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/v1/x"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal?k=1", other.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(path("/steal"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&other)
        .await;
    let client = builder(&server)
        .http_client(stripe_checkout::reqwest::Client::new())
        .build()
        .unwrap();
    let err = client
        .send::<_, Value>(Method::Post, "/v1/x", &json!({"a": "b"}))
        .await
        .unwrap_err();
    let Error::Config(config) = &err else {
        panic!("expected a config error, got {err:?}");
    };
    let expected_target = format!("{}/steal", other.uri());
    assert!(config.message.contains(&expected_target), "{err}");
    assert!(config.message.contains("Policy::none()"), "{err}");
    assert!(!config.message.contains("k=1"), "{err}");
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Session {
    id: String,
    amount_total: Option<i64>,
}

/// A list page of the caller's own serde type.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    data: Vec<Session>,
    has_more: bool,
}

#[tokio::test]
async fn undecodable_bodies_name_the_failing_path() {
    let server = MockServer::start().await;
    let bodies = [
        // Wrong type deep inside.
        (
            r#"{"object":"list","data":[{"id":"cs_1","amount_total":1},{"id":"cs_2","amount_total":"ten"}],"has_more":false,"url":"/v1/x"}"#,
            "data[1].amount_total",
        ),
        // Truncated mid-value (valid Content-Length, cut JSON).
        (
            r#"{"object":"list","data":[{"id":"cs_1","amount_total":"#,
            "data[0].amount_total",
        ),
        // Missing field.
        (
            r#"{"object":"list","data":[{"amount_total":1}],"has_more":false}"#,
            "data[0]",
        ),
        ("<html>502 Bad Gateway</html>", "."),
        ("", "."),
        (
            r#"{"object":"list","data":[],"has_more":false} trailing"#,
            ".",
        ),
    ];
    for (i, (body, _)) in bodies.iter().enumerate() {
        Mock::given(path(format!("/v1/body/{i}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("request-id", "req_decode")
                    .set_body_raw(body.as_bytes().to_vec(), "application/json"),
            )
            .expect(1) // decode failures are not retried
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for (i, (body, expected_path)) in bodies.iter().enumerate() {
        let err = client
            .send::<_, Page>(Method::Get, &format!("/v1/body/{i}"), &())
            .await
            .unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("body {i}: expected a decode error, got {err:?}");
        };
        assert_eq!(decode.path, *expected_path, "body {i}: {err}");
        assert_eq!(decode.status, 200);
        assert_eq!(err.request_id(), Some("req_decode"));
        let shown = err.to_string();
        if *expected_path == "." {
            assert!(shown.contains("at the top level of the body"), "{shown}");
        } else {
            assert!(shown.contains(&format!("at `{expected_path}`")), "{shown}");
        }
        // A GET: nothing to retry with a key.
        assert!(!shown.contains("Idempotency-Key"), "{shown}");
        // No body is ever quoted (JSON may hold client secrets, anything else personal data);
        // one that is not JSON is described by type and length, and kept for the caller.
        assert!(
            !shown.contains("html>") && !shown.contains("502"),
            "{shown}"
        );
        assert!(!format!("{err:?}").contains("Bad Gateway"), "{err:?}");
        assert_eq!(decode.body(), body.as_bytes());
        assert_eq!(
            shown.contains("the body is not JSON (application/json, "),
            i == 3 || i == 4,
            "body {i}: {shown}"
        );
    }
}

#[test]
fn debug_output_never_shows_the_key() {
    let client = Client::new(KEY);
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("DoNotLeak"), "{shown}");
    assert!(shown.contains("redacted"));

    let builder = Client::builder(KEY).stripe_account("acct_1");
    let shown = format!("{builder:?}");
    assert!(!shown.contains("DoNotLeak"), "{shown}");
    assert!(shown.contains("acct_1"));
}

#[tokio::test]
async fn bad_key_fails_requests_without_panicking_or_leaking() {
    let client = Client::new("sk_test_bad\r\nInjected: yes");
    let err = client
        .send::<_, Value>(Method::Get, "/v1/x", &())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(!format!("{err} {err:?} {client:?}").contains("Injected"));
}

#[tokio::test]
async fn bad_header_values_are_encode_errors() {
    let server = MockServer::start().await;
    let err = client(&server)
        .send::<_, Value>(Method::Post, "/v1/x", &())
        .stripe_account(
            "acct
1",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn clients_are_cheap_clones_and_send_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Client>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}

#[tokio::test]
async fn api_error_display_has_decline_code_doc_url_and_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/declined"))
        .respond_with(
            ResponseTemplate::new(402)
                .insert_header("request-id", "req_402")
                .set_body_json(json!({"error": {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "insufficient_funds",
                    "message": "Your card has insufficient funds.",
                    "doc_url": "https://stripe.com/docs/error-codes/card-declined"
                }})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/flaky"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"error": {"type": "api_error", "message": "Try again."}})),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .send::<_, Value>(Method::Post, "/v1/declined", &())
        .idempotency_key("order-6735")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Stripe API error 402 (card_error) [card_declined] [decline_code: insufficient_funds]: \
         Your card has insufficient funds. (request id: req_402) \
         (see https://stripe.com/docs/error-codes/card-declined)"
    );
    assert_eq!(err.idempotency_key(), Some("order-6735"));
    assert_eq!(err.api_error().unwrap().retries, 0);

    let err = client
        .send::<_, Value>(Method::Get, "/v1/flaky", &())
        .await
        .unwrap_err();
    assert_eq!(err.api_error().unwrap().retries, 2);
    assert!(err.to_string().ends_with("(after 2 retries)"), "{err}");
    assert_eq!(err.idempotency_key(), None);
}

#[tokio::test]
async fn transport_errors_leave_out_the_query_string() {
    // A list filtered by customer email put the address into the error message.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = common::builder_for(&format!("http://{addr}"))
        .max_retries(0)
        .build()
        .unwrap();
    let params = json!({"customer_details": {"email": "jenny.rosen@example.com"}});
    let err = client
        .send::<_, Value>(Method::Get, "/v1/checkout/sessions", &params)
        .await
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("jenny"), "{shown}");
    assert!(!shown.contains("customer_details"), "{shown}");
    assert!(
        err.to_string().contains("GET /v1/checkout/sessions"),
        "{err}"
    );
}

/// Every message in the `source()` chain, as `anyhow`'s `{:#}` would print them.
fn chain(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        out.push(cause.to_string());
        source = cause.source();
    }
    out
}

#[tokio::test]
async fn each_cause_is_printed_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = common::builder_for(&format!("http://{addr}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client
        .send::<_, Value>(Method::Get, "/v1/x", &())
        .await
        .unwrap_err();
    let messages = chain(&err);
    for (i, message) in messages.iter().enumerate() {
        for later in &messages[i + 1..] {
            assert!(!message.contains(later.as_str()), "{messages:?}");
        }
    }
    // And the one line says what broke.
    assert!(
        messages[0].to_lowercase().contains("refused"),
        "{messages:?}"
    );
}

#[tokio::test]
async fn a_post_whose_response_cannot_be_decoded_says_how_to_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_cut")
                .set_body_raw(r#"{"id":"cs_1","#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .send::<_, Session>(Method::Post, "/v1/checkout/sessions", &())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    let key = err.idempotency_key().expect("a POST has a key").to_owned();
    assert_eq!(decode.idempotency_key.as_deref(), Some(key.as_str()));
    let shown = err.to_string();
    // Where, in words: not serde_path_to_error's `?`.
    assert!(!shown.contains("`?`"), "{shown}");
    assert!(shown.contains("top level of the body"), "{shown}");
    assert!(
        shown.contains(&format!(
            "the request may have been applied: retry with Idempotency-Key {key:?}"
        )),
        "{shown}"
    );
}

#[tokio::test]
async fn custom_reqwest_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!({"id": "cs_1"})))
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-my-client", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = common::builder(&server).http_client(http).build().unwrap();
    let _: Value = client.send(Method::Get, "/v1/x", &()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(header(&requests[0], "x-from-my-client"), Some("yes"));
    // The crate's own headers are still sent.
    assert_eq!(
        header(&requests[0], "authorization"),
        Some(&*format!("Bearer {KEY}"))
    );
}

#[test]
fn from_env_reads_stripe_secret_key() {
    // The only test touching this variable, so parallel tests cannot race on it.
    std::env::remove_var("STRIPE_SECRET_KEY");
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("STRIPE_SECRET_KEY"), "{err}");
    std::env::set_var("STRIPE_SECRET_KEY", KEY);
    let client = Client::from_env().unwrap();
    std::env::remove_var("STRIPE_SECRET_KEY");
    assert!(!format!("{client:?}").contains(KEY));
}
