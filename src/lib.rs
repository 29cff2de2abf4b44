//! The cart widget: a Leptos client-side app that shows and edits the
//! visitor's current cart through the Wix eCommerce Current Cart API.
//!
//! `mount_all()` mounts it into every `[data-cart-widget]` element of the
//! page, each in a shadow root of its own (`shadow`).

pub mod api;
pub mod browser_sync;
pub mod components;
pub mod config;
pub mod destination;
pub mod drawer;
pub mod error;
pub mod host_page;
pub mod i18n;
pub mod line_map;
pub mod messages;
pub mod money;
pub mod pending;
pub mod prefetch;
pub mod quantity;
pub mod shadow;
pub mod snapshot;
pub mod state;
pub mod tokens;
pub mod wire;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::MountView;
use crate::config::WidgetConfig;
use crate::drawer::Mode;
use crate::state::{CartState, Listeners};

/// Talc instead of std's dlmalloc for everything the widget allocates: the
/// same kind of allocator (boundary tags, binned free lists) in fewer bytes of
/// wasm (−0.3 KB brotli, `docs/wasm-size.md`; the part of dlmalloc std kept
/// for its own thread handle went with that handle,
/// `crates/send-wrapper-stub`). `new_wasm_dynamic_allocator` is for
/// single-threaded wasm only, which this module is (it will not build for
/// wasm with threads).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// CSS selector of the elements the widget mounts into.
pub const MOUNT_SELECTOR: &str = "[data-cart-widget]";

/// Mounts the widget into every `[data-cart-widget]` element, inside a shadow
/// root with the widget's stylesheet. All of them show one shared cart,
/// configured by the first element's data attributes; each shows it inline or
/// in a drawer as its own `data-mode` says.
pub fn mount_all() {
    let Ok(nodes) = document().query_selector_all(MOUNT_SELECTOR) else {
        return;
    };
    let elements: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    let Some(first) = elements.first() else {
        return;
    };
    let listeners = Listeners {
        on_error: host_page::report_error,
        on_local_change: browser_sync::tell_other_tabs,
    };
    let state = CartState::new(WidgetConfig::from_element(first), listeners);
    let stylesheet = shadow::stylesheet();
    let mut mounted = false;
    for element in &elements {
        let mode = Mode::of(element);
        if let Some(mount) = shadow::attach(element, stylesheet.as_ref()) {
            leptos::mount::mount_to(mount, move || view! { <MountView state mode /> }).forget();
            mounted = true;
        }
    }
    if !mounted {
        // Nothing to show, and no executor for what follows (see below).
        return;
    }
    // Only after mounting: `mount_to` sets up the async executor these use.
    host_page::connect(state);
    browser_sync::connect(state);
    state.load();
}
