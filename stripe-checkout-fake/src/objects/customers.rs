//! Customers: the one a completed session creates (with the email, name, address and phone the
//! customer entered on the page) and `/v1/customers` itself (create, retrieve, update, delete,
//! list by `email`), so a shop's test can also make the customer it passes as a session's
//! `customer`.
//!
//! When Checkout creates a customer: in `subscription` mode always, in `payment` mode only with
//! `customer_creation=always` (with `if_required`, the default, it makes a guest customer that
//! is no Customer object) — <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-customer_creation>,
//! <https://docs.stripe.com/payments/checkout/guest-customers>. The object:
//! <https://docs.stripe.com/api/customers/object>.

use serde_json::{json, Map, Value};

use super::{param_not_supported, skeleton, text, ObjectKind};
use crate::catalogue::merge_metadata;
use crate::error::FakeError;
use crate::rules;
use crate::state::{RequestContext, State};

/// The `/v1/customers` parameters the fake acts on (create and update), each a property of the
/// customer stored as given (`address` and `shipping` completed to Stripe's shape).
const SETTABLE: &[&str] = &[
    "address",
    "balance",
    "business_name",
    "description",
    "email",
    "individual_name",
    "invoice_prefix",
    "metadata",
    "name",
    "next_invoice_sequence",
    "phone",
    "preferred_locales",
    "shipping",
    "tax_exempt",
];

/// Stripe's `address` hash with every part present.
fn address(given: &Value) -> Value {
    match given {
        Value::Object(parts) => {
            let part = |k: &str| parts.get(k).cloned().unwrap_or(Value::Null);
            json!({
                "city": part("city"),
                "country": part("country"),
                "line1": part("line1"),
                "line2": part("line2"),
                "postal_code": part("postal_code"),
                "state": part("state"),
            })
        }
        _ => Value::Null,
    }
}

impl State {
    /// A customer as a completed session creates it, from the session's `customer_details`
    /// (email, name, address, phone); stored, and `customer.created` emitted.
    pub(crate) fn customer_from_session(
        &mut self,
        id: &str,
        account: &Option<String>,
        details: &Value,
        locale: Option<&str>,
    ) -> Map<String, Value> {
        let mut o = self.new_customer(id);
        for key in ["email", "name", "phone"] {
            o.insert(key.into(), details.get(key).cloned().unwrap_or(Value::Null));
        }
        o.insert(
            "address".into(),
            address(details.get("address").unwrap_or(&Value::Null)),
        );
        if let Some(locale) = locale.filter(|l| *l != "auto") {
            o.insert("preferred_locales".into(), json!([locale]));
        }
        self.objects.insert(ObjectKind::Customer, account, &o);
        self.emit_event(
            "customer.created",
            Value::Object(o.clone()),
            account,
            &RequestContext::default(),
            None,
        );
        o
    }

    /// A customer's defaults (<https://docs.stripe.com/api/customers/object>).
    fn new_customer(&mut self, id: &str) -> Map<String, Value> {
        let now = self.now();
        let prefix: String = self
            .id("")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect::<String>()
            .to_ascii_uppercase();
        let mut o = skeleton(ObjectKind::Customer, id, now);
        o.insert("balance".into(), json!(0));
        o.insert("delinquent".into(), json!(false));
        o.insert("invoice_prefix".into(), json!(prefix));
        o.insert("metadata".into(), json!({}));
        o.insert("next_invoice_sequence".into(), json!(1));
        o.insert("preferred_locales".into(), json!([]));
        o.insert("tax_exempt".into(), json!("none"));
        o
    }

    /// The customer's next invoice number (`{invoice_prefix}-0001`), counting it; `None` for
    /// a customer the fake does not hold. <https://docs.stripe.com/invoicing/customize#invoice-numbering-schemes>
    pub(crate) fn next_invoice_number(
        &mut self,
        account: &Option<String>,
        id: &str,
    ) -> Option<String> {
        let mut customer = self.objects.get(ObjectKind::Customer, account, id)?;
        let sequence = customer
            .get("next_invoice_sequence")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let number = format!("{}-{sequence:04}", text(&customer, "invoice_prefix"));
        customer.insert("next_invoice_sequence".into(), json!(sequence + 1));
        self.objects.replace(ObjectKind::Customer, &customer);
        Some(number)
    }

    /// `POST /v1/customers`: emits `customer.created`.
    pub fn create_customer(
        &mut self,
        account: &Option<String>,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        rules::metadata_limits(p)?;
        check_settable(p, "creating customers")?;
        let id = self.id("cus_");
        let mut o = self.new_customer(&id);
        apply(&mut o, p);
        self.objects.insert(ObjectKind::Customer, account, &o);
        self.emit_event("customer.created", Value::Object(o), account, ctx, None);
        self.retrieve_made(ObjectKind::Customer, account, &id, p)
    }

    /// `POST /v1/customers/{customer}`: the settable fields, `metadata` merged; emits
    /// `customer.updated` with the changed fields' previous values when something changed.
    pub fn update_customer(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        rules::metadata_limits(p)?;
        check_settable(p, "updating customers")?;
        let before = self.live_customer(account, id)?;
        let mut o = before.clone();
        apply(&mut o, p);
        if o != before {
            let previous: Map<String, Value> = before
                .iter()
                .filter(|(k, v)| o.get(k.as_str()) != Some(v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            self.objects.replace(ObjectKind::Customer, &o);
            self.emit_event(
                "customer.updated",
                Value::Object(o),
                account,
                ctx,
                Some(Value::Object(previous)),
            );
        }
        self.retrieve_made(ObjectKind::Customer, account, id, p)
    }

    /// `DELETE /v1/customers/{customer}`: the customer becomes `{"deleted": true}` and its
    /// subscriptions are canceled at once, as Stripe does
    /// (<https://docs.stripe.com/api/customers/delete>); emits `customer.subscription.deleted`
    /// for each, then `customer.deleted`.
    pub fn delete_customer(
        &mut self,
        account: &Option<String>,
        id: &str,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        let customer = self.live_customer(account, id)?;
        let subscriptions: Vec<String> = self
            .objects
            .all(ObjectKind::Subscription, account)
            .into_iter()
            .filter(|s| text(s, "customer") == id && text(s, "status") != "canceled")
            .map(|s| text(&s, "id").to_owned())
            .collect();
        for subscription in subscriptions.iter().rev() {
            self.cancel_now(account, subscription, ctx, "cancellation_requested")?;
        }
        let deleted = json!({ "id": id, "object": "customer", "deleted": true });
        if let Value::Object(tombstone) = &deleted {
            self.objects.replace(ObjectKind::Customer, tombstone);
        }
        self.emit_event(
            "customer.deleted",
            Value::Object(customer),
            account,
            ctx,
            None,
        );
        Ok(deleted.to_string())
    }

    /// `GET /v1/customers`: filtered by `email` (exact, case-sensitive, as Stripe's is);
    /// deleted customers are not listed. <https://docs.stripe.com/api/customers/list>
    pub fn list_customers(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        if p.contains_key("test_clock") {
            return Err(param_not_supported(
                "test_clock",
                "listing customers (it has no test clocks; see /_fake/clock)",
            ));
        }
        let email = p.get("email").and_then(Value::as_str);
        self.list_made(ObjectKind::Customer, account, p, |c| {
            c.get("deleted").is_none() && email.is_none_or(|e| c.get("email") == Some(&json!(e)))
        })
    }

    /// A customer that exists and is not deleted, else 404 `resource_missing`.
    fn live_customer(
        &self,
        account: &Option<String>,
        id: &str,
    ) -> Result<Map<String, Value>, FakeError> {
        match self.objects.get(ObjectKind::Customer, account, id) {
            Some(c) if c.get("deleted").is_none() => Ok(c),
            _ => Err(FakeError::missing("customer", id, "id", 404)),
        }
    }
}

/// Refuses the parameters the spec allows but the fake does not act on (payment methods,
/// sources, tax ids, cash balance, test clocks, invoice settings).
fn check_settable(p: &Map<String, Value>, what: &str) -> Result<(), FakeError> {
    match p
        .keys()
        .find(|k| k.as_str() != "expand" && !SETTABLE.contains(&k.as_str()))
    {
        Some(key) => Err(param_not_supported(key, what)),
        None => Ok(()),
    }
}

/// Writes the settable parameters onto the customer (`""` unsets; metadata merged).
fn apply(o: &mut Map<String, Value>, p: &Map<String, Value>) {
    for (key, value) in p {
        match key.as_str() {
            "expand" => {}
            "metadata" => merge_metadata(o, Some(value)),
            "address" => {
                o.insert(key.clone(), address(value));
            }
            "shipping" => {
                let shipping = match value {
                    Value::Object(s) => json!({
                        "address": address(s.get("address").unwrap_or(&Value::Null)),
                        "carrier": null,
                        "name": s.get("name").cloned().unwrap_or(Value::Null),
                        "phone": s.get("phone").cloned().unwrap_or(Value::Null),
                        "tracking_number": null,
                    }),
                    _ => Value::Null,
                };
                o.insert(key.clone(), shipping);
            }
            _ if value == &json!("") => {
                o.insert(key.clone(), Value::Null);
            }
            _ => {
                o.insert(key.clone(), value.clone());
            }
        }
    }
}
