//! Stripe form encoding: a table of edge cases, the docs' example, and a round-trip property.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde::Serialize;
use serde_json::json;
use stripe_checkout::form::to_form_string;
use stripe_checkout::{Error, Unsettable};

#[derive(Serialize)]
struct LineItem {
    price: &'static str,
    quantity: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Payment,
    Subscription,
}

#[derive(Serialize)]
struct CreateSession {
    line_items: Vec<LineItem>,
    mode: Mode,
    success_url: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<String>,
}

#[test]
fn stripe_docs_example() {
    let params = CreateSession {
        line_items: vec![LineItem {
            price: "price_123",
            quantity: 2,
        }],
        mode: Mode::Payment,
        success_url: "https://example.com/success",
        customer: None,
    };
    assert_eq!(
        to_form_string(&params).unwrap(),
        "line_items[0][price]=price_123&line_items[0][quantity]=2&mode=payment\
         &success_url=https%3A%2F%2Fexample.com%2Fsuccess"
    );
}

#[test]
fn struct_field_order_is_kept() {
    #[derive(Serialize)]
    struct P {
        zeta: u8,
        alpha: u8,
        mode: Mode,
    }
    let p = P {
        zeta: 1,
        alpha: 2,
        mode: Mode::Subscription,
    };
    assert_eq!(
        to_form_string(&p).unwrap(),
        "zeta=1&alpha=2&mode=subscription"
    );
}

#[test]
fn unsettable_and_options() {
    #[derive(Serialize)]
    struct P {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<Unsettable<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<Unsettable<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<Unsettable<String>>,
        // Not skipped: a plain None must still send nothing.
        d: Option<u32>,
    }
    let p = P {
        a: Some(Unsettable::Unset),
        b: Some("x".to_owned().into()),
        c: None,
        d: None,
    };
    assert_eq!(to_form_string(&p).unwrap(), "a=&b=x");
}

#[test]
fn metadata_btreemap_is_sorted_and_hostile_keys_are_escaped() {
    let mut metadata = BTreeMap::new();
    metadata.insert("order id".to_owned(), "A&B=C+D#E%F".to_owned());
    metadata.insert("a[b]".to_owned(), "x".to_owned());
    metadata.insert("emoji🎉".to_owned(), "café".to_owned());
    metadata.insert("empty".to_owned(), String::new());
    #[derive(Serialize)]
    struct P {
        metadata: BTreeMap<String, String>,
    }
    assert_eq!(
        to_form_string(&P { metadata }).unwrap(),
        "metadata[a%5Bb%5D]=x\
         &metadata[emoji%F0%9F%8E%89]=caf%C3%A9\
         &metadata[empty]=\
         &metadata[order%20id]=A%26B%3DC%2BD%23E%25F"
    );
}

/// `(params, expected)`. `json!` objects have sorted keys (serde_json without preserve_order).
fn table() -> Vec<(serde_json::Value, &'static str)> {
    vec![
        (json!({}), ""),
        (json!({"a": null}), ""),
        (json!({"a": ""}), "a="),
        (json!({"a": true, "b": false}), "a=true&b=false"),
        (
            json!({"n": -42, "big": 18446744073709551615u64, "f": 1.0, "g": 0.25}),
            "big=18446744073709551615&f=1&g=0.25&n=-42",
        ),
        (
            json!({"expand": ["line_items", "customer"]}),
            "expand[0]=line_items&expand[1]=customer",
        ),
        // Empty arrays and objects send nothing.
        (json!({"expand": [], "metadata": {}, "x": 1}), "x=1"),
        // Null array elements send nothing but keep the others' indices.
        (json!({"a": [1, null, 3]}), "a[0]=1&a[2]=3"),
        (json!({"a": [[1, 2], [3]]}), "a[0][0]=1&a[0][1]=2&a[1][0]=3"),
        (
            json!({"payment_intent_data": {"metadata": {"order": "1"}, "capture_method": "manual"}}),
            "payment_intent_data[capture_method]=manual&payment_intent_data[metadata][order]=1",
        ),
        (
            json!({"line_items": [
                {"price_data": {"currency": "usd", "product_data": {"name": "T shirt", "images": ["https://x/1.png"]}, "unit_amount": 2000}, "quantity": 1},
                {"price": "price_2", "adjustable_quantity": {"enabled": true, "minimum": 0}}
            ]}),
            "line_items[0][price_data][currency]=usd\
             &line_items[0][price_data][product_data][images][0]=https%3A%2F%2Fx%2F1.png\
             &line_items[0][price_data][product_data][name]=T%20shirt\
             &line_items[0][price_data][unit_amount]=2000\
             &line_items[0][quantity]=1\
             &line_items[1][adjustable_quantity][enabled]=true\
             &line_items[1][adjustable_quantity][minimum]=0\
             &line_items[1][price]=price_2",
        ),
        (
            json!({"s": "a b\tc\nd/e?f~g-h.i_j!*'()"}),
            "s=a%20b%09c%0Ad%2Fe%3Ff~g-h.i_j%21%2A%27%28%29",
        ),
        (json!({"q": "日本"}), "q=%E6%97%A5%E6%9C%AC"),
    ]
}

#[test]
fn edge_case_table() {
    for (params, expected) in table() {
        assert_eq!(
            to_form_string(&params).unwrap(),
            expected,
            "params: {params}"
        );
    }
}

#[test]
fn nothing_to_send() {
    assert_eq!(to_form_string(&()).unwrap(), "");
    assert_eq!(to_form_string(&None::<CreateSession>).unwrap(), "");
}

#[test]
fn enum_variants_are_externally_tagged() {
    #[derive(Serialize)]
    enum E {
        New(u8),
        Tuple(u8, u8),
        Struct { x: u8 },
    }
    #[derive(Serialize)]
    struct P {
        a: E,
        b: E,
        c: E,
    }
    let p = P {
        a: E::New(1),
        b: E::Tuple(2, 3),
        c: E::Struct { x: 4 },
    };
    assert_eq!(
        to_form_string(&p).unwrap(),
        "a[New]=1&b[Tuple][0]=2&b[Tuple][1]=3&c[Struct][x]=4"
    );
}

#[test]
fn unencodable_params_are_errors() {
    let cases: Vec<Result<String, Error>> = vec![
        to_form_string(&vec![1, 2]),
        to_form_string(&"just a string"),
        to_form_string(&BTreeMap::from([("x", f64::NAN)])),
        to_form_string(&BTreeMap::from([("x", f64::INFINITY)])),
        to_form_string(&BTreeMap::from([(
            (1, 2),
            "tuple keys cannot be form keys",
        )])),
    ];
    for case in cases {
        match case {
            Err(Error::Encode(e)) => assert!(!e.message.is_empty()),
            other => panic!("expected an encode error, got {other:?}"),
        }
    }
    #[derive(Serialize)]
    struct Bytes {
        #[serde(with = "serde_bytes_like")]
        b: Vec<u8>,
    }
    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b)
        }
    }
    assert!(matches!(
        to_form_string(&Bytes { b: vec![1] }),
        Err(Error::Encode(_))
    ));
}

proptest! {
    /// Any metadata key/value comes out as exactly one `metadata[k]=v` pair made only of
    /// unreserved characters, `%`, and the structural `[`, `]`, `=`, and decodes back.
    #[test]
    fn metadata_round_trips(key in "\\PC*", value in "\\PC*") {
        let mut metadata = BTreeMap::new();
        metadata.insert(key.clone(), value.clone());
        let encoded = to_form_string(&json!({ "metadata": metadata })).unwrap();
        let (k, v) = encoded.split_once('=').unwrap();
        prop_assert!(!v.contains('='));
        for part in [&k["metadata[".len()..k.len() - 1], v] {
            prop_assert!(part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{}", part);
        }
        prop_assert!(k.starts_with("metadata[") && k.ends_with(']'));
        let inner = &k["metadata[".len()..k.len() - 1];
        prop_assert_eq!(percent_decode_str(inner).decode_utf8().unwrap(), key);
        prop_assert_eq!(percent_decode_str(v).decode_utf8().unwrap(), value);
    }
}

mod generated_params {
    //! The generated params encode through their own `FormValue` impls (no serde); the bytes
    //! must be exactly what serde's `Serialize` through `to_form_string` gives.

    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use stripe_checkout::__private::Encode;
    use stripe_checkout::form::to_form_string;
    use stripe_checkout::*;

    fn both_encoders_agree<P: Encode + serde::Serialize>(params: &P) -> String {
        let direct = params.encode().unwrap();
        assert_eq!(direct, to_form_string(params).unwrap());
        direct
    }

    fn line_item(i: i64, metadata: BTreeMap<String, String>) -> CreateCheckoutSessionLineItems {
        let mut price_data = CreateCheckoutSessionLineItemsPriceData::new("usd");
        price_data.unit_amount = Some(100 * i);
        price_data.product_data = Some(CreateCheckoutSessionLineItemsPriceDataProductData {
            name: format!("T-shirt #{i} (größe L) & more"),
            ..CreateCheckoutSessionLineItemsPriceDataProductData::new(String::new())
        });
        CreateCheckoutSessionLineItems {
            price_data: Some(price_data),
            quantity: Some(i),
            metadata: Some(metadata),
            tax_rates: Some(vec![]),
            dynamic_tax_rates: Some(vec!["txr_1".into(), "txr_2".into()]),
            ..Default::default()
        }
    }

    #[test]
    fn create_update_and_list_params_encode_identically() {
        let mut create = CreateCheckoutSessionParams::hosted(
            CheckoutSessionMode::Subscription,
            "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
        );
        create.line_items = Some(
            (1..=3)
                .map(|i| line_item(i, BTreeMap::from([("k[1]".into(), "v=1&2".into())])))
                .collect(),
        );
        create.metadata = Some(BTreeMap::from([("order".into(), "6735".into())]));
        create.expand = Some(vec!["line_items".into(), "customer".into()]);
        create.locale = Some(CheckoutSessionLocale::Unknown("xx-YY".into()));
        create.allow_promotion_codes = Some(false);
        let form = both_encoders_agree(&create);
        assert!(
            form.contains("line_items[2][price_data][unit_amount]=300"),
            "{form}"
        );
        assert!(form.contains("locale=xx-YY"), "{form}");

        let mut update = UpdateCheckoutSessionParams::new();
        update.metadata = Some(Unsettable::Unset);
        update.expand = Some(vec![]);
        assert_eq!(both_encoders_agree(&update), "metadata=");

        let list = ListCheckoutSessionParams {
            created: Some(ListCheckoutSessionCreated::RangeQuerySpecs(
                ListCheckoutSessionCreatedRangeQuerySpecs {
                    gte: Some(1_700_000_000),
                    lt: Some(-1),
                    ..Default::default()
                },
            )),
            limit: Some(3),
            ..Default::default()
        };
        assert_eq!(
            both_encoders_agree(&list),
            "created[gte]=1700000000&created[lt]=-1&limit=3"
        );
        let list = ListCheckoutSessionParams {
            created: Some(ListCheckoutSessionCreated::Integer(5)),
            ..Default::default()
        };
        assert_eq!(both_encoders_agree(&list), "created=5");
    }

    proptest! {
        #[test]
        fn any_line_items_and_metadata_encode_identically(
            items in proptest::collection::vec(
                (0i64..1_000_000, proptest::collection::btree_map("\\PC{0,8}", "\\PC{0,8}", 0..3)),
                0..4,
            ),
            url in "\\PC{0,20}",
        ) {
            let mut create = CreateCheckoutSessionParams::hosted(CheckoutSessionMode::Payment, url);
            create.line_items = Some(items.into_iter().map(|(i, m)| line_item(i, m)).collect());
            let direct = create.encode().unwrap();
            prop_assert_eq!(direct, to_form_string(&create).unwrap());
        }
    }
}
