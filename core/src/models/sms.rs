//! What the service answers when it has sent a text message (SMS or voice OTP).

use serde::{Deserialize, Serialize};

use super::Extra;

/// `SmsResponseData`: the message provider's ids for a text LoginRadius sent,
/// `{"AccountSid": null, "Sid": "8071aba1-…"}`.
///
/// It arrives as the `Data` of a [`PostedWith`](super::PostedWith) when a phone OTP is sent
/// (forgot password, phone verification, phone number update, forgot PIN) and as `OTPStatus` in
/// the MFA settings. Neither id is a secret: they identify the message at the SMS provider.
///
/// ```
/// let sms: loginradius::models::SmsResponse =
///     serde_json::from_str(r#"{"AccountSid":null,"Sid":"8071aba1-0e29-4c2b-9a3e-1b2c3d4e5f60"}"#).unwrap();
/// assert_eq!(sms.sid.as_deref(), Some("8071aba1-0e29-4c2b-9a3e-1b2c3d4e5f60"));
/// assert!(sms.account_sid.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SmsResponse {
    /// The provider account that sent the message (`AccountSid`), often `null`.
    #[serde(rename = "AccountSid", default)]
    pub account_sid: Option<String>,
    /// The message id at the provider (`Sid`). The key must be there (its value may be `null`):
    /// a body without it is not an SMS receipt and is an error.
    #[serde(rename = "Sid", deserialize_with = "Option::deserialize")]
    pub sid: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}
