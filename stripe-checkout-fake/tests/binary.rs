//! The binary serves the same API on the port it is given, for SDKs in other languages.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Kills the child when the test ends, pass or fail.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_serves_on_the_given_port() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_stripe-checkout-fake"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("stripe-checkout-fake listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"));

    let http = reqwest::Client::new();
    // Control endpoint, then the API through the Rust client.
    let price = http
        .post(format!("{base}/_fake/prices"))
        .body("id=price_cli&unit_amount=100&currency=usd")
        .send()
        .await
        .unwrap();
    assert_eq!(price.status(), 200);
    let client = stripe_checkout::Client::builder("sk_test_cli")
        .base_url(&base)
        .build()
        .unwrap();
    let mut params = stripe_checkout::CreateCheckoutSessionParams::hosted(
        stripe_checkout::CheckoutSessionMode::Payment,
        "https://x.test/ok",
    );
    params.line_items = Some(vec![stripe_checkout::CreateCheckoutSessionLineItems {
        price: Some("price_cli".into()),
        quantity: Some(3),
        ..Default::default()
    }]);
    let session = client.checkout_sessions().create(&params).await.unwrap();
    assert_eq!(session.amount_total, Some(300));

    // Bad arguments are a usage error.
    let status = Command::new(env!("CARGO_BIN_EXE_stripe-checkout-fake"))
        .args(["--port", "nope"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}
