//! The error envelope: `{message, details: {applicationError | validationError}}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The body of every non-200 response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorBody {
    pub message: String,
    pub details: ErrorDetails,
}

/// Which kind of error this is; at most one of the two is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_error: Option<ApplicationError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<ValidationError>,
}

/// A business-rule error with a machine-readable code, e.g. `OWNED_CART_NOT_FOUND`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationError {
    pub code: String,
    pub description: String,
    pub data: Value,
}

/// Invalid request fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ValidationError {
    pub field_violations: Vec<FieldViolation>,
}

/// One invalid field: its path (`lineItems[0].quantity`), what is wrong, and the rule broken.
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
