//! Typed Stripe Checkout Sessions client.
//!
//! The types and endpoint methods under [`generated`] are emitted by `cargo xtask regen` from the
//! committed OpenAPI subset in `spec/`; everything else in this crate is hand-written runtime.
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]

mod expandable;
pub mod generated;
mod unsettable;
pub mod webhook;
mod event;

pub use expandable::{Expandable, Identified};
pub use generated::*;
pub use unsettable::Unsettable;
pub use event::{Event, EventData, EventObject, EventRequest, EventType};
pub use webhook::{Webhook, WebhookError};

/// A Unix timestamp in seconds, as Stripe sends it (`format: unix-time` in the spec).
pub type Timestamp = i64;
