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
    Ok(encode_pairs(&to_pairs(params)?))
}

/// Flattens `params` into `(key, value)` pairs before percent-encoding. Keys are already in
/// their final bracketed form with key segments percent-encoded; values are raw.
pub(crate) fn to_pairs<P: Serialize + ?Sized>(
    params: &P,
) -> Result<Vec<(String, String)>, crate::Error> {
    let node = params
        .serialize(NodeSerializer)
        .map_err(|e| crate::Error::encode(e.0))?;
    let mut pairs = Vec::new();
    match node {
        Node::Null => {}
        Node::Map(entries) => {
            for (key, value) in entries {
                flatten(encode_component(&key), value, &mut pairs);
            }
        }
        Node::Scalar(_) | Node::Seq(_) => {
            return Err(crate::Error::encode(
                "request parameters must serialize as a struct or map".to_owned(),
            ))
        }
    }
    Ok(pairs)
}

/// Joins pairs from [`to_pairs`] into `k=v&k=v`, percent-encoding the values.
pub(crate) fn encode_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

/// Percent-encodes `s` so it is a single key segment, value or path segment.
pub(crate) fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

fn flatten(key: String, node: Node, out: &mut Vec<(String, String)>) {
    match node {
        Node::Null => {}
        Node::Scalar(value) => out.push((key, value)),
        Node::Seq(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(format!("{key}[{i}]"), item, out);
            }
        }
        Node::Map(entries) => {
            for (sub, value) in entries {
                flatten(format!("{key}[{}]", encode_component(&sub)), value, out);
            }
        }
    }
}

/// The serde data model reduced to what a form can express, keeping the order serde visits.
enum Node {
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
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

fn float(v: f64) -> Result<Node, EncodeError> {
    if v.is_finite() {
        Ok(Node::Scalar(v.to_string()))
    } else {
        Err(EncodeError(format!(
            "cannot form-encode the non-finite number {v}"
        )))
    }
}

struct NodeSerializer;

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = EncodeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(if v { "true" } else { "false" }.to_owned()))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_i128(self, v: i128) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_u128(self, v: u128) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, EncodeError> {
        if v.is_finite() {
            // f32 Display keeps the short form ("0.1"), widening to f64 would not.
            Ok(Node::Scalar(v.to_string()))
        } else {
            float(f64::from(v))
        }
    }
    fn serialize_f64(self, v: f64) -> Result<Node, EncodeError> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(v.to_owned()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Node, EncodeError> {
        Err(EncodeError("cannot form-encode raw bytes".to_owned()))
    }
    fn serialize_none(self) -> Result<Node, EncodeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, EncodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, EncodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, EncodeError> {
        Ok(Node::Scalar(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, EncodeError> {
        // Externally tagged, as serde_json does: `{variant: value}`.
        Ok(Node::Map(vec![(
            variant.to_owned(),
            value.serialize(self)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, EncodeError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0).min(64))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, EncodeError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, EncodeError> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len.unwrap_or(0).min(64)),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, EncodeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, EncodeError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

struct SeqBuilder(Vec<Node>);

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.0.push(value.serialize(NodeSerializer)?);
        Ok(())
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Seq(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Seq(self.0))
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Seq(self.0))
    }
}

struct MapBuilder {
    entries: Vec<(String, Node)>,
    key: Option<String>,
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        match key.serialize(NodeSerializer)? {
            Node::Scalar(key) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(EncodeError(
                "form map keys must be strings, numbers or booleans".to_owned(),
            )),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| EncodeError("map value serialized before its key".to_owned()))?;
        self.entries.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Map(self.entries))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.entries
            .push((key.to_owned(), value.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Map(self.entries))
    }
}

/// Wraps a tuple or struct variant as `{variant: ...}`, like serde_json.
struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Map(vec![(
            self.variant.to_owned(),
            Node::Seq(self.inner.0),
        )]))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Node;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Node, EncodeError> {
        Ok(Node::Map(vec![(
            self.variant.to_owned(),
            Node::Map(self.inner.entries),
        )]))
    }
}
