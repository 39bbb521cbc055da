//! Payment intents, their charge and payment method: what a `payment`-mode session that takes
//! money makes when it completes. The payment intent carries the session's `amount_total`,
//! `currency`, `customer`, and `payment_intent_data` (`metadata`, `description`,
//! `receipt_email`, `setup_future_usage`, `statement_descriptor(_suffix)`, `transfer_group`,
//! `on_behalf_of`, `capture_method`); it is `succeeded` for a card, `requires_capture` with
//! `capture_method=manual`, `processing` for a delayed method until the outcome
//! (`succeeded`, or `requires_payment_method` with `last_payment_error`). Its `latest_charge`
//! is a charge with the same amount, metadata and billing details.
//!
//! <https://docs.stripe.com/api/payment_intents/object>,
//! <https://docs.stripe.com/payments/paymentintents/lifecycle>,
//! <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-payment_intent_data>,
//! <https://docs.stripe.com/api/charges/object>, <https://docs.stripe.com/api/payment_methods/object>,
//! <https://docs.stripe.com/payments/payment-methods#payment-notification> (delayed methods).

use serde_json::{json, Map, Value};

use super::{skeleton, text, ObjectKind};
use crate::error::FakeError;
use crate::state::{RequestContext, State};

/// The payment method properties every type has; the others are one per type (`card`,
/// `sepa_debit`, …), and a payment method keeps only its own.
const COMMON: &[&str] = &[
    "allow_redisplay",
    "billing_details",
    "created",
    "customer",
    "customer_account",
    "id",
    "livemode",
    "metadata",
    "object",
    "type",
];

/// `payment_intent_data` fields copied onto the payment intent as given.
const FROM_PAYMENT_INTENT_DATA: &[&str] = &[
    "description",
    "on_behalf_of",
    "receipt_email",
    "setup_future_usage",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "transfer_group",
];

/// What a completed session pays with.
pub(crate) struct Payment<'a> {
    pub account: &'a Option<String>,
    /// The session object (amounts, currency, `customer_details`, `payment_method_types`).
    pub session: &'a Map<String, Value>,
    /// The customer the payment belongs to, if any.
    pub customer: Option<&'a str>,
    /// A delayed method (a bank debit): `processing` until the outcome.
    pub delayed: bool,
}

impl Payment<'_> {
    /// The payment method type: a card, or for a delayed payment the session's first non-card
    /// type (ACH Direct Debit when it allows cards only).
    fn method_type(&self) -> String {
        let types = self
            .session
            .get("payment_method_types")
            .and_then(Value::as_array);
        match (self.delayed, types) {
            (false, _) => "card".to_owned(),
            (true, Some(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "card")
                .unwrap_or("us_bank_account")
                .to_owned(),
            (true, None) => "us_bank_account".to_owned(),
        }
    }

    fn billing_details(&self) -> Value {
        let details = self.session.get("customer_details").unwrap_or(&Value::Null);
        let part = |k: &str| details.get(k).cloned().unwrap_or(Value::Null);
        json!({
            "address": part("address"),
            "email": part("email"),
            "name": part("name"),
            "phone": part("phone"),
            "tax_id": null,
        })
    }
}

impl State {
    /// A payment method of the payer's type with the billing details the customer entered
    /// (a Visa ending 4242 for cards, the test bank account for ACH); stored; its id.
    pub(crate) fn payment_method_for(&mut self, payment: &Payment<'_>) -> String {
        let id = self.id("pm_");
        let now = self.now();
        let kind = payment.method_type();
        let mut o = skeleton(ObjectKind::PaymentMethod, &id, now);
        o.retain(|k, _| COMMON.contains(&k.as_str()) || *k == kind);
        let fingerprint: String = self.id("").chars().take(16).collect();
        let details = match kind.as_str() {
            // Stripe's test card (<https://docs.stripe.com/testing#cards>).
            "card" => json!({
                "brand": "visa",
                "checks": { "address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass" },
                "country": "US",
                "display_brand": "visa",
                "exp_month": 12,
                "exp_year": 2034,
                "fingerprint": fingerprint,
                "funding": "credit",
                "generated_from": null,
                "last4": "4242",
                "networks": { "available": ["visa"], "preferred": null },
                "regulated_status": "unregulated",
                "three_d_secure_usage": { "supported": true },
                "wallet": null,
            }),
            // Stripe's test bank account (<https://docs.stripe.com/payments/ach-direct-debit/accept-a-payment#test-integration>).
            "us_bank_account" => json!({
                "account_holder_type": "individual",
                "account_type": "checking",
                "bank_name": "STRIPE TEST BANK",
                "financial_connections_account": null,
                "fingerprint": fingerprint,
                "last4": "6789",
                "networks": { "preferred": "ach", "supported": ["ach"] },
                "routing_number": "110000000",
                "status_details": {},
            }),
            _ => o.get(&kind).cloned().unwrap_or(json!({})),
        };
        o.insert(kind.clone(), details);
        o.insert("type".into(), json!(kind));
        o.insert("allow_redisplay".into(), json!("unspecified"));
        o.insert("billing_details".into(), payment.billing_details());
        o.insert("customer".into(), json!(payment.customer));
        o.insert("metadata".into(), json!({}));
        self.objects
            .insert(ObjectKind::PaymentMethod, payment.account, &o);
        id
    }

    /// The payment intent of a completed `payment`-mode session (id `id`) and its charge;
    /// emits `payment_intent.succeeded`, `.amount_capturable_updated` (manual capture) or
    /// `.processing` (delayed).
    pub(crate) fn payment_intent_from_session(
        &mut self,
        id: &str,
        payment: &Payment<'_>,
        data: &Value,
    ) {
        let now = self.now();
        let method = self.payment_method_for(payment);
        let charge_id = self.id("ch_");
        let secret = self.id("_secret_");
        let session = payment.session;
        let amount = session
            .get("amount_total")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let manual = data.get("capture_method") == Some(&json!("manual"));
        let status = match (payment.delayed, manual) {
            (true, _) => "processing",
            (false, true) => "requires_capture",
            (false, false) => "succeeded",
        };
        let mut o = skeleton(ObjectKind::PaymentIntent, id, now);
        o.insert("amount".into(), json!(amount));
        o.insert(
            "amount_capturable".into(),
            json!(if manual { amount } else { 0 }),
        );
        o.insert(
            "amount_received".into(),
            json!(if status == "succeeded" { amount } else { 0 }),
        );
        o.insert(
            "capture_method".into(),
            data.get("capture_method")
                .cloned()
                .unwrap_or(json!("automatic_async")),
        );
        o.insert("client_secret".into(), json!(format!("{id}{secret}")));
        o.insert("confirmation_method".into(), json!("automatic"));
        o.insert(
            "currency".into(),
            session.get("currency").cloned().unwrap_or(Value::Null),
        );
        o.insert("customer".into(), json!(payment.customer));
        o.insert("latest_charge".into(), json!(charge_id));
        o.insert(
            "metadata".into(),
            data.get("metadata").cloned().unwrap_or(json!({})),
        );
        for key in FROM_PAYMENT_INTENT_DATA {
            if let Some(value) = data.get(*key) {
                o.insert((*key).into(), value.clone());
            }
        }
        o.insert("payment_method".into(), json!(method));
        o.insert(
            "payment_method_types".into(),
            session
                .get("payment_method_types")
                .cloned()
                .unwrap_or(json!(["card"])),
        );
        if !payment.delayed {
            o.insert(
                "payment_method_options".into(),
                json!({ "card": { "installments": null, "mandate_options": null, "network": null, "request_three_d_secure": "automatic" } }),
            );
        }
        o.insert("status".into(), json!(status));
        self.objects
            .insert(ObjectKind::PaymentIntent, payment.account, &o);
        self.charge_for(&charge_id, &o, payment, now);
        let event = match status {
            "processing" => "payment_intent.processing",
            "requires_capture" => "payment_intent.amount_capturable_updated",
            _ => "payment_intent.succeeded",
        };
        self.emit_event(
            event,
            Value::Object(o),
            payment.account,
            &RequestContext::default(),
            None,
        );
    }

    /// The charge of a payment intent: pending while it is `processing`, else succeeded
    /// (captured unless `requires_capture`).
    fn charge_for(
        &mut self,
        id: &str,
        intent: &Map<String, Value>,
        payment: &Payment<'_>,
        now: i64,
    ) {
        let amount = intent.get("amount").cloned().unwrap_or(json!(0));
        let status = text(intent, "status");
        let captured = status == "succeeded";
        let method = text(intent, "payment_method").to_owned();
        let kind = payment.method_type();
        let mut c = skeleton(ObjectKind::Charge, id, now);
        c.insert("amount".into(), amount.clone());
        c.insert(
            "amount_captured".into(),
            if captured { amount } else { json!(0) },
        );
        c.insert("billing_details".into(), payment.billing_details());
        c.insert("captured".into(), json!(captured));
        for key in [
            "currency",
            "customer",
            "description",
            "metadata",
            "receipt_email",
            "transfer_group",
            "on_behalf_of",
        ] {
            c.insert(key.into(), intent.get(key).cloned().unwrap_or(Value::Null));
        }
        if status != "processing" {
            // <https://docs.stripe.com/api/charges/object#charge_object-outcome>
            c.insert(
                "outcome".into(),
                json!({
                    "advice_code": null,
                    "network_advice_code": null,
                    "network_decline_code": null,
                    "network_status": "approved_by_network",
                    "reason": null,
                    "risk_level": "normal",
                    "risk_score": 20,
                    "seller_message": "Payment complete.",
                    "type": "authorized",
                }),
            );
        }
        c.insert("paid".into(), json!(status != "processing"));
        c.insert("payment_intent".into(), json!(text(intent, "id")));
        c.insert("payment_method".into(), json!(method));
        let details = self
            .objects
            .get(ObjectKind::PaymentMethod, payment.account, &method)
            .and_then(|pm| pm.get(&kind).cloned())
            .unwrap_or(json!({}));
        let mut method_details = Map::new();
        method_details.insert("type".into(), json!(kind));
        method_details.insert(kind, details);
        c.insert(
            "payment_method_details".into(),
            Value::Object(method_details),
        );
        c.insert("refunds".into(), json!({ "object": "list", "data": [], "has_more": false, "url": format!("/v1/charges/{id}/refunds") }));
        c.insert(
            "status".into(),
            json!(if status == "processing" {
                "pending"
            } else {
                "succeeded"
            }),
        );
        self.objects.insert(ObjectKind::Charge, payment.account, &c);
    }

    /// The outcome of a delayed payment: the payment intent `succeeded` (charge succeeded,
    /// `payment_intent.succeeded`) or back to `requires_payment_method` with
    /// `last_payment_error` (charge failed, `payment_intent.payment_failed`).
    /// <https://docs.stripe.com/payments/paymentintents/lifecycle>
    pub(crate) fn settle_payment_intent(
        &mut self,
        account: &Option<String>,
        id: &str,
        succeeded: bool,
    ) {
        let Some(mut o) = self.objects.get(ObjectKind::PaymentIntent, account, id) else {
            return;
        };
        let amount = o.get("amount").cloned().unwrap_or(json!(0));
        let charge_id = text(&o, "latest_charge").to_owned();
        if let Some(mut c) = self.objects.get(ObjectKind::Charge, account, &charge_id) {
            c.insert("paid".into(), json!(succeeded));
            c.insert("captured".into(), json!(succeeded));
            c.insert(
                "amount_captured".into(),
                if succeeded { amount.clone() } else { json!(0) },
            );
            c.insert(
                "status".into(),
                json!(if succeeded { "succeeded" } else { "failed" }),
            );
            if !succeeded {
                c.insert("failure_code".into(), json!("generic_decline"));
                c.insert("failure_message".into(), json!("The payment failed."));
            }
            self.objects.replace(ObjectKind::Charge, &c);
        }
        if succeeded {
            o.insert("status".into(), json!("succeeded"));
            o.insert("amount_received".into(), amount);
        } else {
            let method = o.get("payment_method").cloned().unwrap_or(Value::Null);
            let method = self
                .objects
                .get(
                    ObjectKind::PaymentMethod,
                    account,
                    method.as_str().unwrap_or_default(),
                )
                .map(Value::Object)
                .unwrap_or(method);
            o.insert("status".into(), json!("requires_payment_method"));
            o.insert("payment_method".into(), Value::Null);
            // <https://docs.stripe.com/api/payment_intents/object#payment_intent_object-last_payment_error>
            o.insert(
                "last_payment_error".into(),
                json!({
                    "charge": charge_id,
                    "code": "payment_intent_payment_attempt_failed",
                    "doc_url": "https://stripe.com/docs/error-codes/payment-intent-payment-attempt-failed",
                    "message": "The latest payment attempt of this PaymentIntent has failed or been canceled, and the attached payment method has been removed.",
                    "payment_method": method,
                    "type": "invalid_request_error",
                }),
            );
        }
        self.objects.replace(ObjectKind::PaymentIntent, &o);
        let event = if succeeded {
            "payment_intent.succeeded"
        } else {
            "payment_intent.payment_failed"
        };
        self.emit_event(
            event,
            Value::Object(o),
            account,
            &RequestContext::default(),
            None,
        );
    }

    /// `GET /v1/payment_intents`: filtered by `customer`.
    /// <https://docs.stripe.com/api/payment_intents/list>
    pub fn list_payment_intents(
        &self,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        let customer = p.get("customer").and_then(Value::as_str);
        let customer_account = p.get("customer_account").and_then(Value::as_str);
        self.list_made(ObjectKind::PaymentIntent, account, p, |pi| {
            customer.is_none_or(|c| pi.get("customer") == Some(&json!(c)))
                && customer_account.is_none_or(|c| pi.get("customer_account") == Some(&json!(c)))
        })
    }
}
