//! Cart V2's errors: its codes for the errors the use cases share with v1
//! (`CURRENT_CART_NOT_FOUND`, `INVALID_COUPON_CODE`, `INVALID_COUPON_STATUS`)
//! and V2's field names in validation errors found with v1's rules.

use axum::http::StatusCode;
use cart_wire::OWNED_CART_NOT_FOUND;
use cart_wire::v2::{CURRENT_CART_NOT_FOUND, INVALID_COUPON_CODE, INVALID_COUPON_STATUS};
use serde_json::json;

use crate::error::ApiError;
use crate::shop_rules::CouponProblem;

/// A V2 feature this server does not have (gift cards, forms): 400 `NOT_SUPPORTED`.
pub fn not_supported(feature: &str) -> ApiError {
    ApiError::application(
        StatusCode::BAD_REQUEST,
        "NOT_SUPPORTED",
        format!("This server does not support {feature}"),
        json!({ "feature": feature }),
    )
}

/// The V2 form of a shared error: the no-cart 404 is `CURRENT_CART_NOT_FOUND`.
pub fn v2_error(error: ApiError) -> ApiError {
    match error {
        ApiError::Application { status, code, .. } if code == OWNED_CART_NOT_FOUND => {
            ApiError::application(
                status,
                CURRENT_CART_NOT_FOUND,
                "Current cart not found",
                json!({}),
            )
        }
        other => other,
    }
}

/// A coupon refusal, in V2's codes: `INVALID_COUPON_CODE{couponCode}` or
/// `INVALID_COUPON_STATUS{couponCode, reason}`.
pub fn coupon_error(problem: &CouponProblem, code: &str) -> ApiError {
    let (v2_code, reason) = coupon_code_and_reason(problem);
    let mut data = json!({ "couponCode": code });
    if let Some(reason) = reason {
        data["reason"] = reason.into();
    }
    if let CouponProblem::MinSubtotalNotReached { minimum } = problem {
        // `MinSubtotalNotReachedDetails.requiredMinimumSubtotal`, a `ConvertedMoney`.
        data["minSubtotalNotReachedDetails"] =
            json!({ "requiredMinimumSubtotal": crate::money::converted(*minimum) });
    }
    ApiError::application(
        StatusCode::BAD_REQUEST,
        v2_code,
        problem.description(code),
        data,
    )
}

/// The V2 code and `reason` of a coupon problem.
pub fn coupon_code_and_reason(problem: &CouponProblem) -> (&'static str, Option<&'static str>) {
    match problem {
        CouponProblem::DoesNotExist => (INVALID_COUPON_CODE, None),
        CouponProblem::Expired => (INVALID_COUPON_STATUS, Some("EXPIRED")),
        CouponProblem::NotActiveYet => (INVALID_COUPON_STATUS, Some("INACTIVE")),
        CouponProblem::MinSubtotalNotReached { .. } => {
            (INVALID_COUPON_STATUS, Some("MIN_SUBTOTAL_NOT_REACHED"))
        }
        CouponProblem::NoApplicableItems => (
            INVALID_COUPON_STATUS,
            Some("NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS"),
        ),
    }
}

/// An add-to-cart validation error with V2's name for the items, `catalogItems`.
pub fn catalog_fields(error: ApiError) -> ApiError {
    let ApiError::Validation(mut violations) = error else {
        return error;
    };
    for violation in &mut violations {
        if let Some(rest) = violation.field.strip_prefix("lineItems") {
            violation.field = format!("catalogItems{rest}");
        }
    }
    ApiError::Validation(violations)
}

/// A v1 validation error with V2's field names.
pub fn v2_fields(error: ApiError) -> ApiError {
    let ApiError::Validation(mut violations) = error else {
        return error;
    };
    for violation in &mut violations {
        let field = &violation.field;
        let renamed = if let Some(rest) = field.strip_prefix("cartInfo.buyerNote") {
            format!("cart.note{rest}")
        } else if let Some(rest) = field.strip_prefix("cartInfo.overrideCheckoutUrl") {
            format!("cart.customCheckoutUrl{rest}")
        } else if let Some(rest) = field.strip_prefix("cartInfo.contactInfo.address") {
            format!("cart.deliveryInfo.address{rest}")
        } else if field == "couponCode" {
            "coupon.code".to_owned()
        } else if field.starts_with("lineItems[") && field.ends_with("].id") {
            field.replace("].id", "].lineItemId")
        } else if field.starts_with("lineItems[") && field.ends_with("].quantity") {
            format!("{field}.newQuantity")
        } else {
            continue;
        };
        violation.field = renamed;
    }
    ApiError::Validation(violations)
}
