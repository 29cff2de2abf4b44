//! Without `--public-url`, answers' URLs come from the `Host` header only
//! for loopback names and `--allowed-hosts`: any other host is refused in
//! the envelope before anything runs. With `--public-url`, `Host` is
//! neither used nor checked.

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use cart_server::demo::MUG;
use cart_server::hosts::AllowedHosts;
use cart_server::{ShopRules, app};
use common::{add_body, code, send, state_for};
use serde_json::{Value, json};

/// The API without a fixed public URL, answering these hosts besides loopback.
async fn server(dir: &tempfile::TempDir, public_url: Option<&str>, allowed: &[&str]) -> Router {
    let mut state = state_for(&dir.path().join("cart.db"), ShopRules::demo()).await;
    state.public_url = public_url.map(str::to_owned);
    let allowed: Vec<String> = allowed.iter().map(|&host| host.to_owned()).collect();
    state.allowed_hosts = Arc::new(AllowedHosts::new(&allowed));
    app(state, None)
}

async fn call(
    app: &Router,
    host: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, token);
    }
    let body = body.map_or_else(Body::empty, |body| Body::from(body.to_string()));
    send(app, request.body(body).unwrap()).await
}

async fn visitor(app: &Router, host: &str) -> (StatusCode, Value) {
    let body = json!({"clientId": "test", "grantType": "anonymous"});
    call(app, host, Method::POST, "/oauth2/token", None, Some(body)).await
}

async fn add_mug(app: &Router, host: &str, token: &str) -> (StatusCode, Value) {
    let path = format!("{}/add-to-cart", cart_wire::CURRENT_CART_PATH);
    let body = add_body(MUG, Value::Null, 1);
    call(app, host, Method::POST, &path, Some(token), Some(body)).await
}

fn image_url(cart: &Value) -> &str {
    cart["cart"]["lineItems"][0]["image"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("no image in {cart}"))
}

#[tokio::test]
async fn an_unknown_host_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let app = server(&dir, None, &["shop.example.com"]).await;
    for host in ["evil.test", "shop.example.com.evil.test", "10.0.0.7:3000"] {
        let (status, body) = visitor(&app, host).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{host}: {body}");
        assert_eq!(code(&body), "HOST_NOT_ALLOWED");
        let (status, _) = call(&app, host, Method::GET, "/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{host}");
    }
    let (_, tokens) = visitor(&app, "localhost").await;
    let token = tokens["access_token"].as_str().unwrap();
    let (status, body) = add_mug(&app, "evil.test", token).await;
    assert_eq!(code(&body), "HOST_NOT_ALLOWED");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(
        &app,
        "localhost",
        Method::GET,
        cart_wire::CURRENT_CART_PATH,
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was added");
}

#[tokio::test]
async fn loopback_and_allowed_hosts_make_the_urls() {
    let dir = tempfile::tempdir().unwrap();
    let app = server(&dir, None, &["shop.example.com"]).await;
    let (status, tokens) = visitor(&app, "127.0.0.1:3000").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let token = tokens["access_token"].as_str().unwrap();
    for (host, origin) in [
        ("localhost:8080", "http://localhost:8080/"),
        ("[::1]:3000", "http://[::1]:3000/"),
        ("Shop.Example.com", "http://Shop.Example.com/"),
    ] {
        let (status, cart) = add_mug(&app, host, token).await;
        assert_eq!(status, StatusCode::OK, "{host}: {cart}");
        assert!(image_url(&cart).starts_with(origin), "{cart}");
    }
}

#[tokio::test]
async fn with_a_public_url_the_host_is_neither_used_nor_checked() {
    let dir = tempfile::tempdir().unwrap();
    let app = server(&dir, Some("https://cart.example.com"), &[]).await;
    let (status, tokens) = visitor(&app, "evil.test").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let token = tokens["access_token"].as_str().unwrap();
    let (status, cart) = add_mug(&app, "evil.test", token).await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    assert!(image_url(&cart).starts_with("https://cart.example.com/"));
}

/// Every operation `/openapi.json` describes documents the answer a foreign
/// `Host` gets, so a client generated from it meets no undocumented status.
#[tokio::test]
async fn every_described_operation_documents_the_refusal_of_a_foreign_host() {
    let dir = tempfile::tempdir().unwrap();
    let app = server(&dir, None, &[]).await;
    let (_, spec) = call(&app, "localhost", Method::GET, "/openapi.json", None, None).await;
    let mut checked = 0;
    for (path, methods) in spec["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // Any value for a path parameter: the host is refused first.
            let concrete = path.replace(['{', '}'], "");
            let (status, body) =
                call(&app, "evil.test", method.clone(), &concrete, None, None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {body}");
            assert_eq!(code(&body), "HOST_NOT_ALLOWED", "{method} {path}");
            assert!(
                operation["responses"]["400"].is_object(),
                "{method} {path} does not document 400"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} operations");
}
