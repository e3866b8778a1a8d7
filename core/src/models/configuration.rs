//! Site configuration, server information and server-issued SOTTs.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::shape::any_case;
use super::{Extra, timestamp};
use crate::Secret;

/// A SOTT issued by the service (`GET /identity/v2/manage/account/sott`):
/// `{"Sott": "…", "ExpiryTime": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratedSott {
    /// The SOTT, to pass to [`Auth::register`](crate::api::Auth::register).
    #[serde(rename = "Sott")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub sott: Secret,
    /// When it stops being accepted.
    #[serde(rename = "ExpiryTime", with = "timestamp::option", default)]
    pub expiry_time: Option<OffsetDateTime>,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl From<GeneratedSott> for Secret {
    fn from(value: GeneratedSott) -> Self {
        value.sott
    }
}

/// The SOTT validity window the server proposes, as written by the server (for
/// [`LoginRadius::local_sott_between`](crate::LoginRadius::local_sott_between)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SottWindow {
    /// `StartTime`, e.g. `2017-11-06 06:15:53`.
    #[serde(rename = "StartTime", default)]
    pub start_time: String,
    /// `EndTime`.
    #[serde(rename = "EndTime", default)]
    pub end_time: String,
    /// `TimeDifference`, e.g. `5 Minutes`.
    #[serde(
        rename = "TimeDifference",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub time_difference: Option<String>,
}

/// Server location and time (`GET /identity/v2/serverinfo`). Keys are matched in any casing; a
/// body with none of them is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ServerInfo {
    /// `ServerLocation`.
    #[serde(
        rename = "ServerLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub server_location: Option<String>,
    /// `ServerName`.
    #[serde(
        rename = "ServerName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub server_name: Option<String>,
    /// `CurrentTime` as written by the server (`2017-11-06 06:15:53`, UTC); see
    /// [`current_time_utc`](Self::current_time_utc).
    #[serde(
        rename = "CurrentTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_time: Option<String>,
    /// `Sott`: a SOTT window valid on the server's clock.
    #[serde(rename = "Sott", default, skip_serializing_if = "Option::is_none")]
    pub sott: Option<SottWindow>,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(
    ServerInfo,
    ["ServerLocation", "ServerName", "CurrentTime", "Sott"],
    at_least_one
);

impl ServerInfo {
    /// The server's current time, read as UTC.
    ///
    /// ```
    /// let info: loginradius::models::ServerInfo =
    ///     serde_json::from_value(serde_json::json!({"CurrentTime": "2017-11-06 06:15:53"})).unwrap();
    /// assert_eq!(info.current_time_utc().unwrap().unix_timestamp(), 1_509_948_953);
    /// ```
    pub fn current_time_utc(&self) -> Option<OffsetDateTime> {
        let text = self.current_time.as_deref()?.trim();
        timestamp::parse(&text.replacen(' ', "T", 1))
    }
}

/// Multi-factor settings of the site (`TwoFactorAuthentication` in the app configuration).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TwoFactorConfig {
    /// MFA is enabled.
    pub is_enabled: bool,
    /// MFA is required for every user (rather than optional).
    pub is_required: bool,
    /// The legacy Google Authenticator factor is on.
    pub is_google_authenticator: bool,
    /// The authenticator-app (TOTP) factor is on.
    pub is_authenticator: bool,
    /// The SMS OTP factor is on.
    #[serde(rename = "IsSmsOTPAuthenticator")]
    pub is_sms_otp_authenticator: bool,
    /// The email OTP factor is on.
    #[serde(rename = "IsEmailOTPAuthenticator")]
    pub is_email_otp_authenticator: bool,
    /// The security-question factor is on.
    pub is_security_question_authenticator: bool,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The site's dashboard configuration (`GET https://config.lrcontent.com/ciam/appinfo`).
///
/// Only `TwoFactorAuthentication` is documented; the rest of the service's shape is
/// undocumented and kept as JSON in [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AppConfiguration {
    /// `TwoFactorAuthentication`.
    #[serde(
        rename = "TwoFactorAuthentication",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub two_factor_authentication: Option<TwoFactorConfig>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AppConfiguration {
    /// A top-level setting by its LoginRadius name (`"IsPhoneLogin"`), if present.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.extra.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generated_sott_hides_its_value() {
        let s: GeneratedSott = serde_json::from_value(json!({
            "Sott": "abc*0123", "ExpiryTime": "2017-11-06T07:03:12.1100256Z"
        }))
        .unwrap();
        assert!(s.expiry_time.is_some());
        assert!(!format!("{s:?}").contains("abc*0123"));
        assert_eq!(Secret::from(s).expose(), "abc*0123");
    }

    #[test]
    fn server_info_exposes_the_sott_window() {
        let info: ServerInfo = serde_json::from_value(json!({
            "ServerLocation": "US", "ServerName": "lr-1", "CurrentTime": "2017-11-06 06:15:53",
            "Sott": {"StartTime": "2017-11-06 06:10:53", "EndTime": "2017-11-06 06:20:53", "TimeDifference": "5 Minutes"}
        }))
        .unwrap();
        let window = info.sott.unwrap();
        assert_eq!(window.start_time, "2017-11-06 06:10:53");
        assert_eq!(window.time_difference.as_deref(), Some("5 Minutes"));
    }

    #[test]
    fn app_configuration_types_mfa_and_keeps_the_rest() {
        let c: AppConfiguration = serde_json::from_value(json!({
            "TwoFactorAuthentication": {"IsEnabled": true, "IsRequired": false, "IsAuthenticator": true, "IsPasskeyAuthenticator": false},
            "IsPhoneLogin": true
        }))
        .unwrap();
        let mfa = c.two_factor_authentication.clone().unwrap();
        assert!(mfa.is_enabled && mfa.is_authenticator && !mfa.is_required);
        assert!(mfa.extra.contains_key("IsPasskeyAuthenticator"));
        assert_eq!(c.get("IsPhoneLogin"), Some(&json!(true)));
    }
}
