//! Stripe's `application/x-www-form-urlencoded` parameter encoding.
//!
//! Stripe's v1 API takes request parameters as bracketed form fields, the way Rails parses them:
//! `{"line_items": [{"price": "price_123"}], "metadata": {"k": "v"}}` is sent as
//! `line_items[0][price]=price_123&metadata[k]=v`. The same encoding is used for POST bodies and
//! GET/DELETE query strings.
//!
//! Rules (matching stripe-node and stripe-python unless noted):
//! - objects become `a[b][c]=v`, arrays are indexed: `expand[0]=customer`;
//! - `None`/`null` and `()` send nothing; empty arrays and empty objects send nothing (Stripe
//!   clears a field with `field=`, which is what [`crate::Unsettable::Unset`] sends);
//! - `""` is sent as an empty value: `key=`;
//! - booleans are `true`/`false`, integers print in decimal, floats print with Rust's shortest
//!   round-trip `Display` (`1.0` → `1`, `0.25` → `0.25`, like JavaScript); NaN/∞ are an error;
//! - order is the order serde visits fields, i.e. struct field order (a `BTreeMap` or
//!   `serde_json::Map` is visited in sorted key order);
//! - everything except the RFC 3986 unreserved characters `A-Za-z0-9-._~` is percent-encoded
//!   as UTF-8 (space is `%20`, not `+`). The brackets that express nesting are left literal, as
//!   stripe-node does; brackets that are part of a caller's key (a metadata key `a[b]`) are
//!   percent-encoded so they cannot be confused with nesting (stripe-node leaves those literal).

use std::fmt::Display;
use std::mem;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::ser::{self, Serialize};

/// Everything except RFC 3986 unreserved characters; used for form values, key segments and
/// path segments alike.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Serializes `params` to a Stripe form string (without a leading `?`).
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Item { price: &'static str, quantity: u32 }
/// #[derive(serde::Serialize)]
/// struct Params { line_items: Vec<Item>, mode: &'static str, success_url: &'static str }
///
/// let params = Params {
///     line_items: vec![Item { price: "price_123", quantity: 2 }],
///     mode: "payment",
///     success_url: "https://example.com/success",
/// };
/// assert_eq!(
///     stripe_checkout::form::to_form_string(&params).unwrap(),
///     "line_items[0][price]=price_123&line_items[0][quantity]=2&mode=payment\
///      &success_url=https%3A%2F%2Fexample.com%2Fsuccess",
/// );
/// ```
pub fn to_form_string<P: Serialize + ?Sized>(params: &P) -> Result<String, crate::Error> {
    let mut out = String::with_capacity(256);
    flatten(params, &mut out)?;
    Ok(out)
}

/// Flattens `params` into `(key, value)` pairs before percent-encoding. Keys are already in
/// their final bracketed form with key segments percent-encoded; values are raw.
pub(crate) fn to_pairs<P: Serialize + ?Sized>(
    params: &P,
) -> Result<Vec<(String, String)>, crate::Error> {
    let mut pairs = Vec::with_capacity(16);
    flatten(params, &mut pairs)?;
    Ok(pairs)
}

/// Walks `params` once, keeping the bracketed key of the current value in one buffer and
/// handing each scalar to `sink`, so nothing is built that is not in the output.
fn flatten<P: Serialize + ?Sized, S: Sink>(params: &P, sink: &mut S) -> Result<(), crate::Error> {
    let mut flat = Flattener {
        key: String::with_capacity(64),
        sink,
    };
    params
        .serialize(ValueSerializer {
            flat: &mut flat,
            top: true,
        })
        .map_err(|e| crate::Error::encode(e.0))
}

/// Where flattened `key=value` pairs go. `key` is final (segments encoded), `value` is raw.
trait Sink {
    fn pair(&mut self, key: &str, value: &str);
}

impl Sink for Vec<(String, String)> {
    fn pair(&mut self, key: &str, value: &str) {
        self.push((key.to_owned(), value.to_owned()));
    }
}

/// Straight into the form string: no allocation per pair.
impl Sink for String {
    fn pair(&mut self, key: &str, value: &str) {
        if !self.is_empty() {
            self.push('&');
        }
        self.push_str(key);
        self.push('=');
        self.extend(utf8_percent_encode(value, COMPONENT));
    }
}

/// Joins pairs from [`to_pairs`] into `k=v&k=v`, percent-encoding the values.
pub(crate) fn encode_pairs(pairs: &[(String, String)]) -> String {
    // Most values need no escapes, so this is usually the exact size.
    let size = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(size);
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.extend(utf8_percent_encode(value, COMPONENT));
    }
    out
}

/// Splits a string from [`to_form_string`] back into [`to_pairs`]'s pairs: keys as they are,
/// values percent-decoded.
pub(crate) fn parse_pairs(form: &str) -> Vec<(String, String)> {
    form.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            (key.to_owned(), value.into_owned())
        })
        .collect()
}

/// Percent-encodes `s` so it is a single key segment, value or path segment.
pub(crate) fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A value that writes itself as form pairs without serde: what the generated params types
/// implement (`cargo xtask regen` emits one non-generic `write_form` per type).
///
/// The serde path above stays for [`to_form_string`] on a caller's own types; both produce the
/// same bytes for the same params (`tests/form.rs` holds them to it). This one exists for build
/// cost: a params type's serde `Serialize` is generic over the serializer, and instantiating it
/// with the flattener compiled serde's machinery once per type and field type.
#[doc(hidden)]
pub trait FormValue {
    /// Writes the value at the writer's current key.
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError>;
}

/// Why a value could not be form-encoded.
#[doc(hidden)]
#[derive(Debug)]
pub struct FormError(String);

/// The form string being written and the key of the value being written.
#[doc(hidden)]
pub struct FormWriter {
    /// `a[b][0]`, segments encoded; empty at the top level.
    key: String,
    out: String,
}

impl FormWriter {
    /// Writes member `name` of the struct or map being written. `dyn`, so that this is
    /// compiled once rather than once per field type.
    pub fn field(&mut self, name: &str, value: &dyn FormValue) -> Result<(), FormError> {
        let restore = self.key.len();
        push_segment(&mut self.key, restore == 0, name);
        let result = value.write_form(self);
        self.key.truncate(restore);
        result
    }

    fn index(&mut self, index: usize) {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.key, "[{index}]");
    }

    /// Writes `key=value` for a scalar at the current key.
    pub fn scalar(&mut self, value: &str) -> Result<(), FormError> {
        if self.key.is_empty() {
            return Err(FormError(NOT_A_MAP.to_owned()));
        }
        self.out.pair(&self.key, value);
        Ok(())
    }

    fn display(&mut self, value: impl Display) -> Result<(), FormError> {
        with_text(value, |text| self.scalar(text))
    }
}

/// Encodes generated params with [`FormValue`]: the string [`to_form_string`] would give.
#[doc(hidden)]
pub fn encode_params<T: FormValue + ?Sized>(params: &T) -> Result<String, crate::Error> {
    let mut w = FormWriter {
        key: String::with_capacity(64),
        out: String::with_capacity(256),
    };
    params
        .write_form(&mut w)
        .map_err(|e| crate::Error::encode(e.0))?;
    Ok(w.out)
}

impl FormValue for str {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        w.scalar(self)
    }
}

impl FormValue for String {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        w.scalar(self)
    }
}

impl FormValue for bool {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        w.scalar(if *self { "true" } else { "false" })
    }
}

impl FormValue for i64 {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        w.display(self)
    }
}

impl FormValue for f64 {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        if self.is_finite() {
            w.display(self)
        } else {
            Err(FormError(non_finite(*self)))
        }
    }
}

impl<T: FormValue + ?Sized> FormValue for Box<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        (**self).write_form(w)
    }
}

impl<T: FormValue> FormValue for Option<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        match self {
            Some(value) => value.write_form(w),
            None => Ok(()),
        }
    }
}

impl<T: FormValue> FormValue for Vec<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        if w.key.is_empty() {
            return Err(FormError(NOT_A_MAP.to_owned()));
        }
        let restore = w.key.len();
        for (i, item) in self.iter().enumerate() {
            w.index(i);
            let result = item.write_form(w);
            w.key.truncate(restore);
            result?;
        }
        Ok(())
    }
}

impl<T: FormValue> FormValue for std::collections::BTreeMap<String, T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        for (key, value) in self {
            w.field(key, value)?;
        }
        Ok(())
    }
}

impl<T: FormValue> FormValue for crate::Unsettable<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        match self {
            crate::Unsettable::Set(value) => value.write_form(w),
            crate::Unsettable::Unset => w.scalar(""),
        }
    }
}

impl FormValue for serde_json::Value {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), FormError> {
        use serde_json::Value;
        match self {
            Value::Null => Ok(()),
            Value::Bool(b) => b.write_form(w),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => w.display(u),
                (None, Some(i), _) => w.display(i),
                (None, None, Some(f)) => f.write_form(w),
                (None, None, None) => w.display(n),
            },
            Value::String(s) => w.scalar(s),
            Value::Array(items) => items.write_form(w),
            Value::Object(map) => {
                for (key, value) in map {
                    w.field(key, value)?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Debug)]
struct EncodeError(String);

impl Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

fn error<T>(message: &str) -> Result<T, EncodeError> {
    Err(EncodeError(message.to_owned()))
}

const NOT_A_MAP: &str = "request parameters must serialize as a struct or map";

/// The output so far and the key of the value being serialized.
struct Flattener<'s, S> {
    /// `a[b][0]`: top-level name plus one bracketed segment per level, segments encoded.
    key: String,
    sink: &'s mut S,
}

/// Appends the key segment `name` (percent-encoded) at this level; the caller truncates `key`
/// back afterwards.
fn push_segment(key: &mut String, top: bool, name: &str) {
    if top {
        key.extend(utf8_percent_encode(name, COMPONENT));
    } else {
        key.push('[');
        key.extend(utf8_percent_encode(name, COMPONENT));
        key.push(']');
    }
}

impl<S> Flattener<'_, S> {
    fn push_segment(&mut self, top: bool, name: &str) {
        push_segment(&mut self.key, top, name);
    }

    fn push_index(&mut self, index: usize) {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.key, "[{index}]");
    }
}

/// Serializes one value at the key in `flat.key`. `top` is the params value itself, which must
/// be a struct or map (or nothing): its fields are the top-level names, without brackets.
struct ValueSerializer<'a, 's, S> {
    flat: &'a mut Flattener<'s, S>,
    top: bool,
}

impl<'a, 's, S: Sink> ValueSerializer<'a, 's, S> {
    fn scalar(self, value: &str) -> Result<(), EncodeError> {
        if self.top {
            return error(NOT_A_MAP);
        }
        self.flat.sink.pair(&self.flat.key, value);
        Ok(())
    }

    /// Numbers are formatted on the stack: no allocation for the commonest scalars.
    fn display(self, value: impl Display) -> Result<(), EncodeError> {
        with_text(value, |text| self.scalar(text))
    }

    fn float(self, v: f64, text: impl Display) -> Result<(), EncodeError> {
        if v.is_finite() {
            self.display(text)
        } else {
            Err(EncodeError(non_finite(v)))
        }
    }

    /// A compound value whose members get `[i]` or `[name]` appended to the current key.
    fn compound(self) -> Compound<'a, 's, S> {
        let base = self.flat.key.len();
        Compound {
            flat: self.flat,
            top: self.top,
            base,
            restore: base,
            index: 0,
            has_key: false,
        }
    }

    /// `{variant: …}`, as serde_json tags enums: the variant becomes one more key level.
    fn variant(self, variant: &'static str) -> Compound<'a, 's, S> {
        let restore = self.flat.key.len();
        self.flat.push_segment(self.top, variant);
        let base = self.flat.key.len();
        Compound {
            flat: self.flat,
            top: false,
            base,
            restore,
            index: 0,
            has_key: false,
        }
    }
}

impl<'a, 's, S: Sink> ser::Serializer for ValueSerializer<'a, 's, S> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Compound<'a, 's, S>;
    type SerializeTuple = Compound<'a, 's, S>;
    type SerializeTupleStruct = Compound<'a, 's, S>;
    type SerializeTupleVariant = Compound<'a, 's, S>;
    type SerializeMap = Compound<'a, 's, S>;
    type SerializeStruct = Compound<'a, 's, S>;
    type SerializeStructVariant = Compound<'a, 's, S>;

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.scalar(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), EncodeError> {
        // f32 Display keeps the short form ("0.1"), widening to f64 would not.
        self.float(f64::from(v), v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), EncodeError> {
        self.float(v, v)
    }
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        self.scalar(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), EncodeError> {
        error("cannot form-encode raw bytes")
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), EncodeError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let compound = self.variant(variant);
        value.serialize(ValueSerializer {
            flat: &mut *compound.flat,
            top: false,
        })?;
        compound.finish()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 's, S>, EncodeError> {
        if self.top {
            return error(NOT_A_MAP);
        }
        Ok(self.compound())
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 's, S>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 's, S>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 's, S>, EncodeError> {
        Ok(self.variant(variant))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 's, S>, EncodeError> {
        Ok(self.compound())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 's, S>, EncodeError> {
        Ok(self.compound())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 's, S>, EncodeError> {
        Ok(self.variant(variant))
    }
}

/// A sequence, map or struct being serialized: each member's key is `key[..base]` plus its
/// own segment; `restore` is the key length to leave behind at the end.
struct Compound<'a, 's, S> {
    flat: &'a mut Flattener<'s, S>,
    top: bool,
    base: usize,
    restore: usize,
    /// The next sequence index.
    index: usize,
    /// A map key has been appended and its value not yet serialized.
    has_key: bool,
}

impl<S: Sink> Compound<'_, '_, S> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.flat.key.truncate(self.base);
        self.flat.push_index(self.index);
        self.index += 1;
        value.serialize(ValueSerializer {
            flat: &mut *self.flat,
            top: false,
        })
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), EncodeError> {
        self.flat.key.truncate(self.base);
        self.flat.push_segment(self.top, name);
        value.serialize(ValueSerializer {
            flat: &mut *self.flat,
            top: false,
        })
    }

    fn finish(self) -> Result<(), EncodeError> {
        self.flat.key.truncate(self.restore);
        Ok(())
    }
}

impl<S: Sink> ser::SerializeSeq for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl<S: Sink> ser::SerializeTuple for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl<S: Sink> ser::SerializeTupleStruct for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl<S: Sink> ser::SerializeTupleVariant for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.element(value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl<S: Sink> ser::SerializeMap for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        self.flat.key.truncate(self.base);
        key.serialize(KeySerializer {
            key: &mut self.flat.key,
            top: self.top,
        })?;
        self.has_key = true;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        if !mem::take(&mut self.has_key) {
            return error("map value serialized before its key");
        }
        value.serialize(ValueSerializer {
            flat: &mut *self.flat,
            top: false,
        })
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl<S: Sink> ser::SerializeStruct for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl<S: Sink> ser::SerializeStructVariant for Compound<'_, '_, S> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

/// A small buffer for formatting numbers without allocating.
struct StackBuf {
    bytes: [u8; 48],
    len: usize,
}

impl Default for StackBuf {
    fn default() -> Self {
        StackBuf {
            bytes: [0; 48],
            len: 0,
        }
    }
}

/// Formats `value` on the stack and hands the text to `write`; only text longer than the buffer
/// (never an integer) is allocated.
fn with_text<R>(value: impl Display, write: impl FnOnce(&str) -> R) -> R {
    let mut buf = StackBuf::default();
    match std::fmt::Write::write_fmt(&mut buf, format_args!("{value}")) {
        Ok(()) => write(buf.as_str()),
        Err(_) => write(&value.to_string()),
    }
}

fn non_finite(v: f64) -> String {
    format!("cannot form-encode the non-finite number {v}")
}

impl StackBuf {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so this cannot fail.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A map key: any scalar, appended as the next key segment; nothing else can name a form field.
struct KeySerializer<'k> {
    key: &'k mut String,
    top: bool,
}

impl KeySerializer<'_> {
    fn segment(self, name: &str) -> Result<(), EncodeError> {
        push_segment(self.key, self.top, name);
        Ok(())
    }

    fn display(self, value: impl Display) -> Result<(), EncodeError> {
        with_text(value, |text| self.segment(text))
    }
}

const BAD_KEY: &str = "form map keys must be strings, numbers or booleans";

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ser::Impossible<(), EncodeError>;
    type SerializeTuple = ser::Impossible<(), EncodeError>;
    type SerializeTupleStruct = ser::Impossible<(), EncodeError>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = ser::Impossible<(), EncodeError>;
    type SerializeStruct = ser::Impossible<(), EncodeError>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.segment(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), EncodeError> {
        if v.is_finite() {
            self.display(v)
        } else {
            error(BAD_KEY)
        }
    }
    fn serialize_f64(self, v: f64) -> Result<(), EncodeError> {
        if v.is_finite() {
            self.display(v)
        } else {
            error(BAD_KEY)
        }
    }
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.display(v)
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        self.segment(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.segment(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, EncodeError> {
        error(BAD_KEY)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        error(BAD_KEY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client sends `to_form_string`'s output and paginates over `parse_pairs` of it; both
    /// must agree with the pairs `to_pairs` produces.
    #[test]
    fn string_and_pairs_agree() {
        let params = serde_json::json!({
            "expand": ["a", "b c"],
            "metadata": {"k&=": "v%+ é", "empty": ""},
            "n": 3,
            "nested": [{"x": true}, null, {"y": 0.5}],
        });
        let pairs = to_pairs(&params).unwrap();
        let form = to_form_string(&params).unwrap();
        assert_eq!(form, encode_pairs(&pairs));
        assert_eq!(parse_pairs(&form), pairs);
        assert!(parse_pairs("").is_empty());
    }
}
