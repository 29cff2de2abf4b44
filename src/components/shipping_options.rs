use leptos::prelude::*;

use crate::components::unique_id;
use crate::state::CartState;
use crate::wire::answers::ShippingOffer;

/// The shipping options the estimate offers for the destination, as
/// radio buttons; choosing one saves it on the cart and re-estimates.
/// Titles, delivery times and prices are the API's, shown as text.
#[component]
pub fn ShippingOptions(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    // Radio groups need a name unique on the page (the widget may be mounted twice).
    let group = "cw-shipping-".to_owned() + &unique_id().to_string();
    let options = move || {
        state.totals.estimate.with(|estimate| {
            let Some(estimate) = estimate.as_ref() else {
                return Vec::new();
            };
            estimate
                .shipping_offers
                .iter()
                .map(|offer| ShippingChoice {
                    chosen: estimate.selected_shipping.as_deref() == Some(offer.code.as_str()),
                    detail: match &offer.delivery_time {
                        Some(time) => [offer.price.as_str(), " · ", time].concat(),
                        None => offer.price.clone(),
                    },
                    offer: offer.clone(),
                })
                .collect()
        })
    };
    view! {
        // An `Option` view, not `<Show>` (see `Totals`).
        {move || (!options().is_empty()).then(|| view! {
            <fieldset class="cw-shipping" data-testid="shipping-options">
                <legend>{move || state.t().shipping_method}</legend>
                {
                    let group = group.clone();
                    move || {
                        options()
                            .into_iter()
                            .map(|choice| {
                                let offer = choice.offer.clone();
                                view! {
                                    <label class="cw-shipping-option" data-testid="shipping-option">
                                        <input
                                            type="radio"
                                            name=group.clone()
                                            value=choice.offer.code.clone()
                                            checked=choice.chosen
                                            on:change=move |_| state.choose_shipping(&offer)
                                        />
                                        <span class="cw-shipping-title">{choice.offer.title}</span>
                                        <span class="cw-shipping-detail">{choice.detail}</span>
                                    </label>
                                }
                            })
                            .collect_view()
                    }
                }
            </fieldset>
        })}
    }
}

/// One option, ready to show.
#[derive(Clone, Debug, PartialEq)]
struct ShippingChoice {
    chosen: bool,
    /// Price and delivery time.
    detail: String,
    offer: ShippingOffer,
}
