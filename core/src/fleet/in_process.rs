//! The default backend: shared state for the replicas of one process (that is, one replica).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::event::BUS_CAPACITY;
use super::{
    BusReceiver, BusSignal, FleetEvent, FleetResult, Health, Hits, SessionId, SessionRecord,
    SharedState,
};

/// Shared state in this process's memory: today's single-process behaviour, nothing to run.
/// Cheap to clone (clones share the state). Expiry follows `tokio::time`, so tests can pause
/// and advance it.
#[derive(Clone)]
pub struct InProcess {
    inner: Arc<Inner>,
}

struct Inner {
    bus: broadcast::Sender<BusSignal>,
    store: Mutex<Store>,
}

/// A value and the instant it expires.
struct Expiring<T> {
    value: T,
    until: Instant,
}

impl<T> Expiring<T> {
    fn new(value: T, ttl: Duration) -> Self {
        Self::from(value, Instant::now(), ttl)
    }

    fn from(value: T, now: Instant, ttl: Duration) -> Self {
        Self {
            value,
            until: now + ttl,
        }
    }

    fn live(&self, now: Instant) -> bool {
        self.until > now
    }
}

/// How many writes between two sweeps of expired entries.
const SWEEP_EVERY: u32 = 1024;

#[derive(Default)]
struct Store {
    sessions: HashMap<SessionId, Expiring<SessionRecord>>,
    sessions_by_user: HashMap<String, HashSet<SessionId>>,
    not_before: HashMap<String, Expiring<OffsetDateTime>>,
    counters: HashMap<String, Expiring<u64>>,
    sightings: HashMap<String, Instant>,
    memos: HashMap<String, Expiring<Vec<u8>>>,
    writes: u32,
}

impl Store {
    /// Counts a write; every [`SWEEP_EVERY`] writes, drops what has expired.
    fn wrote(&mut self) {
        self.writes += 1;
        if self.writes < SWEEP_EVERY {
            return;
        }
        self.writes = 0;
        let now = Instant::now();
        self.sessions.retain(|_, s| s.live(now));
        let sessions = &self.sessions;
        self.sessions_by_user.retain(|_, ids| {
            ids.retain(|id| sessions.contains_key(id));
            !ids.is_empty()
        });
        self.not_before.retain(|_, n| n.live(now));
        self.counters.retain(|_, c| c.live(now));
        self.sightings.retain(|_, until| *until > now);
        self.memos.retain(|_, m| m.live(now));
    }

    fn forget_session(&mut self, id: &SessionId) -> Option<SessionRecord> {
        let removed = self.sessions.remove(id)?;
        if let Some(ids) = self.sessions_by_user.get_mut(&removed.value.uid) {
            ids.remove(id);
            if ids.is_empty() {
                self.sessions_by_user.remove(&removed.value.uid);
            }
        }
        Some(removed.value)
    }
}

impl InProcess {
    /// An empty state.
    pub fn new() -> Self {
        let (bus, _) = broadcast::channel(BUS_CAPACITY);
        Self {
            inner: Arc::new(Inner {
                bus,
                store: Mutex::new(Store::default()),
            }),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for InProcess {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for InProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store = self.store();
        f.debug_struct("InProcess")
            .field("sessions", &store.sessions.len())
            .field("counters", &store.counters.len())
            .field("receivers", &self.inner.bus.receiver_count())
            .finish()
    }
}

#[async_trait::async_trait]
impl SharedState for InProcess {
    async fn publish(&self, event: &FleetEvent) -> FleetResult<()> {
        // No receiver is not an error: nobody caches anything yet.
        let _ = self.inner.bus.send(BusSignal::Event(event.clone()));
        Ok(())
    }

    fn subscribe(&self) -> BusReceiver {
        BusReceiver::new(self.inner.bus.subscribe())
    }

    async fn save_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<()> {
        let mut store = self.store();
        if let Some(previous) = store.sessions.get(&record.id)
            && previous.value.uid != record.uid
        {
            let previous = previous.value.id.clone();
            store.forget_session(&previous);
        }
        store
            .sessions
            .insert(record.id.clone(), Expiring::new(record.clone(), ttl));
        store
            .sessions_by_user
            .entry(record.uid.clone())
            .or_default()
            .insert(record.id.clone());
        store.wrote();
        Ok(())
    }

    async fn touch_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<bool> {
        let now = Instant::now();
        let mut store = self.store();
        let exists = store
            .sessions
            .get(&record.id)
            .is_some_and(|s| s.live(now) && s.value.uid == record.uid);
        if exists {
            store
                .sessions
                .insert(record.id.clone(), Expiring::new(record.clone(), ttl));
            store.wrote();
        }
        Ok(exists)
    }

    async fn session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>> {
        let now = Instant::now();
        Ok(self
            .store()
            .sessions
            .get(id)
            .filter(|s| s.live(now))
            .map(|s| s.value.clone()))
    }

    async fn remove_session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>> {
        let now = Instant::now();
        let mut store = self.store();
        let live = store.sessions.get(id).is_some_and(|s| s.live(now));
        let removed = store.forget_session(id);
        Ok(removed.filter(|_| live))
    }

    async fn sessions_of(&self, uid: &str) -> FleetResult<Vec<SessionRecord>> {
        let now = Instant::now();
        let store = self.store();
        let mut sessions: Vec<SessionRecord> = store
            .sessions_by_user
            .get(uid)
            .into_iter()
            .flatten()
            .filter_map(|id| store.sessions.get(id))
            .filter(|s| s.live(now))
            .map(|s| s.value.clone())
            .collect();
        SessionRecord::sort_oldest_first(&mut sessions);
        Ok(sessions)
    }

    async fn set_not_before(
        &self,
        uid: &str,
        at: OffsetDateTime,
        ttl: Duration,
    ) -> FleetResult<()> {
        let now = Instant::now();
        let mut store = self.store();
        let later = match store.not_before.get(uid) {
            Some(current) if current.live(now) => current.value.max(at),
            _ => at,
        };
        store
            .not_before
            .insert(uid.to_owned(), Expiring::new(later, ttl));
        store.wrote();
        Ok(())
    }

    async fn not_before(&self, uid: &str) -> FleetResult<Option<OffsetDateTime>> {
        let now = Instant::now();
        Ok(self
            .store()
            .not_before
            .get(uid)
            .filter(|n| n.live(now))
            .map(|n| n.value))
    }

    async fn hit(&self, key: &str, window: Duration) -> FleetResult<Hits> {
        let now = Instant::now();
        let mut store = self.store();
        let counter = store
            .counters
            .entry(key.to_owned())
            .and_modify(|c| {
                if !c.live(now) {
                    *c = Expiring::from(0, now, window);
                }
            })
            .or_insert_with(|| Expiring::from(0, now, window));
        counter.value += 1;
        let hits = Hits {
            count: counter.value,
            resets_in: counter.until.saturating_duration_since(now),
        };
        store.wrote();
        Ok(hits)
    }

    async fn clear_hits(&self, key: &str) -> FleetResult<()> {
        self.store().counters.remove(key);
        Ok(())
    }

    async fn first_sighting(&self, key: &str, ttl: Duration) -> FleetResult<bool> {
        let now = Instant::now();
        let mut store = self.store();
        let first = store.sightings.get(key).is_none_or(|until| *until <= now);
        if first {
            store.sightings.insert(key.to_owned(), now + ttl);
            store.wrote();
        }
        Ok(first)
    }

    async fn memo(&self, key: &str) -> FleetResult<Option<Vec<u8>>> {
        let now = Instant::now();
        Ok(self
            .store()
            .memos
            .get(key)
            .filter(|m| m.live(now))
            .map(|m| m.value.clone()))
    }

    async fn set_memo(&self, key: &str, value: &[u8], ttl: Duration) -> FleetResult<()> {
        let mut store = self.store();
        store
            .memos
            .insert(key.to_owned(), Expiring::new(value.to_vec(), ttl));
        store.wrote();
        Ok(())
    }

    fn health(&self) -> Health {
        Health::Up
    }
}
