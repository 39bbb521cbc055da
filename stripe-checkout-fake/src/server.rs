//! The accept loop (hyper, HTTP/1.1 on 127.0.0.1) and the top-level dispatch by path prefix:
//! `/v1/…` to the API ([`crate::api`]), `/c/pay/…`, `/c/embedded/…` and `/c/recover/…` to the
//! Checkout page and `/v3/` to the Stripe.js stand-in ([`crate::hosted`]), `/_fake/…` to the
//! control endpoints ([`crate::control`]).

use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::Request;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::faults::DropConnection;
use crate::reply::Reply;
use crate::shared::Shared;
use crate::{api, control, hosted};

/// Accepts connections until `shutdown` flips.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { handle(&shared, req).await }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = stop.changed() => {}
            }
        });
    }
}

/// One request, by path prefix.
async fn handle(shared: &Shared, req: Request<Incoming>) -> Result<Reply, DropConnection> {
    let request_id = shared.request_id();
    let path = req.uri().path().to_owned();
    if path.starts_with("/_fake/") {
        return Ok(control::handle(shared, req, &path, &request_id).await);
    }
    if let Some(rest) = path.strip_prefix("/c/pay/") {
        return Ok(hosted::handle(shared, req, rest, &request_id).await);
    }
    if let Some(rest) = path.strip_prefix("/c/embedded/") {
        return Ok(hosted::handle_embedded(shared, req, rest, &request_id).await);
    }
    if path == "/v3/" || path == "/v3" {
        return Ok(hosted::stripe_js(
            shared,
            req.method().as_str(),
            &request_id,
        ));
    }
    if let Some(token) = path.strip_prefix("/c/recover/") {
        return Ok(hosted::recover(
            shared,
            req.method().as_str(),
            token,
            &request_id,
        ));
    }
    api::handle(shared, req, &path, &request_id).await
}
