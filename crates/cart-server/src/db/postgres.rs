//! The PostgreSQL backend: any number of server nodes on one database
//! (schema from `migrations/postgres/`). The SQL says what the SQLite
//! backend's does, in PostgreSQL's dialect; where the two differ in how
//! they stay correct with several writers, the comment says so.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection, Postgres, Transaction};

use super::rows::{CART_COLUMNS, EVENT_COLUMNS, attempt_columns, cart_from_row, event_from_row};
use super::{
    AttemptOutcome, CartEvent, CartKey, CartWrite, CheckoutWrite, EventKind, EventStatus, Storage,
    TokenKind, TokenOwner, TokenPair, WriteOutcome, unix_millis,
};
use crate::cart::{StoredCart, now_timestamp};

/// How long a request waits for a connection before it fails (503 when the
/// database is down): short, so a lost database answers quickly rather than
/// holding every request for sqlx's default 30 s.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the first connection at start may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct PostgresStorage {
    pool: PgPool,
}

impl PostgresStorage {
    /// Connects to the database at `url` (at most `pool_size` connections)
    /// and brings its schema up to date.
    ///
    /// Several nodes starting at once on an empty database is safe: sqlx's
    /// PostgreSQL migrator takes `pg_advisory_lock` (a key derived from the
    /// database's name) before it even creates `_sqlx_migrations`, and
    /// releases it after the last migration (sqlx-postgres 0.8
    /// `migrate.rs`, `Migrate::lock`; `Migrator::run_direct` calls it while
    /// `locking`, which is on by default). The other nodes wait on the lock,
    /// then find everything applied.
    pub async fn connect(url: &str, pool_size: u32) -> anyhow::Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .context("not a valid postgres:// URL")?
            .application_name("cart-server");
        // One connection first, on its own: the pool would report a refused
        // connection only as "pool timed out", this says why. Bounded, for a
        // host that drops packets rather than refusing them.
        let first = tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options))
            .await
            .map_err(|_| anyhow::anyhow!("no answer within {CONNECT_TIMEOUT:?}"))
            .context("could not connect")?;
        first.context("could not connect")?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(pool_size)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .context("could not connect")?;
        sqlx::migrate!("./migrations/postgres")
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
impl Storage for PostgresStorage {
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
             WHERE token_hash = $1 AND kind = $2 AND expires_at > $3",
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
        // The UPDATE locks the token's row: a second exchange of it, on any
        // node, waits for this transaction, then (READ COMMITTED re-checks
        // the row as committed) finds it spent, or kept or in its grace and
        // still valid.
        let mut tx = self.pool.begin().await?;
        let visitor: Option<String> = sqlx::query_scalar(
            "UPDATE tokens
             SET expires_at = CASE WHEN token_hash = $1 THEN $2 ELSE LEAST(expires_at, $3) END
             WHERE token_hash = $4 AND kind = $5 AND expires_at > $6
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
        sqlx::query("DELETE FROM tokens WHERE visitor_id = $1 AND kind = $2")
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
        // SKIP LOCKED: nodes cleaning up at once each take rows no other is
        // deleting (nor a refresh is spending), and none waits.
        let deleted = sqlx::query(
            "DELETE FROM tokens WHERE token_hash IN (
                 SELECT token_hash FROM tokens WHERE expires_at <= $1
                 LIMIT $2 FOR UPDATE SKIP LOCKED)",
        )
        .bind(now)
        .bind(limit)
        .execute(&self.pool)
        .await?;
        Ok(deleted.rows_affected())
    }

    async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>> {
        let row = sqlx::query(&format!(
            "SELECT {CART_COLUMNS} FROM carts WHERE {} = $1",
            column(key)
        ))
        .bind(key.value())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(cart_from_row).transpose()
    }

    async fn write_cart(&self, write: CartWrite) -> anyhow::Result<WriteOutcome> {
        // READ COMMITTED is enough: the revision check is the `UPDATE … WHERE
        // revision = $n` itself. A second writer of the same cart blocks on
        // the row lock the first one's UPDATE took, and when that commits
        // PostgreSQL re-checks the WHERE against the new row: the revision
        // has moved, no row matches, and the write is `Stale`. Inserts race
        // the same way on the primary key and `visitor_id`'s unique index.
        // Every write locks the checkout (if any) before the cart, so two
        // writers never wait on each other in a cycle.
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
                sqlx::query("DELETE FROM checkouts WHERE cart_id = $1")
                    .bind(&cart_id)
                    .execute(&mut *tx)
                    .await?;
                let deleted: Option<Option<String>> = sqlx::query_scalar(
                    "DELETE FROM carts WHERE id = $1 AND revision = $2 RETURNING visitor_id",
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
            sqlx::query_scalar("SELECT summary FROM checkouts WHERE id = $1")
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
             WHERE status = 'pending' AND next_attempt_at <= $1
               AND sequence = (SELECT MIN(sequence) FROM cart_events
                               WHERE cart_id = e.cart_id AND status = 'pending')
             ORDER BY created_at, cart_id LIMIT $2"
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
        // `FOR UPDATE SKIP LOCKED`: a node claiming at the same moment skips
        // the rows this one is leasing instead of waiting for them. A row
        // whose lease another node committed meanwhile is re-checked by
        // PostgreSQL against the WHERE (its `lease_until` is now in the
        // future, or it is no longer pending) and left out.
        let rows = sqlx::query(&format!(
            "UPDATE cart_events SET lease_until = $1
             WHERE id IN (
                 SELECT id FROM cart_events AS e
                 WHERE status = 'pending' AND next_attempt_at <= $2
                   AND (lease_until IS NULL OR lease_until <= $2)
                   AND sequence = (SELECT MIN(sequence) FROM cart_events
                                   WHERE cart_id = e.cart_id AND status = 'pending')
                 ORDER BY created_at, cart_id LIMIT $3
                 FOR UPDATE SKIP LOCKED)
             RETURNING {EVENT_COLUMNS}"
        ))
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn record_attempt(&self, event_id: &str, outcome: AttemptOutcome) -> anyhow::Result<()> {
        let (status, failed_at, next_attempt_at, error) = attempt_columns(outcome);
        sqlx::query(
            "UPDATE cart_events SET status = $1, attempts = attempts + 1,
                 failing_since = COALESCE(failing_since, $2),
                 next_attempt_at = COALESCE($3, next_attempt_at), last_error = $4,
                 lease_until = NULL
             WHERE id = $5",
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
            "SELECT {EVENT_COLUMNS} FROM cart_events WHERE status = $1
             ORDER BY cart_id, sequence LIMIT $2"
        ))
        .bind(status.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn cart_events(&self, cart_id: &str) -> anyhow::Result<Vec<CartEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM cart_events WHERE cart_id = $1 ORDER BY sequence"
        ))
        .bind(cart_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn requeue_failed(&self, now: i64) -> anyhow::Result<u64> {
        let requeued = sqlx::query(
            "UPDATE cart_events SET status = 'pending', attempts = 0, next_attempt_at = $1,
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
             WHERE status = 'delivered' AND created_at < $1
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
            "INSERT INTO server_settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(key)
        .bind(default)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM server_settings WHERE key = $1")
                .bind(key)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// Stores a token (its hash), through the pool or in a transaction.
async fn store_token<'e>(
    executor: impl sqlx::Executor<'e, Database = Postgres>,
    token_hash: &str,
    kind: TokenKind,
    visitor_id: &str,
    expires_at: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, visitor_id, expires_at) VALUES ($1, $2, $3, $4)",
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
/// due at once, in the change's transaction. Only the writer holding the
/// cart's row lock gets here, so two nodes never count from the same
/// highest sequence (and `UNIQUE (cart_id, sequence)` would refuse it).
async fn insert_event(
    tx: &mut Transaction<'_, Postgres>,
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
         VALUES ($1, $2,
             (SELECT COALESCE(MAX(sequence), 0) + 1 FROM cart_events WHERE cart_id = $2),
             $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(cart_id)
    .bind(kind.slug())
    .bind(visitor_id)
    .bind(cart.map(|cart| cart.revision))
    .bind(content)
    .bind(cart.map(|cart| cart.created_at.as_str()))
    .bind(cart.map(|cart| cart.updated_at.as_str()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts the cart (`expected_revision` 0) or updates it while its stored
/// revision still is `expected_revision`; `false` when that check failed.
async fn save_cart(
    tx: &mut Transaction<'_, Postgres>,
    cart: &StoredCart,
    expected_revision: i64,
) -> anyhow::Result<bool> {
    let content = serde_json::to_string(&cart.content)?;
    let saved = if expected_revision == 0 {
        sqlx::query(
            "INSERT INTO carts (id, visitor_id, revision, content, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
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
            "UPDATE carts SET revision = $1, content = $2, updated_at = $3
             WHERE id = $4 AND revision = $5",
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
    tx: &mut Transaction<'_, Postgres>,
    cart_id: &str,
    checkout: &CheckoutWrite,
) -> anyhow::Result<String> {
    let now = now_timestamp();
    Ok(sqlx::query_scalar(
        "INSERT INTO checkouts (id, cart_id, channel_type, summary, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (cart_id) DO UPDATE SET channel_type = excluded.channel_type,
             summary = excluded.summary, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(cart_id)
    .bind(&checkout.channel_type)
    .bind(checkout.summary.to_string())
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?)
}
