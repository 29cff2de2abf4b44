use leptos::prelude::*;

use crate::wire::answers::{Estimate, Price};

use crate::state::CartState;

/// Subtotal, discount, shipping, tax and total, as the server estimated
/// them. While the cart has moved on since the estimate (changes pending),
/// the figures are marked as updating; they are never computed here.
/// Changes to the total are announced politely.
#[component]
pub fn Totals(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    let current = move || state.estimate_is_current();
    let summary = move |pick: fn(&Estimate) -> &Price| {
        state.totals.estimate.with(|estimate| {
            estimate
                .as_ref()
                .map(|estimate| pick(estimate).formatted.clone())
        })
    };
    // Before the first estimate, the cart's own subtotal (from the server).
    let subtotal = move || {
        summary(|s| &s.subtotal).or_else(|| {
            state.cart.with(|cart| {
                cart.as_ref()?
                    .subtotal
                    .as_ref()
                    .map(|s| s.formatted.clone())
            })
        })
    };
    let has_discount = move || {
        state
            .totals
            .estimate
            .with(|e| e.as_ref().is_some_and(|e| e.discount.is_positive()))
    };
    let problems = move || {
        state.totals.estimate.with(|estimate| {
            let problems = &estimate.as_ref()?.problems;
            (!problems.is_empty()).then(|| problems.join(" "))
        })
    };
    view! {
        <dl class="cw-totals" class:cw-pending=move || !current() aria-busy=move || if current() { "false" } else { "true" } data-testid="totals">
            <div class="cw-total-row">
                <dt>{move || state.t().subtotal}</dt>
                <dd data-testid="cart-subtotal">{subtotal}</dd>
            </div>
            // An `Option` view, not `<Show>`: Show's children are type-erased
            // views, whose machinery cost 1.3 KB of wasm (docs/wasm-size.md).
            {move || has_discount().then(|| view! {
                <div class="cw-total-row">
                    <dt>{move || state.t().discount}</dt>
                    <dd data-testid="total-discount">{move || summary(|s| &s.discount).map(|d| "−".to_owned() + &d)}</dd>
                </div>
            })}
            <div class="cw-total-row">
                <dt>{move || state.t().shipping}</dt>
                <dd data-testid="total-shipping">{move || summary(|s| &s.shipping)}</dd>
            </div>
            <div class="cw-total-row">
                <dt>{move || state.t().tax}</dt>
                <dd data-testid="total-tax">{move || summary(|s| &s.tax)}</dd>
            </div>
            <div class="cw-total-row cw-grand-total">
                <dt>{move || state.t().total}</dt>
                <dd data-testid="total" aria-live="polite">{move || summary(|s| &s.total)}</dd>
            </div>
        </dl>
        <p class="cw-problems" role="alert" data-testid="total-problems">{problems}</p>
    }
}
