//! The `Cart` entity and the types it is made of.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `{cart}`: the body of every cart-returning endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartResponse {
    pub cart: Cart,
}

/// A visitor's cart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Cart {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub line_items: Vec<LineItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_info: Option<BuyerInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion_currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_included_in_prices: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_checkout_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_shipping_option: Option<SelectedShippingOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_info: Option<ContactInfo>,
    /// Sum of line prices (an `@internal` field the live service returns too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<MultiCurrencyPrice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtotal_after_discounts: Option<MultiCurrencyPrice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<MultiCurrencyPrice>,
    pub applied_discounts: Vec<AppliedDiscount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_currency: Option<String>,
    /// int64 as a string, as the service sends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// Who the cart belongs to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuyerInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
}

/// One line of the cart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub quantity: u32,
    pub catalog_reference: CatalogReference,
    pub product_name: ProductName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<PageUrl>,
    pub price: MultiCurrencyPrice,
    pub full_price: MultiCurrencyPrice,
    pub price_before_discounts: MultiCurrencyPrice,
    pub line_item_price: MultiCurrencyPrice,
    pub description_lines: Vec<DescriptionLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    pub availability: Availability,
    pub physical_properties: PhysicalProperties,
    pub item_type: ItemType,
    pub payment_option: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_catalog_item_id: Option<String>,
    pub price_description: TranslatableString,
    pub custom_line_item: bool,
    pub price_undetermined: bool,
    pub fixed_quantity: bool,
    pub save_payment_method: bool,
    pub policies: Vec<Value>,
    pub members_only: bool,
    pub modifier_groups: Vec<Value>,
    pub modifiers_total_price: MultiCurrencyPrice,
}

impl LineItem {
    /// The name to show: the translation when there is one.
    pub fn display_name(&self) -> &str {
        self.product_name
            .translated
            .as_deref()
            .filter(|name| !name.is_empty())
            .unwrap_or(&self.product_name.original)
    }
}

/// Points at an item in a catalog (Wix Stores, or any catalog provider).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CatalogReference {
    pub catalog_item_id: String,
    pub app_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
}

/// `productName`: `original` is always present, `translated` optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProductName {
    pub original: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated: Option<String>,
}

/// A text with an optional translation (`{original, translated?}`).
pub type TranslatableString = ProductName;

/// `url`: a page of the item on the merchant's site.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageUrl {
    pub relative_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Money: a decimal string amount plus its display form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MultiCurrencyPrice {
    pub amount: String,
    pub converted_amount: String,
    pub formatted_amount: String,
    pub formatted_converted_amount: String,
}

/// An option line under the product name ("Size: M", "Color: Navy").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DescriptionLine {
    pub name: TranslatableString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plain_text: Option<TranslatableString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color_info: Option<ColorInfo>,
}

/// A colour option value with its swatch code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ColorInfo {
    pub original: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A line item's image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Image {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// Stock status of a line item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Availability {
    /// `AVAILABLE`, `NOT_FOUND`, `NOT_AVAILABLE` or `PARTIALLY_AVAILABLE`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity_available: Option<u32>,
}

/// Weight, SKU and whether the item ships.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PhysicalProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    pub shippable: bool,
}

/// `itemType`: a preset (`PHYSICAL`, `DIGITAL`, …) or a custom type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom: Option<String>,
}

/// The shipping option a cart or estimate asks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SelectedShippingOption {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier_id: Option<String>,
}

/// `cartInfo.contactInfo`: the buyer's address, used as the default destination.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContactInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// A postal address (wire names: `addressLine`, not the SDK's `addressLine1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    /// ISO 3166-1 alpha-2, e.g. `US`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// ISO 3166-2, e.g. `US-NY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdivision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
}

/// A discount on the cart: in a cart, `coupon.{id, code}`; in an estimate
/// also the amount, name, type and the lines it applies to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppliedDiscount {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon: Option<AppliedCoupon>,
    /// `GLOBAL`, `SPECIFIC_ITEMS` or `SHIPPING`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_item_ids: Option<Vec<String>>,
}

/// The coupon of an applied discount.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppliedCoupon {
    pub id: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<MultiCurrencyPrice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
