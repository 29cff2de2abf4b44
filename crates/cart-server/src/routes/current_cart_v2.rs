//! The visitor's current cart in Cart V2: `/ecom/v2/carts/current…`, and
//! `POST /ecom/v2/carts/{cartId}/get-checkout-url` for the visitor's own
//! cart. The same carts as v1 (`current_cart.rs`) through the same `Carts`
//! service, rendered as V2 (`render/v2.rs`); errors in V2's codes.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use cart_wire::v2::{
    AddCouponRequest, AddLineItemsRequest, CalculateResponse, CartResponse, CreateCartRequest,
    EstimateRequest, GetCheckoutUrlRequest, GetCheckoutUrlResponse, RemoveCouponRequest,
    SetDeliveryMethodRequest, UpdateCartRequest, UpdateLineItemsRequest,
};
use cart_wire::{CARTS_V2_PATH, CURRENT_CART_V2_PATH as CURRENT, RemoveLineItemsRequest};
use serde_json::{Value, json};

use super::base_url;
use crate::AppState;
use crate::auth::Visitor;
use crate::cart::StoredCart;
use crate::carts::{not_supported, v2_error};
use crate::db::CartKey;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::render::v2::{self as render, SummaryOptions};

pub fn router() -> Router<AppState> {
    let action = |name: &str| format!("{CURRENT}/{name}");
    Router::new()
        .route(CURRENT, get(show).post(create).patch(update).delete(delete))
        .route(&action("add-line-items"), post(add_line_items))
        .route(&action("remove-line-items"), post(remove_line_items))
        .route(&action("update-line-items"), post(update_line_items))
        .route(&action("add-coupon"), post(add_coupon))
        .route(&action("remove-coupon"), post(remove_coupon))
        .route(&action("set-delivery-method"), post(set_delivery_method))
        .route(
            &action("remove-delivery-method"),
            post(remove_delivery_method),
        )
        .route(&action("calculate"), post(calculate))
        .route(&action("estimate"), post(estimate))
        .route(&action("refresh"), post(refresh))
        .route(&action("add-gift-card"), post(gift_cards))
        .route(&action("remove-gift-card"), post(gift_cards))
        .route(&action("update-forms-submission"), post(forms))
        .route(
            &format!("{CARTS_V2_PATH}/{{cartId}}/get-checkout-url"),
            post(checkout_url),
        )
}

type V2Result = Result<ApiJson<CartResponse>, ApiError>;

/// A cart as the V2 answer: priced now, rendered for this request's origin.
fn respond(state: &AppState, headers: &HeaderMap, cart: &StoredCart) -> V2Result {
    let priced = state.carts().price(cart);
    Ok(ApiJson(CartResponse {
        cart: render::cart(&priced, &base_url(state, headers)),
    }))
}

/// The visitor's cart, or 404 `CURRENT_CART_NOT_FOUND`.
async fn load(state: &AppState, visitor: &str) -> Result<StoredCart, ApiError> {
    state
        .carts()
        .load(CartKey::Visitor(visitor))
        .await
        .map_err(v2_error)
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
) -> V2Result {
    respond(&state, &headers, &load(&state, &visitor).await?)
}

/// Prices are read from the catalog on every answer, so a refresh is a read.
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(_): ApiJson<Value>,
) -> V2Result {
    respond(&state, &headers, &load(&state, &visitor).await?)
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<CreateCartRequest>,
) -> V2Result {
    let cart = state.carts().v2_create(&visitor, request).await?;
    respond(&state, &headers, &cart)
}

async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<UpdateCartRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_update(CartKey::Visitor(&visitor), request.cart)
        .await?;
    respond(&state, &headers, &cart)
}

async fn delete(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<ApiJson<Value>, ApiError> {
    state
        .carts()
        .delete_cart(CartKey::Visitor(&visitor))
        .await
        .map_err(v2_error)?;
    Ok(ApiJson(json!({})))
}

async fn add_line_items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<AddLineItemsRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_add_line_items(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn remove_line_items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<RemoveLineItemsRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .remove_line_items(CartKey::Visitor(&visitor), request)
        .await
        .map_err(v2_error)?;
    respond(&state, &headers, &cart)
}

async fn update_line_items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<UpdateLineItemsRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_update_line_items(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn add_coupon(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<AddCouponRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_add_coupon(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn remove_coupon(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<RemoveCouponRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_remove_coupon(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn set_delivery_method(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<SetDeliveryMethodRequest>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_set_delivery_method(CartKey::Visitor(&visitor), request)
        .await?;
    respond(&state, &headers, &cart)
}

async fn remove_delivery_method(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(_): ApiJson<Value>,
) -> V2Result {
    let cart = state
        .carts()
        .v2_remove_delivery_method(CartKey::Visitor(&visitor))
        .await?;
    respond(&state, &headers, &cart)
}

/// Everything counted: the stored delivery method and the tax.
async fn calculate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(_): ApiJson<EstimateRequest>,
) -> Result<ApiJson<CalculateResponse>, ApiError> {
    let options = SummaryOptions {
        delivery: true,
        tax: true,
    };
    summarize(&state, &headers, &visitor, options).await
}

/// Only what is asked for: `calculateDelivery` and `calculateTax` default to false.
async fn estimate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<EstimateRequest>,
) -> Result<ApiJson<CalculateResponse>, ApiError> {
    let options = SummaryOptions {
        delivery: request.calculate_delivery == Some(true),
        tax: request.calculate_tax == Some(true),
    };
    summarize(&state, &headers, &visitor, options).await
}

async fn summarize(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &str,
    options: SummaryOptions,
) -> Result<ApiJson<CalculateResponse>, ApiError> {
    let cart = load(state, visitor).await?;
    let priced = state.carts().price(&cart);
    Ok(ApiJson(CalculateResponse {
        cart: render::cart(&priced, &base_url(state, headers)),
        summary: render::summary(&priced, options),
    }))
}

async fn gift_cards(Visitor(_): Visitor) -> ApiError {
    not_supported("gift cards")
}

async fn forms(Visitor(_): Visitor) -> ApiError {
    not_supported("forms")
}

/// The visitor's own cart only; any other id is 404 `CART_NOT_FOUND`.
async fn checkout_url(
    State(state): State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiPath(cart_id): ApiPath<String>,
    ApiJson(_): ApiJson<GetCheckoutUrlRequest>,
) -> Result<ApiJson<GetCheckoutUrlResponse>, ApiError> {
    let base = base_url(&state, &headers);
    let checkout_url = state
        .carts()
        .v2_checkout_url(&visitor, &cart_id, &base)
        .await?;
    Ok(ApiJson(GetCheckoutUrlResponse { checkout_url }))
}
