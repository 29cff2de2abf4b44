//! Visitor tokens as the widget keeps them in `localStorage`.

use cart_wire::TokenResponse;
use serde::{Deserialize, Serialize};

/// Renew the access token this long before it expires, so a request in
/// flight never carries a token that expires on the way.
const EXPIRY_MARGIN_MS: f64 = 60_000.0;

/// An access token, when it expires, and the refresh token that renews it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitorTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at_ms: f64,
}

impl VisitorTokens {
    /// Tokens from a `/oauth2/token` answer received at `now_ms`.
    pub fn from_response(response: TokenResponse, now_ms: f64) -> Self {
        Self {
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            expires_at_ms: now_ms + response.expires_in as f64 * 1000.0,
        }
    }

    /// Whether the access token can still be used at `now_ms`.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        now_ms + EXPIRY_MARGIN_MS < self.expires_at_ms
    }
}

/// The `localStorage` key: one visitor per API and client id.
pub fn storage_key(api_base: &str, client_id: &str) -> String {
    format!("cart-widget:tokens:{client_id}@{api_base}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_a_minute_before_they_expire() {
        let tokens = VisitorTokens::from_response(
            TokenResponse {
                access_token: "a".into(),
                expires_in: 14_400,
                refresh_token: "r".into(),
            },
            1_000.0,
        );
        assert_eq!(tokens.expires_at_ms, 14_401_000.0);
        assert!(tokens.is_fresh(1_000.0));
        assert!(tokens.is_fresh(14_340_999.0));
        assert!(!tokens.is_fresh(14_341_000.0));
    }

    #[test]
    fn the_storage_key_separates_apis_and_clients() {
        assert_ne!(storage_key("https://a", "x"), storage_key("https://b", "x"));
        assert_ne!(storage_key("https://a", "x"), storage_key("https://a", "y"));
    }
}
