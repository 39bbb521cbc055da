//! Subscriptions: the one a `subscription`-mode session makes when it completes, its items
//! from the session's recurring line items, and `/v1/subscriptions` (retrieve, list by
//! `customer`/`price`/`status`, update `cancel_at_period_end`/`metadata`/`description`, cancel).
//! Renewals on the fake clock are in [`crate::lifecycle::renewals`].
//!
//! Rules and sources:
//! - Checkout creates the subscription `active` once the first invoice is paid
//!   (<https://docs.stripe.com/payments/checkout/build-subscriptions>), `trialing` with
//!   `subscription_data[trial_period_days]` or `[trial_end]` (<https://docs.stripe.com/billing/subscriptions/trials>),
//!   `incomplete` while a delayed first payment is processing
//!   (<https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses>).
//! - Since API 2025-03-31 the billing period is on each item (`items.data[].current_period_start`
//!   / `_end`), not on the subscription (<https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end>);
//!   the period runs from the start (or trial end, the `billing_cycle_anchor`) one price
//!   interval at a time.
//! - `metadata` and `description` come from `subscription_data`
//!   (<https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-subscription_data>).
//! - Cancelling (`DELETE`) ends it now: `canceled`, `canceled_at`, `ended_at`,
//!   `cancellation_details.reason=cancellation_requested`, `customer.subscription.deleted`;
//!   `cancel_at_period_end=true` sets `cancel_at` to the period end, emits
//!   `customer.subscription.updated` now and `.deleted` when the period ends
//!   (<https://docs.stripe.com/billing/subscriptions/cancel>). A canceled subscription can only
//!   change its `metadata` and `cancellation_details` (<https://docs.stripe.com/api/subscriptions/update>).

use serde_json::{json, Map, Value};

use super::invoices::{Draft, Line, Outcome, Totals};
use super::{not_supported, param_not_supported, periods, skeleton, text, ObjectKind};
use crate::catalogue::merge_metadata;
use crate::error::FakeError;
use crate::rules;
use crate::state::{RequestContext, State, DAY};

/// What a completed `subscription`-mode session hands over.
pub(crate) struct Signup<'a> {
    pub id: &'a str,
    pub invoice: &'a str,
    pub account: &'a Option<String>,
    pub session: &'a Map<String, Value>,
    pub items: &'a [Value],
    /// `subscription_data` as given at creation (or `null`).
    pub data: &'a Value,
    pub customer: &'a str,
    pub payment_method: Option<String>,
    pub delayed: bool,
}

/// The statuses that renew (<https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses>).
pub(crate) fn renews(status: &str) -> bool {
    matches!(status, "active" | "trialing" | "past_due")
}

/// A subscription's billing interval: its first item's price's (Checkout requires every
/// recurring price of a session to share it).
pub(crate) fn interval(sub: &Map<String, Value>) -> (String, i64) {
    let recurring = sub
        .get("items")
        .and_then(|i| i["data"].get(0))
        .map(|item| &item["price"]["recurring"]);
    let interval = recurring
        .and_then(|r| r["interval"].as_str())
        .unwrap_or("month")
        .to_owned();
    let count = recurring
        .and_then(|r| r["interval_count"].as_i64())
        .unwrap_or(1)
        .max(1);
    (interval, count)
}

/// The current period of a subscription (its first item's).
pub(crate) fn period(sub: &Map<String, Value>) -> (i64, i64) {
    let item = sub.get("items").and_then(|i| i["data"].get(0));
    let at = |k: &str| item.and_then(|i| i[k].as_i64()).unwrap_or(0);
    (at("current_period_start"), at("current_period_end"))
}

/// Sets every item's period.
pub(crate) fn set_period(sub: &mut Map<String, Value>, start: i64, end: i64) {
    if let Some(Value::Array(items)) = sub.get_mut("items").and_then(|i| i.get_mut("data")) {
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            item.insert("current_period_start".into(), json!(start));
            item.insert("current_period_end".into(), json!(end));
        }
    }
}

/// "1 × T-shirt (at $15.00 / month)", as Stripe describes a subscription line.
pub(crate) fn line_description(name: &str, price: &Value, quantity: i64) -> String {
    let currency = price["currency"].as_str().unwrap_or("usd");
    let unit = price["unit_amount"].as_i64().unwrap_or(0);
    let recurring = &price["recurring"];
    let every = match (
        recurring["interval"].as_str(),
        recurring["interval_count"].as_i64(),
    ) {
        (Some(interval), Some(n)) if n > 1 => format!(" / every {n} {interval}s"),
        (Some(interval), _) => format!(" / {interval}"),
        (None, _) => String::new(),
    };
    format!(
        "{quantity} × {name} (at {}{every})",
        crate::money::format_amount(currency, unit)
    )
}

/// A session line item's `taxes` as an invoice line's (`tax_rate_details`).
fn invoice_line_taxes(item: &Value) -> Value {
    let taxes = item["taxes"].as_array().cloned().unwrap_or_default();
    Value::Array(
        taxes
            .iter()
            .map(|t| {
                let inclusive = t["rate"]["inclusive"] == json!(true);
                json!({
                    "amount": t["amount"],
                    "tax_behavior": if inclusive { "inclusive" } else { "exclusive" },
                    "tax_rate_details": { "tax_rate": t["rate"]["id"] },
                    "taxability_reason": "standard_rated",
                    "taxable_amount": t["taxable_amount"],
                    "type": "tax_rate_details",
                })
            })
            .collect(),
    )
}

impl State {
    /// The subscription and first invoice of a completed session; emits
    /// `customer.subscription.created`, then `invoice.paid` and `invoice.payment_succeeded`
    /// when the invoice is paid.
    pub(crate) fn subscription_from_session(&mut self, signup: &Signup<'_>) {
        let now = self.now();
        let data = signup.data;
        let session = signup.session;
        let trial_end = match (
            data["trial_end"].as_i64(),
            data["trial_period_days"].as_i64(),
        ) {
            (Some(end), _) => Some(end),
            (None, Some(days)) if days > 0 => Some(now.saturating_add(days.saturating_mul(DAY))),
            _ => None,
        };
        let status = match (trial_end.is_some(), signup.delayed) {
            (true, _) => "trialing",
            (false, true) => "incomplete",
            (false, false) => "active",
        };
        let recurring: Vec<&Value> = signup
            .items
            .iter()
            .filter(|it| it["price"]["type"] == "recurring")
            .collect();
        let first = recurring.first().map(|it| &it["price"]["recurring"]);
        let interval = first
            .and_then(|r| r["interval"].as_str())
            .unwrap_or("month")
            .to_owned();
        let count = first
            .and_then(|r| r["interval_count"].as_i64())
            .unwrap_or(1);
        let anchor = trial_end.unwrap_or(now);
        let period_end = trial_end
            .or_else(|| periods::advance(now, &interval, count, 1))
            .unwrap_or(now);
        let mut item_ids = Vec::with_capacity(recurring.len());
        let mut items = Vec::with_capacity(recurring.len());
        for it in &recurring {
            let si = self.id("si_");
            let mut item = crate::skeletons::object("subscription_item");
            item.insert("id".into(), json!(si));
            item.insert("object".into(), json!("subscription_item"));
            item.insert("created".into(), json!(now));
            item.insert("current_period_start".into(), json!(now));
            item.insert("current_period_end".into(), json!(period_end));
            item.insert("discounts".into(), json!([]));
            item.insert("metadata".into(), json!({}));
            item.insert("price".into(), it["price"].clone());
            item.insert("quantity".into(), it["quantity"].clone());
            item.insert("subscription".into(), json!(signup.id));
            let rates: Vec<Value> = it["taxes"]
                .as_array()
                .map(|t| {
                    t.iter()
                        .map(|t| t["rate"].clone())
                        .filter(|r| !r.is_null())
                        .collect()
                })
                .unwrap_or_default();
            item.insert("tax_rates".into(), Value::Array(rates));
            item_ids.push(si);
            items.push(Value::Object(item));
        }

        let mut o = skeleton(ObjectKind::Subscription, signup.id, now);
        o.insert(
            "automatic_tax".into(),
            json!({
                "disabled_reason": null,
                "enabled": session.get("automatic_tax").and_then(|a| a.get("enabled")).cloned().unwrap_or(json!(false)),
                "liability": null,
            }),
        );
        o.insert("billing_cycle_anchor".into(), json!(anchor));
        o.insert(
            "cancellation_details".into(),
            json!({ "comment": null, "feedback": null, "reason": null }),
        );
        o.insert(
            "currency".into(),
            session.get("currency").cloned().unwrap_or(Value::Null),
        );
        o.insert("customer".into(), json!(signup.customer));
        o.insert(
            "default_payment_method".into(),
            json!(signup.payment_method),
        );
        o.insert("default_tax_rates".into(), json!([]));
        o.insert(
            "description".into(),
            data.get("description").cloned().unwrap_or(Value::Null),
        );
        o.insert(
            "invoice_settings".into(),
            json!({ "account_tax_ids": null, "issuer": { "type": "self" } }),
        );
        o.insert(
            "items".into(),
            json!({
                "object": "list",
                "data": items,
                "has_more": false,
                "url": format!("/v1/subscription_items?subscription={}", signup.id),
            }),
        );
        o.insert("latest_invoice".into(), json!(signup.invoice));
        o.insert(
            "metadata".into(),
            data.get("metadata").cloned().unwrap_or(json!({})),
        );
        o.insert(
            "payment_settings".into(),
            json!({ "payment_method_options": null, "payment_method_types": null, "save_default_payment_method": "off" }),
        );
        o.insert("start_date".into(), json!(now));
        o.insert("status".into(), json!(status));
        if let Some(end) = trial_end {
            o.insert("trial_start".into(), json!(now));
            o.insert("trial_end".into(), json!(end));
            o.insert(
                "trial_settings".into(),
                json!({ "end_behavior": { "missing_payment_method": "create_invoice" } }),
            );
        }
        self.objects
            .insert(ObjectKind::Subscription, signup.account, &o);

        // The first invoice: the session's lines and totals; $0 during a trial
        // (<https://docs.stripe.com/billing/subscriptions/trials>).
        let trial = trial_end.is_some();
        let lines: Vec<Line<'_>> = signup
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let is_recurring = it["price"]["type"] == "recurring";
                let quantity = it["quantity"].as_i64().unwrap_or(1);
                let name = it["description"].as_str().unwrap_or_default();
                let amount = if trial {
                    0
                } else {
                    it["amount_subtotal"].as_i64().unwrap_or(0)
                };
                let description = if trial {
                    format!("Trial period for {name}")
                } else {
                    line_description(name, &it["price"], quantity)
                };
                let si = recurring
                    .iter()
                    .position(|r| std::ptr::eq(*r, it))
                    .and_then(|k| item_ids.get(k));
                Line {
                    description,
                    price: &it["price"],
                    quantity,
                    amount,
                    subscription_item: si.map(String::as_str).filter(|_| is_recurring),
                    period: if is_recurring {
                        (now, period_end)
                    } else {
                        (now, now)
                    },
                    metadata: data.get("metadata").cloned().unwrap_or(json!({})),
                    taxes: if trial {
                        json!([])
                    } else {
                        invoice_line_taxes(&signup.items[i])
                    },
                }
            })
            .collect();
        let amount = |k: &str| session.get(k).and_then(Value::as_i64).unwrap_or(0);
        let detail = |k: &str| {
            session
                .get("total_details")
                .and_then(|d| d[k].as_i64())
                .unwrap_or(0)
        };
        let totals = if trial {
            Totals {
                subtotal: 0,
                discount: 0,
                tax: 0,
                shipping: 0,
                total: 0,
            }
        } else {
            Totals {
                subtotal: amount("amount_subtotal"),
                discount: detail("amount_discount"),
                tax: detail("amount_tax"),
                shipping: detail("amount_shipping"),
                total: amount("amount_total"),
            }
        };
        let outcome = if signup.delayed && !trial {
            Outcome::Pending
        } else {
            Outcome::Paid
        };
        let invoice = self.make_invoice(Draft {
            id: signup.invoice,
            account: signup.account,
            subscription: &o,
            billing_reason: "subscription_create",
            lines,
            totals,
            period: (now, now),
            outcome,
            at: now,
        });
        let ctx = RequestContext::default();
        self.emit_event(
            "customer.subscription.created",
            Value::Object(o),
            signup.account,
            &ctx,
            None,
        );
        if outcome == Outcome::Paid {
            self.emit_invoice_outcome(signup.account, &invoice, true);
        }
    }

    /// The delayed first payment settled: the invoice is paid and the subscription `active`
    /// (`invoice.paid`, `invoice.payment_succeeded`, `customer.subscription.updated`), or the
    /// payment failed (`invoice.payment_failed`) and it stays `incomplete`
    /// (<https://docs.stripe.com/billing/subscriptions/overview#payment-status>).
    pub(crate) fn settle_subscription(
        &mut self,
        account: &Option<String>,
        id: &str,
        succeeded: bool,
    ) {
        let Some(mut sub) = self.objects.get(ObjectKind::Subscription, account, id) else {
            return;
        };
        let invoice = text(&sub, "latest_invoice").to_owned();
        self.settle_invoice(account, &invoice, succeeded);
        if succeeded && text(&sub, "status") == "incomplete" {
            sub.insert("status".into(), json!("active"));
            self.objects.replace(ObjectKind::Subscription, &sub);
            self.emit_event(
                "customer.subscription.updated",
                Value::Object(sub),
                account,
                &RequestContext::default(),
                Some(json!({ "status": "incomplete" })),
            );
        }
    }

    /// Ends a subscription now (`DELETE`, or its customer deleted): emits
    /// `customer.subscription.deleted`.
    pub(crate) fn cancel_now(
        &mut self,
        account: &Option<String>,
        id: &str,
        ctx: &RequestContext,
        reason: &str,
    ) -> Result<Map<String, Value>, FakeError> {
        let mut sub = self.live_subscription(account, id)?;
        let now = self.now();
        end(&mut sub, now, now, reason);
        self.objects.replace(ObjectKind::Subscription, &sub);
        self.failing_renewals.remove(id);
        self.emit_event(
            "customer.subscription.deleted",
            Value::Object(sub.clone()),
            account,
            ctx,
            None,
        );
        Ok(sub)
    }

    /// `DELETE /v1/subscriptions/{subscription_exposed_id}`.
    pub fn cancel_subscription(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        for flag in ["invoice_now", "prorate"] {
            if p.get(flag) == Some(&json!(true)) {
                return Err(param_not_supported(
                    flag,
                    "canceling subscriptions (it makes no final or prorated invoice)",
                ));
            }
        }
        let mut sub = self.cancel_now(account, id, ctx, "cancellation_requested")?;
        if let Some(Value::Object(details)) = p.get("cancellation_details") {
            if let Some(Value::Object(current)) = sub.get_mut("cancellation_details") {
                for (k, v) in details {
                    current.insert(
                        k.clone(),
                        if v == &json!("") {
                            Value::Null
                        } else {
                            v.clone()
                        },
                    );
                }
            }
            self.objects.replace(ObjectKind::Subscription, &sub);
        }
        self.retrieve_made(ObjectKind::Subscription, account, id, p)
    }

    /// `POST /v1/subscriptions/{subscription_exposed_id}`: `cancel_at_period_end`, `metadata`,
    /// `description`, `cancellation_details`; emits `customer.subscription.updated` with the
    /// changed fields' previous values when something changed.
    pub fn update_subscription(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        rules::metadata_limits(p)?;
        const SETTABLE: &[&str] = &[
            "cancel_at_period_end",
            "cancellation_details",
            "description",
            "expand",
            "metadata",
        ];
        if let Some(key) = p.keys().find(|k| !SETTABLE.contains(&k.as_str())) {
            return Err(param_not_supported(
                key,
                "updating subscriptions (it updates cancel_at_period_end, metadata, description and cancellation_details)",
            ));
        }
        let before = self
            .objects
            .get(ObjectKind::Subscription, account, id)
            .ok_or_else(|| {
                FakeError::missing("subscription", id, "subscription_exposed_id", 404)
            })?;
        let canceled = matches!(text(&before, "status"), "canceled" | "incomplete_expired");
        if canceled {
            if let Some(key) = p
                .keys()
                .find(|k| !matches!(k.as_str(), "metadata" | "cancellation_details" | "expand"))
            {
                return Err(FakeError::param(
                    key.clone(),
                    "A canceled subscription can only update its cancellation_details and metadata.",
                ));
            }
        }
        let mut sub = before.clone();
        merge_metadata(&mut sub, p.get("metadata"));
        if let Some(description) = p.get("description") {
            let value = if description == &json!("") {
                Value::Null
            } else {
                description.clone()
            };
            sub.insert("description".into(), value);
        }
        if let Some(Value::Object(details)) = p.get("cancellation_details") {
            if let Some(Value::Object(current)) = sub.get_mut("cancellation_details") {
                for (k, v) in details {
                    current.insert(
                        k.clone(),
                        if v == &json!("") {
                            Value::Null
                        } else {
                            v.clone()
                        },
                    );
                }
            }
        }
        if let Some(Value::Bool(at_end)) = p.get("cancel_at_period_end") {
            let (_, end) = period(&sub);
            sub.insert("cancel_at_period_end".into(), json!(at_end));
            sub.insert(
                "cancel_at".into(),
                if *at_end { json!(end) } else { Value::Null },
            );
            sub.insert(
                "canceled_at".into(),
                if *at_end {
                    json!(self.now())
                } else {
                    Value::Null
                },
            );
            if let Some(Value::Object(details)) = sub.get_mut("cancellation_details") {
                details.insert(
                    "reason".into(),
                    if *at_end {
                        json!("cancellation_requested")
                    } else {
                        Value::Null
                    },
                );
            }
        }
        if sub != before {
            let previous: Map<String, Value> = before
                .iter()
                .filter(|(k, v)| sub.get(k.as_str()) != Some(v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            self.objects.replace(ObjectKind::Subscription, &sub);
            self.emit_event(
                "customer.subscription.updated",
                Value::Object(sub),
                account,
                ctx,
                Some(Value::Object(previous)),
            );
        }
        self.retrieve_made(ObjectKind::Subscription, account, id, p)
    }

    /// `GET /v1/subscriptions`: filtered by `customer`, `price`, `status` (by default every
    /// status but `canceled`; `all`; `ended` is `canceled` and `incomplete_expired`),
    /// `collection_method`, `automatic_tax[enabled]`, `current_period_start`/`_end` (the items'
    /// periods). <https://docs.stripe.com/api/subscriptions/list>
    pub fn list_subscriptions(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        if p.contains_key("test_clock") {
            return Err(param_not_supported(
                "test_clock",
                "listing subscriptions (it has no test clocks; see /_fake/clock)",
            ));
        }
        let want = |key: &str| p.get(key).and_then(Value::as_str);
        let (customer, price, status, method, customer_account) = (
            want("customer"),
            want("price"),
            want("status"),
            want("collection_method"),
            want("customer_account"),
        );
        let automatic = p
            .get("automatic_tax")
            .and_then(|a| a.get("enabled"))
            .cloned();
        self.list_made(ObjectKind::Subscription, account, p, |sub| {
            let state = text(sub, "status");
            let status_ok = match status {
                None => state != "canceled",
                Some("all") => true,
                Some("ended") => matches!(state, "canceled" | "incomplete_expired"),
                Some(want) => state == want,
            };
            let (start, end) = period(sub);
            let has_price = price.is_none_or(|want| {
                sub.get("items")
                    .and_then(|i| i["data"].as_array())
                    .is_some_and(|items| items.iter().any(|it| it["price"]["id"] == want))
            });
            status_ok
                && has_price
                && customer.is_none_or(|c| text(sub, "customer") == c)
                && method.is_none_or(|m| text(sub, "collection_method") == m)
                && customer_account.is_none_or(|c| text(sub, "customer_account") == c)
                && automatic.as_ref().is_none_or(|a| {
                    sub.get("automatic_tax").and_then(|t| t.get("enabled")) == Some(a)
                })
                && crate::lists::created_matches(
                    start,
                    p.get("current_period_start").unwrap_or(&Value::Null),
                )
                && crate::lists::created_matches(
                    end,
                    p.get("current_period_end").unwrap_or(&Value::Null),
                )
        })
    }

    /// `POST /v1/subscriptions`: the fake's subscriptions come from Checkout.
    pub fn create_subscription(&self) -> Result<String, FakeError> {
        Err(not_supported(
            "POST",
            "/v1/subscriptions",
            "its subscriptions are made by completing a subscription-mode Checkout Session",
        ))
    }

    /// Marks the next renewal of subscription `id` (any account) to fail.
    pub(crate) fn fail_next_renewal(&mut self, id: &str) -> Result<Value, FakeError> {
        let Some((sub, _)) = self.objects.get_any(ObjectKind::Subscription, id) else {
            return Err(FakeError::missing("subscription", id, "subscription", 404));
        };
        if !renews(text(&sub, "status")) {
            return Err(FakeError::invalid(
                None,
                None,
                format!(
                    "Subscription {id} is {} and does not renew: only active, trialing and past_due subscriptions do.",
                    text(&sub, "status")
                ),
            ));
        }
        self.failing_renewals.insert(id.to_owned());
        Ok(Value::Object(sub))
    }

    /// A subscription that is not canceled, else 404 (unknown) or 400 (canceled).
    fn live_subscription(
        &self,
        account: &Option<String>,
        id: &str,
    ) -> Result<Map<String, Value>, FakeError> {
        let sub = self
            .objects
            .get(ObjectKind::Subscription, account, id)
            .ok_or_else(|| {
                FakeError::missing("subscription", id, "subscription_exposed_id", 404)
            })?;
        if matches!(text(&sub, "status"), "canceled" | "incomplete_expired") {
            return Err(FakeError::invalid(
                None,
                None,
                format!(
                    "This subscription is already {}: it cannot be canceled again.",
                    text(&sub, "status")
                ),
            ));
        }
        Ok(sub)
    }
}

/// Marks a subscription ended at `at` (`canceled_at` kept when it was requested earlier).
pub(crate) fn end(sub: &mut Map<String, Value>, at: i64, now: i64, reason: &str) {
    sub.insert("status".into(), json!("canceled"));
    sub.insert("ended_at".into(), json!(at));
    if sub.get("canceled_at").is_none_or(Value::is_null) {
        sub.insert("canceled_at".into(), json!(now.min(at)));
    }
    if let Some(Value::Object(details)) = sub.get_mut("cancellation_details") {
        if details.get("reason").is_none_or(Value::is_null) {
            details.insert("reason".into(), json!(reason));
        }
    }
}
