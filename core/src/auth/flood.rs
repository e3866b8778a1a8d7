//! Token floods: made-up tokens must not spend the site's LoginRadius quota.
//!
//! A token the cache does not know costs one upstream lookup (see the authenticator). Against
//! a client sending made-up tokens, three defences, none on the warm path (a cached valid token
//! never reaches this module):
//!
//! - tokens LoginRadius called invalid or expired are remembered briefly by digest (a bounded
//!   cache, [`DEFAULT_INVALID_TOKEN_MEMORY`]), so the same bad token costs one lookup;
//! - failed lookups are counted per client ([`ClientAddr`]) in the shared state, so the count
//!   holds across replicas; past [`DEFAULT_MAX_FAILED_LOOKUPS`] in
//!   [`DEFAULT_FAILED_LOOKUP_WINDOW`], the client's cold lookups are refused with 429 and
//!   `Retry-After` until the window ends (cached tokens keep working);
//! - when the shared state cannot be read, a cold lookup from a counted client is refused with
//!   503: the limit is never skipped on doubt.

use std::time::Duration;

use moka::future::Cache;

use super::ClientAddr;
use super::token::TokenDigest;
use crate::fleet::{SharedState, SharedStateError};

/// Failed token lookups allowed per client and window before its cold lookups get 429.
pub const DEFAULT_MAX_FAILED_LOOKUPS: u64 = 20;
/// The window of [`DEFAULT_MAX_FAILED_LOOKUPS`].
pub const DEFAULT_FAILED_LOOKUP_WINDOW: Duration = Duration::from_secs(60);
/// How long a token LoginRadius refused is refused without asking again.
pub const DEFAULT_INVALID_TOKEN_MEMORY: Duration = Duration::from_secs(60);
/// How many refused tokens are remembered at most.
const MAX_REMEMBERED_INVALID: u64 = 10_000;

/// The settings of the flood guard.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FloodConfig {
    pub(crate) max_failures: u64,
    pub(crate) window: Duration,
    pub(crate) memory: Duration,
}

impl Default for FloodConfig {
    fn default() -> Self {
        Self {
            max_failures: DEFAULT_MAX_FAILED_LOOKUPS,
            window: DEFAULT_FAILED_LOOKUP_WINDOW,
            memory: DEFAULT_INVALID_TOKEN_MEMORY,
        }
    }
}

/// Why a cold lookup is not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The client is over its limit for this long.
    TooMany(Duration),
    /// The shared state could not be read.
    Unavailable,
}

/// The remembered refused tokens and the per-client failure counts.
#[derive(Debug)]
pub(crate) struct FloodGuard {
    /// Refused tokens: `true` when LoginRadius said expired, `false` invalid.
    invalid: Cache<TokenDigest, bool>,
    config: FloodConfig,
}

impl FloodGuard {
    pub(crate) fn new(config: FloodConfig) -> Self {
        Self {
            invalid: Cache::builder()
                .max_capacity(MAX_REMEMBERED_INVALID)
                .time_to_live(config.memory)
                .build(),
            config,
        }
    }

    /// Whether LoginRadius refused this token within the memory: `Some(true)` as expired,
    /// `Some(false)` as invalid.
    pub(crate) async fn refused(&self, digest: &TokenDigest) -> Option<bool> {
        self.invalid.get(digest).await
    }

    /// Remembers that LoginRadius refused the token `digest` (as `expired` or invalid).
    pub(crate) async fn remember_refused(&self, digest: &TokenDigest, expired: bool) {
        self.invalid.insert(*digest, expired).await;
    }

    /// Whether `client` may make a cold lookup now.
    pub(crate) async fn admit(
        &self,
        fleet: &dyn SharedState,
        client: &ClientAddr,
    ) -> Result<(), Refused> {
        match fleet.memo(&block_key(client)).await {
            Ok(None) => Ok(()),
            Ok(Some(until)) => match remaining(&until) {
                Some(left) => Err(Refused::TooMany(left)),
                None => Ok(()),
            },
            Err(e) => {
                tracing::warn!(error = %e, "token flood guard: shared state unavailable");
                Err(Refused::Unavailable)
            }
        }
    }

    /// Counts a failed lookup of `client`; past the limit, blocks its cold lookups until the
    /// window ends.
    pub(crate) async fn failed(
        &self,
        fleet: &dyn SharedState,
        client: &ClientAddr,
    ) -> Result<(), SharedStateError> {
        let hits = fleet.hit(&count_key(client), self.config.window).await?;
        if hits.count >= self.config.max_failures {
            let left = hits.resets_in.max(Duration::from_millis(1));
            tracing::warn!(%client, failures = hits.count, "token flood: cold lookups refused");
            fleet
                .set_memo(&block_key(client), &until(left), left)
                .await?;
        }
        Ok(())
    }
}

fn count_key(client: &ClientAddr) -> String {
    format!("guard:failed:{client}")
}

fn block_key(client: &ClientAddr) -> String {
    format!("guard:blocked:{client}")
}

/// Unix milliseconds, now.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The memo of a block ending in `left`: its end, unix milliseconds, big-endian.
pub(crate) fn until(left: Duration) -> [u8; 8] {
    let left = u64::try_from(left.as_millis()).unwrap_or(u64::MAX);
    now_ms().saturating_add(left).to_be_bytes()
}

/// What is left of a block memo; `None` when it is over. An unreadable memo is a block of one
/// second (doubt denies).
pub(crate) fn remaining(memo: &[u8]) -> Option<Duration> {
    let Ok(bytes) = <[u8; 8]>::try_from(memo) else {
        return Some(Duration::from_secs(1));
    };
    let end = u64::from_be_bytes(bytes);
    let now = now_ms();
    (end > now).then(|| Duration::from_millis(end - now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::InProcess;

    #[tokio::test]
    async fn past_the_limit_a_client_is_refused_until_the_window_ends_and_others_are_not() {
        let fleet = InProcess::new();
        let guard = FloodGuard::new(FloodConfig {
            max_failures: 3,
            window: Duration::from_millis(300),
            memory: Duration::from_secs(1),
        });
        let a = ClientAddr::Ip("192.0.2.1".parse().unwrap());
        let b = ClientAddr::Ip("192.0.2.2".parse().unwrap());
        for _ in 0..2 {
            assert_eq!(guard.admit(&fleet, &a).await, Ok(()));
            guard.failed(&fleet, &a).await.unwrap();
        }
        guard.failed(&fleet, &a).await.unwrap();
        let Err(Refused::TooMany(left)) = guard.admit(&fleet, &a).await else {
            panic!("a is over its limit")
        };
        assert!(left <= Duration::from_millis(300), "{left:?}");
        assert_eq!(guard.admit(&fleet, &b).await, Ok(()));
        tokio::time::sleep(left + Duration::from_millis(20)).await;
        assert_eq!(guard.admit(&fleet, &a).await, Ok(()));
    }

    #[test]
    fn block_memos_read_back_and_garbage_is_a_block() {
        assert!(remaining(&until(Duration::from_secs(5))).unwrap() > Duration::from_secs(4));
        assert_eq!(remaining(&until(Duration::ZERO)), None);
        assert_eq!(remaining(b"x"), Some(Duration::from_secs(1)));
    }
}
