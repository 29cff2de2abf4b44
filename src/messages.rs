//! What the widget says to the shopper about errors and stock, in words.

use cart_wire::{
    COUPON_DOES_NOT_EXIST, COUPON_EXPIRED, COUPON_NOT_APPLICABLE, COUPON_REASON_MIN_SUBTOTAL,
    COUPON_REASON_NO_APPLICABLE_ITEMS, COUPON_REASON_NOT_ACTIVE_YET, LOW_STOCK_THRESHOLD,
};

use crate::error::ApiError;
use crate::i18n::{Messages, fill};
use crate::wire::answers::LineItem;
use crate::wire::json::Json;
use crate::wire::v2;

/// The message for a coupon the server refused.
pub fn coupon_error(t: &Messages, error: &ApiError, code: &str) -> String {
    let data = match error {
        ApiError::Server { data, .. } => data,
        _ => &Json::Null,
    };
    let reason = data.get("reason").as_str();
    match (error.code(), reason) {
        (Some(COUPON_DOES_NOT_EXIST), _) => fill(t.coupon_unknown, &[code]),
        (Some(COUPON_EXPIRED), _) => fill(t.coupon_expired, &[code]),
        (Some(COUPON_NOT_APPLICABLE), Some(COUPON_REASON_MIN_SUBTOTAL)) => {
            let minimum = data.get("minimumSubtotal").as_str().unwrap_or("more");
            fill(t.coupon_min_subtotal, &[code, minimum])
        }
        (Some(COUPON_NOT_APPLICABLE), Some(COUPON_REASON_NOT_ACTIVE_YET)) => {
            fill(t.coupon_not_active, &[code])
        }
        (Some(COUPON_NOT_APPLICABLE), Some(COUPON_REASON_NO_APPLICABLE_ITEMS)) => {
            fill(t.coupon_not_for_items, &[code])
        }
        (Some(COUPON_NOT_APPLICABLE), _) => fill(t.coupon_not_applicable, &[code]),
        // Cart V2's codes, onto the same messages.
        (Some(v2::INVALID_COUPON_CODE), _) => fill(t.coupon_unknown, &[code]),
        (Some(v2::INVALID_COUPON_STATUS), Some(v2::COUPON_REASON_EXPIRED)) => {
            fill(t.coupon_expired, &[code])
        }
        (Some(v2::INVALID_COUPON_STATUS), Some(v2::COUPON_REASON_MIN_SUBTOTAL)) => {
            // V2 gives the minimum as an amount, not formatted.
            let minimum = data
                .get("minSubtotalNotReachedDetails")
                .get("requiredMinimumSubtotal")
                .get("amount")
                .as_str()
                .unwrap_or("more");
            fill(t.coupon_min_subtotal, &[code, minimum])
        }
        (Some(v2::INVALID_COUPON_STATUS), Some(v2::COUPON_REASON_INACTIVE)) => {
            fill(t.coupon_not_active, &[code])
        }
        (Some(v2::INVALID_COUPON_STATUS), Some(v2::COUPON_REASON_NOT_FOR_ITEMS)) => {
            fill(t.coupon_not_for_items, &[code])
        }
        (Some(v2::INVALID_COUPON_STATUS), _) => fill(t.coupon_not_applicable, &[code]),
        _ => fill(t.coupon_failed, &[&error.to_string()]),
    }
}

/// What to say about a line's stock, if anything: out of stock, gone from
/// the catalog, or how many are left once that is `LOW_STOCK_THRESHOLD` or fewer.
pub fn availability_text(t: &Messages, item: &LineItem) -> Option<String> {
    match (item.availability.as_str(), item.quantity_available) {
        ("NOT_AVAILABLE", _) => Some(t.out_of_stock.to_owned()),
        ("NOT_FOUND", _) => Some(t.no_longer_available.to_owned()),
        (_, Some(left)) if left <= LOW_STOCK_THRESHOLD => {
            Some(fill(t.only_left, &[&left.to_string()]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cart_v2_coupon_refusals_get_the_same_messages() {
        let t = crate::i18n::Lang::En.messages();
        let refusal = |code: &str, data: &str| {
            let body = format!(
                r#"{{"message":"m","details":{{"applicationError":{{"code":"{code}","data":{data}}}}}}}"#
            );
            coupon_error(t, &ApiError::from_response(400, &body), "NOPE")
        };
        let captured =
            include_str!("../crates/cart-wire/fixtures/v2/error-v2-invalid-coupon-code.json");
        assert_eq!(
            coupon_error(t, &ApiError::from_response(400, captured), "NOPE"),
            fill(t.coupon_unknown, &["NOPE"])
        );
        let status = |reason: &str| {
            refusal(
                "INVALID_COUPON_STATUS",
                &format!(r#"{{"couponCode":"NOPE","reason":"{reason}"}}"#),
            )
        };
        assert_eq!(status("EXPIRED"), fill(t.coupon_expired, &["NOPE"]));
        assert_eq!(status("INACTIVE"), fill(t.coupon_not_active, &["NOPE"]));
        assert_eq!(
            status("NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS"),
            fill(t.coupon_not_for_items, &["NOPE"])
        );
        assert_eq!(
            status("MAX_USAGE_EXCEEDED"),
            fill(t.coupon_not_applicable, &["NOPE"])
        );
        assert_eq!(
            refusal(
                "INVALID_COUPON_STATUS",
                r#"{"reason":"MIN_SUBTOTAL_NOT_REACHED","minSubtotalNotReachedDetails":{"requiredMinimumSubtotal":{"amount":"100"}}}"#
            ),
            fill(t.coupon_min_subtotal, &["NOPE", "100"])
        );
    }

    #[test]
    fn stock_is_mentioned_when_out_gone_or_low() {
        let t = crate::i18n::Lang::En.messages();
        let line = |availability: &str, left: Option<u32>| LineItem {
            availability: availability.into(),
            quantity_available: left,
            ..LineItem::default()
        };
        let text = |availability, left| availability_text(t, &line(availability, left));
        assert_eq!(
            text("NOT_AVAILABLE", Some(3)).as_deref(),
            Some("Out of stock")
        );
        assert_eq!(
            text("NOT_FOUND", None).as_deref(),
            Some("No longer available")
        );
        assert_eq!(
            text("AVAILABLE", Some(LOW_STOCK_THRESHOLD)).as_deref(),
            Some("Only 5 left")
        );
        assert_eq!(
            text("PARTIALLY_AVAILABLE", Some(1)).as_deref(),
            Some("Only 1 left")
        );
        assert_eq!(text("AVAILABLE", Some(LOW_STOCK_THRESHOLD + 1)), None);
        assert_eq!(text("AVAILABLE", None), None);
    }

    use crate::i18n::{EN, FR};

    fn refused(code: &str, data: &str) -> ApiError {
        let body = format!(
            r#"{{"message":"m","details":{{"applicationError":{{"code":"{code}","description":"d","data":{data}}}}}}}"#
        );
        ApiError::from_response(400, &body)
    }

    #[test]
    fn each_coupon_error_has_its_own_message() {
        assert_eq!(
            coupon_error(&EN, &refused("ERROR_COUPON_DOES_NOT_EXIST", "{}"), "X"),
            "“X” isn't a valid code."
        );
        assert_eq!(
            coupon_error(&EN, &refused("ERROR_COUPON_EXPIRED", "{}"), "X"),
            "“X” has expired."
        );
        assert_eq!(
            coupon_error(
                &EN,
                &refused(
                    "ERROR_COUPON_NOT_APPLICABLE",
                    r#"{"reason":"MIN_SUBTOTAL_NOT_REACHED","minimumSubtotal":"200"}"#
                ),
                "BIG50"
            ),
            "“BIG50” needs a subtotal of at least 200."
        );
        assert_eq!(
            coupon_error(
                &EN,
                &refused(
                    "ERROR_COUPON_NOT_APPLICABLE",
                    r#"{"reason":"NOT_ACTIVE_YET"}"#
                ),
                "X"
            ),
            "“X” isn't active yet."
        );
        assert_eq!(
            coupon_error(
                &EN,
                &refused(
                    "ERROR_COUPON_NOT_APPLICABLE",
                    r#"{"reason":"NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS"}"#
                ),
                "X"
            ),
            "“X” doesn't apply to the items in your cart."
        );
        assert_eq!(
            coupon_error(&FR, &refused("ERROR_COUPON_EXPIRED", "{}"), "X"),
            "« X » a expiré."
        );
        let offline = ApiError::Network("offline".into());
        assert_eq!(
            coupon_error(&EN, &offline, "X"),
            "The code couldn't be applied (network error: offline)."
        );
    }
}
