use leptos::prelude::*;

use crate::components::LineItemRow;
use crate::state::CartState;

/// The line items. Rows are keyed by line id, so a
/// quantity change updates a row in place instead of replacing it.
#[component]
pub fn LineItems(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    let line_ids = Memo::new(move |_| state.visible_line_ids());
    view! {
        <ul class="cw-lines" data-testid="line-items">
            <For each=move || line_ids.get() key=|id| id.clone() let:line_id>
                <LineItemRow state line_id />
            </For>
        </ul>
    }
}
