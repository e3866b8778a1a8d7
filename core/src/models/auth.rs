//! Responses of the authentication flows: token information, security questions, email
//! verification and the `{IsPosted, IsVerified}` answer of link verifications.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::debug_hiding_extra_secrets;
use super::shape::any_case;
use super::{Extra, Profile, timestamp};
use crate::Secret;

/// A security question configured on an account: `{"QuestionId": "…", "Question": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityQuestion {
    /// The question's id, the key of its answer in a security-answer map.
    #[serde(rename = "QuestionId", alias = "questionid", default)]
    pub question_id: String,
    /// The question's text.
    #[serde(rename = "Question", alias = "question", default)]
    pub question: String,
}

/// Information about an active access token (`GET /identity/v2/auth/access_token`), with the
/// service's lowercase keys: `{"provider": "facebook", "access_token": "…", "isrememberme": true}`
/// (read in any casing). A body without `access_token` is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct TokenInfo {
    /// The provider the token was issued for (`Email`, `facebook`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The token itself.
    #[serde(serialize_with = "crate::secret::exposed")]
    pub access_token: Secret,
    /// Whether the session was started with "remember me".
    #[serde(rename = "isrememberme", default)]
    pub is_remember_me: bool,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(TokenInfo, ["provider", "access_token", "isrememberme"]);

/// `{"IsPosted": true, "IsVerified": true}`: the answer to smart-login and one-touch link
/// verifications. Keys are matched in any casing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Verified {
    /// Whether the request was accepted.
    #[serde(rename = "IsPosted", default)]
    pub is_posted: bool,
    /// Whether the token was verified.
    #[serde(rename = "IsVerified", default)]
    pub is_verified: bool,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(Verified, ["IsPosted", "IsVerified"], at_least_one);

/// The `Data` of an email verification. With "auto login after email verification" enabled it
/// carries the profile and tokens; otherwise some or all of it is absent. The variants of a
/// login answer ([`LoginResponse`](super::LoginResponse)) are read the same way.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct EmailVerificationData {
    /// The verified user's profile.
    #[serde(rename = "Profile", default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// An access token, when the site logs the user in after verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub access_token: Option<Secret>,
    /// A refresh token, when issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub refresh_token: Option<Secret>,
    /// When the access token expires.
    #[serde(with = "timestamp::option", default)]
    pub expires_in: Option<OffsetDateTime>,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(EmailVerificationData, [], super::token::login_shape);
debug_hiding_extra_secrets!(
    EmailVerificationData,
    [profile, access_token, refresh_token, expires_in]
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_info_reads_lowercase_keys_and_hides_the_token() {
        let info: TokenInfo = serde_json::from_value(json!({
            "provider": "facebook", "access_token": "tok-123", "isrememberme": true, "expires_in": "2030-01-01T00:00:00Z"
        }))
        .unwrap();
        assert_eq!(info.provider.as_deref(), Some("facebook"));
        assert_eq!(info.access_token.expose(), "tok-123");
        assert!(info.is_remember_me);
        assert!(info.extra.contains_key("expires_in"));
        assert!(!format!("{info:?}").contains("tok-123"));
    }

    #[test]
    fn email_verification_data_tolerates_missing_tokens() {
        let data: EmailVerificationData =
            serde_json::from_value(json!({"Profile": {"Uid": "u1"}})).unwrap();
        assert_eq!(data.profile.map(|p| p.uid), Some("u1".to_owned()));
        assert!(data.access_token.is_none());
        let full: EmailVerificationData = serde_json::from_value(json!({
            "access_token": "a", "refresh_token": "r", "expires_in": "2017-08-17T10:52:36.1644137Z"
        }))
        .unwrap();
        assert!(full.expires_in.is_some());
        assert_eq!(
            full.refresh_token.map(|t| t.expose().to_owned()).as_deref(),
            Some("r")
        );
    }

    #[test]
    fn security_questions_parse_as_a_list() {
        let list: Vec<SecurityQuestion> = serde_json::from_value(json!([
            {"QuestionId": "db7", "Question": "Your first pet?"}
        ]))
        .unwrap();
        assert_eq!(list[0].question_id, "db7");
    }
}
