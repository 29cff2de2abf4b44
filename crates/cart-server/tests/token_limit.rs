//! Minting anonymous visitor tokens is rate limited per client: a burst,
//! then a 429 in the envelope with `Retry-After`; refreshing an existing
//! visitor's token is not counted.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use cart_server::token_limit::DEFAULT_MINTS_PER_MINUTE;
use common::{TestServer, code};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn mint() -> Request<Body> {
    let body = json!({"clientId": "test", "grantType": "anonymous"});
    Request::post("/oauth2/token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn a_client_minting_past_its_burst_gets_429_with_retry_after_and_refresh_still_works() {
    let server = TestServer::new().await;
    let first = server.anonymous_tokens().await;
    for _ in 1..DEFAULT_MINTS_PER_MINUTE {
        server.anonymous_tokens().await;
    }
    let response = server.router.clone().oneshot(mint()).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(code(&body), "TOO_MANY_REQUESTS");
    assert_eq!(
        body["details"]["applicationError"]["data"]["retryAfterSeconds"],
        wait
    );

    // An existing visitor renewing its access token is not a new visitor.
    let refresh = json!({"clientId": "test", "grantType": "refresh_token",
                         "refreshToken": first["refresh_token"]});
    let (status, body) = server
        .call(Method::POST, "/oauth2/token", None, Some(refresh))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
