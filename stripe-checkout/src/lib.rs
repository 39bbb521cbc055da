//! Typed Stripe Checkout Sessions client.
//!
//! The types and endpoint methods under [`generated`] are emitted by `cargo xtask regen` from the
//! committed OpenAPI subset in `spec/`; everything else in this crate is hand-written runtime.
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]

mod client;
mod error;
mod event;
mod expandable;
pub mod form;
#[rustfmt::skip] // prettyplease formats generated code; `cargo xtask regen --check` guards it.
pub mod generated;
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod pagination;
mod unsettable;
pub mod webhook;

#[doc(hidden)]
pub use client::encode_path_segment;
pub use client::{Client, ClientBuilder, Method, RequestOptions};
pub use error::{
    ApiError, ApiErrorObject, ApiErrorType, ConfigError, DecodeError, EncodeError, Error,
    TransportError,
};
pub use event::{Event, EventData, EventObject, EventRequest, EventType};
pub use expandable::{Expandable, Identified};
pub use generated::*;
pub use pagination::{List, Paginator};
pub use unsettable::Unsettable;
pub use webhook::{Webhook, WebhookError};

/// A Unix timestamp in seconds, as Stripe sends it (`format: unix-time` in the spec).
pub type Timestamp = i64;
