//! Amounts, in the currency's minor unit: a line item costs `unit_amount × quantity`, a
//! session's subtotal is the sum of its line items, and its total is the subtotal (the fake
//! has no discounts, tax or shipping yet, so `total_details` is all zeros).
//!
//! <https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-amount_total>,
//! <https://docs.stripe.com/currencies#zero-decimal>.

use serde_json::{json, Value};

use crate::error::FakeError;

/// `price_data[unit_amount_decimal]` rounded to a whole minor unit (0 when it is not a number).
pub(crate) fn unit_amount_from_decimal(decimal: &str) -> i64 {
    decimal
        .parse::<f64>()
        .map(|d| d.round() as i64)
        .unwrap_or(0)
}

/// `line_items[i]`'s amount: `unit × quantity`, or an error when it overflows.
pub(crate) fn line_amount(i: usize, unit: i64, quantity: i64) -> Result<i64, FakeError> {
    unit.checked_mul(quantity).ok_or_else(|| {
        FakeError::param(
            format!("line_items[{i}][quantity]"),
            "The amount is too large.",
        )
    })
}

/// The sum of the line items' `amount_subtotal`, or an error when it overflows.
pub(crate) fn subtotal(items: &[Value]) -> Result<i64, FakeError> {
    items
        .iter()
        .filter_map(|it| it["amount_subtotal"].as_i64())
        .try_fold(0i64, i64::checked_add)
        .ok_or_else(|| FakeError::param("line_items", "The total amount is too large."))
}

/// The session's `amount_total` for a subtotal.
pub(crate) fn total(subtotal: i64) -> i64 {
    subtotal
}

/// `total_details`: no discount, shipping or tax.
pub(crate) fn total_details() -> Value {
    json!({ "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 })
}
