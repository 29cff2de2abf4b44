use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::destination::{COUNTRIES, Destination};
use crate::state::CartState;

/// Country, region and postal code the totals are estimated for. A new
/// country applies at once; region and postal code with Update (so typing
/// does not send a request per key).
#[component]
pub fn DestinationPicker(
    /// Shared cart state; its destination is shown and set here.
    state: CartState,
) -> impl IntoView {
    let region = RwSignal::new(state.totals.destination.get_untracked().region);
    let postal_code = RwSignal::new(state.totals.destination.get_untracked().postal_code);
    let choose_country = move |country: String| {
        let same = state
            .totals
            .destination
            .with_untracked(|d| d.country == country);
        if !same {
            // A region of the old country means nothing in the new one.
            region.set(String::new());
            state.set_destination(Destination {
                country,
                region: String::new(),
                postal_code: postal_code.get_untracked(),
            });
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        state.set_destination(Destination {
            country: state
                .totals
                .destination
                .with_untracked(|d| d.country.clone()),
            region: region.get_untracked(),
            postal_code: postal_code.get_untracked(),
        });
    };
    let options = move || {
        let lang = state.lang();
        let selected = state.totals.destination.with(|d| d.country.clone());
        let names = country_names(lang.tag());
        let countries = sorted_by_name(
            lang.tag(),
            COUNTRIES
                .iter()
                .map(|code| (country_name(&names, code), *code))
                .collect(),
        );
        let placeholder = selected.is_empty().then(|| {
            view! { <option value="" selected=true>{state.t().choose_country}</option> }
        });
        view! {
            {placeholder}
            {countries
                .into_iter()
                .map(|(name, code)| view! { <option value=code selected=selected == code>{name}</option> })
                .collect_view()}
        }
    };
    view! {
        <form class="cw-destination" data-testid="destination" on:submit=submit>
            <fieldset>
                <legend>{move || state.t().estimate_for}</legend>
                <label class="cw-field">
                    <span>{move || state.t().country}</span>
                    <select data-testid="destination-country" autocomplete="country" on:change:target=move |event| choose_country(event.target().value())>
                        {options}
                    </select>
                </label>
                <label class="cw-field">
                    <span>{move || state.t().region}</span>
                    <input
                        type="text"
                        data-testid="destination-region"
                        autocomplete="address-level1"
                        maxlength="50"
                        prop:value=move || region.get()
                        on:input:target=move |event| region.set(event.target().value())
                    />
                </label>
                <label class="cw-field">
                    <span>{move || state.t().postal_code}</span>
                    <input
                        type="text"
                        data-testid="destination-postal"
                        autocomplete="postal-code"
                        maxlength="20"
                        prop:value=move || postal_code.get()
                        on:input:target=move |event| postal_code.set(event.target().value())
                    />
                </label>
                <button type="submit" class="cw-button cw-button-quiet" data-testid="destination-update">
                    {move || state.t().update}
                </button>
            </fieldset>
        </form>
    }
}

/// The browser's names of countries in `lang` (`Intl.DisplayNames`), made
/// once for the whole list: each one made costs about a millisecond.
fn country_names(lang: &str) -> js_sys::Intl::DisplayNames {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"type".into(), &"region".into());
    js_sys::Intl::DisplayNames::new(&js_sys::Array::of1(&JsValue::from_str(lang)), &options)
}

/// A country's name from `names`, else its code.
fn country_name(names: &js_sys::Intl::DisplayNames, code: &str) -> String {
    names
        .of(code)
        .map(String::from)
        .unwrap_or_else(|| code.to_owned())
}

/// `(name, code)` pairs in the language's alphabetical order of names
/// (`Intl.Collator`: in French "États-Unis" files under E, not after Z).
fn sorted_by_name(
    lang: &str,
    countries: Vec<(String, &'static str)>,
) -> Vec<(String, &'static str)> {
    let names: js_sys::Array = countries
        .iter()
        .map(|(name, _)| JsValue::from_str(name))
        .collect();
    let collator = js_sys::Intl::Collator::new(
        &js_sys::Array::of1(&JsValue::from_str(lang)),
        &js_sys::Object::new(),
    );
    let sort = js_sys::Reflect::get(&names, &JsValue::from_str("sort"))
        .ok()
        .and_then(|sort| sort.dyn_into::<js_sys::Function>().ok());
    if let Some(sort) = sort {
        let _ = sort.call1(&names, &collator.compare());
    }
    names
        .iter()
        .filter_map(|name| name.as_string())
        .filter_map(|name| countries.iter().find(|(n, _)| *n == name).cloned())
        .collect()
}
