//! Real Stripe objects through the generated types (API 2026-05-27.dahlia).
//!
//! - Stripe's 2026-08 fixtures (the session, a line item and the four `checkout.session.*`
//!   events built from its event fixture) come back byte-for-byte equal as JSON values.
//! - Older payloads (Stripe's 2023 fixtures, the API reference's examples, events rendered with
//!   2023-08-16) decode without error and lose nothing: every key comes back with its value,
//!   and the only additions are `null`s for fields the newer API added.
//! - The two codecs agree: serde's derived `Deserialize` reads the same value as the client's
//!   `FromJson` decoder, and what serde's `Serialize` writes, `FromJson` reads back unchanged.
//!
//! serde support is the `serde` feature: `cargo test -p stripe-checkout --features serde`.
#![cfg(feature = "serde")]

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use stripe_checkout::__private::Decode;
use stripe_checkout::{CheckoutSession, Event, EventType, Item, List};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Deserializes `original` as `T`, serializes it back and returns the result.
fn round_trip<T: DeserializeOwned + Serialize>(original: &Value) -> (T, Value) {
    let typed: T = serde_path_to_error::deserialize(original)
        .unwrap_or_else(|e| panic!("does not deserialize at {}: {}", e.path(), e.inner()));
    let back = serde_json::to_value(&typed).unwrap();
    (typed, back)
}

/// [`round_trip`] for a type the client decodes, holding serde to `FromJson`: both read
/// `original` to the same value, and `FromJson` reads serde's output back to it.
fn round_trip_typed<T>(original: &Value) -> (T, Value)
where
    T: Decode + DeserializeOwned + Serialize + PartialEq + Debug,
{
    let bytes = serde_json::to_vec_pretty(original).unwrap();
    let decoded = T::decode(&bytes)
        .unwrap_or_else(|e| panic!("FromJson: {} at {}", e.message, e.path(&bytes)));
    let (typed, back) = round_trip::<T>(original);
    assert_eq!(typed, decoded, "serde and FromJson read different values");
    let bytes = serde_json::to_vec(&back).unwrap();
    let again = T::decode(&bytes).unwrap_or_else(|e| {
        panic!(
            "FromJson of serde's output: {} at {}",
            e.message,
            e.path(&bytes)
        )
    });
    assert_eq!(again, decoded, "FromJson reads serde's output differently");
    (typed, back)
}

/// Keys of `original` missing from `back`, as JSON pointers; and asserts every value `back`
/// has equals the original's (nothing is altered) and that `back` adds only `null`s.
fn dropped_keys(original: &Value, back: &Value, at: &str, dropped: &mut Vec<String>) {
    match (original, back) {
        (Value::Object(o), Value::Object(b)) => {
            for (key, value) in o {
                let here = format!("{at}/{key}");
                match b.get(key) {
                    Some(back_value) => dropped_keys(value, back_value, &here, dropped),
                    None => dropped.push(here),
                }
            }
            // A field the newer API removed comes back as `null`: the same "none" it meant.
            for (key, value) in b {
                assert!(
                    o.contains_key(key) || value.is_null(),
                    "{at}/{key} appeared from nowhere"
                );
            }
        }
        (Value::Array(o), Value::Array(b)) => {
            assert_eq!(o.len(), b.len(), "{at}: array length changed");
            for (i, (ov, bv)) in o.iter().zip(b).enumerate() {
                dropped_keys(ov, bv, &format!("{at}/{i}"), dropped);
            }
        }
        (o, b) => assert_eq!(o, b, "{at}: value changed"),
    }
}

/// `value` without object keys whose value is `null`, recursively: Stripe omits some nullable
/// fields and sends `null` for others, and both decode to `None`, so a round trip can only
/// preserve the difference up to that.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// The round trip is exact: no key dropped (not even a `null` one), no value changed, and
/// nothing added but `null`s for nullable fields the payload left out.
fn assert_exact(original: &Value, back: &Value) {
    assert_nothing_lost(original, back);
    assert_eq!(without_nulls(back), without_nulls(original));
}

/// Asserts `original` comes back with every key and value, adding at most `null`s.
fn assert_nothing_lost(original: &Value, back: &Value) {
    let mut dropped = Vec::new();
    dropped_keys(original, back, "", &mut dropped);
    assert_eq!(dropped, Vec::<String>::new(), "keys dropped");
}

#[test]
fn session_2026_fixture_round_trips_exactly() {
    let original = fixture("session_2026-08.json");
    let (session, back) = round_trip_typed::<CheckoutSession>(&original);
    assert!(session.id.starts_with("cs_"));
    // Fields only the current API has are typed, not just carried along: the shipping address
    // now lives in `collected_information`.
    let collected = session.collected_information.as_ref().unwrap();
    let shipping = collected.shipping_details.as_ref().unwrap();
    assert_eq!(shipping.name, "name");
    assert!(
        session.extra.is_empty(),
        "untyped: {:?}",
        session.extra.keys()
    );
    assert_exact(&original, &back);
}

#[test]
fn item_2026_fixture_round_trips_exactly() {
    let original = fixture("item_2026-08.json");
    let (item, back) = round_trip_typed::<Item>(&original);
    assert_eq!(item.object, stripe_checkout::ItemObject::Item);
    assert_exact(&original, &back);
    // The fixture is newer than the spec: `recurring.trial_period_days` has no field, so it is
    // kept in `extra` rather than dropped.
    let recurring = item
        .price
        .as_ref()
        .and_then(|p| p.recurring.as_ref())
        .unwrap();
    assert!(recurring.extra.contains_key("trial_period_days"));
}

#[test]
fn checkout_events_2026_round_trip_exactly() {
    for (name, ty) in [
        ("completed", EventType::CheckoutSessionCompleted),
        (
            "async_payment_succeeded",
            EventType::CheckoutSessionAsyncPaymentSucceeded,
        ),
        (
            "async_payment_failed",
            EventType::CheckoutSessionAsyncPaymentFailed,
        ),
        ("expired", EventType::CheckoutSessionExpired),
    ] {
        let original = fixture(&format!("event_2026-08_checkout_session_{name}.json"));
        let (event, back) = round_trip::<Event>(&original);
        assert_eq!(event.type_, ty);
        assert_eq!(
            event.api_version.as_deref(),
            Some(stripe_checkout::API_VERSION)
        );
        let session = event.checkout_session().expect("typed session");
        assert!(
            session.extra.is_empty(),
            "{name}: untyped {:?}",
            session.extra.keys()
        );
        assert_eq!(event.data.raw_object, original["data"]["object"]);
        assert_eq!(back, original, "{name}: an event serializes as received");
        // The typed session alone round-trips too.
        let typed = serde_json::to_value(session).unwrap();
        assert_exact(&original["data"]["object"], &typed);
    }
}

#[test]
fn session_2023_fixture_decodes_with_nothing_lost() {
    let original = fixture("session_2023-08.json");
    let (session, back) = round_trip_typed::<CheckoutSession>(&original);
    assert_eq!(
        session.object,
        stripe_checkout::CheckoutSessionObject::CheckoutSession
    );
    assert_nothing_lost(&original, &back);
    // `shipping_details` left the session in the current API; it is kept, not dropped.
    assert!(session.extra.contains_key("shipping_details"));
}

#[test]
fn item_2023_fixture_decodes_with_nothing_lost() {
    let original = fixture("item_2023-08.json");
    let (item, back) = round_trip_typed::<Item>(&original);
    assert_eq!(item.object, stripe_checkout::ItemObject::Item);
    assert_nothing_lost(&original, &back);
}

#[test]
fn seed_session_and_line_items_decode_with_nothing_lost() {
    let original = fixture("seed_session.json");
    let (session, back) = round_trip_typed::<CheckoutSession>(&original);
    assert_eq!(session.amount_total, Some(2198));
    assert_eq!(
        session
            .metadata
            .as_ref()
            .and_then(|m| m.get("order_id"))
            .map(String::as_str),
        Some("6735")
    );
    assert_nothing_lost(&original, &back);
    // The API reference's (older) example has the shipping address at the top level.
    assert_eq!(
        session.extra["shipping_details"]["address"]["city"],
        original["shipping_details"]["address"]["city"]
    );

    let original = fixture("seed_line_items.json");
    let (items, back) = round_trip_typed::<List<Item>>(&original);
    assert_eq!(items.data.len(), 1);
    assert_eq!(items.data[0].quantity, Some(2));
    let price = items.data[0].price.as_ref().unwrap();
    assert_eq!(price.unit_amount_decimal.as_deref(), Some("1099"));
    assert_eq!(price.product.id(), Some("prod_NppuJWzzNnD5Ut"));
    assert_nothing_lost(&original, &back);
}

#[test]
fn old_checkout_events_decode_with_nothing_lost() {
    for name in [
        "completed",
        "async_payment_succeeded",
        "async_payment_failed",
        "expired",
    ] {
        let original = fixture(&format!("event_checkout_session_{name}.json"));
        let (event, back) = round_trip::<Event>(&original);
        assert_eq!(event.api_version.as_deref(), Some("2023-08-16"));
        assert!(event.checkout_session().is_some());
        assert_nothing_lost(&original, &back);
        // Old-shaped fields stay readable both ways: typed `extra` and the raw object.
        assert_eq!(event.data.raw_object, original["data"]["object"]);
        assert_eq!(
            event
                .checkout_session()
                .unwrap()
                .extra
                .get("shipping_details"),
            original["data"]["object"].get("shipping_details")
        );
    }
}

#[test]
fn a_checkout_event_that_does_not_decode_names_both_versions() {
    let mut original = fixture("event_checkout_session_completed.json");
    // A shape this crate cannot read: a field that is an object now, a string then.
    original["data"]["object"]["customer_details"] = Value::String("cus_123".into());
    original["api_version"] = Value::String("2020-08-27".into());
    let err = serde_json::from_value::<Event>(original.clone())
        .unwrap_err()
        .to_string();
    assert!(err.contains("data.object.customer_details"), "{err}");
    assert!(err.contains("2020-08-27"), "{err}");
    assert!(err.contains(stripe_checkout::API_VERSION), "{err}");
    assert!(
        err.contains("set the webhook endpoint's API version"),
        "{err}"
    );

    // The same payload on the crate's own version says so instead of blaming the endpoint.
    original["api_version"] = Value::String(stripe_checkout::API_VERSION.into());
    let err = serde_json::from_value::<Event>(original)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the event uses this crate's API version"),
        "{err}"
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let mut original = fixture("session_2026-08.json");
    original["mode"] = Value::String("some_future_mode".into());
    original["status"] = Value::String("paused".into());
    let (session, back) = round_trip_typed::<CheckoutSession>(&original);
    assert_eq!(
        session.mode,
        stripe_checkout::CheckoutSessionMode::Unknown("some_future_mode".into())
    );
    assert_eq!(session.mode.as_str(), "some_future_mode");
    assert_exact(&original, &back);
}
