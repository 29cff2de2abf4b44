//! The widget's side of the host-page protocol, all of it:
//! - in: the page dispatches `cart:add` on `window` to add an item, and
//!   `cart:open` / `cart:close` to open or close the drawer;
//! - out: the widget dispatches `cart:updated` after every change the server
//!   confirmed, `cart:error` when a request fails, and `cart:opened` /
//!   `cart:closed` when the drawer opens or closes, and keeps every
//!   `[data-cart-count]` element showing the live item count.
//!
//! The drawer's events are listened to and sent by the drawer itself
//! (`components/cart_drawer.rs`): only a page with a drawer has them.
//!
//! `lib.rs` gives `CartState::new` [`report_error`] as its `on_error` and
//! then calls [`connect`]; the state itself knows nothing of the page.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::ApiError;
use crate::state::CartState;
use crate::wire::answers::Cart;
use crate::wire::json::Json;
use crate::wire::requests;

/// Dispatched on `window` by the host page to add an item; see [`parse_add_detail`].
pub const ADD_EVENT: &str = "cart:add";
/// Dispatched on `window` after every change the server confirmed.
pub const UPDATED_EVENT: &str = "cart:updated";
/// Dispatched on `window` when a request fails.
pub const ERROR_EVENT: &str = "cart:error";
/// Dispatched on `window` by the host page to open the drawer.
pub const OPEN_EVENT: &str = "cart:open";
/// Dispatched on `window` by the host page to close the drawer.
pub const CLOSE_EVENT: &str = "cart:close";
/// Dispatched on `window` when the drawer has opened.
pub const OPENED_EVENT: &str = "cart:opened";
/// Dispatched on `window` when the drawer has closed.
pub const CLOSED_EVENT: &str = "cart:closed";
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

/// Tells the page (`cart:error`) about a failed request; the state's `on_error`.
pub fn report_error(error: &ApiError) {
    dispatch(ERROR_EVENT, &ErrorDetail::of(error).to_json());
}

/// Connects the page and the widget for as long as the page lives: `cart:add`
/// events add items, `cart:updated` goes out whenever the server's cart
/// changes, and `[data-cart-count]` shows the live count.
pub fn connect(state: CartState) {
    listen_for_adds(state);
    Effect::new(move |_| {
        // A stored snapshot is not the server's cart yet: the page hears of
        // the cart once the server has answered.
        if state.stale.get() {
            return;
        }
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

/// Adds what each `cart:add` event asks for; events that are not an item
/// are ignored with a console warning.
fn listen_for_adds(state: CartState) {
    // The listener lives as long as the page; its handle is not kept.
    let _ = window_event_listener_untyped(ADD_EVENT, move |event| {
        let detail = event
            .dyn_ref::<web_sys::CustomEvent>()
            .map(|event| event.detail())
            .and_then(|detail| js_sys::JSON::stringify(&detail).ok())
            .and_then(|json| json.as_string())
            .unwrap_or_default();
        match parse_add_detail(&detail) {
            Ok(item) => state.add(item),
            Err(reason) => {
                leptos::logging::warn!("cart widget: ignored {ADD_EVENT} event: {reason}")
            }
        }
    });
}

/// Reads a `cart:add` detail (as JSON) into the line item to add:
/// `{catalogReference: {catalogItemId, appId, options?}, quantity?}`, one
/// unit when no quantity is given.
pub fn parse_add_detail(json: &str) -> Result<Json, String> {
    const SHAPE: &str = "detail must be {catalogReference: {catalogItemId, appId}, quantity?}";
    let detail = Json::parse(json).map_err(|error| format!("{SHAPE}: {error}"))?;
    let reference = detail.get("catalogReference");
    if reference.get("catalogItemId").as_str().is_none()
        || reference.get("appId").as_str().is_none()
    {
        return Err(SHAPE.to_owned());
    }
    let quantity = match detail.get("quantity") {
        Json::Null => 1,
        quantity => quantity
            .as_u32()
            .filter(|quantity| *quantity > 0)
            .ok_or_else(|| [SHAPE, ": quantity must be a whole number above 0"].concat())?,
    };
    Ok(requests::line_item(reference.clone(), quantity))
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

    #[test]
    fn add_details_default_to_one_unit() {
        let item =
            parse_add_detail(r#"{"catalogReference":{"catalogItemId":"x","appId":"y"}}"#).unwrap();
        assert_eq!(
            item.to_json(),
            r#"{"catalogReference":{"catalogItemId":"x","appId":"y"},"quantity":1}"#
        );
        let item = parse_add_detail(
            r#"{"catalogReference":{"catalogItemId":"x","appId":"y","options":{"a":[1]}},"quantity":3}"#,
        )
        .unwrap();
        assert_eq!(
            item.to_json(),
            r#"{"catalogReference":{"catalogItemId":"x","appId":"y","options":{"a":[1]}},"quantity":3}"#
        );
    }

    #[test]
    fn add_details_without_a_reference_are_refused() {
        assert!(parse_add_detail(r#"{"quantity":3}"#).is_err());
        assert!(parse_add_detail(r#"{"catalogReference":{"catalogItemId":"x"}}"#).is_err());
        assert!(
            parse_add_detail(
                r#"{"catalogReference":{"catalogItemId":"x","appId":"y"},"quantity":0}"#
            )
            .is_err()
        );
        assert!(parse_add_detail("null").is_err());
    }

    #[test]
    fn an_add_detail_written_as_the_wire_line_item_adds_that_item() {
        let wire = cart_wire::LineItemInput {
            catalog_reference: Some(cart_wire::CatalogReference {
                catalog_item_id: "tee".into(),
                app_id: cart_wire::WIX_STORES_APP_ID.into(),
                options: serde_json::from_str(r#"{"options": {"Size": "M"}}"#).unwrap(),
            }),
            quantity: Some(2),
        };
        let item = parse_add_detail(&serde_json::to_string(&wire).unwrap()).unwrap();
        let body: cart_wire::AddToCartRequest =
            serde_json::from_str(&requests::add_to_cart(item).to_json()).unwrap();
        assert_eq!(body.line_items, [wire]);
    }
}
