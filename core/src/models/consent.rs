//! Consent management: the request bodies, and the service's answers as the official SDKs type
//! them (consent logs, the consent profile). Keys are matched in any casing.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::shape::{self, any_case};
use super::{Extra, timestamp};

/// One consent option, accepted or declined: `{"consentOptionId": …, "isAccepted": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentChoice {
    /// The consent option's id in the consent form.
    #[serde(rename = "consentOptionId")]
    pub option_id: String,
    /// Whether the user accepts it.
    #[serde(rename = "isAccepted")]
    pub accepted: bool,
}

impl ConsentChoice {
    /// The user accepts the option.
    pub fn accept(option_id: impl Into<String>) -> Self {
        Self {
            option_id: option_id.into(),
            accepted: true,
        }
    }

    /// The user declines the option.
    pub fn decline(option_id: impl Into<String>) -> Self {
        Self {
            option_id: option_id.into(),
            accepted: false,
        }
    }
}

/// The event a consent form answers: `{"event": …, "isCustom": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentEvent {
    /// The event name (`Login`, `Register`, … or a custom event).
    pub event: String,
    /// True for a custom event.
    #[serde(rename = "isCustom")]
    pub is_custom: bool,
}

impl ConsentEvent {
    /// A built-in event.
    pub fn new(event: impl Into<String>) -> Self {
        Self {
            event: event.into(),
            is_custom: false,
        }
    }

    /// A custom event.
    pub fn custom(event: impl Into<String>) -> Self {
        Self {
            event: event.into(),
            is_custom: true,
        }
    }
}

/// A submitted consent form: `{"data": [choice…], "events": [event…]}`, for
/// [`Consent::submit`](crate::api::Consent::submit) and
/// [`Consent::submit_with_consent_token`](crate::api::Consent::submit_with_consent_token).
///
/// ```
/// use loginradius::models::{ConsentChoice, ConsentEvent, ConsentSubmission};
/// let form = ConsentSubmission::new([ConsentChoice::accept("marketing")], [ConsentEvent::new("Register")]);
/// assert_eq!(
///     serde_json::to_string(&form).unwrap(),
///     r#"{"data":[{"consentOptionId":"marketing","isAccepted":true}],"events":[{"event":"Register","isCustom":false}]}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentSubmission {
    /// The answers.
    pub data: Vec<ConsentChoice>,
    /// The events the form answers.
    pub events: Vec<ConsentEvent>,
}

impl ConsentSubmission {
    /// A form with these answers for these events.
    pub fn new(
        choices: impl IntoIterator<Item = ConsentChoice>,
        events: impl IntoIterator<Item = ConsentEvent>,
    ) -> Self {
        Self {
            data: choices.into_iter().collect(),
            events: events.into_iter().collect(),
        }
    }
}

/// Changed consents: `{"consents": [choice…]}`, for
/// [`Consent::update`](crate::api::Consent::update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentUpdate {
    /// The new answers.
    pub consents: Vec<ConsentChoice>,
}

impl ConsentUpdate {
    /// An update with these answers.
    pub fn new(choices: impl IntoIterator<Item = ConsentChoice>) -> Self {
        Self {
            consents: choices.into_iter().collect(),
        }
    }
}

/// `{"Uid": …, "ConsentLogs": [entry…]}`: the consent history of a user, from
/// [`Consent::logs`](crate::api::Consent::logs) and
/// [`Consent::logs_of_user`](crate::api::Consent::logs_of_user). A body without the list is an
/// error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ConsentLogs {
    /// The user (`Uid`), when the service says.
    #[serde(rename = "Uid", default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// The entries (`ConsentLogs`), oldest first as sent.
    #[serde(rename = "ConsentLogs", deserialize_with = "shape::null_as_default")]
    pub logs: Vec<ConsentLogEntry>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(ConsentLogs, ["Uid", "ConsentLogs"]);

/// One consent log entry: `{"Id", "UpdateType", "LoggedOnDate", "ConsentLogs": […], …}`; the
/// consents changed and the form versions are in [`ConsentLogEntry::extra`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConsentLogEntry {
    /// `Id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `UpdateType` (`Default`, `Custom`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_type: Option<String>,
    /// `LoggedOnDate`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub logged_on_date: Option<OffsetDateTime>,
    /// Other fields (`ConsentLogs`, `CurrentConsentFormsVersions`, `IP`, `UserAgent`…).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{"AcceptedConsentVersions": […], "Consents": […]}`: a user's consent profile, from
/// [`Consent::update`](crate::api::Consent::update). A body with neither list is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ConsentProfile {
    /// The consent-form versions the user accepted (`AcceptedConsentVersions`).
    #[serde(
        rename = "AcceptedConsentVersions",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    pub accepted_versions: Vec<ConsentFormVersion>,
    /// The consent options the user accepted (`Consents`).
    #[serde(rename = "Consents", deserialize_with = "shape::null_as_default")]
    pub consents: Vec<GivenConsent>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(ConsentProfile, ["AcceptedConsentVersions", "Consents"]);

/// One accepted consent-form version: `{"Event": "Login", "Version": 1, "IsCustom": false}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConsentFormVersion {
    /// `Event`.
    #[serde(default)]
    pub event: String,
    /// `Version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// `IsCustom`.
    #[serde(default)]
    pub is_custom: bool,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One accepted consent option: `{"ConsentOptionId": "email_consent", "AcceptOnDate": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GivenConsent {
    /// `ConsentOptionId`.
    pub consent_option_id: String,
    /// `AcceptOnDate`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub accept_on_date: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}
