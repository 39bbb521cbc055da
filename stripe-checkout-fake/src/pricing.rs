//! What a Checkout Session costs: resolves the catalogue objects a create request names
//! (`discounts[][coupon|promotion_code]`, `line_items[][tax_rates][]`,
//! `shipping_options[][shipping_rate|shipping_rate_data]`), refuses those Stripe refuses
//! (missing, inactive, expired, restrictions not met, another currency), computes the amounts
//! with [`crate::money`], and writes them where Stripe's objects carry them: line items'
//! `amount_discount`/`amount_tax`/`amount_total`/`discounts`/`taxes`, the session's
//! `amount_subtotal`, `amount_total`, `total_details` (with `breakdown` when expanded),
//! `discounts`, `shipping_options`, `shipping_cost`.
//!
//! Sources: <https://docs.stripe.com/payments/checkout/discounts>,
//! <https://docs.stripe.com/payments/checkout/taxes>,
//! <https://docs.stripe.com/payments/during-payment/charge-shipping>,
//! <https://docs.stripe.com/api/checkout/sessions/object>,
//! <https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>.

use serde_json::{json, Map, Value};

use crate::catalogue::Kind;
use crate::error::FakeError;
use crate::money::{self, MoneyError, TaxBehavior};
use crate::state::State;

/// The amounts of a priced session, ready to store.
pub(crate) struct Priced {
    /// Fields of the session object (`amount_subtotal`, `amount_total`, `total_details`, …).
    pub fields: Map<String, Value>,
    /// `total_details.breakdown`, shown only when expanded.
    pub breakdown: Value,
    /// The coupon and promotion code a completed session redeems.
    pub redeems: Vec<(Kind, String)>,
    /// Taxes that wait for the customer's address, if any.
    pub by_location: Option<Box<LocationTax>>,
}

/// Who is asking and for what, as pricing needs it.
pub(crate) struct Basket<'a> {
    pub account: &'a Option<String>,
    pub session_id: &'a str,
    pub currency: &'a str,
    pub customer: Option<&'a str>,
    /// The create request's line items (for `tax_rates`), in order.
    pub raw_items: &'a [Value],
}

fn text<'a>(o: &'a Map<String, Value>, key: &str) -> &'a str {
    o.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn inactive(param: String, what: &str, id: &str) -> FakeError {
    FakeError::param(
        param,
        format!("The {what} `{id}` is not active. This field only accepts active {what}s."),
    )
}

impl State {
    /// Prices `items` (line item objects, updated in place) for the session being created.
    /// Taxes that depend on where the customer is (`dynamic_tax_rates`, `automatic_tax`) are
    /// left out until completion gives an address: [`Priced::by_location`] keeps what that
    /// needs. <https://docs.stripe.com/payments/checkout/taxes>
    pub(crate) fn price_session(
        &mut self,
        basket: &Basket<'_>,
        p: &Map<String, Value>,
        items: &mut [Value],
    ) -> Result<Priced, FakeError> {
        let now = self.now();
        let mut lines = Vec::with_capacity(items.len());
        let mut rate_objects: Vec<Map<String, Value>> = Vec::new();
        let mut dynamic = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let mut line = money::LineItem::new(
                item["price"]["unit_amount"].as_i64().unwrap_or(0),
                item["quantity"].as_i64().unwrap_or(1),
            );
            line.product = item["price"]["product"].as_str().map(str::to_owned);
            let raw = basket.raw_items.get(i);
            line.tax_rates = self.tax_rates(basket, raw, i, "tax_rates", &mut rate_objects)?;
            dynamic.push(self.tax_rates(basket, raw, i, "dynamic_tax_rates", &mut rate_objects)?);
            lines.push(line);
        }
        let automatic = p.get("automatic_tax").and_then(|a| a.get("enabled")) == Some(&json!(true));
        if automatic && self.automatic_tax_rates.is_empty() {
            // Stripe refuses automatic tax until the account has set up Stripe Tax
            // (<https://docs.stripe.com/tax/set-up>); the fake's equivalent is its rate table.
            return Err(FakeError::param(
                "automatic_tax[enabled]",
                "Automatic tax needs Stripe Tax set up. On stripe-checkout-fake, give it a rate per country first: FakeStripe::set_automatic_tax_rate(country, percentage) or POST /_fake/automatic_tax_rates (country, percentage).",
            ));
        }

        let subtotal = lines
            .iter()
            .map(money::line_subtotal)
            .try_fold(0i64, |sum, line| sum.checked_add(line.ok()?))
            .ok_or_else(|| FakeError::param("line_items", "The total amount is too large."))?;
        let (discount, session_discount, redeems) =
            self.resolve_discount(basket, p, subtotal, now)?;
        let shipping = self.resolve_shipping(basket, p)?;

        let inputs = PriceInputs {
            currency: basket.currency.to_owned(),
            lines,
            discount,
            shipping: shipping.first().map(|(rate, _)| rate.clone()),
            rate_objects,
        };
        let mut priced = apply(&inputs, items)?;
        priced.redeems = redeems;
        // `discounts` stays `null` without one, as Stripe returns it.
        if let Some(entry) = session_discount {
            priced.fields.insert("discounts".into(), json!([entry]));
        }
        if !shipping.is_empty() {
            let options: Vec<Value> = shipping
                .iter()
                .map(|(rate, _)| {
                    json!({
                        "shipping_amount": rate.amount,
                        "shipping_rate": rate.id,
                    })
                })
                .collect();
            priced
                .fields
                .insert("shipping_options".into(), Value::Array(options));
        }
        if automatic {
            priced.fields.insert(
                "automatic_tax".into(),
                json!({
                    "enabled": true,
                    "liability": { "account": null, "type": "self" },
                    "provider": "stripe",
                    "status": "requires_location_inputs",
                }),
            );
        }
        if automatic || dynamic.iter().any(|d| !d.is_empty()) {
            priced.by_location = Some(Box::new(LocationTax {
                inputs,
                dynamic,
                automatic,
            }));
        }
        Ok(priced)
    }

    /// `line_items[i][<key>][]`: tax rate ids, each existing and active.
    fn tax_rates(
        &self,
        basket: &Basket<'_>,
        raw: Option<&Value>,
        i: usize,
        key: &str,
        objects: &mut Vec<Map<String, Value>>,
    ) -> Result<Vec<money::TaxRate>, FakeError> {
        let ids = raw.and_then(|raw| raw.get(key)).and_then(Value::as_array);
        let mut rates = Vec::new();
        for (j, id) in ids.into_iter().flatten().enumerate() {
            let id = id.as_str().unwrap_or_default();
            let param = format!("line_items[{i}][{key}][{j}]");
            let rate = self
                .catalogue
                .require(Kind::TaxRate, basket.account, id, &param, 400)?;
            if rate.get("active") != Some(&json!(true)) {
                return Err(inactive(param, "tax rate", id));
            }
            let mut tax = money::TaxRate::new(
                id,
                rate.get("percentage")
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0),
                rate.get("inclusive") == Some(&json!(true)),
            );
            tax.country = rate
                .get("country")
                .and_then(Value::as_str)
                .map(str::to_owned);
            tax.state = rate.get("state").and_then(Value::as_str).map(str::to_owned);
            if !objects.iter().any(|r| text(r, "id") == id) {
                objects.push(rate.clone());
            }
            rates.push(tax);
        }
        Ok(rates)
    }

    /// Applies the taxes that waited for the customer's address: each line's first
    /// `dynamic_tax_rates` entry matching `country`/`state`, or the automatic-tax rate of
    /// `country`. Returns the new amounts, or why the address is not enough.
    pub(crate) fn price_by_location(
        &mut self,
        tax: &LocationTax,
        items: &mut [Value],
        country: &str,
        state: Option<&str>,
    ) -> Result<Priced, FakeError> {
        let mut inputs = tax.inputs.clone();
        if tax.automatic {
            let Some(percentage) = self.automatic_tax_rates.get(&country.to_ascii_uppercase())
            else {
                return Err(FakeError::invalid(
                    None,
                    Some("address[country]".to_owned()),
                    format!("stripe-checkout-fake has no automatic tax rate for {country}: set one with FakeStripe::set_automatic_tax_rate or POST /_fake/automatic_tax_rates."),
                ));
            };
            let mut object = crate::skeletons::object("tax_rate");
            let id = format!("txr_auto_{}", country.to_ascii_lowercase());
            object.insert("id".into(), json!(id));
            object.insert("object".into(), json!("tax_rate"));
            object.insert("active".into(), json!(true));
            object.insert("country".into(), json!(country.to_ascii_uppercase()));
            object.insert("display_name".into(), json!("Tax"));
            object.insert("percentage".into(), json!(percentage));
            object.insert("effective_percentage".into(), json!(percentage));
            object.insert("inclusive".into(), json!(false));
            object.insert("rate_type".into(), json!("percentage"));
            object.insert("metadata".into(), json!({}));
            for line in &mut inputs.lines {
                line.tax_rates
                    .push(money::TaxRate::new(id.clone(), *percentage, false));
            }
            inputs.rate_objects.push(object);
        } else {
            for (line, candidates) in inputs.lines.iter_mut().zip(&tax.dynamic) {
                if let Some(rate) = money::match_dynamic_tax_rate(candidates, country, state) {
                    line.tax_rates.push(rate.clone());
                }
            }
        }
        let mut priced = apply(&inputs, items)?;
        if tax.automatic {
            priced.fields.insert(
                "automatic_tax".into(),
                json!({
                    "enabled": true,
                    "liability": { "account": null, "type": "self" },
                    "provider": "stripe",
                    "status": "complete",
                }),
            );
        }
        Ok(priced)
    }

    /// `discounts[0]`: a coupon or a promotion code, checked as Stripe checks them at session
    /// creation. Returns the discount to compute, the discount object line items show, the
    /// session's `discounts[]` entry and what completion redeems.
    #[allow(clippy::type_complexity)]
    fn resolve_discount(
        &mut self,
        basket: &Basket<'_>,
        p: &Map<String, Value>,
        subtotal: i64,
        now: i64,
    ) -> Result<
        (
            Option<(money::Discount, Value)>,
            Option<Value>,
            Vec<(Kind, String)>,
        ),
        FakeError,
    > {
        let Some(entry) = p
            .get("discounts")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(Value::as_object)
        else {
            return Ok((None, None, Vec::new()));
        };
        let account = basket.account;
        let mut redeems = Vec::new();
        let (coupon_id, promotion_code) = match (
            entry.get("coupon").and_then(Value::as_str),
            entry.get("promotion_code").and_then(Value::as_str),
        ) {
            (Some(coupon), _) => (coupon.to_owned(), None),
            (None, Some(code_id)) => {
                let param = "discounts[0][promotion_code]";
                let promo =
                    self.catalogue
                        .require(Kind::PromotionCode, account, code_id, param, 400)?;
                let code = text(promo, "code").to_owned();
                // <https://docs.stripe.com/api/promotion_codes/object>: inactive, expired or
                // fully redeemed codes cannot be applied.
                if promo.get("active") != Some(&json!(true)) {
                    return Err(FakeError::invalid(
                        Some("promotion_code_invalid"),
                        Some(param.to_owned()),
                        format!("The promotion code `{code}` is not active."),
                    ));
                }
                if promo
                    .get("expires_at")
                    .and_then(Value::as_i64)
                    .is_some_and(|at| at <= now)
                {
                    return Err(FakeError::invalid(
                        Some("promotion_code_invalid"),
                        Some(param.to_owned()),
                        format!("The promotion code `{code}` has expired."),
                    ));
                }
                if let Some(only) = promo.get("customer").and_then(Value::as_str) {
                    if basket.customer != Some(only) {
                        return Err(FakeError::invalid(
                            Some("promotion_code_invalid"),
                            Some(param.to_owned()),
                            format!(
                                "The promotion code `{code}` can only be used by another customer."
                            ),
                        ));
                    }
                }
                let restrictions = promo.get("restrictions").cloned().unwrap_or(Value::Null);
                // <https://docs.stripe.com/billing/subscriptions/coupons#promotion-code-restrictions>
                if let Some(minimum) = restrictions["minimum_amount"].as_i64() {
                    let in_currency = restrictions["minimum_amount_currency"]
                        .as_str()
                        .unwrap_or_default();
                    if in_currency != basket.currency || subtotal < minimum {
                        return Err(FakeError::invalid(
                            Some("promotion_code_invalid"),
                            Some(param.to_owned()),
                            format!(
                                "The promotion code `{code}` needs an order of at least {}.",
                                money::format_amount(in_currency, minimum)
                            ),
                        ));
                    }
                }
                if restrictions["first_time_transaction"] == json!(true) {
                    if let Some(customer) = basket.customer {
                        if self.has_paid_before(account, customer) {
                            return Err(FakeError::invalid(
                                Some("promotion_code_invalid"),
                                Some(param.to_owned()),
                                format!(
                                    "The promotion code `{code}` is only for first-time customers."
                                ),
                            ));
                        }
                    }
                }
                let coupon = promo["promotion"]["coupon"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                redeems.push((Kind::PromotionCode, code_id.to_owned()));
                (coupon, Some(code_id.to_owned()))
            }
            (None, None) => return Ok((None, None, Vec::new())),
        };
        let param = if promotion_code.is_some() {
            "discounts[0][promotion_code]"
        } else {
            "discounts[0][coupon]"
        };
        let coupon = self
            .catalogue
            .require(Kind::Coupon, account, &coupon_id, param, 400)?
            .clone();
        // <https://docs.stripe.com/api/coupons/object#coupon_object-valid>
        let expired = coupon
            .get("redeem_by")
            .and_then(Value::as_i64)
            .is_some_and(|at| at <= now);
        if coupon.get("valid") != Some(&json!(true)) || expired {
            return Err(FakeError::invalid(
                Some("coupon_expired"),
                Some(param.to_owned()),
                format!("The coupon `{coupon_id}` is no longer valid."),
            ));
        }
        let amount_off = coupon.get("amount_off").and_then(Value::as_i64);
        if amount_off.is_some() && text(&coupon, "currency") != basket.currency {
            // An amount-off coupon applies in its own currency only (or a `currency_options`
            // one): <https://docs.stripe.com/api/coupons/object#coupon_object-currency_options>.
            let option = coupon
                .get("currency_options")
                .and_then(|o| o.get(basket.currency))
                .and_then(|o| o.get("amount_off"))
                .and_then(Value::as_i64);
            if option.is_none() {
                return Err(FakeError::param(
                    param,
                    format!(
                        "The coupon `{coupon_id}` is in {} and cannot be applied to a session in {}.",
                        text(&coupon, "currency"),
                        basket.currency
                    ),
                ));
            }
        }
        let amount_off = coupon
            .get("currency_options")
            .and_then(|o| o.get(basket.currency))
            .and_then(|o| o.get("amount_off"))
            .and_then(Value::as_i64)
            .or(amount_off);
        let applies_to = coupon
            .get("applies_to")
            .and_then(|a| a.get("products"))
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .filter(|products| !products.is_empty());
        redeems.push((Kind::Coupon, coupon_id.clone()));
        let discount_id = self.id("di_");
        let mut object = crate::skeletons::object("discount");
        object.insert("id".into(), json!(discount_id));
        object.insert("checkout_session".into(), json!(basket.session_id));
        object.insert("customer".into(), json!(basket.customer));
        object.insert("promotion_code".into(), json!(promotion_code));
        // `source.coupon` is an expandable id (<https://docs.stripe.com/api/discounts/object>).
        object.insert(
            "source".into(),
            json!({ "coupon": coupon_id, "type": "coupon" }),
        );
        object.insert("start".into(), json!(now));
        let discount = money::Discount {
            id: discount_id,
            coupon: money::Coupon {
                id: coupon_id.clone(),
                percent_off: coupon.get("percent_off").and_then(Value::as_f64),
                amount_off,
                currency: Some(basket.currency.to_owned()),
                applies_to_products: applies_to,
            },
            promotion_code: promotion_code.clone(),
        };
        let entry = json!({ "coupon": coupon_id, "promotion_code": promotion_code });
        Ok((
            Some((discount, Value::Object(object))),
            Some(entry),
            redeems,
        ))
    }

    /// `shipping_options[]`: existing active rates or `shipping_rate_data` made into new ones,
    /// in the session's currency; the first is the one selected.
    fn resolve_shipping(
        &mut self,
        basket: &Basket<'_>,
        p: &Map<String, Value>,
    ) -> Result<Vec<(money::ShippingRate, String)>, FakeError> {
        let mut out = Vec::new();
        let options = p.get("shipping_options").and_then(Value::as_array);
        for (i, option) in options.into_iter().flatten().enumerate() {
            let rate = match (
                option.get("shipping_rate").and_then(Value::as_str),
                option.get("shipping_rate_data").and_then(Value::as_object),
            ) {
                (Some(id), None) => {
                    let param = format!("shipping_options[{i}][shipping_rate]");
                    let rate = self.catalogue.require(
                        Kind::ShippingRate,
                        basket.account,
                        id,
                        &param,
                        400,
                    )?;
                    if rate.get("active") != Some(&json!(true)) {
                        return Err(inactive(param, "shipping rate", id));
                    }
                    rate.clone()
                }
                (None, Some(data)) => self
                    .create_object(Kind::ShippingRate, basket.account, data)
                    .map_err(|e| e.nested(&format!("shipping_options[{i}][shipping_rate_data]")))?,
                _ => {
                    return Err(FakeError::param(
                        format!("shipping_options[{i}]"),
                        "You must specify exactly one of `shipping_rate` or `shipping_rate_data`.",
                    ))
                }
            };
            let currency = rate["fixed_amount"]["currency"]
                .as_str()
                .unwrap_or_default();
            if currency != basket.currency {
                return Err(FakeError::param(
                    format!("shipping_options[{i}]"),
                    format!(
                        "The shipping rate is in {currency}, but the session is in {}.",
                        basket.currency
                    ),
                ));
            }
            let id = text(&rate, "id").to_owned();
            out.push((
                money::ShippingRate {
                    id: Some(id.clone()),
                    amount: rate["fixed_amount"]["amount"].as_i64().unwrap_or(0),
                    currency: currency.to_owned(),
                    tax_behavior: match rate["tax_behavior"].as_str() {
                        Some("inclusive") => TaxBehavior::Inclusive,
                        Some("exclusive") => TaxBehavior::Exclusive,
                        _ => TaxBehavior::Unspecified,
                    },
                },
                id,
            ));
        }
        Ok(out)
    }

    /// Whether `customer` completed a paid session before (for `first_time_transaction`).
    fn has_paid_before(&self, account: &Option<String>, customer: &str) -> bool {
        self.sessions
            .values()
            .any(|s| &s.account == account && s.paid_by(customer))
    }
}

/// What pricing needs, resolved from the request (kept for taxes applied at completion).
#[derive(Debug, Clone)]
pub(crate) struct PriceInputs {
    currency: String,
    lines: Vec<money::LineItem>,
    discount: Option<(money::Discount, Value)>,
    shipping: Option<money::ShippingRate>,
    rate_objects: Vec<Map<String, Value>>,
}

/// Taxes waiting for the customer's address.
#[derive(Debug, Clone)]
pub(crate) struct LocationTax {
    inputs: PriceInputs,
    /// Each line's `dynamic_tax_rates`.
    dynamic: Vec<Vec<money::TaxRate>>,
    automatic: bool,
}

/// Computes the amounts and writes them on `items`; the session's fields in the result.
fn apply(inputs: &PriceInputs, items: &mut [Value]) -> Result<Priced, FakeError> {
    let currency = inputs.currency.as_str();
    let discounts: Vec<money::Discount> = inputs.discount.iter().map(|(d, _)| d.clone()).collect();
    let totals = money::compute(
        currency,
        &inputs.lines,
        &discounts,
        inputs.shipping.as_ref(),
    )
    .map_err(money_error)?;
    if totals.amount_total > 0 {
        money::check_amount(currency, totals.amount_total).map_err(money_error)?;
    }
    let discount_object = inputs.discount.as_ref().map(|(_, object)| object);
    let rate_objects = &inputs.rate_objects;
    for (item, line) in items.iter_mut().zip(&totals.lines) {
        let Some(it) = item.as_object_mut() else {
            continue;
        };
        it.insert("amount_discount".into(), json!(line.amount_discount));
        it.insert("amount_tax".into(), json!(line.amount_tax));
        it.insert("amount_total".into(), json!(line.amount_total));
        let discounts: Vec<Value> = line
            .discounts
            .iter()
            .filter(|d| d.amount > 0)
            .filter_map(|d| Some(json!({ "amount": d.amount, "discount": discount_object? })))
            .collect();
        it.insert("discounts".into(), Value::Array(discounts));
        let taxes: Vec<Value> = line
            .taxes
            .iter()
            .map(|t| tax_json(t, rate_objects))
            .collect();
        it.insert("taxes".into(), Value::Array(taxes));
    }
    let mut fields = Map::new();
    fields.insert("amount_subtotal".into(), json!(totals.amount_subtotal));
    fields.insert("amount_total".into(), json!(totals.amount_total));
    let details = &totals.total_details;
    fields.insert(
        "total_details".into(),
        json!({
            "amount_discount": details.amount_discount,
            "amount_shipping": details.amount_shipping,
            "amount_tax": details.amount_tax,
        }),
    );
    let breakdown = json!({
        "discounts": details.breakdown.discounts.iter().filter_map(|d| {
            Some(json!({ "amount": d.amount, "discount": discount_object? }))
        }).collect::<Vec<_>>(),
        "taxes": details.breakdown.taxes.iter().map(|t| tax_json(t, rate_objects)).collect::<Vec<_>>(),
    });
    if let Some(cost) = &totals.shipping_cost {
        fields.insert(
            "shipping_cost".into(),
            json!({
                "amount_subtotal": cost.amount_subtotal,
                "amount_tax": cost.amount_tax,
                "amount_total": cost.amount_total,
                "shipping_rate": cost.shipping_rate,
                "taxes": [],
            }),
        );
    }
    Ok(Priced {
        fields,
        breakdown,
        redeems: Vec::new(),
        by_location: None,
    })
}

/// A line item's or breakdown's `taxes[]` entry, with the tax rate object.
fn tax_json(t: &money::TaxAmount, rates: &[Map<String, Value>]) -> Value {
    let rate = rates
        .iter()
        .find(|r| text(r, "id") == t.rate_id)
        .cloned()
        .map(Value::Object)
        .unwrap_or(Value::Null);
    json!({
        "amount": t.amount,
        "rate": rate,
        "taxability_reason": null,
        "taxable_amount": t.taxable_amount,
    })
}

/// A money rule as Stripe's error: charge limits become `amount_too_small`/`amount_too_large`
/// in Checkout's words (<https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>).
fn money_error(e: MoneyError) -> FakeError {
    match e {
        MoneyError::BelowMinimum {
            currency, minimum, ..
        } => FakeError::invalid(
            Some("amount_too_small"),
            None,
            format!(
                "The Checkout Session's total amount due must add up to at least {} {currency}",
                money::format_amount(&currency, minimum)
            ),
        ),
        MoneyError::AboveMaximum {
            currency, maximum, ..
        } => FakeError::invalid(
            Some("amount_too_large"),
            None,
            format!(
                "The Checkout Session's total amount due must be no more than {} {currency}",
                money::format_amount(&currency, maximum)
            ),
        ),
        other => FakeError::param("line_items", other.to_string()),
    }
}
