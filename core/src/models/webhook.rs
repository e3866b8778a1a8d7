//! Webhook subscriptions (`/v2/manage/webhooks`) and the events they can follow.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use super::failure;
use super::shape::{self, any_case};
use super::{Extra, timestamp};

/// One webhook subscription: `{"Id", "TargetUrl", "Event", "CreatedDate", "LastModifiedDate",
/// "SecretName", "Name", "IsIntegrationWebhook", "Headers", "QueryParams", "Authentication"}`.
///
/// `Debug` shows the names of the custom headers and query parameters but not their values, and
/// never the `Authentication` block: they often carry credentials for the target URL.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookSubscription {
    /// The subscription's id (`Id`), used by [`Webhooks::get`](crate::api::Webhooks::get),
    /// `update` and `delete`.
    #[serde(alias = "id")]
    pub id: String,
    /// Where LoginRadius posts the event (`TargetUrl`).
    #[serde(default, alias = "targetUrl")]
    pub target_url: String,
    /// The event followed (`Event`), for example `Login` or `Register`.
    #[serde(default, alias = "event")]
    pub event: String,
    /// The subscription's display name (`Name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `CreatedDate`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_date: Option<OffsetDateTime>,
    /// `LastModifiedDate`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date: Option<OffsetDateTime>,
    /// The name of the signing secret used for the `signature` header (`SecretName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
    /// `IsIntegrationWebhook`.
    #[serde(default)]
    pub is_integration_webhook: bool,
    /// Custom headers sent with each delivery (`Headers`).
    #[serde(default, deserialize_with = "shape::null_as_default")]
    pub headers: BTreeMap<String, String>,
    /// Custom query parameters added to the target URL (`QueryParams`).
    #[serde(default, deserialize_with = "shape::null_as_default")]
    pub query_params: BTreeMap<String, String>,
    /// How LoginRadius authenticates to the target URL (`Authentication`: `AuthType`,
    /// `BasicAuth`, `BearerToken`), as sent. Its inner shape is not documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<serde_json::Value>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for WebhookSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSubscription")
            .field("id", &self.id)
            .field("event", &self.event)
            .field("target_url", &self.target_url)
            .field("name", &self.name)
            .field("created_date", &self.created_date)
            .field("last_modified_date", &self.last_modified_date)
            .field("secret_name", &self.secret_name)
            .field("is_integration_webhook", &self.is_integration_webhook)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "query_params",
                &self.query_params.keys().collect::<Vec<_>>(),
            )
            .field(
                "authentication",
                &self.authentication.as_ref().map(|_| "***"),
            )
            .finish_non_exhaustive()
    }
}

/// Webhook subscriptions: `{"Data": [subscription…]}`.
///
/// Reading one subscription by id answers with the same list shape (the typed SDK models say
/// so); a bare subscription object is accepted too and read as a list of one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookSubscriptionList {
    /// The subscriptions.
    #[serde(rename = "Data")]
    pub subscriptions: Vec<WebhookSubscription>,
    /// Other fields of the list object.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<'de> Deserialize<'de> for WebhookSubscriptionList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        match shape::take(&mut map, "Data") {
            Some((_, serde_json::Value::Null)) => Ok(Self {
                subscriptions: Vec::new(),
                extra: map,
            }),
            Some((key, list)) => Ok(Self {
                subscriptions: failure::nested_field(&key, list)?,
                extra: map,
            }),
            None => {
                let one = failure::nested(serde_json::Value::Object(map), |d| {
                    WebhookSubscription::deserialize(d)
                })?;
                Ok(Self {
                    subscriptions: vec![one],
                    extra: Extra::new(),
                })
            }
        }
    }
}

/// The events a webhook can follow: `{"Data": ["Login", "Register", …]}` (keys in any casing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct WebhookEvents {
    /// Event names, as the service spells them.
    #[serde(rename = "Data", deserialize_with = "shape::null_as_default")]
    pub events: Vec<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(WebhookEvents, ["Data"]);

/// A subscription to create with [`Webhooks::create`](crate::api::Webhooks::create). Serialized
/// as `{"Event", "TargetUrl", "Name", "Headers", "QueryParams", "Authentication"}`, leaving
/// out what is not set.
///
/// ```
/// use loginradius::models::NewWebhook;
/// let hook = NewWebhook::new("Login", "https://example.com/hooks/login")
///     .name("audit")
///     .header("X-Source", "loginradius");
/// let json = serde_json::to_value(&hook).unwrap();
/// assert_eq!(json["Event"], "Login");
/// assert_eq!(json["TargetUrl"], "https://example.com/hooks/login");
/// assert_eq!(json["Headers"]["X-Source"], "loginradius");
/// ```
#[derive(Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewWebhook {
    /// The event to follow, for example `Login`.
    pub event: String,
    /// The URL LoginRadius posts to.
    pub target_url: String,
    /// A display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Custom headers sent with each delivery.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Custom query parameters added to the target URL.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub query_params: BTreeMap<String, String>,
    /// The `Authentication` block (`{"AuthType": "Basic", "BasicAuth": {…}}`), sent as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<serde_json::Value>,
}

impl NewWebhook {
    /// A subscription of `target_url` to `event`.
    pub fn new(event: impl Into<String>, target_url: impl Into<String>) -> Self {
        Self {
            event: event.into(),
            target_url: target_url.into(),
            name: None,
            headers: BTreeMap::new(),
            query_params: BTreeMap::new(),
            authentication: None,
        }
    }

    /// Sets the display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a custom header sent with each delivery.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Adds a custom query parameter to the target URL.
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query_params.insert(name.into(), value.into());
        self
    }

    /// Sets the `Authentication` block.
    pub fn authentication(mut self, authentication: serde_json::Value) -> Self {
        self.authentication = Some(authentication);
        self
    }
}

impl fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewWebhook")
            .field("event", &self.event)
            .field("target_url", &self.target_url)
            .field("name", &self.name)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "query_params",
                &self.query_params.keys().collect::<Vec<_>>(),
            )
            .field(
                "authentication",
                &self.authentication.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

/// Changes to a subscription, for [`Webhooks::update`](crate::api::Webhooks::update):
/// `{"Headers", "QueryParams", "Authentication"}`, leaving out what is not set. The service
/// does not let the event or the target URL change: delete and create instead.
///
/// ```
/// use loginradius::models::WebhookUpdate;
/// let update = WebhookUpdate::new().header("X-Source", "lr");
/// assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"Headers":{"X-Source":"lr"}}"#);
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookUpdate {
    /// Custom headers sent with each delivery.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Custom query parameters added to the target URL.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub query_params: BTreeMap<String, String>,
    /// The `Authentication` block, sent as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<serde_json::Value>,
}

impl WebhookUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a custom header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets a custom query parameter.
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query_params.insert(name.into(), value.into());
        self
    }

    /// Sets the `Authentication` block.
    pub fn authentication(mut self, authentication: serde_json::Value) -> Self {
        self.authentication = Some(authentication);
        self
    }

    /// True when nothing would change.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.query_params.is_empty() && self.authentication.is_none()
    }
}

impl fmt::Debug for WebhookUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookUpdate")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "query_params",
                &self.query_params.keys().collect::<Vec<_>>(),
            )
            .field(
                "authentication",
                &self.authentication.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "Id": "3a0bcd6e-2f1d-4c1b-9a8e-7f6d5c4b3a21", "TargetUrl": "https://example.com/h", "Event": "Login",
            "CreatedDate": "2024-01-02T03:04:05.123Z", "LastModifiedDate": null, "SecretName": "primary",
            "Name": "audit", "IsIntegrationWebhook": false,
            "Headers": {"Authorization": "Bearer hook-credential"}, "QueryParams": null,
            "Authentication": {"AuthType": "Basic", "BasicAuth": {"Username": "u", "Password": "hook-password"}},
            "Future": 1
        })
    }

    #[test]
    fn list_reads_data_and_bare_objects() {
        let list: WebhookSubscriptionList =
            serde_json::from_value(json!({"Data": [sample()]})).unwrap();
        assert_eq!(list.subscriptions.len(), 1);
        let hook = &list.subscriptions[0];
        assert_eq!(hook.event, "Login");
        assert!(hook.created_date.is_some() && hook.last_modified_date.is_none());
        assert!(hook.query_params.is_empty());
        assert_eq!(hook.extra["Future"], 1);

        let lower: WebhookSubscriptionList = serde_json::from_value(json!({"data": []})).unwrap();
        assert!(lower.subscriptions.is_empty());
        let one: WebhookSubscriptionList = serde_json::from_value(sample()).unwrap();
        assert_eq!(
            one.subscriptions[0].id,
            "3a0bcd6e-2f1d-4c1b-9a8e-7f6d5c4b3a21"
        );
        assert!(serde_json::from_value::<WebhookSubscriptionList>(json!({"Nope": 1})).is_err());
    }

    #[test]
    fn debug_hides_header_values_and_authentication() {
        let hook: WebhookSubscription = serde_json::from_value(sample()).unwrap();
        let shown = format!("{hook:?}");
        assert!(shown.contains("Authorization"), "{shown}");
        assert!(
            !shown.contains("hook-credential") && !shown.contains("hook-password"),
            "{shown}"
        );
        let new =
            NewWebhook::new("Login", "https://x").header("Authorization", "Bearer hook-credential");
        assert!(!format!("{new:?}").contains("hook-credential"));
    }

    #[test]
    fn events_read_data() {
        let e: WebhookEvents =
            serde_json::from_value(json!({"Data": ["Login", "Register"]})).unwrap();
        assert_eq!(e.events, ["Login", "Register"]);
    }
}
