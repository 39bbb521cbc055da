//! The catalogue: prices registered on the fake (usable as `line_items[][price]`) and the
//! `price` objects line items carry, both registered ones and those made from `price_data`.
//!
//! <https://docs.stripe.com/api/prices/object>.

use serde_json::{json, Value};

use crate::skeletons::price_skeleton;
use crate::state::State;

/// A price registered on the fake, usable as `line_items[][price]`.
#[derive(Debug, Clone)]
pub struct Price {
    id: String,
    unit_amount: i64,
    currency: String,
    recurring: Option<String>,
    product_name: String,
}

impl Price {
    /// A one-time price of `unit_amount` (in the currency's minor unit).
    pub fn one_time(id: impl Into<String>, unit_amount: i64, currency: impl Into<String>) -> Self {
        Price {
            id: id.into(),
            unit_amount,
            currency: currency.into(),
            recurring: None,
            product_name: "Fake product".to_owned(),
        }
    }

    /// A recurring price billed every `interval` (`day`, `week`, `month`, `year`).
    pub fn recurring(
        id: impl Into<String>,
        unit_amount: i64,
        currency: impl Into<String>,
        interval: impl Into<String>,
    ) -> Self {
        Price {
            recurring: Some(interval.into()),
            ..Price::one_time(id, unit_amount, currency)
        }
    }

    /// The product's name (the line item's `description`).
    pub fn product_name(mut self, name: impl Into<String>) -> Self {
        self.product_name = name.into();
        self
    }
}

impl State {
    /// Makes `price.id` usable as `line_items[][price]` (with a new product id).
    pub fn register_price(&mut self, price: &Price) {
        let created = self.now();
        let product = self.id("prod_");
        let object = self.price_object(
            &price.id,
            price.unit_amount,
            &price.currency,
            price.recurring.as_deref(),
            &product,
            true,
            created,
        );
        self.prices.insert(
            price.id.clone(),
            json!({ "price": object, "name": price.product_name }),
        );
    }

    /// A registered price's object and its product's name.
    pub(crate) fn registered_price(&self, id: &str) -> Option<(Value, String)> {
        self.prices.get(id).map(|found| {
            (
                found["price"].clone(),
                found["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
    }

    /// A `price` object (`recurring` is the interval of a recurring price).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn price_object(
        &self,
        id: &str,
        unit_amount: i64,
        currency: &str,
        recurring: Option<&str>,
        product: &str,
        active: bool,
        created: i64,
    ) -> Value {
        let mut price = price_skeleton().clone();
        if let Some(p) = price.as_object_mut() {
            p.insert("id".into(), json!(id));
            p.insert("active".into(), json!(active));
            p.insert("billing_scheme".into(), json!("per_unit"));
            p.insert("created".into(), json!(created));
            p.insert("currency".into(), json!(currency));
            p.insert("metadata".into(), json!({}));
            p.insert("product".into(), json!(product));
            p.insert("unit_amount".into(), json!(unit_amount));
            p.insert("unit_amount_decimal".into(), json!(unit_amount.to_string()));
            p.insert("tax_behavior".into(), json!("unspecified"));
            match recurring {
                Some(interval) => {
                    p.insert("type".into(), json!("recurring"));
                    p.insert(
                        "recurring".into(),
                        json!({
                            "interval": interval,
                            "interval_count": 1,
                            "meter": null,
                            "trial_period_days": null,
                            "usage_type": "licensed",
                        }),
                    );
                }
                None => {
                    p.insert("type".into(), json!("one_time"));
                }
            }
        }
        price
    }
}
