//! Totals through the crate's own typed client, as a Rust shop checks them: catalogue objects
//! set up over HTTP (the client crate covers Checkout only), the session created with
//! `CreateCheckoutSessionParams`, Stripe's amounts read from the typed `CheckoutSession`
//! (discounts before tax, exclusive tax on the discounted amount, shipping added;
//! <https://docs.stripe.com/api/checkout/sessions/object>), and a promotion code whose minimum
//! is not met refused with its `param`.

mod common;

use common::make;
use stripe_checkout::{
    CheckoutSessionMode, CreateCheckoutSessionDiscounts, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionParams, CreateCheckoutSessionShippingOptions, Expandable,
    RetrieveCheckoutSessionParams,
};
use stripe_checkout_fake::FakeStripe;

fn shop_params(
    price: &str,
    tax: &str,
    discount: CreateCheckoutSessionDiscounts,
    shipping: &str,
) -> CreateCheckoutSessionParams {
    let mut params =
        CreateCheckoutSessionParams::hosted(CheckoutSessionMode::Payment, "https://shop.test/ok");
    params.line_items = Some(vec![CreateCheckoutSessionLineItems {
        price: Some(price.into()),
        quantity: Some(2),
        tax_rates: Some(vec![tax.into()]),
        ..Default::default()
    }]);
    params.discounts = Some(vec![discount]);
    params.shipping_options = Some(vec![CreateCheckoutSessionShippingOptions {
        shipping_rate: Some(shipping.into()),
        ..CreateCheckoutSessionShippingOptions::new()
    }]);
    params
}

#[tokio::test]
async fn the_typed_session_carries_stripes_totals() {
    let fake = FakeStripe::start().await;
    let price = make(
        &fake,
        "/v1/prices",
        "currency=usd&unit_amount=2000&product_data[name]=Shirt",
    )
    .await;
    let coupon = make(&fake, "/v1/coupons", "percent_off=20&duration=once").await;
    let tax = make(
        &fake,
        "/v1/tax_rates",
        "display_name=VAT&percentage=20&inclusive=false",
    )
    .await;
    let ground = make(
        &fake,
        "/v1/shipping_rates",
        "display_name=Ground&fixed_amount[amount]=500&fixed_amount[currency]=usd",
    )
    .await;
    let client = fake.client();

    let discount = CreateCheckoutSessionDiscounts {
        coupon: Some(coupon.clone()),
        ..CreateCheckoutSessionDiscounts::new()
    };
    let session = client
        .checkout_sessions()
        .create(&shop_params(&price, &tax, discount, &ground))
        .await
        .unwrap();
    assert_eq!(session.amount_subtotal, Some(4000));
    let details = session.total_details.as_ref().expect("total_details");
    assert_eq!(details.amount_discount, 800);
    assert_eq!(details.amount_tax, 640);
    assert_eq!(details.amount_shipping, Some(500));
    assert_eq!(session.amount_total, Some(4000 - 800 + 640 + 500));
    let cost = session.shipping_cost.as_ref().expect("shipping_cost");
    assert_eq!(cost.amount_total, 500);
    assert!(matches!(&cost.shipping_rate, Some(Expandable::Id(id)) if *id == ground));

    // The breakdown, when expanded, names the tax rate and the discount's coupon.
    let retrieve = RetrieveCheckoutSessionParams {
        expand: Some(vec!["total_details.breakdown".into()]),
    };
    let again = client
        .checkout_sessions()
        .retrieve(&session.id, &retrieve)
        .await
        .unwrap();
    let breakdown = again
        .total_details
        .and_then(|d| d.breakdown)
        .expect("breakdown when expanded");
    assert_eq!(breakdown.taxes[0].amount, 640);
    assert_eq!(breakdown.taxes[0].rate.id, tax);
    assert_eq!(breakdown.discounts[0].amount, 800);

    // A promotion code whose minimum the basket does not reach.
    let code = make(
        &fake,
        "/v1/promotion_codes",
        &format!("promotion[type]=coupon&promotion[coupon]={coupon}&restrictions[minimum_amount]=10000&restrictions[minimum_amount_currency]=usd"),
    )
    .await;
    let discount = CreateCheckoutSessionDiscounts {
        promotion_code: Some(code),
        ..CreateCheckoutSessionDiscounts::new()
    };
    let err = client
        .checkout_sessions()
        .create(&shop_params(&price, &tax, discount, &ground))
        .await
        .unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 400);
    assert_eq!(
        api.error.param.as_deref(),
        Some("discounts[0][promotion_code]")
    );
    assert_eq!(api.error.code.as_deref(), Some("promotion_code_invalid"));
}
