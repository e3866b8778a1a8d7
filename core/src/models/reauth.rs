//! The answer of a completed step-up (re-)authentication.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::shape::any_case;
use super::{Extra, timestamp};
use crate::Secret;

/// `{"SecondFactorValidationToken": …, "ExpireIn": …}`: proof of a completed step-up, to check
/// on the server with [`ReAuth::validate_otp_token`](crate::api::ReAuth::validate_otp_token) or
/// its siblings. Keys in any casing.
///
/// ```
/// let t: loginradius::models::ReauthToken = serde_json::from_str(
///     r#"{"SecondFactorValidationToken": "svt-1", "ExpireIn": "2030-01-01T00:00:00Z"}"#,
/// ).unwrap();
/// assert_eq!(t.token.expose(), "svt-1");
/// assert!(!format!("{t:?}").contains("svt-1"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ReauthToken {
    /// `SecondFactorValidationToken`. Kept secret: never printed.
    #[serde(
        rename = "SecondFactorValidationToken",
        serialize_with = "crate::secret::exposed"
    )]
    pub token: Secret,
    /// `ExpireIn`: when the token expires.
    #[serde(rename = "ExpireIn", with = "timestamp::option", default)]
    pub expires_at: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(ReauthToken, ["SecondFactorValidationToken", "ExpireIn"]);
