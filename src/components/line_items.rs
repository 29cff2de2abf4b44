use leptos::prelude::*;

use crate::components::LineItemRow;
use crate::state::CartState;

/// The line items and the subtotal. Rows are keyed by line id, so a
/// quantity change updates a row in place instead of replacing it.
#[component]
pub fn LineItems(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    let line_ids = Memo::new(move |_| state.visible_line_ids());
    let subtotal = move || {
        state.cart.with(|cart| {
            cart.as_ref()
                .and_then(|cart| cart.subtotal.as_ref())
                .map(|subtotal| subtotal.formatted_amount.clone())
        })
    };
    let busy = move || state.is_busy();
    view! {
        <ul class="cw-lines" data-testid="line-items">
            <For each=move || line_ids.get() key=|id| id.clone() let:line_id>
                <LineItemRow state line_id />
            </For>
        </ul>
        <p class="cw-subtotal" aria-busy=move || busy().to_string()>
            <span>"Subtotal"</span>
            <span data-testid="cart-subtotal" class:cw-pending=busy>{subtotal}</span>
        </p>
    }
}
