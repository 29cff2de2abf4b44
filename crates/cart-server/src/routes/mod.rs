//! HTTP routes, one module per resource. Handlers only extract, call the
//! cart service (`carts.rs`) and answer; `respond` is the one way a cart
//! becomes an answer.

mod carts_by_id;
mod checkout_page;
mod current_cart;
mod current_cart_v2;
mod oauth;
mod stores_reader;
mod webhook_deliveries;

use axum::Router;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use cart_wire::CartResponse;

use crate::AppState;
use crate::cart::StoredCart;
use crate::catalog::demo_media;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::render;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(oauth::router())
        .merge(current_cart::router())
        .merge(current_cart_v2::router())
        .merge(carts_by_id::router())
        .merge(checkout_page::router())
        .merge(stores_reader::router())
        .merge(webhook_deliveries::router())
        .route("/products/{file}", get(media_show))
        .route("/openapi.json", get(openapi_show))
}

/// The OpenAPI description of this API.
async fn openapi_show() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "application/json")],
        include_str!("../../openapi.json"),
    )
}

/// The path prefixes that are the API's, not the static folder's.
pub const API_PREFIXES: [&str; 3] = ["/ecom/", "/oauth2/", "/stores-reader/"];

/// Any path the API does not have, in the error envelope.
pub async fn not_found() -> ApiError {
    ApiError::application(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "No such endpoint",
        json!({}),
    )
}

/// A known path called with a method it does not have, in the error envelope.
pub async fn method_not_allowed() -> ApiError {
    ApiError::application(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "This endpoint does not take this HTTP method",
        json!({}),
    )
}

/// A demo product image.
async fn media_show(ApiPath(file): ApiPath<String>) -> Result<impl IntoResponse, ApiError> {
    let bytes = demo_media(&file).ok_or_else(|| {
        ApiError::application(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "No such image",
            json!({}),
        )
    })?;
    Ok((
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    ))
}

/// The origin absolute URLs in responses are built from.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// What the cart endpoints answer.
type CartResult = Result<ApiJson<CartResponse>, ApiError>;

/// A cart as the answer: priced now, rendered for this request's origin.
fn respond(state: &AppState, headers: &HeaderMap, cart: &StoredCart) -> CartResult {
    let priced = state.carts().price(cart);
    Ok(ApiJson(CartResponse {
        cart: render::cart(&priced, &base_url(state, headers)),
    }))
}
