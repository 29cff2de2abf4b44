//! Pricing a stored cart, all in `Decimal`: line totals (catalog price ×
//! quantity), the coupon's share of each line, and for an estimate the
//! shipping option and the tax of each line. Nothing here builds wire types
//! (`render.rs` does) or touches the database.
//!
//! Rounding follows `money::round` (cents, half away from zero), per line;
//! totals are sums of rounded amounts, so they add up.
//!
//! Over 400 lines only because of its unit tests (about 200 lines).

use cart_wire::{Address, CustomLineItemInput};
use rust_decimal::Decimal;
use time::OffsetDateTime;

use crate::cart::{StoredCart, StoredLine};
use crate::catalog::{CatalogItem, Catalogs};
use crate::money::round;
use crate::shop_rules::{
    Coupon, CouponLine, CouponProblem, Destination, ShippingOptionRule, ShippingRegionRule,
    ShopRules, TaxRate,
};

/// One line with its catalog item (when it still resolves) and amounts.
pub struct PricedLine<'a> {
    pub stored: &'a StoredLine,
    /// `None` when the item left the catalog after it was added.
    pub item: Option<CatalogItem>,
    /// Unit price × quantity.
    pub total: Decimal,
    /// This line's share of the coupon.
    pub discount: Decimal,
}

/// A cart priced against the catalog and the shop's rules.
pub struct PricedCart<'a> {
    pub cart: &'a StoredCart,
    pub rules: &'a ShopRules,
    pub currency: &'a str,
    pub lines: Vec<PricedLine<'a>>,
    coupon: Option<&'a Coupon>,
    coupon_problem: Option<CouponProblem>,
}

/// What an estimate is asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct EstimateOptions<'r> {
    /// Where to ship; `None` uses the shop's default destination.
    pub address: Option<&'r Address>,
    /// The shipping option the shopper chose, by code.
    pub shipping_option: Option<&'r str>,
    pub skip_shipping: bool,
    pub skip_tax: bool,
}

/// The amounts of an estimate.
pub struct Estimate<'a> {
    /// `None` when nothing is shipped, shipping was not asked for, or the
    /// shop does not ship to the destination.
    pub shipping: Option<ShippingQuote<'a>>,
    pub shipping_problem: Option<ShippingProblem>,
    /// The rate applied, `None` when no tax is collected.
    pub tax_rate: Option<&'a TaxRate>,
    /// The tax of each line, in the order of `PricedCart::lines`.
    pub line_taxes: Vec<LineTax>,
    pub taxable_total: Decimal,
    pub total_tax: Decimal,
    /// Subtotal − discount + shipping + tax (when not included in prices).
    pub total: Decimal,
}

/// Shipping for a destination: the options offered and the one chosen.
pub struct ShippingQuote<'a> {
    pub region: &'a ShippingRegionRule,
    /// Options the region offers at this (discounted) subtotal.
    pub available: Vec<&'a ShippingOptionRule>,
    /// The requested option when available, else the cheapest.
    pub chosen: Option<&'a ShippingOptionRule>,
    /// Whether `chosen` is the one the shopper asked for.
    pub requested: bool,
}

impl ShippingQuote<'_> {
    pub fn price(&self) -> Decimal {
        self.chosen.map_or(Decimal::ZERO, |option| option.price)
    }
}

/// A shipping problem an estimate reports without failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShippingProblem {
    /// The shop does not ship to this country.
    NoRegion { country: String },
    /// The chosen option is not offered for this destination.
    OptionNotAvailable { code: String },
}

impl ShippingProblem {
    /// The problem in words, the same in both dialects' answers.
    pub fn description(&self) -> String {
        match self {
            Self::NoRegion { country } => format!("The store does not ship to {country}"),
            Self::OptionNotAvailable { code } => {
                format!("Shipping option {code} is not available for this destination")
            }
        }
    }
}

/// One line's tax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineTax {
    /// The line total after its discount.
    pub taxable: Decimal,
    pub tax: Decimal,
    pub before_tax: Decimal,
    pub after_tax: Decimal,
}

/// The tax on `taxable` at `rate`: extracted from it when prices include
/// tax, added to it otherwise; rounded to cents.
pub fn line_tax(taxable: Decimal, rate: Decimal, included_in_prices: bool) -> LineTax {
    if included_in_prices {
        let tax = round(taxable - taxable / (Decimal::ONE + rate));
        LineTax {
            taxable,
            tax,
            before_tax: taxable - tax,
            after_tax: taxable,
        }
    } else {
        let tax = round(taxable * rate);
        LineTax {
            taxable,
            tax,
            before_tax: taxable,
            after_tax: taxable + tax,
        }
    }
}

impl<'a> PricedCart<'a> {
    pub fn new(
        cart: &'a StoredCart,
        catalogs: &'a Catalogs,
        rules: &'a ShopRules,
        now: OffsetDateTime,
    ) -> Self {
        let mut lines: Vec<PricedLine<'a>> = cart
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
                PricedLine {
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
                let coupon_lines: Vec<CouponLine> = lines
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
                match rules.coupon_discounts(code, &coupon_lines, now) {
                    Ok((coupon, discounts)) => {
                        for (line, discount) in lines.iter_mut().zip(discounts) {
                            line.discount = discount;
                        }
                        (Some(coupon), None)
                    }
                    Err(problem) => (rules.coupon(code), Some(problem)),
                }
            }
        };
        Self {
            cart,
            rules,
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

    /// The coupon when it currently gives a discount.
    pub fn active_coupon(&self) -> Option<&Coupon> {
        self.coupon.filter(|_| self.coupon_problem.is_none())
    }

    pub fn subtotal(&self) -> Decimal {
        self.lines.iter().map(|line| line.total).sum()
    }

    pub fn discount(&self) -> Decimal {
        self.lines.iter().map(|line| line.discount).sum()
    }

    /// Shipping and tax for a destination, and the total.
    pub fn estimate(&self, options: EstimateOptions<'_>) -> Estimate<'a> {
        let destination = destination(options.address, &self.rules.default_destination);
        let (shipping, shipping_problem) = if options.skip_shipping {
            (None, None)
        } else {
            self.shipping(&destination, options.shipping_option)
        };
        let tax_rate = if options.skip_tax {
            None
        } else {
            self.rules.tax_rate(&destination)
        };
        let rate = tax_rate.map_or(Decimal::ZERO, |rate| rate.rate);
        let included = self.rules.tax_included_in_prices;
        let line_taxes: Vec<LineTax> = self
            .lines
            .iter()
            .map(|line| line_tax(line.total - line.discount, rate, included))
            .collect();
        let total_tax: Decimal = line_taxes.iter().map(|line| line.tax).sum();
        let taxable_total = line_taxes.iter().map(|line| line.taxable).sum();
        let added_tax = if included { Decimal::ZERO } else { total_tax };
        let shipping_price = shipping
            .as_ref()
            .map_or(Decimal::ZERO, ShippingQuote::price);
        Estimate {
            total: self.subtotal() - self.discount() + shipping_price + added_tax,
            shipping,
            shipping_problem,
            tax_rate,
            line_taxes,
            taxable_total,
            total_tax,
        }
    }

    /// The shipping options for the destination and the one chosen: the
    /// requested one when offered, else the cheapest.
    fn shipping(
        &self,
        destination: &Destination,
        requested: Option<&str>,
    ) -> (Option<ShippingQuote<'a>>, Option<ShippingProblem>) {
        let ships = self
            .lines
            .iter()
            .any(|line| line.item.as_ref().is_some_and(|item| item.shippable));
        if !ships {
            return (None, None);
        }
        let Some(region) = self.rules.shipping_region(&destination.country) else {
            let country = destination.country.clone();
            return (None, Some(ShippingProblem::NoRegion { country }));
        };
        let discounted_subtotal = self.subtotal() - self.discount();
        let available: Vec<&ShippingOptionRule> = region
            .options
            .iter()
            .filter(|option| {
                option
                    .min_subtotal
                    .is_none_or(|minimum| discounted_subtotal >= minimum)
            })
            .collect();
        let requested_option = requested
            .and_then(|code| available.iter().find(|option| option.code == code))
            .copied();
        let problem = match (requested, requested_option) {
            (Some(code), None) => Some(ShippingProblem::OptionNotAvailable {
                code: code.to_owned(),
            }),
            _ => None,
        };
        let chosen = requested_option.or_else(|| available.iter().min_by_key(|o| o.price).copied());
        let quote = ShippingQuote {
            region,
            available,
            chosen,
            requested: requested_option.is_some(),
        };
        (Some(quote), problem)
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

/// The destination of an address, defaulting to the shop's.
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

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use cart_wire::{CatalogReference, WIX_STORES_APP_ID};

    use super::*;
    use crate::catalog::demo::{E_BOOK, MUG};

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A cart of `(catalog item, quantity)` with an optional coupon code.
    fn cart(lines: &[(&str, u32)], coupon: Option<&str>) -> StoredCart {
        let catalogs = Catalogs::demo();
        let mut cart = StoredCart::new(None);
        for (id, quantity) in lines {
            let reference = CatalogReference {
                catalog_item_id: (*id).to_owned(),
                app_id: WIX_STORES_APP_ID.to_owned(),
                options: None,
            };
            let item = catalogs.resolve(&reference).unwrap();
            cart.add(&reference, &item, *quantity);
        }
        cart.content.coupon_code = coupon.map(str::to_owned);
        cart
    }

    fn us(subdivision: &str) -> Address {
        Address {
            country: Some("US".to_owned()),
            subdivision: Some(subdivision.to_owned()),
            ..Address::default()
        }
    }

    #[test]
    fn line_totals_are_unit_price_times_quantity() {
        let (catalogs, rules) = (Catalogs::demo(), ShopRules::demo());
        let cart = cart(&[(MUG, 3), (E_BOOK, 1)], None);
        let priced = PricedCart::new(&cart, &catalogs, &rules, OffsetDateTime::now_utc());
        let totals: Vec<Decimal> = priced.lines.iter().map(|line| line.total).collect();
        assert_eq!(totals, [dec("37.5"), dec("12")]);
        assert_eq!(priced.subtotal(), dec("49.5"));
        assert_eq!(priced.discount(), Decimal::ZERO);
    }

    #[test]
    fn a_coupon_discounts_each_line_and_a_bad_one_says_why() {
        let (catalogs, rules) = (Catalogs::demo(), ShopRules::demo());
        let now = OffsetDateTime::now_utc();
        let saving = cart(&[(MUG, 1), (E_BOOK, 1)], Some("SAVE10"));
        let priced = PricedCart::new(&saving, &catalogs, &rules, now);
        let discounts: Vec<Decimal> = priced.lines.iter().map(|line| line.discount).collect();
        // 10 % of 12.50 is 1.25, of 12 is 1.20.
        assert_eq!(discounts, [dec("1.25"), dec("1.2")]);
        assert_eq!(priced.discount(), dec("2.45"));
        assert_eq!(priced.active_coupon().unwrap().code, "SAVE10");

        let expired = cart(&[(MUG, 1)], Some("SUMMER20"));
        let priced = PricedCart::new(&expired, &catalogs, &rules, now);
        assert_eq!(priced.coupon_problem(), Some(&CouponProblem::Expired));
        assert!(priced.active_coupon().is_none());
        assert_eq!(priced.discount(), Decimal::ZERO);
    }

    #[test]
    fn shipping_takes_the_cheapest_option_unless_one_is_chosen() {
        let (catalogs, rules) = (Catalogs::demo(), ShopRules::demo());
        let cart = cart(&[(MUG, 1)], None);
        let priced = PricedCart::new(&cart, &catalogs, &rules, OffsetDateTime::now_utc());
        let address = us("US-NY");
        let cheapest = priced.estimate(EstimateOptions {
            address: Some(&address),
            ..EstimateOptions::default()
        });
        let quote = cheapest.shipping.as_ref().unwrap();
        assert_eq!(quote.chosen.unwrap().code, "standard-shipping");
        assert!(!quote.requested);
        // Free shipping starts at 75.00, so it is not offered for 12.50.
        assert_eq!(quote.available.len(), 2);

        let chosen = priced.estimate(EstimateOptions {
            address: Some(&address),
            shipping_option: Some("express-shipping"),
            ..EstimateOptions::default()
        });
        assert_eq!(chosen.shipping.as_ref().unwrap().price(), dec("15"));
        let unavailable = priced.estimate(EstimateOptions {
            address: Some(&address),
            shipping_option: Some("free-shipping"),
            ..EstimateOptions::default()
        });
        assert_eq!(
            unavailable.shipping_problem,
            Some(ShippingProblem::OptionNotAvailable {
                code: "free-shipping".to_owned()
            })
        );
        assert_eq!(unavailable.shipping.unwrap().price(), dec("5"));
    }

    #[test]
    fn nothing_to_ship_costs_no_shipping_and_unknown_countries_are_reported() {
        let (catalogs, rules) = (Catalogs::demo(), ShopRules::demo());
        let digital = cart(&[(E_BOOK, 1)], None);
        let priced = PricedCart::new(&digital, &catalogs, &rules, OffsetDateTime::now_utc());
        let estimate = priced.estimate(EstimateOptions::default());
        assert!(estimate.shipping.is_none() && estimate.shipping_problem.is_none());

        let physical = cart(&[(MUG, 1)], None);
        let priced = PricedCart::new(&physical, &catalogs, &rules, OffsetDateTime::now_utc());
        let japan = Address {
            country: Some("jp".to_owned()),
            ..Address::default()
        };
        let estimate = priced.estimate(EstimateOptions {
            address: Some(&japan),
            ..EstimateOptions::default()
        });
        assert_eq!(
            estimate.shipping_problem,
            Some(ShippingProblem::NoRegion {
                country: "JP".to_owned()
            })
        );
        assert_eq!(estimate.total, dec("12.5"), "no shipping, no tax in JP");
    }

    #[test]
    fn tax_is_added_or_extracted_and_rounded_per_line() {
        // 12.50 at 8.875 % is 1.109375: rounded to 1.11.
        assert_eq!(
            line_tax(dec("12.5"), dec("0.08875"), false),
            LineTax {
                taxable: dec("12.5"),
                tax: dec("1.11"),
                before_tax: dec("12.5"),
                after_tax: dec("13.61"),
            }
        );
        // 12 including 20 % holds 2.00 of tax.
        assert_eq!(
            line_tax(dec("12"), dec("0.2"), true),
            LineTax {
                taxable: dec("12"),
                tax: dec("2"),
                before_tax: dec("10"),
                after_tax: dec("12"),
            }
        );
    }

    #[test]
    fn the_total_adds_shipping_and_tax_after_the_discount() {
        let (catalogs, rules) = (Catalogs::demo(), ShopRules::demo());
        let cart = cart(&[(MUG, 7)], Some("SAVE10"));
        let priced = PricedCart::new(&cart, &catalogs, &rules, OffsetDateTime::now_utc());
        let address = us("US-NY");
        let estimate = priced.estimate(EstimateOptions {
            address: Some(&address),
            ..EstimateOptions::default()
        });
        // 87.50 − 8.75 = 78.75: free shipping (from 75.00);
        // tax 78.75 × 8.875 % = 6.9890625, rounded to 6.99.
        assert_eq!(estimate.shipping.as_ref().unwrap().price(), Decimal::ZERO);
        assert_eq!(estimate.total_tax, dec("6.99"));
        assert_eq!(estimate.total, dec("85.74"));
        let untaxed = priced.estimate(EstimateOptions {
            address: Some(&address),
            skip_tax: true,
            skip_shipping: true,
            ..EstimateOptions::default()
        });
        assert!(untaxed.tax_rate.is_none() && untaxed.shipping.is_none());
        assert_eq!(untaxed.total, dec("78.75"));
    }
}
