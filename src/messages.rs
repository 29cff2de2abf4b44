//! What the widget says to the shopper about errors, in words.

use cart_wire::{
    COUPON_DOES_NOT_EXIST, COUPON_EXPIRED, COUPON_NOT_APPLICABLE, COUPON_REASON_MIN_SUBTOTAL,
    COUPON_REASON_NO_APPLICABLE_ITEMS, COUPON_REASON_NOT_ACTIVE_YET,
};

use crate::error::ApiError;
use crate::i18n::{Messages, fill};
use crate::wire::json::Json;

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
        _ => fill(t.coupon_failed, &[&error.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
