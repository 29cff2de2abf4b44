//! Request bodies of the current-cart endpoints.

use serde::{Deserialize, Serialize};

use crate::CatalogReference;

/// `POST /ecom/v1/carts/current/add-to-cart`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AddToCartRequest {
    pub line_items: Vec<LineItemInput>,
}

/// A catalog item to add, and how many. Both fields are required by the API;
/// they are optional here so the server can report a missing one precisely.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineItemInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_reference: Option<CatalogReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}
