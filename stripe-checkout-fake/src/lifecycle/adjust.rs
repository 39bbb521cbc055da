//! What the customer changes on the page before paying, repriced by [`crate::pricing`] as at
//! creation: a line item's quantity where `adjustable_quantity[enabled]` allows it (within
//! `minimum`/`maximum`, default 1 and 99), a promotion code typed in when
//! `allow_promotion_codes` is set (found by its customer-facing `code`, case-insensitively,
//! then checked as a `discounts[][promotion_code]` is), and the shipping rate chosen among
//! `shipping_options`.
//!
//! Sources: <https://docs.stripe.com/payments/checkout/adjustable-quantity> (bounds, default
//! maximum 99), <https://docs.stripe.com/payments/checkout/discounts#promotion-codes>
//! (customer-facing codes, case-insensitive), <https://docs.stripe.com/payments/during-payment/charge-shipping>
//! (the customer picks one of `shipping_options`; `shipping_cost` is the chosen one).
//!
//! The fake's choice: a quantity never goes below 1 (Stripe lets an item of a multi-item cart
//! go to 0 and drops it; the fake keeps every line).

use serde_json::{json, Map, Value};

use crate::catalogue::Kind;
use crate::error::FakeError;
use crate::pricing::Basket;
use crate::rules;
use crate::state::State;

/// Stripe's default `adjustable_quantity[maximum]`.
pub(crate) const DEFAULT_MAXIMUM: i64 = 99;

/// A change to an open session's basket.
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjustment {
    /// New quantities by line item index.
    pub quantities: Vec<(usize, i64)>,
    /// A customer-facing promotion code to apply.
    pub promotion_code: Option<String>,
    /// The id of the shipping rate chosen among the session's `shipping_options`.
    pub shipping_rate: Option<String>,
}

impl Adjustment {
    fn is_empty(&self) -> bool {
        self.quantities.is_empty() && self.promotion_code.is_none() && self.shipping_rate.is_none()
    }
}

/// A line item's `adjustable_quantity` bounds, when enabled.
pub(crate) fn quantity_bounds(item: &Value) -> Option<(i64, i64)> {
    let adjustable = item.get("adjustable_quantity")?;
    if adjustable["enabled"] != json!(true) {
        return None;
    }
    let minimum = adjustable["minimum"].as_i64().unwrap_or(1).max(1);
    let maximum = adjustable["maximum"].as_i64().unwrap_or(DEFAULT_MAXIMUM);
    Some((minimum, maximum.max(minimum)))
}

impl State {
    /// Applies `change` to the open session `id` and reprices it. Nothing changes on error.
    pub(crate) fn adjust(&mut self, id: &str, change: &Adjustment) -> Result<(), FakeError> {
        if change.is_empty() {
            return Ok(());
        }
        let session = self
            .sessions
            .get(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        rules::only_open_sessions(&session.index.status, "updated")?;
        let Some(mut params) = session.pricing_params() else {
            return Err(FakeError::invalid(
                None,
                None,
                "This session has nothing to price (setup mode).".to_owned(),
            ));
        };
        let object = session.object();
        let account = session.account.clone();
        let mut items = session.line_item_values();
        let mut raw_items = match params.get("line_items") {
            Some(Value::Array(raw)) => raw.clone(),
            _ => Vec::new(),
        };
        for &(i, quantity) in &change.quantities {
            let param = format!("line_items[{i}][quantity]");
            let Some(item) = items.get_mut(i) else {
                return Err(FakeError::param(param, "No such line item."));
            };
            let Some((minimum, maximum)) = quantity_bounds(item) else {
                if item["quantity"].as_i64() == Some(quantity) {
                    continue;
                }
                return Err(FakeError::param(
                    param,
                    "This line item's quantity is not adjustable (adjustable_quantity[enabled] is not true).",
                ));
            };
            if !(minimum..=maximum).contains(&quantity) {
                return Err(FakeError::param(
                    param,
                    format!("The quantity must be between {minimum} and {maximum}."),
                ));
            }
            let unit = item["price"]["unit_amount"].as_i64().unwrap_or(0);
            let amount = crate::money::line_amount(i, unit, quantity)?;
            if let Some(it) = item.as_object_mut() {
                it.insert("quantity".into(), json!(quantity));
                it.insert("amount_subtotal".into(), json!(amount));
            }
            if let Some(Value::Object(raw)) = raw_items.get_mut(i) {
                raw.insert("quantity".into(), json!(quantity));
            }
        }
        params.insert("line_items".into(), Value::Array(raw_items.clone()));
        if let Some(code) = &change.promotion_code {
            if object.get("allow_promotion_codes") != Some(&json!(true)) {
                return Err(FakeError::param(
                    "promotion_code",
                    "This session does not accept promotion codes (allow_promotion_codes is not true).",
                ));
            }
            let Some(promo) = self.catalogue.promotion_code_by_code(&account, code) else {
                return Err(FakeError::invalid(
                    Some("promotion_code_invalid"),
                    Some("promotion_code".to_owned()),
                    "This code is invalid.".to_owned(),
                ));
            };
            params.insert("discounts".into(), json!([{ "promotion_code": promo }]));
        }
        if let Some(rate) = &change.shipping_rate {
            let options = match params.get("shipping_options") {
                Some(Value::Array(options)) => options.clone(),
                _ => Vec::new(),
            };
            let Some(chosen) = options
                .iter()
                .position(|o| o["shipping_rate"].as_str() == Some(rate.as_str()))
            else {
                return Err(FakeError::param(
                    "shipping_rate",
                    format!(
                        "The shipping rate `{rate}` is not one of this session's shipping_options."
                    ),
                ));
            };
            let mut reordered = options;
            let first = reordered.remove(chosen);
            reordered.insert(0, first);
            params.insert("shipping_options".into(), Value::Array(reordered));
        }
        let currency = object
            .get("currency")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let customer = object
            .get("customer")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let basket = Basket {
            account: &account,
            session_id: id,
            currency: &currency,
            customer: customer.as_deref(),
            raw_items: &raw_items,
        };
        let priced = self.price_session(&basket, &params, &mut items)?;
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        let mut object = session.object();
        // The object keeps `shipping_options` in the order the shop gave them; the chosen
        // one is `shipping_cost.shipping_rate`.
        let shown_options = object.get("shipping_options").cloned();
        object.extend(priced.fields);
        if let Some(options) = shown_options {
            object.insert("shipping_options".into(), options);
        }
        session.reprice(&items, &priced.breakdown);
        session.redeems = priced.redeems;
        session.by_location = priced.by_location;
        session.set_pricing_params(&params);
        session.store(object);
        Ok(())
    }
}

/// The part of a create request pricing reads, kept on the session for repricing; shipping
/// options by the ids they were given or made as.
pub(crate) fn pricing_params(p: &Map<String, Value>, priced: &Map<String, Value>) -> Value {
    let mut kept = Map::new();
    for key in ["line_items", "discounts", "automatic_tax", "customer"] {
        if let Some(v) = p.get(key) {
            kept.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(Value::Array(options)) = priced.get("shipping_options") {
        let by_id: Vec<Value> = options
            .iter()
            .map(|o| json!({ "shipping_rate": o["shipping_rate"] }))
            .collect();
        kept.insert("shipping_options".into(), Value::Array(by_id));
    }
    Value::Object(kept)
}

impl crate::catalogue::Catalogue {
    /// The id of the promotion code whose customer-facing `code` is `code` (case-insensitive),
    /// an active one first.
    pub(crate) fn promotion_code_by_code(
        &self,
        account: &Option<String>,
        code: &str,
    ) -> Option<String> {
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        let mut found: Vec<(&Map<String, Value>, u64)> = self
            .all(Kind::PromotionCode, account)
            .filter(|(o, _)| {
                o.get("code")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.eq_ignore_ascii_case(code))
            })
            .collect();
        found.sort_by_key(|(o, seq)| (o.get("active") != Some(&json!(true)), u64::MAX - seq));
        found
            .first()
            .and_then(|(o, _)| o.get("id").and_then(Value::as_str))
            .map(str::to_owned)
    }
}
