//! Bad input never hurts the fake: the form parser, the validator and the router take any
//! input and answer with an error or a 4xx, never a panic or a hang.

use proptest::prelude::*;
use stripe_checkout_fake::{FakeStripe, TEST_KEY};

// The parser and validator alone are property-tested in `src/schema.rs` (they are internal).

/// Text that looks like Stripe's form encoding often enough to get past the parser.
fn formish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "mode",
        "line_items",
        "metadata",
        "expand",
        "limit",
        "created",
        "ui_mode",
        "expires_at",
        "customer_details",
        "price_data",
        "quantity",
        "0",
        "",
        "[",
        "]",
        "%5B",
        "x",
    ]);
    let piece = prop_oneof![
        key.prop_map(str::to_owned),
        "[a-z0-9_\\[\\]%=&+]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|parts| parts.join(""))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
}

fn fake() -> &'static FakeStripe {
    static FAKE: std::sync::OnceLock<FakeStripe> = std::sync::OnceLock::new();
    FAKE.get_or_init(|| runtime().block_on(FakeStripe::start()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn router_answers_anything_with_a_4xx_or_2xx(
        method in prop::sample::select(vec!["GET", "POST", "DELETE", "PUT"]),
        path in prop_oneof![
            Just("/v1/checkout/sessions".to_owned()),
            "/v1/checkout/sessions/[a-zA-Z0-9_%]{0,10}(/expire|/line_items|/x)?",
            "/(_fake|c/pay|v1)/[a-z0-9_%/]{0,20}",
            "/[ -~]{0,20}".prop_map(|p| p.replace(['?', '#', ' '], "")),
        ],
        body in formish(),
        auth in any::<bool>(),
    ) {
        // Arming faults on purpose is not bad input: a random body could ask for a 5xx.
        prop_assume!(!path.starts_with("/_fake/faults"));
        let fake = fake();
        let url = format!("{}{}", fake.base_url(), path);
        let response = runtime().block_on(async {
            let http = reqwest::Client::new();
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let mut req = http.request(method, &url).timeout(std::time::Duration::from_secs(10));
            if auth {
                req = req.bearer_auth(TEST_KEY);
            }
            req.body(body.clone()).send().await
        });
        // reqwest may refuse a URL it cannot parse; the fake must answer every request it gets.
        if let Ok(response) = response {
            let status = response.status().as_u16();
            prop_assert!(status < 500, "{method} {path} {body:?} -> {status}");
            prop_assert!(response.headers().contains_key("request-id"));
        }
    }
}

#[test]
fn oversized_and_deep_bodies_are_refused() {
    let fake = fake();
    runtime().block_on(async {
        let http = reqwest::Client::new();
        let url = format!("{}/v1/checkout/sessions", fake.base_url());
        let big = "a".repeat(2 << 20);
        let response = http.post(&url).bearer_auth(TEST_KEY).body(big).send().await;
        // Either the 413 arrives or the fake closes the connection mid-upload; never a hang.
        if let Ok(response) = response {
            assert_eq!(response.status(), 413);
            assert!(response.headers().contains_key("request-id"));
            assert_eq!(response.headers()["connection"], "close");
        }
        // A fresh client: the refused upload's connection is closed, whatever the pool thinks.
        let http = reqwest::Client::new();
        let deep = format!("metadata{}=1", "[a]".repeat(40));
        let response = http
            .post(&url)
            .bearer_auth(TEST_KEY)
            .body(deep)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        let many = (0..5000)
            .map(|i| format!("metadata[k{i}]=v"))
            .collect::<Vec<_>>()
            .join("&");
        let response = http
            .post(&url)
            .bearer_auth(TEST_KEY)
            .body(many)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
    });
}

#[test]
fn extreme_numbers_are_errors_not_panics() {
    runtime().block_on(async {
        let fake = FakeStripe::start().await;
        let http = reqwest::Client::new();
        let url = format!("{}/v1/checkout/sessions", fake.base_url());
        let item = |i: usize| {
            format!("line_items[{i}][price_data][currency]=usd&line_items[{i}][price_data][unit_amount]={}&line_items[{i}][price_data][product]=prod_1&line_items[{i}][quantity]=1", i64::MAX)
        };
        let body = format!("mode=payment&{}&{}", item(0), item(1));
        let response = http.post(&url).bearer_auth(TEST_KEY).body(body).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let advance = http
            .post(format!("{}/_fake/clock/advance", fake.base_url()))
            .body(format!("seconds={}", i64::MAX))
            .send()
            .await
            .unwrap();
        // Past the 10-year cap: refused, not saturated; the cap itself is fine.
        assert_eq!(advance.status(), 400);
        let advance = http
            .post(format!("{}/_fake/clock/advance", fake.base_url()))
            .body("seconds=315360000")
            .send()
            .await
            .unwrap();
        assert_eq!(advance.status(), 200);
        let body = format!("mode=payment&{}", item(0).replace(&i64::MAX.to_string(), "500"));
        let response = http.post(&url).bearer_auth(TEST_KEY).body(body).send().await.unwrap();
        assert_eq!(response.status(), 200);
    });
}
