//! Login and token responses.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Extra, Profile, timestamp};
use crate::Secret;

/// A successful login or registration: the profile and the tokens
/// (`{Profile, access_token, refresh_token, expires_in}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// The user's profile.
    #[serde(rename = "Profile", default)]
    pub profile: Option<Profile>,
    /// The access token: opaque text (a GUID by default, a JWE on some tenants).
    #[serde(serialize_with = "crate::secret::exposed")]
    pub access_token: Secret,
    /// The refresh token, when the tenant issues one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub refresh_token: Option<Secret>,
    /// When the access token expires.
    #[serde(with = "timestamp::option", default)]
    pub expires_in: Option<OffsetDateTime>,
    /// Other fields (`session_token`, `session_expires_in`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Tokens without a profile (`{access_token, refresh_token, expires_in}`): validation, refresh,
/// impersonation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The access token.
    #[serde(serialize_with = "crate::secret::exposed")]
    pub access_token: Secret,
    /// The refresh token, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub refresh_token: Option<Secret>,
    /// When the access token expires.
    #[serde(with = "timestamp::option", default)]
    pub expires_in: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}
