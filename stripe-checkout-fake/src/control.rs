//! The `/_fake/` control endpoints, for the binary and SDKs in other languages: complete a
//! session, settle a delayed payment, move the clock, register prices and webhook endpoints,
//! arm faults, read events and deliveries. No key needed; form-encoded bodies (or the query
//! for GETs); answers are JSON. The crate docs list them; each mirrors a [`crate::FakeStripe`]
//! method.

use std::time::Duration;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Value};

use crate::catalogue::Price;
use crate::error::FakeError;
use crate::faults::Fault;
use crate::form::{self, Node};
use crate::lifecycle::Completion;
use crate::reply::{error_reply, json_reply, Reply};
use crate::request::read_body;
use crate::shared::{lock, Shared};
use crate::webhooks::WebhookEndpoint;

fn control_error(message: impl Into<String>, request_id: &str) -> Reply {
    error_reply(&FakeError::invalid(None, None, message.into()), request_id)
}

fn ok_json(value: Value, request_id: &str) -> Reply {
    json_reply(200, Bytes::from(value.to_string()), request_id)
}

/// Answers one `/_fake/…` request.
pub(crate) async fn handle(
    shared: &Shared,
    req: Request<Incoming>,
    path: &str,
    request_id: &str,
) -> Reply {
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
                Node::Leaf(s) => Some(s.clone()),
                Node::Tree(_) => None,
            })
    };
    let list = |name: &str| -> Vec<String> {
        match form.iter().find(|(k, _)| k == name) {
            Some((_, Node::Tree(items))) => items
                .iter()
                .filter_map(|(_, v)| match v {
                    Node::Leaf(s) => Some(s.clone()),
                    Node::Tree(_) => None,
                })
                .collect(),
            Some((_, Node::Leaf(s))) => vec![s.clone()],
            None => Vec::new(),
        }
    };
    let rest = path.trim_start_matches("/_fake/");
    let parts: Vec<&str> = rest.split('/').collect();
    let result: Result<Value, FakeError> = match (method.as_str(), parts.as_slice()) {
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
                None => Err(FakeError::missing_param("seconds")),
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
        _ => Err(FakeError {
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
