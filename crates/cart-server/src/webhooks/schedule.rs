//! When a failed delivery is tried again, and when it is given up: pure
//! arithmetic on Unix milliseconds, so the rules are tested here without a
//! clock or a network.
//!
//! # Rules
//!
//! - The n-th failure of an event waits `first_retry × 2^(n−1)` before the
//!   next attempt, never more than `max_delay` (defaults: 2 s, 4 s, 8 s, …,
//!   capped at 5 minutes).
//! - A failure at or after `give_up_after` (default 24 h) from the event's
//!   first failed attempt parks it as failed instead; an admin can re-queue
//!   it, which starts the 24 h again. (Counted from the first failure, not
//!   the change: events queued before a long server outage still get their
//!   day of retries.)
//! - Order within a cart is kept by the outbox, not here: only the lowest
//!   pending sequence of a cart is ever due (`Storage::due_events`), so a
//!   waiting event holds back its own cart's later events and no other's.

use std::time::Duration;

/// How failed deliveries are retried (a config knob: tests use short ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub first_retry: Duration,
    pub max_delay: Duration,
    pub give_up_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_retry: Duration::from_secs(2),
            max_delay: Duration::from_secs(5 * 60),
            give_up_after: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// What follows a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this Unix millisecond.
    RetryAt(i64),
    /// Stop: park the event as failed.
    Park,
}

impl RetryPolicy {
    /// The wait after the `failures`-th failed attempt (1 for the first).
    pub fn delay(&self, failures: i64) -> Duration {
        let doublings = u32::try_from(failures.saturating_sub(1)).unwrap_or(u32::MAX);
        let factor = 2u32.checked_pow(doublings.min(31)).unwrap_or(u32::MAX);
        self.first_retry
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// After the `failures`-th failed attempt, at `now`, of an event failing
    /// since `failing_since` (its first failed attempt; `now` for the first).
    pub fn after_failure(&self, failures: i64, failing_since: i64, now: i64) -> AfterFailure {
        if now.saturating_sub(failing_since) >= millis(self.give_up_after) {
            return AfterFailure::Park;
        }
        AfterFailure::RetryAt(now.saturating_add(millis(self.delay(failures))))
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = 1000;

    #[test]
    fn the_first_retry_comes_after_two_seconds_and_each_next_waits_twice_as_long() {
        let policy = RetryPolicy::default();
        let delays: Vec<u64> = (1..=5).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(delays, [2, 4, 8, 16, 32]);
    }

    #[test]
    fn the_wait_never_exceeds_five_minutes_even_after_many_failures() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(8).as_secs(), 256);
        assert_eq!(policy.delay(9).as_secs(), 300);
        assert_eq!(policy.delay(1_000).as_secs(), 300);
        assert_eq!(policy.delay(i64::MAX).as_secs(), 300);
    }

    #[test]
    fn a_failure_is_retried_at_now_plus_its_delay() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.after_failure(1, 0, 10 * SECOND),
            AfterFailure::RetryAt(12 * SECOND)
        );
        assert_eq!(
            policy.after_failure(3, 0, 10 * SECOND),
            AfterFailure::RetryAt(18 * SECOND)
        );
    }

    #[test]
    fn a_failure_a_day_after_the_first_failure_parks_the_event() {
        let policy = RetryPolicy::default();
        let day = 24 * 60 * 60 * SECOND;
        assert!(matches!(
            policy.after_failure(300, 5, day + 4),
            AfterFailure::RetryAt(_)
        ));
        assert_eq!(policy.after_failure(300, 5, day + 5), AfterFailure::Park);
    }

    #[test]
    fn a_short_policy_for_tests_keeps_the_same_shape() {
        let policy = RetryPolicy {
            first_retry: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            give_up_after: Duration::from_secs(1),
        };
        let delays: Vec<u128> = (1..=4).map(|n| policy.delay(n).as_millis()).collect();
        assert_eq!(delays, [10, 20, 40, 50]);
        assert_eq!(policy.after_failure(1, 0, 1000), AfterFailure::Park);
    }
}
