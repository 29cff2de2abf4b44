//! What the widget says to the shopper about errors, in words.

use crate::error::ApiError;

/// The message for a coupon the server refused.
pub fn coupon_error(error: &ApiError, code: &str) -> String {
    let data = match error {
        ApiError::Server { body, .. } => body.details.application_error.as_ref().map(|e| &e.data),
        _ => None,
    };
    let reason = data.and_then(|d| d["reason"].as_str());
    match (error.code(), reason) {
        (Some("ERROR_COUPON_DOES_NOT_EXIST"), _) => format!("“{code}” isn't a valid code."),
        (Some("ERROR_COUPON_EXPIRED"), _) => format!("“{code}” has expired."),
        (Some("ERROR_COUPON_NOT_APPLICABLE"), Some("MIN_SUBTOTAL_NOT_REACHED")) => {
            let minimum = data
                .and_then(|d| d["minimumSubtotal"].as_str())
                .unwrap_or("more");
            format!("“{code}” needs a subtotal of at least {minimum}.")
        }
        (Some("ERROR_COUPON_NOT_APPLICABLE"), Some("NOT_ACTIVE_YET")) => {
            format!("“{code}” isn't active yet.")
        }
        (Some("ERROR_COUPON_NOT_APPLICABLE"), Some("NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS")) => {
            format!("“{code}” doesn't apply to the items in your cart.")
        }
        (Some("ERROR_COUPON_NOT_APPLICABLE"), _) => {
            format!("“{code}” can't be used with this cart.")
        }
        _ => format!("The code couldn't be applied ({error})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: &str, data: &str) -> ApiError {
        let body = format!(
            r#"{{"message":"m","details":{{"applicationError":{{"code":"{code}","description":"d","data":{data}}}}}}}"#
        );
        ApiError::from_response(400, &body)
    }

    #[test]
    fn each_coupon_error_has_its_own_message() {
        assert_eq!(
            coupon_error(&refused("ERROR_COUPON_DOES_NOT_EXIST", "{}"), "X"),
            "“X” isn't a valid code."
        );
        assert_eq!(
            coupon_error(&refused("ERROR_COUPON_EXPIRED", "{}"), "X"),
            "“X” has expired."
        );
        assert_eq!(
            coupon_error(
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
                &refused(
                    "ERROR_COUPON_NOT_APPLICABLE",
                    r#"{"reason":"NOT_APPLICABLE_TO_SELECTED_LINE_ITEMS"}"#
                ),
                "X"
            ),
            "“X” doesn't apply to the items in your cart."
        );
        let offline = ApiError::Network("offline".into());
        assert_eq!(
            coupon_error(&offline, "X"),
            "The code couldn't be applied (network error: offline)."
        );
    }
}
