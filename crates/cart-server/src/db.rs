//! Storage. The service (`carts.rs`) and the extractors use `Db`; what a
//! backend must provide is the `Storage` trait, implemented for SQLite (WAL
//! mode, schema from `migrations/sqlite/`) in `db/sqlite.rs` and for
//! PostgreSQL (schema from `migrations/postgres/`) in `db/postgres.rs`. Both
//! pass the same contract suite (`tests/storage_contract.rs`); nothing above
//! this module knows which one it runs on. `DbLocation` (`--db`) chooses.
//!
//! # One write path
//!
//! Every change to a cart (create, update, checkout, delete) reaches the
//! backend as one `CartWrite`, committed by `Storage::write_cart` in one
//! transaction together with the revision check. When cart events are on
//! (`Db::with_events`), the same transaction inserts the change's row in the
//! cart-events outbox (`CartEvent`): a change is never committed without its
//! event, nor an event without its change. The webhooks dispatcher
//! (`webhooks/`) reads the outbox through the same `Storage` trait.
//!
//! # Concurrency model
//!
//! - Within this process, writes to one cart queue behind one of
//!   `WRITE_LOCK_STRIPES` locks (chosen by visitor or cart id), so a burst
//!   of parallel changes to a cart does not spin on revision conflicts.
//! - Across processes sharing the database, the revision is a
//!   compare-and-swap: a write names the revision it was computed from and
//!   is refused (nothing written) when the stored one moved on. `Db` then
//!   re-reads the cart and re-applies the change, up to
//!   `MAX_CART_UPDATE_ATTEMPTS` times, so concurrent updates are never lost.
//!   This is what keeps several server nodes on one PostgreSQL database
//!   correct: the stripes only save retries within a node.
//! - The outbox is shared the same way: a dispatcher claims the events it
//!   sends (`Storage::claim_due_events`) with a lease, so each pending event
//!   is in one node's hands at a time, and a node that dies only delays its
//!   events until the lease runs out.
//! - A refresh token is spent once, then honoured for a short grace at
//!   most: `Storage::exchange_refresh_token` rewrites its row's expiry
//!   first thing in its transaction, so a second exchange of it waits
//!   (SQLite's write lock, PostgreSQL's row lock) and then finds it spent. Expired tokens are deleted in batches that skip rows another
//!   node is deleting (`FOR UPDATE SKIP LOCKED`), so clean-ups on several
//!   nodes never wait on each other.
//!
//! # A database that goes away
//!
//! `is_unavailable` tells a lost connection from any other failure, so the
//! HTTP layer answers 503 (try again) rather than 500; the pools reconnect
//! by themselves when the database is back.

mod postgres;
mod read_cache;
mod rows;
mod sqlite;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

pub use postgres::PostgresStorage;
use read_cache::ReadCache;
pub use sqlite::SqliteStorage;

use crate::cart::{StoredCart, now_timestamp};

/// Connections a server node keeps to its database at most (`--db-pool-size`).
/// Eight keep two cores busy; PostgreSQL's default of 100 connections then
/// leaves room for a dozen nodes.
pub const DEFAULT_POOL_SIZE: u32 = 8;

/// Where the data lives: a SQLite file, or a PostgreSQL database shared by
/// any number of server nodes. Parsed from `--db`; printed without the
/// password.
#[derive(Clone, PartialEq, Eq)]
pub enum DbLocation {
    Sqlite(PathBuf),
    /// A `postgres://` (or `postgresql://`) URL.
    Postgres(String),
}

impl DbLocation {
    /// A `postgres://` or `postgresql://` URL, else a SQLite file path.
    pub fn parse(value: &str) -> Result<Self, String> {
        let is_url = ["postgres://", "postgresql://"].iter().any(|scheme| {
            value
                .get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        });
        if is_url {
            return Ok(Self::Postgres(value.to_owned()));
        }
        if value.contains("://") {
            return Err(format!(
                "`{}` is neither a SQLite file nor a postgres:// URL",
                redacted(value)
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(value)))
    }
}

impl std::fmt::Display for DbLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

// By hand, so that `Config`'s Debug (and any log of it) never shows the password.
impl std::fmt::Debug for DbLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbLocation({self})")
    }
}

/// `url` with its password, if any, replaced by `***`.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info
                .split_once(':')
                .map_or(user_info, |(user, _)| user);
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Whether `error` is the database being out of reach (connection refused
/// or lost, pool exhausted waiting for one, server shutting down) rather
/// than a fault of the request or the code: worth a 503 and a retry.
pub fn is_unavailable(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
        .any(|error| match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // SQLSTATE class 08 (connection exception) and 57P0x (the
            // server is shutting down or starting up).
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
            _ => false,
        })
}

/// Now, in Unix milliseconds.
pub fn unix_millis() -> i64 {
    let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    i64::try_from(now).unwrap_or(i64::MAX)
}

/// How many times a read-modify-write of a cart is retried after losing a
/// race to another process sharing the database.
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
    pub fn value(&self) -> &str {
        match self {
            Self::Visitor(value) | Self::Id(value) => value,
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
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }
}

/// A visitor's new tokens, as stored: the hashes, and when each expires
/// (Unix seconds, excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenPair {
    pub access_hash: String,
    pub access_expires_at: i64,
    pub refresh_hash: String,
    pub refresh_expires_at: i64,
}

/// One change to a cart, committed as a whole or not at all.
// One short-lived value per request: boxing the cart would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum CartWrite {
    /// Saves `cart` (its new state, `revision` already the next one):
    /// inserted when `expected_revision` is 0, else updated only while the
    /// stored revision still is `expected_revision`.
    Save {
        cart: StoredCart,
        expected_revision: i64,
        /// The cart's checkout to create, or update when it exists; the
        /// backend records the checkout's id in `cart.content.checkout_id`.
        checkout: Option<CheckoutWrite>,
        /// Queue the change's event in the outbox: `Created` when this is
        /// the insert (`expected_revision` 0), else `Updated`.
        event: bool,
    },
    /// Deletes the cart and its checkout, only while the stored revision
    /// still is `expected_revision`.
    Delete {
        cart_id: String,
        expected_revision: i64,
        /// Queue a `Deleted` event in the outbox.
        event: bool,
    },
}

/// What happened to a cart, as its event says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Updated,
    Deleted,
}

impl EventKind {
    /// The domain event's `slug` (and the stored kind).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Self::Created, Self::Updated, Self::Deleted]
            .into_iter()
            .find(|kind| kind.slug() == slug)
    }
}

/// Where an event is in its delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Parked after failing for too long; re-queued by an admin.
    Failed,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(status: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == status)
    }
}

/// One row of the cart-events outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct CartEvent {
    /// The event's `id`, the same on every attempt.
    pub id: String,
    pub cart_id: String,
    /// `entityEventSequence`: 1 for a cart's first event, then +1 each.
    pub sequence: i64,
    pub kind: EventKind,
    /// Whose cart it was (`None`: created with the admin key).
    pub visitor_id: Option<String>,
    /// The cart after the change; `None` for `Deleted`.
    pub cart: Option<StoredCart>,
    /// When the change was committed, Unix milliseconds (`eventTime`).
    pub created_at: i64,
    pub status: EventStatus,
    /// Delivery attempts made so far.
    pub attempts: i64,
    /// Unix milliseconds before which the event is not attempted.
    pub next_attempt_at: i64,
    /// Unix milliseconds of the first failed attempt since the event was
    /// queued or re-queued; `None` before any failure.
    pub failing_since: Option<i64>,
    pub last_error: Option<String>,
}

/// How a delivery attempt ended, as recorded in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub enum AttemptOutcome {
    Delivered,
    /// Failed at `failed_at`; try again at `next_attempt_at` (Unix ms).
    Retry {
        failed_at: i64,
        next_attempt_at: i64,
        error: String,
    },
    /// Failed at `failed_at`, for too long: parked as `Failed`.
    Park {
        failed_at: i64,
        error: String,
    },
}

/// A checkout as written with its cart.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckoutWrite {
    pub channel_type: String,
    /// What the checkout page shows (JSON).
    pub summary: Value,
}

/// What a backend did with a `CartWrite`.
#[allow(clippy::large_enum_variant)] // as `CartWrite`
#[derive(Clone, Debug, PartialEq)]
pub enum WriteOutcome {
    /// Committed. For a save, the cart as stored (with its checkout id).
    Committed(Option<StoredCart>),
    /// Refused: the revision check failed (another writer got there first,
    /// or the cart is gone or, for an insert, exists). Nothing was written.
    Stale,
}

/// What a storage backend provides.
#[async_trait]
pub trait Storage: Send + Sync {
    /// Stores the hash of a token for a visitor, valid until `expires_at`
    /// (Unix seconds, excluded).
    async fn insert_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        visitor_id: &str,
        expires_at: i64,
    ) -> anyhow::Result<()>;

    /// Whose a token is, if it exists and has not expired at `now`.
    async fn visitor_for_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> anyhow::Result<Option<TokenOwner>>;

    /// Exchanges the refresh token `refresh_hash`, if it has not expired
    /// at `now`, for `new`, in one transaction, and returns its visitor:
    /// `new.refresh_hash` is stored (the same hash keeps the token, with
    /// the new expiry; another one leaves the spent token valid until
    /// `spent_until` at the latest), the visitor's access tokens are
    /// deleted, and `new`'s access token is stored. `None` (nothing
    /// written) when the token is unknown or expired. Of two exchanges of
    /// one token at once, in this process or another on the same database,
    /// the second sees the first's `spent_until`: with `spent_until` at
    /// `now`, exactly one succeeds when each replaces the token; both do
    /// when they keep it, or while `spent_until` is ahead.
    async fn exchange_refresh_token(
        &self,
        refresh_hash: &str,
        now: i64,
        spent_until: i64,
        new: &TokenPair,
    ) -> anyhow::Result<Option<String>>;

    /// Deletes at most `limit` tokens expired at `now`; how many. Several
    /// callers at once (nodes on one database) never wait on each other's
    /// rows: each deletes rows the others are not deleting.
    async fn delete_expired_tokens(&self, now: i64, limit: i64) -> anyhow::Result<u64>;

    async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>>;

    /// Commits one cart change in one transaction: the revision check and
    /// every row it touches, or nothing. The only way carts and checkouts
    /// are written.
    async fn write_cart(&self, write: CartWrite) -> anyhow::Result<WriteOutcome>;

    async fn checkout_summary(&self, checkout_id: &str) -> anyhow::Result<Option<Value>>;

    /// The events to attempt now: pending, due at `now` (Unix ms), and each
    /// the lowest pending sequence of its cart (so a cart's events go out in
    /// order and a failing one holds back only its own cart's), oldest first,
    /// at most `limit`. Only looks; the dispatcher takes them with
    /// `claim_due_events`, which applies this same rule.
    async fn due_events(&self, now: i64, limit: i64) -> anyhow::Result<Vec<CartEvent>>;

    /// Claims events to send: those `due_events` would list that no one
    /// holds (no lease, or a lease ended by `now`), leased to the caller
    /// until `lease_until` (Unix ms), at most `limit`. Two callers at once,
    /// in this process or another on the same database, never get the same
    /// event; `record_attempt` ends the lease. Since only a cart's lowest
    /// pending event is ever due, a leased event holds back its cart's
    /// later ones, which keeps each cart's order across nodes.
    async fn claim_due_events(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<CartEvent>>;

    /// Records one delivery attempt of an event (`attempts` + 1; a failure
    /// sets `failing_since` unless already set) and ends its lease.
    async fn record_attempt(&self, event_id: &str, outcome: AttemptOutcome) -> anyhow::Result<()>;

    /// Events in `status`, by cart then sequence (at most `limit`).
    async fn events(&self, status: EventStatus, limit: i64) -> anyhow::Result<Vec<CartEvent>>;

    /// A cart's events, by sequence.
    async fn cart_events(&self, cart_id: &str) -> anyhow::Result<Vec<CartEvent>>;

    /// Makes failed events pending again, due at `now`, with their attempts
    /// and `failing_since` cleared; how many.
    async fn requeue_failed(&self, now: i64) -> anyhow::Result<u64>;

    /// Deletes delivered events created before `before` (Unix ms), except
    /// each cart's highest sequence, which the next event counts from; how many.
    async fn prune_delivered(&self, before: i64) -> anyhow::Result<u64>;

    /// The setting `key`, set to `default` first when it has none.
    async fn setting_or_insert(&self, key: &str, default: &str) -> anyhow::Result<String>;
}

/// The visitor a valid token belongs to, and when the token expires.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenOwner {
    pub visitor_id: String,
    /// Unix seconds, excluded.
    pub expires_at: i64,
}

/// What a cart change writes alongside the cart, in the same transaction.
#[derive(Debug, Default)]
pub struct Alongside {
    /// Create or update the cart's checkout in the same transaction.
    pub checkout: Option<CheckoutWrite>,
}

/// Handle to storage; cheap to clone.
#[derive(Clone)]
pub struct Db {
    storage: Arc<dyn Storage>,
    /// See "Concurrency model" above.
    write_locks: Arc<[tokio::sync::Mutex<()>]>,
    /// Whether cart writes queue events (webhooks configured).
    events: bool,
    /// Woken after a write queued an event (the dispatcher waits on it).
    event_signal: Arc<tokio::sync::Notify>,
    /// Carts and access tokens in memory, when this process is the only
    /// writer of the database (SQLite); see `read_cache`.
    cache: Option<Arc<ReadCache>>,
}

impl Db {
    /// The SQLite database at `path`, created with its schema when missing.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        Ok(Self::new(Arc::new(SqliteStorage::open(path).await?)).with_read_cache())
    }

    /// The database at `location` with at most `pool_size` connections, its
    /// schema brought up to date (a SQLite file is created when missing).
    pub async fn connect(location: &DbLocation, pool_size: u32) -> anyhow::Result<Self> {
        Ok(match location {
            DbLocation::Sqlite(path) => {
                Self::new(Arc::new(SqliteStorage::open_with(path, pool_size).await?))
                    .with_read_cache()
            }
            DbLocation::Postgres(url) => {
                Self::new(Arc::new(PostgresStorage::connect(url, pool_size).await?))
            }
        })
    }

    /// A handle over any backend.
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        let write_locks = (0..WRITE_LOCK_STRIPES)
            .map(|_| tokio::sync::Mutex::new(()))
            .collect();
        Self {
            storage,
            write_locks,
            events: false,
            event_signal: Arc::default(),
            cache: None,
        }
    }

    /// This handle, keeping the hottest reads in memory: only for a
    /// database no other process writes (SQLite, whose file the server
    /// locks), since another writer's changes would not be seen.
    fn with_read_cache(mut self) -> Self {
        self.cache = Some(Arc::new(ReadCache::new(read_cache::DEFAULT_CAPACITY)));
        self
    }

    /// This handle, queueing (or not) an event with every cart change.
    pub fn with_events(mut self, events: bool) -> Self {
        self.events = events;
        self
    }

    /// Notified each time a write queued an event.
    pub fn event_signal(&self) -> Arc<tokio::sync::Notify> {
        self.event_signal.clone()
    }

    /// Commits a write, waking the dispatcher when it queued an event.
    async fn write(&self, write: CartWrite) -> anyhow::Result<WriteOutcome> {
        let deleted = match &write {
            CartWrite::Delete { cart_id, .. } => Some(cart_id.clone()),
            CartWrite::Save { .. } => None,
        };
        let outcome = self.storage.write_cart(write).await?;
        if let (Some(cache), WriteOutcome::Committed(saved)) = (&self.cache, &outcome) {
            match (saved, deleted) {
                (Some(cart), _) => cache.saved(cart),
                (None, Some(cart_id)) => cache.deleted(&cart_id),
                (None, None) => {}
            }
        }
        if self.events && matches!(outcome, WriteOutcome::Committed(_)) {
            self.event_signal.notify_one();
        }
        Ok(outcome)
    }

    /// The backend, for the webhooks dispatcher (the outbox).
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    pub async fn insert_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        visitor_id: &str,
        expires_at: i64,
    ) -> anyhow::Result<()> {
        self.storage
            .insert_token(token_hash, kind, visitor_id, expires_at)
            .await
    }

    pub async fn visitor_for_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> anyhow::Result<Option<String>> {
        let cache = self.cache.as_ref().filter(|_| kind == TokenKind::Access);
        let ticket = match cache.map(|cache| cache.token(token_hash, now)) {
            Some(Ok(visitor)) => return Ok(Some(visitor)),
            Some(Err(ticket)) => Some(ticket),
            None => None,
        };
        let owner = self
            .storage
            .visitor_for_token(token_hash, kind, now)
            .await?;
        if let (Some(cache), Some(ticket), Some(owner)) = (cache, ticket, &owner) {
            cache.fill_token(ticket, token_hash, &owner.visitor_id, owner.expires_at);
        }
        Ok(owner.map(|owner| owner.visitor_id))
    }

    /// See `Storage::exchange_refresh_token`.
    pub async fn exchange_refresh_token(
        &self,
        refresh_hash: &str,
        now: i64,
        spent_until: i64,
        new: &TokenPair,
    ) -> anyhow::Result<Option<String>> {
        let visitor = self
            .storage
            .exchange_refresh_token(refresh_hash, now, spent_until, new)
            .await?;
        if let (Some(cache), Some(visitor)) = (&self.cache, &visitor) {
            cache.refreshed(visitor);
        }
        Ok(visitor)
    }

    /// See `Storage::delete_expired_tokens`.
    pub async fn delete_expired_tokens(&self, now: i64, limit: i64) -> anyhow::Result<u64> {
        self.storage.delete_expired_tokens(now, limit).await
    }

    /// A visitor's current cart, or a cart by id.
    pub async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>> {
        let (Some(cache), CartKey::Visitor(visitor)) = (&self.cache, key) else {
            return self.storage.find_cart(key).await;
        };
        let ticket = match cache.cart(visitor) {
            Ok(cart) => return Ok(Some(cart)),
            Err(ticket) => ticket,
        };
        let cart = self.storage.find_cart(key).await?;
        if let Some(cart) = &cart {
            cache.fill_cart(ticket, visitor, cart);
        }
        Ok(cart)
    }

    /// A write found `key`'s cart changed since it was read: the next read
    /// goes to the database.
    fn forget(&self, key: CartKey<'_>) {
        if let (Some(cache), CartKey::Visitor(visitor)) = (&self.cache, key) {
            cache.forget_cart(visitor);
        }
    }

    /// Saves a new cart (revision 1).
    pub async fn insert_cart(&self, mut cart: StoredCart) -> anyhow::Result<StoredCart> {
        cart.revision = 1;
        let _write = self.write_lock(&cart.id).lock().await;
        let write = CartWrite::Save {
            cart,
            expected_revision: 0,
            checkout: None,
            event: self.events,
        };
        match self.write(write).await? {
            WriteOutcome::Committed(Some(cart)) => Ok(cart),
            _ => anyhow::bail!("a new cart's id is already taken"),
        }
    }

    /// Applies `change` to a cart and saves it with the next revision, in
    /// one transaction with whatever `Alongside` the change asks for. A missing
    /// visitor's cart is created when `create` is set; otherwise a missing
    /// cart gives `Ok(None)`. When another writer changed the cart in
    /// between, the change is re-applied to the fresh cart, so concurrent
    /// updates are never lost. `change` may fail; nothing is saved then.
    pub async fn update_cart<E>(
        &self,
        key: CartKey<'_>,
        create: bool,
        mut change: impl FnMut(&mut StoredCart) -> Result<Alongside, E>,
    ) -> Result<Option<StoredCart>, E>
    where
        E: From<anyhow::Error>,
    {
        let _write = self.write_lock(key.value()).lock().await;
        for _ in 0..MAX_CART_UPDATE_ATTEMPTS {
            let mut cart = match (self.find_cart(key).await?, key) {
                (Some(cart), _) => cart,
                (None, CartKey::Visitor(visitor)) if create => StoredCart::new(Some(visitor)),
                (None, _) => return Ok(None),
            };
            let expected_revision = cart.revision;
            let extra = change(&mut cart)?;
            cart.revision = expected_revision + 1;
            cart.updated_at = now_timestamp();
            let write = CartWrite::Save {
                cart,
                expected_revision,
                checkout: extra.checkout,
                event: self.events,
            };
            if let WriteOutcome::Committed(saved) = self.write(write).await? {
                let saved = saved.ok_or_else(|| anyhow::anyhow!("a save returned no cart"))?;
                return Ok(Some(saved));
            }
            self.forget(key);
        }
        Err(anyhow::anyhow!("cart {} kept changing; update abandoned", key.value()).into())
    }

    /// Deletes a cart (and its checkout); `false` when there was none.
    pub async fn delete_cart(&self, key: CartKey<'_>) -> anyhow::Result<bool> {
        let _write = self.write_lock(key.value()).lock().await;
        for _ in 0..MAX_CART_UPDATE_ATTEMPTS {
            let Some(cart) = self.find_cart(key).await? else {
                return Ok(false);
            };
            let write = CartWrite::Delete {
                cart_id: cart.id,
                expected_revision: cart.revision,
                event: self.events,
            };
            if let WriteOutcome::Committed(_) = self.write(write).await? {
                return Ok(true);
            }
            self.forget(key);
        }
        anyhow::bail!("cart {} kept changing; delete abandoned", key.value())
    }

    pub async fn checkout_summary(&self, checkout_id: &str) -> anyhow::Result<Option<Value>> {
        self.storage.checkout_summary(checkout_id).await
    }

    fn write_lock(&self, key: &str) -> &tokio::sync::Mutex<()> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        &self.write_locks[hasher.finish() as usize % self.write_locks.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_a_postgres_location_and_anything_else_a_sqlite_file() {
        let url = "postgres://cart:secret@127.0.0.1:5432/cart";
        assert_eq!(
            DbLocation::parse(url),
            Ok(DbLocation::Postgres(url.to_owned()))
        );
        assert!(matches!(
            DbLocation::parse("POSTGRESQL://db/cart"),
            Ok(DbLocation::Postgres(_))
        ));
        assert_eq!(
            DbLocation::parse("data/cart.db"),
            Ok(DbLocation::Sqlite("data/cart.db".into()))
        );
        assert!(DbLocation::parse("mysql://db/cart").is_err());
    }

    #[test]
    fn a_location_is_shown_without_its_password() {
        let location = DbLocation::parse("postgres://cart:s3cr@t@db:5432/cart?sslmode=disable");
        let shown = location.unwrap().to_string();
        assert_eq!(shown, "postgres://cart:***@db:5432/cart?sslmode=disable");
        assert_eq!(redacted("postgres://db/cart"), "postgres://db/cart");
        assert_eq!(
            redacted("postgres://cart@db/cart"),
            "postgres://cart@db/cart"
        );
    }
}
