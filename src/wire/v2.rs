//! The Cart V2 dialect (`/ecom/v2/carts/current…`): its paths, every body
//! the widget sends in it, and its answers read into the widget's one read
//! model (`answers.rs`), so nothing above `api.rs` knows which dialect
//! answered.
//!
//! What differs from v1, and how it is mapped:
//! * lines are nested (`name`, `quantityInfo`, `pricing`, `attributes`,
//!   `source.catalogReference`, `status`); `status` is mapped onto v1's
//!   availability words, so the stock messages stay as they are;
//! * there is no `formattedAmount`: money is formatted here, from the
//!   cart's currency, by `crate::money`;
//! * totals come from `/estimate` (flags asked for: its defaults are off);
//!   `priceSummary.subtotal` is after line discounts, so the line-scope
//!   discounts are added back to show v1's "subtotal, then discount";
//! * there is no list of shipping options: the delivery method on the cart
//!   is the one offer shown;
//! * the coupon is removed by id (`cart.coupons[0].id`), checkout is
//!   `get-checkout-url` on the cart by id.
//!
//! Paths and bodies follow `current-cart-v2.REST-wire-types.compact.ts`
//! and requests captured from Wix's own `currentCartV2` client; the tests
//! below spell each one out by hand until `cart-wire` has V2 serde types.

use crate::money;
use crate::wire::answers::{
    Cart, Checkout, Estimate, Image, ItemOption, LineItem, Price, ShippingOffer, revision,
    translated,
};
use crate::wire::json::Json;
use crate::wire::requests::Address;

/// The current cart; every action is a path after it.
pub const CURRENT_CART: &str = "/ecom/v2/carts/current";

/// The actions after [`CURRENT_CART`] that differ from v1's (`remove-line-items`
/// and `remove-coupon` keep their v1 names; the note is a `PATCH` of the cart).
pub const ADD_LINE_ITEMS: &str = "/add-line-items";
pub const UPDATE_LINE_ITEMS: &str = "/update-line-items";
pub const ADD_COUPON: &str = "/add-coupon";
pub const SET_DELIVERY_METHOD: &str = "/set-delivery-method";
pub const ESTIMATE: &str = "/estimate";

/// `INVALID_COUPON_CODE{couponCode}`: no such coupon.
pub const INVALID_COUPON_CODE: &str = "INVALID_COUPON_CODE";
/// `INVALID_COUPON_STATUS{couponCode, reason, …Details}`: it exists but does not apply.
pub const INVALID_COUPON_STATUS: &str = "INVALID_COUPON_STATUS";
/// `INVALID_COUPON_STATUS` reasons the widget words specially.
pub const COUPON_REASON_EXPIRED: &str = "EXPIRED";
pub const COUPON_REASON_INACTIVE: &str = "INACTIVE";
pub const COUPON_REASON_MIN_SUBTOTAL: &str = "MIN_SUBTOTAL_NOT_REACHED";
pub const COUPON_REASON_NOT_FOR_ITEMS: &str = "NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS";

/// `POST /ecom/v2/carts/{cartId}/get-checkout-url` (cart by id: V2 has no
/// current-cart variant).
pub fn checkout_url_path(cart_id: &str) -> String {
    ["/ecom/v2/carts/", cart_id, "/get-checkout-url"].concat()
}

// ---- bodies ----

/// `POST …/add-line-items`: one `{catalogReference, quantity}` (the same
/// shape as v1's line item, `requests::line_item`) as a `CatalogItemInput`.
pub fn add_line_items(item: Json) -> Json {
    Json::object([("catalogItems", Json::Array(vec![item]))])
}

/// `POST …/update-line-items`: absolute quantities, `LineItemUpdate[]`.
pub fn update_line_items(lines: &[(String, u32)]) -> Json {
    let lines = lines
        .iter()
        .map(|(id, quantity)| {
            Json::object([
                ("lineItemId", Json::str(id)),
                (
                    "quantity",
                    Json::object([("newQuantity", Json::int(*quantity))]),
                ),
            ])
        })
        .collect();
    Json::object([("lineItems", Json::Array(lines))])
}

/// `POST …/add-coupon`.
pub fn add_coupon(code: &str) -> Json {
    Json::object([("coupon", Json::object([("code", Json::str(code))]))])
}

/// `POST …/remove-coupon`: by the applied coupon's id (required).
pub fn remove_coupon(coupon_id: &str) -> Json {
    Json::object([("couponId", Json::str(coupon_id))])
}

/// `PATCH /ecom/v2/carts/current`: the buyer note, and nothing else.
pub fn note(note: &str) -> Json {
    Json::object([("cart", Json::object([("note", Json::str(note))]))])
}

/// `PATCH /ecom/v2/carts/current`: the delivery address, and nothing else.
pub fn delivery_address(address: &Address) -> Json {
    let address = Json::object([
        ("country", Json::opt_str(address.country.as_deref())),
        ("subdivision", Json::opt_str(address.subdivision.as_deref())),
        ("postalCode", Json::opt_str(address.postal_code.as_deref())),
    ]);
    let delivery = Json::object([("address", address)]);
    Json::object([("cart", Json::object([("deliveryInfo", delivery)]))])
}

/// `POST …/set-delivery-method`: v1's carrier id is V2's `appId`.
pub fn set_delivery_method(code: &str, app_id: Option<&str>) -> Json {
    let method = Json::object([("code", Json::str(code)), ("appId", Json::opt_str(app_id))]);
    Json::object([("deliveryMethod", method)])
}

/// `POST …/estimate`: delivery, tax and fees asked for (all default to
/// false in V2, the opposite of v1's `estimate-totals`).
pub fn estimate() -> Json {
    Json::object([
        ("calculateDelivery", Json::Bool(true)),
        ("calculateTax", Json::Bool(true)),
        ("calculateAdditionalFees", Json::Bool(true)),
    ])
}

/// `POST /ecom/v2/carts/{cartId}/get-checkout-url`: the id again in the
/// body, as Wix's client sends it.
pub fn get_checkout_url(cart_id: &str, currency: Option<&str>) -> Json {
    Json::object([
        ("cartId", Json::str(cart_id)),
        ("currencyCode", Json::opt_str(currency)),
    ])
}

// ---- answers ----

/// How money is written: the cart's currency, in `locale`.
struct Money<'a> {
    currency: Option<String>,
    locale: Option<&'a str>,
}

impl Money<'_> {
    fn price(&self, json: &Json) -> Price {
        self.amount(json.get("amount").to_string_or_empty())
    }

    fn amount(&self, amount: String) -> Price {
        Price {
            formatted: money::format(&amount, self.currency.as_deref(), self.locale),
            amount,
        }
    }
}

/// The currency amounts are in (`amount` is the business currency's).
fn currency(cart: &Json) -> Option<String> {
    cart.get("businessInfo")
        .get("currencyCode")
        .to_opt_string()
        .or_else(|| cart.get("customerInfo").get("currencyCode").to_opt_string())
}

/// The cart inside a `{cart}` answer; money written in `locale` (else the
/// cart's language).
pub fn cart_answer(answer: &Json, locale: Option<&str>) -> Result<Cart, String> {
    let cart = answer.get("cart");
    if !cart.is_object() {
        return Err("the answer has no cart".to_owned());
    }
    Ok(read_cart(cart, locale))
}

fn read_cart(json: &Json, locale: Option<&str>) -> Cart {
    let language = json.get("customerInfo").get("languageCode").to_opt_string();
    let money = Money {
        currency: currency(json),
        locale: locale.or(language.as_deref()),
    };
    let subtotal = json.get("subtotal");
    let coupon = json.get("coupons").items().first().unwrap_or(&Json::Null);
    Cart {
        id: json.get("id").to_opt_string(),
        revision: revision(json),
        line_items: json
            .get("lineItems")
            .items()
            .iter()
            .map(|line| read_line(line, &money))
            .collect(),
        buyer_note: json.get("note").to_opt_string(),
        subtotal: subtotal.is_object().then(|| money.price(subtotal)),
        coupon_code: coupon.get("code").to_opt_string(),
        coupon_id: coupon.get("id").to_opt_string(),
        currency: money.currency,
        buyer_language: language,
    }
}

fn read_line(json: &Json, money: &Money<'_>) -> LineItem {
    let quantity = json.get("quantityInfo");
    let pricing = json.get("pricing");
    let attributes = json.get("attributes");
    LineItem {
        id: json.get("id").to_opt_string(),
        quantity: quantity.get("confirmedQuantity").as_u32().unwrap_or(0),
        catalog_reference: json.get("source").get("catalogReference").clone(),
        name: translated(json.get("name")),
        price: money.price(pricing.get("unitPrice")),
        full_price: money.price(pricing.get("breakdown").get("fullPrice")),
        line_item_price: money.price(pricing.get("totalPrice")),
        options: attributes
            .get("descriptionLines")
            .items()
            .iter()
            .map(ItemOption::read)
            .collect(),
        image: Image::read(attributes.get("image")),
        availability: availability(json.get("status").as_str().unwrap_or_default()).to_owned(),
        quantity_available: quantity.get("availableQuantity").as_u32(),
    }
}

/// V2's line `status` in v1's availability words (the pairing of the
/// last two is inferred from the enums' docs).
fn availability(status: &str) -> &str {
    match status {
        "IN_STOCK" => "AVAILABLE",
        "PARTIALLY_IN_STOCK" => "PARTIALLY_AVAILABLE",
        "OUT_OF_STOCK" => "NOT_AVAILABLE",
        "REMOVED_FROM_CATALOG" => "NOT_FOUND",
        other => other,
    }
}

/// The totals in an `/estimate` or `/calculate` answer (`{cart, summary}`).
pub fn estimate_answer(answer: &Json, locale: Option<&str>) -> Result<Estimate, String> {
    let summary = answer.get("summary");
    let prices = summary.get("priceSummary");
    if !prices.is_object() {
        return Err("the answer has no price summary".to_owned());
    }
    let cart = answer.get("cart");
    let language = cart.get("customerInfo").get("languageCode").to_opt_string();
    let money = Money {
        currency: currency(cart),
        locale: locale.or(language.as_deref()),
    };
    let amount = |json: &Json| json.get("amount").to_string_or_empty();
    // Line-scope discounts are inside V2's subtotal; v1 shows them apart.
    let line_discounts: Vec<String> = summary
        .get("discounts")
        .items()
        .iter()
        .filter(|discount| discount.get("scope").as_str() == Some("LINE_ITEM"))
        .map(|discount| amount(discount.get("total")))
        .collect();
    let line_discounts: Vec<&str> = line_discounts.iter().map(String::as_str).collect();
    let subtotal = amount(prices.get("subtotal"));
    let discount = amount(prices.get("discount"));
    let delivery = summary.get("deliverySummary");
    let method = delivery.get("method");
    let offer = method
        .get("code")
        .to_opt_string()
        .map(|code| ShippingOffer {
            code,
            carrier_id: method.get("appId").to_opt_string(),
            title: translated(method.get("title")),
            price: money.price(delivery.get("price")).formatted,
            delivery_time: None,
        });
    Ok(Estimate {
        cart_revision: revision(cart).or_else(|| summary.get("cartRevision").to_opt_string()),
        subtotal: money.amount(with_added(&subtotal, &line_discounts)),
        discount: money.amount(with_added(&discount, &line_discounts)),
        shipping: money.price(prices.get("delivery")),
        tax: money.price(prices.get("tax")),
        total: money.price(prices.get("total")),
        problems: summary
            .get("violations")
            .items()
            .iter()
            .filter(|violation| violation.get("severity").as_str() == Some("ERROR"))
            .map(|violation| violation.get("description").to_string_or_empty())
            .collect(),
        selected_shipping: offer.as_ref().map(|offer| offer.code.clone()),
        shipping_offers: offer.into_iter().collect(),
        changed_cart: None,
    })
}

/// `amount` plus `more`; `amount` unchanged when there is nothing to add.
fn with_added(amount: &str, more: &[&str]) -> String {
    if more.is_empty() {
        amount.to_owned()
    } else {
        money::sum(std::iter::once(amount).chain(more.iter().copied()))
    }
}

/// A `get-checkout-url` answer for the cart `cart_id` (V2's checkout id is
/// the cart's).
pub fn checkout_answer(answer: &Json, cart_id: &str) -> Result<Checkout, String> {
    let checkout_url = answer
        .get("checkoutUrl")
        .to_opt_string()
        .ok_or("the answer has no checkout URL")?;
    Ok(Checkout {
        checkout_id: cart_id.to_owned(),
        checkout_url: Some(checkout_url),
    })
}

#[cfg(test)]
mod conformance;
#[cfg(test)]
mod tests;
