//! `POST /oauth2/token`: anonymous visitor tokens and refresh.

use axum::Router;
use std::net::SocketAddr;

use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::routing::post;
use cart_wire::{GRANT_REFRESH_TOKEN, TokenRequest, TokenResponse};

use crate::AppState;
use crate::auth::{ACCESS_TOKEN_SECONDS, new_token, token_hash, unix_now};
use crate::db::TokenKind;
use crate::error::{ApiError, ApiJson};
use crate::validate;

pub fn router() -> Router<AppState> {
    Router::new().route(cart_wire::TOKEN_PATH, post(token_create))
}

/// Issues an access token: for a new anonymous visitor (`grantType: anonymous`),
/// or for the visitor a refresh token belongs to (`grantType: refresh_token`;
/// the refresh token stays valid and is returned again).
async fn token_create(
    State(state): State<AppState>,
    // Absent when the router is called directly (tests): one shared client.
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<ApiJson<TokenResponse>, ApiError> {
    validate::token_request(&request)?;
    let peer = peer.map(|Extension(ConnectInfo(address))| address.ip());

    let (visitor_id, refresh_token) = match request.refresh_token {
        Some(refresh_token) if request.grant_type == GRANT_REFRESH_TOKEN => {
            let visitor = state
                .db
                .visitor_for_token(&token_hash(&refresh_token), TokenKind::Refresh, unix_now())
                .await?
                .ok_or_else(|| ApiError::unauthenticated("Refresh token is unknown"))?;
            (visitor, refresh_token)
        }
        _ => {
            // Only new visitors count: a refresh creates nothing.
            state.token_limiter.check(peer, &headers)?;
            let visitor = uuid::Uuid::new_v4().to_string();
            let refresh_token = new_token(TokenKind::Refresh);
            state
                .db
                .insert_token(
                    &token_hash(&refresh_token),
                    TokenKind::Refresh,
                    &visitor,
                    None,
                )
                .await?;
            (visitor, refresh_token)
        }
    };
    let access_token = new_token(TokenKind::Access);
    let expires_at = unix_now() + ACCESS_TOKEN_SECONDS as i64;
    state
        .db
        .insert_token(
            &token_hash(&access_token),
            TokenKind::Access,
            &visitor_id,
            Some(expires_at),
        )
        .await?;
    Ok(ApiJson(TokenResponse {
        access_token,
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token,
    }))
}
