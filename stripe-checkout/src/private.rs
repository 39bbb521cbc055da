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
    /// Where: keys and indices from the root, `data[0].amount_total`; `.` for the root.
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
/// Tracking the path while decoding (`serde_path_to_error`) cost about 45 % of every successful
/// decode and a second copy of each type's parser in the binary. Instead the body is checked
/// for UTF-8 once, read as `&str` (sparing serde_json a check per string), and only when it
/// fails is the path worked out, from the error's position, by [`path_at`].
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Err(JsonError {
                path: path_at(bytes, e.valid_up_to()),
                message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            })
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).map_err(|e| json_error(bytes, &e))?;
    match de.end() {
        Ok(()) => Ok(value),
        // Trailing garbage after a complete document.
        Err(e) => Err(JsonError {
            path: ".".to_owned(),
            message: e.to_string(),
        }),
    }
}

/// A serde_json failure inside `bytes`, with the path of where it happened.
#[cold]
#[inline(never)]
fn json_error(bytes: &[u8], e: &serde_json::Error) -> JsonError {
    // serde_json positions are 1-based lines and 1-based byte columns of the offending byte.
    let line_start = if e.line() <= 1 {
        0
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(e.line() - 2)
            .map_or(bytes.len(), |(i, _)| i + 1)
    };
    JsonError {
        path: path_at(bytes, line_start.saturating_add(e.column())),
        message: e.to_string(),
    }
}

/// The JSON path of the value that encloses byte `end` (exclusive) of `json`, rendered as
/// `data[0].amount_total` (`.` for the document itself): keys of the open objects and indices
/// of the open arrays, found by scanning the text up to `end`.
fn path_at(json: &[u8], end: usize) -> String {
    enum Frame {
        /// The key whose value is being read; `None` between a `{`/`,` and the next key.
        Object(Option<String>),
        Array(usize),
    }
    let end = end.min(json.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match json[i] {
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => drop(stack.pop()),
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::Array(index)) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < json.len() && json[j] != b'"' {
                    // Skip the escaped character, so `\"` does not end the string.
                    j += if json[j] == b'\\' { 2 } else { 1 };
                }
                let j = j.min(json.len());
                if let Some(Frame::Object(key @ None)) = stack.last_mut() {
                    let raw = String::from_utf8_lossy(&json[start..j]);
                    // Keys are plain in practice; decode escapes when there are any.
                    let name = serde_json::from_str::<String>(&format!("\"{raw}\""))
                        .unwrap_or_else(|_| raw.into_owned());
                    *key = Some(name);
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
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

        // Escaped keys, nested arrays, and commas or brackets inside strings.
        let json = br#"{"a\"b":[[1,"x,]"],[2,{"k":"}"}]],"c":1}"#;
        let at = |needle: &str| {
            let i = json
                .windows(needle.len())
                .position(|w| w == needle.as_bytes());
            path_at(json, i.unwrap() + needle.len())
        };
        assert_eq!(at(r#""x,]""#), "a\"b[0][1]");
        assert_eq!(at(r#""}""#), "a\"b[1][1].k");
        assert_eq!(at(r#""c":1"#), "c");
        assert_eq!(path_at(json, json.len()), ".");

        // Not UTF-8 inside a string: the path says where.
        let err = decode_json::<Page>(b"{\"data\":[{\"amount\":\"\xff\"}]}").unwrap_err();
        assert_eq!(err.path, "data[0].amount");
    }
}
