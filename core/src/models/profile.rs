//! The user profile (LoginRadius "Identity").

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::debug_hiding_extra_secrets;
use super::{Extra, shape, timestamp};

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
///
/// Decoding is tolerant where the service varies and strict where it matters:
/// - keys are matched in any casing (`phoneId` fills [`Profile::phone_id`] when `PhoneId` is
///   absent or null);
/// - a typed field whose value has another type (`"Country": "India"`, `"PhoneNumbers": 12`) is
///   left unset and its raw value kept in [`Profile::extra`] under the key as sent, instead of
///   failing the whole profile;
/// - `{"Data": [profile]}` is read as the profile it wraps;
/// - a body with neither `Uid` nor `ID` is an error (a wrong-shaped body never decodes into an
///   empty profile), unless the call selected `fields`. When the top level has no `Uid`, the
///   `Uid` of the first entry of `Identities` that carries one is taken, as one documented answer
///   only nests the account's identity there.
///
/// ```
/// use loginradius::models::Profile;
/// let p: Profile = serde_json::from_str(
///     r#"{"Uid": "u1", "phoneId": "+16045552368", "Country": "India"}"#,
/// ).unwrap();
/// assert_eq!(p.phone_id.as_deref(), Some("+16045552368"));
/// assert!(p.country.is_none());
/// assert_eq!(p.extra["Country"], "India");
/// assert!(serde_json::from_str::<Profile>(r#"{"Name": "not a profile"}"#).is_err());
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
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

debug_hiding_extra_secrets!(
    Profile,
    [
        uid,
        id,
        provider,
        email,
        email_verified,
        user_name,
        first_name,
        last_name,
        full_name,
        about,
        phone_id,
        phone_id_verified,
        phone_numbers,
        country,
        roles,
        custom_fields,
        is_active,
        is_deleted,
        is_login_locked,
        no_of_logins,
        last_login_date,
        created_date,
        modified_date
    ]
);

/// The fields of a profile object being read: each typed field is taken out in any casing and
/// decoded on its own; a value of another type goes back under its key as sent.
struct Fields {
    rest: Map<String, Value>,
    kept: Vec<(String, Value)>,
}

impl Fields {
    fn take<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let (key, value) = shape::take(&mut self.rest, name)?;
        if value.is_null() {
            return None;
        }
        match T::deserialize(&value) {
            Ok(v) => Some(v),
            Err(_) => {
                self.kept.push((key, value));
                None
            }
        }
    }

    fn flag(&mut self, name: &str) -> bool {
        self.take(name).unwrap_or_default()
    }

    fn time(&mut self, name: &str) -> Option<OffsetDateTime> {
        let text: Option<String> = self.take(name);
        text.as_deref().and_then(timestamp::parse)
    }

    fn finish(mut self) -> Extra {
        self.rest.extend(self.kept);
        self.rest
    }
}

/// The `Uid` of the first entry of `Identities` that carries one.
fn uid_of_identities(map: &Map<String, Value>) -> Option<String> {
    let key = shape::find_key(map, "Identities")?;
    map.get(&key)?.as_array()?.iter().find_map(|identity| {
        let identity = identity.as_object()?;
        let key = shape::find_key(identity, "Uid")?;
        identity
            .get(&key)?
            .as_str()
            .filter(|uid| !uid.is_empty())
            .map(str::to_owned)
    })
}

impl Profile {
    /// Reads a profile from its JSON object; see the type's documentation for the rules.
    fn from_object<E: de::Error>(mut map: Map<String, Value>) -> Result<Self, E> {
        if let Some(inner) = shape::single_data_item(&map) {
            map = inner;
        }
        let nested_uid = uid_of_identities(&map);
        let mut f = Fields {
            rest: map,
            kept: Vec::new(),
        };
        let mut uid: Option<String> = f.take("Uid");
        let id: Option<String> = f.take("ID");
        if uid.as_deref().is_none_or(str::is_empty) && id.as_deref().is_none_or(str::is_empty) {
            uid = nested_uid;
            if uid.is_none() && !shape::fields_selected() {
                return Err(de::Error::missing_field("Uid"));
            }
        }
        Ok(Self {
            uid: uid.unwrap_or_default(),
            id,
            provider: f.take("Provider"),
            email: f.take("Email"),
            email_verified: f.flag("EmailVerified"),
            user_name: f.take("UserName"),
            first_name: f.take("FirstName"),
            last_name: f.take("LastName"),
            full_name: f.take("FullName"),
            about: f.take("About"),
            phone_id: f.take("PhoneId"),
            phone_id_verified: f.flag("PhoneIdVerified"),
            phone_numbers: f.take("PhoneNumbers"),
            country: f.take("Country"),
            roles: f.take("Roles"),
            custom_fields: f.take("CustomFields"),
            is_active: f.flag("IsActive"),
            is_deleted: f.flag("IsDeleted"),
            is_login_locked: f.flag("IsLoginLocked"),
            no_of_logins: f.take("NoOfLogins"),
            last_login_date: f.time("LastLoginDate"),
            created_date: f.time("CreatedDate"),
            modified_date: f.time("ModifiedDate"),
            extra: f.finish(),
        })
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::from_object(Map::deserialize(d)?)
    }
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
