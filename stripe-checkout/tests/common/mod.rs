//! Shared helpers for the HTTP tests: a client pointed at a local wiremock server with
//! millisecond retry delays.
#![allow(dead_code)]

use std::time::Duration;

use stripe_checkout::{Client, ClientBuilder};
use wiremock::MockServer;

pub const KEY: &str = "sk_test_51SecretKeyDoNotLeak";

pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_for(&server.uri())
}

pub fn builder_for(base_url: &str) -> ClientBuilder {
    Client::builder(KEY)
        .base_url(base_url)
        .initial_retry_delay(Duration::from_millis(1))
        .max_retry_delay(Duration::from_millis(4))
        .max_retry_after(Duration::from_millis(10))
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("test client")
}

pub fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}
