//! Hand-written shortcuts for the common ways to start a Checkout Session. The generated
//! `CreateCheckoutSessionParams::new()` leaves every field out, because the current API requires
//! none; these set the few fields each integration needs.

use crate::{CheckoutSessionMode, CheckoutSessionUiMode, CreateCheckoutSessionParams};

impl CreateCheckoutSessionParams {
    /// A session on Stripe's hosted payment page: redirect the customer to the session's `url`;
    /// Stripe sends them to `success_url` when they are done (add
    /// `?session_id={CHECKOUT_SESSION_ID}` to look the session up there).
    ///
    /// ```
    /// use stripe_checkout::{CheckoutSessionMode, CreateCheckoutSessionParams};
    /// let params = CreateCheckoutSessionParams::hosted(
    ///     CheckoutSessionMode::Payment,
    ///     "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
    /// );
    /// assert_eq!(params.ui_mode, None); // hosted is Stripe's default
    /// ```
    pub fn hosted(mode: CheckoutSessionMode, success_url: impl Into<String>) -> Self {
        Self {
            mode: Some(mode),
            success_url: Some(success_url.into()),
            ..Self::default()
        }
    }

    /// A session embedded in your own page (`ui_mode=embedded_page`): send the session's
    /// `client_secret` to the front end, where Stripe.js mounts the form; the customer comes back
    /// to `return_url` afterwards.
    ///
    /// ```
    /// use stripe_checkout::{CheckoutSessionMode, CheckoutSessionUiMode, CreateCheckoutSessionParams};
    /// let params = CreateCheckoutSessionParams::embedded(
    ///     CheckoutSessionMode::Subscription,
    ///     "https://example.com/return?session_id={CHECKOUT_SESSION_ID}",
    /// );
    /// assert_eq!(params.ui_mode, Some(CheckoutSessionUiMode::EmbeddedPage));
    /// ```
    pub fn embedded(mode: CheckoutSessionMode, return_url: impl Into<String>) -> Self {
        Self {
            mode: Some(mode),
            ui_mode: Some(CheckoutSessionUiMode::EmbeddedPage),
            return_url: Some(return_url.into()),
            ..Self::default()
        }
    }
}

/// The list params' old name. Every params type is now named verb + resource in the singular.
#[deprecated(since = "0.3.0", note = "renamed to `ListCheckoutSessionParams`")]
pub type ListCheckoutSessionsParams = crate::ListCheckoutSessionParams;
/// Old name of [`ListCheckoutSessionCreated`](crate::ListCheckoutSessionCreated).
#[deprecated(since = "0.3.0", note = "renamed to `ListCheckoutSessionCreated`")]
pub type ListCheckoutSessionsCreated = crate::ListCheckoutSessionCreated;
/// Old name of
/// [`ListCheckoutSessionCreatedRangeQuerySpecs`](crate::ListCheckoutSessionCreatedRangeQuerySpecs).
#[deprecated(
    since = "0.3.0",
    note = "renamed to `ListCheckoutSessionCreatedRangeQuerySpecs`"
)]
pub type ListCheckoutSessionsCreatedRangeQuerySpecs =
    crate::ListCheckoutSessionCreatedRangeQuerySpecs;
/// Old name of [`ListCheckoutSessionCustomerDetails`](crate::ListCheckoutSessionCustomerDetails).
#[deprecated(
    since = "0.3.0",
    note = "renamed to `ListCheckoutSessionCustomerDetails`"
)]
pub type ListCheckoutSessionsCustomerDetails = crate::ListCheckoutSessionCustomerDetails;
