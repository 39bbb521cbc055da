//! Setup intents: what a `setup`-mode session makes when it completes — `succeeded`, with the
//! payment method the customer entered, `usage=off_session`, and `metadata`/`description`
//! from `setup_intent_data`.
//!
//! <https://docs.stripe.com/payments/save-and-reuse?platform=web&ui=stripe-hosted>,
//! <https://docs.stripe.com/api/setup_intents/object>,
//! <https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-setup_intent_data>.

use serde_json::{json, Map, Value};

use super::payment_intents::Payment;
use super::{skeleton, ObjectKind};
use crate::state::{RequestContext, State};

impl State {
    /// The setup intent `id` of a completed `setup`-mode session; emits
    /// `setup_intent.succeeded`.
    pub(crate) fn setup_intent_from_session(
        &mut self,
        id: &str,
        payment: &Payment<'_>,
        data: &Value,
    ) {
        let now = self.now();
        let method = self.payment_method_for(payment);
        let secret = self.id("_secret_");
        let mut o: Map<String, Value> = skeleton(ObjectKind::SetupIntent, id, now);
        o.insert("client_secret".into(), json!(format!("{id}{secret}")));
        o.insert("customer".into(), json!(payment.customer));
        o.insert(
            "description".into(),
            data.get("description").cloned().unwrap_or(Value::Null),
        );
        o.insert(
            "metadata".into(),
            data.get("metadata").cloned().unwrap_or(json!({})),
        );
        o.insert(
            "on_behalf_of".into(),
            data.get("on_behalf_of").cloned().unwrap_or(Value::Null),
        );
        o.insert("payment_method".into(), json!(method));
        o.insert(
            "payment_method_options".into(),
            json!({ "card": { "mandate_options": null, "network": null, "request_three_d_secure": "automatic" } }),
        );
        o.insert(
            "payment_method_types".into(),
            payment
                .session
                .get("payment_method_types")
                .cloned()
                .unwrap_or(json!(["card"])),
        );
        o.insert("status".into(), json!("succeeded"));
        o.insert("usage".into(), json!("off_session"));
        self.objects
            .insert(ObjectKind::SetupIntent, payment.account, &o);
        self.emit_event(
            "setup_intent.succeeded",
            Value::Object(o),
            payment.account,
            &RequestContext::default(),
            None,
        );
    }
}
