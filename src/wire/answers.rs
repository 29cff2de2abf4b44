//! What the widget reads from the API's answers: the fields it shows or
//! decides on, picked out of the parsed JSON (`json.rs`). As with the API's
//! own SDK, a field that is missing reads as empty; an answer that is not
//! JSON, or lacks the object it is about, is a decode error.
//!
//! Over 400 lines only with its tests (the code is under 400): each answer
//! type is read in one place, with its reading tests beside it.

use crate::wire::json::Json;

/// A price as the API gives it: a decimal string and the store's formatting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Price {
    /// Decimal string, e.g. `"37.5"`.
    pub amount: String,
    /// Ready to show, e.g. `"$37.50"`.
    pub formatted: String,
}

impl Price {
    fn read(json: &Json) -> Self {
        Self {
            amount: json.get("amount").to_string_or_empty(),
            formatted: json.get("formattedAmount").to_string_or_empty(),
        }
    }

    /// Whether the amount is above zero (decimal strings compared as text,
    /// so no float parsing is needed).
    pub fn is_positive(&self) -> bool {
        !self.amount.starts_with('-') && self.amount.bytes().any(|b| (b'1'..=b'9').contains(&b))
    }

    /// Whether this price is higher than `other` (both non-negative decimal strings).
    pub fn exceeds(&self, other: &Price) -> bool {
        let split = |amount: &str| {
            let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
            let whole = whole.trim_start_matches('0').to_owned();
            (whole, fraction.trim_end_matches('0').to_owned())
        };
        let ((whole, fraction), (other_whole, other_fraction)) =
            (split(&self.amount), split(&other.amount));
        (whole.len(), whole, fraction) > (other_whole.len(), other_whole, other_fraction)
    }
}

/// The visitor's cart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cart {
    pub id: Option<String>,
    /// Grows with every change; tells an old answer from a new one.
    pub revision: Option<String>,
    pub line_items: Vec<LineItem>,
    pub buyer_note: Option<String>,
    pub buyer_language: Option<String>,
    pub currency: Option<String>,
    pub subtotal: Option<Price>,
    /// The code of the applied coupon.
    pub coupon_code: Option<String>,
    /// The applied coupon's id, where the API removes coupons by id (V2).
    pub coupon_id: Option<String>,
}

impl Cart {
    /// The cart inside a `{cart}` answer.
    pub fn from_answer(answer: &Json) -> Result<Self, String> {
        let cart = answer.get("cart");
        if !cart.is_object() {
            return Err("the answer has no cart".to_owned());
        }
        Ok(Self::read(cart))
    }

    fn read(json: &Json) -> Self {
        let subtotal = json.get("subtotal");
        Self {
            id: json.get("id").to_opt_string(),
            revision: revision(json),
            line_items: json
                .get("lineItems")
                .items()
                .iter()
                .map(LineItem::read)
                .collect(),
            buyer_note: json.get("buyerNote").to_opt_string(),
            buyer_language: json.get("buyerLanguage").to_opt_string(),
            currency: json.get("currency").to_opt_string(),
            subtotal: subtotal.is_object().then(|| Price::read(subtotal)),
            coupon_code: json
                .get("appliedDiscounts")
                .items()
                .iter()
                .find_map(|discount| discount.get("coupon").get("code").to_opt_string()),
            coupon_id: None,
        }
    }
}

/// One line of the cart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineItem {
    pub id: Option<String>,
    pub quantity: u32,
    /// The catalog item, as the API gave it: sent back as is to add it again.
    pub catalog_reference: Json,
    /// The product name, translated when the store has a translation.
    pub name: String,
    /// Unit price after sale.
    pub price: Price,
    /// Unit price before sale, struck through when higher.
    pub full_price: Price,
    /// Line total.
    pub line_item_price: Price,
    pub options: Vec<ItemOption>,
    pub image: Option<Image>,
    /// `AVAILABLE`, `NOT_AVAILABLE`, `PARTIALLY_AVAILABLE`, `NOT_FOUND`.
    pub availability: String,
    /// How many are left, when the store tracks it.
    pub quantity_available: Option<u32>,
}

impl LineItem {
    fn read(json: &Json) -> Self {
        let availability = json.get("availability");
        Self {
            id: json.get("id").to_opt_string(),
            quantity: json.get("quantity").as_u32().unwrap_or(0),
            catalog_reference: json.get("catalogReference").clone(),
            name: translated(json.get("productName")),
            price: Price::read(json.get("price")),
            full_price: Price::read(json.get("fullPrice")),
            line_item_price: Price::read(json.get("lineItemPrice")),
            options: json
                .get("descriptionLines")
                .items()
                .iter()
                .map(ItemOption::read)
                .collect(),
            image: Image::read(json.get("image")),
            availability: availability.get("status").to_string_or_empty(),
            quantity_available: availability.get("quantityAvailable").as_u32(),
        }
    }
}

/// A chosen product option, e.g. "Size: M" or a colour with its swatch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemOption {
    pub name: String,
    pub value: String,
    /// The colour's code as the API gives it (not yet checked to be one).
    pub color_code: Option<String>,
}

impl ItemOption {
    pub(crate) fn read(json: &Json) -> Self {
        let color = json.get("colorInfo");
        let (value, color_code) = if color.is_object() {
            (translated(color), color.get("code").to_opt_string())
        } else {
            (translated(json.get("plainText")), None)
        };
        Self {
            name: translated(json.get("name")),
            value,
            color_code,
        }
    }
}

/// A line's picture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Image {
    /// As the API gives it (not yet checked to be http(s)).
    pub url: String,
    pub alt_text: Option<String>,
}

impl Image {
    /// An `image` member (v1 line item, V2 `attributes.image`): none without a `url`.
    pub fn read(image: &Json) -> Option<Self> {
        image.get("url").as_str().map(|url| Self {
            url: url.to_owned(),
            alt_text: image.get("altText").to_opt_string(),
        })
    }
}

/// A cart's revision: an int64, which the API writes as a string; a plain
/// number is taken too.
pub(crate) fn revision(cart: &Json) -> Option<String> {
    match cart.get("revision") {
        Json::String(text) | Json::Number(text) => Some(text.clone()),
        _ => None,
    }
}

/// `translated` when there is one, else `original`.
pub(crate) fn translated(json: &Json) -> String {
    json.get("translated")
        .as_str()
        .or_else(|| json.get("original").as_str())
        .unwrap_or_default()
        .to_owned()
}

/// An estimate of the totals for a destination.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Estimate {
    /// The revision of the cart this estimate is for.
    pub cart_revision: Option<String>,
    pub subtotal: Price,
    pub discount: Price,
    pub shipping: Price,
    pub tax: Price,
    pub total: Price,
    /// Why shipping, tax or a coupon could not be calculated, and the
    /// blocking violations, in the API's words.
    pub problems: Vec<String>,
    pub shipping_offers: Vec<ShippingOffer>,
    /// The code of the shipping option the estimate used.
    pub selected_shipping: Option<String>,
    /// The cart, when asking for the estimate changed it (V2 keeps the
    /// destination on the cart); `None` when it did not.
    pub changed_cart: Option<Cart>,
}

impl Estimate {
    /// The estimate in an `estimate-totals` answer.
    pub fn from_answer(json: &Json) -> Result<Self, String> {
        let summary = json.get("priceSummary");
        if !summary.is_object() {
            return Err("the answer has no price summary".to_owned());
        }
        let errors = json.get("calculationErrors");
        let problems = [
            "generalShippingCalculationError",
            "selectedShippingOptionError",
            "taxCalculationError",
            "couponCalculationError",
        ]
        .into_iter()
        .filter_map(|kind| {
            errors
                .get(kind)
                .get("applicationError")
                .get("description")
                .to_opt_string()
        })
        .chain(
            json.get("violations")
                .items()
                .iter()
                .filter(|violation| violation.get("severity").as_str() == Some("ERROR"))
                .map(|violation| violation.get("description").to_string_or_empty()),
        )
        .collect();
        let shipping = json.get("shippingInfo");
        let shipping_offers = shipping
            .get("carrierServiceOptions")
            .items()
            .iter()
            .flat_map(|carrier| {
                let carrier_id = carrier
                    .get("carrierId")
                    .as_str()
                    .filter(|id| !id.is_empty());
                carrier
                    .get("shippingOptions")
                    .items()
                    .iter()
                    .map(move |option| ShippingOffer::read(option, carrier_id))
            })
            .collect();
        Ok(Self {
            cart_revision: revision(json.get("cart")),
            subtotal: Price::read(summary.get("subtotal")),
            discount: Price::read(summary.get("discount")),
            shipping: Price::read(summary.get("shipping")),
            tax: Price::read(summary.get("tax")),
            total: Price::read(summary.get("total")),
            problems,
            shipping_offers,
            selected_shipping: shipping
                .get("selectedCarrierServiceOption")
                .get("code")
                .to_opt_string(),
            changed_cart: None,
        })
    }
}

/// A way to ship the order, as offered for the destination.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShippingOffer {
    pub code: String,
    pub carrier_id: Option<String>,
    pub title: String,
    /// Formatted cost.
    pub price: String,
    /// E.g. "3-5 business days".
    pub delivery_time: Option<String>,
}

impl ShippingOffer {
    /// One of a carrier's `shippingOptions`.
    fn read(option: &Json, carrier_id: Option<&str>) -> Self {
        Self {
            code: option.get("code").to_string_or_empty(),
            carrier_id: carrier_id.map(str::to_owned),
            title: option.get("title").to_string_or_empty(),
            price: option
                .get("cost")
                .get("price")
                .get("formattedAmount")
                .to_string_or_empty(),
            delivery_time: option.get("logistics").get("deliveryTime").to_opt_string(),
        }
    }
}

/// Where to send the shopper to pay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checkout {
    pub checkout_id: String,
    pub checkout_url: Option<String>,
}

impl Checkout {
    /// The checkout in a `create-checkout` answer.
    pub fn from_answer(json: &Json) -> Result<Self, String> {
        let checkout_id = json
            .get("checkoutId")
            .to_opt_string()
            .ok_or("the answer has no checkout id")?;
        Ok(Self {
            checkout_id,
            checkout_url: json.get("checkoutUrl").to_opt_string(),
        })
    }
}

/// A `/oauth2/token` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenAnswer {
    pub access_token: String,
    /// Empty when the server kept the old one.
    pub refresh_token: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u32,
}

impl TokenAnswer {
    pub fn from_answer(json: &Json) -> Result<Self, String> {
        let access_token = json
            .get("access_token")
            .to_opt_string()
            .ok_or("the answer has no access token")?;
        Ok(Self {
            access_token,
            refresh_token: json.get("refresh_token").to_string_or_empty(),
            expires_in: json.get("expires_in").as_u32().unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    //! The fixtures are answers captured from the API; each decoding is
    //! checked against cart-wire's full serde types (what the server uses).

    use super::*;

    const CART_ANSWER: &str =
        include_str!("../../crates/cart-wire/fixtures/get-current-cart-response.json");

    #[test]
    fn reads_a_captured_cart_as_the_full_wire_types_do() {
        let wire: cart_wire::CartResponse = serde_json::from_str(CART_ANSWER).unwrap();
        let cart = Cart::from_answer(&Json::parse(CART_ANSWER).unwrap()).unwrap();
        let wire = wire.cart;
        assert_eq!(cart.id, wire.id);
        assert_eq!(cart.revision, wire.revision);
        assert_eq!(cart.currency, wire.currency);
        assert_eq!(cart.buyer_language, wire.buyer_language);
        assert_eq!(
            cart.subtotal.map(|price| price.formatted),
            wire.subtotal.map(|price| price.formatted_amount)
        );
        assert!(!wire.line_items.is_empty());
        assert_eq!(cart.line_items.len(), wire.line_items.len());
        for (line, wire) in cart.line_items.iter().zip(&wire.line_items) {
            assert_eq!(line.id, wire.id);
            assert_eq!(line.quantity, wire.quantity);
            assert_eq!(line.name, wire.display_name());
            assert_eq!(line.price.amount, wire.price.amount);
            assert_eq!(line.full_price.formatted, wire.full_price.formatted_amount);
            assert_eq!(
                line.line_item_price.formatted,
                wire.line_item_price.formatted_amount
            );
            assert_eq!(line.availability, wire.availability.status);
            assert_eq!(
                line.quantity_available,
                wire.availability.quantity_available
            );
            assert_eq!(
                line.image.as_ref().map(|i| &i.url),
                wire.image.as_ref().map(|i| &i.url)
            );
            assert_eq!(line.options.len(), wire.description_lines.len());
            let reference: cart_wire::CatalogReference =
                serde_json::from_str(&line.catalog_reference.to_json()).unwrap();
            assert_eq!(reference, wire.catalog_reference);
        }
    }

    #[test]
    fn an_answer_without_a_cart_is_an_error() {
        assert!(Cart::from_answer(&Json::parse("{}").unwrap()).is_err());
        assert!(Cart::from_answer(&Json::parse(r#"{"cart": []}"#).unwrap()).is_err());
        let empty = Cart::from_answer(&Json::parse(r#"{"cart": {}}"#).unwrap()).unwrap();
        assert_eq!(empty, Cart::default());
        let numbered = Cart::from_answer(&Json::parse(r#"{"cart": {"revision": 12}}"#).unwrap());
        assert_eq!(numbered.unwrap().revision.as_deref(), Some("12"));
    }

    #[test]
    fn reads_options_coupons_and_translations() {
        let json = Json::parse(
            r##"{"cart": {"appliedDiscounts": [{"discountType": "GLOBAL"}, {"coupon": {"code": "SAVE10"}}],
                "lineItems": [{"productName": {"original": "Shirt", "translated": "Chemise"},
                  "descriptionLines": [
                    {"name": {"original": "Color"}, "colorInfo": {"original": "Red", "translated": "Rouge", "code": "#f00"}},
                    {"name": {"original": "Size"}, "plainText": {"original": "M"}}],
                  "availability": {"status": "AVAILABLE", "quantityAvailable": 3}}]}}"##,
        )
        .unwrap();
        let cart = Cart::from_answer(&json).unwrap();
        assert_eq!(cart.coupon_code.as_deref(), Some("SAVE10"));
        let line = &cart.line_items[0];
        assert_eq!(line.name, "Chemise");
        assert_eq!(line.quantity_available, Some(3));
        assert_eq!(
            line.options,
            [
                ItemOption {
                    name: "Color".into(),
                    value: "Rouge".into(),
                    color_code: Some("#f00".into())
                },
                ItemOption {
                    name: "Size".into(),
                    value: "M".into(),
                    color_code: None
                }
            ]
        );
    }

    #[test]
    fn reads_an_estimate_with_its_offers_and_problems() {
        let json = Json::parse(
            r#"{"cart": {"revision": "7"},
                "priceSummary": {"subtotal": {"amount": "10", "formattedAmount": "$10.00"},
                  "discount": {"amount": "0"}, "total": {"formattedAmount": "$25.00"}},
                "shippingInfo": {"selectedCarrierServiceOption": {"code": "express"},
                  "carrierServiceOptions": [{"carrierId": "c1", "shippingOptions": [
                    {"code": "standard", "title": "Standard", "cost": {"price": {"formattedAmount": "$5.00"}}},
                    {"code": "express", "title": "Express", "cost": {"price": {"formattedAmount": "$15.00"}},
                     "logistics": {"deliveryTime": "1 day"}}]}]},
                "calculationErrors": {"taxCalculationError": {"applicationError": {"description": "No tax here"}}},
                "violations": [{"severity": "WARNING", "description": "w"}, {"severity": "ERROR", "description": "Too many"}]}"#,
        )
        .unwrap();
        let estimate = Estimate::from_answer(&json).unwrap();
        assert_eq!(estimate.cart_revision.as_deref(), Some("7"));
        assert_eq!(estimate.subtotal.formatted, "$10.00");
        assert_eq!(estimate.total.formatted, "$25.00");
        assert!(!estimate.discount.is_positive());
        assert_eq!(estimate.problems, ["No tax here", "Too many"]);
        assert_eq!(estimate.selected_shipping.as_deref(), Some("express"));
        assert_eq!(
            estimate.shipping_offers[1],
            ShippingOffer {
                code: "express".into(),
                carrier_id: Some("c1".into()),
                title: "Express".into(),
                price: "$15.00".into(),
                delivery_time: Some("1 day".into()),
            }
        );
        assert!(Estimate::from_answer(&Json::parse("{}").unwrap()).is_err());
    }

    #[test]
    fn compares_decimal_prices_without_floats() {
        let price = |amount: &str| Price {
            amount: amount.into(),
            formatted: String::new(),
        };
        assert!(price("25").exceeds(&price("20.5")));
        assert!(price("20.50").exceeds(&price("20.4")));
        assert!(price("100").exceeds(&price("99.99")));
        assert!(!price("20.5").exceeds(&price("20.50")));
        assert!(!price("0").exceeds(&price("")));
        assert!(!price("9").exceeds(&price("10")));
        assert!(price("0.01").is_positive());
        assert!(!price("0.00").is_positive());
        assert!(!price("").is_positive());
        assert!(!price("-5").is_positive());
    }

    #[test]
    fn reads_checkout_and_token_answers() {
        let checkout = Checkout::from_answer(
            &Json::parse(r#"{"checkoutId": "c", "checkoutUrl": "https://x/c"}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(checkout.checkout_url.as_deref(), Some("https://x/c"));
        assert!(Checkout::from_answer(&Json::parse("{}").unwrap()).is_err());
        let fixture = include_str!("../../crates/cart-wire/fixtures/oauth2-token-response.json");
        let wire: cart_wire::TokenResponse = serde_json::from_str(fixture).unwrap();
        let tokens = TokenAnswer::from_answer(&Json::parse(fixture).unwrap()).unwrap();
        assert_eq!(tokens.access_token, wire.access_token);
        assert_eq!(tokens.refresh_token, wire.refresh_token);
        assert_eq!(u64::from(tokens.expires_in), wire.expires_in);
    }
}
