//! Keeps this tab's cart in step with the rest of the browser: the site's
//! other tabs (a `BroadcastChannel`: a change here makes them fetch the
//! cart), the back/forward cache (`pageshow` with `persisted`: the page may
//! show an old cart) and the connection coming back (`online`: waiting
//! quantity changes go out at once).
//!
//! `lib.rs` gives `CartState::new` [`tell_other_tabs`] as its
//! `on_local_change` and then calls [`connect`].

use std::cell::OnceCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::WidgetConfig;
use crate::state::CartState;

thread_local! {
    /// The channel to the site's other tabs, once `connect` opened it.
    static OTHER_TABS: OnceCell<web_sys::BroadcastChannel> = const { OnceCell::new() };
}

/// Connects `state` to the browser for as long as the page lives.
pub fn connect(state: CartState) {
    let name = channel_name(&state.config());
    if let Ok(channel) = web_sys::BroadcastChannel::new(&name) {
        let on_message = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || state.refresh());
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Lives as long as the page, like the channel.
        on_message.forget();
        OTHER_TABS.with(|tabs| {
            let _ = tabs.set(channel);
        });
    }
    let _ = window_event_listener_untyped("pageshow", move |event| {
        let restored = event
            .dyn_ref::<web_sys::PageTransitionEvent>()
            .is_some_and(web_sys::PageTransitionEvent::persisted);
        if restored {
            state.refresh();
        }
    });
    let _ = window_event_listener_untyped("online", move |_| state.retry_now());
}

/// Tells the site's other tabs that this tab changed the cart, so they fetch
/// it; the state's `on_local_change`.
pub fn tell_other_tabs() {
    OTHER_TABS.with(|tabs| {
        if let Some(tabs) = tabs.get() {
            let _ = tabs.post_message(&wasm_bindgen::JsValue::from_str("changed"));
        }
    });
}

/// The channel the tabs of one shop and visitor setup share: one per client
/// id and API.
fn channel_name(config: &WidgetConfig) -> String {
    [
        "cart-widget:",
        config.client_id.as_str(),
        "@",
        &config.api_base,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_of_the_same_client_and_api_share_a_channel() {
        let config = |client: &str, api: &str| {
            WidgetConfig::from_attributes(Some(api.into()), Some(client.into()), "")
        };
        let a = config("c", "https://api.example");
        assert_eq!(channel_name(&a), "cart-widget:c@https://api.example");
        assert_eq!(channel_name(&a), channel_name(&a.clone()));
        assert_ne!(
            channel_name(&a),
            channel_name(&config("d", "https://api.example"))
        );
    }
}
