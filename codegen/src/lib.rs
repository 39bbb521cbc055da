//! Code generator for the `stripe-checkout` crate.
//!
//! Pipeline, one module a stage: [`spec`] (the OpenAPI document, read with serde) →
//! [`lower`] (resolves the spec into the small [`ir`]) → [`emit`] (Rust tokens, formatted by
//! prettyplease). [`subset`] extracts the Checkout part of a full Stripe spec.
//!
//! Every stage returns [`Error`] (with the JSON pointer of the problem) instead of panicking.

pub mod dedup;
pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod lower;
pub mod names;
pub mod spec;
pub mod subset;

pub use emit::GeneratedFile;
pub use error::Error;

/// Generates the crate's source files from a spec document (YAML or JSON text).
pub fn generate(spec_text: &str) -> Result<Vec<GeneratedFile>, Error> {
    let spec = spec::Spec::from_yaml(spec_text)?;
    let ir = lower::lower(&spec)?;
    emit::emit(&ir)
}
