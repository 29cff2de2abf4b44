//! Cart V2 and v1 on the same carts: changes through either API read
//! through the other, another visitor never sees or changes a cart (nor gets
//! its checkout URL), and the captured V2 fixtures read as `cart_wire::v2`.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::demo::MUG;
use cart_wire::v2;
use common::v2::{add, call, line_id, ok, v2};
use common::{Shop, code, fixture};
use serde_json::{Value, json};

#[tokio::test]
async fn one_cart_two_apis() {
    let shop = Shop::new().await;
    let v1_cart = shop.add(MUG, Value::Null, 1).await;
    let v2_cart = ok(&shop, Method::GET, "", None).await["cart"].clone();
    assert_eq!(v2_cart["id"], v1_cart["id"]);
    assert_eq!(v2_cart["lineItems"][0]["id"], v1_cart["lineItems"][0]["id"]);
    assert_eq!(v2_cart["revision"], v1_cart["revision"]);
    // Changed through V2, read through v1.
    add(&shop, MUG, 1).await;
    ok(
        &shop,
        Method::POST,
        "/add-coupon",
        Some(json!({"coupon": {"code": "FIVEOFF"}})),
    )
    .await;
    ok(
        &shop,
        Method::PATCH,
        "",
        Some(json!({"cart": {"note": "from V2"}})),
    )
    .await;
    ok(
        &shop,
        Method::POST,
        "/set-delivery-method",
        Some(json!({"deliveryMethod": {"code": "express-shipping"}})),
    )
    .await;
    let (_, v1) = shop.current(Method::GET, "", None).await;
    let v1 = &v1["cart"];
    assert_eq!(v1["lineItems"][0]["quantity"], 2);
    assert_eq!(v1["appliedDiscounts"][0]["coupon"]["code"], "FIVEOFF");
    assert_eq!(v1["buyerNote"], "from V2");
    assert_eq!(v1["selectedShippingOption"]["code"], "express-shipping");
    // Changed through v1, read through V2.
    let (status, _) = shop
        .current(
            Method::PATCH,
            "",
            Some(json!({"cartInfo": {"buyerNote": "from v1"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    shop.current(Method::POST, "/remove-coupon", Some(json!({})))
        .await;
    let cart = ok(&shop, Method::GET, "", None).await["cart"].clone();
    assert_eq!(cart["note"], "from v1");
    assert_eq!(cart["coupons"], json!([]));
    assert_eq!(
        cart["revision"], "7",
        "one revision per change, whichever API made it"
    );
    // Deleted through V2: gone for v1 too.
    assert_eq!(
        ok(&shop, Method::DELETE, "", None).await,
        fixture("v2/delete-current-cart-v2-response.json")
    );
    let (status, body) = shop.current(Method::GET, "", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "OWNED_CART_NOT_FOUND")
    );
    let (status, _) = v2(&shop, Method::DELETE, "", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_visitor_never_sees_or_changes_the_cart() {
    let shop = Shop::new().await;
    let cart = add(&shop, MUG, 1).await;
    let other = shop.server.visitor().await;
    let (status, body) = call(&shop, &other, Method::GET, "", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "CURRENT_CART_NOT_FOUND")
    );
    let remove = json!({"lineItemIds": [line_id(&cart, 0)]});
    let (status, _) = call(
        &shop,
        &other,
        Method::POST,
        "/remove-line-items",
        Some(remove),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let path = format!(
        "/ecom/v2/carts/{}/get-checkout-url",
        cart["id"].as_str().unwrap()
    );
    let (status, body) = shop
        .raw(
            Method::POST,
            &path,
            Some(&other),
            Some(json!({"cartId": cart["id"]})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "CART_NOT_FOUND")
    );
    let (status, _) = call(&shop, &other, Method::DELETE, "", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mine = ok(&shop, Method::GET, "", None).await["cart"].clone();
    assert_eq!(mine["lineItems"].as_array().unwrap().len(), 1);
    assert_eq!(mine["revision"], cart["revision"]);
}

#[tokio::test]
async fn the_checkout_url_is_for_the_visitors_own_cart() {
    let shop = Shop::new().await;
    let cart = add(&shop, MUG, 1).await;
    let id = cart["id"].as_str().unwrap();
    let path = format!("/ecom/v2/carts/{id}/get-checkout-url");
    let (status, body) = shop
        .raw(
            Method::POST,
            &path,
            Some(&shop.token),
            Some(json!({"cartId": id, "currencyCode": "USD"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let url = body["checkoutUrl"].as_str().unwrap();
    assert!(url.starts_with("http://shop.test/checkout/"), "{url}");
    let typed: v2::GetCheckoutUrlResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(typed.checkout_url, url);
    let custom =
        json!({"cart": {"customCheckoutUrl": "https://shop.example/pay?cart={checkout_id}"}});
    ok(&shop, Method::PATCH, "", Some(custom)).await;
    let (_, body) = shop
        .raw(
            Method::POST,
            &path,
            Some(&shop.token),
            Some(json!({"cartId": id})),
        )
        .await;
    assert_eq!(
        body["checkoutUrl"],
        format!("https://shop.example/pay?cart={id}")
    );
    let unknown = "/ecom/v2/carts/00000000-0000-4000-8000-000000000001/get-checkout-url";
    let (status, _) = shop
        .raw(Method::POST, unknown, Some(&shop.token), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn the_captured_v2_fixtures_read_as_the_v2_wire_types() {
    let cart: v2::CartResponse =
        serde_json::from_value(fixture("v2/get-current-cart-v2-response.json")).unwrap();
    let line = &cart.cart.line_items[0];
    assert_eq!(line.quantity_info.confirmed_quantity, 2);
    assert_eq!(line.pricing.unit_price.as_ref().unwrap().amount, "22.5");
    assert_eq!(cart.cart.coupons[0].code, "TSHIRT5");
    let _: v2::Cart = serde_json::from_value(fixture("v2/cart-v2.json")).unwrap();
    for name in [
        "calculate-current-cart-v2-response.json",
        "calculate-current-cart-v2-response-with-violations.json",
        "estimate-current-cart-v2-response.json",
    ] {
        let answer: v2::CalculateResponse =
            serde_json::from_value(fixture(&format!("v2/{name}"))).unwrap();
        assert!(answer.summary.price_summary.total.is_some(), "{name}");
    }
    let with_violations: v2::CalculateResponse = serde_json::from_value(fixture(
        "v2/calculate-current-cart-v2-response-with-violations.json",
    ))
    .unwrap();
    let out_of_stock = &with_violations.summary.violations[0];
    assert_eq!(out_of_stock.code, "LINE_ITEMS_OUT_OF_STOCK");
    assert!(out_of_stock.data.contains_key("lineItemsOutOfStockData"));
    let url: v2::GetCheckoutUrlResponse =
        serde_json::from_value(fixture("v2/get-checkout-url-v2-response.json")).unwrap();
    assert!(url.checkout_url.starts_with("https://"));
    for name in [
        "error-v2-current-cart-not-found.json",
        "error-v2-insufficient-inventory.json",
        "error-v2-invalid-coupon-code.json",
    ] {
        let error: cart_wire::ErrorBody =
            serde_json::from_value(fixture(&format!("v2/{name}"))).unwrap();
        assert!(error.details.application_error.is_some(), "{name}");
    }
    assert_eq!(
        code(&fixture("v2/error-v2-invalid-coupon-code.json")),
        v2::INVALID_COUPON_CODE
    );
    // The answers round-trip: nothing this server writes is lost on reading.
    let text = serde_json::to_value(&cart).unwrap();
    let again: v2::CartResponse = serde_json::from_value(text).unwrap();
    assert_eq!(again, cart);
}
