//! Every property of `checkout.session` in the committed spec is a documented field of the
//! generated `CheckoutSession`, and every enum has the unknown fallback.

use std::path::Path;

use codegen::ir::{Field, Ir, Ty, TypeDef, TypeKind};

fn ir() -> (codegen::spec::Spec, codegen::ir::Ir) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    let spec = codegen::spec::Spec::from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ir = codegen::ir(&spec).unwrap();
    (spec, ir)
}

fn session(ir: &Ir) -> (&TypeDef, &[Field]) {
    let session = ir
        .types
        .iter()
        .find(|t| t.name == "CheckoutSession")
        .unwrap();
    let TypeKind::Struct(fields) = &session.kind else {
        panic!("CheckoutSession is a struct")
    };
    (session, fields)
}

#[test]
fn every_session_property_is_a_documented_field() {
    let (spec, ir) = ir();
    let properties = spec.components.schemas["checkout.session"]
        .properties
        .clone()
        .unwrap();
    assert_eq!(
        properties.len(),
        68,
        "the 2026-05-27.dahlia session has 68 properties"
    );
    let (session, fields) = session(&ir);
    let wire: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(
        wire,
        properties.keys().map(String::as_str).collect::<Vec<_>>()
    );
    // Spec descriptions are carried over; the few properties without one (bare `$ref`s such as
    // `automatic_tax`) get a doc linking their type, and the crate's `deny(missing_docs)` keeps
    // it that way.
    let mut described = 0;
    for field in fields {
        match properties[&field.wire_name].description.as_deref() {
            Some(spec_doc) => {
                described += 1;
                let doc = field.doc.as_deref().unwrap_or_default();
                let first_words = spec_doc
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    doc.contains(&first_words),
                    "`{}` lost its docs: {doc:?}",
                    field.wire_name
                );
            }
            None => assert!(
                matches!(field.ty, Ty::Named(_)),
                "`{}` is undocumented",
                field.wire_name
            ),
        }
    }
    assert!(described >= 55, "{described} of 68 described");
    assert!(session
        .doc
        .as_deref()
        .unwrap_or("")
        .contains("Checkout Session"));
    let files = codegen::emit::emit(&ir).unwrap();
    let source = &files
        .iter()
        .find(|f| f.name == "checkout_session.rs")
        .unwrap()
        .contents;
    assert!(source.contains("pub struct CheckoutSession {"));
}

#[test]
fn expandable_fields_and_timestamps_are_typed() {
    let (_, ir) = ir();
    let (_, fields) = session(&ir);
    let ty = |name: &str| {
        fields
            .iter()
            .find(|f| f.wire_name == name)
            .unwrap()
            .ty
            .clone()
    };
    assert_eq!(ty("created"), Ty::Timestamp);
    assert_eq!(ty("expires_at"), Ty::Timestamp);
    assert_eq!(
        ty("payment_intent"),
        Ty::Expandable(Box::new(Ty::Named("PaymentIntent".into())))
    );
    assert_eq!(
        ty("customer"),
        Ty::Expandable(Box::new(Ty::Named("CustomerOrDeletedCustomer".into())))
    );
    assert_eq!(
        ty("line_items"),
        Ty::List(Box::new(Ty::Named("Item".into())))
    );
    assert_eq!(ty("metadata"), Ty::Map(Box::new(Ty::String)));
}

#[test]
fn every_enum_has_the_unknown_fallback() {
    let (_, ir) = ir();
    let files = codegen::emit::emit(&ir).unwrap();
    let enums = ir
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Enum(_)))
        .count();
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    assert!(enums > 80, "{enums} enums");
    assert_eq!(
        all.matches("    Unknown(crate::__private::UnknownValue),\n")
            .count(),
        enums
    );
}

/// Fields of one name listing the same values share one enum (`dedup.rs`); fields of different
/// names do not (`coupon.object` and `discount.source.type` both list `[coupon]`).
#[test]
fn no_two_enums_list_the_same_values_for_one_field_name() {
    let (_, ir) = ir();
    let values: std::collections::BTreeMap<&str, Vec<&str>> = ir
        .types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Enum(values) => Some((
                def.name.as_str(),
                values.iter().map(|v| v.wire.as_str()).collect(),
            )),
            _ => None,
        })
        .collect();
    let mut seen: std::collections::BTreeMap<(&str, &Vec<&str>), &str> = Default::default();
    for def in &ir.types {
        let TypeKind::Struct(fields) = &def.kind else {
            continue;
        };
        for field in fields {
            let mut ty = &field.ty;
            while let Ty::Array(inner) | Ty::Unsettable(inner) = ty {
                ty = inner;
            }
            let Ty::Named(name) = ty else { continue };
            let Some(wires) = values.get(name.as_str()) else {
                continue;
            };
            let first = *seen
                .entry((field.wire_name.as_str(), wires))
                .or_insert(name);
            assert_eq!(first, name, "`{}` of {}", field.wire_name, def.name);
        }
    }
    let ty = |name: &str, field: &str| match &ir.types.iter().find(|t| t.name == name).unwrap().kind
    {
        TypeKind::Struct(fields) => fields
            .iter()
            .find(|f| f.wire_name == field)
            .unwrap()
            .ty
            .clone(),
        _ => panic!("{name}"),
    };
    assert_eq!(ty("Coupon", "object"), Ty::Named("CouponObject".into()));
    assert_eq!(
        ty("DiscountSource", "type"),
        Ty::Named("DiscountSourceType".into())
    );
    // The big shared lists keep readable names, used by responses and params alike.
    for name in [
        "CheckoutSessionLocale",
        "CheckoutSessionMode",
        "CheckoutSessionShippingAddressCollectionAllowedCountries",
    ] {
        let def = ir
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(def.direction, codegen::ir::Direction::Response, "{name}");
    }
}

#[test]
fn undocumented_nested_params_fields_say_what_they_are() {
    // Before: `/// `name`.` and `/// `enabled`.`, the wire name and nothing else.
    let (_, ir) = ir();
    let files = codegen::emit::emit(&ir).unwrap();
    // Params live beside their resource.
    let params = &files
        .iter()
        .find(|f| f.name == "checkout_session.rs")
        .unwrap()
        .contents;
    for doc in [
        "/// `enabled` in `recovery` of `after_expiration`: `true` or `false`; required. See \
         [Stripe's API reference](https://docs.stripe.com/api/checkout/sessions/create\
         #create_checkout_session-after_expiration-recovery-enabled).",
        "/// `key` in each entry of `custom_fields`: text; required. See [Stripe's API \
         reference](https://docs.stripe.com/api/checkout/sessions/create\
         #create_checkout_session-custom_fields-key).",
        "/// `email` in `customer_details`: text; required. See [Stripe's API \
         reference](https://docs.stripe.com/api/checkout/sessions/list\
         #list_checkout_sessions-customer_details-email).",
        "/// `price_data` of each entry of `line_items`, a request parameter: see [Stripe's API \
         reference](https://docs.stripe.com/api/checkout/sessions/create\
         #create_checkout_session-line_items-price_data).",
        "/// Stripe's `address` object.",
    ] {
        assert!(params.contains(doc), "missing {doc:?}");
    }
    // Every type and field says what it is in words: no JSON pointers, no "undocumented".
    for file in &files {
        for line in file.contents.lines().map(str::trim) {
            if line.starts_with("///") {
                assert!(!line.contains("undocumented in the spec"), "{line}");
                assert!(
                    !line.contains("`/components/") && !line.contains("`/paths/"),
                    "{line}"
                );
            }
        }
    }
    for line in params.lines().map(str::trim) {
        // A bare wire name (`/// `foo`.`) is not a doc.
        let bare = line.starts_with("/// `")
            && line.ends_with("`.")
            && !line[5..line.len() - 2].contains(['`', ' ']);
        assert!(!bare, "undescriptive doc: {line}");
    }
}

/// The boxing rule (`boxing.rs`) on the session: large optional sub-objects are boxed,
/// ones of up to three words stay inline, required ones are never boxed, and
/// `payment_method_options` (only optional sub-objects, one per payment method) boxes them all.
#[test]
fn sub_objects_are_boxed_by_size_and_tables_entirely() {
    let (_, ir) = ir();
    let (_, fields) = session(&ir);
    let boxed = |wire: &str| fields.iter().find(|f| f.wire_name == wire).unwrap().boxed;
    assert!(boxed("customer_details"), "176 bytes, nullable");
    assert!(boxed("payment_method_options"));
    assert!(
        !boxed("phone_number_collection"),
        "{{enabled: bool}} and extra"
    );
    assert!(!boxed("automatic_tax"), "required");
    assert!(!boxed("custom_text"), "required");
    let options = ir
        .types
        .iter()
        .find(|t| t.name == "CheckoutSessionPaymentMethodOptions")
        .unwrap();
    let TypeKind::Struct(options) = &options.kind else {
        panic!("a struct")
    };
    assert!(options.len() > 30, "{} payment methods", options.len());
    assert!(options.iter().all(|f| f.boxed && f.optional));
    // Some of them would stay inline by size alone: `{setup_future_usage}` and `extra`.
    assert!(options.iter().any(|f| {
        let Ty::Named(name) = &f.ty else { return false };
        ir.types.iter().any(|t| {
            &t.name == name && matches!(&t.kind, TypeKind::Struct(inner) if inner.len() == 1)
        })
    }));
}
