use cart_wire::SelectedShippingOption;
use leptos::prelude::*;

use crate::components::unique_id;
use crate::state::CartState;

/// The shipping options the estimate offers for the destination, as
/// radio buttons; choosing one saves it on the cart and re-estimates.
/// Titles, delivery times and prices are the API's, shown as text.
#[component]
pub fn ShippingOptions(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    // Radio groups need a name unique on the page (the widget may be mounted twice).
    let group = format!("cw-shipping-{}", unique_id());
    let options = move || {
        state.estimate.with(|estimate| {
            let Some(estimate) = estimate.as_ref() else {
                return Vec::new();
            };
            let info = &estimate.shipping_info;
            let chosen = info
                .selected_carrier_service_option
                .as_ref()
                .map(|option| option.code.clone());
            info.carrier_service_options
                .iter()
                .flat_map(|carrier| {
                    carrier.shipping_options.iter().map(|option| {
                        let detail = [
                            Some(option.cost.price.formatted_amount.clone()),
                            option.logistics.delivery_time.clone(),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                        ShippingChoice {
                            chosen: chosen.as_deref() == Some(option.code.as_str()),
                            title: option.title.clone(),
                            detail,
                            option: SelectedShippingOption {
                                code: option.code.clone(),
                                carrier_id: Some(carrier.carrier_id.clone())
                                    .filter(|id| !id.is_empty()),
                            },
                        }
                    })
                })
                .collect()
        })
    };
    view! {
        <Show when=move || !options().is_empty()>
            <fieldset class="cw-shipping" data-testid="shipping-options">
                <legend>{move || state.t().shipping_method}</legend>
                {
                    let group = group.clone();
                    move || {
                        options()
                            .into_iter()
                            .map(|choice| {
                                let option = choice.option.clone();
                                view! {
                                    <label class="cw-shipping-option" data-testid="shipping-option">
                                        <input
                                            type="radio"
                                            name=group.clone()
                                            value=choice.option.code.clone()
                                            checked=choice.chosen
                                            on:change=move |_| state.choose_shipping(option.clone())
                                        />
                                        <span class="cw-shipping-title">{choice.title}</span>
                                        <span class="cw-shipping-detail">{choice.detail}</span>
                                    </label>
                                }
                            })
                            .collect_view()
                    }
                }
            </fieldset>
        </Show>
    }
}

/// One option, ready to show.
#[derive(Clone, Debug, PartialEq)]
struct ShippingChoice {
    chosen: bool,
    title: String,
    /// Price and delivery time.
    detail: String,
    option: SelectedShippingOption,
}
