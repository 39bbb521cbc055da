//! The `/_fake/` control endpoints, for the binary and SDKs in other languages: complete a
//! session, settle a delayed payment, move the clock, register prices and webhook endpoints,
//! arm faults, read events and deliveries. No key needed; form-encoded bodies (the query for
//! GETs); answers are JSON. The crate docs list them; each mirrors a [`crate::FakeStripe`]
//! method and takes its parameters by the Rust API's names.
//!
//! As strict as `/v1/`: an unknown parameter is `parameter_unknown`, a missing one
//! `parameter_missing`, a bad value a 400 `invalid_request_error` naming its `param`; a `POST`
//! answers with the object it made (the session, the price, the webhook endpoint, the fault).

use std::ops::RangeInclusive;
use std::time::Duration;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Value};

use crate::catalogue::Price;
use crate::error::FakeError;
use crate::faults::Fault;
use crate::form::{self, Node};
use crate::lifecycle::{Completion, PostalAddress};
use crate::params::OPERATIONS;
use crate::reply::{error_reply, json_reply, Reply};
use crate::request::{check_form_utf8, form_text, read_body};
use crate::shared::{lock, Shared};
use crate::webhooks::{is_known_event_type, WebhookEndpoint};

/// The largest clock step: 10 years (of 365 days), far beyond any `expires_at` or key expiry.
pub(crate) const MAX_CLOCK_STEP: i64 = 10 * 365 * 24 * 3600;
/// The longest injected delay.
pub(crate) const MAX_DELAY_MS: i64 = 60_000;
/// The most uses of one fault.
pub(crate) const MAX_TIMES: i64 = 1_000_000;
/// The largest `Retry-After` a fault may send (a day).
pub(crate) const MAX_RETRY_AFTER: i64 = 86_400;
/// Webhook endpoint event types the fake knows, for messages.
fn event_types() -> String {
    format!("*, {}", crate::webhooks::EVENT_TYPES.join(", "))
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
    let text = if method == "POST" {
        if !query.is_empty() {
            return error_reply(&query_on_post(&query), request_id);
        }
        match read_body(req.into_body()).await {
            Ok(bytes) => form_text(bytes),
            Err(e) => Err(e),
        }
    } else {
        check_form_utf8(&query).map(|()| query)
    };
    let result = text
        .and_then(|text| Form::parse(&text))
        .and_then(|form| answer(shared, &method, path, &form));
    match result {
        Ok(value) => json_reply(200, Bytes::from(value.to_string()), request_id),
        Err(e) => error_reply(&e, request_id),
    }
}

/// The endpoint's answer, or why not.
fn answer(shared: &Shared, method: &str, path: &str, form: &Form) -> Result<Value, FakeError> {
    let rest = path.trim_start_matches("/_fake/");
    let parts: Vec<&str> = rest.split('/').collect();
    match (method, parts.as_slice()) {
        ("POST", ["sessions", id, "complete"]) if !id.is_empty() => {
            form.only(&[
                "delayed",
                "email",
                "name",
                "address",
                "phone",
                "shipping",
                "custom_fields",
                "terms_of_service",
                "shipping_rate",
            ])?;
            let mut how = match form.boolean("delayed")? {
                Some(true) => Completion::delayed(),
                _ => Completion::paid(),
            };
            if let Some(email) = form.text("email")? {
                how = how.email(email_address(email)?);
            }
            if let Some(name) = form.text("name")? {
                how.name = Some(non_empty("name", name)?);
            }
            if let Some(parts) = form.hash("address", ADDRESS_PARTS)? {
                how = how.address(postal_address(&parts));
            }
            if let Some(phone) = form.text("phone")? {
                how = how.phone(non_empty("phone", phone)?);
            }
            if let Some(shipping) = form.nested("shipping", &["name", "address"])? {
                let name = shipping.text("name")?.unwrap_or_default();
                let parts = shipping
                    .hash("address", ADDRESS_PARTS)?
                    .ok_or_else(|| FakeError::missing_param("shipping[address]"))?;
                how = how.shipping(non_empty("shipping[name]", name)?, postal_address(&parts));
            }
            if let Some(fields) = form.hash_any("custom_fields")? {
                for (key, value) in fields {
                    how = how.custom_field(key, value);
                }
            }
            match form.text("terms_of_service")?.as_deref() {
                None => {}
                Some("accepted") => how = how.accept_terms_of_service(),
                Some(other) => {
                    return Err(FakeError::param(
                        "terms_of_service",
                        format!("Invalid terms_of_service: {}; must be accepted", shorten(other)),
                    ))
                }
            }
            if let Some(rate) = form.text("shipping_rate")? {
                how = how.shipping_rate(rate);
            }
            shared.with_state(|s| s.complete(id, &how))
        }
        ("POST", ["sessions", id, "async_payment_succeeded"]) if !id.is_empty() => {
            form.only(&[])?;
            shared.with_state(|s| s.settle_async(id, true))
        }
        ("POST", ["sessions", id, "async_payment_failed"]) if !id.is_empty() => {
            form.only(&[])?;
            shared.with_state(|s| s.settle_async(id, false))
        }
        ("POST", ["subscriptions", id, "fail_next_renewal"]) if !id.is_empty() => {
            form.only(&[])?;
            shared.with_state(|s| s.fail_next_renewal(id))
        }
        ("POST", ["clock", "advance"]) => {
            form.only(&["seconds"])?;
            let seconds = form.required_integer("seconds", 0..=MAX_CLOCK_STEP)?;
            Ok(shared.with_state(|s| {
                s.advance(seconds);
                json!({ "now": s.now() })
            }))
        }
        ("GET", ["clock"]) => {
            form.only(&[])?;
            Ok(json!({ "now": lock(&shared.state).now() }))
        }
        ("POST", ["prices"]) => register_price(shared, form),
        ("POST", ["automatic_tax_rates"]) => {
            form.only(&["country", "percentage"])?;
            let country = form.required_text("country")?;
            if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(FakeError::param(
                    "country",
                    format!("Invalid country: {}; must be a two-letter code such as DE", shorten(&country)),
                ));
            }
            let percentage = form.required_text("percentage")?;
            let percentage = match percentage.parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => p,
                _ => {
                    return Err(FakeError::param(
                        "percentage",
                        format!("Invalid percentage: {}; must be a number from 0 to 100", shorten(&percentage)),
                    ))
                }
            };
            let country = country.to_ascii_uppercase();
            lock(&shared.state)
                .automatic_tax_rates
                .insert(country.clone(), percentage);
            Ok(json!({ "object": "fake_automatic_tax_rate", "country": country, "percentage": percentage }))
        }
        ("POST", ["business_name"]) => {
            form.only(&["name"])?;
            let name = non_empty("name", form.required_text("name")?)?;
            if name.chars().count() > 100 {
                return Err(FakeError::param("name", "Invalid name: at most 100 characters"));
            }
            lock(&shared.hosted).business_name = name.clone();
            Ok(json!({ "object": "fake_business", "name": name }))
        }
        ("POST", ["webhook_endpoints"]) => add_webhook_endpoint(shared, form),
        ("POST", ["faults"]) => {
            let fault = fault(form)?;
            let made = fault.to_json();
            lock(&shared.control).faults.push(fault);
            Ok(made)
        }
        ("GET", ["events"]) => {
            form.only(&[])?;
            let events: Vec<Value> = lock(&shared.state)
                .events
                .iter()
                .map(crate::events::StoredEvent::value)
                .collect();
            Ok(json!({ "object": "list", "data": events }))
        }
        ("GET", ["deliveries"]) => {
            form.only(&[])?;
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
            message: format!(
                "Unknown control endpoint ({method}: {}); the endpoints are listed in the crate docs and the README.",
                path.chars().take(200).collect::<String>()
            ),
        }),
    }
}

/// The parts of an `address[...]` hash, as Stripe's `address` object names them.
const ADDRESS_PARTS: &[&str] = &["city", "country", "line1", "line2", "postal_code", "state"];

/// A [`PostalAddress`] from `address[...]` parts (country upper-cased).
fn postal_address(parts: &[(String, String)]) -> PostalAddress {
    let part = |k: &str| {
        parts
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    PostalAddress {
        country: part("country").map(|c| c.to_ascii_uppercase()),
        state: part("state"),
        city: part("city"),
        line1: part("line1"),
        line2: part("line2"),
        postal_code: part("postal_code"),
    }
}

/// `POST /_fake/prices`: [`crate::FakeStripe::register_price`]; answers the price object.
fn register_price(shared: &Shared, form: &Form) -> Result<Value, FakeError> {
    form.only(&["id", "unit_amount", "currency", "interval", "product_name"])?;
    let id = form.required_text("id")?;
    if id.is_empty() || id.len() > 255 || id.chars().any(|c| c.is_whitespace() || c == '/') {
        return Err(FakeError::param(
            "id",
            "Invalid id: must be 1 to 255 characters without spaces or `/`",
        ));
    }
    let unit_amount = form.required_integer("unit_amount", 0..=i64::MAX)?;
    let currency = form.required_text("currency")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(FakeError::param(
            "currency",
            format!(
                "Invalid currency: {}; must be a three-letter ISO code (usd, eur, …)",
                shorten(&currency)
            ),
        ));
    }
    let currency = currency.to_ascii_lowercase();
    let mut price = match form.text("interval")? {
        Some(interval) => {
            if !["day", "week", "month", "year"].contains(&interval.as_str()) {
                return Err(FakeError::param(
                    "interval",
                    "Invalid interval: must be one of day, week, month, or year",
                ));
            }
            Price::recurring(id.clone(), unit_amount, currency, interval)
        }
        None => Price::one_time(id.clone(), unit_amount, currency),
    };
    if let Some(name) = form.text("product_name")? {
        price = price.product_name(non_empty("product_name", name)?);
    }
    let mut state = lock(&shared.state);
    state.register_price(&price);
    match state.registered_price(&None, &id) {
        Some((object, _)) => Ok(object),
        None => Err(FakeError {
            status: 500,
            kind: "api_error",
            code: None,
            param: None,
            message: format!("The price {id} was registered but cannot be found."),
        }),
    }
}

/// `POST /_fake/webhook_endpoints`: [`crate::FakeStripe::add_webhook_endpoint`]; answers
/// Stripe's `webhook_endpoint` object, without the secret.
fn add_webhook_endpoint(shared: &Shared, form: &Form) -> Result<Value, FakeError> {
    form.only(&["url", "secret", "enabled_events"])?;
    let url = form.required_text("url")?;
    if !is_http_url(&url) {
        return Err(FakeError::param(
            "url",
            format!(
                "Invalid URL: {}; must be an absolute http:// or https:// URL with a host",
                shorten(&url)
            ),
        ));
    }
    let secret = form.required_text("secret")?;
    if secret.is_empty() || secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FakeError::param(
            "secret",
            "Invalid secret: must be non-empty, without spaces (e.g. whsec_test)",
        ));
    }
    let mut endpoint = WebhookEndpoint::new(url, secret);
    if let Some(events) = form.list("enabled_events")? {
        if events.is_empty() {
            return Err(FakeError::param(
                "enabled_events",
                "Invalid enabled_events: give at least one event type (or `*`)",
            ));
        }
        for (i, event) in events.iter().enumerate() {
            if !is_known_event_type(event) {
                return Err(FakeError::param(
                    format!("enabled_events[{i}]"),
                    format!(
                        "Invalid enabled_events[{i}]: {}; must be one of {}",
                        shorten(event),
                        event_types()
                    ),
                ));
            }
        }
        endpoint = endpoint.enabled_events(events);
    }
    let (id, created) = {
        let mut state = lock(&shared.state);
        (state.id("we_"), state.now())
    };
    let made = endpoint.to_json(&id, created);
    shared.hooks.add(endpoint, &shared.runtime);
    Ok(made)
}

/// `POST /_fake/faults`: the [`Fault`] its parameters build, by the builder's names.
fn fault(form: &Form) -> Result<Fault, FakeError> {
    form.only(&[
        "kind",
        "status",
        "times",
        "retry_after",
        "should_retry",
        "delay_ms",
        "method",
        "path_prefix",
    ])?;
    let kind = form.required_text("kind")?;
    let only_with = |param: &str, kinds: &[&str]| -> Result<(), FakeError> {
        if form.has(param) && !kinds.contains(&kind.as_str()) {
            return Err(FakeError::param(
                param,
                format!(
                    "Invalid {param}: it applies only to kind={} (this fault is kind={kind})",
                    kinds.join(" or kind=")
                ),
            ));
        }
        Ok(())
    };
    only_with("status", &["status"])?;
    only_with("retry_after", &["status", "rate_limit"])?;
    only_with("should_retry", &["status", "rate_limit"])?;
    only_with("delay_ms", &["delay"])?;
    let mut fault = match kind.as_str() {
        "status" => {
            let status = form.required_integer("status", 400..=599)?;
            Fault::status(u16::try_from(status).unwrap_or(500))
        }
        "rate_limit" => Fault::rate_limit(),
        "delay" => {
            let ms = form.required_integer("delay_ms", 0..=MAX_DELAY_MS)?;
            Fault::delay(Duration::from_millis(ms.unsigned_abs()))
        }
        "drop_connection" => Fault::drop_connection(),
        other => {
            return Err(FakeError::param(
                "kind",
                format!(
                "Invalid kind: {}; must be one of status, rate_limit, delay, or drop_connection",
                shorten(other)
            ),
            ))
        }
    };
    if let Some(times) = form.integer("times", 1..=MAX_TIMES)? {
        fault = fault.times(u32::try_from(times).unwrap_or(u32::MAX));
    }
    if let Some(seconds) = form.integer("retry_after", 0..=MAX_RETRY_AFTER)? {
        fault = fault.retry_after(seconds.unsigned_abs());
    }
    if let Some(retry) = form.boolean("should_retry")? {
        fault = fault.should_retry(retry);
    }
    if let Some(method) = form.text("method")? {
        let method = method.to_ascii_uppercase();
        if !OPERATIONS.iter().any(|op| op.method == method) {
            return Err(FakeError::param(
                "method",
                format!(
                    "Invalid method: {}; must be one the fake serves ({})",
                    shorten(&method),
                    served_methods().join(", ")
                ),
            ));
        }
        fault = fault.method(method);
    }
    if let Some(prefix) = form.text("path_prefix")? {
        if !OPERATIONS.iter().any(|op| could_start(op.path, &prefix)) {
            return Err(FakeError::param(
                "path_prefix",
                format!(
                    "Invalid path_prefix: {}; no path the fake serves starts with it (they start with /v1/, e.g. /v1/checkout/sessions)",
                    shorten(&prefix)
                ),
            ));
        }
        fault = fault.path_prefix(prefix);
    }
    Ok(fault)
}

/// The methods of the operations the fake serves.
fn served_methods() -> Vec<&'static str> {
    let mut methods: Vec<&'static str> = OPERATIONS.iter().map(|op| op.method).collect();
    methods.sort_unstable();
    methods.dedup();
    methods
}

/// Whether some path matching `template` (`/v1/checkout/sessions/{session}/expire`) starts with
/// `prefix`: segment by segment, literals equal (the prefix's last segment may be cut short),
/// `{…}` segments any id.
fn could_start(template: &str, prefix: &str) -> bool {
    let Some(prefix) = prefix.strip_prefix('/') else {
        return false;
    };
    let wanted: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let given: Vec<&str> = prefix.split('/').collect();
    if given.len() > wanted.len() {
        return false;
    }
    let last = given.len() - 1;
    given
        .iter()
        .zip(&wanted)
        .enumerate()
        .all(|(i, (got, want))| {
            if want.starts_with('{') {
                // An id: any characters but `/`, and not empty unless the prefix ends there.
                !got.is_empty() || i == last
            } else if i == last {
                want.starts_with(got)
            } else {
                got == want
            }
        })
}

/// An absolute `http://` or `https://` URL with a host, as a webhook endpoint needs.
fn is_http_url(url: &str) -> bool {
    if url.trim() != url || url.chars().any(char::is_control) {
        return false;
    }
    // The URL parser reads `http:///hook` as `http://hook/`: the host must follow `//` itself.
    match url.split_once("://") {
        Some((_, rest)) if !rest.is_empty() && !rest.starts_with('/') => {}
        _ => return false,
    }
    match reqwest::Url::parse(url) {
        Ok(parsed) => {
            matches!(parsed.scheme(), "http" | "https")
                && parsed.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// A plausible email address: `local@domain`, no spaces.
fn email_address(email: String) -> Result<String, FakeError> {
    let plausible = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.len() <= 512;
    if plausible {
        Ok(email)
    } else {
        Err(FakeError::param(
            "email",
            format!("Invalid email address: {}", shorten(&email)),
        ))
    }
}

fn non_empty(param: &str, value: String) -> Result<String, FakeError> {
    if value.trim().is_empty() {
        Err(FakeError::param(
            param,
            format!("Invalid {param}: must not be empty"),
        ))
    } else {
        Ok(value)
    }
}

/// A POST's parameters belong in its body.
fn query_on_post(query: &str) -> FakeError {
    let first = form::parse(query)
        .ok()
        .and_then(|pairs| pairs.into_iter().next().map(|(k, _)| k));
    FakeError::invalid(
        Some("parameter_unknown"),
        first,
        "Control endpoints read a POST's parameters from its form-encoded body, not the query string.".to_owned(),
    )
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// A control request's parameters.
struct Form {
    pairs: Vec<(String, Node)>,
}

impl Form {
    fn parse(text: &str) -> Result<Form, FakeError> {
        form::parse(text).map(|pairs| Form { pairs }).map_err(|e| {
            FakeError::invalid(None, Some(e.param).filter(|p| !p.is_empty()), e.message)
        })
    }

    /// `parameter_unknown` for the first parameter not in `allowed`.
    fn only(&self, allowed: &[&str]) -> Result<(), FakeError> {
        match self
            .pairs
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            Some((name, node)) => {
                // Name the parameter as sent (`x[a]`, not just `x`), as `/v1/` does.
                let param = match node {
                    Node::Tree(children) => match children.first() {
                        Some((child, _)) => format!("{name}[{child}]"),
                        None => name.clone(),
                    },
                    Node::Leaf(_) => name.clone(),
                };
                Err(FakeError::invalid(
                    Some("parameter_unknown"),
                    Some(param.clone()),
                    format!("Received unknown parameter: {param}"),
                ))
            }
            None => Ok(()),
        }
    }

    /// A hash of text values (`name[key]=…`) with keys from `allowed`, if given.
    fn hash(
        &self,
        name: &str,
        allowed: &[&str],
    ) -> Result<Option<Vec<(String, String)>>, FakeError> {
        match self.pairs.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, Node::Leaf(_))) => Err(FakeError::param(
                name,
                format!("Invalid {name}: must be a hash ({name}[key]=…)"),
            )),
            Some((_, Node::Tree(children))) => {
                let mut out = Vec::new();
                for (key, node) in children {
                    let param = format!("{name}[{key}]");
                    if !allowed.contains(&key.as_str()) {
                        return Err(FakeError::invalid(
                            Some("parameter_unknown"),
                            Some(param.clone()),
                            format!("Received unknown parameter: {param}"),
                        ));
                    }
                    match node {
                        Node::Leaf(v) => out.push((key.clone(), v.clone())),
                        Node::Tree(_) => {
                            return Err(FakeError::param(
                                param.clone(),
                                format!("Invalid {param}: must be a single value"),
                            ))
                        }
                    }
                }
                Ok(Some(out))
            }
        }
    }

    /// A hash with any keys, each a single value (`custom_fields[key]=…`).
    fn hash_any(&self, name: &str) -> Result<Option<Vec<(String, String)>>, FakeError> {
        match self.pairs.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, Node::Tree(children))) => {
                let keys: Vec<&str> = children.iter().map(|(k, _)| k.as_str()).collect();
                self.hash(name, &keys)
            }
            Some((_, Node::Leaf(_))) => self.hash(name, &[]),
        }
    }

    /// A nested hash (`shipping[name]=…&shipping[address][city]=…`) as a form of its own, with
    /// keys from `allowed`.
    fn nested(&self, name: &str, allowed: &[&str]) -> Result<Option<Form>, FakeError> {
        match self.pairs.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, Node::Leaf(_))) => Err(FakeError::param(
                name,
                format!("Invalid {name}: must be a hash ({name}[key]=…)"),
            )),
            Some((_, Node::Tree(children))) => {
                let inner = Form {
                    pairs: children.clone(),
                };
                inner.only(allowed).map_err(|e| {
                    let param = format!("{name}[{}]", e.param.unwrap_or_default());
                    FakeError::invalid(
                        Some("parameter_unknown"),
                        Some(param.clone()),
                        format!("Received unknown parameter: {param}"),
                    )
                })?;
                Ok(Some(inner))
            }
        }
    }

    fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// A text parameter, if given; a nested one is an error.
    fn text(&self, name: &str) -> Result<Option<String>, FakeError> {
        match self.pairs.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, Node::Leaf(s))) => Ok(Some(s.clone())),
            Some((_, Node::Tree(_))) => Err(FakeError::param(
                name,
                format!("Invalid {name}: must be a single value ({name}=…), not a hash or list"),
            )),
        }
    }

    fn required_text(&self, name: &str) -> Result<String, FakeError> {
        self.text(name)?
            .ok_or_else(|| FakeError::missing_param(name))
    }

    /// An integer parameter within `range`, if given.
    fn integer(&self, name: &str, range: RangeInclusive<i64>) -> Result<Option<i64>, FakeError> {
        let Some(text) = self.text(name)? else {
            return Ok(None);
        };
        let Ok(n) = text.parse::<i64>() else {
            return Err(FakeError::invalid(
                Some("parameter_invalid_integer"),
                Some(name.to_owned()),
                format!("Invalid integer: {}", shorten(&text)),
            ));
        };
        if !range.contains(&n) {
            let bounds = if *range.end() == i64::MAX {
                format!("at least {}", range.start())
            } else {
                format!("between {} and {}", range.start(), range.end())
            };
            return Err(FakeError::param(
                name,
                format!("Invalid {name}: {n}; must be {bounds}"),
            ));
        }
        Ok(Some(n))
    }

    fn required_integer(&self, name: &str, range: RangeInclusive<i64>) -> Result<i64, FakeError> {
        self.integer(name, range)?
            .ok_or_else(|| FakeError::missing_param(name))
    }

    /// `true` or `false`, if given.
    fn boolean(&self, name: &str) -> Result<Option<bool>, FakeError> {
        match self.text(name)?.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(FakeError::param(
                name,
                format!("Invalid boolean: {}", shorten(other)),
            )),
        }
    }

    /// A list (`name[]=a&name[]=b` or `name[0]=a`), if given.
    fn list(&self, name: &str) -> Result<Option<Vec<String>>, FakeError> {
        match self.pairs.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, Node::Leaf(s))) if s.is_empty() => Ok(Some(Vec::new())),
            Some((_, Node::Leaf(_))) => Err(FakeError::param(
                name,
                format!("Invalid array: {name} must be a list (e.g. {name}[]=value)"),
            )),
            Some((_, Node::Tree(items))) => items
                .iter()
                .map(|(key, node)| match node {
                    Node::Leaf(s) if key.parse::<usize>().is_ok() => Ok(s.clone()),
                    _ => Err(FakeError::param(
                        format!("{name}[{key}]"),
                        format!("Invalid array: {name}[{key}] is not a list item"),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prefixes_must_start_a_served_path() {
        let t = "/v1/checkout/sessions/{session}/expire";
        for ok in [
            "/",
            "/v1",
            "/v1/",
            "/v1/check",
            "/v1/checkout/sessions",
            "/v1/checkout/sessions/",
            "/v1/checkout/sessions/cs_test_1",
            "/v1/checkout/sessions/cs_test_1/exp",
            "/v1/checkout/sessions/cs_test_1/expire",
        ] {
            assert!(could_start(t, ok), "{ok}");
        }
        for bad in [
            "",
            "v1",
            "/v2",
            "/v1/nothing",
            "/v1/checkout/sessionsX",
            "/v1/checkout/sessions//expire",
            "/v1/checkout/sessions/cs_1/expire/x",
            "/v1/checkout/sessions/cs_1/expired",
        ] {
            assert!(!could_start(t, bad), "{bad}");
        }
    }

    #[test]
    fn urls_are_absolute_http_with_a_host() {
        for ok in [
            "http://127.0.0.1:8080/hook",
            "https://shop.test/webhooks?x=1",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "not a url",
            "/hook",
            "ftp://shop.test/",
            "http://",
            "http:///hook",
            " http://shop.test/",
            "mailto:a@b.c",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn forms_reject_unknown_nested_and_out_of_range_values() {
        let form = Form::parse("seconds=-5&x[a]=1&b=maybe&l[]=a&l[]=b").unwrap();
        let e = form.only(&["seconds", "b", "l"]).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("x[a]"));
        assert_eq!(e.code, Some("parameter_unknown"));
        let e = form.integer("seconds", 0..=10).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("seconds"));
        assert!(e.message.contains("between 0 and 10"), "{}", e.message);
        assert!(form.text("x").is_err());
        assert!(form.boolean("b").is_err());
        assert_eq!(form.list("l").unwrap(), Some(vec!["a".into(), "b".into()]));
        assert_eq!(
            form.required_integer("missing", 0..=1).unwrap_err().code,
            Some("parameter_missing")
        );
    }
}
