//! [`Replica`]: one authenticator's local caches and what keeps them current across a fleet.
//!
//! The caches stay local (the warm path never asks the shared state); the shared state's bus
//! keeps them current. One task per authenticator receives the bus and applies each
//! [`BusSignal`]:
//!
//! - [`FleetEvent::SessionEnded`] and [`FleetEvent::SessionProven`] forget that session's
//!   "live" answer (with how it was proven), and
//!   [`FleetEvent::UserSessionsEnded`] those of every session of the user;
//! - [`FleetEvent::TokenRevoked`] evicts that token's cached user;
//! - [`FleetEvent::UserSessionsEnded`] and [`FleetEvent::ProfileChanged`] evict every cached
//!   token of the user;
//! - the role events make the same evictions as a role change made through the client
//!   ([`RoleData::apply`], which keeps the generation guarantees of the grants memo);
//! - [`BusSignal::Lost`] marks the bus down: until it is back, cached users and role data
//!   validated longer than the trust window ago are validated again upstream;
//! - [`BusSignal::Missed`] drops every cache and clears the mark.
//!
//! The task holds the replica weakly and is aborted when the replica is dropped: no task outlives
//! its authenticator.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use tokio::task::JoinHandle;

use super::cache::UserCache;
use super::permissions::RoleData;
use super::sessions::SessionGate;
use super::token::TokenDigest;
use crate::client::role_events::{RoleChange, RoleChangeListener};
use crate::fleet::{BusSignal, FleetEvent, Health, SharedState, SharedStateError};

/// Default of how long cached decisions are trusted while the bus is down.
pub const DEFAULT_BUS_LOSS_TRUST: Duration = Duration::from_secs(5);

/// The caches of one authenticator, its shared state, and the state of the bus.
pub(crate) struct Replica {
    pub(crate) users: UserCache,
    pub(crate) roles: Arc<RoleData>,
    pub(crate) fleet: Arc<dyn SharedState>,
    /// The "session live" answers of the guards.
    pub(crate) sessions: SessionGate,
    /// Set on [`BusSignal::Lost`], cleared on [`BusSignal::Missed`].
    bus_down: AtomicBool,
    /// When the bus was lost (for the health check).
    bus_lost_at: Mutex<Option<OffsetDateTime>>,
    /// How long a cached entry is trusted while the bus is down.
    trust: Duration,
    /// Bumped before and after every eviction of cached users: a lookup that overlapped one is
    /// used once, not kept.
    user_changes: AtomicU64,
    /// Unix milliseconds (wall clock) of the last eviction of cached users: a token validated
    /// by another replica before it is validated again here.
    evicted_at_ms: AtomicI64,
    listener: Mutex<Option<Listener>>,
}

/// The bus task; aborted on drop.
struct Listener(JoinHandle<()>);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Replica {
    pub(crate) fn new(
        users: UserCache,
        roles: Arc<RoleData>,
        fleet: Arc<dyn SharedState>,
        sessions: SessionGate,
        trust: Duration,
    ) -> Self {
        Self {
            users,
            roles,
            fleet,
            sessions,
            bus_down: AtomicBool::new(false),
            bus_lost_at: Mutex::new(None),
            trust,
            user_changes: AtomicU64::new(0),
            evicted_at_ms: AtomicI64::new(i64::MIN),
            listener: Mutex::new(None),
        }
    }

    /// While the bus is down, the instant before which cached entries are no longer trusted;
    /// `None` while it is up (one atomic load: this is on the warm path).
    #[inline]
    pub(crate) fn cutoff(&self) -> Option<Instant> {
        if self.bus_down.load(Ordering::Acquire) {
            Instant::now().checked_sub(self.trust)
        } else {
            None
        }
    }

    /// Whether the bus is marked down.
    pub(crate) fn is_bus_down(&self) -> bool {
        self.bus_down.load(Ordering::Acquire)
    }

    /// The generation of user evictions; read it before a lookup, compare after.
    pub(crate) fn user_generation(&self) -> u64 {
        self.user_changes.load(Ordering::Acquire)
    }

    /// Whether a token validated at `validated_at_ms` (unix milliseconds, wall clock) may have
    /// been revoked since: some eviction of cached users happened at or after it.
    pub(crate) fn evicted_since(&self, validated_at_ms: i64) -> bool {
        self.evicted_at_ms.load(Ordering::Acquire) >= validated_at_ms
    }

    /// The backend's health; [`Health::Down`] also while this replica's bus is lost (events
    /// may not be arriving), even if the backend says it is up.
    pub(crate) fn health(&self) -> Health {
        let backend = self.fleet.health();
        if !backend.is_up() || !self.is_bus_down() {
            return backend;
        }
        Health::Down {
            since: self.lost_at().unwrap_or_else(OffsetDateTime::now_utc),
            reason: "the shared state's bus was lost; waiting for it to resume".into(),
        }
    }

    fn lost_at(&self) -> Option<OffsetDateTime> {
        *self
            .bus_lost_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the bus lost (`Some(now)`) or back (`None`).
    fn set_lost(&self, at: Option<OffsetDateTime>) {
        *self
            .bus_lost_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = at;
        self.bus_down.store(at.is_some(), Ordering::Release);
    }

    /// Starts the bus task unless it is running (it is started when the authenticator is built
    /// inside a Tokio runtime, otherwise before the first entry is cached). A task that has
    /// stopped (its runtime shut down) is started again, and everything cached is dropped, since
    /// events may have been missed meanwhile.
    pub(crate) fn ensure_listening(self: &Arc<Self>) {
        let mut slot = self.listener.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|l| !l.0.is_finished()) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let restarted = slot.is_some();
        let mut bus = self.fleet.subscribe();
        crate::metrics::shared_state_up(true);
        let weak: Weak<Self> = Arc::downgrade(self);
        *slot = Some(Listener(runtime.spawn(async move {
            while let Some(signal) = bus.recv().await {
                let Some(replica) = weak.upgrade() else {
                    return;
                };
                replica.apply_signal(signal).await;
            }
            if let Some(replica) = weak.upgrade() {
                tracing::warn!(
                    "the shared state's bus closed: cached decisions are trusted briefly"
                );
                replica.set_lost(Some(OffsetDateTime::now_utc()));
            }
        })));
        drop(slot);
        if restarted {
            tracing::warn!("the shared state's listener stopped and was started again");
            self.drop_everything();
        }
    }

    /// Applies one signal of the bus.
    pub(crate) async fn apply_signal(&self, signal: BusSignal) {
        match signal {
            BusSignal::Event(event) => {
                crate::metrics::bus_event(&event);
                self.apply(&event).await;
            }
            BusSignal::Lost => {
                crate::metrics::shared_state_up(false);
                tracing::warn!(
                    trust_secs = self.trust.as_secs_f64(),
                    "the shared state's bus is lost: cached decisions are trusted for the trust \
                     window, then validated again upstream"
                );
                // Ended sessions may no longer be announced: ask the registry again.
                self.sessions.clear();
                if !self.is_bus_down() {
                    self.set_lost(Some(OffsetDateTime::now_utc()));
                }
            }
            BusSignal::Missed => {
                tracing::warn!(
                    "events of the shared state's bus may have been missed: caches dropped"
                );
                self.drop_everything();
                self.set_lost(None);
                crate::metrics::shared_state_up(true);
            }
        }
    }

    /// Applies one event to the local caches (idempotent).
    pub(crate) async fn apply(&self, event: &FleetEvent) {
        if let Some(change) = RoleChange::from_event(event) {
            self.roles.apply(&change).await;
            return;
        }
        match event {
            FleetEvent::TokenRevoked { token_sha256 } => {
                match TokenDigest::from_hex(token_sha256) {
                    Some(digest) => self.forget(&digest).await,
                    None => {
                        tracing::warn!(
                            "a token revocation without a readable digest: caches dropped"
                        );
                        self.drop_everything();
                    }
                }
            }
            FleetEvent::UserSessionsEnded { uid, .. } => {
                self.sessions.evict_uid(uid);
                self.evicting_users(async { self.evict_uid(uid) }).await;
            }
            FleetEvent::ProfileChanged { uid } => {
                self.evicting_users(async { self.evict_uid(uid) }).await;
            }
            FleetEvent::SessionEnded { session, .. }
            | FleetEvent::SessionProven { session, .. } => {
                self.sessions.evict(session);
            }
            FleetEvent::RolesChanged { .. }
            | FleetEvent::RoleContextsChanged { .. }
            | FleetEvent::RoleDefinitionsChanged => {}
        }
    }

    /// Evicts one token here only (the other replicas are not told); a lookup in flight, or a
    /// shared validation made before, is not kept.
    pub(crate) async fn forget(&self, digest: &TokenDigest) {
        self.evicting_users(async { self.users.invalidate(digest) })
            .await;
    }

    /// Applies `event` here, then publishes it to every replica. The local eviction holds even
    /// when publishing fails (the error is logged and returned).
    pub(crate) async fn publish(&self, event: &FleetEvent) -> Result<(), SharedStateError> {
        self.apply(event).await;
        self.fleet.publish(event).await.inspect_err(|e| {
            tracing::warn!(error = %e, "could not publish an event to the other replicas");
        })
    }

    /// Evicts every cached token of `uid`.
    fn evict_uid(&self, uid: &str) {
        let owned = uid.to_owned();
        let evicted = self
            .users
            .invalidate_entries_if(move |_, user| user.uid.as_str() == owned);
        if evicted.is_err() {
            // Only if invalidation closures were not enabled: drop them all rather than none.
            self.users.invalidate_all();
        }
    }

    /// Runs `evict` between two bumps of the user generation, and stamps the eviction time.
    async fn evicting_users(&self, evict: impl Future<Output = ()>) {
        self.user_changes.fetch_add(1, Ordering::AcqRel);
        self.evicted_at_ms.store(now_ms(), Ordering::Release);
        evict.await;
        self.user_changes.fetch_add(1, Ordering::AcqRel);
    }

    /// Drops every cached user and all role data.
    fn drop_everything(&self) {
        self.user_changes.fetch_add(1, Ordering::AcqRel);
        self.evicted_at_ms.store(now_ms(), Ordering::Release);
        self.users.invalidate_all();
        self.roles.invalidate_all();
        self.sessions.clear();
        self.user_changes.fetch_add(1, Ordering::AcqRel);
    }
}

/// Now, in unix milliseconds (wall clock: compared across replicas).
pub(crate) fn now_ms() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Role changes made through the client: applied here at once, then published to every replica.
#[async_trait::async_trait]
impl RoleChangeListener for Replica {
    async fn role_changed(&self, change: &RoleChange) {
        self.roles.apply(change).await;
        if let Err(e) = self.fleet.publish(&change.to_event()).await {
            tracing::warn!(error = %e, "could not publish a role change to the other replicas");
        }
    }
}
