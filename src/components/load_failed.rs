use leptos::prelude::*;

use crate::state::CartState;

/// Why the cart could not be shown, and a way to try again.
#[component]
pub fn LoadFailed(
    /// Shared cart state; its load error is shown and retry reloads it.
    state: CartState,
) -> impl IntoView {
    let message = move || state.load_error.get().map(|error| error.to_string());
    view! {
        <div class="cw-failed" role="alert" data-testid="cart-failed">
            <p>{move || state.t().load_failed}</p>
            <p class="cw-failed-detail">{message}</p>
            <button type="button" class="cw-button" on:click=move |_| state.load()>
                {move || state.t().try_again}
            </button>
        </div>
    }
}
