//! Component tests in a real browser (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use cart_widget::components::{CartWidget, EmptyCart};
use cart_widget::config::WidgetConfig;
use cart_widget::host_page;
use cart_widget::state::{CartState, Listeners};
use cart_widget::wire::answers::{Cart, Image, ItemOption, LineItem};
use cart_widget::wire::json::Json;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The cart from the API reference's `get-current-cart-response.json`.
fn fixture_cart() -> Cart {
    let answer = Json::parse(include_str!(
        "../crates/cart-wire/fixtures/get-current-cart-response.json"
    ));
    Cart::from_answer(&answer.expect("fixture parses")).expect("fixture has a cart")
}

/// Cart state whose API is a closed local port: every request fails for real.
fn offline_state() -> CartState {
    let config = WidgetConfig::from_attributes(
        Some("http://127.0.0.1:9".into()),
        None,
        "http://127.0.0.1:9",
    );
    let listeners = Listeners {
        on_error: host_page::report_error,
        ..Listeners::default()
    };
    CartState::new(config, listeners)
}

/// A fresh element in the page to mount into.
fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

fn mount_widget(
    state: CartState,
) -> (
    web_sys::HtmlElement,
    UnmountHandle<impl leptos::tachys::view::Mountable>,
) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || view! { <CartWidget state /> });
    (root, handle)
}

fn all(root: &web_sys::HtmlElement, test_id: &str) -> Vec<web_sys::Element> {
    let nodes = root
        .query_selector_all(&format!("[data-testid='{test_id}']"))
        .unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(root: &web_sys::HtmlElement, test_id: &str) -> Vec<String> {
    all(root, test_id)
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

fn quantities(root: &web_sys::HtmlElement) -> Vec<String> {
    all(root, "line-quantity")
        .into_iter()
        .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>().value())
        .collect()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_line_shows_image_name_options_prices_availability_and_quantity() {
    let state = offline_state();
    state.cart.set(Some(fixture_cart()));
    let (root, _mounted) = mount_widget(state);
    tick().await;
    assert_eq!(
        text(&root, "line-name"),
        [
            "Organic Cotton T-Shirt",
            "Stoneware Mug",
            "Seasonal Recipes (e-book)"
        ]
    );
    assert_eq!(quantities(&root), ["2", "1", "1"]);
    assert_eq!(text(&root, "line-total"), ["$50.00", "$12.50", "$12.00"]);
    assert_eq!(
        text(&root, "line-unit-price"),
        ["$25.00", "$12.50", "$12.00"]
    );
    assert_eq!(
        text(&root, "line-full-price"),
        ["$30.00"],
        "only the discounted line shows a struck price"
    );
    assert_eq!(text(&root, "line-option"), ["Size: M", "Color: Navy"]);
    assert_eq!(text(&root, "line-availability"), ["", "Only 1 left", ""]);
    let image = root.query_selector("img").unwrap().expect("image shown");
    assert_eq!(
        image.get_attribute("src").as_deref(),
        Some("https://static.wixstatic.com/media/8bb438_1a2b3c4d5e6f40f1a2b3c4d5e6f7a8b9~mv2.jpg")
    );
    assert_eq!(image.get_attribute("alt").as_deref(), Some("Navy t-shirt"));
    // Stock of 1: the mug's + is disabled, − is disabled at 1.
    let increase = all(&root, "increase");
    assert!(increase[1].has_attribute("disabled"));
    assert!(all(&root, "decrease")[1].has_attribute("disabled"));
    assert!(
        !increase[0].has_attribute("disabled"),
        "{}",
        all(&root, "line-item")[0].outer_html()
    );
}

#[wasm_bindgen_test]
async fn api_text_is_rendered_as_text_and_unsafe_urls_and_styles_are_dropped() {
    let state = offline_state();
    let evil = LineItem {
        id: Some("00000000-0000-0000-0000-00000000000e".into()),
        name: "<img src=x onerror=alert(1)>Mug".into(),
        image: Some(Image {
            url: "javascript:alert(1)".into(),
            alt_text: None,
        }),
        options: vec![ItemOption {
            name: "Color".into(),
            value: "Red".into(),
            color_code: Some("red;background:url(https://evil.test/x)".into()),
        }],
        quantity: 1,
        ..LineItem::default()
    };
    state.cart.set(Some(Cart {
        line_items: vec![evil],
        ..Cart::default()
    }));
    let (root, _mounted) = mount_widget(state);
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
    assert!(
        root.query_selector(".cw-swatch").unwrap().is_none(),
        "{}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn the_empty_cart_says_so() {
    let root = container();
    let state = offline_state();
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <EmptyCart state /> });
    tick().await;
    assert!(text(&root, "empty-cart")[0].contains("Your cart is empty"));
}

#[wasm_bindgen_test]
async fn the_widget_goes_from_loading_to_empty_to_filled() {
    // No load() is started: the test plays the server's answers itself.
    let state = offline_state();
    let (root, _mounted) = mount_widget(state);
    tick().await;
    assert_eq!(all(&root, "cart-loading").len(), 1);

    state.cart.set(Some(Cart::default()));
    tick().await;
    assert!(all(&root, "cart-loading").is_empty());
    assert_eq!(all(&root, "empty-cart").len(), 1);
    assert_eq!(text(&root, "cart-count"), ["0"]);

    state.cart.set(Some(fixture_cart()));
    tick().await;
    assert!(all(&root, "empty-cart").is_empty());
    assert_eq!(text(&root, "cart-count"), ["4"]);
    assert_eq!(text(&root, "cart-subtotal"), ["$74.50"]);
}

#[wasm_bindgen_test]
async fn a_changed_line_updates_in_place() {
    let state = offline_state();
    let mut cart = fixture_cart();
    state.cart.set(Some(cart.clone()));
    let (root, _mounted) = mount_widget(state);
    tick().await;
    let row_before = all(&root, "line-item")[1].clone();

    cart.line_items[1].quantity = 3;
    state.cart.set(Some(cart));
    tick().await;
    assert_eq!(quantities(&root), ["2", "3", "1"]);
    assert!(
        row_before.is_same_node(Some(&all(&root, "line-item")[1])),
        "the row was not rebuilt"
    );
}

#[wasm_bindgen_test]
async fn a_click_shows_at_once_and_is_kept_while_the_server_is_unreachable() {
    let state = offline_state();
    state.cart.set(Some(fixture_cart()));
    let (root, _mounted) = mount_widget(state);
    tick().await;
    let increase = all(&root, "increase")[0]
        .clone()
        .unchecked_into::<web_sys::HtmlElement>();
    increase.click();
    increase.click();
    tick().await;
    assert_eq!(quantities(&root), ["4", "1", "1"], "optimistic at once");
    assert_eq!(text(&root, "cart-count"), ["6"]);
    assert!(
        all(&root, "totals")[0].class_list().contains("cw-pending"),
        "totals pending, not computed"
    );
    assert!(
        all(&root, "checkout")[0].has_attribute("disabled"),
        "no checkout while changes are pending"
    );

    // After the coalescing window the request goes out and gets no answer
    // (nothing listens on port 9): the change is kept, not rolled back, and
    // the shopper is told it will be saved when the connection is back.
    for _ in 0..50 {
        sleep(100).await;
        if !text(&root, "offline-notice")[0].is_empty() {
            break;
        }
    }
    assert!(
        text(&root, "offline-notice")[0].starts_with("You're offline"),
        "{:?}",
        text(&root, "offline-notice")
    );
    assert_eq!(quantities(&root), ["4", "1", "1"], "nothing lost");
    assert_eq!(text(&root, "line-message"), ["", "", ""]);
    assert!(
        all(&root, "checkout")[0].has_attribute("disabled"),
        "still not saved: no checkout"
    );
}

#[wasm_bindgen_test]
async fn the_widget_speaks_the_carts_buyer_language() {
    let state = offline_state();
    let mut cart = fixture_cart();
    cart.buyer_language = Some("fr".into());
    state.cart.set(Some(cart));
    let (root, _mounted) = mount_widget(state);
    tick().await;
    assert_eq!(
        root.query_selector(".cw-title")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Votre panier"
    );
    assert_eq!(text(&root, "checkout"), ["Commander"]);
    assert_eq!(
        all(&root, "increase")[0]
            .get_attribute("aria-label")
            .unwrap(),
        format!("Augmenter la quantité de {}", text(&root, "line-name")[0])
    );
    // Countries in French alphabetical order: "États-Unis" under E.
    let countries: Vec<String> = all(&root, "destination-country")[0]
        .query_selector_all("option")
        .map(|options| {
            (0..options.length())
                .filter_map(|i| options.item(i)?.text_content())
                .collect()
        })
        .unwrap();
    let position = |name: &str| countries.iter().position(|c| c == name).unwrap();
    assert!(
        position("Espagne") < position("États-Unis"),
        "{countries:?}"
    );
    assert!(
        position("États-Unis") < position("Finlande"),
        "{countries:?}"
    );
}

#[wasm_bindgen_test]
async fn the_note_counts_characters_up_to_the_limit() {
    let state = offline_state();
    let mut cart = fixture_cart();
    cart.buyer_note = Some("Leave at the door".into());
    state.cart.set(Some(cart));
    let (root, _mounted) = mount_widget(state);
    tick().await;
    let note = all(&root, "buyer-note")[0]
        .clone()
        .unchecked_into::<web_sys::HtmlTextAreaElement>();
    assert_eq!(note.value(), "Leave at the door");
    assert_eq!(note.max_length(), 1000);
    assert_eq!(text(&root, "note-counter"), ["17 / 1000"]);
}

/// Cart V2 answers carry no formatted money: the browser's `Intl` writes it,
/// in the widget's language, from the cart's currency.
#[wasm_bindgen_test]
fn cart_v2_money_is_written_by_intl_in_the_widgets_language() {
    use cart_widget::money::format;
    assert_eq!(format("22.5", Some("USD"), Some("en-US")), "$22.50");
    assert_eq!(
        format("1234.5", Some("EUR"), Some("de-DE")),
        "1.234,50\u{a0}€"
    );
    let french = format("22.5", Some("USD"), Some("fr"));
    assert!(french.starts_with("22,50"), "{french}");
    // A language tag Intl refuses falls back to the plain text, not a throw.
    assert_eq!(format("22.5", Some("USD"), Some("not a tag!")), "22.50 USD");
    let answer = Json::parse(include_str!(
        "../crates/cart-wire/fixtures/v2/get-current-cart-v2-response.json"
    ))
    .expect("fixture parses");
    let cart = cart_widget::wire::v2::cart_answer(&answer, None).expect("fixture has a cart");
    let shirt = &cart.line_items[0];
    assert_eq!(shirt.price.formatted, "$22.50");
    assert_eq!(shirt.full_price.formatted, "$30.00");
    assert_eq!(
        cart.subtotal.map(|s| s.formatted).as_deref(),
        Some("$69.50")
    );
}

/// The page's marked stylesheet link is copied into the mount element's
/// open shadow root as a plain stylesheet, and the mount point stays hidden
/// until that stylesheet shows it.
#[wasm_bindgen_test]
fn a_mount_element_gets_a_shadow_root_holding_the_widgets_stylesheet() {
    use cart_widget::shadow;
    let link = document().create_element("link").unwrap();
    for (name, value) in [
        ("rel", "preload"),
        ("as", "style"),
        ("href", "/widget-test.css"),
        ("media", "not all"),
        ("data-cart-stylesheet", ""),
    ] {
        link.set_attribute(name, value).unwrap();
    }
    document().body().unwrap().append_child(&link).unwrap();
    let element = container();
    let mount = shadow::attach(&element, shadow::stylesheet().as_ref()).expect("a div hosts one");
    link.remove();

    let root = element.shadow_root().expect("an open shadow root");
    let copy = root
        .query_selector("link")
        .unwrap()
        .expect("the stylesheet");
    assert_eq!(copy.get_attribute("rel").as_deref(), Some("stylesheet"));
    assert_eq!(
        copy.get_attribute("href").as_deref(),
        Some("/widget-test.css")
    );
    assert_eq!(copy.get_attribute("media").as_deref(), Some("all"));
    assert!(mount.hidden());
    assert_eq!(mount.class_name(), "cw-root");
    assert!(root.contains(Some(mount.as_ref())));
}

/// Without the page's link the widget shows unstyled rather than not at
/// all; an element that cannot host a shadow root gets no widget.
#[wasm_bindgen_test]
fn without_a_stylesheet_the_mount_point_shows_and_a_list_item_gets_none() {
    use cart_widget::shadow;
    let mount = shadow::attach(&container(), None).expect("a div hosts one");
    assert!(!mount.hidden());
    let item: web_sys::HtmlElement = document().create_element("li").unwrap().unchecked_into();
    assert!(shadow::attach(&item, None).is_none());
}
