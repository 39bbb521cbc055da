//! `stripe-checkout-fake [--port N]`: serves the fake on 127.0.0.1 until the process is stopped
//! (Ctrl-C). `--help` lists the control endpoints.
//! Point any Stripe SDK at the printed URL with an `sk_test_…` key; the `/_fake/` control
//! endpoints are documented in the crate docs and the crate's README ("Control endpoints").

use std::process::ExitCode;

/// The port when none is given (stripe-mock's is 12111 too, so SDK test setups carry over).
const DEFAULT_PORT: u16 = 12111;

fn usage() -> String {
    format!(
        "\
stripe-checkout-fake: a stateful, spec-validating fake of Stripe's Checkout Session API
(Stripe-Version {version}) with signed webhooks, for testing integrations without the network.

Usage: stripe-checkout-fake [--port N]

Options:
  --port N    listen on 127.0.0.1:N (default {DEFAULT_PORT}; 0 picks a free port)
  -h, --help  print this help

It prints `stripe-checkout-fake listening on http://127.0.0.1:PORT`, then serves until stopped.
Point a Stripe SDK at that URL with any sk_test_… key. Control endpoints (no key, form-encoded,
JSON answers, Stripe-shaped 400s naming the bad `param`):
  POST /_fake/sessions/{{id}}/complete                 delayed=true|false, email, name, address[...],
                                                     phone, shipping[name], shipping[address][...],
                                                     custom_fields[key], terms_of_service=accepted,
                                                     shipping_rate
  POST /_fake/business_name                          name (shown on the Checkout page)
  POST /_fake/sessions/{{id}}/async_payment_succeeded  (no params)
  POST /_fake/sessions/{{id}}/async_payment_failed     (no params)
  POST /_fake/subscriptions/{{id}}/fail_next_renewal   (no params)
  POST /_fake/clock/advance                          seconds (0..315360000; renews subscriptions)
  GET  /_fake/clock
  POST /_fake/prices                                 id, unit_amount, currency, interval, product_name
  POST /_fake/webhook_endpoints                      url, secret, enabled_events[]
  POST /_fake/faults                                 kind=status|rate_limit|delay|drop_connection,
                                                     status, retry_after, should_retry, delay_ms,
                                                     times, method, path_prefix
  POST /_fake/automatic_tax_rates                    country, percentage (0..100)
  GET  /_fake/events
  GET  /_fake/deliveries
Parameters, types and answers: the crate's README.md, \"Control endpoints\".
",
        version = stripe_checkout::API_VERSION,
    )
}

/// What the command line asks for.
enum Command {
    Serve(u16),
    Help,
}

fn parse(args: &[String]) -> Result<Command, String> {
    let mut port = DEFAULT_PORT;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--port" => rest
                .next()
                .ok_or_else(|| "--port expects a port number".to_owned())?,
            other => match other.strip_prefix("--port=") {
                Some(value) => value,
                None => return Err(format!("unknown argument `{other}`")),
            },
        };
        port = value
            .parse()
            .map_err(|_| format!("--port expects a port number (0-65535), got `{value}`"))?;
    }
    Ok(Command::Serve(port))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match parse(&args) {
        Ok(Command::Serve(port)) => port,
        Ok(Command::Help) => {
            print!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("stripe-checkout-fake: {problem}\n\n{}", usage());
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
