//! The pending-change queue: what the shopper asked for that the server has
//! not confirmed yet. Plain Rust (no DOM, no clock), so its rules are tested
//! natively; the widget drives it from its event handlers and timers.
//!
//! The rules:
//! - A change shows at once: the quantity shown for a line is the newest
//!   value asked for, else server truth.
//! - Quantities are absolute, so a repeated or reordered request can't add
//!   twice. To keep them ordered, at most one batch is in flight; changes made
//!   meanwhile wait and go out as the next batch, superseding it for their lines.
//! - Changes to several lines within the coalescing window go out as one
//!   `update-line-items-quantity` request (the caller flushes after the window).
//! - A refused batch rolls its lines back to server truth, with a message per
//!   line, unless the shopper has already asked for something newer there.
//! - A batch that got no answer (offline, timeout) loses nothing: its changes
//!   wait again and are sent when the caller retries.
//! - When changes overlapped, or a request failed (the server may have applied
//!   it anyway), one reconciling GET is due once everything has settled.

use crate::line_map::LineMap;

/// Quantities by line id.
pub type Quantities = LineMap<u32>;

/// Changes sent together as one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Identifies the batch when its answer comes back.
    pub seq: u64,
    /// Absolute quantities, by line id.
    pub lines: Quantities,
}

/// How a batch was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer<'a> {
    /// Saved: the server's quantities after it.
    Saved(&'a Quantities),
    /// Refused with an error status: its lines go back to server truth.
    Refused,
    /// No answer (offline, timed out): its changes wait for a retry.
    Unreachable,
}

/// What the widget must do after a batch was answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// The next batch to send, if changes waited behind this one.
    pub next: Option<Batch>,
    /// Nothing is pending any more and the cart should be fetched once to
    /// make sure what is shown is what the server has.
    pub reconcile: bool,
    /// Lines that went back to server truth because the batch failed.
    pub rolled_back: Vec<String>,
    /// Lines the server set lower than asked (stock): (line id, asked, got).
    pub clamped: Vec<(String, u32, u32)>,
    /// The server was unreachable: changes are waiting; flush again later.
    pub retry: bool,
}

/// The queue. See the module documentation for its rules.
#[derive(Clone, Debug, Default)]
pub struct PendingQueue {
    /// Asked for and not sent yet.
    queued: Quantities,
    /// Sent and not answered yet.
    in_flight: Option<Batch>,
    next_seq: u64,
    /// Changes were made while a batch was in flight, or a batch failed.
    needs_reconcile: bool,
}

impl PendingQueue {
    /// The shopper wants `quantity` of a line. Shown at once; sent at the next flush.
    pub fn set(&mut self, line_id: &str, quantity: u32) {
        if self.in_flight.is_some() {
            self.needs_reconcile = true;
        }
        self.queued.insert(line_id.to_owned(), quantity);
    }

    /// The quantity to show for a line whose server quantity is `server`.
    pub fn shown(&self, line_id: &str, server: u32) -> u32 {
        self.queued
            .get(line_id)
            .or_else(|| {
                self.in_flight
                    .as_ref()
                    .and_then(|batch| batch.lines.get(line_id))
            })
            .copied()
            .unwrap_or(server)
    }

    /// Whether a change to this line is waiting or in flight.
    pub fn is_pending(&self, line_id: &str) -> bool {
        self.queued.contains_key(line_id)
            || self
                .in_flight
                .as_ref()
                .is_some_and(|batch| batch.lines.contains_key(line_id))
    }

    /// Whether anything is waiting or in flight: totals are then pending and
    /// checkout waits.
    pub fn is_busy(&self) -> bool {
        !self.queued.is_empty() || self.in_flight.is_some()
    }

    /// The coalescing window has passed: the waiting changes, as one batch to
    /// send now, unless a batch is still in flight (they follow it) or there
    /// is nothing to send.
    pub fn flush(&mut self) -> Option<Batch> {
        if self.in_flight.is_some() || self.queued.is_empty() {
            return None;
        }
        self.next_seq += 1;
        let batch = Batch {
            seq: self.next_seq,
            lines: std::mem::take(&mut self.queued),
        };
        self.in_flight = Some(batch.clone());
        Some(batch)
    }

    /// The answer to batch `seq`. An answer to a batch that is no longer in
    /// flight is ignored.
    pub fn settle(&mut self, seq: u64, answer: Answer<'_>) -> Settled {
        let Some(batch) = self.in_flight.take_if(|batch| batch.seq == seq) else {
            return Settled::default();
        };
        let mut settled = Settled::default();
        match answer {
            Answer::Saved(server) => {
                for (line, &asked) in batch.lines.iter() {
                    let got = server.get(line).copied().unwrap_or(0);
                    if got < asked && !self.queued.contains_key(line) {
                        settled.clamped.push((line.clone(), asked, got));
                    }
                }
            }
            Answer::Unreachable => {
                // Quantities are absolute, so sending them again is safe even
                // if the server applied them and only the answer got lost.
                for (line, quantity) in batch.lines {
                    self.queued.insert_if_absent(line, quantity);
                }
                self.needs_reconcile = true;
                settled.retry = true;
                return settled;
            }
            Answer::Refused => {
                // The server may have applied it before failing to answer.
                self.needs_reconcile = true;
                settled.rolled_back = batch
                    .lines
                    .keys()
                    .filter(|line| !self.queued.contains_key(line))
                    .cloned()
                    .collect();
            }
        }
        settled.next = self.flush();
        if !self.is_busy() && self.needs_reconcile {
            self.needs_reconcile = false;
            settled.reconcile = true;
        }
        settled
    }

    /// Forgets everything about a line (it was removed from the cart).
    pub fn forget(&mut self, line_id: &str) {
        self.queued.remove(line_id);
    }
}

/// When waiting changes go out: once the shopper pauses for the window,
/// and at the latest `max_wait` after the first waiting change, so steady
/// clicking still saves. Times are milliseconds from any fixed origin.
#[derive(Clone, Debug)]
pub struct Debounce {
    max_wait: f64,
    generation: u64,
    first_change_at: Option<f64>,
}

impl Debounce {
    /// Changes wait for a pause (the caller's timer) or `max_wait` ms at most.
    pub fn new(max_wait: f64) -> Self {
        Self {
            max_wait,
            generation: 0,
            first_change_at: None,
        }
    }

    /// A change was made at `now`: returns the ticket for the timer the
    /// caller starts now, to fire after the pause it waits for.
    pub fn touch(&mut self, now: f64) -> u64 {
        self.first_change_at.get_or_insert(now);
        self.generation += 1;
        self.generation
    }

    /// A timer with `ticket` fired at `now`: whether to flush. True when no
    /// change came after it, or when changes have waited `max_wait`.
    pub fn due(&mut self, ticket: u64, now: f64) -> bool {
        let Some(first) = self.first_change_at else {
            return false;
        };
        let due = ticket == self.generation || now - first >= self.max_wait;
        if due {
            self.first_change_at = None;
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_go_out_after_the_shopper_pauses() {
        let mut debounce = Debounce::new(2000.0);
        // Ten clicks 100 ms apart: only the last click's timer flushes.
        let tickets: Vec<u64> = (0..10)
            .map(|i| debounce.touch(f64::from(i) * 100.0))
            .collect();
        let fired: Vec<bool> = tickets
            .iter()
            .enumerate()
            .map(|(i, ticket)| debounce.due(*ticket, i as f64 * 100.0 + 300.0))
            .collect();
        assert_eq!(fired.iter().filter(|f| **f).count(), 1);
        assert!(fired[9]);
    }

    #[test]
    fn steady_changes_still_go_out_after_the_maximum_wait() {
        let mut debounce = Debounce::new(2000.0);
        let mut flushed_at = None;
        for i in 0..40 {
            let now = f64::from(i) * 100.0;
            let ticket = debounce.touch(now);
            // This click's timer fires while clicking goes on.
            if debounce.due(ticket - 1, now + 300.0) && flushed_at.is_none() {
                flushed_at = Some(now + 300.0);
            }
        }
        let flushed_at = flushed_at.expect("flushed during steady clicking");
        assert!(flushed_at <= 2400.0, "{flushed_at}");
    }

    #[test]
    fn a_timer_without_waiting_changes_does_nothing() {
        let mut debounce = Debounce::new(2000.0);
        let ticket = debounce.touch(0.0);
        assert!(debounce.due(ticket, 300.0));
        assert!(!debounce.due(ticket, 600.0));
    }

    fn quantities(pairs: &[(&str, u32)]) -> Quantities {
        pairs
            .iter()
            .map(|(line, q)| ((*line).to_owned(), *q))
            .collect()
    }

    #[test]
    fn ten_fast_clicks_make_one_request_with_the_final_quantity() {
        let mut queue = PendingQueue::default();
        let server = 1;
        for _ in 0..10 {
            let next = queue.shown("a", server) + 1;
            queue.set("a", next);
        }
        assert_eq!(queue.shown("a", server), 11);
        let batch = queue.flush().expect("one batch");
        assert_eq!(batch.lines, quantities(&[("a", 11)]));
        assert_eq!(queue.flush(), None, "nothing else to send");
        let settled = queue.settle(batch.seq, Answer::Saved(&quantities(&[("a", 11)])));
        assert_eq!(settled, Settled::default());
        assert!(!queue.is_busy());
    }

    #[test]
    fn changes_to_several_lines_in_the_window_go_out_together() {
        let mut queue = PendingQueue::default();
        queue.set("a", 2);
        queue.set("b", 5);
        queue.set("c", 1);
        let batch = queue.flush().unwrap();
        assert_eq!(batch.lines, quantities(&[("a", 2), ("b", 5), ("c", 1)]));
    }

    #[test]
    fn a_change_during_a_request_waits_and_then_supersedes_it() {
        let mut queue = PendingQueue::default();
        queue.set("a", 3);
        let first = queue.flush().unwrap();
        queue.set("a", 4);
        assert_eq!(queue.shown("a", 1), 4, "the newest ask shows");
        assert_eq!(queue.flush(), None, "one request at a time");
        // The first answer says 3; the shopper's 4 still shows and goes next.
        let settled = queue.settle(first.seq, Answer::Saved(&quantities(&[("a", 3)])));
        assert_eq!(queue.shown("a", 3), 4);
        let second = settled.next.expect("the waiting change is sent");
        assert_eq!(second.lines, quantities(&[("a", 4)]));
        assert!(!settled.reconcile, "not settled yet");
        let settled = queue.settle(second.seq, Answer::Saved(&quantities(&[("a", 4)])));
        assert!(settled.reconcile, "overlapping changes: one GET when idle");
        assert!(!queue.is_busy());
    }

    #[test]
    fn a_failure_rolls_back_to_server_truth_and_reconciles() {
        let mut queue = PendingQueue::default();
        queue.set("a", 5);
        queue.set("b", 2);
        let batch = queue.flush().unwrap();
        let settled = queue.settle(batch.seq, Answer::Refused);
        assert_eq!(settled.rolled_back, ["a", "b"]);
        assert!(settled.reconcile);
        assert_eq!(queue.shown("a", 1), 1);
        assert!(!queue.is_pending("a"));
    }

    #[test]
    fn an_unanswered_batch_keeps_its_changes_for_a_retry() {
        let mut queue = PendingQueue::default();
        queue.set("a", 5);
        queue.set("b", 2);
        let batch = queue.flush().unwrap();
        queue.set("b", 3);
        let settled = queue.settle(batch.seq, Answer::Unreachable);
        assert!(settled.retry);
        assert!(settled.rolled_back.is_empty(), "nothing is lost");
        assert_eq!(settled.next, None, "no request until the caller retries");
        assert!(!settled.reconcile);
        assert_eq!(queue.shown("a", 1), 5);
        assert_eq!(queue.shown("b", 1), 3, "the newer ask wins");
        let retry = queue.flush().expect("sent again");
        assert_eq!(retry.lines, quantities(&[("a", 5), ("b", 3)]));
        let settled = queue.settle(retry.seq, Answer::Saved(&quantities(&[("a", 5), ("b", 3)])));
        assert!(settled.reconcile, "one GET once back");
    }

    #[test]
    fn a_failure_does_not_undo_a_newer_change() {
        let mut queue = PendingQueue::default();
        queue.set("a", 5);
        let batch = queue.flush().unwrap();
        queue.set("a", 6);
        let settled = queue.settle(batch.seq, Answer::Refused);
        assert!(settled.rolled_back.is_empty());
        assert_eq!(settled.next.unwrap().lines, quantities(&[("a", 6)]));
        assert_eq!(queue.shown("a", 1), 6);
    }

    #[test]
    fn clamping_by_the_server_is_reported() {
        let mut queue = PendingQueue::default();
        queue.set("a", 9);
        let batch = queue.flush().unwrap();
        let settled = queue.settle(batch.seq, Answer::Saved(&quantities(&[("a", 3)])));
        assert_eq!(settled.clamped, [("a".to_owned(), 9, 3)]);
        assert_eq!(queue.shown("a", 3), 3);
    }

    #[test]
    fn stale_answers_are_ignored() {
        let mut queue = PendingQueue::default();
        queue.set("a", 2);
        let batch = queue.flush().unwrap();
        assert_eq!(
            queue.settle(batch.seq + 7, Answer::Refused),
            Settled::default()
        );
        assert!(queue.is_pending("a"), "still waiting for the real answer");
        queue.settle(batch.seq, Answer::Saved(&quantities(&[("a", 2)])));
        assert_eq!(
            queue.settle(batch.seq, Answer::Refused),
            Settled::default(),
            "answered twice"
        );
    }

    #[test]
    fn busy_while_anything_waits_or_flies() {
        let mut queue = PendingQueue::default();
        assert!(!queue.is_busy());
        queue.set("a", 2);
        assert!(queue.is_busy());
        let batch = queue.flush().unwrap();
        assert!(queue.is_busy());
        queue.settle(batch.seq, Answer::Saved(&quantities(&[("a", 2)])));
        assert!(!queue.is_busy());
    }

    #[test]
    fn a_removed_line_is_forgotten() {
        let mut queue = PendingQueue::default();
        queue.set("a", 2);
        queue.forget("a");
        assert!(!queue.is_busy());
        assert_eq!(queue.flush(), None);
    }
}
