//! The fake's own API is as strict as `/v1/`: every `/_fake/` endpoint refuses unknown
//! parameters and bad values with a Stripe-shaped 400 naming the `param`, and a POST answers with
//! what it made. Also the binary's `--help`, `Stripe-Version` mismatches, the 429 body, bodies
//! that are not UTF-8 and how much of a bad key an error shows. All through raw HTTP.

use std::io::Read;
use std::process::{Command, Stdio};

use serde_json::Value;
use stripe_checkout_fake::{FakeStripe, TEST_KEY};

/// A POST to the fake: status and JSON body.
async fn post(fake: &FakeStripe, path: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", fake.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn get(fake: &FakeStripe, path: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", fake.base_url()))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Asserts a 400 `invalid_request_error` on `param` whose message contains `message`; returns
/// the error object.
#[track_caller]
fn rejected(answer: (u16, Value), param: &str, message: &str) -> Value {
    let (status, body) = answer;
    assert_eq!(status, 400, "{body}");
    let error = &body["error"];
    assert_eq!(error["type"], "invalid_request_error", "{body}");
    assert_eq!(error["param"], param, "{body}");
    let text = error["message"].as_str().unwrap_or_default();
    assert!(text.contains(message), "{text:?} lacks {message:?}");
    error.clone()
}

/// A hosted session through the API, returning its id.
async fn session(fake: &FakeStripe) -> String {
    let response = reqwest::Client::new()
        .post(format!("{}/v1/checkout/sessions", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .body("mode=payment&success_url=https://x.test/ok&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Mug&line_items[0][quantity]=1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn clock_steps_must_be_whole_non_negative_and_at_most_ten_years() {
    let fake = FakeStripe::start().await;
    let path = "/_fake/clock/advance";
    rejected(
        post(&fake, path, "seconds=-5").await,
        "seconds",
        "between 0 and 315360000",
    );
    let e = rejected(
        post(&fake, path, "seconds=soon").await,
        "seconds",
        "Invalid integer: soon",
    );
    assert_eq!(e["code"], "parameter_invalid_integer");
    rejected(
        post(&fake, path, "seconds=315360001").await,
        "seconds",
        "between 0 and",
    );
    let e = rejected(
        post(&fake, path, "").await,
        "seconds",
        "Missing required param: seconds",
    );
    assert_eq!(e["code"], "parameter_missing");
    let e = rejected(
        post(&fake, path, "seconds=5&by=5").await,
        "by",
        "Received unknown parameter: by",
    );
    assert_eq!(e["code"], "parameter_unknown");
    rejected(
        post(&fake, path, "seconds[a]=5").await,
        "seconds",
        "single value",
    );

    let before = fake.now();
    let (status, body) = post(&fake, path, "seconds=3600").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["now"].as_i64().unwrap() >= before + 3600);
    assert_eq!(get(&fake, "/_fake/clock").await.1["now"], body["now"]);
    rejected(
        get(&fake, "/_fake/clock?tz=utc").await,
        "tz",
        "unknown parameter: tz",
    );
}

#[tokio::test]
async fn faults_are_checked_and_answered_as_the_fault() {
    let fake = FakeStripe::start().await;
    let path = "/_fake/faults";
    rejected(
        post(&fake, path, "kind=status&status=503&times=-1").await,
        "times",
        "between 1 and 1000000",
    );
    rejected(
        post(&fake, path, "kind=status&status=503&times=0").await,
        "times",
        "between 1 and",
    );
    rejected(
        post(&fake, path, "kind=status&status=503&times=twice").await,
        "times",
        "Invalid integer",
    );
    rejected(
        post(&fake, path, "kind=explode").await,
        "kind",
        "must be one of status, rate_limit, delay, or drop_connection",
    );
    rejected(
        post(&fake, path, "status=503").await,
        "kind",
        "Missing required param: kind",
    );
    rejected(
        post(&fake, path, "kind=status&status=200").await,
        "status",
        "between 400 and 599",
    );
    rejected(
        post(&fake, path, "kind=status&status=600").await,
        "status",
        "between 400 and 599",
    );
    rejected(
        post(&fake, path, "kind=status").await,
        "status",
        "Missing required param",
    );
    rejected(
        post(&fake, path, "kind=delay&delay_ms=60001").await,
        "delay_ms",
        "between 0 and 60000",
    );
    rejected(
        post(&fake, path, "kind=delay&delay_ms=-1").await,
        "delay_ms",
        "between 0 and 60000",
    );
    rejected(
        post(&fake, path, "kind=status&status=503&delay_ms=5").await,
        "delay_ms",
        "only to kind=delay",
    );
    rejected(
        post(&fake, path, "kind=drop_connection&retry_after=1").await,
        "retry_after",
        "only to kind=status or kind=rate_limit",
    );
    rejected(
        post(&fake, path, "kind=rate_limit&retry_after=-1").await,
        "retry_after",
        "between 0 and 86400",
    );
    rejected(
        post(&fake, path, "kind=rate_limit&should_retry=yes").await,
        "should_retry",
        "Invalid boolean: yes",
    );
    rejected(
        post(&fake, path, "kind=rate_limit&method=PATCH").await,
        "method",
        "Invalid method: PATCH",
    );
    rejected(
        post(&fake, path, "kind=rate_limit&path_prefix=/v1/nothing").await,
        "path_prefix",
        "no path the fake serves starts with it",
    );
    rejected(
        post(&fake, path, "kind=rate_limit&path_prefix=v1/checkout").await,
        "path_prefix",
        "Invalid path_prefix",
    );
    // The Rust API's name, not another one.
    let e = rejected(
        post(&fake, path, "kind=rate_limit&path=/v1/checkout/sessions").await,
        "path",
        "unknown parameter: path",
    );
    assert_eq!(e["code"], "parameter_unknown");
    assert!(
        reqwest::get(format!("{}/v1/checkout/sessions", fake.base_url()))
            .await
            .unwrap()
            .status()
            == 401,
        "nothing was armed by the refused requests"
    );

    let (status, fault) = post(
        &fake,
        path,
        "kind=rate_limit&retry_after=2&should_retry=true&times=2&method=post&path_prefix=/v1/checkout/sessions",
    )
    .await;
    assert_eq!(status, 200, "{fault}");
    assert_eq!(
        fault,
        serde_json::json!({
            "object": "fake_fault", "kind": "rate_limit", "status": 429, "retry_after": 2,
            "should_retry": true, "times": 2, "method": "POST",
            "path_prefix": "/v1/checkout/sessions",
        })
    );
    let (status, fault) = post(
        &fake,
        path,
        "kind=delay&delay_ms=10&path_prefix=/v1/checkout/sessions/cs_test_1/exp",
    )
    .await;
    assert_eq!(
        (status, &fault["kind"], &fault["delay_ms"]),
        (200, &Value::from("delay"), &Value::from(10))
    );
    assert_eq!(fault["times"], 1);
}

#[tokio::test]
async fn injected_429s_are_invalid_request_errors_with_code_rate_limit() {
    let fake = FakeStripe::start().await;
    let (status, _) = post(
        &fake,
        "/_fake/faults",
        "kind=rate_limit&retry_after=1&should_retry=true",
    )
    .await;
    assert_eq!(status, 200);
    let response = reqwest::Client::new()
        .get(format!("{}/v1/checkout/sessions", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(response.headers()["stripe-should-retry"], "true");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert_eq!(body["error"]["code"], "rate_limit", "{body}");
    assert_eq!(
        body["error"]["doc_url"],
        "https://stripe.com/docs/error-codes/rate-limit"
    );
}

#[tokio::test]
async fn webhook_endpoints_need_http_urls_and_known_events() {
    let fake = FakeStripe::start().await;
    let path = "/_fake/webhook_endpoints";
    rejected(
        post(&fake, path, "url=not+a+url&secret=whsec_x").await,
        "url",
        "Invalid URL: not a url",
    );
    rejected(
        post(&fake, path, "url=ftp://shop.test/hook&secret=whsec_x").await,
        "url",
        "absolute http:// or https://",
    );
    rejected(
        post(&fake, path, "url=/hook&secret=whsec_x").await,
        "url",
        "Invalid URL",
    );
    rejected(
        post(&fake, path, "secret=whsec_x").await,
        "url",
        "Missing required param: url",
    );
    rejected(
        post(&fake, path, "url=http://127.0.0.1:9/hook").await,
        "secret",
        "Missing required param: secret",
    );
    rejected(
        post(&fake, path, "url=http://127.0.0.1:9/hook&secret=").await,
        "secret",
        "Invalid secret",
    );
    rejected(
        post(&fake, path, "url=http://127.0.0.1:9/hook&secret=whsec_x&enabled_events[]=invoice.paid&enabled_events[]=invoice.created").await,
        "enabled_events[1]",
        "Invalid enabled_events[1]: invoice.created; must be one of *, checkout.session.completed",
    );
    rejected(
        post(
            &fake,
            path,
            "url=http://127.0.0.1:9/hook&secret=whsec_x&enabled_events=*",
        )
        .await,
        "enabled_events",
        "must be a list",
    );
    rejected(
        post(
            &fake,
            path,
            "url=http://127.0.0.1:9/hook&secret=whsec_x&events[]=*",
        )
        .await,
        "events[0]",
        "unknown parameter: events[0]",
    );

    let (status, endpoint) = post(
        &fake,
        path,
        "url=http://127.0.0.1:9/hook&secret=whsec_very_secret&enabled_events[]=checkout.session.completed&enabled_events[]=checkout.session.expired",
    )
    .await;
    assert_eq!(status, 200, "{endpoint}");
    assert!(
        endpoint["id"].as_str().unwrap().starts_with("we_"),
        "{endpoint}"
    );
    assert_eq!(endpoint["object"], "webhook_endpoint");
    assert_eq!(endpoint["url"], "http://127.0.0.1:9/hook");
    assert_eq!(endpoint["status"], "enabled");
    assert_eq!(
        endpoint["enabled_events"],
        serde_json::json!(["checkout.session.completed", "checkout.session.expired"])
    );
    assert!(!endpoint.to_string().contains("very_secret"), "{endpoint}");
    let (_, every) = post(&fake, path, "url=https://shop.test/hook&secret=whsec_x").await;
    assert_eq!(every["enabled_events"], serde_json::json!(["*"]));
}

#[tokio::test]
async fn prices_are_checked_and_answered_as_the_price_object() {
    let fake = FakeStripe::start().await;
    let path = "/_fake/prices";
    rejected(
        post(
            &fake,
            path,
            "id=price_x&unit_amount=900&currency=usd&interval=fortnight",
        )
        .await,
        "interval",
        "must be one of day, week, month, or year",
    );
    rejected(
        post(&fake, path, "id=price_x&unit_amount=-1&currency=usd").await,
        "unit_amount",
        "at least 0",
    );
    rejected(
        post(&fake, path, "id=price_x&unit_amount=ten&currency=usd").await,
        "unit_amount",
        "Invalid integer: ten",
    );
    rejected(
        post(&fake, path, "id=price_x&unit_amount=1&currency=dollars").await,
        "currency",
        "three-letter ISO code",
    );
    rejected(
        post(&fake, path, "unit_amount=1&currency=usd").await,
        "id",
        "Missing required param: id",
    );
    rejected(
        post(&fake, path, "id=price+x&unit_amount=1&currency=usd").await,
        "id",
        "Invalid id",
    );
    rejected(
        post(
            &fake,
            path,
            "id=price_x&unit_amount=1&currency=usd&product_name=",
        )
        .await,
        "product_name",
        "must not be empty",
    );
    rejected(
        post(
            &fake,
            path,
            "id=price_x&unit_amount=1&currency=usd&nickname=x",
        )
        .await,
        "nickname",
        "unknown parameter: nickname",
    );

    let (status, price) = post(
        &fake,
        path,
        "id=price_monthly&unit_amount=900&currency=EUR&interval=month&product_name=Plan",
    )
    .await;
    assert_eq!(status, 200, "{price}");
    assert_eq!(price["id"], "price_monthly");
    assert_eq!(price["object"], "price");
    assert_eq!(price["unit_amount"], 900);
    assert_eq!(price["currency"], "eur");
    assert_eq!(price["type"], "recurring");
    assert_eq!(price["recurring"]["interval"], "month");
    let (status, price) = post(&fake, path, "id=price_once&unit_amount=0&currency=usd").await;
    assert_eq!((status, &price["type"]), (200, &Value::from("one_time")));
}

#[tokio::test]
async fn session_endpoints_check_their_params_and_answer_the_session() {
    let fake = FakeStripe::start().await;
    let id = session(&fake).await;
    let complete = format!("/_fake/sessions/{id}/complete");
    rejected(
        post(&fake, &complete, "delayed=maybe").await,
        "delayed",
        "Invalid boolean: maybe",
    );
    rejected(
        post(&fake, &complete, "email=not-an-address").await,
        "email",
        "Invalid email address: not-an-address",
    );
    rejected(
        post(&fake, &complete, "name=").await,
        "name",
        "must not be empty",
    );
    rejected(
        post(&fake, &complete, "paid=true").await,
        "paid",
        "unknown parameter: paid",
    );
    rejected(
        post(
            &fake,
            &format!("/_fake/sessions/{id}/async_payment_failed"),
            "reason=x",
        )
        .await,
        "reason",
        "unknown parameter",
    );
    assert_eq!(
        fake.session(&id).unwrap().status,
        Some(stripe_checkout::CheckoutSessionStatus::Open),
        "nothing happened"
    );

    let (status, done) = post(
        &fake,
        &complete,
        "delayed=true&email=jenny@example.com&name=Jenny",
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["object"], "checkout.session");
    assert_eq!(done["id"], id.as_str());
    assert_eq!(done["status"], "complete");
    assert_eq!(done["payment_status"], "unpaid");
    assert_eq!(done["customer_details"]["email"], "jenny@example.com");
    assert_eq!(done["customer_details"]["name"], "Jenny");
    let (status, settled) = post(
        &fake,
        &format!("/_fake/sessions/{id}/async_payment_succeeded"),
        "",
    )
    .await;
    assert_eq!(
        (status, &settled["payment_status"]),
        (200, &Value::from("paid"))
    );

    let (status, missing) = post(&fake, "/_fake/sessions/cs_test_nope/complete", "").await;
    assert_eq!(status, 404, "{missing}");
    assert_eq!(missing["error"]["code"], "resource_missing");
}

#[tokio::test]
async fn unknown_control_paths_are_404_and_post_params_go_in_the_body() {
    let fake = FakeStripe::start().await;
    for (method, path) in [
        ("POST", "/_fake/nothing"),
        ("GET", "/_fake/faults"),
        ("POST", "/_fake/events"),
        ("POST", "/_fake/sessions//complete"),
        ("POST", "/_fake/sessions/cs_1/refund"),
    ] {
        let answer = if method == "GET" {
            get(&fake, path).await
        } else {
            post(&fake, path, "").await
        };
        assert_eq!(answer.0, 404, "{method} {path}: {}", answer.1);
        assert_eq!(answer.1["error"]["type"], "invalid_request_error");
    }
    rejected(
        post(&fake, "/_fake/clock/advance?seconds=5", "").await,
        "seconds",
        "form-encoded body, not the query string",
    );
    rejected(
        get(&fake, "/_fake/events?limit=1").await,
        "limit",
        "unknown parameter: limit",
    );
    rejected(
        get(&fake, "/_fake/deliveries?x=1").await,
        "x",
        "unknown parameter: x",
    );
}

#[tokio::test]
async fn bodies_that_are_not_utf8_are_400_not_lossily_read() {
    let fake = FakeStripe::start().await;
    let http = reqwest::Client::new();
    for (path, key) in [
        ("/v1/checkout/sessions", Some(TEST_KEY)),
        ("/_fake/clock/advance", None),
    ] {
        for body in [&b"mode=payment&metadata[k]=caf\xe9"[..], b"seconds=%FF"] {
            let mut req = http
                .post(format!("{}{path}", fake.base_url()))
                .body(body.to_vec());
            if let Some(key) = key {
                req = req.bearer_auth(key);
            }
            let response = req.send().await.unwrap();
            assert_eq!(response.status(), 400, "{path} {body:?}");
            let error: Value = response.json().await.unwrap();
            assert_eq!(error["error"]["type"], "invalid_request_error");
            let message = error["error"]["message"].as_str().unwrap();
            assert!(
                message.contains("must be UTF-8") && message.contains("form-encoded"),
                "{message}"
            );
        }
    }
    // A GET's query is held to the same rule.
    let response = http
        .get(format!(
            "{}/v1/checkout/sessions?customer=%FF",
            fake.base_url()
        ))
        .bearer_auth(TEST_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn bad_keys_are_shown_as_a_short_prefix_only() {
    let fake = FakeStripe::start().await;
    let secret_part = "51HxyzSECRETPARTabcdefghijklmnopqrstuvwxyz0123456789";
    for key in [
        format!("sk_live_{secret_part}"),
        format!("pk_test_{secret_part}"),
        "sk_test_".to_owned(),
        "abc".to_owned(),
    ] {
        let response = reqwest::Client::new()
            .get(format!("{}/v1/checkout/sessions", fake.base_url()))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{key}");
        let body: Value = response.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap().to_owned();
        let shown = message
            .strip_prefix("Invalid API Key provided: ")
            .unwrap_or_else(|| panic!("{message}"));
        let (prefix, _) = shown.split_once('…').unwrap_or_else(|| panic!("{message}"));
        assert!(key.starts_with(prefix), "{message}");
        assert!(
            prefix.chars().count() <= 12 && prefix.len() * 2 <= key.len(),
            "{message}"
        );
        assert!(
            !message.contains("SECRETPART") && !message.contains("0123"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn another_stripe_version_is_answered_with_the_fakes() {
    let fake = FakeStripe::start().await;
    let response = reqwest::Client::new()
        .get(format!("{}/v1/checkout/sessions", fake.base_url()))
        .bearer_auth(TEST_KEY)
        .header("stripe-version", "2024-06-20")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["stripe-version"],
        stripe_checkout::API_VERSION
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["object"], "list");
}

/// Kills the child when the test ends, pass or fail.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_warns_once_per_requested_stripe_version() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_stripe-checkout-fake"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let mut stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = Vec::new();
        let mut byte = [0u8];
        while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        String::from_utf8(line).unwrap()
    })
    .await
    .unwrap();
    let base = line
        .strip_prefix("stripe-checkout-fake listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    let http = reqwest::Client::new();
    for version in [
        "2024-06-20",
        "2024-06-20",
        "2023-10-16",
        stripe_checkout::API_VERSION,
        "2024-06-20; beta=v1",
    ] {
        let response = http
            .get(format!("{base}/v1/checkout/sessions"))
            .bearer_auth(TEST_KEY)
            .header("stripe-version", version)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["stripe-version"],
            stripe_checkout::API_VERSION
        );
    }
    let _ = child.0.kill();
    let mut stderr = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let expected = |v: &str| {
        format!(
            "stripe-checkout-fake: a client asked for Stripe-Version {v}; the fake serves {} only",
            stripe_checkout::API_VERSION
        )
    };
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [expected("2024-06-20"), expected("2023-10-16")],
        "one line per distinct version"
    );
}

#[test]
fn help_prints_usage_on_stdout_and_exits_0() {
    // The fake's own README, where the control endpoints' table is.
    let readme = include_str!("../README.md");
    for flag in ["--help", "-h"] {
        let out = Command::new(env!("CARGO_BIN_EXE_stripe-checkout-fake"))
            .arg(flag)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert!(out.stderr.is_empty(), "{flag}");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains("Usage: stripe-checkout-fake [--port N]"),
            "{help}"
        );
        assert!(help.contains(stripe_checkout::API_VERSION), "{help}");
        // Every control endpoint of the README's table, one line each.
        let rows: Vec<&str> = readme
            .lines()
            .filter(|l| l.starts_with("| `POST /_fake/") || l.starts_with("| `GET /_fake/"))
            .collect();
        assert!(rows.len() >= 10, "the README's table of control endpoints");
        for row in rows {
            let endpoint = row.split('`').nth(1).unwrap();
            let (method, path) = endpoint.split_once(' ').unwrap();
            assert!(
                help.lines()
                    .any(|l| l.trim_start().starts_with(method) && l.contains(path)),
                "--help lacks {endpoint}:\n{help}"
            );
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_stripe-checkout-fake"))
        .arg("--verbose")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown argument `--verbose`") && err.contains("Usage:"),
        "{err}"
    );
}

/// `use stripe_checkout::*; use stripe_checkout_fake::*;` together: every public name of the
/// fake is used, so a clash with the client's names (an ambiguity error) fails to compile.
mod glob_imports {
    #[allow(unused_imports)]
    use stripe_checkout::*;
    #[allow(unused_imports)]
    use stripe_checkout_fake::*;

    #[tokio::test]
    async fn both_crates_glob_import_without_clashes() {
        let fake: FakeStripe = FakeStripe::start().await;
        fake.register_price(FakePrice::one_time("price_glob", 100, "usd"));
        fake.inject_fault(Fault::delay(std::time::Duration::ZERO).times(1));
        let _kind: Option<FaultKind> = None;
        let _options = WebhookOptions::default();
        let _endpoint = WebhookEndpoint::new("http://127.0.0.1:9/", "whsec_x");
        let _deliveries: Vec<Delivery> = fake.deliveries();
        let missing: Result<CheckoutSession, FakeError> =
            fake.complete_session("cs_test_none", Completion::paid());
        assert_eq!(missing.unwrap_err().status, 404);
        let events: Vec<Event> = fake.events();
        assert!(events.is_empty());
        // And the client's own names still mean the client's.
        let _price: Option<Price> = None;
        let client: Client = Client::builder(TEST_KEY)
            .base_url(fake.base_url())
            .build()
            .unwrap();
        let list = client
            .checkout_sessions()
            .list(&Default::default())
            .await
            .unwrap();
        assert!(list.data.is_empty());
    }
}
