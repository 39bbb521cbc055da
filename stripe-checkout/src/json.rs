//! `application/json` request bodies, as the v2 API takes its params.
//!
//! The JSON counterpart of [`crate::form`]: one writer, [`JsonWriter`], driven by [`JsonValue`]
//! impls. The generator writes one (a plain, non-generic `write_json`) for every params type a
//! JSON-bodied endpoint reaches, and the runtime has them for strings, numbers, booleans,
//! `Option`, `Vec`, `BTreeMap<String, _>`, [`crate::Unsettable`] and `serde_json::Value`.
//!
//! Rules: struct fields in order under their wire names, a `None` left out; an empty `Vec` or
//! map is written (`[]`, `{}`: in JSON it says something); [`crate::Unsettable::Unset`] is
//! `null`, which clears a field in v2; floats print with Rust's shortest round-trip `Display`,
//! NaN/∞ are an error; strings are escaped as RFC 8259 requires (`"`, `\`, control characters),
//! everything else as UTF-8.

use crate::error::{EncodeError, Error};
use crate::unsettable::Unsettable;

/// A value that writes itself as JSON.
///
/// ```
/// use stripe_checkout::json::{to_json_string, JsonValue, JsonWriter};
/// use stripe_checkout::EncodeError;
///
/// struct Event { name: String, value: Option<i64> }
///
/// impl JsonValue for Event {
///     fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
///         w.begin_object();
///         w.field("name", &self.name)?;
///         if let Some(value) = &self.value {
///             w.field("value", value)?;
///         }
///         w.end_object();
///         Ok(())
///     }
/// }
///
/// let event = Event { name: "api \"call\"".into(), value: Some(3) };
/// assert_eq!(to_json_string(&event).unwrap(), r#"{"name":"api \"call\"","value":3}"#);
/// ```
pub trait JsonValue {
    /// Writes the value at the writer's current position.
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError>;
}

/// The JSON text being written.
pub struct JsonWriter {
    out: Vec<u8>,
    /// Whether the object or array being written has no member yet (no `,` before the next).
    first: bool,
}

impl Default for JsonWriter {
    fn default() -> Self {
        JsonWriter::new()
    }
}

impl JsonWriter {
    /// An empty document.
    pub fn new() -> Self {
        JsonWriter {
            out: Vec::with_capacity(512),
            first: true,
        }
    }

    /// The JSON text written so far.
    pub fn finish(self) -> String {
        // Only whole UTF-8 strings and ASCII are ever appended.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// `{`: the members that follow, until [`JsonWriter::end_object`], are its.
    pub fn begin_object(&mut self) {
        self.out.push(b'{');
        self.first = true;
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.first = false;
    }

    /// Writes member `name` of the object being written. `dyn`, so that this is compiled once
    /// rather than once per field type.
    pub fn field(&mut self, name: &str, value: &dyn JsonValue) -> Result<(), EncodeError> {
        self.comma();
        self.string(name);
        self.out.push(b':');
        value.write_json(self)
    }

    /// Writes an array of `items`.
    pub fn items(
        &mut self,
        items: &mut dyn Iterator<Item = &dyn JsonValue>,
    ) -> Result<(), EncodeError> {
        self.out.push(b'[');
        self.first = true;
        for item in items {
            self.comma();
            item.write_json(self)?;
        }
        self.out.push(b']');
        self.first = false;
        Ok(())
    }

    /// Writes a string, escaped.
    pub fn string(&mut self, value: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push(b'"');
        let bytes = value.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1f => b"",
                _ => continue,
            };
            self.out.extend_from_slice(&bytes[start..i]);
            if escape.is_empty() {
                self.out.extend_from_slice(b"\\u00");
                self.out.push(HEX[usize::from(b >> 4)]);
                self.out.push(HEX[usize::from(b & 15)]);
            } else {
                self.out.extend_from_slice(escape);
            }
            start = i + 1;
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }

    /// Writes `true`, `false`, `null` or a number: text that is its own JSON.
    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    /// Writes an integer.
    pub fn integer(&mut self, value: i128) {
        self.raw(&value.to_string());
    }

    /// Writes a finite number; NaN and ∞ have no JSON.
    pub fn number(&mut self, value: f64) -> Result<(), EncodeError> {
        if !value.is_finite() {
            return Err(EncodeError {
                message: format!("cannot JSON-encode the non-finite number {value}"),
            });
        }
        self.raw(&value.to_string());
        Ok(())
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }
}

/// Encodes `params` as a JSON document.
pub fn to_json_string<P: JsonValue + ?Sized>(params: &P) -> Result<String, Error> {
    encode_json(params)
}

/// [`to_json_string`], as the generated `Encode` impls of JSON-bodied params call it.
#[doc(hidden)]
pub fn encode_json<P: JsonValue + ?Sized>(params: &P) -> Result<String, Error> {
    let mut w = JsonWriter::new();
    params.write_json(&mut w).map_err(Error::Encode)?;
    Ok(w.finish())
}

impl JsonValue for str {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.string(self);
        Ok(())
    }
}

impl JsonValue for String {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.string(self);
        Ok(())
    }
}

impl JsonValue for bool {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.boolean(*self);
        Ok(())
    }
}

/// `{}`: a call without params.
impl JsonValue for () {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.begin_object();
        w.end_object();
        Ok(())
    }
}

macro_rules! json_integers {
    ($($t:ty),*) => {$(
        impl JsonValue for $t {
            fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
                w.integer(*self as i128);
                Ok(())
            }
        }
    )*};
}

json_integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl JsonValue for f64 {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.number(*self)
    }
}

impl<T: JsonValue + ?Sized> JsonValue for &T {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        (**self).write_json(w)
    }
}

impl<T: JsonValue + ?Sized> JsonValue for Box<T> {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        (**self).write_json(w)
    }
}

/// `None` is `null` here; a struct's `None` field is left out before this is reached.
impl<T: JsonValue> JsonValue for Option<T> {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        match self {
            Some(value) => value.write_json(w),
            None => {
                w.null();
                Ok(())
            }
        }
    }
}

impl<T: JsonValue> JsonValue for [T] {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.items(&mut self.iter().map(|item| item as &dyn JsonValue))
    }
}

impl<T: JsonValue> JsonValue for Vec<T> {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        self.as_slice().write_json(w)
    }
}

impl<K: AsRef<str>, T: JsonValue> JsonValue for std::collections::BTreeMap<K, T> {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        w.begin_object();
        for (key, value) in self {
            w.field(key.as_ref(), value)?;
        }
        w.end_object();
        Ok(())
    }
}

/// [`Unsettable::Unset`] is `null`, which clears a field in the v2 API.
impl<T: JsonValue> JsonValue for Unsettable<T> {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        match self {
            Unsettable::Set(value) => value.write_json(w),
            Unsettable::Unset => {
                w.null();
                Ok(())
            }
        }
    }
}

impl JsonValue for serde_json::Value {
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), EncodeError> {
        use serde_json::Value;
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.boolean(*b),
            // serde_json prints its numbers as JSON already.
            Value::Number(n) => w.raw(&n.to_string()),
            Value::String(s) => w.string(s),
            Value::Array(items) => return items.write_json(w),
            Value::Object(map) => {
                w.begin_object();
                for (key, value) in map {
                    w.field(key, value)?;
                }
                w.end_object();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string, nested structure and number comes out as serde_json reads it back.
    #[test]
    fn matches_serde_json() {
        let value = serde_json::json!({
            "a": "q\"uo\\te\n\t\u{1}é😀",
            "b": [1, -2, 3.5, true, null, {}],
            "c": {"d": [], "e": {"f": "g"}},
            "n": 18446744073709551615u64,
        });
        let text = to_json_string(&value).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        assert_eq!(text, serde_json::to_string(&value).unwrap());
        let map = std::collections::BTreeMap::from([
            ("k", Unsettable::Unset),
            ("l", Unsettable::Set(vec![Some(1u8), None])),
        ]);
        assert_eq!(to_json_string(&map).unwrap(), r#"{"k":null,"l":[1,null]}"#);
        assert!(to_json_string(&f64::NAN).is_err());
    }
}
