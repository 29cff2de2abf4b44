//! Handler tests of the cart-changing endpoints, estimate-totals and checkout.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::ShopRules;
use cart_server::demo::{E_BOOK, MUG, NAVY_L, T_SHIRT, THROW, TOTE, VASE};
use common::{Shop, add_body, amount, code, pairs, violations};
use serde_json::{Value, json};

#[tokio::test]
async fn variants_resolve_with_options_and_description_lines() {
    let shop = Shop::new().await;
    let cart = shop
        .add(
            T_SHIRT,
            json!({"options": {"Color": "Navy", "Size": "L"}}),
            1,
        )
        .await;
    let line = &cart["lineItems"][0];
    assert_eq!(line["physicalProperties"]["sku"], "TS-NAVY-L");
    assert_eq!(line["fullPrice"]["amount"], "30");
    assert_eq!(line["price"]["amount"], "25");
    assert_eq!(line["descriptionLines"][0]["colorInfo"]["original"], "Navy");
    assert_eq!(line["descriptionLines"][1]["plainText"]["original"], "L");
    assert_eq!(
        line["url"]["relativePath"],
        "/product-page/organic-cotton-t-shirt"
    );
    // The same variant by id merges into the same line, clamped to its stock of 2.
    let cart = shop.add(T_SHIRT, json!({"variantId": NAVY_L}), 5).await;
    assert_eq!(cart["lineItems"].as_array().unwrap().len(), 1);
    assert_eq!(cart["lineItems"][0]["quantity"], 2);
    assert_eq!(
        cart["lineItems"][0]["availability"],
        json!({"status": "AVAILABLE", "quantityAvailable": 2})
    );
}

#[tokio::test]
async fn items_without_options_out_of_stock_or_unknown_are_refused() {
    let shop = Shop::new().await;
    let add = |item: &str, options: Value| add_body(item, options, 1);
    let (status, body) = shop
        .current(
            Method::POST,
            "/add-to-cart",
            Some(add(T_SHIRT, json!(null))),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INVALID_ITEM_OPTIONS")
    );
    let (status, body) = shop
        .current(Method::POST, "/add-to-cart", Some(add(VASE, json!(null))))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INSUFFICIENT_INVENTORY")
    );
    assert_eq!(
        body["details"]["applicationError"]["data"]["invalidItems"][0]["availableQuantity"],
        0
    );
}

#[tokio::test]
async fn patch_saves_the_buyer_note_and_enforces_limits() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 1).await;
    let note = "é".repeat(1000);
    let (status, body) = shop
        .current(
            Method::PATCH,
            "",
            Some(json!({"cartInfo": {"buyerNote": note}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["cart"]["buyerNote"].as_str().unwrap().chars().count(),
        1000
    );
    let too_long = json!({"cartInfo": {
        "buyerNote": "x".repeat(1001),
        "overrideCheckoutUrl": "javascript:alert(1)",
        "selectedShippingOption": {"code": "", "carrierId": "nope"},
        "contactInfo": {"address": {"country": "USA", "subdivision": "x".repeat(51)}},
    }, "couponCode": " "});
    let (status, body) = shop.current(Method::PATCH, "", Some(too_long)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            ("cartInfo.buyerNote", "MAX_LENGTH"),
            ("cartInfo.overrideCheckoutUrl", "FORMAT"),
            ("cartInfo.selectedShippingOption.code", "MIN_LENGTH"),
            ("cartInfo.selectedShippingOption.carrierId", "FORMAT"),
            ("cartInfo.contactInfo.address.country", "FORMAT"),
            ("cartInfo.contactInfo.address.subdivision", "MAX_LENGTH"),
            ("couponCode", "MIN_LENGTH"),
        ])
    );
    // Nothing of the refused request was saved.
    let (_, body) = shop.current(Method::GET, "", None).await;
    assert_eq!(
        body["cart"]["buyerNote"].as_str().unwrap().chars().count(),
        1000
    );
}

#[tokio::test]
async fn patch_adds_line_items_like_add_to_cart() {
    let shop = Shop::new().await;
    let (status, body) = shop
        .current(Method::PATCH, "", Some(add_body(MUG, Value::Null, 2)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["cart"]["lineItems"][0]["quantity"], 2);
}

#[tokio::test]
async fn custom_line_items_need_the_admin_key() {
    let shop = Shop::new().await;
    let custom = json!([{"quantity": 1, "price": "0.01", "productName": {"original": "Free money"}, "itemType": {"preset": "PHYSICAL"}}]);
    let (status, body) = shop
        .current(
            Method::POST,
            "/add-to-cart",
            Some(json!({"customLineItems": custom.clone()})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "PERMISSION_DENIED")
    );
    let (status, _) = shop
        .current(Method::PATCH, "", Some(json!({"customLineItems": custom})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn coupons_apply_replace_and_are_removed() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 2).await; // $25
    let (status, body) = shop
        .current(Method::PATCH, "", Some(json!({"couponCode": "save10"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["cart"]["appliedDiscounts"],
        json!([{"coupon": {"id": "c0000000-0000-4000-8000-000000000001", "code": "SAVE10"}}])
    );
    assert_eq!(amount(&body, "cart.discount"), "2.5");
    assert_eq!(amount(&body, "cart.subtotalAfterDiscounts"), "22.5");
    // A new code replaces the old one.
    let (_, body) = shop
        .current(Method::PATCH, "", Some(json!({"couponCode": "FIVEOFF"})))
        .await;
    assert_eq!(
        body["cart"]["appliedDiscounts"][0]["coupon"]["code"],
        "FIVEOFF"
    );
    assert_eq!(amount(&body, "cart.discount"), "5");
    let (status, body) = shop
        .current(Method::POST, "/remove-coupon", Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["cart"]["appliedDiscounts"], json!([]));
    assert_eq!(amount(&body, "cart.discount"), "0");
}

#[tokio::test]
async fn each_coupon_failure_has_its_code_and_keeps_the_old_coupon() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 2).await;
    shop.current(Method::PATCH, "", Some(json!({"couponCode": "SAVE10"})))
        .await;
    let cases = [
        ("NOSUCHCODE", "ERROR_COUPON_DOES_NOT_EXIST", None),
        ("SUMMER20", "ERROR_COUPON_EXPIRED", Some("EXPIRED")),
        (
            "NEXTYEAR",
            "ERROR_COUPON_NOT_APPLICABLE",
            Some("NOT_ACTIVE_YET"),
        ),
        (
            "BIG50",
            "ERROR_COUPON_NOT_APPLICABLE",
            Some("MIN_SUBTOTAL_NOT_REACHED"),
        ),
        (
            "TSHIRT5",
            "ERROR_COUPON_NOT_APPLICABLE",
            Some("NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS"),
        ),
    ];
    for (coupon, expected, reason) in cases {
        let (status, body) = shop
            .current(Method::PATCH, "", Some(json!({"couponCode": coupon})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{coupon}");
        assert_eq!(code(&body), expected, "{coupon}");
        let data = &body["details"]["applicationError"]["data"];
        assert_eq!(data["reason"].as_str(), reason, "{coupon}");
        assert_eq!(data["couponCode"], coupon);
    }
    let (_, body) = shop
        .current(Method::PATCH, "", Some(json!({"couponCode": "BIG50"})))
        .await;
    assert_eq!(
        body["details"]["applicationError"]["data"]["minimumSubtotal"],
        "200"
    );
    let (_, body) = shop.current(Method::GET, "", None).await;
    assert_eq!(
        body["cart"]["appliedDiscounts"][0]["coupon"]["code"],
        "SAVE10"
    );
}

#[tokio::test]
async fn quantities_are_set_absolutely_and_clamped_to_stock() {
    let shop = Shop::new().await;
    let cart = shop.add(TOTE, json!(null), 1).await;
    let tote = cart["lineItems"][0]["id"].as_str().unwrap().to_owned();
    let cart = shop.add(MUG, json!(null), 1).await;
    let mug = cart["lineItems"][1]["id"].as_str().unwrap().to_owned();
    let (status, body) = shop
        .current(
            Method::POST,
            "/update-line-items-quantity",
            Some(json!({"lineItems": [{"id": tote, "quantity": 9}, {"quantity": 4, "id": mug}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["cart"]["lineItems"][0]["quantity"], 3);
    assert_eq!(body["cart"]["lineItems"][1]["quantity"], 4);

    let missing = "00000000-0000-0000-0000-0000000000ff";
    let (status, body) = shop
        .current(
            Method::POST,
            "/update-line-items-quantity",
            Some(json!({"lineItems": [{"id": missing, "quantity": 1}]})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "LINE_ITEM_NOT_FOUND_IN_CART")
    );
    let (status, body) = shop
        .current(
            Method::POST,
            "/update-line-items-quantity",
            Some(json!({"lineItems": [{"id": mug, "quantity": 0}, {"id": mug, "quantity": 100_001}, {"id": "x"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            ("lineItems[0].quantity", "MIN"),
            ("lineItems[1].id", "VALIDATION"),
            ("lineItems[1].quantity", "MAX"),
            ("lineItems[2].id", "FORMAT"),
            ("lineItems[2].quantity", "REQUIRED_FIELD"),
        ])
    );
    let (_, body) = shop
        .current(
            Method::POST,
            "/update-line-items-quantity",
            Some(json!({"lineItems": []})),
        )
        .await;
    assert_eq!(violations(&body), pairs(&[("lineItems", "MIN_SIZE")]));
}

#[tokio::test]
async fn removing_lines_is_validated_and_repeatable() {
    let shop = Shop::new().await;
    let cart = shop.add(MUG, json!(null), 1).await;
    let id = cart["lineItems"][0]["id"].clone();
    for _ in 0..2 {
        let (status, body) = shop
            .current(
                Method::POST,
                "/remove-line-items",
                Some(json!({"lineItemIds": [id]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["cart"]["lineItems"], json!([]));
    }
    let (status, body) = shop
        .current(
            Method::POST,
            "/remove-line-items",
            Some(json!({"lineItemIds": ["nope"]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), pairs(&[("lineItemIds[0]", "FORMAT")]));
    let ids: Vec<String> = (0..101)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect();
    let (_, body) = shop
        .current(
            Method::POST,
            "/remove-line-items",
            Some(json!({"lineItemIds": ids})),
        )
        .await;
    assert_eq!(violations(&body), pairs(&[("lineItemIds", "MAX_SIZE")]));
}

#[tokio::test]
async fn actions_on_a_missing_cart_answer_owned_cart_not_found() {
    let shop = Shop::new().await;
    let id = "00000000-0000-0000-0000-000000000001";
    let requests = [
        (
            Method::POST,
            "/remove-line-items",
            json!({"lineItemIds": [id]}),
        ),
        (
            Method::POST,
            "/update-line-items-quantity",
            json!({"lineItems": [{"id": id, "quantity": 1}]}),
        ),
        (Method::POST, "/remove-coupon", json!({})),
        (Method::POST, "/estimate-totals", json!({})),
        (
            Method::POST,
            "/create-checkout",
            json!({"channelType": "WEB"}),
        ),
    ];
    for (method, suffix, body) in requests {
        let (status, body) = shop.current(method, suffix, Some(body)).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::NOT_FOUND, "OWNED_CART_NOT_FOUND"),
            "{suffix}"
        );
    }
    let (status, body) = shop.current(Method::DELETE, "", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "OWNED_CART_NOT_FOUND")
    );
}

#[tokio::test]
async fn deleting_the_cart_answers_an_empty_object() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 1).await;
    let (status, body) = shop.current(Method::DELETE, "", None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, _) = shop.current(Method::GET, "", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn estimates_use_the_default_region_without_an_address() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 2).await; // $25
    let estimate = shop.estimate(json!({})).await;
    // Default destination US-NY: 8.875% tax, standard shipping $5.
    assert_eq!(amount(&estimate, "priceSummary.subtotal"), "25");
    assert_eq!(amount(&estimate, "priceSummary.tax"), "2.22");
    assert_eq!(amount(&estimate, "priceSummary.shipping"), "5");
    assert_eq!(amount(&estimate, "priceSummary.total"), "32.22");
    assert_eq!(
        estimate["priceSummary"]["total"]["formattedAmount"],
        "$32.22"
    );
    assert_eq!(estimate["shippingInfo"]["region"]["name"], "Domestic");
    assert_eq!(
        estimate["shippingInfo"]["selectedCarrierServiceOption"]["code"],
        "standard-shipping"
    );
    let codes: Vec<&str> = estimate["shippingInfo"]["carrierServiceOptions"][0]["shippingOptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["standard-shipping", "express-shipping"]);
    assert_eq!(
        estimate["calculatedLineItems"][0]["pricesBreakdown"]["taxDetails"]["taxRate"],
        "0.08875"
    );
    assert_eq!(amount(&estimate, "taxSummary.totalTax"), "2.22");
    assert_eq!(
        estimate["calculationErrors"],
        json!({"orderValidationErrors": []})
    );
    assert_eq!(estimate["currency"], "USD");
}

#[tokio::test]
async fn the_destination_changes_shipping_and_tax() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 2).await; // $25
    let california = shop
        .estimate(json!({"shippingAddress": {"country": "US", "subdivision": "US-CA"}}))
        .await;
    assert_eq!(amount(&california, "priceSummary.tax"), "1.81"); // 7.25% of 25 = 1.8125
    let britain = shop
        .estimate(json!({"shippingAddress": {"country": "GB"}}))
        .await;
    assert_eq!(amount(&britain, "priceSummary.tax"), "5");
    assert_eq!(amount(&britain, "priceSummary.shipping"), "15");
    assert_eq!(britain["shippingInfo"]["region"]["name"], "International");
    let express = shop
        .estimate(json!({"shippingAddress": {"country": "GB"}, "selectedShippingOption": {"code": "express-international"}}))
        .await;
    assert_eq!(amount(&express, "priceSummary.shipping"), "35");
    assert_eq!(
        express["shippingInfo"]["selectedCarrierServiceOption"]["requestedShippingOption"],
        true
    );
}

#[tokio::test]
async fn the_cart_remembers_the_chosen_shipping_option_and_address() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 1).await;
    let info = json!({"cartInfo": {
        "selectedShippingOption": {"code": "express-shipping"},
        "contactInfo": {"address": {"country": "US", "subdivision": "US-OR"}},
    }});
    let (status, _) = shop.current(Method::PATCH, "", Some(info)).await;
    assert_eq!(status, StatusCode::OK);
    let estimate = shop.estimate(json!({})).await;
    assert_eq!(amount(&estimate, "priceSummary.shipping"), "15");
    assert_eq!(amount(&estimate, "priceSummary.tax"), "0");
}

#[tokio::test]
async fn free_shipping_appears_over_the_threshold() {
    let shop = Shop::new().await;
    shop.add(THROW, json!({"options": {"Color": "Oat"}}), 1)
        .await; // $89
    let estimate = shop.estimate(json!({})).await;
    assert_eq!(
        estimate["shippingInfo"]["selectedCarrierServiceOption"]["code"],
        "free-shipping"
    );
    assert_eq!(amount(&estimate, "priceSummary.shipping"), "0");
    // After a discount that takes the subtotal under $75, it is gone.
    shop.current(Method::PATCH, "", Some(json!({"couponCode": "BIG50"})))
        .await;
    shop.add(THROW, json!({"options": {"Color": "Moss"}}), 2)
        .await; // $267 → BIG50 applies
    let estimate = shop.estimate(json!({})).await;
    assert_eq!(
        estimate["shippingInfo"]["selectedCarrierServiceOption"]["code"],
        "free-shipping"
    );
}

#[tokio::test]
async fn problems_become_calculation_errors_not_failures() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 1).await;
    let unknown = shop
        .estimate(json!({"selectedShippingOption": {"code": "teleport"}}))
        .await;
    assert_eq!(
        unknown["calculationErrors"]["selectedShippingOptionError"]["applicationError"]["code"],
        "SELECTED_CARRIER_SERVICE_OPTION_NOT_FOUND"
    );
    assert_eq!(
        unknown["shippingInfo"]["selectedCarrierServiceOption"]["code"],
        "standard-shipping"
    );
    let japan = shop
        .estimate(json!({"shippingAddress": {"country": "JP"}}))
        .await;
    assert_eq!(
        japan["calculationErrors"]["generalShippingCalculationError"]["applicationError"]["code"],
        "NO_SHIPPING_OPTIONS"
    );
    assert_eq!(amount(&japan, "priceSummary.shipping"), "0");
    assert_eq!(amount(&japan, "priceSummary.tax"), "0");
    let (status, body) = shop
        .current(
            Method::POST,
            "/estimate-totals",
            Some(json!({"shippingAddress": {"country": "Japan"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[("shippingAddress.country", "FORMAT")])
    );
}

#[tokio::test]
async fn digital_only_carts_need_no_shipping() {
    let shop = Shop::new().await;
    shop.add(E_BOOK, json!(null), 1).await;
    let estimate = shop.estimate(json!({})).await;
    assert_eq!(amount(&estimate, "priceSummary.shipping"), "0");
    assert!(estimate["shippingInfo"]["selectedCarrierServiceOption"].is_null());
    assert_eq!(amount(&estimate, "priceSummary.total"), "13.07"); // 12 + 8.875%
}

#[tokio::test]
async fn discounts_show_in_the_estimate() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 2).await; // $25
    let cart = shop
        .add(
            T_SHIRT,
            json!({"options": {"Color": "Navy", "Size": "M"}}),
            2,
        )
        .await; // $50
    shop.current(Method::PATCH, "", Some(json!({"couponCode": "TSHIRT5"})))
        .await;
    let estimate = shop
        .estimate(json!({"shippingAddress": {"country": "US", "subdivision": "US-OR"}}))
        .await;
    assert_eq!(amount(&estimate, "priceSummary.subtotal"), "75");
    assert_eq!(amount(&estimate, "priceSummary.discount"), "5");
    let discount = &estimate["appliedDiscounts"][0];
    assert_eq!(discount["discountType"], "SPECIFIC_ITEMS");
    assert_eq!(discount["coupon"]["name"], "$5 off T-shirts");
    assert_eq!(discount["lineItemIds"], json!([cart["lineItems"][1]["id"]]));
    let t_shirt = &estimate["calculatedLineItems"][1]["pricesBreakdown"];
    assert_eq!(t_shirt["totalDiscount"]["amount"], "5");
    assert_eq!(t_shirt["totalPriceBeforeTax"]["amount"], "45");
    // $70 after discount is under the free-shipping threshold: standard $5.
    assert_eq!(amount(&estimate, "priceSummary.total"), "75");
}

#[tokio::test]
async fn a_coupon_that_stops_applying_is_reported_in_the_estimate() {
    let shop = Shop::new().await;
    let cart = shop
        .add(THROW, json!({"options": {"Color": "Oat"}}), 3)
        .await; // $267
    shop.current(Method::PATCH, "", Some(json!({"couponCode": "BIG50"})))
        .await;
    let id = cart["lineItems"][0]["id"].clone();
    shop.current(
        Method::POST,
        "/update-line-items-quantity",
        Some(json!({"lineItems": [{"id": id, "quantity": 1}]})),
    )
    .await;
    let estimate = shop.estimate(json!({})).await;
    assert_eq!(amount(&estimate, "priceSummary.discount"), "0");
    let error = &estimate["calculationErrors"]["couponCalculationError"]["applicationError"];
    assert_eq!(error["code"], "ERROR_COUPON_NOT_APPLICABLE");
    assert_eq!(error["data"]["reason"], "MIN_SUBTOTAL_NOT_REACHED");
}

#[tokio::test]
async fn low_stock_is_a_violation_warning() {
    let shop = Shop::new().await;
    let cart = shop.add(TOTE, json!(null), 1).await;
    let estimate = shop.estimate(json!({})).await;
    assert_eq!(
        estimate["violations"],
        json!([{"severity": "WARNING", "target": {"lineItem": {"name": "LINE_ITEM_DEFAULT", "id": cart["lineItems"][0]["id"]}}, "description": "Only 3 left in stock."}])
    );
}

#[tokio::test]
async fn tax_included_in_prices_is_extracted_not_added() {
    let mut rules = ShopRules::demo();
    rules.tax_included_in_prices = true;
    let shop = Shop::with_rules(rules).await;
    shop.add(E_BOOK, json!(null), 1).await; // $12 incl. tax
    let estimate = shop
        .estimate(json!({"shippingAddress": {"country": "GB"}}))
        .await;
    assert_eq!(amount(&estimate, "priceSummary.tax"), "2"); // 12 - 12/1.2
    assert_eq!(amount(&estimate, "priceSummary.total"), "12");
    assert_eq!(
        estimate["calculatedLineItems"][0]["pricesBreakdown"]["totalPriceBeforeTax"]["amount"],
        "10"
    );
    assert_eq!(estimate["cart"]["taxIncludedInPrices"], true);
}

#[tokio::test]
async fn checkout_is_created_once_and_updated_after() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 2).await;
    let (status, first) = shop
        .current(
            Method::POST,
            "/create-checkout",
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let id = first["checkoutId"].as_str().unwrap().to_owned();
    assert_eq!(
        first["checkoutUrl"],
        format!("http://shop.test/checkout/{id}")
    );
    let (_, cart) = shop.current(Method::GET, "", None).await;
    assert_eq!(cart["cart"]["checkoutId"], id.as_str());
    let (_, second) = shop
        .current(
            Method::POST,
            "/create-checkout",
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    assert_eq!(second["checkoutId"], id.as_str());
    let (status, page) = shop
        .raw(Method::GET, &format!("/checkout/{id}"), None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.as_str().unwrap().contains("Total: $32.22"), "{page}");
    // The page runs no script and cannot be framed, and is never sniffed.
    let request = axum::http::Request::get(format!("/checkout/{id}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(shop.server.router.clone(), request)
        .await
        .unwrap();
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    let policy = header("content-security-policy");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(header("x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn the_override_checkout_url_wins() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 1).await;
    shop.current(
        Method::PATCH,
        "",
        Some(json!({"cartInfo": {"overrideCheckoutUrl": "https://merchant.test/pay?x=1"}})),
    )
    .await;
    let (_, body) = shop
        .current(
            Method::POST,
            "/create-checkout",
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    let id = body["checkoutId"].as_str().unwrap();
    assert_eq!(
        body["checkoutUrl"],
        format!("https://merchant.test/pay?x=1&checkoutId={id}")
    );
}

#[tokio::test]
async fn checkout_requests_are_validated() {
    let shop = Shop::new().await;
    shop.add(MUG, json!(null), 1).await;
    let (status, body) = shop
        .current(
            Method::POST,
            "/create-checkout",
            Some(json!({"email": "not an email"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[("channelType", "REQUIRED_FIELD"), ("email", "FORMAT")])
    );
    let (_, body) = shop
        .current(
            Method::POST,
            "/create-checkout",
            Some(json!({"channelType": "CARRIER_PIGEON"})),
        )
        .await;
    assert_eq!(
        violations(&body),
        pairs(&[("channelType", "INVALID_ENUM_VALUE")])
    );
    let cart = shop.current(Method::GET, "", None).await.1;
    let id = cart["cart"]["lineItems"][0]["id"].clone();
    shop.current(
        Method::POST,
        "/remove-line-items",
        Some(json!({"lineItemIds": [id]})),
    )
    .await;
    let (status, body) = shop
        .current(
            Method::POST,
            "/create-checkout",
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::BAD_REQUEST,
            "CANT_CREATE_CHECKOUT_WITHOUT_ITEMS"
        )
    );
}

#[tokio::test]
async fn amounts_are_formatted_for_the_stores_locale() {
    let mut rules = ShopRules::demo();
    rules.locale = "de-DE".to_owned();
    let shop = Shop::with_rules(rules).await;
    let cart = shop
        .add(THROW, json!({"options": {"Color": "Oat"}}), 3)
        .await; // 267
    assert_eq!(cart["lineItems"][0]["lineItemPrice"]["amount"], "267");
    assert_eq!(
        cart["lineItems"][0]["lineItemPrice"]["formattedAmount"],
        "267,00\u{a0}$"
    );
    assert_eq!(cart["buyerLanguage"], "de");
}
