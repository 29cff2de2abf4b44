use leptos::prelude::*;

/// What an empty cart shows.
#[component]
pub fn EmptyCart() -> impl IntoView {
    view! {
        <div class="cw-empty" data-testid="empty-cart">
            <p class="cw-empty-title">"Your cart is empty"</p>
            <p class="cw-empty-hint">"Items you add will appear here."</p>
        </div>
    }
}
