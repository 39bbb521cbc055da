//! The JSON decoder behind every response type: a small recursive-descent parser over the
//! body's bytes, driven by one non-generic `FromJson::from_json` per type.
//!
//! Why not serde's derive: its decoder for a type is generic over the deserializer, and
//! serde_json instantiates its own map, option and key machinery once per type and field type
//! on top of it. For the ~200 types of a Checkout Session that was two thirds of the crate's
//! machine code and most of its release build time. Here a type's decoder is one plain function
//! (a `match` on keys calling the field types' decoders), compiled once, and the parser is
//! shared by all of them.
//!
//! Semantics follow what the serde derive did: unknown keys go to the struct's `extra` map, a
//! missing or `null` optional field is `None`, a missing required field is an error, and an
//! error knows the byte offset where it happened, from which `json_path` names its path.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::json_path;

/// Nesting deeper than this is refused, as serde_json does, so hostile input cannot overflow
/// the stack.
const MAX_DEPTH: u32 = 128;

/// Where and why decoding a document stopped: the byte offset and what was wrong. The one
/// failure of this module; whoever holds the document names the place with [`ParseError::path`]
/// (the client in [`crate::DecodeError`], webhooks in
/// [`WebhookError::InvalidPayload`](crate::WebhookError::InvalidPayload)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset into the document.
    pub offset: usize,
    /// What was wrong, in serde_json's wording where it has one.
    pub message: String,
}

impl ParseError {
    /// The JSON path of the failure in `document`, the bytes that were decoded:
    /// `data[0].amount_total`, `.` for the document itself. Found by an untyped scan of the
    /// bytes up to the offset, only when something failed.
    #[cold]
    #[inline(never)]
    pub fn path(&self, document: &[u8]) -> String {
        json_path::path_at_offset(document, self.offset)
    }
}

/// The result of a decoding step.
pub type DecodeResult<T> = Result<T, ParseError>;

/// A type that can be decoded from JSON by this module's parser.
pub trait FromJson: Sized {
    /// Decodes one value at the parser's position.
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self>;
}

/// A position in a JSON document.
pub struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    /// A field decoder's failure, reported by the next [`Object::next_key`] (see
    /// [`Parser::set`]).
    failure: Option<ParseError>,
}

/// A saved parser position, to decode a value twice (tag lookups, untagged unions).
#[derive(Clone, Copy)]
pub struct Mark {
    pos: usize,
    depth: u32,
}

/// The state of an object being read: whether a member has been read yet.
pub struct Object {
    first: bool,
}

/// The state of an array being read.
pub struct Array {
    first: bool,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            failure: None,
        }
    }

    /// Decodes the whole document as a `T`; only whitespace may follow it.
    pub fn document<T: FromJson>(&mut self) -> DecodeResult<T> {
        let value = T::from_json(self)?;
        match self.peek() {
            None => Ok(value),
            Some(_) => Err(self.error_here("trailing characters")),
        }
    }

    /// Decodes a value of type `T` at the current position.
    #[inline]
    pub fn decode<T: FromJson>(&mut self) -> DecodeResult<T> {
        T::from_json(self)
    }

    /// The current position, to come back to with [`Parser::reset`].
    pub fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            depth: self.depth,
        }
    }

    /// Goes back to a position saved by [`Parser::mark`].
    pub fn reset(&mut self, mark: Mark) {
        self.pos = mark.pos;
        self.depth = mark.depth;
        self.failure = None;
    }

    /// Decodes a field that may not be `null` into its slot, for generated struct decoders.
    ///
    /// A failure is kept and returned by the next [`Object::next_key`], so a struct decoder's
    /// arm per field is one call, not a call, a branch and an early return: that keeps the
    /// decoder of a 68-field struct small. Out of line for the same reason.
    #[inline(never)]
    pub fn set<T: FromJson>(&mut self, slot: &mut Option<T>) {
        match T::from_json(self) {
            Ok(value) => *slot = Some(value),
            Err(e) => self.fail(e),
        }
    }

    /// [`Parser::set`] for a field that may be `null` (or absent): `null` leaves `None`.
    #[inline(never)]
    pub fn set_nullable<T: FromJson>(&mut self, slot: &mut Option<T>) {
        if self.null_field() {
            // After a value (a duplicate key) `null` clears it: the last value wins.
            *slot = None;
        } else {
            self.set(slot);
        }
    }

    /// Consumes a `null` field value; a malformed one is kept as the failure. Not generic.
    fn null_field(&mut self) -> bool {
        match self.null() {
            Ok(null) => null,
            Err(e) => {
                self.fail(e);
                true
            }
        }
    }

    /// Keeps a field decoder's failure for the next [`Object::next_key`]. Not generic, so the
    /// setters stay small.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, e: ParseError) {
        self.failure = Some(e);
    }

    /// Keeps a member the struct has no field for, as JSON (see [`Parser::set`]).
    #[inline(never)]
    pub fn keep(&mut self, key: Cow<'_, str>, extra: &mut BTreeMap<String, Value>) {
        match Value::from_json(self) {
            Ok(value) => {
                extra.insert(key.into_owned(), value);
            }
            Err(e) => self.fail(e),
        }
    }

    /// The error for a required field missing from the object just read (its closing `}` is
    /// where `json_path` finds the object's path).
    #[cold]
    #[inline(never)]
    pub fn missing(&self, name: &str) -> ParseError {
        ParseError {
            offset: self.pos.saturating_sub(1),
            message: format!("missing field `{name}`"),
        }
    }

    /// An error at the current position.
    #[cold]
    pub fn error_here(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            offset: self.pos,
            message: message.into(),
        }
    }

    /// Skips whitespace and returns the next byte, without consuming it.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                return Some(b);
            }
        }
        None
    }

    /// An "invalid type" error for the value at the current position (serde's wording).
    #[cold]
    fn invalid_type(&mut self, expected: &str) -> ParseError {
        let start = self.pos;
        let found = match self.bytes.get(self.pos) {
            None => return self.error_here("EOF while parsing a value"),
            Some(b'"') => match self.string() {
                Ok(s) => format!("string {:?}", s),
                Err(e) => return e,
            },
            Some(b'{') => "map".to_owned(),
            Some(b'[') => "sequence".to_owned(),
            Some(b't') | Some(b'f') => match self.boolean() {
                Ok(b) => format!("boolean `{b}`"),
                Err(e) => return e,
            },
            Some(b'n') => "null".to_owned(),
            Some(b'-' | b'0'..=b'9') => match self.number() {
                Ok(Number::Float(f)) => format!("floating point `{f}`"),
                Ok(Number::Int(i)) => format!("integer `{i}`"),
                Ok(Number::UInt(u)) => format!("integer `{u}`"),
                Err(e) => return e,
            },
            Some(_) => return self.error_here("expected value"),
        };
        ParseError {
            offset: start,
            message: format!("invalid type: {found}, expected {expected}"),
        }
    }

    /// Whether a string is next.
    #[inline]
    pub fn peek_string(&mut self) -> bool {
        self.peek() == Some(b'"')
    }

    /// Consumes `null` if it is next.
    pub fn null(&mut self) -> DecodeResult<bool> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal(b"null")?;
        Ok(true)
    }

    fn literal(&mut self, word: &[u8]) -> DecodeResult<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error_here("expected value"))
        }
    }

    /// Starts reading an object; `expected` names it in a type error.
    #[inline]
    pub fn object(&mut self, expected: &str) -> DecodeResult<Object> {
        self.open(b'{', expected).map(|()| Object { first: true })
    }

    /// Starts reading an array; `expected` names it in a type error.
    #[inline]
    pub fn array(&mut self, expected: &str) -> DecodeResult<Array> {
        self.open(b'[', expected).map(|()| Array { first: true })
    }

    /// Consumes the opening bracket of a container, one level deeper.
    fn open(&mut self, bracket: u8, expected: &str) -> DecodeResult<()> {
        if self.peek() != Some(bracket) {
            return Err(self.invalid_type(expected));
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads a string.
    pub fn string(&mut self) -> DecodeResult<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(self.invalid_type("a string"));
        }
        self.pos += 1;
        let start = self.pos;
        // The common case: no escapes, so the string is a slice of the document.
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'"' => {
                    let text = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                b'\\' => return self.escaped_string(start).map(Cow::Owned),
                0..=0x1f => {
                    return Err(self.error_here(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                _ => self.pos += 1,
            }
        }
        Err(self.error_here("EOF while parsing a string"))
    }

    /// The rest of a string that has escapes, from its first byte at `start`.
    #[cold]
    fn escaped_string(&mut self, start: usize) -> DecodeResult<String> {
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let run = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match self.bytes.get(self.pos) {
                None => return Err(self.error_here("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(&escape) = self.bytes.get(self.pos) else {
                        return Err(self.error_here("EOF while parsing a string"));
                    };
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.error_here("invalid escape")),
                    }
                }
                Some(_) => {
                    return Err(self.error_here(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining surrogate pairs.
    fn unicode_escape(&mut self) -> DecodeResult<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.pos..].starts_with(b"\\u") {
                    return Err(self.error_here("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_here("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error_here("lone trailing surrogate in hex escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error_here("invalid unicode code point"))
    }

    fn hex4(&mut self) -> DecodeResult<u32> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            return Err(self.error_here("EOF while parsing a string"));
        };
        let mut value = 0;
        for &d in digits {
            let digit = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error_here("invalid escape")),
            };
            value = value * 16 + u32::from(digit);
        }
        self.pos += 4;
        Ok(value)
    }

    fn boolean(&mut self) -> DecodeResult<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(self.invalid_type("a boolean")),
        }
    }

    /// Reads a number: an integer when it has no fraction or exponent and fits, else a float.
    fn number(&mut self) -> DecodeResult<Number> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return Err(self.error_here("invalid number"));
            }
        }
        let mut float = false;
        if b.get(i) == Some(&b'.') {
            float = true;
            i = self.digits(i + 1)?;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            float = true;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = self.digits(i)?;
        }
        self.pos = i;
        let text = &self.text[start..i];
        if !float {
            // serde_json reads `-0` as the float -0.0 (so it writes back as `-0.0`); so do we.
            if text == "-0" {
                return Ok(Number::Float(-0.0));
            }
            if let Ok(n) = text.parse::<u64>() {
                return Ok(Number::UInt(n));
            }
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Number::Int(n));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => Err(ParseError {
                offset: start,
                message: "number out of range".to_owned(),
            }),
        }
    }

    /// The end of the run of digits starting at `i`, which must have at least one.
    fn digits(&mut self, mut i: usize) -> DecodeResult<usize> {
        if !matches!(self.bytes.get(i), Some(b'0'..=b'9')) {
            self.pos = i;
            return Err(self.error_here("invalid number"));
        }
        while matches!(self.bytes.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        Ok(i)
    }

    /// Skips one value of any type.
    pub fn skip(&mut self) -> DecodeResult<()> {
        self.decode::<Value>().map(drop)
    }

    /// The `object` and `deleted` members of the object at the current position, read ahead
    /// without consuming it: what tells union members apart. `(None, false)` for a non-object.
    pub fn object_tag(&mut self) -> DecodeResult<(Option<Cow<'a, str>>, bool)> {
        if self.peek() != Some(b'{') {
            return Ok((None, false));
        }
        let mark = self.mark();
        let mut tag = None;
        let mut deleted = false;
        let mut object = self.object("an object")?;
        while let Some(key) = object.next_key(self)? {
            match &*key {
                "object" if self.peek() == Some(b'"') => tag = Some(self.string()?),
                "deleted" if matches!(self.peek(), Some(b't' | b'f')) => {
                    deleted = self.boolean()?
                }
                _ => self.skip()?,
            }
        }
        self.reset(mark);
        Ok((tag, deleted))
    }
}

/// A number as read, before it is given a Rust type.
enum Number {
    UInt(u64),
    Int(i64),
    Float(f64),
}

impl Object {
    /// The next member's key (the `:` after it consumed), or `None` after the closing `}`.
    #[inline]
    pub fn next_key<'a>(&mut self, p: &mut Parser<'a>) -> DecodeResult<Option<Cow<'a, str>>> {
        if let Some(failure) = p.failure.take() {
            return Err(failure);
        }
        match p.peek() {
            Some(b'}') => {
                p.pos += 1;
                p.depth -= 1;
                return Ok(None);
            }
            Some(b',') if !self.first => {
                p.pos += 1;
                p.peek();
            }
            Some(_) if self.first => {}
            Some(_) => return Err(p.error_here("expected `,` or `}`")),
            None => return Err(p.error_here("EOF while parsing an object")),
        }
        self.first = false;
        if p.peek() != Some(b'"') {
            return Err(match p.peek() {
                None => p.error_here("EOF while parsing an object"),
                Some(_) => p.error_here("key must be a string"),
            });
        }
        let key = p.string()?;
        match p.peek() {
            Some(b':') => p.pos += 1,
            None => return Err(p.error_here("EOF while parsing an object")),
            Some(_) => return Err(p.error_here("expected `:`")),
        }
        Ok(Some(key))
    }
}

impl Array {
    /// Whether another element follows (consuming the `,` before it), or `false` after the
    /// closing `]`.
    #[inline]
    pub fn has_next(&mut self, p: &mut Parser<'_>) -> DecodeResult<bool> {
        match p.peek() {
            Some(b']') => {
                p.pos += 1;
                p.depth -= 1;
                Ok(false)
            }
            Some(b',') if !self.first => {
                p.pos += 1;
                Ok(true)
            }
            Some(_) if self.first => {
                self.first = false;
                Ok(true)
            }
            Some(_) => Err(p.error_here("expected `,` or `]`")),
            None => Err(p.error_here("EOF while parsing a list")),
        }
    }
}

impl FromJson for String {
    #[inline]
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        p.string().map(Cow::into_owned)
    }
}

impl FromJson for bool {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        p.boolean()
    }
}

impl FromJson for i64 {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        if !matches!(p.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(p.invalid_type("i64"));
        }
        let start = p.pos;
        match p.number()? {
            Number::Int(n) => Ok(n),
            Number::UInt(n) => i64::try_from(n).map_err(|_| ParseError {
                offset: start,
                message: format!("invalid value: integer `{n}`, expected i64"),
            }),
            Number::Float(f) if f.to_bits() == (-0.0f64).to_bits() => Ok(0),
            Number::Float(f) => Err(ParseError {
                offset: start,
                message: format!("invalid type: floating point `{f}`, expected i64"),
            }),
        }
    }
}

impl FromJson for f64 {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        if !matches!(p.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(p.invalid_type("f64"));
        }
        Ok(match p.number()? {
            Number::Int(n) => n as f64,
            Number::UInt(n) => n as f64,
            Number::Float(f) => f,
        })
    }
}

impl<T: FromJson> FromJson for Option<T> {
    #[inline]
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        if p.null()? {
            Ok(None)
        } else {
            T::from_json(p).map(Some)
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    #[inline]
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        T::from_json(p).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut array = p.array("a sequence")?;
        let mut items = Vec::new();
        while array.has_next(p)? {
            items.push(T::from_json(p)?);
        }
        // Decoded values are usually kept: no spare capacity (a one-item list would hold four).
        items.shrink_to_fit();
        Ok(items)
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut object = p.object("a map")?;
        let mut map = BTreeMap::new();
        while let Some(key) = object.next_key(p)? {
            map.insert(key.into_owned(), T::from_json(p)?);
        }
        Ok(map)
    }
}

impl FromJson for Value {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        Ok(match p.peek() {
            Some(b'"') => Value::String(p.string()?.into_owned()),
            Some(b'{') => {
                let mut object = p.object("a map")?;
                let mut map = Map::new();
                while let Some(key) = object.next_key(p)? {
                    let value = Value::from_json(p)?;
                    map.insert(key.into_owned(), value);
                }
                Value::Object(map)
            }
            Some(b'[') => {
                let mut array = p.array("a sequence")?;
                let mut items = Vec::new();
                while array.has_next(p)? {
                    items.push(Value::from_json(p)?);
                }
                Value::Array(items)
            }
            Some(b't' | b'f') => Value::Bool(p.boolean()?),
            Some(b'n') => {
                p.literal(b"null")?;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') => match p.number()? {
                Number::UInt(n) => Value::Number(n.into()),
                Number::Int(n) => Value::Number(n.into()),
                // Finite by construction, so `from_f64` always succeeds.
                Number::Float(f) => serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| p.error_here("invalid number"))?,
            },
            Some(_) => return Err(p.error_here("expected value")),
            None => return Err(p.error_here("EOF while parsing a value")),
        })
    }
}

/// A response document decoded from JSON bytes: every [`FromJson`] type. The contract of
/// generated endpoint methods (`__private::call`) with their response types.
///
/// It exists for build cost: a type's decoder is its one non-generic `FromJson::from_json`,
/// compiled once in this crate, never in the caller's.
pub trait Decode: Sized {
    /// Decodes one JSON document.
    fn decode(bytes: &[u8]) -> Result<Self, ParseError>;
}

impl<T: FromJson> Decode for T {
    fn decode(bytes: &[u8]) -> Result<Self, ParseError> {
        decode_json(bytes)
    }
}

/// Decodes a whole document as a `T`, with nothing after it.
///
/// The body's UTF-8 is checked once up front, so strings are slices of it.
pub fn decode_json<T: FromJson>(bytes: &[u8]) -> Result<T, ParseError> {
    Parser::new(utf8(bytes)?).document()
}

/// Decodes a hand-written serde type (a caller's own types for `Client::send`) the same way as
/// [`decode_json`]: the whole document, and a failure's offset.
pub fn decode_serde<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    let text = utf8(bytes)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let result = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    result.map_err(|e| serde_failure(bytes, &e))
}

fn utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| ParseError {
        offset: e.valid_up_to(),
        message: format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })
}

/// serde_json's failure as an offset. Kept out of line: it is the cold path, and not generic.
#[cold]
#[inline(never)]
fn serde_failure(bytes: &[u8], error: &serde_json::Error) -> ParseError {
    let offset = match error.classify() {
        // Cut short: where the document stops.
        serde_json::error::Category::Eof => bytes.len(),
        _ => json_path::offset_of(bytes, error.line(), error.column()),
    };
    ParseError {
        offset,
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
        let path = e.path(text.as_bytes());
        let message = if path == "." {
            e.message
        } else {
            format!("{} at `{path}`", e.message)
        };
        <D::Error as serde::de::Error>::custom(message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Page = crate::List<BTreeMap<String, i64>>;

    #[derive(Debug, serde::Deserialize)]
    struct SerdePage {
        data: Vec<BTreeMap<String, i64>>,
    }

    /// The message and path of a failure to decode `bytes` as `T`.
    fn failure<T: FromJson + std::fmt::Debug>(bytes: &[u8]) -> (String, String) {
        let err = decode_json::<T>(bytes).unwrap_err();
        (err.path(bytes), err.message)
    }

    #[test]
    fn decode_succeeds_without_tracking_and_failures_still_name_the_path() {
        let page: Page = decode_json(br#"{"data":[{"amount":1},{"amount":2}]}"#).unwrap();
        assert_eq!(page.data.len(), 2);

        let (path, message) = failure::<Page>(br#"{"data":[{"amount":1},{"amount":"x"}]}"#);
        assert_eq!(path, "data[1].amount");
        assert!(message.contains("invalid type"), "{message}");

        let (path, message) = failure::<Page>(br#"{"data":[]} trailing"#);
        assert_eq!(path, ".");
        assert!(message.contains("trailing"), "{message}");

        assert_eq!(failure::<Page>(b"").0, ".");

        assert_eq!(
            failure::<Page>(br#"{"has_more":true}"#),
            (".".to_owned(), "missing field `data`".to_owned())
        );

        // Not UTF-8 inside a string: the path says where.
        assert_eq!(
            failure::<Page>(b"{\"data\":[{\"amount\":\"\xff\"}]}").0,
            "data[0].amount"
        );
    }

    #[test]
    fn hand_written_serde_types_decode_with_paths_too() {
        let page: SerdePage = decode_serde(br#"{"data":[{"amount":1}]}"#).unwrap();
        assert_eq!(page.data[0]["amount"], 1);
        let bytes = br#"{"data":[{"amount":1},{"amount":"x"}]}"#;
        let err = decode_serde::<SerdePage>(bytes).unwrap_err();
        assert_eq!(err.path(bytes), "data[1].amount");
        // Cut short: the path of the value being read when the document ended.
        let bytes = br#"{"data":[{"amount":1"#;
        let err = decode_serde::<SerdePage>(bytes).unwrap_err();
        assert_eq!(err.path(bytes), "data[0].amount");
    }

    fn parse<T: FromJson>(text: &str) -> DecodeResult<T> {
        Parser::new(text).document()
    }

    #[test]
    fn values_decode_exactly_as_serde_json_does() {
        for text in [
            r#"{"a":[1,-2,3.5,1e3,-0.0,18446744073709551615,-9223372036854775808],"b":{"c":null,"d":true,"e":false}}"#,
            r#""esc: \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00""#,
            " [ ] ",
            "{}",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "5e-324",
            "0.1",
            "-0",
            "[-0, 0, -1]",
            r#"{"k":"v","k":"w"}"#,
        ] {
            let ours: Value = parse(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn malformed_documents_are_errors_that_serde_json_also_rejects() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
            "\"unterminated",
            "\"bad \\x escape\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"ctrl \u{1}\"",
            "01",
            "1.",
            "1e",
            "-",
            "tru",
            "nul",
            "{} x",
            "1e400",
            "[[[[",
        ] {
            let ours = parse::<Value>(text);
            assert!(ours.is_err(), "{text:?} decoded as {ours:?}");
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text:?}");
            let err = ours.unwrap_err();
            assert!(err.offset <= text.len(), "{text:?}: {err:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        let err = parse::<Value>(&deep).unwrap_err();
        assert_eq!(err.message, "recursion limit exceeded");
        let deep = "{\"a\":".repeat(100_000);
        assert!(parse::<BTreeMap<String, Value>>(&deep).is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse::<Value>(&fine).is_ok());
    }

    #[test]
    fn primitives_check_their_types() {
        assert_eq!(parse::<i64>(" -42 ").unwrap(), -42);
        assert_eq!(
            parse::<i64>("1.5").unwrap_err().message,
            "invalid type: floating point `1.5`, expected i64"
        );
        assert_eq!(
            parse::<i64>("\"7\"").unwrap_err().message,
            "invalid type: string \"7\", expected i64"
        );
        assert!(parse::<i64>("9223372036854775808").is_err());
        assert_eq!(parse::<f64>("3").unwrap(), 3.0);
        assert_eq!(parse::<Option<String>>("null").unwrap(), None);
        assert_eq!(
            parse::<Vec<bool>>("[true, false]").unwrap(),
            vec![true, false]
        );
        let err = parse::<Vec<bool>>("[true, 1]").unwrap_err();
        assert_eq!(err.offset, 7);
        assert_eq!(err.message, "invalid type: integer `1`, expected a boolean");
    }

    fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "\\PC*".prop_map(Value::String),
            "[\"\\\\\u{0}-\u{1f}\u{7f}-\u{10ffff}]{0,4}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map("\\PC{0,6}", inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Any JSON document, compact or pretty, decodes to the value it was written from.
        /// (Compared with the original rather than serde_json's reading: without its
        /// `float_roundtrip` feature serde_json may miss a float by one unit in the last place;
        /// `str::parse::<f64>` is exact.)
        #[test]
        fn any_document_decodes_to_the_value_it_was_written_from(value in arbitrary_json()) {
            for text in [value.to_string(), serde_json::to_string_pretty(&value).unwrap()] {
                let ours: Value = parse(&text).unwrap();
                proptest::prop_assert_eq!(&ours, &value);
            }
        }

        /// Any text: accepted exactly when serde_json accepts it, and never a panic.
        #[test]
        fn any_text_is_accepted_exactly_when_serde_json_accepts_it(text in "[\\[\\]{}\",:0-9.eE+\\-tfrulnasx \\\\]{0,24}") {
            let ours = parse::<Value>(&text);
            let theirs = serde_json::from_str::<Value>(&text);
            proptest::prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", text, ours, theirs);
            // Floats may differ in the last place (see above); everything else must be equal.
            if let (Ok(ours), Ok(theirs), false) = (ours, theirs, text.contains(['.', 'e', 'E'])) {
                proptest::prop_assert_eq!(ours, theirs);
            }
        }
    }

    #[test]
    fn object_tags_are_read_ahead_without_consuming() {
        let mut p = Parser::new(
            r#"{"id":"cus_1","nested":{"object":"x"},"object":"customer","deleted":true}"#,
        );
        let (tag, deleted) = p.object_tag().unwrap();
        assert_eq!((tag.as_deref(), deleted), (Some("customer"), true));
        let value: Value = p.document().unwrap();
        assert_eq!(value["id"], "cus_1");
    }
}
