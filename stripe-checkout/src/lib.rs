//! Typed Stripe Checkout Sessions client.
//!
//! ```no_run
//! # async fn run() -> Result<(), stripe_checkout::Error> {
//! use stripe_checkout::{Client, CreateCheckoutSessionMode, CreateCheckoutSessionParams};
//!
//! let client = Client::new("sk_test_...");
//! let mut params = CreateCheckoutSessionParams::new("https://example.com/success");
//! params.mode = Some(CreateCheckoutSessionMode::Payment);
//! let session = client.checkout_sessions().create(&params).await?;
//! println!("redirect to {:?}", session.url);
//! # Ok(()) }
//! ```
//!
//! The types and endpoint methods under [`generated`] are emitted by `cargo xtask regen` from the
//! committed OpenAPI subset in `spec/`; everything else in this crate is hand-written runtime:
//! [`Client`] (HTTP, retries, idempotency keys), [`form`] (Stripe's form encoding), [`Error`],
//! [`List`]/[`Paginator`] (pagination), [`Expandable`] (expansion) and [`webhook`].
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]

mod client;
mod error;
mod event;
mod expandable;
pub mod form;
#[rustfmt::skip] // prettyplease formats generated code; `cargo xtask regen --check` guards it.
#[deny(warnings)] // generated code must stay warning-free
pub mod generated;
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod pagination;
mod request;
mod response;
mod unsettable;
pub mod webhook;

#[doc(hidden)]
pub use client::encode_path_segment;
pub use client::{Client, ClientBuilder, Method};
pub use error::{
    ApiError, ApiErrorObject, ApiErrorType, ConfigError, DecodeError, EncodeError, Error,
    PaginationError, TooLargeError, TransportError,
};
pub use event::{Event, EventData, EventObject, EventRequest, EventType};
pub use expandable::{Expandable, Identified};
pub use generated::*;
pub use pagination::{List, Paginator};
pub use request::{MetaFuture, Request, RequestFuture, Response};
pub use unsettable::Unsettable;
pub use webhook::{Webhook, WebhookError};

/// A Unix timestamp in seconds, as Stripe sends it (`format: unix-time` in the spec).
pub type Timestamp = i64;

// Compiles the README's Rust examples as doctests, so the documented usage cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
