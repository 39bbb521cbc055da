//! The HTTP side: hyper on 127.0.0.1, routing, authentication, faults, idempotency, the hosted
//! page and the `/_fake/` control endpoints.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, LOCATION};
use hyper::{Request, Response, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::error::ApiError;
use crate::faults::{Fault, FaultKind};
use crate::form;
use crate::schema;
use crate::state::{Completion, Price, RequestContext, State, DAY};
use crate::webhooks::{Hub, WebhookEndpoint};

/// The largest request body accepted (Stripe's own limit is not documented; 1 MiB is far above
/// any Checkout request).
pub const MAX_BODY: usize = 1 << 20;

/// Everything a request handler needs.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub control: Mutex<Control>,
    pub hooks: Hub,
    pub base_url: String,
    pub runtime: tokio::runtime::Handle,
    requests: AtomicU64,
    request_prefix: String,
}

/// Idempotency records and armed faults.
#[derive(Default)]
pub(crate) struct Control {
    idempotency: HashMap<(Option<String>, String), Idempotent>,
    pub faults: Vec<Fault>,
}

enum Idempotent {
    InFlight {
        fingerprint: String,
        since: i64,
    },
    Done {
        fingerprint: String,
        since: i64,
        status: u16,
        body: Bytes,
    },
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(
        base_url: String,
        shutdown: watch::Receiver<bool>,
        runtime: tokio::runtime::Handle,
    ) -> Shared {
        let mut state = State::default();
        let prefix = state.id("req_");
        Shared {
            state: Mutex::new(state),
            control: Mutex::new(Control::default()),
            hooks: Hub::new(shutdown),
            base_url,
            runtime,
            requests: AtomicU64::new(0),
            request_prefix: prefix[..12].to_owned(),
        }
    }

    /// Runs `f` on the state, then queues the events it emitted for delivery.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let (out, events) = {
            let mut state = lock(&self.state);
            let out = f(&mut state);
            (out, state.take_pending())
        };
        self.hooks.dispatch(events);
        out
    }

    fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        format!("{}{n:08}", self.request_prefix)
    }
}

/// The service's error: the connection is dropped without a response.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by a fault")
    }
}

impl std::error::Error for DropConnection {}

type Reply = Response<Full<Bytes>>;

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

fn json_reply(status: u16, body: Bytes, request_id: &str) -> Reply {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("request-id", id);
    }
    headers.insert(
        "stripe-version",
        HeaderValue::from_static(crate::params::API_VERSION),
    );
    response
}

fn error_reply(error: &ApiError, request_id: &str) -> Reply {
    json_reply(
        error.status,
        Bytes::from(error.body().to_string()),
        request_id,
    )
}

fn header<'a>(req: &'a Request<Incoming>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn read_body(body: Incoming) -> Result<Bytes, ApiError> {
    let limited = Limited::new(body, MAX_BODY);
    match tokio::time::timeout(Duration::from_secs(30), limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(ApiError {
            status: 413,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: format!("Request bodies are limited to {MAX_BODY} bytes."),
        }),
        _ => Err(ApiError::invalid(
            None,
            None,
            "The request body could not be read.".to_owned(),
        )),
    }
}

async fn handle(shared: &Shared, req: Request<Incoming>) -> Result<Reply, DropConnection> {
    let request_id = shared.request_id();
    let path = req.uri().path().to_owned();
    if path.starts_with("/_fake/") {
        return Ok(control(shared, req, &path, &request_id).await);
    }
    if let Some(rest) = path.strip_prefix("/c/pay/") {
        let rest = rest.to_owned();
        return Ok(hosted(shared, req, &rest, &request_id).await);
    }
    api(shared, req, &path, &request_id).await
}

/// `Authorization: Bearer sk_test_…` (or HTTP Basic with the key as user name, which Stripe
/// also accepts). <https://docs.stripe.com/api/authentication>, <https://docs.stripe.com/keys>.
fn authenticate(req: &Request<Incoming>) -> Result<(), ApiError> {
    let unauthorized = |message: String| ApiError {
        status: 401,
        kind: "invalid_request_error",
        code: None,
        param: None,
        message,
    };
    let Some(auth) = header(req, "authorization") else {
        return Err(unauthorized("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.".to_owned()));
    };
    let key = if let Some(bearer) = auth.strip_prefix("Bearer ") {
        bearer.trim().to_owned()
    } else if let Some(basic) = auth.strip_prefix("Basic ") {
        decode_basic_user(basic.trim()).unwrap_or_default()
    } else {
        String::new()
    };
    if (key.starts_with("sk_test_") || key.starts_with("rk_test_")) && key.len() > 8 {
        return Ok(());
    }
    let shown = if key.len() > 4 {
        let tail: String = key
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!(
            "{}****{tail}",
            key.split('_').take(2).collect::<Vec<_>>().join("_")
        )
    } else {
        "****".to_owned()
    };
    let shown = if key.starts_with("sk_live_") || key.starts_with("rk_live_") {
        format!("{shown} (stripe-checkout-fake accepts only test keys: sk_test_… or rk_test_…)")
    } else {
        shown
    };
    Err(unauthorized(format!("Invalid API Key provided: {shown}")))
}

/// The user name of an HTTP Basic credential.
fn decode_basic_user(b64: &str) -> Option<String> {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in b64.bytes().take(1024) {
        if c == b'=' {
            break;
        }
        let v = TABLE.iter().position(|&t| t == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    Some(text.split(':').next().unwrap_or_default().to_owned())
}

/// The operation a method and path name, and its session id.
fn route(method: &str, path: &str) -> Option<(&'static str, Option<String>)> {
    let rest = path.strip_prefix("/v1/checkout/sessions")?;
    if rest.is_empty() || rest == "/" {
        return match method {
            "GET" => Some(("GetCheckoutSessions", None)),
            "POST" => Some(("PostCheckoutSessions", None)),
            _ => None,
        };
    }
    let rest = rest.strip_prefix('/')?;
    let (raw_id, tail) = match rest.split_once('/') {
        Some((id, tail)) => (id, Some(tail)),
        None => (rest, None),
    };
    let id = percent_decode_str(raw_id).decode_utf8().ok()?.into_owned();
    if id.is_empty() {
        return None;
    }
    let op = match (method, tail) {
        ("GET", None) => "GetCheckoutSessionsSession",
        ("POST", None) => "PostCheckoutSessionsSession",
        ("POST", Some("expire")) => "PostCheckoutSessionsSessionExpire",
        ("GET", Some("line_items")) => "GetCheckoutSessionsSessionLineItems",
        _ => return None,
    };
    Some((op, Some(id)))
}

fn fault_reply(
    status: u16,
    retry_after: Option<u64>,
    should_retry: Option<bool>,
    request_id: &str,
) -> Reply {
    let error = ApiError {
        status,
        kind: if status == 429 {
            "rate_limit_error"
        } else if status >= 500 {
            "api_error"
        } else {
            "invalid_request_error"
        },
        code: if status == 429 {
            Some("rate_limit")
        } else {
            None
        },
        param: None,
        message: if status == 429 {
            "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.".to_owned()
        } else {
            "An unknown error occurred (injected by stripe-checkout-fake).".to_owned()
        },
    };
    let mut reply = error_reply(&error, request_id);
    if let Some(seconds) = retry_after {
        reply
            .headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    if let Some(retry) = should_retry {
        reply.headers_mut().insert(
            "stripe-should-retry",
            HeaderValue::from_static(if retry { "true" } else { "false" }),
        );
    }
    reply
}

async fn api(
    shared: &Shared,
    req: Request<Incoming>,
    path: &str,
    request_id: &str,
) -> Result<Reply, DropConnection> {
    if let Err(e) = authenticate(&req) {
        return Ok(error_reply(&e, request_id));
    }
    let method = req.method().as_str().to_owned();
    let Some((op_id, session_id)) = route(&method, path) else {
        let e = ApiError {
            status: 404,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: format!(
                "Unrecognized request URL ({method}: {}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                path.chars().take(200).collect::<String>()
            ),
        };
        return Ok(error_reply(&e, request_id));
    };
    let account = header(&req, "stripe-account")
        .map(str::to_owned)
        .filter(|a| !a.is_empty());
    let idempotency_key = header(&req, "idempotency-key")
        .map(str::to_owned)
        .filter(|k| !k.is_empty());

    // Faults come before anything is executed (and so before idempotency is recorded).
    let fault = {
        let mut control = lock(&shared.control);
        let found = control.faults.iter_mut().find(|f| f.matches(&method, path));
        found.map(|f| {
            f.times -= 1;
            f.kind.clone()
        })
    };
    let mut delay = None;
    match fault {
        Some(FaultKind::Status {
            status,
            retry_after,
            should_retry,
        }) => return Ok(fault_reply(status, retry_after, should_retry, request_id)),
        Some(FaultKind::DropConnection) => return Err(DropConnection),
        Some(FaultKind::Delay(d)) => delay = Some(d),
        None => {}
    }

    let query = req.uri().query().unwrap_or_default().to_owned();
    let text = if method == "GET" {
        query
    } else {
        match read_body(req.into_body()).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                // The rest of the body is unread: this connection cannot carry another request.
                let mut reply = error_reply(&e, request_id);
                reply
                    .headers_mut()
                    .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
                return Ok(reply);
            }
        }
    };
    let params = match parse_and_validate(op_id, &text) {
        Ok(p) => p,
        Err(e) => return Ok(error_reply(&e, request_id)),
    };

    // Idempotency: POSTs only; validation errors are not recorded.
    // <https://docs.stripe.com/api/idempotent_requests>
    let idem_key = if method == "POST" {
        idempotency_key.clone()
    } else {
        None
    };
    let fingerprint = format!("{method} {path} {}", canonical(&text));
    if let Some(key) = &idem_key {
        let now = lock(&shared.state).now();
        let mut control = lock(&shared.control);
        let slot = (account.clone(), key.clone());
        let live = control.idempotency.get(&slot).filter(|entry| match entry {
            Idempotent::InFlight { since, .. } | Idempotent::Done { since, .. } => {
                now.saturating_sub(*since) < DAY
            }
        });
        match live {
            Some(Idempotent::Done {
                fingerprint: f,
                status,
                body,
                ..
            }) if *f == fingerprint => {
                let mut reply = json_reply(*status, body.clone(), request_id);
                reply
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
                if let Ok(v) = HeaderValue::from_str(key) {
                    reply.headers_mut().insert("idempotency-key", v);
                }
                return Ok(reply);
            }
            Some(Idempotent::InFlight { fingerprint: f, .. }) if *f == fingerprint => {
                let e = ApiError {
                    status: 409,
                    kind: "idempotency_error",
                    code: Some("idempotency_key_in_use"),
                    param: None,
                    message: format!("There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): {key}. Please try again later."),
                };
                return Ok(error_reply(&e, request_id));
            }
            Some(_) => {
                let e = ApiError {
                    status: 400,
                    kind: "idempotency_error",
                    code: None,
                    param: None,
                    message: format!("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."),
                };
                return Ok(error_reply(&e, request_id));
            }
            _ => {}
        }
        control.idempotency.insert(
            slot,
            Idempotent::InFlight {
                fingerprint: fingerprint.clone(),
                since: now,
            },
        );
    }

    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let ctx = RequestContext {
        request_id: Some(request_id.to_owned()),
        idempotency_key: idem_key.clone(),
    };
    let id = session_id.unwrap_or_default();
    let result = shared.with_state(|state| match op_id {
        "PostCheckoutSessions" => state.create(&account, &params, &shared.base_url),
        "GetCheckoutSessions" => state.list(&account, &params),
        "GetCheckoutSessionsSession" => state.retrieve(&account, &id, &params),
        "PostCheckoutSessionsSession" => state.update(&account, &id, &params),
        "PostCheckoutSessionsSessionExpire" => state.expire(&account, &id, &params, &ctx),
        _ => state.list_line_items(&account, &id, &params),
    });
    let (status, body) = match result {
        Ok(json) => (200, Bytes::from(json)),
        Err(e) => (e.status, Bytes::from(e.body().to_string())),
    };
    if let Some(key) = &idem_key {
        let now = lock(&shared.state).now();
        lock(&shared.control).idempotency.insert(
            (account, key.clone()),
            Idempotent::Done {
                fingerprint,
                since: now,
                status,
                body: body.clone(),
            },
        );
    }
    let mut reply = json_reply(status, body, request_id);
    if let Some(key) = idem_key
        .as_deref()
        .and_then(|k| HeaderValue::from_str(k).ok())
    {
        reply.headers_mut().insert("idempotency-key", key);
    }
    Ok(reply)
}

/// The form's pairs sorted, so the same params in another order are the same request.
fn canonical(text: &str) -> String {
    let mut pairs: Vec<&str> = text.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_unstable();
    pairs.join("&")
}

/// Parses a form and validates it against the generated description of `op_id`.
pub fn parse_and_validate(op_id: &str, text: &str) -> Result<Map<String, Value>, ApiError> {
    let tree = form::parse(text)
        .map_err(|e| ApiError::invalid(None, Some(e.param).filter(|p| !p.is_empty()), e.message))?;
    let Some(op) = schema::operation(op_id) else {
        return Err(ApiError::invalid(
            None,
            None,
            format!("Unknown operation {op_id}"),
        ));
    };
    schema::validate(op.params, &tree)
}

fn html_reply(status: u16, html: String, request_id: &str) -> Reply {
    let mut response = Response::new(Full::new(Bytes::from(html)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("request-id", id);
    }
    response
}

fn redirect(location: &str, request_id: &str) -> Reply {
    let mut response = html_reply(303, String::new(), request_id);
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The hosted page at the session's `url`: `GET /c/pay/{id}`, `POST …/pay`, `POST …/cancel`.
async fn hosted(shared: &Shared, req: Request<Incoming>, rest: &str, request_id: &str) -> Reply {
    let (raw_id, action) = match rest.split_once('/') {
        Some((id, action)) => (id, Some(action)),
        None => (rest, None),
    };
    let id = percent_decode_str(raw_id).decode_utf8_lossy().into_owned();
    let method = req.method().as_str();
    let Some(session) = lock(&shared.state).peek(&id) else {
        return html_reply(
            404,
            "<!doctype html><title>Not found</title><p>No such Checkout Session.</p>".to_owned(),
            request_id,
        );
    };
    let open = session["status"] == "open" && session["ui_mode"] == "hosted_page";
    match (method, action) {
        ("GET", None) => {
            if !open {
                return html_reply(410, "<!doctype html><title>Expired</title><p>This Checkout Session is no longer available.</p>".to_owned(), request_id);
            }
            let amount = session["amount_total"].as_i64().unwrap_or(0);
            let currency = session["currency"]
                .as_str()
                .unwrap_or_default()
                .to_uppercase();
            let eid = escape_html(&id);
            html_reply(200, format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Checkout (fake)</title></head><body>\
                 <h1>Pay {amount} {currency}</h1><p>Checkout Session <code>{eid}</code> (stripe-checkout-fake)</p>\
                 <form method=\"post\" action=\"/c/pay/{eid}/pay\"><button id=\"pay\" type=\"submit\">Pay</button></form>\
                 <form method=\"post\" action=\"/c/pay/{eid}/cancel\"><button id=\"cancel\" type=\"submit\">Cancel</button></form>\
                 </body></html>",
                currency = escape_html(&currency)
            ), request_id)
        }
        ("POST", Some("pay")) => {
            if !open {
                return html_reply(
                    410,
                    "<!doctype html><p>This Checkout Session is no longer available.</p>"
                        .to_owned(),
                    request_id,
                );
            }
            if let Err(e) = shared.with_state(|s| s.complete(&id, &Completion::paid())) {
                return html_reply(400, escape_html(&e.message), request_id);
            }
            match session["success_url"].as_str() {
                Some(url) => redirect(&url.replace("{CHECKOUT_SESSION_ID}", &id), request_id),
                None => html_reply(
                    200,
                    "<!doctype html><p>Thanks for your order.</p>".to_owned(),
                    request_id,
                ),
            }
        }
        ("POST", Some("cancel")) => match session["cancel_url"].as_str() {
            Some(url) => redirect(&url.replace("{CHECKOUT_SESSION_ID}", &id), request_id),
            None => redirect(&format!("/c/pay/{raw_id}"), request_id),
        },
        _ => html_reply(
            405,
            "<!doctype html><p>Method not allowed.</p>".to_owned(),
            request_id,
        ),
    }
}

fn control_error(message: impl Into<String>, request_id: &str) -> Reply {
    error_reply(&ApiError::invalid(None, None, message.into()), request_id)
}

fn ok_json(value: Value, request_id: &str) -> Reply {
    json_reply(200, Bytes::from(value.to_string()), request_id)
}

/// The `/_fake/` control endpoints; see the crate docs for the list.
async fn control(shared: &Shared, req: Request<Incoming>, path: &str, request_id: &str) -> Reply {
    let method = req.method().as_str().to_owned();
    let query = req.uri().query().unwrap_or_default().to_owned();
    let body = if method == "POST" {
        match read_body(req.into_body()).await {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => return error_reply(&e, request_id),
        }
    } else {
        query
    };
    let form = match form::parse(&body) {
        Ok(f) => f,
        Err(e) => return control_error(e.message, request_id),
    };
    let get = |name: &str| -> Option<String> {
        form.iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| match v {
                form::Node::Leaf(s) => Some(s.clone()),
                form::Node::Tree(_) => None,
            })
    };
    let list = |name: &str| -> Vec<String> {
        match form.iter().find(|(k, _)| k == name) {
            Some((_, form::Node::Tree(items))) => items
                .iter()
                .filter_map(|(_, v)| match v {
                    form::Node::Leaf(s) => Some(s.clone()),
                    form::Node::Tree(_) => None,
                })
                .collect(),
            Some((_, form::Node::Leaf(s))) => vec![s.clone()],
            None => Vec::new(),
        }
    };
    let rest = path.trim_start_matches("/_fake/");
    let parts: Vec<&str> = rest.split('/').collect();
    let result: Result<Value, ApiError> = match (method.as_str(), parts.as_slice()) {
        ("POST", ["sessions", id, "complete"]) => {
            let mut how = if get("delayed").as_deref() == Some("true") {
                Completion::delayed()
            } else {
                Completion::paid()
            };
            if let Some(email) = get("email") {
                how = how.email(email);
            }
            if let Some(name) = get("name") {
                how.name = Some(name);
            }
            shared.with_state(|s| s.complete(id, &how))
        }
        ("POST", ["sessions", id, "async_payment_succeeded"]) => {
            shared.with_state(|s| s.settle_async(id, true))
        }
        ("POST", ["sessions", id, "async_payment_failed"]) => {
            shared.with_state(|s| s.settle_async(id, false))
        }
        ("POST", ["clock", "advance"]) => {
            match get("seconds").and_then(|s| s.parse::<i64>().ok()) {
                Some(seconds) => shared.with_state(|s| {
                    s.advance(seconds);
                    Ok(json!({ "now": s.now() }))
                }),
                None => Err(ApiError::missing_param("seconds")),
            }
        }
        ("GET", ["clock"]) => Ok(json!({ "now": lock(&shared.state).now() })),
        ("POST", ["prices"]) => {
            let (Some(id), Some(amount), Some(currency)) = (
                get("id"),
                get("unit_amount").and_then(|a| a.parse::<i64>().ok()),
                get("currency"),
            ) else {
                return control_error(
                    "`id`, `unit_amount` (integer) and `currency` are required",
                    request_id,
                );
            };
            let mut price = match get("interval") {
                Some(interval) => Price::recurring(id, amount, currency, interval),
                None => Price::one_time(id, amount, currency),
            };
            if let Some(name) = get("product_name") {
                price = price.product_name(name);
            }
            lock(&shared.state).register_price(&price);
            Ok(json!({ "ok": true }))
        }
        ("POST", ["webhook_endpoints"]) => {
            let (Some(url), Some(secret)) = (get("url"), get("secret")) else {
                return control_error("`url` and `secret` are required", request_id);
            };
            let mut endpoint = WebhookEndpoint::new(url, secret);
            let events = list("enabled_events");
            if !events.is_empty() {
                endpoint = endpoint.events(events);
            }
            shared.hooks.add(endpoint, &shared.runtime);
            Ok(json!({ "ok": true }))
        }
        ("POST", ["faults"]) => {
            let mut fault = match get("kind").as_deref() {
                Some("status") | None => match get("status").and_then(|s| s.parse::<u16>().ok()) {
                    Some(status) if (400..600).contains(&status) => Fault::status(status),
                    _ => return control_error("`status` must be 400-599", request_id),
                },
                Some("delay") => Fault::delay(Duration::from_millis(
                    get("delay_ms")
                        .and_then(|d| d.parse().ok())
                        .unwrap_or(1000)
                        .min(60_000),
                )),
                Some("drop") => Fault::drop_connection(),
                Some(other) => {
                    return control_error(
                        format!("unknown fault kind `{other}` (status, delay, drop)"),
                        request_id,
                    )
                }
            };
            if let Some(n) = get("times").and_then(|t| t.parse().ok()) {
                fault = fault.times(n);
            }
            if let Some(s) = get("retry_after").and_then(|t| t.parse().ok()) {
                fault = fault.retry_after(s);
            }
            if let Some(b) = get("should_retry") {
                fault = fault.should_retry(b == "true");
            }
            if let Some(m) = get("method") {
                fault = fault.method(m);
            }
            if let Some(p) = get("path") {
                fault = fault.path_prefix(p);
            }
            lock(&shared.control).faults.push(fault);
            Ok(json!({ "ok": true }))
        }
        ("GET", ["events"]) => Ok(json!({ "object": "list", "data": lock(&shared.state).events })),
        ("GET", ["deliveries"]) => {
            let data: Vec<Value> = shared
                .hooks
                .deliveries()
                .into_iter()
                .map(|d| json!({ "endpoint": d.endpoint, "event_id": d.event_id, "event_type": d.event_type, "attempt": d.attempt, "status": d.status, "error": d.error }))
                .collect();
            Ok(json!({ "object": "list", "data": data }))
        }
        _ => Err(ApiError {
            status: 404,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: format!("Unknown control endpoint ({method}: {path})"),
        }),
    };
    match result {
        Ok(v) => ok_json(v, request_id),
        Err(e) => error_reply(&e, request_id),
    }
}
