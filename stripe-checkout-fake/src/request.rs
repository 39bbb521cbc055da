//! Reading requests: a header as text, and the body with a size and time bound.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::Request;

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
