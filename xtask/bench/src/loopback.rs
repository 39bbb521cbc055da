//! The request-rate rows: `create` calls against a minimal hyper server on 127.0.0.1 that
//! returns a fixed session, through stripe-checkout and through a raw reqwest client that posts
//! a hand-built form and parses the answer into a `serde_json::Value`.
//!
//! The server runs on its own thread and runtime; the clients run on a current-thread runtime
//! on the main thread, so that thread's CPU time (`getrusage(RUSAGE_THREAD)`) is exactly the
//! client's cost per request, whatever else the machine is doing.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::task::JoinSet;

use crate::{fixtures, hand_built_form, hand_inputs, median, our_params, HandInputs, Row};

const CONCURRENCY: usize = 32;
const KEY: &str = "sk_test_bench";

fn start_server(body: Bytes) -> Result<SocketAddr, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    std::thread::Builder::new()
        .name("loopback-server".into())
        .spawn(move || runtime.block_on(serve(listener, body)))
        .map_err(|e| e.to_string())?;
    Ok(addr)
}

async fn serve(listener: std::net::TcpListener, body: Bytes) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let body = body.clone();
                async move {
                    // Read the whole form, as Stripe would.
                    let _ = request.into_body().collect().await;
                    let mut response = Response::new(Full::new(body));
                    let headers = response.headers_mut();
                    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    headers.insert("request-id", HeaderValue::from_static("req_bench"));
                    Ok::<_, Infallible>(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    if rc != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

#[derive(Clone)]
struct Ours {
    client: stripe_checkout::Client,
    params: Arc<stripe_checkout::CreateCheckoutSessionParams>,
}

#[derive(Clone)]
struct Raw {
    client: reqwest::Client,
    url: Arc<str>,
    inputs: Arc<HandInputs>,
}

impl Ours {
    async fn call(&self) -> Result<(), String> {
        let session = self
            .client
            .checkout_sessions()
            .create(&self.params)
            .await
            .map_err(|e| e.to_string())?;
        std::hint::black_box(session);
        Ok(())
    }
}

impl Raw {
    async fn call(&self) -> Result<(), String> {
        let response = self
            .client
            .post(&*self.url)
            .header(
                reqwest::header::AUTHORIZATION,
                concat!("Bearer ", "sk_test_bench"),
            )
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(hand_built_form(&self.inputs))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| e.to_string())?;
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let session: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        std::hint::black_box(session);
        Ok(())
    }
}

#[derive(Clone)]
enum Caller {
    Ours(Ours),
    Raw(Raw),
}

impl Caller {
    async fn call(&self) -> Result<(), String> {
        match self {
            Caller::Ours(c) => c.call().await,
            Caller::Raw(c) => c.call().await,
        }
    }
}

/// `(requests per second, client CPU per request)` for `n` calls from `tasks` tasks.
async fn batch(caller: &Caller, n: usize, tasks: usize) -> Result<(f64, Duration), String> {
    let cpu = thread_cpu();
    let start = Instant::now();
    if tasks == 1 {
        for _ in 0..n {
            caller.call().await?;
        }
    } else {
        let mut set = JoinSet::new();
        for _ in 0..tasks {
            let caller = caller.clone();
            let per_task = n / tasks;
            set.spawn(async move {
                for _ in 0..per_task {
                    caller.call().await?;
                }
                Ok::<(), String>(())
            });
        }
        while let Some(done) = set.join_next().await {
            done.map_err(|e| e.to_string())??;
        }
    }
    let wall = start.elapsed();
    let cpu = thread_cpu().saturating_sub(cpu);
    let n = (n / tasks * tasks) as u32;
    Ok((f64::from(n) / wall.as_secs_f64(), cpu / n))
}

/// For profilers: sequential calls through one client (`ours` or `raw`) for a few seconds, so
/// a profile of the main thread holds that client's cost alone.
pub fn spin(which: &str) -> Result<(), String> {
    let (runtime, ours, raw) = setup()?;
    let caller = match which {
        "ours" => ours,
        "raw" => raw,
        _ => return Err(format!("spin-loopback takes ours or raw, not {which:?}")),
    };
    runtime.block_on(async {
        let start = Instant::now();
        let mut calls = 0u32;
        while start.elapsed() < Duration::from_secs(5) {
            let (_, cpu) = batch(&caller, 1000, 1).await?;
            calls += 1000;
            eprintln!("{calls} calls, {:.1} us CPU each", cpu.as_secs_f64() * 1e6);
        }
        Ok(())
    })
}

/// The loopback server, the client runtime and both callers, configured alike.
fn setup() -> Result<(tokio::runtime::Runtime, Caller, Caller), String> {
    let (_, session) = fixtures()?.into_iter().next().ok_or("no session fixture")?;
    let addr = start_server(Bytes::from(session))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let ours = Caller::Ours(Ours {
        client: stripe_checkout::Client::builder(KEY)
            .base_url(format!("http://{addr}"))
            .build()
            .map_err(|e| e.to_string())?,
        params: Arc::new(our_params()),
    });
    let raw = Caller::Raw(Raw {
        client: reqwest::Client::new(),
        url: format!("http://{addr}/v1/checkout/sessions").into(),
        inputs: Arc::new(hand_inputs()),
    });
    Ok((runtime, ours, raw))
}

pub fn rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let (runtime, ours, raw) = setup()?;
    let rounds = if quick { 3 } else { 9 };
    let n = if quick { 320 } else { 960 };
    runtime.block_on(async {
        for (label, tasks) in [("sequential", 1), ("32 concurrent tasks", CONCURRENCY)] {
            // Warm up: connections, pools, allocator.
            batch(&raw, n / 4, tasks).await?;
            batch(&ours, n / 4, tasks).await?;
            let (mut o_rps, mut o_cpu, mut r_rps, mut r_cpu) = (vec![], vec![], vec![], vec![]);
            for round in 0..rounds {
                let order = if round % 2 == 0 {
                    [&raw, &ours]
                } else {
                    [&ours, &raw]
                };
                for caller in order {
                    let (rps, cpu) = batch(caller, n, tasks).await?;
                    let cpu = cpu.as_secs_f64() * 1e6;
                    if matches!(caller, Caller::Ours(_)) {
                        o_rps.push(rps);
                        o_cpu.push(cpu);
                    } else {
                        r_rps.push(rps);
                        r_cpu.push(cpu);
                    }
                }
            }
            let (o_rps, o_cpu) = (median(&mut o_rps), median(&mut o_cpu));
            let (r_rps, r_cpu) = (median(&mut r_rps), median(&mut r_cpu));
            let ratio = o_rps / r_rps;
            rows.push(Row {
                what: format!("create calls on loopback, {label}"),
                ours: format!("{o_rps:.0} req/s, {o_cpu:.0} us client CPU each"),
                peers: format!("raw reqwest + Value {r_rps:.0} req/s, {r_cpu:.0} us"),
                verdicts: vec![
                    (
                        format!("{ratio:.2}x raw req/s (≥ 0.9x)"),
                        Some(ratio >= 0.9),
                    ),
                    (format!("{:.2}x raw CPU/req", o_cpu / r_cpu), None),
                ],
            });
        }
        Ok(())
    })
}
