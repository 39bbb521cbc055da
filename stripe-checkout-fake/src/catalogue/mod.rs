//! Catalogue objects as Stripe keeps them: products, prices, coupons, promotion codes, shipping
//! rates and tax rates, created, retrieved, listed, updated (and products and coupons deleted)
//! over `/v1` with the same calls a test makes against Stripe's test mode
//! (`stripe.Coupon.create(percent_off=20, duration="once")`). Parameters are validated from
//! `spec/fake_resources.yaml` before they get here; this file holds what the spec's types do not
//! say: defaults, required combinations and references between objects.
//!
//! Sources: <https://docs.stripe.com/api/products>, <https://docs.stripe.com/api/prices>,
//! <https://docs.stripe.com/api/coupons>, <https://docs.stripe.com/api/promotion_codes>,
//! <https://docs.stripe.com/api/shipping_rates>, <https://docs.stripe.com/api/tax_rates>.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::error::FakeError;
use crate::skeletons::price_skeleton;
use crate::state::State;

mod create;
mod operations;

/// A kind of catalogue object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Product,
    Price,
    Coupon,
    PromotionCode,
    ShippingRate,
    TaxRate,
}

impl Kind {
    /// The `object` value, which is also the skeleton's and error messages' name.
    pub fn object(self) -> &'static str {
        match self {
            Kind::Product => "product",
            Kind::Price => "price",
            Kind::Coupon => "coupon",
            Kind::PromotionCode => "promotion_code",
            Kind::ShippingRate => "shipping_rate",
            Kind::TaxRate => "tax_rate",
        }
    }

    /// The kind an operation's path (`/v1/prices/{price}`) is about; an error for a path the
    /// catalogue does not serve (a generated operation nobody mapped).
    pub fn of_path(path: &str) -> Result<Kind, FakeError> {
        let collection = path.split('/').take(3).collect::<Vec<_>>().join("/");
        [
            Kind::Product,
            Kind::Price,
            Kind::Coupon,
            Kind::PromotionCode,
            Kind::ShippingRate,
            Kind::TaxRate,
        ]
        .into_iter()
        .find(|k| k.path() == collection)
        .ok_or_else(|| FakeError {
            status: 500,
            kind: "api_error",
            code: None,
            param: None,
            message: format!("stripe-checkout-fake has no catalogue object at {path}"),
        })
    }

    /// The collection's path, for list `url`s.
    pub(super) fn path(self) -> &'static str {
        match self {
            Kind::Product => "/v1/products",
            Kind::Price => "/v1/prices",
            Kind::Coupon => "/v1/coupons",
            Kind::PromotionCode => "/v1/promotion_codes",
            Kind::ShippingRate => "/v1/shipping_rates",
            Kind::TaxRate => "/v1/tax_rates",
        }
    }

    /// Stripe's id prefix (coupons have none: their ids are 8 random characters or the shop's).
    pub(super) fn prefix(self) -> &'static str {
        match self {
            Kind::Product => "prod_",
            Kind::Price => "price_",
            Kind::Coupon => "",
            Kind::PromotionCode => "promo_",
            Kind::ShippingRate => "shr_",
            Kind::TaxRate => "txr_",
        }
    }

    /// The kind an expandable field names (`price.product`, `promotion.coupon`, …).
    pub(crate) fn of_field(field: &str) -> Option<Kind> {
        Some(match field {
            "product" => Kind::Product,
            "price" | "default_price" => Kind::Price,
            "coupon" => Kind::Coupon,
            "promotion_code" => Kind::PromotionCode,
            "shipping_rate" => Kind::ShippingRate,
            "tax_rate" => Kind::TaxRate,
            _ => return None,
        })
    }
}

/// One stored object and whose it is.
#[derive(Debug, Clone)]
pub(super) struct Stored {
    pub object: Map<String, Value>,
    pub account: Option<String>,
    pub seq: u64,
}

/// Every catalogue object, by kind and id.
#[derive(Debug, Default)]
pub(crate) struct Catalogue {
    pub(super) objects: HashMap<(Kind, String), Stored>,
    seq: u64,
}

impl Catalogue {
    /// The object, if `account` can see it.
    pub fn get(
        &self,
        kind: Kind,
        account: &Option<String>,
        id: &str,
    ) -> Option<&Map<String, Value>> {
        self.objects
            .get(&(kind, id.to_owned()))
            .filter(|s| &s.account == account)
            .map(|s| &s.object)
    }

    /// Every object of `kind` that `account` can see, with its creation order.
    pub(crate) fn all<'a>(
        &'a self,
        kind: Kind,
        account: &'a Option<String>,
    ) -> impl Iterator<Item = (&'a Map<String, Value>, u64)> + 'a {
        self.objects
            .iter()
            .filter(move |((k, _), s)| *k == kind && &s.account == account)
            .map(|(_, s)| (&s.object, s.seq))
    }

    pub(super) fn get_mut(
        &mut self,
        kind: Kind,
        account: &Option<String>,
        id: &str,
    ) -> Option<&mut Map<String, Value>> {
        self.objects
            .get_mut(&(kind, id.to_owned()))
            .filter(|s| &s.account == account)
            .map(|s| &mut s.object)
    }

    /// The object or Stripe's `resource_missing` for it (`param` names where the id came from).
    pub fn require(
        &self,
        kind: Kind,
        account: &Option<String>,
        id: &str,
        param: &str,
        status: u16,
    ) -> Result<&Map<String, Value>, FakeError> {
        self.get(kind, account, id)
            .ok_or_else(|| FakeError::missing(kind.object(), id, param, status))
    }

    pub(super) fn insert(
        &mut self,
        kind: Kind,
        account: &Option<String>,
        object: Map<String, Value>,
    ) {
        self.seq += 1;
        let id = text(&object, "id").to_owned();
        self.objects.insert(
            (kind, id),
            Stored {
                object,
                account: account.clone(),
                seq: self.seq,
            },
        );
    }

    /// Counts one use of a coupon or promotion code (`times_redeemed`), when a session that
    /// applied it completes; at `max_redemptions` a coupon stops being `valid` and a promotion
    /// code `active`. <https://docs.stripe.com/api/coupons/object#coupon_object-max_redemptions>
    pub fn redeem(&mut self, kind: Kind, account: &Option<String>, id: &str) {
        let Some(o) = self.get_mut(kind, account, id) else {
            return;
        };
        let used = o.get("times_redeemed").and_then(Value::as_i64).unwrap_or(0) + 1;
        o.insert("times_redeemed".into(), json!(used));
        let exhausted = o
            .get("max_redemptions")
            .and_then(Value::as_i64)
            .is_some_and(|max| used >= max);
        if exhausted {
            let flag = if kind == Kind::Coupon {
                "valid"
            } else {
                "active"
            };
            o.insert(flag.into(), json!(false));
        }
    }
}

pub(super) fn text<'a>(o: &'a Map<String, Value>, key: &str) -> &'a str {
    o.get(key).and_then(Value::as_str).unwrap_or_default()
}

pub(super) fn str_param<'a>(p: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// `""` unsets a field (where the spec allows it, which the validator has checked).
pub(super) fn unset_empty(value: &Value) -> Value {
    if value == &json!("") {
        Value::Null
    } else {
        value.clone()
    }
}

/// Metadata as Stripe updates it: `""` for the whole hash clears it, `""` for a key removes
/// that key, other keys are added or replaced. <https://docs.stripe.com/api/metadata>
pub(crate) fn merge_metadata(object: &mut Map<String, Value>, change: Option<&Value>) {
    match change {
        Some(Value::String(_)) => {
            object.insert("metadata".into(), json!({}));
        }
        Some(Value::Object(changes)) => {
            let mut metadata = match object.get("metadata") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            };
            for (key, value) in changes {
                if value == &json!("") {
                    metadata.remove(key);
                } else {
                    metadata.insert(key.clone(), value.clone());
                }
            }
            object.insert("metadata".into(), Value::Object(metadata));
        }
        _ => {}
    }
}

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
    /// Makes `price.id` usable as `line_items[][price]`: a product named after the price's
    /// `product_name` and an active price with the given id, as `POST /v1/products` and
    /// `POST /v1/prices` would make them (for the platform account).
    pub fn register_price(&mut self, price: &Price) {
        let mut product = Map::new();
        product.insert("name".into(), json!(price.product_name));
        let product = self.new_object(Kind::Product, None, &product);
        let product_id = text(&product, "id").to_owned();
        let mut object = self.new_object(Kind::Price, Some(&price.id), &Map::new());
        object.insert("product".into(), json!(product_id));
        object.insert(
            "currency".into(),
            json!(price.currency.to_ascii_lowercase()),
        );
        object.insert("unit_amount".into(), json!(price.unit_amount));
        object.insert(
            "unit_amount_decimal".into(),
            json!(price.unit_amount.to_string()),
        );
        object.insert("billing_scheme".into(), json!("per_unit"));
        object.insert("tax_behavior".into(), json!("unspecified"));
        match &price.recurring {
            Some(interval) => {
                object.insert("type".into(), json!("recurring"));
                object.insert(
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
                object.insert("type".into(), json!("one_time"));
            }
        }
        self.catalogue.insert(Kind::Product, &None, product);
        self.catalogue.insert(Kind::Price, &None, object);
    }
}

/// "Promotion code" for `promotion_code`, for messages.
pub(super) fn capitalised(kind: Kind) -> String {
    let name = kind.object().replace('_', " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

impl State {
    /// The price a session line item names, if `account` can use it, and its product's name.
    pub(crate) fn registered_price(
        &self,
        account: &Option<String>,
        id: &str,
    ) -> Option<(Value, String)> {
        let price = self.catalogue.get(Kind::Price, account, id)?;
        let name = self
            .catalogue
            .get(Kind::Product, account, text(price, "product"))
            .map(|p| text(p, "name").to_owned())
            .unwrap_or_default();
        Some((Value::Object(price.clone()), name))
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
