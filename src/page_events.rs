//! The widget's side of the host-page protocol: it tells the page about the
//! cart (`cart:updated`, `cart:error` on `window`) and keeps every
//! `[data-cart-count]` element on the page showing the live item count.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::error::ApiError;
use crate::state::CartState;
use crate::wire::answers::Cart;
use crate::wire::json::Json;

/// Dispatched on `window` after every change the server confirmed.
pub const UPDATED_EVENT: &str = "cart:updated";
/// Dispatched on `window` when a request fails.
pub const ERROR_EVENT: &str = "cart:error";
/// Elements the widget keeps showing the item count.
pub const COUNT_SELECTOR: &str = "[data-cart-count]";

/// The `detail` of `cart:updated`.
#[derive(Debug, PartialEq)]
pub struct UpdatedDetail {
    pub item_count: u64,
    /// Decimal string, as the API gives it.
    pub subtotal: Option<String>,
    pub formatted_subtotal: Option<String>,
    pub currency: Option<String>,
}

impl UpdatedDetail {
    pub fn of(cart: &Cart) -> Self {
        Self {
            item_count: cart
                .line_items
                .iter()
                .map(|line| u64::from(line.quantity))
                .sum(),
            subtotal: cart.subtotal.as_ref().map(|s| s.amount.clone()),
            formatted_subtotal: cart.subtotal.as_ref().map(|s| s.formatted.clone()),
            currency: cart.currency.clone(),
        }
    }

    /// `{itemCount, subtotal, formattedSubtotal, currency}`.
    pub fn to_json(&self) -> Json {
        Json::object([
            ("itemCount", Json::Number(self.item_count.to_string())),
            ("subtotal", Json::opt_str(self.subtotal.as_deref())),
            (
                "formattedSubtotal",
                Json::opt_str(self.formatted_subtotal.as_deref()),
            ),
            ("currency", Json::opt_str(self.currency.as_deref())),
        ])
    }
}

/// The `detail` of `cart:error`.
#[derive(Debug, PartialEq)]
pub struct ErrorDetail {
    pub message: String,
    /// The API's application error code, when there is one.
    pub code: Option<String>,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
}

impl ErrorDetail {
    pub fn of(error: &ApiError) -> Self {
        Self {
            message: error.to_string(),
            code: error.code().map(str::to_owned),
            status: match error {
                ApiError::Server { status, .. } => Some(*status),
                _ => None,
            },
        }
    }

    /// `{message, code, status}`; members without a value are left out.
    pub fn to_json(&self) -> Json {
        Json::object([
            ("message", Json::str(&self.message)),
            ("code", Json::opt_str(self.code.as_deref())),
            ("status", self.status.map_or(Json::Null, Json::int)),
        ])
    }
}

/// Dispatches `name` on `window` with `detail` (as a plain JS object).
pub fn dispatch(name: &str, detail: &Json) {
    let detail = js_sys::JSON::parse(&detail.to_json()).unwrap_or(JsValue::NULL);
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window().dispatch_event(&event);
    }
}

/// Keeps the page informed for as long as it lives: `cart:updated` whenever
/// the server's cart changes, and the live count in `[data-cart-count]`.
pub fn connect(state: CartState) {
    Effect::new(move |_| {
        if let Some(cart) = state.cart.get() {
            dispatch(UPDATED_EVENT, &UpdatedDetail::of(&cart).to_json());
        }
    });
    Effect::new(move |_| {
        let count = state.shown_item_count().to_string();
        let Ok(nodes) = document().query_selector_all(COUNT_SELECTOR) else {
            return;
        };
        for i in 0..nodes.length() {
            if let Some(node) = nodes.item(i) {
                node.set_text_content(Some(&count));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::answers::{LineItem, Price};

    #[test]
    fn updated_details_count_units_and_carry_the_subtotal() {
        let line = |quantity| LineItem {
            quantity,
            ..LineItem::default()
        };
        let cart = Cart {
            line_items: vec![line(2), line(3)],
            subtotal: Some(Price {
                amount: "37.5".into(),
                formatted: "$37.50".into(),
            }),
            currency: Some("USD".into()),
            ..Cart::default()
        };
        assert_eq!(
            UpdatedDetail::of(&cart).to_json().to_json(),
            r#"{"itemCount":5,"subtotal":"37.5","formattedSubtotal":"$37.50","currency":"USD"}"#
        );
    }

    #[test]
    fn error_details_carry_code_and_status() {
        let error = ApiError::from_response(
            404,
            r#"{"message":"m","details":{"applicationError":{"code":"OWNED_CART_NOT_FOUND","description":"d","data":{}}}}"#,
        );
        let detail = ErrorDetail::of(&error);
        assert_eq!(detail.code.as_deref(), Some("OWNED_CART_NOT_FOUND"));
        assert_eq!(detail.status, Some(404));
        assert_eq!(
            ErrorDetail::of(&ApiError::Network("offline".into())).status,
            None
        );
    }
}
