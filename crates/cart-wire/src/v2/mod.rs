//! Wire types of Wix's Cart V2 current-cart API (`/ecom/v2/carts/current…`),
//! only the parts a cart widget and the reference server use. Names and
//! shapes follow the REST types of `@wix/auto_sdk_ecom_current-cart-v-2`
//! (`meta.d.ts`). Unlike v1, money is `{amount, convertedAmount}` with no
//! formatted strings: clients format amounts themselves.
//!
//! Every field is optional or defaulted when reading and unknown fields are
//! ignored, as in v1. Inner shapes V2 did not change (description lines,
//! images, page URLs, item types, addresses) are v1's types.

mod cart;
mod requests;
mod summary;

pub use cart::*;
pub use requests::*;
pub use summary::*;

use serde::{Deserialize, Serialize};

/// V2 application error code: the visitor has no current cart (HTTP 404).
/// Seen only in third-party code; nothing in Wix's types or docs names it.
pub const CURRENT_CART_NOT_FOUND: &str = "CURRENT_CART_NOT_FOUND";
/// V2 application error code: the store has no such coupon.
pub const INVALID_COUPON_CODE: &str = "INVALID_COUPON_CODE";
/// V2 application error code: the coupon exists but does not apply;
/// `data.reason` says why (`EXPIRED`, `INACTIVE`, `MIN_SUBTOTAL_NOT_REACHED`, …).
pub const INVALID_COUPON_STATUS: &str = "INVALID_COUPON_STATUS";
/// V2 application error code: `remove-coupon` named a coupon the cart does not have.
pub const COUPON_NOT_FOUND_IN_CART: &str = "COUPON_NOT_FOUND_IN_CART";
/// V2 application error code: `set-delivery-method` named a method not offered.
pub const DELIVERY_METHOD_NOT_FOUND: &str = "DELIVERY_METHOD_NOT_FOUND";

/// `ConvertedMoney`: a decimal string amount in the business currency, and
/// the same amount in the customer's currency. No display form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Money {
    pub amount: String,
    pub converted_amount: String,
}

impl Money {
    /// The same decimal string in both currencies (this server converts nothing).
    pub fn same(amount: impl Into<String>) -> Self {
        let amount = amount.into();
        Self {
            converted_amount: amount.clone(),
            amount,
        }
    }
}
