//! Stripe events as delivered to webhook endpoints, typed for the Checkout Session events.

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "serde")]
use serde::de::{self, Deserialize, Deserializer};
#[cfg(feature = "serde")]
use serde::{Serialize, Serializer};

use crate::decode::{decode_json, DecodeResult, FromJson, Parser};
use crate::error::WebhookError;
use crate::unknown::UnknownValue;
use crate::Timestamp;

/// The type that `data.object` of a `checkout.session.*` event deserializes into.
type Session = crate::generated::CheckoutSession;

/// The `type` of an [`Event`]: the four Checkout Session events, or any other type as its string.
///
/// Serializes and deserializes as the dotted string Stripe uses (`"checkout.session.completed"`).
///
/// ```
/// use stripe_checkout::EventType;
/// let t: EventType = "checkout.session.completed".parse().unwrap();
/// assert_eq!(t, EventType::CheckoutSessionCompleted);
/// assert_eq!(EventType::from("invoice.paid"), EventType::Unknown("invoice.paid".into()));
/// assert_eq!(t.as_str(), "checkout.session.completed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `checkout.session.completed`: the customer finished Checkout. Fulfil if
    /// `payment_status` is `paid` (or `no_payment_required`); otherwise wait for the async events.
    CheckoutSessionCompleted,
    /// `checkout.session.async_payment_succeeded`: a delayed payment (e.g. a bank debit) succeeded.
    CheckoutSessionAsyncPaymentSucceeded,
    /// `checkout.session.async_payment_failed`: a delayed payment failed.
    CheckoutSessionAsyncPaymentFailed,
    /// `checkout.session.expired`: the session expired before the customer paid.
    CheckoutSessionExpired,
    /// Any other event type, kept verbatim. New variants may be added for types that are
    /// currently reported here, so match on [`EventType::as_str`] if you depend on one.
    Unknown(UnknownValue),
}

impl EventType {
    /// The dotted event type string, e.g. `"checkout.session.completed"`.
    pub fn as_str(&self) -> &str {
        match self {
            EventType::CheckoutSessionCompleted => "checkout.session.completed",
            EventType::CheckoutSessionAsyncPaymentSucceeded => {
                "checkout.session.async_payment_succeeded"
            }
            EventType::CheckoutSessionAsyncPaymentFailed => "checkout.session.async_payment_failed",
            EventType::CheckoutSessionExpired => "checkout.session.expired",
            EventType::Unknown(other) => other,
        }
    }

    /// Whether this is one of the Checkout Session events whose `data.object` is a session.
    pub fn is_checkout_session(&self) -> bool {
        !matches!(self, EventType::Unknown(_))
    }
}

impl From<&str> for EventType {
    fn from(s: &str) -> Self {
        match s {
            "checkout.session.completed" => EventType::CheckoutSessionCompleted,
            "checkout.session.async_payment_succeeded" => {
                EventType::CheckoutSessionAsyncPaymentSucceeded
            }
            "checkout.session.async_payment_failed" => EventType::CheckoutSessionAsyncPaymentFailed,
            "checkout.session.expired" => EventType::CheckoutSessionExpired,
            other => EventType::Unknown(other.into()),
        }
    }
}

impl FromStr for EventType {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(EventType::from(s))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl FromJson for EventType {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        Ok(EventType::from(&*p.string()?))
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(EventType::from(s.as_str()))
    }
}

/// The object an event is about (`data.object`), chosen by the event's [`EventType`] (never by
/// the object's shape). More typed variants may be added, hence `#[non_exhaustive]`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventObject {
    /// The Checkout Session, for the four `checkout.session.*` event types.
    CheckoutSession(Box<Session>),
    /// Any other event's object, as raw JSON.
    Other(serde_json::Value),
}

impl EventObject {
    /// The Checkout Session, if this is a `checkout.session.*` event.
    pub fn as_checkout_session(&self) -> Option<&Session> {
        match self {
            EventObject::CheckoutSession(session) => Some(session),
            EventObject::Other(_) => None,
        }
    }
}

#[cfg(feature = "serde")]
impl Serialize for EventObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EventObject::CheckoutSession(session) => session.serialize(serializer),
            EventObject::Other(value) => value.serialize(serializer),
        }
    }
}

/// The `data` of an [`Event`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EventData {
    /// The object the event is about, as it was when the event happened.
    pub object: EventObject,
    /// For `*.updated` events, the changed attributes with their previous values.
    pub previous_attributes: Option<serde_json::Map<String, serde_json::Value>>,
    /// `data.object` exactly as Stripe sent it; an event serializes this, so it round-trips
    /// byte for byte. The typed [`EventData::object`] keeps unknown fields too (in each struct's
    /// `extra`), but an endpoint pinned to another API version may send a shape worth reading as
    /// plain JSON, e.g. a 2023 session's `shipping_details`.
    pub raw_object: serde_json::Value,
}

#[cfg(feature = "serde")]
impl Serialize for EventData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        // The typed `object` is a view of `raw_object`, which is what Stripe sent.
        map.serialize_entry("object", &self.raw_object)?;
        if let Some(previous) = &self.previous_attributes {
            map.serialize_entry("previous_attributes", previous)?;
        }
        map.end()
    }
}

/// The API request that caused an [`Event`], when there was one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventRequest {
    /// The request's id (`req_…`); `None` for events caused by Stripe itself (e.g. a payment
    /// completing in Checkout).
    pub id: Option<String>,
    /// The `Idempotency-Key` sent with the request, if any.
    pub idempotency_key: Option<String>,
}

#[cfg(feature = "serde")]
impl Serialize for EventRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("idempotency_key", &self.idempotency_key)?;
        map.end()
    }
}

impl FromJson for EventRequest {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut request = EventRequest {
            id: None,
            idempotency_key: None,
        };
        let mut object = p.object("struct EventRequest")?;
        while let Some(key) = object.next_key(p)? {
            match &*key {
                "id" => request.id = p.decode()?,
                "idempotency_key" => request.idempotency_key = p.decode()?,
                _ => p.skip()?,
            }
        }
        Ok(request)
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for EventRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json(deserializer)
    }
}

/// A Stripe event, as delivered to a webhook endpoint.
///
/// Get one from [`Webhook::construct_event`](crate::Webhook::construct_event), which verifies the
/// signature first. Unknown fields are ignored at every level; the `data.object` of the four
/// Checkout Session events is typed, every other event's object stays raw JSON.
///
/// With the `serde` feature, `Event` also implements `Deserialize`, for events that were verified
/// earlier (e.g. stored in a queue) or fetched from the API.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use stripe_checkout::{Event, EventObject, EventType};
/// let event: Event = serde_json::from_str(r#"{
///     "id": "evt_1", "object": "event", "type": "invoice.paid", "created": 1700000000,
///     "livemode": false, "pending_webhooks": 1, "api_version": "2023-08-16",
///     "request": {"id": null, "idempotency_key": null},
///     "data": {"object": {"id": "in_1", "object": "invoice"}}
/// }"#).unwrap();
/// assert_eq!(event.type_, EventType::Unknown("invoice.paid".into()));
/// assert!(matches!(event.data.object, EventObject::Other(_)));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event's id (`evt_…`). Stripe may deliver an event more than once: deduplicate on it.
    pub id: String,
    /// Always `event`.
    pub object: String,
    /// What happened.
    pub type_: EventType,
    /// When the event was created.
    pub created: Timestamp,
    /// Whether the event happened in live mode.
    pub livemode: bool,
    /// The API version `data.object` was rendered with, when Stripe recorded one.
    pub api_version: Option<String>,
    /// The object the event is about.
    pub data: EventData,
    /// The API request that caused the event; `None` (or fields `None`) when Stripe caused it.
    pub request: Option<EventRequest>,
    /// How many webhook deliveries of this event have not succeeded yet.
    pub pending_webhooks: i64,
    /// For Connect events, the connected account the event happened on.
    pub account: Option<String>,
}

#[cfg(feature = "serde")]
impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("object", &self.object)?;
        map.serialize_entry("type", &self.type_)?;
        map.serialize_entry("created", &self.created)?;
        map.serialize_entry("livemode", &self.livemode)?;
        map.serialize_entry("api_version", &self.api_version)?;
        map.serialize_entry("data", &self.data)?;
        map.serialize_entry("request", &self.request)?;
        map.serialize_entry("pending_webhooks", &self.pending_webhooks)?;
        if let Some(account) = &self.account {
            map.serialize_entry("account", account)?;
        }
        map.end()
    }
}

impl Event {
    /// The Checkout Session, if this is a `checkout.session.*` event.
    pub fn checkout_session(&self) -> Option<&Session> {
        self.data.object.as_checkout_session()
    }

    /// Parses an event from JSON bytes; a failure is [`WebhookError::InvalidPayload`], with the
    /// JSON path of the first problem.
    ///
    /// `data.object` is buffered as JSON first because `type` (which decides its Rust type) may
    /// come after `data` in the payload; its path is then prefixed so errors read
    /// `data.object.amount_total`, not `amount_total`.
    pub(crate) fn from_slice_with_path(payload: &[u8]) -> Result<Event, WebhookError> {
        let raw: RawEvent = decode_json(payload).map_err(|e| WebhookError::InvalidPayload {
            path: e.path(payload),
            message: e.message,
        })?;
        raw.into_event()
    }
}

/// The wire shape of an event, before `data.object` is given a type.
struct RawEvent {
    id: String,
    object: String,
    type_: EventType,
    created: Timestamp,
    livemode: bool,
    api_version: Option<String>,
    data: RawEventData,
    request: Option<EventRequest>,
    pending_webhooks: i64,
    account: Option<String>,
}

impl FromJson for RawEvent {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let (mut id, mut type_, mut created, mut livemode, mut data, mut pending_webhooks) =
            (None, None, None, None, None, None);
        let mut object_name = None;
        let (mut api_version, mut request, mut account) = (None, None, None);
        let mut object = p.object("struct Event")?;
        while let Some(key) = object.next_key(p)? {
            match &*key {
                "id" => id = Some(p.decode()?),
                "object" => object_name = Some(p.decode()?),
                "type" => type_ = Some(p.decode()?),
                "created" => created = Some(p.decode()?),
                "livemode" => livemode = Some(p.decode()?),
                "api_version" => api_version = p.decode()?,
                "data" => data = Some(p.decode()?),
                "request" => request = p.decode()?,
                "pending_webhooks" => pending_webhooks = Some(p.decode()?),
                "account" => account = p.decode()?,
                // Unknown fields are ignored, as the type's docs say.
                _ => p.skip()?,
            }
        }
        Ok(RawEvent {
            id: id.ok_or_else(|| p.missing("id"))?,
            object: object_name.unwrap_or_else(|| "event".to_owned()),
            type_: type_.ok_or_else(|| p.missing("type"))?,
            created: created.ok_or_else(|| p.missing("created"))?,
            livemode: livemode.ok_or_else(|| p.missing("livemode"))?,
            api_version,
            data: data.ok_or_else(|| p.missing("data"))?,
            request,
            pending_webhooks: pending_webhooks.ok_or_else(|| p.missing("pending_webhooks"))?,
            account,
        })
    }
}

struct RawEventData {
    object: serde_json::Value,
    previous_attributes: Option<serde_json::Map<String, serde_json::Value>>,
}

impl FromJson for RawEventData {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut data_object = None;
        let mut previous_attributes = None;
        let mut object = p.object("struct EventData")?;
        while let Some(key) = object.next_key(p)? {
            match &*key {
                "object" => data_object = Some(p.decode()?),
                "previous_attributes" => {
                    previous_attributes = p
                        .decode::<Option<std::collections::BTreeMap<String, serde_json::Value>>>()?
                        .map(|map| map.into_iter().collect())
                }
                _ => p.skip()?,
            }
        }
        Ok(RawEventData {
            object: data_object.ok_or_else(|| p.missing("object"))?,
            previous_attributes,
        })
    }
}

impl RawEvent {
    /// Types `data.object` by the event's `type`; errors name the path from the event's root.
    fn into_event(self) -> Result<Event, WebhookError> {
        let object = if self.type_.is_checkout_session() {
            // Re-encoding the buffered object costs microseconds; decoding it through the
            // session's own `FromJson` impl keeps one copy of the session parser in the binary
            // instead of a second one specialised for `serde_json::Value`.
            let bytes = serde_json::to_vec(&self.data.object).map_err(|e| {
                WebhookError::InvalidPayload {
                    path: "data.object".to_owned(),
                    message: e.to_string(),
                }
            })?;
            let session =
                decode_json::<Session>(&bytes).map_err(|e| WebhookError::InvalidPayload {
                    path: object_path(&e.path(&bytes)),
                    message: version_advice(e.message, self.api_version.as_deref()),
                })?;
            EventObject::CheckoutSession(Box::new(session))
        } else {
            EventObject::Other(self.data.object.clone())
        };
        Ok(Event {
            id: self.id,
            object: self.object,
            type_: self.type_,
            created: self.created,
            livemode: self.livemode,
            api_version: self.api_version,
            data: EventData {
                object,
                previous_attributes: self.data.previous_attributes,
                raw_object: self.data.object,
            },
            request: self.request,
            pending_webhooks: self.pending_webhooks,
            account: self.account,
        })
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json::<D, RawEvent>(deserializer)?
            .into_event()
            .map_err(|e| match e {
                WebhookError::InvalidPayload { path, message } => {
                    de::Error::custom(format_args!("{path}: {message}"))
                }
                other => de::Error::custom(other),
            })
    }
}

/// Says which versions disagree when a session in an event does not decode: the endpoint's
/// API version decides the shape Stripe renders `data.object` in, and it is set per endpoint.
fn version_advice(message: String, event_version: Option<&str>) -> String {
    let ours = crate::generated::API_VERSION;
    match event_version {
        Some(theirs) if theirs != ours => format!(
            "{message}; this event's `checkout.session` was rendered with API version {theirs}, \
             but this crate is generated from {ours}: set the webhook endpoint's API version to \
             {ours} (Dashboard → Developers → Webhooks, or `api_version` when creating the \
             endpoint); until then, check the signature with `Webhook::verify` and read the payload \
             as JSON"
        ),
        Some(_) => format!(
            "{message}; the event uses this crate's API version ({ours}), so this is a payload \
             the spec does not describe"
        ),
        None => format!(
            "{message}; the event names no API version (this crate is generated from {ours}): \
             set the webhook endpoint's API version to {ours}"
        ),
    }
}

/// The full path of a problem inside `data.object`, given its path relative to the object
/// (the root is rendered as `.`).
fn object_path(inner: &str) -> String {
    if inner.is_empty() || inner == "." {
        "data.object".to_owned()
    } else {
        format!("data.object.{inner}")
    }
}
