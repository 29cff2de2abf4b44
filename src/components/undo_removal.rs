use leptos::prelude::*;

use crate::i18n::fill;
use crate::state::CartState;

/// "Removed X. Undo" after a removal, for a few seconds; Undo puts the same
/// item and quantity back.
#[component]
pub fn UndoRemoval(
    /// Shared cart state; its last removal is offered for undo.
    state: CartState,
) -> impl IntoView {
    view! {
        <div class="cw-undo" role="status" data-testid="undo">
            {move || {
                state.lines.undo.get().map(|removed| {
                    view! {
                        <span>{fill(state.t().removed, &[&removed.name])}</span>
                        " "
                        <button
                            type="button"
                            class="cw-link"
                            data-testid="undo-button"
                            on:click=move |_| state.undo_remove()
                        >
                            {state.t().undo}
                        </button>
                    }
                })
            }}
        </div>
    }
}
