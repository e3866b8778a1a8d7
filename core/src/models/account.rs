//! Account management (`/identity/v2/manage/account`): the account-create input, password
//! hashes, verification and reset tokens, and identity lists.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::failure;
use super::shape::{self, any_case};
use super::{EmailAddress, Extra, Profile, timestamp};
use crate::Secret;

/// A user to create with [`Account::create`](crate::api::Account::create)
/// (`POST /identity/v2/manage/account`). Creating a user this way skips email verification
/// unless `EmailVerified` is false. Any other profile field (custom fields, `Addresses`…)
/// goes into [`NewAccount::extra`] with its LoginRadius name.
///
/// ```
/// use loginradius::models::NewAccount;
/// let account = NewAccount::with_email("jane@example.com", "S3cret!pass")
///     .first_name("Jane")
///     .field("CustomFields", serde_json::json!({"plan": "pro"}));
/// let body = serde_json::to_value(&account).unwrap();
/// assert_eq!(body["Email"][0]["Value"], "jane@example.com");
/// assert_eq!(body["Password"], "S3cret!pass");
/// assert_eq!(body["CustomFields"]["plan"], "pro");
/// assert!(!format!("{account:?}").contains("S3cret"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewAccount {
    /// `Email`: the addresses, `[{"Type": "Primary", "Value": …}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email: Vec<EmailAddress>,
    /// `Password`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub password: Option<Secret>,
    /// `UserName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `PhoneId` (E.164).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_id: Option<String>,
    /// `FirstName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `LastName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `EmailVerified`: mark the email verified (no verification email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// `PhoneIdVerified`: mark the phone verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_id_verified: Option<bool>,
    /// Any other profile field, with its LoginRadius name.
    #[serde(flatten)]
    pub extra: Extra,
}

impl NewAccount {
    /// A user with a primary email address and a password.
    pub fn with_email(email: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            email: vec![EmailAddress {
                kind: "Primary".to_owned(),
                value: email.into(),
            }],
            password: Some(password.into()),
            ..Self::default()
        }
    }

    /// A user identified by phone number, with a password.
    pub fn with_phone(phone_id: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            phone_id: Some(phone_id.into()),
            password: Some(password.into()),
            ..Self::default()
        }
    }

    /// Sets `FirstName`.
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.first_name = Some(value.into());
        self
    }

    /// Sets `LastName`.
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.last_name = Some(value.into());
        self
    }

    /// Sets `UserName`.
    pub fn user_name(mut self, value: impl Into<String>) -> Self {
        self.user_name = Some(value.into());
        self
    }

    /// Sets `EmailVerified`.
    pub fn email_verified(mut self, verified: bool) -> Self {
        self.email_verified = Some(verified);
        self
    }

    /// Sets `PhoneIdVerified`.
    pub fn phone_id_verified(mut self, verified: bool) -> Self {
        self.phone_id_verified = Some(verified);
        self
    }

    /// Sets any other profile field by its LoginRadius name (`"Gender"`, `"CustomFields"`…).
    pub fn field(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }
}

/// `{"PasswordHash": "Rfc2898DeriveBytes$…"}`: a user's stored password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordHash {
    /// `PasswordHash`. Kept secret: never printed.
    /// Empty for an account without a password (LoginRadius answers `null`: an account from
    /// a social or email-link sign-in).
    #[serde(rename = "PasswordHash", default, deserialize_with = "null_as_empty")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub hash: Secret,
}

impl PasswordHash {
    /// Whether the account has a password.
    pub fn exists(&self) -> bool {
        !self.hash.expose().is_empty()
    }
}

/// A string that may be `null`, as a secret (empty for `null`).
fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
    Option::<String>::deserialize(deserializer).map(|s| Secret::from(s.unwrap_or_default()))
}

/// `{"VerificationToken": …, "expires_in": …}`: an email-verification token made for an
/// address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailVerificationToken {
    /// `VerificationToken`.
    #[serde(rename = "VerificationToken")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub token: Secret,
    /// `expires_in`: when the token expires.
    #[serde(rename = "expires_in", with = "timestamp::option", default)]
    pub expires_at: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{"ForgotToken": …, "IdentityProviders": ["Facebook"]}`: a reset-password token made for an
/// address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForgotPasswordToken {
    /// `ForgotToken`: pass it to the reset-password call.
    #[serde(rename = "ForgotToken")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub token: Secret,
    /// `IdentityProviders`: social providers linked to the account.
    #[serde(
        rename = "IdentityProviders",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    pub identity_providers: Vec<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{"Data": [Identity…]}`: every identity (uid and profile) that shares an email address.
/// Keys are matched in any casing; a body without the list is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Identities {
    /// The identities.
    #[serde(rename = "Data", deserialize_with = "shape::null_as_default")]
    pub identities: Vec<Profile>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(Identities, ["Data"]);

/// `{"Token": …, "ExpiresIn": …}`: a one-time token or SMS OTP made for a user by
/// [`Account::generate_email_token`](crate::api::Account::generate_email_token) or
/// [`Account::generate_sms_otp`](crate::api::Account::generate_sms_otp). Keys in any casing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct OneTimeToken {
    /// `Token`. Kept secret: never printed.
    #[serde(rename = "Token", serialize_with = "crate::secret::exposed")]
    pub token: Secret,
    /// `ExpiresIn`: when the token expires.
    #[serde(rename = "ExpiresIn", with = "timestamp::option", default)]
    pub expires_at: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(OneTimeToken, ["Token", "ExpiresIn"]);

/// `{"Uid", "Current": acceptance, "History": [acceptance…]}`: the privacy-policy versions a
/// user accepted, from [`Auth::privacy_policy_history`](crate::api::Auth::privacy_policy_history)
/// and [`Account::privacy_policy_history`](crate::api::Account::privacy_policy_history). A body
/// with neither `Current` nor `History` is an error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyAcceptances {
    /// `Uid`, when the service says.
    #[serde(rename = "Uid", skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// The version accepted last (`Current`).
    #[serde(rename = "Current", skip_serializing_if = "Option::is_none")]
    pub current: Option<PolicyAcceptance>,
    /// Earlier acceptances (`History`).
    #[serde(rename = "History")]
    pub history: Vec<PolicyAcceptance>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<'de> Deserialize<'de> for PolicyAcceptances {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(rename = "Uid", default)]
            uid: Option<String>,
            #[serde(rename = "Current", default)]
            current: Option<PolicyAcceptance>,
            #[serde(rename = "History", default)]
            history: Option<Vec<PolicyAcceptance>>,
            #[serde(flatten)]
            extra: Extra,
        }
        let mut map = serde_json::Map::deserialize(d)?;
        shape::canonical_keys(&mut map, &["Uid", "Current", "History"]);
        if !map.contains_key("Current") && !map.contains_key("History") {
            return Err(serde::de::Error::missing_field("History"));
        }
        let wire: Wire = failure::nested(serde_json::Value::Object(map), |d| Wire::deserialize(d))?;
        Ok(Self {
            uid: wire.uid,
            current: wire.current,
            history: wire.history.unwrap_or_default(),
            extra: wire.extra,
        })
    }
}

/// One privacy-policy acceptance: `{"Version", "AcceptSource", "AcceptDateTime"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyAcceptance {
    /// `Version`.
    #[serde(default)]
    pub version: String,
    /// `AcceptSource` (`API`, the page…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_source: Option<String>,
    /// `AcceptDateTime`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub accept_date_time: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_account_writes_loginradius_casing_and_omits_unset_fields() {
        let a = NewAccount::with_phone("+16045552368", "pw")
            .user_name("jane")
            .last_name("Doe")
            .email_verified(true)
            .phone_id_verified(true);
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"Password": "pw", "UserName": "jane", "PhoneId": "+16045552368",
                   "LastName": "Doe", "EmailVerified": true, "PhoneIdVerified": true})
        );
    }

    #[test]
    fn token_models_read_the_documented_samples() {
        let t: EmailVerificationToken = serde_json::from_value(
            json!({"VerificationToken": "vt-1", "expires_in": "2017-08-17T10:52:36.1644137Z"}),
        )
        .unwrap();
        assert_eq!(t.token.expose(), "vt-1");
        assert!(t.expires_at.is_some());
        let f: ForgotPasswordToken =
            serde_json::from_value(json!({"ForgotToken": "ft-1", "IdentityProviders": null}))
                .unwrap();
        assert_eq!(f.token.expose(), "ft-1");
        assert!(f.identity_providers.is_empty());
        assert!(!format!("{f:?}{t:?}").contains("t-1"));
        let h: PasswordHash =
            serde_json::from_value(json!({"PasswordHash": "Rfc2898DeriveBytes$1000$abc"})).unwrap();
        assert!(!format!("{h:?}").contains("Rfc2898"));
        let ids: Identities =
            serde_json::from_value(json!({"Data": [{"Uid": "a"}, {"Uid": "b"}]})).unwrap();
        assert_eq!(ids.identities[1].uid, "b");
    }
}
