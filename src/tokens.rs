//! Visitor tokens as the widget keeps them in `localStorage`.

use crate::wire::answers::TokenAnswer;
use crate::wire::json::Json;

/// Renew the access token this long before it expires, so a request in
/// flight never carries a token that expires on the way.
pub const EXPIRY_MARGIN_MS: f64 = 60_000.0;

/// An access token, when it expires, and the refresh token that renews it.
#[derive(Clone, Debug, PartialEq)]
pub struct VisitorTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at_ms: f64,
}

impl VisitorTokens {
    /// Tokens from a `/oauth2/token` answer received at `now_ms`.
    pub fn from_response(response: TokenAnswer, now_ms: f64) -> Self {
        Self {
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            expires_at_ms: now_ms + f64::from(response.expires_in) * 1000.0,
        }
    }

    /// The tokens as stored: `{accessToken, refreshToken, expiresAtMs}`.
    pub fn to_json(&self) -> String {
        Json::object([
            ("accessToken", Json::str(&self.access_token)),
            ("refreshToken", Json::str(&self.refresh_token)),
            ("expiresAtMs", Json::int(self.expires_at_ms as i64)),
        ])
        .to_json()
    }

    /// Tokens as stored; `None` when the text is not such a record.
    pub fn from_json(text: &str) -> Option<Self> {
        let json = Json::parse(text).ok()?;
        // Whole milliseconds; a fraction (older records) is dropped unparsed.
        let expires_at = match json.get("expiresAtMs") {
            Json::Number(ms) => ms.split('.').next()?.parse::<u64>().ok()?,
            _ => return None,
        };
        Some(Self {
            access_token: json.get("accessToken").to_opt_string()?,
            refresh_token: json.get("refreshToken").to_opt_string()?,
            expires_at_ms: expires_at as f64,
        })
    }

    /// Whether the access token can still be used at `now_ms`.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        now_ms + EXPIRY_MARGIN_MS < self.expires_at_ms
    }
}

/// What every token key starts with (`storage_key`).
pub const STORAGE_KEY_PREFIX: &str = "cart-widget:tokens:";

/// The `localStorage` key: one visitor per API and client id.
pub fn storage_key(api_base: &str, client_id: &str) -> String {
    [STORAGE_KEY_PREFIX, client_id, "@", api_base].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_a_minute_before_they_expire() {
        let tokens = VisitorTokens::from_response(
            TokenAnswer {
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
    fn stored_tokens_read_back_including_older_records() {
        let tokens = VisitorTokens {
            access_token: "a\"b".into(),
            refresh_token: "r".into(),
            expires_at_ms: 1_732_230_000_123.0,
        };
        assert_eq!(VisitorTokens::from_json(&tokens.to_json()), Some(tokens));
        let older = r#"{"accessToken":"a","refreshToken":"r","expiresAtMs":1732230000123.0}"#;
        assert_eq!(
            VisitorTokens::from_json(older).map(|t| t.expires_at_ms),
            Some(1_732_230_000_123.0)
        );
        assert_eq!(VisitorTokens::from_json(r#"{"accessToken":"a"}"#), None);
        assert_eq!(VisitorTokens::from_json("not json"), None);
    }

    #[test]
    fn the_storage_key_separates_apis_and_clients() {
        assert_ne!(storage_key("https://a", "x"), storage_key("https://b", "x"));
        assert_ne!(storage_key("https://a", "x"), storage_key("https://a", "y"));
    }
}
