//! Creating catalogue objects: each kind's defaults, required combinations and references, as
//! Stripe's API reference documents them (cited per kind).

use serde_json::{json, Map, Value};

use super::{capitalised, merge_metadata, str_param, text, unset_empty, Kind};
use crate::error::FakeError;
use crate::money;
use crate::rules;
use crate::skeletons;
use crate::state::State;

impl State {
    /// A new object of `kind` from the skeleton, with its id, `created` and the params that are
    /// properties of the object copied as given.
    pub(super) fn new_object(
        &mut self,
        kind: Kind,
        id: Option<&str>,
        p: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut o = skeletons::object(kind.object());
        let id = match id {
            Some(id) => id.to_owned(),
            None if kind == Kind::Coupon => {
                let long = self.id("");
                long.chars().take(8).collect()
            }
            None => self.id(kind.prefix()),
        };
        for (key, value) in p {
            if o.contains_key(key.as_str()) && !matches!(key.as_str(), "id" | "object" | "expand") {
                o.insert(key.clone(), unset_empty(value));
            }
        }
        o.insert("id".into(), json!(id));
        o.insert("object".into(), json!(kind.object()));
        o.insert("created".into(), json!(self.now()));
        o.insert("livemode".into(), json!(false));
        if !p.contains_key("active") && o.contains_key("active") {
            o.insert("active".into(), json!(true));
        }
        if !matches!(o.get("metadata"), Some(Value::Object(_))) {
            o.insert("metadata".into(), json!({}));
        }
        merge_metadata(&mut o, p.get("metadata").filter(|m| m.is_object()));
        o
    }

    /// `POST /v1/<objects>`.
    pub fn create_object(
        &mut self,
        kind: Kind,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        rules::metadata_limits(p)?;
        let custom_id = str_param(p, "id");
        if let Some(id) = custom_id {
            if self.catalogue.get(kind, account, id).is_some() {
                // <https://docs.stripe.com/error-codes/resource-already-exists>
                return Err(FakeError::invalid(
                    Some("resource_already_exists"),
                    Some("id".to_owned()),
                    format!("{} already exists.", capitalised(kind)),
                ));
            }
        }
        let object = match kind {
            Kind::Product => self.new_product(account, custom_id, p)?,
            Kind::Price => self.new_price(account, p)?,
            Kind::Coupon => self.new_coupon(account, custom_id, p)?,
            Kind::PromotionCode => self.new_promotion_code(account, p)?,
            Kind::ShippingRate => self.new_shipping_rate(p)?,
            Kind::TaxRate => self.new_tax_rate(p)?,
        };
        self.catalogue.insert(kind, account, object.clone());
        self.expand_object(account, object, p)
    }

    /// <https://docs.stripe.com/api/products/create>: `active` defaults to true; `default_price_data`
    /// creates a price of the product and makes it its `default_price`.
    pub(super) fn new_product(
        &mut self,
        account: &Option<String>,
        id: Option<&str>,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let mut o = self.new_object(Kind::Product, id, p);
        o.insert("updated".into(), o["created"].clone());
        for list in ["images", "marketing_features"] {
            if !o.get(list).is_some_and(Value::is_array) {
                o.insert(list.into(), json!([]));
            }
        }
        if let Some(Value::Object(data)) = p.get("default_price_data") {
            let product = text(&o, "id").to_owned();
            let mut price = data.clone();
            price.insert("product".into(), json!(product));
            let price = self
                .new_price(account, &price)
                .map_err(|e| e.nested("default_price_data"))?;
            o.insert("default_price".into(), price["id"].clone());
            // The product is stored after this returns; the price refers to it already.
            self.catalogue.insert(Kind::Price, account, price);
        }
        Ok(o)
    }

    /// <https://docs.stripe.com/api/prices/create>: exactly one of `product` and `product_data`;
    /// one of `unit_amount`, `unit_amount_decimal`, `custom_unit_amount` or `tiers`;
    /// `recurring` makes it `type=recurring` (interval count defaulting to 1, usage
    /// `licensed`), at most three years apart.
    pub(super) fn new_price(
        &mut self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        money::currency_param(p, "currency")?;
        let product =
            match (str_param(p, "product"), p.get("product_data")) {
                (Some(id), None) => {
                    self.catalogue
                        .require(Kind::Product, account, id, "product", 400)?;
                    id.to_owned()
                }
                (None, Some(Value::Object(data))) => {
                    let product = self.new_product(account, None, data)?;
                    let id = text(&product, "id").to_owned();
                    self.catalogue.insert(Kind::Product, account, product);
                    id
                }
                _ => return Err(FakeError::param(
                    "product",
                    "You must specify either `product` or `product_data` when creating a price.",
                )),
            };
        let scheme = str_param(p, "billing_scheme").unwrap_or("per_unit");
        let amounts = ["unit_amount", "unit_amount_decimal", "custom_unit_amount"]
            .iter()
            .filter(|k| p.contains_key(**k))
            .count();
        if scheme == "per_unit" && amounts != 1 {
            return Err(FakeError::param(
                "unit_amount",
                "You must specify exactly one of `unit_amount`, `unit_amount_decimal` or `custom_unit_amount` for a `per_unit` price.",
            ));
        }
        if scheme == "tiered" && !p.contains_key("tiers") {
            return Err(FakeError::missing_param("tiers"));
        }
        let mut o = self.new_object(Kind::Price, None, p);
        o.insert("product".into(), json!(product));
        o.insert("billing_scheme".into(), json!(scheme));
        if !p.contains_key("tax_behavior") {
            o.insert("tax_behavior".into(), json!("unspecified"));
        }
        match (
            p.get("unit_amount").and_then(Value::as_i64),
            str_param(p, "unit_amount_decimal"),
        ) {
            (Some(amount), _) => {
                o.insert("unit_amount_decimal".into(), json!(amount.to_string()));
            }
            (None, Some(decimal)) => {
                // Stripe keeps the decimal and rounds `unit_amount` only when it is whole.
                let whole = decimal.parse::<i64>().ok();
                o.insert("unit_amount".into(), json!(whole));
            }
            (None, None) => {}
        }
        match p.get("recurring") {
            Some(Value::Object(r)) => {
                let interval = r.get("interval").and_then(Value::as_str).unwrap_or("month");
                let count = r.get("interval_count").and_then(Value::as_i64).unwrap_or(1);
                let max = match interval {
                    "day" => 1095,
                    "week" => 156,
                    "month" => 36,
                    _ => 3,
                };
                if !(1..=max).contains(&count) {
                    // <https://docs.stripe.com/api/prices/create#create_price-recurring-interval_count>
                    return Err(FakeError::param(
                        "recurring[interval_count]",
                        "The maximum billing interval is three years (3 years, 36 months, 156 weeks or 1095 days).",
                    ));
                }
                o.insert("type".into(), json!("recurring"));
                o.insert(
                    "recurring".into(),
                    json!({
                        "interval": interval,
                        "interval_count": count,
                        "meter": r.get("meter").cloned().unwrap_or(Value::Null),
                        "trial_period_days": r.get("trial_period_days").cloned().unwrap_or(Value::Null),
                        "usage_type": r.get("usage_type").cloned().unwrap_or(json!("licensed")),
                    }),
                );
            }
            _ => {
                o.insert("type".into(), json!("one_time"));
                o.insert("recurring".into(), Value::Null);
            }
        }
        if let Some(key) = str_param(p, "lookup_key") {
            let taken =
                self.catalogue.objects.values().any(|s| {
                    &s.account == account && s.object.get("lookup_key") == Some(&json!(key))
                });
            if taken && p.get("transfer_lookup_key") != Some(&json!(true)) {
                // <https://docs.stripe.com/api/prices/create#create_price-transfer_lookup_key>
                return Err(FakeError::param(
                    "lookup_key",
                    format!("A price (`{key}`) already uses that lookup key. Pass `transfer_lookup_key=true` to move it to this price."),
                ));
            }
        }
        Ok(o)
    }

    /// <https://docs.stripe.com/api/coupons/create>: `percent_off` or `amount_off` with
    /// `currency`; `duration` defaults to `once`, `repeating` needs `duration_in_months`.
    pub(super) fn new_coupon(
        &mut self,
        account: &Option<String>,
        id: Option<&str>,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let percent = p.get("percent_off").and_then(Value::as_f64);
        let amount = p.get("amount_off").and_then(Value::as_i64);
        match (percent, amount) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(FakeError::param(
                    "percent_off",
                    "You must pass exactly one of `percent_off` or `amount_off`.",
                ))
            }
            (Some(pct), None) if !(pct > 0.0 && pct <= 100.0) => {
                return Err(FakeError::param(
                    "percent_off",
                    "Invalid percent_off: must be greater than 0 and at most 100.",
                ))
            }
            (None, Some(amount)) => {
                if amount < 1 {
                    return Err(FakeError::param(
                        "amount_off",
                        "Invalid amount_off: must be a positive integer.",
                    ));
                }
                if !p.contains_key("currency") {
                    return Err(FakeError::param(
                        "currency",
                        "You must pass `currency` when passing `amount_off`.",
                    ));
                }
                money::currency_param(p, "currency")?;
            }
            _ => {}
        }
        let duration = str_param(p, "duration").unwrap_or("once");
        // The spec lets any string through (`x-stripeBypassValidation`); the API reference
        // lists three values.
        if !matches!(duration, "once" | "forever" | "repeating") {
            return Err(FakeError::param(
                "duration",
                format!("Invalid duration: must be one of forever, once, or repeating (got `{duration}`)."),
            ));
        }
        match (
            duration,
            p.get("duration_in_months").and_then(Value::as_i64),
        ) {
            ("repeating", None) => return Err(FakeError::missing_param("duration_in_months")),
            ("repeating", Some(m)) if m < 1 => {
                return Err(FakeError::param(
                    "duration_in_months",
                    "Invalid duration_in_months: must be a positive integer.",
                ))
            }
            ("once" | "forever", Some(_)) => {
                return Err(FakeError::param(
                    "duration_in_months",
                    "You can only pass `duration_in_months` when `duration` is `repeating`.",
                ))
            }
            _ => {}
        }
        if let Some(Value::Array(products)) = p.get("applies_to").and_then(|a| a.get("products")) {
            for (i, product) in products.iter().enumerate() {
                let id = product.as_str().unwrap_or_default();
                self.catalogue.require(
                    Kind::Product,
                    account,
                    id,
                    &format!("applies_to[products][{i}]"),
                    400,
                )?;
            }
        }
        let now = self.now();
        if p.get("redeem_by")
            .and_then(Value::as_i64)
            .is_some_and(|at| at <= now)
        {
            return Err(FakeError::param(
                "redeem_by",
                "The `redeem_by` date must be in the future.",
            ));
        }
        let mut o = self.new_object(Kind::Coupon, id, p);
        // `applies_to` is left out unless the coupon is restricted to products.
        if !p.contains_key("applies_to") {
            o.remove("applies_to");
        }
        o.insert("duration".into(), json!(duration));
        o.insert("times_redeemed".into(), json!(0));
        o.insert("valid".into(), json!(true));
        if let Some(c) = str_param(p, "currency") {
            o.insert("currency".into(), json!(c));
        }
        Ok(o)
    }

    /// <https://docs.stripe.com/api/promotion_codes/create>: a code for an existing coupon
    /// (`promotion[type]=coupon`, `promotion[coupon]`); the code is generated when not given,
    /// and must be unique among active codes regardless of case; `minimum_amount` needs
    /// `minimum_amount_currency`; `expires_at` in the future.
    pub(super) fn new_promotion_code(
        &mut self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let promotion = p.get("promotion").and_then(Value::as_object);
        let coupon = promotion
            .and_then(|pr| pr.get("coupon"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if coupon.is_empty() {
            return Err(FakeError::missing_param("promotion[coupon]"));
        }
        self.catalogue
            .require(Kind::Coupon, account, coupon, "promotion[coupon]", 400)?;
        let code = match str_param(p, "code") {
            Some(code) => {
                if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(FakeError::param(
                        "code",
                        "Promotion codes can only contain letters (a-z, A-Z), digits (0-9) and dashes (-).",
                    ));
                }
                code.to_owned()
            }
            None => self
                .id("")
                .chars()
                .take(8)
                .collect::<String>()
                .to_uppercase(),
        };
        let taken = self.catalogue.objects.values().any(|s| {
            &s.account == account
                && s.object.get("object") == Some(&json!("promotion_code"))
                && s.object.get("active") == Some(&json!(true))
                && text(&s.object, "code").eq_ignore_ascii_case(&code)
        });
        if taken {
            return Err(FakeError::param(
                "code",
                format!("An active promotion code with `code: {code}` already exists."),
            ));
        }
        let now = self.now();
        if p.get("expires_at")
            .and_then(Value::as_i64)
            .is_some_and(|at| at <= now)
        {
            return Err(FakeError::param(
                "expires_at",
                "The `expires_at` date must be in the future.",
            ));
        }
        let mut restrictions = json!({
            "currency_options": {},
            "first_time_transaction": false,
            "minimum_amount": null,
            "minimum_amount_currency": null,
        });
        if let Some(Value::Object(given)) = p.get("restrictions") {
            if given.contains_key("minimum_amount")
                && !given.contains_key("minimum_amount_currency")
            {
                return Err(FakeError::missing_param(
                    "restrictions[minimum_amount_currency]",
                ));
            }
            if given.contains_key("minimum_amount_currency") {
                money::currency_param(given, "minimum_amount_currency")
                    .map_err(|e| e.nested("restrictions"))?;
            }
            for (k, v) in given {
                restrictions[k] = v.clone();
            }
        }
        let mut o = self.new_object(Kind::PromotionCode, None, p);
        o.insert("code".into(), json!(code));
        o.insert(
            "promotion".into(),
            json!({ "coupon": coupon, "type": "coupon" }),
        );
        o.insert("restrictions".into(), restrictions);
        o.insert("times_redeemed".into(), json!(0));
        Ok(o)
    }

    /// <https://docs.stripe.com/api/shipping_rates/create>: `type=fixed_amount` (the only
    /// type) needs `fixed_amount[amount]` and `[currency]`; `tax_behavior` `unspecified` unless
    /// given.
    pub(super) fn new_shipping_rate(
        &mut self,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let Some(Value::Object(fixed)) = p.get("fixed_amount") else {
            return Err(FakeError::missing_param("fixed_amount"));
        };
        money::currency_param(fixed, "currency").map_err(|e| e.nested("fixed_amount"))?;
        if fixed
            .get("amount")
            .and_then(Value::as_i64)
            .is_some_and(|a| a < 0)
        {
            return Err(FakeError::param(
                "fixed_amount[amount]",
                "This value must be greater than or equal to 0.",
            ));
        }
        let mut o = self.new_object(Kind::ShippingRate, None, p);
        o.insert("type".into(), json!("fixed_amount"));
        let mut fixed = fixed.clone();
        fixed.entry("currency_options").or_insert(json!({}));
        o.insert("fixed_amount".into(), Value::Object(fixed));
        if !p.contains_key("tax_behavior") {
            o.insert("tax_behavior".into(), json!("unspecified"));
        }
        Ok(o)
    }

    /// <https://docs.stripe.com/api/tax_rates/create>: `percentage` from 0 to 100;
    /// `effective_percentage` is the percentage (no location-based reductions on the fake).
    pub(super) fn new_tax_rate(
        &mut self,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let percentage = p.get("percentage").and_then(Value::as_f64).unwrap_or(0.0);
        if !(0.0..=100.0).contains(&percentage) {
            return Err(FakeError::param(
                "percentage",
                "Invalid percentage: must be between 0 and 100.",
            ));
        }
        let mut o = self.new_object(Kind::TaxRate, None, p);
        o.insert("effective_percentage".into(), json!(percentage));
        o.insert("rate_type".into(), json!("percentage"));
        Ok(o)
    }
}
