use leptos::prelude::*;

use crate::state::CartState;

/// What an empty cart shows.
#[component]
pub fn EmptyCart(
    /// Shared cart state (for the language).
    state: CartState,
) -> impl IntoView {
    view! {
        <div class="cw-empty" data-testid="empty-cart">
            // Focus lands here when the last line is removed.
            <h3 class="cw-empty-title" tabindex="-1" data-testid="empty-title">
                {move || state.t().empty_title}
            </h3>
            <p class="cw-empty-hint">{move || state.t().empty_hint}</p>
        </div>
    }
}
