//! The cart use cases: what each cart endpoint does, whoever the cart
//! belongs to. The current-cart routes (a visitor's cart) and the
//! cart-by-id routes (admin key) both call `Carts`, so every rule is written
//! once. Plain Rust over `Db`, the catalogs and the shop's rules: it never
//! sees a request or a response, so it is tested directly (`carts/tests.rs`).
//! Its errors are `ApiError`s, which carry the status the API answers with.
//!
//! Each use case validates its request (`validate.rs`), resolves items
//! against the catalog, then changes the cart through `Db::update_cart`: one
//! storage transaction per change, re-applied when another writer got there
//! first.
//!
//! A little over 400 lines: nine use cases, one per endpoint, sharing their
//! helpers. Split it by use case if it grows.

use axum::http::StatusCode;
use cart_wire::{
    AddToCartRequest, CreateCheckoutRequest, CreateCheckoutResponse, CustomLineItemInput,
    EstimateTotalsRequest, EstimateTotalsResponse, LineItemInput, OWNED_CART_NOT_FOUND,
    RemoveLineItemsRequest, UpdateCartRequest, UpdateLineItemsQuantityRequest,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::cart::{AddOutcome, StoredCart, quantity_limit};
use crate::catalog::{CatalogError, CatalogItem, Catalogs};
use crate::db::{Alongside, CartKey, CheckoutWrite, Db};
use crate::error::ApiError;
use crate::pricing::PricedCart;
use crate::render;
use crate::shop_rules::ShopRules;
use crate::validate;

#[cfg(test)]
mod tests;
mod v2;
mod v2_errors;

pub use v2_errors::{coupon_code_and_reason, not_supported, v2_error};

/// Who is asking: a visitor, or a caller with the admin key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    Visitor,
    Admin,
}

/// The cart service: the use cases over storage, catalogs and rules.
#[derive(Clone, Copy)]
pub struct Carts<'a> {
    db: &'a Db,
    catalogs: &'a Catalogs,
    rules: &'a ShopRules,
}

/// The 404 for a cart that does not exist.
pub fn cart_not_found(key: CartKey<'_>) -> ApiError {
    match key {
        CartKey::Visitor(_) => ApiError::application(
            StatusCode::NOT_FOUND,
            OWNED_CART_NOT_FOUND,
            "Owned cart not found",
            json!({}),
        ),
        CartKey::Id(id) => ApiError::application(
            StatusCode::NOT_FOUND,
            "CART_NOT_FOUND",
            format!("Cart {id} not found"),
            json!({ "cartId": id }),
        ),
    }
}

impl<'a> Carts<'a> {
    pub fn new(db: &'a Db, catalogs: &'a Catalogs, rules: &'a ShopRules) -> Self {
        Self {
            db,
            catalogs,
            rules,
        }
    }

    /// The cart priced against the catalog and the shop's rules, now.
    pub fn price<'c>(&self, cart: &'c StoredCart) -> PricedCart<'c>
    where
        'a: 'c,
    {
        PricedCart::new(cart, self.catalogs, self.rules, OffsetDateTime::now_utc())
    }

    /// The cart, or its 404.
    pub async fn load(&self, key: CartKey<'_>) -> Result<StoredCart, ApiError> {
        self.db
            .find_cart(key)
            .await?
            .ok_or_else(|| cart_not_found(key))
    }

    /// Applies a change to an existing cart (or creates a visitor's when
    /// `create`) in one storage write, answering 404 when there is no cart.
    async fn change(
        &self,
        key: CartKey<'_>,
        create: bool,
        mut change: impl FnMut(&mut StoredCart) -> Result<(), ApiError>,
    ) -> Result<StoredCart, ApiError> {
        self.change_with(key, create, |cart| {
            change(cart).map(|()| Alongside::default())
        })
        .await
    }

    /// `change`, for a change that writes more than the cart (a checkout).
    async fn change_with(
        &self,
        key: CartKey<'_>,
        create: bool,
        change: impl FnMut(&mut StoredCart) -> Result<Alongside, ApiError>,
    ) -> Result<StoredCart, ApiError> {
        self.db
            .update_cart(key, create, change)
            .await?
            .ok_or_else(|| cart_not_found(key))
    }

    /// Resolves requested line items against the catalog (already validated).
    fn resolve_items(
        &self,
        field: &str,
        items: &[LineItemInput],
    ) -> Result<Vec<(LineItemInput, CatalogItem)>, ApiError> {
        items
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let reference = input.catalog_reference.as_ref().expect("validated");
                let item = self.catalogs.resolve(reference).map_err(|error| {
                    let code = match &error {
                        CatalogError::NotFound(_) => "ITEM_NOT_FOUND_IN_CATALOG",
                        CatalogError::OptionsRequired { .. }
                        | CatalogError::NoSuchVariant { .. } => "INVALID_ITEM_OPTIONS",
                    };
                    ApiError::application(
                        StatusCode::BAD_REQUEST,
                        code,
                        format!("{field}[{i}]: {error}"),
                        json!({ "invalidItems": [{ "catalogReference": reference }] }),
                    )
                })?;
                if item.stock == Some(0) {
                    return Err(ApiError::application(
                        StatusCode::BAD_REQUEST,
                        "INSUFFICIENT_INVENTORY",
                        format!("{} is out of stock", item.name),
                        json!({ "invalidItems": [{
                            "id": { "catalogReference": reference },
                            "requestedQuantity": input.quantity,
                            "availableQuantity": 0,
                        }] }),
                    ));
                }
                Ok((input.clone(), item))
            })
            .collect()
    }

    /// `add-to-cart`: adds items, creating a visitor's cart on first use.
    pub async fn add_to_cart(
        &self,
        key: CartKey<'_>,
        caller: Caller,
        request: AddToCartRequest,
    ) -> Result<StoredCart, ApiError> {
        custom_items_allowed(caller, &request.custom_line_items)?;
        let custom = validate::add_to_cart(&request)?;
        let items = self.resolve_items("lineItems", &request.line_items)?;
        self.change(key, true, |cart| add_items(cart, &items, &custom))
            .await
    }

    /// `PATCH`: cart info, a coupon, and more line items.
    pub async fn update_cart(
        &self,
        key: CartKey<'_>,
        caller: Caller,
        request: UpdateCartRequest,
    ) -> Result<StoredCart, ApiError> {
        let update = self.prepare_update(caller, &request)?;
        let now = OffsetDateTime::now_utc();
        let create = matches!(key, CartKey::Visitor(_));
        self.change(key, create, |cart| {
            self.apply_update(cart, &request, &update, now)
        })
        .await
    }

    /// `POST /ecom/v1/carts` (admin): a new cart, not owned by any visitor.
    pub async fn create_cart(&self, request: UpdateCartRequest) -> Result<StoredCart, ApiError> {
        let update = self.prepare_update(Caller::Admin, &request)?;
        if update.items.is_empty() && update.custom.is_empty() {
            return Err(ApiError::application(
                StatusCode::BAD_REQUEST,
                "CANT_CREATE_CART_WITHOUT_ITEMS",
                "A cart needs at least one line item",
                json!({}),
            ));
        }
        let mut cart = StoredCart::new(None);
        self.apply_update(&mut cart, &request, &update, OffsetDateTime::now_utc())?;
        Ok(self.db.insert_cart(cart).await?)
    }

    /// Validates an update and resolves its items; nothing is changed yet.
    fn prepare_update(
        &self,
        caller: Caller,
        request: &UpdateCartRequest,
    ) -> Result<PreparedUpdate, ApiError> {
        custom_items_allowed(caller, &request.custom_line_items)?;
        let custom = validate::cart_update(request)?;
        let items = self.resolve_items("lineItems", &request.line_items)?;
        Ok(PreparedUpdate { items, custom })
    }

    /// Applies a prepared update. A coupon that does not apply is refused
    /// (and, as with any error here, nothing is saved).
    fn apply_update(
        &self,
        cart: &mut StoredCart,
        request: &UpdateCartRequest,
        update: &PreparedUpdate,
        now: OffsetDateTime,
    ) -> Result<(), ApiError> {
        if let Some(info) = &request.cart_info {
            let content = &mut cart.content;
            if let Some(note) = &info.buyer_note {
                content.buyer_note = Some(note.clone()).filter(|note| !note.is_empty());
            }
            if let Some(url) = &info.override_checkout_url {
                content.override_checkout_url = Some(url.clone()).filter(|url| !url.is_empty());
            }
            if let Some(option) = &info.selected_shipping_option {
                content.selected_shipping_option = Some(option.clone());
            }
            if let Some(address) = info.contact_info.as_ref().and_then(|c| c.address.clone()) {
                content.address = Some(address);
            }
        }
        add_items(cart, &update.items, &update.custom)?;
        if let Some(code) = &request.coupon_code {
            let code = code.trim();
            cart.content.coupon_code = Some(code.to_owned());
            let priced = PricedCart::new(cart, self.catalogs, self.rules, now);
            if let Some(problem) = priced.coupon_problem() {
                return Err(ApiError::application(
                    StatusCode::BAD_REQUEST,
                    problem.code(),
                    problem.description(code),
                    problem.data(code),
                ));
            }
        }
        Ok(())
    }

    /// `remove-line-items`. Ids no longer in the cart are ignored, so a retried removal succeeds.
    pub async fn remove_line_items(
        &self,
        key: CartKey<'_>,
        request: RemoveLineItemsRequest,
    ) -> Result<StoredCart, ApiError> {
        validate::remove_line_items(&request)?;
        self.change(key, false, |cart| {
            cart.remove(&request.line_item_ids);
            Ok(())
        })
        .await
    }

    /// `update-line-items-quantity`: absolute quantities, clamped to stock.
    pub async fn update_quantities(
        &self,
        key: CartKey<'_>,
        request: UpdateLineItemsQuantityRequest,
    ) -> Result<StoredCart, ApiError> {
        validate::update_quantities(&request)?;
        self.change(key, false, |cart| {
            let missing: Vec<&String> = request
                .line_items
                .iter()
                .filter_map(|update| update.id.as_ref())
                .filter(|id| cart.line(id).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(ApiError::application(
                    StatusCode::BAD_REQUEST,
                    "LINE_ITEM_NOT_FOUND_IN_CART",
                    "Some line items are not in the cart",
                    json!({ "lineItemIds": missing }),
                ));
            }
            for update in &request.line_items {
                let id = update.id.as_deref().expect("validated");
                let stock = cart
                    .line(id)
                    .and_then(|line| self.catalogs.resolve(&line.catalog_reference).ok())
                    .and_then(|item| item.stock);
                let quantity =
                    u32::try_from(update.quantity.expect("validated")).unwrap_or(u32::MAX);
                cart.set_quantity(id, quantity, quantity_limit(stock));
            }
            Ok(())
        })
        .await
    }

    /// `remove-coupon`.
    pub async fn remove_coupon(&self, key: CartKey<'_>) -> Result<StoredCart, ApiError> {
        self.change(key, false, |cart| {
            cart.content.coupon_code = None;
            Ok(())
        })
        .await
    }

    /// `estimate-totals`.
    pub async fn estimate(
        &self,
        key: CartKey<'_>,
        request: EstimateTotalsRequest,
        base_url: &str,
    ) -> Result<EstimateTotalsResponse, ApiError> {
        validate::estimate_totals(&request)?;
        let cart = self.load(key).await?;
        Ok(render::estimate(&self.price(&cart), &request, base_url))
    }

    /// `create-checkout`: creates the cart's checkout, or updates it when it
    /// exists, and says where to send the shopper. The checkout and the cart
    /// that points at it are one storage write.
    pub async fn create_checkout(
        &self,
        key: CartKey<'_>,
        request: CreateCheckoutRequest,
        base_url: &str,
    ) -> Result<CreateCheckoutResponse, ApiError> {
        validate::create_checkout(&request)?;
        let estimate_request = EstimateTotalsRequest {
            selected_shipping_option: request.selected_shipping_option.clone(),
            shipping_address: request.shipping_address.clone(),
            ..EstimateTotalsRequest::default()
        };
        let channel_type = request.channel_type.clone().unwrap_or_default();
        let cart = self
            .change_with(key, false, |cart| {
                if cart.lines().is_empty() {
                    return Err(ApiError::application(
                        StatusCode::BAD_REQUEST,
                        "CANT_CREATE_CHECKOUT_WITHOUT_ITEMS",
                        "The cart is empty",
                        json!({}),
                    ));
                }
                let estimate = render::estimate(&self.price(cart), &estimate_request, base_url);
                let checkout = CheckoutWrite {
                    channel_type: channel_type.clone(),
                    summary: render::checkout_summary(&estimate, request.email.as_deref()),
                };
                Ok(Alongside {
                    checkout: Some(checkout),
                })
            })
            .await?;
        let checkout_id = cart
            .content
            .checkout_id
            .clone()
            .ok_or_else(|| anyhow::anyhow!("cart {} saved without its checkout", cart.id))?;
        let checkout_url = match &cart.content.override_checkout_url {
            Some(url) => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}checkoutId={checkout_id}")
            }
            None => format!("{base_url}/checkout/{checkout_id}"),
        };
        Ok(CreateCheckoutResponse {
            checkout_id,
            checkout_url: Some(checkout_url),
        })
    }

    /// `DELETE`: removes the cart.
    pub async fn delete_cart(&self, key: CartKey<'_>) -> Result<(), ApiError> {
        if self.db.delete_cart(key).await? {
            Ok(())
        } else {
            Err(cart_not_found(key))
        }
    }
}

/// An update that passed validation, with its items resolved.
struct PreparedUpdate {
    items: Vec<(LineItemInput, CatalogItem)>,
    custom: Vec<CustomLineItemInput>,
}

/// Adds resolved catalog items and custom items to a cart, keeping it
/// within `MAX_LINE_ITEMS` lines and `MAX_CART_BYTES` (an error here leaves
/// the stored cart as it was).
fn add_items(
    cart: &mut StoredCart,
    items: &[(LineItemInput, CatalogItem)],
    custom: &[CustomLineItemInput],
) -> Result<(), ApiError> {
    for (input, item) in items {
        let reference = input.catalog_reference.as_ref().expect("validated");
        let quantity = u32::try_from(input.quantity.expect("validated")).unwrap_or(u32::MAX);
        if cart.add(reference, item, quantity) == AddOutcome::Clamped {
            tracing::info!(item = %reference.catalog_item_id, "quantity clamped to stock");
        }
    }
    for item in custom {
        cart.add_custom(item);
    }
    validate::cart_size(&cart.content)
}

/// Custom line items carry their own price: a visitor sending any gets 403
/// (before any other check); with the admin key they are read and validated.
fn custom_items_allowed(caller: Caller, raw: &[Value]) -> Result<(), ApiError> {
    if caller == Caller::Visitor && !raw.is_empty() {
        return Err(ApiError::application(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "Custom line items need the admin API key",
            json!({}),
        ));
    }
    Ok(())
}
