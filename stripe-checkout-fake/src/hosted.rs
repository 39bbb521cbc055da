//! The Checkout page a customer sees, served by the fake: at the session's `url`
//! (`/c/pay/{id}`) for hosted sessions, and in Stripe.js's iframe (`/c/embedded/{client_secret}`)
//! for embedded ones. Server-rendered, plain forms, no JavaScript needed.
//!
//! - `GET {base}`: the page ([`page`]) for an open session; a completed one says it is paid
//!   (and takes no second payment), an expired one that it expired, with its recovery link.
//! - `POST {base}/pay`: the form ([`form`]) is checked ([`fields`], [`cards`]); Stripe's test
//!   cards decide the outcome (success, a decline shown on the page with the session left
//!   open, or a 3D Secure step at `{base}/authenticate` with Complete and Fail); the "US bank
//!   account" choice completes `unpaid` (delayed). On success: a 303 to `success_url` with
//!   `{CHECKOUT_SESSION_ID}` replaced (hosted), or a page telling Stripe.js to go to
//!   `return_url` (embedded).
//! - `POST {base}/update` and `{base}/promotion_code`: quantities, the shipping rate and a
//!   promotion code, repriced ([`crate::lifecycle::adjust`]), then the page again.
//! - `POST /c/pay/{id}/cancel`: a 303 to `cancel_url` while open; refused once paid.
//! - `GET /c/recover/{token}`: an expired session's recovery link ([`recover`]).
//! - `GET /v3/`: the Stripe.js stand-in ([`stripe_js`]).
//!
//! Sources: <https://docs.stripe.com/payments/checkout/custom-success-page>,
//! <https://docs.stripe.com/payments/checkout/abandoned-carts>, <https://docs.stripe.com/testing>,
//! <https://docs.stripe.com/payments/checkout/how-checkout-works>.

mod cards;
mod fields;
mod form;
mod page;
mod stripe_js;

use std::collections::HashMap;

use hyper::body::Incoming;
use hyper::Request;
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use crate::lifecycle::recovery::RecoveryRefused;
use crate::lifecycle::Completion;
use crate::money::format_amount;
use crate::reply::{html_reply, redirect, text_reply, Reply};
use crate::request::{form_text, read_body};
use crate::shared::{lock, Shared};
use crate::template::{escape_html, fill, fill_html};

use cards::{CardInput, Decline, Outcome};
use fields::FieldErrors;
use form::Submission;
use page::PageContext;

const NOT_FOUND: &str = include_str!("../templates/not_found.html");
const ERROR: &str = include_str!("../templates/error.html");
const THANKS: &str = include_str!("../templates/thanks.html");
const METHOD_NOT_ALLOWED: &str = include_str!("../templates/method_not_allowed.html");
const RECOVERY_GONE: &str = include_str!("../templates/recovery_gone.html");
const PAID: &str = include_str!("../templates/paid.html");
const EXPIRED: &str = include_str!("../templates/expired.html");
const AUTHENTICATE: &str = include_str!("../templates/authenticate.html");
const EMBEDDED_DONE: &str = include_str!("../templates/embedded_done.html");

/// The business name shown until the test sets one ([`crate::FakeStripe::set_business_name`]).
pub(crate) const DEFAULT_BUSINESS_NAME: &str = "Test shop";

/// The page's own state beside the fake's: the business name and payments waiting for 3D
/// Secure.
#[derive(Debug)]
pub(crate) struct HostedState {
    pub business_name: String,
    pending: HashMap<String, Pending>,
}

impl Default for HostedState {
    fn default() -> Self {
        HostedState {
            business_name: DEFAULT_BUSINESS_NAME.to_owned(),
            pending: HashMap::new(),
        }
    }
}

/// A card payment waiting for the customer to authenticate.
#[derive(Debug, Clone)]
struct Pending {
    how: Completion,
    /// What happens once authenticated (a decline, or success).
    after: Option<Decline>,
    last4: String,
    /// The form as sent, to show again.
    values: Submission,
}

/// Which page a request is for.
struct Target {
    id: String,
    /// `/c/pay/{id}` or `/c/embedded/{client_secret}`.
    base: String,
    embedded: bool,
}

fn simple(status: u16, title: &str, content: &str, request_id: &str) -> Reply {
    html_reply(
        status,
        page::document("en", title, "hosted", content),
        request_id,
    )
}

fn not_found(request_id: &str) -> Reply {
    simple(404, "Not found", NOT_FOUND, request_id)
}

fn method_not_allowed(request_id: &str) -> Reply {
    simple(405, "Method not allowed", METHOD_NOT_ALLOWED, request_id)
}

fn error_page(status: u16, message: &str, request_id: &str) -> Reply {
    simple(
        status,
        "Error",
        &fill(ERROR, &[("message", message)]),
        request_id,
    )
}

/// Answers `/c/recover/{token}`: `GET` creates the recovered session and redirects (303) to
/// its page; a link used already or past its `expires_at` is 410, an unknown one 404.
pub(crate) fn recover(shared: &Shared, method: &str, raw_token: &str, request_id: &str) -> Reply {
    if method != "GET" {
        return method_not_allowed(request_id);
    }
    let token = percent_decode_str(raw_token).decode_utf8_lossy();
    match shared.with_state(|s| s.recover(&token)) {
        Ok(url) => redirect(&url, request_id),
        Err(RecoveryRefused::NoLongerValid) => {
            simple(410, "Link expired", RECOVERY_GONE, request_id)
        }
        Err(RecoveryRefused::Unknown) => not_found(request_id),
    }
}

/// Answers `/v3/` and `/v3`: the Stripe.js stand-in.
pub(crate) fn stripe_js(shared: &Shared, method: &str, request_id: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return method_not_allowed(request_id);
    }
    text_reply(
        200,
        "application/javascript; charset=utf-8",
        stripe_js::script(&shared.base_url),
        request_id,
    )
}

/// Answers `/c/pay/{rest}`.
pub(crate) async fn handle(
    shared: &Shared,
    req: Request<Incoming>,
    rest: &str,
    request_id: &str,
) -> Reply {
    let (raw_id, action) = split(rest);
    let id = percent_decode_str(raw_id).decode_utf8_lossy().into_owned();
    let known = lock(&shared.state)
        .sessions
        .get(&id)
        .is_some_and(|s| s.object().get("ui_mode") == Some(&json!("hosted_page")));
    if !known {
        return not_found(request_id);
    }
    let target = Target {
        base: format!("/c/pay/{id}"),
        id,
        embedded: false,
    };
    dispatch(shared, req, &target, action, request_id).await
}

/// Answers `/c/embedded/{client_secret}/…`: the page inside Stripe.js's iframe.
pub(crate) async fn handle_embedded(
    shared: &Shared,
    req: Request<Incoming>,
    rest: &str,
    request_id: &str,
) -> Reply {
    let (raw_secret, action) = split(rest);
    let secret = percent_decode_str(raw_secret)
        .decode_utf8_lossy()
        .into_owned();
    let id = secret
        .split("_secret_")
        .next()
        .unwrap_or_default()
        .to_owned();
    let known = lock(&shared.state).sessions.get(&id).is_some_and(|s| {
        let o = s.object();
        o.get("client_secret").and_then(Value::as_str) == Some(secret.as_str())
            && matches!(
                o.get("ui_mode").and_then(Value::as_str),
                Some("embedded_page" | "embedded")
            )
    });
    if !known || !secret.contains("_secret_") {
        return not_found(request_id);
    }
    let target = Target {
        base: format!("/c/embedded/{secret}"),
        id,
        embedded: true,
    };
    dispatch(shared, req, &target, action, request_id).await
}

fn split(rest: &str) -> (&str, Option<&str>) {
    match rest.split_once('/') {
        Some((id, action)) => (id, Some(action)),
        None => (rest, None),
    }
}

async fn dispatch(
    shared: &Shared,
    req: Request<Incoming>,
    target: &Target,
    action: Option<&str>,
    request_id: &str,
) -> Reply {
    let method = req.method().as_str().to_owned();
    match (method.as_str(), action) {
        ("GET" | "HEAD", None) => show(
            shared,
            target,
            &Submission::default(),
            &[],
            None,
            200,
            request_id,
        ),
        ("GET" | "HEAD", Some("authenticate")) => authenticate_page(shared, target, request_id),
        (
            "POST",
            Some(action @ ("pay" | "update" | "promotion_code" | "authenticate" | "cancel")),
        ) => {
            let submission = match read_form(req).await {
                Ok(s) => s,
                Err((status, message)) => return error_page(status, &message, request_id),
            };
            match action {
                "pay" => pay(shared, target, submission, request_id),
                "update" => update(shared, target, &submission, false, request_id),
                "promotion_code" => update(shared, target, &submission, true, request_id),
                "authenticate" => authenticate(shared, target, &submission, request_id),
                _ => cancel(shared, target, request_id),
            }
        }
        (_, None | Some("pay" | "update" | "promotion_code" | "authenticate" | "cancel")) => {
            method_not_allowed(request_id)
        }
        _ => not_found(request_id),
    }
}

/// The posted form, or why it cannot be read (413 past the body limit, else 400).
async fn read_form(req: Request<Incoming>) -> Result<Submission, (u16, String)> {
    let bytes = read_body(req.into_body())
        .await
        .map_err(|e| (e.status, e.message))?;
    let text = form_text(bytes).map_err(|e| (e.status, e.message))?;
    Submission::parse(&text).map_err(|e| (400, e.0))
}

/// The session's object, if it still exists.
fn object(shared: &Shared, id: &str) -> Option<Map<String, Value>> {
    lock(&shared.state).sessions.get(id).map(|s| s.object())
}

fn business(shared: &Shared) -> String {
    lock(&shared.hosted).business_name.clone()
}

/// The page as the session stands: the form (open), paid (complete) or expired.
fn show(
    shared: &Shared,
    target: &Target,
    values: &Submission,
    errors: &[(String, String)],
    banner: Option<&str>,
    status: u16,
    request_id: &str,
) -> Reply {
    let business = business(shared);
    let state = lock(&shared.state);
    let Some(session) = state.sessions.get(&target.id) else {
        return not_found(request_id);
    };
    let o = session.object();
    match o.get("status").and_then(Value::as_str) {
        Some("open") => {
            let ctx = PageContext {
                base: &target.base,
                embedded: target.embedded,
                business: &business,
                values,
                errors,
                banner,
            };
            match page::render(&state, &target.id, &ctx) {
                Some(html) => html_reply(status, html, request_id),
                None => not_found(request_id),
            }
        }
        Some("complete") => {
            drop(state);
            html_reply(200, paid_page(&o, &business, target), request_id)
        }
        _ => {
            drop(state);
            html_reply(410, expired_page(&o, &business), request_id)
        }
    }
}

fn amount_text(o: &Map<String, Value>) -> String {
    let currency = o.get("currency").and_then(Value::as_str).unwrap_or("usd");
    let total = o.get("amount_total").and_then(Value::as_i64).unwrap_or(0);
    format_amount(currency, total)
}

/// A completed session's page: paid (or processing, for a delayed method).
fn paid_page(o: &Map<String, Value>, business: &str, target: &Target) -> String {
    let (heading, message) = match o.get("payment_status").and_then(Value::as_str) {
        Some("unpaid") => (
            "Your payment is processing",
            format!("Your bank payment to {business} was submitted; the business will be told when it succeeds or fails."),
        ),
        Some("no_payment_required") => (
            "Thanks",
            format!("Your details were saved for {business}."),
        ),
        _ => (
            "Thanks for your payment",
            format!("This Checkout Session is paid: {business} received your payment."),
        ),
    };
    let content = fill(
        PAID,
        &[
            ("heading", heading),
            ("message", &message),
            ("business", business),
            ("amount", &amount_text(o)),
            ("id", &target.id),
        ],
    );
    let class = if target.embedded {
        "embedded"
    } else {
        "hosted"
    };
    page::document(
        &page::lang(o),
        &format!("{business} — Paid"),
        class,
        &content,
    )
}

/// An expired session's page, with its recovery link when it has one.
fn expired_page(o: &Map<String, Value>, business: &str) -> String {
    let id = o.get("id").and_then(Value::as_str).unwrap_or_default();
    let recovery = o
        .get("after_expiration")
        .and_then(|a| a.get("recovery"))
        .and_then(|r| r.get("url"))
        .and_then(Value::as_str)
        .map(|url| {
            format!(
                "<p><a class=\"submit\" style=\"display:inline-block;width:auto;padding:10px 18px;text-decoration:none\" id=\"recovery\" href=\"{}\">Start over: return to checkout</a></p>",
                escape_html(url)
            )
        })
        .unwrap_or_default();
    let content = fill_html(
        EXPIRED,
        &[("business", business), ("id", id)],
        &[("recovery", &recovery)],
    );
    page::document(
        &page::lang(o),
        &format!("{business} — Expired"),
        "hosted",
        &content,
    )
}

/// `POST {base}/update` and `{base}/promotion_code`: reprice, then the page again.
fn update(
    shared: &Shared,
    target: &Target,
    submission: &Submission,
    with_code: bool,
    request_id: &str,
) -> Reply {
    if !is_open(shared, &target.id) {
        return show(shared, target, submission, &[], None, 409, request_id);
    }
    let change = match fields::adjustment(submission, with_code) {
        Ok(change) => change,
        Err(errors) => return show(shared, target, submission, &errors, None, 400, request_id),
    };
    match shared.with_state(|s| s.adjust(&target.id, &change)) {
        Ok(()) => {
            let mut shown = submission.clone();
            if with_code {
                shown.promotion_code.clear();
            }
            show(shared, target, &shown, &[], None, 200, request_id)
        }
        Err(e) => {
            let errors = adjust_errors(&e.param, &e.message);
            show(shared, target, submission, &errors, None, 400, request_id)
        }
    }
}

/// An adjustment's error beside the field it is about.
fn adjust_errors(param: &Option<String>, message: &str) -> FieldErrors {
    let field = match param.as_deref() {
        Some(p) if p.starts_with("line_items[") => {
            let i: String = p["line_items[".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            format!("quantity-{i}")
        }
        Some(p) if p.starts_with("discounts") || p == "promotion_code" => {
            "promotion_code".to_owned()
        }
        Some("shipping_rate") => "shipping_rate".to_owned(),
        _ => "promotion_code".to_owned(),
    };
    vec![(field, message.to_owned())]
}

fn is_open(shared: &Shared, id: &str) -> bool {
    lock(&shared.state)
        .sessions
        .get(id)
        .is_some_and(|s| s.index.status == "open")
}

/// `POST {base}/pay`.
fn pay(shared: &Shared, target: &Target, submission: Submission, request_id: &str) -> Reply {
    let Some(o) = object(shared, &target.id) else {
        return not_found(request_id);
    };
    match o.get("status").and_then(Value::as_str) {
        Some("open") => {}
        Some("complete") => {
            return html_reply(409, paid_page(&o, &business(shared), target), request_id)
        }
        _ => return html_reply(410, expired_page(&o, &business(shared)), request_id),
    }
    // The basket as shown (quantities, shipping rate), then the rest of the form.
    let change = match fields::adjustment(&submission, false) {
        Ok(change) => change,
        Err(errors) => return show(shared, target, &submission, &errors, None, 400, request_id),
    };
    if let Err(e) = shared.with_state(|s| s.adjust(&target.id, &change)) {
        let errors = adjust_errors(&e.param, &e.message);
        return show(shared, target, &submission, &errors, None, 400, request_id);
    }
    let Some(o) = object(shared, &target.id) else {
        return not_found(request_id);
    };
    let mut errors = Vec::new();
    let how = match fields::completion(&submission, &o) {
        Ok(how) => Some(how),
        Err(problems) => {
            errors = problems;
            None
        }
    };
    if submission.payment_method == "us_bank_account" {
        return match how {
            Some(how) => complete(shared, target, &submission, &how, request_id),
            None => show(shared, target, &submission, &errors, None, 400, request_id),
        };
    }
    let today = cards::year_month(lock(&shared.state).now());
    let card = cards::check(
        &CardInput {
            number: &submission.card_number,
            expiry: &submission.card_expiry,
            cvc: &submission.card_cvc,
        },
        today,
    );
    let card = match card {
        Ok(card) => card,
        Err(problems) => {
            for (field, message) in problems {
                let id = match field {
                    cards::CardField::Number => "card_number",
                    cards::CardField::Expiry => "card_expiry",
                    cards::CardField::Cvc => "card_cvc",
                };
                errors.push((id.to_owned(), message.to_owned()));
            }
            return show(shared, target, &submission, &errors, None, 400, request_id);
        }
    };
    let Some(how) = how else {
        return show(shared, target, &submission, &errors, None, 400, request_id);
    };
    match card.outcome() {
        Outcome::Succeeds => complete(shared, target, &submission, &how, request_id),
        Outcome::Declined(decline) => show(
            shared,
            target,
            &submission,
            &[],
            Some(decline.message),
            402,
            request_id,
        ),
        Outcome::Authenticate { after } => {
            lock(&shared.hosted).pending.insert(
                target.id.clone(),
                Pending {
                    how,
                    after,
                    last4: card.last4().to_owned(),
                    values: submission,
                },
            );
            redirect(&format!("{}/authenticate", target.base), request_id)
        }
    }
}

/// Completes the session and sends the customer on.
fn complete(
    shared: &Shared,
    target: &Target,
    submission: &Submission,
    how: &Completion,
    request_id: &str,
) -> Reply {
    match shared.with_state(|s| s.complete(&target.id, how)) {
        Ok(done) => finished(&done, target, request_id),
        Err(e) => show(
            shared,
            target,
            submission,
            &[],
            Some(&e.message),
            e.status,
            request_id,
        ),
    }
}

/// Where a completed session sends the customer.
fn finished(done: &Value, target: &Target, request_id: &str) -> Reply {
    let id = target.id.as_str();
    if !target.embedded {
        return match done["success_url"].as_str() {
            Some(url) => redirect(&url.replace("{CHECKOUT_SESSION_ID}", id), request_id),
            None => simple(
                200,
                "Thanks",
                &fill(THANKS, &[("message", "Your payment was received.")]),
                request_id,
            ),
        };
    }
    // Embedded: Stripe.js sends the top window to `return_url`, except with
    // `redirect_on_completion` `never` (and `if_required`, as a card never needs a
    // redirect), where it calls `onComplete` instead.
    let return_url = done["return_url"]
        .as_str()
        .map(|u| u.replace("{CHECKOUT_SESSION_ID}", id));
    let redirects = done["redirect_on_completion"].as_str().unwrap_or("always") == "always"
        && return_url.is_some();
    let data = json!({
        "type": "stripe-checkout-fake:complete",
        "sessionId": id,
        "redirect": redirects,
        "returnUrl": return_url,
    });
    // JSON in a <script>: `<` escaped so no `</script>` can close it.
    let data = data.to_string().replace('<', "\\u003c");
    let link = match (&return_url, redirects) {
        (Some(url), true) => format!(
            "<p><a href=\"{}\" target=\"_top\">Continue</a></p>",
            escape_html(url)
        ),
        _ => String::new(),
    };
    let message = format!(
        "{} {}",
        match done["payment_status"].as_str() {
            Some("unpaid") => "Your payment is processing.",
            _ => "Your payment was received.",
        },
        if redirects {
            "Returning to the shop…"
        } else {
            ""
        }
    );
    let content = fill_html(
        EMBEDDED_DONE,
        &[
            ("heading", "Thanks for your payment"),
            ("message", message.trim()),
        ],
        &[("link", &link), ("data", &data)],
    );
    html_reply(
        200,
        page::document("en", "Payment complete", "embedded", &content),
        request_id,
    )
}

/// `GET {base}/authenticate`: the 3D Secure step.
fn authenticate_page(shared: &Shared, target: &Target, request_id: &str) -> Reply {
    let Some(pending) = lock(&shared.hosted).pending.get(&target.id).cloned() else {
        return redirect(&target.base, request_id);
    };
    let Some(o) = object(shared, &target.id) else {
        return not_found(request_id);
    };
    let business = business(shared);
    let content = fill(
        AUTHENTICATE,
        &[
            ("business", &business),
            ("amount", &amount_text(&o)),
            ("last4", &pending.last4),
            ("base", &target.base),
        ],
    );
    let class = if target.embedded {
        "embedded"
    } else {
        "hosted"
    };
    html_reply(
        200,
        page::document(
            &page::lang(&o),
            "3D Secure authentication (test)",
            class,
            &content,
        ),
        request_id,
    )
}

/// `POST {base}/authenticate`: `authentication=complete` pays (or declines, for cards that
/// decline after authenticating), `fail` shows Stripe's authentication failure.
fn authenticate(
    shared: &Shared,
    target: &Target,
    submission: &Submission,
    request_id: &str,
) -> Reply {
    let result = submission.authentication.as_str();
    if result != "complete" && result != "fail" {
        return error_page(
            400,
            "Choose Complete or Fail (authentication=complete or fail).",
            request_id,
        );
    }
    let Some(pending) = lock(&shared.hosted).pending.remove(&target.id) else {
        return redirect(&target.base, request_id);
    };
    match (result, pending.after) {
        ("complete", None) => complete(shared, target, &pending.values, &pending.how, request_id),
        ("complete", Some(decline)) => show(
            shared,
            target,
            &pending.values,
            &[],
            Some(decline.message),
            402,
            request_id,
        ),
        _ => show(
            shared,
            target,
            &pending.values,
            &[],
            Some(cards::AUTHENTICATION_FAILED),
            402,
            request_id,
        ),
    }
}

/// `POST /c/pay/{id}/cancel`: back to the shop while open; refused once finished.
fn cancel(shared: &Shared, target: &Target, request_id: &str) -> Reply {
    let Some(o) = object(shared, &target.id) else {
        return not_found(request_id);
    };
    if target.embedded {
        return method_not_allowed(request_id);
    }
    match o.get("status").and_then(Value::as_str) {
        Some("open") => match o.get("cancel_url").and_then(Value::as_str) {
            Some(url) => redirect(
                &url.replace("{CHECKOUT_SESSION_ID}", &target.id),
                request_id,
            ),
            None => redirect(&target.base, request_id),
        },
        Some("complete") => html_reply(409, paid_page(&o, &business(shared), target), request_id),
        _ => html_reply(410, expired_page(&o, &business(shared)), request_id),
    }
}
