//! Subscriptions on the fake clock: when it passes a period end, a subscription renews — a
//! new `subscription_cycle` invoice for its items, paid (`invoice.paid`,
//! `invoice.payment_succeeded`) or, after [`crate::FakeStripe::fail_next_renewal`], failed
//! (`invoice.payment_failed`, the subscription `past_due`) — and moves to the next period
//! (`customer.subscription.updated` with the previous `items` and `latest_invoice`). A trial
//! ends the same way (`trialing` → `active`). A subscription set to `cancel_at_period_end`
//! ends instead (`customer.subscription.deleted`).
//!
//! <https://docs.stripe.com/billing/subscriptions/overview#subscription-lifecycle>,
//! <https://docs.stripe.com/billing/subscriptions/webhooks#events>,
//! <https://docs.stripe.com/billing/subscriptions/overview#failed-payments>,
//! <https://docs.stripe.com/billing/subscriptions/cancel#cancel-at-end-of-cycle>.

use serde_json::{json, Map, Value};

use crate::objects::invoices::{Draft, Line, Outcome, Totals};
use crate::objects::subscriptions::{end, interval, line_description, period, renews, set_period};
use crate::objects::{periods, text, ObjectKind};
use crate::state::{RequestContext, State};

/// The most periods one clock step renews a subscription by (ten years of daily billing).
const MAX_RENEWALS: usize = 3_700;

impl State {
    /// Renews (or ends) every subscription whose period ended by now, oldest first.
    pub(crate) fn renew_due(&mut self) {
        let now = self.now();
        let due: Vec<(String, Option<String>)> = self
            .objects
            .all_accounts(ObjectKind::Subscription)
            .into_iter()
            .filter(|(sub, _)| renews(text(sub, "status")) && period(sub).1 <= now)
            .map(|(sub, account)| (text(&sub, "id").to_owned(), account))
            .collect();
        for (id, account) in due {
            for _ in 0..MAX_RENEWALS {
                if !self.renew_once(&account, &id, now) {
                    break;
                }
            }
        }
    }

    /// Handles one period end of subscription `id` if it is due by `now`; `false` when nothing
    /// was due (or it ended).
    fn renew_once(&mut self, account: &Option<String>, id: &str, now: i64) -> bool {
        let Some(mut sub) = self.objects.get(ObjectKind::Subscription, account, id) else {
            return false;
        };
        let (start, boundary) = period(&sub);
        if !renews(text(&sub, "status")) || boundary > now {
            return false;
        }
        let ctx = RequestContext::default();
        if sub.get("cancel_at_period_end") == Some(&json!(true))
            || sub
                .get("cancel_at")
                .and_then(Value::as_i64)
                .is_some_and(|at| at <= boundary)
        {
            end(&mut sub, boundary, now, "cancellation_requested");
            self.objects.replace(ObjectKind::Subscription, &sub);
            self.failing_renewals.remove(id);
            self.emit_event(
                "customer.subscription.deleted",
                Value::Object(sub),
                account,
                &ctx,
                None,
            );
            return false;
        }
        let (interval, count) = interval(&sub);
        let anchor = sub
            .get("billing_cycle_anchor")
            .and_then(Value::as_i64)
            .unwrap_or(boundary);
        let Some(next) = periods::next_end(anchor, &interval, count, boundary) else {
            return false;
        };
        let fails = self.failing_renewals.remove(id);
        let invoice_id = self.id("in_");
        let previous = json!({
            "items": sub.get("items").cloned().unwrap_or(Value::Null),
            "latest_invoice": sub.get("latest_invoice").cloned().unwrap_or(Value::Null),
            "status": sub.get("status").cloned().unwrap_or(Value::Null),
        });
        set_period(&mut sub, boundary, next);
        sub.insert("latest_invoice".into(), json!(invoice_id));
        sub.insert(
            "status".into(),
            json!(if fails { "past_due" } else { "active" }),
        );

        let items: Vec<Value> = sub
            .get("items")
            .and_then(|i| i["data"].as_array())
            .cloned()
            .unwrap_or_default();
        let names: Vec<String> = items
            .iter()
            .map(|it| self.product_name(account, &it["price"]))
            .collect();
        let lines: Vec<Line<'_>> = items
            .iter()
            .zip(&names)
            .map(|(it, name)| {
                let quantity = it["quantity"].as_i64().unwrap_or(1);
                let unit = it["price"]["unit_amount"].as_i64().unwrap_or(0);
                Line {
                    description: line_description(name, &it["price"], quantity),
                    price: &it["price"],
                    quantity,
                    amount: unit.saturating_mul(quantity),
                    subscription_item: it["id"].as_str(),
                    period: (boundary, next),
                    metadata: sub.get("metadata").cloned().unwrap_or(json!({})),
                    taxes: json!([]),
                }
            })
            .collect();
        let total = lines
            .iter()
            .fold(0i64, |sum, l| sum.saturating_add(l.amount));
        let invoice = self.make_invoice(Draft {
            id: &invoice_id,
            account,
            subscription: &sub,
            billing_reason: "subscription_cycle",
            lines,
            totals: Totals {
                subtotal: total,
                discount: 0,
                tax: 0,
                shipping: 0,
                total,
            },
            period: (start, boundary),
            outcome: if fails {
                Outcome::Failed
            } else {
                Outcome::Paid
            },
            at: boundary,
        });
        self.objects.replace(ObjectKind::Subscription, &sub);
        self.emit_invoice_outcome(account, &invoice, !fails);
        self.emit_event(
            "customer.subscription.updated",
            Value::Object(sub),
            account,
            &ctx,
            Some(previous),
        );
        true
    }

    /// The name of a price's product, for invoice lines ("Fake product" when unknown).
    fn product_name(&self, account: &Option<String>, price: &Value) -> String {
        let product = match &price["product"] {
            Value::String(id) => self
                .catalogue
                .get(crate::catalogue::Kind::Product, account, id)
                .cloned(),
            Value::Object(p) => Some(p.clone()),
            _ => None,
        };
        product
            .as_ref()
            .map(|p: &Map<String, Value>| text(p, "name").to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Fake product".to_owned())
    }
}
