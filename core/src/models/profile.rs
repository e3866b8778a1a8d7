//! The user profile (LoginRadius "Identity").

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Extra, timestamp};

/// One entry of `Email`: `{"Type": "Primary", "Value": "jane@example.com"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailAddress {
    /// `Primary`, `Secondary`, …
    #[serde(rename = "Type", alias = "type", default)]
    pub kind: String,
    /// The address.
    #[serde(alias = "value")]
    pub value: String,
}

/// One entry of `PhoneNumbers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PhoneNumber {
    /// `Mobile`, `Home`, …
    #[serde(default)]
    pub phone_type: Option<String>,
    /// The number.
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// `Country`: `{"Code": "FR", "Name": "France"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Country {
    /// ISO code.
    #[serde(default)]
    pub code: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A user profile as LoginRadius returns it. The commonly used fields are typed; everything else
/// (social fields, consent, custom schema fields) is in [`Profile::extra`], and custom fields
/// are read with [`Profile::custom_field`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Profile {
    /// The LoginRadius user id (`Uid`).
    pub uid: String,
    /// The provider-specific id (`ID`).
    #[serde(rename = "ID", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Email`, `Facebook`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Email addresses (`Email`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<Vec<EmailAddress>>,
    /// Whether the email address is verified.
    pub email_verified: bool,
    /// `UserName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `FirstName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `LastName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `FullName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// `About`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// `PhoneId` (E.164).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_id: Option<String>,
    /// `PhoneIdVerified`.
    pub phone_id_verified: bool,
    /// `PhoneNumbers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// `Country`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// `Roles` as stored on the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// `CustomFields`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// `IsActive`: false when the account is blocked.
    pub is_active: bool,
    /// `IsDeleted`.
    pub is_deleted: bool,
    /// `IsLoginLocked`.
    pub is_login_locked: bool,
    /// `NoOfLogins`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_of_logins: Option<u64>,
    /// `LastLoginDate`.
    #[serde(with = "timestamp::option", skip_serializing_if = "Option::is_none")]
    pub last_login_date: Option<OffsetDateTime>,
    /// `CreatedDate`.
    #[serde(with = "timestamp::option", skip_serializing_if = "Option::is_none")]
    pub created_date: Option<OffsetDateTime>,
    /// `ModifiedDate`.
    #[serde(with = "timestamp::option", skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<OffsetDateTime>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Profile {
    /// The primary email address, or the first one.
    pub fn primary_email(&self) -> Option<&str> {
        let emails = self.email.as_deref()?;
        emails
            .iter()
            .find(|e| e.kind.eq_ignore_ascii_case("primary"))
            .or_else(|| emails.first())
            .map(|e| e.value.as_str())
    }

    /// Reads a custom field as `T`: `None` when absent or null, an error when present with
    /// another type.
    ///
    /// ```
    /// let profile: loginradius::models::Profile = serde_json::from_value(serde_json::json!({
    ///     "Uid": "u1", "CustomFields": {"plan": "pro", "seats": 3}
    /// })).unwrap();
    /// assert_eq!(profile.custom_field::<String>("plan").unwrap().as_deref(), Some("pro"));
    /// assert_eq!(profile.custom_field::<u32>("seats").unwrap(), Some(3));
    /// assert!(profile.custom_field::<u32>("plan").is_err());
    /// ```
    pub fn custom_field<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.custom_fields.as_ref().and_then(|f| f.get(name)) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let input = serde_json::json!({
            "Uid": "4b4c1d38724f4f0a9200196a1b3959aa", "Email": [{"Type": "Primary", "Value": "jane@example.com"}],
            "EmailVerified": true, "FirstName": "Jane", "ImageUrl": "https://x/y.png", "LastLoginDate": "2024-01-02T03:04:05.1234567Z",
            "Identities": null
        });
        let p: Profile = serde_json::from_value(input).unwrap();
        assert_eq!(p.primary_email(), Some("jane@example.com"));
        assert_eq!(
            p.extra.get("ImageUrl").and_then(|v| v.as_str()),
            Some("https://x/y.png")
        );
        assert!(p.last_login_date.is_some());
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(back["ImageUrl"], "https://x/y.png");
        assert_eq!(back["Uid"], "4b4c1d38724f4f0a9200196a1b3959aa");
    }
}
