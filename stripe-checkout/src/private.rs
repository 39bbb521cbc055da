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

/// A params type flattened into Stripe form pairs by a non-generic function.
pub trait Encode {
    /// The `(key, value)` pairs, keys already in bracketed form.
    fn encode(&self) -> Result<Vec<(String, String)>, Error>;
}

/// The one generic decoder behind every [`Decode`] impl: the whole document must be a `T`,
/// with nothing after it, and a failure names its JSON path.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => match de.end() {
            Ok(()) => Ok(value),
            // Trailing garbage after a complete document.
            Err(e) => Err(JsonError {
                path: ".".to_owned(),
                message: e.to_string(),
            }),
        },
        Err(e) => Err(JsonError {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        }),
    }
}

/// The one generic encoder behind every [`Encode`] impl.
pub fn encode_form<P: Serialize + ?Sized>(params: &P) -> Result<Vec<(String, String)>, Error> {
    crate::form::to_pairs(params)
}
