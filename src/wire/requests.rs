//! Every request body the widget sends, built in one place.
//!
//! Pure functions from what the widget knows to the JSON the API takes, so
//! each body can be checked natively against `cart-wire`'s serde request
//! types (`conformance.rs`): renaming a field on either side fails a test,
//! not a shopper. The HTTP calls themselves are in `api.rs`.

use crate::wire::json::Json;

/// The part of an address the widget sends (`cart_wire::Address` has more).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// ISO 3166-1 alpha-2, e.g. `US`.
    pub country: Option<String>,
    /// ISO 3166-2, e.g. `US-NY`.
    pub subdivision: Option<String>,
    pub postal_code: Option<String>,
}

/// One catalog line to add: `{catalogReference, quantity}`. The reference is
/// the API's own (or the host page's), sent on as it is.
pub fn line_item(catalog_reference: Json, quantity: u32) -> Json {
    Json::object([
        ("catalogReference", catalog_reference),
        ("quantity", Json::int(quantity)),
    ])
}

/// `POST …/add-to-cart` (`AddToCartRequest`): one line item from
/// [`line_item`], a host page's `cart:add` or Undo putting a line back.
pub fn add_to_cart(line_item: Json) -> Json {
    Json::object([("lineItems", Json::Array(vec![line_item]))])
}

/// `POST …/update-line-items-quantity` (`UpdateLineItemsQuantityRequest`):
/// absolute quantities of several lines.
pub fn update_quantities(lines: &[(String, u32)]) -> Json {
    let lines = lines
        .iter()
        .map(|(id, quantity)| {
            Json::object([("id", Json::str(id)), ("quantity", Json::int(*quantity))])
        })
        .collect();
    Json::object([("lineItems", Json::Array(lines))])
}

/// `POST …/remove-line-items` (`RemoveLineItemsRequest`).
pub fn remove_line_items(line_ids: &[String]) -> Json {
    let ids = line_ids.iter().map(|id| Json::str(id)).collect();
    Json::object([("lineItemIds", Json::Array(ids))])
}

/// `PATCH /ecom/v1/carts/current` (`UpdateCartRequest`): applies a coupon
/// code, replacing any applied one.
pub fn apply_coupon(code: &str) -> Json {
    Json::object([("couponCode", Json::str(code))])
}

/// `PATCH /ecom/v1/carts/current` (`UpdateCartRequest`): the buyer note, and
/// nothing else of `cartInfo`.
pub fn buyer_note(note: &str) -> Json {
    cart_info([("buyerNote", Json::str(note))])
}

/// `PATCH /ecom/v1/carts/current` (`UpdateCartRequest`): the shipping option
/// checkout uses, and nothing else of `cartInfo`.
pub fn selected_shipping(code: &str, carrier_id: Option<&str>) -> Json {
    let option = Json::object([
        ("code", Json::str(code)),
        ("carrierId", Json::opt_str(carrier_id)),
    ]);
    cart_info([("selectedShippingOption", option)])
}

/// `{cartInfo: {…members}}`: only the members given are changed.
fn cart_info<'a>(members: impl IntoIterator<Item = (&'a str, Json)>) -> Json {
    Json::object([("cartInfo", Json::object(members))])
}

/// `POST …/remove-coupon`: no fields.
pub fn remove_coupon() -> Json {
    Json::object([])
}

/// `POST …/estimate-totals` (`EstimateTotalsRequest`): for `address`, or
/// without one for the store's default destination. The shipping option is
/// not sent here: the one chosen is saved on the cart ([`selected_shipping`]),
/// and the server estimates with it.
pub fn estimate_totals(address: Option<&Address>) -> Json {
    let address = address.map_or(Json::Null, |address| {
        Json::object([
            ("country", Json::opt_str(address.country.as_deref())),
            ("subdivision", Json::opt_str(address.subdivision.as_deref())),
            ("postalCode", Json::opt_str(address.postal_code.as_deref())),
        ])
    });
    Json::object([("shippingAddress", address)])
}

/// `POST …/create-checkout` (`CreateCheckoutRequest`): from the web.
pub fn create_checkout() -> Json {
    Json::object([("channelType", Json::str("WEB"))])
}

/// `POST /oauth2/token` (`TokenRequest`): `grant_type` is
/// `cart_wire::GRANT_ANONYMOUS` (no refresh token) or
/// `cart_wire::GRANT_REFRESH_TOKEN` (with one).
pub fn token(client_id: &str, grant_type: &str, refresh_token: Option<&str>) -> Json {
    Json::object([
        ("clientId", Json::str(client_id)),
        ("grantType", Json::str(grant_type)),
        ("refreshToken", Json::opt_str(refresh_token)),
    ])
}
