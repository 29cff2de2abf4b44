//! The handler tests' shared harness: a server on a fresh database, requests
//! through `oneshot`, and readers for the error envelope.
#![allow(dead_code)] // each test file uses its own part of the harness

pub mod node;
pub mod postgres;
pub mod receiver;
pub mod v2;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use cart_server::{AppState, Catalogs, Db, ShopRules, StoresCatalog, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

pub const ADMIN_KEY: &str = "test-admin-key";
pub const STORES: &str = cart_wire::WIX_STORES_APP_ID;
pub const CURRENT: &str = cart_wire::CURRENT_CART_PATH;

/// A server on a fresh database in a temporary directory.
pub struct TestServer {
    pub router: Router,
    pub dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn new() -> Self {
        Self::with_rules(ShopRules::demo()).await
    }

    /// A server with other shop rules (e.g. tax included in prices).
    pub async fn with_rules(rules: ShopRules) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let router = router_with(&dir.path().join("cart.db"), rules).await;
        Self { router, dir }
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, token);
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        };
        send(&self.router, request.unwrap()).await
    }

    /// A new anonymous visitor's token response.
    pub async fn anonymous_tokens(&self) -> Value {
        let request = json!({"clientId": "test", "grantType": "anonymous"});
        let (status, body) = self
            .call(Method::POST, "/oauth2/token", None, Some(request))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// A new anonymous visitor's access token.
    pub async fn visitor(&self) -> String {
        self.anonymous_tokens().await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Adds `quantity` of a catalog item (no options) to the visitor's cart.
    pub async fn add(&self, token: &str, item: &str, quantity: i64) -> (StatusCode, Value) {
        let body = add_body(item, Value::Null, quantity);
        self.call(
            Method::POST,
            &format!("{CURRENT}/add-to-cart"),
            Some(token),
            Some(body),
        )
        .await
    }
}

/// A server and one visitor: what most handler tests start from.
pub struct Shop {
    pub server: TestServer,
    pub token: String,
}

impl Shop {
    pub async fn new() -> Self {
        Self::with_rules(ShopRules::demo()).await
    }

    pub async fn with_rules(rules: ShopRules) -> Self {
        let server = TestServer::with_rules(rules).await;
        let token = server.visitor().await;
        Self { server, token }
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.server.call(method, path, token, body).await
    }

    /// A request to `/ecom/v1/carts/current{suffix}` as this shop's visitor.
    pub async fn current(
        &self,
        method: Method,
        suffix: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.raw(
            method,
            &format!("{CURRENT}{suffix}"),
            Some(&self.token),
            body,
        )
        .await
    }

    pub async fn add(&self, item: &str, options: Value, quantity: i64) -> Value {
        let (status, body) = self
            .current(
                Method::POST,
                "/add-to-cart",
                Some(add_body(item, options, quantity)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["cart"].clone()
    }

    pub async fn estimate(&self, request: Value) -> Value {
        let (status, body) = self
            .current(Method::POST, "/estimate-totals", Some(request))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

pub async fn router_for(path: &std::path::Path) -> Router {
    router_with(path, ShopRules::demo()).await
}

async fn router_with(path: &std::path::Path, rules: ShopRules) -> Router {
    app(state_for(path, rules).await, None)
}

/// The demo store's state on a database file.
pub async fn state_for(path: &std::path::Path, rules: ShopRules) -> AppState {
    AppState {
        db: Db::open(path).await.unwrap(),
        catalogs: Arc::new(Catalogs::demo()),
        stores_catalog: Arc::new(StoresCatalog::demo()),
        rules: Arc::new(rules),
        public_url: Some("http://shop.test".to_owned()),
        allowed_hosts: Default::default(),
        body_timeout: std::time::Duration::from_secs(
            cart_server::body_limits::DEFAULT_BODY_TIMEOUT_SECS,
        ),
        admin_key: Some(ADMIN_KEY.to_owned()),
        token_limiter: Arc::new(cart_server::token_limit::TokenLimiter::new(
            cart_server::token_limit::DEFAULT_MINTS_PER_MINUTE,
            false,
        )),
        token_policy: cart_server::visitor_tokens::Policy::default(),
    }
}

/// Sends a request; a body that is not JSON comes back as a JSON string.
pub async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, body)
}

/// `{lineItems: [{catalogReference, quantity}]}` for one catalog item.
pub fn add_body(item: &str, options: Value, quantity: i64) -> Value {
    let reference = json!({"catalogItemId": item, "appId": STORES, "options": options});
    json!({"lineItems": [{"catalogReference": reference, "quantity": quantity}]})
}

/// The `(field, violatedRule)` of each violation in a validation error.
pub fn violations(body: &Value) -> Vec<(String, String)> {
    body["details"]["validationError"]["fieldViolations"]
        .as_array()
        .unwrap_or_else(|| panic!("no fieldViolations in {body}"))
        .iter()
        .map(|v| {
            (
                v["field"].as_str().unwrap().to_owned(),
                v["violatedRule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, r)| ((*f).to_owned(), (*r).to_owned()))
        .collect()
}

/// The application error code of an error body.
pub fn code(body: &Value) -> &str {
    body["details"]["applicationError"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no applicationError in {body}"))
}

/// `body.a.b.amount`.
pub fn amount<'a>(body: &'a Value, path: &str) -> &'a str {
    path.split('.').fold(body, |v, key| &v[key])["amount"]
        .as_str()
        .unwrap_or_else(|| panic!("no {path} in {body}"))
}

pub fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../cart-wire/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
