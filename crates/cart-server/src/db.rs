//! Storage: SQLite in WAL mode, schema from `migrations/`.
//!
//! Handlers only see the methods here, so another backend can replace this
//! module without touching them.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::cart::{StoredCart, StoredLine, now_timestamp};

/// How many times a read-modify-write of a cart is retried after losing a
/// race to another process sharing the database file.
const MAX_CART_UPDATE_ATTEMPTS: usize = 64;

/// Number of locks that serialise cart writes within this process.
const WRITE_LOCK_STRIPES: usize = 64;

/// A token kind: short-lived access token or long-lived refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    /// Writes to one cart queue behind one of these (chosen by visitor), so
    /// a burst of parallel changes to a cart does not spin on revision
    /// conflicts. The revision check still guards against other processes.
    write_locks: Arc<[tokio::sync::Mutex<()>]>,
}

impl Db {
    /// Opens (creating if missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("could not apply database migrations")?;
        let write_locks = (0..WRITE_LOCK_STRIPES)
            .map(|_| tokio::sync::Mutex::new(()))
            .collect();
        Ok(Self { pool, write_locks })
    }

    /// Stores the hash of a token for a visitor.
    pub async fn insert_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        visitor_id: &str,
        expires_at: Option<i64>,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO tokens (token_hash, kind, visitor_id, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(visitor_id)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The visitor a token belongs to, if the token exists and has not expired at `now`.
    pub async fn visitor_for_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT visitor_id FROM tokens
             WHERE token_hash = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    /// The visitor's current cart, if they have one.
    pub async fn cart_for_visitor(&self, visitor_id: &str) -> anyhow::Result<Option<StoredCart>> {
        let row = sqlx::query(
            "SELECT id, visitor_id, revision, lines, created_at, updated_at
             FROM carts WHERE visitor_id = ?",
        )
        .bind(visitor_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let lines: String = row.try_get("lines")?;
            Ok(StoredCart {
                id: row.try_get("id")?,
                visitor_id: row.try_get("visitor_id")?,
                revision: row.try_get("revision")?,
                lines: serde_json::from_str::<Vec<StoredLine>>(&lines)
                    .context("corrupt cart lines")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Applies `change` to the visitor's cart (creating it when missing) and
    /// saves it with the next revision. When another request changed the cart
    /// in between, the change is re-applied to the fresh cart, so concurrent
    /// updates are never lost. `change` may fail; nothing is saved then.
    pub async fn update_cart<E>(
        &self,
        visitor_id: &str,
        mut change: impl FnMut(&mut StoredCart) -> Result<(), E>,
    ) -> Result<StoredCart, E>
    where
        E: From<anyhow::Error>,
    {
        let _write = self.write_lock(visitor_id).lock().await;
        for _ in 0..MAX_CART_UPDATE_ATTEMPTS {
            let existing = self.cart_for_visitor(visitor_id).await?;
            let is_new = existing.is_none();
            let mut cart = existing.unwrap_or_else(|| StoredCart::new(visitor_id));
            let expected_revision = cart.revision;
            change(&mut cart)?;
            cart.revision = expected_revision + 1;
            cart.updated_at = now_timestamp();
            let lines = serde_json::to_string(&cart.lines).map_err(anyhow::Error::from)?;
            let saved = if is_new {
                sqlx::query(
                    "INSERT INTO carts (id, visitor_id, revision, lines, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (visitor_id) DO NOTHING",
                )
                .bind(&cart.id)
                .bind(&cart.visitor_id)
                .bind(cart.revision)
                .bind(&lines)
                .bind(&cart.created_at)
                .bind(&cart.updated_at)
                .execute(&self.pool)
                .await
            } else {
                sqlx::query(
                    "UPDATE carts SET revision = ?, lines = ?, updated_at = ?
                     WHERE id = ? AND revision = ?",
                )
                .bind(cart.revision)
                .bind(&lines)
                .bind(&cart.updated_at)
                .bind(&cart.id)
                .bind(expected_revision)
                .execute(&self.pool)
                .await
            };
            if saved.map_err(anyhow::Error::from)?.rows_affected() == 1 {
                return Ok(cart);
            }
        }
        Err(anyhow::anyhow!("cart of visitor {visitor_id} kept changing; update abandoned").into())
    }

    fn write_lock(&self, visitor_id: &str) -> &tokio::sync::Mutex<()> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        visitor_id.hash(&mut hasher);
        &self.write_locks[hasher.finish() as usize % self.write_locks.len()]
    }
}
