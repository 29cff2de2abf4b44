//! The visitor's current cart: `/ecom/v1/carts/current…`.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use cart_wire::{AddToCartRequest, CartResponse, OWNED_CART_NOT_FOUND};
use serde_json::json;

use super::base_url;
use crate::AppState;
use crate::auth::Visitor;
use crate::cart::{AddOutcome, MAX_LINE_ITEMS, MAX_QUANTITY};
use crate::error::{ApiError, ApiJson, Violations};

/// Most line items one add-to-cart request may carry.
const MAX_ITEMS_PER_REQUEST: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ecom/v1/carts/current", get(current_cart_show))
        .route("/ecom/v1/carts/current/add-to-cart", post(current_cart_add))
}

/// The visitor's cart, or 404 `OWNED_CART_NOT_FOUND` when they have none.
async fn current_cart_show(
    state: State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
) -> Result<ApiJson<CartResponse>, ApiError> {
    let cart = state.db.cart_for_visitor(&visitor).await?.ok_or_else(|| {
        ApiError::application(
            StatusCode::NOT_FOUND,
            OWNED_CART_NOT_FOUND,
            "Owned cart not found",
            json!({}),
        )
    })?;
    Ok(ApiJson(CartResponse {
        cart: cart.to_wire(&state.catalog, &base_url(&state, &headers)),
    }))
}

/// Adds catalog items (creating the cart on first use). Adding an item the
/// cart already holds merges quantities; totals beyond stock are clamped and
/// the line's `availability` says how many there are.
async fn current_cart_add(
    state: State<AppState>,
    headers: HeaderMap,
    Visitor(visitor): Visitor,
    ApiJson(request): ApiJson<AddToCartRequest>,
) -> Result<ApiJson<CartResponse>, ApiError> {
    let mut violations = Violations::default();
    violations.size(
        "lineItems".to_owned(),
        request.line_items.len(),
        1,
        MAX_ITEMS_PER_REQUEST,
    );
    let mut items = Vec::with_capacity(request.line_items.len());
    for (i, item) in request.line_items.iter().enumerate() {
        let field = |name: &str| format!("lineItems[{i}].{name}");
        match &item.quantity {
            None => violations.required(field("quantity")),
            Some(quantity) => {
                violations.range(field("quantity"), *quantity, 1, i64::from(MAX_QUANTITY))
            }
        }
        match &item.catalog_reference {
            None => violations.required(field("catalogReference")),
            Some(reference) => {
                violations.length(
                    field("catalogReference.catalogItemId"),
                    &reference.catalog_item_id,
                    1,
                    36,
                );
                violations.length(
                    field("catalogReference.appId"),
                    &reference.app_id,
                    1,
                    usize::MAX,
                );
            }
        }
        if let (Some(reference), Some(quantity)) = (&item.catalog_reference, item.quantity) {
            items.push((reference, u32::try_from(quantity).unwrap_or(0)));
        }
    }
    violations.into_result()?;

    let mut resolved = Vec::with_capacity(items.len());
    for (i, (reference, quantity)) in items.into_iter().enumerate() {
        let product = state.catalog.find(reference).ok_or_else(|| {
            ApiError::application(
                StatusCode::BAD_REQUEST,
                "ITEM_NOT_FOUND_IN_CATALOG",
                format!(
                    "lineItems[{i}]: no catalog item {}",
                    reference.catalog_item_id
                ),
                json!({ "invalidItems": [{ "catalogReference": reference }] }),
            )
        })?;
        if product.stock == Some(0) {
            return Err(ApiError::application(
                StatusCode::BAD_REQUEST,
                "INSUFFICIENT_INVENTORY",
                format!("{} is out of stock", product.name),
                json!({ "invalidItems": [{
                    "id": { "catalogReference": reference },
                    "requestedQuantity": quantity,
                    "availableQuantity": 0,
                }] }),
            ));
        }
        resolved.push((reference, quantity, product.stock));
    }

    let cart = state
        .db
        .update_cart(&visitor, |cart| {
            for (reference, quantity, stock) in &resolved {
                if cart.add(reference, *quantity, *stock) == AddOutcome::Clamped {
                    tracing::info!(item = %reference.catalog_item_id, "quantity clamped to stock");
                }
            }
            if cart.lines.len() > MAX_LINE_ITEMS {
                let mut violations = Violations::default();
                violations.size("lineItems".to_owned(), cart.lines.len(), 0, MAX_LINE_ITEMS);
                return violations.into_result();
            }
            Ok(())
        })
        .await?;
    Ok(ApiJson(CartResponse {
        cart: cart.to_wire(&state.catalog, &base_url(&state, &headers)),
    }))
}
