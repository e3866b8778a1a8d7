//! [`AuthenticatedUser`]: who a valid access token belongs to.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use super::memo::GrantsMemo;
use super::{AccessToken, Uid};
use crate::fleet::{ProofMethod, SessionId, SessionRecord};
use crate::models::Profile;

/// How and when the session a request's token came from was proven, as the session registry
/// says (sign-in or re-authentication). Read by the step-up requirements
/// [`Require::second_factor`](super::Require::second_factor) and
/// [`Require::proven_within`](super::Require::proven_within).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionProof {
    /// The session.
    pub session: SessionId,
    /// How it was last proven.
    pub method: ProofMethod,
    /// When it was last proven.
    pub proven_at: OffsetDateTime,
}

impl SessionProof {
    /// The proof of a registry entry.
    pub fn of(record: &SessionRecord) -> Self {
        Self {
            session: record.id.clone(),
            method: record.proof,
            proven_at: record.proven_at,
        }
    }
}

/// The user a valid access token belongs to, as resolved by an
/// [`Authenticator`](super::Authenticator).
///
/// Cheap to clone (the profile is shared). Custom fields of the profile are read with
/// [`custom_field`](Self::custom_field).
///
/// ```
/// use std::sync::Arc;
/// use loginradius::auth::{AccessToken, AuthenticatedUser};
/// use loginradius::models::Profile;
///
/// let profile: Profile = serde_json::from_value(serde_json::json!({
///     "Uid": "u-1", "CustomFields": {"plan": "pro", "seats": 3}
/// }))?;
/// let user = AuthenticatedUser::new(AccessToken::new("t"), profile, None);
/// assert_eq!(user.uid, "u-1");
/// assert_eq!(user.custom_field::<String>("plan")?.as_deref(), Some("pro"));
/// assert_eq!(user.custom_field::<u32>("seats")?, Some(3));
/// assert_eq!(user.custom_field::<u32>("missing")?, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthenticatedUser {
    /// The user's id.
    pub uid: Uid,
    /// The user's profile, as LoginRadius returned it when the token was looked up.
    pub profile: Arc<Profile>,
    /// The access token the user presented (redacted in `Debug`).
    pub token: AccessToken,
    /// When the token expires, when LoginRadius said so. The engine never trusts a cached user
    /// past this instant.
    pub expires_at: Option<OffsetDateTime>,
    /// How the request's session was proven, when the token came from a session (the session
    /// cookie's token source) found live in the registry; `None` for a token sent by the
    /// client itself (`Authorization: Bearer`), which no step-up requirement accepts.
    pub session: Option<SessionProof>,
    /// The role data this user was last decided against, shared with the cached entry.
    pub(crate) grants: GrantsMemo,
}

impl AuthenticatedUser {
    /// A user from a token and its profile (the uid is the profile's `Uid`).
    pub fn new(token: AccessToken, profile: Profile, expires_at: Option<OffsetDateTime>) -> Self {
        Self {
            uid: Uid::new(profile.uid.clone()),
            profile: Arc::new(profile),
            token,
            expires_at,
            session: None,
            grants: GrantsMemo::default(),
        }
    }

    /// Reads a custom field of the profile as `T`: `Ok(None)` when absent or null, an error
    /// when present with another type.
    pub fn custom_field<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, serde_json::Error> {
        self.profile.custom_field(name)
    }

    /// The primary email address, or the first one.
    pub fn email(&self) -> Option<&str> {
        self.profile.primary_email()
    }

    /// True when the token is known to have expired at `now`.
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}
