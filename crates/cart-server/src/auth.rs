//! Visitor tokens: issuing them and resolving the `Authorization` header.
//!
//! Tokens are random and opaque; the database keeps only their SHA-256.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::TokenKind;
use crate::error::ApiError;

/// Lifetime of an access token, as Wix issues them.
pub const ACCESS_TOKEN_SECONDS: u64 = 4 * 60 * 60;

/// A new random token with a prefix that says what it is.
pub fn new_token(kind: TokenKind) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let prefix = match kind {
        TokenKind::Access => "cart-access",
        TokenKind::Refresh => "cart-refresh",
    };
    format!("{prefix}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database stores in place of a token.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Current Unix time in seconds.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The visitor making the request, from a valid access token in
/// `Authorization` (raw, as Wix's SDK sends it, or `Bearer <token>`).
#[derive(Clone, Debug)]
pub struct Visitor(pub String);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = authorization(parts)
            .ok_or_else(|| ApiError::unauthenticated("Missing visitor access token"))?;
        state
            .db
            .visitor_for_token(&token_hash(token), TokenKind::Access, unix_now())
            .await?
            .map(Visitor)
            .ok_or_else(|| ApiError::unauthenticated("Access token is unknown or expired"))
    }
}

/// The `Authorization` header's credential: raw, or after `Bearer `.
fn authorization(parts: &Parts) -> Option<&str> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())?;
    Some(
        header
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("bearer "))
            .map_or(header, |_| header[7..].trim_start()),
    )
}

/// A caller holding the admin API key (the "Manage eCommerce" scope).
#[derive(Clone, Copy, Debug)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(expected) = &state.admin_key else {
            return Err(ApiError::application(
                axum::http::StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                "The cart-by-id API is off: start the server with an admin key",
                serde_json::json!({}),
            ));
        };
        let given = authorization(parts)
            .ok_or_else(|| ApiError::unauthenticated("Missing admin API key"))?;
        // Compare digests so the time taken says nothing about the key.
        let (given, expected) = (
            Sha256::digest(given.as_bytes()),
            Sha256::digest(expected.as_bytes()),
        );
        let differs = given
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if differs == 0 {
            Ok(Admin)
        } else {
            Err(ApiError::application(
                axum::http::StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                "Wrong admin API key",
                serde_json::json!({}),
            ))
        }
    }
}
