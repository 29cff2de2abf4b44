//! Handler tests of the cart-by-id API (admin key) and custom line items.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::demo::MUG;
use common::{ADMIN_KEY, CURRENT, Shop, TestServer, add_body, amount, code, pairs, violations};
use serde_json::{Value, json};

const CARTS: &str = "/ecom/v1/carts";

fn gift_wrap() -> Value {
    json!({"quantity": 2, "price": "4.50", "productName": {"original": "Gift wrap"}, "itemType": {"preset": "PHYSICAL"},
           "descriptionLines": [{"name": {"original": "Note"}, "plainText": {"original": "Happy birthday"}}],
           "media": {"url": "https://cdn.example.com/wrap.png"}})
}

async fn create(server: &TestServer, body: Value) -> Value {
    let (status, body) = server
        .call(Method::POST, CARTS, Some(ADMIN_KEY), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["cart"].clone()
}

#[tokio::test]
async fn the_admin_creates_reads_changes_and_deletes_carts_by_id() {
    let server = TestServer::new().await;
    let mut body = add_body(MUG, Value::Null, 1);
    body["customLineItems"] = json!([gift_wrap()]);
    body["couponCode"] = json!("FIVEOFF");
    let cart = create(&server, body).await;
    let id = cart["id"].as_str().unwrap().to_owned();
    assert!(cart["buyerInfo"].is_null(), "belongs to no visitor");
    assert_eq!(cart["lineItems"][1]["customLineItem"], true);
    assert_eq!(cart["lineItems"][1]["productName"]["original"], "Gift wrap");
    assert_eq!(cart["lineItems"][1]["lineItemPrice"]["amount"], "9");
    assert_eq!(
        cart["lineItems"][1]["image"]["url"],
        "https://cdn.example.com/wrap.png"
    );
    assert_eq!(amount(&cart, "subtotal"), "21.5");
    assert_eq!(amount(&cart, "discount"), "5");

    let path = format!("{CARTS}/{id}");
    // The SDK repeats the id as a query parameter.
    let (status, fetched) = server
        .call(
            Method::GET,
            &format!("{path}?id={id}"),
            Some(ADMIN_KEY),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["cart"], cart);

    let (status, updated) = server
        .call(
            Method::PATCH,
            &path,
            Some(ADMIN_KEY),
            Some(json!({"cartInfo": {"id": id, "buyerNote": "By phone"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["cart"]["buyerNote"], "By phone");

    let line = cart["lineItems"][0]["id"].clone();
    let (_, body) = server
        .call(
            Method::POST,
            &format!("{path}/update-line-items-quantity"),
            Some(ADMIN_KEY),
            Some(json!({"id": id, "lineItems": [{"id": line, "quantity": 3}]})),
        )
        .await;
    assert_eq!(body["cart"]["lineItems"][0]["quantity"], 3);
    let (_, body) = server
        .call(
            Method::POST,
            &format!("{path}/remove-coupon"),
            Some(ADMIN_KEY),
            Some(json!({"id": id})),
        )
        .await;
    assert_eq!(body["cart"]["appliedDiscounts"], json!([]));
    let (_, estimate) = server
        .call(
            Method::POST,
            &format!("{path}/estimate-totals"),
            Some(ADMIN_KEY),
            Some(json!({"id": id})),
        )
        .await;
    assert_eq!(amount(&estimate, "priceSummary.subtotal"), "46.5");
    let (status, checkout) = server
        .call(
            Method::POST,
            &format!("{path}/create-checkout"),
            Some(ADMIN_KEY),
            Some(json!({"id": id, "channelType": "BACKOFFICE_MERCHANT"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{checkout}");
    let (_, body) = server
        .call(
            Method::POST,
            &format!("{path}/remove-line-items"),
            Some(ADMIN_KEY),
            Some(json!({"id": id, "lineItemIds": [line]})),
        )
        .await;
    assert_eq!(body["cart"]["lineItems"].as_array().unwrap().len(), 1);
    let (_, body) = server
        .call(
            Method::POST,
            &format!("{path}/add-to-cart"),
            Some(ADMIN_KEY),
            Some(add_body(MUG, Value::Null, 1)),
        )
        .await;
    assert_eq!(body["cart"]["lineItems"].as_array().unwrap().len(), 2);

    let (status, body) = server
        .call(
            Method::DELETE,
            &format!("{path}?id={id}"),
            Some(ADMIN_KEY),
            None,
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, body) = server.call(Method::GET, &path, Some(ADMIN_KEY), None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "CART_NOT_FOUND")
    );
}

#[tokio::test]
async fn carts_by_id_need_the_admin_key() {
    let Shop {
        server,
        token: visitor,
    } = Shop::new().await;
    let id = "00000000-0000-4000-8000-000000000001";
    for token in [None, Some(visitor.as_str()), Some("wrong-key")] {
        let (status, body) = server
            .call(Method::GET, &format!("{CARTS}/{id}"), token, None)
            .await;
        assert!(
            matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
            "{token:?}: {status}"
        );
        assert!(matches!(
            code(&body),
            "UNAUTHENTICATED" | "PERMISSION_DENIED"
        ));
        let (status, _) = server
            .call(
                Method::POST,
                CARTS,
                token,
                Some(add_body(MUG, Value::Null, 1)),
            )
            .await;
        assert!(matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ));
    }
    let bearer = format!("Bearer {ADMIN_KEY}");
    let (status, _) = server
        .call(Method::GET, &format!("{CARTS}/{id}"), Some(&bearer), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = server
        .call(
            Method::GET,
            &format!("{CARTS}/not-a-guid"),
            Some(ADMIN_KEY),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), pairs(&[("id", "FORMAT")]));
}

#[tokio::test]
async fn a_visitor_cannot_reach_their_cart_by_id_nor_another_one() {
    let Shop {
        server,
        token: visitor,
    } = Shop::new().await;
    let (_, body) = server
        .call(
            Method::POST,
            &format!("{CURRENT}/add-to-cart"),
            Some(&visitor),
            Some(add_body(MUG, Value::Null, 1)),
        )
        .await;
    let id = body["cart"]["id"].as_str().unwrap();
    let (status, _) = server
        .call(Method::GET, &format!("{CARTS}/{id}"), Some(&visitor), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The admin can see it.
    let (status, _) = server
        .call(Method::GET, &format!("{CARTS}/{id}"), Some(ADMIN_KEY), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn creating_an_empty_cart_is_refused() {
    let server = TestServer::new().await;
    let (status, body) = server
        .call(
            Method::POST,
            CARTS,
            Some(ADMIN_KEY),
            Some(json!({"cartInfo": {"buyerNote": "x"}})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "CANT_CREATE_CART_WITHOUT_ITEMS")
    );
}

#[tokio::test]
async fn custom_line_items_are_validated() {
    let server = TestServer::new().await;
    let bad = json!({"customLineItems": [
        {"quantity": 0, "price": "-1", "productName": {"original": ""}, "media": {"url": "javascript:alert(1)"}},
        {"quantity": 1, "price": "abc", "fullPrice": "1", "itemType": {"preset": "PHYSICAL"}, "productName": {"original": "ok"}},
        "not an object",
    ]});
    let (status, body) = server
        .call(Method::POST, CARTS, Some(ADMIN_KEY), Some(bad))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        pairs(&[
            ("customLineItems[0].quantity", "MIN"),
            ("customLineItems[0].price", "DECIMAL_GTE"),
            ("customLineItems[0].productName.original", "MIN_LENGTH"),
            ("customLineItems[0].itemType", "REQUIRED_FIELD"),
            ("customLineItems[0].media.url", "FORMAT"),
            ("customLineItems[1].price", "FORMAT"),
            ("customLineItems[2]", "FORMAT"),
        ])
    );
}
