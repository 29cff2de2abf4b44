//! Carts by id (`/ecom/v1/carts…`), for the store's own back office: the
//! seed's "Manage eCommerce" endpoints, behind the admin API key.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use cart_wire::{
    AddToCartRequest, CreateCheckoutRequest, CreateCheckoutResponse, EstimateTotalsRequest,
    EstimateTotalsResponse, RemoveLineItemsRequest, UpdateCartRequest,
    UpdateLineItemsQuantityRequest,
};
use serde_json::{Value, json};

use super::{CartResult, base_url, respond};
use crate::AppState;
use crate::auth::Admin;
use crate::carts::Caller;
use crate::db::CartKey;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::validate;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ecom/v1/carts", post(cart_create))
        .route(
            "/ecom/v1/carts/{id}",
            get(cart_show).patch(cart_update).delete(cart_delete),
        )
        .route("/ecom/v1/carts/{id}/add-to-cart", post(cart_add))
        .route(
            "/ecom/v1/carts/{id}/remove-line-items",
            post(cart_remove_lines),
        )
        .route(
            "/ecom/v1/carts/{id}/update-line-items-quantity",
            post(cart_update_quantities),
        )
        .route(
            "/ecom/v1/carts/{id}/remove-coupon",
            post(cart_remove_coupon),
        )
        .route("/ecom/v1/carts/{id}/estimate-totals", post(cart_estimate))
        .route("/ecom/v1/carts/{id}/create-checkout", post(cart_checkout))
}

/// The cart id from the path, checked to be a GUID.
fn cart_id(id: &str) -> Result<CartKey<'_>, ApiError> {
    validate::cart_id(id).map(|()| CartKey::Id(id))
}

async fn cart_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiJson(request): ApiJson<UpdateCartRequest>,
) -> CartResult {
    let cart = state.carts().create_cart(request).await?;
    respond(&state, &headers, &cart)
}

async fn cart_show(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
) -> CartResult {
    let cart = state.carts().load(cart_id(&id)?).await?;
    respond(&state, &headers, &cart)
}

async fn cart_update(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<UpdateCartRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .update_cart(cart_id(&id)?, Caller::Admin, request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn cart_delete(
    State(state): State<AppState>,
    _: Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<ApiJson<Value>, ApiError> {
    state.carts().delete_cart(cart_id(&id)?).await?;
    Ok(ApiJson(json!({})))
}

async fn cart_add(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<AddToCartRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .add_to_cart(cart_id(&id)?, Caller::Admin, request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn cart_remove_lines(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<RemoveLineItemsRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .remove_line_items(cart_id(&id)?, request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn cart_update_quantities(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<UpdateLineItemsQuantityRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .update_quantities(cart_id(&id)?, request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn cart_remove_coupon(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
) -> CartResult {
    let cart = state.carts().remove_coupon(cart_id(&id)?).await?;
    respond(&state, &headers, &cart)
}

async fn cart_estimate(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<EstimateTotalsRequest>,
) -> Result<ApiJson<EstimateTotalsResponse>, ApiError> {
    let base = base_url(&state, &headers);
    Ok(ApiJson(
        state
            .carts()
            .estimate(cart_id(&id)?, request, &base)
            .await?,
    ))
}

async fn cart_checkout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<CreateCheckoutRequest>,
) -> Result<ApiJson<CreateCheckoutResponse>, ApiError> {
    let base = base_url(&state, &headers);
    Ok(ApiJson(
        state
            .carts()
            .create_checkout(cart_id(&id)?, request, &base)
            .await?,
    ))
}
