//! The loader's head start: `cart-widget.js` (`xtask/dist.mjs`) asks for the
//! visitor's current cart while the wasm still downloads and compiles, and
//! leaves the pending answer on `window.cartWidgetPrefetch`
//! (`{url, token, answer}`, `answer` the `fetch` promise of its `Response`). The widget's first load takes it instead of asking
//! again; the cart then shows as soon as the widget is mounted.
//!
//! The rules:
//! - It is taken once: every later load asks the API itself.
//! - It stands for the widget's own request only when it is that request:
//!   the same URL (API base and dialect) with the access token stored now,
//!   while that token is fresh by the widget's own rule (`tokens.rs`).
//! - Only an answer about the cart is used: 200 (the cart) or 404 (no cart
//!   yet), read exactly as the widget's own answer would be. No answer
//!   (offline, timed out), a 401 or any other status falls back to the
//!   widget's own request, with its error reporting, as if there had been
//!   no prefetch; after a 401 the token is renewed first, as after the
//!   widget's own 401, rather than sent again to be refused again.
//!
//! The loader writes the same facts in JavaScript (global name, token key,
//! paths, expiry margin); a test below keeps the two in step.

use wasm_bindgen::{JsCast, JsValue};

use crate::tokens::VisitorTokens;

/// The global the loader leaves its request on.
pub const PREFETCH_GLOBAL: &str = "cartWidgetPrefetch";

/// The loader's request, as it describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The URL it asked.
    pub url: String,
    /// The access token it sent.
    pub token: String,
}

impl Offer {
    /// Whether the loader's request is the one the widget would make now.
    pub fn matches(&self, url: &str, stored: &VisitorTokens, now_ms: f64) -> bool {
        self.url == url && self.token == stored.access_token && stored.is_fresh(now_ms)
    }
}

/// Whether a prefetched answer with `status` can stand for the widget's own.
pub fn is_usable(status: u16) -> bool {
    matches!(status, 200 | 404)
}

/// Takes the loader's offer off the page (once) with its pending answer.
pub fn take() -> Option<(Offer, js_sys::Promise)> {
    let window: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str(PREFETCH_GLOBAL);
    let prefetch = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(JsValue::is_object)?;
    let _ = js_sys::Reflect::set(&window, &key, &JsValue::UNDEFINED);
    let offer = Offer {
        url: field(&prefetch, "url").as_string()?,
        token: field(&prefetch, "token").as_string()?,
    };
    Some((offer, field(&prefetch, "answer").dyn_into().ok()?))
}

/// The prefetched answer; `None` when none came (offline, timed out).
pub async fn response(answer: js_sys::Promise) -> Option<gloo_net::http::Response> {
    let response = wasm_bindgen_futures::JsFuture::from(answer).await.ok()?;
    Some(response.dyn_into::<web_sys::Response>().ok()?.into())
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://api.test/ecom/v2/carts/current";

    fn stored(expires_at_ms: f64) -> VisitorTokens {
        VisitorTokens {
            access_token: "a1".into(),
            refresh_token: "r1".into(),
            expires_at_ms,
        }
    }

    fn offer(url: &str, token: &str) -> Offer {
        Offer {
            url: url.into(),
            token: token.into(),
        }
    }

    #[test]
    fn a_prefetch_of_the_same_request_with_the_stored_fresh_token_is_used() {
        assert!(offer(URL, "a1").matches(URL, &stored(10_000_000.0), 1_000.0));
    }

    #[test]
    fn a_prefetch_of_another_dialect_api_or_token_is_not_used() {
        let tokens = stored(10_000_000.0);
        let v1 = "https://api.test/ecom/v1/carts/current";
        assert!(!offer(v1, "a1").matches(URL, &tokens, 1_000.0));
        assert!(
            !offer("https://other.test/ecom/v2/carts/current", "a1").matches(URL, &tokens, 1_000.0)
        );
        assert!(!offer(URL, "renewed").matches(URL, &tokens, 1_000.0));
    }

    #[test]
    fn a_prefetch_made_with_a_token_about_to_expire_is_not_used() {
        // Within the minute before expiry the widget renews the token itself.
        assert!(!offer(URL, "a1").matches(URL, &stored(60_000.0), 1_000.0));
    }

    #[test]
    fn only_an_answer_about_the_cart_stands_for_the_widgets_own() {
        assert!(is_usable(200));
        assert!(is_usable(404));
        for status in [0, 401, 403, 429, 500, 503] {
            assert!(!is_usable(status), "{status}");
        }
    }

    #[test]
    fn the_loader_prefetches_what_the_widget_would_ask_for() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/xtask/dist.mjs");
        let loader = std::fs::read_to_string(path).expect("xtask/dist.mjs");
        // In their places: a bare number or name would match other text too.
        let margin = format!("Date.now() + {}", crate::tokens::EXPIRY_MARGIN_MS as u64);
        let timeout = format!("timeout({})", crate::api::REQUEST_TIMEOUT.as_millis());
        let client = format!("|| \"{}\"", crate::config::DEFAULT_CLIENT_ID);
        // The painted cart's: the kept cart's key, visitor digest and size
        // limit (`snapshot`), when a stock notice shows, the quantity limit.
        let limit_bytes = format!("text.length <= {}", crate::snapshot::SNAPSHOT_LIMIT_BYTES);
        let low_stock = format!("left <= {}", cart_wire::LOW_STOCK_THRESHOLD);
        let limit = format!("left == null ? {} : left", cart_wire::MAX_QUANTITY);
        let offset = format!("{:#x}n", crate::snapshot::FNV_OFFSET_BASIS);
        let prime = format!("{:#x}n", crate::snapshot::FNV_PRIME);
        for fact in [
            PREFETCH_GLOBAL,
            crate::tokens::STORAGE_KEY_PREFIX,
            client.as_str(),
            cart_wire::CURRENT_CART_PATH,
            crate::wire::v2::CURRENT_CART,
            margin.as_str(),
            timeout.as_str(),
            crate::snapshot::STORAGE_KEY_PREFIX,
            offset.as_str(),
            prime.as_str(),
            limit_bytes.as_str(),
            low_stock.as_str(),
            limit.as_str(),
        ] {
            assert!(loader.contains(fact), "xtask/dist.mjs must say {fact}");
        }
    }
}
