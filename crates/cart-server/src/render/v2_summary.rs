//! Cart V2 totals (`calculate`, `estimate`): the same `PricedCart::estimate`
//! as v1's estimate-totals, for the address and delivery method stored on
//! the cart. Differences from v1: coupon discounts are line-item discounts,
//! so `priceSummary.subtotal` is after them and `priceSummary.discount` is 0
//! (the coupon is in `discounts[]`); delivery is the stored method's, or,
//! when none is stored, the cheapest method offered for the destination,
//! named in `deliverySummary.method` and flagged by a `MISSING_DELIVERY_METHOD`
//! warning (checkout still needs one set). That is what v1's estimate-totals
//! does without a selected option, so a shopper sees the same estimate in
//! both dialects, and V2, which has no endpoint listing the offered
//! methods, still tells a client which one it would get; soft problems are
//! `violations[]`, never a failed request.

use cart_wire::ProductName;
use cart_wire::v2::{
    CartSummary, DeliverySummary, DiscountSource, LineItemDiscount, LineItemTax, PriceSummary,
    SummaryDiscount, SummaryLine, TaxBreakdown, TaxSummary, Violation,
};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::v2::{delivery_method, line_status, stored_delivery_method};
use crate::carts::coupon_code_and_reason;
use crate::money::converted;
use crate::pricing::{EstimateOptions, PricedCart};

/// What to count: `calculate` counts everything; `estimate` only what it is asked for.
#[derive(Clone, Copy, Debug)]
pub struct SummaryOptions {
    pub delivery: bool,
    pub tax: bool,
}

/// The cart's summary.
pub fn summary(priced: &PricedCart<'_>, options: SummaryOptions) -> CartSummary {
    let content = &priced.cart.content;
    let method = content
        .selected_shipping_option
        .as_ref()
        .map(|option| option.code.as_str());
    let mut violations = Vec::new();
    let estimate_for = |skip_shipping| {
        priced.estimate(EstimateOptions {
            address: content.address.as_ref(),
            shipping_option: method,
            skip_shipping,
            skip_tax: !options.tax,
        })
    };
    let mut estimate = estimate_for(!options.delivery);
    if let Some(problem) = &estimate.shipping_problem {
        let description = problem.description();
        violations.push(violation(
            "DELIVERY",
            "DELIVERY_METHOD_NO_LONGER_AVAILABLE",
            "ERROR",
            description,
            None,
        ));
        estimate = estimate_for(true);
    }
    let ships = priced
        .lines
        .iter()
        .any(|line| line.item.as_ref().is_some_and(|item| item.shippable));
    if options.delivery && method.is_none() && ships {
        let description = match estimate.shipping.as_ref().and_then(|quote| quote.chosen) {
            Some(option) => format!(
                "No delivery method is set; the cheapest, {}, is estimated",
                option.title
            ),
            None => "No delivery method is set".to_owned(),
        };
        violations.push(violation(
            "DELIVERY",
            "MISSING_DELIVERY_METHOD",
            "WARNING",
            description,
            None,
        ));
    }
    let delivery_price = estimate
        .shipping
        .as_ref()
        .map_or(Decimal::ZERO, |quote| quote.price());
    if priced.lines.is_empty() {
        violations.push(violation(
            "GLOBAL",
            "EMPTY_CART",
            "ERROR",
            "The cart is empty".to_owned(),
            None,
        ));
    }
    let out_of_stock: Vec<&str> = priced
        .lines
        .iter()
        .filter(|line| line_status(line) != "IN_STOCK")
        .map(|line| line.stored.id.as_str())
        .collect();
    if !out_of_stock.is_empty() {
        let data = json!({
            "lineItemIds": out_of_stock,
            "allLineItemsOutOfStock": out_of_stock.len() == priced.lines.len(),
        });
        let description = "Some items are not in stock in the quantity asked for".to_owned();
        violations.push(violation(
            "LINE_ITEM",
            "LINE_ITEMS_OUT_OF_STOCK",
            "WARNING",
            description,
            Some(("lineItemsOutOfStockData", data)),
        ));
    }
    if let (Some(problem), Some(code)) = (priced.coupon_problem(), content.coupon_code.as_deref()) {
        let (v2_code, reason) = coupon_code_and_reason(problem);
        let (key, data) = match reason {
            Some(reason) => (
                "invalidCouponStatusData",
                json!({ "couponCode": code, "reason": reason }),
            ),
            None => ("invalidCouponCodeData", json!({ "couponCode": code })),
        };
        violations.push(violation(
            "DISCOUNT",
            v2_code,
            "ERROR",
            problem.description(code),
            Some((key, data)),
        ));
    }
    let subtotal = priced.subtotal() - priced.discount();
    let tax_summary = estimate.tax_rate.map(|rate| TaxSummary {
        taxes: vec![TaxBreakdown {
            name: Some(ProductName {
                original: rate.name.clone(),
                translated: Some(rate.name.clone()),
            }),
            taxable_amount: Some(converted(estimate.taxable_total)),
            amount: Some(converted(estimate.total_tax)),
        }],
        prices_include_tax: priced.rules.tax_included_in_prices,
        line_item_taxes: priced
            .lines
            .iter()
            .zip(&estimate.line_taxes)
            .map(|(line, tax)| LineItemTax {
                line_item_id: line.stored.id.clone(),
                tax: Some(converted(tax.tax)),
                rate: Some(rate.rate.normalize().to_string()),
            })
            .collect(),
    });
    CartSummary {
        cart_id: Some(priced.cart.id.clone()),
        cart_revision: Some(priced.cart.revision.to_string()),
        line_items: priced
            .lines
            .iter()
            .map(|line| {
                let total = line.total - line.discount;
                let quantity = line.stored.quantity;
                SummaryLine {
                    line_item_id: line.stored.id.clone(),
                    quantity,
                    unit_price: Some(converted(total / Decimal::from(quantity.max(1)))),
                    total_price: Some(converted(total)),
                }
            })
            .collect(),
        discounts: discounts(priced),
        delivery_summary: estimate.shipping.as_ref().map(|quote| DeliverySummary {
            method: if quote.requested {
                stored_delivery_method(priced)
            } else {
                quote
                    .chosen
                    .map(|option| delivery_method(priced.rules, &option.code))
            },
            price: Some(converted(delivery_price)),
        }),
        tax_summary,
        price_summary: PriceSummary {
            subtotal: Some(converted(subtotal)),
            discount: Some(converted(Decimal::ZERO)),
            delivery: Some(converted(delivery_price)),
            additional_fees: Some(converted(Decimal::ZERO)),
            tax: Some(converted(estimate.total_tax)),
            total: Some(converted(estimate.total)),
        },
        violations,
    }
}

/// The coupon's discount, when it gives one, as a line-item discount.
fn discounts(priced: &PricedCart<'_>) -> Vec<SummaryDiscount> {
    let Some(coupon) = priced.active_coupon() else {
        return Vec::new();
    };
    let total = priced.discount();
    if total <= Decimal::ZERO {
        return Vec::new();
    }
    vec![SummaryDiscount {
        name: Some(ProductName {
            original: coupon.name.clone(),
            translated: Some(coupon.name.clone()),
        }),
        source: Some(DiscountSource {
            source_type: "COUPON".to_owned(),
            coupon_code: Some(coupon.code.clone()),
        }),
        scope: Some("LINE_ITEM".to_owned()),
        total: Some(converted(total)),
        line_item_discounts: priced
            .lines
            .iter()
            .filter(|line| line.discount > Decimal::ZERO)
            .map(|line| LineItemDiscount {
                line_item_id: line.stored.id.clone(),
                amount_off: Some(converted(line.discount)),
            })
            .collect(),
    }]
}

fn violation(
    scope: &str,
    code: &str,
    severity: &str,
    description: String,
    data: Option<(&str, Value)>,
) -> Violation {
    let mut map = Map::new();
    if let Some((key, value)) = data {
        map.insert(key.to_owned(), value);
    }
    Violation {
        scope: scope.to_owned(),
        code: code.to_owned(),
        severity: severity.to_owned(),
        description: Some(description),
        data: map,
    }
}
