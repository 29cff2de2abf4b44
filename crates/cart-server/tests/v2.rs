//! Cart V2 (`/ecom/v2/carts/current…`): each cart endpoint and its errors in
//! V2's codes. Totals: `v2_totals.rs`; v1 and V2 on one cart, visitors kept
//! apart and the captured fixtures: `v2_shared_carts.rs`.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::demo::{E_BOOK, MUG, NAVY_M, T_SHIRT, TOTE, VASE};
use cart_wire::v2;
use common::v2::{V2, add, catalog_items, line_id, ok, v2};
use common::{Shop, amount, code, fixture, pairs, violations};
use serde_json::{Value, json};

#[tokio::test]
async fn a_visitor_without_a_cart_gets_current_cart_not_found() {
    let shop = Shop::new().await;
    let (status, body) = v2(&shop, Method::GET, "", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        code(&body),
        code(&fixture("v2/error-v2-current-cart-not-found.json"))
    );
    for suffix in ["/calculate", "/refresh", "/remove-delivery-method"] {
        let (status, body) = v2(&shop, Method::POST, suffix, Some(json!({}))).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::NOT_FOUND, "CURRENT_CART_NOT_FOUND"),
            "{suffix}"
        );
    }
    let (status, _) = shop.raw(Method::GET, V2, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn create_makes_the_cart_with_items_note_coupon_and_delivery_method() {
    let shop = Shop::new().await;
    let mut body = catalog_items(MUG, Value::Null, 2);
    body["cart"] = json!({"note": "Gift wrap, please"});
    body["coupons"] = json!([{"code": "SAVE10"}]);
    body["deliveryMethod"] = json!({"code": "standard-shipping"});
    let cart = ok(&shop, Method::POST, "", Some(body)).await["cart"].clone();
    assert_eq!(cart["note"], "Gift wrap, please");
    assert_eq!(
        cart["coupons"],
        json!([{"id": "c0000000-0000-4000-8000-000000000001", "code": "SAVE10"}])
    );
    assert_eq!(cart["deliveryInfo"]["method"]["code"], "standard-shipping");
    assert_eq!(
        cart["deliveryInfo"]["method"]["title"]["original"],
        "Standard Shipping"
    );
    assert_eq!(cart["currentCart"], true);
    let line = &cart["lineItems"][0];
    assert_eq!(line["name"]["original"], "Stoneware Mug");
    assert_eq!(
        line["quantityInfo"],
        json!({"confirmedQuantity": 2, "requestedQuantity": 2, "availableQuantity": 25, "fixedQuantity": false})
    );
    assert_eq!(
        line["pricing"]["unitPrice"],
        json!({"amount": "11.25", "convertedAmount": "11.25"})
    );
    assert_eq!(amount(line, "pricing.totalPrice"), "22.5");
    assert_eq!(amount(line, "pricing.breakdown.fullPrice"), "12.5");
    assert_eq!(
        line["discounts"][0]["source"],
        json!({"sourceType": "COUPON", "couponCode": "SAVE10"})
    );
    assert_eq!(line["discounts"][0]["amountOff"]["amount"], "2.5");
    assert_eq!(line["source"]["catalogReference"]["catalogItemId"], MUG);
    assert_eq!(line["status"], "IN_STOCK");
    assert_eq!(line["attributes"]["itemType"]["preset"], "PHYSICAL");
    assert_eq!(amount(&cart, "subtotal"), "22.5");
    assert!(
        !cart.to_string().contains("formatted"),
        "V2 money has no display form: {cart}"
    );
    // The answer reads as the V2 wire type.
    let typed: v2::Cart = serde_json::from_value(cart.clone()).unwrap();
    assert_eq!(typed.line_items[0].quantity_info.confirmed_quantity, 2);
    // Create again: the cart is kept and the content added.
    let again = ok(
        &shop,
        Method::POST,
        "",
        Some(catalog_items(MUG, Value::Null, 1)),
    )
    .await["cart"]
        .clone();
    assert_eq!(again["id"], cart["id"]);
    assert_eq!(
        again["lineItems"][0]["quantityInfo"]["requestedQuantity"],
        3
    );
}

#[tokio::test]
async fn create_checks_its_coupon_and_refuses_gift_cards() {
    let shop = Shop::new().await;
    let mut body = catalog_items(MUG, Value::Null, 1);
    body["coupons"] = json!([{"code": "NOPE"}]);
    let (status, answer) = v2(&shop, Method::POST, "", Some(body)).await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::BAD_REQUEST, "INVALID_COUPON_CODE")
    );
    let (status, _) = v2(&shop, Method::GET, "", None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a refused create saves nothing"
    );
    let body = json!({"coupons": [{"code": ""}]});
    let (status, answer) = v2(&shop, Method::POST, "", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&answer),
        pairs(&[("coupons[0].code", "MIN_LENGTH")])
    );
    let body = json!({"giftCards": [{"code": "GIFT-1234-5678"}]});
    let (status, answer) = v2(&shop, Method::POST, "", Some(body)).await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::BAD_REQUEST, "NOT_SUPPORTED")
    );
}

#[tokio::test]
async fn adding_merges_the_same_item_and_checks_the_catalog() {
    let shop = Shop::new().await;
    add(&shop, MUG, 1).await;
    let cart = add(&shop, MUG, 2).await;
    assert_eq!(cart["lineItems"].as_array().unwrap().len(), 1);
    assert_eq!(cart["lineItems"][0]["quantityInfo"]["confirmedQuantity"], 3);
    let shirt = ok(
        &shop,
        Method::POST,
        "/add-line-items",
        Some(catalog_items(T_SHIRT, json!({"variantId": NAVY_M}), 1)),
    )
    .await;
    assert_eq!(
        shirt["cart"]["lineItems"][1]["attributes"]["descriptionLines"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (status, body) = v2(
        &shop,
        Method::POST,
        "/add-line-items",
        Some(catalog_items(VASE, Value::Null, 1)),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INSUFFICIENT_INVENTORY")
    );
    assert_eq!(
        body["details"]["applicationError"]["data"]["invalidItems"][0]["availableQuantity"],
        0
    );
    let unknown = "00000000-0000-4000-8000-00000000dead";
    let (status, body) = v2(
        &shop,
        Method::POST,
        "/add-line-items",
        Some(catalog_items(unknown, Value::Null, 1)),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "ITEM_NOT_FOUND_IN_CATALOG")
    );
    let (status, body) = v2(
        &shop,
        Method::POST,
        "/add-line-items",
        Some(catalog_items(MUG, Value::Null, 0)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[("catalogItems[0].quantity", "MIN")])
    );
    let custom = json!({"customItems": [{"name": {"original": "Gift wrap"}}]});
    let (status, body) = v2(&shop, Method::POST, "/add-line-items", Some(custom)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "PERMISSION_DENIED")
    );
}

#[tokio::test]
async fn quantities_are_set_clamped_to_stock_and_validated() {
    let shop = Shop::new().await;
    let cart = add(&shop, TOTE, 1).await;
    let id = line_id(&cart, 0);
    let body = json!({"lineItems": [{"lineItemId": id, "quantity": {"newQuantity": 5}}]});
    let cart = ok(&shop, Method::POST, "/update-line-items", Some(body)).await["cart"].clone();
    assert_eq!(
        cart["lineItems"][0]["quantityInfo"]["confirmedQuantity"], 3,
        "TOTE has 3 in stock"
    );
    assert_eq!(amount(&cart["lineItems"][0], "pricing.totalPrice"), "54");
    let body = json!({"lineItems": [{"quantity": {"newQuantity": 0}}]});
    let (status, answer) = v2(&shop, Method::POST, "/update-line-items", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&answer),
        pairs(&[
            ("lineItems[0].lineItemId", "REQUIRED_FIELD"),
            ("lineItems[0].quantity.newQuantity", "MIN")
        ])
    );
    let missing = "00000000-0000-4000-8000-000000000099";
    let body = json!({"lineItems": [{"lineItemId": missing, "quantity": {"newQuantity": 1}}]});
    let (status, answer) = v2(&shop, Method::POST, "/update-line-items", Some(body)).await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::BAD_REQUEST, "LINE_ITEM_NOT_FOUND_IN_CART")
    );
}

#[tokio::test]
async fn lines_are_removed_by_id() {
    let shop = Shop::new().await;
    add(&shop, MUG, 1).await;
    let cart = add(&shop, E_BOOK, 1).await;
    let body = json!({"lineItemIds": [line_id(&cart, 0)]});
    let cart = ok(&shop, Method::POST, "/remove-line-items", Some(body)).await["cart"].clone();
    assert_eq!(cart["lineItems"].as_array().unwrap().len(), 1);
    assert_eq!(
        cart["lineItems"][0]["attributes"]["itemType"]["preset"],
        "DIGITAL"
    );
}

#[tokio::test]
async fn coupons_are_refused_in_v2_codes_and_removed_by_id() {
    let shop = Shop::new().await;
    add(&shop, MUG, 2).await;
    let coupon = |code: &str| Some(json!({"coupon": {"code": code}}));
    let (status, body) = v2(&shop, Method::POST, "/add-coupon", coupon("NOPE")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let expected = fixture("v2/error-v2-invalid-coupon-code.json");
    assert_eq!(
        body["details"]["applicationError"]["code"],
        expected["details"]["applicationError"]["code"]
    );
    assert_eq!(
        body["details"]["applicationError"]["data"],
        json!({"couponCode": "NOPE"})
    );
    for (code_sent, reason) in [
        ("SUMMER20", "EXPIRED"),
        ("NEXTYEAR", "INACTIVE"),
        ("BIG50", "MIN_SUBTOTAL_NOT_REACHED"),
    ] {
        let (status, body) = v2(&shop, Method::POST, "/add-coupon", coupon(code_sent)).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "INVALID_COUPON_STATUS"),
            "{code_sent}"
        );
        assert_eq!(
            body["details"]["applicationError"]["data"]["reason"], reason,
            "{code_sent}"
        );
        if code_sent == "BIG50" {
            // `MinSubtotalNotReachedDetails.requiredMinimumSubtotal` is a `ConvertedMoney`.
            assert_eq!(
                body["details"]["applicationError"]["data"]["minSubtotalNotReachedDetails"],
                json!({"requiredMinimumSubtotal": {"amount": "200", "convertedAmount": "200"}})
            );
        }
    }
    let (status, body) = v2(&shop, Method::POST, "/add-coupon", coupon("")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), pairs(&[("coupon.code", "MIN_LENGTH")]));
    let cart = ok(&shop, Method::POST, "/add-coupon", coupon("save10")).await["cart"].clone();
    let applied = &cart["coupons"][0];
    assert_eq!(applied["code"], "SAVE10");
    let wrong = json!({"couponId": "00000000-0000-4000-8000-000000000001"});
    let (status, body) = v2(&shop, Method::POST, "/remove-coupon", Some(wrong)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "COUPON_NOT_FOUND_IN_CART")
    );
    let (status, body) = v2(&shop, Method::POST, "/remove-coupon", Some(json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), pairs(&[("couponId", "REQUIRED_FIELD")]));
    let cart = ok(
        &shop,
        Method::POST,
        "/remove-coupon",
        Some(json!({"couponId": applied["id"]})),
    )
    .await["cart"]
        .clone();
    assert_eq!(cart["coupons"], json!([]));
    assert_eq!(amount(&cart, "subtotal"), "25");
}

#[tokio::test]
async fn patch_sets_note_address_customer_and_checkout_url() {
    let shop = Shop::new().await;
    let (status, body) = v2(
        &shop,
        Method::PATCH,
        "",
        Some(json!({"cart": {"note": "hi"}})),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "CURRENT_CART_NOT_FOUND")
    );
    add(&shop, MUG, 1).await;
    let update = json!({"cart": {
        "note": "Leave at the door",
        "customerInfo": {"email": "ada@example.com", "firstName": "Ada"},
        "deliveryInfo": {"address": {"country": "US", "subdivision": "US-CA", "city": "Oakland", "geocode": {"latitude": 1, "longitude": 2}}},
        "customCheckoutUrl": "https://shop.example/checkout/{checkout_id}",
    }});
    let cart = ok(&shop, Method::PATCH, "", Some(update)).await["cart"].clone();
    assert_eq!(cart["note"], "Leave at the door");
    assert_eq!(cart["customerInfo"]["email"], "ada@example.com");
    assert_eq!(cart["customerInfo"]["firstName"], "Ada");
    assert_eq!(cart["deliveryInfo"]["address"]["subdivision"], "US-CA");
    let cart = ok(
        &shop,
        Method::PATCH,
        "",
        Some(json!({"cart": {"note": ""}})),
    )
    .await["cart"]
        .clone();
    assert!(cart.get("note").is_none(), "an empty note clears it");
    assert_eq!(
        cart["customerInfo"]["email"], "ada@example.com",
        "fields not sent are kept"
    );
    let long = "x".repeat(1001);
    let (status, body) = v2(
        &shop,
        Method::PATCH,
        "",
        Some(json!({"cart": {"note": long, "customCheckoutUrl": "javascript:alert(1)"}})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            ("cart.note", "MAX_LENGTH"),
            ("cart.customCheckoutUrl", "FORMAT")
        ])
    );
    let customer =
        json!({"cart": {"customerInfo": {"email": "not an email", "lastName": "x".repeat(101)}}});
    let (status, body) = v2(&shop, Method::PATCH, "", Some(customer)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            ("cart.customerInfo.lastName", "MAX_LENGTH"),
            ("cart.customerInfo.email", "FORMAT")
        ])
    );
}

#[tokio::test]
async fn gift_cards_and_forms_are_not_supported() {
    let shop = Shop::new().await;
    for suffix in [
        "/add-gift-card",
        "/remove-gift-card",
        "/update-forms-submission",
    ] {
        let (status, body) = v2(&shop, Method::POST, suffix, Some(json!({}))).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "NOT_SUPPORTED"),
            "{suffix}"
        );
    }
}

#[tokio::test]
async fn refresh_answers_the_cart() {
    let shop = Shop::new().await;
    let cart = add(&shop, MUG, 1).await;
    let body = ok(&shop, Method::POST, "/refresh", Some(json!({}))).await;
    assert_eq!(body["cart"], cart);
}
