//! The Cart V2 use cases (`/ecom/v2/carts/current…`) over the same stored
//! carts as v1: one cart, two APIs. Each V2 request is checked with v1's
//! rules (its field names renamed to V2's in the answer) and changes the
//! cart in one storage write, like every v1 change; where V2 has an
//! operation of its own (coupon removed by id, delivery method) it is here.

use axum::http::StatusCode;
use cart_wire::v2::{
    AddCouponRequest, AddLineItemsRequest, COUPON_NOT_FOUND_IN_CART, CartUpdate, CreateCartRequest,
    DELIVERY_METHOD_NOT_FOUND, DeliveryMethodInput, RemoveCouponRequest, SetDeliveryMethodRequest,
    UpdateLineItemsRequest,
};
use cart_wire::{
    AddToCartRequest, CartInfoUpdate, ContactInfo, CreateCheckoutRequest, LineItemInput,
    LineItemQuantityUpdate, SelectedShippingOption, UpdateCartRequest,
    UpdateLineItemsQuantityRequest,
};
use serde_json::json;
use time::OffsetDateTime;

use super::v2_errors::{catalog_fields, coupon_error, not_supported, v2_error, v2_fields};
use super::{Caller, Carts, add_items, cart_not_found, custom_items_allowed};
use crate::cart::{Customer, StoredCart};
use crate::db::CartKey;
use crate::error::ApiError;
use crate::pricing::{EstimateOptions, PricedCart};
use crate::validate;

impl Carts<'_> {
    /// `POST /ecom/v2/carts/current`: the visitor's cart with the given
    /// content, created when they have none (an existing cart is kept and
    /// the content added to it).
    pub async fn v2_create(
        &self,
        visitor: &str,
        request: CreateCartRequest,
    ) -> Result<StoredCart, ApiError> {
        if !request.gift_cards.is_empty() {
            return Err(not_supported("gift cards"));
        }
        let add = add_request(&request.catalog_items, request.custom_items.clone());
        custom_items_allowed(Caller::Visitor, &add.custom_line_items)?;
        let mut violations = validate::Violations::default();
        violations.size("coupons".to_owned(), request.coupons.len(), 0, 1);
        violations.into_result()?;
        let update = request.cart.clone().unwrap_or_default();
        let v1_update = v1_update(&update, request.coupons.first().map(|c| c.code.clone()));
        validate::cart_update(&v1_update).map_err(|error| match v2_fields(error) {
            ApiError::Validation(mut violations) => {
                for violation in &mut violations {
                    if violation.field == "coupon.code" {
                        violation.field = "coupons[0].code".to_owned();
                    }
                }
                ApiError::Validation(violations)
            }
            other => other,
        })?;
        check_customer(&update)?;
        if !add.line_items.is_empty() {
            validate::add_to_cart(&add).map_err(catalog_fields)?;
        }
        let items = self.resolve_items("catalogItems", &add.line_items)?;
        let now = OffsetDateTime::now_utc();
        self.change(CartKey::Visitor(visitor), true, |cart| {
            apply_cart_update(cart, &update);
            add_items(cart, &items, &[])?;
            if let Some(code) = &v1_update.coupon_code {
                self.apply_coupon(cart, code, now)?;
            }
            if let Some(method) = &request.delivery_method {
                self.apply_delivery_method(cart, method)?;
            }
            Ok(())
        })
        .await
        .map_err(v2_error)
    }

    /// `PATCH /ecom/v2/carts/current`: note, delivery address, customer
    /// details and custom checkout URL; fields not sent are kept.
    pub async fn v2_update(
        &self,
        key: CartKey<'_>,
        update: CartUpdate,
    ) -> Result<StoredCart, ApiError> {
        validate::cart_update(&v1_update(&update, None)).map_err(v2_fields)?;
        check_customer(&update)?;
        self.change(key, false, |cart| {
            apply_cart_update(cart, &update);
            Ok(())
        })
        .await
        .map_err(v2_error)
    }

    /// `add-line-items`: v1's add-to-cart (merge, clamp to stock, create the cart).
    pub async fn v2_add_line_items(
        &self,
        key: CartKey<'_>,
        request: AddLineItemsRequest,
    ) -> Result<StoredCart, ApiError> {
        let add = add_request(&request.catalog_items, request.custom_items);
        custom_items_allowed(Caller::Visitor, &add.custom_line_items)?;
        validate::add_to_cart(&add).map_err(catalog_fields)?;
        let items = self.resolve_items("catalogItems", &add.line_items)?;
        self.change(key, true, |cart| add_items(cart, &items, &[]))
            .await
            .map_err(v2_error)
    }

    /// `update-line-items`: v1's quantity update (absolute, clamped to stock).
    pub async fn v2_update_line_items(
        &self,
        key: CartKey<'_>,
        request: UpdateLineItemsRequest,
    ) -> Result<StoredCart, ApiError> {
        let v1 = UpdateLineItemsQuantityRequest {
            line_items: request
                .line_items
                .into_iter()
                .map(|update| LineItemQuantityUpdate {
                    id: update.line_item_id,
                    quantity: update.quantity.and_then(|q| q.new_quantity),
                })
                .collect(),
        };
        self.update_quantities(key, v1)
            .await
            .map_err(|error| v2_error(v2_fields(error)))
    }

    /// `add-coupon`: the one coupon of the cart (a new code replaces the old).
    pub async fn v2_add_coupon(
        &self,
        key: CartKey<'_>,
        request: AddCouponRequest,
    ) -> Result<StoredCart, ApiError> {
        let code = request.coupon.map(|c| c.code).unwrap_or_default();
        let check = v1_update(&CartUpdate::default(), Some(code.clone()));
        validate::cart_update(&check).map_err(v2_fields)?;
        let now = OffsetDateTime::now_utc();
        self.change(key, false, |cart| self.apply_coupon(cart, code.trim(), now))
            .await
            .map_err(v2_error)
    }

    /// `remove-coupon`: by the id in `cart.coupons[]`.
    pub async fn v2_remove_coupon(
        &self,
        key: CartKey<'_>,
        request: RemoveCouponRequest,
    ) -> Result<StoredCart, ApiError> {
        let mut violations = validate::Violations::default();
        match &request.coupon_id {
            None => violations.required("couponId".to_owned()),
            Some(id) => violations.guid("couponId".to_owned(), id),
        }
        violations.into_result()?;
        let id = request.coupon_id.unwrap_or_default();
        self.change(key, false, |cart| {
            let applied = cart
                .content
                .coupon_code
                .as_deref()
                .and_then(|code| self.rules.coupon(code));
            if applied.is_none_or(|coupon| coupon.id != id) {
                return Err(ApiError::application(
                    StatusCode::BAD_REQUEST,
                    COUPON_NOT_FOUND_IN_CART,
                    "The cart has no coupon with this id",
                    json!({ "couponId": id }),
                ));
            }
            cart.content.coupon_code = None;
            Ok(())
        })
        .await
        .map_err(v2_error)
    }

    /// `set-delivery-method`: a method offered for the cart's destination
    /// (the delivery address, else the shop's default); v1 sees it as the
    /// selected shipping option.
    pub async fn v2_set_delivery_method(
        &self,
        key: CartKey<'_>,
        request: SetDeliveryMethodRequest,
    ) -> Result<StoredCart, ApiError> {
        let method = request.delivery_method.unwrap_or_default();
        let mut violations = validate::Violations::default();
        violations.length("deliveryMethod.code".to_owned(), &method.code, 1, 100);
        violations.into_result()?;
        self.change(key, false, |cart| self.apply_delivery_method(cart, &method))
            .await
            .map_err(v2_error)
    }

    /// `remove-delivery-method`.
    pub async fn v2_remove_delivery_method(
        &self,
        key: CartKey<'_>,
    ) -> Result<StoredCart, ApiError> {
        self.change(key, false, |cart| {
            cart.content.selected_shipping_option = None;
            Ok(())
        })
        .await
        .map_err(v2_error)
    }

    /// `POST /ecom/v2/carts/{cartId}/get-checkout-url`, for the visitor's own
    /// cart only (any other id is 404 `CART_NOT_FOUND`, whether it exists or
    /// not). The custom checkout URL when set (`{checkout_id}` replaced by
    /// the cart id), else the cart's checkout, created or updated as v1's
    /// create-checkout does.
    pub async fn v2_checkout_url(
        &self,
        visitor: &str,
        cart_id: &str,
        base_url: &str,
    ) -> Result<String, ApiError> {
        let key = CartKey::Visitor(visitor);
        let cart = self.db.find_cart(key).await?;
        let Some(cart) = cart.filter(|cart| cart.id == cart_id) else {
            return Err(cart_not_found(CartKey::Id(cart_id)));
        };
        if let Some(url) = &cart.content.override_checkout_url {
            return Ok(url.replace("{checkout_id}", &cart.id));
        }
        let request = CreateCheckoutRequest {
            channel_type: Some("WEB".to_owned()),
            email: cart.content.customer.as_ref().and_then(|c| c.email.clone()),
            ..CreateCheckoutRequest::default()
        };
        let checkout = self.create_checkout(key, request, base_url).await?;
        Ok(checkout.checkout_url.unwrap_or_default())
    }

    /// Sets the coupon, refusing one that does not apply now.
    fn apply_coupon(
        &self,
        cart: &mut StoredCart,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<(), ApiError> {
        cart.content.coupon_code = Some(code.to_owned());
        let priced = PricedCart::new(cart, self.catalogs, self.rules, now);
        match priced.coupon_problem() {
            Some(problem) => Err(coupon_error(problem, code)),
            None => Ok(()),
        }
    }

    /// Sets the delivery method when the destination offers it.
    fn apply_delivery_method(
        &self,
        cart: &mut StoredCart,
        method: &DeliveryMethodInput,
    ) -> Result<(), ApiError> {
        let not_found = || {
            ApiError::application(
                StatusCode::BAD_REQUEST,
                DELIVERY_METHOD_NOT_FOUND,
                format!(
                    "Delivery method {} is not offered for this cart",
                    method.code
                ),
                json!({ "code": method.code, "appId": method.app_id }),
            )
        };
        let carrier = &self.rules.carrier_id;
        if method.app_id.as_ref().is_some_and(|app| app != carrier) {
            return Err(not_found());
        }
        let priced = self.price(cart);
        let estimate = priced.estimate(EstimateOptions {
            address: cart.content.address.as_ref(),
            ..EstimateOptions::default()
        });
        let Some(quote) = estimate.shipping else {
            if estimate.shipping_problem.is_some() {
                return Err(not_found());
            }
            return Err(ApiError::application(
                StatusCode::PRECONDITION_REQUIRED,
                "DELIVERY_METHOD_MISSING_LINE_ITEMS",
                "Nothing in the cart is delivered",
                json!({}),
            ));
        };
        if !quote
            .available
            .iter()
            .any(|option| option.code == method.code)
        {
            return Err(not_found());
        }
        cart.content.selected_shipping_option = Some(SelectedShippingOption {
            code: method.code.clone(),
            carrier_id: Some(carrier.clone()),
        });
        Ok(())
    }
}

/// v1's add-to-cart body for V2's catalog and custom items.
fn add_request(
    items: &[cart_wire::v2::CatalogItemInput],
    custom: Vec<serde_json::Value>,
) -> AddToCartRequest {
    AddToCartRequest {
        line_items: items
            .iter()
            .map(|item| LineItemInput {
                catalog_reference: item.catalog_reference.clone(),
                quantity: item.quantity,
            })
            .collect(),
        custom_line_items: custom,
    }
}

/// `cart.customerInfo`: names of at most 100 characters, an email address.
fn check_customer(update: &CartUpdate) -> Result<(), ApiError> {
    let Some(info) = &update.customer_info else {
        return Ok(());
    };
    let mut violations = validate::Violations::default();
    for (field, value) in [
        ("firstName", &info.first_name),
        ("lastName", &info.last_name),
    ] {
        if let Some(value) = value {
            violations.length(format!("cart.customerInfo.{field}"), value, 0, 100);
        }
    }
    if let Some(email) = info.email.as_deref().filter(|email| !email.is_empty())
        && !(email.contains('@') && email.len() <= 254 && !email.contains(char::is_whitespace))
    {
        let description = "must be an email address".to_owned();
        violations.add(
            "cart.customerInfo.email".to_owned(),
            "FORMAT",
            description,
            None,
        );
    }
    violations.into_result()
}

/// v1's PATCH body for a V2 cart update, to check it with v1's rules.
fn v1_update(update: &CartUpdate, coupon_code: Option<String>) -> UpdateCartRequest {
    let address = update
        .delivery_info
        .as_ref()
        .and_then(|d| d.address.clone());
    UpdateCartRequest {
        cart_info: Some(CartInfoUpdate {
            buyer_note: update.note.clone(),
            override_checkout_url: update.custom_checkout_url.clone(),
            selected_shipping_option: None,
            contact_info: address.map(|address| ContactInfo {
                address: Some(address),
            }),
        }),
        coupon_code,
        ..UpdateCartRequest::default()
    }
}

/// Applies a checked V2 cart update: a field sent replaces the stored one
/// (an empty note or URL clears it); a field not sent is kept.
fn apply_cart_update(cart: &mut StoredCart, update: &CartUpdate) {
    let content = &mut cart.content;
    if let Some(note) = &update.note {
        content.buyer_note = Some(note.clone()).filter(|note| !note.is_empty());
    }
    if let Some(url) = &update.custom_checkout_url {
        content.override_checkout_url = Some(url.clone()).filter(|url| !url.is_empty());
    }
    if let Some(address) = update
        .delivery_info
        .as_ref()
        .and_then(|d| d.address.clone())
    {
        content.address = Some(address);
    }
    if let Some(info) = &update.customer_info {
        let customer = content.customer.get_or_insert_with(Customer::default);
        for (stored, sent) in [
            (&mut customer.email, &info.email),
            (&mut customer.first_name, &info.first_name),
            (&mut customer.last_name, &info.last_name),
        ] {
            if let Some(value) = sent {
                *stored = Some(value.clone()).filter(|value| !value.is_empty());
            }
        }
    }
}
