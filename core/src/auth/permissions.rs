//! Roles, role contexts and role definitions from the Role API, each cached with its own TTL,
//! assembled into the [`Grants`] a [`Require`](super::Require) is decided against.
//!
//! - the user's roles (`client.roles().of_user`), cached [`DEFAULT_ROLES_TTL`];
//! - the user's role contexts (`client.roles().contexts_of_user`), cached
//!   [`DEFAULT_CONTEXTS_TTL`] as data: whether a context still applies is decided at decision
//!   time from its expiry, never cached as an answer;
//! - the role definitions, role → permissions (`client.roles().list()`), cached
//!   [`DEFAULT_DEFINITIONS_TTL`].
//!
//! Role calls made through the same client, and role events from the fleet's bus, evict the
//! affected entries at once ([`RoleData::apply`]).

use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use moka::Equivalent;
use moka::future::Cache;

use super::grants::{Definitions, Grants, Needs};
use super::upstream::{Budget, Group, Upstream, UpstreamError};
use crate::LoginRadius;
use crate::client::role_events::RoleChange;
use crate::models::{RoleContext, RoleList};

/// Default lifetime of a user's cached roles.
pub const DEFAULT_ROLES_TTL: Duration = Duration::from_secs(60);
/// Default lifetime of a user's cached role contexts.
pub const DEFAULT_CONTEXTS_TTL: Duration = Duration::from_secs(60);
/// Default lifetime of the cached role definitions.
pub const DEFAULT_DEFINITIONS_TTL: Duration = Duration::from_secs(600);

/// A value read from the Role API, with the instant its cache entry stops being fresh (the
/// fetch instant plus the cache's TTL; the cache itself evicts it a moment later) and the
/// role-change generation when its fetch began.
#[derive(Debug, Clone)]
pub(crate) struct Fresh<T> {
    pub(crate) value: T,
    pub(crate) until: Instant,
    /// The [`RoleData::generation`] when the fetch began: data fetched before a change may
    /// predate it, so it is never remembered past that change.
    pub(crate) generation: u64,
    /// When it was fetched (for the bus-loss trust window: while the fleet's bus is down, data
    /// fetched too long ago is fetched again).
    pub(crate) fetched: Instant,
}

impl<T> Fresh<T> {
    /// `value`, fetched from `generation` on, fresh for `ttl` from now. A TTL too large to add
    /// (longer than the builder accepts) counts as already stale rather than forever fresh.
    fn new(value: T, ttl: Duration, generation: u64) -> Self {
        let now = Instant::now();
        Self {
            value,
            until: now.checked_add(ttl).unwrap_or(now),
            generation,
            fetched: now,
        }
    }
}

/// The role caches of one authenticator.
///
/// The upstream calls of a miss are boxed (`Box::pin`): a future is as large as its largest
/// state, so an unboxed HTTP call would make every cache hit build and move a future of
/// several kilobytes it never polls.
pub(crate) struct RoleData {
    client: LoginRadius,
    /// The deadline, circuit and bulkhead every Role API call goes through.
    upstream: Arc<Upstream>,
    config: RoleCacheConfig,
    roles: Cache<String, Fresh<Arc<[String]>>>,
    contexts: Cache<String, Fresh<Arc<[RoleContext]>>>,
    definitions: Cache<(), Fresh<Arc<Definitions>>>,
    /// Bumped before and after every role change's evictions: a fetch that overlapped a change
    /// is used once, not kept, and neither role data fetched before the change nor a
    /// [`GrantsMemo`](super::memo::GrantsMemo) made of it is used past it.
    changes: AtomicU64,
}

/// `cache.try_get_with_by_ref(key, fetch)`, except that a value fetched while a role change
/// was published is not kept (it may predate the change). A hit allocates nothing: the key is
/// looked up by reference and only copied when an entry is inserted.
async fn fetch_once<K, Q, V>(
    cache: &Cache<K, V>,
    changes: &AtomicU64,
    key: &Q,
    fetch: impl Future<Output = Result<V, UpstreamError>>,
) -> Result<V, Arc<UpstreamError>>
where
    K: Hash + Eq + Send + Sync + 'static,
    Q: Equivalent<K> + ToOwned<Owned = K> + Hash + ?Sized,
    V: Clone + Send + Sync + 'static,
{
    let before = changes.load(Ordering::Acquire);
    let value = cache.try_get_with_by_ref(key, fetch).await?;
    if changes.load(Ordering::Acquire) != before {
        cache.invalidate(key).await;
    }
    Ok(value)
}

/// TTLs and capacity of the role caches.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleCacheConfig {
    pub(crate) roles_ttl: Duration,
    pub(crate) contexts_ttl: Duration,
    pub(crate) definitions_ttl: Duration,
    pub(crate) max_users: u64,
}

impl RoleData {
    pub(crate) fn new(
        client: LoginRadius,
        config: RoleCacheConfig,
        upstream: Arc<Upstream>,
    ) -> Self {
        Self {
            client,
            upstream,
            config,
            roles: Cache::builder()
                .name("loginradius.auth.roles")
                .max_capacity(config.max_users)
                .time_to_live(config.roles_ttl)
                .build(),
            contexts: Cache::builder()
                .name("loginradius.auth.role_contexts")
                .max_capacity(config.max_users)
                .time_to_live(config.contexts_ttl)
                .build(),
            definitions: Cache::builder()
                .name("loginradius.auth.role_definitions")
                .max_capacity(1)
                .time_to_live(config.definitions_ttl)
                .build(),
            changes: AtomicU64::new(0),
        }
    }

    /// The role-change generation: changes with every published role change. Read it before
    /// the role data it stamps.
    pub(crate) fn generation(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// The user's roles, from the cache or the Role API (concurrent misses coalesced, failures
    /// not cached).
    pub(crate) async fn roles(
        &self,
        uid: &str,
        budget: &Budget,
    ) -> Result<Fresh<Arc<[String]>>, Arc<UpstreamError>> {
        fetch_once(&self.roles, &self.changes, uid, async {
            let generation = self.generation();
            tracing::debug!("fetching the user's roles");
            let deadline = budget.deadline();
            let call = self.client.roles().of_user(uid).deadline(deadline).send();
            let roles = Box::pin(self.upstream.call(Group::Roles, deadline, call)).await?;
            Ok(Fresh::new(
                Arc::from(roles.roles),
                self.config.roles_ttl,
                generation,
            ))
        })
        .await
    }

    /// The user's role contexts, expired ones included.
    pub(crate) async fn contexts(
        &self,
        uid: &str,
        budget: &Budget,
    ) -> Result<Fresh<Arc<[RoleContext]>>, Arc<UpstreamError>> {
        fetch_once(&self.contexts, &self.changes, uid, async {
            let generation = self.generation();
            tracing::debug!("fetching the user's role contexts");
            let deadline = budget.deadline();
            let call = self
                .client
                .roles()
                .contexts_of_user(uid)
                .deadline(deadline)
                .send();
            let list = Box::pin(self.upstream.call(Group::Roles, deadline, call)).await?;
            Ok(Fresh::new(
                Arc::from(list.contexts),
                self.config.contexts_ttl,
                generation,
            ))
        })
        .await
    }

    /// The role definitions.
    pub(crate) async fn definitions(
        &self,
        budget: &Budget,
    ) -> Result<Fresh<Arc<Definitions>>, Arc<UpstreamError>> {
        fetch_once(&self.definitions, &self.changes, &(), async {
            let generation = self.generation();
            tracing::debug!("fetching the role definitions");
            let deadline = budget.deadline();
            let call = self.client.roles().list().deadline(deadline).send();
            let list = Box::pin(self.upstream.call(Group::Roles, deadline, call)).await?;
            Ok(Fresh::new(
                Arc::new(definitions(list)),
                self.config.definitions_ttl,
                generation,
            ))
        })
        .await
    }

    /// Fetches what `needs` asks for: from the caches when every part is there (and, with a
    /// `cutoff`, was fetched after it), otherwise concurrently (concurrent misses coalesced,
    /// failures not cached). Fresh until the earliest deadline of the parts read.
    pub(crate) async fn grants(
        &self,
        uid: &str,
        needs: &Needs,
        cutoff: Option<Instant>,
        budget: &Budget,
    ) -> Result<Fresh<Grants>, Arc<UpstreamError>> {
        // The warm path: plain lookups, one after the other, with no fetch futures to build
        // and no join to poll. A part missing (or expired) falls through to the fetching path.
        if let Some(grants) = self.cached_grants(uid, needs, cutoff).await {
            return Ok(grants);
        }
        // Boxed, so the warm path's future does not carry the fetching path's size.
        Box::pin(self.fetch_grants(uid, needs, budget)).await
    }

    /// Fetches what `needs` asks for, concurrently.
    async fn fetch_grants(
        &self,
        uid: &str,
        needs: &Needs,
        budget: &Budget,
    ) -> Result<Fresh<Grants>, Arc<UpstreamError>> {
        let roles = async {
            if needs.roles {
                self.roles(uid, budget).await.map(Some)
            } else {
                Ok(None)
            }
        };
        let contexts = async {
            if needs.contexts {
                self.contexts(uid, budget).await.map(Some)
            } else {
                Ok(None)
            }
        };
        let definitions = async {
            if needs.definitions {
                self.definitions(budget).await.map(Some)
            } else {
                Ok(None)
            }
        };
        let (roles, contexts, definitions) = tokio::join!(roles, contexts, definitions);
        let mut parts = Assembled::default();
        parts.grants.roles = roles?.map(|part| parts.take(part));
        parts.grants.contexts = contexts?.map(|part| parts.take(part));
        parts.grants.definitions = definitions?.map(|part| parts.take(part));
        Ok(parts.finish())
    }
}

impl RoleData {
    /// The parts of the user's role data `needs` asks for, when all of them are cached (and
    /// fetched after `cutoff`, when there is one: an older part is evicted, to be fetched
    /// again).
    async fn cached_grants(
        &self,
        uid: &str,
        needs: &Needs,
        cutoff: Option<Instant>,
    ) -> Option<Fresh<Grants>> {
        let mut parts = Assembled::default();
        if needs.roles {
            let part = trusted(&self.roles, uid, cutoff).await?;
            parts.grants.roles = Some(parts.take(part));
        }
        if needs.contexts {
            let part = trusted(&self.contexts, uid, cutoff).await?;
            parts.grants.contexts = Some(parts.take(part));
        }
        if needs.definitions {
            let part = trusted(&self.definitions, &(), cutoff).await?;
            parts.grants.definitions = Some(parts.take(part));
        }
        Some(parts.finish())
    }
}

/// The cached entry of `key`, unless it was fetched before `cutoff`: then it is evicted (so the
/// fetching path asks the Role API again) and `None` is returned.
async fn trusted<K, Q, T>(
    cache: &Cache<K, Fresh<T>>,
    key: &Q,
    cutoff: Option<Instant>,
) -> Option<Fresh<T>>
where
    K: Hash + Eq + Send + Sync + 'static,
    Q: Equivalent<K> + Hash + ?Sized,
    T: Clone + Send + Sync + 'static,
{
    let part = cache.get(key).await?;
    if cutoff.is_some_and(|cutoff| part.fetched < cutoff) {
        cache.invalidate(key).await;
        return None;
    }
    Some(part)
}

impl RoleData {
    /// Applies a role change: the evictions it calls for, between two bumps of the generation.
    pub(crate) async fn apply(&self, change: &RoleChange) {
        // Before the evictions: a fetch overlapping them is not kept, and every memo made
        // before is dead. After: so is a memo of data read while they ran.
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.evict(change).await;
        self.changes.fetch_add(1, Ordering::AcqRel);
    }
}

/// [`Grants`] being put together from parts, with the earliest deadline, the oldest
/// generation and the oldest fetch of the parts taken so far.
#[derive(Default)]
struct Assembled {
    grants: Grants,
    stamp: Option<(Instant, u64, Instant)>,
}

impl Assembled {
    /// The part's value; its deadline, generation and fetch instant count towards the whole's.
    fn take<T>(&mut self, part: Fresh<T>) -> T {
        self.stamp = Some(match self.stamp {
            None => (part.until, part.generation, part.fetched),
            Some((until, generation, fetched)) => (
                until.min(part.until),
                generation.min(part.generation),
                fetched.min(part.fetched),
            ),
        });
        part.value
    }

    fn finish(self) -> Fresh<Grants> {
        // Nothing read: nothing to go stale, but nothing worth remembering either.
        let (until, generation, fetched) = self.stamp.unwrap_or_else(|| {
            let now = Instant::now();
            (now, 0, now)
        });
        Fresh {
            value: self.grants,
            until,
            generation,
            fetched,
        }
    }
}

fn definitions(list: RoleList) -> Definitions {
    list.roles
        .into_iter()
        .map(|role| {
            let granted = role.granted().map(str::to_owned).collect();
            (role.name, granted)
        })
        .collect()
}

impl RoleData {
    /// Drops every cached part (events may have been missed), between two bumps of the
    /// generation, like [`apply`](Self::apply).
    pub(crate) fn invalidate_all(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.drop_everything();
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    fn drop_everything(&self) {
        self.definitions.invalidate_all();
        self.roles.invalidate_all();
        self.contexts.invalidate_all();
    }

    async fn evict(&self, change: &RoleChange) {
        match change {
            RoleChange::UserRoles { uid } => self.roles.invalidate(uid.as_str()).await,
            RoleChange::UserContexts { uid } => self.contexts.invalidate(uid.as_str()).await,
            RoleChange::Definitions => self.definitions.invalidate_all(),
            RoleChange::RoleDeleted => self.drop_everything(),
        }
    }
}
