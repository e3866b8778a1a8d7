//! A new token met by several replicas at once: one upstream validation between them.
//!
//! On a cache miss (already coalesced within this replica), the replica reads the shared memo
//! `token:<hex digest>`. Absent, it takes the first sighting of `lookup:<hex digest>`: the
//! winner validates upstream and writes the memo (the validated user, for at most
//! [`MEMO_TTL`] and never past the token's expiry); the others poll the memo for up to
//! [`WAIT_FOR`] and then validate on their own. A memo that cannot be read, a failed
//! validation, or any shared-state error means validating on its own: the shared state never
//! allows on doubt, and never refuses what LoginRadius itself would accept.
//!
//! The memo holds the uid, the profile, the token's expiry and when it was validated: never the
//! token. A memo validated before this replica last evicted cached users (a revocation may have
//! reached it since) is not used.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Uid;
use super::cache::{self, CachedUser};
use super::memo::GrantsMemo;
use super::replica::now_ms;
use super::token::TokenDigest;
use crate::models::Profile;

/// The longest a validated user is kept in the shared memo.
pub(crate) const MEMO_TTL: Duration = Duration::from_secs(5);
/// How long one replica holds the right to validate a token for the others.
pub(crate) const LOOKUP_LOCK: Duration = Duration::from_secs(2);
/// How long the other replicas wait for its memo before validating on their own.
pub(crate) const WAIT_FOR: Duration = Duration::from_secs(2);
/// How often they look.
pub(crate) const POLL_EVERY: Duration = Duration::from_millis(10);

/// The shared memo of one token's validation.
#[derive(Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
enum Shared {
    /// Validated: the user.
    Valid {
        uid: String,
        profile: Box<Profile>,
        /// The token's expiry, unix milliseconds.
        expires_at_ms: Option<i64>,
        /// When the validation began, unix milliseconds.
        validated_at_ms: i64,
    },
    /// The validation failed (refused or unavailable): validate on your own.
    Failed,
}

/// What reading the memo gave.
pub(crate) enum Recalled {
    /// A usable validated user.
    User(CachedUser),
    /// No memo (yet).
    Absent,
    /// A memo that must not be used (failed, unreadable, possibly revoked since), or the shared
    /// state could not be read: validate upstream.
    Unusable,
}

/// The memo key of a token.
pub(crate) fn memo_key(digest: &TokenDigest) -> String {
    format!("token:{}", digest.to_hex())
}

/// The first-sighting key of a token's validation.
pub(crate) fn lookup_key(digest: &TokenDigest) -> String {
    format!("lookup:{}", digest.to_hex())
}

/// Reads a memo's bytes into a cached user: `evicted_since` says whether this replica evicted
/// users at or after a given validation instant; the entry lives no longer than the token
/// (judged at `now`) nor than `max_ttl` from the validation.
pub(crate) fn recall(
    bytes: &[u8],
    evicted_since: impl FnOnce(i64) -> bool,
    now: OffsetDateTime,
    max_ttl: Duration,
) -> Recalled {
    let Ok(Shared::Valid {
        uid,
        profile,
        expires_at_ms,
        validated_at_ms,
    }) = serde_json::from_slice::<Shared>(bytes)
    else {
        return Recalled::Unusable;
    };
    if evicted_since(validated_at_ms) || uid.trim().is_empty() || profile.uid != uid {
        return Recalled::Unusable;
    }
    let expires_at = match expires_at_ms.map(from_ms) {
        None => None,
        Some(Some(at)) => Some(at),
        Some(None) => return Recalled::Unusable,
    };
    let age = Duration::from_millis(u64::try_from(now_ms() - validated_at_ms).unwrap_or(0));
    let Some(ttl) = cache::entry_ttl(expires_at, now, max_ttl.saturating_sub(age)) else {
        return Recalled::Unusable;
    };
    if ttl.is_zero() {
        return Recalled::Unusable;
    }
    let now_instant = Instant::now();
    Recalled::User(CachedUser {
        uid: Uid::new(uid),
        profile: Arc::from(profile),
        expires_at,
        ttl,
        grants: GrantsMemo::default(),
        validated_at: now_instant.checked_sub(age).unwrap_or(now_instant),
    })
}

/// The memo of a validation that began at `validated_at_ms`, and how long to keep it (at most
/// [`MEMO_TTL`] and `max_ttl`, never past the token's expiry); `None` when the token expires at
/// once.
pub(crate) fn memo_of<E>(
    result: &Result<CachedUser, E>,
    validated_at_ms: i64,
    now: OffsetDateTime,
    max_ttl: Duration,
) -> Option<(Vec<u8>, Duration)> {
    let (memo, ttl) = match result {
        Ok(user) => (
            Shared::Valid {
                uid: user.uid.as_str().to_owned(),
                profile: Box::new((*user.profile).clone()),
                expires_at_ms: user.expires_at.map(to_ms),
                validated_at_ms,
            },
            cache::entry_ttl(user.expires_at, now, MEMO_TTL.min(max_ttl))?,
        ),
        Err(_) => (Shared::Failed, LOOKUP_LOCK),
    };
    serde_json::to_vec(&memo).ok().map(|bytes| (bytes, ttl))
}

fn to_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_ms(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(expires_at: Option<OffsetDateTime>) -> CachedUser {
        let profile: Profile =
            serde_json::from_value(serde_json::json!({"Uid": "u-1", "FirstName": "Jane"}))
                .expect("profile");
        CachedUser {
            uid: Uid::new("u-1"),
            profile: Arc::new(profile),
            expires_at,
            ttl: Duration::from_secs(300),
            grants: GrantsMemo::default(),
            validated_at: Instant::now(),
        }
    }

    #[test]
    fn a_validated_user_round_trips_without_the_token_and_no_longer_than_it_lives() {
        let now = OffsetDateTime::now_utc();
        let expires = now + time::Duration::seconds(2);
        let max = Duration::from_secs(300);
        let result: Result<_, ()> = Ok(user(Some(expires)));
        let (bytes, ttl) = memo_of(&result, now_ms(), now, max).expect("memo");
        assert!(ttl <= Duration::from_secs(2), "{ttl:?}");
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(!text.contains("t0k3n"), "{text}");
        let Recalled::User(back) = recall(&bytes, |_| false, now, Duration::from_secs(300)) else {
            panic!("usable memo: {text}");
        };
        assert_eq!(back.uid.as_str(), "u-1");
        assert_eq!(back.profile.first_name.as_deref(), Some("Jane"));
        assert_eq!(back.expires_at.map(to_ms), Some(to_ms(expires)));
        assert!(back.ttl <= Duration::from_secs(2));

        let far = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let (_, ttl) = memo_of(&Ok::<_, ()>(user(Some(far))), now_ms(), now, max).expect("memo");
        assert_eq!(ttl, MEMO_TTL, "never longer than the memo's own limit");
        let short = Duration::from_millis(300);
        let (bytes, ttl) = memo_of(&Ok::<_, ()>(user(None)), now_ms(), now, short).expect("memo");
        assert_eq!(ttl, short, "nor than the authenticator's maximum");
        let old = now_ms() - 1_000;
        let (stale, _) = memo_of(&Ok::<_, ()>(user(None)), old, now, max).expect("memo");
        assert!(
            matches!(recall(&stale, |_| false, now, short), Recalled::Unusable),
            "validated longer ago than the maximum"
        );
        let Recalled::User(recent) = recall(&bytes, |_| false, now, short) else {
            panic!("usable");
        };
        assert!(recent.ttl <= short);
    }

    #[test]
    fn failed_unreadable_revoked_or_expired_memos_are_not_used() {
        let now = OffsetDateTime::now_utc();
        let max = Duration::from_secs(300);
        let (failed, _) = memo_of(&Err::<CachedUser, _>(()), now_ms(), now, max).expect("memo");
        assert!(matches!(
            recall(&failed, |_| false, now, max),
            Recalled::Unusable
        ));
        assert!(matches!(
            recall(b"{not json", |_| false, now, max),
            Recalled::Unusable
        ));

        let (valid, _) = memo_of(&Ok::<_, ()>(user(None)), now_ms(), now, max).expect("memo");
        assert!(matches!(
            recall(&valid, |_| false, now, max),
            Recalled::User(_)
        ));
        assert!(
            matches!(recall(&valid, |_| true, now, max), Recalled::Unusable),
            "an eviction since the validation"
        );
        let later = now + time::Duration::hours(2);
        let expiring = now + time::Duration::hours(1);
        let (bytes, _) =
            memo_of(&Ok::<_, ()>(user(Some(expiring))), now_ms(), now, max).expect("memo");
        assert!(matches!(
            recall(&bytes, |_| false, later, max),
            Recalled::Unusable
        ));
    }
}
