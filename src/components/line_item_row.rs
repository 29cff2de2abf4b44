use cart_wire::safe_http_url;
use leptos::prelude::*;

use crate::components::QuantityStepper;
use crate::i18n::fill;
use crate::messages::availability_text;
use crate::quantity::max_quantity;
use crate::state::{CartState, LineMessage};
use crate::wire::answers::{ItemOption, LineItem};

/// One line of the cart: image, name, options, unit price (with the
/// pre-discount price struck through), availability, quantity stepper and
/// line total. The row stays in place while its line changes, so focus and
/// typing survive updates. All API text is rendered as text; the image only
/// when its URL is http(s).
#[component]
pub fn LineItemRow(
    /// Shared cart state.
    state: CartState,
    /// Which line of the cart this row shows.
    line_id: String,
) -> impl IntoView {
    let id = StoredValue::new(line_id.clone());
    let item = Memo::new(move |_| {
        state.cart.with(|cart| {
            id.with_value(|id| {
                cart.as_ref()?
                    .line_items
                    .iter()
                    .find(|line| line.id.as_deref() == Some(id))
                    .cloned()
            })
        })
    });
    let read = move |f: fn(&LineItem) -> String| {
        item.with(|item| item.as_ref().map(f).unwrap_or_default())
    };
    let name = move || read(|item| item.name.clone());
    let server_quantity = move || item.with(|item| item.as_ref().map_or(1, |i| i.quantity));
    let max =
        move || item.with(|item| max_quantity(item.as_ref().and_then(|i| i.quantity_available)));
    let pending =
        move || id.with_value(|id| state.quantities.queue.with(|queue| queue.is_pending(id)));
    let image = move || {
        item.with(|item| {
            let item = item.as_ref()?;
            let image = item.image.as_ref()?;
            let url = safe_http_url(&image.url)?.to_owned();
            let alt = image.alt_text.clone().unwrap_or_else(|| item.name.clone());
            Some(view! { <img class="cw-line-image" src=url alt=alt width="64" height="64" loading="lazy" /> })
        })
    };
    let options = move || {
        item.with(|item| {
            item.as_ref()
                .map(|item| item.options.iter().map(option_view).collect_view())
        })
    };
    let full_price = move || {
        item.with(|item| {
            let item = item.as_ref()?;
            item.full_price.exceeds(&item.price).then(|| {
                let text = item.full_price.formatted.clone();
                view! { <s class="cw-line-full-price" data-testid="line-full-price">{text}</s> }
            })
        })
    };
    let message = move || {
        id.with_value(|id| {
            state
                .lines
                .messages
                .with(|messages| messages.get(id).cloned())
        })
        .and_then(|message| match message {
            LineMessage::Clamped { available } => {
                Some(fill(state.t().clamped, &[&available.to_string()]))
            }
            // The reconciling fetch showed the change was made after all.
            LineMessage::NotSaved {
                asked: Some(asked), ..
            } if asked == server_quantity() => None,
            LineMessage::NotSaved { reason, .. } => {
                Some(fill(state.t().line_not_saved, &[&reason]))
            }
        })
    };
    view! {
        <li class="cw-line" data-testid="line-item" data-line-id=line_id>
            <div class="cw-line-media">{image}</div>
            <div class="cw-line-body">
                <p class="cw-line-name" data-testid="line-name">{name}</p>
                <ul class="cw-line-options">{options}</ul>
                <p class="cw-line-unit">
                    <span data-testid="line-unit-price">{move || read(|item| item.price.formatted.clone())}</span>
                    " "
                    {full_price}
                </p>
                <p class="cw-line-availability" data-testid="line-availability">{move || item.with(|item| item.as_ref().and_then(|item| availability_text(state.t(), item)))}</p>
                <div class="cw-line-actions">
                    <QuantityStepper state line_id=line_id.clone() server_quantity max name />
                    <button
                        type="button"
                        class="cw-remove"
                        data-testid="remove"
                        aria-label=move || fill(state.t().remove_item, &[&name()])
                        on:click=move |event| {
                            focus_after_removal(&event);
                            id.with_value(|id| state.remove_line(id));
                        }
                    >
                        {move || state.t().remove}
                    </button>
                </div>
                <p class="cw-line-message" role="alert" data-testid="line-message">{message}</p>
            </div>
            <p class="cw-line-total" class:cw-pending=pending data-testid="line-total">
                {move || read(|item| item.line_item_price.formatted.clone())}
            </p>
        </li>
    }
}

/// Where focus goes once a row is removed: the next row's Remove button,
/// else the previous row's, else the empty cart's heading.
///
/// A neighbour's button is focused at once, before the row goes, so focus
/// never falls back to the page's `<body>` in between (a screen reader would
/// announce that, and a check of focus right after the row went could see
/// it). The empty cart's heading does not exist yet: it is focused on the
/// next frame, once the empty cart has rendered.
fn focus_after_removal(event: &web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    let button: Option<web_sys::Element> = event.target().and_then(|t| t.dyn_into().ok());
    let row = button
        .as_ref()
        .and_then(|b| b.closest("[data-testid=line-item]").ok().flatten());
    let neighbour = row
        .and_then(|row| {
            row.next_element_sibling()
                .or_else(|| row.previous_element_sibling())
        })
        .and_then(|row| row.query_selector("[data-testid=remove]").ok().flatten());
    if let Some(target) = neighbour {
        focus(target);
        return;
    }
    let widget = button.and_then(|b| b.closest(".cw").ok().flatten());
    request_animation_frame(move || {
        if let Some(title) =
            widget.and_then(|w| w.query_selector("[data-testid=empty-title]").ok().flatten())
        {
            focus(title);
        }
    });
}

fn focus(element: web_sys::Element) {
    use wasm_bindgen::JsCast;
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

/// "Color: Navy" (with a swatch when the API gives a colour code) or "Size: M".
fn option_view(option: &ItemOption) -> impl IntoView + use<> {
    let swatch = option
        .color_code
        .clone()
        .filter(|code| is_hex_color(code))
        .map(|code| view! { <span class="cw-swatch" style:background-color=code aria-hidden="true"></span> });
    let text = [option.name.as_str(), ": ", &option.value].concat();
    view! { <li data-testid="line-option">{swatch}{text}</li> }
}

/// Only `#rgb`/`#rrggbb` colour codes from the API reach the swatch's style
/// (set through CSSOM, so a strict `style-src` CSP allows it). The same
/// test as `cart_wire::is_hex_color`, kept here because calling that one
/// measured 99 bytes more brotli (`docs/wasm-size.md`).
fn is_hex_color(code: &str) -> bool {
    code.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}
