use leptos::prelude::*;

use crate::state::CartState;

/// Placeholder rows shown until the cart answers.
#[component]
pub fn LoadingSkeleton(
    /// Shared cart state (for the language).
    state: CartState,
) -> impl IntoView {
    view! {
        <div class="cw-skeleton" data-testid="cart-loading" role="status" aria-label=move || state.t().loading>
            <div class="cw-skeleton-row"></div>
            <div class="cw-skeleton-row"></div>
        </div>
    }
}
