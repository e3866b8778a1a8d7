//! Sessions as the registry keeps them.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The id of a session: 128 random bits, base64url. It travels inside the encrypted session
/// cookie and keys the registry entry; `Debug` shows only its first characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SessionId(String);

/// The longest id accepted from outside (a cookie, a form).
const MAX_ID_LEN: usize = 64;

impl SessionId {
    /// A new random id.
    pub fn generate() -> Self {
        let bytes: [u8; 16] = rand::rng().random();
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// An id read from outside: 1 to 64 characters of `A-Z a-z 0-9 - _`, else `None`.
    pub fn from_string(id: impl Into<String>) -> Option<Self> {
        let id = id.into();
        let valid = !id.is_empty()
            && id.len() <= MAX_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        valid.then_some(Self(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.0.chars().take(6).collect();
        write!(f, "SessionId({shown}…)")
    }
}

impl TryFrom<String> for SessionId {
    type Error = &'static str;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_string(value).ok_or("a session id is 1 to 64 characters of A-Z a-z 0-9 - _")
    }
}

impl From<SessionId> for String {
    fn from(value: SessionId) -> Self {
        value.0
    }
}

/// The session a request claims (read from the session cookie): its id and its user. The
/// registry decides whether it is live.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionClaim {
    /// The session's id.
    pub id: SessionId,
    /// The user it was started for.
    pub uid: String,
}

/// How a session was proven, for step-up requirements ("second factor done").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProofMethod {
    /// A password alone.
    Password,
    /// A password and a second factor (authenticator app, SMS or email code).
    SecondFactor,
    /// A one-time link sent by email (passwordless sign-in).
    EmailLink,
    /// A password-reset link followed by a new password.
    ResetLink,
    /// A one-time code sent by SMS to a verified phone.
    PhoneCode,
    /// A social identity provider.
    Social,
}

impl ProofMethod {
    /// Whether this proof includes a second factor.
    pub fn has_second_factor(self) -> bool {
        matches!(self, ProofMethod::SecondFactor)
    }
}

/// One session as the registry keeps it: who, since when, seen when, from what, proven how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The session's id.
    pub id: SessionId,
    /// Its user.
    pub uid: String,
    /// When it was created.
    #[serde(with = "time::serde::timestamp::milliseconds_i64")]
    pub created_at: OffsetDateTime,
    /// When it was last used (updated at most about once a minute).
    #[serde(with = "time::serde::timestamp::milliseconds_i64")]
    pub last_seen: OffsetDateTime,
    /// A short summary of the browser or client ("Chrome on Linux"), for the sessions page.
    pub user_agent: String,
    /// How it was last proven.
    pub proof: ProofMethod,
    /// When it was last proven (sign-in or re-authentication).
    #[serde(with = "time::serde::timestamp::milliseconds_i64")]
    pub proven_at: OffsetDateTime,
    /// The session's access token, sealed (encrypted and authenticated under a key derived
    /// from the session cookie's key, bound to the session id; see
    /// [`SessionCookie::seal_registry_token`](crate::web::SessionCookie::seal_registry_token)),
    /// so that ending the session from elsewhere can invalidate it at LoginRadius. Never a
    /// token in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_token: Option<String>,
}

impl SessionRecord {
    /// Sorts `sessions` as [`SharedState::sessions_of`](super::SharedState::sessions_of) lists
    /// them: oldest first, ties broken by id.
    pub fn sort_oldest_first(sessions: &mut [SessionRecord]) {
        sessions.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_url_safe_and_checked_when_read() {
        let a = SessionId::generate();
        let b = SessionId::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 22);
        assert_eq!(SessionId::from_string(a.as_str()), Some(a.clone()));
        for bad in ["", "a b", "a/b", "ä", &"x".repeat(65)] {
            assert_eq!(SessionId::from_string(bad), None, "{bad}");
        }
        assert!(!format!("{a:?}").contains(a.as_str()));
        assert!(serde_json::from_str::<SessionId>(r#""not valid!""#).is_err());
    }
}
