use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::components::{
    BuyerNote, CheckoutButton, ConnectionNotice, CouponForm, DestinationPicker, EmptyCart,
    LineItems, LoadFailed, LoadingSkeleton, ShippingOptions, Totals, UndoRemoval,
};
use crate::i18n::fill;
use crate::state::{CartState, Phase};

/// The whole cart view: header with item count, then a loading skeleton, an
/// error with retry, the empty state, or the line items, coupon, estimate,
/// note and checkout. Speaks the language of `state.lang()`.
#[component]
pub fn CartWidget(
    /// Shared cart state; every mounted widget on the page shows the same one.
    state: CartState,
) -> impl IntoView {
    let phase = Memo::new(move |_| state.phase());
    view! {
        <section class="cw" lang=move || state.lang().tag() aria-label=move || state.t().cart_label aria-busy=move || if state.is_busy() { "true" } else { "false" }>
            <header class="cw-header">
                // Focusable for the drawer, which moves focus here when it opens.
                <h2 class="cw-title" tabindex="-1">{move || state.t().title}</h2>
                <span class="cw-count" data-testid="cart-count">
                    // A `String`, not a `u32`: see the drawer's badge.
                    {move || state.shown_item_count().to_string()}
                </span>
            </header>
            {move || match phase.get() {
                Phase::Loading => EitherOf4::A(view! { <LoadingSkeleton state /> }),
                Phase::Failed => EitherOf4::B(view! { <LoadFailed state /> }),
                Phase::Empty => EitherOf4::C(view! { <EmptyCart state /> }),
                Phase::Filled => EitherOf4::D(view! {
                    <LineItems state />
                    <CouponForm state />
                    <DestinationPicker state />
                    <ShippingOptions state />
                    <Totals state />
                    <BuyerNote state />
                    <CheckoutButton state />
                }),
            }}
            <ConnectionNotice state />
            <UndoRemoval state />
            <p class="cw-error" role="alert" data-testid="action-error">
                {move || {
                    state
                        .action_error
                        .get()
                        .map(|error| fill(state.t().change_not_saved, &[&error.to_string()]))
                }}
            </p>
        </section>
    }
}
