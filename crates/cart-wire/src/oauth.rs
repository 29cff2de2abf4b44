//! `POST /oauth2/token`: anonymous visitor tokens and their refresh.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Grant type for a new anonymous visitor.
pub const GRANT_ANONYMOUS: &str = "anonymous";
/// Grant type for exchanging a refresh token for a new access token.
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";

/// The token request body, as Wix's `OAuthStrategy` sends it.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TokenRequest {
    pub client_id: String,
    pub grant_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// The token response; the SDK reads exactly these three fields.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
    pub refresh_token: String,
}
