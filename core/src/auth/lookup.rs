//! [`CachedLookup`]: what a replica's caches alone say of a request's token, and the
//! [`PendingLookup`] left for the async path when they cannot say.

use std::fmt;

use super::token::TokenDigest;
use super::{AccessToken, AuthenticatedUser, Rejection};
use crate::fleet::SessionClaim;

/// The answer of [`Authenticator::authenticate_cached`](super::Authenticator::authenticate_cached).
#[derive(Debug)]
pub enum CachedLookup {
    /// Decided without waiting: the user, or why the request is refused.
    Decided(Result<AuthenticatedUser, Rejection>),
    /// The caches cannot say: finish with
    /// [`Authenticator::authenticate_pending`](super::Authenticator::authenticate_pending).
    Pending(PendingLookup),
}

/// The answer of [`Authenticator::decide_cached`](super::Authenticator::decide_cached): the
/// user's lookup, and the requirement's verdict when the caches decide that too.
#[derive(Debug)]
#[non_exhaustive]
pub struct CachedDecision {
    /// What the caches say of the request's token.
    pub lookup: CachedLookup,
    /// Whether the user meets the requirement: `Some` only when `lookup` decided a user and the
    /// role data the user was last decided against decides the requirement (else finish with
    /// [`Authenticator::authorize_within`](super::Authenticator::authorize_within)).
    pub verdict: Option<Result<(), Rejection>>,
}

/// A token the caches could not decide, as read from the request (with the session it came
/// from, if any). Finish it with
/// [`Authenticator::authenticate_pending`](super::Authenticator::authenticate_pending); its
/// `Debug` shows no token.
pub struct PendingLookup {
    pub(super) token: AccessToken,
    pub(super) claim: Option<SessionClaim>,
    /// The token's digest, computed once.
    pub(super) key: TokenDigest,
    /// The token cache was asked already, and missed.
    pub(super) missed: bool,
}

impl fmt::Debug for PendingLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLookup")
            .field("from_session", &self.claim.is_some())
            .finish_non_exhaustive()
    }
}
