//! The Cart V2 wire cart, from the same priced cart as v1's (`pricing.rs`).
//! What differs from v1: line items in sub-objects (`quantityInfo`,
//! `pricing`, `source`, `attributes`), money as `{amount, convertedAmount}`
//! only, line prices after the coupon (`pricing.totalPrice`, `subtotal`),
//! the coupon as `coupons[{id, code}]`, and the address and delivery
//! method under `deliveryInfo`. Totals: `v2_summary.rs`.

use cart_wire::v2::{
    BusinessInfo, Cart, CartSource, Coupon, CustomerInfo, DeliveryInfo, DeliveryMethod,
    DiscountSource, LineAttributes, LineDiscount, LineItem, LinePricing, LineSource, PaymentInfo,
    PriceBreakdown, QuantityInfo, TaxInfo,
};

use cart_wire::ProductName;
use rust_decimal::Decimal;
use serde_json::json;

pub use super::v2_summary::{SummaryOptions, summary};

use super::{Render, item_type, line_image, page_url, physical_properties, product_name};
use crate::money::converted;
use crate::pricing::{PricedCart, PricedLine};
use crate::shop_rules::ShopRules;

/// The V2 wire cart. `base_url` is the origin product images and pages are served from.
pub fn cart(priced: &PricedCart<'_>, base_url: &str) -> Cart {
    Render { priced, base_url }.v2_cart()
}

/// A line's status: `IN_STOCK`, `PARTIALLY_IN_STOCK` (stock below the
/// quantity), `OUT_OF_STOCK`, or `REMOVED_FROM_CATALOG` (the item is gone).
pub fn line_status(line: &PricedLine<'_>) -> &'static str {
    match line.item.as_ref().map(|item| item.stock) {
        None => "REMOVED_FROM_CATALOG",
        Some(Some(0)) => "OUT_OF_STOCK",
        Some(Some(stock)) if stock < line.stored.quantity => "PARTIALLY_IN_STOCK",
        Some(_) => "IN_STOCK",
    }
}

/// A delivery method as V2 names it: the code, the shop's carrier as its
/// app, and the title from the shop's rules.
pub fn delivery_method(rules: &ShopRules, code: &str) -> DeliveryMethod {
    DeliveryMethod {
        code: code.to_owned(),
        app_id: Some(rules.carrier_id.clone()),
        title: method_title(rules, code).map(|title| ProductName {
            original: title.clone(),
            translated: Some(title),
        }),
        pickup: false,
    }
}

/// The delivery method stored on the cart (v1's selected shipping option).
pub(super) fn stored_delivery_method(priced: &PricedCart<'_>) -> Option<DeliveryMethod> {
    let selected = priced.cart.content.selected_shipping_option.as_ref()?;
    let mut method = delivery_method(priced.rules, &selected.code);
    if let Some(carrier) = &selected.carrier_id {
        method.app_id = Some(carrier.clone());
    }
    Some(method)
}

fn method_title(rules: &ShopRules, code: &str) -> Option<String> {
    rules
        .shipping_regions
        .iter()
        .flat_map(|region| &region.options)
        .find(|option| option.code == code)
        .map(|option| option.title.clone())
}

impl Render<'_, '_> {
    fn v2_cart(&self) -> Cart {
        let priced = self.priced;
        let (cart, currency) = (priced.cart, priced.currency);
        let content = &cart.content;
        let language = self.language().to_owned();
        let customer = content.customer.clone().unwrap_or_default();
        Cart {
            id: Some(cart.id.clone()),
            created_date: Some(cart.created_at.clone()),
            updated_date: Some(cart.updated_at.clone()),
            revision: Some(cart.revision.to_string()),
            line_items: priced.lines.iter().map(|l| self.v2_line(l)).collect(),
            subtotal: Some(converted(priced.subtotal() - priced.discount())),
            note: content.buyer_note.clone(),
            coupons: content
                .coupon_code
                .as_deref()
                .and_then(|code| priced.rules.coupon(code))
                .map(|coupon| Coupon {
                    id: coupon.id.clone(),
                    code: coupon.code.clone(),
                })
                .into_iter()
                .collect(),
            source: Some(CartSource {
                channel_type: Some("WEB".to_owned()),
                created_by: cart
                    .visitor_id
                    .as_ref()
                    .map(|visitor| json!({ "visitorId": visitor })),
            }),
            business_info: Some(BusinessInfo {
                language_code: Some(language.clone()),
                currency_code: Some(currency.to_owned()),
            }),
            customer_info: Some(CustomerInfo {
                visitor_id: cart.visitor_id.clone(),
                member_id: None,
                email: customer.email,
                first_name: customer.first_name,
                last_name: customer.last_name,
                language_code: Some(language),
                currency_code: Some(currency.to_owned()),
            }),
            delivery_info: Some(DeliveryInfo {
                address: content.address.clone(),
                method: stored_delivery_method(priced),
                weight_unit: Some("KG".to_owned()),
            }),
            tax_info: Some(TaxInfo {
                prices_include_tax: priced.rules.tax_included_in_prices,
            }),
            payment_info: Some(PaymentInfo {
                gift_cards: Vec::new(),
                currency_code: Some(currency.to_owned()),
            }),
            order_placed: false,
            custom_checkout_url: content.override_checkout_url.clone(),
            current_cart: cart.visitor_id.is_some(),
            demo: false,
        }
    }

    fn v2_line(&self, line: &PricedLine<'_>) -> LineItem {
        let base_url = self.base_url;
        let stored = line.stored;
        let quantity = stored.quantity;
        let stock = line.item.as_ref().and_then(|item| item.stock);
        let final_total = line.total - line.discount;
        let unit = if quantity == 0 {
            Decimal::ZERO
        } else {
            final_total / Decimal::from(quantity)
        };
        let mut wire = LineItem {
            id: Some(stored.id.clone()),
            quantity_info: QuantityInfo {
                confirmed_quantity: stock.map_or(quantity, |stock| quantity.min(stock)),
                requested_quantity: quantity,
                available_quantity: stock,
                fixed_quantity: false,
            },
            pricing: LinePricing {
                unit_price: Some(converted(unit)),
                total_price: Some(converted(final_total)),
                price_undetermined: false,
                breakdown: None,
            },
            source: LineSource {
                catalog_reference: Some(stored.catalog_reference.clone()),
                root_catalog_item_id: None,
            },
            payment_config: Some(json!({
                "savePaymentMethod": false,
                "paymentOption": "FULL_PAYMENT_ONLINE",
            })),
            status: Some(line_status(line).to_owned()),
            custom_line_item: stored.custom.is_some(),
            ..LineItem::default()
        };
        let Some(item) = &line.item else {
            return wire;
        };
        wire.name = Some(product_name(item));
        wire.pricing.breakdown = Some(PriceBreakdown {
            full_price: Some(converted(item.full_price)),
            sale_price: Some(converted(item.price)),
            total_modifiers_price: Some(converted(Decimal::ZERO)),
        });
        wire.source.root_catalog_item_id = Some(item.product_id.clone());
        wire.attributes = LineAttributes {
            description_lines: item.description_lines.clone(),
            image: line_image(stored, item, base_url),
            url: page_url(stored, item, base_url),
            item_type: Some(item_type(item)),
            physical_properties: Some(physical_properties(item)),
            members_only: false,
        };
        if let Some(coupon) = self
            .priced
            .active_coupon()
            .filter(|_| line.discount > Decimal::ZERO)
        {
            wire.discounts = vec![LineDiscount {
                name: Some(ProductName {
                    original: coupon.name.clone(),
                    translated: Some(coupon.name.clone()),
                }),
                amount_off: Some(converted(line.discount)),
                source: Some(DiscountSource {
                    source_type: "COUPON".to_owned(),
                    coupon_code: Some(coupon.code.clone()),
                }),
            }];
        }
        wire
    }
}
