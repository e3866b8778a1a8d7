//! Request bodies for consent management. The service's answers are not documented in
//! `wire.md` and are returned as JSON by [`Consent`](crate::api::Consent).

use serde::Serialize;

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
