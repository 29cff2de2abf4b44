//! Handler tests: every endpoint and error path, through `app()` with `oneshot`.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use cart_server::demo::{E_BOOK, MUG, TOTE};
use common::{
    CURRENT, STORES, Shop, TestServer, add_body, code as application_code, fixture, router_for,
    send, violations,
};
use serde_json::{Value, json};

const ADD: &str = "/ecom/v1/carts/current/add-to-cart";

#[tokio::test]
async fn anonymous_token_has_the_shape_wix_sdk_reads() {
    let server = TestServer::new().await;
    let body = server.anonymous_tokens().await;
    let expected = fixture("oauth2-token-response.json");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&body), keys(&expected));
    assert_eq!(body["expires_in"], 14_400);
    assert_ne!(body["access_token"], body["refresh_token"]);
}

#[tokio::test]
async fn token_requests_are_validated() {
    let server = TestServer::new().await;
    let cases = [
        (
            json!({"grantType": "anonymous"}),
            ("clientId", "REQUIRED_FIELD"),
        ),
        (json!({"clientId": "c"}), ("grantType", "REQUIRED_FIELD")),
        (
            json!({"clientId": "c", "grantType": "password"}),
            ("grantType", "INVALID_ENUM_VALUE"),
        ),
        (
            json!({"clientId": "c", "grantType": "refresh_token"}),
            ("refreshToken", "REQUIRED_FIELD"),
        ),
    ];
    for (request, (field, rule)) in cases {
        let (status, body) = server
            .call(Method::POST, "/oauth2/token", None, Some(request))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(violations(&body), vec![(field.to_owned(), rule.to_owned())]);
    }
}

#[tokio::test]
async fn a_refresh_token_renews_access_to_the_same_cart() {
    let server = TestServer::new().await;
    let tokens = server.anonymous_tokens().await;
    let first = tokens["access_token"].as_str().unwrap();
    server.add(first, MUG, 2).await;
    let (status, renewed) = server
        .call(
            Method::POST,
            "/oauth2/token",
            None,
            Some(json!({"clientId": "c", "grantType": "refresh_token", "refreshToken": tokens["refresh_token"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Rotated: the answer's refresh token replaces the spent one.
    assert_ne!(renewed["refresh_token"], tokens["refresh_token"]);
    let second = renewed["access_token"].as_str().unwrap();
    assert_ne!(first, second);
    let (status, body) = server.call(Method::GET, CURRENT, Some(second), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["cart"]["lineItems"][0]["quantity"], 2);
}

#[tokio::test]
async fn unknown_refresh_tokens_are_refused_with_401() {
    let server = TestServer::new().await;
    let (status, body) = server
        .call(
            Method::POST,
            "/oauth2/token",
            None,
            Some(json!({"clientId": "c", "grantType": "refresh_token", "refreshToken": "nope"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(application_code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn cart_requests_without_a_valid_token_get_401() {
    let server = TestServer::new().await;
    for token in [None, Some("garbage"), Some("Bearer garbage"), Some("")] {
        let (status, body) = server.call(Method::GET, CURRENT, token, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(application_code(&body), "UNAUTHENTICATED");
        let (status, _) = server
            .call(
                Method::POST,
                ADD,
                token,
                Some(add_body(MUG, Value::Null, 1)),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
    }
}

#[tokio::test]
async fn the_token_is_accepted_raw_or_as_a_bearer_token() {
    let Shop { server, token } = Shop::new().await;
    server.add(&token, MUG, 1).await;
    for header in [
        token.clone(),
        format!("Bearer {token}"),
        format!("bearer {token}"),
    ] {
        let (status, _) = server.call(Method::GET, CURRENT, Some(&header), None).await;
        assert_eq!(status, StatusCode::OK, "{header}");
    }
}

#[tokio::test]
async fn a_visitor_without_a_cart_gets_owned_cart_not_found() {
    let Shop { server, token } = Shop::new().await;
    let (status, body) = server.call(Method::GET, CURRENT, Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, fixture("error-owned-cart-not-found.json"));
}

#[tokio::test]
async fn adding_creates_the_cart_with_catalog_data() {
    let Shop { server, token } = Shop::new().await;
    let (status, body) = server.add(&token, MUG, 2).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cart = &body["cart"];
    let line = &cart["lineItems"][0];
    assert_eq!(line["productName"]["original"], "Stoneware Mug");
    assert_eq!(line["quantity"], 2);
    assert_eq!(line["catalogReference"]["catalogItemId"], MUG);
    assert_eq!(line["catalogReference"]["appId"], STORES);
    assert_eq!(line["price"]["amount"], "12.5");
    assert_eq!(line["price"]["formattedAmount"], "$12.50");
    assert_eq!(line["lineItemPrice"]["amount"], "25");
    assert_eq!(line["lineItemPrice"]["formattedAmount"], "$25.00");
    assert_eq!(line["image"]["url"], "http://shop.test/products/mug.svg");
    assert_eq!(
        line["availability"],
        json!({"status": "AVAILABLE", "quantityAvailable": 25})
    );
    assert_eq!(line["itemType"]["preset"], "PHYSICAL");
    assert_eq!(cart["currency"], "USD");
    assert_eq!(cart["revision"], "1");
    assert!(cart["buyerInfo"]["visitorId"].is_string());

    let (status, fetched) = server.call(Method::GET, CURRENT, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, body);
}

#[tokio::test]
async fn adding_the_same_item_again_merges_quantities() {
    let Shop { server, token } = Shop::new().await;
    server.add(&token, MUG, 2).await;
    server.add(&token, E_BOOK, 1).await;
    let (_, body) = server.add(&token, MUG, 3).await;
    let lines = body["cart"]["lineItems"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["quantity"], 5);
    assert_eq!(body["cart"]["subtotal"]["amount"], "74.5");
    assert_eq!(body["cart"]["revision"], "3");
}

#[tokio::test]
async fn quantities_beyond_stock_are_clamped() {
    let Shop { server, token } = Shop::new().await;
    let (status, body) = server.add(&token, TOTE, 5).await;
    assert_eq!(status, StatusCode::OK);
    let line = &body["cart"]["lineItems"][0];
    assert_eq!(line["quantity"], 3);
    assert_eq!(line["availability"]["quantityAvailable"], 3);
}

#[tokio::test]
async fn add_to_cart_reports_every_invalid_field() {
    let Shop { server, token } = Shop::new().await;
    let long_id = "x".repeat(37);
    let request = json!({"lineItems": [
        {"catalogReference": {"catalogItemId": MUG, "appId": STORES}, "quantity": 0},
        {"catalogReference": {"catalogItemId": MUG, "appId": STORES}, "quantity": 100_001},
        {"quantity": 1},
        {"catalogReference": {"catalogItemId": long_id, "appId": ""}},
    ]});
    let (status, body) = server
        .call(Method::POST, ADD, Some(&token), Some(request))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        [
            ("lineItems[0].quantity", "MIN"),
            ("lineItems[1].quantity", "MAX"),
            ("lineItems[2].catalogReference", "REQUIRED_FIELD"),
            ("lineItems[3].quantity", "REQUIRED_FIELD"),
            ("lineItems[3].catalogReference.catalogItemId", "MAX_LENGTH"),
            ("lineItems[3].catalogReference.appId", "MIN_LENGTH"),
        ]
        .map(|(f, r)| (f.to_owned(), r.to_owned()))
    );
    assert_eq!(
        body["details"]["validationError"]["fieldViolations"][0]["data"]["threshold"],
        1
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("INVALID_ARGUMENT: ")
    );
    // Nothing was added.
    let (status, _) = server.call(Method::GET, CURRENT, Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn add_to_cart_needs_one_to_a_hundred_items() {
    let Shop { server, token } = Shop::new().await;
    let (status, body) = server
        .call(Method::POST, ADD, Some(&token), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        [("lineItems".to_owned(), "MIN_SIZE".to_owned())]
    );
    let items: Vec<Value> = (0..101)
        .map(
            |_| json!({"catalogReference": {"catalogItemId": MUG, "appId": STORES}, "quantity": 1}),
        )
        .collect();
    let (status, body) = server
        .call(
            Method::POST,
            ADD,
            Some(&token),
            Some(json!({"lineItems": items})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        [("lineItems".to_owned(), "MAX_SIZE".to_owned())]
    );
}

#[tokio::test]
async fn unknown_catalog_items_are_refused_clearly() {
    let Shop { server, token } = Shop::new().await;
    let (status, body) = server
        .add(&token, "00000000-0000-0000-0000-00000000dead", 1)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(application_code(&body), "ITEM_NOT_FOUND_IN_CATALOG");
    assert_eq!(
        body["details"]["applicationError"]["data"]["invalidItems"][0]["catalogReference"]["catalogItemId"],
        "00000000-0000-0000-0000-00000000dead"
    );
}

#[tokio::test]
async fn unreadable_bodies_get_the_error_envelope() {
    let Shop { server, token } = Shop::new().await;
    let request = |content_type: Option<&str>, body: Vec<u8>| {
        let mut builder = Request::post(ADD).header(header::AUTHORIZATION, &token);
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        builder.body(Body::from(body)).unwrap()
    };
    let cases = [
        (
            request(Some("application/json"), b"{".to_vec()),
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
        ),
        (
            request(Some("application/json"), b"{\"lineItems\": 5}".to_vec()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_JSON",
        ),
        (
            request(None, b"{}".to_vec()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            request(Some("text/plain"), b"{}".to_vec()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            request(Some("application/json"), vec![b' '; 2 * 1024 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
        ),
    ];
    for (request, status, code) in cases {
        let (got, body) = send(&server.router, request).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(application_code(&body), code);
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused_before_anything_else() {
    let server = TestServer::new().await;
    // No token, no body sent: the declared length alone is refused (413,
    // not the 401 the missing token would otherwise give).
    let request = Request::post(ADD)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "1000000000")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&server.router, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(application_code(&body), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let Shop { server, token } = Shop::new().await;
    let mut body = add_body(MUG, Value::Null, 1);
    body["somethingNew"] = json!(true);
    body["lineItems"][0]["extra"] = json!({"nested": 1});
    let (status, _) = server
        .call(Method::POST, ADD, Some(&token), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn one_visitor_never_sees_another_visitors_cart() {
    let server = TestServer::new().await;
    let alice = server.visitor().await;
    let bob = server.visitor().await;
    server.add(&alice, MUG, 1).await;
    let (status, _) = server.call(Method::GET, CURRENT, Some(&bob), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body) = server.add(&bob, E_BOOK, 1).await;
    assert_eq!(body["cart"]["lineItems"].as_array().unwrap().len(), 1);
    let (_, body) = server.call(Method::GET, CURRENT, Some(&alice), None).await;
    assert_eq!(
        body["cart"]["lineItems"][0]["catalogReference"]["catalogItemId"],
        MUG
    );
    assert_eq!(body["cart"]["lineItems"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn carts_and_tokens_survive_a_restart() {
    let Shop { server, token } = Shop::new().await;
    server.add(&token, MUG, 4).await;
    // The first server stops before the second starts: one server per file.
    let TestServer { router, dir } = server;
    drop(router);
    let restarted = router_for(&dir.path().join("cart.db")).await;
    let request = Request::get(CURRENT)
        .header(header::AUTHORIZATION, &token)
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&restarted, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["cart"]["lineItems"][0]["quantity"], 4);
}

#[tokio::test]
async fn a_second_server_on_the_same_sqlite_file_is_refused_while_the_first_runs() {
    // The server keeps carts and tokens in memory (`db::read_cache`), which
    // is exact only while no other process writes the file.
    let server = TestServer::new().await;
    let error = cart_server::Db::open(&server.dir.path().join("cart.db"))
        .await
        .err()
        .expect("a second server on the same file must not start");
    assert!(
        error.to_string().contains("in use by another cart-server"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_adds_never_lose_an_update() {
    let server = Arc::new(TestServer::new().await);
    let token = server.visitor().await;
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let server = server.clone();
            let token = token.clone();
            tokio::spawn(async move { server.add(&token, E_BOOK, 1).await.0 })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let (_, body) = server.call(Method::GET, CURRENT, Some(&token), None).await;
    assert_eq!(body["cart"]["lineItems"][0]["quantity"], 100);
    assert_eq!(body["cart"]["revision"], "100");
}

#[tokio::test]
async fn wrong_methods_get_the_error_envelope() {
    let server = TestServer::new().await;
    let (status, body) = server.call(Method::PUT, CURRENT, None, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(application_code(&body), "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn unknown_paths_get_the_error_envelope() {
    let server = TestServer::new().await;
    let (status, body) = server
        .call(Method::GET, "/ecom/v1/nothing", None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(application_code(&body), "NOT_FOUND");
}

/// `GET` of the products query with `.r` = base64 of `{"query": query}`.
async fn query_products(server: &TestServer, query: Value) -> (StatusCode, Value) {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({ "query": query }).to_string());
    let path = format!("/stores-reader/v1/products/query-platformized?.r={encoded}");
    server.call(Method::GET, &path, None, None).await
}

#[tokio::test]
async fn the_products_query_pages_through_the_catalog() {
    let server = TestServer::new().await;
    let (status, all) = query_products(
        &server,
        json!({"filter": {}, "paging": {"offset": 0, "limit": 50}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let total = all["totalResults"].as_u64().unwrap();
    assert!(total >= 10);
    assert_eq!(all["metadata"]["total"], total);
    assert_eq!(all["products"].as_array().unwrap().len() as u64, total);

    let (_, page) = query_products(
        &server,
        json!({"filter": {}, "paging": {"offset": 2, "limit": 3}}),
    )
    .await;
    let ids: Vec<&Value> = page["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["id"])
        .collect();
    let expected: Vec<&Value> = all["products"].as_array().unwrap()[2..5]
        .iter()
        .map(|p| &p["id"])
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(
        page["metadata"],
        json!({"items": 3, "offset": 2, "total": total})
    );
}

#[tokio::test]
async fn products_have_wix_stores_fields() {
    let server = TestServer::new().await;
    let (_, body) = query_products(
        &server,
        json!({"filter": {"slug": "organic-cotton-t-shirt"}}),
    )
    .await;
    let product = &body["products"][0];
    assert_eq!(body["products"].as_array().unwrap().len(), 1);
    assert_eq!(product["name"], "Organic Cotton T-Shirt");
    assert_eq!(product["priceData"]["price"], 30.0);
    assert_eq!(product["priceData"]["discountedPrice"], 25.0);
    assert_eq!(
        product["priceData"]["formatted"]["discountedPrice"],
        "$25.00"
    );
    assert_eq!(
        product["stock"]["inventoryStatus"],
        "PARTIALLY_OUT_OF_STOCK"
    );
    assert_eq!(product["productOptions"][0]["optionType"], "color");
    assert_eq!(
        product["productOptions"][1]["choices"][2]["description"],
        "L"
    );
    assert_eq!(product["variants"].as_array().unwrap().len(), 6);
    assert_eq!(product["variants"][5]["stock"]["inStock"], false);
    assert_eq!(
        product["media"]["mainMedia"]["image"]["url"],
        "http://shop.test/products/t-shirt.svg"
    );
    let (_, body) = query_products(
        &server,
        json!({"filter": {"_id": {"$eq": "6fc271e2-9082-4d76-81aa-5cb0dd7e6f06"}}}),
    )
    .await;
    assert_eq!(
        body["products"][0]["stock"]["inventoryStatus"],
        "OUT_OF_STOCK"
    );
}

#[tokio::test]
async fn unsupported_filters_and_bad_queries_are_refused_clearly() {
    let server = TestServer::new().await;
    let (status, body) =
        query_products(&server, json!({"filter": {"priceData.price": {"$gt": 10}}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        [(
            "query.filter.priceData.price".to_owned(),
            "FIELD_NOT_ALLOWED".to_owned()
        )]
    );
    let (status, body) = query_products(&server, json!({"paging": {"limit": 101}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        [("query.paging.limit".to_owned(), "MAX".to_owned())]
    );
    let (status, body) = server
        .call(
            Method::GET,
            "/stores-reader/v1/products/query-platformized?.r=%%%",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(violations(&body), [(".r".to_owned(), "FORMAT".to_owned())]);
}

#[tokio::test]
async fn paging_that_is_not_a_non_negative_integer_is_refused_not_replaced() {
    let server = TestServer::new().await;
    for (paging, field) in [
        (json!({"limit": "10"}), "query.paging.limit"),
        (json!({"limit": 10.5}), "query.paging.limit"),
        (json!({"limit": 1e1}), "query.paging.limit"),
        (json!({"offset": -1}), "query.paging.offset"),
        (json!({"offset": true}), "query.paging.offset"),
        (json!(5), "query.paging"),
    ] {
        let (status, body) = query_products(&server, json!({ "paging": paging })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{paging}: {body}");
        assert_eq!(
            violations(&body),
            [(field.to_owned(), "FORMAT".to_owned())],
            "{paging}"
        );
    }
    let (status, body) = query_products(&server, json!({"paging": {"limit": null}})).await;
    assert_eq!(status, StatusCode::OK, "a null is not given: {body}");
}

#[tokio::test]
async fn browsers_on_allowed_origins_may_call_the_api() {
    use tower::ServiceExt;
    let dir = tempfile::tempdir().unwrap();
    let state =
        common::state_for(&dir.path().join("cart.db"), cart_server::ShopRules::demo()).await;
    let router = cart_server::app_with_cors(state, None, &["https://shop.example.com".to_owned()]);
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(CURRENT)
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PATCH")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,content-type",
            )
            .body(Body::empty())
            .unwrap()
    };
    let allowed = router
        .clone()
        .oneshot(preflight("https://shop.example.com"))
        .await
        .unwrap();
    let headers = allowed.headers();
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://shop.example.com"
    );
    let methods = headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(
        methods.contains("PATCH") && methods.contains("DELETE"),
        "{methods}"
    );
    let allowed_headers = headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap();
    assert!(
        allowed_headers.contains("authorization"),
        "{allowed_headers}"
    );
    let refused = router
        .oneshot(preflight("https://evil.example.com"))
        .await
        .unwrap();
    assert!(
        !refused
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    use tower::ServiceExt;
    let server = TestServer::new().await;
    let request = Request::get(CURRENT).body(Body::empty()).unwrap();
    let response = server.router.clone().oneshot(request).await.unwrap();
    let id = response.headers()["x-wix-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "{id}");
    // A client's own id is not echoed: the answer carries the server's.
    let request = Request::get(CURRENT)
        .header("x-wix-request-id", "forged-<script>")
        .body(Body::empty())
        .unwrap();
    let response = server.router.clone().oneshot(request).await.unwrap();
    let id = response.headers()["x-wix-request-id"].to_str().unwrap();
    assert_ne!(id, "forged-<script>");
    assert_eq!(id.len(), 36, "{id}");
}

/// Every route the server has, as (method, OpenAPI path).
const ROUTES: &[(&str, &str)] = &[
    ("post", "/oauth2/token"),
    ("get", "/ecom/v1/carts/current"),
    ("patch", "/ecom/v1/carts/current"),
    ("delete", "/ecom/v1/carts/current"),
    ("post", "/ecom/v1/carts/current/add-to-cart"),
    ("post", "/ecom/v1/carts/current/remove-line-items"),
    ("post", "/ecom/v1/carts/current/update-line-items-quantity"),
    ("post", "/ecom/v1/carts/current/remove-coupon"),
    ("post", "/ecom/v1/carts/current/estimate-totals"),
    ("post", "/ecom/v1/carts/current/create-checkout"),
    ("post", "/ecom/v1/carts"),
    ("get", "/ecom/v1/carts/{id}"),
    ("patch", "/ecom/v1/carts/{id}"),
    ("delete", "/ecom/v1/carts/{id}"),
    ("post", "/ecom/v1/carts/{id}/add-to-cart"),
    ("post", "/ecom/v1/carts/{id}/remove-line-items"),
    ("post", "/ecom/v1/carts/{id}/update-line-items-quantity"),
    ("post", "/ecom/v1/carts/{id}/remove-coupon"),
    ("post", "/ecom/v1/carts/{id}/estimate-totals"),
    ("post", "/ecom/v1/carts/{id}/create-checkout"),
    ("get", "/ecom/v2/carts/current"),
    ("post", "/ecom/v2/carts/current"),
    ("patch", "/ecom/v2/carts/current"),
    ("delete", "/ecom/v2/carts/current"),
    ("post", "/ecom/v2/carts/current/add-line-items"),
    ("post", "/ecom/v2/carts/current/remove-line-items"),
    ("post", "/ecom/v2/carts/current/update-line-items"),
    ("post", "/ecom/v2/carts/current/add-coupon"),
    ("post", "/ecom/v2/carts/current/remove-coupon"),
    ("post", "/ecom/v2/carts/current/set-delivery-method"),
    ("post", "/ecom/v2/carts/current/remove-delivery-method"),
    ("post", "/ecom/v2/carts/current/calculate"),
    ("post", "/ecom/v2/carts/current/estimate"),
    ("post", "/ecom/v2/carts/current/refresh"),
    ("post", "/ecom/v2/carts/current/add-gift-card"),
    ("post", "/ecom/v2/carts/current/remove-gift-card"),
    ("post", "/ecom/v2/carts/current/update-forms-submission"),
    ("post", "/ecom/v2/carts/{cartId}/get-checkout-url"),
    ("get", "/stores-reader/v1/products/query-platformized"),
    ("get", "/checkout/{id}"),
    ("get", "/products/{file}"),
    ("get", "/openapi.json"),
];

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_routes() {
    let server = TestServer::new().await;
    let (status, spec) = server.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, operations)| {
            operations
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut routes: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    routes.sort();
    assert_eq!(documented, routes);
    // And each of them exists: the router never answers "no such endpoint".
    for (method, path) in ROUTES {
        let concrete = path
            .replace("{id}", "00000000-0000-4000-8000-000000000001")
            .replace("{cartId}", "00000000-0000-4000-8000-000000000001")
            .replace("{file}", "mug.svg");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (status, body) = server
            .call(method.clone(), &concrete, None, Some(json!({})))
            .await;
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_ne!(
            body["details"]["applicationError"]["description"], "No such endpoint",
            "{method} {path}"
        );
    }
    // Every schema reference resolves.
    let text = spec.to_string();
    for reference in text.split("\"#/components/").skip(1) {
        let name = reference.split('"').next().unwrap();
        let mut parts = name.split('/');
        let (kind, item) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(
            spec["components"][kind][item].is_object(),
            "dangling $ref {name}"
        );
    }
}
