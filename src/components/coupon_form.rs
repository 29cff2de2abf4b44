use leptos::prelude::*;

use crate::i18n::fill;
use crate::state::CartState;

/// Apply a coupon code, see it applied, remove it. A refused code is
/// explained in words next to the field.
#[component]
pub fn CouponForm(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let applied = Memo::new(move |_| state.cart.with(|cart| cart.as_ref()?.coupon_code.clone()));
    // Once a code is applied it shows above; the field is free for another.
    Effect::new(move || {
        if applied.get().is_some() {
            code.set(String::new());
        }
    });
    let applied = move || applied.get();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = code.get_untracked().trim().to_owned();
        if !typed.is_empty() {
            state.apply_coupon(typed);
        }
    };
    view! {
        <div class="cw-coupon">
            {move || {
                applied()
                    .map(|applied| {
                        view! {
                            <p class="cw-coupon-applied" data-testid="coupon-applied">
                                <span>{fill(state.t().code_applied, &[&applied])}</span>
                                " "
                                <button
                                    type="button"
                                    class="cw-link"
                                    data-testid="coupon-remove"
                                    aria-label=fill(state.t().remove_code, &[&applied])
                                    disabled=move || state.coupon.pending.get()
                                    on:click=move |_| state.remove_coupon()
                                >
                                    {state.t().remove}
                                </button>
                            </p>
                        }
                    })
            }}
            <form class="cw-coupon-form" on:submit=submit>
                <label class="cw-coupon-label">
                    <span>{move || state.t().discount_code}</span>
                    <input
                        type="text"
                        class="cw-coupon-input"
                        data-testid="coupon-input"
                        autocomplete="off"
                        maxlength="100"
                        prop:value=move || code.get()
                        on:input:target=move |event| code.set(event.target().value())
                    />
                </label>
                <button type="submit" class="cw-button cw-button-quiet" data-testid="coupon-apply" disabled=move || state.coupon.pending.get()>
                    {move || state.t().apply}
                </button>
            </form>
            <p class="cw-error" role="alert" data-testid="coupon-error">{move || state.coupon.error.get()}</p>
        </div>
    }
}
