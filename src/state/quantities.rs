//! The quantity steppers' changes: shown at once, sent together once the
//! shopper pauses, retried while the server cannot be reached. The rules
//! (coalescing, one request at a time, rollback, clamping) are the pure
//! state machine in `pending.rs`; this module drives it with timers and the
//! API client, and turns what it settles into signals.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{CartState, LineMessage};
use crate::pending::{Answer, Batch, Debounce, PendingQueue, Quantities};

/// Quantity changes go out together once the shopper pauses this long…
pub const COALESCE_WINDOW: Duration = Duration::from_millis(300);
/// …or at the latest this long after the first of them.
pub const COALESCE_MAX_WAIT: Duration = Duration::from_millis(2000);

/// Retries of unsent changes wait this long, doubling up to `RETRY_MAX`
/// (and happen at once when the browser says it is back online).
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// Quantity changes on their way to the server.
#[derive(Clone, Copy)]
pub struct QuantitySync {
    /// Quantity changes not confirmed by the server yet.
    pub queue: RwSignal<PendingQueue>,
    /// The server could not be reached: changes wait and are retried.
    pub offline: RwSignal<bool>,
    retry_delay: StoredValue<Duration>,
    debounce: StoredValue<Debounce>,
}

impl QuantitySync {
    pub(super) fn new() -> Self {
        Self {
            queue: RwSignal::new(PendingQueue::default()),
            offline: RwSignal::new(false),
            retry_delay: StoredValue::new(RETRY_FIRST),
            debounce: StoredValue::new(Debounce::new(COALESCE_MAX_WAIT.as_secs_f64() * 1000.0)),
        }
    }
}

impl CartState {
    /// The quantity to show for a line: the shopper's newest ask, else the server's.
    pub fn shown_quantity(&self, line_id: &str, server: u32) -> u32 {
        self.quantities
            .queue
            .with(|queue| queue.shown(line_id, server))
    }

    /// The shopper wants `quantity` of a line: shown at once, sent together
    /// with the other changes once the shopper pauses.
    pub fn set_quantity(self, line_id: &str, quantity: u32) {
        let QuantitySync {
            queue, debounce, ..
        } = self.quantities;
        self.lines.messages.update(|messages| {
            messages.remove(line_id);
        });
        queue.update(|queue| queue.set(line_id, quantity));
        let ticket = debounce
            .try_update_value(|d| d.touch(js_sys::Date::now()))
            .unwrap_or_default();
        set_timeout(
            move || {
                let due = debounce.try_update_value(|d| d.due(ticket, js_sys::Date::now()));
                if due == Some(true)
                    && let Some(batch) = queue.try_update(PendingQueue::flush).flatten()
                {
                    self.send_batch(batch);
                }
            },
            COALESCE_WINDOW,
        );
    }

    /// The connection is back: the waiting changes are sent at once, and
    /// the next retry waits the shortest time again.
    pub fn retry_now(self) {
        self.quantities.retry_delay.set_value(RETRY_FIRST);
        self.flush_now();
    }

    /// Sends the changes waiting (after a failed attempt to reach the server).
    fn flush_now(self) {
        if let Some(batch) = self
            .quantities
            .queue
            .try_update(PendingQueue::flush)
            .flatten()
        {
            self.send_batch(batch);
        }
    }

    /// Tries the waiting changes again after a growing pause.
    fn retry_later(self) {
        let retry_delay = self.quantities.retry_delay;
        let delay = retry_delay.get_value();
        retry_delay.set_value((delay * 2).min(RETRY_MAX));
        set_timeout(move || self.flush_now(), delay);
    }

    /// Sends one batch; what the server answers settles it (`pending.rs`),
    /// and the next batch, a retry or a reconciling fetch follow from that.
    fn send_batch(self, batch: Batch) {
        let api = self.api.get_value();
        spawn_local(async move {
            let lines: Vec<(String, u32)> =
                batch.lines.iter().map(|(id, q)| (id.clone(), *q)).collect();
            let result = api.update_quantities(&lines).await;
            let server: Quantities = match &result {
                Ok(cart) => cart
                    .line_items
                    .iter()
                    .filter_map(|line| Some((line.id.clone()?, line.quantity)))
                    .collect(),
                Err(_) => Quantities::new(),
            };
            let answer = match &result {
                Ok(_) => Answer::Saved(&server),
                Err(error) if error.is_unreachable() => Answer::Unreachable,
                Err(_) => Answer::Refused,
            };
            let settled = self
                .quantities
                .queue
                .try_update(|queue| queue.settle(batch.seq, answer))
                .unwrap_or_default();
            if let Err(error) = &result {
                self.report(error);
            }
            self.quantities.offline.set(settled.retry);
            if settled.retry {
                self.retry_later();
            } else {
                self.quantities.retry_delay.set_value(RETRY_FIRST);
            }
            let failure = result.as_ref().err().map(ToString::to_string);
            if let Ok(cart) = result {
                self.accept_change(cart);
            }
            self.lines.messages.update(|messages| {
                for line in &settled.rolled_back {
                    let reason = failure.clone().unwrap_or_default();
                    let asked = batch.lines.get(line).copied();
                    messages.insert(line.clone(), LineMessage::NotSaved { reason, asked });
                }
                for (line, _, available) in &settled.clamped {
                    messages.insert(
                        line.clone(),
                        LineMessage::Clamped {
                            available: *available,
                        },
                    );
                }
            });
            if let Some(next) = settled.next {
                self.send_batch(next);
            }
            if settled.reconcile {
                self.reconcile();
            }
        });
    }
}
