//! The API key check: `Authorization: Bearer sk_test_…`, or HTTP Basic with the key as the
//! user name (which Stripe also accepts). Only test keys (`sk_test_…`, `rk_test_…`) pass;
//! anything else is 401 with Stripe's wording.
//!
//! <https://docs.stripe.com/api/authentication>, <https://docs.stripe.com/keys>.

use hyper::body::Incoming;
use hyper::Request;

use crate::error::FakeError;
use crate::request::header;

/// `Ok` for a test key, else Stripe's 401.
pub(crate) fn authenticate(req: &Request<Incoming>) -> Result<(), FakeError> {
    let unauthorized = |message: String| FakeError {
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
    Err(unauthorized(format!(
        "Invalid API Key provided: {}",
        shown(&key)
    )))
}

/// The most of a bad key an error message shows.
const SHOWN_PREFIX: usize = 12;

/// A bad key as the error shows it: a short prefix (at most [`SHOWN_PREFIX`] characters and at
/// most half of the key, so a short key is never shown whole), then `…`. Enough to tell which
/// key was sent, not enough to use it (Stripe itself shows only a few characters).
fn shown(key: &str) -> String {
    let count = key.chars().count();
    let prefix: String = key.chars().take(SHOWN_PREFIX.min(count / 2)).collect();
    let shown = format!("{prefix}…");
    if key.starts_with("sk_live_") || key.starts_with("rk_live_") {
        format!("{shown} (stripe-checkout-fake accepts only test keys: sk_test_… or rk_test_…)")
    } else {
        shown
    }
}

/// The user name of an HTTP Basic credential (standard base64 of `user:password`, RFC 7617);
/// `None` when it is not base64 of UTF-8.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_user_is_the_part_before_the_colon() {
        // base64("sk_test_123:")
        assert_eq!(
            decode_basic_user("c2tfdGVzdF8xMjM6").as_deref(),
            Some("sk_test_123")
        );
        assert_eq!(decode_basic_user("not base64!"), None);
    }

    #[test]
    fn errors_show_a_short_prefix_of_a_bad_key_only() {
        let key = "sk_live_51Habcdefghijklmnopqrstuvwxyz0123456789";
        let text = shown(key);
        assert!(
            text.starts_with("sk_live_51Ha… (stripe-checkout-fake accepts only test keys"),
            "{text}"
        );
        assert!(!text.contains("bcdefghij"), "{text}");
        assert_eq!(shown("pk_test_abcdef"), "pk_test…");
        assert_eq!(shown("abc"), "a…");
        assert_eq!(shown(""), "…");
        assert_eq!(shown("éééééé"), "ééé…");
    }
}
