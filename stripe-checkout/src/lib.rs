//! Typed Stripe Checkout Sessions client.
//!
//! ```no_run
//! # async fn run() -> Result<(), stripe_checkout::Error> {
//! use stripe_checkout::{CheckoutSessionMode, Client, CreateCheckoutSessionParams};
//!
//! let client = Client::from_env()?; // STRIPE_SECRET_KEY
//! let params = CreateCheckoutSessionParams::hosted(
//!     CheckoutSessionMode::Payment,
//!     "https://example.com/success",
//! );
//! let session = client
//!     .checkout_sessions()
//!     .create(&params)
//!     .idempotency_key("order-6735") // per-call options are optional
//!     .await?;
//! println!("redirect to {:?}", session.url);
//! # Ok(()) }
//! ```
//!
//! # Main types
//!
//! | | |
//! |---|---|
//! | Client | [`Client`] (`from_env`, `new`, `builder` → [`ClientBuilder`]) |
//! | Endpoints | [`CheckoutSessions`], from [`Client::checkout_sessions`]: `create`, `retrieve`, `update`, `list`, `list_line_items`, `expire`, `*_auto_paging` |
//! | One call | [`Request`] (per-call `idempotency_key`, `stripe_account`, `timeout`, `total_timeout`; `.await` it), [`Response`] (from `send_with_meta`: value + request id + idempotency key) |
//! | Params | [`CreateCheckoutSessionParams`] (line items: [`CreateCheckoutSessionLineItems`], inline prices: [`CreateCheckoutSessionLineItemsPriceData`]), [`RetrieveCheckoutSessionParams`], [`UpdateCheckoutSessionParams`] (clear a field with [`Unsettable::Unset`]), [`ListCheckoutSessionParams`], [`ListCheckoutSessionLineItemsParams`], [`ExpireCheckoutSessionParams`] |
//! | Objects | [`CheckoutSession`] (with [`CheckoutSessionStatus`], [`CheckoutSessionPaymentStatus`], [`CheckoutSessionMode`]), line items: [`Item`] |
//! | Lists | [`List`] (one page), [`Paginator`] (every item, page by page) |
//! | Fields | [`Expandable`] (id or expanded object), [`Unsettable`] (clear a field), [`Timestamp`], [`UnknownValue`] (an enum value Stripe added after this version: every enum's `Unknown`), [`ExtraFields`] (fields this version has no type for) |
//! | Errors | [`Error`], with [`ApiError`] / [`ApiErrorObject`] for Stripe's answers |
//! | Webhooks | [`Webhook`] (verify + parse), [`Event`], [`EventType`], [`WebhookError`]; [`webhook::sign_payload`] for tests |
//!
//! Every other generated type (nested params and sub-objects, ~300 of them) is here at the
//! crate root too: use the search box.
//!
//! # Testing without Stripe
//!
//! [`ClientBuilder::base_url`] points the client at any server: stripe-mock, a mock server such
//! as wiremock, or the workspace's `stripe-checkout-fake`.
//!
//! ```no_run
//! # fn run() -> Result<(), stripe_checkout::Error> {
//! let client = stripe_checkout::Client::builder("sk_test_123")
//!     .base_url("http://127.0.0.1:12111")
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! # What is generated
//!
//! The types and endpoint methods are emitted by `cargo xtask regen` from the committed OpenAPI
//! subset in `spec/`; everything else in this crate is hand-written runtime:
//! [`Client`] (HTTP, retries, idempotency keys), [`Request`] (one call), [`form`] (Stripe's form
//! encoding, and `multipart/form-data` for [`FileUpload`]s), [`json`] (the v2 API's JSON bodies),
//! [`BinaryResponse`] (a document an endpoint answers with), [`Error`], [`List`]/[`Paginator`] (pagination), [`Expandable`] (expansion) and
//! [`webhook`].
//!
//! # Layers
//!
//! The hand-written runtime is built in layers: a module uses only modules of lower layers, so
//! no two of them import each other, directly or around a circle. `tests/layers.rs` reads this
//! table and checks every `crate::` path in the runtime's code against it.
//!
//! | Layer | Modules | What |
//! |---|---|---|
//! | 9 | `webhook` | signature check, then an [`Event`] |
//! | 8 | `event`, `session_params` | webhook events typed by the generated session; shortcuts on generated params |
//! | 7 | `generated` | types and endpoint methods from the spec, naming the runtime only through `__private` |
//! | 6 | `client` | [`Client`], its builder, the calls it starts |
//! | 5 | `request`, `pagination` | one call as a value ([`Request`]); pages and [`Paginator`] |
//! | 4 | `transport` | a client's shared state, each attempt, the retry loop |
//! | 3 | `form`, `json`, `response` | encoding params (forms, multipart, JSON); reading a response and Stripe's error body |
//! | 2 | `error`, `expandable` | every error type; [`Expandable`] |
//! | 1 | `decode` | the JSON parser behind every response type, and its one failure |
//! | 0 | `method`, `unknown`, `extra`, `unsettable`, `json_path`, `retry`, `files` | nothing from the crate |
//!
//! Outside the layers: `lib.rs` (re-exports, and [`Timestamp`], which counts as layer 0, as does
//! the spec's `API_VERSION` constant) and `__private` (re-exports for generated code, which
//! nothing in the runtime imports).
//!
//! # Features
//!
//! - `rustls` (default): TLS with rustls and ring. `native-tls`: the platform's TLS instead.
//! - `tracing` (off): one `stripe.request` span per call, with `method`, `path`, `status`,
//!   `request_id` and `attempt` (retries make several attempts).
//! - `serde` (off): serde's `Serialize`/`Deserialize` for every generated type (derived, with
//!   Stripe's wire names; the JSON the client's own decoder reads) and for [`Expandable`],
//!   [`Unsettable`], [`List`], [`Event`] and the error types, to store a session or read params
//!   from configuration. The client itself needs none of it.
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![warn(rust_2018_idioms)]

// Generated code names the runtime through here only; it only re-exports.
#[doc(hidden)]
pub mod __private;
mod client;
mod decode;
mod error;
mod event;
mod expandable;
mod extra;
mod files;
pub mod form;
#[rustfmt::skip] // prettyplease formats generated code; `cargo xtask regen --check` guards it.
#[deny(warnings)] // generated code must stay warning-free
mod generated; // everything in it is re-exported at the root, the one documented path
pub mod json;
mod json_path;
mod method;
mod pagination;
mod request;
mod response;
mod retry;
mod session_params;
#[allow(deprecated)] // the old names, kept as aliases
pub use session_params::{
    ListCheckoutSessionsCreated, ListCheckoutSessionsCreatedRangeQuerySpecs,
    ListCheckoutSessionsCustomerDetails, ListCheckoutSessionsParams,
};
mod transport;
mod unknown;
mod unsettable;
pub mod webhook;

#[doc(hidden)]
pub use client::encode_path_segment;
pub use client::{Client, ClientBuilder};
pub use error::{
    ApiError, ApiErrorObject, ApiErrorType, ConfigError, DecodeError, EncodeError, Error,
    PaginationError, TooLargeError, TransportError,
};
pub use event::{Event, EventData, EventObject, EventRequest, EventType};
pub use expandable::{Expandable, Identified};
pub use extra::ExtraFields;
pub use files::{BinaryResponse, FileUpload};
// Every generated name, one by one (a clash with a name above is then a compile error).
include!("generated/exports.rs");
pub use method::Method;
pub use pagination::{List, Paginator};
pub use request::{MetaFuture, Request, RequestFuture};
/// The HTTP client crate, for [`ClientBuilder::http_client`]: the version this crate uses.
pub use reqwest;
pub use response::Response;
pub use unknown::UnknownValue;
pub use unsettable::Unsettable;
pub use webhook::{Webhook, WebhookError};

/// A Unix timestamp in seconds, as Stripe sends it (`format: unix-time` in the spec).
pub type Timestamp = i64;

// Compiles the crate README's Rust examples as doctests, so the documented usage cannot rot.
// The README is in the package, so the doctests run from the published tarball too; the
// repository's front page shows copies of some of them, held word for word by
// `xtask/tests/docs.rs`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    /// The front page of the docs names the main types (with `#![deny(broken_intra_doc_links)]`
    /// making `cargo doc` check the links), instead of leaving them one click away behind
    /// `pub use generated::*`.
    #[test]
    fn front_page_lists_the_main_types() {
        let docs: String = include_str!("lib.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("//!"))
            .collect();
        for name in [
            "Client",
            "ClientBuilder",
            "CheckoutSessions",
            "Request",
            "Response",
            "CreateCheckoutSessionParams",
            "CreateCheckoutSessionLineItems",
            "RetrieveCheckoutSessionParams",
            "UpdateCheckoutSessionParams",
            "ListCheckoutSessionParams",
            "ExpireCheckoutSessionParams",
            "CheckoutSession",
            "Item",
            "List",
            "Paginator",
            "Expandable",
            "Error",
            "ApiError",
            "Webhook",
            "Event",
        ] {
            assert!(
                docs.contains(&format!("[`{name}`]")),
                "{name} is not listed"
            );
        }
    }
}
