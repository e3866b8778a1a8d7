//! [`SessionGate`]: whether a session read from the session cookie is live in the shared
//! registry, asked by the guards as well as by the route helpers.
//!
//! A session is live when its registry entry exists for its user, it was used within the idle
//! timeout, it started within the absolute timeout, and not before its user's "not before"
//! instant. The answer "live" is cached locally for at most the bus-loss trust window (default
//! 5 s); the bus evicts it at once ([`FleetEvent::SessionEnded`](crate::fleet::FleetEvent) and
//! [`FleetEvent::UserSessionsEnded`](crate::fleet::FleetEvent)) and a lost or missed bus drops
//! them all, so the warm path asks the shared store at most once per session and window, and
//! writes `last_seen` at most once a minute (more often only for idle timeouts under four
//! minutes).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use moka::sync::Cache;
use time::OffsetDateTime;

use crate::config::Clock;
use crate::fleet::{SessionClaim, SessionId, SessionRecord, SharedState, SharedStateError};

/// How long a session may go unused, by default (30 minutes).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// How long a session may last at most, by default (12 hours).
pub const DEFAULT_ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);

/// The most sessions whose "live" answer is kept.
const MAX_CACHED_SESSIONS: u64 = 100_000;

/// The idle and absolute timeouts of sessions (see
/// [`AuthenticatorBuilder::session_timeouts`](super::AuthenticatorBuilder::session_timeouts)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// How long a session may go unused (default [`DEFAULT_IDLE_TIMEOUT`]).
    pub idle: Duration,
    /// How long a session may last from its start (default [`DEFAULT_ABSOLUTE_TIMEOUT`]).
    pub absolute: Duration,
}

impl Default for SessionTimeouts {
    fn default() -> Self {
        Self {
            idle: DEFAULT_IDLE_TIMEOUT,
            absolute: DEFAULT_ABSOLUTE_TIMEOUT,
        }
    }
}

impl SessionTimeouts {
    /// Whether `record` is within both timeouts at `now` and did not start before its user's
    /// `not_before`.
    pub fn is_live(
        &self,
        record: &SessionRecord,
        not_before: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> bool {
        now - record.last_seen <= self.idle
            && now - record.created_at <= self.absolute
            && not_before.is_none_or(|nb| record.created_at >= nb)
    }

    /// How often `last_seen` is written: once a minute, or a quarter of a shorter idle
    /// timeout.
    pub fn last_seen_every(&self) -> Duration {
        Duration::from_secs(60).min(self.idle / 4)
    }

    /// What is left of the absolute timeout of `record` at `now` (its registry TTL).
    pub fn remaining(&self, record: &SessionRecord, now: OffsetDateTime) -> Duration {
        let age: Duration = (now - record.created_at)
            .try_into()
            .unwrap_or(Duration::ZERO);
        self.absolute.saturating_sub(age)
    }
}

/// Why a session is refused.
#[derive(Debug, thiserror::Error)]
pub enum SessionRefused {
    /// It was ended, passed a timeout, started before its user's "not before", or never
    /// existed: 401, sign in again.
    #[error("the session has ended")]
    Ended,
    /// The registry cannot answer: 503, try again (never a sign-out).
    #[error("the session registry cannot answer: {0}")]
    Unavailable(#[from] SharedStateError),
}

/// A session found live, with the "not before" it was checked against.
#[derive(Debug, Clone)]
struct Live {
    record: SessionRecord,
    not_before: Option<OffsetDateTime>,
}

/// The live-session checks of one authenticator, with their local cache.
pub(crate) struct SessionGate {
    fleet: Arc<dyn SharedState>,
    timeouts: SessionTimeouts,
    clock: Clock,
    live: Cache<SessionId, Arc<Live>>,
    /// Bumped by every eviction: a check that overlapped one is answered, not cached.
    changes: AtomicU64,
}

impl SessionGate {
    pub(crate) fn new(
        fleet: Arc<dyn SharedState>,
        timeouts: SessionTimeouts,
        trust: Duration,
        clock: Clock,
    ) -> Self {
        Self {
            fleet,
            timeouts,
            clock,
            live: Cache::builder()
                .name("loginradius.auth.sessions")
                .max_capacity(MAX_CACHED_SESSIONS)
                .time_to_live(trust)
                .support_invalidation_closures()
                .build(),
            changes: AtomicU64::new(0),
        }
    }

    pub(crate) fn timeouts(&self) -> SessionTimeouts {
        self.timeouts
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// The registry entry of `claim` from the local cache alone, while its answer is fresh
    /// and no `last_seen` write is due: `None` when [`check`](Self::check) must ask the
    /// shared state (a stale answer is dropped here).
    pub(crate) fn check_cached(&self, claim: &SessionClaim) -> Option<SessionRecord> {
        let live = self.live.get(&claim.id)?;
        let now = self.clock.now();
        if live.record.uid == claim.uid
            && self.timeouts.is_live(&live.record, live.not_before, now)
            && now - live.record.last_seen < self.timeouts.last_seen_every()
        {
            return Some(live.record.clone());
        }
        self.live.invalidate(&claim.id);
        None
    }

    /// The registry entry of `claim` if the session is live: from the local cache while its
    /// answer is fresh and no `last_seen` write is due, else from the shared state (writing
    /// `last_seen` when due).
    pub(crate) async fn check(
        &self,
        claim: &SessionClaim,
    ) -> Result<SessionRecord, SessionRefused> {
        if let Some(record) = self.check_cached(claim) {
            return Ok(record);
        }
        let now = self.clock.now();
        let every = self.timeouts.last_seen_every();
        let generation = self.changes.load(Ordering::Acquire);
        let record = self.fleet.session(&claim.id).await?;
        let Some(mut record) = record.filter(|r| r.uid == claim.uid) else {
            return Err(SessionRefused::Ended);
        };
        let not_before = self.fleet.not_before(&claim.uid).await?;
        if !self.timeouts.is_live(&record, not_before, now) {
            // Best effort: the entry would expire anyway, and the answer is 401 either way.
            let _ = self.fleet.remove_session(&claim.id).await;
            tracing::debug!(session = ?claim.id, "session refused: ended or timed out");
            return Err(SessionRefused::Ended);
        }
        if now - record.last_seen >= every {
            record.last_seen = now;
            let ttl = self.timeouts.remaining(&record, now);
            if !self.fleet.touch_session(&record, ttl).await? {
                return Err(SessionRefused::Ended);
            }
        }
        if self.changes.load(Ordering::Acquire) == generation {
            let live = Arc::new(Live {
                record: record.clone(),
                not_before,
            });
            self.live.insert(claim.id.clone(), live);
        }
        Ok(record)
    }

    /// Forgets the answer for one session.
    pub(crate) fn evict(&self, id: &SessionId) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.live.invalidate(id);
    }

    /// Forgets the answers for every session of `uid`.
    pub(crate) fn evict_uid(&self, uid: &str) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        let owned = uid.to_owned();
        if self
            .live
            .invalidate_entries_if(move |_, live| live.record.uid == owned)
            .is_err()
        {
            self.live.invalidate_all();
        }
    }

    /// Forgets every answer.
    pub(crate) fn clear(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.live.invalidate_all();
    }
}
