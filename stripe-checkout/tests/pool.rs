//! The client's connection pool: how many idle connections stay open after a burst, and for how
//! long. Measured from the server side, which sees every connection open and close.

mod common;

use std::convert::Infallible;
use std::future::IntoFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use stripe_checkout::{Client, ClientBuilder, Method};
use tokio::net::TcpListener;

/// A keep-alive HTTP/1.1 server that answers every request with `{}` after 50 ms (so a burst
/// needs one connection per request) and counts the connections currently open.
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let open = Arc::new(AtomicUsize::new(0));
    let counter = open.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let counter = counter.clone();
            tokio::spawn(async move {
                let service = service_fn(|_request: Request<Incoming>| async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"{}"))))
                });
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(socket), service)
                    .await;
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (format!("http://{addr}"), open)
}

/// Sends `n` concurrent GETs, then returns how many connections are still open after `wait`.
async fn open_after_burst(
    builder: ClientBuilder,
    open: &AtomicUsize,
    n: usize,
    wait: Duration,
) -> usize {
    let client: Client = builder.build().unwrap();
    let calls: Vec<_> = (0..n)
        .map(|_| {
            tokio::spawn(
                client
                    .send::<_, Value>(Method::Get, "/v1/ping", &())
                    .into_future(),
            )
        })
        .collect();
    let mut peak = 0;
    for call in calls {
        call.await.unwrap().unwrap();
        peak = peak.max(open.load(Ordering::SeqCst));
    }
    assert!(peak > 8, "the burst used only {peak} connections");
    tokio::time::sleep(wait).await;
    let left = open.load(Ordering::SeqCst);
    drop(client);
    left
}

#[tokio::test]
async fn idle_connections_after_a_burst_are_capped() {
    let (url, open) = counting_server().await;
    let left = open_after_burst(
        common::builder_for(&url).pool_max_idle_per_host(4),
        &open,
        40,
        Duration::from_millis(300),
    )
    .await;
    assert!(left <= 4, "{left} idle connections left open, limit 4");
}

#[tokio::test]
async fn the_default_keeps_at_most_32_idle_connections() {
    let (url, open) = counting_server().await;
    let left = open_after_burst(
        common::builder_for(&url),
        &open,
        64,
        Duration::from_millis(300),
    )
    .await;
    assert!(
        left <= 32,
        "{left} idle connections left open, default limit 32"
    );
    assert!(left > 0, "keep-alive connections are kept for reuse");
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_idle_timeout() {
    let (url, open) = counting_server().await;
    let left = open_after_burst(
        common::builder_for(&url).pool_idle_timeout(Some(Duration::from_millis(100))),
        &open,
        16,
        Duration::from_millis(1500),
    )
    .await;
    assert_eq!(left, 0, "idle connections outlived the idle timeout");
}
