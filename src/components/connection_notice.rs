use leptos::prelude::*;

use crate::state::CartState;

/// Says so while the server can't be reached: the shopper's changes are
/// kept (still shown, still pending) and sent again when it answers.
#[component]
pub fn ConnectionNotice(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    view! {
        <p class="cw-notice" role="status" data-testid="offline-notice">
            // Empty text, not `None`: an `Option<&str>` text links its own render code.
            {move || if state.quantities.offline.get() { state.t().offline } else { "" }}
        </p>
    }
}
