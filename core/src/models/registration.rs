//! Request bodies for registration and profile updates, with LoginRadius casing on the wire.

use serde::{Deserialize, Serialize};

use super::{Country, EmailAddress, Extra};
use crate::Secret;

/// A new user for [`Auth::register`](crate::api::Auth::register) and
/// [`Auth::register_with_captcha`](crate::api::Auth::register_with_captcha).
///
/// The common profile fields are typed; any other schema field goes in [`extra`](Self::extra)
/// (set it with [`field`](Self::field)), and site-specific custom fields in `CustomFields`
/// ([`custom_field`](Self::custom_field)). The password is a [`Secret`] and never appears in
/// `Debug` output.
///
/// ```
/// use loginradius::models::Registration;
/// let user = Registration::new("jane@example.com", "correct horse")
///     .first_name("Jane")
///     .custom_field("plan", "pro")
///     .field("Gender", "F");
/// let json = serde_json::to_value(&user).unwrap();
/// assert_eq!(json["Email"][0]["Value"], "jane@example.com");
/// assert_eq!(json["Password"], "correct horse");
/// assert_eq!(json["CustomFields"]["plan"], "pro");
/// assert_eq!(json["Gender"], "F");
/// assert!(!format!("{user:?}").contains("correct horse"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Registration {
    /// Email addresses (`Email`), usually one of type `Primary`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email: Vec<EmailAddress>,
    /// The password (`Password`).
    #[serde(default)]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub password: Secret,
    /// `PhoneId` (E.164), for phone registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_id: Option<String>,
    /// `UserName`, when the site uses usernames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `FirstName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `LastName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `FullName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// `CustomFields`: the site's custom schema fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// Any other profile field, written as given (`Gender`, `BirthDate`, `Country`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Registration {
    /// A user with a primary email address and a password.
    pub fn new(email: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            email: vec![EmailAddress {
                kind: "Primary".into(),
                value: email.into(),
            }],
            password: password.into(),
            ..Self::default()
        }
    }

    /// A user registering with a phone number (`PhoneId`) and a password.
    pub fn with_phone(phone: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            phone_id: Some(phone.into()),
            password: password.into(),
            ..Self::default()
        }
    }

    /// Sets `FirstName`.
    pub fn first_name(mut self, name: impl Into<String>) -> Self {
        self.first_name = Some(name.into());
        self
    }

    /// Sets `LastName`.
    pub fn last_name(mut self, name: impl Into<String>) -> Self {
        self.last_name = Some(name.into());
        self
    }

    /// Sets `FullName`.
    pub fn full_name(mut self, name: impl Into<String>) -> Self {
        self.full_name = Some(name.into());
        self
    }

    /// Sets `UserName`.
    pub fn user_name(mut self, name: impl Into<String>) -> Self {
        self.user_name = Some(name.into());
        self
    }

    /// Sets `PhoneId`.
    pub fn phone_id(mut self, phone: impl Into<String>) -> Self {
        self.phone_id = Some(phone.into());
        self
    }

    /// Sets one entry of `CustomFields`.
    pub fn custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.custom_fields
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Sets any other top-level profile field, with its LoginRadius name (`"Gender"`).
    pub fn field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }
}

/// A partial profile for [`Auth::update_profile`](crate::api::Auth::update_profile): only the
/// fields that are set are sent.
///
/// Any other schema field goes in [`extra`](Self::extra) with its LoginRadius name. With the
/// `null_support(true)` option, [`clear`](Self::clear) sends an explicit `null` that erases a
/// field.
///
/// ```
/// use loginradius::models::ProfileUpdate;
/// let update = ProfileUpdate::new().first_name("Jane").custom_field("plan", "pro").clear("NickName");
/// assert_eq!(
///     serde_json::to_string(&update).unwrap(),
///     r#"{"FirstName":"Jane","CustomFields":{"plan":"pro"},"NickName":null}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProfileUpdate {
    /// `FirstName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `MiddleName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// `LastName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `FullName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// `NickName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    /// `BirthDate` (`MM-dd-yyyy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// `Gender`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// `Company`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// `About`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// `Country`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// `CustomFields`: the site's custom schema fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// Any other profile field, written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ProfileUpdate {
    /// An empty update.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `FirstName`.
    pub fn first_name(mut self, name: impl Into<String>) -> Self {
        self.first_name = Some(name.into());
        self
    }

    /// Sets `LastName`.
    pub fn last_name(mut self, name: impl Into<String>) -> Self {
        self.last_name = Some(name.into());
        self
    }

    /// Sets `FullName`.
    pub fn full_name(mut self, name: impl Into<String>) -> Self {
        self.full_name = Some(name.into());
        self
    }

    /// Sets one entry of `CustomFields`.
    pub fn custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.custom_fields
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Sets any other top-level profile field, with its LoginRadius name.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// Sends `null` for a field, which erases it when the update is sent with
    /// `null_support(true)`.
    pub fn clear(mut self, name: impl Into<String>) -> Self {
        self.extra.insert(name.into(), serde_json::Value::Null);
        self
    }

    /// True when nothing would be sent.
    pub fn is_empty(&self) -> bool {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_object().map(serde_json::Map::is_empty))
            .unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_body_matches_the_reference_order() {
        let r = Registration::new("new@example.com", "s3cret!");
        let body = crate::wire::json::to_vec(&r).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"Email": [{"Type": "Primary", "Value": "new@example.com"}], "Password": "s3cret!"}"#
        );
    }

    #[test]
    fn registration_round_trips_unknown_fields() {
        let r: Registration = serde_json::from_value(serde_json::json!({
            "Email": [{"Type": "Primary", "Value": "a@b.c"}], "Password": "p", "Gender": "F"
        }))
        .unwrap();
        assert_eq!(r.extra["Gender"], "F");
        assert_eq!(r.password.expose(), "p");
    }

    #[test]
    fn empty_update_is_empty() {
        assert!(ProfileUpdate::new().is_empty());
        assert!(!ProfileUpdate::new().clear("About").is_empty());
    }
}
