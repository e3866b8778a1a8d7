//! What several replicas of one app must agree on: one abstraction, two backends.
//!
//! A site behind a load balancer runs several replicas. A sign-out, a password change or a role
//! removed at LoginRadius must reach every one of them at once, and a limit on guessing must hold
//! across them. [`SharedState`] is everything they share:
//!
//! - **invalidation events** ([`FleetEvent`]), published once and received by every replica
//!   (this one included) through [`SharedState::subscribe`], so each replica keeps its local
//!   caches and the bus keeps them current: the warm request path never asks the shared store;
//! - the **session registry** ([`SessionRecord`] by [`SessionId`], and the sessions of a user)
//!   and a per-user **"not before"** instant that ends every session created before it;
//! - **counters with expiry** ([`SharedState::hit`]), for rate limits that hold for a fleet;
//! - **first sightings** ([`SharedState::first_sighting`]), for a webhook `HookId` seen once or a
//!   lock that lets one replica of many do a piece of work;
//! - a **short-lived memo** ([`SharedState::memo`]), so that K replicas meeting one new token
//!   make one upstream validation between them.
//!
//! [`InProcess`] is the default backend: one process, nothing to run, today's behaviour. The
//! `loginradius-redis` crate provides the Redis backend for a fleet. Both pass the same
//! conformance suite.
//!
//! **Failure is doubt.** A backend that cannot reach its store answers
//! [`SharedStateError::Unavailable`] and reports [`Health::Down`]; callers deny (503) rather than
//! allow, and trust what they cached only briefly. When the bus comes back, receivers get
//! [`BusSignal::Missed`]: events published meanwhile are lost, so they drop what they cached.
//!
//! ```
//! use std::time::Duration;
//! use loginradius::fleet::{BusSignal, FleetEvent, InProcess, SharedState};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), loginradius::fleet::SharedStateError> {
//! let state = InProcess::new();
//! let mut bus = state.subscribe();
//! state.publish(&FleetEvent::RolesChanged { uid: "u-1".into() }).await?;
//! assert_eq!(
//!     bus.recv().await,
//!     Some(BusSignal::Event(FleetEvent::RolesChanged { uid: "u-1".into() }))
//! );
//!
//! // Five tries a minute for one account, across every replica.
//! let hits = state.hit("signin:account:jane@example.com", Duration::from_secs(60)).await?;
//! assert_eq!(hits.count, 1);
//! # Ok(()) }
//! ```

mod error;
mod event;
mod in_process;
mod session;

use std::fmt;
use std::time::Duration;

use time::OffsetDateTime;

pub use error::SharedStateError;
pub use event::{BusReceiver, BusSignal, FleetEvent};
pub use in_process::InProcess;
pub use session::{ProofMethod, SessionClaim, SessionId, SessionRecord};

/// `Result` with a [`SharedStateError`].
pub type FleetResult<T> = Result<T, SharedStateError>;

/// A counter after one more hit: how many hits its window has seen, and when the window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hits {
    /// Hits in the current window, this one included.
    pub count: u64,
    /// Time until the window ends and the count starts again from zero.
    pub resets_in: Duration,
}

/// Whether a backend can reach its store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Reachable; the bus is delivering.
    Up,
    /// Not reachable since `since`: lookups fail with [`SharedStateError::Unavailable`] and the
    /// bus may be missing events.
    Down {
        /// When it was found unreachable.
        since: OffsetDateTime,
        /// Why, without secrets (for logs and the health check).
        reason: String,
    },
}

impl Health {
    /// Whether the backend is [`Health::Up`].
    pub fn is_up(&self) -> bool {
        matches!(self, Health::Up)
    }
}

/// The state several replicas share (see the [module docs](self)).
///
/// Implementations are cheap to call concurrently; every method that reaches a remote store can
/// fail with [`SharedStateError::Unavailable`], which callers treat as doubt (deny, never allow).
/// Keys and ids are opaque strings chosen by the callers; backends may prefix them.
#[async_trait::async_trait]
pub trait SharedState: Send + Sync + fmt::Debug + 'static {
    /// Publishes `event` to every replica's receivers, this replica's included.
    async fn publish(&self, event: &FleetEvent) -> FleetResult<()>;

    /// A receiver of every event published from now on, and of the bus's own signals.
    fn subscribe(&self) -> BusReceiver;

    /// Saves (creates or replaces) a session; it is forgotten after `ttl`.
    async fn save_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<()>;

    /// Replaces the session `record.id` only if it still exists (a `last_seen` update that
    /// must not bring back a session ended meanwhile); it is then forgotten after `ttl`.
    /// Returns whether it existed.
    async fn touch_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<bool>;

    /// The session `id`, if it exists and has not expired.
    async fn session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>>;

    /// Removes the session `id`; returns it if it existed.
    async fn remove_session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>>;

    /// Every live session of `uid`, oldest first.
    async fn sessions_of(&self, uid: &str) -> FleetResult<Vec<SessionRecord>>;

    /// Sets the instant before which no session or token of `uid` is accepted, unless a later
    /// one is already set; kept for `ttl` (at least the longest session lifetime).
    async fn set_not_before(&self, uid: &str, at: OffsetDateTime, ttl: Duration)
    -> FleetResult<()>;

    /// The "not before" instant of `uid`, if one is set.
    async fn not_before(&self, uid: &str) -> FleetResult<Option<OffsetDateTime>>;

    /// Counts one hit on `key` in a fixed window of `window` that starts with the first hit.
    async fn hit(&self, key: &str, window: Duration) -> FleetResult<Hits>;

    /// Forgets the counter `key` (a successful sign-in clears its failure count).
    async fn clear_hits(&self, key: &str) -> FleetResult<()>;

    /// `true` the first time `key` is seen within `ttl`, `false` after that, on every replica.
    async fn first_sighting(&self, key: &str, ttl: Duration) -> FleetResult<bool>;

    /// The memo `key`, if set and not expired.
    async fn memo(&self, key: &str) -> FleetResult<Option<Vec<u8>>>;

    /// Sets the memo `key` to `value` for `ttl`.
    async fn set_memo(&self, key: &str, value: &[u8], ttl: Duration) -> FleetResult<()>;

    /// Whether the backend can reach its store now.
    fn health(&self) -> Health;
}
