//! The SQLite backend (WAL mode; schema from `migrations/`). Each
//! `write_cart` is one `pool.begin()` transaction; see there for why a
//! deferred `BEGIN` does not run into SQLITE_BUSY.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};

use super::{CartKey, CartWrite, CheckoutWrite, Storage, TokenKind, WriteOutcome};
use crate::cart::{StoredCart, now_timestamp};

pub struct SqliteStorage {
    pool: SqlitePool,
}

impl SqliteStorage {
    /// Opens (creating if missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL with NORMAL syncs at checkpoints, not on every commit: a
            // crash of the server loses nothing, a power cut at most the last
            // moments' changes. FULL (sqlx's default) made every cart change
            // wait for a disk flush, and on a slow disk (15 ms per flush) the
            // mixed benchmark fell from ~3,200 to ~280 req/s with timeouts.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("could not apply database migrations")?;
        Ok(Self { pool })
    }
}

fn column(key: CartKey<'_>) -> &'static str {
    match key {
        CartKey::Visitor(_) => "visitor_id",
        CartKey::Id(_) => "id",
    }
}

#[async_trait]
impl Storage for SqliteStorage {
    async fn insert_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        visitor_id: &str,
        expires_at: Option<i64>,
    ) -> anyhow::Result<()> {
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

    async fn visitor_for_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> anyhow::Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT visitor_id FROM tokens
             WHERE token_hash = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>> {
        let row = sqlx::query(&format!(
            "SELECT id, visitor_id, revision, content, created_at, updated_at FROM carts WHERE {} = ?",
            column(key)
        ))
        .bind(key.value())
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

    async fn write_cart(&self, write: CartWrite) -> anyhow::Result<WriteOutcome> {
        // A deferred transaction is enough: each one below starts with a
        // write, so SQLite takes the write lock at the first statement (and
        // waits up to `busy_timeout` for another writer) instead of first
        // reading and later upgrading a read snapshot, which fails with
        // SQLITE_BUSY at once, without waiting, when another writer committed
        // in between. Keep a write first when changing these.
        let mut tx = self.pool.begin().await?;
        let outcome = match write {
            CartWrite::Save {
                mut cart,
                expected_revision,
                checkout,
            } => {
                if let Some(checkout) = checkout {
                    let id = upsert_checkout(&mut tx, &cart.id, &checkout).await?;
                    cart.content.checkout_id = Some(id);
                }
                if !save_cart(&mut tx, &cart, expected_revision).await? {
                    tx.rollback().await?;
                    return Ok(WriteOutcome::Stale);
                }
                // Cart-events outbox seam: the `created` (expected_revision 0)
                // or `updated` event row for (cart.id, cart.revision) goes
                // here, in this transaction.
                WriteOutcome::Committed(Some(cart))
            }
            CartWrite::Delete {
                cart_id,
                expected_revision,
            } => {
                sqlx::query("DELETE FROM checkouts WHERE cart_id = ?")
                    .bind(&cart_id)
                    .execute(&mut *tx)
                    .await?;
                let deleted = sqlx::query("DELETE FROM carts WHERE id = ? AND revision = ?")
                    .bind(&cart_id)
                    .bind(expected_revision)
                    .execute(&mut *tx)
                    .await?;
                if deleted.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Ok(WriteOutcome::Stale);
                }
                // Cart-events outbox seam: the `deleted` event row goes here.
                WriteOutcome::Committed(None)
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn checkout_summary(&self, checkout_id: &str) -> anyhow::Result<Option<Value>> {
        let summary: Option<String> =
            sqlx::query_scalar("SELECT summary FROM checkouts WHERE id = ?")
                .bind(checkout_id)
                .fetch_optional(&self.pool)
                .await?;
        summary
            .map(|s| serde_json::from_str(&s).context("corrupt checkout"))
            .transpose()
    }
}

/// Inserts the cart (`expected_revision` 0) or updates it while its stored
/// revision still is `expected_revision`; `false` when that check failed.
async fn save_cart(
    tx: &mut Transaction<'_, Sqlite>,
    cart: &StoredCart,
    expected_revision: i64,
) -> anyhow::Result<bool> {
    let content = serde_json::to_string(&cart.content)?;
    let saved = if expected_revision == 0 {
        sqlx::query(
            "INSERT INTO carts (id, visitor_id, revision, content, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(&cart.id)
        .bind(&cart.visitor_id)
        .bind(cart.revision)
        .bind(&content)
        .bind(&cart.created_at)
        .bind(&cart.updated_at)
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE carts SET revision = ?, content = ?, updated_at = ? WHERE id = ? AND revision = ?",
        )
        .bind(cart.revision)
        .bind(&content)
        .bind(&cart.updated_at)
        .bind(&cart.id)
        .bind(expected_revision)
        .execute(&mut **tx)
        .await?
    };
    Ok(saved.rows_affected() == 1)
}

/// Creates the cart's checkout, or updates the one it has (keeping its id);
/// returns the checkout's id.
async fn upsert_checkout(
    tx: &mut Transaction<'_, Sqlite>,
    cart_id: &str,
    checkout: &CheckoutWrite,
) -> anyhow::Result<String> {
    let now = now_timestamp();
    Ok(sqlx::query_scalar(
        "INSERT INTO checkouts (id, cart_id, channel_type, summary, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (cart_id) DO UPDATE SET channel_type = excluded.channel_type,
             summary = excluded.summary, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(cart_id)
    .bind(&checkout.channel_type)
    .bind(checkout.summary.to_string())
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_in_wal_mode_without_a_flush_per_commit() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("cart.db"))
            .await
            .unwrap();
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&storage.pool)
            .await
            .unwrap();
        assert_eq!(journal, "wal");
        assert_eq!(synchronous, 1, "PRAGMA synchronous should be NORMAL (1)");
    }
}
