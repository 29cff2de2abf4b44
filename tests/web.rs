//! Component tests in a real browser (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use cart_widget::components::{CartWidget, EmptyCart, LineItemRow};
use cart_widget::config::WidgetConfig;
use cart_widget::state::CartState;
use cart_wire::{Cart, CartResponse, Image, LineItem};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The cart from the API reference's `get-current-cart-response.json`.
fn fixture_cart() -> Cart {
    serde_json::from_str::<CartResponse>(include_str!("fixtures/get-current-cart-response.json"))
        .expect("fixture parses")
        .cart
}

/// A fresh element in the page to mount into.
fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

fn text(root: &web_sys::HtmlElement, test_id: &str) -> Vec<String> {
    let nodes = root
        .query_selector_all(&format!("[data-testid='{test_id}']"))
        .unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn a_line_item_shows_image_name_quantity_and_line_total() {
    let item = fixture_cart().line_items.remove(0);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <LineItemRow item /> });
    tick().await;
    assert_eq!(text(&root, "line-name"), ["Organic Cotton T-Shirt"]);
    assert_eq!(text(&root, "line-quantity"), ["2"]);
    assert_eq!(text(&root, "line-total"), ["$50.00"]);
    let image = root.query_selector("img").unwrap().expect("image shown");
    assert_eq!(
        image.get_attribute("src").as_deref(),
        Some("https://static.wixstatic.com/media/8bb438_1a2b3c4d5e6f40f1a2b3c4d5e6f7a8b9~mv2.jpg")
    );
    assert_eq!(image.get_attribute("alt").as_deref(), Some("Navy t-shirt"));
}

#[wasm_bindgen_test]
async fn api_text_is_rendered_as_text_and_unsafe_image_urls_are_dropped() {
    let item = LineItem {
        product_name: cart_wire::ProductName {
            original: "<img src=x onerror=alert(1)>Mug".into(),
            translated: None,
        },
        image: Some(Image {
            url: "javascript:alert(1)".into(),
            ..Image::default()
        }),
        quantity: 1,
        ..LineItem::default()
    };
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <LineItemRow item /> });
    tick().await;
    assert_eq!(
        text(&root, "line-name"),
        ["<img src=x onerror=alert(1)>Mug"]
    );
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "{}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn the_empty_cart_says_so() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || view! { <EmptyCart /> });
    tick().await;
    assert!(text(&root, "empty-cart")[0].contains("Your cart is empty"));
}

#[wasm_bindgen_test]
async fn the_widget_goes_from_loading_to_empty_to_filled() {
    // No load() is started: the test plays the server's answers itself.
    let state = CartState::new(WidgetConfig::from_attributes(
        None,
        None,
        "http://unused.test",
    ));
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <CartWidget state /> });
    tick().await;
    assert_eq!(text(&root, "cart-loading").len(), 1);

    state.cart.set(Some(Cart::default()));
    tick().await;
    assert!(text(&root, "cart-loading").is_empty());
    assert_eq!(text(&root, "empty-cart").len(), 1);
    assert_eq!(text(&root, "cart-count"), ["0"]);

    state.cart.set(Some(fixture_cart()));
    tick().await;
    assert!(text(&root, "empty-cart").is_empty());
    assert_eq!(
        text(&root, "line-name"),
        [
            "Organic Cotton T-Shirt",
            "Stoneware Mug",
            "Seasonal Recipes (e-book)"
        ]
    );
    assert_eq!(text(&root, "cart-count"), ["4"]);
    assert_eq!(text(&root, "cart-subtotal"), ["$74.50"]);
}

#[wasm_bindgen_test]
async fn a_changed_quantity_rerenders_its_row() {
    let state = CartState::new(WidgetConfig::from_attributes(
        None,
        None,
        "http://unused.test",
    ));
    let mut cart = fixture_cart();
    state.cart.set(Some(cart.clone()));
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <CartWidget state /> });
    tick().await;
    assert_eq!(text(&root, "line-quantity"), ["2", "1", "1"]);

    cart.line_items[1].quantity = 3;
    state.cart.set(Some(cart));
    tick().await;
    assert_eq!(text(&root, "line-quantity"), ["2", "3", "1"]);
}
