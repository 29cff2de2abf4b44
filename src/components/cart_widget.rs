use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::components::{
    CheckoutButton, CouponForm, EmptyCart, LineItems, LoadFailed, LoadingSkeleton, Totals,
    UndoRemoval,
};
use crate::state::{CartState, Phase};

/// The whole cart view: header with item count, then a loading skeleton, an
/// error with retry, the empty state, or the line items with the subtotal.
#[component]
pub fn CartWidget(
    /// Shared cart state; every mounted widget on the page shows the same one.
    state: CartState,
) -> impl IntoView {
    let phase = Memo::new(move |_| state.phase());
    view! {
        <section class="cw" aria-label="Shopping cart" aria-busy=move || state.is_busy().to_string()>
            <header class="cw-header">
                <h2 class="cw-title">"Your cart"</h2>
                <span class="cw-count" data-testid="cart-count">
                    {move || state.shown_item_count()}
                </span>
            </header>
            {move || match phase.get() {
                Phase::Loading => EitherOf4::A(view! { <LoadingSkeleton /> }),
                Phase::Failed => EitherOf4::B(view! { <LoadFailed state /> }),
                Phase::Empty => EitherOf4::C(view! { <EmptyCart /> }),
                Phase::Filled => EitherOf4::D(view! {
                    <LineItems state />
                    <CouponForm state />
                    <Totals state />
                    <CheckoutButton state />
                }),
            }}
            <UndoRemoval state />
            <p class="cw-error" role="alert" data-testid="action-error">
                {move || {
                    state
                        .action_error
                        .get()
                        .map(|error| format!("Your change could not be saved: {error}"))
                }}
            </p>
        </section>
    }
}
