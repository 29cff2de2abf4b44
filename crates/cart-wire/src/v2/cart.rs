//! The V2 `Cart` entity and its line items.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Money;
use crate::{
    Address, CatalogReference, DescriptionLine, Image, ItemType, PageUrl, PhysicalProperties,
    TranslatableString,
};

/// `{cart}`: the body of every cart-returning V2 endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartResponse {
    pub cart: Cart,
}

/// A V2 cart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Cart {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_date: Option<String>,
    /// int64 as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    pub line_items: Vec<LineItem>,
    /// The sum of the lines' final prices (after item discounts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// At most one.
    pub coupons: Vec<Coupon>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<CartSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_info: Option<BusinessInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_info: Option<CustomerInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_info: Option<DeliveryInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_info: Option<TaxInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_info: Option<PaymentInfo>,
    pub order_placed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_checkout_url: Option<String>,
    pub current_cart: bool,
    pub demo: bool,
}

/// A coupon on the cart; removed by `id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Coupon {
    pub id: String,
    pub code: String,
}

/// Where the cart came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<String>,
    /// `{visitorId}` or `{memberId}` …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Value>,
}

/// The business's language and currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BusinessInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
}

/// The customer: who owns the cart and their contact details.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomerInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
}

/// Where and how the order is delivered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliveryInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Read-only; set with `set-delivery-method`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<DeliveryMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_unit: Option<String>,
}

/// A delivery method: its code, the app that offers it, and its title.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliveryMethod {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<TranslatableString>,
    pub pickup: bool,
}

/// Whether prices include tax.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaxInfo {
    pub prices_include_tax: bool,
}

/// Gift cards and the payment currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentInfo {
    pub gift_cards: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
}

/// One line of a V2 cart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<TranslatableString>,
    pub quantity_info: QuantityInfo,
    pub pricing: LinePricing,
    pub source: LineSource,
    pub attributes: LineAttributes,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_config: Option<Value>,
    /// `IN_STOCK`, `PARTIALLY_IN_STOCK`, `OUT_OF_STOCK` or `REMOVED_FROM_CATALOG`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub discounts: Vec<LineDiscount>,
    pub custom_line_item: bool,
}

/// `quantityInfo`: confirmed = min(requested, available).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QuantityInfo {
    pub confirmed_quantity: u32,
    pub requested_quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_quantity: Option<u32>,
    pub fixed_quantity: bool,
}

/// `pricing`: final unit and line prices, and the catalog prices behind them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LinePricing {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_price: Option<Money>,
    pub price_undetermined: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<PriceBreakdown>,
}

/// `pricing.breakdown`: `fullPrice` is the compare-at price.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriceBreakdown {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_price: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_modifiers_price: Option<Money>,
}

/// `source`: the catalog item the line is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_reference: Option<CatalogReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_catalog_item_id: Option<String>,
}

/// `attributes`: what the line shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineAttributes {
    pub description_lines: Vec<DescriptionLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<PageUrl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_type: Option<ItemType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_properties: Option<PhysicalProperties>,
    pub members_only: bool,
}

/// A discount on one line, for its whole quantity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineDiscount {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<TranslatableString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_off: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<DiscountSource>,
}

/// Where a discount comes from: `COUPON` (with its code) or `AUTOMATIC_RULE`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiscountSource {
    pub source_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
}
