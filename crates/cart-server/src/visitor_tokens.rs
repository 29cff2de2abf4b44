//! The life of a visitor's tokens: minted for a new visitor, spent on
//! refresh, expired, deleted. `routes/oauth.rs` is the HTTP side; `auth.rs`
//! makes the tokens and resolves them on each request.
//!
//! # Rules
//!
//! - An access token lives `ACCESS_TOKEN_SECONDS` (4 h, as Wix's do).
//! - A refresh token lives `--refresh-token-days` (30 by default) from its
//!   last use: each refresh gives it a new lifetime, so a visitor is
//!   forgotten after that many days without a visit, never while shopping.
//! - A refresh is a rotation (`Policy::rotate`, on unless
//!   `--keep-refresh-tokens`): it spends the refresh token, and the answer
//!   carries a new one. Kept instead, the answer carries the same token,
//!   which is what Wix's JS SDK needs: its `OAuthStrategy.renewToken` keeps
//!   the refresh token it sent and drops the one answered, so under
//!   rotation its second renewal is refused and it starts a new visitor,
//!   with an empty cart.
//! - Either way a refresh keeps the visitor, so the cart stays theirs, and
//!   ends every access token issued to them before (a copy of one taken
//!   before the refresh is worthless after it).
//! - A spent refresh token is still honoured for `--refresh-grace-secs`
//!   (60 by default; 0 turns it off), as Auth0's reuse interval and Okta's
//!   grace period do: an answer that never reached its tab (the page closed
//!   or the network dropped mid-renewal) would otherwise leave the browser
//!   holding only a spent token, and the shopper's next renewal would start
//!   a new visitor without their cart. Each refresh in the grace gets new
//!   tokens of the same visitor; the other refresh tokens it issued stay
//!   valid (one of them may be another tab's).
//! - A refresh token that is unknown, expired, or spent longer ago than the
//!   grace gets one answer, the one Wix gives for an invalid refresh token:
//!   401 `UNAUTHENTICATED`. The answer never tells which it was.
//! - Of two refreshes with one token at once (the storage spends a token
//!   atomically, across nodes too), both get new tokens when it is kept or
//!   within the grace; without a grace, one does and the other gets that
//!   answer.
//! - Expired tokens are deleted by `spawn_cleanup` on every node, every
//!   `CLEANUP_EVERY`, in batches of `CLEANUP_BATCH` that nodes cleaning up
//!   at once never wait on each other for (`Storage::delete_expired_tokens`).

use std::time::Duration;

use cart_wire::TokenResponse;

use crate::auth::{ACCESS_TOKEN_SECONDS, new_token, token_hash, unix_now};
use crate::db::{Db, TokenKind, TokenPair};
use crate::error::ApiError;

/// How many days a refresh token lives by default (`--refresh-token-days`).
pub const DEFAULT_REFRESH_TOKEN_DAYS: u32 = 30;

/// How many seconds a spent refresh token is still honoured by default
/// (`--refresh-grace-secs`): long enough for a renewal whose answer was lost
/// to be retried on the next page, short enough that a stolen spent token
/// is of little use.
pub const DEFAULT_REFRESH_GRACE_SECS: u32 = 60;

/// How often each node deletes the expired tokens.
pub const CLEANUP_EVERY: Duration = Duration::from_secs(60 * 60);

/// Tokens deleted per statement: short transactions, whatever piled up.
pub const CLEANUP_BATCH: i64 = 1_000;

/// How refresh tokens are handled (`--refresh-token-days`,
/// `--keep-refresh-tokens`, `--refresh-grace-secs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// How long a refresh token lives after its last use.
    pub refresh_lifetime: Duration,
    /// Whether a refresh replaces the refresh token (else keeps it).
    pub rotate: bool,
    /// How long a replaced refresh token is still honoured.
    pub spent_grace: Duration,
}

impl Policy {
    /// Refresh tokens that live `days` after their last use, rotated or
    /// kept; a replaced one honoured `grace_secs` more.
    pub fn new(days: u32, rotate: bool, grace_secs: u32) -> Self {
        Self {
            refresh_lifetime: Duration::from_secs(u64::from(days) * 24 * 60 * 60),
            rotate,
            spent_grace: Duration::from_secs(u64::from(grace_secs)),
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::new(DEFAULT_REFRESH_TOKEN_DAYS, true, DEFAULT_REFRESH_GRACE_SECS)
    }
}

/// Tokens for a new anonymous visitor.
pub async fn mint(db: &Db, policy: Policy) -> Result<TokenResponse, ApiError> {
    let visitor = uuid::Uuid::new_v4().to_string();
    let (tokens, pair) = new_pair(unix_now(), policy.refresh_lifetime, None);
    db.insert_token(
        &pair.refresh_hash,
        TokenKind::Refresh,
        &visitor,
        pair.refresh_expires_at,
    )
    .await?;
    db.insert_token(
        &pair.access_hash,
        TokenKind::Access,
        &visitor,
        pair.access_expires_at,
    )
    .await?;
    Ok(tokens)
}

/// New tokens for the visitor `refresh_token` belongs to, spending it
/// (honoured for the policy's grace more) unless the policy keeps it.
pub async fn refresh(
    db: &Db,
    policy: Policy,
    refresh_token: &str,
) -> Result<TokenResponse, ApiError> {
    let now = unix_now();
    let kept = (!policy.rotate).then_some(refresh_token);
    let (tokens, pair) = new_pair(now, policy.refresh_lifetime, kept);
    let grace = i64::try_from(policy.spent_grace.as_secs()).unwrap_or(i64::MAX);
    db.exchange_refresh_token(
        &token_hash(refresh_token),
        now,
        now.saturating_add(grace),
        &pair,
    )
    .await?
    .ok_or_else(|| ApiError::unauthenticated("Refresh token is unknown or expired"))?;
    Ok(tokens)
}

/// Deletes every token expired at `now`, `batch` at a time; how many.
pub async fn delete_expired(db: &Db, now: i64, batch: i64) -> anyhow::Result<u64> {
    let mut deleted = 0;
    loop {
        let this_batch = db.delete_expired_tokens(now, batch).await?;
        deleted += this_batch;
        // A short batch: nothing left, or the rest is another node's.
        if this_batch < batch.unsigned_abs() {
            return Ok(deleted);
        }
    }
}

/// Deletes the expired tokens now and every `every`, until aborted; a
/// failure (the database away) is logged and tried again next time.
pub fn spawn_cleanup(db: Db, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // The first tick is at once: a node that was down catches up.
            ticks.tick().await;
            match delete_expired(&db, unix_now(), CLEANUP_BATCH).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "expired visitor tokens deleted"),
                Err(error) => tracing::warn!("deleting expired visitor tokens failed: {error:#}"),
            }
        }
    })
}

/// A new access token and a new refresh token (or `kept`, the one the
/// refresh used) issued at `now`: as the answer gives them, and as the
/// database keeps them.
fn new_pair(
    now: i64,
    refresh_lifetime: Duration,
    kept: Option<&str>,
) -> (TokenResponse, TokenPair) {
    let access_token = new_token(TokenKind::Access);
    let refresh_token = kept.map_or_else(|| new_token(TokenKind::Refresh), str::to_owned);
    let refresh_seconds = i64::try_from(refresh_lifetime.as_secs()).unwrap_or(i64::MAX);
    let pair = TokenPair {
        access_hash: token_hash(&access_token),
        access_expires_at: now.saturating_add_unsigned(ACCESS_TOKEN_SECONDS),
        refresh_hash: token_hash(&refresh_token),
        refresh_expires_at: now.saturating_add(refresh_seconds),
    };
    let tokens = TokenResponse {
        access_token,
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token,
    };
    (tokens, pair)
}
