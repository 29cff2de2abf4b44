//! Pricing a stored cart: catalog prices, the coupon, shipping and tax. The
//! cart endpoints render `PricedCart::to_wire`; estimate-totals renders
//! `PricedCart::estimate`. Nothing here touches the database.

use cart_wire::{
    Address, ApplicationError, AppliedCoupon, AppliedDiscount, Availability, BuyerInfo,
    CalculatedLineItem, CalculationErrors, CarrierServiceOption, Cart, ContactInfo,
    CustomLineItemInput, ErrorDetails, EstimateTotalsRequest, EstimateTotalsResponse, Image,
    ItemType, LineItem, Logistics, MultiCurrencyPrice, PageUrl, PhysicalProperties, PriceSummary,
    PricesBreakdown, ProductName, RateBreakdown, SelectedCarrierServiceOption,
    SelectedShippingCost, ShippingInfo, ShippingOption, ShippingOptionCost, ShippingRegion,
    TaxDetails, TaxSummary, Violation, ViolationLineItem, ViolationTarget,
};
use rust_decimal::Decimal;
use serde_json::json;
use time::OffsetDateTime;

use crate::cart::{StoredCart, StoredLine};
use crate::catalog::{CatalogItem, Catalogs};
use crate::money::{self, round};
use crate::shop_rules::{
    Coupon, CouponLine, CouponProblem, Destination, ShippingOptionRule, ShopRules,
};

/// Stock at or below which a line gets a "only N left" warning.
use cart_wire::LOW_STOCK_THRESHOLD as LOW_STOCK;

/// One line with its catalog item (when it still resolves) and prices.
struct PricedLineItem<'a> {
    stored: &'a StoredLine,
    item: Option<CatalogItem>,
    /// Unit price × quantity.
    total: Decimal,
    /// This line's share of the coupon.
    discount: Decimal,
}

/// A cart priced against the catalog and the store's rules.
pub struct PricedCart<'a> {
    cart: &'a StoredCart,
    store: &'a ShopRules,
    currency: &'a str,
    lines: Vec<PricedLineItem<'a>>,
    coupon: Option<&'a Coupon>,
    coupon_problem: Option<CouponProblem>,
}

impl<'a> PricedCart<'a> {
    pub fn new(
        cart: &'a StoredCart,
        catalogs: &'a Catalogs,
        store: &'a ShopRules,
        now: OffsetDateTime,
    ) -> Self {
        let mut lines: Vec<PricedLineItem<'a>> = cart
            .lines()
            .iter()
            .map(|stored| {
                let item = match &stored.custom {
                    Some(custom) => Some(custom_item(stored, custom)),
                    None => catalogs.resolve(&stored.catalog_reference).ok(),
                };
                let total = item.as_ref().map_or(Decimal::ZERO, |item| {
                    item.price * Decimal::from(stored.quantity)
                });
                PricedLineItem {
                    stored,
                    item,
                    total,
                    discount: Decimal::ZERO,
                }
            })
            .collect();
        let (coupon, coupon_problem) = match &cart.content.coupon_code {
            None => (None, None),
            Some(code) => {
                let priced: Vec<CouponLine> = lines
                    .iter()
                    .map(|line| CouponLine {
                        product_id: line
                            .item
                            .as_ref()
                            .map(|i| i.product_id.clone())
                            .unwrap_or_default(),
                        total: line.total,
                    })
                    .collect();
                match store.coupon_discounts(code, &priced, now) {
                    Ok((coupon, discounts)) => {
                        for (line, discount) in lines.iter_mut().zip(discounts) {
                            line.discount = discount;
                        }
                        (Some(coupon), None)
                    }
                    Err(problem) => (store.coupon(code), Some(problem)),
                }
            }
        };
        Self {
            cart,
            store,
            currency: &catalogs.currency,
            lines,
            coupon,
            coupon_problem,
        }
    }

    /// Why the applied coupon gives no discount right now, if it does not.
    pub fn coupon_problem(&self) -> Option<&CouponProblem> {
        self.coupon_problem.as_ref()
    }

    fn price(&self, amount: Decimal) -> MultiCurrencyPrice {
        money::price(amount, self.currency, &self.store.locale)
    }

    /// The store's language, from its locale (`de-DE` → `de`).
    fn language(&self) -> &str {
        self.store.locale.split(['-', '_']).next().unwrap_or("en")
    }

    fn subtotal(&self) -> Decimal {
        self.lines.iter().map(|line| line.total).sum()
    }

    fn discount(&self) -> Decimal {
        self.lines.iter().map(|line| line.discount).sum()
    }

    /// The wire cart. `base_url` is the origin product images and pages are served from.
    pub fn to_wire(&self, base_url: &str) -> Cart {
        let content = &self.cart.content;
        Cart {
            id: Some(self.cart.id.clone()),
            line_items: self
                .lines
                .iter()
                .map(|line| self.line_item(line, base_url))
                .collect(),
            buyer_note: content.buyer_note.clone(),
            buyer_info: self.cart.visitor_id.as_ref().map(|visitor| BuyerInfo {
                visitor_id: Some(visitor.clone()),
                member_id: None,
            }),
            currency: Some(self.currency.to_owned()),
            conversion_currency: Some(self.currency.to_owned()),
            buyer_language: Some(self.language().to_owned()),
            site_language: Some(self.language().to_owned()),
            tax_included_in_prices: Some(self.store.tax_included_in_prices),
            weight_unit: Some("KG".to_owned()),
            checkout_id: content.checkout_id.clone(),
            override_checkout_url: content.override_checkout_url.clone(),
            selected_shipping_option: content.selected_shipping_option.clone(),
            contact_info: content.address.clone().map(|address| ContactInfo {
                address: Some(address),
            }),
            subtotal: Some(self.price(self.subtotal())),
            subtotal_after_discounts: Some(self.price(self.subtotal() - self.discount())),
            discount: Some(self.price(self.discount())),
            applied_discounts: self
                .active_coupon()
                .map(|coupon| AppliedDiscount {
                    coupon: Some(AppliedCoupon {
                        id: coupon.id.clone(),
                        code: coupon.code.clone(),
                        amount: None,
                        name: None,
                    }),
                    ..AppliedDiscount::default()
                })
                .into_iter()
                .collect(),
            created_date: Some(self.cart.created_at.clone()),
            updated_date: Some(self.cart.updated_at.clone()),
            payment_currency: Some(self.currency.to_owned()),
            revision: Some(self.cart.revision.to_string()),
        }
    }

    /// The coupon when it currently gives a discount.
    fn active_coupon(&self) -> Option<&Coupon> {
        self.coupon.filter(|_| self.coupon_problem.is_none())
    }

    fn line_item(&self, line: &PricedLineItem<'_>, base_url: &str) -> LineItem {
        let stored = line.stored;
        let mut wire = LineItem {
            id: Some(stored.id.clone()),
            quantity: stored.quantity,
            catalog_reference: stored.catalog_reference.clone(),
            payment_option: "FULL_PAYMENT_ONLINE".to_owned(),
            modifiers_total_price: self.price(Decimal::ZERO),
            ..LineItem::default()
        };
        let Some(item) = &line.item else {
            // The item left the catalog after it was added: say so, at no price.
            wire.availability.status = "NOT_FOUND".to_owned();
            let zero = self.price(Decimal::ZERO);
            wire.price = zero.clone();
            wire.full_price = zero.clone();
            wire.price_before_discounts = zero.clone();
            wire.line_item_price = zero;
            return wire;
        };
        let name = ProductName {
            original: item.name.clone(),
            translated: Some(item.name.clone()),
        };
        wire.product_name = name;
        wire.custom_line_item = stored.custom.is_some();
        wire.url = match &stored.custom {
            Some(custom) => custom.url.clone(),
            None => Some(PageUrl {
                relative_path: format!("/product-page/{}", item.slug),
                url: Some(format!("{base_url}/product-page/{}", item.slug)),
            }),
        };
        wire.price = self.price(item.price);
        wire.full_price = self.price(item.full_price);
        wire.price_before_discounts = self.price(item.price);
        wire.line_item_price = self.price(line.total);
        wire.description_lines = item.description_lines.clone();
        wire.image = match &stored.custom {
            Some(custom) => custom.media.clone(),
            None => Some(Image {
                id: Some(item.image.clone()),
                url: crate::catalog::image_url(&item.image, base_url),
                alt_text: Some(item.name.clone()),
                filename: Some(item.image.clone()),
                ..Image::default()
            }),
        };
        wire.availability = availability(stored.quantity, item.stock);
        wire.physical_properties = PhysicalProperties {
            weight: item.weight,
            sku: Some(item.sku.clone()),
            shippable: item.shippable,
        };
        wire.item_type = ItemType {
            preset: Some(item.item_type().to_owned()),
            custom: None,
        };
        wire.root_catalog_item_id = Some(item.product_id.clone());
        wire
    }

    /// The estimate for a destination. The destination is the request's
    /// shipping address, else the cart's address, else the store's default.
    pub fn estimate(
        &self,
        request: &EstimateTotalsRequest,
        base_url: &str,
    ) -> EstimateTotalsResponse {
        let address = request
            .shipping_address
            .as_ref()
            .or(self.cart.content.address.as_ref());
        let destination = destination(address, &self.store.default_destination);
        let mut errors = CalculationErrors::default();

        if let (Some(problem), Some(code)) = (&self.coupon_problem, &self.cart.content.coupon_code)
        {
            errors.coupon_calculation_error = Some(application_details(
                problem.code(),
                problem.description(code),
                problem.data(code),
            ));
        }

        let discounted_subtotal = self.subtotal() - self.discount();
        let shipping = if request.calculate_shipping == Some(false) {
            ShippingQuote::default()
        } else {
            let requested = request
                .selected_shipping_option
                .as_ref()
                .or(self.cart.content.selected_shipping_option.as_ref())
                .map(|option| option.code.as_str());
            self.shipping(&destination, discounted_subtotal, requested, &mut errors)
        };

        let rate = if request.calculate_tax == Some(false) {
            None
        } else {
            self.store.tax_rate(&destination)
        };
        let tax_rate = rate.map_or(Decimal::ZERO, |rate| rate.rate);
        let mut calculated = Vec::with_capacity(self.lines.len());
        let (mut total_tax, mut taxable_total) = (Decimal::ZERO, Decimal::ZERO);
        for line in &self.lines {
            let taxable = line.total - line.discount;
            let tax = if self.store.tax_included_in_prices {
                round(taxable - taxable / (Decimal::ONE + tax_rate))
            } else {
                round(taxable * tax_rate)
            };
            let (before_tax, after_tax) = if self.store.tax_included_in_prices {
                (taxable - tax, taxable)
            } else {
                (taxable, taxable + tax)
            };
            total_tax += tax;
            taxable_total += taxable;
            let item = line.item.as_ref();
            calculated.push(CalculatedLineItem {
                line_item_id: line.stored.id.clone(),
                prices_breakdown: PricesBreakdown {
                    total_price_after_tax: self.price(after_tax),
                    total_price_before_tax: self.price(before_tax),
                    tax_details: self.tax_details(
                        taxable,
                        tax_rate,
                        tax,
                        rate.map(|r| r.name.as_str()),
                    ),
                    total_discount: self.price(line.discount),
                    price: self.price(item.map_or(Decimal::ZERO, |i| i.price)),
                    price_before_discounts: self.price(item.map_or(Decimal::ZERO, |i| i.price)),
                    line_item_price: self.price(line.total),
                    full_price: self.price(item.map_or(Decimal::ZERO, |i| i.full_price)),
                },
                payment_option: "FULL_PAYMENT_ONLINE".to_owned(),
            });
        }

        let subtotal = self.subtotal();
        let discount = self.discount();
        let added_tax = if self.store.tax_included_in_prices {
            Decimal::ZERO
        } else {
            total_tax
        };
        let total = subtotal - discount + shipping.price + added_tax;
        let summary = PriceSummary {
            subtotal: self.price(subtotal),
            shipping: self.price(shipping.price),
            tax: self.price(total_tax),
            discount: self.price(discount),
            total: self.price(total),
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
        let applied_discounts = self
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
                    self.lines
                        .iter()
                        .filter(|line| !line.discount.is_zero())
                        .map(|line| line.stored.id.clone())
                        .collect(),
                ),
            })
            .into_iter()
            .collect();
        EstimateTotalsResponse {
            cart: self.to_wire(base_url),
            calculated_line_items: calculated,
            price_summary: summary.clone(),
            tax_summary: TaxSummary {
                taxable_amount: self.price(taxable_total),
                total_tax: self.price(total_tax),
                calculation_details: Some(json!({
                    "rateType": if rate.is_some() { "MANUAL_RATE" } else { "NO_TAX_COLLECTED" },
                    "manualRateReason": "GLOBAL_SETTING_TO_MANUAL",
                })),
            },
            shipping_info: shipping.info,
            applied_discounts,
            calculation_errors: errors,
            weight_unit: "KG".to_owned(),
            currency: self.currency.to_owned(),
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

    /// Shipping options for the destination and the one chosen. Problems are
    /// reported in `errors`, never as a failed request.
    fn shipping(
        &self,
        destination: &Destination,
        discounted_subtotal: Decimal,
        requested: Option<&str>,
        errors: &mut CalculationErrors,
    ) -> ShippingQuote {
        let ships = self
            .lines
            .iter()
            .any(|line| line.item.as_ref().is_some_and(|item| item.shippable));
        if !ships {
            return ShippingQuote::default();
        }
        let Some(region) = self.store.shipping_region(&destination.country) else {
            errors.general_shipping_calculation_error = Some(application_details(
                "NO_SHIPPING_OPTIONS",
                format!("The store does not ship to {}", destination.country),
                json!({ "country": destination.country }),
            ));
            return ShippingQuote::default();
        };
        let available: Vec<&ShippingOptionRule> = region
            .options
            .iter()
            .filter(|option| {
                option
                    .min_subtotal
                    .is_none_or(|minimum| discounted_subtotal >= minimum)
            })
            .collect();
        let requested_option =
            requested.and_then(|code| available.iter().find(|option| option.code == code));
        if let (Some(code), None) = (requested, requested_option) {
            errors.selected_shipping_option_error = Some(application_details(
                "SELECTED_CARRIER_SERVICE_OPTION_NOT_FOUND",
                format!("Shipping option {code} is not available for this destination"),
                json!({ "code": code }),
            ));
        }
        // Unless the shopper chose one that exists, the cheapest option applies.
        let chosen = requested_option
            .or_else(|| available.iter().min_by_key(|option| option.price))
            .copied();
        let carrier_id = self.store.carrier_id.clone();
        let info = ShippingInfo {
            region: Some(ShippingRegion {
                id: region.id.clone(),
                name: region.name.clone(),
            }),
            selected_carrier_service_option: chosen.map(|option| SelectedCarrierServiceOption {
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
                requested_shipping_option: requested_option.is_some(),
                other_charges: Vec::new(),
                carrier_id: carrier_id.clone(),
                delivery_allocations: Vec::new(),
            }),
            carrier_service_options: vec![CarrierServiceOption {
                carrier_id,
                shipping_options: available
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
        };
        ShippingQuote {
            price: chosen.map_or(Decimal::ZERO, |option| option.price),
            info,
        }
    }

    /// Stock problems a shopper should see before checkout.
    fn violations(&self) -> Vec<Violation> {
        self.lines
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
                        Some(stock) if stock <= LOW_STOCK => {
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

/// A custom line item's details, as if a catalog had returned them.
fn custom_item(stored: &StoredLine, custom: &CustomLineItemInput) -> CatalogItem {
    let decimal = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<Decimal>().ok());
    let price = decimal(&custom.price).unwrap_or_default();
    let item_type = custom.item_type.as_ref().and_then(|t| t.preset.as_deref());
    let physical = custom.physical_properties.as_ref();
    CatalogItem {
        product_id: stored.catalog_reference.catalog_item_id.clone(),
        variant_id: None,
        name: custom
            .product_name
            .as_ref()
            .map(|n| n.original.clone())
            .unwrap_or_default(),
        slug: String::new(),
        price,
        full_price: decimal(&custom.full_price).unwrap_or(price),
        description_lines: custom.description_lines.clone(),
        image: custom
            .media
            .as_ref()
            .map(|m| m.url.clone())
            .unwrap_or_default(),
        sku: physical.and_then(|p| p.sku.clone()).unwrap_or_default(),
        weight: physical.and_then(|p| p.weight),
        stock: custom.quantity_available,
        shippable: physical.map_or(item_type == Some("PHYSICAL"), |p| p.shippable),
    }
}

#[derive(Default)]
struct ShippingQuote {
    price: Decimal,
    info: ShippingInfo,
}

/// The destination of an address, defaulting to the store's.
fn destination(address: Option<&Address>, default: &Destination) -> Destination {
    match address
        .and_then(|a| a.country.as_deref())
        .filter(|c| !c.is_empty())
    {
        Some(country) => Destination {
            country: country.to_ascii_uppercase(),
            subdivision: address
                .and_then(|a| a.subdivision.clone())
                .map(|s| s.to_ascii_uppercase()),
        },
        None => default.clone(),
    }
}

fn application_details(code: &str, description: String, data: serde_json::Value) -> ErrorDetails {
    ErrorDetails {
        application_error: Some(ApplicationError {
            code: code.to_owned(),
            description,
            data,
        }),
        validation_error: None,
    }
}

/// `AVAILABLE` while stock covers the quantity, `PARTIALLY_AVAILABLE` when it
/// covers only part, `NOT_AVAILABLE` when sold out.
fn availability(quantity: u32, stock: Option<u32>) -> Availability {
    let status = match stock {
        None => "AVAILABLE",
        Some(0) => "NOT_AVAILABLE",
        Some(stock) if stock < quantity => "PARTIALLY_AVAILABLE",
        Some(_) => "AVAILABLE",
    };
    Availability {
        status: status.to_owned(),
        quantity_available: stock,
    }
}
