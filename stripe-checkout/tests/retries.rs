//! Which failures are retried, how often, with which idempotency key, and what error comes out.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{client, header};
use serde_json::{json, Value};
use stripe_checkout::{ApiErrorType, Error, Method};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn api_error_body() -> Value {
    json!({"error": {"type": "api_error", "message": "Something went wrong."}})
}

async fn post(client: &stripe_checkout::Client) -> Result<Value, Error> {
    post_request(client).await
}

/// Asserts `n` requests arrived, all POSTs with the same generated idempotency key and body.
async fn assert_attempts(server: &MockServer, n: usize) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), n, "attempts");
    let key = header(&requests[0], "idempotency-key").unwrap().to_owned();
    for r in &requests {
        assert_eq!(header(r, "idempotency-key"), Some(key.as_str()));
        assert_eq!(r.body, b"mode=payment");
    }
}

/// Mounts `response` for every request and returns the error after retries.
async fn fails_with(response: ResponseTemplate, attempts: usize) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(response.insert_header("request-id", "req_retry"))
        .mount(&server)
        .await;
    let err = post(&client(&server)).await.unwrap_err();
    assert_attempts(&server, attempts).await;
    assert_eq!(err.request_id(), Some("req_retry"));
    err
}

#[tokio::test]
async fn server_errors_are_retried_twice_by_default_with_the_same_key() {
    let err = fails_with(
        ResponseTemplate::new(500).set_body_json(api_error_body()),
        3,
    )
    .await;
    let api = err.api_error().unwrap();
    assert_eq!(api.status, 500);
    assert_eq!(api.error.r#type, ApiErrorType::ApiError);
    assert!(err.is_retryable());

    fails_with(
        ResponseTemplate::new(503).set_body_json(api_error_body()),
        3,
    )
    .await;
    fails_with(
        ResponseTemplate::new(409).set_body_json(api_error_body()),
        3,
    )
    .await;
}

#[tokio::test]
async fn stripe_should_retry_false_is_obeyed() {
    for status in [500, 503, 409] {
        let err = fails_with(
            ResponseTemplate::new(status)
                .insert_header("stripe-should-retry", "false")
                .set_body_json(api_error_body()),
            1,
        )
        .await;
        assert_eq!(err.status(), Some(status));
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn stripe_should_retry_true_retries_a_4xx() {
    let err = fails_with(
        ResponseTemplate::new(400)
            .insert_header("stripe-should-retry", "true")
            .set_body_json(
                json!({"error": {"type": "invalid_request_error", "code": "lock_timeout"}}),
            ),
        3,
    )
    .await;
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn rate_limits_retry_only_when_stripe_says_so() {
    let body = json!({"error": {"type": "invalid_request_error", "code": "rate_limit"}});
    fails_with(ResponseTemplate::new(429).set_body_json(&body), 1).await;

    // Retry-After far beyond the cap: the cap (10ms in tests) is what is waited, so this
    // finishes; without the cap it would hang for hours.
    let started = Instant::now();
    let err = tokio::time::timeout(
        Duration::from_secs(60),
        fails_with(
            ResponseTemplate::new(429)
                .insert_header("stripe-should-retry", "true")
                .insert_header("retry-after", "3600")
                .set_body_json(&body),
            3,
        ),
    )
    .await
    .expect("Retry-After must be capped");
    // Lower bound only: each of the two retries waited at least the capped Retry-After.
    assert!(started.elapsed() >= Duration::from_millis(20));
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 402, 403, 404] {
        fails_with(
            ResponseTemplate::new(status)
                .set_body_json(json!({"error": {"type": "invalid_request_error"}})),
            1,
        )
        .await;
    }
}

#[tokio::test]
async fn a_retry_that_succeeds_returns_the_value() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_json(api_error_body()))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "cs_1"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let session = post(&client(&server)).await.unwrap();
    assert_eq!(session["id"], "cs_1");
    assert_attempts(&server, 3).await;
}

#[tokio::test]
async fn max_retries_is_configurable() {
    for (retries, attempts) in [(0, 1), (4, 5)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(500).set_body_json(api_error_body()))
            .mount(&server)
            .await;
        let client = common::builder(&server)
            .max_retries(retries)
            .build()
            .unwrap();
        post(&client).await.unwrap_err();
        assert_attempts(&server, attempts).await;
    }
}

#[tokio::test]
async fn caller_key_is_reused_on_every_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(api_error_body()))
        .mount(&server)
        .await;
    let _ = client(&server)
        .send::<_, Value>(Method::Post, "/v1/checkout/sessions", &())
        .idempotency_key("mine")
        .await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|r| header(r, "idempotency-key") == Some("mine")));
}

/// A server that answers every POST after 5 s: longer than any timeout the tests set.
async fn slow_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "late"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_client_timeout_applies_to_a_custom_http_client() {
    // The given reqwest client has no timeout of its own: the builder's must still hold.
    let server = slow_server().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = common::builder(&server)
        .http_client(http)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = post(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_attempts(&server, 1).await;
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let server = slow_server().await;
    let client = common::builder(&server)
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .build()
        .unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    let Error::Timeout(t) = &err else {
        unreachable!()
    };
    assert_eq!(t.retries, 1);
    assert_attempts(&server, 2).await;
}

#[tokio::test]
async fn connection_refused_is_a_connection_error() {
    // Bind then drop to get a port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = common::builder_for(&format!("http://{addr}"))
        .build()
        .unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert!(err.is_retryable());
    let Error::Connection(t) = &err else {
        unreachable!()
    };
    assert_eq!(t.retries, 2);
    // The cause is in the message, once, and not again as `source()`.
    assert!(std::error::Error::source(&err).is_none());
    let shown = err.to_string();
    assert!(shown.to_lowercase().contains("refused"), "{shown}");
    assert!(shown.contains("POST /v1/checkout/sessions"), "{shown}");
    assert!(shown.contains("(after 2 retries)"), "{shown}");
    // No attempt got past connecting: the POST was not applied, and the error says so rather
    // than "may have been applied". The key is still there for a retry.
    let key = err.idempotency_key().expect("a POST always has a key");
    assert_eq!(t.idempotency_key.as_deref(), Some(key));
    assert!(!t.may_have_been_sent);
    assert!(
        shown.ends_with("; the request never reached Stripe, so it was not applied"),
        "{shown}"
    );
    assert!(!shown.contains("may have been applied"), "{shown}");
    assert!(!format!("{err} {err:?}").contains(common::KEY));
}

#[tokio::test]
async fn a_post_cut_off_after_sending_may_have_been_applied() {
    // The server reads the request, then closes without answering: Stripe may have applied it.
    let (url, _count) = raw_server(b"").await;
    let client = common::builder_for(&url).max_retries(1).build().unwrap();
    let err = post(&client).await.unwrap_err();
    let Error::Connection(t) = &err else {
        panic!("expected a connection error, got {err:?}");
    };
    assert!(t.may_have_been_sent);
    let key = err.idempotency_key().unwrap();
    let shown = err.to_string();
    assert!(shown.contains("(after 1 retry);"), "{shown}");
    assert!(
        shown.ends_with(&format!(
            "; the request may have been applied: retry with Idempotency-Key {key:?}"
        )),
        "{shown}"
    );
}

#[tokio::test]
async fn the_total_timeout_bounds_attempts_and_waits_together() {
    // Each attempt would be allowed 2 s, but the call as a whole only 300 ms.
    let server = slow_server().await;
    let client = common::builder(&server)
        .timeout(Duration::from_secs(2))
        .total_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = post(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("no complete response within the call's total timeout of 300ms"),
        "{shown}"
    );
    // The first attempt used up the whole budget: nothing was retried.
    assert_attempts(&server, 1).await;
}

/// Answers every POST with `status` and `Retry-After: retry_after` (plus
/// `Stripe-Should-Retry: true` for a 429, which is retried only then).
async fn mount_retry_after(server: &MockServer, status: u16, retry_after: &str) {
    let mut response = ResponseTemplate::new(status)
        .insert_header("retry-after", retry_after)
        .set_body_json(api_error_body());
    if status == 429 {
        response = response.insert_header("stripe-should-retry", "true");
    }
    Mock::given(method("POST"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// A create call (`mode=payment`), as a `Request` to set per-call options on.
fn post_request(client: &stripe_checkout::Client) -> stripe_checkout::Request<Value> {
    client.send(
        Method::Post,
        "/v1/checkout/sessions",
        &json!({"mode": "payment"}),
    )
}

#[tokio::test]
async fn a_retry_after_longer_than_the_time_left_is_not_waited_for() {
    // The issue's case: 5 s per attempt, one retry, Retry-After: 3600. Without a total the
    // client would wait up to `max_retry_after`; with one, it answers at once.
    let server = MockServer::start().await;
    mount_retry_after(&server, 429, "3600").await;
    let client = common::builder(&server)
        .max_retry_after(Duration::from_secs(60))
        .max_retries(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = post_request(&client)
        .timeout(Duration::from_secs(5))
        .total_timeout(Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.api_error().unwrap().retries, 0);
    assert_attempts(&server, 1).await;
}

#[tokio::test]
async fn without_a_total_timeout_retries_wait_as_before() {
    // Per-call options override the client's total timeout; without one, waits are taken.
    let server = MockServer::start().await;
    mount_retry_after(&server, 503, "0.2").await;
    let client = common::builder(&server)
        .max_retry_after(Duration::from_secs(1))
        .total_timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    // The client's 50 ms total leaves no room for a 200 ms wait...
    assert!(post(&client).await.is_err());
    assert_attempts(&server, 1).await;
    server.reset().await;
    mount_retry_after(&server, 503, "0.2").await;
    // ...a call's own, longer total does.
    let started = Instant::now();
    let err = post_request(&client)
        .total_timeout(Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(err.api_error().unwrap().retries, 2);
    assert_attempts(&server, 3).await;
}

/// A raw server that reads each request and answers with `reply` (possibly nothing), counting
/// connections.
async fn raw_server(reply: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut seen = Vec::new();
                // Read up to the end of the headers (the test bodies are tiny and come along).
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = socket.write_all(reply).await;
                // Dropping the socket closes the connection mid-response.
            });
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn connection_closed_without_a_response_is_retried() {
    let (url, count) = raw_server(b"").await;
    let client = common::builder_for(&url).build().unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn body_cut_short_is_a_retried_connection_error() {
    let (url, count) = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":\"cs_",
    )
    .await;
    let client = common::builder_for(&url).build().unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn garbage_instead_of_http_does_not_panic() {
    let (url, _count) = raw_server(b"\x00\xffnot http at all\r\n\r\n").await;
    let client = common::builder_for(&url).max_retries(0).build().unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
}

#[tokio::test]
async fn an_oversized_body_is_a_typed_error_and_never_retried() {
    // A proxy's 50 MiB HTML 500 page was downloaded three times: now it is cut at the limit,
    // and not retried.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("request-id", "req_big")
                .set_body_raw(vec![b'x'; 4096], "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = post(&client).await.unwrap_err();
    let Error::ResponseTooLarge(e) = &err else {
        panic!("expected ResponseTooLarge, got {err:?}");
    };
    assert_eq!((e.limit, e.status), (1024, 500));
    assert_eq!(err.request_id(), Some("req_big"));
    assert!(!err.is_retryable());
    let key = err.idempotency_key().expect("POSTs have a key");
    let shown = err.to_string();
    assert!(
        shown.contains("larger than the limit of 1024 bytes"),
        "{shown}"
    );
    assert!(shown.contains(key), "{shown}");
}

#[tokio::test]
async fn bodies_up_to_the_limit_are_read_and_over_it_are_not() {
    let body = json!({"id": "cs_1", "pad": "y".repeat(1000)}).to_string();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let exact = common::builder(&server)
        .max_response_bytes(body.len())
        .build()
        .unwrap();
    assert_eq!(post(&exact).await.unwrap()["id"], "cs_1");
    let short = common::builder(&server)
        .max_response_bytes(body.len() - 1)
        .build()
        .unwrap();
    assert!(matches!(
        post(&short).await,
        Err(Error::ResponseTooLarge(_))
    ));
}

/// A server that answers every request with `body` as a chunked response, one chunk per
/// piece, written with pauses so the client receives them as separate reads.
async fn chunked_server(pieces: &'static [&'static str]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head).await.is_err() {
                    return;
                }
                for piece in pieces {
                    let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole_and_limited_across_chunks() {
    const PIECES: &[&str] = &[
        r#"{"id": "cs_1", "#,
        r#""pad": "yyyyyyyyyy", "#,
        r#""n": 3}"#,
    ];
    let len: usize = PIECES.iter().map(|p| p.len()).sum();
    let base = chunked_server(PIECES).await;
    let exact = common::builder_for(&base)
        .max_response_bytes(len)
        .build()
        .unwrap();
    let value = post(&exact).await.unwrap();
    assert_eq!(value, json!({"id": "cs_1", "pad": "yyyyyyyyyy", "n": 3}));
    // Each chunk fits the limit on its own; only their sum does not.
    let short = common::builder_for(&base)
        .max_response_bytes(len - 1)
        .build()
        .unwrap();
    assert!(matches!(
        post(&short).await,
        Err(Error::ResponseTooLarge(_))
    ));
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit() {
    // No Content-Length to check up front: the limit must hold while streaming.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let (w, c) = (written.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            let w = w.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
                // Up to 256 MiB unless the client hangs up first.
                for _ in 0..4096 {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                    w.fetch_add(64 * 1024, Ordering::SeqCst);
                }
            });
        }
    });
    let client = common::builder_for(&format!("http://{addr}"))
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge(_)), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not retried");
    // The client stopped reading near the limit (socket buffers hold a few MiB at most).
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(written.load(Ordering::SeqCst) < 64 * 1024 * 1024);
}
