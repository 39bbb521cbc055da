//! The contract between generated code and the runtime: everything the generated code names,
//! and only through here (`crate::__private::…`). Not part of the public API.
//!
//! [`Decode`] and [`Encode`] exist for build cost. Response types decode through `FromJson`
//! (`decode.rs`), whose functions are not generic, so they are compiled once, here; params are
//! encoded by one non-generic `#[inline(never)]` [`Encode`] impl per params type, so calling an
//! endpoint compiles no encoder in the caller's crate.

use serde::de::DeserializeOwned;
use serde_json::Value;

pub use crate::decode::{DecodeResult, FromJson, Mark, Parser};
pub use crate::error::EncodeError;
pub use crate::form::{encode_params, FormValue, FormWriter};
// Everything else generated code names, so that this module is the whole contract between the
// generator and the runtime.
pub use crate::client::encode_path_segment;
pub use crate::{
    Client, Error, Expandable, ExtraFields, Identified, List, Method, Paginator, Request,
    Timestamp, UnknownValue, Unsettable,
};

/// A JSON document that did not decode: the path of the failure (`data[0].amount_total`,
/// `.` for the document itself) and what was wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where, as `serde_path_to_error` renders it.
    pub path: String,
    /// What serde_json said.
    pub message: String,
}

/// A response document decoded from JSON bytes: every [`FromJson`] type.
pub trait Decode: Sized {
    /// Decodes one JSON document.
    fn decode(bytes: &[u8]) -> Result<Self, JsonError>;
}

impl<T: FromJson> Decode for T {
    fn decode(bytes: &[u8]) -> Result<Self, JsonError> {
        decode_json(bytes)
    }
}

/// One API request of a generated endpoint method, through the params' non-generic [`Encode`]
/// and the response's [`Decode`]; `path` has its ids encoded already
/// ([`encode_path_segment`]). The hand-written counterpart for other types is
/// [`Client::send`].
///
/// A function here rather than a method, so that `Client`'s methods are its public API alone
/// and the generated accessors (`client.checkout_sessions()`) can only clash with those (which
/// the compiler reports as duplicate definitions).
pub fn call<P, R>(client: &Client, method: Method, path: String, params: &P) -> Request<R>
where
    P: Encode + ?Sized,
    R: Decode,
{
    Request::new(client.clone(), method, path, params.encode(), R::decode)
}

/// The [`Paginator`] of a generated `*_auto_paging` method: it sets the cursor on its own copy
/// of the typed params for each page ([`PageParams`]).
pub fn call_paginated<P, T>(client: &Client, path: String, params: &P) -> Paginator<T>
where
    P: PageParams + Clone + 'static,
    T: Identified,
    List<T>: Decode,
{
    Paginator::new(
        client.clone(),
        path,
        Box::new(params.clone()),
        List::<T>::decode,
    )
}

/// A params type encoded as a Stripe form by a non-generic function.
pub trait Encode {
    /// The form string (`a[b]=c&d=e`), ready to send as a body or query.
    fn encode(&self) -> Result<String, Error>;
}

/// The params of a list endpoint, which a [`crate::Paginator`] moves through the pages by
/// setting their cursor (`starting_after`, or `ending_before` when paging backwards) before each
/// request. The generator implements it for every list params type with both cursors.
pub trait PageParams: FormValue + Send + Sync {
    /// `ending_before` when `backward`, else `starting_after`.
    fn cursor(&self, backward: bool) -> Option<&str>;
    /// Sets `ending_before` when `backward`, else `starting_after`.
    fn set_cursor(&mut self, backward: bool, cursor: String);
}

/// For [`crate::Client::paginate`] with untyped params: the cursors are members of the object
/// (`null` becomes an object when a cursor is set).
impl PageParams for Value {
    fn cursor(&self, backward: bool) -> Option<&str> {
        self.get(cursor_name(backward))?.as_str()
    }

    fn set_cursor(&mut self, backward: bool, cursor: String) {
        if self.is_null() {
            *self = Value::Object(serde_json::Map::new());
        }
        if let Value::Object(map) = self {
            map.insert(cursor_name(backward).to_owned(), Value::String(cursor));
        }
    }
}

/// `ending_before` when `backward`, else `starting_after`.
pub fn cursor_name(backward: bool) -> &'static str {
    if backward {
        "ending_before"
    } else {
        "starting_after"
    }
}

/// Decodes a whole document as a `T`, with nothing after it; a failure names its JSON path.
///
/// No path is tracked while decoding. A failure knows its byte offset, and `json_path.rs`
/// names the value there by an untyped scan of the bytes, only when something failed.
///
/// The body's UTF-8 is checked once up front, so strings are slices of it.
pub fn decode_json<T: FromJson>(bytes: &[u8]) -> Result<T, JsonError> {
    let text = utf8(bytes)?;
    Parser::new(text)
        .document()
        .map_err(|e| located(bytes, e.offset, e.message))
}

/// Decodes a hand-written serde type (events, error bodies) the same way as [`decode_json`].
pub fn decode_serde<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let text = utf8(bytes)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let result = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    result.map_err(|e| failure(bytes, &e))
}

fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes).map_err(|e| {
        located(
            bytes,
            e.valid_up_to(),
            format!(
                "the body is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

#[cold]
#[inline(never)]
fn located(bytes: &[u8], offset: usize, message: String) -> JsonError {
    JsonError {
        path: crate::json_path::path_at_offset(bytes, offset),
        message,
    }
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

/// serde's `Deserialize` for a [`FromJson`] type, so `serde_json::from_str` and friends keep
/// working on generated types: the value is buffered as JSON and decoded by the same code as
/// the client's responses (one decoder, one behaviour). Slower than [`decode_json`]; the client
/// never takes this path. With the `serde` feature only.
#[cfg(feature = "serde")]
pub fn deserialize_via_json<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromJson,
{
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    let text = value.to_string();
    decode_json(text.as_bytes()).map_err(|e| {
        let message = if e.path == "." {
            e.message
        } else {
            format!("{} at `{}`", e.message, e.path)
        };
        <D::Error as serde::de::Error>::custom(message)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::List;

    type Page = List<BTreeMap<String, i64>>;

    #[derive(Debug, serde::Deserialize)]
    struct SerdePage {
        data: Vec<BTreeMap<String, i64>>,
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

        let err = decode_json::<Page>(br#"{"has_more":true}"#).unwrap_err();
        assert_eq!(
            (err.path.as_str(), err.message.as_str()),
            (".", "missing field `data`")
        );

        // Not UTF-8 inside a string: the path says where.
        let err = decode_json::<Page>(b"{\"data\":[{\"amount\":\"\xff\"}]}").unwrap_err();
        assert_eq!(err.path, "data[0].amount");
    }

    #[test]
    fn hand_written_serde_types_decode_with_paths_too() {
        let page: SerdePage = decode_serde(br#"{"data":[{"amount":1}]}"#).unwrap();
        assert_eq!(page.data[0]["amount"], 1);
        let err =
            decode_serde::<SerdePage>(br#"{"data":[{"amount":1},{"amount":"x"}]}"#).unwrap_err();
        assert_eq!(err.path, "data[1].amount");
    }
}
