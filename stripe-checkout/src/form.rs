//! Stripe's `application/x-www-form-urlencoded` parameter encoding.
//!
//! Stripe's v1 API takes request parameters as bracketed form fields, the way Rails parses them:
//! `{"line_items": [{"price": "price_123"}], "metadata": {"k": "v"}}` is sent as
//! `line_items[0][price]=price_123&metadata[k]=v`. The same encoding is used for POST bodies and
//! GET/DELETE query strings.
//!
//! There is one encoder: [`FormWriter`], driven by [`FormValue`] impls. Every generated params
//! type has one (a plain, non-generic `write_form` per type), and so do strings, numbers,
//! booleans, `Vec`, `BTreeMap<String, _>`, `Option`, [`crate::Unsettable`] and
//! `serde_json::Value`.
//!
//! Rules (matching stripe-node and stripe-python unless noted):
//! - objects become `a[b][c]=v`, arrays are indexed: `expand[0]=customer`;
//! - `None`/`null` and `()` send nothing; empty arrays and empty objects send nothing (Stripe
//!   clears a field with `field=`, which is what [`crate::Unsettable::Unset`] sends);
//! - `""` is sent as an empty value: `key=`;
//! - booleans are `true`/`false`, integers print in decimal, floats print with Rust's shortest
//!   round-trip `Display` (`1.0` → `1`, `0.25` → `0.25`, like JavaScript); NaN/∞ are an error;
//! - order is struct field order (a `BTreeMap` or `serde_json::Map` is written in sorted key
//!   order);
//! - everything except the RFC 3986 unreserved characters `A-Za-z0-9-._~` is percent-encoded
//!   as UTF-8 (space is `%20`, not `+`). The brackets that express nesting are left literal, as
//!   stripe-node does; brackets that are part of a caller's key (a metadata key `a[b]`) are
//!   percent-encoded so they cannot be confused with nesting (stripe-node leaves those literal).

use std::fmt::Display;

use crate::error::{EncodeError, Error};
use crate::files::FileUpload;
use crate::unsettable::Unsettable;

/// Whether a byte is an RFC 3986 unreserved character (`A-Za-z0-9-._~`), the only bytes sent
/// as they are in form values, key segments and path segments.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `s` percent-encoded: runs of unreserved bytes are copied at once.
fn push_encoded(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !UNRESERVED[usize::from(b)] {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Appends the decimal digits of `n` (with a `-` when negative), without `fmt`.
fn push_integer(out: &mut Vec<u8>, negative: bool, mut n: u128) {
    let mut buf = [0u8; 40];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    out.extend_from_slice(&buf[at..]);
}

/// Percent-encodes `s` so it is a single key segment, value or path segment.
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    push_encoded(&mut out, s);
    ascii_string(out)
}

/// The writer only ever appends ASCII (everything else is percent-encoded), so this never
/// replaces anything.
fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Encodes `params` as a Stripe form string (without a leading `?`): what the client sends for
/// every call.
///
/// ```
/// let params = serde_json::json!({
///     "line_items": [{"price": "price_123", "quantity": 2}],
///     "mode": "payment",
///     "success_url": "https://example.com/success",
/// });
/// assert_eq!(
///     stripe_checkout::form::to_form_string(&params).unwrap(),
///     "line_items[0][price]=price_123&line_items[0][quantity]=2&mode=payment\
///      &success_url=https%3A%2F%2Fexample.com%2Fsuccess",
/// );
/// ```
pub fn to_form_string<P: FormValue + ?Sized>(params: &P) -> Result<String, Error> {
    encode_params(params)
}

/// [`to_form_string`], as the generated `Encode` impls call it.
#[doc(hidden)]
pub fn encode_params<P: FormValue + ?Sized>(params: &P) -> Result<String, Error> {
    let mut w = FormWriter::new();
    params.write_form(&mut w).map_err(Error::Encode)?;
    Ok(w.finish())
}

/// Encodes `params` as a `multipart/form-data` body with `boundary` (`POST /v1/files`): each
/// form pair a part named by its bracketed key, unencoded, and each [`FileUpload`] a part with
/// its file name and content type. The `Content-Type` to send is
/// `multipart/form-data; boundary=<boundary>`; the boundary must not occur in the contents (a
/// random one will not).
///
/// ```
/// use stripe_checkout::form::{encode_multipart, FormValue, FormWriter};
/// use stripe_checkout::{EncodeError, FileUpload};
///
/// struct Upload { purpose: &'static str, file: FileUpload }
/// impl FormValue for Upload {
///     fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
///         w.field("purpose", &self.purpose)?;
///         w.field("file", &self.file)
///     }
/// }
/// let upload = Upload { purpose: "dispute_evidence", file: FileUpload::new("a.txt", "text/plain", "hi") };
/// let body = encode_multipart(&upload, "XyZ").unwrap();
/// assert_eq!(
///     String::from_utf8(body).unwrap(),
///     "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndispute_evidence\r\n\
///      --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
///      Content-Type: text/plain\r\n\r\nhi\r\n--XyZ--\r\n",
/// );
/// ```
pub fn encode_multipart<P: FormValue + ?Sized>(
    params: &P,
    boundary: &str,
) -> Result<Vec<u8>, Error> {
    let mut w = FormWriter::new();
    w.boundary = Some(boundary.to_owned());
    params.write_form(&mut w).map_err(Error::Encode)?;
    w.out.extend_from_slice(b"--");
    w.out.extend_from_slice(boundary.as_bytes());
    w.out.extend_from_slice(b"--\r\n");
    Ok(w.out)
}

/// A params type encoded as a Stripe form by a non-generic function: the contract of generated
/// endpoint methods (`__private::call`) with their params.
///
/// It exists for build cost: the generator implements it with one non-generic
/// `#[inline(never)]` function per params type, so calling an endpoint compiles no encoder in
/// the caller's crate.
#[doc(hidden)]
pub trait Encode {
    /// The form string (`a[b]=c&d=e`), ready to send as a body or query.
    fn encode(&self) -> Result<String, Error>;
}

/// A value that writes itself as Stripe form pairs.
///
/// Every generated params type implements it (one non-generic `write_form` per type, emitted by
/// `cargo xtask regen`), as do strings, numbers, booleans, `Option`, `Vec`, `BTreeMap<String, _>`,
/// [`crate::Unsettable`] and `serde_json::Value`. A struct of your own writes its fields in
/// order:
///
/// ```
/// use stripe_checkout::form::{to_form_string, FormValue, FormWriter};
/// use stripe_checkout::EncodeError;
///
/// struct Refund { charge: String, amount: Option<i64> }
///
/// impl FormValue for Refund {
///     fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
///         w.field("charge", &self.charge)?;
///         if let Some(amount) = &self.amount {
///             w.field("amount", amount)?;
///         }
///         Ok(())
///     }
/// }
///
/// let refund = Refund { charge: "ch_1".into(), amount: Some(500) };
/// assert_eq!(to_form_string(&refund).unwrap(), "charge=ch_1&amount=500");
/// ```
pub trait FormValue {
    /// Writes the value at the writer's current key.
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError>;
}

/// The form string being written and the bracketed key of the value being written.
pub struct FormWriter {
    /// `a[b][0]`, segments encoded; empty at the top level.
    key: Vec<u8>,
    out: Vec<u8>,
    /// `Some` when writing a `multipart/form-data` body ([`encode_multipart`]) with this
    /// boundary: each pair is then a part, its key and value unencoded.
    boundary: Option<String>,
}

impl Default for FormWriter {
    fn default() -> Self {
        FormWriter::new()
    }
}

impl FormWriter {
    /// An empty form.
    pub fn new() -> Self {
        FormWriter {
            key: Vec::with_capacity(64),
            out: Vec::with_capacity(512),
            boundary: None,
        }
    }

    /// The form string written so far.
    pub fn finish(self) -> String {
        ascii_string(self.out)
    }

    /// Writes member `name` of the struct or map being written: `name=…` at the top level,
    /// `…[name]=…` below it. `dyn`, so that this is compiled once rather than once per field
    /// type.
    pub fn field(&mut self, name: &str, value: &dyn FormValue) -> Result<(), EncodeError> {
        let restore = self.key.len();
        let multipart = self.boundary.is_some();
        if restore != 0 {
            self.key.push(b'[');
        }
        if multipart {
            push_part_name(&mut self.key, name);
        } else {
            push_encoded(&mut self.key, name);
        }
        if restore != 0 {
            self.key.push(b']');
        }
        let result = value.write_form(self);
        self.key.truncate(restore);
        result
    }

    /// Writes the items of a list: `key[0]=…&key[1]=…`.
    pub fn items(
        &mut self,
        items: &mut dyn Iterator<Item = &dyn FormValue>,
    ) -> Result<(), EncodeError> {
        if self.key.is_empty() {
            return Err(not_a_map());
        }
        let restore = self.key.len();
        for (i, item) in items.enumerate() {
            self.key.push(b'[');
            push_integer(&mut self.key, false, i as u128);
            self.key.push(b']');
            let result = item.write_form(self);
            self.key.truncate(restore);
            result?;
        }
        Ok(())
    }

    /// Writes `key=value` for a text value at the current key.
    pub fn scalar(&mut self, value: &str) -> Result<(), EncodeError> {
        self.start_pair()?;
        if self.boundary.is_some() {
            self.out.extend_from_slice(value.as_bytes());
        } else {
            push_encoded(&mut self.out, value);
        }
        self.end_pair();
        Ok(())
    }

    /// Writes `key=n` for an integer at the current key.
    pub fn integer(&mut self, negative: bool, magnitude: u128) -> Result<(), EncodeError> {
        self.start_pair()?;
        push_integer(&mut self.out, negative, magnitude);
        self.end_pair();
        Ok(())
    }

    /// Writes a file part at the current key; only a `multipart/form-data` body
    /// ([`encode_multipart`]) can carry one.
    pub fn file(&mut self, file: &FileUpload) -> Result<(), EncodeError> {
        let Some(boundary) = &self.boundary else {
            return Err(EncodeError {
                message: "a file can only be sent in a multipart/form-data body".to_owned(),
            });
        };
        if self.key.is_empty() {
            return Err(not_a_map());
        }
        self.out.extend_from_slice(b"--");
        self.out.extend_from_slice(boundary.as_bytes());
        self.out
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.out.extend_from_slice(&self.key);
        self.out.extend_from_slice(b"\"; filename=\"");
        push_part_name(&mut self.out, &file.filename);
        self.out.extend_from_slice(b"\"\r\nContent-Type: ");
        // A header value: line breaks would start another header.
        let content_type = match file.content_type.as_str() {
            "" => "application/octet-stream",
            other => other,
        };
        for &b in content_type.as_bytes() {
            if b != b'\r' && b != b'\n' {
                self.out.push(b);
            }
        }
        self.out.extend_from_slice(b"\r\n\r\n");
        self.out.extend_from_slice(&file.data);
        self.out.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// `key=` (after a `&` unless this is the first pair), or a multipart part's head.
    fn start_pair(&mut self) -> Result<(), EncodeError> {
        if self.key.is_empty() {
            return Err(not_a_map());
        }
        if let Some(boundary) = &self.boundary {
            self.out.extend_from_slice(b"--");
            self.out.extend_from_slice(boundary.as_bytes());
            self.out
                .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            self.out.extend_from_slice(&self.key);
            self.out.extend_from_slice(b"\"\r\n\r\n");
            return Ok(());
        }
        if !self.out.is_empty() {
            self.out.push(b'&');
        }
        self.out.extend_from_slice(&self.key);
        self.out.push(b'=');
        Ok(())
    }

    /// The end of a multipart part; nothing in a form.
    fn end_pair(&mut self) {
        if self.boundary.is_some() {
            self.out.extend_from_slice(b"\r\n");
        }
    }

    fn display(&mut self, value: impl Display) -> Result<(), EncodeError> {
        with_text(value, |text| self.scalar(text))
    }
}

/// Appends a multipart part's name or file name as it goes between quotes: `"`, CR and LF
/// percent-encoded (as browsers send them), everything else as it is.
fn push_part_name(out: &mut Vec<u8>, name: &str) {
    for &b in name.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            _ => out.push(b),
        }
    }
}

fn not_a_map() -> EncodeError {
    EncodeError {
        message: "request parameters must be a struct or map".to_owned(),
    }
}

impl FormValue for str {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.scalar(self)
    }
}

impl FormValue for String {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.scalar(self)
    }
}

impl FormValue for bool {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.scalar(if *self { "true" } else { "false" })
    }
}

/// Sends nothing: a call without params.
impl FormValue for () {
    fn write_form(&self, _: &mut FormWriter) -> Result<(), EncodeError> {
        Ok(())
    }
}

macro_rules! form_integers {
    ($($t:ty),*) => {$(
        impl FormValue for $t {
            fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
                #[allow(unused_comparisons)]
                let negative = *self < 0;
                w.integer(negative, (*self as i128).unsigned_abs())
            }
        }
    )*};
}

form_integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl FormValue for f64 {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        if self.is_finite() {
            w.display(self)
        } else {
            Err(EncodeError {
                message: format!("cannot form-encode the non-finite number {self}"),
            })
        }
    }
}

/// A file part: only in a `multipart/form-data` body ([`encode_multipart`]).
impl FormValue for FileUpload {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.file(self)
    }
}

impl<T: FormValue + ?Sized> FormValue for &T {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        (**self).write_form(w)
    }
}

impl<T: FormValue + ?Sized> FormValue for Box<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        (**self).write_form(w)
    }
}

impl<T: FormValue> FormValue for Option<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        match self {
            Some(value) => value.write_form(w),
            None => Ok(()),
        }
    }
}

impl<T: FormValue> FormValue for [T] {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.items(&mut self.iter().map(|item| item as &dyn FormValue))
    }
}

impl<T: FormValue> FormValue for Vec<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        self.as_slice().write_form(w)
    }
}

impl<K: AsRef<str>, T: FormValue> FormValue for std::collections::BTreeMap<K, T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        for (key, value) in self {
            w.field(key.as_ref(), value)?;
        }
        Ok(())
    }
}

impl<T: FormValue> FormValue for Unsettable<T> {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        match self {
            Unsettable::Set(value) => value.write_form(w),
            Unsettable::Unset => w.scalar(""),
        }
    }
}

impl FormValue for serde_json::Value {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        use serde_json::Value;
        match self {
            Value::Null => Ok(()),
            Value::Bool(b) => b.write_form(w),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u.write_form(w),
                (None, Some(i), _) => i.write_form(w),
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

/// A small buffer for formatting numbers without allocating.
struct StackBuf {
    bytes: [u8; 48],
    len: usize,
}

/// Formats `value` on the stack and hands the text to `write`; only text longer than the buffer
/// is allocated.
fn with_text<R>(value: impl Display, write: impl FnOnce(&str) -> R) -> R {
    let mut buf = StackBuf {
        bytes: [0; 48],
        len: 0,
    };
    match std::fmt::Write::write_fmt(&mut buf, format_args!("{value}")) {
        Ok(()) => write(std::str::from_utf8(&buf.bytes[..buf.len]).unwrap_or_default()),
        Err(_) => write(&value.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_components() {
        let mut out = Vec::new();
        push_integer(&mut out, true, 9_223_372_036_854_775_808);
        assert_eq!(out, b"-9223372036854775808");
        let mut w = FormWriter::new();
        w.field("n", &0u8).unwrap();
        w.field("m", &i64::MIN).unwrap();
        w.field("u", &u64::MAX).unwrap();
        assert_eq!(
            w.finish(),
            "n=0&m=-9223372036854775808&u=18446744073709551615"
        );
        assert_eq!(encode_component("a b/é~"), "a%20b%2F%C3%A9~");
    }
}
