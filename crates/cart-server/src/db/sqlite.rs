//! The SQLite backend (WAL mode; schema from `migrations/sqlite/`). Each
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
use sqlx::{Sqlite, Transaction};

use super::rows::{CART_COLUMNS, EVENT_COLUMNS, attempt_columns, cart_from_row, event_from_row};
use super::{
    AttemptOutcome, CartEvent, CartKey, CartWrite, CheckoutWrite, EventKind, EventStatus, Storage,
    TokenKind, TokenOwner, TokenPair, WriteOutcome, unix_millis,
};
use crate::cart::{StoredCart, now_timestamp};

pub struct SqliteStorage {
    pool: SqlitePool,
    /// The database file, locked (`flock`, which SQLite's own `fcntl` locks
    /// do not touch) for as long as this storage lives: one server per
    /// file, which is what lets `Db` keep its reads in memory. The kernel
    /// drops the lock when the process ends, `kill -9` included.
    _lock: std::fs::File,
}

impl SqliteStorage {
    /// Opens (creating if missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        Self::open_with(path, super::DEFAULT_POOL_SIZE).await
    }

    /// `open`, with at most `pool_size` connections.
    pub async fn open_with(path: &Path, pool_size: u32) -> anyhow::Result<Self> {
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
            .max_connections(pool_size)
            .connect_with(options)
            .await?;
        let lock = std::fs::File::open(path)?;
        if let Err(error) = lock.try_lock() {
            anyhow::bail!(
                "{} is in use by another cart-server ({error}): one server per SQLite file; \
                 several servers share a PostgreSQL database (--db postgres://…)",
                path.display()
            );
        }
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("could not apply database migrations")?;
        Ok(Self { pool, _lock: lock })
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
        expires_at: i64,
    ) -> anyhow::Result<()> {
        store_token(&self.pool, token_hash, kind, visitor_id, expires_at).await
    }

    async fn visitor_for_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> anyhow::Result<Option<TokenOwner>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT visitor_id, expires_at FROM tokens
             WHERE token_hash = ? AND kind = ? AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(visitor_id, expires_at)| TokenOwner {
            visitor_id,
            expires_at,
        }))
    }

    async fn exchange_refresh_token(
        &self,
        refresh_hash: &str,
        now: i64,
        spent_until: i64,
        new: &TokenPair,
    ) -> anyhow::Result<Option<String>> {
        // Starts with a write, as `write_cart` does: a second exchange of the
        // same token waits for the write lock and then finds it spent.
        let mut tx = self.pool.begin().await?;
        let visitor: Option<String> = sqlx::query_scalar(
            "UPDATE tokens
             SET expires_at = CASE WHEN token_hash = ? THEN ? ELSE MIN(expires_at, ?) END
             WHERE token_hash = ? AND kind = ? AND expires_at > ?
             RETURNING visitor_id",
        )
        .bind(&new.refresh_hash)
        .bind(new.refresh_expires_at)
        .bind(spent_until)
        .bind(refresh_hash)
        .bind(TokenKind::Refresh.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(visitor) = visitor else {
            tx.rollback().await?;
            return Ok(None);
        };
        // The visitor's earlier access tokens end; other refresh tokens of
        // theirs stay: one renewed in the grace may be another tab's.
        sqlx::query("DELETE FROM tokens WHERE visitor_id = ? AND kind = ?")
            .bind(&visitor)
            .bind(TokenKind::Access.as_str())
            .execute(&mut *tx)
            .await?;
        store_token(
            &mut *tx,
            &new.access_hash,
            TokenKind::Access,
            &visitor,
            new.access_expires_at,
        )
        .await?;
        if new.refresh_hash != refresh_hash {
            store_token(
                &mut *tx,
                &new.refresh_hash,
                TokenKind::Refresh,
                &visitor,
                new.refresh_expires_at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Some(visitor))
    }

    async fn delete_expired_tokens(&self, now: i64, limit: i64) -> anyhow::Result<u64> {
        // One statement: SQLite's write lock makes each batch whole.
        let deleted = sqlx::query(
            "DELETE FROM tokens WHERE token_hash IN (
                 SELECT token_hash FROM tokens WHERE expires_at <= ? LIMIT ?)",
        )
        .bind(now)
        .bind(limit)
        .execute(&self.pool)
        .await?;
        Ok(deleted.rows_affected())
    }

    async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>> {
        let row = sqlx::query(&format!(
            "SELECT {CART_COLUMNS} FROM carts WHERE {} = ?",
            column(key)
        ))
        .bind(key.value())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(cart_from_row).transpose()
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
                event,
            } => {
                if let Some(checkout) = checkout {
                    let id = upsert_checkout(&mut tx, &cart.id, &checkout).await?;
                    cart.content.checkout_id = Some(id);
                }
                if !save_cart(&mut tx, &cart, expected_revision).await? {
                    tx.rollback().await?;
                    return Ok(WriteOutcome::Stale);
                }
                if event {
                    let kind = if expected_revision == 0 {
                        EventKind::Created
                    } else {
                        EventKind::Updated
                    };
                    let visitor = cart.visitor_id.clone();
                    insert_event(&mut tx, &cart.id, kind, visitor.as_deref(), Some(&cart)).await?;
                }
                WriteOutcome::Committed(Some(cart))
            }
            CartWrite::Delete {
                cart_id,
                expected_revision,
                event,
            } => {
                sqlx::query("DELETE FROM checkouts WHERE cart_id = ?")
                    .bind(&cart_id)
                    .execute(&mut *tx)
                    .await?;
                let deleted: Option<Option<String>> = sqlx::query_scalar(
                    "DELETE FROM carts WHERE id = ? AND revision = ? RETURNING visitor_id",
                )
                .bind(&cart_id)
                .bind(expected_revision)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(visitor) = deleted else {
                    tx.rollback().await?;
                    return Ok(WriteOutcome::Stale);
                };
                if event {
                    insert_event(
                        &mut tx,
                        &cart_id,
                        EventKind::Deleted,
                        visitor.as_deref(),
                        None,
                    )
                    .await?;
                }
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

    async fn due_events(&self, now: i64, limit: i64) -> anyhow::Result<Vec<CartEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM cart_events AS e
             WHERE status = 'pending' AND next_attempt_at <= ?
               AND sequence = (SELECT MIN(sequence) FROM cart_events
                               WHERE cart_id = e.cart_id AND status = 'pending')
             ORDER BY created_at, cart_id LIMIT ?"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn claim_due_events(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<CartEvent>> {
        // One statement, so SQLite's write lock makes the choice and the
        // lease atomic for every process on the file.
        let rows = sqlx::query(&format!(
            "UPDATE cart_events SET lease_until = ?
             WHERE id IN (
                 SELECT id FROM cart_events AS e
                 WHERE status = 'pending' AND next_attempt_at <= ?
                   AND (lease_until IS NULL OR lease_until <= ?)
                   AND sequence = (SELECT MIN(sequence) FROM cart_events
                                   WHERE cart_id = e.cart_id AND status = 'pending')
                 ORDER BY created_at, cart_id LIMIT ?)
             RETURNING {EVENT_COLUMNS}"
        ))
        .bind(lease_until)
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn record_attempt(&self, event_id: &str, outcome: AttemptOutcome) -> anyhow::Result<()> {
        let (status, failed_at, next_attempt_at, error) = attempt_columns(outcome);
        sqlx::query(
            "UPDATE cart_events SET status = ?, attempts = attempts + 1,
                 failing_since = COALESCE(failing_since, ?),
                 next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?,
                 lease_until = NULL
             WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(failed_at)
        .bind(next_attempt_at)
        .bind(error)
        .bind(event_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn events(&self, status: EventStatus, limit: i64) -> anyhow::Result<Vec<CartEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM cart_events WHERE status = ?
             ORDER BY cart_id, sequence LIMIT ?"
        ))
        .bind(status.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn cart_events(&self, cart_id: &str) -> anyhow::Result<Vec<CartEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM cart_events WHERE cart_id = ? ORDER BY sequence"
        ))
        .bind(cart_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn requeue_failed(&self, now: i64) -> anyhow::Result<u64> {
        let requeued = sqlx::query(
            "UPDATE cart_events SET status = 'pending', attempts = 0, next_attempt_at = ?,
                 failing_since = NULL
             WHERE status = 'failed'",
        )
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(requeued.rows_affected())
    }

    async fn prune_delivered(&self, before: i64) -> anyhow::Result<u64> {
        let pruned = sqlx::query(
            "DELETE FROM cart_events
             WHERE status = 'delivered' AND created_at < ?
               AND sequence < (SELECT MAX(sequence) FROM cart_events AS later
                               WHERE later.cart_id = cart_events.cart_id)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(pruned.rows_affected())
    }

    async fn setting_or_insert(&self, key: &str, default: &str) -> anyhow::Result<String> {
        sqlx::query(
            "INSERT INTO server_settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(key)
        .bind(default)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM server_settings WHERE key = ?")
                .bind(key)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// Stores a token (its hash), through the pool or in a transaction.
async fn store_token<'e>(
    executor: impl sqlx::Executor<'e, Database = Sqlite>,
    token_hash: &str,
    kind: TokenKind,
    visitor_id: &str,
    expires_at: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, visitor_id, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(kind.as_str())
    .bind(visitor_id)
    .bind(expires_at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Queues a cart's next event (its sequence one past the cart's highest),
/// due at once, in the change's transaction.
async fn insert_event(
    tx: &mut Transaction<'_, Sqlite>,
    cart_id: &str,
    kind: EventKind,
    visitor_id: Option<&str>,
    cart: Option<&StoredCart>,
) -> anyhow::Result<()> {
    let now = unix_millis();
    let content = cart
        .map(|cart| serde_json::to_string(&cart.content))
        .transpose()?;
    sqlx::query(
        "INSERT INTO cart_events (id, cart_id, sequence, kind, visitor_id, cart_revision,
             cart_content, cart_created_at, cart_updated_at, created_at, next_attempt_at)
         VALUES (?, ?, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM cart_events WHERE cart_id = ?),
             ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(cart_id)
    .bind(cart_id)
    .bind(kind.slug())
    .bind(visitor_id)
    .bind(cart.map(|cart| cart.revision))
    .bind(content)
    .bind(cart.map(|cart| cart.created_at.as_str()))
    .bind(cart.map(|cart| cart.updated_at.as_str()))
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
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
