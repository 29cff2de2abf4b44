//! The error envelope: `{message, details: {applicationError | validationError}}`.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};
#[cfg(feature = "serde")]
use serde_json::Value;

/// The body of every non-200 response.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorBody {
    pub message: String,
    pub details: ErrorDetails,
}

/// Which kind of error this is; at most one of the two is set.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_error: Option<ApplicationError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<ValidationError>,
}

/// A business-rule error with a machine-readable code, e.g. `OWNED_CART_NOT_FOUND`.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationError {
    pub code: String,
    pub description: String,
    pub data: Value,
}

/// Invalid request fields.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ValidationError {
    pub field_violations: Vec<FieldViolation>,
}

/// One invalid field: its path (`lineItems[0].quantity`), what is wrong, and the rule broken.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldViolation {
    pub field: String,
    pub description: String,
    /// `MIN`, `MAX`, `MAX_LENGTH`, `FORMAT`, `REQUIRED_FIELD`, …
    pub violated_rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

/// Application error code for a visitor who has no cart yet (HTTP 404).
pub const OWNED_CART_NOT_FOUND: &str = "OWNED_CART_NOT_FOUND";

/// Application error code for a coupon code the store does not have.
pub const COUPON_DOES_NOT_EXIST: &str = "ERROR_COUPON_DOES_NOT_EXIST";
/// Application error code for a coupon past its end date.
pub const COUPON_EXPIRED: &str = "ERROR_COUPON_EXPIRED";
/// Application error code for a coupon that exists but does not apply; the
/// error's `data.reason` says why (one of the `COUPON_REASON_…` values).
pub const COUPON_NOT_APPLICABLE: &str = "ERROR_COUPON_NOT_APPLICABLE";
/// `data.reason` of [`COUPON_NOT_APPLICABLE`]: the subtotal is below the
/// coupon's minimum (`data.minimumSubtotal`).
pub const COUPON_REASON_MIN_SUBTOTAL: &str = "MIN_SUBTOTAL_NOT_REACHED";
/// `data.reason` of [`COUPON_NOT_APPLICABLE`]: the coupon starts later.
pub const COUPON_REASON_NOT_ACTIVE_YET: &str = "NOT_ACTIVE_YET";
/// `data.reason` of [`COUPON_NOT_APPLICABLE`]: no line in the cart qualifies.
pub const COUPON_REASON_NO_APPLICABLE_ITEMS: &str = "NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS";
