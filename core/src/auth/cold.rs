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
//!
//! A memo is sealed with an HMAC-SHA256 over the token's digest and the memo, keyed from the
//! API secret the replicas share ([`MemoKey`]): whoever can write to the shared store but does
//! not hold the API secret cannot make a replica accept a token, nor move one token's memo to
//! another. Without an API secret there is no key, and each replica validates on its own.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
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

/// The key that seals memos: HMAC-SHA256 of a fixed label, keyed with the API secret, so every
/// replica of one site derives the same key and nothing else can.
#[derive(Clone)]
pub(crate) struct MemoKey([u8; 32]);

/// The label the memo key is derived for (versioned with the memo format).
const MEMO_KEY_LABEL: &[u8] = b"loginradius fleet token memo v1";

impl MemoKey {
    /// The key of the site whose API secret is `secret`.
    pub(crate) fn derive(secret: &str) -> Option<Self> {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
        mac.update(MEMO_KEY_LABEL);
        Some(Self(mac.finalize().into_bytes().into()))
    }

    fn mac(&self, digest: &TokenDigest, memo: &[u8]) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).ok()?;
        mac.update(digest.to_hex().as_bytes());
        mac.update(memo);
        Some(mac)
    }

    /// `tag || memo`, the tag binding the memo to the token's digest.
    fn seal(&self, digest: &TokenDigest, memo: Vec<u8>) -> Option<Vec<u8>> {
        let tag = self.mac(digest, &memo)?.finalize().into_bytes();
        let mut sealed = Vec::with_capacity(tag.len() + memo.len());
        sealed.extend_from_slice(&tag);
        sealed.extend_from_slice(&memo);
        Some(sealed)
    }

    /// The memo inside `sealed`, if its tag is right for `digest` (compared in constant time).
    fn open<'a>(&self, digest: &TokenDigest, sealed: &'a [u8]) -> Option<&'a [u8]> {
        let (tag, memo) = sealed.split_at_checked(32)?;
        self.mac(digest, memo)?.verify_slice(tag).ok()?;
        Some(memo)
    }
}

impl std::fmt::Debug for MemoKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoKey(***)")
    }
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
    key: &MemoKey,
    digest: &TokenDigest,
    sealed: &[u8],
    evicted_since: impl FnOnce(i64) -> bool,
    now: OffsetDateTime,
    max_ttl: Duration,
) -> Recalled {
    let Some(bytes) = key.open(digest, sealed) else {
        return Recalled::Unusable;
    };
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
    key: &MemoKey,
    digest: &TokenDigest,
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
    let bytes = serde_json::to_vec(&memo).ok()?;
    key.seal(digest, bytes).map(|sealed| (sealed, ttl))
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
    use crate::auth::AccessToken;

    fn key() -> MemoKey {
        MemoKey::derive("the-sites-api-secret").expect("a key")
    }

    fn digest() -> TokenDigest {
        AccessToken::new("t0k3n").digest()
    }

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
        let (bytes, ttl) = memo_of(&key(), &digest(), &result, now_ms(), now, max).expect("memo");
        assert!(ttl <= Duration::from_secs(2), "{ttl:?}");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(!text.contains("t0k3n"), "{text}");
        let Recalled::User(back) = recall(
            &key(),
            &digest(),
            &bytes,
            |_| false,
            now,
            Duration::from_secs(300),
        ) else {
            panic!("usable memo: {text}");
        };
        assert_eq!(back.uid.as_str(), "u-1");
        assert_eq!(back.profile.first_name.as_deref(), Some("Jane"));
        assert_eq!(back.expires_at.map(to_ms), Some(to_ms(expires)));
        assert!(back.ttl <= Duration::from_secs(2));

        let far = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let (_, ttl) = memo_of(
            &key(),
            &digest(),
            &Ok::<_, ()>(user(Some(far))),
            now_ms(),
            now,
            max,
        )
        .expect("memo");
        assert_eq!(ttl, MEMO_TTL, "never longer than the memo's own limit");
        let short = Duration::from_millis(300);
        let (bytes, ttl) = memo_of(
            &key(),
            &digest(),
            &Ok::<_, ()>(user(None)),
            now_ms(),
            now,
            short,
        )
        .expect("memo");
        assert_eq!(ttl, short, "nor than the authenticator's maximum");
        let old = now_ms() - 1_000;
        let (stale, _) =
            memo_of(&key(), &digest(), &Ok::<_, ()>(user(None)), old, now, max).expect("memo");
        assert!(
            matches!(
                recall(&key(), &digest(), &stale, |_| false, now, short),
                Recalled::Unusable
            ),
            "validated longer ago than the maximum"
        );
        let Recalled::User(recent) = recall(&key(), &digest(), &bytes, |_| false, now, short)
        else {
            panic!("usable");
        };
        assert!(recent.ttl <= short);
    }

    #[test]
    fn failed_unreadable_revoked_or_expired_memos_are_not_used() {
        let now = OffsetDateTime::now_utc();
        let max = Duration::from_secs(300);
        let (failed, _) = memo_of(
            &key(),
            &digest(),
            &Err::<CachedUser, _>(()),
            now_ms(),
            now,
            max,
        )
        .expect("memo");
        assert!(matches!(
            recall(&key(), &digest(), &failed, |_| false, now, max),
            Recalled::Unusable
        ));
        assert!(matches!(
            recall(&key(), &digest(), b"{not json", |_| false, now, max),
            Recalled::Unusable
        ));

        let (valid, _) = memo_of(
            &key(),
            &digest(),
            &Ok::<_, ()>(user(None)),
            now_ms(),
            now,
            max,
        )
        .expect("memo");
        assert!(matches!(
            recall(&key(), &digest(), &valid, |_| false, now, max),
            Recalled::User(_)
        ));
        assert!(
            matches!(
                recall(&key(), &digest(), &valid, |_| true, now, max),
                Recalled::Unusable
            ),
            "an eviction since the validation"
        );
        let later = now + time::Duration::hours(2);
        let expiring = now + time::Duration::hours(1);
        let (bytes, _) = memo_of(
            &key(),
            &digest(),
            &Ok::<_, ()>(user(Some(expiring))),
            now_ms(),
            now,
            max,
        )
        .expect("memo");
        assert!(matches!(
            recall(&key(), &digest(), &bytes, |_| false, later, max),
            Recalled::Unusable
        ));
    }

    #[test]
    fn a_memo_sealed_with_another_key_for_another_token_or_altered_is_not_used() {
        let now = OffsetDateTime::now_utc();
        let max = Duration::from_secs(300);
        let (sealed, _) = memo_of(
            &key(),
            &digest(),
            &Ok::<_, ()>(user(None)),
            now_ms(),
            now,
            max,
        )
        .expect("memo");
        assert!(matches!(
            recall(&key(), &digest(), &sealed, |_| false, now, max),
            Recalled::User(_)
        ));
        let other_site = MemoKey::derive("another-secret").expect("a key");
        assert!(matches!(
            recall(&other_site, &digest(), &sealed, |_| false, now, max),
            Recalled::Unusable
        ));
        let other_token = AccessToken::new("another-token").digest();
        assert!(
            matches!(
                recall(&key(), &other_token, &sealed, |_| false, now, max),
                Recalled::Unusable
            ),
            "a memo moved to another token's key"
        );
        let mut altered = sealed.clone();
        let last = altered.len() - 2;
        altered[last] ^= 1;
        assert!(matches!(
            recall(&key(), &digest(), &altered, |_| false, now, max),
            Recalled::Unusable
        ));
        // A memo written by someone without the secret: valid JSON, no tag.
        let forged = serde_json::to_vec(&serde_json::json!({
            "outcome": "valid", "uid": "u-1", "profile": {"Uid": "u-1"},
            "expires_at_ms": null, "validated_at_ms": now_ms()
        }))
        .expect("json");
        assert!(matches!(
            recall(&key(), &digest(), &forged, |_| false, now, max),
            Recalled::Unusable
        ));
        assert!(!format!("{:?}", key()).contains("secret"));
    }
}
