//! [`AccessToken`] and [`Uid`]: the two identifiers the auth engine passes around.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::Secret;

/// The longest access token accepted, in bytes. LoginRadius tokens are GUIDs (36 bytes) or, on
/// some tenants, JWEs of a few hundred bytes; anything longer is refused before hashing.
pub const MAX_TOKEN_LEN: usize = 4096;

/// A user's access token, as presented by a client.
///
/// Opaque text, never printed: `Debug` shows `AccessToken(***)`, and the engine's caches and
/// logs only ever hold a SHA-256 digest of it.
///
/// ```
/// use loginradius::auth::AccessToken;
///
/// let token = AccessToken::new("4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c");
/// assert_eq!(format!("{token:?}"), "AccessToken(***)");
/// assert_eq!(token.expose(), "4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Secret);

impl AccessToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(Secret::new(token.into()))
    }

    /// The token itself, for the one place that sends it upstream. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The token as a [`Secret`], for client calls.
    pub fn as_secret(&self) -> &Secret {
        &self.0
    }

    /// The SHA-256 digest of the token: the cache key.
    pub(crate) fn digest(&self) -> TokenDigest {
        TokenDigest(Sha256::digest(self.expose().as_bytes()).into())
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

impl From<String> for AccessToken {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for AccessToken {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<Secret> for AccessToken {
    fn from(value: Secret) -> Self {
        Self(value)
    }
}

impl From<&AccessToken> for Secret {
    fn from(value: &AccessToken) -> Self {
        value.0.clone()
    }
}

/// The SHA-256 digest of a token, used as the cache key instead of the token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenDigest([u8; 32]);

impl TokenDigest {
    /// The digest of a [`FleetEvent::TokenRevoked`](crate::fleet::FleetEvent::TokenRevoked):
    /// 64 hex digits (either case); `None` for anything else.
    pub(crate) fn from_hex(hex: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex, &mut bytes).ok()?;
        Some(Self(bytes))
    }

    /// The digest in lowercase hex, as events and shared-state keys carry it.
    pub(crate) fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl std::hash::Hash for TokenDigest {
    /// Feeds the cache's (keyed, randomly seeded) hasher 8 bytes of the digest instead of 32:
    /// the digest is already uniformly distributed, so a quarter of it spreads the entries as
    /// well, and equality still compares all 32 bytes.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        state.write_u64(u64::from_le_bytes([a, b, c, d, e, f, g, h]));
    }
}

impl fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenDigest(..)")
    }
}

/// A LoginRadius user id (`Uid`).
///
/// Cheap to clone: the text is shared (`Arc<str>`), so handing the cached user to each request
/// costs no allocation.
///
/// ```
/// use loginradius::auth::Uid;
///
/// let uid = Uid::new("b2d4f1e0c3a94c1e9f7a6d5c4b3a2910");
/// assert_eq!(uid.as_str(), "b2d4f1e0c3a94c1e9f7a6d5c4b3a2910");
/// assert_eq!(uid.to_string(), "b2d4f1e0c3a94c1e9f7a6d5c4b3a2910");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid(Arc<str>);

impl Uid {
    /// Wraps a uid.
    pub fn new(uid: impl Into<String>) -> Self {
        Self(Arc::from(uid.into()))
    }

    /// The uid as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The uid as an owned `String`.
    pub fn into_string(self) -> String {
        String::from(&*self.0)
    }
}

impl serde::Serialize for Uid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Uid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Uid {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Uid {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Uid {
    fn from(value: String) -> Self {
        Self(Arc::from(value))
    }
}

impl From<&str> for Uid {
    fn from(value: &str) -> Self {
        Self(Arc::from(value))
    }
}

impl PartialEq<str> for Uid {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Uid {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let t = AccessToken::new("secret-token-value");
        assert!(!format!("{t:?}").contains("secret"));
        assert!(!format!("{t:#?}").contains("secret"));
        assert!(!format!("{:?}", t.digest()).contains("secret"));
    }

    #[test]
    fn digest_is_sha256_of_the_token() {
        let d = AccessToken::new("abc").digest();
        assert_eq!(
            hex::encode(d.0),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(AccessToken::new("abd").digest(), d);
    }
}
