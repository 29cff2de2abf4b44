//! `/openapi.json` documents the answers the server gives, errors included,
//! so a client generated from it (or Schemathesis, `cargo xtask fuzz`)
//! meets no status it was not told of: each case here is one the fuzzer
//! found answered but undocumented.

mod common;

use axum::http::{Method, StatusCode};
use cart_server::demo::MUG;
use common::{ADMIN_KEY, STORES, Shop};
use serde_json::{Value, json};

/// The description's operations: (method, path, operation).
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut operations = Vec::new();
    for (path, methods) in spec["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            operations.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    operations
}

/// The path with its parameters filled in (any id: the body is refused first).
fn concrete(path: &str) -> String {
    path.replace("{id}", "00000000-0000-4000-8000-000000000001")
        .replace("{cartId}", "00000000-0000-4000-8000-000000000001")
}

/// The credential an operation's `security` asks for.
fn credential<'a>(operation: &Value, visitor: &'a str) -> Option<&'a str> {
    let security = operation["security"].to_string();
    if security.contains("admin") {
        Some(ADMIN_KEY)
    } else if security.contains("visitor") {
        Some(visitor)
    } else {
        None
    }
}

/// Sends `body` to an operation; fails unless the answer's status is one
/// the operation documents, in the error envelope when it is an error.
async fn assert_documented(shop: &Shop, method: &str, path: &str, operation: &Value, body: Value) {
    let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let (status, answer) = shop
        .raw(
            verb,
            &concrete(path),
            credential(operation, &shop.token),
            Some(body),
        )
        .await;
    let documented = &operation["responses"][status.as_str()];
    assert!(
        documented.is_object(),
        "{method} {path} answered {status}, which it does not document: {answer}"
    );
    if !status.is_success() {
        assert!(
            answer["message"].is_string() && answer["details"].is_object(),
            "{method} {path}: {status} not in the envelope: {answer}"
        );
    }
}

async fn spec(shop: &Shop) -> Value {
    let (status, spec) = shop.raw(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    spec
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_gets_a_documented_answer_everywhere() {
    let shop = Shop::new().await;
    let spec = spec(&shop).await;
    let mut checked = 0;
    for (method, path, operation) in operations(&spec) {
        if operation["requestBody"]["content"]["application/json"].is_object() {
            for body in [json!("AAA"), json!([null, null]), json!({"lineItems": 5})] {
                assert_documented(&shop, &method, &path, &operation, body).await;
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} operations take a JSON body");
}

#[tokio::test]
async fn custom_line_items_from_a_visitor_get_a_documented_403() {
    let shop = Shop::new().await;
    let spec = spec(&shop).await;
    let custom = json!([{"productName": {"original": "Gift wrap"}, "price": "2.00",
                         "quantity": 1, "itemType": {"preset": "PHYSICAL"}}]);
    let catalog = json!([{"catalogReference": {"catalogItemId": MUG, "appId": STORES},
                          "quantity": 1}]);
    let cases = [
        (
            "post",
            "/ecom/v1/carts/current/add-to-cart",
            json!({"customLineItems": custom}),
        ),
        (
            "patch",
            "/ecom/v1/carts/current",
            json!({"customLineItems": custom}),
        ),
        (
            "post",
            "/ecom/v2/carts/current",
            json!({"customItems": custom, "catalogItems": catalog}),
        ),
        (
            "post",
            "/ecom/v2/carts/current/add-line-items",
            json!({"customItems": custom}),
        ),
    ];
    for (method, path, body) in cases {
        let operation = &spec["paths"][path][method];
        let (status, _) = shop
            .raw(
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                path,
                Some(&shop.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_documented(&shop, method, path, operation, body).await;
    }
}

#[tokio::test]
async fn a_wrong_admin_key_gets_a_documented_403_on_every_admin_operation() {
    let shop = Shop::new().await;
    let spec = spec(&shop).await;
    for (method, path, operation) in operations(&spec) {
        if credential(&operation, "") == Some(ADMIN_KEY) {
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (status, _) = shop
                .raw(verb, &concrete(&path), Some("wrong-key"), Some(json!({})))
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
            assert!(
                operation["responses"]["403"].is_object(),
                "{method} {path} does not document its 403"
            );
        }
    }
}

#[tokio::test]
async fn the_rate_limited_token_endpoint_and_the_empty_delivery_document_their_statuses() {
    let shop = Shop::new().await;
    let spec = spec(&shop).await;
    let token = &spec["paths"]["/oauth2/token"]["post"]["responses"]["429"];
    assert!(token.is_object(), "the token rate limit's 429");
    // An empty cart has nothing to deliver: 428.
    let path = "/ecom/v2/carts/current/set-delivery-method";
    let body = json!({"deliveryMethod": {"code": "STANDARD"}});
    shop.raw(
        Method::POST,
        "/ecom/v2/carts/current/add-line-items",
        Some(&shop.token),
        Some(json!({"catalogItems": [{"catalogReference":
            {"catalogItemId": cart_server::demo::E_BOOK, "appId": STORES}, "quantity": 1}]})),
    )
    .await;
    let operation = &spec["paths"][path]["post"];
    let (status, _) = shop
        .raw(Method::POST, path, Some(&shop.token), Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    assert_documented(&shop, "post", path, operation, body).await;
}

/// A body that stalls gets 408 `REQUEST_TIMEOUT` (`tests/connections.rs`
/// stalls one over real TCP): every operation that takes a body says so.
#[tokio::test]
async fn every_operation_with_a_body_documents_the_stalled_body_timeout() {
    let shop = Shop::new().await;
    let spec = spec(&shop).await;
    let with_body: Vec<_> = operations(&spec)
        .into_iter()
        .filter(|(_, _, operation)| operation["requestBody"].is_object())
        .collect();
    assert!(with_body.len() > 20, "only {} operations", with_body.len());
    for (method, path, operation) in with_body {
        assert!(
            operation["responses"]["408"].is_object(),
            "{method} {path} does not document 408"
        );
    }
}
