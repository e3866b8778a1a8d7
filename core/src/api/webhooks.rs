//! Webhook subscriptions (`WebHookApi`): subscribe a URL to an event, list, read, change and
//! delete subscriptions, and list the events.
//!
//! **The API secret travels in the query string.** The `/v2/manage/webhooks` endpoints only
//! accept the key and the secret as the query parameters `apikey` and `apisecret`, so this client
//! sends them there, as the service requires. These calls are never signed, even with request
//! signing on. The URL of these requests therefore contains the secret: keep it out of proxies
//! and logs you do not control. This client never logs URLs.

use crate::models::{
    Deleted, NewWebhook, WebhookEvents, WebhookSubscription, WebhookSubscriptionList, WebhookUpdate,
};
use crate::request::{Call, Credentials, Endpoint, endpoint, request_builder};

/// `apikey` and `apisecret` in the query: the only form the webhook endpoints accept.
const IN_QUERY: Credentials = Credentials::SecretInQuery {
    key: Some("apikey"),
    secret: "apisecret",
    token: false,
};

endpoint!(
    GET_ONE,
    "webhooks.get",
    GET,
    "/v2/manage/webhooks/{hook_id}",
    self::IN_QUERY
);
endpoint!(
    CREATE,
    "webhooks.create",
    POST,
    "/v2/manage/webhooks",
    self::IN_QUERY
);
endpoint!(
    DELETE,
    "webhooks.delete",
    DELETE,
    "/v2/manage/webhooks/{hook_id}",
    self::IN_QUERY
);
endpoint!(
    UPDATE,
    "webhooks.update",
    PUT,
    "/v2/manage/webhooks/{hook_id}",
    self::IN_QUERY
);
endpoint!(
    LIST,
    "webhooks.list",
    GET,
    "/v2/manage/webhooks",
    self::IN_QUERY
);
endpoint!(
    EVENTS,
    "webhooks.events",
    GET,
    "/v2/manage/webhooks/events",
    self::IN_QUERY
);

group_handle! {
    /// Webhook subscriptions, from [`LoginRadius::webhooks`](crate::LoginRadius::webhooks).
    /// Every call sends the API secret in the query string (see the [module](self) docs).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::models::NewWebhook;
    /// let events = client.webhooks().events().await?;
    /// let hook = client
    ///     .webhooks()
    ///     .create(&NewWebhook::new("Login", "https://example.com/hooks/login").name("audit"))
    ///     .await?;
    /// for hook in client.webhooks().list().await?.subscriptions {
    ///     println!("{} -> {}", hook.event, hook.target_url);
    /// }
    /// client.webhooks().delete(&hook.id).await?;
    /// # Ok(()) }
    /// ```
    Webhooks
}

request_builder! {
    /// Lists subscriptions (`{"Data": […]}`). From [`Webhooks::list`] and [`Webhooks::get`].
    pub struct ListWebhooks -> WebhookSubscriptionList;
}

request_builder! {
    /// Creates or changes a subscription and answers with it. From [`Webhooks::create`] and
    /// [`Webhooks::update`].
    pub struct WriteWebhook -> WebhookSubscription;
}

request_builder! {
    /// Deletes a subscription (`{"IsDeleted": …}`). From [`Webhooks::delete`].
    pub struct DeleteWebhook -> Deleted;
}

request_builder! {
    /// Lists the events a webhook can follow. From [`Webhooks::events`].
    pub struct ListWebhookEvents -> WebhookEvents;
}

impl Webhooks<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// The subscription with id `hook_id` (`GET /v2/manage/webhooks/{hook_id}`). The service
    /// answers with a list, of one subscription when the id exists. The API secret travels in
    /// the query (`apisecret`), as the service requires; the call is never signed.
    pub fn get(&self, hook_id: &str) -> ListWebhooks {
        ListWebhooks::from_call(self.call(&GET_ONE).segment("hook_id", hook_id))
    }

    /// Subscribes a URL to an event (`POST /v2/manage/webhooks`). The API secret travels in
    /// the query (`apisecret`), as the service requires; the call is never signed.
    pub fn create(&self, subscription: &NewWebhook) -> WriteWebhook {
        let call = self
            .call(&CREATE)
            .check("event", &subscription.event)
            .check("target_url", &subscription.target_url)
            .json(subscription);
        WriteWebhook::from_call(call)
    }

    /// Deletes the subscription `hook_id` (`DELETE /v2/manage/webhooks/{hook_id}`). The API
    /// secret travels in the query (`apisecret`), as the service requires; the call is never
    /// signed.
    pub fn delete(&self, hook_id: &str) -> DeleteWebhook {
        DeleteWebhook::from_call(self.call(&DELETE).segment("hook_id", hook_id))
    }

    /// Changes the headers, query parameters or authentication of the subscription `hook_id`
    /// (`PUT /v2/manage/webhooks/{hook_id}`). An update that changes nothing is refused before
    /// any request. The API secret travels in the query (`apisecret`), as the service
    /// requires; the call is never signed.
    pub fn update(&self, hook_id: &str, update: &WebhookUpdate) -> WriteWebhook {
        let mut call = self.call(&UPDATE).segment("hook_id", hook_id);
        if update.is_empty() {
            call = call.invalid("update", "must not be empty");
        }
        WriteWebhook::from_call(call.json(update))
    }

    /// Every subscription of the site (`GET /v2/manage/webhooks`). The API secret travels in
    /// the query (`apisecret`), as the service requires; the call is never signed.
    pub fn list(&self) -> ListWebhooks {
        ListWebhooks::from_call(self.call(&LIST))
    }

    /// The events a webhook can follow (`GET /v2/manage/webhooks/events`). The API secret
    /// travels in the query (`apisecret`), as the service requires; the call is never signed.
    pub fn events(&self) -> ListWebhookEvents {
        ListWebhookEvents::from_call(self.call(&EVENTS))
    }
}
