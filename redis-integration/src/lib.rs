//! # loginradius-redis
//!
//! The Redis backend of [`loginradius::fleet::SharedState`]: what several replicas of one app
//! must agree on (sign-outs, ended sessions, password and role changes, rate-limit counters, the
//! session registry), kept in Redis and carried to every replica by Redis pub/sub.
//!
//! Each replica keeps its local caches; the bus keeps them current, so the warm request path
//! never waits on Redis. When Redis cannot be reached, every call answers
//! [`SharedStateError::Unavailable`] within the command timeout (500 ms by default) and
//! [`SharedState::health`] says [`Health::Down`]: callers deny (503), never allow. The listener
//! reconnects on its own, resubscribes, and tells receivers [`BusSignal::Missed`] so that they
//! drop what they cached while events could not reach them.
//!
//! ```no_run
//! use std::sync::Arc;
//! use loginradius::fleet::SharedState;
//! use loginradius_redis::RedisState;
//!
//! # async fn run() -> Result<(), loginradius::fleet::SharedStateError> {
//! let state: Arc<dyn SharedState> = Arc::new(
//!     RedisState::builder("redis://127.0.0.1:6379/")
//!         .prefix("shop:")
//!         .connect()
//!         .await?,
//! );
//! # Ok(()) }
//! ```
//!
//! Give it to every replica's authenticator
//! ([`AuthenticatorBuilder::shared_state`](loginradius::auth::AuthenticatorBuilder::shared_state)):
//! sign-outs, role changes and ended sessions then reach every replica's caches within
//! milliseconds, and a new token met by several replicas is validated upstream once. While Redis
//! is down, each authenticator trusts what it cached for its `bus_loss_trust` (default 5 s), then
//! validates upstream again; when Redis is back it drops its caches. The shared memo of a
//! validated token (a few seconds, never the token itself) is sealed with an HMAC keyed from
//! the API secret, so Redis write access alone cannot get a token accepted; it can still end
//! sessions or drop caches (events are not signed), so only the app's replicas should reach it.
//!
//! Keys (all under the prefix, default `loginradius:`): `session:{id}` (JSON, expires with the
//! session), `user:{uid}:sessions` (a set of ids), `not-before:{uid}` (unix milliseconds),
//! `hits:{key}`, `seen:{key}`, `memo:{key}`; events are published on `{prefix}events`.
#![warn(missing_docs)]

mod listener;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use loginradius::fleet::{
    BusReceiver, BusSignal, FleetEvent, FleetResult, Health, Hits, SessionId, SessionRecord,
    SharedState, SharedStateError,
};
use redis::AsyncCommands as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use time::OffsetDateTime;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

/// The backend's name in errors and logs.
const BACKEND: &str = "redis";

/// How many signals a receiver may fall behind before it is told it missed some.
const BUS_CAPACITY: usize = 4096;

/// The default key prefix.
pub const DEFAULT_PREFIX: &str = "loginradius:";

/// The default time one Redis command may take before it counts as unavailable.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_millis(500);

/// Keeps the larger of the stored and the given "not before" instant (unix ms), and extends the
/// key's lifetime to at least the given one.
const SET_NOT_BEFORE: &str = r"
local current = redis.call('GET', KEYS[1])
if (not current) or tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2], 'GT')
end
return 1
";

/// What is down, since when and why: the commands connection and the events subscription.
#[derive(Debug, Default)]
pub(crate) struct HealthState {
    commands: Option<(OffsetDateTime, String)>,
    bus: Option<(OffsetDateTime, String)>,
}

impl HealthState {
    fn health(&self) -> Health {
        match (&self.commands, &self.bus) {
            (None, None) => Health::Up,
            (Some((since, reason)), _) | (None, Some((since, reason))) => Health::Down {
                since: *since,
                reason: reason.clone(),
            },
        }
    }
}

/// Builds a [`RedisState`].
#[derive(Debug, Clone)]
pub struct RedisStateBuilder {
    url: String,
    prefix: String,
    command_timeout: Duration,
}

impl RedisStateBuilder {
    /// The prefix of every key and of the events channel (default [`DEFAULT_PREFIX`]); apps that
    /// share one Redis need different prefixes.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long one command may take before it counts as unavailable (default
    /// [`DEFAULT_COMMAND_TIMEOUT`]).
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// Connects, subscribes to the events channel, and starts the listener. Fails when Redis
    /// cannot be reached now, so a wrong URL shows at start.
    pub async fn connect(self) -> FleetResult<RedisState> {
        let client = redis::Client::open(self.url.as_str())
            .map_err(|e| SharedStateError::unavailable(BACKEND, redacted(&e)))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.command_timeout))
            .set_response_timeout(Some(self.command_timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(2));
        let connection = tokio::time::timeout(
            self.command_timeout * 4,
            client.get_connection_manager_with_config(config),
        )
        .await
        .map_err(|_| SharedStateError::unavailable(BACKEND, "connecting timed out"))?
        .map_err(|e| SharedStateError::unavailable(BACKEND, redacted(&e)))?;
        let (bus, _) = broadcast::channel(BUS_CAPACITY);
        let channel = format!("{}events", self.prefix);
        let health = Arc::new(Mutex::new(HealthState::default()));
        let subscribed = listener::subscribe(&client, &channel, self.command_timeout).await?;
        let listener = tokio::spawn(listener::run(
            client,
            channel.clone(),
            subscribed,
            bus.clone(),
            Arc::clone(&health),
            self.command_timeout,
        ));
        Ok(RedisState {
            inner: Arc::new(Inner {
                connection,
                prefix: self.prefix,
                channel,
                bus,
                health,
                command_timeout: self.command_timeout,
                listener,
            }),
        })
    }
}

/// Shared state in Redis (see the [crate docs](crate)). Cheap to clone; the listener task stops
/// when the last clone is dropped.
#[derive(Clone)]
pub struct RedisState {
    inner: Arc<Inner>,
}

struct Inner {
    connection: ConnectionManager,
    prefix: String,
    channel: String,
    bus: broadcast::Sender<BusSignal>,
    health: Arc<Mutex<HealthState>>,
    command_timeout: Duration,
    listener: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisState")
            .field("prefix", &self.inner.prefix)
            .field("health", &self.health())
            .finish_non_exhaustive()
    }
}

/// A Redis error as text without the URL (which may hold a password).
fn redacted(error: &redis::RedisError) -> String {
    format!("{:?}: {}", error.kind(), error.category())
}

impl RedisState {
    /// A builder for the Redis at `url` (`redis://host:port/db`, `rediss://` for TLS when the
    /// `redis` crate is built with it).
    pub fn builder(url: impl Into<String>) -> RedisStateBuilder {
        RedisStateBuilder {
            url: url.into(),
            prefix: DEFAULT_PREFIX.to_owned(),
            command_timeout: DEFAULT_COMMAND_TIMEOUT,
        }
    }

    /// Connects to `url` with the default settings.
    pub async fn connect(url: impl Into<String>) -> FleetResult<Self> {
        Self::builder(url).connect().await
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}:{id}", self.inner.prefix)
    }

    /// Records whether the last command reached Redis (`None`: it did).
    fn set_commands(&self, down: Option<String>) {
        let mut state = self
            .inner
            .health
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match (&state.commands, &down) {
            (None, Some(reason)) => {
                tracing::warn!(backend = BACKEND, %reason, "shared state unreachable");
                state.commands = Some((OffsetDateTime::now_utc(), reason.clone()));
            }
            (Some(_), None) => {
                tracing::info!(backend = BACKEND, "shared state reachable again");
                state.commands = None;
            }
            _ => {}
        }
    }

    /// Runs one command (or pipeline) with the command timeout, recording health.
    async fn run<T, F>(&self, command: impl FnOnce(ConnectionManager) -> F) -> FleetResult<T>
    where
        F: Future<Output = redis::RedisResult<T>>,
    {
        let outcome = tokio::time::timeout(
            self.inner.command_timeout,
            command(self.inner.connection.clone()),
        )
        .await;
        let error = match outcome {
            Ok(Ok(value)) => {
                self.set_commands(None);
                return Ok(value);
            }
            Ok(Err(e)) => redacted(&e),
            Err(_) => "command timed out".to_owned(),
        };
        self.set_commands(Some(error.clone()));
        Err(SharedStateError::unavailable(BACKEND, error))
    }

    fn parse_session(&self, json: &str) -> FleetResult<SessionRecord> {
        serde_json::from_str(json).map_err(|_| SharedStateError::Corrupt {
            backend: BACKEND,
            what: "session",
        })
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

#[async_trait::async_trait]
impl SharedState for RedisState {
    async fn publish(&self, event: &FleetEvent) -> FleetResult<()> {
        let payload = serde_json::to_string(event).map_err(|_| SharedStateError::Corrupt {
            backend: BACKEND,
            what: "event",
        })?;
        let channel = self.inner.channel.clone();
        self.run(|mut c| async move { c.publish::<_, _, i64>(channel, payload).await })
            .await
            .map(drop)
    }

    fn subscribe(&self) -> BusReceiver {
        BusReceiver::new(self.inner.bus.subscribe())
    }

    async fn save_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<()> {
        let json = serde_json::to_string(record).map_err(|_| SharedStateError::Corrupt {
            backend: BACKEND,
            what: "session",
        })?;
        let key = self.key("session", record.id.as_str());
        let index = self.key("user", &format!("{}:sessions", record.uid));
        let id = record.id.as_str().to_owned();
        let ms = millis(ttl);
        self.run(|mut c| async move {
            redis::pipe()
                .atomic()
                .cmd("SET")
                .arg(&key)
                .arg(json)
                .arg("PX")
                .arg(ms)
                .ignore()
                .sadd(&index, id)
                .ignore()
                .cmd("PEXPIRE")
                .arg(&index)
                .arg(ms)
                .arg("NX")
                .ignore()
                .cmd("PEXPIRE")
                .arg(&index)
                .arg(ms)
                .arg("GT")
                .ignore()
                .query_async::<()>(&mut c)
                .await
        })
        .await
    }

    async fn touch_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<bool> {
        let json = serde_json::to_string(record).map_err(|_| SharedStateError::Corrupt {
            backend: BACKEND,
            what: "session",
        })?;
        let key = self.key("session", record.id.as_str());
        let ms = millis(ttl);
        // `XX`: only an existing session is replaced (one ended meanwhile stays ended).
        let set: Option<String> = self
            .run(|mut c| async move {
                redis::cmd("SET")
                    .arg(&key)
                    .arg(json)
                    .arg("PX")
                    .arg(ms)
                    .arg("XX")
                    .query_async(&mut c)
                    .await
            })
            .await?;
        Ok(set.is_some())
    }

    async fn session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>> {
        let key = self.key("session", id.as_str());
        let json: Option<String> = self.run(|mut c| async move { c.get(key).await }).await?;
        json.map(|j| self.parse_session(&j)).transpose()
    }

    async fn remove_session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>> {
        let key = self.key("session", id.as_str());
        let json: Option<String> = self
            .run(|mut c| async move { c.get_del(key).await })
            .await?;
        let Some(record) = json.map(|j| self.parse_session(&j)).transpose()? else {
            return Ok(None);
        };
        let index = self.key("user", &format!("{}:sessions", record.uid));
        let member = id.as_str().to_owned();
        self.run(|mut c| async move { c.srem::<_, _, i64>(index, member).await })
            .await?;
        Ok(Some(record))
    }

    async fn sessions_of(&self, uid: &str) -> FleetResult<Vec<SessionRecord>> {
        let index = self.key("user", &format!("{uid}:sessions"));
        let ids: Vec<String> = {
            let index = index.clone();
            self.run(|mut c| async move { c.smembers(index).await })
                .await?
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids.iter().map(|id| self.key("session", id)).collect();
        let values: Vec<Option<String>> = self
            .run(|mut c| async move { redis::cmd("MGET").arg(keys).query_async(&mut c).await })
            .await?;
        let mut sessions = Vec::with_capacity(values.len());
        let mut gone = Vec::new();
        for (id, value) in ids.into_iter().zip(values) {
            match value {
                Some(json) => sessions.push(self.parse_session(&json)?),
                None => gone.push(id),
            }
        }
        if !gone.is_empty() {
            self.run(|mut c| async move { c.srem::<_, _, i64>(index, gone).await })
                .await?;
        }
        SessionRecord::sort_oldest_first(&mut sessions);
        Ok(sessions)
    }

    async fn set_not_before(
        &self,
        uid: &str,
        at: OffsetDateTime,
        ttl: Duration,
    ) -> FleetResult<()> {
        let key = self.key("not-before", uid);
        let at_ms = i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        let ms = millis(ttl);
        self.run(|mut c| async move {
            redis::Script::new(SET_NOT_BEFORE)
                .key(key)
                .arg(at_ms)
                .arg(ms)
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(drop)
    }

    async fn not_before(&self, uid: &str) -> FleetResult<Option<OffsetDateTime>> {
        let key = self.key("not-before", uid);
        let ms: Option<i64> = self.run(|mut c| async move { c.get(key).await }).await?;
        ms.map(|ms| {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_err(|_| {
                SharedStateError::Corrupt {
                    backend: BACKEND,
                    what: "not-before",
                }
            })
        })
        .transpose()
    }

    async fn hit(&self, key: &str, window: Duration) -> FleetResult<Hits> {
        let key = self.key("hits", key);
        let ms = millis(window);
        let (count, pttl): (u64, i64) = self
            .run(|mut c| async move {
                redis::pipe()
                    .atomic()
                    .incr(&key, 1)
                    .cmd("PEXPIRE")
                    .arg(&key)
                    .arg(ms)
                    .arg("NX")
                    .ignore()
                    .pttl(&key)
                    .query_async(&mut c)
                    .await
            })
            .await?;
        let resets_in = u64::try_from(pttl).map_or(Duration::ZERO, Duration::from_millis);
        Ok(Hits { count, resets_in })
    }

    async fn clear_hits(&self, key: &str) -> FleetResult<()> {
        let key = self.key("hits", key);
        self.run(|mut c| async move { c.del::<_, i64>(key).await })
            .await
            .map(drop)
    }

    async fn first_sighting(&self, key: &str, ttl: Duration) -> FleetResult<bool> {
        let key = self.key("seen", key);
        let ms = millis(ttl);
        let set: Option<String> = self
            .run(|mut c| async move {
                redis::cmd("SET")
                    .arg(key)
                    .arg(1)
                    .arg("NX")
                    .arg("PX")
                    .arg(ms)
                    .query_async(&mut c)
                    .await
            })
            .await?;
        Ok(set.is_some())
    }

    async fn memo(&self, key: &str) -> FleetResult<Option<Vec<u8>>> {
        let key = self.key("memo", key);
        self.run(|mut c| async move { c.get(key).await }).await
    }

    async fn set_memo(&self, key: &str, value: &[u8], ttl: Duration) -> FleetResult<()> {
        let key = self.key("memo", key);
        let value = value.to_vec();
        let ms = millis(ttl);
        self.run(|mut c| async move {
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(ms)
                .query_async::<()>(&mut c)
                .await
        })
        .await
    }

    fn health(&self) -> Health {
        self.inner
            .health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .health()
    }
}
