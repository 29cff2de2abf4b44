//! The V2 mapping on every captured fixture (`crates/cart-wire/fixtures/v2/`),
//! and every V2 body spelled out as the wire types have it. Money is written
//! by the native fallback here (`"22.50 USD"`); the browser uses `Intl`.

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        Json::parse(include_str!(concat!(
            "../../../crates/cart-wire/fixtures/v2/",
            $name
        )))
        .unwrap()
    };
}

const LINE_1: &str = "00000000-0000-0000-0000-000000000001";
const LINE_2: &str = "00000000-0000-0000-0000-000000000002";
const CART_ID: &str = "3d7b5f4e-2a1c-4c8e-9f0a-6b5d4c3b2a10";

fn price(amount: &str, formatted: &str) -> Price {
    Price {
        amount: amount.into(),
        formatted: formatted.into(),
    }
}

fn check_captured_cart(cart: &Cart) {
    assert_eq!(cart.id.as_deref(), Some(CART_ID));
    assert_eq!(cart.revision.as_deref(), Some("5"));
    assert_eq!(
        cart.buyer_note.as_deref(),
        Some("Please gift-wrap the mug.")
    );
    assert_eq!(cart.buyer_language.as_deref(), Some("en"));
    assert_eq!(cart.currency.as_deref(), Some("USD"));
    assert_eq!(cart.subtotal, Some(price("69.5", "69.50 USD")));
    assert_eq!(cart.coupon_code.as_deref(), Some("TSHIRT5"));
    assert_eq!(
        cart.coupon_id.as_deref(),
        Some("b7e0c2a1-5d3f-4a6b-9c8e-1f2d3e4a5b6c")
    );
    assert_eq!(cart.line_items.len(), 3);

    let shirt = &cart.line_items[0];
    assert_eq!(shirt.id.as_deref(), Some(LINE_1));
    assert_eq!(shirt.name, "Organic Cotton T-Shirt");
    assert_eq!(shirt.quantity, 2);
    assert_eq!(shirt.price, price("22.5", "22.50 USD"));
    assert_eq!(shirt.full_price, price("30", "30.00 USD"));
    assert_eq!(shirt.line_item_price, price("45", "45.00 USD"));
    assert!(shirt.full_price.exceeds(&shirt.price));
    assert_eq!(shirt.availability, "AVAILABLE");
    assert_eq!(shirt.quantity_available, Some(40));
    assert_eq!(
        shirt.options,
        [
            ItemOption {
                name: "Size".into(),
                value: "M".into(),
                color_code: None
            },
            ItemOption {
                name: "Color".into(),
                value: "Navy".into(),
                color_code: Some("#1B2A4A".into())
            }
        ]
    );
    let image = shirt.image.as_ref().unwrap();
    assert!(
        image
            .url
            .starts_with("https://static.wixstatic.com/media/8bb438_1a2b")
    );
    assert_eq!(image.alt_text.as_deref(), Some("Navy t-shirt"));
    // The reference goes back as it came, e.g. for Undo's add.
    assert_eq!(
        shirt.catalog_reference.to_json(),
        r#"{"catalogItemId":"df19c1f7-07d8-a265-42f8-e8dfa824cc6e","appId":"215238eb-22a5-4c36-9e7b-e7c08025e04e","options":{"variantId":"e62fee23-7878-437a-bf0e-292f17d11cb5"}}"#
    );

    // Clamped to stock: the confirmed quantity is what will be bought.
    let mug = &cart.line_items[1];
    assert_eq!(mug.id.as_deref(), Some(LINE_2));
    assert_eq!(mug.quantity, 1);
    assert_eq!(mug.availability, "PARTIALLY_AVAILABLE");
    assert_eq!(mug.quantity_available, Some(1));
    assert!(!mug.full_price.exceeds(&mug.price));

    // A digital item: no stock count, no image.
    let book = &cart.line_items[2];
    assert_eq!(book.name, "Seasonal Recipes (e-book)");
    assert_eq!(book.quantity_available, None);
    assert_eq!(book.image, None);
    assert_eq!(book.line_item_price, price("12", "12.00 USD"));
}

#[test]
fn reads_the_captured_current_cart() {
    let cart = cart_answer(&fixture!("get-current-cart-v2-response.json"), None).unwrap();
    check_captured_cart(&cart);
}

#[test]
fn reads_the_captured_bare_cart_and_the_carts_inside_totals_answers() {
    check_captured_cart(&read_cart(&fixture!("cart-v2.json"), None));
    for answer in [
        fixture!("calculate-current-cart-v2-response.json"),
        fixture!("estimate-current-cart-v2-response.json"),
        fixture!("calculate-current-cart-v2-response-with-violations.json"),
    ] {
        check_captured_cart(&cart_answer(&answer, Some("en-US")).unwrap());
    }
}

#[test]
fn an_answer_without_a_cart_is_an_error_and_an_empty_cart_reads_empty() {
    assert!(cart_answer(&fixture!("delete-current-cart-v2-response.json"), None).is_err());
    assert!(cart_answer(&fixture!("get-checkout-url-v2-response.json"), None).is_err());
    let empty = cart_answer(&Json::parse(r#"{"cart": {}}"#).unwrap(), None).unwrap();
    assert_eq!(empty, Cart::default());
}

#[test]
fn line_statuses_become_the_v1_availability_words() {
    let line = |status: &str| {
        let json = Json::parse(&format!(
            r#"{{"cart": {{"lineItems": [{{"status": "{status}"}}]}}}}"#
        ))
        .unwrap();
        cart_answer(&json, None).unwrap().line_items[0]
            .availability
            .clone()
    };
    assert_eq!(line("IN_STOCK"), "AVAILABLE");
    assert_eq!(line("PARTIALLY_IN_STOCK"), "PARTIALLY_AVAILABLE");
    assert_eq!(line("OUT_OF_STOCK"), "NOT_AVAILABLE");
    assert_eq!(line("REMOVED_FROM_CATALOG"), "NOT_FOUND");
}

#[test]
fn reads_the_calculated_totals_as_v1_shows_them() {
    let estimate =
        estimate_answer(&fixture!("calculate-current-cart-v2-response.json"), None).unwrap();
    assert_eq!(estimate.cart_revision.as_deref(), Some("5"));
    // V2's subtotal (69.5) is after the line coupon; v1's (74.5) is before it.
    assert_eq!(estimate.subtotal, price("74.5", "74.50 USD"));
    assert_eq!(estimate.discount, price("5", "5.00 USD"));
    assert_eq!(estimate.shipping, price("5", "5.00 USD"));
    assert_eq!(estimate.tax, price("6.95", "6.95 USD"));
    assert_eq!(estimate.total, price("81.45", "81.45 USD"));
    assert!(estimate.problems.is_empty());
    assert_eq!(
        estimate.selected_shipping.as_deref(),
        Some("standard-shipping")
    );
    assert_eq!(
        estimate.shipping_offers,
        [ShippingOffer {
            code: "standard-shipping".into(),
            carrier_id: Some("c8a08776-c095-4dec-8553-8f9698d86adc".into()),
            title: "Standard Shipping".into(),
            price: "5.00 USD".into(),
            delivery_time: None,
        }]
    );
    assert_eq!(estimate.changed_cart, None);
}

#[test]
fn reads_the_estimate_without_a_delivery_method() {
    let estimate =
        estimate_answer(&fixture!("estimate-current-cart-v2-response.json"), None).unwrap();
    assert_eq!(estimate.subtotal.amount, "74.5");
    assert_eq!(estimate.discount.amount, "5");
    assert!(!estimate.shipping.is_positive());
    assert!(!estimate.tax.is_positive());
    assert_eq!(estimate.total, price("69.5", "69.50 USD"));
    assert!(estimate.shipping_offers.is_empty());
    assert_eq!(estimate.selected_shipping, None);
}

#[test]
fn blocking_violations_are_the_problems_warnings_are_not() {
    let estimate = estimate_answer(
        &fixture!("calculate-current-cart-v2-response-with-violations.json"),
        None,
    )
    .unwrap();
    assert_eq!(
        estimate.problems,
        ["Coupon SPRING10 needs a subtotal of at least $100."]
    );
    assert_eq!(estimate.total.amount, "81.45");
    assert!(estimate_answer(&fixture!("get-current-cart-v2-response.json"), None).is_err());
}

#[test]
fn a_subtotal_discount_is_kept_and_no_line_discount_leaves_amounts_as_given() {
    let json = Json::parse(
        r#"{"cart": {"revision": "9", "businessInfo": {"currencyCode": "EUR"}},
            "summary": {"discounts": [{"scope": "CART_SUBTOTAL", "total": {"amount": "3"}}],
              "priceSummary": {"subtotal": {"amount": "30.00"}, "discount": {"amount": "3"},
                "total": {"amount": "27"}}}}"#,
    )
    .unwrap();
    let estimate = estimate_answer(&json, None).unwrap();
    assert_eq!(estimate.cart_revision.as_deref(), Some("9"));
    assert_eq!(estimate.subtotal, price("30.00", "30.00 EUR"));
    assert_eq!(estimate.discount, price("3", "3.00 EUR"));
    assert_eq!(estimate.total, price("27", "27.00 EUR"));
}

#[test]
fn reads_the_checkout_url_with_the_cart_as_checkout() {
    let checkout =
        checkout_answer(&fixture!("get-checkout-url-v2-response.json"), CART_ID).unwrap();
    assert_eq!(checkout.checkout_id, CART_ID);
    assert!(
        checkout
            .checkout_url
            .unwrap()
            .starts_with("https://example.wixsite.com/shop/checkout?")
    );
    assert!(checkout_url_path(CART_ID).ends_with(&format!("/{CART_ID}/get-checkout-url")));
    assert!(checkout_answer(&Json::parse("{}").unwrap(), CART_ID).is_err());
}

#[test]
fn the_captured_errors_read_with_their_codes() {
    use crate::error::ApiError;
    let error = |text: &str, status| ApiError::from_response(status, text);
    let not_found = error(
        include_str!("../../../crates/cart-wire/fixtures/v2/error-v2-current-cart-not-found.json"),
        404,
    );
    assert_eq!(not_found.code(), Some("CURRENT_CART_NOT_FOUND"));
    let coupon = error(
        include_str!("../../../crates/cart-wire/fixtures/v2/error-v2-invalid-coupon-code.json"),
        400,
    );
    assert_eq!(coupon.code(), Some(INVALID_COUPON_CODE));
    let stock = error(
        include_str!("../../../crates/cart-wire/fixtures/v2/error-v2-insufficient-inventory.json"),
        428,
    );
    assert_eq!(stock.code(), Some("INSUFFICIENT_INVENTORY"));
    assert_eq!(stock.to_string(), "HTTP 428: Insufficient inventory");
}

// ---- bodies: each as `current-cart-v2.REST-wire-types.compact.ts` has it ----

#[test]
fn the_add_body_is_catalog_items_of_the_v1_line_shape() {
    let reference =
        Json::parse(r#"{"catalogItemId":"p1","appId":"a1","options":{"variantId":"v1"}}"#).unwrap();
    let item = crate::wire::requests::line_item(reference, 2);
    assert_eq!(
        add_line_items(item).to_json(),
        r#"{"catalogItems":[{"catalogReference":{"catalogItemId":"p1","appId":"a1","options":{"variantId":"v1"}},"quantity":2}]}"#
    );
}

#[test]
fn the_quantity_body_is_line_item_updates() {
    let body = update_line_items(&[(LINE_1.into(), 3), (LINE_2.into(), 1)]);
    assert_eq!(
        body.to_json(),
        format!(
            r#"{{"lineItems":[{{"lineItemId":"{LINE_1}","quantity":{{"newQuantity":3}}}},{{"lineItemId":"{LINE_2}","quantity":{{"newQuantity":1}}}}]}}"#
        )
    );
}

#[test]
fn the_remove_body_is_unchanged_from_v1() {
    let body = crate::wire::requests::remove_line_items(&["l3".into()]);
    assert_eq!(body.to_json(), r#"{"lineItemIds":["l3"]}"#);
}

#[test]
fn the_coupon_bodies_add_by_code_and_remove_by_id() {
    assert_eq!(
        add_coupon("TSHIRT5").to_json(),
        r#"{"coupon":{"code":"TSHIRT5"}}"#
    );
    assert_eq!(remove_coupon("b7e0").to_json(), r#"{"couponId":"b7e0"}"#);
}

#[test]
fn the_cart_patches_carry_only_what_changed() {
    assert_eq!(
        note("Gift-wrap, please").to_json(),
        r#"{"cart":{"note":"Gift-wrap, please"}}"#
    );
    let address = Address {
        country: Some("US".into()),
        subdivision: Some("US-NY".into()),
        postal_code: Some("10001".into()),
    };
    assert_eq!(
        delivery_address(&address).to_json(),
        r#"{"cart":{"deliveryInfo":{"address":{"country":"US","subdivision":"US-NY","postalCode":"10001"}}}}"#
    );
    let country_only = Address {
        country: Some("FR".into()),
        ..Address::default()
    };
    assert_eq!(
        delivery_address(&country_only).to_json(),
        r#"{"cart":{"deliveryInfo":{"address":{"country":"FR"}}}}"#
    );
}

#[test]
fn the_delivery_estimate_and_checkout_bodies() {
    assert_eq!(
        set_delivery_method("standard-shipping", Some("c8a0")).to_json(),
        r#"{"deliveryMethod":{"code":"standard-shipping","appId":"c8a0"}}"#
    );
    assert_eq!(
        set_delivery_method("pickup", None).to_json(),
        r#"{"deliveryMethod":{"code":"pickup"}}"#
    );
    assert_eq!(
        estimate().to_json(),
        r#"{"calculateDelivery":true,"calculateTax":true,"calculateAdditionalFees":true}"#
    );
    assert_eq!(
        get_checkout_url(CART_ID, Some("USD")).to_json(),
        format!(r#"{{"cartId":"{CART_ID}","currencyCode":"USD"}}"#)
    );
    assert_eq!(
        get_checkout_url(CART_ID, None).to_json(),
        format!(r#"{{"cartId":"{CART_ID}"}}"#)
    );
    assert_eq!(CURRENT_CART, "/ecom/v2/carts/current");
}

#[test]
fn the_paths_are_the_captured_ones() {
    let path = |action: &str| format!("{CURRENT_CART}{action}");
    assert_eq!(
        path(ADD_LINE_ITEMS),
        "/ecom/v2/carts/current/add-line-items"
    );
    assert_eq!(
        path(UPDATE_LINE_ITEMS),
        "/ecom/v2/carts/current/update-line-items"
    );
    assert_eq!(
        path("/remove-line-items"),
        "/ecom/v2/carts/current/remove-line-items"
    );
    assert_eq!(path(ADD_COUPON), "/ecom/v2/carts/current/add-coupon");
    assert_eq!(
        path("/remove-coupon"),
        "/ecom/v2/carts/current/remove-coupon"
    );
    assert_eq!(
        path(SET_DELIVERY_METHOD),
        "/ecom/v2/carts/current/set-delivery-method"
    );
    assert_eq!(path(ESTIMATE), "/ecom/v2/carts/current/estimate");
    assert_eq!(
        checkout_url_path(CART_ID),
        "/ecom/v2/carts/3d7b5f4e-2a1c-4c8e-9f0a-6b5d4c3b2a10/get-checkout-url"
    );
}
