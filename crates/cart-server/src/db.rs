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

use crate::cart::{StoredCart, now_timestamp};

/// How many times a read-modify-write of a cart is retried after losing a
/// race to another process sharing the database file.
const MAX_CART_UPDATE_ATTEMPTS: usize = 64;

/// Number of locks that serialise cart writes within this process.
const WRITE_LOCK_STRIPES: usize = 64;

/// Which cart: a visitor's current cart, or a cart by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CartKey<'a> {
    Visitor(&'a str),
    Id(&'a str),
}

impl CartKey<'_> {
    fn column(&self) -> (&'static str, &str) {
        match self {
            Self::Visitor(visitor) => ("visitor_id", visitor),
            Self::Id(id) => ("id", id),
        }
    }
}

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
    /// Writes to one cart queue behind one of these (chosen by visitor or cart id), so
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
        self.find_cart(CartKey::Visitor(visitor_id)).await
    }

    /// A cart by its id.
    pub async fn cart_by_id(&self, cart_id: &str) -> anyhow::Result<Option<StoredCart>> {
        self.find_cart(CartKey::Id(cart_id)).await
    }

    async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>> {
        let (column, value) = key.column();
        let row = sqlx::query(&format!(
            "SELECT id, visitor_id, revision, content, created_at, updated_at FROM carts WHERE {column} = ?"
        ))
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let content: String = row.try_get("content")?;
            Ok(StoredCart {
                id: row.try_get("id")?,
                visitor_id: row.try_get("visitor_id")?,
                revision: row.try_get("revision")?,
                content: serde_json::from_str(&content).context("corrupt cart content")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Saves a new cart (revision 1).
    pub async fn insert_cart(&self, cart: &mut StoredCart) -> anyhow::Result<()> {
        cart.revision = 1;
        sqlx::query(
            "INSERT INTO carts (id, visitor_id, revision, content, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&cart.id)
        .bind(&cart.visitor_id)
        .bind(cart.revision)
        .bind(serde_json::to_string(&cart.content)?)
        .bind(&cart.created_at)
        .bind(&cart.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Applies `change` to a cart and saves it with the next revision. A
    /// missing visitor's cart is created when `create` is set; otherwise a
    /// missing cart gives `Ok(None)`. When another process changed the cart in
    /// between, the change is re-applied to the fresh cart, so concurrent
    /// updates are never lost. `change` may fail; nothing is saved then.
    pub async fn update_cart<E>(
        &self,
        key: CartKey<'_>,
        create: bool,
        mut change: impl FnMut(&mut StoredCart) -> Result<(), E>,
    ) -> Result<Option<StoredCart>, E>
    where
        E: From<anyhow::Error>,
    {
        let (_, lock_key) = key.column();
        let _write = self.write_lock(lock_key).lock().await;
        for _ in 0..MAX_CART_UPDATE_ATTEMPTS {
            let existing = self.find_cart(key).await?;
            let is_new = existing.is_none();
            let mut cart = match (existing, key) {
                (Some(cart), _) => cart,
                (None, CartKey::Visitor(visitor)) if create => StoredCart::new(Some(visitor)),
                (None, _) => return Ok(None),
            };
            let expected_revision = cart.revision;
            change(&mut cart)?;
            cart.revision = expected_revision + 1;
            cart.updated_at = now_timestamp();
            let content = serde_json::to_string(&cart.content).map_err(anyhow::Error::from)?;
            let saved = if is_new {
                sqlx::query(
                    "INSERT INTO carts (id, visitor_id, revision, content, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (visitor_id) DO NOTHING",
                )
                .bind(&cart.id)
                .bind(&cart.visitor_id)
                .bind(cart.revision)
                .bind(&content)
                .bind(&cart.created_at)
                .bind(&cart.updated_at)
                .execute(&self.pool)
                .await
            } else {
                sqlx::query(
                    "UPDATE carts SET revision = ?, content = ?, updated_at = ?
                     WHERE id = ? AND revision = ?",
                )
                .bind(cart.revision)
                .bind(&content)
                .bind(&cart.updated_at)
                .bind(&cart.id)
                .bind(expected_revision)
                .execute(&self.pool)
                .await
            };
            if saved.map_err(anyhow::Error::from)?.rows_affected() == 1 {
                return Ok(Some(cart));
            }
        }
        Err(anyhow::anyhow!("cart {lock_key} kept changing; update abandoned").into())
    }

    /// Deletes a cart (and its checkout); `false` when there was none.
    pub async fn delete_cart(&self, key: CartKey<'_>) -> anyhow::Result<bool> {
        let (column, value) = key.column();
        let _write = self.write_lock(value).lock().await;
        let mut tx = self.pool.begin().await?;
        let id: Option<String> =
            sqlx::query_scalar(&format!("SELECT id FROM carts WHERE {column} = ?"))
                .bind(value)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(id) = id else { return Ok(false) };
        sqlx::query("DELETE FROM checkouts WHERE cart_id = ?")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM carts WHERE id = ?")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Creates the cart's checkout, or updates it when it exists; returns its id.
    pub async fn upsert_checkout(
        &self,
        cart_id: &str,
        channel_type: &str,
        summary: &serde_json::Value,
    ) -> anyhow::Result<String> {
        let now = now_timestamp();
        let id: String = sqlx::query_scalar(
            "INSERT INTO checkouts (id, cart_id, channel_type, summary, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (cart_id) DO UPDATE SET channel_type = excluded.channel_type,
                 summary = excluded.summary, updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(cart_id)
        .bind(channel_type)
        .bind(summary.to_string())
        .bind(&now)
        .bind(&now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// A checkout's summary, for the checkout page.
    pub async fn checkout_summary(
        &self,
        checkout_id: &str,
    ) -> anyhow::Result<Option<serde_json::Value>> {
        let summary: Option<String> =
            sqlx::query_scalar("SELECT summary FROM checkouts WHERE id = ?")
                .bind(checkout_id)
                .fetch_optional(&self.pool)
                .await?;
        summary
            .map(|s| serde_json::from_str(&s).context("corrupt checkout"))
            .transpose()
    }

    fn write_lock(&self, key: &str) -> &tokio::sync::Mutex<()> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        &self.write_locks[hasher.finish() as usize % self.write_locks.len()]
    }
}
