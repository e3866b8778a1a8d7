//! [`Authenticator`]: token → user (cached), user + [`Require`] → decision.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use http::HeaderMap;
use tracing::Instrument;
use tracing::field::Empty;

use super::breaker::{DEFAULT_COOL_DOWN, DEFAULT_FAILURE_THRESHOLD};
use super::cache::{self, CachedUser, DEFAULT_MAX_TOKEN_TTL, DEFAULT_MAX_TOKENS, UserCache};
use super::cold::{self, MemoKey, Recalled};
use super::decision::{self, DEFAULT_REALM, DEFAULT_RETRY_AFTER};
use super::extract::{self, Extracted, RequestHeaders, TokenExtractor};
use super::flood::{FloodConfig, FloodGuard, Refused};
use super::grants::{self, Grants, Needs};
use super::inflight::InFlight;
use super::lookup::{CachedDecision, CachedLookup, PendingLookup};
use super::memo::{GrantsMemo, Recall};
use super::permissions::{
    DEFAULT_CONTEXTS_TTL, DEFAULT_DEFINITIONS_TTL, DEFAULT_ROLES_TTL, RoleCacheConfig, RoleData,
};
use super::replica::{self, DEFAULT_BUS_LOSS_TRUST, Replica};
use super::require::{Facts, Outcome};
use super::sessions::{SessionGate, SessionRefused, SessionTimeouts};
use super::token::TokenDigest;
use super::upstream::{
    Budget, DEFAULT_MAX_UPSTREAM_LOOKUPS, DEFAULT_UPSTREAM_DEADLINE, Group, Upstream,
    UpstreamConfig, UpstreamError, UpstreamHealth,
};
use super::{
    AccessToken, AuthenticatedUser, ClientAddr, Decision, Rejection, RejectionKind, Require,
    SessionProof, TrustedProxies, Uid,
};
use crate::client::role_events::RoleChangeListener;
use crate::config::Clock;
use crate::fleet::{
    FleetEvent, Health, InProcess, SessionClaim, SessionRecord, SharedState, SharedStateError,
};
use crate::{Error, LoginRadius};

/// Default number of users whose roles and role contexts are kept.
pub const DEFAULT_MAX_USERS: u64 = 10_000;

/// The longest lifetime any of the authenticator's caches accepts.
pub const MAX_CACHE_TTL: Duration = Duration::from_secs(366 * 24 * 60 * 60);

/// Turns access tokens into [`AuthenticatedUser`]s and decides [`Require`]ments, with caches in
/// front of LoginRadius. Framework-agnostic: the axum and actix adapters call it.
///
/// - Token lookups are cached, keyed by the SHA-256 digest of the token. An entry lives no
///   longer than the token (its expiry as LoginRadius reports it) nor than
///   [`max_token_ttl`](AuthenticatorBuilder::max_token_ttl) (default 5 minutes); reading it never
///   extends it. Simultaneous lookups of one uncached token make one upstream lookup: the
///   validation, then the profile only for a token LoginRadius accepts, so a made-up token
///   costs one call. Failures are never cached as users; a token LoginRadius refused is
///   refused without a call for
///   [`invalid_token_memory`](AuthenticatorBuilder::invalid_token_memory) (default 1 minute).
///   [`logout`](Self::logout) evicts at once.
/// - Made-up tokens from one client: past the
///   [failed lookup limit](AuthenticatorBuilder::failed_lookup_limit) (default 20 a minute,
///   counted in the shared state) its cold lookups are 429 with `Retry-After`
///   ([`authenticate_from`](Self::authenticate_from), the adapters' path); cached users are
///   not affected.
/// - Roles (60 s), role contexts (60 s) and role definitions (10 min) come from the Role API,
///   each cached; role changes made through the same client evict the affected entries.
/// - A warm decision is one cache lookup: the role data a cached user was last decided against
///   is kept with the user, and used while it is fresh (within its caches' lifetimes) and no
///   role change has been published since it was read.
/// - It never allows on doubt: when LoginRadius cannot answer, the decision is 503.
///
/// # When LoginRadius is slow or down
///
/// The upstream work of one decision has one deadline
/// ([`upstream_deadline`](AuthenticatorBuilder::upstream_deadline), default 3 s) covering every
/// attempt and backoff: a retry or a `Retry-After` wait that does not fit is not started, and
/// the answer is a 503 carrying LoginRadius's `Retry-After` when it gave one. A circuit breaker
/// per endpoint group ([`circuit_breaker`](AuthenticatorBuilder::circuit_breaker)) refuses cold
/// lookups at once after a run of failures, until a probe succeeds; a bulkhead
/// ([`max_upstream_lookups`](AuthenticatorBuilder::max_upstream_lookups)) bounds the calls in
/// flight. All three only make a refusal come sooner; cached users are not affected. See
/// [`upstream_health`](Self::upstream_health).
///
/// Cheap to clone (an `Arc` inside). Building it makes no request; built inside a Tokio
/// runtime it spawns one task, the listener of its shared state's bus (otherwise the task starts
/// with the first lookup), which stops when the last clone is dropped.
///
/// # Sessions
///
/// A token read from a registered session (the route helpers' session cookie, whose
/// [`token_source`](crate::web::SessionCookie::token_source) yields
/// [`Extracted::FromSession`]) is accepted only while its session is live in the shared
/// registry: not ended (on any replica), used within the idle timeout, started within the
/// absolute timeout and not before its user's "not before" instant
/// ([`session_timeouts`](AuthenticatorBuilder::session_timeouts)); otherwise 401
/// `invalid_token`. When the registry cannot answer, 503 with `Retry-After`: never a 200,
/// never a sign-out. The answer "live" is kept locally for at most the bus-loss trust window
/// (default 5 s), and the bus evicts it at once when the session or its user's sessions are
/// ended anywhere: the warm path reads the registry at most once per session and window, and
/// writes its `last_seen` at most once a minute. Bearer tokens have no session and are not
/// affected.
///
/// # Several replicas
///
/// Behind a load balancer, give every replica's authenticator the same shared state, e.g. a
/// `loginradius_redis::RedisState` ([`shared_state`](AuthenticatorBuilder::shared_state); the
/// default is a fresh [`InProcess`], this process only). Each replica keeps its local caches;
/// the warm path never asks the shared state. Its bus keeps the caches current:
///
/// - [`logout`](Self::logout) and [`publish`](Self::publish) send [`FleetEvent`]s that every
///   replica applies: a revoked token, a user's sessions ended (password change), a changed
///   profile or roles evict the affected entries everywhere;
/// - role changes made through the client are published the same way;
/// - a new token met by several replicas at once is validated upstream once between them (a
///   short shared memo, never holding the token); any shared-state failure there means
///   validating upstream alone.
///
/// **When the shared state is down**, nothing is allowed on its say-so: its failures are never
/// a reason to allow. While the bus is lost, a cached user or role entry is trusted for at most
/// [`bus_loss_trust`](AuthenticatorBuilder::bus_loss_trust) (default 5 s) since it was
/// validated, then validated upstream again. The loss is logged (a `WARN` event of target
/// `loginradius::auth::replica`) and shows in [`shared_state_health`](Self::shared_state_health).
/// When the bus is back, events may have been missed: every cache is dropped.
///
/// A validation one replica shares with the others is sealed with an HMAC keyed from the API
/// secret and bound to the token's digest, so write access to the shared store alone cannot
/// make a replica accept a token; without an API secret, nothing is shared and each replica
/// validates new tokens itself. Write access can still end sessions or drop caches (events are
/// not signed), so only the app's replicas should reach the store.
///
/// ```
/// # tokio_test::block_on(async {
/// use http::{HeaderMap, HeaderValue, StatusCode};
/// use loginradius::LoginRadius;
/// use loginradius::auth::{Authenticator, Decision, Require};
/// use loginradius::transport::RecordingTransport;
///
/// let transport = RecordingTransport::new();
/// // The lookup of a new token: validation, then the profile; then the user's roles.
/// transport.reply_json(200, serde_json::json!({"access_token": "t0k3n", "expires_in": "2999-01-01T00:00:00Z"}));
/// transport.reply_json(200, serde_json::json!({"Uid": "u-1", "FirstName": "Jane"}));
/// transport.reply_json(200, serde_json::json!({"Roles": ["editor"]}));
///
/// let client = LoginRadius::builder()
///     .api_key("key")
///     .api_secret("secret")
///     .transport(transport.clone())
///     .build()?;
/// let auth = Authenticator::builder(client).build()?;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("authorization", HeaderValue::from_static("Bearer t0k3n"));
///
/// match auth.decide(&headers, &Require::role("editor")).await {
///     Decision::Allow(user) => assert_eq!(user.uid, "u-1"),
///     Decision::Reject(r) => panic!("{r}"),
/// }
/// // Cached: no further request.
/// assert!(auth.decide(&headers, &Require::role("editor")).await.is_allowed());
/// assert_eq!(transport.len(), 3);
///
/// // Missing role: 403; no token: 401.
/// let Decision::Reject(r) = auth.decide(&headers, &Require::role("admin")).await else { panic!() };
/// assert_eq!(r.status(), StatusCode::FORBIDDEN);
/// let Decision::Reject(r) = auth.decide(&HeaderMap::new(), &Require::authenticated()).await else { panic!() };
/// assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
/// # Ok::<(), loginradius::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct Authenticator {
    shared: Arc<Shared>,
}

struct Shared {
    client: LoginRadius,
    users: UserCache,
    /// The cold lookups in flight: one per token, shared by its simultaneous callers.
    in_flight: InFlight<TokenDigest, Result<CachedUser, Arc<Failure>>>,
    roles: Arc<RoleData>,
    /// The deadline, circuits and bulkhead of the upstream lookups.
    upstream: Arc<Upstream>,
    /// The same caches, with the shared state and the bus that keeps them current.
    replica: Arc<Replica>,
    /// Seals the validations shared with the other replicas; none without an API secret.
    memo_key: Option<MemoKey>,
    extractor: TokenExtractor,
    realm: Cow<'static, str>,
    max_token_ttl: Duration,
    retry_after: Duration,
    clock: Clock,
    validate_tokens: bool,
    verbose: bool,
    /// The proxies whose forwarding headers name the client.
    trusted_proxies: TrustedProxies,
    /// Remembered refused tokens and failed lookups per client.
    flood: FloodGuard,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.shared;
        f.debug_struct("Authenticator")
            .field("realm", &s.realm)
            .field("extractor", &s.extractor)
            .field("max_token_ttl", &s.max_token_ttl)
            .field("validate_tokens", &s.validate_tokens)
            .field("cached_tokens", &s.users.entry_count())
            .field("shared_state", &s.replica.fleet)
            .field("bus_down", &s.replica.is_bus_down())
            .field("upstream", &s.upstream.health())
            .finish_non_exhaustive()
    }
}

/// Builds an [`Authenticator`]. From [`Authenticator::builder`].
#[derive(Debug)]
#[must_use]
pub struct AuthenticatorBuilder {
    client: LoginRadius,
    max_token_ttl: Duration,
    max_tokens: u64,
    max_users: u64,
    roles_ttl: Duration,
    contexts_ttl: Duration,
    definitions_ttl: Duration,
    extractor: TokenExtractor,
    realm: Cow<'static, str>,
    retry_after: Duration,
    clock: Option<Clock>,
    validate_tokens: bool,
    verbose: bool,
    shared_state: Option<Arc<dyn SharedState>>,
    bus_loss_trust: Duration,
    session_timeouts: SessionTimeouts,
    upstream_deadline: Duration,
    max_upstream_lookups: usize,
    failure_threshold: u32,
    cool_down: Duration,
    trusted_proxies: TrustedProxies,
    flood: FloodConfig,
}

impl AuthenticatorBuilder {
    /// The state shared with the other replicas of the app (default: a fresh [`InProcess`],
    /// this authenticator alone). See [Several replicas](Authenticator#several-replicas).
    pub fn shared_state(mut self, state: Arc<dyn SharedState>) -> Self {
        self.shared_state = Some(state);
        self
    }

    /// While the shared state's bus is lost, how long after its validation a cached user or
    /// role entry is still used before it is validated upstream again (default
    /// [`DEFAULT_BUS_LOSS_TRUST`], 5 s).
    pub fn bus_loss_trust(mut self, trust: Duration) -> Self {
        self.bus_loss_trust = trust;
        self
    }

    /// The idle and absolute timeouts of sessions read from a session cookie (default 30
    /// minutes and 12 hours). See [Sessions](Authenticator#sessions).
    pub fn session_timeouts(mut self, timeouts: SessionTimeouts) -> Self {
        self.session_timeouts = timeouts;
        self
    }

    /// The total time the upstream work of one decision may take while its request waits
    /// (default [`DEFAULT_UPSTREAM_DEADLINE`], 3 s): token validation, profile, roles, role
    /// contexts and definitions, every attempt and every backoff included. A retry or a
    /// `Retry-After` wait that does not fit is not started: the answer is a 503 at once, with
    /// LoginRadius's `Retry-After` when it gave one. Calls made outside a decision keep the
    /// client's own timeouts.
    pub fn upstream_deadline(mut self, deadline: Duration) -> Self {
        self.upstream_deadline = deadline;
        self
    }

    /// The most upstream calls this authenticator has in flight at once (default
    /// [`DEFAULT_MAX_UPSTREAM_LOOKUPS`], 32; size it for the transport's connection pool).
    /// Further lookups wait for a place within their deadline, else are refused with 503.
    /// Simultaneous lookups of one token still make one call.
    pub fn max_upstream_lookups(mut self, max: usize) -> Self {
        self.max_upstream_lookups = max;
        self
    }

    /// The circuit breakers of the upstream lookups, one for token validation and profiles,
    /// one for the Role API: after `failure_threshold` consecutive failures (timeouts, 5xx,
    /// 429, unreadable answers, transport failures; not 4xx answers such as an invalid token)
    /// lookups are refused at once with 503 for `cool_down`, then one probe is let through;
    /// its success closes the circuit (defaults [`DEFAULT_FAILURE_THRESHOLD`], 5, and
    /// [`DEFAULT_COOL_DOWN`], 10 s). See [`Authenticator::upstream_health`].
    pub fn circuit_breaker(mut self, failure_threshold: u32, cool_down: Duration) -> Self {
        self.failure_threshold = failure_threshold;
        self.cool_down = cool_down;
        self
    }

    /// The longest a token lookup is cached (default 5 minutes). Entries also never outlive
    /// the token itself.
    pub fn max_token_ttl(mut self, ttl: Duration) -> Self {
        self.max_token_ttl = ttl;
        self
    }

    /// How many token lookups are kept at most (default 10,000).
    pub fn max_cached_tokens(mut self, count: u64) -> Self {
        self.max_tokens = count;
        self
    }

    /// How many users' roles and role contexts are kept at most (default 10,000).
    pub fn max_cached_users(mut self, count: u64) -> Self {
        self.max_users = count;
        self
    }

    /// How long a user's roles are cached (default 60 s).
    pub fn roles_ttl(mut self, ttl: Duration) -> Self {
        self.roles_ttl = ttl;
        self
    }

    /// How long a user's role contexts are cached (default 60 s). Their expiry is checked at
    /// each decision regardless.
    pub fn role_contexts_ttl(mut self, ttl: Duration) -> Self {
        self.contexts_ttl = ttl;
        self
    }

    /// How long the role definitions (role → permissions) are cached (default 10 minutes).
    pub fn role_definitions_ttl(mut self, ttl: Duration) -> Self {
        self.definitions_ttl = ttl;
        self
    }

    /// Where tokens are read from (default: the `Authorization: Bearer` header only).
    pub fn token_sources(mut self, extractor: TokenExtractor) -> Self {
        self.extractor = extractor;
        self
    }

    /// The realm of `WWW-Authenticate` (default `loginradius`). Printable ASCII without `"` or
    /// `\`.
    pub fn realm(mut self, realm: impl Into<Cow<'static, str>>) -> Self {
        self.realm = realm.into();
        self
    }

    /// The `Retry-After` of a 503 when LoginRadius gave no delay of its own (default 5 s).
    pub fn retry_after(mut self, delay: Duration) -> Self {
        self.retry_after = delay;
        self
    }

    /// The clock used for token expiry and role-context expiry (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Whether a new token is checked with the validation endpoint
    /// (`GET /identity/v2/auth/access_token/validate`, which also gives its expiry) alongside
    /// the profile read (default `true`). With `false`, only the profile is read and entries
    /// live [`max_token_ttl`](Self::max_token_ttl).
    pub fn validate_tokens(mut self, on: bool) -> Self {
        self.validate_tokens = on;
        self
    }

    /// Say in 403 and 500 bodies what was missing or misconfigured (default `false`: terse
    /// messages, details only in logs).
    pub fn verbose_errors(mut self, on: bool) -> Self {
        self.verbose = on;
        self
    }

    /// The proxies whose `X-Forwarded-For` / `Forwarded` headers name the client (default:
    /// none, the client is the connection's peer). See [`ClientAddr::resolve`].
    pub fn trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// At most `max` failed token lookups per client in `window` (default
    /// [`DEFAULT_MAX_FAILED_LOOKUPS`](super::DEFAULT_MAX_FAILED_LOOKUPS) in
    /// [`DEFAULT_FAILED_LOOKUP_WINDOW`](super::DEFAULT_FAILED_LOOKUP_WINDOW)); past it, the
    /// client's cold lookups are refused with 429 and `Retry-After` until the window ends.
    /// Counted in the shared state, so the limit holds for a fleet. Applies to
    /// [`Authenticator::authenticate_from`] (the adapters' path).
    pub fn failed_lookup_limit(mut self, max: u64, window: Duration) -> Self {
        self.flood.max_failures = max;
        self.flood.window = window;
        self
    }

    /// How long a token LoginRadius refused is refused without asking again (default
    /// [`DEFAULT_INVALID_TOKEN_MEMORY`](super::DEFAULT_INVALID_TOKEN_MEMORY)).
    pub fn invalid_token_memory(mut self, memory: Duration) -> Self {
        self.flood.memory = memory;
        self
    }

    /// Checks the settings and builds the authenticator. Sends nothing; inside a Tokio runtime,
    /// spawns the listener of the shared state's bus.
    pub fn build(self) -> Result<Authenticator, Error> {
        let positive = |name: &str, d: Duration| {
            if d.is_zero() {
                Err(Error::Config(format!(
                    "the authenticator's {name} must be positive"
                )))
            } else {
                Ok(())
            }
        };
        let lifetime = |name: &str, d: Duration| {
            positive(name, d)?;
            if d > MAX_CACHE_TTL {
                Err(Error::Config(format!(
                    "the authenticator's {name} must be at most a year"
                )))
            } else {
                Ok(())
            }
        };
        lifetime("max token TTL", self.max_token_ttl)?;
        lifetime("roles TTL", self.roles_ttl)?;
        lifetime("role contexts TTL", self.contexts_ttl)?;
        lifetime("role definitions TTL", self.definitions_ttl)?;
        positive("Retry-After", self.retry_after)?;
        lifetime("bus loss trust", self.bus_loss_trust)?;
        lifetime("upstream deadline", self.upstream_deadline)?;
        lifetime("session idle timeout", self.session_timeouts.idle)?;
        lifetime("session absolute timeout", self.session_timeouts.absolute)?;
        lifetime("circuit breaker cool-down", self.cool_down)?;
        lifetime("failed lookup window", self.flood.window)?;
        lifetime("invalid token memory", self.flood.memory)?;
        if self.flood.max_failures == 0 {
            return Err(Error::Config(
                "the authenticator's failed lookup limit must be positive".into(),
            ));
        }
        if self.max_upstream_lookups == 0
            || self.max_upstream_lookups > tokio::sync::Semaphore::MAX_PERMITS
            || self.failure_threshold == 0
        {
            return Err(Error::Config(
                "the authenticator's upstream lookups and failure threshold must be positive"
                    .into(),
            ));
        }
        let upstream = Arc::new(Upstream::new(UpstreamConfig {
            deadline: self.upstream_deadline,
            max_in_flight: self.max_upstream_lookups,
            failure_threshold: self.failure_threshold,
            cool_down: self.cool_down,
        }));
        if self.max_tokens == 0 || self.max_users == 0 {
            return Err(Error::Config(
                "the authenticator's cache capacities must be positive".into(),
            ));
        }
        if !decision::is_valid_realm(&self.realm) {
            return Err(Error::Config(
                "the realm must be non-empty printable ASCII without `\"` or `\\`".into(),
            ));
        }
        if self.extractor.sources().is_empty() {
            return Err(Error::Config(
                "the authenticator needs at least one token source".into(),
            ));
        }
        let roles = Arc::new(RoleData::new(
            self.client.clone(),
            RoleCacheConfig {
                roles_ttl: self.roles_ttl,
                contexts_ttl: self.contexts_ttl,
                definitions_ttl: self.definitions_ttl,
                max_users: self.max_users,
            },
            Arc::clone(&upstream),
        ));
        let users = cache::user_cache(self.max_tokens);
        let fleet = self
            .shared_state
            .unwrap_or_else(|| Arc::new(InProcess::new()));
        let clock = self.clock.unwrap_or_else(Clock::system);
        let sessions = SessionGate::new(
            Arc::clone(&fleet),
            self.session_timeouts,
            self.bus_loss_trust,
            clock.clone(),
        );
        let replica = Arc::new(Replica::new(
            users.clone(),
            Arc::clone(&roles),
            fleet,
            sessions,
            self.bus_loss_trust,
        ));
        replica.ensure_listening();
        let weak: Weak<Replica> = Arc::downgrade(&replica);
        let weak: Weak<dyn RoleChangeListener> = weak;
        self.client.role_events.subscribe(weak);
        let memo_key = self
            .client
            .config
            .api_secret
            .as_ref()
            .and_then(|secret| MemoKey::derive(secret.expose()));
        Ok(Authenticator {
            shared: Arc::new(Shared {
                users,
                client: self.client,
                in_flight: InFlight::default(),
                roles,
                upstream,
                replica,
                memo_key,
                extractor: self.extractor,
                realm: self.realm,
                max_token_ttl: self.max_token_ttl,
                retry_after: self.retry_after,
                clock,
                validate_tokens: self.validate_tokens,
                verbose: self.verbose,
                trusted_proxies: self.trusted_proxies,
                flood: FloodGuard::new(self.flood),
            }),
        })
    }
}

/// Why a lookup failed, as far as a decision goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    Invalid,
    Expired,
    Unavailable(Option<Duration>),
    Misconfigured(String),
}

impl Failure {
    /// Classifies an error of a token call: invalid, expired or missing tokens are 401; a
    /// configuration error is 500; everything else (outages and anything unknown) is 503.
    fn of_token_call(e: &Error) -> Self {
        if e.is_expired_token() {
            Self::Expired
        } else if e.is_invalid_token() || matches!(e, Error::InvalidInput { .. }) {
            Self::Invalid
        } else {
            Self::of_role_call(e)
        }
    }

    /// Classifies an error of a Role API call: a configuration error is 500, anything else 503.
    fn of_role_call(e: &Error) -> Self {
        match e {
            Error::Config(message) => Self::Misconfigured(message.clone()),
            Error::RateLimited { retry_after } => Self::Unavailable(*retry_after),
            _ => Self::Unavailable(None),
        }
    }

    /// Classifies a guarded token call's failure: a refusal of the guard is 503 (with what is
    /// left of an open circuit's cool-down).
    fn of_token_upstream(e: &UpstreamError) -> Self {
        match e {
            UpstreamError::Call(e) => Self::of_token_call(e),
            refused => Self::of_refusal(refused),
        }
    }

    /// Classifies a guarded Role API call's failure.
    fn of_role_upstream(e: &UpstreamError) -> Self {
        match e {
            UpstreamError::Call(e) => Self::of_role_call(e),
            refused => Self::of_refusal(refused),
        }
    }

    fn of_refusal(e: &UpstreamError) -> Self {
        match e {
            UpstreamError::Open { retry_after, .. } => Self::Unavailable(Some(*retry_after)),
            _ => Self::Unavailable(None),
        }
    }
}

impl Authenticator {
    /// A builder on `client`, with the defaults described on [`AuthenticatorBuilder`]'s
    /// setters.
    pub fn builder(client: LoginRadius) -> AuthenticatorBuilder {
        AuthenticatorBuilder {
            client,
            max_token_ttl: DEFAULT_MAX_TOKEN_TTL,
            max_tokens: DEFAULT_MAX_TOKENS,
            max_users: DEFAULT_MAX_USERS,
            roles_ttl: DEFAULT_ROLES_TTL,
            contexts_ttl: DEFAULT_CONTEXTS_TTL,
            definitions_ttl: DEFAULT_DEFINITIONS_TTL,
            extractor: TokenExtractor::default(),
            realm: Cow::Borrowed(DEFAULT_REALM),
            retry_after: DEFAULT_RETRY_AFTER,
            clock: None,
            validate_tokens: true,
            verbose: false,
            shared_state: None,
            bus_loss_trust: DEFAULT_BUS_LOSS_TRUST,
            session_timeouts: SessionTimeouts::default(),
            upstream_deadline: DEFAULT_UPSTREAM_DEADLINE,
            max_upstream_lookups: DEFAULT_MAX_UPSTREAM_LOOKUPS,
            failure_threshold: DEFAULT_FAILURE_THRESHOLD,
            cool_down: DEFAULT_COOL_DOWN,
            trusted_proxies: TrustedProxies::none(),
            flood: FloodConfig::default(),
        }
    }

    /// The proxies whose forwarding headers name the client
    /// ([`AuthenticatorBuilder::trusted_proxies`]).
    pub fn trusted_proxies(&self) -> &TrustedProxies {
        &self.shared.trusted_proxies
    }

    /// The client of a request from `peer` (the connection's remote address; `None` when the
    /// server does not give it) with `headers`, by the
    /// [trusted proxies](AuthenticatorBuilder::trusted_proxies).
    pub fn client_addr(&self, peer: Option<std::net::IpAddr>, headers: &HeaderMap) -> ClientAddr {
        ClientAddr::resolve(peer, headers, &self.shared.trusted_proxies)
    }

    /// The client it calls.
    pub fn client(&self) -> &LoginRadius {
        &self.shared.client
    }

    /// The token sources.
    pub fn token_sources(&self) -> &TokenExtractor {
        &self.shared.extractor
    }

    /// A rejection of `kind` with this authenticator's realm and default message.
    pub fn reject(&self, kind: RejectionKind) -> Rejection {
        let rejection = Rejection::new(kind).with_realm(self.shared.realm.clone());
        if kind == RejectionKind::Unavailable {
            rejection.with_retry_after(self.shared.retry_after)
        } else {
            rejection
        }
    }

    fn reject_for(&self, failure: &Failure) -> Rejection {
        match failure {
            Failure::Invalid => self.reject(RejectionKind::InvalidToken),
            Failure::Expired => self.reject(RejectionKind::ExpiredToken),
            Failure::Unavailable(retry_after) => {
                let rejection = self.reject(RejectionKind::Unavailable);
                match retry_after {
                    Some(delay) => rejection.with_retry_after(*delay),
                    None => rejection,
                }
            }
            Failure::Misconfigured(message) => {
                tracing::error!(reason = %message, "authentication is misconfigured");
                let rejection = self.reject(RejectionKind::Misconfigured);
                if self.shared.verbose {
                    rejection.with_message(message.clone())
                } else {
                    rejection
                }
            }
        }
    }

    /// Reads the request's token from the configured sources: `Ok(None)` when there is none,
    /// a 401 `invalid_token` rejection when what is there cannot be a token.
    pub fn extract(&self, headers: &HeaderMap) -> Result<Option<AccessToken>, Rejection> {
        Ok(self.extract_claimed(headers)?.map(|(token, _)| token))
    }

    /// [`extract`](Self::extract), with the session the token was read from, if any.
    fn extract_claimed(
        &self,
        headers: &impl RequestHeaders,
    ) -> Result<Option<(AccessToken, Option<SessionClaim>)>, Rejection> {
        match self.shared.extractor.extract_from(headers) {
            Extracted::Missing => Ok(None),
            Extracted::Found(token) => Ok(Some((token, None))),
            Extracted::FromSession { token, session } => Ok(Some((token, Some(session)))),
            Extracted::Malformed => Err(self.reject(RejectionKind::InvalidToken)),
        }
    }

    /// Whether the session `claim` is live in the shared registry (see
    /// [Sessions](Authenticator#sessions)): its registry entry, or
    /// [`SessionRefused::Ended`] (401) or [`SessionRefused::Unavailable`] (503). Answers are
    /// cached for at most the bus-loss trust window, and evicted by the bus at once.
    pub async fn check_session(
        &self,
        claim: &SessionClaim,
    ) -> Result<SessionRecord, SessionRefused> {
        self.shared.replica.ensure_listening();
        self.shared.replica.sessions.check(claim).await
    }

    /// The session timeouts (see
    /// [`session_timeouts`](AuthenticatorBuilder::session_timeouts)).
    pub fn session_timeouts(&self) -> SessionTimeouts {
        self.shared.replica.sessions.timeouts()
    }

    /// Now, by the authenticator's [clock](AuthenticatorBuilder::clock): sessions' times are
    /// read with it.
    pub fn now(&self) -> time::OffsetDateTime {
        self.shared.replica.sessions.now()
    }

    /// The rejection of a session [`check_session`](Self::check_session) refused.
    pub fn reject_session(&self, refused: &SessionRefused) -> Rejection {
        match refused {
            SessionRefused::Ended => self
                .reject(RejectionKind::InvalidToken)
                .with_message("the session has ended"),
            SessionRefused::Unavailable(e) => {
                tracing::warn!(error = %e, "session registry unavailable: refusing");
                self.reject(RejectionKind::Unavailable)
            }
        }
    }

    /// The user of the request's token: 401 when there is none or it is invalid or expired,
    /// 503 when LoginRadius cannot answer.
    pub async fn authenticate_headers(
        &self,
        headers: &HeaderMap,
    ) -> Result<AuthenticatedUser, Rejection> {
        self.authenticate_headers_within(headers, None, &self.budget())
            .await
    }

    /// [`authenticate_headers`](Self::authenticate_headers) for a request of `client` (see
    /// [`client_addr`](Self::client_addr)), with the token-flood defences: a token LoginRadius
    /// refused recently is refused without a call, and past the
    /// [failed lookup limit](AuthenticatorBuilder::failed_lookup_limit) the client's cold
    /// lookups are 429 with `Retry-After` (503 when the shared state cannot say). A cached
    /// valid token is served as by `authenticate_headers`, with no shared-state call. The
    /// adapters' layer, extractors and guards use this.
    pub async fn authenticate_from(
        &self,
        headers: &HeaderMap,
        client: &ClientAddr,
    ) -> Result<AuthenticatedUser, Rejection> {
        self.authenticate_headers_within(headers, Some(client), &self.budget())
            .await
    }

    /// [`authenticate_headers`](Self::authenticate_headers) within `budget`, the request's
    /// budget when its decision is made in several steps (see [`Budget`]): first
    /// [`authenticate_cached`](Self::authenticate_cached), then, only when the caches cannot
    /// say, [`authenticate_pending`](Self::authenticate_pending).
    pub async fn authenticate_headers_within(
        &self,
        headers: &HeaderMap,
        client: Option<&ClientAddr>,
        budget: &Budget,
    ) -> Result<AuthenticatedUser, Rejection> {
        match self.authenticate_cached(headers) {
            CachedLookup::Decided(result) => result,
            CachedLookup::Pending(pending) => {
                self.authenticate_pending(pending, client, budget).await
            }
        }
    }

    /// The warm path of [`authenticate_headers_within`](Self::authenticate_headers_within),
    /// with no `await`: what this replica's caches alone say of the request's token. Decided
    /// when there is no token, when what is there cannot be one, or when the token's user is
    /// cached (and, for a session, the session's "live" answer too); otherwise
    /// [`CachedLookup::Pending`], for [`authenticate_pending`](Self::authenticate_pending) to
    /// finish. A decision made here is the one the async path would make. The headers are an
    /// `http` [`HeaderMap`], or an adapter's own (see [`RequestHeaders`]).
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// use http::{HeaderMap, HeaderValue};
    /// use loginradius::LoginRadius;
    /// use loginradius::auth::{Authenticator, CachedLookup};
    /// use loginradius::transport::RecordingTransport;
    ///
    /// let transport = RecordingTransport::new();
    /// transport.reply_json(200, serde_json::json!({"access_token": "t0k3n", "expires_in": "2999-01-01T00:00:00Z"}));
    /// transport.reply_json(200, serde_json::json!({"Uid": "u-1"}));
    /// let client = LoginRadius::builder().api_key("key").api_secret("secret")
    ///     .transport(transport.clone()).build()?;
    /// let auth = Authenticator::builder(client).build()?;
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer t0k3n"));
    ///
    /// // A new token: the caches cannot say; one lookup finishes it (and caches the user).
    /// let CachedLookup::Pending(pending) = auth.authenticate_cached(&headers) else { panic!() };
    /// let user = auth.authenticate_pending(pending, None, &auth.budget()).await.unwrap();
    /// assert_eq!(user.uid, "u-1");
    /// // Now decided at once.
    /// let CachedLookup::Decided(Ok(user)) = auth.authenticate_cached(&headers) else { panic!() };
    /// assert_eq!(user.uid, "u-1");
    /// assert_eq!(transport.len(), 2);
    /// // No token: decided at once too.
    /// let CachedLookup::Decided(Err(rejection)) = auth.authenticate_cached(&HeaderMap::new()) else { panic!() };
    /// assert_eq!(rejection.code(), "missing_token");
    /// # Ok::<(), loginradius::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn authenticate_cached(&self, headers: &impl RequestHeaders) -> CachedLookup {
        self.authenticate_cached_at(headers, &mut Now::new(&self.shared.clock))
    }

    /// [`authenticate_cached`](Self::authenticate_cached) then, when the user is decided,
    /// [`authorize_cached`](Self::authorize_cached) of `require`, reading the clock once: the
    /// guards' warm path. The verdict is `Some` only when the user is decided and the caches
    /// decide `require` too.
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// use http::{HeaderMap, HeaderValue};
    /// use loginradius::LoginRadius;
    /// use loginradius::auth::{Authenticator, CachedDecision, CachedLookup, Require};
    /// use loginradius::transport::RecordingTransport;
    ///
    /// let transport = RecordingTransport::new();
    /// transport.reply_json(200, serde_json::json!({"access_token": "t0k3n", "expires_in": "2999-01-01T00:00:00Z"}));
    /// transport.reply_json(200, serde_json::json!({"Uid": "u-1"}));
    /// let client = LoginRadius::builder().api_key("key").api_secret("secret")
    ///     .transport(transport.clone()).build()?;
    /// let auth = Authenticator::builder(client).build()?;
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer t0k3n"));
    /// auth.authenticate_headers(&headers).await.unwrap();
    ///
    /// let CachedDecision { lookup, verdict, .. } = auth.decide_cached(&headers, &Require::authenticated());
    /// assert!(matches!(lookup, CachedLookup::Decided(Ok(_))));
    /// assert_eq!(verdict, Some(Ok(())));
    /// # Ok::<(), loginradius::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn decide_cached(
        &self,
        headers: &impl RequestHeaders,
        require: &Require,
    ) -> CachedDecision {
        let mut now = Now::new(&self.shared.clock);
        let lookup = self.authenticate_cached_at(headers, &mut now);
        let verdict = match &lookup {
            CachedLookup::Decided(Ok(user)) => self.authorize_cached_at(user, require, &mut now),
            _ => None,
        };
        CachedDecision { lookup, verdict }
    }

    fn authenticate_cached_at(
        &self,
        headers: &impl RequestHeaders,
        now: &mut Now<'_>,
    ) -> CachedLookup {
        let (token, claim) = match self.extract_claimed(headers) {
            Ok(Some(found)) => found,
            Ok(None) => {
                return CachedLookup::Decided(Err(self.reject(RejectionKind::MissingToken)));
            }
            Err(rejection) => return CachedLookup::Decided(Err(rejection)),
        };
        let key = token.digest();
        let pending = |token, claim, missed| {
            CachedLookup::Pending(PendingLookup {
                token,
                claim,
                key,
                missed,
            })
        };
        // With spans wanted, the instrumented path decides.
        if spans_wanted() {
            return pending(token, claim, false);
        }
        let Some(claim) = claim else {
            // A Bearer token: the cache alone decides.
            return match self.cached_user(&key, token, now) {
                Ok(result) => CachedLookup::Decided(result),
                Err(token) => pending(token, None, true),
            };
        };
        self.shared.replica.ensure_listening();
        let Some(record) = self.shared.replica.sessions.check_cached(&claim) else {
            return pending(token, Some(claim), false);
        };
        match self.cached_user(&key, token, now) {
            Ok(result) => CachedLookup::Decided(
                result.and_then(|user| self.in_session(user, &claim, &record)),
            ),
            Err(token) => pending(token, Some(claim), true),
        }
    }

    /// The user of `token` (digest `key`) from the token cache, counted as a decision; the
    /// token back when the cache does not hold it.
    fn cached_user(
        &self,
        key: &TokenDigest,
        token: AccessToken,
        now: &mut Now<'_>,
    ) -> Result<Result<AuthenticatedUser, Rejection>, AccessToken> {
        let Some(entry) = self.cached_entry(key) else {
            return Err(token);
        };
        let result = self.user_of_entry(key, entry, Cow::Owned(token), now);
        record_decision(crate::metrics::Stage::Authenticate, &result);
        Ok(result)
    }

    /// Finishes a lookup [`authenticate_cached`](Self::authenticate_cached) could not decide,
    /// for a request of `client` (the token-flood defences, see
    /// [`authenticate_from`](Self::authenticate_from)) within `budget`: the session is checked
    /// in the shared registry when the caches could not say, then the token's user is looked up
    /// (once for every simultaneous caller of the same token).
    pub async fn authenticate_pending(
        &self,
        pending: PendingLookup,
        client: Option<&ClientAddr>,
        budget: &Budget,
    ) -> Result<AuthenticatedUser, Rejection> {
        let PendingLookup {
            token,
            claim,
            key,
            missed,
        } = pending;
        let Some(claim) = claim else {
            // The extracted token is moved into the user: no copy of it.
            return self
                .authenticate_token(Cow::Owned(token), key, missed, client, budget)
                .await;
        };
        // An ended session is refused before its token costs an upstream lookup.
        let record = self
            .check_session(&claim)
            .await
            .map_err(|refused| self.reject_session(&refused))?;
        let user = self
            .authenticate_token(Cow::Owned(token), key, missed, client, budget)
            .await?;
        self.in_session(user, &claim, &record)
    }

    /// The user of a token read from the session `claim`, live as `record`: refused when the
    /// token belongs to another user, else carrying the session's proof.
    fn in_session(
        &self,
        mut user: AuthenticatedUser,
        claim: &SessionClaim,
        record: &SessionRecord,
    ) -> Result<AuthenticatedUser, Rejection> {
        if user.uid.as_str() != claim.uid {
            tracing::warn!("a session's token belongs to another user: refused");
            return Err(self.reject(RejectionKind::InvalidToken));
        }
        user.session = Some(SessionProof::of(record));
        Ok(user)
    }

    /// A fresh time budget for the upstream work of one request, of
    /// [`upstream_deadline`](AuthenticatorBuilder::upstream_deadline). Its clock starts at the
    /// first upstream call made within it.
    pub fn budget(&self) -> Budget {
        Budget::new(self.shared.upstream.total)
    }

    /// The state of the upstream guard: both circuits (token lookups, Role API) and the
    /// lookups in flight. While a circuit is open, cold lookups of its group are refused with
    /// 503 at once; cached users keep working. Transitions are logged with target
    /// `loginradius::auth::breaker` (`WARN` when a circuit opens, `INFO` when it half-opens or
    /// closes).
    pub fn upstream_health(&self) -> UpstreamHealth {
        self.shared.upstream.health()
    }

    /// Like [`authenticate_headers`](Self::authenticate_headers), but a missing, invalid or
    /// expired token gives `Ok(None)` (an anonymous request); only an outage or a
    /// misconfiguration is an error.
    pub async fn authenticate_optional(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<AuthenticatedUser>, Rejection> {
        match self.authenticate_headers(headers).await {
            Ok(user) => Ok(Some(user)),
            Err(rejection) if rejection.is_unauthenticated() => Ok(None),
            Err(rejection) => Err(rejection),
        }
    }

    /// The user who owns `token`: from the cache, or from LoginRadius (one upstream lookup
    /// however many callers ask for the same uncached token at once). A token that cannot be
    /// one (see [`TokenExtractor`]) is refused as invalid without a lookup.
    pub async fn authenticate(&self, token: &AccessToken) -> Result<AuthenticatedUser, Rejection> {
        if !extract::is_acceptable(token.expose()) {
            return Err(self.reject(RejectionKind::InvalidToken));
        }
        self.authenticate_token(
            Cow::Borrowed(token),
            token.digest(),
            false,
            None,
            &self.budget(),
        )
        .await
    }

    /// [`authenticate`](Self::authenticate) on an acceptable token, borrowed (copied into the
    /// user) or owned (moved into it), whose digest is `key`; `missed` when the cache was asked
    /// for it already (and missed).
    async fn authenticate_token(
        &self,
        token: Cow<'_, AccessToken>,
        key: TokenDigest,
        missed: bool,
        client: Option<&ClientAddr>,
        budget: &Budget,
    ) -> Result<AuthenticatedUser, Rejection> {
        let span = if spans_wanted() {
            tracing::debug_span!(
                "loginradius.auth.authenticate",
                cache = Empty,
                outcome = Empty
            )
        } else {
            tracing::Span::none()
        };
        // Without a subscriber interested in the span, skip entering it on every poll.
        if span.is_disabled() {
            let result = self
                .authenticate_inner(token, key, missed, client, &span, budget)
                .await;
            record_decision(crate::metrics::Stage::Authenticate, &result);
            return result;
        }
        let result = self
            .authenticate_inner(token, key, missed, client, &span, budget)
            .instrument(span.clone())
            .await;
        record_decision(crate::metrics::Stage::Authenticate, &result);
        match &result {
            Ok(_) => span.record("outcome", "allow"),
            Err(r) => span.record("outcome", r.code()),
        };
        result
    }

    async fn authenticate_inner(
        &self,
        token: Cow<'_, AccessToken>,
        key: TokenDigest,
        missed: bool,
        client: Option<&ClientAddr>,
        span: &tracing::Span,
        budget: &Budget,
    ) -> Result<AuthenticatedUser, Rejection> {
        // The warm path: a plain lookup, no fetch future built. A miss goes to the coalescing
        // path (boxed, so this future stays small), which looks again before fetching.
        let cached = if missed {
            None
        } else {
            self.cached_entry(&key)
        };
        let result = match cached {
            Some(entry) => {
                if !span.is_disabled() {
                    span.record("cache", "hit");
                }
                Ok(entry)
            }
            None => Box::pin(self.fetch_cold(&key, &token, client, span, budget)).await?,
        };
        match result {
            Ok(entry) => self.user_of_entry(&key, entry, token, &mut Now::new(&self.shared.clock)),
            Err(failure) => Err(self.reject_for(&failure)),
        }
    }

    /// The cached entry of `key`, counted as a hit or a miss. While the bus is down, an entry
    /// validated too long ago is dropped and counts as a miss: it is validated again.
    fn cached_entry(&self, key: &TokenDigest) -> Option<CachedUser> {
        let entry = self.shared.users.get(key).filter(|entry| {
            let stale = self
                .shared
                .replica
                .cutoff()
                .is_some_and(|cutoff| entry.validated_at < cutoff);
            if stale {
                self.shared.users.invalidate(key);
            }
            !stale
        });
        crate::metrics::token_cache(entry.is_some());
        entry
    }

    /// The user of the cache entry `entry` of the token `token` (digest `key`): refused, and
    /// the entry dropped, when the token has expired meanwhile.
    fn user_of_entry(
        &self,
        key: &TokenDigest,
        entry: CachedUser,
        token: Cow<'_, AccessToken>,
        now: &mut Now<'_>,
    ) -> Result<AuthenticatedUser, Rejection> {
        if entry.expires_at.is_some() && grants::has_passed(entry.expires_at, now.get()) {
            self.shared.users.invalidate(key);
            return Err(self.reject(RejectionKind::ExpiredToken));
        }
        Ok(entry.into_user(token.into_owned()))
    }

    /// A token the cache does not hold: refused at once when LoginRadius refused it recently;
    /// for a counted `client`, refused with 429 past its failed-lookup limit (503 when the
    /// shared state cannot say); else [`fetch_user`](Self::fetch_user), a failure counted
    /// against the client and a refused token remembered. The outer `Err` is the answer; the
    /// inner result is the lookup's.
    async fn fetch_cold(
        &self,
        key: &TokenDigest,
        token: &AccessToken,
        client: Option<&ClientAddr>,
        span: &tracing::Span,
        budget: &Budget,
    ) -> Result<Result<CachedUser, Arc<Failure>>, Rejection> {
        let flood = &self.shared.flood;
        match flood.refused(key).await {
            Some(true) => return Err(self.reject(RejectionKind::ExpiredToken)),
            Some(false) => return Err(self.reject(RejectionKind::InvalidToken)),
            None => {}
        }
        let fleet = &*self.shared.replica.fleet;
        if let Some(client) = client {
            match flood.admit(fleet, client).await {
                Ok(()) => {}
                Err(Refused::TooMany(left)) => {
                    return Err(self
                        .reject(RejectionKind::TooManyRequests)
                        .with_retry_after(left));
                }
                Err(Refused::Unavailable) => return Err(self.reject(RejectionKind::Unavailable)),
            }
        }
        let result = self.fetch_user(key, token, span, budget).await;
        if let Err(failure) = &result
            && matches!(**failure, Failure::Invalid | Failure::Expired)
        {
            flood
                .remember_refused(key, **failure == Failure::Expired)
                .await;
            if let Some(client) = client
                && let Err(e) = flood.failed(fleet, client).await
            {
                tracing::warn!(error = %e, "could not count a failed token lookup");
            }
        }
        Ok(result)
    }

    /// The cached entry of `key`, or one lookup of `token` shared by every simultaneous caller
    /// (and by the other replicas, see [`lookup_across_fleet`](Self::lookup_across_fleet));
    /// failures are not cached, nor is a lookup that overlapped an eviction of cached users.
    async fn fetch_user(
        &self,
        key: &TokenDigest,
        token: &AccessToken,
        span: &tracing::Span,
        budget: &Budget,
    ) -> Result<CachedUser, Arc<Failure>> {
        self.shared.replica.ensure_listening();
        let generation = self.shared.replica.user_generation();
        let fetched = AtomicBool::new(false);
        let users = &self.shared.users;
        let result = self
            .shared
            .in_flight
            .run(key, || async {
                // A lookup that ended just before this one began may have filled the cache.
                if let Some(entry) = users.get(key) {
                    return Ok(entry);
                }
                fetched.store(true, Ordering::Relaxed);
                // Boxed: the lookup's future (two HTTP calls) is large.
                let user = Box::pin(self.lookup_across_fleet(key, token, budget))
                    .await
                    .map_err(Arc::new)?;
                users.insert(*key, user.clone());
                Ok(user)
            })
            .await;
        if self.shared.replica.user_generation() != generation {
            // A revocation may have been applied while it ran: used once, not kept.
            users.invalidate(key);
        }
        if !span.is_disabled() {
            let fetched = fetched.load(Ordering::Relaxed);
            span.record("cache", if fetched { "miss" } else { "hit" });
        }
        result
    }

    /// A lookup of a token this replica has not cached: from the shared memo when another
    /// replica has just validated it, else upstream, once between the replicas that meet it
    /// at the same time (see the `cold` module). Shared-state failures mean an upstream lookup.
    async fn lookup_across_fleet(
        &self,
        key: &TokenDigest,
        token: &AccessToken,
        budget: &Budget,
    ) -> Result<CachedUser, Failure> {
        let fleet = &self.shared.replica.fleet;
        let Some(seal) = &self.shared.memo_key else {
            // Without the API secret a shared validation could not be trusted: validate alone.
            return self.lookup(token, budget).await;
        };
        let memo_key = cold::memo_key(key);
        match self.recall(seal, key, &memo_key).await {
            Recalled::User(user) => return Ok(user),
            Recalled::Unusable => return self.lookup(token, budget).await,
            Recalled::Absent => {}
        }
        match fleet
            .first_sighting(&cold::lookup_key(key), cold::LOOKUP_LOCK)
            .await
        {
            Ok(true) => {
                let started = replica::now_ms();
                let result = self.lookup(token, budget).await;
                if let Some((memo, ttl)) = cold::memo_of(
                    seal,
                    key,
                    &result,
                    started,
                    self.wall_now(),
                    self.shared.max_token_ttl,
                ) && let Err(e) = fleet.set_memo(&memo_key, &memo, ttl).await
                {
                    tracing::debug!(error = %e, "could not share a token's validation");
                }
                result
            }
            Ok(false) => {
                // Never past the decision's own deadline.
                let deadline =
                    (tokio::time::Instant::now() + cold::WAIT_FOR).min(budget.deadline());
                while tokio::time::Instant::now() < deadline {
                    tokio::time::sleep(cold::POLL_EVERY).await;
                    match self.recall(seal, key, &memo_key).await {
                        Recalled::User(user) => return Ok(user),
                        Recalled::Unusable => break,
                        Recalled::Absent => {}
                    }
                }
                self.lookup(token, budget).await
            }
            Err(e) => {
                tracing::debug!(error = %e, "shared state unavailable: validating alone");
                self.lookup(token, budget).await
            }
        }
    }

    /// The shared memo `memo_key` of the token `digest`, read and checked with `seal`.
    async fn recall(&self, seal: &MemoKey, digest: &TokenDigest, memo_key: &str) -> Recalled {
        match self.shared.replica.fleet.memo(memo_key).await {
            Ok(Some(bytes)) => match cold::recall(
                seal,
                digest,
                &bytes,
                |at| self.shared.replica.evicted_since(at),
                self.wall_now(),
                self.shared.max_token_ttl,
            ) {
                // While the bus is down, a validation older than the trust window is not used.
                Recalled::User(user)
                    if self
                        .shared
                        .replica
                        .cutoff()
                        .is_some_and(|cutoff| user.validated_at < cutoff) =>
                {
                    Recalled::Unusable
                }
                recalled => recalled,
            },
            Ok(None) => Recalled::Absent,
            Err(e) => {
                tracing::debug!(error = %e, "could not read a shared token validation");
                Recalled::Unusable
            }
        }
    }

    /// Now, by the configured clock (token expiry is judged with it).
    fn wall_now(&self) -> time::OffsetDateTime {
        self.shared.clock.now()
    }

    /// One upstream lookup: validation (for the expiry) and profile, concurrently.
    /// Every call goes through the upstream guard, within `budget`.
    async fn lookup(&self, token: &AccessToken, budget: &Budget) -> Result<CachedUser, Failure> {
        let validated_at = Instant::now();
        let auth = self.shared.client.auth();
        let upstream = &self.shared.upstream;
        let deadline = budget.deadline();
        let profile = auth
            .profile(token.as_secret().clone())
            .deadline(deadline)
            .send();
        let (profile, expires_at) = if self.shared.validate_tokens {
            // Validation first, the profile only for a token LoginRadius accepts: a made-up
            // token costs one call, not two (a flood of them spends half the quota it would).
            let validated = upstream
                .call(
                    Group::Tokens,
                    deadline,
                    auth.validate_token(token.as_secret().clone())
                        .deadline(deadline)
                        .send(),
                )
                .await
                .map_err(|e| Failure::of_token_upstream(&e))?;
            let profile = upstream
                .call(Group::Tokens, deadline, profile)
                .await
                .map_err(|e| Failure::of_token_upstream(&e))?;
            (profile, validated.expires_in)
        } else {
            let profile = upstream
                .call(Group::Tokens, deadline, profile)
                .await
                .map_err(|e| Failure::of_token_upstream(&e))?;
            (profile, None)
        };
        if profile.uid.trim().is_empty() {
            tracing::warn!("LoginRadius answered a profile without a Uid");
            return Err(Failure::Unavailable(None));
        }
        let ttl = cache::entry_ttl(
            expires_at,
            self.shared.clock.now(),
            self.shared.max_token_ttl,
        )
        .ok_or(Failure::Expired)?;
        Ok(CachedUser {
            uid: Uid::new(profile.uid.clone()),
            profile: Arc::new(profile),
            expires_at,
            ttl,
            grants: GrantsMemo::default(),
            validated_at,
        })
    }

    /// Decides `require` for `user`: `Ok(())`, or 403 when a role or permission is missing,
    /// 401 when the user's token has expired meanwhile, 503 when the Role API cannot answer.
    pub async fn authorize(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
    ) -> Result<(), Rejection> {
        self.authorize_within(user, require, &self.budget()).await
    }

    /// [`authorize`](Self::authorize) within `budget`, the request's budget when its decision
    /// is made in several steps (see [`Budget`]).
    pub async fn authorize_within(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
        budget: &Budget,
    ) -> Result<(), Rejection> {
        let span = if spans_wanted() {
            tracing::debug_span!("loginradius.auth.authorize", outcome = Empty)
        } else {
            tracing::Span::none()
        };
        // Without a subscriber interested in the span, skip entering it on every poll.
        if span.is_disabled() {
            let result = self.authorize_inner(user, require, budget).await;
            record_decision(crate::metrics::Stage::Authorize, &result);
            return result;
        }
        let result = self
            .authorize_inner(user, require, budget)
            .instrument(span.clone())
            .await;
        record_decision(crate::metrics::Stage::Authorize, &result);
        match &result {
            Ok(()) => span.record("outcome", "allow"),
            Err(r) => span.record("outcome", r.code()),
        };
        result
    }

    async fn authorize_inner(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
        budget: &Budget,
    ) -> Result<(), Rejection> {
        let outcome = match self.outcome_cached(user, require, &mut Now::new(&self.shared.clock))? {
            Some(outcome) => outcome,
            None => {
                let grants = Box::pin(self.read_grants(user, &require.needs(), budget)).await?;
                // Role-context expiry is judged at decision time, after the reads.
                let facts = Facts {
                    proof: user.session.as_ref(),
                    now: self.shared.clock.unix_nanos(),
                    assume_proven: false,
                };
                require.outcome(&grants, facts)
            }
        };
        self.verdict(require, outcome)
    }

    /// The warm path of [`authorize_within`](Self::authorize_within), with no `await`: the
    /// decision when the user's token has expired, when `require` asks for no role data, or
    /// when the role data the user was last decided against is still live; `None` when role
    /// data must be read (then use `authorize_within`). A decision made here is the one
    /// `authorize_within` would make.
    pub fn authorize_cached(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
    ) -> Option<Result<(), Rejection>> {
        self.authorize_cached_at(user, require, &mut Now::new(&self.shared.clock))
    }

    fn authorize_cached_at(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
        now: &mut Now<'_>,
    ) -> Option<Result<(), Rejection>> {
        // With spans wanted, the instrumented path decides.
        if spans_wanted() {
            return None;
        }
        let result = match self.outcome_cached(user, require, now) {
            Ok(None) => return None,
            Ok(Some(outcome)) => self.verdict(require, outcome),
            Err(rejection) => Err(rejection),
        };
        record_decision(crate::metrics::Stage::Authorize, &result);
        Some(result)
    }

    /// What `require` comes to for `user` without reading role data: refused when the token
    /// has expired; `None` when role data must be read.
    fn outcome_cached(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
        now: &mut Now<'_>,
    ) -> Result<Option<Outcome>, Rejection> {
        // One read of the clock per decision, as nanoseconds (no calendar date built): the
        // token's expiry and role contexts' are compared with it.
        let now = now.get();
        if grants::has_passed(user.expires_at, now) {
            return Err(self.reject(RejectionKind::ExpiredToken));
        }
        let needs = require.needs();
        let facts = Facts {
            proof: user.session.as_ref(),
            now,
            assume_proven: false,
        };
        if needs == Needs::default() {
            return Ok(Some(require.outcome(&Grants::default(), facts)));
        }
        let recall = Recall {
            generation: self.shared.roles.generation(),
            now: Instant::now(),
            cutoff: self.shared.replica.cutoff(),
        };
        // The role data this user was last decided against, still live.
        Ok(user.grants.decide(&user.uid, &needs, recall, |grants| {
            require.outcome(grants, facts)
        }))
    }

    /// The answer to `outcome`: `Ok(())` when met, else the rejection.
    fn verdict(&self, require: &Require, outcome: Outcome) -> Result<(), Rejection> {
        let kind = match outcome {
            Outcome::Met => return Ok(()),
            Outcome::NeedsProof => RejectionKind::ReauthRequired,
            Outcome::Unmet => RejectionKind::Forbidden,
        };
        tracing::debug!(requirement = %require, code = kind.code(), "requirement not met");
        let rejection = self.reject(kind);
        Err(if self.shared.verbose {
            rejection.with_message(format!("requires {require}"))
        } else {
            rejection
        })
    }

    /// The user's role data that `needs` asks for, from the role caches or the Role API;
    /// remembered with the user unless a role change was published since it was fetched.
    async fn read_grants(
        &self,
        user: &AuthenticatedUser,
        needs: &Needs,
        budget: &Budget,
    ) -> Result<Grants, Rejection> {
        self.shared.replica.ensure_listening();
        let fresh = self
            .shared
            .roles
            .grants(
                user.uid.as_str(),
                needs,
                self.shared.replica.cutoff(),
                budget,
            )
            .await
            .map_err(|e| self.reject_for(&Failure::of_role_upstream(&e)))?;
        let grants = fresh.value.clone();
        if fresh.generation == self.shared.roles.generation() {
            user.grants.remember(&user.uid, fresh, Instant::now());
        }
        Ok(grants)
    }

    /// The whole check for one request: token from the headers, user, then `require`.
    /// The upstream work of both steps shares one deadline
    /// ([`upstream_deadline`](AuthenticatorBuilder::upstream_deadline)).
    pub async fn decide(&self, headers: &HeaderMap, require: &Require) -> Decision {
        let budget = self.budget();
        match self
            .authenticate_headers_within(headers, None, &budget)
            .await
        {
            Ok(user) => match self.authorize_within(&user, require, &budget).await {
                Ok(()) => Decision::Allow(user),
                Err(rejection) => Decision::Reject(rejection),
            },
            Err(rejection) => Decision::Reject(rejection),
        }
    }

    /// Decides `require` for an already authenticated user, keeping the user on success.
    pub async fn check(&self, user: AuthenticatedUser, require: &Require) -> Decision {
        match self.authorize(&user, require).await {
            Ok(()) => Decision::Allow(user),
            Err(rejection) => Decision::Reject(rejection),
        }
    }

    /// Forgets the cached lookup of `token` here (no upstream call, no event: the other
    /// replicas keep theirs; [`logout`](Self::logout) tells them).
    pub async fn forget(&self, token: &AccessToken) {
        self.shared.replica.forget(&token.digest()).await;
    }

    /// Applies `event` to this replica's caches at once, then publishes it on the shared
    /// state's bus so every replica applies it (an app's own sign-out, password change or
    /// role change, a verified LoginRadius webhook). The local eviction holds even when
    /// publishing fails; the error is then logged and returned.
    pub async fn publish(&self, event: &FleetEvent) -> Result<(), SharedStateError> {
        self.shared.replica.ensure_listening();
        self.shared.replica.publish(event).await
    }

    /// The health of the shared state: [`Health::Down`] while it cannot be reached (cached
    /// decisions are then trusted only for the bus-loss trust window).
    pub fn shared_state_health(&self) -> Health {
        self.shared.replica.health()
    }

    /// The shared state this authenticator publishes to and listens on.
    pub fn shared_state(&self) -> &Arc<dyn SharedState> {
        &self.shared.replica.fleet
    }

    /// Logs `token` out: evicts it from the cache at once, invalidates it at LoginRadius
    /// (`client.auth().invalidate_token`), then tells every replica
    /// ([`FleetEvent::TokenRevoked`]). The eviction holds even when a call fails; the upstream
    /// error is returned first, then a publishing error ([`Error::SharedState`]).
    pub async fn logout(&self, token: &AccessToken) -> Result<(), Error> {
        self.forget(token).await;
        let result = self
            .shared
            .client
            .auth()
            .invalidate_token(token.as_secret().clone())
            .send()
            .await;
        // A lookup that was in flight before the logout may have stored the token meanwhile;
        // publishing evicts it here again, and everywhere else.
        let published = self
            .publish(&FleetEvent::token_revoked(token.expose()))
            .await;
        match result {
            Ok(_) => published.map_err(Error::from),
            Err(e) => {
                tracing::warn!(error = %e, "could not invalidate the token at LoginRadius");
                Err(e)
            }
        }
    }
}

/// The wall clock of one decision: read when first needed, then the same for the rest of it.
struct Now<'c> {
    clock: &'c Clock,
    read: Option<grants::UnixNanos>,
}

impl<'c> Now<'c> {
    fn new(clock: &'c Clock) -> Self {
        Self { clock, read: None }
    }

    fn get(&mut self) -> grants::UnixNanos {
        *self.read.get_or_insert_with(|| self.clock.unix_nanos())
    }
}

/// Whether the decision spans are worth building: the subscriber of this thread (scoped or
/// global) wants `DEBUG` here. Otherwise even a disabled span costs a value set, and with
/// `tracing`'s `log` feature (which axum's default features turn on) a record for the `log`
/// fallback, on every request. When no subscriber anywhere enables `DEBUG` this is one compare
/// with the global level hint; while spans are wanted, the warm path without `await`
/// (`authenticate_cached`, `authorize_cached`) leaves the decision to the instrumented path.
fn spans_wanted() -> bool {
    tracing::enabled!(tracing::Level::DEBUG)
}

/// Counts one decision of `stage` (see [`crate::metrics`]).
fn record_decision<T>(stage: crate::metrics::Stage, result: &Result<T, Rejection>) {
    crate::metrics::decision(stage, result.as_ref().err().map(Rejection::code));
}
