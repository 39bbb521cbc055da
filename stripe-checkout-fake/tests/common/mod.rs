//! Raw HTTP against the fake with the test key, shared by the test files that set up
//! catalogue objects and read JSON as an SDK in another language would.

// Each test file uses the helpers it needs; the rest would warn as unused there.
#![allow(dead_code)]

use serde_json::Value;
use stripe_checkout_fake::{FakeStripe, TEST_KEY};

/// One request with the test key (a POST's body form-encoded): status and JSON body.
pub async fn call(fake: &FakeStripe, method: &str, path: &str, body: &str) -> (u16, Value) {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", fake.base_url());
    let req = match method {
        "GET" => http.get(url),
        "DELETE" => http.delete(url),
        _ => http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned()),
    };
    let response = req.bearer_auth(TEST_KEY).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
    (status, json)
}

/// A POST that must succeed; its object.
pub async fn post(fake: &FakeStripe, path: &str, body: &str) -> Value {
    let (status, json) = call(fake, "POST", path, body).await;
    assert_eq!(status, 200, "POST {path} {body}: {json}");
    json
}

/// A GET that must succeed; its body.
pub async fn get(fake: &FakeStripe, path: &str) -> Value {
    let (status, json) = call(fake, "GET", path, "").await;
    assert_eq!(status, 200, "GET {path}: {json}");
    json
}

/// A POST that must succeed; the id of what it made.
pub async fn make(fake: &FakeStripe, path: &str, body: &str) -> String {
    let json = post(fake, path, body).await;
    json["id"].as_str().unwrap().to_owned()
}
