//! One check per request body: the limits and field rules of each endpoint.
//! Each returns the 400 listing every violation, or what it read (the custom
//! line items, which arrive as raw JSON).

use cart_wire::{
    AddToCartRequest, CreateCheckoutRequest, CustomLineItemInput, EstimateTotalsRequest,
    GRANT_ANONYMOUS, GRANT_REFRESH_TOKEN, MAX_BUYER_NOTE_LENGTH, MAX_CART_BYTES,
    MAX_ITEMS_PER_REQUEST, MAX_LINE_ITEMS, MAX_QUANTITY, RemoveLineItemsRequest, TokenRequest,
    UpdateCartRequest, UpdateLineItemsQuantityRequest,
};

use serde_json::json;

use super::{Violations, is_http_url};
use crate::cart::CartContent;
use crate::error::ApiError;

/// Longest override checkout URL.
const MAX_CHECKOUT_URL_LENGTH: usize = 1000;

/// Longest coupon code (after trimming).
const MAX_COUPON_CODE_LENGTH: usize = 100;

/// Sales channels `create-checkout` accepts.
const CHANNEL_TYPES: &[&str] = &[
    "UNSPECIFIED",
    "WEB",
    "POS",
    "EBAY",
    "AMAZON",
    "OTHER_PLATFORM",
    "WIX_APP_STORE",
    "WIX_INVOICES",
    "BACKOFFICE_MERCHANT",
    "WISH",
    "CLASS_PASS",
    "GLOBAL_E",
    "FACEBOOK",
    "ETSY",
    "TIKTOK",
    "FAIRE_COM",
    "PAYPAL_AGENTIC_CHECKOUT",
    "STRIPE_AGENTIC_CHECKOUT",
];

/// `POST /oauth2/token`: a client id, and a refresh token for a refresh.
pub fn token_request(request: &TokenRequest) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    if request.client_id.is_empty() {
        violations.required("clientId".to_owned());
    }
    match request.grant_type.as_str() {
        GRANT_ANONYMOUS => {}
        GRANT_REFRESH_TOKEN
            if request
                .refresh_token
                .as_deref()
                .is_some_and(|t| !t.is_empty()) => {}
        GRANT_REFRESH_TOKEN => violations.required("refreshToken".to_owned()),
        "" => violations.required("grantType".to_owned()),
        _ => violations.add(
            "grantType".to_owned(),
            "INVALID_ENUM_VALUE",
            format!("must be one of \"{GRANT_ANONYMOUS}\", \"{GRANT_REFRESH_TOKEN}\""),
            None,
        ),
    }
    violations.into_result()
}

/// A cart id in a path: a GUID.
pub fn cart_id(id: &str) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    violations.guid("id".to_owned(), id);
    violations.into_result()
}

/// `add-to-cart`: 1 to `MAX_ITEMS_PER_REQUEST` items in all, each valid.
pub fn add_to_cart(request: &AddToCartRequest) -> Result<Vec<CustomLineItemInput>, ApiError> {
    let mut violations = Violations::default();
    let total = request.line_items.len() + request.custom_line_items.len();
    violations.size("lineItems".to_owned(), total, 1, MAX_ITEMS_PER_REQUEST);
    violations.size(
        "customLineItems".to_owned(),
        request.custom_line_items.len(),
        0,
        MAX_ITEMS_PER_REQUEST,
    );
    for (i, item) in request.line_items.iter().enumerate() {
        violations.line_item(&format!("lineItems[{i}]"), item);
    }
    let custom = violations.custom_line_items(&request.custom_line_items);
    violations.into_result()?;
    Ok(custom)
}

/// `PATCH` and create-by-id: items, cart info and a coupon code.
pub fn cart_update(request: &UpdateCartRequest) -> Result<Vec<CustomLineItemInput>, ApiError> {
    let mut violations = Violations::default();
    violations.size(
        "lineItems".to_owned(),
        request.line_items.len(),
        0,
        MAX_LINE_ITEMS,
    );
    violations.size(
        "customLineItems".to_owned(),
        request.custom_line_items.len(),
        0,
        MAX_LINE_ITEMS,
    );
    for (i, item) in request.line_items.iter().enumerate() {
        violations.line_item(&format!("lineItems[{i}]"), item);
    }
    let custom = violations.custom_line_items(&request.custom_line_items);
    if let Some(info) = &request.cart_info {
        if let Some(note) = &info.buyer_note {
            violations.length(
                "cartInfo.buyerNote".to_owned(),
                note,
                0,
                MAX_BUYER_NOTE_LENGTH,
            );
        }
        if let Some(url) = info
            .override_checkout_url
            .as_deref()
            .filter(|url| !url.is_empty())
        {
            violations.length(
                "cartInfo.overrideCheckoutUrl".to_owned(),
                url,
                0,
                MAX_CHECKOUT_URL_LENGTH,
            );
            if !is_http_url(url) {
                let description = "must be an absolute http(s) URL".to_owned();
                violations.add(
                    "cartInfo.overrideCheckoutUrl".to_owned(),
                    "FORMAT",
                    description,
                    None,
                );
            }
        }
        if let Some(option) = &info.selected_shipping_option {
            violations.shipping_option("cartInfo.selectedShippingOption", option);
        }
        if let Some(address) = info.contact_info.as_ref().and_then(|c| c.address.as_ref()) {
            violations.address("cartInfo.contactInfo.address", address);
        }
    }
    if let Some(code) = &request.coupon_code {
        violations.length(
            "couponCode".to_owned(),
            code.trim(),
            1,
            MAX_COUPON_CODE_LENGTH,
        );
    }
    violations.into_result()?;
    Ok(custom)
}

/// A cart after an addition: at most `MAX_LINE_ITEMS` lines, and at most
/// `MAX_CART_BYTES` as stored (lines each within their own bounds still add
/// up).
pub fn cart_size(content: &CartContent) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    violations.size(
        "lineItems".to_owned(),
        content.lines.len(),
        0,
        MAX_LINE_ITEMS,
    );
    // Measured as the storage writes it.
    let bytes = serde_json::to_vec(content).map_or(usize::MAX, |json| json.len());
    if bytes > MAX_CART_BYTES {
        let description = format!("would make the cart larger than {MAX_CART_BYTES} bytes stored");
        let data = json!({"max": MAX_CART_BYTES});
        violations.add("lineItems".to_owned(), "MAX_SIZE", description, Some(data));
    }
    violations.into_result()
}

/// `remove-line-items`: 1 to `MAX_ITEMS_PER_REQUEST` GUIDs.
pub fn remove_line_items(request: &RemoveLineItemsRequest) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    violations.size(
        "lineItemIds".to_owned(),
        request.line_item_ids.len(),
        1,
        MAX_ITEMS_PER_REQUEST,
    );
    for (i, id) in request.line_item_ids.iter().enumerate() {
        violations.guid(format!("lineItemIds[{i}]"), id);
    }
    violations.into_result()
}

/// `update-line-items-quantity`: 1 to `MAX_ITEMS_PER_REQUEST` distinct line
/// ids, each with a quantity from 1 to `MAX_QUANTITY`.
pub fn update_quantities(request: &UpdateLineItemsQuantityRequest) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    violations.size(
        "lineItems".to_owned(),
        request.line_items.len(),
        1,
        MAX_ITEMS_PER_REQUEST,
    );
    let mut seen = std::collections::HashSet::new();
    for (i, update) in request.line_items.iter().enumerate() {
        match &update.id {
            None => violations.required(format!("lineItems[{i}].id")),
            Some(id) => {
                violations.guid(format!("lineItems[{i}].id"), id);
                if !seen.insert(id.clone()) {
                    let description = "appears more than once".to_owned();
                    violations.add(
                        format!("lineItems[{i}].id"),
                        "VALIDATION",
                        description,
                        None,
                    );
                }
            }
        }
        match update.quantity {
            None => violations.required(format!("lineItems[{i}].quantity")),
            Some(q) => violations.range(
                format!("lineItems[{i}].quantity"),
                q,
                1,
                i64::from(MAX_QUANTITY),
            ),
        }
    }
    violations.into_result()
}

/// `estimate-totals`: the shipping option and addresses, when given.
pub fn estimate_totals(request: &EstimateTotalsRequest) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    if let Some(option) = &request.selected_shipping_option {
        violations.shipping_option("selectedShippingOption", option);
    }
    if let Some(address) = &request.shipping_address {
        violations.address("shippingAddress", address);
    }
    if let Some(address) = &request.billing_address {
        violations.address("billingAddress", address);
    }
    violations.into_result()
}

/// `create-checkout`: a known channel type, an email that looks like one,
/// the shipping option and address when given.
pub fn create_checkout(request: &CreateCheckoutRequest) -> Result<(), ApiError> {
    let mut violations = Violations::default();
    match request.channel_type.as_deref() {
        None | Some("") => violations.required("channelType".to_owned()),
        Some(channel) if !CHANNEL_TYPES.contains(&channel) => violations.add(
            "channelType".to_owned(),
            "INVALID_ENUM_VALUE",
            format!("must be one of {}", CHANNEL_TYPES.join(", ")),
            None,
        ),
        Some(_) => {}
    }
    if let Some(email) = &request.email
        && !(email.contains('@') && email.len() <= 254 && !email.contains(char::is_whitespace))
    {
        violations.add(
            "email".to_owned(),
            "FORMAT",
            "must be an email address".to_owned(),
            None,
        );
    }
    if let Some(option) = &request.selected_shipping_option {
        violations.shipping_option("selectedShippingOption", option);
    }
    if let Some(address) = &request.shipping_address {
        violations.address("shippingAddress", address);
    }
    violations.into_result()
}
