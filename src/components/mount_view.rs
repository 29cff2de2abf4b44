use leptos::either::Either;
use leptos::prelude::*;

use crate::components::{CartDrawer, CartWidget};
use crate::drawer::Mode;
use crate::state::CartState;

/// What one mount element shows: the cart itself, or a cart button opening
/// it in a drawer. Either way it is the one shared cart.
#[component]
pub fn MountView(
    /// Shared cart state.
    state: CartState,
    /// How this mount element asked to show the cart (`data-mode`…).
    mode: Mode,
) -> impl IntoView {
    match mode {
        Mode::Inline => Either::Left(view! { <CartWidget state /> }),
        Mode::Drawer(settings) => Either::Right(view! { <CartDrawer state settings /> }),
    }
}
