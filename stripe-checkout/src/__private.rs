//! The contract between generated code and the runtime: every runtime name the generated code
//! uses, and only through here (`crate::__private::…`). Not part of the public API.
//!
//! Only re-exports: each item is defined in the module it belongs to (decoding in `decode.rs`,
//! form encoding in `form.rs`, list cursors in `pagination.rs`, the calls in `client.rs`), so
//! this module imports from every layer and nothing imports it (see "Layers" in `lib.rs`).
//!
//! [`Decode`] and [`Encode`] exist for build cost: response types decode through their one
//! non-generic `FromJson::from_json`, and params encode through one non-generic
//! `#[inline(never)]` [`Encode`] impl per params type, so calling an endpoint compiles no
//! decoder or encoder in the caller's crate.

pub use crate::client::{
    call, call_binary, call_json, call_multipart, call_paginated, encode_path_segment, on_server,
    Client,
};
#[cfg(feature = "serde")]
pub use crate::decode::deserialize_via_json;
pub use crate::decode::{Decode, DecodeResult, FromJson, Mark, ParseError, Parser};
pub use crate::error::{EncodeError, Error};
pub use crate::expandable::{Expandable, Identified};
pub use crate::extra::ExtraFields;
pub use crate::files::{BinaryResponse, FileUpload};
pub use crate::form::{encode_params, Encode, FormValue, FormWriter};
pub use crate::json::{encode_json, JsonValue, JsonWriter};
pub use crate::method::Method;
pub use crate::pagination::{List, PageParams, Paginator};
pub use crate::request::Request;
pub use crate::unknown::UnknownValue;
pub use crate::unsettable::Unsettable;
pub use crate::Timestamp;
