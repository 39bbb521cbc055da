//! A session's life after creation: completion by the customer (filling `customer_details`,
//! creating the payment intent, subscription + invoice or setup intent), the outcome of a
//! delayed payment, expiry through the API or when the fake clock passes `expires_at` — each
//! emitting its event. An expiring session with recovery enabled gets its recovery URL
//! ([`recovery`]).
//!
//! <https://docs.stripe.com/api/checkout/sessions/object>,
//! <https://docs.stripe.com/upgrades#2022-08-01>,
//! <https://docs.stripe.com/payments/checkout/fulfill-orders>,
//! <https://docs.stripe.com/payments/checkout/fulfill-orders#delayed-notification>,
//! <https://docs.stripe.com/api/checkout/sessions/expire>.

use serde_json::{json, Map, Value};

pub(crate) mod adjust;
pub(crate) mod collected;
mod fulfilment;
pub(crate) mod recovery;
mod renewals;

use crate::error::FakeError;
use crate::rules;
use crate::sessions::{expand_list, parsed, render, Session};
use crate::state::{RequestContext, State};

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
    /// The customer's (billing) address (`customer_details.address`); sessions that tax by
    /// location (`dynamic_tax_rates`, `automatic_tax`) need at least its country (or a
    /// shipping address), sessions with `billing_address_collection=required` a whole one.
    pub address: Option<PostalAddress>,
    /// The customer's phone number (`customer_details.phone`): required by sessions with
    /// `phone_number_collection[enabled]=true`.
    pub phone: Option<String>,
    /// The shipping address (`collected_information.shipping_details`): required by sessions
    /// with `shipping_address_collection`, in one of its `allowed_countries`.
    pub shipping: Option<ShippingDetails>,
    /// Custom field values by `key` (`custom_fields[].text|numeric|dropdown.value`): every
    /// field that is not `optional` needs one.
    pub custom_fields: Vec<(String, String)>,
    /// The customer accepted the terms of service (`consent.terms_of_service=accepted`):
    /// required by sessions with `consent_collection[terms_of_service]=required`.
    pub terms_of_service_accepted: bool,
    /// The shipping rate chosen among the session's `shipping_options` (by id); the session
    /// is repriced with it (`shipping_cost`, totals). `None` keeps the first.
    pub shipping_rate: Option<String>,
}

impl Default for Completion {
    fn default() -> Self {
        Completion {
            delayed: false,
            email: "jenny.rosen@example.com".to_owned(),
            name: Some("Jenny Rosen".to_owned()),
            address: None,
            phone: None,
            shipping: None,
            custom_fields: Vec::new(),
            terms_of_service_accepted: false,
            shipping_rate: None,
        }
    }
}

/// A shipping address with the recipient's name, as `collected_information.shipping_details`
/// carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingDetails {
    /// The recipient.
    pub name: String,
    /// Where to ship.
    pub address: PostalAddress,
}

/// A postal address as Stripe's objects carry it (`customer_details.address`); every part
/// optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostalAddress {
    /// Two-letter country code (`DE`, `US`).
    pub country: Option<String>,
    /// State, county, province or region.
    pub state: Option<String>,
    /// City, district, suburb, town or village.
    pub city: Option<String>,
    /// Address line 1 (street, PO box or company name).
    pub line1: Option<String>,
    /// Address line 2 (apartment, suite, unit or building).
    pub line2: Option<String>,
    /// ZIP or postal code.
    pub postal_code: Option<String>,
}

impl PostalAddress {
    /// Stripe's `address` hash.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "city": self.city,
            "country": self.country,
            "line1": self.line1,
            "line2": self.line2,
            "postal_code": self.postal_code,
            "state": self.state,
        })
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

    /// Sets the customer's address (`customer_details.address`).
    pub fn address(mut self, address: PostalAddress) -> Self {
        self.address = Some(address);
        self
    }

    /// Sets an address known only by its country (`"DE"`): enough for taxes by location.
    pub fn country(self, country: impl Into<String>) -> Self {
        self.address(PostalAddress {
            country: Some(country.into()),
            ..PostalAddress::default()
        })
    }

    /// Sets the customer's email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = email.into();
        self
    }

    /// Sets the customer's name (`customer_details.name`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the customer's phone number (`customer_details.phone`).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// Sets the shipping address (`collected_information.shipping_details`).
    pub fn shipping(mut self, name: impl Into<String>, address: PostalAddress) -> Self {
        self.shipping = Some(ShippingDetails {
            name: name.into(),
            address,
        });
        self
    }

    /// Fills the custom field `key` (text, digits, or a dropdown option's `value`).
    pub fn custom_field(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.custom_fields.push((key.into(), value.into()));
        self
    }

    /// Accepts the terms of service (`consent.terms_of_service=accepted`).
    pub fn accept_terms_of_service(mut self) -> Self {
        self.terms_of_service_accepted = true;
        self
    }

    /// Chooses the shipping rate `id` among the session's `shipping_options`.
    pub fn shipping_rate(mut self, id: impl Into<String>) -> Self {
        self.shipping_rate = Some(id.into());
        self
    }
}

impl State {
    /// Completes an open session as the customer paying would.
    pub fn complete(&mut self, id: &str, how: &Completion) -> Result<Value, FakeError> {
        let customer_id = self.id("cus_");
        let payment_intent = self.id("pi_");
        let subscription = self.id("sub_");
        let invoice = self.id("in_");
        let setup_intent = self.id("seti_");
        let session = self
            .sessions
            .get(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        rules::only_open_sessions(&session.index.status, "completed")?;
        // What the customer entered, checked against what the session asks for before
        // anything changes (collected.rs).
        let collected = collected::collected_fields(&session.object(), how)?;
        if let Some(rate) = &how.shipping_rate {
            self.adjust(
                id,
                &adjust::Adjustment {
                    shipping_rate: Some(rate.clone()),
                    ..adjust::Adjustment::default()
                },
            )?;
        }
        let session = self
            .sessions
            .get(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        // Taxes by location are computed once the address is known, as on Checkout's page
        // (<https://docs.stripe.com/payments/checkout/taxes>).
        let repriced = match session.by_location.clone() {
            Some(tax) => {
                // The shipping address when there is one, else the billing address
                // (<https://docs.stripe.com/tax/customer-locations>).
                let located = how
                    .shipping
                    .as_ref()
                    .map(|s| &s.address)
                    .or(how.address.as_ref());
                let Some(country) = located.and_then(|a| a.country.clone()) else {
                    return Err(FakeError::invalid(
                        None,
                        Some("address[country]".to_owned()),
                        "This session computes tax from the customer's address (dynamic_tax_rates or automatic_tax): complete it with an address, e.g. Completion::paid().country(\"DE\"), or address[country]=DE on the control endpoint.".to_owned(),
                    ));
                };
                let state = located.and_then(|a| a.state.clone());
                let mut items = session.line_item_values();
                let priced =
                    self.price_by_location(&tax, &mut items, &country, state.as_deref())?;
                Some((items, priced))
            }
            None => None,
        };
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        let mut object = session.object();
        if let Some((items, priced)) = repriced {
            session.reprice(&items, &priced.breakdown);
            object.extend(priced.fields);
        }
        let o = &mut object;
        let mode = o["mode"].as_str().unwrap_or_default().to_owned();
        let free = o["payment_status"] == "no_payment_required";
        o.insert("status".into(), json!("complete"));
        o.insert("url".into(), Value::Null);
        o.insert(
            "customer_details".into(),
            json!({
                "address": how.address.as_ref().map(PostalAddress::to_json),
                "business_name": null,
                "email": how.email,
                "individual_name": null,
                "name": how.name,
                "phone": how.phone,
                "tax_exempt": "none",
                "tax_ids": [],
            }),
        );
        o.extend(collected);
        // Checkout creates a customer in subscription mode, and in payment mode only with
        // `customer_creation=always`
        // (<https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-customer_creation>).
        let wants_customer =
            mode == "subscription" || o.get("customer_creation") == Some(&json!("always"));
        let new_customer = o["customer"].is_null() && wants_customer;
        if new_customer {
            o.insert("customer".into(), json!(customer_id));
        }
        // A trial defers the first payment: nothing is paid now
        // (<https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-payment_status>:
        // "The payment is delayed to a future date").
        let handoff = session.handoff();
        let trial = mode == "subscription"
            && (handoff["subscription_data"]["trial_period_days"]
                .as_i64()
                .is_some_and(|d| d > 0)
                || handoff["subscription_data"]["trial_end"].is_i64());
        let free = free || trial;
        if trial {
            o.insert("payment_status".into(), json!("no_payment_required"));
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
        // The coupon and promotion code count one redemption when the session completes
        // (<https://docs.stripe.com/api/coupons/object#coupon_object-times_redeemed>).
        for (kind, id) in &snapshot.redeems {
            self.catalogue.redeem(*kind, &snapshot.account, id);
        }
        // The customer, payment intent, subscription and invoice, or setup intent, with their
        // events, before the session's own (lifecycle/fulfilment.rs).
        self.fulfil(&snapshot, new_customer, how.delayed && !free);
        self.emit(
            "checkout.session.completed",
            &snapshot,
            &RequestContext::default(),
        );
        parsed(render(&snapshot, vec![])?)
    }

    /// Settles a delayed payment: `checkout.session.async_payment_succeeded` or `_failed`.
    pub fn settle_async(&mut self, id: &str, succeeded: bool) -> Result<Value, FakeError> {
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        if !session.awaiting_async {
            return Err(FakeError::invalid(
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
        self.settle_fulfilment(&snapshot, succeeded);
        let kind = if succeeded {
            "checkout.session.async_payment_succeeded"
        } else {
            "checkout.session.async_payment_failed"
        };
        self.emit(kind, &snapshot, &RequestContext::default());
        parsed(render(&snapshot, vec![])?)
    }

    /// `POST /v1/checkout/sessions/{session}/expire`.
    pub fn expire(
        &mut self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
        ctx: &RequestContext,
    ) -> Result<String, FakeError> {
        let expand = expand_list(p);
        let session = self.session_mut(account, id)?;
        rules::only_open_sessions(&session.index.status, "expired")?;
        let snapshot = self
            .expire_session(id)
            .ok_or_else(|| FakeError::missing("checkout.session", id, "session", 404))?;
        self.emit("checkout.session.expired", &snapshot, ctx);
        self.render_session(&snapshot, expand)
    }

    /// Moves the clock forward; open sessions past `expires_at` expire (oldest first), then
    /// subscriptions past their period end renew or end (lifecycle/renewals.rs).
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
            if let Some(snapshot) = self.expire_session(&id) {
                self.emit(
                    "checkout.session.expired",
                    &snapshot,
                    &RequestContext::default(),
                );
            }
        }
        self.renew_due();
    }

    /// Marks the session `id` expired (and hands out its recovery URL, when enabled); returns
    /// it as stored.
    fn expire_session(&mut self, id: &str) -> Option<Session> {
        let mut o = self.sessions.get(id)?.object();
        o.insert("status".into(), json!("expired"));
        o.insert("url".into(), Value::Null);
        self.recovery_on_expiry(id, &mut o);
        let session = self.sessions.get_mut(id)?;
        session.store(o);
        Some(session.clone())
    }
}
