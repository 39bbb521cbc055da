//! Helpers the generated code calls; not part of the public API.
//!
//! [`Decode`] and [`Encode`] exist for build cost. serde's code for a type is generic over the
//! (de)serializer, so a plain `send::<CheckoutSession>` would compile the whole session parser
//! again in every crate that calls an endpoint, and in release builds (no shared generics) once
//! per crate. The generator instead emits one non-generic `#[inline(never)]` impl per response
//! and params type, so that code is compiled once, here.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// The `object` and `deleted` fields of a JSON object: what tells union members apart
/// (`customer` vs the `deleted: true` form of a customer).
pub fn object_tag(value: &Value) -> (Option<String>, bool) {
    let object = value
        .get("object")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let deleted = value
        .get("deleted")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    (object, deleted)
}

/// A JSON document that did not decode: the path of the failure (`data[0].amount_total`,
/// `.` for the document itself) and what was wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where, as `serde_path_to_error` renders it.
    pub path: String,
    /// What serde_json said.
    pub message: String,
}

/// A response type decoded from JSON bytes by a non-generic function.
pub trait Decode: Sized {
    /// Decodes one JSON document.
    fn decode(bytes: &[u8]) -> Result<Self, JsonError>;
}

/// A params type encoded as a Stripe form by a non-generic function.
pub trait Encode {
    /// The form string (`a[b]=c&d=e`), ready to send as a body or query.
    fn encode(&self) -> Result<String, Error>;
}

/// The one generic decoder behind every [`Decode`] impl: the whole document must be a `T`,
/// with nothing after it, and a failure names its JSON path.
///
/// No path is tracked while decoding: tracking costs about 45 % of a successful decode, and a
/// second, path-tracking decoder per type (to rerun on failure) would double the serde code in
/// every binary. A failure's path is instead recovered from serde_json's line and column by an
/// untyped scan of the bytes (`json_path.rs`), which names the same place.
///
/// The body's UTF-8 is checked once and it is then read as `&str`, which spares serde_json a
/// check per string.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Err(JsonError {
                path: crate::json_path::path_at_offset(bytes, e.valid_up_to()),
                message: format!(
                    "the body is not UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            })
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    result.map_err(|e| failure(bytes, &e))
}

/// Where and why a decode failed. Kept out of line: it is the cold path, and not generic.
#[cold]
#[inline(never)]
fn failure(bytes: &[u8], error: &serde_json::Error) -> JsonError {
    let path = match error.classify() {
        // Cut short: where the document stops.
        serde_json::error::Category::Eof => crate::json_path::path_at_offset(bytes, bytes.len()),
        _ => crate::json_path::path_at(bytes, error.line(), error.column()),
    };
    JsonError {
        path,
        message: error.to_string(),
    }
}

/// The one generic encoder behind every [`Encode`] impl. It writes the form string directly,
/// without a `(key, value)` pair per field.
pub fn encode_form<P: Serialize + ?Sized>(params: &P) -> Result<String, Error> {
    crate::form::to_form_string(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[allow(dead_code)]
        amount: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Page {
        data: Vec<Item>,
    }

    #[test]
    fn decode_succeeds_without_tracking_and_failures_still_name_the_path() {
        let page: Page = decode_json(br#"{"data":[{"amount":1},{"amount":2}]}"#).unwrap();
        assert_eq!(page.data.len(), 2);

        let err = decode_json::<Page>(br#"{"data":[{"amount":1},{"amount":"x"}]}"#).unwrap_err();
        assert_eq!(err.path, "data[1].amount");
        assert!(err.message.contains("invalid type"), "{}", err.message);

        let err = decode_json::<Page>(br#"{"data":[]} trailing"#).unwrap_err();
        assert_eq!(err.path, ".");
        assert!(err.message.contains("trailing"), "{}", err.message);

        let err = decode_json::<Page>(b"").unwrap_err();
        assert_eq!(err.path, ".");

        // Not UTF-8 inside a string: the path says where.
        let err = decode_json::<Page>(b"{\"data\":[{\"amount\":\"\xff\"}]}").unwrap_err();
        assert_eq!(err.path, "data[0].amount");
    }
}
