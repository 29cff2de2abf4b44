//! Cart V2 totals: `calculate` and `estimate`, the delivery method they
//! count, and soft problems reported as `summary.violations[]`.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::demo::MUG;
use cart_wire::v2;
use common::v2::{add, line_id, ok, v2};
use common::{Shop, amount, code};
use serde_json::json;

#[tokio::test]
async fn calculate_counts_the_stored_delivery_method_or_else_the_cheapest_and_tax() {
    let shop = Shop::new().await;
    add(&shop, MUG, 2).await;
    ok(
        &shop,
        Method::POST,
        "/add-coupon",
        Some(json!({"coupon": {"code": "SAVE10"}})),
    )
    .await;
    let body = ok(&shop, Method::POST, "/calculate", Some(json!({}))).await;
    let summary = &body["summary"];
    assert_eq!(amount(summary, "priceSummary.subtotal"), "22.5");
    assert_eq!(
        amount(summary, "priceSummary.delivery"),
        "5",
        "no method set: the cheapest offered for New York is estimated"
    );
    assert_eq!(
        summary["deliverySummary"]["method"]["code"],
        "standard-shipping"
    );
    assert_eq!(summary["violations"][0]["code"], "MISSING_DELIVERY_METHOD");
    assert_eq!(summary["violations"][0]["severity"], "WARNING");
    assert_eq!(
        body["cart"]["deliveryInfo"]["method"],
        serde_json::Value::Null,
        "the estimate does not set a method"
    );
    ok(
        &shop,
        Method::POST,
        "/set-delivery-method",
        Some(json!({"deliveryMethod": {"code": "express-shipping"}})),
    )
    .await;
    let body = ok(&shop, Method::POST, "/calculate", Some(json!({}))).await;
    assert_eq!(amount(&body["summary"], "priceSummary.delivery"), "15");
    ok(
        &shop,
        Method::POST,
        "/set-delivery-method",
        Some(json!({"deliveryMethod": {"code": "standard-shipping"}})),
    )
    .await;
    let body = ok(&shop, Method::POST, "/calculate", Some(json!({}))).await;
    let summary = &body["summary"];
    let money = |path: &str| amount(summary, path).parse::<f64>().unwrap();
    assert_eq!(
        amount(summary, "priceSummary.subtotal"),
        "22.5",
        "after the coupon"
    );
    assert_eq!(
        amount(summary, "priceSummary.discount"),
        "0",
        "the coupon is a line-item discount"
    );
    assert_eq!(amount(summary, "priceSummary.delivery"), "5");
    assert_eq!(
        amount(summary, "priceSummary.tax"),
        "2",
        "NY 8.875% of 22.50"
    );
    assert_eq!(amount(summary, "priceSummary.total"), "29.5");
    let sum = money("priceSummary.subtotal") - money("priceSummary.discount")
        + money("priceSummary.delivery")
        + money("priceSummary.tax");
    assert!((sum - money("priceSummary.total")).abs() < 1e-9);
    assert_eq!(summary["discounts"][0]["scope"], "LINE_ITEM");
    assert_eq!(summary["discounts"][0]["total"]["amount"], "2.5");
    assert_eq!(
        summary["deliverySummary"]["method"]["code"],
        "standard-shipping"
    );
    assert_eq!(summary["violations"], json!([]));
    assert_eq!(summary["cartRevision"], body["cart"]["revision"]);
    let typed: v2::CalculateResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(typed.summary.line_items.len(), 1);
    // estimate counts only what it is asked for.
    let partial = ok(&shop, Method::POST, "/estimate", Some(json!({}))).await;
    assert_eq!(amount(&partial["summary"], "priceSummary.total"), "22.5");
    let flags = json!({"calculateDelivery": true, "calculateTax": true});
    let full = ok(&shop, Method::POST, "/estimate", Some(flags)).await;
    assert_eq!(full["summary"]["priceSummary"], summary["priceSummary"]);
}

#[tokio::test]
async fn soft_problems_are_violations_not_failures() {
    let shop = Shop::new().await;
    let cart = add(&shop, MUG, 17).await;
    ok(
        &shop,
        Method::POST,
        "/add-coupon",
        Some(json!({"coupon": {"code": "BIG50"}})),
    )
    .await;
    let body =
        json!({"lineItems": [{"lineItemId": line_id(&cart, 0), "quantity": {"newQuantity": 1}}]});
    ok(&shop, Method::POST, "/update-line-items", Some(body)).await;
    let summary = ok(&shop, Method::POST, "/calculate", Some(json!({}))).await["summary"].clone();
    let coupon = summary["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "INVALID_COUPON_STATUS")
        .cloned();
    let coupon = coupon.unwrap_or_else(|| panic!("no coupon violation in {summary}"));
    assert_eq!(coupon["severity"], "ERROR");
    assert_eq!(
        coupon["invalidCouponStatusData"]["reason"],
        "MIN_SUBTOTAL_NOT_REACHED"
    );
    assert_eq!(
        amount(&summary, "priceSummary.subtotal"),
        "12.5",
        "no discount while it does not apply"
    );
}

#[tokio::test]
async fn delivery_methods_must_be_offered_and_can_be_removed() {
    let shop = Shop::new().await;
    add(&shop, MUG, 1).await;
    let method = |code: &str| Some(json!({"deliveryMethod": {"code": code}}));
    let (status, body) = v2(
        &shop,
        Method::POST,
        "/set-delivery-method",
        method("teleport"),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "DELIVERY_METHOD_NOT_FOUND")
    );
    assert_eq!(
        body["details"]["applicationError"]["data"]["code"],
        "teleport"
    );
    let (status, _) = v2(
        &shop,
        Method::POST,
        "/set-delivery-method",
        method("standard-international"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not offered in the US");
    let address = json!({"cart": {"deliveryInfo": {"address": {"country": "GB", "city": "London", "postalCode": "N1 9GU"}}}});
    ok(&shop, Method::PATCH, "", Some(address)).await;
    let cart = ok(
        &shop,
        Method::POST,
        "/set-delivery-method",
        method("standard-international"),
    )
    .await["cart"]
        .clone();
    assert_eq!(
        cart["deliveryInfo"]["method"]["appId"],
        "c8a08776-c095-4dec-8553-8f9698d86adc"
    );
    let summary = ok(&shop, Method::POST, "/calculate", Some(json!({}))).await["summary"].clone();
    assert_eq!(amount(&summary, "priceSummary.delivery"), "15");
    let cart = ok(
        &shop,
        Method::POST,
        "/remove-delivery-method",
        Some(json!({})),
    )
    .await["cart"]
        .clone();
    assert!(cart["deliveryInfo"].get("method").is_none(), "{cart}");
}
