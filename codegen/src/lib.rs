//! Code generator for the `stripe-checkout` crate.
//!
//! Pipeline, one module a stage: [`spec`] (the OpenAPI document, read with serde) →
//! [`lower`] (resolves the spec into the small [`ir`]) → [`support`] (sets aside what the
//! runtime does not support, with the reason) → [`emit`] (Rust tokens, formatted by
//! prettyplease). [`subset`] extracts the Checkout part of a full Stripe spec; [`emit_fake`]
//! writes `stripe-checkout-fake`'s parameter tables and object skeletons from the same spec.
//!
//! Every stage returns [`Error`] (with the JSON pointer of the problem) instead of panicking.

pub mod dedup;
pub mod diff;
pub mod emit;
pub mod emit_fake;
pub mod error;
pub mod ir;
pub mod listing;
pub mod lower;
pub mod names;
pub mod spec;
pub mod subset;
pub mod support;

pub use emit::GeneratedFile;
pub use error::Error;
pub use ir::Skipped;

/// What [`generate_with_report`] produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The generated source files.
    pub files: Vec<GeneratedFile>,
    /// Operations left out, each with its one-line reason.
    pub skipped: Vec<Skipped>,
    /// How many named types were emitted.
    pub types: usize,
    /// How many endpoint methods were emitted.
    pub operations: usize,
}

/// Generates the crate's source files from a spec document (YAML or JSON text). Operations the
/// runtime does not support are left out; [`generate_with_report`] says which.
pub fn generate(spec_text: &str) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_report(spec_text).map(|output| output.files)
}

/// [`generate`], also reporting what was skipped and why.
pub fn generate_with_report(spec_text: &str) -> Result<Output, Error> {
    let spec = spec::Spec::from_yaml(spec_text)?;
    let mut ir = lower::lower(&spec)?;
    drop(spec);
    support::set_aside_unsupported(&mut ir);
    let files = emit::emit(&ir)?;
    Ok(Output {
        files,
        types: ir.types.len(),
        operations: ir.services.iter().map(|s| s.operations.len()).sum(),
        skipped: ir.skipped,
    })
}
