use leptos::prelude::*;

use crate::i18n::fill;
use crate::quantity::parse_quantity;
use crate::state::CartState;

/// −/+ buttons around a quantity the shopper can also type. Every change is
/// an absolute quantity handed to the pending-change queue, so it shows at
/// once; what the shopper is typing is never overwritten by an update.
#[component]
pub fn QuantityStepper(
    /// Shared cart state.
    state: CartState,
    /// The line whose quantity this sets.
    line_id: String,
    /// The line's quantity on the server.
    #[prop(into)]
    server_quantity: Signal<u32>,
    /// The most the shopper may ask for (stock, else the API's limit).
    #[prop(into)]
    max: Signal<u32>,
    /// The product's name, for the controls' labels.
    #[prop(into)]
    name: Signal<String>,
) -> impl IntoView {
    let id = StoredValue::new(line_id);
    let shown = move || id.with_value(|id| state.shown_quantity(id, server_quantity.get()));
    // Text being typed, until committed with Enter or by leaving the field.
    let draft = RwSignal::new(None::<String>);
    let set = move |quantity: u32| {
        if quantity != shown() {
            id.with_value(|id| state.set_quantity(id, quantity));
        }
    };
    let commit = move |text: String| {
        if let Some(quantity) = parse_quantity(&text, max.get_untracked()) {
            set(quantity);
        }
        draft.set(None);
    };
    // Comparisons stay outside `view!`, where `>` would end the tag.
    let at_min = move || shown() <= 1;
    let at_max = move || shown() >= max.get();
    view! {
        <div class="cw-stepper" role="group" aria-label=move || fill(state.t().quantity_of, &[&name.get()])>
            <button
                type="button"
                class="cw-step"
                data-testid="decrease"
                aria-label=move || fill(state.t().decrease, &[&name.get()])
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
                aria-label=move || fill(state.t().quantity_of, &[&name.get()])
                prop:value=move || draft.get().unwrap_or_else(|| shown().to_string())
                on:input:target=move |event| draft.set(Some(event.target().value()))
                on:change:target=move |event| commit(event.target().value())
                on:blur=move |_| draft.set(None)
            />
            <button
                type="button"
                class="cw-step"
                data-testid="increase"
                aria-label=move || fill(state.t().increase, &[&name.get()])
                disabled=at_max
                on:click=move |_| set((shown() + 1).min(max.get_untracked()))
            >
                "+"
            </button>
        </div>
    }
}
