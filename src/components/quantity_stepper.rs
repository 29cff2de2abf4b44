use leptos::prelude::*;

use crate::i18n::fill;
use crate::quantity::parse_quantity;
use crate::state::CartState;

/// −/+ buttons around a quantity the shopper can also type. Every change is
/// an absolute quantity handed to the pending-change queue, so it shows at
/// once; what the shopper is typing is never overwritten by an update.
///
/// The row's values come in as closures, not `Signal`s: a `Signal` of each
/// value type links its own copy of `Signal`'s dispatch, 1.4 KB of wasm for
/// these three (docs/wasm-size.md), and a closure reads the row's memo the
/// same way.
#[component]
pub fn QuantityStepper(
    /// Shared cart state.
    state: CartState,
    /// The line whose quantity this sets.
    line_id: String,
    /// The line's quantity on the server.
    server_quantity: impl Fn() -> u32 + Copy + Send + Sync + 'static,
    /// The most the shopper may ask for (stock, else the API's limit).
    max: impl Fn() -> u32 + Copy + Send + Sync + 'static,
    /// The product's name, for the controls' labels.
    name: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = StoredValue::new(line_id);
    let shown = move || id.with_value(|id| state.shown_quantity(id, server_quantity()));
    // Text being typed, until committed with Enter or by leaving the field.
    let draft = RwSignal::new(None::<String>);
    let set = move |quantity: u32| {
        if quantity != shown() {
            id.with_value(|id| state.set_quantity(id, quantity));
        }
    };
    let commit = move |text: String| {
        if let Some(quantity) = parse_quantity(&text, untrack(max)) {
            set(quantity);
        }
        draft.set(None);
    };
    // Comparisons stay outside `view!`, where `>` would end the tag.
    let at_min = move || shown() <= 1;
    let at_max = move || shown() >= max();
    view! {
        <div class="cw-stepper" role="group" aria-label=move || fill(state.t().quantity_of, &[&name()])>
            <button
                type="button"
                class="cw-step"
                data-testid="decrease"
                aria-label=move || fill(state.t().decrease, &[&name()])
                disabled=at_min
                on:click=move |_| set(shown().saturating_sub(1).max(1))
            >
                "−"
            </button>
            <input
                type="text"
                inputmode="numeric"
                autocomplete="off"
                class="cw-quantity"
                data-testid="line-quantity"
                aria-label=move || fill(state.t().quantity_of, &[&name()])
                prop:value=move || draft.get().unwrap_or_else(|| shown().to_string())
                on:input:target=move |event| draft.set(Some(event.target().value()))
                on:change:target=move |event| commit(event.target().value())
                on:blur=move |_| draft.set(None)
            />
            <button
                type="button"
                class="cw-step"
                data-testid="increase"
                aria-label=move || fill(state.t().increase, &[&name()])
                disabled=at_max
                on:click=move |_| set((shown() + 1).min(untrack(max)))
            >
                "+"
            </button>
        </div>
    }
}
