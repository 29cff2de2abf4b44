//! What one anonymous visitor can store is bounded: line options by size,
//! depth and custom text length, a whole cart by its stored size,
//! custom-item prices by amount and format, their links and colours by
//! form. Each bound is a field violation in the envelope, and nothing is
//! stored.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::demo::MUG;
use cart_wire::{
    CURRENT_CART_V2_PATH, MAX_CART_BYTES, MAX_CUSTOM_TEXT_LENGTH, MAX_LINE_ITEMS,
    MAX_OPTIONS_BYTES, MAX_OPTIONS_DEPTH, MAX_PRICE,
};
use common::{ADMIN_KEY, CURRENT, STORES, Shop, add_body, pairs, violations};
use serde_json::{Value, json};

/// The demo catalog's "no variant" id.
const DEFAULT_VARIANT_ID: &str = "00000000-0000-0000-0000-000000000000";
const OPTIONS: &str = "lineItems[0].catalogReference.options";

/// Adds one line with `options`; returns the answer.
async fn add_with(shop: &Shop, options: Value) -> (StatusCode, Value) {
    let path = format!("{CURRENT}/add-to-cart");
    let body = add_body(MUG, options, 1);
    shop.server
        .call(Method::POST, &path, Some(&shop.token), Some(body))
        .await
}

/// Options `depth` objects deep.
fn nested(depth: usize) -> Value {
    (1..depth).fold(json!({"leaf": "x"}), |inner, _| json!({"deeper": inner}))
}

async fn assert_cart_unchanged(shop: &Shop) {
    let (status, body) = shop
        .server
        .call(Method::GET, CURRENT, Some(&shop.token), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was stored: {body}");
}

#[tokio::test]
async fn options_too_large_too_deep_or_with_long_custom_text_are_refused() {
    let shop = Shop::new().await;
    let big = json!({"options": {"Size": "M"}, "note": "x".repeat(MAX_OPTIONS_BYTES)});
    let (status, body) = add_with(&shop, big).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), pairs(&[(OPTIONS, "MAX_SIZE")]));

    let (status, body) = add_with(&shop, nested(MAX_OPTIONS_DEPTH + 1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), pairs(&[(OPTIONS, "MAX_DEPTH")]));

    let long = "é".repeat(MAX_CUSTOM_TEXT_LENGTH + 1);
    let text = json!({"options": {"Size": "M"}, "customTextFields": {"Engraving": long}});
    let (status, body) = add_with(&shop, text).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let field = format!("{OPTIONS}.customTextFields.Engraving");
    assert_eq!(violations(&body), pairs(&[(&field, "MAX_LENGTH")]));
    assert_cart_unchanged(&shop).await;
}

#[tokio::test]
async fn options_at_the_bounds_are_stored_and_read_back() {
    let shop = Shop::new().await;
    let text = "é".repeat(MAX_CUSTOM_TEXT_LENGTH);
    let options = json!({"variantId": DEFAULT_VARIANT_ID, "customTextFields": {"Engraving": text}});
    let (status, body) = add_with(&shop, options.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = add_with(&shop, nested(MAX_OPTIONS_DEPTH)).await;
    assert_ne!(
        status,
        StatusCode::BAD_REQUEST,
        "within the depth bound: {body}"
    );
    let (_, body) = shop
        .server
        .call(Method::GET, CURRENT, Some(&shop.token), None)
        .await;
    let stored = &body["cart"]["lineItems"][0]["catalogReference"]["options"];
    assert_eq!(stored["customTextFields"], options["customTextFields"]);
}

#[tokio::test]
async fn the_same_bounds_hold_through_cart_v2() {
    let shop = Shop::new().await;
    let reference = json!({"catalogItemId": MUG, "appId": cart_wire::WIX_STORES_APP_ID,
                           "options": nested(MAX_OPTIONS_DEPTH + 1)});
    let body = json!({"catalogItems": [{"catalogReference": reference, "quantity": 1}]});
    let path = format!("{}/add-line-items", cart_wire::CURRENT_CART_V2_PATH);
    let (status, body) = shop
        .server
        .call(Method::POST, &path, Some(&shop.token), Some(body))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        violations(&body),
        pairs(&[("catalogItems[0].catalogReference.options", "MAX_DEPTH")])
    );
}

#[tokio::test]
async fn custom_item_prices_are_bounded_and_plain_decimals() {
    let shop = Shop::new().await;
    let item = |price: &str| {
        json!({"quantity": 1, "price": price, "productName": {"original": "Thing"},
               "itemType": {"preset": "PHYSICAL"}})
    };
    let too_much = (MAX_PRICE + 1).to_string();
    let body = json!({"customLineItems": [item(&too_much), item("1e5"), item("12.50")]});
    let (status, body) = shop
        .server
        .call(Method::POST, "/ecom/v1/carts", Some(ADMIN_KEY), Some(body))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            ("customLineItems[0].price", "DECIMAL_LTE"),
            ("customLineItems[1].price", "FORMAT"),
        ])
    );
}

/// `count` catalog items, each a line of its own (its own engraving) with
/// options just under `MAX_OPTIONS_BYTES`.
fn large_lines(from: usize, count: usize) -> Vec<Value> {
    (from..from + count)
        .map(|i| {
            let options = json!({"variantId": DEFAULT_VARIANT_ID,
                                 "customTextFields": {"Engraving": i.to_string()},
                                 "note": "x".repeat(MAX_OPTIONS_BYTES - 200)});
            json!({"catalogReference": {"catalogItemId": MUG, "appId": STORES, "options": options},
                   "quantity": 1})
        })
        .collect()
}

async fn line_count(shop: &Shop) -> usize {
    let (_, body) = shop
        .server
        .call(Method::GET, CURRENT, Some(&shop.token), None)
        .await;
    body["cart"]["lineItems"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_cart_grows_only_up_to_its_stored_size_through_v1_and_v2() {
    let shop = Shop::new().await;
    let path = format!("{CURRENT}/add-to-cart");
    let batch = 20;
    let mut lines = 0;
    // Each line is within its own bounds; the lines the API allows are
    // not, together.
    let refused = loop {
        let body = json!({"lineItems": large_lines(lines, batch)});
        let (status, body) = shop
            .server
            .call(Method::POST, &path, Some(&shop.token), Some(body))
            .await;
        if status != StatusCode::OK {
            break (status, body);
        }
        lines += batch;
    };
    assert!(lines + batch < MAX_LINE_ITEMS, "refused at {lines} lines");
    assert!(lines * MAX_OPTIONS_BYTES >= MAX_CART_BYTES / 2, "{lines}");
    assert_eq!(refused.0, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&refused.1), pairs(&[("lineItems", "MAX_SIZE")]));
    let violation = &refused.1["details"]["validationError"]["fieldViolations"][0];
    assert_eq!(violation["data"]["max"], MAX_CART_BYTES);
    assert_eq!(line_count(&shop).await, lines, "nothing of it was stored");

    let v2 = format!("{CURRENT_CART_V2_PATH}/add-line-items");
    let body = json!({"catalogItems": large_lines(lines, batch)});
    let (status, body) = shop
        .server
        .call(Method::POST, &v2, Some(&shop.token), Some(body))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(violations(&body), pairs(&[("lineItems", "MAX_SIZE")]));
    assert_eq!(line_count(&shop).await, lines);
    // What fits may still be added: a line with no options.
    let (status, body) = shop.server.add(&shop.token, MUG, 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn custom_item_links_and_colours_are_plain() {
    let shop = Shop::new().await;
    let item = |url: &str, path: &str, color: &str| {
        json!({"quantity": 1, "price": "5", "productName": {"original": "Thing"},
               "itemType": {"preset": "PHYSICAL"},
               "url": {"relativePath": path, "url": url},
               "descriptionLines": [{"name": {"original": "Colour"},
                                     "colorInfo": {"original": "Red", "code": color}}]})
    };
    let body = json!({"customLineItems": [
        item("javascript:alert(1)", "//evil.test/x", "red;background:url(https://evil.test/x)"),
        item("https://shop.example.com/thing", "/thing", "#1a2B3c"),
        item("data:text/html,x", "/thing", "navy"),
    ]});
    let (status, body) = shop
        .server
        .call(Method::POST, "/ecom/v1/carts", Some(ADMIN_KEY), Some(body))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            (
                "customLineItems[0].descriptionLines[0].colorInfo.code",
                "FORMAT"
            ),
            ("customLineItems[0].url.url", "FORMAT"),
            ("customLineItems[0].url.relativePath", "FORMAT"),
            ("customLineItems[2].url.url", "FORMAT"),
        ])
    );
    let body =
        json!({"customLineItems": [item("https://shop.example.com/thing", "/thing", "navy")]});
    let (status, body) = shop
        .server
        .call(Method::POST, "/ecom/v1/carts", Some(ADMIN_KEY), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
