//! Login and token responses.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::debug_hiding_extra_secrets;
use super::shape::{self, any_case};
use super::{Extra, Profile, timestamp};
use crate::Secret;

/// The token keys of a login answer.
const TOKEN_KEYS: [&str; 3] = ["access_token", "refresh_token", "expires_in"];

/// Brings the documented variants of a login answer to `{Profile, access_token, …}`:
/// `{"Data": [answer]}` is unwrapped; a bare profile carrying the tokens becomes the `Profile`
/// beside them; tokens nested inside `Profile` are lifted to the top.
pub(crate) fn login_shape(map: &mut Map<String, Value>) {
    if let Some(inner) = shape::single_data_item(map) {
        *map = inner;
    }
    shape::canonical_keys(map, &["Profile"]);
    shape::canonical_keys(map, &TOKEN_KEYS);
    let bare_profile = !map.contains_key("Profile")
        && (shape::find_key(map, "Uid").is_some() || shape::find_key(map, "ID").is_some());
    if bare_profile {
        let mut profile = std::mem::take(map);
        for key in TOKEN_KEYS {
            if let Some(value) = profile.remove(key) {
                map.insert(key.to_owned(), value);
            }
        }
        map.insert("Profile".to_owned(), Value::Object(profile));
    } else if !map.contains_key("access_token")
        && let Some(Value::Object(profile)) = map.get_mut("Profile")
    {
        shape::canonical_keys(profile, &TOKEN_KEYS);
        let lifted: Vec<_> = TOKEN_KEYS
            .iter()
            .filter_map(|key| profile.remove(*key).map(|v| ((*key).to_owned(), v)))
            .collect();
        map.extend(lifted);
    }
}

/// Unwraps `{"Data": [answer]}` and matches the token keys in any casing.
fn token_shape(map: &mut Map<String, Value>) {
    if let Some(inner) = shape::single_data_item(map) {
        *map = inner;
    }
    shape::canonical_keys(map, &TOKEN_KEYS);
}

/// A successful login or registration: the profile and the tokens
/// (`{Profile, access_token, refresh_token, expires_in}`). The documented variants are read too:
/// `{"Data": [answer]}`, a bare profile carrying the tokens, and tokens nested inside `Profile`.
///
/// ```
/// let r: loginradius::models::LoginResponse = serde_json::from_str(
///     r#"{"Uid": "u1", "FirstName": "Jane", "access_token": "t", "expires_in": "2030-01-01T00:00:00Z"}"#,
/// ).unwrap();
/// assert_eq!(r.profile.map(|p| p.uid).as_deref(), Some("u1"));
/// assert_eq!(r.access_token.expose(), "t");
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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

any_case!(LoginResponse, [], login_shape);

/// Tokens without a profile (`{access_token, refresh_token, expires_in}`): validation, refresh,
/// impersonation. `{"Data": [answer]}` is read as the answer it wraps.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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

any_case!(TokenResponse, [], token_shape);

debug_hiding_extra_secrets!(
    LoginResponse,
    [profile, access_token, refresh_token, expires_in]
);

debug_hiding_extra_secrets!(TokenResponse, [access_token, refresh_token, expires_in]);
