//! Checkout Sessions: how one is stored ([`Session`]) and the API operations on them —
//! create, retrieve, update, list, list line items — plus rendering with `expand[]`.
//! Completing and expiring are in [`crate::lifecycle`].
//!
//! <https://docs.stripe.com/api/checkout/sessions>,
//! <https://docs.stripe.com/api/expanding_objects>.

use serde_json::{json, Map, Value};

use crate::error::FakeError;
use crate::lists::{list_json, page, Index};
use crate::pricing::Basket;
use crate::schema::str_param;
use crate::skeletons::{item_skeleton, session_skeleton};
use crate::state::State;
use crate::{money, rules};

/// One session and what the fake keeps beside it. The object is kept as compact JSON (a
/// held session costs its JSON, not a tree of maps), with the fields lists filter on beside it.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    json: Box<str>,
    pub index: Index,
    pub account: Option<String>,
    pub seq: u64,
    /// Each line item as compact JSON, in order.
    line_items: Vec<Box<str>>,
    line_item_ids: Vec<Box<str>>,
    /// Completed with a delayed payment method, waiting for its outcome.
    pub awaiting_async: bool,
    /// `total_details.breakdown`, rendered only when expanded.
    breakdown: Option<Box<str>>,
    /// The coupon and promotion code completion redeems.
    pub redeems: Vec<(crate::catalogue::Kind, String)>,
    /// Taxes that wait for the customer's address (`dynamic_tax_rates`, `automatic_tax`).
    pub by_location: Option<Box<crate::pricing::LocationTax>>,
    /// What completion hands to the objects it makes, as given at creation:
    /// `payment_intent_data`, `subscription_data`, `setup_intent_data` (compact JSON).
    handoff: Option<Box<str>>,
    /// What pricing read from the create request, for repricing when the customer changes
    /// the basket on the page ([`crate::lifecycle::adjust`]); `None` in setup mode.
    pricing_params: Option<Box<str>>,
}

impl Session {
    fn new(
        object: Map<String, Value>,
        account: Option<String>,
        seq: u64,
        items: Vec<Value>,
    ) -> Session {
        let line_item_ids = items
            .iter()
            .map(|it| it["id"].as_str().unwrap_or_default().into())
            .collect();
        let mut session = Session {
            json: "{}".into(),
            index: Index::default(),
            account,
            seq,
            line_items: items.iter().map(|it| it.to_string().into()).collect(),
            line_item_ids,
            awaiting_async: false,
            breakdown: None,
            redeems: Vec::new(),
            by_location: None,
            handoff: None,
            pricing_params: None,
        };
        session.store(object);
        session
    }

    /// The object, parsed (it was written by [`Session::store`], so it parses).
    pub fn object(&self) -> Map<String, Value> {
        serde_json::from_str(&self.json).unwrap_or_default()
    }

    /// The object as the API returns it (without expansions).
    pub fn value(&self) -> Value {
        Value::Object(self.object())
    }

    /// Whether this session is `customer`'s and was paid (for promotion codes'
    /// `first_time_transaction`).
    pub fn paid_by(&self, customer: &str) -> bool {
        self.index.status == "complete"
            && self.json.contains("\"payment_status\":\"paid\"")
            && self.object().get("customer").and_then(Value::as_str) == Some(customer)
    }

    /// `{"payment_intent_data": …, "subscription_data": …, "setup_intent_data": …}` as given
    /// at creation (absent ones missing; `null` when none was given).
    pub fn handoff(&self) -> Value {
        self.handoff
            .as_deref()
            .and_then(|h| serde_json::from_str(h).ok())
            .unwrap_or(Value::Null)
    }

    /// The line items as objects.
    pub fn line_item_values(&self) -> Vec<Value> {
        self.line_items
            .iter()
            .map(|it| serde_json::from_str(it).unwrap_or(Value::Null))
            .collect()
    }

    /// Replaces the line items (same ids, new amounts) and the breakdown after repricing.
    pub fn reprice(&mut self, items: &[Value], breakdown: &Value) {
        self.line_items = items.iter().map(|it| it.to_string().into()).collect();
        self.breakdown = Some(breakdown.to_string().into());
    }

    /// What pricing read from the create request (as changed since on the page).
    pub fn pricing_params(&self) -> Option<Map<String, Value>> {
        serde_json::from_str(self.pricing_params.as_deref()?).ok()
    }

    /// Keeps what pricing reads, for the next repricing.
    pub fn set_pricing_params(&mut self, params: &Map<String, Value>) {
        self.pricing_params = Some(Value::Object(params.clone()).to_string().into());
    }

    /// Replaces the object (and its index).
    pub fn store(&mut self, object: Map<String, Value>) {
        self.index = Index::of(&object);
        self.json = Value::Object(object).to_string().into();
    }
}

impl State {
    /// The session `id` of `account`, else 404 `resource_missing`.
    fn session(&self, account: &Option<String>, id: &str) -> Result<&Session, FakeError> {
        match self.sessions.get(id) {
            Some(s) if &s.account == account => Ok(s),
            _ => Err(FakeError::missing("checkout.session", id, "session", 404)),
        }
    }

    /// The session `id` of `account`, for a change, else 404 `resource_missing`.
    pub(crate) fn session_mut(
        &mut self,
        account: &Option<String>,
        id: &str,
    ) -> Result<&mut Session, FakeError> {
        match self.sessions.get_mut(id) {
            Some(s) if &s.account == account => Ok(s),
            _ => Err(FakeError::missing("checkout.session", id, "session", 404)),
        }
    }

    /// `POST /v1/checkout/sessions`.
    pub fn create(
        &mut self,
        account: &Option<String>,
        p: &Map<String, Value>,
        base_url: &str,
    ) -> Result<String, FakeError> {
        // Stripe's rules on the params alone (rules.rs), before anything is looked up.
        rules::check_create(p)?;

        let now = self.now();
        let mode = str_param(p, "mode").unwrap_or("payment").to_owned();
        let ui_mode = str_param(p, "ui_mode").unwrap_or("hosted_page").to_owned();
        rules::ui_mode_urls(p, &ui_mode)?;
        rules::metadata_limits(p)?;

        let raw_items: &[Value] = match p.get("line_items") {
            Some(Value::Array(items)) => items,
            _ => &[],
        };
        rules::line_items_required_unless_setup(&mode, raw_items.len())?;
        rules::no_line_items_in_setup_mode(&mode, raw_items.len())?;
        rules::at_most_100_line_items_in_payment_mode(&mode, raw_items.len())?;
        let mut items = Vec::with_capacity(raw_items.len());
        let mut recurring = 0;
        for (i, raw) in raw_items.iter().enumerate() {
            let (item, is_recurring) = self.line_item(account, i, raw, now)?;
            if is_recurring {
                recurring += 1;
                rules::recurring_price_not_in_payment_mode(&mode, i)?;
            }
            items.push(item);
        }
        rules::subscription_needs_a_recurring_price(&mode, recurring)?;
        rules::at_most_20_and_20_line_items_in_subscription_mode(
            &mode,
            recurring,
            items.len() - recurring,
        )?;
        let currency = match (items.first(), str_param(p, "currency")) {
            (Some(first), _) => Some(first["currency"].as_str().unwrap_or_default().to_owned()),
            (None, Some(c)) => Some(c.to_ascii_lowercase()),
            (None, None) => None,
        };
        if let Some(currency) = &currency {
            rules::one_currency(&items, currency)?;
        }
        let expires_at = rules::expires_at_within_30_minutes_to_24_hours(p, now)?;

        let id = self.id("cs_test_a1");
        let pricing = match (&currency, mode != "setup") {
            (Some(currency), true) => {
                let basket = Basket {
                    account,
                    session_id: &id,
                    currency,
                    customer: str_param(p, "customer"),
                    raw_items,
                };
                Some(self.price_session(&basket, p, &mut items)?)
            }
            _ => None,
        };
        let mut s = match session_skeleton() {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        // Top-level scalars the session echoes as given (locale, submit_type, …).
        for (key, value) in p {
            let echo = matches!(value, Value::String(_) | Value::Bool(_) | Value::Number(_))
                && s.contains_key(key.as_str())
                && !matches!(
                    key.as_str(),
                    "line_items" | "expand" | "mode" | "ui_mode" | "customer"
                );
            if echo && value != &json!("") {
                s.insert(key.clone(), value.clone());
            }
        }
        let total = pricing
            .as_ref()
            .and_then(|p| p.fields.get("amount_total"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let priced = mode != "setup";
        s.insert("id".into(), json!(id));
        s.insert("object".into(), json!("checkout.session"));
        s.insert("created".into(), json!(now));
        s.insert("expires_at".into(), json!(expires_at));
        s.insert("livemode".into(), json!(false));
        s.insert("mode".into(), json!(mode));
        s.insert("ui_mode".into(), json!(ui_mode));
        s.insert("status".into(), json!("open"));
        s.insert(
            "payment_status".into(),
            json!(if priced && total > 0 {
                "unpaid"
            } else {
                "no_payment_required"
            }),
        );
        s.insert("currency".into(), json!(currency));
        let (breakdown, redeems, by_location, pricing_params) = match pricing {
            Some(priced) => {
                let kept = crate::lifecycle::adjust::pricing_params(p, &priced.fields);
                s.extend(priced.fields);
                (
                    Some(priced.breakdown.to_string().into()),
                    priced.redeems,
                    priced.by_location,
                    Some(kept.to_string().into()),
                )
            }
            None => (None, Vec::new(), None, None),
        };
        // What the page collects (lifecycle/collected.rs).
        crate::lifecycle::collected::echo_on_create(p, &mut s);
        s.insert(
            "metadata".into(),
            match p.get("metadata") {
                Some(Value::Object(m)) => Value::Object(
                    m.iter()
                        .filter(|(_, v)| *v != &json!(""))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                _ => json!({}),
            },
        );
        s.insert(
            "payment_method_types".into(),
            p.get("payment_method_types")
                .cloned()
                .unwrap_or(json!(["card"])),
        );
        if let Some(customer) = str_param(p, "customer") {
            s.insert("customer".into(), json!(customer));
        }
        if mode == "payment" && !s.get("customer_creation").is_some_and(Value::is_string) {
            s.insert("customer_creation".into(), json!("if_required"));
        }
        if mode != "payment" {
            s.insert("customer_creation".into(), Value::Null);
        }
        if ui_mode == "hosted_page" {
            s.insert("url".into(), json!(format!("{base_url}/c/pay/{id}")));
        } else {
            let secret = self.id("_secret_");
            s.insert("client_secret".into(), json!(format!("{id}{secret}")));
            s.insert(
                "redirect_on_completion".into(),
                json!(str_param(p, "redirect_on_completion").unwrap_or("always")),
            );
            if let Some(url) = str_param(p, "return_url") {
                s.insert("return_url".into(), json!(url));
            }
        }
        // `after_expiration[recovery]` (lifecycle/recovery.rs).
        self.after_expiration(p, &id, base_url, &mut s);

        self.seq += 1;
        let mut session = Session::new(s, account.clone(), self.seq, items);
        session.breakdown = breakdown;
        session.redeems = redeems;
        session.by_location = by_location;
        let handoff: Map<String, Value> = [
            "payment_intent_data",
            "subscription_data",
            "setup_intent_data",
        ]
        .into_iter()
        .filter_map(|k| Some((k.to_owned(), p.get(k)?.clone())))
        .collect();
        if !handoff.is_empty() {
            session.handoff = Some(Value::Object(handoff).to_string().into());
        }
        session.pricing_params = pricing_params;
        let out = self.render_session(&session, expand_list(p))?;
        self.sessions.insert(id, session);
        Ok(out)
    }

    /// One `line_items[i]`: the item object and whether its price is recurring.
    fn line_item(
        &mut self,
        account: &Option<String>,
        i: usize,
        raw: &Value,
        now: i64,
    ) -> Result<(Value, bool), FakeError> {
        let quantity = raw["quantity"].as_i64();
        let (price, name) = match (
            raw.get("price").and_then(Value::as_str),
            raw.get("price_data"),
        ) {
            (Some(id), None) => match self.registered_price(account, id) {
                // <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items-price>:
                // only active prices can be sold.
                Some((price, _)) if price["active"] != json!(true) => {
                    return Err(FakeError::param(
                        format!("line_items[{i}][price]"),
                        "The price specified is inactive. This field only accepts active prices.",
                    ))
                }
                Some(found) => found,
                None => {
                    return Err(FakeError::missing(
                        "price",
                        id,
                        &format!("line_items[{i}][price]"),
                        400,
                    ))
                }
            },
            (None, Some(data)) => {
                let currency = data["currency"]
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let unit_amount = match (
                    data["unit_amount"].as_i64(),
                    data["unit_amount_decimal"].as_str(),
                ) {
                    (Some(amount), _) => amount,
                    (None, Some(decimal)) => money::unit_amount_from_decimal(decimal),
                    (None, None) => {
                        return Err(FakeError::missing_param(&format!(
                            "line_items[{i}][price_data][unit_amount]"
                        )))
                    }
                };
                rules::unit_amount_not_negative(i, unit_amount)?;
                let (product, name) = match (data["product"].as_str(), data.get("product_data")) {
                    (Some(product), None) => (product.to_owned(), "Fake product".to_owned()),
                    (None, Some(pd)) => (
                        self.id("prod_"),
                        pd["name"].as_str().unwrap_or_default().to_owned(),
                    ),
                    _ => {
                        return Err(FakeError::param(
                            format!("line_items[{i}][price_data]"),
                            "You must specify exactly one of `product` or `product_data`.",
                        ))
                    }
                };
                let interval = data["recurring"]["interval"].as_str().map(str::to_owned);
                let id = self.id("price_");
                let price = self.price_object(
                    &id,
                    unit_amount,
                    &currency,
                    interval.as_deref(),
                    &product,
                    false,
                    now,
                );
                (price, name)
            }
            _ => {
                return Err(FakeError::param(
                    format!("line_items[{i}]"),
                    "You must specify exactly one of `price` or `price_data`.",
                ))
            }
        };
        let quantity = rules::quantity_at_least_one(i, quantity)?;
        let unit = price["unit_amount"].as_i64().unwrap_or(0);
        let amount = money::line_amount(i, unit, quantity)?;
        let recurring = price["type"] == "recurring";
        let mut item = item_skeleton().clone();
        if let Some(it) = item.as_object_mut() {
            it.insert("id".into(), json!(self.id("li_")));
            it.insert("object".into(), json!("item"));
            it.insert("amount_discount".into(), json!(0));
            it.insert("amount_subtotal".into(), json!(amount));
            it.insert("amount_tax".into(), json!(0));
            it.insert("amount_total".into(), json!(amount));
            it.insert("currency".into(), price["currency"].clone());
            it.insert("description".into(), json!(name));
            it.insert("quantity".into(), json!(quantity));
            if let Some(metadata) = raw.get("metadata") {
                it.insert("metadata".into(), metadata.clone());
            }
            // <https://docs.stripe.com/payments/checkout/adjustable-quantity>
            if let Some(Value::Object(adjustable)) = raw.get("adjustable_quantity") {
                it.insert(
                    "adjustable_quantity".into(),
                    json!({
                        "enabled": adjustable.get("enabled") == Some(&json!(true)),
                        "maximum": adjustable.get("maximum").cloned().unwrap_or(Value::Null),
                        "minimum": adjustable.get("minimum").cloned().unwrap_or(Value::Null),
                    }),
                );
            }
            it.insert("price".into(), price);
        }
        Ok((item, recurring))
    }

    /// `GET /v1/checkout/sessions/{session}`.
    pub fn retrieve(
        &self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        self.render_session(self.session(account, id)?, expand_list(p))
    }

    /// `POST /v1/checkout/sessions/{session}`.
    pub fn update(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        let expand = expand_list(p);
        rules::metadata_limits(p)?;
        if p.contains_key("line_items") {
            return Err(FakeError::param(
                "line_items",
                "stripe-checkout-fake does not support updating `line_items`.",
            ));
        }
        let session = self.session_mut(account, id)?;
        let mut o = session.object();
        match p.get("metadata") {
            Some(Value::String(_)) => {
                o.insert("metadata".into(), json!({}));
            }
            Some(Value::Object(changes)) => {
                let mut metadata = match o.get("metadata") {
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
                o.insert("metadata".into(), Value::Object(metadata));
            }
            _ => {}
        }
        for key in ["collected_information", "shipping_options"] {
            if let Some(value) = p.get(key) {
                let value = if value == &json!("") {
                    Value::Null
                } else {
                    value.clone()
                };
                o.insert(key.into(), value);
            }
        }
        session.store(o);
        let snapshot = session.clone();
        self.render_session(&snapshot, expand)
    }

    /// `GET /v1/checkout/sessions`.
    pub fn list(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        let expand = expand_list(p);
        for e in &expand {
            if !e.starts_with("data.") {
                return Err(FakeError::param(
                    "expand",
                    format!("This property cannot be expanded ({e}). You may want to try expanding 'data.{e}' instead."),
                ));
            }
        }
        let mut all: Vec<&Session> = self
            .sessions
            .values()
            .filter(|s| &s.account == account)
            .collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.seq));
        let filtered: Vec<&Session> = all.into_iter().filter(|s| s.index.matches(p)).collect();
        let ids: Vec<&str> = filtered.iter().map(|s| s.index.id.as_str()).collect();
        let (start, end, has_more) = page(&ids, p, |id| {
            self.sessions.get(id).is_some_and(|s| &s.account == account)
        })?;
        let mut data = Vec::with_capacity(end - start);
        let each: Vec<String> = expand
            .iter()
            .filter_map(|e| e.strip_prefix("data.").map(str::to_owned))
            .collect();
        for s in &filtered[start..end] {
            data.push(self.render_session(s, each.clone())?);
        }
        Ok(list_json(&data, has_more, "/v1/checkout/sessions"))
    }

    /// `GET /v1/checkout/sessions/{session}/line_items`.
    pub fn list_line_items(
        &self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        let session = self.session(account, id)?;
        let ids: Vec<&str> = session.line_item_ids.iter().map(|i| &**i).collect();
        let (start, end, has_more) = page(&ids, p, |x| ids.contains(&x))?;
        Ok(list_json(
            &session.line_items[start..end],
            has_more,
            &format!("/v1/checkout/sessions/{id}/line_items"),
        ))
    }

    /// The session as the API returns it, whatever its account.
    pub fn peek(&self, id: &str) -> Option<Value> {
        self.sessions.get(id).map(Session::value)
    }
}

/// `expand[]` as given.
pub(crate) fn expand_list(p: &Map<String, Value>) -> Vec<String> {
    match p.get("expand") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The session's expandable fields that name an object a completed session made (expanded,
/// also nested such as `subscription.latest_invoice`, by [`State::render_session`]).
const OBJECT_FIELDS: &[&str] = &[
    "customer",
    "invoice",
    "payment_intent",
    "setup_intent",
    "subscription",
];

impl State {
    /// The session as the API returns it with `expand[]` applied: `line_items`,
    /// `total_details.breakdown`, and the objects completion made (`customer`,
    /// `payment_intent`, `subscription`, `invoice`, `setup_intent`, and paths below them such
    /// as `subscription.latest_invoice`). <https://docs.stripe.com/api/expanding_objects>
    pub(crate) fn render_session(
        &self,
        session: &Session,
        expand: Vec<String>,
    ) -> Result<String, FakeError> {
        let objects: Vec<String> = expand
            .iter()
            .filter(|e| OBJECT_FIELDS.contains(&e.split('.').next().unwrap_or_default()))
            .cloned()
            .collect();
        let own: Vec<String> = expand
            .into_iter()
            .filter(|e| !objects.contains(e))
            .collect();
        let json = render(session, own)?;
        if objects.is_empty() {
            return Ok(json);
        }
        let mut value = parsed(json)?;
        self.expand(&session.account, &mut value, &objects, "")?;
        Ok(value.to_string())
    }
}

/// The session as the API returns it, with `line_items` and `total_details.breakdown` when
/// expanded. The objects completion made are expanded by [`State::render_session`];
/// `payment_link` stays an id.
pub(crate) fn render(session: &Session, expand: Vec<String>) -> Result<String, FakeError> {
    const EXPANDABLE: &[&str] = &["line_items", "payment_link", "total_details.breakdown"];
    let mut expand_items = false;
    let mut expand_breakdown = false;
    for (i, e) in expand.iter().enumerate() {
        let field = e.strip_prefix("data.").unwrap_or(e);
        if !EXPANDABLE.contains(&field) {
            return Err(FakeError::param(
                format!("expand[{i}]"),
                format!("This property cannot be expanded ({e})."),
            ));
        }
        expand_items |= field == "line_items";
        expand_breakdown |= field == "total_details.breakdown";
    }
    if !expand_items && !expand_breakdown {
        return Ok(session.json.to_string());
    }
    let mut object = session.object();
    if let (true, Some(breakdown), Some(Value::Object(details))) = (
        expand_breakdown,
        &session.breakdown,
        object.get_mut("total_details"),
    ) {
        details.insert("breakdown".into(), parsed(breakdown.to_string())?);
    }
    if !expand_items {
        return Ok(Value::Object(object).to_string());
    }
    let first: Vec<&str> = session.line_items.iter().take(10).map(|i| &**i).collect();
    let url = format!("/v1/checkout/sessions/{}/line_items", session.index.id);
    let list = list_json(&first, session.line_items.len() > 10, &url);
    object.insert("line_items".into(), parsed(list)?);
    Ok(Value::Object(object).to_string())
}

/// A rendered object back as a value, for the Rust API.
pub(crate) fn parsed(json: String) -> Result<Value, FakeError> {
    serde_json::from_str(&json).map_err(|e| FakeError {
        status: 500,
        kind: "api_error",
        code: None,
        param: None,
        message: format!("stripe-checkout-fake wrote invalid JSON: {e}"),
    })
}
