//! Invoices of subscriptions: the first one a `subscription`-mode session makes
//! (`billing_reason=subscription_create`, its lines and totals the session's), and one per
//! renewal (`subscription_cycle`, the subscription items at their prices). API 2026 puts the
//! subscription under `parent.subscription_details` and each line's under
//! `parent.subscription_item_details`, and prices under `pricing.price_details`.
//!
//! <https://docs.stripe.com/api/invoices/object>, <https://docs.stripe.com/api/invoice-line-item/object>,
//! <https://docs.stripe.com/invoicing/overview#invoice-lifecycle> (draft → open → paid),
//! <https://docs.stripe.com/changelog/basil/2025-03-31/add-parent-field-to-invoice-line-items>.

use serde_json::{json, Map, Value};

use super::{not_supported, param_not_supported, skeleton, text, ObjectKind};
use crate::catalogue::merge_metadata;
use crate::error::FakeError;
use crate::rules;
use crate::state::{RequestContext, State};

/// How an invoice's payment went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Paid at once: `paid`.
    Paid,
    /// A delayed payment under way: `open` until it settles.
    Pending,
    /// The payment failed: `open`, to be retried.
    Failed,
}

/// One invoice line: a subscription item (or a one-time line item of the first invoice) for a
/// period.
pub(crate) struct Line<'a> {
    pub description: String,
    pub price: &'a Value,
    pub quantity: i64,
    /// Before discounts and taxes.
    pub amount: i64,
    pub subscription_item: Option<&'a str>,
    pub period: (i64, i64),
    pub metadata: Value,
    /// Stripe's line `taxes`.
    pub taxes: Value,
}

/// What an invoice adds up to.
pub(crate) struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub shipping: i64,
    pub total: i64,
}

/// An invoice to make for a subscription.
pub(crate) struct Draft<'a> {
    pub id: &'a str,
    pub account: &'a Option<String>,
    pub subscription: &'a Map<String, Value>,
    pub billing_reason: &'static str,
    pub lines: Vec<Line<'a>>,
    pub totals: Totals,
    /// `period_start`/`period_end`: the creation time for the first invoice, the period that
    /// ended for a renewal.
    pub period: (i64, i64),
    pub outcome: Outcome,
    /// When it was made, finalized and (if paid) paid: now, or the period boundary it renews.
    pub at: i64,
}

impl State {
    /// Makes and stores the invoice; the caller emits its events.
    pub(crate) fn make_invoice(&mut self, draft: Draft<'_>) -> Map<String, Value> {
        let now = draft.at;
        let sub = draft.subscription;
        let customer = text(sub, "customer").to_owned();
        let currency = sub.get("currency").cloned().unwrap_or(Value::Null);
        let number = self.next_invoice_number(draft.account, &customer);
        let customer_object = self
            .objects
            .get(ObjectKind::Customer, draft.account, &customer)
            .unwrap_or_default();
        let mut o = skeleton(ObjectKind::Invoice, draft.id, now);
        let t = &draft.totals;
        let paid = draft.outcome == Outcome::Paid;
        o.insert("account_country".into(), json!("US"));
        o.insert("account_name".into(), json!("stripe-checkout-fake"));
        o.insert("amount_due".into(), json!(t.total));
        o.insert("amount_paid".into(), json!(if paid { t.total } else { 0 }));
        o.insert(
            "amount_remaining".into(),
            json!(if paid { 0 } else { t.total }),
        );
        o.insert("amount_shipping".into(), json!(t.shipping));
        o.insert("attempt_count".into(), json!(i64::from(t.total > 0)));
        o.insert("attempted".into(), json!(t.total > 0));
        o.insert("auto_advance".into(), json!(!paid));
        o.insert(
            "automatic_tax".into(),
            json!({
                "disabled_reason": null,
                "enabled": sub.get("automatic_tax").and_then(|a| a.get("enabled")).cloned().unwrap_or(json!(false)),
                "liability": null,
                "provider": null,
                "status": null,
            }),
        );
        o.insert("billing_reason".into(), json!(draft.billing_reason));
        o.insert("currency".into(), currency.clone());
        o.insert("customer".into(), json!(customer));
        for (field, from) in [
            ("customer_address", "address"),
            ("customer_email", "email"),
            ("customer_name", "name"),
            ("customer_phone", "phone"),
            ("customer_shipping", "shipping"),
        ] {
            o.insert(
                field.into(),
                customer_object.get(from).cloned().unwrap_or(Value::Null),
            );
        }
        o.insert("customer_tax_exempt".into(), json!("none"));
        o.insert("customer_tax_ids".into(), json!([]));
        o.insert("default_tax_rates".into(), json!([]));
        o.insert("effective_at".into(), json!(now));
        o.insert("ending_balance".into(), json!(0));
        o.insert("issuer".into(), json!({ "type": "self" }));
        let url = format!("/v1/invoices/{}/lines", draft.id);
        let lines: Vec<Value> = draft
            .lines
            .iter()
            .map(|line| self.invoice_line(draft.id, sub, line, &currency))
            .collect();
        o.insert(
            "lines".into(),
            json!({ "object": "list", "data": lines, "has_more": false, "url": url }),
        );
        o.insert("metadata".into(), json!({}));
        o.insert("number".into(), json!(number));
        o.insert(
            "parent".into(),
            json!({
                "quote_details": null,
                "subscription_details": {
                    "metadata": sub.get("metadata").cloned().unwrap_or(json!({})),
                    "subscription": text(sub, "id"),
                },
                "type": "subscription_details",
            }),
        );
        o.insert("period_start".into(), json!(draft.period.0));
        o.insert("period_end".into(), json!(draft.period.1));
        o.insert("status".into(), json!(if paid { "paid" } else { "open" }));
        o.insert(
            "status_transitions".into(),
            json!({
                "finalized_at": now,
                "marked_uncollectible_at": null,
                "paid_at": if paid { json!(now) } else { Value::Null },
                "voided_at": null,
            }),
        );
        o.insert("subtotal".into(), json!(t.subtotal));
        o.insert("subtotal_excluding_tax".into(), json!(t.subtotal));
        o.insert("total".into(), json!(t.total));
        o.insert(
            "total_excluding_tax".into(),
            json!(t.total.saturating_sub(t.tax)),
        );
        o.insert(
            "total_discount_amounts".into(),
            if t.discount > 0 {
                json!([{ "amount": t.discount, "discount": null }])
            } else {
                json!([])
            },
        );
        o.insert("total_pretax_credit_amounts".into(), json!([]));
        let taxes: Vec<Value> = lines
            .iter()
            .filter_map(|l| l.get("taxes").and_then(Value::as_array))
            .flatten()
            .cloned()
            .collect();
        o.insert("total_taxes".into(), Value::Array(taxes));
        o.insert("webhooks_delivered_at".into(), json!(now));
        self.objects.insert(ObjectKind::Invoice, draft.account, &o);
        o
    }

    /// An invoice line item (`il_…`) of a subscription item.
    fn invoice_line(
        &mut self,
        invoice: &str,
        sub: &Map<String, Value>,
        line: &Line<'_>,
        currency: &Value,
    ) -> Value {
        let id = self.id("il_");
        let mut o = crate::skeletons::object("line_item");
        o.insert("id".into(), json!(id));
        o.insert("object".into(), json!("line_item"));
        o.insert("amount".into(), json!(line.amount));
        o.insert("currency".into(), currency.clone());
        o.insert("description".into(), json!(line.description));
        o.insert("discount_amounts".into(), json!([]));
        o.insert("discountable".into(), json!(true));
        o.insert("invoice".into(), json!(invoice));
        o.insert("livemode".into(), json!(false));
        o.insert("metadata".into(), line.metadata.clone());
        o.insert(
            "parent".into(),
            json!({
                "invoice_item_details": null,
                "subscription_item_details": {
                    "invoice_item": null,
                    "proration": false,
                    "proration_details": { "credited_items": null },
                    "subscription": text(sub, "id"),
                    "subscription_item": line.subscription_item,
                },
                "type": "subscription_item_details",
            }),
        );
        o.insert(
            "period".into(),
            json!({ "end": line.period.1, "start": line.period.0 }),
        );
        o.insert("pretax_credit_amounts".into(), json!([]));
        o.insert(
            "pricing".into(),
            json!({
                "price_details": { "price": line.price["id"], "product": line.price["product"] },
                "type": "price_details",
                "unit_amount_decimal": line.price["unit_amount_decimal"],
            }),
        );
        o.insert("quantity".into(), json!(line.quantity));
        o.insert("subscription".into(), json!(text(sub, "id")));
        o.insert("subtotal".into(), json!(line.amount));
        o.insert("taxes".into(), line.taxes.clone());
        Value::Object(o)
    }

    /// The payment of an `open` invoice settled: `paid` (emits `invoice.paid`,
    /// `invoice.payment_succeeded`) or failed (`invoice.payment_failed`). Returns the invoice.
    pub(crate) fn settle_invoice(
        &mut self,
        account: &Option<String>,
        id: &str,
        succeeded: bool,
    ) -> Option<Map<String, Value>> {
        let mut o = self.objects.get(ObjectKind::Invoice, account, id)?;
        let now = self.now();
        if succeeded {
            let total = o.get("total").cloned().unwrap_or(json!(0));
            o.insert("status".into(), json!("paid"));
            o.insert("amount_paid".into(), total);
            o.insert("amount_remaining".into(), json!(0));
            o.insert("auto_advance".into(), json!(false));
            if let Some(Value::Object(transitions)) = o.get_mut("status_transitions") {
                transitions.insert("paid_at".into(), json!(now));
            }
        }
        self.objects.replace(ObjectKind::Invoice, &o);
        self.emit_invoice_outcome(account, &o, succeeded);
        Some(o)
    }

    /// `invoice.paid` then `invoice.payment_succeeded`, or `invoice.payment_failed`
    /// (<https://docs.stripe.com/billing/subscriptions/webhooks#events>).
    pub(crate) fn emit_invoice_outcome(
        &mut self,
        account: &Option<String>,
        invoice: &Map<String, Value>,
        paid: bool,
    ) {
        let ctx = RequestContext::default();
        let kinds: &[&str] = if paid {
            &["invoice.paid", "invoice.payment_succeeded"]
        } else {
            &["invoice.payment_failed"]
        };
        for kind in kinds {
            self.emit_event(kind, Value::Object(invoice.clone()), account, &ctx, None);
        }
    }

    /// `GET /v1/invoices`: filtered by `customer`, `subscription`, `status`,
    /// `collection_method`. <https://docs.stripe.com/api/invoices/list>
    pub fn list_invoices(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        if p.contains_key("due_date") {
            return Err(param_not_supported(
                "due_date",
                "listing invoices (its invoices are charged automatically and have none)",
            ));
        }
        let want = |key: &str| p.get(key).and_then(Value::as_str);
        let (customer, subscription, status, method, customer_account) = (
            want("customer"),
            want("subscription"),
            want("status"),
            want("collection_method"),
            want("customer_account"),
        );
        self.list_made(ObjectKind::Invoice, account, p, |inv| {
            let of_subscription = inv
                .get("parent")
                .and_then(|p| p.get("subscription_details"))
                .and_then(|d| d.get("subscription"))
                .and_then(Value::as_str);
            customer.is_none_or(|c| text(inv, "customer") == c)
                && subscription.is_none_or(|s| of_subscription == Some(s))
                && status.is_none_or(|s| text(inv, "status") == s)
                && method.is_none_or(|m| text(inv, "collection_method") == m)
                && customer_account.is_none_or(|c| text(inv, "customer_account") == c)
        })
    }

    /// `POST /v1/invoices/{invoice}`: `metadata` only (a finalized invoice's amounts cannot
    /// change, <https://docs.stripe.com/api/invoices/update>); emits `invoice.updated`.
    pub fn update_invoice(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        rules::metadata_limits(p)?;
        if let Some(key) = p
            .keys()
            .find(|k| !matches!(k.as_str(), "metadata" | "expand"))
        {
            return Err(param_not_supported(
                key,
                "updating invoices (only `metadata`)",
            ));
        }
        let mut o = self
            .objects
            .get(ObjectKind::Invoice, account, id)
            .ok_or_else(|| FakeError::missing("invoice", id, "invoice", 404))?;
        let before = o.get("metadata").cloned().unwrap_or(json!({}));
        merge_metadata(&mut o, p.get("metadata"));
        if o.get("metadata") != Some(&before) {
            self.objects.replace(ObjectKind::Invoice, &o);
            self.emit_event(
                "invoice.updated",
                Value::Object(o),
                account,
                ctx,
                Some(json!({ "metadata": before })),
            );
        }
        self.retrieve_made(ObjectKind::Invoice, account, id, p)
    }

    /// `DELETE /v1/invoices/{invoice}`: only drafts can be deleted
    /// (<https://docs.stripe.com/api/invoices/delete>), and the fake's invoices are finalized.
    pub fn delete_invoice(&self, account: &Option<String>, id: &str) -> Result<String, FakeError> {
        let invoice = self
            .objects
            .get(ObjectKind::Invoice, account, id)
            .ok_or_else(|| FakeError::missing("invoice", id, "invoice", 404))?;
        Err(FakeError::invalid(
            None,
            None,
            format!(
                "You can only delete draft invoices. This invoice is {}; void it or mark it uncollectible instead.",
                text(&invoice, "status")
            ),
        ))
    }

    /// `POST /v1/invoices`: the fake's invoices come from subscriptions only.
    pub fn create_invoice(&self) -> Result<String, FakeError> {
        Err(not_supported(
            "POST",
            "/v1/invoices",
            "its invoices are made by subscriptions (a subscription-mode Checkout Session and its renewals)",
        ))
    }
}
