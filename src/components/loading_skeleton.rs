use leptos::prelude::*;

/// Placeholder rows shown until the cart answers.
#[component]
pub fn LoadingSkeleton() -> impl IntoView {
    view! {
        <div class="cw-skeleton" data-testid="cart-loading" role="status" aria-label="Loading your cart">
            <div class="cw-skeleton-row"></div>
            <div class="cw-skeleton-row"></div>
        </div>
    }
}
