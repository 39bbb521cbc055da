//! Building responses: JSON (with `Request-Id` and `Stripe-Version`), Stripe-shaped errors,
//! HTML and redirects for the hosted page.
//!
//! `Request-Id` on every response: <https://docs.stripe.com/api/request_ids>;
//! `Stripe-Version`: <https://docs.stripe.com/api/versioning>.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE, LOCATION};
use hyper::{Response, StatusCode};

use crate::error::FakeError;

/// Every response the fake sends.
pub(crate) type Reply = Response<Full<Bytes>>;

/// A JSON body with `Request-Id` and the spec's `Stripe-Version`.
pub(crate) fn json_reply(status: u16, body: Bytes, request_id: &str) -> Reply {
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

/// Stripe's error object with the error's status.
pub(crate) fn error_reply(error: &FakeError, request_id: &str) -> Reply {
    json_reply(
        error.status,
        Bytes::from(error.body().to_string()),
        request_id,
    )
}

/// An HTML page with `Request-Id`.
pub(crate) fn html_reply(status: u16, html: String, request_id: &str) -> Reply {
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

/// A text body of `content_type` (the Stripe.js stand-in), not cached.
pub(crate) fn text_reply(
    status: u16,
    content_type: &'static str,
    body: String,
    request_id: &str,
) -> Reply {
    let mut response = html_reply(status, body, request_id);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    response
}

/// `303 See Other` to `location`.
pub(crate) fn redirect(location: &str, request_id: &str) -> Reply {
    let mut response = html_reply(303, String::new(), request_id);
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}
