//! Reading requests: a header as text, the body with a size and time bound, as UTF-8 form
//! text, and the `Stripe-Version` a client asks for.

use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::Request;
use percent_encoding::percent_decode_str;

use crate::error::FakeError;

/// The largest request body accepted (Stripe's own limit is not documented; 1 MiB is far above
/// any Checkout request).
pub const MAX_BODY: usize = 1 << 20;

/// A header's value, when it is text.
pub(crate) fn header<'a>(req: &'a Request<Incoming>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The whole body: 413 past [`MAX_BODY`], 400 when it cannot be read within 30 seconds.
pub(crate) async fn read_body(body: Incoming) -> Result<Bytes, FakeError> {
    let limited = Limited::new(body, MAX_BODY);
    match tokio::time::timeout(Duration::from_secs(30), limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(FakeError {
            status: 413,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: format!("Request bodies are limited to {MAX_BODY} bytes."),
        }),
        _ => Err(FakeError::invalid(
            None,
            None,
            "The request body could not be read.".to_owned(),
        )),
    }
}

/// The body as form text: 400 when it is not UTF-8, or when a percent-encoded key or value
/// decodes to bytes that are not UTF-8 (Stripe reads `application/x-www-form-urlencoded` UTF-8;
/// nothing is decoded lossily, so `%FF` is refused rather than read as `\u{FFFD}`).
pub(crate) fn form_text(bytes: Bytes) -> Result<String, FakeError> {
    let text = String::from_utf8(bytes.into()).map_err(|_| not_utf8())?;
    check_form_utf8(&text)?;
    Ok(text)
}

/// 400 when a percent-encoded key or value of `form` (a body or a query string) is not UTF-8.
pub(crate) fn check_form_utf8(form: &str) -> Result<(), FakeError> {
    let decodes = |raw: &str| percent_decode_str(raw).decode_utf8().is_ok();
    if form
        .split('&')
        .flat_map(|pair| pair.split('='))
        .all(decodes)
    {
        Ok(())
    } else {
        Err(not_utf8())
    }
}

fn not_utf8() -> FakeError {
    FakeError::invalid(
        None,
        None,
        "Invalid request body: it must be UTF-8 text, form-encoded (application/x-www-form-urlencoded, with percent-escapes of UTF-8 bytes).".to_owned(),
    )
}

/// Versions already warned about (process-wide: one line per version, however many fakes and
/// requests), bounded so a client cycling through values cannot grow it without end.
static WARNED_VERSIONS: Mutex<Vec<String>> = Mutex::new(Vec::new());
const MAX_WARNED_VERSIONS: usize = 32;

/// When the request's `Stripe-Version` asks for another version than the spec's, warns once
/// per distinct version on stderr. The request is answered normally, with the fake's version in
/// the response's `Stripe-Version` (as Stripe answers with the version it used).
/// <https://docs.stripe.com/api/versioning>.
pub(crate) fn warn_on_other_version(req: &Request<Incoming>) {
    let Some(asked) = header(req, "stripe-version") else {
        return;
    };
    // Beta headers ride along after `;` (`2026-05-27.dahlia; some_beta=v1`).
    let asked = asked.split(';').next().unwrap_or_default().trim();
    if let Some(message) = version_warning(asked, crate::params::API_VERSION, &WARNED_VERSIONS) {
        eprintln!("{message}");
    }
}

/// The warning to print for `asked`, unless it is `served`, empty or was warned about already.
fn version_warning(asked: &str, served: &str, warned: &Mutex<Vec<String>>) -> Option<String> {
    if asked.is_empty() || asked == served {
        return None;
    }
    // Header values are visible ASCII already; cut long ones so the log line stays a line.
    let shown: String = asked.chars().take(64).collect();
    let mut warned = warned
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if warned.len() >= MAX_WARNED_VERSIONS || warned.contains(&shown) {
        return None;
    }
    warned.push(shown.clone());
    Some(format!(
        "stripe-checkout-fake: a client asked for Stripe-Version {shown}; the fake serves {served} only"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_warning_per_distinct_version() {
        let warned = Mutex::new(Vec::new());
        let served = "2026-05-27.dahlia";
        assert_eq!(version_warning(served, served, &warned), None);
        assert_eq!(version_warning("", served, &warned), None);
        assert_eq!(
            version_warning("2024-06-20", served, &warned).as_deref(),
            Some("stripe-checkout-fake: a client asked for Stripe-Version 2024-06-20; the fake serves 2026-05-27.dahlia only")
        );
        assert_eq!(version_warning("2024-06-20", served, &warned), None);
        assert!(version_warning("2023-10-16", served, &warned).is_some());
        for i in 0..100 {
            version_warning(&format!("v{i}"), served, &warned);
        }
        assert_eq!(warned.lock().unwrap().len(), MAX_WARNED_VERSIONS);
    }

    #[test]
    fn bodies_must_be_utf8_before_and_after_percent_decoding() {
        assert_eq!(
            form_text(Bytes::from_static(b"a=%C3%A9&b=x+y")).as_deref(),
            Ok("a=%C3%A9&b=x+y")
        );
        let e = form_text(Bytes::from_static(b"a=\xff")).unwrap_err();
        assert_eq!((e.status, e.kind), (400, "invalid_request_error"));
        assert!(e.message.contains("UTF-8"), "{}", e.message);
        assert!(form_text(Bytes::from_static(b"a=%FF")).is_err());
        assert!(form_text(Bytes::from_static(b"%FF=1")).is_err());
    }
}
