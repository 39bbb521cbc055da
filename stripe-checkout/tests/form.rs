//! Stripe form encoding: a table of edge cases, the docs' example, cases from the official SDKs'
//! tests, and a round-trip property. Expected strings are written out by hand (Stripe's
//! documented encoding), never produced by another encoder.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde_json::json;
use stripe_checkout::form::{to_form_string, FormValue, FormWriter};
use stripe_checkout::{EncodeError, Error, Unsettable};

struct LineItem {
    price: &'static str,
    quantity: u32,
}

impl FormValue for LineItem {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.field("price", &self.price)?;
        w.field("quantity", &self.quantity)
    }
}

enum Mode {
    Payment,
    Subscription,
}

impl FormValue for Mode {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.scalar(match self {
            Mode::Payment => "payment",
            Mode::Subscription => "subscription",
        })
    }
}

struct CreateSession {
    line_items: Vec<LineItem>,
    mode: Mode,
    success_url: &'static str,
    customer: Option<String>,
}

impl FormValue for CreateSession {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        w.field("line_items", &self.line_items)?;
        w.field("mode", &self.mode)?;
        w.field("success_url", &self.success_url)?;
        w.field("customer", &self.customer)
    }
}

/// A struct of `(name, value)` members written in the order given, like a JS object literal.
struct Ordered(Vec<(&'static str, Box<dyn FormValue>)>);

impl FormValue for Ordered {
    fn write_form(&self, w: &mut FormWriter) -> Result<(), EncodeError> {
        for (name, value) in &self.0 {
            w.field(name, &**value)?;
        }
        Ok(())
    }
}

fn ordered(members: Vec<(&'static str, Box<dyn FormValue>)>) -> Ordered {
    Ordered(members)
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
    let p = ordered(vec![
        ("zeta", Box::new(1u8)),
        ("alpha", Box::new(2u8)),
        ("mode", Box::new(Mode::Subscription)),
    ]);
    assert_eq!(
        to_form_string(&p).unwrap(),
        "zeta=1&alpha=2&mode=subscription"
    );
}

#[test]
fn unsettable_and_options() {
    let p = ordered(vec![
        ("a", Box::new(Some(Unsettable::<String>::Unset))),
        ("b", Box::new(Some(Unsettable::Set("x".to_owned())))),
        ("c", Box::new(None::<Unsettable<String>>)),
        // A plain None must send nothing.
        ("d", Box::new(None::<u32>)),
    ]);
    assert_eq!(to_form_string(&p).unwrap(), "a=&b=x");
}

/// stripe-node's `queryStringifyRequestData` tests (test/utils.spec.ts), with the expected
/// strings as written there. Dates are Unix seconds here (stripe-node converts `Date`s to them).
/// Not taken over: its `null` member sending `key=` (here `None` sends nothing, as
/// stripe-python does) and v2's unindexed arrays.
#[test]
fn stripe_node_cases() {
    let cases: Vec<(Ordered, &str)> = vec![
        (
            ordered(vec![("a", Box::new(1)), ("b", Box::new("foo"))]),
            "a=1&b=foo",
        ),
        (
            ordered(vec![
                ("date", Box::new(1_234_567_890i64)),
                (
                    "created",
                    Box::new(ordered(vec![
                        ("gte", Box::new(1_234_567_890i64)),
                        ("lt", Box::new(2_345_678_901i64)),
                    ])),
                ),
            ]),
            "date=1234567890&created[gte]=1234567890&created[lt]=2345678901",
        ),
        (
            ordered(vec![(
                "a",
                Box::new(json!({"b": {"c": {"d": 2}}})),
            )]),
            "a[b][c][d]=2",
        ),
        (
            ordered(vec![("a", Box::new(json!([{"b": "c"}, {"b": "d"}])))]),
            "a[0][b]=c&a[1][b]=d",
        ),
        (
            ordered(vec![
                ("test", Box::new(1)),
                ("foo", Box::new("baz")),
                ("somethingElse", Box::new("::\"\"%&")),
                (
                    "nested",
                    Box::new(ordered(vec![("1", Box::new(2)), ("a n o t h e r", Box::new(""))])),
                ),
            ]),
            "test=1&foo=baz&somethingElse=%3A%3A%22%22%25%26&nested[1]=2&nested[a%20n%20o%20t%20h%20e%20r]=",
        ),
    ];
    for (params, expected) in cases {
        assert_eq!(to_form_string(&params).unwrap(), expected);
    }
}

#[test]
fn metadata_btreemap_is_sorted_and_hostile_keys_are_escaped() {
    let mut metadata = BTreeMap::new();
    metadata.insert("order id".to_owned(), "A&B=C+D#E%F".to_owned());
    metadata.insert("a[b]".to_owned(), "x".to_owned());
    metadata.insert("emoji🎉".to_owned(), "café".to_owned());
    metadata.insert("empty".to_owned(), String::new());
    assert_eq!(
        to_form_string(&ordered(vec![("metadata", Box::new(metadata))])).unwrap(),
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
fn unencodable_params_are_errors() {
    let cases: Vec<Result<String, Error>> = vec![
        to_form_string(&vec![1, 2]),
        to_form_string("just a string"),
        to_form_string(&BTreeMap::from([("x", f64::NAN)])),
        to_form_string(&BTreeMap::from([("x", f64::INFINITY)])),
    ];
    for case in cases {
        match case {
            Err(Error::Encode(e)) => assert!(!e.message.is_empty()),
            other => panic!("expected an encode error, got {other:?}"),
        }
    }
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
    //! The generated params encode through their own `FormValue` impls; the bytes are held to
    //! strings written out by hand.

    use std::collections::BTreeMap;

    use stripe_checkout::__private::Encode;
    use stripe_checkout::*;

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
    fn create_update_and_list_params_encode_as_documented() {
        let mut create = CreateCheckoutSessionParams::hosted(
            CheckoutSessionMode::Subscription,
            "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
        );
        create.line_items = Some(vec![line_item(
            3,
            BTreeMap::from([("k[1]".into(), "v=1&2".into())]),
        )]);
        create.metadata = Some(BTreeMap::from([("order".into(), "6735".into())]));
        create.expand = Some(vec!["line_items".into(), "customer".into()]);
        create.locale = Some(CheckoutSessionLocale::Unknown("xx-YY".into()));
        create.allow_promotion_codes = Some(false);
        create.payment_method_types = Some(vec![
            CreateCheckoutSessionPaymentMethodTypes::Card,
            CreateCheckoutSessionPaymentMethodTypes::Unknown("new_method".into()),
        ]);
        assert_eq!(
            create.encode().unwrap(),
            "allow_promotion_codes=false\
             &expand[0]=line_items&expand[1]=customer\
             &line_items[0][dynamic_tax_rates][0]=txr_1&line_items[0][dynamic_tax_rates][1]=txr_2\
             &line_items[0][metadata][k%5B1%5D]=v%3D1%262\
             &line_items[0][price_data][currency]=usd\
             &line_items[0][price_data][product_data][name]=T-shirt%20%233%20%28gr%C3%B6%C3%9Fe%20L%29%20%26%20more\
             &line_items[0][price_data][unit_amount]=300\
             &line_items[0][quantity]=3\
             &locale=xx-YY&metadata[order]=6735&mode=subscription\
             &payment_method_types[0]=card&payment_method_types[1]=new_method\
             &success_url=https%3A%2F%2Fexample.com%2Fsuccess%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D"
        );

        let mut update = UpdateCheckoutSessionParams::new();
        update.metadata = Some(Unsettable::Unset);
        update.expand = Some(vec![]);
        assert_eq!(update.encode().unwrap(), "metadata=");

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
            list.encode().unwrap(),
            "created[gte]=1700000000&created[lt]=-1&limit=3"
        );
        let list = ListCheckoutSessionParams {
            created: Some(ListCheckoutSessionCreated::Integer(5)),
            ..Default::default()
        };
        assert_eq!(list.encode().unwrap(), "created=5");
    }
}
