//! `POST /oauth2/token`: anonymous visitor tokens and refresh (the rules are
//! `visitor_tokens.rs`'s).

use axum::Router;
use std::net::SocketAddr;

use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::routing::post;
use cart_wire::{GRANT_REFRESH_TOKEN, TokenRequest, TokenResponse};

use crate::AppState;
use crate::error::{ApiError, ApiJson};
use crate::validate;
use crate::visitor_tokens;

pub fn router() -> Router<AppState> {
    Router::new().route(cart_wire::TOKEN_PATH, post(token_create))
}

/// Issues tokens: for a new anonymous visitor (`grantType: anonymous`), or
/// for the visitor a refresh token belongs to (`grantType: refresh_token`;
/// the answer's refresh token replaces the one sent, unless kept).
async fn token_create(
    State(state): State<AppState>,
    // Absent when the router is called directly (tests): one shared client.
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<ApiJson<TokenResponse>, ApiError> {
    validate::token_request(&request)?;
    let policy = state.token_policy;
    let tokens = match request.refresh_token {
        Some(refresh_token) if request.grant_type == GRANT_REFRESH_TOKEN => {
            visitor_tokens::refresh(&state.db, policy, &refresh_token).await?
        }
        _ => {
            // Only new visitors count: a refresh creates nothing.
            let peer = peer.map(|Extension(ConnectInfo(address))| address.ip());
            state.token_limiter.check(peer, &headers)?;
            visitor_tokens::mint(&state.db, policy).await?
        }
    };
    Ok(ApiJson(tokens))
}
