//! Wire types of the Wix eCommerce Current Cart API (v1), and of Cart V2
//! in the module `v2`.
//!
//! Field names and shapes follow what Wix's official JS SDK sends and expects
//! (camelCase, money as decimal strings plus formatted strings). Every field is
//! optional or defaulted when reading, so the widget tolerates both our
//! reference server and the real service, which adds fields of its own;
//! unknown fields are ignored.
//!
//! The serde types are behind the default feature `serde`. Without it the
//! crate is only the shared facts (limits, paths, error codes, grant types)
//! and the checks of URLs and colours: the widget's wasm depends on it that
//! way, so serde cannot creep into the wasm (its native tests turn the
//! feature on to check the widget's hand-written JSON against these types).

#[cfg(feature = "serde")]
mod cart;
mod color;
mod error;
#[cfg(feature = "serde")]
mod estimate;
mod limits;
mod oauth;
mod paths;
#[cfg(feature = "serde")]
mod requests;
mod safe_url;
/// Cart V2 (`/ecom/v2/carts/current…`): its own names, so they sit in their own module.
#[cfg(feature = "serde")]
pub mod v2;

#[cfg(feature = "serde")]
pub use cart::*;
pub use color::{is_hex_color, is_plain_color};
pub use error::*;
#[cfg(feature = "serde")]
pub use estimate::*;
pub use limits::*;
pub use oauth::*;
pub use paths::*;
#[cfg(feature = "serde")]
pub use requests::*;
pub use safe_url::safe_http_url;

/// The Wix Stores catalog's `appId`, used in `catalogReference.appId`.
pub const WIX_STORES_APP_ID: &str = "215238eb-22a5-4c36-9e7b-e7c08025e04e";
