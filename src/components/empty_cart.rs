use leptos::prelude::*;

/// What an empty cart shows.
#[component]
pub fn EmptyCart() -> impl IntoView {
    view! {
        <div class="cw-empty" data-testid="empty-cart">
            // Focus lands here when the last line is removed.
            <h3 class="cw-empty-title" tabindex="-1" data-testid="empty-title">
                "Your cart is empty"
            </h3>
            <p class="cw-empty-hint">"Items you add will appear here."</p>
        </div>
    }
}
