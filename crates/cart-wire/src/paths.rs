//! The API's paths, shared by the widget's client, the server's routers and
//! the tests.

/// The visitor's current cart; its actions are `{CURRENT_CART_PATH}/{action}`.
pub const CURRENT_CART_PATH: &str = "/ecom/v1/carts/current";

/// Carts by id (back office); one cart is `{CARTS_PATH}/{id}`.
pub const CARTS_PATH: &str = "/ecom/v1/carts";

/// Visitor tokens (anonymous grant and refresh).
pub const TOKEN_PATH: &str = "/oauth2/token";

/// The visitor's current cart in Cart V2; its actions are `{CURRENT_CART_V2_PATH}/{action}`.
pub const CURRENT_CART_V2_PATH: &str = "/ecom/v2/carts/current";

/// Carts by id in Cart V2; the checkout URL is `{CARTS_V2_PATH}/{id}/get-checkout-url`.
pub const CARTS_V2_PATH: &str = "/ecom/v2/carts";
