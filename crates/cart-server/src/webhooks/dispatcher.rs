//! The background dispatcher: takes due events from the outbox, renders,
//! signs and posts them, and records each attempt. Which events are due
//! (one per cart, in sequence) is the outbox's rule; when a failed one is
//! tried again is `schedule.rs`'s. This file only moves bytes.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::envelope::{DomainEvent, EventBody, Identity, MessageEnvelope, SigningKey};
use super::schedule::{AfterFailure, RetryPolicy};
use crate::catalog::Catalogs;
use crate::db::{AttemptOutcome, CartEvent, Db, Storage, unix_millis};
use crate::pricing::PricedCart;
use crate::render;
use crate::shop_rules::ShopRules;

/// What a claim's lease adds to the longest an attempt can take.
const LEASE_MARGIN: Duration = Duration::from_secs(5);

/// How often delivered events are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Timings of the dispatcher (tests shorten them).
#[derive(Clone, Copy, Debug)]
pub struct DispatchOptions {
    pub retry: RetryPolicy,
    /// How often the outbox is checked when nothing signalled a new event
    /// (retries coming due, events written by another process).
    pub poll_interval: Duration,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
    /// At most this many events are posted at once.
    pub batch: i64,
    /// Delivered events older than this are pruned (each cart's last kept).
    pub keep_delivered: Duration,
}

impl Default for DispatchOptions {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            poll_interval: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
            batch: 32,
            keep_delivered: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

/// What the dispatcher needs; cheap to clone.
#[derive(Clone)]
pub struct Dispatcher(Arc<Inner>);

struct Inner {
    storage: Arc<dyn Storage>,
    signal: Arc<Notify>,
    client: reqwest::Client,
    urls: Vec<reqwest::Url>,
    key: SigningKey,
    instance_id: String,
    catalogs: Arc<Catalogs>,
    rules: Arc<ShopRules>,
    /// The origin product URLs in entities are built from.
    base_url: String,
    options: DispatchOptions,
    /// How long a claimed event stays this dispatcher's: longer than an
    /// attempt can take (`timeout` per URL, plus a margin), so a slow
    /// delivery is never sent by a second node at the same time; not much
    /// longer, so a dead node's events are not held up for long.
    lease: Duration,
}

impl Dispatcher {
    #[allow(clippy::too_many_arguments)] // each is one plain setting
    pub fn new(
        db: &Db,
        urls: Vec<reqwest::Url>,
        key: SigningKey,
        instance_id: String,
        catalogs: Arc<Catalogs>,
        rules: Arc<ShopRules>,
        base_url: String,
        options: DispatchOptions,
    ) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .user_agent(concat!(
                "cart-server/",
                env!("CARGO_PKG_VERSION"),
                " (webhooks)"
            ))
            .build()?;
        let attempts = u32::try_from(urls.len()).unwrap_or(u32::MAX);
        let lease = options.timeout.saturating_mul(attempts) + LEASE_MARGIN;
        Ok(Self(Arc::new(Inner {
            storage: db.storage().clone(),
            signal: db.event_signal(),
            client,
            urls,
            key,
            instance_id,
            catalogs,
            rules,
            base_url: base_url.trim_end_matches('/').to_owned(),
            options,
            lease,
        })))
    }

    /// Runs until the task is dropped or aborted.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_prune: Option<std::time::Instant> = None;
            loop {
                if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                    last_prune = Some(std::time::Instant::now());
                    if let Err(error) = self.prune().await {
                        tracing::error!(%error, "pruning delivered webhook events failed");
                    }
                }
                match self.round().await {
                    Ok(0) => {}
                    Ok(_) => continue,
                    Err(error) => tracing::error!(%error, "webhook dispatch failed"),
                }
                tokio::select! {
                    () = self.0.signal.notified() => {}
                    () = tokio::time::sleep(self.0.options.poll_interval) => {}
                }
            }
        })
    }

    /// Deletes delivered events older than `keep_delivered`; how many.
    pub async fn prune(&self) -> anyhow::Result<u64> {
        let keep = i64::try_from(self.0.options.keep_delivered.as_millis()).unwrap_or(i64::MAX);
        let before = unix_millis().saturating_sub(keep);
        self.0.storage.prune_delivered(before).await
    }

    /// Claims the due events and attempts each once, in parallel across
    /// carts; how many.
    pub async fn round(&self) -> anyhow::Result<usize> {
        let now = unix_millis();
        let lease = i64::try_from(self.0.lease.as_millis()).unwrap_or(i64::MAX);
        let due = self
            .0
            .storage
            .claim_due_events(now, now.saturating_add(lease), self.0.options.batch)
            .await?;
        let count = due.len();
        let mut attempts = JoinSet::new();
        for event in due {
            let this = self.clone();
            attempts.spawn(async move { this.attempt(event).await });
        }
        while let Some(done) = attempts.join_next().await {
            done??;
        }
        Ok(count)
    }

    /// Posts one event to every URL and records the outcome.
    async fn attempt(&self, event: CartEvent) -> anyhow::Result<()> {
        let outcome = match self.post(&event).await {
            Ok(()) => AttemptOutcome::Delivered,
            Err(error) => {
                let error = format!("{error:#}");
                let failures = event.attempts + 1;
                tracing::warn!(event = %event.id, cart = %event.cart_id, failures, %error, "webhook delivery failed");
                let now = unix_millis();
                let since = event.failing_since.unwrap_or(now);
                match self.0.options.retry.after_failure(failures, since, now) {
                    AfterFailure::RetryAt(next_attempt_at) => AttemptOutcome::Retry {
                        failed_at: now,
                        next_attempt_at,
                        error,
                    },
                    AfterFailure::Park => AttemptOutcome::Park {
                        failed_at: now,
                        error,
                    },
                }
            }
        };
        self.0.storage.record_attempt(&event.id, outcome).await
    }

    async fn post(&self, event: &CartEvent) -> anyhow::Result<()> {
        let body = self.signed_body(event)?;
        for url in &self.0.urls {
            let response = self
                .0
                .client
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, "text/plain")
                .body(body.clone())
                .send()
                .await?;
            let status = response.status();
            if !status.is_success() {
                anyhow::bail!("{url} answered HTTP {status}");
            }
        }
        Ok(())
    }

    /// The event as its delivery body: rendered, enveloped, signed now.
    pub fn signed_body(&self, event: &CartEvent) -> anyhow::Result<String> {
        let cart = event.cart.as_ref().map(|cart| {
            let time =
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(event.created_at) * 1_000_000)
                    .unwrap_or_else(|_| OffsetDateTime::now_utc());
            let priced = PricedCart::new(cart, &self.0.catalogs, &self.0.rules, time);
            render::cart(&priced, &self.0.base_url)
        });
        let body = EventBody::new(event.kind, cart)
            .ok_or_else(|| anyhow::anyhow!("event {} has no cart", event.id))?;
        let domain = DomainEvent::new(
            &event.id,
            &event.cart_id,
            event.kind,
            body,
            event.created_at,
            event.sequence,
        );
        let identity = Identity::of_visitor(event.visitor_id.as_deref());
        let envelope = MessageEnvelope::new(&domain, event.kind, &identity, &self.0.instance_id)?;
        self.0.key.sign(&envelope)
    }
}
