//! @generated placeholder; replaced by `cargo xtask regen`.

/// The Stripe API version the generated types were built from; sent as `Stripe-Version`.
pub const API_VERSION: &str = "2023-08-16";
