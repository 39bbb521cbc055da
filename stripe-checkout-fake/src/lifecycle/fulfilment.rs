//! What a session leaves behind when it completes, made in the order Stripe documents its
//! events as far as it does: the customer first (`customer.created`), then the payment
//! (`payment_intent.succeeded`/`.processing`), subscription (`customer.subscription.created`,
//! `invoice.paid`, `invoice.payment_succeeded`) or setup intent (`setup_intent.succeeded`),
//! and `checkout.session.completed` last, once everything it names exists. Stripe does not
//! promise delivery in that order (<https://docs.stripe.com/webhooks#event-ordering>).
//!
//! <https://docs.stripe.com/payments/checkout/fulfill-orders>,
//! <https://docs.stripe.com/billing/subscriptions/webhooks>,
//! <https://docs.stripe.com/api/checkout/sessions/object>.

use serde_json::Value;

use crate::objects::payment_intents::Payment;
use crate::objects::subscriptions::Signup;
use crate::objects::text;
use crate::sessions::Session;
use crate::state::State;

impl State {
    /// Makes the objects the completed `session` names (its `customer` when `new_customer`,
    /// `payment_intent`, `subscription` + `invoice`, `setup_intent`), emitting their events.
    pub(crate) fn fulfil(&mut self, session: &Session, new_customer: bool, delayed: bool) {
        let o = session.object();
        let account = &session.account;
        let handoff = session.handoff();
        let customer = o.get("customer").and_then(Value::as_str).map(str::to_owned);
        if let (true, Some(id)) = (new_customer, &customer) {
            let details = o.get("customer_details").cloned().unwrap_or(Value::Null);
            let locale = o.get("locale").and_then(Value::as_str);
            self.customer_from_session(id, account, &details, locale);
        }
        let payment = Payment {
            account,
            session: &o,
            customer: customer.as_deref(),
            delayed,
        };
        match text(&o, "mode") {
            "payment" => {
                if let Some(id) = o.get("payment_intent").and_then(Value::as_str) {
                    self.payment_intent_from_session(id, &payment, &handoff["payment_intent_data"]);
                }
            }
            "subscription" => {
                let (Some(id), Some(invoice), Some(customer)) = (
                    o.get("subscription").and_then(Value::as_str),
                    o.get("invoice").and_then(Value::as_str),
                    customer.as_deref(),
                ) else {
                    return;
                };
                let payment_method = Some(self.payment_method_for(&payment));
                let items = session.line_item_values();
                self.subscription_from_session(&Signup {
                    id,
                    invoice,
                    account,
                    session: &o,
                    items: &items,
                    data: &handoff["subscription_data"],
                    customer,
                    payment_method,
                    delayed,
                });
            }
            "setup" => {
                if let Some(id) = o.get("setup_intent").and_then(Value::as_str) {
                    self.setup_intent_from_session(id, &payment, &handoff["setup_intent_data"]);
                }
            }
            _ => {}
        }
    }

    /// The delayed payment of `session` settled: its payment intent or subscription's first
    /// invoice follows (events before the session's own).
    pub(crate) fn settle_fulfilment(&mut self, session: &Session, succeeded: bool) {
        let o = session.object();
        let account = &session.account;
        if let Some(id) = o.get("payment_intent").and_then(Value::as_str) {
            self.settle_payment_intent(account, id, succeeded);
        }
        if let Some(id) = o.get("subscription").and_then(Value::as_str) {
            self.settle_subscription(account, id, succeeded);
        }
    }
}
