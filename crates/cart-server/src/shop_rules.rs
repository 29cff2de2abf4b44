//! The shop's rules: currency and locale, coupons, tax rates and shipping
//! regions, kept as a data file (`catalog/store.json`), and the coupon
//! maths. Plain data and pure functions; `pricing.rs` applies them to a cart.
//!
//! Rounding rule (one for the whole server): every amount is computed with
//! `Decimal` and rounded to cents, half away from zero, per line; totals are
//! sums of rounded amounts, so they always add up.

use rust_decimal::Decimal;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::money::round;

/// Everything about how the shop prices, taxes and ships.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShopRules {
    pub currency: String,
    /// How amounts are displayed (`formattedAmount`), e.g. `en-US`, `de-DE`.
    pub locale: String,
    /// Whether catalog prices already include tax (tax is then extracted, not added).
    pub tax_included_in_prices: bool,
    /// Where estimates go when the request and the cart name no address.
    pub default_destination: Destination,
    /// The store's one carrier.
    pub carrier_id: String,
    pub tax_rates: Vec<TaxRate>,
    pub shipping_regions: Vec<ShippingRegionRule>,
    pub coupons: Vec<Coupon>,
}

/// A country (ISO 3166-1) and optional subdivision (ISO 3166-2, `US-NY`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Destination {
    pub country: String,
    pub subdivision: Option<String>,
}

/// A tax rate for a country, or for one subdivision of it.
#[derive(Clone, Debug, Deserialize)]
pub struct TaxRate {
    pub country: String,
    pub subdivision: Option<String>,
    pub rate: Decimal,
    pub name: String,
}

/// Countries shipped to alike, and the options offered there.
#[derive(Clone, Debug, Deserialize)]
pub struct ShippingRegionRule {
    pub id: String,
    pub name: String,
    pub countries: Vec<String>,
    pub options: Vec<ShippingOptionRule>,
}

/// A shipping option; offered only from `min_subtotal` (after discounts) up when set.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingOptionRule {
    pub code: String,
    pub title: String,
    pub delivery_time: String,
    pub price: Decimal,
    pub min_subtotal: Option<Decimal>,
}

/// A coupon: a percentage or a fixed amount off, maybe limited in time, to a
/// minimum subtotal, or to some products.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coupon {
    pub id: String,
    pub code: String,
    pub name: String,
    pub percent_off: Option<Decimal>,
    pub amount_off: Option<Decimal>,
    pub min_subtotal: Option<Decimal>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub starts_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ends_at: Option<OffsetDateTime>,
    /// Products the coupon applies to; empty means all.
    #[serde(default)]
    pub product_ids: Vec<String>,
}

/// Why a coupon cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouponProblem {
    DoesNotExist,
    Expired,
    NotActiveYet,
    MinSubtotalNotReached { minimum: Decimal },
    NoApplicableItems,
}

impl CouponProblem {
    /// The application error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DoesNotExist => cart_wire::COUPON_DOES_NOT_EXIST,
            Self::Expired => cart_wire::COUPON_EXPIRED,
            Self::NotActiveYet | Self::MinSubtotalNotReached { .. } | Self::NoApplicableItems => {
                cart_wire::COUPON_NOT_APPLICABLE
            }
        }
    }

    /// Machine-readable detail: why it is not applicable.
    pub fn data(&self, code: &str) -> serde_json::Value {
        let reason = match self {
            Self::DoesNotExist => None,
            Self::Expired => Some("EXPIRED"),
            Self::NotActiveYet => Some(cart_wire::COUPON_REASON_NOT_ACTIVE_YET),
            Self::MinSubtotalNotReached { .. } => Some(cart_wire::COUPON_REASON_MIN_SUBTOTAL),
            Self::NoApplicableItems => Some(cart_wire::COUPON_REASON_NO_APPLICABLE_ITEMS),
        };
        let mut data = serde_json::json!({ "couponCode": code });
        if let Some(reason) = reason {
            data["reason"] = reason.into();
        }
        if let Self::MinSubtotalNotReached { minimum } = self {
            data["minimumSubtotal"] = minimum.normalize().to_string().into();
        }
        data
    }

    /// A sentence for people.
    pub fn description(&self, code: &str) -> String {
        match self {
            Self::DoesNotExist => format!("Coupon {code} does not exist"),
            Self::Expired => format!("Coupon {code} has expired"),
            Self::NotActiveYet => format!("Coupon {code} is not active yet"),
            Self::MinSubtotalNotReached { minimum } => {
                format!(
                    "Coupon {code} needs a subtotal of at least {}",
                    minimum.normalize()
                )
            }
            Self::NoApplicableItems => {
                format!("Coupon {code} does not apply to any item in the cart")
            }
        }
    }
}

/// One line as a coupon sees it: its product and its total before discounts.
#[derive(Clone, Debug)]
pub struct CouponLine {
    pub product_id: String,
    pub total: Decimal,
}

impl ShopRules {
    /// The demo store's rules, compiled into the server.
    pub fn demo() -> Self {
        serde_json::from_str(include_str!("../catalog/store.json"))
            .expect("catalog/store.json is valid")
    }

    /// The coupon with this code (codes are case-insensitive).
    pub fn coupon(&self, code: &str) -> Option<&Coupon> {
        self.coupons
            .iter()
            .find(|coupon| coupon.code.eq_ignore_ascii_case(code.trim()))
    }

    /// The discount of `code` on each line, or why it does not apply.
    pub fn coupon_discounts(
        &self,
        code: &str,
        lines: &[CouponLine],
        now: OffsetDateTime,
    ) -> Result<(&Coupon, Vec<Decimal>), CouponProblem> {
        let coupon = self.coupon(code).ok_or(CouponProblem::DoesNotExist)?;
        coupon
            .discounts(lines, now)
            .map(|discounts| (coupon, discounts))
    }

    /// The rate for a destination: its subdivision's, else its country's, else none.
    pub fn tax_rate(&self, destination: &Destination) -> Option<&TaxRate> {
        let in_country = || {
            self.tax_rates
                .iter()
                .filter(|r| r.country == destination.country)
        };
        in_country()
            .find(|rate| rate.subdivision.is_some() && rate.subdivision == destination.subdivision)
            .or_else(|| in_country().find(|rate| rate.subdivision.is_none()))
    }

    /// The shipping region a country belongs to, if the store ships there.
    pub fn shipping_region(&self, country: &str) -> Option<&ShippingRegionRule> {
        self.shipping_regions
            .iter()
            .find(|region| region.countries.iter().any(|c| c == country))
    }
}

impl Coupon {
    /// The discount on each line at `now`, or why the coupon does not apply.
    pub fn discounts(
        &self,
        lines: &[CouponLine],
        now: OffsetDateTime,
    ) -> Result<Vec<Decimal>, CouponProblem> {
        if self.ends_at.is_some_and(|end| now >= end) {
            return Err(CouponProblem::Expired);
        }
        if self.starts_at.is_some_and(|start| now < start) {
            return Err(CouponProblem::NotActiveYet);
        }
        let subtotal: Decimal = lines.iter().map(|line| line.total).sum();
        if let Some(minimum) = self.min_subtotal.filter(|minimum| subtotal < *minimum) {
            return Err(CouponProblem::MinSubtotalNotReached { minimum });
        }
        let eligible: Vec<bool> = lines
            .iter()
            .map(|line| self.product_ids.is_empty() || self.product_ids.contains(&line.product_id))
            .collect();
        let eligible_total: Decimal = lines
            .iter()
            .zip(&eligible)
            .filter(|(_, eligible)| **eligible)
            .map(|(line, _)| line.total)
            .sum();
        if eligible_total.is_zero() {
            return Err(CouponProblem::NoApplicableItems);
        }
        let mut discounts = vec![Decimal::ZERO; lines.len()];
        if let Some(percent) = self.percent_off {
            for (i, line) in lines.iter().enumerate().filter(|(i, _)| eligible[*i]) {
                discounts[i] = round(line.total * percent / Decimal::ONE_HUNDRED);
            }
        } else if let Some(amount) = self.amount_off {
            // A fixed amount is shared in proportion to line totals; the last
            // eligible line takes the rounding remainder, so the parts add up.
            let amount = amount.min(eligible_total);
            let last = eligible
                .iter()
                .rposition(|e| *e)
                .expect("some line is eligible");
            let mut given = Decimal::ZERO;
            for (i, line) in lines.iter().enumerate().filter(|(i, _)| eligible[*i]) {
                discounts[i] = if i == last {
                    amount - given
                } else {
                    round(amount * line.total / eligible_total)
                };
                given += discounts[i];
            }
        }
        Ok(discounts)
    }

    /// `GLOBAL` when it applies to everything, else `SPECIFIC_ITEMS`.
    pub fn discount_type(&self) -> &'static str {
        if self.product_ids.is_empty() {
            "GLOBAL"
        } else {
            "SPECIFIC_ITEMS"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(product: &str, total: &str) -> CouponLine {
        CouponLine {
            product_id: product.to_owned(),
            total: dec(total),
        }
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    #[test]
    fn percentage_coupons_discount_every_line() {
        let rules = ShopRules::demo();
        let (_, discounts) = rules
            .coupon_discounts("save10", &[line("a", "25"), line("b", "12.55")], now())
            .unwrap();
        // 1.255 rounds half away from zero to 1.26.
        assert_eq!(discounts, [dec("2.5"), dec("1.26")]);
    }

    #[test]
    fn fixed_amounts_are_shared_and_add_up() {
        let rules = ShopRules::demo();
        let lines = [line("a", "10"), line("b", "10"), line("c", "10")];
        let (_, discounts) = rules.coupon_discounts("FIVEOFF", &lines, now()).unwrap();
        assert_eq!(discounts, [dec("1.67"), dec("1.67"), dec("1.66")]);
        assert_eq!(discounts.iter().sum::<Decimal>(), dec("5"));
        // Never more than the lines are worth.
        let (_, discounts) = rules
            .coupon_discounts("FIVEOFF", &[line("a", "3")], now())
            .unwrap();
        assert_eq!(discounts, [dec("3")]);
    }

    #[test]
    fn product_scoped_coupons_touch_only_their_products() {
        let rules = ShopRules::demo();
        let t_shirt = "2b8e3dae-5c4e-4f32-8d66-1e7c9f3a2b02";
        let (coupon, discounts) = rules
            .coupon_discounts(
                "TSHIRT5",
                &[line("mug", "12.5"), line(t_shirt, "50")],
                now(),
            )
            .unwrap();
        assert_eq!(discounts, [dec("0"), dec("5")]);
        assert_eq!(coupon.discount_type(), "SPECIFIC_ITEMS");
        assert_eq!(
            rules
                .coupon_discounts("TSHIRT5", &[line("mug", "12.5")], now())
                .unwrap_err(),
            CouponProblem::NoApplicableItems
        );
    }

    #[test]
    fn every_coupon_problem_has_its_code() {
        let rules = ShopRules::demo();
        let lines = [line("a", "100")];
        let problem = |code| rules.coupon_discounts(code, &lines, now()).unwrap_err();
        assert_eq!(problem("NOPE"), CouponProblem::DoesNotExist);
        assert_eq!(problem("SUMMER20"), CouponProblem::Expired);
        assert_eq!(problem("NEXTYEAR"), CouponProblem::NotActiveYet);
        assert_eq!(
            problem("BIG50"),
            CouponProblem::MinSubtotalNotReached {
                minimum: dec("200")
            }
        );
        assert_eq!(problem("NOPE").code(), "ERROR_COUPON_DOES_NOT_EXIST");
        assert_eq!(problem("SUMMER20").code(), "ERROR_COUPON_EXPIRED");
        assert_eq!(problem("BIG50").code(), "ERROR_COUPON_NOT_APPLICABLE");
        assert_eq!(problem("BIG50").data("BIG50")["minimumSubtotal"], "200");
        assert!(
            rules
                .coupon_discounts("BIG50", &[line("a", "200")], now())
                .is_ok()
        );
    }

    #[test]
    fn tax_rates_prefer_the_subdivision() {
        let rules = ShopRules::demo();
        let rate = |country: &str, subdivision: Option<&str>| {
            rules
                .tax_rate(&Destination {
                    country: country.into(),
                    subdivision: subdivision.map(Into::into),
                })
                .map(|rate| rate.rate)
        };
        assert_eq!(rate("US", Some("US-NY")), Some(dec("0.08875")));
        assert_eq!(rate("US", Some("US-TX")), Some(dec("0.06")));
        assert_eq!(rate("US", None), Some(dec("0.06")));
        assert_eq!(rate("GB", None), Some(dec("0.2")));
        assert_eq!(rate("JP", None), None);
    }
}
