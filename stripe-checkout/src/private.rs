//! The contract between generated code and the runtime: everything the generated code names,
//! and only through here (`crate::__private::…`). Not part of the public API.
//!
//! [`Decode`] and [`Encode`] exist for build cost. Response types decode through `FromJson`
//! (`decode.rs`), whose functions are not generic, so they are compiled once, here; params are
//! encoded by one non-generic `#[inline(never)]` [`Encode`] impl per params type, so calling an
//! endpoint compiles no encoder in the caller's crate.

use serde_json::Value;

#[cfg(feature = "serde")]
pub use crate::decode::deserialize_via_json;
pub use crate::decode::{Decode, DecodeResult, FromJson, Mark, ParseError, Parser};
pub use crate::error::EncodeError;
pub use crate::form::{encode_params, FormValue, FormWriter};
// Everything else generated code names, so that this module is the whole contract between the
// generator and the runtime.
pub use crate::client::encode_path_segment;
pub use crate::{
    Client, Error, Expandable, ExtraFields, Identified, List, Method, Paginator, Request,
    Timestamp, UnknownValue, Unsettable,
};

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
