use cart_wire::LineItem;
use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::components::{EmptyCart, LineItemRow};
use crate::state::{CartState, Phase};

/// The whole cart view: header with item count, then a loading skeleton, an
/// error with retry, the empty state, or the line items with the subtotal.
#[component]
pub fn CartWidget(
    /// Shared cart state; every mounted widget on the page shows the same one.
    state: CartState,
) -> impl IntoView {
    let phase = Memo::new(move |_| state.phase());
    let item_count = move || {
        state
            .cart
            .read()
            .as_ref()
            .map_or(0, |cart| cart.item_count())
    };
    view! {
        <section class="cw" aria-label="Shopping cart" aria-busy=move || (state.pending.get() > 0).to_string()>
            <header class="cw-header">
                <h2 class="cw-title">"Your cart"</h2>
                <span class="cw-count" data-testid="cart-count">
                    {item_count}
                </span>
            </header>
            {move || match phase.get() {
                Phase::Loading => EitherOf4::A(view! { <LoadingSkeleton /> }),
                Phase::Failed => EitherOf4::B(view! { <LoadFailed state /> }),
                Phase::Empty => EitherOf4::C(view! { <EmptyCart /> }),
                Phase::Filled => EitherOf4::D(view! { <LineItems state /> }),
            }}
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

/// Placeholder rows shown until the cart answers.
#[component]
fn LoadingSkeleton() -> impl IntoView {
    view! {
        <div class="cw-skeleton" data-testid="cart-loading" aria-label="Loading your cart">
            <div class="cw-skeleton-row"></div>
            <div class="cw-skeleton-row"></div>
        </div>
    }
}

/// Why the cart could not be shown, and a way to try again.
#[component]
fn LoadFailed(state: CartState) -> impl IntoView {
    let message = move || state.load_error.get().map(|error| error.to_string());
    view! {
        <div class="cw-failed" role="alert" data-testid="cart-failed">
            <p>"We couldn't load your cart."</p>
            <p class="cw-failed-detail">{message}</p>
            <button type="button" class="cw-button" on:click=move |_| state.load()>
                "Try again"
            </button>
        </div>
    }
}

/// The line items and the subtotal.
#[component]
fn LineItems(state: CartState) -> impl IntoView {
    let lines = Memo::new(move |_| {
        state
            .cart
            .read()
            .as_ref()
            .map(|cart| cart.line_items.clone())
            .unwrap_or_default()
    });
    let subtotal = move || {
        state
            .cart
            .read()
            .as_ref()
            .and_then(|cart| cart.subtotal.as_ref())
            .map(|subtotal| subtotal.formatted_amount.clone())
    };
    view! {
        <ul class="cw-lines" data-testid="line-items">
            <For each=move || lines.get() key=row_key let:item>
                <LineItemRow item />
            </For>
        </ul>
        <p class="cw-subtotal">
            <span>"Subtotal"</span>
            <span data-testid="cart-subtotal">{subtotal}</span>
        </p>
    }
}

/// A row is rebuilt when anything it shows changes.
fn row_key(item: &LineItem) -> (Option<String>, u32, String) {
    (
        item.id.clone(),
        item.quantity,
        item.line_item_price.amount.clone(),
    )
}
