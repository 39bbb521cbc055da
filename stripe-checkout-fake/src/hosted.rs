//! The hosted Checkout page at the session's `url`: `GET /c/pay/{id}` shows the amount with
//! Pay and Cancel buttons; `POST /c/pay/{id}/pay` completes the session and redirects to
//! `success_url` with `{CHECKOUT_SESSION_ID}` replaced, `POST /c/pay/{id}/cancel` redirects to
//! `cancel_url`. `GET /c/recover/{token}`, an expired session's `after_expiration.recovery.url`,
//! opens a copy of it and redirects there ([`recover`]). Markup lives in `templates/`.
//!
//! <https://docs.stripe.com/payments/checkout/custom-success-page>,
//! <https://docs.stripe.com/payments/checkout/abandoned-carts>.

use hyper::body::Incoming;
use hyper::Request;
use percent_encoding::percent_decode_str;

use crate::lifecycle::recovery::RecoveryRefused;
use crate::lifecycle::Completion;
use crate::reply::{html_reply, redirect, Reply};
use crate::shared::{lock, Shared};
use crate::template::fill;

const PAGE: &str = include_str!("../templates/page.html");
const NOT_FOUND: &str = include_str!("../templates/not_found.html");
const GONE: &str = include_str!("../templates/gone.html");
const ERROR: &str = include_str!("../templates/error.html");
const THANKS: &str = include_str!("../templates/thanks.html");
const METHOD_NOT_ALLOWED: &str = include_str!("../templates/method_not_allowed.html");
const RECOVERY_GONE: &str = include_str!("../templates/recovery_gone.html");

/// Answers `/c/recover/{token}`: `GET` creates the recovered session and redirects (303) to
/// its page; a link used already or past its `expires_at` is 410, an unknown one 404.
pub(crate) fn recover(shared: &Shared, method: &str, raw_token: &str, request_id: &str) -> Reply {
    if method != "GET" {
        return html_reply(405, METHOD_NOT_ALLOWED.to_owned(), request_id);
    }
    let token = percent_decode_str(raw_token).decode_utf8_lossy();
    match shared.with_state(|s| s.recover(&token)) {
        Ok(url) => redirect(&url, request_id),
        Err(RecoveryRefused::NoLongerValid) => {
            html_reply(410, RECOVERY_GONE.to_owned(), request_id)
        }
        Err(RecoveryRefused::Unknown) => html_reply(404, NOT_FOUND.to_owned(), request_id),
    }
}

/// Answers `/c/pay/{rest}`.
pub(crate) async fn handle(
    shared: &Shared,
    req: Request<Incoming>,
    rest: &str,
    request_id: &str,
) -> Reply {
    let (raw_id, action) = match rest.split_once('/') {
        Some((id, action)) => (id, Some(action)),
        None => (rest, None),
    };
    let id = percent_decode_str(raw_id).decode_utf8_lossy().into_owned();
    let method = req.method().as_str();
    let Some(session) = lock(&shared.state).peek(&id) else {
        return html_reply(404, NOT_FOUND.to_owned(), request_id);
    };
    let open = session["status"] == "open" && session["ui_mode"] == "hosted_page";
    match (method, action) {
        ("GET", None) => {
            if !open {
                return html_reply(410, GONE.to_owned(), request_id);
            }
            let amount = session["amount_total"].as_i64().unwrap_or(0).to_string();
            let currency = session["currency"]
                .as_str()
                .unwrap_or_default()
                .to_uppercase();
            let page = fill(
                PAGE,
                &[("amount", &amount), ("currency", &currency), ("id", &id)],
            );
            html_reply(200, page, request_id)
        }
        ("POST", Some("pay")) => {
            if !open {
                return html_reply(410, GONE.to_owned(), request_id);
            }
            if let Err(e) = shared.with_state(|s| s.complete(&id, &Completion::paid())) {
                return html_reply(400, fill(ERROR, &[("message", &e.message)]), request_id);
            }
            match session["success_url"].as_str() {
                Some(url) => redirect(&url.replace("{CHECKOUT_SESSION_ID}", &id), request_id),
                None => html_reply(200, THANKS.to_owned(), request_id),
            }
        }
        ("POST", Some("cancel")) => match session["cancel_url"].as_str() {
            Some(url) => redirect(&url.replace("{CHECKOUT_SESSION_ID}", &id), request_id),
            None => redirect(&format!("/c/pay/{raw_id}"), request_id),
        },
        _ => html_reply(405, METHOD_NOT_ALLOWED.to_owned(), request_id),
    }
}
