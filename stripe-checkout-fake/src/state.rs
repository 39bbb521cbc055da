//! The fake's state and the six operations' behaviour, with no I/O: sessions per account,
//! prices, the fake clock, and the events each change emits.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::params;

/// 30 minutes: the earliest `expires_at` Stripe accepts, from creation.
pub const MIN_EXPIRY: i64 = 30 * 60;
/// 24 hours: the latest (and default) `expires_at`, and how long idempotency keys live.
pub const DAY: i64 = 24 * 60 * 60;

fn skeleton(cell: &'static OnceLock<Value>, text: &str) -> &'static Value {
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or(Value::Null))
}

pub(crate) fn session_skeleton() -> &'static Value {
    static CELL: OnceLock<Value> = OnceLock::new();
    skeleton(&CELL, params::SESSION_SKELETON)
}

fn item_skeleton() -> &'static Value {
    static CELL: OnceLock<Value> = OnceLock::new();
    skeleton(&CELL, params::ITEM_SKELETON)
}

fn price_skeleton() -> &'static Value {
    static CELL: OnceLock<Value> = OnceLock::new();
    skeleton(&CELL, params::PRICE_SKELETON)
}

/// Who made a request, for the events it causes.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The `Request-Id` the fake answered with.
    pub request_id: Option<String>,
    /// The `Idempotency-Key` it was sent with.
    pub idempotency_key: Option<String>,
}

/// One session and what the fake keeps beside it. The object is kept as compact JSON (a
/// held session costs its JSON, not a tree of maps), with the fields lists filter on beside it.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    json: Box<str>,
    index: Index,
    pub account: Option<String>,
    pub seq: u64,
    /// Each line item as compact JSON, in order.
    line_items: Vec<Box<str>>,
    line_item_ids: Vec<Box<str>>,
    /// Completed with a delayed payment method, waiting for its outcome.
    pub awaiting_async: bool,
}

/// The fields of a session that lists filter and page on.
#[derive(Debug, Clone, Default)]
struct Index {
    id: String,
    status: String,
    created: i64,
    expires_at: i64,
    email: Option<String>,
    /// `customer`, `payment_intent`, `subscription`, `payment_link`, `customer_account`.
    ids: [Option<String>; 5],
}

const FILTERED_IDS: [&str; 5] = [
    "customer",
    "payment_intent",
    "subscription",
    "payment_link",
    "customer_account",
];

impl Index {
    fn of(o: &Map<String, Value>) -> Index {
        let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
        Index {
            id: text("id").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            created: o.get("created").and_then(Value::as_i64).unwrap_or(0),
            expires_at: o.get("expires_at").and_then(Value::as_i64).unwrap_or(0),
            email: o
                .get("customer_details")
                .and_then(|d| d.get("email"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            ids: FILTERED_IDS.map(text),
        }
    }
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
        };
        session.store(object);
        session
    }

    /// The object, parsed (it was written by [`Session::store`], so it parses).
    fn object(&self) -> Map<String, Value> {
        serde_json::from_str(&self.json).unwrap_or_default()
    }

    fn value(&self) -> Value {
        Value::Object(self.object())
    }

    fn store(&mut self, object: Map<String, Value>) {
        self.index = Index::of(&object);
        self.json = Value::Object(object).to_string().into();
    }
}

/// How a test completes a session.
#[derive(Debug, Clone)]
pub struct Completion {
    /// `true`: a delayed payment method (e.g. a bank debit): the session completes `unpaid`
    /// and waits for [`crate::FakeStripe::succeed_async_payment`] or `fail_async_payment`.
    pub delayed: bool,
    /// The customer's email (`customer_details.email`).
    pub email: String,
    /// The customer's name (`customer_details.name`).
    pub name: Option<String>,
}

impl Default for Completion {
    fn default() -> Self {
        Completion {
            delayed: false,
            email: "jenny.rosen@example.com".to_owned(),
            name: Some("Jenny Rosen".to_owned()),
        }
    }
}

impl Completion {
    /// Paid at once (a card).
    pub fn paid() -> Self {
        Completion::default()
    }

    /// With a delayed payment method: `complete` and `unpaid` until the outcome is known.
    pub fn delayed() -> Self {
        Completion {
            delayed: true,
            ..Completion::default()
        }
    }

    /// Sets the customer's email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = email.into();
        self
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

/// The fake's data.
#[derive(Debug)]
pub(crate) struct State {
    pub clock_offset: i64,
    seq: u64,
    rng: u64,
    pub sessions: HashMap<String, Session>,
    prices: HashMap<String, Value>,
    /// Events emitted, oldest first.
    pub events: Vec<Value>,
    /// Events emitted since the last `take_pending`.
    pending: Vec<Value>,
}

impl Default for State {
    fn default() -> Self {
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        State {
            clock_offset: 0,
            seq: 0,
            rng: seed | 1,
            sessions: HashMap::new(),
            prices: HashMap::new(),
            events: Vec::new(),
            pending: Vec::new(),
        }
    }
}

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl State {
    /// Unix seconds on the fake's clock.
    pub fn now(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        real.saturating_add(self.clock_offset)
    }

    fn next_u64(&mut self) -> u64 {
        // xorshift64*: ids need to be unique and look random, not be secret.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `prefix` + 24 random characters.
    pub fn id(&mut self, prefix: &str) -> String {
        let mut id = String::with_capacity(prefix.len() + 24);
        id.push_str(prefix);
        for _ in 0..4 {
            let mut bits = self.next_u64();
            for _ in 0..6 {
                id.push(ALPHABET[(bits % 62) as usize] as char);
                bits /= 62;
            }
        }
        id
    }

    /// Events emitted since the last call, for delivery.
    pub fn take_pending(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.pending)
    }

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

    #[allow(clippy::too_many_arguments)]
    fn price_object(
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

    fn emit(&mut self, kind: &str, session: &Session, ctx: &RequestContext) {
        let id = self.id("evt_");
        let mut event = json!({
            "id": id,
            "object": "event",
            "api_version": params::API_VERSION,
            "created": self.now(),
            "data": { "object": session.value() },
            "livemode": false,
            "pending_webhooks": 0,
            "request": {
                "id": ctx.request_id,
                "idempotency_key": ctx.idempotency_key,
            },
            "type": kind,
        });
        if let (Some(account), Some(e)) = (&session.account, event.as_object_mut()) {
            e.insert("account".into(), json!(account));
        }
        self.events.push(event.clone());
        self.pending.push(event);
    }

    fn session(&self, account: &Option<String>, id: &str) -> Result<&Session, ApiError> {
        match self.sessions.get(id) {
            Some(s) if &s.account == account => Ok(s),
            _ => Err(ApiError::missing("checkout.session", id, "session", 404)),
        }
    }

    fn session_mut(
        &mut self,
        account: &Option<String>,
        id: &str,
    ) -> Result<&mut Session, ApiError> {
        match self.sessions.get_mut(id) {
            Some(s) if &s.account == account => Ok(s),
            _ => Err(ApiError::missing("checkout.session", id, "session", 404)),
        }
    }

    /// `POST /v1/checkout/sessions`.
    pub fn create(
        &mut self,
        account: &Option<String>,
        p: &Map<String, Value>,
        base_url: &str,
    ) -> Result<String, ApiError> {
        let now = self.now();
        let mode = str_param(p, "mode").unwrap_or("payment").to_owned();
        let ui_mode = str_param(p, "ui_mode").unwrap_or("hosted_page").to_owned();
        check_ui_mode_urls(p, &ui_mode)?;
        check_metadata(p)?;

        let raw_items: &[Value] = match p.get("line_items") {
            Some(Value::Array(items)) => items,
            _ => &[],
        };
        if raw_items.is_empty() && (mode == "payment" || mode == "subscription") {
            return Err(ApiError::missing_param("line_items"));
        }
        if !raw_items.is_empty() && mode == "setup" {
            return Err(ApiError::param(
                "line_items",
                "You cannot pass `line_items` in `setup` mode.",
            ));
        }
        if mode == "payment" && raw_items.len() > 100 {
            return Err(ApiError::param(
                "line_items",
                "You can pass at most 100 `line_items` in `payment` mode.",
            ));
        }
        let mut items = Vec::with_capacity(raw_items.len());
        let mut recurring = 0;
        for (i, raw) in raw_items.iter().enumerate() {
            let (item, is_recurring) = self.line_item(i, raw, now)?;
            if is_recurring {
                recurring += 1;
                if mode == "payment" {
                    return Err(ApiError::param(
                        format!("line_items[{i}]"),
                        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
                    ));
                }
            }
            items.push(item);
        }
        if mode == "subscription" {
            if recurring == 0 {
                return Err(ApiError::param(
                    "line_items",
                    "You must provide at least one recurring price in `subscription` mode when using prices.",
                ));
            }
            if recurring > 20 || items.len() - recurring > 20 {
                return Err(ApiError::param(
                    "line_items",
                    "You can pass at most 20 recurring and 20 one-time `line_items` in `subscription` mode.",
                ));
            }
        }
        let currency = match (items.first(), str_param(p, "currency")) {
            (Some(first), _) => Some(first["currency"].as_str().unwrap_or_default().to_owned()),
            (None, Some(c)) => Some(c.to_owned()),
            (None, None) => None,
        };
        if let Some(currency) = &currency {
            if let Some(i) = items
                .iter()
                .position(|it| it["currency"] != json!(currency))
            {
                return Err(ApiError::param(
                    format!("line_items[{i}]"),
                    "All line items must use the same currency.",
                ));
            }
        }
        let expires_at = match p.get("expires_at").and_then(Value::as_i64) {
            Some(at) if at < now.saturating_add(MIN_EXPIRY) => {
                return Err(ApiError::param(
                    "expires_at",
                    "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
                ))
            }
            Some(at) if at > now.saturating_add(DAY) => {
                return Err(ApiError::param(
                    "expires_at",
                    "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
                ))
            }
            Some(at) => at,
            None => now.saturating_add(DAY),
        };

        let id = self.id("cs_test_a1");
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
        let subtotal = items
            .iter()
            .filter_map(|it| it["amount_subtotal"].as_i64())
            .try_fold(0i64, i64::checked_add)
            .ok_or_else(|| ApiError::param("line_items", "The total amount is too large."))?;
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
            json!(if priced && subtotal > 0 {
                "unpaid"
            } else {
                "no_payment_required"
            }),
        );
        s.insert("currency".into(), json!(currency));
        if priced {
            s.insert("amount_subtotal".into(), json!(subtotal));
            s.insert("amount_total".into(), json!(subtotal));
            s.insert(
                "total_details".into(),
                json!({ "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 }),
            );
        }
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
        self.seq += 1;
        let session = Session::new(s, account.clone(), self.seq, items);
        let out = render(&session, expand_list(p)?)?;
        self.sessions.insert(id, session);
        Ok(out)
    }

    /// One `line_items[i]`: the item object and whether its price is recurring.
    fn line_item(&mut self, i: usize, raw: &Value, now: i64) -> Result<(Value, bool), ApiError> {
        let quantity = raw["quantity"].as_i64();
        let (price, name) = match (
            raw.get("price").and_then(Value::as_str),
            raw.get("price_data"),
        ) {
            (Some(id), None) => match self.prices.get(id) {
                Some(found) => (
                    found["price"].clone(),
                    found["name"].as_str().unwrap_or_default().to_owned(),
                ),
                None => {
                    return Err(ApiError::missing(
                        "price",
                        id,
                        &format!("line_items[{i}][price]"),
                        400,
                    ))
                }
            },
            (None, Some(data)) => {
                let currency = data["currency"].as_str().unwrap_or_default().to_owned();
                let unit_amount = match (
                    data["unit_amount"].as_i64(),
                    data["unit_amount_decimal"].as_str(),
                ) {
                    (Some(amount), _) => amount,
                    (None, Some(decimal)) => decimal
                        .parse::<f64>()
                        .map(|d| d.round() as i64)
                        .unwrap_or(0),
                    (None, None) => {
                        return Err(ApiError::missing_param(&format!(
                            "line_items[{i}][price_data][unit_amount]"
                        )))
                    }
                };
                if unit_amount < 0 {
                    return Err(ApiError::param(
                        format!("line_items[{i}][price_data][unit_amount]"),
                        "This value must be greater than or equal to 0.",
                    ));
                }
                let (product, name) = match (data["product"].as_str(), data.get("product_data")) {
                    (Some(product), None) => (product.to_owned(), "Fake product".to_owned()),
                    (None, Some(pd)) => (
                        self.id("prod_"),
                        pd["name"].as_str().unwrap_or_default().to_owned(),
                    ),
                    _ => {
                        return Err(ApiError::param(
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
                return Err(ApiError::param(
                    format!("line_items[{i}]"),
                    "You must specify exactly one of `price` or `price_data`.",
                ))
            }
        };
        let Some(quantity) = quantity else {
            return Err(ApiError::missing_param(&format!(
                "line_items[{i}][quantity]"
            )));
        };
        if quantity < 1 {
            return Err(ApiError::param(
                format!("line_items[{i}][quantity]"),
                "This value must be greater than or equal to 1.",
            ));
        }
        let unit = price["unit_amount"].as_i64().unwrap_or(0);
        let amount = unit.checked_mul(quantity).ok_or_else(|| {
            ApiError::param(
                format!("line_items[{i}][quantity]"),
                "The amount is too large.",
            )
        })?;
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
    ) -> Result<String, ApiError> {
        render(self.session(account, id)?, expand_list(p)?)
    }

    /// `POST /v1/checkout/sessions/{session}`.
    pub fn update(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<String, ApiError> {
        let expand = expand_list(p)?;
        check_metadata(p)?;
        if p.contains_key("line_items") {
            return Err(ApiError::param(
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
        render(session, expand)
    }

    /// `POST /v1/checkout/sessions/{session}/expire`.
    pub fn expire(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, ApiError> {
        let expand = expand_list(p)?;
        let session = self.session_mut(account, id)?;
        let status = session.index.status.clone();
        if status != "open" {
            return Err(ApiError::invalid(
                None,
                None,
                format!("Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{status}\"."),
            ));
        }
        expire_session(session);
        let snapshot = session.clone();
        self.emit("checkout.session.expired", &snapshot, ctx);
        render(&snapshot, expand)
    }

    /// `GET /v1/checkout/sessions`.
    pub fn list(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, ApiError> {
        let expand = expand_list(p)?;
        let expand_items = expand.iter().any(|e| e == "data.line_items");
        for e in &expand {
            if !e.starts_with("data.") {
                return Err(ApiError::param(
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
        let filtered: Vec<&Session> = all.into_iter().filter(|s| matches_filters(s, p)).collect();
        let ids: Vec<&str> = filtered.iter().map(|s| s.index.id.as_str()).collect();
        let (start, end, has_more) = self.page(&ids, p, |id| {
            self.sessions.get(id).is_some_and(|s| &s.account == account)
        })?;
        let mut data = Vec::with_capacity(end - start);
        for s in &filtered[start..end] {
            let expand = if expand_items {
                vec!["line_items".into()]
            } else {
                vec![]
            };
            data.push(render(s, expand)?);
        }
        Ok(list_json(&data, has_more, "/v1/checkout/sessions"))
    }

    /// Which slice of `ids` (in list order) a page is, from `limit`, `starting_after` and
    /// `ending_before`; `exists` says whether a cursor names an object at all.
    fn page(
        &self,
        ids: &[&str],
        p: &Map<String, Value>,
        exists: impl Fn(&str) -> bool,
    ) -> Result<(usize, usize, bool), ApiError> {
        let limit = match p.get("limit").and_then(Value::as_i64) {
            None => 10,
            Some(n) if (1..=100).contains(&n) => n as usize,
            Some(n) => {
                return Err(ApiError::param(
                    "limit",
                    format!("Invalid limit: must be between 1 and 100 (it currently is {n})."),
                ))
            }
        };
        let cursor = |name: &str| -> Result<Option<usize>, ApiError> {
            let Some(id) = str_param(p, name) else {
                return Ok(None);
            };
            if !exists(id) {
                return Err(ApiError::missing("object", id, name, 400));
            }
            // A cursor that exists but is filtered out: position it by its place in the list.
            Ok(Some(ids.iter().position(|x| *x == id).unwrap_or(ids.len())))
        };
        if let Some(after) = cursor("starting_after")? {
            let start = (after + 1).min(ids.len());
            let end = (start + limit).min(ids.len());
            return Ok((start, end, end < ids.len()));
        }
        if let Some(before) = cursor("ending_before")? {
            let end = before.min(ids.len());
            let start = end.saturating_sub(limit);
            return Ok((start, end, start > 0));
        }
        let end = limit.min(ids.len());
        Ok((0, end, end < ids.len()))
    }

    /// `GET /v1/checkout/sessions/{session}/line_items`.
    pub fn list_line_items(
        &self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<String, ApiError> {
        let session = self.session(account, id)?;
        let ids: Vec<&str> = session.line_item_ids.iter().map(|i| &**i).collect();
        let (start, end, has_more) = self.page(&ids, p, |x| ids.contains(&x))?;
        Ok(list_json(
            &session.line_items[start..end],
            has_more,
            &format!("/v1/checkout/sessions/{id}/line_items"),
        ))
    }

    /// Completes an open session as the customer paying would.
    pub fn complete(&mut self, id: &str, how: &Completion) -> Result<Value, ApiError> {
        let customer_id = self.id("cus_");
        let payment_intent = self.id("pi_");
        let subscription = self.id("sub_");
        let invoice = self.id("in_");
        let setup_intent = self.id("seti_");
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(|| ApiError::missing("checkout.session", id, "session", 404))?;
        let status = session.index.status.clone();
        if status != "open" {
            return Err(ApiError::invalid(
                None,
                None,
                format!("Only Checkout Sessions with a status in [\"open\"] can be completed. This Checkout Session has a status of \"{status}\"."),
            ));
        }
        let mut object = session.object();
        let o = &mut object;
        let mode = o["mode"].as_str().unwrap_or_default().to_owned();
        let free = o["payment_status"] == "no_payment_required";
        o.insert("status".into(), json!("complete"));
        o.insert("url".into(), Value::Null);
        o.insert(
            "customer_details".into(),
            json!({
                "address": null,
                "business_name": null,
                "email": how.email,
                "individual_name": null,
                "name": how.name,
                "phone": null,
                "tax_exempt": "none",
                "tax_ids": [],
            }),
        );
        let wants_customer =
            mode == "subscription" || o.get("customer_creation") == Some(&json!("always"));
        if o["customer"].is_null() && wants_customer {
            o.insert("customer".into(), json!(customer_id));
        }
        match mode.as_str() {
            "payment" if !free => {
                o.insert("payment_intent".into(), json!(payment_intent));
            }
            "subscription" => {
                o.insert("subscription".into(), json!(subscription));
                o.insert("invoice".into(), json!(invoice));
            }
            "setup" => {
                o.insert("setup_intent".into(), json!(setup_intent));
            }
            _ => {}
        }
        if !free {
            let paid = if how.delayed { "unpaid" } else { "paid" };
            o.insert("payment_status".into(), json!(paid));
            session.awaiting_async = how.delayed;
        }
        session.store(object);
        let snapshot = session.clone();
        self.emit(
            "checkout.session.completed",
            &snapshot,
            &RequestContext::default(),
        );
        parsed(render(&snapshot, vec![])?)
    }

    /// Settles a delayed payment: `checkout.session.async_payment_succeeded` or `_failed`.
    pub fn settle_async(&mut self, id: &str, succeeded: bool) -> Result<Value, ApiError> {
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(|| ApiError::missing("checkout.session", id, "session", 404))?;
        if !session.awaiting_async {
            return Err(ApiError::invalid(
                None,
                None,
                format!("Checkout Session {id} has no delayed payment waiting: complete it with a delayed payment method first."),
            ));
        }
        session.awaiting_async = false;
        if succeeded {
            let mut o = session.object();
            o.insert("payment_status".into(), json!("paid"));
            session.store(o);
        }
        let snapshot = session.clone();
        let kind = if succeeded {
            "checkout.session.async_payment_succeeded"
        } else {
            "checkout.session.async_payment_failed"
        };
        self.emit(kind, &snapshot, &RequestContext::default());
        parsed(render(&snapshot, vec![])?)
    }

    /// Moves the clock forward; open sessions past `expires_at` expire (oldest first).
    pub fn advance(&mut self, seconds: i64) {
        self.clock_offset = self.clock_offset.saturating_add(seconds.max(0));
        let now = self.now();
        let mut due: Vec<(u64, String)> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.index.status == "open" && s.index.expires_at <= now)
            .map(|(id, s)| (s.seq, id.clone()))
            .collect();
        due.sort();
        for (_, id) in due {
            if let Some(session) = self.sessions.get_mut(&id) {
                expire_session(session);
                let snapshot = session.clone();
                self.emit(
                    "checkout.session.expired",
                    &snapshot,
                    &RequestContext::default(),
                );
            }
        }
    }

    /// The session as the API returns it, whatever its account.
    pub fn peek(&self, id: &str) -> Option<Value> {
        self.sessions.get(id).map(Session::value)
    }
}

fn expire_session(session: &mut Session) {
    let mut o = session.object();
    o.insert("status".into(), json!("expired"));
    o.insert("url".into(), Value::Null);
    session.store(o);
}

/// A rendered object back as a value, for the Rust API.
fn parsed(json: String) -> Result<Value, ApiError> {
    serde_json::from_str(&json).map_err(|e| ApiError {
        status: 500,
        kind: "api_error",
        code: None,
        param: None,
        message: format!("stripe-checkout-fake wrote invalid JSON: {e}"),
    })
}

/// `{"object":"list","data":[…],"has_more":…,"url":…}` from already-rendered objects.
fn list_json<S: AsRef<str>>(data: &[S], has_more: bool, url: &str) -> String {
    let mut out =
        String::with_capacity(64 + data.iter().map(|d| d.as_ref().len() + 1).sum::<usize>());
    out.push_str("{\"object\":\"list\",\"data\":[");
    for (i, item) in data.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item.as_ref());
    }
    out.push_str("],\"has_more\":");
    out.push_str(if has_more { "true" } else { "false" });
    out.push_str(",\"url\":");
    out.push_str(&Value::from(url).to_string());
    out.push('}');
    out
}

/// Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500.
/// <https://docs.stripe.com/api/metadata>
fn check_metadata(p: &Map<String, Value>) -> Result<(), ApiError> {
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
        return Err(ApiError::param(
            param,
            "Invalid metadata: You can specify up to 50 keys, with key names up to 40 characters long and values up to 500 characters long.",
        ));
    }
    Ok(())
}

fn str_param<'a>(p: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// `success_url`/`cancel_url` only for hosted sessions, `return_url` only for the others.
fn check_ui_mode_urls(p: &Map<String, Value>, ui_mode: &str) -> Result<(), ApiError> {
    if ui_mode == "hosted_page" {
        if p.contains_key("return_url") {
            return Err(ApiError::param(
                "return_url",
                "You can only pass `return_url` when `ui_mode` is `embedded_page` or `elements`.",
            ));
        }
        if str_param(p, "redirect_on_completion").is_some() {
            return Err(ApiError::param(
                "redirect_on_completion",
                "You can only pass `redirect_on_completion` when `ui_mode` is `embedded_page` or `elements`.",
            ));
        }
        return Ok(());
    }
    for url in ["success_url", "cancel_url"] {
        if p.contains_key(url) {
            return Err(ApiError::param(
                url,
                format!("You cannot pass `{url}` when `ui_mode` is `{ui_mode}`; use `return_url` instead."),
            ));
        }
    }
    let never = str_param(p, "redirect_on_completion") == Some("never");
    if never && p.contains_key("return_url") {
        return Err(ApiError::param(
            "return_url",
            "You cannot pass `return_url` when `redirect_on_completion` is `never`.",
        ));
    }
    if !never && str_param(p, "return_url").is_none() {
        return Err(ApiError::missing_param("return_url"));
    }
    Ok(())
}

fn expand_list(p: &Map<String, Value>) -> Result<Vec<String>, ApiError> {
    let list: Vec<String> = match p.get("expand") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Ok(list)
}

/// The session as the API returns it, with `line_items` when expanded. Other expandable
/// fields stay ids.
fn render(session: &Session, expand: Vec<String>) -> Result<String, ApiError> {
    const EXPANDABLE: &[&str] = &[
        "line_items",
        "customer",
        "invoice",
        "payment_intent",
        "payment_link",
        "setup_intent",
        "subscription",
    ];
    let mut expand_items = false;
    for (i, e) in expand.iter().enumerate() {
        let field = e.strip_prefix("data.").unwrap_or(e);
        if !EXPANDABLE.contains(&field) {
            return Err(ApiError::param(
                format!("expand[{i}]"),
                format!("This property cannot be expanded ({e})."),
            ));
        }
        expand_items |= field == "line_items";
    }
    if !expand_items {
        return Ok(session.json.to_string());
    }
    let mut object = session.object();
    let first: Vec<&str> = session.line_items.iter().take(10).map(|i| &**i).collect();
    let url = format!("/v1/checkout/sessions/{}/line_items", session.index.id);
    let list = list_json(&first, session.line_items.len() > 10, &url);
    object.insert("line_items".into(), parsed(list)?);
    Ok(Value::Object(object).to_string())
}

fn matches_filters(s: &Session, p: &Map<String, Value>) -> bool {
    if str_param(p, "status").is_some_and(|want| want != s.index.status) {
        return false;
    }
    for (key, have) in FILTERED_IDS.iter().zip(&s.index.ids) {
        if let Some(want) = str_param(p, key) {
            if have.as_deref() != Some(want) {
                return false;
            }
        }
    }
    if let Some(email) = p
        .get("customer_details")
        .and_then(|d| d.get("email"))
        .and_then(Value::as_str)
    {
        if s.index.email.as_deref() != Some(email) {
            return false;
        }
    }
    let created = s.index.created;
    match p.get("created") {
        Some(Value::Number(n)) => n.as_i64() == Some(created),
        Some(Value::Object(range)) => {
            let bound = |k: &str| range.get(k).and_then(Value::as_i64);
            bound("gt").is_none_or(|b| created > b)
                && bound("gte").is_none_or(|b| created >= b)
                && bound("lt").is_none_or(|b| created < b)
                && bound("lte").is_none_or(|b| created <= b)
        }
        _ => true,
    }
}
