//! `stripe-checkout-fake [--port N]`: serves the fake on 127.0.0.1 until the process is stopped
//! (Ctrl-C).
//! Point any Stripe SDK at the printed URL with an `sk_test_…` key; the `/_fake/` control
//! endpoints are listed in the crate docs.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match args.as_slice() {
        [] => 12111,
        [flag, n] if flag == "--port" => match n.parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("--port expects a port number, got `{n}`");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!(
                "usage: stripe-checkout-fake [--port N]   (default 12111; 0 picks a free port)"
            );
            return ExitCode::from(2);
        }
    };
    let fake = match stripe_checkout_fake::FakeStripe::start_on(port).await {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("stripe-checkout-fake listening on {}", fake.base_url());
    // Serves until the process is killed; the fake holds nothing that needs flushing.
    std::future::pending::<()>().await;
    drop(fake);
    ExitCode::SUCCESS
}
