//! The visitor's current cart: `/ecom/v1/carts/current…`.

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
use crate::auth::Visitor;
use crate::carts::Caller;
use crate::db::CartKey;
use crate::error::{ApiError, ApiJson};

use cart_wire::CURRENT_CART_PATH as CURRENT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            CURRENT,
            get(current_cart_show)
                .patch(current_cart_update)
                .delete(current_cart_delete),
        )
        .route(&format!("{CURRENT}/add-to-cart"), post(current_cart_add))
        .route(
            &format!("{CURRENT}/remove-line-items"),
            post(current_cart_remove_lines),
        )
        .route(
            &format!("{CURRENT}/update-line-items-quantity"),
            post(current_cart_update_quantities),
        )
        .route(
            &format!("{CURRENT}/remove-coupon"),
            post(current_cart_remove_coupon),
        )
        .route(
            &format!("{CURRENT}/estimate-totals"),
            post(current_cart_estimate),
        )
        .route(
            &format!("{CURRENT}/create-checkout"),
            post(current_cart_checkout),
        )
}

/// The visitor's cart, or 404 `OWNED_CART_NOT_FOUND` when they have none.
async fn current_cart_show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
) -> CartResult {
    let cart = state.carts().load(CartKey::Visitor(&visitor)).await?;
    respond(&state, &headers, &cart)
}

async fn current_cart_update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<UpdateCartRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .update_cart(CartKey::Visitor(&visitor), Caller::Visitor, request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn current_cart_delete(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<ApiJson<Value>, ApiError> {
    state
        .carts()
        .delete_cart(CartKey::Visitor(&visitor))
        .await?;
    Ok(ApiJson(json!({})))
}

async fn current_cart_add(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<AddToCartRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .add_to_cart(CartKey::Visitor(&visitor), Caller::Visitor, request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn current_cart_remove_lines(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<RemoveLineItemsRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .remove_line_items(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn current_cart_update_quantities(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<UpdateLineItemsQuantityRequest>,
) -> CartResult {
    let cart = state
        .carts()
        .update_quantities(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn current_cart_remove_coupon(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
) -> CartResult {
    let cart = state
        .carts()
        .remove_coupon(CartKey::Visitor(&visitor))
        .await?;
    respond(&state, &headers, &cart)
}

async fn current_cart_estimate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<EstimateTotalsRequest>,
) -> Result<ApiJson<EstimateTotalsResponse>, ApiError> {
    let base = base_url(&state, &headers);
    Ok(ApiJson(
        state
            .carts()
            .estimate(CartKey::Visitor(&visitor), request, &base)
            .await?,
    ))
}

async fn current_cart_checkout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<CreateCheckoutRequest>,
) -> Result<ApiJson<CreateCheckoutResponse>, ApiError> {
    let base = base_url(&state, &headers);
    Ok(ApiJson(
        state
            .carts()
            .create_checkout(CartKey::Visitor(&visitor), request, &base)
            .await?,
    ))
}
