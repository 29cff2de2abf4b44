//! `calculate` / `estimate`: `{cart, summary}`.

use serde::{Deserialize, Serialize};

use super::{Cart, DeliveryMethod, DiscountSource, Money};
use crate::TranslatableString;

/// The answer of `calculate` and `estimate`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CalculateResponse {
    pub cart: Cart,
    pub summary: CartSummary,
}

/// The cart's totals and what stands in the way of checking out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_revision: Option<String>,
    pub line_items: Vec<SummaryLine>,
    pub discounts: Vec<SummaryDiscount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_summary: Option<DeliverySummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_summary: Option<TaxSummary>,
    pub price_summary: PriceSummary,
    pub violations: Vec<Violation>,
}

/// One line's quantity and final prices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryLine {
    pub line_item_id: String,
    pub quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_price: Option<Money>,
}

/// A discount: `scope` is `CART_SUBTOTAL`, `LINE_ITEM` or `DELIVERY`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryDiscount {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<TranslatableString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<DiscountSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
    pub line_item_discounts: Vec<LineItemDiscount>,
}

/// A discount's share of one line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItemDiscount {
    pub line_item_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_off: Option<Money>,
}

/// The selected delivery method and its price.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliverySummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<DeliveryMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
}

/// Taxes, by name and by line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaxSummary {
    pub taxes: Vec<TaxBreakdown>,
    pub prices_include_tax: bool,
    pub line_item_taxes: Vec<LineItemTax>,
}

/// One named tax.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaxBreakdown {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<TranslatableString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxable_amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

/// One line's tax.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItemTax {
    pub line_item_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<Money>,
    /// A decimal string between 0 and 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
}

/// The totals. `subtotal` is after item-level discounts; `discount` is only a
/// cart-subtotal discount; `total = subtotal - discount + delivery + fees + tax`
/// (tax added only when prices exclude it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriceSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_fees: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
}

/// A soft problem: the cart is answered, with this in `summary.violations`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Violation {
    /// `GLOBAL`, `LINE_ITEM`, `DISCOUNT`, `DELIVERY`, …
    pub scope: String,
    /// `EMPTY_CART`, `LINE_ITEMS_OUT_OF_STOCK`, `INVALID_COUPON_STATUS`, …
    pub code: String,
    /// `WARNING` or `ERROR`.
    pub severity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The typed data of the code (`lineItemsOutOfStockData`, `invalidCouponStatusData`, …), flattened in.
    #[serde(flatten)]
    pub data: serde_json::Map<String, serde_json::Value>,
}
