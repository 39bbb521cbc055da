//! The last stage: source files from the IR (the client) and from the spec model (the fake's
//! tables), written one way ([`syntax`]: syntax printed by prettyplease behind an `@generated`
//! header).
//!
//! Its modules import downwards only, in this order (a module imports only those after it):
//!
//! - [`client`]: the client's files: schedules modules in chunks on all cores, writes `mod.rs`
//!   and `exports.rs`; its items come from
//! - `endpoints`: resource structs and their methods, `Encode`/`PageParams` impls;
//! - `codecs`: `FromJson` and `FormValue` of structs, unions (with serde's attributes);
//! - `types`: Rust types of IR types, structs (built as syntax), their constructors, string
//!   enums;
//! - `docs`: doc text for what the spec leaves undocumented;
//! - [`fake`]: `stripe-checkout-fake`'s `params.rs`, from the spec model (independent of the
//!   client's modules);
//! - [`syntax`]: [`GeneratedFile`], the headers, parsing item by item and printing.

pub mod client;
mod codecs;
mod docs;
mod endpoints;
pub mod fake;
pub mod syntax;
mod types;

pub use client::emit;
pub use syntax::{GeneratedFile, FAKE_HEADER, HEADER};
