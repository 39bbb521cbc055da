//! What a completed Checkout Session leaves behind: customers, payment intents (with their
//! charge and payment method), subscriptions and their invoices, setup intents. Each is built
//! from its generated skeleton (every property of the 2026-05-27 object), kept as compact JSON
//! beside its account, and served over `/v1` as Stripe serves it: retrieve, the lists shops use,
//! and the few updates a shop makes (a customer's details, a subscription's
//! `cancel_at_period_end`). One file per object; [`expand`] replaces ids by objects.
//!
//! Sources: <https://docs.stripe.com/api/customers>, <https://docs.stripe.com/api/payment_intents>,
//! <https://docs.stripe.com/api/charges>, <https://docs.stripe.com/api/payment_methods>,
//! <https://docs.stripe.com/api/subscriptions>, <https://docs.stripe.com/api/invoices>,
//! <https://docs.stripe.com/api/setup_intents>.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::error::FakeError;
use crate::lists;
use crate::state::State;

pub(crate) mod customers;
pub(crate) mod expand;
pub(crate) mod invoices;
pub(crate) mod payment_intents;
pub(crate) mod periods;
pub(crate) mod setup_intents;
pub(crate) mod subscriptions;

/// A kind of object a completed session makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ObjectKind {
    Customer,
    PaymentIntent,
    Charge,
    PaymentMethod,
    Subscription,
    Invoice,
    SetupIntent,
}

impl ObjectKind {
    /// The `object` value (and the skeleton's and error messages' name).
    pub fn object(self) -> &'static str {
        match self {
            ObjectKind::Customer => "customer",
            ObjectKind::PaymentIntent => "payment_intent",
            ObjectKind::Charge => "charge",
            ObjectKind::PaymentMethod => "payment_method",
            ObjectKind::Subscription => "subscription",
            ObjectKind::Invoice => "invoice",
            ObjectKind::SetupIntent => "setup_intent",
        }
    }

    /// The collection's path, for list `url`s.
    pub fn path(self) -> &'static str {
        match self {
            ObjectKind::Customer => "/v1/customers",
            ObjectKind::PaymentIntent => "/v1/payment_intents",
            ObjectKind::Charge => "/v1/charges",
            ObjectKind::PaymentMethod => "/v1/payment_methods",
            ObjectKind::Subscription => "/v1/subscriptions",
            ObjectKind::Invoice => "/v1/invoices",
            ObjectKind::SetupIntent => "/v1/setup_intents",
        }
    }

    /// The kind an expandable field holds (`latest_invoice` → invoice), for `expand[]`.
    pub fn of_field(field: &str) -> Option<ObjectKind> {
        Some(match field {
            "customer" => ObjectKind::Customer,
            "payment_intent" => ObjectKind::PaymentIntent,
            "latest_charge" | "charge" => ObjectKind::Charge,
            "payment_method" | "default_payment_method" => ObjectKind::PaymentMethod,
            "subscription" => ObjectKind::Subscription,
            "latest_invoice" | "invoice" => ObjectKind::Invoice,
            "setup_intent" => ObjectKind::SetupIntent,
            _ => return None,
        })
    }
}

/// One object as compact JSON (a held object costs its JSON, not a tree of maps), whose it is,
/// and its creation order (lists are newest first).
#[derive(Debug, Clone)]
struct Stored {
    json: Box<str>,
    account: Option<String>,
    seq: u64,
}

/// Every object completed sessions made, by kind and id.
#[derive(Debug, Default)]
pub(crate) struct Objects {
    map: HashMap<(ObjectKind, Box<str>), Stored>,
    seq: u64,
}

impl Objects {
    /// Stores a new object (its `id` is the key).
    pub fn insert(
        &mut self,
        kind: ObjectKind,
        account: &Option<String>,
        object: &Map<String, Value>,
    ) {
        self.seq += 1;
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
        self.map.insert(
            (kind, id.into()),
            Stored {
                json: Value::Object(object.clone()).to_string().into(),
                account: account.clone(),
                seq: self.seq,
            },
        );
    }

    /// Replaces a stored object, keeping its account and place in lists; `false` if unknown.
    pub fn replace(&mut self, kind: ObjectKind, object: &Map<String, Value>) -> bool {
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
        match self.map.get_mut(&(kind, id.into())) {
            Some(stored) => {
                stored.json = Value::Object(object.clone()).to_string().into();
                true
            }
            None => false,
        }
    }

    /// The object, if `account` can see it.
    pub fn get(
        &self,
        kind: ObjectKind,
        account: &Option<String>,
        id: &str,
    ) -> Option<Map<String, Value>> {
        self.map
            .get(&(kind, id.into()))
            .filter(|s| &s.account == account)
            .and_then(|s| serde_json::from_str(&s.json).ok())
    }

    /// The object whatever its account, with that account (for the fake's own controls).
    pub fn get_any(
        &self,
        kind: ObjectKind,
        id: &str,
    ) -> Option<(Map<String, Value>, Option<String>)> {
        let stored = self.map.get(&(kind, id.into()))?;
        let object = serde_json::from_str(&stored.json).ok()?;
        Some((object, stored.account.clone()))
    }

    /// Every object of `kind` that `account` can see, newest first.
    pub fn all(&self, kind: ObjectKind, account: &Option<String>) -> Vec<Map<String, Value>> {
        let mut found: Vec<&Stored> = self
            .map
            .iter()
            .filter(|((k, _), s)| *k == kind && &s.account == account)
            .map(|(_, s)| s)
            .collect();
        found.sort_by_key(|s| std::cmp::Reverse(s.seq));
        found
            .into_iter()
            .filter_map(|s| serde_json::from_str(&s.json).ok())
            .collect()
    }

    /// Every object of `kind` of any account, oldest first, with its account (for renewals).
    pub fn all_accounts(&self, kind: ObjectKind) -> Vec<(Map<String, Value>, Option<String>)> {
        let mut found: Vec<&Stored> = self
            .map
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, s)| s)
            .collect();
        found.sort_by_key(|s| s.seq);
        found
            .into_iter()
            .filter_map(|s| Some((serde_json::from_str(&s.json).ok()?, s.account.clone())))
            .collect()
    }
}

/// A string field, or `""`.
pub(crate) fn text<'a>(o: &'a Map<String, Value>, key: &str) -> &'a str {
    o.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The skeleton of `kind` with its id, `created` and `livemode`, and the optional properties
/// Stripe leaves out unless they apply or are expanded (the generator fills in every
/// structured property): `tax` of customers (`expand[]=tax`), `hooks` and `presentment_details`
/// (Adaptive Pricing) of payment intents, charges and subscriptions, `threshold_reason` of
/// invoices (billing thresholds).
pub(crate) fn skeleton(kind: ObjectKind, id: &str, created: i64) -> Map<String, Value> {
    let mut o = crate::skeletons::object(kind.object());
    for absent in [
        "tax",
        "hooks",
        "presentment_details",
        "threshold_reason",
        "radar_options",
    ] {
        o.remove(absent);
    }
    o.insert("id".into(), json!(id));
    o.insert("object".into(), json!(kind.object()));
    o.insert("created".into(), json!(created));
    o.insert("livemode".into(), json!(false));
    o
}

/// The 400 for an operation the fake's spec subset names but the fake does not perform
/// (creating payment intents, invoices, subscriptions through `/v1`, …).
pub(crate) fn not_supported(method: &str, path: &str, why: &str) -> FakeError {
    FakeError::invalid(
        None,
        None,
        format!("stripe-checkout-fake does not support {method} {path}: {why}"),
    )
}

/// A parameter the fake accepts on this operation in Stripe's spec but does not act on.
pub(crate) fn param_not_supported(param: &str, what: &str) -> FakeError {
    FakeError::param(
        param,
        format!("stripe-checkout-fake does not support `{param}` when {what}."),
    )
}

impl State {
    /// `GET /v1/<objects>/{id}`: the object with `expand[]` applied, else 404
    /// `resource_missing` naming `param`.
    pub fn retrieve_made(
        &self,
        kind: ObjectKind,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        let object = self
            .objects
            .get(kind, account, id)
            .ok_or_else(|| FakeError::missing(kind.object(), id, "id", 404))?;
        let mut value = Value::Object(object);
        self.expand(account, &mut value, &crate::sessions::expand_list(p), "")?;
        Ok(value.to_string())
    }

    /// `GET /v1/<objects>`: newest first, filtered by `keep`, paged, `expand[]=data.…` applied.
    pub fn list_made(
        &self,
        kind: ObjectKind,
        account: &Option<String>,
        p: &Map<String, Value>,
        keep: impl Fn(&Map<String, Value>) -> bool,
    ) -> Result<String, FakeError> {
        let all: Vec<Map<String, Value>> = self
            .objects
            .all(kind, account)
            .into_iter()
            .filter(|o| {
                lists::created_matches(
                    o.get("created").and_then(Value::as_i64).unwrap_or(0),
                    p.get("created").unwrap_or(&Value::Null),
                )
            })
            .filter(|o| keep(o))
            .collect();
        let ids: Vec<&str> = all.iter().map(|o| text(o, "id")).collect();
        let (start, end, has_more) =
            lists::page(&ids, p, |id| self.objects.get(kind, account, id).is_some())?;
        let expand = expand::list_expand(p)?;
        let mut data = Vec::with_capacity(end - start);
        for o in &all[start..end] {
            let mut value = Value::Object(o.clone());
            self.expand(account, &mut value, &expand, "data.")?;
            data.push(value.to_string());
        }
        Ok(lists::list_json(&data, has_more, kind.path()))
    }
}
