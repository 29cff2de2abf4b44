//! Every error the API answers is the Wix error envelope, whatever went
//! wrong: an unknown API path next to a static folder, an unreadable path
//! parameter, a handler that panics.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use cart_server::{FaultPlan, Faults, ShopRules, app_with};
use common::{code, send, state_for};
use serde_json::json;

/// The app as `--static-dir` and `--test-faults` build it.
async fn app_with_folder(dir: &tempfile::TempDir, faults: Option<Faults>) -> Router {
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>shop</title>",
    )
    .unwrap();
    let state = state_for(&dir.path().join("cart.db"), ShopRules::demo()).await;
    app_with(state, Some(&site), &[], faults)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn unknown_api_paths_beside_a_static_folder_are_envelope_404s() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_folder(&dir, None).await;
    for path in [
        "/ecom/v1/nothing",
        "/ecom/v2/carts/current/no-such-action",
        "/oauth2/nothing",
        "/stores-reader/v1/nothing",
    ] {
        let (status, body) = send(&app, get(path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(code(&body), "NOT_FOUND", "{path}: {body}");
    }
    let post = Request::post("/ecom/v1/nothing")
        .body(Body::empty())
        .unwrap();
    assert_eq!(code(&send(&app, post).await.1), "NOT_FOUND");
    // The folder still serves its files, and the API still answers.
    let (status, body) = send(&app, get("/index.html")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.as_str().unwrap().contains("<title>shop</title>"));
    let (status, body) = send(&app, get("/ecom/v1/carts/current")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_path_parameter_that_is_not_utf8_is_an_envelope_400() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_folder(&dir, None).await;
    let (status, body) = send(&app, get("/products/%FF%FE.svg")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&body), "INVALID_PATH", "{body}");
}

#[tokio::test]
async fn a_panic_is_an_envelope_500_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults::default();
    let app = app_with_folder(&dir, Some(faults)).await;
    let plan: FaultPlan = serde_json::from_value(json!({"mode": "panic", "times": 1})).unwrap();
    let set = Request::put("/__test/faults")
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(&plan).unwrap()))
        .unwrap();
    assert_eq!(send(&app, set).await.0, StatusCode::OK);
    let (status, body) = send(&app, get("/ecom/v1/carts/current")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(code(&body), "INTERNAL_ERROR");
    assert!(
        !body.to_string().contains("test fault"),
        "the panic's message is logged, never sent: {body}"
    );
    let (status, _) = send(&app, get("/ecom/v1/carts/current")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the next request runs");
}
