//! `cargo xtask bench`: stripe-checkout's runtime cost against its peers, measured in one process.
//!
//! Peers: `serde_json::Value` (untyped JSON), async-stripe 1.0.0-rc.10 (its serde decoder, its
//! miniserde decoder and its serde_qs form encoding), a hand-built form string and a raw reqwest
//! client talking to the same loopback server. Every row is a ratio of medians measured in
//! interleaved rounds of the same run, so a shared, noisy machine slows both sides alike.
//!
//! `bench [--quick]` prints the table (`bench [--quick] loopback` only the loopback rows); `bench mem <kind> <fixture>` is the child process the
//! memory rows run (one process per measurement, so peak RSS is its own).

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use stripe_checkout::__private::Decode;
use stripe_checkout::{
    CheckoutSession, CheckoutSessionMode, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionParams, List,
};

mod fake;
mod loopback;

const LINE_ITEMS: usize = 10;
const METADATA_KEYS: usize = 20;
const LIST_ITEMS: usize = 100;
const HELD_SESSIONS: usize = 10_000;
const SUCCESS_URL: &str = "https://example.com/success?session_id={CHECKOUT_SESSION_ID}";
const CANCEL_URL: &str = "https://example.com/cart";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => run(false),
        ["--quick"] => run(true),
        // Only the loopback rows: they are the slowest to settle, so they get run on their own.
        ["loopback"] => run_loopback(false),
        ["--quick", "loopback"] | ["loopback", "--quick"] => run_loopback(true),
        ["fake"] => run_fake(false),
        ["--quick", "fake"] | ["fake", "--quick"] => run_fake(true),
        ["mem", kind, fixture] => mem_child(kind, fixture),
        // For profilers: decode one fixture in a loop for a few seconds.
        ["spin-decode", fixture] => spin_decode(fixture, false),
        ["spin-decode-list", fixture] => spin_decode(fixture, true),
        ["spin-loopback", which] => loopback::spin(which),
        _ => Err(
            "usage: bench [--quick] [loopback|fake] | bench mem <kind> <fixture>".to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../stripe-checkout/tests/fixtures")
}

/// Stripe's example sessions: (label, pretty-printed JSON as the API sends it). `2023` and `2026`
/// are the fixtures of Stripe's OpenAPI repository; `reference` is the session of the API
/// reference, the shape a real session has (most sub-objects `null`).
fn fixtures() -> Result<Vec<(&'static str, String)>, String> {
    [
        ("2023", "session_2023-08.json"),
        ("2026", "session_2026-08.json"),
        ("reference", "seed_session.json"),
    ]
    .into_iter()
    .map(|(label, file)| {
        let path = fixtures_dir().join(file);
        std::fs::read_to_string(&path)
            .map(|text| (label, text))
            .map_err(|e| format!("reading {}: {e}", path.display()))
    })
    .collect()
}

/// A list page of `LIST_ITEMS` copies of `session`, with distinct ids.
fn list_page(session: &str) -> Result<String, String> {
    let session: serde_json::Value = serde_json::from_str(session).map_err(|e| e.to_string())?;
    let data: Vec<serde_json::Value> = (0..LIST_ITEMS)
        .map(|i| {
            let mut s = session.clone();
            s["id"] = format!("cs_test_bench{i:04}").into();
            s
        })
        .collect();
    let page = serde_json::json!({
        "object": "list", "data": data, "has_more": false, "url": "/v1/checkout/sessions"
    });
    serde_json::to_string_pretty(&page).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Timing

/// Median ns per call of each candidate. Each sample times a batch of calls; the candidates take
/// turns within every round, so background load hits all of them alike.
fn compare(samples: usize, candidates: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    // Batch size: about 3 ms of the slowest candidate per sample.
    let mut slowest = 0.0f64;
    for f in candidates.iter_mut() {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed().as_micros() < 2_000 || n < 3 {
            f();
            n += 1;
        }
        slowest = slowest.max(start.elapsed().as_nanos() as f64 / f64::from(n));
    }
    let batch = ((3e6 / slowest) as usize).max(1);
    let mut times = vec![Vec::with_capacity(samples); candidates.len()];
    for round in 0..samples {
        for k in 0..candidates.len() {
            // Alternate the order so no candidate always runs right after another.
            let i = if round % 2 == 0 {
                k
            } else {
                candidates.len() - 1 - k
            };
            let start = Instant::now();
            for _ in 0..batch {
                candidates[i]();
            }
            times[i].push(start.elapsed().as_nanos() as f64 / batch as f64);
        }
    }
    times.iter_mut().map(|t| median(t)).collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn us(ns: f64) -> String {
    if ns >= 100_000.0 {
        format!("{:.0} us", ns / 1e3)
    } else {
        format!("{:.2} us", ns / 1e3)
    }
}

/// One line of the result table.
struct Row {
    what: String,
    ours: String,
    peers: String,
    /// A ratio and whether its goal holds (`None`: reported, no goal).
    verdicts: Vec<(String, Option<bool>)>,
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| what | ours | peers | ratio (goal) | met |");
    println!("|---|---|---|---|---|");
    for row in rows {
        let ratios: Vec<&str> = row.verdicts.iter().map(|(r, _)| r.as_str()).collect();
        let goals: Vec<bool> = row.verdicts.iter().filter_map(|(_, ok)| *ok).collect();
        let met = if goals.is_empty() {
            "-"
        } else if goals.iter().all(|ok| *ok) {
            "yes"
        } else {
            "**no**"
        };
        println!(
            "| {} | {} | {} | {} | {} |",
            row.what,
            row.ours,
            row.peers,
            ratios.join("; "),
            met
        );
    }
}

/// `peer / ours` as "N.NNx" against `goal` (higher is better for us).
fn speedup(label: &str, peer: f64, ours: f64, goal: f64) -> (String, Option<bool>) {
    let ratio = peer / ours;
    (
        format!("{ratio:.2}x {label} (≥ {goal}x)"),
        Some(ratio >= goal),
    )
}

// ---------------------------------------------------------------------------------------------
// Decoding

fn decode_rows(samples: usize, rows: &mut Vec<Row>) -> Result<(), String> {
    for (label, session) in fixtures()? {
        // Check every decoder accepts the document before timing it.
        let bytes = session.as_bytes();
        CheckoutSession::decode(bytes).map_err(|e| format!("ours, {label}: {e:?}"))?;
        serde_json::from_slice::<CheckoutSession>(bytes).map_err(|e| e.to_string())?;
        let as_serde = serde_json::from_slice::<stripe_shared::CheckoutSession>(bytes)
            .map_err(|e| format!("async-stripe serde, {label}: {e}"));
        let as_mini = miniserde::json::from_str::<stripe_shared::CheckoutSession>(&session)
            .map_err(|e| format!("async-stripe miniserde, {label}: {e}"));
        if let Err(e) = as_serde.as_ref().map(drop).and(as_mini.as_ref().map(drop)) {
            eprintln!("note: {e}");
        }
        let peers_ok = as_serde.is_ok() && as_mini.is_ok();

        let t = compare(
            samples,
            &mut [
                &mut || drop(black_box(CheckoutSession::decode(black_box(bytes)))),
                &mut || {
                    drop(black_box(serde_json::from_slice::<CheckoutSession>(
                        black_box(bytes),
                    )))
                },
                &mut || {
                    drop(black_box(serde_json::from_slice::<serde_json::Value>(
                        black_box(bytes),
                    )))
                },
                &mut || {
                    drop(black_box(serde_json::from_slice::<
                        stripe_shared::CheckoutSession,
                    >(black_box(bytes))))
                },
                // async-stripe's client hands miniserde a `&str`; UTF-8 checking is not counted.
                &mut || {
                    drop(black_box(miniserde::json::from_str::<
                        stripe_shared::CheckoutSession,
                    >(black_box(&session))))
                },
            ],
        );
        let [client, typed, value, a_serde, a_mini] = t[..] else {
            return Err("timing returned the wrong number of results".to_owned());
        };
        let mut verdicts = vec![speedup("faster than Value", value, client, 1.5)];
        if peers_ok {
            verdicts.push(speedup("vs miniserde", a_mini, client, 1.0));
        }
        rows.push(Row {
            what: format!("decode one {label} session, client path (`Decode::decode`)"),
            ours: us(client),
            peers: if peers_ok {
                format!(
                    "Value {}, async-stripe serde {}, miniserde {}; ours through serde {}",
                    us(value),
                    us(a_serde),
                    us(a_mini),
                    us(typed)
                )
            } else {
                format!(
                    "Value {}; ours through serde {}; async-stripe cannot decode this fixture",
                    us(value),
                    us(typed)
                )
            },
            verdicts,
        });

        let page = list_page(&session)?;
        let page_bytes = page.as_bytes();
        List::<CheckoutSession>::decode(page_bytes).map_err(|e| format!("ours list: {e:?}"))?;
        let mini_ok =
            miniserde::json::from_str::<stripe_types::List<stripe_shared::CheckoutSession>>(&page)
                .is_ok();
        let t = compare(
            samples,
            &mut [
                &mut || {
                    drop(black_box(List::<CheckoutSession>::decode(black_box(
                        page_bytes,
                    ))))
                },
                &mut || {
                    drop(black_box(serde_json::from_slice::<serde_json::Value>(
                        black_box(page_bytes),
                    )))
                },
                &mut || {
                    drop(black_box(miniserde::json::from_str::<
                        stripe_types::List<stripe_shared::CheckoutSession>,
                    >(black_box(&page))))
                },
            ],
        );
        let [client, value, a_mini] = t[..] else {
            return Err("timing returned the wrong number of results".to_owned());
        };
        let mut verdicts = vec![speedup("faster than Value", value, client, 1.5)];
        if mini_ok {
            verdicts.push(speedup("vs miniserde", a_mini, client, 1.0));
        }
        rows.push(Row {
            what: format!("decode a {LIST_ITEMS}-session {label} list page, client path"),
            ours: us(client),
            peers: if mini_ok {
                format!("Value {}, async-stripe miniserde {}", us(value), us(a_mini))
            } else {
                format!(
                    "Value {}; async-stripe cannot decode this fixture",
                    us(value)
                )
            },
            verdicts,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Encoding

fn metadata_entry(j: usize) -> (String, String) {
    (
        format!("order_line_{j:02}"),
        format!("SKU-{j} size M/blue & co"),
    )
}

fn product_name(i: usize) -> String {
    format!("T-shirt #{i} (size M)")
}

const PRODUCT_DESCRIPTION: &str = "Organic cotton, printed in Lisbon";
const EXPAND: [&str; 2] = ["line_items", "customer"];
const EXCLUDED: [&str; 3] = ["alipay", "klarna", "wechat_pay"];

/// The create params every encode and loopback row uses: 10 line items with inline prices and
/// product data, 20 metadata keys, `expand` and excluded payment method types.
pub fn our_params() -> CreateCheckoutSessionParams {
    use stripe_checkout::{
        CreateCheckoutSessionExcludedPaymentMethodTypes as Excluded,
        CreateCheckoutSessionLineItemsPriceData as PriceData,
        CreateCheckoutSessionLineItemsPriceDataProductData as ProductData,
    };
    // The only constructor call: when the constructors change, this line changes.
    let mut params = CreateCheckoutSessionParams::hosted(CheckoutSessionMode::Payment, SUCCESS_URL);
    params.cancel_url = Some(CANCEL_URL.into());
    params.excluded_payment_method_types =
        Some(EXCLUDED.iter().map(|m| Excluded::from(*m)).collect());
    params.expand = Some(EXPAND.iter().map(|e| (*e).to_owned()).collect());
    params.line_items = Some(
        (0..LINE_ITEMS)
            .map(|i| {
                let mut product = ProductData::new(product_name(i));
                product.description = Some(PRODUCT_DESCRIPTION.into());
                let mut price = PriceData::new("usd");
                price.product_data = Some(product.into());
                price.unit_amount = Some(100 * (i as i64 + 1));
                CreateCheckoutSessionLineItems {
                    price_data: Some(price.into()),
                    quantity: Some(i as i64 + 1),
                    ..Default::default()
                }
            })
            .collect(),
    );
    params.metadata = Some(
        (0..METADATA_KEYS)
            .map(metadata_entry)
            .collect::<BTreeMap<_, _>>(),
    );
    params
}

fn async_stripe_params() -> as_checkout::checkout_session::CreateCheckoutSession {
    use as_checkout::checkout_session::{
        CreateCheckoutSession, CreateCheckoutSessionExcludedPaymentMethodTypes as Excluded,
        CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData, ProductData,
    };
    let items: Vec<CreateCheckoutSessionLineItems> = (0..LINE_ITEMS)
        .map(|i| {
            let mut product = ProductData::new(product_name(i));
            product.description = Some(PRODUCT_DESCRIPTION.into());
            let mut price = CreateCheckoutSessionLineItemsPriceData::new(stripe_types::Currency::USD);
            price.product_data = Some(product);
            price.unit_amount = Some(100 * (i as i64 + 1));
            let mut item = CreateCheckoutSessionLineItems::new();
            item.price_data = Some(price);
            item.quantity = Some(i as u64 + 1);
            item
        })
        .collect();
    CreateCheckoutSession::new()
        .cancel_url(CANCEL_URL)
        .excluded_payment_method_types(vec![
            Excluded::Alipay,
            Excluded::Klarna,
            Excluded::WechatPay,
        ])
        .expand(EXPAND.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>())
        .line_items(items)
        .metadata(
            (0..METADATA_KEYS)
                .map(metadata_entry)
                .collect::<HashMap<_, _>>(),
        )
        .mode(stripe_shared::CheckoutSessionMode::Payment)
        .success_url(SUCCESS_URL)
}

fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// The values of the params, as a hand-written encoder would hold them.
pub struct HandInputs {
    names: Vec<String>,
    metadata: Vec<(String, String)>,
}

pub fn hand_inputs() -> HandInputs {
    HandInputs {
        names: (0..LINE_ITEMS).map(product_name).collect(),
        metadata: (0..METADATA_KEYS).map(metadata_entry).collect(),
    }
}

/// The same form written by hand from ready values: the floor for any encoder.
pub fn hand_built_form(inputs: &HandInputs) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(4096);
    out.push_str("cancel_url=");
    push_encoded(&mut out, CANCEL_URL);
    for (i, method) in EXCLUDED.iter().enumerate() {
        let _ = write!(out, "&excluded_payment_method_types[{i}]={method}");
    }
    for (i, expand) in EXPAND.iter().enumerate() {
        let _ = write!(out, "&expand[{i}]={expand}");
    }
    for (i, name) in inputs.names.iter().enumerate() {
        let _ = write!(out, "&line_items[{i}][price_data][currency]=usd");
        let _ = write!(out, "&line_items[{i}][price_data][product_data][description]=");
        push_encoded(&mut out, PRODUCT_DESCRIPTION);
        let _ = write!(out, "&line_items[{i}][price_data][product_data][name]=");
        push_encoded(&mut out, name);
        let _ = write!(
            out,
            "&line_items[{i}][price_data][unit_amount]={}&line_items[{i}][quantity]={}",
            100 * (i + 1),
            i + 1
        );
    }
    for (k, v) in &inputs.metadata {
        out.push_str("&metadata[");
        push_encoded(&mut out, k);
        out.push_str("]=");
        push_encoded(&mut out, v);
    }
    out.push_str("&mode=payment&success_url=");
    push_encoded(&mut out, SUCCESS_URL);
    out
}

fn encode_rows(samples: usize, rows: &mut Vec<Row>) -> Result<(), String> {
    use stripe_checkout::__private::Encode;
    use stripe_client_core::StripeRequest;
    let ours = our_params();
    let theirs = async_stripe_params();
    let inputs = hand_inputs();
    // What the client sends: `Client::call` encodes through the params' `Encode` impl.
    let form = ours.encode().map_err(|e| e.to_string())?;
    // The hand-built string doubles as a check that the output is the documented encoding.
    if form != hand_built_form(&inputs) {
        return Err(format!(
            "our form differs from the hand-built one:\n{form}\n{}",
            hand_built_form(&inputs)
        ));
    }
    let t = compare(
        samples,
        &mut [
            &mut || drop(black_box(black_box(&ours).encode())),
            &mut || drop(black_box(black_box(&theirs).build().body)),
            &mut || drop(black_box(hand_built_form(black_box(&inputs)))),
        ],
    );
    let [ours_t, qs, hand] = t[..] else {
        return Err("timing returned the wrong number of results".to_owned());
    };
    rows.push(Row {
        what: format!(
            "encode create params, client path (`Encode::encode`: {LINE_ITEMS} line items with product data, {METADATA_KEYS} metadata keys, expand, payment method types)"
        ),
        ours: us(ours_t),
        peers: format!("async-stripe (serde_qs) {}, hand-built {}", us(qs), us(hand)),
        verdicts: vec![
            speedup("vs serde_qs", qs, ours_t, 1.2),
            (format!("{:.2}x the hand-built time", ours_t / hand), None),
        ],
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Memory

/// Peak resident set size of this process so far, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".to_owned())
}

fn mem_child(kind: &str, fixture: &str) -> Result<(), String> {
    let (_, session) = fixtures()?
        .into_iter()
        .find(|(label, _)| *label == fixture)
        .ok_or_else(|| format!("no fixture {fixture}"))?;
    let bytes = session.as_bytes();
    let before = peak_rss_kib()?;
    let held: Box<dyn std::any::Any> = match kind {
        "ours" => Box::new(
            (0..HELD_SESSIONS)
                .map(|_| CheckoutSession::decode(bytes).map_err(|e| e.message))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        "value" => Box::new(
            (0..HELD_SESSIONS)
                .map(|_| serde_json::from_slice::<serde_json::Value>(bytes))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?,
        ),
        "async-stripe" => Box::new(
            (0..HELD_SESSIONS)
                .map(|_| miniserde::json::from_str::<stripe_shared::CheckoutSession>(&session))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?,
        ),
        _ => return Err(format!("unknown kind {kind}")),
    };
    let after = peak_rss_kib()?;
    black_box(&held);
    println!("{before} {after}");
    Ok(())
}

fn spin_decode(fixture: &str, list: bool) -> Result<(), String> {
    let (_, session) = fixtures()?
        .into_iter()
        .find(|(label, _)| *label == fixture)
        .ok_or_else(|| format!("no fixture {fixture}"))?;
    let page = list_page(&session)?;
    let start = Instant::now();
    while start.elapsed().as_secs() < 4 {
        for _ in 0..100 {
            if list {
                drop(black_box(List::<CheckoutSession>::decode(black_box(
                    page.as_bytes(),
                ))));
            } else {
                drop(black_box(CheckoutSession::decode(black_box(
                    session.as_bytes(),
                ))));
            }
        }
    }
    Ok(())
}

/// (peak RSS, growth while decoding) in KiB, from a fresh child process.
fn mem_run(kind: &str, fixture: &str) -> Result<(u64, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["mem", kind, fixture])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "mem {kind} {fixture}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(str::parse::<u64>);
    match (parts.next(), parts.next()) {
        (Some(Ok(before)), Some(Ok(after))) => Ok((after, after.saturating_sub(before))),
        _ => Err(format!("mem {kind} {fixture}: unexpected output {text:?}")),
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn mem_rows(rows: &mut Vec<Row>) -> Result<(), String> {
    let per_session = |kib: u64| kib as f64 * 1024.0 / HELD_SESSIONS as f64 / 1000.0;
    for fixture in ["2023", "2026", "reference"] {
        let (ours_peak, ours) = mem_run("ours", fixture)?;
        let (value_peak, value) = mem_run("value", fixture)?;
        let theirs = mem_run("async-stripe", fixture).ok().map(|(_, grown)| grown);
        let mut verdicts = vec![(
            format!("{:.2}x the memory of Value", ours as f64 / value as f64),
            None,
        )];
        let mut peers = format!("Value {} ({})", mib(value), mib(value_peak));
        if let Some(theirs) = theirs {
            peers.push_str(&format!(
                ", async-stripe {} ({:.1} KB per session)",
                mib(theirs),
                per_session(theirs)
            ));
            let ratio = ours as f64 / theirs as f64;
            // The goal is set for the current API version's sessions.
            let goal = (fixture == "2026").then_some(ratio <= 0.6);
            let label = if goal.is_some() { " (≤ 0.6x)" } else { "" };
            verdicts.push((format!("{ratio:.2}x async-stripe's memory{label}"), goal));
        }
        rows.push(Row {
            what: format!("memory: {HELD_SESSIONS} decoded {fixture} sessions held (peak RSS growth; process peak)"),
            ours: format!(
                "{} ({}), {:.1} KB per session",
                mib(ours),
                mib(ours_peak),
                per_session(ours)
            ),
            peers,
            verdicts,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------

fn run(quick: bool) -> Result<(), String> {
    let samples = if quick { 7 } else { 25 };
    let mut rows = Vec::new();
    eprintln!("decoding…");
    decode_rows(samples, &mut rows)?;
    eprintln!("encoding…");
    encode_rows(samples, &mut rows)?;
    eprintln!("memory…");
    mem_rows(&mut rows)?;
    eprintln!("loopback…");
    loopback::rows(quick, &mut rows)?;
    eprintln!("stripe-checkout-fake…");
    fake::rows(quick, &mut rows)?;
    print_table(&rows);
    Ok(())
}

/// Only the `stripe-checkout-fake` rows.
fn run_fake(quick: bool) -> Result<(), String> {
    let mut rows = Vec::new();
    fake::rows(quick, &mut rows)?;
    print_table(&rows);
    Ok(())
}

fn run_loopback(quick: bool) -> Result<(), String> {
    let mut rows = Vec::new();
    loopback::rows(quick, &mut rows)?;
    print_table(&rows);
    Ok(())
}
