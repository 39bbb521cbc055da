//! Stripe's rules beyond the spec's types, one small function per rule, each named after it
//! and citing where Stripe documents it. The spec-level checks (unknown, missing, types, enums,
//! `maxLength`) are in [`crate::schema`].

use serde_json::{json, Map, Value};

use crate::error::FakeError;
use crate::schema::str_param;
use crate::state::DAY;

/// 30 minutes: the earliest `expires_at` Stripe accepts, from creation.
pub const MIN_EXPIRY: i64 = 30 * 60;

/// Metadata: at most 50 keys, key names up to 40 characters, values up to 500.
/// <https://docs.stripe.com/api/metadata>
pub(crate) fn metadata_limits(p: &Map<String, Value>) -> Result<(), FakeError> {
    let Some(Value::Object(metadata)) = p.get("metadata") else {
        return Ok(());
    };
    let too_long = metadata.iter().find(|(k, v)| {
        k.chars().count() > 40 || v.as_str().is_some_and(|v| v.chars().count() > 500)
    });
    if metadata.len() > 50 || too_long.is_some() {
        let param = match too_long {
            Some((key, _)) => format!("metadata[{key}]"),
            None => "metadata".to_owned(),
        };
        return Err(FakeError::param(
            param,
            "Invalid metadata: You can specify up to 50 keys, with key names up to 40 characters long and values up to 500 characters long.",
        ));
    }
    Ok(())
}

/// `success_url`/`cancel_url` only with `ui_mode=hosted_page`; `return_url` (and
/// `redirect_on_completion`) only with `embedded_page`/`elements`, where `return_url` is
/// required unless `redirect_on_completion=never`, which forbids it.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-return_url>,
/// <https://docs.stripe.com/payments/checkout/custom-success-page>
pub(crate) fn ui_mode_urls(p: &Map<String, Value>, ui_mode: &str) -> Result<(), FakeError> {
    if ui_mode == "hosted_page" {
        if p.contains_key("return_url") {
            return Err(FakeError::param(
                "return_url",
                "You can only pass `return_url` when `ui_mode` is `embedded_page` or `elements`.",
            ));
        }
        if str_param(p, "redirect_on_completion").is_some() {
            return Err(FakeError::param(
                "redirect_on_completion",
                "You can only pass `redirect_on_completion` when `ui_mode` is `embedded_page` or `elements`.",
            ));
        }
        return Ok(());
    }
    for url in ["success_url", "cancel_url"] {
        if p.contains_key(url) {
            return Err(FakeError::param(
                url,
                format!("You cannot pass `{url}` when `ui_mode` is `{ui_mode}`; use `return_url` instead."),
            ));
        }
    }
    let never = str_param(p, "redirect_on_completion") == Some("never");
    if never && p.contains_key("return_url") {
        return Err(FakeError::param(
            "return_url",
            "You cannot pass `return_url` when `redirect_on_completion` is `never`.",
        ));
    }
    if !never && str_param(p, "return_url").is_none() {
        return Err(FakeError::missing_param("return_url"));
    }
    Ok(())
}

/// `line_items` is required in `payment` and `subscription` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn line_items_required_unless_setup(mode: &str, count: usize) -> Result<(), FakeError> {
    if count == 0 && (mode == "payment" || mode == "subscription") {
        return Err(FakeError::missing_param("line_items"));
    }
    Ok(())
}

/// No `line_items` in `setup` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn no_line_items_in_setup_mode(mode: &str, count: usize) -> Result<(), FakeError> {
    if count > 0 && mode == "setup" {
        return Err(FakeError::param(
            "line_items",
            "You cannot pass `line_items` in `setup` mode.",
        ));
    }
    Ok(())
}

/// At most 100 `line_items` in `payment` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn at_most_100_line_items_in_payment_mode(
    mode: &str,
    count: usize,
) -> Result<(), FakeError> {
    if mode == "payment" && count > 100 {
        return Err(FakeError::param(
            "line_items",
            "You can pass at most 100 `line_items` in `payment` mode.",
        ));
    }
    Ok(())
}

/// A recurring price needs `subscription` mode (checked for `line_items[i]`).
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-mode>
pub(crate) fn recurring_price_not_in_payment_mode(mode: &str, i: usize) -> Result<(), FakeError> {
    if mode == "payment" {
        return Err(FakeError::param(
            format!("line_items[{i}]"),
            "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        ));
    }
    Ok(())
}

/// `subscription` mode needs at least one recurring price.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-mode>
pub(crate) fn subscription_needs_a_recurring_price(
    mode: &str,
    recurring: usize,
) -> Result<(), FakeError> {
    if mode == "subscription" && recurring == 0 {
        return Err(FakeError::param(
            "line_items",
            "You must provide at least one recurring price in `subscription` mode when using prices.",
        ));
    }
    Ok(())
}

/// At most 20 recurring and 20 one-time `line_items` in `subscription` mode.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn at_most_20_and_20_line_items_in_subscription_mode(
    mode: &str,
    recurring: usize,
    one_time: usize,
) -> Result<(), FakeError> {
    if mode == "subscription" && (recurring > 20 || one_time > 20) {
        return Err(FakeError::param(
            "line_items",
            "You can pass at most 20 recurring and 20 one-time `line_items` in `subscription` mode.",
        ));
    }
    Ok(())
}

/// All line items use one currency.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items>
pub(crate) fn one_currency(items: &[Value], currency: &str) -> Result<(), FakeError> {
    if let Some(i) = items
        .iter()
        .position(|it| it["currency"] != json!(currency))
    {
        return Err(FakeError::param(
            format!("line_items[{i}]"),
            "All line items must use the same currency.",
        ));
    }
    Ok(())
}

/// A line item's `quantity` is required and at least 1.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items-quantity>
pub(crate) fn quantity_at_least_one(i: usize, quantity: Option<i64>) -> Result<i64, FakeError> {
    let Some(quantity) = quantity else {
        return Err(FakeError::missing_param(&format!(
            "line_items[{i}][quantity]"
        )));
    };
    if quantity < 1 {
        return Err(FakeError::param(
            format!("line_items[{i}][quantity]"),
            "This value must be greater than or equal to 1.",
        ));
    }
    Ok(quantity)
}

/// `price_data[unit_amount]` is not negative.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items-price_data-unit_amount>
pub(crate) fn unit_amount_not_negative(i: usize, unit_amount: i64) -> Result<(), FakeError> {
    if unit_amount < 0 {
        return Err(FakeError::param(
            format!("line_items[{i}][price_data][unit_amount]"),
            "This value must be greater than or equal to 0.",
        ));
    }
    Ok(())
}

/// `expires_at`: 30 minutes to 24 hours after creation (`now`), default 24 hours.
/// <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at>
pub(crate) fn expires_at_within_30_minutes_to_24_hours(
    p: &Map<String, Value>,
    now: i64,
) -> Result<i64, FakeError> {
    match p.get("expires_at").and_then(Value::as_i64) {
        Some(at) if at < now.saturating_add(MIN_EXPIRY) => Err(FakeError::param(
            "expires_at",
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
        )),
        Some(at) if at > now.saturating_add(DAY) => Err(FakeError::param(
            "expires_at",
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        )),
        Some(at) => Ok(at),
        None => Ok(now.saturating_add(DAY)),
    }
}

/// Only an `open` session can be completed or expired (`verb`: `completed`, `expired`).
/// <https://docs.stripe.com/api/checkout/sessions/expire>
pub(crate) fn only_open_sessions(status: &str, verb: &str) -> Result<(), FakeError> {
    if status != "open" {
        return Err(FakeError::invalid(
            None,
            None,
            format!("Only Checkout Sessions with a status in [\"open\"] can be {verb}. This Checkout Session has a status of \"{status}\"."),
        ));
    }
    Ok(())
}
