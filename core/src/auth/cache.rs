//! The token → user cache: keyed by the SHA-256 digest of the token, never the token; each entry
//! lives no longer than the token's remaining life and the configured maximum, and reading or
//! replacing an entry never extends it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::Expiry;
use moka::sync::Cache;
use time::OffsetDateTime;

use super::memo::GrantsMemo;
use super::token::TokenDigest;
use super::{AccessToken, AuthenticatedUser, Uid};
use crate::models::Profile;

/// Default upper bound of a cached token lookup.
pub const DEFAULT_MAX_TOKEN_TTL: Duration = Duration::from_secs(300);

/// Default number of tokens kept.
pub const DEFAULT_MAX_TOKENS: u64 = 10_000;

/// A looked-up user, without the token (the cache holds digests, not tokens).
#[derive(Debug, Clone)]
pub(crate) struct CachedUser {
    pub(crate) uid: Uid,
    pub(crate) profile: Arc<Profile>,
    pub(crate) expires_at: Option<OffsetDateTime>,
    /// How long the entry may live from its creation.
    pub(crate) ttl: Duration,
    /// The role data the user was last decided against (every copy of the entry shares it).
    pub(crate) grants: GrantsMemo,
    /// When the token was validated (its lookup began): while the fleet's bus is down, an
    /// entry validated longer ago than the trust window is validated again.
    pub(crate) validated_at: Instant,
}

impl CachedUser {
    /// The user, with the token that was presented. Takes the entry by value: the cache hands
    /// out a clone of it (three reference counts, no allocation), which becomes the user as is.
    pub(crate) fn into_user(self, token: AccessToken) -> AuthenticatedUser {
        AuthenticatedUser {
            uid: self.uid,
            profile: self.profile,
            token,
            expires_at: self.expires_at,
            session: None,
            grants: self.grants,
        }
    }
}

/// Per-entry expiry: the entry's own TTL from creation; reads keep the remaining time; an
/// update can only shorten it.
struct TokenExpiry;

impl Expiry<TokenDigest, CachedUser> for TokenExpiry {
    fn expire_after_create(
        &self,
        _key: &TokenDigest,
        value: &CachedUser,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(value.ttl)
    }

    fn expire_after_read(
        &self,
        _key: &TokenDigest,
        _value: &CachedUser,
        _read_at: Instant,
        duration_until_expiry: Option<Duration>,
        _last_modified_at: Instant,
    ) -> Option<Duration> {
        duration_until_expiry
    }

    fn expire_after_update(
        &self,
        _key: &TokenDigest,
        value: &CachedUser,
        _updated_at: Instant,
        duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        Some(duration_until_expiry.map_or(value.ttl, |left| left.min(value.ttl)))
    }
}

/// The token cache. Synchronous: a warm lookup is a plain read, with no future to build or
/// poll; simultaneous misses of one token share one lookup through
/// [`InFlight`](super::inflight::InFlight).
pub(crate) type UserCache = Cache<TokenDigest, CachedUser>;

/// A token cache holding at most `capacity` entries.
pub(crate) fn user_cache(capacity: u64) -> UserCache {
    Cache::builder()
        .name("loginradius.auth.tokens")
        .max_capacity(capacity)
        .expire_after(TokenExpiry)
        // For the fleet's per-user evictions (`invalidate_entries_if`).
        .support_invalidation_closures()
        .build()
}

/// How long a lookup may be cached: the token's remaining life, capped by `max`. `None` when
/// the token has already expired.
pub(crate) fn entry_ttl(
    expires_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
    max: Duration,
) -> Option<Duration> {
    match expires_at {
        None => Some(max),
        Some(at) => {
            let left = at - now;
            if left <= time::Duration::ZERO {
                return None;
            }
            Some(Duration::try_from(left).map_or(max, |left| left.min(max)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn ttl_is_the_smaller_of_remaining_life_and_maximum() {
        let now = datetime!(2026-01-01 12:00:00 UTC);
        let max = Duration::from_secs(300);
        assert_eq!(entry_ttl(None, now, max), Some(max));
        assert_eq!(
            entry_ttl(Some(now + time::Duration::seconds(30)), now, max),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            entry_ttl(Some(now + time::Duration::hours(2)), now, max),
            Some(max)
        );
        assert_eq!(entry_ttl(Some(now), now, max), None);
        assert_eq!(
            entry_ttl(Some(now - time::Duration::seconds(1)), now, max),
            None
        );
    }
}
