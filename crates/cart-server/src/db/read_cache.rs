//! The hottest reads kept in memory: visitors' current carts and access
//! tokens, for a database only this process writes (SQLite: the server holds
//! the file's lock while it runs, see `SqliteStorage::open_with`). Without
//! it, reading a cart took two round trips to SQLite's worker threads, and
//! those thread hand-offs, not SQLite, were most of a `GET`'s time
//! (`BENCHMARKS.md`, 5a). Never used with PostgreSQL, where another node's
//! write would not pass through here.
//!
//! Rules (each has a test below):
//! - Every cart write passes through `Db::write`, which tells the cache once
//!   it has committed: a saved visitor's cart replaces the copy, a deleted
//!   cart's copy goes. So a read after a write's answer sees that write.
//! - A read that missed fills the copy only when no write committed since it
//!   began (`ReadTicket`): a slow read never puts back an older cart.
//! - A write refused as stale drops the copy, so the retry reads the database.
//! - Tokens are only copied once found valid, and served until their expiry.
//!   A refresh ends a visitor's earlier access tokens: their copies go, and a
//!   token read that began before it never puts one back (`TokenTicket`).
//! - Bounded: at most `capacity` carts and `capacity` tokens, the least
//!   recently used going first. Absence is never cached.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use hashlink::LruCache;

use crate::cart::StoredCart;

/// What the server keeps at most of each (carts are bounded in size by the
/// cart limits, so this bounds the memory too).
pub const DEFAULT_CAPACITY: NonZeroUsize = NonZeroUsize::new(1_000).unwrap();

pub struct ReadCache {
    inner: Mutex<Inner>,
}

struct Inner {
    /// By visitor id.
    carts: LruCache<String, StoredCart>,
    /// By token hash: the visitor and when the token expires (Unix s).
    tokens: LruCache<String, (String, i64)>,
    /// Writes committed so far (see `ReadTicket`).
    writes: u64,
    /// Refreshes so far (see `TokenTicket`).
    refreshes: u64,
}

/// Taken when a read misses: the number of writes committed then. The read
/// may fill the copy only if that number has not moved.
#[must_use]
pub struct ReadTicket(u64);

/// As `ReadTicket`, for a token read: the number of refreshes then.
#[must_use]
pub struct TokenTicket(u64);

impl ReadCache {
    pub fn new(capacity: NonZeroUsize) -> Self {
        let capacity = capacity.get();
        Self {
            inner: Mutex::new(Inner {
                carts: LruCache::new(capacity),
                tokens: LruCache::new(capacity),
                writes: 0,
                refreshes: 0,
            }),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves plain maps behind,
        // never a half-made entry: go on with them.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The visitor's cart, or the ticket to fill it with once read.
    pub fn cart(&self, visitor: &str) -> Result<StoredCart, ReadTicket> {
        let mut inner = self.inner();
        match inner.carts.get(visitor) {
            Some(cart) => Ok(cart.clone()),
            None => Err(ReadTicket(inner.writes)),
        }
    }

    /// Copies a cart read from the database, unless a write committed since
    /// the read began.
    pub fn fill_cart(&self, ticket: ReadTicket, visitor: &str, cart: &StoredCart) {
        let mut inner = self.inner();
        if inner.writes == ticket.0 {
            inner.carts.insert(visitor.to_owned(), cart.clone());
        }
    }

    /// A save committed: its visitor's copy becomes `cart`.
    pub fn saved(&self, cart: &StoredCart) {
        let mut inner = self.inner();
        inner.writes += 1;
        if let Some(visitor) = &cart.visitor_id {
            inner.carts.insert(visitor.clone(), cart.clone());
        }
    }

    /// A delete committed: the cart's copy goes (looked up by id, since a
    /// cart may be deleted by id; deletes are rare next to reads).
    pub fn deleted(&self, cart_id: &str) {
        let mut inner = self.inner();
        inner.writes += 1;
        let visitor = inner
            .carts
            .iter()
            .find(|(_, cart)| cart.id == cart_id)
            .map(|(visitor, _)| visitor.clone());
        if let Some(visitor) = visitor {
            inner.carts.remove(&visitor);
        }
    }

    /// A write found the copy stale: drop it, so the retry reads the database.
    pub fn forget_cart(&self, visitor: &str) {
        let mut inner = self.inner();
        inner.writes += 1;
        inner.carts.remove(visitor);
    }

    /// The visitor of an access token, if copied and not expired at `now`,
    /// or the ticket to copy it with once read.
    pub fn token(&self, token_hash: &str, now: i64) -> Result<String, TokenTicket> {
        let mut inner = self.inner();
        match inner.tokens.get(token_hash) {
            Some((visitor, expires_at)) if *expires_at > now => Ok(visitor.clone()),
            Some(_) => {
                inner.tokens.remove(token_hash);
                Err(TokenTicket(inner.refreshes))
            }
            None => Err(TokenTicket(inner.refreshes)),
        }
    }

    /// Copies an access token found valid in the database, unless a refresh
    /// happened since the read began.
    pub fn fill_token(
        &self,
        ticket: TokenTicket,
        token_hash: &str,
        visitor: &str,
        expires_at: i64,
    ) {
        let mut inner = self.inner();
        if inner.refreshes == ticket.0 {
            inner
                .tokens
                .insert(token_hash.to_owned(), (visitor.to_owned(), expires_at));
        }
    }

    /// A refresh ended the visitor's earlier access tokens: their copies go
    /// (a scan; a visitor refreshes once every few hours).
    pub fn refreshed(&self, visitor: &str) {
        let mut inner = self.inner();
        inner.refreshes += 1;
        let ended: Vec<String> = inner
            .tokens
            .iter()
            .filter(|(_, (owner, _))| owner == visitor)
            .map(|(hash, _)| hash.clone())
            .collect();
        for hash in ended {
            inner.tokens.remove(&hash);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cart(id: &str, visitor: &str, revision: i64) -> StoredCart {
        let mut cart = StoredCart::new(Some(visitor));
        cart.id = id.to_owned();
        cart.revision = revision;
        cart
    }

    fn cache(capacity: usize) -> ReadCache {
        ReadCache::new(NonZeroUsize::new(capacity).unwrap())
    }

    #[test]
    fn a_read_fills_the_copy_and_the_next_read_gets_it() {
        let cache = cache(10);
        let ticket = cache.cart("v").unwrap_err();
        cache.fill_cart(ticket, "v", &cart("c", "v", 1));
        assert_eq!(cache.cart("v").map(|c| c.revision).ok(), Some(1));
    }

    #[test]
    fn a_read_that_began_before_a_write_never_puts_back_the_older_cart() {
        let cache = cache(10);
        let slow_read = cache.cart("v").unwrap_err();
        cache.saved(&cart("c", "v", 2));
        cache.fill_cart(slow_read, "v", &cart("c", "v", 1));
        assert_eq!(cache.cart("v").map(|c| c.revision).ok(), Some(2));
    }

    #[test]
    fn a_deleted_cart_is_no_longer_served_even_when_deleted_by_id() {
        let cache = cache(10);
        cache.saved(&cart("c", "v", 1));
        cache.deleted("c");
        assert!(cache.cart("v").is_err());
    }

    #[test]
    fn a_stale_copy_is_dropped_so_the_retry_reads_the_database() {
        let cache = cache(10);
        cache.saved(&cart("c", "v", 1));
        cache.forget_cart("v");
        assert!(cache.cart("v").is_err());
    }

    #[test]
    fn the_least_recently_used_cart_goes_first_past_the_capacity() {
        let cache = cache(2);
        cache.saved(&cart("a", "va", 1));
        cache.saved(&cart("b", "vb", 1));
        let _ = cache.cart("va");
        cache.saved(&cart("c", "vc", 1));
        assert!(cache.cart("va").is_ok());
        assert!(cache.cart("vb").is_err());
        assert!(cache.cart("vc").is_ok());
    }

    fn copied_token(cache: &ReadCache, hash: &str, visitor: &str, expires_at: i64) {
        let ticket = cache.token(hash, 0).unwrap_err();
        cache.fill_token(ticket, hash, visitor, expires_at);
    }

    #[test]
    fn a_token_is_served_until_it_expires_and_not_after() {
        let cache = cache(10);
        copied_token(&cache, "h", "v", 100);
        assert_eq!(cache.token("h", 99).ok().as_deref(), Some("v"));
        assert!(cache.token("h", 100).is_err());
        assert!(cache.token("h", 50).is_err(), "an expired copy is dropped");
    }

    #[test]
    fn a_refresh_ends_the_copies_of_the_visitors_earlier_tokens_only() {
        let cache = cache(10);
        copied_token(&cache, "h1", "v", 100);
        copied_token(&cache, "h2", "v", 100);
        copied_token(&cache, "other", "w", 100);
        cache.refreshed("v");
        assert!(cache.token("h1", 0).is_err());
        assert!(cache.token("h2", 0).is_err());
        assert_eq!(cache.token("other", 0).ok().as_deref(), Some("w"));
    }

    #[test]
    fn a_token_read_that_began_before_a_refresh_never_puts_the_ended_token_back() {
        let cache = cache(10);
        let slow_read = cache.token("h", 0).unwrap_err();
        cache.refreshed("v");
        cache.fill_token(slow_read, "h", "v", 100);
        assert!(cache.token("h", 0).is_err());
    }
}
