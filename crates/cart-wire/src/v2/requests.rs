//! V2 request bodies and the answers that are not a cart.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Cart, CustomerInfo, DeliveryInfo};
use crate::CatalogReference;

/// `POST /ecom/v2/carts/current`: a new current cart, optionally with content.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateCartRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart: Option<CartUpdate>,
    pub catalog_items: Vec<CatalogItemInput>,
    pub custom_items: Vec<Value>,
    /// At most one.
    pub coupons: Vec<CouponInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_method: Option<DeliveryMethodInput>,
    pub gift_cards: Vec<Value>,
}

/// `PATCH /ecom/v2/carts/current`: `{cart}`, the writable fields given replace the stored ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateCartRequest {
    pub cart: CartUpdate,
}

/// The writable part of a cart (read-only fields sent are ignored).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_info: Option<DeliveryInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_checkout_url: Option<String>,
    /// Only `email`, `firstName` and `lastName` are kept by this server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_info: Option<CustomerInfo>,
}

impl From<Cart> for CartUpdate {
    fn from(cart: Cart) -> Self {
        Self {
            note: cart.note,
            delivery_info: cart.delivery_info,
            custom_checkout_url: cart.custom_checkout_url,
            customer_info: cart.customer_info,
        }
    }
}

/// `add-line-items`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AddLineItemsRequest {
    pub catalog_items: Vec<CatalogItemInput>,
    /// Items with their own price; this server refuses them from visitors.
    pub custom_items: Vec<Value>,
}

/// A catalog item to add.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CatalogItemInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_reference: Option<CatalogReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// `update-line-items`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateLineItemsRequest {
    pub line_items: Vec<LineItemUpdate>,
}

/// One line's new quantity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItemUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_item_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<QuantityUpdate>,
}

/// `{newQuantity}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QuantityUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_quantity: Option<i64>,
}

/// `add-coupon`: `{coupon: {code}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AddCouponRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon: Option<CouponInput>,
}

/// `{code}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CouponInput {
    pub code: String,
}

/// `remove-coupon`: `{couponId}`, the id from `cart.coupons[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RemoveCouponRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_id: Option<String>,
}

/// `set-delivery-method`: `{deliveryMethod: {code, appId?}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SetDeliveryMethodRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_method: Option<DeliveryMethodInput>,
}

/// `{code, appId?}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliveryMethodInput {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// `calculate` and `estimate` (calculate sends only `refreshCart`). The
/// estimate's flags default to false: what is not asked for is not counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EstimateRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_cart: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_delivery: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_additional_fees: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_tax: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_gift_cards: Option<bool>,
}

/// `POST /ecom/v2/carts/{cartId}/get-checkout-url`; the SDK repeats the path's id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetCheckoutUrlRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
}

/// `{checkoutUrl}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetCheckoutUrlResponse {
    pub checkout_url: String,
}
