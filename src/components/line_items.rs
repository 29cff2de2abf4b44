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
    view! {
        <ul class="cw-lines" data-testid="line-items">
            // No memo of the ids: `For` compares keys anyway, and each memo's
            // value type links its own copy of the memo's code (docs/wasm-size.md).
            <For each=move || state.visible_line_ids() key=|id| id.clone() let:line_id>
                <LineItemRow state line_id />
            </For>
        </ul>
    }
}
