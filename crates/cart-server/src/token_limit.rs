//! How many anonymous visitor tokens one client may mint: a per-IP rate
//! limit on `POST /oauth2/token` (the `governor` crate's GCRA), so one
//! client cannot fill the database with visitors. A browser mints one token
//! per visitor and keeps it, so the default (a burst of 60, then one a
//! second) never touches a real shopper, even many behind one NAT.
//!
//! The client is the connection's peer address, or, with
//! `--trust-forwarded-for` (behind a load balancer that sets it), the last
//! address of `X-Forwarded-For`: the one that balancer saw.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;

use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

/// Mints per minute per client by default, and the burst allowed at once.
pub const DEFAULT_MINTS_PER_MINUTE: u32 = 60;

/// Past this many clients tracked, those back to a fresh state are dropped.
const TRACKED_CLIENTS: usize = 10_000;

pub struct TokenLimiter {
    /// `None`: no limit (`--token-mints-per-minute 0`).
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trust_forwarded_for: bool,
}

impl TokenLimiter {
    pub fn new(mints_per_minute: u32, trust_forwarded_for: bool) -> Self {
        Self {
            limiter: NonZeroU32::new(mints_per_minute)
                .map(|rate| DefaultKeyedRateLimiter::keyed(Quota::per_minute(rate))),
            trust_forwarded_for,
        }
    }

    /// Counts one mint by the client; a 429 in the envelope, with how long
    /// to wait, once its quota is used up.
    pub fn check(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Result<(), ApiError> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        let client = self.client(peer, headers);
        if limiter.len() > TRACKED_CLIENTS {
            limiter.retain_recent();
        }
        limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyRequests {
                retry_after_seconds: wait.as_secs() + 1,
            }
        })
    }

    fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let forwarded = || {
            let header = headers.get("x-forwarded-for")?.to_str().ok()?;
            header.rsplit(',').next()?.trim().parse().ok()
        };
        self.trust_forwarded_for
            .then(forwarded)
            .flatten()
            .or(peer)
            // No address (a test calling the router directly): one shared client.
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn a_client_gets_its_burst_then_waits_and_others_are_not_affected() {
        let limiter = TokenLimiter::new(3, false);
        let none = HeaderMap::new();
        for _ in 0..3 {
            assert!(limiter.check(ip("10.0.0.1"), &none).is_ok());
        }
        let Err(ApiError::TooManyRequests {
            retry_after_seconds,
        }) = limiter.check(ip("10.0.0.1"), &none)
        else {
            panic!("the fourth mint within a minute is refused");
        };
        assert!(
            (1..=21).contains(&retry_after_seconds),
            "{retry_after_seconds}"
        );
        assert!(limiter.check(ip("10.0.0.2"), &none).is_ok());
    }

    #[test]
    fn forwarded_for_counts_only_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "1.1.1.1, 203.0.113.9".parse().unwrap());
        let trusting = TokenLimiter::new(1, true);
        assert_eq!(
            trusting.client(ip("10.0.0.1"), &headers),
            ip("203.0.113.9").unwrap()
        );
        let not_trusting = TokenLimiter::new(1, false);
        assert_eq!(
            not_trusting.client(ip("10.0.0.1"), &headers),
            ip("10.0.0.1").unwrap()
        );
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let limiter = TokenLimiter::new(0, false);
        for _ in 0..1000 {
            assert!(limiter.check(None, &HeaderMap::new()).is_ok());
        }
    }
}
