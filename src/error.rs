//! One error type for everything the API client can run into.

use cart_wire::OWNED_CART_NOT_FOUND;

use crate::wire::json::Json;

/// Why an API call failed. `Clone` so it can live in signals.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an HTTP answer (offline, DNS, CORS, aborted).
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error status. The rest comes from its
    /// error envelope `{message, details: {applicationError: {code, data}}}`
    /// (the message is `HTTP <status>` when the body was not one).
    #[error("HTTP {status}: {message}")]
    Server {
        status: u16,
        message: String,
        /// The application error code, e.g. `OWNED_CART_NOT_FOUND`.
        code: Option<String>,
        /// The application error's `data` (why a coupon was refused, …).
        data: Json,
    },
    /// A success status with a body that is not what the API promises.
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ApiError {
    /// The application error code, e.g. `OWNED_CART_NOT_FOUND`.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Server { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The visitor simply has no cart yet: an empty cart, not a failure.
    pub fn is_owned_cart_not_found(&self) -> bool {
        matches!(self, Self::Server { status: 404, .. })
            && self.code() == Some(OWNED_CART_NOT_FOUND)
    }

    /// No answer came (offline, timed out): what was sent may be sent again.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Network(_))
    }

    /// The access token was refused.
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Server { status: 401, .. })
    }

    /// Builds the error for a non-200 answer from its status and raw body.
    pub fn from_response(status: u16, body: &str) -> Self {
        let envelope = Json::parse(body).unwrap_or_default();
        let application_error = envelope.get("details").get("applicationError");
        Self::Server {
            status,
            message: envelope
                .get("message")
                .to_opt_string()
                .unwrap_or_else(|| "HTTP ".to_owned() + &status.to_string()),
            code: application_error.get("code").to_opt_string(),
            data: application_error.get("data").clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_no_cart_yet_answer() {
        let body = r#"{"message":"Owned cart not found","details":{"applicationError":
            {"code":"OWNED_CART_NOT_FOUND","description":"Owned cart not found","data":{}}}}"#;
        let error = ApiError::from_response(404, body);
        assert!(error.is_owned_cart_not_found());
        assert_eq!(error.code(), Some("OWNED_CART_NOT_FOUND"));
        assert!(!ApiError::from_response(404, "<html>Not Found</html>").is_owned_cart_not_found());
    }

    #[test]
    fn a_body_that_is_not_an_envelope_still_says_the_status() {
        let error = ApiError::from_response(502, "Bad Gateway");
        assert_eq!(error.to_string(), "HTTP 502: HTTP 502");
        assert_eq!(error.code(), None);
    }
}
