//! Code generator for the `stripe-checkout` crate.
//!
//! Pipeline, one module a stage: [`spec`] (the OpenAPI document, read with serde) →
//! [`lower`] (resolves the spec into the small [`ir`]) → [`emit`] (Rust tokens, formatted by
//! prettyplease). [`subset`] extracts the Checkout part of a full Stripe spec.

pub mod error;
pub mod subset;

pub use error::Error;
