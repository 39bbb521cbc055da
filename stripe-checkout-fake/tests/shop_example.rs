//! The `examples/shop.rs` flow as a test: pay on the hosted page, receive the signed
//! `checkout.session.completed` twice, ship once.

#[allow(dead_code)] // the example's `main`
#[path = "../examples/shop.rs"]
mod shop;

#[tokio::test]
async fn the_shop_fulfils_exactly_once_when_the_event_is_delivered_twice() {
    let report = shop::run().await.expect("the flow runs");
    assert!(report.session_id.starts_with("cs_test_"));
    assert!(
        report
            .redirected_to
            .ends_with(&format!("/success?session_id={}", report.session_id)),
        "{}",
        report.redirected_to
    );
    assert_eq!(report.deliveries, 2, "delivered twice");
    assert_eq!(
        report.shipments,
        vec![report.session_id.clone()],
        "shipped once"
    );
}
