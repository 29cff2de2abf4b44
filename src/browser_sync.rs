//! Keeps this tab's cart in step with the rest of the browser: the site's
//! other tabs (a `BroadcastChannel`: a change here makes them fetch the
//! cart), the back/forward cache (`pageshow` with `persisted`: the page may
//! show an old cart) and the connection coming back (`online`: waiting
//! quantity changes go out at once).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::WidgetConfig;
use crate::state::CartState;

/// Connects `state` to the browser for as long as the page lives.
pub fn connect(state: CartState) {
    let name = channel_name(&state.config());
    if let Ok(channel) = web_sys::BroadcastChannel::new(&name) {
        let on_message = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || state.refresh());
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Lives as long as the page, like the channel.
        on_message.forget();
        let channel = StoredValue::new_local(channel);
        state.on_local_change(Callback::new(move |()| {
            channel.with_value(|channel| {
                let _ = channel.post_message(&wasm_bindgen::JsValue::from_str("changed"));
            });
        }));
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

/// The channel the tabs of one shop and visitor setup share: one per client
/// id and API.
fn channel_name(config: &WidgetConfig) -> String {
    format!("cart-widget:{}@{}", config.client_id, config.api_base)
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
