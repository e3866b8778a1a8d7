//! The framework-agnostic authentication and authorisation engine shared by the axum and actix
//! adapters.
//!
//! 1. A [`TokenExtractor`] finds the access token of a request (`Authorization: Bearer`, a
//!    session cookie, or a custom source).
//! 2. An [`Authenticator`] turns it into an [`AuthenticatedUser`] (cached, coalesced, never
//!    longer than the token lives).
//! 3. A [`Require`] value states what the route needs; the authenticator decides it against the
//!    user's roles, role contexts and role definitions from the Role API (cached).
//! 4. The outcome is a [`Decision`]: allow, or a [`Rejection`] (401, 403, 503 or 500) as
//!    framework-agnostic HTTP data that adapters only translate.
//!
//! Nothing here ever allows on doubt, and no token is ever logged or used as a cache key.
//!
//! Several replicas keep their caches current through a [shared state](crate::fleet): see
//! [`AuthenticatorBuilder::shared_state`].

mod authenticator;
mod breaker;
mod cache;
mod client;
mod cold;
mod decision;
mod extract;
pub(crate) mod flood;
mod grants;
mod inflight;
mod lookup;
mod memo;
mod permissions;
mod policy;
mod replica;
mod require;
mod sessions;
mod token;
mod upstream;
mod user;

pub use authenticator::{Authenticator, AuthenticatorBuilder, DEFAULT_MAX_USERS, MAX_CACHE_TTL};
pub use breaker::{CircuitState, DEFAULT_COOL_DOWN, DEFAULT_FAILURE_THRESHOLD};
pub use cache::{DEFAULT_MAX_TOKEN_TTL, DEFAULT_MAX_TOKENS};
pub use client::{ClientAddr, TrustedProxies};
pub use decision::{
    DEFAULT_REALM, DEFAULT_RETRY_AFTER, Decision, Rejection, RejectionKind, retry_after_value,
};
pub use extract::{
    AmbiguousCookie, CustomSource, Extracted, RequestHeaders, TokenExtractor, TokenSource,
    cookie_value,
};
pub use flood::{
    DEFAULT_FAILED_LOOKUP_WINDOW, DEFAULT_INVALID_TOKEN_MEMORY, DEFAULT_MAX_FAILED_LOOKUPS,
};
pub use lookup::{CachedDecision, CachedLookup, PendingLookup};
pub use permissions::{DEFAULT_CONTEXTS_TTL, DEFAULT_DEFINITIONS_TTL, DEFAULT_ROLES_TTL};
pub use policy::Policy;
pub use replica::DEFAULT_BUS_LOSS_TRUST;
pub use require::Require;
pub use sessions::{
    DEFAULT_ABSOLUTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, SessionRefused, SessionTimeouts,
};
pub use token::{AccessToken, MAX_TOKEN_LEN, Uid};
pub use upstream::{
    Budget, DEFAULT_MAX_UPSTREAM_LOOKUPS, DEFAULT_UPSTREAM_DEADLINE, UpstreamHealth,
};
pub use user::{AuthenticatedUser, SessionProof};
