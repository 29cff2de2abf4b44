//! Cart events: the Cart API's `cart_created` / `cart_updated` /
//! `cart_deleted` webhooks, signed like Wix's, delivered at least once.
//!
//! # How an event travels
//!
//! 1. **Outbox.** When webhook URLs are configured, `Db` marks every cart
//!    write with `event: true` and the backend inserts the event's row in
//!    the change's own transaction (`db.rs`, "One write path"): its id, the
//!    cart's next sequence, the kind, and a snapshot of the cart after the
//!    change. A change is never committed without its event, nor the
//!    reverse; a refused (stale) write writes neither.
//! 2. **Dispatcher** (`dispatcher.rs`), spawned by `serve()`: claims the
//!    due events (`Storage::claim_due_events`: the lowest pending sequence
//!    of each cart that no dispatcher holds, leased to this one), renders
//!    and signs each (`envelope.rs`), posts it to every URL. All 2xx:
//!    delivered. Anything else: retried per `schedule.rs`. With several
//!    server nodes on one PostgreSQL database, every node runs a
//!    dispatcher; the lease keeps each event in one node's hands at a time.
//! 3. **Crash.** Nothing is held in memory: after `kill -9` the next start
//!    finds the pending rows and sends them. An event acknowledged just
//!    before the crash but not yet marked delivered is sent again, with the
//!    same `id` and sequence, so receivers drop duplicates by `id`. An
//!    event the dead node had claimed waits for its lease to run out
//!    (`DispatchOptions::lease`), then any node sends it.
//!
//! # Why the entity is rendered at delivery, from a snapshot
//!
//! The event's entity is the cart after the change in REST wire form,
//! which needs pricing (catalogs, shop rules) that the storage layer does
//! not have. Rather than pass a rendered cart down every write (the service
//! would price and render twice per change, and the admin insert path
//! separately), the outbox row keeps the stored cart as committed
//! (revision, content, dates) and the dispatcher prices it with the
//! event's own time as "now" and renders it. The catalog is read-only
//! while the server runs, so the entity equals the API's answer for that
//! change; after a restart with a different catalog file, a pending
//! event's prices would follow the new catalog (its lines, quantities,
//! coupon, note and dates do not change).
//!
//! # Operating it
//!
//! - Retries: 2 s, doubling, capped at 5 minutes; parked as failed 24 h
//!   after the first failed attempt (`schedule.rs`).
//! - `GET /admin/webhook-deliveries[?status=pending|failed]` and
//!   `POST /admin/webhook-deliveries/requeue` (admin key,
//!   `routes/webhook_deliveries.rs`) list the waiting and parked events and
//!   re-queue the parked ones.
//! - Delivered events are pruned after a week; each cart's last one stays,
//!   since the next sequence counts from it.
//! - Several server processes on one database each run a dispatcher and
//!   do not coordinate: an event may then be posted by both (still at least
//!   once, same `id`), and a cart's order holds only per process.
//!
//! # Several URLs
//!
//! An event is delivered when every URL answered 2xx in the same attempt;
//! a retry goes to all of them again (at least once, per URL).

mod dispatcher;
mod envelope;
mod schedule;

use std::path::Path;

use anyhow::Context;

pub use dispatcher::{DispatchOptions, Dispatcher};
pub use envelope::{
    AccountInfo, Claims, DomainEvent, ENTITY_FQDN, EventBody, Identity, MessageEnvelope,
    SigningKey, event_time, event_type,
};
pub use schedule::{AfterFailure, RetryPolicy};

use crate::config::Config;

/// The key under which the default instance id is kept in the database.
pub const INSTANCE_ID_SETTING: &str = "instance_id";

/// Webhooks as configured, checked at start.
#[derive(Clone)]
pub struct WebhookSettings {
    pub urls: Vec<reqwest::Url>,
    pub key: SigningKey,
    /// `--instance-id`; `None`: the one kept in the database.
    pub instance_id: Option<String>,
    /// Tests' short retries (hidden `--webhook-first-retry-ms`).
    pub first_retry_ms: Option<u64>,
    /// Tests' short receiver timeout (hidden `--webhook-timeout-ms`).
    pub timeout_ms: Option<u64>,
}

impl WebhookSettings {
    /// The settings from the command line; `None` when no URL is given
    /// (no events are queued then). A URL without a key, or a key that
    /// cannot be read or is not an RSA private key, is an error.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        if config.webhook_urls.is_empty() {
            return Ok(None);
        }
        let Some(path) = &config.webhook_key else {
            anyhow::bail!(
                "--webhook-url is set but --webhook-key (CART_WEBHOOK_KEY) is not: \
                 webhooks need the PKCS#8 PEM RSA private key that signs them"
            );
        };
        Ok(Some(Self {
            urls: config.webhook_urls.clone(),
            key: read_key(path)?,
            instance_id: config.instance_id.map(|id| id.to_string()),
            first_retry_ms: config.webhook_first_retry_ms,
            timeout_ms: config.webhook_timeout_ms,
        }))
    }
}

/// Reads and checks the signing key at `path`.
pub fn read_key(path: &Path) -> anyhow::Result<SigningKey> {
    let pem = std::fs::read(path)
        .with_context(|| format!("could not read the webhook key {}", path.display()))?;
    SigningKey::from_pem(&pem).map_err(|error| {
        anyhow::anyhow!(
            "the webhook key {} is not a PEM RSA private key (PKCS#8, `BEGIN PRIVATE KEY`): {error}",
            path.display()
        )
    })
}

/// `--webhook-url`'s parser: an absolute `http` or `https` URL.
pub fn parse_url(value: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(value.trim()).map_err(|error| {
        format!("not a URL ({error}); expected e.g. https://shop.example.com/webhooks")
    })?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(url),
        _ => Err("expected an http:// or https:// URL with a host".to_owned()),
    }
}
