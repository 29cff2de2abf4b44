//! The `EstimateTotalsResponse`: per-line tax breakdown, shipping options,
//! calculation errors, stock violations; and the checkout page's summary.

use cart_wire::{
    AppliedCoupon, AppliedDiscount, CalculatedLineItem, CalculationErrors, CarrierServiceOption,
    EstimateTotalsResponse, LOW_STOCK_THRESHOLD, Logistics, PriceSummary, PricesBreakdown,
    RateBreakdown, SelectedCarrierServiceOption, SelectedShippingCost, ShippingInfo,
    ShippingOption, ShippingOptionCost, ShippingRegion, TaxDetails, TaxSummary, Violation,
    ViolationLineItem, ViolationTarget,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::Render;
use crate::error::application_details;
use crate::pricing::{Estimate, ShippingProblem};

/// What the checkout page shows: line names, quantities and totals, the
/// price summary and the buyer's email.
pub fn checkout_summary(estimate: &EstimateTotalsResponse, email: Option<&str>) -> Value {
    json!({
        "lines": estimate.cart.line_items.iter().map(|line| json!({
            "name": line.product_name.original,
            "quantity": line.quantity,
            "total": line.line_item_price.formatted_amount,
        })).collect::<Vec<_>>(),
        "priceSummary": estimate.price_summary,
        "email": email,
    })
}

impl Render<'_, '_> {
    pub(super) fn estimate(&self, estimate: &Estimate<'_>) -> EstimateTotalsResponse {
        let priced = self.priced;
        let rate = estimate.tax_rate;
        let tax_rate = rate.map_or(Decimal::ZERO, |rate| rate.rate);
        let calculated = priced
            .lines
            .iter()
            .zip(&estimate.line_taxes)
            .map(|(line, tax)| {
                let item = line.item.as_ref();
                let unit_price = self.price(item.map_or(Decimal::ZERO, |i| i.price));
                CalculatedLineItem {
                    line_item_id: line.stored.id.clone(),
                    prices_breakdown: PricesBreakdown {
                        total_price_after_tax: self.price(tax.after_tax),
                        total_price_before_tax: self.price(tax.before_tax),
                        tax_details: self.tax_details(
                            tax.taxable,
                            tax_rate,
                            tax.tax,
                            rate.map(|r| r.name.as_str()),
                        ),
                        total_discount: self.price(line.discount),
                        price: unit_price.clone(),
                        price_before_discounts: unit_price,
                        line_item_price: self.price(line.total),
                        full_price: self.price(item.map_or(Decimal::ZERO, |i| i.full_price)),
                    },
                    payment_option: "FULL_PAYMENT_ONLINE".to_owned(),
                }
            })
            .collect();

        let mut errors = CalculationErrors::default();
        if let (Some(problem), Some(code)) =
            (priced.coupon_problem(), &priced.cart.content.coupon_code)
        {
            errors.coupon_calculation_error = Some(application_details(
                problem.code(),
                problem.description(code),
                problem.data(code),
            ));
        }
        match &estimate.shipping_problem {
            Some(problem @ ShippingProblem::NoRegion { country }) => {
                errors.general_shipping_calculation_error = Some(application_details(
                    "NO_SHIPPING_OPTIONS",
                    problem.description(),
                    json!({ "country": country }),
                ));
            }
            Some(problem @ ShippingProblem::OptionNotAvailable { code }) => {
                errors.selected_shipping_option_error = Some(application_details(
                    "SELECTED_CARRIER_SERVICE_OPTION_NOT_FOUND",
                    problem.description(),
                    json!({ "code": code }),
                ));
            }
            None => {}
        }

        let subtotal = priced.subtotal();
        let discount = priced.discount();
        let shipping_price = estimate
            .shipping
            .as_ref()
            .map_or(Decimal::ZERO, |s| s.price());
        let summary = PriceSummary {
            subtotal: self.price(subtotal),
            shipping: self.price(shipping_price),
            tax: self.price(estimate.total_tax),
            discount: self.price(discount),
            total: self.price(estimate.total),
            additional_fees: self.price(Decimal::ZERO),
        };
        let zero_summary = PriceSummary {
            subtotal: self.price(Decimal::ZERO),
            shipping: self.price(Decimal::ZERO),
            tax: self.price(Decimal::ZERO),
            discount: self.price(Decimal::ZERO),
            total: self.price(Decimal::ZERO),
            additional_fees: self.price(Decimal::ZERO),
        };
        let applied_discounts = priced
            .active_coupon()
            .map(|coupon| AppliedDiscount {
                coupon: Some(AppliedCoupon {
                    id: coupon.id.clone(),
                    code: coupon.code.clone(),
                    amount: Some(self.price(discount)),
                    name: Some(coupon.name.clone()),
                }),
                discount_type: Some(coupon.discount_type().to_owned()),
                line_item_ids: Some(
                    priced
                        .lines
                        .iter()
                        .filter(|line| !line.discount.is_zero())
                        .map(|line| line.stored.id.clone())
                        .collect(),
                ),
            })
            .into_iter()
            .collect();
        EstimateTotalsResponse {
            cart: self.cart(),
            calculated_line_items: calculated,
            price_summary: summary.clone(),
            tax_summary: TaxSummary {
                taxable_amount: self.price(estimate.taxable_total),
                total_tax: self.price(estimate.total_tax),
                calculation_details: Some(json!({
                    "rateType": if rate.is_some() { "MANUAL_RATE" } else { "NO_TAX_COLLECTED" },
                    "manualRateReason": "GLOBAL_SETTING_TO_MANUAL",
                })),
            },
            shipping_info: self.shipping_info(estimate),
            applied_discounts,
            calculation_errors: errors,
            weight_unit: "KG".to_owned(),
            currency: priced.currency.to_owned(),
            pay_now: summary,
            pay_later: zero_summary,
            membership_options: json!({"eligibleMemberships": [], "invalidMemberships": [], "selectedMemberships": []}),
            additional_fees: Vec::new(),
            violations: self.violations(),
        }
    }

    fn tax_details(
        &self,
        taxable: Decimal,
        rate: Decimal,
        tax: Decimal,
        name: Option<&str>,
    ) -> TaxDetails {
        TaxDetails {
            taxable_amount: self.price(taxable),
            tax_rate: rate.normalize().to_string(),
            total_tax: self.price(tax),
            rate_breakdown: name
                .map(|name| RateBreakdown {
                    name: name.to_owned(),
                    rate: rate.normalize().to_string(),
                    tax: self.price(tax),
                })
                .into_iter()
                .collect(),
        }
    }

    /// The region, the options offered and the one chosen (empty when
    /// nothing is shipped or the shop does not ship there).
    fn shipping_info(&self, estimate: &Estimate<'_>) -> ShippingInfo {
        let Some(quote) = &estimate.shipping else {
            return ShippingInfo::default();
        };
        let carrier_id = self.priced.rules.carrier_id.clone();
        ShippingInfo {
            region: Some(ShippingRegion {
                id: quote.region.id.clone(),
                name: quote.region.name.clone(),
            }),
            selected_carrier_service_option: quote.chosen.map(|option| {
                SelectedCarrierServiceOption {
                    code: option.code.clone(),
                    title: option.title.clone(),
                    logistics: Logistics {
                        delivery_time: Some(option.delivery_time.clone()),
                    },
                    cost: SelectedShippingCost {
                        total_price_after_tax: self.price(option.price),
                        total_price_before_tax: self.price(option.price),
                        tax_details: self.tax_details(
                            Decimal::ZERO,
                            Decimal::ZERO,
                            Decimal::ZERO,
                            None,
                        ),
                        total_discount: self.price(Decimal::ZERO),
                        price: self.price(option.price),
                    },
                    requested_shipping_option: quote.requested,
                    other_charges: Vec::new(),
                    carrier_id: carrier_id.clone(),
                    delivery_allocations: Vec::new(),
                }
            }),
            carrier_service_options: vec![CarrierServiceOption {
                carrier_id,
                shipping_options: quote
                    .available
                    .iter()
                    .map(|option| ShippingOption {
                        code: option.code.clone(),
                        title: option.title.clone(),
                        logistics: Logistics {
                            delivery_time: Some(option.delivery_time.clone()),
                        },
                        cost: ShippingOptionCost {
                            price: self.price(option.price),
                            other_charges: Vec::new(),
                        },
                    })
                    .collect(),
            }],
        }
    }

    /// Stock problems a shopper should see before checkout.
    fn violations(&self) -> Vec<Violation> {
        self.priced
            .lines
            .iter()
            .filter_map(|line| {
                let quantity = line.stored.quantity;
                let (severity, description) = match &line.item {
                    None => ("ERROR", "This item is no longer available.".to_owned()),
                    Some(item) => match item.stock {
                        Some(0) => ("ERROR", format!("{} is out of stock.", item.name)),
                        Some(stock) if stock < quantity => {
                            ("ERROR", format!("Only {stock} left in stock."))
                        }
                        Some(stock) if stock <= LOW_STOCK_THRESHOLD => {
                            ("WARNING", format!("Only {stock} left in stock."))
                        }
                        _ => return None,
                    },
                };
                Some(Violation {
                    severity: severity.to_owned(),
                    target: ViolationTarget {
                        line_item: Some(ViolationLineItem {
                            name: "LINE_ITEM_DEFAULT".to_owned(),
                            id: line.stored.id.clone(),
                        }),
                        other: None,
                    },
                    description,
                })
            })
            .collect()
    }
}
