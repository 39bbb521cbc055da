//! The `examples/shop.rs` flows as tests: pay on the hosted page, receive the signed
//! `checkout.session.completed` twice, ship once; subscribe, renew once on the fake clock,
//! fail the next renewal.

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

#[tokio::test]
async fn the_subscription_shop_follows_renewal_and_failure() {
    let report = shop::run_subscription().await.expect("the flow runs");
    let subscribed = &report.subscribed;
    let id = subscribed
        .subscription
        .clone()
        .expect("fetched on checkout.session.completed");
    assert!(id.starts_with("sub_"), "{id}");
    assert_eq!(subscribed.status, "active");
    assert_eq!(subscribed.paid_invoices.len(), 1, "{subscribed:?}");
    assert!(subscribed.paid_until > 0);

    let renewed = &report.renewed;
    assert_eq!(renewed.status, "active");
    assert_eq!(renewed.paid_invoices.len(), 2, "{renewed:?}");
    assert!(
        renewed.paid_until > subscribed.paid_until,
        "access extended to the new period end"
    );
    assert!(renewed
        .seen
        .contains(&"customer.subscription.updated".to_owned()));

    let failed = &report.failed;
    assert_eq!(failed.status, "past_due", "{failed:?}");
    assert_eq!(failed.failed_invoices.len(), 1);
    assert_eq!(failed.paid_until, renewed.paid_until, "not extended");
    assert_eq!(report.final_status, "past_due");
}
