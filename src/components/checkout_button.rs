use leptos::prelude::*;

use crate::state::CartState;

/// Goes to checkout. Disabled while any change is pending, so the shopper
/// never checks out a cart the server does not have.
#[component]
pub fn CheckoutButton(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    let blocked = move || state.is_busy() || state.checkout.pending.get();
    view! {
        <button type="button" class="cw-button cw-checkout" data-testid="checkout" disabled=blocked on:click=move |_| state.checkout()>
            {move || if state.checkout.pending.get() { state.t().checking_out } else { state.t().checkout }}
        </button>
        <p class="cw-error" role="alert" data-testid="checkout-error">{move || state.checkout.error.get()}</p>
    }
}
