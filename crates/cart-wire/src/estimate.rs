//! `POST …/estimate-totals`: prices, discounts, shipping and tax for a destination.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Address, AppliedDiscount, Cart, MultiCurrencyPrice, SelectedShippingOption};

/// The estimate request; every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EstimateTotalsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_shipping_option: Option<SelectedShippingOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// Default `true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_tax: Option<bool>,
    /// Default `true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculate_shipping: Option<bool>,
}

/// The estimate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EstimateTotalsResponse {
    pub cart: Cart,
    pub calculated_line_items: Vec<CalculatedLineItem>,
    pub price_summary: PriceSummary,
    pub tax_summary: TaxSummary,
    pub shipping_info: ShippingInfo,
    pub applied_discounts: Vec<AppliedDiscount>,
    pub calculation_errors: CalculationErrors,
    pub weight_unit: String,
    pub currency: String,
    pub pay_now: PriceSummary,
    pub pay_later: PriceSummary,
    pub membership_options: Value,
    pub additional_fees: Vec<Value>,
    pub violations: Vec<Violation>,
}

/// Subtotal, discount, shipping, tax and total.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriceSummary {
    pub subtotal: MultiCurrencyPrice,
    pub shipping: MultiCurrencyPrice,
    pub tax: MultiCurrencyPrice,
    pub discount: MultiCurrencyPrice,
    pub total: MultiCurrencyPrice,
    pub additional_fees: MultiCurrencyPrice,
}

/// One line's prices after discounts and tax.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CalculatedLineItem {
    pub line_item_id: String,
    pub prices_breakdown: PricesBreakdown,
    pub payment_option: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PricesBreakdown {
    pub total_price_after_tax: MultiCurrencyPrice,
    pub total_price_before_tax: MultiCurrencyPrice,
    pub tax_details: TaxDetails,
    pub total_discount: MultiCurrencyPrice,
    pub price: MultiCurrencyPrice,
    pub price_before_discounts: MultiCurrencyPrice,
    pub line_item_price: MultiCurrencyPrice,
    pub full_price: MultiCurrencyPrice,
}

/// Tax on one line or on shipping.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaxDetails {
    pub taxable_amount: MultiCurrencyPrice,
    /// Decimal string between 0 and 1, e.g. `"0.08875"`.
    pub tax_rate: String,
    pub total_tax: MultiCurrencyPrice,
    pub rate_breakdown: Vec<RateBreakdown>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RateBreakdown {
    pub name: String,
    pub rate: String,
    pub tax: MultiCurrencyPrice,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaxSummary {
    pub taxable_amount: MultiCurrencyPrice,
    pub total_tax: MultiCurrencyPrice,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculation_details: Option<Value>,
}

/// The shipping region of the destination and the options offered there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShippingInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<ShippingRegion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_carrier_service_option: Option<SelectedCarrierServiceOption>,
    pub carrier_service_options: Vec<CarrierServiceOption>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShippingRegion {
    pub id: String,
    pub name: String,
}

/// The option the estimate used, with its cost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SelectedCarrierServiceOption {
    pub code: String,
    pub title: String,
    pub logistics: Logistics,
    pub cost: SelectedShippingCost,
    /// Whether this is the option the request asked for.
    pub requested_shipping_option: bool,
    pub other_charges: Vec<Value>,
    pub carrier_id: String,
    pub delivery_allocations: Vec<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SelectedShippingCost {
    pub total_price_after_tax: MultiCurrencyPrice,
    pub total_price_before_tax: MultiCurrencyPrice,
    pub tax_details: TaxDetails,
    pub total_discount: MultiCurrencyPrice,
    pub price: MultiCurrencyPrice,
}

/// The options one carrier offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CarrierServiceOption {
    pub carrier_id: String,
    pub shipping_options: Vec<ShippingOption>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShippingOption {
    pub code: String,
    pub title: String,
    pub logistics: Logistics,
    pub cost: ShippingOptionCost,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShippingOptionCost {
    pub price: MultiCurrencyPrice,
    pub other_charges: Vec<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Logistics {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_time: Option<String>,
}

/// What could not be calculated, and why; the rest of the estimate stands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CalculationErrors {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general_shipping_calculation_error: Option<crate::ErrorDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_shipping_option_error: Option<crate::ErrorDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_calculation_error: Option<crate::ErrorDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_calculation_error: Option<crate::ErrorDetails>,
    pub order_validation_errors: Vec<crate::ApplicationError>,
}

/// A problem with the cart a shopper should know about (e.g. stock).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Violation {
    /// `WARNING` or `ERROR`.
    pub severity: String,
    pub target: ViolationTarget,
    pub description: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ViolationTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_item: Option<ViolationLineItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ViolationLineItem {
    pub name: String,
    pub id: String,
}
