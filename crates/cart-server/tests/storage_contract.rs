//! The `Storage` contract: what every backend must do, checked through the
//! trait alone (no SQL here). The checks live in `mod contract` and take an
//! `Arc<dyn Storage>`; `storage_contract!` runs all of them against one
//! backend: SQLite, and PostgreSQL (a fresh database per test, see
//! `common/postgres.rs`).

mod common;

use std::any::Any;
use std::sync::Arc;

use cart_server::{DbLocation, PostgresStorage, SqliteStorage, Storage};

/// A backend under test, and whatever must live as long as it (a temporary
/// directory, a test database).
struct Backend {
    storage: Arc<dyn Storage>,
    _keep: Box<dyn Any + Send>,
}

async fn open_sqlite() -> Option<Backend> {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open(&dir.path().join("cart.db"))
        .await
        .unwrap();
    Some(Backend {
        storage: Arc::new(storage),
        _keep: Box::new(dir),
    })
}

/// `None` when there is no test cluster (see `common/postgres.rs`).
async fn open_postgres() -> Option<Backend> {
    let url = common::postgres::fresh_database().await?;
    assert!(matches!(
        DbLocation::parse(&url),
        Ok(DbLocation::Postgres(_))
    ));
    // Few connections: the tests run in parallel on one cluster.
    let storage = PostgresStorage::connect(&url, 4).await.unwrap();
    Some(Backend {
        storage: Arc::new(storage),
        _keep: Box::new(()),
    })
}

mod contract {
    use std::sync::Arc;

    use cart_server::{
        AttemptOutcome, CartEvent, CartKey, CartWrite, CheckoutWrite, Db, EventKind, EventStatus,
        Storage, StoredCart, TokenKind, TokenPair, WriteOutcome, visitor_tokens,
    };
    use serde_json::json;

    /// A new visitor's cart with a note, ready to insert (revision 1).
    fn new_cart(visitor: &str, note: &str) -> StoredCart {
        let mut cart = StoredCart::new(Some(visitor));
        cart.revision = 1;
        cart.content.buyer_note = Some(note.to_owned());
        cart
    }

    fn insert(cart: &StoredCart) -> CartWrite {
        CartWrite::Save {
            cart: cart.clone(),
            expected_revision: 0,
            checkout: None,
            event: true,
        }
    }

    /// `cart` changed to `note` at the next revision, claiming `expected_revision`.
    fn save(cart: &StoredCart, expected_revision: i64, note: &str) -> CartWrite {
        let mut next = cart.clone();
        next.revision = expected_revision + 1;
        next.content.buyer_note = Some(note.to_owned());
        CartWrite::Save {
            cart: next,
            expected_revision,
            checkout: None,
            event: true,
        }
    }

    fn with_checkout(write: CartWrite, summary: serde_json::Value) -> CartWrite {
        match write {
            CartWrite::Save {
                cart,
                expected_revision,
                event,
                ..
            } => CartWrite::Save {
                cart,
                expected_revision,
                event,
                checkout: Some(CheckoutWrite {
                    channel_type: "WEB".to_owned(),
                    summary,
                }),
            },
            delete => delete,
        }
    }

    async fn committed(storage: &Arc<dyn Storage>, write: CartWrite) -> Option<StoredCart> {
        match storage.write_cart(write).await.unwrap() {
            WriteOutcome::Committed(cart) => cart,
            WriteOutcome::Stale => panic!("the write was refused"),
        }
    }

    async fn refused(storage: &Arc<dyn Storage>, write: CartWrite) {
        assert_eq!(
            storage.write_cart(write).await.unwrap(),
            WriteOutcome::Stale
        );
    }

    pub async fn tokens_resolve_to_their_visitor_until_they_expire(storage: Arc<dyn Storage>) {
        storage
            .insert_token("access-hash", TokenKind::Access, "visitor-1", 1_000)
            .await
            .unwrap();
        storage
            .insert_token("refresh-hash", TokenKind::Refresh, "visitor-1", 5_000)
            .await
            .unwrap();
        let visitor = |hash: &'static str, kind, now| {
            let storage = storage.clone();
            async move {
                let owner = storage.visitor_for_token(hash, kind, now).await.unwrap();
                owner.map(|owner| owner.visitor_id)
            }
        };
        assert_eq!(
            visitor("access-hash", TokenKind::Access, 999).await,
            Some("visitor-1".to_owned())
        );
        assert_eq!(visitor("access-hash", TokenKind::Access, 1_000).await, None);
        assert_eq!(visitor("access-hash", TokenKind::Refresh, 999).await, None);
        assert_eq!(
            visitor("refresh-hash", TokenKind::Refresh, 4_999).await,
            Some("visitor-1".to_owned())
        );
        assert_eq!(
            visitor("refresh-hash", TokenKind::Refresh, 5_000).await,
            None
        );
        assert_eq!(visitor("unknown", TokenKind::Access, 0).await, None);
    }

    /// New tokens named `name`, valid until 9 000.
    fn pair(name: &str) -> TokenPair {
        TokenPair {
            access_hash: format!("{name}-access"),
            access_expires_at: 9_000,
            refresh_hash: format!("{name}-refresh"),
            refresh_expires_at: 9_000,
        }
    }

    /// The visitor of each (hash, kind), at 1 000.
    async fn visitors(
        storage: &Arc<dyn Storage>,
        tokens: &[(&str, TokenKind)],
    ) -> Vec<Option<String>> {
        let mut visitors = Vec::new();
        for (hash, kind) in tokens {
            let owner = storage.visitor_for_token(hash, *kind, 1_000).await.unwrap();
            visitors.push(owner.map(|owner| owner.visitor_id));
        }
        visitors
    }

    /// Eight exchanges at once, at 1 000, of the refresh token `refresh`
    /// (inserted for `visitor-1`, valid until 5 000) for pairs named
    /// `new-{n}`: kept (the same refresh hash) or replaced, the spent token
    /// honoured until `spent_until`. Each exchange's visitor.
    async fn eight_exchanges_at_once(
        storage: &Arc<dyn Storage>,
        kept: bool,
        spent_until: i64,
    ) -> Vec<Option<String>> {
        storage
            .insert_token("refresh", TokenKind::Refresh, "visitor-1", 5_000)
            .await
            .unwrap();
        let exchanges: Vec<_> = (0..8)
            .map(|n| {
                let storage = storage.clone();
                let mut new = pair(&format!("new-{n}"));
                if kept {
                    new.refresh_hash = "refresh".to_owned();
                }
                tokio::spawn(async move {
                    storage
                        .exchange_refresh_token("refresh", 1_000, spent_until, &new)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut visitors = Vec::new();
        for exchange in exchanges {
            visitors.push(exchange.await.unwrap());
        }
        visitors
    }

    /// The visitor the token `hash` of `kind` belongs to at `now`.
    async fn owner_at(
        storage: &Arc<dyn Storage>,
        hash: &str,
        kind: TokenKind,
        now: i64,
    ) -> Option<String> {
        let owner = storage.visitor_for_token(hash, kind, now).await.unwrap();
        owner.map(|owner| owner.visitor_id)
    }

    pub async fn a_refresh_token_is_spent_once_for_new_tokens_of_its_visitor(
        storage: Arc<dyn Storage>,
    ) {
        for (hash, kind, visitor) in [
            ("old-refresh", TokenKind::Refresh, "visitor-1"),
            ("old-access", TokenKind::Access, "visitor-1"),
            ("older-access", TokenKind::Access, "visitor-1"),
            ("other-refresh", TokenKind::Refresh, "visitor-2"),
            ("other-access", TokenKind::Access, "visitor-2"),
        ] {
            storage
                .insert_token(hash, kind, visitor, 5_000)
                .await
                .unwrap();
        }
        let spent = storage
            .exchange_refresh_token("old-refresh", 1_000, 1_000, &pair("new"))
            .await
            .unwrap();
        assert_eq!(spent.as_deref(), Some("visitor-1"));
        let one = Some("visitor-1".to_owned());
        let two = Some("visitor-2".to_owned());
        let after = visitors(
            &storage,
            &[
                ("new-access", TokenKind::Access),
                ("new-refresh", TokenKind::Refresh),
                ("old-refresh", TokenKind::Refresh),
                ("old-access", TokenKind::Access),
                ("older-access", TokenKind::Access),
                ("other-refresh", TokenKind::Refresh),
                ("other-access", TokenKind::Access),
            ],
        )
        .await;
        assert_eq!(
            after,
            [one.clone(), one, None, None, None, two.clone(), two],
            "the visitor's earlier tokens are gone, another visitor's kept"
        );
        let again = storage
            .exchange_refresh_token("old-refresh", 1_000, 1_000, &pair("replay"))
            .await
            .unwrap();
        assert_eq!(again, None, "a spent token is spent");
        assert_eq!(
            visitors(&storage, &[("replay-access", TokenKind::Access)]).await,
            [None::<String>]
        );
    }

    pub async fn a_kept_refresh_token_lives_on_with_its_new_expiry(storage: Arc<dyn Storage>) {
        for (hash, kind) in [
            ("refresh", TokenKind::Refresh),
            ("old-access", TokenKind::Access),
        ] {
            storage
                .insert_token(hash, kind, "visitor-1", 2_000)
                .await
                .unwrap();
        }
        let kept = TokenPair {
            refresh_hash: "refresh".to_owned(),
            ..pair("kept")
        };
        for _ in 0..2 {
            let exchanged = storage
                .exchange_refresh_token("refresh", 1_000, 1_000, &kept)
                .await
                .unwrap();
            assert_eq!(exchanged.as_deref(), Some("visitor-1"));
        }
        let one = Some("visitor-1".to_owned());
        assert_eq!(
            owner_at(&storage, "refresh", TokenKind::Refresh, 8_999).await,
            one
        );
        assert_eq!(
            owner_at(&storage, "kept-access", TokenKind::Access, 8_999).await,
            one
        );
        assert_eq!(
            owner_at(&storage, "old-access", TokenKind::Access, 1_000).await,
            None
        );
    }

    pub async fn of_concurrent_exchanges_keeping_one_token_all_succeed(storage: Arc<dyn Storage>) {
        let exchanged = eight_exchanges_at_once(&storage, true, 1_000).await;
        assert_eq!(exchanged, vec![Some("visitor-1".to_owned()); 8]);
    }

    pub async fn an_expired_or_access_token_is_not_exchanged(storage: Arc<dyn Storage>) {
        storage
            .insert_token("refresh", TokenKind::Refresh, "visitor-1", 1_000)
            .await
            .unwrap();
        storage
            .insert_token("access", TokenKind::Access, "visitor-1", 5_000)
            .await
            .unwrap();
        for hash in ["refresh", "access", "unknown"] {
            let exchanged = storage
                .exchange_refresh_token(hash, 1_000, 1_060, &pair(hash))
                .await
                .unwrap();
            assert_eq!(exchanged, None, "{hash}");
        }
        let written = visitors(
            &storage,
            &[
                ("refresh-access", TokenKind::Access),
                ("access-access", TokenKind::Access),
                ("access", TokenKind::Access),
            ],
        )
        .await;
        assert_eq!(written, [None, None, Some("visitor-1".to_owned())]);
    }

    pub async fn of_concurrent_exchanges_of_one_token_exactly_one_succeeds(
        storage: Arc<dyn Storage>,
    ) {
        let exchanged = eight_exchanges_at_once(&storage, false, 1_000).await;
        assert_eq!(exchanged.iter().flatten().count(), 1, "{exchanged:?}");
        let names: Vec<String> = (0..8).map(|n| format!("new-{n}-access")).collect();
        let tokens: Vec<(&str, TokenKind)> = names
            .iter()
            .map(|name| (name.as_str(), TokenKind::Access))
            .collect();
        let valid = visitors(&storage, &tokens).await;
        assert_eq!(valid.iter().flatten().count(), 1, "{valid:?}");
    }

    pub async fn a_spent_refresh_token_is_exchanged_again_within_its_grace_only(
        storage: Arc<dyn Storage>,
    ) {
        storage
            .insert_token("refresh", TokenKind::Refresh, "visitor-1", 5_000)
            .await
            .unwrap();
        let exchange = |now, name: &'static str| {
            let storage = storage.clone();
            async move {
                storage
                    .exchange_refresh_token("refresh", now, now + 60, &pair(name))
                    .await
                    .unwrap()
            }
        };
        let one = Some("visitor-1".to_owned());
        assert_eq!(exchange(1_000, "first").await, one);
        // Its answer lost, the same token again, within the grace: new
        // tokens of the same visitor; the grace runs from the first spend.
        assert_eq!(exchange(1_059, "again").await, one);
        assert_eq!(
            owner_at(&storage, "again-access", TokenKind::Access, 1_059).await,
            one
        );
        assert_eq!(
            owner_at(&storage, "again-refresh", TokenKind::Refresh, 1_059).await,
            one
        );
        assert_eq!(
            owner_at(&storage, "first-refresh", TokenKind::Refresh, 1_059).await,
            one,
            "the first answer's refresh token stays: another tab may hold it"
        );
        assert_eq!(
            owner_at(&storage, "first-access", TokenKind::Access, 1_059).await,
            None,
            "earlier access tokens end"
        );
        assert_eq!(exchange(1_060, "late").await, None, "past the grace");
        assert_eq!(
            owner_at(&storage, "late-access", TokenKind::Access, 1_060).await,
            None
        );
    }

    pub async fn of_concurrent_exchanges_in_the_grace_all_succeed_and_one_access_token_stays(
        storage: Arc<dyn Storage>,
    ) {
        let exchanged = eight_exchanges_at_once(&storage, false, 1_060).await;
        assert_eq!(exchanged, vec![Some("visitor-1".to_owned()); 8]);
        let names: Vec<(String, TokenKind)> = (0..8)
            .flat_map(|n| {
                [
                    (format!("new-{n}-access"), TokenKind::Access),
                    (format!("new-{n}-refresh"), TokenKind::Refresh),
                ]
            })
            .collect();
        let tokens: Vec<(&str, TokenKind)> = names
            .iter()
            .map(|(name, kind)| (name.as_str(), *kind))
            .collect();
        let valid = visitors(&storage, &tokens).await;
        let (access, refresh): (Vec<_>, Vec<_>) = valid
            .chunks(2)
            .map(|pair| (pair[0].clone(), pair[1].clone()))
            .unzip();
        assert_eq!(
            access.iter().flatten().count(),
            1,
            "the last one's: {access:?}"
        );
        assert_eq!(refresh.iter().flatten().count(), 8, "{refresh:?}");
    }

    /// `count` tokens named `{prefix}-{n}`, expiring at `expires_at`.
    async fn insert_tokens(
        storage: &Arc<dyn Storage>,
        prefix: &str,
        count: usize,
        expires_at: i64,
    ) {
        for n in 0..count {
            let kind = if n % 2 == 0 {
                TokenKind::Access
            } else {
                TokenKind::Refresh
            };
            storage
                .insert_token(&format!("{prefix}-{n}"), kind, "visitor", expires_at)
                .await
                .unwrap();
        }
    }

    pub async fn the_cleanup_deletes_every_expired_token_and_no_other(storage: Arc<dyn Storage>) {
        // Several batches' worth expired, some expiring right at `now`.
        insert_tokens(&storage, "old", 40, 999).await;
        insert_tokens(&storage, "due", 10, 1_000).await;
        insert_tokens(&storage, "live", 10, 1_001).await;
        let db = Db::new(storage.clone());
        let deleted = visitor_tokens::delete_expired(&db, 1_000, 7).await.unwrap();
        assert_eq!(deleted, 50);
        assert_eq!(storage.delete_expired_tokens(1_000, 100).await.unwrap(), 0);
        let left = visitors(
            &storage,
            &[
                ("live-0", TokenKind::Access),
                ("live-9", TokenKind::Refresh),
            ],
        )
        .await;
        assert_eq!(
            left,
            [Some("visitor".to_owned()), Some("visitor".to_owned())]
        );
        assert_eq!(storage.delete_expired_tokens(1_001, 100).await.unwrap(), 10);
    }

    pub async fn concurrent_cleanups_delete_each_expired_token_once(storage: Arc<dyn Storage>) {
        insert_tokens(&storage, "old", 200, 999).await;
        let db = Db::new(storage.clone());
        let cleanups: Vec<_> = (0..4)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(
                    async move { visitor_tokens::delete_expired(&db, 1_000, 5).await.unwrap() },
                )
            })
            .collect();
        let mut deleted = 0;
        for cleanup in cleanups {
            deleted += cleanup.await.unwrap();
        }
        assert_eq!(deleted, 200);
        assert_eq!(storage.delete_expired_tokens(1_000, 100).await.unwrap(), 0);
    }

    pub async fn a_new_cart_is_found_by_id_and_by_visitor(storage: Arc<dyn Storage>) {
        let cart = new_cart("visitor-1", "hello");
        let stored = committed(&storage, insert(&cart)).await;
        assert_eq!(stored.as_ref(), Some(&cart));
        let by_id = storage.find_cart(CartKey::Id(&cart.id)).await.unwrap();
        let by_visitor = storage
            .find_cart(CartKey::Visitor("visitor-1"))
            .await
            .unwrap();
        assert_eq!(by_id.as_ref(), Some(&cart));
        assert_eq!(by_visitor.as_ref(), Some(&cart));
        assert_eq!(
            storage.find_cart(CartKey::Id("missing")).await.unwrap(),
            None
        );
        assert_eq!(
            storage.find_cart(CartKey::Visitor("nobody")).await.unwrap(),
            None
        );
    }

    pub async fn an_insert_is_refused_when_the_id_or_the_visitor_has_a_cart(
        storage: Arc<dyn Storage>,
    ) {
        let cart = new_cart("visitor-1", "first");
        committed(&storage, insert(&cart)).await;
        let mut same_id = new_cart("visitor-2", "second");
        same_id.id = cart.id.clone();
        refused(&storage, insert(&same_id)).await;
        refused(&storage, insert(&new_cart("visitor-1", "third"))).await;
        let found = storage.find_cart(CartKey::Id(&cart.id)).await.unwrap();
        assert_eq!(found, Some(cart));
    }

    pub async fn a_save_from_a_stale_revision_is_refused_and_writes_nothing(
        storage: Arc<dyn Storage>,
    ) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        let saved = committed(&storage, save(&cart, 1, "two")).await.unwrap();
        assert_eq!(saved.revision, 2);
        refused(&storage, save(&cart, 1, "lost")).await;
        refused(&storage, save(&cart, 5, "from the future")).await;
        let found = storage
            .find_cart(CartKey::Id(&cart.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, saved);
        assert_eq!(found.content.buyer_note.as_deref(), Some("two"));
    }

    pub async fn a_checkout_is_written_with_its_cart_and_keeps_its_id(storage: Arc<dyn Storage>) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        let write = with_checkout(save(&cart, 1, "two"), json!({"total": "12.50"}));
        let saved = committed(&storage, write).await.unwrap();
        let checkout_id = saved.content.checkout_id.clone().expect("a checkout id");
        let found = storage.find_cart(CartKey::Id(&cart.id)).await.unwrap();
        assert_eq!(found.as_ref(), Some(&saved));
        assert_eq!(
            storage.checkout_summary(&checkout_id).await.unwrap(),
            Some(json!({"total": "12.50"}))
        );

        let again = with_checkout(save(&saved, 2, "three"), json!({"total": "25"}));
        let saved = committed(&storage, again).await.unwrap();
        assert_eq!(saved.content.checkout_id, Some(checkout_id.clone()));
        assert_eq!(
            storage.checkout_summary(&checkout_id).await.unwrap(),
            Some(json!({"total": "25"}))
        );
        assert_eq!(storage.checkout_summary("missing").await.unwrap(), None);
    }

    pub async fn a_refused_write_leaves_its_checkout_unwritten(storage: Arc<dyn Storage>) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        let first = with_checkout(save(&cart, 1, "two"), json!({"total": "1"}));
        let saved = committed(&storage, first).await.unwrap();
        let checkout_id = saved.content.checkout_id.clone().unwrap();

        // The checkout part would succeed; the stale revision refuses the whole write.
        let stale = with_checkout(save(&cart, 1, "lost"), json!({"total": "2"}));
        refused(&storage, stale).await;
        assert_eq!(
            storage.checkout_summary(&checkout_id).await.unwrap(),
            Some(json!({"total": "1"}))
        );
        let found = storage.find_cart(CartKey::Id(&cart.id)).await.unwrap();
        assert_eq!(found, Some(saved));
    }

    pub async fn a_delete_removes_the_cart_and_its_checkout_at_its_revision_only(
        storage: Arc<dyn Storage>,
    ) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        let write = with_checkout(save(&cart, 1, "two"), json!({}));
        let saved = committed(&storage, write).await.unwrap();
        let checkout_id = saved.content.checkout_id.clone().unwrap();
        let delete = |expected_revision| CartWrite::Delete {
            cart_id: cart.id.clone(),
            expected_revision,
            event: true,
        };

        refused(&storage, delete(1)).await;
        assert!(
            storage
                .checkout_summary(&checkout_id)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            storage.find_cart(CartKey::Id(&cart.id)).await.unwrap(),
            Some(saved)
        );

        assert_eq!(committed(&storage, delete(2)).await, None);
        assert_eq!(
            storage.find_cart(CartKey::Id(&cart.id)).await.unwrap(),
            None
        );
        assert_eq!(storage.checkout_summary(&checkout_id).await.unwrap(), None);
        refused(&storage, delete(2)).await;

        // The visitor may start a new cart.
        committed(&storage, insert(&new_cart("visitor-1", "again"))).await;
    }

    fn without_event(write: CartWrite) -> CartWrite {
        match write {
            CartWrite::Save {
                cart,
                expected_revision,
                checkout,
                ..
            } => CartWrite::Save {
                cart,
                expected_revision,
                checkout,
                event: false,
            },
            CartWrite::Delete {
                cart_id,
                expected_revision,
                ..
            } => CartWrite::Delete {
                cart_id,
                expected_revision,
                event: false,
            },
        }
    }

    fn kinds_and_sequences(events: &[CartEvent]) -> Vec<(EventKind, i64)> {
        events.iter().map(|e| (e.kind, e.sequence)).collect()
    }

    /// Far in the future, in Unix milliseconds.
    const LATER: i64 = i64::MAX / 2;

    pub async fn each_committed_write_queues_one_event_and_a_refused_one_none(
        storage: Arc<dyn Storage>,
    ) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        refused(&storage, insert(&cart)).await;
        let saved = committed(&storage, save(&cart, 1, "two")).await.unwrap();
        refused(&storage, save(&cart, 1, "lost")).await;
        let delete = |expected_revision| CartWrite::Delete {
            cart_id: cart.id.clone(),
            expected_revision,
            event: true,
        };
        refused(&storage, delete(1)).await;
        committed(&storage, delete(2)).await;

        let events = storage.cart_events(&cart.id).await.unwrap();
        assert_eq!(
            kinds_and_sequences(&events),
            [
                (EventKind::Created, 1),
                (EventKind::Updated, 2),
                (EventKind::Deleted, 3)
            ]
        );
        assert_eq!(events[0].cart, Some(cart.clone()));
        assert_eq!(events[1].cart, Some(saved));
        assert_eq!(events[2].cart, None);
        for event in &events {
            assert_eq!(event.visitor_id.as_deref(), Some("visitor-1"));
            assert_eq!(event.status, EventStatus::Pending);
            assert_eq!((event.attempts, event.failing_since), (0, None));
        }
        let mut ids: Vec<_> = events.iter().map(|e| e.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 3, "event ids are distinct");
    }

    pub async fn a_write_without_its_event_flag_queues_nothing(storage: Arc<dyn Storage>) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, without_event(insert(&cart))).await;
        committed(&storage, save(&cart, 1, "two")).await;
        let events = storage.cart_events(&cart.id).await.unwrap();
        // Sequences count events, not revisions: the first queued one is 1.
        assert_eq!(kinds_and_sequences(&events), [(EventKind::Updated, 1)]);
    }

    pub async fn sequences_are_contiguous_per_cart(storage: Arc<dyn Storage>) {
        let a = new_cart("visitor-a", "a1");
        let b = new_cart("visitor-b", "b1");
        committed(&storage, insert(&a)).await;
        committed(&storage, insert(&b)).await;
        for revision in 1..4 {
            committed(&storage, save(&a, revision, "a")).await;
            if revision < 3 {
                committed(&storage, save(&b, revision, "b")).await;
            }
        }
        let sequences =
            |events: Vec<CartEvent>| -> Vec<i64> { events.iter().map(|e| e.sequence).collect() };
        assert_eq!(
            sequences(storage.cart_events(&a.id).await.unwrap()),
            [1, 2, 3, 4]
        );
        assert_eq!(
            sequences(storage.cart_events(&b.id).await.unwrap()),
            [1, 2, 3]
        );
    }

    pub async fn only_the_lowest_pending_event_of_each_cart_is_due(storage: Arc<dyn Storage>) {
        let a = new_cart("visitor-a", "a1");
        let b = new_cart("visitor-b", "b1");
        for cart in [&a, &b] {
            committed(&storage, insert(cart)).await;
            committed(&storage, save(cart, 1, "2")).await;
        }
        let due = |now| {
            let storage = storage.clone();
            async move {
                let mut due: Vec<(String, i64)> = storage
                    .due_events(now, 100)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|e| (e.cart_id, e.sequence))
                    .collect();
                due.sort();
                due
            }
        };
        let pair = |cart: &StoredCart, sequence| (cart.id.clone(), sequence);
        let mut expected = vec![pair(&a, 1), pair(&b, 1)];
        expected.sort();
        assert_eq!(due(LATER).await, expected);
        assert_eq!(due(0).await, [], "nothing is due before it was queued");

        // A's first fails and waits: it holds back A's second, not B's.
        let a_events = storage.cart_events(&a.id).await.unwrap();
        let b_events = storage.cart_events(&b.id).await.unwrap();
        let retry = AttemptOutcome::Retry {
            failed_at: 7,
            next_attempt_at: LATER,
            error: "HTTP 500".to_owned(),
        };
        storage
            .record_attempt(&a_events[0].id, retry)
            .await
            .unwrap();
        storage
            .record_attempt(&b_events[0].id, AttemptOutcome::Delivered)
            .await
            .unwrap();
        assert_eq!(due(LATER - 1).await, [pair(&b, 2)]);
        let a_first = &storage.cart_events(&a.id).await.unwrap()[0];
        assert_eq!(a_first.attempts, 1);
        assert_eq!(a_first.failing_since, Some(7));
        assert_eq!(a_first.last_error.as_deref(), Some("HTTP 500"));
        assert_eq!(due(LATER).await, {
            let mut both = vec![pair(&a, 1), pair(&b, 2)];
            both.sort();
            both
        });

        // Parked, it no longer holds its cart back; re-queued, it leads again.
        let park = AttemptOutcome::Park {
            failed_at: 9,
            error: "too old".to_owned(),
        };
        storage.record_attempt(&a_events[0].id, park).await.unwrap();
        storage
            .record_attempt(&b_events[1].id, AttemptOutcome::Delivered)
            .await
            .unwrap();
        assert_eq!(due(LATER).await, [pair(&a, 2)]);
        let failed = storage.events(EventStatus::Failed, 100).await.unwrap();
        assert_eq!(kinds_and_sequences(&failed), [(EventKind::Created, 1)]);
        assert_eq!(failed[0].failing_since, Some(7), "the first failure's time");
        assert_eq!(failed[0].attempts, 2);
        assert_eq!(storage.requeue_failed(5).await.unwrap(), 1);
        assert_eq!(due(LATER).await, [pair(&a, 1)]);
        let requeued = &storage.cart_events(&a.id).await.unwrap()[0];
        assert_eq!((requeued.attempts, requeued.failing_since), (0, None));
        assert_eq!(storage.events(EventStatus::Failed, 100).await.unwrap(), []);
        assert_eq!(
            storage
                .events(EventStatus::Delivered, 100)
                .await
                .unwrap()
                .len(),
            2
        );
    }

    pub async fn pruning_keeps_pending_events_and_each_carts_last_one(storage: Arc<dyn Storage>) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        for revision in 1..4 {
            committed(&storage, save(&cart, revision, "more")).await;
        }
        let events = storage.cart_events(&cart.id).await.unwrap();
        for event in &events[..3] {
            storage
                .record_attempt(&event.id, AttemptOutcome::Delivered)
                .await
                .unwrap();
        }
        // Sequence 4 is pending: it stays, and so does nothing else delivered.
        assert_eq!(storage.prune_delivered(LATER).await.unwrap(), 3);
        let left = storage.cart_events(&cart.id).await.unwrap();
        assert_eq!(kinds_and_sequences(&left), [(EventKind::Updated, 4)]);
        storage
            .record_attempt(&left[0].id, AttemptOutcome::Delivered)
            .await
            .unwrap();
        assert_eq!(
            storage.prune_delivered(LATER).await.unwrap(),
            0,
            "the last stays"
        );
        assert_eq!(
            storage.prune_delivered(0).await.unwrap(),
            0,
            "nothing that old"
        );
        committed(&storage, save(&cart, 4, "after")).await;
        let sequences: Vec<i64> = storage
            .cart_events(&cart.id)
            .await
            .unwrap()
            .iter()
            .map(|e| e.sequence)
            .collect();
        assert_eq!(sequences, [4, 5], "the count goes on after pruning");
    }

    pub async fn of_concurrent_saves_from_one_revision_exactly_one_commits(
        storage: Arc<dyn Storage>,
    ) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        let writers: Vec<_> = (0..16)
            .map(|n| {
                let storage = storage.clone();
                let write = save(&cart, 1, &format!("writer {n}"));
                tokio::spawn(async move { storage.write_cart(write).await.unwrap() })
            })
            .collect();
        let mut committed_notes = Vec::new();
        for writer in writers {
            if let WriteOutcome::Committed(Some(saved)) = writer.await.unwrap() {
                committed_notes.push(saved.content.buyer_note.unwrap());
            }
        }
        assert_eq!(committed_notes.len(), 1, "{committed_notes:?}");
        let stored = storage
            .find_cart(CartKey::Id(&cart.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.revision, 2);
        assert_eq!(
            stored.content.buyer_note.as_ref(),
            Some(&committed_notes[0])
        );
        let events = storage.cart_events(&cart.id).await.unwrap();
        assert_eq!(
            kinds_and_sequences(&events).len(),
            2,
            "one event per commit"
        );
    }

    pub async fn a_claimed_event_is_nobody_elses_until_its_lease_ends(storage: Arc<dyn Storage>) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        let claim = |now, lease_until| {
            let storage = storage.clone();
            async move {
                let claimed = storage
                    .claim_due_events(now, lease_until, 10)
                    .await
                    .unwrap();
                kinds_and_sequences(&claimed)
            }
        };
        assert_eq!(claim(LATER, LATER + 100).await, [(EventKind::Created, 1)]);
        assert_eq!(
            claim(LATER, LATER + 100).await,
            [],
            "held by the first claim"
        );
        assert_eq!(claim(LATER + 99, LATER + 200).await, []);
        // The holder died: its lease ends and another claimer takes it.
        assert_eq!(
            claim(LATER + 100, LATER + 200).await,
            [(EventKind::Created, 1)]
        );
        let event = storage.cart_events(&cart.id).await.unwrap().remove(0);
        let retry = AttemptOutcome::Retry {
            failed_at: LATER + 150,
            next_attempt_at: LATER + 160,
            error: "HTTP 500".to_owned(),
        };
        storage.record_attempt(&event.id, retry).await.unwrap();
        // Recording the attempt ended the lease: it is due again at its retry time.
        assert_eq!(claim(LATER + 159, LATER + 300).await, []);
        assert_eq!(
            claim(LATER + 160, LATER + 300).await,
            [(EventKind::Created, 1)]
        );
        assert_eq!(
            storage.due_events(LATER + 160, 10).await.unwrap().len(),
            1,
            "a lease does not change what is due, only who may claim it"
        );
    }

    pub async fn a_carts_later_event_is_not_claimed_while_an_earlier_one_is_leased(
        storage: Arc<dyn Storage>,
    ) {
        let cart = new_cart("visitor-1", "one");
        committed(&storage, insert(&cart)).await;
        committed(&storage, save(&cart, 1, "two")).await;
        let claimed = storage
            .claim_due_events(LATER, LATER + 100, 10)
            .await
            .unwrap();
        assert_eq!(kinds_and_sequences(&claimed), [(EventKind::Created, 1)]);
        let again = storage
            .claim_due_events(LATER, LATER + 100, 10)
            .await
            .unwrap();
        assert_eq!(again, [], "the second waits for the first");
        storage
            .record_attempt(&claimed[0].id, AttemptOutcome::Delivered)
            .await
            .unwrap();
        let next = storage
            .claim_due_events(LATER, LATER + 100, 10)
            .await
            .unwrap();
        assert_eq!(kinds_and_sequences(&next), [(EventKind::Updated, 2)]);
    }

    pub async fn concurrent_claimers_never_get_the_same_event(storage: Arc<dyn Storage>) {
        let mut carts = Vec::new();
        for n in 0..40 {
            let cart = new_cart(&format!("visitor-{n}"), "one");
            committed(&storage, insert(&cart)).await;
            carts.push(cart.id);
        }
        let claimers: Vec<_> = (0..4)
            .map(|_| {
                let storage = storage.clone();
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let claimed = storage
                            .claim_due_events(LATER, LATER + 100, 3)
                            .await
                            .unwrap();
                        if claimed.is_empty() {
                            return mine;
                        }
                        mine.extend(claimed.into_iter().map(|event| event.cart_id));
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for claimer in claimers {
            all.extend(claimer.await.unwrap());
        }
        all.sort();
        carts.sort();
        assert_eq!(all, carts, "each event claimed exactly once");
    }

    pub async fn a_setting_keeps_its_first_value(storage: Arc<dyn Storage>) {
        let first = storage
            .setting_or_insert("instance_id", "one")
            .await
            .unwrap();
        let again = storage
            .setting_or_insert("instance_id", "two")
            .await
            .unwrap();
        assert_eq!((first.as_str(), again.as_str()), ("one", "one"));
    }
}

/// Runs every contract check against the backend `$open` returns.
macro_rules! storage_contract {
    ($backend:ident, $open:ident) => {
        mod $backend {
            use super::{contract, $open};

            #[tokio::test]
            async fn tokens_resolve_to_their_visitor_until_they_expire() {
                let Some(backend) = $open().await else { return };
                contract::tokens_resolve_to_their_visitor_until_they_expire(backend.storage).await;
            }

            #[tokio::test]
            async fn a_refresh_token_is_spent_once_for_new_tokens_of_its_visitor() {
                let Some(backend) = $open().await else { return };
                contract::a_refresh_token_is_spent_once_for_new_tokens_of_its_visitor(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn a_kept_refresh_token_lives_on_with_its_new_expiry() {
                let Some(backend) = $open().await else { return };
                contract::a_kept_refresh_token_lives_on_with_its_new_expiry(backend.storage).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn of_concurrent_exchanges_keeping_one_token_all_succeed() {
                let Some(backend) = $open().await else { return };
                contract::of_concurrent_exchanges_keeping_one_token_all_succeed(backend.storage)
                    .await;
            }

            #[tokio::test]
            async fn an_expired_or_access_token_is_not_exchanged() {
                let Some(backend) = $open().await else { return };
                contract::an_expired_or_access_token_is_not_exchanged(backend.storage).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn of_concurrent_exchanges_of_one_token_exactly_one_succeeds() {
                let Some(backend) = $open().await else { return };
                contract::of_concurrent_exchanges_of_one_token_exactly_one_succeeds(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn a_spent_refresh_token_is_exchanged_again_within_its_grace_only() {
                let Some(backend) = $open().await else { return };
                contract::a_spent_refresh_token_is_exchanged_again_within_its_grace_only(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn of_concurrent_exchanges_in_the_grace_all_succeed_and_one_access_token_stays() {
                let Some(backend) = $open().await else { return };
                contract::of_concurrent_exchanges_in_the_grace_all_succeed_and_one_access_token_stays(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn the_cleanup_deletes_every_expired_token_and_no_other() {
                let Some(backend) = $open().await else { return };
                contract::the_cleanup_deletes_every_expired_token_and_no_other(backend.storage)
                    .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_cleanups_delete_each_expired_token_once() {
                let Some(backend) = $open().await else { return };
                contract::concurrent_cleanups_delete_each_expired_token_once(backend.storage).await;
            }

            #[tokio::test]
            async fn a_new_cart_is_found_by_id_and_by_visitor() {
                let Some(backend) = $open().await else { return };
                contract::a_new_cart_is_found_by_id_and_by_visitor(backend.storage).await;
            }

            #[tokio::test]
            async fn an_insert_is_refused_when_the_id_or_the_visitor_has_a_cart() {
                let Some(backend) = $open().await else { return };
                contract::an_insert_is_refused_when_the_id_or_the_visitor_has_a_cart(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn a_save_from_a_stale_revision_is_refused_and_writes_nothing() {
                let Some(backend) = $open().await else { return };
                contract::a_save_from_a_stale_revision_is_refused_and_writes_nothing(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn a_checkout_is_written_with_its_cart_and_keeps_its_id() {
                let Some(backend) = $open().await else { return };
                contract::a_checkout_is_written_with_its_cart_and_keeps_its_id(backend.storage)
                    .await;
            }

            #[tokio::test]
            async fn a_refused_write_leaves_its_checkout_unwritten() {
                let Some(backend) = $open().await else { return };
                contract::a_refused_write_leaves_its_checkout_unwritten(backend.storage).await;
            }

            #[tokio::test]
            async fn a_delete_removes_the_cart_and_its_checkout_at_its_revision_only() {
                let Some(backend) = $open().await else { return };
                contract::a_delete_removes_the_cart_and_its_checkout_at_its_revision_only(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn each_committed_write_queues_one_event_and_a_refused_one_none() {
                let Some(backend) = $open().await else { return };
                contract::each_committed_write_queues_one_event_and_a_refused_one_none(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn a_write_without_its_event_flag_queues_nothing() {
                let Some(backend) = $open().await else { return };
                contract::a_write_without_its_event_flag_queues_nothing(backend.storage).await;
            }

            #[tokio::test]
            async fn sequences_are_contiguous_per_cart() {
                let Some(backend) = $open().await else { return };
                contract::sequences_are_contiguous_per_cart(backend.storage).await;
            }

            #[tokio::test]
            async fn only_the_lowest_pending_event_of_each_cart_is_due() {
                let Some(backend) = $open().await else { return };
                contract::only_the_lowest_pending_event_of_each_cart_is_due(backend.storage).await;
            }

            #[tokio::test]
            async fn pruning_keeps_pending_events_and_each_carts_last_one() {
                let Some(backend) = $open().await else { return };
                contract::pruning_keeps_pending_events_and_each_carts_last_one(backend.storage)
                    .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn of_concurrent_saves_from_one_revision_exactly_one_commits() {
                let Some(backend) = $open().await else { return };
                contract::of_concurrent_saves_from_one_revision_exactly_one_commits(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test]
            async fn a_claimed_event_is_nobody_elses_until_its_lease_ends() {
                let Some(backend) = $open().await else { return };
                contract::a_claimed_event_is_nobody_elses_until_its_lease_ends(backend.storage)
                    .await;
            }

            #[tokio::test]
            async fn a_carts_later_event_is_not_claimed_while_an_earlier_one_is_leased() {
                let Some(backend) = $open().await else { return };
                contract::a_carts_later_event_is_not_claimed_while_an_earlier_one_is_leased(
                    backend.storage,
                )
                .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_claimers_never_get_the_same_event() {
                let Some(backend) = $open().await else { return };
                contract::concurrent_claimers_never_get_the_same_event(backend.storage).await;
            }

            #[tokio::test]
            async fn a_setting_keeps_its_first_value() {
                let Some(backend) = $open().await else { return };
                contract::a_setting_keeps_its_first_value(backend.storage).await;
            }
        }
    };
}

storage_contract!(sqlite, open_sqlite);
storage_contract!(postgres, open_postgres);
