//! Request bodies of the current-cart endpoints.

use serde::{Deserialize, Serialize};

use crate::CatalogReference;

/// `POST /ecom/v1/carts/current/add-to-cart`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AddToCartRequest {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub line_items: Vec<LineItemInput>,
    /// Only accepted with the admin key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_line_items: Vec<serde_json::Value>,
}

/// A catalog item to add, and how many. Both fields are required by the API;
/// they are optional here so the server can report a missing one precisely.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItemInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_reference: Option<CatalogReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// `PATCH /ecom/v1/carts/current`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateCartRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_info: Option<CartInfoUpdate>,
    /// Applies a coupon, replacing any applied one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub line_items: Vec<LineItemInput>,
    /// Only accepted with the admin key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_line_items: Vec<serde_json::Value>,
}

/// The writable parts of `cartInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartInfoUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_checkout_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_shipping_option: Option<crate::SelectedShippingOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_info: Option<crate::ContactInfo>,
}

/// `POST …/remove-line-items`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RemoveLineItemsRequest {
    pub line_item_ids: Vec<String>,
}

/// `POST …/update-line-items-quantity`: absolute quantities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateLineItemsQuantityRequest {
    pub line_items: Vec<LineItemQuantityUpdate>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItemQuantityUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// `POST …/create-checkout`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateCheckoutRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<crate::Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_shipping_option: Option<crate::SelectedShippingOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `{checkoutId}`, plus (an extension of this server's) where to send the shopper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateCheckoutResponse {
    pub checkout_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
}

/// A line item with its own price and details, not from a catalog. Only
/// accepted with the admin key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomLineItemInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// Decimal string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// Decimal string: price before the seller's own discount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_name: Option<crate::ProductName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_type: Option<crate::ItemType>,
    pub description_lines: Vec<crate::DescriptionLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<crate::Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<crate::PageUrl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity_available: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_properties: Option<crate::PhysicalProperties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_reference: Option<CatalogReference>,
}
