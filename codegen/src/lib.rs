//! Code generator for the `stripe-checkout` crate and the tables of `stripe-checkout-fake`.
//!
//! The stages, one module and one function each; every stage is a function of the previous
//! one's output, and no stage calls a later one (read [`generate_with_report`] top to bottom):
//!
//! | stage | function | from → to |
//! |---|---|---|
//! | spec | [`spec::Spec::from_yaml`] | YAML or JSON text → the OpenAPI model (serde) |
//! | lower | [`lower::lower`] | spec model → [`ir::Ir`]: `$ref`s resolved, every inline type its own, named by where it sits |
//! | dedup | [`dedup::share_enums`] | IR → IR with one enum per list of values, named by the rule in [`dedup`] |
//! | boxing | [`boxing::box_fields`] | IR → IR with `Field::boxed` set (cycles, large optional sub-objects) |
//! | support | [`support::set_aside_unsupported`] | IR → IR without the operations the runtime does not speak, each with its reason |
//! | emit (client) | [`emit::emit`] | IR → `stripe-checkout/src/generated/*.rs` |
//! | emit (fake) | [`emit::fake::emit_fake`] | spec models → `stripe-checkout-fake/src/generated/params.rs` |
//!
//! [`ir()`] runs spec model → boxing (the IR the API listing and `api-diff` read); [`generate`]
//! runs them all for the client. The fake's emitter reads the spec model, not the IR (it needs
//! what lowering drops: `maxLength`, the `""` member of an `anyOf`). Both emitters write code
//! one way, behind the same `@generated` header ([`emit::syntax`]). Beside the pipeline: [`subset`] extracts the Checkout part of a full
//! Stripe spec, [`diff`] compares two specs' IRs for `api-diff`, [`listing`] prints an IR.
//!
//! Every stage returns [`Error`] (with the JSON pointer of the problem) instead of panicking.

pub mod boxing;
pub mod dedup;
pub mod diff;
pub mod emit;
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

/// The IR of a parsed spec: lowered, its enums shared and its fields boxed (every operation
/// still in; [`support`] has not run).
pub fn ir(spec: &spec::Spec) -> Result<ir::Ir, Error> {
    let ir = lower::lower(spec)?;
    let ir = dedup::share_enums(ir);
    Ok(boxing::box_fields(ir))
}

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
    let ir = lower::lower(&spec)?;
    drop(spec);
    let ir = dedup::share_enums(ir);
    let ir = boxing::box_fields(ir);
    let ir = support::set_aside_unsupported(ir);
    let files = emit::emit(&ir)?;
    Ok(Output {
        files,
        types: ir.types.len(),
        operations: ir.services.iter().map(|s| s.operations.len()).sum(),
        skipped: ir.skipped,
    })
}
