//! Cart V2 helpers: requests to `/ecom/v2/carts/current…` as a shop's visitor.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{STORES, Shop};

pub const V2: &str = cart_wire::CURRENT_CART_V2_PATH;

/// A request to `/ecom/v2/carts/current{suffix}` as `token`.
pub async fn call(
    shop: &Shop,
    token: &str,
    method: Method,
    suffix: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    shop.raw(method, &format!("{V2}{suffix}"), Some(token), body)
        .await
}

/// The same, as the shop's visitor.
pub async fn v2(
    shop: &Shop,
    method: Method,
    suffix: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    call(shop, &shop.token, method, suffix, body).await
}

/// A V2 call that must succeed; its body.
pub async fn ok(shop: &Shop, method: Method, suffix: &str, body: Option<Value>) -> Value {
    let (status, answer) = v2(shop, method.clone(), suffix, body).await;
    assert_eq!(status, StatusCode::OK, "{method} {suffix}: {answer}");
    answer
}

pub fn catalog_items(item: &str, options: Value, quantity: i64) -> Value {
    let reference = json!({"catalogItemId": item, "appId": STORES, "options": options});
    json!({"catalogItems": [{"catalogReference": reference, "quantity": quantity}]})
}

pub async fn add(shop: &Shop, item: &str, quantity: i64) -> Value {
    ok(
        shop,
        Method::POST,
        "/add-line-items",
        Some(catalog_items(item, Value::Null, quantity)),
    )
    .await["cart"]
        .clone()
}

pub fn line_id(cart: &Value, index: usize) -> String {
    cart["lineItems"][index]["id"].as_str().unwrap().to_owned()
}
