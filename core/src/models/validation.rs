//! `{"IsValid": …}`: the answer of server-side checks.

use serde::{Deserialize, Serialize};

use super::Extra;
use super::shape::any_case;

/// `PostValidationResponse`: `{"IsValid": true}`. Returned by the server-side checks of a
/// re-authentication token ([`ReAuth::validate_otp_token`](crate::api::ReAuth::validate_otp_token)
/// and its siblings).
///
/// ```
/// let v: loginradius::models::Validation = serde_json::from_str(r#"{"IsValid":true}"#).unwrap();
/// assert!(v.is_valid);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Validation {
    /// Whether the thing checked is valid (`IsValid`, in any casing).
    #[serde(rename = "IsValid")]
    pub is_valid: bool,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(Validation, ["IsValid"]);
