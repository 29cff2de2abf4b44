//! The widget's Cart V2 wire code checked against `cart_wire::v2`'s serde
//! types, which the reference server reads and writes: each body the widget
//! sends reads, through serde, as the request it means; each answer the
//! server writes (the captured fixtures, passed through the serde types)
//! reads, through the widget, exactly as the captured answer does. Renaming
//! or dropping a field on either side fails one of these tests. Native only
//! (serde never reaches the wasm), as `wire/conformance.rs` is for v1.

use cart_wire::CatalogReference;
use cart_wire::v2::{
    AddCouponRequest, AddLineItemsRequest, CalculateResponse, CartResponse, CartUpdate,
    CatalogItemInput, CouponInput, DeliveryInfo, DeliveryMethodInput, EstimateRequest,
    GetCheckoutUrlRequest, GetCheckoutUrlResponse, LineItemUpdate, QuantityUpdate,
    RemoveCouponRequest, SetDeliveryMethodRequest, UpdateCartRequest, UpdateLineItemsRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::*;
use crate::wire::requests;

/// What the server reads from a body the widget built.
fn server_reads<T: DeserializeOwned>(body: &Json) -> T {
    let text = body.to_json();
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// A captured answer as the server would write it: read into the serde
/// types and written again (anything they do not carry is gone).
fn as_server_writes<T: DeserializeOwned + Serialize>(captured: &str) -> Json {
    let typed: T = serde_json::from_str(captured).unwrap();
    Json::parse(&serde_json::to_string(&typed).unwrap()).unwrap()
}

macro_rules! captured {
    ($name:literal) => {
        include_str!(concat!("../../../crates/cart-wire/fixtures/v2/", $name))
    };
}

const CART_ID: &str = "3d7b5f4e-2a1c-4c8e-9f0a-6b5d4c3b2a10";

#[test]
fn the_add_body_is_an_add_line_items_request() {
    let reference: CatalogReference = serde_json::from_str(
        r#"{"catalogItemId": "tee", "appId": "215238eb-22a5-4c36-9e7b-e7c08025e04e",
            "options": {"options": {"Size": "M"}, "variantId": "v1"}}"#,
    )
    .unwrap();
    let reference_json = Json::parse(&serde_json::to_string(&reference).unwrap()).unwrap();
    let body = add_line_items(requests::line_item(reference_json, 3));
    let read: AddLineItemsRequest = server_reads(&body);
    assert_eq!(
        read.catalog_items,
        vec![CatalogItemInput {
            catalog_reference: Some(reference),
            quantity: Some(3),
        }]
    );
}

#[test]
fn the_quantity_body_is_an_update_line_items_request() {
    let read: UpdateLineItemsRequest = server_reads(&update_line_items(&[("l1".into(), 4)]));
    assert_eq!(
        read.line_items,
        vec![LineItemUpdate {
            line_item_id: Some("l1".into()),
            quantity: Some(QuantityUpdate {
                new_quantity: Some(4)
            }),
        }]
    );
}

#[test]
fn the_coupon_bodies_are_add_and_remove_coupon_requests() {
    let read: AddCouponRequest = server_reads(&add_coupon("SAVE10"));
    assert_eq!(
        read.coupon,
        Some(CouponInput {
            code: "SAVE10".into()
        })
    );
    let read: RemoveCouponRequest = server_reads(&remove_coupon("c-1"));
    assert_eq!(read.coupon_id.as_deref(), Some("c-1"));
}

#[test]
fn the_patches_are_update_cart_requests_with_only_their_field() {
    let read: UpdateCartRequest = server_reads(&note("Ring twice"));
    assert_eq!(
        read.cart,
        CartUpdate {
            note: Some("Ring twice".into()),
            ..CartUpdate::default()
        }
    );
    let address = requests::Address {
        country: Some("CA".into()),
        subdivision: Some("CA-QC".into()),
        postal_code: Some("H2X 1Y4".into()),
    };
    let read: UpdateCartRequest = server_reads(&delivery_address(&address));
    let DeliveryInfo {
        address: Some(read_address),
        method: None,
        weight_unit: None,
    } = read.cart.delivery_info.clone().unwrap()
    else {
        panic!("{read:?}");
    };
    assert_eq!(read_address.country.as_deref(), Some("CA"));
    assert_eq!(read_address.subdivision.as_deref(), Some("CA-QC"));
    assert_eq!(read_address.postal_code.as_deref(), Some("H2X 1Y4"));
    assert_eq!(read.cart.note, None, "a destination change keeps the note");
}

#[test]
fn the_delivery_estimate_and_checkout_bodies_are_their_requests() {
    let read: SetDeliveryMethodRequest =
        server_reads(&set_delivery_method("express-shipping", Some("app-1")));
    assert_eq!(
        read.delivery_method,
        Some(DeliveryMethodInput {
            code: "express-shipping".into(),
            app_id: Some("app-1".into()),
        })
    );
    let read: EstimateRequest = server_reads(&estimate());
    assert_eq!(
        (
            read.calculate_delivery,
            read.calculate_tax,
            read.refresh_cart
        ),
        (Some(true), Some(true), None)
    );
    let read: GetCheckoutUrlRequest = server_reads(&get_checkout_url(CART_ID, Some("EUR")));
    assert_eq!(read.cart_id.as_deref(), Some(CART_ID));
    assert_eq!(read.currency_code.as_deref(), Some("EUR"));
}

#[test]
fn a_cart_the_server_writes_reads_as_the_captured_one() {
    let bare = format!(r#"{{"cart":{}}}"#, captured!("cart-v2.json"));
    for wrapped in [
        captured!("get-current-cart-v2-response.json").to_owned(),
        bare,
    ] {
        let written = as_server_writes::<CartResponse>(&wrapped);
        let captured = Json::parse(&wrapped).unwrap();
        assert_eq!(
            cart_answer(&written, Some("en")).unwrap(),
            cart_answer(&captured, Some("en")).unwrap()
        );
    }
}

#[test]
fn totals_the_server_writes_read_as_the_captured_ones() {
    for captured in [
        captured!("calculate-current-cart-v2-response.json"),
        captured!("calculate-current-cart-v2-response-with-violations.json"),
        captured!("estimate-current-cart-v2-response.json"),
    ] {
        let written = as_server_writes::<CalculateResponse>(captured);
        let captured = Json::parse(captured).unwrap();
        assert_eq!(
            estimate_answer(&written, Some("en")).unwrap(),
            estimate_answer(&captured, Some("en")).unwrap()
        );
    }
}

#[test]
fn a_checkout_url_the_server_writes_reads_as_the_captured_one() {
    let captured = captured!("get-checkout-url-v2-response.json");
    let written = as_server_writes::<GetCheckoutUrlResponse>(captured);
    assert_eq!(
        checkout_answer(&written, CART_ID).unwrap(),
        checkout_answer(&Json::parse(captured).unwrap(), CART_ID).unwrap()
    );
}
