//! Storage. Handlers only use `Db`; what a backend must provide is the
//! `Storage` trait, implemented for SQLite (WAL mode, schema from
//! `migrations/`) in `db/sqlite.rs`. A Postgres backend implements the same
//! trait; nothing above this module changes.

mod sqlite;

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use crate::cart::{StoredCart, now_timestamp};

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
    fn value(&self) -> &str {
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

/// What a storage backend provides.
#[async_trait]
pub trait Storage: Send + Sync {
    /// Stores the hash of a token for a visitor.
    async fn insert_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        visitor_id: &str,
        expires_at: Option<i64>,
    ) -> anyhow::Result<()>;

    /// The visitor a token belongs to, if it exists and has not expired at `now`.
    async fn visitor_for_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> anyhow::Result<Option<String>>;

    async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>>;

    /// Saves `cart`: inserted when `expected_revision` is 0, else updated only
    /// while the stored revision still is `expected_revision`. `false` when
    /// another writer got there first (nothing was saved).
    async fn save_cart(&self, cart: &StoredCart, expected_revision: i64) -> anyhow::Result<bool>;

    /// Deletes a cart and its checkout; `false` when there was none.
    async fn delete_cart(&self, key: CartKey<'_>) -> anyhow::Result<bool>;

    /// Creates the cart's checkout or updates the existing one; returns its id.
    async fn upsert_checkout(
        &self,
        cart_id: &str,
        channel_type: &str,
        summary: &Value,
    ) -> anyhow::Result<String>;

    async fn checkout_summary(&self, checkout_id: &str) -> anyhow::Result<Option<Value>>;
}

/// Handle to storage; cheap to clone.
#[derive(Clone)]
pub struct Db {
    storage: Arc<dyn Storage>,
    /// Writes to one cart queue behind one of these (chosen by visitor or
    /// cart id), so a burst of parallel changes to a cart does not spin on
    /// revision conflicts. The revision check still guards against other processes.
    write_locks: Arc<[tokio::sync::Mutex<()>]>,
}

impl Db {
    /// The SQLite database at `path`, created with its schema when missing.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        Ok(Self::new(Arc::new(
            sqlite::SqliteStorage::open(path).await?,
        )))
    }

    /// A handle over any backend.
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        let write_locks = (0..WRITE_LOCK_STRIPES)
            .map(|_| tokio::sync::Mutex::new(()))
            .collect();
        Self {
            storage,
            write_locks,
        }
    }

    pub async fn insert_token(
        &self,
        token_hash: &str,
        kind: TokenKind,
        visitor_id: &str,
        expires_at: Option<i64>,
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
        self.storage.visitor_for_token(token_hash, kind, now).await
    }

    /// A visitor's current cart, or a cart by id.
    pub async fn find_cart(&self, key: CartKey<'_>) -> anyhow::Result<Option<StoredCart>> {
        self.storage.find_cart(key).await
    }

    /// Saves a new cart (revision 1).
    pub async fn insert_cart(&self, cart: &mut StoredCart) -> anyhow::Result<()> {
        cart.revision = 1;
        anyhow::ensure!(
            self.storage.save_cart(cart, 0).await?,
            "cart {} already exists",
            cart.id
        );
        Ok(())
    }

    /// Applies `change` to a cart and saves it with the next revision. A
    /// missing visitor's cart is created when `create` is set; otherwise a
    /// missing cart gives `Ok(None)`. When another writer changed the cart in
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
        let _write = self.write_lock(key.value()).lock().await;
        for _ in 0..MAX_CART_UPDATE_ATTEMPTS {
            let mut cart = match (self.storage.find_cart(key).await?, key) {
                (Some(cart), _) => cart,
                (None, CartKey::Visitor(visitor)) if create => StoredCart::new(Some(visitor)),
                (None, _) => return Ok(None),
            };
            let expected_revision = cart.revision;
            change(&mut cart)?;
            cart.revision = expected_revision + 1;
            cart.updated_at = now_timestamp();
            if self.storage.save_cart(&cart, expected_revision).await? {
                return Ok(Some(cart));
            }
        }
        Err(anyhow::anyhow!("cart {} kept changing; update abandoned", key.value()).into())
    }

    /// Deletes a cart (and its checkout); `false` when there was none.
    pub async fn delete_cart(&self, key: CartKey<'_>) -> anyhow::Result<bool> {
        let _write = self.write_lock(key.value()).lock().await;
        self.storage.delete_cart(key).await
    }

    pub async fn upsert_checkout(
        &self,
        cart_id: &str,
        channel_type: &str,
        summary: &Value,
    ) -> anyhow::Result<String> {
        self.storage
            .upsert_checkout(cart_id, channel_type, summary)
            .await
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
