//! Real Stripe objects through the generated types: Stripe's 2023 fixtures (the spec's own era),
//! its 2026-08 fixtures (newer API: unknown fields and enum values must be tolerated) and the
//! example JSON of the API reference. Each must deserialize and serialize back without losing
//! any field the types know.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use stripe_checkout::{CheckoutSession, Item, List};

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

/// Keys of `original` missing from `back`, as JSON pointers; and asserts every value `back`
/// has equals the original's (nothing the types know is altered).
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

#[test]
fn session_2023_fixture_round_trips_exactly() {
    let original = fixture("session_2023-08.json");
    let (session, back) = round_trip::<CheckoutSession>(&original);
    assert_eq!(session.object, "checkout.session");
    assert_eq!(back, original);
}

#[test]
fn item_2023_fixture_round_trips_exactly() {
    let original = fixture("item_2023-08.json");
    let (item, back) = round_trip::<Item>(&original);
    assert_eq!(item.object, "item");
    assert_eq!(back, original);
}

#[test]
fn session_2026_fixture_parses_and_keeps_every_known_field() {
    let original = fixture("session_2026-08.json");
    let (session, back) = round_trip::<CheckoutSession>(&original);
    assert!(session.id.starts_with("cs_"));
    let mut dropped = Vec::new();
    dropped_keys(&original, &back, "", &mut dropped);
    // Exactly the fields the 2023 spec lacks are dropped (checked against the spec when this
    // list was written); anything else missing would be a field the types know but lost.
    assert_eq!(dropped, NEWER_SESSION_FIELDS);
}

#[test]
fn item_2026_fixture_parses_and_keeps_every_known_field() {
    let original = fixture("item_2026-08.json");
    let (_item, back) = round_trip::<Item>(&original);
    let mut dropped = Vec::new();
    dropped_keys(&original, &back, "", &mut dropped);
    assert_eq!(dropped, NEWER_ITEM_FIELDS);
}

#[test]
fn seed_session_and_line_items_round_trip() {
    let original = fixture("seed_session.json");
    let (session, back) = round_trip::<CheckoutSession>(&original);
    assert_eq!(session.amount_total, Some(2198));
    assert_eq!(
        session
            .metadata
            .as_ref()
            .and_then(|m| m.get("order_id"))
            .map(String::as_str),
        Some("6735")
    );
    let mut dropped = Vec::new();
    dropped_keys(&original, &back, "", &mut dropped);
    assert_eq!(dropped, NEWER_SEED_SESSION_FIELDS);

    let original = fixture("seed_line_items.json");
    let (items, back) = round_trip::<List<Item>>(&original);
    assert_eq!(items.data.len(), 1);
    assert_eq!(items.data[0].quantity, Some(2));
    let price = items.data[0].price.as_ref().unwrap();
    assert_eq!(price.unit_amount_decimal.as_deref(), Some("1099"));
    assert_eq!(price.product.id(), Some("prod_NppuJWzzNnD5Ut"));
    assert_eq!(back, original);
}

#[test]
fn unknown_enum_values_are_kept() {
    let mut original = fixture("session_2023-08.json");
    original["mode"] = Value::String("some_future_mode".into());
    original["status"] = Value::String("paused".into());
    let (session, back) = round_trip::<CheckoutSession>(&original);
    assert_eq!(
        session.mode,
        stripe_checkout::CheckoutSessionMode::Unknown("some_future_mode".into())
    );
    assert_eq!(session.mode.as_str(), "some_future_mode");
    assert_eq!(back["status"], "paused");
}

// Fields of the newer objects that the 2023-08-16 spec does not declare at that location,
// checked against `spec/checkout_session.yaml` when these lists were written.
const NEWER_SESSION_FIELDS: &[&str] = &[
    "/adaptive_pricing",
    "/automatic_tax/liability",
    "/automatic_tax/provider",
    "/client_secret",
    "/collected_information",
    "/consent_collection/payment_method_reuse_agreement",
    "/custom_text/after_submit",
    "/custom_text/terms_of_service_acceptance",
    "/customer_account",
    "/customer_details/business_name",
    "/customer_details/individual_name",
    "/discounts",
    "/integration_identifier",
    "/invoice_creation/invoice_data/issuer",
    "/invoice_creation/invoice_data/rendering_options/template",
    "/managed_payments",
    "/origin_context",
    "/payment_method_configuration_details",
    "/permissions",
    "/saved_payment_method_options",
    "/ui_mode",
    "/wallet_options",
];
const NEWER_ITEM_FIELDS: &[&str] = &[
    "/adjustable_quantity",
    "/metadata",
    "/price/recurring/meter",
    "/price/recurring/trial_period_days",
];
const NEWER_SEED_SESSION_FIELDS: &[&str] = &[
    "/automatic_tax/liability",
    "/invoice_creation/invoice_data/issuer",
];
