use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::CartWidget;
use crate::drawer::{Drawer, Side, button_label};
use crate::host_page::{CLOSE_EVENT, CLOSED_EVENT, OPEN_EVENT, OPENED_EVENT, dispatch};
use crate::state::CartState;
use crate::wire::json::Json;

/// Whether a drawer on this page already answers the page (`cart:open`,
/// `cart:close`, opening on add). Only the first does: two modal panels
/// opened at once would stack, each hiding the other.
static PAGE_HAS_DRAWER: AtomicBool = AtomicBool::new(false);

/// Drawer mode: a cart button whose badge follows the cart, opening the one
/// cart (`CartWidget`, nothing duplicated) in a panel at the side of the
/// window. The panel is a native `<dialog>` opened with `showModal()`, so
/// the platform gives the focus trap, Esc, the backdrop and the top layer;
/// this adds focus on the heading when it opens and back on the button when
/// it closes, closing on a backdrop click, the page held still behind it,
/// and the host page's events. The slide is CSS (`style/widget.css`).
#[component]
pub fn CartDrawer(
    /// Shared cart state; the panel shows the same cart as every other view.
    state: CartState,
    /// The mount element's drawer settings (side, opening on add).
    settings: Drawer,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    // The page's own inline `overflow` on `<html>`, put back on close.
    let page_overflow = StoredValue::new(String::new());
    let open = move || {
        let Some(dialog) = dialog.get_untracked() else {
            return;
        };
        if dialog.open() || dialog.show_modal().is_err() {
            return;
        }
        if let Some(style) = root_style() {
            page_overflow.set_value(style.get_property_value("overflow").unwrap_or_default());
            let _ = style.set_property("overflow", "hidden");
        }
        // showModal focused the first control; the heading says where the shopper is.
        if let Some(heading) = dialog
            .query_selector(".cw-title")
            .ok()
            .flatten()
            .and_then(|heading| heading.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = heading.focus();
        }
        dispatch(OPENED_EVENT, &Json::Null);
    };
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    // Every way of closing ends here: Esc, the backdrop, the close button, `cart:close`.
    let closed = move |_: web_sys::Event| {
        if let Some(style) = root_style() {
            let _ = style.set_property("overflow", &page_overflow.get_value());
        }
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
        dispatch(CLOSED_EVENT, &Json::Null);
    };
    // The panel fills the dialog, so a click on the dialog itself is on its backdrop.
    let backdrop_click = move |event: leptos::ev::MouseEvent| {
        if event.target() == event.current_target() {
            close();
        }
    };
    if !PAGE_HAS_DRAWER.swap(true, Ordering::Relaxed) {
        let opening = window_event_listener_untyped(OPEN_EVENT, move |_| open());
        let closing = window_event_listener_untyped(CLOSE_EVENT, move |_| close());
        on_cleanup(move || {
            opening.remove();
            closing.remove();
            PAGE_HAS_DRAWER.store(false, Ordering::Relaxed);
        });
        if settings.open_on_add {
            Effect::new(move |seen: Option<u32>| {
                let added = state.lines.added.get();
                if seen.is_some_and(|seen| seen != added) {
                    open();
                }
                added
            });
        }
    }
    // Not a memo: the count is cheap, and a memo of it cost 0.4 KB of wasm.
    let count = move || state.shown_item_count();
    // Text as a `String`, as elsewhere: each type a reactive text has links
    // its own render code (a `u32` text cost 0.75 KB of wasm with the header's).
    let badge = move || {
        Some(count())
            .filter(|count| *count != 0)
            .map(|count| count.to_string())
    };
    let left = settings.side == Side::Left;
    view! {
        <button
            type="button"
            class="cw-cart-button"
            node_ref=button
            lang=move || state.lang().tag()
            aria-haspopup="dialog"
            aria-label=move || button_label(state.t(), count())
            data-testid="cart-button"
            on:click=move |_| open()
        >
            <svg class="cw-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                <path d="M2 3h3l2.6 11.6a1.5 1.5 0 0 0 1.5 1.2h8.6a1.5 1.5 0 0 0 1.5-1.1L21 7H6" />
                <circle cx="9.5" cy="20" r="1.3" />
                <circle cx="17.5" cy="20" r="1.3" />
            </svg>
            <span class="cw-badge" aria-hidden="true" data-testid="cart-button-count">{badge}</span>
        </button>
        <dialog
            class=if left { "cw-drawer cw-drawer-left" } else { "cw-drawer" }
            node_ref=dialog
            lang=move || state.lang().tag()
            aria-label=move || state.t().title
            data-testid="drawer"
            on:close=closed
            on:click=backdrop_click
        >
            <button
                type="button"
                class="cw-drawer-close"
                aria-label=move || state.t().close_cart
                data-testid="drawer-close"
                on:click=move |_| close()
            >
                <svg class="cw-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M6 6l12 12M18 6L6 18" />
                </svg>
            </button>
            <CartWidget state />
        </dialog>
    }
}

/// The inline style of the page's `<html>`, whose `overflow` holds the page
/// still while the panel is open. Set through CSSOM, which a strict
/// `style-src` CSP allows.
fn root_style() -> Option<web_sys::CssStyleDeclaration> {
    document()
        .document_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
        .map(|root| root.style())
}
