//! What each cart endpoint does, whoever the cart belongs to: the current-cart
//! routes (a visitor's cart) and the cart-by-id routes (admin key) both call
//! these, so every rule is written once.

use axum::http::StatusCode;
use cart_wire::{
    AddToCartRequest, Cart, CreateCheckoutRequest, CreateCheckoutResponse, CustomLineItemInput,
    EstimateTotalsRequest, EstimateTotalsResponse, LineItemInput, OWNED_CART_NOT_FOUND,
    RemoveLineItemsRequest, UpdateCartRequest, UpdateLineItemsQuantityRequest,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::AppState;
use crate::cart::{AddOutcome, MAX_LINE_ITEMS, StoredCart, quantity_limit};
use crate::catalog::{CatalogError, CatalogItem};
use crate::db::CartKey;
use crate::error::{ApiError, Violations};
use crate::pricing::PricedCart;
use crate::render;
use crate::validate::is_http_url;

use cart_wire::{MAX_BUYER_NOTE_LENGTH, MAX_ITEMS_PER_REQUEST};
/// Longest override checkout URL.
const MAX_CHECKOUT_URL_LENGTH: usize = 1000;
/// Sales channels `create-checkout` accepts.
const CHANNEL_TYPES: &[&str] = &[
    "UNSPECIFIED",
    "WEB",
    "POS",
    "EBAY",
    "AMAZON",
    "OTHER_PLATFORM",
    "WIX_APP_STORE",
    "WIX_INVOICES",
    "BACKOFFICE_MERCHANT",
    "WISH",
    "CLASS_PASS",
    "GLOBAL_E",
    "FACEBOOK",
    "ETSY",
    "TIKTOK",
    "FAIRE_COM",
    "PAYPAL_AGENTIC_CHECKOUT",
    "STRIPE_AGENTIC_CHECKOUT",
];

/// Who is asking: a visitor, or a caller with the admin key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    Visitor,
    Admin,
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

impl AppState {
    /// The cart priced and in wire form.
    pub fn render(&self, cart: &StoredCart, base_url: &str) -> Cart {
        let priced = PricedCart::new(cart, &self.catalogs, &self.rules, OffsetDateTime::now_utc());
        render::cart(&priced, base_url)
    }

    /// The cart, or its 404.
    pub async fn load(&self, key: CartKey<'_>) -> Result<StoredCart, ApiError> {
        let cart = match key {
            CartKey::Visitor(visitor) => self.db.cart_for_visitor(visitor).await?,
            CartKey::Id(id) => self.db.cart_by_id(id).await?,
        };
        cart.ok_or_else(|| cart_not_found(key))
    }

    /// Applies a change to an existing cart (or creates a visitor's when
    /// `create`), answering 404 when there is no cart.
    async fn change(
        &self,
        key: CartKey<'_>,
        create: bool,
        change: impl FnMut(&mut StoredCart) -> Result<(), ApiError>,
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
                    let (code, data) = match &error {
                        CatalogError::NotFound(_) => (
                            "ITEM_NOT_FOUND_IN_CATALOG",
                            json!({ "invalidItems": [{ "catalogReference": reference }] }),
                        ),
                        CatalogError::OptionsRequired { .. }
                        | CatalogError::NoSuchVariant { .. } => (
                            "INVALID_ITEM_OPTIONS",
                            json!({ "invalidItems": [{ "catalogReference": reference }] }),
                        ),
                    };
                    ApiError::application(
                        StatusCode::BAD_REQUEST,
                        code,
                        format!("{field}[{i}]: {error}"),
                        data,
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
        let mut violations = Violations::default();
        let total = request.line_items.len() + request.custom_line_items.len();
        violations.size("lineItems".to_owned(), total, 1, MAX_ITEMS_PER_REQUEST);
        violations.size(
            "customLineItems".to_owned(),
            request.custom_line_items.len(),
            0,
            MAX_ITEMS_PER_REQUEST,
        );
        for (i, item) in request.line_items.iter().enumerate() {
            violations.line_item(&format!("lineItems[{i}]"), item);
        }
        let custom = custom_items(caller, &request.custom_line_items, &mut violations)?;
        violations.into_result()?;
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
        self.db.insert_cart(&mut cart).await?;
        Ok(cart)
    }

    /// Validates an update and resolves its items; nothing is changed yet.
    fn prepare_update(
        &self,
        caller: Caller,
        request: &UpdateCartRequest,
    ) -> Result<PreparedUpdate, ApiError> {
        let mut violations = Violations::default();
        violations.size(
            "lineItems".to_owned(),
            request.line_items.len(),
            0,
            MAX_LINE_ITEMS,
        );
        violations.size(
            "customLineItems".to_owned(),
            request.custom_line_items.len(),
            0,
            MAX_LINE_ITEMS,
        );
        for (i, item) in request.line_items.iter().enumerate() {
            violations.line_item(&format!("lineItems[{i}]"), item);
        }
        let custom = custom_items(caller, &request.custom_line_items, &mut violations)?;
        if let Some(info) = &request.cart_info {
            if let Some(note) = &info.buyer_note {
                violations.length(
                    "cartInfo.buyerNote".to_owned(),
                    note,
                    0,
                    MAX_BUYER_NOTE_LENGTH,
                );
            }
            if let Some(url) = info
                .override_checkout_url
                .as_deref()
                .filter(|url| !url.is_empty())
            {
                violations.length(
                    "cartInfo.overrideCheckoutUrl".to_owned(),
                    url,
                    0,
                    MAX_CHECKOUT_URL_LENGTH,
                );
                if !is_http_url(url) {
                    let description = "must be an absolute http(s) URL".to_owned();
                    violations.add(
                        "cartInfo.overrideCheckoutUrl".to_owned(),
                        "FORMAT",
                        description,
                        None,
                    );
                }
            }
            if let Some(option) = &info.selected_shipping_option {
                violations.shipping_option("cartInfo.selectedShippingOption", option);
            }
            if let Some(address) = info.contact_info.as_ref().and_then(|c| c.address.as_ref()) {
                violations.address("cartInfo.contactInfo.address", address);
            }
        }
        if let Some(code) = &request.coupon_code {
            violations.length("couponCode".to_owned(), code.trim(), 1, 100);
        }
        violations.into_result()?;
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
            let priced = PricedCart::new(cart, &self.catalogs, &self.rules, now);
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
        let mut violations = Violations::default();
        violations.size(
            "lineItemIds".to_owned(),
            request.line_item_ids.len(),
            1,
            MAX_ITEMS_PER_REQUEST,
        );
        for (i, id) in request.line_item_ids.iter().enumerate() {
            violations.guid(format!("lineItemIds[{i}]"), id);
        }
        violations.into_result()?;
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
        let mut violations = Violations::default();
        violations.size(
            "lineItems".to_owned(),
            request.line_items.len(),
            1,
            MAX_ITEMS_PER_REQUEST,
        );
        let mut seen = std::collections::HashSet::new();
        for (i, update) in request.line_items.iter().enumerate() {
            match &update.id {
                None => violations.required(format!("lineItems[{i}].id")),
                Some(id) => {
                    violations.guid(format!("lineItems[{i}].id"), id);
                    if !seen.insert(id.clone()) {
                        let description = "appears more than once".to_owned();
                        violations.add(
                            format!("lineItems[{i}].id"),
                            "VALIDATION",
                            description,
                            None,
                        );
                    }
                }
            }
            match update.quantity {
                None => violations.required(format!("lineItems[{i}].quantity")),
                Some(q) => violations.range(
                    format!("lineItems[{i}].quantity"),
                    q,
                    1,
                    i64::from(crate::cart::MAX_QUANTITY),
                ),
            }
        }
        violations.into_result()?;
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
        let mut violations = Violations::default();
        if let Some(option) = &request.selected_shipping_option {
            violations.shipping_option("selectedShippingOption", option);
        }
        if let Some(address) = &request.shipping_address {
            violations.address("shippingAddress", address);
        }
        if let Some(address) = &request.billing_address {
            violations.address("billingAddress", address);
        }
        violations.into_result()?;
        let cart = self.load(key).await?;
        let priced = PricedCart::new(
            &cart,
            &self.catalogs,
            &self.rules,
            OffsetDateTime::now_utc(),
        );
        Ok(render::estimate(&priced, &request, base_url))
    }

    /// `create-checkout`: creates the cart's checkout, or updates it when it
    /// exists, and says where to send the shopper.
    pub async fn create_checkout(
        &self,
        key: CartKey<'_>,
        request: CreateCheckoutRequest,
        base_url: &str,
    ) -> Result<CreateCheckoutResponse, ApiError> {
        let mut violations = Violations::default();
        match request.channel_type.as_deref() {
            None | Some("") => violations.required("channelType".to_owned()),
            Some(channel) if !CHANNEL_TYPES.contains(&channel) => violations.add(
                "channelType".to_owned(),
                "INVALID_ENUM_VALUE",
                format!("must be one of {}", CHANNEL_TYPES.join(", ")),
                None,
            ),
            Some(_) => {}
        }
        if let Some(email) = &request.email
            && !(email.contains('@') && email.len() <= 254 && !email.contains(char::is_whitespace))
        {
            violations.add(
                "email".to_owned(),
                "FORMAT",
                "must be an email address".to_owned(),
                None,
            );
        }
        if let Some(option) = &request.selected_shipping_option {
            violations.shipping_option("selectedShippingOption", option);
        }
        if let Some(address) = &request.shipping_address {
            violations.address("shippingAddress", address);
        }
        violations.into_result()?;
        let cart = self.load(key).await?;
        if cart.lines().is_empty() {
            return Err(ApiError::application(
                StatusCode::BAD_REQUEST,
                "CANT_CREATE_CHECKOUT_WITHOUT_ITEMS",
                "The cart is empty",
                json!({}),
            ));
        }
        let estimate_request = EstimateTotalsRequest {
            selected_shipping_option: request.selected_shipping_option.clone(),
            shipping_address: request.shipping_address.clone(),
            ..EstimateTotalsRequest::default()
        };
        let priced = PricedCart::new(
            &cart,
            &self.catalogs,
            &self.rules,
            OffsetDateTime::now_utc(),
        );
        let estimate = render::estimate(&priced, &estimate_request, base_url);
        let summary = render::checkout_summary(&estimate, request.email.as_deref());
        let channel = request.channel_type.as_deref().unwrap_or_default();
        let checkout_id = self.db.upsert_checkout(&cart.id, channel, &summary).await?;
        let cart = self
            .change(CartKey::Id(&cart.id), false, |cart| {
                cart.content.checkout_id = Some(checkout_id.clone());
                Ok(())
            })
            .await?;
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

/// Adds resolved catalog items and custom items to a cart, keeping it within `MAX_LINE_ITEMS`.
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
    if cart.lines().len() > MAX_LINE_ITEMS {
        let mut violations = Violations::default();
        violations.size(
            "lineItems".to_owned(),
            cart.lines().len(),
            0,
            MAX_LINE_ITEMS,
        );
        return violations.into_result();
    }
    Ok(())
}

/// Custom line items carry their own price: a visitor sending any gets 403;
/// with the admin key they are read and validated.
fn custom_items(
    caller: Caller,
    raw: &[Value],
    violations: &mut Violations,
) -> Result<Vec<CustomLineItemInput>, ApiError> {
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    if caller == Caller::Visitor {
        return Err(ApiError::application(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "Custom line items need the admin API key",
            json!({}),
        ));
    }
    Ok(raw
        .iter()
        .enumerate()
        .filter_map(|(i, value)| {
            match serde_json::from_value::<CustomLineItemInput>(value.clone()) {
                Ok(item) => {
                    violations.custom_line_item(&format!("customLineItems[{i}]"), &item);
                    Some(item)
                }
                Err(error) => {
                    violations.add(
                        format!("customLineItems[{i}]"),
                        "FORMAT",
                        error.to_string(),
                        None,
                    );
                    None
                }
            }
        })
        .collect())
}
