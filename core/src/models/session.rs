//! Active sessions from the legacy `/api/v2/access_token/activesession` endpoint.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use super::shape::{self, any_case};
use super::{Extra, timestamp};
use crate::Secret;

/// One active session: `{AccessToken, Browser, Device, Os, DeviceType, City, Country, Ip,
/// LoginDate}`. The session's access token is held in a [`Secret`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ActiveSession {
    /// The session's access token (`AccessToken`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub access_token: Option<Secret>,
    /// `Browser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// `Device`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// `Os`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// `DeviceType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
    /// `City`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `Country`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `Ip`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// `LoginDate`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub login_date: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for ActiveSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActiveSession")
            .field("access_token", &self.access_token)
            .field("browser", &self.browser)
            .field("device", &self.device)
            .field("os", &self.os)
            .field("device_type", &self.device_type)
            .field("city", &self.city)
            .field("country", &self.country)
            .field("ip", &self.ip)
            .field("login_date", &self.login_date)
            .finish_non_exhaustive()
    }
}

/// `{"data": [session…], "nextcursor": 0}`: the active sessions of a user.
///
/// ```
/// let s: loginradius::models::ActiveSessions = serde_json::from_str(
///     r#"{"data":[{"AccessToken":"t","Browser":"Firefox","LoginDate":"2024-01-02T03:04:05Z"}],"nextcursor":0}"#,
/// ).unwrap();
/// assert_eq!(s.sessions[0].browser.as_deref(), Some("Firefox"));
/// assert_eq!(s.next_cursor.as_deref(), Some("0"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ActiveSessions {
    /// The sessions (`data`, keys in any casing); a body without the list is an error.
    #[serde(rename = "data", deserialize_with = "shape::null_as_default")]
    pub sessions: Vec<ActiveSession>,
    /// The paging cursor (`nextcursor`, in any casing), as text; the service sends a number,
    /// `0` when there is nothing more.
    #[serde(
        rename = "nextcursor",
        default,
        deserialize_with = "cursor",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(ActiveSessions, ["data", "nextcursor"]);

fn cursor<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_token_is_not_in_debug_output() {
        let s: ActiveSessions = serde_json::from_str(
            r#"{"Data":[{"AccessToken":"session-token-123","Os":"Linux"}],"nextCursor":"abc"}"#,
        )
        .unwrap();
        assert_eq!(s.next_cursor.as_deref(), Some("abc"));
        assert_eq!(
            s.sessions[0].access_token.as_ref().map(Secret::expose),
            Some("session-token-123")
        );
        assert!(!format!("{s:?}").contains("session-token-123"));
    }

    #[test]
    fn null_data_is_empty() {
        let s: ActiveSessions = serde_json::from_str(r#"{"data":null,"nextcursor":null}"#).unwrap();
        assert!(s.sessions.is_empty() && s.next_cursor.is_none());
    }
}
