//! Wire types of the Wix eCommerce Current Cart API (v1).
//!
//! Field names and shapes follow what Wix's official JS SDK sends and expects
//! (camelCase, money as decimal strings plus formatted strings). Every field is
//! optional or defaulted when reading, so the widget tolerates both our
//! reference server and the real service, which adds fields of its own;
//! unknown fields are ignored.

mod cart;
mod error;
mod estimate;
mod limits;
mod oauth;
mod paths;
mod requests;
mod safe_url;

pub use cart::*;
pub use error::*;
pub use estimate::*;
pub use limits::*;
pub use oauth::*;
pub use paths::*;
pub use requests::*;
pub use safe_url::safe_http_url;

/// The Wix Stores catalog's `appId`, used in `catalogReference.appId`.
pub const WIX_STORES_APP_ID: &str = "215238eb-22a5-4c36-9e7b-e7c08025e04e";
