//! The widget's hand-written wire code checked against `cart-wire`'s serde
//! types, which the server uses: every request body the widget builds, the
//! estimate and checkout answers it reads, and its JSON reader and writer
//! against serde_json. Native only (serde never reaches the wasm); renaming
//! a field on either side fails one of these tests.
//!
//! Over 400 lines, all tests: one file answers "does the widget still agree
//! with the wire types?".

use cart_wire::{
    AddToCartRequest, CartInfoUpdate, CatalogReference, CreateCheckoutRequest,
    CreateCheckoutResponse, EstimateTotalsRequest, EstimateTotalsResponse, LineItemQuantityUpdate,
    RemoveLineItemsRequest, SelectedShippingOption, TokenRequest, UpdateCartRequest,
    UpdateLineItemsQuantityRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::answers::{Checkout, Estimate, Price};
use super::json::Json;
use super::requests::{self, Address};

/// Checks a body both ways: serde reads it as `expected`, and serde writing
/// `expected` gives the same JSON the widget built.
fn agrees<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(body: &Json, expected: T) {
    let text = body.to_json();
    let read: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(read, expected, "serde reads what the widget sends");
    let written = Json::parse(&serde_json::to_string(&expected).unwrap()).unwrap();
    assert_eq!(
        value(&written),
        value(body),
        "the widget sends what serde writes"
    );
}

/// The same tree as serde_json's, converted node by node (not through
/// text), to compare regardless of member order.
fn value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(bool) => Value::Bool(*bool),
        Json::Number(text) => serde_json::from_str(text).unwrap(),
        Json::String(text) => Value::String(text.clone()),
        Json::Array(items) => Value::Array(items.iter().map(value).collect()),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, member)| (name.clone(), value(member)))
                .collect(),
        ),
    }
}

fn reference() -> CatalogReference {
    serde_json::from_str(
        r#"{"catalogItemId": "tee", "appId": "215238eb-22a5-4c36-9e7b-e7c08025e04e",
            "options": {"options": {"Size": "M"}, "variantId": "v1"}}"#,
    )
    .unwrap()
}

/// The reference as the widget holds it: the API's JSON, opaque.
fn reference_json() -> Json {
    Json::parse(&serde_json::to_string(&reference()).unwrap()).unwrap()
}

#[test]
fn an_add_to_cart_body_is_an_add_to_cart_request() {
    let body = requests::add_to_cart(requests::line_item(reference_json(), 3));
    let expected = AddToCartRequest {
        line_items: vec![cart_wire::LineItemInput {
            catalog_reference: Some(reference()),
            quantity: Some(3),
        }],
        ..AddToCartRequest::default()
    };
    agrees(&body, expected);
}

#[test]
fn a_quantities_body_is_an_update_line_items_quantity_request() {
    let body = requests::update_quantities(&[("a".into(), 2), ("b".into(), 100_000)]);
    let line = |id: &str, quantity| LineItemQuantityUpdate {
        id: Some(id.into()),
        quantity: Some(quantity),
    };
    let expected = UpdateLineItemsQuantityRequest {
        line_items: vec![line("a", 2), line("b", 100_000)],
    };
    agrees(&body, expected);
}

#[test]
fn a_removal_body_is_a_remove_line_items_request() {
    let body = requests::remove_line_items(&["a".into(), "b".into()]);
    let expected = RemoveLineItemsRequest {
        line_item_ids: vec!["a".into(), "b".into()],
    };
    agrees(&body, expected);
}

#[test]
fn coupon_note_and_shipping_bodies_are_update_cart_requests() {
    agrees(
        &requests::apply_coupon("SAVE10"),
        UpdateCartRequest {
            coupon_code: Some("SAVE10".into()),
            ..UpdateCartRequest::default()
        },
    );
    agrees(
        &requests::buyer_note("Leave at the door \"please\"\n"),
        UpdateCartRequest {
            cart_info: Some(CartInfoUpdate {
                buyer_note: Some("Leave at the door \"please\"\n".into()),
                ..CartInfoUpdate::default()
            }),
            ..UpdateCartRequest::default()
        },
    );
    for carrier_id in [Some("c1"), None] {
        agrees(
            &requests::selected_shipping("express", carrier_id),
            UpdateCartRequest {
                cart_info: Some(CartInfoUpdate {
                    selected_shipping_option: Some(SelectedShippingOption {
                        code: "express".into(),
                        carrier_id: carrier_id.map(Into::into),
                    }),
                    ..CartInfoUpdate::default()
                }),
                ..UpdateCartRequest::default()
            },
        );
    }
}

#[test]
fn a_coupon_removal_sends_an_empty_object() {
    assert_eq!(requests::remove_coupon().to_json(), "{}");
}

#[test]
fn an_estimate_body_is_an_estimate_totals_request() {
    let address = Address {
        country: Some("US".into()),
        subdivision: Some("US-CA".into()),
        postal_code: Some("94103".into()),
    };
    agrees(
        &requests::estimate_totals(Some(&address)),
        EstimateTotalsRequest {
            shipping_address: Some(cart_wire::Address {
                country: Some("US".into()),
                subdivision: Some("US-CA".into()),
                postal_code: Some("94103".into()),
                ..cart_wire::Address::default()
            }),
            ..EstimateTotalsRequest::default()
        },
    );
    let country_only = Address {
        country: Some("GB".into()),
        ..Address::default()
    };
    agrees(
        &requests::estimate_totals(Some(&country_only)),
        EstimateTotalsRequest {
            shipping_address: Some(cart_wire::Address {
                country: Some("GB".into()),
                ..cart_wire::Address::default()
            }),
            ..EstimateTotalsRequest::default()
        },
    );
    agrees(
        &requests::estimate_totals(None),
        EstimateTotalsRequest::default(),
    );
}

#[test]
fn a_checkout_body_is_a_create_checkout_request_from_the_web() {
    agrees(
        &requests::create_checkout(),
        CreateCheckoutRequest {
            channel_type: Some("WEB".into()),
            ..CreateCheckoutRequest::default()
        },
    );
}

#[test]
fn token_bodies_are_token_requests() {
    agrees(
        &requests::token("client", cart_wire::GRANT_ANONYMOUS, None),
        TokenRequest {
            client_id: "client".into(),
            grant_type: cart_wire::GRANT_ANONYMOUS.into(),
            refresh_token: None,
        },
    );
    agrees(
        &requests::token("client", cart_wire::GRANT_REFRESH_TOKEN, Some("r")),
        TokenRequest {
            client_id: "client".into(),
            grant_type: cart_wire::GRANT_REFRESH_TOKEN.into(),
            refresh_token: Some("r".into()),
        },
    );
}

fn same_price(price: &Price, wire: &cart_wire::MultiCurrencyPrice) {
    assert_eq!(price.amount, wire.amount);
    assert_eq!(price.formatted, wire.formatted_amount);
}

/// Reads `answer` with both the widget and serde, and compares every field
/// the widget reads.
fn estimate_reads_as_the_wire_types_do(answer: &str) {
    let wire: EstimateTotalsResponse = serde_json::from_str(answer).unwrap();
    let estimate = Estimate::from_answer(&Json::parse(answer).unwrap()).unwrap();
    assert_eq!(estimate.cart_revision, wire.cart.revision);
    let summary = &wire.price_summary;
    same_price(&estimate.subtotal, &summary.subtotal);
    same_price(&estimate.discount, &summary.discount);
    same_price(&estimate.shipping, &summary.shipping);
    same_price(&estimate.tax, &summary.tax);
    same_price(&estimate.total, &summary.total);
    let shipping = &wire.shipping_info;
    assert_eq!(
        estimate.selected_shipping,
        shipping
            .selected_carrier_service_option
            .as_ref()
            .map(|option| option.code.clone())
    );
    let offers: Vec<_> = shipping
        .carrier_service_options
        .iter()
        .flat_map(|carrier| {
            carrier
                .shipping_options
                .iter()
                .map(move |option| (carrier, option))
        })
        .collect();
    assert_eq!(estimate.shipping_offers.len(), offers.len());
    for (offer, (carrier, option)) in estimate.shipping_offers.iter().zip(offers) {
        assert_eq!(offer.code, option.code);
        assert_eq!(offer.title, option.title);
        assert_eq!(offer.price, option.cost.price.formatted_amount);
        assert_eq!(offer.delivery_time, option.logistics.delivery_time);
        assert_eq!(
            offer.carrier_id.as_deref(),
            Some(carrier.carrier_id.as_str()).filter(|id| !id.is_empty())
        );
    }
    let errors = &wire.calculation_errors;
    let problems: Vec<String> = [
        &errors.general_shipping_calculation_error,
        &errors.selected_shipping_option_error,
        &errors.tax_calculation_error,
        &errors.coupon_calculation_error,
    ]
    .into_iter()
    .filter_map(|error| {
        Some(
            error
                .as_ref()?
                .application_error
                .as_ref()?
                .description
                .clone(),
        )
    })
    .chain(
        wire.violations
            .iter()
            .filter(|violation| violation.severity == "ERROR")
            .map(|violation| violation.description.clone()),
    )
    .collect();
    assert_eq!(estimate.problems, problems);
}

#[test]
fn reads_captured_estimates_as_the_full_wire_types_do() {
    let plain = include_str!("../../crates/cart-wire/fixtures/estimate-totals-response.json");
    let with_errors = include_str!(
        "../../crates/cart-wire/fixtures/estimate-totals-response-with-calculation-errors.json"
    );
    estimate_reads_as_the_wire_types_do(plain);
    estimate_reads_as_the_wire_types_do(with_errors);
    // The fixtures exercise what the widget shows, not only empty defaults.
    let plain = Estimate::from_answer(&Json::parse(plain).unwrap()).unwrap();
    assert!(!plain.shipping_offers.is_empty());
    assert!(plain.total.is_positive());
    let with_errors = Estimate::from_answer(&Json::parse(with_errors).unwrap()).unwrap();
    assert!(!with_errors.problems.is_empty());
}

#[test]
fn reads_checkout_answers_as_the_full_wire_types_do() {
    let captured = include_str!("../../crates/cart-wire/fixtures/create-checkout-response.json");
    let with_url = serde_json::to_string(&CreateCheckoutResponse {
        checkout_id: "c".into(),
        checkout_url: Some("https://shop.example/checkout/c".into()),
    })
    .unwrap();
    for answer in [captured, &with_url] {
        let wire: CreateCheckoutResponse = serde_json::from_str(answer).unwrap();
        let checkout = Checkout::from_answer(&Json::parse(answer).unwrap()).unwrap();
        assert_eq!(checkout.checkout_id, wire.checkout_id);
        assert_eq!(checkout.checkout_url, wire.checkout_url);
    }
}

/// A small deterministic PRNG (xorshift64*), so the generated cases are the
/// same on every run and need no extra crate.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn string(&mut self) -> String {
        const CHARS: &[char] = &[
            'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\r', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'é',
            '€', '\u{2028}', '😀', '𝄞', '\u{fffd}',
        ];
        (0..self.below(8)).map(|_| *self.pick(CHARS)).collect()
    }

    fn number(&mut self) -> String {
        let mut text = String::new();
        let whole = self.below(1_000_000);
        // Not `-0`: serde_json reads it as a float, `0` as an integer.
        if whole > 0 && self.below(2) == 0 {
            text.push('-');
        }
        text.push_str(&whole.to_string());
        if self.below(2) == 0 {
            text.push_str(&format!(".{}", self.below(1000)));
        }
        if self.below(4) == 0 {
            let marker = *self.pick::<&str>(&["e", "E", "e+", "e-"]);
            text.push_str(marker);
            text.push_str(&self.below(20).to_string());
        }
        text
    }

    /// A random JSON value; objects have distinct member names (JSON leaves
    /// duplicates undefined).
    fn json(&mut self, depth: u32) -> Json {
        let kinds = if depth == 0 { 4 } else { 6 };
        match self.below(kinds) {
            0 => Json::Null,
            1 => Json::Bool(self.below(2) == 0),
            2 => Json::Number(self.number()),
            3 => Json::String(self.string()),
            4 => Json::Array((0..self.below(4)).map(|_| self.json(depth - 1)).collect()),
            _ => {
                let mut members: Vec<(String, Json)> = Vec::new();
                for _ in 0..self.below(4) {
                    let name = self.string();
                    if members.iter().all(|(known, _)| *known != name) {
                        members.push((name, self.json(depth - 1)));
                    }
                }
                Json::Object(members)
            }
        }
    }
}

#[test]
fn json_written_by_either_side_reads_the_same_on_the_other() {
    let mut prng = Prng(0x5eed_cafe_f00d_d00d);
    for _ in 0..2000 {
        let json = prng.json(4);
        let text = json.to_json();
        let by_serde: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("serde refused {text}: {e}"));
        assert_eq!(by_serde, value(&json), "{text}");
        for written in [
            serde_json::to_string(&by_serde).unwrap(),
            serde_json::to_string_pretty(&by_serde).unwrap(),
        ] {
            let read = Json::parse(&written).unwrap_or_else(|e| panic!("refused {written}: {e}"));
            assert_eq!(value(&read), by_serde, "{written}");
        }
    }
}
